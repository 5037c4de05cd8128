"""Documents entirely in their language: no English sentence and no English fallback box in a French, German,
Portuguese or Spanish document, and the translator's and reviewer's workflow on the shipped library.

Two kinds of library are checked:

- a *pseudo-translated* copy of the shipped library (``english.pseudo_translate``: every record without a
  current translation gets one made of that language's function words, with the English structure), which
  isolates what does not come from a translatable record: profile texts, the glossary, fixed strings, table
  headings, cover and header lines. These tests pass as soon as everything a document prints is translatable.
- the shipped library itself, which passes once every record is translated (the clause translations are
  imported with ``tenderpack translations import``).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO
from english import composed_texts, docx_texts, english_fragments, english_in, fallback_boxes, pseudo_translate
from ruamel.yaml import YAML

from tenderpack import definitions
from tenderpack.blocks import Note
from tenderpack.cli import main
from tenderpack.documents import Composed, Composer, make_selection
from tenderpack.errors import Collector
from tenderpack.pipeline import Checked, Filters, check, compose_all
from tenderpack.project import load_project
from tenderpack.translations import records, status

# profile → the language of its documents (rw builds English and French: its French ones are checked)
PROFILES = {"fr": "fr", "de": "de", "br": "pt-BR", "es": "es", "rw": "fr"}
LANGUAGES = ("fr", "de", "pt", "es")


def _copy(dest: Path) -> Path:
    for part in ("clauses", "profiles", "templates"):
        shutil.copytree(REPO / part, dest / part)
    return dest


@pytest.fixture(scope="module")
def pseudo_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _copy(tmp_path_factory.mktemp("pseudo") / "project")
    for lang in LANGUAGES:
        pseudo_translate(root, lang)
    return root


@pytest.fixture(scope="module")
def pseudo_build(pseudo_library: Path) -> Path:
    """The pseudo-translated library's documents of one category: every kind, edition and level."""
    out = pseudo_library / "output"
    args = ["build", "--project", str(pseudo_library), "--out", str(out), "--category", "computers", "--jobs", "2"]
    for pid in PROFILES:
        args += ["--profile", pid]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


def _documents(out: Path, pid: str) -> list[Path]:
    folder = out / pid / "computers" / ("fr" if pid == "rw" else "")
    return sorted(folder.glob("*.docx"))


_CHECKED: dict[Path, Checked] = {}


def _checked(root: Path) -> Checked:
    return _CHECKED.get(root) or _CHECKED.setdefault(root, check(root))  # the libraries do not change


def _composed(root: Path, pid: str, **filters: tuple[str, ...]) -> Iterator[Composed]:
    checked = _checked(root)
    for doc in compose_all(checked, Filters(profiles=(pid,), **filters)):
        if doc.language == PROFILES[pid] or (pid == "rw" and doc.language == ["en", "fr"]):
            yield doc


_SHIPPED: dict[str, list[Composed]] = {}


def _shipped(pid: str) -> list[Composed]:
    """Every document of a shipped profile in its checked language, composed once for the tests below."""
    return _SHIPPED.get(pid) or _SHIPPED.setdefault(pid, list(_composed(REPO, pid)))


def _english_in_composed(root: Path, pid: str, **filters: tuple[str, ...]) -> list[str]:
    fragments = english_fragments(load_project(root, Collector(root)))
    lang = PROFILES[pid]
    return [str(f) for doc in _composed(root, pid, **filters) for f in english_in(composed_texts(doc), lang, fragments)]


# ------------------------------------------------------------------------------------------ what is not a record


@pytest.mark.parametrize("pid", list(PROFILES))
def test_every_word_outside_the_translated_records_is_in_the_documents_language(pseudo_library: Path, pseudo_build: Path,
                                                                                 pid: str) -> None:  # fmt: skip
    """Word files of one category (every kind, both editions, both levels; rw's French ones): cover, headers,
    footers, headings, tables, definitions, citations, terms and criteria are all in the language."""
    docs = _documents(pseudo_build, pid)
    assert len(docs) == 20  # 5 kinds x 2 editions x 2 levels
    fragments = english_fragments(load_project(pseudo_library, Collector(pseudo_library)))
    found = [str(f) for doc in docs for f in english_in(docx_texts(doc), PROFILES[pid], fragments)]
    assert found == []


