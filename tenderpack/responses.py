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

import csv
import datetime as dt
import io
import json
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .blocks import Block, Cell, Heading, Paragraph, Run, Table, Toc
from .documents import QUESTION_COLUMNS, SUPPLIER_COLUMNS, SUPPLIER_FIELDS, Composed, Composer, make_selection, tr
from .errors import Collector, OutputError, Problem, TenderpackError
from .model import EDITIONS, LEVELS
from .pipeline import Checked, Filters, check, compose_all
from .word.controls import ControlInfo, Returned, read_questionnaire
from .word.report import render_report

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
    questionnaire: dict[str, str]  # document, profile, category, edition, pack_version, questions_hash
    answers: dict[str, Answer]
    warnings: list[str] = field(default_factory=list)

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


# ------------------------------------------------------------------------------------------ read


def read_responses(
    root: Path, files: Sequence[Path], *, profile: str | None = None, category: str | None = None
) -> tuple[Checked, list[Response]]:
    """Open, identify, match and validate every file; raise once with every identity problem."""
    returned = [read_questionnaire(f) for f in files]  # hostile files stop here, before any other work
    checked = check(root)
    problems = Collector()
    rebuilt: dict[tuple[str, str, str, str], Composed | None] = {}
    responses = []
    for ret in returned:
        resp = _response(ret, checked, problems, rebuilt, profile, category)
        if resp is not None:
            responses.append(resp)
    problems.raise_if_errors()
    return checked, responses


def _response(
    ret: Returned,
    checked: Checked,
    problems: Collector,
    rebuilt: dict[tuple[str, str, str, str], Composed | None],
    want_profile: str | None,
    want_category: str | None,
) -> Response | None:
    def err(message: str, key: str = "") -> None:
        problems.error(ret.file, 0, key, message)

    ident = _identity_values(ret)
    if not ident["kind"]:
        err("not a tenderpack questionnaire: the file carries no tenderpack identity")
        return None
    if ident["kind"] != "questionnaire":
        err(f"a tenderpack {ident['kind']} document, not a questionnaire")
        return None
    for name, a, b in _disagreements(ret):
        err(f"the identity part and the document properties disagree on {name} ({a!r} / {b!r}): the file was altered")
    if ret.identity.parts > 1:
        err(f"the file holds {ret.identity.parts} tenderpack identity parts: it mixes questionnaires")
    pid, cat, edition, level = ident["profile"], ident["category"], ident["edition"], ident["level"]
    if want_profile and (pid, cat) != (want_profile, want_category):
        err(f"a questionnaire for profile {pid!r}, category {cat!r}, not {want_profile!r}, {want_category!r}")
        return None
    composed = _rebuild(checked, pid, cat, level, edition, rebuilt)
    if composed is None:
        err(f"this project builds no questionnaire for profile {pid!r}, category {cat!r}, level {level!r}, "
            f"edition {edition!r}")  # fmt: skip
        return None
    if ident["pack_version"] != checked.pack["version"]:
        err(
            f"built from pack version {ident['pack_version']!r}, but this project is at {checked.pack['version']!r}: "
            "evaluate with the release the questionnaire was issued from"
        )
    if ident["questions_hash"] != composed.questions_hash:
        err(
            f"its questions (hash {ident['questions_hash'][:12] or 'missing'}) differ from those of {composed.spec.id} "
            f"as this project builds it (hash {composed.questions_hash[:12]}): a file from another questionnaire"
        )
        return None
    listed = [(q["id"], q["ref"]) for q in ret.identity.questions]
    if listed and listed != [(q["id"], q["ref"]) for q in composed.questions]:
        err("the question list stored in the file does not match its questions hash: the file was altered")
    assigned, how = match_controls(ret.controls, composed.questions, err)
    answers = {q["id"]: _answer(q, assigned, how) for q in composed.questions}
    supplier = {SUPPLIER_KEYS[tag]: _supplier_value(assigned.get(("supplier", tag))) for tag in SUPPLIER_KEYS}
    warnings = []
    if not supplier["name"]:
        warnings.append("the name of the tenderer is missing")
    if edition == "drafting":
        warnings.append("this is the drafting edition (the buyer's copy with scoring notes), not the issue edition")
    questionnaire = {
        "document": composed.spec.id,
        "profile": pid,
        "category": cat,
        "level": level,
        "edition": edition,
        "pack_version": ident["pack_version"],
        "questions_hash": ident["questions_hash"],
    }
    return Response(ret.file, ret.sha256, supplier, questionnaire, answers, warnings)


