"""compare and count on the bundled snapshot (real published figures) and on invented data."""

from __future__ import annotations

import pytest

from lshcli.compare import compare, count, default_year
from lshcli.definitions import DefinitionLibrary
from lshcli.errors import NotAvailableError
from lshcli.measures import MEASURES, Value
from lshcli.store import Store
from tests.conftest import obs

FIRMS, JOBS = MEASURES["firms"], MEASURES["employee_jobs"]


@pytest.fixture
def lib() -> DefinitionLibrary:
    return DefinitionLibrary()


def test_headline_gap_on_the_bundled_snapshot(lib: DefinitionLibrary, empty_store: Store) -> None:
    c = compare(lib.get("topsector"), lib.get("pwc2017"), FIRMS, 2016, empty_store)
    assert c.total_a.value == Value(3105, 3105)
    assert sorted(o.ref or "" for o in c.total_a.used) == ["F001", "F002", "F014", "F016"]
    assert c.total_b.value is None
    assert c.difference is None
    wholesale = next(r for r in c.rows if r.code == "46.46")
    assert wholesale.part == "only_b"
    assert wholesale.coverage.value == Value(2090, 2090)
    assert wholesale.pct_of_a == pytest.approx(67.31, abs=0.01)
    merged = next(r for r in c.rows if r.part == "only_a" and r.coverage.value is not None)
    assert merged.code == "26.60+32.50" and merged.coverage.value == Value(1940, 1940)
    text = " ".join(c.explanation)
    assert "46.46" in text and "adds 2,090 firms, 67% of topsector's 3,105" in text
    assert "The gap cannot be computed" in text and "72.11.2+72.19.3 (965 firms)" in text
    assert "3,075" in text  # the published whole-set figure is shown beside the sum of parts


def test_complete_totals_give_difference_and_shares(lib: DefinitionLibrary, empty_store: Store) -> None:
    c = compare(lib.get("pwc2019"), lib.get("topsector"), FIRMS, 2016, empty_store)
    assert c.total_a.value == Value(200, 200)
    assert c.difference == Value(2905, 2905)
    shares = [r.share_of_gap for r in c.rows if r.part == "only_b"]
    assert sum(shares) == pytest.approx(100.0)  # type: ignore[arg-type]


def test_jobs_are_coarser_than_the_topsector(lib: DefinitionLibrary, empty_store: Store) -> None:
    c = compare(lib.get("pwc2019"), lib.get("topsector"), JOBS, 2016, empty_store)
    assert c.total_a.value == Value(12.9, 12.9)
    assert c.total_a.status == "definitive"
    assert c.total_b.value is None
    text = " ".join(c.explanation)
    assert "only published within 26 (24.5 x 1 000 jobs)" in text
    assert "coarser than the definitions" in text


def test_default_year_is_the_latest_comparable(lib: DefinitionLibrary, empty_store: Store) -> None:
    year, why = default_year(lib.get("topsector"), lib.get("pwc2017"), FIRMS, empty_store)
    assert year == 2016 and "2016" in why
    year, why = default_year(lib.get("pwc2019"), lib.get("topsector"), FIRMS, empty_store)
    assert year == 2016 and "complete" in why
    assert default_year(lib.get("pwc2019"), lib.get("pwc2019"), JOBS, empty_store)[0] == 2019


def test_no_common_year_is_an_error(lib: DefinitionLibrary, empty_store: Store) -> None:
    with pytest.raises(NotAvailableError, match="no year holds"):
        default_year(lib.get("topsector"), lib.get("pwc2017"), MEASURES["firms_250_plus"], empty_store)


def test_count_marks_provisional_years(lib: DefinitionLibrary, empty_store: Store) -> None:
    results = dict(count(lib.get("pwc2019"), JOBS, [2017, 2018, 2019], empty_store))
    assert results[2017].status == "definitive"
    assert results[2018].status == "revised provisional"
    assert results[2019].status == "provisional"
    assert results[2019].value == Value(13.88, 13.88)


def test_live_rows_win_over_the_snapshot(lib: DefinitionLibrary, empty_store: Store) -> None:
    from dataclasses import replace

    from lshcli.store import Source

    live = replace(obs("firms", "46.46", "2016Q1", 2100, ref="cbs"), source=Source("cbs", "CBS StatLine", "81589NED"))
    empty_store.add([live])
    c = compare(lib.get("topsector"), lib.get("pwc2017"), FIRMS, 2016, empty_store)
    wholesale = next(r for r in c.rows if r.code == "46.46")
    assert wholesale.coverage.value == Value(2100, 2100)
    assert wholesale.coverage.sources == ["CBS 81589NED cbs"]
