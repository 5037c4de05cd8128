"""Open a returned questionnaire safely and read its content controls and identity.

Files that come back from suppliers are untrusted. Before any XML is parsed the package is checked:
it must be a zip of sane size (file, entries, uncompressed total, expansion ratio), with safe entry
names, no encryption, no macros or ActiveX, and content types that say "Word document". Parts are
decompressed in chunks with a running cap, so a zip whose headers lie about sizes cannot exhaust
memory. XML is parsed without DTDs, entities or network access, any ``DOCTYPE`` is refused, and a
part with more nodes than a questionnaire could plausibly have is refused before its tree is built,
which keeps the whole read under about 200 MB.

Nothing here interprets answers: :func:`read_questionnaire` returns plain data (every leaf content
control with its place in the table structure, and the identity stored at build time) that
``tenderpack.responses`` matches to questions, validates and scores. The limits are module attributes
so that tests can lower them.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import InputFileError
from .ooxml import CONTROL_PLACEHOLDERS
from .render import CUSTOM_XML_NS

MB = 1024 * 1024
MAX_FILE_SIZE = 50 * MB  # the .docx on disk
MAX_ENTRIES = 2000  # members of the zip
MAX_PART_SIZE = 20 * MB  # one member, uncompressed
MAX_TOTAL_SIZE = 100 * MB  # all members, uncompressed
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1 * MB  # small members may compress well without being a bomb
MAX_XML_NODES = 500_000  # bound of a parsed part's elements + 2 × attributes (counted as '<' and '=' bytes)
MAX_CONTROLS = 20000  # content controls in the document
CHUNK = 64 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OTHER_MAINS = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "a macro-enabled Word document (.docm); save it as .docx",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "a macro-enabled Word template (.dotm)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "a Word template (.dotx), not a document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "a spreadsheet, not a Word document",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "a macro-enabled spreadsheet, not a Word document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "a presentation, not a Word document",
}
ACTIVE_CONTENT_TYPES = ("vbaproject", "vbadata", "macroenabled", "activex")
ACTIVE_NAMES = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/)", re.IGNORECASE)
DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
SIGNATURES = {
    b"\xd0\xcf\x11\xe0": "a password-protected document or an old .doc file (not a .docx); save it as .docx without a password",
    b"{\\rt": "an RTF file, not a .docx",
    b"%PDF": "a PDF file, not a .docx",
}

# Text that Word, LibreOffice and our templates show in an empty control: never an answer.
PLACEHOLDERS = frozenset(
    [*CONTROL_PLACEHOLDERS.values(), "Choose an item.", "Click or tap here to enter text.",
     "Click or tap to enter a date.", "Click here to enter text.", "Click here to enter a date."]
)  # fmt: skip
CHECKED_GLYPHS = frozenset("\u2612\u2611\u2713\u2714xX")


@dataclass
class ControlInfo:
    """One content control a supplier can fill (the innermost ``w:sdt``), where it sits and what it holds."""

    order: int  # position among the controls, in document order
    kind: str  # text, date, dropdown, checkbox, richtext, picture
    tag: str | None  # w:tag of the control or of a control wrapped around it
    alias: str | None  # w:alias, likewise
    text: str  # visible text; "" when it shows a placeholder
    checked: bool | None = None  # check boxes
    date: str | None = None  # w:date/@w:fullDate
    list_value: str | None = None  # w:dropDownList/@w:lastValue
    options: list[str] = field(default_factory=list)  # drop-down display texts
    values: list[str] = field(default_factory=list)  # drop-down item values (stable ids), beside ``options``
    table: int | None = None  # index of the table (document order), None outside tables
    row: int | None = None  # row index in that table
    column: int | None = None  # cell index in that row
    header: tuple[str, ...] = ()  # texts of the table's first row
    row_label: str = ""  # text of the first cell of the row (outside controls)


@dataclass
class Identity:
    """What the questionnaire says about itself (custom XML part and document properties)."""

    document: dict[str, str] = field(default_factory=dict)  # attributes of <document> (id, kind, profile, ...)
    questions_hash: str | None = None
    questions: list[dict[str, Any]] = field(default_factory=list)  # id, ref, clause, type, required, options
    properties: dict[str, str] = field(default_factory=dict)  # docProps/custom.xml tenderpack.* values
    stored: str | None = None  # the identity's canonical JSON (``tenderpack.identity``), untrusted text
    stored_sha256: str | None = None  # the fingerprint written beside it
    parts: int = 0  # number of tenderpack custom XML parts found


@dataclass
class Returned:
    """A returned questionnaire: its controls and identity, as plain data."""

    file: str
    sha256: str
    identity: Identity
    controls: list[ControlInfo]


def _q(tag: str, ns: str = W) -> str:
    return f"{{{ns}}}{tag}"


class _Refused(Exception):
    """Internal: the reason a file is refused (turned into InputFileError with the file name)."""


# ------------------------------------------------------------------------------------------ package


def read_questionnaire(path: Path, name: str | None = None) -> Returned:
    """Open ``path`` as an untrusted .docx and return its controls and identity.

    Raises :class:`InputFileError` ``"<file>: <reason>"`` for anything that is not a safe, well-formed
    Word document.
    """
    shown = name or str(path)
    try:
        return _read(path, shown)
    except _Refused as exc:
        raise InputFileError(f"{shown}: {exc}") from None
    except OSError as exc:
        raise InputFileError(f"{shown}: cannot read the file ({exc.strerror or exc})") from None


def read_questionnaire_bytes(data: bytes, name: str) -> Returned:
    """As :func:`read_questionnaire`, for a document already in memory (a release's copy of it)."""
    try:
        if len(data) > MAX_FILE_SIZE or not data.startswith(b"PK\x03\x04"):
            raise _Refused("not a Word .docx file of an accepted size")
        return _open(data, name)
    except _Refused as exc:
        raise InputFileError(f"{name}: {exc}") from None


def _read(path: Path, shown: str) -> Returned:
    return _open(_read_file(path), shown)


def _open(data: bytes, shown: str) -> Returned:
    try:
        zf = zipfile.ZipFile(_BytesReader(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _Refused(f"not a valid .docx: the zip archive is damaged ({exc})") from None
    with zf:
        infos = _check_members(zf)
        types = _parse(_read_member(zf, infos, "[Content_Types].xml"), "[Content_Types].xml")
        main = _main_part(types, infos)
        _check_relationships(zf, infos, main)
        for member in infos.values():
            if member.filename.lower().endswith((".xml", ".rels")):
                _scan_for_doctype(zf, member)
        document = _parse(_read_member(zf, infos, main), main)
        identity = _identity(zf, infos)
        controls = extract_controls(document)
    return Returned(shown, hashlib.sha256(data).hexdigest(), identity, controls)


class _BytesReader:
    """A seekable view of bytes for zipfile (io.BytesIO would copy them)."""

    def __init__(self, data: bytes):
        self._view = memoryview(data)
        self._pos = 0

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, n: int = -1) -> bytes:
        end = len(self._view) if n is None or n < 0 else min(len(self._view), self._pos + n)
        chunk = bytes(self._view[self._pos : end])
        self._pos = end
        return chunk


def _read_file(path: Path) -> bytes:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise _Refused("file not found") from None
    if not stat.S_ISREG(st.st_mode):
        raise _Refused("not a regular file")
    if st.st_size == 0:
        raise _Refused("the file is empty")
    if st.st_size > MAX_FILE_SIZE:
        raise _Refused(f"the file is {_size(st.st_size)}, more than the {_size(MAX_FILE_SIZE)} accepted")
    with path.open("rb") as fh:
        data = fh.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise _Refused(f"the file is more than the {_size(MAX_FILE_SIZE)} accepted")
    if not data.startswith(b"PK\x03\x04"):
        for magic, what in SIGNATURES.items():
            if data.startswith(magic):
                raise _Refused(f"not a Word .docx file: it is {what}")
        raise _Refused("not a Word .docx file (not a zip archive)")
    return data


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} bytes"


def _check_members(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _Refused(f"the archive has {len(infos)} entries, more than the {MAX_ENTRIES} accepted")
    by_name: dict[str, zipfile.ZipInfo] = {}
    lowered: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        _check_name(name)
        if name.lower() in lowered:
            raise _Refused(f"the archive has two entries named {name!r}")
        lowered.add(name.lower())
        if info.flag_bits & 0x1:
            raise _Refused(f"entry {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _Refused(f"entry {name!r} uses an unsupported compression method")
        if ACTIVE_NAMES.search(name):
            raise _Refused(f"it contains macros or ActiveX controls ({name}); save it as a plain .docx")
        if info.file_size > MAX_PART_SIZE:
            raise _Refused(
                f"entry {name!r} expands to {_size(info.file_size)}, more than the {_size(MAX_PART_SIZE)} accepted"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _Refused(f"entry {name!r} expands {ratio} times (limit {MAX_RATIO}): a zip bomb?")
        total += info.file_size
        if total > MAX_TOTAL_SIZE:
            raise _Refused(f"the archive expands to more than the {_size(MAX_TOTAL_SIZE)} accepted: a zip bomb?")
        by_name[name] = info
    return by_name


def _check_name(name: str) -> None:
    bad = (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part in ("..", ".") for part in name.split("/"))
    )
    if bad:
        raise _Refused(f"unsafe entry name {name!r} in the archive")


def _read_member(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], name: str) -> bytes:
    """Decompress one member with a running cap: headers that lie about sizes cannot exhaust memory."""
    info = infos.get(name)
    if info is None:
        lowered = {n.lower(): i for n, i in infos.items()}
        info = lowered.get(name.lower())
    if info is None:
        raise _Refused(f"not a valid .docx: {name} is missing")
    out = bytearray()
    for chunk in _chunks(zf, info):
        out += chunk
    return bytes(out)


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    limit = min(info.file_size, MAX_PART_SIZE)
    seen = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    return
                seen += len(chunk)
                if seen > limit:
                    raise _Refused(f"entry {info.filename!r} expands beyond its declared size: a zip bomb?")
                if seen > RATIO_FLOOR and seen > MAX_RATIO * max(info.compress_size, 1):
                    raise _Refused(f"entry {info.filename!r} expands more than {MAX_RATIO} times: a zip bomb?")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _Refused(f"not a valid .docx: entry {info.filename!r} is damaged ({exc})") from None


def _scan_for_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    tail = b""
    for chunk in _chunks(zf, info):
        if DOCTYPE.search(tail + chunk):
            raise _Refused(f"{info.filename} declares a DTD or entities (<!DOCTYPE>), which are not accepted")
        tail = chunk[-16:]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )  # fmt: skip


def _parse(data: bytes, name: str) -> Any:
    if DOCTYPE.search(data):
        raise _Refused(f"{name} declares a DTD or entities (<!DOCTYPE>), which are not accepted")
    # The byte limits do not bound the tree: 8 MB of tiny elements make a 200 MB lxml tree. Every
    # element starts with '<' and every attribute has '=' (an attribute costs libxml2 about twice an
    # element), so this bounds the tree to about 130 MB; the largest real questionnaire scores about
    # 20,000, and LibreOffice doubles that.
    if data.count(b"<") + 2 * data.count(b"=") > MAX_XML_NODES:
        raise _Refused(f"{name} has more than {MAX_XML_NODES} XML elements and attributes")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _Refused(f"{name} is not well-formed XML ({exc.msg})") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _Refused(f"{name} declares a DTD or entities (<!DOCTYPE>), which are not accepted")
    return root


def _main_part(types: Any, infos: dict[str, zipfile.ZipInfo]) -> str:
    if types.tag != _q("Types", CT):
        raise _Refused("not a valid .docx: [Content_Types].xml is not a content-types list")
    declared = [el.get("ContentType", "") for el in types]
    for ctype in declared:
        if any(word in ctype.lower() for word in ACTIVE_CONTENT_TYPES):
            if ctype in OTHER_MAINS:
                raise _Refused(f"it is {OTHER_MAINS[ctype]}")
            raise _Refused(f"it contains macros or ActiveX controls ({ctype}); save it as a plain .docx")
    mains: list[str] = [
        str(el.get("PartName", "")) for el in types.iter(_q("Override", CT)) if el.get("ContentType") == DOCX_MAIN
    ]
    if not mains:
        for ctype in declared:
            if ctype in OTHER_MAINS:
                raise _Refused(f"it is {OTHER_MAINS[ctype]}")
        raise _Refused("not a Word document: [Content_Types].xml declares no main document part")
    if len(mains) > 1:
        raise _Refused("not a valid .docx: [Content_Types].xml declares two main document parts")
    name = mains[0].lstrip("/")
    if not name or name not in infos:
        raise _Refused(f"not a valid .docx: the main document part {mains[0]!r} is missing")
    return name


def _check_relationships(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], main: str) -> None:
    rels = _parse(_read_member(zf, infos, "_rels/.rels"), "_rels/.rels")
    targets = [
        posixpath.normpath(el.get("Target", "").lstrip("/"))
        for el in rels.iter(_q("Relationship", PR))
        if el.get("Type") == OFFICE_DOCUMENT
    ]
    if targets != [main]:
        raise _Refused(f"not a valid .docx: _rels/.rels does not point to the main document part {main}")


