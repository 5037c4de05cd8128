"""Translations (issue 13): status and staleness, the English fallback box, XLIFF round trip, CLDR formats,
the manifest's language, alignment of two language versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO, write
from translate.storage.xliff2 import Xliff2File

from tenderpack.pipeline import load_checked
from tenderpack.terms import all_names
from tenderpack.text import format_date, format_percent, format_value
from tenderpack.translations import check_alignment, records, status
from tenderpack.word.inspect import dump_text
from tenderpack.yamledit import round_trips

REPAIR = "clauses/core/ts.repair.yaml"
FRENCH_REPAIR = """\
# Design for repair: French translated by the legal team (comment kept by imports)
id: ts.repair
title:
  en: Design for repair
  fr: Conception en vue de la réparation
  de: Reparaturgerechte Gestaltung
version: 1
status: approved
translations: {fr: {version: 1, status: reviewed}, de: {version: 1, status: draft}}
type: technical-specification
stage: solicitation
level: core
categories: [computers, mobile-devices]
text:
  en: |
    The {{ Contractor }} shall ensure that the following parts can be replaced with commonly available tools:

    1. the battery;
    2. the display;
    3. the keyboard, where fitted.

    The service manual shall be available free of charge.
  fr: |
    Le Titulaire garantit que les pièces suivantes peuvent être remplacées avec des outils courants :

    1. la batterie ;
    2. l'écran ;
    3. le clavier, le cas échéant.

    Le manuel de maintenance est mis à disposition gratuitement.
  de: |
    Der Auftragnehmer stellt sicher, dass die folgenden Teile mit handelsüblichem Werkzeug ausgetauscht werden können:

    1. der Akku;
    2. das Display;
    3. die Tastatur, sofern vorhanden.

    Das Wartungshandbuch ist kostenlos verfügbar.
verification:
  en: The {{ tenderer }} gives the link to the service manual.
  fr: Le soumissionnaire indique le lien vers le manuel de maintenance.
  de: Der Bieter gibt den Link zum Wartungshandbuch an.
guidance:
  en: Ask for a demonstration when in doubt.
  fr: En cas de doute, demandez une démonstration.
  de: Verlangen Sie im Zweifel eine Vorführung.
references: [eu-gpp-computers-2021]
questions:
  - id: repair-manual
    text:
      en: Is the service manual freely available online?
      fr: Le manuel de maintenance est-il librement accessible en ligne ?
      de: Ist das Wartungshandbuch frei online verfügbar?
    answer: {type: yes-no}
    evidence:
      en: Link to the manual.
      fr: Lien vers le manuel.
      de: Link zum Handbuch.
    scoring: {rule: yes-no, criterion: circularity}
