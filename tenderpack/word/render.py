"""Render a Word template with docxtpl, safely and reproducibly.

docxtpl is always given our environment: sandboxed, ``StrictUndefined``, autoescaped (its defaults run
template code unsandboxed and silently drop text after ``&`` or ``<``). Document properties are set in
code, never templated. The zip is rewritten with fixed metadata so the same inputs give the same bytes.
Patched template XML and compiled Jinja templates are cached per process (keyed by content), which makes
a render several times cheaper than plain docxtpl with identical output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
import traceback
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import Unmarshaller
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.package import Package
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from ..errors import TenderpackError
from . import fillins

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DROP_PARTS = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")
CUSTOM_XML_NS = "urn:tenderpack:document:1"
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


class TemplateRenderError(TenderpackError):
    """A Word template could not be rendered; the message names the part and the paragraph."""


class SafeEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed, strict, autoescaped; compiled templates cached by source text."""

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        # templates see only the documented context (and range, for loops)
        self.globals = {"range": self.globals["range"]}
        self._compiled: dict[bytes, Any] = {}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Refuse tags that reach other files: a template sees its own text and the context, nothing else."""
        ast = super()._parse(source, name, filename)
        for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            tag = {"FromImport": "from ... import"}.get(type(node).__name__, type(node).__name__.lower())
            raise TemplateSyntaxError(f"{{% {tag} %}} is not allowed in a template", node.lineno, name, filename)
        return ast

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        key = hashlib.blake2b(source.encode("utf-8"), digest_size=16).digest()
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = super().from_string(source)
        return compiled


_ENV: SafeEnvironment | None = None
_PATCHED: dict[bytes, str] = {}


def environment() -> SafeEnvironment:
    """One environment per process (workers build their own)."""
    global _ENV
    if _ENV is None:
        _ENV = SafeEnvironment()
    return _ENV


def paragraph_text(src_xml: str, lineno: int | None) -> str:
    """Text of the paragraph on a line of docxtpl's one-paragraph-per-line template source."""
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml).splitlines()
    if lineno is None or not 0 < lineno <= len(lines):
        return "?"
    return re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()[:160]


# What docxtpl's post-processing of a rendered part (``render_xml_part``: paragraph joining, ``{_{`` escapes,
# ``resolve_listing``) could change inside an inserted value. A generated fragment free of all of them comes
# out of that post-processing unchanged, so it can be spliced in afterwards instead of being scanned.
_POSTPROCESSED = ("\n", "\t", "\a", "\f", "{_{", "}_}", "{_%", "%_}")


def _splice_safe(xml: str) -> bool:
    return not any(s in xml for s in _POSTPROCESSED)


