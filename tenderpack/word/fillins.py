"""Fill-in fields as Word content controls, all bound to one custom XML part.

Every place a document shows an unset fill-in (cover, header, footer, clause text) becomes an inline
plain-text content control (``w:sdt``) that shows grey placeholder text (``w:showingPlcHdr`` and the
``PlaceholderText`` character style) and is bound by ``w:dataBinding`` to one element of the fill-in
part ``customXml/item2.xml`` (namespace :data:`FILL_NS`, store item id :data:`STORE_ITEM_ID`). Word keeps
bound controls in step with that part, so typing the authority's name once fills every place;
``tenderpack fill`` (:mod:`tenderpack.word.fill`) does the same for buyers who do not use Word.

The composer marks an unset fill-in in the text with private-use characters (``tenderpack.fillins``);
:func:`bind` replaces each marker, wherever docxtpl or the body writer put it, by the control, keeping
the formatting of the run it sits in.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..fillins import MARK_START, MARKER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FILL_NS = "urn:tenderpack:fill-ins:1"
STORE_ITEM_ID = "{B5E3C2A1-7D4F-4B8E-9C61-2F0A8D3E5B17}"
PART_NAME = "/customXml/item2.xml"
PROPS_NAME = "/customXml/itemProps2.xml"
TAG_PREFIX = "fill:"
FIRST_CONTROL_ID = 900000  # far above the body's own control ids (word/ooxml.py counts from 1000)
PREFIX_MAPPINGS = f"xmlns:f='{FILL_NS}'"
XPATH = re.compile(r"/[A-Za-z_][\w.-]*:fill-ins\[1\]/[A-Za-z_][\w.-]*:([a-z][a-z0-9.-]*)\[1\]")
GREY = "808080"  # Word's Placeholder Text colour
# w:rPr children in schema order (CT_RPr), to put w:rStyle and w:color where the schema wants them
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
    "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange",
)  # fmt: skip


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def xpath(fill_id: str) -> str:
    return f"/f:fill-ins[1]/f:{fill_id}[1]"


def part_xml(fills: list[tuple[str, str, str, str | None]]) -> str:
    """The fill-in part: one element per fill-in (its id as the name), holding the value or nothing."""
    items = "".join(f"<{fid} label={quoteattr(label)}>{escape(value or '')}</{fid}>" for fid, label, _, value in fills)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<fill-ins xmlns="{FILL_NS}" format="1">{items}</fill-ins>'
    )


def props_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        f'<ds:datastoreItem ds:itemID="{STORE_ITEM_ID}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{FILL_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    )


def _set_in_order(rpr: Any, child: Any) -> None:
    """Put ``child`` into ``rpr`` in schema order, replacing one of the same name."""
    name = child.tag.split("}")[1]
    for old in rpr.findall(child.tag):
        rpr.remove(old)
    rank = RPR_ORDER.index(name)
    for i, existing in enumerate(rpr):
        other = existing.tag.split("}")[1] if isinstance(existing.tag, str) else ""
        if other in RPR_ORDER and RPR_ORDER.index(other) > rank:
            rpr.insert(i, child)
            return
    rpr.append(child)


def grey(rpr: Any | None, make: Callable[[str], Any]) -> Any:
    """A copy of a run's properties that shows placeholder text: Placeholder Text style, grey."""
    out = copy.deepcopy(rpr) if rpr is not None else make(f'<w:rPr xmlns:w="{W}"/>')
    _set_in_order(out, make(f'<w:rStyle xmlns:w="{W}" w:val="PlaceholderText"/>'))
    _set_in_order(out, make(f'<w:color xmlns:w="{W}" w:val="{GREY}"/>'))
    return out


def control_xml(fill_id: str, label: str, placeholder: str, control_id: int) -> str:
    """An empty bound control (the run properties are added by :func:`bind`)."""
    return (
        f'<w:sdt xmlns:w="{W}"><w:sdtPr><w:alias w:val={quoteattr(label)}/>'
        f'<w:tag w:val={quoteattr(TAG_PREFIX + fill_id)}/><w:id w:val="{control_id}"/><w:showingPlcHdr/>'
        f'<w:dataBinding w:prefixMappings="{PREFIX_MAPPINGS}" w:xpath="{xpath(fill_id)}" w:storeItemID="{STORE_ITEM_ID}"/>'
        f'<w:text/></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{escape(placeholder)}</w:t></w:r>'
        "</w:sdtContent></w:sdt>"
    )


