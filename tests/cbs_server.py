"""A local CBS OData v3 server on 127.0.0.1, for tests and benchmarks. Every figure it serves is invented.

It speaks the protocol as CBS StatLine does, modelled on the real 83583NED files (kept beside this
project in shared/cbs-snapshots/): a service root that lists the entity sets, `TableInfos`,
`DataProperties` (dimensions, topic groups and topics with Key/Type/Title/Unit/Decimals),
`CategoryGroups`, one set per dimension with keys padded to seven characters ('323200 ') and titles
that start with the SBI code without dots, period rows with a `Status`, `TypedDataSet` (null for a
missing or secret cell) and `UntypedDataSet` (right-aligned strings, '.' and 'x' for such cells).
`$filter` is evaluated for the forms clients send (eq/ne/lt/le/gt/ge, and/or/not, parentheses,
substringof, startswith); `$select` keeps the named columns; pages hold 10,000 rows and point to
the next with `odata.nextLink`, which repeats the query and adds `$skip`.

The SBI dimension is built from lsh's own SBI 2008 code list; the dimension keys are invented in
CBS's style. The topic keys and titles of the firms table (81589NED) are this fixture's own guess
at the real ones. Faults can be injected per entity set: HTTP errors, slow answers, bodies cut off
or not JSON, answers that are JSON but no OData feed, and `odata.nextLink` loops or endless paging.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from lshcli.sbi import digits_of, normalise
from lshcli.sbi import load as classification
from tests.cbs_v4 import V4Options, catalog, entity, observations, properties, published_id, recorded_v4

PAGE_ROWS = 10_000
Row = dict[str, Any]


# --- $filter, as CBS evaluates it for the queries clients send -------------------------------------


class FilterError(ValueError):
    """A $filter the server cannot read; answered with HTTP 400 as CBS does."""


_TOKEN = re.compile(r"\s*(?:(\()|(\))|(,)|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_]*))")


def _tokens(text: str) -> list[tuple[str, str]]:
    found, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            raise FilterError(f"cannot read $filter at {text[pos : pos + 20]!r}")
        pos = match.end()
        if match.group(1):
            found.append(("(", "("))
        elif match.group(2):
            found.append((")", ")"))
        elif match.group(3):
            found.append((",", ","))
        elif match.group(4) is not None:
            found.append(("str", match.group(4).replace("''", "'")))
        else:
            found.append(("name", match.group(5)))
    return found


Predicate = Callable[[Row], Any]
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


class _Column:
    """A property's value in a row."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, row: Row) -> Any:
        return row.get(self.name)


class _Equals:
    """A property equal to a string: an `or` of these over one property is read as a set lookup, as a database
    would use its index, not a walk through every clause for every row."""

    def __init__(self, column: str, value: str) -> None:
        self.column, self.value = column, value

    def __call__(self, row: Row) -> bool:
        return bool(row.get(self.column) == self.value)


