"""Opt-in estimates for codes the data is too coarse for, with a documented key.

Employee jobs, persons employed and output are published for SBI divisions (or branches), while the
definitions use classes and subclasses. With `--estimate`, lsh fills a code from the published
figure of a wider code that holds it, in proportion to a key that exists at both depths:

    estimate = wider figure x key(codes) / key(wider code)
    key(codes) = sum over size classes of firms(codes, class) x persons per firm in that class

Firms by size class come from CBS 81589NED (first quarter of the same year); persons per firm is
the midpoint of each class, and an assumed 200 for the open class of 100 or more. The key assumes
that firms of one size class employ as many people in the code as in the rest of the wider code.
Estimates are always marked as such and carry the key and every figure used; lsh never mixes them
silently with published figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from lshcli.cover import Estimate, FigureSet, NoEstimate, NoEstimateReason
from lshcli.measures import OPEN_CLASS_WEIGHT, Measure, class_weight, size_measures
from lshcli.model import Observation, Value

if TYPE_CHECKING:
    from lshcli.sbi import Classification


class SizeFigures(Protocol):
    """Where an estimator reads firms by size class: the figures of a measure and years around some codes."""

    sbi: Classification

    def read(self, measure: Measure, years: Sequence[int], leaves: frozenset[str]) -> list[Observation]:
        """The figures of `measure` in `years` for the codes of `leaves` and the wider codes that hold them."""
        ...


SIZE_KEY = "size-key"
METHODS = {
    SIZE_KEY: "by firms weighted by persons employed per size class (CBS 81589NED, first quarter; class midpoints, "
    f"{OPEN_CLASS_WEIGHT:g} for 100 or more)"
}
"""Each estimation method by name, with what it does."""


class SizeKeyEstimator:
    """Estimates a code's share of a wider figure from firms by size class in the same year."""

    def __init__(self, book: SizeFigures, year: int) -> None:
        self.book = book
        self.year = year
        self.sbi = book.sbi
        self._figures: dict[frozenset[str], list[tuple[Measure, FigureSet]]] = {}

    def figures(self, scope: frozenset[str]) -> list[tuple[Measure, FigureSet]]:
        """Firms by size class for the codes of `scope` (a wider figure's codes), read once per scope."""
        if scope not in self._figures:
            self._figures[scope] = [
                (m, FigureSet(m, self.year, self.book.read(m, [self.year], scope), self.sbi)) for m in size_measures()
            ]
        return self._figures[scope]

    def key(
        self, leaves: frozenset[str], parent: str, scope: frozenset[str] | None = None
    ) -> tuple[float, list[Observation]] | NoEstimate:
        """The size-weighted firm count of a set of codes, with the figures used, or why there is none."""
        weighted = 0.0
        used: list[Observation] = []
        for measure, figures in self.figures(scope or leaves):
            coverage = figures.cover(leaves, bound=False)
            if not coverage.available or coverage.value is None or not coverage.value.is_point:
                names = tuple(self.sbi.compress(leaves))
                return NoEstimate(NoEstimateReason.NO_SIZE_CLASSES, names, parent, self.year, measure.name)
            assert measure.persons is not None
            weighted += coverage.value.low * class_weight(measure.persons)
            used += coverage.used
        return weighted, used

    def estimate(self, codes: tuple[str, ...], leaves: frozenset[str], parent: Observation) -> Estimate | NoEstimate:
        parent_leaves = self.sbi.leaves_of(parent.sbi)
        label = parent.sbi_label
        if not leaves <= parent_leaves:
            return NoEstimate(NoEstimateReason.NOT_HELD, codes, label, self.year)
        if parent.value is None:
            return NoEstimate(NoEstimateReason.PARENT_EMPTY, codes, label, self.year)
        own = self.key(leaves, label, parent_leaves)
        if isinstance(own, NoEstimate):
            return own
        whole = self.key(parent_leaves, label)
        if isinstance(whole, NoEstimate):
            return whole
        if whole[0] <= 0:
            return NoEstimate(NoEstimateReason.NO_FIRMS, codes, label, self.year)
        share = own[0] / whole[0]
        if share > 1:  # the parts outweigh the whole: the firm counts disagree, and no share can be read from them
            return NoEstimate(NoEstimateReason.PARTS_OUTWEIGH, codes, label, self.year)
        return Estimate(
            codes=codes,
            leaves=leaves,
            parent=parent,
            share=share,
            key_codes=own[0],
            key_parent=whole[0],
            inputs=tuple(own[1] + whole[1]),
            value=Value(parent.value.low * share, parent.value.high * share),
            method=SIZE_KEY,
        )
