"""The renderers on tiny invented documents: every format, an empty document, and the exhaustive dispatch."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lshcli.output import rows
from lshcli.output.document import Column, Document, Section
from lshcli.output.formats import OutputFormat, _never, format_for, render, render_bytes
from lshcli.output.rows import Row
from tests.conftest import invoke


class Tiny(rows.Row, frozen=True):
    """An invented row: a code, its value, whether it is estimated, and a mark for the table alone."""

    code: str
    value: float
    estimated: bool
    mark: rows.ShownOnly[str] = ""


COLUMNS: list[Column[Tiny]] = [Column("code", "SBI", no_wrap=True), Column("value", "firms", numeric=True)]


def tiny(records: list[Tiny]) -> Document:
    return Document(
        [Section("Invented", COLUMNS, records)],
        data=records,
        sentences=["An invented sentence."] if records else [],
        footnotes=["Period: invented."],
        sources=["Sources:", "  T: invented"],
        csv_records=records,
        row_type=Tiny,
    )


def rendered(doc: Document, fmt: OutputFormat) -> str:
    """The document as text; a workbook's cells, sheet by sheet and row by row, as tab-separated text."""
    if fmt is OutputFormat.xlsx:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(render_bytes(doc, fmt)))
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    out = io.StringIO()
    render(doc, fmt, out, width=80)
    return out.getvalue()


RECORDS = [Tiny("21.10", 2090.0, False, "p")]


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_format_renders_a_tiny_document(fmt: OutputFormat) -> None:
    text = rendered(tiny(RECORDS), fmt)
    assert "21.10" in text
    assert ("2,090" if fmt in (OutputFormat.table, OutputFormat.markdown, OutputFormat.html) else "2090") in text


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
    assert {f.value for f in OutputFormat} == {"table", "csv", "json", "markdown", "xlsx", "html"}
    with pytest.raises(AssertionError, match="no writer"):
        _never("pdf")  # type: ignore[arg-type]
    for fmt in OutputFormat:  # every format has a writer
        assert render_bytes(tiny(RECORDS), fmt)


def test_the_file_name_picks_the_format_and_a_contradiction_is_refused() -> None:
    assert format_for(None, "gap.xlsx") is OutputFormat.xlsx and format_for(None, "out/gap.CSV") is OutputFormat.csv
    assert format_for(None, "gap") is OutputFormat.table and format_for(OutputFormat.json, None) is OutputFormat.json
    with pytest.raises(ValueError, match="names csv output, but --format says json"):
        format_for(OutputFormat.json, "gap.csv")
    with pytest.raises(ValueError, match="does not know the suffix '.dat'"):
        format_for(None, "gap.dat")


