"""Clause texts as HTML for the catalogue: the library's words, with what a document would substitute shown.

A clause text is a sandboxed Jinja template over CommonMark. The catalogue shows the library's own text,
not one profile's: parameters are substituted with their defaults (of the core level, the ones the
parameter table lists first), jurisdiction terms with their names (``{{ Contractor }}`` reads
"Contractor"), and profile values (``{{ legal.performance }}``) with their key. Each substituted value is
marked (a ``span`` with its kind and name), and each category limit (``[only: mobile-devices]``) is shown
as a label before the piece it limits, since the catalogue shows every category at once.

Substitution goes through :func:`tenderpack.text.render` (the documents' sandbox, values escaped for the
markup); the markup becomes HTML through markdown-it-py with raw HTML, images and links disabled, so
nothing in a text can become markup of the page. Marks travel through both steps as private-use
characters that neither a value nor the markup can hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .. import limits
from ..text import TextError, attributes_used, format_value, render, variables

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["heading", "lheading", "code", "fence", "blockquote", "hr", "html_block", "html_inline", "image", "table",
     "link", "autolink"],
    ignoreInvalid=True,
)  # fmt: skip

# around each simple expression ({{ name }} or {{ name.attr }}) of the source: open, the index of the
# expression in a list, middle, the expression's output, close
MARK_OPEN, MARK_MID, MARK_CLOSE = "\ue010", "\ue011", "\ue012"
_SIMPLE = re.compile(r"\{\{-?\s*([A-Za-z_]\w*(?:\.[A-Za-z_][\w-]*)?)\s*-?\}\}")
_MARKED = re.compile(MARK_OPEN + r"(\d+)" + MARK_MID + r"(.*?)" + MARK_CLOSE, re.S)
_LIMIT = re.compile(limits.OPEN + r"(only|not):([^" + limits.CLOSE + r"]*)" + limits.CLOSE)


@dataclass(frozen=True)
class Values:
    """What the catalogue substitutes: parameter values by name, and the names of jurisdiction terms."""

    parameters: Mapping[str, Any]
    terms: frozenset[str]


def kind_of(name: str, values: Values) -> str:
    """``param``, ``term`` or ``value`` (a profile's value: legal citations, authority, category...)."""
    root = name.split(".")[0]
    if root in values.parameters:
        return "param"
    return "term" if root in values.terms else "value"


def context(source: str, values: Values) -> dict[str, Any]:
    """The values a source uses: parameters, terms by their own names, profile values by their key."""
    ctx: dict[str, Any] = {}
    for name in variables(source):
        if name in values.parameters:
            ctx[name] = values.parameters[name]
        elif name in values.terms:
            ctx[name] = name
        else:
            attrs = attributes_used(source, name)
            ctx[name] = {attr: f"{name}.{attr}" for attr in attrs} if attrs else name
    return ctx


def to_html(source: str, values: Values, lang: str = "en", inline: bool = False) -> Markup:
    """A clause text (or a question, a KPI cell) as HTML, its substituted values and limits marked."""
    exprs: list[str] = []

    def mark(m: re.Match[str]) -> str:
        exprs.append(m[1])
        return f"{MARK_OPEN}{len(exprs) - 1}{MARK_MID}{m[0]}{MARK_CLOSE}"

    marked = _SIMPLE.sub(mark, source)
    try:
        text = render(marked, context(source, values), markup=True, lang=lang)
    except TextError:
        # a text the documents cannot render either is refused by `check`; the page shows the source
        return Markup(f'<pre class="source">{escape(source)}</pre>')
    html = _MD.renderInline(text) if inline else _MD.render(text)
    html = _MARKED.sub(lambda m: _span(exprs[int(m[1])], m[2], values), html)
    html = _LIMIT.sub(lambda m: _limit(m[1], m[2]), html)
    return Markup(html.strip())


def _span(expr: str, shown: str, values: Values) -> str:
    kind = kind_of(expr, values)
    label = {"param": "parameter", "term": "jurisdiction term", "value": "profile value"}[kind]
    return f'<span class="v v-{kind}" title="{label} {escape(expr)}">{shown}</span>'


def _limit(mode: str, ids: str) -> str:
    shown = ", ".join(part.strip() for part in ids.split(",") if part.strip())
    words = "only for" if mode == "only" else "not for"
    return f'<span class="limit">[{words}: {escape(shown)}]</span>'


def limited(text: str) -> Markup:
    """A plain text (not a template) as HTML, its category limits shown as labels."""
    html = str(escape(limits.protect(text)))
    return Markup(_LIMIT.sub(lambda m: _limit(m[1], m[2]), html))


def plain(value: Any, lang: str = "en") -> str:
    """A value as the documents print it (numbers in the language's format)."""
    return format_value(value, lang)
