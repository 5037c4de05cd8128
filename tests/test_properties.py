"""Property tests (hypothesis): the loader, the merge rule and selection.

- whatever YAML-shaped data a profile or a clause holds, loading, checking and composing it raise nothing
  but tenderpack's own error type (a user's mistake is a message, never a traceback);
- plain data survives the loader unchanged, whatever its strings look like (``NO``, ``1.10``, ``010``, dates);
- merge is associative along a chain, on data and on origins;
- selection is deterministic: the same clauses in any order give the same documents.

The budget is small by default (CI stays fast); ``TENDERPACK_FUZZ_EXAMPLES=10000 pytest tests/test_properties.py``
runs the large one, with fresh random examples.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenderpack import checks, pipeline
from tenderpack.errors import Collector, TenderpackError
from tenderpack.loading import load_yaml
from tenderpack.profiles import Layer, Origin, merge
from tenderpack.project import load_project
from tenderpack.selection import parameter_values, select

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DEFAULT_EXAMPLES = 60
EXAMPLES = int(os.environ.get("TENDERPACK_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= DEFAULT_EXAMPLES,  # CI: the same examples every run; a large run explores afresh
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)

# ------------------------------------------------------------------------------------------ strategies

TRAPS = ["NO", "no", "yes", "Off", "~", "null", "", "1.10", "010", "0x1F", "1e400", ".inf", "nan", "-0", "2025-01-01",
         "12:30", "3", "100", "-5", "4.5", "{{ years }}", "{% if x %}", "../x", "a/b", "con", "nul.yaml", "ÿ", "日本",
         "a & b <c>", "'", '"', ": x", "- y", "#z", "*a", "&a", "!t", "%", "@", "`", "|", ">"]  # fmt: skip
IDS = ["itu", "eu", "fr", "bad", "computers", "mobile-devices", "end-of-life", "tender", "annex", "questionnaire",
       "policy", "core", "comprehensive", "cpc.spare-parts", "ts.battery", "ts.repair", "x.fuzz", "price",
       "circularity", "environment", "planning", "solicitation", "technical-specification", "all"]  # fmt: skip
PARAM_KEYS = ["cpc.spare-parts.years", "cpc.spare-parts.years@computers", "ts.battery.cycles", "adm.lots.share",
              "ac.warranty.minimum", "x.fuzz.n", "nope", "cpc.spare-parts.years@nope"]  # fmt: skip

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
scalar = st.one_of(st.sampled_from(TRAPS + IDS), text)


def data(leaf: st.SearchStrategy[Any] = scalar, keys: st.SearchStrategy[str] = scalar) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaf, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(keys, kids, max_size=4), max_leaves=10
    )


anything = data()
id_list = st.lists(st.sampled_from(IDS) | scalar, max_size=4)
criterion = st.fixed_dictionaries(
    {"weight": st.sampled_from(["0", "10", "30", "40", "60", "70", "100", "-1", "x"]) | anything},
    optional={"name": scalar | anything, "description": scalar},
)
PROFILE_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "name": scalar | anything,
    "language": st.sampled_from(["en", "fr", "no", "pt-BR", "EN", "english"]) | anything,
    "currency": st.sampled_from(["EUR", "USD", "NO", "eur"]) | anything,
    "jurisdiction": scalar | anything,
    "last_verified": scalar,
    "platform": scalar | anything,
    "levels": st.lists(st.sampled_from(["core", "comprehensive", "high"]), max_size=3) | anything,
    "level": st.sampled_from(["core", "comprehensive"]) | anything,
    "categories": id_list | anything,
    "documents": st.lists(st.sampled_from(["tender", "annex", "questionnaire", "policy", "brochure"]), max_size=3),
    "authority": st.fixed_dictionaries({"name": scalar}, optional={"address": scalar, "x": anything}) | anything,
    "legal": st.dictionaries(st.sampled_from(["framework", "award", "lcc", "labels", "ewaste", "x"]),
                             scalar | st.fixed_dictionaries({"text": scalar}, optional={"verified": scalar})),
    "parameters": st.dictionaries(st.sampled_from(PARAM_KEYS) | scalar, scalar | anything, max_size=3),
    "clauses": st.fixed_dictionaries({}, optional={"add": id_list, "remove": id_list}) | anything,
    "award": st.fixed_dictionaries({"criteria": st.dictionaries(st.sampled_from(IDS[-6:-3]) | scalar, criterion)}),
    "notes": st.lists(scalar) | anything,
    "thresholds": anything,
    "unknown": anything,
}  # fmt: skip
profiles = st.fixed_dictionaries(
    {"id": st.just("bad"), "extends": st.sampled_from(["itu", "eu", "fr", "bad", "nope", ""]) | anything},
    optional=PROFILE_FIELDS,
)
parameter = st.fixed_dictionaries(
    {"type": st.sampled_from(["integer", "number", "percent", "boolean", "text", "choice", "int"]),
     "doc": scalar, "default": scalar | st.fixed_dictionaries({}, optional={"core": scalar, "comprehensive": scalar})},
    optional={"min": scalar, "max": scalar, "options": st.lists(scalar, max_size=3), "unit": scalar},
)  # fmt: skip
question = st.fixed_dictionaries(
    {"id": st.sampled_from(["q-fuzz", "repair-manual", "Bad Id"]), "text": scalar | st.sampled_from(["Q {{ n }}?"]),
     "answer": st.fixed_dictionaries({"type": st.sampled_from(["text", "integer", "percent", "choice", "yes-no", "date", "x"])},
                                     optional={"options": st.lists(scalar, max_size=3), "min": scalar})},
    optional={"scoring": st.fixed_dictionaries(
        {"rule": st.sampled_from(["linear", "lowest-best", "bands", "options", "yes-no", "pass-fail", "x"])},
        optional={"criterion": st.sampled_from(IDS[-6:-3]) | scalar, "min": scalar, "max": scalar,
                  "threshold": st.sampled_from(["{{ n }}", "3"]) | scalar,
                  "bands": st.lists(st.fixed_dictionaries({"min": scalar, "score": scalar}), max_size=2),
                  "points": st.dictionaries(scalar, scalar, max_size=2)}),
              "evidence": scalar, "required": scalar},
)  # fmt: skip
clauses = st.fixed_dictionaries(
    {"id": st.just("x.fuzz"), "title": scalar, "version": st.sampled_from(["1", "2", "1.10", "010", "0"]) | scalar,
     "status": st.sampled_from(["approved", "draft", "published"]), "type": st.sampled_from([*IDS[-2:-1], "x"]),
     "stage": st.sampled_from(["solicitation", "planning", "x"]), "level": st.sampled_from(["core", "comprehensive"]),
     "categories": st.lists(st.sampled_from([*IDS[4:7], "all", "x"]), max_size=3) | scalar,
     "text": st.sampled_from(["Keep {{ n }} units.", "{{ n }} {{ legal.lcc }}", "Plain.", "{% if n %}x{% endif %}",
                              "{{ n | upper }}", "{{ authority.name }}", "1. a\n2. b\n", "**{{ n }}**"]) | scalar,
     "verification": scalar, "guidance": scalar},
    optional={"parameters": st.dictionaries(st.sampled_from(["n", "N", "years"]), parameter, max_size=2),
              "references": st.lists(st.sampled_from(["itu-t-l1061", "nope"]), max_size=2),
              "questions": st.lists(question, max_size=2), "kpis": anything, "unverified": anything},
)  # fmt: skip


def dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=70)


# ------------------------------------------------------------------------------------------ loader


@fuzz
@given(st.text(max_size=300) | st.binary(max_size=300))
def test_the_loader_turns_any_bytes_into_data_or_problems(tmp_path_factory: pytest.TempPathFactory, content: str | bytes) -> None:
    path = tmp_path_factory.getbasetemp() / "any.yaml"
    path.write_bytes(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)
    problems = Collector(path.parent)
    loaded = load_yaml(path, problems)
    assert (loaded is None) == bool(problems.problems)
    assert all(p.file == "any.yaml" and p.message for p in problems.problems)


@fuzz
@given(st.dictionaries(scalar, data(text, text), min_size=1, max_size=5))
def test_plain_data_survives_the_loader_as_written(tmp_path_factory: pytest.TempPathFactory, value: dict[str, Any]) -> None:
    path = tmp_path_factory.getbasetemp() / "plain.yaml"
    path.write_text(dump(value), encoding="utf-8")
    problems = Collector(path.parent)
    loaded = load_yaml(path, problems)
    if any(CONTROL.search(s) for s in _strings(value)):
        assert loaded is None and "control character" in problems.problems[0].message
    else:
        assert problems.problems == [] and loaded is not None and loaded.data == value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


# ------------------------------------------------------------------------------------------ the whole check


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed project; the template lint's findings are cached (the templates never change here)."""
    root = make_project(tmp_path_factory.mktemp("fuzz") / "project")
    lint, cache = checks.lint_template, {}

    def cached(path: Path, context: Any) -> Any:
        if path not in cache:
            cache[path] = lint(path, context)
        return cache[path]

    checks.lint_template = cached  # type: ignore[assignment]
    yield root
    checks.lint_template = lint  # type: ignore[assignment]


