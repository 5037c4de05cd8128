"""The site of the shipped library in a real browser: headless Chromium (Debian's `chromium` package)
driven through Playwright's Python API, never a browser Playwright downloads. The site is served over
http on 127.0.0.1 from a thread (search needs http: browsers refuse its fetches from file://).

Skipped, saying why, where Playwright or Chromium is not installed (`.ci/run` installs both)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright")
pytest.importorskip("pagefind.service", reason="the site's search needs Pagefind: pip install 'pagefind[bin]'")

CHROMIUM = os.environ.get("TENDERPACK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)

SERIOUS = ("serious", "critical")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the repository's own library (its documents built now; no previews), or the one CI built
    of this checkout just before the tests (``.ci/run`` names it in TENDERPACK_SHIPPED_SITE)."""
    from tenderpack.site import build_site

    given = os.environ.get("TENDERPACK_SHIPPED_SITE")
    if given and (Path(given) / "index.html").is_file():
        return Path(given)
    out = tmp_path_factory.mktemp("shipped") / "site"
    build_site(REPO, out, previews=False, jobs=2)
    return out


@pytest.fixture(scope="module")
def library_clauses() -> dict[str, Any]:
    """The clauses of the shipped library by id (what `tenderpack list clauses` filters)."""
    from tenderpack.pipeline import load_checked

    return dict(load_checked(REPO).project.clauses)


def listed(clauses: dict[str, Any], category: str, stage: str, status: str | None = None) -> list[str]:
    """The ids `tenderpack list clauses --category C --stage S` prints (and of one status)."""
    from tenderpack.selection import applies_to

    return sorted(cid for cid, c in clauses.items()
                  if applies_to(c, category) and c.stage == stage and (status is None or c.status == status))  # fmt: skip


@pytest.fixture(scope="module")
def base_url(shipped_site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(shipped_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def errors_of(page: Any) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def visible_ids(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("#clause-table tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)"))


# ------------------------------------------------------------------------------------------ home and search


def test_the_home_page_loads_without_console_errors(page: Any, base_url: str) -> None:
    errors = errors_of(page)
    page.goto(base_url + "index.html")
    page.wait_for_selector(".pagefind-ui__search-input")
    page.wait_for_load_state("networkidle")
    assert page.title().startswith("Home · tenderpack ")
    assert errors == []


def test_searching_spare_parts_lists_the_spare_parts_clause_first(page: Any, base_url: str) -> None:
    errors = errors_of(page)
    page.goto(base_url + "index.html")
    search = page.get_by_label("Search the catalogue")
    search.fill("spare parts")
    page.wait_for_selector(".pagefind-ui__result-link")
    page.wait_for_load_state("networkidle")
    links = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]
    clauses = [link for link in links if "/clauses/" in link]
    assert clauses, links
    assert clauses[0].endswith("/clauses/cpc.spare-parts.html"), clauses
    assert errors == []


def test_search_finds_a_clause_by_its_french_words(page: Any, base_url: str) -> None:
    page.goto(base_url + "search.html")
    page.get_by_label("Search the catalogue").fill("pièces détachées")
    page.wait_for_selector(".pagefind-ui__result-link")
    links = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]
    assert any(link.endswith("/clauses/cpc.spare-parts.html") for link in links), links


# ------------------------------------------------------------------------------------------ filters


def test_filtering_by_category_and_stage_shows_what_the_library_says(page: Any, base_url: str,
                                                                    library_clauses: dict[str, Any]) -> None:  # fmt: skip
    # the library has no stage called "use": the use phase of a device is its contract-management stage
    category, stage = "mobile-devices", "contract-management"
    expected = listed(library_clauses, category, stage)
    assert expected, "the library has clauses for mobile devices in contract management"
    page.goto(base_url + "clauses/index.html")
    assert len(visible_ids(page)) > len(expected)
    page.get_by_label("Product category").select_option(category)
    page.get_by_label("Lifecycle stage").select_option(stage)
    assert sorted(visible_ids(page)) == expected
    total = page.locator("#clause-table tbody tr").count()
    assert page.locator("#count").inner_text() == f"{len(expected)} of {total} clauses shown."
    filtered = page.url
    assert "category=mobile-devices" in filtered and "stage=contract-management" in filtered
    page.goto(filtered)  # a reload, or the link sent to a colleague
    assert sorted(visible_ids(page)) == expected
    assert page.get_by_label("Product category").input_value() == category
    assert page.get_by_label("Lifecycle stage").input_value() == stage


