"""Jurisdiction terms and defined terms: the names texts use, and how documents and checks find them.

Texts never hard-code the words for the parties or the award basis: they write ``{{ Buyer }}``,
``{{ tenderers }}`` or ``{{ award_basis }}``, and each profile's ``terms`` block supplies the wording
(``contracting authority``, ``procuring entity``, ``the Government``...). The vocabulary of term keys lives
in ``clauses/glossary.yaml``; for a noun key ``buyer`` with plural ``buyers`` a text may use four names:

- ``{{ buyer }}`` / ``{{ buyers }}``: the wording as the profile writes it (running text);
- ``{{ Buyer }}`` / ``{{ Buyers }}``: every word capitalised, the form of a defined term.

A phrase key (``award_basis``) gives ``{{ award_basis }}`` and ``{{ Award_basis }}`` (first letter
capitalised, for the start of a sentence).

A *defined term* is a capitalised word or phrase listed in the glossary (``Specification``, ``Refurbished
Lot``) or a party term in its capitalised form. A document uses a defined term where its body text contains
it, case and whole words matching; its Definitions section lists exactly those. ``check`` recognises an
undefined term as a capitalised phrase after "the" that is neither in the glossary nor a listed proper noun.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Glossary, NounTerm, TermDef, TermValue

_SMALL_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to"})
_SMALL_WORDS_BY_LANGUAGE = {
    "en": _SMALL_WORDS,
    "es": frozenset({"a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "los", "o", "para", "por", "u", "y"}),
    "pt": frozenset({"a", "as", "com", "da", "das", "de", "do", "dos", "e", "em", "na", "no", "o", "os", "ou", "para", "por"}),
}
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_WORD = r"[A-Z][a-z]+\b"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_CANDIDATE = re.compile(rf"\b[Tt]he{_GAP}({_WORD}(?:{_GAP}{_WORD})*)")


def capitalise(wording: str, lang: str = "en") -> str:
    """The defined-term form, as each language writes defined terms: in English, Spanish and Portuguese every
    word capitalised but small words inside ('Procuring Entity', 'Órgano de Contratación', 'Gestor do
    Contrato'); in French, German and other languages the first letter only ('Gestionnaire du marché')."""
    small = _SMALL_WORDS_BY_LANGUAGE.get(lang.split("-")[0])
    if small is None:
        return upper_first(wording)
    words = wording.split(" ")
    return " ".join(
        w if (i and w in small) or not w else w[0].upper() + w[1:] for i, w in enumerate(words)
    )


def upper_first(name: str) -> str:
    return name[:1].upper() + name[1:]


def names_of(key: str, term: TermDef) -> list[str]:
    """The names a text may use for one term key."""
    if term.form == "phrase":
        return [key, upper_first(key)]
    plural = term.plural or key + "s"
    return [key, plural, upper_first(key), upper_first(plural)]


def all_names(vocabulary: Mapping[str, TermDef]) -> set[str]:
    return {name for key, term in vocabulary.items() for name in names_of(key, term)}


def term_values(vocabulary: Mapping[str, TermDef], values: Mapping[str, TermValue], lang: str = "en") -> dict[str, str]:
    """Every name a text may use, with the profile's wording in ``lang`` (terms the profile lacks are left out)."""
    out: dict[str, str] = {}
    for key, term in vocabulary.items():
        value = values.get(key)
        if value is None:
            continue
        names = names_of(key, term)
        if term.form == "phrase":
            wording = value.singular if isinstance(value, NounTerm) else value
            out[names[0]], out[names[1]] = wording, upper_first(wording)
        else:
            one, many = (value.singular, value.plural) if isinstance(value, NounTerm) else (value, value)
            out[names[0]], out[names[1]] = one, many
            out[names[2]], out[names[3]] = capitalise(one, lang), capitalise(many, lang)
    return out


# ------------------------------------------------------------------------------------------ checks


@dataclass(frozen=True)
class Finding:
    """Something a text should not say: its line inside the text, the words, and what to write instead."""

    line: int
    found: str
    message: str


def _blank_jinja(source: str) -> str:
    """The text with template expressions blanked out (same length and lines)."""
    return _JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), source.replace("*", " "))


def _line_of(source: str, pos: int) -> int:
    return source.count("\n", 0, pos) + 1


def _word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)


def hard_coded(source: str, vocabulary: Mapping[str, TermDef]) -> list[Finding]:
    """Party words and award wordings written out where a term belongs."""
    text = _blank_jinja(source)
    findings: list[Finding] = []
    for key, term in vocabulary.items():
        pattern = _word_pattern(term.words)
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            found = " ".join(m.group(0).split())
            names = names_of(key, term)
            if term.form == "phrase":
                use = names[1] if found[0].isupper() else names[0]
            else:
                plural = found.lower().endswith("s")
                use = names[(2 if found[0].isupper() else 0) + (1 if plural else 0)]
            findings.append(Finding(
                _line_of(text, m.start()), found,
                f"hard-coded {found!r}: write {{{{ {use} }}}} (the profile's terms.{key})",
            ))  # fmt: skip
    return sorted(findings, key=lambda f: f.line)


def defined_names(glossary: Glossary) -> set[str]:
    """The fixed defined terms of the glossary and their plurals (party terms come from profiles)."""
    names: set[str] = set()
    for d in glossary.definitions:
        if d.term:
            names.add(d.term["en"])
        if d.plural and d.term:
            names.add(d.plural["en"])
    return names


def undefined_terms(source: str, glossary: Glossary) -> list[Finding]:
    """Capitalised phrases after 'the' that neither the glossary nor its proper nouns know."""
    text = _blank_jinja(source)
    known = defined_names(glossary) | set(glossary.proper_nouns)
    party = _word_pattern(w for t in glossary.terms.values() for w in t.words)
    findings = []
    for m in _CANDIDATE.finditer(text):
        phrase = " ".join(m.group(1).split())
        if phrase in known or (party is not None and party.fullmatch(phrase)):
            continue
        words = phrase.split(" ")
        # a proper noun may be followed by a capitalised word that belongs to it ('the Basel Convention')
        if any(" ".join(words[:n]) in glossary.proper_nouns for n in range(1, len(words))):
            continue
        findings.append(Finding(
            _line_of(text, m.start(1)), phrase,
            f"'the {phrase}' reads as a defined term, but the glossary does not define it: add it to "
            "clauses/glossary.yaml (definitions, or proper_nouns for a name), or write it in lower case",
        ))  # fmt: skip
    return findings


# ------------------------------------------------------------------------------------------ documents


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(term).replace(r"\ ", r"\s+") + r"(?![\w-])")


def used_terms(texts: Iterable[str], forms: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Which defined terms (by name; each with its forms) the texts use, whole words, case-sensitive."""
    joined = "\n".join(texts)
    return {name for name, variants in forms.items() if any(_term_pattern(v).search(joined) for v in variants)}
