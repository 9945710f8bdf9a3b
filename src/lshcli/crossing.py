"""Two definitions on either side of the classification break, in one period: both totals, and the gap link by link.

A is valued from figures of its own classification only, B from figures of its own, in a year both
publish (found from the data). The finest codes of A and of B are joined into groups by the
concordance's links: a group holds the codes of A and of B that share firms. Each group is valued on
both sides, so the groups add up to the whole gap; each says whether B's codes also hold codes A
leaves out (wider), whether A's codes also go to codes B leaves out (narrower), or both, or neither
(the same firms, any difference being firms that changed code at the break).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum

from msgspec import Struct, structs

from lshcli.concordance import Concordance
from lshcli.cover import Coverage, figures_behind
from lshcli.definitions import Definition
from lshcli.errors import NotAvailableError, Remedy
from lshcli.linking import Overlap, overlap, scales
from lshcli.measures import Measure
from lshcli.model import ZERO, Observation, Reading, Value, percent
from lshcli.query import Figurebook, YearBasis, YearChoice
from lshcli.sbi import DEFAULT, Classification, level_of, sort_codes


class GroupKind(str, Enum):
    """What a group of linked codes does to the gap from A to B."""

    SAME = "same"
    """The same firms on both sides: a difference is firms that changed code at the break."""
    WIDER = "wider"
    """B's codes also hold codes A leaves out (72.10.0 holds all of 72.11 and 72.19)."""
    NARROWER = "narrower"
    """Part of A's codes goes to codes B leaves out."""
    BOTH = "both"
    """B's codes hold codes A leaves out, and part of A's goes to codes B leaves out."""
    ONLY_A = "only_a"
    """A's codes that no code of B holds any part of."""
    ONLY_B = "only_b"
    """B's codes that hold no part of A's."""


class LinkGroup(Struct, frozen=True):
    """Codes of A and of B joined by the concordance, each side valued in its own classification."""

    codes_a: tuple[str, ...]
    codes_b: tuple[str, ...]
    kind: GroupKind
    outside_a: tuple[str, ...]
    """Codes of A's classification, outside A, that B's codes of the group also hold."""
    outside_b: tuple[str, ...]
    """Codes of B's classification, outside B, that A's codes of the group also go to."""
    value_a: Coverage | None
    """A's value of the group (None where A has no code in it)."""
    value_b: Coverage | None
    contribution: Value | None
    """B's value minus A's: what the group adds to the gap (a side without codes adds nothing)."""
    share_of_gap: float | None


class Crossing(Struct, frozen=True):
    """A against B across the break, in one year (its first quarter unless the reading says otherwise)."""

    a: Definition
    b: Definition
    measure: Measure
    year: int
    book_a: Figurebook
    book_b: Figurebook
    total_a: Coverage
    total_b: Coverage
    groups: tuple[LinkGroup, ...]
    difference: Value | None
    difference_pct: float | None
    disputed: tuple[tuple[str, str], ...]

    @property
    def coverages(self) -> list[Coverage]:
        """Both totals and every group's two values."""
        sides = [c for g in self.groups for c in (g.value_a, g.value_b) if c is not None]
        return [self.total_a, self.total_b, *sides]

    @property
    def sources(self) -> list[Observation]:
        """Every figure the crossing rests on."""
        return figures_behind(self.coverages)

    def largest(self) -> list[LinkGroup]:
        """The groups with an effect, largest first."""
        sized = [(abs(g.contribution).high, g) for g in self.groups if g.contribution is not None]
        return [g for size, g in sorted(sized, key=lambda x: -x[0]) if size > 0]


def pick_year(book_a: Figurebook, a: Definition, book_b: Figurebook, b: Definition, measure: Measure) -> YearChoice:
    """The latest year both sides can be valued in (complete if any, else with some figures), from the data."""
    complete_a, partial_a = book_a.comparable_years([a], measure)
    complete_b, partial_b = book_b.comparable_years([b], measure)
    complete = sorted(set(complete_a) & set(complete_b))
    partial = sorted(set(partial_a) & set(partial_b))
    ids = (a.id, b.id)
    if complete:
        return YearChoice(complete[-1], YearBasis.COMPLETE, ids, measure)
    if partial:
        return YearChoice(partial[-1], YearBasis.PARTIAL, ids, measure)
    either = sorted({*partial_a, *partial_b})
    if either:  # the link account can still be drawn: each side's codes and how they link, with n/a values
        return YearChoice(either[-1], YearBasis.ONE_SIDE, ids, measure)
    raise NotAvailableError(
        (
            "no year holds {label} for both {id} ({label2}) and {id2} ({label3}): the two "
            "classifications are published side by side only in the quarters around the break"
        ),
        remedy=Remedy(definitions=(a.id,), measure=measure.name),
        label=measure.label,
        id=a.id,
        label2=book_a.sbi.label,
        id2=b.id,
        label3=book_b.sbi.label,
    )


