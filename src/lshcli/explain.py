"""What a result says, as typed notes: a kind and its facts, never a sentence.

The notes are made here from the results of compare, count, sizes and overlap; `lshcli.output.words`
turns each into a sentence (English today; a second language is a sibling module), and the report
picks its caveats by kind. No sentence is made in the core, and none is ever parsed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from msgspec import Struct

from lshcli.compare import Comparison, Part
from lshcli.cover import Coverage, Estimate, Missing, MissingReason, NoEstimate
from lshcli.errors import Remedy
from lshcli.model import Observation, Value, total
from lshcli.sbi import DEFAULT

if TYPE_CHECKING:
    from lshcli.crossing import Across, Crossing, EstimateGap, LinkGroup, Ratio
    from lshcli.overlap import Overlap
    from lshcli.sizes import Group, Sizes


class Totals(Struct, frozen=True):
    """Both totals are known: A, B and the gap (B minus A), with the gap as a share of A."""

    year: int
    a: str
    b: str
    value_a: Value
    value_b: Value
    difference: Value
    difference_pct: float | None
    unit: str


class Total(Struct, frozen=True):
    """One definition's total, or None when it cannot be totalled."""

    year: int
    definition: str
    value: Value | None
    unit: str


class BoundedTotal(Struct, frozen=True):
    """A total the figures do not determine but bound: its interval (a side None where open) and why."""

    year: int
    definition: str
    low: float | None
    high: float | None
    unit: str
    missing: tuple[Missing, ...]


class WideInterval(Struct, frozen=True):
    """A bound that says little (its upper side more than twice its lower, or set by all of a wider code): what
    bounds it (each wider code, its value, and the codes not published apart within it), what is known for sure
    (the parts published on their own), and whether an estimate could narrow it."""

    year: int
    definition: str
    low: float
    high: float
    unit: str
    measure: str
    parents: tuple[tuple[str, float, tuple[str, ...]], ...]
    known: Value | None
    known_codes: tuple[str, ...]
    estimable: bool


def wide_interval(
    year: int, definition: str, cov: Coverage, unit: str, measure: str, estimable: bool
) -> WideInterval | None:
    """The note for a bound that says little (None for a tight one or an open one)."""
    bound = cov.interval
    if bound is None or bound.low is None or bound.high is None:
        return None
    parents = tuple((m.wider[0].sbi_label, m.wider[0].value_high or 0.0, m.codes) for m in cov.missing if m.deeper)
    if not parents and not bound.high > 2 * max(bound.low, 0.0):
        return None
    known = total(o.value for o in cov.used if o.value is not None) if cov.used else None
    codes = tuple(c for o in cov.used for c in o.sbi)
    return WideInterval(year, definition, bound.low, bound.high, unit, measure, parents, known, codes, estimable)


class BoundedGap(Struct, frozen=True):
    """The gap (B minus A) the figures bound jointly, and the codes that keep it from a single value."""

    a: str
    b: str
    low: float | None
    high: float | None
    unit: str
    groups: tuple[MissingGroup, ...]


class Derived(Struct, frozen=True):
    """A value no single cover gives, which the figures determine by subtraction: the figures and their signs."""

    name: str
    value: Value
    terms: tuple[tuple[Observation, float], ...]
    unit: str


class FigureSetAside(Struct, frozen=True):
    """A published figure the others contradict, set aside: what it says and what the others allow."""

    figure: Observation
    allowed_low: float | None
    allowed_high: float | None
    unit: str
    tolerant: bool


class WithinRounding(Struct, frozen=True):
    """The figures agree only within the rounding their publication implies; the bounds allow for it."""

    unit: str


class MixedSources(Struct, frozen=True):
    """A total mixes live CBS figures with bundled snapshot figures for some codes."""

    definition: str
    codes: tuple[str, ...]
    refs: tuple[str, ...]
    remedy: Remedy


class Estimated(Struct, frozen=True):
    """Part of a value is estimated: each estimate with the unit of its measure."""

    estimates: tuple[tuple[Estimate, str], ...]


class OnlyIn(Struct, frozen=True):
    """A row held by one definition only: what it adds to B, or what B leaves out of A."""

    part: Part
    code: str
    title: str
    value: Value
    unit: str
    pct_of_a: float | None
    a: str
    b: str
    total_a: Value | None


