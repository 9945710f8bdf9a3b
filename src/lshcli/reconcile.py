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
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from lshcli.compare import figures_for
from lshcli.definitions import DefinitionLibrary
from lshcli.errors import LshError, UnknownCodeError
from lshcli.measures import MEASURES, Coverage, Measure, Reading, Value, format_number
from lshcli.sbi import Classification, classification
from lshcli.store import Observation, Store

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
    "employee_jobs": Statistic("level", "employee_jobs"),
    "employee_jobs_december": Statistic("level", "employee_jobs"),
    "persons_employed": Statistic("level", "persons_employed"),
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
}


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

    @property
    def value_text(self) -> str:
        if self.low is None:
            return "n/a"
        if self.high is None:
            return f"at least {format_number(self.low)}"
        if self.low == self.high:
            return format_number(self.low)
        return f"{format_number(self.low)} to {format_number(self.high)}"


@dataclass
class Reconciled:
    """A published figure beside lsh's value for it, the difference, and the reasons."""

    figure: Published
    computed: float | None
    difference: float | None
    reasons: list[str]
    used: list[Observation] = field(default_factory=list)
    estimated: bool = False

    @property
    def verdict(self) -> str:
        """The most likely reason, in a word or two."""
        return self.reasons[0].split(":")[0] if self.reasons else ""


