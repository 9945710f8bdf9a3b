"""Numbers an analyst quotes: each expectation here is computed from the bundled figures themselves (the reference
list and the snapshot), never copied from what lsh prints."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import invoke

DATA = Path(__file__).parent.parent / "src" / "lshcli" / "data"


def rows(name: str) -> dict[str, dict[str, str]]:
    """A bundled CSV file by reference id."""
    text = (DATA / name).read_text(encoding="utf-8")
    return {r["ref"]: r for r in csv.DictReader(io.StringIO(text))}


def reconciled(*refs: str, lang: str = "en") -> dict[str, dict]:  # type: ignore[type-arg]
    args = ["reconcile", "-f", "json", "--lang", lang, *(x for r in refs for x in ("--ref", r))]
    result = invoke(args)
    assert result.exit_code == 0, result.stderr
    return {d["ref"]: d for d in json.loads(result.stdout)}


def test_a_total_that_contradicts_its_own_parts_is_named_as_such() -> None:
    reference = rows("reference.csv")
    total = reference["F017"]
    codes = set(total["sbi"].split("+"))
    # the same publication's figures for the parts: same basis and period, codes inside the total's
    parts = [
        r
        for ref, r in reference.items()
        if ref != "F017"
        and r["basis"] == total["basis"]
        and r["period"] == total["period"]
        and r["measure"] == total["measure"]
        and set(r["sbi"].split("+")) < codes
    ]
    assert set().union(*(set(p["sbi"].split("+")) for p in parts)) == codes
    low = sum(float(p["value_low"]) for p in parts)
    high = sum(float(p["value_high"]) for p in parts)
    assert float(total["value_high"]) < low  # the publication's total lies below what its own parts add up to
    data = reconciled("F017")["F017"]  # picked alone: its parts are still known
    assert data["reason"] == "parts-disagree"
    refs = ", ".join(sorted(p["ref"] for p in parts))
    assert (
        f"its own figures for the parts ({refs}) add up to {low:,.0f} to {high:,.0f}, not 3,075" in data["most_likely"]
    )
    dutch = reconciled("F017", lang="nl")["F017"]
    assert dutch["reason"] == "parts-disagree" and "spreekt zichzelf tegen" in dutch["most_likely"]


@pytest.mark.parametrize("ref", ["F014", "F016"])
def test_a_value_derived_from_a_contradicted_total_says_so_and_names_its_figures(ref: str) -> None:
    snapshot = rows("snapshot.csv")
    figure = snapshot[ref]
    codes = set(figure["sbi"].split("+"))
    total = snapshot["F017"]
    # the others of the total's codes that are published on their own in 2016 (the first quarter for 81589NED)
    others = [
        r
        for k, r in snapshot.items()
        if k not in (ref, "F017")
        and r["measure"] == "firms"
        and r["period"] in ("2016", "2016Q1")
        and set(r["sbi"].split("+")) <= set(total["sbi"].split("+")) - codes
        and r["value_low"] == r["value_high"]
    ]
    expected = float(total["value_low"]) - sum(float(r["value_low"]) for r in others)
    data = reconciled(ref)[ref]
    assert data["computed"] == expected
    assert data["reason"] == "from-disagreeing-total" and data["most_likely"].startswith("derived from F017")
    assert {u["ref"] for u in data["used"]} == {"F017", *(r["ref"] for r in others)}
    assert not any(r.startswith("other codes") for r in data["reasons"])


@pytest.mark.parametrize("ref", ["F070", "F077", "F078"])
def test_figures_that_agree_within_their_rounding_say_that_first(ref: str) -> None:
    figure = rows("reference.csv")[ref]
    data = reconciled(ref)[ref]
    published = float(figure["value_low"])
    step = 1000.0  # each is a whole number of thousands: 13,000, -4,000, 12,000
    assert published % step == 0 and abs(published - data["computed"]) <= step / 2
    assert data["reason"] == "rounding"


def test_national_accounts_jobs_are_a_measure_of_their_own() -> None:
    snapshot = rows("snapshot.csv")
    na = {
        r["period"]: float(r["value_low"])
        for r in snapshot.values()
        if r["measure"] == "jobs_total" and r["sbi"] == "21"
    }
    economy = {
        r["period"]: float(r["value_low"])
        for r in snapshot.values()
        if r["measure"] == "jobs_total" and r["sbi"] == "A-U"
    }
    result = invoke(["count", "pwc2019", "-m", "jobs_total", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = {r["year"]: r for r in json.loads(result.stdout)}
    assert {str(y): r["value"] for y, r in data.items()} == na
    latest = max(set(na) & set(economy))
    share = 100 * na[latest] / economy[latest]
    assert data[int(latest)]["share_of_economy_low"] == pytest.approx(share)
    december = {
        r["period"]: float(r["value_low"])
        for r in snapshot.values()
        if r["measure"] == "employee_jobs" and r["sbi"] == "21"
    }
    employee = json.loads(invoke(["count", "pwc2019", "-m", "employee_jobs", "--year", "2016", "-f", "json"]).stdout)
    assert employee[0]["value"] == december["2016"] != na["2016"]  # the two statistics are kept apart


def test_a_change_of_cbs_table_is_told_as_a_break_not_growth() -> None:
    snapshot = rows("snapshot.csv")
    tables = {
        r["period"]: r["cbs_table"] for r in snapshot.values() if r["measure"] == "jobs_total" and r["sbi"] == "21"
    }
    assert tables["2022"] != tables["2023"]
    told = " ".join(invoke(["count", "pwc2019", "-m", "jobs_total"]).stdout.split())
    assert f"2022 to 2023 ({tables['2022']} to {tables['2023']})" in told
    assert "a year on average" not in told  # no growth rate across tables
    dutch = " ".join(invoke(["count", "pwc2019", "-m", "jobs_total", "--lang", "nl"]).stdout.split())
    assert "trendbreuk" in dutch and "per jaar gemiddeld" not in dutch


def test_no_citation_calls_the_desk_study_a_seed_document() -> None:
    for name in ("snapshot.csv", "reference.csv"):
        assert "seed document" not in (DATA / name).read_text(encoding="utf-8")
    printed = invoke(["compare", "topsector", "pwc2017"]).stdout
    assert "seed document" not in printed and "Ministry of Economic Affairs" in " ".join(printed.split())


def test_under_250_is_all_firms_minus_the_published_250_or_more() -> None:
    snapshot = rows("snapshot.csv")
    parts = [r for r in snapshot.values() if r["ref"] in ("F001", "F002", "F014", "F016")]  # the topsector's 2016
    whole = sum(float(r["value_low"]) for r in parts)
    large = float(snapshot["F019"]["value_low"])  # the Monitor's 25 firms with 250 or more persons
    data = json.loads(invoke(["sizes", "topsector", "--year", "2016", "-f", "json"]).stdout)
    group = next(g for g in data["groups"] if g["label"] == "under 250 persons")
    assert group["value"] == whole - large


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_a_suppressed_firm_count_is_the_sum_of_its_published_size_classes(
    monkeypatch: pytest.MonkeyPatch, write_definition: Callable[[str, str], Path]
) -> None:
    """Invented figures: the local CBS hides 21.10's firm count in every first quarter, but serves its classes."""
    from tests.cbs_server import SIZES, firms_table, serve

    table = firms_table(secret=("21.10",))
    titles = {r["Key"]: r["Title"] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]}
    row = next(
        r
        for r in table.rows
        if titles[r["BedrijfstakkenBranchesSBI2008"]].startswith("2110 ") and r["Perioden"] == "2016KW01"
    )
    assert row["TotaalBedrijven_1"] is None
    classes = sum(row[f"{key}_{i + 2}"] for i, (key, _, _) in enumerate(SIZES))
    with serve([table]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        assert invoke(["fetch", "--sbi", "21.10", "--year", "2016"]).exit_code == 0
        mine = write_definition("basic", "title: basic pharmaceuticals\ncodes: ['21.10']\n")
        result = invoke(["count", str(mine), "-m", "firms", "--year", "2016", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)[0]
    assert data["value"] == classes
    assert any("sum of its 8 published size classes" in (u["basis"] or "") for u in data["used"])


def test_a_wide_interval_says_what_bounds_it_and_what_is_known() -> None:
    snapshot = rows("snapshot.csv")
    jobs = {
        r["sbi"]: float(r["value_low"])
        for r in snapshot.values()
        if r["measure"] == "employee_jobs" and r["period"] == "2019"
    }
    known, high = jobs["21"], sum(jobs[d] for d in ("21", "26", "32", "72"))  # topsector: 21.10+21.20 and all of three
    told = " ".join(
        invoke(
            ["compare", "topsector", "pwc2017", "-m", "jobs", "--year", "2019"], env={"COLUMNS": "200"}
        ).stdout.split()
    )
    assert (
        f"In 2019, what is known of topsector is {known:g} x 1 000 jobs (21); its interval runs to {high:g} x 1 000 "
        "jobs only because 26.60, 32.50, 72.11.2 and 72.19.3 are published only within all of 26, 32 and 72."
    ) in told
    assert "'lsh fetch --measure firms --definition topsector --sbi 26 --sbi 32 --sbi 72' stores what it needs" in told
    dutch = " ".join(
        invoke(["compare", "topsector", "pwc2017", "-m", "jobs", "--year", "2019", "--lang", "nl"]).stdout.split()
    )
    assert "In 2019 is van topsector zeker" in dutch


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_a_report_leads_with_what_is_known(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    result = invoke(
        ["report", "topsector", "pwc2017", "pwc2019", "-m", "jobs", "--from", "2018", "--to", "2019", "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    summary = target.read_text(encoding="utf-8").split("## Summary", 1)[1].split("\n## ", 1)[0]
    items = [line for line in summary.splitlines() if line.startswith("- ")]
    division = next(
        r
        for r in rows("snapshot.csv").values()
        if r["measure"] == "employee_jobs" and r["sbi"] == "21" and r["period"] == "2019"
    )
    value = float(division["value_low"])
    assert items[0] == f"- In 2019, pwc2019 counts {value:g} x 1 000 jobs."  # the one value known, before any interval
    assert not any(item.startswith("- In 2019, topsector holds between") for item in items)