def _identity_values(ret: Returned) -> dict[str, str]:
    doc, props = ret.identity.document, ret.identity.properties
    return {
        "kind": doc.get("kind") or props.get("kind", ""),
        "profile": doc.get("profile") or props.get("profile", ""),
        "category": doc.get("category") or props.get("category", ""),
        "level": doc.get("level") or props.get("level", ""),
        "edition": doc.get("edition") or props.get("edition", ""),
        "pack_version": doc.get("pack-version") or props.get("pack-version", ""),
        "questions_hash": ret.identity.questions_hash or props.get("questions-hash", ""),
    }


def _disagreements(ret: Returned) -> list[tuple[str, str, str]]:
    doc, props = ret.identity.document, ret.identity.properties
    pairs = [(k, doc.get(k), props.get(k)) for k in ("kind", "profile", "category", "level", "edition", "pack-version")]
    pairs.append(("questions-hash", ret.identity.questions_hash, props.get("questions-hash")))
    return [(k, a, b) for k, a, b in pairs if a is not None and b is not None and a != b]


def _rebuild(
    checked: Checked, pid: str, cat: str, level: str, edition: str,
    cache: dict[tuple[str, str, str, str], Composed | None],
) -> Composed | None:  # fmt: skip
    key = (pid, cat, level, edition)
    if key not in cache:
        cache[key] = None
        if pid in checked.resolved and edition in EDITIONS and level in LEVELS:
            filters = Filters((pid,), (cat,), ("questionnaire",), (edition,), (level,))
            cache[key] = next(iter(compose_all(checked, filters)), None)
    return cache[key]


# ------------------------------------------------------------------------------------------ matching


def match_controls(
    controls: list[ControlInfo], questions: list[dict[str, Any]], err: Any
) -> tuple[dict[Target, ControlInfo], dict[Target, str]]:
    """Assign each control to a question's answer or evidence field, or to a supplier field.

    Tags decide; without a tag, the alias, then the question id printed in the row, then the position
    among the question rows. A tag that disagrees with the alias or the row was changed; a target with
    two controls was copied; a target with none was deleted. Each case is reported through ``err``.
    """
    refs = {q["id"]: q["ref"] for q in questions}
    by_position = _positions(controls, questions)
    found: dict[Target, list[tuple[ControlInfo, str]]] = {}
    for c in controls:
        resolved = _resolve(c, refs, by_position, err)
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
    c: ControlInfo, refs: dict[str, str], by_position: dict[int, Target], err: Any
) -> tuple[Target, str] | None:
    """Where one control belongs, and how that was decided; conflicts are reported through ``err``.

    A tag that disagrees with the structure (alias, printed id) was changed, unless the alias agrees
    with the tag: then the control was moved. Either way the control counts where the evidence points.
    """
    tagged = _by_tag(c.tag, refs)
    by_alias = _by_alias(c.alias, refs)
    structural = [(how, t) for how, t in (("alias", by_alias), ("row", _by_row(c, refs))) if t]
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


def _by_alias(alias: str | None, refs: dict[str, str]) -> Target | None:
    if not alias:
        return None
    for tag, label, _k in SUPPLIER_FIELDS:
        if alias == label:
            return ("supplier", tag)
    m = re.fullmatch(r"(\S+) (\S+)( evidence)?", alias.strip())
    if m and refs.get(m[2]) == m[1]:
        return ("evidence" if m[3] else "answer", m[2])
    return None


def _by_row(c: ControlInfo, refs: dict[str, str]) -> Target | None:
    if c.header == SUPPLIER_COLUMNS and c.column == 1:
        for tag, label, _k in SUPPLIER_FIELDS:
            if c.row_label == label:
                return ("supplier", tag)
    if c.header == QUESTION_COLUMNS and c.column in (2, 3):
        printed = c.row_label.split()
        for qid in printed:
            if qid in refs and refs[qid] in printed:
                return ("answer" if c.column == 2 else "evidence", qid)
    return None


