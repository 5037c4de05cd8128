"""Typed models of the clause library, the profiles and the build plan.

Each schema is declared once here, with a one-line ``description`` per field; ``docs/reference.md`` is
generated from these declarations (``python tools/gen_docs.py``) so that it cannot drift.

YAML is loaded with every plain scalar as a string (no YAML 1.1 guessing), so the models use pydantic's
lax mode to turn ``"5"`` into 5 and ``"yes"`` into True only where a field really is a number or a flag.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, field_validator, model_validator

from .ids import EDITIONS, ID_RE, KINDS, LANG_RE, LEVELS, RESERVED_NAMES, check_id
from .model_base import (  # the base of every model
    NAME_RE,
    TRANSLATIONS_DOC,
    VERSION_DOC,
    Id,
    IdList,
    Model,
    SharedUses,
    Text,
    Translatable,
    Translations,
    TranslationStatus,
    _as_list,
    _as_text_map,
    _as_uses,
    _check_languages,
    _check_text_map,
)
from .profile_model import (  # profiles/<id>.yaml
    Authority,
    Award,
    Citation,
    CitationField,
    ClauseChanges,
    Criterion,
    LocalText,
    NounTerm,
    Profile,
    Tender,
    TermValue,
    _as_citation,
)
from .strings_model import String, StringsFile  # clauses/strings.yaml

__all__ = [
    "EDITIONS",
    "ID_RE",
    "KINDS",
    "LANG_RE",
    "LEVELS",
    "NAME_RE",
    "RESERVED_NAMES",
    "TRANSLATIONS_DOC",
    "VERSION_DOC",
    "Authority",
    "Award",
    "Citation",
    "CitationField",
    "ClauseChanges",
    "Criterion",
    "Id",
    "IdList",
    "LocalText",
    "Model",
    "NounTerm",
    "Profile",
    "SharedUses",
    "String",
    "StringsFile",  # names declared in ids.py (light), model_base.py and profile_model.py, importable from here
    "Tender",
    "TermValue",
    "Text",
    "Translatable",
    "TranslationStatus",
    "Translations",
    "_as_citation",
    "_as_list",
    "_as_text_map",
    "_as_uses",
    "_check_languages",
    "_check_text_map",
    "check_id",
]  # fmt: skip

# --------------------------------------------------------------------------------------------------
# Library vocabularies (clauses/library.yaml)


class Term(Model):
    """An entry of a controlled vocabulary (a lifecycle stage, a clause type)."""

    id: Id = Field(description="Stable identifier used in clause files.")
    name: Text = Field(description="Display name per language.")
    description: Text | None = Field(None, description="One sentence explaining the term.")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)

    _t = field_validator("name", "description")(lambda v: v if v is None else _check_text_map(v))


class ClauseType(Term):
    """A clause type, e.g. selection criterion; says which document kinds carry it."""

    documents: list[Literal["tender", "annex", "questionnaire", "policy", "checklist"]] = Field(
        default_factory=list, description="Document kinds in which clauses of this type appear."
    )
    section: Text | None = Field(None, description="Heading of the section that groups these clauses.")


class Stage(Term):
    """A lifecycle stage of the ITU guide (planning ... end-of-life, review)."""

    section: Text | None = Field(None, description="Heading of the section that groups these clauses.")


class Category(Term):
    """A product category a public buyer purchases."""

    cpv: list[str] = Field(
        default_factory=list,
        description="Common Procurement Vocabulary codes (e.g. '30213100-6') that fall under it.",
    )
    stages: list[Id] = Field(
        default_factory=list,
        description="Lifecycle stages that apply to this category (empty: all stages).",
    )

    @field_validator("cpv")
    @classmethod
    def _cpv(cls, value: list[str]) -> list[str]:
        for code in value:
            if not re.fullmatch(r"\d{8}(-\d)?", code):
                raise ValueError(f"{code!r} is not a CPV code (8 digits and a check digit, '30213100-6')")
        return value


class Reference(Model):
    """An entry of the reference registry: a law, recommendation, standard, label or guidance document."""

    kind: Literal["law", "regulation", "recommendation", "standard", "label", "guidance", "policy"] = Field(
        description="What sort of source this is."
    )
    identifier: str = Field(description="Official identifier, e.g. 'ITU-T L.1061' or 'Directive 2014/24/EU'.")
    title: str = Field(description="Full official title.")
    date: str = Field(description="Date of adoption or publication as written (e.g. '2024-01' or '2014-02-26').")
    url: str | None = Field(None, description="Where to find it (official source).")
    verified: bool = Field(description="True when the facts above were checked against the official source.")
    note: str | None = Field(None, description="What remains to check, or why the source matters.")


class Section(Model):
    """A fixed section of a document kind: text kept in the library, or a table generated from data."""

    title: Text = Field(description="Section heading per language.")
    text: Text | None = Field(None, description="Section text (markup; may use profile values).")
    generated: (
        Literal[
            "award-table",
            "selection-summary",
            "annex-list",
            "kpi-table",
            "reporting-schedule",
            "parameters",
            "provenance",
            "supplier-identity",
            "checklist",
            "policy-targets",
            "definitions",
        ]
        | None
    ) = Field(None, description="Name of a table built from data instead of (or after) the text.")
    editions: list[Literal["drafting", "issue"]] = Field(
        default_factory=lambda: ["drafting", "issue"],  # type: ignore[arg-type]
        description="Editions that show this section.",
    )
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)


class DocumentKind(Model):
    """One kind of document the pack produces and how its body is laid out."""

    title: Text = Field(description="Document title on the cover page.")
    description: Text | None = Field(None, description="Subtitle on the cover page.")
    group_by: Literal["type", "stage"] = Field(
        "type", description="Whether clause sections follow clause types or lifecycle stages."
    )
    before: list[Section] = Field(default_factory=list, description="Sections before the clauses.")
    after: list[Section] = Field(default_factory=list, description="Sections after the clauses.")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)


class Release(Model):
    """The library's release: printed on every document and used as the build date."""

    version: str = Field(description="Pack version, e.g. '2026.11'.")
    date: str = Field(description="Release date (YYYY-MM-DD); documents carry it instead of the clock.")

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        import datetime as dt

        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date written YYYY-MM-DD") from None
        return value


