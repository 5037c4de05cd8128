"""Stage 4: which clauses apply, in what order, with which parameter values."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderpack.errors import Collector
from tenderpack.model import Parameter
from tenderpack.profiles import resolve
from tenderpack.project import load_project
from tenderpack.selection import coerce, parameter_values, select


@pytest.fixture
def loaded(project: Path):  # type: ignore[no-untyped-def]
    problems = Collector(project)
    p = load_project(project, problems)
    assert problems.errors == []
    return p, {pid: resolve(pid, p, problems) for pid in ("itu", "eu", "fr")}


def ids(loaded, pid: str, category: str, level: str = "core") -> list[str]:  # type: ignore[no-untyped-def]
    project, resolved = loaded
    return [c.id for c in select(project.clauses, project.library, resolved[pid].profile, category, level)]


def test_core_level_takes_core_clauses_in_stage_and_type_order(loaded) -> None:  # type: ignore[no-untyped-def]
    assert ids(loaded, "itu", "computers") == [
        "plan.needs-assessment",
        "adm.lots",
        "sc.ems",
        "ts.battery",
        "ts.repair",
        "ac.lcc",
        "ac.warranty",
        "cpc.spare-parts",
        "cpc.data-sanitisation",
        "cpc.takeback",
        "rev.kpi-review",
    ]


def test_comprehensive_level_adds_comprehensive_clauses_and_removals_apply(loaded) -> None:  # type: ignore[no-untyped-def]
    itu_core = ids(loaded, "itu", "end-of-life", "core")
    itu = ids(loaded, "itu", "end-of-life", "comprehensive")
    fr = ids(loaded, "fr", "end-of-life", "comprehensive")
    assert "aw.justification" not in itu_core  # comprehensive clause, core level
    assert "aw.justification" in itu  # the same profile's comprehensive level takes it
    assert set(itu_core) < set(itu)  # the comprehensive level takes the core clauses too
    assert "aw.justification" not in fr  # comprehensive level, but removed by fr
    assert "ts.draft-example" not in fr  # drafts are never built
    assert "adm.lots" not in fr  # category does not apply


def test_selection_is_deterministic(loaded) -> None:  # type: ignore[no-untyped-def]
    assert ids(loaded, "fr", "computers", "comprehensive") == ids(loaded, "fr", "computers", "comprehensive")


def test_parameter_values_and_their_sources(loaded) -> None:  # type: ignore[no-untyped-def]
    project, resolved = loaded
    clause = project.clauses["cpc.spare-parts"]
    origins = {k: str(resolved["eu"].layer.origin(("parameters", k))) for k in resolved["eu"].profile.parameters}
    eu_phone = parameter_values(clause, resolved["eu"].profile, "mobile-devices", origins, level="core")["years"]
    eu_pc = parameter_values(clause, resolved["eu"].profile, "computers", origins, level="core")["years"]
    eu_pc_plus = parameter_values(clause, resolved["eu"].profile, "computers", origins, level="comprehensive")["years"]
    assert (eu_phone.value, eu_phone.source) == (7, "profiles/eu.yaml:18")
    assert (eu_pc.value, eu_pc.source) == (3, "default (core)")
    assert (eu_pc_plus.value, eu_pc_plus.source) == (5, "default (comprehensive)")
    fr = parameter_values(clause, resolved["fr"].profile, "computers", level="core")["years"]
    assert fr.value == 5


def test_profile_overrides_per_level(loaded) -> None:  # type: ignore[no-untyped-def]
    project, resolved = loaded
    clause = project.clauses["cpc.spare-parts"]
    profile = resolved["fr"].profile.model_copy(
        update={"parameters": {"cpc.spare-parts.years": {"comprehensive": 8},
                               "cpc.spare-parts.years@mobile-devices": {"core": 6, "comprehensive": 9}}}
    )  # fmt: skip
    values = {
        (cat, level): parameter_values(clause, profile, cat, level=level)["years"].value
        for cat in ("computers", "mobile-devices")
        for level in ("core", "comprehensive")
    }
    # a level the mapping does not name keeps the value below it (here the default)
    assert values == {("computers", "core"): 3, ("computers", "comprehensive"): 8,
                      ("mobile-devices", "core"): 6, ("mobile-devices", "comprehensive"): 9}  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [("integer", "5", 5), ("number", "2.5", 2.5), ("percent", "10", 10), ("boolean", "yes", True), ("text", "NO", "NO")],
)
def test_coerce(kind: str, raw: str, expected: object) -> None:
    assert coerce(Parameter(type=kind, doc="d", default=raw), raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [("2", "2 is below the minimum 3"), ("11", "11 is above the maximum 10"), ("1.10", "'1.10' is not a whole number"),
     ("five", "'five' is not a whole number")],
)  # fmt: skip
def test_coerce_errors(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        coerce(Parameter(type="integer", doc="d", default=3, min=3, max=10), raw)
