"""Read tenderpack documents back as text: golden dumps, tests and previews.

The dump is normalised: one line per paragraph with its style, the number Word would show for numbered
headings and list items, table rows with ``|`` between cells, and content controls as ``[tag]``.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(data: bytes, name: str) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name), _PARSER)


def _text(el: Any) -> str:
    out = []
    for node in el.iter(_q("t"), _q("tab"), _q("br"), _q("delText")):
        if node.tag == _q("t"):
            out.append(node.text or "")
        elif node.tag == _q("tab"):
            out.append("\t")
        elif node.tag == _q("br"):
            out.append("\n")
    return "".join(out)


def dump_text(data: bytes) -> str:
    """A normalised text dump of document.xml (headers and footers first)."""
    lines: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(n for n in z.namelist() if n.startswith("word/header") or n.startswith("word/footer"))
        for name in names:
            root = etree.fromstring(z.read(name), _PARSER)
            for p in root.iter(_q("p")):
                lines.append(f"[{name.split('/')[-1][:-4]}] {_text(p)}")
    body = part(data, "word/document.xml").find(_q("body"))
    counters = [0, 0, 0]
    lists: dict[str, int] = {}
    for el in body:
        if el.tag == _q("p"):
            lines.append(_para_line(el, counters, lists))
        elif el.tag == _q("tbl"):
            for tr in el.iter(_q("tr")):
                cells = []
                for tc in tr.findall(_q("tc")):
                    sdt = tc.find(f".//{_q('sdt')}")
                    if sdt is not None:
                        tag = sdt.find(f"{_q('sdtPr')}/{_q('tag')}")
                        cells.append(f"[{tag.get(_q('val')) if tag is not None else '?'}]")
                    else:
                        cells.append(" / ".join(_text(p).replace("\n", " / ") for p in tc.findall(_q("p"))).strip())
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _para_line(p: Any, counters: list[int], lists: dict[str, int]) -> str:
    style_el = p.find(f"{_q('pPr')}/{_q('pStyle')}")
    style = style_el.get(_q("val")) if style_el is not None else "Normal"
    text = _text(p)
    prefix = ""
    if style.startswith("Heading") and style[7:].isdigit():
        level = int(style[7:]) - 1
        counters[level] += 1
        for i in range(level + 1, 3):
            counters[i] = 0
        prefix = ".".join(str(c) for c in counters[: level + 1]) + (". " if level == 0 else " ")
    num = p.find(f"{_q('pPr')}/{_q('numPr')}/{_q('numId')}")
    if num is not None and not style.startswith("Heading"):
        num_id = num.get(_q("val"))
        if style == "ListNumber":
            lists[num_id] = lists.get(num_id, 0) + 1
            prefix = f"{lists[num_id]}. "
        else:
            prefix = "- "
    return f"{style}: {prefix}{text}".rstrip()


def custom_xml(data: bytes) -> Any:
    """The tenderpack custom XML part (None if absent)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            if name.startswith("customXml/item") and not name.startswith("customXml/itemProps") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name), _PARSER)
                if root.tag == "{urn:tenderpack:document:1}tenderpack":
                    return root
    return None
