"""The one recipe: load → check → resolve → select → compose → render → write.

Nothing in the output folder changes until every document has been rendered: documents are rendered
into a staging folder inside the output folder, then moved into place one by one with ``os.replace``
(atomic on one file system), and the manifest is written last. A build that fails, or is interrupted
before that point, removes its staging folder and leaves the output folder as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .checks import check_project, text_line
from .documents import ComposeError, Composed, DocSpec, compose, make_selection
from .errors import Collector, OutputError, ProblemsError
from .model import EDITIONS
from .profiles import ResolvedProfile
from .project import Project, load_project
from .word.document import RenderJob, make_job, render_job

MANIFEST = "manifest.json"
STAGING_PREFIX = ".tenderpack-staging-"


@dataclass(frozen=True)
class Filters:
    """Which documents to build; an empty tuple means all."""

    profiles: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()

    def wants(self, spec: DocSpec) -> bool:
        return (
            (not self.profiles or spec.profile in self.profiles)
            and (not self.categories or spec.category in self.categories)
            and (not self.kinds or spec.kind in self.kinds)
            and (not self.editions or spec.edition in self.editions)
        )


@dataclass
class Checked:
    """A project that passed every check."""

    project: Project
    resolved: dict[str, ResolvedProfile]
    warnings: list[Any]
    pack: dict[str, str]
    when: dt.datetime


@dataclass
class BuildResult:
    out: Path
    documents: list[dict[str, Any]]
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def pack_info(project: Project, version: str | None = None) -> tuple[dict[str, str], dt.datetime]:
    """Pack version and date: the library's release, overridden by SOURCE_DATE_EPOCH for the date."""
    assert project.library is not None
    release = project.library.release
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    else:
        when = dt.datetime.fromisoformat(release.date)
    return {"version": version or release.version, "date": when.date().isoformat()}, when


def check(root: Path, strict: bool = False, version: str | None = None) -> Checked:
    """Load and check everything; raise ProblemsError listing every problem."""
    problems = Collector(root)
    project = load_project(root, problems)
    resolved = check_project(project, problems)
    problems.raise_if_errors(strict)
    pack, when = pack_info(project, version)
    checked = Checked(project, resolved, problems.warnings, pack, when)
    # compose every document once: catches render-time text errors (missing values) before writing
    list(compose_all(checked, Filters()))
    return checked


def plan(checked: Checked, filters: Filters = Filters()) -> list[DocSpec]:
    """Every document of the pack (filtered), in a stable order."""
    specs = []
    for pid in sorted(checked.resolved):
        p = checked.resolved[pid].profile
        for cat in p.categories:
            for kind in p.documents:
                for edition in EDITIONS:
                    spec = DocSpec(pid, cat, kind, edition)
                    if filters.wants(spec):
                        specs.append(spec)
    return specs


def compose_all(checked: Checked, filters: Filters) -> Iterator[Composed]:
    """Compose documents lazily, one profile × category at a time (memory stays flat)."""
    project = checked.project
    problems = Collector(project.root)
    by_pc: dict[tuple[str, str], list[DocSpec]] = {}
    for spec in plan(checked, filters):
        by_pc.setdefault((spec.profile, spec.category), []).append(spec)
    for (pid, cat), specs in by_pc.items():
        sel = make_selection(project, checked.resolved[pid], cat)
        for spec in specs:
            try:
                yield compose(project, sel, spec.kind, spec.edition, checked.pack)
            except ComposeError as exc:
                _report_compose_error(project, exc, problems)
    problems.raise_if_errors()


def _report_compose_error(project: Project, exc: ComposeError, problems: Collector) -> None:
    source, ident, fieldname = exc.where
    if source == "clause" and ident in project.clause_files:
        yf = project.clause_files[ident]
        loc = tuple(int(p) if p.isdigit() else p for p in fieldname.split("."))
        src = ""
        problems.error(yf.path, text_line(yf, loc, src, None), fieldname, exc.message)
    elif project.library_file is not None:
        problems.error(project.library_file.path, project.library_file.line(("documents",)), ident, exc.message)


# ------------------------------------------------------------------------------------------ build


