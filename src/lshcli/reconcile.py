"""`lsh reconcile`: published figures beside what lsh computes for the same codes and period, and why they differ.

Each published figure names a statistic, a set of SBI codes (or a study's own population) and a
period. lsh computes the same statistic from the store, leaving the figure itself out, so a figure
is checked against the others (its parts, a live CBS table, the whole it belongs to) and never
against itself. The reasons it gives, most likely first: the values agree, lie within a published
range, measure another statistic, refer to another period, differ by the published rounding, or
count other codes or firms; or there is no value, and the sentence says why.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from lshcli import packaged
from lshcli.cover import Coverage, MissingReason
from lshcli.definitions import DefinitionLibrary
from lshcli.errors import LshError, UnknownCodeError
from lshcli.measures import MEASURES, Measure
from lshcli.model import Observation, Reading, Value
from lshcli.query import Figurebook

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4]))?$")


@dataclass(frozen=True)
class Statistic:
    """How lsh computes a published statistic: a level, a change, a growth rate or a share of a definition."""

    kind: str
    measure: str
    differs: str = ""  # when the published statistic is not quite lsh's measure: how
    of: str = ""  # for a share: the definition it is a share of


STATISTICS = {
    "firms": Statistic("level", "firms"),
    "firms_250_plus": Statistic("level", "firms_250_plus"),
    "firms_under_250": Statistic("level", "firms_under_250"),
    "employee_jobs": Statistic("level", "employee_jobs"),
    "employee_jobs_december": Statistic("level", "employee_jobs"),
    "persons_employed": Statistic("level", "persons_employed_na"),
    "jobs_total": Statistic("level", "jobs_total"),
    "turnover": Statistic("level", "turnover"),
    "output": Statistic("level", "output"),
    "value_added": Statistic("level", "value_added"),
    "direct_jobs": Statistic(
        "level", "employee_jobs", "direct jobs as the study counts them, against CBS employee jobs in December"
    ),
    "persons_working": Statistic(
        "level", "employee_jobs", "persons working (self-employed included), against CBS employee jobs in December"
    ),
    "fte_change": Statistic("change", "employee_jobs", "full-time equivalents, against CBS employee jobs"),
    "gdp_direct": Statistic(
        "level", "value_added", "a direct GDP contribution as the study computes it, against gross value added"
    ),
    "growth_pct": Statistic("growth", "firms"),
    "employment_share": Statistic("share", "employee_jobs", of="pwc2017"),
    # where the national accounts' own statistic has no other figure, the nearest lsh holds: employee jobs
    "jobs_total_as_employee_jobs": Statistic(
        "level",
        "employee_jobs",
        "jobs of employees and self-employed over the year (national accounts), against CBS employee jobs in December",
    ),
    "persons_employed_as_employee_jobs": Statistic(
        "level",
        "employee_jobs",
        "persons employed over the year (national accounts), against CBS employee jobs in December",
    ),
}
FALLBACK = {"jobs_total": "jobs_total_as_employee_jobs", "persons_employed": "persons_employed_as_employee_jobs"}
"""The statistic to compute where a published statistic's own has no value: another statistic, said so."""


@dataclass(frozen=True)
class Published:
    """One published figure, as the reference list or the user's file gives it."""

    ref: str
    measure: str
    sbi: str
    period: str
    low: float | None
    high: float | None
    unit: str
    basis: str
    citation: str
    note: str
    origin: str


class Verdict(str, Enum):
    """Why a published figure and lsh's value agree or differ, or why there is no value to set beside it."""

    AGREES = "agrees"
    AGREES_AS_LOWER_BOUND = "agrees-as-lower-bound"
    PARTS_DISAGREE = "parts-disagree"
    """The published total contradicts the same publication's figures for its parts."""
    FROM_DISAGREEING_TOTAL = "from-disagreeing-total"
    """lsh's value is derived from a published total that contradicts its own parts."""
    WITHIN_RANGE = "within-range"
    OTHER_STATISTIC = "other-statistic"
    OTHER_PERIOD = "other-period"
    ROUNDING = "rounding"
    ESTIMATE = "estimate"
    OTHER_CODES = "other-codes"
    NOT_COMPARED = "not-compared"
    NO_STATISTIC = "no-statistic"
    NOT_SBI = "not-sbi"
    BAD_PERIOD = "bad-period"
    BAD_SPAN = "bad-span"
    ZERO_BASE = "zero-base"
    NO_VALUE = "no-value"


