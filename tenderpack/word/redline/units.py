"""Units of comparison (clauses, paragraphs, tables) and their alignment."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from lxml import etree

from .base import CLAUSE_PREFIXES, SEARCH_AHEAD, SIMILAR, WORDS, W

T = TypeVar("T")


# ------------------------------------------------------------------------------------------ units


@dataclass
class Unit:
    """What the alignment compares: a clause (several elements), a paragraph, a table, or anything else."""

    kind: str  # clause | p | tbl | other
    key: Any
    elems: list[Any]
    text: str = ""
    anchor: str = ""
    columns: int = 0


def _style(p: Any) -> str:
    el = p.find(f"{W}pPr/{W}pStyle")
    return str(el.get(W + "val")) if el is not None else ""


def _clause_anchor(p: Any) -> str:
    for bm in p.iter(W + "bookmarkStart"):
        name = str(bm.get(W + "name", ""))
        if name.startswith(CLAUSE_PREFIXES):
            return name
    return ""


def _text(el: Any) -> str:
    """Visible text of an element: text, tabs and breaks (no field codes)."""
    out = []
    for node in el.iter(W + "t", W + "delText", W + "tab", W + "br", W + "cr"):
        if node.tag in (W + "t", W + "delText"):
            out.append(node.text or "")
        elif node.tag == W + "tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def _xml(el: Any) -> bytes:
    return bytes(etree.tostring(el, method="c14n"))


def _similarity(a: str, b: str) -> float:
    wa, wb = WORDS.findall(a), WORDS.findall(b)
    if not wa and not wb:
        return 1.0
    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    if sm.real_quick_ratio() < SIMILAR or sm.quick_ratio() < SIMILAR:
        return sm.quick_ratio()
    return sm.ratio()


# ------------------------------------------------------------------------------------------ alignment


def align(old: Sequence[T], new: Sequence[T], key: Callable[[T], Any], pairable: Callable[[T, T], bool],
          in_place: Callable[[T, T], bool]) -> list[tuple[str, T | None, T | None]]:  # fmt: skip
    """Actions ``eq`` / ``pair`` / ``del`` / ``ins`` turning ``old`` into ``new``, in document order.

    Equal keys align first (SequenceMatcher); in what remains, each new item is paired with the next old
    item it resembles (monotone, so nothing crosses). Between two pairs, old and new items left over
    side by side are paired too while ``in_place`` allows it (one table cell's "1" → "2" is an edited
    paragraph, not a deleted and an inserted one); the rest are deletions, then insertions.
    """
    sm = difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    actions: list[tuple[str, T | None, T | None]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            actions.extend(("eq", old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        pairs: list[tuple[int, int]] = []
        start = 0
        for j, item in enumerate(news):
            for i in range(start, min(len(olds), start + SEARCH_AHEAD)):
                if pairable(olds[i], item):
                    pairs.append((i, j))
                    start = i + 1
                    break
        pi = pj = 0
        for i, j in [*pairs, (len(olds), len(news))]:
            gone, came = list(olds[pi:i]), list(news[pj:j])
            while gone and came and in_place(gone[0], came[0]):
                actions.append(("pair", gone.pop(0), came.pop(0)))
            actions.extend(("del", o, None) for o in gone)
            actions.extend(("ins", None, n) for n in came)
            if i < len(olds):
                actions.append(("pair", olds[i], news[j]))
            pi, pj = i + 1, j + 1
    return actions