class Unit(Model):
    """An entry of the unit vocabulary: how a unit is printed, and what it means."""

    name: Text = Field(description="Display text per language, printed after a value (English required).")
    doc: str = Field(description="One sentence: what the unit means (e.g. which days a working day excludes).")
    symbol: bool = Field(
        False, description="Printed the same in every language (a symbol: g, cm, %, ppm, °C); it needs no translation."
    )
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)

    _t = field_validator("name")(_check_text_map)


FILL_IN_GROUPS = {"authority": ("name", "contact"), "tender": ("reference", "deadline", "platform"), "thresholds": ()}


def _check_fill_in_id(value: str) -> str:
    value = check_id(value)
    group, _, key = value.partition(".")
    keys = FILL_IN_GROUPS.get(group)
    if keys is None or not key or (keys and key not in keys):
        known = ", ".join([f"{g}.{k}" for g, ks in FILL_IN_GROUPS.items() for k in ks] + ["thresholds.<id>"])
        raise ValueError(f"{value!r} is not a fill-in a profile can set (one of {known})")
    return value


class FillIn(Model):
    """A value only the buyer knows; its id is the profile key that sets it (``authority.name``)."""

    id: Annotated[str, BeforeValidator(_check_fill_in_id)] = Field(
        description="authority.name, authority.contact, tender.reference, tender.deadline, tender.platform "
        "or thresholds.<id>; the profile key path that sets the value."
    )
    label: Text = Field(description="What the value is, e.g. 'Name of the contracting authority'.")
    placeholder: Text = Field(description="Grey text shown in the empty Word field, e.g. 'Enter the authority's name.'")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)

    _t = field_validator("label", "placeholder")(_check_text_map)


class Library(Model):
    """Vocabularies and fixed document text: clauses/library.yaml."""

    release: Release = Field(description="Version and date of this release of the library.")
    slots: list[str] = Field(
        default_factory=list, description="Planned clause slots; each must be covered by an approved clause."
    )

    stages: list[Stage] = Field(description="Lifecycle stages, in document order.")
    types: list[ClauseType] = Field(description="Clause types, in document order.")
    categories: list[Category] = Field(description="Product categories, in display order.")
    documents: dict[str, DocumentKind] = Field(description="Document kinds and their fixed sections.")
    references: dict[str, Reference] = Field(
        default_factory=dict, description="Registry entries (more live in clauses/references/*.yaml)."
    )
    units: dict[str, Unit] = Field(
        default_factory=dict,
        description="Unit vocabulary, keyed by the unit as clauses write it ('working days'); no other unit passes check.",
    )
    parameters: dict[str, Parameter] = Field(
        default_factory=dict,
        description="Shared parameters: declared once, taken by clauses through 'uses', set by profiles as 'shared.<name>'.",
    )
    fill_ins: list[FillIn] = Field(
        default_factory=list,
        description="Values only the buyer knows; unset ones become Word fields bound to one custom XML part.",
    )


