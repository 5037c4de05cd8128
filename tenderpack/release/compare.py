"""``diff`` and ``redline``: compare two packs, or two documents."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputFileError
from ..word.redline import RedlineResult, redline_docx
from .changes import Changes, compare
from .pack import _write
from .packdata import MAX_DOCX_BYTES, read_pack


def diff(old: Path, new: Path) -> Changes:
    """Compare two release packs."""
    return compare(read_pack(old), read_pack(new))



# ------------------------------------------------------------------------------------------ redline


def redline(old: Path, new: Path, out: Path) -> RedlineResult:
    """Write ``out``: NEW with every difference from OLD as a tracked change (any two tenderpack documents)."""
    data = []
    for path in (old, new):
        try:
            if path.stat().st_size > MAX_DOCX_BYTES:
                raise InputFileError(f"{path} is larger than {MAX_DOCX_BYTES:,} bytes")
            data.append(path.read_bytes())
        except OSError as exc:
            raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    result = redline_docx(data[0], data[1], old_label=str(old), new_label=str(new))
    _write(out, result.data)
    return result
