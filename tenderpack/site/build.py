"""``tenderpack site``: the one recipe that turns a checked project (and a release pack) into the website.

1. check the project and the options; nothing is written before everything has been read and rendered;
2. take the documents: from ``--pack`` as published, or by building the default pack into a temporary folder;
3. draw their first pages (where LibreOffice and pdftoppm are installed, unless ``previews`` is off);
4. compare ``--pack`` with ``--previous``, clause by clause;
5. render every page in memory;
6. write pages, downloads, previews and assets into a staging folder beside the output folder, index it for
   search (Pagefind), then swap it into place: the output folder is the old site or the new one, never half.

The same inputs give the same bytes: no clock, every listing sorted, the documents' own bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OutputError, Problem, TenderpackError
from . import pages as site_pages
from . import previews as site_previews
from . import search
from .catalogue import gather
from .documents import Documents, built, from_pack

ASSETS = Path(__file__).with_name("assets")
MARKER = ".tenderpack-site"  # in the root of every site tenderpack writes: only such a folder is replaced
MARKER_TEXT = "A static website written by `tenderpack site`; `tenderpack site --out` replaces this folder.\n"


@dataclass
class SiteResult:
    out: Path
    pages: int
    documents: int
    previews: int
    no_previews: str
    changes: bool
    warnings: list[Any] = field(default_factory=list)


def build_site(root: Path, out: Path | None = None, *, pack: Path | None = None, previous: Path | None = None,
               previews: bool = True, jobs: int | None = None, work: Path | None = None,
               cache: Path | None = None) -> SiteResult:  # fmt: skip
    """Write the static website of the project into ``out`` (default ``PROJECT/site``); see the module doc.

    ``work`` keeps the documents' build folder between calls (``serve``), ``cache`` the previews.
    """
    from ..pipeline import load_checked
    from ..release import read_pack

    # 1. check everything first
    if previous is not None and pack is None:
        raise TenderpackError("--previous compares two releases: give the new one with --pack")
    out = out if out is not None else root / "site"
    _check_target(out)
    search.executable()  # a missing Pagefind is said before anything is built
    checked = load_checked(root)
    warnings: list[Any] = list(checked.warnings)
    catalogue = gather(checked)
    new = read_pack(pack) if pack is not None else None
    old = read_pack(previous) if previous is not None else None
    if new is not None and new.info["version"] != checked.pack["version"]:
        warnings.append(Problem(str(pack), 0, "", f"the pack is release {new.info['version']}, the library is "
                                f"release {checked.pack['version']}: the clause pages show the library"))  # fmt: skip
    # 2. the documents, 3. their previews, 4. the changes, 5. the pages
    workers = max(1, jobs or os.cpu_count() or 1)
    if new is not None:
        assert pack is not None
        docs = from_pack(new, new.read("manifest.json"), pack.name)
        return _finish(out, catalogue, docs, old, new, previews, workers, cache, warnings)
    with built(root, checked, jobs=jobs, work=work) as docs:
        return _finish(out, catalogue, docs, None, None, previews, workers, cache, warnings)


def _finish(out: Path, catalogue: Any, docs: Documents, old: Any, new: Any, previews: bool,
            workers: int, cache: Path | None, warnings: list[Any]) -> SiteResult:  # fmt: skip
    from ..release.changes import compare

    no_previews = "" if previews else "built with --no-previews"
    if previews and not no_previews:
        problem = site_previews.unavailable()
        no_previews = f"{problem}" if problem else ""
    pictures = site_previews.make(docs, workers, cache) if not no_previews else {}
    changes = compare(old, new) if old is not None and new is not None else None
    site = site_pages.Site(catalogue, docs, pictures, no_previews, changes, site_pages.clause_changes(changes))
    rendered = dict(site_pages.pages(site))
    count = _write(out, rendered, docs, pictures)
    return SiteResult(out, count, len(docs.documents), len(pictures), no_previews, changes is not None, warnings)


def _check_target(out: Path) -> None:
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise OutputError(f"{out} is not a folder: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"{out} is not empty and is not a site written by tenderpack: choose another --out, "
                          "or remove it")  # fmt: skip


def _write(out: Path, rendered: dict[str, str], docs: Documents, pictures: dict[str, bytes]) -> int:
    """Write everything into a staging folder, index it, and swap it into place; return the page count."""
    staging = out.parent / f".{out.name}.tenderpack-staging-{os.getpid()}"
    old = out.parent / f".{out.name}.tenderpack-old-{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for path, html in sorted(rendered.items()):
            _put(staging / path, html.encode("utf-8"))
        for name in sorted(p.name for p in ASSETS.iterdir() if p.is_file()):
            _put(staging / "assets" / name, (ASSETS / name).read_bytes())
        for d in docs.documents:
            data = docs.read(d.path)
            if hashlib.sha256(data).hexdigest() != d.sha256:
                raise TenderpackError(f"{d.path}: its bytes do not match the sha256 its manifest gives: the pack is damaged")
            _put(staging / "downloads" / d.path, data)
        _put(staging / "downloads" / "manifest.json", docs.manifest)
        for sha, png in sorted(pictures.items()):
            _put(staging / "previews" / f"{sha}.png", png)
        _put(staging / MARKER, MARKER_TEXT.encode("utf-8"))
        search.index(staging)
        if out.exists():
            out.rename(old)
        staging.rename(out)
    except OSError as exc:
        raise OutputError(f"cannot write the site to {out}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return len(rendered)


def _put(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
