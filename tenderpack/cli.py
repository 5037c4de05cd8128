"""Command line: parse options, call the library, print. Nothing else lives here.

Content errors (anything in the user's files) exit 1 with ``Error:`` lines and no traceback; a wrong
command line exits 2 (Click's usage errors); Ctrl-C exits 130.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import ProblemsError, TenderpackError
from .ids import EDITIONS, KINDS, LANG_RE, LEVELS, check_id

F = TypeVar("F", bound=Callable[..., Any])
READ_ONLY = {"check", "list", "explain", "diff"}  # commands that never write a file


def handle_errors(func: F) -> F:
    """The one place where our exceptions become messages and exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ProblemsError as exc:
            for problem in exc.problems:
                click.echo(f"{'Warning' if problem.warning else 'Error'}: {problem}", err=True)
            n = len(exc.problems)
            ctx = click.get_current_context(silent=True)
            writes = ctx is None or ctx.command.name not in READ_ONLY  # only a command that writes can say it did not
            click.echo(f"Error: {n} problem{'s' if n != 1 else ''} found{'; nothing was written' if writes else ''}.",
                       err=True)  # fmt: skip
            sys.exit(1)
        except TenderpackError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted: stopped before finishing; the output folder was left as it was.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _warnings(items: Sequence[Any]) -> None:
    for w in items:
        click.echo(f"Warning: {w}", err=True)


def _terminal_width() -> int | None:
    """Columns to fit: $COLUMNS, else the terminal's; None when printing to a file or a pipe (no wrapping)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _table(rows: Sequence[Sequence[str]], header: Sequence[str], wrap: Sequence[int] = ()) -> None:
    """Print an aligned table. The ``wrap`` columns (indexes; the widest shrinks first) wrap so that lines fit
    the terminal's width (see ``_terminal_width``), each down to 20 characters at the least."""
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in [header, *cells]) for i in range(len(header))]
    room = _terminal_width()
    floor = {i: max(20, len(header[i])) for i in wrap}
    while room is not None and sum(widths) + 2 * (len(widths) - 1) > room:
        shrinkable = [i for i in wrap if widths[i] > floor[i]]
        if not shrinkable:
            break
        widest = max(widths[i] for i in shrinkable)
        widths[next(i for i in shrinkable if widths[i] == widest)] -= 1

    def emit(line: Sequence[str]) -> None:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())

    emit(header)
    click.echo("  ".join("-" * w for w in widths))
    for r in cells:
        pieces = [(textwrap.wrap(c, widths[i], break_on_hyphens=False) or [""]) if i in wrap else [c]
                  for i, c in enumerate(r)]  # fmt: skip
        for n in range(max(len(p) for p in pieces)):  # continuation lines hold only what wrapped
            emit([p[n] if n < len(p) else "" for p in pieces])


project_option = click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder holding clauses/, profiles/ and templates/.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tenderpack")
def main() -> None:
    """Turn a library of circular ICT procurement clauses and jurisdiction profiles into Word documents."""


def _ids(kind: str) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], tuple[str, ...]]:
    def callback(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            try:
                check_id(value)
            except ValueError as exc:
                raise click.BadParameter(str(exc)) from None
        return values

    return callback


@main.command()
@project_option
@click.option("--profile", "profiles", multiple=True, callback=_ids("profile"), help="Only this profile (repeatable).")
@click.option("--category", "categories", multiple=True, callback=_ids("category"), help="Only this category (repeatable).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this document kind (repeatable).")
@click.option("--edition", "editions", multiple=True, type=click.Choice(EDITIONS), help="Only this edition (repeatable).")
@click.option("--level", "levels", multiple=True, type=click.Choice(LEVELS), help="Only this ambition level (repeatable).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder [default: PROJECT/output].")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: number of cores].")
@click.option("--force", is_flag=True, help="Render every document (with --pdf, convert every selected one), even those whose inputs did not change.")
@click.option("--pdf", is_flag=True,
              help="Also write a PDF beside each selected document whose .docx changed or whose PDF is missing "
                   "(needs LibreOffice; --jobs instances in parallel).")  # fmt: skip
