"""The renderers on tiny invented documents: every format, an empty document, and the exhaustive dispatch."""

from __future__ import annotations

import csv
import io
import json

import pytest

from lshcli.output.document import Column, Document, Section
from lshcli.output.formats import OutputFormat, _never, render
from tests.conftest import invoke

COLUMNS = [Column("code", "SBI", no_wrap=True), Column("value", "firms", numeric=True)]


def tiny(records: list[dict[str, object]]) -> Document:
    return Document(
        [Section("Invented", COLUMNS, records)],
        data=records,
        sentences=["An invented sentence."] if records else [],
        footnotes=["Period: invented."],
        sources=["Sources:", "  T: invented"],
        csv_records=records,
        csv_keys=["code", "value", "estimated"],
    )


def rendered(doc: Document, fmt: OutputFormat) -> str:
    out = io.StringIO()
    render(doc, fmt, out, width=80)
    return out.getvalue()


RECORDS = [{"code": "21.10", "value": 2090.0, "estimated": False, "_mark": "p"}]


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders_a_tiny_document(fmt: OutputFormat) -> None:
    text = rendered(tiny(RECORDS), fmt)
    assert "21.10" in text
    assert ("2,090" if fmt in (OutputFormat.table, OutputFormat.markdown) else "2090") in text


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders_an_empty_document(fmt: OutputFormat) -> None:
    text = rendered(tiny([]), fmt)
    if fmt is OutputFormat.csv:
        assert text == "code,value,estimated\n"  # the header stays
    elif fmt is OutputFormat.json:
        assert json.loads(text) == []
    else:
        assert "SBI" in text and "firms" in text  # the table's header, with no rows


def test_csv_writes_machine_values_and_no_display_fields() -> None:
    [row] = list(csv.DictReader(io.StringIO(rendered(tiny(RECORDS), OutputFormat.csv))))
    assert row == {"code": "21.10", "value": "2090", "estimated": "false"}


def test_the_footnotes_end_with_the_sources() -> None:
    lines = rendered(tiny(RECORDS), OutputFormat.markdown).splitlines()
    notes = [line for line in lines if line.endswith("  ")]
    assert [n.strip() for n in notes] == ["Period: invented.", "Sources:", "T: invented"]


def test_the_dispatch_is_exhaustive() -> None:
    assert {f.value for f in OutputFormat} == {"table", "csv", "json", "markdown"}
    with pytest.raises(AssertionError, match="no writer"):
        _never("xlsx")  # type: ignore[arg-type]


SWEEP = [
    ["sbi", "--search", "zzzz"],
    ["count", "topsector", "-m", "turnover"],
]


@pytest.mark.parametrize("args", SWEEP, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_an_empty_result_in_every_format(args: list[str], fmt: OutputFormat) -> None:
    result = invoke([*args, "-f", fmt.value])
    assert result.exit_code == 0, result.stderr
    if fmt is OutputFormat.csv:
        assert result.stdout.count("\n") == 1 and result.stdout.startswith(("code,", "definition,"))
    elif fmt is OutputFormat.json:
        assert json.loads(result.stdout) == []
    else:
        assert result.stdout.strip()
