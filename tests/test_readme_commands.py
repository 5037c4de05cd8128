"""The README's command table and `--help` agree: every option the table names exists, every option a
command has is in the table, and `--project` is where the README says it is."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from tenderpack.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
GROUPS = {name for name, c in main.commands.items() if isinstance(c, click.Group)}
ROWS: dict[str, str] = {}  # a command may have several rows (`list clauses ...`, `list coverage`): read them together
for _m in re.finditer(r"^\| `tenderpack ([^`]*)` \|", README, re.M):
    _name = " ".join(_m[1].split()[: 2 if _m[1].split()[0] in GROUPS else 1])
    ROWS[_name] = f"{ROWS.get(_name, '')} {_m[1]}".strip()
NO_PROJECT = {"diff", "redline", "fill"}  # they work on the files they are given


def commands() -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in main.commands.items():
        if isinstance(command, click.Group):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


def options(command: click.Command) -> set[str]:
    return {o for p in command.params if isinstance(p, click.Option) for o in p.opts if o.startswith("--")}


def named(row: str, command: click.Command) -> tuple[set[str], set[str]]:
    """The options the row names and those the command has (each by its first long name; a row may
    use any of its names, e.g. ``-o``)."""
    words = set(re.findall(r"(?<![\w-])--?[a-z][a-z-]*", row))
    opts = [p for p in command.params if isinstance(p, click.Option)]
    first = {p.name: next(o for o in p.opts if o.startswith("--")) for p in opts}
    documented = {first[p.name] for p in opts if words & set(p.opts)}
    unknown = {w for w in words if w.startswith("--")} - options(command)
    return documented | unknown, set(first.values()) - {"--project"}


@pytest.mark.parametrize("name", sorted(commands()))
def test_the_readme_row_and_help_name_the_same_options(name: str) -> None:
    assert name in ROWS, f"no README row for tenderpack {name}"
    documented, actual = named(ROWS[name], commands()[name])
    assert documented == actual, f"tenderpack {name}: README {sorted(documented)}, --help {sorted(actual)}"


@pytest.mark.parametrize("name", sorted(commands()))
def test_project_is_an_option_of_every_command_but_diff_and_redline(name: str) -> None:
    assert ("--project" in options(commands()[name])) == (name not in NO_PROJECT)
    assert "Every command that reads a project takes `--project DIR`" in README
    assert " ".join(README.split()).count(
        "`diff` and `redline` compare the files they are given, and `fill` writes into the document it is given: "
        "they take no `--project`") == 1