class MissingGroup(Struct, frozen=True):
    """Codes of a comparison without a value of their own, grouped by why.

    `codes` pairs each code with the part it lies in; `outside` says the wider figure also holds codes
    outside both definitions; `estimable` that an estimate could fill them (but was not asked for).
    """

    reason: MissingReason
    codes: tuple[tuple[str, Part], ...]
    wider: Observation | None
    outside: bool
    no_estimate: NoEstimate | None
    estimable: bool
    year: int
    unit: str
    remedy: Remedy


class GapUnknown(Struct, frozen=True):
    """The gap cannot be computed, for these reasons."""

    a: str
    b: str
    groups: tuple[MissingGroup, ...]


class NotAlone(Struct, frozen=True):
    """The gap is known, but not every code can be counted alone."""

    a: str
    b: str
    groups: tuple[MissingGroup, ...]


class PublishedTotal(Struct, frozen=True):
    """A figure is published for a definition's codes as a whole, beside lsh's sum of the finest figures."""

    definition: str
    figure: Observation
    computed: Value
    unit: str
    set_aside: bool = False
    """The figures contradict it, so the bounds leave it out."""

    @property
    def agrees(self) -> bool:
        """True when the published whole equals the sum."""
        return self.figure.value == self.computed


class Trend(Struct, frozen=True):
    """A definition's values over a span of years, for a sparkline."""

    definition: str
    years: tuple[int, ...]
    values: tuple[float | None, ...]


class NeverTotalled(Struct, frozen=True):
    """A definition cannot be totalled in any year of a span; why, as in the last year."""

    definition: str
    first: int
    last: int
    year: int
    missing: tuple[Missing, ...]
    unit: str


class NotTotalledIn(Struct, frozen=True):
    """A definition cannot be totalled in some years."""

    definition: str
    years: tuple[int, ...]


class NothingStored(Struct, frozen=True):
    """No figure of these measures is stored in any year, for any code: a count with nothing to show."""

    definition: str
    measures: tuple[str, ...]


class Provisional(Struct, frozen=True):
    """Figures of these years are provisional."""

    years: tuple[int, ...]


class ClassesAddUp(Struct, frozen=True):
    """The size classes add up to the total (or differ from it, by CBS's rounding)."""

    classes: int
    class_sum: Value
    total: Value


class GroupUnavailable(Struct, frozen=True):
    """A size group has no value."""

    group: Group
    definition: str
    year: int


class InAll(Struct, frozen=True):
    """The codes every definition holds (none, when empty)."""

    definitions: int
    codes: tuple[str, ...]


class OnlyInDefinition(Struct, frozen=True):
    """The codes only one definition holds."""

    definition: str
    codes: tuple[str, ...]


class BreakTotals(Struct, frozen=True):
    """Both sides of the classification break in one year: A in its classification, B in its own, and the gap."""

    year: int
    a: str
    b: str
    label_a: str
    label_b: str
    value_a: Value | None
    value_b: Value | None
    difference: Value | None
    difference_pct: float | None
    unit: str


class BreakEffect(Struct, frozen=True):
    """One group of linked codes and what it does to the gap; `rank` 1 is the largest effect."""

    rank: int
    group: LinkGroup
    a: str
    b: str
    label_a: str
    label_b: str
    unit: str


class SideNotStored(Struct, frozen=True):
    """One side of a comparison across the break has no figure of the measure in the year: its codes and links are
    shown all the same, and the fetch that fills it is named."""

    definition: str
    label: str
    year: int
    measure: str


class BreakDisputed(Struct, frozen=True):
    """Links only another national table makes, left unused."""

    links: tuple[tuple[str, str], ...]
    label_b: str


class TableBreak(Struct, frozen=True):
    """Two years of a series read from different CBS tables (84164NED for 2022, its successor 85918NED for 2023):
    the step between them is a break between tables, not growth."""

    before: int
    table_before: str
    value_before: Value
    after: int
    table_after: str
    value_after: Value