def test_the_bilingual_edition_has_a_french_column_without_english(pseudo_library: Path, pseudo_build: Path) -> None:
    found = _english_in_composed(pseudo_library, "rw", categories=("computers",), editions=("bilingual",))
    assert found == []
    assert (
        len(sorted((pseudo_build / "rw" / "computers").glob("*-bilingual.docx"))) == 8
    )  # tender, annex, policy, checklist


DEFINED = {
    "fr": {"Acheteur", "Soumissionnaire", "Titulaire", "Offre", "Responsable du marché", "Marché", "Cahier des charges",
           "Jour ouvré", "Jours ouvrés"},
    "de": {"Auftraggeber", "Bieter", "Auftragnehmer", "Angebot", "Vertrag", "Leistungsbeschreibung", "Arbeitstag"},
    "br": {"Contratante", "Licitante", "Contratado", "Proposta", "Gestor do Contrato", "Contrato", "Termo de Referência",
           "Dia Útil"},
    "es": {"Órgano de Contratación", "Licitador", "Contratista", "Oferta", "Responsable del Contrato", "Contrato",
           "Pliego de Prescripciones Técnicas", "Día Hábil"},
    "rw": {"Acheteur", "Soumissionnaire", "Titulaire", "Offre", "Marché", "Cahier des charges"},
}  # fmt: skip


@pytest.mark.parametrize("pid", list(PROFILES))
def test_the_definitions_are_the_terms_of_the_documents_language(pid: str) -> None:
    """The Definitions section of a French tender lists 'Titulaire' and 'Marché' with French definitions."""
    checked = _checked(REPO)
    sel = make_selection(checked.project, checked.resolved[pid], "computers", "core")
    composer = Composer(checked.project, sel, "tender", "issue", checked.pack, PROFILES[pid])
    entries = definitions.entries(checked.project.glossary, composer.terms, lambda source, _i: source, composer.lang)
    names = {e.name for e in entries}
    assert DEFINED[pid] <= names | {f for e in entries for f in e.forms}
    assert not names & {"Contract", "Specification", "Working Day", "Contractor", "Tenderer"}
    fragments = english_fragments(checked.project)
    assert [str(f) for f in english_in([(e.name, e.means) for e in entries], PROFILES[pid], fragments)] == []


def test_the_definitions_are_sorted_as_the_language_sorts() -> None:
    names = ["Offre", "Écran", "Ecran", "Acheteur", "Marché", "Zone", "niño", "nube", "ñandú", "oso"]
    assert sorted(names, key=definitions.collation_key) == [
        "Acheteur", "Ecran", "Écran", "Marché", "niño", "nube", "ñandú", "Offre", "oso", "Zone"]  # fmt: skip


# ------------------------------------------------------------------------------------------ the detector itself


def test_the_english_detector_finds_an_untranslated_clause_and_a_stray_english_sentence(tmp_path: Path) -> None:
    """Without this, the tests above could pass on anything: the same build, one record back in English."""
    root = _copy(tmp_path / "project")
    pseudo_translate(root, "fr")
    fragments = english_fragments(load_project(root, Collector(root)))
    # drop the French of one clause text: the document falls back to its English
    yaml = YAML()
    path = root / "clauses" / "specifications" / "ts.repair.design.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    del data["text"]["fr"]
    with path.open("w", encoding="utf-8") as f:
        yaml.dump(data, f)
    found = _english_in_composed(root, "fr", categories=("computers",), kinds=("tender",), editions=("issue",),
                                 levels=("core",))  # fmt: skip
    assert found and all("an English sentence of the library" in f or "English stop words" in f for f in found)
    assert list(english_in([("p", "The Contractor shall repair the device within the period, where possible.")],
                           "fr", fragments))  # fmt: skip
    assert not list(english_in([("p", "Le Titulaire répare l'appareil selon la norme EN 50625 (TCO Certified).")],
                               "fr", fragments))  # fmt: skip


