"""The catalogue as data: every clause, profile, reference and coverage cell the pages show.

Read from the checked project (the same model the documents are built from); every listing is sorted or
in the library's own order, so that the pages come out the same for the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import translations
from ..commands import clauses_at, explain_rows, type_code
from ..selection import coerce, default_of, per_level, select
from ..terms import all_names
from ..text import language_name
from ..wording import tr, unit_text
from .markup import Values, limited, plain, to_html

if TYPE_CHECKING:
    from markupsafe import Markup

    from ..model import Clause, Library, Parameter, Question
    from ..pipeline import Checked
    from ..profiles import ResolvedProfile
    from ..project import Project


def text_of(value: Any, lang: str = "en") -> str:
    """A text that is either plain or a mapping per language (profile names and terms may become either)."""
    if isinstance(value, dict):
        return tr(value, lang)
    return "" if value is None else str(value)


abbrev = type_code  # planning-note → PN: the codes of ``list coverage``


# ------------------------------------------------------------------------------------------ model


@dataclass
class Term:
    id: str
    name: str


@dataclass
class ParameterRow:
    name: str
    type: str
    unit: str
    bounds: str
    default: str
    doc: str
    shared: str


@dataclass
class QuestionView:
    id: str
    text: Markup
    lang: str  # the language the text is in (English where not translated)
    answer: str
    required: bool
    evidence: str
    scoring: str


@dataclass
class KpiView:
    id: str
    name: Markup
    formula: Markup
    evidence: Markup
    frequency: str
    target: Markup
    lang: str


@dataclass
class LanguageView:
    """One language of a clause: its texts, and the status of the translation."""

    lang: str
    name: str
    status: str  # reviewed, draft, stale (for English: source)
    version: int  # the English version it renders
    title: str
    text: Markup | None
    verification: Markup | None
    guidance: Markup | None
    missing: list[str]
    questions: list[QuestionView]
    kpis: list[KpiView]


@dataclass
class Use:
    """Where a profile takes a clause: categories and levels, and the values it sets for it."""

    profile: str
    name: str
    where: list[str]  # "computers (core, comprehensive)"
    changes: list[tuple[str, str, str]]  # (key, value, file:line) of each value or clause change it makes


@dataclass
class ClauseView:
    id: str
    title: str
    version: int
    status: str
    type: str
    stage: str
    level: str
    categories: list[str]  # the ids (every category for [all])
    all_categories: bool
    variant_of: str | None
    parameters: list[ParameterRow]
    languages: list[LanguageView]
    references: list[str]
    unverified: list[Markup]
    impacts: list[str]
    uses: list[Use] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)  # profiles whose documents contain it
    documents: list[tuple[str, str, int]] = field(default_factory=list)  # (profile, category, documents)
    changes: list[tuple[str, str]] = field(default_factory=list)  # (what, detail), with --previous


@dataclass
class Citation:
    key: str
    text: str
    verified: bool
    reference: str | None
    note: str


@dataclass
class ProfileView:
    id: str
    name: str
    chain: list[str]
    language: str
    languages: list[str]
    jurisdiction: str
    last_verified: str
    categories: list[str]
    levels: list[str]
    rows: list[tuple[str, str, str]]  # explain: key, value, file:line
    legal: list[Citation]
    added: list[str]
    removed: list[str]
    notes: list[str]
    clauses: int


@dataclass
class ReferenceView:
    key: str
    kind: str
    identifier: str
    title: str
    date: str
    url: str | None
    verified: bool
    note: str
    clauses: list[str]
    profiles: list[str]


@dataclass
class Cell:
    counts: list[tuple[str, int]]  # (type code, approved clauses)
    total: int


@dataclass
class Catalogue:
    pack: dict[str, str]
    languages: list[Term]
    categories: list[Term]
    stages: list[Term]
    types: list[Term]
    levels: list[str]
    clauses: list[ClauseView]
    profiles: list[ProfileView]
    references: list[ReferenceView]
    coverage: list[tuple[Term, list[Cell]]]
    titles: dict[str, str]  # clause id → English title

    def clause(self, cid: str) -> ClauseView:
        return next(c for c in self.clauses if c.id == cid)

    def reference(self, key: str) -> ReferenceView:
        return next(r for r in self.references if r.key == key)


# ------------------------------------------------------------------------------------------ gathering


def gather(checked: Checked) -> Catalogue:
    """The catalogue of a checked project."""
    project = checked.project
    lib = project.library
    assert lib is not None
    selections = _selections(checked)
    records = {r.id: r for r in translations.records(project, approved_only=False) if r.kind == "clause"}
    langs = ["en", *translations.languages(project, checked.resolved)]
    terms = frozenset(all_names(project.glossary.terms))
    clauses = [_clause(project, lib, c, records[c.id], terms) for _, c in sorted(project.clauses.items())]
    profiles = [_profile(project, checked.resolved[pid], selections) for pid in sorted(checked.resolved)]
    _add_uses(clauses, checked, selections, profiles)
    return Catalogue(
        pack=dict(checked.pack),
        languages=[Term(lang, language_name(lang)) for lang in langs],
        categories=[Term(c.id, tr(c.name, "en")) for c in lib.categories],
        stages=[Term(s.id, tr(s.name, "en")) for s in lib.stages],
        types=[Term(t.id, tr(t.name, "en")) for t in lib.types],
        levels=["core", "comprehensive"],
        clauses=clauses,
        profiles=profiles,
        references=_references(project, checked),
        coverage=_coverage(project, lib),
        titles={c.id: c.title for c in clauses},
    )


def _selections(checked: Checked) -> dict[tuple[str, str, str], list[str]]:
    """(profile, category, level) → the ids of the clauses its documents contain."""
    project = checked.project
    assert project.library is not None
    out: dict[tuple[str, str, str], list[str]] = {}
    for pid, resolved in sorted(checked.resolved.items()):
        profile = resolved.profile
        for category in profile.categories:
            for level in profile.levels:
                out[(pid, category, level)] = [c.id for c in select(project.clauses, project.library, profile, category, level)]
    return out


def _default(param: Parameter, library: Library) -> str:
    unit = f" {unit_text(library, param.unit, 'en')}" if param.unit else ""
    if per_level(param.default):
        levels = [lv for lv in ("core", "comprehensive") if lv in param.default] or ["core"]
        return ", ".join(f"{plain(coerce(param, default_of(param, lv)))}{unit} ({lv})" for lv in levels)
    if param.default is None:
        return "—"
    return f"{plain(coerce(param, param.default))}{unit}"


def _bounds(param: Parameter) -> str:
    if param.options:
        return "one of: " + ", ".join(param.options)
    low = param.min if param.min is not None else (0 if param.type == "percent" else None)
    high = param.max if param.max is not None else (100 if param.type == "percent" else None)
    if low is None and high is None:
        return "—"
    return f"{'' if low is None else plain(low)}–{'' if high is None else plain(high)}"


def _parameters(clause: Clause, library: Library) -> list[ParameterRow]:
    rows = []
    for name, param in clause.parameters.items():
        unit = unit_text(library, param.unit, "en") if param.unit else "—"
        rows.append(ParameterRow(name, param.type, unit, _bounds(param), _default(param, library), param.doc,
                                 clause.uses.get(name, "")))  # fmt: skip
    return rows


def _values(clause: Clause, terms: frozenset[str]) -> Values:
    params = {}
    for name, param in clause.parameters.items():
        try:
            params[name] = coerce(param, default_of(param, "core"))
        except ValueError:
            params[name] = name
    return Values(params, terms)


def _pick(text: dict[str, str] | None, lang: str) -> tuple[str | None, str]:
    """The text in ``lang`` (and ``lang``), else the English (and ``en``); None when there is none."""
    if not text:
        return None, lang
    found = translations.in_language(text, lang)
    return (found, lang) if found is not None else (text.get("en"), "en")


def _question(q: Question, values: Values, lang: str, library: Library) -> QuestionView:
    source, shown = _pick(q.text, lang)
    ans = q.answer
    answer = ans.type + (f", {unit_text(library, ans.unit, 'en')}" if ans.unit else "")
    if ans.options:
        answer += ": " + " / ".join(ans.options)
    if ans.min is not None or ans.max is not None:
        answer += f" ({'' if ans.min is None else plain(ans.min)}–{'' if ans.max is None else plain(ans.max)})"
    evidence, _ = _pick(q.evidence, lang)
    scoring = ""
    if q.scoring is not None:
        scoring = q.scoring.rule + (f", criterion {q.scoring.criterion}" if q.scoring.criterion else "")
    return QuestionView(q.id, to_html(source or "", values, shown, inline=True), shown, answer, q.required,
                        evidence or "", scoring)  # fmt: skip


def _language(clause: Clause, record: translations.Record, lang: str, values: Values, library: Library) -> LanguageView:
    def html(name: str) -> Markup | None:
        source = translations.in_language(getattr(clause, name), lang)
        return to_html(source, values, lang) if source else None

    if lang == "en":
        status, version = "source", clause.version
    else:
        status = translations.status(record, lang)
        recorded = translations.entry(clause, lang)
        version = recorded.version if recorded is not None else 0
    kpis = []
    for k in clause.kpis:
        picked = {f: _pick(getattr(k, f), lang) for f in ("name", "formula", "evidence", "target")}
        cell = {f: to_html(text or "", values, shown, inline=True) for f, (text, shown) in picked.items()}
        kpis.append(KpiView(k.id, cell["name"], cell["formula"], cell["evidence"], k.frequency, cell["target"],
                            picked["name"][1]))  # fmt: skip
    return LanguageView(
        lang=lang,
        name=language_name(lang),
        status=status,
        version=version,
        title=translations.in_language(clause.title, lang) or clause.title["en"],
        text=html("text"),
        verification=html("verification"),
        guidance=html("guidance"),
        missing=[] if lang == "en" else translations.missing_fields(record, lang),
        questions=[_question(q, values, lang, library) for q in clause.questions],
        kpis=kpis,
    )


def _clause(project: Project, library: Library, clause: Clause, record: translations.Record,
            terms: frozenset[str]) -> ClauseView:  # fmt: skip
    values = _values(clause, terms)
    everything = "all" in clause.categories
    langs = ["en", *sorted(lang for lang in clause.translations if translations.base(lang) != "en")]
    return ClauseView(
        id=clause.id,
        title=tr(clause.title, "en"),
        version=clause.version,
        status=clause.status,
        type=clause.type,
        stage=clause.stage,
        level=clause.level,
        categories=[c.id for c in library.categories] if everything else list(clause.categories),
        all_categories=everything,
        variant_of=clause.variant_of,
        parameters=_parameters(clause, library),
        languages=[_language(clause, record, lang, values, library) for lang in langs],
        references=list(clause.references),
        unverified=[limited(fact["en"]) for fact in clause.unverified],
        impacts=list(clause.impacts),
    )


def _profile(project: Project, resolved: ResolvedProfile, selections: dict[tuple[str, str, str], list[str]]) -> ProfileView:
    p = resolved.profile
    legal = [Citation(key, text_of(c.text), c.verified, c.reference, text_of(c.note)) for key, c in sorted(p.legal.items())]
    used = {cid for (pid, _, _), ids in selections.items() if pid == p.id for cid in ids}
    return ProfileView(
        id=p.id,
        name=text_of(p.name),
        chain=list(resolved.chain),
        language=p.language,
        languages=p.all_languages,
        jurisdiction=text_of(p.jurisdiction),
        last_verified=p.last_verified,
        categories=list(p.categories),
        levels=list(p.levels),
        rows=explain_rows(project, resolved),
        legal=legal,
        added=list(p.clauses.add),
        removed=list(p.clauses.remove),
        notes=[text_of(n) for n in p.notes],
        clauses=len(used),
    )


def _add_uses(clauses: list[ClauseView], checked: Checked, selections: dict[tuple[str, str, str], list[str]],
              profiles: list[ProfileView]) -> None:  # fmt: skip
    """Each clause's profiles: where their documents contain it, and the values and changes they make to it."""
    project = checked.project
    rows = {p.id: p.rows for p in profiles}
    names = {p.id: p.name for p in profiles}
    for view in clauses:
        clause = project.clauses[view.id]
        shared = {f"shared.{name}" for name in clause.uses.values()}
        own = f"{view.id}."
        for pid in sorted(checked.resolved):
            where: dict[str, list[str]] = {}
            for (p, category, level), ids in selections.items():
                if p == pid and view.id in ids:
                    where.setdefault(category, []).append(level)
            changes = []
            for key, value, origin in rows[pid]:
                if not key.startswith("parameters.") or origin.endswith("(default)"):
                    changes += _clause_change(key, value, origin, view.id)
                    continue
                param = key.removeprefix("parameters.")
                owner = param.split("@")[0]
                if owner.startswith(own) or any(owner == s or owner.startswith(s + ".") for s in shared):
                    changes.append((key, value, origin))
            if where or changes:
                view.uses.append(Use(pid, names[pid], [f"{c} ({', '.join(lv)})" for c, lv in where.items()], changes))
            if where:
                view.profiles.append(pid)


