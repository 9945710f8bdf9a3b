"""The exact-cover rule: sum stored figures over a set of codes so that every code counts exactly once.

A value is the sum of disjoint published figures whose codes together are exactly the codes asked
for, finest figures first. A parent is never read for a child. Where no such cover exists, the
result says which codes are missing and why (`MissingReason`), and, when asked, carries estimates
for codes only a wider figure covers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from msgspec import Struct, structs

from lshcli.measures import Measure
from lshcli.model import Observation, Value, total
from lshcli.sbi import Classification, sort_codes

if TYPE_CHECKING:
    from lshcli.bounds import Bound, Consistency, System


class MissingReason(str, Enum):
    """Why codes have no value of their own."""

    WITHIN_WIDER = "within-wider"
    """Only a wider figure that also holds other codes is published."""
    CELL_MISSING = "cell-missing"
    """The source has the cell, and leaves it empty (missing or secret)."""
    NO_FIGURE = "no-figure"
    """Nothing is stored for these codes."""


class NoEstimateReason(str, Enum):
    """Why a code the data is too coarse for has no estimate."""

    NOT_HELD = "not-held"
    PARENT_EMPTY = "parent-empty"
    NO_SIZE_CLASSES = "no-size-classes"
    NO_FIRMS = "no-firms"
    PARTS_OUTWEIGH = "parts-outweigh"


class NoEstimate(Struct, frozen=True):
    """Why there is no estimate: the codes, the wider figure's codes, the year, and (for missing size classes)
    the size class and the codes it lacks."""

    reason: NoEstimateReason
    codes: tuple[str, ...]
    parent: str
    year: int
    size_class: str = ""


class Missing(Struct, frozen=True):
    """Codes that a measure cannot be counted on, and why."""

    codes: tuple[str, ...]
    reason: MissingReason
    wider: tuple[Observation, ...] = ()
    no_estimate: NoEstimate | None = None

    @property
    def coarser(self) -> bool:
        """True when the data stops above these codes: only a wider code that holds them is published."""
        return self.reason is MissingReason.WITHIN_WIDER

    @property
    def deeper(self) -> bool:
        """True when the wider figure is a single coarser code (26 for 26.60): the data stops above these codes."""
        return self.coarser and len(self.wider[0].sbi) == 1


class Estimate(Struct, frozen=True):
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
    """The method's name (see `estimate.METHODS`)."""


class Estimator(Protocol):
    """Fills codes that only a wider figure covers; returns an Estimate, or why there is none."""

    def estimate(
        self, codes: tuple[str, ...], leaves: frozenset[str], parent: Observation
    ) -> Estimate | NoEstimate: ...


class Coverage(Struct, frozen=True):
    """The value of a measure on a set of codes: the exact cover used, or why there is none and, then, the
    tightest interval the figures allow (`bound`); an interval whose sides meet is a value `derived` from the
    figures by subtraction."""

    leaves: frozenset[str]
    used: tuple[Observation, ...]
    missing: tuple[Missing, ...]
    estimates: tuple[Estimate, ...] = ()
    bound: Bound | None = None
    consistency: Consistency | None = None

    @property
    def derived(self) -> bool:
        """True when no exact cover exists but the figures determine the value all the same (21.20 = 21 - 21.10)."""
        return self.bound is not None and self.bound.exact and not self.estimates

    @property
    def interval(self) -> Bound | None:
        """The bound of a value the figures do not determine (None when there is a value, or nothing limits it)."""
        if self.available or self.bound is None:
            return None
        low, high = self.bound.low, self.bound.high
        if high is None and (low is None or low <= 0):  # "at least 0" says nothing a count does not say
            return None
        return self.bound

    @property
    def outside_bounds(self) -> bool:
        """An estimate that lies outside the interval the published figures allow: flagged wherever it is shown."""
        value = self.value
        if not self.estimated or value is None or self.bound is None:
            return False
        low, high = self.bound.low, self.bound.high
        slack = 1e-6 * max(1.0, abs(value.high))
        return (low is not None and value.low < low - slack) or (high is not None and value.high > high + slack)

    @property
    def resting_on(self) -> tuple[Observation, ...]:
        """The figures the value rests on: the cover, or those that derive or bound it (none for n/a)."""
        if self.derived and self.bound is not None:
            return tuple(o for o, _ in self.bound.terms)
        if self.available:
            return self.used
        return self.interval.figures if self.interval is not None else ()

    @property
    def available(self) -> bool:
        """True when stored figures (and, if asked for, estimates) cover every code exactly once, or determine
        the value by subtraction."""
        return (not self.missing and bool(self.used or self.estimates)) or self.derived

    @property
    def estimated(self) -> bool:
        """True when part of the value is an estimate, never a published figure."""
        return self.available and bool(self.estimates)

    @property
    def value(self) -> Value | None:
        """The sum of the cover and any estimates, or None: never a zero for a missing figure."""
        if not self.available:
            return None
        if self.derived and self.bound is not None and self.bound.low is not None:
            return Value(self.bound.low, self.bound.low)
        lows = [o.value_low for o in self.used]
        highs = [o.value_high for o in self.used]
        if None in lows or None in highs:  # the cover uses figures only; a None here would be a bug
            return None
        # added in order from zero, as `total` adds (the same floats), without a Value for each figure
        low = sum((v for v in lows if v is not None), 0.0)
        high = sum((v for v in highs if v is not None), 0.0)
        return total([Value(low, high), *(e.value for e in self.estimates)])

    @property
    def status(self) -> str:
        """'definitive', 'provisional', a mix of CBS statuses, or '' where the sources state none."""
        if not self.available:
            return ""
        figures = [*self.used, *(e.parent for e in self.estimates)]
        return "+".join(sorted({o.status for o in figures if o.status}))

    @property
    def provisional(self) -> bool:
        """True when any figure used is provisional (or revised provisional)."""
        return "provisional" in self.status

    @property
    def periods(self) -> list[str]:
        """The stored periods the value is read from."""
        return sorted({o.period for o in self.used})


