"""Documents of the studies: firms by size class, the overlap matrix, published figures reconciled, and a fetch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from lshcli.cover import figures_behind
from lshcli.explain import overlap_notes, sizes_notes
from lshcli.measures import MEASURES
from lshcli.model import Value
from lshcli.output import data
from lshcli.output.cells import Cells
from lshcli.output.comparisons import legend
from lshcli.output.document import Column, Document, Section
from lshcli.output.provenance import footnotes
from lshcli.output.words import Words
from lshcli.sbi import Classification

if TYPE_CHECKING:
    from lshcli.benchmark import Benchmark
    from lshcli.cbs.fetch import FetchResult
    from lshcli.crosscheck import SourcePair
    from lshcli.explain import Note
    from lshcli.overlap import Overlap
    from lshcli.reconcile import Reconciled
    from lshcli.sizes import Sizes
    from lshcli.store import ForeignFetch


def sizes_document(result: Sizes, words: Words) -> Document:
    """Firms of a definition by size class and by the groups the studies use, with the check against the total."""
    classes, total, groups = data.sizes_records(result, words)
    h, cell = words.header, Cells(words)
    columns: list[Column[data.SizeRow]] = [
        Column("size", h("persons employed"), lambda r: words.size(r.size)),
        Column("value", words.unit("firms"), lambda r: cell.row(r), numeric=True),
        Column(
            "pct_of_total",
            h("% of all"),
            lambda r: cell.percent(r.pct_of_total, signed=False),
            numeric=True,
        ),
        Column("status", h("status"), lambda r: words.status(r.status or "")),
        Column("sources", h("sources"), lambda r: r.sources_shown or r.why_not or ""),
    ]
    coverages = [cov for _, cov in result.classes] + [c for g in result.groups for c in g.coverages] + [result.total]
    used = [o for cov in coverages if cov.available for o in cov.used]
    title = h("{definition}: firms by persons employed, {year}").format(
        definition=result.definition.id, year=result.year
    )
    return Document(
        sections=[Section(title, columns, [*classes, total]), Section(h("Groups"), columns, groups)],
        data=data.sizes_data(result, words),
        sentences=words.notes(sizes_notes(result)),
        footnotes=[
            f"{h('Period')}: {words.period(MEASURES['firms'], result.quarter)}.",
            *legend([r.mark for r in [*classes, total]], words),
        ],
        sources=footnotes(used, words),
        csv_records=[*classes, total, *groups],
        row_type=data.SizeRow,
    )


def _member(definition_id: str) -> Callable[[data.OverlapRow], str]:
    return lambda row: "x" if dict(row.members)[definition_id] else ""


def overlap_document(result: Overlap, words: Words) -> Document:
    """The code-by-definition matrix with the value of each code where it is available."""
    ids = [d.id for d in result.definitions]
    records = data.overlap_records(result, words)
    h, cell = words.header, Cells(words)
    columns: list[Column[data.OverlapRow]] = [
        Column("code", "SBI", no_wrap=True),
        Column("title", h("title"), lambda r: words.title(r.code, r.title), max_width=30),
        *(Column(i, i, _member(i), no_wrap=True) for i in ids),
        Column("value", f"{words.unit(result.measure.unit)} {result.year}", lambda r: cell.row(r), numeric=True),
        Column("sources", h("sources"), lambda r: r.sources_shown or r.why_not or ""),
    ]
    title = h("Codes by definition, {measure} in {year}").format(measure=words.label(result.measure), year=result.year)
    return Document(
        sections=[Section(title, columns, records)],
        data=data.overlap_data(result, words),
        sentences=words.notes(overlap_notes(result)),
        footnotes=[
            f"{h('Period')}: {words.period(result.measure, result.quarter)}.",
            *legend([r.mark for r in records], words),
        ],
        sources=footnotes(figures_behind([r.coverage for r in result.rows]), words),
        csv_records=records,
        row_type=data.OverlapRow,
    )


def reconcile_document(results: Sequence[Reconciled], words: Words) -> Document:
    """Each published figure beside lsh's value, the difference and the most likely reason."""
    h, cell = words.header, Cells(words)
    records = data.reconcile_records(results, words)

    def computed(row: data.ReconcileRow) -> str:
        if row.computed is None:
            return cell.na()
        return words.number(round(row.computed, 2)) + (" *" if row.estimated else "")

    def difference(row: data.ReconcileRow) -> str:
        return "" if row.difference is None else words.number(round(row.difference, 2), signed=True)

    columns: list[Column[data.ReconcileRow]] = [
        Column("ref", "ref", no_wrap=True),
        Column(
            "statistic",
            h("statistic"),
            lambda r: words.measure(r.statistic) if r.statistic in MEASURES else r.statistic,
        ),
        Column("sbi", "SBI", wrap_at=16),  # a code set wraps after its '+', never cut
        Column("period", h("period")),
        Column("published", h("published"), lambda r: r.published_shown, numeric=True),
        Column("computed", "lsh", computed, numeric=True),
        Column("difference", h("difference"), difference, numeric=True),
        Column("most_likely", h("most likely reason")),
    ]
    counts: dict[str, int] = {}
    for r in results:
        key = words.verdict(r.reasons[0]) if r.reasons and r.computed is not None else words.NO_VALUE
        counts[key] = counts.get(key, 0) + 1
    return Document(
        sections=[Section(h("Published figures beside lsh's values"), columns, records)],
        data=data.reconcile_data(results, words),
        sentences=[words.reconciled(len(results), sorted(counts.items(), key=lambda item: -item[1]))],
        sources=footnotes([o for r in results for o in r.used], words),
        csv_records=records,
        row_type=data.ReconcileRow,
    )


