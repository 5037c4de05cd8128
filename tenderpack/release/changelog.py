"""Changes as text: CHANGELOG.md of a pack and the summary of ``tenderpack diff``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .changes import Changes, ClauseChange, ParameterChange, _show, _title

# ------------------------------------------------------------------------------------------ text


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
