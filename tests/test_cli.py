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
        "Error: clauses/core/ts.broken.yaml:2: column 8: the '[' here is not closed with ']' (or two of its items lack a ',' between them)",
        "Error: profiles/b.yaml:3: extends: profiles extend each other in a cycle: a -> b -> a",
        "Error: profiles/fr.yaml:12: parameters.ac.lcc.years: 11 is above the maximum 10",
        "Error: profiles/fr.yaml:15: clauses.add.0: unknown clause 'ts.nowhere'",
        "Error: 5 problems found; nothing was written.",
    ]
    assert snapshot(project / "output") == before


def test_check_passes_on_the_seed(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--project", project, expect=0)
    assert result.exit_code == 0
    assert result.stdout == "OK: 13 clauses, 3 profiles, 6 templates.\n"  # tender … checklist, and evaluation


def test_a_typo_in_a_key_is_an_error_and_nothing_is_written(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """The issue's reproduction: `paramaters:` used to be a warning, and the annex silently kept the default."""
    cli("build", "--project", project, expect=0)
    before = snapshot(project / "output")
    write(project / "profiles" / "x.yaml", "id: x\nname: X\nextends: itu\nparamaters:\n  cpc.spare-parts.years: 7\n")
    for command, summary in (("check", "Error: 1 problem found."), ("build", "Error: 1 problem found; nothing was written.")):
        result = cli(command, "--project", project, expect=1)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines() == [
            "Error: profiles/x.yaml:4: paramaters: unknown key; did you mean 'parameters'?", summary], command
        assert result.stdout == ""
    assert snapshot(project / "output") == before


def test_unknown_keys_in_every_file_and_strict_still_works(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    edits = {
        "profiles/itu.yaml": ("currency: USD", "currency: USD\ncurency: USD"),
        "clauses/library.yaml": ("release:\n", "release:\n  verison: x\n"),
        "clauses/references/refs.yaml": ("  kind: recommendation\n", "  kind: recommendation\n  identifer: x\n"),
        "clauses/core/ts.repair.yaml": ("\nverification:", "\nverfication: x\nverification:"),
    }
    for rel, (old, new) in edits.items():
        path = project / rel
        assert old in path.read_text(), rel
        write(path, path.read_text().replace(old, new, 1))
    for args in ((), ("--strict",)):
        result = cli("check", "--project", project, *args, expect=1)
        assert result.exit_code == 1
        lines = result.stderr.splitlines()
        assert lines[-1] == "Error: 4 problems found.", lines
        assert "Error: profiles/itu.yaml:5: curency: unknown key; did you mean 'currency'?" in lines
        assert "Error: clauses/library.yaml:5: release.verison: unknown key; did you mean 'version'?" in lines
        assert "Error: clauses/references/refs.yaml:3: itu-t-l1061.identifer: unknown key; did you mean 'identifier'?" in lines
        assert any(line.startswith("Error: clauses/core/ts.repair.yaml:") and line.endswith(
            "verfication: unknown key; did you mean 'verification'?") for line in lines), lines  # fmt: skip


def test_x_keys_are_private_notes_at_any_level_of_any_file(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    cli("build", "--project", project, expect=0)
    before = snapshot(project / "output")
    notes = {
        "profiles/itu.yaml": ("currency: USD", "currency: USD\nx-note: agreed with finance\nx-todo:\n  who: [legal]\n  paramaters: {}"),
        "clauses/library.yaml": ("release:\n", "x-reviewed: 2026-03\nrelease:\n  x-why: quarterly\n"),
        "clauses/references/refs.yaml": ("  kind: recommendation\n", "  kind: recommendation\n  x-checked-by: \"{{ nobody }}\"\n"),
        "clauses/core/ts.repair.yaml": ("\nverification:", "\nx-history: first drafted in 2025\nverification:"),
        "profiles/fr.yaml": ("parameters:\n", "parameters:\n  x-note: the city asked for 5 years\n"),
    }
    for rel, (old, new) in notes.items():
        path = project / rel
        assert old in path.read_text(), rel
        write(path, path.read_text().replace(old, new, 1))
    result = cli("check", "--project", project, "--strict", expect=0)
    assert (result.exit_code, result.stderr) == (0, "")
    built = cli("build", "--project", project, expect=0)
    assert built.exit_code == 0
    after = snapshot(project / "output")
    issued = sorted(k for k in before if k.endswith("-issue.docx"))  # drafting editions cite file:line, which moved
    assert issued and [after[k] for k in issued] == [before[k] for k in issued]


def test_check_lints_every_clause_text_even_one_no_document_prints(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    clause = project / "clauses" / "core" / "ts.old.yaml"
    write(clause, "id: ts.old\ntitle: Old\nversion: 2\nstatus: retired\ntype: technical-specification\n"
                  "stage: solicitation\nlevel: core\ncategories: [all]\ntext: Old text.\nverification: None.\n"
                  "guidance: |\n  Kept.\n  {{ legal.award.__class__ }}\n")  # fmt: skip
    result = cli("check", "--project", project, expect=1)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: clauses/core/ts.old.yaml:13: guidance: unsafe expression refused: access to attribute '__class__' "
        "is not allowed (no name that starts with '_', no internal attribute)",
        "Error: 1 problem found.",
    ]


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
    assert result.stdout.startswith(f"Built 6 documents (6 comprehensive) in {project / 'output'}: 6 rendered")
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
        "Error: 1 problem found.",
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
    one = cli("explain", "fr", "parameters.cpc", "--project", project, expect=0)
    assert [line.split() for line in one.stdout.splitlines()[2:]] == [
        ["parameters.cpc.data-sanitisation.days", "30", "clauses/core/cpc.data-sanitisation.yaml:15", "(default)"],
        ["parameters.cpc.spare-parts.years", "5", "profiles/fr.yaml:11"],
        ["parameters.cpc.spare-parts.years@mobile-devices", "7", "profiles/eu.yaml:18"],
    ]
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
    coverage = cli("list", "coverage", "--project", project, expect=0).stdout.splitlines()
    assert coverage[0].split()[:3] == ["category", "planning", "solicitation"]


def test_every_command_has_help() -> None:
    from click.testing import CliRunner

    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, name


# ------------------------------------------------------------------------------------------ messages and listings


def test_a_filtered_build_counts_its_selection_and_names_a_file_to_open(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    cli("build", "--project", project, expect=0)
    out = project / "output"
    fr = project / "profiles" / "fr.yaml"
    write(fr, fr.read_text().replace("Smith", "Smyth"))
    result = cli("build", "--project", project, "--profile", "fr", "--category", "computers", expect=0)
    assert result.stdout.splitlines() == [
        f"Built 16 documents (8 core, 8 comprehensive) in {out}: 16 rendered, 0 unchanged.",
        f"Open next: {out / 'fr/computers/fr-computers-core-annex-drafting.docx'}",
    ]
    again = cli("build", "--project", project, "--profile", "fr", "--category", "computers", "--kind", "tender",
                "--edition", "issue", expect=0)  # fmt: skip
    assert again.stdout.splitlines() == [
        f"Built 2 documents (1 core, 1 comprehensive) in {out}: 0 rendered, 2 unchanged.",
        f"Open next: {out / 'fr/computers/fr-computers-core-tender-issue.docx'}",
    ]


def test_explain_wraps_to_the_terminal_width(project: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fr = project / "profiles" / "fr.yaml"
    long_name = "Ministère " + "de l'Économie circulaire et du Numérique responsable " * 8
    write(fr, fr.read_text().replace("Smith", long_name.strip()))
    monkeypatch.setenv("COLUMNS", "72")
    result = cli("explain", "fr", "--project", project, expect=0)
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 72
    name = [line for line in lines if line.startswith("authority.name")]
    assert name and name[0].rstrip().endswith("profiles/fr.yaml:6")
    # the wrapped value reads back whole, in order
    start = lines.index(name[0])
    width = lines[1].split("  ")[0].__len__() + 2
    pieces = [lines[start][width:].split("  ")[0]]
    for line in lines[start + 1 :]:
        if line[:width].strip():
            break
        pieces.append(line[width:].split("  ")[0].strip())
    assert " ".join(p.strip() for p in pieces) == long_name.strip() + ' & Sons <EU> "Ltd"'  # the seed's "Smith & ..."


def test_list_clauses_has_titles_and_filters(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    every = cli("list", "clauses", "--project", project, expect=0).stdout.splitlines()
    assert every[0].split() == ["id", "title", "version", "status", "type", "stage", "level", "categories"]
    assert every[2].split()[:3] == ["ac.lcc", "Life-cycle", "cost"]
    ids = lambda *args: [line.split()[0] for line in cli("list", "clauses", "--project", project, *args,  # noqa: E731
                                                               expect=0).stdout.splitlines()[2:] if line[:1].strip()]  # fmt: skip
    assert ids("--stage", "evaluation") == ["ac.lcc", "ac.warranty"]
    assert all(c.startswith(("ac.", "adm.", "aw.", "cpc.", "pn.", "rev.", "sc.", "ts.")) for c in ids("--level", "comprehensive"))
    assert "aw.justification" in ids("--level", "comprehensive")
    assert "aw.justification" not in ids("--profile", "fr")  # fr removes it
    assert "ac.warranty" not in ids("--category", "end-of-life")
    assert set(ids("--profile", "fr", "--category", "computers")) <= set(ids("--profile", "fr"))
    bad = cli("list", "clauses", "--stage", "nowhere", "--project", project, expect=1)
    assert (bad.exit_code, bad.stderr.splitlines()[-1]) == (1, "Error: unknown stage 'nowhere' (known: planning, "
                                                                "solicitation, evaluation, award, contract-management, end-of-life, review)")  # fmt: skip
    wrong = cli("list", "profiles", "--stage", "award", "--project", project, expect=2)
    assert wrong.exit_code == 2
    assert wrong.stderr.splitlines()[-1] == "Error: --stage applies to 'list clauses', not to 'list profiles'"


def test_list_coverage_prints_a_legend(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    lines = cli("list", "coverage", "--project", project, expect=0).stdout.splitlines()
    legend = lines[lines.index("Approved clauses per category and stage, counted by type:") + 1 :]
    assert [line.split() for line in legend] == [
        ["PN", "planning-note"], ["AD", "administrative"], ["SC", "selection-criterion"],
        ["TS", "technical-specification"], ["AC", "award-criterion"], ["CPC", "contract-performance-clause"],
        ["—", "no", "approved", "clause"],
    ]  # fmt: skip
    codes = {cell[: len(cell.rstrip("0123456789"))] for line in lines[2 : lines.index("") ] for cell in line.split()[1:]}
    assert codes <= {code for code, *_ in (line.split() for line in legend)}


def test_cpv_lookups_check_the_code_and_find_categories_from_a_parent(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    def lookup(code: str, expect: int):  # type: ignore[no-untyped-def]
        return cli("list", "categories", "--cpv", code, "--project", project, expect=expect)

    parent = lookup("30200000-1", 0)
    assert [line.split()[0] for line in parent.stdout.splitlines()[2:]] == ["computers", "mobile-devices"]
    assert [line.split()[0] for line in lookup("30213100", 0).stdout.splitlines()[2:]] == ["computers"]
    cases = {
        "30213100-9": "Error: CPV 30213100-9: wrong check digit (the code is 30213100-6)",
        "3021310-6": "Error: CPV '3021310-6': a CPV code is 8 digits and a check digit, e.g. 30213100-6",
        "30213100-66": "Error: CPV '30213100-66': a CPV code is 8 digits and a check digit, e.g. 30213100-6",
        "laptops": "Error: CPV 'laptops': a CPV code is 8 digits and a check digit, e.g. 30213100-6",
        "45000000-7": "Error: no category for CPV 45000000-7 (`tenderpack list categories` shows the codes each covers)",
        "48000000-8": "Error: no category for CPV 48000000-8 (`tenderpack list categories` shows the codes each covers)",
    }
    for code, message in cases.items():
        result = lookup(code, 1)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n"), code
    refused = cli("list", "profiles", "--cpv", "30213100-6", "--project", project, expect=2)
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == "Error: --cpv applies to 'list categories', not to 'list profiles'"


def test_check_says_nothing_was_written_only_where_something_could_have_been(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    write(project / "profiles" / "itu.yaml", "id: itu\nname: [unclosed\n")
    checked = cli("check", "--project", project, expect=1)
    assert checked.exit_code == 1 and checked.stderr.splitlines()[-1] == "Error: 1 problem found."
    built = cli("build", "--project", project, expect=1)
    assert built.exit_code == 1 and built.stderr.splitlines()[-1] == "Error: 1 problem found; nothing was written."


def test_a_criterion_unfed_at_one_level_is_named_with_its_categories(project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # the environment criterion is fed by the warranty and sanitisation questions: make both comprehensive
    for name in ("ac.warranty", "cpc.data-sanitisation"):
        path = project / "clauses" / "core" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("level: core", "level: comprehensive"))
    result = cli("check", "--project", project, expect=1)
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "Error: profiles/itu.yaml:25: award.criteria.environment: no scored question feeds this criterion in: "
        "computers (core), mobile-devices (core), end-of-life (core)"
    )
    assert not any("(comprehensive)" in line for line in lines)


def test_build_py_passes_options_to_build(project: Path) -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "build.py"
    out = project / "elsewhere"
    done = subprocess.run([sys.executable, str(script), "--project", str(project), "--out", str(out), "--profile", "fr",
                           "--kind", "annex", "--edition", "issue", "--level", "core"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        f"Built 3 documents (3 core) in {out}: 3 rendered, 0 unchanged.\n"
        f"Open next: {out}/fr/computers/fr-computers-core-annex-issue.docx\n"
    )
    assert sorted(p.name for p in out.rglob("*.docx")) == [
        f"fr-{cat}-core-annex-issue.docx" for cat in ("computers", "end-of-life", "mobile-devices")
    ]
