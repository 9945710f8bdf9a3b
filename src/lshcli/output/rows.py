"""Table rows as types: one frozen dataclass per row of a result.

CSV writes a row's fields in their declared order, each rounded as its field declares (`percent()`: one decimal;
`share()`: two significant digits); JSON converts a row with one generic function (`as_data`); a table's columns
read its attributes, so the type checker catches a renamed field. A field made with `shown_only()` serves the
table alone (a mark beside a value) and is neither in CSV nor in JSON.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

DIGITS = "digits"
SIGNIFICANT = "significant"
SHOWN_ONLY = "shown_only"


def percent(default: float | None = None) -> Any:
    """A percentage: CSV gives it to one decimal, as the tables do (JSON keeps full precision)."""
    return dataclasses.field(default=default, metadata={DIGITS: 1})


def share(default: float | None = None) -> Any:
    """A share of the whole economy, often far below 1%: CSV gives two significant digits, as the sentences do."""
    return dataclasses.field(default=default, metadata={SIGNIFICANT: 2})


def shown_only(default: Any = "") -> Any:
    """A field for the table alone (a mark beside a value): neither in CSV nor in JSON."""
    return dataclasses.field(default=default, metadata={SHOWN_ONLY: True})


def is_row(record: Any) -> bool:
    """Whether a record is a typed row (rather than a mapping)."""
    return dataclasses.is_dataclass(record) and not isinstance(record, type)


def field_names(row_type: Any) -> list[str]:
    """The fields a row type writes to CSV and JSON, in their declared order."""
    return [f.name for f in dataclasses.fields(row_type) if not f.metadata.get(SHOWN_ONLY)]


def get(record: Any, key: str) -> Any:
    """A field of a row, or a key of a mapping (None where it has none)."""
    if is_row(record):
        return getattr(record, key, None)
    return record.get(key)


def has(record: Any, key: str) -> bool:
    """Whether a row or a mapping carries a field."""
    if is_row(record):
        return key in {f.name for f in dataclasses.fields(record)}
    return key in record


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
    """A row's fields as CSV writes them: declared order, each rounded as its field declares."""
    return {
        f.name: _rounded(f, getattr(row, f.name)) for f in dataclasses.fields(row) if not f.metadata.get(SHOWN_ONLY)
    }


def as_data(value: Any) -> Any:
    """Rows (and what they hold) as JSON data: a row is an object of its fields in declared order, tuples are lists."""
    if is_row(value):
        return {
            f.name: as_data(getattr(value, f.name)) for f in dataclasses.fields(value) if not f.metadata.get(SHOWN_ONLY)
        }
    if isinstance(value, dict):
        return {k: as_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_data(v) for v in value]
    return value
