"""The generated sections of a document: award and scoring tables, annex list, KPIs and reporting schedule,
parameters, provenance, supplier identity, checklist, policy targets and the Definitions list.

A library section names one with ``generated: <name>`` (``award-table`` is :func:`award_table`); each
function adds its blocks to the :class:`~tenderpack.documents.Composer` it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from babel.numbers import format_decimal

from . import __version__, definitions, limits
from .blocks import Cell, Control, ListItem, Paragraph, Run, Table
from .model import ChecklistItem, Clause, Target
from .plan import DocSpec
from .text import cldr_locale, format_date, to_blocks
from .word.ooxml import TEXT_WIDTH

if TYPE_CHECKING:
    from .documents import Composer

SUPPLIER_COLUMNS = ("Item", "Answer")
SUPPLIER_FIELDS = (  # (control tag, label, control kind)
    ("supplier.name", "Organisation name", "text"),
    ("supplier.contact", "Contact person", "text"),
    ("supplier.email", "E-mail address", "text"),
    ("supplier.date", "Date of the answers", "date"),
)
FREQUENCIES = ("monthly", "quarterly", "semi-annual", "annual", "per-event")  # names: strings.yaml frequency.*

def award_table(cm: Composer) -> None:
    refs_by_criterion: dict[str, list[str]] = {}
    for clause in cm.sel.clauses:
        for _, q in cm.shown_questions(clause):
            if q.scoring and q.scoring.criterion:
                refs_by_criterion.setdefault(q.scoring.criterion, []).append(q.id)
    rows = []
    for cid, crit in cm.profile.award.criteria.items():
        rows.append([
            Cell([Run(cm.profile.printed(crit.name, cm.lang))]),
            Cell([Run(cm.num(crit.weight))]),
            Cell([Run(cm.profile.printed(crit.description, cm.lang) if crit.description else "")]),
            Cell([Run(", ".join(refs_by_criterion.get(cid, [])) or "—")]),
        ])
    total = sum(c.weight for c in cm.profile.award.criteria.values())
    rows.append([Cell([Run(cm.s("table.total"), bold=True)]), Cell([Run(cm.num(total), bold=True)]), Cell(), Cell()])
    cm.blocks.append(Table(cm.columns("table.award"), rows, [2200, 900, 4138, 2400]))
    scoring_rules(cm)


def scoring_rules(cm: Composer) -> None:
    """Each scored questionnaire item with its maximum points and rule (shares of its criterion)."""
    scored = [(c, q) for c in cm.sel.clauses for _, q in cm.shown_questions(c) if q.scoring and q.scoring.criterion]
    weights: dict[str, float] = {}
    for _, q in scored:
        assert q.scoring is not None and q.scoring.criterion is not None
        weights[q.scoring.criterion] = weights.get(q.scoring.criterion, 0.0) + q.scoring.weight
    rows = []
    for clause, q in scored:
        assert q.scoring is not None and q.scoring.criterion is not None
        crit = cm.profile.award.criteria.get(q.scoring.criterion)
        if crit is None:
            continue
        points = crit.weight * q.scoring.weight / weights[q.scoring.criterion]
        rule = cm.scoring_text(clause, q, cm.clause_context(clause))
        shown = format_decimal(points, "#,##0.00", locale=cldr_locale(cm.lang))
        rows.append([Cell([Run(q.id)]), Cell([Run(cm.profile.printed(crit.name, cm.lang))]), Cell([Run(shown)]), Cell([Run(rule)])])
    if rows:
        cm.blocks.append(Paragraph([Run(cm.s("scoring.intro"))]))
        cm.blocks.append(Table(cm.columns("table.scoring"), rows, [2600, 1800, 1300, 3938]))


def annex_list(cm: Composer) -> None:
    letters = iter("ABCDEFGH")
    for kind in cm.profile.documents:
        if kind in ("annex", "questionnaire"):
            title = cm.title_of(kind)
            doc_id = DocSpec(cm.profile.id, cm.sel.category, kind, "issue", cm.sel.level).id
            line = cm.s("annex.item", letter=next(letters), title=title, id=doc_id)
            cm.blocks.append(ListItem([Run(line)], ordered=False, level=0, list_key="annexes"))


def kpi_table(cm: Composer) -> None:
    rows = []
    for clause in cm.sel.clauses:
        ctx = cm.clause_context(clause)
        for k in cm.shown_kpis(clause):
            target = cm.text(cm.pick(clause, k.target), ctx, ("clause", clause.id, f"kpis.{k.id}.target"), markup=False)
            words = kpi_text(cm, clause, k, ctx)
            rows.append([
                Cell([Run(words("name"))]),
                Cell([Run(words("formula"))]),
                Cell([Run(words("evidence"))]),
                Cell([Run(cm.s(f"frequency.{k.frequency}"))]),
                Cell([Run(target)]),
            ])
    if not rows:
        cm.blocks.append(Paragraph([Run(cm.s("kpi.none"), italic=True)]))
        return
    cm.blocks.append(Table(cm.columns("table.kpi"), rows, [2000, 2638, 2200, 1200, 1600]))


def kpi_text(cm: Composer, clause: Clause, kpi: Any, ctx: dict[str, Any]) -> Any:
    """A function giving a KPI's name, formula or evidence with terms and parameters substituted."""
    index = clause.kpis.index(kpi)

    def text(fieldname: str) -> str:
        source = limits.without_leading(cm.pick(clause, getattr(kpi, fieldname)))
        return cm.text(source, ctx, ("clause", clause.id, f"kpis.{index}.{fieldname}"), markup=False)

    return text


