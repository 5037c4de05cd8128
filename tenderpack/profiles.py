"""Resolve a profile's ``extends`` chain into one profile, remembering where each value came from.

Merge rule (see :func:`merge`): mappings merge key by key; a child's scalar or list replaces the
parent's; ``clauses.add`` and ``clauses.remove`` accumulate down the chain (a later add undoes an earlier
remove of the same clause, and the other way round). Every resolved value keeps the ``file:line`` that
set it, for ``tenderpack explain``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Collector, unknown
from .loading import Loc, YamlFile, key_path
from .model import LANG_RE, Profile
from .profile_model import localize
from .project import Project, check_model


@dataclass(frozen=True)
class Origin:
    """Where a value was set."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Layer:
    """Profile data with the origin of every value (keyed by path)."""

    data: dict[str, Any]
    origins: dict[Loc, Origin] = field(default_factory=dict)
    # Where this layer's mapping replaces what earlier layers held instead of merging into it: a layer
    # merged from several files, one of which put a scalar or list where a later one puts a mapping. A
    # single file has none. This is what keeps ``merge`` associative.
    replaces: frozenset[Loc] = frozenset()

    def origin(self, loc: Loc) -> Origin | None:
        loc = tuple(loc)
        while loc:
            if loc in self.origins:
                return self.origins[loc]
            loc = loc[:-1]
        return self.origins.get(())


@dataclass
class ResolvedProfile:
    """A validated profile, its chain (root first) and the provenance of its values."""

    profile: Profile
    chain: list[str]
    layer: Layer
    file: YamlFile


ACCUMULATING_AT = {("clauses",)}  # locations whose lists accumulate instead of replacing


def file_language(yfile: YamlFile, inherited: str | None = None) -> str | None:
    """The language of a profile file's plain texts: its own ``language``, else the one it inherits."""
    lang = yfile.data.get("language") if isinstance(yfile.data, Mapping) else None
    return lang if isinstance(lang, str) and LANG_RE.match(lang) else inherited


def layer_of(yfile: YamlFile, language: str | None = None) -> Layer:
    """Wrap one profile file: each value's origin is its own line in that file.

    Its plain profile texts are wrapped as ``{language: text}`` (``language``: the file's language, by
    default its own ``language`` key), their origins copied onto the wrapped path; every profile text
    replaces, when merged, the parent's text as a whole (all its languages).
    """
    origins = {loc: Origin(yfile.rel, line) for loc, line in yfile.lines.items()}
    data, texts, wrapped = localize(yfile.data, language or file_language(yfile))
    for loc in [loc for loc in texts if loc[0] == "legal" and loc not in origins and loc[:2] in origins]:
        origins[loc] = origins[loc[:2]]  # a citation written as one string: the string is its text
    replaces = frozenset(texts)
    for loc in wrapped:
        lang = data_lang(data, loc)
        n = len(loc)
        for key, origin in [(k, o) for k, o in origins.items() if k[:n] == loc]:
            origins[(*loc, lang, *key[n:])] = origin
    return Layer(data=data, origins=origins, replaces=replaces)


def data_lang(data: Any, loc: Loc) -> str:
    node = data
    for part in loc:
        node = node[part]
    return str(next(iter(node)))


def _ops(changes: Any) -> dict[str, str]:
    """``{add: [...], remove: [...]}`` as an ordered mapping clause id → 'add' | 'remove'."""
    ops: dict[str, str] = {}
    if isinstance(changes, Mapping):
        for op in ("add", "remove"):
            items = changes.get(op) or []
            if isinstance(items, str):
                items = [items]
            if isinstance(items, list):
                for item in items:
                    ops[str(item)] = op
    return ops


def _merge_changes(parent: Any, child: Any) -> Any:
    if not isinstance(parent, Mapping) or not isinstance(child, Mapping):
        return child
    ops = _ops(parent)
    for cid, op in _ops(child).items():
        ops.pop(cid, None)
        ops[cid] = op
    merged = {k: v for k, v in child.items() if k not in ("add", "remove")}
    merged.update({k: v for k, v in parent.items() if k not in ("add", "remove") and k not in merged})
    merged["add"] = [c for c, op in ops.items() if op == "add"]
    merged["remove"] = [c for c, op in ops.items() if op == "remove"]
    return merged


def _origins_under(origins: Mapping[Loc, Origin], loc: Loc) -> dict[Loc, Origin]:
    n = len(loc)
    return {k: v for k, v in origins.items() if k[:n] == loc}


def merge(parent: Layer, child: Layer) -> Layer:
    """Merge ``child`` over ``parent`` (pure; neither argument changes).

    Mappings merge key by key, recursively; a child's scalar or list replaces the parent's value and
    its origin, and so does a child's mapping where the parent holds a scalar or a list;
    ``clauses.add``/``clauses.remove`` accumulate, the child's word winning for a clause both mention.
    ``merge(merge(a, b), c) == merge(a, merge(b, c))``, on data and origins (tests/test_properties.py).
    """
    origins: dict[Loc, Origin] = dict(parent.origins)
    replaces = set(parent.replaces)
    data = _merge_value(parent.data, child.data, (), parent, child, origins, replaces)
    return Layer(data=data, origins=origins, replaces=frozenset(replaces))


def _under(locs: Iterable[Loc], loc: Loc) -> list[Loc]:
    return [k for k in locs if k[: len(loc)] == loc]


