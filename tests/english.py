"""Find English prose in a document that should be entirely in another language (tests only).

A paragraph or table cell reads as English where it contains a sentence fragment of the library's English
texts (a run of at least five words between two template expressions, with at least two English function
words: proper nouns and standard names do not qualify), or where it has three or more distinct English
stop words ("the", "shall", "which"...) and none of the document language's own. Identifiers, numbers,
standard names ("EN 50625", "TCO Certified") and proper nouns pass, since they are neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from tenderpack.blocks import Heading, ListItem, Note, Table
from tenderpack.blocks import Paragraph as Para
from tenderpack.documents import Composed
from tenderpack.project import Project
from tenderpack.translations import records

STOP = frozenset({"the", "shall", "and", "of", "with", "which", "must", "will", "where"})
FUNCTION = STOP | frozenset({"a", "an", "to", "in", "is", "are", "for", "that", "by", "on", "be", "or", "its", "as",
                             "any", "each", "this", "from", "at", "not", "it", "has", "have"})  # fmt: skip
OWN = {  # a few function words of each language that English never uses
    "fr": frozenset({"le", "la", "les", "des", "du", "et", "est", "une", "dans", "pour", "qui", "sur", "au", "aux"}),
    "de": frozenset({"der", "die", "das", "und", "ist", "ein", "eine", "mit", "für", "den", "dem", "des", "von", "zu"}),
    "pt": frozenset({"o", "os", "da", "do", "das", "dos", "e", "é", "um", "uma", "para", "com", "que", "no", "na"}),
    "es": frozenset({"el", "los", "las", "del", "y", "es", "un", "una", "para", "con", "que", "en", "por", "se"}),
}
_EXPR = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|„[^“\n]*“')
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.U)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def normalise(text: str) -> str:
    return " ".join(words(text))


def english_fragments(project: Project) -> set[str]:
    """Word runs of the library's English texts that only English prose contains (see the module doc)."""
    found: set[str] = set()
    sources = [fld.text["en"] for rec in records(project, approved_only=False) for fld in rec.fields]
    for source in sources:
        for piece in _EXPR.split(source.replace("**", " ").replace("*", " ")):
            for sentence in re.split(r"[.;:!?()\[\]\n]+", piece):
                ws = words(sentence)
                if len(ws) >= 5 and len({w for w in ws if w in FUNCTION}) >= 2:
                    found.add(" ".join(ws))
    return found


@dataclass(frozen=True)
class Finding:
    where: str  # the document and the part of it
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.why}: {self.text[:160]!r}"


def english_in(texts: Iterable[tuple[str, str]], lang: str, fragments: set[str]) -> Iterator[Finding]:
    """Each (where, text) that reads as English in a document of ``lang``."""
    own = OWN[lang.split("-")[0]]
    for where, text in texts:
        norm = normalise(_QUOTED.sub(" ", text))  # a title in quotes is a name, whatever its language
        if not norm:
            continue
        ws = set(norm.split())
        stop = sorted(ws & STOP)
        if len(stop) >= 3 and not ws & own:
            yield Finding(where, text, f"English stop words ({', '.join(stop)}) and none of '{lang}'")
            continue
        padded = f" {norm} "
        hit = next((f for f in fragments if f" {f} " in padded), None)
        if hit is not None:
            yield Finding(where, text, f"an English sentence of the library ({hit!r})")


def _paragraphs_and_cells(container: DocxDocument | DocxTable, where: str) -> Iterator[tuple[str, str]]:
    items = container.iter_inner_content() if isinstance(container, DocxDocument) else ()
    if isinstance(container, DocxTable):
        for r, row in enumerate(container.rows):
            for c, cell in enumerate(row.cells):
                yield f"{where} cell {r}.{c}", cell.text
                for inner in cell.tables:
                    yield from _paragraphs_and_cells(inner, where + " (nested)")
        return
    for i, item in enumerate(items):
        if isinstance(item, DocxParagraph):
            yield f"{where} paragraph {i}", item.text
        else:
            yield from _paragraphs_and_cells(item, f"{where} table {i}")


