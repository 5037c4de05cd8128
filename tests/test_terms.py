"""Jurisdiction terms and the Definitions section: checks, profiles, and what built documents say."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, write
from docx import Document
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from tenderpack.blocks import text_of
from tenderpack.cli import main
from tenderpack.errors import Collector
from tenderpack.model import Glossary
from tenderpack.pipeline import Filters, check, compose_all
from tenderpack.project import load_project
from tenderpack.terms import capitalise, hard_coded, undefined_terms

EU_DERIVED = {"eu", "fr", "de", "es"}  # profiles whose law awards to the most economically advantageous tender
# ... each in its own language's words (Article 67 of Directive 2014/24/EU, L2152-7 CCP, § 127 GWB, art. 145 LCSP)
AWARD_BASIS = {"eu": "most economically advantageous tender", "fr": "offre économiquement la plus avantageuse",
               "de": "wirtschaftlichste Angebot", "es": "oferta con la mejor relación calidad-precio"}  # fmt: skip


# ------------------------------------------------------------------------------------------ check


def test_check_names_a_hard_coded_party_word_and_the_term_to_use(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    repair = project / "clauses" / "core" / "ts.repair.yaml"
    text = repair.read_text()
    assert "The {{ Contractor }} shall ensure" in text
    write(repair, text.replace("The {{ Contractor }} shall ensure", "The Contractor shall ensure")
          .replace("The service manual shall", "The offerors and the Contracting Authority agree that the service manual shall"))  # fmt: skip
    result = cli("check", "--project", project, expect=1)
    line = next(i for i, t in enumerate(repair.read_text().splitlines(), 1) if "The Contractor shall ensure" in t)
    manual = next(i for i, t in enumerate(repair.read_text().splitlines(), 1) if "The offerors" in t)
    assert result.stderr.splitlines() == [
        f"Error: clauses/core/ts.repair.yaml:{line}: text: hard-coded 'Contractor': write {{{{ Contractor }}}} (the profile's terms.contractor)",
        f"Error: clauses/core/ts.repair.yaml:{manual}: text: hard-coded 'Contracting Authority': write {{{{ Buyer }}}} (the profile's terms.buyer)",
        f"Error: clauses/core/ts.repair.yaml:{manual}: text: hard-coded 'offerors': write {{{{ tenderers }}}} (the profile's terms.tenderer)",
        "Error: 3 problems found.",
    ]


def test_check_refuses_the_award_wording_in_fixed_text(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    library = project / "clauses" / "library.yaml"
    write(
        library,
        library.read_text().replace("to the {{ award_basis }},", "to the most economically advantageous tender,"),
    )
    result = cli("check", "--project", project, expect=1)
    line = next(i for i, t in enumerate(library.read_text().splitlines(), 1) if "most economically" in t)
    assert result.stderr.splitlines()[0] == (
        f"Error: clauses/library.yaml:{line}: documents.tender.after.0.text: hard-coded 'most economically "
        "advantageous tender': write {{ award_basis }} (the profile's terms.award_basis)"
    )


def test_check_refuses_a_capitalised_term_the_glossary_does_not_define(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    battery = project / "clauses" / "core" / "ts.battery.yaml"
    text = battery.read_text()
    write(battery, text.replace("of the Products shall", "of the Products listed in the Delivery Schedule shall", 1))
    result = cli("check", "--project", project, expect=1)
    line = next(i for i, t in enumerate(battery.read_text().splitlines(), 1) if "Delivery Schedule" in t)
    assert result.stderr.splitlines() == [
        f"Error: clauses/core/ts.battery.yaml:{line}: text: 'the Delivery Schedule' reads as a defined term, but the "
        "glossary does not define it: add it to clauses/glossary.yaml (definitions, or proper_nouns for a name), "
        "or write it in lower case",
        "Error: 1 problem found.",
    ]
    # defining it (or listing it as a name) is the fix
    glossary = project / "clauses" / "glossary.yaml"
    write(glossary, glossary.read_text().replace("proper_nouns:\n", "proper_nouns:\n  - Delivery Schedule\n"))
    cli("check", "--project", project, expect=0)


def test_profile_terms_are_checked(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fr = project / "profiles" / "fr.yaml"
    write(fr, fr.read_text() + "terms:\n  buyer: pouvoir adjudicateur\n  award_basis: {singular: a, plural: b}\n"
          "  tenderer: {singular: Contracting Authority, plural: x}\n  purchaser: {singular: p, plural: ps}\n")  # fmt: skip
    itu = project / "profiles" / "itu.yaml"
    write(itu, itu.read_text().replace("  checklist_title: Buyer's checklist\n", ""))
    result = cli("check", "--project", project, expect=1)
    n = len(fr.read_text().splitlines())
    assert result.stderr.splitlines() == [
        f"Error: profiles/fr.yaml:{n - 3}: terms.buyer: a noun term is written {{singular: ..., plural: ...}}",
        f"Error: profiles/fr.yaml:{n - 2}: terms.award_basis: a phrase term is written as one string",
        f"Error: profiles/fr.yaml:{n}: terms.purchaser: unknown term 'purchaser' (terms: buyer, tenderer, contractor, "
        "tender, contract_manager, invitation, award_basis, tender_title, annex_title, questionnaire_title, "
        "policy_title, checklist_title)",
        # reported once, where the root profile's terms are (every profile of the chain lacks it)
        f"Error: profiles/itu.yaml:{itu.read_text().splitlines().index('terms:') + 1}: terms: terms not set: "
        "checklist_title (set them here or in a profile this one extends)",
        "Error: 4 problems found.",
    ]


def test_one_wording_cannot_name_two_parties(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    fr = project / "profiles" / "fr.yaml"
    write(fr, fr.read_text() + "terms:\n  contractor: {singular: tenderer, plural: tenderers}\n")
    result = cli("check", "--project", project, expect=1)
    assert (
        "profiles/fr.yaml:15: terms.contractor.singular: 'tenderer' is also the wording of terms.tenderer: one defined term "
        "cannot name two parties"
    ) in result.stderr


def test_explain_shows_where_each_term_comes_from(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("explain", "fr", "terms", "--project", project, expect=0)
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("terms.")}
    # a term is a profile text: its language shows (the seed's fr profile writes its terms in English)
    assert lines["terms.award_basis.en"].endswith("profiles/eu.yaml:21")
    assert "most economically advantageous tender" in lines["terms.award_basis.en"]
    itu = (project / "profiles" / "itu.yaml").read_text().splitlines()
    at = itu.index("terms:") + next(
        i for i, line in enumerate(itu[itu.index("terms:") :]) if line.startswith("  tenderer:")
    )
    assert lines["terms.tenderer.en.singular"].endswith(f"profiles/itu.yaml:{at + 1}")


# ------------------------------------------------------------------------------------------ units


def test_capitalise_gives_the_defined_term_form() -> None:
    assert capitalise("procuring entity") == "Procuring Entity"
    assert capitalise("Government") == "Government"
    assert capitalise("bidding notice (edital)") == "Bidding Notice (edital)"
    assert capitalise("contracting officer of the agency") == "Contracting Officer of the Agency"


def test_party_words_are_found_across_line_breaks_but_not_in_substituted_terms() -> None:
    glossary = Glossary.model_validate({"terms": {"buyer": {"doc": "d", "plural": "buyers",
                                                            "words": ["contracting authority"]}}})  # fmt: skip
    findings = hard_coded("The {{ Buyer }} and the\nContracting\n  Authority agree.", glossary.terms)
    assert [(f.line, f.found) for f in findings] == [(2, "Contracting Authority")]
    assert hard_coded("a subcontractor of the {{ buyer }}", glossary.terms) == []


def test_undefined_terms_ignore_names_sentence_starts_and_templates() -> None:
    glossary = Glossary.model_validate({
        "definitions": [{"term": "Product", "plural": "Products", "means": "a thing"}],
        "proper_nouns": ["Basel Convention", "European"],
    })  # fmt: skip
    src = "The Products meet the Basel Convention and the European Chemicals Agency.\nThe {{ Buyer }} reads the Annex."
    assert [(f.line, f.found) for f in undefined_terms(src, glossary)] == [(2, "Annex")]


# ------------------------------------------------------------------------------------------ the shipped pack


@pytest.fixture(scope="module")
def shipped_texts() -> dict[str, str]:
    """The composed text of every tender, annex and questionnaire of the shipped pack (both editions)."""
    checked = check(REPO)
    filters = Filters(kinds=("tender", "annex", "questionnaire"))
    return {c.spec.id: "\n".join(text_of(b) for b in c.blocks) + "\n" + c.title for c in compose_all(checked, filters)}


def test_no_document_outside_eu_profiles_says_most_economically_advantageous(shipped_texts: dict[str, str]) -> None:
    offending = [doc for doc, text in shipped_texts.items()
                 if "most economically advantageous" in text.lower() and doc.split("-")[0] not in EU_DERIVED]  # fmt: skip
    assert offending == []
    eu_tenders = [doc for doc in shipped_texts if doc.split("-")[0] in EU_DERIVED and "-tender-" in doc]
    # translations write the award basis as their language does (a defined term may take a capital)
    assert eu_tenders and all(AWARD_BASIS[d.split("-")[0]].lower() in shipped_texts[d].lower() for d in eu_tenders)


def test_uk_documents_say_most_advantageous_tender(shipped_texts: dict[str, str]) -> None:
    uk_tenders = [doc for doc in shipped_texts if doc.startswith("uk-") and "-tender-" in doc]
    assert uk_tenders
    for doc in uk_tenders:
        assert "award the contract to the most advantageous tender" in shipped_texts[doc]
        assert "tenderer" not in shipped_texts[doc].lower(), doc  # the Act speaks of suppliers


def test_us_documents_speak_of_offerors_the_government_and_best_value(shipped_texts: dict[str, str]) -> None:
    us_docs = {doc: text for doc, text in shipped_texts.items() if doc.startswith("us-")}
    assert us_docs
    for doc, text in us_docs.items():
        for word in ("contracting authority", "tenderer", "most advantageous", "economically advantageous"):
            assert word not in text.lower(), (doc, word)
        if "-tender-" in doc:
            assert "the Government" in text and "Offeror" in text and "Solicitation" in text
            assert "offeror whose proposal represents the best value to the Government" in text
        if "-annex-" in doc:
            assert "contracting officer of the Government" in text


def test_every_profile_uses_its_own_party_words(shipped_texts: dict[str, str]) -> None:
    expected = {"ke": "Procuring Entity", "rw": "Bidder", "in": "Bidder", "br": "Contratante", "itu": "Tenderer",
                "es": "Órgano de Contratación", "de": "Auftraggeber", "fr": "Acheteur"}  # fmt: skip
    for pid, word in expected.items():
        tenders = [t for d, t in shipped_texts.items() if d.startswith(f"{pid}-") and "-tender-" in d]
        if pid == "rw":  # English and French documents, with the same ids: the French ones say "Soumissionnaire"
            assert tenders and all(word in t or "Soumissionnaire" in t for t in tenders), pid
            assert any(word in t for t in tenders) and any("Soumissionnaire" in t for t in tenders), pid
            continue
        assert tenders and all(word in t for t in tenders), pid


# ------------------------------------------------------------------------------------------ Definitions


def _body(path: Path) -> Iterator[tuple[str, str]]:
    """(style, text) of every paragraph of the body in order, table cells included (rows after the header)."""
    for item in Document(str(path)).iter_inner_content():
        if isinstance(item, DocxParagraph):
            yield item.style.name if item.style is not None else "", item.text
        elif isinstance(item, DocxTable):
            for row in item.rows[1:]:
                for cell in row.cells:
                    yield "cell", cell.text


def _defined_terms(root: Path, profile_terms: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Each defined term (as the document prints it) with the forms that count as a use."""
    problems = Collector(root)
    glossary = load_project(root, problems).glossary
    forms: dict[str, tuple[str, ...]] = {}
    for d in glossary.definitions:  # the English documents' terms
        if d.term:
            forms[d.term["en"]] = tuple(f["en"] for f in (d.term, d.plural) if f)
        elif d.party:
            one, many = profile_terms[d.party + ".singular"], profile_terms[d.party + ".plural"]
            forms[capitalise(one)] = (capitalise(one), capitalise(many))
    return forms


