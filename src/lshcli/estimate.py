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

from lshcli.measures import (
    OPEN_CLASS_WEIGHT,
    Estimate,
    Figures,
    Measure,
    Value,
    class_weight,
    size_measures,
)
from lshcli.sbi import Classification
from lshcli.store import Observation, Store

METHOD = (
    "by firms weighted by persons employed per size class (CBS 81589NED, first quarter; class midpoints, "
    f"{OPEN_CLASS_WEIGHT:g} for 100 or more)"
)


class SizeKeyEstimator:
    """Estimates a code's share of a wider figure from firms by size class in the same year."""

    def __init__(self, store: Store, year: int, sbi: Classification) -> None:
        self.store = store
        self.year = year
        self.sbi = sbi
        self._figures: dict[frozenset[str], list[tuple[Measure, Figures]]] = {}

    def figures(self, scope: frozenset[str]) -> list[tuple[Measure, Figures]]:
        """Firms by size class for the codes of `scope` (a wider figure's codes), read once per scope."""
        if scope not in self._figures:
            from lshcli.compare import read

            self._figures[scope] = [
                (m, Figures(m, self.year, read(self.store, m.name, [self.year], scope, self.sbi), self.sbi))
                for m in size_measures()
            ]
        return self._figures[scope]

    def key(self, leaves: frozenset[str], scope: frozenset[str] | None = None) -> tuple[float, list[Observation]] | str:
        """The size-weighted firm count of a set of codes, with the figures used, or why there is none."""
        weighted = 0.0
        used: list[Observation] = []
        for measure, figures in self.figures(scope or leaves):
            coverage = figures.cover(leaves)
            if not coverage.available or coverage.value is None or not coverage.value.is_point:
                names = self.sbi.compress(leaves)
                fetch = " ".join(f"--sbi {n}" for n in names)
                return (
                    f"firms by size class ({measure.label}) are not stored for {', '.join(names)} in {self.year};"
                    f" 'lsh fetch {fetch} --year {self.year}' fetches them"
                )
            assert measure.persons is not None
            weighted += coverage.value.low * class_weight(measure.persons)
            used += coverage.used
        return weighted, used

    def estimate(self, codes: tuple[str, ...], leaves: frozenset[str], parent: Observation) -> Estimate | str:
        parent_leaves = self.sbi.leaves_of(parent.sbi)
        if not leaves <= parent_leaves:
            return f"{parent.sbi_label} does not hold all of {', '.join(codes)}"
        if parent.value_low is None or parent.value_high is None:
            return f"the figure for {parent.sbi_label} is missing"
        own = self.key(leaves, parent_leaves)
        if isinstance(own, str):
            return own
        whole = self.key(parent_leaves)
        if isinstance(whole, str):
            return whole
        if whole[0] <= 0:
            return f"no firms are stored for {parent.sbi_label} in {self.year}, so there is no key"
        share = own[0] / whole[0]
        if share > 1:  # the parts outweigh the whole: the firm counts disagree, and no share can be read from them
            return (
                f"the firms stored for {', '.join(codes)} outweigh those of {parent.sbi_label} in {self.year}"
                " (the counts disagree), so there is no share to apply"
            )
        return Estimate(
            codes=codes,
            leaves=leaves,
            parent=parent,
            share=share,
            key_codes=own[0],
            key_parent=whole[0],
            inputs=tuple(own[1] + whole[1]),
            value=Value(parent.value_low * share, parent.value_high * share),
            method=METHOD,
        )
