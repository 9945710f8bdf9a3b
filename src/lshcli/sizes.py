"""Firms of a definition by size class: the classes CBS publishes, and the groups the studies argue about.

The classes are those of CBS 81589NED (persons employed: 1, 2, 3-4, 5-9, 10-19, 20-49, 50-99, 100 or
more). A group (one-person firms, under 50, under 250, 250 or more) is the sum of the classes that
tile it exactly; where a class straddles the group's bound, a published figure for the group is
used (81589NED's firms under 50 and under 250, or a study's firms with 250 or more persons), or
the total minus the published complement (250 or more = all firms minus those under 250).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum

from msgspec import Struct

from lshcli.cover import Coverage
from lshcli.definitions import Definition
from lshcli.measures import MEASURES, Measure, size_measures
from lshcli.model import Value, total
from lshcli.query import Figurebook

GROUPS = (
    ("one-person firms", 1, 1),
    ("under 50 persons", 1, 49),
    ("under 250 persons", 1, 249),
    ("250 or more persons", 250, None),
)
PUBLISHED_GROUPS: dict[tuple[int, int | None], str] = {
    (1, 49): "firms_under_50",
    (1, 249): "firms_under_250",
    (250, None): "firms_250_plus",
}
COMPLEMENTS: dict[tuple[int, int | None], str] = {(250, None): "firms_under_250", (1, 249): "firms_250_plus"}
"""A group that is the total minus a published group (250 or more = all firms minus those under 250, and under 250
= all firms minus those with 250 or more)."""


class GroupBasis(str, Enum):
    """How a size group's value is found, or why it is not."""

    SUM = "sum"
    """The sum of the size classes that tile it."""
    PUBLISHED = "published"
    """A published figure for the group."""
    COMPLEMENT = "complement"
    """All firms minus a published complement."""
    STRADDLES = "straddles"
    """Not available: a published class straddles the group's bound."""
    NOT_STORED = "not-stored"
    """Not available: a class that tiles it is not stored."""


class Group(Struct, frozen=True):
    """A size group: its value from the classes (or a published figure), or why there is none.

    `classes` is how many classes were summed; `straddling` the class that straddles the bound (low, high);
    `lacking` the class measure not stored; `complement` the measure subtracted from all firms.
    """

    label: str
    low: int
    high: int | None
    value: Value | None
    coverages: tuple[Coverage, ...]
    basis: GroupBasis
    classes: int = 0
    straddling: tuple[int, int | None] | None = None
    lacking: str = ""
    complement: str = ""


class Sizes(Struct, frozen=True):
    """A definition's firms by size class in one year, with the total and the groups."""

    definition: Definition
    year: int
    classes: tuple[tuple[Measure, Coverage], ...]
    total: Coverage
    groups: tuple[Group, ...]
    quarter: int | None = None
    """The quarter that stands for the year, where the reading names one."""

    @property
    def class_sum(self) -> Value | None:
        """The sum of all classes, or None if any class is not available."""
        if not all(cov.available for _, cov in self.classes):
            return None
        return total(cov.value for _, cov in self.classes if cov.value is not None)


def _tiles(classes: Sequence[Measure], low: int, high: int | None) -> list[Measure] | tuple[int, int | None]:
    """The classes that make up persons low..high exactly, or the class that straddles a bound."""
    inside: list[Measure] = []
    for m in classes:
        assert m.persons is not None
        c_low, c_high = m.persons
        above = high is not None and c_low > high
        below = c_high is not None and c_high < low
        if above or below:
            continue
        within = c_low >= low and (high is None or (c_high is not None and c_high <= high))
        if not within:
            return (c_low, c_high)
        inside.append(m)
    return inside


def sizes(book: Figurebook, definition: Definition, year: int) -> Sizes:
    """Firms by size class for a definition in one year, with the groups."""
    leaves = definition.leaves(book.sbi)
    classes = size_measures()

    def cover(measure: Measure) -> Coverage:
        return book.figures(measure, year, leaves).cover(leaves, definition.code_list)

    by_class = tuple((m, cover(m)) for m in classes)
    coverage = {m.name: cov for m, cov in by_class}
    firms = cover(MEASURES["firms"])
    groups = [_group(label, low, high, classes, coverage, firms, cover) for label, low, high in GROUPS]
    return Sizes(definition, year, by_class, firms, tuple(groups), book.reading.quarter)


def _group(
    label: str,
    low: int,
    high: int | None,
    classes: Sequence[Measure],
    coverage: dict[str, Coverage],
    firms: Coverage,
    cover: Callable[[Measure], Coverage],
) -> Group:
    """A group from the classes that make it up exactly, else a published figure, else the total minus one."""
    tiled = _tiles(classes, low, high)
    gap = Group(
        label, low, high, None, (), GroupBasis.STRADDLES, straddling=tiled if isinstance(tiled, tuple) else None
    )
    if isinstance(tiled, list):
        parts = tuple(coverage[m.name] for m in tiled)
        missing = [m for m in tiled if not coverage[m.name].available]
        if not missing:
            value = total(c.value for c in parts if c.value is not None)
            return Group(label, low, high, value, parts, GroupBasis.SUM, classes=len(tiled))
        gap = Group(label, low, high, None, (), GroupBasis.NOT_STORED, lacking=missing[0].name)
    published = PUBLISHED_GROUPS.get((low, high))
    if published is not None:
        cov = cover(MEASURES[published])
        if cov.available:
            return Group(label, low, high, cov.value, (cov,), GroupBasis.PUBLISHED)
    complement = COMPLEMENTS.get((low, high))
    if complement is not None and firms.available and firms.value is not None:
        cov = cover(MEASURES[complement])
        if cov.available and cov.value is not None:
            return Group(
                label, low, high, firms.value - cov.value, (firms, cov), GroupBasis.COMPLEMENT, complement=complement
            )
    return gap
