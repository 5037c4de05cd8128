"""Checks of jurisdiction terms and defined terms (see ``terms``).

- a text (clause text, verification, guidance, questions, KPIs; the fixed text of the library and the
  policy; the glossary's definitions) writes a party word or an award wording that a term provides;
- a text uses a capitalised phrase after "the" that the glossary does not define;
- the glossary names an unknown term key, or a definition has neither or both of ``term`` and ``party``;
- a profile sets an unknown term, sets a term in the wrong shape, lacks one, or gives two parties the
  same wording (one defined term cannot name two parties).
"""

from __future__ import annotations

from typing import Any

from .checks import known_globals, text_line, written
from .errors import Collector
from .loading import Loc, YamlFile
from .model import Clause, NounTerm
from .profiles import ResolvedProfile
from .project import Project
from .terms import Finding, all_names, hard_coded, undefined_terms
from .text import TextError, variables


def _clause_sources(clause: Clause, yf: YamlFile) -> list[tuple[Loc, str]]:
    sources: list[tuple[Loc, str]] = []
    for fieldname in ("text", "verification", "guidance"):
        for lang, src in getattr(clause, fieldname).items():
            sources.append((written(yf, (fieldname, lang)), src))
    for i, q in enumerate(clause.questions):
        for part in ("text", "evidence"):
            for lang, src in (getattr(q, part) or {}).items():
                sources.append((written(yf, ("questions", i, part, lang)), src))
    for i, k in enumerate(clause.kpis):
        for part in ("name", "formula", "evidence"):
            for lang, src in getattr(k, part).items():
                sources.append((written(yf, ("kpis", i, part, lang)), src))
    return sources


def _library_sources(project: Project) -> list[tuple[YamlFile, Loc, str]]:
    out: list[tuple[YamlFile, Loc, str]] = []
    lib, yf = project.library, project.library_file
    if lib is not None and yf is not None:
        for kind, doc in lib.documents.items():
            for part in ("before", "after"):
                for i, section in enumerate(getattr(doc, part)):
                    for lang, src in (section.text or {}).items():
                        out.append((yf, written(yf, ("documents", kind, part, i, "text", lang)), src))
            for lang, src in (doc.description or {}).items():
                out.append((yf, written(yf, ("documents", kind, "description", lang)), src))
    pf = project.policy.file
    if pf is not None:
        for i, section in enumerate(project.policy.policy):
            for lang, src in (section.text or {}).items():
                out.append((pf, written(pf, ("policy", i, "text", lang)), src))
        for i, item in enumerate(project.policy.checklist):
            for part in ("step", "evidence"):
                for lang, src in item[part].items():
                    out.append((pf, written(pf, ("checklist", i, part, lang)), src))
    gf = project.glossary_file
    if gf is not None:
        for i, d in enumerate(project.glossary.definitions):
            for lang, src in d.means.items():
                out.append((gf, written(gf, ("definitions", i, "means", lang)), src))
    return out


def _report(problems: Collector, yf: YamlFile, loc: Loc, src: str, findings: list[Finding]) -> None:
    for f in findings:
        problems.error(yf.path, text_line(yf, loc, src, f.line), ".".join(map(str, loc)), f.message)


def check_terms(project: Project, problems: Collector) -> None:
    """Texts use the terms and define their capitalised terms; the glossary is consistent."""
    glossary, gf = project.glossary, project.glossary_file
    if gf is None:
        return  # a project without a glossary has no terms to enforce
    vocabulary = glossary.terms
    for i, d in enumerate(glossary.definitions):
        if bool(d.term) == bool(d.party):
            problems.error(gf.path, gf.line(("definitions", i)), f"definitions.{i}",
                           "a definition names either a term or a party (a noun term key), not both or neither")  # fmt: skip
        elif d.party and (d.party not in vocabulary or vocabulary[d.party].form != "noun"):
            nouns = ", ".join(k for k, t in vocabulary.items() if t.form == "noun")
            problems.error(gf.path, gf.line(("definitions", i, "party")), f"definitions.{i}.party",
                           f"{d.party!r} is not a noun term (terms: {nouns})")  # fmt: skip
    names = all_names(vocabulary)
    sources: list[tuple[YamlFile, Loc, str]] = []
    for cid, clause in sorted(project.clauses.items()):
        yf = project.clause_files[cid]
        sources += [(yf, loc, src) for loc, src in _clause_sources(clause, yf)]
        for pname in clause.parameters:
            if pname in names:
                problems.error(yf.path, yf.line(("parameters", pname)), f"parameters.{pname}",
                               f"{pname!r} is the name of a term: give the parameter another name")  # fmt: skip
    sources += _library_sources(project)
    for yf, loc, src in sources:
        _report(problems, yf, loc, src, hard_coded(src, vocabulary) + undefined_terms(src, glossary))
    known = known_globals(project)
    for i, d in enumerate(glossary.definitions):
        for lang, src in d.means.items():
            loc = written(gf, ("definitions", i, "means", lang))
            try:
                unknown = variables(src) - known
            except TextError as exc:
                problems.error(gf.path, text_line(gf, loc, src, exc.line), ".".join(map(str, loc)), exc.message)
                continue
            for name in sorted(unknown):
                problems.error(gf.path, gf.line(loc), ".".join(map(str, loc)),
                               f"uses {{{{ {name} }}}}, which is not a term or a profile value")  # fmt: skip


def check_profile_terms(project: Project, r: ResolvedProfile, problems: Collector) -> None:
    """A profile's terms: known keys, the right shape, none missing, one wording per party."""
    vocabulary = project.glossary.terms
    if project.glossary_file is None:
        return

    def err(loc: Loc, message: str) -> None:
        origin = r.layer.origin(loc)
        if origin is None:
            problems.error(r.file.path, r.file.line(), ".".join(map(str, loc)), message)
        else:
            problems.error(project.root / origin.file, origin.line, ".".join(map(str, loc)), message)

    def at(key: str, lang: str) -> Loc:
        """The term's path, with the language where the file wrote one (not for a plain wording)."""
        written = r.layer.origin(("terms", key, lang)) != r.layer.origin(("terms", key))
        return ("terms", key, lang) if written else ("terms", key)

    terms: dict[str, dict[str, Any]] = r.profile.terms
    for key, texts in terms.items():
        term = vocabulary.get(key)
        if term is None:
            err(("terms", key), f"unknown term {key!r} (terms: {', '.join(vocabulary)})")
            continue
        for lang, value in texts.items():
            if term.form == "noun" and not isinstance(value, NounTerm):
                err(at(key, lang), "a noun term is written {singular: ..., plural: ...}")
            elif term.form == "phrase" and not isinstance(value, str):
                err(at(key, lang), "a phrase term is written as one string")
    missing = [key for key in vocabulary if key not in terms]
    if missing:
        err(("terms",), f"terms not set: {', '.join(missing)} (set them here or in a profile this one extends)")
    seen: dict[tuple[str, str], str] = {}
    for key, texts in terms.items():
        for lang, value in texts.items():
            if isinstance(value, NounTerm) and key in vocabulary:
                wording = (lang, value.singular.casefold())
                if wording in seen:
                    err((*at(key, lang), "singular"), f"{value.singular!r} is also the wording of terms.{seen[wording]}: "
                                                          "one defined term cannot name two parties")  # fmt: skip
                seen[wording] = key
