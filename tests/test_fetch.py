"""`lsh fetch` with the real cbsodata client against the local CBS server (invented figures, tests/cbs_server.py)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from lshcli.cbs.client import CbsClient
from lshcli.cbs.fetch import Fetcher, plan_codes
from lshcli.cbs.odata import ODataV3, codes_in_title, parse_cell
from lshcli.cbs.odata import cbs_period as store_period
from lshcli.cbs.tables import TableRegistry
from lshcli.errors import FetchError, StoreError
from lshcli.sbi import load as classification
from lshcli.store import Store
from tests.cbs_server import CbsServer, FakeTable, Fault, compile_filter, firms_table, serve
from tests.conftest import invoke

TOPSECTOR = ["21.10", "21.20", "26.60", "32.50", "72.11.2", "72.19.3"]
PWC2017 = ["21.10", "21.20", "72.11.2", "46.46"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return invoke(list(args))


def bundled_spec(table: str) -> str:
    """The text of a table spec that ships with lsh."""
    return (Path(__file__).parent.parent / "src/lshcli/data/tables" / f"{table}.yaml").read_text()


@pytest.fixture
def user_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Write a table spec into a folder of the user's own ($LSH_TABLES), which wins over the bundled one."""
    folder = tmp_path / "tables"
    folder.mkdir()
    monkeypatch.setenv("LSH_TABLES", str(folder))

    def write(table: str, text: str) -> None:
        (folder / f"{table}.yaml").write_text(text)

    return write


def fixture_value(table: FakeTable, code: str, period: str, topic: str = "TotaalBedrijven_1") -> float | None:
    """The invented figure the server holds for an SBI code (dotted) and CBS period."""
    digits = code.replace(".", "")
    keys = [r["Key"] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"] if r["Title"].split(" ")[0] == digits]
    (row,) = [r for r in table.rows if r["BedrijfstakkenBranchesSBI2008"] == keys[0] and r["Perioden"] == period]
    value = row[topic]
    return None if value is None else float(value)


def store_path() -> Path:
    return Path(os.environ["LSH_STORE"])


def cbs_rows(measure: str | None = "firms") -> list[tuple[object, ...]]:
    """Fetched rows in the store (of one measure, or of all with None)."""
    conn = sqlite3.connect(store_path())
    try:
        rows = conn.execute(
            "SELECT o.measure, o.sbi, o.period, o.value_low, o.status, s.table_modified FROM figures o"
            " JOIN sources s ON s.id = o.source_id WHERE s.kind = 'cbs' ORDER BY o.measure, o.sbi, o.period"
        ).fetchall()
        return [r for r in rows if measure is None or r[0] == measure]
    finally:
        conn.close()


def sources_without_figures() -> int:
    """Fetched sources in the store that no figure cites (a replaced figure's source goes with its last figure)."""
    conn = sqlite3.connect(store_path())
    try:
        query = "SELECT COUNT(*) FROM sources s WHERE NOT EXISTS (SELECT 1 FROM figures o WHERE o.source_id = s.id)"
        return int(conn.execute(query).fetchone()[0])
    finally:
        conn.close()


# --- reading CBS's notation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "codes"),
    [
        ("2110 Vervaardiging van farmaceutische grondstoffen", ("21.10",)),
        ("72112 Biotechnologisch speur- en ontwikkelingswerk", ("72.11.2",)),
        ("21 Farmaceutische industrie", ("21",)),
        ("211 Farmaceutische grondstoffen", ("21.1",)),
        ("C Industrie", ("C",)),
        ("10-12 Voedings-, genotmiddelenindustrie", ("10", "11", "12")),
        ("16+23 Hout- en bouwmaterialenindustrie", ("16", "23")),
        ("A-U Alle economische activiteiten", None),
        ("9999 Niet bestaand", None),
        ("Totaal", None),
    ],
)
def test_codes_in_dimension_titles(title: str, codes: tuple[str, ...] | None) -> None:
    assert codes_in_title(title, classification()) == codes


@pytest.mark.parametrize(
    ("key", "period"),
    [("2016KW01", "2016Q1"), ("2019KW04", "2019Q4"), ("2016JJ00", "2016"), ("2016MM03", "2016M03"), ("2016KW05", None)],
)
def test_period_keys(key: str, period: str | None) -> None:
    assert store_period(key) == period


@pytest.mark.parametrize(
    ("raw", "value", "symbol"),
    [
        ("     30", 30.0, None),
        ("    24.5", 24.5, None),
        (12, 12.0, None),
        ("       .", None, "no figure"),
        ("       x", None, "secret"),
        (None, None, "empty"),
    ],
)
def test_cells_never_turn_missing_into_zero(raw: object, value: float | None, symbol: str | None) -> None:
    got, why = parse_cell(raw)
    assert got == value
    assert (why is None) if symbol is None else (symbol in (why or ""))


