"""CBS open data as OData v4 (`https://datasets.cbs.nl/odata/v1/CBS/{id}`), behind the same seam as v3.

`ODataV4` reads v4's entity sets and field names and gives lsh's types: `Properties` (a singleton: the version,
title and status), `Dimensions` (`Identifier`, `Kind`), `MeasureCodes` (a topic per measure: `Identifier`,
`Title`, `Unit`, `Decimals`), `{Dim}Codes` (`Identifier` is v3's key without its padding; a period's `Status`)
and `Observations`, one cell per row (`Measure`, `ValueAttribute`, `Value`, and a column per dimension). A cell
v4 leaves out is an empty cell; `Confidential`, `Impossible` and `NotAvailable` cells carry no value and their
reason. `rows` turns the long cells back into rows of topics, as v3 gives them, so a fetch reads both alike.
Nothing outside this module knows a v4 field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lshcli.cbs.client import CbsClient
from lshcli.cbs.odata import STATUS, BadCell, filter_clauses, or_clause, parse_cell
from lshcli.errors import FetchError
from lshcli.source import Category, Figure, Structure, Topic

DIMENSION_KINDS = ("Dimension", "GeoDimension", "TimeDimension")
VALUE_ATTRIBUTES = {
    "Confidential": "secret (v4 Confidential)",
    "Impossible": "impossible (v4 Impossible)",
    "NotAvailable": "not available (v4 NotAvailable)",
}
"""What v4's `ValueAttribute` of a cell without a value means, in lsh's words (a secret cell is bounded by the
figures around it, as v3's 'x'); `None` marks a cell with its value."""
EMPTY = "empty cell (left out by v4)"
"""A cell v4 does not send: it has no figure and no special reason."""
CATALOG_STATUS = {"Regulier": "regular", "Gediscontinueerd": "discontinued", "Vervallen": "withdrawn"}
"""A table's `Status` in the catalog and its `Properties`, in lsh's words."""


@dataclass(frozen=True)
class Listing:
    """A table as CBS's catalog or its `Properties` describe it: id (in its published case), title, description,
    status in lsh's words ('regular', 'discontinued', 'withdrawn'; None where unknown) and version."""

    id: str
    title: str
    description: str
    status: str | None
    modified: str | None


def _listing(row: Mapping[str, Any], fallback: str = "") -> Listing:
    return Listing(
        str(row.get("Identifier") or fallback),
        " ".join(str(row.get("Title") or "").split()),
        str(row.get("Description") or ""),
        CATALOG_STATUS.get(str(row.get("Status") or "")),
        str(row.get("Modified") or "") or None,
    )


def catalog(client: CbsClient) -> list[Listing]:
    """CBS's catalog of tables (`/CBS/Datasets`, one request)."""
    rows = client.get("", "Datasets", select=["Identifier", "Title", "Description", "Status", "Modified"])
    return [_listing(r) for r in rows if isinstance(r.get("Identifier"), str)]


class ODataV4:
    """A CBS table in the OData v4 service."""

    protocol = "v4"
    via = ", OData v4"
    captured_at: str | None = None

    def __init__(self, client: CbsClient, table: str) -> None:
        self.client = client
        self.table = table
        self.traffic = client.traffic

    def properties(self) -> dict[str, Any]:
        """The table's `Properties`: version, title, status, description."""
        return self.client.get_one(self.table, "Properties")

    def listing(self) -> Listing:
        """The table as its `Properties` describe it."""
        return _listing(self.properties(), self.table)

    def version(self) -> tuple[str, str]:
        found = self.properties()
        modified = str(found.get("Modified") or "unknown")
        return modified, " ".join(str(found.get("Title") or "").split())

    def _rows(
        self, name: str, select: Sequence[str] | None = None, expected: int | None = None
    ) -> list[dict[str, Any]]:
        rows = self.client.get(self.table, name, select=list(select) if select else None, expected_rows=expected)
        if any(not isinstance(row.get("Identifier"), str) for row in rows):
            raise FetchError(
                "CBS sent rows of {table} {name} without a text Identifier; nothing was stored",
                table=self.table,
                name=name,
            )
        return rows

    def structure(self) -> Structure:
        """`Dimensions` (every kind, time included) and `MeasureCodes` (the topics, with unit and decimals)."""
        dimensions = tuple(
            str(d["Identifier"]) for d in self._rows("Dimensions") if d.get("Kind", "Dimension") in DIMENSION_KINDS
        )
        topics = tuple(
            Topic(
                str(m["Identifier"]),
                " ".join(str(m.get("Title") or "").split()),
                " ".join(str(m.get("Unit") or "").split()),
                m.get("Decimals") if isinstance(m.get("Decimals"), int) else None,
            )
            for m in self._rows("MeasureCodes")
        )
        return Structure(dimensions, topics)

    def categories(self, dimension: str, expected: int | None = None, time: bool = False) -> list[Category]:
        """`{Dim}Codes`: each key and title, and for the time dimension each period's status in lsh's words."""
        rows = self._rows(f"{dimension}Codes", None, expected)
        return [
            Category(
                str(r["Identifier"]),
                str(r.get("Title") or ""),
                STATUS.get(str(r.get("Status") or "").strip().casefold()) if time else None,
            )
            for r in rows
        ]

    @property
    def max_url(self) -> int:
        return self.client.max_url

    @staticmethod
    def _request(
        any_of: Mapping[str, Sequence[str]], fixed: Mapping[str, str], dimensions: Sequence[str], topics: Sequence[str]
    ) -> tuple[str, list[str]]:
        """The `$filter` and `$select` of a request for cells: the keys asked for, and one measure of `topics`."""
        filters = " and ".join([*filter_clauses(any_of, fixed), or_clause("Measure", topics)])
        return filters, ["Measure", "ValueAttribute", "Value", *dimensions]

    def rows_url(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
    ) -> str:
        return self.client.url_for(self.table, "Observations", *self._request(any_of, fixed, dimensions, topics))

    def rows(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
        expected: int,
        exact: bool = False,
    ) -> tuple[list[dict[str, Any]], str]:
        """The cells asked for, as rows of topics: a cell v4 leaves out is an empty one, and a row is made for every
        combination of the keys asked for (and of the keys the answer holds for a dimension not filtered), since in
        v4 a row without cells is a row of empty cells. v4 sends every decimal it holds, so `exact` changes
        nothing."""
        cells, url = self._cells(any_of, fixed, dimensions, topics, expected)
        return self.pivot(cells, any_of, fixed, dimensions, topics), url

    def _cells(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
        expected: int,
    ) -> tuple[list[dict[str, Any]], str]:
        """The long cells a request asks for, and the request."""
        filters, columns = self._request(any_of, fixed, dimensions, topics)
        cells = self.client.get(
            self.table, "Observations", filters=filters, select=columns, expected_rows=max(expected, 1) * len(topics)
        )
        return cells, self.client.url_for(self.table, "Observations", filters, columns)

    def pivot(
        self,
        cells: Sequence[Mapping[str, Any]],
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
    ) -> list[dict[str, Any]]:
        """Long cells as rows of topics, a row for every combination asked for, a cell left out an empty one."""
        wanted = set(topics)
        rows: dict[tuple[str, ...], dict[str, Any]] = {}
        for cell in cells:
            keys = tuple(str(cell.get(d, "")) for d in dimensions)
            measure = str(cell.get("Measure", ""))
            if measure not in wanted:
                raise FetchError(
                    "CBS sent a cell of {table} for the measure {measure!r}, which was not asked for; nothing was "
                    "stored",
                    table=self.table,
                    measure=measure,
                )
            row = rows.setdefault(keys, dict(zip(dimensions, keys, strict=True)))
            figure = self._figure(cell, keys)
            if measure in row and row[measure] != figure:
                raise FetchError(
                    "CBS sent two different cells of {table} for {keys}, measure {measure}; nothing was stored",
                    table=self.table,
                    keys=" ".join(repr(k) for k in keys),
                    measure=measure,
                )
            row[measure] = figure
        for keys in self._combinations(any_of, fixed, dimensions, rows):
            row = rows.setdefault(keys, dict(zip(dimensions, keys, strict=True)))
            for topic in topics:
                row.setdefault(topic, Figure(None, EMPTY))
        return list(rows.values())

    @staticmethod
    def _combinations(
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        rows: Mapping[tuple[str, ...], Any],
    ) -> list[tuple[str, ...]]:
        """Every combination of keys the request names, a dimension it does not filter taking the keys answered."""
        import itertools

        axes = []
        for i, d in enumerate(dimensions):
            if d in any_of:
                axes.append(list(any_of[d]))
            elif d in fixed:
                axes.append([fixed[d]])
            else:
                axes.append(sorted({keys[i] for keys in rows}))
        return [tuple(c) for c in itertools.product(*axes)]

    def _figure(self, cell: Mapping[str, Any], keys: Sequence[str]) -> Figure:
        """A cell's figure: its value, or none with its ValueAttribute's reason."""
        attribute = str(cell.get("ValueAttribute") or "None")
        raw = cell.get("Value")
        if raw is None:
            return Figure(None, VALUE_ATTRIBUTES.get(attribute, f"no value ({attribute})"))
        if isinstance(raw, str):
            raise FetchError(
                "CBS sent a text value for {table} {keys}: {raw!r} is no figure; nothing was stored",
                table=self.table,
                keys=" ".join(repr(k) for k in keys),
                raw=raw[:20],
            )
        try:
            value, _ = parse_cell(raw)
        except BadCell as exc:
            raise FetchError(
                "CBS sent a bad figure for {table} {keys}: {exc}; nothing was stored",
                table=self.table,
                keys=" ".join(repr(k) for k in keys),
                exc=exc,
            ) from None
        if attribute in VALUE_ATTRIBUTES:  # a special cell with a value is not a figure lsh can trust
            return Figure(None, VALUE_ATTRIBUTES[attribute])
        return Figure(value, None)
