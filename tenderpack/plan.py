"""Which documents a build makes: the filters of the command line and the plan they select.

A filter dimension is a field of ``Filters`` named after the ``DocSpec`` attribute it filters, in the
plural (``profiles`` filters ``DocSpec.profile``); adding a dimension means adding a field here and its
entry in ``DIMENSIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .ids import EDITIONS, LEVELS

if TYPE_CHECKING:
    from .pipeline import Checked

@dataclass(frozen=True)
class DocSpec:
    """One document of the pack."""

    profile: str
    category: str
    kind: str
    edition: str
    level: str
    language: str = ""  # set only when the profile builds several languages: then a folder of the path

    @property
    def id(self) -> str:
        return f"{self.profile}-{self.category}-{self.level}-{self.kind}-{self.edition}"

    @property
    def path(self) -> str:
        folder = f"{self.language}/" if self.language else ""  # file names stay language-neutral
        return f"{self.profile}/{self.category}/{folder}{self.id}.docx"



# Filters field → the DocSpec attribute it selects on (the order is part of the inputs fingerprint)
DIMENSIONS = {"profiles": "profile", "categories": "category", "kinds": "kind", "editions": "edition", "levels": "level"}


@dataclass(frozen=True)
class Filters:
    """Which documents to build; an empty tuple means all."""

    profiles: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    def wants(self, spec: DocSpec) -> bool:
        return all(
            not getattr(self, name) or getattr(spec, attr) in getattr(self, name) for name, attr in DIMENSIONS.items()
        )

    @property
    def active(self) -> bool:
        """Whether any filter is set (the build selects part of the pack)."""
        return any(getattr(self, name) for name in DIMENSIONS)

    def key(self) -> list[Any]:
        """The filters as JSON-able data (part of the inputs fingerprint)."""
        return [list(getattr(self, name)) for name in DIMENSIONS]


EVERYTHING = Filters()  # no filter: the whole pack


def plan(checked: Checked, filters: Filters = EVERYTHING) -> list[DocSpec]:
    """Every document of the pack (filtered), in a stable order: profile, category, level, kind, edition,
    language (a language only for a profile that builds several: then each gets a folder)."""
    specs = []
    for pid in sorted(checked.resolved):
        p = checked.resolved[pid].profile
        languages = p.all_languages if len(p.all_languages) > 1 else [""]
        for cat in p.categories:
            for level in sorted(p.levels, key=LEVELS.index):
                for kind in p.documents:
                    for edition in EDITIONS:
                        if edition == "bilingual" and (len(p.all_languages) < 2 or kind == "questionnaire"):
                            continue  # side by side needs two languages; answers are given in one
                        for lang in languages if edition != "bilingual" else [""]:
                            spec = DocSpec(pid, cat, kind, edition, level, lang)
                            if filters.wants(spec):
                                specs.append(spec)
    return specs
