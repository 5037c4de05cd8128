"""Reading a .docx package as untrusted input: its parts, provenance and version date."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import Any

from lxml import etree

from ...errors import InputFileError
from ..render import CUSTOM_XML_NS
from .base import _PARSER, MAX_ENTRIES, MAX_PART_BYTES, MAX_TOTAL_BYTES

# ------------------------------------------------------------------------------------------ reading


def read_package(data: bytes, label: str) -> dict[str, bytes]:
    """The parts of a .docx, refusing what is not a reasonable Word package."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError):
        raise InputFileError(f"{label} is not a Word document (not a zip package)") from None
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise InputFileError(f"{label} has {len(infos)} parts; the limit is {MAX_ENTRIES}")
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise InputFileError(f"{label} is encrypted")
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
            raise InputFileError(f"{label} is too large once unpacked (part {info.filename})")
        try:
            parts[info.filename] = zf.read(info)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError, OSError):
            raise InputFileError(f"{label} is damaged: cannot read {info.filename}") from None
    if "word/document.xml" not in parts:
        raise InputFileError(f"{label} is not a Word document (no word/document.xml)")
    return parts


def parse_part(data: bytes, label: str, name: str) -> Any:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(f"{label}: {name} is not well-formed XML ({exc})") from None


def provenance(parts: dict[str, bytes], label: str) -> dict[str, str] | None:
    """The ``<document>`` attributes of a tenderpack document's custom XML part, or None."""
    for name in sorted(parts):
        if name.startswith("customXml/item") and name.endswith(".xml") and "Props" not in name:
            root = parse_part(parts[name], label, name)
            if root.tag == f"{{{CUSTOM_XML_NS}}}tenderpack":
                doc = root.find(f"{{{CUSTOM_XML_NS}}}document")
                return {str(k): str(v) for k, v in (doc.attrib.items() if doc is not None else [])}
    return None


def modified_date(parts: dict[str, bytes], label: str) -> str | None:
    """``dcterms:modified`` of the core properties (a tenderpack document's version date)."""
    if "docProps/core.xml" not in parts:
        return None
    root = parse_part(parts["docProps/core.xml"], label, "docProps/core.xml")
    el = root.find("{http://purl.org/dc/terms/}modified")
    text = (el.text or "").strip() if el is not None else ""
    return text if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text) else None


def revision_date(parts: dict[str, bytes], label: str) -> str:
    """The date a redline of a document carries: its version date (as written in its properties)."""
    when = modified_date(parts, label)
    if when:
        return when
    info = provenance(parts, label) or {}
    date = info.get("pack-date", "")
    if re.fullmatch(r"\d{4}-\d\d-\d\d", date):
        return f"{date}T00:00:00Z"
    raise InputFileError(f"{label} carries no version date; give one")
