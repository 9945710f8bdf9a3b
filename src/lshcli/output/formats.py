"""The output formats: one enum, one exhaustive dispatch, and a writer per format."""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import IO, Any, NoReturn

from lshcli.output import rows
from lshcli.output.document import Document, Section, clean, md_text, neutral, shown_columns
from lshcli.output.layout import Fitted, fit, stacked


class OutputFormat(str, Enum):
    """The formats every data command offers."""

    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"
    html = "html"

    @property
    def binary(self) -> bool:
        """A format that is a file, not text for a terminal (a workbook)."""
        return self is OutputFormat.xlsx


SUFFIXES = {
    ".csv": OutputFormat.csv,
    ".json": OutputFormat.json,
    ".md": OutputFormat.markdown,
    ".markdown": OutputFormat.markdown,
    ".xlsx": OutputFormat.xlsx,
    ".html": OutputFormat.html,
    ".htm": OutputFormat.html,
    ".txt": OutputFormat.table,
}
"""The format an output file's suffix names."""


def format_for(given: OutputFormat | None, path: str | None) -> OutputFormat:
    """The format to write: the one given, else the output file's suffix, else a table; a suffix that contradicts the
    format given, or one lsh does not know, is a ValueError with the sentence to show."""
    suffix = "" if path is None else _suffix(path)
    if not suffix:
        return given or OutputFormat.table
    named = SUFFIXES.get(suffix)
    if named is None:
        known = ", ".join(SUFFIXES)
        raise ValueError(f"lsh does not know the suffix {suffix!r} of {path}; it writes {known}")
    if given is not None and given is not named:
        raise ValueError(f"{path} names {named.value} output, but --format says {given.value}")
    return named


