"""`lsh fetch`: ask a CBS table for just the SBI codes and periods needed, and store them with provenance.

The steps: read the table's version (`TableInfos`), its topics (`DataProperties`) and the dimensions
the spec uses (cached in the store per table version), check the live structure against the spec,
resolve each SBI code to the table's own dimension key from the dimension titles, leave out the cells
the store already holds from this very table version, ask for the rest with a server-side `$filter`
on those keys and periods (as many keys a request as the longest URL allows, or no key filter at all
when the whole dimension takes fewer pages), and swap the rows into the store in one transaction.
Nothing is written unless every request succeeded.
"""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from lshcli.cbs.odata import PAGE_ROWS, cbs_period, cell_ref, codes_in_title, ref_cell
from lshcli.cbs.tables import Choice, TableRegistry, TableSpec
from lshcli.definitions import label
from lshcli.errors import (
    ClassificationError,
    ConfigError,
    FetchError,
    LshError,
    NotAvailableError,
    OfflineError,
    TableSpecError,
)
from lshcli.measures import get_measure
from lshcli.model import Source
from lshcli.sbi import DEFAULT, Classification
from lshcli.source import (
    STRUCTURE,
    Category,
    Structure,
    TableSource,
    categories_as_rows,
    categories_from_rows,
    structure_from_rows,
)
from lshcli.store import Replaced, Staged, Store, Topic

if TYPE_CHECKING:
    from lshcli.cbs.client import CbsClient
    from lshcli.definitions import Definition

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Tally:
    """The rows of one code set a fetch stored or kept: how many, how many of them empty, and their periods."""

    rows: int = 0
    empty: int = 0
    first: str | None = None
    last: str | None = None

    def add(self, rows: int, empty: int, first: str, last: str) -> None:
        self.rows += rows
        self.empty += empty
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)


@dataclass
class Held:
    """A cell (a dimension key in a period) the store holds from a table version: the topics held, and how many
    figures, how many of them empty."""

    topics: set[str]
    figures: int
    empty: int


def tallies(staged: Staged, kept: Sequence[tuple[str, str, Held]]) -> dict[str, Tally]:
    """The rows of a fetch (written aside, counted by SQLite) and those it kept (each cell by its code set's first
    code and its period), by the first code of each code set."""
    into: dict[str, Tally] = {}
    for code_set, rows, empty, first, last in staged.counts():
        into.setdefault(code_set.split("+")[0], Tally()).add(rows, empty, first, last)
    for code, period, held in kept:
        into.setdefault(code, Tally()).add(held.figures, held.empty, period, period)
    return into


@dataclass
class Plan:
    """Which keys and periods to ask a table for, and what became of each requested code."""

    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dimension key -> the codes it holds
    wanted: dict[str, list[str]] = field(default_factory=dict)  # requested code -> the codes stored for it
    stand_ins: dict[str, str] = field(default_factory=dict)  # requested code -> the wider code stored instead
    not_carried: list[str] = field(default_factory=list)
    periods: dict[str, str] = field(default_factory=dict)  # CBS period key -> lsh period
    status: dict[str, str | None] = field(default_factory=dict)  # CBS period key -> status


def plan_codes(codes: Sequence[str], index: Mapping[tuple[str, ...], str], sbi: Classification) -> Plan:
    """Resolve requested codes to dimension keys: the code itself, else all of its children, else its nearest parent."""
    single = {c[0]: key for c, key in index.items() if len(c) == 1}
    plan = Plan()

    def resolve(code: str) -> list[str] | None:
        if code in single:
            return [code]
        children = sbi.children.get(code, [])
        if not children:
            return None
        found: list[str] = []
        for child in children:
            below = resolve(child)
            if below is None:
                return None
            found += below
        return found

    for code in codes:
        stored = resolve(code)
        if stored is None:
            parent = next((p for p in sbi.ancestors(code) if p in single), None)
            if parent is None:
                plan.not_carried.append(code)
                continue
            plan.stand_ins[code] = parent
            stored = [parent]
        plan.wanted[code] = stored
        for c in stored:
            plan.keys[single[c]] = (c,)
    return plan


