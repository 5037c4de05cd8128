"""eForms notice fields and OCDS releases from the library: `tenderpack eforms`, `tenderpack ocds`, criteria."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from conftest import REPO, write
from eforms_sdk import OCDS, SDK, needs_ocds, needs_sdk, schematron_failures, xsd_errors
from lxml import etree

from tenderpack.notices import criteria_for
from tenderpack.notices.eforms import NS, lots_of, parse_notice, subtype_of
from tenderpack.pipeline import load_checked

NOTICES = SDK / "examples" / "notices"
# ≥ 8 example notices of the subtypes that carry the fields: contract notices (16, 17, 18, 20, 22, E3) and
# PINs used as a call for competition (10) or to shorten time limits (7); several lots in cn_24_maximal
FILLED = ["cn_24_maximal.xml", "cn_24_minimal.xml", "cn_24_open.xml", "cn_81.xml", "pin-cfc_24.xml",
          "pin-rtl_24.xml", "cn_25.xml", "cn-social_24.xml", "subco_81.xml", "E3_minimal.xml"]  # fmt: skip


@pytest.fixture(scope="module")
def checked() -> Any:
    return load_checked(REPO)


def fill(cli: Callable[..., Result], notice: Path, out: Path, *args: str, profile: str = "eu",
         category: str = "computers") -> Result:  # fmt: skip
    return cli("eforms", "--project", REPO, notice, "--profile", profile, "--category", category, *args, "-o", out)


def values(lot: etree._Element, path: str) -> list[str]:
    return [(e.text or "").strip() for e in lot.findall(path, NS)]


def additional(lot: etree._Element, list_name: str) -> list[str]:
    return [(e.text or "").strip() for e in lot.findall("cac:ProcurementProject/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode", NS)
            if e.get("listName") == list_name]  # fmt: skip


# ------------------------------------------------------------------------------------------ criteria


def test_criteria_come_from_the_clauses_and_the_profile(checked: Any) -> None:
    c = criteria_for(checked, "eu", "computers")
    profile = checked.resolved["eu"].profile
    assert c.level == profile.levels[0] == "core" and c.gpp == "eu" and c.strategic == ("env-imp",)
    declared = {code for cid, _ in c.clauses for code in checked.project.clauses[cid].impacts}
    assert set(c.impacts) == declared and c.impacts == ("circ-econ", "clim-mitig", "pollu-prev")
    assert "ts.substances.svhc" in c.impact_clauses["pollu-prev"]
    assert [(a.id, a.type, a.weight) for a in c.award] == [
        (cid, crit.type, crit.weight) for cid, crit in profile.award.criteria.items()
    ]
    assert c.award[0].type == "cost"  # itu.yaml: price and life-cycle cost
    richer = criteria_for(checked, "eu", "computers", "comprehensive")
    assert len(richer.clauses) > len(c.clauses) and set(c.clauses) <= set(richer.clauses)
    assert criteria_for(checked, "itu", "computers").gpp == "other"


def test_check_refuses_an_unknown_impact_code(project: Path, cli: Callable[..., Result]) -> None:
    spare = project / "clauses" / "core" / "cpc.spare-parts.yaml"
    text = spare.read_text()
    write(spare, re.sub(r"^version:", "impacts: [circular-economy]\nversion:", text, count=1, flags=re.M))
    result = cli("check", "--project", project, expect=1)
    line = next(i for i, t in enumerate(spare.read_text().splitlines(), 1) if t.startswith("impacts:"))
    assert result.stderr.splitlines() == [
        f"Error: clauses/core/cpc.spare-parts.yaml:{line}: impacts.0: unknown environmental impact 'circular-economy'; "
        "did you mean 'circ-econ'? (eForms code list 'environmental-impact')",
        "Error: 1 problem found.",
    ]


# ------------------------------------------------------------------------------------------ eforms


@needs_sdk
@pytest.mark.slow
@pytest.mark.parametrize("name", FILLED)
def test_filled_notice_validates_and_carries_the_profile_values(name: str, tmp_path: Path, checked: Any,
                                                                cli: Callable[..., Result]) -> None:  # fmt: skip
    source = NOTICES / name
    out = tmp_path / name
    result = fill(cli, source, out)
    assert result.exit_code == 0, result.output
    # the SDK's XSD, and its schematron for the subtype: no failed assertion that the input did not have
    assert xsd_errors(source) == [] and xsd_errors(out) == []
    tree = parse_notice(out.read_bytes(), name)
    subtype = subtype_of(tree)
    assert subtype is not None
    before, after = schematron_failures(source, subtype), schematron_failures(out, subtype)
    assert after - before == {}, f"new failed assertions: {after - before}"
    # every lot carries the profile's values
    c = criteria_for(checked, "eu", "computers")
    weights = {cid: crit.weight for cid, crit in checked.resolved["eu"].profile.award.criteria.items()}
    lots = lots_of(tree)
    assert lots and result.output.endswith(f"in {', '.join(lots)}\n")
    for lot in lots.values():
        assert "env-imp" in additional(lot, "strategic-procurement")
        assert additional(lot, "environmental-impact") == list(c.impacts)
        assert additional(lot, "gpp-criteria") == ["eu"]  # BT-805 for the eu profile
        crit = "cac:TenderingTerms/cac:AwardingTerms/cac:AwardingCriterion/cac:SubordinateAwardingCriterion"
        assert values(lot, f"{crit}/cbc:AwardingCriterionTypeCode") == ["cost", "quality", "quality"]
        assert [float(w) for w in values(lot, f"{crit}/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/"
                                              "efext:EformsExtension/efac:AwardCriterionParameter/efbc:ParameterNumeric")] == list(weights.values())  # fmt: skip
        assert set(values(lot, f"{crit}//efbc:ParameterCode")) == {"per-exa"}
        assert values(lot, f"{crit}/cbc:Name") == ["Price and life-cycle cost", "Circularity", "Energy and climate"]
        assert values(lot, f"{crit}/cbc:Description") == [a.description["en"] for a in c.award]
        env = "cac:ProcurementProject/cac:ProcurementAdditionalType[cbc:ProcurementTypeCode='env-imp']"
        assert values(lot, f"{env}/cbc:ProcurementType")[0] == (  # BT-777, in the notice's main language
            "The transition to a circular economy; Climate change mitigation; Pollution prevention and control.")
    # every code written is in the SDK code list that fields.json names for its field
    assert codes_outside_sdk_lists(tree) == []


def codes_outside_sdk_lists(tree: etree._ElementTree) -> list[str]:
    fields = {f["id"]: f for f in json.loads((SDK / "fields" / "fields.json").read_text(encoding="utf-8"))["fields"]}
    checks = {  # field → how its values are found in a lot
        "BT-06-Lot": ("cac:ProcurementProject/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode", "strategic-procurement"),
        "BT-774-Lot": ("cac:ProcurementProject/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode", "environmental-impact"),
        "BT-805-Lot": ("cac:ProcurementProject/cac:ProcurementAdditionalType/cbc:ProcurementTypeCode", "gpp-criteria"),
        "BT-539-Lot": (".//cbc:AwardingCriterionTypeCode", "award-criterion-type"),
        "BT-5421-Lot": (".//efbc:ParameterCode", "number-weight"),
    }
    bad = []
    for field, (path, list_name) in checks.items():
        code_list = fields[field]["codeList"]["value"]["id"]
        assert code_list == list_name
        known = set(etree.parse(str(SDK / "codelists" / f"{code_list}.gc")).xpath("//Row/Value[@ColumnRef='code']/SimpleValue/text()"))
        for lot in lots_of(tree).values():
            bad += [f"{field}:{e.text}" for e in lot.findall(path, NS) if e.get("listName") == list_name and e.text not in known]
    return bad


@needs_sdk
@pytest.mark.slow
def test_the_schematron_engine_sees_a_missing_field(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """Guard against a vacuous pass: without BT-777, which eForms requires beside env-imp, a rule fails."""
    out = tmp_path / "open.xml"
    assert fill(cli, NOTICES / "cn_24_open.xml", out).exit_code == 0
    tree = etree.parse(str(out))
    for el in tree.getroot().iterfind(".//cac:ProcurementAdditionalType/cbc:ProcurementType", NS):
        el.getparent().remove(el)
    broken = tmp_path / "broken.xml"
    tree.write(str(broken))
    assert any(rule == "BR-BT-00777-0022" for rule, _ in schematron_failures(broken, "16"))


@needs_sdk
def test_one_lot_is_filled_and_nothing_else_changes(tmp_path: Path, cli: Callable[..., Result]) -> None:
    source = NOTICES / "cn_24_maximal.xml"
    out = tmp_path / "one.xml"
    result = fill(cli, source, out, "--lot", "LOT-0002")
    assert result.exit_code == 0, result.output
    old, new = etree.parse(str(source)).getroot(), etree.parse(str(out)).getroot()
    assert out.read_bytes()[:200] == source.read_bytes()[:200]  # the prolog as it was
    old_lots, new_lots = lots_of(old.getroottree()), lots_of(new.getroottree())
    assert etree.tostring(old_lots["LOT-0001"]) == etree.tostring(new_lots["LOT-0001"])
    for el in (old, new):
        for lot in el.findall("cac:ProcurementProjectLot", NS):
            el.remove(lot)
    assert etree.tostring(old) == etree.tostring(new)
    # BT-06: the buyer's other strategic codes stay; 'none' gives way to env-imp
    strategic = additional(new_lots["LOT-0002"], "strategic-procurement")
    kept = [c for c in additional(old_lots["LOT-0002"], "strategic-procurement") if c not in ("env-imp", "none")]
    assert strategic == ["env-imp", *kept]
    # filling again changes nothing
    again = tmp_path / "again.xml"
    assert fill(cli, out, again, "--lot", "LOT-0002").exit_code == 0
    assert again.read_bytes() == out.read_bytes()


@needs_sdk
def test_the_fragment_names_its_fields_and_holds_the_lot_parts(tmp_path: Path, cli: Callable[..., Result],
                                                               checked: Any) -> None:  # fmt: skip
    out = tmp_path / "fragment.xml"
    result = cli("eforms", "--project", REPO, "--new", "--profile", "de", "--category", "servers", "--level",
                 "comprehensive", "-o", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out)).getroot()
    note = next(n for n in root.iter(etree.Comment)).text or ""
    assert "BT-06, BT-777, BT-774, BT-805, BT-539, BT-734, BT-540, BT-541, BT-5421" in note
    assert "profile de, category servers, level comprehensive" in note
    assert etree.QName(root).localname == "ProcurementProjectLot"
    assert [etree.QName(e).localname for e in root if isinstance(e.tag, str)] == ["ID", "TenderingTerms", "ProcurementProject"]
    weights = [float(w) for w in values(root, ".//efbc:ParameterNumeric")]
    assert weights == [c.weight for c in checked.resolved["de"].profile.award.criteria.values()]
    assert additional(root, "gpp-criteria") == ["eu"]  # de extends eu
    assert codes_outside_sdk_lists(root.getroottree()) == []


@needs_sdk
@pytest.mark.slow
def test_the_fragment_parts_make_a_valid_notice(tmp_path: Path, cli: Callable[..., Result]) -> None:
    """An eSender that copies the fragment's parts into a lot gets a notice that validates."""
    frag = tmp_path / "fragment.xml"
    assert cli("eforms", "--project", REPO, "--new", "--profile", "eu", "--category", "computers", "-o", frag).exit_code == 0
    parts = etree.parse(str(frag)).getroot()
    source = NOTICES / "cn_24_minimal.xml"  # its lot has no award criteria and no additional types
    tree = etree.parse(str(source))
    lot = next(iter(lots_of(tree).values()))
    terms = lot.find("cac:TenderingTerms", NS)
    awarding = parts.find("cac:TenderingTerms/cac:AwardingTerms", NS)
    assert terms is not None and awarding is not None and terms.find("cac:AwardingTerms", NS) is None
    after = [e for e in terms if isinstance(e.tag, str) and etree.QName(e).localname in ("AdditionalInformationParty",
             "DocumentProviderParty", "TenderRecipientParty", "ContractResponsibleParty", "TenderEvaluationParty",
             "QualificationRequestRecipientParty", "TenderValidityPeriod", "ContractAcceptancePeriod", "AppealTerms",
             "Language", "BudgetAccountLine", "ReplacedNoticeDocumentReference", "LotDistribution", "PostAwardProcess",
             "EconomicOperatorShortList", "SecurityClearanceTerm")]  # fmt: skip
    terms.insert(terms.index(after[0]) if after else len(terms), awarding)
    project = lot.find("cac:ProcurementProject", NS)
    assert project is not None
    anchor = project.find("cac:MainCommodityClassification", NS)
    assert anchor is not None
    for add in parts.findall("cac:ProcurementProject/cac:ProcurementAdditionalType", NS):
        anchor.addprevious(add)
    spliced = tmp_path / "spliced.xml"
    tree.write(str(spliced), xml_declaration=True, encoding="UTF-8")
    assert xsd_errors(spliced) == []
    assert schematron_failures(spliced, "16") - schematron_failures(source, "16") == {}


