"""The one recipe: load → check → resolve → select → compose → render → write.

Nothing in the output folder changes until every document has been rendered: documents are rendered
into a staging folder inside the output folder, then moved into place one by one with ``os.replace``
(atomic on one file system), and the manifest is written last. A build that fails, or is interrupted
before that point, removes its staging folder and leaves the output folder as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, as_completed, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, pdfs
from . import staging as _staging
from .errors import Collector, OutputError, Problem, ProblemsError
from .fingerprints import input_hash as _input_hash
from .fingerprints import inputs_digest
from .manifest import MANIFEST, read_manifest, sha256, spec_of, write_manifest
from .manifest import write_atomic as _write_atomic
from .plan import EVERYTHING, DocSpec, Filters, plan
from .staging import STAGING_PREFIX, make_staging, move_into_place, remove_output, remove_stale_staging
from .workers import default_jobs, render_in_worker, render_to, start_pool

# The heavy modules (the models, the composer, the Word layer) are imported where they are first needed:
# a build with nothing to do never loads them (see docs/performance.md, start-up).
if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from .documents import Composed, ComposeError
    from .profiles import ResolvedProfile
    from .project import Project

__all__ = [
    "MANIFEST", "STAGING_PREFIX", "BuildResult", "Checked", "Filters", "build", "check", "compose_all",
    "default_jobs", "inputs_digest", "load_checked", "pack_info", "plan", "problems_of",
]  # fmt: skip

# kept importable under their old names (bench/run.py, tests)
_write_manifest = write_manifest
__all__ += ["_input_hash", "_write_atomic", "_write_manifest"]


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
    pdfs: list[str] = field(default_factory=list)  # PDFs converted by this build
    stale_pdfs: list[str] = field(default_factory=list)  # PDFs removed because their document changed
    warnings: list[Any] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def pack_info(project: Project, version: str | None = None) -> tuple[dict[str, str], dt.datetime]:
    """Pack version and date: the library's release, overridden by SOURCE_DATE_EPOCH for the date."""
    assert project.library is not None
    release = project.library.release
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    else:
        when = dt.datetime.fromisoformat(release.date)
    return {"version": version or release.version, "date": when.date().isoformat()}, when


def load_checked(root: Path, strict: bool = False, version: str | None = None,
                 timings: dict[str, float] | None = None, profiles: tuple[str, ...] = ()) -> Checked:  # fmt: skip
    """Load and check everything except composing; raise ProblemsError listing every problem.

    With ``profiles`` (a build filtered to them), ``strict`` refuses translation warnings only about the
    languages those profiles build."""
    from .checks import check_project
    from .project import load_project

    t0 = time.perf_counter()
    problems = Collector(root)
    project = load_project(root, problems)
    t1 = time.perf_counter()
    resolved = check_project(project, problems)
    languages = None
    if profiles and all(pid in resolved for pid in profiles):
        languages = frozenset(lang for pid in profiles for lang in resolved[pid].profile.all_languages)
    problems.raise_if_errors(strict, languages)
    pack, when = pack_info(project, version)
    if timings is not None:
        timings["load"] = t1 - t0
        timings["check"] = time.perf_counter() - t1
    return Checked(project, resolved, problems.warnings, pack, when)


def check(root: Path, strict: bool = False, version: str | None = None) -> Checked:
    """Load and check everything; raise ProblemsError listing every problem."""
    checked = load_checked(root, strict=strict, version=version)
    # compose every document once: catches render-time text errors (missing values) before writing
    # (a build composes as it goes and fails the same way, before anything is written)
    for _ in compose_all(checked, Filters()):
        pass
    return checked


def compose_all(checked: Checked, filters: Filters) -> Iterator[Composed]:
    """Compose documents lazily, one profile × category at a time (memory stays flat)."""
    from .documents import ComposeError, compose, make_selection

    project = checked.project
    problems = Collector(project.root)
    by_pc: dict[tuple[str, str, str], list[DocSpec]] = {}
    for spec in plan(checked, filters):
        by_pc.setdefault((spec.profile, spec.category, spec.level), []).append(spec)
    for (pid, cat, level), specs in by_pc.items():
        sel = make_selection(project, checked.resolved[pid], cat, level)
        for spec in specs:
            try:
                yield compose(project, sel, spec.kind, spec.edition, checked.pack, spec.language)
            except ComposeError as exc:
                _report_compose_error(project, exc, problems)
    problems.raise_if_errors()


