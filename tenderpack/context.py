"""The variables a Word template may use — declared once.

``templates/README.md`` is generated from this table (``python tools/gen_docs.py``), and ``tenderpack
check`` reports any other name a template uses.
"""

from __future__ import annotations

TEMPLATE_CONTEXT: dict[str, tuple[str, dict[str, str]]] = {
    "doc": ("The document being built.", {
        "id": "Document id: <profile>-<category>-<level>-<kind>-<edition>.",
        "kind": "tender, annex, questionnaire, policy or checklist.",
        "edition": "drafting, issue or bilingual.",
        "edition_name": "'Drafting edition', 'Issue edition' or 'Bilingual edition', in the document's language.",
        "level": "Ambition level: core or comprehensive.",
        "level_name": "'Core level' or 'Comprehensive level', in the document's language.",
        "title": "Document title (library documents.<kind>.title).",
        "subtitle": "Document subtitle (library documents.<kind>.description).",
    }),
    "profile": ("The resolved profile.", {
        "id": "Profile id.",
        "name": "Profile name.",
        "jurisdiction": "Jurisdiction as printed.",
        "language": "Language code.",
        "currency": "ISO 4217 currency code.",
        "platform": "Fill-in tender.platform (the same as fill[\"tender.platform\"]).",
        "last_verified": "Date the profile's legal references were last checked.",
    }),
    "authority": ("The contracting authority (profile authority).", {
        "name": "Fill-in authority.name: the value, or a Word field bound to it when the profile leaves it unset.",
        "address": "Postal address (empty when not set).",
        "contact": "Fill-in authority.contact, likewise.",
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
    "fill": ("Fill-ins by id (library fill_ins), e.g. `{{ fill[\"tender.reference\"] }}`: the profile's value, or "
             "a Word content control with grey placeholder text, bound to the document's fill-in XML part.", {}),
    "label": ("Cover, header and footer lines in the document's language (clauses/strings.yaml cover.*, header.*, footer.*).", {
        "reference": "The reference line of the kind ('Tender reference: <fill-in tender.reference>'; the policy's 'Adopted on: ____').",
        "deadline": "'Submission deadline: <fill-in tender.deadline>'.",
        "level": "'Ambition: <level name>'.",
        "category": "'Product category: <name>'.",
        "profile": "'Profile: <name>'.",
        "pack": "'Pack version <version> of <date> · <edition>'.",
        "document": "'Document <id>'.",
        "version": "Header: 'Version <version> · <level name> · <edition>'.",
        "page": "Footer: the word before the page number ('Page').",
        "of": "Footer: the word between page number and page count ('of').",
    }),
    "legal": ("Legal citations of the profile, by purpose (framework, specifications, labels, award, lcc, "
              "selection, performance, ewaste, ...); unverified ones are flagged in the drafting edition.", {}),
    "currency": ("The profile's currency code.", {}),
    "terms": ("The profile's jurisdiction terms by name, as clause texts use them (terms.Buyer, terms.tenderers, "
              "terms.award_basis, ...; clauses/glossary.yaml lists the keys).", {}),
    "toc": ("The table of contents: use alone in a paragraph as {{p toc }}.", {}),
    "body": ("The document body (sections and clauses): use alone in a paragraph as {{p body }}.", {}),
}  # fmt: skip
