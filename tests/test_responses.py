"""`tenderpack responses`: read filled questionnaires back (as Word and LibreOffice save them), check
their identity, validate the answers, and score them."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from lxml import etree

from tenderpack.responses import Answer, parse_number, question_maxima, share

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
QUESTIONNAIRE = "output/itu/computers/itu-computers-core-questionnaire-issue.docx"


def q(tag: str, ns: str = W) -> str:
    return f"{{{ns}}}{tag}"


# ------------------------------------------------------------------------------------------ helpers


def rezip(data: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """Copy a .docx, passing each part through ``edit`` (None drops the part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            blob = edit(name, zin.read(name))
            if blob is not None:
                zout.writestr(name, blob)
    return out.getvalue()


def edit_document(data: bytes, change: Callable[[Any], None]) -> bytes:
    """Apply ``change`` to the parsed word/document.xml."""

    def edit(name: str, blob: bytes) -> bytes:
        if name != "word/document.xml":
            return blob
        root = etree.fromstring(blob)
        change(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return rezip(data, edit)


def controls_by_tag(root: Any) -> dict[str, Any]:
    out = {}
    for sdt in root.iter(q("sdt")):
        tag = sdt.find(f"{q('sdtPr')}/{q('tag')}")
        if tag is not None:
            out[tag.get(q("val"))] = sdt
    return out


def fill_like_word(data: bytes, answers: dict[str, Any]) -> bytes:
    """What Word writes when a supplier fills the controls: the placeholder flag goes, the runs are
    replaced by the answer, check boxes get w14:checked and the ☒ glyph, drop-downs (choices, yes or no)
    the chosen item's value as lastValue and its text, date pickers their w:fullDate."""

    def change(root: Any) -> None:
        for tag, sdt in controls_by_tag(root).items():
            if tag not in answers:
                continue
            value = answers[tag]
            pr, content = sdt.find(q("sdtPr")), sdt.find(q("sdtContent"))
            placeholder = pr.find(q("showingPlcHdr"))
            if placeholder is not None:
                pr.remove(placeholder)
            box = pr.find(q("checkbox", W14))
            if box is not None:
                box.find(q("checked", W14)).set(q("val", W14), "1" if value else "0")
                content.find(f".//{q('t')}").text = "\u2612" if value else "\u2610"
                continue
            listing = pr.find(q("dropDownList"))
            if listing is not None:  # Word keeps the chosen item's value and shows its text
                wanted = ("yes" if value else "no") if isinstance(value, bool) else str(value)
                items = [i for i in listing.iter(q("listItem")) if wanted in (i.get(q("value")), i.get(q("displayText")))]
                listing.set(q("lastValue"), items[0].get(q("value")) if items else wanted)
                value = items[0].get(q("displayText")) if items else wanted
            if pr.find(q("date")) is not None:
                pr.find(q("date")).set(q("fullDate"), f"{value}T00:00:00Z")
            for child in list(content):
                content.remove(child)
            run = etree.SubElement(content, q("r"))
            etree.SubElement(run, q("t")).text = str(value)

    return edit_document(data, change)


def libreoffice_resave(files: list[Path], out: Path, profile: Path) -> list[Path]:
    """Open and save each file as .docx in LibreOffice (what a supplier using LibreOffice returns)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
           "docx:MS Word 2007 XML", "--outdir", str(out), *map(str, files)]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    results = [out / f.name for f in files]
    assert all(p.is_file() for p in results)
    return results


def document_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return "\n".join("".join(p.itertext()) for p in root.iter(q("p")))


SUPPLIER = {"supplier.name": "ACME & Co <Ltd>", "supplier.contact": "Jane Roe", "supplier.email": "jane@acme.test",
            "supplier.date": "2026-12-01"}  # fmt: skip
FILLED = {
    **SUPPLIER,
    "ems-certified": True, "ems-certified.evidence": "ISO 14001 certificate 123, Bureau X",
    "battery-cycles": "1 000", "battery-cycles.evidence": "report-61960.pdf",
    "repair-manual": True, "repair-manual.evidence": "https://acme.test/manuals",
    "lcc-total": "12500.50",
    "warranty-years": "4",
    "warranty-level": "Next business day on site",
    "spare-parts-years": "6",
    "sanitisation-method": "Purge",
    "takeback-reuse-share": "45 %",
    "takeback-report-date": "2026-06-30",
}  # fmt: skip
EXPECTED = {
    "ems-certified": True,
    "battery-cycles": 1000,
    "repair-manual": True,
    "lcc-total": 12500.5,
    "warranty-years": 4,
    "warranty-level": "Next business day on site",
    "spare-parts-years": 6,
    "sanitisation-method": "Purge",
    "takeback-reuse-share": 45,
    "takeback-report-date": "2026-06-30",
}
EXPECTED_EVIDENCE = {
    "ems-certified": "ISO 14001 certificate 123, Bureau X",
    "battery-cycles": "report-61960.pdf",
    "repair-manual": "https://acme.test/manuals",
}


@pytest.fixture(scope="session")
def blank(built_seed: Path) -> bytes:
    return (built_seed / QUESTIONNAIRE).read_bytes()


@pytest.fixture
def read_json(cli: Callable[..., Result], built_seed: Path, tmp_path: Path) -> Callable[..., tuple[Result, Any]]:
    def run(*files: Path, expect: int = 0) -> tuple[Result, Any]:
        out = tmp_path / "answers.json"
        out.unlink(missing_ok=True)
        result = cli("responses", "read", "--project", built_seed, *files, "--out", out, expect=expect)
        assert result.exit_code == expect, result.output
        return result, json.loads(out.read_text(encoding="utf-8")) if out.exists() else None

    return run


def values(response: dict[str, Any]) -> dict[str, Any]:
    return {qid: a["value"] for qid, a in response["answers"].items()}


# ------------------------------------------------------------------------------------------ read


def test_read_returns_exactly_the_answers_filled_like_word(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    filled = tmp_path / "acme.docx"
    filled.write_bytes(fill_like_word(blank, FILLED))
    result, data = read_json(filled)
    [resp] = data["responses"]
    assert values(resp) == EXPECTED
    assert {k: a["evidence"] for k, a in resp["answers"].items() if a["evidence"]} == EXPECTED_EVIDENCE
    assert resp["supplier"] == {"name": "ACME & Co <Ltd>", "contact": "Jane Roe", "email": "jane@acme.test", "date": "2026-12-01"}
    assert {a["matched_by"] for a in resp["answers"].values()} == {"tag"}
    assert all(a["problems"] == [] for a in resp["answers"].values())
    assert resp["questionnaire"]["document"] == "itu-computers-core-questionnaire-issue"
    assert "Warning" not in result.stderr and "Error" not in result.stderr


def test_read_after_libreoffice_resave(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    """LibreOffice 7.4 drops every w:tag, the placeholder flag, and the alias and lastValue of drop-downs
    (keeping their items): the answers are still matched (alias, printed id), read by the item values, and
    placeholder text is never taken for an answer."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "acme.docx").write_bytes(fill_like_word(blank, FILLED))
    (src / "empty.docx").write_bytes(blank)
    filled, empty = libreoffice_resave([src / "acme.docx", src / "empty.docx"], tmp_path / "lo", tmp_path / "lo-profile")
    with zipfile.ZipFile(filled) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "<w:tag " not in xml, "LibreOffice kept the tags: this test no longer covers the fallback"

    _result, data = read_json(filled)
    [resp] = data["responses"]
    assert values(resp) == EXPECTED
    assert {k: a["evidence"] for k, a in resp["answers"].items() if a["evidence"]} == EXPECTED_EVIDENCE
    assert resp["supplier"]["name"] == "ACME & Co <Ltd>" and resp["supplier"]["date"] == "2026-12-01"
    assert {a["matched_by"] for a in resp["answers"].values()} <= {"alias", "row"}

    _result, data = read_json(empty)
    [resp] = data["responses"]
    assert values(resp) == {qid: None for qid in EXPECTED}  # an unanswered yes-or-no question is no answer, not "no"
    assert resp["supplier"] == {"name": "", "contact": "", "email": "", "date": ""}
    assert all(a["evidence"] is None for a in resp["answers"].values())


def test_unfilled_questionnaire_has_no_answers(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    path = tmp_path / "blank.docx"
    path.write_bytes(blank)
    result, data = read_json(path)
    [resp] = data["responses"]
    assert values(resp)["battery-cycles"] is None
    assert resp["answers"]["battery-cycles"]["problems"] == ["required answer is missing"]
    assert resp["answers"]["takeback-report-date"]["problems"] == []  # optional
    assert resp["warnings"] == ["the name of the tenderer is missing"]
    assert f"Warning: {path}: 4.1.1 battery-cycles: required answer is missing" in result.stderr


def test_every_answer_problem_is_reported(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    bad = {**SUPPLIER, "battery-cycles": "12.5", "lcc-total": "1,500", "warranty-years": "-1",
           "takeback-reuse-share": "150", "sanitisation-method": "Shred", "takeback-report-date": "31/12/2026",
           "spare-parts-years": "many", "ems-certified": True}  # fmt: skip
    path = tmp_path / "bad.docx"
    path.write_bytes(fill_like_word(blank, bad))
    result, data = read_json(path)
    problems = {qid: a["problems"] for qid, a in data["responses"][0]["answers"].items()}
    assert problems == {
        "ems-certified": ["no evidence referenced"],
        "battery-cycles": ["'12.5' is not a whole number"],
        "repair-manual": ["required answer is missing"],  # an unanswered yes or no is not "no"
        "lcc-total": ["'1,500' is ambiguous: write 1500 or 1.5"],
        "warranty-years": ["-1 is below the minimum 0 years"],
        "warranty-level": [],
        "spare-parts-years": ["'many' is not a number"],
        "sanitisation-method": ["'Shred' is not one of the options (Clear; Purge; Destroy)"],
        "takeback-reuse-share": ["150 is above the maximum 100 %"],
        "takeback-report-date": ["'31/12/2026' is not a date written YYYY-MM-DD"],
    }
    assert result.stderr.count("Warning: ") == 9


def test_csv_output(blank: bytes, tmp_path: Path, cli: Callable[..., Result], built_seed: Path) -> None:
    path = tmp_path / "acme.docx"
    path.write_bytes(fill_like_word(blank, FILLED))
    result = cli("responses", "read", "--project", built_seed, path, "--format", "csv", expect=0)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["question"] for r in rows] == list(EXPECTED)
    assert rows[1]["value"] == "1000" and rows[1]["evidence"] == "report-61960.pdf"
    assert rows[0]["tenderer"] == "ACME & Co <Ltd>"


# ------------------------------------------------------------------------------------------ matching fallbacks


def strip(*names: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        for sdt in root.iter(q("sdt")):
            pr = sdt.find(q("sdtPr"))
            for name in names:
                el = pr.find(q(name))
                if el is not None:
                    pr.remove(el)

    return change


def test_matched_by_printed_id_without_tag_and_alias(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    path = tmp_path / "row.docx"
    path.write_bytes(edit_document(fill_like_word(blank, FILLED), strip("tag", "alias")))
    _result, data = read_json(path)
    [resp] = data["responses"]
    assert values(resp) == EXPECTED
    assert {a["matched_by"] for a in resp["answers"].values()} == {"row"}


def test_matched_by_position_when_nothing_else_is_left(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    def no_printed_ids(root: Any) -> None:
        strip("tag", "alias")(root)
        for tbl in root.iter(q("tbl")):
            for tr in tbl.findall(q("tr"))[1:]:
                for t in tr.find(q("tc")).iter(q("t")):
                    t.text = "?"

    path = tmp_path / "position.docx"
    path.write_bytes(edit_document(fill_like_word(blank, FILLED), no_printed_ids))
    _result, data = read_json(path)
    [resp] = data["responses"]
    assert values(resp) == EXPECTED
    assert resp["supplier"]["name"] == "ACME & Co <Ltd>"
    assert {a["matched_by"] for a in resp["answers"].values()} == {"position"}


# ------------------------------------------------------------------------------------------ identity


def _tamper(blank: bytes, change: Callable[[Any], None]) -> bytes:
    return edit_document(fill_like_word(blank, FILLED), change)


def delete_control(tag: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        sdt = controls_by_tag(root)[tag]
        sdt.getparent().remove(sdt)

    return change


def duplicate_control(tag: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        import copy

        sdt = controls_by_tag(root)[tag]
        sdt.addnext(copy.deepcopy(sdt))

    return change


def retag(tag: str, new: str) -> Callable[[Any], None]:
    def change(root: Any) -> None:
        controls_by_tag(root)[tag].find(f"{q('sdtPr')}/{q('tag')}").set(q("val"), new)

    return change


def move_control(tag: str, into: str) -> Callable[[Any], None]:
    """Cut a control and paste it beside another question's control (tag and alias travel with it)."""

    def change(root: Any) -> None:
        sdts = controls_by_tag(root)
        moved = sdts[tag]
        moved.getparent().remove(moved)
        sdts[into].addnext(moved)

    return change


@pytest.mark.parametrize(
    ("change", "messages"),
    [
        (delete_control("warranty-years"), ["5.2.1 warranty-years: the question 5.2.1 warranty-years field is missing: it was deleted"]),
        (delete_control("supplier.name"), ["supplier.name: the organisation name field is missing: it was deleted"]),
        (duplicate_control("lcc-total"), ["5.1.1 lcc-total: 2 controls answer question 5.1.1 lcc-total: a field was copied"]),
        (retag("battery-cycles", "warranty-years"), [
            "4.1.1 battery-cycles: the control tagged 'warranty-years' sits in the field of question 4.1.1 battery-cycles: it was retagged",
        ]),
        (retag("lcc-total", "price"), [
            "5.1.1 lcc-total: the control of question 5.1.1 lcc-total carries the unknown tag 'price': it was retagged",
        ]),
        (move_control("warranty-years", "battery-cycles"), [
            "5.2.1 warranty-years: the question 5.2.1 warranty-years field was moved into the row of question 4.1.1 battery-cycles",
        ]),
    ],
    ids=["deleted", "deleted-identity", "duplicated", "retagged", "unknown-tag", "moved"],
)  # fmt: skip
def test_tampered_controls_are_reported(blank: bytes, tmp_path: Path, read_json: Any,
                                        change: Callable[[Any], None], messages: list[str]) -> None:  # fmt: skip
    path = tmp_path / "tampered.docx"
    path.write_bytes(_tamper(blank, change))
    result, data = read_json(path, expect=1)
    assert data is None  # nothing written
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert sorted(errors[:-1]) == sorted(f"Error: {path}: {m}" for m in messages)
    assert errors[-1].endswith("nothing was written.")


def without_identity(name: str, blob: bytes) -> bytes:
    """A questionnaire as tenderpack built it before questionnaires carried their identity."""
    return re.sub(rb"<identity [^>]*>.*?</identity>", b"", blob, flags=re.S) if name == "customXml/item1.xml" else blob


def test_file_from_another_questionnaire(blank: bytes, built_seed: Path, tmp_path: Path, read_json: Any) -> None:
    # fr's core questionnaire for computers asks for 5 years of spare parts: other questions than itu's
    other = (built_seed / "output/fr/computers/fr-computers-core-questionnaire-issue.docx").read_bytes()

    def as_itu(name: str, blob: bytes) -> bytes:
        if name in ("customXml/item1.xml", "docProps/custom.xml"):
            return blob.replace(b"fr-computers", b"itu-computers").replace(b'profile="fr"', b'profile="itu"').replace(
                b"<vt:lpwstr>fr</vt:lpwstr>", b"<vt:lpwstr>itu</vt:lpwstr>")  # fmt: skip
        return blob

    path = tmp_path / "other.docx"
    path.write_bytes(rezip(other, as_itu))
    result, _ = read_json(path, expect=1)
    assert "the questionnaire identity was altered: its content has the fingerprint" in result.stderr
    # an older file (no identity of its own) is compared with the questionnaire this project builds
    path.write_bytes(rezip(rezip(other, without_identity), as_itu))
    result, _ = read_json(path, expect=1)
    assert "differ from those of itu-computers-core-questionnaire-issue as this project builds it" in result.stderr
    assert "a file from another questionnaire" in result.stderr


def test_altered_identity_is_reported(blank: bytes, tmp_path: Path, read_json: Any) -> None:
    path = tmp_path / "altered.docx"
    path.write_bytes(rezip(blank, lambda name, blob: blob.replace(b'hash="', b'hash="0') if name == "customXml/item1.xml" else blob))
    result, _ = read_json(path, expect=1)
    assert "the identity part and the document properties disagree on questions-hash" in result.stderr


def test_a_project_at_another_version_reads_files_with_their_identity(built_seed: Path, tmp_path: Path,
                                                                      cli: Callable[..., Result], blank: bytes) -> None:  # fmt: skip
    from conftest import make_project

    project = make_project(tmp_path / "p")
    lib = project / "clauses" / "library.yaml"
    lib.write_text(lib.read_text(encoding="utf-8").replace('version: "2026.11"', 'version: "2027.01"'), encoding="utf-8")
    result = cli("responses", "read", "--project", project, built_seed / QUESTIONNAIRE, expect=0)
    assert json.loads(result.stdout)["responses"][0]["questionnaire"]["pack_version"] == "2026.11"
    older = tmp_path / "older.docx"
    older.write_bytes(rezip(blank, without_identity))
    result = cli("responses", "read", "--project", project, older, expect=1)
    assert (
        "built from pack version '2026.11', but this project is at '2027.01', and the file is older than "
        "questionnaire identities: evaluate with the release it was issued from"
    ) in result.stderr


def test_other_documents_are_not_questionnaires(built_seed: Path, read_json: Any, tmp_path: Path) -> None:
    result, _ = read_json(built_seed / "output/itu/computers/itu-computers-core-tender-issue.docx", expect=1)
    assert "a tenderpack tender document, not a questionnaire" in result.stderr
    plain = tmp_path / "plain.docx"
    plain.write_bytes((built_seed / "templates" / "questionnaire.docx").read_bytes())
    result, _ = read_json(plain, expect=1)
    assert f"Error: {plain}: not a tenderpack questionnaire: the file carries no tenderpack identity" in result.stderr


# ------------------------------------------------------------------------------------------ scoring


TENDERS = {
    "alpha": {**SUPPLIER, "supplier.name": "Alpha", "ems-certified": True, "ems-certified.evidence": "a.pdf",
              "battery-cycles": "1500", "battery-cycles.evidence": "b.pdf", "repair-manual": True,
              "repair-manual.evidence": "https://alpha.test/manual", "lcc-total": "10000", "warranty-years": "5",
              "warranty-level": "Next business day on site", "spare-parts-years": "7", "sanitisation-method": "Purge",
              "takeback-reuse-share": "60"},
    "beta": {**SUPPLIER, "supplier.name": "Beta", "ems-certified": True, "ems-certified.evidence": "iso.pdf",
             "battery-cycles": "900", "battery-cycles.evidence": "t.pdf", "repair-manual": False, "lcc-total": "8000",
             "warranty-years": "3", "warranty-level": "Return to base", "spare-parts-years": "5",
             "sanitisation-method": "Destroy", "takeback-reuse-share": "30"},
    # the cheapest, but without an EMS certificate and with too few years of spare parts: non-compliant
    "gamma": {**SUPPLIER, "supplier.name": "Gamma", "ems-certified": False, "battery-cycles": "200",
              "lcc-total": "5000", "warranty-years": "1", "spare-parts-years": "2", "sanitisation-method": "Clear",
              "takeback-reuse-share": "abc"},
}  # fmt: skip


@pytest.fixture
def three(blank: bytes, tmp_path: Path) -> list[Path]:
    files = []
    for name, answers in TENDERS.items():
        path = tmp_path / "in" / f"{name}.docx"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(fill_like_word(blank, answers))
        files.append(path)
    return files


def test_score_ranks_and_reports(three: list[Path], tmp_path: Path, cli: Callable[..., Result], built_seed: Path) -> None:
    out = tmp_path / "evaluation"
    result = cli("responses", "score", "--project", built_seed, *three, "--profile", "itu", "--category", "computers",
                 "--out", out, expect=0)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["itu-computers-core-evaluation.docx", "itu-computers-core-ranking.csv"]
    rows = list(csv.DictReader((out / "itu-computers-core-ranking.csv").open(encoding="utf-8")))
    assert [(r["rank"], r["tenderer"], r["compliant"]) for r in rows] == [("1", "Alpha", "yes"), ("2", "Beta", "yes"), ("", "Gamma", "no")]
    weights = {"price": 60, "circularity": 30, "environment": 10}
    for r in rows:
        points = {c: float(r[c]) for c in weights}
        assert all(0 <= points[c] <= weights[c] for c in weights)
        assert sum(points.values()) == pytest.approx(float(r["total"]), abs=0.011)
    # lowest-best among the compliant tenders: Beta's 8000 gets all 60 points, Alpha's 10000 gets 48
    assert [(r["price"], r["circularity"], r["environment"], r["total"]) for r in rows[:2]] == [
        ("48.00", "30.00", "10.00", "88.00"),
        ("60.00", "11.25", "5.00", "76.25"),
    ]
    assert "fails 3.1.1 ems-certified: answered no" in rows[2]["notes"]
    assert result.stdout.splitlines()[-2:] == [
        "Gamma is not compliant: 3.1.1 ems-certified: answered no; 6.1.1 spare-parts-years: 2 is below the required 3.",
        f"wrote {out / 'itu-computers-core-ranking.csv'} and {out / 'itu-computers-core-evaluation.docx'}",
    ]
    assert "fails 6.1.1 spare-parts-years: 2 is below the required 3" in rows[2]["notes"]

    text = document_text((out / "itu-computers-core-evaluation.docx").read_bytes())
    for expected in ["Evaluation report", "Summary", "Alpha", "Beta", "Gamma is not compliant", "48.00 of 60.00",
                     "https://alpha.test/manual", "report", "Total life-cycle cost over 5 years", "US$10,000.00",
                     "'abc' is not a number", "100.00"]:  # fmt: skip
        assert expected in text, expected

    again = tmp_path / "again"
    cli("responses", "score", "--project", built_seed, *three, "--profile", "itu", "--category", "computers", "--out", again, expect=0)
    for name in ("itu-computers-core-evaluation.docx", "itu-computers-core-ranking.csv"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), f"{name} is not deterministic"


def test_best_answers_earn_exactly_the_profile_weights(blank: bytes, tmp_path: Path, cli: Callable[..., Result],
                                                       built_seed: Path) -> None:  # fmt: skip
    path = tmp_path / "best.docx"
    path.write_bytes(fill_like_word(blank, TENDERS["alpha"] | {"lcc-total": "1"}))
    empty = tmp_path / "empty.docx"
    empty.write_bytes(fill_like_word(blank, {**SUPPLIER, "supplier.name": "Nobody", "ems-certified": True,
                                             "ems-certified.evidence": "x", "spare-parts-years": "9"}))  # fmt: skip
    out = tmp_path / "ev"
    cli("responses", "score", "--project", built_seed, path, empty, "--profile", "itu", "--category", "computers", "--out", out, expect=0)
    rows = list(csv.DictReader((out / "itu-computers-core-ranking.csv").open(encoding="utf-8")))
    assert rows[0]["tenderer"] == "Alpha" and rows[0]["total"] == "100.00"
    assert (rows[0]["price"], rows[0]["circularity"], rows[0]["environment"]) == ("60.00", "30.00", "10.00")
    assert rows[1]["tenderer"] == "Nobody" and rows[1]["total"] == "0.00"  # no answer scores zero, never negative


def test_score_without_an_evaluation_template(three: list[Path], tmp_path: Path, cli: Callable[..., Result],
                                              built_seed: Path) -> None:  # fmt: skip
    """Projects made before the evaluation template existed use their questionnaire template."""
    from conftest import make_project

    project = make_project(tmp_path / "p")
    (project / "templates" / "evaluation.docx").unlink(missing_ok=True)
    out = tmp_path / "ev"
    cli("responses", "score", "--project", project, *three[:2], "--profile", "itu", "--category", "computers", "--out", out, expect=0)
    text = document_text((out / "itu-computers-core-evaluation.docx").read_bytes())
    assert "Evaluation report" in text and "Alpha" in text and "Beta" in text


def test_score_writes_into_the_projects_evaluation_folder_by_default(three: list[Path], tmp_path: Path,
                                                                     cli: Callable[..., Result]) -> None:  # fmt: skip
    from conftest import make_project

    project = make_project(tmp_path / "p")
    result = cli("responses", "score", "--project", project, *three[:2], "--profile", "itu", "--category", "computers", expect=0)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "evaluation").iterdir()) == ["itu-computers-core-evaluation.docx", "itu-computers-core-ranking.csv"]


def test_score_refuses_files_of_another_profile(three: list[Path], cli: Callable[..., Result], built_seed: Path, tmp_path: Path) -> None:
    out = tmp_path / "ev"
    result = cli("responses", "score", "--project", built_seed, three[0], "--profile", "itu", "--category", "mobile-devices",
                 "--out", out, expect=1)  # fmt: skip
    assert result.exit_code == 1
    assert f"Error: {three[0]}: a questionnaire for profile 'itu', category 'computers', not 'itu', 'mobile-devices'" in result.stderr
    assert not out.exists()


def test_command_line_errors_exit_2(cli: Callable[..., Result], built_seed: Path) -> None:
    assert cli("responses", "read").exit_code == 2
    assert cli("responses", "score", "x.docx", "--category", "computers").exit_code == 2
    assert cli("responses", "read", "x.docx", "--format", "xml").exit_code == 2


# ------------------------------------------------------------------------------------------ units


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [("1500", None, 1500), ("1 500", None, 1500), ("1\u00a0500,5", None, 1500.5), ("1,500.25", None, 1500.25),
     ("12,5", None, 12.5), ("5 years", "years", 5), ("45 %", "%", 45), ("EUR 900", "currency", 900), ("-3", None, -3)],
)  # fmt: skip
def test_parse_number(text: str, unit: str | None, expected: float) -> None:
    assert parse_number(text, unit, percent=unit == "%") == expected


@pytest.mark.parametrize("text", ["abc", "1,500", "1.500.000", "5 or 6", "nan", "inf", ""])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_shares_stay_between_zero_and_one() -> None:
    linear = {"rule": "linear", "min": 300, "max": 1500}
    assert share(linear, 200, None) == 0 and share(linear, 900, None) == 0.5 and share(linear, 5000, None) == 1
    bands = {"rule": "bands", "bands": [{"min": 3, "score": 0.5}, {"min": 5, "score": 1}]}
    assert [share(bands, v, None) for v in (1, 3, 4, 5, 9)] == [0, 0.5, 0.5, 1, 1]
    lowest = {"rule": "lowest-best"}
    assert share(lowest, 8000, 8000) == 1 and share(lowest, 10000, 8000) == 0.8 and share(lowest, 5000, 8000) == 1
    assert share(lowest, None, 8000) == 0 and share(lowest, -5, 8000) == 0
    assert share({"rule": "options", "points": {"A": 0.5}}, "B", None) == 0
    assert share({"rule": "yes-no"}, False, None) == 0


def test_maxima_add_up_to_the_weights() -> None:
    def question(qid: str, criterion: str | None, rule: str = "linear", weight: float = 1.0) -> dict[str, Any]:
        return {"id": qid, "scoring": {"rule": rule, "criterion": criterion, "weight": weight}}

    qs = [question("a", "price"), question("b", "quality", weight=3), question("c", "quality"),
          question("d", None, "pass-fail"), question("e", "gone")]  # fmt: skip
    maxima, warnings = question_maxima(qs, {"price": ("Price", 70), "quality": ("Quality", 30)})
    assert maxima == {"a": 70, "b": 22.5, "c": 7.5}
    assert sum(maxima.values()) == 100
    assert warnings == ["questions e feed criterion 'gone', which the profile does not have: not scored"]


def test_answer_as_dict_is_json_ready() -> None:
    a = Answer("x", "1.1.1", "integer", "years", 5, "5", None, "tag")
    assert json.loads(json.dumps(a.as_dict()))["value"] == 5


def test_questionnaires_of_two_levels_are_not_scored_together(built_seed: Path, tmp_path: Path,
                                                              cli: Callable[..., Result]) -> None:  # fmt: skip
    core = tmp_path / "core.docx"
    core.write_bytes(fill_like_word((built_seed / QUESTIONNAIRE).read_bytes(), TENDERS["alpha"]))
    plus = tmp_path / "plus.docx"
    comprehensive = QUESTIONNAIRE.replace("-core-", "-comprehensive-")
    plus.write_bytes(fill_like_word((built_seed / comprehensive).read_bytes(), TENDERS["beta"]))
    read = json.loads(cli("responses", "read", "--project", built_seed, plus, expect=0).stdout)
    (response,) = read["responses"]
    assert response["questionnaire"]["level"] == "comprehensive"
    assert response["questionnaire"]["document"] == "itu-computers-comprehensive-questionnaire-issue"
    out = tmp_path / "evaluation"
    result = cli("responses", "score", "--project", built_seed, core, plus, "--profile", "itu", "--category",
                 "computers", "--out", out, expect=1)  # fmt: skip
    assert result.stderr.splitlines()[0] == (
        f"Error: {plus}: a questionnaire of the comprehensive level, but {core} answers the core level: "
        "score each level separately"
    )
    assert not out.exists()
