"""Fill-ins: values only the buyer knows (authority name, tender reference, deadline, platform, ...).

The vocabulary is declared once in ``clauses/library.yaml`` (``fill_ins``). A fill-in's id is the key
path of the profile value that sets it (``authority.name`` is ``authority: {name: ...}``,
``thresholds.open-procedure`` is ``thresholds: {open-procedure: ...}``), so it is inherited and
overridden like every other profile value. Texts and templates write ``{{ fill["tender.reference"] }}``
(``{{ authority.name }}`` and ``{{ authority.contact }}`` are the same fields).

A value the profile sets is printed as plain text. An unset one is printed as an inline *marker* that
the Word layer turns into a content control bound to one custom XML part (``word/fillins.py``); the
marker uses private-use characters, which neither the markup nor a profile value can contain.

This module also finds what keeps an issue edition from being issued as it is: unset fill-ins and
placeholder prose (``[insert ...]``, "replace with ...") in any text that reaches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import limits
from .errors import Problem
from .model import Library, Profile

MARK_START = "\ue010"
MARK_END = "\ue011"
MARKER = re.compile(f"{MARK_START}([a-z0-9.-]+){MARK_END}")

# Placeholder prose: bracketed text ("[insert the amount]", "[name]") and the usual instructions to
# replace something, in the languages of the shipped profiles.
PLACEHOLDER_PROSE = re.compile(
    r"\[[^\[\]\n]{1,200}\]|\breplace with\b|\bto be completed\b|\bremplacez par\b|\bà compléter\b"
    r"|\bsubstitua\b|\bersetzen\)|\binsert (?:the|your|here)\b|\bedit this\b",
    re.IGNORECASE,
)
# How texts refer to fill-ins: fill["id"] and the authority variables that are the same fields.
_USES = re.compile(r"""\bfill\s*\[\s*(["'])([a-z0-9.-]+)\1\s*\]|\bauthority\.(name|contact)\b""")


def marker(fill_id: str) -> str:
    """The inline text that the Word layer turns into the bound control of ``fill_id``."""
    return f"{MARK_START}{fill_id}{MARK_END}"


def profile_value(profile: Profile, fill_id: str, lang: str | None = None) -> str | None:
    """The value a profile sets for a fill-in (None: unset, or set to an empty text); a threshold, a profile
    text, as a document in ``lang`` prints it."""
    group, _, key = fill_id.partition(".")
    value: Any
    if group == "thresholds":
        texts = profile.thresholds.get(key)
        value = profile.printed(texts, lang) if texts else None
    else:
        value = getattr(getattr(profile, group, None), key.replace("-", "_"), None)
    if not isinstance(value, str):
        return None
    value = value.replace(MARK_START, "").replace(MARK_END, "")  # a value is never taken for a marker
    return value if value.strip() else None


@dataclass(frozen=True)
class FillInValue:
    """A fill-in as one document shows it: label and placeholder in the document's language, value or None."""

    id: str
    label: str
    placeholder: str
    value: str | None


def values(library: Library, profile: Profile, lang: str | None = None) -> list[FillInValue]:
    """Every fill-in of the vocabulary with the profile's value, in vocabulary order; labels and placeholders
    in ``lang`` (the document's language; default the profile's)."""
    from .translations import Localizer  # the label in English where its translation is missing or stale

    local = Localizer(lang or profile.language)
    return [
        FillInValue(f.id, local.pick(f, f.label, "label")[0], local.pick(f, f.placeholder, "placeholder")[0],
                    profile_value(profile, f.id, local.lang))
        for f in library.fill_ins
    ]  # fmt: skip


def context(fills: list[FillInValue]) -> dict[str, str]:
    """``fill`` as texts and templates see it: id → the value, or the marker of the bound control."""
    return {f.id: f.value if f.value is not None else marker(f.id) for f in fills}


def used(source: str) -> set[str]:
    """Fill-in ids a text or template source refers to."""
    found = set()
    for m in _USES.finditer(source):
        found.add(m.group(2) or f"authority.{m.group(3)}")
    return found


_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def placeholder_prose(text: str) -> Iterator[tuple[int, str]]:
    """(line within the text, counted from 1; the matched words) of each piece of placeholder prose.

    Template tags are not prose (``{{ fill["tender.reference"] }}`` is a fill-in), nor are category limits
    (``[only: imaging]`` is never printed); both are blanked first.
    """
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731
    text = limits.MARKER.sub(blank, _TAGS.sub(blank, text))
    for m in PLACEHOLDER_PROSE.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m.group(0)


def unset_problem(file: str, line: int, profile_id: str, fill: FillInValue, used_in: list[str]) -> Problem:
    where = f"; used in {', '.join(used_in)}" if used_in else ""
    return Problem(
        file, line, fill.id,
        f"fill-in '{fill.label}' is not set for profile {profile_id}: its issue edition shows an empty "
        f"field{where}",
    )  # fmt: skip


def walk(data: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every string in nested data with its key path."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from walk(v, (*loc, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from walk(v, (*loc, i))
