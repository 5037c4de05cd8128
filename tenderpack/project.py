"""Find the project's files and turn them into validated model objects.

Every problem in every file is collected (``path:line: key.path: message``); nothing stops at the first.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Collector, did_you_mean
from .loading import NOTE_PREFIX, Loc, YamlFile, key_path, link_problem, load_yaml
from .model import KINDS, Clause, Glossary, Library, Reference, Section, String, StringsFile, check_id

M = TypeVar("M", bound=BaseModel)

LIBRARY_FILE = "library.yaml"
POLICY_FILE = "policy.yaml"
GLOSSARY_FILE = "glossary.yaml"
STRINGS_FILE = "strings.yaml"
REFERENCES_DIR = "references"


@dataclass
class PolicyContent:
    """Content of the policy and checklist documents (clauses/policy.yaml)."""

    policy: list[Section] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    checklist: list[dict[str, Any]] = field(default_factory=list)
    file: YamlFile | None = None


@dataclass
class Project:
    """Everything loaded from a project folder, before profiles are resolved."""

    root: Path
    library: Library | None = None
    library_file: YamlFile | None = None
    references: dict[str, Reference] = field(default_factory=dict)
    reference_files: dict[str, YamlFile] = field(default_factory=dict)
    clauses: dict[str, Clause] = field(default_factory=dict)
    clause_files: dict[str, YamlFile] = field(default_factory=dict)
    profile_files: dict[str, YamlFile] = field(default_factory=dict)
    policy: PolicyContent = field(default_factory=PolicyContent)
    strings: dict[str, String] = field(default_factory=dict)  # clauses/strings.yaml: fixed words of the documents
    strings_file: YamlFile | None = None
    templates: dict[str, Path] = field(default_factory=dict)
    # templates of documents a build does not make (the evaluation report of `responses score`): checked too
    report_templates: dict[str, Path] = field(default_factory=dict)
    # jurisdiction terms vocabulary and defined terms (clauses/glossary.yaml); empty when there is none
    glossary: Glossary = field(default_factory=Glossary)
    glossary_file: YamlFile | None = None
    # ids (file names) of clause and profile files that failed to load: references to them are not
    # reported again as "unknown", which would only repeat the first problem
    failed: set[str] = field(default_factory=set)

    @property
    def clauses_dir(self) -> Path:
        return self.root / "clauses"

    @property
    def profiles_dir(self) -> Path:
        return self.root / "profiles"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"


# --------------------------------------------------------------------------------------------------
# Validation against the models, with lines


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep only the parts of a pydantic error location that index into the data."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            out.append(part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and not part.startswith(("function-", "union["))
            and part not in ("str", "int", "float", "bool", "list", "dict", "literal", "none")
        ):
            out.append(part)  # a missing key: name it
            node = None
    return tuple(out)


_SHAPES = {"list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
           "model_attributes_type": "a mapping", "string_type": "text"}  # fmt: skip
_BOUNDS = {"greater_than_equal": ("ge", "is below the minimum"), "less_than_equal": ("le", "is above the maximum"),
           "greater_than": ("gt", "must be above"), "less_than": ("lt", "must be below")}  # fmt: skip


def _shape(value: Any) -> str:
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "text"


def _message(err: Any) -> str:
    """pydantic's message in the words of the other checks (``'x' is not a number``, ``5 is above the maximum 3``)."""
    kind = err["type"]
    inp = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required key is missing"
    if kind in _SHAPES:
        return f"must be {_SHAPES[kind]}, not {_shape(inp)}"
    if kind in ("int_parsing", "int_from_float"):
        return f"{inp!r} is not a whole number"
    if kind == "float_parsing":
        return f"{inp!r} is not a number"
    if kind == "bool_parsing":
        return f"{inp!r} is not yes or no"
    if kind in _BOUNDS and _BOUNDS[kind][0] in ctx:
        bound, words = _BOUNDS[kind]
        limit = ctx[bound]
        return f"{inp} {words} {int(limit) if float(limit).is_integer() else limit}"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        hint = did_you_mean(str(inp), options) if isinstance(inp, str) else None
        if hint:
            return f"{inp!r} is not allowed; did you mean {hint!r}?"
        if options:  # our own wording of the choices, whatever pydantic's version says
            quoted = [repr(o) for o in options]
            return f"{inp!r} is not allowed: use " + (f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0])
        msg = f"{inp!r} is not allowed: " + msg.replace("Input should be", "use")
    elif kind.endswith(("_parsing", "_type")) and isinstance(inp, str | int | float | bool):
        msg = f"{inp!r}: {msg[0].lower()}{msg[1:]}"
    return msg


def check_model(model: type[M], data: Any) -> tuple[M | None, list[tuple[Loc, str]]]:
    """Validate ``data``; return the object (or None) and the errors by loc, unknown keys among them.

    An unknown key is an error, never dropped in silence (``paramaters:`` would lose every parameter), with
    the closest known key as a hint. The object is still returned, so that the checks that span files run.
    """
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        errors: list[tuple[Loc, str]] = []
        for err in exc.errors():
            item = (_data_loc(data, tuple(err["loc"])), _message(err))
            if item not in errors:
                errors.append(item)
        return None, errors
    return obj, [((*loc, key), unknown_key(key, known)) for loc, key, known in _unknown_keys(obj, ())]


