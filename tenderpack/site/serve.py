"""``tenderpack serve``: build the site into a temporary folder, serve it on localhost, rebuild on changes.

The server listens on 127.0.0.1 only (a preview for the author, not a web server for the public) and
serves the folder as any static host would. Every ``interval`` seconds the modification times and sizes of
the project's YAML files and Word templates are compared with the last build's; when one changed, the
site is built again (the documents incrementally: only those whose inputs changed are rendered) and
swapped into place. A build that fails prints its problems and leaves the last good site in place.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..errors import ProblemsError, TenderpackError
from .build import SiteResult, build_site

HOST = "127.0.0.1"


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would drown the rebuild messages


def watched(root: Path) -> dict[str, tuple[int, int]]:
    """Path → (mtime in ns, size) of every file a rebuild depends on: YAML under clauses/ and profiles/,
    and the Word templates."""
    found: dict[str, tuple[int, int]] = {}
    for folder, patterns in (("clauses", ("*.yaml", "*.yml")), ("profiles", ("*.yaml", "*.yml")), ("templates", ("*.docx",))):
        for pattern in patterns:
            for path in sorted((root / folder).rglob(pattern)):
                try:
                    st = path.stat()
                except OSError:
                    continue
                found[path.relative_to(root).as_posix()] = (st.st_mtime_ns, st.st_size)
    return found


def serve(root: Path, port: int = 8000, *, previews: bool = False, jobs: int | None = None, interval: float = 1.0,
          report: Callable[[str], None] = print, ready: Callable[[str], None] | None = None,
          stop: threading.Event | None = None) -> None:  # fmt: skip
    """Serve the site of ``root`` on http://127.0.0.1:PORT/ until ``stop`` is set (or Ctrl-C)."""
    stop = stop or threading.Event()
    with tempfile.TemporaryDirectory(prefix="tenderpack-serve-") as tmp:
        site, work, cache = Path(tmp) / "site", Path(tmp) / "build", Path(tmp) / "previews"

        def rebuild() -> SiteResult:
            return build_site(root, site, previews=previews, jobs=jobs, work=work, cache=cache)

        snapshot = watched(root)
        result = rebuild()
        for w in result.warnings:
            report(f"Warning: {w}")
        try:
            server = ThreadingHTTPServer((HOST, port), partial(_Handler, directory=str(site)))
        except OSError as exc:
            raise TenderpackError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}") from None
        thread = threading.Thread(target=server.serve_forever, name="tenderpack-serve", daemon=True)
        thread.start()
        url = f"http://{HOST}:{server.server_address[1]}/"
        report(f"Serving {url} ({result.pages} pages, {result.documents} documents); rebuilding when a file of "
               f"{root} changes. Press Ctrl-C to stop.")  # fmt: skip
        if ready is not None:
            ready(url)
        try:
            while not stop.wait(interval):
                now = watched(root)
                if now == snapshot:
                    continue
                snapshot = now
                try:
                    result = rebuild()
                except ProblemsError as exc:
                    for problem in exc.problems:
                        report(f"{'Warning' if problem.warning else 'Error'}: {problem}")
                    report("Error: the site was not rebuilt; the last good one is still served.")
                except TenderpackError as exc:
                    report(f"Error: {exc}; the last good site is still served.")
                else:
                    report(f"Rebuilt: {result.pages} pages, {result.documents} documents.")
        finally:
            server.shutdown()
            server.server_close()
