"""Benchmark tenderpack builds: overhead against two floors, parallel speed-up, incremental rebuilds,
peak memory and a per-stage breakdown. ``python bench/run.py --help``; docs/performance.md explains it.

Every measurement runs in a fresh Python process (``--child``), so caches, pools and memory never carry
over from one measurement to the next; times are medians of ``--runs`` runs. The project is copied into a
temporary folder first: the bench never writes into the project it measures.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SEED = REPO / "tests" / "fixtures" / "seed"
TARGETS = {
    "floor": 1.0,  # full build ÷ bare docxtpl, at most
    "speedup": 1.7,  # 1 worker ÷ all workers, at least (2 cores)
    "nochange": 0.03,  # no-change rebuild ÷ full build, at most
    "memory": 1.2,  # peak memory 1,000 profiles ÷ 200 profiles, at most
    # whole processes (interpreter start and imports included), measured side by side:
    "help": 2.5,  # `tenderpack --help` ÷ `python -c "import click"`, at most
    "nochange_process": 0.03,  # no-change `build` ÷ full `build` of the shipped pack, at most
    "scaling": 0.95,  # (1 → 2 workers speed-up of `build`) ÷ (the machine's CPU-loop speed-up), at least
}
CLI = [sys.executable, "-m", "tenderpack.cli"]


# ================================================================================== child processes


def child(task: dict[str, Any]) -> dict[str, Any]:
    """One measurement, in its own process; returns JSON-able results."""
    kind = task["task"]
    if kind == "build":
        return _child_build(task)
    if kind == "floor-docxtpl":
        return _child_floor_docxtpl(task)
    if kind == "floor-io":
        return _child_floor_io(task)
    if kind == "stages":
        return _child_stages(task)
    if kind == "startup":
        t = time.perf_counter()
        import tenderpack.cli  # noqa: F401

        return {"seconds": time.perf_counter() - t}
    raise SystemExit(f"unknown task {kind}")


def _maxrss() -> dict[str, float]:
    import resource

    # Linux reports KiB
    return {
        "maxrss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "maxrss_workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def _child_build(task: dict[str, Any]) -> dict[str, Any]:
    from tenderpack import commands

    root, out = Path(task["root"]), Path(task["out"])
    if task.get("fresh"):
        shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    result = commands.build(root, out, jobs=task.get("jobs"), force=task.get("force", False))
    seconds = time.perf_counter() - t
    return {
        "seconds": seconds,
        "documents": len(result.documents),
        "rendered": list(result.rendered),
        "reused": len(result.reused),
        "removed": list(result.removed),
        "timings": result.timings,
        **_maxrss(),
    }


def _jobs_of(root: Path) -> Any:
    """(RenderJob, path) for every document of the pack, composed lazily (the floors' precomputed input)."""
    from tenderpack import pipeline
    from tenderpack.word.document import make_job

    checked = pipeline.load_checked(root)
    project = checked.project
    profile_files = {pid: yf.rel for pid, yf in project.profile_files.items()}
    for composed in pipeline.compose_all(checked, pipeline.Filters()):
        spec = composed.spec
        yield make_job(composed, project.templates[spec.kind], checked.pack, checked.when, profile_files), spec.path


def _child_floor_docxtpl(task: dict[str, Any]) -> dict[str, Any]:
    """Bare docxtpl: plain DocxTemplate(path).render(ctx, sandboxed autoescaping env); save() — no caching."""
    from docxtpl import DocxTemplate
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from markupsafe import Markup

    out = Path(task["out"])
    shutil.rmtree(out, ignore_errors=True)
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    seconds, n = 0.0, 0
    for job, path in _jobs_of(Path(task["root"])):
        ctx = dict(job.context)
        ctx["toc"] = Markup(job.toc_xml)
        ctx["body"] = Markup(job.body_xml)
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        tpl = DocxTemplate(job.template)
        tpl.render(ctx, jinja_env=env, autoescape=True)
        tpl.save(str(target))
        seconds += time.perf_counter() - t
        n += 1
    return {"seconds": seconds, "documents": n}


def _child_floor_io(task: dict[str, Any]) -> dict[str, Any]:
    """The I/O floor: copy each document's template bytes into its output file."""
    from tenderpack import pipeline

    checked = pipeline.load_checked(Path(task["root"]))
    templates = {kind: path.read_bytes() for kind, path in checked.project.templates.items()}
    specs = pipeline.plan(checked)
    out = Path(task["out"])
    shutil.rmtree(out, ignore_errors=True)
    for spec in specs:
        (out / spec.path).parent.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for spec in specs:
        with open(out / spec.path, "wb") as fh:
            fh.write(templates[spec.kind])
    return {"seconds": time.perf_counter() - t, "documents": len(specs)}


def _child_stages(task: dict[str, Any]) -> dict[str, Any]:
    """One build, serial and instrumented stage by stage (the stages a build runs, in its order)."""
    import hashlib

    from tenderpack import pipeline
    from tenderpack.checks import check_project
    from tenderpack.documents import compose, make_selection
    from tenderpack.errors import Collector
    from tenderpack.profiles import resolve
    from tenderpack.project import load_project
    from tenderpack.word.document import make_job, render_job

    root, out = Path(task["root"]), Path(task["out"])
    shutil.rmtree(out, ignore_errors=True)
    s: dict[str, float] = collections.defaultdict(float)
    t = time.perf_counter()
    digest = pipeline.inputs_digest(root)
    s["inputs"] += time.perf_counter() - t
    t = time.perf_counter()
    problems = Collector(root)
    project = load_project(root, problems)
    s["load"] += time.perf_counter() - t
    t = time.perf_counter()
    resolved = check_project(project, problems)
    s["check"] += time.perf_counter() - t
    t = time.perf_counter()
    for pid in sorted(project.profile_files):
        resolve(pid, project, Collector(root))
    s["resolve"] += time.perf_counter() - t
    s["check"] -= s["resolve"]  # check_project resolves every profile: count that under resolve
    pack, when = pipeline.pack_info(project)
    checked = pipeline.Checked(project, resolved, problems.warnings, pack, when)
    profile_files = {pid: yf.rel for pid, yf in project.profile_files.items()}
    templates = {kind: path.read_bytes() for kind, path in project.templates.items()}
    digests = {kind: hashlib.sha256(data).digest() for kind, data in templates.items()}
    groups: dict[tuple[str, str, str], list[Any]] = {}
    for spec in pipeline.plan(checked):
        groups.setdefault((spec.profile, spec.category, spec.level), []).append(spec)
    entries = []
    for (pid, cat, level), specs in groups.items():
        t = time.perf_counter()
        sel = make_selection(project, resolved[pid], cat, level)
        s["select"] += time.perf_counter() - t
        for spec in specs:
            t = time.perf_counter()
            composed = compose(project, sel, spec.kind, spec.edition, pack)
            s["compose"] += time.perf_counter() - t
            t = time.perf_counter()
            job = make_job(composed, project.templates[spec.kind], pack, when, profile_files)
            job.data = templates[spec.kind]
            s["ooxml"] += time.perf_counter() - t
            t = time.perf_counter()
            inputs = pipeline._input_hash(job, digests[spec.kind])
            s["hash"] += time.perf_counter() - t
            t = time.perf_counter()
            data = render_job(job)
            s["render"] += time.perf_counter() - t
            t = time.perf_counter()
            target = out / spec.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            entries.append({"path": spec.path, "sha256": sha, "clauses": composed.clauses, "inputs": inputs})
            s["write"] += time.perf_counter() - t
    t = time.perf_counter()
    header = {"tenderpack": "", "pack": pack, "inputs": digest, "warnings": []}
    pipeline._write_manifest(out / "manifest.json", header, sorted(entries, key=lambda e: e["path"]))
    s["write"] += time.perf_counter() - t
    return {"stages": dict(s), "documents": len(entries)}


# ================================================================================== parent side


class Runner:
    """Runs child measurements; samples the memory of a child's process tree when asked."""

    def __init__(self, verbose: bool):
        self.verbose = verbose

    def run(self, task: dict[str, Any], sample_memory: bool = False) -> dict[str, Any]:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(task)]
        if self.verbose:
            print(f"  · {task['task']} {Path(task.get('root', '')).name} {task.get('jobs', '')}", file=sys.stderr)
        wall = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak: dict[str, float] = {}
        sampler = None
        if sample_memory:
            sampler = threading.Thread(target=_sample, args=(proc.pid, peak), daemon=True)
            sampler.start()
        stdout, stderr = proc.communicate()
        if sampler is not None:
            sampler.join(timeout=5)
        if proc.returncode != 0:
            raise SystemExit(f"bench child failed ({task['task']}):\n{stderr[-4000:]}")
        result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
        result["process_seconds"] = time.perf_counter() - wall
        result.update(peak)
        return result