class GapKind(str, Enum):
    """Why codes have no value of their own in a reconciliation."""

    ONLY_WHOLE = "only-whole"
    """Firm counts: no other figure for the codes alone, only for a wider set as a whole."""
    NOT_AT_DEPTH = "not-at-depth"
    """The measure is published only for a wider code."""
    EMPTY_CELL = "empty-cell"
    NOT_STORED = "not-stored"


@dataclass(frozen=True)
class Gap:
    """Codes without a value of their own, why, and the wider figure's codes where there is one."""

    kind: GapKind
    codes: tuple[str, ...]
    wider: str = ""


@dataclass(frozen=True)
class Reason:
    """One reason, with what it rests on: the other periods used, the rounding step, the gaps, the value needed."""

    verdict: Verdict
    periods: tuple[str, ...] = ()
    step: float = 0.0
    gaps: tuple[Gap, ...] = ()
    only_own: bool = False
    """No value: the only figure stored for the codes is the published figure itself."""
    needed: tuple[str, str] | None = None
    """No value for a change, growth rate or share: the codes (or definition) and the period lacking."""
    needed_total: bool = False
    """What is needed is the definition's total (a share's base), not codes."""
    year: int = 0
    measure: str = ""
    text: str = ""
    """The period or code text the reason is about (a bad period, codes that are not SBI codes), the name of
    the statistic that is not quite lsh's measure (its `Statistic.differs` says how), or the reference id of a
    published total that contradicts its parts."""
    parts: tuple[str, ...] = ()
    """The reference ids of a publication's own figures for the parts of a total."""
    parts_sum: tuple[float, float] | None = None
    """What those parts add up to (low, high)."""


@dataclass
class Reconciled:
    """A published figure beside lsh's value for it, the difference, and the reasons (most likely first)."""

    figure: Published
    computed: float | None
    difference: float | None
    reasons: list[Reason]
    used: list[Observation] = field(default_factory=list)
    estimated: bool = False

    @property
    def verdict(self) -> Verdict | None:
        """The most likely reason."""
        return self.reasons[0].verdict if self.reasons else None


def _number(text: str | None) -> float | None:
    from lshcli.settings import plain_float

    text = (text or "").strip()
    return plain_float(text) if text else None


def read_figures(text: str, origin: str) -> list[Published]:
    """Published figures from CSV text with the reference list's columns (id or ref; source or citation)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    figures = []
    for number, row in enumerate(rows, start=2):
        ref = (row.get("ref") or row.get("id") or "").strip()
        if not ref or not (row.get("measure") or "").strip():
            raise LshError(
                "{origin}, line {number}: every figure needs an id (or ref) and a measure", origin=origin, number=number
            )
        try:
            low, high = _number(row.get("value_low")), _number(row.get("value_high"))
        except ValueError:
            raise LshError(
                "{origin}, line {number}: value_low and value_high must be numbers", origin=origin, number=number
            ) from None
        if any(v is not None and not abs(v) <= 1e15 for v in (low, high)):  # inf and nan fail the test too
            raise LshError(
                "{origin}, line {number}: value_low and value_high must be figures, at most 1e15",
                origin=origin,
                number=number,
            )
        figures.append(
            Published(
                ref=ref,
                measure=row["measure"].strip(),
                sbi=(row.get("sbi") or "").strip(),
                period=(row.get("period") or "").strip(),
                low=low,
                high=high,
                unit=(row.get("unit") or "").strip(),
                basis=(row.get("basis") or "").strip(),
                citation=(row.get("citation") or row.get("source") or "").strip(),
                note=(row.get("note") or "").strip(),
                origin=origin,
            )
        )
    return figures


def bundled_figures() -> list[Published]:
    """The reference figures that ship with lsh."""
    text = packaged.path("data/reference.csv").read_text(encoding="utf-8")
    return read_figures(text, "bundled reference figures")


def file_figures(path: Path) -> list[Published]:
    """A user's own file of published figures."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LshError("cannot read {path}: {value}", path=path, value=exc.strerror or exc) from None
    return read_figures(text, str(path))


