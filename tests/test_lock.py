"""constraints.txt: exact pins of everything `pip install ".[test]"` installs, refreshed by tools/lock.py."""

from __future__ import annotations

import re
import runpy
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parent.parent
LOCK = runpy.run_path(str(REPO / "tools" / "lock.py"), run_name="lock")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    lines = (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
    found = {}
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!_-]+", line), f"not an exact pin: {line!r}"
        name, version = line.split("==")
        found[_norm(name)] = version
    return found


def test_every_line_is_an_exact_pin_sorted_with_the_header() -> None:
    text = (REPO / "constraints.txt").read_text(encoding="utf-8")
    assert text.startswith(LOCK["HEADER"])
    names = list(pins())
    assert names == sorted(names)
    assert "tenderpack" not in names


def test_pyyaml_is_pinned_to_the_version_pip_installs_today() -> None:
    assert pins()["pyyaml"] == "6.0.4"


def test_every_declared_dependency_is_pinned() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = pins()
    for spec in declared:
        req = Requirement(spec)
        assert _norm(req.name) in locked, req.name
        assert req.specifier.contains(locked[_norm(req.name)], prereleases=True), (spec, locked[_norm(req.name)])


def test_transitive_dependencies_installed_here_are_pinned_too() -> None:
    """Walk the installed packages' own requirements from pyproject.toml down: each one is in the lock."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(s) for s in (*project["dependencies"], *project["optional-dependencies"]["test"])]
    seen: set[str] = set()
    locked = pins()
    while todo:
        req = todo.pop()
        name = _norm(req.name)
        if name in seen:
            continue
        seen.add(name)
        assert name in locked, f"{req.name} is installed by .[test] but not pinned in constraints.txt"
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue  # not installed in this environment: its own requirements cannot be read here
        for sub in dist.requires or []:
            child = Requirement(sub)
            if child.marker is None or any(child.marker.evaluate({"extra": e}) for e in ("", *req.extras)):
                todo.append(child)
    assert {"pyyaml", "pydantic", "pydantic-core", "jinja2", "markupsafe", "lxml", "pytest"} <= seen


def test_lock_writes_freeze_minus_tenderpack_sorted_under_the_header() -> None:
    frozen = "zipp==3.0\ntenderpack @ file:///tmp/src\nPyYAML==6.0.4\nannotated-types==0.8.0\n"
    assert LOCK["constraints_from_freeze"](frozen) == LOCK["HEADER"] + "annotated-types==0.8.0\nPyYAML==6.0.4\nzipp==3.0\n"
