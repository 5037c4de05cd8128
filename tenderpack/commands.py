"""The library functions behind each command (the CLI only parses options and prints)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Collector, Problem, ProblemsError, TenderpackError
from .pipeline import BuildResult, Checked, Filters, load_checked
from .pipeline import build as run_build
from .pipeline import check as run_check

# The models, the profile resolver and the composer are imported by the commands that use them: `build`
# with nothing to do never loads them.
if TYPE_CHECKING:
    from .model import Clause, Library
    from .profiles import ResolvedProfile
    from .project import Project


def check(root: Path, strict: bool = False) -> Checked:
    return run_check(root, strict=strict)


def build(
    root: Path,
    out: Path | None,
    profiles: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    editions: tuple[str, ...] = (),
    *,
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    pdf: bool = False,
    progress: object = None,
    pdf_progress: object = None,
    levels: tuple[str, ...] = (),
) -> BuildResult:
    out = out if out is not None else root / "output"
    if pdf:
        from .word.pdf import libreoffice_problem

        problem = libreoffice_problem()
        if problem:  # say so before anything is built, so a failed --pdf build changes nothing
            raise TenderpackError(f"--pdf: {problem}")
    return run_build(root, out, Filters(profiles, categories, kinds, editions, levels), strict=strict, jobs=jobs,
                     force=force, progress=progress, pdf=pdf, pdf_progress=pdf_progress,  # type: ignore[arg-type]
                     validate=lambda checked: _validate_build(checked, profiles, categories, editions, strict))  # fmt: skip


def _validate_build(checked: Checked, profiles: tuple[str, ...], categories: tuple[str, ...],
                    editions: tuple[str, ...], strict: bool) -> None:  # fmt: skip
    _check_filters(checked, profiles, categories)
    if strict and (not editions or "issue" in editions):
        _check_fill_ins(checked, profiles)


def _check_fill_ins(checked: Checked, profiles: tuple[str, ...]) -> None:
    """--strict issue editions: every fill-in a document uses must be set (an empty Word field is not issuable)."""
    from .readiness import unset_fill_ins

    found = []
    for pid in profiles or sorted(checked.resolved):
        for problem in unset_fill_ins(checked, pid):
            found.append(Problem(problem.file, problem.line, problem.key,
                                 f"profile {pid}: fill-in {problem.key} is not set; --strict builds issue editions "
                                 "only with every fill-in set (set it in the profile, or build without --strict)"))  # fmt: skip
    if found:
        raise ProblemsError(found)


def issue_ready(root: Path, profile: str) -> list[Problem]:
    """Everything that keeps the profile's issue edition from being issued as it is (empty: ready)."""
    from .readiness import issue_ready as findings

    checked = run_check(root)
    _check_filters(checked, (profile,), ())
    return findings(checked, profile)


def fill(path: Path, values: dict[str, str], out: Path) -> int:
    """Write ``path`` with the fill-in ``values`` set to ``out``; return the number of fields now showing a value."""
    from .files import write_atomic
    from .word.fill import fill_document

    data, shown = fill_document(path, values, name=str(path))
    write_atomic(out, data)
    return shown


def _check_filters(checked: Checked, profiles: tuple[str, ...], categories: tuple[str, ...]) -> None:
    unknown = [p for p in profiles if p not in checked.resolved]
    if unknown:
        raise TenderpackError(f"unknown profile {unknown[0]!r} (known: {', '.join(sorted(checked.resolved))})")
    assert checked.project.library is not None
    known = {c.id for c in checked.project.library.categories}
    bad = [c for c in categories if c not in known]
    if bad:
        raise TenderpackError(f"unknown category {bad[0]!r} (known: {', '.join(sorted(known))})")


@dataclass(frozen=True)
class ClauseFilters:
    """``list clauses`` filters; empty means all."""

    profile: str | None = None
    category: str | None = None
    level: str | None = None
    stage: str | None = None


CPV_FORMAT = re.compile(r"^(\d{8})(?:-(\d))?$")


