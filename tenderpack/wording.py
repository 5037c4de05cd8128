"""The words of a document in its language: fixed strings, translated texts, the English fallback box.

``documents.Composer`` inherits these helpers; they pick each text in the document's language through
``translations.Localizer`` and print numbers and units the way that language does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .blocks import Block, Cell, ListItem, Note, Paragraph, Run, Table
from .model import Library, Translatable
from .project import Project
from .text import TextError, currency_name, format_value, language_name, render, to_blocks
from .translations import Fallback, Localizer
from .word.ooxml import TEXT_WIDTH


class ComposeError(Exception):
    """A text failed to render; carries the clause (or section) and the field."""

    def __init__(self, where: tuple[str, str, str], message: str, line: int | None):
        super().__init__(message)
        self.where = where  # (kind of source: clause | library | policy | strings, id or index, field)
        self.message = message
        self.line = line


def unit_text(library: Library, unit: str, lang: str) -> str:
    """A unit as printed in ``lang``: its display text from the library's unit vocabulary."""
    entry = library.units.get(unit)
    return tr(entry.name, lang) if entry is not None else unit


def tr(text: dict[str, str] | None, lang: str) -> str:
    """Text in the profile's language, falling back to English (then to the base language)."""
    if not text:
        return ""
    # a profile text may exist only in the profile's own language ({'pt-BR': ...}): then that one
    return text.get(lang) or text.get(lang.split("-")[0]) or text.get("en") or next(iter(text.values()))


def fixed_string(project: Project, key: str, lang: str, **values: Any) -> str:
    """A string of clauses/strings.yaml in ``lang`` (English where not translated), its values filled in."""
    entry = project.strings.get(key)
    if entry is None:
        raise ComposeError(("strings", key, "text"), f"clauses/strings.yaml has no string {key!r}", None)
    source = Localizer(lang).pick(entry, entry.text, "text")[0]
    if "{" not in source:
        return source
    try:
        return _render_string(source, lang, tuple(sorted(values.items())))
    except TextError as exc:
        raise ComposeError(("strings", key, "text"), exc.message, exc.line) from None


@lru_cache(maxsize=8192)
def _render_string(source: str, lang: str, values: tuple[tuple[str, Any], ...]) -> str:
    """A string of strings.yaml with its values: the same few recur in every document, rendered once."""
    return render(source, dict(values), markup=False, lang=lang)


def _cell_runs(blocks: list[Paragraph | ListItem]) -> list[Run]:
    """Paragraphs and list items as the runs of one table cell: a blank line between paragraphs, '•' or the
    number before each list item (a cell holds runs, not numbered paragraphs)."""
    runs: list[Run] = []
    counters: dict[str, int] = {}
    for i, block in enumerate(blocks):
        if i:
            runs.append(Run("\n" if isinstance(block, ListItem) else "\n\n"))
        if isinstance(block, ListItem):
            counters[block.list_key] = counters.get(block.list_key, 0) + 1
            marker = f"{counters[block.list_key]}. " if block.ordered else "\u2022 "
            runs.append(Run("    " * block.level + marker))
        runs.extend(block.runs)
    return runs