# ------------------------------------------------------------------------------------------ identity


def _identity(zf: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> Identity:
    ident = Identity()
    for name in sorted(infos):
        if not re.fullmatch(r"customXml/item\d+\.xml", name, re.IGNORECASE):
            continue
        root = _parse(_read_member(zf, infos, name), name)
        if root.tag != _q("tenderpack", CUSTOM_XML_NS):
            continue
        ident.parts += 1
        doc = root.find(_q("document", CUSTOM_XML_NS))
        if doc is not None:
            ident.document = {k: str(v) for k, v in doc.attrib.items()}
        questionnaire = root.find(_q("questionnaire", CUSTOM_XML_NS))
        if questionnaire is not None:
            ident.questions_hash = questionnaire.get("hash")
            ident.questions = [
                {
                    "id": q.get("id", ""),
                    "ref": q.get("ref", ""),
                    "clause": q.get("clause", ""),
                    "type": q.get("type", ""),
                    "required": q.get("required") == "true",
                    "options": [o.text or "" for o in q.iter(_q("option", CUSTOM_XML_NS))],
                }
                for q in questionnaire.iter(_q("question", CUSTOM_XML_NS))
            ]
        stored = root.find(_q("identity", CUSTOM_XML_NS))
        if stored is not None:
            ident.stored = stored.text or ""
            ident.stored_sha256 = stored.get("sha256", "")
    if "docProps/custom.xml" in infos:
        root = _parse(_read_member(zf, infos, "docProps/custom.xml"), "docProps/custom.xml")
        for prop in root.iter(_q("property", CP)):
            pname = prop.get("name", "")
            if pname.startswith("tenderpack."):
                ident.properties[pname[len("tenderpack.") :]] = "".join(prop.itertext()).strip()
    return ident


# ------------------------------------------------------------------------------------------ controls


_SKIP_TEXT = frozenset({_q("del"), _q("moveFrom"), _q("delText"), _q("instrText"), _q("sdtPr"), _q("rPr"), _q("pPr")})


def text_of(el: Any) -> str:
    """Visible text of an element: runs, tabs and breaks; deleted (tracked) text is left out."""
    out: list[str] = []
    _collect(el, out)
    return "".join(out)


def _collect(el: Any, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP_TEXT:
            continue
        if tag == _q("t"):
            out.append(child.text or "")
        elif tag == _q("tab"):
            out.append("\t")
        elif tag in (_q("br"), _q("cr")):
            out.append("\n")
        elif tag == _q("p") and out and not out[-1].endswith("\n"):
            out.append("\n")
            _collect(child, out)
        else:
            _collect(child, out)


def extract_controls(document: Any) -> list[ControlInfo]:
    """Every innermost content control of the body, in document order, with its table position."""
    tables = {tbl: i for i, tbl in enumerate(document.iter(_q("tbl")))}
    rows: dict[Any, list[Any]] = {}
    found: list[ControlInfo] = []
    for sdt in document.iter(_q("sdt")):
        pr = sdt.find(_q("sdtPr"))
        content = sdt.find(_q("sdtContent"))
        if pr is None or content is None or content.find(f".//{_q('sdt')}") is not None:
            continue  # a wrapper (LibreOffice wraps check boxes in a rich-text control): its leaf is read
        if pr.find(_q("docPartObj")) is not None or pr.find(_q("docPartList")) is not None:
            continue  # a table of contents or building block, not an answer
        if pr.find(_q("dataBinding")) is not None or (_first_val([sdt], "tag") or "").startswith("fill:"):
            continue  # a buyer's fill-in (authority name, tender reference: word/fillins.py), not an answer
        if len(found) >= MAX_CONTROLS:
            raise _Refused(f"the document has more than {MAX_CONTROLS} content controls")
        found.append(_control(sdt, pr, content, len(found), tables, rows))
    return found


def _control(
    sdt: Any, pr: Any, content: Any, order: int, tables: dict[Any, int], rows: dict[Any, list[Any]]
) -> ControlInfo:
    chain = [sdt, *_wrappers(sdt)]
    tag = _first_val(chain, "tag")
    alias = _first_val(chain, "alias")
    placeholder = any(s.find(f"{_q('sdtPr')}/{_q('showingPlcHdr')}") is not None for s in chain)
    raw = text_of(content).strip()
    text = "" if placeholder or raw in PLACEHOLDERS else raw
    info = ControlInfo(order=order, kind="richtext", tag=tag, alias=alias, text=text)
    checkbox = pr.find(_q("checkbox", W14))
    dropdown = pr.find(_q("dropDownList"))
    if dropdown is None:
        dropdown = pr.find(_q("comboBox"))
    date = pr.find(_q("date"))
    if checkbox is not None:
        info.kind = "checkbox"
        checked = checkbox.find(_q("checked", W14))
        if checked is not None:
            info.checked = checked.get(_q("val", W14), "0").lower() in ("1", "true", "on")
        else:
            info.checked = any(ch in CHECKED_GLYPHS for ch in raw)
        info.text = raw
    elif dropdown is not None:
        info.kind = "dropdown"
        info.list_value = dropdown.get(_q("lastValue")) or None
        items = list(dropdown.iter(_q("listItem")))
        info.options = [item.get(_q("displayText")) or item.get(_q("value")) or "" for item in items]
        info.values = [item.get(_q("value")) or "" for item in items]
        if any(shown == raw and not value for shown, value in zip(info.options, info.values, strict=True)):
            info.text = ""  # the empty first item ("Choose an item." in the questionnaire's language)
    elif date is not None:
        info.kind = "date"
        info.date = None if placeholder else date.get(_q("fullDate"))
    elif pr.find(_q("text")) is not None:
        info.kind = "text"
    elif pr.find(_q("picture")) is not None:
        info.kind = "picture"
    _place(info, sdt, tables, rows)
    return info


def _wrappers(sdt: Any) -> list[Any]:
    """Controls around ``sdt`` inside the same table cell (where LibreOffice moves alias and tag)."""
    out = []
    for anc in sdt.iterancestors():
        if anc.tag == _q("tc") or anc.tag == _q("body"):
            break
        if anc.tag == _q("sdt"):
            out.append(anc)
    return out


def _first_val(chain: list[Any], name: str) -> str | None:
    for s in chain:
        el = s.find(f"{_q('sdtPr')}/{_q(name)}")
        if el is not None and el.get(_q("val")):
            return str(el.get(_q("val")))
    return None


def _place(info: ControlInfo, sdt: Any, tables: dict[Any, int], row_cache: dict[Any, list[Any]]) -> None:
    tc = next((a for a in sdt.iterancestors() if a.tag == _q("tc")), None)
    if tc is None:
        return
    tr = next((a for a in tc.iterancestors() if a.tag == _q("tr")), None)
    tbl = next((a for a in tc.iterancestors() if a.tag == _q("tbl")), None)
    if tr is None or tbl is None:
        return
    rows = row_cache.get(tbl)
    if rows is None:
        rows = row_cache[tbl] = [r for r in tbl.iter(_q("tr")) if _owner(r) is tbl]
    cells = [c for c in tr.iter(_q("tc")) if _owner(c, _q("tr")) is tr]
    info.table = tables.get(tbl)
    info.row = rows.index(tr) if tr in rows else None
    info.column = cells.index(tc) if tc in cells else None
    if rows:
        first = [c for c in rows[0].iter(_q("tc")) if _owner(c, _q("tr")) is rows[0]]
        info.header = tuple(text_of(c).strip() for c in first)
    if cells:
        info.row_label = text_of(cells[0]).strip()


def _owner(el: Any, tag: str = _q("tbl")) -> Any:
    """The nearest ancestor with ``tag`` (rows of nested tables belong to the nested table)."""
    return next((a for a in el.iterancestors() if a.tag == tag), None)
