"""The identity a questionnaire carries: everything needed to read and score it, from any release.

A questionnaire is evaluated long after it was issued, often by a project that has moved on to a later
release. So the build stores in the file itself (the custom XML part, as canonical JSON) what reading
and scoring need: the document (id, profile, category, edition), the pack version and date, the clauses
and their versions, the award criteria with the weights published with the tender, and every question
(reference, answer type, unit, options, bounds, required, evidence, scoring rule and the text printed).

The identity is protected by its **fingerprint**: the SHA-256 of its canonical JSON (sorted keys, no
spaces, UTF-8). The fingerprint is written three times: next to the JSON, in the document properties,
and in the release manifest entry of the document (``identity_sha256``). A file whose JSON no longer
matches the fingerprint beside it was edited by hand; a file whose fingerprint differs from the one the
published release records (``--pack``) is not the questionnaire that release issued. The fingerprint
is not a signature: someone who edits the JSON and recomputes it is caught only by ``--pack``.

The identity is pure data (no project, no Word), so both sides use this module: ``documents`` makes it
at build time and ``responses`` checks it when a file comes back.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

FORMAT = 1
MAX_DEPTH = 12  # the identity is at most five levels deep; anything deeper is not ours


def canonical(data: Any) -> str:
    """The canonical JSON text of ``data`` (what the fingerprint hashes)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def fingerprint(data: Any) -> str:
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def questions_hash(questions: list[dict[str, Any]]) -> str:
    """A stable hash of a questionnaire's question records (kept for files built before identities)."""
    return fingerprint(questions)


