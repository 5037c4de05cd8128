"""``diff`` and ``redline``: compare two packs, or two documents."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputFileError
from ..word.redline import RedlineResult, document_provenance, redline_docx
from .changes import Changes, compare
from .pack import _write
from .packdata import MAX_DOCX_BYTES, read_pack


def diff(old: Path, new: Path) -> Changes:
    """Compare two release packs."""
    return compare(read_pack(old), read_pack(new))



# ------------------------------------------------------------------------------------------ redline


SAME_DOCUMENT = ("profile", "category", "kind")  # what makes two files versions of one document


def redline(old: Path, new: Path, out: Path, *, force: bool = False) -> tuple[RedlineResult, list[str]]:
    """Write ``out``: NEW with every difference from OLD as a tracked change; return it with any warnings.

    OLD and NEW must be two versions of one document (same profile, category and kind; the edition
    may differ). With ``force`` any two tenderpack documents are compared, with a warning.
    """
    data = []
    for path in (old, new):
        try:
            if path.stat().st_size > MAX_DOCX_BYTES:
                raise InputFileError(f"{path} is larger than {MAX_DOCX_BYTES:,} bytes")
            data.append(path.read_bytes())
        except OSError as exc:
            raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    warnings = []
    mismatch = different_documents(document_provenance(data[0], str(old)), document_provenance(data[1], str(new)))
    if mismatch:
        message = f"{old} and {new} are not versions of one document ({mismatch})"
        if not force:
            raise InputFileError(f"{message}; use --force to compare them anyway")
        warnings.append(message)
    result = redline_docx(data[0], data[1], old_label=str(old), new_label=str(new))
    _write(out, result.data)
    return result, warnings


def different_documents(old: dict[str, str], new: dict[str, str]) -> str:
    """How two documents' provenance differs in what makes a document itself; "" when it does not."""
    return ", ".join(
        f"{key} {old.get(key, '?')} / {new.get(key, '?')}" for key in SAME_DOCUMENT if old.get(key) != new.get(key)
    )
