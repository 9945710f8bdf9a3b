"""Nested figures without a solver: whether they agree, and which must give way where they do not.

Figures are nested where any two hold disjoint sets of codes or one holds the other, as SBI's sections,
divisions, groups and classes do. Over nested figures both questions `lshcli.bounds` asks before bounding
have exact answers by walking the tree of figures from the finest up:

- whether the figures agree (each within an interval, with finest codes at least zero or free in sign):
  the sums a figure's parts can reach form an interval, which must meet the figure's own;
- the elastic programme, where they do not: each figure may deviate from its interval at a cost per unit
  (its weight), and the cheapest deviations that make all agree name the figures that give way. The least
  cost of a figure's subtree as a function of the figure's sum is convex and piecewise linear; a figure's
  parts combine by merging their pieces in order of slope, and the figure adds its own penalty. The least
  cost overall is read off the tree's roots, and the deviations follow by walking back down.

Where two ways cost exactly the same (weights are exact fractions, so a tie is a tie), the less trusted
figure gives way: the caller orders the figures by trust, and a coarser figure gives way to the figures
inside it. The answers equal the linear programmes' (the tests hold them equal over invented systems);
neither needs the solver, nor numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fractions import Fraction

EPSILON = 1e-7

Piece = tuple["Fraction", float, int]
"""A piece of a convex piecewise-linear cost: its slope, its length, and the part it moves (-1: codes no
figure holds, which cost nothing)."""


def parents(keys: Sequence[frozenset[str]]) -> list[int] | None:
    """Each figure's parent (the index of the smallest figure holding it, -1 for none), or None where two
    figures overlap without one holding the other."""
    order = sorted(range(len(keys)), key=lambda i: -len(keys[i]))
    inner: dict[str, int] = {}  # each code's smallest figure so far
    found = [-1] * len(keys)
    for i in order:
        above = {inner.get(leaf, -1) for leaf in keys[i]}
        if len(above) > 1:
            return None
        found[i] = above.pop()
        for leaf in keys[i]:
            inner[leaf] = i
    return found


def _children(keys: Sequence[frozenset[str]], parent: Sequence[int]) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in keys]
    for i, p in enumerate(parent):
        if p >= 0:
            children[p].append(i)
    return children


def _finest_first(keys: Sequence[frozenset[str]]) -> list[int]:
    return sorted(range(len(keys)), key=lambda i: len(keys[i]))


def _free(keys: Sequence[frozenset[str]], children: list[list[int]], i: int) -> bool:
    """Whether figure i holds codes none of its parts holds."""
    return sum(len(keys[c]) for c in children[i]) < len(keys[i])


def feasible(
    keys: Sequence[frozenset[str]],
    lows: Sequence[float],
    highs: Sequence[float],
    parent: Sequence[int],
    signed: bool,
) -> bool:
    """Whether nested figures can all hold: each figure's interval meets the sums its parts can reach (a code
    no part holds is at least zero, or anything where `signed`)."""
    children = _children(keys, parent)
    low_of = [0.0] * len(keys)
    high_of = [0.0] * len(keys)
    for i in _finest_first(keys):
        free = _free(keys, children, i)
        low = -math.inf if free and signed else math.fsum(low_of[c] for c in children[i])
        high = math.inf if free else math.fsum(high_of[c] for c in children[i])
        low, high = max(low, lows[i]), min(high, highs[i])
        if low > high + EPSILON * max(1.0, abs(high)):
            return False
        low_of[i], high_of[i] = min(low, high), high
    return True


def elastic(
    keys: Sequence[frozenset[str]],
    lows: Sequence[float],
    highs: Sequence[float],
    weights: Sequence[Fraction],
    parent: Sequence[int],
    trust: Sequence[int],
) -> tuple[list[float], float]:
    """How far each nested figure must deviate from its interval for all to hold at the least weighted cost,
    and that cost; finest codes are at least zero. `trust` ranks the figures, the most trusted lowest: where
    two ways cost the same, the less trusted figure deviates."""
    children = _children(keys, parent)
    cost: list[list[Piece]] = [[] for _ in keys]  # each subtree's cost as its figure's sum grows
    parts: list[list[Piece]] = [[] for _ in keys]  # the pieces of a figure's parts, merged cheapest first
    for i in _finest_first(keys):
        merged = [(slope, _turn(slope, trust[c]), length, c) for c in children[i] for slope, length, _ in cost[c]]
        if _free(keys, children, i):
            merged.append((weights[i] * 0, -1, math.inf, -1))  # codes no part holds: room at no cost
        merged.sort(key=lambda p: (p[0], p[1]))  # stable: a part's own pieces keep their order
        end = next((n for n, p in enumerate(merged) if p[2] == math.inf), len(merged))
        parts[i] = [(slope, length, who) for slope, _, length, who in merged[: end + 1]]
        cost[i] = _penalised(parts[i], lows[i], highs[i], weights[i])
    deviation = [0.0] * len(keys)
    for root in (i for i, p in enumerate(parent) if p < 0):
        _settle(root, _lowest(cost[root], lows[root], highs[root]), lows, highs, children, parts, deviation)
    return deviation, math.fsum(float(w) * d for w, d in zip(weights, deviation, strict=True))


def _turn(slope: Fraction, trust: int) -> int:
    """The order in which parts of equal slope move: toward their interval the most trusted first (it deviates
    the less), away from it the least trusted first; along a flat stretch the codes no figure holds first."""
    return -trust if slope > 0 else trust


def _penalised(parts: list[Piece], low: float, high: float, weight: Fraction) -> list[Piece]:
    """The pieces of a figure's parts with its own penalty added: -weight below its low, +weight above its high."""
    cuts = sorted({max(low, 0.0), max(high, 0.0)})
    out: list[Piece] = []
    x = 0.0
    for slope, length, _ in parts:
        end = x + length
        points = [x, *(c for c in cuts if x < c < end), end]
        for a, b in zip(points, points[1:], strict=False):
            mine = -weight if b <= low else weight if a >= high else 0 * weight
            out.append((slope + mine, b - a, -1))
        x = end
    return out


def _lowest(pieces: list[Piece], low: float, high: float) -> float:
    """Where a root's cost is least. Across a flat stretch the cost is the same, and the root (the coarsest
    figure) gives way: of the stretch's two ends, the one where it deviates the more."""
    x, n = 0.0, 0
    while n < len(pieces) and pieces[n][0] < 0:
        x += pieces[n][1]
        n += 1
    end = x
    while n < len(pieces) and pieces[n][0] == 0:
        end += pieces[n][1]
        n += 1
    if end != math.inf and max(0.0, end - high, low - end) > max(0.0, x - high, low - x):
        return end
    return x


def _settle(
    i: int,
    total: float,
    lows: Sequence[float],
    highs: Sequence[float],
    children: list[list[int]],
    parts: list[list[Piece]],
    deviation: list[float],
) -> None:
    """Figure i's sum is `total`: its deviation, and its parts' sums, cheapest pieces first."""
    deviation[i] = max(0.0, lows[i] - total, total - highs[i])
    sums = dict.fromkeys(children[i], 0.0)
    left = total
    for _, length, who in parts[i]:
        if left <= 0:
            break
        take = min(length, left)
        left -= take
        if who >= 0:
            sums[who] += take
    for c, part in sums.items():
        _settle(c, part, lows, highs, children, parts, deviation)