@dataclass(frozen=True)
class Request:
    """One data request: the dimension keys and period keys it is for, and whether it names the keys at all.

    A request with `whole` set asks for every key of the SBI dimension (no filter on it) and keeps only
    `keys`: when a fetch wants most of a table, that takes fewer pages than naming the keys.
    """

    keys: tuple[str, ...]
    periods: tuple[str, ...]
    whole: bool = False
    filter_periods: bool = True

    def pages(self, dimension_keys: int) -> int:
        """How many pages (requests) CBS takes to answer it."""
        keys = dimension_keys if self.whole else len(self.keys)
        return max(1, math.ceil(keys * len(self.periods) / PAGE_ROWS))


ANSWER_ROWS = PAGE_ROWS
"""The most rows one request of a fetch asks for (one page of CBS's v3 service): what a fetch holds in memory at a
time, with its figures, is a few tens of MB, however large the table."""


@dataclass(frozen=True)
class TopicMissing:
    """A fetch's warning: the table has no topic for a measure besides the one asked for, so it is not stored."""

    table: str
    choice: Choice
    measure: str


@dataclass(frozen=True)
class TableMoved:
    """A fetch's warning: the table got a new version while lsh read it, so it is read once more."""

    table: str
    before: str
    after: str


@dataclass(frozen=True)
class ProtocolFallback:
    """A fetch's warning: the first protocol tried (OData v4) could not give the table, so it was fetched through
    the other (v3); `reason` is the first one's error."""

    table: str
    tried: str
    used: str
    reason: LshError


FetchWarning = TopicMissing | TableMoved | ProtocolFallback


@dataclass
class FetchResult:
    """What one fetch did: the plan, the rows stored, the traffic, and the table version."""

    spec: TableSpec
    measure: str
    measures: list[str]
    table_title: str
    modified: str
    plan: Plan
    tallies: dict[str, Tally]
    """What the store now holds of this fetch, by the first code of each stored code set (the rows themselves are
    in the store: a fetch of a whole table does not hold them)."""
    replaced: Replaced
    requests: int
    bytes: int
    seconds: float
    requested_codes: list[str]
    held: int = 0
    """Rows the store already held from this table version, kept and not downloaded again."""


Progress = Callable[[str, int], None]
"""Called before each step with what it is and how many steps the fetch now expects in all."""


