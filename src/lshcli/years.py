"""Which years a question may ask for: a year that nothing stored holds and no CBS table can publish is an error
naming the years that exist. The command line and the facade ask the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from lshcli.errors import ConfigError, LshError, Msg, NotAvailableError
from lshcli.measures import Measure

if TYPE_CHECKING:
    from lshcli.cbs.tables import TableSpec
    from lshcli.store import Store

FIRST_YEAR, LAST_YEAR = 1000, 9999
"""The years a question accepts: any year of four digits (a year no figure covers is told as such, naming the years
that exist), so a range is never a typing error's billion years."""
MAX_SPAN = 200
"""The most years one range may cover."""


def year_argument(year: object, name: str = "year") -> int:
    """A year given to the library: a whole number of four digits (not text, not a bool), else one sentence."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ConfigError("{name} must be a whole number such as 2016, not {year!r}", name=name, year=year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ConfigError(
            "{name} must be a year from {FIRST_YEAR} to {LAST_YEAR}, not {year}",
            name=name,
            FIRST_YEAR=FIRST_YEAR,
            LAST_YEAR=LAST_YEAR,
            year=year,
        )
    return year


def stored_years(store: Store, measure: Measure) -> list[int]:
    """The years the store holds figures of a measure in, in either classification."""
    return sorted({y for name in ("sbi2008", "sbi2025") for y in store.years(measure.name, name)})


def table_spans(measure: Measure, specs: Sequence[TableSpec]) -> list[tuple[str, int, int]]:
    """Each CBS table's span of years for a measure: (table, first, last)."""
    return [
        (spec.id, spec.first_year, spec.last_year or date.today().year)
        for spec in specs
        if measure.name in spec.measures and spec.first_year is not None
    ]


def check_years(store: Store, years: Sequence[int], measure: Measure, *others: Measure) -> None:
    """A year that nothing stored holds and no CBS table can publish, for any of the measures, is an error naming
    the years that exist (of the first measure). The store is asked first; the table specs are read only when no
    asked year is stored."""
    if not years:
        return
    measures = (measure, *others)
    stored = {m.name: stored_years(store, m) for m in measures}
    if any(y in stored[m.name] for m in measures for y in years):
        return
    from lshcli.cbs.tables import TableRegistry

    try:
        specs = TableRegistry().all()
    except LshError:
        specs = []
    spans = {m.name: table_spans(m, specs) for m in measures}
    if any(first <= y <= last for m in measures for _, first, last in spans[m.name] for y in years):
        return
    asked = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    label, held = Msg(measure.label), spans_text(stored[measure.name])
    tables = "; ".join(f"{t} {first}-{last}" for t, first, last in spans[measure.name])
    if tables and held:
        raise NotAvailableError(
            "no {label} figures exist for {asked}: the store holds {held}, and CBS publishes {tables}",
            label=label,
            asked=asked,
            held=held,
            tables=tables,
        )
    if tables:
        raise NotAvailableError(
            "no {label} figures exist for {asked}: the store holds none, and CBS publishes {tables}",
            label=label,
            asked=asked,
            tables=tables,
        )
    if held:
        raise NotAvailableError(
            "no {label} figures exist for {asked}: the store holds {held}", label=label, asked=asked, held=held
        )
    raise NotAvailableError("no {label} figures exist for {asked}: the store holds none", label=label, asked=asked)


def spans_text(years: Sequence[int]) -> str:
    """'2010, 2015-2016, 2019' for a list of years."""
    parts: list[str] = []
    for y in sorted(years):
        if parts and parts[-1].split("-")[-1] == str(y - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{y}"
        else:
            parts.append(str(y))
    return ", ".join(parts)