def listing(root: Path, what: str, cpv: str | None = None,
            clauses: ClauseFilters = ClauseFilters()) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:  # fmt: skip
    from .documents import tr

    if what == "translations":
        return translations_matrix(root)
    checked = run_check(root)
    project = checked.project
    lib = project.library
    assert lib is not None
    if what == "profiles":
        return ("id", "name", "extends", "levels", "categories"), [  # type: ignore[return-value]
            (pid, r.profile.printed(r.profile.name), r.profile.extends or "—", ",".join(r.profile.levels), str(len(r.profile.categories)))
            for pid, r in sorted(checked.resolved.items())
        ]
    if what == "clauses":
        return ("id", "title", "version", "status", "type", "stage", "level", "categories"), [
            (c.id, tr(c.title, "en"), str(c.version), c.status, c.type, c.stage, c.level, ", ".join(c.categories))
            for c in _filtered_clauses(checked, clauses)
        ]
    if what == "categories":
        rows: list[tuple[str, ...]] = []
        wanted = _cpv_query(cpv, lib) if cpv else None
        for cat in lib.categories:
            if wanted is not None and not any(_cpv_related(wanted, code) for code in cat.cpv):
                continue
            rows.append((cat.id, tr(cat.name, "en"), ", ".join(cat.cpv)))
        if cpv and not rows:
            raise TenderpackError(f"no category for CPV {cpv} (`tenderpack list categories` shows the codes each covers)")
        return ("id", "name", "CPV codes"), rows
    # coverage: category × stage, counting approved clauses per type initial
    header = ("category", *(s.id for s in lib.stages))
    rows = []
    for cat in lib.categories:
        cells = []
        for stage in lib.stages:
            clauses_here = clauses_at(project, cat.id, stage.id)
            counts = {t.id: sum(1 for c in clauses_here if c.type == t.id) for t in lib.types}
            cells.append(" ".join(f"{_abbrev(t)}{n}" for t, n in counts.items() if n) or "—")
        rows.append((cat.id, *cells))
    return header, rows


def clauses_at(project: Project, category: str, stage: str) -> list[Clause]:
    """The approved clauses of one lifecycle stage that apply to one category: a cell of the coverage matrix."""
    return [c for c in project.clauses.values() if c.status == "approved" and c.stage == stage
            and ("all" in c.categories or category in c.categories)]  # fmt: skip


def coverage_legend(root: Path) -> list[tuple[str, str]]:
    """The codes of ``list coverage``: (code, clause type), and the dash."""
    checked = run_check(root)
    assert checked.project.library is not None
    legend = [(_abbrev(t.id), t.id) for t in checked.project.library.types]
    return [*legend, ("—", "no approved clause")]


def _filtered_clauses(checked: Checked, f: ClauseFilters) -> list[Clause]:
    from .selection import applies_to, select

    project = checked.project
    assert project.library is not None
    lib = project.library
    if f.profile is not None and f.profile not in checked.resolved:
        raise TenderpackError(f"unknown profile {f.profile!r} (known: {', '.join(sorted(checked.resolved))})")
    known_categories = [c.id for c in lib.categories]
    if f.category is not None and f.category not in known_categories:
        raise TenderpackError(f"unknown category {f.category!r} (known: {', '.join(sorted(known_categories))})")
    stages = [s.id for s in lib.stages]
    if f.stage is not None and f.stage not in stages:
        raise TenderpackError(f"unknown stage {f.stage!r} (known: {', '.join(stages)})")
    chosen = sorted(project.clauses.values(), key=lambda c: c.id)
    if f.profile is not None:  # the clauses its documents contain, in any of its categories (or the one asked)
        profile = checked.resolved[f.profile].profile
        used: set[str] = set()
        for category in profile.categories:
            for level in profile.levels:
                if (f.category is None or category == f.category) and (f.level is None or level == f.level):
                    used.update(c.id for c in select(project.clauses, lib, profile, category, level))
        chosen = [c for c in chosen if c.id in used]
    if f.category is not None:
        chosen = [c for c in chosen if applies_to(c, f.category)]
    if f.level is not None:
        chosen = [c for c in chosen if c.level == f.level]
    if f.stage is not None:
        chosen = [c for c in chosen if c.stage == f.stage]
    return chosen


def _abbrev(type_id: str) -> str:
    """planning-note → PN, contract-performance-clause → CPC."""
    words = type_id.split("-")
    return (words[0][:2] if len(words) == 1 else "".join(w[0] for w in words)).upper()