def cross(
    book_a: Figurebook,
    a: Definition,
    book_b: Figurebook,
    b: Definition,
    concordance: Concordance,
    measure: Measure,
    year: int,
) -> Crossing:
    """Totals of A and B in their own classifications, their gap (B minus A), and the gap by groups of linked codes."""
    sbi_a, sbi_b = book_a.sbi, book_b.sbi
    leaves_a, leaves_b = a.leaves(sbi_a), b.leaves(sbi_b)
    used, disputed = concordance.spread(leaves_a, sbi_a.name)
    reach = {leaf: {x.other for x in links} for leaf, links in used.items()}
    back, _ = concordance.spread(leaves_b, sbi_b.name)
    sources = {leaf: {x.other for x in links} for leaf, links in back.items()}

    # groups: A's and B's finest codes joined wherever A's code goes to B's
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(node: tuple[str, str]) -> tuple[str, str]:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for leaf in leaves_a:
        find(("a", leaf))
        for target in reach.get(leaf, ()):
            if target in leaves_b:
                parent[find(("a", leaf))] = find(("b", target))
    for leaf in leaves_b:
        find(("b", leaf))

    figures_a = book_a.figures(measure, year, leaves_a)
    figures_b = book_b.figures(measure, year, leaves_b)
    total_a = figures_a.cover(leaves_a, a.code_list)
    total_b = figures_b.cover(leaves_b, b.code_list)
    # codes that one figure of a side's cover holds together (32.50.1 and 32.50.2 in a stored 32.50) are valued
    # together: a group never splits the finest stored figures, so every group has a value where the totals do
    for side, total, sbi, leaves in (("a", total_a, sbi_a, leaves_a), ("b", total_b, sbi_b, leaves_b)):
        for obs in total.used:
            held = sorted(sbi.leaves_of(obs.sbi) & leaves)
            for other in held[1:]:
                parent[find((side, other))] = find((side, held[0]))
    members: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in list(parent):
        members.setdefault(find(node), []).append(node)
    difference = total_b.value - total_a.value if total_a.value is not None and total_b.value is not None else None
    groups: list[LinkGroup] = []
    for nodes in members.values():
        in_a = frozenset(code for side, code in nodes if side == "a")
        in_b = frozenset(code for side, code in nodes if side == "b")
        outside_b = sort_codes({t for leaf in in_a for t in reach.get(leaf, ())} - leaves_b)
        outside_a = sort_codes({s for leaf in in_b for s in sources.get(leaf, ())} - leaves_a)
        if not in_b:
            kind = GroupKind.ONLY_A
        elif not in_a:
            kind = GroupKind.ONLY_B
        elif outside_a and outside_b:
            kind = GroupKind.BOTH
        elif outside_a:
            kind = GroupKind.WIDER
        elif outside_b:
            kind = GroupKind.NARROWER
        else:
            kind = GroupKind.SAME
        value_a = figures_a.cover(in_a, a.code_list) if in_a else None
        value_b = figures_b.cover(in_b, b.code_list) if in_b else None
        va = value_a.value if value_a is not None else ZERO
        vb = value_b.value if value_b is not None else ZERO
        contribution = vb - va if va is not None and vb is not None else None
        groups.append(
            LinkGroup(
                codes_a=tuple(sbi_a.compress(in_a, a.code_list)) if in_a else (),
                codes_b=tuple(sbi_b.compress(in_b, b.code_list)) if in_b else (),
                kind=kind,
                outside_a=named_by_classes(sbi_a, outside_a),
                outside_b=named_by_classes(sbi_b, outside_b),
                value_a=value_a,
                value_b=value_b,
                contribution=contribution,
                share_of_gap=percent(contribution, difference),
            )
        )
    order = list(GroupKind)
    groups.sort(key=lambda g: (order.index(g.kind), g.codes_a or g.codes_b))
    return Crossing(
        a=a,
        b=b,
        measure=measure,
        year=year,
        book_a=book_a,
        book_b=book_b,
        total_a=total_a,
        total_b=total_b,
        groups=tuple(groups),
        difference=difference,
        difference_pct=percent(difference, total_a.value),
        disputed=tuple(disputed),
    )


