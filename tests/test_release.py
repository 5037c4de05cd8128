"""`tenderpack pack` and `tenderpack diff`: reproducible release packs, changelog, redlines, guards."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lo_redline
import pytest
import redline_sim as sim
from click.testing import CliRunner, Result
from conftest import REPO, make_project
from test_redline import edit, second_version

from tenderpack import __version__
from tenderpack.cli import main
from tenderpack.release import pack_name

V1, V2 = "2026.11", "2026.12"
REWORD = ("replaced with commonly available tools:", "replaced with tools sold on the market:")


def invoke(*args: Any) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def manifest(path: Path) -> dict[str, Any]:
    return dict(json.loads(entries(path)["manifest.json"]))


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project packed as 2026.11 (read-only for tests)."""
    base = tmp_path_factory.mktemp("release")
    root = make_project(base / "v1")
    result = invoke("pack", "--project", root, "--version", V1, "--out", base / "p1", "--jobs", "2")
    assert result.exit_code == 0, result.output
    return base / "p1" / pack_name(V1)


@pytest.fixture(scope="module")
def reworded(first: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """One clause (ts.repair) re-worded with a new version, packed as 2026.12 against 2026.11."""
    base = tmp_path_factory.mktemp("reworded")
    root = make_project(base / "v2")
    edit(root / "clauses" / "core" / "ts.repair.yaml", ("version: 1", "version: 2"), REWORD)
    result = invoke("pack", "--project", root, "--version", V2, "--previous", first, "--out", base / "p2")
    assert result.exit_code == 0, result.output
    return base / "p2" / pack_name(V2), result


# ------------------------------------------------------------------------------------------ contents


def test_pack_holds_documents_manifest_changelog_and_checksums(first: Path) -> None:
    files = entries(first)
    names = list(files)
    assert names[:4] == ["manifest.json", "CHANGELOG.md", "SHA256SUMS", "clauses.json"]
    docs = [n for n in names if n.startswith("documents/") and n.endswith(".docx")]
    notices = [n for n in names if n.startswith("documents/") and n.endswith(("-eforms.xml", "-ocds.json"))]
    # notices: 2 formats x 18 profile, category and level sets
    assert len(docs) == 132 and docs == sorted(docs) and len(notices) == 36 and len(names) == 136 + len(notices)
    m = json.loads(files["manifest.json"])
    assert m["pack"] == {"version": V1, "date": "2026-11-23"}
    assert m["tenderpack"] == __version__ and m["previous"] is None
    assert m["profiles"]["fr"] == {
        "chain": ["itu", "eu", "fr"],
        "files": ["profiles/itu.yaml", "profiles/eu.yaml", "profiles/fr.yaml"],
    }
    by_path = {d["path"]: d for d in m["documents"]}
    assert set(by_path) == set(docs)
    for path, d in by_path.items():
        assert d["sha256"] == sim_sha(files[path])
    doc = by_path["documents/eu/mobile-devices/eu-mobile-devices-core-annex-issue.docx"]
    assert {"id": "cpc.spare-parts", "version": 2} in doc["clauses"]
    assert doc["parameters"]["cpc.spare-parts"] == {"years": 7}
    assert doc["chain"] == ["itu", "eu"] and len(doc["content"]) == 64
    # beside each profile/category's documents: its eForms fragment and OCDS release, per level
    by_notice = {n["path"]: n for n in m["notices"]}
    assert set(by_notice) == set(notices)
    sums = files["SHA256SUMS"].decode()
    for path, n in by_notice.items():
        assert n["sha256"] == sim_sha(files[path]) and f"{n['sha256']}  {path}\n" in sums
        assert path == f"documents/{n['profile']}/{n['category']}/{n['profile']}-{n['category']}-{n['level']}-" + (
            "eforms.xml" if n["format"] == "eforms" else "ocds.json")
    release = json.loads(files["documents/eu/computers/eu-computers-core-ocds.json"])["releases"][0]
    issued = {p: by_path[p]["sha256"] for p in docs if p.startswith("documents/eu/computers/eu-computers-core-") and p.endswith("-issue.docx")}
    assert {d["id"]: d["description"].rsplit(" ", 1)[1] for d in release["tender"]["documents"]} == issued
    listed = {f["path"]: f["sha256"] for f in m["files"]}
    assert set(listed) == set(names) - {"manifest.json", "SHA256SUMS"}
    clauses = {c["id"]: c for c in json.loads(files["clauses.json"])["clauses"]}
    assert clauses["ts.draft-example"]["status"] == "draft"
    assert clauses["cpc.spare-parts"]["parameters"]["years"]["default"] == {"core": 3, "comprehensive": 5}
    assert clauses["ts.repair"]["text"]["en"].startswith("The {{ Contractor }} shall ensure")
    assert files["CHANGELOG.md"].decode().startswith(f"# tenderpack pack {V1} (2026-11-23)\n\nFirst release pack")


def sim_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_entry_has_a_fixed_time_mode_and_order(first: Path) -> None:
    with zipfile.ZipFile(first) as z:
        infos = z.infolist()
    assert {i.date_time for i in infos} == {(2026, 11, 23, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {stat.S_IFREG | 0o644}
    assert {(i.create_system, i.compress_type) for i in infos} == {(3, zipfile.ZIP_DEFLATED)}


def test_two_packs_are_identical_byte_for_byte(first: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "again")
    result = invoke("pack", "--project", root, "--version", V1, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / pack_name(V1)).read_bytes() == first.read_bytes()
    # a pack that reuses a fresh output/ (built for this version) gives the same bytes too
    assert invoke("build", "--project", root).exit_code == 0
    result = invoke("pack", "--project", root, "--version", V1)
    assert result.exit_code == 0, result.output
    assert (root / "releases" / pack_name(V1)).read_bytes() == first.read_bytes()


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_sha256sums_verify_with_sha256sum(first: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(first) as z:
        z.extractall(tmp_path)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK\n") == 135 + 36  # the eForms fragments and OCDS releases
    (tmp_path / "CHANGELOG.md").write_text("tampered")
    assert (
        subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=tmp_path, capture_output=True).returncode == 1
    )


def test_source_date_epoch_sets_the_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "p")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15 08:00:00 UTC
    assert invoke("pack", "--project", root, "--version", V1, "--out", tmp_path).exit_code == 0
    zip_path = tmp_path / pack_name(V1)
    assert manifest(zip_path)["pack"]["date"] == "2027-01-15"
    with zipfile.ZipFile(zip_path) as z:
        assert {i.date_time for i in z.infolist()} == {(2027, 1, 15, 8, 0, 0)}


# ------------------------------------------------------------------------------------------ changelog, redlines


def test_changelog_names_the_reworded_clause(reworded: tuple[Path, Result]) -> None:
    path, result = reworded
    changelog = entries(path)["CHANGELOG.md"].decode()
    assert f"Changes since pack {V1} (2026-11-23)." in changelog
    assert (
        "## Clauses re-worded\n\n- `ts.repair` v1 → v2 “Design for repair”: "
        "eu: computers, mobile-devices; fr: computers, mobile-devices; itu: computers, mobile-devices\n"
    ) in changelog
    assert "## Clauses added" not in changelog and "## Parameters changed" not in changelog
    assert "Clauses re-worded (1):\n  ts.repair v1 → v2 “Design for repair”\n" in result.output
    assert manifest(path)["previous"]["version"] == V1


def test_redlines_for_exactly_the_documents_with_the_clause(first: Path, reworded: tuple[Path, Result]) -> None:
    path, _ = reworded
    m = manifest(path)
    with_clause = {d["path"] for d in m["documents"] if any(c["id"] == "ts.repair" for c in d["clauses"])}
    assert len(with_clause) == 48  # both levels
    assert {r["document"] for r in m["redlines"]} == with_clause
    files, old_files = entries(path), entries(first)
    assert sorted(n for n in files if n.startswith("redlines/")) == sorted(r["path"] for r in m["redlines"])
    for r in m["redlines"]:
        red = sim.document(files[r["path"]])
        if "tender" in r["path"]:  # the clause text itself: one word-level deletion and insertion
            body = [p for p in red.iter(sim.W + "p") if "replaced with" in sim.text_of(p)]
            assert len(body) == 1, r["path"]
            assert [sim.text_of(d) for d in body[0].iter(sim.W + "del")] == ["commonly available "]
            assert [sim.text_of(i) for i in body[0].iter(sim.W + "ins")] == [" sold on the market"]
        # questionnaires print the questions, not the clause text: only the versions shown change
        assert r["clauses"]["changed"] == (["ts.repair"] if "tender" in r["path"] else []), r
        assert sim.paragraphs(sim.resolve(red, accept=True)) == sim.paragraphs(sim.document(files[r["document"]]))
        assert sim.paragraphs(sim.resolve(red, accept=False)) == sim.paragraphs(sim.document(old_files[r["document"]]))
        assert r["sha256"] == sim_sha(files[r["path"]])


@pytest.mark.libreoffice
def test_libreoffice_opens_the_redlines(first: Path, reworded: tuple[Path, Result], tmp_path: Path) -> None:
    if not lo_redline.available():
        pytest.skip("LibreOffice is not installed")
    files, old_files = entries(reworded[0]), entries(first)
    chosen = [r for r in manifest(reworded[0])["redlines"] if r["document"].startswith("documents/fr/computers/")]
    assert len(chosen) == 8  # tender and questionnaire, both editions, both levels
    jobs = []
    for i, r in enumerate(chosen):
        for tag, data in (("red", files[r["path"]]), ("old", old_files[r["document"]]), ("new", files[r["document"]])):
            (tmp_path / f"{i}-{tag}.docx").write_bytes(data)
        jobs += [{"path": str(tmp_path / f"{i}-red.docx"), "redlines": True},
                 {"path": str(tmp_path / f"{i}-old.docx")}, {"path": str(tmp_path / f"{i}-new.docx")}]  # fmt: skip
    others = [r for r in manifest(reworded[0])["redlines"] if r not in chosen]
    for i, r in enumerate(others):
        (tmp_path / f"other-{i}.docx").write_bytes(files[r["path"]])
        jobs.append({"path": str(tmp_path / f"other-{i}.docx"), "redlines": True, "resolve": False})
    results = lo_redline.run(jobs)
    for item, r in zip(results[3 * len(chosen) :], others, strict=True):  # every redline opens with its changes
        assert {x["type"] for x in item["redlines"]} >= {"Insert", "Delete"}, r["path"]
    for i, r in enumerate(chosen):  # and in a sample, accepting and rejecting them gives the new and old text
        red, old, new = results[3 * i : 3 * i + 3]
        assert {x["type"] for x in red["redlines"]} >= {"Insert", "Delete"}, r["path"]
        assert {x["author"] for x in red["redlines"]} == {"tenderpack"}
        assert {x["date"] for x in red["redlines"]} == {"2026-11-23"}
        if "tender" in r["path"]:  # before review, the text shows the deletion and the insertion
            assert "replaced with commonly available tools sold on the market:" in red["text"]
        assert red["accepted"] == new["text"], r["path"]
        assert red["rejected"] == old["text"], r["path"]


def test_many_changes_are_all_reported(first: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "v2")
    second_version(root)
    result = invoke("pack", "--project", root, "--version", V2, "--previous", first, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    changelog = entries(tmp_path / pack_name(V2))["CHANGELOG.md"].decode()
    everywhere = "eu: computers, mobile-devices; fr: computers, mobile-devices; itu: computers, mobile-devices"
    assert f"## Clauses added\n\n- `ts.upgrade` v1 “Upgradeable memory” (new clause): {everywhere}\n" in changelog
    assert f"## Clauses removed\n\n- `ac.warranty` v1 “Extended warranty” (now retired): {everywhere}\n" in changelog
    assert f"- `ts.battery` v1 “Battery endurance” (stage solicitation → evaluation): {everywhere}\n" in changelog
    assert "## Parameters changed\n\n- eu/mobile-devices: `cpc.spare-parts.years` 7 → 8\n" in changelog
    assert "- fr/mobile-devices: `cpc.spare-parts.years` 7 → 8\n" in changelog
    # redlines too are reproducible: another process, another hash seed, no worker pool
    env = {**os.environ, "PYTHONHASHSEED": "3"}
    cmd = [sys.executable, str(REPO / "build.py"), "pack", "--project", str(root), "--version", V2,
           "--previous", str(first), "--out", str(tmp_path / "again"), "--jobs", "1"]  # fmt: skip
    assert subprocess.run(cmd, env=env, capture_output=True).returncode == 0
    assert (tmp_path / "again" / pack_name(V2)).read_bytes() == (tmp_path / pack_name(V2)).read_bytes()
    diff = invoke("diff", first, tmp_path / pack_name(V2))
    assert diff.exit_code == 0
    assert diff.output.startswith(f"Pack {V1} (2026-11-23) → {V2} (2026-11-23)\nClauses added (1):\n  ts.upgrade v1")
    assert "  eu/mobile-devices: cpc.spare-parts.years 7 → 8\n" in diff.output
    assert diff.output.endswith("Documents: 56 changed, 0 added, 0 removed.\n")


def test_diff_of_a_pack_with_itself_reports_nothing(first: Path) -> None:
    result = invoke("diff", first, first)
    assert (result.exit_code, result.output) == (
        0,
        f"Pack {V1} (2026-11-23) → {V1} (2026-11-23)\nNo clause, parameter or document changed.\n",
    )


def test_a_clause_default_change_is_a_parameter_change(first: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "v2")
    edit(
        root / "clauses" / "core" / "cpc.spare-parts.yaml",
        ("default: {core: 3, comprehensive: 5}", "default: {core: 4, comprehensive: 5}"),
    )
    assert invoke("pack", "--project", root, "--version", V2, "--previous", first, "--out", tmp_path).exit_code == 0
    changelog = entries(tmp_path / pack_name(V2))["CHANGELOG.md"].decode()
    assert "- clause default: `cpc.spare-parts.years` core 3, comprehensive 5 → core 4, comprehensive 5\n" in changelog
    assert "- itu/computers (core): `cpc.spare-parts.years` 3 → 4\n" in changelog  # the comprehensive default did not change
    assert "re-worded" not in changelog


# ------------------------------------------------------------------------------------------ guards


def test_wording_changed_without_a_new_version_is_refused(first: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "v2")
    edit(root / "clauses" / "core" / "ts.repair.yaml", REWORD)
    result = invoke("pack", "--project", root, "--version", V2, "--previous", first, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: clause ts.repair: wording changed but version is still 1; bump the version\n"
        "Error: 1 problem found; nothing was written.\n"
    )
    assert not (tmp_path / "out").exists()
    diff_target = make_project(tmp_path / "v3")
    edit(diff_target / "clauses" / "core" / "sc.ems.yaml", ("title: ", "title: Certified "))
    result = invoke("pack", "--project", diff_target, "--version", V2, "--previous", first, "--out", tmp_path / "out")
    assert result.stderr.startswith("Error: clause sc.ems: wording changed but version is still 1; bump the version\n")


def test_a_project_with_errors_is_not_released(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    edit(root / "clauses" / "core" / "ts.repair.yaml", ("type: technical-specification", "type: nonsense"))
    result = invoke("pack", "--project", root, "--version", V1, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "ts.repair.yaml:5: type: unknown clause type 'nonsense'" in result.stderr
    assert result.stderr.endswith("nothing was written.\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("version", ["../evil", "", "a b", "x" * 65])
def test_a_bad_version_is_a_usage_error(tmp_path: Path, version: str) -> None:
    result = invoke("pack", "--project", tmp_path, "--version", version)
    assert result.exit_code == 2
    assert "Invalid value for '--version'" in result.stderr


def test_unusable_previous_packs(tmp_path: Path, cli: Callable[..., Result]) -> None:
    root = make_project(tmp_path / "p")
    text = tmp_path / "old.zip"
    text.write_text("no zip")
    result = invoke("pack", "--project", root, "--version", V2, "--previous", text, "--out", tmp_path / "out")
    assert (result.exit_code, result.stderr) == (1, f"Error: {text} is not a zip file\n")
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("readme.txt", "hello")
    result = invoke("diff", other, other)
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {other} is not a tenderpack release pack (no manifest.json or clauses.json)\n"
    )  # fmt: skip
    assert invoke("diff", tmp_path / "missing.zip", other).exit_code == 2
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------------------ unchanged documents and overwrites


def test_documents_with_an_unchanged_fingerprint_are_never_changed(tmp_path: Path) -> None:
    """Policy documents carry no clause: their empty clause list must not make them "changed"."""
    root = make_project(tmp_path / "p")
    edit(root / "profiles" / "itu.yaml", ("documents: [tender, annex, questionnaire]", "documents: [tender, annex, questionnaire, policy]"))
    assert invoke("pack", "--project", root, "--version", V1, "--out", tmp_path).exit_code == 0
    zipped = tmp_path / pack_name(V1)
    policies = [d for d in manifest(zipped)["documents"] if d["kind"] == "policy"]
    assert policies and all(d["clauses"] == [] for d in policies)
    result = invoke("diff", zipped, zipped)
    assert (result.exit_code, result.output) == (
        0,
        f"Pack {V1} (2026-11-23) → {V1} (2026-11-23)\nNo clause, parameter or document changed.\n",
    )


def test_pack_refuses_to_overwrite_a_release_unless_forced(first: Path, tmp_path: Path) -> None:
    before = first.read_bytes()
    result = invoke("pack", "--project", tmp_path, "--version", V1, "--out", first.parent)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {first} already exists: a published release is not overwritten; use --force to replace it\n",
    )
    assert first.read_bytes() == before
    root = make_project(tmp_path / "p")
    target = tmp_path / "out" / pack_name(V1)
    target.parent.mkdir()
    target.write_bytes(b"an older, different release")
    result = invoke("pack", "--project", root, "--version", V1, "--out", target.parent, "--force")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == before


def test_a_version_other_than_the_librarys_is_warned_about(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = invoke("pack", "--project", root, "--version", "1.1.0", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: clauses/library.yaml:5: release.version: the pack version '1.1.0' differs from the library's "
        "release version '2026.11': update release.version (and release.date) in the library, or check --version\n"
    )
    assert manifest(tmp_path / pack_name("1.1.0"))["pack"]["version"] == "1.1.0"


def test_a_category_limit_is_wording_and_redlines_only_where_the_text_changes(first: Path, tmp_path: Path) -> None:
    """[only: computers] on the keyboard item: re-worded in the changelog, deleted in the phones' tender."""
    root = make_project(tmp_path / "v2")
    limit = ("3. the keyboard, where fitted.", "3. [only: computers] the keyboard, where fitted.")
    edit(root / "clauses" / "core" / "ts.repair.yaml", limit)
    refused = invoke("pack", "--project", root, "--version", V2, "--previous", first, "--out", tmp_path / "refused")
    assert refused.stderr.startswith("Error: clause ts.repair: wording changed but version is still 1; bump the version\n")
    edit(root / "clauses" / "core" / "ts.repair.yaml", ("version: 1", "version: 2"))
    result = invoke("pack", "--project", root, "--version", V2, "--previous", first, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / pack_name(V2)
    assert "- `ts.repair` v1 → v2 “Design for repair”" in entries(path)["CHANGELOG.md"].decode()
    files = entries(path)
    redlines = {r["document"]: r["path"] for r in manifest(path)["redlines"]}

    def redline(category: str) -> Any:
        (name,) = [d for d in redlines if f"fr/{category}/" in d and d.endswith("-core-tender-issue.docx")]
        return sim.document(files[redlines[name]])

    phones = redline("mobile-devices")
    assert [sim.text_of(d) for d in phones.iter(sim.W + "del") if "keyboard" in sim.text_of(d)] == [
        "the keyboard, where fitted."
    ]
    # the computers tender prints the same text as before: its content fingerprint is unchanged, so it is not
    # a changed document and gets no redline
    assert not [d for d in redlines if "fr/computers/" in d and d.endswith("-tender-issue.docx")]
