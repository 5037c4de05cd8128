"""An answer's typed value and its problems (type, unit, options, bounds, required)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..word.controls import ControlInfo
from .model import NO, YES, Answer, Target
from .numbers import parse_number

# ------------------------------------------------------------------------------------------ validation


def _answer(
    q: dict[str, Any], assigned: dict[Target, ControlInfo], how: dict[Target, str], printed: Printed | None = None
) -> Answer:
    target: Target = ("answer", q["id"])
    c = assigned.get(target)
    ev = assigned.get(("evidence", q["id"]))
    evidence = _text(ev, printed or Printed()) if ev else ""
    answer = Answer(q["id"], q["ref"], q["type"], q["unit"], None, "", evidence or None, how.get(target, ""))
    if c is None:
        answer.problems.append("no answer field")
        return answer
    answer.text = c.text
    try:
        answer.value = convert(q, c, printed)
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


class Printed:
    """What a questionnaire printed around its answer fields, in its language (the identity's ``labels``):
    yes and no, the grey placeholder texts, unit names and option labels. A file without them (built before
    they were translated) is English."""

    def __init__(self, labels: dict[str, Any] | None = None, lang: str = "en"):
        labels = labels or {}
        self.lang = lang or "en"
        self.yes = str(labels.get("yes", "Yes"))
        self.no = str(labels.get("no", "No"))
        self.placeholders = frozenset(str(p) for p in labels.get("placeholders", ()))
        self.units: dict[str, str] = dict(labels.get("units", {}))
        self.options: dict[str, dict[str, str]] = dict(labels.get("options", {}))


def _text(c: ControlInfo, printed: Printed) -> str:
    """A control's text, empty where it shows the grey text of an empty field (which LibreOffice keeps as text)."""
    text = c.text.strip()
    return "" if text in printed.placeholders else text


def convert(q: dict[str, Any], c: ControlInfo, printed: Printed | None = None) -> Any:
    """The typed value of a control for question ``q``; None when empty; ValueError when invalid.

    A drop-down's chosen item is read by its stable value (``yes``, ``no``, the English option) where the
    file keeps it (Word's ``w:lastValue``, the list items LibreOffice keeps), else by the text it shows in
    the questionnaire's language. Numbers are read as the questionnaire's language writes them.
    """
    printed = printed or Printed()
    kind = q["type"]
    text = _text(c, printed)
    value = _chosen(c, text)
    if kind == "yes-no":
        if c.checked is not None:
            return c.checked  # a check box (questionnaires built before yes and no were a drop-down)
        if value in ("yes", "no"):
            return value == "yes"
        if not text:
            return None
        folded = text.casefold()
        if folded in YES or folded == printed.yes.casefold():
            return True
        if folded in NO or folded == printed.no.casefold():
            return False
        raise ValueError(f"{text!r} is not {printed.yes} or {printed.no}")
    if kind == "date":
        return _date(c.date, text)
    if kind == "choice":
        return _choice(q["options"], text, value or c.list_value, printed.options.get(q["id"], {}))
    if not text:
        return None
    if kind in ("integer", "number", "percent"):
        units = [printed.units.get(q["unit"] or "", "")]
        number = parse_number(text, q["unit"], percent=kind == "percent", lang=printed.lang, units=units)
        if kind == "integer":
            if not number.is_integer():
                raise ValueError(f"{text!r} is not a whole number")
            return int(number)
        return number
    return text


def _chosen(c: ControlInfo, text: str) -> str | None:
    """The value of the drop-down item a control shows: Word's ``lastValue``, else the item whose text it shows."""
    if c.kind != "dropdown":
        return None
    if c.list_value:
        return c.list_value
    for shown, value in zip(c.options, c.values, strict=False):
        if text and shown.strip() == text and value:
            return value
    return None


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


def _choice(options: list[str], text: str, last_value: str | None, labels: dict[str, str] | None = None) -> str | None:
    """The option (its stable English id) an answer names: by its value, its printed label or its English."""

    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()

    labels = labels or {}
    by_norm = {norm(o): o for o in options}
    by_label = {norm(label): o for o, label in labels.items() if o in options}
    if last_value and norm(last_value) in by_norm:
        return by_norm[norm(last_value)]
    if text and norm(text) in by_label:
        return by_label[norm(text)]
    if text and norm(text) in by_norm:
        return by_norm[norm(text)]
    if not text:
        return None
    raise ValueError(f"{text!r} is not one of the options ({'; '.join(labels.get(o, o) for o in options)})")


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


def _supplier_value(c: ControlInfo | None, printed: Printed | None = None) -> str:
    if c is None:
        return ""
    text = _text(c, printed or Printed())
    if c.kind == "date":
        try:
            return _date(c.date, text) or ""
        except ValueError:
            return text
    return text


def show(value: Any) -> str:
    """An answer or a number as printed: yes/no, integers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.6g}" if abs(value) < 1e15 else str(value)
    return str(value)