def _sample(pid: int, peak: dict[str, float]) -> None:
    """Peak of the summed RSS of a process and all its descendants (the pool workers), every 20 ms."""
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    total_peak = main_peak = 0
    while True:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        total = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            if p.pid == pid:
                main_peak = max(main_peak, rss)
        total_peak = max(total_peak, total)
        if not root.is_running() or root.status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.02)
    peak["peak_tree_mb"] = total_peak / 2**20
    peak["peak_main_sampled_mb"] = main_peak / 2**20


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(workers: int, runs: int) -> float:
    """What this machine gives a CPU-bound Python loop, 1 process vs ``workers`` processes right now (other
    load on the machine shows here first): the ceiling for tenderpack's speed-up."""
    from concurrent.futures import ProcessPoolExecutor

    n = 4_000_000
    ratios = []
    with ProcessPoolExecutor(workers) as pool:
        pool.submit(int).result()
        for _ in range(runs):
            t = time.perf_counter()
            for _ in range(workers):
                _burn(n)
            serial = time.perf_counter() - t
            t = time.perf_counter()
            list(pool.map(_burn, [n] * workers))
            ratios.append(serial / (time.perf_counter() - t))
    return median(ratios)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def copy_project(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("clauses", "profiles"):
        shutil.copytree(source / name, dest / name)
    templates = source / "templates" if (source / "templates").is_dir() else REPO / "templates"
    shutil.copytree(templates, dest / "templates")
    return dest


def check_problems(root: Path) -> list[str]:
    from tenderpack import pipeline
    from tenderpack.errors import ProblemsError

    try:
        pipeline.check(root)
    except ProblemsError as exc:
        return [str(p) for p in exc.problems]
    return []


def synthetic(base: Path, dest: Path, count: int, kinds: int) -> dict[str, Any]:
    """The base project plus ``count`` profiles, each extending one of the base profiles (round robin),
    building one of its parent's categories (in turn) and its parent's first ``kinds`` document kinds.

    The base profiles themselves are cut down to their first category and kind (they must stay, as
    parents), so that the pack's documents are nearly all synthetic ones."""
    import yaml

    from tenderpack import pipeline
    from tenderpack.errors import Collector
    from tenderpack.loading import load_yaml

    copy_project(base, dest)
    checked = pipeline.load_checked(base)
    parents = sorted(checked.resolved)
    for pid in parents:
        profile = checked.resolved[pid].profile
        path = dest / "profiles" / checked.project.profile_files[pid].path.name
        yfile = load_yaml(path, Collector(dest))
        assert yfile is not None
        data = dict(yfile.data)
        data["categories"] = [profile.categories[0]]
        data["documents"] = [profile.documents[0]]
        # the project's loader reads every scalar as a string: dumping strings keeps every value as it was
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    for i in range(count):
        parent = checked.resolved[parents[i % len(parents)]].profile
        category = parent.categories[(i // len(parents)) % len(parent.categories)]
        documents = list(parent.documents)[:kinds]
        (dest / "profiles" / f"bench-{i:04d}.yaml").write_text(
            f"id: bench-{i:04d}\n"
            f"name: Benchmark buyer {i:04d}\n"
            f"extends: {parent.id}\n"
            f"authority:\n  name: Benchmark buyer {i:04d}\n"
            f"categories: [{category}]\n"
            f"documents: [{', '.join(documents)}]\n",
            encoding="utf-8",
        )
    return {"profiles": count, "kinds": kinds}


def change_one_clause(root: Path, out: Path) -> tuple[str, Path, bytes, set[str], int]:
    """Edit the clause listed by the most documents (but not all): a sentence added to its text, its
    version bumped. Returns the clause, its file, the file's old bytes, the documents listing it, the total."""
    import yaml

    from tenderpack.errors import Collector
    from tenderpack.loading import load_yaml
    from tenderpack.project import load_project

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    docs = manifest["documents"]
    count = collections.Counter(c["id"] for d in docs for c in d["clauses"])
    candidates = sorted(((n, cid) for cid, n in count.items() if n < len(docs)), key=lambda x: (-x[0], x[1]))
    if not candidates:
        raise SystemExit("no clause is listed by some but not all documents")
    _, clause = candidates[0]
    containing = {d["path"] for d in docs if any(c["id"] == clause for c in d["clauses"])}
    project = load_project(root, Collector(root))
    path = project.clause_files[clause].path
    old = path.read_bytes()
    yfile = load_yaml(path, Collector(root))
    assert yfile is not None
    data = yfile.data
    data["version"] = str(int(data["version"]) + 1)
    sentence = " The benchmark changed this clause."
    if isinstance(data.get("text"), dict):
        data["text"] = {lang: str(text).rstrip() + sentence + "\n" for lang, text in data["text"].items()}
    else:
        data["text"] = str(data["text"]).rstrip() + sentence + "\n"
    # the project's loader reads every scalar as a string, so dumping strings keeps every other value as it was
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return clause, path, old, containing, len(docs)


def measure_pack(name: str, root: Path, work: Path, runner: Runner, runs: int, jobs: int,
                 full: bool, memory: bool) -> dict[str, Any]:  # fmt: skip
    print(f"[{name}] {root}", file=sys.stderr)
    res: dict[str, Any] = {"name": name}
    out = work / f"out-{name}"
    floor = str(work / "floor")
    for key in ("floor_docxtpl", "floor_io", "build_1", "build_n", "capacity"):
        res[key] = []
    # Runs interleave the measurements a ratio compares, so that a change in the machine's other load hits
    # both sides alike. The parallel builds' process trees are sampled when memory is measured.
    for _ in range(runs if full else 1):
        if full:
            res["floor_docxtpl"].append(runner.run({"task": "floor-docxtpl", "root": str(root), "out": floor}))
            res["floor_io"].append(runner.run({"task": "floor-io", "root": str(root), "out": floor}))
            res["build_1"].append(
                runner.run({"task": "build", "root": str(root), "out": str(out), "jobs": 1, "fresh": True})
            )
        res["build_n"].append(
            runner.run({"task": "build", "root": str(root), "out": str(out), "jobs": jobs, "fresh": True}, memory)
        )
        if full:
            res["capacity"].append(machine_speedup(jobs, 1))
    shutil.rmtree(floor, ignore_errors=True)
    if not full:
        del res["floor_docxtpl"], res["floor_io"], res["build_1"]
    res["nochange"] = [
        runner.run({"task": "build", "root": str(root), "out": str(out), "jobs": jobs}) for _ in range(runs)
    ]
    if full:
        clause, path, old, containing, total = change_one_clause(root, out)
        try:
            changed = runner.run({"task": "build", "root": str(root), "out": str(out), "jobs": jobs})
        finally:
            path.write_bytes(old)
        rendered = set(changed["rendered"])
        res["one_clause"] = {
            "clause": clause,
            "containing": len(containing),
            "rendered": len(rendered),
            "exact": rendered == containing,
            "documents": total,
            "seconds": changed["seconds"],
        }
        res["stages"] = runner.run({"task": "stages", "root": str(root), "out": str(out)})
    shutil.rmtree(out, ignore_errors=True)
    return res


# ================================================================================== whole processes


def timed_process(cmd: list[str]) -> float:
    """Wall time of one whole process (interpreter start, imports, work, exit)."""
    t = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def process_targets(root: Path, work: Path, runs: int, jobs: int, verbose: bool) -> dict[str, Any]:
    """The three whole-process ratios, each side measured alternately in the same run (medians)."""
    out = work / "out-processes"
    build = [*CLI, "build", "--project", str(root), "--out", str(out)]
    t: dict[str, list[float]] = collections.defaultdict(list)
    for i in range(max(runs, 5)):  # short processes: more runs
        t["click"].append(timed_process([sys.executable, "-c", "import click"]))
        t["help"].append(timed_process([*CLI, "--help"]))
        if verbose:
            print(f"  · start-up run {i + 1}: click {t['click'][-1]:.3f} s, --help {t['help'][-1]:.3f} s", file=sys.stderr)
    for i in range(runs):
        # the machine's own speed-up right before and right after each pair of builds: other load on the
        # machine changes it from minute to minute, so it is compared with builds of the same minutes
        before = machine_speedup(jobs, 1)
        shutil.rmtree(out, ignore_errors=True)
        t["build_1"].append(timed_process([*build, "--jobs", "1"]))
        shutil.rmtree(out, ignore_errors=True)
        t["build_n"].append(timed_process([*build, "--jobs", str(jobs)]))
        t["capacity"].append((before + machine_speedup(jobs, 1)) / 2)
        for _ in range(3):
            t["nochange"].append(timed_process([*build, "--jobs", str(jobs)]))
        if verbose:
            print(f"  · build run {i + 1}: 1 worker {t['build_1'][-1]:.1f} s, {jobs} workers {t['build_n'][-1]:.1f} s, "
                  f"no-change {t['nochange'][-1]:.2f} s, machine {t['capacity'][-1]:.2f}", file=sys.stderr)  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)
    m = {k: median(v) for k, v in t.items()}
    speedup = m["build_1"] / m["build_n"]
    return {
        "times": m,
        "runs": {k: len(v) for k, v in t.items()},
        "help": m["help"] / m["click"],
        "nochange": m["nochange"] / m["build_n"],
        "speedup": speedup,
        "scaling": speedup / m["capacity"],
    }


def process_report(p: dict[str, Any], jobs: int) -> str:
    m = p["times"]
    rows = [
        ["`tenderpack --help` ÷ `python -c \"import click\"`", f"{m['help']:.3f} s ÷ {m['click']:.3f} s",
         f"{p['help']:.2f}×", f"≤ {TARGETS['help']}×", "PASS" if p["help"] <= TARGETS["help"] else "FAIL"],
        ["no-change `build` ÷ full `build` (shipped pack)", f"{m['nochange']:.2f} s ÷ {m['build_n']:.1f} s",
         f"{100 * p['nochange']:.1f} %", f"≤ {100 * TARGETS['nochange_process']:.0f} %",
         "PASS" if p["nochange"] <= TARGETS["nochange_process"] else "FAIL"],
        [f"1 → {jobs} workers ÷ the machine's CPU-loop speed-up",
         f"{p['speedup']:.2f} ÷ {m['capacity']:.2f} ({m['build_1']:.1f} s → {m['build_n']:.1f} s)",
         f"{p['scaling']:.2f}", f"≥ {TARGETS['scaling']}", "PASS" if p["scaling"] >= TARGETS["scaling"] else "FAIL"],
    ]  # fmt: skip
    runs = p["runs"]
    return "\n".join([
        f"Whole processes, side by side (medians: {runs['help']} start-up runs, {runs['build_n']} build runs, "
        f"{runs['nochange']} no-change runs)",
        table(rows, ["ratio", "measured", "value", "target", "result"]),
    ])  # fmt: skip


# ================================================================================== report


def summarise(res: dict[str, Any]) -> dict[str, Any]:
    s: dict[str, Any] = {"name": res["name"], "documents": res["build_n"][0]["documents"]}
    s["build_n"] = median([r["seconds"] for r in res["build_n"]])
    s["nochange"] = median([r["seconds"] for r in res["nochange"]])
    s["nochange_rendered"] = max(len(r["rendered"]) for r in res["nochange"])
    s["nochange_ratio"] = s["nochange"] / s["build_n"]
    if "build_1" in res:
        s["build_1"] = median([r["seconds"] for r in res["build_1"]])
        s["floor_docxtpl"] = median([r["seconds"] for r in res["floor_docxtpl"]])
        s["floor_io"] = median([r["seconds"] for r in res["floor_io"]])
        s["vs_docxtpl_1"] = s["build_1"] / s["floor_docxtpl"]
        s["vs_docxtpl_n"] = s["build_n"] / s["floor_docxtpl"]
        s["vs_io_1"] = s["build_1"] / s["floor_io"]
        s["vs_io_n"] = s["build_n"] / s["floor_io"]
        s["speedup"] = s["build_1"] / s["build_n"]
        s["capacity"] = median(res["capacity"])
        s["one_clause"] = res["one_clause"]
        st = res["stages"]["stages"]
        s["stages"] = st
    if "peak_tree_mb" in res["build_n"][0]:
        keys = ("peak_tree_mb", "peak_main_sampled_mb", "maxrss_main_mb", "maxrss_workers_mb")
        s["memory"] = {k: median([r[k] for r in res["build_n"]]) for k in keys}
    return s


def fmt(x: Any, digits: int = 2) -> str:
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join([line, sep, *body])


def report(summaries: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    full = [s for s in summaries if "build_1" in s]
    names = [s["name"] for s in full]
    out = [f"tenderpack bench — {meta['when']} — {meta['machine']}", ""]
    for note in meta["notes"]:
        out.append(f"note: {note}")
    out.append("")

    def ok(good: bool) -> str:
        return "yes" if good else "NO"

    rows = []
    rows.append(["full build (1 worker) ÷ bare docxtpl", *[fmt(s["vs_docxtpl_1"]) for s in full], "≤ 1.0",
                 ok(all(s["vs_docxtpl_1"] <= TARGETS["floor"] for s in full))])  # fmt: skip
    rows.append([f"full build ({meta['jobs']} workers) ÷ bare docxtpl", *[fmt(s["vs_docxtpl_n"]) for s in full], "",
                 ""])  # fmt: skip
    rows.append(["full build (1 worker) ÷ I/O floor", *[fmt(s["vs_io_1"], 0) for s in full], "", ""])
    rows.append([f"full build ({meta['jobs']} workers) ÷ I/O floor", *[fmt(s["vs_io_n"], 0) for s in full], "", ""])
    rows.append([f"speed-up, 1 → {meta['jobs']} workers", *[fmt(s["speedup"]) for s in full], "≥ 1.7",
                 ok(all(s["speedup"] >= TARGETS["speedup"] for s in full))])  # fmt: skip
    rows.append([f"  (the machine's own CPU-loop speed-up, 1 → {meta['jobs']})", *[fmt(s["capacity"]) for s in full],
                 "", ""])  # fmt: skip
    rows.append(["no-change rebuild ÷ full build", *[f"{100 * s['nochange_ratio']:.1f} %" for s in full], "≤ 3 %",
                 ok(all(s["nochange_ratio"] <= TARGETS["nochange"] for s in full))])  # fmt: skip
    rows.append(["no-change rebuild: documents rendered", *[str(s["nochange_rendered"]) for s in full], "0",
                 ok(all(s["nochange_rendered"] == 0 for s in full))])  # fmt: skip
    rows.append(["one clause changed: rendered / containing", *[
        f"{s['one_clause']['rendered']} / {s['one_clause']['containing']}" for s in full], "equal",
        ok(all(s["one_clause"]["exact"] for s in full))])  # fmt: skip
    cap = meta["capacity"]
    out.append(
        f"This machine's own speed-up for a CPU-bound Python loop, 1 → {meta['jobs']} processes, before and after "
        f"the bench: {', '.join(f'{c:.2f}' for c in cap)} (other load on the machine lowers it; the ceiling for "
        "tenderpack's speed-up)"
    )
    out.append("")
    out.append(f"Ratios (medians of {meta['runs']} runs)")
    out.append(table(rows, ["measure", *names, "target", "met"]))
    out.append("")
    mem = {s["name"]: s["memory"] for s in summaries if "memory" in s}
    small, large = meta.get("memory_pair", (None, None))
    if small in mem and large in mem:
        a, b = mem[small], mem[large]
        rows = [
            ["main process + workers (sampled RSS, summed)", f"{a['peak_tree_mb']:.0f}", f"{b['peak_tree_mb']:.0f}",
             fmt(b["peak_tree_mb"] / a["peak_tree_mb"]), "≤ 1.2", ok(b["peak_tree_mb"] / a["peak_tree_mb"] <= 1.2)],
            ["main process (ru_maxrss)", f"{a['maxrss_main_mb']:.0f}", f"{b['maxrss_main_mb']:.0f}",
             fmt(b["maxrss_main_mb"] / a["maxrss_main_mb"]), "", ""],
            ["largest worker (ru_maxrss)", f"{a['maxrss_workers_mb']:.0f}", f"{b['maxrss_workers_mb']:.0f}",
             fmt(b["maxrss_workers_mb"] / a["maxrss_workers_mb"]), "", ""],
        ]  # fmt: skip
        out.append("Peak memory of a full build, MB")
        out.append(table(rows, ["", small, large, "ratio", "target", "met"]))
        out.append("")

    rows = []
    for s in summaries:
        row = [s["name"], str(s["documents"])]
        if "build_1" in s:
            row += [fmt(s["floor_docxtpl"]), fmt(s["floor_io"], 3), fmt(s["build_1"]), fmt(s["build_n"]),
                    fmt(s["nochange"], 3), f"{s['documents'] / s['build_n']:.0f}"]  # fmt: skip
        else:
            row += ["", "", "", fmt(s["build_n"]), fmt(s["nochange"], 3), f"{s['documents'] / s['build_n']:.0f}"]
        if "memory" in s:
            m = s["memory"]
            row += [f"{m['peak_tree_mb']:.0f}", f"{m['maxrss_main_mb']:.0f}", f"{m['maxrss_workers_mb']:.0f}"]
        else:
            row += ["", "", ""]
        rows.append(row)
    out.append("Absolute times in seconds (not the target; the machine's load shows in them)")
    out.append(table(rows, ["pack", "docs", "bare docxtpl", "I/O floor", "build 1w", f"build {meta['jobs']}w",
                            "no-change", "docs/s", "peak MB all", "peak MB main", "peak MB worker"]))  # fmt: skip
    out.append(f"CLI start-up (interpreter + imports), not in the times above: {meta['startup']:.2f} s")
    out.append("")

    stages = ["inputs", "load", "check", "resolve", "select", "compose", "ooxml", "hash", "render", "write"]
    rows = []
    for s in full:
        st = s["stages"]
        total = sum(st.values())
        rows.append([s["name"], *[f"{st.get(k, 0):.2f} ({100 * st.get(k, 0) / total:.0f} %)" for k in stages],
                     f"{total:.2f}"])  # fmt: skip
    out.append("Per-stage breakdown, one serial build (seconds, share of the total)")
    out.append(table(rows, ["pack", *stages, "total"]))
    for s in full:
        c = s["one_clause"]
        out.append(
            f"one clause changed in {s['name']}: {c['clause']} (listed by {c['containing']} of {c['documents']} "
            f"documents) → {c['rendered']} rendered in {c['seconds']:.2f} s; same set: {c['exact']}"
        )
    return "\n".join(out)


# ================================================================================== main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", type=Path, default=None, help="project to measure [default: the shipped library]")
    ap.add_argument("--sizes", default="200,1000", help="synthetic pack sizes in profiles [default: 200,1000]")
    ap.add_argument("--kinds", type=int, default=2, help="document kinds per synthetic profile [default: 2]")
    ap.add_argument("--runs", type=int, default=3, help="runs per timed measurement [default: 3]")
    ap.add_argument("--jobs", type=int, default=None, help="workers of the parallel builds [default: all cores]")
    ap.add_argument("--quick", action="store_true", help="one run, synthetic packs of 50 and 250 profiles")
    ap.add_argument("--targets", action="store_true",
                    help="only the three whole-process ratios (start-up, no-change build, scaling) on the shipped pack")  # fmt: skip
    ap.add_argument("--json", type=Path, default=None, help="also write every measurement to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return

    from tenderpack.pipeline import default_jobs

    jobs = args.jobs or default_jobs()
    runs = 1 if args.quick else args.runs
    sizes = [50, 250] if args.quick else [int(x) for x in args.sizes.split(",") if x.strip()]
    notes: list[str] = []
    source = args.project.resolve() if args.project else REPO
    work = Path(tempfile.mkdtemp(prefix="tenderpack-bench-"))
    runner = Runner(args.verbose)
    t0 = time.perf_counter()
    try:
        base = copy_project(source, work / "shipped")
        problems = check_problems(base)
        if problems:
            if args.project is not None:
                raise SystemExit(f"{source} does not pass check:\n" + "\n".join(problems[:20]))
            notes.append(
                f"the shipped library does not pass check ({len(problems)} problems, first: {problems[0]}); "
                "measured on the test fixture tests/fixtures/seed instead"
            )
            shutil.rmtree(base)
            base = copy_project(SEED, work / "shipped")
        if args.targets:
            print(f"tenderpack bench — {dt.datetime.now().isoformat(timespec='seconds')} — {platform.system()} "
                  f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average "
                  f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
            for note in notes:
                print(f"note: {note}")
            print()
            print(process_report(process_targets(base, work, runs, jobs, args.verbose), jobs))
            print(f"\n(bench took {time.perf_counter() - t0:.0f} s)")
            return
        packs: list[tuple[str, Path, bool, bool]] = [("shipped", base, True, False)]
        for n in sizes:
            root = work / f"synthetic-{n}"
            synthetic(base, root, n, args.kinds)
            packs.append((f"{n} profiles", root, n == sizes[0], True))
        notes.append(
            f"synthetic packs: the shipped profiles plus N profiles extending them in turn, each building one "
            f"category (in turn) and its parent's first {args.kinds} document kinds"
        )
        startup = median([runner.run({"task": "startup"})["process_seconds"] for _ in range(3)])
        capacity = [machine_speedup(jobs, 3)]
        results = []
        for name, root, full, mem in packs:
            results.append(measure_pack(name, root, work, runner, runs, jobs, full, mem))
        capacity.append(machine_speedup(jobs, 3))
        processes = process_targets(base, work, runs, jobs, args.verbose)
        summaries = [summarise(r) for r in results]
        meta = {
            "when": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
            "notes": notes,
            "runs": runs,
            "jobs": jobs,
            "startup": startup,
            "capacity": capacity,
            "memory_pair": (f"{sizes[0]} profiles", f"{sizes[-1]} profiles") if len(sizes) > 1 else (None, None),
        }
        text = report(summaries, meta) + "\n\n" + process_report(processes, jobs)
        print(text)
        print(f"\n(bench took {time.perf_counter() - t0:.0f} s)")
        if args.json:
            args.json.write_text(
                json.dumps({"meta": meta, "summaries": summaries, "raw": results, "processes": processes}, indent=2,
                           default=str)
            )
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
