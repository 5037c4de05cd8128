"""Shared names of the redline modules: namespaces, limits, the result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "tenderpack"

MAX_ENTRIES = 2000
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024

# words (with inner dots, dashes and apostrophes: 2026.12, EN 61960-3), single punctuation marks, spaces
TOKENS = re.compile(r"\s+|\w+(?:[-.'’]\w+)*|[^\w\s]")
WORDS = re.compile(r"\S+")
SIMILAR = 0.5  # share of common words above which two paragraphs are one paragraph edited
ROW_SIMILAR = 0.3
SEARCH_AHEAD = 60  # how far an unmatched paragraph is looked for among the old ones
CLAUSE_PREFIXES = ("clause-", "q-")
SECTION_STYLES = frozenset({"Heading1", "Heading2"})
CONTAINERS = frozenset({W + "p", W + "sdtContent", W + "hyperlink", W + "fldSimple", W + "smartTag", W + "customXml"})
BOOKMARKS = frozenset({W + "bookmarkStart", W + "bookmarkEnd"})
IGNORED = frozenset({W + "proofErr", W + "permStart", W + "permEnd", W + "lastRenderedPageBreak"})

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)



@dataclass
class RedlineResult:
    """The redline document and what it shows."""

    data: bytes
    insertions: int = 0
    deletions: int = 0
    moves: int = 0
    format_changes: int = 0
    clauses_added: list[str] = field(default_factory=list)
    clauses_removed: list[str] = field(default_factory=list)
    clauses_moved: list[str] = field(default_factory=list)
    clauses_changed: list[str] = field(default_factory=list)

    @property
    def revisions(self) -> int:
        return self.insertions + self.deletions + self.moves + self.format_changes
