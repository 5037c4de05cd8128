"""Open returned questionnaires, check their identity, match and validate their answers."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..documents import Composed
from ..errors import Collector
from ..model import EDITIONS
from ..pipeline import Checked, Filters, check, compose_all
from ..word.controls import Returned, read_questionnaire
from .match import match_controls
from .model import SUPPLIER_KEYS, Response
from .validate import _answer, _supplier_value

# ------------------------------------------------------------------------------------------ read


def read_responses(
    root: Path, files: Sequence[Path], *, profile: str | None = None, category: str | None = None
) -> tuple[Checked, list[Response]]:
    """Open, identify, match and validate every file; raise once with every identity problem."""
    returned = [read_questionnaire(f) for f in files]  # hostile files stop here, before any other work
    checked = check(root)
    problems = Collector()
    rebuilt: dict[tuple[str, str, str], Composed | None] = {}
    responses = []
    for ret in returned:
        resp = _response(ret, checked, problems, rebuilt, profile, category)
        if resp is not None:
            responses.append(resp)
    problems.raise_if_errors()
    return checked, responses


def _response(
    ret: Returned,
    checked: Checked,
    problems: Collector,
    rebuilt: dict[tuple[str, str, str], Composed | None],
    want_profile: str | None,
    want_category: str | None,
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
    pid, cat, edition = ident["profile"], ident["category"], ident["edition"]
    if want_profile and (pid, cat) != (want_profile, want_category):
        err(f"a questionnaire for profile {pid!r}, category {cat!r}, not {want_profile!r}, {want_category!r}")
        return None
    composed = _rebuild(checked, pid, cat, edition, rebuilt)
    if composed is None:
        err(f"this project builds no questionnaire for profile {pid!r}, category {cat!r}, edition {edition!r}")
        return None
    if ident["pack_version"] != checked.pack["version"]:
        err(
            f"built from pack version {ident['pack_version']!r}, but this project is at {checked.pack['version']!r}: "
            "evaluate with the release the questionnaire was issued from"
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
    assigned, how = match_controls(ret.controls, composed.questions, err)
    answers = {q["id"]: _answer(q, assigned, how) for q in composed.questions}
    supplier = {SUPPLIER_KEYS[tag]: _supplier_value(assigned.get(("supplier", tag))) for tag in SUPPLIER_KEYS}
    warnings = []
    if not supplier["name"]:
        warnings.append("the name of the tenderer is missing")
    if edition == "drafting":
        warnings.append("this is the drafting edition (the buyer's copy with scoring notes), not the issue edition")
    questionnaire = {
        "document": composed.spec.id,
        "profile": pid,
        "category": cat,
        "edition": edition,
        "pack_version": ident["pack_version"],
        "questions_hash": ident["questions_hash"],
    }
    return Response(ret.file, ret.sha256, supplier, questionnaire, answers, warnings)


def _identity_values(ret: Returned) -> dict[str, str]:
    doc, props = ret.identity.document, ret.identity.properties
    return {
        "kind": doc.get("kind") or props.get("kind", ""),
        "profile": doc.get("profile") or props.get("profile", ""),
        "category": doc.get("category") or props.get("category", ""),
        "edition": doc.get("edition") or props.get("edition", ""),
        "pack_version": doc.get("pack-version") or props.get("pack-version", ""),
        "questions_hash": ret.identity.questions_hash or props.get("questions-hash", ""),
    }


def _disagreements(ret: Returned) -> list[tuple[str, str, str]]:
    doc, props = ret.identity.document, ret.identity.properties
    pairs = [(k, doc.get(k), props.get(k)) for k in ("kind", "profile", "category", "edition", "pack-version")]
    pairs.append(("questions-hash", ret.identity.questions_hash, props.get("questions-hash")))
    return [(k, a, b) for k, a, b in pairs if a is not None and b is not None and a != b]


def _rebuild(
    checked: Checked, pid: str, cat: str, edition: str, cache: dict[tuple[str, str, str], Composed | None]
) -> Composed | None:
    key = (pid, cat, edition)
    if key not in cache:
        cache[key] = None
        if pid in checked.resolved and edition in EDITIONS:
            filters = Filters((pid,), (cat,), ("questionnaire",), (edition,))
            cache[key] = next(iter(compose_all(checked, filters)), None)
    return cache[key]
