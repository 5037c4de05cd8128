"""Typed model of a profile (``profiles/<id>.yaml``), after its extends chain has been resolved.

**Profile texts.** What a profile prints (its name and jurisdiction, the text and note of each legal
citation, its terms, the names and descriptions of its award criteria, its thresholds and its notes) is a
*profile text*: a string, or a mapping language → string (``{en: Article 67 ..., fr: Article 67 ...}``;
a noun term maps each language to ``{singular, plural}``). A plain string is in the language of the
profile file that wrote it: the file's own ``language``, or that of the nearest profile it extends which
sets one (``profiles.resolve`` wraps it as ``{<that language>: string}`` before the files are merged, so
that an English citation inherited from ``eu`` is never taken for French). A profile file that sets a text
replaces the whole text of the profiles it extends, every language at once, so that the languages of one
text always come from one file. A document prints each text in its language (:meth:`Profile.printed`:
the language, or one with the same base, ``pt`` for ``pt-BR``), else in the profile's main language, else
in English; ``check`` warns where a profile builds a language that one of its texts lacks.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .ids import LANG_RE, LEVELS
from .model_base import Id, IdList, Model

T = TypeVar("T")
Loc = tuple[str | int, ...]

# --------------------------------------------------------------------------------------------------
# Profile texts: one text per language

TEXT_PATHS: tuple[tuple[str, ...], ...] = (
    ("name",), ("jurisdiction",), ("thresholds", "*"), ("legal", "*", "text"), ("legal", "*", "note"), ("notes", "*"),
    ("terms", "*"), ("award", "criteria", "*", "name"), ("award", "criteria", "*", "description"),
)  # fmt: skip
"""Where a profile's printed texts are (``*``: every key or item)."""


def is_language_map(value: Any) -> bool:
    """A mapping whose keys are all language codes (``{en: ..., fr: ...}``), as opposed to ``{singular, plural}``."""
    return isinstance(value, Mapping) and bool(value) and all(isinstance(k, str) and LANG_RE.match(k) for k in value)


def text_locs(data: Any) -> Iterator[tuple[Loc, Any]]:
    """(key path, value) of every profile text present in profile data (raw or resolved), in TEXT_PATHS order."""
    for pattern in TEXT_PATHS:
        yield from _match(data, pattern, ())


def _match(node: Any, pattern: tuple[str, ...], loc: Loc) -> Iterator[tuple[Loc, Any]]:
    if not pattern:
        yield loc, node
        return
    head, rest = pattern[0], pattern[1:]
    items: list[tuple[str | int, Any]]
    if head == "*":
        items = list(node.items()) if isinstance(node, Mapping) else list(enumerate(node)) if isinstance(node, list) else []
    else:
        items = [(head, node[head])] if isinstance(node, Mapping) and head in node else []
    for key, value in items:
        yield from _match(value, rest, (*loc, key))


def localize(data: Any, lang: str | None) -> tuple[Any, list[Loc], list[Loc]]:
    """Profile data with each plain text (and each noun term's ``{singular, plural}``) written as ``{lang: text}``.

    Returns the new data (``data`` itself is not changed), the key paths of every text (and of every citation
    written as one string, first expanded to ``{text: string}``) and those of the texts wrapped. Without
    ``lang`` nothing is wrapped.
    """
    if not isinstance(data, Mapping):
        return data, [], []
    out = copy.deepcopy(dict(data))
    texts: list[Loc] = []
    wrapped: list[Loc] = []
    if lang is not None and isinstance(out.get("legal"), Mapping):
        for key, value in out["legal"].items():
            if isinstance(value, str):  # a whole citation: it replaces the parent's, verified and note included
                out["legal"][key] = {"text": value}
                texts.append(("legal", key))
    for loc, value in list(text_locs(out)):
        texts.append(loc)
        plain = isinstance(value, str) or (loc[0] == "terms" and isinstance(value, Mapping) and not is_language_map(value))
        if lang is not None and plain:
            parent = out
            for part in loc[:-1]:
                parent = parent[part]
            parent[loc[-1]] = {lang: value}
            wrapped.append(loc)
    return out, texts, wrapped


def in_language(text: Mapping[str, T], lang: str) -> T | None:
    """The text written in ``lang``, in its base language (``pt`` for ``pt-BR``) or in a variant of it."""
    if lang in text:
        return text[lang]
    base = lang.split("-")[0]
    if base in text:
        return text[base]
    return next((v for k, v in text.items() if k.split("-")[0] == base), None)