def _number(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def read_figures(text: str, origin: str) -> list[Published]:
    """Published figures from CSV text with the reference list's columns (id or ref; source or citation)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    figures = []
    for number, row in enumerate(rows, start=2):
        ref = (row.get("ref") or row.get("id") or "").strip()
        if not ref or not (row.get("measure") or "").strip():
            raise LshError(f"{origin}, line {number}: every figure needs an id (or ref) and a measure")
        try:
            low, high = _number(row.get("value_low")), _number(row.get("value_high"))
        except ValueError:
            raise LshError(f"{origin}, line {number}: value_low and value_high must be numbers") from None
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
    text = resources.files("lshcli").joinpath("data/reference.csv").read_text(encoding="utf-8")
    return read_figures(text, "bundled reference figures")


def file_figures(path: Path) -> list[Published]:
    """A user's own file of published figures."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LshError(f"cannot read {path}: {exc.strerror or exc}") from None
    return read_figures(text, str(path))


class Reconciler:
    """Computes each published figure's statistic from the store, leaving the figure itself out."""

    def __init__(
        self, store: Store, library: DefinitionLibrary, estimate: bool = False, sbi: Classification | None = None
    ) -> None:
        self.store = store
        self.library = library
        self.estimate = estimate
        self.sbi = sbi or classification()
        self._stored: dict[tuple[str, int], list[Observation]] = {}

    def stored(self, measure: Measure, year: int) -> list[Observation]:
        """The store's figures of a measure in a year, read once for all the figures that need them."""
        key = (measure.name, year)
        if key not in self._stored:
            self._stored[key] = self.store.observations(measure.name, [year])
        return self._stored[key]

    def codes(self, text: str) -> list[str] | None:
        try:
            return [self.sbi.parse(part) for part in text.split("+")] if text else None
        except UnknownCodeError:
            return None

    def value(
        self, figure: Published, measure: Measure, codes: Iterable[str], period: str
    ) -> tuple[Value | None, Coverage | None, str]:
        """lsh's value of a measure on codes in a period ('2016', '2016Q1'), without the figure itself."""
        match = _PERIOD.match(period)
        if not match:
            return None, None, f"the period {period!r} is not a year or a quarter"
        year, quarter = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        observations = [
            o for o in self.stored(measure, year) if not (o.ref == figure.ref and o.source.kind == "snapshot")
        ]
        reading = Reading(quarter=quarter if measure.quarterly else None, estimate=self.estimate)
        coverage = figures_for(measure, year, observations, self.store, self.sbi, reading).cover(
            self.sbi.leaves_of(codes), list(codes)
        )
        if coverage.available:
            return coverage.value, coverage, ""
        return None, coverage, self._why(coverage, measure, year, figure)

    def _why(self, coverage: Coverage, measure: Measure, year: int, figure: Published) -> str:
        reasons = []
        for m in coverage.missing:
            codes = "+".join(m.codes)
            if m.coarser and measure.unit == "firms":  # firm counts exist for every code: only this one is stored
                reasons.append(f"no other figure for {codes} alone, only for {m.wider[0].sbi_label} as a whole")
            elif m.coarser:
                reasons.append(
                    f"not available at this depth: {measure.label} for {codes} only within {m.wider[0].sbi_label}"
                )
            elif m.reason == "cell-missing":
                reasons.append(f"the source leaves {codes} empty in {year}")
            else:
                reasons.append(f"no {measure.label} stored for {codes} in {year}")
        own = [o for o in self.stored(measure, year) if o.ref == figure.ref]
        if own and reasons and all(r.startswith("no ") and " stored " in r for r in reasons):
            return f"no figure other than this one: {'; '.join(reasons)}"
        return "; ".join(reasons) or "no figure stored"

    def reconcile(self, figure: Published) -> Reconciled:
        statistic = STATISTICS.get(figure.measure)
        if statistic is None:
            return Reconciled(figure, None, None, [f"not computed: lsh has no statistic {figure.measure!r}"])
        codes = self.codes(figure.sbi)
        if codes is None:
            return Reconciled(
                figure, None, None, [f"not SBI-based: {figure.sbi!r} is no set of SBI codes, so no definition gives it"]
            )
        measure = MEASURES[statistic.measure]
        scale = 1000.0 if measure.unit.startswith("x 1 000") and not figure.unit.startswith("x 1 000") else 1.0
        if statistic.kind == "level":
            value, coverage, why = self.value(figure, measure, codes, figure.period)
            computed = None if value is None or not value.is_point else value.low * scale
            used = list(coverage.used) if coverage and coverage.available else []
            estimated = bool(coverage and coverage.estimated)
        else:
            computed, used, why, estimated = self._derived(figure, statistic, measure, codes, scale)
        if computed is None:
            return Reconciled(figure, None, None, [why or "not computed"])
        computed = round(computed, 6)  # no float noise: published figures have few decimals
        difference = _difference(figure, computed)
        difference = None if difference is None else round(difference, 6)
        reasons = self._reasons(figure, statistic, computed, used, estimated)
        return Reconciled(figure, computed, difference, reasons, used, estimated)

    def _derived(
        self, figure: Published, statistic: Statistic, measure: Measure, codes: list[str], scale: float
    ) -> tuple[float | None, list[Observation], str, bool]:
        """A change, growth rate or share, from two values lsh computes."""
        if statistic.kind == "share":
            whole_codes = self.library.get(statistic.of).code_list
            periods = (figure.period, figure.period)
            pairs = [(codes, figure.period), (whole_codes, figure.period)]
        else:
            periods_found = figure.period.split("-")
            if len(periods_found) != 2:
                return None, [], f"the period {figure.period!r} is not a span such as 2010-2016", False
            periods = (periods_found[0], periods_found[1])
            pairs = [(codes, periods[0]), (codes, periods[1])]
        values: list[float] = []
        used: list[Observation] = []
        estimated = False
        for these, period in pairs:
            value, coverage, why = self.value(figure, measure, these, period)
            if value is None or not value.is_point or coverage is None:
                label = f"{statistic.of}'s total" if these is not codes else "+".join(codes)
                return None, [], f"{why or 'not available'} (needed: {label}, {period})", False
            values.append(value.low)
            used += coverage.used
            estimated = estimated or coverage.estimated
        first, second = values
        if statistic.kind == "change":
            return (second - first) * scale, used, "", estimated
        if first == 0:
            return None, [], f"the value in {periods[0]} is zero, so there is no rate", False
        if statistic.kind == "growth":
            return 100.0 * (second / first - 1.0), used, "", estimated
        return 100.0 * first / second, used, "", estimated

    def _reasons(
        self, figure: Published, statistic: Statistic, computed: float, used: Sequence[Observation], estimated: bool
    ) -> list[str]:
        reasons: list[str] = []
        low, high = figure.low, figure.high
        if low is None:
            return ["not compared: the figure has no value"]
        close = abs(computed - low) < 1e-6 * max(1.0, abs(low))
        if high is None:
            if computed >= low:
                reasons.append(f"agrees: the figure is published as a lower bound ({figure.value_text})")
        elif low == high and close:
            reasons.append("agrees")
        elif low != high and low <= computed <= high:
            reasons.append(f"within the published range: {figure.value_text}")
        if statistic.differs:
            reasons.append(f"other statistic: {statistic.differs}")
        match = _PERIOD.match(figure.period)
        if match and used:
            other = sorted({o.period for o in used if o.period != figure.period})
            if other:
                reasons.append(f"other period: published for {figure.period}, computed from {', '.join(other)}")
        step = _rounding_step(low)
        if step and abs(computed - low) <= step / 2 and not close:
            reasons.append(f"rounding: the published figure is rounded to {format_number(step)}")
        if estimated:
            reasons.append("estimate: part of the computed value is estimated from a wider figure")
        if not reasons:
            reasons.append("other codes or sources: the publication counts other firms, codes or jobs")
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
    figures: Sequence[Published], store: Store, library: DefinitionLibrary, estimate: bool = False
) -> list[Reconciled]:
    """Every figure beside lsh's value for it."""
    reconciler = Reconciler(store, library, estimate)
    return [reconciler.reconcile(f) for f in figures]
