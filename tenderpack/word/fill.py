"""``tenderpack fill``: set fill-in values in a built document without Word.

Word keeps bound content controls in step with their custom XML part when it opens a file. This does
the same for buyers who receive a template pack and do not use Word: it writes the values into the
fill-in part and shows them in every control bound to it (body, headers, footers), removing the
placeholder flag as Word does. The input is treated as untrusted, exactly like a returned
questionnaire (``word/controls.py``: size and ratio limits, safe entry names, no DTDs or entities, no
macros); the output is deterministic (same input and values, same bytes).
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import InputFileError, TenderpackError
from . import controls as safe
from .fillins import FILL_NS, STORE_ITEM_ID, W, bound_id, show_value
from .render import _normalize_parts

DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_STORY = re.compile(r"word/(document\d*|header\d+|footer\d+)\.xml")


class UnknownFillIn(TenderpackError):
    """A value was given for a fill-in the document does not have (a command-line mistake)."""

    def __init__(self, fill_id: str, known: list[str]):
        close = difflib.get_close_matches(fill_id, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
        super().__init__(f"unknown fill-in {fill_id!r}{hint}")
        self.fill_id = fill_id


def _make(xml: str) -> Any:
    return etree.fromstring(xml)


def _serialise(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def fill_ids(path: Path, name: str | None = None) -> list[str]:
    """The fill-in ids a built document has (in the order of its fill-in part)."""
    _, store, _ = _open(path, name or str(path))
    return [_local(el) for el in store[1]]


def fill_document(path: Path, values: Mapping[str, str], name: str | None = None) -> tuple[bytes, int]:
    """The document with ``values`` set; also the number of controls that now show a value.

    Raises :class:`InputFileError` for a file that is unsafe, broken or not a tenderpack document with
    fill-ins, and :class:`UnknownFillIn` for a value of a fill-in the document does not have.
    """
    shown = name or str(path)
    members, (store_name, store), store_ids = _open(path, shown)
    elements = {_local(el): el for el in store}
    for fill_id in values:
        if fill_id not in elements:
            raise UnknownFillIn(fill_id, list(elements))
    for fill_id, value in values.items():
        elements[fill_id].text = value
    current = {fid: el.text for fid, el in elements.items() if el.text}
    filled = 0
    for part in sorted(members):
        if not _STORY.fullmatch(part):
            continue
        root = _parse(members[part], part, shown)
        changed = False
        for sdt in root.iter(f"{{{W}}}sdt"):
            bound = bound_id(sdt, store_ids)
            if bound is not None and bound in current:
                show_value(sdt, str(current[bound]), _make)
                changed = True
                filled += 1
        if changed:
            members[part] = _serialise(root)
    members[store_name] = _serialise(store)
    return _normalize_parts(members), filled


def _local(el: Any) -> str:
    return str(etree.QName(el).localname)


def _parse(data: bytes, part: str, shown: str) -> Any:
    try:
        return safe._parse(data, part)
    except safe._Refused as exc:
        raise InputFileError(f"{shown}: {exc}") from None


def _open(path: Path, shown: str) -> tuple[dict[str, bytes], tuple[str, Any], set[str]]:
    """Every member of the package (checked), its fill-in part and the store item ids bound to it."""
    try:
        data = safe._read_file(path)
        try:
            zf = zipfile.ZipFile(safe._BytesReader(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise safe._Refused(f"not a valid .docx: the zip archive is damaged ({exc})") from None
        with zf:
            infos = safe._check_members(zf)
            types = safe._parse(safe._read_member(zf, infos, "[Content_Types].xml"), "[Content_Types].xml")
            main = safe._main_part(types, infos)
            safe._check_relationships(zf, infos, main)
            members = {}
            for member in infos.values():
                if member.filename.lower().endswith((".xml", ".rels")):
                    safe._scan_for_doctype(zf, member)
                members[member.filename] = safe._read_member(zf, infos, member.filename)
        store: tuple[str, Any] | None = None
        store_ids = {STORE_ITEM_ID}
        for name in sorted(members):
            if re.fullmatch(r"customXml/item\d+\.xml", name):
                root = safe._parse(members[name], name)
                if root.tag == f"{{{FILL_NS}}}fill-ins" and store is None:
                    store = (name, root)
            elif re.fullmatch(r"customXml/itemProps\d+\.xml", name):
                props = safe._parse(members[name], name)
                if any(ref.get(f"{{{DS}}}uri") == FILL_NS for ref in props.iter(f"{{{DS}}}schemaRef")):
                    store_ids.add(str(props.get(f"{{{DS}}}itemID", "")).upper())
    except safe._Refused as exc:
        raise InputFileError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise InputFileError(f"{shown}: cannot read the file ({exc.strerror or exc})") from None
    if store is None:
        raise InputFileError(f"{shown}: not a tenderpack document with fill-ins (it has no fill-in data part)")
    return members, store, store_ids
