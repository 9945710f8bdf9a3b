"""lsh: size the Dutch Life Sciences & Health sector by SBI definition, and explain every gap.

As a library::

    import lshcli
    book = lshcli.open()                    # the bundled snapshot plus the user's store
    result = book.compare("topsector", "pwc2017", measure="firms", year=2016)
    result.total_a.value, result.rows       # typed values, each with the figures it rests on
    result.to_dict()                        # the data of `lsh compare ... -f json`

Importing `lshcli` stays light: the facade (`lshcli.api`) is loaded by `open`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lshcli._version import __version__

if TYPE_CHECKING:
    from lshcli.api import Book


def open(  # noqa: A001 - lshcli.open() reads as opening the figures
    store: str | Path | None = None,
    *,
    snapshot: bool = True,
    definitions_dirs: tuple[str | Path, ...] = (),
    quarter: int | None = None,
    estimate: bool = False,
) -> Book:
    """The figures lsh sees: the user's store (or `store`, a file; ':memory:' for none), the bundled snapshot
    unless `snapshot=False`, and the bundled and the user's definitions (plus `definitions_dirs`)."""
    from lshcli.api import open_book

    return open_book(store, snapshot=snapshot, definitions_dirs=definitions_dirs, quarter=quarter, estimate=estimate)


__all__ = ["__version__", "open"]