def _report_compose_error(project: Project, exc: ComposeError, problems: Collector) -> None:
    """Report a text that failed to render at the file, line and key path where it is written."""
    from .checks import text_line

    source, ident, fieldname = exc.where
    yf, loc = None, tuple(int(p) if p.isdigit() else p for p in fieldname.split("."))
    if source == "clause" and ident in project.clause_files:
        yf = project.clause_files[ident]
        if loc[0] == "kpis":  # named by KPI id: find its index
            kpis = [k.id for k in project.clauses[ident].kpis]
            loc = ("kpis", kpis.index(str(loc[1])) if loc[1] in kpis else loc[1], *loc[2:])
    elif source == "strings" and project.strings_file is not None and ident in project.strings:
        yf, loc = project.strings_file, ("strings", ident, *loc)
    elif source == "library" and project.library is not None and ident.count(".") == 2:
        kind, part, index = ident.split(".")
        sections = getattr(project.library.documents[kind], part, [])
        if int(index) < len(sections):
            yf, loc = project.library_file, ("documents", kind, part, int(index), *loc)
        elif project.policy.file is not None:  # the policy document's sections come after the library's
            yf, loc = project.policy.file, ("policy", int(index) - len(sections), *loc)
    if yf is None:
        problems.error(project.clauses_dir, 0, f"{ident}.{fieldname}", exc.message)
        return
    source_text = _value_at(yf.data, loc)
    line = text_line(yf, loc, source_text, exc.line) if isinstance(source_text, str) else yf.line(loc)
    problems.error(yf.path, line, ".".join(map(str, loc)), exc.message)


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


# ------------------------------------------------------------------------------------------ build
#
# A build streams: documents are composed one at a time in this process, each one's input hash is
# compared with the manifest's, and only changed documents go to the worker pool, never more than a few
# per worker at once (memory stays flat however large the pack). Workers write into the staging folder
# and send back only the file's hash. Before any of that, a fingerprint of every input file (and of
# tenderpack itself) is compared with the one the manifest recorded: when nothing changed at all and
# every output is intact, the build stops there, without loading or composing anything.


def build(
    root: Path,
    out: Path,
    filters: Filters = EVERYTHING,
    *,
    strict: bool = False,
    jobs: int | None = None,
    force: bool = False,
    version: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    checked: Checked | None = None,
    validate: Callable[[Checked], None] | None = None,
    pdf: bool = False,
    pdf_progress: Callable[[int, int], None] | None = None,
) -> BuildResult:
    """Build the pack into ``out``; raise ProblemsError (nothing written) on any problem.

    Renders only documents whose input hash changed (all of them with ``force``) in ``jobs`` worker
    processes (default: one per core); removes outputs that are no longer part of the pack. ``validate``
    runs on the checked project before anything is composed (the CLI checks its filters there). With
    ``pdf``, converts the selected documents whose PDF is missing or out of date (all of them with
    ``force``) in up to ``jobs`` LibreOffice instances, before anything is committed (see ``pdfs``).
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    digest = inputs_digest(root, filters, strict=strict, version=version)
    manifest = read_manifest(out)
    if out.is_dir():
        try:
            remove_stale_staging(out)  # a killed build's leftovers go, even when nothing needs rendering
        except OSError as exc:
            raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    if not force and manifest.get("inputs") == digest:
        unchanged = _unchanged(out, manifest, filters, progress)
        if unchanged is not None:
            if pdf:
                _pdfs_of_unchanged(out, manifest, unchanged, max(1, jobs or default_jobs()), pdf_progress)
            timings["total"] = time.perf_counter() - t0
            unchanged.timings = timings
            return unchanged
    # the previous build, reduced to what a build needs: (inputs, sha256, pdf) of the documents it may
    # reuse, whole entries of those outside the filters (kept in the manifest as they were)
    previous = {d["path"]: (d.get("inputs"), d.get("sha256"), d.get("pdf")) for d in manifest.get("documents", [])}
    outside = [d for d in manifest.get("documents", []) if not filters.wants(spec_of(d))]
    del manifest
    workers = max(1, jobs or default_jobs())
    from .word import document  # noqa: F401  (the workers inherit the Word layer instead of each importing it)

    pool = start_pool(workers) if workers > 1 else None  # before loading: workers never copy the project
    staging: Path | None = None
    created = not out.exists()  # a failed first build leaves no empty output folder behind
    try:
        if checked is None:
            checked = load_checked(root, strict=strict, version=version, timings=timings, profiles=filters.profiles)
        if validate is not None:
            validate(checked)
        try:
            out.mkdir(parents=True, exist_ok=True)
            remove_stale_staging(out)
            staging = make_staging(out)
        except OSError as exc:
            raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
        result = BuildResult(out=out, documents=[], warnings=checked.warnings, timings=timings)
        t2 = time.perf_counter()
        entries = _stream(checked, filters, out, staging, previous, force, pool, workers, progress, timings)
        timings["render"] = time.perf_counter() - t2
        if pool is not None:  # the cores are LibreOffice's now
            pool.shutdown(wait=True)
            pool = None
        if pdf:
            t = time.perf_counter()
            _convert_pdfs(out, staging, entries, force, workers, pdf_progress, result)
            timings["pdf"] = time.perf_counter() - t
        t3 = time.perf_counter()
        result.rendered = sorted(e["path"] for e in entries if e["_staged"])
        result.reused = sorted(e["path"] for e in entries if not e["_staged"])
        full_plan = {s.path for s in plan(checked)}
        with _staging.uninterrupted():
            _commit(out, entries, previous, outside, full_plan, checked, digest, result)
        timings["write"] = time.perf_counter() - t3
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if staging is not None:
            _staging.remove_staging(staging)
            if created and not (out / MANIFEST).exists():
                shutil.rmtree(out, ignore_errors=True)  # nothing was committed into it
    timings["total"] = time.perf_counter() - t0
    return result


def _unchanged(out: Path, manifest: dict[str, Any], filters: Filters,
               progress: Callable[[int, int], None] | None) -> BuildResult | None:  # fmt: skip
    """The previous build's result, if every document it listed is still there, byte for byte."""
    documents = manifest["documents"]
    for d in documents:
        if sha256(out / d["path"]) != d.get("sha256"):
            return None
        if "pdf" in d and not pdfs.current(out, d):  # a PDF that went: its entry must go too
            return None
    wanted = sorted(d["path"] for d in documents if filters.wants(spec_of(d)))
    if progress:
        progress(len(wanted), len(wanted))
    warnings = [
        Problem(str(w["file"]), int(w["line"]), str(w["key"]), str(w["message"]), warning=True)
        for w in manifest.get("warnings", [])
        if isinstance(w, dict)
    ]
    return BuildResult(out=out, documents=documents, reused=wanted, warnings=warnings)


