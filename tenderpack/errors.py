"""One exception family for every problem a user can cause.

Each problem is a :class:`Problem` carrying the file, line, key path and message, so that the CLI can
print ``path:line: key.path: message`` for all of them at once and exit with status 1.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One finding in a user's files: an error, or a warning that ``--strict`` makes an error."""

    file: str
    line: int
    key: str
    message: str
    warning: bool = field(default=False, compare=False)
    # a translation warning concerns these document languages only: a strict build of profiles in other
    # languages does not refuse on it
    languages: frozenset[str] = field(default=frozenset(), compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class TenderpackError(Exception):
    """Base class of every error tenderpack reports to a user (never shown with a traceback)."""

    exit_code = 1


class ProblemsError(TenderpackError):
    """Raised once, after every problem in every file has been collected."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


class OutputError(TenderpackError):
    """The output folder could not be written (read-only, full disk, ...)."""


class InputFileError(TenderpackError):
    """A file given on the command line cannot be used (a hostile or broken .docx, a bad zip, ...)."""


def did_you_mean(value: str, known: Iterable[str]) -> str | None:
    """The known name closest to a mistyped one (``paramaters`` -> ``parameters``), if any is close."""
    match = difflib.get_close_matches(value, sorted(set(known)), n=1, cutoff=0.7)  # 0.6 pairs ts.warp with ts.repair
    return match[0] if match else None


def unknown(what: str, value: str, known: Iterable[str], list_known: bool = True) -> str:
    """``unknown clause 'x'; did you mean 'y'?``, or the known names when none is close (if they are few)."""
    known = sorted(set(known))
    hint = did_you_mean(value, known)
    if hint:
        return f"unknown {what} {value!r}; did you mean {hint!r}?"
    if list_known:
        return f"unknown {what} {value!r} (known: {', '.join(known) or 'none'})"
    return f"unknown {what} {value!r}"


def _sort_key(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line, p.key, p.message)


class Collector:
    """Collects problems while a stage runs; ``raise_if_errors`` aborts once at the end."""

    def __init__(self, root: Path | None = None):
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path | str) -> str:
        path = Path(path)
        if self.root is not None:
            try:
                # the folder resolved, not the file: a link is named as itself, and a loop of links is no error here
                return (path.parent.resolve() / path.name).relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def error(self, file: Path | str, line: int, key: str, message: str) -> None:
        self.problems.append(Problem(self.rel(file), line, key, message))

    def warn(self, file: Path | str, line: int, key: str, message: str, languages: frozenset[str] = frozenset()) -> None:
        self.problems.append(Problem(self.rel(file), line, key, message, warning=True, languages=languages))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.problems if not p.warning}, key=_sort_key)

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.warning}, key=_sort_key)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def raise_if_errors(self, strict: bool = False, languages: frozenset[str] | None = None) -> None:
        """Raise on errors, and under ``strict`` on warnings too; given ``languages`` (the languages a
        filtered build makes), a warning about other languages' translations stays a warning."""
        bad = self.problems if strict else self.errors
        if strict and languages is not None:
            bad = [p for p in self.problems if not p.warning or not p.languages or p.languages & languages]
        if bad:
            raise ProblemsError(bad)