def _uses(text: str, forms: tuple[str, ...]) -> bool:
    return any(re.search(r"(?<![\w-])" + re.escape(f) + r"(?![\w-])", text) for f in forms)


def _check_definitions(path: Path, forms: dict[str, tuple[str, ...]]) -> list[str]:
    """Terms used but not defined, and terms defined but not used, in one built document."""
    paragraphs = list(_body(path))
    start = next(
        i for i, (style, text) in enumerate(paragraphs) if style.startswith("Heading") and text == "Definitions"
    )
    end = next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0].startswith("Heading"))
    listed = {}
    for _style, text in paragraphs[start + 1 : end]:
        if " means " not in text:
            continue  # the introductory sentence (in a drafting edition's English fallback box where untranslated)
        term, _, meaning = text.partition(" means ")
        listed[term] = meaning
    body = "\n".join(t for s, t in paragraphs[end:] if not s.startswith("Heading")) + "\n" + "\n".join(listed.values())
    used = {term for term, f in forms.items() if _uses(body, f)}
    problems = [f"{path.name}: uses {t!r} but does not define it" for t in sorted(used - set(listed))]
    problems += [f"{path.name}: defines {t!r} but does not use it" for t in sorted(set(listed) - used)]
    assert listed == dict(sorted(listed.items(), key=lambda kv: kv[0].casefold())), f"{path.name}: not sorted"
    return problems


