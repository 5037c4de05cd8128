"""The library functions behind each command (the CLI only parses options and prints)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .documents import tr
from .errors import Collector, ProblemsError, TenderpackError
from .pipeline import BuildResult, Checked, Filters, load_checked
from .pipeline import build as run_build
from .pipeline import check as run_check
from .profiles import explain as explain_values
from .profiles import resolve
from .project import load_project


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
) -> BuildResult:
    out = out if out is not None else root / "output"
    if pdf:
        from .word.pdf import libreoffice_problem

        problem = libreoffice_problem()
        if problem:  # say so before anything is built, so a failed --pdf build changes nothing
            raise TenderpackError(f"--pdf: {problem}")
    result = run_build(root, out, Filters(profiles, categories, kinds, editions), strict=strict, jobs=jobs,
                       force=force, progress=progress,  # type: ignore[arg-type]
                       validate=lambda checked: _check_filters(checked, profiles, categories))  # fmt: skip
    if pdf:
        add_pdfs(out, result)
    else:
        for path in result.rendered:  # a PDF beside a re-rendered document would show the old text
            stale = (out / path).with_suffix(".pdf")
            if stale.exists():
                stale.unlink()
                result.removed.append(stale.relative_to(out).as_posix())
    return result


def add_pdfs(out: Path, result: BuildResult) -> None:
    """Write a PDF beside each document (re-made when its document was rendered) and list it in the manifest."""
    import json

    from .pipeline import MANIFEST, _write_atomic
    from .word.pdf import convert, sha256

    rendered = set(result.rendered)
    todo = []
    for doc in result.documents:
        docx = out / doc["path"]
        pdf = docx.with_suffix(".pdf")
        if doc["path"] in rendered or not pdf.exists():
            todo.append((docx, pdf))
    convert(todo)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for doc in manifest["documents"]:
        pdf = (out / doc["path"]).with_suffix(".pdf")
        if pdf.exists():
            doc["pdf"] = {"path": Path(doc["path"]).with_suffix(".pdf").as_posix(), "sha256": sha256(pdf)}
    _write_atomic(out / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def _check_filters(checked: Checked, profiles: tuple[str, ...], categories: tuple[str, ...]) -> None:
    unknown = [p for p in profiles if p not in checked.resolved]
    if unknown:
        raise TenderpackError(f"unknown profile {unknown[0]!r} (known: {', '.join(sorted(checked.resolved))})")
    assert checked.project.library is not None
    known = {c.id for c in checked.project.library.categories}
    bad = [c for c in categories if c not in known]
    if bad:
        raise TenderpackError(f"unknown category {bad[0]!r} (known: {', '.join(sorted(known))})")


def listing(root: Path, what: str, cpv: str | None = None) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    if what == "translations":
        return translations_matrix(root)
    checked = run_check(root)
    project = checked.project
    lib = project.library
    assert lib is not None
    if what == "profiles":
        return ("id", "name", "extends", "level", "categories"), [  # type: ignore[return-value]
            (pid, r.profile.name, r.profile.extends or "—", r.profile.level, str(len(r.profile.categories)))
            for pid, r in sorted(checked.resolved.items())
        ]
    if what == "clauses":
        return ("id", "version", "status", "type", "stage", "level", "categories"), [  # type: ignore[return-value]
            (c.id, str(c.version), c.status, c.type, c.stage, c.level, ", ".join(c.categories))
            for c in sorted(project.clauses.values(), key=lambda c: c.id)
        ]
    if what == "categories":
        rows: list[tuple[str, ...]] = []
        for cat in lib.categories:
            if cpv and not any(_cpv_match(cpv, code) for code in cat.cpv):
                continue
            rows.append((cat.id, tr(cat.name, "en"), ", ".join(cat.cpv)))
        return ("id", "name", "CPV codes"), rows
    # coverage: category × stage, counting approved clauses per type initial
    header = ("category", *(s.id for s in lib.stages))
    rows = []
    for cat in lib.categories:
        cells = []
        for stage in lib.stages:
            clauses = [c for c in project.clauses.values() if c.status == "approved" and c.stage == stage.id
                       and ("all" in c.categories or cat.id in c.categories)]  # fmt: skip
            counts = {t.id: sum(1 for c in clauses if c.type == t.id) for t in lib.types}
            cells.append(" ".join(f"{_abbrev(t)}{n}" for t, n in counts.items() if n) or "—")
        rows.append((cat.id, *cells))
    return header, rows


def _abbrev(type_id: str) -> str:
    """planning-note → PN, contract-performance-clause → CPC."""
    words = type_id.split("-")
    return (words[0][:2] if len(words) == 1 else "".join(w[0] for w in words)).upper()


def _cpv_match(query: str, code: str) -> bool:
    """A CPV code matches a category code when it is that code or falls under it (shared leading digits)."""
    q = query.split("-")[0].strip()
    c = code.split("-")[0]
    if not q.isdigit():
        return False
    stem = c.rstrip("0")
    return q == c or (len(stem) >= 2 and q.startswith(stem))


def explain(root: Path, profile: str, key: str | None) -> list[tuple[str, str, str]]:
    problems = Collector(root)
    project = load_project(root, problems)
    if profile not in project.profile_files:
        problems.raise_if_errors()
        raise TenderpackError(f"unknown profile {profile!r} (known: {', '.join(sorted(project.profile_files))})")
    resolved = resolve(profile, project, problems)
    problems.raise_if_errors()
    assert resolved is not None
    rows = [(k, v, str(o) if o else "?") for k, v, o in explain_values(resolved, key or "")]
    if key and not rows:
        raise TenderpackError(f"profile {profile!r} has no value {key!r}")
    return rows


STARTER = """\
# Profile {pid}: extends {parent}. Every value not set here is inherited from {parent}
# (see `tenderpack explain {pid}` for each value and the file:line that set it).
id: {pid}
name: "{pid} (edit this name)"
extends: {parent}

# The contracting authority shown on cover pages and in footers.
authority:
  name: "{authority}"

# Uncomment and edit what differs from {parent}:
# language: en
# currency: EUR
# level: comprehensive            # core or comprehensive
# categories: [computers, monitors]
# legal:
#   framework: "Public Procurement Act"
#   award: "Article 67 of Directive 2014/24/EU"
# parameters:
#   cpc.spare-parts.delivery_days: 10   # clause-id.parameter: value
#   shared.spare_parts_years: 5         # shared.parameter: every clause that uses it follows
# clauses:
#   add: []
#   remove: []
# award:
#   criteria:
#     price: {{weight: 60}}
"""


def new_profile(root: Path, pid: str, parent: str) -> Path:
    problems = Collector(root)
    project = load_project(root, problems)
    if parent not in project.profile_files:
        raise TenderpackError(f"unknown profile {parent!r} (known: {', '.join(sorted(project.profile_files))})")
    target = project.profiles_dir / f"{pid}.yaml"
    if target.exists():
        raise TenderpackError(f"{target} already exists; choose another id or edit that file")
    resolved = resolve(parent, project, problems)
    authority = resolved.profile.authority.name if resolved else "Contracting authority"
    text = STARTER.format(pid=pid, parent=parent, authority=authority.replace('"', "'"))
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


def translations_import(root: Path, path: Path) -> Any:
    """Write the translations of an XLIFF 2.0 file back into the YAML files (marked draft)."""
    from . import xliff

    checked = load_checked(root)
    return xliff.import_file(checked.project, checked.resolved, path)
