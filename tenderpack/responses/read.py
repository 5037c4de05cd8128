"""Open returned questionnaires, check their identity, match and validate their answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .. import identity
from ..documents import Composed
from ..errors import Collector
from ..model import EDITIONS, LEVELS
from ..pipeline import Checked, Filters, check, compose_all
from ..word.controls import Returned, read_questionnaire
from .confirm import Release
from .match import match_controls
from .model import SUPPLIER_KEYS, Response
from .validate import Printed, _answer, _supplier_value

# ------------------------------------------------------------------------------------------ read


class _Sources:
    """Where a file's questions come from: its own identity, the project (files built before identities
    were stored), and the release that confirms identities (``--pack``)."""

    def __init__(self, root: Path, release: Release | None):
        self.root = root
        self.release = release
        self._checked: Checked | None = None
        self.rebuilt: dict[tuple[str, str, str, str], Composed | None] = {}

    @property
    def loaded(self) -> Checked | None:
        return self._checked

    def checked(self) -> Checked:
        if self._checked is None:
            self._checked = check(self.root)
        return self._checked


def read_responses(
    root: Path,
    files: Sequence[Path],
    *,
    profile: str | None = None,
    category: str | None = None,
    pack: Path | None = None,
) -> tuple[Checked | None, list[Response]]:
    """Open, identify, match and validate every file; raise once with every identity problem.

    The questions come from the identity each file carries, so files from any release are read without
    the project being at that release; the project is loaded (and returned) only for files built before
    identities were stored. With ``pack`` (a release zip), each identity must be the one that release
    issued.
    """
    returned = [read_questionnaire(f) for f in files]  # hostile files stop here, before any other work
    sources = _Sources(root, Release(pack) if pack is not None else None)
    problems = Collector()
    responses = []
    for ret in returned:
        resp = _response(ret, sources, problems, profile, category)
        if resp is not None:
            responses.append(resp)
    problems.raise_if_errors()
    return sources.loaded, responses


def _response(
    ret: Returned, sources: _Sources, problems: Collector, want_profile: str | None, want_category: str | None
) -> Response | None:
    def err(message: str, key: str = "") -> None:
        problems.error(ret.file, 0, key, message)

    ident = _identity_values(ret)
    if not ident["kind"]:
        err("not a tenderpack questionnaire: the file carries no tenderpack identity")
        return None
    if ident["kind"] != "questionnaire":
        err(f"a tenderpack {ident['kind']} document, not a questionnaire")
        return None
    for name, a, b in _disagreements(ret):
        err(f"the identity part and the document properties disagree on {name} ({a!r} / {b!r}): the file was altered")
    if ret.identity.parts > 1:
        err(f"the file holds {ret.identity.parts} tenderpack identity parts: it mixes questionnaires")
    pid, cat, edition, level = ident["profile"], ident["category"], ident["edition"], ident["level"]
    if want_profile and (pid, cat) != (want_profile, want_category):
        err(f"a questionnaire for profile {pid!r}, category {cat!r}, not {want_profile!r}, {want_category!r}")
        return None
    if ret.identity.stored is not None:
        stored = _stored_identity(ret, ident, err)
        if stored is not None and sources.release is not None:
            sources.release.confirm(stored, err)
    else:
        if sources.release is not None:
            sources.release.confirm_older(ident, err)
        stored = _rebuilt_identity(ret, ident, sources, err)
    if stored is None:
        return None
    questions = stored["questions"]
    labels = stored.get("labels")
    printed = Printed(labels, stored.get("language", "en"))
    assigned, how = match_controls(ret.controls, questions, err, labels)
    answers = {q["id"]: _answer(q, assigned, how, printed) for q in questions}
    supplier = {SUPPLIER_KEYS[tag]: _supplier_value(assigned.get(("supplier", tag)), printed) for tag in SUPPLIER_KEYS}
    warnings = []
    if not supplier["name"]:
        warnings.append("the name of the tenderer is missing")
    if edition == "drafting":
        warnings.append("this is the drafting edition (the buyer's copy with scoring notes), not the issue edition")
    questionnaire = {
        "document": stored["document"],
        "profile": pid,
        "category": cat,
        "level": level,
        "edition": edition,
        "pack_version": stored["pack"]["version"],
        "questions_hash": stored["questions_hash"],
        "identity_sha256": identity.fingerprint(stored),
    }
    return Response(ret.file, ret.sha256, supplier, questionnaire, answers, warnings, stored)


def _stored_identity(ret: Returned, ident: dict[str, str], err: Callable[[str], None]) -> dict[str, Any] | None:
    """The identity the file carries, checked against its fingerprint and the file's other records of it."""
    try:
        stored = identity.parse(ret.identity.stored or "")
    except identity.IdentityError as exc:
        err(f"{exc}: the file was altered")
        return None
    actual = identity.fingerprint(stored)
    recorded = ret.identity.stored_sha256 or ""
    if actual != recorded:
        err(
            f"the questionnaire identity was altered: its content has the fingerprint {actual[:12]}, "
            f"but the file records {recorded[:12] or 'none'}"
        )
        return None
    copies = (
        ("document", ret.identity.document.get("id"), stored["document"]),
        ("profile", ident["profile"], stored["profile"]),
        ("category", ident["category"], stored["category"]),
        ("level", ident["level"], stored["level"]),
        ("edition", ident["edition"], stored["edition"]),
        ("pack version", ident["pack_version"], stored["pack"]["version"]),
        ("questions hash", ident["questions_hash"], stored["questions_hash"]),
    )
    for name, shown, inside in copies:
        if shown is not None and shown != inside:
            err(f"the questionnaire identity and the file disagree on the {name} ({inside!r} / {shown!r}): the file was altered")
            return None
    listed = [(q["id"], q["ref"]) for q in ret.identity.questions]
    if listed and listed != [(q["id"], q["ref"]) for q in stored["questions"]]:
        err("the question list stored in the file does not match its questionnaire identity: the file was altered")
        return None
    return stored