def _resolved_terms(root: Path, pid: str, lang: str = "en") -> dict[str, str]:
    """The profile's terms in ``lang`` (or a variant of it), as explain shows them: 'buyer.singular' → wording."""
    result = CliRunner().invoke(main, ["explain", pid, "terms", "--project", str(root)])
    assert result.exit_code == 0, result.output
    found = {}
    for line in result.stdout.splitlines():
        if line.startswith("terms."):
            key, written, *sub = line.split()[0][len("terms.") :].split(".")
            if written.split("-")[0] == lang:
                found[".".join([key, *sub])] = " ".join(line.split()[1:-1])
    return found


def test_seed_documents_define_exactly_the_terms_they_use(built_seed: Path) -> None:
    forms = _defined_terms(built_seed, _resolved_terms(built_seed, "fr"))
    docs = sorted(p for p in (built_seed / "output").rglob("*.docx") if "-tender-" in p.name or "-annex-" in p.name)
    assert docs
    problems = [p for doc in docs for p in _check_definitions(doc, forms)]
    assert problems == []


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "output"
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--out", str(out), "--category", "computers",
                                       "--category", "servers", "--kind", "tender", "--kind", "annex", "--jobs", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("pid", ["itu", "eu", "uk", "us", "in", "ke", "rw"])
