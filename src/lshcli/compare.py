"""Compare two definitions on a measure: both totals, the gap, and the codes that make it."""

from __future__ import annotations

from enum import Enum

from msgspec import Struct

from lshcli.bounds import Bound, SetAside
from lshcli.cover import Coverage, FigureSet, figures_behind
from lshcli.definitions import Definition
from lshcli.measures import Measure
from lshcli.model import ZERO, Observation, Reading, Value, percent
from lshcli.query import Figurebook
from lshcli.sbi import Classification


class Part(str, Enum):
    """Where a code of a comparison lies: in both definitions, only in A, or only in B."""

    SHARED = "shared"
    ONLY_A = "only_a"
    ONLY_B = "only_b"


PARTS = tuple(Part)


class PartRow(Struct, frozen=True):
    """One code of the decomposition: in both definitions, only in A, or only in B."""

    part: Part
    code: str
    title: str
    coverage: Coverage
    note: str | None
    contribution: Value | None
    share_of_gap: float | None
    pct_of_a: float | None
    share_of_gap_bound: tuple[float, float] | None = None
    """The row's share of the gap (percent) as an interval, where the figures bound it but give no single value."""


class Comparison(Struct, frozen=True):
    """Definition A against definition B on one measure in one year."""

    a: Definition
    b: Definition
    measure: Measure
    year: int
    total_a: Coverage
    total_b: Coverage
    parts: dict[Part, Coverage]
    rows: tuple[PartRow, ...]
    difference: Value | None
    difference_pct: float | None
    published_totals: tuple[tuple[str, Observation], ...]
    difference_bound: Bound | None
    reading: Reading
    sbi: Classification

    @property
    def set_aside(self) -> tuple[SetAside, ...]:
        """Figures the others contradict, set aside to bound the values (each once)."""
        found = [x for cov in self.coverages if cov.consistency for x in cov.consistency.set_aside]
        return tuple(dict.fromkeys(found))

    def where(self, code: str) -> Part:
        """The part a code of either definition lies in."""
        leaves = self.sbi.leaves(code)
        la, lb = self.a.leaves(self.sbi), self.b.leaves(self.sbi)
        if leaves <= la and leaves <= lb:
            return Part.SHARED
        return Part.ONLY_A if leaves <= la else Part.ONLY_B

    @property
    def coverages(self) -> list[Coverage]:
        """Both totals and every row's coverage."""
        return [self.total_a, self.total_b, *(r.coverage for r in self.rows)]

    @property
    def sources(self) -> list[Observation]:
        """Every figure the comparison rests on: totals, rows, estimates' inputs and published whole-set figures."""
        return [*figures_behind(self.coverages), *(o for _, o in self.published_totals)]


def _signed(part: Part, value: Value | None) -> Value | None:
    if value is None:
        return None
    if part is Part.SHARED:
        return ZERO
    return value if part is Part.ONLY_B else -value


def compare(book: Figurebook, a: Definition, b: Definition, measure: Measure, year: int) -> Comparison:
    """Totals of A and B, their difference (B minus A), and the decomposition into shared and own codes."""
    sbi = book.sbi
    leaves_a, leaves_b = a.leaves(sbi), b.leaves(sbi)
    figures = book.figures(measure, year, leaves_a | leaves_b)
    written = [*a.code_list, *b.code_list]
    total_a = figures.cover(leaves_a, a.code_list)
    total_b = figures.cover(leaves_b, b.code_list)
    part_leaves = {
        Part.SHARED: leaves_a & leaves_b,
        Part.ONLY_A: leaves_a - leaves_b,
        Part.ONLY_B: leaves_b - leaves_a,
    }
    parts = {name: figures.cover(leaves, written, bound=False) for name, leaves in part_leaves.items() if leaves}
    value_a, value_b = total_a.value, total_b.value
    difference = value_b - value_a if value_a is not None and value_b is not None else _part_gap(parts)
    gap_bound = None
    objective = {**dict.fromkeys(leaves_b - leaves_a, 1.0), **dict.fromkeys(leaves_a - leaves_b, -1.0)}
    gap_objective: dict[str, float] = objective if figures.by_leaves else {}
    if difference is None and figures.by_leaves:  # B minus A from the figures jointly: shared codes cancel
        gap_bound = figures.bound(objective)
        if gap_bound.exact and gap_bound.low is not None:
            difference = Value(gap_bound.low, gap_bound.low)
    rows: list[PartRow] = []
    for part in PARTS:
        if not part_leaves[part]:
            continue
        for codes in _row_units(part_leaves[part], written, figures, sbi):
            row_leaves = sbi.leaves_of(codes)
            coverage = figures.cover(row_leaves, written)
            contribution = _signed(part, coverage.value)
            share_bound = None
            if part is not Part.SHARED and (contribution is None or difference is None) and gap_objective:
                sign = 1.0 if part is Part.ONLY_B else -1.0
                found = figures.system.ratio(dict.fromkeys(row_leaves, sign), gap_objective)
                share_bound = None if found is None else (found[0] * 100, found[1] * 100)
            entries = [e for code in codes if (e := a.code(code) or b.code(code)) is not None and e.note]
            rows.append(
                PartRow(
                    part=part,
                    code="+".join(codes),
                    title="; ".join(sbi.entries[code].title for code in codes),
                    coverage=coverage,
                    note=" / ".join(e.note for e in entries if e.note) or None,
                    contribution=contribution,
                    share_of_gap=None if part is Part.SHARED else percent(contribution, difference),
                    pct_of_a=None if part is Part.SHARED else percent(contribution, total_a.value),
                    share_of_gap_bound=share_bound,
                )
            )
    published = tuple(
        (d.id, obs)
        for d, leaves, cov in ((a, leaves_a, total_a), (b, leaves_b, total_b))
        if (obs := figures.whole(leaves)) is not None and obs not in cov.used and obs.has_value
    )
    return Comparison(
        a=a,
        b=b,
        measure=measure,
        year=year,
        total_a=total_a,
        total_b=total_b,
        parts=parts,
        rows=tuple(rows),
        difference=difference,
        difference_pct=percent(difference, total_a.value),
        published_totals=published,
        difference_bound=gap_bound,
        reading=book.reading,
        sbi=sbi,
    )


def _row_units(
    leaves: frozenset[str], written: list[str], figures: FigureSet, sbi: Classification
) -> list[tuple[str, ...]]:
    """The rows of one part: its codes, where codes only published together inside the part share a row."""
    units: list[tuple[str, ...]] = [(code,) for code in sbi.compress(leaves, written)]
    for key in sorted(figures.by_leaves, key=len):
        if not key <= leaves or not figures.by_leaves[key].has_value:
            continue
        inside = [u for u in units if sbi.leaves_of(u) <= key]
        merged = sbi.leaves_of(c for u in inside for c in u)
        unknown = [u for u in inside if not figures.cover(sbi.leaves_of(u), bound=False).available]
        if len(inside) > 1 and merged == key and unknown:
            first = units.index(inside[0])
            units = [u for u in units if u not in inside]
            units.insert(first, tuple(c for u in inside for c in u))
    return units


def _part_gap(parts: dict[Part, Coverage]) -> Value | None:
    """B minus A from the codes each holds alone, when those are known even if the totals are not."""
    only_a, only_b = parts.get(Part.ONLY_A), parts.get(Part.ONLY_B)
    value_a = ZERO if only_a is None else only_a.value
    value_b = ZERO if only_b is None else only_b.value
    if value_a is None or value_b is None:
        return None
    return value_b - value_a
