"""Writing into the output folder: a staging folder per build, documents moved into place with
``os.replace`` (atomic on one file system), and the repair of what a killed build left behind.

A staging folder is named ``.tenderpack-staging-PID-RANDOM``: the pid of the build that owns it. A later
build removes the folders whose owner is no longer running (a killed build's), never a live build's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".tenderpack-staging-"


def make_staging(out: Path) -> Path:
    """A new staging folder inside ``out``, named after this process."""
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders left by builds that were killed (their process is gone); return them."""
    removed = []
    for folder in sorted(out.glob(STAGING_PREFIX + "*")):
        pid = folder.name[len(STAGING_PREFIX) :].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no cheap test: leave the folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Ctrl-C is ignored while documents move into place: a build stops before its commit, or not at all."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def move_into_place(staged: str, out: Path, path: str) -> None:
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def remove_output(out: Path, path: str) -> bool:
    """Remove ``out/path`` if it is a file, and the folders it leaves empty; whether it was there."""
    target = out / path
    if not target.is_file():
        return False
    target.unlink()
    prune_empty_dirs(target.parent, out)
    return True


def prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
