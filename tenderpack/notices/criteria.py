"""The criteria model of one document set: profile × category × ambition level.

Everything here is derived from the checked project (the same loaded, checked and resolved model the
documents are built from), never typed twice:

- environmental impacts (eForms BT-774): the union of the ``impacts`` codes of the clauses the documents
  contain, in the order of the SDK code list, with the clauses that serve each code;
- strategic procurement (BT-06): ``env-imp`` when there is any impact;
- green procurement criteria (BT-805): the profile's ``gpp``;
- award criteria (BT-539, BT-734, BT-540, BT-541, BT-5421): the profile's ``award.criteria`` with a weight
  above 0, in the profile's order, with their names, descriptions, types and weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import TenderpackError, unknown
from ..model import LEVELS, Profile
from ..selection import select
from .codelists import eforms_codes

if TYPE_CHECKING:
    from ..pipeline import Checked


class NoticeError(TenderpackError):
    """A notice or a request for notice data that cannot be served (one ``Error:`` line, exit 1)."""


@dataclass(frozen=True)
class AwardCriterion:
    """One award criterion as published: BT-539 type, BT-734 name, BT-540 description, BT-541 weight."""

    id: str
    type: str  # price, cost or quality (award-criterion-type)
    weight: float  # share of 100 (the profile's weights total 100): BT-5421 per-exa
    name: dict[str, str]  # text per library language
    description: dict[str, str]


@dataclass(frozen=True)
class Criteria:
    """The strategic, green and award facts of one profile, category and level."""

    profile: str
    category: str
    level: str
    language: str  # the profile's document language
    category_name: dict[str, str]
    cpv: tuple[str, ...]
    impacts: tuple[str, ...]  # environmental-impact codes, code-list order
    impact_clauses: dict[str, tuple[str, ...]]  # code → clause ids that declare it
    strategic: tuple[str, ...]  # strategic-procurement codes
    gpp: str | None  # gpp-criteria code, None: not stated
    award: tuple[AwardCriterion, ...]
    clauses: tuple[tuple[str, int], ...]  # (id, version) of the clauses the documents contain


def levels_of(profile: Profile) -> tuple[str, ...]:
    """The ambition levels a profile's documents are built at, in level order."""
    return tuple(level for level in LEVELS if level in profile.levels)


def _text(value: dict[str, str] | None) -> dict[str, str]:
    return {lang: " ".join(text.split()) for lang, text in (value or {}).items()}


def criteria_for(checked: Checked, profile_id: str, category: str, level: str | None = None) -> Criteria:
    """The criteria of one document set; NoticeError for an unknown profile, category or level."""
    project = checked.project
    library = project.library
    assert library is not None
    resolved = checked.resolved.get(profile_id)
    if resolved is None:
        raise NoticeError(unknown("profile", profile_id, checked.resolved))
    profile = resolved.profile
    if category not in profile.categories:
        raise NoticeError(f"profile {profile_id!r} does not build category {category!r} "
                          f"(its categories: {', '.join(profile.categories)})")  # fmt: skip
    level = level or levels_of(profile)[0]
    if level not in LEVELS:
        raise NoticeError(unknown("level", level, LEVELS))
    if level not in profile.levels:
        raise NoticeError(f"profile {profile_id!r} does not build the {level} level (its levels: {', '.join(profile.levels)})")
    chosen = select(project.clauses, library, profile, category, level)
    order = list(eforms_codes("environmental-impact"))
    serving: dict[str, list[str]] = {}
    for clause in chosen:
        for code in clause.impacts:
            serving.setdefault(code, []).append(clause.id)
    impacts = tuple(sorted(serving, key=lambda c: order.index(c) if c in order else len(order)))
    cat = next(c for c in library.categories if c.id == category)
    award = tuple(
        AwardCriterion(cid, crit.type, crit.weight, _text(crit.name), _text(crit.description or crit.name))
        for cid, crit in profile.award.criteria.items()
        if crit.weight > 0
    )
    return Criteria(
        profile=profile.id,
        category=category,
        level=level,
        language=profile.language,
        category_name=_text(cat.name),
        cpv=tuple(cat.cpv),
        impacts=impacts,
        impact_clauses={code: tuple(serving[code]) for code in impacts},
        strategic=("env-imp",) if impacts else (),
        gpp=profile.gpp,
        award=award,
        clauses=tuple((c.id, c.version) for c in chosen),
    )


def text_in(texts: dict[str, str], lang: str) -> str | None:
    """The text in ``lang`` ('pt-BR' also takes 'pt'), or None."""
    if lang in texts:
        return texts[lang]
    base = lang.split("-")[0]
    return next((t for code, t in texts.items() if code.split("-")[0] == base), None)
