"""Clause text: parameters substituted in a sandbox, then markup parsed into blocks.

Values are substituted by a sandboxed Jinja environment with ``StrictUndefined``: a missing value is an
error, and templates cannot reach attributes, globals, files or includes. Every substituted value is
escaped for the markup (the equivalent of autoescaping), so a value like ``Smith & Sons <EU> *Ltd*`` is
printed exactly as written. The markup is CommonMark (paragraphs, ``-`` and ``1.`` lists, ``**bold**``,
``*italic*``), parsed with markdown-it-py with raw HTML disabled. Category limits (``[only: ...]``,
``[not: ...]``) are resolved per category when the markup becomes blocks (see ``tenderpack.limits``).
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError, dates, numbers
from jinja2 import StrictUndefined, TemplateError, meta, nodes, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import (
    UNSAFE_ASYNC_GENERATOR_ATTRIBUTES,
    UNSAFE_COROUTINE_ATTRIBUTES,
    UNSAFE_GENERATOR_ATTRIBUTES,
    ImmutableSandboxedEnvironment,
)
from markdown_it import MarkdownIt
from markdown_it.token import Token

from . import limits
from .blocks import ListItem, Paragraph, Run

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>&|~\"'])")
_FORBIDDEN_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Macro, nodes.CallBlock)


class TextError(Exception):
    """A clause text cannot be rendered; ``line`` counts from the first line of the text."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def escape_markup(value: Any, lang: str = "en") -> str:
    """Escape a substituted value so the markup shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", limits.strip(format_value(value, lang)))


LANG_VAR = "tenderpack_language"  # the context key render() sets: values print as that language writes them


@pass_context
def _finalize_markup(context: Context, value: Any) -> str:
    return escape_markup(value, context.get(LANG_VAR, "en"))


@pass_context
def _finalize_plain(context: Context, value: Any) -> str:
    return limits.strip(format_value(value, context.get(LANG_VAR, "en")))


class _Env(ImmutableSandboxedEnvironment):
    def __init__(self, escape: bool) -> None:
        super().__init__(
            undefined=StrictUndefined,
            autoescape=False,
            finalize=_finalize_markup if escape else _finalize_plain,
            keep_trailing_newline=True,
        )
        self.globals.clear()  # no range, cycler, lipsum...: texts only see the values we pass


# Yes and no as a document of each language prints a flag (CLDR has no such words); other languages print
# the English until a pair is added here.
YES_NO = {"en": ("yes", "no"), "fr": ("oui", "non"), "de": ("ja", "nein"), "pt": ("sim", "não"), "es": ("sí", "no")}


def cldr_locale(lang: str) -> str:
    """The CLDR locale of a document language; plain 'en' is international English (23 November 2026)."""
    return "en_GB" if lang == "en" else lang.replace("-", "_")


def language_name(code: str, lang: str = "en") -> str:
    """A language's name as a document in ``lang`` writes it, capitalised as a column heading (CLDR)."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(cldr_locale(lang)) or code
    except (ValueError, LookupError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]


class Choice(str):
    """A choice parameter's value: compares and hashes as the option itself (``{% if x == 'monthly' %}``),
    prints as its label in the document's language (``labels`` of the parameter)."""

    labels: dict[str, dict[str, str]]

    def __new__(cls, option: str, labels: dict[str, dict[str, str]]) -> Choice:
        self = super().__new__(cls, option)
        self.labels = labels
        return self

    def label(self, lang: str) -> str:
        text = self.labels.get(str(self))
        if not text:
            return str(self)
        return text.get(lang) or text.get(lang.split("-")[0]) or text.get("en") or str(self)


def format_value(value: Any, lang: str = "en") -> str:
    """A value as a document in ``lang`` prints it: CLDR numbers (1,500.5 / 1 500,5), yes/no in its words,
    a choice as its label."""
    if isinstance(value, Choice):
        return value.label(lang)
    if isinstance(value, bool):
        yes, no = YES_NO.get(lang.split("-")[0], YES_NO["en"])
        return yes if value else no
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return _number(value, lang)
    return str(value)


@lru_cache(maxsize=4096)
def _number(value: int | float, lang: str) -> str:
    return str(numbers.format_decimal(value, locale=cldr_locale(lang)))


def format_percent(value: float, lang: str = "en") -> str:
    """A share given in per cent (80) as a document in ``lang`` prints it: '80%', '80 %', '80 %'."""
    share = Decimal(str(value)) / 100  # exact: 33.3 stays 33.3 (a float share would print 33.299999999999996)
    return str(numbers.format_percent(share, locale=cldr_locale(lang), decimal_quantization=False))


def format_money(value: float, currency: str, lang: str = "en") -> str:
    """An amount in ``currency`` (ISO 4217) as ``lang`` writes it (CLDR): '1 500,00 €', '1.500,00 €', 'R$ 1.500,00'."""
    return str(numbers.format_currency(Decimal(str(value)), currency, locale=cldr_locale(lang)))


