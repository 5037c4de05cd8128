"""The variables a Word template may use — declared once.

``templates/README.md`` is generated from this table (``python tools/gen_docs.py``), and ``tenderpack
check`` reports any other name a template uses.
"""

from __future__ import annotations

TEMPLATE_CONTEXT: dict[str, tuple[str, dict[str, str]]] = {
    "doc": ("The document being built.", {
        "id": "Document id: <profile>-<category>-<kind>-<edition>.",
        "kind": "tender, annex, questionnaire, policy or checklist.",
        "edition": "drafting or issue.",
        "edition_name": "'Drafting edition' or 'Issue edition'.",
        "title": "Document title (library documents.<kind>.title).",
        "subtitle": "Document subtitle (library documents.<kind>.description).",
    }),
    "profile": ("The resolved profile.", {
        "id": "Profile id.",
        "name": "Profile name.",
        "jurisdiction": "Jurisdiction as printed.",
        "language": "Language code.",
        "currency": "ISO 4217 currency code.",
        "platform": "E-procurement platform (or a neutral phrase when none is set).",
        "last_verified": "Date the profile's legal references were last checked.",
    }),
    "authority": ("The contracting authority (profile authority).", {
        "name": "Legal name.",
        "address": "Postal address (empty when not set).",
        "contact": "Contact point (empty when not set).",
        "website": "Web site (empty when not set).",
    }),
    "category": ("The product category.", {
        "id": "Category id.",
        "name": "Category name.",
        "cpv": "Its CPV codes, comma-separated.",
    }),
    "pack": ("The pack release.", {
        "version": "Pack version (library release.version or `pack --version`).",
        "date": "Release date, or the date of SOURCE_DATE_EPOCH.",
    }),
    "label": ("Cover, header and footer lines in the document's language (clauses/strings.yaml cover.*, header.*, footer.*).", {
        "reference": "The line where the buyer writes the reference ('Tender reference: ____', per kind).",
        "category": "'Product category: <name>'.",
        "profile": "'Profile: <name>'.",
        "pack": "'Pack version <version> of <date> · <edition>'.",
        "document": "'Document <id>'.",
        "version": "Header: 'Version <version> · <edition>'.",
        "page": "Footer: the word before the page number ('Page').",
        "of": "Footer: the word between page number and page count ('of').",
    }),
    "legal": ("Legal citations of the profile, by purpose (framework, specifications, labels, award, lcc, "
              "selection, performance, ewaste, ...); unverified ones are flagged in the drafting edition.", {}),
    "currency": ("The profile's currency code.", {}),
    "toc": ("The table of contents: use alone in a paragraph as {{p toc }}.", {}),
    "body": ("The document body (sections and clauses): use alone in a paragraph as {{p body }}.", {}),
}  # fmt: skip
