"""OCDS 1.1: one release package (tag ``tender``) per document set, from the same criteria as the notices.

Core OCDS 1.1.5 has ``tender.awardCriteria`` (a code) and ``tender.awardCriteriaDetails`` (free text) but
no structured criteria: the names, types and weights are also given in the shape of the OCDS extensions
*Lots* and *Award criteria breakdown* (``tender.lots[].awardCriteria.criteria[]`` with ``type``, ``name``,
``description`` and ``numbers[{number, weight: percentageExact}]``), which the package lists in
``extensions``. ``documents`` lists the issue edition of every document of the set, with its sha256 in
``description``. Ids and dates come from the pack version and date (SOURCE_DATE_EPOCH), never the clock.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .codelists import ocds_codes
from .criteria import Criteria, NoticeError, text_in

if TYPE_CHECKING:
    from ..pipeline import Checked

OCDS_VERSION = "1.1"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_awardCriteriaBreakdown_extension/master/extension.json",
]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCUMENT_TYPES = {  # document kind → OCDS documentType; policy and checklist are the buyer's own
    "tender": "biddingDocuments",
    "annex": "contractDraft",
    "questionnaire": "evaluationCriteria",
}
OCID_PREFIX = "ocds-000000"  # replace with the publisher's registered prefix (docs/notices.md)


def procurement_category(cpv: tuple[str, ...]) -> str:
    """goods, works or services from the CPV divisions (45: works; 50 and above: services; below: goods)."""
    divisions = {int(code[:2]) for code in cpv}
    if divisions and all(d >= 50 for d in divisions):
        return "services"
    if divisions and all(d == 45 for d in divisions):
        return "works"
    return "goods"


def award_criteria_code(criteria: Criteria) -> str:
    types = {c.type for c in criteria.award}
    if len(criteria.award) > 1 or not types:
        return "ratedCriteria"
    return {"price": "priceOnly", "cost": "costOnly", "quality": "qualityOnly"}[types.pop()]


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def built_documents(root: Path, checked: Checked, criteria: Criteria) -> list[dict[str, Any]]:
    """Build the issue edition of the set's documents in a temporary folder: their manifest entries."""
    from ..pipeline import Filters, build

    filters = Filters((criteria.profile,), (criteria.category,), (), ("issue",), (criteria.level,))
    with tempfile.TemporaryDirectory(prefix="tenderpack-ocds-") as tmp:
        result = build(root, Path(tmp) / "build", filters, checked=checked, jobs=1)
        return [d for d in result.documents if d.get("edition") == "issue"]


def release_package(checked: Checked, criteria: Criteria, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The release package (a plain dict, ready for JSON)."""
    profile = checked.resolved[criteria.profile].profile
    lang = criteria.language
    version = checked.pack["version"]
    when = checked.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    ident = f"{criteria.profile}-{criteria.category}-{criteria.level}"
    ocid = f"{OCID_PREFIX}-tenderpack-{ident}"
    category_name = text_in(criteria.category_name, lang) or criteria.category_name["en"]
    buyer = {"id": "buyer", "name": profile.authority.name} if profile.authority.name else {"id": "buyer"}
    details = "; ".join(
        f"{profile.printed(c.name, lang)} ({c.type}): {_number(c.weight)} %" for c in criteria.award
    )
    tender: dict[str, Any] = {
        "id": ident,
        "title": f"{category_name} ({profile.printed(profile.name, lang)})",
        "status": "planned",
        "items": [
            {
                "id": str(i),
                "description": category_name,
                "classification": {"scheme": "CPV", "id": code.split("-")[0]},
            }
            for i, code in enumerate(criteria.cpv, start=1)
        ],
        "mainProcurementCategory": procurement_category(criteria.cpv),
        "awardCriteria": award_criteria_code(criteria),
        "awardCriteriaDetails": details,
        "lots": [
            {
                "id": "LOT-0001",
                "title": category_name,
                "awardCriteria": {
                    "criteria": [
                        {
                            "type": c.type,
                            "name": profile.printed(c.name, lang),
                            "description": profile.printed(c.description, lang),
                            "numbers": [{"number": _number(c.weight), "weight": "percentageExact"}],
                        }
                        for c in criteria.award
                    ]
                },
            }
        ],
        "documents": [
            {
                "id": d["path"],
                **({"documentType": DOCUMENT_TYPES[d["kind"]]} if d["kind"] in DOCUMENT_TYPES else {}),
                "title": d["title"],
                "description": f"{d['kind']} ({d['edition']} edition), sha256 {d['sha256']}",
                "format": DOCX,
                "language": lang,
            }
            for d in sorted(documents, key=lambda d: str(d["path"]))
        ],
    }
    if not criteria.cpv:
        del tender["items"]
    release = {
        "ocid": ocid,
        "id": f"{ocid}-{version}",
        "date": when,
        "tag": ["tender"],
        "initiationType": "tender",
        "language": lang,
        "parties": [{**buyer, "roles": ["buyer"]}],
        "buyer": buyer,
        "tender": tender,
    }
    package = {
        "uri": f"urn:tenderpack:{version}:{ident}:release-package",
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": when,
        "publisher": {"name": profile.authority.name or profile.printed(profile.name)},
        "releases": [release],
    }
    _check_codes(package)
    return package


def _check_codes(package: dict[str, Any]) -> None:
    """Every code written is in its vendored OCDS 1.1.5 code list (a programming error otherwise)."""
    tender = package["releases"][0]["tender"]
    pairs = [("awardCriteria", tender["awardCriteria"]), ("procurementCategory", tender["mainProcurementCategory"])]
    pairs += [("releaseTag", t) for t in package["releases"][0]["tag"]]
    pairs += [("documentType", d["documentType"]) for d in tender["documents"] if "documentType" in d]
    bad = [f"{name}:{code}" for name, code in pairs if code not in ocds_codes(name)]
    if bad:
        raise NoticeError(f"codes not in the OCDS 1.1.5 code lists: {', '.join(bad)}")


def dumps(package: dict[str, Any]) -> bytes:
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
