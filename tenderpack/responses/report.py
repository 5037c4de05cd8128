"""The Word evaluation report of a scored set of tenders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from .. import __version__
from ..blocks import Block, Cell, Heading, Paragraph, Run, Table, Toc
from ..documents import Composed
from ..pipeline import Checked
from ..project import Project
from ..text import cldr_locale, format_date, format_money, format_percent, format_value
from ..wording import fixed_string
from .model import Answer
from .score import Evaluation, TenderScore
from .validate import show

# ------------------------------------------------------------------------------------------ report


def report_inputs(ev: Evaluation, checked: Checked, questionnaire: Composed) -> dict[str, Any]:
    """Everything ``word.report.render_report`` needs: template, context, blocks, properties.

    The context is the questionnaire's (every variable templates/README.md documents), with its own
    ``doc``: a customised evaluation template may use the same variables as the other templates.
    """
    project = checked.project
    resolved = checked.resolved[ev.profile].profile
    lang = str(questionnaire.context.get("doc", {}).get("language") or resolved.language)  # the questionnaire's

    def w(key: str, **values: Any) -> str:
        return fixed_string(project, key, lang, **values)

    category_name = str(questionnaire.context["category"]["name"])
    level = questionnaire.spec.level
    doc_id = f"{ev.profile}-{ev.category}-{level}-evaluation"
    doc = {
        "id": doc_id,
        "kind": "evaluation",
        "edition": "internal",
        "edition_name": w("report.edition"),
        "level": level,
        "level_name": questionnaire.context["doc"]["level_name"],
        "title": w("report.title"),
        "subtitle": w("report.subtitle"),
        "language": lang,
    }
    pack = {**ev.pack, "date": format_date(ev.pack["date"], lang)}  # the release the questionnaires were issued from
    label = {
        **questionnaire.context.get("label", {}),
        "pack": w("cover.pack", version=pack["version"], date=pack["date"], edition=doc["edition_name"]),
        "document": w("cover.document", id=doc_id),
        "version": w("header.version", version=pack["version"], level=doc["level_name"], edition=doc["edition_name"]),
    }
    context = {**questionnaire.context, "doc": doc, "pack": pack, "label": label}
    builder = _ReportBuilder(ev, resolved.printed(resolved.name, lang), category_name, project, lang)
    builder.labels = dict((questionnaire.identity or {}).get("labels") or {})
    blocks, headings = builder.build()
    template = project.templates_dir / "evaluation.docx"
    if not template.is_file():
        template = project.templates["questionnaire"]
    return {
        "template": template,
        "context": context,
        "toc": Toc(w("toc.title"), headings),
        "blocks": blocks,
        "title": w("report.file-title", category=category_name),
        "subject": resolved.name,
        "author": resolved.authority.name or "",
        "fill_ins": [(f.id, f.label, f.placeholder, f.value) for f in questionnaire.fill_ins],
        "identifier": doc_id,
        "language": lang,
        "when": checked.when,
        "custom": {
            "tenderpack.document": doc_id,
            "tenderpack.kind": "evaluation",
            "tenderpack.profile": ev.profile,
            "tenderpack.category": ev.category,
            "tenderpack.level": level,
            "tenderpack.pack-version": ev.pack["version"],
            "tenderpack.questions-hash": ev.questions_hash,
            "tenderpack.identity-sha256": ev.identity_sha256,
        },
        "provenance": {
            "document": {
                "id": doc_id,
                "kind": "evaluation",
                "profile": ev.profile,
                "category": ev.category,
                "level": level,
                "questionnaire": ev.document,
                "pack-version": ev.pack["version"],
                "pack-date": ev.pack["date"],
                "questions-hash": ev.questions_hash,
                "identity-sha256": ev.identity_sha256,
                "tool-version": __version__,
            },
            "tenders": [
                {
                    "file": Path(t.response.file).name,
                    "sha256": t.response.sha256,
                    "tenderer": t.response.name,
                    "rank": str(t.rank or ""),
                    "total": f"{t.total:.2f}",
                    "compliant": str(t.compliant).lower(),
                }
                for t in ev.tenders
            ],
        },
    }


class _ReportBuilder:
    """The evaluation report as blocks (numbered like the other documents)."""

    def __init__(self, ev: Evaluation, profile_name: str, category_name: str, project: Project, lang: str):
        self.project = project
        self.lang = lang
        self.ev = ev
        self.profile_name = profile_name
        self.category_name = category_name
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.section = 0
        self.sub = 0
        self.labels: dict[str, Any] = {}  # what the questionnaire printed (its identity's labels)

    def heading(self, text: str, level: int) -> None:
        if level == 1:
            self.section += 1
            self.sub = 0
            number = f"{self.section}."
        else:
            self.sub += 1
            number = f"{self.section}.{self.sub}"
        h = Heading(text, level, number)
        self.blocks.append(h)
        self.headings.append(h)

    def w(self, key: str, **values: Any) -> str:
        """A fixed string of the report in its language (clauses/strings.yaml report.*)."""
        return fixed_string(self.project, key, self.lang, **values)

    def columns(self, key: str) -> list[str]:
        return [c.strip() for c in self.w(key).split("|")]

    def pts(self, value: float) -> str:
        """Points with two decimals, as the report's language writes them (48.00, 48,00)."""
        return str(format_decimal(value, "#,##0.00", locale=cldr_locale(self.lang)))

    def para(self, *runs: Run, style: str = "BodyText") -> None:
        self.blocks.append(Paragraph(list(runs), style))

    def build(self) -> tuple[list[Block], list[Heading]]:
        self.summary()
        self.method()
        self.heading(self.w("report.tenders"), 1)
        for t in self.ev.tenders:
            self.tender(t)
        self.problems()
        return self.blocks, self.headings

    def summary(self) -> None:
        ev = self.ev
        self.heading(self.w("report.summary"), 1)
        self.para(Run(self.w(
            "report.summary.text", count=len(ev.tenders), document=ev.document, profile=self.profile_name,
            category=self.category_name, version=ev.pack["version"], date=ev.pack["date"],
            hash=ev.questions_hash[:16], identity=ev.identity_sha256[:16],
            maximum=show(round(sum(ev.maxima.values()), 2)),
        )))  # fmt: skip
        crit_ids = list(ev.criteria)
        before, after = (part.split("|") for part in self.w("report.table.summary").split("||"))
        header = [
            *(c.strip() for c in before),
            *(f"{ev.criteria[c][0]} ({format_value(ev.criteria[c][1], self.lang)})" for c in crit_ids),
            *(c.strip() for c in after),
        ]
        rows = []
        for t in ev.tenders:
            rows.append(
                [
                    Cell([Run(str(t.rank) if t.rank else "—")]),
                    Cell([Run(t.response.name)]),
                    *(Cell([Run(self.pts(t.by_criterion[c]))]) for c in crit_ids),
                    Cell([Run(self.pts(t.total), bold=True)]),
                    Cell([Run(format_value(t.compliant, self.lang))]),
                ]
            )
        self.blocks.append(Table(header, rows, _widths(9638, [700, 2400], len(crit_ids), [1000, 1100])))
        for t in ev.tenders:
            if not t.compliant:
                self.para(Run(self.w("report.not-compliant", name=t.response.name), bold=True), Run("; ".join(t.failures) + "."))

    def method(self) -> None:
        ev = self.ev
        self.heading(self.w("report.method"), 1)
        self.para(Run(self.w("report.method.text")))
        rows = []
        for q in ev.questions:
            s = q["scoring"]
            if not s:
                continue
            crit = ev.criteria.get(s["criterion"] or "", ("—", 0.0))[0] if s["criterion"] else "—"
            maximum = self.w("scoring.pass-fail") if s["rule"] == "pass-fail" else self.pts(ev.maxima.get(q["id"], 0.0))
            rows.append(
                [
                    Cell([Run(q["ref"] + "\n"), Run(q["id"], italic=True)]),
                    Cell([Run(ev.texts.get(q["id"], q["text"]))]),
                    Cell([Run(crit)]),
                    Cell([Run(self.w(f"scoring.rule.{s['rule']}"))]),
                    Cell([Run(maximum)]),
                ]
            )
        rows.append(
            [
                Cell([Run(self.w("table.total"), bold=True)]),
                Cell(),
                Cell(),
                Cell(),
                Cell([Run(self.pts(sum(ev.maxima.values())), bold=True)]),
            ]
        )
        self.blocks.append(
            Table(self.columns("report.table.method"), rows, [1300, 4238, 1600, 1300, 1200])
        )
        for w in ev.warnings:
            self.para(Run(self.w("report.note"), bold=True), Run(w))

    def tender(self, t: TenderScore) -> None:
        r = t.response
        self.heading(r.name, 2)
        s = r.supplier
        details = [self.w("report.file", name=Path(r.file).name), f"SHA-256: {r.sha256[:16]}…"]
        details += [
            f"{self.w('report.' + key)}: {s[key]}"
            for key in ("contact", "email", "date")
            if s.get(key)
        ]
        self.para(Run(" · ".join(details)))
        if t.compliant:
            self.para(
                Run(self.w("report.result"), bold=True),
                Run(self.w("report.result.ranked", rank=t.rank, total=self.pts(t.total), maximum=self.pts(sum(self.ev.maxima.values())))),
            )
        else:
            self.para(
                Run(self.w("report.result"), bold=True),
                Run(self.w("report.result.rejected", failures="; ".join(t.failures), total=self.pts(t.total))),
            )
        rows = []
        for a in r.answers.values():
            p = t.points.get(a.id)
            if p is None:
                pts = "—"
            elif p.rule == "pass-fail":
                pts = self.w(f"report.{p.note}") if p.note in ("pass", "fail") else p.note
            else:
                pts = self.w("report.points", points=self.pts(p.points), maximum=self.pts(p.maximum))
            answer_runs = [Run(self.value(a))]
            if a.problems:
                answer_runs.append(Run("\n" + "; ".join(a.problems), italic=True))
            rows.append(
                [
                    Cell([Run(a.ref + "\n"), Run(a.id, italic=True)]),
                    Cell(answer_runs),
                    Cell([Run(a.evidence or "—")]),
                    Cell([Run(pts)]),
                ]
            )
        self.blocks.append(Table(self.columns("report.table.answers"), rows, [1300, 3838, 3100, 1400]))

    def value(self, a: Answer) -> str:
        """An answer as the report's language writes it: CLDR numbers, percentages and amounts, yes and no
        and the options as the questionnaire showed them."""
        if a.value is None:
            return self.w("report.no-answer")
        if isinstance(a.value, bool):
            return self.w("answer.yes" if a.value else "answer.no")
        if a.type == "percent":
            return format_percent(a.value, self.lang)
        if a.type == "choice":
            return str(self.labels.get("options", {}).get(a.id, {}).get(a.value, a.value))
        if a.type in ("integer", "number") and a.unit == "currency" and self.ev.currency:
            return format_money(a.value, self.ev.currency, self.lang)
        if a.type in ("integer", "number"):
            unit = self.labels.get("units", {}).get(a.unit or "", a.unit)
            return format_value(a.value, self.lang) + (f" {unit}" if unit else "")
        return show(a.value)

    def problems(self) -> None:
        found = [(t.response, p) for t in self.ev.tenders for p in t.response.problems()]
        if not found:
            return
        self.heading(self.w("report.problems"), 1)
        rows = [[Cell([Run(r.name)]), Cell([Run(p.key or "—")]), Cell([Run(p.message)])] for r, p in found]
        self.blocks.append(Table(self.columns("report.table.problems"), rows, [2600, 2400, 4638]))


def _widths(total: int, fixed_left: list[int], n: int, fixed_right: list[int]) -> list[int]:
    rest = total - sum(fixed_left) - sum(fixed_right)
    each = rest // max(n, 1)
    middle = [each] * n
    if middle:
        middle[-1] += rest - each * n
    else:
        fixed_left[-1] += rest
    return [*fixed_left, *middle, *fixed_right]
