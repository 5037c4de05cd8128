"""Copy into tenderpack/notices/data/ the parts of the eForms SDK and OCDS that tenderpack reads at run time.

    python tools/vendor_notices.py ../shared/eforms-sdk-1.15.1 ../shared/ocds-1.1.5

Only what the `eforms` and `ocds` commands need: five eForms code lists (verbatim), the facts of
fields/fields.json about the fields written (a small JSON extract), four OCDS code lists (verbatim) and
both licences. The schemas and schematron rules are not vendored: tenderpack does not validate notices at
run time; its tests validate against the full SDK when it is present.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tenderpack" / "notices" / "data"
CODELISTS = ["environmental-impact", "gpp-criteria", "strategic-procurement", "number-weight", "award-criterion-type"]
FIELDS = [
    "BT-06-Lot", "BT-777-Lot", "BT-774-Lot", "BT-805-Lot", "BT-539-Lot", "BT-734-Lot", "BT-540-Lot",
    "BT-541-Lot-WeightNumber", "BT-5421-Lot", "BT-543-Lot", "BT-733-Lot",
    "BT-541-Lot-FixedNumber", "BT-541-Lot-ThresholdNumber", "BT-5422-Lot", "BT-5423-Lot",
]
OCDS_CODELISTS = ["awardCriteria", "procurementCategory", "releaseTag", "documentType"]


def _forbidden(field: dict) -> list[str]:
    """Notice subtypes where the field is forbidden whatever the notice says (conditions left out)."""
    out: list[str] = []
    for c in (field.get("forbidden") or {}).get("constraints", []):
        if c.get("value") is True and "condition" not in c:
            out.extend(c["noticeTypes"])
    return out


def main(sdk: Path, ocds: Path) -> None:
    eforms = DATA / "eforms"
    (eforms / "codelists").mkdir(parents=True, exist_ok=True)
    for name in CODELISTS:
        shutil.copyfile(sdk / "codelists" / f"{name}.gc", eforms / "codelists" / f"{name}.gc")
    shutil.copyfile(sdk / "LICENSE", eforms / "LICENSE")
    fields = json.loads((sdk / "fields" / "fields.json").read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in fields["fields"]}
    extract = {
        "sdkVersion": fields["sdkVersion"],
        "fields": {
            fid: {
                "name": by_id[fid]["name"],
                "xpathAbsolute": by_id[fid]["xpathAbsolute"],
                "type": by_id[fid]["type"],
                "codeList": ((by_id[fid].get("codeList") or {}).get("value") or {}).get("id"),
                "forbiddenIn": _forbidden(by_id[fid]),
            }
            for fid in FIELDS
        },
    }
    (eforms / "fields.json").write_text(json.dumps(extract, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    out = DATA / "ocds"
    (out / "codelists").mkdir(parents=True, exist_ok=True)
    for name in OCDS_CODELISTS:
        shutil.copyfile(ocds / "schema" / "codelists" / f"{name}.csv", out / "codelists" / f"{name}.csv")
    shutil.copyfile(ocds / "LICENSE", out / "LICENSE")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
