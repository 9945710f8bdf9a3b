"""The one place analyses get figures from: a store, a classification and a way of reading, with one year rule.

`Figurebook` reads only the figures a question needs (the codes it touches, the wider codes that
hold them, in the years asked for) and reads each figure once however many analyses ask for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

from msgspec import Struct

from lshcli.cover import Coverage, FigureSet
from lshcli.errors import NotAvailableError, Remedy
from lshcli.measures import Measure
from lshcli.model import Observation, Reading
from lshcli.sbi import Classification

if TYPE_CHECKING:
    from lshcli.definitions import Definition
    from lshcli.store import Store


class YearBasis(str, Enum):
    """Why a year was chosen when none was given."""

    COMPLETE = "complete"
    """The latest year in which every definition has a complete value."""
    PARTIAL = "partial"
    """No year is complete for all: the latest year in which each definition has some figures."""
    ONE_SIDE = "one-side"
    """No year has figures for both sides of the break: the latest year one side has figures in (the other is
    told as not stored, with the fetch that fills it)."""


class YearChoice(Struct, frozen=True):
    """The year picked for a question, and on what basis."""

    year: int
    basis: YearBasis
    definitions: tuple[str, ...]
    measure: Measure


class Figurebook:
    """Figures for analyses: a store, the classification its codes are read in, and how to read them."""

    def __init__(self, store: Store, sbi: Classification, reading: Reading | None = None) -> None:
        self.store = store
        self.sbi = sbi
        self.reading = reading or Reading()
        self._held: dict[tuple[str, int, int | str | None], dict[str, list[Observation]]] = {}
        self._aggregates: dict[str, list[str]] = {}
        self.reads = 0
        """How many queries went to the store (each figure is read once; the benchmarks count this)."""

    def reading_as(self, reading: Reading) -> Figurebook:
        """The same store and classification (and figures already read), read another way."""
        other = Figurebook(self.store, self.sbi, reading)
        other._held, other._aggregates = self._held, self._aggregates
        return other

    def years(self, measure: Measure) -> list[int]:
        """Every year in which the store holds any figure of `measure`."""
        return self.store.years(measure.name, self.sbi.name)

    def read(
        self,
        measure: Measure,
        years: Sequence[int],
        leaves: frozenset[str],
        preferred: bool = False,
        around: bool = True,
    ) -> list[Observation]:
        """The stored figures a question about `leaves` needs: those of its codes and of wider codes holding them.

        A single code touches `leaves` only as one of them or an ancestor of one, so those are named from the
        classification; code sets of several codes are few, and looked up. Figures read before are not read
        again. With `preferred`, only the periods this book reads a year as (the first quarter, or the quarter
        asked for, and the year): a count over many years then reads a quarter of a quarterly table. Without
        `around`, only the figures of `leaves` themselves.
        """
        sbi = self.sbi
        if around:
            labels = {code for leaf in leaves for code in (leaf, *sbi.ancestors(leaf))}
            if measure.name not in self._aggregates:
                self._aggregates[measure.name] = self.store.aggregates(measure.name, self.sbi.name)
            labels |= set(sbi.touching(self._aggregates[measure.name], leaves))
        else:
            labels = set(leaves)
        kind = self.reading.quarter if preferred else "all"
        wanted: dict[frozenset[str], list[int]] = {}
        for year in dict.fromkeys(years):
            held = self._held.setdefault((measure.name, year, kind), {})
            every = self._held.get((measure.name, year, "all"), {})
            if preferred and labels <= every.keys():  # read whole before: this reading's periods are among them
                own = measure.periods(year, self.reading.quarter)
                for label in labels - held.keys():
                    held[label] = [o for o in every[label] if o.period in own]
            new = frozenset(labels - held.keys())
            if new:
                wanted.setdefault(new, []).append(year)
        for new, group in wanted.items():
            self.reads += 1
            periods = [p for year in group for p in measure.periods(year, self.reading.quarter)] if preferred else None
            rows = self.store.observations(measure.name, group, new, self.sbi.name, periods)
            for year in group:
                held = self._held[(measure.name, year, kind)]
                for label in new:
                    held.setdefault(label, [])
            for obs in rows:
                self._held[(measure.name, obs.year, kind)][obs.sbi_label].append(obs)
        ordered = sorted(labels)  # each label's figures are held in the store's order (period, source kind, row)
        return [
            obs
            for year in sorted(set(years))
            for label in ordered
            for obs in self._held[(measure.name, year, kind)].get(label, ())
        ]

    def figures(
        self,
        measure: Measure,
        year: int,
        leaves: frozenset[str],
        observations: Sequence[Observation] | None = None,
        whole: bool = False,
    ) -> FigureSet:
        """The figures of one measure and year around `leaves`, read as this book reads (quarter; estimates).

        `observations` replaces what the store holds (reconcile leaves a figure out this way); `whole` says they
        are all it holds, read already, so none is left out.
        """
        left_out: set[Observation] = set()
        if observations is None:
            observations = self.read(measure, [year], leaves)
        elif not whole:
            left_out = set(self.read(measure, [year], leaves)) - set(observations)
        estimator = None
        if self.reading.estimate and measure.estimable:
            from lshcli.estimate import SizeKeyEstimator

            estimator = SizeKeyEstimator(self, year)
        own = [o for o in observations if o.year == year and o.measure == measure.name]
        if measure.name == "firms" and any(not o.has_value for o in own):
            own = self._firms_from_classes(own, year, leaves)

        def widen(more: frozenset[str]) -> list[Observation]:
            """The figures around more codes, for bounds that need the parts of a wider figure (never one left out)."""
            found = self.read(measure, [year], more, preferred=whole)  # read as the figures given were
            return [o for o in found if o.year == year and o.measure == measure.name and o not in left_out]

        return FigureSet(measure, year, own, self.sbi, self.reading.quarter, estimator, widen)

    def _firms_from_classes(self, own: list[Observation], year: int, leaves: frozenset[str]) -> list[Observation]:
        """A suppressed firm count whose size classes are all published is their sum: the cell, valued, with its
        basis saying so (never a zero for a class that is missing: then the cell stays suppressed)."""
        from dataclasses import replace

        from lshcli.measures import size_measures

        classes = size_measures()
        by_cell: dict[tuple[str, str, str], list[Observation]] = {}
        for m in classes:
            for o in self.read(m, [year], leaves):
                if o.year == year and o.has_value:
                    by_cell.setdefault((o.sbi_label, o.period, o.source.label), []).append(o)
        out = []
        for obs in own:
            parts = by_cell.get((obs.sbi_label, obs.period, obs.source.label), [])
            if obs.has_value or len({p.measure for p in parts}) != len(classes):
                out.append(obs)
                continue
            low = sum(p.value_low or 0.0 for p in parts)
            high = sum(p.value_high or 0.0 for p in parts)
            basis = f"{obs.basis}; " if obs.basis else ""
            out.append(
                replace(
                    obs,
                    value_low=low,
                    value_high=high,
                    basis=f"{basis}suppressed; the sum of its {len(classes)} published size classes",
                )
            )
        return out

    def economy(self, measure: Measure, year: int) -> Observation | None:
        """The whole economy's figure (CBS's total A-U) of a measure in a year, read as this book reads the
        period (live CBS first), or None where none is stored."""
        from lshcli.sbi import ECONOMY

        preferred = measure.periods(year, self.reading.quarter)
        found = [
            o
            for o in self.store.observations(measure.name, [year], [ECONOMY], self.sbi.name)
            if o.period in preferred and o.has_value and o.value_low == o.value_high
        ]
        found.sort(key=lambda o: (0 if o.source.kind == "cbs" else 1, preferred.index(o.period)))
        return found[0] if found else None

    def value(self, definition: Definition, measure: Measure, year: int) -> Coverage:
        """A definition's value of one measure in one year, with its coverage."""
        leaves = definition.leaves(self.sbi)
        return self.figures(measure, year, leaves).cover(leaves, definition.code_list)

    def values_by_year(
        self, definition: Definition, measure: Measure, years: Sequence[int] | None = None
    ) -> list[tuple[int, Coverage]]:
        """A definition's value of a measure in each of `years` (default: every year the measure is stored)."""
        years = self.years(measure) if years is None else list(years)
        leaves = definition.leaves(self.sbi)
        found: dict[int, Coverage] = {}
        # First the definition's own finest codes, for every year at once. In a year where each has a live figure of
        # its own, those are the cover (the search takes each code's own figure first, and live figures before the
        # snapshot's), so the wider figures around them are not read for that year: a large definition on a store
        # of whole tables then reads a third fewer rows.
        own: dict[int, list[Observation]] = {year: [] for year in years}
        for obs in self.read(measure, years, leaves, preferred=True, around=False):
            own.setdefault(obs.year, []).append(obs)
        for year in years:
            figures = self.figures(measure, year, leaves, own[year], whole=True)
            if all(_live(figures.whole(frozenset((leaf,)))) for leaf in leaves):
                found[year] = figures.cover(leaves, definition.code_list)
        rest = [year for year in years if year not in found]
        by_year: dict[int, list[Observation]] = {year: [] for year in rest}
        for obs in self.read(measure, rest, leaves, preferred=True) if rest else []:  # once for all, then each year
            by_year.setdefault(obs.year, []).append(obs)
        for year in rest:
            found[year] = self.figures(measure, year, leaves, by_year[year], whole=True).cover(
                leaves, definition.code_list
            )
        return [(year, found[year]) for year in years]

    def comparable_years(self, definitions: Sequence[Definition], measure: Measure) -> tuple[list[int], list[int]]:
        """Years in which every definition's value is complete, and years in which each has at least some figures."""
        complete, partial = [], []
        years = self.years(measure)
        held = [d.leaves(self.sbi) for d in definitions]
        by_year: dict[int, list[Observation]] = {year: [] for year in years}
        for obs in self.read(measure, years, frozenset().union(*held), preferred=True):
            by_year.setdefault(obs.year, []).append(obs)
        for year in years:
            figures = self.figures(measure, year, frozenset().union(*held), by_year[year], whole=True)
            if all(figures.cover(leaves, bound=False).available for leaves in held):
                complete.append(year)
            if all(figures.touches(leaves) for leaves in held):
                partial.append(year)
        return complete, partial

    def pick_year(self, definitions: Sequence[Definition], measure: Measure) -> YearChoice:
        """The one default-year rule: the latest year with complete values for every definition, else the latest
        year with figures for each; no such year is NotAvailableError."""
        complete, partial = self.comparable_years(definitions, measure)
        ids = tuple(d.id for d in definitions)
        if complete:
            return YearChoice(complete[-1], YearBasis.COMPLETE, ids, measure)
        if partial:
            return YearChoice(partial[-1], YearBasis.PARTIAL, ids, measure)
        names = " and ".join(ids) if len(ids) <= 2 else ", ".join(ids)
        raise NotAvailableError(
            "no year holds {label} for {value}{names}",
            remedy=Remedy(definitions=ids, measure=measure.name),
            label=measure.label,
            value="both " if len(ids) == 2 else "",
            names=names,
        )


def _live(obs: Observation | None) -> bool:
    """A live CBS figure with a value: a code's own such figure is what its cover takes."""
    return obs is not None and obs.has_value and obs.source.kind == "cbs"
