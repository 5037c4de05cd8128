"""Validation of eForms notices in tests: the SDK's XSD (lxml) and its static schematron (Saxon-HE).

The eForms SDK and OCDS schemas are not vendored whole; tests read them from the ``shared/`` folder beside
the repository (``TENDERPACK_SHARED`` points elsewhere) and skip, saying why, where it is absent.

Schematron engine: the rules are ISO Schematron with ``queryBinding="xslt2"`` (XPath 2 regexes,
sequences). SchXslt2, the maintained transpiler, is on neither PyPI nor npm, and only registries are
reachable here; so the rules are transpiled with the ISO Schematron reference skeleton that lxml ships
(``iso_dsdl_include``, ``iso_abstract_expand``, ``iso_svrl_for_xslt1``), run *by Saxon-HE* (saxonche),
and the generated validator is compiled and run by Saxon-HE as XSLT 2, so every assertion is evaluated
with XPath 2 as the rules require. Two adjustments make the skeleton's output XSLT 2: the version
attribute, and doubling the braces of the ``test`` text copied into SVRL output attributes (the XSLT 1
skeleton writes it as an attribute value template, which breaks on regex quantifiers such as ``{2}``).
Per notice subtype, the validator is compiled for the phase ``eforms-<subtype>``, as the SDK defines it.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree, isoschematron

SHARED = Path(os.environ.get("TENDERPACK_SHARED") or Path(__file__).resolve().parents[2] / "shared")
SDK = SHARED / "eforms-sdk-1.15.1"
OCDS = SHARED / "ocds-1.1.5"
needs_sdk = pytest.mark.skipif(not SDK.is_dir(), reason=f"the eForms SDK 1.15.1 is not at {SDK} (set TENDERPACK_SHARED)")
needs_ocds = pytest.mark.skipif(not OCDS.is_dir(), reason=f"the OCDS 1.1.5 schema is not at {OCDS} (set TENDERPACK_SHARED)")

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SKELETON = Path(isoschematron.__file__).parent / "resources" / "xsl" / "iso-schematron-xslt1"
MAINDOC = {
    "ContractNotice": "UBL-ContractNotice-2.3.xsd",
    "PriorInformationNotice": "UBL-PriorInformationNotice-2.3.xsd",
    "ContractAwardNotice": "UBL-ContractAwardNotice-2.3.xsd",
}


@functools.cache
def xsd(kind: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SDK / "schemas" / "maindoc" / MAINDOC[kind])))


def xsd_errors(path: Path) -> list[str]:
    doc = etree.parse(str(path))
    schema = xsd(etree.QName(doc.getroot()).localname)
    schema.validate(doc)
    return [f"{e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]


@functools.cache
def _saxon():  # type: ignore[no-untyped-def]
    saxonche = pytest.importorskip("saxonche", reason="saxonche (Saxon-HE) is not installed")
    return saxonche.PySaxonProcessor(license=False)


@functools.cache
def _expanded() -> str:
    """complete-validation.sch with its includes and abstract patterns resolved (as a file)."""
    sch = etree.parse(str(SDK / "schematrons" / "static" / "complete-validation.sch"))
    sch = etree.XSLT(etree.parse(str(SKELETON / "iso_dsdl_include.xsl")))(sch)
    sch = etree.XSLT(etree.parse(str(SKELETON / "iso_abstract_expand.xsl")))(sch)
    sch.getroot().set("queryBinding", "xslt")  # the skeleton refuses other bindings; the queries run as XSLT 2 below
    folder = tempfile.mkdtemp(prefix="tenderpack-sch-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = Path(folder) / "expanded.sch"
    path.write_bytes(etree.tostring(sch))
    return str(path)


@functools.cache
def _validator(subtype: str):  # type: ignore[no-untyped-def]
    proc = _saxon()
    xslt = proc.new_xslt30_processor()
    skeleton = xslt.compile_stylesheet(stylesheet_file=str(SKELETON / "iso_svrl_for_xslt1.xsl"))
    skeleton.set_parameter("phase", proc.make_string_value(f"eforms-{subtype}"))
    generated = etree.fromstring(skeleton.transform_to_string(source_file=_expanded()).encode("utf-8"))
    for el in generated.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report"):
        el.set("test", el.get("test", "").replace("{", "{{").replace("}", "}}"))
    generated.set("version", "2.0")
    path = Path(_expanded()).parent / f"eforms-{subtype}.xsl"
    path.write_bytes(etree.tostring(generated))
    return xslt.compile_stylesheet(stylesheet_file=str(path))


def schematron_failures(path: Path, subtype: str) -> Counter[tuple[str, str]]:
    """(assertion id, location without positions) of every failed assertion, counted."""
    report = etree.fromstring(_validator(subtype).transform_to_string(source_file=str(path)).encode("utf-8"))
    return Counter(
        (e.get("id") or e.get("test") or "", re.sub(r"\[\d+\]", "", e.get("location") or ""))
        for e in report.iter(f"{SVRL}failed-assert")
    )
