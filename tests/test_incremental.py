"""Incremental and parallel builds: what a rebuild renders, removes and reuses (no timed tests here;
``python bench/run.py`` measures speed)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, snapshot

from tenderpack import pipeline
from tenderpack.pipeline import BuildResult, build


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def listing(out: Path, clause: str) -> set[str]:
    """The documents whose manifest entry lists ``clause``."""
    return {d["path"] for d in manifest(out)["documents"] if any(c["id"] == clause for c in d["clauses"])}


def run(project: Path, out: Path, **options: Any) -> BuildResult:
    options.setdefault("jobs", 1)
    return build(project, out, **options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def built(project: Path, tmp_path: Path) -> tuple[Path, Path, BuildResult]:
    out = tmp_path / "out"
    first = run(project, out)
    assert first.rendered and not first.reused and not first.removed
    return project, out, first


def test_a_rebuild_with_no_change_renders_nothing_and_composes_nothing(built, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    before = snapshot(out)

    def no_compose(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a no-change rebuild composed documents")

    monkeypatch.setattr(pipeline, "compose_all", no_compose)
    monkeypatch.setattr(pipeline, "load_checked", no_compose)
    again = run(project, out, jobs=2)
    assert again.rendered == []
    assert again.reused == first.rendered
    assert [d["path"] for d in again.documents] == [d["path"] for d in first.documents]
    assert snapshot(out) == before


def test_a_change_that_changes_no_document_renders_nothing(built) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    before = snapshot(out)
    clause = project / "clauses" / "core" / "ts.repair.yaml"
    clause.write_text(clause.read_text(encoding="utf-8") + "# a comment changes no document\n", encoding="utf-8")
    again = run(project, out)
    assert again.rendered == []
    assert again.reused == first.rendered
    assert {k: v for k, v in snapshot(out).items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"
    }
    # the manifest records the new inputs: the next build is a no-change build again
    assert manifest(out)["inputs"] == pipeline.inputs_digest(project)


def test_a_changed_clause_rerenders_exactly_the_documents_that_list_it(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    containing = listing(out, "ts.repair")
    assert 0 < len(containing) < len(first.rendered)
    clause = project / "clauses" / "core" / "ts.repair.yaml"
    edit(clause, "version: 1", "version: 2")
    edit(clause, "free of charge.", "free of charge, in the language of the contract.")
    again = run(project, out)
    assert set(again.rendered) == containing
    assert set(again.reused) == set(first.rendered) - containing
    assert listing(out, "ts.repair") == containing
    # and the result is the one a build from scratch gives, byte for byte
    fresh = tmp_path / "fresh"
    run(project, fresh, jobs=2)
    assert snapshot(out) == snapshot(fresh)


def test_a_text_change_rerenders_only_documents_that_print_the_text(built) -> None:  # type: ignore[no-untyped-def]
    project, out, _ = built
    containing = listing(out, "ts.repair")
    edit(project / "clauses" / "core" / "ts.repair.yaml", "free of charge.", "free of charge, always.")
    again = run(project, out)
    assert again.rendered
    assert set(again.rendered) <= containing
    for path in again.rendered:
        assert "-questionnaire-" not in path  # a questionnaire lists the clause for its questions, not its text


def test_a_changed_template_rerenders_the_documents_of_its_kind(built) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    (project / "templates" / "annex.docx").write_bytes((REPO / "templates" / "tender.docx").read_bytes())
    again = run(project, out)
    assert again.rendered == sorted(p for p in first.rendered if "-annex-" in p)


def test_a_hand_edited_output_is_rendered_again(built) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    victim = out / first.rendered[0]
    original = victim.read_bytes()
    victim.write_bytes(b"not a Word file")
    again = run(project, out)
    assert again.rendered == [first.rendered[0]]
    assert victim.read_bytes() == original


def test_outputs_that_left_the_pack_are_removed_and_reported(built) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    (project / "profiles" / "fr.yaml").unlink()
    again = run(project, out)
    gone = sorted(p for p in first.rendered if p.startswith("fr/"))
    assert gone
    assert again.removed == gone
    assert again.rendered == []
    assert not (out / "fr").exists()
    assert all(not d["path"].startswith("fr/") for d in manifest(out)["documents"])


def test_force_renders_every_document(built) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    before = snapshot(out)
    again = run(project, out, force=True, jobs=2)
    assert again.rendered == first.rendered
    assert again.reused == []
    assert snapshot(out) == before


def test_one_worker_and_two_workers_give_identical_bytes(project: Path, tmp_path: Path) -> None:
    one = run(project, tmp_path / "one", jobs=1)
    two = run(project, tmp_path / "two", jobs=2)
    assert one.rendered == two.rendered
    a, b = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_a_filtered_rebuild_keeps_the_other_documents(built) -> None:  # type: ignore[no-untyped-def]
    project, out, first = built
    before = snapshot(out)
    again = run(project, out, filters=pipeline.Filters(profiles=("eu",)))
    assert again.rendered == []
    assert again.reused == [p for p in first.rendered if p.startswith("eu/")]
    assert len(again.documents) == len(first.documents)
    assert {k: v for k, v in snapshot(out).items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"
    }


def test_progress_reaches_the_total(project: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = run(project, tmp_path / "o", jobs=2, progress=lambda done, total: calls.append((done, total)))
    total = len(result.rendered)
    assert calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


@pytest.mark.parametrize("documents", [0, 1, 3])
def test_the_manifest_is_written_as_json_dumps_would(tmp_path: Path, documents: int) -> None:
    header = {"tenderpack": "0", "pack": {"version": "1", "date": "2026-01-01"}, "inputs": "x", "warnings": []}
    docs = [
        {"path": f"a/{i}.docx", "clauses": [{"id": "c", "version": 1}], "title": "Ü & <b>"} for i in range(documents)
    ]
    pipeline._write_manifest(tmp_path / "m.json", header, docs)
    expected = json.dumps({**header, "documents": docs}, indent=2, ensure_ascii=False) + "\n"
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == expected


def test_render_caches_are_keyed_by_content_not_by_path(project: Path, tmp_path: Path) -> None:
    """Two builds in one process, the template changed in between: the second never renders the old one."""
    run(project, tmp_path / "a")
    (project / "templates" / "annex.docx").write_bytes((REPO / "templates" / "tender.docx").read_bytes())
    run(project, tmp_path / "a")
    run(project, tmp_path / "b", force=True)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert re.search(r"-annex-", " ".join(snapshot(tmp_path / "a")))


# ------------------------------------------------------------------------------------------ render shortcuts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _table(grid: int, rows: list[list[int]]) -> str:
    """A table with ``grid`` grid columns; each row lists its cells' spans (1: no gridSpan)."""

    def cell(span: int) -> str:
        pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span != 1 else ""
        return f"<w:tc>{pr}<w:p/></w:tc>"

    cols = "".join('<w:gridCol w:w="1000"/>' for _ in range(grid))
    body = "".join("<w:tr>" + "".join(cell(s) for s in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}</w:tbl>"


@pytest.mark.parametrize(
    "tables",
    [
        [_table(3, [[1, 1, 1], [2, 1]])],  # regular: nothing to repair
        [_table(2, [[1, 1, 1]])],  # more cells than grid columns: docxtpl adds one
        [_table(4, [[1, 1], [2]])],  # grid wider than every row: docxtpl removes columns
        [_table(2, [[1, 1]]).replace("<w:p/></w:tc>", _table(1, [[1, 1]]) + "<w:p/></w:tc>", 1)],  # nested
        [_table(2, [[2]]).replace('w:val="2"', 'w:val="x"')],  # docxtpl fails: so must we
        [_table(2, [[3]])],
        [_table(0, [])],
        [_table(2, [])],
    ],
)
def test_the_table_repair_shortcut_gives_docxtpls_result(tables: list[str]) -> None:
    from docxtpl import DocxTemplate
    from lxml import etree

    from tenderpack.word.render import SafeDocxTemplate

    xml = f'<w:body xmlns:w="{W}">' + "".join(tables) + "</w:body>"

    def repaired(cls: Any) -> Any:
        try:
            return etree.tostring(cls.fix_tables(cls.__new__(cls), xml))
        except Exception as exc:
            return type(exc)

    assert repaired(SafeDocxTemplate) == repaired(DocxTemplate)