def make(
    *,
    document: str,
    profile: str,
    category: str,
    level: str,
    edition: str,
    pack: dict[str, str],
    language: str,
    currency: str,
    clauses: list[tuple[str, int]],
    criteria: dict[str, tuple[str, float]],
    questions: list[dict[str, Any]],
    texts: dict[str, str],
    labels: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The identity of one questionnaire, as plain JSON-ready data.

    ``labels`` are the words the questionnaire prints around its answer fields in its language (yes and no,
    the grey placeholder texts, column headings, the supplier rows, unit names, translated options): the
    answers are read by stable values, and by these words only where a word processor kept nothing else.
    """
    return {
        "format": FORMAT,
        "document": document,
        "kind": "questionnaire",
        "profile": profile,
        "category": category,
        "level": level,
        "edition": edition,
        "pack": {"version": pack["version"], "date": pack["date"]},
        "language": language,
        "currency": currency,
        "clauses": [{"id": cid, "version": version} for cid, version in clauses],
        "award": {"criteria": [{"id": cid, "name": name, "weight": weight} for cid, (name, weight) in criteria.items()]},
        "questions": questions,
        "questions_hash": questions_hash(questions),
        "texts": texts,
        **({"labels": labels} if labels is not None else {}),
    }


# ------------------------------------------------------------------------------------------ checking


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Band(_Strict):
    min: float
    score: float = Field(ge=0, le=1)


class _Scoring(_Strict):
    rule: Literal["linear", "lowest-best", "bands", "options", "yes-no", "pass-fail"]
    criterion: str | None
    weight: float = Field(gt=0, allow_inf_nan=False)
    min: float | str | None
    max: float | str | None
    threshold: float | str | None
    bands: list[_Band]
    points: dict[str, float]


class _Question(_Strict):
    id: str = Field(min_length=1, max_length=200)
    ref: str = Field(max_length=50)
    clause: str
    type: Literal["text", "integer", "number", "percent", "date", "choice", "yes-no"]
    unit: str | None
    options: list[str]
    min: float | None
    max: float | None
    required: bool
    evidence: bool
    text: str
    scoring: _Scoring | None


class _Criterion(_Strict):
    id: str
    name: str
    weight: float = Field(ge=0, le=100, allow_inf_nan=False)


class _Award(_Strict):
    criteria: list[_Criterion]  # in the profile's order (a list: canonical JSON sorts the keys of objects)


class _Columns(_Strict):
    questions: list[str] = Field(min_length=4, max_length=4)
    supplier: list[str] = Field(min_length=2, max_length=2)


class _Labels(_Strict):
    yes: str
    no: str
    placeholders: list[str]
    columns: _Columns
    supplier: dict[str, str]
    units: dict[str, str]
    options: dict[str, dict[str, str]]


class _Clause(_Strict):
    id: str
    version: int


class _Pack(_Strict):
    version: str
    date: str


class _Identity(_Strict):
    format: Literal[1]
    document: str
    kind: Literal["questionnaire"]
    profile: str
    category: str
    level: str
    edition: str
    pack: _Pack
    language: str
    currency: str
    clauses: list[_Clause]
    award: _Award
    questions: list[_Question]
    questions_hash: str
    texts: dict[str, str]
    labels: _Labels | None = None  # absent from questionnaires built before their fields were translated


class IdentityError(ValueError):
    """The stored identity cannot be used (not JSON, wrong shape, inconsistent)."""


def parse(text: str) -> dict[str, Any]:
    """The identity stored in a file, checked for shape; raises IdentityError (the text is untrusted)."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise IdentityError("the questionnaire identity is not valid JSON") from None
    if _depth(data) > MAX_DEPTH:
        raise IdentityError("the questionnaire identity is nested too deeply")
    try:
        _Identity.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise IdentityError(f"the questionnaire identity is malformed ({where}: {first['msg']})") from None
    for noun, items in (("question", data["questions"]), ("award criterion", data["award"]["criteria"])):
        ids = [item["id"] for item in items]
        if len(set(ids)) != len(ids):
            raise IdentityError(f"the questionnaire identity lists a {noun} twice")
    if questions_hash(data["questions"]) != data["questions_hash"]:
        raise IdentityError("the questions of the questionnaire identity do not match its questions hash")
    return dict(data)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _depth(data: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(data, dict):
        return max((_depth(v, level + 1) for v in data.values()), default=level + 1)
    if isinstance(data, list):
        return max((_depth(v, level + 1) for v in data), default=level + 1)
    return level


def criteria(identity: dict[str, Any]) -> dict[str, tuple[str, float]]:
    """The published award criteria: id → (name, weight)."""
    return {c["id"]: (c["name"], float(c["weight"])) for c in identity["award"]["criteria"]}


# ------------------------------------------------------------------------------------------ differences


def differences(issued: dict[str, Any], found: dict[str, Any]) -> list[str]:
    """What differs between the identity a release issued and the one a file carries, in plain words."""
    out = []
    for key in ("document", "profile", "category", "edition", "language", "currency"):
        if issued.get(key) != found.get(key):
            out.append(f"{key}: {found.get(key)!r} in the file, {issued.get(key)!r} in the release")
    if issued.get("pack") != found.get("pack"):
        out.append(f"pack: {_short(found.get('pack'))} in the file, {_short(issued.get('pack'))} in the release")
    out += _keyed("clause", issued.get("clauses", []), found.get("clauses", []), "id")
    out += _keyed("award criterion", issued["award"]["criteria"], found["award"]["criteria"], "id")
    out += _keyed("question", issued.get("questions", []), found.get("questions", []), "id")
    texts_a, texts_b = issued.get("texts", {}), found.get("texts", {})
    for qid in sorted(set(texts_a) | set(texts_b)):
        if texts_a.get(qid) != texts_b.get(qid):
            out.append(f"question {qid}: its printed text differs")
    if not out and issued != found:
        out.append("the identity differs in a field tenderpack does not know")
    return out


def _keyed(noun: str, issued: list[Any], found: list[Any], key: str) -> list[str]:
    a = {str(x[key]): x for x in issued}
    b = {str(x[key]): x for x in found}
    out = []
    for k in [*a, *(k for k in b if k not in a)]:
        if k not in b:
            out.append(f"{noun} {k}: in the release, not in the file")
        elif k not in a:
            out.append(f"{noun} {k}: in the file, not in the release")
        elif a[k] != b[k]:
            name = f"{a[k]['ref']} {k}" if noun == "question" else k
            shown = "; ".join(f"{f} {_short(y)} in the file, {_short(x)} in the release" for f, x, y in _fields(a[k], b[k]))
            out.append(f"{noun} {name}: {shown}")
    return out


def _fields(a: Any, b: Any, prefix: str = "") -> list[tuple[str, Any, Any]]:
    """The differing leaves of two values, by dotted path (objects are followed, lists compared whole)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for f in sorted(set(a) | set(b)):
            if a.get(f) != b.get(f):
                out += _fields(a.get(f), b.get(f), f"{prefix}{f}.")
        return out
    return [(prefix.rstrip("."), a, b)]


def _short(value: Any, limit: int = 160) -> str:
    text = canonical(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