class Wording:
    """Mixin of the composer: every word it prints goes through here."""

    project: Project
    library: Library
    lang: str
    localizer: Localizer
    drafting: bool
    second: str = ""  # the second language of a bilingual edition

    def labels(self, doc: dict[str, Any], pack: dict[str, str]) -> dict[str, str]:
        """The cover, header and footer lines of the templates (``label.*``), in the document's language."""
        edition, level = str(doc["edition_name"]), str(doc["level_name"])
        fill = self.globals_.get("fill", {})  # the fill-ins: a value, or the marker of a bound Word field
        return {
            "reference": self.s(f"cover.reference.{doc['kind']}", reference=fill.get("tender.reference", "")),
            "deadline": self.s("cover.deadline", deadline=fill.get("tender.deadline", "")),
            "level": self.s("cover.level", level=level),
            "category": self.s("cover.category", name=self.globals_["category"]["name"]),
            "profile": self.s("cover.profile", name=self.globals_["profile"]["name"]),
            "pack": self.s("cover.pack", version=pack["version"], date=pack["date"], edition=edition),
            "document": self.s("cover.document", id=doc["id"]),
            "version": self.s("header.version", version=pack["version"], level=level, edition=edition),
            "page": self.s("footer.page"),
            "of": self.s("footer.of"),
        }

    @property
    def globals_(self) -> dict[str, Any]:
        return getattr(self, "globals", {})

    def globals_in(self, lang: str) -> dict[str, Any]:
        """The globals of the texts in ``lang`` (the composer words the profile's texts in each language)."""
        return self.globals_

    def text(self, source: str, ctx: dict[str, Any], where: tuple[str, str, str], markup: bool = True) -> str:
        try:
            return render(source, ctx, markup=markup, lang=self.lang)
        except Exception as exc:  # TextError carries the line
            raise ComposeError(where, getattr(exc, "message", str(exc)), getattr(exc, "line", None)) from None

    def blocks_of(self, markup: str, style: str = "BodyText", key: str = "") -> list[Paragraph | ListItem]:
        """Markup as blocks; the composer keeps only what its category's limits admit."""
        return to_blocks(markup, style=style, key=key)

    def s(self, key: str, **values: Any) -> str:
        """A fixed string of clauses/strings.yaml in the document's language (English where not translated)."""
        return fixed_string(self.project, key, self.lang, **values)

    def pick(self, model: Translatable | None, text: dict[str, str] | None, name: str = "") -> str:
        first = self.localizer.pick(model, text, name)[0]
        if not self.second:
            return first
        other = Localizer(self.second).pick(model, text, name)[0]
        return first if other == first else f"{first} / {other}"  # headings and labels of a bilingual edition

    def localized(self, model: Translatable, text: dict[str, str], ctx: dict[str, Any], where: tuple[str, str, str],
                  style: str = "BodyText", key: str = "") -> list[Block]:  # fmt: skip
        """A text's blocks in the document's language; in English inside a marked box where it is not translated
        (drafting edition), or plainly in English (issue edition: ``check`` warns, ``--strict`` refuses)."""
        if self.second:
            return [self.side_by_side(model, text, ctx, where)]
        source, fallback = self.localizer.pick(model, text, where[2])
        blocks: list[Block] = list(self.blocks_of(self.text(source, ctx, where), style=style, key=key))
        if fallback is None or not self.drafting:
            return blocks
        note = Paragraph([Run(self.fallback_note(fallback), italic=True)])
        return [Note(self.s("fallback.title"), [note, *(b for b in blocks if isinstance(b, Paragraph | ListItem))])]

    def side_by_side(self, model: Translatable, text: dict[str, str], ctx: dict[str, Any], where: tuple[str, str, str]) -> Table:
        """A text of the bilingual edition: one row, a column per language (English where not translated)."""
        cells = []
        first = self.lang
        for lang in (first, self.second):
            self.lang = lang  # values print as each column's language writes them
            try:
                source = Localizer(lang).pick(model, text, where[2])[0]
                mine, theirs = self.globals_, self.globals_in(lang)  # the profile's texts and terms in that language
                local = {**ctx, **{k: v for k, v in theirs.items() if k in mine and ctx.get(k) is mine[k]}}
                cells.append(Cell(_cell_runs(self.blocks_of(self.text(source, local, where)))))
            finally:
                self.lang = first
        names = [language_name(code, code) for code in (first, self.second)]  # each column names its language in it
        return Table(names, [cells], [TEXT_WIDTH // 2, TEXT_WIDTH - TEXT_WIDTH // 2])

    def fallback_note(self, fallback: Fallback) -> str:
        name = self.s(f"field.{fallback.field}") if f"field.{fallback.field}" in self.project.strings else fallback.field
        if fallback.reason == "stale":
            return self.s("fallback.stale", field=name, translated=fallback.translated, current=fallback.current)
        return self.s("fallback.missing", field=name)

    def num(self, value: Any) -> str:
        return format_value(value, self.lang)

    def unit(self, unit: str) -> str:
        currency = self.globals_.get("currency")
        if unit == "currency" and currency:
            return currency_name(str(currency), self.lang)  # "euros", "Euro", "reais brasileiros" (CLDR)
        return unit_text(self.library, unit, self.lang)

    def columns(self, key: str) -> list[str]:
        return [c.strip() for c in self.s(key).split("|")]

