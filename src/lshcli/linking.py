"""Carrying a definition across the classification break through a period both classifications publish.

In such an overlap period every firm counted under an SBI 2008 code is counted under an SBI 2025 code too.
How many firms moved from each old code to each new one is not published, but the concordance says which
moves are possible: one unknown per link. Each old cell is the sum of the moves out of it and each new cell
the sum of the moves into it: exactly where the cells allow that, else within CBS's rounding (as the bounds
do, see lshcli.bounds). Firms re-coded outside the concordance's links take an explicit slack, held at the
fewest firms the cells require, and reported.

A definition of old codes, in a later period that only the new classification publishes, is then the sum
over the new codes of the firms it sent to each, carried forward with that new code's own change. The
smallest and largest such sum over every allocation the overlap allows is an interval; where every link is
one to one (21.10 -> 21.10.0) the interval is a point. The same holds the other way round, for a definition
of new codes carried back into the old classification's years.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from lshcli.bounds import EPSILON, tolerance
from lshcli.concordance import Concordance
from lshcli.measures import Measure
from lshcli.model import Observation, Value
from lshcli.query import Figurebook

MAX_LEAVES = 2000
"""The most finest codes, on both sides together, a system of linked codes is built over."""


@dataclass(frozen=True)
class Overlap:
    """The cells of both classifications in one period, as one transport problem over the concordance's links.

    `rows` are old-classification figures, `columns` new-classification ones; `links` the pairs (row, column)
    a firm can move along. Codes with no figure in the period (`free_old`, `free_new`) are left free: their
    firms are unknown, which widens every interval built on them."""

    year: int
    period: str
    rows: tuple[Observation, ...]
    columns: tuple[Observation, ...]
    links: tuple[tuple[int, int], ...]
    free_old: tuple[str, ...]
    free_new: tuple[str, ...]
    slack: float
    """The fewest firms that must have changed code outside the concordance's links for the cells to agree."""
    tolerant: bool
    """Whether the cells are read within their rounding (they do not agree exactly without slack)."""
    measure: Measure
    row_leaves: tuple[frozenset[str], ...]
    column_leaves: tuple[frozenset[str], ...]

    def carry(self, old_side: bool, held: frozenset[str], scale: Mapping[int, float]) -> Value | None:
        """The interval of a definition's value in another period: with `old_side`, a definition of old codes
        (`held`) carried into the new classification, each column scaled by its own change (`scale`, by column);
        else a definition of new codes carried into the old classification, each row scaled. None where a side
        of the interval is open."""
        mine = self.row_leaves if old_side else self.column_leaves
        inside = {i for i, leaves in enumerate(mine) if leaves <= held}
        objective: dict[int, float] = {}
        for k, (r, c) in enumerate(self.links):
            if (r if old_side else c) in inside:
                other = c if old_side else r
                if other not in scale:  # firms sent to a code whose change is unknown
                    return None
                objective[k] = scale[other]
        low = self._solve(objective, maximize=False)
        high = self._solve(objective, maximize=True)
        if low is None or high is None:
            return None
        low, high = round(max(low, 0.0), 6), round(max(high, 0.0), 6)  # no solver noise in what is shown
        if high - low <= EPSILON * max(1.0, high):
            return Value(low, low)
        return Value(low, high)

    def _solve(self, objective: Mapping[int, float], maximize: bool, slack_cap: float | None = -1.0) -> float | None:
        """One programme over the links (and the slack of every row and column)."""
        import highspy
        import numpy as np

        from lshcli.bounds import _solve_lp

        cap = self.slack + EPSILON * max(1.0, self.slack) if slack_cap == -1.0 else slack_cap
        n_links, n_rows, n_cols = len(self.links), len(self.rows), len(self.columns)
        n_vars = n_links + n_rows + n_cols  # the moves, then a slack per row and per column
        constraints: list[tuple[float, float]] = []
        entries: list[list[tuple[int, float]]] = [[] for _ in range(n_vars)]
        for r, obs in enumerate(self.rows):
            constraints.append(_interval(obs, self.measure, self.tolerant))
            for k, (row, _) in enumerate(self.links):
                if row == r:
                    entries[k].append((r, 1.0))
            entries[n_links + r].append((r, 1.0))
        for c, obs in enumerate(self.columns):
            index = n_rows + c
            constraints.append(_interval(obs, self.measure, self.tolerant))
            for k, (_, column) in enumerate(self.links):
                if column == c:
                    entries[k].append((index, 1.0))
            entries[n_links + n_rows + c].append((index, 1.0))
        if cap is not None:  # the slack held at its least
            total = len(constraints)
            constraints.append((0.0, cap))
            for v in range(n_links, n_vars):
                entries[v].append((total, 1.0))
        lp: Any = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_vars, len(constraints)
        lp.col_cost_ = np.array(
            [objective.get(k, 0.0) for k in range(n_links)] + [0.0 if cap is not None else 1.0] * (n_rows + n_cols),
            dtype=float,
        )
        lp.col_lower_ = np.zeros(n_vars, dtype=float)
        lp.col_upper_ = np.full(n_vars, highspy.kHighsInf, dtype=float)
        lp.row_lower_ = np.array([low for low, _ in constraints], dtype=float)
        lp.row_upper_ = np.array([high for _, high in constraints], dtype=float)
        status, value, _, _ = _solve_lp(lp, entries, maximize)
        return value if status == "optimal" else None