type_code = _abbrev  # the codes of the coverage matrix, also in the site's legend


def _cpv_query(cpv: str, lib: Library) -> str:
    """The 8 digits of a CPV code typed by a user, after checking its format and (where the library knows the
    code) its check digit. There is no working published formula for the check digit (the one in the CPV
    documentation does not reproduce the 2008 codes), so it is checked against the library's own codes."""
    m = CPV_FORMAT.match(cpv.strip())
    if m is None:
        raise TenderpackError(f"CPV {cpv!r}: a CPV code is 8 digits and a check digit, e.g. 30213100-6")
    digits, check = m.group(1), m.group(2)
    if check is not None:
        for cat in lib.categories:
            for code in cat.cpv:
                known = CPV_FORMAT.match(code)
                if known and known.group(1) == digits and known.group(2) not in (None, check):
                    raise TenderpackError(f"CPV {cpv}: wrong check digit (the code is {digits}-{known.group(2)})")
    return digits


def _stem(digits: str) -> str:
    """The significant leading digits of a CPV code (its division at least): 30200000 → 302."""
    return digits.rstrip("0").ljust(2, "0")


def _cpv_related(query: str, code: str) -> bool:
    """A category code matches a query when one falls under the other (or they are the same code):
    30213100 falls under the category code 30213000; the category code 30213000 falls under 30200000."""
    c = code.split("-")[0]
    return query.startswith(_stem(c)) or c.startswith(_stem(query))


def explain(root: Path, profile: str, key: str | None) -> list[tuple[str, str, str]]:
    from .profiles import resolve
    from .project import load_project

    problems = Collector(root)
    project = load_project(root, problems)
    if profile not in project.profile_files:
        problems.raise_if_errors()
        raise TenderpackError(f"unknown profile {profile!r} (known: {', '.join(sorted(project.profile_files))})")
    resolved = resolve(profile, project, problems)
    problems.raise_if_errors()
    assert resolved is not None
    rows = explain_rows(project, resolved)
    if key:
        rows = [r for r in rows if r[0] == key or r[0].startswith(key + ".")]
    if key and not rows:
        raise TenderpackError(f"profile {profile!r} has no value {key!r}")
    return rows


def explain_rows(project: Project, resolved: ResolvedProfile) -> list[tuple[str, str, str]]:
    """Every resolved value of a profile with the ``file:line`` that set it, and the default of every clause
    parameter it does not set (at the clause file and line of the default): ``explain``'s rows, also the
    site's profile pages."""
    from .profiles import explain as explain_values

    rows = [(k, v, str(o) if o else "?") for k, v, o in explain_values(resolved, "")]
    return _with_parameter_defaults(project, resolved, rows)


