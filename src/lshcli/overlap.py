"""Overlap of several definitions: which codes each holds, as a code-by-definition matrix with values.

The rows split the codes of all definitions into the parts that the same definitions hold (so a code
in one definition that another holds only in part is split where they differ), each named by the
codes as the definitions write them. The value of each row is read from the store where it can be,
and says why not where it cannot.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct

from lshcli.cover import Coverage
from lshcli.definitions import Definition
from lshcli.measures import Measure
from lshcli.query import Figurebook
from lshcli.sbi import sort_codes


class OverlapRow(Struct, frozen=True):
    """Codes held by the same definitions, with their value."""

    code: str
    title: str
    members: tuple[bool, ...]
    coverage: Coverage


class Overlap(Struct, frozen=True):
    """The matrix of codes by definitions, for one measure and year."""

    definitions: tuple[Definition, ...]
    measure: Measure
    year: int
    rows: tuple[OverlapRow, ...]
    quarter: int | None = None
    """The quarter that stands for the year, where the reading names one."""


def overlap(book: Figurebook, definitions: Sequence[Definition], measure: Measure, year: int) -> Overlap:
    """Every part of the union of the definitions' codes, marked by which definitions hold it."""
    sbi = book.sbi
    held = [d.leaves(sbi) for d in definitions]
    written = [code for d in definitions for code in d.code_list]
    groups: dict[tuple[bool, ...], set[str]] = {}
    for leaf in frozenset().union(*held):
        groups.setdefault(tuple(leaf in h for h in held), set()).add(leaf)
    union = frozenset().union(*held)
    figures = book.figures(measure, year, union)
    rows = []
    for members, leaves in groups.items():
        for code in sbi.compress(frozenset(leaves), written):
            rows.append(OverlapRow(code, sbi.entries[code].title, members, figures.cover(sbi.leaves(code), written)))
    order = {code: i for i, code in enumerate(sort_codes(r.code for r in rows))}
    rows.sort(key=lambda r: (-sum(r.members), order[r.code]))
    return Overlap(tuple(definitions), measure, year, tuple(rows), book.reading.quarter)
