"""Third-party libraries stay behind their seams (read with ast, so it cannot be fooled by strings)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tenderpack"
SEAMS = {
    "click": lambda rel: rel == "cli.py",
    "yaml": lambda rel: rel == "loading.py",
    # ruamel.yaml writes translations back into the YAML files (round trip, comments kept): only the writer
    # next to the loader may use it, so that every read for any other purpose still goes through loading.py
    "ruamel": lambda rel: rel == "yamledit.py",
    # translate-toolkit reads and writes XLIFF (it brings lxml with it): only the XLIFF module
    "translate": lambda rel: rel == "xliff.py",
    "docx": lambda rel: rel.startswith("word/"),
    "docxtpl": lambda rel: rel.startswith("word/"),
    # notices/ reads and writes eForms XML: namespaced UBL from buyers' eSenders, parsed with lxml's hardened
    # parser (no DTD, no entities, no network) and written back touching nothing but its fields
    "lxml": lambda rel: rel.startswith(("word/", "notices/")),
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_stay_in_their_layer(path: Path) -> None:
    rel = path.relative_to(PACKAGE).as_posix()
    for module in imports(path):
        if module in SEAMS:
            assert SEAMS[module](rel), f"{rel} imports {module}, which belongs to another layer"


def test_the_check_itself_can_fail() -> None:
    assert "click" in imports(PACKAGE / "cli.py")
    assert not SEAMS["click"]("pipeline.py")
    assert "ruamel" in imports(PACKAGE / "yamledit.py")
    assert not SEAMS["ruamel"]("loading.py") and not SEAMS["translate"]("translations.py")