def bind(root: Any, fills: Mapping[str, tuple[str, str]], ids: Iterator[int], make: Callable[[str], Any]) -> int:
    """Replace every fill-in marker under ``root`` by its bound control; return how many were placed.

    ``fills`` maps id → (label, placeholder); ``make`` parses an XML fragment into an element of the
    tree's kind (python-docx's parser for a rendered document).
    """
    runs = []
    for t in root.iter(_w("t")):
        parent = t.getparent()
        if t.text and MARK_START in t.text and parent is not None and parent.tag == _w("r") and parent not in runs:
            runs.append(parent)
    placed = 0
    for r in runs:
        rpr = r.find(_w("rPr"))
        pieces: list[Any] = []
        pending: list[Any] = []
        for child in list(r):
            if child is rpr:
                continue
            if child.tag != _w("t") or not child.text or MARK_START not in child.text:
                pending.append(child)
                continue
            for i, segment in enumerate(MARKER.split(child.text)):
                if i % 2 == 0:
                    if segment:
                        pending.append(make(f'<w:t xmlns:w="{W}" xml:space="preserve">{escape(segment)}</w:t>'))
                    continue
                pieces += _run_of(pending, rpr, make)
                pending = []
                label, placeholder = fills.get(segment, (segment, segment))
                pieces.append(_control(segment, label, placeholder, next(ids), rpr, make))
                placed += 1
        pieces += _run_of(pending, rpr, make)
        parent = r.getparent()
        index = parent.index(r)
        parent.remove(r)
        for offset, piece in enumerate(pieces):
            parent.insert(index + offset, piece)
    return placed


def _run_of(children: list[Any], rpr: Any | None, make: Callable[[str], Any]) -> list[Any]:
    """A run holding ``children`` with the properties ``rpr`` (none when there are no children)."""
    if not children:
        return []
    run = make(f'<w:r xmlns:w="{W}"/>')
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    run.extend(children)
    return [run]


def _control(fill_id: str, label: str, placeholder: str, control_id: int, rpr: Any | None,
             make: Callable[[str], Any]) -> Any:  # fmt: skip
    """The bound control: its own properties are the run's (what a typed value looks like); the placeholder is grey."""
    sdt = make(control_xml(fill_id, label, placeholder, control_id))
    if rpr is not None:
        sdt.find(_w("sdtPr")).insert(0, copy.deepcopy(rpr))
    sdt.find(_w("sdtContent")).find(_w("r")).insert(0, grey(rpr, make))
    return sdt


def show_value(sdt: Any, value: str, make: Callable[[str], Any]) -> None:
    """Show ``value`` in a bound control as Word does once the part holds it: placeholder flag removed,
    the text in the control's own run properties."""
    pr = sdt.find(_w("sdtPr"))
    for flag in pr.findall(_w("showingPlcHdr")):
        pr.remove(flag)
    content = sdt.find(_w("sdtContent"))
    if content is None:
        content = make(f'<w:sdtContent xmlns:w="{W}"/>')
        sdt.append(content)
    run = make(f'<w:r xmlns:w="{W}"/>')
    rpr = pr.find(_w("rPr"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    lines = value.split("\n")
    for i, line in enumerate(lines):
        if i:
            run.append(make(f'<w:br xmlns:w="{W}"/>'))
        run.append(make(f'<w:t xmlns:w="{W}" xml:space="preserve">{escape(line)}</w:t>'))
    paragraphs = content.findall(_w("p"))
    target = paragraphs[0] if paragraphs else content
    for p in paragraphs[1:]:
        content.remove(p)
    for child in list(target):
        if child.tag != _w("pPr"):
            target.remove(child)
    target.append(run)


def bound_id(sdt: Any, store_ids: set[str]) -> str | None:
    """The fill-in id a control is bound to (None: not one of ours)."""
    pr = sdt.find(_w("sdtPr"))
    binding = pr.find(_w("dataBinding")) if pr is not None else None
    if binding is None or (binding.get(_w("storeItemID")) or "").upper() not in store_ids:
        return None
    m = XPATH.fullmatch(binding.get(_w("xpath")) or "")
    return m.group(1) if m else None
