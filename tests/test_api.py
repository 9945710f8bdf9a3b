"""The library facade: `lshcli.open()` works from Python, and its data is the command line's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import lshcli
from lshcli.compare import Part
from lshcli.explain import BoundedGap
from lshcli.model import Value
from tests.conftest import invoke


def test_open_compare_and_to_dict_match_the_command_line(tmp_path: Path) -> None:
    book = lshcli.open(tmp_path / "store.sqlite3")
    result = book.compare("topsector", "pwc2017", measure="firms", year=2016)
    assert result.total_a.value == Value(3105, 3105)  # the bundled snapshot's published figures
    assert result.total_b.value is None and result.total_b.interval is not None
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
