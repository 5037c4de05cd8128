"""Read the project's YAML files safely, with a line number for every value.

The only module that imports ``yaml``. Every plain scalar is read as a string (no YAML 1.1 guessing: a
country code ``NO`` stays "NO", a version ``1.10`` stays "1.10", a date stays as written). The data is
built straight from the parser's events, never by PyYAML's constructor, so only plain mappings, lists and
strings can come out: explicit tags (``!!python/...``, ``!!int``, ``!!binary``), aliases (a few lines of
``*a`` can expand to billions of values), duplicate keys, more than one document and nesting deeper than
:data:`MAX_DEPTH` are refused, as are non-UTF-8 text and control characters (escaped or raw). Problems are
collected, never raised one at a time: the caller aborts once with all of them.

A key that starts with ``x-`` (``x-note: ask legal``), at any level, is the author's private note: it is
dropped here, so nothing else in tenderpack ever sees it (and an unknown key is otherwise an error).
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Collector

MAX_FILE_BYTES = 1024 * 1024  # a clause or profile is a few KiB; anything this large is a mistake
MAX_DEPTH = 32  # the deepest real value (a scoring band) is 5 levels down; libyaml's composer crashes near 100,000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
    0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
}  # fmt: skip
# Raw control characters make libyaml stop with a character offset and no key; each one is swapped for a
# private-use character (plane 15) before parsing, so that the value holding it can be named.
_STAND_IN = 0xF0000
_STAND_INS = re.compile("[\U000f0000-\U000f00ff]")
_PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_Parser = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader  # only its parser is used

Loc = tuple[str | int, ...]


@dataclass
class YamlFile:
    """A loaded YAML file: its data and the line of every value (by key path)."""

    path: Path
    rel: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc = ()) -> int:
        """Line of the value at ``loc``, or of its nearest parent that exists (a missing key)."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