def currency_name(code: str, lang: str = "en") -> str:
    """A currency's name as a unit after amounts, in ``lang`` (CLDR plural): 'euros', 'Euro', 'reais brasileiros'."""
    try:
        return str(numbers.get_currency_name(code, count=2, locale=cldr_locale(lang)))
    except (ValueError, LookupError, UnknownLocaleError):
        return code


def format_date(iso: str, lang: str = "en") -> str:
    """A date written YYYY-MM-DD in the long form of ``lang``: '23 November 2026', '23 novembre 2026'.

    Anything else is returned as written (a release fingerprint composes with an empty date)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return str(dates.format_date(day, format="long", locale=cldr_locale(lang)))


MARKUP_ENV = _Env(escape=True)
PLAIN_ENV = _Env(escape=False)


@lru_cache(maxsize=4096)
def _compile(source: str, escape: bool) -> Any:
    env = MARKUP_ENV if escape else PLAIN_ENV
    ast = env.parse(source)
    for node in _FORBIDDEN_NODES:
        found = next(iter(ast.find_all(node)), None)
        if found is not None:
            tag = type(found).__name__.lower().replace("fromimport", "import").replace("callblock", "call")
            raise TextError(f"{{% {tag} %}} is not allowed in text", found.lineno)
    refused = sorted(_refused_attributes(ast), key=lambda found: (found[0], source.find(found[1])))  # first written
    if refused:
        line, name = refused[0]
        raise TextError(f"unsafe expression refused: access to attribute {name!r} is not allowed "
                        "(no name that starts with '_', no internal attribute)", line)  # fmt: skip
    return env.from_string(source)


# Attributes the sandbox refuses whatever the object (jinja2.sandbox.is_internal_attribute refuses these on
# the types that have them): found in the text itself, so that `check` reports them in every clause, used by a
# profile or not, rather than the build only in the texts that reach a document.
_INTERNAL = frozenset({"mro", *UNSAFE_GENERATOR_ATTRIBUTES, *UNSAFE_COROUTINE_ATTRIBUTES,
                       *UNSAFE_ASYNC_GENERATOR_ATTRIBUTES, "f_globals", "f_locals", "f_builtins", "tb_frame"})  # fmt: skip
_FORMAT_FIELD_PART = re.compile(r"[.\[\]]")


def _unsafe(name: object) -> bool:
    return isinstance(name, str) and (name.startswith("_") or name in _INTERNAL)


def _refused_attributes(ast: nodes.Template) -> list[tuple[int, str]]:
    """``x.__class__``, ``x['__class__']``, ``x|attr('__class__')``, ``'{0.__class__}'.format(x)``: (line, name)."""
    found: list[tuple[int, str]] = []
    for getattr_node in ast.find_all(nodes.Getattr):
        if _unsafe(getattr_node.attr):
            found.append((getattr_node.lineno, getattr_node.attr))
    for item in ast.find_all(nodes.Getitem):
        if isinstance(item.arg, nodes.Const) and _unsafe(item.arg.value):
            found.append((item.lineno, item.arg.value))
    for flt in ast.find_all(nodes.Filter):
        if flt.name == "attr" and flt.args and isinstance(flt.args[0], nodes.Const) and _unsafe(flt.args[0].value):
            found.append((flt.lineno, flt.args[0].value))
    for call in ast.find_all(nodes.Call):
        method = call.node
        if not (isinstance(method, nodes.Getattr) and method.attr in ("format", "format_map")):
            continue
        if not (isinstance(method.node, nodes.Const) and isinstance(method.node.value, str)):
            continue
        try:
            fields = [field for _, field, _, _ in string.Formatter().parse(method.node.value) if field]
        except ValueError:
            continue  # a malformed format string fails at render time with its own message
        for field in fields:
            found += [(call.lineno, part) for part in _FORMAT_FIELD_PART.split(field)[1:] if _unsafe(part)]
    return found


def check_syntax(source: str) -> None:
    """Raise TextError for broken or forbidden Jinja."""
    try:
        _compile(source, True)
    except TextError:
        raise
    except TemplateError as exc:
        raise TextError(f"template error: {exc.message}", getattr(exc, "lineno", None)) from None


def variables(source: str) -> set[str]:
    """Top-level names a text uses (``{{ years }}`` → ``years``)."""
    check_syntax(source)
    return set(meta.find_undeclared_variables(MARKUP_ENV.parse(source)))


def attributes_used(source: str, name: str) -> set[str]:
    """Attributes used of one name (``{{ legal.labels }}`` → ``labels``)."""
    ast = MARKUP_ENV.parse(source)
    found = set()
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == name:
            found.add(node.attr)
    return found


def render(source: str, context: Mapping[str, Any], markup: bool = True, lang: str = "en") -> str:
    """Substitute values (printed as a document in ``lang`` prints them); raise TextError with a line on any
    problem.

    Category limits written in the source come back as sentinels: ``to_blocks`` or ``limits.limit_plain``
    resolve them for a category.
    """
    check_syntax(source)
    try:
        return str(_compile(limits.protect(source), markup).render({**context, LANG_VAR: lang}))
    except TemplateError as exc:
        message = exc.message or type(exc).__name__
        if type(exc).__name__ == "SecurityError":
            message = f"unsafe expression refused: {message}"
        raise TextError(message, _template_line(exc)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:  # an expression the values do not fit
        raise TextError(f"cannot compute an expression: {exc}", _template_line(exc)) from None


def _template_line(exc: BaseException) -> int | None:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_ALONE = re.compile(r"\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*")


def render_value(source: Any, context: Mapping[str, Any]) -> Any:
    """Render a scalar that may hold ``{{ param }}`` (e.g. a scoring bound); numbers come back as numbers."""
    if not isinstance(source, str) or "{" not in source:
        return source
    alone = _ALONE.fullmatch(source)
    if alone and alone[1] in context and isinstance(context[alone[1]], int | float) and not isinstance(context[alone[1]], bool):
        return context[alone[1]]  # the value itself: rendered, 1000 would read "1,000" and stop being a number
    out = render(source, context, markup=False).strip()
    try:
        number = float(out)
    except ValueError:
        return out
    return int(number) if number.is_integer() else number


# --------------------------------------------------------------------------------------------------
# Markup → blocks

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["heading", "lheading", "code", "fence", "blockquote", "hr", "html_block", "html_inline", "image", "table"],
    ignoreInvalid=True,
)


def _runs(children: list[Token]) -> list[Run]:
    runs: list[Run] = []
    bold = italic = False
    for tok in children:
        if tok.type == "strong_open":
            bold = True
        elif tok.type == "strong_close":
            bold = False
        elif tok.type == "em_open":
            italic = True
        elif tok.type == "em_close":
            italic = False
        elif tok.type in ("text", "code_inline"):
            text = tok.content
            if runs and runs[-1].bold == bold and runs[-1].italic == italic:
                runs[-1] = Run(runs[-1].text + text, bold, italic)
            else:
                runs.append(Run(text, bold, italic))
        elif tok.type == "softbreak":
            runs.append(Run(" ", bold, italic))
        elif tok.type == "hardbreak":
            runs.append(Run("\n", bold, italic))
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].bold == run.bold and merged[-1].italic == run.italic:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return merged


def to_blocks(
    markup: str, style: str = "BodyText", key: str = "", category: str | None = None
) -> list[Paragraph | ListItem]:
    """Parse markup into paragraphs and list items; each list gets a key so its numbering restarts.

    Limited sentences and list items are kept or dropped for ``category`` (None keeps them all).
    """
    blocks: list[Paragraph | ListItem] = []
    for runs, in_list in _parsed(markup, category):
        if in_list is None:
            blocks.append(Paragraph(list(runs), style=style))
        else:
            ordered, level, serial = in_list
            blocks.append(ListItem(list(runs), ordered=ordered, level=level, list_key=f"{key}#{serial}"))
    return blocks


@lru_cache(maxsize=2048)
def _parsed(
    markup: str, category: str | None = None
) -> tuple[tuple[tuple[Run, ...], tuple[bool, int, int] | None], ...]:
    """Each paragraph or list item of the markup: its runs and, in a list, (ordered, level, list serial).

    Parsed once per text: the same texts recur in both editions, in every kind and in every profile of a
    pack, and parsing them again was most of the time spent composing (bench/run.py, docs/performance.md).
    Immutable, so to_blocks hands out fresh blocks every time.
    """
    items: list[tuple[tuple[Run, ...], tuple[bool, int, int] | None]] = []
    lists: list[tuple[bool, int]] = []  # stack of (ordered, list serial)
    serial = 0
    tokens = _MD.parse(markup)
    skip_to = -1
    for i, tok in enumerate(tokens):
        if i <= skip_to:
            continue
        if tok.type == "list_item_open":
            skip_to = _dropped_item(tokens, i, category)
            if skip_to >= i:
                continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            serial += 1
            lists.append((tok.type == "ordered_list_open", serial))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif tok.type == "inline":
            runs = limits.limit_runs(_runs(tok.children or []), category)
            if not runs:
                continue
            if lists:
                ordered, list_serial = lists[-1]
                items.append((tuple(runs), (ordered, len(lists) - 1, list_serial)))
            else:
                items.append((tuple(runs), None))
    return tuple(items)


def _dropped_item(tokens: list[Token], start: int, category: str | None) -> int:
    """Index of the ``list_item_close`` of a list item whose leading limit excludes it, else -1."""
    first = next((t for t in tokens[start + 1 : start + 3] if t.type == "inline"), None)
    limit = limits.leading_sentinel(first.content) if first is not None else None
    if limit is None or limits.applies(*limit, category):
        return -1
    depth = 0
    for j in range(start, len(tokens)):
        if tokens[j].type == "list_item_open":
            depth += 1
        elif tokens[j].type == "list_item_close":
            depth -= 1
            if depth == 0:
                return j
    return len(tokens)