def _check_local(value: dict[str, Any]) -> dict[str, Any]:
    for lang in value:
        if not LANG_RE.match(lang):
            raise ValueError(f"{lang!r} is not a language code (e.g. 'en', 'fr', 'pt-BR')")
    if not value:
        raise ValueError("give the text as a string, or as a mapping language → string")
    return value


def _text_shape(value: Any) -> Any:
    if not isinstance(value, Mapping):  # a plain string was wrapped already: anything else is not text
        raise PydanticCustomError("string_type", "Input should be text")
    return value


LocalText = Annotated[dict[str, str], BeforeValidator(_text_shape), AfterValidator(_check_local)]
LOCAL_DOC = " A profile text: a string in the file's language, or {en: ..., fr: ...}."

# --------------------------------------------------------------------------------------------------
# Profiles (profiles/<id>.yaml)


class Citation(Model):
    """A legal reference printed in documents."""

    text: LocalText = Field(description="The citation as printed, e.g. 'Article 43 of Directive 2014/24/EU'." + LOCAL_DOC)
    verified: bool = Field(True, description="False flags the citation in the drafting edition.")
    reference: str | None = Field(None, description="Registry key of the instrument cited.")
    note: LocalText | None = Field(
        None,
        description="Why the citation is not verified, or the source that verified it (drafting edition only)." + LOCAL_DOC,
    )