# --------------------------------------------------------------------------------------------------
# Terms and glossary (clauses/glossary.yaml)


class TermDef(Model):
    """A jurisdiction term: a word that each profile's ``terms`` sets and texts use as ``{{ Buyer }}``."""

    doc: str = Field(description="One sentence: what the term names and where documents use it.")
    form: Literal["noun", "phrase"] = Field(
        "noun",
        description=(
            "noun: a profile gives singular and plural (texts write {{ buyer }}, {{ buyers }}, {{ Buyer }}, "
            "{{ Buyers }}); phrase: one wording (texts write {{ award_basis }}, or {{ Award_basis }} for a "
            "capital first letter)."
        ),
    )
    plural: str | None = Field(None, description="noun: the name texts use for the plural, e.g. 'buyers'.")
    words: list[str] = Field(
        default_factory=list,
        description=(
            "Hard-coded wordings that clause texts must not use instead of the term (matched as whole words, "
            "ignoring case); check names the term to write instead."
        ),
    )


class Definition(Model):
    """A defined term of the glossary and its definition, listed in a document's Definitions section."""

    term: Text | None = Field(
        None, description="The defined term as written, capitalised, e.g. 'Specification'; per language ({en: ..., fr: ...})."
    )
    party: str | None = Field(
        None, description="Instead of term: a noun term key (e.g. 'buyer'); the profile's wording is the term."
    )
    plural: Text | None = Field(None, description="Plural form that also counts as a use, e.g. 'Products'; per language.")
    means: Text = Field(description="The definition, completing '<term> means ...' (markup; may use terms).")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)

    _t = field_validator("means")(_check_text_map)
    _o = field_validator("term", "plural")(lambda v: v if v is None else _check_text_map(v))


class Glossary(Model):
    """clauses/glossary.yaml: the jurisdiction terms vocabulary and the glossary of defined terms."""

    terms: dict[str, TermDef] = Field(
        default_factory=dict, description="Term keys every profile sets under ``terms`` (the itu profile sets all)."
    )
    definitions: list[Definition] = Field(default_factory=list, description="Defined terms, any order.")
    proper_nouns: list[str] = Field(
        default_factory=list,
        description=(
            "Capitalised names that may follow 'the' in a text without being defined terms (e.g. 'European "
            "Union', 'Basel Convention')."
        ),
    )


# --------------------------------------------------------------------------------------------------
# Clauses (clauses/<theme>/<id>.yaml)

ParamType = Literal["integer", "number", "percent", "boolean", "text", "choice"]
Scalar = int | float | bool | str


class Parameter(Model):
    """A typed value that a clause's text uses and a profile may override."""

    type: ParamType = Field(description="integer, number, percent (0-100), boolean, text or choice.")
    doc: str = Field(description="One sentence: what the value means.")
    unit: str | None = Field(None, description="Unit shown after the value; a key of library.yaml units, e.g. 'years'.")
    min: float | None = Field(None, description="Smallest allowed value (numbers).")
    max: float | None = Field(None, description="Largest allowed value (numbers).")
    options: list[str] = Field(default_factory=list, description="Allowed values (choice).")
    labels: dict[str, Text] = Field(
        default_factory=dict,
        description=(
            "Choice only: how an option is printed, per language ({monthly: {en: monthly, fr: mensuelle}}); "
            "an option without a label prints as written. Labels are part of the clause's translations."
        ),
    )
    default: Any = Field(
        description="Default value, or a mapping {core: ..., comprehensive: ...} when the ambition differs."
    )
    distinct: str | None = Field(
        None,
        description=(
            "Why this value is not the shared parameter or another clause's parameter of the same name and "
            "unit; required where the name repeats (see docs/authoring.md)."
        ),
    )

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: dict[str, dict[str, str]], info: Any) -> dict[str, dict[str, str]]:
        options = info.data.get("options") or []
        for option, text in value.items():
            if option not in options:
                raise ValueError(f"{option!r} is not one of the options: {', '.join(options) or 'none'}")
            _check_text_map(text)
        return value


