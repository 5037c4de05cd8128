"""`tenderpack site` and `tenderpack serve` without a browser: every link resolves, two builds give the same
bytes, texts are escaped, `lang` marks translations, the changes of two releases, errors and the server.

The browser tests (search, filters, downloads, accessibility) are in test_site_browser.py."""

from __future__ import annotations

import hashlib
import json
import threading
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import Result
from conftest import make_project, write
from test_redline import edit

from tenderpack.release import pack_name
from tenderpack.site import serve

pytest.importorskip("pagefind.service", reason="the site's search needs Pagefind: pip install 'pagefind[bin]'")

V1, V2 = "2026.11", "2026.12"


# ------------------------------------------------------------------------------------------ link checker


class Links(HTMLParser):
    """Every href and src of a page, and every id it defines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.langs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "id" and value is not None:
                self.ids.add(value)
            elif name == "lang" and value is not None:
                self.langs.append(value)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal href or src of every page that does not lead to a file (and, with a fragment, an id)."""
    pages = {p: parse(p) for p in sorted(site.rglob("*.html")) if "pagefind" not in p.relative_to(site).parts}
    broken = []
    for page, found in pages.items():
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                assert parts.scheme in ("http", "https", "data"), f"{page}: unexpected link {link}"
                continue  # external: not this site's business
            assert not link.startswith("/"), f"{page}: {link} is not relative: the site must work in any folder"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no id {unquote(parts.fragment)!r})")
    return broken


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project, with a French translation of one clause, as a site (read-only for tests)."""
    from tenderpack.site import build_site

    base = tmp_path_factory.mktemp("site")
    root = make_project(base / "project")
    translate(root)
    build_site(root, base / "site", previews=False, jobs=2)
    return base / "site"


def translate(root: Path) -> None:
    edit(root / "clauses" / "core" / "cpc.spare-parts.yaml",
         ("title: Availability of spare parts\n",
          "title:\n  en: Availability of spare parts\n  fr: Disponibilité des pièces détachées\n"
          "translations: {fr: {version: 2, status: draft}}\n"),
         ("text: |\n", "text:\n  fr: |\n    Le {{ Contractor }} garde les pièces détachées pendant {{ years }} ans ({{ legal.performance }}).\n"
                       "  en: |\n"),
         ("  The {{ Contractor }} shall keep the spare parts listed in the Specification available for {{ years }} years\n"
          "  after the delivery of the last unit under the Contract ({{ legal.performance }}).\n",
          "    The {{ Contractor }} shall keep the spare parts listed in the Specification available for {{ years }} years\n"
          "    after the delivery of the last unit under the Contract ({{ legal.performance }}).\n"))  # fmt: skip


# ------------------------------------------------------------------------------------------ the site


def test_every_page_of_the_site_is_there(seed_site: Path) -> None:
    for page in ("index.html", "search.html", "clauses/index.html", "clauses/cpc.spare-parts.html", "profiles/index.html",
                 "profiles/eu.html", "coverage.html", "documents/index.html", "documents/eu.html", "references.html",
                 "changes.html", "assets/site.css", "assets/site.js", "pagefind/pagefind-ui.js", "downloads/manifest.json"):
        assert (seed_site / page).is_file(), page  # fmt: skip


def test_every_internal_link_resolves(seed_site: Path) -> None:
    assert broken_links(seed_site) == []


def test_the_link_checker_finds_a_broken_link(seed_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    write(site / "a.html", '<a href="b.html">b</a> <a href="a.html#here">x</a> <img src="missing.png" alt="">')
    write(site / "b.html", '<p id="here">b</p>')
    assert broken_links(site) == ["a.html: a.html#here (no id 'here')", "a.html: missing.png"]


def test_two_builds_are_identical_byte_for_byte(seed_site: Path, tmp_path: Path) -> None:
    from tenderpack.site import build_site

    root = make_project(tmp_path / "project")
    translate(root)
    build_site(root, tmp_path / "again", previews=False, jobs=1)
    first, second = files(seed_site), files(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_every_document_is_downloadable_with_its_manifest_sha256(seed_site: Path) -> None:
    manifest = json.loads((seed_site / "downloads" / "manifest.json").read_text(encoding="utf-8"))
    documents = manifest["documents"]
    assert documents
    for entry in documents:
        data = (seed_site / "downloads" / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    page = (seed_site / "documents" / "eu.html").read_text(encoding="utf-8")
    eu = [e for e in documents if e["profile"] == "eu"]
    assert all(f'href="../downloads/{e["path"]}"' in page and e["sha256"] in page for e in eu)
    assert "No first-page previews in this site: built with --no-previews." in page


def test_translations_carry_their_lang_and_status(seed_site: Path) -> None:
    page = seed_site / "clauses" / "cpc.spare-parts.html"
    assert "fr" in parse(page).langs
    html = page.read_text(encoding="utf-8")
    assert '<div class="clause-text" lang="fr"><p>Le <span class="v v-term" title="jurisdiction term Contractor">Contractor</span>' in html
    assert "Incomplete translation (of English version 2). Not translated: verification, guidance, " in html
    assert '<html lang="en">' in html


def test_a_clause_page_shows_parameters_and_the_profiles_that_change_them(seed_site: Path) -> None:
    from tenderpack.commands import explain

    html = (seed_site / "clauses" / "cpc.spare-parts.html").read_text(encoding="utf-8")
    assert '<th scope="row"><code>years</code>' in html
    assert "<td>3 years (core), 5 years (comprehensive)</td>" in html and "<td>3–10</td>" in html
    assert '<span class="v v-param" title="parameter years">3</span> years' in html
    overrides = [r for r in explain(seed_site.parent / "project", "eu", "parameters")
                 if r[0].startswith("parameters.cpc.spare-parts.") and not r[2].endswith("(default)")]
    assert overrides, "the seed's eu profile sets a spare-parts parameter"
    key, value, origin = overrides[0]
    assert f'<a href="../profiles/eu.html#v-{key}"><code>{key}</code></a> = {value} <small>(<code class="origin">{origin}</code>)' in html
    profile = (seed_site / "profiles" / "eu.html").read_text(encoding="utf-8")
    assert f'<tr id="v-{key}" class="override">' in profile and f'<code class="origin">{origin}</code>' in profile


def test_the_clause_table_has_the_data_its_filters_use(seed_site: Path) -> None:
    from tenderpack.commands import ClauseFilters, listing

    html = (seed_site / "clauses" / "index.html").read_text(encoding="utf-8")
    _, rows = listing(seed_site.parent / "project", "clauses", clauses=ClauseFilters())
    for cid, *_ in rows:
        assert f'data-id="{cid}"' in html
    assert '<form id="filters" class="filters" hidden>' in html  # without JavaScript: the whole table


def test_coverage_cells_link_to_the_filtered_table(seed_site: Path) -> None:
    html = (seed_site / "coverage.html").read_text(encoding="utf-8")
    assert 'href="clauses/index.html?category=computers&amp;stage=contract-management&amp;status=approved"' in html
    assert "<dt>CPC</dt><dd>Contract performance clause" in html.replace("\n  ", "")


def test_library_text_is_escaped_never_run(tmp_path: Path) -> None:
    from tenderpack.site import build_site

    root = make_project(tmp_path / "project")
    edit(root / "clauses" / "references" / "refs.yaml",
         ("title: Circular public procurement of information and communication technologies",
          "title: \"<script>alert(1)</script> Smith & Sons <b>\""))  # fmt: skip
    build_site(root, tmp_path / "site", previews=False, jobs=1)
    html = (tmp_path / "site" / "references.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Smith &amp; Sons &lt;b&gt;" in html
    assert "<script>alert" not in html


# ------------------------------------------------------------------------------------------ changes


@pytest.fixture(scope="module")
def two_packs(tmp_path_factory: pytest.TempPathFactory, cli: Callable[..., Result]) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("packs")
    root = make_project(base / "v1")
    assert cli("pack", "--project", root, "--version", V1, "--out", base / "p1", "--jobs", "2", expect=0).exit_code == 0
    edit(root / "clauses" / "core" / "ts.repair.yaml", ("version: 1", "version: 2"),
         ("replaced with commonly available tools:", "replaced with tools sold on the market:"))  # fmt: skip
    first = base / "p1" / pack_name(V1)
    assert cli("pack", "--project", root, "--version", V2, "--previous", first, "--out", base / "p2", "--jobs", "2",
               expect=0).exit_code == 0  # fmt: skip
    return root, first, base / "p2" / pack_name(V2)


@pytest.fixture(scope="module")
def cli() -> Callable[..., Result]:
    from click.testing import CliRunner

    from tenderpack.cli import main

    def invoke(*args: object, expect: int | None = None) -> Result:
        result = CliRunner().invoke(main, [str(a) for a in args])
        if expect is not None and result.exit_code != expect:
            print(result.output)
        return result

    return invoke


def test_changes_between_two_releases(two_packs: tuple[Path, Path, Path], cli: Callable[..., Result], tmp_path: Path) -> None:
    root, old, new = two_packs
    result = cli("site", "--project", root, "--out", tmp_path / "site", "--pack", new, "--previous", old, "--no-previews",
                 expect=0)  # fmt: skip
    assert result.exit_code == 0
    assert result.output.splitlines()[-2].endswith(", no previews (built with --no-previews), changes since --previous.")
    changes = (tmp_path / "site" / "changes.html").read_text(encoding="utf-8")
    assert f"From release {V1}" in changes and f"to release {V2}" in changes
    assert '<h2 id="c3">Clauses reworded (1)</h2>' in changes
    assert '<a href="clauses/ts.repair.html"><code>ts.repair</code></a>' in changes
    clause = (tmp_path / "site" / "clauses" / "ts.repair.html").read_text(encoding="utf-8")
    assert "<li><strong>reworded</strong>: version 1 → 2;" in clause
    other = (tmp_path / "site" / "clauses" / "cpc.spare-parts.html").read_text(encoding="utf-8")
    assert "Unchanged since the previous release" in other
    manifest = json.loads((tmp_path / "site" / "downloads" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pack"]["version"] == V2  # the pack's own manifest, as published
    assert broken_links(tmp_path / "site") == []


def test_without_previous_the_changes_page_says_so(seed_site: Path) -> None:
    html = (seed_site / "changes.html").read_text(encoding="utf-8")
    assert "This site was built without a previous release to compare with." in html


# ------------------------------------------------------------------------------------------ errors


def test_previous_without_pack_is_a_usage_error(two_packs: tuple[Path, Path, Path], cli: Callable[..., Result]) -> None:
    root, old, _ = two_packs
    result = cli("site", "--project", root, "--previous", old)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "Error: --previous compares two releases: give the new one with --pack"


def test_a_folder_that_is_not_a_site_is_never_replaced(project: Path, cli: Callable[..., Result], tmp_path: Path) -> None:
    mine = write(tmp_path / "notes" / "keep.txt", "mine")
    result = cli("site", "--project", project, "--out", mine.parent, "--no-previews")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {mine.parent} is not empty and is not a site written by tenderpack: choose another --out, or remove it"
    ]
    assert mine.read_text() == "mine"


def test_a_project_with_an_error_leaves_the_site_as_it_was(seed_site: Path, cli: Callable[..., Result], tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    out = tmp_path / "site"
    assert cli("site", "--project", root, "--out", out, "--no-previews", expect=0).exit_code == 0
    before = files(out)
    edit(root / "clauses" / "core" / "ts.repair.yaml", ("version: 1", "version: zero"))
    result = cli("site", "--project", root, "--out", out, "--no-previews")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: clauses/core/ts.repair.yaml:3: version: 'zero' is not a whole number"
    assert result.output.splitlines()[-1] == "Error: 1 problem found; nothing was written."
    assert files(out) == before


def test_a_missing_pagefind_is_an_error_before_anything_is_built(project: Path, cli: Callable[..., Result], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    result = cli("site", "--project", project, "--out", tmp_path / "site", "--no-previews")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the site's search needs the Pagefind binary, which is not installed: pip install 'pagefind[bin]' "
        "(or pip install -c constraints.txt '.[site]')"
    ]
    assert not (tmp_path / "site").exists()


# ------------------------------------------------------------------------------------------ previews


@pytest.mark.libreoffice
def test_previews_show_the_first_page_of_each_document(tmp_path: Path) -> None:
    from tenderpack.site import build_site
    from tenderpack.site.previews import unavailable

    problem = unavailable()
    if problem:
        pytest.skip(problem)
    root = make_project(tmp_path / "project")
    write(root / "profiles" / "eu.yaml", (root / "profiles" / "eu.yaml").read_text(encoding="utf-8")
          .replace("categories: [computers, mobile-devices]", "categories: [computers]"))  # fmt: skip
    result = build_site(root, tmp_path / "site", previews=True, jobs=2)
    assert result.no_previews == ""
    manifest = json.loads((tmp_path / "site" / "downloads" / "manifest.json").read_text(encoding="utf-8"))
    shas = {d["sha256"] for d in manifest["documents"]}
    pictures = {p.stem for p in (tmp_path / "site" / "previews").glob("*.png")}
    assert pictures == shas and result.previews == len(shas)
    for png in (tmp_path / "site" / "previews").glob("*.png"):
        data = png.read_bytes()
        assert data.startswith(b"\x89PNG") and 1000 < len(data) < 60_000
    assert broken_links(tmp_path / "site") == []


# ------------------------------------------------------------------------------------------ serve


def test_serve_builds_serves_on_localhost_and_rebuilds_on_a_change(project: Path) -> None:
    ready: list[str] = []
    said: list[str] = []
    stop = threading.Event()
    started = threading.Event()

    def on_ready(url: str) -> None:
        ready.append(url)
        started.set()

    thread = threading.Thread(target=serve, args=(project, 0),
                              kwargs={"interval": 0.2, "report": said.append, "ready": on_ready, "stop": stop, "jobs": 1})  # fmt: skip
    thread.start()
    try:
        assert started.wait(120), said
        url = ready[0]
        assert url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(url + "clauses/ts.repair.html", timeout=10).read().decode("utf-8")
        assert "commonly available tools" in page
        edit(project / "clauses" / "core" / "ts.repair.yaml", ("commonly available tools", "tools sold on the market"))
        for _ in range(600):
            if any(s.startswith("Rebuilt:") for s in said):
                break
            stop.wait(0.2)
        page = urllib.request.urlopen(url + "clauses/ts.repair.html", timeout=10).read().decode("utf-8")
        assert "tools sold on the market" in page, said
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()
    assert said[0].startswith(f"Serving {ready[0]} (")


def test_a_hostile_pack_manifest_cannot_name_files_outside_the_site(two_packs: tuple[Path, Path, Path],
                                                                    cli: Callable[..., Result], tmp_path: Path) -> None:  # fmt: skip
    import zipfile

    root, old, _ = two_packs
    with zipfile.ZipFile(old) as z:
        entries = {name: z.read(name) for name in z.namelist()}
    manifest = json.loads(entries["manifest.json"])
    first = manifest["documents"][0]
    first["profile"] = "../../evil"
    entries["manifest.json"] = json.dumps(manifest).encode()
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    result = cli("site", "--project", root, "--out", tmp_path / "site", "--pack", hostile, "--no-previews")
    assert result.exit_code == 1
    rel = first["path"].removeprefix("documents/")
    assert result.output.splitlines()[-1] == (
        f"Error: the manifest gives {rel} the profile '../../evil': '../../evil' is not a valid id: use lowercase "
        "letters and digits, joined by single dots or dashes (e.g. 'cpc.spare-parts')"
    )
    assert not (tmp_path / "site").exists() and not (tmp_path.parent / "evil.html").exists()
