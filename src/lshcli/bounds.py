"""The tightest interval the published figures allow, where the exact cover finds no value (linear programming).

Each published figure of a measure and year is an equation over the unknown values of the finest codes
it covers (a published range, a pair of inequalities). Finest codes cannot hold a negative number of
firms, jobs or euros of turnover, so each unknown is at least zero, except for value added, which can
be negative for a branch. Any quantity asked for (a total, a row, a difference) is a linear objective
over the unknowns; its minimum and maximum are the bounds. A side the figures do not limit stays open.

Figures can contradict each other. Before anything is bounded the whole system is checked: if the
figures as published have no solution, each gets the tolerance its publication implies (a count
rounded to 5 lies within 2 of the truth); if that does not reconcile them either, the lowest-ranked
figures are set aside one by one (the snapshot before live CBS rows, coarser before finer, a
substitute period before the measure's own), and what was set aside is kept with the amount by which
it disagrees.

Where each finest code lies in one figure at most (the figures are separable: division totals, say), each
unknown is in one constraint and interval arithmetic gives the tightest bounds, their binding figures and a
row's share of a gap, with no solver. Where the figures are nested (sections, divisions, groups, classes),
whether they agree and which give way is settled on their tree (`lshcli.nested`), with no solver either.
Elsewhere the solver is HiGHS (highspy), imported only here and only then.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from lshcli import nested
from lshcli.measures import Measure
from lshcli.model import Observation

if TYPE_CHECKING:
    from fractions import Fraction

EPSILON = 1e-7


def _solver() -> None:
    """Before the solver (and numpy with it) is imported: one BLAS thread. lsh hands HiGHS a few small arrays,
    and idle BLAS threads spinning on the other cores cost CPU (and a busy machine's wall time) for nothing."""
    import os

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")


MAX_ALLOWED = 12
"""The most set-aside figures whose allowed interval is computed (each takes two programmes)."""


class Bound(Struct, frozen=True):
    """The tightest interval for a quantity; a side is None where the figures do not limit it."""

    low: float | None
    high: float | None
    binds_low: tuple[Observation, ...]
    """The figures that set the lower side (those with a non-zero dual at the minimum)."""
    binds_high: tuple[Observation, ...]
    terms: tuple[tuple[Observation, float], ...] = ()
    """When the bound is exact: the figures it is derived from and their signs (21.20 = 21 - 21.10)."""

    @property
    def exact(self) -> bool:
        """Both sides meet: the figures determine the quantity."""
        return (
            self.low is not None
            and self.high is not None
            and abs(self.high - self.low) <= EPSILON * max(1.0, abs(self.high))
        )

    @property
    def bounded(self) -> bool:
        """Some side is limited (an interval with two open sides says nothing)."""
        return self.low is not None or self.high is not None

    @property
    def figures(self) -> tuple[Observation, ...]:
        """Every figure either side rests on, once."""
        return tuple(dict.fromkeys([*self.binds_low, *self.binds_high]))


class SetAside(Struct, frozen=True):
    """A figure the others contradict: what it says, and the interval the figures kept allow for its codes."""

    figure: Observation
    allowed_low: float | None
    allowed_high: float | None


class Consistency(Struct, frozen=True):
    """How the figures of one measure and year were made to agree: as published, within rounding, or not."""

    tolerant: bool
    """The figures agree only within the tolerance their publication implies."""
    set_aside: tuple[SetAside, ...]


def tolerance(obs: Observation, measure: Measure) -> float:
    """How far the truth may lie from a published point: 2 for a count of firms rounded to a multiple of 5,
    else half of the last decimal it is published to (0.05 for 12.9), nothing for a range."""
    if obs.value_low is None or obs.value_high is None or obs.value_low != obs.value_high:
        return 0.0
    value = obs.value_low
    if measure.unit == "firms":
        return 2.0 if value % 5 == 0 else 0.0
    text = repr(float(value))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    return 0.5 * 10.0 ** -max(decimals, 1)


def _rank(obs: Observation, leaves: frozenset[str], preferred: Sequence[str]) -> tuple[int, int, int]:
    """How much a figure is trusted: live CBS first, then finer, then the measure's own period (lower is better)."""
    period = list(preferred).index(obs.period) if obs.period in preferred else len(preferred)
    return (0 if obs.source.kind == "cbs" else 1, len(leaves), period)


class System:
    """The published figures of one measure and year as linear equations over their finest codes."""

    def __init__(
        self,
        measure: Measure,
        figures: Mapping[frozenset[str], Observation],
        preferred: Sequence[str],
        force_lp: bool = False,
    ) -> None:
        self.measure = measure
        self.signed = measure.name == "value_added"
        self.rows = [(k, o) for k, o in figures.items() if o.has_value]
        self.preferred = preferred
        self._checked: Consistency | None = None
        self._kept: list[tuple[frozenset[str], Observation]] = []
        self._tolerant = False
        self.force_lp = force_lp
        self._closed_rows: list[tuple[frozenset[str], Observation]] | None = None
        """The figures kept, less those their parts imply, where that leaves them separable (and not merely within
        rounding): the bounds then follow from interval arithmetic over these, with no solver."""

    @property
    def separable(self) -> bool:
        """Every finest code lies in one figure at most: each unknown is in one constraint, so interval arithmetic
        gives the tightest bounds, and the solver is never imported."""
        return _separable(self.rows) and not self.force_lp

    def consistency(self) -> Consistency:
        """Check the system once: as published, within rounding, or with the figures that disagree set aside.

        Which figures to set aside comes from one elastic programme: every figure may deviate from what it
        says, at a cost per unit that grows with its rank (a live CBS row costs more than a snapshot figure,
        a finer figure more than a coarser one), and the cheapest way to make them agree names the figures
        that must give way.
        """
        if self._checked is not None:
            return self._checked
        kept = list(self.rows)
        simple = self._simple(kept)
        if simple is not None and self._holds(simple):  # each figure alone decides: no programme needed
            self._kept, self._tolerant, self._checked = kept, False, Consistency(False, ())
            self._closed_rows = simple
            return self._checked
        if self._feasible(kept, False):  # not separable once the implied figures are left out: the programme decides
            self._kept, self._tolerant, self._checked = kept, False, Consistency(False, ())
            return self._checked
        if self._feasible(kept, True):
            self._kept, self._tolerant, self._checked = kept, True, Consistency(True, ())
            return self._checked
        off = self._elastic(kept)
        dropped = [row for row, deviation in zip(kept, off, strict=True) if deviation > EPSILON]
        kept = [row for row, deviation in zip(kept, off, strict=True) if deviation <= EPSILON]
        simple = self._simple(kept)
        tolerant = not (self._holds(simple) if simple is not None else self._feasible(kept, False))
        self._kept, self._tolerant = kept, tolerant
        self._closed_rows = None if tolerant else simple
        aside = []
        for index, (key, obs) in enumerate(dropped):
            if index < MAX_ALLOWED:
                low, high = self._extremes({leaf: 1.0 for leaf in key})
            else:  # many figures disagree: the interval of the first few is said, the rest are named
                low = high = None
            aside.append(SetAside(obs, low, high))
        self._checked = Consistency(tolerant, tuple(aside))
        return self._checked

    def _weight(self, key: frozenset[str], obs: Observation) -> Fraction:
        """What it costs for a figure to be off by one: live CBS above the snapshot, finer above coarser. Exact,
        so that two figures that cost the same tie."""
        from fractions import Fraction

        period = Fraction(1) if obs.period == self.preferred[0] else Fraction(1, 2)
        return (1000 if obs.source.kind == "cbs" else 1) * Fraction(1000, len(key)) * period

    def _sides(self, rows: list[tuple[frozenset[str], Observation]], tolerant: bool) -> tuple[list[float], list[float]]:
        """Each figure's interval, widened by its tolerance where `tolerant`."""
        lows, highs = [], []
        for _, obs in rows:
            slack = tolerance(obs, self.measure) if tolerant else 0.0
            assert obs.value_low is not None and obs.value_high is not None
            lows.append(obs.value_low - slack)
            highs.append(obs.value_high + slack)
        return lows, highs

    def _nested(self, rows: list[tuple[frozenset[str], Observation]]) -> list[int] | None:
        """Each figure's parent where the figures are nested (and the solver is not asked for), else None."""
        return None if self.force_lp else nested.parents([key for key, _ in rows])

    def _elastic(self, rows: list[tuple[frozenset[str], Observation]]) -> list[float]:
        """How far each figure must give way (beyond its tolerance) for all to hold at the least weighted cost.
        Nested counts need no solver; where two ways cost the same, the less trusted figure gives way."""
        parent = None if self.signed else self._nested(rows)
        lows, highs = self._sides(rows, True)
        weights = [self._weight(key, obs) for key, obs in rows]
        if parent is not None:
            order = sorted(
                range(len(rows)), key=lambda r: (_rank(rows[r][1], rows[r][0], self.preferred), sorted(rows[r][0]))
            )
            trust = [0] * len(rows)
            for place, r in enumerate(order):
                trust[r] = place
            return nested.elastic([key for key, _ in rows], lows, highs, weights, parent, trust)[0]
        return _elastic_lp([key for key, _ in rows], lows, highs, [float(w) for w in weights], self.signed)

    def bound(self, objective: Mapping[str, float]) -> Bound:
        """The minimum and maximum of a sum of finest codes (each with its coefficient) that the figures allow."""
        self.consistency()
        if self._closed_rows is not None:
            lows = self._closed(objective, False, self._closed_rows)
            highs = self._closed(objective, True, self._closed_rows)
        else:
            lows = self._solve(self._kept, self._tolerant, objective, maximize=False)
            highs = self._solve(self._kept, self._tolerant, objective, maximize=True)
        low, low_binds, low_terms = lows
        high, high_binds, _ = highs
        found = Bound(low, high, low_binds, high_binds)
        if found.exact:
            return Bound(low, high, low_binds, high_binds, low_terms)
        return found

    def ratio(self, numerator: Mapping[str, float], denominator: Mapping[str, float]) -> tuple[float, float] | None:
        """The smallest and largest value of a ratio of two signed sums (a row's share of the gap), or None where
        the denominator can be zero or either side is open.

        A ratio of linear sums is no linear objective; with the Charnes-Cooper substitution y = x / (d.x),
        t = 1 / (d.x) it is one: the extremes of n.y subject to the figures scaled by t and d.y = 1.
        """
        whole = self.bound(denominator)
        if whole.low is None or whole.high is None or (whole.low <= EPSILON and whole.high >= -EPSILON):
            return None  # the denominator can be zero (a gap of exactly nothing included)
        sign = 1.0 if whole.low > 0 else -1.0
        flipped = {leaf: sign * v for leaf, v in denominator.items()}
        closed = self._closed_rows
        low = self._dinkelbach(numerator, flipped, False, closed) if closed is not None else None
        high = self._dinkelbach(numerator, flipped, True, closed) if closed is not None else None
        if low is None or high is None:  # not separable, or open somewhere: the programme decides
            low = self._fractional(numerator, flipped, maximize=False)
            high = self._fractional(numerator, flipped, maximize=True)
        if low is None or high is None:
            return None
        return (low, high) if sign > 0 else (-high, -low)

    # --- separable figures: interval arithmetic -----------------------------------------------------------

    def _simple(
        self, rows: list[tuple[frozenset[str], Observation]]
    ) -> list[tuple[frozenset[str], Observation]] | None:
        """`rows` less the figures their parts imply, where what is left is separable; else None.

        A figure is implied where other figures split its codes exactly and the sum of their intervals lies within
        its own (a division of 200 published with its classes of 30 and 170): every point the parts allow, it
        allows, so leaving it out changes no bound. Parents are tried from the finest up, so a grandparent is
        tried against the figures left below it.
        """
        if self.force_lp:
            return None
        if _separable(rows):
            return rows
        left = list(rows)  # in their order, which the binding figures are named in
        for key, obs in sorted(rows, key=lambda row: len(row[0])):
            inside = [row for row in left if row[0] < key]
            parts = [row for row in inside if not any(row[0] < other[0] for other in inside)]
            if sum(len(k) for k, _ in parts) != len(key) or frozenset().union(*(k for k, _ in parts)) != key:
                continue  # the figures inside do not split it exactly
            assert obs.value_low is not None and obs.value_high is not None
            low = math.fsum(o.value_low for _, o in parts if o.value_low is not None)
            high = math.fsum(o.value_high for _, o in parts if o.value_high is not None)
            if obs.value_low <= low and high <= obs.value_high:
                left.remove((key, obs))
        return left if _separable(left) else None

    def _holds(self, rows: list[tuple[frozenset[str], Observation]]) -> bool:
        """Whether separable figures hold as published: each alone can (a count cannot be below zero)."""
        return self.signed or all((obs.value_high or 0.0) >= 0 for _, obs in rows)

    def _vertex(
        self, objective: Mapping[str, float], maximize: bool, rows: list[tuple[frozenset[str], Observation]]
    ) -> tuple[float, dict[str, float], tuple[tuple[Observation, float], ...]] | None:
        """The extreme of a linear objective over separable figures, a point where it is reached, and the figures
        that bind it with their coefficients; None where the figures leave it open. Each figure is one sum
        low <= x1 + ... + xk <= high over codes no other figure holds: the extreme puts the whole sum on the code
        with the best coefficient, at the side of the sum that coefficient favours."""
        held = {leaf for key, _ in rows for leaf in key}
        for leaf, c in objective.items():  # a code no figure holds is limited by nothing but zero
            if leaf not in held and c != 0 and (self.signed or (c > 0) == maximize):
                return None
        terms: list[float] = []
        point: dict[str, float] = {}
        binds: list[tuple[Observation, float]] = []
        for key, obs in rows:
            assert obs.value_low is not None and obs.value_high is not None
            low, high = obs.value_low, obs.value_high
            ordered = sorted(key)
            coefficients = [objective.get(leaf, 0.0) for leaf in ordered]
            if self.signed:
                if len(set(coefficients)) > 1:  # codes free in sign with different weights: no extreme
                    return None
                best, leaf = coefficients[0], ordered[0]
                side = high if (best > 0) == maximize else low
            else:
                best = max(coefficients) if maximize else min(coefficients)
                leaf = ordered[coefficients.index(best)]
                side = high if (best > 0) == maximize else max(low, 0.0)
            point[leaf] = side
            if best != 0:
                terms.append(best * side)
                if side == high or (side == low and (self.signed or low > 0)):  # the figure, not zero, sets it
                    binds.append((obs, best))
        return math.fsum(terms), point, tuple(binds)  # summed exactly: the solver's sums are not off in the 14th digit

    def _closed(
        self, objective: Mapping[str, float], maximize: bool, rows: list[tuple[frozenset[str], Observation]]
    ) -> tuple[float | None, tuple[Observation, ...], tuple[tuple[Observation, float], ...]]:
        """One side of a bound over separable figures `rows`, as `_solve` gives it."""
        found = self._vertex(objective, maximize, rows)
        if found is None:
            return None, (), ()
        value, _, binds = found
        return value, tuple(o for o, _ in binds), binds

    def _dinkelbach(
        self,
        numerator: Mapping[str, float],
        denominator: Mapping[str, float],
        maximize: bool,
        rows: list[tuple[frozenset[str], Observation]],
    ) -> float | None:
        """One end of n.x / d.x (d.x > 0 throughout) over separable figures: Dinkelbach's iteration, each step an
        extreme of n - r.d, which ends at a vertex in a few steps; None where a step is open (the programme then
        decides)."""
        start = self._vertex(denominator, False, rows)
        if start is None:
            return None

        def dot(weights: Mapping[str, float], point: Mapping[str, float]) -> float:
            return sum(weights.get(leaf, 0.0) * v for leaf, v in point.items())

        point = start[1]
        ratio = dot(numerator, point) / dot(denominator, point)
        for _ in range(100):
            leaves = set(numerator) | set(denominator)
            shifted = {leaf: numerator.get(leaf, 0.0) - ratio * denominator.get(leaf, 0.0) for leaf in leaves}
            found = self._vertex(shifted, maximize, rows)
            if found is None:
                return None
            value, point, _ = found
            scale = max(1.0, abs(dot(numerator, point)), abs(dot(denominator, point)))
            if (value <= EPSILON * scale) if maximize else (value >= -EPSILON * scale):
                return ratio
            ratio = dot(numerator, point) / dot(denominator, point)
        return None

    # --- the linear programs --------------------------------------------------------------------------------

    def _fractional(
        self, numerator: Mapping[str, float], denominator: Mapping[str, float], maximize: bool
    ) -> float | None:
        """One end of n.x / d.x (d.x > 0 throughout) as a linear programme in (y, t)."""
        _solver()
        import highspy
        import numpy as np

        rows = self._kept
        leaves = sorted({leaf for key, _ in rows for leaf in key} | set(numerator) | set(denominator))
        column = {leaf: i for i, leaf in enumerate(leaves)}
        t = len(leaves)  # the last column
        lp: Any = highspy.HighsLp()
        lp.num_col_ = t + 1
        cost = [numerator.get(leaf, 0.0) for leaf in leaves] + [0.0]
        lp.col_cost_ = np.array(cost, dtype=float)
        lower = -highspy.kHighsInf if self.signed else 0.0
        lp.col_lower_ = np.array([lower] * t + [0.0], dtype=float)
        lp.col_upper_ = np.full(t + 1, highspy.kHighsInf, dtype=float)
        entries: list[list[tuple[int, float]]] = [[] for _ in range(t + 1)]
        row_low: list[float] = []
        row_high: list[float] = []
        r = 0
        for key, obs in rows:
            slack = tolerance(obs, self.measure) if self._tolerant else 0.0
            assert obs.value_low is not None and obs.value_high is not None
            for bound, is_low in ((obs.value_low - slack, True), (obs.value_high + slack, False)):
                for leaf in key:  # sum(y over the figure's codes) - bound * t  >= 0 (low side) or <= 0 (high side)
                    entries[column[leaf]].append((r, 1.0))
                entries[t].append((r, -bound))
                row_low.append(0.0 if is_low else -highspy.kHighsInf)
                row_high.append(highspy.kHighsInf if is_low else 0.0)
                r += 1
        for leaf, weight in denominator.items():  # d.y = 1
            entries[column[leaf]].append((r, weight))
        row_low.append(1.0)
        row_high.append(1.0)
        r += 1
        lp.num_row_ = r
        lp.row_lower_, lp.row_upper_ = np.array(row_low, dtype=float), np.array(row_high, dtype=float)
        status, found, _, _ = _solve_lp(lp, entries, maximize)
        return found if status == "optimal" else None

    def _extremes(self, objective: Mapping[str, float]) -> tuple[float | None, float | None]:
        """Both ends of a sum over the figures kept: by interval arithmetic where `consistency` found them
        separable once those their parts imply are left out, else by the programme."""
        closed = self._closed_rows
        if closed is not None:
            return self._closed(objective, False, closed)[0], self._closed(objective, True, closed)[0]
        low = self._solve(self._kept, self._tolerant, objective, maximize=False)[0]
        high = self._solve(self._kept, self._tolerant, objective, maximize=True)[0]
        return low, high

    def _feasible(self, rows: list[tuple[frozenset[str], Observation]], tolerant: bool) -> bool:
        parent = self._nested(rows)
        if parent is not None:  # nested figures: their intervals from the finest up, no solver
            lows, highs = self._sides(rows, tolerant)
            return nested.feasible([key for key, _ in rows], lows, highs, parent, self.signed)
        return self._run(rows, tolerant, {}, maximize=False)[0] != "infeasible"

    def _solve(
        self,
        rows: list[tuple[frozenset[str], Observation]],
        tolerant: bool,
        objective: Mapping[str, float],
        maximize: bool,
    ) -> tuple[float | None, tuple[Observation, ...], tuple[tuple[Observation, float], ...]]:
        status, value, duals = self._run(rows, tolerant, objective, maximize)
        if status != "optimal":
            return None, (), ()
        binding = [(obs, d) for (_, obs), d in zip(rows, duals, strict=True) if abs(d) > EPSILON]
        return value, tuple(o for o, _ in binding), tuple(binding)

    def _run(
        self,
        rows: list[tuple[frozenset[str], Observation]],
        tolerant: bool,
        objective: Mapping[str, float],
        maximize: bool,
    ) -> tuple[str, float | None, list[float]]:
        """One LP: 'optimal' with the objective and the row duals, 'unbounded', or 'infeasible'."""
        _solver()
        import highspy
        import numpy as np

        leaves = sorted({leaf for key, _ in rows for leaf in key} | set(objective))
        column = {leaf: i for i, leaf in enumerate(leaves)}
        lp: Any = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = len(leaves), len(rows)
        lp.col_cost_ = np.array([objective.get(leaf, 0.0) for leaf in leaves], dtype=float)
        lower = -highspy.kHighsInf if self.signed else 0.0
        lp.col_lower_ = np.full(len(leaves), lower, dtype=float)
        lp.col_upper_ = np.full(len(leaves), highspy.kHighsInf, dtype=float)
        lows, highs = self._sides(rows, tolerant)
        lp.row_lower_, lp.row_upper_ = np.array(lows, dtype=float), np.array(highs, dtype=float)
        entries: list[list[tuple[int, float]]] = [[] for _ in leaves]
        for r, (key, _) in enumerate(rows):
            for leaf in key:
                entries[column[leaf]].append((r, 1.0))
        status, value, duals, _ = _solve_lp(lp, entries, maximize)
        return status, value, duals


def _separable(rows: Sequence[tuple[frozenset[str], Observation]]) -> bool:
    """Every finest code lies in one figure at most."""
    leaves = [leaf for key, _ in rows for leaf in key]
    return len(leaves) == len(set(leaves))


def _elastic_lp(
    keys: list[frozenset[str]], lows: list[float], highs: list[float], weights: list[float], signed: bool
) -> list[float]:
    """The elastic programme for the solver: each figure's deviation beyond its interval, at the least cost."""
    _solver()
    import highspy
    import numpy as np

    leaves = sorted({leaf for key in keys for leaf in key})
    column = {leaf: i for i, leaf in enumerate(leaves)}
    n, m = len(leaves), len(keys)
    lp: Any = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + 2 * m, m
    lp.col_cost_ = np.array([0.0] * n + [w for w in weights for _ in (0, 1)], dtype=float)
    lower = -highspy.kHighsInf if signed else 0.0
    lp.col_lower_ = np.array([lower] * n + [0.0] * (2 * m), dtype=float)
    lp.col_upper_ = np.full(n + 2 * m, highspy.kHighsInf, dtype=float)
    lp.row_lower_, lp.row_upper_ = np.array(lows, dtype=float), np.array(highs, dtype=float)
    entries: list[list[tuple[int, float]]] = [[] for _ in range(n + 2 * m)]
    for r, key in enumerate(keys):
        for leaf in key:
            entries[column[leaf]].append((r, 1.0))
        entries[n + 2 * r].append((r, 1.0))  # the figure says more than the others allow
        entries[n + 2 * r + 1].append((r, -1.0))  # or less
    status, _, _, values = _solve_lp(lp, entries, maximize=False)
    if status != "optimal":
        return [0.0] * m
    return [values[n + 2 * r] + values[n + 2 * r + 1] for r in range(m)]


def _solve_lp(
    lp: Any, entries: list[list[tuple[int, float]]], maximize: bool
) -> tuple[str, float | None, list[float], list[float]]:
    """Solve a programme given column by column: 'optimal' (with its objective, row duals and column values),
    'infeasible' or 'unbounded'."""
    _solver()
    import highspy
    import numpy as np

    starts = np.cumsum([0, *(len(e) for e in entries)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = starts.astype(np.int32)
    lp.a_matrix_.index_ = np.array([i for e in entries for i, _ in e], dtype=np.int32)
    lp.a_matrix_.value_ = np.array([v for e in entries for _, v in e], dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    solver = highspy._core._Highs()  # the bare solver: the wrapper class prints a banner on stdout
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        solution = solver.getSolution()
        duals = [float(d) for d in solution.row_dual]
        values = [float(v) for v in solution.col_value]
        return "optimal", float(solver.getInfo().objective_function_value), duals, values
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, [], []
    return "unbounded", None, [], []
