"""The published clause catalogue: a static website of the library, its profiles and the pack's documents.

``build_site`` writes it (``tenderpack site``); ``serve`` builds it into a temporary folder and serves it on
localhost, rebuilding when a file of the project changes (``tenderpack serve``). See docs/site.md.
"""

from __future__ import annotations

from .build import SiteResult, build_site
from .serve import serve

__all__ = ["SiteResult", "build_site", "serve"]
