"""Category limits in clause text: ``[only: ...]`` and ``[not: ...]`` (tenderpack.limits, text, checks)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from tenderpack.blocks import ListItem, Paragraph, Run, Table, text_of
from tenderpack.limits import limit_plain, protect
from tenderpack.pipeline import Filters, check, compose_all
from tenderpack.text import render, to_blocks


def blocks(source: str, category: str | None, values: dict[str, object] | None = None) -> list[str]:
    return [b.text for b in to_blocks(render(source, values or {}), key="k", category=category)]


def test_only_keeps_a_sentence_in_the_categories_named() -> None:
    source = "All devices. [only: mobile-devices, computers] Portable ones have a battery. All are labelled."
    assert blocks(source, "mobile-devices") == ["All devices. Portable ones have a battery. All are labelled."]
    assert blocks(source, "computers") == ["All devices. Portable ones have a battery. All are labelled."]
    assert blocks(source, "servers") == ["All devices. All are labelled."]


def test_not_removes_a_sentence_from_the_categories_named() -> None:
    source = "[not: servers] Each device is portable.\nEach device is labelled."
    assert blocks(source, "servers") == ["Each device is labelled."]
    assert blocks(source, "computers") == ["Each device is portable. Each device is labelled."]


def test_a_sentence_ends_at_a_full_stop_before_a_capital_letter_only() -> None:
    source = "[only: imaging] Toner, e.g. black toner, is collected. Paper is recycled."
    assert blocks(source, "computers") == ["Paper is recycled."]


def test_a_paragraph_whose_sentences_all_go_disappears() -> None:
    assert blocks("First.\n\n[only: imaging] Only toner.\n\nLast.", "computers") == ["First.", "Last."]


def test_a_list_item_goes_with_its_nested_items() -> None:
    source = "Parts:\n\n- [only: computers] notebooks:\n  - battery\n  - keyboard\n- [only: monitors] stand\n- cables\n"
    kept = to_blocks(render(source, {}), key="k", category="monitors")
    assert [(b.text, b.level) for b in kept if isinstance(b, ListItem)] == [("stand", 0), ("cables", 0)]
    kept = to_blocks(render(source, {}), key="k", category="computers")
    assert [(b.text, b.level) for b in kept if isinstance(b, ListItem)] == [
        ("notebooks:", 0), ("battery", 1), ("keyboard", 1), ("cables", 0),
    ]  # fmt: skip


def test_emphasis_survives_and_no_category_keeps_everything() -> None:
    source = "**Bold.** [only: imaging] *Toner only.* Plain."
    assert to_blocks(render(source, {}), category="computers") == [Paragraph([Run("Bold.", bold=True), Run(" Plain.")])]
    assert blocks(source, None) == ["Bold. Toner only. Plain."]


def test_a_value_that_reads_like_a_limit_is_printed_not_obeyed() -> None:
    source = "Buyer: {{ name }}. Next."
    assert blocks(source, "computers", {"name": "[not: computers] Smith"}) == ["Buyer: [not: computers] Smith. Next."]
    assert limit_plain(render("Q {{ v }}? A.", {"v": "[only: x]"}, markup=False), "computers") == "Q [only: x]? A."


def test_plain_texts_are_limited_by_sentence() -> None:
    text = protect("Is it compliant? [only: mobile-devices] A case may be used. Give the model.")
    assert limit_plain(text, "computers") == "Is it compliant? Give the model."
    assert limit_plain(text, "mobile-devices") == "Is it compliant? A case may be used. Give the model."


# ---------------------------------------------------------------------------------------------- rows

LIMITED_CLAUSE = """\
id: cpc.spare-parts
title: Availability of spare parts
version: 3
status: approved
type: contract-performance-clause
stage: contract-management
level: core
categories: [computers, mobile-devices]
parameters:
  years:
    type: integer
    unit: years
    min: 3
    max: 10
    default: {core: 3, comprehensive: 5}
    doc: Years after delivery during which spare parts remain available.
    distinct: The availability period of spare parts, not the evaluation period of the life-cycle cost.
text: |
  The {{ Contractor }} shall keep the spare parts listed in the Specification available for {{ years }} years
  after the delivery of the last unit under the Contract ({{ legal.performance }}).
  [only: mobile-devices] The list includes the back cover of each smartphone.
verification: Spare-parts policy of the manufacturer.
guidance: The EU profile raises this for phones.
references: [eu-gpp-computers-2021, itu-t-l1061]
questions:
  - id: spare-parts-years
    text: "For how many years after delivery will spare parts be available (at least {{ years }})?"
    answer: {type: integer, unit: years}
    scoring: {rule: pass-fail, threshold: "{{ years }}"}
  - id: spare-parts-cover
    text: "[only: mobile-devices] Is a back cover available for every offered smartphone?"
    answer:
      type: choice
      options: [yes, "[only: mobile-devices] no, the back is glued", no]
kpis:
  - id: parts-fill-rate
    name: Spare-part orders delivered on time
    formula: orders delivered on time / orders placed
    evidence: Order and delivery records
    frequency: quarterly
    target: ">= 95 %"
  - id: parts-cover-rate
    name: "[only: mobile-devices] Back covers delivered on time"
    formula: back covers delivered on time / back covers ordered
    evidence: Order and delivery records
    frequency: quarterly
    target: ">= 95 %"