def figures_behind(
    coverages: Sequence[Coverage], extra: Sequence[Observation] = (), partial: bool = False
) -> list[Observation]:
    """The figures some values rest on, in the order footnotes cite them: the published figures used, derived
    from or bounding them (with `partial`, also those of values that are not complete, which a table's rows show),
    `extra`, then each estimate's wider figure and key, once per estimate."""
    used = [o for cov in coverages for o in (cov.used if partial and not cov.available else cov.resting_on)]
    estimates = dict.fromkeys(e for cov in coverages if cov.estimated for e in cov.estimates)
    return [*used, *extra, *(o for e in estimates for o in (e.parent, *e.inputs))]


class FigureSet:
    """The stored observations of one measure in one year, by the set of finest codes each covers."""

    def __init__(
        self,
        measure: Measure,
        year: int,
        observations: Iterable[Observation],
        sbi: Classification,
        quarter: int | None = None,
        estimator: Estimator | None = None,
        widen: Callable[[frozenset[str]], list[Observation]] | None = None,
    ) -> None:
        self.measure = measure
        self.year = year
        self.sbi = sbi
        self.estimator = estimator
        self.widen = widen
        self.preferred = measure.periods(year, quarter)
        self.by_leaves = self._best(observations)
        self._system: System | None = None
        self._ordered: list[tuple[frozenset[str], Observation]] | None = None

    def _best(self, observations: Iterable[Observation]) -> dict[frozenset[str], Observation]:
        """The preferred figure for each set of finest codes (live CBS first, then the measure's own period)."""
        best: dict[frozenset[str], Observation] = {}
        for obs in observations:
            if obs.measure != self.measure.name or obs.period not in self.preferred:
                continue
            leaves = self.sbi.leaves_of(obs.sbi)
            current = best.get(leaves)
            if current is None or _rank(obs, self.preferred) < _rank(current, self.preferred):
                best[leaves] = obs
        return best

    def _usable(self) -> list[tuple[frozenset[str], Observation]]:
        """The figures with a value, finest first, then in code-list order: sorted once for every cover asked of
        this measure and year."""
        if self._ordered is None:
            self._ordered = sorted(
                ((k, o) for k, o in self.by_leaves.items() if o.has_value),
                key=lambda item: (len(item[0]), _code_order(item[1].sbi)),
            )
        return self._ordered

    @property
    def system(self) -> System:
        """The figures as linear equations, for bounds where no exact cover exists (built on first use).

        A wider figure's other codes have figures of their own that narrow the bounds (72.11.2+72.19.3 from
        the topsector's whole minus its other parts), so the figures around every code in play are read too,
        a few rounds out.
        """
        if self._system is None:
            from lshcli.bounds import System

            figures = dict(self.by_leaves)
            if self.widen is not None:
                known: frozenset[str] = frozenset().union(*figures) if figures else frozenset()
                for _ in range(3):
                    extra = self._best(self.widen(known))
                    for leaves, obs in extra.items():
                        figures.setdefault(leaves, obs)
                    grown = frozenset().union(*figures)
                    if grown == known:
                        break
                    known = grown
            self._system = System(self.measure, figures, self.preferred)
        return self._system

    def bound(self, objective: dict[str, float]) -> Bound:
        """The tightest interval the figures allow for a signed sum of finest codes."""
        return self.system.bound(objective)

    def touches(self, leaves: frozenset[str]) -> bool:
        """True when some stored figure lies inside `leaves` (so the definition has any data at all)."""
        return any(k <= leaves for k in self.by_leaves)

    def whole(self, leaves: frozenset[str]) -> Observation | None:
        """A single stored figure for exactly this set of codes, if there is one."""
        return self.by_leaves.get(leaves)

    def cover(self, leaves: frozenset[str], name_with: Iterable[str] = (), bound: bool = True) -> Coverage:
        """Sum stored figures that cover `leaves` exactly once, finest figures first.

        `name_with` are codes used to name uncovered parts (the definitions' own codes). A cover read
        from live CBS rows alone beats one that mixes in figures from the bundled snapshot. Where there is
        none, the figures bound the value (`bound=False` asks only whether an exact cover exists, and never
        starts the solver).
        """
        usable = [(k, o) for k, o in self._usable() if _inside(k, leaves)]
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
        missing = self._why(frozenset(remaining), leaves, name_with)
        interval, consistency = None, None
        if bound and missing and self.by_leaves:
            interval = self.bound(dict.fromkeys(leaves, 1.0))
            consistency = self.system.consistency()
        if self.estimator is None:
            return Coverage(leaves, tuple(covered), missing, (), interval, consistency)
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
                still.append(structs.replace(m, no_estimate=estimate))
        return Coverage(leaves, tuple(covered), tuple(still), tuple(estimates), interval, consistency)

    def _why(self, uncovered: frozenset[str], target: frozenset[str], name_with: Iterable[str]) -> tuple[Missing, ...]:
        names = self.sbi.compress(uncovered, [c for n in name_with for c in [n, *self.sbi.descendants(n)]])
        grouped: dict[tuple[MissingReason, tuple[Observation, ...]], list[str]] = {}
        # the figures finest first (in their order among equals), each found through its codes: a name is asked of
        # the few figures that touch it, not of every figure (a large definition has hundreds of names to tell)
        ordered = sorted(self.by_leaves.items(), key=lambda item: len(item[0]))
        at: dict[str, list[int]] = {}
        for position, (held, _) in enumerate(ordered):
            for leaf in held:
                at.setdefault(leaf, []).append(position)
        for name in names:
            own = self.sbi.leaves(name)
            touching = [ordered[p] for p in sorted({p for leaf in own for p in at.get(leaf, ())})]
            secret = [o for k, o in touching if k <= target and not o.has_value]
            wider = tuple(o for k, o in touching if not k <= target and o.has_value)
            if secret:
                key: tuple[MissingReason, tuple[Observation, ...]] = (MissingReason.CELL_MISSING, ())
            elif wider:
                key = (MissingReason.WITHIN_WIDER, wider[:1])
            else:
                key = (MissingReason.NO_FIGURE, ())
            grouped.setdefault(key, []).append(name)
        return tuple(Missing(tuple(codes), reason, wider) for (reason, wider), codes in grouped.items())