def reporting_schedule(cm: Composer) -> None:
    # the deadlines are those of the clauses (their parameters), so the table names the clause
    # instead of repeating a period that could contradict it
    by_freq: dict[str, list[tuple[str, str]]] = {}
    for clause in cm.sel.clauses:
        ctx = cm.clause_context(clause)
        for k in cm.shown_kpis(clause):
            where = cm.numbers.get(clause.id, cm.pick(clause, clause.title))
            by_freq.setdefault(k.frequency, []).append((kpi_text(cm, clause, k, ctx)("name"), where))
    rows = [
        [Cell([Run(cm.s(f"frequency.{freq}"))]), Cell([Run("; ".join(name for name, _ in by_freq[freq]))]),
         Cell([Run(", ".join(dict.fromkeys(where for _, where in by_freq[freq])))])]
        for freq in FREQUENCIES
        if freq in by_freq
    ]  # fmt: skip
    if rows:
        cm.blocks.append(Table(cm.columns("table.schedule"), rows, [1600, 5538, 2500]))


def parameters(cm: Composer) -> None:
    rows = []
    for clause in cm.in_doc or cm.sel.clauses:
        for name, v in cm.shown_values(clause).items():
            param = clause.parameters[name]
            unit = f" {cm.unit(param.unit)}" if param.unit else ""
            rows.append([Cell([Run(clause.id)]), Cell([Run(name)]), Cell([Run(cm.num(v.value) + unit)]), Cell([Run(v.source)])])
    if rows:
        cm.blocks.append(Table(cm.columns("table.parameters"), rows, [2800, 2200, 1800, 2838]))


def provenance(cm: Composer) -> None:
    chain = " → ".join(f"{pid} ({cm.project.profile_files[pid].rel})" for pid in cm.sel.resolved.chain)
    cm.blocks.append(Paragraph([Run(cm.s("provenance.chain"), bold=True), Run(chain)]))
    built = cm.s("provenance.tool", tool=__version__, version=cm.pack["version"], date=format_date(cm.pack["date"], cm.lang))
    cm.blocks.append(Paragraph([Run(cm.s("provenance.built"), bold=True), Run(built)]))
    rows = [[Cell([Run(c.id)]), Cell([Run(str(c.version))]), Cell([Run(cm.pick(c, c.title))])] for c in cm.in_doc]
    if rows:
        cm.blocks.append(Table(cm.columns("table.clauses"), rows, [3200, 1000, 5438]))
    # every legal citation of the profile, its status and why (the audit a reviewer signs off)
    cited = [
        [Cell([Run(key)]), Cell([Run(cm.profile.printed(cit.text, cm.lang))]),
         Cell([Run(cm.s("citation.verified" if cit.verified else "citation.unverified"))]),
         Cell([Run(cm.profile.printed(cit.note, cm.lang) if cit.note else "")])]
        for key, cit in sorted(cm.profile.legal.items())
    ]  # fmt: skip
    if cited:
        cm.blocks.append(Table(cm.columns("table.citations"), cited, [1500, 3400, 1200, 3538]))