def only_our_errors(root: Path, profile: str) -> None:
    """Load and check the project, compose one profile's documents: success, or TenderpackError, nothing else."""
    try:
        checked = pipeline.load_checked(root)
        for _ in pipeline.compose_all(checked, pipeline.Filters(profiles=(profile,))):
            pass
    except TenderpackError:
        pass


@fuzz
@given(profile=profiles)
def test_any_profile_gives_messages_never_a_crash(fuzz_project: Path, profile: dict[str, Any]) -> None:
    path = fuzz_project / "profiles" / "bad.yaml"
    path.write_text(dump(profile), encoding="utf-8")
    try:
        only_our_errors(fuzz_project, "bad")
    finally:
        path.unlink()


@fuzz
@given(clause=clauses)
def test_any_clause_gives_messages_never_a_crash(fuzz_project: Path, clause: dict[str, Any]) -> None:
    path = fuzz_project / "clauses" / "core" / "x.fuzz.yaml"
    path.write_text(dump(clause), encoding="utf-8")
    try:
        only_our_errors(fuzz_project, "fr")  # comprehensive: it takes core and comprehensive clauses
    finally:
        path.unlink()


@fuzz
@given(value=anything)
def test_any_data_anywhere_gives_messages_never_a_crash(fuzz_project: Path, value: Any) -> None:
    """Arbitrary data as a whole profile, clause and reference file."""
    paths = [fuzz_project / "profiles" / "any.yaml", fuzz_project / "clauses" / "core" / "any.yaml",
             fuzz_project / "clauses" / "references" / "any.yaml"]  # fmt: skip
    for path in paths:
        path.write_text(dump(value), encoding="utf-8")
    try:
        only_our_errors(fuzz_project, "any")
    finally:
        for path in paths:
            path.unlink()