def _rebuilt_identity(
    ret: Returned, ident: dict[str, str], sources: _Sources, err: Callable[[str], None]
) -> dict[str, Any] | None:
    """A file built before identities were stored: its questions are those this project builds, which must
    be the release the file was issued from."""
    checked = sources.checked()
    pid, cat, edition, level = ident["profile"], ident["category"], ident["edition"], ident["level"]
    composed = _rebuild(checked, pid, cat, level, edition, sources.rebuilt)
    if composed is None or composed.identity is None:
        err(f"this project builds no questionnaire for profile {pid!r}, category {cat!r}, level {level!r}, "
            f"edition {edition!r}")  # fmt: skip
        return None
    if ident["pack_version"] != checked.pack["version"]:
        err(
            f"built from pack version {ident['pack_version']!r}, but this project is at {checked.pack['version']!r}, "
            "and the file is older than questionnaire identities: evaluate with the release it was issued from"
        )
    if ident["questions_hash"] != composed.questions_hash:
        err(
            f"its questions (hash {ident['questions_hash'][:12] or 'missing'}) differ from those of {composed.spec.id} "
            f"as this project builds it (hash {composed.questions_hash[:12]}): a file from another questionnaire"
        )
        return None
    listed = [(q["id"], q["ref"]) for q in ret.identity.questions]
    if listed and listed != [(q["id"], q["ref"]) for q in composed.questions]:
        err("the question list stored in the file does not match its questions hash: the file was altered")
    return composed.identity


def _identity_values(ret: Returned) -> dict[str, str]:
    doc, props = ret.identity.document, ret.identity.properties
    return {
        "kind": doc.get("kind") or props.get("kind", ""),
        "profile": doc.get("profile") or props.get("profile", ""),
        "category": doc.get("category") or props.get("category", ""),
        "level": doc.get("level") or props.get("level", ""),
        "edition": doc.get("edition") or props.get("edition", ""),
        "pack_version": doc.get("pack-version") or props.get("pack-version", ""),
        "questions_hash": ret.identity.questions_hash or props.get("questions-hash", ""),
    }


def _disagreements(ret: Returned) -> list[tuple[str, str, str]]:
    doc, props = ret.identity.document, ret.identity.properties
    pairs = [(k, doc.get(k), props.get(k)) for k in ("kind", "profile", "category", "level", "edition", "pack-version")]
    pairs.append(("questions-hash", ret.identity.questions_hash, props.get("questions-hash")))
    pairs.append(("identity-sha256", ret.identity.stored_sha256, props.get("identity-sha256")))
    return [(k, a, b) for k, a, b in pairs if a is not None and b is not None and a != b]


def _rebuild(
    checked: Checked, pid: str, cat: str, level: str, edition: str,
    cache: dict[tuple[str, str, str, str], Composed | None],
) -> Composed | None:  # fmt: skip
    key = (pid, cat, level, edition)
    if key not in cache:
        cache[key] = None
        if pid in checked.resolved and edition in EDITIONS and level in LEVELS:
            filters = Filters((pid,), (cat,), ("questionnaire",), (edition,), (level,))
            cache[key] = next(iter(compose_all(checked, filters)), None)
    return cache[key]
