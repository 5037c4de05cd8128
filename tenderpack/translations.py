"""Translations: which texts exist in which language, and whether each translation is current.

Every translatable record (a clause, a string of ``clauses/strings.yaml``, a fixed section, a vocabulary
entry, a policy target or checklist step) keeps its texts as one mapping per field, a key per language
(``text: {en: ..., fr: ...}``), and one ``translations`` block that records, per language, the version of
the English the translation renders and its status (``translations: {fr: {version: 2, status: draft}}``).
When the English changes, its author bumps ``version``; a translation of an older version is *stale*.

This module lists the records and their fields (:func:`records`), the status of each record in each
language (:func:`status`), the problems ``check`` reports (:func:`check_translations`), and the choice a
document makes for each text (:class:`Localizer`): the translation where it is current, the English
otherwise, with the reason so that the drafting edition can show it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .blocks import Paragraph
from .errors import Collector
from .loading import YamlFile
from .model import Clause, Translatable
from .profile_model import in_language as profile_text_in
from .profile_model import is_language_map, text_locs
from .profiles import ResolvedProfile
from .project import Project
from .selection import select
from .terms import all_names
from .text import to_blocks

Status = Literal["reviewed", "draft", "stale", "missing"]
STATUSES: tuple[Status, ...] = ("reviewed", "draft", "stale", "missing")
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._:-]")


@dataclass(frozen=True)
class TextField:
    """One translatable text: where it is written and its texts per language."""

    record: str  # the record's id: a clause id, 'strings.<key>', 'library.<path>', 'policy.<path>'
    name: str  # the field within the record: 'text', 'questions.<question id>.text', ...
    loc: tuple[str | int, ...]  # key path of the text mapping in the file's data
    text: dict[str, str]
    # an answer option: exported for translation, but printed in English (it is also its id) where it is
    # not translated, so it never makes a record 'missing' ("EPEAT", "A" or "IEC 61960-3" stay as written)
    optional: bool = False

    @property
    def unit_id(self) -> str:
        """The XLIFF unit id (an NMTOKEN): record and field joined by ':'."""
        return _UNSAFE_ID.sub("_", f"{self.record}:{self.name}")


@dataclass
class Record:
    """A translatable record: its file, where it sits in the file, its English version and its fields."""

    id: str
    kind: Literal["clause", "strings", "library", "policy", "glossary"]
    file: YamlFile
    loc: tuple[str | int, ...]
    model: Translatable
    fields: list[TextField] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.model.version

    def add(self, name: str, loc: tuple[str | int, ...], text: dict[str, str] | None, optional: bool = False) -> None:
        if text:
            self.fields.append(TextField(self.id, name, (*self.loc, *loc), text, optional))


def _clause_record(clause: Clause, yf: YamlFile) -> Record:
    rec = Record(clause.id, "clause", yf, (), clause)
    for name in ("title", "text", "verification", "guidance"):
        rec.add(name, (name,), getattr(clause, name))
    for i, q in enumerate(clause.questions):
        rec.add(f"questions.{q.id}.text", ("questions", i, "text"), q.text)
        rec.add(f"questions.{q.id}.evidence", ("questions", i, "evidence"), q.evidence)
        for j, option in enumerate(q.answer.options):
            rec.add(f"questions.{q.id}.options.{j}", ("questions", i, "answer", "options", j), q.answer.option_text(option), True)
    for i, k in enumerate(clause.kpis):
        for name in ("name", "formula", "evidence", "target"):
            rec.add(f"kpis.{k.id}.{name}", ("kpis", i, name), getattr(k, name))
    for pname, param in clause.parameters.items():
        for option, label in param.labels.items():
            rec.add(f"parameters.{pname}.labels.{option}", ("parameters", pname, "labels", option), label)
    for i, fact in enumerate(clause.unverified):
        rec.add(f"unverified.{i}", ("unverified", i), fact)
    return rec


def records(project: Project, approved_only: bool = True) -> list[Record]:
    """Every translatable record of the project, in a stable order: clauses, strings, library, policy."""
    out: list[Record] = []
    for cid in sorted(project.clauses):
        clause = project.clauses[cid]
        if approved_only and clause.status != "approved":
            continue
        out.append(_clause_record(clause, project.clause_files[cid]))
    if project.strings_file is not None:
        for key, entry in project.strings.items():
            rec = Record(f"strings.{key}", "strings", project.strings_file, ("strings", key), entry)
            rec.add("text", ("text",), entry.text)
            out.append(rec)
    out += list(_library_records(project))
    out += list(_policy_records(project))
    out += list(_glossary_records(project))
    return out


def _glossary_records(project: Project) -> Iterator[Record]:
    """The defined terms: a term's name and plural in each language, and its definition."""
    yf = project.glossary_file
    if yf is None:
        return
    for i, d in enumerate(project.glossary.definitions):
        name = d.party or re.sub(r"[^a-z0-9]+", "-", (d.term or {}).get("en", "").lower()).strip("-") or str(i)
        rec = Record(f"glossary.{name}", "glossary", yf, ("definitions", i), d)
        for part in ("term", "plural", "means"):
            rec.add(part, (part,), getattr(d, part))
        yield rec


def _library_records(project: Project) -> Iterator[Record]:
    lib, yf = project.library, project.library_file
    if lib is None or yf is None:
        return
    for group in ("stages", "types", "categories"):
        for i, term in enumerate(getattr(lib, group)):
            rec = Record(f"library.{group}.{term.id}", "library", yf, (group, i), term)
            for name in ("name", "description", "section"):
                rec.add(name, (name,), getattr(term, name, None))
            yield rec
    seen: set[str] = set()
    for i, (unit, entry) in enumerate(lib.units.items()):
        name = re.sub(r"[^a-z0-9]+", "-", unit.replace("%", " percent ").lower()).strip("-") or str(i)
        name = name if name not in seen else f"{name}-{i}"  # units are keyed by how clauses write them
        seen.add(name)
        rec = Record(f"library.units.{name}", "library", yf, ("units", unit), entry)
        rec.add("name", ("name",), entry.name)
        if not entry.symbol:
            yield rec  # a symbol ('%', 'g', 'ppm') is printed the same in every language
    for i, fill in enumerate(lib.fill_ins):
        rec = Record(f"library.fill_ins.{fill.id}", "library", yf, ("fill_ins", i), fill)
        rec.add("label", ("label",), fill.label)
        rec.add("placeholder", ("placeholder",), fill.placeholder)
        yield rec
    for kind, doc in lib.documents.items():
        rec = Record(f"library.documents.{kind}", "library", yf, ("documents", kind), doc)
        rec.add("title", ("title",), doc.title)
        rec.add("description", ("description",), doc.description)
        yield rec
        for part in ("before", "after"):
            for i, section in enumerate(getattr(doc, part)):
                rec = Record(f"library.documents.{kind}.{part}.{i}", "library", yf, ("documents", kind, part, i), section)
                rec.add("title", ("title",), section.title)
                rec.add("text", ("text",), section.text)
                yield rec


def _policy_records(project: Project) -> Iterator[Record]:
    yf = project.policy.file
    if yf is None:
        return
    from .model import ChecklistItem, Target

    for i, section in enumerate(project.policy.policy):
        rec = Record(f"policy.policy.{i}", "policy", yf, ("policy", i), section)
        rec.add("title", ("title",), section.title)
        rec.add("text", ("text",), section.text)
        yield rec
    for i, raw in enumerate(project.policy.targets):
        target = Target.model_validate(raw)
        rec = Record(f"policy.targets.{target.id}", "policy", yf, ("targets", i), target)
        for name in ("goal", "indicator", "target"):
            rec.add(name, (name,), getattr(target, name))
        yield rec
    for i, raw in enumerate(project.policy.checklist):
        item = ChecklistItem.model_validate(raw)
        rec = Record(f"policy.checklist.{item.id}", "policy", yf, ("checklist", i), item)
        for name in ("step", "evidence"):
            rec.add(name, (name,), getattr(item, name))
        yield rec


# ------------------------------------------------------------------------------------------ status


def base(lang: str) -> str:
    return lang.split("-")[0]


def in_language(text: dict[str, str], lang: str) -> str | None:
    """The text in ``lang`` (or its base language: 'pt' for 'pt-BR'), if written."""
    return text.get(lang) or text.get(base(lang))


def written_as(model: Translatable, lang: str) -> str:
    """The language key under which ``model`` records its ``lang`` translation ('pt' for 'pt-BR' when only
    'pt' is written), so that one translation is named once."""
    return lang if lang in model.translations or base(lang) not in model.translations else base(lang)


def entry(model: Translatable, lang: str) -> Any:
    return model.translations.get(lang) or model.translations.get(base(lang))


def status(rec: Record | Translatable, lang: str, fields: list[TextField] | None = None) -> Status:
    """reviewed / draft (current translation), stale (of an older English version) or missing."""
    model = rec.model if isinstance(rec, Record) else rec
    fields = rec.fields if isinstance(rec, Record) else (fields or [])
    if base(lang) == "en":
        return "reviewed"
    recorded = entry(model, lang)
    if recorded is None or any(in_language(f.text, lang) is None for f in fields if not f.optional):
        return "missing"
    if recorded.version < model.version:
        return "stale"
    return "draft" if recorded.status == "draft" else "reviewed"


def missing_fields(rec: Record, lang: str) -> list[str]:
    return [f.name for f in rec.fields if in_language(f.text, lang) is None and not f.optional]


def needed_languages(project: Project, resolved: dict[str, ResolvedProfile]) -> dict[str, set[str]]:
    """Per record id, the languages other than English that some profile's documents print it in."""
    assert project.library is not None
    all_langs = {lang for r in resolved.values() for lang in r.profile.all_languages if base(lang) != "en"}
    needed: dict[str, set[str]] = {}
    for r in resolved.values():
        langs = {lang for lang in r.profile.all_languages if base(lang) != "en"}
        if not langs:
            continue
        for category in r.profile.categories:
            if category not in {c.id for c in project.library.categories}:
                continue
            for level in r.profile.levels:
                for clause in select(project.clauses, project.library, r.profile, category, level):
                    needed.setdefault(clause.id, set()).update(langs)
    for rec in records(project):
        if rec.kind != "clause":
            needed[rec.id] = set(all_langs)
    return needed


def languages(project: Project, resolved: dict[str, ResolvedProfile]) -> list[str]:
    """The translation languages of the project: those profiles build and those already written."""
    found = {lang for r in resolved.values() for lang in r.profile.all_languages}
    for rec in records(project):
        found.update(rec.model.translations)
    # a regional variant that its base language serves is one column ('pt' serves the 'pt-BR' profile)
    return sorted(lang for lang in found if base(lang) != "en" and not (lang != base(lang) and base(lang) in found))


def matrix(project: Project, resolved: dict[str, ResolvedProfile]) -> tuple[list[str], list[tuple[Record, dict[str, Status]]]]:
    """``list translations``: every record × every translation language, with its status."""
    langs = languages(project, resolved)
    return langs, [(rec, {lang: status(rec, lang) for lang in langs}) for rec in records(project)]


def check_translations(project: Project, resolved: dict[str, ResolvedProfile], problems: Collector) -> None:
    """Warnings (errors under --strict): stale translations by record, missing ones by profile."""
    needed = needed_languages(project, resolved)
    recs = records(project)
    terms = frozenset(all_names(project.glossary.terms))
    for rec in recs:
        langs = needed.get(rec.id, set()) | set(rec.model.translations)
        stale = sorted({written_as(rec.model, lang) for lang in langs if status(rec, lang) == "stale"})
        if stale:
            versions = ", ".join(f"{lang} v{entry(rec.model, lang).version}" for lang in stale)
            problems.warn(
                rec.file.path, rec.file.line((*rec.loc, "translations")), _key(rec, "translations"),
                f"{rec.id}: the {', '.join(stale)} translation{'s are' if len(stale) > 1 else ' is'} stale "
                f"({versions}; the English is at v{rec.version}): the documents print the English until "
                "it is translated again", frozenset(stale),
            )  # fmt: skip
        for lang in sorted(set(rec.model.translations) | langs):
            if status(rec, lang) in ("missing", "stale"):
                continue
            for name, what in check_alignment(rec, lang, terms):
                problems.warn(rec.file.path, rec.file.line(_field_loc(rec, name)), _key(rec, "translations"),
                              f"{rec.id}: {name}: the {lang} translation is not aligned with the English: {what}",
                              frozenset({lang}))  # fmt: skip
    check_profile_texts(project, resolved, problems)
    by_id = {rec.id: rec for rec in recs}
    for pid in sorted(resolved):
        r = resolved[pid]
        for lang in r.profile.all_languages:
            if base(lang) == "en":
                continue
            used = [rid for rid, langs in needed.items() if lang in langs and rid in by_id]
            missing = [rid for rid in used if status(by_id[rid], lang) == "missing"]
            if missing:
                clauses = sum(1 for rid in missing if by_id[rid].kind == "clause")
                shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
                problems.warn(
                    r.file.path, r.file.line(("language",)), "language",
                    f"{len(missing)} of {len(used)} texts its documents use have no '{lang}' translation "
                    f"({clauses} clauses; {shown}): the documents print the English there "
                    "(tenderpack list translations shows each)", frozenset({lang}),
                )  # fmt: skip


def check_profile_texts(project: Project, resolved: dict[str, ResolvedProfile], problems: Collector) -> None:
    """Warnings (errors under --strict): a profile text that a language the profile builds lacks, reported
    where the text was set (which may be a profile it extends), once for all the profiles that inherit it."""
    found: dict[tuple[str, int, str, str], tuple[list[str], list[str]]] = {}
    for pid in sorted(resolved):
        r = resolved[pid]
        for loc, text in text_locs(r.layer.data):
            if not is_language_map(text):
                continue
            for lang in r.profile.all_languages:
                if profile_text_in(text, lang) is None:
                    origin = r.layer.origin(loc)
                    at = (origin.file, origin.line) if origin else (r.file.rel, r.file.line(loc))
                    key = ".".join(str(part) for part in loc)
                    found.setdefault((*at, key, lang), ([], sorted(text)))[0].append(pid)
    for (file, line, key, lang), (pids, written) in found.items():
        problems.warn(
            project.root / file, line, key,
            f"profile{'s' if len(pids) > 1 else ''} {', '.join(pids)} build{'' if len(pids) > 1 else 's'} '{lang}' "
            f"documents, but this text is only in {', '.join(written)}: write it as {{{', '.join(written)}, {lang}: ...}} "
            f"here or in a profile that extends this one (the '{lang}' documents print it in {'/'.join(written)} meanwhile)",
            frozenset({lang}),
        )  # fmt: skip


def check_alignment(rec: Record, lang: str, terms: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Where a translation does not have the structure of its English: (field, what differs).

    Both versions must have the same paragraphs and list items (kind and level, in order), the same
    ``{{ }}`` / ``{% %}`` expressions, and the same numbers (digit runs, so '1,5' matches '1.5' and
    '1 500' matches '1,500'). A jurisdiction term alone in an expression (``{{ Contractor }}``, any of
    ``terms``) is a word, not a value: a translation may write it in its own language ("le Titulaire"),
    since the profile's terms are worded in one language.
    """
    found: list[tuple[str, str]] = []
    for fld in rec.fields:
        other = in_language(fld.text, lang)
        if other is None:
            continue
        english = fld.text["en"]
        shape_en, shape_tr = _shape(english), _shape(other)
        if shape_en != shape_tr:
            found.append((fld.name, f"en has {_describe(shape_en)}, {lang} has {_describe(shape_tr)}"))
        numbers_en, numbers_tr = _numbers(english), _numbers(other)
        if numbers_en != numbers_tr:
            missing = sorted((numbers_en - numbers_tr).elements(), key=lambda n: (len(n), n))
            extra = sorted((numbers_tr - numbers_en).elements(), key=lambda n: (len(n), n))
            said = "; ".join(filter(None, [f"missing in {lang}: {', '.join(missing)}" if missing else "",
                                           f"only in {lang}: {', '.join(extra)}" if extra else ""]))  # fmt: skip
            found.append((fld.name, f"the numbers differ ({said})"))
        if expressions(english, terms) != expressions(other, terms):
            found.append((fld.name, "the {{ }} and {% %} expressions differ"))
    return found


_EXPR = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def expressions(text: str, terms: frozenset[str] = frozenset()) -> Counter[str]:
    """The Jinja expressions of a text, spaces inside them normalised; a jurisdiction term alone in an
    expression (one of ``terms``) is left out: a translation may write the word in its own language. The
    alignment check and the XLIFF import compare translations with their English by it."""
    found = (re.sub(r"\s+", " ", m.group()) for m in _EXPR.finditer(text))
    return Counter(e for e in found if not (e.startswith("{{") and e[2:-2].strip() in terms))


def _numbers(text: str) -> Counter[str]:
    return Counter(re.findall(r"\d+", _EXPR.sub(" ", text)))


def _shape(text: str) -> list[str]:
    return ["p" if isinstance(b, Paragraph) else f"{'ol' if b.ordered else 'ul'}{b.level}" for b in to_blocks(text)]


def _describe(shape: list[str]) -> str:
    paragraphs = shape.count("p")
    items = len(shape) - paragraphs
    return f"{paragraphs} paragraph{'s' if paragraphs != 1 else ''} and {items} list item{'s' if items != 1 else ''}"


def _field_loc(rec: Record, name: str) -> tuple[str | int, ...]:
    return next((f.loc for f in rec.fields if f.name == name), rec.loc)


def _key(rec: Record, name: str) -> str:
    return ".".join(str(p) for p in (*rec.loc, name))


# ------------------------------------------------------------------------------------------ documents


@dataclass(frozen=True)
class Fallback:
    """Why a text is printed in English: no translation, or a translation of an older English version."""

    field: str
    reason: Literal["missing", "stale"]
    translated: int = 0
    current: int = 0


class Localizer:
    """Picks each text of a record in a document's language: the translation where it is current."""

    def __init__(self, lang: str):
        self.lang = lang

    def pick(self, model: Translatable | None, text: dict[str, str] | None, name: str) -> tuple[str, Fallback | None]:
        if not text:
            return "", None
        if base(self.lang) == "en":
            return text.get(self.lang) or text["en"], None
        found = in_language(text, self.lang)
        recorded = entry(model, self.lang) if model is not None else None
        if found is None or (model is not None and recorded is None):
            return text["en"], Fallback(name, "missing")
        if model is not None and recorded is not None and recorded.version < model.version:
            return text["en"], Fallback(name, "stale", recorded.version, model.version)
        return found, None
