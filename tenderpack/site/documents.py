"""The documents the site offers for download: those of a release pack, or of the default pack built now.

With ``--pack`` the documents, their sha256 and the manifest come from the release zip as published.
Without it, the whole pack is built into a temporary folder (seeded from ``PROJECT/output`` when that was
built for the same version, so that only changed documents are rendered) and its manifest is the build's.
Either way the site holds the manifest beside the files (``downloads/manifest.json``), so that anyone can
check a download against it.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from ..errors import TenderpackError
from ..ids import check_id
from ..manifest import MANIFEST

if TYPE_CHECKING:
    from ..pipeline import Checked
    from ..release import PackData

DOCUMENTS = "documents/"  # the folder of a release pack that holds the documents
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Document:
    """One document: where it sits in the pack (``eu/computers/eu-computers-core-tender-issue.docx``)."""

    path: str
    sha256: str
    size: int
    profile: str
    category: str
    level: str
    kind: str
    edition: str
    language: str
    title: str
    clauses: tuple[str, ...]


@dataclass
class Documents:
    """The documents of one pack, the manifest that lists them and a way to read each."""

    documents: list[Document]
    manifest: bytes
    read: Callable[[str], bytes]
    source: str  # "release pack tenderpack-2026.11.zip" or "built from the project"


def _document(entry: dict[str, Any], read: Callable[[str], bytes], prefix: str) -> Document:
    rel = str(entry["path"]).removeprefix(prefix)
    parts = PurePosixPath(rel).parts
    if not rel or PurePosixPath(rel).is_absolute() or ".." in parts or not rel.endswith((".docx", ".pdf")):
        raise TenderpackError(f"the manifest lists a document at {rel!r}, which is not a document path")
    sha = str(entry.get("sha256") or "")
    size = entry.get("size")
    if not sha or not isinstance(size, int):
        data = read(rel)
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
    if not _SHA256.fullmatch(sha):
        raise TenderpackError(f"the manifest gives {rel} the sha256 {sha[:80]!r}, which is not one")
    for name in ("profile", "category"):  # they become file names and anchors of the site
        try:
            check_id(str(entry.get(name, "")))
        except ValueError as exc:
            raise TenderpackError(f"the manifest gives {rel} the {name} {str(entry.get(name))[:80]!r}: {exc}") from None
    return Document(
        path=rel,
        sha256=sha,
        size=int(size),
        profile=str(entry.get("profile", "")),
        category=str(entry.get("category", "")),
        level=str(entry.get("level", "")),
        kind=str(entry.get("kind", "")),
        edition=str(entry.get("edition", "")),
        language=parts[2] if len(parts) == 4 else "",
        title=str(entry.get("title", "")),
        clauses=tuple(sorted(str(c.get("id")) for c in entry.get("clauses", []) if isinstance(c, dict))),
    )


def from_pack(pack: PackData, manifest: bytes, name: str) -> Documents:
    """The documents of a release pack (read with :func:`tenderpack.release.read_pack`)."""

    def read(rel: str) -> bytes:
        return pack.read(DOCUMENTS + rel)

    entries = [d for d in pack.manifest.get("documents", []) if isinstance(d, dict) and "path" in d]
    docs = [_document(d, read, DOCUMENTS) for d in entries if str(d["path"]).startswith(DOCUMENTS)]
    return Documents(sorted(docs, key=lambda d: d.path), manifest, read, f"release pack {name}")


@contextmanager
def built(root: Path, checked: Checked, jobs: int | None = None, work: Path | None = None) -> Iterator[Documents]:
    """The default pack built into ``work`` (default: a temporary folder removed afterwards)."""
    from ..pipeline import build
    from ..release.pack import seed_build

    with tempfile.TemporaryDirectory(prefix="tenderpack-site-build-") as tmp:
        out = work if work is not None else Path(tmp) / "build"
        if not out.exists():  # a first build: reuse what PROJECT/output holds of this version
            seed_build(root / "output", out, checked.pack["version"])
        result = build(root, out, checked=checked, jobs=jobs)
        manifest = (out / MANIFEST).read_bytes()

        def read(rel: str) -> bytes:
            return (out / rel).read_bytes()

        entries = json.loads(manifest.decode("utf-8")).get("documents", [])
        by_path = {e["path"]: e for e in entries}
        docs = [_document(by_path[d["path"]], read, "") for d in result.documents]
        yield Documents(sorted(docs, key=lambda d: d.path), manifest, read, "built from the project")