def _stream(checked: Checked, filters: Filters, out: Path, staging: Path,
            previous: dict[str, tuple[Any, Any, Any]], force: bool, pool: ProcessPoolExecutor | None, workers: int,
            progress: Callable[[int, int], None] | None, timings: dict[str, float]) -> list[dict[str, Any]]:  # fmt: skip
    """Compose every document, decide which to render, render those (in the pool if there is one)."""
    from .word.document import make_job

    project = checked.project
    profile_files = {pid: yf.rel for pid, yf in project.profile_files.items()}
    templates = {kind: path.read_bytes() for kind, path in project.templates.items()}
    template_digests = {kind: hashlib.sha256(data).digest() for kind, data in templates.items()}
    total = sum(1 for spec in plan(checked, filters))
    entries: list[dict[str, Any]] = []
    # Entries stay in memory until the manifest is written: documents with equal clause lists (both
    # editions, every kind of a profile × category, profiles sharing a parent) share one list.
    lists: dict[tuple[Any, ...], Any] = {}

    def shared_clauses(pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
        key = ("clauses", *pairs)
        if key not in lists:
            lists[key] = [{"id": cid, "version": v} for cid, v in pairs]
        return lists[key]  # type: ignore[no-any-return]

    def shared_chain(chain: list[str]) -> list[str]:
        key = ("chain", *chain)
        if key not in lists:
            lists[key] = list(chain)
        return lists[key]  # type: ignore[no-any-return]

    pending: dict[Future[str], dict[str, Any]] = {}
    window = 4 * workers  # documents handed to the pool and not yet back: bounds memory
    done = 0
    composing = 0.0

    def finished(futures: Iterable[Future[str]]) -> None:
        nonlocal done
        for fut in futures:
            pending.pop(fut)["sha256"] = fut.result()
            done += 1
            if progress:
                progress(done, total)

    if progress:
        progress(0, total)
    # every document is composed, also those outside the filters: a text error anywhere fails the build
    composed_all = compose_all(checked, Filters())
    while True:
        t = time.perf_counter()
        composed = next(composed_all, None)
        if composed is None:
            composing += time.perf_counter() - t
            break
        spec = composed.spec
        if not filters.wants(spec):
            composing += time.perf_counter() - t
            continue
        job = make_job(composed, project.templates[spec.kind], checked.pack, checked.when, profile_files)
        job.data = templates[spec.kind]
        inputs = _input_hash(job, template_digests[spec.kind])
        composing += time.perf_counter() - t
        entry: dict[str, Any] = {
            "path": spec.path,
            "sha256": "",
            "profile": spec.profile,
            "category": spec.category,
            "level": spec.level,
            "kind": spec.kind,
            "edition": spec.edition,
            "language": composed.language,
            "title": composed.title,
            "clauses": shared_clauses(composed.clauses),
            "chain": shared_chain(composed.chain),
            "inputs": inputs,
            "_staged": "",
        }
        if composed.questions_hash:
            entry["questions_hash"] = composed.questions_hash
        if composed.identity_sha256:
            entry["identity_sha256"] = composed.identity_sha256
        del composed
        entries.append(entry)
        old_inputs, old_sha, old_pdf = previous.get(spec.path, (None, None, None))
        if old_pdf is not None:
            entry["_old_pdf"] = old_pdf  # kept while it shows this document's bytes (decided at the commit)
        if not force and old_inputs == inputs and old_sha and sha256(out / spec.path) == old_sha:
            entry["sha256"] = old_sha
            done += 1
            if progress:
                progress(done, total)
            continue
        staged = str(staging / f"{len(entries):06d}.docx")
        entry["_staged"] = staged
        if pool is None:
            entry["sha256"] = render_to(job, staged)
            done += 1
            if progress:
                progress(done, total)
            continue
        while len(pending) >= window:
            finished(wait(pending, return_when=FIRST_COMPLETED).done)
        pending[pool.submit(render_in_worker, job, staged)] = entry
    finished(as_completed(list(pending)))
    timings["compose"] = composing
    return entries


def _convert_pdfs(out: Path, staging: Path, entries: list[dict[str, Any]], force: bool, jobs: int,
                  progress: Callable[[int, int], None] | None, result: BuildResult) -> None:  # fmt: skip
    """Convert the built documents whose PDF is missing or out of date (from the staged .docx when it was rendered)."""
    todo = []
    for e in entries:
        old = {"path": e["path"], "pdf": e.get("_old_pdf")}
        if force or not pdfs.current(out, old, e["sha256"], verify=True):
            todo.append((e, Path(e["_staged"]) if e["_staged"] else out / e["path"]))
    pdfs.convert_into(staging, todo, jobs, progress)
    result.pdfs = sorted(pdfs.pdf_path(e["path"]) for e, _ in todo)


def _pdfs_of_unchanged(out: Path, manifest: dict[str, Any], result: BuildResult, jobs: int,
                       progress: Callable[[int, int], None] | None) -> None:  # fmt: skip
    """``--pdf`` when no document changed: convert the selected ones whose PDF is missing or out of date."""
    wanted = set(result.reused)
    todo = [(d, out / d["path"]) for d in manifest["documents"] if d["path"] in wanted and not pdfs.current(out, d, verify=True)]
    if not todo:
        if progress:
            progress(len(wanted), len(wanted))
        return
    staging = make_staging(out)
    try:
        pdfs.convert_into(staging, todo, jobs, progress)
        with _staging.uninterrupted():
            for d, _ in todo:
                move_into_place(d.pop("_pdf_staged"), out, d["pdf"]["path"])
            write_manifest(out / MANIFEST, {k: v for k, v in manifest.items() if k != "documents"}, manifest["documents"])
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        _staging.remove_staging(staging)
    result.pdfs = sorted(d["pdf"]["path"] for d, _ in todo)
    result.documents = manifest["documents"]


def _commit(out: Path, entries: list[dict[str, Any]], previous: dict[str, tuple[Any, Any, Any]],
            outside: list[dict[str, Any]], full_plan: set[str], checked: Checked, digest: str,
            result: BuildResult) -> None:  # fmt: skip
    for e in entries:
        staged = e.pop("_staged")
        if staged:
            move_into_place(staged, out, e["path"])
        old = {"path": e["path"], "pdf": e.pop("_old_pdf", None)}
        if "_pdf_staged" in e:  # converted by this build
            move_into_place(e.pop("_pdf_staged"), out, e["pdf"]["path"])
        elif pdfs.current(out, old, e["sha256"]):  # the previous PDF shows these very bytes: it stays listed
            e["pdf"] = old["pdf"]
        elif staged and remove_output(out, pdfs.pdf_path(e["path"])):  # it would show the old text
            result.stale_pdfs.append(pdfs.pdf_path(e["path"]))
    built = {e["path"] for e in entries}
    kept = [d for d in outside if d["path"] not in built and d["path"] in full_plan and (out / d["path"]).is_file()]
    for path in sorted(p for p in previous if p not in full_plan):
        if remove_output(out, path):
            result.removed.append(path)
        if remove_output(out, pdfs.pdf_path(path)):
            result.removed.append(pdfs.pdf_path(path))
    result.stale_pdfs.sort()
    documents = sorted(entries + kept, key=lambda d: d["path"])
    result.documents = documents
    header = {
        "tenderpack": __version__,
        "pack": checked.pack,
        "inputs": digest,
        "warnings": [{"file": w.file, "line": w.line, "key": w.key, "message": w.message} for w in checked.warnings],
    }
    write_manifest(out / MANIFEST, header, documents)


def problems_of(exc: ProblemsError) -> list[str]:
    return [str(p) for p in exc.problems]