class Change(Struct, frozen=True):
    """A value's change between the first and the last year it is known: absolute, percent, and per year.

    An interval at either end makes the change an interval (the years are separate figures, so their
    bounds combine freely); percent and annual growth need two values. Where the years come from different CBS
    tables (`breaks`), the change is no growth rate: it is told without one, and each break is named."""

    definition: str
    first: int
    last: int
    value_first: Value
    value_last: Value
    unit: str
    breaks: tuple[TableBreak, ...] = ()

    @property
    def absolute(self) -> Value:
        """The change: the last year's value minus the first's (an interval where either is one)."""
        return Value(self.value_last.low - self.value_first.high, self.value_last.high - self.value_first.low)

    @property
    def percent(self) -> float | None:
        """The change in percent of the first year's value, for two values."""
        a, b = self.value_first, self.value_last
        if self.breaks or not (a.is_point and b.is_point) or a.low == 0:
            return None
        return (b.low / a.low - 1) * 100

    @property
    def annual(self) -> float | None:
        """The average annual growth in percent, for two positive values."""
        a, b = self.value_first, self.value_last
        if self.breaks or not (a.is_point and b.is_point) or a.low <= 0 or b.low <= 0 or self.last <= self.first:
            return None
        return float(((b.low / a.low) ** (1 / (self.last - self.first)) - 1) * 100)


class AcrossBreak(Struct, frozen=True):
    """Where a series crosses the classification break: A's last year, B's first, and the years both are valued."""

    a: str
    b: str
    label_a: str
    label_b: str
    last_a: int | None
    first_b: int | None
    overlap: tuple[int, ...]
    tables_a: tuple[str, ...]
    tables_b: tuple[str, ...]


class Linked(Struct, frozen=True):
    """The opt-in linked series: A's values times B's ratio to A in the overlap year."""

    a: str
    b: str
    label_b: str
    ratio: Ratio
    unit: str


class EstimatedAcross(Struct, frozen=True):
    """The opt-in estimate of A in B's classification: an interval from the overlap period's transport problem, with
    the firms that must have changed code outside the concordance (`slack`) and the linked codes with no figure in
    that period (`free`), whose firms are left free."""

    a: str
    label_b: str
    period: str
    slack: float
    free: tuple[tuple[str, str, tuple[str, ...]], ...]
    """Per classification (name, label, codes): the linked codes with no figure in the overlap period."""
    unit: str


class NoEstimateAcross(Struct, frozen=True):
    """Why A cannot be estimated in B's years."""

    a: str
    label_a: str
    label_b: str
    gap: EstimateGap


class ShareOfEconomy(Struct, frozen=True):
    """A definition's value beside the whole economy's (CBS's total A-U) in the same period: its share of it."""

    definition: str
    year: int
    value: Value
    economy: Observation
    unit: str

    @property
    def share(self) -> Value:
        """The share in percent (an interval where the value is one)."""
        whole = self.economy.value_low
        assert whole is not None and whole > 0
        return Value(100 * self.value.low / whole, 100 * self.value.high / whole)


class CountryShare(Struct, frozen=True):
    """A definition in one country (`lsh benchmark`): its value (or interval), its share of the country's business
    economy where known, and its rank among the countries by that share (the best and the worst the figures
    allow)."""

    definition: str
    country: str
    year: int
    low: float | None
    high: float | None
    unit: str
    share_low: float | None
    share_high: float | None
    rank: tuple[int, int] | None
    countries: int


class LargestDifference(Struct, frozen=True):
    """The country whose share of its business economy differs most, and surely, from a first country's (`lsh
    benchmark`): the gap between the two intervals is the widest of all the countries'."""

    definition: str
    year: int
    country: str
    share: Value
    other: str
    other_share: Value
    countries: int


class NoEconomyTotal(Struct, frozen=True):
    """Eurostat's datasets of a year give no business-economy total (those before 2021), so no share or rank."""

    year: int
    datasets: tuple[str, ...]


class SeriesBreak(Struct, frozen=True):
    """A series of Eurostat figures crosses the 2021 change of method: the years before come from other
    datasets."""

    definition: str
    year: int
    before: tuple[str, ...]
    after: tuple[str, ...]


Note = (
    CountryShare
    | LargestDifference
    | NoEconomyTotal
    | SeriesBreak
    | Totals
    | Change
    | ShareOfEconomy
    | BoundedTotal
    | WideInterval
    | BoundedGap
    | Derived
    | FigureSetAside
    | WithinRounding
    | AcrossBreak
    | Linked
    | EstimatedAcross
    | NoEstimateAcross
    | BreakTotals
    | BreakEffect
    | BreakDisputed
    | SideNotStored
    | Total
    | MixedSources
    | Estimated
    | OnlyIn
    | GapUnknown
    | NotAlone
    | PublishedTotal
    | Trend
    | NeverTotalled
    | NotTotalledIn
    | NothingStored
    | Provisional
    | ClassesAddUp
    | GroupUnavailable
    | InAll
    | OnlyInDefinition
)


