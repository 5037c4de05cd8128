"""Award criteria that score what they say: energy questions in every energy-using category, required
consumption answers where the law makes them mandatory, scores relative to the minimum, and the
refurbished-share KPI bound to the Refurbished Lot only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tenderpack.documents import compose, make_selection
from tenderpack.model import LEVELS
from tenderpack.pipeline import Checked, load_checked

REPO = Path(__file__).resolve().parent.parent
ENERGY_USING = ("computers", "monitors", "mobile-devices", "servers", "imaging", "network")


@pytest.fixture(scope="module")
def shipped() -> Checked:
    checked = load_checked(REPO)
    # no warning but those of translations still to write (each names its languages)
    assert [str(w) for w in checked.warnings if not w.languages] == []
    return checked


def questionnaire(checked: Checked, pid: str, category: str, level: str, overrides: dict | None = None):  # type: ignore[no-untyped-def]
    resolved = checked.resolved[pid]
    if overrides:
        profile = resolved.profile.model_copy(update={"parameters": {**resolved.profile.parameters, **overrides}})
        resolved = type(resolved)(profile=profile, chain=resolved.chain, layer=resolved.layer, file=resolved.file)
    sel = make_selection(checked.project, resolved, category, level)
    return compose(checked.project, sel, "questionnaire", "drafting", checked.pack)


def energy_questions(composed) -> list[dict]:  # type: ignore[no-untyped-def]
    return [q for q in composed.questions if q["clause"].startswith("ac.energy-plus") and q["scoring"]
            and q["scoring"]["criterion"] == "environment"]  # fmt: skip


@pytest.mark.parametrize("category", ["imaging", "network", "mobile-devices"])
def test_energy_award_clauses_exist_for_imaging_network_and_mobile(shipped: Checked, category: str) -> None:
    composed = questionnaire(shipped, "eu", category, "comprehensive")
    scored = energy_questions(composed)
    assert scored, f"no energy award question in eu/{category}"
    assert all(q["required"] for q in scored)


def test_imaging_energy_bands_are_those_of_the_eu_gpp_criterion(shipped: Checked) -> None:
    (q,) = energy_questions(questionnaire(shipped, "eu", "imaging", "core"))
    bands = sorted((b["min"], b["score"]) for b in q["scoring"]["bands"])
    assert bands == [(10, 0.2), (20, 0.4), (40, 0.6), (60, 0.8), (80, 1)]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("category", ENERGY_USING)
def test_germany_scores_energy_with_required_consumption_answers_in_every_energy_using_category(
    shipped: Checked, category: str, level: str
) -> None:
    # § 67(5) VgV: energy efficiency is an award criterion; § 67(3) VgV: consumption data are required
    composed = questionnaire(shipped, "de", category, level)
    scored = energy_questions(composed)
    assert scored, f"de/{category}/{level}: the environment criterion has no energy question"
    assert all(q["required"] and q["type"] in ("percent", "number", "choice") for q in scored)


def test_imaging_consumption_is_a_required_number_not_optional_free_text(shipped: Checked) -> None:
    composed = questionnaire(shipped, "de", "imaging", "core")
    by_id = {q["id"]: q for q in composed.questions}
    tec = by_id["imaging-tec-value"]
    assert (tec["required"], tec["type"], tec["unit"]) == (True, "number", "kWh per week")
    assert all(q["required"] for q in composed.questions if q["clause"] == "ts.energy.imaging-tec")


def monitor_points(checked: Checked, overrides: dict | None = None) -> dict[str, float]:
    composed = questionnaire(checked, "de", "monitors", "core", overrides)
    (q,) = [q for q in composed.questions if q["id"] == "monitor-energy-class-award"]
    return q["scoring"]["points"]  # type: ignore[no-any-return]


def test_monitor_class_score_is_relative_to_the_lowest_class(shipped: Checked) -> None:
    points = monitor_points(shipped)
    assert points["D"] == 0  # the minimum class of the specification earns nothing
    assert points["A"] == 1 and points["A"] > points["B"] > points["C"] > points["D"]
    assert points["C"] == pytest.approx(1 / 3, abs=1e-3)
    raised = monitor_points(shipped, {"shared.monitor_lowest_class": "B"})
    assert (raised["A"], raised["B"], raised["C"], raised["D"]) == (1, 0, 0, 0)
    # the drafting edition prints the same rule
    composed = questionnaire(shipped, "de", "monitors", "core")
    text = " ".join(r.text for b in composed.blocks for row in getattr(b, "rows", []) for c in row for r in c.runs)
    assert "A: 100\u00a0%; B: 66,7\u00a0%; C: 33,3\u00a0%; D: 0\u00a0%" in text  # German CLDR percentages


def test_the_specification_and_the_award_criterion_share_the_lowest_class(shipped: Checked) -> None:
    """One value, one place: a buyer who raises the minimum class raises the award's zero with it."""
    for cid in ("ts.energy.monitor-class", "ac.energy-plus.monitors"):
        assert shipped.project.clauses[cid].uses == {"lowest_class": "monitor_lowest_class"}, cid
    raised = monitor_points(shipped, {"shared.monitor_lowest_class": "C"})
    assert (raised["B"], raised["C"]) == (0.5, 0)

def test_refurbished_share_kpi_binds_only_the_refurbished_lot(shipped: Checked) -> None:
    sel = make_selection(shipped.project, shipped.resolved["eu"], "computers", "comprehensive")
    annex = compose(shipped.project, sel, "annex", "issue", shipped.pack)
    rows = [[" ".join(r.text for r in c.runs) for c in row] for b in annex.blocks for row in getattr(b, "rows", [])]
    (row,) = [r for r in rows if "refurbished units delivered" in r[0]]
    assert row[0].startswith("Refurbished Lot only")
    assert "delivered under the Refurbished Lot" in row[1] and "binds only the Contractor of the Refurbished Lot" in row[1]
    assert row[4] == "100 % of the units delivered under the Refurbished Lot"
    # the award criterion on the share of refurbished units is for the lots open to new Products
    tender = compose(shipped.project, sel, "tender", "issue", shipped.pack)
    text = " ".join(r.text for b in tender.blocks for r in getattr(b, "runs", []))
    assert re.search(r"does not apply to a Refurbished Lot", text)
    # and the KPI appears only where the Refurbished Lot does
    for cat in ("servers", "imaging", "network"):
        other = make_selection(shipped.project, shipped.resolved["eu"], cat, "comprehensive")
        assert "plan.refurb-lot" not in {c.id for c in other.clauses}
