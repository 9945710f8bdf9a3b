"""The command line in-process: every command, every format, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from lshcli.cli import app
from tests.conftest import invoke

EXPECTED = Path(__file__).parent / "expected"
COMMANDS = [
    ["compare", "topsector", "pwc2017", "--year", "2016"],
    ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2010", "--to", "2019"],
    ["count", "topsector"],
    ["count", "pwc2019", "--measure", "jobs", "--year", "2019"],
    ["definitions"],
    ["definitions", "show", "pwc2017"],
    ["sbi", "21.10", "72112"],
    ["sbi", "--search", "farmaceutische"],
    ["measures"],
    ["tables"],
    ["store"],
    ["sizes", "topsector", "--year", "2016"],
    ["reconcile", "--ref", "F017", "--ref", "F070"],
    ["count", "pwc2019", "--measure", "jobs", "--from", "2017", "--to", "2019", "--wide"],
    ["sbi", "72.11.2", "32.50", "--to", "sbi2025"],
    ["sbi", "72100", "-c", "sbi2025"],
    ["definitions", "show", "topsector_sbi2025"],
    ["across", "topsector", "--from", "2015", "--to", "2016", "--link"],
]


def run(*args: str):  # type: ignore[no-untyped-def]
    return invoke(list(args), env={"COLUMNS": "100", "NO_COLOR": "1"})


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_json_parses(args: list[str]) -> None:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_csv_has_a_header_and_rows(args: list[str]) -> None:
    result = run(*args, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    assert "n/a" not in result.stdout  # CSV leaves missing cells empty, never a word or a zero


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_markdown_and_table(args: list[str]) -> None:
    md = run(*args, "-f", "markdown")
    assert md.exit_code == 0 and "|---" in md.stdout
    table = run(*args)
    assert table.exit_code == 0 and "┃" in table.stdout


def _command_paths() -> list[list[str]]:
    """Every command and sub-command of the app, found by walking it (so a new command is swept too)."""
    import typer.main

    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group's sub-commands
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("args", _command_paths(), ids=lambda a: " ".join(a) or "lsh")
def test_every_command_has_help(args: list[str]) -> None:
    result = run(*args, "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout
    assert len(_command_paths()) >= 19  # lsh, its 13 commands, and the sub-commands of definitions, plot and store
    assert "Example" in result.stdout, f"lsh {' '.join(args)} --help has no example"


EXPECTED_TABLES = {
    "overlap_2016.txt": ["overlap", "topsector", "pwc2017", "pwc2019", "--year", "2016"],
    "sizes_topsector_2016.txt": ["sizes", "topsector", "--year", "2016"],
    "reconcile_selection.txt": ["reconcile", "--ref", "F003", "--ref", "F012", "--ref", "F017", "--ref", "F070"],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_TABLES))
def test_tables_match_expected_output(name: str, golden) -> None:  # type: ignore[no-untyped-def]
    result = run(*EXPECTED_TABLES[name])
    assert result.exit_code == 0, result.stderr
    golden(name, result.stdout)


def test_compare_json_holds_the_wholesale_row() -> None:
    result = run("compare", "topsector", "pwc2017", "--year", "2016", "-f", "json")
    [comparison] = json.loads(result.stdout)
    row = next(r for r in comparison["rows"] if r["code"] == "46.46")
    assert row["value"] == 2090
    assert 66 <= row["pct_of_a"] <= 68
    assert row["used"][0]["source"]["citation"].startswith("Technopolis Group (2019)")
    assert comparison["total_b"]["value"] is None and comparison["total_b"]["missing"]


def test_compare_table_matches_expected_output(golden) -> None:  # type: ignore[no-untyped-def]
    result = run("compare", "topsector", "pwc2017", "--year", "2016")
    assert result.exit_code == 0
    golden("compare_topsector_pwc2017_2016.txt", result.stdout)


def test_default_year_is_said_on_stderr_only() -> None:
    result = run("compare", "topsector", "pwc2017", "-f", "csv")
    assert result.exit_code == 0
    assert "comparing 2016" in result.stderr
    assert "comparing" not in result.stdout
    assert result.stdout.startswith("record,year,part")


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run("compare", "topsector", "pwc2017", "--year", "2016", "-f", "json", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))[0]["year"] == 2016
    written = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("store", "config", "data"))
    assert written == ["out.json"]  # and no temporary file left beside it


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["compare", "topsector", "nosuch"], 1, "unknown definition 'nosuch'"),
        (["sbi", "21.30"], 1, "'21.30' is not an SBI 2008 code; did you mean 21.10? (nearest real codes: 21.20"),
        (["compare", "topsector", "pwc2017", "--measure", "height"], 1, "unknown measure 'height'"),
        (["compare", "topsector", "pwc2017", "--measure", "firms_250_plus"], 1, "no year holds"),
        (["compare", "topsector", "pwc2017", "--year", "2016", "--from", "2010", "--to", "2012"], 2, "not both"),
        (["compare", "topsector", "pwc2017", "-f", "xml"], 2, "xml"),
        (["sbi"], 2, "--search"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_errors_are_one_line_with_exit_code(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert message in result.stderr
    if code == 1:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("lsh: error: ")


def test_broken_definition_file(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("broken", "title: x\ncodes: [21.10\n")
    result = run("compare", str(path), "topsector")
    assert result.exit_code == 1
    assert "broken YAML at line" in result.stderr and result.stderr.count("\n") == 1


def test_validate_reports_overlap_and_loads_user_folder(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("wide", "title: Wide\nextends: topsector\nadd: ['46.46', '46.46.1']\n")
    result = run("definitions", "validate", str(path), "-f", "csv")
    assert result.exit_code == 0
    assert "46.46.1 lies inside 46.46" in result.stderr
    assert "46.46.1" in result.stdout
    listed = run("--definitions-dir", str(path.parent), "definitions", "-f", "json")
    assert "wide" in [d["id"] for d in json.loads(listed.stdout)]
    compared = run("-D", str(path.parent), "compare", "topsector", "wide", "--year", "2016", "-f", "json")
    assert compared.exit_code == 0, compared.stderr


def test_debug_shows_the_traceback() -> None:
    result = run("--debug", "sbi", "99.99")
    assert result.exit_code == 1
    assert result.exception is not None


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("lsh ")


GOLDEN = {
    "compare_topsector_pwc2017_2016": ["compare", "topsector", "pwc2017", "--year", "2016"],
    "compare_pwc2019_topsector_jobs_2010_2019": ["compare", "pwc2019", "topsector", "-m", "jobs", "--from", "2010"]
    + ["--to", "2019"],
    "count_topsector": ["count", "topsector"],
    "count_pwc2019_jobs_wide": ["count", "pwc2019", "-m", "jobs", "--from", "2017", "--to", "2019", "--wide"],
    "sizes_topsector_2016": ["sizes", "topsector", "--year", "2016"],
}


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_json_and_csv_match_expected_files(name: str, fmt: str, golden) -> None:  # type: ignore[no-untyped-def]
    result = run(*GOLDEN[name], "-f", fmt)
    assert result.exit_code == 0, result.stderr
    golden(f"{name}.{fmt}", result.stdout)


def test_output_files_take_their_format_from_the_name(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    book = tmp_path / "gap.xlsx"
    assert run("compare", "topsector", "pwc2017", "--year", "2016", "-o", str(book)).exit_code == 0
    sheets = load_workbook(book)
    rows = list(sheets[sheets.sheetnames[0]].iter_rows(values_only=True))
    assert rows[0][:4] == ("definition", "firms", "firms (low)", "firms (high)")
    assert rows[1][:2] == ("topsector", 3105) and rows[2][2:4] == (2290, 3255)  # numbers, bounds as two columns
    assert {"sentences", "sources"} <= set(sheets.sheetnames)
    plain = tmp_path / "gap.csv"
    assert run("compare", "topsector", "pwc2017", "--year", "2016", "-o", str(plain)).exit_code == 0
    assert plain.read_text().startswith("record,year,part")
    page = tmp_path / "gap.html"
    assert run("compare", "topsector", "pwc2017", "--year", "2016", "-o", str(page)).exit_code == 0
    assert page.read_text().startswith("<!DOCTYPE html>") and "2,290 - 3,255" in page.read_text()
    for bad in (["-o", str(tmp_path / "gap.csv"), "-f", "json"], ["-o", str(tmp_path / "gap.dat")]):
        result = run("compare", "topsector", "pwc2017", "--year", "2016", *bad)
        assert result.exit_code == 2 and result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gap.csv", "gap.html", "gap.xlsx"]


def test_global_options_work_anywhere_and_quiet_keeps_only_errors() -> None:
    offline = run("fetch", "--sbi", "21.10", "--offline")
    assert offline.exit_code == 3 and "lsh is offline" in offline.stderr
    loud = run("compare", "topsector", "pwc2017", "-f", "csv")
    quiet = run("compare", "topsector", "pwc2017", "-f", "csv", "--quiet")
    assert "comparing 2016" in loud.stderr and quiet.stderr == "" and quiet.stdout == loud.stdout
    failing = run("compare", "topsector", "nosuch", "--quiet")
    assert failing.exit_code == 1 and "unknown definition 'nosuch'" in failing.stderr
    from lshcli.session import globals_first

    assert globals_first(["sbi", "21.10", "--store", "s.db", "--", "--offline"]) == [
        "--store",
        "s.db",
        "sbi",
        "21.10",
        "--",
        "--offline",
    ]


def test_years_that_cannot_exist_are_an_error_naming_the_years_that_do() -> None:
    for year in ("1066", "2030"):
        result = run("compare", "topsector", "pwc2017", "--year", year)
        assert result.exit_code == 1 and result.stdout == ""
        assert f"no firms figures exist for {year}: the store holds 2010, 2015-2016, 2019" in result.stderr
        assert "and CBS publishes 81588NED 2007-2026; 81589NED 2007-" in result.stderr
    jobs = run("count", "topsector", "-m", "jobs", "--year", "2008")
    assert jobs.exit_code == 1 and "CBS publishes 83583NED 2010-2019" in jobs.stderr
    assert run("compare", "topsector", "pwc2017", "--year", "abc").exit_code == 2
    latest = run("count", "topsector", "-m", "jobs", "--year", "latest", "-f", "json")
    assert [r["year"] for r in json.loads(latest.stdout)] == [2019]
    same = run("compare", "topsector", "pwc2017", "--year", "latest", "-f", "json")
    assert json.loads(same.stdout)[0]["year"] == 2016 and "comparing 2016" in same.stderr
    from lshcli.errors import Remedy
    from lshcli.session import fetchable as _fetchable

    assert _fetchable("employee_jobs", 2015) and not _fetchable("employee_jobs", 2008)
    from lshcli.session import CliHints

    assert CliHints().fetch(Remedy(definitions=("topsector",), measure="employee_jobs", year=1990)) == ""


TOKEN = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[-+]?\d+(?:\.\d+)*|\bF\d{3}\b")
SWEEP_COMMANDS = [
    *COMMANDS,
    ["overlap", "topsector", "pwc2017", "pwc2019", "--year", "2016"],
    ["compare", "pwc2019", "topsector", "-m", "jobs", "--from", "2014", "--to", "2016", "--wide"],
    ["definitions", "show", "topsector"],
]


@pytest.mark.slow  # every command rendered five times: seconds
@pytest.mark.parametrize("args", SWEEP_COMMANDS, ids=lambda a: " ".join(a))
def test_every_table_fits_from_60_columns_with_every_token_intact(args: list[str]) -> None:
    wide = invoke([*args], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert wide.exit_code == 0, wide.stderr
    wanted = {t.lstrip("+-") for t in TOKEN.findall(wide.stdout)}
    for width in (60, 80, 100, 120):
        narrow = invoke([*args], env={"COLUMNS": str(width), "NO_COLOR": "1"})
        assert narrow.exit_code == 0, narrow.stderr
        assert max(len(line) for line in narrow.stdout.splitlines()) <= width
        missing = wanted - {t.lstrip("+-") for t in TOKEN.findall(narrow.stdout)}
        assert not missing, f"at {width} columns: {sorted(missing)[:8]}"


DUTCH_TOKEN = re.compile(r"[-+]?\d[\d.,]*\d|\d|\bF\d{3}\b")
"""A number the Dutch way (3.105, 67,3), a code (72.11.2), a year or a reference: whatever a cell must keep whole."""


@pytest.mark.slow  # every command rendered five times in Dutch: seconds
@pytest.mark.parametrize("args", SWEEP_COMMANDS, ids=lambda a: " ".join(a))
def test_every_dutch_table_fits_from_60_columns_with_every_token_intact(args: list[str]) -> None:
    """Dutch headers and words are longer than English ones: the same sweep, in Dutch."""
    wide = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert wide.exit_code == 0, wide.stderr
    wanted = {t.lstrip("+-") for t in DUTCH_TOKEN.findall(wide.stdout)}
    for width in (60, 80, 100, 120):
        narrow = invoke([*args, "--lang", "nl"], env={"COLUMNS": str(width), "NO_COLOR": "1"})
        assert narrow.exit_code == 0, narrow.stderr
        assert max(len(line) for line in narrow.stdout.splitlines()) <= width
        missing = wanted - {t.lstrip("+-") for t in DUTCH_TOKEN.findall(narrow.stdout)}
        assert not missing, f"at {width} columns: {sorted(missing)[:8]}"


def test_a_count_with_nothing_stored_says_so_and_how_to_fetch_it() -> None:
    told = " ".join(run("count", "topsector", "-m", "turnover").stdout.split())
    assert "No turnover figures are stored for topsector in any year" in told
    assert "'lsh fetch --measure turnover --definition topsector' fetches them from CBS." in told
    assert json.loads(run("count", "topsector", "-m", "turnover", "-f", "json").stdout) == []


def test_a_misspelling_gets_a_did_you_mean() -> None:
    for args, said in (
        (["count", "topsecter"], "did you mean topsector?"),
        (["count", "topsector", "-m", "jbos"], "did you mean jobs?"),
        (["sbi", "26.06"], "did you mean 26.60?"),
        (["sbi", "21.1O"], "did you mean 21.10?"),
    ):
        result = run(*args)
        assert result.exit_code == 1 and said in result.stderr, result.stderr
    assert run("count", "topsector", "-m", "banen", "-f", "json").exit_code == 0  # CBS's Dutch word for jobs


def test_the_shell_completes_definitions_measures_and_tables() -> None:
    from lshcli.options import complete_definitions as _complete_definitions
    from lshcli.options import complete_measures as _complete_measures
    from lshcli.options import complete_tables as _complete_tables

    assert _complete_definitions("top") == ["topsector", "topsector_sbi2025"]
    assert "banen" in _complete_measures("ba") and "employee_jobs" in _complete_measures("emp")
    assert _complete_tables("8628") == ["86280NED", "86281NED"]


def test_a_series_says_its_change_over_the_period() -> None:
    jobs = " ".join(run("count", "pwc2019", "-m", "jobs", "--from", "2010", "--to", "2019").stdout.split())
    assert "from 2010 to 2019: 16.6 to 13.88 x 1 000 jobs, a change of -2.72 (-16.4%, -2.0% a year on average)" in jobs
    firms = " ".join(run("count", "topsector", "-m", "firms").stdout.split())
    assert "(2,480 to 2,500) to 3,105 firms, a change of +605 to +625." in firms  # a published range at the start
    series = " ".join(
        run("compare", "pwc2019", "topsector", "-m", "jobs", "--from", "2010", "--to", "2019").stdout.split()
    )
    assert "pwc2019 from 2010 to 2019: 16.6 to 13.88" in series


def _readme_blocks() -> list[str]:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```text\n(.*?)```", readme, flags=re.S)


def test_the_readmes_comparison_examples_are_what_lsh_prints_at_80_columns() -> None:
    """The README's English example is the whole output; its Dutch one is the first table and the sentences."""
    env = {"COLUMNS": "80", "NO_COLOR": "1"}
    blocks = _readme_blocks()
    english = invoke(["compare", "topsector", "pwc2017"], env=env).stdout
    assert english in blocks
    dutch = invoke(["compare", "topsector", "pwc2017", "--lang", "nl"], env=env).stdout
    shown = next(b for b in blocks if b.startswith("bedrijven, 2016"))
    table, sentences = shown.split("...\n")
    assert dutch.startswith(table) and sentences in dutch