def _input_hash(job: RenderJob) -> str:
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(hashlib.sha256(Path(job.template).read_bytes()).digest())
    payload = [job.context, job.toc_xml, job.body_xml, job.numbering_xml, job.custom_xml, job.props.__dict__]
    h.update(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return {d["path"]: d for d in data.get("documents", []) if isinstance(d, dict) and "path" in d}
    except (OSError, ValueError, AttributeError):
        return {}


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _render_to(args: tuple[RenderJob, str]) -> tuple[str, str]:
    job, target = args
    data = render_job(job)
    with open(target, "wb") as fh:
        fh.write(data)
    return target, hashlib.sha256(data).hexdigest()


def build(
    root: Path,
    out: Path,
    filters: Filters = Filters(),
    *,
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    version: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    checked: Checked | None = None,
) -> BuildResult:
    """Build the pack into ``out``; raise ProblemsError (nothing written) on any problem."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    checked = checked or check(root, strict=strict, version=version)
    timings["check"] = time.perf_counter() - t0
    project = checked.project
    profile_files = {pid: yf.rel for pid, yf in project.profile_files.items()}
    full_plan = {s.path for s in plan(checked)}
    previous = _read_manifest(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    result = BuildResult(out=out, documents=[], warnings=checked.warnings, timings=timings)
    try:
        t1 = time.perf_counter()
        entries, todo = _prepare(checked, filters, out, staging, previous, force, profile_files)
        timings["compose"] = time.perf_counter() - t1
        t2 = time.perf_counter()
        _render_all(todo, entries, jobs, progress, len(entries))
        timings["render"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        result.rendered = sorted(e["path"] for e in entries if e["_staged"])
        result.reused = sorted(e["path"] for e in entries if not e["_staged"])
        _commit(out, staging, entries, previous, full_plan, checked.pack, result)
        timings["write"] = time.perf_counter() - t3
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["total"] = time.perf_counter() - t0
    return result


def _prepare(checked: Checked, filters: Filters, out: Path, staging: Path, previous: dict[str, dict[str, Any]],
             force: bool, profile_files: dict[str, str]) -> tuple[list[dict[str, Any]], list[tuple[RenderJob, str]]]:  # fmt: skip
    entries: list[dict[str, Any]] = []
    todo: list[tuple[RenderJob, str]] = []
    for composed in compose_all(checked, filters):
        spec = composed.spec
        job = make_job(composed, checked.project.templates[spec.kind], checked.pack, checked.when, profile_files)
        inputs = _input_hash(job)
        entry: dict[str, Any] = {
            "path": spec.path,
            "sha256": "",
            "profile": spec.profile,
            "category": spec.category,
            "kind": spec.kind,
            "edition": spec.edition,
            "title": composed.title,
            "clauses": [{"id": cid, "version": v} for cid, v in composed.clauses],
            "chain": composed.chain,
            "inputs": inputs,
            "_staged": False,
        }
        if composed.questions_hash:
            entry["questions_hash"] = composed.questions_hash
        old = previous.get(spec.path)
        target = out / spec.path
        if not force and old and old.get("inputs") == inputs and _sha256(target) == old.get("sha256"):
            entry["sha256"] = old["sha256"]
        else:
            staged = staging / f"{len(entries):05d}.docx"
            entry["_staged"] = str(staged)
            todo.append((job, str(staged)))
        entries.append(entry)
    return entries, todo


def _render_all(todo: list[tuple[RenderJob, str]], entries: list[dict[str, Any]], jobs: int | None,
                progress: Callable[[int, int], None] | None, total: int) -> None:  # fmt: skip
    shas: dict[str, str] = {}
    done = total - len(todo)
    if progress:
        progress(done, total)
    workers = max(1, jobs or os.cpu_count() or 1)
    results: Iterable[tuple[str, str]]
    if workers == 1 or len(todo) < 4:
        results = map(_render_to, todo)
        for target, sha in results:
            shas[target] = sha
            done += 1
            if progress:
                progress(done, total)
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            for target, sha in pool.map(_render_to, todo, chunksize=4):
                shas[target] = sha
                done += 1
                if progress:
                    progress(done, total)
    for e in entries:
        if e["_staged"]:
            e["sha256"] = shas[e["_staged"]]


def _commit(out: Path, staging: Path, entries: list[dict[str, Any]], previous: dict[str, dict[str, Any]],
            full_plan: set[str], pack: dict[str, str], result: BuildResult) -> None:  # fmt: skip
    for e in entries:
        if e["_staged"]:
            target = out / e["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(e["_staged"], target)
        del e["_staged"]
    built = {e["path"] for e in entries}
    kept = [d for p, d in previous.items() if p not in built and p in full_plan and (out / p).is_file()]
    for path in sorted(p for p in previous if p not in full_plan):
        target = out / path
        if target.is_file():
            target.unlink()
            result.removed.append(path)
            _prune_empty_dirs(target.parent, out)
    documents = sorted(entries + kept, key=lambda d: d["path"])
    result.documents = documents
    manifest = {"tenderpack": __version__, "pack": pack, "documents": documents}
    _write_atomic(out / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def _prune_empty_dirs(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def problems_of(exc: ProblemsError) -> list[str]:
    return [str(p) for p in exc.problems]
