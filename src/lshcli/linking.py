"""Carrying a definition across the classification break through a period both classifications publish.

In such an overlap period every firm counted under an SBI 2008 code is counted under an SBI 2025 code too.
How many firms moved from each old code to each new one is not published, but the concordance says which
moves are possible: one unknown per link. The codes on each side are split into the finest sets the stored
figures value (a code published alone; the other codes of 72.1 as 72.1 minus those published alone), and
each such set's value is the sum of the moves out of it (old side) or into it (new side): exactly where the
cells allow that, else within CBS's rounding (as the bounds do, see lshcli.bounds). Firms re-coded outside
the concordance's links take an explicit slack, held at the fewest firms the cells require, and reported.

A definition of old codes, in a later period that only the new classification publishes, is then the sum
over the new codes of the firms it sent to each, carried forward with that new code's own change. The
smallest and largest such sum over every allocation the overlap allows is an interval; where every link is
one to one (21.10 -> 21.10.0) the interval is a point. The same holds the other way round, for a definition
of new codes carried back into the old classification's years.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec import Struct, structs

from lshcli.bounds import EPSILON, tolerance
from lshcli.concordance import Concordance
from lshcli.cover import FigureSet
from lshcli.measures import Measure
from lshcli.model import Observation, Value
from lshcli.query import Figurebook

MAX_LEAVES = 2000
"""The most finest codes, on both sides together, a system of linked codes is built over."""


class Cell(Struct, frozen=True):
    """A set of finest codes of one classification and what the overlap period's figures say of it: a value
    (`low` == `high`), an interval, or nothing (`low` None: its firms are free)."""

    leaves: frozenset[str]
    low: float | None
    high: float | None
    figures: tuple[Observation, ...]
    tolerance: float = 0.0
    """How far the truth may lie from a single published figure (CBS's rounding)."""

    @property
    def known(self) -> bool:
        return self.low is not None

    @property
    def point(self) -> float | None:
        return self.low if self.low is not None and self.high is not None and self.low == self.high else None


class Overlap(Struct, frozen=True):
    """The cells of both classifications in one period, as one transport problem over the concordance's links.

    `rows` are sets of old-classification codes, `columns` of new ones; `links` the pairs (row, column) a firm
    can move along."""

    year: int
    period: str
    rows: tuple[Cell, ...]
    columns: tuple[Cell, ...]
    links: tuple[tuple[int, int], ...]
    slack: float
    """The fewest firms that must have changed code outside the concordance's links for the cells to agree."""
    tolerant: bool
    """Whether the cells are read within their rounding (they do not agree exactly without slack)."""
    measure: Measure

    @property
    def figures(self) -> list[Observation]:
        """Every figure of the overlap period the system rests on."""
        return list(dict.fromkeys(o for cell in (*self.rows, *self.columns) for o in cell.figures))

    @property
    def free_old(self) -> tuple[str, ...]:
        """Old codes whose firms the overlap period's figures leave free."""
        return tuple(sorted(leaf for cell in self.rows if not cell.known for leaf in cell.leaves))

    @property
    def free_new(self) -> tuple[str, ...]:
        return tuple(sorted(leaf for cell in self.columns if not cell.known for leaf in cell.leaves))

    def free_near(self, held_old: frozenset[str], held_new: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The free codes (old, new) within two links of the definitions' own cells: those whose figures would
        narrow an estimate of them (the rest of the system lies further out)."""
        near_rows = {r for r, cell in enumerate(self.rows) if cell.leaves <= held_old}
        near_columns = {c for c, cell in enumerate(self.columns) if cell.leaves <= held_new}
        for _ in range(2):
            near_columns |= {c for r, c in self.links if r in near_rows}
            near_rows |= {r for r, c in self.links if c in near_columns}
        old = sorted(leaf for r in near_rows if not self.rows[r].known for leaf in self.rows[r].leaves)
        new = sorted(leaf for c in near_columns if not self.columns[c].known for leaf in self.columns[c].leaves)
        return tuple(old), tuple(new)

    def carry(self, old_side: bool, held: frozenset[str], scale: Mapping[int, tuple[float, float]]) -> Value | None:
        """The interval of a definition's value in another period: with `old_side`, a definition of old codes
        (`held`) carried into the new classification, each column scaled by its own change (`scale`, by column);
        else a definition of new codes carried into the old classification, each row scaled. None where a code
        it sent firms to has no known change, or a side of the interval is open."""
        mine = self.rows if old_side else self.columns
        inside = {i for i, cell in enumerate(mine) if cell.leaves <= held}
        lows: dict[int, float] = {}
        highs: dict[int, float] = {}
        for k, (r, c) in enumerate(self.links):
            if (r if old_side else c) in inside:
                other = c if old_side else r
                if other not in scale:  # firms sent to a code whose change is unknown
                    return None
                lows[k], highs[k] = scale[other]  # moves are never negative: least change for the least
        low = self._solve(lows, maximize=False)
        high = self._solve(highs, maximize=True)
        if low is None or high is None:
            return None
        low, high = round(max(low, 0.0), 6), round(max(high, 0.0), 6)  # no solver noise in what is shown
        if high - low <= EPSILON * max(1.0, high):
            return Value(low, low)
        return Value(low, high)

    def _solve(self, objective: Mapping[int, float], maximize: bool, least: bool = False) -> float | None:
        """One programme over the moves and a slack per known row and column; with `least`, the least slack."""
        import highspy
        import numpy as np

        from lshcli.bounds import _solve_lp

        cells = [*self.rows, *self.columns]
        n_links = len(self.links)
        known = [i for i, cell in enumerate(cells) if cell.known]
        n_vars = n_links + len(known)  # the moves, then a slack per known cell
        entries: list[list[tuple[int, float]]] = [[] for _ in range(n_vars)]
        constraints: list[tuple[float, float]] = []
        where = {cell: i for i, cell in enumerate(known)}
        for k, (r, c) in enumerate(self.links):
            for index in (r, len(self.rows) + c):
                if index in where:
                    entries[k].append((where[index], 1.0))
        for i, index in enumerate(known):
            cell = cells[index]
            assert cell.low is not None
            spread = cell.tolerance if self.tolerant else 0.0
            high = highspy.kHighsInf if cell.high is None else cell.high + spread
            constraints.append((max(0.0, cell.low - spread), high))
            entries[n_links + i].append((i, 1.0))
        if not least:  # the slack held at its least
            cap = self.slack + EPSILON * max(1.0, self.slack)
            constraints.append((0.0, cap))
            for v in range(n_links, n_vars):
                entries[v].append((len(constraints) - 1, 1.0))
        lp: Any = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_vars, len(constraints)
        costs = [objective.get(k, 0.0) for k in range(n_links)] + [1.0 if least else 0.0] * len(known)
        lp.col_cost_ = np.array(costs, dtype=float)
        lp.col_lower_ = np.zeros(n_vars, dtype=float)
        lp.col_upper_ = np.full(n_vars, highspy.kHighsInf, dtype=float)
        lp.row_lower_ = np.array([low for low, _ in constraints], dtype=float)
        lp.row_upper_ = np.array([high for _, high in constraints], dtype=float)
        status, value, _, _ = _solve_lp(lp, entries, maximize)
        return value if status == "optimal" else None


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


def cells(figures: FigureSet, leaves: frozenset[str], held: frozenset[str]) -> list[Cell]:
    """The finest sets of `leaves` the stored figures value, a definition's own codes (`held`) apart from the rest:
    every figure inside `leaves` splits the sets it cuts, and each set is valued from the figures (a sum, a
    difference, or an interval); the codes of a set with no value are kept one by one, free."""
    parts = [p for p in (leaves & held, leaves - held) if p]
    for key in sorted(figures.by_leaves, key=len):
        if not key <= leaves:
            continue
        parts = [piece for p in parts for piece in (p & key, p - key) if piece]
    out: list[Cell] = []
    for part in parts:
        coverage = figures.cover(part)
        value, interval = coverage.value, coverage.interval
        if value is not None:
            spread = sum(tolerance(o, figures.measure) for o in coverage.resting_on)
            out.append(Cell(part, value.low, value.high, coverage.resting_on, spread))
        elif interval is not None and interval.low is not None:
            out.append(Cell(part, interval.low, interval.high, interval.figures))
        else:  # each code on its own: free either way, and only those near a definition are named
            out += [Cell(frozenset({leaf}), None, None, ()) for leaf in sorted(part)]
    return out


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
    rows = cells(book_old.figures(measure, year, all_old), all_old, leaves_old)
    columns = cells(book_new.figures(measure, year, all_new), all_new, leaves_new)
    reach = {leaf: {x.other for x in links} for leaf, links in concordance.spread(all_old, old_name)[0].items()}
    links = tuple(
        (r, c)
        for r, row in enumerate(rows)
        for c, column in enumerate(columns)
        if any(reach.get(leaf, set()) & column.leaves for leaf in row.leaves)
    )
    used = [o for cell in (*rows, *columns) for o in cell.figures]
    period = used[0].period if used else str(year)
    system = Overlap(year, period, tuple(rows), tuple(columns), links, 0.0, False, measure)
    exact = system._solve({}, maximize=False, least=True)
    if exact is not None and exact <= EPSILON:  # the cells agree as published: no rounding needed
        return system
    tolerant = structs.replace(system, tolerant=True)
    smallest = tolerant._solve({}, maximize=False, least=True)
    return None if smallest is None else structs.replace(tolerant, slack=max(smallest, 0.0))


def scales(system: Overlap, book: Figurebook, year: int, old_side: bool) -> dict[int, tuple[float, float]]:
    """Each column's (or, for `old_side` False, each row's) value in `year` over its value in the overlap: how its
    firms changed since, as an interval where `year` gives a published range (2010: 180 to 200); a cell without a
    value either time has no scale."""
    chosen = system.columns if old_side else system.rows
    wanted = frozenset().union(*(cell.leaves for cell in chosen)) if chosen else frozenset()
    found = book.figures(system.measure, year, wanted)
    out: dict[int, tuple[float, float]] = {}
    for i, cell in enumerate(chosen):
        then = cell.point
        if then is None:
            continue
        now = found.cover(cell.leaves).value
        if now is not None:
            out[i] = (now.low / then, now.high / then) if then else (0.0, 0.0)
    return out