HOSTILE = {
    "not-eforms.xml": (b"<html><body>hello</body></html>", ": not an eForms notice (root element 'html' in no namespace)"),
    "broken.xml": (b"<ContractNotice>\n  <ID>x</Id>\n</ContractNotice>\n",
                   ":2: not well-formed XML: Opening and ending tag mismatch: ID line 2 and Id"),
    "dtd.xml": (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>',
                ": declares a DOCTYPE or entities, which an eForms notice never does; refused"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_notice_that_is_not_eforms_is_refused(name: str, tmp_path: Path, cli: Callable[..., Result]) -> None:
    data, message = HOSTILE[name]
    notice = tmp_path / name
    notice.write_bytes(data)
    out = tmp_path / "out.xml"
    result = fill(cli, notice, out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {notice}{message}"]
    assert not out.exists() and list(tmp_path.iterdir()) == [notice]


@needs_sdk
@pytest.mark.parametrize(("name", "args", "message"), [
    ("pin-only_24.xml", (), "notice subtype 4 (PriorInformationNotice) does not allow BT-06-Lot, BT-777-Lot, "
     "BT-774-Lot, BT-805-Lot, BT-539-Lot, BT-734-Lot, BT-540-Lot, BT-541-Lot-WeightNumber, BT-5421-Lot "
     "(eForms SDK 1.15.1); use a notice of a subtype that announces a competition"),
    ("can_24_minimal.xml", (), "a ContractAwardNotice, not a contract notice or prior information notice; "
     "the green and award criteria are filled into those"),
    ("cn_24_open.xml", ("--lot", "LOT-0009"), "the notice has no lot 'LOT-0009' (its lots: LOT-0000)"),
    ("cn_23.xml", (), "the notice is in FRA, but profile 'eu' has no FRA name and description for award criteria "
     "price, circularity, environment: add them to its award.criteria (BT-734 and BT-540 must be in the notice's "
     "language)"),
])  # fmt: skip
def test_notices_the_fields_cannot_go_into(name: str, args: tuple[str, ...], message: str, tmp_path: Path,
                                          cli: Callable[..., Result]) -> None:  # fmt: skip
    out = tmp_path / "out.xml"
    result = fill(cli, NOTICES / name, out, *args)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {NOTICES / name}: {message}"]
    assert not out.exists()


def test_notice_and_new_together_or_neither_is_a_usage_error(tmp_path: Path, cli: Callable[..., Result]) -> None:
    result = cli("eforms", "--project", REPO, "--profile", "eu", "--category", "computers", "-o", tmp_path / "x.xml")
    assert result.exit_code == 2
    assert "give an eForms NOTICE.xml to fill, or --new for a standalone fragment (not both)" in result.stderr
    assert not (tmp_path / "x.xml").exists()


def test_unknown_profile_or_category(tmp_path: Path, cli: Callable[..., Result], checked: Any) -> None:
    out = tmp_path / "x.xml"
    result = cli("eforms", "--project", REPO, "--new", "--profile", "eu", "--category", "toasters", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr.startswith("Error: profile 'eu' does not build category 'toasters' (its categories: ")
    result = cli("ocds", "--project", REPO, "--profile", "ue", "--category", "computers", "-o", out)
    assert result.stderr.splitlines() == [f"Error: unknown profile 'ue' (known: {', '.join(sorted(checked.resolved))})"]
    assert not out.exists()


# ------------------------------------------------------------------------------------------ ocds


def ocds_codes(name: str) -> set[str]:
    import csv

    with (OCDS / "schema" / "codelists" / f"{name}.csv").open(encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


@needs_ocds
def test_ocds_release_package_validates_and_carries_the_weights(tmp_path: Path, cli: Callable[..., Result],
                                                                checked: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource

    out = tmp_path / "release-package.json"
    result = cli("ocds", "--project", REPO, "--profile", "fr", "--category", "mobile-devices", "-o", out)
    assert result.exit_code == 0, result.output
    package = json.loads(out.read_text(encoding="utf-8"))
    schema_dir = OCDS / "schema"
    release_schema = json.loads((schema_dir / "release-schema.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(release_schema["id"], Resource.from_contents(release_schema))
    package_schema = json.loads((schema_dir / "release-package-schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(package_schema, registry=registry)
    assert [e.message for e in validator.iter_errors(package)] == []
    release = package["releases"][0]
    tender = release["tender"]
    assert release["tag"] == ["tender"] and set(release["tag"]) <= ocds_codes("releaseTag")
    assert tender["awardCriteria"] == "ratedCriteria" and tender["awardCriteria"] in ocds_codes("awardCriteria")
    assert tender["mainProcurementCategory"] == "goods" and tender["mainProcurementCategory"] in ocds_codes("procurementCategory")
    assert {d["documentType"] for d in tender["documents"] if "documentType" in d} <= ocds_codes("documentType")
    profile = checked.resolved["fr"].profile
    criteria = tender["lots"][0]["awardCriteria"]["criteria"]
    assert [(c["type"], c["numbers"][0]["number"]) for c in criteria] == [
        (crit.type, crit.weight) for crit in profile.award.criteria.values()
    ]
    cpv = next(c.cpv for c in checked.project.library.categories if c.id == "mobile-devices")
    assert [i["classification"] for i in tender["items"]] == [{"scheme": "CPV", "id": code[:8]} for code in cpv]
    # the issue edition of each of the set's documents, with the sha256 of the built file
    kinds = sorted(d["description"].split(" ")[0] for d in tender["documents"])
    assert kinds == sorted(profile.documents)
    assert all(re.fullmatch(r"\w+ \(issue edition\), sha256 [0-9a-f]{64}", d["description"]) for d in tender["documents"])
    # deterministic: the same bytes again; the date from SOURCE_DATE_EPOCH
    again = tmp_path / "again.json"
    assert cli("ocds", "--project", REPO, "--profile", "fr", "--category", "mobile-devices", "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
    assert package["publishedDate"] == release["date"] == f"{checked.pack['date']}T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert cli("ocds", "--project", REPO, "--profile", "fr", "--category", "mobile-devices", "-o", again).exit_code == 0
    assert json.loads(again.read_text())["releases"][0]["date"] == "2026-01-01T00:00:00Z"


def test_services_categories_are_services(checked: Any) -> None:
    from tenderpack.notices.ocds import procurement_category

    for cat in checked.project.library.categories:
        expected = "services" if cat.id in ("ict-services", "data-centre-services", "end-of-life") else "goods"
        if cat.cpv:
            assert procurement_category(tuple(cat.cpv)) == expected, cat.id
