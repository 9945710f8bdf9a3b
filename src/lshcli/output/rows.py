"""Table rows as types: one frozen dataclass per row of a result.

CSV writes a row's fields in their declared order, each rounded as its field declares (`percent()`: one decimal;
`share()`: two significant digits); JSON converts a row with one generic function (`as_data`); a table's columns
read its attributes, so the type checker catches a renamed field. A field made with `shown_only()` serves the
table alone (a mark beside a value) and is neither in CSV nor in JSON; an `optional()` field (the figures that
bind a bound) has its CSV column only where a row carries it; a `spread()` field (a definition's membership)
spreads over a column per name.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

DIGITS = "digits"
SIGNIFICANT = "significant"
SHOWN_ONLY = "shown_only"
OPTIONAL = "optional"
SPREAD = "spread"
CSV_ONLY = "csv_only"
NAME = "name"


def percent(default: float | None = None) -> Any:
    """A percentage: CSV gives it to one decimal, as the tables do (JSON keeps full precision)."""
    return dataclasses.field(default=default, metadata={DIGITS: 1})


def share(default: float | None = None) -> Any:
    """A share of the whole economy, often far below 1%: CSV gives two significant digits, as the sentences do."""
    return dataclasses.field(default=default, metadata={SIGNIFICANT: 2})


def shown_only(default: Any = "") -> Any:
    """A field for the table alone (a mark beside a value): neither in CSV nor in JSON."""
    return dataclasses.field(default=default, metadata={SHOWN_ONLY: True})


def optional(name: str | None = None) -> Any:
    """A field only some rows carry (the figures that bind a bound): CSV has its column only when a row has it;
    `name` names its column where Python cannot (`break`)."""
    return dataclasses.field(default=None, metadata={OPTIONAL: True, **({NAME: name} if name else {})})


def spread() -> Any:
    """A field of (name, value) pairs that CSV spreads over a column each (a definition's membership, by its id)."""
    return dataclasses.field(default=(), metadata={SPREAD: True})


def csv_only(default: Any = None) -> Any:
    """A field CSV repeats on every row (the table a fetch read) that JSON gives once, beside the rows."""
    return dataclasses.field(default=default, metadata={CSV_ONLY: True})


def named(name: str) -> Any:
    """A field whose column is not its Python name (`break`, a Python word)."""
    return dataclasses.field(metadata={NAME: name})


def _name(f: dataclasses.Field[Any]) -> str:
    return str(f.metadata.get(NAME, f.name))


def is_row(record: Any) -> bool:
    """Whether a record is a typed row (rather than a mapping)."""
    return dataclasses.is_dataclass(record) and not isinstance(record, type)


def field_names(row_type: Any, rows: Sequence[Any] = ()) -> list[str]:
    """The CSV columns of rows of a type: its fields in their declared order, an optional field only where a row
    carries it, a spread field as the names of its pairs (those of the first row)."""
    names: list[str] = []
    for f in dataclasses.fields(row_type):
        if f.metadata.get(SHOWN_ONLY):
            continue
        if f.metadata.get(SPREAD):
            names += [name for name, _ in getattr(rows[0], f.name)] if rows else []
        elif not f.metadata.get(OPTIONAL) or any(getattr(r, f.name) is not None for r in rows):
            names.append(_name(f))
    return names


def get(row: Any, key: str) -> Any:
    """A field of a row, or a name of a spread field's pairs (None where it has neither)."""
    if hasattr(row, key):
        return getattr(row, key)
    return next((v for f in _spread(row) for name, v in getattr(row, f) if name == key), None)


def _spread(row: Any) -> list[str]:
    return [f.name for f in dataclasses.fields(row) if f.metadata.get(SPREAD)]


def has(row: Any, key: str) -> bool:
    """Whether a row has a field of that name."""
    return key in {f.name for f in dataclasses.fields(row)}


def _rounded(field: dataclasses.Field[Any], value: Any) -> Any:
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    if DIGITS in field.metadata:
        return round(value, field.metadata[DIGITS])
    if SIGNIFICANT in field.metadata and value != 0:
        digits = field.metadata[SIGNIFICANT] - 1 - math.floor(math.log10(abs(value)))
        return round(value, max(0, digits))
    return value


def csv_values(row: Any) -> dict[str, Any]:
    """A row's fields as CSV writes them: declared order, each rounded as its field declares, a spread field's
    pairs each under its name."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(row):
        if f.metadata.get(SHOWN_ONLY):
            continue
        if f.metadata.get(SPREAD):
            values.update(getattr(row, f.name))
        else:
            values[_name(f)] = _rounded(f, getattr(row, f.name))
    return values


def as_data(value: Any) -> Any:
    """Rows (and what they hold) as JSON data: a row is an object of its fields in declared order, tuples are lists."""
    if is_row(value):
        return {
            _name(f): dict(getattr(value, f.name)) if f.metadata.get(SPREAD) else as_data(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.metadata.get(SHOWN_ONLY) and not f.metadata.get(CSV_ONLY)
        }
    if isinstance(value, dict):
        return {k: as_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_data(v) for v in value]
    return value
