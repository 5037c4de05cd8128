"""Which content control answers which question (tags, aliases, rows, positions)."""

from __future__ import annotations

import re
from typing import Any

from ..documents import QUESTION_COLUMNS, SUPPLIER_COLUMNS, SUPPLIER_FIELDS
from ..word.controls import ControlInfo
from .model import SUPPLIER_KEYS, Target

# ------------------------------------------------------------------------------------------ matching


class _Printed:
    """The table headings and supplier rows a questionnaire printed: English, and those of its language (the
    identity's ``labels``). Question rows are matched by the reference and id they print, never by words."""

    def __init__(self, labels: dict[str, Any] | None):
        labels = labels or {}
        columns = labels.get("columns", {})
        self.question_headers = {QUESTION_COLUMNS, tuple(columns.get("questions", QUESTION_COLUMNS))}
        self.supplier_headers = {SUPPLIER_COLUMNS, tuple(columns.get("supplier", SUPPLIER_COLUMNS))}
        local = labels.get("supplier", {})
        self.supplier = {tag: {label, local.get(tag, label)} for tag, label, _k in SUPPLIER_FIELDS}

    def supplier_tag(self, text: str | None) -> str | None:
        return next((tag for tag, names in self.supplier.items() if text in names), None)


def match_controls(
    controls: list[ControlInfo], questions: list[dict[str, Any]], err: Any, labels: dict[str, Any] | None = None
) -> tuple[dict[Target, ControlInfo], dict[Target, str]]:
    """Assign each control to a question's answer or evidence field, or to a supplier field.

    Tags decide; without a tag, the alias, then the question id printed in the row, then the position
    among the question rows. A tag that disagrees with the alias or the row was changed; a target with
    two controls was copied; a target with none was deleted. Each case is reported through ``err``.
    """
    refs = {q["id"]: q["ref"] for q in questions}
    printed = _Printed(labels)
    by_position = _positions(controls, questions, printed)
    found: dict[Target, list[tuple[ControlInfo, str]]] = {}
    for c in controls:
        resolved = _resolve(c, refs, by_position, err, printed)
        if resolved is not None:
            found.setdefault(resolved[0], []).append((c, resolved[1]))
    assigned: dict[Target, ControlInfo] = {}
    how: dict[Target, str] = {}
    for target, hits in found.items():
        if len(hits) > 1:
            err(f"{len(hits)} controls answer {_describe(target, refs)}: a field was copied", _key(target, refs))
        assigned[target], how[target] = hits[0]
    for target in _expected(questions):
        if target not in assigned:
            err(f"the {_describe(target, refs)} field is missing: it was deleted", _key(target, refs))
    return assigned, how


def _resolve(
    c: ControlInfo, refs: dict[str, str], by_position: dict[int, Target], err: Any, printed: _Printed
) -> tuple[Target, str] | None:
    """Where one control belongs, and how that was decided; conflicts are reported through ``err``.

    A tag that disagrees with the structure (alias, printed id) was changed, unless the alias agrees
    with the tag: then the control was moved. Either way the control counts where the evidence points.
    """
    tagged = _by_tag(c.tag, refs)
    by_alias = _by_alias(c.alias, refs, printed)
    structural = [(how, t) for how, t in (("alias", by_alias), ("row", _by_row(c, refs, printed))) if t]
    if c.tag and tagged is None:
        if not structural:
            err(f"a control carries the unknown tag {c.tag!r}: it was retagged or comes from another document")
            return None
        how, target = structural[0]
        err(
            f"the control of {_describe(target, refs)} carries the unknown tag {c.tag!r}: it was retagged",
            _key(target, refs),
        )
        return target, how
    if tagged is not None:
        conflict = next((t for _how, t in structural if t != tagged), None)
        if conflict is None:
            return tagged, "tag"
        if by_alias == tagged:
            err(
                f"the {_describe(tagged, refs)} field was moved into the row of {_describe(conflict, refs)}",
                _key(tagged, refs),
            )
            return tagged, "tag"
        err(
            f"the control tagged {c.tag!r} sits in the field of {_describe(conflict, refs)}: it was retagged",
            _key(conflict, refs),
        )
        how, target = structural[0]
        return target, how
    if len({t for _how, t in structural}) > 1:
        err(f"the control named {c.alias!r} sits in the row of {_describe(structural[1][1], refs)}: it was moved")
    if structural:
        return structural[0][1], structural[0][0]
    if c.order in by_position:
        return by_position[c.order], "position"
    shown = f", {c.text[:40]!r}" if c.text else ""
    err(f"a content control (#{c.order + 1}, {c.kind}{shown}) belongs to no question")
    return None