def test_codes_resolve_to_themselves_their_parts_or_their_parent() -> None:
    sbi = classification()
    index: dict[tuple[str, ...], str] = {("21",): "k21 ", ("46.46.1",): "k1 ", ("46.46.2",): "k2 ", ("C",): "kC "}
    plan = plan_codes(["21", "46.46", "26.60", "72.11.2"], index, sbi)
    assert plan.wanted["21"] == ["21"]
    assert plan.wanted["46.46"] == ["46.46.1", "46.46.2"]  # all its parts are carried
    assert plan.stand_ins == {"26.60": "C"}  # the nearest code above it that the table carries
    assert plan.not_carried == ["72.11.2"]


def test_the_test_server_evaluates_filters_as_cbs_does() -> None:
    rows = [{"A": "323200 ", "P": "2016KW01"}, {"A": "T001081", "P": "2016JJ00"}, {"A": "323200 ", "P": "2017KW01"}]
    keep = compile_filter("((A eq '323200 ')) and ((P eq '2016KW01') or (P eq '2016JJ00'))", {"A", "P"})
    assert [r for r in rows if keep(r)] == rows[:1]
    keep = compile_filter("substringof('KW', P) and not (A eq 'T001081')", {"A", "P"})
    assert [r for r in rows if keep(r)] == [rows[0], rows[2]]
    with pytest.raises(ValueError, match="no property"):
        compile_filter("Q eq '1'", {"A", "P"})


# --- fetching ------------------------------------------------------------------------------------


def test_fetch_then_compare_gives_complete_totals_from_the_fetched_rows(cbs: CbsServer, fake_tables) -> None:  # type: ignore[no-untyped-def]
    firms = fake_tables[0]
    result = run("fetch", "--definition", "topsector", "--from", "2015", "--to", "2019")
    assert result.exit_code == 0, result.stderr
    assert "stored 1320 rows of 81589NED" in result.stderr  # firms, 8 size classes, 2 groups; 6 codes, 20 quarters
    result = run("compare", "topsector", "pwc2017", "--year", "2019", "-f", "json")
    assert result.exit_code == 0, result.stderr
    (data,) = json.loads(result.stdout)
    a = data["total_a"]
    assert a["available"] is True
    assert a["value"] == sum(fixture_value(firms, c, "2019KW01") or 0 for c in TOPSECTOR)
    assert {o["source"]["kind"] for o in a["used"]} == {"cbs"}
    assert {o["source"]["cbs_table"] for o in a["used"]} == {"81589NED"}
    assert data["total_b"]["available"] is True  # 46.46 from the snapshot, the rest from CBS, and said so
    assert any(s.startswith("pwc2017's total mixes figures fetched from CBS") for s in data["explanation"])
    table = run("compare", "topsector", "pwc2017", "--year", "2019")
    assert "CBS 81589NED (2020-11-19)" in table.stdout  # the output names where the numbers come from
    assert 'CBS StatLine 81589NED "Bedrijven; bedrijfstak"' in table.stdout
    assert run("fetch", "--definition", "pwc2017", "--year", "2019").exit_code == 0
    (data,) = json.loads(run("compare", "topsector", "pwc2017", "--year", "2019", "-f", "json").stdout)
    assert {o["source"]["kind"] for o in data["total_b"]["used"]} == {"cbs"}
    assert data["total_b"]["value"] == sum(fixture_value(firms, c, "2019KW01") or 0 for c in PWC2017)
    assert data["difference"]["value"] == data["total_b"]["value"] - a["value"]
    assert not any("mixes" in s for s in data["explanation"])


def test_fetch_asks_only_for_the_rows_it_needs(cbs: CbsServer) -> None:
    result = run("fetch", "--definition", "topsector", "--from", "2018", "--to", "2019")
    assert result.exit_code == 0, result.stderr
    data_hits = [h for h in cbs.hits if h.path.endswith("DataSet")]
    assert len(data_hits) == 1 and data_hits[0].path.endswith("/UntypedDataSet")
    query = data_hits[0].query["$filter"]
    assert query.count("BedrijfstakkenBranchesSBI2008 eq '") == 6
    assert "(Perioden eq '2018KW01')" in query and "2017KW04" not in query
    assert all(key.endswith(" ") for key in query.split("'")[1::2] if not key.startswith("20"))  # padded keys
    assert data_hits[0].query["$select"].startswith("BedrijfstakkenBranchesSBI2008,Perioden,TotaalBedrijven_1,k_1")
    assert len(cbs_rows()) == 6 * 8
    assert not [h for h in cbs.hits if h.path.endswith("/CategoryGroups") or h.path.endswith("/TypedDataSet")]


def test_a_repeat_fetch_of_the_same_version_downloads_no_row_it_holds(cbs: CbsServer) -> None:
    first_run = run("fetch", "--sbi", "21.10", "--sbi", "2120", "-f", "json")
    assert first_run.exit_code == 0
    first = cbs_rows()
    cbs.hits.clear()
    again = run("fetch", "--sbi", "21.10", "--sbi", "2120", "-f", "json")
    assert again.exit_code == 0, again.stderr
    assert [h.path.rsplit("/", 1)[1] for h in cbs.hits] == ["TableInfos"]
    assert "kept 440 rows already held from this version" in again.stderr
    assert cbs_rows() == first
    before, after = json.loads(first_run.stdout), json.loads(again.stdout)
    assert after["rows_held"] == 440 and after["rows_stored"] == 0
    assert after["codes"] == before["codes"]  # the same rows per code, held or downloaded


