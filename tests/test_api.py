"""The library facade: `lshcli.open()` works from Python, and its data is the command line's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import lshcli
import lshcli.api
from lshcli.compare import Part
from lshcli.explain import BoundedGap
from lshcli.model import Value
from tests.conftest import invoke


def test_open_compare_and_to_dict_match_the_command_line(tmp_path: Path) -> None:
    book = lshcli.open(tmp_path / "store.sqlite3")
    result = book.compare("topsector", "pwc2017", measure="firms", year=2016)
    assert result.total_a.value == Value(3105, 3105)  # the bundled snapshot's published figures
    assert result.total_b.value is None and result.total_b.interval is not None
    assert isinstance(result, lshcli.api.ComparisonResult)  # one classification: a comparison, not a crossing
    assert any(r.code == "46.46" and r.part is Part.ONLY_B for r in result.rows)
    assert any(isinstance(n, BoundedGap) for n in result.notes)
    cli = invoke(
        ["--store", str(tmp_path / "store.sqlite3"), "compare", "topsector", "pwc2017", "--year", "2016", "-f", "json"]
    )
    assert cli.exit_code == 0, cli.stderr
    [expected] = json.loads(cli.stdout)
    found = json.loads(json.dumps(result.to_dict()))
    # the same data; only the command line adds hints that name its own commands
    assert {k: v for k, v in found.items() if k != "explanation"} == {
        k: v for k, v in expected.items() if k != "explanation"
    }
    assert not any("lsh fetch" in s for s in result.sentences)


def test_the_facade_picks_the_year_as_the_command_line_does(tmp_path: Path) -> None:
    book = lshcli.open(":memory:")
    assert book.year(["topsector", "pwc2017"]) == 2016
    assert book.compare("pwc2019", "topsector").year == 2016
    values = book.values("pwc2019", "jobs", [2016, 2019])
    assert [y for y, _ in values.years] == [2016, 2019]
    assert values.to_dict()[0]["measure"] == "employee_jobs"


def test_a_book_without_the_snapshot_holds_nothing() -> None:
    book = lshcli.open(":memory:", snapshot=False)
    assert book.values("pwc2019", years=[2016]).years[0][1].value is None


def test_a_result_shows_itself_in_a_notebook_and_becomes_a_frame(tmp_path: Path) -> None:
    import csv
    import io

    book = lshcli.open(tmp_path / "store.sqlite3")
    result = book.compare("topsector", "pwc2017", year=2016)
    shown = repr(result)
    assert len(shown) < 200 and shown.startswith("<Comparison topsector vs pwc2017, firms 2016:")
    assert "<table>" in result._repr_html_()
    frame = result.to_frame()
    cli = invoke(
        ["--store", str(tmp_path / "store.sqlite3"), "compare", "topsector", "pwc2017", "--year", "2016", "-f", "csv"]
    )
    rows = list(csv.DictReader(io.StringIO(cli.stdout)))
    assert len(frame) == len(rows) and list(frame["code"].fillna("")) == [r["code"] for r in rows]
    low = [float(r["value_low"]) if r["value_low"] else None for r in rows]
    assert [None if v != v else v for v in frame["value_low"]] == low  # the bounds of every row, as CSV has them
    for value in (
        book.values("pwc2019", "jobs"),
        book.sizes("topsector", 2016),
        book.overlap(["topsector", "pwc2017"]),
    ):
        assert len(repr(value)) < 300 and "<table>" in value._repr_html_() and len(value.to_frame()) > 0


def test_sizes_and_overlap_give_the_command_lines_data(tmp_path: Path) -> None:
    book = lshcli.open(tmp_path / "store.sqlite3")
    store = ["--store", str(tmp_path / "store.sqlite3")]
    sizes = json.loads(invoke([*store, "sizes", "topsector", "--year", "2016", "-f", "json"]).stdout)
    assert json.loads(json.dumps(book.sizes("topsector", 2016).to_dict())) == sizes
    overlap = json.loads(invoke([*store, "overlap", "topsector", "pwc2017", "--year", "2016", "-f", "json"]).stdout)
    assert json.loads(json.dumps(book.overlap(["topsector", "pwc2017"], year=2016).to_dict())) == overlap


def test_the_facade_checks_its_arguments_as_the_command_line_does(tmp_path: Path) -> None:
    import pytest

    from lshcli.errors import ConfigError, NotAvailableError

    book = lshcli.open(tmp_path / "store.sqlite3")
    with pytest.raises(NotAvailableError, match="no firms figures exist for 1066: the store holds"):
        book.compare("topsector", "pwc2017", year=1066)
    for bad in ("2016", True, 2016.0):
        with pytest.raises(ConfigError, match="year must be a whole number such as 2016"):
            book.compare("topsector", "pwc2017", year=bad)  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        book.values("pwc2019", "jobs", years=["2016"])  # type: ignore[list-item]


def test_a_result_saves_itself_as_the_command_line_writes_the_file(tmp_path: Path) -> None:
    import pytest

    from lshcli.errors import LshError

    store = tmp_path / "store.sqlite3"
    book = lshcli.open(store)
    result = book.compare("topsector", "pwc2017", year=2016)
    for suffix in ("csv", "json", "md", "html", "xlsx"):
        saved = result.save(tmp_path / f"gap.{suffix}")
        cli = tmp_path / f"cli.{suffix}"
        written = invoke(["--store", str(store), "compare", "topsector", "pwc2017", "--year", "2016", "-o", str(cli)])
        assert written.exit_code == 0, written.stderr
        if suffix == "xlsx":  # a workbook holds its time of writing: compare the cells
            from openpyxl import load_workbook

            def cells(path: Path) -> list[list[object]]:
                return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in load_workbook(path)]

            assert cells(saved) == cells(cli)
        elif suffix == "json":  # the command line lists the years it compares; a result is one year
            assert [json.loads(saved.read_text())] == json.loads(cli.read_text())
        else:
            assert saved.read_bytes() == cli.read_bytes()
    with pytest.raises(LshError, match="the folder .* does not exist"):
        result.save(tmp_path / "nowhere" / "gap.csv")
    with pytest.raises(LshError):
        result.save(tmp_path / "gap.docx")
    assert not (tmp_path / "gap.docx").exists()


def test_the_facade_refuses_a_mix_of_classifications_where_the_command_line_does(tmp_path: Path) -> None:
    import pytest

    from lshcli.errors import ConfigError

    book = lshcli.open(tmp_path / "store.sqlite3")
    with pytest.raises(ConfigError, match="not all in one classification"):
        book.overlap(["topsector", "topsector_sbi2025"])
    said = invoke(["--store", str(tmp_path / "store.sqlite3"), "overlap", "topsector", "topsector_sbi2025"])
    assert said.exit_code == 2 and "not all in one classification" in said.stderr


def test_the_year_choice_the_command_line_says_is_the_facades(tmp_path: Path) -> None:
    book = lshcli.open(tmp_path / "store.sqlite3")
    choice = book.year_choice(["pwc2019", "topsector"], "jobs")
    said = invoke(["--store", str(tmp_path / "store.sqlite3"), "compare", "pwc2019", "topsector", "-m", "jobs"])
    assert said.exit_code == 0 and f"comparing {choice.year}" in said.stderr
    assert (
        book.compare("pwc2019", "topsector", "jobs").year == choice.year == book.year(["pwc2019", "topsector"], "jobs")
    )
