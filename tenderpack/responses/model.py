"""Answers and responses: what reading a returned questionnaire produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..documents import SUPPLIER_FIELDS
from ..errors import Problem

Target = tuple[str, str]  # ("answer" | "evidence" | "supplier", question id or supplier tag)
SUPPLIER_KEYS = {tag: tag.split(".", 1)[1] for tag, _label, _kind in SUPPLIER_FIELDS}
YES = frozenset({"yes", "y", "true", "1", "x", "\u2612", "\u2611", "\u2713", "\u2714", "oui", "ja", "si", "sí"})
NO = frozenset({"no", "n", "false", "0", "\u2610", "non", "nein"})


# ------------------------------------------------------------------------------------------ model


@dataclass
class Answer:
    """One question's answer in one file, typed and validated."""

    id: str
    ref: str
    type: str
    unit: str | None
    value: Any  # str, int, float, bool, ISO date string, or None (no valid answer)
    text: str  # as written in the control
    evidence: str | None
    matched_by: str  # tag, alias, row, position; "" when the control is missing
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "type": self.type,
            "unit": self.unit,
            "value": self.value,
            "text": self.text,
            "evidence": self.evidence,
            "matched_by": self.matched_by,
            "problems": list(self.problems),
        }


@dataclass
class Response:
    """A returned questionnaire: who answered, which questionnaire it is, and the answers by question id."""

    file: str
    sha256: str
    supplier: dict[str, str]  # name, contact, email, date
    questionnaire: dict[str, str]  # document, profile, category, edition, pack_version, questions_hash, identity_sha256
    answers: dict[str, Answer]
    warnings: list[str] = field(default_factory=list)
    identity: dict[str, Any] = field(default_factory=dict, repr=False)  # the checked identity (``tenderpack.identity``)

    @property
    def name(self) -> str:
        return self.supplier.get("name") or Path(self.file).stem

    def problems(self) -> list[Problem]:
        out = [Problem(self.file, 0, "", w, warning=True) for w in self.warnings]
        for a in self.answers.values():
            out.extend(Problem(self.file, 0, f"{a.ref} {a.id}", p, warning=True) for p in a.problems)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "supplier": dict(self.supplier),
            "questionnaire": dict(self.questionnaire),
            "answers": {qid: a.as_dict() for qid, a in self.answers.items()},
            "warnings": list(self.warnings),
        }
