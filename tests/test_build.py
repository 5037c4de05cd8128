"""Stages 6-7: the built pack — manifest, determinism, Word structure, independent readers."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx2python import docx2python

from tenderpack.word.inspect import custom_xml, dump_text

EXPECTED_DOCS = 3 * 3 * 2 * 3 * 2 + 2 * 3 * 2 * 2  # profiles × categories × levels × kinds × editions + eu/fr checklists


def docs(root: Path) -> list[Path]:
    return sorted((root / "output").rglob("*.docx"))


def manifest(root: Path) -> dict:
    return json.loads((root / "output" / "manifest.json").read_text())


def test_manifest_lists_every_document_with_its_hash(built_seed: Path) -> None:
    m = manifest(built_seed)
    assert len(m["documents"]) == EXPECTED_DOCS
    assert {(d["profile"], d["category"], d["level"], d["kind"], d["edition"]) for d in m["documents"]} == {
        (p, c, lv, k, e)
        for p in ("itu", "eu", "fr")
        for c in ("computers", "mobile-devices", "end-of-life")
        for lv in ("core", "comprehensive")
        for k in ("tender", "annex", "questionnaire", *(("checklist",) if p != "itu" else ()))
        for e in ("drafting", "issue")
    }
    for d in m["documents"]:
        path = built_seed / "output" / d["path"]
        p, c, lv, k, e = d["profile"], d["category"], d["level"], d["kind"], d["edition"]
        assert d["path"] == f"{p}/{c}/{p}-{c}-{lv}-{k}-{e}.docx"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == d["sha256"]
        assert all(set(c) == {"id", "version"} for c in d["clauses"])
    assert len(docs(built_seed)) == EXPECTED_DOCS


def test_building_twice_gives_identical_bytes(project: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("build", "--project", project, "--out", tmp_path / "a", "--jobs", "1", expect=0)
    cli("build", "--project", project, "--out", tmp_path / "b", "--jobs", "2", "--force", expect=0)
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_source_date_epoch_sets_the_document_date(project: Path, cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cli("build", "--project", project, "--out", tmp_path / "o", "--profile", "itu", "--kind", "annex", expect=0)
    path = next((tmp_path / "o").rglob("*.docx"))
    core = docx.Document(str(path)).core_properties
    assert core.created.isoformat() == "2023-11-14T22:13:20+00:00"
    assert "of 14 November 2023" in dump_text(path.read_bytes())  # the long date of the language (CLDR)


def test_independent_readers_open_every_document(built_seed: Path) -> None:
    for path in docs(built_seed):
        d = docx.Document(str(path))
        assert d.paragraphs, path
        with docx2python(str(path)) as content:
            assert content.text.strip(), path


def test_no_template_tag_is_left_and_values_arrive_intact(built_seed: Path) -> None:
    for path in docs(built_seed):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    xml = z.read(name).decode("utf-8")
                    assert "{{" not in xml and "{%" not in xml, (path, name)
    fr = built_seed / "output" / "fr" / "computers" / "fr-computers-comprehensive-tender-issue.docx"
    text = dump_text(fr.read_bytes())
    assert 'Smith & Sons <EU> "Ltd" (the Contracting Authority)' in text
    assert docx.Document(str(fr)).core_properties.author == 'Smith & Sons <EU> "Ltd"'


def test_word_structure(built_seed: Path) -> None:
    for path in docs(built_seed):
        with zipfile.ZipFile(path) as z:
            document = z.read("word/document.xml").decode()
            settings = z.read("word/settings.xml").decode()
            header = z.read("word/header1.xml").decode()
            names = z.namelist()
        assert '<w:updateFields w:val="true"/>' in settings
        assert path.stem in header and "Version 2026.11" in header
        headings = re.findall(r'<w:pStyle w:val="Heading2"/>(.*?)</w:pPr>', document)
        assert headings and all("<w:numPr>" in h for h in headings), path
        assert 'TOC \\o "1-2"' in document
        assert re.search(r'w:fldCharType="begin" w:dirty="true"', document)
        assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
        heading_texts = re.findall(r'<w:pStyle w:val="Heading[12]"/>.*?<w:t xml:space="preserve">([^<]*)</w:t>', document)
        assert heading_texts and not [t for t in heading_texts if re.match(r"\d+(\.\d+)*\.?\s", t)], path  # no typed numbers


def test_custom_xml_part_equals_the_manifest_entry(built_seed: Path) -> None:
    for d in manifest(built_seed)["documents"]:
        root = custom_xml((built_seed / "output" / d["path"]).read_bytes())
        ns = {"t": "urn:tenderpack:document:1"}
        clauses = [{"id": c.get("id"), "version": int(c.get("version"))} for c in root.findall("t:clauses/t:clause", ns)]
        assert clauses == d["clauses"]
        chain = [p.get("id") for p in root.findall("t:chain/t:profile", ns)]
        assert chain == d["chain"]


def test_questionnaire_controls_match_the_questions(built_seed: Path) -> None:
    path = built_seed / "output" / "fr" / "computers" / "fr-computers-comprehensive-questionnaire-issue.docx"
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    tags = re.findall(r'<w:tag w:val="([^"]+)"/>', xml)
    assert len(tags) == len(set(tags))
    root = custom_xml(path.read_bytes())
    ns = {"t": "urn:tenderpack:document:1"}
    questions = [q.get("id") for q in root.findall("t:questionnaire/t:question", ns)]
    answers = [t for t in tags if not t.startswith(("supplier.", "fill:")) and not t.endswith(".evidence")]
    assert answers == questions
    assert "w14:checkbox" not in xml and "w:dropDownList" in xml and "<w:date>" in xml  # yes or no is a drop-down
    ids = re.findall(r'<w:id w:val="(\d+)"/>', xml)
    assert len(ids) == len(set(ids)) == len(tags)


@pytest.mark.parametrize("edition", ["drafting", "issue"])
def test_editions(built_seed: Path, edition: str) -> None:
    text = dump_text((built_seed / "output" / "eu" / "end-of-life" / f"eu-end-of-life-core-annex-{edition}.docx").read_bytes())
    has_guidance = "Guidance for the buyer" in text
    has_flag = "Directive 2012/19/EU (WEEE) [not verified]" in text
    assert has_guidance == (edition == "drafting")
    assert has_flag == (edition == "drafting")
    assert ("Parameters chosen for this edition" in text) == (edition == "drafting")
