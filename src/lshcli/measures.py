"""The measures lsh can total: each with its unit, its period convention, and the size classes of firms."""

from __future__ import annotations

from msgspec import Struct

from lshcli.errors import UnknownMeasureError


class Measure(Struct, frozen=True):
    """A quantity lsh can total over a definition, with its unit and its period convention."""

    name: str
    label: str
    unit: str
    convention: str
    period_patterns: tuple[str, ...]
    quarterly: bool = False
    persons: tuple[int, int | None] | None = None  # a size class: persons employed from, to (None: open)
    source: str = "cbs"
    """Whose statistic it is: CBS's, or Eurostat's (valued from its class figures, never estimated from CBS's
    firms)."""

    def periods(self, year: int, quarter: int | None = None) -> tuple[str, ...]:
        """The stored periods that stand for `year`, preferred first; `quarter` picks another quarter."""
        if self.quarterly and quarter not in (None, 1):
            return (f"{year}Q{quarter}",)
        return tuple(p.format(year=year) for p in self.period_patterns)

    @property
    def estimable(self) -> bool:
        """Whether a code the data is too coarse for can be estimated from a wider figure (not for firm counts,
        which are the estimates' key, nor for Eurostat's statistics)."""
        return self.unit != "firms" and self.source == "cbs"

    def describe_period(self, quarter: int | None = None) -> str:
        """The period convention in words, for the note under every table."""
        if self.quarterly and quarter not in (None, 1):
            return f"{self.label} on the first day of quarter {quarter} of each year"
        return self.convention


FIRST_QUARTER = ("{year}Q1", "{year}")
YEARLY = ("{year}",)
SIZE_CLASSES = ((1, 1), (2, 2), (3, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, None))
OPEN_CLASS_WEIGHT = 200.0
"""Persons per firm assumed for the open top size class (100 or more) when firms are weighted by size."""


def size_measure_name(low: int, high: int | None) -> str:
    """firms_size_1, firms_size_3_4, firms_size_100_plus."""
    if high is None:
        return f"firms_size_{low}_plus"
    return f"firms_size_{low}" if low == high else f"firms_size_{low}_{high}"


def size_label(low: int, high: int | None) -> str:
    """'1 person', '3 to 4 persons', '100 or more persons'."""
    if high is None:
        return f"{low} or more persons"
    if low == high:
        return f"{low} person" if low == 1 else f"{low} persons"
    return f"{low} to {high} persons"


def class_weight(persons: tuple[int, int | None]) -> float:
    """Persons per firm in a size class: its midpoint, or OPEN_CLASS_WEIGHT for the open top class."""
    low, high = persons
    return OPEN_CLASS_WEIGHT if high is None else (low + high) / 2


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "firms",
            "firms",
            "firms",
            "firms on the first day of the quarter; a year means its first quarter (or an annual figure)",
            FIRST_QUARTER,
            quarterly=True,
        ),
        Measure(
            "firms_250_plus",
            "firms with 250 or more persons employed",
            "firms",
            "as published per year",
            FIRST_QUARTER,
            quarterly=True,
        ),
        *(
            Measure(
                f"firms_under_{bound}",
                f"firms with fewer than {bound} persons employed",
                "firms",
                "firms on the first day of the quarter, as published for the group; a year means its first quarter",
                FIRST_QUARTER,
                quarterly=True,
            )
            for bound in (50, 250)
        ),
        *(
            Measure(
                size_measure_name(low, high),
                f"firms with {size_label(low, high)} employed",
                "firms",
                "firms on the first day of the quarter, by persons employed; a year means its first quarter",
                FIRST_QUARTER,
                quarterly=True,
                persons=(low, high),
            )
            for low, high in SIZE_CLASSES
        ),
        Measure(
            "employee_jobs",
            "employee jobs in December",
            "x 1 000 jobs",
            "average number of employee jobs in December of the year (CBS 83583NED)",
            YEARLY,
        ),
        Measure(
            "persons_employed",
            "persons employed",
            "x 1 000 persons",
            "average number of persons employed over the year (CBS 81156ned)",
            YEARLY,
        ),
        Measure(
            "jobs_total",
            "jobs of employees and self-employed",
            "x 1 000 jobs",
            "jobs of employees and self-employed over the year (CBS national accounts, labour input)",
            YEARLY,
        ),
        Measure(
            "persons_employed_na",
            "persons employed (national accounts)",
            "x 1 000 persons",
            "average number of persons employed over the year (CBS national accounts, labour input)",
            YEARLY,
        ),
        Measure("turnover", "turnover", "mln euro", "turnover over the year (CBS 81156ned)", YEARLY),
        Measure(
            "output",
            "output (production value at basic prices)",
            "mln euro",
            "output over the year at current prices (CBS national accounts, 84088NED/85867NED)",
            YEARLY,
        ),
        Measure(
            "value_added",
            "gross value added at basic prices",
            "mln euro",
            "gross value added over the year at current prices (CBS national accounts, 84088NED/85867NED)",
            YEARLY,
        ),
    )
}
ALIASES = {
    "jobs": "employee_jobs",
    "firm": "firms",
    "firms250": "firms_250_plus",
    "persons": "persons_employed",
    "employment": "persons_employed",
    "production": "output",
    "gva": "value_added",
    # the Dutch words CBS uses
    "banen": "employee_jobs",
    "werknemersbanen": "employee_jobs",
    "bedrijven": "firms",
    "werkzame_personen": "persons_employed",
    "banen_totaal": "jobs_total",
    "omzet": "turnover",
    "productie": "output",
    "toegevoegde_waarde": "value_added",
}


def get_measure(name: str) -> Measure:
    """A measure by name or alias."""
    plain = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(plain, plain)
    if key not in MEASURES:
        import difflib

        names = [*MEASURES, *ALIASES]
        close = difflib.get_close_matches(plain, names, n=1, cutoff=0.6)
        known = ", ".join([*(m for m in MEASURES if not m.startswith("firms_size_")), "firms_size_*", *ALIASES])
        if close:
            raise UnknownMeasureError(
                "unknown measure {name!r}; did you mean {close}? known measures: {known}",
                name=name,
                close=close[0],
                known=known,
            )
        raise UnknownMeasureError("unknown measure {name!r}; known measures: {known}", name=name, known=known)
    return MEASURES[key]


def size_measures() -> list[Measure]:
    """The firms-by-size-class measures, smallest class first."""
    return [m for m in MEASURES.values() if m.persons is not None]
