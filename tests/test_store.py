"""The store: the bundled snapshot with provenance, reloading, and forgiving opening."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from lshcli.errors import StoreError
from lshcli.model import Source
from lshcli.store import Store, snapshot_rows
from tests.conftest import obs

FIGURES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "figures.csv"


def test_every_snapshot_row_carries_its_source(empty_store: Store) -> None:
    rows = empty_store.observations()
    assert len(rows) == len(snapshot_rows()) > 60
    for o in rows:
        assert o.source.citation and o.ref and o.ref.startswith("F"), o
        assert o.has_value


@pytest.mark.skipif(not FIGURES.exists(), reason="../shared is not beside the repository")
def test_snapshot_values_equal_the_reference_figures(empty_store: Store) -> None:
    reference = {r["id"]: r for r in csv.DictReader(FIGURES.open(encoding="utf-8"))}
    for o in empty_store.observations():
        row = reference[o.ref or ""]
        assert (o.value_low, o.value_high) == (float(row["value_low"]), float(row["value_high"]))
        assert "+".join(o.sbi) == row["sbi"] and o.period == row["period"]


def test_a_range_stays_a_range(empty_store: Store) -> None:
    [row] = [o for o in empty_store.observations("firms", [2016]) if o.ref == "F012"]
    assert (row.value_low, row.value_high) == (180, 200)


def test_store_file_is_created_once_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "s" / "store.sqlite3"
    path.parent.mkdir()  # a folder the user names must exist: lsh makes only its own
    first = Store(path)
    first.add([obs("firms", "21.10", "2030Q1", 1)])
    first.close()
    again = Store(path)
    assert [o.period for o in again.observations("firms", [2030])] == ["2030Q1"]
    assert len(again.observations()) == len(snapshot_rows()) + 1
    again.close()


def test_a_store_that_kept_the_older_snapshot_key_takes_the_snapshot_once_and_keeps_other_rows(tmp_path: Path) -> None:
    """A store an older lsh made knows its snapshot by 'snapshot_sha256': it is loaded again once, under the new key."""
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    store.add(
        [replace(obs("firms", "21.10", "2030Q1", 1), source=Source("cbs", "CBS StatLine (invented)", "81589NED"))]
    )
    store.conn.execute("UPDATE meta SET key = 'snapshot_sha256', value = 'ab12' WHERE key = 'snapshot_crc32'")
    store.conn.execute("DELETE FROM observations WHERE ref = 'F007'")
    store.close()
    again = Store(path)
    keys = [k for (k,) in again.conn.execute("SELECT key FROM meta ORDER BY key")]
    assert "snapshot_crc32" in keys and "snapshot_sha256" not in keys
    assert len(again.observations()) == len(snapshot_rows()) + 1
    again.close()


def test_a_store_that_cannot_be_opened_falls_back_to_the_snapshot(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    store = Store(blocker / "store.sqlite3")  # its folder cannot be made
    assert store.path is None and store.warnings and store.warnings[0].path.endswith("store.sqlite3")
    assert store.observations("firms", [2016])
    assert blocker.read_text() == "not a folder"


def test_a_damaged_store_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="is damaged .*move it aside"):
        Store(path)
    assert path.read_bytes() == b"this is not a database" * 100  # left as it was


def test_a_failed_add_changes_nothing(empty_store: Store) -> None:
    before = empty_store.observations()
    bad = obs("firms", "21.10", "2030Q1", 5, 1)  # low above high violates the schema
    with pytest.raises(Exception):  # noqa: B017 - any database error will do
        empty_store.add([obs("firms", "21.20", "2030Q1", 1), bad])
    assert empty_store.observations() == before


def test_a_new_snapshot_replaces_the_old_one_and_keeps_other_rows(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = Store(path)
    live = replace(obs("firms", "21.10", "2030Q1", 1), source=Source("cbs", "CBS StatLine (invented)", "81589NED"))
    store.add([live])
    store.conn.execute("UPDATE meta SET value = 'older' WHERE key = 'snapshot_crc32'")
    store.conn.execute("DELETE FROM observations WHERE ref = 'F007'")
    store.close()
    again = Store(path)
    refs = [o.ref for o in again.observations("firms", [2016, 2030])]
    assert "F007" in refs and "T" in refs
    assert len(again.observations()) == len(snapshot_rows()) + 1
    again.close()


def test_a_store_another_lsh_creates_while_this_one_looks_is_never_taken_for_someone_elses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterministic, no race: right after this lsh has read the new file's application id, another lsh creates the
    whole store in that file. Read one by one, the marks would then say 'an lsh store's tables, but no lsh mark'
    and this lsh would refuse the file as another program's; read in one transaction, the other writer cannot
    commit in between (it is told the file is busy), and this lsh makes the store itself."""
    import sqlite3

    path = tmp_path / "store.sqlite3"
    writer_said: list[str] = []
    real_connect = sqlite3.connect

    def create_it_all_now() -> None:
        other = real_connect(str(path), timeout=0, isolation_level=None)
        try:
            Store._upgrade(other)  # the other lsh's whole creation, committed at once
            writer_said.append("committed")
        except sqlite3.OperationalError as exc:
            writer_said.append(str(exc))
        finally:
            other.close()

    class Interleaved:
        """A connection that lets the other lsh in once, after the first mark is read."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
            if sql == "PRAGMA user_version" and not writer_said:  # the application id is read and done with
                create_it_all_now()
            return self._conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self._conn, name)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Interleaved(real_connect(*a, **k)))
    store = Store(path, snapshot=False)
    monkeypatch.undo()
    assert writer_said and writer_said[0] != "committed" and "locked" in writer_said[0]
    assert store.path == path and not store.warnings
    store.close()
    assert Store(path, snapshot=False).path == path  # an lsh store, opened again as one


def test_the_store_says_whether_it_holds_fetched_figures(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = Store(path)
    assert not store.has_fetched()  # the bundled snapshot only
    cbs = Source("cbs", "invented test figure (tests/test_store.py)", "81589NED", "2020-11-19")
    store.add([replace(obs("firms", "21.10", "2030Q1", 1), source=cbs)])
    assert store.has_fetched()
    store.clear_fetched(None)
    assert not store.has_fetched()
    store.close()


def test_a_layout_3_store_gains_the_foreign_cells_and_keeps_its_figures(tmp_path: Path) -> None:
    """A store of the layout before other countries' figures (3) opens: foreign_cells is made, nothing else moves."""
    import sqlite3

    from lshcli.store import SCHEMA_VERSION

    path = tmp_path / "old.sqlite3"
    before = Store(path).conn.execute("SELECT COUNT(*) FROM observations").fetchone()[0]
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE foreign_cells; PRAGMA user_version = 3;")
    conn.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert store.conn.execute("SELECT COUNT(*) FROM observations").fetchone()[0] == before > 0
    assert store.foreign("sbs_ovw_act", "persons_employed", ["NL"], ["C2110"], 2022) == []


