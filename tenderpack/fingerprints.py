"""Fingerprints that decide what a build may skip: of every input file (the whole pack) and of each
document's rendering inputs (one document)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .plan import Filters
    from .word.document import RenderJob


@functools.lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A hash of tenderpack's own source: a changed program never takes the no-change shortcut."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.digest()


def inputs_digest(root: Path, filters: Filters | None = None, *, strict: bool = False, version: str | None = None) -> str:
    """A hash of everything a build reads: every file under clauses/, profiles/ and templates/ (path and
    bytes), tenderpack's code and version, the options that change the output, and SOURCE_DATE_EPOCH."""
    from .plan import Filters

    h = hashlib.sha256(code_digest())
    options = {
        "filters": (filters or Filters()).key(),
        "strict": strict,
        "version": version,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH"),
    }
    h.update(json.dumps(options, sort_keys=True).encode())
    for folder in ("clauses", "profiles", "templates"):
        if (root / folder).is_symlink() and _link_problem(root / folder, root):
            continue  # the check refuses it; never walk what lies outside the project
        for dirpath, dirnames, filenames in os.walk(root / folder):
            dirnames.sort()
            for name in dirnames:  # a link to a folder is not walked, but adding one is a change (load refuses some)
                link = Path(dirpath) / name
                if link.is_symlink():
                    h.update(f"\0{link.relative_to(root).as_posix()} -> {os.readlink(link)}".encode())
            for name in sorted(filenames):
                path = Path(dirpath) / name
                h.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0")
                h.update(_file_digest(path, root))
    return h.hexdigest()


def _link_problem(path: Path, root: Path) -> str | None:
    from .loading import link_problem  # only for links: loading imports the YAML parser

    return link_problem(path, root)


def _file_digest(path: Path, root: Path) -> bytes:
    """A file's hash; a refused link or a file that is not regular (a FIFO would block) is never read."""
    try:
        mode = path.lstat().st_mode
        # only a link can lead outside the project (folders are walked without following links); resolving
        # every path was most of the time of a no-change build
        refused = _link_problem(path, root) if stat.S_ISLNK(mode) else None
        if refused or not stat.S_ISREG(path.stat().st_mode if stat.S_ISLNK(mode) else mode):
            return f"refused: {refused}".encode()
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError as exc:
        return f"unreadable: {exc.errno}".encode()


def input_hash(job: RenderJob, template_digest: bytes) -> str:
    """Everything one document depends on: template bytes, resolved context, generated XML, tenderpack version."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(template_digest)
    payload = [job.context, job.numbering_xml, job.props.__dict__, job.fill_ins]
    h.update(json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    for xml in (job.toc_xml, job.body_xml, job.custom_xml):  # large: hashed as they are, not escaped into JSON
        data = xml.encode("utf-8")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()
