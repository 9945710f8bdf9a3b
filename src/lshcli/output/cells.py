"""Values as a table's cells show them, written by a language as they are made: '3,105' or '3.105', '180 to 200' or
'180 tot 200', '2,290 - 3,255', 'at least 12.9', '+67.3%', 'n/a' or 'n.b.'.

Machine formats keep their own text: a --wide CSV's cells are made in English (`ENGLISH`), a table's in the language
of its `Words`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from lshcli.model import Value
from lshcli.output.words import Words

if TYPE_CHECKING:
    from lshcli.cover import Coverage
    from lshcli.output.data import Side


class Shows(Protocol):
    """A row that carries a value (`data.Valued`): its sides, whether the figures only bound it, and its marks."""

    @property
    def value_low(self) -> float | None: ...
    @property
    def value_high(self) -> float | None: ...
    @property
    def bound(self) -> bool | None: ...
    @property
    def mark(self) -> str: ...


class Cells:
    """The cells of one language's tables."""

    def __init__(self, words: Words) -> None:
        self.words = words

    def na(self) -> str:
        """A value that cannot be computed: 'n/a', never 0."""
        return self.words._("n/a")

    def range(self, low: float | None, high: float | None, marks: str = "") -> str:
        """A value or a published range, with its marks: '3,105', '13.88 p', '180 to 200'."""
        if low is None or high is None:
            return self.na()
        return self.words.value(Value(low, high)) + (f" {marks}" if marks else "")

    def bound(self, low: float | None, high: float | None, signed: bool = False) -> str:
        """An interval the figures allow: '2,290 - 3,255', '-815 - +150' (`signed`), 'at least 12.9'."""
        number = self.words.number
        if low is not None and high is not None:
            return f"{number(low, signed)} - {number(high, signed)}"
        if low is not None:
            return self.words._("at least {value}", value=number(low, signed))
        if high is not None:
            return self.words._("at most {value}", value=number(high, signed))
        return self.na()

    def row(self, row: Shows, signed: bool = False) -> str:
        """A row's value: a value, a published range, or an interval the figures allow."""
        if row.bound:
            return self.bound(row.value_low, row.value_high, signed)
        return self.range(row.value_low, row.value_high, row.mark)

    def side(self, side: Side, signed: bool = False) -> str:
        """One value of a series row."""
        if side.bound:
            return self.bound(side.low, side.high, signed)
        return self.range(side.low, side.high, side.mark)

    def coverage(self, cov: Coverage) -> str:
        """A coverage's value."""
        from lshcli.output.data import valued

        v = valued(cov)
        if v["bound"]:
            return self.bound(v["value_low"], v["value_high"])
        return self.range(v["value_low"], v["value_high"], v["mark"])

    def signed(self, low: float | None, high: float | None) -> str:
        """A contribution to a gap, with its sign: '+2,090', '-1,940', '+12 to 40'."""
        if low is None or high is None:
            return self.na()
        text = self.range(low, high)
        return text if text.startswith("-") or (low == 0 and high == 0) else f"+{text}"

    def percent(self, value: float | None, signed: bool = True) -> str:
        """A percentage: '+67.3%' (or '99.2%' unsigned); '' where there is none."""
        return "" if value is None else self.words.percent(value, "+.1f" if signed else ".1f")

    def percents(self, low: float | None, high: float | None) -> str:
        """An interval of percentages the figures allow: '+12.0% - +40.0%'."""
        if low is None or high is None:
            return ""
        return f"{self.percent(low)} - {self.percent(high)}"

    def estimate(self, value: float | None) -> str:
        """An estimate: whole where it is 100 or more (its precision is not that of a count)."""
        if value is None:
            return ""
        return self.words.value(Value(round(value), round(value)) if abs(value) >= 100 else Value(value, value))

    def estimates(self, low: float | None, high: float | None) -> str:
        """An estimated interval, each side as `estimate` shows a point."""
        if low is None or high is None:
            return ""
        if abs(high - low) <= 1e-9 * max(1.0, abs(high)):
            return self.estimate(low)
        return f"{self.estimate(low)} - {self.estimate(high)}"


ENGLISH = Cells(Words())
"""The cells machine formats keep (a --wide CSV's), in English."""
