"""Measures over a definition: the exact-cover rule that sums stored figures without double counting."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from lshcli.errors import LshError
from lshcli.sbi import Classification, sort_codes
from lshcli.store import Observation


@dataclass(frozen=True)
class Measure:
    """A quantity lsh can total over a definition, with its unit and its period convention."""

    name: str
    label: str
    unit: str
    convention: str
    period_patterns: tuple[str, ...]
    quarterly: bool = False
    persons: tuple[int, int | None] | None = None  # a size class: persons employed from, to (None: open)

    def periods(self, year: int, quarter: int | None = None) -> tuple[str, ...]:
        """The stored periods that stand for `year`, preferred first; `quarter` picks another quarter."""
        if self.quarterly and quarter not in (None, 1):
            return (f"{year}Q{quarter}",)
        return tuple(p.format(year=year) for p in self.period_patterns)

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
}


def get_measure(name: str) -> Measure:
    """A measure by name or alias."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower().replace("-", "_").replace(" ", "_"))
    if key not in MEASURES:
        known = ", ".join([*(m for m in MEASURES if not m.startswith("firms_size_")), "firms_size_*", *ALIASES])
        raise LshError(f"unknown measure {name!r}; known measures: {known}")
    return MEASURES[key]


def size_measures() -> list[Measure]:
    """The firms-by-size-class measures, smallest class first."""
    return [m for m in MEASURES.values() if m.persons is not None]


@dataclass(frozen=True)
class Value:
    """A number or a published range of numbers (low == high for a point)."""

    low: float
    high: float

    @property
    def is_point(self) -> bool:
        """True unless the source gave a range."""
        return self.low == self.high

    def __add__(self, other: Value) -> Value:
        return Value(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Value) -> Value:
        return Value(self.low - other.high, self.high - other.low)

    def __abs__(self) -> Value:
        """The size of a difference, whichever its sign."""
        return self if self.low >= 0 else Value(-self.high, -self.low)


def total(values: Iterable[Value]) -> Value:
    """The sum of values, ranges adding up bound by bound."""
    result = Value(0.0, 0.0)
    for value in values:
        result = result + value
    return result


