"""Crash safety and disk problems: a build that is killed, interrupted or cannot write leaves output/ usable.

- SIGKILL part-way: every document under output/ is complete and either its old or its new version; the
  next build repairs the pack (and removes what the killed build left behind);
- Ctrl-C (SIGINT to the whole process group, as a terminal sends it): exit 130, one short line, output/ as it was;
- a read-only or full output folder: a clear ``Error: cannot write to ...``, exit 1, no traceback.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, snapshot

from tenderpack import pipeline, workers

STAGING = pipeline.STAGING_PREFIX
INTERRUPTED = "Interrupted: stopped before finishing; the output folder was left as it was.\n"


def documents(out: Path) -> dict[str, bytes]:
    """Every document of the pack (what is not inside a staging folder)."""
    return {k: v for k, v in snapshot(out).items() if k.endswith(".docx") and not k.startswith(STAGING)}


def new_release(root: Path) -> None:
    """Change an input that every document shows (the pack version in each header)."""
    path = root / "clauses" / "library.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('version: "2026.11"', 'version: "2026.12"'), encoding="utf-8")


def start_build(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--project", str(root), "--jobs", "2", *args],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a signal reaches it and its workers, as from a terminal
        # a runner started in the background (``cmd &``) ignores SIGINT, and children inherit that: give the build
        # the terminal's default, as a user pressing Ctrl-C has it
        preexec_fn=_default_sigint,
    )  # fmt: skip


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], timeout: float = 60) -> bool:
    """Poll until ``condition`` holds; False if the build ended first."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    raise AssertionError("the build neither progressed nor ended")


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def staged(out: Path) -> int:
    return sum(1 for folder in out.glob(STAGING + "*") for _ in folder.glob("*.docx"))


@pytest.fixture(scope="module")
def new_documents(built_seed: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """What a build gives once the inputs changed (built once for this module)."""
    root = tmp_path_factory.mktemp("reference") / "project"
    shutil.copytree(built_seed, root)
    new_release(root)
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--project", str(root)],
                   cwd=REPO, check=True, capture_output=True)  # fmt: skip
    return documents(root / "output")


@pytest.fixture
def two_versions(built_seed: Path, new_documents: dict[str, bytes],
                 tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:  # fmt: skip
    """A project whose output/ holds the old build and whose inputs changed; the old and the new bytes."""
    root = tmp_path / "project"
    shutil.copytree(built_seed, root)
    old = documents(root / "output")
    new_release(root)
    assert old.keys() == new_documents.keys() and all(old[k] != new_documents[k] for k in old)
    return root, old, new_documents


def assert_complete_old_or_new(out: Path, old: dict[str, bytes], new: dict[str, bytes]) -> None:
    now = documents(out)
    assert now.keys() == old.keys()
    for path, data in now.items():
        assert data in (old[path], new[path]), f"{path} is neither the old nor the new document"
        with zipfile.ZipFile(out / path) as z:
            assert z.testzip() is None
    json.loads((out / "manifest.json").read_text(encoding="utf-8"))  # whole, old or new


@pytest.mark.parametrize("moment", ["rendering", "committing"])
def test_a_build_killed_part_way_leaves_whole_documents_and_the_next_build_repairs(
    two_versions: tuple[Path, dict[str, bytes], dict[str, bytes]], moment: str
) -> None:
    root, old, new = two_versions
    out = root / "output"
    proc = start_build(root)
    if moment == "rendering":
        progressed = wait_for(lambda: staged(out) >= 3, proc)
    else:  # as soon as the first document has moved into place
        progressed = wait_for(lambda: any(_read(out / k) not in (None, old[k]) for k in old), proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert progressed or proc.returncode == 0  # killed part-way, or (a fast machine) already done
    assert_complete_old_or_new(out, old, new)

    repair = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--project", str(root)],
                            cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert repair.returncode == 0, repair.stderr
    assert documents(out) == new
    assert not list(out.glob(STAGING + "*")), "the killed build's staging folder was not removed"
    for d in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]:
        assert hashlib.sha256((out / d["path"]).read_bytes()).hexdigest() == d["sha256"]


def test_ctrl_c_stops_cleanly_with_exit_130_and_changes_nothing(
    two_versions: tuple[Path, dict[str, bytes], dict[str, bytes]],
) -> None:
    root, _, _ = two_versions
    out = root / "output"
    before = snapshot(out)
    proc = start_build(root)
    assert wait_for(lambda: staged(out) >= 2, proc), "the build ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert (proc.returncode, stdout, stderr) == (130, "", INTERRUPTED)
    assert snapshot(out) == before


# ------------------------------------------------------------------------------------------ disk problems


def test_an_output_folder_that_cannot_exist(project: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    result = cli("build", "--project", project, "--out", blocker / "out", expect=1)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: cannot write to {blocker / 'out'}: Not a directory\n"


@pytest.mark.parametrize(("where", "code"), [("replace", errno.EROFS), ("write", errno.ENOSPC)])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_read_only_or_full_output_folder(project: Path, cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                           where: str, code: int, jobs: str) -> None:  # fmt: skip
    """A read-only file system refuses the move into place; a full disk refuses a write (in a worker with -j 2:
    the workers are forked after the patch). Tests run as root, where chmod cannot make a folder read-only."""
    cli("build", "--project", project, "--kind", "annex", expect=0)
    out = project / "output"
    before = snapshot(out)
    (project / "profiles" / "itu.yaml").write_text(
        (project / "profiles" / "itu.yaml").read_text(encoding="utf-8").replace("Ministry of Digital Affairs", "Ministry of Circular Affairs"),
        encoding="utf-8",
    )  # fmt: skip

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    if where == "replace":
        monkeypatch.setattr(pipeline.os, "replace", refuse)
    else:
        real_open = open
        monkeypatch.setattr(workers, "open", lambda f, mode="r", *a, **k: refuse() if "w" in mode else real_open(f, mode, *a, **k), raising=False)
    result = cli("build", "--project", project, "--kind", "annex", "--jobs", jobs, expect=1)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: cannot write to {out}: {os.strerror(code)}\n"
    monkeypatch.undo()
    assert snapshot(out) == before


# ------------------------------------------------------------------------------------------ leftovers


def test_a_build_after_kill_9_removes_the_dead_builds_staging_folder_even_with_nothing_to_render(
    built_seed: Path, tmp_path: Path
) -> None:
    """A ``--force`` build killed while rendering leaves the inputs as the manifest recorded them: the next
    build has nothing to render, and must still remove the dead build's staging folder."""
    root = tmp_path / "project"
    shutil.copytree(built_seed, root)
    out = root / "output"
    before = documents(out)
    proc = start_build(root, "--force")
    progressed = wait_for(lambda: staged(out) >= 3, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    if progressed:
        assert list(out.glob(STAGING + "*")), "the killed build left no staging folder to repair"
    again = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--project", str(root)],
                           cwd=REPO, capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert not list(out.glob(STAGING + "*")), "the killed build's staging folder was not removed"
    assert documents(out) == before


def test_a_live_builds_staging_folder_is_never_removed(built_seed: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Another build still running (here: a process holding a staging folder, as a build does) keeps its
    folder; a folder whose process died is removed, with or without a lock file (an older tenderpack's)."""
    root = tmp_path / "project"
    shutil.copytree(built_seed, root)
    out = root / "output"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from tenderpack import staging; "
         "print(staging.make_staging(Path(sys.argv[1])), flush=True); time.sleep(120)", str(out)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        live = Path(holder.stdout.readline().strip())
        (live / "000001.docx").write_bytes(b"being written")
        dead_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                                  text=True, check=True).stdout.strip()  # fmt: skip
        dead_locked = out / f"{STAGING}{dead_pid}-abc"
        dead_old = out / f"{STAGING}{dead_pid}-def"  # an older tenderpack's: no lock file, the pid decides
        for folder in (dead_locked, dead_old):
            folder.mkdir()
            (folder / "000001.docx").write_bytes(b"orphan")
        (dead_locked / ".lock").touch()
        result = cli("build", "--project", root, expect=0)
        assert result.exit_code == 0, result.output
        assert live.is_dir() and (live / "000001.docx").is_file(), "a live build's staging folder was removed"
        assert not dead_locked.exists() and not dead_old.exists()
    finally:
        holder.kill()
        holder.wait()
