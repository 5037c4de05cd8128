"""The command line: exit codes, exact Error: lines, and every command's behaviour."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import snapshot, write

from tenderpack.cli import main


def test_several_mistakes_in_several_files_are_all_reported(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(project / "clauses" / "core" / "ts.broken.yaml", "id: ts.broken\ntitle: [unclosed\nversion: 1\n")
    spare = project / "clauses" / "core" / "cpc.spare-parts.yaml"
    write(spare, spare.read_text().replace("version: 2\n", "version: 2\nversion: 3\n"))
    fr = project / "profiles" / "fr.yaml"
    write(fr, fr.read_text().replace("remove: [aw.justification]", "remove: [aw.justification]\n  add: [ts.nowhere]")
          .replace("cpc.spare-parts.years: 5", "cpc.spare-parts.years: 2\n  ac.lcc.years: 11"))  # fmt: skip
    write(project / "profiles" / "a.yaml", "id: a\nname: A\nextends: b\n")
    write(project / "profiles" / "b.yaml", "id: b\nname: B\nextends: a\n")
    cli("build", "--project", project, expect=0)
    write(project / "profiles" / "a.yaml", "id: a\nname: A\nextends: b\n")
    before = snapshot(project / "output")
    result = cli("build", "--project", project, expect=1)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "Error: clauses/core/cpc.spare-parts.yaml:4: version: duplicate key (first defined on line 3)",
        "Error: clauses/core/ts.broken.yaml:3: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)",
        "Error: profiles/b.yaml:3: extends: profiles extend each other in a cycle: a -> b -> a",
        "Error: profiles/fr.yaml:12: parameters.ac.lcc.years: 11 is above the maximum 10",
        "Error: profiles/fr.yaml:15: clauses.add.0: unknown clause 'ts.nowhere'",
        "Error: 5 problems found; nothing was written.",
    ]
    assert snapshot(project / "output") == before


def test_check_passes_on_the_seed(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--project", project, expect=0)
    assert result.exit_code == 0
    assert result.stdout == "OK: 13 clauses, 3 profiles, 5 templates.\n"


def test_unknown_keys_are_warnings_and_errors_under_strict(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    itu = project / "profiles" / "itu.yaml"
    write(itu, itu.read_text().replace("currency: USD", "currency: USD\ncurency: USD"))
    ok = cli("check", "--project", project, expect=0)
    assert ok.exit_code == 0
    assert "Warning: profiles/itu.yaml:5: curency: unknown key (did you mean 'currency'?)" in ok.stderr.splitlines()
    strict = cli("check", "--project", project, "--strict", expect=1)
    assert strict.exit_code == 1
    assert "Warning: profiles/itu.yaml:5: curency: unknown key (did you mean 'currency'?)" in strict.stderr.splitlines()
    assert strict.stderr.splitlines()[-1] == "Error: 1 problem found; nothing was written."


def test_wrong_command_line_exits_2(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("build", "--kind", "novel", "--project", project).exit_code == 2
    assert cli("frobnicate").exit_code == 2
    bad_id = cli("new-profile", "../x", "--extends", "eu", "--project", project)
    assert bad_id.exit_code == 2
    assert "is not a valid id" in bad_id.stderr


def test_unknown_profile_filter(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("build", "--project", project, "--profile", "xx", expect=1)
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown profile 'xx' (known: eu, fr, itu)\n"


def test_filters_build_only_what_is_asked(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("build", "--project", project, "--profile", "fr", "--kind", "annex", "--edition", "issue", expect=0)
    assert result.exit_code == 0
    built = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.docx"))
    assert built == [
        "fr/computers/fr-computers-comprehensive-annex-issue.docx",
        "fr/computers/fr-computers-core-annex-issue.docx",
        "fr/end-of-life/fr-end-of-life-comprehensive-annex-issue.docx",
        "fr/end-of-life/fr-end-of-life-core-annex-issue.docx",
        "fr/mobile-devices/fr-mobile-devices-comprehensive-annex-issue.docx",
        "fr/mobile-devices/fr-mobile-devices-core-annex-issue.docx",
    ]


def test_level_filter_builds_one_level_and_the_summary_counts_levels(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("build", "--project", project, "--profile", "fr", "--kind", "annex", "--level", "comprehensive", expect=0)
    built = sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.docx"))
    assert built == [
        f"fr/{cat}/fr-{cat}-comprehensive-annex-{edition}.docx"
        for cat in ("computers", "end-of-life", "mobile-devices")
        for edition in ("drafting", "issue")
    ]
    assert result.stdout.startswith(f"Built 6 documents (0 core, 6 comprehensive) in {project / 'output'}: 6 rendered")
    manifest = json.loads((project / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert {d["level"] for d in manifest["documents"]} == {"comprehensive"}
    wrong = cli("build", "--project", project, "--level", "high")
    assert wrong.exit_code == 2 and "'high' is not one of 'core', 'comprehensive'" in wrong.stderr


def test_the_old_level_key_is_an_error_that_says_what_to_write(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = project / "profiles" / "fr.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("levels: [core, comprehensive]", "level: comprehensive"))
    result = cli("check", "--project", project, expect=1)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "Error: profiles/fr.yaml:9: level: 'level' was replaced by 'levels': every profile builds both ambition "
        "levels (core and comprehensive) as separate documents; to build only one, write 'levels: [comprehensive]'"
    )


def test_levels_restrict_what_a_profile_builds(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = project / "profiles" / "fr.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("levels: [core, comprehensive]", "levels: [core]"))
    cli("build", "--project", project, "--profile", "fr", "--kind", "tender", "--edition", "issue", expect=0)
    built = sorted(p.name for p in (project / "output").rglob("*.docx"))
    assert built == [f"fr-{cat}-core-tender-issue.docx" for cat in ("computers", "end-of-life", "mobile-devices")]
    path.write_text(path.read_text(encoding="utf-8").replace("levels: [core]", "levels: []"))
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines()[0] == "Error: profiles/fr.yaml:9: levels: name at least one level (core, comprehensive)"


def test_an_approved_clause_that_reaches_no_document_is_an_error(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = project / "profiles" / "eu.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("documents: [tender, annex, questionnaire, checklist]", ""))
    result = cli("check", "--project", project, expect=1)
    assert result.stderr.splitlines() == [
        "Error: clauses/core/plan.needs-assessment.yaml:1: id: approved clause 'plan.needs-assessment' reaches no "
        "document of any profile (selected for eu/computers/core, eu/computers/comprehensive, eu/mobile-devices/core "
        "..., but clauses of type 'planning-note' appear only in checklist, which those profiles do not build)",
        "Error: 1 problem found; nothing was written.",
    ]
    # a comprehensive clause no profile builds at the comprehensive level
    for name in ("itu", "fr"):
        p = project / "profiles" / f"{name}.yaml"
        text = p.read_text(encoding="utf-8").replace("levels: [core, comprehensive]", "levels: [core]")
        p.write_text(text if name == "fr" else text.replace("documents:", "levels: [core]\ndocuments:"))
    result = cli("check", "--project", project, expect=1)
    assert any(
        line.startswith("Error: clauses/") and "approved clause 'aw.justification' reaches no document of any profile "
        "(no profile builds a comprehensive-level document of its categories" in line
        for line in result.stderr.splitlines()
    ), result.stderr


def test_explain_shows_inherited_values_with_the_parent_file(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("explain", "fr", "--project", project, expect=0)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.split() == ["currency", "EUR", "profiles/eu.yaml:4"] for line in lines)
    assert any(line.split() == ["language", "en", "profiles/itu.yaml:3"] for line in lines)
    assert any(line.split()[:2] == ["authority.name", "Smith"] and line.endswith("profiles/fr.yaml:6") for line in lines)
    one = cli("explain", "fr", "parameters", "--project", project, expect=0)
    assert [line.split()[-1] for line in one.stdout.splitlines()[2:]] == ["profiles/eu.yaml:18", "profiles/fr.yaml:11"]
    missing = cli("explain", "fr", "nothing", "--project", project, expect=1)
    assert missing.stderr == "Error: profile 'fr' has no value 'nothing'\n"


def test_new_profile_writes_a_starter_that_passes_check(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("new-profile", "de-bund", "--extends", "eu", "--project", project, expect=0)
    assert result.exit_code == 0
    text = (project / "profiles" / "de-bund.yaml").read_text()
    assert "extends: eu" in text and "# parameters:" in text
    assert cli("check", "--project", project, "--strict", expect=0).exit_code == 0
    again = cli("new-profile", "de-bund", "--extends", "eu", "--project", project, expect=1)
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_list_tables_and_cpv_lookup(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    profiles = cli("list", "profiles", "--project", project, expect=0).stdout.splitlines()
    assert profiles[0].split() == ["id", "name", "extends", "levels", "categories"]
    assert [line.split()[0] for line in profiles[2:]] == ["eu", "fr", "itu"]
    assert all("core,comprehensive" in line.split() for line in profiles[2:])
    cats = cli("list", "categories", "--cpv", "30213100-6", "--project", project, expect=0).stdout.splitlines()
    assert [line.split()[0] for line in cats[2:]] == ["computers"]
    none = cli("list", "categories", "--cpv", "45000000-7", "--project", project)
    assert none.exit_code == 1 and none.stdout == "No categories found for CPV 45000000-7.\n"
    coverage = cli("list", "coverage", "--project", project, expect=0).stdout.splitlines()
    assert coverage[0].split()[:3] == ["category", "planning", "solicitation"]


def test_every_command_has_help() -> None:
    from click.testing import CliRunner

    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, name


def test_a_criterion_unfed_at_one_level_is_named_with_its_categories(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # the environment criterion is fed by the warranty and sanitisation questions: make both comprehensive
    for name in ("ac.warranty", "cpc.data-sanitisation"):
        path = project / "clauses" / "core" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("level: core", "level: comprehensive"))
    result = cli("check", "--project", project, expect=1)
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Error: profiles/itu.yaml:24: award.criteria.environment: no scored question feeds this criterion in: "
        "computers (core), mobile-devices (core), end-of-life (core)"
    )
    assert not any("(comprehensive)" in line for line in lines)