@handle_errors
def build(project: Path, profiles: tuple[str, ...], categories: tuple[str, ...], kinds: tuple[str, ...],
          editions: tuple[str, ...], levels: tuple[str, ...], out: Path | None, strict: bool, jobs: int | None,
          force: bool, pdf: bool) -> None:  # fmt: skip
    """Build the pack (every profile × category × level × kind × edition) into the output folder."""
    from . import commands

    tty = sys.stderr.isatty()
    result = commands.build(
        project, out, profiles, categories, kinds, editions, strict=strict, jobs=jobs, force=force, pdf=pdf,
        progress=_progress_bar("Rendering") if tty else None,
        pdf_progress=_progress_bar("Converting to PDF") if tty else None, levels=levels,
    )
    _warnings(result.warnings)
    for path in result.removed:
        click.echo(f"removed {path} (no longer part of the pack)")
    for path in result.stale_pdfs:
        click.echo(f"removed {path} (its document changed; build with --pdf to make it again)")
    selected = len(result.rendered) + len(result.reused)
    pdfs = f", {len(result.pdfs)} PDF{'s' if len(result.pdfs) != 1 else ''} converted" if pdf else ""
    chosen = [d for d in result.documents if d["path"] in set(result.rendered) | set(result.reused)]
    counts = {lv: sum(1 for d in chosen if d.get("level") == lv) for lv in LEVELS}
    per_level = [f"{n} {lv}" for lv, n in counts.items() if n]
    click.echo(
        f"Built {selected} document{'s' if selected != 1 else ''} ({', '.join(per_level)}) in {result.out}: "
        f"{len(result.rendered)} rendered, {len(result.reused)} unchanged{pdfs}."
    )
    selection = result.rendered or result.reused  # what changed, else what was asked for
    if selection:  # the core level first: the shorter document, the one most buyers start from
        level_of = {d["path"]: d.get("level") for d in result.documents}
        first = min(selection, key=lambda p: (LEVELS.index(level_of[p]) if level_of.get(p) in LEVELS else 0, p))
        click.echo(f"Open next: {result.out / first}")


def _progress_bar(label: str) -> Callable[[int, int], None]:
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            if done >= total:  # nothing to do: no bar
                return
            bar = state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            state["last"] = 0
        bar.update(done - state["last"])
        state["last"] = done
        if done >= total:
            bar.__exit__(None, None, None)

    return update


@main.command()
@project_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--issue-ready", "issue_ready", metavar="PROFILE", default=None,
              help="List every unset fill-in and placeholder text in PROFILE's issue edition; exit 1 if any.")
@handle_errors
def check(project: Path, strict: bool, issue_ready: str | None) -> None:
    """Check the clause library, profiles and templates (it never writes anything)."""
    from . import commands

    if issue_ready is not None:
        _issue_ready(project, issue_ready)
        return
    checked = commands.check(project, strict=strict)
    _warnings(checked.warnings)
    templates = len(checked.project.templates) + len(checked.project.report_templates)
    click.echo(f"OK: {len(checked.project.clauses)} clauses, {len(checked.resolved)} profiles, {templates} templates.")


def _issue_ready(project: Path, profile: str) -> None:
    from . import commands

    findings = commands.issue_ready(project, profile)
    for problem in findings:
        click.echo(f"Error: {problem}", err=True)
    if findings:
        n = len(findings)
        click.echo(f"Error: {n} problem{'s' if n != 1 else ''}: the issue edition of profile {profile} is not ready to issue.", err=True)
        sys.exit(1)
    click.echo(f"OK: the issue edition of profile {profile} has every fill-in set and no placeholder text.")


