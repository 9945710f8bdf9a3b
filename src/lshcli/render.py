"""Renderers: one document of tables and sentences, written as a rich table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

FORMATS = ("table", "csv", "json", "markdown")
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_ENTITY = re.compile(r"&(#?[A-Za-z0-9]+;)")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def clean(text: str) -> str:
    """Text safe to show on a terminal or in a file: escape sequences and control characters removed.

    Definition titles, notes and file names are the user's text; an ANSI or OSC sequence in them must
    not reach a terminal. Newlines and tabs stay.
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def neutral(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula: one starting with = + - @ gets a leading '.

    A plain number written as text ('-62.5') is no formula and stays as it is.
    """
    text = clean(text)
    if _FORMULA.match(text) and not _NUMBER.match(text.strip()):
        return "'" + text
    return text


def show(value: Any) -> str:
    """A cell as people read it: None is 'n/a', never 0; floats without noise."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:,.2f}".rstrip("0")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Column:
    """A column: the record key, its header, how to show a cell, and its alignment."""

    key: str
    header: str
    display: Callable[[dict[str, Any]], str] | None = None
    numeric: bool = False
    max_width: int | None = None
    no_wrap: bool = False

    def cell(self, record: dict[str, Any]) -> str:
        """The text shown in a table or Markdown cell."""
        return self.display(record) if self.display else show(record.get(self.key))


@dataclass
class Section:
    """One table of a document."""

    title: str | None
    columns: Sequence[Column]
    records: list[dict[str, Any]]


@dataclass
class Document:
    """What a command prints: tables and sentences for people, flat records for CSV, data for JSON."""

    sections: list[Section]
    data: Any
    sentences: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    csv_records: list[dict[str, Any]] | None = None


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
    """Plain CSV of the document's flat records, with a header even when there are none."""
    records = doc.csv_records if doc.csv_records is not None else (doc.sections[0].records if doc.sections else [])
    keys: list[str] = []
    for section in doc.sections[:1] if doc.csv_records is None else []:
        keys = [c.key for c in section.columns]
    for record in records:
        keys.extend(k for k in record if k not in keys and not k.startswith("_"))  # '_' keys are for display
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _csv_value(record.get(k)) for k in keys})
    return buffer.getvalue()


def to_json(doc: Document) -> str:
    """The library's result as JSON data."""
    return json.dumps(doc.data, indent=2, ensure_ascii=False) + "\n"


def md_text(text: str) -> str:
    """Text for Markdown: control characters removed and HTML escaped, so a title cannot inject markup."""
    text = _ENTITY.sub(r"&amp;\1", clean(text))  # an '&' that would start an entity; a plain '&' stays
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _md_cell(text: str) -> str:
    return md_text(text).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document) -> str:
    """GitHub-flavoured Markdown tables, sentences as a list, footnotes last."""
    out: list[str] = []
    for section in doc.sections:
        if section.title:
            out.append(f"### {md_text(section.title)}\n")
        out.append("| " + " | ".join(_md_cell(c.header) for c in section.columns) + " |")
        out.append("|" + "|".join("---:" if c.numeric else "---" for c in section.columns) + "|")
        for record in section.records:
            out.append("| " + " | ".join(_md_cell(c.cell(record)) for c in section.columns) + " |")
        out.append("")
    if doc.sentences:
        out.extend(f"- {md_text(s)}" for s in doc.sentences)
        out.append("")
    if doc.footnotes:
        out.extend(f"{md_text(n)}  " for n in doc.footnotes)
        out.append("")
    return "\n".join(out)


def to_table(doc: Document, width: int | None = None, color: bool = False) -> str:
    """Rich tables for a terminal, sentences and footnotes under them."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
        emoji=False,
        markup=False,
    )
    for section in doc.sections:
        table = Table(title=clean(section.title or "") or None, title_justify="left", show_lines=False)
        for column in section.columns:
            if column.max_width:
                table.add_column(clean(column.header), max_width=column.max_width, no_wrap=True, overflow="ellipsis")
            else:
                whole = column.no_wrap or column.numeric  # numbers and codes are never cut
                widest = max((len(column.cell(r)) for r in section.records), default=0) if whole else None
                widest = min(widest, 24) if widest and not column.numeric else widest
                table.add_column(
                    clean(column.header),
                    justify="right" if column.numeric else "left",
                    overflow="fold",
                    no_wrap=whole,
                    min_width=widest or None,
                )
        for record in section.records:
            table.add_row(*(Text(clean(column.cell(record))) for column in section.columns))
        console.print(table)
    for sentence in doc.sentences:
        console.print(Text(clean(sentence)))
    if doc.footnotes:
        console.print()
        for note in doc.footnotes:
            console.print(Text(clean(note), style="dim"))
    return buffer.getvalue()


def render(doc: Document, fmt: str, stream: IO[str], width: int | None = None, color: bool = False) -> None:
    """Write `doc` to `stream` in one of FORMATS."""
    if fmt == "csv":
        stream.write(to_csv(doc))
    elif fmt == "json":
        stream.write(to_json(doc))
    elif fmt == "markdown":
        stream.write(to_markdown(doc))
    else:
        stream.write(to_table(doc, width=width, color=color))


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
        out.append("<thead><tr>" + "".join(f"<th>{escape(c.header)}</th>" for c in section.columns) + "</tr></thead>")
        out.append("<tbody>")
        for record in section.records:
            cells = "".join(
                f'<td class="num">{escape(c.cell(record))}</td>' if c.numeric else f"<td>{escape(c.cell(record))}</td>"
                for c in section.columns
            )
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
    if doc.sentences:
        out.append("<ul>" + "".join(f"<li>{escape(s)}</li>" for s in doc.sentences) + "</ul>")
    if doc.footnotes:
        out.append('<p class="note">' + "<br>".join(escape(n) for n in doc.footnotes) + "</p>")
    return "\n".join(out)


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    """A small trend in block characters; a missing value is a '·', never a low bar."""
    known = [v for v in values if v is not None]
    if not known:
        return "·" * len(values)
    low, high = min(known), max(known)
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append("·")
        else:
            out.append(SPARKS[3] if span == 0 else SPARKS[round((v - low) / span * (len(SPARKS) - 1))])
    return "".join(out)
