"""Writing into the output folder: a staging folder per build, documents moved into place with
``os.replace`` (atomic on one file system), and the repair of what a killed build left behind.

A staging folder is named ``.tenderpack-staging-PID-RANDOM`` (the pid of the build that owns it) and
holds a ``.lock`` file that its build keeps locked (``flock``) while it runs. Every build, also one with
nothing to render, first removes the staging folders whose owner is gone: the lock is free (the kernel
drops it when a process dies, even by ``kill -9``), or, where there is no lock file, no process has the
pid. A live concurrent build's folder is never removed.
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

try:
    import fcntl
except ImportError:  # not on POSIX: the pid alone tells whether a staging folder's build is running
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".tenderpack-staging-"


LOCK = ".lock"
_held: dict[Path, int] = {}  # staging folder → the descriptor holding its lock


def make_staging(out: Path) -> Path:
    """A new staging folder inside ``out``, named after this process and locked until ``remove_staging``."""
    folder = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    if fcntl is not None:
        fd = os.open(folder / LOCK, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _held[folder] = fd
    return folder


def remove_staging(folder: Path) -> None:
    """Remove this build's staging folder (and release its lock)."""
    shutil.rmtree(folder, ignore_errors=True)
    fd = _held.pop(folder, None)
    if fd is not None:
        os.close(fd)


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the staging folders of builds that are no longer running; return them."""
    removed = []
    for folder in sorted(out.glob(STAGING_PREFIX + "*")):
        if folder.is_dir() and not folder.is_symlink() and folder not in _held and _owner_gone(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _owner_gone(folder: Path) -> bool:
    if fcntl is not None:
        try:
            fd = os.open(folder / LOCK, os.O_RDWR)
        except FileNotFoundError:
            pass  # no lock yet (its build is starting) or none at all (an older tenderpack): ask for the pid
        except OSError:
            return False
        else:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # locked: its build is running
            finally:
                os.close(fd)
            return True
    pid = folder.name[len(STAGING_PREFIX) :].split("-")[0]
    return pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))


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
