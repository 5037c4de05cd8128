"""``--pack``: confirm a questionnaire's identity against the published release it claims to come from.

The release manifest records, for each questionnaire, the fingerprint of its identity
(``identity_sha256``). A file whose fingerprint is the one recorded is the questionnaire that release
issued. Otherwise the release's own copy of the questionnaire is opened and the two identities are
compared, so that the refusal names what differs (a question's scoring or type, a weight, a clause
version) rather than only two hashes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import identity
from ..errors import InputFileError
from ..release.packdata import DOCUMENTS, PackData, read_pack
from ..word.controls import read_questionnaire_bytes

SHOWN = 8  # differences named in one message; the rest are counted


class Release:
    """A published release pack, opened once for every file it confirms."""

    def __init__(self, path: Path):
        self.data: PackData = read_pack(path)
        self.label = str(path)
        self.issued: dict[str, dict[str, Any] | None] = {}

    def confirm(self, found: dict[str, Any], err: Callable[[str], None]) -> None:
        """Report through ``err`` when the identity ``found`` in a file is not the one this release issued."""
        version = self.data.info["version"]
        claimed = str(found["pack"]["version"])
        if claimed != version:
            err(f"issued with pack version {claimed!r}, but {self.label} is pack version {version!r}")
            return
        path = f"{DOCUMENTS}{found['profile']}/{found['category']}/{found['document']}.docx"
        entry = self.data.documents.get(path)
        if entry is None:
            err(f"{self.label} holds no questionnaire {found['document']}: the file does not come from this release")
            return
        fingerprint = identity.fingerprint(found)
        recorded = str(entry.get("identity_sha256") or "")
        if recorded == fingerprint:
            return
        issued = self._issued(path)
        if issued is None:
            if recorded:
                err(f"its identity (sha256 {fingerprint[:12]}) is not the one {self.label} records (sha256 {recorded[:12]})")
            elif entry.get("questions_hash") != found["questions_hash"]:
                err(f"its questions (hash {found['questions_hash'][:12]}) are not those {self.label} issued "
                    f"(hash {str(entry.get('questions_hash'))[:12]})")  # fmt: skip
            return
        diffs = identity.differences(issued, found)
        if not diffs:
            if recorded and recorded != fingerprint:
                err(f"{self.label} is inconsistent: its manifest records identity sha256 {recorded[:12]}, "
                    f"its copy of {found['document']} carries {fingerprint[:12]}")  # fmt: skip
            return
        more = f"; and {len(diffs) - SHOWN} more" if len(diffs) > SHOWN else ""
        err(
            f"does not match {self.label}, the release it claims to come from: " + "; ".join(diffs[:SHOWN]) + more
            + f" (identity sha256 {fingerprint[:12]} in the file, {(recorded or identity.fingerprint(issued))[:12]} in the release)"
        )

    def confirm_older(self, ident: dict[str, str], err: Callable[[str], None]) -> None:
        """The same for a file that carries no identity of its own (built before identities were stored,
        or stripped of it): its pack version and questions hash must be those the release records, and
        the release's questionnaire must not have an identity either."""
        version = self.data.info["version"]
        if ident["pack_version"] != version:
            err(f"issued with pack version {ident['pack_version']!r}, but {self.label} is pack version {version!r}")
            return
        level = f"{ident['level']}-" if ident.get("level") else ""  # packs before ambition levels had none
        document = f"{ident['profile']}-{ident['category']}-{level}questionnaire-{ident['edition']}"
        entry = self.data.documents.get(f"{DOCUMENTS}{ident['profile']}/{ident['category']}/{document}.docx")
        if entry is None:
            err(f"{self.label} holds no questionnaire {document}: the file does not come from this release")
        elif entry.get("identity_sha256"):
            err(f"the file carries no questionnaire identity, but {document} of {self.label} does: it was removed")
        elif entry.get("questions_hash") != ident["questions_hash"]:
            err(f"its questions (hash {ident['questions_hash'][:12] or 'missing'}) are not those {self.label} issued "
                f"(hash {str(entry.get('questions_hash'))[:12]})")  # fmt: skip

    def _issued(self, path: str) -> dict[str, Any] | None:
        """The identity of the release's own copy of the questionnaire (None: the release predates identities)."""
        if path not in self.issued:
            label = f"{self.label}:{path}"
            ret = read_questionnaire_bytes(self.data.read(path), label)
            if ret.identity.stored is None:
                self.issued[path] = None
            else:
                try:
                    self.issued[path] = identity.parse(ret.identity.stored)
                except identity.IdentityError as exc:
                    raise InputFileError(f"{label}: {exc}") from None
        return self.issued[path]
