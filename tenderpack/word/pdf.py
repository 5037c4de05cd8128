"""PDF editions through LibreOffice (driven over UNO so that the TOC and page numbers are updated).

Several LibreOffice instances convert side by side (``jobs``), each with its own user profile folder and
pipe name, taking the next document from one shared queue. PDFs are not byte-reproducible: LibreOffice
writes the conversion time and a random document id into each.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
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


def convert(pairs: list[tuple[Path, Path]], timeout: float = 600, jobs: int = 1,
            progress: Callable[[int, int], None] | None = None) -> None:  # fmt: skip
    """Convert each (docx, pdf) pair in up to ``jobs`` LibreOffice instances; ``timeout`` is per document.

    Each PDF is written under a temporary name and moved into place; on any failure no PDF of this call is
    left behind and TenderpackError names the first document that failed."""
    problem = libreoffice_problem()
    if problem:
        raise TenderpackError(f"--pdf: {problem}")
    if not pairs:
        return
    with tempfile.TemporaryDirectory(prefix="tenderpack-lo-") as tmp:
        todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for i in range(len(pairs)):
            todo.put(i)
        staged = [Path(tmp) / f"{i:06d}.pdf" for i in range(len(pairs))]
        lock = threading.Lock()
        state = {"done": 0}
        errors: list[tuple[int, str]] = []
        if progress:
            progress(0, len(pairs))

        def instance(n: int) -> None:
            proc = subprocess.Popen(
                [SYSTEM_PYTHON, str(SCRIPT), str(Path(tmp) / f"profile-{n}"), f"tenderpack_{os.getpid()}_{n}"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert proc.stdin is not None and proc.stdout is not None
            try:
                while not errors:
                    try:
                        i = todo.get_nowait()
                    except queue.Empty:
                        break
                    watchdog = threading.Timer(timeout, proc.kill)
                    watchdog.start()
                    try:
                        proc.stdin.write(json.dumps([str(pairs[i][0]), str(staged[i])]) + "\n")
                        proc.stdin.flush()
                        line = proc.stdout.readline()
                    except OSError:
                        line = ""
                    finally:
                        watchdog.cancel()
                    try:
                        answer = json.loads(line) if line.strip() else {}
                    except ValueError:
                        answer = {"error": line.strip()[:500]}
                    if "ok" not in answer or not staged[i].is_file():
                        reason = answer.get("error") or _stderr_tail(proc) or "LibreOffice stopped"
                        with lock:
                            errors.append((i, reason))
                        return
                    with lock:
                        state["done"] += 1
                        if progress:
                            progress(state["done"], len(pairs))
            finally:
                if proc.stdin and not proc.stdin.closed:
                    with contextlib.suppress(OSError):
                        proc.stdin.close()
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

        threads = [threading.Thread(target=instance, args=(n,), daemon=True) for n in range(max(1, min(jobs, len(pairs))))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            i, reason = min(errors)
            raise TenderpackError(f"LibreOffice could not convert {pairs[i][1].name}: {reason.strip()[-500:]}")
        for src, (_, dst) in zip(staged, pairs, strict=True):
            os.replace(src, dst)


def _stderr_tail(proc: subprocess.Popen[str]) -> str:
    if proc.poll() is None:
        proc.kill()
    try:
        _, err = proc.communicate(timeout=5)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        return ""
    return (err or "").strip()[-500:]
