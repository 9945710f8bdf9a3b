"""The Eurostat source against a local Eurostat (tests/eurostat_server.py): the recorded real answers served as
they were recorded, and the SBS dataset answered in their shape from INVENTED figures. The expectations are
computed from the served figures."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from lshcli.errors import FetchError, OfflineError
from lshcli.eurostat import DATASETS, EurostatClient, nace_code
from lshcli.sbi import load
from tests.eurostat_server import EUROSTAT, EurostatServer, recorded, serve

pytestmark = pytest.mark.skipif(not EUROSTAT.exists(), reason="../shared is not beside the repository")


@pytest.fixture(scope="module")
def running() -> Iterator[EurostatServer]:
    """One local Eurostat for the module (a server's start and stop are the slow part)."""
    with serve() as server:
        yield server


@pytest.fixture
def eurostat(running: EurostatServer, monkeypatch: pytest.MonkeyPatch) -> EurostatServer:
    """The local Eurostat as it starts, with lsh pointed at it."""
    running.reset()
    monkeypatch.setenv("LSH_EUROSTAT_URL", running.url)
    monkeypatch.setenv("LSH_CBS_BACKOFF", "0")
    return running


def test_an_sbi_code_has_the_nace_code_eurostat_writes() -> None:
    sbi = load("sbi2008")
    assert [nace_code(sbi, c) for c in ("21.10", "21", "26.60", "46.46", "72.19", "C")] == [
        "C2110",
        "C21",
        "C2660",
        "G4646",
        "M7219",
        "C",
    ]
    assert nace_code(sbi, "72.11.2") == "M7211"  # a Dutch subclass is read as its class, which holds it


def test_a_request_names_each_code_and_the_years(eurostat: EurostatServer) -> None:
    url = EurostatClient().url_for("sbs_ovw_act", [("geo", ["NL", "BE"]), ("nace_r2", ["C2110"])], 2021, 2023)
    assert url == (
        f"{eurostat.url}/eurostat/api/dissemination/statistics/1.0/data/sbs_ovw_act?format=JSON&lang=EN"
        "&geo=NL&geo=BE&nace_r2=C2110&sinceTimePeriod=2021&untilTimePeriod=2023"
    )


def test_a_slice_is_read_cell_by_cell_as_served(eurostat: EurostatServer) -> None:
    countries, classes = ["NL", "BE", "IE"], ["C2110", "C2120", "C21"]
    answer = EurostatClient().fetch(
        "sbs_ovw_act", [("geo", countries), ("nace_r2", classes), ("indic_sbs", ["EMP_NR"])], 2022, 2022
    )
    got = {(c.code("nace_r2"), c.code("geo")): (c.value, c.confidential) for c in answer.cells()}
    served = {
        (n, g): v
        for (n, i, g, y), v in eurostat.invented.items()
        if i == "EMP_NR" and y == 2022 and g in countries and n in classes
    }
    assert got.keys() == served.keys()
    for key, v in served.items():  # a confidential cell is a cell without a value, never a zero
        assert got[key] == ((None, "C") if v == "C" else (v, None)), key
    assert answer.unknown == {}
    [(dataset, query)] = eurostat.asked
    assert dataset == "sbs_ovw_act" and query["geo"] == countries and query["sinceTimePeriod"] == ["2022"]


def test_a_provisional_figure_keeps_its_flag(eurostat: EurostatServer) -> None:
    answer = EurostatClient().fetch("sbs_ovw_act", [("geo", ["NL"]), ("nace_r2", ["C2120"])], 2023, 2023)
    [cell] = [c for c in answer.cells() if c.code("indic_sbs") == "EMP_NR"]
    assert cell.value == eurostat.invented[("C2120", "EMP_NR", "NL", 2023)][0] and cell.provisional  # type: ignore[index]


def test_codes_in_lower_case_are_read_and_unknown_ones_are_named_not_dropped(eurostat: EurostatServer) -> None:
    answer = EurostatClient().fetch("sbs_ovw_act", [("geo", ["nl", "XX"]), ("nace_r2", ["c2110"])], 2022, 2022)
    assert {c.code("geo") for c in answer.cells()} == {"NL"}
    assert answer.unknown == {"geo": ("XX",)}  # Eurostat drops it without a word; lsh says so


def test_a_dimension_of_which_no_code_is_known_is_an_error_naming_the_codes(eurostat: EurostatServer) -> None:
    with pytest.raises(FetchError, match=r"knows none of the nace_r2 codes asked for \(X9999\)"):
        EurostatClient().fetch("sbs_ovw_act", [("geo", ["NL"]), ("nace_r2", ["X9999"])], 2022, 2022)
    with pytest.raises(FetchError, match="outside what it covers"):
        EurostatClient().fetch("sbs_ovw_act", [("geo", ["NL"]), ("nace_r2", ["C2110"])], 1990, 1995)


@pytest.mark.parametrize(
    ("name", "dimension"),
    [("unknown-geo-size-0", "geo"), ("unknown-unit-size-0", "unit"), ("time-size-0", "time")],
)
def test_the_recorded_answers_of_size_zero_are_named(eurostat: EurostatServer, name: str, dimension: str) -> None:
    eurostat.answers["recorded"] = (200, recorded(name), "application/json")
    with pytest.raises(FetchError, match="none of the" if dimension != "time" else "outside what it covers"):
        EurostatClient().fetch("recorded", [(dimension, ["XX"])])


def test_the_recorded_all_confidential_answer_is_cells_without_values(eurostat: EurostatServer) -> None:
    eurostat.answers["recorded"] = (200, recorded("all-confidential"), "application/json")
    cells = list(EurostatClient().fetch("recorded", [("geo", ["IE"])]).cells())
    assert cells and all(c.value is None and c.confidential == "C" for c in cells)


def test_the_recorded_answer_without_data_is_empty_not_zero(eurostat: EurostatServer) -> None:
    eurostat.answers["recorded"] = (200, recorded("no-data"), "application/json")
    answer = EurostatClient().fetch("recorded", [("geo", ["IE"])])
    assert answer.dataset.empty and list(answer.cells()) == []


def test_the_recorded_lower_case_answer_reads_its_values(eurostat: EurostatServer) -> None:
    eurostat.answers["recorded"] = (200, recorded("lowercase"), "application/json")
    answer = EurostatClient().fetch("recorded", [("geo", ["de"])])
    assert [c.value for c in answer.cells()] == [4.0, 4.0] and answer.unknown == {}


@pytest.mark.parametrize(
    ("name", "status", "words"),
    [
        ("statistics_404_100_ERR_NOT_FOUND_4__DS", 404, "not available"),
        ("statistics_413", 413, "too big"),
        ("INVALID_QUERY_DIMENSION", 400, "does not fit"),
        ("ASYNCHRONOUS", 200, "only later"),
    ],
)
def test_each_refusal_is_one_sentence(eurostat: EurostatServer, name: str, status: int, words: str) -> None:
    eurostat.answers["sbs_ovw_act"] = (status, recorded(name), "application/json")
    with pytest.raises(FetchError, match=words) as found:
        EurostatClient().fetch("sbs_ovw_act", [("geo", ["NL"])])
    assert "\n" not in str(found.value)


def test_an_outage_page_is_named_and_a_passing_failure_is_retried(eurostat: EurostatServer) -> None:
    eurostat.answers["sbs_ovw_act"] = (200, b'<html lang="en" class="no-js"><body>Down</body></html>', "text/html")
    with pytest.raises(FetchError, match="web page"):
        EurostatClient().fetch("sbs_ovw_act", [("geo", ["NL"])])
    del eurostat.answers["sbs_ovw_act"]
    eurostat.failures = [503, 502]
    answer = EurostatClient(retries=2).fetch("sbs_ovw_act", [("geo", ["NL"]), ("nace_r2", ["C2110"])], 2022, 2022)
    assert [c.value for c in answer.cells()] == [eurostat.invented[("C2110", "EMP_NR", "NL", 2022)]]
    eurostat.failures = [503]
    with pytest.raises(FetchError, match="HTTP 503"):
        EurostatClient(retries=0).fetch("sbs_ovw_act", [("geo", ["NL"])])


def test_offline_nothing_is_asked(eurostat: EurostatServer) -> None:
    with pytest.raises(OfflineError):
        EurostatClient(offline=True).fetch("sbs_ovw_act", [("geo", ["NL"])])
    assert eurostat.asked == []


def test_every_dataset_names_its_indicators_and_refuses_an_unknown_one() -> None:
    assert DATASETS["sbs_ovw_act"].indicator("persons_employed").code == "EMP_NR"
    assert DATASETS["sbs_na_ind_r2"].indicator("persons_employed").code == "V16110"
    assert {d.indicator_dimension for d in DATASETS.values()} == {"indic_sbs", "indic_sb"}
    with pytest.raises(FetchError, match="gives no jobs"):
        DATASETS["sbs_ovw_act"].indicator("jobs")


def _expected(
    invented: Mapping[tuple[str, str, str, int], object], country: str, year: int, indicator: str = "EMP_NR"
) -> tuple[float, float | None]:
    """The topsector's persons employed in a country, worked out by hand from the served (INVENTED) cells: the
    pharmaceutical division whole where its classes are confidential, a published class as it is, a Dutch subclass
    between nothing and its class, and no upper bound where a class has no figure at all."""

    def cell(nace: str) -> object:
        found = invented.get((nace, indicator, country, year))
        return found[0] if isinstance(found, tuple) else found

    low, high, open_high = 0.0, 0.0, False
    pharma = [cell("C2110"), cell("C2120")]
    if all(isinstance(v, float) for v in pharma):
        low += sum(pharma)  # type: ignore[arg-type]
        high += sum(pharma)  # type: ignore[arg-type]
    else:
        division = cell("C21")
        assert isinstance(division, float)
        low, high = low + division, high + division  # the definition holds the whole division
    for whole in ("C2660", "C3250"):
        v = cell(whole)
        if isinstance(v, float):
            low, high = low + v, high + v
        else:
            open_high = True
    for within in ("M7211", "M7219"):  # 72.11.2 and 72.19.3 are only published within their class
        v = cell(within)
        if isinstance(v, float):
            high += v
        else:
            open_high = True
    return low, None if open_high else high


def test_a_benchmark_bounds_each_country_through_its_division_and_classes(eurostat: EurostatServer) -> None:
    import lshcli
    from lshcli.benchmark import benchmark

    book = lshcli.open()
    topsector = book.definition("topsector")
    found = benchmark(EurostatClient(), topsector, load("sbi2008"), ["NL", "BE", "IE"], "persons_employed", 2022)
    assert found.dataset == "sbs_ovw_act" and found.indicator.code == "EMP_NR"
    for value in found.countries:
        low, high = _expected(eurostat.invented, value.country, 2022)
        interval = value.coverage.interval
        assert interval is not None, value.country
        assert interval.low == pytest.approx(low) and (
            interval.high is None if high is None else interval.high == pytest.approx(high)
        ), value.country
    nl = found.countries[0]
    economy = eurostat.invented[("B-N_S95_X_K", "EMP_NR", "NL", 2022)]
    assert nl.economy == economy and nl.share is not None
    assert nl.share.low == pytest.approx(100 * _expected(eurostat.invented, "NL", 2022)[0] / economy)
    [(_, query)] = eurostat.asked
    assert "C2610" not in query["nace_r2"] and {"C21", "C2110", "C2120", "B-N_S95_X_K"} <= set(query["nace_r2"])


def test_lsh_benchmark_gives_each_country_the_interval_the_served_cells_allow(eurostat: EurostatServer) -> None:
    import json

    from tests.conftest import invoke

    result = invoke(["benchmark", "topsector", "--country", "NL,be", "--country", "IE", "--year", "2022", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["country"]: r for r in json.loads(result.stdout)}
    assert list(rows) == ["NL", "BE", "IE"]
    for country, row in rows.items():
        low, high = _expected(eurostat.invented, country, 2022)
        assert (row["value_low"], row["value_high"]) == (
            pytest.approx(low),
            None if high is None else pytest.approx(high),
        )
    economy = eurostat.invented[("B-N_S95_X_K", "EMP_NR", "NL", 2022)]
    assert isinstance(economy, float)
    assert rows["NL"]["share_of_economy_low"] == pytest.approx(100 * rows["NL"]["value_low"] / economy)
    shares = {  # each country's share as the served figures allow it, where its business economy is served
        c: (100 * r["value_low"] / e, 100 * r["value_high"] / e if r["value_high"] is not None else None)
        for c, r in rows.items()
        if isinstance(e := eurostat.invented.get(("B-N_S95_X_K", "EMP_NR", c, 2022)), float)
    }
    above = sum(1 for c, (low, _) in shares.items() if c != "NL" and low > shares["NL"][1])  # surely larger
    unknown = len(rows) - len(shares)
    assert (rows["NL"]["rank_best"], rows["NL"]["rank_worst"]) == (1 + above, 1 + above + unknown)
    assert above == 1 and rows["NL"]["unit"] == "persons"  # the invented figures put BE surely above NL


def test_lsh_benchmark_in_dutch_and_its_latest_year(eurostat: EurostatServer) -> None:
    from tests.conftest import invoke

    dutch = invoke(["--lang", "nl", "benchmark", "topsector", "--country", "NL"], env={"COLUMNS": "200"})
    assert dutch.exit_code == 0, dutch.output
    latest = max(y for *_, y in eurostat.invented)
    assert f"per land: werkzame personen, {latest}" in dutch.stdout and "personen" in dutch.stdout
    [(_, query)] = eurostat.asked
    assert query["lastTimePeriod"] == ["1"]


def test_lsh_benchmark_offline_or_before_2008_asks_nothing(eurostat: EurostatServer) -> None:
    from tests.conftest import invoke

    offline = invoke(["--offline", "benchmark", "topsector", "--year", "2022"])
    assert offline.exit_code == 3 and "offline" in offline.stderr
    early = invoke(["benchmark", "topsector", "--year", "2007"])
    assert early.exit_code == 2 and "2007 is before it" in early.stderr
    assert eurostat.asked == []


def test_the_readmes_benchmark_example_is_what_lsh_prints_at_80_columns(eurostat: EurostatServer) -> None:
    from tests.conftest import invoke
    from tests.test_cli import _readme_blocks

    shown = invoke(
        ["benchmark", "topsector", "--country", "NL,BE,IE", "--year", "2022"], env={"COLUMNS": "80", "NO_COLOR": "1"}
    )
    assert shown.exit_code == 0, shown.output
    assert shown.stdout in _readme_blocks()


def test_a_fetch_stores_each_country_and_a_benchmark_then_reads_the_store(eurostat: EurostatServer) -> None:
    import json

    from lshcli.store import Store
    from tests.conftest import invoke

    args = ["fetch", "--table", "sbs_ovw_act", "-d", "topsector", "--country", "NL,BE,DE,DK,IE", "--year", "2022"]
    fetched = invoke(args)
    assert fetched.exit_code == 0, fetched.output
    assert "does not know the geo codes DE, DK" in fetched.stderr  # not in the invented table: named, not dropped
    store = Store(Path(os.environ["LSH_STORE"]), snapshot=False)
    [secret] = store.foreign("sbs_ovw_act", "persons_employed", ["BE"], ["C2110"], 2022)
    assert secret.value is None and secret.confidential == "C"  # kept as a secret cell, never a zero
    eurostat.asked.clear()
    result = invoke(["benchmark", "topsector", "--country", "NL,BE,IE", "--year", "2022", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert eurostat.asked == []  # the store answers
    for row in json.loads(result.stdout):
        low, high = _expected(eurostat.invented, row["country"], 2022)
        assert row["value_low"] == pytest.approx(low), row["country"]
        assert row["value_high"] == (None if high is None else pytest.approx(high)), row["country"]
    held = invoke(["store", "-f", "json"])
    assert any(
        h["source"] == "eurostat" and h["cbs_table"] == "sbs_ovw_act" for h in json.loads(held.stdout)["holdings"]
    )
    cleared = invoke(["store", "clear", "--table", "sbs_ovw_act", "--yes"])
    assert cleared.exit_code == 0 and store.foreign("sbs_ovw_act", "persons_employed", ["BE"], ["C2110"], 2022) == []


def test_a_country_is_refused_for_a_cbs_table_and_an_unknown_dataset_is_named(eurostat: EurostatServer) -> None:
    from tests.conftest import invoke

    cbs = invoke(["fetch", "--sbi", "21.10", "--country", "BE"])
    assert cbs.exit_code == 2 and "of the Netherlands" in cbs.output
    assert eurostat.asked == []


@pytest.mark.parametrize(
    ("name", "status"), [("statistics_413", 413), ("INVALID_QUERY_DIMENSION", 400), ("ASYNCHRONOUS", 200)]
)
def test_a_refused_fetch_stores_nothing_and_names_the_refusal(eurostat: EurostatServer, name: str, status: int) -> None:
    from lshcli.store import Store
    from tests.conftest import invoke

    eurostat.answers["sbs_ovw_act"] = (status, recorded(name), "application/json")
    result = invoke(["fetch", "--table", "sbs_ovw_act", "-d", "topsector", "--country", "NL", "--year", "2022"])
    assert result.exit_code == 3 and "Eurostat" in result.stderr and len(result.stderr.splitlines()) == 1
    store = Store(Path(os.environ["LSH_STORE"]), snapshot=False)
    assert store.conn.execute("SELECT COUNT(*) FROM foreign_cells").fetchone()[0] == 0


def test_compare_from_eurostat_values_both_definitions_at_class_depth(eurostat: EurostatServer) -> None:
    """topsector against pwc2017 in persons employed from Eurostat's NL class figures (INVENTED): each total as the
    published classes give it, a Dutch subclass between nothing and its class."""
    import json

    from tests.conftest import invoke

    args = ["compare", "topsector", "pwc2017", "-m", "persons_employed", "--source", "eurostat", "--year", "2022"]
    result = invoke([*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.stdout)

    def cell(nace: str) -> float:
        v = eurostat.invented[(nace, "EMP_NR", "NL", 2022)]
        assert isinstance(v, float)
        return v

    low, high = _expected(eurostat.invented, "NL", 2022)
    assert (found["total_a"]["value_low"], found["total_a"]["value_high"]) == (pytest.approx(low), pytest.approx(high))
    pwc_low = cell("C2110") + cell("C2120") + cell("G4646")  # 21.10, 21.20, 46.46 and, within 72.11, 72.11.2
    assert found["total_b"]["value_low"] == pytest.approx(pwc_low)
    assert found["total_b"]["value_high"] == pytest.approx(pwc_low + cell("M7211"))
    assert found["measure"]["unit"] == "persons" and "Eurostat" in found["measure"]["label"]
    dutch = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200"})
    assert dutch.exit_code == 0 and "werkzame personen in ondernemingen (Eurostat)" in dutch.stdout
    bad = invoke(["compare", "topsector", "pwc2017", "--source", "eurostat", "--from", "2021", "--to", "2022"])
    assert bad.exit_code == 2


def test_a_benchmark_chart_draws_each_country_with_its_interval(eurostat: EurostatServer, tmp_path: Path) -> None:
    """The chart (SVG keeps its text): each country on the axis, each value's label, an arrow where no most is known,
    and the sources in the footer."""
    from tests.conftest import invoke

    chart = tmp_path / "countries.svg"
    args = ["plot", "benchmark", "topsector", "--country", "NL,BE,IE,DE", "--year", "2022", "-o", str(chart)]
    result = invoke(args)
    assert result.exit_code == 0, result.output
    svg = chart.read_text(encoding="utf-8")
    for country in ("NL", "BE", "IE", "DE"):
        assert f">{country}<" in svg
    low, high = _expected(eurostat.invented, "NL", 2022)
    assert f"{low:,.0f} to {high:,.0f}" in svg
    assert "at least 38,000" in svg and "n/a" in svg and "Eurostat sbs_ovw_act" in svg


def test_the_series_asks_each_part_of_the_economy_its_own_dataset_before_2021(eurostat: EurostatServer) -> None:
    from lshcli.store import Store
    from tests.conftest import invoke
    from tests.eurostat_server import SECTIONS

    args = ["fetch", "--table", "sbs", "-d", "topsector", "-d", "pwc2017", "--country", "NL,BE", "--from", "2019"]
    fetched = invoke([*args, "--to", "2022"])
    assert fetched.exit_code == 0, fetched.output
    asked = {dataset: query for dataset, query in eurostat.asked}
    assert set(asked) == {"sbs_ovw_act", "sbs_na_ind_r2", "sbs_na_dt_r2", "sbs_na_1a_se_r2"}
    for dataset, sections in SECTIONS.items():  # each asked only for its own sections, in its own years
        assert {code[:1] for code in asked[dataset]["nace_r2"]} <= set(sections), dataset
        assert (asked[dataset]["sinceTimePeriod"], asked[dataset]["untilTimePeriod"]) == (["2019"], ["2020"])
        assert "V16110" in asked[dataset]["indic_sb"] and "indic_sbs" not in asked[dataset]
    assert "B-N_S95_X_K" in asked["sbs_ovw_act"]["nace_r2"]
    assert (asked["sbs_ovw_act"]["sinceTimePeriod"], asked["sbs_ovw_act"]["untilTimePeriod"]) == (["2021"], ["2022"])
    store = Store(Path(os.environ["LSH_STORE"]), snapshot=False)
    for (nace, indicator, country, year), served in eurostat.legacy.items():
        if indicator != "V16110" or country not in ("NL", "BE") or year not in (2019, 2020):
            continue
        dataset = next(d for d, sections in SECTIONS.items() if nace[:1] in sections)
        [cell] = store.foreign(dataset, "persons_employed", [country], [nace], year)
        if served == "C":
            assert cell.value is None and cell.confidential == "C"
        else:
            value, flags = served if isinstance(served, tuple) else (served, "")
            assert cell.value == value and "".join(cell.flags) == flags
    assert store.foreign("sbs_na_ind_r2", "persons_employed", ["NL"], ["G4646"], 2020) == []  # trade is not industry


def test_a_benchmark_before_2021_reads_the_dataset_of_each_class_and_has_no_share(eurostat: EurostatServer) -> None:
    import json

    from tests.conftest import invoke

    result = invoke(["benchmark", "topsector", "--country", "NL,BE", "--year", "2019", "-f", "json"])
    assert result.exit_code == 0, result.output
    for row in json.loads(result.stdout):
        low, high = _expected(eurostat.legacy, row["country"], 2019, "V16110")
        assert row["value_low"] == pytest.approx(low) and row["value_high"] == pytest.approx(high), row["country"]
        assert row["dataset"] == "sbs_na_ind_r2, sbs_na_1a_se_r2" and row["share_of_economy_low"] is None
    told = invoke(["benchmark", "topsector", "--country", "NL,BE", "--year", "2019"], env={"COLUMNS": "200"})
    assert "give no total of the business economy for 2019, so no share and no rank" in told.stdout


def test_a_series_marks_the_2021_break_once_per_country(eurostat: EurostatServer) -> None:
    import csv
    import io
    import json

    from tests.conftest import invoke

    args = ["benchmark", "topsector", "--country", "NL,BE", "--from", "2019", "--to", "2022"]
    rows = json.loads(invoke([*args, "-f", "json"]).stdout)
    assert sorted((r["country"], r["year"]) for r in rows) == [(c, y) for c in ("BE", "NL") for y in range(2019, 2023)]
    assert {(r["country"], r["year"]) for r in rows if r["break"]} == {("NL", 2021), ("BE", 2021)}
    for r in rows:
        served, indicator = (eurostat.legacy, "V16110") if r["year"] < 2021 else (eurostat.invented, "EMP_NR")
        assert r["value_low"] == pytest.approx(_expected(served, r["country"], r["year"], indicator)[0])
    table = list(csv.DictReader(io.StringIO(invoke([*args, "-f", "csv"]).stdout)))
    assert [r["break"] for r in table if r["country"] == "NL"] == ["false", "false", "true", "false"]
    shown = invoke(args, env={"COLUMNS": "200"})
    assert "│ 2021 b │" in shown.stdout and "b break in series" in shown.stdout
    assert "topsector's series breaks in 2021" in shown.stdout
    single = json.loads(invoke(["benchmark", "topsector", "--country", "NL", "--year", "2021", "-f", "json"]).stdout)
    assert single[0].get("break") is None  # one year is no series


def test_the_largest_difference_is_between_the_served_shares(eurostat: EurostatServer) -> None:
    from tests.conftest import invoke

    shares = {}
    for country in ("NL", "BE"):
        low, high = _expected(eurostat.invented, country, 2022)
        economy = eurostat.invented[("B-N_S95_X_K", "EMP_NR", country, 2022)]
        assert isinstance(economy, float) and high is not None
        shares[country] = (100 * low / economy, 100 * high / economy)
    assert shares["BE"][0] > shares["NL"][1]  # the invented figures put BE surely above NL
    shown = invoke(["benchmark", "topsector", "--country", "NL,BE,IE", "--year", "2022"], env={"COLUMNS": "300"})
    assert (
        f"In 2022, topsector in NL holds {shares['NL'][0]:.2f}% to {shares['NL'][1]:.2f}% of its business economy "
        f"against {shares['BE'][0]:.1f}% to {shares['BE'][1]:.1f}% in BE: the largest difference among the 3 "
        "countries." in shown.stdout
    )
    dutch = invoke(["--lang", "nl", "benchmark", "topsector", "--country", "NL,BE", "--year", "2022"])
    assert "grootste verschil" in dutch.stdout


def test_count_from_eurostat_is_a_series_across_the_break_at_class_depth(eurostat: EurostatServer) -> None:
    import json

    from tests.conftest import invoke

    empty = invoke(["count", "topsector", "--source", "eurostat"])
    assert empty.exit_code == 2 and "lsh fetch --table sbs -d topsector --country NL" in empty.stderr
    assert eurostat.asked == []
    args = ["count", "topsector", "--source", "eurostat", "-m", "persons_employed", "--from", "2020", "--to", "2022"]
    rows = json.loads(invoke([*args, "-f", "json"]).stdout)
    assert [r["year"] for r in rows] == [2020, 2021, 2022]
    for r in rows:
        served, indicator = (eurostat.legacy, "V16110") if r["year"] < 2021 else (eurostat.invented, "EMP_NR")
        low, high = _expected(served, "NL", r["year"], indicator)
        assert (r["value_low"], r["value_high"]) == (pytest.approx(low), pytest.approx(high)), r["year"]
        assert r["measure"] == "eurostat_persons_employed"
    shown = invoke(args, env={"COLUMNS": "200"})
    assert "topsector's series breaks in 2021" in shown.stdout and "sbs_na_ind_r2" in shown.stdout
    fetched = invoke(
        ["fetch", "--table", "sbs", "-d", "topsector", "--country", "NL", "--from", "2021", "--to", "2022"]
    )
    assert fetched.exit_code == 0, fetched.output
    eurostat.asked.clear()
    held = json.loads(invoke(["count", "topsector", "--source", "eurostat", "-f", "json"]).stdout)
    assert eurostat.asked == [] and {r["year"] for r in held} == {2021, 2022}  # the store's years, nothing asked
    dutch = invoke(["--lang", "nl", "count", "topsector", "--source", "eurostat", "-m", "persons_employed"])
    assert "werkzame personen (Eurostat)" in dutch.stdout


def test_reconcile_sets_cbs_beside_eurostat_in_one_unit_with_the_reasons(eurostat: EurostatServer) -> None:
    import json

    import lshcli
    from lshcli.measures import get_measure
    from tests.conftest import invoke

    result = invoke(["reconcile", "--eurostat", "topsector", "--year", "2022", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["cbs_measure"]: r for r in json.loads(result.stdout)}
    book = lshcli.open()
    topsector = book.definition("topsector")
    held = [m for m in ("persons_employed_na", "jobs_total") if 2022 in book.book(topsector).years(get_measure(m))]
    assert sorted(rows) == sorted(held) and held  # the bundled figures of 2022 that Eurostat has a statistic for
    low, high = _expected(eurostat.invented, "NL", 2022)
    for name, row in rows.items():
        cbs = book.book(topsector).value(topsector, get_measure(name), 2022)
        assert cbs.interval is not None and cbs.interval.low is not None
        assert row["cbs_low"] == pytest.approx(cbs.interval.low * 1000)  # x 1 000 persons, in persons
        assert (row["eurostat_low"], row["eurostat_high"]) == (pytest.approx(low), pytest.approx(high))
        assert high is not None and row["difference_high"] == pytest.approx(high - cbs.interval.low * 1000)
        assert row["difference_low"] is None  # CBS's figure is open above
        assert "other_population" in row["reasons"] and row["unit"] == "persons"
    older = json.loads(invoke(["reconcile", "--eurostat", "topsector", "--year", "2019", "-f", "json"]).stdout)
    [jobs] = [r for r in older if r["cbs_measure"] == "employee_jobs"]
    assert jobs["eurostat_measure"] == "eurostat_employees"
    assert jobs["reasons"] == ["other_statistic", "other_period", "depth"]
    dutch = invoke(["--lang", "nl", "reconcile", "--eurostat", "topsector", "--year", "2022"], env={"COLUMNS": "200"})
    assert dutch.exit_code == 0 and "bedrijfsstatistieken" in dutch.stdout
    for wrong in (["reconcile", "--year", "2022"], ["reconcile", "--eurostat", "topsector", "-m", "nonsense"]):
        refused = invoke(wrong)
        assert refused.exit_code == 2 and refused.stderr.count("\n") <= 4, refused.output


@pytest.mark.slow
def test_a_report_holds_the_countries_and_can_be_made_from_eurostat(eurostat: EurostatServer, tmp_path: Path) -> None:
    from tests.conftest import invoke

    page = tmp_path / "report.md"
    args = ["report", "topsector", "pwc2017", "-o", str(page), "--country", "NL,BE", "--benchmark-year", "2022"]
    made = invoke(args)
    assert made.exit_code == 0, made.output
    text = page.read_text(encoding="utf-8")
    across = text[text.index("## Across countries (Eurostat)") : text.index("## Caveats")]
    low, high = _expected(eurostat.invented, "NL", 2022)
    assert high is not None and f"| NL | {low:,.0f} - {high:,.0f} |" in across
    assert "### pwc2017 by country: persons_employed, 2022" in across and "![" in across  # a chart each
    assert "| Eurostat dataset |" in text[text.index("## Provenance") :]
    assert "firms in 2016" in text  # the CBS report is as it was
    eurostat.asked.clear()
    made = invoke(["report", "topsector", "pwc2017", "-o", str(page), "--source", "eurostat", "-m", "persons_employed"])
    assert made.exit_code == 2 and "give --year" in made.stderr and eurostat.asked == []
    args = ["report", "topsector", "pwc2017", "-o", str(page), "--source", "eurostat", "-m", "persons_employed"]
    made = invoke([*args, "--year", "2022"])
    assert made.exit_code == 0, made.output
    text = page.read_text(encoding="utf-8")
    assert "from Eurostat's structural business statistics for the Netherlands" in text
    assert f"| topsector | {low:,.0f} - {high:,.0f} |" in text
    assert "--estimate" not in text  # CBS's firms cannot estimate Eurostat's statistic
    dutch = invoke(["--lang", "nl", *args, "--year", "2022", "--country", "NL"])
    assert dutch.exit_code == 0, dutch.output
    assert "Eurostat" in page.read_text(encoding="utf-8") and "per land" in page.read_text(encoding="utf-8")


def test_a_definition_of_sbi_2025_is_refused_not_mixed_into_nace_rev_2(eurostat: EurostatServer) -> None:
    from lshcli.benchmark import checked
    from tests.conftest import invoke

    assert {spec.classification for spec in DATASETS.values()} == {"sbi2008"}
    assert {spec.activity_dimension for spec in DATASETS.values()} == {"nace_r2"}
    for args in (
        ["benchmark", "topsector_sbi2025", "--year", "2022"],
        [
            "compare",
            "topsector_sbi2025",
            "pwc2017_sbi2025",
            "--source",
            "eurostat",
            "--year",
            "2022",
            "-m",
            "employees",
        ],
        ["count", "topsector_sbi2025", "--source", "eurostat", "--year", "2022"],
        ["reconcile", "--eurostat", "topsector_sbi2025", "--year", "2022"],
        ["fetch", "--table", "sbs", "-d", "topsector_sbi2025", "--country", "NL"],
    ):
        refused = invoke(args)
        assert refused.exit_code == 2 and "NACE Rev. 2.1" in refused.stderr, (args, refused.output)
    mixed = invoke(["compare", "topsector", "topsector_sbi2025", "--source", "eurostat", "--year", "2022"])
    assert mixed.exit_code == 2
    assert eurostat.asked == []
    import lshcli

    with pytest.raises(Exception, match="NACE Rev. 2.1"):
        checked(lshcli.open().definition("topsector_sbi2025"), load("sbi2008"), 2022)


def test_the_readmes_reconcile_example_is_what_lsh_prints_at_80_columns(eurostat: EurostatServer) -> None:
    from tests.conftest import invoke
    from tests.test_cli import _readme_blocks

    args = ["reconcile", "--eurostat", "topsector", "--year", "2019", "-m", "employee_jobs"]
    shown = invoke(args, env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert shown.exit_code == 0, shown.output
    assert shown.stdout in _readme_blocks()
