"""``build --pdf``: only the selected documents, only when their .docx changed, in parallel LibreOffice
instances, listed in the manifest, never reported as removed while their document is in the pack.

Most tests stand a small fake converter in for LibreOffice (same protocol as ``word/lo_convert.py``: JSON
pairs in, JSON answers out), so that they test tenderpack's decisions quickly and exactly; the last one
runs the real LibreOffice (skipped, saying why, where it is absent).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pytest

from tenderpack import commands
from tenderpack.word import pdf as word_pdf

FAKE = """\
import json, os, sys, time
profile = sys.argv[1]
for line in sys.stdin:
    src, dst = json.loads(line)
    time.sleep(0.05)
    if os.path.basename(src).startswith("FAIL"):
        print(json.dumps({"error": "cannot open"}), flush=True)
        continue
    with open(dst, "w") as fh:
        fh.write(f"%PDF-fake\\n{profile}\\n{os.path.basename(src)}\\n{os.urandom(4).hex()}\\n")
    print(json.dumps({"ok": dst}), flush=True)
"""


@pytest.fixture(autouse=True)
def one_level(project: Path) -> None:
    """These tests count PDFs of a selection: one ambition level keeps the counts readable."""
    for path in (project / "profiles").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "levels: [core, comprehensive]" in text:
            path.write_text(text.replace("levels: [core, comprehensive]", "levels: [core]"), encoding="utf-8")



@pytest.fixture
def fake_lo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "fake_lo.py"
    script.write_text(FAKE)
    monkeypatch.setattr(word_pdf, "SCRIPT", script)
    monkeypatch.setattr(word_pdf, "SYSTEM_PYTHON", sys.executable)
    monkeypatch.setattr(word_pdf, "libreoffice_problem", lambda: None)
    return script


def pdf_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}


def manifest(out: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {d["path"]: d for d in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]}


FR_ANNEX = ["fr/computers/fr-computers-core-annex-drafting.pdf", "fr/computers/fr-computers-core-annex-issue.pdf"]


def test_pdf_converts_only_the_selected_documents_and_lists_them(project: Path, cli, fake_lo: Path) -> None:  # type: ignore[no-untyped-def]
    cli("build", "--project", project, expect=0)  # the whole pack first: PDFs must still be only the selection's
    result = cli("build", "--project", project, "--profile", "fr", "--category", "computers", "--kind", "annex",
                 "--pdf", expect=0)  # fmt: skip
    out = project / "output"
    assert result.stdout.splitlines() == [
        f"Built 2 documents (2 core) in {out}: 0 rendered, 2 unchanged, 2 PDFs converted.",
        f"Open next: {out / 'fr/computers/fr-computers-core-annex-drafting.docx'}",
    ]
    assert list(pdf_files(out)) == FR_ANNEX
    entries = manifest(out)
    listed = {d["pdf"]["path"]: d for d in entries.values() if "pdf" in d}
    assert sorted(listed) == FR_ANNEX
    for path, d in listed.items():
        assert d["pdf"] == {
            "path": path,
            "sha256": hashlib.sha256((out / path).read_bytes()).hexdigest(),
            "docx_sha256": d["sha256"],
        }


def test_pdfs_are_kept_listed_and_never_reported_removed_while_their_document_is_in_the_pack(
    project: Path, cli, fake_lo: Path
) -> None:  # type: ignore[no-untyped-def]
    out = project / "output"
    cli("build", "--project", project, "--profile", "fr", "--category", "computers", "--pdf", expect=0)
    made = pdf_files(out)
    assert len(made) == 8
    # a whole-pack build without --pdf renders the other documents: the PDFs stay, listed, unreported
    again = cli("build", "--project", project, expect=0)
    assert "removed" not in again.stdout
    assert pdf_files(out) == made
    assert sorted(d["pdf"]["path"] for d in manifest(out).values() if "pdf" in d) == sorted(made)
    # and with nothing changed, --pdf converts nothing (PDFs are not reproducible: equal bytes = not redone)
    same = cli("build", "--project", project, "--profile", "fr", "--category", "computers", "--pdf", expect=0)
    assert same.stdout.splitlines()[0] == f"Built 8 documents (8 core) in {out}: 0 rendered, 8 unchanged, 0 PDFs converted."
    assert pdf_files(out) == made
    # a PDF that went missing is made again, alone
    (out / FR_ANNEX[0]).unlink()
    one = cli("build", "--project", project, "--profile", "fr", "--category", "computers", "--pdf", expect=0)
    assert "1 PDF converted." in one.stdout
    assert {k: v for k, v in pdf_files(out).items() if k != FR_ANNEX[0]} == {k: v for k, v in made.items() if k != FR_ANNEX[0]}


def test_a_changed_document_gets_a_new_pdf_and_without_pdf_its_old_one_goes(project: Path, cli, fake_lo: Path) -> None:  # type: ignore[no-untyped-def]
    out = project / "output"
    cli("build", "--project", project, "--profile", "fr", "--kind", "annex", "--edition", "issue", "--pdf", expect=0)
    made = pdf_files(out)
    fr = project / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("Smith", "Smyth"), encoding="utf-8")
    rebuilt = cli("build", "--project", project, "--profile", "fr", "--kind", "annex", "--edition", "issue", "--pdf",
                  expect=0)  # fmt: skip
    assert "3 rendered, 0 unchanged, 3 PDFs converted." in rebuilt.stdout
    assert all(pdf_files(out)[k] != v for k, v in made.items())
    fr.write_text(fr.read_text(encoding="utf-8").replace("Smyth", "Smith"), encoding="utf-8")
    plain = cli("build", "--project", project, "--profile", "fr", "--kind", "annex", "--edition", "issue", expect=0)
    assert plain.stdout.splitlines()[:3] == [
        f"removed {p} (its document changed; build with --pdf to make it again)" for p in sorted(made)
    ]
    assert pdf_files(out) == {}
    assert not any("pdf" in d for d in manifest(out).values())


def test_a_document_leaving_the_pack_takes_its_pdf_along(project: Path, cli, fake_lo: Path) -> None:  # type: ignore[no-untyped-def]
    out = project / "output"
    cli("build", "--project", project, "--profile", "itu", "--kind", "annex", "--edition", "issue", "--pdf", expect=0)
    itu = project / "profiles" / "itu.yaml"
    categories = [line for line in itu.read_text(encoding="utf-8").splitlines() if line.startswith("categories:")]
    assert categories, "the fixture's itu profile lists its categories on one line"
    itu.write_text(itu.read_text(encoding="utf-8").replace(categories[0], "categories: [computers]"), encoding="utf-8")
    result = cli("build", "--project", project, "--profile", "itu", "--kind", "annex", "--edition", "issue", expect=0)
    assert [line for line in result.stdout.splitlines() if line.startswith("removed")] == [
        f"removed itu/{cat}/itu-{cat}-{level}-annex-issue.{ext} (no longer part of the pack)"
        for cat in ("end-of-life", "mobile-devices") for level in ("comprehensive", "core") for ext in ("docx", "pdf")
    ]
    assert list(pdf_files(out)) == ["itu/computers/itu-computers-comprehensive-annex-issue.pdf", "itu/computers/itu-computers-core-annex-issue.pdf"]


def test_pdfs_convert_in_parallel_instances_with_a_progress_report(project: Path, fake_lo: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = commands.build(project, None, ("fr",), kinds=("annex", "tender"), jobs=2, pdf=True,
                            pdf_progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    assert len(result.pdfs) == 12
    assert seen[0] == (0, 12) and seen[-1] == (12, 12) and [d for d, _ in seen] == list(range(13))
    profiles = {(project / "output" / p).read_text().splitlines()[1] for p in result.pdfs}
    assert len(profiles) == 2, "two LibreOffice instances, each with its own user profile folder"


def test_a_failed_conversion_changes_nothing(project: Path, cli, fake_lo: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import snapshot

    cli("build", "--project", project, "--profile", "fr", "--kind", "annex", expect=0)
    before = snapshot(project / "output")
    fake_lo.write_text(FAKE.replace('startswith("FAIL")', 'endswith("issue.docx")'))
    result = cli("build", "--project", project, "--profile", "fr", "--kind", "annex", "--pdf", "-j", "1", expect=1)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: LibreOffice could not convert ")
    assert result.stderr.endswith(": cannot open\n")
    assert snapshot(project / "output") == before


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI installs it)")
def test_real_libreoffice_converts_the_selection(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    problem = word_pdf.libreoffice_problem()
    if problem:
        pytest.skip(problem)
    cli("build", "--project", project, expect=0)  # the whole pack, then PDFs of a selection only
    result = cli("build", "--project", project, "--profile", "fr", "--category", "computers", "--kind", "annex",
                 "--pdf", "--jobs", "2", expect=0)  # fmt: skip
    assert result.exit_code == 0, result.output
    out = project / "output"
    assert list(pdf_files(out)) == FR_ANNEX
    assert all(data.startswith(b"%PDF-") for data in pdf_files(out).values())
