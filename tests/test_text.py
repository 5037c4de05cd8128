"""Stage 5: clause text — sandboxed substitution, escaping, markup → blocks."""

from __future__ import annotations

import pytest

from tenderpack.blocks import ListItem, Paragraph, Run
from tenderpack.text import TextError, check_syntax, render, to_blocks, variables


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

REFUSED = "unsafe expression refused: access to attribute"
WHY = "is not allowed (no name that starts with '_', no internal attribute)"


def test_raw_html_is_text() -> None:
    assert to_blocks("<b>x</b> & y")[0].text == "<b>x</b> & y"


def test_variables() -> None:
    assert variables("{{ years }} and {{ legal.award }} {% if flag %}x{% endif %}") == {"years", "legal", "flag"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", f"{REFUSED} '__class__' {WHY}"),
        ("{{ cycler.__init__.__globals__ }}", f"{REFUSED} '__init__' {WHY}"),
        ("{{ y['__class__'] }}", f"{REFUSED} '__class__' {WHY}"),
        ("{{ y | attr('__class__') }}", f"{REFUSED} '__class__' {WHY}"),
        ("{{ '{0.__class__}'.format(y) }}", f"{REFUSED} '__class__' {WHY}"),
        ("{{ '{0[_private]}'.format_map(y) }}", f"{REFUSED} '_private' {WHY}"),
        ("{{ y.mro() }}", f"{REFUSED} 'mro' {WHY}"),
        ("{{ y.gi_frame }}", f"{REFUSED} 'gi_frame' {WHY}"),
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


@pytest.mark.parametrize(
    ("source", "line", "name"),
    [
        ("{{ ''.__class__.__mro__ }}", 1, "__class__"),
        ("one\n\ntwo {{ x | attr('__globals__') }}", 3, "__globals__"),
        ("{% if a %}\n{{ '{0.__init__}'.format(1) }}\n{% endif %}", 2, "__init__"),
        ("{% for k in d %}{{ d[k]._x }}{% endfor %}", 1, "_x"),
    ],
)
def test_unsafe_attributes_are_found_without_rendering(source: str, line: int, name: str) -> None:
    """`check` lints every clause text with this, used by a profile or not: no values are needed."""
    with pytest.raises(TextError) as info:
        check_syntax(source)
    assert (info.value.line, info.value.message) == (line, f"{REFUSED} {name!r} {WHY}")


def test_safe_attributes_and_format_pass_the_lint() -> None:
    check_syntax("{{ authority.name }} {{ legal.award }} {{ '{0} years'.format(years) }} {{ d['key'] }} {{ x | attr('name') }}")


def test_error_line_counts_from_the_text() -> None:
    with pytest.raises(TextError) as info:
        render("line one\nline two {{ nope }}\n", {})
    assert info.value.line == 2
