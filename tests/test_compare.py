"""compare, the values by year and the one default-year rule, on invented figures in a store without the snapshot.

Every figure here is invented; the real published figures are checked through the command line, against
the expected files.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from lshcli.compare import Part, compare
from lshcli.cover import figures_behind
from lshcli.definitions import DefinitionLibrary
from lshcli.errors import NotAvailableError
from lshcli.explain import BoundedGap, OnlyIn, PublishedTotal, Totals, comparison_notes
from lshcli.measures import MEASURES
from lshcli.model import Reading, Source, Value
from lshcli.output.words import Words
from lshcli.query import Figurebook, YearBasis
from lshcli.sbi import load
from lshcli.store import Store
from tests.conftest import obs

FIRMS, JOBS = MEASURES["firms"], MEASURES["employee_jobs"]


@pytest.fixture
def lib() -> DefinitionLibrary:
    return DefinitionLibrary(load())


def invented(store: Store, year: int = 2016) -> Figurebook:
    """The topsector's and pwc2017's codes with invented firm counts; 72.11.2 and 72.19.3 only together."""
    q = f"{year}Q1"
    store.add(
        [
            obs("firms", "21.10", q, 10, ref="A"),
            obs("firms", "21.20", q, 20, ref="B"),
            obs("firms", "26.60+32.50", q, 300, ref="C"),
            obs("firms", "72.11.2+72.19.3", q, 40, ref="D"),
            obs("firms", "46.46", q, 500, ref="E"),
            obs("firms", "21.10+21.20+26.60+32.50+72.11.2+72.19.3", q, 369, ref="F"),
        ]
    )
    return Figurebook(store, load())


def test_the_store_without_the_snapshot_is_empty(blank_store: Store) -> None:
    assert blank_store.observations() == []
    assert blank_store.holdings() == []


def test_a_gap_the_figures_only_bound_names_the_codes_only_published_together(
    lib: DefinitionLibrary, blank_store: Store
) -> None:
    book = invented(blank_store)
    c = compare(book, lib.get("topsector"), lib.get("pwc2017"), FIRMS, 2016)
    assert c.total_a.value == Value(370, 370)
    assert sorted(o.ref or "" for o in c.total_a.used) == ["A", "B", "C", "D"]
    assert c.total_b.value is None and c.difference is None
    assert c.total_b.interval is not None and c.difference_bound is not None  # bounded instead (see test_bounds)
    wholesale = next(r for r in c.rows if r.code == "46.46")
    assert wholesale.part is Part.ONLY_B
    assert wholesale.coverage.value == Value(500, 500)
    assert wholesale.pct_of_a == pytest.approx(500 / 370 * 100)
    merged = next(r for r in c.rows if r.part is Part.ONLY_A and r.coverage.value is not None)
    assert merged.code == "26.60+32.50"
    notes = comparison_notes(c)
    gap = next(n for n in notes if isinstance(n, BoundedGap))
    [group] = gap.groups
    assert group.wider is not None and group.wider.sbi_label == "72.11.2+72.19.3"
    assert dict(group.codes) == {"72.11.2": Part.SHARED, "72.19.3": Part.ONLY_A}
    published = next(n for n in notes if isinstance(n, PublishedTotal))
    assert not published.agrees and published.computed == Value(370, 370)
    text = " ".join(Words().notes(notes))
    assert "adds 500 firms, 135.1% of topsector's 370" in text
    assert "72.11.2+72.19.3 (40 firms)" in text
    assert "lsh fetch" not in text  # the core's sentences carry no command-line hints


def test_complete_totals_give_difference_and_shares(lib: DefinitionLibrary, blank_store: Store) -> None:
    c = compare(invented(blank_store), lib.get("pwc2019"), lib.get("topsector"), FIRMS, 2016)
    assert c.total_a.value == Value(30, 30)
    assert c.difference == Value(340, 340)
    assert sum(r.share_of_gap or 0 for r in c.rows if r.part is Part.ONLY_B) == pytest.approx(100.0)
    [totals] = [n for n in comparison_notes(c) if isinstance(n, Totals)]
    assert totals.difference == Value(340, 340)
    assert [n.code for n in comparison_notes(c) if isinstance(n, OnlyIn)] == ["26.60+32.50", "72.11.2+72.19.3"]


def test_only_a_wider_figure_is_never_read_for_a_code(lib: DefinitionLibrary, blank_store: Store) -> None:
    blank_store.add(
        [replace(obs("employee_jobs", code, "2016", 5.0), unit="x 1 000 jobs") for code in ("21", "46.46", "72")]
    )
    c = compare(Figurebook(blank_store, load()), lib.get("pwc2019"), lib.get("pwc2017"), JOBS, 2016)
    assert c.total_a.value == Value(5, 5)
    assert c.total_b.value is None and c.difference is None
    [missing] = c.total_b.missing
    assert missing.coarser and missing.codes == ("72.11.2",) and missing.wider[0].sbi_label == "72"


def test_one_default_year_rule(lib: DefinitionLibrary, blank_store: Store) -> None:
    invented(blank_store, 2015)
    book = invented(blank_store, 2016)
    blank_store.add([obs("firms", "21.10", "2017Q1", 11), obs("firms", "21.20", "2017Q1", 21)])
    choice = book.pick_year([lib.get("pwc2019"), lib.get("topsector")], FIRMS)
    assert (choice.year, choice.basis) == (2016, YearBasis.COMPLETE)
    assert book.pick_year([lib.get("pwc2019")], FIRMS).year == 2017
    choice = book.pick_year([lib.get("topsector"), lib.get("pwc2017")], FIRMS)
    assert (choice.year, choice.basis) == (2017, YearBasis.PARTIAL)
    assert "2017" in Words().year_choice(choice)


def test_no_common_year_is_an_error(lib: DefinitionLibrary, blank_store: Store) -> None:
    with pytest.raises(NotAvailableError, match="no year holds"):
        Figurebook(blank_store, load()).pick_year([lib.get("topsector"), lib.get("pwc2017")], FIRMS)


def test_values_by_year_mark_provisional_years(lib: DefinitionLibrary, blank_store: Store) -> None:
    blank_store.add(
        [
            obs("employee_jobs", "21", str(year), 10 + i, status=status)
            for i, (year, status) in enumerate(
                [(2017, "definitive"), (2018, "revised provisional"), (2019, "provisional")]
            )
        ]
    )
    results = dict(Figurebook(blank_store, load()).values_by_year(lib.get("pwc2019"), JOBS, [2017, 2018, 2019]))
    assert results[2017].status == "definitive"
    assert results[2018].status == "revised provisional"
    assert results[2019].provisional and results[2019].value == Value(12, 12)


def test_live_rows_win_over_the_snapshot(lib: DefinitionLibrary, blank_store: Store) -> None:
    book = invented(blank_store)
    live = replace(obs("firms", "46.46", "2016Q1", 510, ref="cbs"), source=Source("cbs", "CBS StatLine", "81589NED"))
    blank_store.add([live])
    c = compare(book, lib.get("topsector"), lib.get("pwc2017"), FIRMS, 2016)
    wholesale = next(r for r in c.rows if r.code == "46.46")
    assert wholesale.coverage.value == Value(510, 510)
    assert [o.cited for o in figures_behind([wholesale.coverage])] == ["CBS 81589NED cbs"]


def test_each_figure_is_read_once(lib: DefinitionLibrary, blank_store: Store) -> None:
    book = invented(blank_store)
    compare(book, lib.get("topsector"), lib.get("pwc2017"), FIRMS, 2016)
    reads = book.reads
    compare(book, lib.get("topsector"), lib.get("pwc2017"), FIRMS, 2016)
    compare(book.reading_as(Reading(quarter=1)), lib.get("pwc2017"), lib.get("topsector"), FIRMS, 2016)
    assert book.reads == reads  # the same codes and year: nothing read again
    book.values_by_year(lib.get("pwc2019"), FIRMS, [2016])
    assert book.reads == reads