def named_by_classes(sbi: Classification, codes: Iterable[str]) -> tuple[str, ...]:
    """Finest codes named by as few classes as possible (32.50 for 32.50.1 and 32.50.2), never by a group or
    division, which reads as a code of its own (26.6)."""
    codes = list(codes)
    classes = [x for c in codes for x in sbi.ancestors(c) if level_of(x) == "class"]
    return tuple(sbi.compress(frozenset(codes), classes))


class Ratio(Struct, frozen=True):
    """B over A in a year both are valued: the factor that carries A's series into B's classification."""

    year: int
    value_a: Value
    value_b: Value
    ratio: float


class GapReason(str, Enum):
    """Why A cannot be estimated in the years only B's classification publishes."""

    NO_YEAR = "no-year"
    """No period has A's value and figures of B's classification both: there is no overlap to carry A through."""
    NOT_COUNTED = "not-counted"
    """In the overlap period, the codes linked to A's cannot all be counted (or the system is too large)."""


class EstimateGap(Struct, frozen=True):
    """Why there is no estimate of A in B's years: the reason, the codes and the year it concerns."""

    reason: GapReason
    codes: tuple[str, ...] = ()
    year: int | None = None


class AcrossYear(Struct, frozen=True):
    """One year of a series across the break: A in its classification, B in its own, and the opt-in estimates."""

    year: int
    value_a: Coverage | None
    value_b: Coverage | None
    linked: Value | None
    """B's definition in a year of A's classification (A's series carried into B's): the interval the overlap period
    allows, each code of A's classification carried with its own change (an estimate); opt-in."""
    estimate_a: Value | None
    """A carried into B's classification from the overlap period: the interval every allocation of firms over the
    concordance's links allows, each code of B's classification carried forward with its own change (an
    estimate)."""
    first_of_b: bool
    """The first year B's classification has a value: where the series crosses the break."""
    ratio_point: Value | None = None
    """A's value times the ratio of B to A in the first year both are valued: a single point inside `linked` that
    assumes A moved as B did (an estimate); opt-in with `linked`."""


class Across(Struct, frozen=True):
    """A definition's series across the classification break, beside its translation."""

    a: Definition
    b: Definition
    measure: Measure
    book_a: Figurebook
    book_b: Figurebook
    years: tuple[AcrossYear, ...]
    overlap: tuple[int, ...]
    ratio: Ratio | None
    system: Overlap | None
    """The overlap period's transport problem the estimates rest on (with `estimate`)."""
    no_estimate: EstimateGap | None
    """Why A cannot be estimated in years only B's classification publishes (None when it can, or was not asked)."""

    @property
    def coverages(self) -> list[Coverage]:
        return [c for y in self.years for c in (y.value_a, y.value_b) if c is not None]

    @property
    def sources(self) -> list[Observation]:
        """Every figure the series rests on, the overlap period's cells of both classifications included."""
        system = self.system.figures if self.system is not None else []
        return list(dict.fromkeys([*figures_behind(self.coverages, partial=True), *system]))


def _point(value: Value | None) -> float | None:
    return value.low if value is not None and value.is_point else None