def is_caveat(note: Note) -> bool:
    """Whether a note limits what a value says: what a report lists under its caveats."""
    if isinstance(note, Total):
        return note.value is None
    if isinstance(note, (BoundedTotal, WideInterval, BoundedGap, FigureSetAside, WithinRounding)):
        return True
    if isinstance(note, PublishedTotal):
        return not note.agrees
    return isinstance(note, (MixedSources, Estimated, GapUnknown, NotAlone))


def comparison_notes(c: Comparison) -> list[Note]:
    """How big each definition is, which codes drive the gap, what is missing, and what is published whole."""
    unit = c.measure.unit
    notes: list[Note] = []
    va, vb = c.total_a.value, c.total_b.value
    if va is not None and vb is not None and c.difference is not None:
        notes.append(Totals(c.year, c.a.id, c.b.id, va, vb, c.difference, c.difference_pct, unit))
    else:
        for d, cov in ((c.a, c.total_a), (c.b, c.total_b)):
            bound = cov.interval
            if bound is not None:
                notes.append(BoundedTotal(c.year, d.id, bound.low, bound.high, unit, cov.missing))
                wide = wide_interval(c.year, d.id, cov, unit, c.measure.name, c.measure.estimable)
                notes += [wide] if wide is not None else []
            else:
                notes.append(Total(c.year, d.id, cov.value, unit))
    for d, cov in ((c.a, c.total_a), (c.b, c.total_b)):
        if cov.derived and cov.bound is not None and cov.value is not None:
            notes.append(Derived(d.id, cov.value, cov.bound.terms, unit))
    for name, cov in ((c.a.id, c.total_a), (c.b.id, c.total_b)):
        bundled = [o for o in cov.used if o.source.kind == "snapshot"]
        if cov.available and bundled and len(bundled) < len(cov.used):
            notes.append(
                MixedSources(
                    name,
                    tuple(o.sbi_label for o in bundled),
                    tuple(o.ref for o in bundled if o.ref),
                    Remedy(definitions=(name,), year=c.year),
                )
            )
    estimated = estimate_notes([(cov, unit) for cov in (c.total_a, c.total_b)])
    notes += [estimated] if estimated else []
    own = sorted(
        (r for r in c.rows if r.part is not Part.SHARED and r.coverage.value is not None),
        key=lambda r: -abs(r.contribution.low if r.contribution else 0),
    )
    for row in own[:3]:
        assert row.coverage.value is not None
        notes.append(OnlyIn(row.part, row.code, row.title, row.coverage.value, unit, row.pct_of_a, c.a.id, c.b.id, va))
    groups = _missing_groups(c)
    gap = c.difference_bound
    if c.difference is None and gap is not None and (gap.low is not None or gap.high is not None):
        notes.append(BoundedGap(c.a.id, c.b.id, gap.low, gap.high, unit, groups))
    elif c.difference is None:
        notes.append(GapUnknown(c.a.id, c.b.id, groups))
    elif groups:
        notes.append(NotAlone(c.a.id, c.b.id, groups))
    tolerant = any(cov.consistency is not None and cov.consistency.tolerant for cov in c.coverages)
    if tolerant:
        notes.append(WithinRounding(unit))
    published = {o for _, o in c.published_totals}
    for x in c.set_aside:
        if x.figure not in published:
            notes.append(FigureSetAside(x.figure, x.allowed_low, x.allowed_high, unit, tolerant))
    aside = {x.figure for x in c.set_aside}
    for name, obs in c.published_totals:
        used = c.total_a if name == c.a.id else c.total_b
        if used.value is not None:
            notes.append(PublishedTotal(name, obs, used.value, unit, obs in aside))
    return notes


def estimate_notes(coverages: Sequence[tuple[Coverage, str]]) -> Estimated | None:
    """Every estimate in some values, once each, with its measure's unit; None when there are none."""
    seen = dict.fromkeys((e, unit) for cov, unit in coverages if cov.estimated for e in cov.estimates)
    return Estimated(tuple(seen)) if seen else None