def test_a_refresh_downloads_and_replaces_every_row(cbs: CbsServer) -> None:
    assert run("fetch", "--sbi", "21.10", "--sbi", "2120").exit_code == 0
    first = cbs_rows()
    conn = sqlite3.connect(store_path())  # fetched long before: the refresh's sources are new ones
    conn.execute("UPDATE sources SET retrieved_at = '2020-01-01T00:00:00+00:00' WHERE kind = 'cbs'")
    conn.commit()
    conn.close()
    cbs.hits.clear()
    again = run("fetch", "--sbi", "21.10", "--sbi", "2120", "--refresh")
    assert again.exit_code == 0, again.stderr
    assert [h.path.rsplit("/", 1)[1] for h in cbs.hits] == ["TableInfos", "UntypedDataSet", "TableInfos"]
    assert "replacing 440" in again.stderr
    assert cbs_rows() == first  # replaced, not doubled
    assert sources_without_figures() == 0


def test_a_refresh_of_some_measures_replaces_those_and_keeps_the_rest_of_each_row(cbs: CbsServer, user_spec) -> None:  # type: ignore[no-untyped-def]
    """A fetched row holds a cell of every topic of its fetch; a later fetch of the same table with fewer measures (a
    spec of the user's own) replaces only the cells of those, and the row's other cells stay, figure for figure."""
    assert run("fetch", "--sbi", "21.10", "--year", "2016").exit_code == 0
    before = cbs_rows(None)
    spec = bundled_spec("81589NED")
    kept = spec[: spec.index("  firms_size_1:")]  # the spec with only its first measure, firms
    user_spec("81589NED", kept)
    conn = sqlite3.connect(store_path())  # fetched long before: the refresh's sources are new ones
    conn.execute("UPDATE sources SET retrieved_at = '2020-01-01T00:00:00+00:00' WHERE kind = 'cbs'")
    conn.commit()
    conn.close()
    again = run("fetch", "--sbi", "21.10", "--year", "2016", "--refresh")
    assert again.exit_code == 0, again.stderr
    assert "replacing 4;" in again.stderr  # the four quarters of firms, not the 44 cells of the rows
    after = cbs_rows(None)
    assert after == before  # the same figures: firms fetched again, the size classes kept
    assert len({r[0] for r in after}) == 11 and len(after) == 44
    assert sources_without_figures() == 0
    conn = sqlite3.connect(store_path())
    single = conn.execute("SELECT COUNT(*) FROM observations WHERE ref LIKE '81589NED/%'").fetchone()[0]
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    assert single == 40  # the ten measures the refresh left, now kept one figure a row
    user_spec("81589NED", spec)  # every measure again: each cell is held whole, partly as rows, partly singly
    cbs.hits.clear()
    whole = run("fetch", "--sbi", "21.10", "--year", "2016")
    assert whole.exit_code == 0, whole.stderr
    assert "kept 44 rows already held" in whole.stderr and cbs.data_requests() == []
    assert cbs_rows(None) == before


