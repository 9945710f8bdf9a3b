"""CBS against Eurostat for the same definition and year (`lsh reconcile --eurostat DEF`): each of CBS's measures
beside the Eurostat statistic nearest to it, in one unit, with the difference and why the two differ.

The two sources rarely count the same thing. Eurostat's Dutch structural business statistics are compiled by CBS,
so where CBS publishes the same statistic (persons employed and turnover, CBS 81156ned) a difference is a revision
or CBS's rounding to thousands. Elsewhere they differ by design: a firm on 1 January is not an enterprise active
during the year, an employee job in December is not an employee over the year, and the national accounts count
every producer of an activity where the business statistics count its enterprises (and value added at basic
prices is not value added at factor cost). Each pairing carries those reasons as data; the words are made at the
edge (`lshcli.output.words`).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from msgspec import Struct

from lshcli.cover import Coverage
from lshcli.definitions import Definition
from lshcli.measures import Measure


class Why(Enum):
    """Why CBS's figure and Eurostat's differ."""

    SAME_STATISTIC = "same statistic"
    """Eurostat's Dutch figure is CBS's own: a difference is a revision or rounding."""
    OTHER_STATISTIC = "other statistic"
    """They count different things (jobs and persons, value added at basic prices and at factor cost)."""
    OTHER_PERIOD = "other period"
    """One is a stock on a day, the other an average or a count over the year."""
    OTHER_POPULATION = "other population"
    """The national accounts count every producer of an activity; the business statistics its enterprises."""
    ROUNDING = "rounding"
    """CBS publishes the figure rounded (to thousands): the two agree within it."""
    DEPTH = "depth"
    """CBS publishes the measure only for wider codes, so its value is an interval where Eurostat's is narrower."""


class Pairing(Struct, frozen=True):
    """A CBS measure and the Eurostat statistic nearest to it, the factor that brings CBS's unit to Eurostat's,
    and the reasons they differ by design."""

    cbs: str
    eurostat: str
    scale: float
    reasons: tuple[Why, ...]


PAIRINGS = (
    Pairing("firms", "enterprises", 1, (Why.OTHER_PERIOD,)),
    Pairing("persons_employed", "persons_employed", 1000, (Why.SAME_STATISTIC,)),
    Pairing("employee_jobs", "employees", 1000, (Why.OTHER_STATISTIC, Why.OTHER_PERIOD)),
    Pairing("persons_employed_na", "persons_employed", 1000, (Why.OTHER_POPULATION,)),
    Pairing("jobs_total", "persons_employed", 1000, (Why.OTHER_STATISTIC, Why.OTHER_POPULATION)),
    Pairing("turnover", "turnover", 1, (Why.SAME_STATISTIC,)),
    Pairing("value_added", "value_added", 1, (Why.OTHER_STATISTIC, Why.OTHER_POPULATION)),
)
"""Each CBS measure lsh totals that Eurostat's SBS have a statistic for, with the reasons they differ by design."""


def sides(coverage: Coverage) -> tuple[float | None, float | None]:
    """A coverage's value as its two sides: a point twice, an interval's sides (None where open), or nothing."""
    if coverage.value is not None:
        return coverage.value.low, coverage.value.high
    if coverage.interval is not None:
        return coverage.interval.low, coverage.interval.high
    return None, None


class SourcePair(Struct, frozen=True):
    """A definition's value in one year from CBS and from Eurostat, in Eurostat's unit, with the difference
    (Eurostat minus CBS) and why they differ."""

    definition: Definition
    year: int
    cbs: Measure
    eurostat: Measure
    scale: float
    cbs_value: Coverage
    eurostat_value: Coverage
    reasons: tuple[Why, ...]

    @property
    def cbs_sides(self) -> tuple[float | None, float | None]:
        low, high = sides(self.cbs_value)
        return (
            low * self.scale if low is not None else None,
            high * self.scale if high is not None else None,
        )

    @property
    def difference(self) -> tuple[float | None, float | None]:
        """Eurostat's value minus CBS's, as the interval the two values allow (None where a side is unknown)."""
        c_low, c_high = self.cbs_sides
        e_low, e_high = sides(self.eurostat_value)
        low = e_low - c_high if e_low is not None and c_high is not None else None
        high = e_high - c_low if e_high is not None and c_low is not None else None
        return low, high


def reasons(pairing: Pairing, cbs: Coverage, eurostat: Coverage, scale: float, unit: str) -> tuple[Why, ...]:
    """A pairing's reasons by design, and those its values show: CBS's rounding where a rounded figure agrees
    within it, CBS's depth where its value is an interval wider than Eurostat's."""
    found = list(pairing.reasons)
    c_low, c_high = sides(cbs)
    e_low, e_high = sides(eurostat)
    if cbs.interval is not None and e_low is not None and _width(e_low, e_high) < _width(c_low, c_high) * scale:
        found.append(Why.DEPTH)
    rounded = scale > 1 and unit.startswith("x 1 000")
    if rounded and None not in (c_low, c_high, e_low, e_high) and c_low == c_high and e_low == e_high:
        assert c_low is not None and e_low is not None
        if abs(e_low - c_low * scale) <= scale / 2:
            found.append(Why.ROUNDING)
    return tuple(found)


def _width(low: float | None, high: float | None) -> float:
    """An interval's width (infinite where a side is open)."""
    return high - low if low is not None and high is not None else float("inf")


def pairs_for(measures: Sequence[str]) -> list[Pairing]:
    """The pairings of some CBS measures (all where none are named)."""
    return [p for p in PAIRINGS if not measures or p.cbs in measures]
