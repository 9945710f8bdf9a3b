"""CBS open data as OData v3: entity-set names, period keys, dimension titles, cells and filters, behind one seam.

`ODataV3` is CBS's v3 feed (`/ODataFeed/odata/...`) as a `lshcli.source.TableSource`: it reads v3's field names
(`Key`, `Title`, `Type`, `Unit`, `Status`) and gives lsh's types (`Structure`, `Category`). OData v4 is its
sibling, `lshcli.cbs.odata4`. Nothing outside these modules knows an entity-set name or a protocol's field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lshcli.cbs.client import CbsClient
from lshcli.errors import FetchError, UnknownCodeError
from lshcli.sbi import Classification, normalise
from lshcli.source import Category, Figure, Structure, Topic

PROPERTIES = "DataProperties"
"""The metadata set that lists a table's dimensions and topics."""
DIMENSION_TYPES = ("Dimension", "GeoDimension", "TimeDimension")
TOPIC = "Topic"

STATUS = {"definitief": "definitive", "nadervoorlopig": "revised provisional", "voorlopig": "provisional"}
CELL_SYMBOLS = {".": "no figure ('.')", "x": "secret ('x')", "-": "nil ('-'), not read as a number"}
PAGE_ROWS = 10_000
"""The rows of one page of CBS's bulk feed: a request for more follows `odata.nextLink`, one request a page."""
_PERIOD = re.compile(r"^(\d{4})(KW|JJ|MM)(\d{2})$")
_LEAD = re.compile(r"^\s*([0-9A-Za-z.+\-]+)\s")


def cbs_period(key: str) -> str | None:
    """A CBS period key in lsh's notation: 2016KW01 -> 2016Q1, 2016JJ00 -> 2016, 2016MM03 -> 2016M03."""
    match = _PERIOD.match(key.strip())
    if not match:
        return None
    year, kind, number = match.groups()
    if kind == "KW" and 1 <= int(number) <= 4:
        return f"{year}Q{int(number)}"
    if kind == "JJ" and number == "00":
        return year
    if kind == "MM" and 1 <= int(number) <= 12:
        return f"{year}M{number}"
    return None


def codes_in_title(title: str, sbi: Classification) -> tuple[str, ...] | None:
    """The SBI codes a CBS dimension title stands for: '2110 ...' -> ('21.10',), '10-12 ...' -> 10, 11, 12.

    Titles of aggregates over sections ('A-U Alle economische activiteiten') and anything else lsh
    cannot read as codes give None.
    """
    match = _LEAD.match(title + " ")
    if not match:
        return None
    token = match.group(1)
    try:
        if "+" in token:
            codes = tuple(normalise(part) for part in token.split("+"))
        elif re.fullmatch(r"\d{2}-\d{2}", token):
            first, last = (int(part) for part in token.split("-"))
            codes = tuple(f"{n:02d}" for n in range(first, last + 1) if f"{n:02d}" in sbi)
        elif re.fullmatch(r"[A-Za-z]|[\d.]{2,7}", token):
            codes = (normalise(token),)
        else:
            return None
    except UnknownCodeError:
        return None
    if not codes or any(code not in sbi for code in codes):
        return None
    return codes


LARGEST_CELL = 1e15
"""The largest figure a CBS cell can hold, with room: the whole Dutch economy's output is about 2e6 mln euro and
its firms about 2.5e6. A cell past it (1e308) is a broken answer, whose sums would overflow to infinity."""


_LEFT_OUT = object()
"""A topic a row does not hold (not a cell that is empty: that is None)."""


class BadCell(ValueError):
    """A cell that holds no figure lsh can store: a number that is not finite, or no number or symbol at all."""


