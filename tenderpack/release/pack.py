"""``pack``: build every document and write one reproducible release zip."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import __version__
from ..documents import make_selection
from ..errors import OutputError, Problem
from ..pipeline import MANIFEST, Checked, Filters, build, check, compose_all, plan
from ..word.redline import RedlineResult, redline_docx
from .changelog import format_changelog
from .changes import Changes, compare
from .packdata import (
    CHANGELOG,
    CLAUSES,
    DOCUMENTS,
    PACK_FORMAT,
    PARALLEL_REDLINES,
    REDLINE_SUFFIX,
    REDLINES,
    SUMS,
    PackData,
    ReleaseError,
    check_version,
    clause_data,
    guard_versions,
    pack_name,
    read_pack,
)

# ------------------------------------------------------------------------------------------ pack


@dataclass
class PackResult:
    path: Path
    sha256: str
    info: dict[str, str]
    documents: int
    redlines: list[str]
    changes: Changes | None
    warnings: list[Any]



def pack(root: Path, version: str, *, previous: Path | None = None, out: Path | None = None,
         jobs: int | None = None, force: bool = False) -> PackResult:  # fmt: skip
    """Build the whole pack and write ``out/tenderpack-<version>.zip``; nothing is written on any problem.

    An existing zip of that name is a published release: it is replaced only with ``force``.
    """
    try:
        check_version(version)
    except ValueError as exc:
        raise ReleaseError(str(exc)) from None
    target = (out if out is not None else root / "releases") / pack_name(version)
    if not force and (target.exists() or target.is_symlink()):
        raise ReleaseError(f"{target} already exists: a published release is not overwritten; use --force to replace it")
    # 1. check the project, and the clause versions against the previous pack
    checked = check(root, version=version)
    checked.warnings.extend(version_warnings(checked, version))
    clauses = clause_data(checked.project)
    old = read_pack(previous) if previous is not None else None
    if old is not None:
        guard_versions(old.clauses, clauses)
    # 2. build every document; describe each in the manifest
    files, documents = _documents(root, checked, version, jobs)
    from ..notices.bundle import notice_files  # eForms fragment and OCDS release of each document set

    notice_data, notices = notice_files(checked, documents, DOCUMENTS)
    files.update(notice_data)
    files[CLAUSES] = _dump({"format": PACK_FORMAT, "clauses": list(clauses.values())})
    manifest: dict[str, Any] = {
        "format": PACK_FORMAT,
        "pack": checked.pack,
        "tenderpack": __version__,
        "previous": {**old.info, "sha256": old.sha256} if old else None,
        "profiles": {
            pid: {"chain": r.chain, "files": [checked.project.profile_files[p].rel for p in r.chain]}
            for pid, r in sorted(checked.resolved.items())
        },
        "documents": documents,
        "notices": notices,
    }
    # 3. compare with the previous pack: changelog and redlines
    current = PackData("this pack", manifest, clauses, files.__getitem__)
    changes = compare(old, current) if old is not None else None
    redlines: dict[str, str] = {}
    if old is not None and changes is not None:
        manifest["redlines"] = []
        made = make_redlines(old, current, changes.documents_changed, _iso(checked.when), jobs)
        for doc_path, (red_path, red) in made.items():
            files[red_path] = red.data
            redlines[doc_path] = red_path
            manifest["redlines"].append(_redline_entry(red_path, red, doc_path, old, current))
    files[CHANGELOG] = format_changelog(changes, checked.pack, clauses, redlines).encode("utf-8")
    # 4. manifest and checksums last, then one reproducible zip
    manifest["files"] = [{"path": p, "sha256": _sha(b), "size": len(b)} for p, b in sorted(files.items())]
    files[MANIFEST] = _dump(manifest)
    files[SUMS] = "".join(f"{_sha(files[p])}  {p}\n" for p in sorted(files)).encode("utf-8")
    data = zip_bytes(files, checked.when)
    _write(target, data)
    return PackResult(target, _sha(data), checked.pack, len(documents), sorted(redlines.values()), changes,
                      checked.warnings)  # fmt: skip


def version_warnings(checked: Checked, version: str) -> list[Problem]:
    """A warning when the pack version is not the library's ``release.version`` (documents print both
    the version and the library's release date, so a mismatch is usually a forgotten library update)."""
    assert checked.project.library is not None
    release = checked.project.library.release
    if version == release.version:
        return []
    yfile = checked.project.library_file
    file = yfile.rel if yfile is not None else "clauses/library.yaml"
    line = yfile.line(("release", "version")) if yfile is not None else 0
    message = (
        f"the pack version {version!r} differs from the library's release version {release.version!r}: "
        "update release.version (and release.date) in the library, or check --version"
    )
    return [Problem(file, line, "release.version", message, warning=True)]


def _documents(root: Path, checked: Checked, version: str,
               jobs: int | None) -> tuple[dict[str, bytes], list[dict[str, Any]]]:  # fmt: skip
    """Build every document in a temporary folder: their bytes by zip path, and their manifest entries."""
    facts = document_facts(checked)
    files: dict[str, bytes] = {}
    documents = []
    with tempfile.TemporaryDirectory(prefix="tenderpack-pack-") as tmp:
        build_dir = Path(tmp) / "build"
        seed_build(root / "output", build_dir, version)
        result = build(root, build_dir, checked=checked, version=version, jobs=jobs)
        for entry in result.documents:
            data = (build_dir / entry["path"]).read_bytes()
            path = DOCUMENTS + entry["path"]
            files[path] = data
            described = {k: v for k, v in entry.items() if k not in ("path", "inputs", "sha256", "pdf")}
            documents.append(
                {"path": path, "sha256": _sha(data), "size": len(data), **described, **facts[entry["path"]]}
            )
    return files, documents