@main.command(name="list")
@project_option
@click.argument("what", type=click.Choice(["profiles", "clauses", "categories", "coverage", "translations"]))
@click.option("--cpv", default=None, help="With 'categories': the categories a CPV code (e.g. 30213100-6) or a parent code (30200000-1) falls under or covers.")
@click.option("--profile", default=None, help="With 'clauses': only those the profile's documents contain.")
@click.option("--category", default=None, help="With 'clauses': only those that apply to the category.")
@click.option("--level", type=click.Choice(LEVELS), default=None, help="With 'clauses': only those of this ambition level.")
@click.option("--stage", default=None, help="With 'clauses': only those of this lifecycle stage.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@handle_errors
def list_(project: Path, what: str, cpv: str | None, profile: str | None, category: str | None, level: str | None,
          stage: str | None, fmt: str) -> None:  # fmt: skip
    """List profiles, clauses, categories, the category × stage coverage matrix, or translation status
    (each clause, string and section × language: reviewed, draft, stale or missing)."""
    from . import commands

    if cpv is not None and what != "categories":
        raise click.UsageError(f"--cpv applies to 'list categories', not to 'list {what}'")
    for name, value in (("--profile", profile), ("--category", category), ("--level", level), ("--stage", stage)):
        if value is not None and what != "clauses":
            raise click.UsageError(f"{name} applies to 'list clauses', not to 'list {what}'")
    filters = commands.ClauseFilters(profile, category, level, stage)
    header, rows = commands.listing(project, what, cpv=cpv, clauses=filters)
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"No {what} found.")
        return
    if what == "clauses":
        _table(rows, header, wrap=(1, 7))
    else:
        _table(rows, header)
    if what == "coverage":
        click.echo("")
        click.echo("Approved clauses per category and stage, counted by type:")
        for code, meaning in commands.coverage_legend(project):
            click.echo(f"  {code:<4} {meaning}")


@main.command()
@project_option
@click.argument("profile")
@click.argument("key", required=False)
@handle_errors
def explain(project: Path, profile: str, key: str | None) -> None:
    """Show each resolved value of PROFILE (or under KEY) and the file:line that set it."""
    from . import commands

    rows = commands.explain(project, profile, key)
    _table([(k, v, o) for k, v, o in rows], ("key", "value", "set by"), wrap=(1, 2, 0))


@main.command(name="new-profile")
@project_option
@click.argument("profile_id", metavar="ID", callback=lambda c, p, v: _ids("profile")(c, p, (v,))[0])
@click.option("--extends", "parent", required=True, help="The profile to inherit from.")
@handle_errors
def new_profile(project: Path, profile_id: str, parent: str) -> None:
    """Write profiles/ID.yaml: a commented starter that extends PARENT and passes check."""
    from . import commands

    path = commands.new_profile(project, profile_id, parent)
    click.echo(f"wrote {path}")


@main.group()
def responses() -> None:
    """Read filled supplier questionnaires back, validate and score them."""


_response_files = click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))


_release_pack = click.option(
    "--pack", "release", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
    help="The published release (.zip) the questionnaires were issued from: each file's identity must match it.",
)


@responses.command(name="read")
@project_option
@_response_files
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True, help="Output format.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file [default: standard output].")
@_release_pack
@handle_errors
def responses_read(project: Path, files: tuple[Path, ...], fmt: str, out: Path | None, release: Path | None) -> None:
    """Extract and validate the answers of filled questionnaires (FILE... are .docx files)."""
    from . import responses as lib

    _checked, found = lib.read_responses(project, files, pack=release)
    text = lib.to_json(found) if fmt == "json" else lib.to_csv(found)
    for resp in found:
        _warnings(resp.problems())
    if out is None:
        click.echo(text, nl=False)
    else:
        lib.write_atomic(out, text.encode("utf-8"))
        n = sum(len(r.answers) for r in found)
        click.echo(f"wrote {out}: {n} answers from {len(found)} file{'s' if len(found) != 1 else ''}", err=True)


