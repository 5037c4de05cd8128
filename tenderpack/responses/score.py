"""Scores and ranking of returned questionnaires (the rules of ``model.Scoring``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Answer, Response
from .validate import show

# ------------------------------------------------------------------------------------------ scoring


@dataclass
class Points:
    """The points of one scored question for one tender."""

    question: str
    ref: str
    criterion: str | None
    rule: str
    maximum: float
    points: float
    note: str = ""  # e.g. "pass", "fail: below 5", "no answer"


@dataclass
class TenderScore:
    response: Response
    points: dict[str, Points]
    by_criterion: dict[str, float]
    total: float
    failures: list[str]
    missing: list[str]
    rank: int | None = None

    @property
    def compliant(self) -> bool:
        return not self.failures


@dataclass
class Evaluation:
    profile: str
    category: str
    document: str
    questions_hash: str
    pack: dict[str, str]
    criteria: dict[str, tuple[str, float]]  # id -> (name, weight)
    questions: list[dict[str, Any]]
    maxima: dict[str, float]
    tenders: list[TenderScore]
    warnings: list[str]
    texts: dict[str, str] = field(default_factory=dict)  # question id -> text as the questionnaire prints it
    currency: str = ""
    ranking: Path | None = None
    report: Path | None = None
    identity_sha256: str = ""  # fingerprint of the questionnaire identity the tenders answered


def question_maxima(
    questions: list[dict[str, Any]], criteria: dict[str, tuple[str, float]]
) -> tuple[dict[str, float], list[str]]:
    """Maximum points per scored question: criterion weight × question weight / sum of weights."""
    by_criterion: dict[str, list[dict[str, Any]]] = {}
    for q in questions:
        s = q["scoring"]
        if s and s["rule"] != "pass-fail" and s["criterion"]:
            by_criterion.setdefault(s["criterion"], []).append(q)
    maxima: dict[str, float] = {}
    warnings = []
    for cid, qs in by_criterion.items():
        if cid not in criteria:
            warnings.append(
                f"questions {', '.join(q['id'] for q in qs)} feed criterion {cid!r}, which the profile does not have: not scored"
            )
            continue
        total = sum(float(q["scoring"]["weight"]) for q in qs)
        for q in qs:
            maxima[q["id"]] = criteria[cid][1] * float(q["scoring"]["weight"]) / total
    for cid, (name, weight) in criteria.items():
        if weight > 0 and cid not in by_criterion:
            warnings.append(
                f"criterion {name} ({show(weight)} points) has no question in this questionnaire: its points cannot be awarded here"
            )
    return maxima, warnings


def share(s: dict[str, Any], value: Any, lowest: float | None) -> float:
    """The share (0 to 1) of a question's maximum that an answer earns."""
    if value is None or (isinstance(value, bool) and s["rule"] not in ("yes-no", "options")):
        return 0.0
    rule = s["rule"]
    if rule == "yes-no":
        result = 1.0 if value is True else 0.0
    elif rule == "options":
        result = float(s["points"].get(value, 0.0))
    elif rule == "bands":
        reached = [float(b["score"]) for b in s["bands"] if value >= float(b["min"])]
        result = max(reached, default=0.0)
    elif rule == "linear":
        low, high = _num(s["min"]), _num(s["max"])
        if low is None or high is None or low == high:
            result = 1.0 if high is not None and value >= high else 0.0
        else:
            result = (value - low) / (high - low)
    elif rule == "lowest-best":
        if lowest is None or value < 0:
            result = 0.0
        else:
            result = 1.0 if value <= 0 else lowest / value
    else:
        result = 0.0
    return min(1.0, max(0.0, result))


def _num(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def pass_fail(q: dict[str, Any], answer: Answer) -> str | None:
    """Why an answer fails a pass-fail question, or None when it passes."""
    value = answer.value
    if value is None:
        return f"{q['ref']} {q['id']}: no valid answer"
    if q["type"] == "yes-no" and value is not True:
        return f"{q['ref']} {q['id']}: answered no"
    threshold = _num(q["scoring"]["threshold"])
    if threshold is not None and isinstance(value, int | float) and not isinstance(value, bool) and value < threshold:
        return f"{q['ref']} {q['id']}: {show(value)} is below the required {show(threshold)}"
    return None


def evaluate(
    responses: list[Response], questions: list[dict[str, Any]], criteria: dict[str, tuple[str, float]]
) -> tuple[list[TenderScore], dict[str, float], list[str]]:
    """Score every tender, rank the compliant ones (best first), then list the non-compliant ones."""
    maxima, warnings = question_maxima(questions, criteria)
    tenders = []
    for r in responses:
        failures = [
            why
            for q in questions
            if q["scoring"] and q["scoring"]["rule"] == "pass-fail"
            for why in [pass_fail(q, r.answers[q["id"]])]
            if why
        ]
        missing = [f"{a.ref} {a.id}" for a in r.answers.values() if "required answer is missing" in a.problems]
        tenders.append(TenderScore(r, {}, {}, 0.0, failures, missing))
    pool = [t for t in tenders if t.compliant] or tenders  # the lowest price of an excluded tender sets nothing
    for q in questions:
        s = q["scoring"]
        if not s:
            continue
        lowest = None
        if s["rule"] == "lowest-best":
            values = [t.response.answers[q["id"]].value for t in pool]
            valid = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and v >= 0]
            lowest = min(valid, default=None)
        for t in tenders:
            answer = t.response.answers[q["id"]]
            if s["rule"] == "pass-fail":
                why = pass_fail(q, answer)
                t.points[q["id"]] = Points(
                    q["id"], q["ref"], s["criterion"], "pass-fail", 0.0, 0.0, "fail" if why else "pass"
                )
                continue
            maximum = maxima.get(q["id"], 0.0)
            got = maximum * share(s, answer.value, lowest)
            note = "no answer" if answer.value is None else ""
            t.points[q["id"]] = Points(q["id"], q["ref"], s["criterion"], s["rule"], maximum, got, note)
    for t in tenders:
        for cid in criteria:
            t.by_criterion[cid] = sum(
                p.points for p in t.points.values() if p.criterion == cid and p.rule != "pass-fail"
            )
        t.total = sum(t.by_criterion.values())
    ranked = sorted(
        (t for t in tenders if t.compliant), key=lambda t: (-round(t.total, 2), t.response.name, t.response.file)
    )
    previous: tuple[float, int] | None = None
    for i, t in enumerate(ranked, start=1):
        t.rank = previous[1] if previous and previous[0] == round(t.total, 2) else i
        previous = (round(t.total, 2), t.rank)
    excluded = sorted((t for t in tenders if not t.compliant), key=lambda t: (t.response.name, t.response.file))
    return ranked + excluded, maxima, warnings


def ranking_csv(ev: Evaluation) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["rank", "tenderer", "file", "compliant", *ev.criteria, "total", "notes"])
    for t in ev.tenders:
        notes = "; ".join([*(f"fails {f}" for f in t.failures), *(f"missing {m}" for m in t.missing)])
        writer.writerow(
            [
                t.rank or "",
                t.response.name,
                t.response.file,
                "yes" if t.compliant else "no",
                *(f"{t.by_criterion[c]:.2f}" for c in ev.criteria),
                f"{t.total:.2f}",
                notes,
            ]
        )
    return buf.getvalue()