class Reconciler:
    """Computes each published figure's statistic from the store, leaving the figure itself out."""

    def __init__(self, book: Figurebook, library: DefinitionLibrary, figures: Sequence[Published] = ()) -> None:
        self.book = book
        self.sbi = book.sbi
        self.library = library
        self.figures = {f.ref: f for f in figures}
        self._disagreeing: dict[str, Reason | None] = {}

    def parts_disagree(self, figure: Published) -> Reason | None:
        """Where a published total contradicts the same publication's figures for its parts (same statistic,
        basis and period, codes that split the total's exactly), the reason, with what the parts add up to."""
        if figure.ref in self._disagreeing:
            return self._disagreeing[figure.ref]
        found = None
        codes = self.codes(figure.sbi)
        if codes and figure.low is not None:
            whole = self.sbi.leaves_of(codes)
            candidates = []
            for other in self.figures.values():
                if (
                    other.ref == figure.ref
                    or other.measure != figure.measure
                    or other.basis != figure.basis
                    or other.period != figure.period
                    or other.low is None
                ):
                    continue
                own = self.codes(other.sbi)
                leaves = self.sbi.leaves_of(own) if own else frozenset()
                if leaves and leaves < whole:
                    candidates.append((leaves, other))
            chosen, covered = [], frozenset[str]()
            for leaves, other in sorted(candidates, key=lambda c: -len(c[0])):
                if not leaves & covered:
                    chosen.append(other)
                    covered |= leaves
            if covered == whole and len(chosen) > 1:
                low = sum(o.low for o in chosen if o.low is not None)
                high = sum(o.high if o.high is not None else o.low for o in chosen if o.low is not None)
                top = figure.high if figure.high is not None else figure.low
                if top < low or figure.low > high:
                    refs = tuple(o.ref for o in sorted(chosen, key=lambda o: o.ref))
                    found = Reason(Verdict.PARTS_DISAGREE, parts=refs, parts_sum=(low, high))
        self._disagreeing[figure.ref] = found
        return found

    def _from_disagreeing(self, used: Sequence[Observation]) -> Reason | None:
        """Where lsh's value rests on a published total that contradicts its parts: that total's reason."""
        for obs in used:
            total = self.figures.get(obs.ref or "")
            if obs.source.kind == "snapshot" and total is not None and (why := self.parts_disagree(total)):
                return Reason(Verdict.FROM_DISAGREEING_TOTAL, text=total.ref, parts=why.parts, parts_sum=why.parts_sum)
        return None

    def codes(self, text: str) -> list[str] | None:
        try:
            return [self.sbi.parse(part) for part in text.split("+")] if text else None
        except UnknownCodeError:
            return None

    def value(
        self, figure: Published, measure: Measure, codes: Sequence[str], period: str
    ) -> tuple[Value | None, Coverage | None, Reason | None]:
        """lsh's value of a measure on codes in a period ('2016', '2016Q1'), without the figure itself."""
        match = _PERIOD.match(period)
        if not match:
            return None, None, Reason(Verdict.BAD_PERIOD, text=period)
        year, quarter = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        leaves = self.sbi.leaves_of(codes)
        stored = self.book.read(measure, [year], leaves)
        observations = [o for o in stored if not (o.ref == figure.ref and o.source.kind == "snapshot")]
        reading = Reading(quarter=quarter if measure.quarterly else None, estimate=self.book.reading.estimate)
        figures = self.book.reading_as(reading).figures(measure, year, leaves, observations)
        coverage = figures.cover(leaves, list(codes))
        if coverage.available:
            return coverage.value, coverage, None
        own = any(o.ref == figure.ref for o in stored)
        return None, coverage, self._why(coverage, measure, year, own)

    @staticmethod
    def _why(coverage: Coverage, measure: Measure, year: int, own: bool) -> Reason:
        gaps = []
        for m in coverage.missing:
            if m.coarser and not measure.estimable:  # firm counts exist for every code: only this one is stored
                gaps.append(Gap(GapKind.ONLY_WHOLE, m.codes, m.wider[0].sbi_label))
            elif m.coarser:
                gaps.append(Gap(GapKind.NOT_AT_DEPTH, m.codes, m.wider[0].sbi_label))
            elif m.reason is MissingReason.CELL_MISSING:
                gaps.append(Gap(GapKind.EMPTY_CELL, m.codes))
            else:
                gaps.append(Gap(GapKind.NOT_STORED, m.codes))
        only_own = own and bool(gaps) and all(g.kind is GapKind.NOT_STORED for g in gaps)
        return Reason(Verdict.NO_VALUE, gaps=tuple(gaps), only_own=only_own, year=year, measure=measure.name)

    def reconcile(self, figure: Published) -> Reconciled:
        statistic = STATISTICS.get(figure.measure)
        if statistic is None:
            return Reconciled(figure, None, None, [Reason(Verdict.NO_STATISTIC, text=figure.measure)])
        codes = self.codes(figure.sbi)
        if codes is None:
            return Reconciled(figure, None, None, [Reason(Verdict.NOT_SBI, text=figure.sbi)])
        key = figure.measure
        computed, used, why, estimated = self._computed(figure, statistic, codes)
        if computed is None and (fallback := FALLBACK.get(key)):
            found = self._computed(figure, STATISTICS[fallback], codes)
            if found[0] is not None:
                key, statistic = fallback, STATISTICS[fallback]
                computed, used, why, estimated = found
        if computed is None:
            return Reconciled(figure, None, None, [why or Reason(Verdict.NO_VALUE)])
        computed = round(computed, 6)  # no float noise: published figures have few decimals
        difference = _difference(figure, computed)
        difference = None if difference is None else round(difference, 6)
        reasons = self._reasons(figure, statistic, key, computed, used, estimated)
        if difference:  # a difference that a published total's own contradiction explains is said first
            first = self.parts_disagree(figure) or self._from_disagreeing(used)
            reasons = [first, *(r for r in reasons if r.verdict is not Verdict.OTHER_CODES)] if first else reasons
        return Reconciled(figure, computed, difference, reasons, used, estimated)

    def _computed(
        self, figure: Published, statistic: Statistic, codes: list[str]
    ) -> tuple[float | None, list[Observation], Reason | None, bool]:
        """lsh's value of a statistic for a figure, the figures it rests on, why there is none, and whether it is
        partly estimated."""
        measure = MEASURES[statistic.measure]
        scale = 1000.0 if measure.unit.startswith("x 1 000") and not figure.unit.startswith("x 1 000") else 1.0
        if statistic.kind != "level":
            return self._derived(figure, statistic, measure, codes, scale)
        value, coverage, why = self.value(figure, measure, codes, figure.period)
        computed = None if value is None or not value.is_point else value.low * scale
        used = list(coverage.resting_on) if coverage and coverage.available else []
        return computed, used, why, bool(coverage and coverage.estimated)

    def _derived(
        self, figure: Published, statistic: Statistic, measure: Measure, codes: list[str], scale: float
    ) -> tuple[float | None, list[Observation], Reason | None, bool]:
        """A change, growth rate or share, from two values lsh computes."""
        if statistic.kind == "share":
            whole_codes = self.library.get(statistic.of).code_list
            periods = (figure.period, figure.period)
            pairs = [(codes, figure.period), (whole_codes, figure.period)]
        else:
            periods_found = figure.period.split("-")
            if len(periods_found) != 2:
                return None, [], Reason(Verdict.BAD_SPAN, text=figure.period), False
            periods = (periods_found[0], periods_found[1])
            pairs = [(codes, periods[0]), (codes, periods[1])]
        values: list[float] = []
        used: list[Observation] = []
        estimated = False
        for these, period in pairs:
            value, coverage, why = self.value(figure, measure, these, period)
            if value is None or not value.is_point or coverage is None:
                label = statistic.of if these is not codes else "+".join(codes)
                why = why or Reason(Verdict.NO_VALUE)
                return (
                    None,
                    [],
                    dataclasses.replace(why, needed=(label, period), needed_total=these is not codes),
                    False,
                )
            values.append(value.low)
            used += coverage.resting_on
            estimated = estimated or coverage.estimated
        first, second = values
        if statistic.kind == "change":
            return (second - first) * scale, used, None, estimated
        if first == 0:
            return None, [], Reason(Verdict.ZERO_BASE, text=periods[0]), False
        if statistic.kind == "growth":
            return 100.0 * (second / first - 1.0), used, None, estimated
        return 100.0 * first / second, used, None, estimated

    @staticmethod
    def _reasons(
        figure: Published,
        statistic: Statistic,
        key: str,
        computed: float,
        used: Sequence[Observation],
        estimated: bool,
    ) -> list[Reason]:
        reasons: list[Reason] = []
        low, high = figure.low, figure.high
        if low is None:
            return [Reason(Verdict.NOT_COMPARED)]
        close = abs(computed - low) < 1e-6 * max(1.0, abs(low))
        if high is None:
            if computed >= low:
                reasons.append(Reason(Verdict.AGREES_AS_LOWER_BOUND))
        elif low == high and close:
            reasons.append(Reason(Verdict.AGREES))
        elif low != high and low <= computed <= high:
            reasons.append(Reason(Verdict.WITHIN_RANGE))
        step = _rounding_step(low)
        if step and abs(computed - low) <= step / 2 and not close:  # agreeing within the published rounding comes first
            reasons.append(Reason(Verdict.ROUNDING, step=step))
        if statistic.differs:
            reasons.append(Reason(Verdict.OTHER_STATISTIC, text=key))
        match = _PERIOD.match(figure.period)
        if match and used:
            other = sorted({o.period for o in used if o.period != figure.period})
            if other:
                reasons.append(Reason(Verdict.OTHER_PERIOD, periods=tuple(other)))
        if estimated:
            reasons.append(Reason(Verdict.ESTIMATE))
        if not reasons:
            reasons.append(Reason(Verdict.OTHER_CODES))
        return reasons


def _difference(figure: Published, computed: float) -> float | None:
    """Published minus computed; for a range, the distance to its nearer bound (0 inside it)."""
    if figure.low is None:
        return None
    if figure.high is None or figure.high == figure.low:
        return figure.low - computed
    if figure.low <= computed <= figure.high:
        return 0.0
    return (figure.low if computed < figure.low else figure.high) - computed


def _rounding_step(value: float) -> float:
    """The step a published whole number looks rounded to: 13000 -> 1000, 2000 -> 1000, 3075 -> 0 (none)."""
    number = abs(value)
    if number == 0 or not float(number).is_integer():
        return 0.0
    step = 1.0
    while number % (step * 10) == 0 and step < number:
        step *= 10
    return step if step >= 10 else 0.0


def reconcile_all(
    book: Figurebook,
    figures: Sequence[Published],
    library: DefinitionLibrary,
    known: Sequence[Published] | None = None,
) -> list[Reconciled]:
    """Every figure beside lsh's value for it (estimates where the book reads with them); `known` are all the
    published figures a figure may be checked against (its publication's parts), `figures` when not given."""
    reconciler = Reconciler(book, library, figures if known is None else known)
    return [reconciler.reconcile(f) for f in figures]
