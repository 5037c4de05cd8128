"""An answer's typed value and its problems (type, unit, options, bounds, required)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..word.controls import ControlInfo
from .model import NO, YES, Answer, Target

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
