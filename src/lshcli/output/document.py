"""A document: tables (columns that say how to show a cell), sentences and footnotes; and safe text for them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from msgspec import Struct, field

from lshcli.model import format_number
from lshcli.output import rows

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
"""Control characters, and the bidirectional overrides and isolates that make a terminal show text in another
order than it is written."""
_MARKDOWN = re.compile(r"([\\`\[\]])|^(#)", re.MULTILINE)
"""What Markdown reads as markup in running text a user may have written: links and images (which need brackets),
code, and a heading at the start of a line. Emphasis and pipes lsh's own cells use, and the tables escape pipes."""
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
        return format_number(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value)
    return str(value)


def md_text(text: str) -> str:
    """Text for Markdown: control characters removed, HTML escaped and Markdown's own markup (links, images,
    headings, emphasis) escaped with a backslash, so a title cannot inject either."""
    text = _ENTITY.sub(r"&amp;\1", clean(text))  # an '&' that would start an entity; a plain '&' stays
    text = _MARKDOWN.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


R = TypeVar("R")


class Column(Struct, Generic[R], frozen=True):
    """A column: the field it shows, its header, how to show a cell of a row (a typed row, or a record), and its
    alignment."""

    key: str
    header: str
    display: Callable[[R], str] | None = None
    numeric: bool = False
    max_width: int | None = None
    no_wrap: bool = False
    wrap_at: int | None = None
    """The most width the column asks for where others need room: beyond it, its cells wrap (never shortened)."""

    def cell(self, record: R) -> str:
        """The text shown in a table or Markdown cell."""
        return self.display(record) if self.display else show(rows.get(record, self.key))


class Section(Struct, Generic[R]):
    """One table of a document: its columns read its rows (typed rows of `lshcli.output.rows`, or records)."""

    title: str | None
    columns: Sequence[Column[R]]
    records: Sequence[R]


def shown_columns(section: Section[Any]) -> list[Column[Any]]:
    """The columns that say something: those with a cell that is not empty (or '-'); every column of a table with
    no rows, so that its header still shows. Every format drops the same ones."""
    if not section.records:
        return list(section.columns)
    return [c for c in section.columns if any(clean(c.cell(r)).strip() not in ("", "-") for r in section.records)]


class Later:
    """Data made only when it is asked for (JSON's, which a table or CSV never needs)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


class Document(Struct):
    """What a command prints: tables and sentences for people, flat records for CSV, data for JSON."""

    sections: list[Section[Any]]
    data: Any
    """The data of JSON, or a `Later` that makes it (read it with `payload`)."""
    sentences: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    """Notes under the tables: the period convention first, then the legend of marks and the estimates."""
    sources: list[str] = field(default_factory=list)
    """The 'Sources:' footnote lines, printed last (a report lists them once, in its provenance section)."""
    csv_records: Sequence[Any] | None = None
    row_type: type | None = None
    """The type of the typed rows CSV writes: its fields are the header, also when there are no rows."""
    lang: str = "en"
    """The language its words are in ('en', 'nl'): a workbook's and an HTML page's own words follow it."""

    @property
    def notes(self) -> list[str]:
        """Every footnote line, sources last."""
        return [*self.footnotes, *self.sources]

    def payload(self) -> Any:
        """The data of JSON, made now if it was left for later."""
        if isinstance(self.data, Later):
            self.data = self.data.make()
        return self.data


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
