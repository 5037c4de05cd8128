"""Regenerate the screenshots of the site in docs/: the home page, a clause page and the coverage page.

    python tools/screenshots.py [--site DIR]

Builds the site of the shipped library (without previews) into a temporary folder, or uses the site
already built in DIR, serves it on 127.0.0.1 and photographs the pages in headless Chromium (the system's
`chromium`, driven by Playwright; no browser is downloaded). Each picture is the first screen of the page
at 1200 × 860 pixels, a PNG well under 300 KB.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

SHOTS = {
    "site-home.png": ("index.html", None),
    "site-clause.png": ("clauses/cpc.spare-parts.html", None),
    "site-coverage.png": ("coverage.html", None),
}
LIMIT = 300_000


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def photograph(site: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 860})
            for name, (path, _) in SHOTS.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                if name == "site-home.png":  # show the search at work
                    page.get_by_label("Search the catalogue").fill("spare parts")
                    page.wait_for_selector(".pagefind-ui__result-link")
                    page.wait_for_timeout(500)
                    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
                out = ROOT / "docs" / name
                page.screenshot(path=str(out))
                size = out.stat().st_size
                print(f"wrote docs/{name} ({size // 1024} KB)")
                if size > LIMIT:
                    raise SystemExit(f"docs/{name} is {size} bytes, above {LIMIT}")
            browser.close()
    finally:
        server.shutdown()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=None, help="a site already built (default: build one now)")
    args = parser.parse_args(argv)
    chromium = os.environ.get("TENDERPACK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if args.site is not None:
        photograph(args.site, chromium)
        return 0
    from tenderpack.site import build_site

    with tempfile.TemporaryDirectory() as tmp:
        build_site(ROOT, Path(tmp) / "site", previews=False)
        photograph(Path(tmp) / "site", chromium)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