@functools.lru_cache(maxsize=65536)
def _inside(codes: frozenset[str], leaves: frozenset[str]) -> bool:
    """Whether a figure's finest codes lie within `leaves`, answered once for each pair: a count asks it of the same
    figures' codes in every measure and year, and a division's are dozens long. (A definition's finest codes are one
    set each time they are asked, `Classification.leaves_of`, so a pair is found by identity.)"""
    return codes <= leaves


@functools.lru_cache(maxsize=65536)
def _code_order(codes: tuple[str, ...]) -> list[str]:
    """A figure's codes in code-list order, worked out once per code set (a year of a large definition sorts a
    thousand figures by it)."""
    return sort_codes(codes)


def _rank(obs: Observation, preferred: Sequence[str]) -> tuple[int, int, int, int]:
    """Live CBS rows beat the snapshot, then the preferred period, then a figure over an empty cell, then the figure
    of the finer code where two codes hold the same finest codes (class 21.10 over group 21.1, its only class): the
    same figure is cited whichever codes were read around it."""
    return (
        0 if obs.source.kind == "cbs" else 1,
        list(preferred).index(obs.period),
        0 if obs.has_value else 1,
        -sum(len(code) for code in obs.sbi),
    )


def _first_path(
    target: frozenset[str], order: Sequence[str], by_leaf: dict[str, list[tuple[frozenset[str], Observation]]]
) -> list[Observation] | None:
    """The path the search below tries first (for each first uncovered code, its finest figure that fits), if it
    covers `target` exactly: most covers are found so, and this finds them without copying the uncovered codes at
    each step."""
    covered: set[str] = set()
    chosen: list[Observation] = []
    for leaf in order:
        if leaf in covered:
            continue
        for key, obs in by_leaf.get(leaf, ()):
            if key <= target and covered.isdisjoint(key):
                covered.update(key)
                chosen.append(obs)
                break
        else:
            return None
    return chosen


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
    order = sorted(target)
    greedy = _first_path(target, order, by_leaf)  # the search's first path, without a set copied at each step
    if greedy is not None:
        return greedy
    failed: set[frozenset[str]] = set()

    def options(remaining: frozenset[str], start: int) -> tuple[int, list[tuple[frozenset[str], Observation]]]:
        """The first uncovered code's place in `order` (every code before it is covered: each choice covers the
        first uncovered code) and the figures to try for `remaining`, last to try first (the stack pops from the
        end)."""
        if remaining in failed:
            return start, []
        while order[start] not in remaining:
            start += 1
        return start, [item for item in reversed(by_leaf.get(order[start], [])) if item[0] <= remaining]

    chosen: list[Observation] = []
    first, todo = options(target, 0)
    frames = [(target, todo, first)]
    while frames:
        remaining, todo, at = frames[-1]
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
        start, more = options(rest, at)
        frames.append((rest, more, start))
    return None
