"""Stage 3: profile inheritance, merge rule, cycles and provenance."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from tenderpack.errors import Collector
from tenderpack.profiles import Layer, Origin, merge, resolve
from tenderpack.project import load_project


def layer(data: dict, file: str) -> Layer:
    def walk(value: object, loc: tuple) -> dict:
        out = {loc: Origin(file, len(loc) + 1)}
        if isinstance(value, dict):
            for k, v in value.items():
                out.update(walk(v, (*loc, k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                out.update(walk(v, (*loc, i)))
        return out

    return Layer(data, walk(data, ()))


def test_merge_rule() -> None:
    parent = layer({"a": {"x": "1", "y": "2"}, "l": ["p"], "clauses": {"add": ["c1", "c2"], "remove": ["c3"]}}, "p")
    child = layer({"a": {"y": "3"}, "l": ["c"], "clauses": {"add": ["c3"], "remove": ["c1"]}}, "c")
    merged = merge(parent, child)
    assert merged.data["a"] == {"x": "1", "y": "3"}  # mappings merge key by key
    assert merged.data["l"] == ["c"]  # lists replace
    assert merged.data["clauses"] == {"add": ["c2", "c3"], "remove": ["c1"]}  # accumulate; the child's word wins
    assert merged.origin(("a", "x")).file == "p"
    assert merged.origin(("a", "y")).file == "c"
    assert merged.origin(("l", 0)).file == "c"
    assert merged.origin(("clauses", "add", 1)).file == "c"
    assert merged.origin(("clauses", "add", 0)).file == "p"


def test_merge_does_not_change_its_arguments() -> None:
    parent = layer({"a": {"x": "1"}}, "p")
    merge(parent, layer({"a": {"x": "2"}}, "c"))
    assert parent.data == {"a": {"x": "1"}}


def test_chain_of_any_depth_and_provenance(project: Path) -> None:
    write(project / "profiles" / "fr-paris.yaml", "id: fr-paris\nname: Paris\nextends: fr\nauthority:\n  name: Ville de Paris\n")
    problems = Collector(project)
    loaded = load_project(project, problems)
    r = resolve("fr-paris", loaded, problems)
    assert problems.errors == []
    assert r is not None and r.chain == ["itu", "eu", "fr", "fr-paris"]
    assert r.profile.authority.name == "Ville de Paris"
    assert r.profile.currency == "EUR"  # from eu
    assert str(r.layer.origin(("currency",))) == "profiles/eu.yaml:4"
    assert str(r.layer.origin(("legal", "award"))) == "profiles/fr.yaml:8"
    assert str(r.layer.origin(("levels",))) == "profiles/fr.yaml:9"
    assert str(r.layer.origin(("language",))) == "profiles/itu.yaml:3"


def test_cycle_is_named(project: Path) -> None:
    write(project / "profiles" / "a.yaml", "id: a\nname: A\nextends: b\n")
    write(project / "profiles" / "b.yaml", "id: b\nname: B\nextends: a\n")
    problems = Collector(project)
    assert resolve("a", load_project(project, problems), problems) is None
    assert [str(p) for p in problems.errors] == ["profiles/b.yaml:3: extends: profiles extend each other in a cycle: a -> b -> a"]


def test_missing_parent(project: Path) -> None:
    write(project / "profiles" / "x.yaml", "id: x\nname: X\nextends: nowhere\n")
    problems = Collector(project)
    assert resolve("x", load_project(project, problems), problems) is None
    assert [str(p) for p in problems.errors] == [
        "profiles/x.yaml:3: extends: unknown profile 'nowhere' (known: eu, fr, itu, x)"
    ]


def test_wrong_value_is_reported_where_it_was_set(project: Path) -> None:
    text = (project / "profiles" / "eu.yaml").read_text().replace("currency: EUR", "currency: euro")
    write(project / "profiles" / "eu.yaml", text)
    problems = Collector(project)
    resolve("fr", load_project(project, problems), problems)
    assert "profiles/eu.yaml:4: currency: 'euro' is not an ISO 4217 currency code (e.g. 'EUR')" in [
        str(p) for p in problems.errors
    ]
