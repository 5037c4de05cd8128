"""`tenderpack redline` and tenderpack.word.redline: native Word tracked changes between two documents.

Two builds of the seed project are compared: v2 re-words ts.repair (with a new version), adds
ts.upgrade, retires ac.warranty, moves ts.battery to a later stage, changes a parameter for eu phones
and restyles one paragraph. Every redline is checked by accepting and rejecting all changes in XML
(tests/redline_sim.py), a few in LibreOffice, and with the openxml-audit validator.
"""

from __future__ import annotations

import difflib
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lo_redline
import pytest
import redline_sim as sim
from click.testing import Result
from conftest import make_project
from lxml import etree

from tenderpack.errors import InputFileError
from tenderpack.pipeline import build
from tenderpack.word.redline import AUTHOR, redline_docx

W = sim.W
DATE = "2026-12-01T00:00:00Z"
TENDER = "eu/computers/eu-computers-core-tender-drafting.docx"
QUESTIONNAIRE = "eu/computers/eu-computers-core-questionnaire-issue.docx"
ANNEX = "eu/mobile-devices/eu-mobile-devices-core-annex-drafting.docx"


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, f"{old!r} not in {path}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def second_version(root: Path) -> None:
    """The changes between the two builds (see the module docstring)."""
    core = root / "clauses" / "core"
    edit(
        core / "ts.repair.yaml",
        ("version: 1", "version: 2"),
        ("with commonly available tools:", "with commonly available tools, without special equipment:"),
        ("  2. the display;\n  3. the keyboard, where fitted.\n", "  2. the display.\n"),
    )
    upgrade = (core / "ts.repair.yaml").read_text(encoding="utf-8").split("questions:")[0]
    upgrade = upgrade.replace("id: ts.repair", "id: ts.upgrade").replace("version: 2", "version: 1")
    upgrade = upgrade.replace("title: Design for repair", "title: Upgradeable memory")
    (core / "ts.upgrade.yaml").write_text(
        upgrade.replace("shall ensure", "shall ensure that memory can be upgraded and")
    )
    edit(core / "ts.battery.yaml", ("stage: solicitation", "stage: evaluation"))
    edit(core / "ac.warranty.yaml", ("status: approved", "status: retired"))
    edit(
        root / "profiles" / "eu.yaml",
        ("cpc.spare-parts.years@mobile-devices: 7", "cpc.spare-parts.years@mobile-devices: 8"),
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("redline")
    v1 = make_project(base / "v1")
    v2 = make_project(base / "v2")
    second_version(v2)
    build(v1, base / "b1", version="2026.11", jobs=2)
    build(v2, base / "b2", version="2026.12", jobs=2)
    return base / "b1", base / "b2"


def pair(builds: tuple[Path, Path], rel: str) -> tuple[bytes, bytes]:
    return (builds[0] / rel).read_bytes(), (builds[1] / rel).read_bytes()


def restyled(data: bytes) -> bytes:
    """The document with its first Verification paragraph restyled as body text (a format-only change)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            blob = zin.read(name)
            if name == "word/document.xml":
                blob = blob.replace(b'w:val="Verification"', b'w:val="BodyText"', 1)
            zout.writestr(name, blob)
    return out.getvalue()


def move_names(root: Any, side: str) -> list[str]:
    return sorted(str(el.get(W + "name")) for el in root.iter(f"{W}move{side}RangeStart"))


def show_diff(want: list[Any], got: list[Any]) -> str:
    return "\n".join(difflib.unified_diff([repr(x) for x in want], [repr(x) for x in got], lineterm="", n=1))


# ------------------------------------------------------------------------------------------ accept / reject


def test_accept_all_gives_new_and_reject_all_gives_old_for_every_document(builds: tuple[Path, Path]) -> None:
    names = sorted(p.relative_to(builds[1]).as_posix() for p in builds[1].rglob("*.docx"))
    assert len(names) == 132
    changed = 0
    for rel in names:
        old, new = pair(builds, rel)
        result = redline_docx(old, new, date=DATE)
        red = sim.document(result.data)
        assert sim.paragraphs(sim.resolve(red, accept=True)) == sim.paragraphs(sim.document(new)), rel
        assert sim.paragraphs(sim.resolve(red, accept=False)) == sim.paragraphs(sim.document(old)), rel
        # and backwards (a clause moving up, clauses added where they were removed)
        back = sim.document(redline_docx(new, old, date=DATE).data)
        assert sim.paragraphs(sim.resolve(back, accept=True)) == sim.paragraphs(sim.document(old)), rel
        assert sim.paragraphs(sim.resolve(back, accept=False)) == sim.paragraphs(sim.document(new)), rel
        assert move_names(red, "From") == move_names(red, "To") and move_names(back, "From") == move_names(back, "To")
        changed += bool(
            result.clauses_added or result.clauses_removed or result.clauses_moved or result.clauses_changed
        )
    assert changed == 56  # the others differ only in the pack version they print


def test_a_style_change_is_a_paragraph_property_change(builds: tuple[Path, Path]) -> None:
    old, new = pair(builds, ANNEX)
    result = redline_docx(restyled(old), new, date=DATE)
    red = sim.document(result.data)
    changes = list(red.iter(W + "pPrChange"))
    assert result.format_changes == len(changes) == 1
    assert changes[0].find(f"{W}pPr/{W}pStyle").get(W + "val") == "BodyText"
    rejected = sim.paragraphs(sim.resolve(red, accept=False))
    assert rejected == sim.paragraphs(sim.document(restyled(old)))
    assert sim.paragraphs(sim.resolve(red, accept=True)) == sim.paragraphs(sim.document(new))


def with_cell_note(data: bytes) -> bytes:
    """The document with one more paragraph (a different style) at the end of its first table's last cell."""

    def change(root: Any) -> None:
        cell = next(root.iter(W + "tbl")).findall(f"{W}tr")[-1].findall(f"{W}tc")[-1]
        cell.append(etree.fromstring(
            f'<w:p xmlns:w="{sim.W_NS}"><w:pPr><w:pStyle w:val="Guidance"/></w:pPr><w:r><w:t>A note.</w:t></w:r></w:p>'
        ))  # fmt: skip

    return edit_document(data, change)


def edit_document(data: bytes, change: Callable[[Any], None]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            blob = zin.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(blob)
                change(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(name, blob)
    return out.getvalue()


@pytest.mark.parametrize("direction", ["removed", "added"])
def test_the_last_paragraph_of_a_cell_keeps_its_mark(builds: tuple[Path, Path], direction: str) -> None:
    """Word cannot delete or insert a cell's last paragraph mark: the one before it carries the change."""
    _, new = pair(builds, QUESTIONNAIRE)
    old, new = (with_cell_note(new), new) if direction == "removed" else (new, with_cell_note(new))
    red = sim.document(redline_docx(old, new, date=DATE).data)
    cell = next(red.iter(W + "tbl")).findall(f"{W}tr")[-1].findall(f"{W}tc")[-1]
    paragraphs = cell.findall(W + "p")
    assert paragraphs[-1].find(f"{W}pPr/{W}rPr") is None or len(paragraphs[-1].find(f"{W}pPr/{W}rPr")) == 0
    assert paragraphs[-2].find(f"{W}pPr/{W}rPr/{W}{'del' if direction == 'removed' else 'ins'}") is not None
    assert sim.paragraphs(sim.resolve(red, accept=True)) == sim.paragraphs(sim.document(new))
    assert sim.paragraphs(sim.resolve(red, accept=False)) == sim.paragraphs(sim.document(old))


# ------------------------------------------------------------------------------------------ clause-aware


def test_clauses_added_removed_moved_and_reworded_show_as_such(builds: tuple[Path, Path]) -> None:
    result = redline_docx(*pair(builds, TENDER), date=DATE)
    assert result.clauses_added == ["clause-ts-upgrade"]
    assert result.clauses_removed == ["clause-ac-warranty"]
    assert result.clauses_moved == ["clause-ts-battery"]
    assert "clause-ts-repair" in result.clauses_changed
    red = sim.document(result.data)
    body = etree.tostring(red, encoding="unicode")
    # the moved clause: one named move, its source and destination paragraphs marked as moved
    assert re.findall(r'w:moveFromRangeStart [^>]*w:name="(move\d+)"', body) == ["move1"]
    assert re.findall(r'w:moveToRangeStart [^>]*w:name="(move\d+)"', body) == ["move1"]
    moved_from = [p for p in red.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}moveFrom") is not None]
    assert sim.text_of(moved_from[0]) == "Battery endurance"
    # the removed clause: heading paragraph and its text deleted, paragraph marks included
    deleted = [sim.text_of(p) for p in red.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}del") is not None]
    assert "Extended warranty" in deleted
    inserted = [sim.text_of(p) for p in red.iter(W + "p") if p.find(f"{W}pPr/{W}rPr/{W}ins") is not None]
    assert "Upgradeable memory" in inserted
    # the re-worded clause: word level, not the whole paragraph
    ins_text = ["".join(t.text for t in el.iter(W + "t")) for el in red.iter(W + "ins")]
    del_text = ["".join(t.text for t in el.iter(W + "delText")) for el in red.iter(W + "del")]
    assert ", without special equipment" in ins_text
    assert "the keyboard, where fitted." in del_text
    assert [t for t in del_text if t == ";"] == [";"] and "." in ins_text  # "display;" → "display."


def test_a_changed_parameter_is_a_word_change(builds: tuple[Path, Path]) -> None:
    result = redline_docx(*pair(builds, ANNEX), date=DATE)
    red = sim.document(result.data)
    deleted = ["".join(x.text for x in d.iter(W + "delText")) for d in red.iter(W + "del")]
    inserted = ["".join(x.text for x in i.iter(W + "t")) for i in red.iter(W + "ins")]
    # clause text, guidance note and parameter table; plus the pack version on the cover and in the provenance
    assert sorted(t for t in deleted if t) == ["2026.11", "2026.11", "7", "7", "7"]
    assert sorted(t for t in inserted if t) == ["2026.12", "2026.12", "8", "8", "8"]
    assert result.clauses_changed == ["clause-cpc-spare-parts"]
    assert not (result.clauses_added or result.clauses_removed or result.clauses_moved)


def test_formatting_of_runs_is_kept(builds: tuple[Path, Path]) -> None:
    red = sim.document(redline_docx(*pair(builds, TENDER), date=DATE).data)
    bold = [r for r in red.iter(W + "r") if r.find(f"{W}rPr/{W}b") is not None and "Verification." in sim.text_of(r)]
    assert bold, "the bold 'Verification.' run lost its formatting"


# ------------------------------------------------------------------------------------------ reproducible


def test_author_date_and_ids_are_fixed(builds: tuple[Path, Path]) -> None:
    old, new = pair(builds, QUESTIONNAIRE)
    first = redline_docx(old, new, date=DATE)
    assert first.data == redline_docx(old, new, date=DATE).data
    red = sim.document(first.data)
    revs = sim.revisions(red)
    assert {r.get(W + "author") for r in revs} == {AUTHOR}
    assert {r.get(W + "date") for r in revs} == {DATE}
    numbered = {W + t for t in (*sim.MARKS, "pPrChange", "moveFromRangeStart", "moveToRangeStart")}
    ids = [int(el.get(W + "id")) for el in red.iter() if el.tag in numbered]
    bookmarks = [int(b.get(W + "id")) for b in red.iter(W + "bookmarkStart")]
    assert len(ids) == len(set(ids)) and not set(ids) & set(bookmarks)
    assert sorted(ids) == list(range(min(ids), min(ids) + len(ids)))


def test_the_date_defaults_to_the_new_documents_version_date(builds: tuple[Path, Path]) -> None:
    red = sim.document(redline_docx(*pair(builds, ANNEX)).data)
    assert {r.get(W + "date") for r in sim.revisions(red)} == {"2026-11-23T00:00:00Z"}


def test_identical_documents_give_no_revision(builds: tuple[Path, Path]) -> None:
    _, new = pair(builds, TENDER)
    result = redline_docx(new, new, date=DATE)
    assert result.revisions == 0
    assert sim.revisions(sim.document(result.data)) == []
    assert sim.paragraphs(sim.document(result.data)) == sim.paragraphs(sim.document(new))


# ------------------------------------------------------------------------------------------ validators


@pytest.mark.skipif(shutil.which("openxml-audit") is None, reason="openxml-audit is not installed")
@pytest.mark.parametrize("rel", [TENDER, QUESTIONNAIRE])
def test_openxml_audit_finds_no_error(builds: tuple[Path, Path], rel: str, tmp_path: Path) -> None:
    target = tmp_path / "redline.docx"
    target.write_bytes(redline_docx(*pair(builds, rel), date=DATE).data)
    audit = subprocess.run(["openxml-audit", "-f", "microsoft365", str(target)], capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "Errors: 0" in audit.stdout


def lines(text: str) -> list[str]:
    """LibreOffice keeps the (empty) paragraph in front of a table when both are deleted; Word does not.
    Empty paragraphs are therefore left out of the comparison; the XML test above compares them too."""
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.libreoffice
def test_libreoffice_shows_tracked_changes_and_accepts_and_rejects_them(
    builds: tuple[Path, Path], tmp_path: Path
) -> None:
    if not lo_redline.available():
        pytest.skip("LibreOffice is not installed")
    jobs = []
    for i, rel in enumerate([TENDER, QUESTIONNAIRE, ANNEX]):
        old, new = pair(builds, rel)
        (tmp_path / f"{i}-old.docx").write_bytes(old)
        (tmp_path / f"{i}-new.docx").write_bytes(new)
        (tmp_path / f"{i}-red.docx").write_bytes(redline_docx(old, new, date=DATE).data)
        jobs += [{"path": str(tmp_path / f"{i}-red.docx"), "redlines": True},
                 {"path": str(tmp_path / f"{i}-old.docx")}, {"path": str(tmp_path / f"{i}-new.docx")}]  # fmt: skip
    results = lo_redline.run(jobs)
    for i in range(3):
        red, old, new = results[3 * i : 3 * i + 3]
        assert "error" not in red
        assert {r["type"] for r in red["redlines"]} >= {"Insert", "Delete"}
        assert {r["author"] for r in red["redlines"]} == {AUTHOR}
        assert {r["date"] for r in red["redlines"]} == {DATE[:10]}
        assert red["left_after_accept"] == red["left_after_reject"] == 0
        assert lines(red["accepted"]) == lines(new["text"]), show_diff(lines(new["text"]), lines(red["accepted"]))
        assert lines(red["rejected"]) == lines(old["text"]), show_diff(lines(old["text"]), lines(red["rejected"]))
        assert lines(red["text"]) != lines(new["text"])  # before: the deleted text is still shown


# ------------------------------------------------------------------------------------------ command


def test_redline_command_writes_the_document(
    builds: tuple[Path, Path], cli: Callable[..., Result], tmp_path: Path
) -> None:
    out = tmp_path / "out" / "changes.docx"
    result = cli("redline", builds[0] / TENDER, builds[1] / TENDER, "-o", out, expect=0)
    assert result.exit_code == 0
    assert re.fullmatch(r"wrote .*changes\.docx: \d+ insertions, \d+ deletions, 1 moved clauses\n", result.output)
    assert out.read_bytes() == redline_docx(*pair(builds, TENDER)).data


def test_redline_command_errors(builds: tuple[Path, Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a document")
    result = cli("redline", text, builds[1] / TENDER, "-o", tmp_path / "x.docx", expect=1)
    assert (result.exit_code, result.stderr) == (1, f"Error: {text} is not a Word document (not a zip package)\n")
    plain = tmp_path / "plain.docx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("word/document.xml", f'<w:document xmlns:w="{sim.W_NS}"><w:body/></w:document>')
    result = cli("redline", plain, builds[1] / TENDER, "-o", tmp_path / "x.docx", expect=1)
    assert result.stderr == f"Error: {plain} is not a tenderpack document (it has no tenderpack provenance part)\n"
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(builds[1] / TENDER) as zin, zipfile.ZipFile(broken, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, b"<w:document" if name == "word/document.xml" else zin.read(name))
    result = cli("redline", broken, builds[1] / TENDER, "-o", tmp_path / "x.docx", expect=1)
    assert result.stderr.startswith(f"Error: {broken}: word/document.xml is not well-formed XML")
    result = cli("redline", tmp_path / "missing.docx", builds[1] / TENDER, "-o", tmp_path / "x.docx", expect=2)
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_external_entities_are_not_resolved(builds: tuple[Path, Path], tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    old, new = pair(builds, ANNEX)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(old)) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            blob = zin.read(name)
            if name == "word/document.xml":
                head = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
                blob = head + blob.split(b"?>", 1)[1].replace(b"Contract management", b"&x;", 1)
            zout.writestr(name, blob)
    try:
        data = redline_docx(out.getvalue(), new, date=DATE).data
    except InputFileError:
        return
    assert b"TOP SECRET" not in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_redline_refuses_two_different_documents_unless_forced(builds: tuple[Path, Path], cli: Callable[..., Result],
                                                               tmp_path: Path) -> None:  # fmt: skip
    old, new, out = builds[0] / TENDER, builds[1] / ANNEX, tmp_path / "x.docx"
    result = cli("redline", old, new, "-o", out, expect=1)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {old} and {new} are not versions of one document (category computers / mobile-devices, kind tender / annex); "
        "use --force to compare them anyway\n",
    )
    assert not out.exists()
    result = cli("redline", old, new, "-o", out, "--force", expect=0)
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {old} and {new} are not versions of one document (category computers / mobile-devices, kind tender / annex)\n"
    assert out.is_file()


def test_redline_output_must_be_a_docx(builds: tuple[Path, Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    out = tmp_path / "changes.pdf"
    result = cli("redline", builds[0] / TENDER, builds[1] / TENDER, "-o", out, expect=2)
    assert result.exit_code == 2
    assert f"Invalid value for '-o' / '--output': '{out}' does not end in .docx: the redline is a Word document" in result.stderr
    assert not out.exists()
