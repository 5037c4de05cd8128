"""Search: a Pagefind index of the built pages (https://pagefind.app), made offline by its binary.

Pagefind reads the HTML the site writes: it indexes the part of each page marked ``data-pagefind-body``
(clause pages, profile pages, the reference registry) and writes its index, its search UI and a
WebAssembly search engine into ``pagefind/``. The browser then downloads only the index fragments a
query needs; nothing runs on a server. The ``pagefind`` package (with its ``bin`` extra, which holds the
binary for the platform) comes from PyPI; it is an optional dependency (the ``site`` extra).

Every text of every language on a clause page is part of that page's index entry, so a search finds a
clause by its French title as well as by its English one (the pages say ``lang="en"``, so one index is
made, with English word stemming).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import TenderpackError

FOLDER = "pagefind"
INSTALL = "pip install 'pagefind[bin]' (or pip install -c constraints.txt '.[site]')"


def executable() -> Path:
    """The Pagefind binary, or TenderpackError saying how to install it."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        raise TenderpackError(f"the site's search needs Pagefind, which is not installed: {INSTALL}") from None
    try:
        found = get_executable()
    except FileNotFoundError:
        found = None
    if found is None or not found.is_file():
        raise TenderpackError(f"the site's search needs the Pagefind binary, which is not installed: {INSTALL}")
    return found


def index(site: Path) -> None:
    """Write the search index of the pages under ``site`` into ``site/pagefind/``."""
    proc = subprocess.run([str(executable()), "--site", str(site), "--output-subdir", FOLDER, "--silent"],
                          capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise TenderpackError(f"Pagefind could not index the site: {detail[-1] if detail else 'no message'}")