def test_shipped_documents_define_every_capitalised_term_they_use(shipped_build: Path, pid: str) -> None:
    """The English documents (rw's English ones); test_languages checks the definitions of the others."""
    forms = _defined_terms(REPO, _resolved_terms(REPO, pid))
    docs = sorted(
        p for p in (shipped_build / pid).rglob("*.docx") if "fr" not in p.parent.name and "-bilingual" not in p.name
    )
    assert len(docs) == 16  # 2 categories x 2 levels x tender, annex x 2 editions
    problems = [p for doc in docs for p in _check_definitions(doc, forms)]
    assert problems == []
    definitions = [t for s, t in _body(docs[0]) if " means " in t]
    assert any(t.startswith("Specification means ") for t in definitions)


def test_us_definitions_name_the_government_and_the_offeror(shipped_build: Path) -> None:
    text = "\n".join(t for _s, t in _body(shipped_build / "us" / "computers" / "us-computers-core-tender-issue.docx"))
    assert "Government means " in text and "Offeror means an economic operator" in text
    assert "Contracting Authority" not in text


def test_checklist_and_policy_use_the_profile_terms() -> None:
    checked = check(REPO)
    docs = {c.spec.id: "\n".join(text_of(b) for b in c.blocks) + "\n" + c.title
            for c in compose_all(checked, Filters(profiles=("us", "uk"), categories=("computers",),
                                                  kinds=("checklist", "policy"), editions=("issue",)))}  # fmt: skip
    assert "procedures requested from offerors" in docs["us-computers-core-checklist-issue"]
    assert "Contracting officer's checklist" in docs["us-computers-core-checklist-issue"]
    assert "procedures requested from suppliers" in docs["uk-computers-core-checklist-issue"]
    assert "Contracting Officers monitor the key performance indicators" in docs["us-computers-core-policy-issue"]