# ------------------------------------------------------------------------------------------ the shipped library
# These pass once the clause translations are imported (tenderpack translations import <lang>.xlf).


@pytest.mark.parametrize("pid", ["fr", "de", "br", "es"])
def test_shipped_documents_have_no_english_sentence(pid: str) -> None:
    """Every category, level, kind and edition of the shipped profile, as composed (the Word files carry the
    same texts: the pseudo-translated build above reads them from the .docx)."""
    fragments = english_fragments(load_project(REPO, Collector(REPO)))
    found = [str(f) for doc in _shipped(pid) for f in english_in(composed_texts(doc), PROFILES[pid], fragments)]
    assert found == []


def test_no_shipped_profile_shows_the_english_fallback_box() -> None:
    project = load_project(REPO, Collector(REPO))
    titles = {t for t in project.strings["fallback.title"].text.values()}
    found = [
        f
        for pid in PROFILES
        for doc in _shipped(pid)
        if doc.spec.edition == "drafting"
        for f in fallback_boxes(doc, titles)
    ]
    assert found == []


def test_every_record_is_translated_in_the_four_languages() -> None:
    project = load_project(REPO, Collector(REPO))
    missing = [f"{rec.id} {lang}: {status(rec, lang)}" for rec in records(project) for lang in LANGUAGES
               if status(rec, lang) not in ("draft", "reviewed")]  # fmt: skip
    assert missing == []


# ------------------------------------------------------------------------------------------ stale translations


def test_changing_an_english_clause_makes_its_four_translations_stale_and_shows_the_english(tmp_path: Path) -> None:
    """The issue's done-when: one English clause changed and its version bumped; check --strict names the
    clause and the four languages, and the French drafting edition shows the marked English fallback."""
    root = _copy(tmp_path / "project")
    clause = "cpc.spare-parts"
    for lang in LANGUAGES:  # translations of the clause in every language (shipped ones are kept)
        pseudo_translate(root, lang, only={clause})
    path = root / "clauses" / "performance" / f"{clause}.yaml"
    yaml = YAML()
    data = yaml.load(path.read_text(encoding="utf-8"))
    version = int(data["version"])
    assert {lang: int(data["translations"][lang]["version"]) for lang in LANGUAGES} == dict.fromkeys(LANGUAGES, version)
    changed = "The {{ Contractor }} shall keep a stock of the listed spare parts in the country of delivery.\n"
    data["text"]["en"] = changed + "\n" + str(data["text"]["en"])
    data["version"] = version + 1
    with path.open("w", encoding="utf-8") as f:
        yaml.dump(data, f)

    result = CliRunner().invoke(main, ["check", "--project", str(root), "--strict"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"Error: \d+ problems? found\.", lines[-1])  # --strict refuses
    line = next(line for line in lines if f": {clause}: " in line and "stale" in line)
    assert line.startswith(f"Warning: clauses/performance/{clause}.yaml:")  # printed as it is, counted as an error
    assert (f"translations: {clause}: the de, es, fr, pt translations are stale (de v{version}, es v{version}, "
            f"fr v{version}, pt v{version}; the English is at v{version + 1})") in line  # fmt: skip

    docs = list(
        _composed(root, "fr", categories=("computers",), kinds=("annex",), editions=("drafting",), levels=("core",))
    )
    assert len(docs) == 1
    label = load_project(root, Collector(root)).strings["fallback.title"].text["fr"]
    boxes = [b for b in docs[0].blocks if isinstance(b, Note) and b.label == label]
    shown = ["\n".join(p.text for p in box.blocks) for box in boxes]
    assert any("The Titulaire shall keep a stock of the listed spare parts" in text for text in shown)
    assert any(f"version {version} " in text and f"version {version + 1} " in text for text in shown)  # both versions