class Fetcher:
    """One fetch from one table for one measure: plan, download, check, store."""

    def __init__(
        self,
        spec: TableSpec,
        measure: str,
        source: TableSource,
        store: Store,
        sbi: Classification,
        step: Progress,
        refresh: bool = False,
        fresh: bool = False,
    ) -> None:
        self.spec = spec
        self.measure = get_measure(measure)
        if self.measure.name not in spec.measures:
            raise TableSpecError(
                "table {id} does not give {name}; it gives {describe_measures}",
                id=spec.id,
                name=self.measure.name,
                describe_measures=spec.describe_measures(),
            )
        if sbi.name != spec.classification:
            raise TableSpecError(
                "table {id} is in {classification}; its codes cannot be read in {label}",
                id=spec.id,
                classification=spec.classification,
                label=sbi.label,
            )
        self.source = source
        self.store = store
        self.sbi = sbi
        self.staged: Staged | None = None
        """The rows of the answers read so far, written aside until the store takes them (`_download`)."""
        self.step = step
        self.refresh = refresh
        self.fresh = fresh
        """Read the table's metadata anew too, not from the store (a fetch that saves every answer it needs)."""
        self.total = 0
        self.warnings: list[FetchWarning] = []
        self._prefix = "" if source.protocol == "v3" else f"{source.protocol}:"
        """How the store names this protocol's kept metadata (v3's as it always has: its keys and v4's differ)."""

    def _metadata(self, modified: str, data_requests: int) -> Metadata:
        """The table's structure and the categories of the dimensions the spec uses, from the store where it kept
        them for this table version, else from the source (the structure first: the dimensions are checked before
        they are asked for)."""
        spec = self.spec
        prefix = self._prefix
        kept = {} if self.fresh else self.store.cached_metadata(spec.id, modified)
        cached = {
            name.removeprefix(prefix): rows
            for name, rows in kept.items()
            if name.startswith(prefix) and (prefix or ":" not in name)
        }
        dimensions = [spec.sbi_dimension, spec.period_dimension, *spec.dimensions]
        missing = [name for name in [STRUCTURE, *dimensions] if name not in cached]
        self.total = 1 + len(missing) + data_requests + 2
        if STRUCTURE in missing:
            self.step(f"{spec.id} structure", self.total)
            structure = self.source.structure()
        else:
            structure = structure_from_rows(cached[STRUCTURE])
        self._check_dimensions(structure)  # cached or not: checked against the spec as it is now
        categories: dict[str, list[Category]] = {}
        for name in dimensions:
            if name in missing:
                self.step(f"{spec.id} {name}", self.total)
                # the SBI dimension holds about as many rows as the classification has codes (and aggregates)
                expected = len(self.sbi.entries) if name == spec.sbi_dimension else None
                categories[name] = self.source.categories(name, expected, time=name == spec.period_dimension)
            else:
                categories[name] = categories_from_rows(cached[name])
        return Metadata(structure, categories)

    def _check_dimensions(self, structure: Structure) -> None:
        """Every dimension the spec names exists, and the spec chooses a category of every other one."""
        spec = self.spec
        dims = list(structure.dimensions)
        for needed in (spec.sbi_dimension, spec.period_dimension, *spec.dimensions):
            if needed not in dims:
                raise TableSpecError(
                    "table {id} has no dimension {needed!r} (it has {dims}); correct {path}",
                    id=spec.id,
                    needed=needed,
                    dims=", ".join(dims),
                    path=spec.path,
                )
        unchosen = [d for d in dims if d not in (spec.sbi_dimension, spec.period_dimension, *spec.dimensions)]
        if unchosen:
            raise TableSpecError(
                "table {id} has a dimension {unchosen!r} that {path} does not choose a category of",
                id=spec.id,
                unchosen=unchosen[0],
                path=spec.path,
            )

    def _check(self, metadata: Metadata) -> tuple[dict[str, str], dict[str, str]]:
        """The topic key of each measure found and the chosen key of every other dimension, as the live table has them.

        The dimensions themselves were checked when DataProperties was read. The measure asked for
        must be there; the table's other measures are stored too when found, and a warning names
        those that are not.
        """
        spec = self.spec
        topics = list(metadata.structure.topics)
        found: dict[str, str] = {}
        for name, choice in spec.measures.items():
            topic = choice.pick(topics)
            if topic is None:
                if name == self.measure.name:
                    titles = "; ".join(f"{t.key} {t.title!r}" for t in topics[:12])
                    raise TableSpecError(
                        "table {id} has no topic with {describe} for {name} (its topics: {titles}); correct {path}",
                        id=spec.id,
                        describe=choice.describe(),
                        name=name,
                        titles=titles,
                        path=spec.path,
                    )
                self.warnings.append(TopicMissing(spec.id, choice, name))
                continue
            unit = topic.unit
            if choice.unit is not None and unit.casefold() != choice.unit.casefold():
                raise TableSpecError(
                    (
                        "topic {key} of table {id} is in {unit!r}, but {path} expects {unit2!r} for {name}; "
                        "correct the spec's unit and scale"
                    ),
                    key=topic.key,
                    id=spec.id,
                    unit=unit,
                    path=spec.path,
                    unit2=choice.unit,
                    name=name,
                )
            found[name] = topic.key
        fixed: dict[str, str] = {}
        for name, pick in spec.dimensions.items():
            category = pick.pick(metadata.categories[name])
            if category is None:
                raise TableSpecError(
                    "dimension {name} of table {id} has no category with {describe}",
                    name=name,
                    id=spec.id,
                    describe=pick.describe(),
                )
            fixed[name] = category.key
        return found, fixed

    def run(self, codes: Sequence[str], years: Sequence[int] | None) -> FetchResult:
        """Download what the codes and years need, check it whole, and swap it into the store.

        The table's version is read before and after the data; if it moved in between, the download
        is made once more, and if it moves again the fetch stops with nothing stored.
        """
        try:
            return self._run(codes, years)
        finally:
            if self.staged is not None:
                self.staged.drop()

    def _run(self, codes: Sequence[str], years: Sequence[int] | None) -> FetchResult:
        download = self._download(codes, years)
        if download.modified_after != download.modified:
            self.warnings.append(TableMoved(self.spec.id, download.modified, download.modified_after))
            first = download
            download = self._download(codes, years)
            if download.modified_after != download.modified:
                raise FetchError(
                    (
                        "table {id} changed twice while lsh was fetching it (versions {modified}, {modified2} and "
                        "{modified_after}); nothing was stored: try again later"
                    ),
                    id=self.spec.id,
                    modified=first.modified[:19],
                    modified2=download.modified[:19],
                    modified_after=download.modified_after[:19],
                )
        self.step("writing the store", self.total)
        assert self.staged is not None  # the last download's rows, written aside
        plan = download.plan
        areas = [
            ([code for key in r.keys for code in plan.keys[key]], [plan.periods[p] for p in r.periods])
            for r in download.requests
        ]
        replaced = self.store.replace_fetched(
            self.spec.id,
            list(download.topics),
            areas,
            self.staged,
            {self._prefix + name: rows for name, rows in download.metadata.as_rows().items()},
            download.modified,
            {key.strip(): "+".join(codes) for key, codes in plan.keys.items()},
            self.spec.classification,
        )
        return FetchResult(
            spec=self.spec,
            measure=self.measure.name,
            measures=list(download.topics),
            table_title=download.title,
            modified=download.modified,
            plan=plan,
            tallies=download.tallies,
            replaced=replaced,
            requests=self.source.traffic.requests,
            bytes=self.source.traffic.bytes,
            seconds=self.source.traffic.seconds,
            requested_codes=list(codes),
            held=download.held,
        )

    def _version(self) -> tuple[str, str]:
        """The table's version (`Modified`) and title, from TableInfos."""
        modified, title = self.source.version()
        return modified, title or " ".join(self.spec.title.split())

    def _download(self, codes: Sequence[str], years: Sequence[int] | None) -> _Download:
        spec = self.spec
        self.total = 6
        self.step(f"{spec.id} TableInfos", self.total)
        modified, title = self._version()
        metadata = self._metadata(modified, 1)
        topics, fixed = self._check(metadata)
        index = self._index(metadata.categories[spec.sbi_dimension])
        plan = plan_codes(codes, index, self.sbi)
        for category in metadata.categories[spec.period_dimension]:
            period = cbs_period(category.key)
            if period is None or (years is not None and int(period[:4]) not in years):
                continue
            plan.periods[category.key] = period
            plan.status[category.key] = category.status

        if not plan.keys:
            raise NotAvailableError(
                "table {id} carries none of {codes}, nor a code above them; nothing was fetched",
                id=spec.id,
                codes=", ".join(codes),
            )
        if not plan.periods:
            known = sorted(p for p in (cbs_period(c.key) for c in metadata.categories[spec.period_dimension]) if p)
            span = f"{known[0]} to {known[-1]}" if known else "no periods"
            asked = f"{min(years)}-{max(years)}" if years else "any year"
            raise NotAvailableError(
                "table {id} has {span}, none in {asked}; nothing was fetched", id=spec.id, span=span, asked=asked
            )
        self._check_keys(index)
        held = self._held(modified, plan, topics)
        requests = self._requests(plan, held, metadata, fixed, topics)
        self.total += len(requests) - 1
        # each answer's rows go aside as they come, the next asked for meanwhile: two in memory at a time
        basis = f"{spec.period_basis}; CBS table {spec.id}"
        self.staged = staged = self.store.staging(self._topics(topics), basis, spec.classification)
        # a saved folder's figures were retrieved when they were captured, not when they are read
        retrieved = self.source.captured_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        dimension_keys = {c.key for c in metadata.categories[spec.sbi_dimension]}
        dims = [spec.sbi_dimension, spec.period_dimension, *fixed]

        def ask(request: Request) -> tuple[list[dict[str, Any]], str]:
            expected = (len(dimension_keys) if request.whole else len(request.keys)) * len(request.periods)
            any_of = self._any_of(request)
            return self.source.rows(any_of, fixed, dims, list(topics.values()), expected, spec.typed_values)

        with Ahead(ask, requests) as ahead:
            for number, request in enumerate(requests, start=1):
                self.step(f"{spec.id} data, part {number}", self.total)
                rows, url = ahead.take()
                source = Source(  # each answer's source is the request that brought it
                    kind="cbs",
                    citation=f'CBS StatLine {spec.id} "{title}" (table version of {modified[:10]}), '
                    f"retrieved {retrieved[:10]}{self.source.via}",
                    cbs_table=spec.id,
                    table_modified=modified,
                    request=url,
                    retrieved_at=retrieved,
                )
                staged.add(self._checked(rows, request, dimension_keys, plan, topics, fixed), source)
                del rows
        after = modified
        if requests:  # the version is read again only when data came: rows already held are of `modified`
            self.step(f"{spec.id} TableInfos, again", self.total)
            after, _ = self._version()
        kept = [(plan.keys[key][0], plan.periods[period], cell) for (key, period), cell in held.items()]
        figures = sum(cell.figures for cell in held.values())
        return _Download(modified, after, title, plan, topics, metadata, requests, figures, tallies(staged, kept))

    def _held(self, modified: str, plan: Plan, topics: Mapping[str, str]) -> dict[tuple[str, str], Held]:
        """The cells asked for that the store holds whole (every topic) from this very version of the table, each
        with how many figures it holds and how many of them are empty. Read as the rows CBS sent, not as figures: a
        fetch of a whole table the store holds reads 65,380 rows, where it read 719,180 figures."""
        if self.refresh:
            return {}
        padded = {key.strip(): key for key in plan.keys}
        cells: dict[tuple[str, str], Held] = {}
        labels = ["+".join(codes) for codes in plan.keys.values()]
        periods = list(plan.periods.values())
        wanted = set(topics.values())
        asked = self.store.held_cells(self.spec.id, modified, labels, periods, list(topics), self.spec.classification)
        for prefix, held_topics in asked:  # the cells asked, by the store's key
            cell = ref_cell(prefix, self.spec.id)
            these = [(topic, empty) for topic, empty in held_topics if topic in wanted]
            if cell is None or cell[0] not in padded or cell[1] not in plan.periods or not these:
                continue
            held = cells.get((padded[cell[0]], cell[1]))
            if held is None:
                held = cells[(padded[cell[0]], cell[1])] = Held(set(), 0, 0)
            held.topics.update(topic for topic, _ in these)
            held.figures += len(these)
            held.empty += sum(empty for _, empty in these)
        return {cell: held for cell, held in cells.items() if held.topics == wanted}

    def _any_of(self, request: Request) -> dict[str, Sequence[str]]:
        any_of: dict[str, Sequence[str]] = {} if request.whole else {self.spec.sbi_dimension: request.keys}
        if request.filter_periods:
            any_of[self.spec.period_dimension] = request.periods
        return any_of

    def _requests(
        self,
        plan: Plan,
        held: Mapping[tuple[str, str], object],
        metadata: Metadata,
        fixed: Mapping[str, str],
        topics: Mapping[str, str],
    ) -> list[Request]:
        """The fewest requests that ask for every cell not held, each URL within the source's longest.

        Keys that miss the same periods go together. Each such group is asked for by naming as many keys
        a request as fit, or, when that takes more pages, by asking for the whole SBI dimension.
        """
        spec = self.spec
        every_period = [c.key for c in metadata.categories[spec.period_dimension] if cbs_period(c.key)]
        groups: dict[tuple[str, ...], list[str]] = {}
        for key in plan.keys:
            missing = tuple(p for p in plan.periods if (key, p) not in held)
            if missing:
                groups.setdefault(missing, []).append(key)
        select = Columns([spec.sbi_dimension, spec.period_dimension, *fixed], list(topics.values()))
        dimension_keys = len(metadata.categories[spec.sbi_dimension])
        requests: list[Request] = []
        for periods, keys in groups.items():
            filter_periods = sorted(periods) != sorted(every_period)
            for part in self._period_parts(periods, keys[0], fixed, select, filter_periods):
                named = self._pack(keys, part, fixed, select, filter_periods)
                whole = [Request(tuple(keys), part, whole=True, filter_periods=filter_periods)]
                cheaper = sum(r.pages(dimension_keys) for r in whole) < sum(r.pages(dimension_keys) for r in named)
                for request in whole if cheaper else named:
                    requests += self._bounded(request, dimension_keys, fixed, select)
        return requests

    def _bounded(
        self, request: Request, dimension_keys: int, fixed: Mapping[str, str], select: Columns
    ) -> list[Request]:
        """A request whose answer would exceed `ANSWER_ROWS` rows split by its periods (and, where the periods then
        make a URL too long, by its keys): a fetch holds two answers in memory at most (`Ahead`), so the largest
        answer bounds its memory, whatever the size of the table. The pages are about as many as before."""
        width = dimension_keys if request.whole else len(request.keys)
        if width * len(request.periods) <= ANSWER_ROWS or len(request.periods) == 1:
            return [request]
        per = max(1, ANSWER_ROWS // width)
        parts: list[Request] = []
        for start in range(0, len(request.periods), per):
            part = Request(request.keys, request.periods[start : start + per], request.whole, filter_periods=True)
            if self._fits(part, fixed, select):
                parts.append(part)
            else:
                parts += self._pack(request.keys, part.periods, fixed, select, True)
        return parts

    def _fits(self, request: Request, fixed: Mapping[str, str], select: Columns) -> bool:
        url = self.source.rows_url(self._any_of(request), fixed, select.dimensions, select.topics)
        return len(url) <= self.source.max_url

    def _period_parts(
        self, periods: tuple[str, ...], key: str, fixed: Mapping[str, str], select: Columns, filtered: bool
    ) -> list[tuple[str, ...]]:
        """The periods split so that a request for one key and each part fits in a URL."""
        if not filtered:
            return [periods]
        parts: list[tuple[str, ...]] = []
        current: list[str] = []
        for period in periods:
            if current and not self._fits(Request((key,), (*current, period)), fixed, select):
                parts.append(tuple(current))
                current = []
            current.append(period)
        return [*parts, tuple(current)]

    def _pack(
        self,
        keys: Sequence[str],
        periods: tuple[str, ...],
        fixed: Mapping[str, str],
        select: Columns,
        filtered: bool,
    ) -> list[Request]:
        """The keys in as few requests as the longest URL allows, in their order."""
        requests: list[Request] = []
        current: list[str] = []
        for key in keys:
            trial = Request((*current, key), periods, filter_periods=filtered)
            if current and not self._fits(trial, fixed, select):
                requests.append(Request(tuple(current), periods, filter_periods=filtered))
                current = []
            current.append(key)
        if current:
            requests.append(Request(tuple(current), periods, filter_periods=filtered))
        return requests

    def _index(self, dimension: Sequence[Category]) -> dict[tuple[str, ...], str]:
        """The table's SBI codes and their keys, read from the dimension titles; a code named twice is refused."""
        index: dict[tuple[str, ...], str] = {}
        for category in dimension:
            found = codes_in_title(category.title, self.sbi)
            if found is None:
                continue
            key = category.key
            if found in index and index[found] != key:
                raise FetchError(
                    (
                        "table {id} names {found} twice in its {sbi_dimension} dimension (keys {index!r} and "
                        "{key!r}), so its figures cannot be told apart; nothing was stored"
                    ),
                    id=self.spec.id,
                    found="+".join(found),
                    sbi_dimension=self.spec.sbi_dimension,
                    index=index[found],
                    key=key,
                )
            index[found] = key
        return index

    def _check_keys(self, index: Mapping[tuple[str, ...], str]) -> None:
        """Each key of the table stands for the codes it stood for in earlier fetches of this table."""
        before = self.store.fetched_keys(self.spec.id)
        for codes, key in index.items():
            earlier = before.get(key.strip())
            if earlier is not None and earlier != "+".join(codes):
                raise FetchError(
                    (
                        "table {id} now titles dimension key {key!r} as {codes}, where it stood for {earlier} in "
                        "the figures fetched before; lsh will not file figures under another code: nothing was "
                        "stored ('lsh store clear --table' starts afresh if the table really changed)"
                    ),
                    id=self.spec.id,
                    key=key,
                    codes="+".join(codes),
                    earlier=earlier,
                )

    def _checked(
        self,
        rows: list[dict[str, Any]],
        request: Request,
        dimension_keys: set[str],
        plan: Plan,
        topics: Mapping[str, str],
        fixed: Mapping[str, str],
    ) -> list[tuple[Any, ...]]:
        """The rows of an answer as `Staged.add` takes them, one for each key and period asked for: an answer with
        rows missing, unknown, or in conflict is refused.

        A request for the whole dimension brings rows of keys not wanted: those are passed over, but a
        key the dimension does not have is as much a stranger as in any other answer.
        """
        spec = self.spec
        keys, periods = set(request.keys), set(request.periods)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        strangers: list[str] = []
        for row in rows:
            key, period_key = str(row.get(spec.sbi_dimension, "")), str(row.get(spec.period_dimension, ""))
            fits = not fixed or all(str(row.get(name)) == value for name, value in fixed.items())
            if request.whole and key in dimension_keys and key not in keys and period_key in periods and fits:
                continue
            if key not in keys or period_key not in periods or not fits:
                strangers.append(f"{key!r} {period_key!r}")
                continue
            earlier = found.get((key, period_key))
            if earlier is not None and any(earlier.get(t) != row.get(t) for t in topics.values()):
                raise FetchError(
                    "CBS sent two different rows of {id} for key {key!r} in {period_key}; nothing was stored",
                    id=spec.id,
                    key=key,
                    period_key=period_key,
                )
            found[(key, period_key)] = row
        if strangers:
            raise FetchError(
                (
                    "CBS sent {n_strangers} rows of {id} that match no key and period asked for (such as "
                    "{strangers}); nothing was stored"
                ),
                n_strangers=len(strangers),
                id=spec.id,
                strangers=strangers[0],
            )
        absent = [(k, p) for k in request.keys for p in request.periods if (k, p) not in found]
        if absent:
            key, period_key = absent[0]
            raise FetchError(
                (
                    "CBS sent no row of {id} for {n_absent} of the {n_keys} cells asked for (such as key "
                    "{key!r} in {period_key}); a missing row is not a missing figure, so nothing was stored"
                ),
                id=spec.id,
                n_absent=len(absent),
                n_keys=len(keys) * len(periods),
                key=key,
                period_key=period_key,
            )
        rows_out: list[tuple[Any, ...]] = []
        wanted = list(topics.values())
        for (key, period_key), row in found.items():
            codes, period, status = plan.keys[key], plan.periods[period_key], plan.status.get(period_key)
            try:  # each figure's value (the store scales it) and why it has none
                cells = [part for topic in wanted for part in row[topic]]
            except KeyError as exc:
                raise FetchError(
                    "CBS sent rows of {id} without the topic {topic}; nothing was stored", id=spec.id, topic=exc.args[0]
                ) from None
            prefix = cell_ref(spec.id, key, period_key, "")  # each cell's reference is this and its topic
            rows_out.append(
                ("+".join(codes), period, int(period[:4]), status, prefix, f"dimension key {key!r}", *cells)
            )
        return rows_out

    def _topics(self, topics: Mapping[str, str]) -> list[Topic]:
        """Each topic as the store writes its cells: measure, unit, scale and the end of its cells' references."""
        return [
            Topic(name, get_measure(name).unit, self.spec.measures[name].scale, topic) for name, topic in topics.items()
        ]


class Ahead(Generic[T, R]):
    """The answers to some requests, in order, each asked for while the one before is read: a thread asks one
    request ahead, so that lsh checks and writes an answer while CBS prepares and sends the next. At most two
    answers are held. A failure is raised where its answer is taken, and after it nothing more is asked; a request
    under way when lsh stops is left to its thread, which never keeps lsh from exiting."""

    def __init__(self, ask: Callable[[T], R], requests: Sequence[T]) -> None:
        self.ask = ask
        self.requests = list(requests)
        self.answers: queue.SimpleQueue[tuple[bool, Any]] = queue.SimpleQueue()
        self.go = threading.Semaphore(1)  # a request may be sent: one at the start, one as each answer is taken
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._work, name="lsh-ask-ahead", daemon=True)

    def _work(self) -> None:
        for request in self.requests:
            self.go.acquire()
            if self.stop.is_set():
                return
            try:
                self.answers.put((True, self.ask(request)))
            except BaseException as exc:  # raised again where the answer is taken, in the thread that reads
                self.answers.put((False, exc))
                return

    def __enter__(self) -> Ahead[T, R]:
        if self.requests:
            self.thread.start()
        return self

    def take(self) -> R:
        """The next request's answer, once it has come (its failure raised here)."""
        done, answer = self.answers.get()
        if not done:
            raise answer
        self.go.release()  # the next request goes while this answer is read
        return answer  # type: ignore[no-any-return]

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.go.release()