LAYOUT_4 = """
CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    measure TEXT NOT NULL,
    sbi TEXT NOT NULL,
    period TEXT NOT NULL,
    year INTEGER NOT NULL,
    value_low REAL,
    value_high REAL,
    unit TEXT NOT NULL,
    status TEXT,
    basis TEXT,
    ref TEXT,
    note TEXT,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    classification TEXT NOT NULL DEFAULT 'sbi2008',
    UNIQUE (measure, sbi, period, source_id, classification),
    CHECK (value_low IS NULL OR value_high IS NULL OR value_low <= value_high)
);
CREATE INDEX observations_by_question ON observations (classification, measure, year, sbi);
CREATE INDEX observations_code_sets ON observations (classification, measure, sbi) WHERE sbi GLOB '*+*';
"""
"""The figures' table as layout 4 kept it: rows with an id, and two indexes."""


def test_a_layout_4_store_is_rebuilt_in_the_key_order_with_every_figure(tmp_path: Path) -> None:
    """A store of layout 4 (a table of rows and two indexes) opens as layout 5: the same figures, field by field,
    in one table ordered by the store's key, and the indexes of layout 4 gone."""
    import sqlite3

    from lshcli.store import _WRITTEN, snapshot_rows

    path = tmp_path / "old.sqlite3"
    store = Store(path)
    cbs = Source("cbs", "invented test figures (tests/test_store.py)", "81589NED", "2020-11-19")
    store.add(
        [
            replace(obs("firms", "21.10", "2030Q1", 7), source=cbs),
            replace(obs("jobs", "26.60+32.50", "2030", None), source=cbs),
        ]
    )
    columns = f"{_WRITTEN.replace('source_id', 's.citation')}"
    read = f"SELECT {columns.replace('measure', 'o.measure')} FROM observations o JOIN sources s ON s.id = o.source_id"
    before = sorted(store.conn.execute(read).fetchall(), key=repr)
    store.close()
    conn = sqlite3.connect(path)
    conn.executescript(
        "DROP VIEW figures; DROP VIEW cbs_figures; DROP TABLE cbs_rows; DROP TABLE cbs_topics;"
        "ALTER TABLE observations RENAME TO layout5; DROP INDEX observations_code_sets;"
        + LAYOUT_4
        + f"INSERT INTO observations ({_WRITTEN}) SELECT {_WRITTEN} FROM layout5 ORDER BY random();"
        " DROP TABLE layout5; PRAGMA user_version = 4;"
    )
    conn.close()
    store = Store(path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 5
    assert sorted(store.conn.execute(read).fetchall(), key=repr) == before
    assert len(before) == len(snapshot_rows()) + 2 and any(r[1] == "26.60+32.50" and r[4] is None for r in before)
    ddl = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'observations'").fetchone()[0]
    assert ddl.rstrip().endswith("WITHOUT ROWID")
    indexes = {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
    }
    assert "observations_by_question" not in indexes and "observations_code_sets" in indexes
    assert store.aggregates("jobs") == ["26.60+32.50"]
    assert store.conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert [o.value_low for o in store.observations("firms", [2030], ["21.10"])] == [7]


# --- a count reads the codes' own figures first --------------------------------------------------------------

LIVE = Source("cbs", "invented live figures (tests/test_store.py)", "81589NED", "2020-11-19")


def _live(measure: str, code: str, period: str, value: float | None) -> Any:
    return replace(obs(measure, code, period, value, ref=f"{code}/{period}"), source=LIVE)


def test_a_count_whose_codes_all_have_live_figures_reads_none_around_them(write_definition) -> None:  # type: ignore[no-untyped-def]
    """Where each of a definition's codes has a live figure of its own in a year, that is the cover, and the wider
    figures (the division, the group) are not read for that year; where one lacks it, they are, and the division
    covers both. The figures are invented."""
    from lshcli.definitions import DefinitionLibrary, search_dirs
    from lshcli.measures import MEASURES
    from lshcli.query import Figurebook
    from lshcli.sbi import load

    sbi = load()
    path = write_definition("pharma", "title: pharma\ncodes: ['21.10', '21.20']\n")
    definition = DefinitionLibrary(sbi, search_dirs([path.parent])).get("pharma")
    store = Store(None, snapshot=False)
    store.add(
        [
            _live("firms", "21", "2015Q1", 200),
            _live("firms", "21.10", "2015Q1", 30),  # 2015: 21.20 has no figure of its own
            _live("firms", "21", "2016Q1", 210),
            _live("firms", "21.1", "2016Q1", 35),  # group 21.1 holds class 21.10 alone: the same finest code
            _live("firms", "21.10", "2016Q1", 35),
            _live("firms", "21.20", "2016Q1", 175),
        ]
    )
    book = Figurebook(store, sbi)
    read: list[tuple[tuple[int, ...], tuple[str, ...]]] = []
    original = store.observations

    def observations(measure: Any = None, years: Any = None, labels: Any = None, *rest: Any) -> Any:
        read.append((tuple(sorted(years or [])), tuple(sorted(labels or []))))
        return original(measure, years, labels, *rest)

    store.observations = observations  # type: ignore[method-assign,assignment]
    (y2015, a), (y2016, b) = book.values_by_year(definition, MEASURES["firms"], [2015, 2016])
    assert (y2015, y2016) == (2015, 2016)
    assert [o.ref for o in b.used] == ["21.10/2016Q1", "21.20/2016Q1"]  # the class's own figure, not its group's
    assert b.value is not None and b.value.low == 35 + 175
    assert [o.ref for o in a.used] == ["21/2015Q1"] and a.value is not None and a.value.low == 200
    wider = [labels for years, labels in read if "21" in labels]
    assert wider and all(years == (2015,) for years, labels in read if "21" in labels)  # 2016's own were enough
    store.close()