def fetch_document(result: FetchResult, sbi: Classification, words: Words) -> Document:
    """What `lsh fetch` stored: one row per requested code, with the key, periods and empty cells."""
    h = words.header
    records = data.fetch_records(result, sbi, words)
    columns: list[Column[data.FetchRow]] = [
        Column("code", "SBI", no_wrap=True),
        Column("title", h("title"), max_width=30),
        Column("stored_as", h("stored as"), lambda r: r.stored_as or "-", no_wrap=True),
        Column("first_period", h("from"), lambda r: r.first_period or "-", no_wrap=True),
        Column("last_period", h("to"), lambda r: r.last_period or "-", no_wrap=True),
        Column("rows", h("rows"), lambda r: words.number(r.rows), numeric=True),
        Column("empty_cells", h("empty"), lambda r: words.number(r.empty_cells), numeric=True),
        Column("note", h("note")),  # it says where a code went: wrapped, never shortened
    ]
    title = h("Fetched from CBS {table} ({title}), version {version}").format(
        table=result.spec.id, title=result.table_title, version=result.modified[:10]
    )
    return Document(
        [Section(title, columns, records)],
        data=data.fetch_data(result, records),
        csv_records=records,
        row_type=data.FetchRow,
    )


def benchmark_document(found: Sequence[Benchmark], words: Words) -> Document:
    """Each definition in each country: its value from Eurostat's class figures, its share of the country's
    business economy, and its rank by that share; over several years, one series per definition with the 2021
    change of method marked."""
    from lshcli.benchmark import largest_difference, series_break
    from lshcli.explain import CountryShare, LargestDifference, NoEconomyTotal

    h, cell = words.header, Cells(words)
    records = data.benchmark_records(found, words)

    def share(row: data.BenchmarkRow) -> str:
        low, high = row.share_of_economy_low, row.share_of_economy_high
        if low is None:
            return ""
        return words.share(Value(low, high)) if high is not None else cell.bound(low, None) + "%"

    def rank(row: data.BenchmarkRow) -> str:
        if row.rank_best is None or row.rank_worst is None:
            return ""
        return str(row.rank_best) if row.rank_best == row.rank_worst else f"{row.rank_best}-{row.rank_worst}"

    def country_share(r: data.BenchmarkRow, n: int) -> CountryShare:
        told = (r.rank_best, r.rank_worst) if r.rank_best is not None and r.rank_worst is not None else None
        return CountryShare(
            r.definition,
            r.country,
            r.year,
            r.value_low,
            r.value_high,
            r.unit,
            r.share_of_economy_low,
            r.share_of_economy_high,
            told,
            n,
        )

    sections = []
    notes: list[Note] = []
    for definition in dict.fromkeys(b.definition.id for b in found):
        years = sorted((b for b in found if b.definition.id == definition), key=lambda b: b.year)
        first, own = years[-1], [r for r in records if r.definition == definition]
        columns: list[Column[data.BenchmarkRow]] = [
            Column("country", h("country"), no_wrap=True),
            Column("value", words.unit(first.indicator.unit), lambda r: cell.row(r), numeric=True),
            Column("share_of_economy_low", h("% of the business economy"), share, numeric=True, no_wrap=True),
            Column("rank_best", h("rank"), rank, numeric=True, no_wrap=True),
            Column("sources", h("sources"), lambda r: r.sources_shown),
        ]
        if len(years) == 1:
            title = h("{definition} by country: {measure}, {year} (Eurostat {dataset})").format(
                definition=definition,
                measure=words.measure(first.indicator.name),
                year=first.year,
                dataset=first.dataset,
            )
            sections.append(Section(title, columns, own))
            notes += [country_share(r, len(own)) for r in own]
        else:
            columns[1:1] = [
                Column("year", h("year"), lambda r: f"{r.year} b" if r.series_break else str(r.year), no_wrap=True)
            ]
            columns[-1] = Column("dataset", h("dataset"), lambda r: r.dataset)
            title = h("{definition} by country and year: {measure}, {first} to {last} (Eurostat)").format(
                definition=definition,
                measure=words.measure(first.indicator.name),
                first=years[0].year,
                last=first.year,
            )
            sections.append(Section(title, columns, sorted(own, key=lambda r: (r.country, r.year))))
            notes += series_break(definition, [(b.year, b.datasets) for b in years])
        for b in years[-1:] if len(years) > 1 else years:
            pair = largest_difference(b.countries)
            if pair is not None and pair[0].share is not None and pair[1].share is not None:
                notes.append(
                    LargestDifference(
                        definition,
                        b.year,
                        pair[0].country,
                        pair[0].share,
                        pair[1].country,
                        pair[1].share,
                        len(b.countries),
                    )
                )
    without = sorted({b.year: b.datasets for b in found if not b.has_economy}.items())
    notes += [NoEconomyTotal(year, datasets) for year, datasets in without]
    used = [o for b in found for v in b.countries for o in v.coverage.resting_on]
    return Document(
        sections=sections,
        data=records,
        sentences=words.notes(notes),
        footnotes=legend([r.mark for r in records] + ["b" for r in records if r.series_break], words),
        sources=footnotes(used, words),
        csv_records=records,
        row_type=data.BenchmarkRow,
    )