def format_number(number: float) -> str:
    """2090 -> '2,090'; 12.9 -> '12.9'; 13.26 -> '13.26'."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0")


def format_value(value: Value | None) -> str:
    """A value for sentences and tables: '2,090', '180 to 200', or 'not available'."""
    if value is None:
        return "not available"
    if value.is_point:
        return format_number(value.low)
    return f"{format_number(value.low)} to {format_number(value.high)}"


@dataclass(frozen=True)
class Reading:
    """How to read the stored figures: which quarter stands for a year, and whether to estimate."""

    quarter: int | None = None
    estimate: bool = False


@dataclass(frozen=True)
class Missing:
    """Codes that a measure cannot be counted on, and why."""

    codes: tuple[str, ...]
    reason: str
    wider: tuple[Observation, ...] = ()
    no_estimate: str = ""

    def sentence(self, unit: str) -> str:
        """Why, in plain words: '26.60: not available at this depth, only published within 26 (24.5 x 1 000 jobs)'."""
        codes = " and ".join(self.codes)
        if self.reason == "within-wider":
            parts = ", ".join(f"{o.sbi_label} ({format_value(_value(o))} {unit})" for o in self.wider)
            depth = "not available at this depth, " if self.deeper else ""
            text = f"{codes}: {depth}only published within {parts}, which holds other codes too"
        elif self.reason == "cell-missing":
            text = f"{codes}: the figure is missing or secret in the source"
        else:
            text = f"{codes}: no figure stored"
        return f"{text} ({self.no_estimate})" if self.no_estimate else text

    @property
    def deeper(self) -> bool:
        """True when the wider figure is a single coarser code (26 for 26.60): the data stops above these codes."""
        return self.reason == "within-wider" and len(self.wider[0].sbi) == 1

    @property
    def coarser(self) -> bool:
        """True when the data stops above these codes: only a wider code that holds them is published."""
        return self.reason == "within-wider"


@dataclass(frozen=True)
class Estimate:
    """A value for codes the data is too coarse for: the published wider figure times a documented key."""

    codes: tuple[str, ...]
    leaves: frozenset[str]
    parent: Observation
    share: float
    key_codes: float
    key_parent: float
    inputs: tuple[Observation, ...]
    value: Value
    method: str

    def sentence(self, unit: str) -> str:
        """'26.60: estimated at 3.1 x 1 000 jobs, 11.2% of 26 (27.75), by firms weighted by size class'."""
        parent = f"{self.parent.sbi_label} ({format_value(_value(self.parent))})"
        return (
            f"{' and '.join(self.codes)}: estimated at {format_value(self.value)} {unit}, "
            f"{100 * self.share:.1f}% of {parent}, {self.method}"
        )


class Estimator(Protocol):
    """Fills codes that only a wider figure covers; returns an Estimate, or why there is none."""

    def estimate(self, codes: tuple[str, ...], leaves: frozenset[str], parent: Observation) -> Estimate | str: ...


def short_reason(missing: Sequence[Missing]) -> str:
    """Why not, in a few words for a table cell: '26.60 within 26; 72.19.3 no figure'."""
    parts = []
    for m in missing:
        codes = "+".join(m.codes)
        if m.deeper:
            parts.append(f"{codes} not at this depth (needs {m.wider[0].sbi_label})")
        elif m.reason == "within-wider":
            parts.append(f"{codes} only within {m.wider[0].sbi_label}")
        elif m.reason == "cell-missing":
            parts.append(f"{codes} empty in source")
        else:
            parts.append(f"{codes} no figure")
    return "; ".join(parts)


def _value(obs: Observation) -> Value | None:
    if obs.value_low is None or obs.value_high is None:
        return None
    return Value(obs.value_low, obs.value_high)


@dataclass(frozen=True)
class Coverage:
    """The value of a measure on a set of codes: the exact cover used, or why there is none."""

    leaves: frozenset[str]
    used: tuple[Observation, ...]
    missing: tuple[Missing, ...]
    partial: Value | None = None
    estimates: tuple[Estimate, ...] = ()

    @property
    def available(self) -> bool:
        """True when stored figures (and, if asked for, estimates) cover every code exactly once."""
        return not self.missing and bool(self.used or self.estimates)

    @property
    def estimated(self) -> bool:
        """True when part of the value is an estimate, never a published figure."""
        return self.available and bool(self.estimates)

    @property
    def value(self) -> Value | None:
        """The sum of the cover and any estimates, or None: never a zero for a missing figure."""
        if not self.available:
            return None
        return total([*(_value(o) or Value(0, 0) for o in self.used), *(e.value for e in self.estimates)])

    @property
    def status(self) -> str:
        """'definitive', 'provisional', a mix of CBS statuses, or '' where the sources state none."""
        if not self.available:
            return ""
        figures = [*self.used, *(e.parent for e in self.estimates)]
        statuses = sorted({o.status for o in figures if o.status})
        return "+".join(statuses)

    @property
    def provisional(self) -> bool:
        """True when any figure used is provisional (or revised provisional)."""
        return "provisional" in self.status

    @property
    def sources(self) -> list[str]:
        """Short source labels of the figures used, e.g. ['snapshot F001', 'snapshot F002']."""
        return [f"{o.source.label} {o.ref}".strip() for o in self.used]

    @property
    def periods(self) -> list[str]:
        """The stored periods the value is read from."""
        return sorted({o.period for o in self.used})


class Figures:
    """The stored observations of one measure in one year, ready to cover sets of SBI codes."""

    def __init__(
        self,
        measure: Measure,
        year: int,
        observations: Sequence[Observation],
        sbi: Classification,
        quarter: int | None = None,
        estimator: Estimator | None = None,
    ) -> None:
        self.measure = measure
        self.year = year
        self.sbi = sbi
        self.estimator = estimator
        preferred = measure.periods(year, quarter)
        best: dict[frozenset[str], Observation] = {}
        for obs in observations:
            if obs.measure != measure.name or obs.period not in preferred:
                continue
            leaves = sbi.leaves_of(obs.sbi)
            current = best.get(leaves)
            if current is None or _rank(obs, preferred) < _rank(current, preferred):
                best[leaves] = obs
        self.by_leaves = best

    def touches(self, leaves: frozenset[str]) -> bool:
        """True when some stored figure lies inside `leaves` (so the definition has any data at all)."""
        return any(k <= leaves for k in self.by_leaves)

    def whole(self, leaves: frozenset[str]) -> Observation | None:
        """A single stored figure for exactly this set of codes, if there is one."""
        return self.by_leaves.get(leaves)

    def cover(self, leaves: frozenset[str], name_with: Iterable[str] = ()) -> Coverage:
        """Sum stored figures that cover `leaves` exactly once, finest figures first.

        `name_with` are codes used to name uncovered parts (the definitions' own codes). A cover read
        from live CBS rows alone beats one that mixes in figures from the bundled snapshot.
        """
        usable = sorted(
            ((k, o) for k, o in self.by_leaves.items() if k <= leaves and _value(o) is not None),
            key=lambda item: (len(item[0]), sort_codes(item[1].sbi)),
        )
        live = [(k, o) for k, o in usable if o.source.kind == "cbs"]
        found = _exact_cover(leaves, live) if live else None
        if found is None:
            found = _exact_cover(leaves, usable)
        if found is not None:
            return Coverage(leaves, tuple(found), ())
        covered: list[Observation] = []
        remaining = set(leaves)
        for key, obs in usable:
            if key <= remaining:
                covered.append(obs)
                remaining -= key
        partial = total(_value(o) or Value(0, 0) for o in covered) if covered else None
        missing = self._why(frozenset(remaining), leaves, name_with)
        if self.estimator is None:
            return Coverage(leaves, tuple(covered), missing, partial)
        estimates: list[Estimate] = []
        still: list[Missing] = []
        for m in missing:
            if not m.coarser:
                still.append(m)
                continue
            estimate = self.estimator.estimate(m.codes, self.sbi.leaves_of(m.codes) & leaves, m.wider[0])
            if isinstance(estimate, Estimate):
                estimates.append(estimate)
            else:
                still.append(replace(m, no_estimate=f"no estimate: {estimate}"))
        return Coverage(leaves, tuple(covered), tuple(still), partial, tuple(estimates))

    def _why(self, uncovered: frozenset[str], target: frozenset[str], name_with: Iterable[str]) -> tuple[Missing, ...]:
        names = self.sbi.compress(uncovered, [c for n in name_with for c in [n, *self.sbi.descendants(n)]])
        grouped: dict[tuple[str, tuple[Observation, ...]], list[str]] = {}
        for name in names:
            own = self.sbi.leaves(name)
            secret = [o for k, o in self.by_leaves.items() if k <= target and k & own and _value(o) is None]
            wider = tuple(
                o
                for k, o in sorted(self.by_leaves.items(), key=lambda item: len(item[0]))
                if k & own and not k <= target and _value(o) is not None
            )
            if secret:
                key: tuple[str, tuple[Observation, ...]] = ("cell-missing", ())
            elif wider:
                key = ("within-wider", wider[:1])
            else:
                key = ("no-figure", ())
            grouped.setdefault(key, []).append(name)
        return tuple(Missing(tuple(codes), reason, wider) for (reason, wider), codes in grouped.items())


def _rank(obs: Observation, preferred: tuple[str, ...]) -> tuple[int, int, int]:
    """Live CBS rows beat the snapshot, then the preferred period, then a figure over an empty cell."""
    return (0 if obs.source.kind == "cbs" else 1, preferred.index(obs.period), 0 if _value(obs) is not None else 1)


def _exact_cover(target: frozenset[str], usable: list[tuple[frozenset[str], Observation]]) -> list[Observation] | None:
    """Disjoint figures whose codes together are exactly `target`, trying the finest figures first.

    A depth-first search over the figures that hold the first uncovered code, which remembers the sets
    of codes it found no cover for, so no set is tried twice: without that memory one secret cell in a
    large definition made the search exponential. It walks with its own stack, so a definition of
    hundreds of codes does not reach Python's recursion limit.
    """
    if not target:
        return None
    by_leaf: dict[str, list[tuple[frozenset[str], Observation]]] = {}
    for item in usable:
        for leaf in item[0]:
            by_leaf.setdefault(leaf, []).append(item)
    failed: set[frozenset[str]] = set()

    def options(remaining: frozenset[str]) -> list[tuple[frozenset[str], Observation]]:
        """The figures to try for `remaining`, last to try first (the stack pops from the end)."""
        if remaining in failed:
            return []
        return [item for item in reversed(by_leaf.get(min(remaining), [])) if item[0] <= remaining]

    chosen: list[Observation] = []
    frames = [(target, options(target))]
    while frames:
        remaining, todo = frames[-1]
        if not todo:
            failed.add(remaining)
            frames.pop()
            if frames:  # undo the choice that led here
                chosen.pop()
            continue
        key, obs = todo.pop()
        chosen.append(obs)
        rest = remaining - key
        if not rest:
            return chosen
        frames.append((rest, options(rest)))
    return None