AnswerType = Literal["text", "integer", "number", "percent", "date", "choice", "yes-no"]


def _english_option(value: Any) -> Any:
    """An answer option is its English text (its id), or a text per language whose English is its id."""
    if isinstance(value, dict):
        return _check_text_map({str(k): v for k, v in value.items()})["en"]
    return value


class Answer(Model):
    """The shape of a supplier's answer to one question."""

    type: AnswerType = Field(description="text, integer, number, percent, date, choice or yes-no.")
    unit: str | None = Field(None, description="Unit of a numeric answer.")
    options: list[Annotated[str, BeforeValidator(_english_option)]] = Field(
        default_factory=list,
        description=(
            "Allowed answers (choice); one may start with a category limit. Each is its English text, which "
            "is its id (scoring rules and read answers name it), or a text per language "
            "({en: Both, fr: Les deux}) whose other languages label it in the documents of that language."
        ),
        json_schema_extra={"items": {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}]}},
    )
    _option_texts: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_option_texts(cls, data: Any, handler: Any) -> Any:
        model = handler(data)
        raw = data.get("options") if isinstance(data, dict) else None
        if isinstance(raw, list):
            model._option_texts = {str(o["en"]): {str(k): str(v) for k, v in o.items()} for o in raw
                                   if isinstance(o, dict) and "en" in o}  # fmt: skip
        return model

    def option_text(self, option: str) -> dict[str, str]:
        """An option's text per language (``{'en': option}`` where it is not translated)."""
        return self._option_texts.get(option) or {"en": option}
    min: float | None = Field(None, description="Smallest acceptable numeric answer.")
    max: float | None = Field(None, description="Largest acceptable numeric answer.")


class Band(Model):
    """A band of a banded scoring rule: answers at or above ``min`` earn ``score``."""

    min: float = Field(description="Lower bound of the band (inclusive).")
    score: float = Field(ge=0, le=1, description="Share of the question's points (0 to 1).")


class Scoring(Model):
    """How an answer turns into points (shares of the award criterion it feeds)."""

    rule: Literal["linear", "lowest-best", "bands", "options", "yes-no", "pass-fail"] = Field(
        description=(
            "linear: between min (0) and max (full); lowest-best: lowest answer gets full points, others "
            "pro rata; bands: the highest band reached; options: points per option; yes-no: full for yes; "
            "pass-fail: no points, a failed answer makes the tender non-compliant."
        )
    )
    criterion: Id | None = Field(None, description="Award criterion (profile award.criteria) fed by it.")
    weight: float = Field(1.0, gt=0, description="Relative weight among the questions of that criterion.")
    min: float | str | None = Field(None, description="linear: answer that earns nothing (may use a parameter).")
    max: float | str | None = Field(None, description="linear: answer that earns full points.")
    bands: list[Band] = Field(default_factory=list, description="bands: the scale, any order.")
    points: dict[str, float] = Field(default_factory=dict, description="options: share (0-1) per option.")
    zero: str | None = Field(
        None,
        description=(
            "options, instead of points: the option that earns nothing (may use a parameter, e.g. "
            "'{{ lowest_class }}'); the options listed before it earn equal steps up to full points for the "
            "first, the options after it nothing. Scores what is better than the minimum, whatever it is set to."
        ),
    )
    threshold: float | str | None = Field(None, description="pass-fail: smallest passing numeric answer.")


class Question(Model):
    """One item of the supplier questionnaire."""

    id: Id = Field(description="Unique across the library; becomes the content-control tag.")
    text: Text = Field(
        description="The question put to the supplier; a leading [only: …] / [not: …] limits the whole question."
    )
    answer: Answer = Field(description="Expected answer type and constraints.")
    required: bool = Field(True, description="Whether a tender without this answer is incomplete.")
    evidence: Text | None = Field(None, description="Evidence the supplier must reference.")
    scoring: Scoring | None = Field(None, description="Scoring rule; none means information only.")


