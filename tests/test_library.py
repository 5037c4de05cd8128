"""The shipped clause library and profiles: they pass check --strict and build a full pack."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import check_shipped

from tenderpack.word.inspect import dump_text

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def checked():  # type: ignore[no-untyped-def]
    return check_shipped()


@pytest.fixture(scope="module")
def shipped_build(shipped_pack: Path) -> Path:
    return shipped_pack


def test_check_strict_passes(checked) -> None:  # type: ignore[no-untyped-def]
    assert checked.warnings == []
    assert len(checked.resolved) >= 9


def test_every_slot_is_covered_by_an_approved_clause(checked) -> None:  # type: ignore[no-untyped-def]
    lib = checked.project.library
    assert len(lib.slots) == 58
    covered = {s for c in checked.project.clauses.values() if c.status == "approved" for s in c.slots}
    assert set(lib.slots) <= covered


def test_every_approved_clause_is_complete(checked) -> None:  # type: ignore[no-untyped-def]
    placeholder = re.compile(r"\bTBD\b|\[insert|\bXX\b|lorem ipsum", re.IGNORECASE)
    for clause in checked.project.clauses.values():
        if clause.status != "approved":
            continue
        assert clause.references, clause.id
        for field in (clause.text, clause.verification, clause.guidance):
            assert field["en"].strip(), clause.id
            assert not placeholder.search(field["en"]), clause.id
        numbers = re.findall(r"(?<![\w.{])\d+(?:\.\d+)?\s*(?:%|years|days|months|cycles)\b", clause.text["en"])
        assert not numbers, f"{clause.id}: typed thresholds {numbers} should be parameters"


def test_questionnaire_and_kpi_items_exist(checked) -> None:  # type: ignore[no-untyped-def]
    clauses = checked.project.clauses
    questions = {q.id for c in clauses.values() for q in c.questions}
    kpis = {k.id for c in clauses.values() for k in c.kpis}
    assert len(questions) >= 14 and len(kpis) >= 10
    for cid in ("cpc.spare-parts", "cpc.repair-sla", "cpc.takeback", "cpc.eol-reporting", "cpc.kpi-review"):
        assert clauses[cid].kpis or cid == "cpc.kpi-review", cid


def test_profiles_cite_their_own_law_at_article_level(checked) -> None:  # type: ignore[no-untyped-def]
    for pid, r in checked.resolved.items():
        if pid in ("itu", "rw"):
            continue  # the international baseline has no law of its own; Rwanda's articles are unconfirmed
        cited = " ".join(text for c in r.profile.legal.values() for text in c.text.values())
        assert re.search(r"(Article|article|artículos?|art\.|arts?\b|§|s\.\s?\d|section|Rule|Part)\s*\S*\d", cited), pid


def test_full_pack_builds(shipped_build: Path, checked) -> None:  # type: ignore[no-untyped-def]
    manifest = json.loads((shipped_build / "manifest.json").read_text())
    def documents(r) -> int:  # type: ignore[no-untyped-def]
        # drafting and issue per language, and a bilingual edition of each kind but the questionnaire for two
        kinds, langs = len(r.profile.documents), len(r.profile.all_languages)
        bilingual = kinds - ("questionnaire" in r.profile.documents) if langs > 1 else 0
        return len(r.profile.categories) * len(r.profile.levels) * (kinds * 2 * langs + bilingual)

    assert len(manifest["documents"]) == sum(documents(r) for r in checked.resolved.values())
    assert {pid for pid, r in checked.resolved.items() if len(r.profile.all_languages) > 1} == {"rw"}
    kinds = {(d["profile"], d["kind"]) for d in manifest["documents"]}
    for pid in checked.resolved:
        assert (pid, "policy") in kinds and (pid, "checklist") in kinds
    for d in manifest["documents"]:  # the level is in the entry and in the path, exactly so
        p, c, lv, k, e = d["profile"], d["category"], d["level"], d["kind"], d["edition"]
        folder = f"{d['language']}/" if p == "rw" and e != "bilingual" else ""  # a folder per language, for rw only
        assert d["path"] == f"{p}/{c}/{folder}{p}-{c}-{lv}-{k}-{e}.docx"
    assert {d["level"] for d in manifest["documents"]} == {"core", "comprehensive"}


def test_every_approved_clause_appears_in_a_built_document(shipped_build: Path, checked) -> None:  # type: ignore[no-untyped-def]
    manifest = json.loads((shipped_build / "manifest.json").read_text())
    in_documents = {c["id"] for d in manifest["documents"] for c in d["clauses"]}
    approved = {cid for cid, c in checked.project.clauses.items() if c.status == "approved"}
    assert len(approved) >= 64
    assert approved - in_documents == set()
    comprehensive = {cid for cid in approved if checked.project.clauses[cid].level == "comprehensive"}
    in_comprehensive = {c["id"] for d in manifest["documents"] if d["level"] == "comprehensive" for c in d["clauses"]}
    in_core = {c["id"] for d in manifest["documents"] if d["level"] == "core" for c in d["clauses"]}
    assert comprehensive and comprehensive <= in_comprehensive
    assert in_core < in_comprehensive  # the comprehensive level takes the core clauses too


def test_checklist_names_the_clauses_actually_chosen(shipped_build: Path, checked) -> None:  # type: ignore[no-untyped-def]
    from tenderpack.selection import select

    project = checked.project
    for pid, cat, lv in (("de", "computers", "core"), ("uk", "end-of-life", "comprehensive")):
        chosen = {c.id for c in select(project.clauses, project.library, checked.resolved[pid].profile, cat, lv)}
        text = dump_text((shipped_build / pid / cat / f"{pid}-{cat}-{lv}-checklist-issue.docx").read_bytes())
        rows = [line for line in text.splitlines() if line.startswith("| ☐ |")]
        assert rows
        named = {cid for row in rows for cid in re.findall(r"[a-z]+(?:\.[a-z0-9-]+)+", row.split("|")[-2])}
        assert named and named <= chosen, named - chosen
