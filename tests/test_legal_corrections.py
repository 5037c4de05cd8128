"""Legal corrections of the 2026 review: each fails on the library as it stood before them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, check_shipped, write

from tenderpack.blocks import ListItem, Paragraph
from tenderpack.documents import compose, make_selection
from tenderpack.selection import select

PROFILES = ("itu", "eu", "fr", "de", "uk", "us", "in", "ke", "br", "rw")
PACK = {"version": "2026.11", "date": "2026-11-23"}


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return check_shipped()


def _chosen(shipped, pid: str, category: str) -> dict:  # type: ignore[no-untyped-def]
    project = shipped.project
    return {
        c.id: c
        for c in select(project.clauses, project.library, shipped.resolved[pid].profile, category, "comprehensive")
    }


def _text(shipped, pid: str, category: str, kind: str, edition: str = "issue") -> str:  # type: ignore[no-untyped-def]
    sel = make_selection(shipped.project, shipped.resolved[pid], category, "core")
    composed = compose(shipped.project, sel, kind, edition, PACK)
    return "\n".join(b.text for b in composed.blocks if isinstance(b, Paragraph | ListItem))


def test_every_shipped_profile_is_audited(shipped) -> None:  # type: ignore[no-untyped-def]
    assert set(PROFILES) <= set(shipped.resolved)
    for pid in PROFILES:
        legal = shipped.resolved[pid].profile.legal
        for key, citation in legal.items():
            # every basis records the outcome of the audit; an unverified one says why
            assert citation.note and all(note.strip() for note in citation.note.values()), (pid, key)


def test_ewaste_is_split_into_a_permit_and_a_producer_responsibility_key(shipped) -> None:  # type: ignore[no-untyped-def]
    for pid in PROFILES:
        legal = shipped.resolved[pid].profile.legal
        assert "ewaste" not in legal, pid
        assert {"ewaste_permit", "ewaste_epr"} <= set(legal), pid
        assert legal["ewaste_permit"].text != legal["ewaste_epr"].text or pid == "in", pid

    def said(text: dict[str, str]) -> str:
        return " ".join(text.values())

    for clause in shipped.project.clauses.values():
        for text in (clause.text["en"], clause.verification["en"], clause.guidance["en"]):
            assert "legal.ewaste " not in text and "legal.ewaste}" not in text, clause.id
    us, de = shipped.resolved["us"].profile.legal, shipped.resolved["de"].profile.legal
    # neither the disposal of excess federal property nor the federal buyers' duty to prefer circular
    # products is a permit regime for e-waste operators
    assert "102-36" not in said(us["ewaste_permit"].text) and "102-36" not in said(us["ewaste_epr"].text)
    assert "§ 45" not in said(de["ewaste_permit"].text) and "§ 45" not in said(de["ewaste_epr"].text)


def test_a_profile_that_still_sets_legal_ewaste_fails_check(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    itu = project / "profiles" / "itu.yaml"
    text = itu.read_text(encoding="utf-8")
    write(itu, text.replace("  ewaste_permit: the applicable e-waste law", "  ewaste: the applicable e-waste law"))
    lines = text.splitlines()
    legal, ewaste = lines.index("legal:") + 1, lines.index("  ewaste_permit: the applicable e-waste law") + 1
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines() == [
        f"Error: profiles/itu.yaml:{legal}: legal: legal.ewaste_permit is used by clause cpc.takeback but this profile "
        "does not define it",
        f"Error: profiles/itu.yaml:{ewaste}: legal.ewaste: 'ewaste' was split: cite the permits and treatment rules for "
        "e-waste operators as 'ewaste_permit' and the producer-responsibility (take-back) law as 'ewaste_epr'",
        "Error: 2 problems found.",
    ]


def test_eu_weee_is_cited_at_article_level_and_marked_honestly(shipped) -> None:  # type: ignore[no-untyped-def]
    legal = shipped.resolved["eu"].profile.legal
    assert "Article 8 and Annex VII of Directive 2012/19/EU" in legal["ewaste_permit"].text["en"]
    assert "Articles 12 and 13 of Directive 2012/19/EU" in legal["ewaste_epr"].text["en"]
    assert legal["ewaste_epr"].verified is False and "Article 13" in (legal["ewaste_epr"].note or {})["en"]


def test_us_labels_may_be_referenced_but_are_never_pass_fail(shipped) -> None:  # type: ignore[no-untyped-def]
    for category in ("computers", "monitors", "mobile-devices", "imaging", "servers"):
        us = _chosen(shipped, "us", category)
        assert "ts.label-or-equivalent" not in us and "ts.label-reference" in us, category
        for q in us["ts.label-reference"].questions:
            assert q.scoring is None and not q.required, q.id
        # the EU keeps the label requirement, pass/fail
        eu = _chosen(shipped, "eu", category)
        assert "ts.label-reference" not in eu
        assert any(q.scoring and q.scoring.rule == "pass-fail" for q in eu["ts.label-or-equivalent"].questions)
    labels = shipped.resolved["us"].profile.legal["labels"].text["en-US"]
    assert "EPA Recommendations" not in labels and "may be referenced" in labels


def test_us_performance_basis_is_not_the_sustainable_products_clause(shipped) -> None:  # type: ignore[no-untyped-def]
    performance = shipped.resolved["us"].profile.legal["performance"]
    assert "52.223-23" not in performance.text["en-US"]
    assert performance.verified is False


def test_us_energy_criterion_is_scored_on_energy_consumption(shipped) -> None:  # type: ignore[no-untyped-def]
    for category in ("computers", "servers"):
        fed = {
            q.id
            for clause in _chosen(shipped, "us", category).values()
            for q in clause.questions
            if q.scoring and q.scoring.criterion == "environment"
        }
        assert "energy-improvement" in fed, category


def test_performance_bases_of_brazil_and_the_uk(shipped) -> None:  # type: ignore[no-untyped-def]
    br = shipped.resolved["br"].profile.legal["performance"]
    assert br.text["pt-BR"].startswith("arts. 92 e 117 da Lei nº 14.133/2021") and br.verified is False
    uk = shipped.resolved["uk"].profile.legal["performance"]
    assert uk.text["en-GB"].startswith("the terms of the Contract") and "section 52" in uk.text["en-GB"]


@pytest.mark.parametrize("pid", ["eu", "fr", "de"])
def test_mobile_periods_run_from_the_end_of_placing_on_the_market(shipped, pid: str) -> None:  # type: ignore[no-untyped-def]
    # the values decide it in every language; the English documents show the wording
    for category, start in (("mobile-devices", "end-of-market"), ("computers", "last-delivery")):
        sel = make_selection(shipped.project, shipped.resolved[pid], category, "core")
        values = sel.values["cpc.spare-parts"]
        assert values["period_start"].value == start, category
        if category == "mobile-devices":
            assert values["years"].value == 7
    if pid != "eu":
        return
    annex = _text(shipped, pid, "mobile-devices", "annex")
    tender = _text(shipped, pid, "mobile-devices", "tender")
    phrase = "or, where later, on the end of placing on the market of that model"
    spare = next(p for p in annex.splitlines() if p.startswith("The period starts on the delivery of the last unit"))
    assert phrase in spare
    assert "remain available for purchase by the Contracting Authority and by repairers of its choice for at least 7 years." in annex
    # the battery, the repair manual and software support count the same way
    assert tender.count(phrase) >= 3
    # computers keep counting from the last delivery
    assert phrase not in _text(shipped, pid, "computers", "annex")


def test_non_eu_mobile_periods_still_run_from_the_last_delivery(shipped) -> None:  # type: ignore[no-untyped-def]
    assert "end of placing on the market" not in _text(shipped, "us", "mobile-devices", "annex")


def test_digital_public_goods_clause_is_split_with_questions_and_kpis(shipped) -> None:  # type: ignore[no-untyped-def]
    clauses = shipped.project.clauses
    spec = clauses["ts.svc.reuse-digital-public-goods"]
    award = clauses["ac.svc.reuse-share"]
    cpc = clauses["cpc.svc.data-export-and-code"]
    assert (spec.type, award.type, cpc.type) == (
        "technical-specification",
        "award-criterion",
        "contract-performance-clause",
    )
    for clause in (spec, award, cpc):
        assert "ts.svc.reuse_digital_public_goods" in clause.slots
        assert clause.questions or clause.kpis
    # the specification neither scores nor grants rights; the award clause scores; the contract clause binds
    assert not any(q.scoring and q.scoring.rule != "pass-fail" for q in spec.questions)
    assert "export" not in spec.text["en"] and "open-source licence" not in spec.text["en"]
    assert any(q.scoring and q.scoring.criterion == "circularity" for q in award.questions)
    assert "export_days" in cpc.parameters and cpc.parameters["export_days"].unit == "calendar days"
    assert any("{{ export_days }}" in q.text["en"] for q in cpc.questions)
    assert any("{{ export_days }}" in k.target["en"] for k in cpc.kpis)
    ict = _chosen(shipped, "itu", "ict-services")
    assert {spec.id, award.id, cpc.id} <= set(ict)


def test_drafting_provenance_lists_every_citation_with_its_status(shipped) -> None:  # type: ignore[no-untyped-def]
    sel = make_selection(shipped.project, shipped.resolved["us"], "computers", "core")
    composed = compose(shipped.project, sel, "annex", "drafting", PACK)
    tables = [b for b in composed.blocks if getattr(b, "header", None) == ["Legal citation", "Text", "Status", "Note"]]
    assert len(tables) == 1
    keys = [row[0].runs[0].text for row in tables[0].rows]
    assert keys == sorted(shipped.resolved["us"].profile.legal)


def test_a_profile_cannot_take_a_clause_and_its_variant(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import shutil

    root = tmp_path / "project"
    for folder in ("clauses", "profiles", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    us = root / "profiles" / "us.yaml"
    text = us.read_text(encoding="utf-8")
    write(us, text.replace("  remove: [ts.label-or-equivalent]\n", ""))
    line = text[: text.index("  add: [ac.energy-plus, ts.label-reference]")].count("\n") + 1
    result = cli("check", "--project", root, expect=1)
    assert result.stderr.splitlines() == [
        f"Error: profiles/us.yaml:{line}: clauses.add: takes both ts.label-or-equivalent and its variant "
        "ts.label-reference: add ts.label-or-equivalent to clauses.remove",
        "Error: 1 problem found.",
    ]
