"""The exact-cover rule on tiny invented data."""

from __future__ import annotations

from lshcli.cover import FigureSet
from lshcli.measures import MEASURES
from lshcli.model import Value, format_value
from lshcli.output.words import Words
from lshcli.sbi import load as classification
from tests.conftest import obs

FIRMS = MEASURES["firms"]


def cover(observations, *codes: str):  # type: ignore[no-untyped-def]
    sbi = classification()
    leaves = frozenset().union(*(sbi.leaves(c) for c in codes))
    return FigureSet(FIRMS, 2016, observations, sbi).cover(leaves, codes)


def test_finest_figures_first_and_parent_child_counted_once() -> None:
    data = [
        obs("firms", "46.46", "2016Q1", 100),
        obs("firms", "46.46.1", "2016Q1", 30),
        obs("firms", "46.46.2", "2016Q1", 60),
    ]
    result = cover(data, "46.46", "46.46.1")
    assert result.available
    assert result.value == Value(90, 90)
    assert [o.sbi_label for o in result.used] == ["46.46.1", "46.46.2"]


def test_aggregates_are_allowed_when_nothing_finer_exists() -> None:
    data = [obs("firms", "21.10", "2016Q1", 30), obs("firms", "26.60+32.50", "2016", 1000)]
    result = cover(data, "21.10", "26.60", "32.50")
    assert result.value == Value(1030, 1030)


def test_only_a_parent_figure_means_not_available_never_the_parents_value() -> None:
    data = [obs("firms", "26", "2016Q1", 500)]
    result = cover(data, "26.60")
    assert not result.available
    assert result.value is None
    [missing] = result.missing
    assert missing.codes == ("26.60",) and missing.reason == "within-wider"
    assert missing.wider[0].sbi_label == "26"
    assert "only published within 26" in Words().missing(missing, "firms")


def test_no_figure_at_all_is_not_a_zero() -> None:
    result = cover([obs("firms", "21.10", "2016Q1", 30)], "21.10", "21.20")
    assert result.value is None
    assert [o.ref for o in result.used] == ["T"]  # the part that is known, never summed into a value
    assert result.missing[0].codes == ("21.20",) and result.missing[0].reason == "no-figure"


def test_a_secret_cell_is_missing_not_zero() -> None:
    result = cover([obs("firms", "21.10", "2016Q1", None), obs("firms", "21.20", "2016Q1", 5)], "21")
    assert result.value is None
    assert [m.reason for m in result.missing] == ["cell-missing"]


def test_overlapping_aggregates_need_backtracking() -> None:
    # Greedy finest-first would take 21.10+21.20 and then be stuck; the exact cover uses 21.10 + 21.20+26.60.
    data = [
        obs("firms", "21.10", "2016Q1", 1),
        obs("firms", "21.20+26.60", "2016Q1", 10),
        obs("firms", "21.10+21.20", "2016Q1", 4),
    ]
    result = cover(data, "21.10", "21.20", "26.60")
    assert result.value == Value(11, 11)


def test_ranges_add_bound_by_bound() -> None:
    data = [obs("firms", "21.10+21.20", "2016", 180, 200), obs("firms", "26.60", "2016", 10)]
    result = cover(data, "21", "26.60")
    assert result.value == Value(190, 210)
    assert format_value(result.value) == "190 to 210"


def test_first_quarter_wins_over_an_annual_figure_and_other_quarters_are_ignored() -> None:
    data = [obs("firms", "21.10", "2016", 7), obs("firms", "21.10", "2016Q1", 8), obs("firms", "21.10", "2016Q3", 9)]
    assert cover(data, "21.10").value == Value(8, 8)


def test_value_arithmetic_keeps_ranges_honest() -> None:
    assert Value(10, 12) - Value(1, 2) == Value(8, 11)
    assert format_value(None) == "not available"
    assert format_value(Value(2090, 2090)) == "2,090"
