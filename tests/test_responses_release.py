"""Questionnaires from any release: the identity a questionnaire carries, `--pack`, and published weights."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import make_project
from lxml import etree
from test_responses import QUESTIONNAIRE, SUPPLIER, TENDERS, document_text, fill_like_word, rezip, without_identity

from tenderpack.release import pack_name

NS = "urn:tenderpack:document:1"
OLD = "1.1.0"  # a release made while the library says 2026.11
DOC = "documents/itu/computers/itu-computers-core-questionnaire-issue.docx"


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def edit_identity(data: bytes, change: Callable[[dict[str, Any]], None], *, refingerprint: bool) -> bytes:
    """Change the identity JSON a questionnaire carries; with ``refingerprint``, also every hash of it
    (the questions hash and the identity fingerprint, in the XML part and the document properties),
    as a careful forger would."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("customXml/item1.xml"))
    element = root.find(f"{{{NS}}}identity")
    ident = json.loads(element.text)
    old_qhash, old_sha = ident["questions_hash"], element.get("sha256")
    change(ident)
    if refingerprint:
        ident["questions_hash"] = sha(canonical(ident["questions"]))
    new_sha = sha(canonical(ident))
    replacements = {old_qhash.encode(): ident["questions_hash"].encode()}
    if refingerprint:
        replacements[old_sha.encode()] = new_sha.encode()
    text_old = element.text

    def edit(name: str, blob: bytes) -> bytes:
        if name == "customXml/item1.xml":
            blob = blob.replace(_escape(text_old).encode(), _escape(canonical(ident)).encode())
        if name in ("customXml/item1.xml", "docProps/custom.xml") and refingerprint:
            for a, b in replacements.items():
                blob = blob.replace(a, b)
        return blob

    return rezip(data, edit)


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project released as 1.1.0 (its library still says 2026.11)."""
    base = tmp_path_factory.mktemp("old-release")
    from click.testing import CliRunner

    from tenderpack.cli import main

    result = CliRunner().invoke(main, ["pack", "--project", str(make_project(base / "p")), "--version", OLD,
                                       "--out", str(base)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return base / pack_name(OLD)


@pytest.fixture(scope="module")
def issued(release: Path) -> bytes:
    with zipfile.ZipFile(release) as z:
        return z.read(DOC)


def filled(issued: bytes, folder: Path, names: tuple[str, ...] = tuple(TENDERS)) -> list[Path]:
    folder.mkdir(exist_ok=True)
    files = []
    for name in names:
        path = folder / f"{name}.docx"
        path.write_bytes(fill_like_word(issued, TENDERS[name]))
        files.append(path)
    return files


def read(cli: Callable[..., Result], project: Path, *args: Any, expect: int) -> Result:
    result = cli("responses", "read", "--project", project, *args, expect=expect)
    assert result.exit_code == expect, result.output
    return result


# ------------------------------------------------------------------------------------------ any release


def test_a_questionnaire_from_another_release_is_read(issued: bytes, release: Path, built_seed: Path, tmp_path: Path,
                                                      cli: Callable[..., Result]) -> None:  # fmt: skip
    (alpha,) = filled(issued, tmp_path / "in", ("alpha",))
    for extra in ((), ("--pack", release)):
        result = read(cli, built_seed, alpha, *extra, expect=0)
        response = json.loads(result.stdout)["responses"][0]
        assert response["questionnaire"]["pack_version"] == OLD
        assert response["answers"]["battery-cycles"]["value"] == 1500
        assert response["answers"]["lcc-total"]["value"] == 10000
    # the identity is all reading needs: not even a project
    result = read(cli, tmp_path / "no-project", alpha, "--pack", release, expect=0)
    assert json.loads(result.stdout)["responses"][0]["answers"]["battery-cycles"]["value"] == 1500


def test_a_questionnaire_from_another_release_is_scored(issued: bytes, release: Path, built_seed: Path,
                                                        tmp_path: Path, cli: Callable[..., Result]) -> None:  # fmt: skip
    files = filled(issued, tmp_path / "in")
    out = tmp_path / "ev"
    result = cli("responses", "score", "--project", built_seed, *files, "--profile", "itu", "--category", "computers",
                 "--pack", release, "--out", out, expect=0)  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "itu-computers-core-ranking.csv").open(encoding="utf-8")))
    assert [(r["rank"], r["tenderer"], r["total"]) for r in rows] == [("1", "Alpha", "88.00"), ("2", "Beta", "76.25"),
                                                                      ("", "Gamma", "60.00")]  # fmt: skip
    assert result.stdout.endswith(
        "Gamma is not compliant: 3.1.1 ems-certified: answered no; 6.1.1 spare-parts-years: 2 is below the required 3.\n"
        f"wrote {out / 'itu-computers-core-ranking.csv'} and {out / 'itu-computers-core-evaluation.docx'}\n"
    )
    with zipfile.ZipFile(release) as z:
        recorded = next(d for d in json.loads(z.read("manifest.json"))["documents"] if d["path"] == DOC)["identity_sha256"]
    text = document_text((out / "itu-computers-core-evaluation.docx").read_bytes())
    assert f"pack version {OLD} of 2026-11-23" in text and f"identity sha256 {recorded[:16]}" in text
    assert "Gamma is not compliant: 3.1.1 ems-certified: answered no" in text


# ------------------------------------------------------------------------------------------ tampering


def _lower_the_bar(ident: dict[str, Any]) -> None:
    q = next(q for q in ident["questions"] if q["id"] == "battery-cycles")
    q["scoring"]["max"] = 600


def test_a_forged_identity_is_refused_under_pack(issued: bytes, release: Path, built_seed: Path, tmp_path: Path,
                                                 cli: Callable[..., Result]) -> None:  # fmt: skip
    (alpha,) = filled(issued, tmp_path / "in", ("alpha",))
    forged = tmp_path / "forged.docx"
    forged.write_bytes(edit_identity(alpha.read_bytes(), _lower_the_bar, refingerprint=True))
    # consistent in itself: only the published release can tell
    read(cli, built_seed, forged, expect=0)
    result = read(cli, built_seed, forged, "--pack", release, expect=1)
    with zipfile.ZipFile(release) as z:
        recorded = next(d for d in json.loads(z.read("manifest.json"))["documents"] if d["path"] == DOC)["identity_sha256"]
    with zipfile.ZipFile(forged) as z:
        found = etree.fromstring(z.read("customXml/item1.xml")).find(f"{{{NS}}}identity").get("sha256")
    assert result.stderr == (
        f"Error: {forged}: does not match {release}, the release it claims to come from: question 4.1.1 battery-cycles: "
        f'scoring.max 600 in the file, "1500" in the release (identity sha256 {found[:12]} in the file, {recorded[:12]} '
        "in the release)\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_an_identity_edited_by_hand_is_refused(issued: bytes, built_seed: Path, tmp_path: Path,
                                               cli: Callable[..., Result]) -> None:  # fmt: skip
    (alpha,) = filled(issued, tmp_path / "in", ("alpha",))

    def reweigh(ident: dict[str, Any]) -> None:
        ident["award"]["criteria"][0]["weight"] = 20

    edited = tmp_path / "edited.docx"
    edited.write_bytes(edit_identity(alpha.read_bytes(), reweigh, refingerprint=False))
    with zipfile.ZipFile(edited) as z:
        element = etree.fromstring(z.read("customXml/item1.xml")).find(f"{{{NS}}}identity")
    actual = sha(canonical(json.loads(element.text)))
    result = read(cli, built_seed, edited, expect=1)
    assert result.stderr == (
        f"Error: {edited}: the questionnaire identity was altered: its content has the fingerprint {actual[:12]}, "
        f"but the file records {element.get('sha256')[:12]}\n"
        "Error: 1 problem found; nothing was written.\n"
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "the questionnaire identity is not valid JSON: the file was altered"),
        ("[" * 100_000 + "]" * 100_000, "the questionnaire identity is not valid JSON: the file was altered"),
        ('{"a":' * 30 + "1" + "}" * 30, "the questionnaire identity is nested too deeply: the file was altered"),
        ('{"format": 1}', "the questionnaire identity is malformed (document: Field required): the file was altered"),
        ('{"format": NaN}', "the questionnaire identity is not valid JSON: the file was altered"),
    ],
)
def test_a_hostile_identity_is_refused_cleanly(blank_seed: bytes, built_seed: Path, tmp_path: Path,
                                               cli: Callable[..., Result], payload: str, message: str) -> None:  # fmt: skip
    def swap(name: str, blob: bytes) -> bytes:
        if name != "customXml/item1.xml":
            return blob
        root = etree.fromstring(blob)
        root.find(f"{{{NS}}}identity").text = payload
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    path = tmp_path / "hostile.docx"
    path.write_bytes(rezip(blank_seed, swap))
    result = read(cli, built_seed, path, expect=1)
    assert result.stderr == f"Error: {path}: {message}\nError: 1 problem found; nothing was written.\n"


@pytest.fixture(scope="module")
def blank_seed(built_seed: Path) -> bytes:
    return (built_seed / QUESTIONNAIRE).read_bytes()


def test_pack_refuses_a_file_of_another_release(blank_seed: bytes, release: Path, built_seed: Path, tmp_path: Path,
                                                cli: Callable[..., Result]) -> None:  # fmt: skip
    path = tmp_path / "current.docx"
    path.write_bytes(fill_like_word(blank_seed, {**SUPPLIER, "supplier.name": "Delta"}))
    result = read(cli, built_seed, path, "--pack", release, expect=1)
    assert result.stderr == (
        f"Error: {path}: issued with pack version '2026.11', but {release} is pack version '{OLD}'\n"
        "Error: 1 problem found; nothing was written.\n"
    )


def test_pack_refuses_a_file_stripped_of_its_identity(issued: bytes, release: Path, built_seed: Path, tmp_path: Path,
                                                       cli: Callable[..., Result]) -> None:  # fmt: skip
    (alpha,) = filled(issued, tmp_path / "in", ("alpha",))
    stripped = tmp_path / "stripped.docx"
    stripped.write_bytes(rezip(alpha.read_bytes(), without_identity))
    result = read(cli, built_seed, stripped, "--pack", release, expect=1)
    document = "itu-computers-core-questionnaire-issue"
    assert result.stderr == (
        f"Error: {stripped}: built from pack version '{OLD}', but this project is at '2026.11', and the file is older "
        "than questionnaire identities: evaluate with the release it was issued from\n"
        f"Error: {stripped}: the file carries no questionnaire identity, but {document} of {release} does: it was removed\n"
        "Error: 2 problems found; nothing was written.\n"
    )


# ------------------------------------------------------------------------------------------ weights


def test_the_published_weights_win(issued: bytes, tmp_path: Path, cli: Callable[..., Result]) -> None:
    project = make_project(tmp_path / "p")
    itu = project / "profiles" / "itu.yaml"
    text = itu.read_text(encoding="utf-8")
    text = text.replace("weight: 60, description: Lowest", "weight: 40, description: Lowest")
    itu.write_text(text.replace('weight: 30, description: "Warranty', 'weight: 50, description: "Warranty'), encoding="utf-8")
    files = filled(issued, tmp_path / "in", ("alpha", "beta"))
    out = tmp_path / "ev"
    result = cli("responses", "score", "--project", project, *files, "--profile", "itu", "--category", "computers",
                 "--out", out, expect=0)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "Warning: the award weights of profile itu in this project (price 40, circularity 50, environment 10) differ "
        "from those published with the questionnaire (price 60, circularity 30, environment 10): the published "
        "weights are used, as announced to tenderers\n"
    ) in result.stderr
    rows = list(csv.DictReader((out / "itu-computers-core-ranking.csv").open(encoding="utf-8")))
    assert [(r["tenderer"], r["price"], r["circularity"], r["total"]) for r in rows] == [
        ("Alpha", "48.00", "30.00", "88.00"),
        ("Beta", "60.00", "11.25", "76.25"),
    ]
