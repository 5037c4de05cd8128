"""Compose each document's blocks from the library, a resolved profile and a category.

This is the "render" stage up to (not including) OOXML: it substitutes parameters in every text,
numbers sections and clauses, builds the generated tables (award criteria, KPIs, questionnaire) and the
document's identity. ``word`` turns the result into a .docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import fillins, identity, limits, sections
from .blocks import Block, Cell, Control, Heading, ListItem, Note, Paragraph, Run, Table, Toc
from .model import Clause, Kpi, Library, Question, Section, Translatable
from .plan import DocSpec
from .profiles import ResolvedProfile
from .project import Project
from .sections import FREQUENCIES as FREQUENCIES  # declared with the sections that print them
from .sections import SUPPLIER_COLUMNS as SUPPLIER_COLUMNS
from .sections import SUPPLIER_FIELDS as SUPPLIER_FIELDS
from .selection import Value, parameter_values, select
from .terms import term_values
from .text import Choice, TextError, format_date, format_percent, format_value, render_value, to_blocks
from .translations import Localizer
from .word.ooxml import CONTROL_PLACEHOLDERS
from .wording import ComposeError as ComposeError
from .wording import Wording
from .wording import tr as tr  # re-exported: commands and release import it from here
from .wording import unit_text as unit_text

GLOBAL_NAMES = frozenset({"authority", "profile", "legal", "category", "currency", "fill"})
_JINJA = re.compile(r"\{[{%](.*?)[%}]\}", re.DOTALL)
# The questionnaire's tables; ``tenderpack.responses`` finds answers by these when a word processor
# dropped the controls' tags (see engineering notes §3.5).
QUESTION_COLUMNS = ("Ref", "Question", "Answer", "Evidence")


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
    language: str | list[str] = "en"  # the manifest's "language": a list for a bilingual document

    @property
    def title(self) -> str:
        return str(self.context["doc"]["title"])


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
        folder = language if len(self.profile.all_languages) > 1 else ""  # a folder per language only then
        self.spec = DocSpec(self.profile.id, sel.category, kind, edition, sel.level, folder)
        self.pack = pack
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.section_no = 0
        self.clause_no = 0
        self.numbers: dict[str, str] = {}
        self.in_doc: list[Clause] = []
        self.question_texts: dict[str, str] = {}  # question id → its text as printed (questionnaires)
        self.fill_ins = fillins.values(self.library, self.profile, self.lang)
        self.terms = term_values(project.glossary.terms, self.profile.terms_in(self.lang), self.lang)
        self.globals = self._globals(self.lang)
        self.definitions_at: int | None = None
        self._other_globals: dict[str, dict[str, Any]] = {}

    # ---------------------------------------------------------------- context
    def _globals(self, lang: str) -> dict[str, Any]:
        """What every text may use, in ``lang``: the profile's values, texts and terms, the category."""
        p = self.profile
        category = next(c for c in self.library.categories if c.id == self.sel.category)
        legal = {}
        for key, cit in p.legal.items():
            legal[key] = p.printed(cit.text, lang) + (self.s("mark.unverified") if self.drafting and not cit.verified else "")
        main = lang == self.localizer.lang  # the document's language (self.lang changes per bilingual column)
        fills = self.fill_ins if main else fillins.values(self.library, p, lang)
        fill = fillins.context(fills)
        authority = {k: (v or "") for k, v in p.authority.model_dump(exclude_none=False).items() if isinstance(v, str | type(None))}
        authority.update({k: fill[f"authority.{k}"] for k in authority if f"authority.{k}" in fill})
        return {
            "authority": authority,
            "fill": fill,
            "profile": {
                "id": p.id,
                "name": p.printed(p.name, lang),
                "jurisdiction": p.printed(p.jurisdiction, lang),
                "language": p.language,
                "currency": p.currency,
                "platform": fill.get("tender.platform", p.tender.platform or ""),
                "last_verified": p.last_verified,
            },
            "legal": legal,
            "category": {"id": category.id, "name": self.pick(category, category.name), "cpv": ", ".join(category.cpv)},
            "currency": p.currency,
            **(self.terms if main else term_values(self.project.glossary.terms, p.terms_in(lang), lang)),
        }

    def globals_in(self, lang: str) -> dict[str, Any]:
        """The globals in another language (the second column of a bilingual edition)."""
        if lang == self.localizer.lang:
            return self.globals
        if lang not in self._other_globals:
            self._other_globals[lang] = self._globals(lang)
        return self._other_globals[lang]

    def title_of(self, kind: str) -> str:
        """A document kind's title: the profile's term for it, else the library's title."""
        kdef = self.library.documents[kind]
        return self.terms.get(f"{kind}_title") or self.pick(kdef, kdef.title)

    def clause_context(self, clause: Clause) -> dict[str, Any]:
        ctx = dict(self.globals)
        for name, v in self.sel.values[clause.id].items():
            labels = clause.parameters[name].labels
            ctx[name] = Choice(v.value, labels) if labels and isinstance(v.value, str) else v.value
        return ctx

    def text(self, source: str, ctx: dict[str, Any], where: tuple[str, str, str], markup: bool = True) -> str:
        """A text with its values substituted; a plain text also has its category limits resolved."""
        out = super().text(source, ctx, where, markup)
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
            sections.GENERATORS[section.generated](self)

    # ---------------------------------------------------------------- clauses
    def clauses_for_kind(self) -> list[Clause]:
        if self.kind == "questionnaire":
            return [c for c in self.sel.clauses if self.shown_questions(c)]
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
        blocks: list[Paragraph | ListItem] = list(self.blocks_of(guidance, style="Guidance", key=clause.id + "-g"))
        if fallback is not None:
            blocks.insert(0, Paragraph([Run(self.fallback_note(fallback), italic=True)]))
        values = self.shown_values(clause)
        if values:
            shown = "; ".join(f"{n} = {format_value(v.value, self.lang)} ({v.source})" for n, v in values.items())
            blocks.append(Paragraph([Run(self.s("guidance.parameters"), bold=True), Run(shown)]))
        refs = [self.project.references[r] for r in clause.references if r in self.project.references]
        if refs:
            cited = "; ".join(r.identifier + ("" if r.verified else self.s("mark.unverified")) for r in refs)
            blocks.append(Paragraph([Run(self.s("guidance.sources"), bold=True), Run(cited)]))
        for i, fact in enumerate(clause.unverified):
            if limits.row_applies(fact["en"], self.sel.category):
                said, missing = self.localizer.pick(clause, fact, f"unverified.{i}")
                mark = [Run(f"[{self.s('fallback.title')}] ", bold=True)] if missing else []
                blocks.append(Paragraph([Run(self.s("guidance.unverified"), bold=True), *mark, Run(self.plain(said))]))
        return Note(self.s("guidance.title", clause=clause.id, version=clause.version), blocks)

    def questionnaire_clause(self, clause: Clause) -> None:
        ctx = self.clause_context(clause)
        number = self.heading2(self.pick(clause, clause.title, "title"), anchor=f"q-{clause.id.replace('.', '-')}")
        self.numbers[clause.id] = number
        rows = []
        for i, (at, q) in enumerate(self.shown_questions(clause), start=1):
            ref = f"{number}.{i}"
            source, fallback = self.localizer.pick(clause, q.text, f"questions.{q.id}.text")
            qtext = self.text(limits.without_leading(source), ctx, ("clause", clause.id, f"questions.{at}.text"), markup=False)
            self.question_texts[q.id] = qtext
            unit = self.s("question.unit", unit=self.unit(q.answer.unit)) if q.answer.unit else ""
            needed = self.s("question.required") if q.required else self.s("question.optional")
            question_runs = [Run(qtext + unit + needed)]
            if fallback is not None and self.drafting:
                question_runs.insert(0, Run(f"[{self.s('fallback.title')}] ", bold=True))
            if q.evidence:
                evsource = self.pick(clause, q.evidence, f"questions.{q.id}.evidence")
                ev = self.text(evsource, ctx, ("clause", clause.id, f"questions.{at}.evidence"), markup=False)
                question_runs.append(Run("\n\n" + self.s("question.evidence") + ev, italic=True))
            if self.drafting and q.scoring:
                question_runs.append(Run("\n\n" + self.s("question.scoring") + self.scoring_text(clause, q, ctx), italic=True))
            options, labels = self.choices(clause, q)
            answer = Control(q.id, q.answer.type, f"{ref} {q.id}", self.placeholder(q.answer.type), options, labels)
            evidence: Cell
            if q.evidence:
                evidence = Cell(control=Control(f"{q.id}.evidence", "evidence", f"{ref} {q.id} evidence", self.placeholder("evidence")))
            else:
                evidence = Cell([Run("—")])
            rows.append([Cell([Run(ref + "\n"), Run(q.id, italic=True)]), Cell(question_runs), Cell(control=answer, shade=True), evidence])
            self.questions.append(self.question_record(clause, q, ref, ctx))
        self.blocks.append(Table(self.columns("table.questions"), rows, [1300, 4238, 2300, 1800]))

    questions: list[dict[str, Any]]

    def placeholder(self, kind: str) -> str:
        """The grey text of an empty answer field, in the document's language."""
        return self.s(f"placeholder.{'choice' if kind == 'yes-no' else kind}") if kind in CONTROL_PLACEHOLDERS else ""

    def choices(self, clause: Clause, q: Question) -> tuple[list[str], list[str]]:
        """A drop-down's items: their stable values (the English option, 'yes' / 'no') and what they show."""
        if q.answer.type == "yes-no":
            return ["yes", "no"], [self.s("answer.yes"), self.s("answer.no")]
        shown = limits.options_for(q.answer.options, self.sel.category)
        written = {limits.without_leading(o): o for o in q.answer.options}
        labels = [limits.without_leading(self.pick(clause, q.answer.option_text(written.get(o, o)))) for o in shown]
        return shown, labels

    def printed_labels(self) -> dict[str, Any]:
        """What the questionnaire prints around its answer fields (identity ``labels``): a returned file's
        answers are read by their stable values, and where a word processor kept only the text shown, by it."""
        options = {}
        for clause in self.in_doc:
            for _, q in self.shown_questions(clause):
                if q.answer.type == "choice":
                    ids, labels = self.choices(clause, q)
                    options[q.id] = {o: label for o, label in zip(ids, labels, strict=True) if label != o}
        units = sorted({q.answer.unit for c in self.in_doc for _, q in self.shown_questions(c) if q.answer.unit})
        return {
            "yes": self.s("answer.yes"),
            "no": self.s("answer.no"),
            "placeholders": sorted({self.placeholder(kind) for kind in CONTROL_PLACEHOLDERS}),
            "columns": {"questions": self.columns("table.questions"), "supplier": self.columns("table.supplier")},
            "supplier": {tag: self.s(tag) for tag, _label, _kind in SUPPLIER_FIELDS},
            "units": {u: self.unit(u) for u in units if self.unit(u) != u},
            "options": {qid: shown for qid, shown in options.items() if shown},
        }

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
        crit = self.s("scoring.criterion", criterion=s.criterion, weight=s.weight) if s.criterion and self.kind == "questionnaire" else ""
        if s.rule == "linear":
            low, high = (self.num(self.bound(clause, q, b, ctx)) for b in ("min", "max"))
            return self.s("scoring.linear", min=low, max=high) + crit
        if s.rule in ("lowest-best", "yes-no"):
            return self.s(f"scoring.{s.rule}") + crit
        if s.rule == "bands":
            bands = ", ".join(f"≥ {self.num(b.min)}: {format_percent(b.score * 100, self.lang)}" for b in sorted(s.bands, key=lambda b: b.min))
            return self.s("scoring.bands", bands=bands) + crit
        if s.rule == "options":
            shown = self.options(q)
            points = self.option_points(clause, q, ctx)
            ids, labels = self.choices(clause, q)
            label = dict(zip(ids, labels, strict=True))  # each option as the document's language words it
            return "; ".join(f"{label.get(k, k)}: {format_percent(round(v * 100, 1), self.lang)}" for k, v in points.items() if k in shown) + crit
        limit = self.bound(clause, q, "threshold", ctx)
        return self.s("scoring.pass-fail-min", limit=self.num(limit)) if limit is not None else self.s("scoring.pass-fail")

    # ---------------------------------------------------------------- result
    def result(self) -> Composed:
        kind_def = self.library.documents[self.kind]
        doc = {
            "id": self.spec.id,
            "kind": self.kind,
            "edition": self.edition,
            "edition_name": self.s(f"edition.{self.edition}"),
            "level": self.sel.level,
            "level_name": self.s(f"level.{self.sel.level}"),
            "title": self.title_of(self.kind),
            "subtitle": self.text(self.pick(kind_def, kind_def.description), self.globals,
                                  ("library", f"{self.kind}.description", "description"), markup=False),
            "language": self.lang,
        }
        sections.insert_definitions(self)
        pack = {**self.pack, "date": format_date(self.pack["date"], self.lang)}
        context = {**self.globals, "doc": doc, "pack": pack, "terms": dict(self.terms), "label": self.labels(doc, pack)}
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
            fill_ins=list(self.fill_ins),
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
            level=self.sel.level,
            edition=self.edition,
            pack=self.pack,
            language=self.lang,
            currency=self.profile.currency,
            clauses=[(c.id, c.version) for c in self.in_doc],
            criteria={cid: (self.profile.printed(c.name, self.lang), c.weight) for cid, c in self.profile.award.criteria.items()},
            questions=questions,
            texts=dict(self.question_texts),
            labels=self.printed_labels(),
        )


def questions_hash(questions: list[dict[str, Any]]) -> str:
    """A stable hash of a questionnaire's questions: what a returned file must match."""
    return identity.questions_hash(questions)


def compose(project: Project, sel: Selection, kind: str, edition: str, pack: dict[str, str], language: str = "") -> Composed:
    composer = Composer(project, sel, kind, edition, pack, language)
    composer.questions = []
    return composer.compose()

