"""The domain values: a figure's value, where a figure comes from, one stored figure, and how to read the store."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from msgspec import Struct

SourceKind = Literal["snapshot", "cbs", "eurostat"]


class Value(Struct, frozen=True):
    """A number or a published range of numbers (low == high for a point)."""

    low: float
    high: float

    @property
    def is_point(self) -> bool:
        """True unless the source gave a range."""
        return self.low == self.high

    def __add__(self, other: Value) -> Value:
        return Value(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Value) -> Value:
        return Value(self.low - other.high, self.high - other.low)

    def __neg__(self) -> Value:
        return Value(-self.high, -self.low)

    def __abs__(self) -> Value:
        """The size of a difference, whichever its sign."""
        return self if self.low >= 0 else -self


ZERO = Value(0.0, 0.0)


def total(values: Iterable[Value]) -> Value:
    """The sum of values, ranges adding up bound by bound."""
    result = ZERO
    for value in values:
        result = result + value
    return result


def percent(part: Value | None, whole: Value | None) -> float | None:
    """`part` as a percentage of `whole`, for points only (None for a range, a missing value or a zero whole)."""
    if part is None or whole is None or not part.is_point or not whole.is_point or whole.low == 0:
        return None
    return 100.0 * part.low / whole.low


def format_number(number: float) -> str:
    """2090 -> '2,090'; 12.9 -> '12.9'; 13.26 -> '13.26'."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def format_value(value: Value | None) -> str:
    """A value for sentences and tables: '2,090', '180 to 200', or 'not available'."""
    if value is None:
        return "not available"
    if value.is_point:
        return format_number(value.low)
    return f"{format_number(value.low)} to {format_number(value.high)}"


class Source(Struct, frozen=True, dict=True):
    """Where an observation comes from: the bundled snapshot of published figures, or a CBS table."""

    kind: SourceKind
    citation: str
    cbs_table: str | None = None
    table_modified: str | None = None
    request: str | None = None
    retrieved_at: str | None = None

    @functools.cached_property
    def label(self) -> str:
        """A short name for tables: 'snapshot', 'CBS 81589NED (2020-11-19)' or 'Eurostat sbs_ovw_act (2026-08-01)'."""
        if self.kind == "snapshot":
            return "snapshot"
        version = f" ({self.table_modified[:10]})" if self.table_modified else ""
        return f"{'Eurostat' if self.kind == 'eurostat' else 'CBS'} {self.cbs_table}{version}"


@functools.lru_cache(maxsize=4096)
def _year_of(period: str) -> int:
    """A period's calendar year, one int for all the figures of a period."""
    return int(period[:4])


@dataclass(slots=True, unsafe_hash=True)
class Observation:
    """One stored figure: a measure on a set of SBI codes in a period, with its source.

    Read as immutable: nothing assigns to an observation once made, and its hash is that of its fields. It is not
    declared frozen because a frozen class's `__init__` sets each field through `object.__setattr__`, six times
    the cost of a plain one, and a count of a large definition makes a quarter of a million. Slots: a store of a
    whole table holds a million of them, each without a dict of its own.
    """

    measure: str
    sbi: tuple[str, ...]
    period: str
    value_low: float | None
    value_high: float | None
    unit: str
    status: str | None
    source: Source
    basis: str | None = None
    ref: str | None = None
    note: str | None = None
    classification: str = "sbi2008"
    """The classification its codes are in: a figure answers only for definitions of the same one."""
    year: int = field(init=False, compare=False, repr=False)
    """The calendar year of the period ('2016Q1' -> 2016), worked out once: a count asks it a million times."""
    sbi_label: str = field(init=False, compare=False, repr=False)
    """The code set as written in sources: '26.60+32.50'."""

    def __post_init__(self) -> None:
        self.year = _year_of(self.period)
        self.sbi_label = "+".join(self.sbi)

    @property
    def value(self) -> Value | None:
        """The figure, or None for a missing or secret cell, which lsh never reads as zero."""
        if self.value_low is None or self.value_high is None:
            return None
        return Value(self.value_low, self.value_high)

    @property
    def has_value(self) -> bool:
        """False for a missing or secret cell."""
        return self.value_low is not None and self.value_high is not None

    @property
    def cited(self) -> str:
        """The figure's short citation: 'snapshot F001', 'CBS 81589NED (2020-11-19) 81589NED/...'."""
        return f"{self.source.label} {self.ref or ''}".strip()


class Reading(Struct, frozen=True):
    """How to read the stored figures: which quarter stands for a year, and whether to estimate."""

    quarter: int | None = None
    estimate: bool = False
