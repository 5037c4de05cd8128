"""Template lint: unknown variables and filters, broken tags, templated document properties.

Each finding names the part and quotes the paragraph, so that a legal team can find it in Word.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from .render import SafeDocxTemplate, environment

MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


@dataclass(frozen=True)
class Finding:
    part: str
    message: str


def _patch(xml: str) -> str:
    return str(SafeDocxTemplate.patch_xml(SafeDocxTemplate.__new__(SafeDocxTemplate), xml))


def _source(xml: str) -> str:
    """The template source as docxtpl renders it: one paragraph per line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", _patch(xml))


def paragraph_text(src: str, lineno: int | None) -> str:
    lines = src.splitlines()
    if lineno is None or not 0 < lineno <= len(lines):
        return "?"
    return re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()[:160]


def lint_template(path: Path, context: Mapping[str, tuple[str, dict[str, str]]]) -> list[Finding]:
    try:
        data = path.read_bytes()
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (OSError, zipfile.BadZipFile) as exc:
        return [Finding("", f"not a Word document: {exc}")]
    findings: list[Finding] = []
    with archive:
        names = sorted(archive.namelist())
        if "word/document.xml" not in names:
            return [Finding("", "not a Word document: word/document.xml is missing")]
        size = sum(info.file_size for info in archive.infolist())
        if size > MAX_UNZIPPED_BYTES:  # a template is a few hundred KiB; this is a zip bomb or a mistake
            return [Finding("", f"unzips to {size:,} bytes; the limit is {MAX_UNZIPPED_BYTES:,} bytes")]
        for name in names:
            if name.endswith((".xml", ".rels")):
                broken = _xml_problem(archive.read(name))
                if broken:
                    findings.append(Finding(name, broken))
                    continue
            if name == "docProps/core.xml":
                core = archive.read(name).decode("utf-8", "replace")
                if re.search(r"\{\{|\{%", core):
                    findings.append(Finding(name, "document properties must not hold template tags; tenderpack sets them"))
            if _PARTS.match(name):
                xml = archive.read(name).decode("utf-8", "replace")
                findings.extend(_lint_part(name, xml, context))
    return findings


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _xml_problem(data: bytes) -> str | None:
    """Why a part is not plain, well-formed XML (entities declared in a DOCTYPE could read local files)."""
    try:
        tree = etree.fromstring(data, parser=_XML_PARSER).getroottree()
    except etree.XMLSyntaxError as exc:
        return f"the XML is broken: {exc}"
    if tree.docinfo.doctype:
        return "the XML has a DOCTYPE declaration, which is refused"
    return None


def _lint_part(name: str, xml: str, context: Mapping[str, tuple[str, dict[str, str]]]) -> list[Finding]:
    src = _source(xml)
    env = environment()
    try:
        ast = env.parse(src)
    except TemplateSyntaxError as exc:
        lineno = exc.lineno
        unclosed = re.search(r"needs to be closed is '(\w+)'", exc.message or "")
        if unclosed:  # Jinja points at the end of the part; the opening tag is what the author must find
            opening = re.compile(r"\{%-?\s*" + unclosed.group(1) + r"\b")
            lines = src.splitlines()
            lineno = max((i + 1 for i, line in enumerate(lines) if opening.search(line)), default=lineno)
        return [Finding(name, f"{exc.message} in paragraph {paragraph_text(src, lineno)!r}")]
    findings = []
    local = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in ast.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in context:
            fields = context[node.node.name][1]
            if fields and node.attr not in fields:
                para = paragraph_text(src, node.lineno)
                findings.append(Finding(name, f"unknown variable '{node.node.name}.{node.attr}' in paragraph {para!r}"))
    unsafe: dict[int, list[str]] = {}  # the sandbox refuses these at render time; say so before a build
    for node in ast.find_all(nodes.Getattr):
        if node.attr.startswith("_"):
            unsafe.setdefault(node.lineno, []).insert(0, node.attr)  # find_all meets the outermost first
    for lineno, attrs in sorted(unsafe.items()):
        listed = ", ".join(f"'{a}'" for a in attrs)
        findings.append(Finding(name, f"unsafe attribute access ({listed}) in paragraph {paragraph_text(src, lineno)!r}"))
    for ref in ast.find_all(nodes.Name):
        if ref.ctx == "load" and ref.name not in context and ref.name not in local and ref.name not in env.globals:
            para = paragraph_text(src, ref.lineno)
            findings.append(Finding(name, f"unknown variable '{ref.name}' in paragraph {para!r}"))
    for filt in ast.find_all(nodes.Filter):
        if filt.name not in env.filters:
            para = paragraph_text(src, filt.lineno)
            findings.append(Finding(name, f"unknown filter '{filt.name}' in paragraph {para!r}"))
    return findings


def template_variables(path: Path) -> Any:
    """Top-level names a template uses (for documentation)."""
    with zipfile.ZipFile(path) as archive:
        src = "".join(_source(archive.read(n).decode("utf-8")) for n in sorted(archive.namelist()) if _PARTS.match(n))
    return sorted({n.name for n in environment().parse(src).find_all(nodes.Name)})


def template_paragraphs(path: Path) -> list[tuple[str, list[str]]]:
    """Each story part of a template (body, headers, footers) with the text of its paragraphs, tags included."""
    out = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if _PARTS.match(name) and archive.getinfo(name).file_size <= MAX_UNZIPPED_BYTES:
                src = _source(archive.read(name).decode("utf-8", "replace"))
                out.append((name, [re.sub(r"<[^>]+>", "", line) for line in src.splitlines()]))
    return out
