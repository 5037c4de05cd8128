"""Stage 5: clause text — sandboxed substitution, escaping, markup → blocks."""

from __future__ import annotations

import pytest

from tenderpack.blocks import ListItem, Paragraph, Run
from tenderpack.text import TextError, render, to_blocks, variables


def test_values_are_printed_literally_even_with_markup_characters() -> None:
    out = render("Buyer: {{ name }}", {"name": 'Smith & Sons <EU> "Ltd" *not bold* 1. [x]'})
    blocks = to_blocks(out)
    assert blocks == [Paragraph([Run('Buyer: Smith & Sons <EU> "Ltd" *not bold* 1. [x]')])]


def test_markup_paragraphs_lists_and_emphasis() -> None:
    blocks = to_blocks("First **bold** and *italic*.\n\n- a\n- b\n\n1. one\n2. two\n", key="c")
    assert blocks[0] == Paragraph([Run("First "), Run("bold", bold=True), Run(" and "), Run("italic", italic=True), Run(".")])
    assert [(b.ordered, b.list_key, b.text) for b in blocks[1:] if isinstance(b, ListItem)] == [
        (False, "c#1", "a"), (False, "c#1", "b"), (True, "c#2", "one"), (True, "c#2", "two"),
    ]  # fmt: skip


def test_each_list_gets_its_own_key_so_numbering_restarts() -> None:
    blocks = to_blocks("1. a\n\ntext\n\n1. b\n", key="k")
    keys = [b.list_key for b in blocks if isinstance(b, ListItem)]
    assert keys == ["k#1", "k#2"]


def test_raw_html_is_text() -> None:
    assert to_blocks("<b>x</b> & y")[0].text == "<b>x</b> & y"


def test_variables() -> None:
    assert variables("{{ years }} and {{ legal.award }} {% if flag %}x{% endif %}") == {"years", "legal", "flag"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "unsafe expression refused: access to attribute '__class__' of 'str' object is unsafe."),
        ("{{ cycler.__init__.__globals__ }}", "unsafe expression refused: access to attribute '__init__' of 'StrictUndefined' object is unsafe."),
        ("{{ range(3) }}", "'range' is undefined"),
        ("{% include '/etc/passwd' %}", "{% include %} is not allowed in text"),
        ("{% import 'x' as y %}", "{% import %} is not allowed in text"),
        ("{% for x in y %}", "template error: Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'."),
        ("{{ missing }}", "'missing' is undefined"),
    ],
)
def test_sandbox_and_strictness(source: str, message: str) -> None:
    with pytest.raises(TextError) as info:
        render(source, {"y": [1]})
    assert info.value.message == message


def test_error_line_counts_from_the_text() -> None:
    with pytest.raises(TextError) as info:
        render("line one\nline two {{ nope }}\n", {})
    assert info.value.line == 2