def test_a_workbook_has_numbers_as_numbers_bounds_as_two_columns_and_text_never_a_formula() -> None:
    from openpyxl import load_workbook

    class Ranged(Row, frozen=True):
        """An invented row whose value may be an interval the figures allow."""

        code: str
        value: float | None
        value_low: float
        value_high: float
        bound: bool = False

    records = [Ranged("21.10", 2090.0, 2090.0, 2090.0), Ranged("=HYPERLINK(1)", None, 2290.0, 3255.0, True)]
    columns: list[Column[Ranged]] = [Column("code", "SBI", no_wrap=True), Column("value", "firms", numeric=True)]
    doc = Document(
        [Section("Invented", columns, records)],
        data=records,
        sentences=["An invented sentence."],
        footnotes=["Period: invented."],
        sources=["Sources:", "  T: invented"],
        csv_records=records,
        row_type=Ranged,
    )
    book = load_workbook(io.BytesIO(render_bytes(doc, OutputFormat.xlsx)))
    assert book.sheetnames == ["Invented", "sentences", "sources"]
    sheet = book["Invented"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("SBI", "firms", "firms (low)", "firms (high)")
    assert rows[1] == ("21.10", 2090, 2090, 2090) and rows[2][2:] == (2290, 3255)
    assert sheet["A3"].data_type == "s"  # a text cell, never a formula
    assert sheet.freeze_panes == "A2" and sheet["B2"].number_format == "#,##0"
    assert [r[0] for r in book["sentences"].iter_rows(values_only=True)] == [
        "An invented sentence.",
        "Period: invented.",
    ]


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


def test_snapshot_figures_that_share_a_citation_share_one_footnote() -> None:
    """Forty jobs figures from one public table are one line with their references as runs, not forty lines."""
    from dataclasses import replace

    from msgspec import structs

    from lshcli.output.provenance import _runs, footnotes
    from tests.conftest import obs

    assert _runs(["F020", "F021", "F022", "F060", "F007", "F061"]) == "F007, F020-F022, F060, F061"
    assert _runs(["F1", "odd"]) == "F1, odd"  # references lsh cannot order stay as they are
    one = obs("firms", "21", "2016KW01", 30, ref="F001")
    lines = footnotes([one, replace(one, ref="F002"), replace(one, ref="F003"), replace(one, ref="F009")])
    assert len(lines) == 2 and lines[1].startswith(f"  {one.source.label} F001-F003, F009: ")
    other = replace(one, ref="F004", source=structs.replace(one.source, citation="another publication"))
    assert len(footnotes([one, other])) == 3


def test_the_titles_of_a_code_set_are_each_said_once() -> None:
    from tests.conftest import invoke

    for lang in ("en", "nl"):
        out = invoke(["compare", "topsector", "pwc2017", "-f", "markdown", "--lang", lang], env={"COLUMNS": "250"})
        line = next(row for row in out.stdout.splitlines() if "| 26.60+32.50 |" in row)
        title = line.split("|")[3].strip()
        parts = title.split("; ")
        assert len(parts) == 2 and len(set(parts)) == 2, title


def test_a_workbook_holds_numbers_and_years_as_numbers(tmp_path: Path) -> None:
    import openpyxl

    from tests.conftest import invoke
    from tests.test_numbers import rows

    target = tmp_path / "s.xlsx"
    result = invoke(["count", "pwc2019", "-m", "jobs", "--from", "2010", "--to", "2019", "--wide", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert [h for h in header if isinstance(h, int)] == list(range(2010, 2020))
    jobs = {
        int(r["period"]): float(r["value_low"])
        for r in rows("snapshot.csv").values()
        if r["measure"] == "employee_jobs" and r["sbi"] == "21"
    }
    values = {h: c.value for h, c in zip(header, sheet[2], strict=True) if isinstance(h, int)}
    assert values == jobs  # every year a number, the provisional ones too (their format shows the 'p')
    assert "p" in sheet.cell(row=2, column=header.index(2019) + 1).number_format
    assert "  " not in sheet.title and len(sheet.title) <= 31
    long = tmp_path / "c.xlsx"
    assert invoke(["count", "topsector", "-o", str(long)]).exit_code == 0
    assert all(
        isinstance(r[1], int) for r in openpyxl.load_workbook(long).worksheets[0].iter_rows(min_row=2, values_only=True)
    )


def test_columns_that_say_nothing_are_left_out_of_every_format() -> None:
    from tests.conftest import invoke

    table = invoke(["compare", "topsector", "pwc2017", "--year", "2016"], env={"COLUMNS": "200"}).stdout
    md = invoke(["compare", "topsector", "pwc2017", "--year", "2016", "-f", "markdown"]).stdout
    html = invoke(["compare", "topsector", "pwc2017", "--year", "2016", "-f", "html"]).stdout
    for empty in ("status", "% of gap"):  # no row of this comparison has one
        assert empty not in table.split("\n\n")[0]
        assert f"| {empty} |" not in md and f"<th>{empty}</th>" not in html
    assert "% of A" in md and "<th>% of A</th>" in html  # a column with values stays


def test_a_list_of_codes_reads_as_a_list_not_an_and_chain() -> None:
    from tests.conftest import invoke

    for lang, word in (("en", " and "), ("nl", " en ")):
        told = invoke(["count", "topsector", "-m", "firms", "--year", "2015", "-f", "csv", "--lang", lang]).stdout
        missing = next(r for r in csv.DictReader(io.StringIO(told)))["missing"]
        assert missing.count(word) == 1 and ", " in missing, missing
