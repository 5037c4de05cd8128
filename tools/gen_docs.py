"""Generate docs/reference.md (schemas) and templates/README.md (template variables) from the code.

    python tools/gen_docs.py           # rewrite both
    python tools/gen_docs.py --check   # exit 1 if either is out of date (run by the tests)
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tenderpack import model, profile_model  # noqa: E402
from tenderpack.context import TEMPLATE_CONTEXT  # noqa: E402

SECTIONS = [
    ("Clause library: `clauses/library.yaml`", [model.Library, model.Release, model.Stage, model.ClauseType,
                                                  model.Category, model.DocumentKind, model.Section, model.FillIn, model.Unit]),
    ("Reference registry: `clauses/references/*.yaml` (key → entry)", [model.Reference]),
    ("Terms and glossary: `clauses/glossary.yaml`", [model.Glossary, model.TermDef, model.Definition]),
    ("Clause: `clauses/<theme>/<id>.yaml`", [model.Clause, model.Parameter, model.Question, model.Answer,
                                              model.Scoring, model.Band, model.Kpi]),
    ("Profile: `profiles/<id>.yaml`", [model.Profile, model.Authority, model.Tender, model.Citation, model.ClauseChanges,
                                       model.Award, model.Criterion, model.NounTerm]),
    ("Policy and checklist: `clauses/policy.yaml`", [model.PolicyFile, model.Target, model.ChecklistItem]),
    ("Fixed words of the documents: `clauses/strings.yaml`", [model.StringsFile, model.String]),
    ("Translation status (the `translations` of every record above)", [model.TranslationStatus]),
]  # fmt: skip


def _type(f: typing.Any) -> str:
    metadata = list(f.metadata)
    for arg in typing.get_args(f.annotation):  # Optional[Annotated[...]]: look inside
        metadata += list(getattr(arg, "__metadata__", ()))
    funcs = {getattr(m, "func", None) for m in metadata}
    if profile_model._check_local in funcs:
        return "profile text (a string in the file's language, or a mapping language → string)"
    if typing.get_origin(f.annotation) is list and model._as_text_map in {
        getattr(m, "func", None) for arg in typing.get_args(f.annotation) for m in getattr(arg, "__metadata__", ())
    }:
        return "list of texts (each a string, or a mapping language → string)"
    if model._as_text_map in funcs:
        return "text (a string, or a mapping language → string)"
    if model._english_option in funcs:
        return "list of options (each a string, or a text per language whose `en` is its id)"
    if model._as_citation in funcs:
        return "citation (a string, or {text, verified, reference})"
    if model.check_id in funcs:
        return "id"
    if model._as_list in funcs:
        return "list of ids (or one id)"
    annotation = f.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return " or ".join(f"`{a}`" for a in typing.get_args(annotation))
    text = str(annotation).replace("typing.", "").replace("tenderpack.model.", "").replace("tenderpack.model_base.", "")
    text = text.replace("tenderpack.profile_model.", "").replace("tenderpack.strings_model.", "")
    text = text.replace("<class '", "").replace("'>", "").replace("Annotated[", "").replace("NoneType", "None")
    text = text.replace("dict[str, str]", "text").replace("Literal", "one of ")
    return text.replace("|", "or")


def schema_page() -> str:
    out = [
        "# Reference: file formats",
        "",
        "Generated from `tenderpack/model.py` by `python tools/gen_docs.py`; do not edit by hand.",
        "Every plain YAML value is read as text and converted only where a field is a number or a flag,",
        "so `NO`, `1.10` and `2025-01-01` keep the meaning you wrote. A key not listed here is an error",
        "(with the closest known key as a hint: `paramaters` → did you mean `parameters`?), and so is an",
        "unknown clause, profile, category or parameter id wherever a file names one. A key that starts",
        "with `x-` (`x-note: ask legal`), at any level of any file, is a private note that tenderpack ignores.",
        "",
    ]
    for title, models in SECTIONS:
        out += [f"## {title}", ""]
        for m in models:
            assert issubclass(m, BaseModel)
            out += [f"### {m.__name__}", "", (m.__doc__ or "").strip().splitlines()[0], ""]
            out += ["| field | type | required | description |", "| --- | --- | --- | --- |"]
            for name, f in m.model_fields.items():
                required = "yes" if f.is_required() else "no"
                out.append(f"| `{name}` | {_type(f)} | {required} | {f.description or ''} |")
            out.append("")
    return "\n".join(out)


def template_page() -> str:
    out = [
        "# Word templates",
        "",
        "One template per document kind: `tender.docx`, `annex.docx`, `questionnaire.docx`, `policy.docx`,",
        "`checklist.docx`. They are ordinary Word documents: edit styles, the cover page, headers and footers",
        "in Word. Tags use Jinja syntax (`{{ authority.name }}`) and are rendered in a sandbox: no other",
        "variables, no attributes beyond those below, no includes. `tenderpack check` reports any unknown",
        "variable or filter and any broken tag, with the paragraph it is in. Keep document properties",
        "(title, author, ...) free of tags: tenderpack sets them.",
        "",
        "The clause numbering comes from the styles `Heading1`/`Heading2` (bound to the multi-level list",
        "\"Clause numbering\"), so keep those style ids. Other styles the body uses: `BodyText`, `ListBullet`,",
        "`ListNumber`, `Verification`, `Guidance`, `TableText`, `TableHeading`, `TOC1`, `TOC2`, `TOCHeading`,",
        "`PlaceholderText`, and the table style `TenderTable`. `python tools/make_templates.py` recreates the",
        "original templates.",
        "",
        "Generated from `tenderpack/context.py` by `python tools/gen_docs.py`; do not edit by hand.",
        "",
        "| variable | meaning |",
        "| --- | --- |",
    ]
    for name, (doc, fields) in TEMPLATE_CONTEXT.items():
        out.append(f"| `{name}` | {doc} |")
        for field, fdoc in fields.items():
            out.append(f"| `{name}.{field}` | {fdoc} |")
    return "\n".join(out) + "\n"


def slots_page() -> str:
    """The brief's clause slots and the approved clauses that cover them (from the library itself)."""
    from tenderpack.errors import Collector
    from tenderpack.project import load_project

    project = load_project(ROOT, Collector(ROOT))
    assert project.library is not None
    out = [
        "# Clause slots → clauses",
        "",
        "The content brief planned 58 clause slots; `clauses/library.yaml` lists them and `tenderpack check`",
        "fails if one is not covered by an approved clause. Some slots are split into several clauses, and",
        "a few clauses cover no slot (the award and review stages). Generated by `python tools/gen_docs.py`.",
        "",
        "| # | slot | clause | type | stage | level | categories |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    by_slot: dict[str, list[typing.Any]] = {}
    for clause in sorted(project.clauses.values(), key=lambda c: c.id):
        for slot in clause.slots:
            by_slot.setdefault(slot, []).append(clause)
    for i, slot in enumerate(project.library.slots, start=1):
        for clause in by_slot.get(slot, []) or [None]:
            if clause is None:
                out.append(f"| {i} | `{slot}` | — | | | | |")
                continue
            cats = ", ".join(clause.categories)
            out.append(f"| {i} | `{slot}` | `{clause.id}` | {clause.type} | {clause.stage} | {clause.level} | {cats} |")
    extra = [c for c in project.clauses.values() if not c.slots]
    if extra:
        out += ["", "Clauses beyond the slots:", ""]
        out += [f"- `{c.id}` ({c.type}, {c.stage}): {c.title['en']}" for c in sorted(extra, key=lambda c: c.id)]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    targets = {
        ROOT / "docs" / "reference.md": schema_page(),
        ROOT / "templates" / "README.md": template_page(),
        ROOT / "docs" / "slots.md": slots_page(),
    }
    stale = [p for p, text in targets.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for p in stale:
            print(f"{p.relative_to(ROOT)} is out of date: run python tools/gen_docs.py")
        return 1 if stale else 0
    for p, text in targets.items():
        p.parent.mkdir(exist_ok=True)
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
