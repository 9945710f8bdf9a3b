"""Table rows as types: one frozen struct (`Row`) per row of a result.

CSV writes a row's fields in their declared order, each rounded as its annotation marks it (`Percent`: one
decimal; `Share`: two significant digits); JSON converts a row with one generic function (`as_data`); a table's
columns read its attributes, so the type checker catches a renamed field. A `ShownOnly` field serves the table
alone (a mark beside a value) and is neither in CSV nor in JSON; a `Sometimes` field (the figures that bind a
bound) has its CSV column only where a row carries it; a `Spread` field (a definition's membership) spreads over
a column per name; a `CsvOnly` field (the table a fetch read) is repeated by CSV on every row and given once by
JSON, beside the rows. `Named("break")` gives a column a name Python cannot.
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from msgspec import Struct

T = TypeVar("T")


class Row(Struct, frozen=True):
    """A typed row of a result; how CSV and JSON write each field is marked in its annotation."""


class Mark(Struct, frozen=True):
    """How CSV and JSON write a field: its rounding, whether it is shown only, carried only by some rows, spread
    over columns or repeated by CSV alone, and the name of its column."""

    digits: int | None = None
    significant: int | None = None
    shown_only: bool = False
    sometimes: bool = False
    spread: bool = False
    csv_only: bool = False
    name: str | None = None


PLAIN = Mark()
Percent = Annotated[float | None, Mark(digits=1)]
"""A percentage: CSV gives it to one decimal, as the tables do (JSON keeps full precision)."""
Share = Annotated[float | None, Mark(significant=2)]
"""A share of the whole economy, often far below 1%: CSV gives two significant digits, as the sentences do."""
ShownOnly = Annotated[T, Mark(shown_only=True)]
"""A field for the table alone (a mark beside a value): neither in CSV nor in JSON."""
Sometimes = Annotated[T, Mark(sometimes=True)]
"""A field only some rows carry (the figures that bind a bound): CSV has its column only when a row has it."""
Spread = Annotated[tuple[tuple[str, T], ...], Mark(spread=True)]
"""(name, value) pairs that CSV spreads over a column each (a definition's membership, by its id)."""
CsvOnly = Annotated[T, Mark(csv_only=True)]
"""A field CSV repeats on every row (the table a fetch read) that JSON gives once, beside the rows."""


def Named(name: str, sometimes: bool = False) -> Mark:  # noqa: N802 - read as a mark in an annotation
    """A field whose column is not its Python name (`break`, a Python word)."""
    return Mark(name=name, sometimes=sometimes)


@functools.cache
def _layout(row_type: Any) -> tuple[tuple[str, str, Mark], ...]:
    """A row type's fields in declared order, each with its column's name and its mark (read once per type)."""
    hints = typing.get_type_hints(row_type, include_extras=True)
    out = []
    for name in row_type.__struct_fields__:
        marks = [m for m in getattr(hints[name], "__metadata__", ()) if isinstance(m, Mark)]
        mark = marks[-1] if marks else PLAIN
        out.append((name, mark.name or name, mark))
    return tuple(out)


def is_row(record: Any) -> bool:
    """Whether a record is a typed row (rather than a mapping)."""
    return isinstance(record, Row)


def field_names(row_type: Any, rows: Sequence[Any] = ()) -> list[str]:
    """The CSV columns of rows of a type: its fields in their declared order, a field some rows carry only where a
    row carries it, a spread field as the names of its pairs (those of the first row)."""
    names: list[str] = []
    for name, column, mark in _layout(row_type):
        if mark.shown_only:
            continue
        if mark.spread:
            names += [pair for pair, _ in getattr(rows[0], name)] if rows else []
        elif not mark.sometimes or any(getattr(r, name) is not None for r in rows):
            names.append(column)
    return names


def get(row: Any, key: str) -> Any:
    """A field of a row, or a name of a spread field's pairs (None where it has neither)."""
    if hasattr(row, key):
        return getattr(row, key)
    spread = [name for name, _, mark in _layout(row.__class__) if mark.spread]
    return next((v for name in spread for pair, v in getattr(row, name) if pair == key), None)


def has(row: Any, key: str) -> bool:
    """Whether a row has a field of that name."""
    return key in type(row).__struct_fields__


def _rounded(mark: Mark, value: Any) -> Any:
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    if mark.digits is not None:
        return round(value, mark.digits)
    if mark.significant is not None and value != 0:
        digits = mark.significant - 1 - math.floor(math.log10(abs(value)))
        return round(value, max(0, digits))
    return value


def csv_values(row: Any) -> dict[str, Any]:
    """A row's fields as CSV writes them: declared order, each rounded as its field is marked, a spread field's
    pairs each under its name."""
    values: dict[str, Any] = {}
    for name, column, mark in _layout(row.__class__):
        if mark.shown_only:
            continue
        if mark.spread:
            values.update(getattr(row, name))
        else:
            values[column] = _rounded(mark, getattr(row, name))
    return values


def as_data(value: Any) -> Any:
    """Rows (and what they hold) as JSON data: a row is an object of its fields in declared order, tuples are lists."""
    if is_row(value):
        return {
            column: dict(getattr(value, name)) if mark.spread else as_data(getattr(value, name))
            for name, column, mark in _layout(value.__class__)
            if not mark.shown_only and not mark.csv_only
        }
    if isinstance(value, dict):
        return {k: as_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_data(v) for v in value]
    return value
