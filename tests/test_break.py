"""Across the SBI 2025 break: translated definitions, figures that never cross classifications, and the break explained.

The local CBS serves an 81589NED-shaped table (SBI 2008, 2025Q1-2026Q1) and an 86280NED-shaped one (SBI 2025,
2025Q4-2026Q2) whose firms come code by code from the first through the concordance. All figures are invented.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lshcli.definitions import DefinitionLibrary, search_dirs
from lshcli.errors import ClassificationError
from lshcli.model import Observation, Source
from lshcli.query import Figurebook
from lshcli.sbi import load
from lshcli.store import Store
from tests.cbs_server import CbsServer, FakeTable, firms_table, firms_table_2025, serve
from tests.conftest import invoke

BUNDLED = Path(__file__).parent.parent / "definitions"


@pytest.fixture(scope="module")
def break_tables() -> list[FakeTable]:
    old = firms_table(first_year=2025, last_year=2026, quarters=5)
    return [old, firms_table_2025(old)]


@pytest.fixture
def both(break_tables: list[FakeTable], monkeypatch: pytest.MonkeyPatch) -> Iterator[CbsServer]:
    """The local CBS with both tables, and the topsector fetched from each in its own classification."""
    with serve(break_tables) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        assert invoke(["fetch", "-d", "topsector"]).exit_code == 0
        assert invoke(["fetch", "-d", "topsector_sbi2025"]).exit_code == 0
        yield server


def test_translate_writes_a_definition_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    result = invoke(
        ["definitions", "translate", "topsector", "--to", "sbi2025", "--merged", "wider", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    checked = invoke(["definitions", "validate", str(target), "-f", "json"])
    assert checked.exit_code == 0, checked.stderr
    data = json.loads(checked.stdout)
    assert data["classification"] == "sbi2025" and data["translated_from"] == "topsector"
    assert [c["code"] for c in data["codes"]] == ["21.10.0", "21.20.0", "26.60.0", "32.50", "72.10.0"]
    notes = {c["code"]: c["note"] for c in data["codes"]}
    assert "the same content" in notes["21.10.0"]
    assert "also 72.11.1, 72.11.3, 72.19.1, 72.19.2 and 72.19.9, which topsector leaves out" in notes["72.10.0"]
    assert any("32.50 is split over 26.60.0, 32.50.1 and 32.50.2" in n for n in data["notes"])


def test_translate_never_widens_silently_and_can_leave_merged_codes_out() -> None:
    refused = invoke(["definitions", "translate", "topsector", "--to", "sbi2025"])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "72.10.0" in refused.stderr and "--merged wider or --merged leave-out" in refused.stderr
    narrow = invoke(["definitions", "translate", "topsector", "--to", "sbi2025", "--merged", "leave-out"])
    assert narrow.exit_code == 0
    assert "72.10.0" not in narrow.stdout.split("notes:")[0] and "code: 21.10.0" in narrow.stdout
    assert "72.11.2 and 72.19.3 of topsector cannot be kept in SBI 2025: left out" in " ".join(narrow.stderr.split())
    exact = invoke(["definitions", "translate", "pwc2019", "--to", "sbi2025"])  # nothing merged: no choice needed
    assert exact.exit_code == 0 and "holds the same firms as the original" in exact.stdout


@pytest.mark.parametrize("name", ["topsector", "pwc2017", "pwc2019"])
def test_the_bundled_translations_are_what_translate_writes(name: str) -> None:
    result = invoke(["definitions", "translate", name, "--to", "sbi2025", "--merged", "wider"])
    assert result.exit_code == 0, result.stderr
    shipped = (BUNDLED / f"{name}_sbi2025.yaml").read_text(encoding="utf-8")
    assert result.stdout == shipped, f"regenerate: lsh definitions translate {name} --to sbi2025 --merged wider -o ..."


def test_a_definition_is_valued_only_from_figures_of_its_own_classification(blank_store: Store) -> None:
    library = DefinitionLibrary(load("sbi2008"), search_dirs())
    old, new = library.get("pwc2019"), library.get("pwc2019_sbi2025")  # both are division 21
    source = Source(kind="snapshot", citation="invented for this test")
    blank_store.add(
        [
            Observation("firms", ("21",), "2026Q1", 100.0, 100.0, "firms", None, source, classification="sbi2025"),
            Observation("firms", ("21",), "2026Q1", 70.0, 70.0, "firms", None, source, classification="sbi2008"),
        ]
    )
    from lshcli.measures import MEASURES

    firms = MEASURES["firms"]
    book_2008, book_2025 = Figurebook(blank_store, load("sbi2008")), Figurebook(blank_store, load("sbi2025"))
    assert book_2008.value(old, firms, 2026).value.low == 70.0  # type: ignore[union-attr]
    assert book_2025.value(new, firms, 2026).value.low == 100.0  # type: ignore[union-attr]
    with pytest.raises(ClassificationError, match="pwc2019 is a definition of SBI 2008 codes"):
        book_2025.value(old, firms, 2026)
    with pytest.raises(ClassificationError, match="pwc2019_sbi2025 is a definition of SBI 2025 codes"):
        book_2008.value(new, firms, 2026)


def test_commands_other_than_compare_refuse_a_mix_of_classifications() -> None:
    result = invoke(["overlap", "topsector", "topsector_sbi2025"])
    assert result.exit_code == 2 and "not all in one classification" in result.stderr


@pytest.mark.slow  # a second or more; CI runs it
def test_a_fetch_reads_codes_in_its_tables_classification(both: CbsServer) -> None:
    wrong = invoke(["fetch", "-d", "topsector", "--table", "86280NED"])
    assert wrong.exit_code == 1 and "86280NED is in SBI 2025" in wrong.stderr
    stored = json.loads(invoke(["store", "-f", "json"]).stdout)
    tables = {(r["cbs_table"], r["classification"]) for r in stored["holdings"] if r["source"] == "cbs"}
    assert tables == {("81589NED", "sbi2008"), ("86280NED", "sbi2025")}


def test_compare_across_the_break_adds_up_and_names_the_merged_rnd(both: CbsServer) -> None:
    result = invoke(["compare", "topsector", "topsector_sbi2025", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    assert "comparing 2026" in result.stderr  # the one year both tables publish a first quarter of
    data = json.loads(result.stdout)
    assert data["across_the_break"] and data["a"]["classification"] == "sbi2008"
    total_a, total_b = data["total_a"]["value"], data["total_b"]["value"]
    assert {o["source"]["cbs_table"] for o in data["total_a"]["used"]} == {"81589NED"}
    assert {o["source"]["cbs_table"] for o in data["total_b"]["used"]} == {"86280NED"}
    assert data["difference"]["value"] == total_b - total_a
    assert sum(g["contribution"]["value"] for g in data["groups"]) == total_b - total_a
    rnd = next(g for g in data["groups"] if g["codes_b"] == ["72.10.0"])
    assert rnd["kind"] == "wider" and rnd["codes_a"] == ["72.11.2", "72.19.3"]
    assert "72.19.9" in rnd["outside_a"]
    same = next(g for g in data["groups"] if g["codes_a"] == ["21.10"])
    assert same["kind"] == "same" and same["contribution"]["value"] == 0  # the invented tables agree firm for firm
    explanation = " ".join(data["explanation"])
    assert "The largest effect: 72.10.0 (SBI 2025) also holds 72.11.1" in explanation


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_compare_across_the_break_in_every_format(both: CbsServer, fmt: str) -> None:
    result = invoke(["compare", "topsector", "topsector_sbi2025", "-f", fmt])
    assert result.exit_code == 0, result.stderr
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        links = [r for r in rows if r["record"] == "link"]
        assert {r["part"] for r in links} == {"same", "wider"}
        assert sum(float(r["value"]) for r in links) == float(
            next(r for r in rows if r["record"] == "difference")["value"]
        )
    else:
        flat = " ".join(result.stdout.split())
        assert "72.10.0" in flat and "SBI 2025" in flat and "The largest effect" in flat


def test_no_year_in_common_still_gives_the_link_account(
    break_tables: list[FakeTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve([break_tables[1]]) as server:  # SBI 2025 only: the SBI 2008 side has only the bundled 2016-2019
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        assert invoke(["fetch", "-d", "topsector_sbi2025"]).exit_code == 0
        result = invoke(["compare", "topsector", "topsector_sbi2025", "-f", "json"])
        told = " ".join(invoke(["compare", "topsector", "topsector_sbi2025"]).stdout.split())
    assert result.exit_code == 0, result.stderr
    assert "no year has firms for both" in result.stderr
    data = json.loads(result.stdout)
    assert data["difference"]["value"] is None  # never a zero for the side with nothing stored
    rnd = next(g for g in data["groups"] if g["codes_b"] == ["72.10.0"])
    assert rnd["kind"] == "wider" and rnd["codes_a"] == ["72.11.2", "72.19.3"] and "72.19.9" in rnd["outside_a"]
    assert "'lsh fetch --measure firms --definition topsector' fetches them from CBS" in told


def test_across_the_break_with_nothing_of_the_new_classification_shows_the_links() -> None:
    """A fresh install holds no SBI 2025 figure: the comparison is still the account of the links, exit 0."""
    result = invoke(["compare", "topsector", "topsector_sbi2025", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total_a"]["value"] is not None and data["total_b"]["value"] is None
    assert {g["kind"] for g in data["groups"]} == {"same", "wider"}
    assert all(g["contribution"]["value"] is None for g in data["groups"])
    told = " ".join(invoke(["compare", "topsector", "topsector_sbi2025"]).stdout.split())
    assert "'lsh fetch --measure firms --definition topsector_sbi2025' fetches them from CBS" in told
    dutch = " ".join(invoke(["compare", "topsector", "topsector_sbi2025", "--lang", "nl"]).stdout.split())
    assert "haalt ze op bij het CBS" in dutch


def test_the_readmes_python_block_runs_on_a_fresh_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every line of the README's 'Use from Python' block, as written, on the bundled data alone."""
    monkeypatch.chdir(tmp_path)  # where its files are written
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Use from Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    result = namespace["result"]
    assert result.total_a.value.low == 3105  # type: ignore[attr-defined]
    assert (tmp_path / "gap.xlsx").stat().st_size > 0