def key_path(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


class YamlProblem(Exception):
    """A structural problem found while reading the events (a duplicate key, an alias, a tag, ...)."""

    def __init__(self, loc: Loc, line: int, message: str):
        super().__init__(message)
        self.loc = loc
        self.line = line
        self.message = message


@dataclass
class _Open:
    """A mapping or list being filled."""

    value: dict[str, Any] | list[Any]
    loc: Loc
    key: str | None = None  # mappings: the key whose value comes next
    key_lines: dict[str, int] = field(default_factory=dict)


def _tag(tag: str | None) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag and tag.startswith("tag:yaml.org,2002:") else str(tag)


def parse_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document into plain data (dicts, lists, strings) and a line index.

    Raises ``yaml.YAMLError`` for a syntax error and :class:`YamlProblem` for a structural one.
    """
    try:
        return _parse(text, _Parser)
    except yaml.YAMLError as exc:
        if _Parser is yaml.SafeLoader or "nesting depth" not in str(getattr(exc, "problem", "")):
            raise
    # Newer libyaml builds (PyYAML 6.0.4 and later) refuse deep nesting themselves, after reading far ahead
    # through flow brackets, so their message and line differ from ours. Pure-Python PyYAML has no such
    # limit and reads ahead at most one line (or 1,024 characters): read the file again with it, so that
    # our own limit is what stops the read, with the same message, line and key path on every version.
    return _parse(text, yaml.SafeLoader)


def _parse(text: str, loader: Any) -> tuple[Any, dict[Loc, int]]:
    parser = loader(text)
    lines: dict[Loc, int] = {}
    data: Any = None
    documents = 0
    stack: list[_Open] = []
    try:
        while not parser.check_event(yaml.StreamEndEvent):
            event: Any = parser.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem((), line, "the file holds more than one YAML document (a second '---')")
                continue
            if isinstance(event, yaml.StreamStartEvent | yaml.DocumentEndEvent):
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            top = stack[-1] if stack else None
            if top is not None and isinstance(top.value, dict) and top.key is None:
                top.key = _key(event, top, line)
                continue
            loc: Loc = () if top is None else (*top.loc, top.key if top.key is not None else len(top.value))
            value = _value(event, loc, line, len(stack))
            if top is None:
                data = value
            elif isinstance(top.value, dict) and top.key is not None:
                line = top.key_lines[top.key]  # a reader looks for the key
                top.value[top.key] = value
                top.key = None
            elif isinstance(top.value, list):
                top.value.append(value)
            lines[loc] = line
            if isinstance(value, dict | list):
                stack.append(_Open(value, loc))
    finally:
        parser.dispose()
    return data, lines


def _key(event: yaml.Event, top: _Open, line: int) -> str:
    if not isinstance(event, yaml.ScalarEvent):
        if isinstance(event, yaml.MappingStartEvent) and event.flow_style:
            raise YamlProblem(top.loc, line, "text that starts with '{' is read as a mapping: put the text in quotes")
        raise YamlProblem(top.loc, line, "a mapping key must be a plain value")
    if event.tag not in (None, "!", "tag:yaml.org,2002:str"):
        raise YamlProblem(top.loc, line, f"the tag {_tag(event.tag)} is not allowed (tenderpack reads plain data only)")
    key = str(event.value)
    first = top.key_lines.get(key)
    if first is not None:
        raise YamlProblem((*top.loc, key), line, f"duplicate key (first defined on line {first})")
    top.key_lines[key] = line
    return key


def _value(event: yaml.Event, loc: Loc, line: int, depth: int) -> Any:
    if isinstance(event, yaml.AliasEvent):
        raise YamlProblem(loc, line, f"aliases (*{event.anchor}) are not supported: write the value out in full")
    tag = getattr(event, "tag", None)
    if tag not in (None, "!") and tag not in _PLAIN_TAGS:
        raise YamlProblem(loc, line, f"the tag {_tag(tag)} is not allowed (tenderpack reads plain data only)")
    if isinstance(event, yaml.ScalarEvent):
        if tag in ("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
            raise YamlProblem(loc, line, f"the tag {_tag(tag)} does not fit a plain value")
        return str(event.value)
    if depth >= MAX_DEPTH:
        raise YamlProblem(loc[:1], line, f"values are nested more than {MAX_DEPTH} levels deep")
    if isinstance(event, yaml.MappingStartEvent) and tag != "tag:yaml.org,2002:seq":
        return {}
    if isinstance(event, yaml.SequenceStartEvent) and tag != "tag:yaml.org,2002:map":
        return []
    raise YamlProblem(loc, line, f"the tag {_tag(tag)} does not fit this value")


def _yaml_message(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """A syntax error in the user's words: line, ``column N:`` and what to do about it.

    The common mistakes (a tab, bad indentation, a missing ':', an unclosed quote or bracket) get a message
    of tenderpack's own, so that it reads the same whatever the version of PyYAML or libyaml; anything else
    keeps the parser's wording after ``YAML syntax error:``.
    """
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        return line, f"the character U+{exc.character:04X} is not allowed in a YAML file"
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return 1, f"YAML syntax error: {exc}"
    problem = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    start = getattr(exc, "context_mark", None) or mark
    lines = text.split("\n")
    here = lines[mark.line] if mark.line < len(lines) else ""
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    before = here[: mark.column].rstrip(" ")

    def at(m: Any, message: str) -> tuple[int, str]:
        return m.line + 1, f"column {m.column + 1}: {message}"

    if "\t" in indent:
        tab = _Mark(mark.line, indent.index("\t"))
        return at(tab, "a tab character is used for indentation; indent with spaces")
    if "quoted scalar" in context and "end of stream" in problem:
        quote = text[start.index : start.index + 1]
        return at(start, f"the quoted text that starts here is never closed: add the closing {quote} (or remove the opening one)")
    if "expected ':'" in problem:
        return at(start, "a ':' is missing: write 'key: value' (a space after the ':'), or '- item' for a list item")
    if "flow sequence" in context or "flow mapping" in context:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return at(start, f"the '{opening}' here is not closed with '{closing}' (or two of its items lack a ',' between them)")
    if before.endswith(("'", '"')):
        return at(mark, "text follows a closing quote: put the whole value in quotes of the other kind, or check for a quote left open above")
    if problem.startswith("mapping values are not allowed"):
        return at(mark, "unexpected ':': this line is indented deeper than the key above it, or a value holding ': ' needs quotes")
    if "sequence entries are not allowed" in problem:
        return at(mark, "a list item ('- ') cannot follow its key on the same line: start it on the next line, indented")
    if "block mapping" in context or "block collection" in context or "<block end>" in problem:
        if here[mark.column : mark.column + 1] == "-":
            return at(mark, "this list item is not indented like the items above: the items of one list start in the same column")
        return at(mark, "this line is not indented like the lines above: the keys of one mapping start in the same column")
    if context:
        problem = f"{problem} ({context})"
    return at(mark, f"YAML syntax error: {problem}")


@dataclass
class _Mark:
    line: int
    column: int


NOTE_PREFIX = "x-"  # a key starting with this is the author's private note: tenderpack never reads it


def drop_notes(data: Any) -> Any:
    """``data`` without the private notes: every mapping key that starts with ``x-``, at any level."""
    if isinstance(data, dict):
        return {k: drop_notes(v) for k, v in data.items() if not str(k).startswith(NOTE_PREFIX)}
    if isinstance(data, list):
        return [drop_notes(v) for v in data]
    return data


def walk_strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every string in ``data`` (keys too) with its key path."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield (*loc, key), str(key)
            yield from walk_strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_strings(value, (*loc, i))


def _control_message(char: str) -> str:
    code = ord(char) - _STAND_IN if ord(char) >= _STAND_IN else ord(char)
    name = _CONTROL_NAMES.get(code, "a control character")
    return f"contains the control character U+{code:04X} ({name}), which cannot appear in a document"


def link_problem(path: Path, root: Path | None) -> str | None:
    """Why a path cannot be read: it is a link that leads outside ``root``, nowhere, or round in a loop."""
    if root is None:
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "is a broken link: it leads nowhere" if path.is_symlink() else None
    except (OSError, RuntimeError):  # RuntimeError: a loop of links (Python before 3.13)
        return "is a broken link: it leads round in a loop"
    if not target.is_relative_to(root.resolve()):
        return f"is a link to a {'folder' if target.is_dir() else 'file'} outside the project; refused"
    return None


def _read_text(path: Path, problems: Collector) -> str | None:
    refused = link_problem(path, problems.root)
    if refused:
        problems.error(path, 0, "", refused)
        return None
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block the read, or never end
            problems.error(path, 0, "", "is not a regular file")
            return None
        size = info.st_size
        if size > MAX_FILE_BYTES:
            problems.error(path, 0, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, 0, "", f"cannot read the file: {exc.strerror or exc}")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(path, 0, "", "the file is UTF-16 encoded; save it as UTF-8")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless: drop it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        problems.error(path, line, "", f"the file is not valid UTF-8 text (byte 0x{byte:02X}); save it as UTF-8")
        return None


def load_yaml(path: Path, problems: Collector, expect: type = dict) -> YamlFile | None:
    """Load one file; on any problem record it in ``problems`` and return None."""
    text = _read_text(path, problems)
    if text is None:
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.error(path, line, "", "the file holds NUL bytes: it is binary, or UTF-16 without a byte-order mark; save it as UTF-8 text")
        return None
    raw_control = _CONTROL.search(text)
    if raw_control:
        text = _CONTROL.sub(lambda m: chr(_STAND_IN + ord(m.group())), text)
    try:
        data, lines = parse_yaml(text)
    except yaml.YAMLError as exc:
        line, message = _yaml_message(exc, text)
        problems.error(path, line, "", message)
        return None
    except YamlProblem as exc:
        problems.error(path, exc.line, key_path(exc.loc), exc.message)
        return None
    found = False
    for loc, value in walk_strings(data):
        char = _CONTROL.search(value) or _STAND_INS.search(value)
        if char:
            problems.error(path, lines.get(loc, 1), key_path(loc), _control_message(char.group()))
            found = True
    if raw_control and not found:  # in a comment: no value to name
        line = text.count("\n", 0, raw_control.start()) + 1
        problems.error(path, line, "", _control_message(raw_control.group()))
        return None
    if found:
        return None
    data = drop_notes(data)
    if data is None:
        problems.error(path, 0, "", "the file is empty")
        return None
    if not isinstance(data, expect):
        problems.error(path, 1, "", f"the file must hold a {'mapping' if expect is dict else 'list'} at the top")
        return None
    return YamlFile(path=path, rel=problems.rel(path), data=data, lines=lines)
