"""Render the evaluation report: blocks → body XML → the same docxtpl pipeline as every document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from ..blocks import Block, Toc
from .ooxml import Writer
from .render import CUSTOM_XML_NS, Properties, render_docx


def render_report(
    *,
    template: Path,
    context: dict[str, Any],
    toc: Toc,
    blocks: list[Block],
    title: str,
    subject: str,
    author: str,
    identifier: str,
    language: str,
    when: dt.datetime,
    custom: dict[str, str],
    provenance: dict[str, Any],
    fill_ins: Sequence[tuple[str, str, str, str | None]] = (),
) -> bytes:
    """The report's normalised .docx bytes (deterministic: dates come from the pack)."""
    writer = Writer()
    toc_xml = writer.toc(toc)
    body_xml = writer.blocks(blocks)
    props = Properties(
        title=title,
        subject=subject,
        author=author,
        identifier=identifier,
        language=language,
        keywords=f"tenderpack; evaluation; {custom.get('tenderpack.profile', '')}; {custom.get('tenderpack.category', '')}",
        when=when,
        custom=custom,
    )
    return render_docx(
        template.read_bytes(),
        context,
        toc_xml=toc_xml,
        body_xml=body_xml,
        numbering_xml=writer.numbering.xml(),
        props=props,
        custom_xml=evaluation_xml(provenance),
        fill_ins=fill_ins,
    )


def evaluation_xml(provenance: dict[str, Any]) -> str:
    """The custom XML part of the report: what was evaluated, from which files (with their hashes)."""
    doc = " ".join(f"{k}={quoteattr(str(v))}" for k, v in provenance["document"].items())
    tenders = "".join(
        "<tender " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in t.items()) + "/>" for t in provenance["tenders"]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<tenderpack xmlns="{CUSTOM_XML_NS}" format="1"><document {doc}/><evaluation>{tenders}</evaluation></tenderpack>'
    )
