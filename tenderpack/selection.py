"""Which clauses a resolved profile takes for a product category, in document order, with values.

A clause applies when it is approved, covers the category (or ``all``), and its level is within the
ambition level of the document (core documents take core clauses; comprehensive documents take both) —
unless the profile's ``clauses.add`` / ``clauses.remove`` say otherwise; a clause that is a ``variant_of``
another is taken only when a profile adds it. Order: lifecycle stage, then clause type
(both in library order), then id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import LEVELS, Clause, Library, Parameter, Profile

LEVEL_RANK = {"core": 0, "comprehensive": 1}


@dataclass(frozen=True)
class Value:
    """A parameter's value for one document and where it came from."""

    value: Any
    source: str  # "default (core)" or "profiles/eu.yaml:14"


def applies_to(clause: Clause, category: str) -> bool:
    return "all" in clause.categories or category in clause.categories


def order_key(clause: Clause, library: Library) -> tuple[int, int, str]:
    stages = [s.id for s in library.stages]
    types = [t.id for t in library.types]
    return (
        stages.index(clause.stage) if clause.stage in stages else len(stages),
        types.index(clause.type) if clause.type in types else len(types),
        clause.id,
    )


def select(
    clauses: dict[str, Clause], library: Library, profile: Profile, category: str, level: str
) -> list[Clause]:
    """The clauses for one profile, category and ambition level, in document order (deterministic)."""
    added = set(profile.clauses.add)
    removed = set(profile.clauses.remove)
    chosen = []
    for cid, clause in clauses.items():
        if clause.status != "approved" or cid in removed or not applies_to(clause, category):
            continue
        if clause.variant_of and cid not in added:
            continue  # a jurisdiction variant is taken only when a profile asks for it
        category_stages = next((c.stages for c in library.categories if c.id == category), [])
        if category_stages and clause.stage not in category_stages:
            continue
        if cid in added or LEVEL_RANK[clause.level] <= LEVEL_RANK[level]:
            chosen.append(clause)
    return sorted(chosen, key=lambda c: order_key(c, library))


def coerce(param: Parameter, raw: Any) -> Any:
    """Turn a YAML value (always read as text) into the parameter's type; ValueError says why not."""
    kind = param.type
    if isinstance(raw, list | dict):
        raise ValueError(f"must be a single value, not a {'list' if isinstance(raw, list) else 'mapping'}")
    if kind in ("integer", "number", "percent"):
        if isinstance(raw, bool):
            raise ValueError(f"{raw!r} is not a number")
        text = str(raw).strip().replace("_", "")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{raw!r} is not a {'whole number' if kind == 'integer' else 'number'}") from None
        if kind == "integer":
            if not number.is_integer() or ("." in text and not text.endswith(".0")):
                raise ValueError(f"{raw!r} is not a whole number")
            value: Any = int(number)
        else:
            value = int(number) if number.is_integer() else number
        low = param.min if param.min is not None else (0 if kind == "percent" else None)
        high = param.max if param.max is not None else (100 if kind == "percent" else None)
        if low is not None and value < low:
            raise ValueError(f"{_fmt(value)} is below the minimum {_fmt(low)}")
        if high is not None and value > high:
            raise ValueError(f"{_fmt(value)} is above the maximum {_fmt(high)}")
        return value
    if kind == "boolean":
        text = str(raw).strip().lower()
        if text in ("true", "yes", "on", "1"):
            return True
        if text in ("false", "no", "off", "0"):
            return False
        raise ValueError(f"{raw!r} is not yes or no")
    if kind == "choice":
        if str(raw) not in param.options:
            raise ValueError(f"{raw!r} is not one of: {', '.join(param.options)}")
        return str(raw)
    return str(raw)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def per_level(value: Any) -> bool:
    """Whether a default or override is given per ambition level (``{core: 3, comprehensive: 5}``)."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(LEVELS)


def default_of(param: Parameter, level: str) -> Any:
    default = param.default
    if per_level(default):
        return default.get(level, default.get("core", default.get("comprehensive")))
    return default


def parameter_values(
    clause: Clause, profile: Profile, category: str, origins: dict[str, str] | None = None, *, level: str
) -> dict[str, Value]:
    """Values of a clause's parameters for a profile, category and level (override keys already checked).

    A shared parameter (``clause.uses``) is set by the profile as ``shared.<name>`` (and
    ``shared.<name>@<category>``), so every clause that takes it shows the same value; its source says so.
    An override keyed ``@category`` wins over one without; an override given per level
    (``{comprehensive: 5}``) sets only the levels it names, the others keep the value below it.
    """
    values: dict[str, Value] = {}
    for name, param in clause.parameters.items():
        shared = clause.uses.get(name)
        raw = default_of(param, level)
        source = f"default ({level})" if per_level(param.default) else "default"
        owner = f"shared.{shared}" if shared else f"{clause.id}.{name}"
        for key in (owner, f"{owner}@{category}"):
            if key not in profile.parameters:
                continue
            override = profile.parameters[key]
            if per_level(override):
                if level not in override:
                    continue
                override = override[level]
            raw = override
            source = (origins or {}).get(key, "profile")
        if shared:
            source = f"{source}, shared {shared}"
        values[name] = Value(coerce(param, raw), source)
    return values