@dataclass(frozen=True)
class Columns:
    """The columns a data request names: the dimensions it reads keys of, and the topics it reads figures of."""

    dimensions: list[str]
    topics: list[str]


@dataclass(frozen=True)
class Metadata:
    """A table's structure and the categories of the dimensions a spec uses, as a fetch reads them."""

    structure: Structure
    categories: dict[str, list[Category]]

    def as_rows(self) -> dict[str, list[dict[str, Any]]]:
        """Plain rows by name, as the store keeps them for the table version."""
        return {STRUCTURE: self.structure.as_rows(), **{n: categories_as_rows(c) for n, c in self.categories.items()}}


@dataclass
class _Download:
    """What one pass of a fetch read from CBS, before anything is written."""

    modified: str
    modified_after: str
    title: str
    plan: Plan
    topics: dict[str, str]
    metadata: Metadata
    requests: list[Request]
    held: int
    """Rows the store already held from this version, kept."""
    tallies: dict[str, Tally]
    """The rows downloaded (written aside, `Fetcher.staged`) and kept, by code set."""


PROTOCOLS = ("auto", "v4", "v3")
ENV_PROTOCOL = "LSH_CBS_PROTOCOL"


def protocols(asked: str | None) -> list[str]:
    """The protocols a fetch tries, in order: `auto` (the default, or $LSH_CBS_PROTOCOL) tries v4, then v3."""
    import os

    chosen = (asked or os.environ.get(ENV_PROTOCOL) or "auto").strip().lower()
    if chosen not in PROTOCOLS:
        raise ConfigError("--protocol takes auto, v4 or v3, not {protocol!r}", protocol=asked or chosen)
    return ["v4", "v3"] if chosen == "auto" else [chosen]