# --- the command line built for one command -----------------------------------------------------------------


def _every_command() -> list[list[str]]:
    """Each command and group of lsh, and each command of a group, as the words that name it."""
    from typer.main import get_command_name

    named = [[c.name or get_command_name(getattr(c.callback, "__name__", ""))] for c in app.registered_commands]
    for group in app.registered_groups:
        assert group.name is not None and group.typer_instance is not None
        named.append([group.name])
        for c in group.typer_instance.registered_commands:
            named.append([group.name, c.name or get_command_name(getattr(c.callback, "__name__", ""))])
    return named


@pytest.mark.parametrize("words", _every_command(), ids=" ".join)
def test_the_command_line_built_for_one_command_answers_as_the_whole_one(words: list[str]) -> None:
    """`lsh compare ...` builds only compare's options (`cli.only`): its help, and its usage errors, are those of the
    whole command line, word for word."""
    from typer.testing import CliRunner

    from lshcli.cli import only

    assert only(words) is not app  # the slim one is what is run
    for args in ([*words, "--help"], [*words, "--no-such-option"]):
        slim = CliRunner().invoke(only(args), args, env={"COLUMNS": "100"})
        whole = CliRunner().invoke(app, args, env={"COLUMNS": "100"})
        assert (slim.exit_code, slim.stdout, slim.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


def test_words_that_name_no_command_get_the_whole_command_line() -> None:
    from lshcli.cli import only

    assert only([]) is app and only(["--help"]) is app and only(["compar"]) is app and only(["-D", "x"]) is app
