"""Cross-checks over the loaded project: ids, vocabularies, parameters, references, profiles, weights.

Schema checks happen while loading; this module checks what spans files. Every finding names the file
and line of the value at fault.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from typing import Any

from . import fillins, limits
from .context import TEMPLATE_CONTEXT
from .errors import Collector, did_you_mean, unknown
from .loading import Loc, YamlFile, key_path, walk_strings
from .model import NAME_RE, Clause, Parameter, Profile
from .notices.codelists import eforms_codes
from .profiles import ResolvedProfile, resolve
from .project import Project, uses_loc
from .selection import coerce, default_of, per_level, select
from .terms import all_names
from .text import TextError, attributes_used, variables
from .translations import check_translations
from .word.lint import lint_template, template_paragraphs

GLOBAL_NAMES = frozenset({"authority", "profile", "legal", "category", "currency", "fill"})
PARAM_KEY = re.compile(r"^(?P<clause>[a-z0-9.-]+)\.(?P<param>[a-z][a-z0-9_]*)(?:@(?P<category>[a-z0-9-]+))?$")


def text_line(yfile: YamlFile, loc: tuple[Any, ...], source: str, line: int | None) -> int:
    """File line of a line inside a text value (block scalars start on the line after the key)."""
    base = yfile.line(loc)
    if not line:
        return base
    return base + line if "\n" in source.rstrip("\n") or source.endswith("\n") else base


def written(yf: YamlFile, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A text's key path as the file writes it: a text given as a plain string has no language key."""
    return loc[:-1] if loc not in yf.lines and loc[:-1] in yf.lines else loc


def check_project(project: Project, problems: Collector) -> dict[str, ResolvedProfile]:
    """Run every cross-check; return the profiles that resolved."""
    from .terms_check import check_profile_terms, check_terms  # it uses this module's helpers

    if project.library is None:
        return {}
    legal_used: dict[str, list[str]] = {}
    _check_clauses(project, problems, legal_used)
    _check_shared(project, problems)
    _check_coverage(project, problems)
    _check_library_texts(project, problems, legal_used)
    _check_policy(project, problems)
    _check_literal_markup(project, problems)
    _check_fill_in_uses(project, problems)
    check_terms(project, problems)
    _check_limits(project, problems)
    for _kind, path in sorted({**project.templates, **project.report_templates}.items()):
        for finding in lint_template(path, TEMPLATE_CONTEXT):
            problems.error(path, 0, finding.part, finding.message)
    resolved: dict[str, ResolvedProfile] = {}
    for pid in sorted(project.profile_files):
        r = resolve(pid, project, problems)
        if r is not None:
            resolved[pid] = r
            _check_profile(project, r, problems, legal_used)
            check_profile_terms(project, r, problems)
    if len(resolved) == len(project.profile_files):
        _check_orphans(project, resolved, problems)
    check_translations(project, resolved, problems)
    return resolved


def _check_orphans(project: Project, resolved: dict[str, ResolvedProfile], problems: Collector) -> None:
    """Every approved clause appears in at least one document of some profile, category and level."""
    lib = project.library
    assert lib is not None
    if project.failed or not resolved:
        return  # judged once everything loads: a clause could be orphaned only by a broken file
    known = {c.id for c in lib.categories}
    kinds_of_type: dict[str, set[str]] = {t.id: set(t.documents) for t in lib.types}
    selected: dict[str, list[str]] = {}  # clause id -> "profile/category/level" that select it
    reached: set[str] = set()
    for pid, r in sorted(resolved.items()):
        p = r.profile
        for cat in p.categories:
            if cat not in known:
                continue
            for level in p.levels:
                for clause in select(project.clauses, lib, p, cat, level):
                    selected.setdefault(clause.id, []).append(f"{pid}/{cat}/{level}")
                    kinds = kinds_of_type.get(clause.type, set()) | ({"questionnaire"} if clause.questions else set())
                    if kinds & set(p.documents):
                        reached.add(clause.id)
    for cid, clause in sorted(project.clauses.items()):
        if clause.status != "approved" or cid in reached:
            continue
        yf = project.clause_files[cid]
        if cid in selected:
            shown = sorted(kinds_of_type.get(clause.type, set()))
            why = (f"selected for {', '.join(selected[cid][:3])}{' ...' if len(selected[cid]) > 3 else ''}, but "
                   f"clauses of type {clause.type!r} appear only in {', '.join(shown) or 'no document'}, "
                   "which those profiles do not build")  # fmt: skip
        else:
            why = (f"no profile builds a {clause.level}-level document of its categories "
                   f"({', '.join(clause.categories)}) without removing it; add it to a profile's "
                   "categories, levels or clauses.add")  # fmt: skip
        problems.error(yf.path, yf.line(("id",)), "id", f"approved clause {cid!r} reaches no document of any profile ({why})")


