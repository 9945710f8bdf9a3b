"""The local store of observations (SQLite), filled from the bundled snapshot and, later, from CBS."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from msgspec import Struct

from lshcli import packaged
from lshcli.errors import StoreError
from lshcli.model import Observation, Source
from lshcli.settings import number

ENV_STORE = "LSH_STORE"
ENV_WAIT = "LSH_STORE_WAIT"
DEFAULT_WAIT = 30.0
APPLICATION_ID = 0x4C534831
"""Marks a SQLite file as an lsh store ('LSH1'): lsh never writes into another program's database."""
SCHEMA_VERSION = 5
"""The store layout this lsh writes (PRAGMA user_version); 1 was the layout before stores were marked, 2 before
figures carried their classification, 3 before the store held other countries' figures (foreign_cells), 4 before
fetched figures were kept as CBS sends them (`cbs_rows`) and every figure in the order of the questions asked of
it (by classification, measure, year, code set, period and source: layout 4 kept a table of rows and two
indexes, so a whole table's fetch wrote each figure three times)."""
TABLES = {"meta", "sources", "observations", "cbs_rows", "cbs_topics", "cbs_metadata", "cbs_keys", "foreign_cells"}
SLOTS = 12
"""The cells one stored row of a fetch holds; a fetch of more topics writes a row for each twelve (`part`)."""


def _slot(column: str) -> str:
    """The cell of a topic's slot in a row of `cbs_rows`: its value (`v`) or its symbol (`s`)."""
    return "CASE t.slot " + " ".join(f"WHEN {i} THEN r.{column}{i}" for i in range(SLOTS)) + " END"


SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('snapshot', 'cbs', 'eurostat')),
    citation TEXT NOT NULL,
    cbs_table TEXT,
    table_modified TEXT,
    request TEXT,
    retrieved_at TEXT
);
CREATE TABLE IF NOT EXISTS observations (
    classification TEXT NOT NULL DEFAULT 'sbi2008',
    measure TEXT NOT NULL,
    year INTEGER NOT NULL,
    sbi TEXT NOT NULL,
    period TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    value_low REAL,
    value_high REAL,
    unit TEXT NOT NULL,
    status TEXT,
    basis TEXT,
    ref TEXT,
    note TEXT,
    PRIMARY KEY (classification, measure, year, sbi, period, source_id),
    CHECK (value_low IS NULL OR value_high IS NULL OR value_low <= value_high)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS observations_code_sets ON observations (classification, measure, sbi) WHERE sbi GLOB '*+*';
CREATE TABLE IF NOT EXISTS cbs_rows (
    classification TEXT NOT NULL,
    year INTEGER NOT NULL,
    sbi TEXT NOT NULL,
    period TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    status TEXT,
    ref TEXT NOT NULL,
    note TEXT,
    """
    + ", ".join(f"v{i} REAL, s{i} TEXT" for i in range(SLOTS))
    + """,
    PRIMARY KEY (classification, year, sbi, period, source_id, part)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cbs_rows_code_sets ON cbs_rows (classification, sbi) WHERE sbi GLOB '*+*';
CREATE TABLE IF NOT EXISTS cbs_topics (
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    part INTEGER NOT NULL,
    slot INTEGER NOT NULL,
    measure TEXT NOT NULL,
    unit TEXT NOT NULL,
    scale REAL NOT NULL,
    basis TEXT,
    ref TEXT NOT NULL,
    PRIMARY KEY (source_id, part, measure),
    UNIQUE (source_id, part, slot)
);
CREATE VIEW IF NOT EXISTS cbs_figures AS SELECT t.measure AS measure, r.sbi AS sbi, r.period AS period,
    r.year AS year, """
    + _slot("v")
    + """ * t.scale AS value_low, """
    + _slot("v")
    + """ * t.scale AS value_high,
    t.unit AS unit, r.status AS status, t.basis AS basis, r.ref || t.ref AS ref,
    CASE WHEN coalesce("""
    + _slot("s")
    + """, '') = '' THEN r.note ELSE r.note || '; ' || """
    + _slot("s")
    + """ END
    AS note, r.source_id AS source_id, r.classification AS classification
    FROM cbs_rows r CROSS JOIN cbs_topics t ON t.source_id = r.source_id AND t.part = r.part;
CREATE VIEW IF NOT EXISTS figures AS SELECT measure, sbi, period, year, value_low, value_high, unit, status, basis,
    ref, note, source_id, classification FROM observations UNION ALL SELECT * FROM cbs_figures;
CREATE TABLE IF NOT EXISTS cbs_metadata (
    cbs_table TEXT NOT NULL,
    table_modified TEXT NOT NULL,
    entity_set TEXT NOT NULL,
    rows_json TEXT NOT NULL,
    PRIMARY KEY (cbs_table, table_modified, entity_set)
);
CREATE TABLE IF NOT EXISTS foreign_cells (
    dataset TEXT NOT NULL,
    country TEXT NOT NULL,
    activity TEXT NOT NULL,
    indicator TEXT NOT NULL,
    year INTEGER NOT NULL,
    value REAL,
    flags TEXT NOT NULL DEFAULT '',
    confidential TEXT,
    unit TEXT NOT NULL,
    updated TEXT,
    label TEXT NOT NULL,
    request TEXT NOT NULL,
    retrieved_at TEXT NOT NULL,
    PRIMARY KEY (dataset, country, activity, indicator, year),
    CHECK (value IS NULL OR confidential IS NULL)
);
CREATE TABLE IF NOT EXISTS cbs_keys (
    cbs_table TEXT NOT NULL,
    cbs_key TEXT NOT NULL,
    sbi TEXT NOT NULL,
    PRIMARY KEY (cbs_table, cbs_key)
);
"""
)


class ForeignCell(Struct, frozen=True):
    """A cell of another country's statistics (Eurostat's), as fetched: its dataset, country, activity (the
    source's own code: NACE C2110), indicator and year, its value (None where it is confidential or not
    published, never a zero), its flags, and where it came from."""

    dataset: str
    country: str
    activity: str
    indicator: str
    year: int
    value: float | None
    flags: tuple[str, ...]
    confidential: str | None
    unit: str
    updated: str | None
    label: str
    """The dataset's title as the source gave it."""
    request: str
    retrieved_at: str


class ForeignFetch(Struct, frozen=True):
    """What a fetch from Eurostat stored (`lsh fetch --table sbs_ovw_act`): its cells, and the codes Eurostat did
    not know."""

    dataset: str
    cells: tuple[ForeignCell, ...]
    unknown: dict[str, dict[str, tuple[str, ...]]]
    """Per dataset asked, per dimension, the codes it does not know."""
    store_path: str


class _Holding:
    """What the store holds of one source kind, table, classification and measure, added up source by source."""

    def __init__(self) -> None:
        self.rows = 0
        self.codes: set[str] = set()
        self.first: str | None = None
        self.last: str | None = None
        self.empty = 0
        self.versions: set[str] = set()
        self.retrieved: str | None = None

    def add(self, rows: int, codes: str | None, first: str, last: str, empty: int | None) -> None:
        self.rows += rows
        self.codes.update((codes or "").split(",") if codes else ())
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        self.empty += empty or 0


class Replaced(Struct, frozen=True):
    """What one fetch changed in the store."""

    deleted: int
    inserted: int
    earlier_versions: list[str]


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _by_year(periods: Iterable[str]) -> dict[int, list[str]]:
    """Periods by their year, each year's in order. The store's key leads with the year before the code set and the
    period: asked one year at a time, SQLite seeks each code set's periods of that year, where a list of years
    and a list of periods would seek every period in every year."""
    found: dict[int, list[str]] = {}
    for period in sorted(set(periods)):
        found.setdefault(int(period[:4]), []).append(period)
    return found


def _area(codes: Sequence[str], periods: Sequence[str], alias: str = "") -> str:
    """Rows (of the table named `alias`, if given) of a classification and a year, in some code sets and periods of
    that year: the store's key, sought from its start."""
    a = f"{alias}." if alias else ""
    return f"{a}classification = ? AND {a}year = ? AND {a}sbi IN ({_marks(codes)}) AND {a}period IN ({_marks(periods)})"


def _marks(items: Sequence[object]) -> str:
    return ", ".join("?" for _ in items) or "NULL"


_COLUMNS = (
    "o.measure, o.year, o.sbi, o.period, o.source_id, o.value_low, o.value_high, o.unit, o.status, o.basis, o.ref,"
    " o.note, o.classification"
)
"""A stored figure's row; its source is read once by its id (`Store._sources`), not with every row."""
_ROWS = f"SELECT {_COLUMNS} FROM figures o"
_HOLDS = "EXISTS (SELECT 1 FROM cbs_topics t WHERE t.source_id = r.source_id AND t.part = r.part AND t.measure = ?)"
"""A row of `cbs_rows` (r) holds a cell of a measure."""


_WRITTEN = (
    "measure, sbi, period, year, value_low, value_high, unit, status, basis, ref, note, source_id, classification"
)
"""The columns a write gives each row, in this order (`_written`)."""


def _written(obs: Observation, source_id: int) -> tuple[Any, ...]:
    """An observation as the values of `_WRITTEN`, with its source's id."""
    return (
        obs.measure,
        obs.sbi_label,
        obs.period,
        obs.year,
        obs.value_low,
        obs.value_high,
        obs.unit,
        obs.status,
        obs.basis,
        obs.ref,
        obs.note,
        source_id,
        obs.classification,
    )


class Topic(Struct, frozen=True):
    """One topic of a fetch's rows as the store writes its cells: the measure and unit, the scale each cell is
    multiplied by, and what each cell's reference ends in (`/T001`)."""

    measure: str
    unit: str
    scale: float
    ref: str


class Staged:
    """A fetch's rows, written aside as each answer of CBS comes: a temporary table of the store's connection, which
    SQLite keeps in a file of its own once it outgrows a few pages. A fetch then holds two answers in memory at
    most (one read, the next on its way), however large the table, and the store is untouched (and readable) until
    `Store.replace_fetched` swaps the rows in, in one transaction, or the fetch fails and they are dropped with the
    connection.

    A row is kept as CBS sends it, one row a dimension key and period with a value and a symbol for each of the
    `topics` (a table of eleven topics writes a tenth of the rows it would one cell a row); the copy keeps it so in
    `cbs_rows`, and the view `figures` reads each cell as a figure of the store.
    """

    def __init__(self, store: Store, topics: Sequence[Topic], basis: str | None, classification: str) -> None:
        self.store = store
        self.topics = list(topics)
        self.basis = basis
        self.classification = classification
        self.sources: dict[Source, int] = {}
        """Each answer's source, numbered in the order the answers came; the store's ids are given when written."""
        self.rows = 0
        """The cells written aside (rows times topics)."""
        cells = ", ".join(f"v{i} REAL, s{i} TEXT" for i in range(len(self.topics)))
        conn = store.conn
        conn.execute("DROP TABLE IF EXISTS temp.staged_rows")
        conn.execute(
            "CREATE TEMP TABLE staged_rows (sbi TEXT, period TEXT, year INTEGER, status TEXT, ref TEXT, note TEXT,"
            f" source INTEGER{', ' + cells if cells else ''})"
        )

    def add(self, rows: Sequence[tuple[Any, ...]], source: Source) -> None:
        """Write one answer's rows aside: each (code set, period, year, status, reference up to the topic, note, then
        a value and a symbol for each topic). A full disk says so, and leaves the store as it was."""
        number = self.sources.setdefault(source, len(self.sources))  # an int of lsh's own, written into the SQL
        cells = ", ".join("?" for _ in range(2 * len(self.topics)))
        try:
            self.store.conn.executemany(
                f"INSERT INTO temp.staged_rows VALUES (?, ?, ?, ?, ?, ?, {int(number)}{', ' + cells if cells else ''})",
                rows,
            )
        except sqlite3.Error as exc:
            raise _failure(self.store.path or "(in memory)", exc, self.store.wait, writing=True) from None
        self.rows += len(rows) * len(self.topics)

    def counts(self) -> list[tuple[str, int, int, str, str]]:
        """Per code set written aside: its label, its cells, how many of them are empty, its first and last period."""
        empty = " + ".join(f"(v{i} IS NULL)" for i in range(len(self.topics))) or "0"
        try:
            return list(
                self.store.conn.execute(
                    f"SELECT sbi, count(*) * {len(self.topics)}, sum({empty}), min(period), max(period)"
                    " FROM temp.staged_rows GROUP BY sbi"
                )
            )
        except sqlite3.Error as exc:
            raise _failure(self.store.path or "(in memory)", exc, self.store.wait) from None

    def drop(self) -> None:
        """Forget the rows written aside."""
        with suppress(sqlite3.Error):
            self.store.conn.execute("DROP TABLE IF EXISTS temp.staged_rows")


@functools.lru_cache(maxsize=65536)
def _codes(label: str) -> tuple[str, ...]:
    """A code set's codes from its label ('26.60+32.50'), split once however many rows carry it."""
    return tuple(label.split("+"))


def _observation(r: Sequence[Any], sources: Mapping[int, Source], shared: dict[Any, Any]) -> Observation:
    """An observation from a row of `_COLUMNS`, with its source from `sources` (by id). Positional: a count of a
    large definition makes a quarter of a million. The texts many rows repeat (measure, period, unit, status,
    basis, classification) are kept once in `shared`, one dict for a read, not once a row: a third of the memory
    of a large read."""
    one = shared.setdefault
    low, high = r[5], r[6]
    return Observation(
        one(r[0], r[0]),
        _codes(r[2]),
        one(r[3], r[3]),
        low,
        low if high == low else high,
        one(r[7], r[7]),
        one(r[8], r[8]),
        sources[r[4]],
        one(r[9], r[9]),
        r[10],
        r[11],
        one(r[12], r[12]),
    )


def default_path() -> Path:
    """The store file: $LSH_STORE, else lsh's folder in the user's data directory."""
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    return Path(_data_dir()) / "store.sqlite3"


def _data_dir() -> str:
    """lsh's own folder in the user's data directory: the one folder lsh makes when it is missing."""
    from platformdirs import user_data_dir

    return str(user_data_dir("lsh"))


def _within(folder: Path, home: Path) -> bool:
    """Whether `folder` is `home` or lies inside it."""
    try:
        folder.resolve().relative_to(home.resolve())
    except ValueError:
        return False
    return True


def _snapshot_bytes() -> bytes:
    return packaged.path("data/snapshot.csv").read_bytes()


def snapshot_rows() -> list[dict[str, str]]:
    """The bundled snapshot's rows, each a published figure with its citation."""
    return list(csv.DictReader(io.StringIO(_snapshot_bytes().decode("utf-8"))))


def _basis(basis: str, table: str) -> str | None:
    """The statistic a figure measures, naming the CBS table where the source names one."""
    if re.fullmatch(r"\d{5}[A-Za-z]{3}", table.strip()):
        basis = f"{basis}; CBS table {table.strip()}" if basis else f"CBS table {table.strip()}"
    return basis or None


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _damaged(where: object, exc: sqlite3.Error) -> StoreError:
    return StoreError(
        (
            "the store {where} is damaged ({exc}); lsh leaves it as it is: move it aside (for example "
            "to {where}.broken) and lsh starts a new one, or give another --store"
        ),
        where=where,
        exc=exc,
    )


def _failure(where: object, exc: sqlite3.Error, wait: float, writing: bool = False) -> StoreError:
    """The sentence for a database error: busy, damaged, or otherwise unusable (or not written)."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            (
                "the store {where} is busy: another lsh has been writing to it for more than {wait:g} s; "
                "try again when it has finished (${ENV_WAIT} sets how long lsh waits)"
            ),
            where=where,
            wait=wait,
            ENV_WAIT=ENV_WAIT,
        )
    if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text):
        return _damaged(where, exc)
    if writing:
        journal = Path(f"{where}-journal")
        if journal.exists() and journal.stat().st_size > 0:  # a write cut off inside the file: the journal mends it
            return StoreError(
                (
                    "the store {where} could not be written ({exc}); keep {name} beside it: the next lsh that "
                    "opens the store rolls the write back from it, and the store is as it was"
                ),
                where=where,
                exc=exc,
                name=journal.name,
            )
        return StoreError("the store {where} could not be written ({exc}); it is unchanged", where=where, exc=exc)
    return StoreError("the store {where} cannot be used ({exc})", where=where, exc=exc)


F = TypeVar("F", bound=Callable[..., Any])


def _guarded(method: F) -> F:
    """Turn a database error inside a store method into one sentence (busy, damaged, unusable)."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _failure(self.path or "(in memory)", exc, self.wait) from None

    return wrapper  # type: ignore[return-value]


class Unusable(Struct, frozen=True):
    """A store's warning: its file cannot be opened (`reason`, as the system says it), so lsh works on the bundled
    snapshot in memory."""

    path: str
    reason: str


class Store:
    """Observations in one SQLite file (or in memory), with the bundled snapshot loaded unless `snapshot=False`.

    The file is marked as lsh's (PRAGMA application_id) with its layout version (PRAGMA user_version):
    another program's database, or a store of a newer lsh, is refused and left untouched; a store of an
    older lsh is brought up to date, keeping what was fetched.
    """

    def __init__(self, path: Path | None = None, snapshot: bool = True) -> None:
        self.path = path
        self.snapshot = snapshot
        self.wait = number(None, "", ENV_WAIT, DEFAULT_WAIT, "a number of seconds of 0 or more", zero_ok=True)
        self.warnings: list[Unusable] = []
        try:
            self.conn = self._connect(path)
        except OSError as exc:
            self._fall_back(path, exc)
        except sqlite3.Error as exc:
            if path is not None and "unable to open" not in str(exc) and "readonly" not in str(exc):
                raise _failure(path, exc, self.wait) from None
            self._fall_back(path, exc)

    def _fall_back(self, path: Path | None, exc: Exception) -> None:
        """A store that cannot be opened at all: work on the bundled snapshot in memory, and say so."""
        if path is None:
            raise StoreError("cannot open an in-memory store: {exc}", exc=exc) from None
        self.warnings.append(Unusable(str(path), str(exc)))
        self.path = None
        self.conn = self._connect(None)

    def _connect(self, path: Path | None) -> sqlite3.Connection:
        if path is not None and not path.parent.is_dir():
            # lsh makes only its own folder; a folder missing from a path the user gave is named, never made (a
            # typing error must not leave /nonexist at the root of the file system)
            if not _within(path.parent, Path(_data_dir())):
                raise FileNotFoundError(f"the folder {path.parent} does not exist")
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path) if path else ":memory:", timeout=self.wait, isolation_level=None)
        try:
            self._check_owner(conn, path)
            conn.execute("PRAGMA foreign_keys = ON")
            self._upgrade(conn)
            if self.snapshot:
                self._load_snapshot(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _check_owner(conn: sqlite3.Connection, path: Path | None) -> None:
        """Refuse another program's database and a newer lsh's store, before anything is written.

        The header and the table list are read in one read transaction: read one by one, another lsh process
        creating the store in between would make a half-seen new store look like someone else's database.
        """
        conn.execute("BEGIN")
        try:
            app, version, tables, old_lsh = Store._owner_marks(conn)
        finally:
            conn.execute("COMMIT")
        if app == APPLICATION_ID:
            if version > SCHEMA_VERSION:
                raise StoreError(
                    (
                        "the store {path} was written by a newer lsh (store layout {version}; this lsh knows up to "
                        "{SCHEMA_VERSION}); upgrade lsh, or give another --store"
                    ),
                    path=path,
                    version=version,
                    SCHEMA_VERSION=SCHEMA_VERSION,
                )
            return
        if app != 0 or (tables and not old_lsh):
            raise StoreError(
                (
                    "{path} is not an lsh store (it is another program's SQLite database); lsh leaves it "
                    "untouched: give another --store"
                ),
                path=path,
            )

    @staticmethod
    def _owner_marks(conn: sqlite3.Connection) -> tuple[int, int, set[str], bool]:
        """The store's application id, layout version and tables, and whether it is a layout-1 lsh store."""
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        old_lsh = bool(
            app == 0
            and tables
            and tables <= TABLES
            and "meta" in tables
            and conn.execute("SELECT 1 FROM meta WHERE key = 'schema' AND value = '1'").fetchone()
        )
        return app, version, tables, old_lsh

    @staticmethod
    def _upgrade(conn: sqlite3.Connection) -> None:
        """Create the tables, or bring an older lsh's store up to this layout, in one transaction."""
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        rebuild = False
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                # layout 4 and older kept figures in a table of rows (with an id) and indexes: it is rebuilt in
                # the store's key order, the rows in the order they were written. Layout 2 and older had no
                # classification, and every figure of them was SBI 2008.
                columns = {r[1] for r in conn.execute("PRAGMA table_info(observations)")}
                rebuild = "id" in columns
                if rebuild:
                    # an index keeps its name when its table is renamed: dropped, so that the new ones are made
                    for index in ("by_measure", "aggregates", "by_question", "code_sets"):
                        conn.execute(f"DROP INDEX IF EXISTS observations_{index}")
                    for view in ("figures", "cbs_figures"):  # a view would follow the table to its new name
                        conn.execute(f"DROP VIEW IF EXISTS {view}")
                    conn.execute("ALTER TABLE observations RENAME TO observations_layout4")
                for statement in SCHEMA.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
                if rebuild:
                    kept = "measure, sbi, period, year, value_low, value_high, unit, status, basis, ref, note"
                    kept += ", source_id, classification" if "classification" in columns else ", source_id"
                    conn.execute(
                        f"INSERT OR REPLACE INTO observations ({kept}) SELECT {kept} FROM observations_layout4"
                        " ORDER BY id"
                    )
                    conn.execute("DROP TABLE observations_layout4")
                # layout 1 kept a fetched cell's dimension key only in its reference: table/key/period/topic
                conn.execute(
                    "INSERT OR IGNORE INTO cbs_keys (cbs_table, cbs_key, sbi) SELECT DISTINCT s.cbs_table,"
                    " substr(o.ref, length(s.cbs_table) + 2, instr(substr(o.ref, length(s.cbs_table) + 2), '/') - 1),"
                    " o.sbi FROM figures o JOIN sources s ON s.id = o.source_id"
                    " WHERE s.kind = 'cbs' AND o.ref LIKE s.cbs_table || '/%/%/%'"
                )
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if rebuild:  # the old table's pages go back to the disk; a store another lsh is reading keeps them for now
            with suppress(sqlite3.Error):
                conn.execute("VACUUM")

    def _load_snapshot(self, conn: sqlite3.Connection) -> None:
        """Put the bundled snapshot in the store, replacing an older one in a single transaction."""
        data = _snapshot_bytes()
        digest = f"{len(data)}:{zlib.crc32(data)}"  # which bundled snapshot is loaded: a new lsh's differs
        row = conn.execute("SELECT value FROM meta WHERE key = 'snapshot_crc32'").fetchone()
        if row and row[0] == digest:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'snapshot_crc32'").fetchone()
            if row and row[0] == digest:  # another lsh process loaded it while this one waited for the lock
                conn.execute("COMMIT")
                return
            conn.execute("DELETE FROM sources WHERE kind = 'snapshot'")
            source_ids: dict[str, int] = {}
            for r in snapshot_rows():
                if r["citation"] not in source_ids:
                    cursor = conn.execute(
                        "INSERT INTO sources (kind, citation, cbs_table) VALUES ('snapshot', ?, NULL)", (r["citation"],)
                    )
                    source_ids[r["citation"]] = int(cursor.lastrowid or 0)
                conn.execute(
                    "INSERT INTO observations (measure, sbi, period, year, value_low, value_high, unit, status,"
                    " basis, ref, note, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        r["measure"],
                        r["sbi"],
                        r["period"],
                        int(r["period"][:4]),
                        _number(r["value_low"]),
                        _number(r["value_high"]),
                        r["unit"],
                        r["status"] or None,
                        _basis(r["basis"], r["cbs_table"]),
                        r["ref"],
                        r["note"] or None,
                        source_ids[r["citation"]],
                    ),
                )
            conn.execute("DELETE FROM meta WHERE key = 'snapshot_sha256'")  # the key an older lsh kept
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('snapshot_crc32', ?)", (digest,))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def _source_id(self, src: Source, ids: dict[Source, int]) -> int:
        """A source's id in the store (inside a write transaction): looked up, or added, once per write."""
        if src not in ids:
            fields = (src.kind, src.citation, src.cbs_table, src.table_modified, src.request, src.retrieved_at)
            found = self.conn.execute(
                "SELECT id FROM sources WHERE kind = ? AND citation = ? AND cbs_table IS ? AND table_modified IS ?"
                " AND request IS ? AND retrieved_at IS ?",
                fields,
            ).fetchone()
            made = (
                found[0]
                if found
                else self.conn.execute(
                    "INSERT INTO sources (kind, citation, cbs_table, table_modified, request, retrieved_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    fields,
                ).lastrowid
            )
            assert made is not None
            ids[src] = int(made)
        return ids[src]

    def _insert(self, observations: Iterable[Observation], batch: int = 5000) -> None:
        """Write observations with their sources (inside a write transaction): each source looked up or added
        once, the rows written in batches."""
        ids: dict[Source, int] = {}
        insert = f"INSERT OR REPLACE INTO observations ({_WRITTEN}) VALUES ({_marks(_WRITTEN.split(','))})"
        pending: list[tuple[Any, ...]] = []
        last: Source | None = None
        last_id = 0
        for obs in observations:
            if obs.source is not last:  # the rows of one answer share one source: hashed once, not once a row
                last, last_id = obs.source, self._source_id(obs.source, ids)
            pending.append(_written(obs, last_id))
            if len(pending) >= batch:
                self.conn.executemany(insert, pending)
                pending.clear()
        if pending:
            self.conn.executemany(insert, pending)

    @_guarded
    def staging(self, topics: Sequence[Topic], basis: str | None, classification: str) -> Staged:
        """A place for a fetch's rows of `topics` before they replace anything (`Staged`), empty."""
        return Staged(self, topics, basis, classification)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction: all of it lands, or none of it (a full disk included)."""
        where = self.path or "(in memory)"
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _failure(where, exc, self.wait) from None
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:  # SQLite may already have rolled back (a full disk does)
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _failure(where, exc, self.wait, writing=True) from None
            raise

    @_guarded
    def add(self, observations: Iterable[Observation]) -> int:
        """Store observations with their sources in one transaction (all or none); returns how many."""
        rows = list(observations)
        with self._writing():
            self._insert(rows)
        return len(rows)

    @_guarded
    def replace_fetched(
        self,
        cbs_table: str,
        measures: Sequence[str],
        areas: Iterable[tuple[Iterable[str], Iterable[str]]],
        observations: Iterable[Observation] | Staged,
        metadata: dict[str, list[dict[str, Any]]],
        table_modified: str,
        keys: dict[str, str] | None = None,
        classification: str = "sbi2008",
    ) -> Replaced:
        """Swap a table's fetched rows in some areas (code sets by periods) for new ones, in one transaction.

        The new rows are a fetch's `Staged` rows (copied inside SQLite topic by topic, each in the order the rows
        came, a later row of a cell replacing an earlier one as it always did) or observations. `keys` maps each
        dimension key read (without CBS's padding) to the codes it stands for, so that a later fetch can check the
        table still means the same by it. `classification` is the table's: the rows replaced are of it.
        """
        rows = observations if isinstance(observations, Staged) else list(observations)
        rectangles = [(sorted(set(codes)), sorted(set(periods))) for codes, periods in areas]
        with self._writing():
            earlier = [
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT table_modified FROM sources WHERE kind = 'cbs' AND cbs_table = ?"
                    " AND table_modified IS NOT ?",
                    (cbs_table, table_modified),
                )
            ]
            deleted = 0
            for codes, periods in rectangles:
                for chunk in _chunks(codes, 200):
                    for year, these in _by_year(periods).items():
                        deleted += self._delete_area(cbs_table, classification, measures, year, chunk, these)
            if isinstance(rows, Staged):
                self._copy(rows)
            else:
                self._insert(rows)
            if deleted:  # only a delete leaves a source without figures (a replaced figure keeps its source)
                self.conn.execute(
                    "DELETE FROM sources WHERE kind = 'cbs' AND cbs_table = ? AND id NOT IN"
                    " (SELECT source_id FROM observations UNION SELECT source_id FROM cbs_rows)",
                    (cbs_table,),
                )
            for entity_set, set_rows in metadata.items():
                self.conn.execute(
                    "INSERT OR REPLACE INTO cbs_metadata (cbs_table, table_modified, entity_set, rows_json)"
                    " VALUES (?, ?, ?, ?)",
                    (cbs_table, table_modified, entity_set, json.dumps(set_rows, ensure_ascii=False)),
                )
            self.conn.execute(
                "DELETE FROM cbs_metadata WHERE cbs_table = ? AND table_modified != ?", (cbs_table, table_modified)
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO cbs_keys (cbs_table, cbs_key, sbi) VALUES (?, ?, ?)",
                [(cbs_table, key, sbi) for key, sbi in (keys or {}).items()],
            )
        inserted = rows.rows if isinstance(rows, Staged) else len(rows)
        return Replaced(deleted=deleted, inserted=inserted, earlier_versions=sorted(earlier))

    def _delete_area(
        self,
        cbs_table: str,
        classification: str,
        measures: Sequence[str],
        year: int,
        codes: list[str],
        periods: list[str],
    ) -> int:
        """Delete a table's figures of some measures, code sets and periods of one year (inside a write transaction);
        returns how many. A fetched row's figures of other measures stay, each kept as a figure of its own."""
        area = f"{_area(codes, periods)} AND source_id IN (SELECT id FROM sources WHERE kind = 'cbs' AND cbs_table = ?)"
        params = (classification, year, *codes, *periods, cbs_table)
        asked = f"measure IN ({_marks(list(measures))})"
        chosen = params + tuple(measures)
        deleted = self.conn.execute(f"DELETE FROM observations WHERE {area} AND {asked}", chosen).rowcount
        deleted += self.conn.execute(f"SELECT COUNT(*) FROM cbs_figures WHERE {area} AND {asked}", chosen).fetchone()[0]
        self.conn.execute(
            f"INSERT OR REPLACE INTO observations ({_WRITTEN}) SELECT {_WRITTEN} FROM cbs_figures"
            f" WHERE {area} AND NOT {asked}",
            chosen,
        )
        self.conn.execute(f"DELETE FROM cbs_rows WHERE {area}", params)
        return int(deleted)

    def _copy(self, staged: Staged) -> None:
        """Write staged rows (inside a write transaction) as CBS sent them, a row for each key and period (and each
        `SLOTS` topics) with the topics' cells; each answer's source is given its id in the store, and its topics
        their measure, unit, scale and place in the row (`cbs_topics`)."""
        ids: dict[Source, int] = {}
        self.conn.execute("DROP TABLE IF EXISTS temp.staged_sources")
        self.conn.execute("CREATE TEMP TABLE staged_sources (number INTEGER PRIMARY KEY, id INTEGER NOT NULL)")
        answered = {r[0] for r in self.conn.execute("SELECT DISTINCT source FROM temp.staged_rows")}
        numbered = [(number, self._source_id(src, ids)) for src, number in staged.sources.items() if number in answered]
        # a source is written only with figures: an answer may bring none that was asked for
        self.conn.executemany("INSERT INTO temp.staged_sources (number, id) VALUES (?, ?)", numbered)
        self.conn.executemany(
            "INSERT OR REPLACE INTO cbs_topics (source_id, part, slot, measure, unit, scale, basis, ref)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (source_id, i // SLOTS, i % SLOTS, topic.measure, topic.unit, topic.scale, staged.basis, topic.ref)
                for _, source_id in numbered
                for i, topic in enumerate(staged.topics)
            ],
        )
        for part in range(0, len(staged.topics), SLOTS):  # the rows in the order they came: a later row of a cell
            # replaces an earlier one
            slots = range(min(SLOTS, len(staged.topics) - part))
            into = ", ".join(f"v{j}, s{j}" for j in slots)
            cells = ", ".join(f"r.v{part + j}, r.s{part + j}" for j in slots)
            self.conn.execute(
                "INSERT OR REPLACE INTO cbs_rows (classification, year, sbi, period, source_id, part, status, ref,"
                f" note, {into}) SELECT ?, r.year, r.sbi, r.period, s.id, {part // SLOTS}, r.status, r.ref, r.note,"
                f" {cells} FROM temp.staged_rows r JOIN temp.staged_sources s ON s.number = r.source ORDER BY r.rowid",
                (staged.classification,),
            )
        self.conn.execute("DROP TABLE temp.staged_sources")

    @_guarded
    def cached_metadata(self, cbs_table: str, table_modified: str) -> dict[str, list[dict[str, Any]]]:
        """The structure and dimension categories of one table version kept from an earlier fetch, as plain rows of
        lsh's own types (lshcli.source).

        A damaged entry counts as missing, so the fetch asks CBS for that set again.
        """
        found: dict[str, list[dict[str, Any]]] = {}
        for entity_set, text in self.conn.execute(
            "SELECT entity_set, rows_json FROM cbs_metadata WHERE cbs_table = ? AND table_modified = ?",
            (cbs_table, table_modified),
        ):
            try:
                rows = json.loads(text)
            except (TypeError, ValueError):
                continue
            # lsh's own rows (lshcli.source), each with a text key; a store's older entries in a protocol's shape
            # count as missing, and are read again
            if isinstance(rows, list) and all(isinstance(r, dict) and isinstance(r.get("key"), str) for r in rows):
                found[entity_set] = rows
        return found

    @_guarded
    def has_fetched(self) -> bool:
        """Whether the store holds any figure fetched from CBS (one indexed look, not a scan of every row)."""
        found = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM cbs_rows) OR"
            " EXISTS (SELECT 1 FROM sources s JOIN observations o ON o.source_id = s.id WHERE s.kind = 'cbs')"
        ).fetchone()
        return bool(found and found[0])

    @_guarded
    def holdings(self) -> list[dict[str, Any]]:
        """What the store holds, per source kind, table and measure: rows, codes, periods, versions.

        Each table is counted by its own key, per source (a fetched row once for all its topics), and the counts
        are added up here: grouped through the view of every figure, a store of a whole table took twice as long.
        """
        sources = self._sources()
        held: dict[tuple[str, str, str, str], _Holding] = {}

        def holding(source_id: int, classification: str, measure: str) -> _Holding:
            src = sources[source_id]
            key = (src.kind, src.cbs_table or "", classification, measure)
            found = held.get(key) or held.setdefault(key, _Holding())
            found.versions.add(src.table_modified or "")
            found.retrieved = max(found.retrieved or "", src.retrieved_at or "") or None
            return found

        single = (
            "SELECT source_id, classification, measure, COUNT(*), GROUP_CONCAT(DISTINCT sbi), MIN(period), MAX(period),"
            " SUM(value_low IS NULL) FROM observations GROUP BY source_id, classification, measure"
        )
        for source_id, classification, measure, rows, codes, first, last, empty in self.conn.execute(single):
            holding(source_id, classification, measure).add(rows, codes, first, last, empty)
        empties = ", ".join(f"SUM(v{i} IS NULL)" for i in range(SLOTS))
        fetched = (
            f"SELECT source_id, part, classification, COUNT(*), GROUP_CONCAT(DISTINCT sbi), MIN(period), MAX(period),"
            f" {empties} FROM cbs_rows GROUP BY source_id, part, classification"
        )
        topics = self._slots("t.measure")
        for source_id, part, classification, rows, codes, first, last, *empty in self.conn.execute(fetched):
            for slot, measure in topics.get((source_id, part), []):
                holding(source_id, classification, measure).add(rows, codes, first, last, empty[slot])
        foreign = (
            "SELECT dataset, indicator, COUNT(*), COUNT(DISTINCT activity), MIN(year), MAX(year), SUM(value IS NULL),"
            " GROUP_CONCAT(DISTINCT updated), MAX(retrieved_at) FROM foreign_cells GROUP BY dataset, indicator"
            " ORDER BY dataset, indicator"
        )
        return [
            {
                "source": "snapshot" if kind == "snapshot" else "cbs",
                "cbs_table": table if kind == "cbs" else None,
                "classification": classification,
                "measure": measure,
                "rows": h.rows,
                "codes": len(h.codes),
                "first_period": h.first,
                "last_period": h.last,
                "empty_cells": h.empty,
                "table_versions": sorted(v for v in h.versions if v) if kind == "cbs" else [],
                "retrieved_at": h.retrieved,
            }
            for (kind, table, classification, measure), h in sorted(held.items())
        ] + [
            {
                "source": "eurostat",
                "cbs_table": r[0],
                "classification": "nace_r2",
                "measure": r[1],
                "rows": r[2],
                "codes": r[3],
                "first_period": str(r[4]),
                "last_period": str(r[5]),
                "empty_cells": r[6],
                "table_versions": sorted(r[7].split(",")) if r[7] else [],
                "retrieved_at": r[8],
            }
            for r in self.conn.execute(foreign)
        ]

    @_guarded
    def clear_fetched(self, cbs_table: str | None = None) -> int:
        """Delete fetched CBS rows (of one table, or all); the bundled snapshot stays. Returns rows deleted."""
        where, params = ("AND cbs_table = ?", (cbs_table,)) if cbs_table else ("", ())
        with self._writing():
            fetched = f"source_id IN (SELECT id FROM sources WHERE kind = 'cbs' {where})"
            deleted = self.conn.execute(f"DELETE FROM observations WHERE {fetched}", params).rowcount
            deleted += int(self.conn.execute(f"SELECT COUNT(*) FROM cbs_figures WHERE {fetched}", params).fetchone()[0])
            self.conn.execute(f"DELETE FROM cbs_rows WHERE {fetched}", params)
            self.conn.execute(f"DELETE FROM sources WHERE kind = 'cbs' {where}", params)  # and their topics
            self.conn.execute(f"DELETE FROM cbs_metadata WHERE 1 = 1 {where}", params)
            self.conn.execute(f"DELETE FROM cbs_keys WHERE 1 = 1 {where}", params)
            foreign = ("WHERE lower(dataset) = lower(?)", (cbs_table,)) if cbs_table else ("", ())
            deleted += self.conn.execute(f"DELETE FROM foreign_cells {foreign[0]}", foreign[1]).rowcount
        return deleted

    @_guarded
    def replace_foreign(self, cells: Sequence[ForeignCell]) -> int:
        """Store a foreign source's cells (Eurostat's), each replacing the one held for the same dataset, country,
        activity, indicator and year, in one transaction; returns how many."""
        with self._writing():
            self.conn.executemany(
                "INSERT OR REPLACE INTO foreign_cells (dataset, country, activity, indicator, year, value, flags,"
                " confidential, unit, updated, label, request, retrieved_at) VALUES"
                " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        c.dataset,
                        c.country,
                        c.activity,
                        c.indicator,
                        c.year,
                        c.value,
                        "".join(c.flags),
                        c.confidential,
                        c.unit,
                        c.updated,
                        c.label,
                        c.request,
                        c.retrieved_at,
                    )
                    for c in cells
                ],
            )
        return len(cells)

    @_guarded
    def foreign(
        self, dataset: str, indicator: str, countries: Sequence[str], activities: Sequence[str], year: int
    ) -> list[ForeignCell]:
        """The foreign cells held for some countries and activities of one dataset, indicator and year."""
        found = self.conn.execute(
            "SELECT dataset, country, activity, indicator, year, value, flags, confidential, unit, updated, label,"
            " request, retrieved_at FROM foreign_cells WHERE dataset = ? AND indicator = ? AND year = ?"
            f" AND country IN ({_marks(list(countries))}) AND activity IN ({_marks(list(activities))})",
            (dataset, indicator, year, *countries, *activities),
        )
        return [
            ForeignCell(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6]), r[7], r[8], r[9], r[10], r[11], r[12])
            for r in found
        ]

    @_guarded
    def foreign_countries(self, dataset: str, year: int, activities: Sequence[str]) -> set[str]:
        """The countries of which any cell of some activities of a dataset is held for a year (a fetch stores every
        indicator a dataset gives, so one held cell means the fetch asked for them all)."""
        rows = self.conn.execute(
            "SELECT DISTINCT country FROM foreign_cells WHERE dataset = ? AND year = ?"
            f" AND activity IN ({_marks(list(activities))})",
            (dataset, year, *activities),
        )
        return {r[0] for r in rows}

    @_guarded
    def foreign_years(self, country: str) -> list[int]:
        """The years of which foreign cells of a country are held."""
        rows = self.conn.execute("SELECT DISTINCT year FROM foreign_cells WHERE country = ? ORDER BY year", (country,))
        return [r[0] for r in rows]

    @_guarded
    def fetched_keys(self, cbs_table: str) -> dict[str, str]:
        """The dimension keys of a table that earlier fetches stored, each with the codes it stood for."""
        rows = self.conn.execute("SELECT cbs_key, sbi FROM cbs_keys WHERE cbs_table = ?", (cbs_table,))
        return {key: sbi for key, sbi in rows}

    @_guarded
    def aggregates(self, measure: str | None = None, classification: str = "sbi2008") -> list[str]:
        """The code sets of more than one code ('26.60+32.50') that hold figures (of a measure) in a classification."""
        single = "SELECT DISTINCT sbi FROM observations WHERE classification = ? AND sbi GLOB '*+*'"
        fetched = "SELECT DISTINCT sbi FROM cbs_rows r WHERE classification = ? AND sbi GLOB '*+*'"
        if measure:
            single, fetched = f"{single} AND measure = ?", f"{fetched} AND {_HOLDS}"
        asked = (classification, measure) if measure else (classification,)
        found = [r[0] for r in self.conn.execute(single, asked)]
        return found + [r[0] for r in self.conn.execute(fetched, asked) if r[0] not in found]

    @staticmethod
    def _where(measure: str | None, years: Iterable[int] | None, classification: str) -> tuple[list[str], list[object]]:
        clauses: list[str] = ["o.classification = ?"]
        params: list[object] = [classification]
        if measure is not None:
            clauses.append("o.measure = ?")
            params.append(measure)
        if years is not None:
            wanted = sorted(set(years))
            clauses.append(f"o.year IN ({_marks(wanted)})")
            params.extend(wanted)
        return clauses, params

    @_guarded
    def observations(
        self,
        measure: str | None = None,
        years: Iterable[int] | None = None,
        labels: Iterable[str] | None = None,
        classification: str = "sbi2008",
        periods: Iterable[str] | None = None,
    ) -> list[Observation]:
        """Stored observations of one classification, optionally of one measure, some years, some code sets and
        some periods, in a stable order.

        With `labels`, only those code sets are read (by the store's key), so a question about six codes
        reads their rows and not the whole table.
        """
        asked: list[tuple[Iterable[int] | None, list[str] | None]] = [(years, None)]
        if periods is not None:  # one query a year, each with its own periods (a third of the time of a count of a
            # large definition)
            by_year = _by_year(periods)
            wanted = by_year if years is None else {y: by_year[y] for y in sorted(set(years)) if y in by_year}
            asked = [([year], these) for year, these in wanted.items()]
        found: list[tuple[Any, ...]] = []
        for these_years, these_periods in asked:
            clauses, params = self._where(measure, these_years, classification)
            if these_periods is not None:
                clauses.append(f"o.period IN ({_marks(these_periods)})")
                params.extend(these_periods)
            for chunk in [None] if labels is None else _chunks(sorted(set(labels)), 500):
                if chunk == []:
                    continue
                extra = [] if chunk is None else [f"o.sbi IN ({_marks(chunk)})"]
                where = " WHERE " + " AND ".join(clauses + extra)
                found += self.conn.execute(_ROWS + where, params + list(chunk or [])).fetchall()
        sources = self._sources()
        kinds = {key: source.kind for key, source in sources.items()}
        found.sort(key=lambda r: (r[0], r[1], r[2], r[3], kinds[r[4]], r[4]))  # measure, year, code set, period,
        # source kind, source: one order always
        shared: dict[Any, Any] = {}
        return [_observation(r, sources, shared) for r in found]

    @_guarded
    def table_state(
        self, cbs_table: str, periods_dimension: str = ""
    ) -> tuple[list[str], dict[str, str | None], set[str]]:
        """What the store holds of a CBS table: the versions its rows were fetched from, each period held (in the
        table's own keys) with the least final status of its rows, and the periods the table listed when it was
        fetched (from the kept metadata of `periods_dimension`, in either protocol)."""
        versions = [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT table_modified FROM sources WHERE kind = 'cbs' AND lower(cbs_table) = lower(?)"
                " ORDER BY table_modified",
                (cbs_table,),
            )
        ]
        periods: dict[str, str | None] = {}
        rank = {None: 0, "definitive": 0, "revised provisional": 1, "provisional": 2}
        rows = (  # a fetched row's reference is its cells' up to the topic: 'table/key/period/'
            "SELECT o.ref, o.status FROM {} o JOIN sources s ON s.id = o.source_id"
            " WHERE s.kind = 'cbs' AND lower(s.cbs_table) = lower(?)"
        )
        for ref, status in [
            *self.conn.execute(rows.format("observations"), (cbs_table,)),
            *self.conn.execute(rows.format("cbs_rows"), (cbs_table,)),
        ]:
            parts = str(ref or "").split("/")
            if len(parts) == 4:
                held = periods.get(parts[2])
                if parts[2] not in periods or rank.get(status, 0) > rank.get(held, 0):
                    periods[parts[2]] = status
        listed: set[str] = set()
        for (text,) in self.conn.execute(
            "SELECT rows_json FROM cbs_metadata WHERE lower(cbs_table) = lower(?) AND entity_set IN (?, ?)",
            (cbs_table, periods_dimension, f"v4:{periods_dimension}"),
        ):
            try:
                listed |= {str(r["key"]) for r in json.loads(text) if isinstance(r, dict) and "key" in r}
            except (TypeError, ValueError):
                continue
        return versions, periods, listed

    def _sources(self) -> dict[int, Source]:
        """Every source by its id (a few rows: a source is one table version's fetch, or the snapshot)."""
        return {
            r[0]: Source(kind=r[1], citation=r[2], cbs_table=r[3], table_modified=r[4], request=r[5], retrieved_at=r[6])
            for r in self.conn.execute(
                "SELECT id, kind, citation, cbs_table, table_modified, request, retrieved_at FROM sources"
            )
        }

    def _slots(
        self, column: str, where: str = "1 = 1", params: Sequence[object] = ()
    ) -> dict[tuple[int, int], list[tuple[int, str]]]:
        """The topics of fetched rows (of the sources `where` chooses, `s` the source and `t` the topic), by source
        and part: each topic's slot in the row and its `column` (its measure, or the end of its cells' reference)."""
        found: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for source_id, part, slot, value in self.conn.execute(
            f"SELECT t.source_id, t.part, t.slot, {column} FROM cbs_topics t JOIN sources s ON s.id = t.source_id"
            f" WHERE {where}",
            params,
        ):
            found.setdefault((source_id, part), []).append((slot, value))
        return found

    @_guarded
    def held_cells(
        self,
        cbs_table: str,
        table_modified: str,
        labels: Sequence[str],
        periods: Sequence[str],
        measures: Sequence[str],
        classification: str = "sbi2008",
    ) -> list[tuple[str, tuple[tuple[str, bool], ...]]]:
        """What the store holds from one version of a CBS table in some code sets, periods and measures, so that a
        repeat fetch need not download it again: each held row's reference up to the topic ('81589NED/326000/
        2016KW01/') with the topics it holds of those measures, each with whether its cell is empty. A fetched row
        is read once for all its topics, a figure kept singly as a row of one topic."""
        version = "s.kind = 'cbs' AND s.cbs_table = ? AND s.table_modified = ?"
        asked = list(measures)
        chosen = f"{version} AND t.measure IN ({_marks(asked)})"
        topics = self._slots("t.ref", chosen, (cbs_table, table_modified, *asked))
        empties = ", ".join(f"r.v{i} IS NULL" for i in range(SLOTS))
        found: list[tuple[str, tuple[tuple[str, bool], ...]]] = []
        for chunk in _chunks(sorted(set(labels)), 400):
            for year, these in _by_year(periods).items():
                params = (cbs_table, table_modified, classification, year, *chunk, *these)
                for ref, empty in self.conn.execute(
                    "SELECT o.ref, o.value_low IS NULL OR o.value_high IS NULL FROM observations o JOIN sources s"
                    f" ON s.id = o.source_id WHERE {version} AND {_area(chunk, these, 'o')}"
                    f" AND o.measure IN ({_marks(asked)})",
                    (*params, *asked),
                ):
                    prefix, _, topic = str(ref or "").rpartition("/")
                    found.append((prefix + "/", ((topic, bool(empty)),)))
                for ref, source_id, part, *empty in self.conn.execute(
                    f"SELECT r.ref, r.source_id, r.part, {empties} FROM cbs_rows r JOIN sources s"
                    f" ON s.id = r.source_id WHERE {version} AND {_area(chunk, these, 'r')}",
                    params,
                ):
                    held = topics.get((source_id, part), [])
                    found.append((ref, tuple((topic, bool(empty[slot])) for slot, topic in held)))
        return found

    @_guarded
    def years(self, measure: str, classification: str = "sbi2008") -> list[int]:
        """The years in which the store holds any figure of `measure` in a classification: one seek of each table's
        key a year, from each year to the next (a DISTINCT walks every row of the measure, 30 ms on a store of whole
        tables, for each measure a count asks about)."""
        found: list[int] = []
        single = "SELECT MIN(year) FROM observations WHERE classification = ? AND measure = ? AND year > ?"
        fetched = (  # a fetched row holds a figure of the measure where its source has the measure as a topic
            f"SELECT r.year FROM cbs_rows r WHERE r.classification = ? AND r.year > ? AND {_HOLDS} ORDER BY r.year"
            " LIMIT 1"
        )
        held = self.conn.execute("SELECT 1 FROM cbs_topics WHERE measure = ? LIMIT 1", (measure,)).fetchone()
        while True:  # (a measure no fetch brought would walk every fetched row)
            after = found[-1] if found else -(10**9)
            (one,) = self.conn.execute(single, (classification, measure, after)).fetchone()
            row = self.conn.execute(fetched, (classification, after, measure)).fetchone() if held else None
            if one is None and row is None:
                return found
            found.append(int(min(y for y in (one, row and row[0]) if y is not None)))

    @_guarded
    def periods(self, measure: str, classification: str) -> list[str]:
        """The periods in which the store holds any figure of `measure` in a classification."""
        query = "SELECT DISTINCT period FROM figures WHERE classification = ? AND measure = ? ORDER BY period"
        return [r[0] for r in self.conn.execute(query, (classification, measure))]

    def close(self) -> None:
        """Close the database connection."""
        self.conn.close()


def open_store(path: Path | None = None) -> Store:
    """Open the store at `path` (default: `default_path()`), loading the bundled snapshot if needed."""
    return Store(path if path is not None else default_path())