"""


@pytest.fixture
def french(project: Path) -> Path:
    """The seed project with its fr profile in French, a German profile, and ts.repair translated into both."""
    write(project / REPAIR, FRENCH_REPAIR)
    fr = project / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("jurisdiction: France\n", "jurisdiction: France\nlanguage: fr\n"), encoding="utf-8")
    write(project / "profiles" / "de.yaml", "id: de\nname: Deutschland\nextends: eu\nlanguage: de\njurisdiction: Deutschland\n")
    return project


def line_of(path: Path, start: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def matrix(cli, project: Path) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    result = cli("list", "translations", "--project", project, "--format", "json", expect=0)
    return {row["id"]: row for row in json.loads(result.stdout)}


# ------------------------------------------------------------------------------------------ status


def test_list_translations_shows_each_record_and_language(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    rows = matrix(cli, french)
    # pt and es: the strings of the questionnaire's answer fields are translated into them
    assert rows["ts.repair"] == {"id": "ts.repair", "kind": "clause", "version": "1", "de": "draft", "es": "missing",
                                 "fr": "reviewed", "pt": "missing"}  # fmt: skip
    assert rows["cpc.spare-parts"]["fr"] == "missing"
    assert rows["strings.toc.title"] == {"id": "strings.toc.title", "kind": "strings", "version": "1", "de": "missing",
                                         "es": "missing", "fr": "draft", "pt": "missing"}  # fmt: skip
    assert rows["strings.answer.yes"] == {"id": "strings.answer.yes", "kind": "strings", "version": "1", "de": "draft",
                                          "es": "draft", "fr": "draft", "pt": "draft"}  # fmt: skip
    table = cli("list", "translations", "--project", french, expect=0).stdout.splitlines()
    assert table[0].split() == ["id", "kind", "version", "de", "es", "fr", "pt"]
    assert "ts.repair clause 1 draft missing reviewed missing" in [" ".join(line.split()) for line in table]


def test_a_version_bump_makes_the_translations_stale_and_strict_check_names_clause_and_languages(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = french / REPAIR
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 1\n", "version: 2\n").replace("The service manual shall be available free of charge.", "The service manual shall be published free of charge."), encoding="utf-8")  # fmt: skip
    stale = (
        f"{REPAIR}:{line_of(path, 'translations:')}: translations: ts.repair: the de, fr translations are stale "
        "(de v1, fr v1; the English is at v2): the documents print the English until it is translated again"
    )
    assert f"Warning: {stale}" in cli("check", "--project", french, expect=0).stderr.splitlines()
    result = cli("check", "--project", french, "--strict", expect=1)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"Warning: {stale}" in lines  # --strict prints the warnings as they are, then refuses
    assert lines[-1].startswith("Error: ") and lines[-1].endswith(" problems found.")  # check never writes
    assert matrix(cli, french)["ts.repair"]["fr"] == "stale"
    assert cli("build", "--project", french, "--edition", "issue", "--strict", "--out", french / "o", expect=1).exit_code == 1
    assert not (french / "o").exists()


def test_missing_translations_are_one_warning_per_profile_and_language(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    lines = cli("check", "--project", french, expect=0).stderr.splitlines()
    fr = [line for line in lines if line.startswith(f"Warning: profiles/fr.yaml:{line_of(french / 'profiles/fr.yaml', 'language:')}: language: ")]
    assert len(fr) == 1
    assert "have no 'fr' translation (" in fr[0] and "the documents print the English there" in fr[0]
    assert cli("check", "--project", french, "--strict", expect=1).exit_code == 1


# ------------------------------------------------------------------------------------------ documents


def build(cli, project: Path, *args: str) -> Path:  # type: ignore[no-untyped-def]
    out = project / "output"
    cli("build", "--project", project, "--out", out, "--profile", "fr", "--category", "computers", "--level", "core", *args, expect=0)
    return out


def test_french_documents_use_the_translation_and_french_words(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = build(cli, french, "--kind", "tender")
    issue = dump_text((out / "fr/computers/fr-computers-core-tender-issue.docx").read_bytes())
    assert "Heading2: 3.1 Conception en vue de la réparation" in issue or "Conception en vue de la réparation" in issue
    assert "Le Titulaire garantit que les pièces suivantes" in issue
    assert "The Contractor shall ensure that the following parts" not in issue
    assert "CoverText: Référence de la consultation : " in issue and "CoverText: Niveau d'ambition : Niveau essentiel" in issue
    assert "23 novembre 2026" in issue and "Version de publication" in issue
    assert "Texte anglais reproduit" not in issue  # the issue edition never shows the box


def test_the_drafting_edition_shows_the_english_in_a_marked_box_where_the_translation_is_stale(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = french / REPAIR
    path.write_text(path.read_text(encoding="utf-8").replace("version: 1\n", "version: 2\n"), encoding="utf-8")
    out = build(cli, french, "--kind", "tender")
    drafting = dump_text((out / "fr/computers/fr-computers-core-tender-drafting.docx").read_bytes())
    box = (
        "Guidance: Texte anglais reproduit\n"
        "Guidance: La traduction de ce texte (texte de la clause) correspond à la version 1 du texte anglais, qui en est à la "
        "version 2 : le texte anglais en vigueur ci-dessous s'applique.\n"
        "Guidance: The Contractor shall ensure that the following parts can be replaced with commonly available tools:"
    )
    assert box in drafting
    assert "Le Titulaire garantit" not in drafting
    issue = dump_text((out / "fr/computers/fr-computers-core-tender-issue.docx").read_bytes())
    assert "The Contractor shall ensure that the following parts" in issue and "Texte anglais reproduit" not in issue


def test_the_manifest_names_each_documents_language(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = build(cli, french, "--kind", "annex")
    docs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert {(d["path"], d["language"]) for d in docs} == {
        ("fr/computers/fr-computers-core-annex-drafting.docx", "fr"),
        ("fr/computers/fr-computers-core-annex-issue.docx", "fr"),
    }


def test_a_profile_of_two_languages_builds_a_folder_per_language(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fr = french / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("language: fr\n", "language: fr\nlanguages: [fr, en]\n"), encoding="utf-8")
    out = build(cli, french, "--kind", "annex", "--edition", "issue")
    docs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert sorted((d["path"], d["language"]) for d in docs) == [
        ("fr/computers/en/fr-computers-core-annex-issue.docx", "en"),
        ("fr/computers/fr/fr-computers-core-annex-issue.docx", "fr"),
    ]
    english = dump_text((out / "fr/computers/en/fr-computers-core-annex-issue.docx").read_bytes())
    assert "CoverText: Tender reference: " in english and "CoverText: Ambition: Core level" in english


def test_languages_must_include_the_main_language(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fr = french / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("language: fr\n", "language: fr\nlanguages: [en, de]\n"), encoding="utf-8")
    result = cli("check", "--project", french, expect=1)
    assert result.stderr.splitlines()[0] == (
        f"Error: profiles/fr.yaml:{line_of(fr, 'languages:')}: languages: "
        "en, de: the list must include the main language 'fr' (key 'language')"
    )


# ------------------------------------------------------------------------------------------ locale formats


@pytest.mark.parametrize(
    ("lang", "number", "percent", "date", "flag"),
    [
        ("fr", "1\u202f500,5", "80\u00a0%", "23 novembre 2026", "oui"),
        ("de", "1.500,5", "80\u00a0%", "23. November 2026", "ja"),
        ("en", "1,500.5", "80%", "23 November 2026", "yes"),
        ("en-US", "1,500.5", "80%", "November 23, 2026", "yes"),
    ],
)
def test_values_follow_the_language_of_the_document(lang: str, number: str, percent: str, date: str, flag: str) -> None:
    assert format_value(1500.5, lang) == number
    assert format_value(5.0, lang) == "5"
    assert format_percent(80, lang) == percent
    assert format_date("2026-11-23", lang) == date
    assert format_value(True, lang) == flag


def test_units_and_table_headings_print_in_the_language_of_the_document(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    library = french / "clauses/library.yaml"
    library.write_text(library.read_text(encoding="utf-8").replace(
        "  years: {name: years, doc: Periods of twelve calendar months.}",
        "  years: {name: {en: years, fr: ans}, doc: Periods of twelve calendar months., translations: {fr: {version: 1, status: draft}}}",
    ), encoding="utf-8")  # fmt: skip
    out = build(cli, french, "--kind", "tender", "--edition", "drafting")
    drafting = dump_text((out / "fr/computers/fr-computers-core-tender-drafting.docx").read_bytes())
    assert "| Clause | Paramètre | Valeur | Fixé par |" in drafting
    assert "| ac.warranty | minimum | 2 ans | default |" in drafting


# ------------------------------------------------------------------------------------------ XLIFF


def test_xliff_round_trip_changes_only_the_edited_field_and_marks_it_draft(french: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = (french / REPAIR).read_text(encoding="utf-8")
    xlf = tmp_path / "fr.xlf"
    assert cli("translations", "export", "--project", french, "--lang", "fr", "-o", xlf, expect=0).stdout.startswith(f"wrote {xlf}: ")
    store = Xliff2File.parsefile(str(xlf))
    unit = next(u for u in store.units if u.getid() == "ts.repair:guidance")  # as a CAT tool would
    assert unit.source == "Ask for a demonstration when in doubt."
    assert "source-version" in xlf.read_text(encoding="utf-8")
    unit.settarget("En cas de doute, exigez une démonstration.", lang="fr")
    xlf.write_bytes(bytes(store))
    result = cli("translations", "import", "--project", french, xlf, expect=0)
    assert result.stdout.strip().endswith(f"1 records changed, marked draft ({REPAIR})")
    after = (french / REPAIR).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [
        ("translations: {fr: {version: 1, status: reviewed}, de: {version: 1, status: draft}}",
         "translations: {fr: {version: 1, status: draft}, de: {version: 1, status: draft}}"),
        ("  fr: En cas de doute, demandez une démonstration.", "  fr: En cas de doute, exigez une démonstration."),
    ]  # fmt: skip
    assert after.startswith("# Design for repair: French translated by the legal team (comment kept by imports)\n")
    assert matrix(cli, french)["ts.repair"]["fr"] == "draft"


def test_xliff_carries_expressions_and_markup_exactly_and_an_unchanged_import_writes_nothing(french: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tenderpack.pipeline import load_checked as load

    texts = {f.unit_id: f.text for rec in records(load(french).project) for f in rec.fields}
    xlf = tmp_path / "fr.xlf"
    cli("translations", "export", "--project", french, "--lang", "fr", "-o", xlf, expect=0)
    store = Xliff2File.parsefile(str(xlf))
    assert {u.getid(): u.source for u in store.units} == {uid: text["en"] for uid, text in texts.items()}
    assert store.findid("ts.repair:text").target == texts["ts.repair:text"]["fr"]  # lists, blank lines, expressions
    assert "{{ years }}" in store.findid("cpc.spare-parts:text").source
    before = {p: p.read_bytes() for p in (french / "clauses").rglob("*.yaml")}
    result = cli("translations", "import", "--project", french, xlf, expect=0)
    assert result.stdout.strip().endswith(": 0 records changed, marked draft")
    assert {p: p.read_bytes() for p in (french / "clauses").rglob("*.yaml")} == before


def test_import_refuses_a_translation_that_drops_an_expression_and_writes_nothing(project: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    xlf = tmp_path / "fr.xlf"
    cli("translations", "export", "--project", project, "--lang", "fr", "-o", xlf, expect=0)
    store = Xliff2File.parsefile(str(xlf))
    unit = next(u for u in store.units if u.getid() == "cpc.spare-parts:title")
    unit.settarget("Pièces détachées", lang="fr")
    broken = next(u for u in store.units if u.getid().startswith("cpc.spare-parts:questions.") and "{{" in u.source)
    broken.settarget("Pendant combien d'années ?", lang="fr")
    xlf.write_bytes(bytes(store))
    before = (project / "clauses/core/cpc.spare-parts.yaml").read_bytes()
    result = cli("translations", "import", "--project", project, xlf, expect=1)
    assert result.exit_code == 1
    assert f"Error: {xlf}: {broken.getid()}: the translation must keep the source's {{{{ }}}} and {{% %}} expressions unchanged (missing {{{{ years }}}})" in result.stderr.splitlines()
    assert (project / "clauses/core/cpc.spare-parts.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not xml at all", "not an XLIFF 2.0 file"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xliff version="2.0" '
         b'xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="fr"><file id="f"/></xliff>',
         "the file declares a DOCTYPE or entities, which an XLIFF file never needs; refused"),
        (b'<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file/></xliff>',
         "not an XLIFF 2.0 file"),
        (b'<?xml version="1.0"?><xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" '
         b'trgLang="../../etc"><file id="f"/></xliff>', "trgLang '../../etc' is not the code of a translation language"),
    ],
)
def test_a_malformed_or_hostile_xliff_is_one_error_and_changes_nothing(project: Path, cli, tmp_path: Path, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    xlf = write(tmp_path / "bad.xlf", "")
    xlf.write_bytes(content)
    before = {p: p.read_bytes() for p in (project / "clauses").rglob("*.yaml")}
    result = cli("translations", "import", "--project", project, xlf, expect=1)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {xlf}: ") and message in lines[0]
    assert {p: p.read_bytes() for p in (project / "clauses").rglob("*.yaml")} == before


def test_export_refuses_english_as_a_target(project: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("translations", "export", "--project", project, "--lang", "en", "-o", tmp_path / "x.xlf", expect=2)
    assert result.exit_code == 2
    assert "'en' is not the code of a translation language" in result.stderr


# ------------------------------------------------------------------------------------------ alignment


def test_check_reports_a_translation_whose_structure_differs_by_clause_and_field(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = french / REPAIR
    path.write_text(path.read_text(encoding="utf-8").replace("    3. le clavier, le cas échéant.\n", ""), encoding="utf-8")
    lines = cli("check", "--project", french, expect=0).stderr.splitlines()
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text == "text:")
    assert (
        f"Warning: {REPAIR}:{line}: translations: ts.repair: text: the fr translation is not aligned with the English: "
        "en has 2 paragraphs and 3 list items, fr has 2 paragraphs and 2 list items"
    ) in lines


def test_check_reports_a_translation_whose_numbers_differ(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = french / REPAIR
    path.write_text(path.read_text(encoding="utf-8").replace("  fr: Le soumissionnaire indique le lien", "  fr: Sous 10 jours, le soumissionnaire indique le lien"), encoding="utf-8")  # fmt: skip
    lines = cli("check", "--project", french, expect=0).stderr.splitlines()
    assert any(
        line.endswith("ts.repair: verification: the fr translation is not aligned with the English: the numbers differ (only in fr: 10)")
        for line in lines
    ), lines


# ------------------------------------------------------------------------------------------ shipped library


def test_every_shipped_yaml_file_round_trips_through_the_writer_byte_for_byte() -> None:
    assert [p.relative_to(REPO).as_posix() for p in sorted((REPO / "clauses").rglob("*.yaml")) if not round_trips(p)] == []


def test_every_shipped_clause_is_reviewed_in_four_languages_and_aligned_with_its_english() -> None:
    # the clause library was translated by lawyers of each language and read by a second (status reviewed);
    # every translation has the paragraphs, list items, expressions and numbers of its English
    checked = load_checked(REPO)
    recs = records(checked.project)
    terms = frozenset(all_names(checked.project.glossary.terms))
    for lang in ("fr", "de", "pt", "es"):
        assert [rec.id for rec in recs if rec.kind == "clause" and status(rec, lang) != "reviewed"] == [], lang
        assert [(rec.id, found) for rec in recs if (found := check_alignment(rec, lang, terms))] == [], lang


def test_the_spanish_profile_extends_eu_in_spanish_with_every_citation_marked_unverified() -> None:
    checked = load_checked(REPO)
    es = checked.resolved["es"]
    assert es.chain == ["itu", "eu", "es"] and es.profile.language == "es"
    legal = es.profile.legal
    assert sorted(legal) == ["award", "ewaste_epr", "ewaste_permit", "framework", "labels", "lcc", "performance", "selection", "specifications"]
    assert all(not c.verified and c.note and set(c.note) == set(c.text) == {"es"} for c in legal.values())
    es_text = {key: c.text["es"] for key, c in legal.items()}
    assert "artículo 127 de la Ley 9/2017" in es_text["labels"] and "artículo 148" in es_text["lcc"]
    assert "artículos 201 y 202" in es_text["performance"] and "artículos 145 y 146" in es_text["award"]


# ------------------------------------------------------------------------------------------ bilingual edition


def test_the_bilingual_edition_puts_each_text_in_two_columns_under_one_number(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fr = french / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("language: fr\n", "language: fr\nlanguages: [fr, en]\n"), encoding="utf-8")
    out = build(cli, french, "--kind", "tender", "--edition", "bilingual")
    docs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert [(d["path"], d["language"]) for d in docs] == [("fr/computers/fr-computers-core-tender-bilingual.docx", ["fr", "en"])]
    lines = dump_text((out / docs[0]["path"]).read_bytes()).splitlines()
    at = lines.index("Heading2: 5.2 Conception en vue de la réparation / Design for repair")
    assert lines[at + 1] == "| Français | English |"
    left, right = lines[at + 2].strip("| ").split(" | ")
    assert left.startswith("Le Titulaire garantit que les pièces suivantes") and "1. la batterie ;" in left
    assert right.startswith("The Contractor shall ensure that the following parts") and "1. the battery;" in right
    headings = [line for line in lines if line.startswith("Heading2: ")]
    tables = [i for i, line in enumerate(lines) if line == "| Français | English |"]
    assert len(tables) >= len(headings)  # every clause's text (and its verification) is one aligned row


def test_the_bilingual_edition_needs_two_languages(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = project / "output"
    result = cli("build", "--project", project, "--out", out, "--edition", "bilingual", expect=0)
    assert "Built 0 documents" in result.stdout


@pytest.mark.libreoffice
def test_the_bilingual_tender_opens_in_libreoffice_with_both_columns_side_by_side(french: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    from tenderpack.word.pdf import convert, libreoffice_problem

    if libreoffice_problem() or shutil.which("pdftotext") is None:
        pytest.skip(libreoffice_problem() or "poppler's pdftotext is not installed")
    fr = french / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("language: fr\n", "language: fr\nlanguages: [fr, en]\n"), encoding="utf-8")
    out = build(cli, french, "--kind", "tender", "--edition", "bilingual")
    pdf = tmp_path / "bilingual.pdf"
    convert([(out / "fr/computers/fr-computers-core-tender-bilingual.docx", pdf)])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    at = lines.index("5.2 Conception en vue de la réparation / Design for repair")  # the heading (the TOC line has dots)
    assert lines[at + 1] == "Français English"
    row = lines[at + 2]  # the first line of each column, on one line of the page
    assert row.startswith("Le Titulaire garantit") and "The Contractor shall ensure" in row


def test_the_evaluation_report_of_a_french_tender_is_in_french(french: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from test_responses import SUPPLIER, document_text, fill_like_word

    out = build(cli, french, "--kind", "questionnaire", "--edition", "issue")
    blank = (out / "fr/computers/fr-computers-core-questionnaire-issue.docx").read_bytes()
    filled = tmp_path / "alpha.docx"
    filled.write_bytes(fill_like_word(blank, {**SUPPLIER, "supplier.name": "Alpha", "repair-manual": True}))
    cli("responses", "score", "--project", french, filled, "--profile", "fr", "--category", "computers", "--out", tmp_path / "ev", expect=0)
    text = document_text((tmp_path / "ev" / "fr-computers-core-evaluation.docx").read_bytes())
    for expected in ["Rapport d'analyse des offres", "Synthèse", "Critères d'attribution et notation", "Rang",
                     "Soumissionnaire", "Conforme", "Résultat : ", "sans réponse", "Confidentiel"]:  # fmt: skip
        assert expected in text, expected
    assert "Evaluation report" not in text and "Summary" not in text
    assert re_search(r"\d+,\d\d sur \d+,\d\d", text)  # an answer's points, with the French decimal comma
    assert "non conforme — " in text and "Points à titre indicatif : " in text


def re_search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, text) is not None


# ------------------------------------------------------------------------------------------ choice labels


def test_a_choice_prints_its_label_in_the_document_language_and_compares_as_its_option() -> None:
    from tenderpack.text import Choice

    value = Choice("monthly", {"monthly": {"en": "monthly", "fr": "mensuelle", "pt": "mensal"}})
    assert value == "monthly" and hash(value) == hash("monthly")
    assert [format_value(value, lang) for lang in ("en", "fr", "pt-BR", "de")] == ["monthly", "mensuelle", "mensal", "monthly"]
    assert format_value(Choice("quarterly", value.labels), "fr") == "quarterly"  # an option without a label


def test_choice_labels_are_translated_with_the_clause_and_printed_in_french(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = french / REPAIR
    text = path.read_text(encoding="utf-8")
    text = text.replace("references: [eu-gpp-computers-2021]\n", """\