def parse_cell(raw: Any) -> tuple[float | None, str | None]:
    """A cell of UntypedDataSet (or TypedDataSet): its number, or None with the symbol CBS gave instead.

    A number that is not finite (Infinity, NaN, 1e400) is no figure: BadCell.
    """
    if raw is None:
        return None, "empty cell"
    kind = type(raw)
    if kind is not str and kind is not float and kind is not int:  # a bool, a list, an object: no figure
        raise BadCell(f"the cell {raw!r} is no number")
    try:
        value = float(raw)  # CBS pads its untyped cells ('      120'); float() reads past the spaces
    except OverflowError:
        raise BadCell(f"the cell {str(raw)[:20]!r} is too large a number") from None
    except ValueError:
        text = str(raw).strip()  # only a text fails float()
        return None, CELL_SYMBOLS.get(text, f"cell {text!r}")
    if not math.isfinite(value):
        raise BadCell(f"the cell {str(raw).strip()[:20]!r} is no finite number")
    if abs(value) > LARGEST_CELL:
        raise BadCell(f"the cell {str(raw).strip()[:20]!r} is beyond any figure CBS publishes")
    return value, None


def cell_ref(table: str, key: str, period_key: str, topic: str) -> str:
    """The reference of one CBS cell: table, dimension key, period and topic ('81589NED/328200/2016KW01/T_1')."""
    return f"{table}/{key.strip()}/{period_key}/{topic}"


def ref_cell(ref: str | None, table: str) -> tuple[str, str, str] | None:
    """The dimension key, period key and topic of a cell reference `cell_ref` made for `table`, else None."""
    parts = (ref or "").split("/")
    if len(parts) != 4 or parts[0] != table:
        return None
    return parts[1], parts[2], parts[3]


def or_clause(dimension: str, keys: Iterable[str]) -> str:
    """An OData filter that keeps rows whose `dimension` is one of `keys`, in the form CBS itself writes."""
    return "(" + " or ".join(f"({dimension} eq '{key}')" for key in keys) + ")"


def filter_clauses(any_of: Mapping[str, Sequence[str]], fixed: Mapping[str, str]) -> list[str]:
    """The clauses of a data request's `$filter` (v3 and v4 alike): a dimension taking one of some keys, or one key."""
    return [or_clause(name, values) for name, values in any_of.items()] + [
        f"({name} eq '{key}')" for name, key in fixed.items()
    ]


