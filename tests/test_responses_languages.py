"""Questionnaires in French and German (and the parser of Portuguese and Spanish numbers): answer fields
in the document's language, answers typed with the local decimal comma and local yes and no, read back
exactly, as Word and as LibreOffice save them."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import make_project
from lxml import etree
from test_responses import controls_by_tag, document_text, fill_like_word, libreoffice_resave, q

from tenderpack.cli import main
from tenderpack.responses import parse_number
from tenderpack.responses.validate import Printed, convert
from tenderpack.word.controls import ControlInfo

NNBSP, NBSP = "\u202f", "\u00a0"
PROFILES = {
    "gallia": ("fr", "France (a test profile written in French)"),
    "germania": ("de", "Germany (a test profile written in German)"),
}
OPTIONS = ("options: [{en: Clear, fr: Effacement, de: Löschen}, {en: Purge, fr: Purge, de: Bereinigung}, "
           "{en: Destroy, fr: Destruction, de: Vernichtung}]")  # fmt: skip


@pytest.fixture(scope="module")
def local_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project with a French and a German profile (and translated options of one question), their
    core questionnaires built."""
    root = make_project(tmp_path_factory.mktemp("languages") / "project")
    for pid, (lang, name) in PROFILES.items():
        (root / "profiles" / f"{pid}.yaml").write_text(
            f"id: {pid}\nname: {name}\nextends: eu\nlanguage: {lang}\nauthority:\n  name: Test authority\n", encoding="utf-8"
        )
    clause = root / "clauses" / "core" / "cpc.data-sanitisation.yaml"
    text = clause.read_text(encoding="utf-8")
    text = text.replace("options: [Clear, Purge, Destroy]", OPTIONS)
    text = text.replace("status: approved\n", "status: approved\ntranslations: {fr: {version: 1, status: draft}, de: {version: 1, status: draft}}\n")
    clause.write_text(text, encoding="utf-8")
    library = root / "clauses" / "library.yaml"
    years = ("years: {name: {en: years, fr: ans, de: Jahre}, translations: {fr: {version: 1, status: draft}, "
             "de: {version: 1, status: draft}}, doc: Periods of twelve calendar months.}")  # fmt: skip
    library.write_text(library.read_text(encoding="utf-8").replace("years: {name: years, doc: Periods of twelve calendar months.}", years), encoding="utf-8")
    args = ["build", "--project", str(root), "--profile", "gallia", "--profile", "germania", "--category", "computers",
            "--kind", "questionnaire", "--level", "core", "--edition", "issue", "--jobs", "1"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return root


def blank(root: Path, pid: str) -> bytes:
    return (root / f"output/{pid}/computers/{pid}-computers-core-questionnaire-issue.docx").read_bytes()


SUPPLIER = {"supplier.name": "Société Durable SAS", "supplier.contact": "Jeanne Roux", "supplier.email": "jr@durable.test",
            "supplier.date": "2026-12-01"}  # fmt: skip
TYPED = {
    "fr": {
        "ems-certified": True, "ems-certified.evidence": "Certificat ISO 14001 n° 123",
        "battery-cycles": f"1{NBSP}000", "battery-cycles.evidence": "rapport-61960.pdf",
        "repair-manual": False,
        "lcc-total": f"12{NNBSP}500,50 €",
        "warranty-years": "4 ans",
        "warranty-level": "Next business day on site",  # an option without a translation shows its English
        "spare-parts-years": "6",
        "sanitisation-method": "Destroy",
        "takeback-reuse-share": f"45,5{NNBSP}%",
        "takeback-report-date": "2026-06-30",
    },
    "de": {
        "ems-certified": True, "ems-certified.evidence": "ISO-14001-Zertifikat Nr. 123",
        "battery-cycles": "1.000", "battery-cycles.evidence": "bericht-61960.pdf",
        "repair-manual": False,
        "lcc-total": "12.500,50 EUR",
        "warranty-years": "4 Jahre",
        "warranty-level": "Return to base",
        "spare-parts-years": "6",
        "sanitisation-method": "Destroy",
        "takeback-reuse-share": "45,5 %",
        "takeback-report-date": "2026-06-30",
    },
}  # fmt: skip
EXPECTED = {
    "ems-certified": True,
    "battery-cycles": 1000,
    "repair-manual": False,
    "lcc-total": 12500.5,
    "warranty-years": 4,
    "spare-parts-years": 6,
    "sanitisation-method": "Destroy",  # the option's id, whatever the label shown
    "takeback-reuse-share": 45.5,
    "takeback-report-date": "2026-06-30",
}
LEVEL = {"fr": "Next business day on site", "de": "Return to base"}
SHOWN = {"fr": ("Oui", "Non", "Destruction"), "de": ("Ja", "Nein", "Vernichtung")}


@pytest.fixture
def read(cli: Callable[..., Result], local_built: Path, tmp_path: Path) -> Callable[..., tuple[Result, Any]]:
    def run(*files: Path, expect: int = 0) -> tuple[Result, Any]:
        out = tmp_path / "answers.json"
        out.unlink(missing_ok=True)
        result = cli("responses", "read", "--project", local_built, *files, "--out", out, expect=expect)
        assert result.exit_code == expect, result.output
        return result, json.loads(out.read_text(encoding="utf-8")) if out.exists() else None

    return run


def answers(response: dict[str, Any]) -> dict[str, Any]:
    return {qid: a["value"] for qid, a in response["answers"].items() if qid in EXPECTED}


def dropdown_items(data: bytes, tag: str) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    sdt = controls_by_tag(root)[tag]
    return [(i.get(q("displayText")), i.get(q("value"))) for i in sdt.iter(q("listItem"))]


@pytest.mark.parametrize(("pid", "lang"), [("gallia", "fr"), ("germania", "de")])
def test_answer_fields_are_in_the_questionnaires_language(local_built: Path, pid: str, lang: str) -> None:
    data = blank(local_built, pid)
    yes, no, destroy = SHOWN[lang]
    choose = {"fr": "Choisissez une réponse.", "de": "Wählen Sie eine Antwort."}[lang]
    assert dropdown_items(data, "ems-certified") == [(choose, ""), (yes, "yes"), (no, "no")]
    assert dropdown_items(data, "sanitisation-method")[-1] == (destroy, "Destroy")
    text = document_text(data)
    assert {"fr": "Réf.\nQuestion\nRéponse\nJustificatif", "de": "Nr.\nFrage\nAntwort\nNachweis"}[lang] in text
    assert {"fr": "Dénomination du Soumissionnaire", "de": "Name des Bieters"}[lang] in text
    for english in ("Choose an item.", "Organisation name", "Enter a number.", "Click or tap here to enter text."):
        assert english not in text


@pytest.mark.parametrize(("pid", "lang"), [("gallia", "fr"), ("germania", "de")])
def test_local_answers_read_back_exactly(local_built: Path, tmp_path: Path, read: Any, pid: str, lang: str) -> None:
    path = tmp_path / f"{pid}.docx"
    path.write_bytes(fill_like_word(blank(local_built, pid), {**SUPPLIER, **TYPED[lang]}))
    result, data = read(path)
    [resp] = data["responses"]
    assert answers(resp) == EXPECTED and resp["answers"]["warranty-level"]["value"] == LEVEL[lang]
    assert resp["answers"]["sanitisation-method"]["text"] == SHOWN[lang][2]
    assert resp["answers"]["ems-certified"]["text"] == SHOWN[lang][0]
    assert resp["supplier"] == {"name": "Société Durable SAS", "contact": "Jeanne Roux", "email": "jr@durable.test",
                                "date": "2026-12-01"}  # fmt: skip
    assert {a["matched_by"] for a in resp["answers"].values()} == {"tag"}
    assert {k: a["problems"] for k, a in resp["answers"].items() if a["problems"]} == {}
    assert "Warning" not in result.stderr


def test_after_libreoffice_resave(local_built: Path, tmp_path: Path, read: Any) -> None:
    """LibreOffice 7.4 drops the tags, the drop-downs' alias and lastValue and the placeholder flag; the
    French and German answers are still read exactly (item values, printed ids, the identity's words)."""
    src = tmp_path / "src"
    src.mkdir()
    for pid, lang in (("gallia", "fr"), ("germania", "de")):
        (src / f"{pid}.docx").write_bytes(fill_like_word(blank(local_built, pid), {**SUPPLIER, **TYPED[lang]}))
        (src / f"{pid}-empty.docx").write_bytes(blank(local_built, pid))
    names = ["gallia.docx", "germania.docx", "gallia-empty.docx", "germania-empty.docx"]
    saved = libreoffice_resave([src / n for n in names], tmp_path / "lo", tmp_path / "lo-profile")
    with zipfile.ZipFile(saved[0]) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<w:tag " not in xml and "w:lastValue" not in xml, "LibreOffice kept tags: this test no longer covers the fallback"
    _result, data = read(*saved[:2])
    for resp in data["responses"]:
        assert answers(resp) == EXPECTED, resp["file"]
        assert resp["supplier"]["name"] == "Société Durable SAS" and resp["supplier"]["date"] == "2026-12-01"
        assert {k: a["problems"] for k, a in resp["answers"].items() if a["problems"]} == {}
    _result, data = read(*saved[2:])
    for resp in data["responses"]:  # the grey texts of the empty fields, in French and German, are no answer
        assert all(a["value"] is None and a["evidence"] is None for a in resp["answers"].values()), resp["file"]
        assert resp["supplier"] == {"name": "", "contact": "", "email": "", "date": ""}


def test_a_number_not_written_the_french_way_is_reported(local_built: Path, tmp_path: Path, read: Any) -> None:
    path = tmp_path / "bad.docx"
    typed = {**TYPED["fr"], "lcc-total": "12,500.50", "battery-cycles": "1.000"}
    path.write_bytes(fill_like_word(blank(local_built, "gallia"), {**SUPPLIER, **typed}))
    result, data = read(path)
    [resp] = data["responses"]
    lcc, cycles = resp["answers"]["lcc-total"], resp["answers"]["battery-cycles"]
    assert lcc["value"] is None and cycles["value"] is None
    lines = result.stderr.splitlines()
    assert f"Warning: {path}: {lcc['ref']} lcc-total: '12,500.50' is not a number as French writes it (for example 1{NNBSP}500,5)" in lines
    assert f"Warning: {path}: {cycles['ref']} battery-cycles: '1.000' is not a number as French writes it (for example 1{NNBSP}500,5)" in lines


def test_score_french_questionnaires(local_built: Path, tmp_path: Path, cli: Callable[..., Result]) -> None:
    good, weak = tmp_path / "durable.docx", tmp_path / "faible.docx"
    data = blank(local_built, "gallia")
    good.write_bytes(fill_like_word(data, {**SUPPLIER, **TYPED["fr"]}))
    weak.write_bytes(fill_like_word(data, {**SUPPLIER, "supplier.name": "Faible SARL", **TYPED["fr"],
                                           "sanitisation-method": "Clear", "takeback-reuse-share": "10 %"}))  # fmt: skip
    out = tmp_path / "evaluation"
    result = cli("responses", "score", "--project", local_built, "--profile", "gallia", "--category", "computers",
                 str(good), str(weak), "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    ranking = (out / "gallia-computers-core-ranking.csv").read_text(encoding="utf-8").splitlines()
    assert ranking[1].split(",")[1] == "Société Durable SAS" and ranking[2].split(",")[1] == "Faible SARL"
    report = document_text((out / "gallia-computers-core-evaluation.docx").read_bytes())
    assert "Réf.\nRéponse\nJustificatif\nPoints" in report  # the report's headings in French
    assert "Destruction" in report and "45,5 %" in report.replace(NNBSP, " ").replace(NBSP, " ")
    assert "12 500,50 €" in report.replace(NNBSP, " ").replace(NBSP, " ")  # CLDR currency


# ------------------------------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1,5", "fr", 1.5), (f"1{NNBSP}500,5", "fr", 1500.5), (f"1{NBSP}500,5", "fr", 1500.5), ("1 500,5", "fr", 1500.5),
        ("1\u2009500,5", "fr", 1500.5), ("-2,5", "fr", -2.5), ("\u22122,5", "fr", -2.5), ("1 000 000", "fr", 1000000),
        ("1.500,5", "de", 1500.5), ("1.500", "de", 1500), ("1,5", "de", 1.5), (f"1{NNBSP}500,5", "de", 1500.5),
        ("1.000.000", "de", 1000000), ("-1.500,25", "de", -1500.25),
        ("1.500,5", "pt-BR", 1500.5), ("1.500", "pt-BR", 1500), ("R$ 1.500,00", "pt-BR", 1500), ("0,75", "pt", 0.75),
        ("1.500,5", "es", 1500.5), ("1500,00 €", "es", 1500), ("1.500", "es", 1500),
        ("1.500", "en", 1.5), ("1,500.5", "en", 1500.5),
    ],
)  # fmt: skip
def test_numbers_as_each_language_writes_them(text: str, lang: str, expected: float) -> None:
    assert parse_number(text, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [("1,500.5", "fr"), ("1.500", "fr"), ("1.5", "fr"), ("1 50,5", "fr"), (",5", "fr"), ("1,5,5", "fr"), ("1,5 %", "fr"),
     ("1.5", "de"), ("1,500.5", "de"), ("1.500 000", "de"), ("1.50,5", "de"), ("--1", "de"), ("1,5e3", "de"),
     ("1.5", "pt-BR"), ("1,500.5", "es"), ("nan", "es"), ("", "fr"), ("1,500", "en")],
)  # fmt: skip
def test_numbers_a_language_does_not_write_are_refused(text: str, lang: str) -> None:
    with pytest.raises(ValueError, match=r"not a number|ambiguous"):
        parse_number(text, lang=lang)