def _positions(controls: list[ControlInfo], questions: list[dict[str, Any]]) -> dict[int, Target]:
    """The last resort: the n-th question row holds the n-th question (only when the counts agree)."""
    out: dict[int, Target] = {}
    for header, keys in ((QUESTION_COLUMNS, [q["id"] for q in questions]), (SUPPLIER_COLUMNS, list(SUPPLIER_KEYS))):
        rows = sorted({(c.table or 0, c.row or 0) for c in controls if c.header == header})
        if len(rows) != len(keys):
            continue
        index = {row: keys[i] for i, row in enumerate(rows)}
        for c in controls:
            if c.header != header:
                continue
            key = index[(c.table or 0, c.row or 0)]
            if header == SUPPLIER_COLUMNS and c.column == 1:
                out[c.order] = ("supplier", key)
            elif header == QUESTION_COLUMNS and c.column in (2, 3):
                out[c.order] = ("answer" if c.column == 2 else "evidence", key)
    return out


# ------------------------------------------------------------------------------------------ validation


def _answer(q: dict[str, Any], assigned: dict[Target, ControlInfo], how: dict[Target, str]) -> Answer:
    target: Target = ("answer", q["id"])
    c = assigned.get(target)
    ev = assigned.get(("evidence", q["id"]))
    answer = Answer(
        q["id"], q["ref"], q["type"], q["unit"], None, "", (ev.text or None) if ev else None, how.get(target, "")
    )
    if c is None:
        answer.problems.append("no answer field")
        return answer
    answer.text = c.text
    try:
        answer.value = convert(q, c)
    except ValueError as exc:
        answer.problems.append(str(exc))
        return answer
    if answer.value is None:
        if q["required"]:
            answer.problems.append("required answer is missing")
        return answer
    answer.problems.extend(_bounds(q, answer.value))
    if q["evidence"] and answer.value is not False and not answer.evidence:
        answer.problems.append("no evidence referenced")
    return answer


def convert(q: dict[str, Any], c: ControlInfo) -> Any:
    """The typed value of a control for question ``q``; None when empty; ValueError when invalid."""
    kind = q["type"]
    text = c.text.strip()
    if kind == "yes-no":
        if c.checked is not None:
            return c.checked
        if not text:
            return None
        if text.casefold() in YES:
            return True
        if text.casefold() in NO:
            return False
        raise ValueError(f"{text!r} is not yes or no")
    if kind == "date":
        return _date(c.date, text)
    if kind == "choice":
        return _choice(q["options"], text, c.list_value)
    if not text:
        return None
    if kind in ("integer", "number", "percent"):
        number = parse_number(text, q["unit"], percent=kind == "percent")
        if kind == "integer":
            if not number.is_integer():
                raise ValueError(f"{text!r} is not a whole number")
            return int(number)
        return number
    return text


def _date(full: str | None, text: str) -> str | None:
    for candidate in (full, text):
        if candidate:
            try:
                return dt.date.fromisoformat(candidate.strip()[:10]).isoformat()
            except ValueError:
                continue
    if text:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD")
    return None


def _choice(options: list[str], text: str, last_value: str | None) -> str | None:
    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()

    by_norm = {norm(o): o for o in options}
    if text and norm(text) in by_norm:
        return by_norm[norm(text)]
    if last_value and norm(last_value) in by_norm:
        return by_norm[norm(last_value)]
    if not text:
        return None
    raise ValueError(f"{text!r} is not one of the options ({'; '.join(options)})")


_GROUPING = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009']+(?=\d)")
_CURRENCY = re.compile(r"^(?:[A-Z]{3}|[€$£¥])\s*|\s*(?:[A-Z]{3}|[€$£¥])$")