# ------------------------------------------------------------------------------------------ clauses


def _check_clauses(project: Project, problems: Collector, legal_used: dict[str, list[str]]) -> None:
    lib = project.library
    assert lib is not None
    stages = {s.id for s in lib.stages}
    types = {t.id for t in lib.types}
    categories = {c.id for c in lib.categories}
    units = set(lib.units)
    question_ids: dict[str, str] = {}
    kpi_ids: dict[str, str] = {}
    if "shared" in project.clauses:
        yf = project.clause_files["shared"]
        problems.error(yf.path, yf.line(("id",)), "id", "'shared' is reserved: profiles set shared parameters as 'shared.<name>'")
    for cid, clause in project.clauses.items():
        yf = project.clause_files[cid]
        err = _reporter(problems, yf)
        if clause.type not in types:
            err(("type",), unknown("clause type", clause.type, types))
        if clause.stage not in stages:
            err(("stage",), unknown("stage", clause.stage, stages))
        for i, cat in enumerate(clause.categories):
            if cat != "all" and cat not in categories:
                err(("categories", i), unknown("category", cat, categories))
        for i, ref in enumerate(clause.references):
            if ref not in project.references:
                hint = did_you_mean(ref, project.references)
                err(("references", i), f"unknown reference {ref!r}; did you mean {hint!r}?" if hint
                    else f"unknown reference {ref!r}: add it to clauses/references/")  # fmt: skip
        impact_codes = eforms_codes("environmental-impact")
        for i, code in enumerate(clause.impacts):
            if code not in impact_codes:
                err(("impacts", i), unknown("environmental impact", code, impact_codes) + " (eForms code list 'environmental-impact')")
            elif code in clause.impacts[:i]:
                err(("impacts", i), f"{code!r} is listed twice")
        if clause.status == "approved" and not clause.references:
            err(("references",), "an approved clause cites at least one reference")
        if clause.variant_of is not None:
            original = project.clauses.get(clause.variant_of)
            if original is None and clause.variant_of not in project.failed:
                err(("variant_of",), unknown("clause", clause.variant_of, project.clauses, False))
            elif original is not None and original.variant_of is not None:
                err(("variant_of",), f"{clause.variant_of} is itself a variant (of {original.variant_of}): name the original")
        for name, param in clause.parameters.items():
            if name not in clause.uses:  # a shared one is checked once, in library.yaml
                _check_parameter(err, ("parameters", name), name, param, units)
        _check_clause_texts(project, clause, yf, problems, legal_used)
        for i, q in enumerate(clause.questions):
            loc = ("questions", i)
            if q.id in question_ids and question_ids[q.id] != cid:
                err((*loc, "id"), f"question id {q.id!r} is already used by clause {question_ids[q.id]}")
            question_ids[q.id] = cid
            if q.answer.type == "choice" and not q.answer.options:
                err((*loc, "answer", "options"), "a choice answer needs options")
            if q.answer.unit is not None and q.answer.unit not in units:
                err((*loc, "answer", "unit"), _unit_message(q.answer.unit, units))
            s = q.scoring
            if s is None:
                continue
            if s.rule != "pass-fail" and not s.criterion:
                err((*loc, "scoring", "criterion"), "a scored question names the award criterion it feeds")
            if s.rule == "linear" and (s.min is None or s.max is None):
                err((*loc, "scoring"), "a linear rule needs min and max")
            if s.rule == "bands" and not s.bands:
                err((*loc, "scoring", "bands"), "a banded rule needs bands")
            if s.rule == "options":
                if q.answer.type != "choice":
                    err((*loc, "scoring", "rule"), "the options rule needs a choice answer")
                for opt in s.points:
                    if opt not in [limits.without_leading(o) for o in q.answer.options]:
                        err((*loc, "scoring", "points", opt), f"{opt!r} is not one of the answer options")
                if s.zero is not None and s.points:
                    err((*loc, "scoring", "zero"), "give either points or zero, not both")
                elif s.zero is not None and "{" not in s.zero and s.zero not in q.answer.options:
                    err((*loc, "scoring", "zero"), f"{s.zero!r} is not one of the answer options")
            elif s.zero is not None:
                err((*loc, "scoring", "zero"), "zero belongs to the options rule")
            if s.rule in ("linear", "lowest-best", "bands") and q.answer.type not in ("integer", "number", "percent"):
                err((*loc, "scoring", "rule"), f"the {s.rule} rule needs a numeric answer, not {q.answer.type}")
            if s.rule == "yes-no" and q.answer.type != "yes-no":
                err((*loc, "scoring", "rule"), "the yes-no rule needs a yes-no answer")
        for i, k in enumerate(clause.kpis):
            if k.id in kpi_ids and kpi_ids[k.id] != cid:
                err(("kpis", i, "id"), f"KPI id {k.id!r} is already used by clause {kpi_ids[k.id]}")
            kpi_ids[k.id] = cid


