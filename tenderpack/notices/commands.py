"""The library functions behind ``tenderpack eforms`` and ``tenderpack ocds``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_atomic
from ..pipeline import Checked, load_checked
from .criteria import Criteria, NoticeError, criteria_for


@dataclass
class Written:
    path: Path
    criteria: Criteria
    lots: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def eforms(root: Path, notice: Path | None, profile: str, category: str, level: str | None, lot: str | None,
           out: Path, checked: Checked | None = None) -> Written:  # fmt: skip
    """Fill a notice's lot(s), or (``notice`` None) write the standalone fragment; nothing written on error."""
    from . import eforms as ef

    if notice is not None:  # read and check the notice before the (slower) project
        original = ef.read_notice(notice)
        tree = ef.parse_notice(original, str(notice))
        ef.check_notice(tree, str(notice))
        ef.check_lot(tree, str(notice), lot)
    checked = checked or load_checked(root)
    criteria = criteria_for(checked, profile, category, level)
    result = Written(out, criteria, covered=ef.covered(criteria))
    if notice is None:
        data = ef.fragment(criteria, lot or "LOT-0001")
        result.lots = [lot or "LOT-0001"]
    else:
        result.lots = ef.fill(tree, criteria, str(notice), lot)
        missing = ef.check_languages(criteria, ef.notice_languages(tree), str(notice))
        if missing and criteria.award:
            result.warnings.append(f"the library has no award-criterion text in {', '.join(missing)}: "
                                   "BT-734 and BT-540 were written in the languages it has; add the others "
                                   "before publication")  # fmt: skip
        data = ef.serialise(tree, original)
    unknown_codes = ef.check_codes(ef.parse_notice(data, str(out)))
    if unknown_codes:  # a profile value outside the SDK code lists never reaches a notice
        raise NoticeError(f"codes not in the eForms SDK code lists: {', '.join(unknown_codes)}")
    write_atomic(out, data)
    return result


def ocds(root: Path, profile: str, category: str, level: str | None, out: Path,
         checked: Checked | None = None) -> Written:  # fmt: skip
    """Write the OCDS release package of one document set (its documents are built to take their sha256)."""
    from . import ocds as oc

    checked = checked or load_checked(root)
    criteria = criteria_for(checked, profile, category, level)
    documents = oc.built_documents(root, checked, criteria)
    write_atomic(out, oc.dumps(oc.release_package(checked, criteria, documents)))
    return Written(out, criteria)


__all__ = ["NoticeError", "eforms", "ocds", "write_atomic"]
