"""Category limits in clause texts: ``[only: mobile-devices, computers]`` and ``[not: servers]``.

A clause applies to several product categories, but some of its sentences only make sense for some of
them. A limit written at the start of a sentence, a list item or a table row keeps that piece in the
documents of the categories named (``only``) or of every category but those named (``not``):

- at the start of a list item: the item, with any list nested in it;
- at the start of a question's text or a KPI's name: the whole question or KPI (its table rows, its
  scoring, its place in the manifest);
- at the start of an answer option: that option;
- anywhere else (the start of a paragraph, or after the full stop of the previous sentence): the
  sentence it starts, up to the next full stop, question mark or exclamation mark that is followed by
  a capital letter, another limit, a line break or the end of the paragraph.

The clause's source keeps its markers (the changelog and ``clauses.json`` show them); only the
rendering varies per category. Before Jinja substitution the markers written in the source are turned
into sentinels made of private-use characters, which substituted values cannot contain (``strip`` removes
them from values), so a value that happens to read ``[not: computers]`` is printed, never obeyed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Run

OPEN, CLOSE = "\ue000", "\ue001"
MODES = ("only", "not")
# A limit as written in YAML: lowercase mode, a colon, ids separated by commas.
MARKER = re.compile(r"\[(only|not):([^\]\n]*)\]")
# Something that looks like a limit but is not written right (checks report it).
NEAR_MISS = re.compile(r"\[\s*(only|not)\b[^\]\n]*\]", re.IGNORECASE)
_SENTINEL = re.compile(OPEN + r"(only|not):([^" + CLOSE + r"]*)" + CLOSE)
# Punctuation that may end a sentence, with closing quotes or brackets after it.
_END = re.compile(r"[.!?]+[\"'”’)]*")
_SENTENCE_START = re.compile(r"[A-Z\u00c0-\u00de\"“(" + OPEN + r"]")
_LIST_PREFIX = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+$")


@dataclass(frozen=True)
class Limit:
    """One marker found in a source text."""

    mode: str  # only | not
    ids: tuple[str, ...]
    start: int  # offsets in the source
    end: int
    line: int  # 1-based line inside the source

    def applies(self, category: str | None) -> bool:
        return applies(self.mode, self.ids, category)

    @property
    def written(self) -> str:
        return f"[{self.mode}: {', '.join(self.ids)}]"


def applies(mode: str, ids: tuple[str, ...], category: str | None) -> bool:
    """Whether a piece limited so shows in the documents of ``category`` (None: show everything)."""
    if category is None:
        return True
    return (category in ids) if mode == "only" else (category not in ids)


def _ids(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def find(source: str) -> list[Limit]:
    """Every limit written in a source text, in order."""
    return [
        Limit(m[1], _ids(m[2]), m.start(), m.end(), source.count("\n", 0, m.start()) + 1)
        for m in MARKER.finditer(source)
    ]


def malformed(source: str) -> list[tuple[int, str]]:
    """(1-based line, text) of each bracket that looks like a limit but is not written as one."""
    good = {m.start() for m in MARKER.finditer(source)}
    return [
        (source.count("\n", 0, m.start()) + 1, m[0])
        for m in NEAR_MISS.finditer(source)
        if m.start() not in good
    ]


def misplaced(source: str, limit: Limit) -> bool:
    """True when a limit does not start a sentence, a paragraph, a list item or the text."""
    before = source[: limit.start]
    line_start = before.rfind("\n") + 1
    line = before[line_start:]
    if _LIST_PREFIX.match(line):
        return False  # starts a list item
    if line.strip():
        previous = line  # in the middle of a line: after the end of a sentence?
    else:
        earlier = before[:line_start]
        if not earlier.strip() or re.search(r"\n[ \t]*\n[ \t]*$", earlier):
            return False  # starts the text or a paragraph
        previous = earlier  # a line that continues a paragraph
    return not re.search(r"[.!?][\"'”’)]*\s*$", previous)


def leading(source: str) -> Limit | None:
    """The limit that starts a text (a question's text, a KPI's name, an answer option), if any."""
    m = MARKER.match(source.lstrip())
    if m is None:
        return None
    offset = len(source) - len(source.lstrip())
    return Limit(m[1], _ids(m[2]), m.start() + offset, m.end() + offset, source.count("\n", 0, offset) + 1)


def row_applies(source: str, category: str | None) -> bool:
    """Whether a row whose first text is ``source`` (a question, a KPI) shows for ``category``."""
    limit = leading(source)
    return limit is None or limit.applies(category)


def without_leading(source: str) -> str:
    """A text with the limit that starts it removed (an answer option as printed)."""
    limit = leading(source)
    return source if limit is None else source[limit.end :].lstrip()


def options_for(options: list[str], category: str | None) -> list[str]:
    """The answer options shown for a category, without their limits."""
    return [without_leading(o) for o in options if row_applies(o, category)]


def protect(source: str) -> str:
    """Turn the limits written in a source into sentinels, before values are substituted."""
    if "[" not in source:
        return source
    return MARKER.sub(lambda m: f"{OPEN}{m[1]}:{','.join(_ids(m[2]))}{CLOSE}", source)


def strip(value: str) -> str:
    """Remove sentinel characters from a substituted value: a value never carries a limit."""
    if OPEN in value or CLOSE in value:
        return value.replace(OPEN, "").replace(CLOSE, "")
    return value


def leading_sentinel(text: str) -> tuple[str, tuple[str, ...]] | None:
    """The limit (mode, ids) that starts a rendered text, if any."""
    m = _SENTINEL.match(text.lstrip())
    return (m[1], _ids(m[2])) if m else None


def _keep_mask(text: str, category: str | None) -> list[bool]:
    """Per character: whether it stays. Sentinels always go; a limited sentence goes unless it applies."""
    keep = [True] * len(text)
    found = list(_SENTINEL.finditer(text))
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(text)
        newline = text.find("\n", m.end(), stop)
        if newline != -1:
            stop = newline
        end = stop
        for p in _END.finditer(text, m.end(), stop):
            after = text[p.end() : stop].lstrip()
            if p.end() == stop or (p.end() < len(text) and text[p.end()].isspace()
                                   and (not after or _SENTENCE_START.match(after))):  # fmt: skip
                end = p.end()
                break
        if applies(m[1], _ids(m[2]), category):
            drop_to = m.end()
        else:
            drop_to = end
        while drop_to < len(text) and text[drop_to] == " ":
            drop_to += 1
        for j in range(m.start(), drop_to):
            keep[j] = False
    return keep


def limit_runs(runs: list[Run] | tuple[Run, ...], category: str | None) -> list[Run]:
    """Runs of one paragraph or list item with limited sentences resolved for ``category``."""
    text = "".join(r.text for r in runs)
    if OPEN not in text:
        return list(runs)
    keep = _keep_mask(text, category)
    out: list[Run] = []
    pos = 0
    for run in runs:
        kept = "".join(ch for j, ch in enumerate(run.text) if keep[pos + j])
        pos += len(run.text)
        if not kept:
            continue
        if out and out[-1].bold == run.bold and out[-1].italic == run.italic:
            out[-1] = Run(out[-1].text + kept, run.bold, run.italic)
        else:
            out.append(Run(kept, run.bold, run.italic))
    # tidy the edges: a dropped first or last sentence leaves a space behind
    while out and not out[0].text.strip():
        out.pop(0)
    while out and not out[-1].text.strip():
        out.pop()
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic)
    return out


def limit_plain(text: str, category: str | None) -> str:
    """A plain (not markup) rendered text with its limited sentences resolved for ``category``."""
    if OPEN not in text:
        return text
    runs = limit_runs([Run(text)], category)
    return runs[0].text if runs else ""