parameters:
  freq:
    type: choice
    options: [monthly, quarterly]
    labels:
      monthly: {en: monthly, fr: mensuelle, de: monatlich}
    default: monthly
    doc: How often the manual is updated.
references: [eu-gpp-computers-2021]
""")
    text = text.replace("    The service manual shall be available free of charge.\n",
                        "    The service manual shall be updated on a {{ freq }} basis{% if freq == 'monthly' %} at least{% endif %}.\n")  # fmt: skip
    text = text.replace("    Le manuel de maintenance est mis à disposition gratuitement.\n",
                        "    Le manuel de maintenance est mis à jour (périodicité : {{ freq }}){% if freq == 'monthly' %} au moins{% endif %}.\n")  # fmt: skip
    text = text.replace("    Das Wartungshandbuch ist kostenlos verfügbar.\n",
                        "    Das Wartungshandbuch wird {{ freq }}{% if freq == 'monthly' %} mindestens{% endif %} aktualisiert.\n")  # fmt: skip
    path.write_text(text, encoding="utf-8")
    recs = {rec.id: rec for rec in records(load_checked(french).project)}
    assert "parameters.freq.labels.monthly" in [f.name for f in recs["ts.repair"].fields]
    out = build(cli, french, "--kind", "tender")
    issue = dump_text((out / "fr/computers/fr-computers-core-tender-issue.docx").read_bytes())
    assert "mis à jour (périodicité : mensuelle) au moins." in issue
    cli("build", "--project", french, "--out", out, "--profile", "eu", "--category", "computers", "--level", "core",
        "--kind", "tender", "--edition", "issue", expect=0)  # fmt: skip
    eu = dump_text((out / "eu/computers/eu-computers-core-tender-issue.docx").read_bytes())
    assert "updated on a monthly basis at least." in eu


def test_a_label_for_an_option_that_does_not_exist_is_an_error(french: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = french / REPAIR
    path.write_text(path.read_text(encoding="utf-8").replace("references: [eu-gpp-computers-2021]\n", """\
