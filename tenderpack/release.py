"""Release packs: one reproducible zip of the whole pack, a clause-level changelog, and redlines.

``pack`` checks the project, refuses a release whose clause wording changed without a version bump,
builds every document (reusing ``output/`` when it was built for this version), and writes
``tenderpack-<version>.zip``::

    manifest.json      pack version and date, tool version, profile chains, and per document its
                       sha256, clauses with versions, resolved parameters and a content fingerprint
    CHANGELOG.md       what changed since the previous pack, clause by clause
    SHA256SUMS         `sha256sum -c` lines for every other file
    clauses.json       every clause of the library (wording, parameters, status): what the next
                       release compares itself with
    documents/...      the documents, as in output/
    redlines/...       with --previous: each changed document as tracked changes against its old self

The same sources and version give the same bytes: entries are sorted (manifest first), every entry has
the version date as its time stamp and mode 0644, and every date inside comes from the version date or
``SOURCE_DATE_EPOCH``. ``diff`` compares two packs the way ``pack --previous`` does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from . import __version__
from .documents import make_selection, tr
from .errors import InputFileError, OutputError, Problem, ProblemsError, TenderpackError
from .pipeline import MANIFEST, Checked, Filters, build, check, compose_all, plan
from .project import Project
from .selection import coerce, default_of
from .word.redline import RedlineResult, redline_docx

PACK_FORMAT = 1
CLAUSES = "clauses.json"
CHANGELOG = "CHANGELOG.md"
SUMS = "SHA256SUMS"
DOCUMENTS = "documents/"
REDLINES = "redlines/"
REDLINE_SUFFIX = "-redline.docx"
VERSION_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_DOCX_BYTES = 64 * 1024 * 1024
MAX_PACK_BYTES = 4 * 1024 * 1024 * 1024
MAX_ENTRIES = 100_000
METADATA = ("status", "type", "stage", "level", "categories")  # where a clause goes, not what it says
PARALLEL_REDLINES = 8  # below this many, redlines are made in this process


class ReleaseError(TenderpackError):
    """A release cannot be made or read (bad version, unusable previous pack, ...)."""


def check_version(value: str) -> str:
    """A pack version becomes part of a file name: letters, digits and ``. _ + -``, 64 at most."""
    if not VERSION_RE.match(value or ""):
        raise ValueError(
            f"{value!r} is not a valid pack version: use letters, digits, '.', '_', '+' or '-' "
            "(at most 64, starting with a letter or digit), e.g. '2026.12'"
        )
    return value


def pack_name(version: str) -> str:
    return f"tenderpack-{version}.zip"


# ------------------------------------------------------------------------------------------ pack data


@dataclass
class PackData:
    """What a pack says about itself: its manifest, its clauses, and a way to read its documents."""

    label: str
    manifest: dict[str, Any]
    clauses: dict[str, dict[str, Any]]
    read: Callable[[str], bytes]
    sha256: str = ""

    @property
    def info(self) -> dict[str, str]:
        pack = self.manifest.get("pack", {})
        return {"version": str(pack.get("version", "?")), "date": str(pack.get("date", "?"))}

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return {d["path"]: d for d in self.manifest.get("documents", []) if isinstance(d, dict) and "path" in d}


def read_pack(path: Path) -> PackData:
    """Open a release pack (a previous one, or one to compare); every problem is a ReleaseError."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise ReleaseError(f"{label} is {size:,} bytes; the limit is {MAX_PACK_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise ReleaseError(f"cannot read {label}: {exc.strerror or exc}") from None
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = {i.filename: i for i in zf.infolist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError):
        raise ReleaseError(f"{label} is not a zip file") from None
    if len(infos) > MAX_ENTRIES:
        raise ReleaseError(f"{label} has {len(infos):,} entries; the limit is {MAX_ENTRIES:,}")

    def read(name: str, limit: int = MAX_DOCX_BYTES) -> bytes:
        info = infos.get(name)
        if info is None:
            raise ReleaseError(f"{label} has no {name}")
        if info.file_size > limit:
            raise ReleaseError(f"{label}: {name} is too large ({info.file_size:,} bytes)")
        try:
            return zf.read(info)
        except Exception:  # zipfile raises many kinds on damaged data
            raise ReleaseError(f"{label} is damaged: cannot read {name}") from None

    if MANIFEST not in infos or CLAUSES not in infos:
        raise ReleaseError(f"{label} is not a tenderpack release pack (no {MANIFEST} or {CLAUSES})")
    manifest = _json(read(MANIFEST, MAX_JSON_BYTES), label, MANIFEST)
    clauses = _json(read(CLAUSES, MAX_JSON_BYTES), label, CLAUSES)
    if not isinstance(manifest, dict) or manifest.get("format") != PACK_FORMAT:
        raise ReleaseError(f"{label}: {MANIFEST} is not a tenderpack pack manifest of format {PACK_FORMAT}")
    if not isinstance(clauses, dict) or not isinstance(clauses.get("clauses"), list):
        raise ReleaseError(f"{label}: {CLAUSES} has no list of clauses")
    by_id = {c["id"]: c for c in clauses["clauses"] if isinstance(c, dict) and isinstance(c.get("id"), str)}
    return PackData(label, manifest, by_id, read, hashlib.sha256(data).hexdigest())


def _json(data: bytes, label: str, name: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReleaseError(f"{label}: {name} is not valid JSON") from None


def clause_data(project: Project) -> dict[str, dict[str, Any]]:
    """Every clause of the library as plain data (what clauses.json holds), by id; defaults typed."""
    out = {}
    for cid in sorted(project.clauses):
        clause = project.clauses[cid]
        data = clause.model_dump(mode="json")
        for name, param in clause.parameters.items():
            levels = list(param.default) if isinstance(param.default, dict) else [None]
            typed = {level: coerce(param, default_of(param, level or "core")) for level in levels}
            data["parameters"][name]["default"] = typed if levels != [None] else typed[None]
        out[cid] = data
    return out


def wording(clause: dict[str, Any]) -> str:
    """Everything a reader sees of a clause apart from parameter values (a change needs a new version)."""
    seen: dict[str, Any] = {name: clause.get(name) for name in ("title", "text", "verification", "guidance")}
    seen["questions"] = [
        {"id": q.get("id"), "text": q.get("text"), "evidence": q.get("evidence"),
         "unit": (q.get("answer") or {}).get("unit"), "options": (q.get("answer") or {}).get("options")}
        for q in clause.get("questions") or []
    ]  # fmt: skip
    seen["kpis"] = [
        {k: kpi.get(k) for k in ("id", "name", "formula", "evidence", "target")} for kpi in clause.get("kpis") or []
    ]
    return json.dumps(seen, sort_keys=True, ensure_ascii=False)


def unbumped(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[tuple[str, Any]]:
    """Clauses whose wording changed while their version did not: (id, version)."""
    return [
        (cid, new[cid].get("version"))
        for cid in sorted(set(old) & set(new))
        if old[cid].get("version") == new[cid].get("version") and wording(old[cid]) != wording(new[cid])
    ]


def guard_versions(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> None:
    """Refuse a release in which a clause was re-worded without a new version."""
    found = unbumped(old, new)
    if found:
        raise ProblemsError(
            Problem(f"clause {cid}", 0, "", f"wording changed but version is still {version}; bump the version")
            for cid, version in found
        )


# ------------------------------------------------------------------------------------------ changes


@dataclass
class ClauseChange:
    """A clause that entered, left or changed in some documents; ``where`` lists profile/category."""

    id: str
    title: str
    old_version: Any = None
    new_version: Any = None
    where: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ParameterChange:
    """A parameter value that changed: a clause default (``where`` = "default") or a resolved value."""

    where: str
    clause: str
    name: str
    old: Any
    new: Any


@dataclass
class Changes:
    """The clause-level difference between two packs."""

    old: dict[str, str]
    new: dict[str, str]
    added: list[ClauseChange] = field(default_factory=list)
    removed: list[ClauseChange] = field(default_factory=list)
    reworded: list[ClauseChange] = field(default_factory=list)
    unbumped: list[ClauseChange] = field(default_factory=list)
    other: list[ClauseChange] = field(default_factory=list)
    parameters: list[ParameterChange] = field(default_factory=list)
    documents_added: list[str] = field(default_factory=list)
    documents_removed: list[str] = field(default_factory=list)
    documents_changed: list[str] = field(default_factory=list)
    scope: dict[str, set[str]] = field(default_factory=dict)  # profile → category/level with documents

    @property
    def empty(self) -> bool:
        skip = ("old", "new", "scope")
        return not any(getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in skip)


def _pc(d: dict[str, Any]) -> str:
    """``profile/category/level`` of a document entry (``profile/category`` in packs without levels)."""
    level = d.get("level")
    return f"{d.get('profile')}/{d.get('category')}" + (f"/{level}" if level else "")


def _usage(pack: PackData) -> dict[str, set[str]]:
    """clause id → the profile/category/level sets of documents that contain it."""
    used: dict[str, set[str]] = {}
    for d in pack.documents.values():
        for c in d.get("clauses", []):
            used.setdefault(str(c.get("id")), set()).add(_pc(d))
    return used


def _resolved(pack: PackData) -> dict[tuple[str, str, str], Any]:
    """(profile/category/level, clause, parameter) → resolved value."""
    values: dict[tuple[str, str, str], Any] = {}
    for d in pack.documents.values():
        pc = _pc(d)
        for cid, params in (d.get("parameters") or {}).items():
            for name, value in (params or {}).items():
                values[(pc, cid, name)] = value
    return values


def _title(clause: dict[str, Any] | None) -> str:
    return tr(clause.get("title"), "en") if clause and isinstance(clause.get("title"), dict) else ""


def compare(old: PackData, new: PackData) -> Changes:
    """Clause-level changes from ``old`` to ``new``, per profile and category."""
    changes = Changes(old.info, new.info)
    used_old, used_new = _usage(old), _usage(new)
    for d in [*old.documents.values(), *new.documents.values()]:
        changes.scope.setdefault(str(d.get("profile")), set()).add(_pc(d).partition("/")[2])
    for cid in sorted(set(used_old) | set(used_new) | set(old.clauses) | set(new.clauses)):
        o, n = old.clauses.get(cid), new.clauses.get(cid)
        before, after = used_old.get(cid, set()), used_new.get(cid, set())
        ov, nv = (o or {}).get("version"), (n or {}).get("version")
        title = _title(n) or _title(o)
        if after - before:
            changes.added.append(
                ClauseChange(cid, title, ov, nv, sorted(after - before), _note(o, "new clause", "was"))
            )
        if before - after:
            changes.removed.append(ClauseChange(cid, title, ov, nv, sorted(before - after), _note(n, "deleted", "now")))
        if o is None or n is None:
            continue
        where = sorted(after or before)
        if wording(o) != wording(n):
            item = ClauseChange(cid, title, ov, nv, where)
            (changes.reworded if ov != nv else changes.unbumped).append(item)
        elif ov != nv:
            changes.other.append(ClauseChange(cid, title, ov, nv, where, "new version, wording unchanged"))
        shown = METADATA[1:] if after ^ before else METADATA  # an added or removed clause says its status
        moved = [f"{k} {_show(o.get(k))} → {_show(n.get(k))}" for k in shown if o.get(k) != n.get(k)]
        if moved:
            changes.other.append(ClauseChange(cid, title, ov, nv, where, "; ".join(moved)))
        changes.parameters.extend(_default_changes(cid, o, n))
    old_values, new_values = _resolved(old), _resolved(new)
    # one change in every level of a profile/category is named once, without its levels
    grouped: dict[tuple[str, str, str, str, str], list[str]] = {}
    for key in sorted(set(old_values) & set(new_values)):
        if old_values[key] != new_values[key]:
            pcl, cid, name = key
            profile, category, level = [*pcl.split("/"), "", ""][:3]
            group = (f"{profile}/{category}", cid, name, repr(old_values[key]), repr(new_values[key]))
            grouped.setdefault(group, []).append(level)
            if len(grouped[group]) == 1:
                changes.parameters.append(ParameterChange(pcl, cid, name, old_values[key], new_values[key]))
    for change in changes.parameters:
        profile, category, level = [*change.where.split("/"), "", ""][:3]
        if not level:
            continue
        levels = grouped[(f"{profile}/{category}", change.clause, change.name, repr(change.old), repr(change.new))]
        every = {c.partition("/")[2] for c in changes.scope.get(profile, set()) if c.partition("/")[0] == category}
        change.where = f"{profile}/{category}" + ("" if set(levels) >= every else f" ({', '.join(levels)})")
    old_docs, new_docs = old.documents, new.documents
    changes.documents_added = sorted(set(new_docs) - set(old_docs))
    changes.documents_removed = sorted(set(old_docs) - set(new_docs))
    changes.documents_changed = sorted(p for p in set(old_docs) & set(new_docs) if _changed(old_docs[p], new_docs[p]))
    return changes


def _note(clause: dict[str, Any] | None, missing: str, prefix: str) -> str:
    """Why a clause entered or left documents, when the library says so."""
    if clause is None:
        return missing
    status = clause.get("status")
    return f"{prefix} {status}" if status != "approved" else ""


def _default_changes(cid: str, old: dict[str, Any], new: dict[str, Any]) -> list[ParameterChange]:
    out = []
    op, np_ = old.get("parameters") or {}, new.get("parameters") or {}
    for name in sorted(set(op) | set(np_)):
        a = (op.get(name) or {}).get("default") if name in op else None
        b = (np_.get(name) or {}).get("default") if name in np_ else None
        if name not in op or name not in np_ or a != b:
            out.append(ParameterChange("default", cid, name, a, b))
    return out


def _changed(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether a document changed: it says something else (the content fingerprint ignores the pack
    version and date), or a clause it carries has another version, or a parameter another value."""
    return any(not old.get(k) or old.get(k) != new.get(k) for k in ("content", "clauses")) or old.get(
        "parameters"
    ) != new.get("parameters")


# ------------------------------------------------------------------------------------------ text


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_show(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _where(pcs: Iterable[str], scope: dict[str, set[str]]) -> str:
    """``eu: computers (core), computers (comprehensive); fr: all categories`` (or ``every profile and
    category``)."""
    by_profile: dict[str, list[str]] = {}
    for pc in sorted(pcs):
        profile, _, category = pc.partition("/")
        by_profile.setdefault(profile, []).append(category)
    whole = {p for p, cats in by_profile.items() if len(cats) > 1 and set(cats) == scope.get(p)}
    if len(scope) > 1 and whole == set(scope):
        return "every profile and category"

    def shown(profile: str, cats: list[str]) -> str:
        """A category in every level the profile builds is named alone, otherwise with its levels."""
        levels: dict[str, list[str]] = {}
        for cat in cats:
            category, _, level = cat.partition("/")
            levels.setdefault(category, []).append(level)
        out = []
        for category, named in levels.items():
            every = {c for c in scope.get(profile, set()) if c.partition("/")[0] == category}
            whole_category = {f"{category}/{lv}" if lv else category for lv in named} == every
            out.append(category if whole_category or named == [""] else f"{category} ({', '.join(sorted(named))})")
        return ", ".join(out)

    return "; ".join(f"{p}: {'all categories' if p in whole else shown(p, cats)}" for p, cats in by_profile.items())


def _version(c: ClauseChange) -> str:
    if c.old_version is not None and c.new_version is not None and c.old_version != c.new_version:
        return f"v{c.old_version} → v{c.new_version}"
    return f"v{c.new_version if c.new_version is not None else c.old_version}"


def _clause_lines(c: ClauseChange, markdown: bool, scope: dict[str, set[str]]) -> list[str]:
    ident = f"`{c.id}`" if markdown else c.id
    head = f"{ident} {_version(c)}" + (f" “{c.title}”" if c.title else "") + (f" ({c.note})" if c.note else "")
    where = _where(c.where, scope) or "no document"
    return [f"- {head}: {where}"] if markdown else [f"  {head}", f"      in {where}"]


def _parameter_line(p: ParameterChange, markdown: bool) -> str:
    name = f"`{p.clause}.{p.name}`" if markdown else f"{p.clause}.{p.name}"
    where = "clause default" if p.where == "default" else p.where
    return f"{'- ' if markdown else '  '}{where}: {name} {_show(p.old)} → {_show(p.new)}"


SECTIONS = (
    ("added", "Clauses added"),
    ("removed", "Clauses removed"),
    ("reworded", "Clauses re-worded"),
    ("unbumped", "Clauses re-worded without a new version"),
    ("other", "Other clause changes"),
)


def _sections(changes: Changes, markdown: bool) -> list[str]:
    lines: list[str] = []
    for name, heading in SECTIONS:
        items: list[ClauseChange] = getattr(changes, name)
        if items:
            lines += [f"## {heading}", ""] if markdown else [f"{heading} ({len(items)}):"]
            for c in items:
                lines += _clause_lines(c, markdown, changes.scope)
            lines += [""] if markdown else []
    if changes.parameters:
        lines += ["## Parameters changed", ""] if markdown else [f"Parameters changed ({len(changes.parameters)}):"]
        lines += [_parameter_line(p, markdown) for p in changes.parameters]
        lines += [""] if markdown else []
    return lines


def format_changelog(changes: Changes | None, info: dict[str, str], clauses: dict[str, dict[str, Any]],
                     redlines: dict[str, str]) -> str:  # fmt: skip
    """CHANGELOG.md of a pack."""
    lines = [f"# tenderpack pack {info['version']} ({info['date']})", ""]
    if changes is None:
        lines += ["First release pack: no previous pack was given. Clauses of this release:", ""]
        lines += [f"- `{cid}` v{c.get('version')} “{_title(c)}” ({c.get('status')})" for cid, c in clauses.items()]
        return "\n".join(lines) + "\n"
    lines += [f"Changes since pack {changes.old['version']} ({changes.old['date']}).", ""]
    if changes.empty:
        lines += ["No clause, parameter or document changed.", ""]
    lines += _sections(changes, markdown=True)
    if changes.documents_changed or changes.documents_added or changes.documents_removed:
        lines += ["## Documents", ""]
        for path in changes.documents_changed:
            red = redlines.get(path)
            lines.append(f"- changed: `{path}`" + (f" (tracked changes: `{red}`)" if red else ""))
        lines += [f"- added: `{p}`" for p in changes.documents_added]
        lines += [f"- removed: `{p}`" for p in changes.documents_removed]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def format_summary(changes: Changes) -> str:
    """The terminal summary of ``tenderpack diff``."""
    o, n = changes.old, changes.new
    lines = [f"Pack {o['version']} ({o['date']}) → {n['version']} ({n['date']})"]
    if changes.empty:
        return "\n".join([*lines, "No clause, parameter or document changed."])
    lines += _sections(changes, markdown=False)
    lines.append(
        f"Documents: {len(changes.documents_changed)} changed, {len(changes.documents_added)} added, "
        f"{len(changes.documents_removed)} removed."
    )
    return "\n".join(lines)


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


def diff(old: Path, new: Path) -> Changes:
    """Compare two release packs."""
    return compare(read_pack(old), read_pack(new))


def pack(root: Path, version: str, *, previous: Path | None = None, out: Path | None = None,
         jobs: int | None = None) -> PackResult:  # fmt: skip
    """Build the whole pack and write ``out/tenderpack-<version>.zip``; nothing is written on any problem."""
    try:
        check_version(version)
    except ValueError as exc:
        raise ReleaseError(str(exc)) from None
    # 1. check the project, and the clause versions against the previous pack
    checked = check(root, version=version)
    clauses = clause_data(checked.project)
    old = read_pack(previous) if previous is not None else None
    if old is not None:
        guard_versions(old.clauses, clauses)
    # 2. build every document; describe each in the manifest
    files, documents = _documents(root, checked, version, jobs)
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
    target = (out if out is not None else root / "releases") / pack_name(version)
    data = zip_bytes(files, checked.when)
    _write(target, data)
    return PackResult(target, _sha(data), checked.pack, len(documents), sorted(redlines.values()), changes,
                      checked.warnings)  # fmt: skip


def _documents(root: Path, checked: Checked, version: str,
               jobs: int | None) -> tuple[dict[str, bytes], list[dict[str, Any]]]:  # fmt: skip
    """Build every document in a temporary folder: their bytes by zip path, and their manifest entries."""
    facts = document_facts(checked)
    files: dict[str, bytes] = {}
    documents = []
    with tempfile.TemporaryDirectory(prefix="tenderpack-pack-") as tmp:
        build_dir = Path(tmp) / "build"
        _seed(root / "output", build_dir, version)
        result = build(root, build_dir, checked=checked, version=version, jobs=jobs)
        for entry in result.documents:
            data = (build_dir / entry["path"]).read_bytes()
            path = DOCUMENTS + entry["path"]
            files[path] = data
            described = {k: v for k, v in entry.items() if k not in ("path", "inputs", "sha256")}
            documents.append(
                {"path": path, "sha256": _sha(data), "size": len(data), **described, **facts[entry["path"]]}
            )
    return files, documents


def document_facts(checked: Checked) -> dict[str, dict[str, Any]]:
    """Per document path: resolved parameter values of its clauses and a content fingerprint.

    The fingerprint hashes what the document says (its blocks, context and template) composed with a
    blank pack version and date, so that two packs compare by content, not by version stamp.
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


def _seed(output: Path, build_dir: Path, version: str) -> None:
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


# ------------------------------------------------------------------------------------------ redline


def redline(old: Path, new: Path, out: Path) -> RedlineResult:
    """Write ``out``: NEW with every difference from OLD as a tracked change (any two tenderpack documents)."""
    data = []
    for path in (old, new):
        try:
            if path.stat().st_size > MAX_DOCX_BYTES:
                raise InputFileError(f"{path} is larger than {MAX_DOCX_BYTES:,} bytes")
            data.append(path.read_bytes())
        except OSError as exc:
            raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    result = redline_docx(data[0], data[1], old_label=str(old), new_label=str(new))
    _write(out, result.data)
    return result
