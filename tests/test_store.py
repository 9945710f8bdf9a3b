"""The store: the bundled snapshot with provenance, reloading, and forgiving opening."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

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
    first = Store(path)
    first.add([obs("firms", "21.10", "2030Q1", 1)])
    first.close()
    again = Store(path)
    assert [o.period for o in again.observations("firms", [2030])] == ["2030Q1"]
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
    store.conn.execute("UPDATE meta SET value = 'older' WHERE key = 'snapshot_sha256'")
    store.conn.execute("DELETE FROM observations WHERE ref = 'F007'")
    store.close()
    again = Store(path)
    refs = [o.ref for o in again.observations("firms", [2016, 2030])]
    assert "F007" in refs and "T" in refs
    assert len(again.observations()) == len(snapshot_rows()) + 1
    again.close()
