"""The Word evaluation report of a scored set of tenders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import __version__
from ..blocks import Block, Cell, Heading, Paragraph, Run, Table, Toc
from ..documents import Composed
from ..pipeline import Checked
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
    category_name = str(questionnaire.context["category"]["name"])
    doc_id = f"{ev.profile}-{ev.category}-evaluation"
    doc = {
        "id": doc_id,
        "kind": "evaluation",
        "edition": "internal",
        "edition_name": "Confidential",
        "title": "Evaluation report",
        "subtitle": "Scores of the supplier questionnaires",
    }
    label = {  # the report is in English (its translation is still to come): so are its cover lines
        **questionnaire.context.get("label", {}),
        "pack": f"Pack version {ev.pack['version']} of {ev.pack['date']} · {doc['edition_name']}",
        "document": f"Document {doc_id}",
        "version": f"Version {ev.pack['version']} · {doc['edition_name']}",
        "page": "Page", "of": "of",
    }  # fmt: skip
    context = {**questionnaire.context, "doc": doc, "pack": dict(ev.pack), "label": label}
    blocks, headings = _ReportBuilder(ev, resolved.name, category_name).build()
    template = project.templates_dir / "evaluation.docx"
    if not template.is_file():
        template = project.templates["questionnaire"]
    return {
        "template": template,
        "context": context,
        "toc": Toc("Contents", headings),
        "blocks": blocks,
        "title": f"Evaluation report — {category_name}",
        "subject": resolved.name,
        "author": resolved.authority.name,
        "identifier": doc_id,
        "language": resolved.language,
        "when": checked.when,
        "custom": {
            "tenderpack.document": doc_id,
            "tenderpack.kind": "evaluation",
            "tenderpack.profile": ev.profile,
            "tenderpack.category": ev.category,
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

    def __init__(self, ev: Evaluation, profile_name: str, category_name: str):
        self.ev = ev
        self.profile_name = profile_name
        self.category_name = category_name
        self.blocks: list[Block] = []
        self.headings: list[Heading] = []
        self.section = 0
        self.sub = 0

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

    def para(self, *runs: Run, style: str = "BodyText") -> None:
        self.blocks.append(Paragraph(list(runs), style))

    def build(self) -> tuple[list[Block], list[Heading]]:
        self.summary()
        self.method()
        self.heading("Tenders", 1)
        for t in self.ev.tenders:
            self.tender(t)
        self.problems()
        return self.blocks, self.headings

    def summary(self) -> None:
        ev = self.ev
        self.heading("Summary", 1)
        n = len(ev.tenders)
        self.para(
            Run(
                f"{n} tender{'s' if n != 1 else ''} answered the supplier questionnaire {ev.document} "
                f"(profile {self.profile_name}, category {self.category_name}, pack version {ev.pack['version']} "
                f"of {ev.pack['date']}; questions hash {ev.questions_hash[:16]}, identity sha256 {ev.identity_sha256[:16]}). Points are awarded per question "
                "as set out in section 2; the maximum total is "
                f"{show(round(sum(ev.maxima.values()), 2))} points."
            )
        )
        crit_ids = list(ev.criteria)
        header = [
            "Rank",
            "Tenderer",
            *(f"{ev.criteria[c][0]} ({show(ev.criteria[c][1])})" for c in crit_ids),
            "Total",
            "Compliant",
        ]
        rows = []
        for t in ev.tenders:
            rows.append(
                [
                    Cell([Run(str(t.rank) if t.rank else "—")]),
                    Cell([Run(t.response.name)]),
                    *(Cell([Run(f"{t.by_criterion[c]:.2f}")]) for c in crit_ids),
                    Cell([Run(f"{t.total:.2f}", bold=True)]),
                    Cell([Run("yes" if t.compliant else "no")]),
                ]
            )
        self.blocks.append(Table(header, rows, _widths(9638, [700, 2400], len(crit_ids), [1000, 1100])))
        for t in ev.tenders:
            if not t.compliant:
                self.para(Run(f"{t.response.name} is not compliant: ", bold=True), Run("; ".join(t.failures) + "."))

    def method(self) -> None:
        ev = self.ev
        self.heading("Award criteria and scoring", 1)
        self.para(
            Run(
                "Each award criterion's weight is shared among the questions that feed it, in proportion to "
                "their weights. No answer, or an invalid one, scores zero. For the lowest-best rule the lowest "
                "valid answer among the compliant tenders earns full points and the others points in proportion. "
                "A pass/fail question earns no points; failing it makes the tender non-compliant."
            )
        )
        rows = []
        for q in ev.questions:
            s = q["scoring"]
            if not s:
                continue
            crit = ev.criteria.get(s["criterion"] or "", ("—", 0.0))[0] if s["criterion"] else "—"
            maximum = "pass/fail" if s["rule"] == "pass-fail" else f"{ev.maxima.get(q['id'], 0.0):.2f}"
            rows.append(
                [
                    Cell([Run(q["ref"] + "\n"), Run(q["id"], italic=True)]),
                    Cell([Run(ev.texts.get(q["id"], q["text"]))]),
                    Cell([Run(crit)]),
                    Cell([Run(s["rule"])]),
                    Cell([Run(maximum)]),
                ]
            )
        rows.append(
            [
                Cell([Run("Total", bold=True)]),
                Cell(),
                Cell(),
                Cell(),
                Cell([Run(f"{sum(ev.maxima.values()):.2f}", bold=True)]),
            ]
        )
        self.blocks.append(
            Table(["Ref", "Question", "Criterion", "Rule", "Max. points"], rows, [1300, 4238, 1600, 1300, 1200])
        )
        for w in ev.warnings:
            self.para(Run("Note: ", bold=True), Run(w))

    def tender(self, t: TenderScore) -> None:
        r = t.response
        self.heading(r.name, 2)
        s = r.supplier
        details = [f"File: {Path(r.file).name}", f"SHA-256: {r.sha256[:16]}…"]
        details += [
            f"{label}: {s[key]}"
            for key, label in (("contact", "Contact"), ("email", "E-mail"), ("date", "Date of the answers"))
            if s.get(key)
        ]
        self.para(Run(" · ".join(details)))
        if t.compliant:
            self.para(
                Run("Result: ", bold=True),
                Run(f"rank {t.rank}, {t.total:.2f} of {sum(self.ev.maxima.values()):.2f} points."),
            )
        else:
            self.para(
                Run("Result: ", bold=True),
                Run("not compliant — " + "; ".join(t.failures) + f". Points for information: {t.total:.2f}."),
            )
        rows = []
        for a in r.answers.values():
            p = t.points.get(a.id)
            if p is None:
                pts = "—"
            elif p.rule == "pass-fail":
                pts = p.note
            else:
                pts = f"{p.points:.2f} of {p.maximum:.2f}"
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
        self.blocks.append(Table(["Ref", "Answer", "Evidence", "Points"], rows, [1300, 3838, 3100, 1400]))

    def value(self, a: Answer) -> str:
        if a.value is None:
            return "no answer"
        if a.type == "percent":
            return f"{show(a.value)} %"
        unit = self.ev.currency if a.unit == "currency" else a.unit
        return show(a.value) + (f" {unit}" if unit and a.type in ("integer", "number") else "")

    def problems(self) -> None:
        found = [(t.response, p) for t in self.ev.tenders for p in t.response.problems()]
        if not found:
            return
        self.heading("Problems in the answers", 1)
        rows = [[Cell([Run(r.name)]), Cell([Run(p.key or "—")]), Cell([Run(p.message)])] for r, p in found]
        self.blocks.append(Table(["Tenderer", "Question", "Problem"], rows, [2600, 2400, 4638]))


def _widths(total: int, fixed_left: list[int], n: int, fixed_right: list[int]) -> list[int]:
    rest = total - sum(fixed_left) - sum(fixed_right)
    each = rest // max(n, 1)
    middle = [each] * n
    if middle:
        middle[-1] += rest - each * n
    else:
        fixed_left[-1] += rest
    return [*fixed_left, *middle, *fixed_right]
