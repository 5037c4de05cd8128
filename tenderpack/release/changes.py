"""The clause-level difference between two packs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..documents import tr
from .packdata import METADATA, PackData, wording

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
    """Whether a document changed. The content fingerprint (which ignores the pack version and date)
    decides when both packs record one: equal fingerprints mean the same document, whatever its clause
    list says (a policy document carries no clause, and its empty list proves nothing). Without a
    fingerprint on both sides, any difference in its file, clause versions or parameter values counts."""
    if old.get("content") and new.get("content"):
        return bool(old["content"] != new["content"])
    return any(old.get(k) != new.get(k) for k in ("sha256", "clauses", "parameters"))


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
