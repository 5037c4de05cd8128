"""Accept or reject every tracked change of a .docx in XML (the ECMA-376 rules), for tests.

Independent of tenderpack's redline code: it reads what Word would read. ``accept`` keeps insertions and
moved-to text and drops deletions and moved-from text (and rows and paragraph marks marked so);
``reject`` does the opposite and restores the paragraph properties recorded in ``w:pPrChange``.
"""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MARKS = ("ins", "del", "moveFrom", "moveTo")
RANGES = ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")


def document(data: bytes) -> Any:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))


def resolve(root: Any, accept: bool) -> Any:
    """A copy of the document with every revision accepted (or rejected)."""
    root = copy.deepcopy(root)
    keep, drop = (("ins", "moveTo"), ("del", "moveFrom")) if accept else (("del", "moveFrom"), ("ins", "moveTo"))
    for tr in list(root.iter(W + "tr")):
        trpr = tr.find(W + "trPr")
        marks = [m for m in (trpr if trpr is not None else []) if m.tag in {W + k for k in MARKS}]
        if any(m.tag in {W + k for k in drop} for m in marks):
            tr.getparent().remove(tr)
            continue
        for m in marks:
            trpr.remove(m)
    merge = []
    for p in root.iter(W + "p"):
        rpr = p.find(f"{W}pPr/{W}rPr")
        if rpr is None:
            continue
        marks = [m for m in rpr if m.tag in {W + k for k in MARKS}]
        if any(m.tag in {W + k for k in drop} for m in marks):
            merge.append(p)
        for m in marks:
            rpr.remove(m)
    for el in list(root.iter(*(W + k for k in drop))):
        el.getparent().remove(el)
    for el in list(root.iter(*(W + k for k in keep))):
        for child in list(el):
            el.addprevious(child)
        el.getparent().remove(el)
    for el in list(root.iter(*(W + k for k in RANGES))):
        el.getparent().remove(el)
    for el in root.iter(W + "delText", W + "delInstrText"):
        el.tag = W + ("t" if el.tag == W + "delText" else "instrText")
    for change in list(root.iter(W + "pPrChange")):
        ppr = change.getparent()
        ppr.remove(change)
        if not accept:
            old = change.find(W + "pPr")
            for child in [c for c in ppr if c.tag not in (W + "rPr", W + "sectPr")]:
                ppr.remove(child)
            for i, child in enumerate(old if old is not None else []):
                ppr.insert(i, child)
    for p in merge:
        nxt = p.getnext()
        content = [c for c in p if c.tag != W + "pPr"]
        if text_of(p) and (nxt is None or nxt.tag != W + "p"):
            raise AssertionError(f"paragraph {text_of(p)!r} loses its mark but has no paragraph to join")
        if nxt is not None and nxt.tag == W + "p":
            at = 1 if nxt.find(W + "pPr") is not None else 0
            for i, c in enumerate(content):
                nxt.insert(at + i, c)
        p.getparent().remove(p)
    return root


def text_of(el: Any) -> str:
    out = []
    for node in el.iter(W + "t", W + "delText", W + "tab", W + "br"):
        out.append(node.text or "" if node.tag in (W + "t", W + "delText") else "\t" if node.tag == W + "tab" else "\n")
    return "".join(out)


def paragraphs(root: Any) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the body, in order (table cells included)."""
    out = []
    for p in root.find(W + "body").iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((style.get(W + "val") if style is not None else "", text_of(p)))
    return out


def revisions(root: Any) -> list[Any]:
    return list(root.iter(*(W + k for k in (*MARKS, "pPrChange"))))