def _as_citation(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


CitationField = Annotated[Citation, BeforeValidator(_as_citation)]


class NounTerm(Model):
    """A noun term's wording in one profile."""

    singular: str = Field(description="Singular, as in running text, e.g. 'contracting authority'.")
    plural: str = Field(description="Plural, e.g. 'contracting authorities'.")


TermValue = NounTerm | str


class Authority(Model):
    """The contracting authority, shown on cover pages and in headers."""

    name: str | None = Field(None, description="Legal name (fill-in authority.name: unset, a Word field).")
    address: str | None = Field(None, description="Postal address.")
    contact: str | None = Field(None, description="Contact point (fill-in authority.contact: unset, a Word field).")
    website: str | None = Field(None, description="Web site.")


class Tender(Model):
    """The procedure's own details; each is a fill-in, so a buyer profile sets them (or Word fields remain)."""

    reference: str | None = Field(None, description="Tender reference (fill-in tender.reference).")
    deadline: str | None = Field(None, description="Submission deadline as printed (fill-in tender.deadline).")
    platform: str | None = Field(None, description="E-procurement platform for submissions (fill-in tender.platform).")


class ClauseChanges(Model):
    """Explicit additions and removals; they accumulate down the extends chain."""

    add: IdList = Field(default_factory=list, description="Clause ids added whatever their level.")
    remove: IdList = Field(default_factory=list, description="Clause ids removed.")


class Criterion(Model):
    """An award criterion with its weight."""

    name: LocalText = Field(description="Criterion name." + LOCAL_DOC)
    type: Literal["price", "cost", "quality"] = Field(
        "quality",
        description="price, cost (e.g. life-cycle cost) or quality: eForms BT-539 and the OCDS criterion type.",
    )
    weight: float = Field(ge=0, le=100, description="Weight in points; all criteria total 100.")
    description: LocalText | None = Field(None, description="What it rewards and how it is scored." + LOCAL_DOC)


class Award(Model):
    """Award criteria of the tender."""

    criteria: dict[str, Criterion] = Field(description="Criteria keyed by id; weights total 100.")


class Profile(Model):
    """A jurisdiction or buyer profile after its extends chain has been resolved."""

    id: Id = Field(description="Profile id; the file name without .yaml.")
    name: LocalText = Field(description="Display name." + LOCAL_DOC)
    extends: Id | None = Field(None, description="Parent profile id; values are inherited from it.")
    language: str = Field(description="Language code of the documents (English text is the fallback).")
    languages: list[str] = Field(
        default_factory=list,
        description=(
            "Every language the profile builds, when more than one (e.g. [en, fr]); must include 'language'. "
            "Empty: only 'language'."
        ),
    )
    currency: str = Field(description="ISO 4217 currency code.")
    jurisdiction: LocalText = Field(description="Jurisdiction name as printed." + LOCAL_DOC)
    last_verified: str = Field(description="Date the legal references were last checked, as written.")
    thresholds: dict[str, LocalText] = Field(
        default_factory=dict,
        description="Procurement thresholds in force, as printed (fill-ins thresholds.<id>); each a profile text.",
    )
    legal: dict[str, CitationField] = Field(
        default_factory=dict,
        description=(
            "Legal citations by purpose: framework, specifications, labels, award, lcc, selection, performance, "
            "ewaste_permit (permits or licences of e-waste operators and treatment rules), ewaste_epr "
            "(producer responsibility, take-back and its financing)."
        ),
    )
    authority: Authority = Field(default_factory=Authority, description="Contracting authority details.")
    tender: Tender = Field(default_factory=Tender, description="The procedure's reference, deadline and platform.")
    categories: IdList = Field(description="Product categories built for this profile.")
    levels: list[Literal["core", "comprehensive"]] = Field(
        default_factory=lambda: list(LEVELS),  # type: ignore[arg-type]
        description=(
            "Ambition levels built, each a separate set of documents (default: core and comprehensive); "
            "the comprehensive level takes the core clauses too."
        ),
    )
    level: None = Field(
        None, description="Removed: every profile builds each level of `levels`; write `levels: [core]` instead."
    )
    clauses: ClauseChanges = Field(default_factory=ClauseChanges, description="Explicit additions/removals.")
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="Overrides keyed 'clause-id.parameter' or 'shared.parameter', either optionally with '@category'.",
    )
    award: Award = Field(description="Award criteria and weights.")
    gpp: Literal["eu", "national", "other", "none"] | None = Field(
        None,
        description=(
            "Green public procurement criteria the documents follow: eu, national, other or none (eForms BT-805, "
            "'gpp-criteria' code list); not set: BT-805 is not written."
        ),
    )
    documents: list[Literal["tender", "annex", "questionnaire", "policy", "checklist"]] = Field(
        default_factory=lambda: ["tender", "annex", "questionnaire"],  # type: ignore[arg-type]
        description="Document kinds built.",
    )
    notes: list[LocalText] = Field(
        default_factory=list, description="Drafting notes shown in the drafting edition; each a profile text."
    )
    terms: dict[str, dict[str, TermValue]] = Field(
        default_factory=dict,
        description=(
            "The jurisdiction's words, keyed by the term keys of clauses/glossary.yaml: a noun as "
            "{singular: ..., plural: ...}, a phrase as a string; each a profile text (per language: "
            "{en: {singular: ..., plural: ...}, fr: {...}})."
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _plain_texts(cls, data: Any) -> Any:
        """Plain texts not wrapped by ``profiles.resolve`` (a profile built in code) are in its ``language``."""
        lang = data.get("language") if isinstance(data, Mapping) else None
        # without a language (an error of its own), the texts are of an undetermined one ('und', ISO 639)
        return localize(data, lang if isinstance(lang, str) and LANG_RE.match(lang) else "und")[0]

    @field_validator("language")
    @classmethod
    def _lang(cls, value: str) -> str:
        if not LANG_RE.match(value):
            raise ValueError(f"{value!r} is not a language code (e.g. 'en', 'fr', 'pt-BR')")
        return value

    @field_validator("level", mode="before")
    @classmethod
    def _old_level(cls, value: Any) -> None:
        if value is not None:
            shown = value if isinstance(value, str) else "..."
            raise ValueError(
                f"'level' was replaced by 'levels': every profile builds both ambition levels (core and "
                f"comprehensive) as separate documents; to build only one, write 'levels: [{shown}]'"
            )
        return None

    @field_validator("levels")
    @classmethod
    def _levels(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("name at least one level (core, comprehensive)")
        if len(set(value)) != len(value):
            raise ValueError("a level is named twice")
        return sorted(value, key=LEVELS.index)

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: list[str], info: ValidationInfo) -> list[str]:
        for lang in value:
            if not LANG_RE.match(lang):
                raise ValueError(f"{lang!r} is not a language code (e.g. 'en', 'fr', 'pt-BR')")
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        main = info.data.get("language")
        if value and main and main not in value:
            raise ValueError(f"{', '.join(value)}: the list must include the main language {main!r} (key 'language')")
        return value

    @property
    def all_languages(self) -> list[str]:
        """The languages built: ``languages``, or just ``language``."""
        return list(self.languages) or [self.language]

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code (e.g. 'EUR')")
        return value



    def printed(self, text: Mapping[str, T], lang: str | None = None) -> T:
        """A profile text as a document in ``lang`` prints it: in that language (or one of its base), else in
        the profile's main language, else in English, else as first written."""
        for choice in (lang or self.language, self.language, "en"):
            found = in_language(text, choice)
            if found is not None:
                return found
        return next(iter(text.values()))

    def terms_in(self, lang: str | None = None) -> dict[str, TermValue]:
        """The terms as a document in ``lang`` words them."""
        return {key: self.printed(value, lang) for key, value in self.terms.items()}
