"""Fill-in fields: buyer-only values are bound Word controls, never placeholder prose.

The shipped profiles stay templates (every issue edition carries bound controls and no "[insert ...]" or
"replace with" text); a buyer profile that sets every fill-in builds with ``--edition issue --strict``;
``check --issue-ready`` names what is missing; ``tenderpack fill`` sets the values as Word would.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import Result
from conftest import REPO, write
from lxml import etree

from tenderpack.errors import Collector
from tenderpack.project import load_project
from tenderpack.word.fillins import FILL_NS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
NS = {"w": W}
STORIES = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
PROSE = re.compile(r"replace with|\[insert|\[national|\[[^\[\]]{1,120}\]|remplacez|substitua (?:por|pelo|pela)|ersetzen sie\b", re.IGNORECASE)
BUYER = Path(__file__).resolve().parent / "fixtures" / "buyer" / "city-of-example.yaml"
CLI = Callable[..., Result]
FILL_PLACEHOLDERS = (
    "Enter the name of the contracting authority.", "Enter the name, e-mail and telephone of the contact point.",
    "Enter the tender reference.", "Enter the date and time by which tenders must be received.",
    "Enter the name of the e-procurement platform.", "Enter the threshold in force, with its currency.",
)  # fmt: skip


def _stories(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: etree.fromstring(z.read(n)) for n in sorted(z.namelist()) if STORIES.fullmatch(n)}


def _fill_part(data: bytes) -> tuple[list[Any], set[str]]:
    """Every fill-in part of a document and the store item ids its itemProps declare for that namespace."""
    parts, ids = [], set()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            if re.fullmatch(r"customXml/item\d+\.xml", name):
                root = etree.fromstring(z.read(name))
                if root.tag == f"{{{FILL_NS}}}fill-ins":
                    parts.append(root)
            elif re.fullmatch(r"customXml/itemProps\d+\.xml", name):
                props = etree.fromstring(z.read(name))
                if any(r.get(f"{{{DS}}}uri") == FILL_NS for r in props.iter(f"{{{DS}}}schemaRef")):
                    ids.add(props.get(f"{{{DS}}}itemID"))
    return parts, ids


def _fill_controls(data: bytes) -> list[tuple[str, Any]]:
    """(part, sdt) of every fill-in control (tag ``fill:<id>``)."""
    out = []
    for name, root in _stories(data).items():
        for sdt in root.iter(f"{{{W}}}sdt"):
            tag = sdt.find("w:sdtPr/w:tag", NS)
            if tag is not None and tag.get(f"{{{W}}}val", "").startswith("fill:"):
                out.append((name, sdt))
    return out


def _paragraph_texts(data: bytes) -> list[str]:
    return ["".join(p.itertext()) for root in _stories(data).values() for p in root.iter(f"{{{W}}}p")]


def _copy_repo(dest: Path) -> Path:
    for folder in ("clauses", "profiles", "templates"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


@pytest.fixture(scope="module")
def shipped_issue(shipped_pack: Path) -> Path:
    """The whole shipped pack (its issue editions are read: ``*-issue.docx``)."""
    return shipped_pack


# ------------------------------------------------------------------------------------------ shipped pack


def test_no_issue_document_of_the_shipped_pack_holds_placeholder_prose(shipped_issue: Path) -> None:
    documents = sorted(shipped_issue.rglob("*-issue.docx"))
    library = load_project(REPO, Collector(REPO)).library
    assert library is not None
    fill_placeholders = sorted({t for f in library.fill_ins for t in f.placeholder.values()}, key=len, reverse=True)
    assert len(documents) >= 300
    for path in documents:
        for text in _paragraph_texts(path.read_bytes()):
            for shown in fill_placeholders:  # a fill-in's own grey placeholder is its Word field, not prose
                text = text.replace(shown, "")
            found = PROSE.search(text)
            assert found is None, f"{path.name}: {found.group(0)!r} in {text!r}"


def test_shipped_issue_editions_carry_fill_ins_bound_to_one_part(shipped_issue: Path) -> None:
    library = load_project(REPO, Collector(REPO)).library
    assert library is not None
    placeholders = {f.id: set(f.placeholder.values()) for f in library.fill_ins}  # each in the document's language
    fills = {f.id: f for f in library.fill_ins}
    for path in sorted(shipped_issue.rglob("*-issue.docx")):
        data = path.read_bytes()
        parts, store_ids = _fill_part(data)
        assert len(parts) == 1 and len(store_ids) == 1, path.name
        elements = {etree.QName(el).localname for el in parts[0]}
        controls = _fill_controls(data)
        # every shipped profile leaves the authority's name unset: the cover and the footer show its field
        where = {(name, sdt.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val")) for name, sdt in controls}
        assert ("word/document.xml", "fill:authority.name") in where, path.name
        assert ("word/footer1.xml", "fill:authority.name") in where, path.name
        for _, sdt in controls:
            pr = sdt.find("w:sdtPr", NS)
            binding = pr.find("w:dataBinding", NS)
            assert binding is not None, path.name
            assert binding.get(f"{{{W}}}storeItemID") in store_ids
            assert binding.get(f"{{{W}}}prefixMappings") == f"xmlns:f='{FILL_NS}'"
            fill_id = pr.find("w:tag", NS).get(f"{{{W}}}val").removeprefix("fill:")
            assert binding.get(f"{{{W}}}xpath") == f"/f:fill-ins[1]/f:{fill_id}[1]"
            assert fill_id in elements
            assert pr.find("w:showingPlcHdr", NS) is not None and pr.find("w:text", NS) is not None
            shown = sdt.find("w:sdtContent/w:r", NS)
            assert shown.find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "PlaceholderText"
            assert shown.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "808080"
            said = "".join(shown.itertext())
            assert said in placeholders[fill_id], path.name
            assert said == fills[fill_id].placeholder.get("fr") if path.parts[-3] == "fr" else True, path.name  # French in French


def test_a_profile_value_is_plain_text_not_a_control(shipped_issue: Path) -> None:
    """uk sets its platform: the tender names it as text; eu leaves it unset: a bound control."""
    uk = (shipped_issue / "uk" / "computers" / "uk-computers-core-tender-issue.docx").read_bytes()
    eu = (shipped_issue / "eu" / "computers" / "eu-computers-core-tender-issue.docx").read_bytes()
    assert not any(t == "fill:tender.platform" for t in _tags(uk))
    assert any("through Find a Tender service (Central Digital Platform)" in t for t in _paragraph_texts(uk))
    assert "fill:tender.platform" in _tags(eu)


def _tags(data: bytes) -> list[str]:
    return [sdt.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") for _, sdt in _fill_controls(data)]


def test_check_issue_ready_lists_the_unset_fill_ins_of_a_shipped_profile(cli: CLI) -> None:
    result = cli("check", "--project", REPO, "--issue-ready", "eu", expect=1)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    ids = sorted(re.match(r"Error: profiles/eu\.yaml: ([a-z.-]+): ", line).group(1) for line in lines[:-1])  # type: ignore[union-attr]
    assert ids == ["authority.contact", "authority.name", "tender.deadline", "tender.platform", "tender.reference",
                   "thresholds.open-procedure"]  # fmt: skip
    assert lines[-1] == "Error: 6 problems: the issue edition of profile eu is not ready to issue."


def test_strict_issue_build_of_a_shipped_profile_is_refused(cli: CLI, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("build", "--project", REPO, "--out", out, "--profile", "uk", "--edition", "issue", "--strict", expect=1)
    assert result.exit_code == 1
    assert (
        "Error: profiles/uk.yaml: authority.name: profile uk: fill-in authority.name is not set; --strict builds "
        "issue editions only with every fill-in set (set it in the profile, or build without --strict)"
    ) in result.output.splitlines()
    assert "tender.platform" not in result.output  # uk sets it
    assert result.output.splitlines()[-1] == "Error: 5 problems found; nothing was written."
    assert not out.exists()


# ------------------------------------------------------------------------------------------ a buyer profile


@pytest.fixture(scope="module")
def buyer_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from tenderpack.cli import main

    root = _copy_repo(tmp_path_factory.mktemp("buyer") / "project")
    shutil.copy(BUYER, root / "profiles" / BUYER.name)
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--profile", "city-of-example",
                                       "--edition", "issue", "--strict"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


def test_a_buyer_profile_that_sets_every_fill_in_builds_strict_with_none_left(buyer_pack: Path, cli: CLI) -> None:
    documents = sorted((buyer_pack / "output" / "city-of-example").rglob("*.docx"))
    assert len(documents) >= 30
    for path in documents:
        data = path.read_bytes()
        assert _fill_controls(data) == [], path.name
        texts = _paragraph_texts(data)
        assert any("City of Example Council & Partners" in t for t in texts), path.name
        assert not [t for t in texts if any(ph in t for ph in FILL_PLACEHOLDERS)], path.name
        part = _fill_part(data)[0][0]
        assert part.find(f"{{{FILL_NS}}}tender.reference").text == "CE-ICT-2027-004"
    tender = next(p for p in documents if p.name.endswith("computers-core-tender-issue.docx")).read_bytes()
    body = _paragraph_texts(tender)
    assert "Tender reference: CE-ICT-2027-004" in body
    assert "Submission deadline: 15 January 2027, 12:00 (UK time)" in body
    assert any("are sent to Procurement team, procurement@example.gov.uk" in t for t in body)
    result = cli("check", "--project", buyer_pack, "--issue-ready", "city-of-example", expect=0)
    assert result.output == "OK: the issue edition of profile city-of-example has every fill-in set and no placeholder text.\n"


# ------------------------------------------------------------------------------------------ check


def test_issue_ready_names_placeholder_prose_at_its_file_and_line(project: Path, cli: CLI) -> None:
    fr = project / "profiles" / "fr.yaml"
    fr.write_text(fr.read_text() + "tender:\n  reference: X-1\n  deadline: '[insert the deadline]'\n")
    clause = project / "clauses" / "core" / "cpc.spare-parts.yaml"
    lines = clause.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("text: |")) + 3  # the text's second line
    lines.insert(at - 1, "  Deliver to Ministry of [name] (replace with your authority).")
    clause.write_text("\n".join(lines) + "\n")
    result = cli("check", "--project", project, "--issue-ready", "fr", expect=1)
    out = result.output.splitlines()
    deadline_line = fr.read_text().splitlines().index("  deadline: '[insert the deadline]'") + 1
    assert out == [
        f"Error: clauses/core/cpc.spare-parts.yaml:{at}: text: placeholder text '[name]' would be printed in the issue "
        "edition; replace it with the real text or a fill-in",
        f"Error: clauses/core/cpc.spare-parts.yaml:{at}: text: placeholder text 'replace with' would be printed in the "
        "issue edition; replace it with the real text or a fill-in",
        f"Error: profiles/fr.yaml:{deadline_line}: tender.deadline: placeholder text '[insert the deadline]' would be "
        "printed in the issue edition; set the real value or leave it unset",
        "Error: 3 problems: the issue edition of profile fr is not ready to issue.",
    ]


def test_check_rejects_a_fill_in_the_library_does_not_declare(project: Path, cli: CLI) -> None:
    lib = project / "clauses" / "library.yaml"
    text = lib.read_text()
    lib.write_text(text.replace("{{ profile.platform }}", '{{ fill["tender.platfrom"] }}'))
    line = text.splitlines().index(next(x for x in text.splitlines() if "{{ profile.platform }}" in x))
    result = cli("check", "--project", project, expect=1)
    assert (
        f"Error: clauses/library.yaml:{line}: documents.tender.after.1.text: uses fill-in 'tender.platfrom', which "
        "clauses/library.yaml fill_ins does not declare (declared: authority.contact, authority.name, tender.deadline, "
        "tender.platform, tender.reference, thresholds.open-procedure)"
    ) in result.output.splitlines()


def test_a_fill_in_id_must_be_a_profile_key(project: Path, cli: CLI) -> None:
    lib = project / "clauses" / "library.yaml"
    lib.write_text(lib.read_text().replace("  - id: tender.deadline", "  - id: tender.closing"))
    result = cli("check", "--project", project, expect=1)
    assert "'tender.closing' is not a fill-in a profile can set" in result.output


# ------------------------------------------------------------------------------------------ fill


VALUES = {
    "authority.name": "City of Example & Sons <Ltd>",
    "tender.reference": "CE-2027-017",
    "tender.deadline": "15 January 2027, 12:00",
}


@pytest.fixture(scope="module")
def filled(shipped_issue: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from click.testing import CliRunner

    from tenderpack.cli import main

    src = shipped_issue / "eu" / "computers" / "eu-computers-core-tender-issue.docx"
    out = tmp_path_factory.mktemp("filled") / "filled.docx"
    args = ["fill", str(src), "-o", str(out)]
    for k, v in VALUES.items():
        args += ["--set", f"{k}={v}"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"Filled 3 values into 8 fields: {out}\n"
    return src, out


def test_fill_sets_the_part_and_every_bound_place(filled: tuple[Path, Path]) -> None:
    src, out = filled
    data = out.read_bytes()
    part = _fill_part(data)[0][0]
    for fill_id, value in VALUES.items():
        assert part.find(f"{{{FILL_NS}}}{fill_id}").text == value
    before = {t for t in _tags(src.read_bytes())}
    assert {"fill:authority.name", "fill:tender.reference", "fill:tender.deadline"} <= before
    for _, sdt in _fill_controls(data):
        fill_id = sdt.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val").removeprefix("fill:")
        shown = "".join(sdt.find("w:sdtContent", NS).itertext())
        if fill_id in VALUES:
            assert shown == VALUES[fill_id]
            assert sdt.find("w:sdtPr/w:showingPlcHdr", NS) is None
            assert sdt.find("w:sdtContent//w:rStyle", NS) is None  # no longer grey
        else:
            assert sdt.find("w:sdtPr/w:showingPlcHdr", NS) is not None  # still to fill


def test_fill_is_read_back_with_python_docx(filled: tuple[Path, Path]) -> None:
    document = docx.Document(str(filled[1]))

    def text(paragraph: Any) -> str:  # python-docx's paragraph.text skips content controls: read their runs too
        return "".join(paragraph._p.xpath(".//w:t/text()"))

    cover = [text(p) for p in document.paragraphs[:8]]
    assert VALUES["authority.name"] in cover
    assert f"Tender reference: {VALUES['tender.reference']}" in cover
    assert f"Submission deadline: {VALUES['tender.deadline']}" in cover
    assert text(document.sections[0].footer.paragraphs[0]).startswith(VALUES["authority.name"] + " · Invitation to tender")
    body = [text(p) for p in document.paragraphs]
    assert any(t.startswith(VALUES["authority.name"] + " (the Contracting Authority) invites tenders") for t in body)
    assert any(f"by {VALUES['tender.deadline']}, quoting the tender reference {VALUES['tender.reference']}." in t for t in body)
    assert not any("Enter the name of the contracting authority" in t for t in body)


def test_fill_is_deterministic_and_can_be_repeated(filled: tuple[Path, Path], tmp_path: Path, cli: CLI) -> None:
    src, out = filled
    again = tmp_path / "again.docx"
    args = [a for k, v in VALUES.items() for a in ("--set", f"{k}={v}")]
    assert cli("fill", src, *args, "-o", again, expect=0).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    changed = tmp_path / "changed.docx"
    assert cli("fill", out, "--set", "authority.name=Another Council", "-o", changed, expect=0).exit_code == 0
    texts = _paragraph_texts(changed.read_bytes())
    assert "Another Council" in texts and not any(VALUES["authority.name"] in t for t in texts)
    assert f"Tender reference: {VALUES['tender.reference']}" in texts  # kept from the first fill


@pytest.mark.skipif(shutil.which("openxml-audit") is None, reason="openxml-audit is not installed")
def test_filled_document_passes_openxml_audit(filled: tuple[Path, Path]) -> None:
    for path in filled:
        result = subprocess.run(["openxml-audit", "-q", "-f", "microsoft365", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext is not installed (CI installs both)")  # fmt: skip
def test_libreoffice_shows_the_filled_values(filled: tuple[Path, Path], tmp_path: Path) -> None:
    pages = {}
    for path in filled:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp_path / path.stem), str(path)],
            capture_output=True, check=True, timeout=180,
        )  # fmt: skip
        pdf = tmp_path / path.stem / (path.stem + ".pdf")
        pages[path] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                     check=True).stdout.split("\f")  # fmt: skip
    src, out = filled
    assert "Enter the name of the contracting authority." in pages[src][0]
    first = pages[out][0]
    assert VALUES["authority.name"] in first
    assert f"Tender reference: {VALUES['tender.reference']}" in first
    assert f"Submission deadline: {VALUES['tender.deadline']}" in first
    assert "Enter the name of the contracting authority." not in "".join(pages[out])
    for page in pages[out]:
        if page.strip():
            assert f"{VALUES['authority.name']} · Invitation to tender" in page  # the footer of every page
    text = re.sub(r"\s+", " ", "".join(pages[out]))
    assert f"{VALUES['authority.name']} (the Contracting Authority) invites tenders" in text


def test_fill_refuses_an_unknown_id_with_a_suggestion(filled: tuple[Path, Path], tmp_path: Path, cli: CLI) -> None:
    out = tmp_path / "x.docx"
    result = cli("fill", filled[0], "--set", "authority.nmae=X", "-o", out, expect=2)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--set': unknown fill-in 'authority.nmae' (did you mean 'authority.name'?)"
    )
    assert not out.exists()
    result = cli("fill", filled[0], "--set", "authority.name", "-o", out, expect=2)
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--set': 'authority.name' is not ID=VALUE (e.g. authority.name=City of Example)"
    )
    result = cli("fill", filled[0], "--set", "authority.name=A\x0bB", "-o", out, expect=2)
    assert result.output.splitlines()[-1] == (
        "Error: Invalid value for '--set': authority.name: the value holds a line break or a control character"
    )
    assert not out.exists()


def test_fill_refuses_a_document_that_is_not_a_tenderpack_document(tmp_path: Path, cli: CLI) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    out = tmp_path / "out.docx"
    result = cli("fill", plain, "--set", "authority.name=X", "-o", out, expect=1)
    assert result.exit_code == 1
    assert result.output == f"Error: {plain}: not a tenderpack document with fill-ins (it has no fill-in data part)\n"
    assert not out.exists()


def test_fill_refuses_entities_in_the_fill_in_part(filled: tuple[Path, Path], tmp_path: Path, cli: CLI) -> None:
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(filled[0]) as zin, zipfile.ZipFile(hostile, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "customXml/item2.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1)
            zout.writestr(name, data)
    result = cli("fill", hostile, "--set", "authority.name=X", "-o", tmp_path / "out.docx", expect=1)
    assert result.output == (
        f"Error: {hostile}: customXml/item2.xml declares a DTD or entities (<!DOCTYPE>), which are not accepted\n"
    )


def test_new_profile_starter_documents_the_fill_ins(project: Path, cli: CLI) -> None:
    assert cli("new-profile", "--project", project, "city", "--extends", "fr", expect=0).exit_code == 0
    text = (project / "profiles" / "city.yaml").read_text()
    assert "#   reference: \"...\"              # fill-in tender.reference" in text
    write(project / "profiles" / "city.yaml", text + "tender:\n  reference: C-1\n  deadline: 1 March 2027\n")
    assert cli("check", "--project", project, "--issue-ready", "city", expect=0).exit_code == 0


def test_shipped_profiles_hold_no_placeholder_prose_only_unset_fill_ins() -> None:
    from tenderpack.pipeline import check
    from tenderpack.readiness import issue_ready

    checked = check(REPO)
    for pid in sorted(checked.resolved):
        findings = issue_ready(checked, pid)
        assert findings, pid  # the shipped profiles are templates: the buyer's own values stay fields
        prose = [str(p) for p in findings if "fill-in" not in p.message]
        assert prose == [], pid