def _replace(new: Any, loc: Loc, child: Layer, out: dict[Loc, Origin], replaces: set[Loc]) -> Any:
    """The child's value at ``loc`` takes the parent's place, with its origins and replace marks."""
    for k in _under(out, loc):
        del out[k]
    replaces.difference_update(_under(replaces, loc))
    out.update(_origins_under(child.origins, loc))
    replaces.update(_under(child.replaces, loc))
    return new


def _merge_value(old: Any, new: Any, loc: Loc, parent: Layer, child: Layer,
                 out: dict[Loc, Origin], replaces: set[Loc]) -> Any:  # fmt: skip
    if loc in child.replaces or not isinstance(new, Mapping):
        return _replace(new, loc, child, out, replaces)
    if not isinstance(old, Mapping):
        value = _replace(new, loc, child, out, replaces)
        replaces.add(loc)  # remembered: merged over an older mapping later, this one still replaces it
        return value
    if loc in ACCUMULATING_AT:
        merged = _merge_changes(old, new)
        for k in _under(out, loc):
            del out[k]
        replaces.difference_update(k for k in _under(replaces, loc) if k != loc)
        out[loc] = child.origins.get(loc) or parent.origins.get(loc) or Origin("?", 0)
        for op in ("add", "remove"):
            for i, cid in enumerate(merged[op]):
                src = _find_item_origin(new, child.origins, loc, cid) or _find_item_origin(old, parent.origins, loc, cid)
                if src is not None:
                    out[(*loc, op, i)] = src
        return merged
    result = dict(old)
    for key, value in new.items():
        child_loc = (*loc, key)
        if key in old:
            result[key] = _merge_value(old[key], value, child_loc, parent, child, out, replaces)
        else:
            result[key] = _replace(value, child_loc, child, out, replaces)
    return result


def _find_item_origin(data: Mapping[str, Any], origins: Mapping[Loc, Origin], loc: Loc, cid: str) -> Origin | None:
    for op in ("add", "remove"):
        items = data.get(op) or []
        if isinstance(items, list):
            for i, item in enumerate(items):
                if str(item) == cid:
                    return origins.get((*loc, op, i)) or origins.get((*loc, op))
    return None


def chain_of(
    pid: str, files: Mapping[str, YamlFile], problems: Collector, failed: frozenset[str] | set[str] = frozenset()
) -> list[str] | None:
    """Ancestors of ``pid``, root first, ending with ``pid``; None (and a problem) on a cycle or a gap."""
    chain = [pid]
    while True:
        yfile = files[chain[-1]]
        parent = yfile.data.get("extends")
        if parent is None or parent == "":
            return list(reversed(chain))
        if not isinstance(parent, str):
            problems.error(yfile.path, yfile.line(("extends",)), "extends", "must be a profile id")
            return None
        if parent in chain:
            members = chain[chain.index(parent) :]
            start = min(members)  # report each cycle once, from its smallest id
            turn = members.index(start)
            cycle = " -> ".join([*members[turn:], *members[:turn], start])
            if pid not in members:
                problems.error(files[pid].path, files[pid].line(("extends",)), "extends",
                               f"extends a profile caught in a cycle: {cycle}")  # fmt: skip
            elif pid == start:
                last = files[members[turn - 1]]
                problems.error(last.path, last.line(("extends",)), "extends", f"profiles extend each other in a cycle: {cycle}")
            return None
        if parent not in files and parent in failed:
            return None  # its own problem is already reported
        if parent not in files:
            problems.error(yfile.path, yfile.line(("extends",)), "extends", unknown("profile", parent, files))
            return None
        chain.append(parent)


def resolve(pid: str, project: Project, problems: Collector) -> ResolvedProfile | None:
    """Resolve and validate one profile; problems are reported in the file that set the bad value."""
    files = project.profile_files
    chain = chain_of(pid, files, problems, project.failed)
    if chain is None:
        return None
    lang = file_language(files[chain[0]])
    layer = layer_of(files[chain[0]], lang)
    for ancestor in chain[1:]:
        lang = file_language(files[ancestor], lang)
        layer = merge(layer, layer_of(files[ancestor], lang))
    yfile = files[pid]
    profile, errors = check_model(Profile, layer.data)
    for loc, msg in errors:
        origin = layer.origin(loc)
        if msg == "required key is missing" or origin is None:
            file, line = yfile.path, yfile.line()
            if len(chain) > 1 and msg == "required key is missing":
                msg = f"required key is missing (nowhere in the chain {' -> '.join(chain)})"
        else:
            file, line = project.root / origin.file, origin.line
        problems.error(file, line, key_path(loc), msg)
    if profile is None:
        return None
    return ResolvedProfile(profile=profile, chain=chain, layer=layer, file=yfile)


def explain(resolved: ResolvedProfile, prefix: str = "") -> list[tuple[str, str, Origin | None]]:
    """Every resolved leaf value under ``prefix`` (dotted) with the origin that set it."""
    rows: list[tuple[str, str, Origin | None]] = []

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, Mapping) and value:
            for key in value:
                walk(value[key], (*loc, key))
        elif isinstance(value, list) and value and any(isinstance(v, Mapping | list) for v in value):
            for i, item in enumerate(value):
                walk(item, (*loc, i))
        else:
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            if isinstance(value, list):
                shown = f"[{shown}]"
            rows.append((".".join(str(p) for p in loc), shown, resolved.layer.origin(loc)))

    walk(resolved.layer.data, ())
    if prefix:
        rows = [r for r in rows if r[0] == prefix or r[0].startswith(prefix + ".")]
    return rows
