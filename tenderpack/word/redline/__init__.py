"""Native Word tracked changes between two tenderpack documents.

The result starts from the NEW document's package (styles, numbering, headers, properties) and
replaces its body with a merge of both bodies in which every difference is a revision that a reviewer
can accept or reject in Word: ``w:ins`` / ``w:del`` around runs, ``w:ins`` / ``w:del`` on paragraph
marks (``pPr/rPr``) and table rows (``trPr``) for whole paragraphs and rows, ``w:pPrChange`` for a
changed paragraph style, and ``w:moveFrom`` / ``w:moveTo`` for a clause that moved. Accepting every
revision gives the new text; rejecting every revision gives the old text.

The comparison uses the structure tenderpack writes:

1. the body is cut into clauses (a ``Heading2`` paragraph carrying a ``clause-…`` or ``q-…`` bookmark,
   up to the next ``Heading1``/``Heading2``) and single paragraphs and tables in between;
2. these units are aligned with :class:`difflib.SequenceMatcher`; clauses align by their anchor, so an
   added, removed or moved clause shows as a whole inserted, deleted or moved clause;
3. inside aligned clauses, paragraphs and table rows are aligned the same way (by text, then by
   similarity), and inside aligned paragraphs words, punctuation marks and spaces are compared (difflib), keeping
   each run's formatting.

Author, date and revision ids are fixed (author ``tenderpack``, the given date, ids counted from one
past the highest bookmark id), and the package is normalised, so the same inputs give the same bytes.
Input files are treated as untrusted: size limits, no external entities, no network.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from ...errors import InputFileError
from ..render import normalize_docx
from .base import AUTHOR, RedlineResult, W
from .differ import Differ
from .package import parse_part, provenance, read_package, revision_date

__all__ = ["AUTHOR", "RedlineResult", "document_provenance", "redline_docx"]


def redline_docx(old: bytes, new: bytes, *, date: str | None = None, old_label: str = "old document",
                 new_label: str = "new document") -> RedlineResult:  # fmt: skip
    """Compare two tenderpack documents; return NEW with every difference from OLD as a tracked change.

    ``date`` (``YYYY-MM-DDTHH:MM:SSZ``) defaults to the new document's version date.
    """
    old_parts = read_package(old, old_label)
    new_parts = read_package(new, new_label)
    for label, parts in ((old_label, old_parts), (new_label, new_parts)):
        if provenance(parts, label) is None:
            raise InputFileError(f"{label} is not a tenderpack document (it has no tenderpack provenance part)")
    when = date or revision_date(new_parts, new_label)
    old_root = parse_part(old_parts["word/document.xml"], old_label, "word/document.xml")
    new_root = parse_part(new_parts["word/document.xml"], new_label, "word/document.xml")
    old_body, new_body = old_root.find(W + "body"), new_root.find(W + "body")
    if old_body is None or new_body is None:
        raise InputFileError(f"{old_label if old_body is None else new_label} has no document body")
    differ = Differ(when, old_root, new_root)
    differ.diff_body(old_body, new_body)
    result = differ.result
    new_parts["word/document.xml"] = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, blob in new_parts.items():
            zout.writestr(name, blob)
    result.data = normalize_docx(out.getvalue())
    return result


def document_provenance(data: bytes, label: str) -> dict[str, str]:
    """What a tenderpack document says it is (id, profile, category, kind, edition, pack version)."""
    info = provenance(read_package(data, label), label)
    if info is None:
        raise InputFileError(f"{label} is not a tenderpack document (it has no tenderpack provenance part)")
    return info