def supplier_identity(cm: Composer) -> None:
    rows = [
        [Cell([Run(cm.s(tag))]), Cell(control=Control(tag, kind, cm.s(tag), cm.placeholder(kind)), shade=True)]
        for tag, _label, kind in SUPPLIER_FIELDS
    ]
    cm.blocks.append(Table(cm.columns("table.supplier"), rows, [3200, TEXT_WIDTH - 3200]))


def checklist(cm: Composer) -> None:
    chosen = {c.id for c in cm.sel.clauses}
    for stage in cm.library.stages:
        items = [
            i for i in cm.project.policy.checklist
            if i["stage"] == stage.id and limits.row_applies(i["step"]["en"], cm.sel.category)
        ]  # fmt: skip
        if not items:
            continue
        cm.heading2(cm.pick(stage, stage.name))
        rows = []
        for item in items:
            named = [c for c in item["clauses"] if c in chosen]
            index = cm.project.policy.checklist.index(item)
            record = ChecklistItem.model_validate(item)
            step, evidence = (
                cm.text(cm.pick(record, item[part], part), cm.globals, ("policy", f"checklist.{index}", part), markup=False)
                for part in ("step", "evidence")
            )
            rows.append([
                Cell([Run("\u2610")]),
                Cell([Run(step)]),
                Cell([Run(evidence)]),
                Cell([Run(", ".join(named) or "—")]),
            ])
        cm.blocks.append(Table(cm.columns("table.checklist"), rows, [700, 3938, 2900, 2100]))


def policy_targets(cm: Composer) -> None:
    targets = [Target.model_validate(t) for t in cm.project.policy.targets]
    rows = [
        [Cell([Run(cm.plain(cm.pick(t, t.goal)))]), Cell([Run(cm.plain(cm.pick(t, t.indicator)))]),
         Cell([Run(cm.plain(cm.pick(t, t.target)))])]
        for t in targets
        if limits.row_applies(t.goal["en"], cm.sel.category)
    ]  # fmt: skip
    cm.blocks.append(Table(cm.columns("table.policy"), rows, [3600, 3238, 2800]))


def definitions_place(cm: Composer) -> None:
    """Reserve the place of the Definitions list; it is filled once the whole body is composed."""
    cm.definitions_at = len(cm.blocks)


def insert_definitions(cm: Composer) -> None:
    if cm.definitions_at is None:
        return
    glossary = cm.project.glossary

    def render_means(source: str, index: int) -> str:
        return cm.text(source, cm.globals, ("glossary", str(index), "means"))

    def to_runs(markup: str) -> list[Run]:
        paragraphs = to_blocks(markup)
        return list(paragraphs[0].runs) if paragraphs else []

    entries = definitions.entries(glossary, cm.terms, render_means, cm.lang)
    chosen = definitions.used(cm.blocks, entries)
    at = cm.definitions_at
    words = {"means": cm.s("definitions.means"), "none": cm.s("definitions.none")}
    cm.blocks[at:at] = definitions.definition_blocks(chosen, to_runs, **words)


GENERATORS: dict[str, Callable[[Composer], None]] = {
    "award-table": award_table,
    "scoring-rules": scoring_rules,
    "annex-list": annex_list,
    "kpi-table": kpi_table,
    "reporting-schedule": reporting_schedule,
    "parameters": parameters,
    "provenance": provenance,
    "supplier-identity": supplier_identity,
    "checklist": checklist,
    "policy-targets": policy_targets,
    "definitions": definitions_place,
}