def parse_number(text: str, unit: str | None = None, percent: bool = False) -> float:
    """A number as suppliers write it: ``1 500``, ``1,500.5``, ``12,5``, ``45 %``, ``5 years``, ``EUR 900``.

    ``1,500`` and ``1.500.000``-style groups are refused as ambiguous rather than guessed.
    """
    t = text.strip()
    for suffix in [unit or "", "%" if percent else ""]:
        if suffix and t.casefold().endswith(suffix.casefold()):
            t = t[: -len(suffix)].strip()
    t = _CURRENCY.sub("", t).strip()
    t = _GROUPING.sub("", t)
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        value = float(t)
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d+", t):
        value = float(t.replace(",", ""))
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t):
        raise ValueError(f"{text!r} is ambiguous: write {t.replace(',', '')} or {show(float(t.replace(',', '.')))}")
    elif re.fullmatch(r"[+-]?\d+,\d+", t):
        value = float(t.replace(",", "."))
    else:
        raise ValueError(f"{text!r} is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


def _bounds(q: dict[str, Any], value: Any) -> list[str]:
    if q["type"] not in ("integer", "number", "percent"):
        return []
    low, high = q["min"], q["max"]
    if q["type"] == "percent":
        low = 0 if low is None else max(low, 0)
        high = 100 if high is None else min(high, 100)
    unit = f" {q['unit']}" if q["unit"] else ""
    if low is not None and value < low:
        return [f"{show(value)} is below the minimum {show(low)}{unit}"]
    if high is not None and value > high:
        return [f"{show(value)} is above the maximum {show(high)}{unit}"]
    return []


def _supplier_value(c: ControlInfo | None) -> str:
    if c is None:
        return ""
    if c.kind == "date":
        try:
            return _date(c.date, c.text) or ""
        except ValueError:
            return c.text
    return c.text


def show(value: Any) -> str:
    """An answer or a number as printed: yes/no, integers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}" if abs(value) < 1e15 else str(value)
    return str(value)


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


def score_responses(root: Path, files: Sequence[Path], profile: str, category: str, out: Path) -> Evaluation:
    """Read, score and rank the files; write ``<out>/<profile>-<category>-<level>-ranking.csv`` and the Word
    report (the level is that of the questionnaires: all files answer the same level)."""
    checked, responses = read_responses(root, files, profile=profile, category=category)
    if profile not in checked.resolved:
        raise TenderpackError(f"unknown profile {profile!r} (known: {', '.join(sorted(checked.resolved))})")
    level = responses[0].questionnaire["level"]
    mixed = Collector()
    for r in responses[1:]:
        if r.questionnaire["level"] != level:
            mixed.error(r.file, 0, "", f"a questionnaire of the {r.questionnaire['level']} level, but "
                        f"{responses[0].file} answers the {level} level: score each level separately")  # fmt: skip
    mixed.raise_if_errors()
    resolved = checked.resolved[profile].profile
    lang = resolved.language
    criteria = {cid: (tr(c.name, lang), c.weight) for cid, c in resolved.award.criteria.items()}
    first = responses[0].questionnaire
    composed = _rebuild(checked, profile, category, first["level"], first["edition"], {})
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
    stem = f"{profile}-{category}-{level}"
    ev.ranking, ev.report = out / f"{stem}-ranking.csv", out / f"{stem}-evaluation.docx"
    write_atomic(ev.ranking, ranking)
    write_atomic(ev.report, report)
    return ev


def question_texts(checked: Checked, composed: Composed) -> dict[str, str]:
    """Each question's text with its parameters filled in, in the profile's language (as printed)."""
    spec = composed.spec
    sel = make_selection(checked.project, checked.resolved[spec.profile], spec.category, spec.level)
    composer = Composer(checked.project, sel, spec.kind, spec.edition, checked.pack)
    texts = {}
    for clause in sel.clauses:
        ctx = composer.clause_context(clause)
        for i, q in enumerate(clause.questions):
            where = ("clause", clause.id, f"questions.{i}.text")
            texts[q.id] = composer.text(tr(q.text, composer.lang), ctx, where, markup=False)
    return texts


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


# ------------------------------------------------------------------------------------------ report


def report_inputs(ev: Evaluation, checked: Checked, questionnaire: Composed) -> dict[str, Any]:
    """Everything ``word.report.render_report`` needs: template, context, blocks, properties.

    The context is the questionnaire's (every variable templates/README.md documents), with its own
    ``doc``: a customised evaluation template may use the same variables as the other templates.
    """
    project = checked.project
    resolved = checked.resolved[ev.profile].profile
    category_name = str(questionnaire.context["category"]["name"])
    level = questionnaire.spec.level
    doc_id = f"{ev.profile}-{ev.category}-{level}-evaluation"
    doc = {
        "id": doc_id,
        "kind": "evaluation",
        "edition": "internal",
        "edition_name": "Confidential",
        "level": level,
        "level_name": questionnaire.context["doc"]["level_name"],
        "title": "Evaluation report",
        "subtitle": "Scores of the supplier questionnaires",
    }
    context = {**questionnaire.context, "doc": doc, "pack": dict(ev.pack)}
    blocks, headings = _ReportBuilder(ev, resolved.name, category_name).build()
    template = project.templates_dir / "evaluation.docx"
    if not template.is_file():
        template = project.templates["questionnaire"]
    return {
        "template": template,
        "context": context,
        "toc": Toc("Contents", headings),
        "blocks": blocks,
        "title": f"Evaluation report — {category_name}",
        "subject": resolved.name,
        "author": resolved.authority.name,
        "identifier": doc_id,
        "language": resolved.language,
        "when": checked.when,
        "custom": {
            "tenderpack.document": doc_id,
            "tenderpack.kind": "evaluation",
            "tenderpack.profile": ev.profile,
            "tenderpack.category": ev.category,
            "tenderpack.level": level,
            "tenderpack.pack-version": ev.pack["version"],
            "tenderpack.questions-hash": ev.questions_hash,
        },
        "provenance": {
            "document": {
                "id": doc_id,
                "kind": "evaluation",
                "profile": ev.profile,
                "category": ev.category,
                "level": level,
                "questionnaire": ev.document,
                "pack-version": ev.pack["version"],
                "pack-date": ev.pack["date"],
                "questions-hash": ev.questions_hash,
                "tool-version": __version__,
            },
            "tenders": [
                {
                    "file": Path(t.response.file).name,
                    "sha256": t.response.sha256,
                    "tenderer": t.response.name,
                    "rank": str(t.rank or ""),
                    "total": f"{t.total:.2f}",
                    "compliant": str(t.compliant).lower(),
                }
                for t in ev.tenders
            ],
        },
    }


class _ReportBuilder:
    """The evaluation report as blocks (numbered like the other documents)."""

    def __init__(self, ev: Evaluation, profile_name: str, category_name: str):
        self.ev = ev
        self.profile_name = profile_name
        self.category_name = category_name
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.section = 0
        self.sub = 0

    def heading(self, text: str, level: int) -> None:
        if level == 1:
            self.section += 1
            self.sub = 0
            number = f"{self.section}."
        else:
            self.sub += 1
            number = f"{self.section}.{self.sub}"
        h = Heading(text, level, number)
        self.blocks.append(h)
        self.headings.append(h)

    def para(self, *runs: Run, style: str = "BodyText") -> None:
        self.blocks.append(Paragraph(list(runs), style))

    def build(self) -> tuple[list[Block], list[Heading]]:
        self.summary()
        self.method()
        self.heading("Tenders", 1)
        for t in self.ev.tenders:
            self.tender(t)
        self.problems()
        return self.blocks, self.headings

    def summary(self) -> None:
        ev = self.ev
        self.heading("Summary", 1)
        n = len(ev.tenders)
        self.para(
            Run(
                f"{n} tender{'s' if n != 1 else ''} answered the supplier questionnaire {ev.document} "
                f"(profile {self.profile_name}, category {self.category_name}, pack version {ev.pack['version']} "
                f"of {ev.pack['date']}; questions hash {ev.questions_hash[:16]}). Points are awarded per question "
                "as set out in section 2; the maximum total is "
                f"{show(round(sum(ev.maxima.values()), 2))} points."
            )
        )
        crit_ids = list(ev.criteria)
        header = [
            "Rank",
            "Tenderer",
            *(f"{ev.criteria[c][0]} ({show(ev.criteria[c][1])})" for c in crit_ids),
            "Total",
            "Compliant",
        ]
        rows = []
        for t in ev.tenders:
            rows.append(
                [
                    Cell([Run(str(t.rank) if t.rank else "—")]),
                    Cell([Run(t.response.name)]),
                    *(Cell([Run(f"{t.by_criterion[c]:.2f}")]) for c in crit_ids),
                    Cell([Run(f"{t.total:.2f}", bold=True)]),
                    Cell([Run("yes" if t.compliant else "no")]),
                ]
            )
        self.blocks.append(Table(header, rows, _widths(9638, [700, 2400], len(crit_ids), [1000, 1100])))
        for t in ev.tenders:
            if not t.compliant:
                self.para(Run(f"{t.response.name} is not compliant: ", bold=True), Run("; ".join(t.failures) + "."))

    def method(self) -> None:
        ev = self.ev
        self.heading("Award criteria and scoring", 1)
        self.para(
            Run(
                "Each award criterion's weight is shared among the questions that feed it, in proportion to "
                "their weights. No answer, or an invalid one, scores zero. For the lowest-best rule the lowest "
                "valid answer among the compliant tenders earns full points and the others points in proportion. "
                "A pass/fail question earns no points; failing it makes the tender non-compliant."
            )
        )
        rows = []
        for q in ev.questions:
            s = q["scoring"]
            if not s:
                continue
            crit = ev.criteria.get(s["criterion"] or "", ("—", 0.0))[0] if s["criterion"] else "—"
            maximum = "pass/fail" if s["rule"] == "pass-fail" else f"{ev.maxima.get(q['id'], 0.0):.2f}"
            rows.append(
                [
                    Cell([Run(q["ref"] + "\n"), Run(q["id"], italic=True)]),
                    Cell([Run(ev.texts.get(q["id"], q["text"]))]),
                    Cell([Run(crit)]),
                    Cell([Run(s["rule"])]),
                    Cell([Run(maximum)]),
                ]
            )
        rows.append(
            [
                Cell([Run("Total", bold=True)]),
                Cell(),
                Cell(),
                Cell(),
                Cell([Run(f"{sum(ev.maxima.values()):.2f}", bold=True)]),
            ]
        )
        self.blocks.append(
            Table(["Ref", "Question", "Criterion", "Rule", "Max. points"], rows, [1300, 4238, 1600, 1300, 1200])
        )
        for w in ev.warnings:
            self.para(Run("Note: ", bold=True), Run(w))

    def tender(self, t: TenderScore) -> None:
        r = t.response
        self.heading(r.name, 2)
        s = r.supplier
        details = [f"File: {Path(r.file).name}", f"SHA-256: {r.sha256[:16]}…"]
        details += [
            f"{label}: {s[key]}"
            for key, label in (("contact", "Contact"), ("email", "E-mail"), ("date", "Date of the answers"))
            if s.get(key)
        ]
        self.para(Run(" · ".join(details)))
        if t.compliant:
            self.para(
                Run("Result: ", bold=True),
                Run(f"rank {t.rank}, {t.total:.2f} of {sum(self.ev.maxima.values()):.2f} points."),
            )
        else:
            self.para(
                Run("Result: ", bold=True),
                Run("not compliant — " + "; ".join(t.failures) + f". Points for information: {t.total:.2f}."),
            )
        rows = []
        for a in r.answers.values():
            p = t.points.get(a.id)
            if p is None:
                pts = "—"
            elif p.rule == "pass-fail":
                pts = p.note
            else:
                pts = f"{p.points:.2f} of {p.maximum:.2f}"
            answer_runs = [Run(self.value(a))]
            if a.problems:
                answer_runs.append(Run("\n" + "; ".join(a.problems), italic=True))
            rows.append(
                [
                    Cell([Run(a.ref + "\n"), Run(a.id, italic=True)]),
                    Cell(answer_runs),
                    Cell([Run(a.evidence or "—")]),
                    Cell([Run(pts)]),
                ]
            )
        self.blocks.append(Table(["Ref", "Answer", "Evidence", "Points"], rows, [1300, 3838, 3100, 1400]))

    def value(self, a: Answer) -> str:
        if a.value is None:
            return "no answer"
        if a.type == "percent":
            return f"{show(a.value)} %"
        unit = self.ev.currency if a.unit == "currency" else a.unit
        return show(a.value) + (f" {unit}" if unit and a.type in ("integer", "number") else "")

    def problems(self) -> None:
        found = [(t.response, p) for t in self.ev.tenders for p in t.response.problems()]
        if not found:
            return
        self.heading("Problems in the answers", 1)
        rows = [[Cell([Run(r.name)]), Cell([Run(p.key or "—")]), Cell([Run(p.message)])] for r, p in found]
        self.blocks.append(Table(["Tenderer", "Question", "Problem"], rows, [2600, 2400, 4638]))


def _widths(total: int, fixed_left: list[int], n: int, fixed_right: list[int]) -> list[int]:
    rest = total - sum(fixed_left) - sum(fixed_right)
    each = rest // max(n, 1)
    middle = [each] * n
    if middle:
        middle[-1] += rest - each * n
    else:
        fixed_left[-1] += rest
    return [*fixed_left, *middle, *fixed_right]
