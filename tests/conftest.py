"""Shared fixtures: copies of the seed project, a CLI runner that shows what went wrong."""

from __future__ import annotations

import re
import shutil
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tenderpack.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "fixtures" / "seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden", action="store_true", default=False, help="Rewrite tests/golden/ from the current output."
    )
    parser.addoption(
        "--regen-bad-inputs", action="store_true", default=False,
        help="Rewrite each tests/bad_inputs/*/expected.txt from what the build prints now.",
    )  # fmt: skip


# Exact messages compared by the tests that come from these packages (a pydantic type error, a Jinja syntax
# error, click's usage errors) are the ones of the versions in constraints.txt; the loader owns the YAML ones.
MESSAGE_SOURCES = ("pydantic", "pydantic-core", "jinja2", "click")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say so at the top of the run when a package whose messages the tests compare is not the locked version."""
    from importlib import metadata

    locked = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            locked[name.lower().replace("_", "-")] = version
    differ = []
    for name in MESSAGE_SOURCES:
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if name in locked and installed != locked[name]:
            differ.append(f"{name} {installed} (locked {locked[name]})")
    if not differ:
        return []
    return ["not the locked versions (exact messages may differ; see constraints.txt): " + ", ".join(differ)]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A count of the bad-input catalogue's cases, when any ran."""
    outcomes = {
        outcome: sum(1 for r in terminalreporter.stats.get(outcome, []) if "test_bad_input[" in getattr(r, "nodeid", ""))
        for outcome in ("passed", "failed", "error")
    }
    ran = sum(outcomes.values())
    if ran:
        terminalreporter.write_line(
            f"bad-input catalogue: {ran} cases, {outcomes['passed']} passed, {outcomes['failed'] + outcomes['error']} failed"
        )


def make_project(dest: Path, source: Path = SEED) -> Path:
    """A complete project: the fixture's clauses and profiles plus the repository's templates."""
    shutil.copytree(source, dest)
    if not (dest / "templates").exists():
        shutil.copytree(REPO / "templates", dest / "templates")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def shipped_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped library's whole pack (every profile, category, level, kind and edition), built once for
    the session: read-only for the tests that read it (the full build is the slowest step of the suite)."""
    out = tmp_path_factory.mktemp("shipped") / "output"
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def built_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project built once for the whole session (read-only for tests)."""
    root = make_project(tmp_path_factory.mktemp("seed") / "project")
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Invoke the CLI in-process; print output and traceback when something unexpected happens."""

    def invoke(*args: str, expect: int | None = None) -> Result:
        result = CliRunner().invoke(main, [str(a) for a in args])
        if expect is not None and result.exit_code != expect:
            print(result.output)
            if result.exc_info and not isinstance(result.exception, SystemExit):
                traceback.print_exception(*result.exc_info)
        return result

    return invoke


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes (to prove a failed build changed nothing)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


MISSING_TRANSLATION = re.compile(r"^\d+ of \d+ texts its documents use have no '[a-zA-Z-]+' translation ")
# French drafts written against an English that has since changed (terms, category limits, shared parameters)
STALE_FRENCH = tuple(f"{cid}: the fr translation is stale " for cid in ("cpc.spare-parts", "ts.packaging", "sc.ems"))


def check_shipped(root: Path = REPO):  # type: ignore[no-untyped-def]
    """``check --strict`` of the shipped library, except that translations still to be made are allowed.

    The fr, de, br and es profiles need texts that are not translated yet (issue 13: the bulk translation
    follows the English wording); ``check`` reports each such profile with one warning. The three French
    drafts whose English changed after them are stale. Every other warning still fails here, as under
    ``--strict``.
    """
    from tenderpack.pipeline import check

    checked = check(root)
    others = [str(w) for w in checked.warnings
              if not (w.key == "language" and MISSING_TRANSLATION.match(w.message))
              and not (w.key == "translations" and w.message.startswith(STALE_FRENCH))]  # fmt: skip
    assert others == []
    checked.warnings = []
    return checked
