"""Typed rows: CSV in declared order with each field's precision, JSON by one converter, columns by attribute."""

from __future__ import annotations

import json

from lshcli.output import rows
from lshcli.output.document import Column, Document, Section
from lshcli.output.formats import to_csv, to_json


class Invented(rows.Row, frozen=True):
    """A row invented for these tests."""

    table: rows.CsvOnly[str] = "T1"
    code: str = ""
    members: rows.Spread[bool] = ()
    pct_of_a: rows.Percent = None
    share: rows.Share = None
    binds: rows.Sometimes[tuple[str, ...] | None] = None
    mark: rows.ShownOnly[str] = ""


def _doc(found: list[Invented]) -> Document:
    columns: list[Column[Invented]] = [Column("code", "code"), Column("pct_of_a", "%", lambda r: f"{r.pct_of_a}")]
    return Document([Section(None, columns, found)], data=found, csv_records=found, row_type=Invented)


def test_csv_writes_the_declared_fields_in_order_rounded_as_declared() -> None:
    found = [
        Invented(code="21.10", members=(("a", True), ("b", False)), pct_of_a=67.349, share=0.0106829, mark="*"),
        Invented(code="46.46", members=(("a", False), ("b", True)), pct_of_a=None, share=12.34),
    ]
    lines = to_csv(_doc(found)).splitlines()
    assert lines[0] == "table,code,a,b,pct_of_a,share"  # no optional column no row carries; no mark
    assert lines[1] == "T1,21.10,true,false,67.3,0.011"
    assert lines[2] == "T1,46.46,false,true,,12"


def test_an_optional_column_appears_when_a_row_carries_it_and_the_header_stands_without_rows() -> None:
    bound = [Invented(code="72.11.2", binds=("F016",)), Invented(code="21.10")]
    assert to_csv(_doc(bound)).splitlines()[:2] == ["table,code,pct_of_a,share,binds", "T1,72.11.2,,,F016"]
    assert to_csv(_doc([])).splitlines() == ["table,code,pct_of_a,share"]  # a header, also without rows


def test_json_converts_rows_keeping_full_precision_and_leaving_out_what_csv_repeats() -> None:
    row = Invented(code="21.10", members=(("a", True),), pct_of_a=67.349, binds=("F1",), mark="*")
    assert json.loads(to_json(_doc([row]))) == [
        {"code": "21.10", "members": {"a": True}, "pct_of_a": 67.349, "share": None, "binds": ["F1"]}
    ]


def test_a_column_reads_a_row_by_attribute_and_a_spread_name_by_its_name() -> None:
    row = Invented(code="21.10", members=(("a", True),), pct_of_a=1.5)
    assert Column[Invented]("code", "code").cell(row) == "21.10"
    assert rows.get(row, "a") is True and rows.get(row, "missing") is None
    assert rows.has(row, "code") and not rows.has(row, "a")


def test_every_row_type_in_lsh_resolves_its_columns() -> None:
    """A row's marks are read from its annotations, evaluated in its module: each type of every module resolves,
    and its columns are its fields."""
    import importlib
    import pkgutil

    import lshcli

    for module in pkgutil.walk_packages(lshcli.__path__, "lshcli."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type] = []
    todo: list[type] = [rows.Row]
    while todo:
        kind = todo.pop()
        found.append(kind)
        todo += kind.__subclasses__()
    lsh_rows = [kind for kind in found if kind.__module__.startswith("lshcli.") and kind is not rows.Row]
    assert len(lsh_rows) > 20
    for kind in lsh_rows:
        names = [column for _, column, _ in rows._layout(kind)]
        assert len(names) == len(kind.__struct_fields__), kind  # type: ignore[attr-defined]
