"""Start-up: the command line and a build with nothing to do never load the heavy libraries.

Structural, not timed (``bench/run.py`` measures the times): each check runs a fresh interpreter and looks
at ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

HEAVY = ("docxtpl", "lxml", "docx", "pydantic", "yaml", "jinja2", "markdown_it", "multiprocessing")


def loaded_after(code: str) -> list[str]:
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    assert loaded_after("import tenderpack.cli") == []


def test_help_loads_no_heavy_library() -> None:
    code = "from tenderpack.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert loaded_after(code) == []


def test_a_build_with_nothing_to_do_loads_no_heavy_library(built_seed: Path, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "project"
    shutil.copytree(built_seed, root)
    code = (
        "from tenderpack.cli import main\n"
        f"try:\n    main(['build', '--project', {str(root)!r}])\nexcept SystemExit as exc:\n    assert not exc.code, exc.code"
    )
    first = loaded_after(code)  # the copy's first build may repair what the copy changed; the next has nothing to do
    assert loaded_after(code) == [], first


def test_the_check_can_fail() -> None:
    assert loaded_after("import tenderpack.word.render") != []
