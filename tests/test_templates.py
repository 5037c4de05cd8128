"""Template lint and template rendering errors: reported with the template and the paragraph."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import snapshot


def edit_template(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_typo_in_a_tag_is_reported_with_template_and_paragraph(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    edit_template(project / "templates" / "tender.docx", "{{ label.profile }}", "{{ label.profle }}")
    result = cli("check", "--project", project, expect=1)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: templates/tender.docx: word/document.xml: unknown variable 'label.profle' in paragraph '{{ label.profle }}'",
        "Error: 1 problem found.",  # check never writes
    ]


def test_unclosed_block_points_at_its_opening_paragraph(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    edit_template(project / "templates" / "annex.docx", "{{ label.document }}", "Document {% for x in doc.id %}{{ x }}")
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines()[0] == (
        "Error: templates/annex.docx: word/document.xml: Unexpected end of template. Jinja was looking for the "
        "following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'. in paragraph "
        "'Document {% for x in doc.id %}{{ x }}'"
    )


def test_unknown_filter_and_templated_properties(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = project / "templates" / "questionnaire.docx"
    edit_template(path, "{{ label.document }}", "Document {{ doc.id|shout }}")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    core = parts["docProps/core.xml"].decode()
    parts["docProps/core.xml"] = core.replace(
        "<dc:title>tenderpack template: questionnaire</dc:title>",
        "<dc:title>{{ cycler.__init__.__globals__.os.popen('echo PWNED').read() }}</dc:title>",
    ).encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    lines = cli("check", "--project", project, expect=1).stderr.splitlines()
    assert "Error: templates/questionnaire.docx: docProps/core.xml: document properties must not hold template tags; tenderpack sets them" in lines
    assert "Error: templates/questionnaire.docx: word/document.xml: unknown filter 'shout' in paragraph 'Document {{ doc.id|shout }}'" in lines


def test_failed_build_leaves_output_unchanged(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    cli("build", "--project", project, "--profile", "itu", expect=0)
    before = snapshot(project / "output")
    edit_template(project / "templates" / "tender.docx", "{{ doc.title }}", "{{ doc.title }")
    result = cli("build", "--project", project, expect=1)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0].startswith("Error: templates/tender.docx: word/document.xml:")
    assert snapshot(project / "output") == before


def test_pdf_without_libreoffice_says_so_and_writes_nothing(project: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", str(project))  # no soffice on this PATH
    result = cli("build", "--project", project, "--pdf", expect=1)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --pdf: LibreOffice is not installed (no 'soffice' on PATH)")
    assert not (project / "output").exists()