# ------------------------------------------------------------------------------------------ merge


def layer(value: dict[str, Any], file: str) -> Layer:
    origins: dict[tuple[Any, ...], Origin] = {}

    def walk(v: Any, loc: tuple[Any, ...]) -> None:
        origins[loc] = Origin(file, len(origins) + 1)
        if isinstance(v, dict):
            for k, item in v.items():
                walk(item, (*loc, k))
        elif isinstance(v, list):
            for i, item in enumerate(v):
                walk(item, (*loc, i))

    walk(value, ())
    return Layer(value, origins)


small = st.sampled_from(["a", "b", "c", "clauses"])
layer_data = st.dictionaries(
    small,
    data(st.sampled_from(["1", "2", "x"]), small)
    | st.fixed_dictionaries({}, optional={"add": st.lists(st.sampled_from("pqrs"), max_size=3),
                                          "remove": st.lists(st.sampled_from("pqrs"), max_size=3),
                                          "a": st.sampled_from(["1", "2"])}),
    max_size=4,
)  # fmt: skip


@fuzz
@given(layer_data, layer_data, layer_data)
def test_merge_is_associative(a: dict[str, Any], b: dict[str, Any], c: dict[str, Any]) -> None:
    la, lb, lc = layer(a, "a.yaml"), layer(b, "b.yaml"), layer(c, "c.yaml")
    left, right = merge(merge(la, lb), lc), merge(la, merge(lb, lc))
    assert left.data == right.data
    assert left.origins == right.origins


# ------------------------------------------------------------------------------------------ selection


@fuzz
@given(seed=st.integers(0, 2**32 - 1), pid=st.sampled_from(["itu", "eu", "fr"]),
       category=st.sampled_from(["computers", "mobile-devices", "end-of-life"]),
       level=st.sampled_from(["core", "comprehensive"]),
       add=st.lists(st.sampled_from(["aw.justification", "ts.draft-example", "ts.repair", "ac.lcc"]), max_size=2),
       remove=st.lists(st.sampled_from(["cpc.takeback", "ts.repair", "sc.ems"]), max_size=2))  # fmt: skip
def test_selection_is_deterministic(fuzz_project: Path, seed: int, pid: str, category: str, level: str,
                                    add: list[str], remove: list[str]) -> None:  # fmt: skip
    problems = Collector(fuzz_project)
    project = load_project(fuzz_project, problems)
    resolved = checks.check_project(project, problems)[pid]
    assert project.library is not None
    profile = resolved.profile
    profile.clauses = profile.clauses.model_copy(update={"add": add, "remove": remove})
    shuffled = list(project.clauses.items())
    random.Random(seed).shuffle(shuffled)
    first = select(project.clauses, project.library, profile, category, level)
    again = select(dict(shuffled), project.library, profile, category, level)
    assert [c.id for c in first] == [c.id for c in again]
    values = [parameter_values(c, profile, category, level=level) for c in first]
    assert values == [parameter_values(c, profile, category, level=level) for c in again]
    assert not {c.id for c in first} & set(remove)  # a removed clause never appears
