"""The eForms and OCDS code lists vendored under ``data/`` (read once, cached)."""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from typing import Any

from lxml import etree

DATA = Path(__file__).resolve().parent / "data"
EFORMS = DATA / "eforms"
OCDS = DATA / "ocds"

# ISO 639-1 (the library's language keys) → ISO 639-3 as eForms writes languageID, for the 24 official
# languages of the European Union (the languages of TED notices).
ISO639_3 = {
    "bg": "BUL", "cs": "CES", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG", "es": "SPA", "et": "EST",
    "fi": "FIN", "fr": "FRA", "ga": "GLE", "hr": "HRV", "hu": "HUN", "it": "ITA", "lt": "LIT", "lv": "LAV",
    "mt": "MLT", "nl": "NLD", "pl": "POL", "pt": "POR", "ro": "RON", "sk": "SLK", "sl": "SLV", "sv": "SWE",
}  # fmt: skip


def eforms_language(lang: str) -> str | None:
    """'pt-BR' → 'POR'; None for a language eForms notices do not use."""
    return ISO639_3.get(lang.split("-")[0])


@functools.cache
def eforms_codes(name: str) -> dict[str, str]:
    """Code → English name of one vendored eForms code list (genericode)."""
    root = etree.parse(str(EFORMS / "codelists" / f"{name}.gc"), etree.XMLParser(resolve_entities=False,
                                                                                  no_network=True))  # fmt: skip
    codes: dict[str, str] = {}
    for row in root.iter("Row"):
        values = {v.get("ColumnRef"): (v.findtext("SimpleValue") or "") for v in row.iter("Value")}
        codes[values["code"]] = values.get("Name") or values.get("eng_label") or values["code"]
    return codes


@functools.cache
def eforms_labels(name: str, language: str) -> dict[str, str]:
    """Code → label in one language (ISO 639-3, e.g. 'FRA') of a vendored eForms code list; {} if it has none."""
    column = f"{language.lower()}_label"
    root = etree.parse(str(EFORMS / "codelists" / f"{name}.gc"), etree.XMLParser(resolve_entities=False,
                                                                                  no_network=True))  # fmt: skip
    labels: dict[str, str] = {}
    for row in root.iter("Row"):
        values = {v.get("ColumnRef"): (v.findtext("SimpleValue") or "") for v in row.iter("Value")}
        if values.get(column):
            labels[values["code"]] = values[column]
    return labels


@functools.cache
def eforms_fields() -> dict[str, Any]:
    """The facts of the SDK's fields/fields.json about the fields tenderpack writes (tools/vendor_notices.py)."""
    data: dict[str, Any] = json.loads((EFORMS / "fields.json").read_text(encoding="utf-8"))
    return data


def sdk_version() -> str:
    """'1.15.1' (fields.json says 'eforms-sdk-1.15.1')."""
    return str(eforms_fields()["sdkVersion"]).removeprefix("eforms-sdk-")


@functools.cache
def ocds_codes(name: str) -> frozenset[str]:
    """Codes of one vendored OCDS 1.1.5 code list (CSV)."""
    text = (OCDS / "codelists" / f"{name}.csv").read_text(encoding="utf-8")
    return frozenset(row["Code"] for row in csv.DictReader(io.StringIO(text)))
