"""Stage 1: the YAML loader (safe, line numbers, no YAML 1.1 surprises)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderpack.errors import Collector
from tenderpack.loading import load_yaml, parse_yaml


def load(tmp_path: Path, content: bytes | str) -> tuple[object, list[str]]:
    path = tmp_path / "f.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    problems = Collector(tmp_path)
    yfile = load_yaml(path, problems)
    return (yfile.data if yfile else None), [str(p) for p in problems.problems]


def test_yaml_11_traps_keep_what_the_author_wrote(tmp_path: Path) -> None:
    data, problems = load(tmp_path, "code: NO\nversion: 1.10\nwhen: 2025-01-01\nflag: yes\noctal: 010\nnull: ~\n")
    assert problems == []
    assert data == {"code": "NO", "version": "1.10", "when": "2025-01-01", "flag": "yes", "octal": "010", "null": "~"}


def test_line_of_every_value() -> None:
    _, lines = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n")
    assert lines[("a", "b")] == 2
    assert lines[("a", "c", 1)] == 5


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert problems == ["f.yaml:3: a: duplicate key (first defined on line 1)"]


def test_python_tags_are_refused(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "a: !!python/object/apply:os.system ['echo hi']\n")
    assert problems == ["f.yaml:1: a: the tag !!python/object/apply:os.system is not allowed (tenderpack reads plain data only)"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a:\n\tb: 1\n", "f.yaml:2: column 1: a tab character is used for indentation; indent with spaces"),
        ("a:\n  b: 1\n  \tc: 2\n", "f.yaml:3: column 3: a tab character is used for indentation; indent with spaces"),
        ("a: [1, 2\nb: 3\n", "f.yaml:1: column 4: the '[' here is not closed with ']' (or two of its items lack a ',' between them)"),
        ("a: {b: 1\nc: 3\n", "f.yaml:1: column 4: the '{' here is not closed with '}' (or two of its items lack a ',' between them)"),
        ("id: x\nname A\nb: 1\n", "f.yaml:2: column 1: a ':' is missing: write 'key: value' (a space after the ':'), or '- item' for a list item"),
        ('id: x\nname: "Bad\nb: 1\n', 'f.yaml:2: column 7: the quoted text that starts here is never closed: add the closing " (or remove the opening one)'),
        ("id: x\nname: 'Bad\nb: 1\n", "f.yaml:2: column 7: the quoted text that starts here is never closed: add the closing ' (or remove the opening one)"),
        ('id: x\nname: "a" b\n', "f.yaml:2: column 11: text follows a closing quote: put the whole value in quotes of the other kind, or check for a quote left open above"),
        ("a:\n  b: 1\n c: 2\n", "f.yaml:3: column 2: this line is not indented like the lines above: the keys of one mapping start in the same column"),
        ("a:\n  - 1\n - 2\n", "f.yaml:3: column 2: this list item is not indented like the items above: the items of one list start in the same column"),
        ("a:\n  b: 1\n    c: 2\n", "f.yaml:3: column 6: unexpected ':': this line is indented deeper than the key above it, or a value holding ': ' needs quotes"),
        ("a: b: c\n", "f.yaml:1: column 5: unexpected ':': this line is indented deeper than the key above it, or a value holding ': ' needs quotes"),
        ("a: - b\n", "f.yaml:1: column 4: a list item ('- ') cannot follow its key on the same line: start it on the next line, indented"),
    ],
)
def test_syntax_errors_in_plain_words_with_line_and_column(tmp_path: Path, content: str, message: str) -> None:
    """The loader owns these messages: the same on every PyYAML/libyaml version (CI runs them on two)."""
    assert load(tmp_path, content) == (None, [message])


def test_nesting_limit_is_ours_whatever_libyaml_allows(tmp_path: Path) -> None:
    """Newer libyaml builds stop deep flow nesting themselves, with another message and line: ours wins."""
    assert load(tmp_path, "id: x\nnotes: " + "[" * 5000 + "]" * 5000 + "\n") == (
        None, ["f.yaml:2: notes: values are nested more than 32 levels deep"])  # fmt: skip
    # one bracket per line: the line named is that of the first value too deep , not libyaml's 1,000th
    assert load(tmp_path, "id: x\nnotes:\n" + "  [\n" * 2000 + "  " + "]" * 2000 + "\n") == (
        None, ["f.yaml:34: notes: values are nested more than 32 levels deep"])  # fmt: skip
    block = "id: x\n" + "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v: 1\n"
    assert load(tmp_path, block) == (None, ["f.yaml:34: k0: values are nested more than 32 levels deep"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "f.yaml: the file is empty"),
        ("# only a comment\n", "f.yaml: the file is empty"),
        ("- a\n- b\n", "f.yaml:1: the file must hold a mapping at the top"),
        (b"a: caf\xe9\n", "f.yaml:1: the file is not valid UTF-8 text (byte 0xE9); save it as UTF-8"),
        ("\ufeffa: 1\n".encode("utf-16"), "f.yaml: the file is UTF-16 encoded; save it as UTF-8"),
        ('a: "bell\\a"\n', "f.yaml:1: a: contains the control character U+0007 (BELL), which cannot appear in a document"),
        ('a: "page\\f"\n', "f.yaml:1: a: contains the control character U+000C (FORM FEED), which cannot appear in a document"),
    ],
)
def test_bad_files(tmp_path: Path, content: str | bytes, message: str) -> None:
    data, problems = load(tmp_path, content)
    assert data is None
    assert problems == [message]


def test_utf8_byte_order_mark_is_harmless(tmp_path: Path) -> None:
    data, problems = load(tmp_path, "\ufeffa: 1\n".encode())
    assert (data, problems) == ({"a": "1"}, [])


def test_enormous_file_is_refused(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "a: " + "x" * (1024 * 1024 + 10) + "\n")
    assert problems == ["f.yaml: file is 1,048,590 bytes; the limit is 1,048,576 bytes"]


def test_yaml_11_traps_keep_the_authors_meaning_through_the_models(project: Path) -> None:
    """Not errors: each value means what its author wrote (YAML 1.1 would read False, 1.1, 8, a date)."""
    from tenderpack.pipeline import load_checked

    (project / "profiles" / "no.yaml").write_text(
        "id: no\nname: yes\nextends: itu\njurisdiction: NO\nlanguage: no\nlast_verified: 2025-01-01\n"
        "legal:\n  ewaste_epr: {text: 1.10, verified: NO}\n  lcc: {text: Article 68, verified: yes}\n"
        "parameters:\n  cpc.spare-parts.years: 010\n",
        encoding="utf-8",
    )
    from tenderpack.selection import parameter_values

    checked = load_checked(project)
    profile = checked.resolved["no"].profile
    # the profile texts are in the file's language ('no', Norwegian)
    assert (profile.name, profile.jurisdiction, profile.language, profile.last_verified) == ({"no": "yes"}, {"no": "NO"}, "no", "2025-01-01")
    assert (profile.legal["ewaste_epr"].text, profile.legal["ewaste_epr"].verified, profile.legal["lcc"].verified) == ({"no": "1.10"}, False, True)
    assert profile.parameters["cpc.spare-parts.years"] == "010"  # read as written; the parameter's type makes it 10
    assert parameter_values(checked.project.clauses["cpc.spare-parts"], profile, "computers", level="core")["years"].value == 10


def test_structure_that_plain_data_never_has_is_refused(tmp_path: Path) -> None:
    cases = {
        "a: &x [1]\nb: *x\n": "f.yaml:2: b: aliases (*x) are not supported: write the value out in full",
        "a: !!int 5\n": "f.yaml:1: a: the tag !!int is not allowed (tenderpack reads plain data only)",
        "a: 1\n---\nb: 2\n": "f.yaml:2: the file holds more than one YAML document (a second '---')",
        "a: " + "[" * 40 + "]" * 40 + "\n": "f.yaml:1: a: values are nested more than 32 levels deep",
        "a: b\x07c\n": "f.yaml:1: a: contains the control character U+0007 (BELL), which cannot appear in a document",
        "a: x\nb: {{ y }}\n": "f.yaml:2: b: text that starts with '{' is read as a mapping: put the text in quotes",
    }
    for content, message in cases.items():
        assert load(tmp_path, content) == (None, [message]), content