class ODataV3:
    """A CBS table in the OData v3 bulk feed."""

    protocol = "v3"
    via = ""
    captured_at: str | None = None

    def __init__(self, client: CbsClient, table: str) -> None:
        self.client = client
        self.table = table
        self.traffic = client.traffic

    def version(self) -> tuple[str, str]:
        infos = self.client.get(self.table, "TableInfos", expected_rows=1)
        if not infos:
            raise FetchError("CBS sent no TableInfos for {table}; the store is unchanged", table=self.table)
        info = infos[0]
        modified = str(info.get("Modified") or info.get("Updated") or "unknown")
        return modified, " ".join(str(info.get("Title") or "").split())

    def _metadata(self, name: str, select: Sequence[str], expected: int | None = None) -> list[dict[str, Any]]:
        rows = self.client.get(self.table, name, select=list(select), expected_rows=expected)
        if any(not isinstance(row.get("Key"), str) for row in rows):
            raise FetchError(
                "CBS sent rows of {table} {name} without a text Key; nothing was stored", table=self.table, name=name
            )
        return rows

    def structure(self) -> Structure:
        """DataProperties: the dimensions (of every type, time included) and the topics with unit and decimals."""
        props = self._metadata(PROPERTIES, ["Key", "Type", "Title", "Unit", "Decimals"])
        dimensions = tuple(str(p["Key"]) for p in props if p.get("Type") in DIMENSION_TYPES)
        topics = tuple(
            Topic(
                str(p["Key"]),
                " ".join(str(p.get("Title") or "").split()),
                " ".join(str(p.get("Unit") or "").split()),
                p.get("Decimals") if isinstance(p.get("Decimals"), int) else None,
            )
            for p in props
            if p.get("Type") == TOPIC
        )
        return Structure(dimensions, topics)

    def categories(self, dimension: str, expected: int | None = None, time: bool = False) -> list[Category]:
        """A dimension set: its keys and titles (CBS's long descriptions stay on the server), and for the time
        dimension each period's status in lsh's words."""
        period = time
        columns = ["Key", "Title", "Status"] if period else ["Key", "Title"]
        rows = self._metadata(dimension, columns, expected)
        return [
            Category(
                str(r["Key"]),
                str(r.get("Title") or ""),
                STATUS.get(str(r.get("Status") or "").strip().casefold()) if period else None,
            )
            for r in rows
        ]

    @property
    def max_url(self) -> int:
        return self.client.max_url

    @staticmethod
    def _filters(any_of: Mapping[str, Sequence[str]], fixed: Mapping[str, str]) -> str:
        return " and ".join(filter_clauses(any_of, fixed))

    def rows_url(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
    ) -> str:
        columns = [*dimensions, *topics]
        return self.client.url_for(self.table, "UntypedDataSet", self._filters(any_of, fixed), columns)

    def rows(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
        expected: int,
        exact: bool = False,
    ) -> tuple[list[dict[str, Any]], str]:
        found, url = self._rows(any_of, fixed, [*dimensions, *topics], expected, list(topics) if exact else [])
        read: dict[str, Figure] = {}  # the cells of one answer repeat: each text is read once
        return [self._figures(row, dimensions, topics, read) for row in found], url

    def _figures(
        self, row: Mapping[str, Any], dimensions: Sequence[str], topics: Sequence[str], read: dict[str, Figure]
    ) -> dict[str, Any]:
        """A row with its cells read: each topic a Figure (a number, or why there is none). A text cell is looked up
        in `read`, the cells of the answer read before: a whole table holds a million cells and far fewer texts."""
        out: dict[str, Any] = {d: str(row.get(d, "")) for d in dimensions}
        for topic in topics:
            raw = row.get(topic, _LEFT_OUT)
            if raw is _LEFT_OUT:  # left out: the fetch says which rows and topics the answer lacks
                continue
            figure = read.get(raw) if type(raw) is str else None  # a bool hashes as 1: only a text is looked up
            if figure is None:
                figure = self._figure(raw, out, dimensions, topic)
                if type(raw) is str:
                    read[raw] = figure
            out[topic] = figure
        return out

    def _figure(self, raw: Any, out: Mapping[str, str], dimensions: Sequence[str], topic: str) -> Figure:
        try:
            return Figure(*parse_cell(raw))
        except BadCell as exc:
            keys = " ".join(repr(out[d]) for d in dimensions)
            raise FetchError(
                "CBS sent a bad figure for {table} {keys}, topic {topic}: {exc}; nothing was stored",
                table=self.table,
                keys=keys,
                topic=topic,
                exc=exc,
            ) from None

    def _rows(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        columns: list[str],
        expected: int,
        typed: Sequence[str],
    ) -> tuple[list[dict[str, Any]], str]:
        filters = self._filters(any_of, fixed)
        found = self.client.get(self.table, "UntypedDataSet", filters=filters, select=columns, expected_rows=expected)
        url = self.client.url_for(self.table, "UntypedDataSet", filters, columns)
        if not typed:
            return found, url
        # the figures with every decimal CBS holds, the symbols of empty cells ('x', '.') from the untyped rows
        exact = self.client.get(self.table, "TypedDataSet", filters=filters, select=columns, expected_rows=expected)
        dims = [c for c in columns if c not in typed]
        figures = {tuple(str(row.get(d)) for d in dims): row for row in exact}
        merged = []
        for row in found:
            figure = figures.get(tuple(str(row.get(d)) for d in dims))
            if figure is None:
                raise FetchError(
                    "CBS's TypedDataSet of {table} lacks a row its UntypedDataSet holds; nothing was stored",
                    table=self.table,
                )
            merged.append({**row, **{t: figure[t] for t in typed if figure.get(t) is not None}})
        return merged, self.client.url_for(self.table, "TypedDataSet", filters, columns)
