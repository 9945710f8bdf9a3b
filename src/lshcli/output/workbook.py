"""A document as an Excel workbook (openpyxl): a sheet per table, numbers as numbers, and sheets for the
sentences and the sources.

Values are written from the records, not from the table's text: a number is a number with a number
format, a percentage a number of percent, an interval (a published range or the bound the figures allow)
two columns, low and high, beside the point value. The header row is frozen and columns are sized.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from lshcli.output import rows
from lshcli.output.document import Column, Document, Section, clean, shown_columns
from lshcli.output.words import Words

MAX_WIDTH = 60
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str | None, index: int, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = " ".join(_BAD_SHEET.sub(" ", clean(title or f"table {index}")).split()) or f"table {index}"
    name = _cut(base, 31)
    number = 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = _cut(base, 31 - len(suffix)) + suffix
        number += 1
    taken.add(name.lower())
    return name


def _cut(text: str, most: int) -> str:
    """Text of at most `most` characters, cut at a word where a word ends late enough ('pwc2019 The pharmaceutical')."""
    if len(text) <= most:
        return text
    head = text[:most]
    space = head.rfind(" ")
    return head[:space].rstrip(" -,;") if space >= most // 2 else head


def _interval_keys(column: Column[Any], records: Sequence[Any]) -> tuple[str, str] | None:
    """The low and high fields behind a column of values, where the rows carry them."""
    stem = "value" if column.key == "value" else column.key
    low, high = f"{stem}_low", f"{stem}_high"
    if any(rows.has(r, low) or rows.has(r, high) for r in records):
        return low, high
    return None


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return None


def _format(value: float | int) -> str:
    return "#,##0" if isinstance(value, int) else "#,##0.0##"


def _write_section(sheet: Any, section: Section[Any], words: Words) -> None:
    from openpyxl.styles import Font

    records = section.records
    headers: list[str] = []
    getters: list[Any] = []
    shown = shown_columns(section)
    for column in section.columns:
        interval = _interval_keys(column, records) if column.numeric else None
        has_numbers = interval is not None and any(rows.get(r, k) is not None for r in records for k in interval)
        if column not in shown and not has_numbers:  # a column that says nothing, in any row
            continue
        if interval is not None:
            point = "value" if column.key == "value" else None
            if point is not None:
                headers.append(column.header)
                getters.append(lambda r, k=point: _number(rows.get(r, k)))
            headers += [
                words.header("{header} (low)").format(header=column.header),
                words.header("{header} (high)").format(header=column.header),
            ]
            getters += [
                lambda r, k=interval[0]: _number(rows.get(r, k)),
                lambda r, k=interval[1]: _number(rows.get(r, k)),
            ]
        elif column.numeric or column.key == "year":
            headers.append(column.header)
            getters.append(lambda r, c=column: _cell_number(r, c))
        else:
            headers.append(column.header)
            getters.append(lambda r, c=column: clean(c.cell(r)))
    _append(sheet, [_year_or_text(clean(h)) for h in headers])  # a year as a column header is a number too
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        row = [get(record) for get in getters]
        _append(sheet, row)
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Marked):  # a number still, showing its mark as the table does
                whole = float(value).is_integer()
                cell.value = int(value) if whole else float(value)
                cell.number_format = f'{_format(int(value) if whole else float(value))} "{value.mark}"'
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = _format(value)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        values = [str(sheet.cell(row=r, column=index).value or "") for r in range(1, sheet.max_row + 1)]
        width = min(MAX_WIDTH, max(len(v) for v in values) + 2) if values else len(header) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width


def _cell_number(record: Any, column: Column[Any]) -> Any:
    """A numeric column's raw number (a percentage as a number of percent), else the number its machine text holds
    (a year of a wide series: '16.6', in English whatever the table's language), else the table's text (an
    interval, or a value with a mark)."""
    field = rows.get(record, column.key)
    raw = _number(field)
    if raw is not None:
        return raw
    machine = isinstance(field, str)
    found = _MARKED.fullmatch(field.replace(",", "")) if isinstance(field, str) else None
    text = clean(column.cell(record))
    if not machine:
        found = _MARKED.fullmatch(text.replace(",", ""))
    if found:
        value = float(found.group(1))
        number = int(value) if value.is_integer() else value
        return Marked(number, found.group(2)) if found.group(2) else number
    return text


_MARKED = re.compile(r"(-?\d+(?:\.\d+)?)(?: ([p*]!?|\*!))?")
"""A number a table shows, with the mark it may carry ('13.26 p': provisional; '1,234 *': estimated)."""


class Marked(float):
    """A number shown with its table mark: the cell holds the number, and its format shows the mark."""

    def __new__(cls, value: float, mark: str) -> Marked:
        made = super().__new__(cls, value)
        made.mark = mark
        return made

    mark: str


def _year_or_text(header: str) -> int | str:
    """A column header that is a year ('2016') as the number 2016."""
    return int(header) if len(header) == 4 and header.isascii() and header.isdigit() else header


def _append(sheet: Any, row: list[Any]) -> None:
    """A row, every text cell kept as text: a value starting with '=' is never read as a formula."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def to_xlsx(doc: Document) -> bytes:
    """The workbook: a sheet per table, then 'sentences' and 'sources' (in the document's language)."""
    from openpyxl import Workbook

    from lshcli.output.words import words_for

    words = words_for(doc.lang)

    book = Workbook()
    first = book.active
    taken: set[str] = set()
    for index, section in enumerate(doc.sections, start=1):
        sheet = first if index == 1 else book.create_sheet()
        sheet.title = _sheet_name(section.title, index, taken)
        _write_section(sheet, section, words)
    if not doc.sections:
        first.title = _sheet_name("table", 1, taken)
    said = book.create_sheet(_sheet_name(words.header("sentences"), 0, taken))
    for line in [*doc.sentences, *doc.footnotes]:
        _append(said, [clean(line)])
    said.column_dimensions["A"].width = 120
    sources = book.create_sheet(_sheet_name(words.header("sources"), 0, taken))
    for line in doc.sources:
        _append(sources, [clean(line.strip())])
    sources.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