class Kpi(Model):
    """A key performance indicator that contract management tracks."""

    id: Id = Field(description="Unique across the library.")
    name: Text = Field(description="Short name; a leading [only: …] / [not: …] limits the whole KPI.")
    formula: Text = Field(description="How it is computed.")
    evidence: Text = Field(description="Records the Contractor provides.")
    frequency: Literal["monthly", "quarterly", "semi-annual", "annual", "per-event"] = Field(
        description="Reporting frequency."
    )
    target: Text = Field(description="Target value (may use the clause's parameters), per language.")


class Clause(Model):
    """One clause of the library (clauses/<theme>/<id>.yaml)."""

    id: Id = Field(description="Stable id; the file name without .yaml.")
    title: Text = Field(description="Clause heading.")
    version: int = Field(ge=1, description="Bumped on every change of wording.")
    status: Literal["draft", "approved", "retired"] = Field(description="Only approved clauses are built.")
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)
    type: Id = Field(description="Clause type (library.yaml types).")
    stage: Id = Field(description="Lifecycle stage (library.yaml stages).")
    level: Literal["core", "comprehensive"] = Field(description="Ambition level that includes it.")
    categories: IdList = Field(description="Product categories it applies to, or [all].")
    slots: list[str] = Field(default_factory=list, description="Content-brief slots this clause covers.")
    impacts: list[str] = Field(
        default_factory=list,
        description=(
            "Environmental impacts the clause addresses: codes of the eForms 'environmental-impact' code list "
            "(circ-econ, clim-mitig, pollu-prev, ...); they fill BT-774 of the contract notice (docs/notices.md)."
        ),
    )
    variant_of: Id | None = Field(
        None,
        description=(
            "The clause this one replaces in jurisdictions that choose it (e.g. labels as optional proof): "
            "never taken by level, only by a profile's clauses.add, which also removes the original."
        ),
    )
    parameters: dict[str, Parameter] = Field(default_factory=dict, description="Typed parameters.")
    uses: SharedUses = Field(
        default_factory=dict,
        description=(
            "Shared parameters (library.yaml parameters) the clause takes: a list of their names, or a mapping "
            "from the name used in this clause's text to the shared name."
        ),
    )
    text: Text = Field(
        description="Clause wording (markup + {{ parameter }}; [only: …] / [not: …] limit a sentence or list item)."
    )
    verification: Text = Field(description="How a bidder proves compliance and how the buyer checks it.")
    guidance: Text = Field(description="Drafting note for the buyer (drafting edition only).")
    references: list[str] = Field(default_factory=list, description="Registry keys of its sources.")
    unverified: list[Text] = Field(
        default_factory=list,
        description="Facts the clause relies on that are not yet verified (drafting edition); each a text per language.",
    )
    questions: list[Question] = Field(default_factory=list, description="Questionnaire items.")
    kpis: list[Kpi] = Field(default_factory=list, description="Contract-management KPIs.")

    _t = field_validator("title", "text", "verification", "guidance")(_check_text_map)
    _u = field_validator("unverified")(lambda facts: [_check_text_map(f) for f in facts])


# --------------------------------------------------------------------------------------------------
# Policy and checklist content (clauses/policy.yaml)


class Target(Model):
    """A goal of the model policy with its indicator and target."""

    id: Id = Field(description="Stable id.")
    goal: Text = Field(description="The goal.")
    indicator: Text = Field(description="How progress is measured.")
    target: Text = Field(description="The target value and date.")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)


class ChecklistItem(Model):
    """A step of the buyer's checklist."""

    id: Id = Field(description="Stable id.")
    stage: Id = Field(description="Lifecycle stage (library.yaml stages).")
    step: Text = Field(description="The decision or action.")
    evidence: Text = Field(description="The evidence to collect.")
    clauses: list[Id] = Field(default_factory=list, description="Clauses that implement the step.")
    version: int = Field(1, ge=1, description=VERSION_DOC)
    translations: Translations = Field(default_factory=dict, description=TRANSLATIONS_DOC)


class PolicyFile(Model):
    """clauses/policy.yaml: the model policy's sections, its targets and the buyer's checklist."""

    policy: list[Section] = Field(default_factory=list, description="Sections of the model policy.")
    targets: list[Target] = Field(default_factory=list, description="Goals, indicators and targets.")
    checklist: list[ChecklistItem] = Field(default_factory=list, description="Checklist steps in order.")


Library.model_rebuild()  # its shared parameters are declared with the clauses' Parameter, further down
