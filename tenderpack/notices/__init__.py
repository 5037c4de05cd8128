"""Notice data from the same source as the documents: eForms fields and OCDS releases (docs/notices.md).

``criteria`` derives the strategic, green and award facts of one profile × category × level from the
checked project; ``eforms`` writes them into an eForms notice (or a standalone fragment); ``ocds`` writes an
OCDS 1.1 release package; ``codelists`` reads the code lists vendored under ``data/`` (eForms SDK 1.15.1,
CC BY 4.0; OCDS 1.1.5, Apache-2.0; see ``data/NOTICE.md``).

This package parses and writes XML with lxml, as ``word/`` does: eForms notices are namespaced UBL
documents, and lxml gives the hardened parser (no DTD, no entities, no network) that supplier-facing input
needs. ``tests/test_layering.py`` allows lxml here and nowhere else outside ``word/``.
"""

from __future__ import annotations

from .criteria import AwardCriterion, Criteria, criteria_for, levels_of

__all__ = ["AwardCriterion", "Criteria", "criteria_for", "levels_of"]
