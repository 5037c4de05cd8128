"""``responses score``: read, score and rank returned questionnaires; write the ranking and the report.

The questions, their scoring rules and the award weights come from the identity the questionnaires
carry: they are what was published with the tender. The project supplies the profile for the report's
letterhead (authority, language, template); when its award weights no longer match the published ones,
the published weights are used and a warning says so (a tender must be evaluated on the criteria and
weights announced to tenderers, not on weights changed after publication).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import identity
from ..errors import Collector, TenderpackError
from ..pipeline import Checked, check
from ..word.report import render_report
from .model import Response
from .output import write_atomic
from .read import _rebuild, read_responses
from .report import report_inputs
from .score import Evaluation, evaluate, ranking_csv
from .validate import show


def score_responses(root: Path, files: Sequence[Path], profile: str, category: str, out: Path | None = None,
                    *, pack: Path | None = None) -> Evaluation:  # fmt: skip
    """Read, score and rank the files; write ``<out>/<profile>-<category>-<level>-ranking.csv`` and the Word
    report (every file answers the same questionnaire, so the same ambition level).

    ``out`` defaults to ``<root>/evaluation``; ``pack`` confirms every file against that release zip.
    """
    loaded, responses = read_responses(root, files, profile=profile, category=category, pack=pack)
    published = common_identity(responses)
    checked = loaded or check(root)
    if profile not in checked.resolved:
        raise TenderpackError(f"unknown profile {profile!r} (known: {', '.join(sorted(checked.resolved))})")
    level = published["level"]
    composed = _rebuild(checked, profile, category, level, published["edition"], {})
    if composed is None:
        raise TenderpackError(
            f"this project builds no questionnaire for profile {profile!r}, category {category!r}, level {level!r}: "
            "the evaluation report takes its letterhead and template from it"
        )
    criteria = identity.criteria(published)
    warnings = weight_warnings(checked, profile, criteria)
    tenders, maxima, scoring_warnings = evaluate(responses, published["questions"], criteria)
    ev = Evaluation(
        profile,
        category,
        published["document"],
        published["questions_hash"],
        dict(published["pack"]),
        criteria,
        published["questions"],
        maxima,
        tenders,
        warnings + scoring_warnings,
        dict(published["texts"]),
        published["currency"],
        identity_sha256=identity.fingerprint(published),
    )
    ranking = ranking_csv(ev).encode("utf-8")
    report = render_report(**report_inputs(ev, checked, composed))
    stem = f"{profile}-{category}-{level}"
    folder = out if out is not None else root / "evaluation"
    ev.ranking, ev.report = folder / f"{stem}-ranking.csv", folder / f"{stem}-evaluation.docx"
    write_atomic(ev.ranking, ranking)
    write_atomic(ev.report, report)
    return ev


def common_identity(responses: list[Response]) -> dict[str, Any]:
    """The identity every file shares: the same questions and the same published award criteria."""
    first = responses[0]
    problems = Collector()
    for r in responses[1:]:
        if r.identity["level"] != first.identity["level"]:
            problems.error(r.file, 0, "", f"a questionnaire of the {r.identity['level']} level, but {first.file} "
                           f"answers the {first.identity['level']} level: score each level separately")  # fmt: skip
        elif r.identity["questions_hash"] != first.identity["questions_hash"]:
            problems.error(r.file, 0, "", f"answers other questions than {first.file}: score one questionnaire at a time")
        elif r.identity["award"] != first.identity["award"]:
            problems.error(r.file, 0, "", f"was published with other award criteria or weights than {first.file}")
    problems.raise_if_errors()
    return first.identity


def weight_warnings(checked: Checked, profile: str, published: dict[str, tuple[str, float]]) -> list[str]:
    """A warning when the project's award weights for ``profile`` differ from the published ones."""
    resolved = checked.resolved[profile].profile
    here = {cid: c.weight for cid, c in resolved.award.criteria.items()}
    issued = {cid: weight for cid, (_name, weight) in published.items()}
    if here == issued:
        return []

    def listing(weights: dict[str, float]) -> str:
        return ", ".join(f"{cid} {show(w)}" for cid, w in weights.items()) or "none"

    return [
        f"the award weights of profile {profile} in this project ({listing(here)}) differ from those published "
        f"with the questionnaire ({listing(issued)}): the published weights are used, as announced to tenderers"
    ]