@responses.command(name="score")
@project_option
@_response_files
@click.option("--profile", required=True, callback=lambda c, p, v: _ids("profile")(c, p, (v,))[0], help="Profile of the tender.")
@click.option("--category", required=True, callback=lambda c, p, v: _ids("category")(c, p, (v,))[0], help="Product category of the tender.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the ranking (CSV) and the evaluation report (Word) [default: PROJECT/evaluation].")  # fmt: skip
@_release_pack
@handle_errors
def responses_score(project: Path, files: tuple[Path, ...], profile: str, category: str, out: Path | None,
                    release: Path | None) -> None:  # fmt: skip
    """Score filled questionnaires with the questions' rules and the published award weights; rank them."""
    from . import responses as lib

    ev = lib.score_responses(project, files, profile, category, out, pack=release)
    for t in ev.tenders:
        _warnings(t.response.problems())
    for w in ev.warnings:
        click.echo(f"Warning: {w}", err=True)
    _table([(str(t.rank or "—"), t.response.name, f"{t.total:.2f}", "yes" if t.compliant else "no") for t in ev.tenders],
           ("rank", "tenderer", "points", "compliant"))  # fmt: skip
    for t in ev.tenders:
        if not t.compliant:
            click.echo(f"{t.response.name} is not compliant: {'; '.join(t.failures)}.")
    click.echo(f"wrote {ev.ranking} and {ev.report}")


def _one_id(kind: str) -> Callable[[click.Context, click.Parameter, str], str]:
    return lambda c, p, v: _ids(kind)(c, p, (v,))[0]


_level_option = click.option(
    "--level", type=click.Choice(LEVELS), default=None,
    help="Ambition level of the documents [default: the level the profile builds].",
)  # fmt: skip


@main.command()
@project_option
@click.argument("notice", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--new", "new", is_flag=True, help="Write a standalone lot fragment instead of filling a NOTICE.")
@click.option("--profile", required=True, callback=_one_id("profile"), help="Profile of the documents.")
@click.option("--category", required=True, callback=_one_id("category"), help="Product category of the documents.")
@_level_option
@click.option("--lot", default=None, help="Lot to fill, e.g. LOT-0001 [default: every lot; with --new: LOT-0001].")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The eForms XML file to write.")  # fmt: skip
@handle_errors
def eforms(project: Path, notice: Path | None, new: bool, profile: str, category: str, level: str | None,
           lot: str | None, output: Path) -> None:  # fmt: skip
    """Fill the green and award criteria (BT-06, BT-777, BT-774, BT-805, BT-539, BT-734, BT-540, BT-541,
    BT-5421) of a profile's documents into an eForms notice's lots, or write them as a fragment (--new)."""
    from .notices import commands as notices

    if new == (notice is not None):
        raise click.UsageError("give an eForms NOTICE.xml to fill, or --new for a standalone fragment (not both)")
    result = notices.eforms(project, notice, profile, category, level, lot, output)
    _warnings(result.warnings)
    c = result.criteria
    click.echo(f"wrote {output}: {', '.join(result.covered)} for {c.profile} / {c.category} / {c.level} "
               f"in {', '.join(result.lots)}")  # fmt: skip


@main.command()
@project_option
@click.option("--profile", required=True, callback=_one_id("profile"), help="Profile of the documents.")
@click.option("--category", required=True, callback=_one_id("category"), help="Product category of the documents.")
@_level_option
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The release package (JSON) to write.")  # fmt: skip
@handle_errors
def ocds(project: Path, profile: str, category: str, level: str | None, output: Path) -> None:
    """Write an OCDS 1.1 release package (tag tender) with the award criteria, CPV items and documents."""
    from .notices import commands as notices

    result = notices.ocds(project, profile, category, level, output)
    c = result.criteria
    click.echo(f"wrote {output}: OCDS release package for {c.profile} / {c.category} / {c.level}")


@main.group()
def translations() -> None:
    """Send the library's texts to translators (XLIFF 2.0) and take their translations back."""


def _lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not LANG_RE.match(value) or value.split("-")[0] == "en":
        raise click.BadParameter(f"{value!r} is not the code of a translation language (e.g. 'fr', 'pt-BR')")
    return value


@translations.command(name="export")
@project_option
@click.option("--lang", required=True, callback=_lang, help="Target language code, e.g. fr.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The XLIFF 2.0 file to write (e.g. fr.xlf).")  # fmt: skip
@handle_errors
def translations_export(project: Path, lang: str, output: Path) -> None:
    """Write every translatable text (one unit per field, with its current translation) as XLIFF 2.0."""
    from . import commands

    units = commands.translations_export(project, lang, output)
    click.echo(f"wrote {output}: {units} units for {lang}")


@translations.command(name="import")
@project_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--status", "status", type=click.Choice(["draft", "reviewed"]), default="draft", show_default=True,
              help="Mark the imported translations draft (a translator's file) or reviewed (a reviewer's, who "
                   "checked every unit it carries).")  # fmt: skip