def test_percent_units_and_currency_in_each_language() -> None:
    assert parse_number(f"80{NNBSP}%", percent=True, lang="fr") == 80
    assert parse_number("80 %", percent=True, lang="de") == 80
    assert parse_number("80%", percent=True, lang="pt-BR") == 80
    assert parse_number("4 ans", "years", lang="fr", units=["ans"]) == 4
    assert parse_number("4 Jahre", "years", lang="de", units=["Jahre"]) == 4
    assert parse_number("4 años", "years", lang="es", units=["años"]) == 4
    assert parse_number(f"1{NNBSP}500,00{NBSP}€", "currency", lang="fr") == 1500
    with pytest.raises(ValueError):
        parse_number("80 %", lang="fr")  # a percent sign only where the answer is a percentage


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [("Oui", "fr", True), ("non", "fr", False), ("Ja", "de", True), ("Nein", "de", False), ("Sim", "pt-BR", True),
     ("Não", "pt-BR", False), ("Sí", "es", True), ("No", "es", False)],
)  # fmt: skip
def test_local_yes_and_no_typed_as_text(text: str, lang: str, value: bool) -> None:
    """A word processor that turned the drop-down into plain text keeps only the word shown."""
    words = {"fr": ("Oui", "Non"), "de": ("Ja", "Nein"), "pt-BR": ("Sim", "Não"), "es": ("Sí", "No")}[lang]
    printed = Printed({"yes": words[0], "no": words[1]}, lang)
    question = {"id": "q", "type": "yes-no", "options": [], "unit": None}
    assert convert(question, ControlInfo(0, "richtext", None, None, text), printed) is value
    with pytest.raises(ValueError, match=f"is not {words[0]} or {words[1]}"):
        convert(question, ControlInfo(0, "richtext", None, None, "peut-être"), printed)


