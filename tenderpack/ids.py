"""Ids and the fixed vocabularies of the build plan: light (no pydantic), so that the command line can
check its options without loading the models."""

from __future__ import annotations

import re

ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")  # a language code: en, fr, pt-BR

# Names that Windows refuses as file names, whatever the extension; ids become file names.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)

LEVELS = ("core", "comprehensive")
EDITIONS = ("drafting", "issue", "bilingual")  # bilingual: profiles of two languages, side by side
KINDS = ("tender", "annex", "questionnaire", "policy", "checklist")


def check_id(value: str) -> str:
    """Ids become parts of file names and cross-references: lowercase words joined by dots or dashes."""
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lowercase letters and digits, "
            "joined by single dots or dashes (e.g. 'cpc.spare-parts')"
        )
    if any(part in RESERVED_NAMES for part in re.split(r"[.-]", value)):
        raise ValueError(f"{value!r} is not a valid id: it contains a reserved device name")
    return value
