"""Category-true text: every built document of the shipped pack says only what applies to its category.

The shipped library is built into a temporary folder and every document is read back with python-docx
(body, tables, content controls, headers and footers). Each phrase below belongs to the categories
listed with it; finding it in a document of any other category fails the test. The list is kept honest:
a phrase is here only when it truly makes no sense elsewhere (a reference title such as "EU GPP criteria
for computers, monitors, tablets and smartphones" may appear anywhere, so "smartphone" alone is not a
phrase). Fix the clause (a category limit, see docs/authoring.md), never the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tenderpack.ids import LANG_RE

REPO = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"

MOBILE = ("mobile-devices",)
IMAGING = ("imaging",)
DATA_CENTRE = ("data-centre-services",)
# pattern (a regular expression, case-insensitive unless it starts with (?-i)) → categories it belongs to
PHRASES: dict[str, tuple[str, ...]] = {
    # smartphones and tablets
    r"screen protector": MOBILE,
    r"protective case": MOBILE,
    r"\bphone_part_mass|more than \d+ g in an offered smartphone|In smartphones, the same": MOBILE,
    r"smartphone back cover|battery, display and back cover": MOBILE,
    r"slate tablets": MOBILE,
    r"adaptive charging": MOBILE,
    r"80 % after 800 cycles": MOBILE,
    # imaging equipment and print services
    r"cartridge": IMAGING,
    r"toner": IMAGING,
    r"duplex": IMAGING,
    r"\bN-up\b": IMAGING,
    r"print, copy and scan jobs|scan jobs": IMAGING,
    r"pages? printed|printed pages": IMAGING,
    r"refilled consumables": IMAGING,
    # data-centre, hosting and cloud services (the facility, not the server hardware)
    r"(?-i)\bPUE\b": DATA_CENTRE,
    r"power usage effectiveness": DATA_CENTRE,
    r"(?-i)\bREF\b": DATA_CENTRE,
    r"renewable energy factor": DATA_CENTRE,
    r"(?-i)\bERF\b": DATA_CENTRE,
    r"energy reuse factor": DATA_CENTRE,
    r"cooling system": DATA_CENTRE,
    r"refrigerant": DATA_CENTRE,
    r"waste heat": DATA_CENTRE,
    r"colocation": DATA_CENTRE,
    r"utilisation of the servers dedicated|server utilisation": DATA_CENTRE,
    # laptops and desktops
    r"notebook computers: battery|desktop computers: processor": ("computers",),
    r"maximum TEC|\bTEC_max\b": ("computers", "imaging"),  # TEC and TEC_MAX: ENERGY STAR computers and imaging equipment
    # monitors
    r"energy efficiency class|energy class": ("monitors", "mobile-devices"),  # the EU energy labels of displays and of smartphones and tablets
    # server hardware
    r"idle-state power|Eff_?ACTIVE|active-state efficiency": ("servers",),
    r"operating condition class": ("servers",),
    # computers
    # network equipment
    r"Energy-Efficient Ethernet": ("network",),
}
COMPILED = [
    (re.compile(p[5:]) if p.startswith("(?-i)") else re.compile(p, re.IGNORECASE), p, cats)
    for p, cats in PHRASES.items()
]


def document_text(path: Path) -> str:
    """All text of a .docx: body (with tables and content controls), headers and footers."""
    document = docx.Document(str(path))
    parts = [" ".join(t.text or "" for t in document.element.body.iter(W))]
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.append(" ".join(t.text or "" for t in part._element.iter(W)))
    return "\n".join(parts)


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


@pytest.fixture(scope="module")
def shipped(shipped_pack: Path) -> Path:
    return shipped_pack


def test_every_document_says_only_what_applies_to_its_category(shipped: Path) -> None:
    documents = sorted(shipped.rglob("*.docx"))
    assert len(documents) > 100

    def category_of(path: Path) -> str:  # a profile of several languages has a folder per language
        return path.parent.parent.name if LANG_RE.match(path.parent.name) else path.parent.name

    categories = {category_of(p) for p in documents}
    assert {"computers", "mobile-devices", "servers", "data-centre-services", "imaging", "monitors"} <= categories
    assert any(p.parent.name == "fr" for p in documents)  # rw's French documents are checked too
    found: list[str] = []
    for path in documents:
        category = category_of(path)
        text = document_text(path)
        for regex, pattern, owners in COMPILED:
            if category in owners:
                continue
            m = regex.search(text)
            if m:
                context = text[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ")
                found.append(f"{path.relative_to(shipped)}: {pattern!r} (only {', '.join(owners)}): …{context}…")
    assert not found, f"{len(found)} phrases outside their category:\n" + "\n".join(found[:60])


def test_every_phrase_is_written_in_a_text_of_its_own_category() -> None:
    """A phrase that no clause of its categories writes guards nothing (and may be misspelt)."""
    from tenderpack.pipeline import check

    project = check(REPO).project
    texts: dict[str, list[str]] = {}
    for clause in project.clauses.values():
        text = re.sub(r"\s+", " ", " ".join(strings(clause.model_dump(mode="json"))))
        for cat in clause.categories:
            texts.setdefault(cat, []).append(text)
    unused = [
        pattern for regex, pattern, owners in COMPILED
        if not any(regex.search(t) for cat in owners for t in texts.get(cat, []))
    ]  # fmt: skip
    assert not unused, f"phrases that no clause of their category writes: {unused}"
