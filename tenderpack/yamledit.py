"""Write values back into the project's YAML files, keeping everything else as the author wrote it.

The one module besides ``loading`` that touches YAML, and the only one that writes it: ``translations
import`` puts translated texts and their status into clause, strings, library and policy files. It uses
ruamel.yaml's round-trip mode, which keeps comments, key order, quoting, flow mappings and block
scalars, so that a file's diff shows only the values that changed. Reading for every other purpose stays
with ``loading`` (safe, with lines and limits); this module never interprets what it reads.

Edits are applied to every file in memory first; nothing is written unless all of them apply, and each
file is replaced atomically.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

Loc = tuple[str | int, ...]
SHORT = 40  # a translation this long or shorter joins a one-line mapping ({en: Packaging, fr: Emballages})


class EditError(Exception):
    """An edit could not be applied (the file changed shape since it was read)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)  # the project's style: "key:\n  - item"
    return yaml


def _scalar(value: str) -> Any:
    """Multi-line texts as block scalars (``|``), like the English they sit beside."""
    return LiteralScalarString(value) if "\n" in value.rstrip("\n") else value


def _flow(data: Mapping[str, Any]) -> CommentedMap:
    out = CommentedMap()
    for key, value in data.items():
        out[key] = _flow(value) if isinstance(value, Mapping) else value
    out.fa.set_flow_style()
    return out


def _node(doc: Any, loc: Loc) -> Any:
    node = doc
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise EditError(f"{'.'.join(map(str, loc))} is not in the file") from None
    return node


def _set_text(doc: Any, loc: Loc, lang: str, text: str) -> None:
    mapping = _node(doc, loc)
    if isinstance(mapping, str):  # a plain string is the English: make it a mapping {en: ..., <lang>: ...}
        parent = _node(doc, loc[:-1])
        mapping = CommentedMap([("en", mapping)])
        parent[loc[-1]] = mapping
    if not isinstance(mapping, CommentedMap):
        raise EditError(f"{'.'.join(map(str, loc))} is not a text")
    if mapping.fa.flow_style() and (len(text) > SHORT or "\n" in text):  # {en: Packaging} fits one line; a sentence does not
        mapping.fa.set_block_style()
    mapping[lang] = text if mapping.fa.flow_style() else _scalar(text)


def _set_status(doc: Any, record: Loc, lang: str, entry: Mapping[str, Any]) -> None:
    rec = _node(doc, record)
    if not isinstance(rec, CommentedMap):
        raise EditError(f"{'.'.join(map(str, record)) or 'the file'} is not a mapping")
    block = rec.get("translations")
    if block is None:
        block = _flow({})
        keys = list(rec)
        after = "status" if "status" in rec and "version" in rec else None  # a clause: next to its version
        rec.insert(keys.index(after) + 1 if after else len(keys), "translations", block)
    block[lang] = _flow(entry)


def apply(edits: Mapping[Path, list[tuple[str, Loc, str, Any]]]) -> list[Path]:
    """Apply ``(what, loc, lang, value)`` edits per file; ``what`` is 'text' or 'status'. Returns the files written.

    A 'text' edit sets ``loc.<lang>`` to a text; a 'status' edit sets ``loc.translations.<lang>``.
    """
    yaml = _yaml()
    out: dict[Path, str] = {}
    for path, changes in sorted(edits.items()):
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"))
        except (OSError, YAMLError) as exc:
            raise EditError(f"{path}: cannot read the file again: {exc}") from None
        for what, loc, lang, value in changes:
            if what == "text":
                _set_text(doc, loc, lang, value)
            else:
                _set_status(doc, loc, lang, value)
        buf = io.StringIO()
        yaml.dump(doc, buf)
        out[path] = buf.getvalue()
    for path, text in out.items():  # every file rendered before any is replaced
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, path)
    return sorted(out)


def round_trips(path: Path) -> bool:
    """Whether the file comes back byte for byte from a load and dump (no edit would disturb it)."""
    yaml = _yaml()
    text = path.read_text(encoding="utf-8")
    buf = io.StringIO()
    yaml.dump(yaml.load(text), buf)
    return buf.getvalue() == text
