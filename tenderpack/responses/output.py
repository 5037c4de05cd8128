"""Answers as JSON or CSV, written atomically."""

from __future__ import annotations

import csv
import io
import json

from .. import __version__
from ..files import write_atomic
from .model import Response
from .validate import show

# ------------------------------------------------------------------------------------------ output


def to_json(responses: list[Response]) -> str:
    data = {"tenderpack": __version__, "responses": [r.as_dict() for r in responses]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


CSV_HEADER = ("file", "tenderer", "question", "ref", "type", "value", "unit", "evidence", "matched_by", "problems")


def to_csv(responses: list[Response]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for r in responses:
        for a in r.answers.values():
            writer.writerow(
                [
                    r.file,
                    r.name,
                    a.id,
                    a.ref,
                    a.type,
                    show(a.value),
                    a.unit or "",
                    a.evidence or "",
                    a.matched_by,
                    "; ".join(a.problems),
                ]
            )
    return buf.getvalue()


__all__ = ["CSV_HEADER", "to_csv", "to_json", "write_atomic"]
