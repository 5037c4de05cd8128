"""Answers as JSON or CSV, written atomically."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from .. import __version__
from ..errors import OutputError
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


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it (never half a file)."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # the umask applies, as for any file
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
