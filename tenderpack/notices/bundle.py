"""The notice data a release pack carries beside the documents of each profile × category × level."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from . import eforms, ocds
from .criteria import criteria_for, levels_of

if TYPE_CHECKING:
    from ..pipeline import Checked


def notice_path(folder: str, profile: str, category: str, level: str, kind: str) -> str:
    """``<folder><profile>/<category>/<profile>-<category>-<level>-<kind>``, kind 'eforms.xml' or 'ocds.json'."""
    return f"{folder}{profile}/{category}/{profile}-{category}-{level}-{kind}"


def notice_files(checked: Checked, documents: list[dict[str, Any]], folder: str) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    """(zip path → bytes, manifest entries) of the eForms fragment and OCDS release of every document set.

    ``documents`` are the pack's document entries (zip ``path``, ``sha256``, ``profile``, ``category``,
    ``kind``, ``edition``, ``title``); the OCDS release lists the issue edition of its set's documents.
    """
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    for pid in sorted(checked.resolved):
        profile = checked.resolved[pid].profile
        for category in profile.categories:
            for level in levels_of(profile):
                criteria = criteria_for(checked, pid, category, level)
                own = [d for d in documents if d.get("profile") == pid and d.get("category") == category
                       and d.get("edition") == "issue" and d.get("level", level) == level]  # fmt: skip
                made: dict[str, tuple[bytes, dict[str, Any]]] = {
                    "eforms.xml": (eforms.fragment(criteria), {"format": "eforms", "covers": eforms.covered(criteria)}),
                    "ocds.json": (ocds.dumps(ocds.release_package(checked, criteria, own)), {"format": "ocds"}),
                }
                for kind, (data, extra) in made.items():
                    path = notice_path(folder, pid, category, level, kind)
                    files[path] = data
                    entries.append({"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                                    "profile": pid, "category": category, "level": level, **extra})  # fmt: skip
    return files, entries