def unknown_key(key: str, known: list[str]) -> str:
    hint = did_you_mean(key, known)
    if hint:
        return f"unknown key; did you mean {hint!r}?"
    return f"unknown key (known here: {', '.join(known)}; a private note's key starts with 'x-')"


def validate(
    model: type[M], yfile: YamlFile, problems: Collector, data: Any = None, base: Loc = ()
) -> M | None:
    """Validate ``data`` (default: the whole file) against ``model``; report errors, unknown keys among them."""
    obj, errors = check_model(model, yfile.data if data is None else data)
    for loc, msg in errors:
        problems.error(yfile.path, yfile.line((*base, *loc)), key_path((*base, *loc)), msg)
    return obj


def _unknown_keys(obj: Any, loc: Loc) -> list[tuple[Loc, str, list[str]]]:
    found: list[tuple[Loc, str, list[str]]] = []
    if isinstance(obj, BaseModel):
        known = list(type(obj).model_fields)
        for key in sorted((obj.model_extra or {}).keys()):
            found.append((loc, str(key), known))
        for name in type(obj).model_fields:
            found.extend(_unknown_keys(getattr(obj, name), (*loc, name)))
    elif isinstance(obj, dict):
        for key, value in obj.items():
            found.extend(_unknown_keys(value, (*loc, key)))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            found.extend(_unknown_keys(value, (*loc, i)))
    return found


# --------------------------------------------------------------------------------------------------
# Finding files


def yaml_files(folder: Path, root: Path, problems: Collector, recursive: bool = True) -> list[Path]:
    """YAML files under ``folder`` in sorted order; folder links are never followed (a loop or an escape)."""
    if not folder.is_dir():
        return []
    refused = link_problem(folder, root)
    if refused:
        problems.error(folder, 0, "", refused)
        return []
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        for name in list(dirnames):
            if (here / name).is_symlink():
                refused = link_problem(here / name, root)
                if refused:
                    problems.error(here / name, 0, "", refused)
                dirnames.remove(name)
        found.extend(here / name for name in sorted(filenames) if name.endswith((".yaml", ".yml")))
        if not recursive:
            break
    return found  # links among them are checked when each file is read (loading.load_yaml)


def _id_from_file(path: Path, yfile: YamlFile, problems: Collector) -> str | None:
    """The id a file declares must equal its file name: ids are file names and cross-references."""
    declared = yfile.data.get("id")
    if not isinstance(declared, str):
        message = "required key is missing" if declared is None else f"must be an id, not {_shape(declared)}"
        problems.error(path, yfile.line(("id",)), "id", message)
        return None
    try:
        check_id(declared)
    except ValueError as exc:
        problems.error(path, yfile.line(("id",)), "id", str(exc))
        return None
    if declared != path.stem:
        problems.error(path, yfile.line(("id",)), "id", f"{declared!r} does not match the file name {path.name!r}")
        return None
    return declared


# --------------------------------------------------------------------------------------------------
# Loading


REPORT_KINDS = ("evaluation",)  # optional: `responses score` falls back on the questionnaire template


def load_project(root: Path, problems: Collector) -> Project:
    """Load library, references, clauses, profiles and templates; every problem goes to ``problems``."""
    project = Project(root=root)
    if not project.clauses_dir.is_dir():
        problems.error(project.clauses_dir, 0, "", "folder not found: is this a tenderpack project?")
        return project
    _load_library(project, problems)
    _load_references(project, problems)
    _load_clauses(project, problems)
    _link_shared(project, problems)
    _load_policy(project, problems)
    _load_glossary(project, problems)
    _load_strings(project, problems)
    _load_profiles(project, problems)
    for kind in (*KINDS, *REPORT_KINDS):
        path = project.templates_dir / f"{kind}.docx"
        refused = link_problem(path, root)
        if refused:
            problems.error(path, 0, "", refused)
        elif path.is_file():
            (project.templates if kind in KINDS else project.report_templates)[kind] = path
    return project


def _read_clauses_file(project: Project, name: str, problems: Collector, missing: str | None) -> YamlFile | None:
    """A file of clauses/ read as YAML; absent: ``missing`` is the error (None: the file is optional)."""
    path = project.clauses_dir / name
    if not path.is_file():
        if missing is not None:
            problems.error(path, 0, "", missing)
        return None
    return load_yaml(path, problems)


def _load_library(project: Project, problems: Collector) -> None:
    yfile = _read_clauses_file(project, LIBRARY_FILE, problems, "file not found")
    if yfile is None:
        return
    project.library_file = yfile
    project.library = validate(Library, yfile, problems)
    if project.library:
        for key, ref in project.library.references.items():
            project.references[key] = ref
            project.reference_files[key] = yfile


