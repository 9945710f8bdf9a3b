"""What every result of the library facade gives a notebook: a short repr, an HTML table, `to_frame()` and
`save()`; and how a repr shows a value."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from lshcli.errors import LshError
from lshcli.model import Value, format_value

if TYPE_CHECKING:
    from lshcli.output.document import Document
    from lshcli.output.words import Words


class Shown:
    """What every result gives a notebook: a short repr, an HTML table (`_repr_html_`), and `to_frame()`, the rows
    of `lsh ... -f csv` (values with their bounds) as a pandas DataFrame."""

    def document(self, words: Words | None = None) -> Document:
        """The result as the command line shows it, in the language of `words` (default English, without the
        command line's hints)."""
        raise NotImplementedError

    def _repr_html_(self) -> str:
        from lshcli.output.formats import to_html

        return to_html(self.document())

    def to_frame(self) -> Any:
        """The rows of the CSV output as a pandas DataFrame (pandas is imported here, and only here)."""
        try:
            import pandas as pd
        except ImportError:
            raise LshError("to_frame() needs pandas: pip install pandas (or pip install 'lsh[notebook]')") from None
        doc = self.document()
        records = doc.csv_records if doc.csv_records is not None else (doc.sections[0].records if doc.sections else [])
        from lshcli.output import rows

        return pd.DataFrame([rows.as_data(r) for r in records])

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the result to a file in the format its suffix names (.xlsx, .csv, .json, .md, .html, .txt), as
        `lsh ... -o FILE` writes it: whole or not at all, never over lsh's default store. Returns the path written."""
        from lshcli.output.files import write_whole
        from lshcli.output.formats import format_for, render_bytes
        from lshcli.store import default_path

        target = Path(path)
        try:
            fmt = format_for(None, str(target))
        except ValueError as exc:
            raise LshError(str(exc)) from None
        write_whole(render_bytes(self.document(), fmt), target, default_path())
        return target


def fields_of(result: Struct) -> dict[str, Any]:
    """A result's fields by name, to make the notebook's kind of it."""
    return {name: getattr(result, name) for name in result.__struct_fields__}


def shown_value(value: Any) -> str:
    """A value in a repr: '3,105', '2,290 to 3,255', or 'n/a'."""
    if value is None:
        return "n/a"
    return format_value(value)


def as_value(found: Any) -> Value | None:
    """A value or a bound as a Value (an open side shown as the side that is known)."""
    if found is None or isinstance(found, Value):
        return found
    low, high = getattr(found, "low", None), getattr(found, "high", None)
    if low is None and high is None:
        return None
    low = float(low) if low is not None else 0.0
    return Value(low, float(high) if high is not None else low)
