"""The one recipe: load → check → resolve → select → compose → render → write.

Nothing in the output folder changes until every document has been rendered: documents are rendered
into a staging folder inside the output folder, then moved into place one by one with ``os.replace``
(atomic on one file system), and the manifest is written last. A build that fails, or is interrupted
before that point, removes its staging folder and leaves the output folder as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .checks import check_project, text_line
from .documents import Composed, ComposeError, DocSpec, compose, make_selection
from .errors import Collector, OutputError, Problem, ProblemsError
from .loading import link_problem
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
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    else:
        when = dt.datetime.fromisoformat(release.date)
    return {"version": version or release.version, "date": when.date().isoformat()}, when


def load_checked(root: Path, strict: bool = False, version: str | None = None,
                 timings: dict[str, float] | None = None) -> Checked:  # fmt: skip
    """Load and check everything except composing; raise ProblemsError listing every problem."""
    t0 = time.perf_counter()
    problems = Collector(root)
    project = load_project(root, problems)
    t1 = time.perf_counter()
    resolved = check_project(project, problems)
    problems.raise_if_errors(strict)
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


def plan(checked: Checked, filters: Filters = Filters()) -> list[DocSpec]:
    """Every document of the pack (filtered), in a stable order."""
    specs = []
    for pid in sorted(checked.resolved):
        p = checked.resolved[pid].profile
        languages = p.all_languages if len(p.all_languages) > 1 else [""]  # a folder per language only then
        for cat in p.categories:
            for kind in p.documents:
                for edition in EDITIONS:
                    if edition == "bilingual" and (len(p.all_languages) < 2 or kind == "questionnaire"):
                        continue  # side by side needs two languages; answers are given in one
                    for lang in languages if edition != "bilingual" else [""]:
                        spec = DocSpec(pid, cat, kind, edition, lang)
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
                yield compose(project, sel, spec.kind, spec.edition, checked.pack, spec.language)
            except ComposeError as exc:
                _report_compose_error(project, exc, problems)
    problems.raise_if_errors()


def _report_compose_error(project: Project, exc: ComposeError, problems: Collector) -> None:
    """Report a text that failed to render at the file, line and key path where it is written."""
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


def default_jobs() -> int:
    """Worker processes by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@functools.lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """A hash of tenderpack's own source: a changed program never takes the no-change shortcut."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.digest()


def inputs_digest(root: Path, filters: Filters = Filters(), *, strict: bool = False, version: str | None = None) -> str:
    """A hash of everything a build reads: every file under clauses/, profiles/ and templates/ (path and
    bytes), tenderpack's code and version, the options that change the output, and SOURCE_DATE_EPOCH."""
    h = hashlib.sha256(_code_digest())
    options = {
        "filters": [list(filters.profiles), list(filters.categories), list(filters.kinds), list(filters.editions)],
        "strict": strict,
        "version": version,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    h.update(json.dumps(options, sort_keys=True).encode())
    for folder in ("clauses", "profiles", "templates"):
        if link_problem(root / folder, root):
            continue  # the check refuses it; never walk what lies outside the project
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames.sort()
            for name in dirnames:  # a link to a folder is not walked, but adding one is a change (load refuses some)
                link = Path(dirpath) / name
                if link.is_symlink():
                    h.update(f"\0{link.relative_to(root).as_posix()} -> {os.readlink(link)}".encode())
            for name in sorted(filenames):
                path = Path(dirpath) / name
                h.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
                h.update(_file_digest(path, root))
    return h.hexdigest()


def _file_digest(path: Path, root: Path) -> bytes:
    """A file's hash; a refused link or a file that is not regular (a FIFO would block) is never read."""
    try:
        mode = path.lstat().st_mode
        # only a link can lead outside the project (folders are walked without following links); resolving
        # every path was most of the time of a no-change build
        refused = link_problem(path, root) if stat.S_ISLNK(mode) else None
        if refused or not stat.S_ISREG(path.stat().st_mode if stat.S_ISLNK(mode) else mode):
            return f"refused: {refused}".encode()
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError as exc:
        return f"unreadable: {exc.errno}".encode()


def _input_hash(job: RenderJob, template_digest: bytes) -> str:
    """Everything one document depends on: template bytes, resolved context, generated XML, tenderpack version."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(template_digest)
    payload = [job.context, job.numbering_xml, job.props.__dict__]
    h.update(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    for xml in (job.toc_xml, job.body_xml, job.custom_xml):  # large: hashed as they are, not escaped into JSON
        data = xml.encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        return {}
    data["documents"] = [d for d in data["documents"] if isinstance(d, dict) and isinstance(d.get("path"), str)]
    return data


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _spec_of(entry: dict[str, Any]) -> DocSpec:
    parts = str(entry.get("path", "")).split("/")
    language = parts[2] if len(parts) == 4 else ""  # profile/category/language/id.docx: a profile of several languages
    return DocSpec(
        str(entry.get("profile")), str(entry.get("category")), str(entry.get("kind")), str(entry.get("edition")), language
    )


_COLLECT_EVERY = 16  # documents a worker renders between two garbage collections
_rendered_here = 0


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    # What the worker inherited (the imported modules) is never garbage: keep the collector off it, so that
    # the frequent collections below stay cheap and never copy the parent's pages.
    gc.freeze()


def _render_in_worker(job: RenderJob, target: str) -> str:
    """``_render_to`` in a pool worker, collecting garbage every few documents.

    A rendered document leaves reference cycles (python-docx parts and their package, holding lxml trees),
    which only the cyclic collector frees; left to its own thresholds a worker grows by a few KiB per
    document for thousands of documents (measured: +20 MB per worker over 4,000 documents).
    """
    global _rendered_here
    sha = _render_to(job, target)
    _rendered_here += 1
    if _rendered_here % _COLLECT_EVERY == 0:
        gc.collect()
    return sha


def _render_to(job: RenderJob, target: str) -> str:
    """Render one document into ``target``; return its sha256."""
    data = render_job(job)
    with open(target, "wb") as fh:
        fh.write(data)
    return hashlib.sha256(data).hexdigest()


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
    validate: Callable[[Checked], None] | None = None,
) -> BuildResult:
    """Build the pack into ``out``; raise ProblemsError (nothing written) on any problem.

    Renders only documents whose input hash changed (all of them with ``force``) in ``jobs`` worker
    processes (default: one per core); removes outputs that are no longer part of the pack. ``validate``
    runs on the checked project before anything is composed (the CLI checks its filters there).
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    digest = inputs_digest(root, filters, strict=strict, version=version)
    manifest = _read_manifest(out)
    if not force and manifest.get("inputs") == digest:
        unchanged = _unchanged(out, manifest, filters, progress)
        if unchanged is not None:
            timings["total"] = time.perf_counter() - t0
            unchanged.timings = timings
            return unchanged
    # the previous build, reduced to what a build needs: (inputs, sha256) of the documents it may
    # reuse, whole entries of those outside the filters (kept in the manifest as they were)
    previous = {d["path"]: (d.get("inputs"), d.get("sha256")) for d in manifest.get("documents", [])}
    outside = [d for d in manifest.get("documents", []) if not filters.wants(_spec_of(d))]
    del manifest
    workers = max(1, jobs or default_jobs())
    pool = _start_pool(workers) if workers > 1 else None  # before loading: workers never copy the project
    staging: Path | None = None
    created = not out.exists()  # a failed first build leaves no empty output folder behind
    try:
        if checked is None:
            checked = load_checked(root, strict=strict, version=version, timings=timings)
        if validate is not None:
            validate(checked)
        try:
            out.mkdir(parents=True, exist_ok=True)
            _remove_stale_staging(out)
            staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
        except OSError as exc:
            raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
        result = BuildResult(out=out, documents=[], warnings=checked.warnings, timings=timings)
        t2 = time.perf_counter()
        entries = _stream(checked, filters, out, staging, previous, force, pool, workers, progress, timings)
        timings["render"] = time.perf_counter() - t2
        t3 = time.perf_counter()
        result.rendered = sorted(e["path"] for e in entries if e["_staged"])
        result.reused = sorted(e["path"] for e in entries if not e["_staged"])
        full_plan = {s.path for s in plan(checked)}
        with _uninterrupted():
            _commit(out, entries, previous, outside, full_plan, checked, digest, result)
        timings["write"] = time.perf_counter() - t3
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            if created and not (out / MANIFEST).exists():
                shutil.rmtree(out, ignore_errors=True)  # nothing was committed into it
    timings["total"] = time.perf_counter() - t0
    return result


def _remove_stale_staging(out: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone); the next build repairs."""
    for folder in out.glob(STAGING_PREFIX + "*"):
        pid = folder.name[len(STAGING_PREFIX) :].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # no cheap test: leave the folder
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl-C is ignored while documents move into place: a build stops before its commit, or not at all."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _unchanged(out: Path, manifest: dict[str, Any], filters: Filters,
               progress: Callable[[int, int], None] | None) -> BuildResult | None:  # fmt: skip
    """The previous build's result, if every document it listed is still there, byte for byte."""
    documents = manifest["documents"]
    for d in documents:
        if _sha256(out / d["path"]) != d.get("sha256"):
            return None
    wanted = sorted(d["path"] for d in documents if filters.wants(_spec_of(d)))
    if progress:
        progress(len(wanted), len(wanted))
    warnings = [
        Problem(str(w["file"]), int(w["line"]), str(w["key"]), str(w["message"]), warning=True)
        for w in manifest.get("warnings", [])
        if isinstance(w, dict)
    ]
    return BuildResult(out=out, documents=documents, reused=wanted, warnings=warnings)


def _start_pool(workers: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    pool.submit(int).result()  # start the workers now, while this process holds no project data
    return pool


def _stream(checked: Checked, filters: Filters, out: Path, staging: Path,
            previous: dict[str, tuple[Any, Any]], force: bool, pool: ProcessPoolExecutor | None, workers: int,
            progress: Callable[[int, int], None] | None, timings: dict[str, float]) -> list[dict[str, Any]]:  # fmt: skip
    """Compose every document, decide which to render, render those (in the pool if there is one)."""
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
        old_inputs, old_sha = previous.get(spec.path, (None, None))
        if not force and old_inputs == inputs and old_sha and _sha256(out / spec.path) == old_sha:
            entry["sha256"] = old_sha
            done += 1
            if progress:
                progress(done, total)
            continue
        staged = str(staging / f"{len(entries):06d}.docx")
        entry["_staged"] = staged
        if pool is None:
            entry["sha256"] = _render_to(job, staged)
            done += 1
            if progress:
                progress(done, total)
            continue
        while len(pending) >= window:
            finished(wait(pending, return_when=FIRST_COMPLETED).done)
        pending[pool.submit(_render_in_worker, job, staged)] = entry
    finished(as_completed(list(pending)))
    timings["compose"] = composing
    return entries


def _commit(out: Path, entries: list[dict[str, Any]], previous: dict[str, tuple[Any, Any]],
            outside: list[dict[str, Any]], full_plan: set[str], checked: Checked, digest: str,
            result: BuildResult) -> None:  # fmt: skip
    for e in entries:
        if e["_staged"]:
            target = out / e["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(e["_staged"], target)
        del e["_staged"]
    built = {e["path"] for e in entries}
    kept = [d for d in outside if d["path"] not in built and d["path"] in full_plan and (out / d["path"]).is_file()]
    for path in sorted(p for p in previous if p not in full_plan):
        target = out / path
        if target.is_file():
            target.unlink()
            result.removed.append(path)
            _prune_empty_dirs(target.parent, out)
    documents = sorted(entries + kept, key=lambda d: d["path"])
    result.documents = documents
    header = {
        "tenderpack": __version__,
        "pack": checked.pack,
        "inputs": digest,
        "warnings": [{"file": w.file, "line": w.line, "key": w.key, "message": w.message} for w in checked.warnings],
    }
    _write_manifest(out / MANIFEST, header, documents)


def _write_manifest(path: Path, header: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    """Write ``{**header, "documents": documents}`` as ``json.dumps(..., indent=2)`` would, one document
    at a time (the whole text of a large pack's manifest is never held in memory)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        head = json.dumps({**header, "documents": []}, indent=2, ensure_ascii=False)
        if not documents:
            fh.write(head + "\n")
        else:
            fh.write(head[: -len("[]\n}")] + "[\n")
            for i, d in enumerate(documents):
                text = json.dumps(d, indent=2, ensure_ascii=False).replace("\n", "\n    ")
                fh.write("    " + text + (",\n" if i < len(documents) - 1 else "\n"))
            fh.write("  ]\n}\n")
    os.replace(tmp, path)


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