def test_a_series_across_the_break_shows_both_sides_and_links_them_on_request(both: CbsServer) -> None:
    result = invoke(["across", "topsector", "--link", "--from", "2025", "--to", "2026", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["overlap"] == [2026] and data["break_year"] == 2026
    by_year = {y["year"]: y for y in data["years"]}
    a_2026, b_2026 = by_year[2026]["value_a"]["value"], by_year[2026]["value_b"]["value"]
    assert data["ratio"] == {"year": 2026, "value_a": a_2026, "value_b": b_2026, "ratio": b_2026 / a_2026}
    assert by_year[2025]["value_b"]["value"] is None  # 2025's first quarter is SBI 2008 only
    ratio = by_year[2025]["linked_by_ratio"]
    assert ratio["estimated"] and ratio["value"] == pytest.approx(by_year[2025]["value_a"]["value"] * b_2026 / a_2026)
    assert by_year[2025]["linked"] is None  # the other codes 72.10.0 holds were never fetched: no interval
    assert "lsh fetch --sbi" in " ".join(invoke(["across", "topsector", "--link"]).stdout.split())
    assert invoke(["fetch", "--sbi", "72.1", "--sbi", "32.99"]).exit_code == 0
    data = json.loads(invoke(["across", "topsector", "--link", "--from", "2025", "--to", "2026", "-f", "json"]).stdout)
    by_year = {y["year"]: y for y in data["years"]}
    linked = by_year[2026]["linked"]
    assert linked["value_low"] <= b_2026 <= linked["value_high"]  # in the overlap it holds the served value of B
    assert by_year[2025]["linked"]["estimated"] and by_year[2025]["linked"]["value_low"] is not None
    assert by_year[2026]["break"] and not by_year[2025]["break"]
    assert "Linked series (an estimate, not published)" in " ".join(data["explanation"])
    again = invoke(["across", "topsector_sbi2025", "--from", "2025", "--to", "2026", "-f", "csv"])  # the other side
    rows = list(csv.DictReader(io.StringIO(again.stdout)))
    assert [(r["year"], r["break"], r["definition_a"]) for r in rows] == [
        ("2025", "false", "topsector"),
        ("2026", "true", "topsector"),
    ]


def test_a_lost_subclass_is_estimated_only_on_request_and_only_from_figures_that_exist(both: CbsServer) -> None:
    args = ["across", "topsector", "--estimate-lost", "--quarter", "2", "--from", "2025", "--to", "2026", "-f", "json"]
    data = json.loads(invoke(args).stdout)
    system = data["overlap_period"]
    assert system["period"] == "2026Q1"  # the one quarter both tables publish, though the series reads the second
    assert "72.11.1" in system["free_old"]  # the other research codes were never fetched: left free, and named
    told = " ".join(invoke(args[:-2]).stdout.split())
    assert "lsh fetch --sbi" in told and "72.11.1" in told
    year = next(y for y in data["years"] if y["year"] == 2026)
    assert year["value_a"]["value"] is None and year["value_b"]["value"] is not None  # 2026Q2: SBI 2025 only
    assert year["estimate_a"]["estimated"] and 0 < year["estimate_a"]["value_low"] <= year["estimate_a"]["value_high"]


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_the_estimate_across_the_break_holds_the_truth_and_is_a_point_for_one_to_one_links(
    monkeypatch: pytest.MonkeyPatch, write_definition: Callable[[str, str], Path]
) -> None:
    """Both tables from one invented allocation of firms (the SBI 2025 cells are the SBI 2008 ones shared out over
    the concordance), the SBI 2008 table served only up to 2026Q1: in that overlap quarter the interval holds the
    served truth of every code group (26.60+32.50 was 17.5% short with a single ratio); for 21.10, which goes one
    to one to 21.10.0, it is a point, and in 2026Q2 that point is the truth the served SBI 2008 table withholds."""
    from tests.cbs_server import _code_of

    full = firms_table(first_year=2025, last_year=2026, quarters=6)
    served = firms_table(first_year=2025, last_year=2026, quarters=5)
    titles = {r["Key"]: r["Title"] for r in full.dimensions["BedrijfstakkenBranchesSBI2008"]}

    def truth(codes: set[str], period: str) -> int:
        return sum(
            int(r["TotaalBedrijven_1"])
            for r in full.rows
            if r["Perioden"] == period and _code_of(titles[r["BedrijfstakkenBranchesSBI2008"]]) in codes
        )

    mine = write_definition("medtech", "title: medical technology\ncodes: ['26.60', '32.50']\n")
    write_definition("rawpharma", "title: basic pharmaceuticals\ncodes: ['21.10']\n")
    monkeypatch.setenv("LSH_DEFINITIONS", str(mine.parent))
    for name in ("medtech", "rawpharma"):
        target = mine.parent / f"{name}_sbi2025.yaml"
        made = invoke(["definitions", "translate", name, "--to", "sbi2025", "--merged", "wider", "-o", str(target)])
        assert made.exit_code == 0, made.stderr
    sbi = load("sbi2008")
    with serve([served, firms_table_2025(full)]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        for name in ("medtech", "medtech_sbi2025", "rawpharma", "rawpharma_sbi2025"):
            assert invoke(["fetch", "-d", name]).exit_code == 0
        assert invoke(["fetch", "--sbi", "32.99"]).exit_code == 0
        for name, codes in (("medtech", ["26.60", "32.50"]), ("rawpharma", ["21.10"])):
            leaves = set(sbi.leaves_of(codes))
            result = invoke(["across", name, "--estimate-lost", "--from", "2026", "--to", "2026", "-f", "json"])
            assert result.exit_code == 0, result.stderr
            year = json.loads(result.stdout)["years"][0]
            expected = truth(leaves, "2026KW01")
            assert year["value_a"]["value"] == expected  # the served truth, summed here from the rows
            estimate = year["estimate_a"]
            assert estimate["value_low"] - 1e-6 <= expected <= estimate["value_high"] + 1e-6, (name, estimate)
        later = invoke(["across", "rawpharma", "--estimate-lost", "--quarter", "2", "--from", "2026", "--to", "2026"])
        data = json.loads(
            invoke(
                [
                    "across",
                    "rawpharma",
                    "--estimate-lost",
                    "--quarter",
                    "2",
                    "--from",
                    "2026",
                    "--to",
                    "2026",
                    "-f",
                    "json",
                ]
            ).stdout
        )
    assert later.exit_code == 0
    estimate = data["years"][0]["estimate_a"]
    assert data["years"][0]["value_a"]["value"] is None  # the served SBI 2008 table stops at 2026Q1
    assert estimate["value_low"] == estimate["value_high"] == pytest.approx(truth({"21.10"}, "2026KW02"))


def test_a_definition_without_a_counterpart_is_told_how_to_make_one(write_definition, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("mine", "title: mine\ncodes: ['21.10']\n")
    monkeypatch.setenv("LSH_DEFINITIONS", str(path.parent))
    result = invoke(["across", "mine"])
    assert result.exit_code == 2 and "lsh definitions translate mine --to sbi2025" in result.stderr


@pytest.mark.slow
def test_a_chart_of_both_classifications_marks_the_break(both: CbsServer, tmp_path: Path) -> None:
    target = tmp_path / "series.svg"
    result = invoke(
        ["plot", "series", "topsector", "topsector_sbi2025", "--from", "2025", "--to", "2026", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert "SBI 2025 from here" in target.read_text(encoding="utf-8")


def test_the_facade_compares_across_the_break_as_the_command_line_does(both: CbsServer) -> None:
    import os

    import lshcli
    from lshcli.crossing import GroupKind

    book = lshcli.open(os.environ["LSH_STORE"])
    result = book.compare("topsector", "topsector_sbi2025")
    assert result.year == 2026 and any(g.kind is GroupKind.WIDER for g in result.groups)  # type: ignore[union-attr]
    cli = json.loads(invoke(["compare", "topsector", "topsector_sbi2025", "-f", "json"]).stdout)
    assert json.loads(json.dumps(result.to_dict())) == cli
    series = book.across("topsector_sbi2025", "topsector", link=True, years=[2025, 2026]).to_dict()
    told = json.loads(invoke(["across", "topsector", "--link", "--from", "2025", "--to", "2026", "-f", "json"]).stdout)
    hint = re.compile(r" \('lsh [^']*' [a-z ]+\)")  # the command line adds the commands that would help
    told["explanation"] = [hint.sub("", sentence) for sentence in told["explanation"]]
    assert series == told


BREAK_RUNS = [
    ["compare", "topsector", "topsector_sbi2025"],
    ["compare", "topsector", "topsector_sbi2025", "-f", "markdown"],
    ["across", "topsector", "--link", "--from", "2025", "--to", "2026"],
    ["across", "topsector", "--estimate-lost", "--quarter", "2", "--from", "2025", "--to", "2026"],
]


@pytest.mark.slow
def test_the_break_told_in_both_languages(both: CbsServer) -> None:
    """Across the break too, Dutch output holds no English sentence and English none in Dutch (before the
    source list, which quotes CBS's own titles); the estimate of a lost subclass once it can be made."""
    from tests.test_dutch import DUTCH, ENGLISH

    def check(args: list[str]) -> None:
        dutch = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200"})
        english = invoke(args, env={"COLUMNS": "200"})
        assert dutch.exit_code == 0 and english.exit_code == 0, dutch.output + english.output
        commands = re.compile(r"'lsh [^']*'")  # a command to type is the same in both languages
        nl = commands.sub("", dutch.stdout.split("Bronnen:")[0])
        en = commands.sub("", english.stdout.split("Sources:")[0])
        assert not ENGLISH.findall(nl), (args, ENGLISH.findall(nl))
        assert not ENGLISH.findall(dutch.stderr), dutch.stderr
        assert not DUTCH.findall(en), (args, DUTCH.findall(en))
        assert DUTCH.findall(nl)

    for args in BREAK_RUNS:
        check(args)
    assert invoke(["fetch", "--sbi", "72.1", "--sbi", "32.99"]).exit_code == 0
    check(BREAK_RUNS[-1])
    told = invoke([*BREAK_RUNS[0], "--lang", "nl"], env={"COLUMNS": "200"}).stdout
    assert "Het grootste effect: 72.10.0 (SBI 2025) bevat ook 72.11.1" in " ".join(told.split())
    assert "1.197 meer, 86,4%" in " ".join(told.split())


def served_firms(table: FakeTable, dimension: str, codes: set[str], period: str) -> int:
    """The firms a served table holds for a set of finest codes in a period, summed from its rows (not by lsh)."""
    from tests.cbs_server import _code_of

    titles = {r["Key"]: r["Title"] for r in table.dimensions[dimension]}
    return sum(
        int(row["TotaalBedrijven_1"])
        for row in table.rows
        if row["Perioden"] == period and _code_of(titles[row[dimension]]) in codes
    )


SEED = ["topsector", "pwc2017", "pwc2019"]


@pytest.mark.slow  # six fetches; CI runs it
def test_parts_across_the_break_add_up_to_the_gap_for_every_pair(
    break_tables: list[FakeTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every bundled definition against every translation (its own and the others'): each side's total is what the
    served cells sum to, every link group has a value, and the groups add up to the gap exactly."""
    library = DefinitionLibrary(load("sbi2008"), search_dirs())
    old_sbi, new_sbi = load("sbi2008"), load("sbi2025")
    with serve(break_tables) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        for name in [*SEED, *(f"{n}_sbi2025" for n in SEED)]:
            assert invoke(["fetch", "-d", name]).exit_code == 0
        for a in SEED:
            for b in (f"{n}_sbi2025" for n in SEED):
                for first, second in ((a, b), (b, a)):
                    result = invoke(["compare", first, second, "--year", "2026", "-f", "json"])
                    assert result.exit_code == 0, result.stderr
                    data = json.loads(result.stdout)
                    truth = {}
                    for side, name in (("total_a", first), ("total_b", second)):
                        new = name.endswith("_sbi2025")
                        sbi = new_sbi if new else old_sbi
                        leaves = set(library.get(name).leaves(sbi))
                        table, dim = (
                            (break_tables[1], "BedrijfstakkenBranchesSBI2025")
                            if new
                            else (break_tables[0], "BedrijfstakkenBranchesSBI2008")
                        )
                        truth[side] = served_firms(table, dim, leaves, "2026KW01")
                        assert data[side]["value"] == truth[side], (first, second, side)
                    gap = truth["total_b"] - truth["total_a"]
                    assert data["difference"]["value"] == gap
                    values = [g["contribution"]["value"] for g in data["groups"]]
                    assert None not in values, (first, second, data["groups"])
                    assert sum(values) == gap, (first, second)
                    table_text = invoke(["compare", first, second, "--year", "2026"]).stdout
                    assert "only_a" not in table_text and "only_b" not in table_text


def test_a_published_range_is_linked_as_a_range(both: CbsServer) -> None:
    """2010's topsector is 180 to 200 + 1,825 + 475 firms (the bundled Monitor figures): linked, it stays a range."""
    from tests.test_numbers import rows

    snapshot = rows("snapshot.csv")
    parts = [snapshot[ref] for ref in ("F011", "F013", "F015")]
    low = sum(float(r["value_low"]) for r in parts)
    high = sum(float(r["value_high"]) for r in parts)
    data = json.loads(invoke(["across", "topsector", "--link", "--from", "2010", "--to", "2026", "-f", "json"]).stdout)
    ratio = data["ratio"]["ratio"]
    year = next(y for y in data["years"] if y["year"] == 2010)
    assert (year["value_a"]["value_low"], year["value_a"]["value_high"]) == (low, high)
    linked = year["linked_by_ratio"]
    assert linked["value_low"] == pytest.approx(low * ratio) and linked["value_high"] == pytest.approx(high * ratio)