def _load_references(project: Project, problems: Collector) -> None:
    for path in yaml_files(project.clauses_dir / REFERENCES_DIR, project.root, problems):
        yfile = load_yaml(path, problems)
        if yfile is None:
            continue
        for key, value in yfile.data.items():
            key = str(key)
            try:
                check_id(key)
            except ValueError as exc:
                problems.error(path, yfile.line((key,)), key, str(exc))
                continue
            if key in project.reference_files:
                first = project.reference_files[key]
                problems.error(
                    path,
                    yfile.line((key,)),
                    key,
                    f"reference defined twice (first in {first.rel}:{first.line((key,))})",
                )
                continue
            ref = validate(Reference, yfile, problems, data=value, base=(key,))
            if ref is not None:
                project.references[key] = ref
                project.reference_files[key] = yfile


def _load_clauses(project: Project, problems: Collector) -> None:
    skip = {project.clauses_dir / name for name in (LIBRARY_FILE, POLICY_FILE, GLOSSARY_FILE, STRINGS_FILE)}
    for path in yaml_files(project.clauses_dir, project.root, problems):
        if path in skip or (path.parent.name == REFERENCES_DIR and path.parent.parent == project.clauses_dir):
            continue
        yfile = load_yaml(path, problems)
        if yfile is None:
            project.failed.add(path.stem)
            continue
        cid = _id_from_file(path, yfile, problems)
        clause = validate(Clause, yfile, problems)
        if cid is None or clause is None:
            project.failed.add(path.stem)
            continue
        if cid.startswith(NOTE_PREFIX):  # a profile's parameters key would start with it, and be dropped as a note
            problems.error(path, yfile.line(("id",)), "id", f"a clause id cannot start with {NOTE_PREFIX!r} (keys that do are private notes)")
            project.failed.add(cid)
            continue
        if cid in project.clause_files:
            first = project.clause_files[cid]
            problems.error(path, yfile.line(("id",)), "id", f"clause id {cid!r} already used by {first.rel}")
            continue
        project.clauses[cid] = clause
        project.clause_files[cid] = yfile


def uses_loc(yf: YamlFile, local: str) -> Loc:
    """Where a clause file names the shared parameter taken as ``local`` (list or mapping form)."""
    written = yf.data.get("uses") if isinstance(yf.data, dict) else None
    if isinstance(written, list) and local in written:
        return ("uses", written.index(local))
    if isinstance(written, dict) and local in written:
        return ("uses", local)
    return ("uses",)


def _link_shared(project: Project, problems: Collector) -> None:
    """Give each clause the shared parameters its ``uses`` names, under the names its text uses.

    The clause then holds the library's one declaration (the same object) in ``parameters``, so that
    texts, questionnaires, parameter tables and release diffs treat it like its own; ``uses`` still says
    which names are shared (profiles set them as ``shared.<name>``).
    """
    shared = project.library.parameters if project.library else {}
    for cid, clause in project.clauses.items():
        yf = project.clause_files[cid]
        for local, name in list(clause.uses.items()):
            loc = uses_loc(yf, local)
            if name not in shared:
                known = ", ".join(sorted(shared)) or "none"
                problems.error(yf.path, yf.line(loc), key_path(loc),
                               f"unknown shared parameter {name!r} (library.yaml parameters: {known})")  # fmt: skip
                del clause.uses[local]
            elif local in clause.parameters:
                problems.error(yf.path, yf.line(("parameters", local)), f"parameters.{local}",
                               f"{local!r} is declared here and also taken from the shared parameter {name!r} "
                               "under 'uses': keep one")  # fmt: skip
                del clause.uses[local]
            else:
                clause.parameters[local] = shared[name]


def _load_policy(project: Project, problems: Collector) -> None:
    yfile = _read_clauses_file(project, POLICY_FILE, problems, None)
    if yfile is None:
        return
    from .model import PolicyFile  # local: only projects with a policy need it

    content = validate(PolicyFile, yfile, problems)
    if content is not None:
        project.policy = PolicyContent(
            policy=content.policy,
            targets=[t.model_dump() for t in content.targets],
            checklist=[c.model_dump() for c in content.checklist],
            file=yfile,
        )


def _load_glossary(project: Project, problems: Collector) -> None:
    yfile = _read_clauses_file(project, GLOSSARY_FILE, problems, None)
    if yfile is None:
        return
    glossary = validate(Glossary, yfile, problems)
    if glossary is not None:
        project.glossary, project.glossary_file = glossary, yfile


def _load_strings(project: Project, problems: Collector) -> None:
    missing = "file not found: it holds the fixed words of the documents (copy it from tenderpack's own clauses/)"
    yfile = _read_clauses_file(project, STRINGS_FILE, problems, missing)
    if yfile is None:
        return
    content = validate(StringsFile, yfile, problems)
    if content is not None:
        project.strings = content.strings
        project.strings_file = yfile


def _load_profiles(project: Project, problems: Collector) -> None:
    for path in yaml_files(project.profiles_dir, project.root, problems, recursive=False):
        yfile = load_yaml(path, problems)
        pid = _id_from_file(path, yfile, problems) if yfile is not None else None
        if yfile is None or pid is None:
            project.failed.add(path.stem)
        else:
            project.profile_files[pid] = yfile