def _clause_change(key: str, value: str, origin: str, cid: str) -> list[tuple[str, str, str]]:
    """A ``clauses.add`` / ``clauses.remove`` row of explain that names the clause."""
    if key.split(".")[0] != "clauses" or key.split(".")[1:2] not in (["add"], ["remove"]):
        return []
    listed = [v.strip() for v in value.strip("[]").split(",")]
    return [(key, value, origin)] if cid in listed else []


def _references(project: Project, checked: Checked) -> list[ReferenceView]:
    cited: dict[str, list[str]] = {}
    for cid, clause in sorted(project.clauses.items()):
        for key in clause.references:
            cited.setdefault(key, []).append(cid)
    by_profile: dict[str, list[str]] = {}
    for pid, resolved in sorted(checked.resolved.items()):
        for cit in resolved.profile.legal.values():
            if cit.reference and pid not in by_profile.setdefault(cit.reference, []):
                by_profile[cit.reference].append(pid)
    return [
        ReferenceView(key, ref.kind, ref.identifier, ref.title, ref.date,
                      ref.url if ref.url and ref.url.startswith(("https://", "http://")) else None,
                      ref.verified, ref.note or "",
                      cited.get(key, []), by_profile.get(key, []))  # fmt: skip
        for key, ref in sorted(project.references.items())
    ]


def _coverage(project: Project, library: Library) -> list[tuple[Term, list[Cell]]]:
    """The category × stage matrix of approved clauses, counted by type (``list coverage``)."""
    rows = []
    for cat in library.categories:
        cells = []
        for stage in library.stages:
            here = clauses_at(project, cat.id, stage.id)
            counts = [(abbrev(t.id), sum(1 for c in here if c.type == t.id)) for t in library.types]
            cells.append(Cell([(code, n) for code, n in counts if n], len(here)))
        rows.append((Term(cat.id, tr(cat.name, "en")), cells))
    return rows