def test_a_fetch_of_more_topics_than_a_row_holds_writes_a_row_for_each_part(
    cbs: CbsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored row holds SLOTS topics' cells; with four a row, the eleven topics of 81589NED take three rows each
    key and period, and every figure reads back as it does with all eleven in one row."""
    assert run("fetch", "--sbi", "21.10", "--sbi", "72.11.2", "--year", "2016").exit_code == 0
    whole = cbs_rows(None)
    run("store", "clear", "--yes")
    monkeypatch.setattr("lshcli.store.SLOTS", 4)
    assert run("fetch", "--sbi", "21.10", "--sbi", "72.11.2", "--year", "2016").exit_code == 0
    assert cbs_rows(None) == whole and len(whole) == 2 * 4 * 11
    conn = sqlite3.connect(store_path())
    parts = conn.execute("SELECT part, COUNT(*) FROM cbs_rows GROUP BY part ORDER BY part").fetchall()
    conn.close()
    assert parts == [(0, 8), (1, 8), (2, 8)]


def test_a_wider_fetch_downloads_only_the_cells_not_held(cbs: CbsServer) -> None:
    assert run("fetch", "--sbi", "21.10", "--year", "2016").exit_code == 0
    (first,) = cbs.data_requests()
    key_2110 = re.search(r"SBI2008 eq ('[^']+')", first.query["$filter"]).group(1)  # type: ignore[union-attr]
    cbs.hits.clear()
    wider = run("fetch", "--sbi", "21.10", "--sbi", "21.20", "--from", "2016", "--to", "2017")
    assert wider.exit_code == 0, wider.stderr
    queries = [h.query["$filter"] for h in cbs.data_requests()]
    # 21.10 misses 2017 only, 21.20 both years: two requests, and the one for 2016 does not name 21.10
    assert len(queries) == 2
    assert [key_2110 in q for q in queries] == [True, False]
    assert "2016KW" not in queries[0] and "2016KW01" in queries[1]
    assert "kept 44 rows already held from this version" in wider.stderr


def test_compare_after_fetch_needs_no_network(cbs: CbsServer) -> None:
    assert run("fetch", "-d", "topsector", "-d", "pwc2017", "--year", "2019").exit_code == 0
    cbs.hits.clear()
    result = invoke(["compare", "topsector", "pwc2017", "--year", "2019", "-f", "json"], env={"LSH_OFFLINE": "1"})
    assert result.exit_code == 0, result.stderr
    (data,) = json.loads(result.stdout)
    assert data["difference"]["value"] is not None
    assert cbs.hits == []


def test_live_rows_win_over_the_snapshot_for_the_same_cell(cbs: CbsServer, fake_tables) -> None:  # type: ignore[no-untyped-def]
    before = json.loads(run("count", "topsector", "-m", "firms", "--year", "2016", "-f", "json").stdout)
    assert run("fetch", "--definition", "topsector", "--year", "2016").exit_code == 0
    after = json.loads(run("count", "topsector", "-m", "firms", "--year", "2016", "-f", "json").stdout)
    used_before = {o["source"]["kind"] for r in before for o in r["used"]}
    used_after = {o["source"]["kind"] for r in after for o in r["used"]}
    assert used_before == {"snapshot"} and used_after == {"cbs"}
    assert after[0]["value"] == sum(fixture_value(fake_tables[0], c, "2016KW01") or 0 for c in TOPSECTOR)


def test_a_newer_table_version_is_recorded_as_such(
    cbs: CbsServer, fake_tables: list[FakeTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("fetch", "--sbi", "21.10").exit_code == 0
    firms = fake_tables[0]
    with serve([replace(firms, info={**firms.info, "Modified": "2021-03-01T02:00:00"})]) as newer:
        monkeypatch.setenv("LSH_CBS_URL", newer.url)
        result = run("fetch", "--sbi", "21.10")
    assert result.exit_code == 0, result.stderr
    assert "newer version (2021-03-01) than rows fetched before (2020-11-19)" in result.stderr
    assert {row[5] for row in cbs_rows()} == {"2021-03-01T02:00:00"}
    store = json.loads(run("store", "-f", "json").stdout)
    (held,) = [h for h in store["holdings"] if h["source"] == "cbs" and h["measure"] == "firms"]
    assert held["table_versions"] == ["2021-03-01T02:00:00"] and held["rows"] == 20


def test_codes_deeper_than_the_table_are_named_and_their_parent_stored(cbs: CbsServer) -> None:
    result = run("fetch", "--measure", "jobs", "--sbi", "21.10", "--sbi", "72.11.2", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "21.10 is not in 83583NED (it goes down to divisions); stored 21" in result.stderr
    assert "72.11.2 is not in 83583NED" in result.stderr
    data = json.loads(result.stdout)
    assert [c["stored_as"] for c in data["codes"]] == ["21", "72"]
    assert {row[1] for row in cbs_rows("employee_jobs")} == {"21", "72"}


@pytest.mark.slow
def test_secret_cells_are_stored_empty_and_never_counted_as_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    table = firms_table(secret=("21.10",), secret_classes=True)  # its classes hidden too: no sum recovers it
    rows_2019 = {r["ID"] for r in table.rows if r["Perioden"] == "2019KW01"}
    hidden = {cell for cell in table.secret if cell[0] in rows_2019}  # every topic of 21.10's one row that year
    with serve([table]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        result = run("fetch", "--definition", "topsector", "--year", "2019", "-f", "json")
    assert result.exit_code == 0, result.stderr
    codes = {c["code"]: c for c in json.loads(result.stdout)["codes"]}
    assert codes["21.10"]["empty_cells"] == len(hidden)
    assert [r[3] for r in cbs_rows() if r[1] == "21.10" and r[2] == "2019Q1"] == [None]
    count = json.loads(run("count", "topsector", "-m", "firms", "--year", "2019", "-f", "json").stdout)
    assert count[0]["value"] is None
    assert count[0]["missing"][0]["reason"] == "cell-missing"


def test_jobs_fetch_keeps_the_status_of_each_year(cbs: CbsServer) -> None:
    assert run("fetch", "--table", "83583ned", "--sbi", "21").exit_code == 0  # the table's own measure
    statuses = {row[2]: row[4] for row in cbs_rows("employee_jobs")}
    assert statuses["2010"] == "definitive"
    assert statuses["2018"] == "revised provisional"
    assert statuses["2019"] == "provisional"


def test_tables_lists_the_registry() -> None:
    data = json.loads(run("tables", "-f", "json").stdout)
    measures = {t["table"]: t["measures"].split(", ") for t in data}
    assert measures["81589NED"][0] == "firms" and "firms_size_100_plus" in measures["81589NED"]
    assert measures["83583NED"] == ["employee_jobs"]
    assert measures["81156ned"] == ["persons_employed", "turnover"]
    assert measures["84088NED"] == measures["85867NED"] == ["output", "value_added"]


def test_a_table_outside_the_registry_explains_what_is_supported(cbs: CbsServer) -> None:
    result = run("fetch", "--table", "99999NED", "--sbi", "21")
    assert result.exit_code == 1
    supported = "it can fetch 81156ned, 81588NED, 81589NED, 83583NED, 84088NED, 85867NED, 86280NED, 86281NED (see"
    assert "lsh has no spec for table '99999NED'" in result.stderr and supported in result.stderr
    assert cbs.hits == []


def test_a_spec_that_does_not_match_the_live_table_names_what_is_missing(cbs: CbsServer, user_spec) -> None:  # type: ignore[no-untyped-def]
    spec = bundled_spec("81589NED")
    firms = re.search(r"  firms:\n    title: .*\n    key: .*\n", spec)
    assert firms is not None
    mine = '  firms:\n    title: ["Bedrijven in totaal"]\n    key: ["AlleBedrijven"]\n'
    user_spec("81589NED", spec.replace(firms.group(0), mine))
    result = run("fetch", "--sbi", "21.10")
    assert result.exit_code == 1
    assert "table 81589NED has no topic with title 'Bedrijven in totaal'" in result.stderr
    assert "TotaalBedrijven_1 'Totaal bedrijven'" in result.stderr  # what the table does have
    assert cbs_rows() == []


# --- failures: one sentence, a non-zero exit, and the store exactly as before -----------------------


def _snapshot_of_store() -> tuple[bytes, list[tuple[object, ...]]]:
    return store_path().read_bytes(), cbs_rows(None)


FAULTS = [
    (Fault("UntypedDataSet", "status", status=500), "HTTP 500 (tried 3 times)"),
    pytest.param(Fault("UntypedDataSet", "hang"), "no answer within 0.3 s (tried 3 times)", marks=pytest.mark.slow),
    (Fault("UntypedDataSet", "badjson"), "not valid JSON"),
    (Fault("UntypedDataSet", "cut"), "cut off"),
    (Fault("UntypedDataSet", "notodata"), "not an OData feed"),
    (Fault("UntypedDataSet", "loop"), "the same page link twice"),
    (Fault("UntypedDataSet", "endless"), "an empty page that links to a further one"),
    (Fault("TableInfos", "status", status=503), "HTTP 503"),
    (Fault("Perioden", "badjson"), "not valid JSON"),
]


@pytest.mark.parametrize(("fault", "message"), FAULTS, ids=lambda f: f.kind if isinstance(f, Fault) else "")
def test_a_failing_server_leaves_the_store_unchanged(
    cbs: CbsServer, monkeypatch: pytest.MonkeyPatch, fault: Fault, message: str
) -> None:
    assert run("fetch", "--sbi", "21.10", "-m", "jobs").exit_code == 0  # something held before
    before = _snapshot_of_store()
    if fault.kind == "hang":  # only a hang waits out the timeout; every other fault answers, however loaded the machine
        monkeypatch.setenv("LSH_CBS_TIMEOUT", "0.3")
    cbs.faults.append(fault)
    result = run("fetch", "--definition", "topsector", "--from", "2016", "--to", "2019")
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lsh: error: ")
    assert message in lines[0] and lines[0].endswith("the store is unchanged")
    assert result.stdout == ""
    assert _snapshot_of_store() == before


def test_a_failure_after_answers_were_written_aside_leaves_the_store_unchanged(
    cbs: CbsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fetch writes each answer aside as it comes (a temporary table); a later answer that fails drops them all."""
    monkeypatch.setattr("lshcli.cbs.fetch.ANSWER_ROWS", 20)  # many small answers
    assert run("fetch", "--sbi", "21.10", "-m", "jobs").exit_code == 0
    before = _snapshot_of_store()
    cbs.hits.clear()
    cbs.faults += [Fault("UntypedDataSet", "pass", times=2), Fault("UntypedDataSet", "badjson")]
    result = run("fetch", "--definition", "topsector", "--from", "2016", "--to", "2019")
    assert result.exit_code == 3 and "not valid JSON" in result.stderr, result.stderr
    assert len(cbs.data_requests()) >= 3  # two answers were written aside before the third failed
    assert _snapshot_of_store() == before


def test_answers_split_to_bound_memory_store_the_same_cells(cbs: CbsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests split by period (so that no answer exceeds ANSWER_ROWS rows) store what one request stores, cell by
    cell, with the same tally per code."""
    first = run("fetch", "--definition", "topsector", "--from", "2016", "--to", "2019", "-f", "json")
    assert first.exit_code == 0, first.stderr
    whole, requests = cbs_rows(None), len(cbs.data_requests())
    monkeypatch.setattr("lshcli.cbs.fetch.ANSWER_ROWS", 20)
    cbs.hits.clear()
    again = run("fetch", "--definition", "topsector", "--from", "2016", "--to", "2019", "--refresh", "-f", "json")
    assert again.exit_code == 0, again.stderr
    assert len(cbs.data_requests()) > requests
    for hit in cbs.data_requests():  # each asks for at most 20 rows: keys named times periods named
        keys, periods = (hit.query["$filter"].count(f"{name} eq") for name in ("SBI2008", "Perioden"))
        assert 0 < keys * periods <= 20
    assert cbs_rows(None) == whole
    tallied = ("code", "rows", "empty_cells", "first_period", "last_period")
    shown = [[{k: c[k] for k in tallied} for c in json.loads(r.stdout)["codes"]] for r in (first, again)]
    assert shown[0] == shown[1] and sum(c["rows"] for c in shown[0]) == len(whole)
    assert sources_without_figures() == 0


def test_no_network_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    Store(store_path()).close()
    before = _snapshot_of_store()
    monkeypatch.setenv("LSH_CBS_URL", "http://127.0.0.1:9")
    result = run("fetch", "--sbi", "21.10")
    assert result.exit_code == 3
    assert "cannot connect (" in result.stderr and "(tried 3 times)" in result.stderr
    assert _snapshot_of_store() == before


def test_a_table_that_does_not_exist(cbs: CbsServer, user_spec) -> None:  # type: ignore[no-untyped-def]
    user_spec("99999NED", bundled_spec("81589NED").replace("id: 81589NED", "id: 99999NED"))
    Store(store_path()).close()
    before = _snapshot_of_store()
    result = run("fetch", "--table", "99999ned", "--sbi", "21.10")
    assert result.exit_code == 3
    assert "CBS has no TableInfos for table 99999NED" in result.stderr and "HTTP 404" in result.stderr
    assert len([h for h in cbs.hits if "99999NED" in h.path]) == 1  # a missing table is not retried
    assert _snapshot_of_store() == before


@pytest.mark.parametrize("how", ["option", "env"])
def test_offline_forbids_any_network_access(cbs: CbsServer, how: str) -> None:
    Store(store_path()).close()
    before = _snapshot_of_store()
    if how == "option":
        result = run("--offline", "fetch", "--sbi", "21.10")
    else:
        result = invoke(["fetch", "--sbi", "21.10"], env={"LSH_OFFLINE": "1"})
    assert result.exit_code == 3
    assert "lsh is offline" in result.stderr
    assert cbs.hits == []
    assert _snapshot_of_store() == before


def test_a_retry_after_a_passing_error_succeeds(cbs: CbsServer) -> None:
    cbs.faults.append(Fault("UntypedDataSet", "status", status=503, times=1))
    result = run("fetch", "--sbi", "21.10")
    assert result.exit_code == 0, result.stderr
    assert [h.status for h in cbs.hits if h.path.endswith("UntypedDataSet")] == [503, 200]


def test_a_full_disk_mid_write_leaves_the_store_unchanged(cbs: CbsServer) -> None:
    store = Store(store_path())
    assert run("fetch", "--sbi", "21.20").exit_code == 0
    before = _snapshot_of_store()
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers as on a full disk: SQLITE_FULL
    registry = TableRegistry()
    fetcher = Fetcher(
        registry.get("81589NED"),
        "firms",
        ODataV3(CbsClient(cbs.url), "81589NED"),
        store,
        classification(),
        lambda *a: None,
    )
    with pytest.raises(StoreError, match="disk is full.*it is unchanged"):
        fetcher.run(TOPSECTOR, list(range(2015, 2020)))
    store.close()
    assert _snapshot_of_store() == before


@pytest.mark.slow
def test_two_processes_fetching_at_once_do_not_corrupt_the_store(cbs: CbsServer) -> None:
    env = dict(os.environ)
    commands = [
        [sys.executable, "-m", "lshcli", "fetch", "--definition", definition, "--from", "2015", "--to", "2019"]
        for definition in ("topsector", "pwc2017", "pwc2019")
    ]
    processes = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    conn = sqlite3.connect(store_path())
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    codes = {row[1] for row in cbs_rows()}
    assert codes == {*TOPSECTOR, "46.46", "21"}
    assert len(cbs_rows()) == len(codes) * 20


def test_store_show_and_clear(cbs: CbsServer) -> None:
    assert run("fetch", "--sbi", "21.10").exit_code == 0
    held = json.loads(run("store", "-f", "json").stdout)
    assert held["path"] == str(store_path())
    (row,) = [h for h in held["holdings"] if h["source"] == "cbs" and h["measure"] == "firms"]
    assert (row["cbs_table"], row["rows"]) == ("81589NED", 20)
    assert (row["first_period"], row["last_period"]) == ("2015Q1", "2019Q4")
    refused = run("store", "clear")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    cleared = run("store", "clear", "--yes")
    assert cleared.exit_code == 0 and "deleted 220 rows" in cleared.stderr
    assert cbs_rows(None) == []
    conn = sqlite3.connect(store_path())
    left = [conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("cbs_rows", "cbs_topics")]
    conn.close()
    assert left == [0, 0]  # the rows as fetched, and their topics with their sources
    after = json.loads(run("store", "-f", "json").stdout)
    assert {h["source"] for h in after["holdings"]} == {"snapshot"}


@pytest.mark.slow
def test_the_server_speaks_the_whole_protocol_to_cbsodata(cbs: CbsServer, fake_tables) -> None:  # type: ignore[no-untyped-def]
    """cbsodata's own bulk download walks the service root, every entity set and the paged data."""
    import cbsodata

    saved = cbsodata.options.catalog_url, cbsodata.options.use_https
    cbsodata.options.catalog_url, cbsodata.options.use_https = cbs.url.removeprefix("http://"), False
    try:
        everything = cbsodata.download_data("81589NED", typed=False)  # cbsodata 1.3.5: typed=False means Typed
        rows = cbsodata.get_data("83583NED", filters="substringof('2019', Perioden)", select=["Perioden"])
    finally:
        cbsodata.options.catalog_url, cbsodata.options.use_https = saved
    firms, jobs = fake_tables
    assert set(everything) == {"TableInfos", "TypedDataSet", "DataProperties", "CategoryGroups", *firms.dimensions}
    assert len(everything["TypedDataSet"]) == len(firms.rows) > 2 * 10_000  # three pages
    assert everything["BedrijfstakkenBranchesSBI2008"][0]["Key"] == "T001081"
    assert len(rows) == len(jobs.rows) // 10
    assert rows[0]["Perioden"] == "2019 december"  # get_data puts titles in place of keys


def test_a_live_dimension_the_spec_does_not_choose_is_named(cbs: CbsServer, user_spec) -> None:  # type: ignore[no-untyped-def]
    spec = bundled_spec("83583NED")
    user_spec("83583NED", spec.replace('  Bedrijfsgrootte:\n    title: ["Totaal"]\n', "  {}\n"))
    result = run("fetch", "-m", "jobs", "--sbi", "21")
    assert result.exit_code == 1
    assert "table 83583NED has a dimension 'Bedrijfsgrootte' that" in result.stderr
    assert "does not choose a category of" in result.stderr
    user_spec("83583NED", spec.replace("Bedrijfsgrootte:", "Grootteklasse:"))
    result = run("fetch", "-m", "jobs", "--sbi", "21")
    assert result.exit_code == 1 and "table 83583NED has no dimension 'Grootteklasse'" in result.stderr


def test_fetch_refuses_when_the_store_cannot_be_opened(cbs: CbsServer, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = invoke(["--store", str(blocker / "store.sqlite3"), "fetch", "--sbi", "21.10"])
    assert result.exit_code == 1
    assert "nothing would be kept; fetch stopped" in result.stderr
    assert cbs.hits == []


def test_fetch_refuses_a_damaged_store_and_leaves_it_as_it_is(cbs: CbsServer, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    result = invoke(["--store", str(broken), "fetch", "--sbi", "21.10"])
    assert result.exit_code == 1
    assert "is damaged" in result.stderr and "move it aside" in result.stderr
    assert result.stderr.count("\n") == 1
    assert cbs.hits == []
    assert broken.read_bytes() == b"this is not a database" * 100


def test_a_damaged_dimension_cache_counts_as_missing(cbs: CbsServer) -> None:
    assert run("fetch", "--sbi", "21.10").exit_code == 0
    conn = sqlite3.connect(store_path())
    conn.execute("UPDATE cbs_metadata SET rows_json = '{not json' WHERE entity_set = 'BedrijfstakkenBranchesSBI2008'")
    conn.commit()
    conn.close()
    cbs.hits.clear()
    result = run("fetch", "--sbi", "21.10", "--refresh")
    assert result.exit_code == 0, result.stderr
    asked = [h.path.rsplit("/", 1)[1] for h in cbs.hits]
    assert asked == ["TableInfos", "BedrijfstakkenBranchesSBI2008", "UntypedDataSet", "TableInfos"]


def _leaves(table: FakeTable) -> list[str]:
    """Every finest SBI code the table's dimension carries, as lsh names them."""
    sbi = classification()
    carried = {codes_in_title(r["Title"], sbi) for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]}
    return [c[0] for c in carried if c and len(c) == 1 and not sbi.children.get(c[0])]


@pytest.mark.slow  # 900 codes by 20 quarters through the local CBS: seconds
def test_the_whole_tree_is_asked_for_without_a_key_filter_when_that_takes_fewer_pages(
    cbs: CbsServer, fake_tables: list[FakeTable]
) -> None:
    leaves = _leaves(fake_tables[0])
    result = run("fetch", *(arg for code in leaves for arg in ("--sbi", code)), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = cbs.data_requests()
    dimension = len(fake_tables[0].dimensions["BedrijfstakkenBranchesSBI2008"])
    # the whole dimension in parts of as many periods as one answer of 10,000 rows holds (a fetch holds one answer
    # in memory at a time), each part one page: not len(leaves) / 25 requests
    per_answer = 10_000 // dimension
    assert len(data) == -(-20 // per_answer)
    assert all("SBI2008" not in h.query.get("$filter", "") for h in data)
    assert all(h.query["$filter"].count("Perioden eq") <= per_answer for h in data)
    assert json.loads(result.stdout)["rows_stored"] == len(leaves) * 20 * 11


@pytest.mark.slow  # a second or more; CI runs it
def test_keys_are_packed_into_requests_as_long_as_the_url_allows(
    cbs: CbsServer, fake_tables: list[FakeTable], monkeypatch: pytest.MonkeyPatch
) -> None:
    leaves = _leaves(fake_tables[0])
    cbs.max_target = 4000
    monkeypatch.setenv("LSH_CBS_MAX_URL", "4000")
    result = run("fetch", *(arg for code in leaves[:50] for arg in ("--sbi", code)))
    assert result.exit_code == 0, result.stderr
    (data,) = cbs.data_requests()  # 50 keys in one URL of at most 4,000 characters (and fewer pages than the tree)
    assert data.query["$filter"].count("SBI2008 eq") == 50
    cbs.hits.clear()
    monkeypatch.setenv("LSH_CBS_MAX_URL", "1500")
    result = run("fetch", *(arg for code in leaves[50:80] for arg in ("--sbi", code)))
    assert result.exit_code == 0, result.stderr
    named = [h.query["$filter"].count("SBI2008 eq") for h in cbs.data_requests()]
    assert all(h.status == 200 for h in cbs.hits)  # no request was too long for the server
    assert sum(named) == 30 and len(named) == 2 and named[0] > named[1]  # the first as full as 1,500 allows


def test_a_url_too_long_for_the_server_is_said(cbs: CbsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    cbs.max_target = 600
    monkeypatch.setenv("LSH_CBS_MAX_URL", "4000")
    result = run("fetch", "-d", "topsector", "--year", "2016")
    assert result.exit_code == 3
    assert "HTTP 414" in result.stderr and "LSH_CBS_MAX_URL" in result.stderr


def test_only_the_protocols_own_module_names_its_fields() -> None:
    """The seam speaks lsh's types (lshcli.source): the field and entity-set names of OData v3 and v4 stand in their
    own modules only (the catalog watch reads v4's catalog fields too)."""
    import re

    src = Path(__file__).parent.parent / "src" / "lshcli"
    protocol = re.compile(
        r"""["'](Key|Title|Type|Unit|Decimals|Status|DataProperties|TableInfos|UntypedDataSet|Identifier|"""
        r"""MeasureCodes|Observations|ValueAttribute|Properties)["']"""
    )
    named = {
        str(path.relative_to(src)): protocol.findall(path.read_text(encoding="utf-8"))
        for path in src.rglob("*.py")
        if path.name not in ("odata.py", "odata4.py", "saved.py")
    }
    assert {name: found for name, found in named.items() if found} == {}


def test_a_cached_structure_in_a_protocols_shape_is_read_again(cbs: CbsServer) -> None:
    """A store's metadata cache of an older lsh (OData v3's rows) counts as missing: the fetch asks for it anew."""
    import sqlite3

    assert run("fetch", "--sbi", "21.10", "--year", "2019").exit_code == 0
    conn = sqlite3.connect(os.environ["LSH_STORE"])
    conn.execute("""UPDATE cbs_metadata SET rows_json = '[{"Key": "x", "Title": "y"}]'""")
    conn.commit()
    conn.close()
    cbs.hits.clear()
    again = run("fetch", "--sbi", "21.20", "--year", "2019")
    assert again.exit_code == 0, again.stderr
    assert any(h.path.endswith("DataProperties") for h in cbs.hits)  # read again, not taken from the cache


# --- asking one request ahead -----------------------------------------------------------------------------


def test_answers_come_in_order_and_at_most_one_request_is_asked_ahead() -> None:
    """While an answer is read, the next request is asked (not the one after it), and the answers come in the order
    of the requests. Deterministic: the thread needs a token for each request, and the test waits on an event."""
    import threading

    from lshcli.cbs.fetch import Ahead

    asked: list[int] = []
    second = threading.Event()

    def ask(n: int) -> int:
        asked.append(n)
        if n == 2:
            second.set()
        return n * 10

    with Ahead(ask, [1, 2, 3]) as ahead:
        assert ahead.take() == 10
        assert second.wait(30)  # asked while the first answer is read
        assert asked == [1, 2]  # and not the third: no token for it until the second is taken
        assert ahead.take() == 20
        assert ahead.take() == 30
    assert asked == [1, 2, 3]


def test_a_failed_request_is_raised_where_its_answer_is_taken_and_nothing_more_is_asked() -> None:
    from lshcli.cbs.fetch import Ahead

    asked: list[int] = []

    def ask(n: int) -> int:
        asked.append(n)
        if n == 2:
            raise FetchError("the second answer is broken (invented)")
        return n

    with Ahead(ask, [1, 2, 3, 4]) as ahead:
        assert ahead.take() == 1
        with pytest.raises(FetchError, match="second answer is broken"):
            ahead.take()
    ahead.thread.join(30)
    assert not ahead.thread.is_alive() and asked == [1, 2]


def test_leaving_early_stops_the_requests_ahead() -> None:
    """A fetch that fails while reading an answer leaves at most the request under way to its thread."""
    from lshcli.cbs.fetch import Ahead

    asked: list[int] = []

    def ask(n: int) -> int:
        asked.append(n)
        return n

    with pytest.raises(ValueError, match="an answer lsh refuses"), Ahead(ask, [1, 2, 3, 4]) as ahead:
        ahead.take()
        raise ValueError("an answer lsh refuses (invented)")
    ahead.thread.join(30)
    assert not ahead.thread.is_alive() and asked in ([1], [1, 2])