def _missing_groups(c: Comparison) -> tuple[MissingGroup, ...]:
    """One group per source of trouble: codes only published within a wider figure, or with no figure."""
    sbi = c.sbi
    la, lb = c.a.leaves(sbi), c.b.leaves(sbi)
    grouped: dict[tuple[MissingReason, tuple[Observation, ...]], list[str]] = {}
    no_estimate: dict[tuple[MissingReason, tuple[Observation, ...]], NoEstimate] = {}
    for coverage in (c.total_a, c.total_b, *c.parts.values()):
        for missing in coverage.missing:
            codes = grouped.setdefault((missing.reason, missing.wider), [])
            for code in missing.codes:  # one name per set of codes: 26.6 holds just 26.60
                if sbi.leaves(code) not in [sbi.leaves(c) for c in codes]:
                    codes.append(code)
            if missing.no_estimate is not None:
                no_estimate[(missing.reason, missing.wider)] = missing.no_estimate
    groups = []
    for (reason, wider), codes in grouped.items():
        obs = wider[0] if wider else None
        outside = obs is not None and bool(sbi.leaves_of(obs.sbi) - (la | lb))
        groups.append(
            MissingGroup(
                reason=reason,
                codes=tuple((code, c.where(code)) for code in codes),
                wider=obs,
                outside=outside,
                no_estimate=no_estimate.get((reason, wider)),
                estimable=not c.reading.estimate and c.measure.estimable,
                year=c.year,
                unit=c.measure.unit,
                remedy=Remedy(codes=tuple(codes), measure=c.measure.name, year=c.year),
            )
        )
    return tuple(groups)


def series_notes(comparisons: Sequence[Comparison]) -> list[Note]:
    """What a range of years shows: in which years each total can be computed, and why not in the others."""
    notes: list[Note] = []
    years = [c.year for c in comparisons]
    for side in ("a", "b"):
        name = getattr(comparisons[0], side).id
        missing = [c for c in comparisons if not getattr(c, f"total_{side}").available]
        if not missing:
            continue
        if len(missing) == len(comparisons):
            last = missing[-1]
            cov: Coverage = getattr(last, f"total_{side}")
            notes.append(NeverTotalled(name, years[0], years[-1], last.year, cov.missing, last.measure.unit))
        else:
            notes.append(NotTotalledIn(name, tuple(c.year for c in missing)))
    provisional = tuple(c.year for c in comparisons if c.total_a.provisional or c.total_b.provisional)
    if provisional:
        notes.append(Provisional(provisional))
    return notes


def trend(definition: str, values: Sequence[tuple[int, Value | None]]) -> Trend:
    """A definition's trend over the years (the lower bound of each value)."""
    return Trend(definition, tuple(y for y, _ in values), tuple(None if v is None else v.low for _, v in values))


def sizes_notes(result: Sizes) -> list[Note]:
    """Whether the classes add up to the total, and each group without a value."""
    notes: list[Note] = []
    class_sum, firms = result.class_sum, result.total.value
    if class_sum is not None and firms is not None:
        notes.append(ClassesAddUp(len(result.classes), class_sum, firms))
    notes += [GroupUnavailable(g, result.definition.id, result.year) for g in result.groups if g.value is None]
    return notes


def overlap_notes(result: Overlap) -> list[Note]:
    """The codes in every definition, and those in only one."""
    ids = [d.id for d in result.definitions]
    notes: list[Note] = []
    if len(ids) > 1:
        notes.append(InAll(len(ids), tuple(r.code for r in result.rows if all(r.members))))
    for i, definition_id in enumerate(ids):
        alone = tuple(r.code for r in result.rows if r.members[i] and sum(r.members) == 1)
        if alone:
            notes.append(OnlyInDefinition(definition_id, alone))
    return notes


def crossing_notes(c: Crossing) -> list[Note]:
    """Both totals across the break, the largest effects (up to three), and links left unused."""
    unit = c.measure.unit
    la, lb = c.book_a.sbi.label, c.book_b.sbi.label
    notes: list[Note] = [
        BreakTotals(
            c.year, c.a.id, c.b.id, la, lb, c.total_a.value, c.total_b.value, c.difference, c.difference_pct, unit
        )
    ]
    notes += [BreakEffect(i, g, c.a.id, c.b.id, la, lb, unit) for i, g in enumerate(c.largest()[:3], start=1)]
    notes += [
        SideNotStored(d.id, label, c.year, c.measure.name)
        for d, label, total in ((c.a, la, c.total_a), (c.b, lb, c.total_b))
        if not total.used and not total.available
    ]
    if c.disputed:
        notes.append(BreakDisputed(c.disputed, lb))
    return notes