class SafeDocxTemplate(DocxTemplate):  # type: ignore[misc]
    """DocxTemplate with cached XML patching and error messages that name part and paragraph.

    ``spliced`` maps placeholder → XML: values given to Jinja as a placeholder and put in place after
    docxtpl's regex post-processing, which would only rescan them to no effect (it was the largest single
    cost of a render: the body of a document is almost all of its XML).
    """

    docx: Any
    is_rendered: bool
    spliced: dict[str, str]
    template_bytes: bytes | None = None

    def init_docx(self, reload: bool = True) -> None:
        if self.template_bytes is not None and (not self.docx or (self.is_rendered and reload)):
            self.docx = open_template(self.template_bytes)
            self.is_rendered = False
        else:
            super().init_docx(reload)

    def patch_xml(self, src_xml: str) -> str:
        key = hashlib.blake2b(src_xml.encode("utf-8"), digest_size=16).digest()
        patched = _PATCHED.get(key)
        if patched is None:
            patched = _PATCHED[key] = super().patch_xml(src_xml)
        return patched

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        try:
            xml = str(super().render_xml_part(src_xml, part, context, jinja_env))
        except (TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as exc:
            # TemplateError: a tag, a name, the sandbox; the others: an expression the values do not fit
            lineno = getattr(exc, "lineno", None)
            if lineno is None:
                for frame in traceback.extract_tb(exc.__traceback__):
                    if frame.filename == "<template>":
                        lineno = frame.lineno
            para = paragraph_text(src_xml, lineno)
            name = str(part.partname).lstrip("/")
            message = exc.message if isinstance(exc, TemplateError) else f"cannot compute an expression: {exc}"
            raise TemplateRenderError(f"{name}: {message} in paragraph {para!r}") from None
        for placeholder, value in getattr(self, "spliced", {}).items():
            xml = xml.replace(placeholder, value)
        return xml

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        """Never template document properties: they are set from data after rendering."""

    def fix_tables(self, xml: str) -> Any:
        """docxtpl's table repair, skipped where it would change nothing.

        docxtpl parses the rendered XML and walks every cell of every table in Python to find tables whose
        grid no longer matches their rows (after ``{%tc %}`` loops) — a fifth of a render for documents with
        large tables. Here a few XPath queries per table show that nothing needs repair; any table that might
        (or anything unusual) gets docxtpl's own repair of the whole document.
        """
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
        w = tree.nsmap["w"]
        if all(_grid_matches(table, w) for table in tree.iter(f"{{{w}}}tbl")):
            return tree
        return super().fix_tables(xml)


_XPATHS: dict[str, tuple[Any, Any]] = {}


def _grid_matches(table: Any, w: str) -> bool:
    """True when docxtpl's ``fix_tables`` would leave this table as it is (no grid column to add or remove)."""
    grid = table.find(f"{{{w}}}tblGrid")
    if grid is None:
        return False
    if w not in _XPATHS:
        ns = {"w": w}
        _XPATHS[w] = (
            # a row with more cells than grid columns (docxtpl adds columns), or anything unusual
            etree.XPath(
                "boolean(.//w:tr[count(w:tc) > $n] | .//w:tc[count(w:tcPr) > 1] | .//w:tcPr[count(w:gridSpan) > 1]"
                " | .//w:gridSpan[not(string(number(@w:val)) = @w:val)])",
                namespaces=ns,
            ),
            # some row spans every grid column (else docxtpl removes columns)
            etree.XPath(
                "boolean(.//w:tr[sum(w:tc/w:tcPr/w:gridSpan/@w:val) + count(w:tc[not(w:tcPr/w:gridSpan)]) >= $n])",
                namespaces=ns,
            ),
        )
    unusual, spanned = _XPATHS[w]
    cols = sum(1 for child in grid if child.tag == f"{{{w}}}gridCol")
    return not unusual(table, n=cols) and (cols == 0 or bool(spanned(table, n=cols)))


@dataclass
class Properties:
    """Core and custom document properties, set in code."""

    title: str
    subject: str
    author: str
    identifier: str
    language: str
    keywords: str
    when: dt.datetime
    custom: dict[str, str]


_READERS: dict[bytes, Any] = {}


def open_template(data: bytes) -> Any:
    """A fresh python-docx Document of a template; its package is read (unzipped, rels parsed) once per process.

    The same as ``docx.Document(BytesIO(data))``: the cached reader holds only the serialised parts (bytes),
    and every call builds new part objects from them.
    """
    key = hashlib.blake2b(data, digest_size=16).digest()
    reader = _READERS.get(key)
    if reader is None:
        reader = _READERS[key] = PackageReader.from_file(io.BytesIO(data))
    package = Package()
    Unmarshaller.unmarshal(reader, package, PartFactory)
    part = package.main_document_part
    if part.content_type != CT.WML_DOCUMENT_MAIN:
        raise ValueError(f"not a Word file: content type is {part.content_type!r}")
    return part.document


def render_docx(
    template: Path | bytes,
    context: Mapping[str, Any],
    *,
    toc_xml: str,
    body_xml: str,
    numbering_xml: list[str],
    props: Properties,
    custom_xml: str,
    fill_ins: Sequence[tuple[str, str, str, str | None]] = (),
) -> bytes:
    """Render one document and return its normalised bytes.

    ``fill_ins`` (id, label, placeholder, value) are the library's fill-ins: each marker of an unset one
    becomes a content control bound to the fill-in part, which is added when there are any.
    """
    source = io.BytesIO(template) if isinstance(template, bytes) else template
    tpl = SafeDocxTemplate(source)
    if isinstance(template, bytes):
        tpl.template_bytes = template
    try:
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:  # check's lint says more
        raise TemplateRenderError(f"not a usable Word document: {exc}") from None
    ctx = dict(context)
    tpl.spliced = {}
    for name, xml in (("toc", toc_xml), ("body", body_xml)):
        if _splice_safe(xml):
            placeholder = f"\ue000tenderpack-{name}\ue000"
            tpl.spliced[placeholder] = xml
            ctx[name] = Markup(placeholder)
        else:
            ctx[name] = Markup(xml)
    tpl.render(ctx, jinja_env=environment(), autoescape=True)
    doc = tpl.docx
    _add_numbering(doc, numbering_xml)
    _set_update_fields(doc)
    _set_core_properties(doc, props)
    _add_custom_xml(doc, custom_xml)
    if fill_ins:
        _bind_fill_ins(doc, fill_ins)
    return _normalize_parts(_package_parts(doc), custom_props=props.custom)


def _package_parts(doc: Any) -> dict[str, bytes]:
    """The package's members as python-docx's ``save`` would write them, without zipping them twice."""
    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    members = {"[Content_Types].xml": _ContentTypesItem.from_parts(parts).blob, "_rels/.rels": package.rels.xml}
    for part in parts:
        members[part.partname.membername] = part.blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    return members


def _add_numbering(doc: Any, nums: list[str]) -> None:
    if not nums:
        return
    numbering = doc.part.numbering_part.element
    ns = f'xmlns:w="{numbering.nsmap["w"]}"'
    for xml in nums:
        numbering.append(parse_xml(xml.replace("<w:num ", f"<w:num {ns} ", 1)))


def _set_update_fields(doc: Any) -> None:
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        el = parse_xml(f'<w:updateFields xmlns:w="{settings.nsmap["w"]}" w:val="true"/>')
        settings.insert_element_before(el, *_SETTINGS_AFTER_UPDATE_FIELDS)


def _set_core_properties(doc: Any, p: Properties) -> None:
    cp = doc.core_properties
    cp.title = p.title
    cp.subject = p.subject
    cp.author = p.author
    cp.last_modified_by = "tenderpack"
    cp.identifier = p.identifier
    cp.language = p.language
    cp.keywords = p.keywords
    cp.comments = "Generated by tenderpack; edit the clause library, not this file."
    cp.created = p.when
    cp.modified = p.when
    cp.last_printed = p.when
    cp.revision = 1


def _bind_fill_ins(doc: Any, fill_ins: Sequence[tuple[str, str, str, str | None]]) -> None:
    """Markers → bound controls in the body, headers and footers; then the one part they bind to."""
    defs = {fid: (label, placeholder) for fid, label, placeholder, _ in fill_ins}
    ids = itertools.count(fillins.FIRST_CONTROL_ID)
    for part in sorted(doc.part.package.iter_parts(), key=lambda p: str(p.partname)):
        if part.content_type in _STORY_TYPES:
            fillins.bind(part.element, defs, ids, parse_xml)
    _add_custom_xml(doc, fillins.part_xml(list(fill_ins)), fillins.PART_NAME, fillins.PROPS_NAME, fillins.props_xml())


_STORY_TYPES = (CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER)


def _add_custom_xml(doc: Any, xml: str, name: str = "/customXml/item1.xml",
                    props_name: str = "/customXml/itemProps1.xml", props_xml: str | None = None) -> None:  # fmt: skip
    package = doc.part.package
    item = Part(PackURI(name), "application/xml", xml.encode("utf-8"), package)
    props_xml = props_xml or (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        '<ds:datastoreItem ds:itemID="{6C3C8BC8-F283-45F2-878A-FA3B4C1D8E0A}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{CUSTOM_XML_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    )
    props = Part(
        PackURI(props_name),
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        props_xml.encode("utf-8"),
        package,
    )
    item.relate_to(props, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps")
    doc.part.relate_to(item, RT.CUSTOM_XML)


def _custom_props_xml(props: Mapping[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name="{escape(k, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(v)}</vt:lpwstr></property>"
        for i, (k, v) in enumerate(sorted(props.items()), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def normalize_docx(data: bytes, custom_props: Mapping[str, str] | None = None) -> bytes:
    """Rewrite the package with a fixed entry order, timestamps and permissions.

    Drops the thumbnail and the obsolete stylesWithEffects part (with their content types and
    relationships) and adds ``docProps/custom.xml`` when custom properties are given.
    """
    zin = zipfile.ZipFile(io.BytesIO(data))
    return _normalize_parts({n: zin.read(n) for n in zin.namelist()}, custom_props)


def _normalize_parts(members: Mapping[str, bytes], custom_props: Mapping[str, str] | None = None) -> bytes:
    parts = {n: blob for n, blob in members.items() if n not in DROP_PARTS}
    ct = parts["[Content_Types].xml"].decode("utf-8")
    for name in DROP_PARTS:
        ct = re.sub(rf'<Override PartName="/{re.escape(name)}"[^>]*/>', "", ct)
    for rels_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        if rels_name in parts:
            rels = parts[rels_name].decode("utf-8")
            for name in DROP_PARTS:
                target = name.split("/", 1)[1] if rels_name.startswith("word/") else name
                rels = re.sub(rf'<Relationship [^>]*Target="/?{re.escape(target)}"[^>]*/>', "", rels)
            parts[rels_name] = rels.encode("utf-8")
    if custom_props:
        parts["docProps/custom.xml"] = _custom_props_xml(custom_props)
        if "/docProps/custom.xml" not in ct:
            ct = ct.replace(
                "</Types>",
                '<Override PartName="/docProps/custom.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>',
            )
        rels = parts["_rels/.rels"].decode("utf-8")
        if "docProps/custom.xml" not in rels:
            rels = rels.replace(
                "</Relationships>",
                '<Relationship Id="rIdTenderpackCustom" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>',
            )
        parts["_rels/.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = ct.encode("utf-8")
    order = sorted(parts, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, parts[name], compresslevel=6)
    return out.getvalue()