def fetch_routed(
    spec: TableSpec,
    measure: str,
    clients: Mapping[str, CbsClient],
    store: Store,
    sbi: Classification,
    step: Progress,
    codes: Sequence[str],
    years: Sequence[int] | None,
    refresh: bool = False,
    save: Path | None = None,
) -> tuple[FetchResult, list[FetchWarning]]:
    """A fetch through the first protocol of `clients` (in order) that gives the table: where v4 does not know the
    table, answers 404 on its data, is down, or does not fit the table's spec, the next is tried, and a warning
    says why. Nothing is stored until one of them has read the table whole. With `save`, v4's answers (every one
    the fetch needs: nothing is taken from the store) are written to that folder once the fetch is whole."""
    from lshcli.cbs.saved import RecordingV4, write_folder

    tried: list[FetchWarning] = []
    order = list(clients)
    for number, protocol in enumerate(order, start=1):
        source = RecordingV4(clients[protocol], spec.id) if save is not None else source_for(spec, clients[protocol])
        saving = save is not None
        fetcher = Fetcher(spec, measure, source, store, sbi, step, refresh=refresh or saving, fresh=saving)
        try:
            result = fetcher.run(codes, years)
            if isinstance(source, RecordingV4) and save is not None:
                write_folder(save, source, codes, years, measure)
        except (FetchError, TableSpecError) as exc:
            if isinstance(exc, OfflineError) or number == len(order):
                raise
            tried.append(ProtocolFallback(spec.id, protocol, order[number], exc))
            continue
        return result, [*tried, *fetcher.warnings]
    raise AssertionError("unreachable")