def across(
    book_a: Figurebook,
    a: Definition,
    book_b: Figurebook,
    b: Definition,
    concordance: Concordance,
    measure: Measure,
    years: Sequence[int] | None = None,
    link: bool = False,
    estimate: bool = False,
) -> Across:
    """A's values in its classification and B's in its own, year by year; with `link`, A's series carried into B's
    classification by their ratio in the first year both are valued (a point that assumes A moved as B did); with
    `estimate`, A in every year B's classification publishes, as the interval the overlap period allows (see
    lshcli.linking)."""
    held_a, held_b = book_a.years(measure), book_b.years(measure)
    span = sorted(set(held_a) | set(held_b)) if years is None else sorted(set(years))
    values_a = dict(book_a.values_by_year(a, measure, [y for y in span if y in held_a]))
    values_b = dict(book_b.values_by_year(b, measure, [y for y in span if y in held_b]))
    both = tuple(y for y in span if y in values_a and y in values_b and values_a[y].available and values_b[y].available)
    ratio = None
    if link and both:
        first = both[0]
        va, vb = values_a[first].value, values_b[first].value
        point_a, point_b = _point(va), _point(vb)
        if va is not None and vb is not None and point_a and point_b is not None:
            ratio = Ratio(first, va, vb, point_b / point_a)
    system: Overlap | None = None
    no_estimate: EstimateGap | None = None
    a_is_old = book_a.sbi.name == DEFAULT
    book_old, book_new = (book_a, book_b) if a_is_old else (book_b, book_a)
    leaves_a, leaves_b = a.leaves(book_a.sbi), b.leaves(book_b.sbi)
    can_estimate = can_link = False
    if estimate or link:
        reach = {x.other for links in concordance.spread(leaves_a, book_a.sbi.name)[0].values() for x in links}
        found = _overlap_period(book_a, a, book_b, measure, frozenset(reach | leaves_b))
        if found is None:
            no_estimate = EstimateGap(GapReason.NO_YEAR)
        else:
            year, reading = found
            old, new = book_old.reading_as(reading), book_new.reading_as(reading)
            held_old, held_new = (leaves_a, leaves_b) if a_is_old else (leaves_b, leaves_a)
            system = overlap(old, new, concordance, measure, year, held_old, held_new)
            free_a = set(system.free_old if a_is_old else system.free_new) if system is not None else set()
            free_b = set(system.free_new if a_is_old else system.free_old) if system is not None else set()
            can_estimate = system is not None and not free_a & leaves_a
            can_link = system is not None and not free_b & leaves_b
            if not can_estimate:
                codes = book_a.sbi.compress(frozenset(free_a & leaves_a), a.code_list) if free_a & leaves_a else ()
                no_estimate = EstimateGap(GapReason.NOT_COUNTED, tuple(codes), year)
            if not (can_estimate and estimate) and not (can_link and link):
                system = None
    rows: list[AcrossYear] = []
    seen_b = False
    for year in span:
        cov_a, cov_b = values_a.get(year), values_b.get(year)
        first_of_b = not seen_b and cov_b is not None and cov_b.available
        seen_b = seen_b or first_of_b
        linked = point_linked = None
        if ratio is not None and cov_a is not None and (held := cov_a.value) is not None:
            point_linked = Value(held.low * ratio.ratio, held.high * ratio.ratio)  # a published range stays one
        if link and can_link and system is not None and cov_a is not None and cov_a.available:
            scale = scales(system, book_a, year, not a_is_old)
            linked = system.carry(not a_is_old, leaves_b, scale) if scale is not None else None
        estimate_a = None
        if estimate and can_estimate and system is not None and cov_b is not None and cov_b.available:
            scale = scales(system, book_b, year, a_is_old)
            estimate_a = system.carry(a_is_old, leaves_a, scale) if scale is not None else None
        rows.append(AcrossYear(year, cov_a, cov_b, linked, estimate_a, first_of_b, point_linked))
    return Across(a, b, measure, book_a, book_b, tuple(rows), both, ratio, system, no_estimate if estimate else None)


def _overlap_period(
    book_a: Figurebook, a: Definition, book_b: Figurebook, measure: Measure, reach: frozenset[str]
) -> tuple[int, Reading] | None:
    """The latest period in which A has a value in its classification and B's classification has figures for the
    codes A's go to (`reach`): the reading's own quarter first, then the others (the overlap of the two
    classifications may lie in another quarter than the one asked for)."""
    quarter = book_a.reading.quarter or 1
    quarters: list[int | None] = [quarter, *(q for q in (1, 2, 3, 4) if q != quarter)] if measure.quarterly else [None]
    found: list[tuple[int, int, Reading]] = []
    for q in quarters:
        reading = structs.replace(book_a.reading, quarter=q)
        side_a, side_b = book_a.reading_as(reading), book_b.reading_as(reading)
        held_b = set(side_b.years(measure))
        for year, cov in side_a.values_by_year(a, measure, [y for y in side_a.years(measure) if y in held_b]):
            if cov.available and side_b.figures(measure, year, reach).touches(reach):
                found.append((year, q or 1, reading))
    if not found:
        return None
    year, _, reading = max(found, key=lambda f: (f[0], f[1]))
    return year, reading