def across_notes(x: Across) -> list[Note]:
    """Where the series crosses the break, and what each opt-in estimate rests on."""
    from lshcli.crossing import named_by_classes

    la, lb = x.book_a.sbi.label, x.book_b.sbi.label
    last_a = max((y.year for y in x.years if y.value_a is not None and y.value_a.available), default=None)
    first_b = next((y.year for y in x.years if y.first_of_b), None)

    def tables(side: str) -> tuple[str, ...]:
        found = [
            o.source.cbs_table or o.source.label
            for y in x.years
            if (cov := (y.value_a if side == "a" else y.value_b)) is not None
            for o in cov.used
        ]
        return tuple(dict.fromkeys(found))

    notes: list[Note] = [AcrossBreak(x.a.id, x.b.id, la, lb, last_a, first_b, x.overlap, tables("a"), tables("b"))]
    if x.ratio is not None:
        notes.append(Linked(x.a.id, x.b.id, lb, x.ratio, x.measure.unit))
    if x.system is not None:
        old, new = (x.book_a.sbi, x.book_b.sbi) if x.book_a.sbi.name == DEFAULT else (x.book_b.sbi, x.book_a.sbi)
        a_is_old = old is x.book_a.sbi
        held_a, held_b = x.a.leaves(x.book_a.sbi), x.b.leaves(x.book_b.sbi)
        free_old, free_new = x.system.free_near(*((held_a, held_b) if a_is_old else (held_b, held_a)))
        free = tuple(
            (sbi.name, sbi.label, named_by_classes(sbi, codes))
            for sbi, codes in ((old, free_old), (new, free_new))
            if codes
        )
        notes.append(EstimatedAcross(x.a.id, lb, x.system.period, x.system.slack, free, x.measure.unit))
    if x.no_estimate is not None:
        notes.append(NoEstimateAcross(x.a.id, la, lb, x.no_estimate))
    return notes


def share_of_economy(
    definition: str, values: Sequence[tuple[int, Value | None, Observation | None]], unit: str
) -> ShareOfEconomy | None:
    """The share in the latest year with both the definition's value and the economy's (None without one)."""
    both = [(y, v, e) for y, v, e in values if v is not None and e is not None and (e.value_low or 0) > 0]
    if not both:
        return None
    year, value, economy = both[-1]
    assert value is not None and economy is not None
    return ShareOfEconomy(definition, year, value, economy, unit)


_TABLE_ID = re.compile(r"\d{5}[A-Za-z]{3}")
_BASIS_TABLE = re.compile(r"CBS table (\d{5}[A-Za-z]{3})\b")


def _table(obs: Observation) -> str | None:
    """The CBS table a figure comes from: its source's, or the one a bundled figure's basis names."""
    if obs.source.cbs_table and _TABLE_ID.fullmatch(obs.source.cbs_table):
        return obs.source.cbs_table
    found = _BASIS_TABLE.search(obs.basis or "")
    return found.group(1) if found else None


def table_of(coverage: Coverage | None) -> str | None:
    """The one CBS table a value is read from (None for a value of several tables, or of other publications)."""
    if coverage is None:
        return None
    tables = {_table(o) for o in coverage.resting_on}
    return next(iter(tables)) if len(tables) == 1 else None


def change(
    definition: str,
    values: Sequence[tuple[int, Value | None]],
    unit: str,
    tables: Mapping[int, str | None] | None = None,
) -> Change | None:
    """The change of a series from the first to the last year it has a value (None with fewer than two); `tables`
    names the one CBS table each year's value is read from, so that a change of table is told as a break."""
    known = [(y, v) for y, v in values if v is not None]
    if len(known) < 2:
        return None
    (first, a), (last, b) = known[0], known[-1]
    tables = tables or {}
    breaks = tuple(
        TableBreak(y0, t0, v0, y1, t1, v1)
        for (y0, v0), (y1, v1) in itertools.pairwise(known)
        if (t0 := tables.get(y0)) and (t1 := tables.get(y1)) and t0.upper() != t1.upper()
    )
    return Change(definition, first, last, a, b, unit, breaks)
