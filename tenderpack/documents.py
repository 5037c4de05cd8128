"""Compose each document's blocks from the library, a resolved profile and a category.

This is the "render" stage up to (not including) OOXML: it substitutes parameters in every text,
numbers sections and clauses, builds the generated tables (award criteria, KPIs, questionnaire) and the
document's identity. ``word`` turns the result into a .docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import __version__, definitions, fillins, identity, limits
from .blocks import Block, Cell, Control, Heading, ListItem, Note, Paragraph, Run, Table, Toc
from .model import Clause, Kpi, Library, Question, Section
from .plan import DocSpec
from .profiles import ResolvedProfile
from .project import Project
from .selection import Value, parameter_values, select
from .terms import term_values
from .text import TextError, format_value, render, render_value, to_blocks
from .word.ooxml import CONTROL_PLACEHOLDERS, TEXT_WIDTH

EDITION_NAMES = {"drafting": "Drafting edition", "issue": "Issue edition"}
LEVEL_NAMES = {"core": "Core level", "comprehensive": "Comprehensive level"}
GLOBAL_NAMES = frozenset({"authority", "profile", "legal", "category", "currency", "fill"})
UNVERIFIED_MARK = " [not verified]"
_JINJA = re.compile(r"\{[{%](.*?)[%}]\}", re.DOTALL)
# The questionnaire's tables; ``tenderpack.responses`` finds answers by these when a word processor
# dropped the controls' tags (see engineering notes §3.5).
QUESTION_COLUMNS = ("Ref", "Question", "Answer", "Evidence")
SUPPLIER_COLUMNS = ("Item", "Answer")
SUPPLIER_FIELDS = (  # (control tag, label, control kind)
    ("supplier.name", "Organisation name", "text"),
    ("supplier.contact", "Contact person", "text"),
    ("supplier.email", "E-mail address", "text"),
    ("supplier.date", "Date of the answers", "date"),
)
FREQUENCY_NAMES = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "semi-annual": "Every six months",
    "annual": "Yearly",
    "per-event": "After each event",
}


class ComposeError(Exception):
    """A text failed to render; carries the clause (or section) and the field."""

    def __init__(self, where: tuple[str, str, str], message: str, line: int | None):
        super().__init__(message)
        self.where = where  # (kind of source: clause | library | policy, id or index, field)
        self.message = message
        self.line = line


@dataclass
class Composed:
    """Everything the Word layer needs for one document."""

    spec: DocSpec
    context: dict[str, Any]
    toc: Toc
    blocks: list[Block]
    clauses: list[tuple[str, int]]
    chain: list[str]
    questions: list[dict[str, Any]] = field(default_factory=list)
    questions_hash: str = ""
    identity: dict[str, Any] | None = None  # questionnaires: what reading and scoring need (``identity``)
    identity_sha256: str = ""
    fill_ins: list[fillins.FillInValue] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.context["doc"]["title"])


def unit_text(library: Library, unit: str, lang: str) -> str:
    """A unit as printed in ``lang``: its display text from the library's unit vocabulary."""
    entry = library.units.get(unit)
    return tr(entry.name, lang) if entry is not None else unit


def tr(text: dict[str, str] | None, lang: str) -> str:
    """Text in the profile's language, falling back to English (then to the base language)."""
    if not text:
        return ""
    return text.get(lang) or text.get(lang.split("-")[0]) or text["en"]


@dataclass
class Selection:
    """The clauses of one profile × category × level with their parameter values (shared by all kinds)."""

    resolved: ResolvedProfile
    category: str
    clauses: list[Clause]
    values: dict[str, dict[str, Value]]
    level: str


def make_selection(project: Project, resolved: ResolvedProfile, category: str, level: str) -> Selection:
    assert project.library is not None
    profile = resolved.profile
    chosen = select(project.clauses, project.library, profile, category, level)
    origins = {
        key: str(resolved.layer.origin(("parameters", key)) or "profile") for key in profile.parameters
    }
    values = {c.id: parameter_values(c, profile, category, origins, level=level) for c in chosen}
    return Selection(resolved, category, chosen, values, level)


