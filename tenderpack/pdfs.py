"""PDFs beside the documents (``build --pdf``): which to convert, and their manifest entries.

A PDF is made for each document the build selects (its filters) whose PDF is missing, damaged, or was
made from other bytes of its .docx; it lies beside its document (``eu/computers/X.pdf`` for
``eu/computers/X.docx``) and is listed on the document's manifest entry::

    "pdf": {"path": "eu/computers/X.pdf", "sha256": "<the PDF's>", "docx_sha256": "<the .docx it was made from>"}

A build without ``--pdf`` keeps the PDFs of documents it did not change and removes those of documents it
changed (they would show the old text). PDFs are not byte-reproducible: LibreOffice writes the time of the
conversion and a random id into each, so two conversions of the same document differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any


def pdf_path(doc_path: str) -> str:
    """The PDF's path beside its document (always derived from the document's path, never read)."""
    return PurePosixPath(doc_path).with_suffix(".pdf").as_posix()


def current(out: Path, entry: dict[str, Any], docx_sha256: str | None = None, *, verify: bool = False) -> bool:
    """Whether ``entry``'s PDF was made from the document's bytes (``docx_sha256``, default: the entry's
    sha256) and is there (``verify``: byte for byte as recorded)."""
    pdf = entry.get("pdf")
    if not isinstance(pdf, dict) or pdf.get("docx_sha256") != (docx_sha256 or entry.get("sha256")):
        return False
    path = out / pdf_path(entry["path"])
    if not verify:
        return path.is_file()
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == pdf.get("sha256")
    except OSError:
        return False


def convert_into(staging: Path, todo: list[tuple[dict[str, Any], Path]], jobs: int,
                 progress: Callable[[int, int], None] | None) -> None:  # fmt: skip
    """Convert each (entry, source .docx) into the staging folder; set the entry's ``pdf`` and ``_pdf_staged``."""
    from .word.pdf import convert

    pairs = [(source, staging / f"pdf-{i:06d}.pdf") for i, (_, source) in enumerate(todo)]
    convert(pairs, jobs=jobs, progress=progress)
    for (entry, _), (_, staged) in zip(todo, pairs, strict=True):
        entry["pdf"] = {
            "path": pdf_path(entry["path"]),
            "sha256": hashlib.sha256(staged.read_bytes()).hexdigest(),
            "docx_sha256": entry["sha256"],
        }
        entry["_pdf_staged"] = str(staged)
