"""Command line: parse options, call the library, print. Nothing else lives here.

Content errors (anything in the user's files) exit 1 with ``Error:`` lines and no traceback; a wrong
command line exits 2 (Click's usage errors); Ctrl-C exits 130.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, commands
from .errors import ProblemsError, TenderpackError
from .model import EDITIONS, KINDS, LANG_RE, check_id

F = TypeVar("F", bound=Callable[..., Any])


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
            click.echo(f"Error: {n} problem{'s' if n != 1 else ''} found; nothing was written.", err=True)
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


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    click.echo(line.rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for r in rows:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


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
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder [default: PROJECT/output].")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: number of cores].")
@click.option("--force", is_flag=True, help="Render every document, even those whose inputs did not change.")
@click.option("--pdf", is_flag=True, help="Also write a PDF of each document (needs LibreOffice).")
@handle_errors
def build(project: Path, profiles: tuple[str, ...], categories: tuple[str, ...], kinds: tuple[str, ...],
          editions: tuple[str, ...], out: Path | None, strict: bool, jobs: int | None, force: bool, pdf: bool) -> None:  # fmt: skip
    """Build the pack (every profile × category × kind × edition) into the output folder."""
    result = commands.build(
        project, out, profiles, categories, kinds, editions, strict=strict, jobs=jobs, force=force, pdf=pdf,
        progress=_progress_bar() if sys.stderr.isatty() else None,
    )
    _warnings(result.warnings)
    for path in result.removed:
        click.echo(f"removed {path} (no longer part of the pack)")
    click.echo(
        f"Built {len(result.documents)} documents in {result.out}: "
        f"{len(result.rendered)} rendered, {len(result.reused)} unchanged."
    )


def _progress_bar() -> Callable[[int, int], None]:
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = click.progressbar(length=total, label="Rendering", file=sys.stderr)
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
@handle_errors
def check(project: Path, strict: bool) -> None:
    """Check the clause library, profiles and templates without writing anything."""
    checked = commands.check(project, strict=strict)
    _warnings(checked.warnings)
    click.echo(
        f"OK: {len(checked.project.clauses)} clauses, {len(checked.resolved)} profiles, "
        f"{len(checked.project.templates)} templates."
    )


@main.command(name="list")
@project_option
@click.argument("what", type=click.Choice(["profiles", "clauses", "categories", "coverage", "translations"]))
@click.option("--cpv", default=None, help="With 'categories': the category a CPV code falls under.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output format.")
@handle_errors
def list_(project: Path, what: str, cpv: str | None, fmt: str) -> None:
    """List profiles, clauses, categories, the category × stage coverage matrix, or translation status
    (each clause, string and section × language: reviewed, draft, stale or missing)."""
    header, rows = commands.listing(project, what, cpv=cpv)
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, row, strict=True)) for row in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(f"No {what} found" + (f" for CPV {cpv}." if cpv else "."))
        if cpv:
            sys.exit(1)
        return
    _table(rows, header)


@main.command()
@project_option
@click.argument("profile")
@click.argument("key", required=False)
@handle_errors
def explain(project: Path, profile: str, key: str | None) -> None:
    """Show each resolved value of PROFILE (or under KEY) and the file:line that set it."""
    rows = commands.explain(project, profile, key)
    _table([(k, v, o) for k, v, o in rows], ("key", "value", "set by"))


@main.command(name="new-profile")
@project_option
@click.argument("profile_id", metavar="ID", callback=lambda c, p, v: _ids("profile")(c, p, (v,))[0])
@click.option("--extends", "parent", required=True, help="The profile to inherit from.")
@handle_errors
def new_profile(project: Path, profile_id: str, parent: str) -> None:
    """Write profiles/ID.yaml: a commented starter that extends PARENT and passes check."""
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
    units = commands.translations_export(project, lang, output)
    click.echo(f"wrote {output}: {units} units for {lang}")


@translations.command(name="import")
@project_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handle_errors
def translations_import(project: Path, file: Path) -> None:
    """Write the translations of an XLIFF 2.0 FILE into the YAML files, marked draft with their source version."""
    result = commands.translations_import(project, file)
    names = ", ".join(p.relative_to(project.resolve()).as_posix() if p.is_relative_to(project.resolve()) else str(p) for p in result.files)
    click.echo(f"imported {result.units} {result.lang} units: {len(result.changed)} records changed"
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


def _docx_name(path: Path) -> Path:
    if path.suffix.lower() != ".docx":
        raise click.BadParameter(f"{str(path)!r} does not end in .docx: the redline is a Word document")
    return path


if __name__ == "__main__":  # pragma: no cover
    main()
