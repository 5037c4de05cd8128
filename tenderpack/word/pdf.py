"""PDF editions through LibreOffice (driven over UNO so that the TOC and page numbers are updated)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import TenderpackError

SCRIPT = Path(__file__).with_name("lo_convert.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def libreoffice_problem() -> str | None:
    """Why PDFs cannot be made here, or None when LibreOffice and its Python bridge are present."""
    if shutil.which("soffice") is None:
        return "LibreOffice is not installed (no 'soffice' on PATH); install it, e.g. apt-get install libreoffice-writer-nogui python3-uno"
    python = shutil.which("python3", path="/usr/bin") or SYSTEM_PYTHON
    probe = subprocess.run([python, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "LibreOffice's Python bridge is missing; install it, e.g. apt-get install python3-uno"
    return None


def convert(pairs: list[tuple[Path, Path]], timeout: float = 600) -> None:
    """Convert each (docx, pdf) pair; PDFs are written next to a temporary name and moved into place."""
    problem = libreoffice_problem()
    if problem:
        raise TenderpackError(f"--pdf: {problem}")
    if not pairs:
        return
    with tempfile.TemporaryDirectory(prefix="tenderpack-lo-") as tmp:
        args: list[str] = []
        staged = []
        for i, (src, dst) in enumerate(pairs):
            tmp_pdf = Path(tmp) / f"{i:05d}.pdf"
            args += [str(src), str(tmp_pdf)]
            staged.append((tmp_pdf, dst))
        pipe = f"tenderpack_{os.getpid()}"
        result = subprocess.run(
            [SYSTEM_PYTHON, str(SCRIPT), str(Path(tmp) / "profile"), pipe, *args],
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if result.returncode != 0:
            raise TenderpackError(f"LibreOffice could not convert the documents: {result.stderr.strip()[-500:]}")
        for tmp_pdf, dst in staged:
            if not tmp_pdf.exists():
                raise TenderpackError(f"LibreOffice wrote no PDF for {dst.name}")
            os.replace(tmp_pdf, dst)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