"""


def composed_text(project: Path, category: str, kind: str) -> tuple[str, list[dict[str, object]]]:
    checked = check(project)
    filters = Filters(profiles=("fr",), categories=(category,), kinds=(kind,), editions=("drafting",), levels=("core",))
    (doc,) = list(compose_all(checked, filters))
    return "\n".join(text_of(b) for b in doc.blocks), doc.questions


def test_a_question_row_and_an_option_are_limited(project: Path) -> None:
    write(project / "clauses/core/cpc.spare-parts.yaml", LIMITED_CLAUSE)
    text, questions = composed_text(project, "computers", "questionnaire")
    assert "spare-parts-cover" not in text and [q["id"] for q in questions if q["clause"] == "cpc.spare-parts"] == [
        "spare-parts-years"
    ]
    text, questions = composed_text(project, "mobile-devices", "questionnaire")
    cover = next(q for q in questions if q["id"] == "spare-parts-cover")
    assert cover["text"] == "Is a back cover available for every offered smartphone?"
    assert cover["options"] == ["yes", "no, the back is glued", "no"]
    assert "[spare-parts-cover]" in text


def test_a_kpi_row_and_a_sentence_of_the_annex_are_limited(project: Path) -> None:
    write(project / "clauses/core/cpc.spare-parts.yaml", LIMITED_CLAUSE)
    computers, _ = composed_text(project, "computers", "annex")
    mobile, _ = composed_text(project, "mobile-devices", "annex")
    assert "Spare-part orders delivered on time" in computers and "Back covers" not in computers
    assert "back cover of each smartphone" not in computers and "[only" not in computers
    assert "Back covers delivered on time | back covers delivered on time" in mobile
    assert "The list includes the back cover of each smartphone." in mobile


def test_the_table_of_kpis_keeps_its_shape(project: Path) -> None:
    write(project / "clauses/core/cpc.spare-parts.yaml", LIMITED_CLAUSE)
    checked = check(project)
    filters = Filters(profiles=("fr",), categories=("computers",), kinds=("annex",), editions=("issue",), levels=("core",))
    (doc,) = list(compose_all(checked, filters))
    kpi_tables = [b for b in doc.blocks if isinstance(b, Table) and b.header[0] == "KPI"]
    assert kpi_tables and all(len(row) == 5 for t in kpi_tables for row in t.rows)


# -------------------------------------------------------------------------------------------- checks


def limited(text_lines: str, **extra: str) -> str:
    clause = LIMITED_CLAUSE.replace(
        "  [only: mobile-devices] The list includes the back cover of each smartphone.\n", text_lines
    )
    for old, new in extra.items():
        clause = clause.replace(old, new)
    return clause


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("  [only: mobile-device] The list includes the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: unknown category 'mobile-device' in "
         "[only: mobile-device] (did you mean 'mobile-devices'?)"),
        ("  [not: printers] The list includes the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: unknown category 'printers' in [not: printers] "
         "(known: computers, mobile-devices, end-of-life)"),
        ("  [only: end-of-life] The list includes the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: [only: end-of-life] names 'end-of-life', which "
         "clause cpc.spare-parts does not apply to (its categories: computers, mobile-devices)"),
        ("  [only: computers, mobile-devices] The list includes the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: [only: computers, mobile-devices] keeps it in every "
         "category of clause cpc.spare-parts: drop the limit"),
        ("  The list includes [only: mobile-devices] the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: [only: mobile-devices] must start a sentence, a list "
         "item or a table row"),
        ("  [Only mobile-devices] The list includes the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: [Only mobile-devices] is not a category limit: "
         "write [only: category, ...] or [not: category, ...]"),
        ("  [only: ] The list includes the back cover.\n",
         "Error: clauses/core/cpc.spare-parts.yaml:21: text: [only: ] names no category"),
    ],
)  # fmt: skip
def test_limits_are_checked_at_file_and_line(project: Path, cli, lines: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    write(project / "clauses/core/cpc.spare-parts.yaml", limited(lines))
    result = cli("check", "--project", project, expect=1)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [expected, "Error: 1 problem found."]


def test_a_limit_where_it_has_no_effect_is_an_error(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    clause = limited("", **{"title: Availability of spare parts": 'title: "[only: computers] Spare parts"'})
    write(project / "clauses/core/cpc.spare-parts.yaml", clause)
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines()[0] == (
        "Error: clauses/core/cpc.spare-parts.yaml:2: title: [only: computers]: a category limit has no effect here "
        "(it works in texts, verification, guidance, questions, answer options and KPIs)"
    )


def test_a_limited_question_in_a_row_checks_its_category(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    clause = limited("", **{'"[only: mobile-devices] Is a back cover': '"[only: mobile-phones] Is a back cover'})
    write(project / "clauses/core/cpc.spare-parts.yaml", clause)
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines()[0] == (
        "Error: clauses/core/cpc.spare-parts.yaml:30: questions.1.text: unknown category 'mobile-phones' in "
        "[only: mobile-phones] (did you mean 'mobile-devices'?)"
    )


def test_a_sentence_limit_in_a_row_kept_to_other_categories_is_an_error(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """The first limit of a question limits the whole row: a later sentence for another category never shows."""
    clause = limited("", **{'"[only: mobile-devices] Is a back cover':
                            '"[only: computers] Is a keyboard listed? [only: mobile-devices] Is a back cover'})  # fmt: skip
    write(project / "clauses/core/cpc.spare-parts.yaml", clause)
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines() == [
        "Error: clauses/core/cpc.spare-parts.yaml:30: questions.1.text: [only: mobile-devices] can never show: it "
        "stands in a row that [only: computers] keeps to other categories (the first limit of a question, KPI or "
        "option limits the whole row; split the row, or start it with text for every category)",
        "Error: 1 problem found.",
    ]