class Composer:
    """Builds the blocks of one document."""

    def __init__(self, project: Project, sel: Selection, kind: str, edition: str, pack: dict[str, str]):
        assert project.library is not None
        self.project = project
        self.library: Library = project.library
        self.sel = sel
        self.profile = sel.resolved.profile
        self.kind = kind
        self.edition = edition
        self.drafting = edition == "drafting"
        self.lang = self.profile.language
        self.spec = DocSpec(self.profile.id, sel.category, kind, edition, sel.level)
        self.pack = pack
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.section_no = 0
        self.clause_no = 0
        self.numbers: dict[str, str] = {}
        self.in_doc: list[Clause] = []
        self.question_texts: dict[str, str] = {}  # question id → its text as printed (questionnaires)
        self.fill_ins = fillins.values(self.library, self.profile)
        self.terms = term_values(project.glossary.terms, self.profile.terms)
        self.globals = self._globals()
        self.definitions_at: int | None = None

    # ---------------------------------------------------------------- context
    def _globals(self) -> dict[str, Any]:
        p = self.profile
        category = next(c for c in self.library.categories if c.id == self.sel.category)
        legal = {}
        for key, cit in p.legal.items():
            legal[key] = cit.text + (UNVERIFIED_MARK if self.drafting and not cit.verified else "")
        fill = fillins.context(self.fill_ins)
        authority = {k: (v or "") for k, v in p.authority.model_dump(exclude_none=False).items() if isinstance(v, str | type(None))}
        authority.update({k: fill[f"authority.{k}"] for k in authority if f"authority.{k}" in fill})
        return {
            "authority": authority,
            "fill": fill,
            "profile": {
                "id": p.id,
                "name": p.name,
                "jurisdiction": p.jurisdiction,
                "language": p.language,
                "currency": p.currency,
                "platform": fill.get("tender.platform", p.tender.platform or ""),
                "last_verified": p.last_verified,
            },
            "legal": legal,
            "category": {"id": category.id, "name": tr(category.name, self.lang), "cpv": ", ".join(category.cpv)},
            "currency": p.currency,
            **self.terms,
        }

    def title_of(self, kind: str) -> str:
        """A document kind's title: the profile's term for it, else the library's title."""
        return self.terms.get(f"{kind}_title") or tr(self.library.documents[kind].title, self.lang)

    def clause_context(self, clause: Clause) -> dict[str, Any]:
        ctx = dict(self.globals)
        ctx.update({name: v.value for name, v in self.sel.values[clause.id].items()})
        return ctx

    def text(self, source: str, ctx: dict[str, Any], where: tuple[str, str, str], markup: bool = True) -> str:
        """A text with its values substituted; a plain text also has its category limits resolved."""
        try:
            out = render(source, ctx, markup=markup)
        except Exception as exc:  # TextError carries the line
            raise ComposeError(where, getattr(exc, "message", str(exc)), getattr(exc, "line", None)) from None
        return out if markup else limits.limit_plain(out, self.sel.category)

    def plain(self, source: str) -> str:
        """A plain text that is not a template (a KPI's name), with its category limits resolved."""
        return limits.limit_plain(limits.protect(limits.without_leading(source)), self.sel.category)

    def shown_questions(self, clause: Clause) -> list[tuple[int, Question]]:
        """(index, question) of the questions whose leading limit admits this category."""
        return [(i, q) for i, q in enumerate(clause.questions) if limits.row_applies(q.text["en"], self.sel.category)]

    def shown_kpis(self, clause: Clause) -> list[Kpi]:
        return [k for k in clause.kpis if limits.row_applies(k.name["en"], self.sel.category)]

    def shown_values(self, clause: Clause) -> dict[str, Value]:
        """Parameter values of a clause that its text for this category still uses.

        A parameter used only in sentences limited to other categories (a smartphone part mass in a
        computers tender) is left out of the parameter lists of the drafting edition.
        """
        values = self.sel.values[clause.id]
        sources = [tr(getattr(clause, f), "en") for f in ("text", "verification", "guidance")]
        if not any(limits.MARKER.search(src) for src in sources):
            return values
        kept = [" ".join(b.text for b in self.blocks_of(limits.protect(src))) for src in sources]
        for _, q in self.shown_questions(clause):
            kept.append(self.plain(q.text["en"]))
        names = {w for piece in kept for expr in _JINJA.findall(piece) for w in re.findall(r"[A-Za-z_]\w*", expr)}
        return {name: v for name, v in values.items() if name in names}

    def blocks_of(self, markup: str, style: str = "BodyText", key: str = "") -> list[Paragraph | ListItem]:
        return to_blocks(markup, style=style, key=key, category=self.sel.category)

    # ---------------------------------------------------------------- structure
    def heading1(self, title: str) -> None:
        self.section_no += 1
        self.clause_no = 0
        h = Heading(title, 1, f"{self.section_no}.")
        self.blocks.append(h)
        self.headings.append(h)

    def heading2(self, title: str, anchor: str = "") -> str:
        self.clause_no += 1
        number = f"{self.section_no}.{self.clause_no}"
        h = Heading(title, 2, number, anchor)
        self.blocks.append(h)
        self.headings.append(h)
        return number

    def compose(self) -> Composed:
        kind_def = self.library.documents[self.kind]
        before = list(kind_def.before)
        after = list(kind_def.after)
        if self.kind == "policy":
            before = before + self.project.policy.policy
            if self.project.policy.targets:
                before.append(Section(title={"en": "Goals, indicators and targets"}, generated="policy-targets"))
        for i, section in enumerate(before):
            self.fixed_section(section, ("before", i))
        self.clause_sections(kind_def.group_by)
        for i, section in enumerate(after):
            self.fixed_section(section, ("after", i))
        return self.result()

    def fixed_section(self, section: Section, where: tuple[str, int]) -> None:
        if self.edition not in section.editions:
            return
        self.heading1(tr(section.title, self.lang))
        if section.text:
            src = tr(section.text, self.lang)
            rendered = self.text(src, self.globals, ("library", f"{self.kind}.{where[0]}.{where[1]}", "text"))
            self.blocks.extend(self.blocks_of(rendered, key=f"{self.kind}-{where[0]}-{where[1]}"))
        if section.generated:
            getattr(self, "gen_" + section.generated.replace("-", "_"))()

    # ---------------------------------------------------------------- clauses
    def clauses_for_kind(self) -> list[Clause]:
        if self.kind == "questionnaire":
            return [c for c in self.sel.clauses if self.shown_questions(c)]
        types = {t.id for t in self.library.types if self.kind in t.documents}
        return [c for c in self.sel.clauses if c.type in types]

    def clause_sections(self, group_by: str) -> None:
        clauses = self.clauses_for_kind()
        if group_by == "type":
            groups = [(t.section or t.name, [c for c in clauses if c.type == t.id]) for t in self.library.types]
        else:
            groups = [(s.section or s.name, [c for c in clauses if c.stage == s.id]) for s in self.library.stages]
        for title, members in groups:
            if not members:
                continue
            self.heading1(tr(title, self.lang))
            for clause in members:
                self.in_doc.append(clause)
                if self.kind == "questionnaire":
                    self.questionnaire_clause(clause)
                else:
                    self.clause(clause)

    def clause(self, clause: Clause) -> None:
        ctx = self.clause_context(clause)
        number = self.heading2(tr(clause.title, self.lang), anchor=f"clause-{clause.id.replace('.', '-')}")
        self.numbers[clause.id] = number
        text = self.text(tr(clause.text, self.lang), ctx, ("clause", clause.id, "text"))
        self.blocks.extend(self.blocks_of(text, key=clause.id))
        verification = self.text(tr(clause.verification, self.lang), ctx, ("clause", clause.id, "verification"))
        vblocks = self.blocks_of(verification, style="Verification", key=clause.id + "-v")
        if vblocks and isinstance(vblocks[0], Paragraph):
            vblocks[0].runs.insert(0, Run("Verification. ", bold=True))
        elif vblocks:
            self.blocks.append(Paragraph([Run("Verification.", bold=True)], "Verification"))
        self.blocks.extend(vblocks)
        if self.drafting:
            self.blocks.append(self.guidance_note(clause, ctx))

    def guidance_note(self, clause: Clause, ctx: dict[str, Any]) -> Note:
        guidance = self.text(tr(clause.guidance, self.lang), ctx, ("clause", clause.id, "guidance"))
        blocks: list[Paragraph | ListItem] = list(self.blocks_of(guidance, style="Guidance", key=clause.id + "-g"))
        if self.lang not in clause.text and self.lang.split("-")[0] not in clause.text:
            blocks.append(Paragraph([Run(f"No {self.lang} text yet: the English text is used.", italic=True)]))
        values = self.shown_values(clause)
        if values:
            shown = "; ".join(f"{n} = {format_value(v.value)} ({v.source})" for n, v in values.items())
            blocks.append(Paragraph([Run("Parameters: ", bold=True), Run(shown)]))
        refs = [self.project.references[r] for r in clause.references if r in self.project.references]
        if refs:
            cited = "; ".join(r.identifier + ("" if r.verified else UNVERIFIED_MARK) for r in refs)
            blocks.append(Paragraph([Run("Sources: ", bold=True), Run(cited)]))
        for fact in clause.unverified:
            if limits.row_applies(fact, self.sel.category):
                blocks.append(Paragraph([Run("Not verified: ", bold=True), Run(self.plain(fact))]))
        return Note(f"Guidance for the buyer — {clause.id} v{clause.version}", blocks)

    def questionnaire_clause(self, clause: Clause) -> None:
        ctx = self.clause_context(clause)
        number = self.heading2(tr(clause.title, self.lang), anchor=f"q-{clause.id.replace('.', '-')}")
        self.numbers[clause.id] = number
        rows = []
        for i, (at, q) in enumerate(self.shown_questions(clause), start=1):
            ref = f"{number}.{i}"
            qtext = self.text(limits.without_leading(tr(q.text, self.lang)), ctx, ("clause", clause.id, f"questions.{at}.text"), markup=False)
            self.question_texts[q.id] = qtext
            unit = f" Unit: {q.answer.unit}." if q.answer.unit else ""
            needed = " (required)" if q.required else " (optional)"
            question_runs = [Run(qtext + unit + needed)]
            if q.evidence:
                ev = self.text(tr(q.evidence, self.lang), ctx, ("clause", clause.id, f"questions.{at}.evidence"), markup=False)
                question_runs.append(Run("\n\nEvidence: " + ev, italic=True))
            if self.drafting and q.scoring:
                question_runs.append(Run("\n\nScoring: " + self.scoring_text(clause, q, ctx), italic=True))
            options = limits.options_for(q.answer.options, self.sel.category)
            answer = Control(q.id, q.answer.type, f"{ref} {q.id}", CONTROL_PLACEHOLDERS.get(q.answer.type, ""), options)
            evidence: Cell
            if q.evidence:
                evidence = Cell(control=Control(f"{q.id}.evidence", "evidence", f"{ref} {q.id} evidence", CONTROL_PLACEHOLDERS["evidence"]))
            else:
                evidence = Cell([Run("—")])
            rows.append([Cell([Run(ref + "\n"), Run(q.id, italic=True)]), Cell(question_runs), Cell(control=answer, shade=True), evidence])
            self.questions.append(self.question_record(clause, q, ref, ctx))
        self.blocks.append(Table(list(QUESTION_COLUMNS), rows, [1300, 4238, 2300, 1800]))

    questions: list[dict[str, Any]]

    def question_record(self, clause: Clause, q: Question, ref: str, ctx: dict[str, Any]) -> dict[str, Any]:
        scoring = None
        if q.scoring:
            s = q.scoring
            scoring = {
                "rule": s.rule,
                "criterion": s.criterion,
                "weight": s.weight,
                "min": self.bound(clause, q, "min", ctx),
                "max": self.bound(clause, q, "max", ctx),
                "threshold": self.bound(clause, q, "threshold", ctx),
                "bands": [b.model_dump() for b in s.bands],
                "points": {k: v for k, v in self.option_points(clause, q, ctx).items() if k in self.options(q)},
            }
        return {
            "id": q.id,
            "ref": ref,
            "clause": clause.id,
            "type": q.answer.type,
            "unit": q.answer.unit,
            "options": self.options(q),
            "min": q.answer.min,
            "max": q.answer.max,
            "required": q.required,
            "evidence": bool(q.evidence),
            "text": self.plain(tr(q.text, "en")),
            "scoring": scoring,
        }

    def options(self, q: Question) -> list[str]:
        return limits.options_for(q.answer.options, self.sel.category)

    def bound(self, clause: Clause, q: Question, name: str, ctx: dict[str, Any]) -> Any:
        """A scoring bound, which may use the clause's parameters (``"{{ years }}"``)."""
        try:
            return render_value(getattr(q.scoring, name), ctx)
        except TextError as exc:
            where = ("clause", clause.id, f"questions.{clause.questions.index(q)}.scoring.{name}")
            raise ComposeError(where, exc.message, exc.line) from None

    def option_points(self, clause: Clause, q: Question, ctx: dict[str, Any]) -> dict[str, float]:
        """Share per option: as written, or in equal steps from the first option down to ``zero``."""
        s = q.scoring
        assert s is not None
        if s.zero is None:
            return dict(s.points)
        zero = str(self.bound(clause, q, "zero", ctx))
        options = list(q.answer.options)
        if zero not in options:
            where = ("clause", clause.id, f"questions.{clause.questions.index(q)}.scoring.zero")
            raise ComposeError(where, f"{zero!r} is not one of the answer options ({', '.join(options)})", None)
        steps = options.index(zero)
        return {opt: (round((steps - i) / steps, 4) if i < steps else 0.0) for i, opt in enumerate(options)}

    def scoring_text(self, clause: Clause, q: Question, ctx: dict[str, Any]) -> str:
        s = q.scoring
        assert s is not None
        crit = f" (criterion {s.criterion}, weight {format_value(s.weight)})" if s.criterion and self.kind == "questionnaire" else ""
        if s.rule == "linear":
            return f"linear from {format_value(self.bound(clause, q, 'min', ctx))} (no points) to {format_value(self.bound(clause, q, 'max', ctx))} (full points){crit}"
        if s.rule == "lowest-best":
            return f"lowest answer gets full points, others in proportion{crit}"
        if s.rule == "bands":
            bands = ", ".join(f"≥ {format_value(b.min)}: {format_value(b.score * 100)} %" for b in sorted(s.bands, key=lambda b: b.min))
            return f"bands {bands}{crit}"
        if s.rule == "options":
            shown = self.options(q)
            points = self.option_points(clause, q, ctx)
            return "; ".join(f"{k}: {format_value(round(v * 100, 1))} %" for k, v in points.items() if k in shown) + crit
        if s.rule == "yes-no":
            return f"full points for yes{crit}"
        limit = self.bound(clause, q, "threshold", ctx)
        return "pass/fail" + (f", at least {format_value(limit)}" if limit is not None else "")

    # ---------------------------------------------------------------- generated tables
    def gen_award_table(self) -> None:
        refs_by_criterion: dict[str, list[str]] = {}
        for clause in self.sel.clauses:
            for _, q in self.shown_questions(clause):
                if q.scoring and q.scoring.criterion:
                    refs_by_criterion.setdefault(q.scoring.criterion, []).append(q.id)
        rows = []
        for cid, crit in self.profile.award.criteria.items():
            rows.append([
                Cell([Run(tr(crit.name, self.lang))]),
                Cell([Run(f"{format_value(crit.weight)}")]),
                Cell([Run(tr(crit.description, self.lang))]),
                Cell([Run(", ".join(refs_by_criterion.get(cid, [])) or "—")]),
            ])
        total = sum(c.weight for c in self.profile.award.criteria.values())
        rows.append([Cell([Run("Total", bold=True)]), Cell([Run(format_value(total), bold=True)]), Cell(), Cell()])
        self.blocks.append(Table(["Criterion", "Weight", "What is scored", "Questionnaire items"], rows, [2200, 900, 4138, 2400]))
        self.gen_scoring_rules()

    def gen_scoring_rules(self) -> None:
        """Each scored questionnaire item with its maximum points and rule (shares of its criterion)."""
        scored = [(c, q) for c in self.sel.clauses for _, q in self.shown_questions(c) if q.scoring and q.scoring.criterion]
        weights: dict[str, float] = {}
        for _, q in scored:
            assert q.scoring is not None and q.scoring.criterion is not None
            weights[q.scoring.criterion] = weights.get(q.scoring.criterion, 0.0) + q.scoring.weight
        rows = []
        for clause, q in scored:
            assert q.scoring is not None and q.scoring.criterion is not None
            crit = self.profile.award.criteria.get(q.scoring.criterion)
            if crit is None:
                continue
            points = crit.weight * q.scoring.weight / weights[q.scoring.criterion]
            rule = self.scoring_text(clause, q, self.clause_context(clause))
            rows.append([Cell([Run(q.id)]), Cell([Run(tr(crit.name, self.lang))]), Cell([Run(f"{points:.2f}")]), Cell([Run(rule)])])
        if rows:
            self.blocks.append(Paragraph([Run(
                "Each questionnaire item below earns at most the points shown; an item left unanswered earns no "
                "points, and no item earns negative points."
            )]))  # fmt: skip
            self.blocks.append(Table(["Questionnaire item", "Criterion", "Maximum points", "Scoring rule"], rows, [2600, 1800, 1300, 3938]))

    def gen_annex_list(self) -> None:
        letters = iter("ABCDEFGH")
        for kind in self.profile.documents:
            if kind in ("annex", "questionnaire"):
                title = self.title_of(kind)
                doc_id = DocSpec(self.profile.id, self.sel.category, kind, "issue", self.sel.level).id
                self.blocks.append(
                    ListItem([Run(f"Annex {next(letters)}: {title} ({doc_id})")], ordered=False, level=0, list_key="annexes")
                )

    def gen_kpi_table(self) -> None:
        rows = []
        for clause in self.sel.clauses:
            ctx = self.clause_context(clause)
            for k in self.shown_kpis(clause):
                target = self.text(k.target, ctx, ("clause", clause.id, f"kpis.{k.id}.target"), markup=False)
                kpi_text = self.kpi_text(clause, k, ctx)
                rows.append([
                    Cell([Run(kpi_text("name"))]),
                    Cell([Run(kpi_text("formula"))]),
                    Cell([Run(kpi_text("evidence"))]),
                    Cell([Run(k.frequency)]),
                    Cell([Run(target)]),
                ])
        if not rows:
            self.blocks.append(Paragraph([Run("No KPI applies to this category.", italic=True)]))
            return
        self.blocks.append(Table(["KPI", "Formula", "Evidence", "Frequency", "Target"], rows, [2000, 2638, 2200, 1200, 1600]))

    def kpi_text(self, clause: Clause, kpi: Any, ctx: dict[str, Any]) -> Any:
        """A function giving a KPI's name, formula or evidence with terms and parameters substituted."""
        index = clause.kpis.index(kpi)

        def text(fieldname: str) -> str:
            source = limits.without_leading(tr(getattr(kpi, fieldname), self.lang))
            return self.text(source, ctx, ("clause", clause.id, f"kpis.{index}.{fieldname}"), markup=False)

        return text

    def gen_reporting_schedule(self) -> None:
        # the deadlines are those of the clauses (their parameters), so the table names the clause
        # instead of repeating a period that could contradict it
        by_freq: dict[str, list[tuple[str, str]]] = {}
        for clause in self.sel.clauses:
            ctx = self.clause_context(clause)
            for k in self.shown_kpis(clause):
                where = self.numbers.get(clause.id, tr(clause.title, self.lang))
                by_freq.setdefault(k.frequency, []).append((self.kpi_text(clause, k, ctx)("name"), where))
        rows = [
            [Cell([Run(FREQUENCY_NAMES[freq])]), Cell([Run("; ".join(name for name, _ in by_freq[freq]))]),
             Cell([Run(", ".join(dict.fromkeys(where for _, where in by_freq[freq])))])]
            for freq in FREQUENCY_NAMES
            if freq in by_freq
        ]  # fmt: skip
        if rows:
            self.blocks.append(Table(["Frequency", "Indicators reported", "Deadline set in clause"], rows, [1600, 5538, 2500]))

    def gen_parameters(self) -> None:
        rows = []
        for clause in self.in_doc or self.sel.clauses:
            for name, v in self.shown_values(clause).items():
                param = clause.parameters[name]
                unit = f" {unit_text(self.library, param.unit, self.lang)}" if param.unit else ""
                rows.append([Cell([Run(clause.id)]), Cell([Run(name)]), Cell([Run(format_value(v.value) + unit)]), Cell([Run(v.source)])])
        if rows:
            self.blocks.append(Table(["Clause", "Parameter", "Value", "Set by"], rows, [2800, 2200, 1800, 2838]))

    def gen_provenance(self) -> None:
        chain = " → ".join(f"{pid} ({self.project.profile_files[pid].rel})" for pid in self.sel.resolved.chain)
        self.blocks.append(Paragraph([Run("Profile chain: ", bold=True), Run(chain)]))
        self.blocks.append(
            Paragraph([Run("Built by: ", bold=True), Run(f"tenderpack {__version__}, pack version {self.pack['version']} of {self.pack['date']}")])
        )
        rows = [[Cell([Run(c.id)]), Cell([Run(str(c.version))]), Cell([Run(tr(c.title, self.lang))])] for c in self.in_doc]
        if rows:
            self.blocks.append(Table(["Clause", "Version", "Title"], rows, [3200, 1000, 5438]))
        # every legal citation of the profile, its status and why (the audit a reviewer signs off)
        cited = [
            [Cell([Run(key)]), Cell([Run(cit.text)]), Cell([Run("verified" if cit.verified else "not verified")]),
             Cell([Run(cit.note or "")])]
            for key, cit in sorted(self.profile.legal.items())
        ]  # fmt: skip
        if cited:
            self.blocks.append(Table(["Legal citation", "Text", "Status", "Note"], cited, [1500, 3400, 1200, 3538]))

    def gen_supplier_identity(self) -> None:
        rows = [
            [Cell([Run(label)]), Cell(control=Control(tag, kind, label, CONTROL_PLACEHOLDERS[kind]), shade=True)]
            for tag, label, kind in SUPPLIER_FIELDS
        ]
        self.blocks.append(Table(list(SUPPLIER_COLUMNS), rows, [3200, TEXT_WIDTH - 3200]))

    def gen_checklist(self) -> None:
        chosen = {c.id for c in self.sel.clauses}
        for stage in self.library.stages:
            items = [
                i for i in self.project.policy.checklist
                if i["stage"] == stage.id and limits.row_applies(i["step"]["en"], self.sel.category)
            ]  # fmt: skip
            if not items:
                continue
            self.heading2(tr(stage.name, self.lang))
            rows = []
            for item in items:
                named = [c for c in item["clauses"] if c in chosen]
                index = self.project.policy.checklist.index(item)
                step, evidence = (
                    self.text(tr(item[part], self.lang), self.globals, ("policy", f"checklist.{index}", part), markup=False)
                    for part in ("step", "evidence")
                )
                rows.append([
                    Cell([Run("\u2610")]),
                    Cell([Run(step)]),
                    Cell([Run(evidence)]),
                    Cell([Run(", ".join(named) or "—")]),
                ])
            self.blocks.append(Table(["Done", "Step", "Evidence to collect", "Clauses chosen"], rows, [700, 3938, 2900, 2100]))

    def gen_policy_targets(self) -> None:
        rows = [
            [Cell([Run(self.plain(tr(t["goal"], self.lang)))]), Cell([Run(self.plain(tr(t["indicator"], self.lang)))]),
             Cell([Run(self.plain(tr(t["target"], self.lang)))])]
            for t in self.project.policy.targets
            if limits.row_applies(t["goal"]["en"], self.sel.category)
        ]  # fmt: skip
        self.blocks.append(Table(["Goal", "Indicator", "Target"], rows, [3600, 3238, 2800]))

    def gen_definitions(self) -> None:
        """Reserve the place of the Definitions list; it is filled once the whole body is composed."""
        self.definitions_at = len(self.blocks)

    def insert_definitions(self) -> None:
        if self.definitions_at is None:
            return
        glossary = self.project.glossary

        def render_means(source: str, index: int) -> str:
            return self.text(source, self.globals, ("glossary", str(index), "means"))

        def to_runs(markup: str) -> list[Run]:
            paragraphs = to_blocks(markup)
            return list(paragraphs[0].runs) if paragraphs else []

        entries = definitions.entries(glossary, self.terms, render_means, self.lang)
        chosen = definitions.used(self.blocks, entries)
        at = self.definitions_at
        self.blocks[at:at] = definitions.definition_blocks(chosen, to_runs)

    # ---------------------------------------------------------------- result
    def result(self) -> Composed:
        kind_def = self.library.documents[self.kind]
        doc = {
            "id": self.spec.id,
            "kind": self.kind,
            "edition": self.edition,
            "edition_name": EDITION_NAMES[self.edition],
            "level": self.sel.level,
            "level_name": LEVEL_NAMES[self.sel.level],
            "title": self.title_of(self.kind),
            "subtitle": self.text(tr(kind_def.description, self.lang), self.globals,
                                  ("library", f"{self.kind}.description", "description"), markup=False),
        }
        self.insert_definitions()
        context = {**self.globals, "doc": doc, "pack": dict(self.pack), "terms": dict(self.terms)}
        questions = getattr(self, "questions", [])
        qhash = ""
        ident = None
        if self.kind == "questionnaire":
            qhash = questions_hash(questions)
            ident = self.make_identity(questions)
        return Composed(
            spec=self.spec,
            context=context,
            toc=Toc("Contents", list(self.headings)),
            blocks=self.blocks,
            clauses=[(c.id, c.version) for c in self.in_doc],
            chain=list(self.sel.resolved.chain),
            questions=questions,
            questions_hash=qhash,
            fill_ins=list(self.fill_ins),
            identity=ident,
            identity_sha256=identity.fingerprint(ident) if ident is not None else "",
        )

    def make_identity(self, questions: list[dict[str, Any]]) -> dict[str, Any]:
        """The questionnaire's identity (see ``tenderpack.identity``): stored in the file when it is built."""
        return identity.make(
            document=self.spec.id,
            profile=self.spec.profile,
            category=self.spec.category,
            level=self.sel.level,
            edition=self.edition,
            pack=self.pack,
            language=self.lang,
            currency=self.profile.currency,
            clauses=[(c.id, c.version) for c in self.in_doc],
            criteria={cid: (tr(c.name, self.lang), c.weight) for cid, c in self.profile.award.criteria.items()},
            questions=questions,
            texts=dict(self.question_texts),
        )


def questions_hash(questions: list[dict[str, Any]]) -> str:
    """A stable hash of a questionnaire's questions: what a returned file must match."""
    return identity.questions_hash(questions)


def compose(project: Project, sel: Selection, kind: str, edition: str, pack: dict[str, str]) -> Composed:
    composer = Composer(project, sel, kind, edition, pack)
    composer.questions = []
    return composer.compose()