def _with_parameter_defaults(project: Project, resolved: ResolvedProfile,
                             rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:  # fmt: skip
    """``rows`` plus the default of every parameter of the clauses the profile uses (in any of its
    categories) that it does not set, at the clause file and line of the default; parameters sorted by key."""
    from .selection import default_of, select

    profile = resolved.profile
    if project.library is None:
        return rows
    used: dict[str, Clause] = {}
    for category in profile.categories:
        for level in profile.levels:
            for clause in select(project.clauses, project.library, profile, category, level):
                used[clause.id] = clause
    defaults = []
    seen: set[str] = set()
    for cid in sorted(used):
        yf = project.clause_files.get(cid)
        for name, param in used[cid].parameters.items():
            shared = used[cid].uses.get(name)
            key = f"shared.{shared}" if shared else f"{cid}.{name}"
            if key in profile.parameters or key in seen:
                continue  # the profile's value (and file:line) is already a row
            seen.add(key)
            loc: tuple[str, ...] = ("parameters", name, "default")
            if shared and project.library_file is not None:
                yf, loc = project.library_file, ("parameters", shared, "default")
            by_level = {level: default_of(param, level) for level in profile.levels}
            if len(set(map(repr, by_level.values()))) == 1:
                value = next(iter(by_level.values()))
                shown = f"[{', '.join(map(str, value))}]" if isinstance(value, list) else str(value)
            else:
                shown = ", ".join(f"{v} ({level})" for level, v in by_level.items())
            where = f"{yf.rel}:{yf.line(loc)} (default)" if yf is not None else "default"
            defaults.append((f"parameters.{key}", shown, where))
    params = sorted([r for r in rows if r[0].startswith("parameters.")] + defaults, key=lambda r: r[0])
    first = next((i for i, r in enumerate(rows) if r[0].startswith("parameters.")), len(rows))
    others = [r for r in rows if not r[0].startswith("parameters.")]
    return others[:first] + params + others[first:]


STARTER = """\
# Profile {pid}: extends {parent}. Every value not set here is inherited from {parent}
# (see `tenderpack explain {pid}` for each value and the file:line that set it).
id: {pid}
name: "{pid}"                     # the display name on cover pages: write your own
extends: {parent}

# Values only you know (fill-ins). Each one left unset stays a grey Word field in the documents, bound
# to one place: typed once in Word, it fills the cover, the footer and every clause. Set them here to
# print them as plain text; `tenderpack check --issue-ready {pid}` lists the ones still unset.
# authority:
#   name: "..."                   # fill-in authority.name
#   contact: "..."                # fill-in authority.contact
# tender:
#   reference: "..."              # fill-in tender.reference
#   deadline: "..."               # fill-in tender.deadline
#   platform: "..."               # fill-in tender.platform
# thresholds:
#   open-procedure: "..."         # fill-in thresholds.open-procedure

# Uncomment and edit what differs from {parent}:
# language: en
# currency: EUR
# levels: [core]                 # ambition levels built (default: core and comprehensive)
# categories: [computers, monitors]
# legal:
#   framework: "Public Procurement Act"
#   award: "Article 67 of Directive 2014/24/EU"
# parameters:
#   cpc.spare-parts.delivery_days: 10   # clause-id.parameter: value
#   shared.spare_parts_years: 5         # shared.parameter: every clause that uses it follows
#   ac.lcc.discount_rate: {{core: 3, comprehensive: 4}}   # a value per ambition level
# clauses:
#   add: []
#   remove: []
# terms:                          # the law's words for the parties (keys in clauses/glossary.yaml)
#   buyer: {{singular: procuring entity, plural: procuring entities}}
#   award_basis: most advantageous tender
# award:
#   criteria:
#     price: {{weight: 60}}
"""


def new_profile(root: Path, pid: str, parent: str) -> Path:
    from .project import load_project

    problems = Collector(root)
    project = load_project(root, problems)
    if parent not in project.profile_files:
        raise TenderpackError(f"unknown profile {parent!r} (known: {', '.join(sorted(project.profile_files))})")
    target = project.profiles_dir / f"{pid}.yaml"
    if target.exists():
        raise TenderpackError(f"{target} already exists; choose another id or edit that file")
    text = STARTER.format(pid=pid, parent=parent)
    target.write_text(text, encoding="utf-8")
    try:
        run_check(root)
    except ProblemsError:
        target.unlink()
        raise
    return target


# ------------------------------------------------------------------------------------------ translations


def translations_matrix(root: Path) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """``list translations``: each record (clause, string, section...) × language: reviewed, draft, stale, missing."""
    from . import translations

    checked = load_checked(root)
    langs, rows = translations.matrix(checked.project, checked.resolved)
    header = ("id", "kind", "version", *langs)
    return header, [(rec.id, rec.kind, str(rec.version), *(states[lang] for lang in langs)) for rec, states in rows]


def translations_export(root: Path, lang: str, out: Path) -> int:
    """Write every translatable text of the library to ``out`` as XLIFF 2.0 for ``lang``; returns the units."""
    from . import xliff

    checked = load_checked(root)
    data = xliff.export(checked.project, lang)
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        raise TenderpackError(f"{out}: cannot write the file: {exc.strerror or exc}") from None
    return data.count(b"<unit ")


def translations_import(root: Path, path: Path, status: str = "draft") -> Any:
    """Write the translations of an XLIFF 2.0 file back into the YAML files (marked draft, or reviewed)."""
    from . import xliff

    checked = load_checked(root)
    return xliff.import_file(checked.project, checked.resolved, path, "reviewed" if status == "reviewed" else "draft")