@handle_errors
def translations_import(project: Path, file: Path, status: str) -> None:
    """Write the translations of an XLIFF 2.0 FILE into the YAML files, marked draft (or --status reviewed) with
    their source version."""
    from . import commands

    result = commands.translations_import(project, file, status)
    names = ", ".join(p.relative_to(project.resolve()).as_posix() if p.is_relative_to(project.resolve()) else str(p) for p in result.files)
    click.echo(f"imported {result.units} {result.lang} units: {len(result.changed)} records changed, marked {status}"
               + (f" ({names})" if names else ""))  # fmt: skip


def _pack_version(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from . import release

    try:
        return release.check_version(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@project_option
@click.option("--version", "version", required=True, callback=_pack_version, help="Pack version, e.g. 2026.12.")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The previous release pack (.zip): adds a changelog and redlines, and checks clause versions.")  # fmt: skip
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for tenderpack-VERSION.zip [default: PROJECT/releases].")  # fmt: skip
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: number of cores].")
@click.option("--force", is_flag=True, help="Replace an existing tenderpack-VERSION.zip (a published release is kept otherwise).")
@handle_errors
def pack(project: Path, version: str, previous: Path | None, out: Path | None, jobs: int | None, force: bool) -> None:
    """Write a reproducible release pack: every document, manifest, changelog, checksums (and redlines)."""
    from . import release

    result = release.pack(project, version, previous=previous, out=out, jobs=jobs, force=force)
    _warnings(result.warnings)
    if result.changes is not None:
        click.echo(release.format_summary(result.changes))
    click.echo(
        f"wrote {result.path}: {result.documents} documents, {len(result.redlines)} redlines "
        f"(sha256 {result.sha256})"
    )


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handle_errors
def diff(old: Path, new: Path) -> None:
    """Show the clause-level changes between two release packs (OLD.zip and NEW.zip)."""
    from . import release

    click.echo(release.format_summary(release.diff(old, new)))


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              callback=lambda c, p, v: _docx_name(v), help="The redline document to write (.docx).")  # fmt: skip
@click.option("--force", is_flag=True, help="Compare documents of different profiles, categories or kinds (with a warning).")
@handle_errors
def redline(old: Path, new: Path, output: Path, force: bool) -> None:
    """Write NEW with every difference from OLD as Word tracked changes (two versions of one tenderpack document)."""
    from . import release

    result, warnings = release.redline(old, new, output, force=force)
    _warnings(warnings)
    click.echo(
        f"wrote {output}: {result.insertions} insertions, {result.deletions} deletions, {result.moves} moved clauses"
    )


