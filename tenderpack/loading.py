"""Read the project's YAML files safely, with a line number for every value.

The only module that imports ``yaml``. Every plain scalar is read as a string (no YAML 1.1 guessing: a
country code ``NO`` stays "NO", a version ``1.10`` stays "1.10", a date stays as written); duplicate keys,
non-UTF-8 text, control characters and Python tags are refused. Problems are collected, never raised one
at a time: the caller aborts once with all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Collector

MAX_FILE_BYTES = 1024 * 1024  # a clause or profile is a few KiB; anything this large is a mistake
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")

Loc = tuple[str | int, ...]


class _StrictLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loader: no implicit typing, duplicate keys rejected. Never patches the global loaders."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012  (PyYAML reads this class attribute)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first defined on line {seen[key].line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark
        return dict(super().construct_mapping(node, deep))


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


def _index_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, key_node.value)
            _index_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1  # the key's line is what a reader looks for
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*loc, i), lines)


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnicodeError("the file is UTF-16 encoded; save it as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless: drop it
    return raw.decode("utf-8")


def parse_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document into plain data and a line index. Raises ``yaml.YAMLError``."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    _index_lines(node, (), lines)
    return data, lines


def _yaml_message(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    lines = text.splitlines()
    at = lines[mark.line][mark.column : mark.column + 1] if mark is not None and mark.line < len(lines) else ""
    if at == "\t" or "found character '\\t'" in problem:
        problem = "a tab character is used for indentation; indent with spaces"
    elif problem.startswith("could not determine a constructor for the tag"):
        tag = problem.split("tag", 1)[1].strip().strip("'")
        problem = f"the tag {tag} is not allowed (tenderpack reads plain data only)"
    elif context and not problem.startswith("duplicate key"):
        problem = f"{problem} ({context})"
    return line, f"YAML syntax error: {problem}" if not problem.startswith(("duplicate", "the tag", "a tab", "a mapping")) else problem


def _walk_strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield (*loc, key), str(key)
            yield from _walk_strings(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk_strings(value, (*loc, i))


def load_yaml(path: Path, problems: Collector, expect: type = dict) -> YamlFile | None:
    """Load one file; on any problem record it in ``problems`` and return None."""
    rel = problems.rel(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(path, 0, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
            return None
        text = _decode(path.read_bytes())
    except UnicodeError as exc:
        reason = str(exc) if "UTF-16" in str(exc) else "the file is not valid UTF-8 text; save it as UTF-8"
        problems.error(path, 0, "", reason)
        return None
    except OSError as exc:
        problems.error(path, 0, "", f"cannot read the file: {exc.strerror or exc}")
        return None
    try:
        data, lines = parse_yaml(text)
    except yaml.YAMLError as exc:
        line, message = _yaml_message(exc, text)
        problems.error(path, line, "", message)
        return None
    if data is None:
        problems.error(path, 0, "", "the file is empty")
        return None
    if not isinstance(data, expect):
        problems.error(path, 1, "", f"the file must hold a {'mapping' if expect is dict else 'list'} at the top")
        return None
    ok = True
    for loc, value in _walk_strings(data):
        found = _CONTROL.search(value)
        if found:
            char = found.group()
            name = unicodedata.name(char, "control character")
            problems.error(
                path,
                lines.get(loc, 1),
                key_path(loc),
                f"contains the control character U+{ord(char):04X} ({name}), which cannot appear in a document",
            )
            ok = False
    if not ok:
        return None
    return YamlFile(path=path, rel=rel, data=data, lines=lines)