def document_facts(checked: Checked) -> dict[str, dict[str, Any]]:
    """Per document path: resolved parameter values of its clauses and a content fingerprint.

    The fingerprint hashes what the document says (its blocks, context and template, and for a
    questionnaire its identity) composed with a blank pack version and date, so that two packs compare
    by content, not by version stamp.
    """
    blank = dataclasses.replace(checked, pack={"version": "", "date": ""})
    values: dict[tuple[str, str, str], dict[str, Any]] = {}
    for spec in plan(checked):
        if (spec.profile, spec.category, spec.level) not in values:
            sel = make_selection(checked.project, checked.resolved[spec.profile], spec.category, spec.level)
            values[(spec.profile, spec.category, spec.level)] = sel.values
    templates: dict[str, str] = {}
    facts: dict[str, dict[str, Any]] = {}
    for composed in compose_all(blank, Filters()):
        spec = composed.spec
        kind = spec.kind
        if kind not in templates:
            templates[kind] = _sha(checked.project.templates[kind].read_bytes())
        context = {k: v for k, v in composed.context.items() if k != "pack"}
        # repr of plain data and dataclasses is deterministic, and much cheaper than asdict + json
        payload = repr((templates[kind], sorted(context.items()), composed.blocks, composed.toc))
        if composed.identity_sha256:  # a questionnaire's identity binds its evaluation: part of what it says
            payload += composed.identity_sha256
        content = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        sel_values = values[(spec.profile, spec.category, spec.level)]
        params = {cid: {n: v.value for n, v in sel_values.get(cid, {}).items()} for cid, _ in composed.clauses}
        facts[spec.path] = {"parameters": {cid: p for cid, p in params.items() if p}, "content": content}
    return facts


def make_redlines(old: PackData, new: PackData, paths: list[str], date: str,
                  jobs: int | None) -> dict[str, tuple[str, RedlineResult]]:  # fmt: skip
    """Redlines of the documents in ``paths`` (present in both packs): path → (redline path, result)."""
    work = [(old.read(p), new.read(p), date, f"{old.label}:{p}", p) for p in paths]
    workers = max(1, jobs or os.cpu_count() or 1)
    if workers == 1 or len(work) < PARALLEL_REDLINES:
        results = [_redline(w) for w in work]
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(work))) as pool:
            results = list(pool.map(_redline, work, chunksize=4))
    return {p: (redline_path(p), r) for p, r in zip(paths, results, strict=True)}


def _redline(args: tuple[bytes, bytes, str, str, str]) -> RedlineResult:
    old, new, date, old_label, new_label = args
    return redline_docx(old, new, date=date, old_label=old_label, new_label=new_label)


def redline_path(document: str) -> str:
    """``documents/eu/x/eu-x-tender-issue.docx`` → ``redlines/eu/x/eu-x-tender-issue-redline.docx``."""
    rel = document.removeprefix(DOCUMENTS)
    return REDLINES + rel.removesuffix(".docx") + REDLINE_SUFFIX


def _redline_entry(path: str, red: RedlineResult, document: str, old: PackData, new: PackData) -> dict[str, Any]:
    entries = (old.documents.get(document, {}), new.documents.get(document, {}))
    names = {str(c["id"]).replace(".", "-"): str(c["id"]) for d in entries for c in d.get("clauses", [])}

    def clause_ids(anchors: list[str]) -> list[str]:
        """Bookmark names (``clause-ts-repair``, ``q-ts-repair``) back to clause ids."""
        return sorted({names.get(a.split("-", 1)[1], a) for a in anchors})

    return {
        "path": path,
        "sha256": _sha(red.data),
        "document": document,
        "previous_sha256": old.documents.get(document, {}).get("sha256", ""),
        "insertions": red.insertions,
        "deletions": red.deletions,
        "moves": red.moves,
        "clauses": {
            "added": clause_ids(red.clauses_added),
            "removed": clause_ids(red.clauses_removed),
            "moved": clause_ids(red.clauses_moved),
            "changed": clause_ids(red.clauses_changed),
        },
    }


def seed_build(output: Path, build_dir: Path, version: str) -> None:
    """Copy ``output/`` into the build folder when it was built for this version (the build reuses
    every document whose inputs are unchanged and re-renders the others)."""
    build_dir.mkdir(parents=True)
    try:
        manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(manifest, dict) or (manifest.get("pack") or {}).get("version") != version:
        return
    for entry in manifest.get("documents", []):
        rel = PurePosixPath(str(entry.get("path", "")))
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            continue
        src = output / rel
        if src.is_file() and not src.is_symlink():
            (build_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, build_dir / rel)
    shutil.copyfile(output / MANIFEST, build_dir / MANIFEST)


# ------------------------------------------------------------------------------------------ zip


def zip_bytes(files: dict[str, bytes], when: dt.datetime) -> bytes:
    """A reproducible zip: manifest first, then sorted names; fixed time stamp, mode and compression."""
    stamp = max((1980, 1, 1, 0, 0, 0), tuple(when.timetuple())[:6])
    names = sorted(files, key=lambda n: (n != MANIFEST, n))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zout.writestr(info, files[name], compresslevel=9)
    return buf.getvalue()


def _dump(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
