"""Release packs: one reproducible zip of the whole pack, a clause-level changelog, and redlines.

``pack`` checks the project, refuses a release whose clause wording changed without a version bump,
builds every document (reusing ``output/`` when it was built for this version), and writes
``tenderpack-<version>.zip``::

    manifest.json      pack version and date, tool version, profile chains, and per document its
                       sha256, clauses with versions, resolved parameters and a content fingerprint
    CHANGELOG.md       what changed since the previous pack, clause by clause
    SHA256SUMS         `sha256sum -c` lines for every other file
    clauses.json       every clause of the library (wording, parameters, status): what the next
                       release compares itself with
    documents/...      the documents, as in output/
    redlines/...       with --previous: each changed document as tracked changes against its old self

The same sources and version give the same bytes: entries are sorted (manifest first), every entry has
the version date as its time stamp and mode 0644, and every date inside comes from the version date or
``SOURCE_DATE_EPOCH``. ``diff`` compares two packs the way ``pack --previous`` does.
"""

from __future__ import annotations

from .changelog import format_changelog, format_summary
from .changes import Changes, ClauseChange, ParameterChange, compare
from .compare import diff, redline
from .pack import PackResult, document_facts, pack, zip_bytes
from .packdata import PackData, ReleaseError, check_version, clause_data, guard_versions, pack_name, read_pack

__all__ = [
    "Changes",
    "ClauseChange",
    "PackData",
    "PackResult",
    "ParameterChange",
    "ReleaseError",
    "check_version",
    "clause_data",
    "compare",
    "diff",
    "document_facts",
    "format_changelog",
    "format_summary",
    "guard_versions",
    "pack",
    "pack_name",
    "read_pack",
    "redline",
    "zip_bytes",
]
