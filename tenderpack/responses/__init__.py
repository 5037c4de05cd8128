"""Supplier responses: read filled questionnaires back, check their identity, validate and score them.

The steps, for each returned file:

1. ``word.controls`` opens it as untrusted input (a hostile file stops everything with one ``Error:``)
   and returns its content controls and the identity stored at build time.
2. The identity must match the questionnaire this project rebuilds for the same profile, category,
   ambition level and edition: same pack version, same hash of the questions (:func:`tenderpack.documents.questions_hash`).
3. Each control is matched to its question: by ``w:tag``; where a word processor dropped the tags
   (LibreOffice 7.4 does), by the alias ``"<ref> <question-id>"``, then by the question id printed in
   the row, then by position. Missing, duplicated, retagged or foreign controls are reported.
4. Each answer is validated against its question (type, unit, options, bounds, required); problems are
   kept per answer, never stopping at the first.

Identity and structure problems are errors: every file is checked, all problems are reported at once
and nothing is written. Answer problems are part of the result (and shown as warnings).

Scoring (:func:`score_responses`) follows ``model.Scoring``: a question's maximum is its criterion's
weight shared among the scored questions of that criterion in proportion to their weights, so the
maxima add up to the profile's award weights (100). ``lowest-best`` is relative to the tenders scored
together; ``pass-fail`` gives no points but a failure makes the tender non-compliant. No answer, or an
invalid one, scores zero, never less.
"""

from __future__ import annotations

from .evaluation import common_identity, score_responses, weight_warnings
from .match import match_controls
from .model import Answer, Response
from .numbers import parse_number
from .output import CSV_HEADER, to_csv, to_json, write_atomic
from .read import read_responses
from .report import report_inputs
from .score import Evaluation, Points, TenderScore, evaluate, pass_fail, question_maxima, ranking_csv, share
from .validate import convert, show

__all__ = [
    "CSV_HEADER",
    "Answer",
    "Evaluation",
    "Points",
    "Response",
    "TenderScore",
    "common_identity",
    "convert",
    "evaluate",
    "match_controls",
    "parse_number",
    "pass_fail",
    "question_maxima",
    "ranking_csv",
    "read_responses",
    "report_inputs",
    "score_responses",
    "share",
    "show",
    "to_csv",
    "to_json",
    "weight_warnings",
    "write_atomic",
]
