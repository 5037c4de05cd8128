"""House rules that tools can check: lint, types, generated docs, the README's promises."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tenderpack.cli import main

REPO = Path(__file__).resolve().parent.parent


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed (pip install '.[test]')")
def test_ruff_is_clean() -> None:
    targets = [t for t in ("tenderpack", "tests", "tools", "bench", "build.py") if (REPO / t).exists()]
    result = run("ruff", "check", *targets)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("mypy") is None, reason="mypy is not installed (pip install '.[test]')")
def test_mypy_is_clean() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_docs_are_up_to_date() -> None:
    result = run(sys.executable, "tools/gen_docs.py", "--check")
    assert result.returncode == 0, result.stdout


def test_readme_quick_start_has_exactly_two_commands() -> None:
    readme = (REPO / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S)
    assert block
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].startswith("pip install -c constraints.txt . && python build.py")
    assert commands[1].startswith('pip install -c constraints.txt ".[test]" && python -m pytest')
    ci = (REPO / ".ci" / "run").read_text()
    assert 'pip install -q -c constraints.txt ".[test]" && python -m pytest' in ci  # the same command, quieter


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    for name, command in main.commands.items():
        assert f"tenderpack {name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert f"tenderpack {name} {sub}" in readme, f"{name} {sub}"


def test_nothing_names_the_workplace() -> None:
    tracked = run("git", "ls-files").stdout.split()
    for rel in tracked:
        path = REPO / rel
        if path.suffix in {".docx", ".png", ".zip"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in ("/" + "work/", "bash_" + "jobs"):  # spelled apart so this file passes its own test
            assert marker not in text, (rel, marker)