parameters:
  freq:
    type: choice
    options: [monthly, quarterly]
    labels:
      weekly: {en: weekly, fr: hebdomadaire}
    default: monthly
    doc: How often.
references: [eu-gpp-computers-2021]
"""), encoding="utf-8")
    result = cli("check", "--project", french, expect=1)
    assert "parameters.freq.labels: 'weekly' is not one of the options: monthly, quarterly" in result.stdout + result.stderr


def test_a_reviewers_import_marks_the_units_it_carries_reviewed(french: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A reviewer opens the exported file, corrects one unit, approves the others, and imports it --status reviewed."""
    xlf = tmp_path / "fr.xlf"
    cli("translations", "export", "--project", french, "--lang", "fr", "-o", xlf, expect=0)
    store = Xliff2File.parsefile(str(xlf))
    for unit in list(store.units):
        if not unit.getid().startswith("ts.repair:"):
            store.removeunit(unit)  # the reviewer's file carries ts.repair only
    store.findid("ts.repair:guidance").settarget("En cas de doute, exigez une démonstration.", lang="fr")
    xlf.write_bytes(bytes(store))
    before = (french / REPAIR).read_text(encoding="utf-8")
    assert "translations: {fr: {version: 1, status: reviewed}" in before
    cli("translations", "import", "--project", french, xlf, expect=0)
    assert matrix(cli, french)["ts.repair"]["fr"] == "draft"  # a translator's import: draft
    result = cli("translations", "import", "--project", french, "--status", "reviewed", xlf, expect=0)
    assert result.stdout.strip().endswith(f"1 records changed, marked reviewed ({REPAIR})")
    statuses = matrix(cli, french)
    assert statuses["ts.repair"]["fr"] == "reviewed"
    assert statuses["ts.repair"]["de"] == "draft"  # another language is untouched
    assert "  fr: En cas de doute, exigez une démonstration." in (french / REPAIR).read_text(encoding="utf-8")
    wrong = cli("translations", "import", "--project", french, "--status", "approved", xlf, expect=2)
    assert "Invalid value for '--status': 'approved' is not one of 'draft', 'reviewed'." in wrong.stderr
