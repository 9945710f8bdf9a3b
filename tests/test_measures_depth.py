"""Measures at different depths: estimates, size classes, time series and reconciliation.

Every figure written into a store here is invented test data (see conftest.obs), except where a test
reads the bundled snapshot and reference figures, whose values come from their cited sources.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from lshcli.cbs.tables import TableRegistry
from lshcli.definitions import DefinitionLibrary, search_dirs
from lshcli.measures import MEASURES, get_measure, size_measures
from lshcli.model import Reading
from lshcli.output.words import Words
from lshcli.query import Figurebook
from lshcli.sbi import load
from lshcli.store import Store
from tests.cbs_server import CbsServer, business_table, serve
from tests.conftest import invoke, obs
from tests.test_numbers import DATA

# Firms by size class (persons employed 1, 2, 3-4, 5-9, 10-19, 20-49, 50-99, 100+), invented.
FIRMS_2660 = [10, 4, 2, 1, 0, 1, 0, 1]
FIRMS_26 = [100, 40, 20, 10, 5, 5, 2, 3]
WEIGHTS = [1, 2, 3.5, 7, 14.5, 34.5, 74.5, 200]  # class midpoints; 200 assumed for 100 or more


def run(*args: str):  # type: ignore[no-untyped-def]
    return invoke(list(args))


def jobs(sbi: str, year: int, value: float | None, status: str | None = None):  # type: ignore[no-untyped-def]
    return replace(obs("employee_jobs", sbi, str(year), value, status=status, ref=f"J{sbi}{year}"), unit="x 1 000 jobs")


def sized(sbi: str, year: int, counts: list[int]) -> list:  # type: ignore[type-arg]
    return [
        obs(m.name, sbi, f"{year}Q1", float(n), ref=f"S{sbi}/{m.name}")
        for m, n in zip(size_measures(), counts, strict=True)
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """The test's store file, with invented jobs for 26 and firms by size class for 26.60 and 26 in 2021."""
    store = Store(tmp_path / "store" / "store.sqlite3")
    store.add([jobs("26", 2021, 30.0, "provisional"), *sized("26.60", 2021, FIRMS_2660), *sized("26", 2021, FIRMS_26)])
    return store