def _unit_message(unit: str, units: set[str]) -> str:
    hint = " (say 'working days' or 'calendar days')" if unit.strip().lower() == "days" else ""
    return f"unknown unit {unit!r}{hint}: use one of library.yaml units ({', '.join(sorted(units)) or 'none declared'})"


def _check_shared(project: Project, problems: Collector) -> None:
    """Shared parameters are sound and used; a name that repeats is either shared or marked distinct.

    The rule (docs/authoring.md, "One value, one place"): a clause's own parameter may not carry the name
    of a shared parameter, nor the name and unit of another clause's own parameter, unless its
    declaration says in ``distinct`` why it is a different value.
    """
    lib, yf = project.library, project.library_file
    assert lib is not None and yf is not None
    units = set(lib.units)
    err = _reporter(problems, yf)
    used = {name for clause in project.clauses.values() for name in clause.uses.values()}
    for name, param in lib.parameters.items():
        _check_parameter(err, ("parameters", name), name, param, units)
        if name not in used and project.clauses and not project.failed:
            err(("parameters", name), "shared parameter is used by no clause (take it with 'uses', or remove it)")
    own: dict[tuple[str, str | None], list[str]] = {}
    for cid, clause in sorted(project.clauses.items()):
        for name, param in clause.parameters.items():
            if name not in clause.uses:
                own.setdefault((name, param.unit), []).append(cid)
    for (name, unit), cids in sorted(own.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        for cid in cids:
            clause = project.clauses[cid]
            if clause.parameters[name].distinct:
                continue
            cf = project.clause_files[cid]
            loc = ("parameters", name)
            others = [c for c in cids if c != cid]
            if name in lib.parameters:
                problems.error(cf.path, cf.line(loc), key_path(loc),
                               f"{name!r} is a shared parameter (library.yaml parameters): take it with "
                               f"'uses: [{name}]', or say in 'distinct' why this is another value")  # fmt: skip
            elif others:
                shown = f"{unit!r}" if unit else "no unit"
                problems.error(cf.path, cf.line(loc), key_path(loc),
                               f"{name!r} ({shown}) is also declared by {', '.join(others)}: make it a shared "
                               "parameter in library.yaml, or say in 'distinct' why the values differ")  # fmt: skip


def _check_coverage(project: Project, problems: Collector) -> None:
    """Every slot is covered; every category has an approved clause at every stage that applies to it."""
    lib, yf = project.library, project.library_file
    assert lib is not None and yf is not None
    if project.failed:
        return  # coverage is judged once every clause file loads: a broken file would show up twice
    covered: set[str] = set()
    for cid, clause in project.clauses.items():
        for i, slot in enumerate(clause.slots):
            if slot not in lib.slots:
                cf = project.clause_files[cid]
                problems.error(cf.path, cf.line(("slots", i)), f"slots.{i}", unknown("slot", slot, lib.slots))
            elif clause.status == "approved":
                covered.add(slot)
    for i, slot in enumerate(lib.slots):
        if slot not in covered and project.clauses:
            problems.error(yf.path, yf.line(("slots", i)), f"slots.{i}", f"slot {slot!r} is not covered by any approved clause")
    for i, cat in enumerate(lib.categories):
        stages = cat.stages or [s.id for s in lib.stages]
        missing = [
            stage
            for stage in stages
            if not any(
                c.status == "approved" and c.stage == stage and ("all" in c.categories or cat.id in c.categories)
                for c in project.clauses.values()
            )
        ]
        if missing and project.clauses:
            problems.error(yf.path, yf.line(("categories", i)), f"categories.{i}",
                           f"category {cat.id!r} has no approved clause at stage: {', '.join(missing)} "
                           "(add one, or list the stages that apply under 'stages')")  # fmt: skip
        known = {s.id for s in lib.stages}
        for j, stage in enumerate(cat.stages):
            if stage not in known:
                problems.error(yf.path, yf.line(("categories", i, "stages", j)), f"categories.{i}.stages.{j}", unknown("stage", stage, known))


def _reporter(problems: Collector, yf: YamlFile) -> Any:
    def err(loc: tuple[Any, ...], message: str) -> None:
        problems.error(yf.path, yf.line(loc), ".".join(str(p) for p in loc), message)

    return err


def _check_parameter(err: Any, loc: tuple[Any, ...], name: str, param: Parameter, units: set[str]) -> None:
    if not NAME_RE.match(name):
        err(loc, f"{name!r} is not a valid parameter name: lowercase letters, digits and underscores")
    if param.unit is not None and param.unit not in units:
        err((*loc, "unit"), _unit_message(param.unit, units))
    if param.min is not None and param.max is not None and param.min > param.max:
        err((*loc, "min"), f"min {param.min:g} is above max {param.max:g}")
    if param.type == "choice" and not param.options:
        err((*loc, "options"), "a choice parameter needs options")
        return  # no default can be right
    default = param.default
    levels = ("core", "comprehensive") if isinstance(default, dict) else ("core",)
    if isinstance(default, dict) and not set(default) <= {"core", "comprehensive"}:
        err((*loc, "default"), "a default mapping has only the keys core and comprehensive")
        return
    for level in levels:
        try:
            coerce(param, default_of(param, level))
        except ValueError as exc:
            where = (*loc, "default", level) if isinstance(default, dict) else (*loc, "default")
            err(where, str(exc))


def _check_clause_texts(
    project: Project, clause: Clause, yf: YamlFile, problems: Collector, legal_used: dict[str, list[str]]
) -> None:
    used: set[str] = set()
    sources: list[tuple[tuple[Any, ...], str]] = []
    for fieldname in ("text", "verification", "guidance"):
        for lang, src in getattr(clause, fieldname).items():
            sources.append((written(yf, (fieldname, lang)), src))
    for i, q in enumerate(clause.questions):
        for lang, src in q.text.items():
            sources.append((written(yf, ("questions", i, "text", lang)), src))
        for lang, src in (q.evidence or {}).items():
            sources.append((written(yf, ("questions", i, "evidence", lang)), src))
        for bound in ("min", "max", "threshold", "zero"):
            value = getattr(q.scoring, bound, None) if q.scoring else None
            if isinstance(value, str):
                sources.append((("questions", i, "scoring", bound), value))
    for i, k in enumerate(clause.kpis):
        for fieldname in ("name", "formula", "evidence", "target"):
            for lang, src in getattr(k, fieldname).items():
                sources.append((written(yf, ("kpis", i, fieldname, lang)), src))
    text_names: set[str] = set()
    for loc, src in sources:
        try:
            names = variables(src)
        except TextError as exc:
            problems.error(yf.path, text_line(yf, loc, src, exc.line), ".".join(map(str, loc)), exc.message)
            continue
        used |= names
        if loc[0] == "text":
            text_names |= names
        for attr in attributes_used(src, "legal"):
            legal_used.setdefault(attr, []).append(f"clause {clause.id}")
        for name in sorted(names - known_globals(project) - set(clause.parameters)):
            problems.error(
                yf.path, yf.line(loc), ".".join(map(str, loc)),
                f"uses {{{{ {name} }}}}, which is not a declared parameter of this clause",
            )
    for name in clause.parameters:
        if name not in text_names:
            loc = uses_loc(yf, name) if name in clause.uses else ("parameters", name)
            what = f"shared parameter {clause.uses[name]!r} is taken" if name in clause.uses else "parameter is declared"
            problems.error(yf.path, yf.line(loc), key_path(loc), f"{what} but not used in the clause text")


def _check_library_texts(project: Project, problems: Collector, legal_used: dict[str, list[str]]) -> None:
    lib, yf = project.library, project.library_file
    assert lib is not None and yf is not None
    for kind, doc in lib.documents.items():
        for part in ("before", "after"):
            for i, section in enumerate(getattr(doc, part)):
                for lang, src in (section.text or {}).items():
                    loc = written(yf, ("documents", kind, part, i, "text", lang))
                    _check_global_text(project, problems, yf, loc, src, legal_used, f"library documents.{kind}")
        for lang, src in (doc.description or {}).items():
            loc = written(yf, ("documents", kind, "description", lang))
            _check_global_text(project, problems, yf, loc, src, legal_used, f"library documents.{kind}")
    if project.policy.file is not None:
        for i, section in enumerate(project.policy.policy):
            for lang, src in (section.text or {}).items():
                loc = written(project.policy.file, ("policy", i, "text", lang))
                _check_global_text(project, problems, project.policy.file, loc, src, legal_used, "policy")
        for i, item in enumerate(project.policy.checklist):
            for part in ("step", "evidence"):
                for lang, src in item[part].items():
                    loc = written(project.policy.file, ("checklist", i, part, lang))
                    _check_global_text(project, problems, project.policy.file, loc, src, legal_used, "policy")


def known_globals(project: Project) -> frozenset[str]:
    """Names every text may use: the profile's values and the jurisdiction terms."""
    return GLOBAL_NAMES | all_names(project.glossary.terms)


def _check_global_text(project: Project, problems: Collector, yf: YamlFile, loc: tuple[Any, ...], src: str,
                       legal_used: dict[str, list[str]], who: str) -> None:  # fmt: skip
    try:
        names = variables(src)
    except TextError as exc:
        problems.error(yf.path, text_line(yf, loc, src, exc.line), ".".join(map(str, loc)), exc.message)
        return
    for name in sorted(names - known_globals(project)):
        problems.error(yf.path, yf.line(loc), ".".join(map(str, loc)), f"uses {{{{ {name} }}}}, which is not defined here")
    for attr in attributes_used(src, "legal"):
        legal_used.setdefault(attr, []).append(who)


# Where ``{{ }}`` and ``{% %}`` are evaluated (in a sandbox); everywhere else a value is printed as written.
CLAUSE_TEMPLATES = ("text", "verification", "guidance", "questions.*.text", "questions.*.evidence", "kpis.*.target",
                    "kpis.*.name", "kpis.*.formula", "kpis.*.evidence",
                    "questions.*.scoring.min", "questions.*.scoring.max", "questions.*.scoring.threshold",
                    "questions.*.scoring.zero")  # fmt: skip
LIBRARY_TEMPLATES = ("documents.*.before.*.text", "documents.*.after.*.text", "documents.*.description")
GLOSSARY_TEMPLATES = ("definitions.*.means",)
POLICY_TEMPLATES = ("policy.*.text", "checklist.*.step", "checklist.*.evidence")


def _templated(loc: Loc, patterns: tuple[str, ...]) -> bool:
    return any(
        len(loc) >= len(parts) and all(p in ("*", str(part)) for p, part in zip(parts, loc, strict=False))
        for parts in (pattern.split(".") for pattern in patterns)
    )


_MARKUP = re.compile(r"\{[{%#]")


def _check_literal_markup(project: Project, problems: Collector) -> None:
    """Template markup where nothing evaluates it is a mistake (or an injection attempt): say so."""
    files: list[tuple[YamlFile, tuple[str, ...]]] = [(yf, CLAUSE_TEMPLATES) for yf in project.clause_files.values()]
    references = {id(y): y for y in project.reference_files.values() if y is not project.library_file}
    files += [(yf, ()) for yf in references.values()]
    files += [(yf, ()) for yf in project.profile_files.values()]
    if project.library_file is not None:
        files.append((project.library_file, LIBRARY_TEMPLATES))
    if project.policy.file is not None:
        files.append((project.policy.file, POLICY_TEMPLATES))
    if project.glossary_file is not None:
        files.append((project.glossary_file, GLOSSARY_TEMPLATES))
    for yf, templates in files:
        for loc, value in walk_strings(yf.data):
            if loc and _MARKUP.search(value) and not _templated(loc, templates):
                problems.error(yf.path, yf.line(loc), ".".join(map(str, loc)),
                               "holds template markup ({{, {% or {#), which is not evaluated here: "
                               "the value would be printed as written")  # fmt: skip


def _check_fill_in_uses(project: Project, problems: Collector) -> None:
    """Every fill-in a text or template refers to (``fill["tender.reference"]``) is in the library's vocabulary."""
    assert project.library is not None
    known = {f.id for f in project.library.fill_ins}
    listed = ", ".join(sorted(known)) or "none"
    message = "uses fill-in {!r}, which clauses/library.yaml fill_ins does not declare (declared: " + listed + ")"
    files: list[tuple[YamlFile, tuple[str, ...]]] = [(yf, CLAUSE_TEMPLATES) for yf in project.clause_files.values()]
    if project.library_file is not None:
        files.append((project.library_file, LIBRARY_TEMPLATES))
    if project.policy.file is not None:
        files.append((project.policy.file, POLICY_TEMPLATES))
    for yf, templates in files:
        for loc, value in walk_strings(yf.data):
            if loc and _templated(loc, templates):
                for fill_id in sorted(fillins.used(value) - known):
                    problems.error(yf.path, yf.line(loc), ".".join(map(str, loc)), message.format(fill_id))
    for _kind, path in sorted(project.templates.items()):
        try:
            parts = template_paragraphs(path)
        except (OSError, zipfile.BadZipFile, KeyError):
            continue  # the template lint reports it
        for part, paragraphs in parts:
            for fill_id in sorted(set().union(*(fillins.used(t) for t in paragraphs)) - known):
                problems.error(path, 0, part, message.format(fill_id))


# Where a category limit ([only: ...], [not: ...]) takes effect: every clause field that reaches documents.
LIMITED_FIELDS = ("text", "verification", "guidance", "unverified.*", "questions.*.text", "questions.*.evidence",
                  "questions.*.answer.options.*", "kpis.*.name", "kpis.*.formula", "kpis.*.evidence",
                  "kpis.*.target")  # fmt: skip
POLICY_LIMITED = ("policy.*.text", "targets.*.goal", "targets.*.indicator", "targets.*.target",
                  "checklist.*.step", "checklist.*.evidence")  # fmt: skip
# a limit at the start of these limits the whole row (or entry)
ROW_FIELDS = ("questions.*.text", "kpis.*.name", "unverified.*", "targets.*.goal", "checklist.*.step")


def _check_limits(project: Project, problems: Collector) -> None:
    """Category limits name known categories the clause applies to, start a sentence, and limit something."""
    lib = project.library
    assert lib is not None
    known = [c.id for c in lib.categories]
    for cid, yf in sorted(project.clause_files.items()):
        clause = project.clauses.get(cid)
        if clause is None:
            continue
        scope = known if "all" in clause.categories else [c for c in clause.categories if c in known]
        for loc, value in walk_strings(yf.data):
            if "[" in value and loc:
                _check_limits_in(problems, yf, loc, value, known, scope, LIMITED_FIELDS, clause.id)
        for i, q in enumerate(clause.questions):
            _check_row_languages(problems, yf, ("questions", i, "text"), q.text)
        for i, k in enumerate(clause.kpis):
            _check_row_languages(problems, yf, ("kpis", i, "name"), k.name)
    files = [(project.library_file, LIBRARY_TEMPLATES), (project.policy.file, POLICY_LIMITED)]
    for other, fields in files:
        if other is None:
            continue
        for loc, value in walk_strings(other.data):
            if "[" in value and loc:
                _check_limits_in(problems, other, loc, value, known, known, fields, None)


def _check_limits_in(problems: Collector, yf: YamlFile, loc: tuple[Any, ...], src: str, known: list[str],
                     scope: list[str], fields: tuple[str, ...], clause: str | None) -> None:  # fmt: skip
    key = ".".join(map(str, loc))
    found = limits.find(src)
    for line, text in limits.malformed(src):
        problems.error(yf.path, text_line(yf, loc, src, line), key,
                       f"{text} is not a category limit: write [only: category, ...] or [not: category, ...]")  # fmt: skip
    if not found:
        return
    path = loc[:-1] if loc[-1] in _languages(yf, loc) else loc
    if not _templated(path, fields):
        problems.error(yf.path, yf.line(loc), key, f"{found[0].written}: a category limit has no effect here "
                       "(it works in texts, verification, guidance, questions, answer options and KPIs)")  # fmt: skip
        return
    owner = f"clause {clause}" if clause else "this text"
    for limit in found:
        line = text_line(yf, loc, src, limit.line)
        if not limit.ids:
            problems.error(yf.path, line, key, f"{limit.written} names no category")
            continue
        bad = False
        for cat in limit.ids:
            if cat not in known:
                close = difflib.get_close_matches(cat, known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
                problems.error(yf.path, line, key, f"unknown category {cat!r} in {limit.written} ({hint})")
                bad = True
            elif cat not in scope:
                problems.error(yf.path, line, key, f"{limit.written} names {cat!r}, which {owner} does not apply to "
                               f"(its categories: {', '.join(scope)})")  # fmt: skip
                bad = True
        if not bad and set(scope) <= set(limit.ids):
            what = "keeps it in every category" if limit.mode == "only" else "removes it from every category"
            problems.error(yf.path, line, key, f"{limit.written} {what} of {owner}: drop the limit"
                           + ("" if limit.mode == "only" else " or the text"))  # fmt: skip
        row = _templated(path, ROW_FIELDS) or (len(path) > 1 and path[-2] == "options")
        leads = row and limit.start == len(src) - len(src.lstrip())
        if limits.misplaced(src, limit) and not leads:
            problems.error(yf.path, line, key, f"{limit.written} must start a sentence, a list item or a table row")
        row_limit = limits.leading(src) if row else None
        if row_limit is not None and not leads and not any(row_limit.applies(c) and limit.applies(c) for c in scope):
            problems.error(yf.path, line, key, f"{limit.written} can never show: it stands in a row that "
                           f"{row_limit.written} keeps to other categories (the first limit of a question, KPI or "
                           "option limits the whole row; split the row, or start it with text for every category)")  # fmt: skip


def _languages(yf: YamlFile, loc: tuple[Any, ...]) -> set[str]:
    """Language keys, when ``loc`` is one language of a text given per language."""
    return {loc[-1]} if isinstance(loc[-1], str) and re.fullmatch(r"[a-z]{2,3}(?:-[A-Z]{2})?", loc[-1]) else set()


def _check_row_languages(problems: Collector, yf: YamlFile, loc: tuple[Any, ...], text: dict[str, str]) -> None:
    """The English text decides whether a row shows; a translation must carry the same leading limit."""
    english = limits.leading(text.get("en", ""))
    for lang, src in text.items():
        mine = limits.leading(src)
        if lang != "en" and (mine and mine.written) != (english and english.written):
            want = english.written if english else "no limit"
            problems.error(yf.path, yf.line((*loc, lang)), ".".join(map(str, (*loc, lang))),
                           f"starts with {mine.written if mine else 'no limit'} but the English text with {want}: "
                           "the English text decides where the row shows")  # fmt: skip


def _check_policy(project: Project, problems: Collector) -> None:
    yf = project.policy.file
    if yf is None or project.library is None:
        return
    stages = {s.id for s in project.library.stages}
    for i, item in enumerate(project.policy.checklist):
        if item["stage"] not in stages:
            problems.error(yf.path, yf.line(("checklist", i, "stage")), f"checklist.{i}.stage", unknown("stage", item["stage"], stages))
        for j, cid in enumerate(item["clauses"]):
            if cid not in project.clauses and cid not in project.failed:
                problems.error(yf.path, yf.line(("checklist", i, "clauses", j)), f"checklist.{i}.clauses.{j}", unknown("clause", cid, project.clauses, False))


# ------------------------------------------------------------------------------------------ profiles


def _report_weights(project: Project, r: ResolvedProfile, problems: Collector, total: float) -> None:
    """Weights that do not total 100 may come from several files of the chain: name each, report in the last."""
    parts, last = [], None
    rank = {pid: i for i, pid in enumerate(r.chain)}
    for cid, crit in r.profile.award.criteria.items():
        origin = r.layer.origin(("award", "criteria", cid, "weight"))
        parts.append(f"{cid} {crit.weight:g}" + (f" ({origin})" if origin else ""))
        pid = next((p for p in r.chain if origin and project.profile_files[p].rel == origin.file), None)
        if origin and pid and (last is None or rank[pid] >= rank[last[0]]):
            last = (pid, origin)
    file, line = (project.root / last[1].file, last[1].line) if last else (r.file.path, r.file.line(("award",)))
    problems.error(file, line, "award.criteria", f"award weights total {total:g}, not 100: {', '.join(parts)}")


def _check_profile(project: Project, r: ResolvedProfile, problems: Collector, legal_used: dict[str, list[str]]) -> None:
    lib = project.library
    assert lib is not None
    p: Profile = r.profile

    def err(loc: tuple[Any, ...], message: str) -> None:
        origin = r.layer.origin(loc)
        if origin is None:
            problems.error(r.file.path, r.file.line(), ".".join(map(str, loc)), message)
        else:
            problems.error(project.root / origin.file, origin.line, ".".join(map(str, loc)), message)

    categories = {c.id for c in lib.categories}
    for i, cat in enumerate(p.categories):
        if cat not in categories:
            err(("categories", i), unknown("category", cat, categories))
    for i, kind in enumerate(p.documents):
        if kind not in lib.documents:
            err(("documents", i), unknown("document kind", kind, lib.documents))
        elif kind not in project.templates:
            err(("documents", i), f"no template templates/{kind}.docx")
    for op in ("add", "remove"):
        for i, cid in enumerate(getattr(p.clauses, op)):
            if cid not in project.clauses and cid not in project.failed:
                err(("clauses", op, i), unknown("clause", cid, project.clauses, False))
    for key, raw in p.parameters.items():
        loc = ("parameters", key)
        m = PARAM_KEY.match(key)
        if not m:
            err(loc, "a parameter override is keyed 'clause-id.parameter', 'shared.parameter' or either with '@category'")
            continue
        if m["clause"] == "shared":
            param = lib.parameters.get(m["param"])
            if param is None:
                known = ", ".join(sorted(lib.parameters)) or "none"
                hint = did_you_mean(m["param"], lib.parameters)
                err(loc, f"no shared parameter {m['param']!r}; did you mean {hint!r}?" if hint
                    else f"no shared parameter {m['param']!r} (library.yaml parameters: {known})")  # fmt: skip
                continue
        else:
            clause = project.clauses.get(m["clause"])
            if clause is None:
                if m["clause"] not in project.failed:
                    err(loc, unknown("clause", m["clause"], project.clauses, False))
                continue
            param = clause.parameters.get(m["param"])
            if param is None:
                hint = did_you_mean(m["param"], clause.parameters)
                known = ", ".join(sorted(clause.parameters)) or "none"
                err(loc, f"clause {clause.id} has no parameter {m['param']!r}; did you mean {hint!r}?" if hint
                    else f"clause {clause.id} has no parameter {m['param']!r} (its parameters: {known})")  # fmt: skip
                continue
            if m["param"] in clause.uses:
                shared = clause.uses[m["param"]]
                at = f"@{m['category']}" if m["category"] else ""
                err(loc, f"{m['param']} of clause {clause.id} is the shared parameter {shared!r}, which every "
                         f"clause using it follows: set 'shared.{shared}{at}' instead")  # fmt: skip
                continue
        if m["category"] and m["category"] not in categories:
            err(loc, unknown("category", m["category"], categories))
        for level, value in raw.items() if per_level(raw) else [(None, raw)]:
            try:
                coerce(param, value)
            except ValueError as exc:
                message = str(exc)
                if isinstance(value, dict):
                    message += " (a value per level is written {core: ..., comprehensive: ...})"
                err(loc if level is None else (*loc, level), message)
    total = sum(c.weight for c in p.award.criteria.values())
    if abs(total - 100) > 1e-9:
        _report_weights(project, r, problems, total)
    if "ewaste" in p.legal:
        err(("legal", "ewaste"), "'ewaste' was split: cite the permits and treatment rules for e-waste operators as "
                                 "'ewaste_permit' and the producer-responsibility (take-back) law as 'ewaste_epr'")  # fmt: skip
    for attr, users in sorted(legal_used.items()):
        if attr not in p.legal:
            err(("legal",), f"legal.{attr} is used by {users[0]} but this profile does not define it")
    # every criterion with a weight needs a scored question in every document set (category and level);
    # every scored question needs its criterion
    unfed: dict[str, list[str]] = {}
    both: set[tuple[str, str]] = set()
    unknown_criteria: set[tuple[str, str]] = set()
    for cat in p.categories:
        if cat not in categories:
            continue
        for level in p.levels:
            fed: set[str] = set()
            chosen = select(project.clauses, lib, p, cat, level)
            ids = {c.id for c in chosen}
            both |= {(c.id, c.variant_of) for c in chosen if c.variant_of in ids}
            for clause in chosen:
                for q in clause.questions:
                    if not limits.row_applies(q.text["en"], cat):
                        continue
                    if q.scoring and q.scoring.criterion:
                        fed.add(q.scoring.criterion)
                        if q.scoring.criterion not in p.award.criteria and (q.id, q.scoring.criterion) not in unknown_criteria:
                            unknown_criteria.add((q.id, q.scoring.criterion))
                            hint = did_you_mean(q.scoring.criterion, p.award.criteria)
                            err(("award", "criteria"), f"no criterion {q.scoring.criterion!r} for question {q.id} ({clause.id})"
                                + (f"; did you mean {hint!r}?" if hint else ""))  # fmt: skip
            for cid, crit in p.award.criteria.items():
                if crit.weight > 0 and cid not in fed:
                    unfed.setdefault(cid, []).append(cat if len(p.levels) == 1 else f"{cat} ({level})")
    for cid, cats in unfed.items():
        err(("award", "criteria", cid), f"no scored question feeds this criterion in: {', '.join(cats)}")
    for variant, original in sorted(both):
        err(("clauses", "add"), f"takes both {original} and its variant {variant}: add {original} to clauses.remove")
