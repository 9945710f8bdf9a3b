"""`lsh tables check`: what CBS's catalog and each table's metadata say now, against lsh's table specs and the
store.

One request reads the catalog (`/CBS/Datasets` in OData v4); per table, its `Properties`, structure and periods.
For each table: its status (regular, discontinued, withdrawn), the successor its description names, a new
version since the store was filled, new periods (listed now, not when the store was filled), provisional
figures that became final, and every way its
structure no longer fits its spec (a dimension gone, a measure's title not found, a unit changed), each with the
change to the spec it needs. Findings are data; `lshcli.output.words` says them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lshcli.cbs.client import CbsClient
from lshcli.cbs.odata import cbs_period
from lshcli.cbs.odata4 import Listing, ODataV4, catalog
from lshcli.cbs.tables import TableSpec
from lshcli.errors import FetchError, LshError
from lshcli.source import Category, Structure, Topic
from lshcli.store import Store

_TABLE_ID = re.compile(r"\b(\d{5}[A-Za-z]{3})\b")
_SUCCESSOR_WORDS = re.compile(r"opvolg|vervang|voortgezet|vervolg|nieuwe tabel|zie ", re.IGNORECASE)
ENDED = ("discontinued", "withdrawn")


@dataclass(frozen=True)
class SpecChange:
    """One way a table no longer fits its spec, and what would mend it: `kind` is 'dimension' (gone), 'measure'
    (no topic with the spec's title; `nearest` is the closest title the table has), 'unit' (the topic's unit
    changed to `found`) or 'category' (a dimension lacks the category the spec chooses)."""

    kind: str
    name: str
    expected: str
    found: str | None
    key: str | None
    path: str


@dataclass(frozen=True)
class TableCheck:
    """What CBS says of one table now."""

    table: str
    title: str
    in_catalog: bool
    status: str | None
    """'regular', 'discontinued' or 'withdrawn' (CBS's Regulier, Gediscontinueerd, Vervallen)."""
    successors: tuple[str, ...]
    modified: str | None
    stored_versions: tuple[str, ...]
    new_version: bool
    new_periods: tuple[str, ...]
    now_final: tuple[str, ...]
    changes: tuple[SpecChange, ...]
    error: LshError | None = None
    """Why the table could not be read (its other findings are then unknown)."""

    @property
    def breaks(self) -> bool:
        """Whether a fetch from it would fail or stop: ended, or no longer fitting its spec, or unreadable."""
        return self.status in ENDED or bool(self.changes) or self.error is not None


def successors(description: str, own: str) -> tuple[str, ...]:
    """The tables a description names as a successor: the other table ids it mentions after words such as
    'opvolger', 'vervangen', 'voortgezet', else every other table id it mentions."""
    ids = [m for m in _TABLE_ID.findall(description) if m.upper() != own.upper()]
    after = [
        m.group(1)
        for word in _SUCCESSOR_WORDS.finditer(description)
        for m in [_TABLE_ID.search(description, word.end())]
        if m is not None and m.group(1).upper() != own.upper()
    ]
    return tuple(dict.fromkeys(i.upper() for i in (after or ids)))


def _nearest(wanted: Sequence[str], topics: Sequence[Topic]) -> Topic | None:
    import difflib

    titles = {t.title: t for t in topics}
    for title in wanted:
        close = difflib.get_close_matches(title, list(titles), n=1, cutoff=0.5)
        if close:
            return titles[close[0]]
    return None


def spec_changes(
    spec: TableSpec, structure: Structure, categories: dict[str, list[Category]]
) -> tuple[SpecChange, ...]:
    """Every way a table's structure no longer fits its spec."""
    path = str(spec.path)
    found: list[SpecChange] = []
    for needed in (spec.sbi_dimension, spec.period_dimension, *spec.dimensions):
        if needed not in structure.dimensions:
            found.append(SpecChange("dimension", needed, needed, ", ".join(structure.dimensions), None, path))
    for name, choice in spec.measures.items():
        topic = choice.pick(structure.topics)
        if topic is None:
            near = _nearest(choice.titles, structure.topics)
            found.append(
                SpecChange(
                    "measure", name, choice.describe(), near.title if near else None, near.key if near else None, path
                )
            )
        elif choice.unit is not None and topic.unit.casefold() != choice.unit.casefold():
            found.append(SpecChange("unit", name, choice.unit, topic.unit, topic.key, path))
    for name, pick in spec.dimensions.items():
        if name in categories and pick.pick(categories[name]) is None:
            found.append(SpecChange("category", name, pick.describe(), None, None, path))
    return tuple(found)


def _day(stamp: str | None) -> str:
    return (stamp or "")[:10]


def check_table(client: CbsClient, spec: TableSpec, listed: Listing | None, store: Store | None) -> TableCheck:
    """One table against its spec and the store."""
    versions, periods, listed_then = (
        store.table_state(spec.id, spec.period_dimension) if store is not None else ([], {}, set())
    )
    if listed is None:
        return TableCheck(spec.id, spec.title, False, None, (), None, tuple(versions), False, (), (), ())
    source = ODataV4(client, listed.id)
    status, description, modified = listed.status, listed.description, listed.modified
    try:
        own = source.listing()
        status = own.status or status
        description = " ".join([description, own.description])
        modified = own.modified or modified
        structure = source.structure()
        present = set(structure.dimensions)
        categories = {
            name: source.categories(name, time=name == spec.period_dimension)
            for name in (spec.period_dimension, *spec.dimensions)
            if name in present
        }
    except FetchError as exc:  # an ended table may answer nothing but its catalog row: that is no further news
        named = successors(description, spec.id)
        error = None if status in ENDED else exc
        return TableCheck(
            spec.id, listed.title, True, status, named, modified, tuple(versions), False, (), (), (), error
        )
    shown = categories.get(spec.period_dimension, [])
    new_periods = tuple(
        p for c in shown if listed_then and c.key not in listed_then and (p := cbs_period(c.key)) is not None
    )
    now_final = tuple(
        p
        for c in shown
        if c.key in periods and periods[c.key] in ("provisional", "revised provisional") and c.status == "definitive"
        if (p := cbs_period(c.key)) is not None
    )
    newer = bool(versions) and modified is not None and _day(modified) > max(_day(v) for v in versions)
    return TableCheck(
        spec.id,
        listed.title or spec.title,
        True,
        status,
        successors(description, spec.id) if status in ENDED else (),
        modified,
        tuple(versions),
        newer,
        new_periods,
        now_final,
        spec_changes(spec, structure, categories),
    )


def check(client: CbsClient, specs: Sequence[TableSpec], store: Store | None) -> list[TableCheck]:
    """Every table of `specs` as CBS's catalog (one request) and its own metadata describe it now."""
    by_id = {entry.id.upper(): entry for entry in catalog(client)}
    return [check_table(client, spec, by_id.get(spec.id.upper()), store) for spec in specs]