def source_for(spec: TableSpec, client: CbsClient) -> TableSource:
    """The source a table is read through, by the protocol its client speaks (the one place a protocol is
    chosen): CBS's OData v3 feed, or its v4 service."""
    from lshcli.cbs.odata import ODataV3
    from lshcli.cbs.odata4 import ODataV4

    return ODataV4(client, spec.id) if client.protocol == "v4" else ODataV3(client, spec.id)


def codes_to_fetch(sbi: Classification, codes: Sequence[str], definitions: Sequence[Definition]) -> list[str]:
    """The codes a fetch asks for: the codes given (in any notation) and every definition's codes, each once.

    Every definition must be of the classification the codes are read in (the table's).
    """
    found = [sbi.parse(c) for c in codes]
    for d in definitions:
        if d.classification != sbi.name:
            raise ClassificationError(
                "{id} is a definition of {label} codes; a table in {label2} does not hold them",
                id=d.id,
                label=label(d.classification),
                label2=sbi.label,
            )
    found += [code for d in definitions for code in d.code_list]
    return list(dict.fromkeys(found))


def choose_table(
    registry: TableRegistry, table: str | None, measure: str | None, classification: str | None = None
) -> tuple[TableSpec, str]:
    """The table to fetch from (given, or the one that gives the measure in the classification; firms by default)
    and the measure."""
    if table:
        spec = registry.get(table)
        if classification is not None and spec.classification != classification:
            raise ClassificationError(
                "table {id} is in {label}, the codes asked for in {label2}",
                id=spec.id,
                label=label(spec.classification),
                label2=label(classification),
            )
    else:
        spec = registry.for_measure(measure or "firms", classification or DEFAULT)
    return spec, measure or next(iter(spec.measures))
