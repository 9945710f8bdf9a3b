"""Tables drawn by lsh itself, where the terminal library would draw exactly the same text.

`lshcli.output.layout` already fits every table: each column's width, each cell's lines, no line wider than its
column. What is left is to draw the boxes, pad the cells and wrap the sentences under them. For that, the terminal
library (rich) costs a quick command such as `lsh compare topsector pwc2017` about a fifth of its time: some 15 ms
to import and 5 to 10 ms for its first table. So lsh draws the text itself when everything in it is of the kind
lsh writes: characters one column wide each, a known width, and no terminal that rich treats in its own way.
Anything else returns None and is drawn by rich (`formats.to_table`).

The output is rich's, character for character, escape codes included: the rules below are the ones rich applies
to lsh's tables (its heavy-headed box, a space of padding either side of a cell, headers bold and aligned to the
bottom, titles italic and padded to the table's width, footnotes dim, text wrapped at a space). The tests draw
thousands of generated documents both ways and compare them, so a change in rich shows there.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from lshcli.output.document import Document, Section, clean
from lshcli.output.layout import BORDER, Fitted, stacked

OTHER = re.compile(
    r"[^\n\x20-\x7e\xa1-\xac\xae-\u02ff"  # printable ASCII, Latin letters and signs (not the soft hyphen)
    r"\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2190-\u21ff\u2500-\u259f]"  # dashes, quotes, currencies, arrows, boxes
)
"""A character outside those lsh draws itself: a control character, a tab, a mark that joins the character
before it, a character two columns wide, a space of another width. The tests check that rich gives each character
lsh does draw a width of one column."""

_WORD = re.compile(r"\s*\S+\s*")
"""A word as rich wraps text: any space before it, the word, any space after it."""
_TRAILING = re.compile(r"\s+$")

BOLD, ITALIC, DIM = "1", "3", "2"
"""The terminal's codes for the styles of rich's default theme that lsh's tables use: a table's header, its title,
the footnotes."""

_TOP = ("┏", "━", "┳", "┓")
_HEAD_RULE = ("┡", "━", "╇", "┩")
_BOTTOM = ("└", "─", "┴", "┘")
_HEAD_SIDE = "┃"
_BODY_SIDE = "│"


def drawn(doc: Document, fitted: Sequence[tuple[Section[Any], Fitted]], width: int, color: bool) -> str | None:
    """The document as rich would print it at `width` columns, with its sections fitted to that width; None where
    lsh leaves the drawing to rich."""
    if not _drawable(doc, fitted, width, color):
        return None
    style = _styler(color)
    out: list[str] = []
    for section, fit in fitted:
        if fit.widths is None:
            if section.title:
                out.extend(_wrapped(clean(section.title), width))
            out.extend(_wrapped(stacked(fit, width), width))
            continue
        out.extend(_table(clean(section.title or ""), fit, fit.widths, style))
    if doc.sentences:
        out.extend(_wrapped("\n".join(clean(sentence) for sentence in doc.sentences), width))
    if doc.notes:
        out.append("")
        out.extend(style(line, DIM) for line in _wrapped("\n".join(clean(note) for note in doc.notes), width))
    return "".join(line + "\n" for line in out)


def _drawable(doc: Document, fitted: Sequence[tuple[Section[Any], Fitted]], width: int, color: bool) -> bool:
    """Whether lsh draws this document itself: text of one-column characters, a width a table can have, a table
    that fits it, and where colors are asked for, a terminal whose styles rich writes as codes."""
    if width < 20 or sys.platform == "win32":  # rich draws a Windows console its own way
        return False
    if color and os.environ.get("TERM", "").lower() in ("dumb", "unknown"):  # rich writes no styles there
        return False
    texts = [*doc.sentences, *doc.notes]
    for section, fit in fitted:
        texts.append(section.title or "")
        texts.extend(fit.headers)
        texts.extend(cell for row in fit.rows for cell in row)
        if fit.widths is not None and _boxed(fit.widths) > width:
            return False
    return not any(OTHER.search(text) for text in texts)


Styler = Callable[[str, str], str]
"""Text in a style (a terminal's code), as the terminal is sent it."""


def _styler(color: bool) -> Styler:
    """Text in a style as a terminal is sent it; without colors, the text as it is."""
    if not color:
        return lambda text, code: text
    return lambda text, code: f"\x1b[{code}m{text}\x1b[0m" if text else text


def _boxed(widths: Sequence[int]) -> int:
    """The width of a boxed table of columns `widths` wide: each column's text, its padding and a rule, and the
    last rule."""
    return sum(widths) + BORDER * len(widths) + 1


def _rule(widths: Sequence[int], parts: tuple[str, str, str, str]) -> str:
    left, line, cross, right = parts
    return left + cross.join(line * (w + 2) for w in widths) + right


def _table(title: str, fit: Fitted, widths: tuple[int, ...], style: Styler) -> list[str]:
    """A boxed table's lines: the title, then the box with its header and rows."""
    inner = _boxed(widths)
    lines = [style(line.ljust(inner), ITALIC) for line in _wrapped(title, inner)] if title else []
    right = [column.numeric for column in fit.columns]
    lines.append(_rule(widths, _TOP))
    header = [_cell(text, w, r) for text, w, r in zip(fit.headers, widths, right, strict=True)]
    lines.extend(_row(header, widths, lambda text: style(text, BOLD), header=True))
    lines.append(_rule(widths, _HEAD_RULE))
    for row in fit.rows:
        cells = [_cell(text, w, r) for text, w, r in zip(row, widths, right, strict=True)]
        lines.extend(_row(cells, widths, lambda text: text, header=False))
    lines.append(_rule(widths, _BOTTOM))
    return lines


def _cell(text: str, width: int, right: bool) -> list[str]:
    """A cell's lines, each cut to its column's width and aligned in it (to the right: without its spaces there)."""
    if right:
        return [line.rstrip()[:width].rjust(width) for line in text.split("\n")]
    return [line[:width].ljust(width) for line in text.split("\n")]


def _row(cells: list[list[str]], widths: Sequence[int], style: Callable[[str], str], header: bool) -> list[str]:
    """A row's lines with its sides: each cell padded with a space either side; blank lines fill the shorter cells,
    below them in the body, above them in the header (rich aligns a header to the bottom)."""
    height = max(len(cell) for cell in cells)
    side = _HEAD_SIDE if header else _BODY_SIDE
    columns = []
    for cell, w in zip(cells, widths, strict=True):
        padded = [style(" ") + style(line) + style(" ") for line in cell]
        blank = [style(" " * (w + 2))] * (height - len(cell))
        columns.append(blank + padded if header else padded + blank)
    return [side + side.join(parts) + side for parts in zip(*columns, strict=True)]


def _wrapped(text: str, width: int) -> list[str]:
    """Text in lines of at most `width` columns, as rich wraps it: at the start of a word that no longer fits, a
    word longer than a line cut into lines of `width`, the spaces where a line breaks kept as far as they fit."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        breaks = _breaks(paragraph, width)
        for start, end in zip([0, *breaks], [*breaks, len(paragraph)], strict=True):
            line = paragraph[start:end]
            if len(line) > width:
                spaces = _TRAILING.search(line)
                if spaces is not None:
                    line = line[: len(line) - min(len(spaces.group(0)), len(line) - width)]
            lines.append(line[:width])
    return lines


def _breaks(text: str, width: int) -> list[int]:
    """Where a line of text breaks at `width` columns."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # cut the word into lines of `width`
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks
