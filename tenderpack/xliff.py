"""The translator's workflow: export the library's texts to XLIFF 2.0, import the translations back.

Files are read and written with translate-toolkit (``translate.storage.xliff2``), which CAT tools'
XLIFF 2.0 support is built on (Weblate uses it). Each translatable field is one ``<unit>``, its id the
record and the field (``cpc.spare-parts:questions.spare-parts-years.text``), with notes naming the
record, the field, the file and the version of the English it renders. translate-toolkit 3.20 writes a
unit's notes inside its ``<segment>``, where XLIFF 2.0 does not allow them; they are moved up to the
``<unit>`` (and read from there), so that the file is valid XLIFF 2.0.

Jinja expressions (``{{ years }}``, ``{% if ... %}``) and the markup (``**``, list markers) stay in the
texts as they are: translate-toolkit cannot read XLIFF 2.0 inline placeholders back (``<ph>`` with
``<originalData>``), so they are plain text, and the import refuses a translation whose expressions
differ from the source's. CAT tools can protect them with a tag pattern (``\\{\\{.*?\\}\\}|\\{%.*?%\\}``).

An imported file is supplier-grade input: its size is capped, entities are not resolved (translate-
toolkit's parser), every unit must name a text of the library, and nothing is written unless every unit
passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from translate.storage.xliff2 import Xliff2File, Xliff2Unit

from .errors import Collector, InputFileError
from .model import LANG_RE
from .profiles import ResolvedProfile
from .project import Project
from .terms import all_names
from .text import TextError, check_syntax
from .translations import Record, TextField, base, entry, expressions, in_language, records, status
from .yamledit import EditError, apply

MAX_XLIFF_BYTES = 20 * 1024 * 1024
NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INSTRUCTIONS = (
    "Keep every {{ ... }} and {% ... %} exactly as in the source (values are filled in there), and the "
    "markup: a blank line between paragraphs, '- ' or '1. ' before list items, ** and * around emphasis."
)
STATES = {"reviewed": "reviewed", "draft": "translated", "stale": "initial"}


# ------------------------------------------------------------------------------------------ export


def export(project: Project, lang: str) -> bytes:
    """Every translatable field as a unit, with the current translation (if any) as its target."""
    store = Xliff2File()
    store.setsourcelanguage("en")
    store.settargetlanguage(lang)
    for rec in records(project):
        state = status(rec, lang)
        for fld in rec.fields:
            unit = store.addsourceunit(fld.text["en"])
            unit.setid(fld.unit_id)
            current = in_language(fld.text, lang)
            if current is not None:
                unit.settarget(current, lang=lang)
                unit.xmlelement.set("state", STATES.get(state, "initial"))
            for category, text in (("record", rec.id), ("field", fld.name), ("file", rec.file.rel),
                                   ("source-version", str(rec.version)), ("instructions", INSTRUCTIONS)):  # fmt: skip
                unit.addnote(text, origin=category)
            _to_unit_level(unit)
    return bytes(store)


def _to_unit_level(unit: Xliff2Unit) -> None:
    """Move notes and xml:space from the segment to the unit, where XLIFF 2.0 has them."""
    segment = unit.xmlelement
    element = unit.getunitelement()
    notes = segment.find(f"{{{NS}}}notes")
    if notes is not None:
        segment.remove(notes)
        element.insert(0, notes)
    if segment.get(XML_SPACE) is not None:
        del segment.attrib[XML_SPACE]
        element.set(XML_SPACE, "preserve")
        for child in (segment.find(f"{{{NS}}}source"), segment.find(f"{{{NS}}}target")):
            if child is not None:
                child.set(XML_SPACE, "preserve")


def _unit_notes(unit: Xliff2Unit) -> dict[str, str]:
    found: dict[str, str] = {}
    for holder in (unit.getunitelement(), unit.xmlelement):
        notes = holder.find(f"{{{NS}}}notes")
        if notes is None:
            continue
        for note in notes.iterchildren(f"{{{NS}}}note"):
            found.setdefault(str(note.get("category") or ""), str(note.text or ""))
    return found


# ------------------------------------------------------------------------------------------ import


@dataclass
class Imported:
    """What an import changed."""

    lang: str
    units: int = 0  # units carrying a translation
    changed: list[str] = field(default_factory=list)  # record ids whose texts or status changed
    files: list[Path] = field(default_factory=list)


def read(path: Path) -> Xliff2File:
    """Parse an XLIFF 2.0 file; anything else is one error naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_XLIFF_BYTES:
            raise InputFileError(f"{path}: the file is {size:,} bytes; the limit is {MAX_XLIFF_BYTES:,} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    if b"<!ENTITY" in raw or b"<!DOCTYPE" in raw:
        raise InputFileError(f"{path}: the file declares a DOCTYPE or entities, which an XLIFF file never needs; refused")
    try:
        store: Xliff2File = Xliff2File.parsestring(raw)
    except Exception as exc:  # lxml's syntax errors, translate-toolkit's version checks, a wrong root element
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputFileError(f"{path}: not an XLIFF 2.0 file ({reason})") from None
    return store


def import_file(project: Project, resolved: dict[str, ResolvedProfile], path: Path,
                mark: Literal["draft", "reviewed"] = "draft") -> Imported:  # fmt: skip
    """Write the translations of an XLIFF 2.0 file into the YAML files, marked ``mark`` (draft: a translator's
    file; reviewed: a reviewer's, who has checked every unit it carries) with their source version."""
    store = read(path)
    lang = str(store.gettargetlanguage() or "")
    if not LANG_RE.match(lang) or base(lang) == "en":
        raise InputFileError(f"{path}: trgLang {lang!r} is not the code of a translation language (e.g. 'fr')")
    fields = {f.unit_id: (rec, f) for rec in records(project) for f in rec.fields}
    terms = frozenset(all_names(project.glossary.terms))
    problems = Collector(project.root)
    result = Imported(lang)
    accepted: dict[str, tuple[Record, int, list[tuple[TextField, str]]]] = {}
    for unit in store.units:
        uid = str(unit.getid() or "")
        target = unit.target
        if target is None or str(target) == "":
            continue
        target = str(target)
        result.units += 1
        if uid not in fields:
            problems.error(path, 0, uid, "no text of the library has this unit id (was the file exported from another library?)")
            continue
        rec, fld = fields[uid]
        message = _unit_problem(unit, rec, fld, target, terms)
        if message:
            problems.error(path, 0, uid, message)
            continue
        version = int(_unit_notes(unit)["source-version"])
        _rec, seen, items = accepted.setdefault(rec.id, (rec, version, []))
        if version != seen:
            problems.error(path, 0, uid, f"source version {version} differs from that of another field of {rec.id} ({seen})")
            continue
        items.append((fld, target))
    problems.raise_if_errors()
    edits: dict[Path, list[tuple[str, tuple[Any, ...], str, Any]]] = {}
    for rec, version, items in accepted.values():
        changes: list[tuple[str, tuple[Any, ...], str, Any]] = [
            ("text", fld.loc, lang, target) for fld, target in items if fld.text.get(lang) != target
        ]
        recorded = entry(rec.model, lang)
        if not changes and recorded is not None and recorded.version == version and mark in ("draft", recorded.status):
            continue  # nothing new (a translator's file never downgrades an unchanged reviewed translation)
        changes.append(("status", rec.loc, lang, {"version": version, "status": mark}))
        edits.setdefault(rec.file.path, []).extend(changes)
        result.changed.append(rec.id)
    try:
        result.files = apply(edits)
    except EditError as exc:
        raise InputFileError(f"{path}: {exc}; nothing was written") from None
    return result


def _unit_problem(unit: Xliff2Unit, rec: Record, fld: TextField, target: str, terms: frozenset[str]) -> str | None:
    notes = _unit_notes(unit)
    raw_version = notes.get("source-version", "")
    if not raw_version.isdigit() or not 1 <= int(raw_version) <= rec.version:
        return f"the source-version note must be a version of {rec.id} from 1 to {rec.version}, not {raw_version!r}"
    if int(raw_version) == rec.version and str(unit.source) != fld.text["en"]:
        return f"the source text differs from the English of {rec.id} v{rec.version}: export the file again"
    char = _CONTROL.search(target)
    if char:
        return f"the translation contains the control character U+{ord(char.group()):04X}"
    if expressions(target, terms) != expressions(fld.text["en"], terms):
        missing = sorted((expressions(fld.text["en"], terms) - expressions(target, terms)).elements())
        extra = sorted((expressions(target, terms) - expressions(fld.text["en"], terms)).elements())
        said = "; ".join(filter(None, [f"missing {', '.join(missing)}" if missing else "",
                                       f"not in the source {', '.join(extra)}" if extra else ""]))  # fmt: skip
        return f"the translation must keep the source's {{{{ }}}} and {{% %}} expressions unchanged ({said})"
    try:
        check_syntax(target)
    except TextError as exc:
        return f"the translation is not a valid text: {exc.message}"
    return None