class _Parser:
    def __init__(self, text: str, columns: set[str]) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.columns = columns

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise FilterError(f"$filter: expected {value or kind}, found {token[1] if token else 'the end'}")
        self.pos += 1
        return token

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        if self.peek() is not None:
            raise FilterError(f"$filter: unexpected {self.peek()[1]!r}")  # type: ignore[index]
        return predicate

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.peek() == ("name", "or"):
            self.take()
            parts.append(self.conjunction())
        if len(parts) == 1:
            return parts[0]
        columns = {p.column for p in parts if isinstance(p, _Equals)}
        if len(columns) == 1 and all(isinstance(p, _Equals) for p in parts):  # one column, one of some keys
            column, values = columns.pop(), {p.value for p in parts if isinstance(p, _Equals)}
            return lambda row: row.get(column) in values
        return lambda row: any(p(row) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self.peek() == ("name", "and"):
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else lambda row: all(p(row) for p in parts)

    def negation(self) -> Predicate:
        if self.peek() == ("name", "not"):
            self.take()
            inner = self.negation()
            return lambda row: not inner(row)
        return self.comparison()

    def comparison(self) -> Predicate:
        left = self.operand()
        token = self.peek()
        if token and token[0] == "name" and token[1] in _COMPARE:
            self.take()
            start = self.pos
            right = self.operand()
            if token[1] == "eq" and isinstance(left, _Column) and self.tokens[start][0] == "str":
                return _Equals(left.name, self.tokens[start][1])
            op = _COMPARE[token[1]]
            return lambda row: op(left(row), right(row))
        return left

    def operand(self) -> Predicate:
        kind, value = self.take()
        if kind == "(":
            inner = self.disjunction()
            self.take(")")
            return inner
        if kind == "str":
            return lambda row: value
        if kind == "name" and self.peek() == ("(", "("):
            self.take("(")
            first = self.operand()
            self.take(",")
            second = self.operand()
            self.take(")")
            if value == "substringof":
                return lambda row: str(first(row)) in str(second(row))
            if value == "startswith":
                return lambda row: str(first(row)).startswith(str(second(row)))
            raise FilterError(f"$filter: unknown function {value}")
        if kind == "name":
            if value not in self.columns:
                raise FilterError(f"$filter: no property {value!r}")
            return _Column(value)
        raise FilterError(f"$filter: unexpected {value!r}")


def compile_filter(text: str, columns: set[str]) -> Predicate:
    """A row predicate for an OData $filter over rows with these columns."""
    return _Parser(text, columns).parse()


# --- tables ---------------------------------------------------------------------------------------


@dataclass
class FakeTable:
    """One CBS table in v3 shape: metadata sets, dimension sets and typed rows (None = missing or secret)."""

    id: str
    info: Row
    properties: list[Row]
    category_groups: list[Row]
    dimensions: dict[str, list[Row]]
    rows: list[Row]
    secret: set[tuple[int, str]] = field(default_factory=set)  # (row ID, topic key) shown as 'x' when untyped
    _untyped: list[Row] | None = field(default=None, repr=False)
    # answers by (entity set, $filter, $select): each page of a query, and each test asking it again, reuses it;
    # not an init field, so a table made from another by dataclasses.replace starts with none
    answers: dict[tuple[str, str, str], list[Row]] = field(default_factory=dict, init=False, repr=False)

    def entity_sets(self) -> list[str]:
        return ["TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "CategoryGroups", *self.dimensions]

    def topics(self) -> dict[str, int]:
        return {p["Key"]: int(p.get("Decimals") or 0) for p in self.properties if p["Type"] == "Topic"}

    def untyped(self) -> list[Row]:
        if self._untyped is None:
            self._untyped = self._make_untyped()
        return self._untyped

    def _make_untyped(self) -> list[Row]:
        topics = self.topics()
        out = []
        for row in self.rows:
            copy = dict(row)
            for key, decimals in topics.items():
                value = row.get(key)
                if value is None:
                    copy[key] = "{:>8}".format("x" if (row["ID"], key) in self.secret else ".")
                else:
                    copy[key] = f"{value:>8.{decimals}f}"
            out.append(copy)
        return out

    def query(self, name: str, where: str, select: str) -> list[Row]:
        """The rows of an entity set that pass `$filter`, with the `$select` columns (FilterError if unreadable)."""
        key = (name, where, select)
        if key not in self.answers:
            rows = self.entity_set(name)
            if where:
                keep = compile_filter(where, set(rows[0]) if rows else set())
                rows = [r for r in rows if keep(r)]
            if select:
                names = [n.strip() for n in select.split(",")]
                unknown = [n for n in names if rows and n not in rows[0]]
                if unknown:
                    raise FilterError(f"$select: no property {unknown[0]!r}")
                rows = [{n: r.get(n) for n in names} for r in rows]
            self.answers[key] = rows
        return self.answers[key]

    def entity_set(self, name: str) -> list[Row]:
        if name == "TableInfos":
            return [self.info]
        if name == "DataProperties":
            return self.properties
        if name == "CategoryGroups":
            return self.category_groups
        if name == "TypedDataSet":
            return self.rows
        if name == "UntypedDataSet":
            return self.untyped()
        return self.dimensions[name]


def _table_info(table_id: str, title: str, modified: str, period: str, rows: int) -> Row:
    return {
        "Updated": modified,
        "ID": 1,
        "Identifier": table_id,
        "Title": title + " ",
        "ShortTitle": title[:40],
        "ShortDescription": "Invented test table in the shape of CBS StatLine.",
        "Summary": "Invented figures for tests of lsh.",
        "Modified": modified,
        "MetaDataModified": modified,
        "ReasonDelivery": "Actualisering",
        "Frequency": "Perkwartaal",
        "Period": period,
        "Language": "nl",
        "Catalog": "CBS",
        "RecordCount": rows,
        "ColumnCount": 0,
    }


def _dimension_property(key: str, title: str, position: int, time: bool = False) -> Row:
    kind = "TimeDimension" if time else "Dimension"
    return {
        "odata.type": f"Cbs.OData.{kind}",
        "ID": position,
        "Position": position,
        "ParentID": None,
        "Type": kind,
        "Key": key,
        "Title": title,
        "Description": "",
        "ReleasePolicy": True if time else None,
        "Datatype": None,
        "Unit": None,
        "Decimals": None,
        "Default": None,
    }


def _topic(key: str, title: str, position: int, unit: str, decimals: int, parent: int | None = None) -> Row:
    return {
        "odata.type": "Cbs.OData.Topic",
        "ID": position,
        "Position": position,
        "ParentID": parent,
        "Type": "Topic",
        "Key": key,
        "Title": title,
        "Description": "",
        "ReleasePolicy": None,
        "Datatype": "Double" if decimals else "Long",
        "Unit": unit,
        "Decimals": decimals,
        "Default": "Missing",
    }


def _category(key: str, title: str, group: int | None) -> Row:
    return {"Key": key, "Title": title, "Description": "", "CategoryGroupID": group}


def sbi_dimension(depth: str = "subclass", name: str = "sbi2008") -> list[Row]:
    """The SBI dimension in CBS's shape: the A-U total, sections, and codes down to `depth`, with padded keys
    (invented, and another range for SBI 2025)."""
    levels = {"division": 1, "group": 2, "class": 3, "subclass": 4}[depth]
    order = ("division", "group", "class", "subclass")[:levels]
    sbi = classification(name)
    rows = [_category("T001081", "A-U Alle economische activiteiten", 1)]
    number = 300000 if name == "sbi2008" else 500000
    for code, entry in sbi.entries.items():
        if entry.level != "section" and entry.level not in order:
            continue
        number += 100
        label = code if entry.level == "section" else digits_of(code)
        group = 3 if entry.level == "section" else 4 + order.index(entry.level)
        rows.append(_category(f"{number:06d} ", f"{label} {entry.title}", group))
    if depth == "division":  # an aggregate of divisions, as 83583NED has
        rows.append(_category("307610 ", "10-12 Voedings-, genotmiddelenindustrie", 7))
    return rows


def _status(index: int, count: int) -> str:
    return "Voorlopig" if index >= count - 1 else "NaderVoorlopig" if index >= count - 3 else "Definitief"


def _invented(key: str, period_index: int, scale: int) -> int:
    """A stable invented figure for a key and period."""
    seed = sum(ord(ch) * (i + 7) for i, ch in enumerate(key.strip()))
    return (seed % 97 + 3 + period_index % 4) * scale


SIZES = [
    ("k_1WerkzamePersoon", "1 werkzaam persoon", 0.55),
    ("k_2WerkzamePersonen", "2 werkzame personen", 0.15),
    ("k_3Tot5WerkzamePersonen", "3 tot 5 werkzame personen", 0.10),
    ("k_5Tot10WerkzamePersonen", "5 tot 10 werkzame personen", 0.08),
    ("k_10Tot20WerkzamePersonen", "10 tot 20 werkzame personen", 0.05),
    ("k_20Tot50WerkzamePersonen", "20 tot 50 werkzame personen", 0.04),
    ("k_50Tot100WerkzamePersonen", "50 tot 100 werkzame personen", 0.02),
    ("k_100WerkzamePersonenOfMeer", "100 werkzame personen of meer", 0.01),
]


UNDER_50, UNDER_250, LARGE = "k_0Tot50WerkzamePersonen_10", "k_0Tot250WerkzamePersonen_11", "_250_or_more"


def size_split(total: int) -> Row:
    """Invented firms per size class that add up to `total` (topic keys with their suffixes), and the
    firms of 250 or more persons within the top class (a hidden count, for the 'under 250' group)."""
    out: Row = {}
    for i, (key, _, share) in enumerate(SIZES[:-1]):
        out[f"{key}_{i + 2}"] = int(total * share)
    last = len(SIZES) - 1
    out[f"{SIZES[last][0]}_{last + 2}"] = total - sum(out.values())
    out[LARGE] = int(out[f"{SIZES[last][0]}_{last + 2}"] * 0.4)
    return out


def _row_counts(counts: Row) -> Row:
    """The topics of one row: the total, the classes, and the published groups under 50 and under 250."""
    classes = {k: v for k, v in counts.items() if not k.startswith("_")}
    total = sum(classes.values())
    under_50 = sum(v for i, (key, _, _) in enumerate(SIZES[:6]) for k, v in classes.items() if k == f"{key}_{i + 2}")
    return {"TotaalBedrijven_1": total, **classes, UNDER_50: under_50, UNDER_250: total - counts[LARGE]}


def _code_of(title: str) -> str | None:
    """The SBI code a dimension title of this fixture stands for (None for the A-U total)."""
    token = title.split(" ")[0]
    if "-" in token:
        return None
    return token if token.isalpha() else normalise(token)


@cache
def _sections() -> list[str]:
    return [c for c, e in classification().entries.items() if e.level == "section"]


@cache
def _firm_counts(code: str | None, period_index: int) -> Row:
    """Invented firms per size class, consistent up the tree: a code's counts are the sum of its children's."""
    sbi = classification()
    below = _sections() if code is None else sbi.children.get(code, [])
    if not below:
        return size_split(_invented(code or "", period_index, 5))
    total: Row = {}
    for child in below:
        for key, value in _firm_counts(child, period_index).items():
            total[key] = total.get(key, 0) + value
    return total


def firms_table(
    first_year: int = 2015,
    last_year: int = 2019,
    modified: str = "2020-11-19T02:00:00",
    secret: tuple[str, ...] = (),
    quarters: int | None = None,
    secret_classes: bool = False,
) -> FakeTable:
    """A table like 81589NED: firms by SBI subclass and quarter, total and by size class, counts in multiples of 5.

    `secret` names SBI codes (dotted) whose first-quarter firm counts are secret ('x') in every year (with
    `secret_classes`, their size classes too); `quarters` cuts the periods short (the real table runs from 2007KW01
    to the latest quarter).
    """
    periods = [f"{y}KW{q:02d}" for y in range(first_year, last_year + 1) for q in range(1, 5)][:quarters]
    period_rows = [
        {"Key": p, "Title": f"{p[:4]} {int(p[-1])}e kwartaal", "Description": "", "Status": _status(i, len(periods))}
        for i, p in enumerate(periods)
    ]
    sbi_rows = sbi_dimension("subclass")
    properties = [
        _dimension_property("BedrijfstakkenBranchesSBI2008", "Bedrijfstakken/branches (SBI 2008)", 0),
        _dimension_property("Perioden", "Perioden", 1, time=True),
        _topic("TotaalBedrijven_1", "Totaal bedrijven", 2, "aantal", 0),
        {**_topic("Bedrijfsgrootte", "Bedrijfsgrootte", 3, "", 0), "Type": "TopicGroup"},
        *(_topic(f"{key}_{i + 2}", title, 4 + i, "aantal", 0, parent=3) for i, (key, title, _) in enumerate(SIZES)),
        _topic(UNDER_50, "0 tot 50 werkzame personen", 12, "aantal", 0, parent=3),
        _topic(UNDER_250, "0 tot 250 werkzame personen", 13, "aantal", 0, parent=3),
    ]
    secret_keys = {row["Key"] for row in sbi_rows if row["Title"].split(" ")[0] in {digits_of(c) for c in secret}}
    rows: list[Row] = []
    hidden: set[tuple[int, str]] = set()
    for sbi_row in sbi_rows:
        code = _code_of(sbi_row["Title"])
        for index, period in enumerate(periods):
            row: Row = {"ID": len(rows), "BedrijfstakkenBranchesSBI2008": sbi_row["Key"], "Perioden": period}
            row.update(_row_counts(_firm_counts(code, index)))
            if sbi_row["Key"] in secret_keys and period.endswith("KW01"):
                topics = [t for t in row if t.startswith(("TotaalBedrijven", "k_"))] if secret_classes else []
                for topic in topics or ["TotaalBedrijven_1"]:
                    row[topic] = None
                    hidden.add((row["ID"], topic))
            rows.append(row)
    return FakeTable(
        id="81589NED",
        info=_table_info("81589NED", "Bedrijven; bedrijfstak", modified, f"{first_year}-{last_year}", len(rows)),
        properties=properties,
        category_groups=[
            {"ID": 1, "DimensionKey": "BedrijfstakkenBranchesSBI2008", "Title": "Totaal", "ParentID": None}
        ],
        dimensions={"BedrijfstakkenBranchesSBI2008": sbi_rows, "Perioden": period_rows},
        rows=rows,
        secret=hidden,
    )


def _firm_properties(dimension: str, title: str) -> list[Row]:
    return [
        _dimension_property(dimension, title, 0),
        _dimension_property("Perioden", "Perioden", 1, time=True),
        _topic("TotaalBedrijven_1", "Totaal bedrijven", 2, "aantal", 0),
        {**_topic("Bedrijfsgrootte", "Bedrijfsgrootte", 3, "", 0), "Type": "TopicGroup"},
        *(_topic(f"{key}_{i + 2}", title, 4 + i, "aantal", 0, parent=3) for i, (key, title, _) in enumerate(SIZES)),
        _topic(UNDER_50, "0 tot 50 werkzame personen", 12, "aantal", 0, parent=3),
        _topic(UNDER_250, "0 tot 250 werkzame personen", 13, "aantal", 0, parent=3),
    ]


def _quarters(first: str, last: str) -> list[str]:
    """CBS quarter keys from `first` to `last`, as '2025KW04'."""
    start, end = int(first[:4]) * 4 + int(first[-1]) - 1, int(last[:4]) * 4 + int(last[-1]) - 1
    return [f"{n // 4}KW{n % 4 + 1:02d}" for n in range(start, end + 1)]


def firms_table_2025(before: FakeTable, first: str = "2025KW04", last: str = "2026KW02") -> FakeTable:
    """A table like 86280NED: firms by SBI 2025 code and quarter, total and by size class.

    The SBI dimension is the real SBI 2025 code list (keys invented). In the quarters `before` (an
    81589NED-shaped table) also publishes, each SBI 2025 code's firms come from the SBI 2008 codes that
    the concordance links to it: every SBI 2008 finest code's firms are shared out over the codes it goes
    to (whole where it goes to one), so the two tables agree firm for firm. Later quarters are invented.
    """
    from lshcli.concordance import LinkKind
    from lshcli.concordance import load as concordance

    old, new = classification("sbi2008"), classification("sbi2025")
    links = concordance(old, new)
    periods = _quarters(first, last)
    period_rows = [
        {"Key": p, "Title": f"{p[:4]} {int(p[-1])}e kwartaal", "Description": "", "Status": _status(i, len(periods))}
        for i, p in enumerate(periods)
    ]
    sbi_rows = sbi_dimension("subclass", "sbi2025")
    titles = {r["Key"]: r["Title"] for r in before.dimensions["BedrijfstakkenBranchesSBI2008"]}
    old_rows = {
        (code, r["Perioden"]): r
        for r in before.rows
        if (code := _code_of(titles[r["BedrijfstakkenBranchesSBI2008"]])) is not None and not old.children.get(code)
    }
    topics = list(before.topics())
    leaves: dict[tuple[str, str], Row] = {}
    for index, period in enumerate(periods):
        if any(p == period for _, p in old_rows):
            for (code, p), row in old_rows.items():
                if p != period:
                    continue
                targets = [x.other for x in links.links(code, "sbi2008") if x.kind is not LinkKind.DISPUTED]
                for i, target in enumerate(targets):
                    cell = leaves.setdefault((target, period), dict.fromkeys(topics, 0))
                    for topic in topics:
                        value = row.get(topic) or 0
                        share = value // len(targets) + (value % len(targets) if i == 0 else 0)
                        cell[topic] += share
        else:
            for code in new.entries:
                if not new.children.get(code):
                    leaves[(code, period)] = _row_counts(size_split(_invented(code, index, 5)))

    def counts(code: str, period: str) -> Row:
        below = new.children.get(code) or []
        if not below:
            return leaves.get((code, period)) or dict.fromkeys(topics, 0)
        total = dict.fromkeys(topics, 0)
        for child in below:
            for topic, value in counts(child, period).items():
                total[topic] += value
        return total

    rows: list[Row] = []
    for sbi_row in sbi_rows:
        code = _code_of(sbi_row["Title"])
        for period in periods:
            if code is None:
                cells = dict.fromkeys(topics, 0)
                for section in (c for c, e in new.entries.items() if e.level == "section"):
                    for topic, value in counts(section, period).items():
                        cells[topic] += value
            else:
                cells = counts(code, period)
            rows.append({"ID": len(rows), "BedrijfstakkenBranchesSBI2025": sbi_row["Key"], "Perioden": period, **cells})
    return FakeTable(
        id="86280NED",
        info=_table_info(
            "86280NED", "Bedrijven; bedrijfstak (SBI 2025)", "2026-05-20T02:00:00", f"{first}-{last}", len(rows)
        ),
        properties=_firm_properties("BedrijfstakkenBranchesSBI2025", "Bedrijfstakken/branches (SBI 2025)"),
        category_groups=[
            {"ID": 1, "DimensionKey": "BedrijfstakkenBranchesSBI2025", "Title": "Totaal", "ParentID": None}
        ],
        dimensions={"BedrijfstakkenBranchesSBI2025": sbi_rows, "Perioden": period_rows},
        rows=rows,
    )


def jobs_table(modified: str = "2020-11-19T02:00:00") -> FakeTable:
    """A table like 83583NED: employee jobs in December (x 1 000) by division and size class, 2010-2019."""
    periods = [f"{y}JJ00" for y in range(2010, 2020)]
    period_rows = [
        {"Key": p, "Title": f"{p[:4]} december", "Description": "", "Status": _status(i, len(periods))}
        for i, p in enumerate(periods)
    ]
    sizes = [{"Key": "T001098", "Title": "Totaal", "Description": "", "CategoryGroupID": None}] + [
        {"Key": f"WP19{n:03d}", "Title": title, "Description": "", "CategoryGroupID": None}
        for n, title in ((74, "0  tot 10 werkzame personen"), (90, "10  tot 50 werkzame personen"))
    ]
    sbi_rows = sbi_dimension("division")
    properties = [
        _dimension_property("BedrijfstakkenBranchesSBI2008", "Bedrijfstakken/branches (SBI 2008) ", 0),
        _dimension_property("Bedrijfsgrootte", "Bedrijfsgrootte", 1),
        _dimension_property("Perioden", "Perioden", 2, time=True),
        _topic("BanenVanWerknemersInDecember_1", "Banen van werknemers in december", 3, "x 1 000", 1),
    ]
    rows: list[Row] = []
    for sbi_row in sbi_rows:
        for size in sizes:
            for index, period in enumerate(periods):
                value = _invented(sbi_row["Key"] + size["Key"], index, 1) / 10
                if period >= "2018":  # as CBS does: two decimals in the latest years, though DataProperties say one
                    value += (_invented(size["Key"] + sbi_row["Key"], index, 1) % 9 + 1) / 100
                rows.append(
                    {
                        "ID": len(rows),
                        "BedrijfstakkenBranchesSBI2008": sbi_row["Key"],
                        "Bedrijfsgrootte": size["Key"],
                        "Perioden": period,
                        "BanenVanWerknemersInDecember_1": round(value, 2),
                    }
                )
    return FakeTable(
        id="83583NED",
        info=_table_info(
            "83583NED",
            "Banen van werknemers; bedrijfsgrootte en economische activiteit (SBI2008)",
            modified,
            "2010 december - 2019 december",
            len(rows),
        ),
        properties=properties,
        category_groups=[],
        dimensions={"BedrijfstakkenBranchesSBI2008": sbi_rows, "Bedrijfsgrootte": sizes, "Perioden": period_rows},
        rows=rows,
    )


def business_table(unit: str = "x 1 000") -> FakeTable:
    """A table like 81156ned: persons employed (x 1 000) and turnover (mln euro) by SBI class and year, 2015-2019."""
    periods = [f"{y}JJ00" for y in range(2015, 2020)]
    period_rows = [
        {"Key": p, "Title": p[:4], "Description": "", "Status": _status(i, len(periods))} for i, p in enumerate(periods)
    ]
    sbi_rows = sbi_dimension("class")
    properties = [
        _dimension_property("BedrijfstakkenBranchesSBI2008", "Bedrijfstakken/branches (SBI 2008)", 0),
        _dimension_property("Perioden", "Perioden", 1, time=True),
        _topic("WerkzamePersonen_1", "Werkzame personen", 2, unit, 1),
        _topic("NettoOmzet_2", "Netto-omzet", 3, "mln euro", 0),
    ]
    rows: list[Row] = []
    for sbi_row in sbi_rows:
        for index, period in enumerate(periods):
            persons = _invented(sbi_row["Key"], index, 1) / 10
            rows.append(
                {
                    "ID": len(rows),
                    "BedrijfstakkenBranchesSBI2008": sbi_row["Key"],
                    "Perioden": period,
                    "WerkzamePersonen_1": persons,
                    "NettoOmzet_2": float(_invented(sbi_row["Key"], index, 37)),
                }
            )
    return FakeTable(
        id="81156ned",
        info=_table_info(
            "81156ned",
            "Bedrijfsleven; arbeids- en financiele gegevens, per branche",
            "2021-06-30T02:00:00",
            "2015-2019",
            len(rows),
        ),
        properties=properties,
        category_groups=[],
        dimensions={"BedrijfstakkenBranchesSBI2008": sbi_rows, "Perioden": period_rows},
        rows=rows,
    )


# --- the server -----------------------------------------------------------------------------------


@dataclass
class Fault:
    """A fault for requests of one entity set ('*' for any): kind, and how many times (None: always).

    Every fault is deterministic: a server that hangs or trickles does so until the client gives up,
    so a test never races a timeout. Kinds:

    - 'status': HTTP `status`; 'hang': no answer at all; 'stall': headers and half the body, then nothing;
      'trickle': the body a few bytes at a time, for ever; 'cut': the body stops halfway;
    - 'badjson': a whole body that is not JSON; 'notodata': JSON without a 'value' list;
    - 'loop': odata.nextLink points back at the same page; 'endless': every page links to a further one;
      'endless_full': every page holds rows and links to a further one, for ever;
    - 'foreign_next': odata.nextLink points to another host; 'redirect': HTTP 302 to `value` (a URL or a
      path on this server);
    - 'big': `value` bytes of JSON; 'gzipbomb': a small gzip body that expands to `value` bytes; 'gzip2': the body
      as two gzip members; 'gzipcut': a gzip body cut before its eight-byte trailer;
    - 'empty': no rows; 'unpadded' / 'repadded': data keys without / with more padding than the dimension's;
      'junk': rows with no dimension at all; 'duplicate': every row twice, the second with another figure;
      'nonfinite': the first row's first topic is `value` (a JSON text such as Infinity, NaN or 1e400);
    - 'modified': TableInfos says `value` was the version (one fault per request, with times=1);
    - 'pass': the answer as usual (with `times`, it lets that many requests through before a fault behind it).
    """

    entity_set: str
    kind: str
    times: int | None = None
    status: int = 500
    value: Any = None


@dataclass
class Hit:
    """One request the server answered."""

    path: str
    query: dict[str, str]
    status: int
    bytes: int


class CbsServer(ThreadingHTTPServer):
    """The local CBS: tables by id, faults to inject, and a log of what was asked."""

    daemon_threads = True

    def __init__(self, tables: list[FakeTable], tls: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scheme = "https" if tls else "http"
        if tls:  # the invented certificate in tests/tls/
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            folder = Path(__file__).parent / "tls"
            context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
            self.socket = context.wrap_socket(self.socket, server_side=True)
        self.tables = {t.id.upper(): t for t in tables}
        self.faults: list[Fault] = []
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.page_rows = PAGE_ROWS
        self.max_target = 2048  # like a web server's limit on the request line: longer ones get 414
        self.released = threading.Event()  # set when the server stops: hanging answers end then
        self.v4 = V4Options()
        """How the v4 side answers (tests/cbs_v4.py); every table is served in v4 too unless it says otherwise."""
        self.v3_unknown: set[str] = set()
        """Tables v3 does not know (404), in upper case: tables that exist only in v4."""
        self.recorded = recorded_v4()
        self.held = threading.Event()  # set once a stalling answer has sent its headers and half its body

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (after its own timeout) is no error of the server's; stay quiet."""

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def fault_for(self, entity_set: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.entity_set in ("*", entity_set) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def data_requests(self) -> list[Hit]:
        """The requests for data rows, in order."""
        return [h for h in self.hits if h.path.endswith("DataSet")]


class _Handler(BaseHTTPRequestHandler):
    server: CbsServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass

    def _send(
        self,
        status: int,
        body: bytes,
        path: str,
        query: dict[str, str],
        length: int | None = None,
        encoding: str | None = None,
    ) -> None:
        self.server.hits.append(Hit(path, query, status, len(body)))  # logged first: the client may check at once
        self.send_response(status)
        self.send_header("Content-Type", "application/json;odata=minimalmetadata;streaming=true;charset=utf-8")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading (a size cap), as it may
            self.wfile.write(body)

    def _error(self, status: int, message: str, path: str, query: dict[str, str]) -> None:
        body = json.dumps({"odata.error": {"code": "", "message": {"lang": "nl-NL", "value": message}}})
        self._send(status, body.encode(), path, query)

    def _hold(self, body: bytes, path: str, query: dict[str, str], trickle: bool) -> None:
        """Send headers and half the body, then stall (or trickle a byte at a time) until the client gives up."""
        self.server.hits.append(Hit(path, query, 200, len(body)))
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(body) * 100))
        self.end_headers()
        try:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.server.held.set()  # the known bytes are out: from here on the answer only stalls (or trickles)
            while not self.server.released.wait(0.02 if trickle else 0.5):
                if trickle:
                    self.wfile.write(b" ")
                    self.wfile.flush()
        except OSError:
            pass  # the client gave up, as it should
        self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        parts = urlsplit(self.path)  # a proxy request carries the whole URL; the path is the same
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if re.match(r"/odata/v1/CBS(/|$)", parts.path):
            return self._v4(parts.path, parts.query, query)
        match = re.fullmatch(r"/(?:ODataFeed|ODataApi)/odata/([^/]+)/?([^/]*)", parts.path, flags=re.IGNORECASE)
        if not match:
            return self._error(404, "Resource not found.", parts.path, query)
        table_id, entity_set = match.group(1), match.group(2)
        if len(self.path) > self.server.max_target:
            return self._error(414, "The request URL is too long.", parts.path, query)
        fault = self.server.fault_for(entity_set or "root")
        if fault and fault.kind == "status":
            return self._error(fault.status, "Injected server error", parts.path, query)
        if fault and fault.kind == "hang":
            self.server.hits.append(Hit(parts.path, query, 0, 0))
            self.server.released.wait()
            self.close_connection = True
            return None
        if fault and fault.kind == "redirect":
            self.server.hits.append(Hit(parts.path, query, 302, 0))
            self.send_response(302)
            self.send_header("Location", str(fault.value))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        table = self.server.tables.get(table_id.upper())
        host = self.headers.get("Host") or self.server.url.split("://")[1]
        root = f"{self.server.scheme}://{host}"
        base = f"{root}/ODataFeed/odata/{table_id}"
        if table is None or table_id.upper() in self.server.v3_unknown:
            return self._error(404, f"Resource not found for the segment '{table_id}'.", parts.path, query)
        if not entity_set:
            value = [{"name": name, "url": f"{base}/{name}"} for name in table.entity_sets()]
            return self._json({"odata.metadata": f"{base}/$metadata", "value": value}, parts.path, query, fault)
        if entity_set not in table.entity_sets():
            return self._error(404, f"Resource not found for the segment '{entity_set}'.", parts.path, query)
        try:
            rows = table.query(entity_set, query.get("$filter", ""), query.get("$select", ""))
        except FilterError as exc:
            return self._error(400, str(exc), parts.path, query)
        if fault and fault.kind == "modified":
            rows = [{**r, "Modified": fault.value} for r in rows]
        skip = int(query.get("$skip", "0") or 0)
        size = self.server.page_rows
        page: Row = {"odata.metadata": f"{base}/$metadata#Cbs.OData.WebAPI.{entity_set}"}
        if fault and fault.kind == "endless_full":  # every page full, and linking to a further one, for ever
            skip = skip % max(len(rows) - size, 1)
        page["value"] = _spoil(rows[skip : skip + size], fault, table)
        if fault and fault.kind == "loop":
            page["odata.nextLink"] = f"{root}{parts.path}?{parts.query}"
        elif fault and fault.kind == "foreign_next":
            page["odata.nextLink"] = f"http://203.0.113.7{parts.path}?{parts.query}&$skip={skip + size}"
        elif fault and fault.kind in ("endless", "endless_full") or skip + size < len(rows):
            further = {k: v for k, v in query.items() if k != "$skip"} | {"$skip": str(skip + size)}
            link = "&".join(f"{k}={quote(v, safe=',()')}" for k, v in further.items())  # as the client writes
            page["odata.nextLink"] = f"{base}/{entity_set}?{link}"
        self._json(page, parts.path, query, fault)

    def _v4(self, path: str, raw_query: str, query: dict[str, str]) -> None:
        """An answer of the v4 side: the catalog, a table's sets, its observations (paged), or their count."""
        options = self.server.v4
        host = self.headers.get("Host") or self.server.url.split("://")[1]
        root = f"{self.server.scheme}://{host}/odata/v1/CBS"
        parts = [p for p in path.removeprefix("/odata/v1/CBS").split("/") if p]
        if len(self.path) > self.server.max_target:
            return self._error(414, "The request URL is too long.", path, query)
        name = "/".join(parts[1:]) if len(parts) > 1 else (parts[0] if parts else "")
        fault = self.server.fault_for(f"v4:{name}" if parts else "v4:root")
        if fault and fault.kind == "status":
            return self._error(fault.status, "Injected server error", path, query)
        if fault and fault.kind == "hang":
            self.server.hits.append(Hit(path, query, 0, 0))
            self.server.released.wait()
            self.close_connection = True
            return None
        if parts == ["Datasets"]:
            if options.catalog_verbatim:
                return self._send(200, self.server.recorded[("", "Datasets")], path, query)
            rows = catalog(list(self.server.tables.values()), options, root)
            return self._v4_rows(rows, path, raw_query, query, f"{root}/$metadata#Datasets", fault)
        if not parts:
            return self._error(404, "Resource not found.", path, query)
        table_id, entity_name = parts[0], "/".join(parts[1:])
        table = self.server.tables.get(table_id.upper())
        base = f"{root}/{table_id if table is None else published_id(table, options)}"
        if table is None or table.id.upper() in options.unknown:
            recorded = self.server.recorded.get((table_id.upper(), entity_name))
            if table is None and recorded is not None:
                return self._send(200, recorded, path, query)
            return self._error(404, f"Resource not found for the segment '{table_id}'.", path, query)
        if entity_name == "Properties":
            return self._json(properties(table, options, base), path, query, fault)
        if entity_name.startswith("Observations") and table.id.upper() in options.no_observations:
            return self._error(404, "Resource not found for the segment 'Observations'.", path, query)
        if entity_name == "Observations/$count":
            counted = self._v4_filtered(observations(table), query, path)
            if counted is None:
                return None
            body = str(len(counted)).encode()
            self.server.hits.append(Hit(path, query, 200, len(body)))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        listed = entity(table, entity_name, options, base)
        if listed is None:
            return self._error(404, f"Resource not found for the segment '{entity_name}'.", path, query)
        rows = listed
        key = (f"v4:{entity_name}", query.get("$filter", ""), query.get("$select", ""))
        if entity_name == "Observations" and key in table.answers:  # each page of a query filters once
            rows, query = table.answers[key], {k: v for k, v in query.items() if k not in ("$filter", "$select")}
        elif entity_name == "Observations":
            found = self._v4_filtered(rows, query, path)
            if found is None:
                return None
            table.answers[key] = found
            rows, query = found, {k: v for k, v in query.items() if k not in ("$filter", "$select")}
        return self._v4_rows(rows, path, raw_query, query, f"{base}/$metadata#{entity_name}", fault)

    def _v4_filtered(self, rows: list[Row], query: dict[str, str], path: str) -> list[Row] | None:
        try:
            where, select = query.get("$filter", ""), query.get("$select", "")
            if where:
                keep = compile_filter(where, set(rows[0]) if rows else set())
                rows = [r for r in rows if keep(r)]
            if select:
                names = [n.strip() for n in select.split(",")]
                rows = [{n: r.get(n) for n in names} for r in rows]
        except FilterError as exc:
            self._error(400, str(exc), path, query)
            return None
        return rows

    def _v4_rows(
        self, rows: list[Row], path: str, raw_query: str, query: dict[str, str], context: str, fault: Fault | None
    ) -> None:
        options = self.server.v4
        found = self._v4_filtered(rows, query, path)
        if found is None:
            return None
        skip = int(query.get("$skip", "0") or 0)
        body: Row = {"@odata.context": context, "value": _spoil(found[skip : skip + options.page_rows], fault, None)}
        if fault and fault.kind == "loop":
            body["@odata.nextLink"] = self._v4_link(path, raw_query, skip)
        elif fault and fault.kind == "foreign_next":
            body["@odata.nextLink"] = f"http://203.0.113.7{path}?$skip={skip + options.page_rows}"
        elif fault and fault.kind == "endless" or skip + options.page_rows < len(found):
            body["@odata.nextLink"] = self._v4_link(path, raw_query, skip + options.page_rows)
        return self._json(body, path, query, fault)

    def _v4_link(self, path: str, raw_query: str, skip: int) -> str:
        kept = "&".join(part for part in raw_query.split("&") if part and not part.startswith("$skip="))
        target = f"{path}?{kept}&$skip={skip}" if kept else f"{path}?$skip={skip}"
        if self.server.v4.relative_links:
            return target
        host = self.headers.get("Host") or self.server.url.split("://")[1]
        return f"{self.server.scheme}://{host}{target}"

    def _json(self, data: Row, path: str, query: dict[str, str], fault: Fault | None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        if fault and fault.kind == "nonfinite":
            body = body.replace(b'"__NONFINITE__"', str(fault.value).encode())
        if fault and fault.kind in ("stall", "trickle"):
            self._hold(body, path, query, trickle=fault.kind == "trickle")
        elif fault and fault.kind == "cut":
            self._send(200, body[: len(body) // 2], path, query, length=len(body))
            self.close_connection = True
        elif fault and fault.kind == "badjson":
            self._send(200, body[: len(body) // 2], path, query)
        elif fault and fault.kind == "notodata":
            self._send(200, b'{"message": "not an OData feed"}', path, query)
        elif fault and fault.kind == "big":
            self._send(200, b'{"value": [], "padding": "' + b"x" * int(fault.value) + b'"}', path, query)
        elif fault and fault.kind == "gzipbomb":
            packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            bomb = packer.compress(b'{"value": [], "padding": "')
            chunk = b"0" * 1_000_000
            for _ in range(int(fault.value) // len(chunk)):
                bomb += packer.compress(chunk)
            bomb += packer.compress(b'"}') + packer.flush()
            self._send(200, bomb, path, query, encoding="gzip")
        elif fault and fault.kind == "gzip2":  # two gzip members: urllib3 reads both, a one-member reader the first
            import gzip

            half = len(body) // 2
            self._send(200, gzip.compress(body[:half]) + gzip.compress(body[half:]), path, query, encoding="gzip")
        elif fault and fault.kind == "gzipcut":  # a gzip body that stops before its trailer
            import gzip

            self._send(200, gzip.compress(body)[:-6], path, query, encoding="gzip")
        else:
            self._send(200, body, path, query)


def _spoil(rows: list[Row], fault: Fault | None, table: FakeTable | None) -> list[Row]:
    """The rows of one page as a faulty server would send them (a v4 page, `table` None, only empty or junk)."""
    if fault is None:
        return rows
    if table is None:
        return [] if fault.kind == "empty" else [{"odd": i} for i in range(len(rows))] if fault.kind == "junk" else rows
    dimension = next(iter(table.dimensions))
    if fault.kind == "empty":
        return []
    if fault.kind == "junk":
        return [{"odd": i} for i in range(len(rows))]
    if fault.kind in ("unpadded", "repadded"):
        pad = "" if fault.kind == "unpadded" else "  "
        return [{**r, dimension: str(r[dimension]).strip() + pad} if dimension in r else r for r in rows]
    if fault.kind == "duplicate":
        topics = [k for k in table.topics() if rows and k in rows[0]]
        return rows + [{**r, topics[0]: "     999"} for r in rows] if topics else rows
    if fault.kind == "nonfinite" and rows:
        topics = [k for k in table.topics() if k in rows[0]]
        return [{**rows[0], topics[0]: "__NONFINITE__"}, *rows[1:]]
    return rows


@contextmanager
def serve(tables: list[FakeTable], tls: bool = False) -> Iterator[CbsServer]:
    """Run a server in a thread for the length of a `with` (https with the tests' own certificate if `tls`)."""
    server = CbsServer(tables, tls)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