def _interval(obs: Observation, measure: Measure, tolerant: bool) -> tuple[float, float]:
    """Where the truth of a figure lies: its value (or range), widened by the rounding its publication implies
    where `tolerant`."""
    assert obs.value_low is not None and obs.value_high is not None
    slack = tolerance(obs, measure) if tolerant else 0.0
    return max(0.0, obs.value_low - slack), obs.value_high + slack


def component(
    concordance: Concordance, old: frozenset[str], new: frozenset[str], old_name: str, new_name: str
) -> tuple[frozenset[str], frozenset[str]] | None:
    """Every finest code, on either side, linked to the given ones through the concordance (None when more than
    MAX_LEAVES are)."""
    seen_old, seen_new = set(old), set(new)
    todo_old, todo_new = set(old), set(new)
    while todo_old or todo_new:
        reached_new = {x.other for links in concordance.spread(todo_old, old_name)[0].values() for x in links}
        reached_old = {x.other for links in concordance.spread(todo_new, new_name)[0].values() for x in links}
        todo_new, todo_old = reached_new - seen_new, reached_old - seen_old
        seen_new |= todo_new
        seen_old |= todo_old
        if len(seen_old) + len(seen_new) > MAX_LEAVES:
            return None
    return frozenset(seen_old), frozenset(seen_new)


def overlap(
    book_old: Figurebook,
    book_new: Figurebook,
    concordance: Concordance,
    measure: Measure,
    year: int,
    leaves_old: frozenset[str],
    leaves_new: frozenset[str],
) -> Overlap | None:
    """The transport problem of one overlap year over every code linked to `leaves_old` and `leaves_new` (None
    where the system is too large, or the cells of both classifications cannot agree however firms moved)."""
    old_name, new_name = book_old.sbi.name, book_new.sbi.name
    found = component(concordance, leaves_old, leaves_new, old_name, new_name)
    if found is None:
        return None
    all_old, all_new = found
    old_figures = book_old.figures(measure, year, all_old)
    new_figures = book_new.figures(measure, year, all_new)
    rows: list[Observation] = []
    free_old: set[str] = set()
    # a definition's own codes are covered on their own, so its rows never mix in codes it leaves out
    for part in (leaves_old & all_old, all_old - leaves_old):
        if not part:
            continue
        cover = old_figures.cover(part, bound=False)
        rows += cover.used
        free_old |= part - frozenset().union(*(book_old.sbi.leaves_of(o.sbi) for o in cover.used))
    columns: list[Observation] = []
    free_new: set[str] = set()
    for part in (leaves_new & all_new, all_new - leaves_new):
        if not part:
            continue
        cover = new_figures.cover(part, bound=False)
        columns += cover.used
        free_new |= part - frozenset().union(*(book_new.sbi.leaves_of(o.sbi) for o in cover.used))
    row_leaves = [book_old.sbi.leaves_of(o.sbi) for o in rows]
    column_leaves = [book_new.sbi.leaves_of(o.sbi) for o in columns]
    # free codes are a row or a column of their own, with no equation: their firms may be anything
    if free_old:
        row_leaves.append(frozenset(free_old))
    if free_new:
        column_leaves.append(frozenset(free_new))
    reach = {leaf: {x.other for x in links} for leaf, links in concordance.spread(all_old, old_name)[0].items()}
    links = tuple(
        (r, c)
        for r, held in enumerate(row_leaves)
        for c, into in enumerate(column_leaves)
        if any(reach.get(leaf, set()) & into for leaf in held)
    )
    period = rows[0].period if rows else columns[0].period if columns else str(year)
    system = Overlap(
        year,
        period,
        tuple(rows),
        tuple(columns),
        links,
        tuple(sorted(free_old)),
        tuple(sorted(free_new)),
        0.0,
        False,
        measure,
        tuple(row_leaves),
        tuple(column_leaves),
    )
    exact = system._solve({}, maximize=False, slack_cap=None)
    if exact is not None and exact <= EPSILON:  # the cells agree as published: no rounding needed
        return system
    tolerant = replace(system, tolerant=True)
    least = tolerant._solve({}, maximize=False, slack_cap=None)
    return None if least is None else replace(tolerant, slack=max(least, 0.0))


def scales(system: Overlap, book: Figurebook, year: int, old_side: bool) -> dict[int, float] | None:
    """Each column's (or, for `old_side` False, each row's) value in `year` over its value in the overlap: how its
    firms changed since (None where one of them has no value in `year`)."""
    figures = system.columns if old_side else system.rows
    leaves_of = system.column_leaves if old_side else system.row_leaves
    wanted = frozenset().union(*leaves_of) if leaves_of else frozenset()
    found = book.figures(system.measure, year, wanted)
    out: dict[int, float] = {}
    for i, obs in enumerate(figures):
        value = found.cover(leaves_of[i], bound=False).value
        if value is None or not value.is_point or obs.value_low is None:
            return None
        out[i] = value.low / obs.value_low if obs.value_low else 0.0
    return out
