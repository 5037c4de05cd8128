"""First-page pictures of the documents (PNG), where LibreOffice and poppler's pdftoppm are installed.

Each document is converted to PDF by LibreOffice (``tenderpack.word.pdf``, several instances side by side)
and its first page drawn by ``pdftoppm`` at a small size. A picture depends only on the document's bytes,
so it is kept under the document's sha256 in a cache folder when one is given (``tenderpack serve`` keeps
one across rebuilds). Without LibreOffice or pdftoppm no picture is made and the pages say so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import TenderpackError
from .documents import Documents

RESOLUTION = 24  # dots per inch: an A4 page becomes about 200 × 280 pixels, a few kilobytes


def unavailable() -> str | None:
    """Why previews cannot be made here, or None."""
    from ..word.pdf import libreoffice_problem

    problem = libreoffice_problem()
    if problem:
        return problem
    if shutil.which("pdftoppm") is None:
        return "poppler's pdftoppm is not installed (apt-get install poppler-utils)"
    return None


def make(docs: Documents, jobs: int, cache: Path | None = None) -> dict[str, bytes]:
    """PNG bytes of the first page of every .docx, by sha256 (documents with equal bytes share one)."""
    from ..word.pdf import convert

    wanted = sorted({d.sha256: d.path for d in docs.documents if d.path.endswith(".docx")}.items())
    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="tenderpack-previews-") as tmp:
        work = Path(tmp)
        pairs = []
        for sha, rel in wanted:
            cached = cache / f"{sha}.png" if cache is not None else None
            if cached is not None and cached.is_file():
                out[sha] = cached.read_bytes()
                continue
            src = work / f"{sha}.docx"
            src.write_bytes(docs.read(rel))
            pairs.append((src, work / f"{sha}.pdf"))
        convert(pairs, jobs=jobs)
        for _, pdf in pairs:
            prefix = work / pdf.stem
            proc = subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-f", "1", "-l", "1", "-singlefile", "-png",
                                   str(pdf), str(prefix)], capture_output=True, text=True)  # fmt: skip
            if proc.returncode != 0:
                raise TenderpackError(f"pdftoppm could not draw a preview: {proc.stderr.strip()[-300:]}")
            data = prefix.with_suffix(".png").read_bytes()
            out[pdf.stem] = data
            if cache is not None:
                cache.mkdir(parents=True, exist_ok=True)
                (cache / f"{pdf.stem}.png").write_bytes(data)
    return out
