"""Is a profile's issue edition ready to issue as it is? (``check --issue-ready``, ``build --strict``)

Two things keep a document from being issued unedited: a fill-in the profile leaves unset (the document
shows an empty Word field) and placeholder prose (``[insert ...]``, "replace with ...") in any text that
reaches the issue edition. Both are found in the sources, so that each finding names the file and line
to change: the texts of the clauses the profile selects for its categories, the fixed sections of its
document kinds, the policy and checklist content, its templates and its own (inherited) values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import fillins
from .checks import text_line, written
from .errors import Collector, Problem
from .loading import YamlFile
from .model import Clause, Profile
from .pipeline import Checked
from .selection import select
from .word.lint import template_paragraphs

DRAFTING_ONLY = frozenset({"notes", "id", "extends", "last_verified"})  # profile keys no issue edition prints


@dataclass(frozen=True)
class Source:
    """A text that reaches the issue edition and where it is written."""

    file: YamlFile | Path
    loc: tuple[Any, ...]
    text: str


def unset_fill_ins(checked: Checked, pid: str) -> list[Problem]:
    """Each fill-in the profile's documents use and the profile leaves unset, at the profile's file."""
    project, resolved = checked.project, checked.resolved[pid]
    assert project.library is not None
    problems = Collector(project.root)
    usage = _usage(checked, pid)
    for fill in fillins.values(project.library, resolved.profile):
        if fill.value is None and fill.id in usage:
            line = resolved.file.lines.get(tuple(fill.id.split(".", 1)), 0)  # the key is usually absent: no line
            problems.extend([fillins.unset_problem(problems.rel(resolved.file.path), line, pid, fill, usage[fill.id])])
    return problems.problems


def issue_ready(checked: Checked, pid: str) -> list[Problem]:
    """Every unset fill-in and every piece of placeholder prose in the profile's issue edition."""
    problems = Collector(checked.project.root)
    problems.extend(unset_fill_ins(checked, pid))
    for src in _sources(checked, pid):
        for line, words in fillins.placeholder_prose(src.text):
            message = f"placeholder text {words!r} would be printed in the issue edition; replace it with the real text or a fill-in"
            if isinstance(src.file, Path):
                problems.error(src.file, 0, ".".join(map(str, src.loc)), message)
            else:
                at = text_line(src.file, src.loc, src.text, line if "\n" in src.text.rstrip("\n") else None)
                problems.error(src.file.path, at, ".".join(map(str, src.loc)), message)
    for loc, value, origin in _profile_values(checked, pid):
        for _, words in fillins.placeholder_prose(value):
            message = f"placeholder text {words!r} would be printed in the issue edition; set the real value or leave it unset"
            problems.error(origin[0], origin[1], ".".join(map(str, loc)), message)
    return sorted(set(problems.problems), key=lambda p: (p.file, p.line, p.key, p.message))


def _usage(checked: Checked, pid: str) -> dict[str, list[str]]:
    """Fill-in id → where the profile's documents use it (file:line, first few)."""
    found: dict[str, list[str]] = {}
    rel = Collector(checked.project.root).rel
    for src in _sources(checked, pid):
        for fill_id in sorted(fillins.used(src.text)):
            if isinstance(src.file, Path):
                where = f"{rel(src.file)} {src.loc[0]}"
            else:
                where = f"{rel(src.file.path)}:{src.file.line(src.loc)}"
            places = found.setdefault(fill_id, [])
            if where not in places and len(places) < 3:
                places.append(where)
    return found


def _pick(text: dict[str, str] | None, lang: str) -> str | None:
    """The language key a document in ``lang`` prints (with the same fallback as the composer)."""
    if not text:
        return None
    for key in (lang, lang.split("-")[0], "en"):
        if key in text:
            return key
    return None


def _sources(checked: Checked, pid: str) -> Iterator[Source]:
    project = checked.project
    library = project.library
    assert library is not None
    profile = checked.resolved[pid].profile
    lang = profile.language

    def texts(yf: YamlFile, base: tuple[Any, ...], value: dict[str, str] | None) -> Iterator[Source]:
        key = _pick(value, lang)
        if value and key:
            yield Source(yf, written(yf, (*base, key)), value[key])

    yf = project.library_file
    assert yf is not None
    for kind in profile.documents:
        doc = library.documents[kind]
        for part in ("before", "after"):
            for i, section in enumerate(getattr(doc, part)):
                if "issue" in section.editions:
                    yield from texts(yf, ("documents", kind, part, i, "title"), section.title)
                    yield from texts(yf, ("documents", kind, part, i, "text"), section.text)
    pf = project.policy.file
    if pf is not None:
        if "policy" in profile.documents:
            for i, section in enumerate(project.policy.policy):
                yield from texts(pf, ("policy", i, "title"), section.title)
                yield from texts(pf, ("policy", i, "text"), section.text)
            for i, target in enumerate(project.policy.targets):
                for name in ("goal", "indicator", "target"):
                    yield from texts(pf, ("targets", i, name), target.get(name))
        if "checklist" in profile.documents:
            for i, item in enumerate(project.policy.checklist):
                for name in ("step", "evidence"):
                    yield from texts(pf, ("checklist", i, name), item.get(name))
    for clause in _clauses(checked, profile):
        yield from _clause_sources(project.clause_files[clause.id], clause, texts)
    for kind in profile.documents:
        template = project.templates.get(kind)
        if template is not None and template.is_file():
            for part, paragraphs in template_paragraphs(template):
                for paragraph in paragraphs:
                    if paragraph.strip():
                        yield Source(template, (part,), paragraph)


def _clauses(checked: Checked, profile: Profile) -> list[Clause]:
    project = checked.project
    assert project.library is not None
    chosen: dict[str, Clause] = {}
    for category in profile.categories:
        for level in profile.levels:
            for clause in select(project.clauses, project.library, profile, category, level):
                chosen.setdefault(clause.id, clause)
    return sorted(chosen.values(), key=lambda c: c.id)


def _clause_sources(yf: YamlFile, clause: Clause, texts: Any) -> Iterator[Source]:
    yield from texts(yf, ("title",), clause.title)
    yield from texts(yf, ("text",), clause.text)
    yield from texts(yf, ("verification",), clause.verification)
    for i, q in enumerate(clause.questions):
        yield from texts(yf, ("questions", i, "text"), q.text)
        yield from texts(yf, ("questions", i, "evidence"), q.evidence)
    for i, k in enumerate(clause.kpis):
        yield from texts(yf, ("kpis", i, "name"), k.name)
        yield from texts(yf, ("kpis", i, "formula"), k.formula)
        yield from texts(yf, ("kpis", i, "evidence"), k.evidence)
        yield from texts(yf, ("kpis", i, "target"), k.target)


def _profile_values(checked: Checked, pid: str) -> Iterator[tuple[tuple[Any, ...], str, tuple[str, int]]]:
    """Every text value of the resolved profile that documents print, with the file and line that set it."""
    resolved = checked.resolved[pid]
    root = checked.project.root
    for loc, value in fillins.walk(resolved.layer.data):
        if not loc or loc[0] in DRAFTING_ONLY:
            continue
        origin = resolved.layer.origin(loc)
        file = str(origin.file) if origin else resolved.file.rel
        path = Path(file)
        yield loc, value, (str(path if path.is_absolute() else root / path), origin.line if origin else 0)
