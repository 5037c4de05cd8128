"""The sandbox holds: clause text, profile values and the Word templates (body, headers, footers, document
properties) cannot reach attributes, globals, files or includes, and each attempt fails with a clear error.

The same payloads, run through the whole CLI, are cases of the bad-input catalogue (tests/bad_inputs/09-*,
90-*); here they go straight at the rendering layers, with the checks out of the way.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docxtpl import DocxTemplate

from tenderpack import pipeline
from tenderpack.documents import compose, make_selection
from tenderpack.text import TextError, render
from tenderpack.word.document import RenderJob, make_job
from tenderpack.word.inspect import dump_text
from tenderpack.word.render import TemplateRenderError, render_docx

GLOBALS = "{{ cycler.__init__.__globals__.os.popen('echo PWNED').read() }}"
PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ years.__class__.__init__.__globals__ }}",
    "{{ legal.__class__ }}",
    "{{ legal.items.__self__ }}",
]


def job(project: Path, kind: str = "tender") -> RenderJob:
    """A real render job for one document of the seed project."""
    checked = pipeline.load_checked(project)
    resolved = checked.resolved["fr"]
    sel = make_selection(checked.project, resolved, "computers", "core")
    composed = compose(checked.project, sel, kind, "issue", checked.pack)
    profile_files = {pid: yf.rel for pid, yf in checked.project.profile_files.items()}
    return make_job(composed, checked.project.templates[kind], checked.pack, checked.when, profile_files)


def edited(template: Path, part: str, old: str, new: str) -> bytes:
    """The template's bytes with one text replaced in one part."""
    out = io.BytesIO()
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            zout.writestr(info, data)
    return out.getvalue()


def render_with(j: RenderJob, template: bytes, context: dict | None = None) -> bytes:  # type: ignore[type-arg]
    return render_docx(template, context or j.context, toc_xml=j.toc_xml, body_xml=j.body_xml,
                       numbering_xml=j.numbering_xml, props=j.props, custom_xml=j.custom_xml)  # fmt: skip


# ------------------------------------------------------------------------------------------ clause text


@pytest.mark.parametrize("payload", [*PAYLOADS, GLOBALS, "{{ lipsum.__globals__ }}", "{{ namespace.__init__ }}"])
def test_clause_text_cannot_reach_attributes_or_globals(payload: str) -> None:
    with pytest.raises(TextError) as info:
        render(f"Keep spare parts {payload}.", {"years": 5, "legal": {"lcc": "Article 68"}})
    message = info.value.message
    assert message.startswith("unsafe expression refused: access to attribute") or message.endswith("is undefined")


@pytest.mark.parametrize("tag", ["{% include '/etc/passwd' %}", "{% import 'os' as os %}",
                                 "{% from 'os' import system %}", "{% extends '/etc/passwd' %}"])  # fmt: skip
def test_clause_text_cannot_include_files(tag: str) -> None:
    with pytest.raises(TextError, match=r"^\{% (include|import|extends) %\} is not allowed in text$"):
        render(f"Text {tag}", {})


# ------------------------------------------------------------------------------------------ profile values


def test_values_are_data_never_code(project: Path) -> None:
    """A value that looks like a template is printed as written, in body, header and properties alike."""
    j = job(project)
    hostile = "{{ 7 * 7 }} {% include '/etc/passwd' %} " + GLOBALS + ' & <w:p/> ]]> "q" \'a\''
    context = {**j.context, "authority": {**j.context["authority"], "name": hostile}}
    template = Path(j.template).read_bytes()
    template = edited(Path(j.template), "word/header1.xml", "{{ doc.id }}", "{{ doc.id }} {{ authority.name }}")
    data = render_with(j, template, context)
    text = dump_text(data)
    assert hostile in text
    assert "49" not in text.replace(hostile, "") and "PWNED" not in text.replace(hostile, "")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        header = z.read("word/header1.xml").decode()
    assert "{{ 7 * 7 }}" in header and "&amp; &lt;w:p/&gt; ]]&gt;" in header


# ------------------------------------------------------------------------------------------ Word templates


@pytest.mark.parametrize("part", ["word/document.xml", "word/header1.xml", "word/footer1.xml"])
@pytest.mark.parametrize("payload", [*PAYLOADS[:3], GLOBALS, "{{ self.__init__ }}", "{{ doc.__class__ }}"])
def test_template_parts_cannot_reach_attributes_or_globals(project: Path, part: str, payload: str) -> None:
    j = job(project)
    anchor = {"word/document.xml": "{{ label.profile }}", "word/header1.xml": "{{ doc.id }}",
              "word/footer1.xml": "{{ doc.title }}"}[part]  # fmt: skip
    with pytest.raises(TemplateRenderError) as info:
        render_with(j, edited(Path(j.template), part, anchor, payload))
    message = str(info.value)
    assert message.startswith(f"{part}: ") and "in paragraph" in message and payload in message
    assert "is unsafe" in message or "is undefined" in message


@pytest.mark.parametrize("tag", ["{% include '/etc/passwd' %}", "{% import 'os' as os %}", "{% extends 'x' %}"])
def test_templates_cannot_include_files(project: Path, tag: str) -> None:
    j = job(project)
    with pytest.raises(TemplateRenderError, match=r"is not allowed in a template in paragraph"):
        render_with(j, edited(Path(j.template), "word/document.xml", "{{ label.profile }}", tag))


def test_a_payload_in_the_title_property_is_never_run(project: Path, tmp_path: Path) -> None:
    """docxtpl's default environment runs Jinja in docProps/core.xml (the title became PWNED); ours never does."""
    j = job(project)
    marker = tmp_path / "pwned"
    payload = "{{ cycler.__init__.__globals__.os.popen('echo PWNED; touch " + str(marker) + "').read() }}"
    template = edited(Path(j.template), "docProps/core.xml", "tenderpack template: tender", payload)

    # the control: plain docxtpl, default environment, runs the payload (so this test can fail)
    plain = DocxTemplate(io.BytesIO(template))
    plain.render({**j.context, "authority": {"name": "Plain Council"}, "toc": "", "body": ""})  # no '&': unescaped
    assert plain.docx.core_properties.title.strip() == "PWNED" and marker.exists()
    marker.unlink()

    data = render_with(j, template)
    assert not marker.exists()
    title = docx.Document(io.BytesIO(data)).core_properties.title
    assert title == j.props.title and "PWNED" not in title
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "__globals__" not in z.read("docProps/core.xml").decode()