def docx_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Every paragraph and table cell of a .docx: body, headers and footers (with the cover page)."""
    doc = Document(str(path))
    yield from _paragraphs_and_cells(doc, path.name)
    for s, section in enumerate(doc.sections):
        for part_name in ("header", "footer", "first_page_header", "first_page_footer"):
            part = getattr(section, part_name)
            if part.is_linked_to_previous and s:
                continue
            for i, p in enumerate(part.paragraphs):
                yield f"{path.name} {part_name} {i}", p.text
            for t, table in enumerate(part.tables):
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        yield f"{path.name} {part_name} table {t} cell {r}.{c}", cell.text


# ------------------------------------------------------------------------------------------ pseudo-translation

FILLER = {"fr": "le", "de": "der", "pt": "o", "es": "el"}
_KEEP = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\[[^\[\]\n]*\]|\d+", re.S)
_LETTERS = re.compile(r"[^\W\d_]+", re.U)


def pseudo(text: str, lang: str) -> str:
    """``text`` with each word replaced by a function word of ``lang``: same expressions, limits, numbers and
    markup, so that a document built from it has the structure of the English and not one English word."""
    filler = FILLER[lang.split("-")[0]]
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(_LETTERS.sub(filler, text[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_LETTERS.sub(filler, text[last:]))
    return "".join(out)


def pseudo_translate(root: Path, lang: str, only: set[str] | None = None) -> int:
    """Give every record of the project at ``root`` (or those named in ``only``) that lacks a current ``lang``
    translation a pseudo-translation, marked draft at its English version (written as ``translations import``
    writes). Returns the number of records changed."""
    from tenderpack.errors import Collector
    from tenderpack.project import load_project
    from tenderpack.translations import in_language, status
    from tenderpack.yamledit import apply

    project = load_project(root, Collector(root))
    edits: dict[Path, list[tuple[str, tuple[str | int, ...], str, object]]] = {}
    changed = 0
    for rec in records(project, approved_only=False):
        if status(rec, lang) in ("draft", "reviewed") or (only is not None and rec.id not in only):
            continue
        changes: list[tuple[str, tuple[str | int, ...], str, object]] = [
            ("text", fld.loc, lang, pseudo(fld.text["en"], lang))
            for fld in rec.fields
            if in_language(fld.text, lang) is None or status(rec, lang) == "stale"
        ]
        changes.append(("status", rec.loc, lang, {"version": rec.version, "status": "draft"}))
        edits.setdefault(rec.file.path, []).extend(changes)
        changed += 1
    apply(edits)
    return changed


# ------------------------------------------------------------------------------------------ composed documents


def composed_texts(doc: Composed) -> Iterator[tuple[str, str]]:
    """Every text a composed document prints: cover, header and footer lines, body blocks, table cells (for a
    bilingual edition, the column of its second language), guidance and fallback boxes."""
    name = doc.spec.id
    ctx = doc.context
    bilingual = isinstance(doc.language, list)  # its cover lines and headings give both languages, 'en / fr'
    for key in ("title", "subtitle") if not bilingual else ():
        yield f"{name} {key}", str(ctx["doc"][key])
    for key, value in ctx["label"].items() if not bilingual else ():
        yield f"{name} label.{key}", str(value)
    for i, block in enumerate(doc.blocks):
        where = f"{name} block {i}"
        if isinstance(block, Table):
            columns = range(len(block.header))
            if bilingual and len(block.header) == 2:
                columns = range(1, 2)  # the side-by-side texts: the second language's column
            elif bilingual:
                continue  # a generated table of the bilingual edition prints the first language
            for r, row in enumerate(block.rows):
                for c in columns:
                    if row[c].control is None:
                        yield f"{where} cell {r}.{c}", row[c].text
            if not bilingual:
                yield f"{where} header", " ".join(block.header)
        elif isinstance(block, Note):
            yield f"{where} note title", block.label
            for j, inner in enumerate(block.blocks):
                yield f"{where} note {j}", inner.text
        elif isinstance(block, Para | ListItem | Heading) and not bilingual:
            yield where, block.text


def fallback_boxes(doc: Composed, titles: set[str]) -> list[str]:
    """Where a composed document shows English in place of a translation: a box, or a marked line."""
    found = []
    for where, text in composed_texts(doc):
        if any(text == t or text.startswith(f"[{t}]") or f"[{t}] " in text for t in titles):
            found.append(f"{where}: {text[:120]!r}")
    return found