def _expected(questions: list[dict[str, Any]]) -> list[Target]:
    out: list[Target] = [("supplier", tag) for tag, _l, _k in SUPPLIER_FIELDS]
    for q in questions:
        out.append(("answer", q["id"]))
        if q["evidence"]:
            out.append(("evidence", q["id"]))
    return out


def _describe(target: Target, refs: dict[str, str]) -> str:
    role, key = target
    if role == "supplier":
        return next(label for tag, label, _k in SUPPLIER_FIELDS if tag == key).lower()
    what = "question" if role == "answer" else "evidence of question"
    return f"{what} {refs.get(key, '?')} {key}"


def _key(target: Target, refs: dict[str, str]) -> str:
    role, key = target
    return key if role == "supplier" else f"{refs.get(key, '?')} {key}"


def _by_tag(tag: str | None, refs: dict[str, str]) -> Target | None:
    if not tag:
        return None
    if tag in SUPPLIER_KEYS:
        return ("supplier", tag)
    if tag.endswith(".evidence") and tag[: -len(".evidence")] in refs:
        return ("evidence", tag[: -len(".evidence")])
    if tag in refs:
        return ("answer", tag)
    return None


def _by_alias(alias: str | None, refs: dict[str, str], printed: _Printed) -> Target | None:
    if not alias:
        return None
    tag = printed.supplier_tag(alias)
    if tag is not None:
        return ("supplier", tag)
    m = re.fullmatch(r"(\S+) (\S+)( evidence)?", alias.strip())
    if m and refs.get(m[2]) == m[1]:
        return ("evidence" if m[3] else "answer", m[2])
    return None


def _by_row(c: ControlInfo, refs: dict[str, str], printed: _Printed) -> Target | None:
    if c.header in printed.supplier_headers and c.column == 1:
        tag = printed.supplier_tag(c.row_label)
        if tag is not None:
            return ("supplier", tag)
    if c.header in printed.question_headers and c.column in (2, 3):
        words = c.row_label.split()
        for qid in words:
            if qid in refs and refs[qid] in words:
                return ("answer" if c.column == 2 else "evidence", qid)
    return None


def _positions(controls: list[ControlInfo], questions: list[dict[str, Any]], printed: _Printed) -> dict[int, Target]:
    """The last resort: the n-th question row holds the n-th question (only when the counts agree)."""
    out: dict[int, Target] = {}
    tables = ((printed.question_headers, [q["id"] for q in questions], False), (printed.supplier_headers, list(SUPPLIER_KEYS), True))
    for headers, keys, supplier in tables:
        rows = sorted({(c.table or 0, c.row or 0) for c in controls if c.header in headers})
        if len(rows) != len(keys):
            continue
        index = {row: keys[i] for i, row in enumerate(rows)}
        for c in controls:
            if c.header not in headers:
                continue
            key = index[(c.table or 0, c.row or 0)]
            if supplier and c.column == 1:
                out[c.order] = ("supplier", key)
            elif not supplier and c.column in (2, 3):
                out[c.order] = ("answer" if c.column == 2 else "evidence", key)
    return out
