"""The seam between lsh and a statistical table, in lsh's own terms: what a fetch asks of any source.

A source gives a table's version and title, its structure (the dimensions and the topics with their units and
decimals), the categories of one dimension (a key, a title, and for a period its status in lsh's words), and
rows filtered on dimension keys. Only a source's own module knows its protocol's field names (OData v3's `Key`,
`Title`, `DataProperties`): a fetch, the table specs and the store read these types. The store keeps them as
plain rows (`as_rows`, `structure_from_rows`), so a cached structure is lsh's, not a protocol's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from lshcli.cbs.client import Traffic

STRUCTURE = "structure"
"""The name a table's structure is kept under in the store, beside each dimension's categories."""


@dataclass(frozen=True)
class Category:
    """One category of a dimension: the source's key for it, its title, and for a period its status ('definitive',
    'revised provisional', 'provisional'; None where the source says none)."""

    key: str
    title: str
    status: str | None = None


@dataclass(frozen=True)
class Topic:
    """One topic (a column of figures): its key, title, unit as the source writes it, and published decimals."""

    key: str
    title: str
    unit: str = ""
    decimals: int | None = None


class Figure(NamedTuple):
    """One cell of a table: its number, or None with why there is none in lsh's words ('secret', 'no figure', a
    nil that is no number). A named tuple: a fetch of a whole table reads a million, and a frozen class takes
    four times as long to make one."""

    value: float | None
    why_empty: str | None = None


@dataclass(frozen=True)
class Structure:
    """A table's dimensions (by name, the time dimension too) and its topics."""

    dimensions: tuple[str, ...]
    topics: tuple[Topic, ...]

    def as_rows(self) -> list[dict[str, Any]]:
        """The structure as plain rows, for the store."""
        return [{"kind": "dimension", "key": name} for name in self.dimensions] + [
            {"kind": "topic", "key": t.key, "title": t.title, "unit": t.unit, "decimals": t.decimals}
            for t in self.topics
        ]


def structure_from_rows(rows: Sequence[Mapping[str, Any]]) -> Structure:
    """A structure kept as plain rows (`Structure.as_rows`)."""
    return Structure(
        tuple(str(r["key"]) for r in rows if r.get("kind") == "dimension"),
        tuple(
            Topic(str(r["key"]), str(r.get("title") or ""), str(r.get("unit") or ""), r.get("decimals"))
            for r in rows
            if r.get("kind") == "topic"
        ),
    )


def categories_as_rows(categories: Sequence[Category]) -> list[dict[str, Any]]:
    """Categories as plain rows, for the store."""
    return [{"key": c.key, "title": c.title, "status": c.status} for c in categories]


def categories_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[Category]:
    """Categories kept as plain rows."""
    return [Category(str(r["key"]), str(r.get("title") or ""), r.get("status")) for r in rows]


class TableSource(Protocol):
    """One table as a fetch sees it: version, structure, categories, and rows filtered on dimension keys."""

    table: str
    traffic: Traffic
    protocol: str
    """The protocol it speaks ('v3', 'v4'): the store keeps each protocol's metadata apart."""
    via: str
    """What a figure's citation adds about how it was read (', OData v4'; '' for v3, the citation as it was)."""
    captured_at: str | None
    """When its answers were captured, where they were not just read (a saved folder); None: now."""

    def version(self) -> tuple[str, str]:
        """The table's version (modified time) and its title."""
        ...

    def structure(self) -> Structure:
        """The table's dimensions and topics."""
        ...

    def categories(self, dimension: str, expected: int | None = None, time: bool = False) -> list[Category]:
        """The categories of one dimension; `expected` is about how many there are, where known (a walk far past
        it stops); `time` says it is the time dimension, whose periods carry a status."""
        ...

    @property
    def max_url(self) -> int:
        """The longest request URL the source sends."""
        ...

    def rows_url(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
    ) -> str:
        """The request `rows` makes for these filters: its length decides how many keys one request can name."""
        ...

    def rows(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
        expected: int,
        exact: bool = False,
    ) -> tuple[list[dict[str, Any]], str]:
        """Data rows whose dimensions take one of the keys `any_of` names and the key `fixed` names (a dimension
        named in neither is not filtered): each maps the `dimensions` to category keys and the `topics` to
        `Figure`s; and the request that gave them. With `exact`, the figures carry every decimal the source holds.
        A cell the source sends that is no figure (Infinity, text that is no number) is a FetchError."""
        ...
