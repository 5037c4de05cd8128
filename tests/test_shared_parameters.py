"""One source for parameters and units: shared parameters, the unit vocabulary and the repetition rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import check_shipped, write

from tenderpack.errors import Collector
from tenderpack.profiles import explain, resolve
from tenderpack.project import load_project
from tenderpack.selection import parameter_values, select

SHARED = """
parameters:
  warranty_years:
    type: integer
    unit: years
    min: 1
    max: 10
    default: 3
    doc: Years of warranty from delivery.
"""


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    return check_shipped()


def _units(project) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = []
    for cid, clause in project.clauses.items():
        found += [(f"{cid}.{name}", p.unit) for name, p in clause.parameters.items() if p.unit]
        found += [(f"{cid}.{q.id}", q.answer.unit) for q in clause.questions if q.answer.unit]
    return found


def test_no_shipped_unit_is_a_bare_days_and_every_unit_is_in_the_vocabulary(shipped) -> None:  # type: ignore[no-untyped-def]
    project = shipped.project
    units = _units(project)
    assert units
    assert [where for where, unit in units if unit.strip().lower() == "days"] == []
    assert {unit for _, unit in units} <= set(project.library.units)
    assert {"working days", "calendar days", "years", "months", "%"} <= set(project.library.units)


def test_the_nine_former_days_parameters_say_which_days(shipped) -> None:  # type: ignore[no-untyped-def]
    clauses = shipped.project.clauses
    expected = {
        ("ts.substances.svhc", "update_days"): "calendar days",
        ("cpc.svhc-substitution", "notify_days"): "calendar days",
        ("aw.award-report", "report_days"): "working days",
        ("rev.contract-review", "report_days"): "calendar days",
        ("rev.contract-review", "meeting_days"): "calendar days",
        ("cpc.takeback", "report_days"): "calendar days",
        ("cpc.eol-reporting", "batch_report_days"): "calendar days",
        ("cpc.eol-reporting", "annual_report_days"): "calendar days",
        ("cpc.svc.data-export-and-code", "export_days"): "calendar days",
    }
    for (cid, name), unit in expected.items():
        assert clauses[cid].parameters[name].unit == unit, (cid, name)
        # the text says the same days as the unit
        assert f"{{{{ {name} }}}} {unit}" in " ".join(clauses[cid].text["en"].split()), (cid, name)


def test_texts_say_which_days_their_parameters_count(shipped) -> None:  # type: ignore[no-untyped-def]
    """A value in working days or calendar days is printed with those words, never as bare days."""
    wrong = []
    for cid, clause in shipped.project.clauses.items():
        sources = [clause.text["en"], clause.verification["en"], *(q.text["en"] for q in clause.questions),
                   *(k.target["en"] for k in clause.kpis)]  # fmt: skip
        for name, param in clause.parameters.items():
            if param.unit not in ("working days", "calendar days"):
                continue
            for source in sources:
                for after in re.findall(r"\{\{ *" + name + r" *\}\}\s+(\S+ \S+)", " ".join(source.split())):
                    if not after.startswith(param.unit):
                        wrong.append((cid, name, after))
    assert wrong == []


def test_shared_values_have_one_declaration(shipped) -> None:  # type: ignore[no-untyped-def]
    project = shipped.project
    lib = project.library
    for cid in ("ac.lcc", "plan.lcc-method"):
        assert project.clauses[cid].parameters["lcc_years"] is lib.parameters["lcc_years"]
        assert project.clauses[cid].parameters["discount_rate"] is lib.parameters["discount_rate"]
    assert project.clauses["cpc.spare-parts"].parameters["years"] is lib.parameters["spare_parts_years"]
    assert project.clauses["ts.battery.replaceable"].parameters["spare_battery_years"] is lib.parameters["spare_parts_years"]
    for cid in ("ts.substances.svhc", "cpc.svhc-substitution"):
        assert project.clauses[cid].parameters["svhc_threshold"] is lib.parameters["svhc_threshold"]


def test_a_profile_sets_a_shared_value_once_and_every_clause_follows(shipped) -> None:  # type: ignore[no-untyped-def]
    eu = shipped.resolved["eu"]
    clauses = shipped.project.clauses
    origins = {k: str(eu.layer.origin(("parameters", k))) for k in eu.profile.parameters}
    spare = parameter_values(clauses["cpc.spare-parts"], eu.profile, "mobile-devices", origins, level="core")["years"]
    battery = parameter_values(clauses["ts.battery.replaceable"], eu.profile, "mobile-devices", origins, level="core")[
        "spare_battery_years"
    ]
    assert spare.value == battery.value == 7
    assert spare.source == battery.source
    assert spare.source.startswith("profiles/eu.yaml:") and spare.source.endswith(", shared spare_parts_years")
    # computers keep the shared default
    assert parameter_values(clauses["cpc.spare-parts"], eu.profile, "computers", level="core")["years"].value == 3
    rows = {key: (value, str(origin)) for key, value, origin in explain(eu, "parameters")}
    value, origin = rows["parameters.shared.spare_parts_years@mobile-devices"]
    assert value == "7" and origin.startswith("profiles/eu.yaml:")


def _seed_with_shared(project: Path) -> None:
    lib = project / "clauses" / "library.yaml"
    write(lib, lib.read_text(encoding="utf-8") + SHARED)
    for name in ("cpc.spare-parts", "ac.lcc"):
        path = project / "clauses" / "core" / f"{name}.yaml"
        text = path.read_text(encoding="utf-8")
        write(path, text.replace("\nparameters:\n", "\nuses: [warranty_years]\nparameters:\n", 1)
              .replace("{{ legal.", "{{ warranty_years }} {{ legal.", 1))  # fmt: skip


def test_seed_shared_parameter_overrides_and_errors(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _seed_with_shared(project)
    itu = project / "profiles" / "itu.yaml"
    base = itu.read_text(encoding="utf-8")
    write(itu, base.replace("documents: [", "parameters:\n  shared.warranty_years: 6\ndocuments: [", 1))
    assert cli("check", "--project", project, expect=0).exit_code == 0
    problems = Collector()
    loaded = load_project(project, problems)
    resolved = resolve("itu", loaded, problems)
    assert resolved is not None
    for clause in select(loaded.clauses, loaded.library, resolved.profile, "computers", "core"):
        if "warranty_years" in clause.uses:
            assert parameter_values(clause, resolved.profile, "computers", level="core")["warranty_years"].value == 6
    # setting it through one clause is refused, naming the shared key
    write(itu, base.replace("documents: [", "parameters:\n  ac.lcc.warranty_years@computers: 6\ndocuments: [", 1))
    result = cli("check", "--project", project, expect=1)
    line = base[: base.index("documents: [")].count("\n") + 2
    assert result.stderr.splitlines() == [
        f"Error: profiles/itu.yaml:{line}: parameters.ac.lcc.warranty_years@computers: warranty_years of clause "
        "ac.lcc is the shared parameter 'warranty_years', which every clause using it follows: set "
        "'shared.warranty_years@computers' instead",
        "Error: 1 problem found.",
    ]
    write(itu, base.replace("documents: [", "parameters:\n  shared.nope: 6\ndocuments: [", 1))
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines()[0] == (
        f"Error: profiles/itu.yaml:{line}: parameters.shared.nope: no shared parameter 'nope' "
        "(library.yaml parameters: warranty_years)"
    )


def test_unknown_unit_and_bare_days_fail_check(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = project / "clauses" / "core" / "cpc.data-sanitisation.yaml"
    text = path.read_text(encoding="utf-8")
    write(path, text.replace("unit: calendar days", "unit: days"))
    line = text[: text.index("unit: calendar days")].count("\n") + 1
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines() == [
        f"Error: clauses/core/cpc.data-sanitisation.yaml:{line}: parameters.days.unit: unknown unit 'days' "
        "(say 'working days' or 'calendar days'): use one of library.yaml units "
        "(%, calendar days, currency, cycles, months, years)",
        "Error: 1 problem found.",
    ]


def test_a_repeated_name_and_unit_must_be_shared_or_marked_distinct(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = project / "clauses" / "core" / "ac.lcc.yaml"
    text = path.read_text(encoding="utf-8")
    write(path, "\n".join(line for line in text.splitlines() if "distinct:" not in line) + "\n")
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines() == [
        "Error: clauses/core/ac.lcc.yaml:10: parameters.years: 'years' ('years') is also declared by "
        "cpc.spare-parts: make it a shared parameter in library.yaml, or say in 'distinct' why the values differ",
        "Error: 1 problem found.",
    ]


def test_an_own_parameter_named_like_a_shared_one_must_say_why(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    lib = project / "clauses" / "library.yaml"
    write(lib, lib.read_text(encoding="utf-8") + SHARED.replace("warranty_years", "days"))
    _seed = project / "clauses" / "core" / "ac.lcc.yaml"
    write(_seed, _seed.read_text(encoding="utf-8").replace("\nparameters:\n", "\nuses: {shared_days: days}\nparameters:\n", 1)
          .replace("{{ legal.", "{{ shared_days }} {{ legal.", 1))  # fmt: skip
    result = cli("check", "--project", project, expect=1)
    assert (
        "Error: clauses/core/cpc.data-sanitisation.yaml:10: parameters.days: 'days' is a shared parameter "
        "(library.yaml parameters): take it with 'uses: [days]', or say in 'distinct' why this is another value"
    ) in result.stderr.splitlines()
