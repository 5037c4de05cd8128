"""``responses score``: read, score and rank returned questionnaires; write the ranking and the report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..documents import Composed, Composer, make_selection, tr
from ..errors import TenderpackError
from ..pipeline import Checked
from ..word.report import render_report
from .output import write_atomic
from .read import _rebuild, read_responses
from .report import report_inputs
from .score import Evaluation, evaluate, ranking_csv


def score_responses(root: Path, files: Sequence[Path], profile: str, category: str, out: Path) -> Evaluation:
    """Read, score and rank the files; write ``<out>/<profile>-<category>-ranking.csv`` and the Word report."""
    checked, responses = read_responses(root, files, profile=profile, category=category)
    if profile not in checked.resolved:
        raise TenderpackError(f"unknown profile {profile!r} (known: {', '.join(sorted(checked.resolved))})")
    resolved = checked.resolved[profile].profile
    lang = resolved.language
    criteria = {cid: (tr(c.name, lang), c.weight) for cid, c in resolved.award.criteria.items()}
    first = responses[0].questionnaire
    composed = _rebuild(checked, profile, category, first["edition"], {})
    assert composed is not None  # read_responses checked it
    tenders, maxima, warnings = evaluate(responses, composed.questions, criteria)
    ev = Evaluation(
        profile,
        category,
        first["document"],
        first["questions_hash"],
        dict(checked.pack),
        criteria,
        composed.questions,
        maxima,
        tenders,
        warnings,
        question_texts(checked, composed),
        resolved.currency,
    )
    ranking = ranking_csv(ev).encode("utf-8")
    report = render_report(**report_inputs(ev, checked, composed))
    stem = f"{profile}-{category}"
    ev.ranking, ev.report = out / f"{stem}-ranking.csv", out / f"{stem}-evaluation.docx"
    write_atomic(ev.ranking, ranking)
    write_atomic(ev.report, report)
    return ev


def question_texts(checked: Checked, composed: Composed) -> dict[str, str]:
    """Each question's text with its parameters filled in, in the profile's language (as printed)."""
    spec = composed.spec
    sel = make_selection(checked.project, checked.resolved[spec.profile], spec.category)
    composer = Composer(checked.project, sel, spec.kind, spec.edition, checked.pack)
    texts = {}
    for clause in sel.clauses:
        ctx = composer.clause_context(clause)
        for i, q in enumerate(clause.questions):
            where = ("clause", clause.id, f"questions.{i}.text")
            texts[q.id] = composer.text(tr(q.text, composer.lang), ctx, where, markup=False)
    return texts