@pytest.fixture
def medtech(write_definition, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    path = write_definition("medtech", "title: Electromedical only\ncodes:\n  - code: '26.60'\n")
    monkeypatch.setenv("LSH_DEFINITIONS", str(path.parent))
    return "medtech"


def test_a_definition_finer_than_the_jobs_data_is_not_available_without_estimate(store: Store, medtech: str) -> None:
    library = DefinitionLibrary(load(), search_dirs())
    ((_, coverage),) = Figurebook(store, load()).values_by_year(library.get(medtech), MEASURES["employee_jobs"], [2021])
    assert coverage.value is None
    (missing,) = coverage.missing
    assert missing.coarser and missing.wider[0].sbi_label == "26"
    assert "not available at this depth, only published within 26" in Words().missing(missing, "x 1 000 jobs")


def test_the_estimate_is_the_wider_figure_times_the_size_weighted_share(store: Store, medtech: str) -> None:
    library = DefinitionLibrary(load(), search_dirs())
    book = Figurebook(store, load(), Reading(estimate=True))
    ((_, coverage),) = book.values_by_year(library.get(medtech), MEASURES["employee_jobs"], [2021])
    key_2660 = sum(n * w for n, w in zip(FIRMS_2660, WEIGHTS, strict=True))  # 266.5
    key_26 = sum(n * w for n, w in zip(FIRMS_26, WEIGHTS, strict=True))  # 1,314
    assert (key_2660, key_26) == (266.5, 1314.0)
    assert coverage.available and coverage.estimated
    assert coverage.value is not None and coverage.value.low == pytest.approx(30.0 * 266.5 / 1314.0)  # 6.084 thousand
    (estimate,) = coverage.estimates
    assert estimate.parent.sbi_label == "26" and estimate.share == pytest.approx(266.5 / 1314.0)
    assert len(estimate.inputs) == 16  # eight classes for 26.60 and eight for 26
    assert coverage.used == ()  # nothing published is mixed in silently
    assert coverage.bound is not None and coverage.bound.low == 0 and coverage.bound.high == pytest.approx(30.0)
    assert not coverage.outside_bounds  # the estimate is a point inside the bounds of 0 to all of 26


def test_an_estimate_in_a_count_of_every_measure_carries_its_own_unit(store: Store, medtech: str) -> None:
    result = run("count", medtech, "--year", "2021", "--estimate")
    assert result.exit_code == 0, result.stderr
    assert "estimated at 6.08 x 1 000 jobs" in result.stdout
    assert "6.08 firms" not in result.stdout


def test_estimates_are_marked_in_every_format(store: Store, medtech: str) -> None:
    args = ["count", medtech, "-m", "jobs", "--year", "2021", "--estimate"]
    table = run(*args)
    assert table.exit_code == 0, table.stderr
    assert "6.08 * p" in table.stdout
    assert "Marks: * estimated from a wider published figure" in table.stdout
    assert "Estimates (not published figures):" in table.stdout and "20.3% of 26 (30)" in table.stdout
    data = json.loads(run(*args, "-f", "json").stdout)[0]
    assert data["estimated"] is True and data["estimates"][0]["parent"]["ref"] == "J262021"
    assert data["estimates"][0]["key_codes"] == 266.5 and "midpoints" in data["estimates"][0]["method"]
    (row,) = list(csv.DictReader(io.StringIO(run(*args, "-f", "csv").stdout)))
    assert row["estimated"] == "true" and row["coverage"] == "estimated" and "mark" not in row
    markdown = run(*args, "-f", "markdown").stdout
    assert "6.08 * p" in markdown and "Estimates (not published figures)" in markdown
    plain = json.loads(run("count", medtech, "-m", "jobs", "--year", "2021", "-f", "json").stdout)[0]
    assert plain["value"] is None and plain["estimated"] is False


def test_no_estimate_without_the_key_and_the_sentence_says_why(tmp_path: Path, medtech: str) -> None:
    store = Store(tmp_path / "store" / "store.sqlite3")
    store.add([jobs("26", 2021, 30.0), *sized("26", 2021, FIRMS_26)])  # no size classes for 26.60
    data = json.loads(run("count", medtech, "-m", "jobs", "--year", "2021", "--estimate", "-f", "json").stdout)[0]
    assert data["value"] is None
    assert (
        "no estimate: firms by size class (firms with 1 person employed) are not stored for 26.60"
        in (data["missing"][0]["explanation"])
    )


def test_compare_explains_an_estimated_total(store: Store, medtech: str, write_definition) -> None:  # type: ignore[no-untyped-def]
    write_definition("electronics", "title: All of 26\ncodes:\n  - code: '26'\n")
    result = run("compare", "electronics", medtech, "-m", "jobs", "--year", "2021", "--estimate", "-f", "json")
    (data,) = json.loads(result.stdout)
    assert data["total_a"]["value"] == 30.0 and data["total_a"]["estimated"] is False
    assert data["total_b"]["estimated"] is True
    assert any(s.startswith("Estimated, not published: 26.60: estimated at 6.08") for s in data["explanation"])
    without = json.loads(run("compare", "electronics", medtech, "-m", "jobs", "--year", "2021", "-f", "json").stdout)
    assert any("--estimate fills them" in s for s in without[0]["explanation"])


# --- size classes --------------------------------------------------------------------------------


def test_size_classes_add_up_to_the_total(cbs: CbsServer) -> None:
    assert run("fetch", "--definition", "topsector", "--year", "2019").exit_code == 0
    result = run("sizes", "topsector", "--year", "2019", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["class_sum"]["value"] == data["total"]["value"] is not None
    groups = {g["label"]: g for g in data["groups"]}
    classes = [c["value"] for c in data["classes"]]
    assert groups["one-person firms"]["value"] == classes[0]
    assert groups["under 50 persons"]["value"] == sum(classes[:6])
    # the class of 100 or more straddles 250: the groups come from the published 'under 250' topic
    assert groups["under 250 persons"]["how"].startswith("published figure (CBS 81589NED")
    assert groups["250 or more persons"]["value"] == data["total"]["value"] - groups["under 250 persons"]["value"]
    assert groups["250 or more persons"]["how"].startswith("all firms minus firms with fewer than 250")
    table = run("sizes", "topsector", "--year", "2019").stdout
    assert "size classes add up to the total" in table
    dutch = run("sizes", "topsector", "--year", "2019", "--lang", "nl").stdout
    assert "De 8 grootteklassen tellen op tot het totaal: 1.385 bedrijven." in dutch
    told = json.loads(run("sizes", "topsector", "--year", "2019", "-f", "json", "--lang", "nl").stdout)
    assert {g["label"]: g for g in told["groups"]}["under 250 persons"]["how"].startswith("gepubliceerd cijfer (CBS")


def test_size_groups_use_a_published_figure_where_the_classes_cannot(tmp_path: Path) -> None:
    data = json.loads(run("sizes", "topsector", "--year", "2016", "-f", "json").stdout)
    groups = {g["label"]: g for g in data["groups"]}
    assert groups["250 or more persons"]["value"] == 25  # snapshot F019, CBS Monitor Topsectoren
    assert "F019" in groups["250 or more persons"]["how"]
    assert groups["one-person firms"]["value"] is None


# --- time series ---------------------------------------------------------------------------------


def test_the_jobs_series_on_the_bundled_data_says_what_cannot_be_computed() -> None:
    result = run("compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2010", "--to", "2019")
    assert result.exit_code == 0, result.stderr
    series = [line for line in result.stdout.splitlines() if line.startswith("│ 20")]
    assert [line.split("│")[2].strip() for line in series[:10]] == [
        "16.6",
        "13",
        "12.8",
        "12.2",
        "12.4",
        "12.7",
        "12.9",
        "13",
        "13.26 p",
        "13.88 p",
    ]
    text = " ".join(result.stdout.split())
    assert "topsector cannot be totalled in any year of 2010-2019" in text
    assert "26.60 (only in topsector) is not available at this depth, only published within 26" in text
    assert "Figures for 2018 and 2019 are provisional" in text


def test_a_wide_series_has_years_as_columns() -> None:
    result = run("count", "pwc2019", "-m", "jobs", "--from", "2017", "--to", "2019", "--wide", "-f", "csv")
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row == {
        "measure": "employee_jobs",
        "unit": "x 1 000 jobs",
        "2017": "13",
        "2018": "13.26 p",
        "2019": "13.88 p",
    }


def test_provisional_years_are_marked_in_data_too() -> None:
    data = json.loads(run("count", "pwc2019", "-m", "jobs", "--from", "2017", "--to", "2019", "-f", "json").stdout)
    assert [(d["year"], d["status"]) for d in data] == [
        (2017, "definitive"),
        (2018, "revised provisional"),
        (2019, "provisional"),
    ]


def test_quarter_picks_another_quarter_of_quarterly_counts(cbs: CbsServer, fake_tables) -> None:  # type: ignore[no-untyped-def]
    assert run("fetch", "--sbi", "21.10", "--year", "2018").exit_code == 0
    first = json.loads(run("count", "pwc2019", "-m", "firms", "--year", "2018", "-f", "json").stdout)[0]
    third = json.loads(run("count", "pwc2019", "-m", "firms", "--year", "2018", "-q", "3", "-f", "json").stdout)[0]
    assert first["periods"] != third["periods"]
    assert third["unit"] == "firms"
    refused = run("count", "pwc2019", "-m", "jobs", "--year", "2018", "--quarter", "3")
    assert refused.exit_code == 2 and "--quarter is for quarterly measures" in refused.stderr


# --- more tables ---------------------------------------------------------------------------------


def test_every_bundled_table_spec_loads_and_names_its_measures() -> None:
    specs = {s.id: s for s in TableRegistry().all()}
    assert set(specs) == {
        "81156ned",
        "81588NED",
        "81589NED",
        "83583NED",
        "84088NED",
        "85867NED",
        "86280NED",
        "86281NED",
    }
    assert {s.id for s in specs.values() if s.classification == "sbi2025"} == {"86280NED", "86281NED"}
    assert TableRegistry().for_measure("output").id == "85867NED"  # the newest table that gives it
    assert TableRegistry().for_measure("persons").id == "81156ned"
    assert specs["83583NED"].measures["employee_jobs"].unit == "x 1 000"


def test_measure_names_and_aliases() -> None:
    assert get_measure("jobs").name == "employee_jobs"
    assert get_measure("persons").name == "persons_employed"
    assert get_measure("GVA").name == "value_added"
    assert get_measure("firms-size-100-plus").persons == (100, None)
    with pytest.raises(Exception, match="unknown measure 'sales'"):
        get_measure("sales")


def test_persons_employed_and_turnover_come_from_their_own_table(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve([business_table()]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        result = run("fetch", "--measure", "persons", "--definition", "pwc2017", "--year", "2018")
    assert result.exit_code == 0, result.stderr
    assert "persons_employed, turnover" in result.stderr
    data = json.loads(run("count", "pwc2019", "-m", "turnover", "--year", "2018", "-f", "json").stdout)[0]
    assert data["value"] is not None and data["unit"] == "mln euro"
    assert {o["source"]["cbs_table"] for o in data["used"]} == {"81156ned"}
    # 72.11.2 is a subclass; the table stops at classes, so pwc2017 turnover is not available at this depth
    pwc = json.loads(run("count", "pwc2017", "-m", "turnover", "--year", "2018", "-f", "json").stdout)[0]
    assert pwc["value"] is None and pwc["missing"][0]["within"] == ["72.11"]


def test_a_topic_in_another_unit_than_the_spec_expects_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve([business_table(unit="aantal")]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        result = run("fetch", "--measure", "persons", "--sbi", "21")
    assert result.exit_code == 1
    assert "topic WerkzamePersonen_1 of table 81156ned is in 'aantal', but" in result.stderr
    assert "expects 'x 1 000' for persons_employed" in result.stderr


# --- reconcile -----------------------------------------------------------------------------------


def test_reconcile_lists_every_reference_figure_with_a_value_or_a_reason() -> None:
    result = run("reconcile", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = {d["ref"]: d for d in json.loads(result.stdout)}
    bundled = list(csv.DictReader(io.StringIO((DATA / "reference.csv").read_text(encoding="utf-8"))))
    assert len(data) == len(bundled)
    assert all(d["computed"] is not None or d["reasons"] for d in data.values())
    assert all(d["used"] for d in data.values() if d["computed"] is not None)  # every computed value names figures
    assert data["F017"]["computed"] == 3105 and data["F017"]["difference"] == -30
    assert data["F070"]["computed"] == 12900
    assert data["F070"]["reasons"][1].startswith("other statistic")  # after the rounding it agrees within
    assert data["F003"]["reason"] == "agrees"  # 200 pharmaceutical firms = 30 + 170
    assert data["F004"]["reason"] == "agrees"  # 46.46 in 2015 = 600 + 1,465
    assert data["F012"]["reason"] == "within-range"
    assert data["F077"]["computed"] == pytest.approx(-3700)
    assert data["F076"]["reasons"][0].startswith("not SBI-based")
    assert data["F072"]["reasons"][0].startswith("not available at this depth")


def test_reconcile_reads_a_users_own_figures(tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "id,measure,sbi,period,value_low,value_high,unit,basis,cbs_table,status,source,seen,note\n"
        "U1,firms,21.10+21.20,2016Q1,210,210,firms,invented test figure,,,a test,,\n"
    )
    data = json.loads(run("reconcile", "--no-bundled", "--file", str(mine), "-f", "json").stdout)
    assert [(d["ref"], d["computed"], d["difference"]) for d in data] == [("U1", 200, 10)]
    broken = tmp_path / "broken.csv"
    broken.write_text("id,measure,value_low\nU2,firms,lots\n")
    result = run("reconcile", "--file", str(broken))
    assert result.exit_code == 1 and "value_low and value_high must be numbers" in result.stderr


def test_estimates_from_fetched_firms_and_jobs(cbs: CbsServer) -> None:
    codes = ["--sbi", "26", "--sbi", "32", "--sbi", "72"]  # the wider codes, for their size classes
    assert run("fetch", "-d", "topsector", *codes, "--year", "2019").exit_code == 0
    assert run("fetch", "-m", "jobs", "-d", "topsector", "-d", "pwc2019", "--year", "2019").exit_code == 0
    (data,) = json.loads(
        run("compare", "pwc2019", "topsector", "-m", "jobs", "--year", "2019", "--estimate", "-f", "json").stdout
    )
    b = data["total_b"]
    assert b["available"] and b["estimated"]
    assert {tuple(e["codes"]) for e in b["estimates"]} == {("26.60",), ("32.50",), ("72.11.2", "72.19.3")}
    assert all(0 < e["share"] < 1 for e in b["estimates"])
    jobs_21 = data["total_a"]["value"]
    assert b["value"] == pytest.approx(jobs_21 + sum(e["value"] for e in b["estimates"]))


def test_no_estimate_when_the_parts_outweigh_the_whole(tmp_path: Path, medtech: str) -> None:
    store = Store(tmp_path / "store" / "store.sqlite3")
    store.add([jobs("26", 2021, 30.0), *sized("26.60", 2021, FIRMS_26), *sized("26", 2021, FIRMS_2660)])  # swapped
    data = json.loads(run("count", medtech, "-m", "jobs", "--year", "2021", "--estimate", "-f", "json").stdout)[0]
    assert data["value"] is None
    assert "outweigh those of 26 in 2021 (the counts disagree)" in data["missing"][0]["explanation"]


def test_a_definitions_share_of_the_whole_economy_comes_from_cbss_total_of_the_same_period() -> None:
    """The bundled snapshot holds CBS's total A-U for 2026Q3 (81588NED): count gives the share beside the value,
    as a sentence and as fields, and never from another period's total."""
    args = ["count", "pwc2019", "-m", "firms", "--quarter", "3"]
    rows = json.loads(invoke([*args, "-f", "json"]).stdout)
    row = next(r for r in rows if r["year"] == 2026)
    assert row["value"] == 260 and row["economy"] == 2433985 and row["economy_source"] == "snapshot F080"
    assert row["share_of_economy_low"] == row["share_of_economy_high"] == pytest.approx(100 * 260 / 2433985)
    told = " ".join(invoke(args, env={"COLUMNS": "200"}).stdout.split())
    assert "In 2026, pwc2019 (firms) is 0.011% of the whole economy (CBS's total A-U: 2,433,985 firms" in told
    assert "F080" in told.split("Sources:")[1]  # the economy's figure is a source like any other
    dutch = " ".join(invoke([*args, "--lang", "nl"], env={"COLUMNS": "200"}).stdout.split())
    assert "0,011% van de hele economie (CBS-totaal A-U: 2.433.985 bedrijven" in dutch
    first_quarter = json.loads(invoke(["count", "pwc2019", "-m", "firms", "-f", "json"]).stdout)
    assert all(r["economy"] is None and r["share_of_economy_low"] is None for r in first_quarter)
    csv_text = invoke([*args, "-f", "csv"]).stdout
    assert ",2433985,0.011,0.011,snapshot F080" in csv_text


def test_a_comparison_says_each_sides_share_of_the_economy_where_it_is_known() -> None:
    told = " ".join(invoke(["compare", "pwc2019", "topsector", "--quarter", "3", "--year", "2026"]).stdout.split())
    assert "In 2026, pwc2019 is 0.011% of the whole economy" in told
    assert "topsector is" not in told  # topsector has no value in 2026Q3, so no share is made up for it
    assert "snapshot F080" in told.split("Sources:")[1]
    first_quarter = " ".join(invoke(["compare", "topsector", "pwc2017", "--year", "2016"]).stdout.split())
    assert "whole economy" not in first_quarter