def _suffix(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return ("." + name.rsplit(".", 1)[1].lower()) if "." in name.strip(".") else ""


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return neutral("; ".join(str(v) for v in value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return neutral(value)
    return value


def to_csv(doc: Document) -> str:
    """Plain CSV of the document's typed rows: their fields in declared order, each as precise as its field
    declares, with a header even when there are none."""
    records = doc.csv_records if doc.csv_records is not None else (doc.sections[0].records if doc.sections else [])
    row_type = doc.row_type or (type(records[0]) if records else None)
    names = rows.field_names(row_type, records) if row_type is not None else []
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore", lineterminator="\n")  # optional ones
    writer.writerow({k: neutral(k) for k in names})  # a header cell is user text too (overlap's definition ids)
    for row in records:
        writer.writerow({k: _csv_value(v) for k, v in rows.csv_values(row).items()})
    return buffer.getvalue()


def to_json(doc: Document) -> str:
    """The library's result as JSON data."""
    data = rows.as_data(doc.payload())
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"  # never Infinity or NaN


def _md_cell(text: str) -> str:
    return md_text(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document) -> str:
    """GitHub-flavoured Markdown tables, sentences as a list, footnotes last."""
    out: list[str] = []
    for section in doc.sections:
        if section.title:
            out.append(f"### {md_text(section.title)}\n")
        columns = shown_columns(section)
        out.append("| " + " | ".join(_md_cell(c.header) for c in columns) + " |")
        out.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
        for record in section.records:
            out.append("| " + " | ".join(_md_cell(c.cell(record)) for c in columns) + " |")
        out.append("")
    if doc.sentences:
        out.extend(f"- {md_text(s)}" for s in doc.sentences)
        out.append("")
    if doc.notes:
        out.extend(f"{md_text(n)}  " for n in doc.notes)
        out.append("")
    return "\n".join(out)


def to_table(doc: Document, width: int | None = None, color: bool = False) -> str:
    """Tables for a terminal, sentences and footnotes under them: drawn by lsh where it draws what rich would
    (`lshcli.output.drawn`), else by rich."""
    fitted = [(section, fit(section, width or 120)) for section in doc.sections]
    if width is not None:
        from lshcli.output.drawn import drawn

        text = drawn(doc, fitted, width, color)
        if text is not None:
            return text
    return rich_table(doc, fitted, width, color)


def rich_table(doc: Document, fitted: list[tuple[Section[Any], Fitted]], width: int | None, color: bool) -> str:
    """The document drawn by rich, its sections fitted to the width."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        force_jupyter=False,  # in a notebook's kernel rich would show the text there, not write it to `buffer`
        no_color=not color,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
    )
    for section, fitted_section in fitted:
        if fitted_section.widths is None:  # too narrow for a table: a block per record
            if section.title:
                console.print(Text(clean(section.title)))
            console.print(Text(stacked(fitted_section, width or 120)))
            continue
        table = Table(title=clean(section.title or "") or None, title_justify="left", show_lines=False)
        for column, header, w in zip(
            fitted_section.columns, fitted_section.headers, fitted_section.widths, strict=True
        ):
            table.add_column(
                header,
                justify="right" if column.numeric else "left",
                width=w,
                no_wrap=True,
                overflow="crop",
            )
        for row in fitted_section.rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)
    if doc.sentences:  # one text of a line each: rich wraps each line alike, and prints once
        console.print(Text("\n".join(clean(sentence) for sentence in doc.sentences)))
    if doc.notes:
        console.print()
        console.print(Text("\n".join(clean(note) for note in doc.notes), style="dim"))
    return buffer.getvalue()


def render(doc: Document, fmt: OutputFormat, stream: IO[str], width: int | None = None, color: bool = False) -> None:
    """Write `doc` to `stream` in `fmt`."""
    match fmt:
        case OutputFormat.table:
            stream.write(to_table(doc, width=width, color=color))
        case OutputFormat.csv:
            stream.write(to_csv(doc))
        case OutputFormat.json:
            stream.write(to_json(doc))
        case OutputFormat.markdown:
            stream.write(to_markdown(doc))
        case OutputFormat.html:
            stream.write(to_html_page(doc))
        case OutputFormat.xlsx:
            raise ValueError("a workbook is written as bytes: use render_bytes")
        case _:
            _never(fmt)


def render_bytes(doc: Document, fmt: OutputFormat, width: int = 120) -> bytes:
    """A document as the bytes of a file in any format (text as UTF-8)."""
    if fmt is OutputFormat.xlsx:
        from lshcli.output.workbook import to_xlsx

        return to_xlsx(doc)
    buffer = io.StringIO(newline="")
    render(doc, fmt, buffer, width=width, color=False)
    return buffer.getvalue().encode("utf-8")


def to_html_page(doc: Document) -> str:
    """A whole HTML page of a document: its tables, sentences and footnotes."""
    title = next((s.title for s in doc.sections if s.title), "lsh")
    from html import escape

    style = (
        "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .5em}"
        "td.num{text-align:right;font-variant-numeric:tabular-nums}.note{color:#555;font-size:.9em}"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{doc.lang}"><head><meta charset="utf-8"><title>{escape(clean(title))}</title>'
        f"<style>{style}</style></head><body>\n{to_html(doc, heading='h2')}\n</body></html>\n"
    )


def _never(value: NoReturn) -> NoReturn:
    """Reached only if a format has no writer: mypy checks the match above is exhaustive."""
    raise AssertionError(f"no writer for output format {value!r}")


def to_html(doc: Document, heading: str = "h3") -> str:
    """An HTML fragment: each section a table, the sentences a list, the footnotes small print."""
    from html import escape as html_escape

    def escape(text: str) -> str:
        return html_escape(clean(text))

    out: list[str] = []
    for section in doc.sections:
        if section.title:
            out.append(f"<{heading}>{escape(section.title)}</{heading}>")
        out.append("<table>")
        columns = shown_columns(section)
        out.append("<thead><tr>" + "".join(f"<th>{escape(c.header)}</th>" for c in columns) + "</tr></thead>")
        out.append("<tbody>")
        for record in section.records:
            cells = "".join(
                f'<td class="num">{escape(c.cell(record))}</td>' if c.numeric else f"<td>{escape(c.cell(record))}</td>"
                for c in columns
            )
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
    if doc.sentences:
        out.append("<ul>" + "".join(f"<li>{escape(s)}</li>" for s in doc.sentences) + "</ul>")
    if doc.notes:
        out.append('<p class="note">' + "<br>".join(escape(n) for n in doc.notes) + "</p>")
    return "\n".join(out)