@main.command()
@project_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the website [default: PROJECT/site]; a site written there before is replaced.")  # fmt: skip
@click.option("--pack", "release", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The release pack (.zip) whose documents the site offers [default: build the pack now].")  # fmt: skip
@click.option("--previous", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="The previous release pack (.zip): the Changes page and each clause page show what changed (needs --pack).")  # fmt: skip
@click.option("--no-previews", "no_previews", is_flag=True,
              help="No first-page pictures of the documents (they need LibreOffice and take a while).")  # fmt: skip
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: number of cores].")
@handle_errors
def site(project: Path, out: Path | None, release: Path | None, previous: Path | None, no_previews: bool,
         jobs: int | None) -> None:  # fmt: skip
    """Write the clause catalogue as a static website: clauses, profiles, coverage, documents, references, changes, search."""
    from . import site as lib

    if previous is not None and release is None:
        raise click.UsageError("--previous compares two releases: give the new one with --pack")
    result = lib.build_site(project, out, pack=release, previous=previous, previews=not no_previews, jobs=jobs)
    _warnings(result.warnings)
    pictures = f"{result.previews} previews" if not result.no_previews else f"no previews ({result.no_previews})"
    click.echo(f"wrote {result.out}: {result.pages} pages, {result.documents} documents, {pictures}"
               + ("" if not result.changes else ", changes since --previous") + ".")  # fmt: skip
    click.echo(f"Open {result.out / 'index.html'}, or publish the folder on any static host (docs/site.md).")


@main.command()
@project_option
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")  # fmt: skip
@click.option("--previews", is_flag=True, help="Also draw the first page of every document (needs LibreOffice; slow).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: number of cores].")
@handle_errors
def serve(project: Path, port: int, previews: bool, jobs: int | None) -> None:
    """Build the website into a temporary folder and serve it on localhost, rebuilding when a file changes."""
    from . import site as lib

    try:
        lib.serve(project, port, previews=previews, jobs=jobs, report=click.echo)
    except KeyboardInterrupt:
        click.echo("Stopped; the temporary site was removed.")


def _docx_name(path: Path) -> Path:
    if path.suffix.lower() != ".docx":
        raise click.BadParameter(f"{str(path)!r} does not end in .docx: the redline is a Word document")
    return path


if __name__ == "__main__":  # pragma: no cover
    main()


# ------------------------------------------------------------------------------------------ fill
@main.command()
@click.argument("docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--set", "sets", multiple=True, metavar="ID=VALUE", required=True,
              help="A fill-in value, e.g. --set authority.name='City of Example' (repeatable).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Write the filled document here (may be DOCX itself).")
@handle_errors
def fill(docx: Path, sets: tuple[str, ...], output: Path) -> None:
    """Set fill-in values (authority name, tender reference, ...) in a built document, as Word would."""
    import re

    from . import commands
    from .word.fill import UnknownFillIn

    values: dict[str, str] = {}
    for item in sets:
        fill_id, sep, value = item.partition("=")
        fill_id = fill_id.strip()
        if not sep or not fill_id:
            raise click.BadParameter(f"{item!r} is not ID=VALUE (e.g. authority.name=City of Example)", param_hint="'--set'")
        if not value.strip():
            raise click.BadParameter(f"{fill_id}: the value is empty", param_hint="'--set'")
        if re.search("[^\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", value):
            raise click.BadParameter(f"{fill_id}: the value holds a line break or a control character", param_hint="'--set'")
        if fill_id in values:
            raise click.BadParameter(f"{fill_id} is given twice", param_hint="'--set'")
        values[fill_id] = value
    try:
        shown = commands.fill(docx, values, output)
    except UnknownFillIn as exc:
        raise click.BadParameter(str(exc), param_hint="'--set'") from None
    click.echo(f"Filled {len(values)} value{'s' if len(values) != 1 else ''} into {shown} field{'s' if shown != 1 else ''}: {output}")
