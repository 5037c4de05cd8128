"""The pages: each one a Jinja template of ``templates/`` rendered with catalogue data, as bytes by path.

The environment is sandboxed, autoescaping and strict (an undefined name is an error, never an empty
string). Library and profile texts are only ever values passed to a template, never template source;
clause texts arrive as HTML made by :mod:`tenderpack.site.markup`, which escapes them. Every link is
relative (``root`` is ``""`` or ``"../"``), so the site works from any folder of any static host and from
``file://``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..release import Changes
from .catalogue import Catalogue, abbrev
from .documents import Document, Documents

TEMPLATES = Path(__file__).with_name("templates")
KIND_NAMES = {"tender": "Tender", "annex": "Contract annex", "questionnaire": "Supplier questionnaire",
              "policy": "Model policy", "checklist": "Buyer's checklist"}  # fmt: skip


def fragment(key: str) -> str:
    """An id usable in a URL fragment as written (``v-parameters.cpc.spare-parts.years@mobile-devices``)."""
    return quote(key, safe=".-_@~")


def query(**params: str) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


def _environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.clear()
    env.filters.update(fragment=fragment, size=size, abbrev=abbrev)
    env.globals.update(query=query, kind_names=KIND_NAMES)
    return env


@dataclass
class Site:
    """Everything the pages show."""

    catalogue: Catalogue
    documents: Documents
    previews: dict[str, bytes]  # sha256 → PNG
    no_previews: str  # why there are none ("" when there are)
    changes: Changes | None
    clause_changes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def pages(site: Site) -> Iterator[tuple[str, str]]:
    """Every page of the site: (path, HTML)."""
    env = _environment()
    cat = site.catalogue
    docs = site.documents.documents
    by_profile: dict[str, list[Document]] = {}
    for d in docs:
        by_profile.setdefault(d.profile, []).append(d)
    groups = _document_groups(docs, cat)
    common: dict[str, Any] = {"cat": cat, "pack": cat.pack}

    def page(template: str, path: str, **values: Any) -> tuple[str, str]:
        root = "../" * path.count("/")
        return path, env.get_template(template).render(root=root, path=path, **common, **values)

    yield page("home.html", "index.html", current="home", documents=len(docs), source=site.documents.source)
    yield page("search.html", "search.html", current="search")
    yield page("clauses.html", "clauses/index.html", current="clauses")
    for clause in cat.clauses:
        yield page("clause.html", f"clauses/{clause.id}.html", current="clauses", clause=clause,
                   groups=groups.get(clause.id, []), history=site.clause_changes.get(clause.id, []),
                   compared=site.changes is not None)  # fmt: skip
    yield page("profiles.html", "profiles/index.html", current="profiles")
    for profile in cat.profiles:
        yield page("profile.html", f"profiles/{profile.id}.html", current="profiles", profile=profile,
                   documents=len(by_profile.get(profile.id, [])))  # fmt: skip
    yield page("coverage.html", "coverage.html", current="coverage")
    yield page("references.html", "references.html", current="references")
    yield page("documents.html", "documents/index.html", current="documents", by_profile=by_profile,
               source=site.documents.source, total=len(docs))  # fmt: skip
    for pid, mine in sorted(by_profile.items()):
        categories: dict[str, list[Document]] = {}
        for d in mine:
            categories.setdefault(d.category, []).append(d)
        yield page("documents_profile.html", f"documents/{pid}.html", current="documents", profile_id=pid,
                   profile=next((p for p in cat.profiles if p.id == pid), None), categories=categories,
                   previews=site.previews, no_previews=site.no_previews)  # fmt: skip
    yield page("changes.html", "changes.html", current="changes", changes=site.changes)


def _document_groups(docs: list[Document], cat: Catalogue) -> dict[str, list[tuple[str, str, int]]]:
    """clause id → (profile, category, number of documents) of the documents that contain it."""
    counts: dict[tuple[str, str, str], int] = {}
    for d in docs:
        for cid in d.clauses:
            counts[(cid, d.profile, d.category)] = counts.get((cid, d.profile, d.category), 0) + 1
    out: dict[str, list[tuple[str, str, int]]] = {}
    for (cid, pid, category), n in sorted(counts.items()):
        out.setdefault(cid, []).append((pid, category, n))
    return out


def clause_changes(changes: Changes | None) -> dict[str, list[tuple[str, str]]]:
    """clause id → (what, detail) of each change the comparison of two releases names."""
    out: dict[str, list[tuple[str, str]]] = {}
    if changes is None:
        return out
    for label, items in (("added to documents", changes.added), ("removed from documents", changes.removed),
                         ("reworded", changes.reworded), ("reworded without a new version", changes.unbumped),
                         ("changed", changes.other)):  # fmt: skip
        for item in items:
            detail = f"version {item.old_version} → {item.new_version}" if item.old_version != item.new_version else ""
            parts = [p for p in (detail, item.note, ", ".join(item.where)) if p]
            out.setdefault(item.id, []).append((label, "; ".join(parts)))
    for p in changes.parameters:
        out.setdefault(p.clause, []).append((f"parameter {p.name}", f"{p.where}: {p.old} → {p.new}"))
    return out
