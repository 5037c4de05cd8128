"""The Definitions section: the defined terms a composed document uses, with their definitions.

A document uses a defined term where the text of its body (paragraphs, list items, table cells and
guidance notes; not headings, which are capitalised anyway) contains the term or its plural as whole words,
case matching. The section lists exactly those terms, and the terms that their own definitions use, sorted
alphabetically in the document's language (accents do not count, ``ñ`` follows ``n``), in its words: the
glossary's term and definition in that language (``Cahier des charges``), and a party term as the profile
names it there ("Contracting Authority", "Procuring Entity", "Titulaire", "Auftragnehmer").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .blocks import Block, ListItem, Note, Paragraph, Run, Table
from .model import Glossary
from .terms import names_of, used_terms
from .translations import Localizer


@dataclass(frozen=True)
class Entry:
    """One defined term as a document prints it."""

    name: str
    forms: tuple[str, ...]
    means: str  # the rendered definition (markup)


def entries(glossary: Glossary, terms: dict[str, str], render: Callable[[str, int], str], lang: str) -> list[Entry]:
    """The glossary in ``lang`` and the profile's wording; ``render(source, index)`` substitutes the terms.
    A term or definition not (or no longer) translated is printed in English (``check`` warns)."""
    out = []
    local = Localizer(lang)
    for i, d in enumerate(glossary.definitions):
        means = render(local.pick(d, d.means, "means")[0], i)
        if d.party:
            term = glossary.terms.get(d.party)
            if term is None or term.form != "noun":
                continue
            _one, _many, name, plural = names_of(d.party, term)
            if name not in terms:
                continue
            forms = tuple(dict.fromkeys((terms[name], terms[plural])))
            out.append(Entry(terms[name], forms, means))
        elif d.term:
            name = local.pick(d, d.term, "term")[0]
            plural = local.pick(d, d.plural, "plural")[0] if d.plural else ""
            out.append(Entry(name, tuple(f for f in (name, plural) if f), means))
    return out


def body_texts(blocks: Iterable[Block]) -> list[str]:
    """The text in which defined terms count as used."""
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | ListItem):
            texts.append(block.text)
        elif isinstance(block, Table):
            texts.extend(cell.text for row in block.rows for cell in row)
        elif isinstance(block, Note):
            texts.extend(b.text for b in block.blocks)
    return texts


def used(blocks: Iterable[Block], glossary: list[Entry]) -> list[Entry]:
    """The entries the blocks use, with those their definitions use in turn, sorted by name."""
    by_name = {e.name: e for e in glossary}
    forms = {e.name: e.forms for e in glossary}
    found = used_terms(body_texts(blocks), forms)
    while True:
        more = used_terms([by_name[n].means for n in found], forms) - found
        if not more:
            break
        found |= more
    return sorted((by_name[n] for n in found), key=lambda e: collation_key(e.name))


def collation_key(name: str) -> tuple[str, str]:
    """Alphabetical order as the library's languages sort: accents and case do not count ('Élément' between
    'Ecran' and 'Fin'), except that 'ñ' follows 'n' (Spanish); ties broken by the name itself."""
    folded = unicodedata.normalize("NFD", name.casefold().replace("ñ", "n\uffff"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch)), name


def definition_blocks(chosen: list[Entry], to_runs: Callable[[str], list[Run]],
                      means: str = " means ", none: str = "This document uses no defined term.") -> list[Block]:  # fmt: skip
    """The section's paragraphs, '<Term> means ...' for each term (the library's section text introduces them);
    ``means`` and ``none`` are the document language's words (clauses/strings.yaml definitions.*)."""
    if not chosen:
        return [Paragraph([Run(none, italic=True)])]
    blocks: list[Block] = []
    for e in chosen:
        runs = to_runs(e.means)
        if runs and not runs[-1].text.rstrip().endswith("."):
            last = runs[-1]
            runs[-1] = Run(last.text.rstrip() + ".", last.bold, last.italic)
        blocks.append(Paragraph([Run(e.name, bold=True), Run(means), *runs], style="BodyText"))
    return blocks
