"""Release packs as data: version names, limits, reading a pack, clause data and the version guard."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, ProblemsError, TenderpackError
from ..pipeline import MANIFEST
from ..project import Project
from ..selection import coerce, default_of

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
