"""The output folder's ``manifest.json``: read leniently (a damaged one means "rebuild"), written
atomically and one document at a time."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .plan import DocSpec

MANIFEST = "manifest.json"


def read_manifest(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        return {}
    data["documents"] = [d for d in data["documents"] if isinstance(d, dict) and isinstance(d.get("path"), str)]
    return data


def sha256(path: Path) -> str | None:
    """A file's sha256, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def spec_of(entry: dict[str, Any]) -> DocSpec:
    parts = str(entry.get("path", "")).split("/")
    language = parts[2] if len(parts) == 4 else ""  # profile/category/language/id.docx: a profile of several languages
    return DocSpec(
        str(entry.get("profile")), str(entry.get("category")), str(entry.get("kind")), str(entry.get("edition")),
        str(entry.get("level")), language,
    )


def write_manifest(path: Path, header: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    """Write ``{**header, "documents": documents}`` as ``json.dumps(..., indent=2)`` would, one document
    at a time (the whole text of a large pack's manifest is never held in memory)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        head = json.dumps({**header, "documents": []}, indent=2, ensure_ascii=False)
        if not documents:
            fh.write(head + "\n")
        else:
            fh.write(head[: -len("[]\n}")] + "[\n")
            for i, d in enumerate(documents):
                text = json.dumps(d, indent=2, ensure_ascii=False).replace("\n", "\n    ")
                fh.write("    " + text + (",\n" if i < len(documents) - 1 else "\n"))
            fh.write("  ]\n}\n")
    os.replace(tmp, path)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