def test_translated_option_typed_as_text_is_read_as_its_id() -> None:
    printed = Printed({"options": {"q": {"Destroy": "Destrucción", "Clear": "Borrado"}}}, "es")
    question = {"id": "q", "type": "choice", "options": ["Clear", "Purge", "Destroy"], "unit": None}
    assert convert(question, ControlInfo(0, "richtext", None, None, "destrucción"), printed) == "Destroy"
    assert convert(question, ControlInfo(0, "richtext", None, None, "Purge"), printed) == "Purge"
    with pytest.raises(ValueError, match=r"'Quemar' is not one of the options \(Borrado; Purge; Destrucción\)"):
        convert(question, ControlInfo(0, "richtext", None, None, "Quemar"), printed)


def test_an_option_translated_through_xliff(project: Path, cli: Callable[..., Result], tmp_path: Path) -> None:
    """An answer option is a unit of the export; the import turns the plain option into a text per language."""
    from tenderpack.errors import Collector
    from tenderpack.project import load_project
    from tenderpack.translations import missing_fields, records
    from tenderpack.xliff import read as read_xliff

    xlf = tmp_path / "fr.xlf"
    cli("translations", "export", "--project", project, "--lang", "fr", "-o", xlf, expect=0)
    store = read_xliff(xlf)
    [unit] = [u for u in store.units if u.getid() == "cpc.data-sanitisation:questions.sanitisation-method.options.2"]
    assert unit.source == "Destroy"
    unit.target = "Destruction"
    xlf.write_bytes(bytes(store))
    cli("translations", "import", "--project", project, xlf, expect=0)
    text = (project / "clauses" / "core" / "cpc.data-sanitisation.yaml").read_text(encoding="utf-8")
    assert "options: [Clear, Purge, {en: Destroy, fr: Destruction}]" in text
    assert "points: {Clear: 0, Purge: 1, Destroy: 0.5}" in text  # the option's id is unchanged
    loaded = load_project(project, Collector(project))
    [record] = [r for r in records(loaded) if r.id == "cpc.data-sanitisation"]
    options = [f for f in record.fields if ".options." in f.name]
    assert [(f.name, f.text) for f in options][2] == ("questions.sanitisation-method.options.2", {"en": "Destroy", "fr": "Destruction"})
    assert not any(".options." in name for name in missing_fields(record, "fr"))  # untranslated options are shown as written


@pytest.mark.parametrize(
    ("lang", "currency", "amount", "name"),
    [("fr", "EUR", f"1{NNBSP}500,00{NBSP}€", "euros"), ("de", "EUR", f"1.500,00{NBSP}€", "Euro"),
     ("pt-BR", "BRL", f"R${NBSP}1.500,00", "Reais brasileiros"), ("es", "EUR", f"1.500,00{NBSP}€", "euros"),
     ("en", "EUR", "€1,500.00", "euros")],
)  # fmt: skip
def test_amounts_and_currency_names_in_each_language(lang: str, currency: str, amount: str, name: str) -> None:
    """CLDR forms (Babel); each reads back as the same amount in a questionnaire of that language."""
    from tenderpack.text import currency_name, format_money

    assert format_money(1500, currency, lang) == amount
    assert parse_number(amount, "currency", lang=lang) == 1500  # what the report prints reads back
    assert currency_name(currency, lang) == name
