"""Numbers as suppliers type them, read the way the questionnaire's language writes them.

A supplier answers a French questionnaire with ``1 500,5`` (an ordinary, no-break or narrow no-break
space between thousands, a decimal comma), a German one with ``1.500,5`` and a percentage as ``80 %``.
What is typed is hostile input: the parse is strict, never a guess. The separators are those of the
questionnaire's language (CLDR, through Babel): its decimal symbol, its group symbol and any kind of
space between groups of exactly three digits. A number that the language would not write is refused
with the form it expects: ``1,500.5`` in a French questionnaire, ``1.5`` in a German one (a group of one
digit), ``1.500`` in a French one (a point is neither the French decimal nor its group separator, so it
would be a guess between 1500 and 1,5). ``1.500`` is 1500 in German and Portuguese, ``1,5`` is 1.5 in
all four; the language recorded in the questionnaire's identity decides.

English questionnaires keep their long-standing rule, since suppliers of every country answer them:
a point or a comma may be the decimal mark, and ``1,500`` (a thousand or one and a half?) is refused as
ambiguous.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from ..text import cldr_locale

SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space (CLDR French), thin space
MINUS = "-\u2212"  # hyphen-minus and the minus sign
_CURRENCY = re.compile(r"^(?:[A-Z]{3}|R\$|US\$|[€$£¥])[" + SPACES + r"]*|[" + SPACES + r"]*(?:[A-Z]{3}|R\$|US\$|[€$£¥])$")
_PERCENT = re.compile(r"[" + SPACES + r"]*%$")


@lru_cache(maxsize=64)
def symbols(lang: str) -> tuple[str, str, str]:
    """(decimal symbol, group symbol, the language's name in English) of a document language (CLDR)."""
    locale = cldr_locale(lang)
    try:
        name = Locale.parse(locale).get_display_name("en") or lang
        return str(get_decimal_symbol(locale)), str(get_group_symbol(locale)), name.split(" (")[0]
    except (ValueError, LookupError, UnknownLocaleError):
        return ".", ",", lang


def example(lang: str) -> str:
    """How the language writes one thousand five hundred and a half ('1 500,5', '1.500,5')."""
    return str(format_decimal(Decimal("1500.5"), locale=cldr_locale(lang), group_separator=True))


def strip_affixes(text: str, units: Iterable[str] = (), percent: bool = False) -> str:
    """The number of an answer without its unit (in any of its printed forms), percent sign or currency."""
    t = text.strip()
    for suffix in sorted({u for u in units if u}, key=len, reverse=True):
        if t.casefold().endswith(suffix.casefold()) and len(t) > len(suffix):
            t = t[: -len(suffix)].strip(SPACES)
            break
    if percent:
        t = _PERCENT.sub("", t)
    return _CURRENCY.sub("", t).strip(SPACES)


def parse_number(
    text: str, unit: str | None = None, percent: bool = False, lang: str = "en", units: Iterable[str] = ()
) -> float:
    """A number as suppliers write it in a questionnaire of language ``lang``.

    ``unit`` and ``units`` are the unit's key and its printed names (``years``, ``ans``), which may follow
    the number; ``percent`` allows a trailing ``%``; a currency code or symbol may come before or after.
    Raises ValueError with a message a supplier understands.
    """
    t = strip_affixes(text, [unit or "", *units, "%" if percent else ""], percent)
    if not t:
        raise ValueError(f"{text!r} is not a number")
    if lang.split("-")[0] == "en":
        value = _english(text, t)
    else:
        value = _local(text, t, lang)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a number")
    return value


_GROUPING = re.compile(r"(?<=\d)[ \u00a0\u202f\u2009']+(?=\d)")


def _english(text: str, t: str) -> float:
    """English questionnaires: a point or a comma as the decimal mark; '1,500' refused as ambiguous."""
    t = _GROUPING.sub("", t).replace("\u2212", "-")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?", t):
        return float(t)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d+", t):
        return float(t.replace(",", ""))
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t):
        raise ValueError(f"{text!r} is ambiguous: write {t.replace(',', '')} or {_show(float(t.replace(',', '.')))}")
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        return float(t.replace(",", "."))
    raise ValueError(f"{text!r} is not a number")


def _local(text: str, t: str, lang: str) -> float:
    """A language's own writing: its decimal symbol, its group symbol or spaces between groups of three."""
    decimal, group, name = symbols(lang)
    sign = ""
    if t[:1] in MINUS or t[:1] == "+":
        sign, t = ("-" if t[0] in MINUS else ""), t[1:]
    groups = {group, *SPACES}
    whole, dot, fraction = t.partition(decimal)
    if not re.fullmatch(r"\d+", fraction) and dot:
        raise ValueError(_not_local(text, lang, name))
    if re.fullmatch(r"\d+", whole):
        digits = whole
    else:
        separators = set(re.sub(r"\d", "", whole))
        parts = re.split("|".join(re.escape(s) for s in sorted(groups)), whole) if separators <= groups else []
        one_kind = len(separators) == 1 or separators <= set(SPACES)
        grouped = bool(parts) and re.fullmatch(r"\d{1,3}", parts[0]) and all(re.fullmatch(r"\d{3}", p) for p in parts[1:])
        if not (grouped and one_kind):
            raise ValueError(_not_local(text, lang, name))
        digits = "".join(parts)
    try:
        return float(Decimal(sign + digits + ("." + fraction if dot else "")))
    except InvalidOperation:
        raise ValueError(_not_local(text, lang, name)) from None


def _not_local(text: str, lang: str, name: str) -> str:
    return f"{text!r} is not a number as {name} writes it (for example {example(lang)})"


def _show(value: float) -> str:
    return str(int(value)) if value.is_integer() else f"{value:.6g}"