def test_a_coverage_cell_opens_its_clauses(page: Any, base_url: str, library_clauses: dict[str, Any]) -> None:
    page.goto(base_url + "coverage.html")
    page.get_by_role("link", name="Smartphones and tablets, Contract management:", exact=False).click()
    page.wait_for_url("**/clauses/index.html?category=mobile-devices&stage=contract-management&status=approved")
    page.wait_for_load_state("load")
    assert sorted(visible_ids(page)) == listed(library_clauses, "mobile-devices", "contract-management", "approved")


def test_the_filtered_list_agrees_with_list_clauses(library_clauses: dict[str, Any]) -> None:
    """The test's reading of the library is the command's: `list clauses --category --stage` prints the same."""
    from tenderpack.commands import ClauseFilters, _filtered_clauses
    from tenderpack.pipeline import load_checked

    chosen = _filtered_clauses(load_checked(REPO), ClauseFilters(category="mobile-devices", stage="contract-management"))
    assert sorted(c.id for c in chosen) == listed(library_clauses, "mobile-devices", "contract-management")


def test_without_javascript_the_whole_table_shows(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "clauses/index.html?category=mobile-devices")
    assert tab.locator("#clause-table tbody tr:not([hidden])").count() == tab.locator("#clause-table tbody tr").count() > 0
    assert not tab.locator("#filters").is_visible()
    context.close()


# ------------------------------------------------------------------------------------------ clause and profile


def test_a_clause_page_shows_its_parameters_and_leads_to_the_file_line_of_an_override(page: Any, base_url: str) -> None:
    from tenderpack.commands import explain

    page.goto(base_url + "clauses/cpc.spare-parts.html")
    params = page.locator("table.parameters")
    assert params.locator("th", has_text="delivery_days").count() == 1
    assert "working days" in params.inner_text()
    overrides = [r for r in explain(REPO, "eu", "parameters")
                 if r[0].startswith("parameters.cpc.spare-parts.") and not r[2].endswith("(default)")]  # fmt: skip
    assert overrides, "the eu profile sets a spare-parts parameter"
    key, value, origin = overrides[0]
    page.locator(f'a[href="../profiles/eu.html#v-{key}"]').first.click()
    page.wait_for_url(f"**/profiles/eu.html#v-{key}")
    row = page.locator(f'tr[id="v-{key}"]')
    assert row.locator("code.origin").inner_text() == origin
    assert row.locator("td").first.inner_text() == value
    assert origin.startswith("profiles/eu.yaml:")


def test_a_clause_page_prints_without_the_site_navigation(page: Any, base_url: str) -> None:
    page.goto(base_url + "clauses/cpc.spare-parts.html")
    assert page.locator("header.site-header").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert page.locator("h1").is_visible() and page.locator("table.parameters").is_visible()
    assert len(page.pdf()) > 10_000  # Chromium lays the clause out on paper


def test_keyboard_focus_is_visible_and_the_skip_link_works(page: Any, base_url: str) -> None:
    page.goto(base_url + "clauses/index.html")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


# ------------------------------------------------------------------------------------------ documents


def test_a_document_link_downloads_the_file_the_manifest_names(page: Any, base_url: str, shipped_site: Path) -> None:
    manifest = json.loads((shipped_site / "downloads" / "manifest.json").read_text(encoding="utf-8"))
    by_path = {d["path"]: d["sha256"] for d in manifest["documents"]}
    page.goto(base_url + "documents/eu.html")
    link = page.locator("table.documents a[download]").first
    href = link.get_attribute("href")
    with page.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    path = href.removeprefix("../downloads/")
    assert hashlib.sha256(data).hexdigest() == by_path[path]
    assert by_path[path] in link.locator("xpath=ancestor::tr").inner_text()


# ------------------------------------------------------------------------------------------ accessibility


@pytest.mark.parametrize("path", ["index.html", "clauses/index.html", "clauses/cpc.spare-parts.html", "profiles/eu.html",
                                  "coverage.html", "documents/eu.html", "references.html", "search.html"])  # fmt: skip
def test_axe_finds_no_serious_or_critical_violation(page: Any, base_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    serious = [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
               for v in violations if v["impact"] in SERIOUS]  # fmt: skip
    assert serious == []


def test_from_disk_the_site_works_and_search_says_it_needs_http(page: Any, shipped_site: Path) -> None:
    errors = errors_of(page)
    page.goto((shipped_site / "clauses" / "index.html").as_uri() + "?category=mobile-devices")
    assert 0 < len(visible_ids(page)) < page.locator("#clause-table tbody tr").count()
    page.get_by_label("Lifecycle stage").select_option("contract-management")  # the address may keep it in the hash
    kept = page.url
    page.goto(kept)
    assert page.get_by_label("Lifecycle stage").input_value() == "contract-management"
    page.get_by_role("link", name="Home").click()
    assert "Search works when the site is served over http" in page.locator("#search").inner_text()
    assert errors == []
