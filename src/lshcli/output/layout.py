"""Tables that fit any terminal from 60 columns up: no column disappears and no code, number or year breaks.

Cells are wrapped here, not by the terminal library: a line breaks only at a space, or after a '+' of a
code set ('26.60+' / '32.50') or a '/' of a path, so every code, number, year, id and unit stays whole.
Empty columns are dropped; titles and other long text columns with a `max_width` are shortened with an
ellipsis; the remaining width goes first to the columns that hold whole tokens. Where even the narrowest
layout does not fit, the section is stacked: one block per record, a line per column.
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct

from lshcli.output.document import Column, Section, clean, shown_columns

BORDER = 3
"""What each column costs beside its text in a boxed table: a space each side and a rule."""


class Fitted(Struct, frozen=True):
    """A section laid out for a width: the columns kept, their widths and the wrapped cells (None: stacked)."""

    columns: tuple[Column[Any], ...]
    widths: tuple[int, ...] | None
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def pieces(word: str) -> list[str]:
    """A word split where it may break: after a '+' or '/' that joins two parts ('26.60+32.50' -> '26.60+',
    '32.50'); a leading sign stays with its number ('+39.8%')."""
    found: list[str] = []
    current = ""
    for char in word:
        current += char
        if char in "+/" and current.strip("+-/"):
            found.append(current)
            current = ""
    if current:
        found.append(current)
    return found or [word]


def wrap(text: str, width: int) -> str:
    """Text in lines of at most `width`, broken only at spaces or after '+' and '/'; a piece longer than the
    width stands alone on its line (the layout never gives a column less than its longest piece)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if len(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            for part in pieces(word):
                if len(line) + len(part) <= width:
                    line += part
                else:
                    if line:
                        lines.append(line)
                    line = part
        lines.append(line)
    return "\n".join(lines)


def shorten(text: str, width: int) -> str:
    """One line of at most `width`, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    cut = flat[: max(1, width - 1)]
    at_word = cut.rsplit(" ", 1)[0] if " " in cut else cut
    if len(at_word) >= width // 2:  # cut at a word, so no number or code is cut in two
        cut = at_word
    return cut.rstrip(" ,;:(") + "…"


def _longest_piece(text: str) -> int:
    return max((len(p) for word in text.split() for p in pieces(word)), default=0)


def fit(section: Section[Any], width: int) -> Fitted:
    """The section's columns and wrapped cells for a table of at most `width` characters."""
    columns = shown_columns(section)
    texts = [[clean(c.cell(r)) for c in columns] for r in section.records]
    headers = [clean(c.header) for c in columns]
    natural, least = [], []
    for j, column in enumerate(columns):
        values = [row[j] for row in texts]
        longest_line = max((len(line) for v in values for line in v.split("\n")), default=0)
        head = _longest_piece(headers[j])
        if column.max_width:
            natural.append(max(min(longest_line, column.max_width), head))
            least.append(max(min(10, longest_line), head))
        else:
            token = max((_longest_piece(v) for v in values), default=0)
            wanted = max(longest_line, len(headers[j]), head)
            natural.append(max(min(wanted, column.wrap_at), head) if column.wrap_at else wanted)
            if column.numeric:  # a value, an interval or a range stays on one line
                token = longest_line
            whole = column.no_wrap or column.numeric
            least.append(max(token if whole else min(token, 16), head, 1))
    budget = width - (BORDER * len(columns) + 1)
    if sum(least) > budget or not columns:
        return Fitted(tuple(columns), None, tuple(headers), tuple(tuple(row) for row in texts))
    widths = list(least)
    spare = budget - sum(widths)
    # whole-token columns first (codes, numbers), then text columns, each up to its natural width
    for group in ([j for j, c in enumerate(columns) if c.no_wrap or c.numeric], list(range(len(columns)))):
        for j in group:
            grow = min(spare, natural[j] - widths[j])
            if grow > 0:
                widths[j] += grow
                spare -= grow
    rows = []
    for row in texts:
        shaped = []
        for j, column in enumerate(columns):
            value = row[j]
            if column.max_width:
                shaped.append(shorten(value, widths[j]))
            else:
                shaped.append(wrap(value, widths[j]))
        rows.append(tuple(shaped))
    wrapped_headers = tuple(wrap(h, widths[j]) for j, h in enumerate(headers))
    return Fitted(tuple(columns), tuple(widths), wrapped_headers, tuple(rows))


def stacked(fitted: Fitted, width: int) -> str:
    """A section too wide for the terminal as blocks: a record per block, 'header: value' a line."""
    label = max((len(h) for h in fitted.headers), default=0)
    label = min(label, max(10, width // 3))
    blocks = []
    for row in fitted.rows:
        lines = []
        for header, value in zip(fitted.headers, row, strict=True):
            if not value.strip():
                continue
            name = shorten(header, label).ljust(label)
            body = wrap(value, max(20, width - label - 2)).split("\n")
            lines.append(f"{name}  {body[0]}")
            lines += [" " * (label + 2) + more for more in body[1:]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
