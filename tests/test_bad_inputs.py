"""The bad-input catalogue: every folder of tests/bad_inputs/ is a broken project and its exact messages.

Each case is the seed fixture with the case's files laid over it (see tests/bad_inputs/README.md). A build
of it must exit 1, print exactly ``expected.txt`` on stderr, show no traceback and leave a previous good
build in ``output/`` byte for byte as it was. ``pytest --regen-bad-inputs`` rewrites the expectations from
what the build prints now (read the diff before committing it).
"""

from __future__ import annotations

import os
import re
import runpy
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_project, snapshot

from tenderpack.cli import main

CATALOGUE = Path(__file__).resolve().parent / "bad_inputs"
CONTROL_FILES = {"expected.txt", "remove.txt", "args.txt", "make.py"}
CASES = sorted(d.name for d in CATALOGUE.iterdir() if (d / "expected.txt").is_file())


class Kit:
    """What a case's make.py may do to the project (for what git does not keep well, or edits of seed files)."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    def replace(self, rel: str, old: str, new: str) -> None:
        """Replace one occurrence of ``old`` in a seed file (it must be there: the case fails loudly if the seed moved)."""
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{rel} no longer holds {old!r}: update the case"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def template(self, kind: str, part: str, old: str, new: str) -> None:
        """Replace ``old`` in one part of templates/KIND.docx (``part`` is a zip member name)."""
        path = self.root / "templates" / f"{kind}.docx"
        with zipfile.ZipFile(path) as z:
            members = [(info, z.read(info)) for info in z.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in members:
                if info.filename == part:
                    text = data.decode("utf-8")
                    assert old in text, f"{kind}.docx {part} no longer holds {old!r}: update the case"
                    data = text.replace(old, new, 1).encode("utf-8")
                z.writestr(info, data)

    def symlink(self, rel: str, target: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
        os.symlink(target, path)


def build_case(case: str, dest: Path, previous_output: Path) -> Path:
    """The seed project, the previous build in output/, then the case laid over it."""
    folder = CATALOGUE / case
    root = make_project(dest)
    shutil.copytree(previous_output, root / "output")
    remove = folder / "remove.txt"
    for rel in remove.read_text(encoding="utf-8").split() if remove.is_file() else []:
        (root / rel).unlink()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in CONTROL_FILES and "__pycache__" not in rel:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    if (folder / "make.py").is_file():
        runpy.run_path(str(folder / "make.py"))["make"](Kit(root))
    return root


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path, built_seed: Path, request: pytest.FixtureRequest) -> None:
    folder = CATALOGUE / case
    root = build_case(case, tmp_path / "project", built_seed / "output")
    before = snapshot(root / "output")
    args_file = folder / "args.txt"
    args = args_file.read_text(encoding="utf-8").split() if args_file.is_file() else []
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--jobs", "1", *args])
    if request.config.getoption("--regen-bad-inputs"):
        (folder / "expected.txt").write_text(result.stderr.replace(str(root), "{root}"), encoding="utf-8")
    expected = (folder / "expected.txt").read_text(encoding="utf-8").replace("{root}", str(root))
    assert "Traceback" not in result.output, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.stdout == ""
    assert result.stderr == expected
    assert result.exit_code == 1
    assert snapshot(root / "output") == before, "a failed build changed output/"


def test_catalogue_is_large_enough_and_well_formed() -> None:
    assert len(CASES) >= 50
    for case in CASES:
        lines = (CATALOGUE / case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines and all(line.startswith(("Error: ", "Warning: ")) for line in lines), case
        if len(lines) > 1:
            assert re.fullmatch(r"Error: \d+ problems? found; nothing was written\.", lines[-1]), case