def sources_document(pairs: Sequence[SourcePair], words: Words) -> Document:
    """A definition from CBS and from Eurostat: each CBS measure beside Eurostat's nearest statistic in Eurostat's
    unit, the difference, why they differ, and a sentence each."""
    h, cell = words.header, Cells(words)
    records = data.source_records(pairs, words)

    def either(low: float | None, high: float | None, signed: bool = False) -> str:
        """A point as a number, an interval as its sides."""
        return words.number(low, signed) if low is not None and low == high else cell.bound(low, high, signed)

    columns: list[Column[data.SourceRow]] = [
        Column("cbs_measure", h("CBS"), lambda r: words.measure(r.cbs_measure)),
        Column("cbs_low", h("CBS value"), lambda r: either(r.cbs_low, r.cbs_high), numeric=True),
        Column("eurostat_measure", h("Eurostat"), lambda r: words.measure(r.eurostat_measure)),
        Column("eurostat_low", h("Eurostat value"), lambda r: either(r.eurostat_low, r.eurostat_high), numeric=True),
        Column("unit", h("unit"), lambda r: words.unit(r.unit)),
        Column(
            "difference_low",
            h("difference"),
            lambda r: either(r.difference_low, r.difference_high, signed=True),
            numeric=True,
        ),
        Column("reasons", h("why they differ"), lambda r: r.reasons_shown),
    ]
    first = pairs[0]
    title = h("{definition} from CBS and from Eurostat, {year}").format(definition=first.definition.id, year=first.year)
    used = [o for p in pairs for o in (*p.cbs_value.resting_on, *p.eurostat_value.resting_on)]
    return Document(
        sections=[Section(title, columns, records)],
        data=records,
        sentences=[words.source_pair(p) for p in pairs],
        sources=footnotes(used, words),
        csv_records=records,
        row_type=data.SourceRow,
    )


def foreign_fetch_document(result: ForeignFetch, words: Words) -> Document:
    """What a fetch from Eurostat stored: per country, its cells, those with a value and the confidential ones."""
    h = words.header
    records = data.foreign_fetch_records(result.cells)
    columns: list[Column[data.ForeignFetchRow]] = [
        Column("country", h("country"), no_wrap=True),
        Column("cells", h("cells"), lambda r: words.number(r.cells), numeric=True),
        Column("with_value", h("with a value"), lambda r: words.number(r.with_value), numeric=True),
        Column("confidential", h("confidential"), lambda r: words.number(r.confidential), numeric=True),
        Column("first_year", h("from"), lambda r: str(r.first_year), no_wrap=True),
        Column("last_year", h("to"), lambda r: str(r.last_year), no_wrap=True),
    ]
    title = h("Fetched from Eurostat {dataset}").format(dataset=result.dataset)
    return Document(
        [Section(title, columns, records)],
        data={"dataset": result.dataset, "store": result.store_path, "unknown": result.unknown, "cells": result.cells},
        csv_records=records,
        row_type=data.ForeignFetchRow,
    )
