"""Compose each document's blocks from the library, a resolved profile and a category.

This is the "render" stage up to (not including) OOXML: it substitutes parameters in every text,
numbers sections and clauses, builds the generated tables (award criteria, KPIs, questionnaire) and the
document's identity. ``word`` turns the result into a .docx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from . import __version__, identity
from .blocks import Block, Cell, Control, Heading, ListItem, Note, Paragraph, Run, Table, Toc
from .model import ChecklistItem, Clause, Library, Question, Section, Target, Translatable
from .profiles import ResolvedProfile
from .project import Project
from .selection import Value, parameter_values, select
from .text import TextError, cldr_locale, format_date, format_percent, format_value, render_value, to_blocks
from .translations import Localizer
from .word.ooxml import CONTROL_PLACEHOLDERS, TEXT_WIDTH
from .wording import ComposeError as ComposeError
from .wording import Wording
from .wording import tr as tr  # re-exported: commands and release import it from here
from .wording import unit_text as unit_text

GLOBAL_NAMES = frozenset({"authority", "profile", "legal", "category", "currency"})
# The questionnaire's tables; ``tenderpack.responses`` finds answers by these when a word processor
# dropped the controls' tags (see engineering notes §3.5).
QUESTION_COLUMNS = ("Ref", "Question", "Answer", "Evidence")
SUPPLIER_COLUMNS = ("Item", "Answer")
SUPPLIER_FIELDS = (  # (control tag, label, control kind)
    ("supplier.name", "Name of the tenderer", "text"),
    ("supplier.contact", "Contact person", "text"),
    ("supplier.email", "E-mail address", "text"),
    ("supplier.date", "Date of the answers", "date"),
)
FREQUENCIES = ("monthly", "quarterly", "semi-annual", "annual", "per-event")  # names: strings.yaml frequency.*


@dataclass(frozen=True)
class DocSpec:
    """One document of the pack."""

    profile: str
    category: str
    kind: str
    edition: str
    language: str = ""  # set only when the profile builds several languages: then a folder of the path

    @property
    def id(self) -> str:
        return f"{self.profile}-{self.category}-{self.kind}-{self.edition}"

    @property
    def path(self) -> str:
        folder = f"{self.language}/" if self.language else ""
        return f"{self.profile}/{self.category}/{folder}{self.id}.docx"


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
    language: str | list[str] = "en"  # the manifest's "language": a list for a bilingual document

    @property
    def title(self) -> str:
        return str(self.context["doc"]["title"])


@dataclass
class Selection:
    """The clauses of one profile × category with their parameter values (shared by all kinds)."""

    resolved: ResolvedProfile
    category: str
    clauses: list[Clause]
    values: dict[str, dict[str, Value]]


def make_selection(project: Project, resolved: ResolvedProfile, category: str) -> Selection:
    assert project.library is not None
    profile = resolved.profile
    chosen = select(project.clauses, project.library, profile, category)
    origins = {
        key: str(resolved.layer.origin(("parameters", key)) or "profile") for key in profile.parameters
    }
    values = {c.id: parameter_values(c, profile, category, origins) for c in chosen}
    return Selection(resolved, category, chosen, values)


class Composer(Wording):
    """Builds the blocks of one document."""

    def __init__(self, project: Project, sel: Selection, kind: str, edition: str, pack: dict[str, str], language: str = ""):
        assert project.library is not None
        self.project = project
        self.library: Library = project.library
        self.sel = sel
        self.profile = sel.resolved.profile
        self.kind = kind
        self.edition = edition
        self.drafting = edition == "drafting"
        self.bilingual = edition == "bilingual"  # the profile's first two languages, one column each
        self.lang = language or self.profile.language
        self.second = ""
        if self.bilingual:
            self.lang, self.second = self.profile.all_languages[:2]
        self.localizer = Localizer(self.lang)
        self.spec = DocSpec(self.profile.id, sel.category, kind, edition, language if len(self.profile.all_languages) > 1 else "")
        self.pack = pack
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.section_no = 0
        self.clause_no = 0
        self.numbers: dict[str, str] = {}
        self.in_doc: list[Clause] = []
        self.question_texts: dict[str, str] = {}  # question id → its text as printed (questionnaires)
        self.globals = self._globals()

    # ---------------------------------------------------------------- context
    def _globals(self) -> dict[str, Any]:
        p = self.profile
        category = next(c for c in self.library.categories if c.id == self.sel.category)
        legal = {}
        for key, cit in p.legal.items():
            legal[key] = cit.text + (self.s("mark.unverified") if self.drafting and not cit.verified else "")
        return {
            "authority": {k: (v or "") for k, v in p.authority.model_dump(exclude_none=False).items() if isinstance(v, str | type(None))},
            "profile": {
                "id": p.id,
                "name": p.name,
                "jurisdiction": p.jurisdiction,
                "language": p.language,
                "currency": p.currency,
                "platform": p.platform or self.s("platform.default"),
                "last_verified": p.last_verified,
            },
            "legal": legal,
            "category": {"id": category.id, "name": self.pick(category, category.name), "cpv": ", ".join(category.cpv)},
            "currency": p.currency,
        }

    def clause_context(self, clause: Clause) -> dict[str, Any]:
        ctx = dict(self.globals)
        ctx.update({name: v.value for name, v in self.sel.values[clause.id].items()})
        return ctx

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
                before.append(Section(title=self.project.strings["policy.targets"].text, generated="policy-targets",
                                      translations=self.project.strings["policy.targets"].translations))  # fmt: skip
        for i, section in enumerate(before):
            self.fixed_section(section, ("before", i))
        self.clause_sections(kind_def.group_by)
        for i, section in enumerate(after):
            self.fixed_section(section, ("after", i))
        return self.result()

    def fixed_section(self, section: Section, where: tuple[str, int]) -> None:
        if ("issue" if self.bilingual else self.edition) not in section.editions:
            return
        self.heading1(self.pick(section, section.title))
        if section.text:
            where_ = ("library", f"{self.kind}.{where[0]}.{where[1]}", "text")
            self.blocks.extend(self.localized(section, section.text, self.globals, where_, key=f"{self.kind}-{where[0]}-{where[1]}"))
        if section.generated:
            getattr(self, "gen_" + section.generated.replace("-", "_"))()

    # ---------------------------------------------------------------- clauses
    def clauses_for_kind(self) -> list[Clause]:
        if self.kind == "questionnaire":
            return [c for c in self.sel.clauses if c.questions]
        types = {t.id for t in self.library.types if self.kind in t.documents}
        return [c for c in self.sel.clauses if c.type in types]

    def clause_sections(self, group_by: str) -> None:
        clauses = self.clauses_for_kind()
        groups: list[tuple[Translatable, dict[str, str], list[Clause]]]
        if group_by == "type":
            groups = [(t, t.section or t.name, [c for c in clauses if c.type == t.id]) for t in self.library.types]
        else:
            groups = [(s, s.section or s.name, [c for c in clauses if c.stage == s.id]) for s in self.library.stages]
        for term, title, members in groups:
            if not members:
                continue
            self.heading1(self.pick(term, title))
            for clause in members:
                self.in_doc.append(clause)
                if self.kind == "questionnaire":
                    self.questionnaire_clause(clause)
                else:
                    self.clause(clause)

    def clause(self, clause: Clause) -> None:
        ctx = self.clause_context(clause)
        number = self.heading2(self.pick(clause, clause.title, "title"), anchor=f"clause-{clause.id.replace('.', '-')}")
        self.numbers[clause.id] = number
        self.blocks.extend(self.localized(clause, clause.text, ctx, ("clause", clause.id, "text"), key=clause.id))
        vblocks = self.localized(clause, clause.verification, ctx, ("clause", clause.id, "verification"), "Verification", clause.id + "-v")
        label = self.s("clause.verification")
        first = vblocks[0] if vblocks else None
        target = first.blocks[1] if isinstance(first, Note) and len(first.blocks) > 1 else first
        if isinstance(target, Paragraph):
            target.runs.insert(0, Run(label + " ", bold=True))
        elif vblocks:
            self.blocks.append(Paragraph([Run(label, bold=True)], "Verification"))
        self.blocks.extend(vblocks)
        if self.drafting:
            self.blocks.append(self.guidance_note(clause, ctx))

    def guidance_note(self, clause: Clause, ctx: dict[str, Any]) -> Note:
        source, fallback = self.localizer.pick(clause, clause.guidance, "guidance")
        guidance = self.text(source, ctx, ("clause", clause.id, "guidance"))
        blocks: list[Paragraph | ListItem] = list(to_blocks(guidance, style="Guidance", key=clause.id + "-g"))
        if fallback is not None:
            blocks.insert(0, Paragraph([Run(self.fallback_note(fallback), italic=True)]))
        values = self.sel.values[clause.id]
        if values:
            shown = "; ".join(f"{n} = {format_value(v.value, self.lang)} ({v.source})" for n, v in values.items())
            blocks.append(Paragraph([Run(self.s("guidance.parameters"), bold=True), Run(shown)]))
        refs = [self.project.references[r] for r in clause.references if r in self.project.references]
        if refs:
            cited = "; ".join(r.identifier + ("" if r.verified else self.s("mark.unverified")) for r in refs)
            blocks.append(Paragraph([Run(self.s("guidance.sources"), bold=True), Run(cited)]))
        for fact in clause.unverified:
            blocks.append(Paragraph([Run(self.s("guidance.unverified"), bold=True), Run(fact)]))
        return Note(self.s("guidance.title", clause=clause.id, version=clause.version), blocks)

    def questionnaire_clause(self, clause: Clause) -> None:
        ctx = self.clause_context(clause)
        number = self.heading2(self.pick(clause, clause.title, "title"), anchor=f"q-{clause.id.replace('.', '-')}")
        self.numbers[clause.id] = number
        rows = []
        for i, q in enumerate(clause.questions, start=1):
            ref = f"{number}.{i}"
            source, fallback = self.localizer.pick(clause, q.text, f"questions.{q.id}.text")
            qtext = self.text(source, ctx, ("clause", clause.id, f"questions.{i - 1}.text"), markup=False)
            self.question_texts[q.id] = qtext
            unit = self.s("question.unit", unit=self.unit(q.answer.unit)) if q.answer.unit else ""
            needed = self.s("question.required") if q.required else self.s("question.optional")
            question_runs = [Run(qtext + unit + needed)]
            if fallback is not None and self.drafting:
                question_runs.insert(0, Run(f"[{self.s('fallback.title')}] ", bold=True))
            if q.evidence:
                evsource = self.pick(clause, q.evidence, f"questions.{q.id}.evidence")
                ev = self.text(evsource, ctx, ("clause", clause.id, f"questions.{i - 1}.evidence"), markup=False)
                question_runs.append(Run("\n\n" + self.s("question.evidence") + ev, italic=True))
            if self.drafting and q.scoring:
                question_runs.append(Run("\n\n" + self.s("question.scoring") + self.scoring_text(clause, q, ctx), italic=True))
            answer = Control(q.id, q.answer.type, f"{ref} {q.id}", CONTROL_PLACEHOLDERS.get(q.answer.type, ""), list(q.answer.options))
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
                "points": dict(s.points),
            }
        return {
            "id": q.id,
            "ref": ref,
            "clause": clause.id,
            "type": q.answer.type,
            "unit": q.answer.unit,
            "options": list(q.answer.options),
            "min": q.answer.min,
            "max": q.answer.max,
            "required": q.required,
            "evidence": bool(q.evidence),
            "text": tr(q.text, "en"),
            "scoring": scoring,
        }

    def bound(self, clause: Clause, q: Question, name: str, ctx: dict[str, Any]) -> Any:
        """A scoring bound, which may use the clause's parameters (``"{{ years }}"``)."""
        try:
            return render_value(getattr(q.scoring, name), ctx)
        except TextError as exc:
            where = ("clause", clause.id, f"questions.{clause.questions.index(q)}.scoring.{name}")
            raise ComposeError(where, exc.message, exc.line) from None

    def scoring_text(self, clause: Clause, q: Question, ctx: dict[str, Any]) -> str:
        s = q.scoring
        assert s is not None
        crit = self.s("scoring.criterion", criterion=s.criterion, weight=s.weight) if s.criterion and self.kind == "questionnaire" else ""
        if s.rule == "linear":
            return self.s("scoring.linear", min=self.bound(clause, q, "min", ctx), max=self.bound(clause, q, "max", ctx)) + crit
        if s.rule in ("lowest-best", "yes-no"):
            return self.s(f"scoring.{s.rule}") + crit
        if s.rule == "bands":
            bands = ", ".join(f"≥ {self.num(b.min)}: {format_percent(b.score * 100, self.lang)}" for b in sorted(s.bands, key=lambda b: b.min))
            return self.s("scoring.bands", bands=bands) + crit
        if s.rule == "options":
            return "; ".join(f"{k}: {format_percent(v * 100, self.lang)}" for k, v in s.points.items()) + crit
        limit = self.bound(clause, q, "threshold", ctx)
        return self.s("scoring.pass-fail-min", limit=limit) if limit is not None else self.s("scoring.pass-fail")

    # ---------------------------------------------------------------- generated tables
    def gen_award_table(self) -> None:
        refs_by_criterion: dict[str, list[str]] = {}
        for clause in self.sel.clauses:
            for q in clause.questions:
                if q.scoring and q.scoring.criterion:
                    refs_by_criterion.setdefault(q.scoring.criterion, []).append(q.id)
        rows = []
        for cid, crit in self.profile.award.criteria.items():
            rows.append([
                Cell([Run(tr(crit.name, self.lang))]),
                Cell([Run(self.num(crit.weight))]),
                Cell([Run(tr(crit.description, self.lang))]),
                Cell([Run(", ".join(refs_by_criterion.get(cid, [])) or "—")]),
            ])
        total = sum(c.weight for c in self.profile.award.criteria.values())
        rows.append([Cell([Run(self.s("table.total"), bold=True)]), Cell([Run(self.num(total), bold=True)]), Cell(), Cell()])
        self.blocks.append(Table(self.columns("table.award"), rows, [2200, 900, 4138, 2400]))
        self.gen_scoring_rules()

    def gen_scoring_rules(self) -> None:
        """Each scored questionnaire item with its maximum points and rule (shares of its criterion)."""
        scored = [(c, q) for c in self.sel.clauses for q in c.questions if q.scoring and q.scoring.criterion]
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
            shown = format_decimal(points, "#,##0.00", locale=cldr_locale(self.lang))
            rows.append([Cell([Run(q.id)]), Cell([Run(tr(crit.name, self.lang))]), Cell([Run(shown)]), Cell([Run(rule)])])
        if rows:
            self.blocks.append(Paragraph([Run(self.s("scoring.intro"))]))
            self.blocks.append(Table(self.columns("table.scoring"), rows, [2600, 1800, 1300, 3938]))

    def gen_annex_list(self) -> None:
        letters = iter("ABCDEFGH")
        for kind in self.profile.documents:
            if kind in ("annex", "questionnaire"):
                kdef = self.library.documents[kind]
                doc_id = DocSpec(self.profile.id, self.sel.category, kind, "issue").id
                line = self.s("annex.item", letter=next(letters), title=self.pick(kdef, kdef.title), id=doc_id)
                self.blocks.append(ListItem([Run(line)], ordered=False, level=0, list_key="annexes"))

    def gen_kpi_table(self) -> None:
        rows = []
        for clause in self.sel.clauses:
            ctx = self.clause_context(clause)
            for k in clause.kpis:
                target = self.text(self.pick(clause, k.target), ctx, ("clause", clause.id, f"kpis.{k.id}.target"), markup=False)
                rows.append([
                    Cell([Run(self.pick(clause, k.name))]),
                    Cell([Run(self.pick(clause, k.formula))]),
                    Cell([Run(self.pick(clause, k.evidence))]),
                    Cell([Run(self.s(f"frequency.{k.frequency}"))]),
                    Cell([Run(target)]),
                ])
        if not rows:
            self.blocks.append(Paragraph([Run(self.s("kpi.none"), italic=True)]))
            return
        self.blocks.append(Table(self.columns("table.kpi"), rows, [2000, 2638, 2200, 1200, 1600]))

    def gen_reporting_schedule(self) -> None:
        # the deadlines are those of the clauses (their parameters), so the table names the clause
        # instead of repeating a period that could contradict it
        by_freq: dict[str, list[tuple[str, str]]] = {}
        for clause in self.sel.clauses:
            for k in clause.kpis:
                where = self.numbers.get(clause.id, self.pick(clause, clause.title))
                by_freq.setdefault(k.frequency, []).append((self.pick(clause, k.name), where))
        rows = [
            [Cell([Run(self.s(f"frequency.{freq}"))]), Cell([Run("; ".join(name for name, _ in by_freq[freq]))]),
             Cell([Run(", ".join(dict.fromkeys(where for _, where in by_freq[freq])))])]
            for freq in FREQUENCIES
            if freq in by_freq
        ]  # fmt: skip
        if rows:
            self.blocks.append(Table(self.columns("table.schedule"), rows, [1600, 5538, 2500]))

    def gen_parameters(self) -> None:
        rows = []
        for clause in self.in_doc or self.sel.clauses:
            for name, v in self.sel.values[clause.id].items():
                param = clause.parameters[name]
                unit = f" {self.unit(param.unit)}" if param.unit else ""
                rows.append([Cell([Run(clause.id)]), Cell([Run(name)]), Cell([Run(self.num(v.value) + unit)]), Cell([Run(v.source)])])
        if rows:
            self.blocks.append(Table(self.columns("table.parameters"), rows, [2800, 2200, 1800, 2838]))

    def gen_provenance(self) -> None:
        chain = " → ".join(f"{pid} ({self.project.profile_files[pid].rel})" for pid in self.sel.resolved.chain)
        self.blocks.append(Paragraph([Run(self.s("provenance.chain"), bold=True), Run(chain)]))
        built = self.s("provenance.tool", tool=__version__, version=self.pack["version"], date=format_date(self.pack["date"], self.lang))
        self.blocks.append(Paragraph([Run(self.s("provenance.built"), bold=True), Run(built)]))
        rows = [[Cell([Run(c.id)]), Cell([Run(str(c.version))]), Cell([Run(self.pick(c, c.title))])] for c in self.in_doc]
        if rows:
            self.blocks.append(Table(self.columns("table.clauses"), rows, [3200, 1000, 5438]))
        # every legal citation of the profile, its status and why (the audit a reviewer signs off)
        cited = [
            [Cell([Run(key)]), Cell([Run(cit.text)]), Cell([Run(self.s("citation.verified" if cit.verified else "citation.unverified"))]),
             Cell([Run(cit.note or "")])]
            for key, cit in sorted(self.profile.legal.items())
        ]  # fmt: skip
        if cited:
            self.blocks.append(Table(self.columns("table.citations"), cited, [1500, 3400, 1200, 3538]))

    def gen_supplier_identity(self) -> None:
        rows = [
            [Cell([Run(label)]), Cell(control=Control(tag, kind, label, CONTROL_PLACEHOLDERS[kind]), shade=True)]
            for tag, label, kind in SUPPLIER_FIELDS
        ]
        self.blocks.append(Table(list(SUPPLIER_COLUMNS), rows, [3200, TEXT_WIDTH - 3200]))

    def gen_checklist(self) -> None:
        chosen = {c.id for c in self.sel.clauses}
        for stage in self.library.stages:
            items = [i for i in self.project.policy.checklist if i["stage"] == stage.id]
            if not items:
                continue
            self.heading2(self.pick(stage, stage.name))
            rows = []
            for item in items:
                named = [c for c in item["clauses"] if c in chosen]
                rows.append([
                    Cell([Run("\u2610")]),
                    Cell([Run(self.pick(ChecklistItem.model_validate(item), item["step"]))]),
                    Cell([Run(self.pick(ChecklistItem.model_validate(item), item["evidence"]))]),
                    Cell([Run(", ".join(named) or "—")]),
                ])
            self.blocks.append(Table(self.columns("table.checklist"), rows, [700, 3938, 2900, 2100]))

    def gen_policy_targets(self) -> None:
        targets = [Target.model_validate(t) for t in self.project.policy.targets]
        rows = [[Cell([Run(self.pick(t, t.goal))]), Cell([Run(self.pick(t, t.indicator))]), Cell([Run(self.pick(t, t.target))])] for t in targets]
        self.blocks.append(Table(self.columns("table.policy"), rows, [3600, 3238, 2800]))

    # ---------------------------------------------------------------- result
    def result(self) -> Composed:
        kind_def = self.library.documents[self.kind]
        doc = {
            "id": self.spec.id,
            "kind": self.kind,
            "edition": self.edition,
            "edition_name": self.s(f"edition.{self.edition}"),
            "title": self.pick(kind_def, kind_def.title),
            "subtitle": self.pick(kind_def, kind_def.description),
            "language": self.lang,
        }
        pack = {**self.pack, "date": format_date(self.pack["date"], self.lang)}
        context = {**self.globals, "doc": doc, "pack": pack, "label": self.labels(doc, pack)}
        questions = getattr(self, "questions", [])
        qhash = ""
        ident = None
        if self.kind == "questionnaire":
            qhash = questions_hash(questions)
            ident = self.make_identity(questions)
        return Composed(
            spec=self.spec,
            context=context,
            toc=Toc(self.s("toc.title"), list(self.headings)),
            blocks=self.blocks,
            clauses=[(c.id, c.version) for c in self.in_doc],
            chain=list(self.sel.resolved.chain),
            questions=questions,
            questions_hash=qhash,
            identity=ident,
            identity_sha256=identity.fingerprint(ident) if ident is not None else "",
            language=[self.lang, self.second] if self.bilingual else self.lang,
        )

    def make_identity(self, questions: list[dict[str, Any]]) -> dict[str, Any]:
        """The questionnaire's identity (see ``tenderpack.identity``): stored in the file when it is built."""
        return identity.make(
            document=self.spec.id,
            profile=self.spec.profile,
            category=self.spec.category,
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


def compose(project: Project, sel: Selection, kind: str, edition: str, pack: dict[str, str], language: str = "") -> Composed:
    composer = Composer(project, sel, kind, edition, pack, language)
    composer.questions = []
    return composer.compose()

