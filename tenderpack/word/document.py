"""A composed document → the inputs of one render (XML strings, properties), and the render itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .. import __version__, identity
from ..documents import Composed
from .ooxml import Writer
from .render import CUSTOM_XML_NS, Properties, TemplateRenderError, render_docx


@dataclass
class RenderJob:
    """Everything a worker needs to render one document (plain, picklable data)."""

    template: str
    context: dict[str, Any]
    toc_xml: str
    body_xml: str
    numbering_xml: list[str]
    props: Properties
    custom_xml: str
    fill_ins: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # id, label, placeholder, value
    data: bytes | None = None  # the template's bytes (read once per build); None: read ``template``


def provenance_xml(c: Composed, pack: dict[str, str], profile_files: dict[str, str]) -> str:
    """The custom XML part: identity, profile chain, clauses and (questionnaires) questions."""
    s = c.spec
    q = quoteattr
    out = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        f'<tenderpack xmlns="{CUSTOM_XML_NS}" format="1">',
        f"<document id={q(s.id)} kind={q(s.kind)} edition={q(s.edition)} profile={q(s.profile)} "
        f"category={q(s.category)} level={q(s.level)} pack-version={q(pack['version'])} pack-date={q(pack['date'])} "
        f"tool-version={q(__version__)}/>",
        "<chain>" + "".join(f"<profile id={q(p)} file={q(profile_files.get(p, ''))}/>" for p in c.chain) + "</chain>",
        "<clauses>" + "".join(f"<clause id={q(cid)} version={q(str(v))}/>" for cid, v in c.clauses) + "</clauses>",
    ]
    if s.kind == "questionnaire":
        out.append(f"<questionnaire hash={q(c.questions_hash)}>")
        for item in c.questions:
            attrs = f"id={q(item['id'])} ref={q(item['ref'])} clause={q(item['clause'])} type={q(item['type'])} required={q(str(item['required']).lower())}"
            options = "".join(f"<option>{_esc(o)}</option>" for o in item["options"])
            out.append(f"<question {attrs}>{options}</question>")
        out.append("</questionnaire>")
    if c.identity is not None:
        # the canonical JSON (``tenderpack.identity``) and its fingerprint: what reading and scoring use
        out.append(f"<identity sha256={q(c.identity_sha256)}>{_esc(_no_tags(identity.canonical(c.identity)))}</identity>")
    out.append("</tenderpack>")
    return "".join(out)


def _no_tags(json_text: str) -> str:
    """The same JSON without ``{{`` or ``{%`` (question records keep their source text, which may hold
    ``{{ parameter }}``): no part of a built document looks like a template tag. Braces can only be
    adjacent inside strings, where ``\\u007b`` is the same character, so the data (and its fingerprint,
    which is computed on the canonical text) are unchanged."""
    return json_text.replace("{{", "{\\u007b").replace("{%", "{\\u0025")


def _esc(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def make_job(c: Composed, template: Path, pack: dict[str, str], when: dt.datetime,
             profile_files: dict[str, str]) -> RenderJob:  # fmt: skip
    writer = Writer()
    toc_xml = writer.toc(c.toc)
    body_xml = writer.blocks(c.blocks)
    ctx = c.context
    custom = {
        "tenderpack.document": c.spec.id,
        "tenderpack.profile": c.spec.profile,
        "tenderpack.category": c.spec.category,
        "tenderpack.level": c.spec.level,
        "tenderpack.kind": c.spec.kind,
        "tenderpack.edition": c.spec.edition,
        "tenderpack.pack-version": pack["version"],
    }
    if c.questions_hash:
        custom["tenderpack.questions-hash"] = c.questions_hash
    if c.identity_sha256:
        custom["tenderpack.identity-sha256"] = c.identity_sha256
    props = Properties(
        title=f"{ctx['doc']['title']} — {ctx['category']['name']}",
        subject=str(ctx["profile"]["name"]),
        author=next((f.value or "" for f in c.fill_ins if f.id == "authority.name"), ""),
        identifier=c.spec.id,
        language=str(ctx["profile"]["language"]),
        keywords=f"tenderpack; {c.spec.kind}; {c.spec.edition}; {c.spec.profile}; {c.spec.category}; {c.spec.level}",
        when=when,
        custom=custom,
    )
    return RenderJob(
        template=str(template),
        context=ctx,
        toc_xml=toc_xml,
        body_xml=body_xml,
        numbering_xml=writer.numbering.xml(),
        props=props,
        custom_xml=provenance_xml(c, pack, profile_files),
        fill_ins=[(f.id, f.label, f.placeholder, f.value) for f in c.fill_ins],
    )


def render_job(job: RenderJob) -> bytes:
    """Render one job (in a worker or in the main process).

    The template's parsed package, patched XML and compiled Jinja code are cached per process by content
    (``render.open_template``, ``SafeDocxTemplate.patch_xml``, ``SafeEnvironment``), never by path: a template
    edited between two builds in one process is never rendered stale.
    """
    data = job.data if job.data is not None else Path(job.template).read_bytes()
    try:
        return _render(job, data)
    except TemplateRenderError as exc:
        raise TemplateRenderError(f"{Path(job.template).parent.name}/{Path(job.template).name}: {exc}") from None


def _render(job: RenderJob, data: bytes) -> bytes:
    return render_docx(
        data,
        job.context,
        toc_xml=job.toc_xml,
        body_xml=job.body_xml,
        numbering_xml=job.numbering_xml,
        props=job.props,
        custom_xml=job.custom_xml,
        fill_ins=job.fill_ins,
    )
