"""Documents of values: one comparison, a comparison over years, and a definition's values by measure and year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from lshcli.compare import Comparison
from lshcli.cover import Coverage, figures_behind
from lshcli.definitions import Definition
from lshcli.explain import (
    Note,
    NothingStored,
    across_notes,
    change,
    comparison_notes,
    crossing_notes,
    estimate_notes,
    series_notes,
    share_of_economy,
    table_of,
    trend,
)
from lshcli.measures import Measure
from lshcli.model import Observation, Value
from lshcli.output import data
from lshcli.output.cells import ENGLISH, Cells
from lshcli.output.document import Column, Document, Later, Section, sparkline
from lshcli.output.provenance import footnotes
from lshcli.output.words import Words

if TYPE_CHECKING:
    from lshcli.crossing import Across, Crossing


def legend(marks: Sequence[str], words: Words) -> list[str]:
    """'Marks: ...' for the marks shown, or nothing; in the language of `words`."""
    used = {part for m in marks for part in m.split()}
    return [f"{words.MARKS_LABEL}: {'; '.join(t for key, t in words.MARKS.items() if key in used)}."] if used else []


def estimate_lines(coverages: Sequence[tuple[Coverage, str]], words: Words) -> list[str]:
    """Footnote lines for every estimate, each in its own measure's unit."""
    found = estimate_notes(coverages)
    if found is None:
        return []
    return [words.header("Estimates (not published figures):")] + [
        f"  {words.estimate(e, unit)}" for e, unit in found.estimates
    ]


def comparison_document(c: Comparison, words: Words, also_from: Sequence[Observation] = ()) -> Document:
    """Totals, the decomposition and the explanation of one comparison, in the language of `words`; `also_from`
    names other figures its sentences rest on (the whole economy's), listed among its sources."""
    unit = c.measure.unit
    records = data.comparison_records(c, words)
    totals, parts = records[:3], records[3:]
    h, cell = words.header, Cells(words)
    total_columns: list[Column[data.ComparisonRow]] = [
        Column("definition", h("definition")),
        Column("value", words.unit(unit), lambda r: cell.row(r, signed=r.record == "difference"), numeric=True),
        Column("pct_of_a", h("% of A"), lambda r: cell.percent(r.pct_of_a), numeric=True),
        Column("status", h("status"), lambda r: words.status(r.status or "")),
        Column("sources", h("sources"), lambda r: r.sources_shown),
    ]

    def title(row: data.ComparisonRow) -> str:
        codes = row.code.split("+")
        return (
            "; ".join(dict.fromkeys(words.title(code, row.title) for code in codes))  # a title once
            if len(codes) > 1
            else words.title(codes[0], row.title)
        )

    part_columns: list[Column[data.ComparisonRow]] = [
        Column("part", h("part"), lambda r: r.part_shown or r.part, no_wrap=True),
        Column("code", "SBI", no_wrap=True),
        Column("title", h("title"), title, max_width=24),
        Column("value", words.unit(unit), lambda r: cell.row(r), numeric=True),
        Column("pct_of_a", h("% of A"), lambda r: cell.percent(r.pct_of_a), numeric=True, no_wrap=True),
        Column(
            "share_of_gap",
            h("% of gap"),
            lambda r: (
                cell.percent(r.share_of_gap)
                if r.share_of_gap is not None
                else cell.percents(r.share_of_gap_low, r.share_of_gap_high)
            ),
            numeric=True,
            no_wrap=True,
        ),
        Column("sources", h("sources"), lambda r: r.sources_shown),
    ]
    sentences = words.notes(comparison_notes(c))  # made once: the table's sentences are the JSON's
    contract = data.comparison_data(c, words, sentences)
    label = words.label(c.measure)
    heading = f"{label}, {c.year}: {c.a.id} (A) {h('against')} {c.b.id} (B)"
    behind = figures_behind(c.coverages, [o for _, o in c.published_totals], partial=True)
    sources = footnotes([*behind, *also_from], words)
    return Document(
        sections=[
            Section(heading, total_columns, totals),
            Section(h("Where the difference comes from"), part_columns, parts),
        ],
        data=contract,
        sentences=sentences,
        footnotes=[
            f"{h('Period')}: {words.period(c.measure, c.reading.quarter)}.",
            *legend([r.mark for r in records], words),
            *estimate_lines([(cov, unit) for cov in c.coverages], words),
        ],
        sources=sources,
        csv_records=records,
        row_type=data.ComparisonRow,
    )


def comparisons_document(
    comparisons: Sequence[Comparison], words: Words, wide: bool = False, economy: data.Economy | None = None
) -> Document:
    """Several years of one comparison: a row of totals per year, the full decomposition for the last year; and
    each definition's share of the whole economy in the latest year where its figure is stored."""
    economy = economy or {}
    last = comparisons[-1]
    shares = [
        share
        for side in ("a", "b")
        if (
            share := share_of_economy(
                getattr(last, side).id,
                [
                    (c.year, getattr(c, f"total_{side}").value, economy.get((c.measure.name, c.year)))
                    for c in comparisons
                ],
                last.measure.unit,
            )
        )
        is not None
    ]
    economies = [s.economy for s in shares]
    if len(comparisons) == 1:
        doc = comparison_document(comparisons[0], words, economies)
        doc.data = [doc.payload()]
        doc.sentences += words.notes(shares)
        return doc
    final = comparison_document(last, words, economies)
    unit = last.measure.unit
    rows = data.series_records(comparisons)
    h, cell, label = words.header, Cells(words), words.label(last.measure)
    unit_shown = words.unit(unit)
    columns: list[Column[data.SeriesRow]] = [
        Column("year", h("year"), lambda r: str(r.year)),
        Column("a", f"{last.a.id} ({unit_shown})", lambda r: cell.side(r.total_a), numeric=True),
        Column("b", f"{last.b.id} ({unit_shown})", lambda r: cell.side(r.total_b), numeric=True),
        Column("difference", h("difference"), lambda r: cell.side(r.difference, signed=True), numeric=True),
        Column("pct_of_a", f"{h('% of')} {last.a.id}", lambda r: cell.percent(r.pct_of_a), numeric=True),
        Column("status", h("status"), lambda r: words.status(r.status or "")),
    ]
    title = f"{label}: {last.a.id} {h('against')} {last.b.id}"
    section: Section[Any] = _wide(title, last.a.id, last.b.id, rows, words) if wide else Section(title, columns, rows)
    trends = (
        []
        if wide
        else [
            trend(last.a.id, [(c.year, c.total_a.value) for c in comparisons]),
            trend(last.b.id, [(c.year, c.total_b.value) for c in comparisons]),
        ]
    )
    changes = [
        found
        for side in ("a", "b")
        if (
            found := change(
                getattr(last, side).id,
                [(c.year, getattr(c, f"total_{side}").value) for c in comparisons],
                unit,
                {c.year: table_of(getattr(c, f"total_{side}")) for c in comparisons},
            )
        )
        is not None
    ]
    marks = legend([f"{r.total_a.mark} {r.total_b.mark}" for r in rows], words)
    period = f"{h('Period')}: {words.period(last.measure, last.reading.quarter)}."
    return Document(
        sections=[section, *final.sections],
        data=[*(data.comparison_data(c, words) for c in comparisons[:-1]), final.data],  # the last one made once
        csv_records=section.records
        if wide
        else [*(r for c in comparisons[:-1] for r in data.comparison_records(c, words)), *(final.csv_records or [])],
        sentences=[*words.notes([*trends, *changes, *shares, *series_notes(comparisons)]), *final.sentences],
        footnotes=[period, *marks, *estimate_lines([(cov, unit) for cov in last.coverages], words)],
        sources=final.sources,
    )


def _wide(title: str, a: str, b: str, rows: Sequence[data.SeriesRow], words: Words) -> Section[data.WideSeriesRow]:
    """The same series with years as columns: a row for A, for B and for the difference, each cell as the long
    table shows it (the rows keep the data's own words; the table tells them in the language of `words`)."""
    cell = Cells(words)
    years = [str(r.year) for r in rows]
    lines = [
        (a, [r.total_a for r in rows], False),
        (b, [r.total_b for r in rows], False),
        ("difference", [r.difference for r in rows], True),
    ]
    found = [
        data.WideSeriesRow(
            label,
            tuple(zip(years, (ENGLISH.side(s, signed) for s in sides), strict=True)),
            tuple(zip(years, (cell.side(s, signed) for s in sides), strict=True)),
            tuple(s.low for s in sides),
        )
        for label, sides, signed in lines
    ]
    first: list[Column[data.WideSeriesRow]] = [
        Column("series", "", lambda r: words.header("difference") if r.series == "difference" else r.series)
    ]
    return Section(title, _year_columns(first, years, words), found)


W = TypeVar("W", data.WideMeasureRow, data.WideSeriesRow)


def _year_columns(first: list[Column[W]], years: Sequence[str], words: Words) -> list[Column[W]]:
    """Label columns, a column per year, and a trend column."""

    def year_cell(year: str) -> Callable[[W], str]:
        return lambda r: dict(r.shown).get(year, "")

    columns = first + [Column(y, y, year_cell(y), numeric=True) for y in years]
    columns.append(Column("values", words.header("trend"), lambda r: sparkline(r.values), no_wrap=True))
    return columns


def count_document(
    definition: Definition,
    results: Sequence[tuple[Measure, int, Coverage]],
    words: Words,
    wide: bool = False,
    quarter: int | None = None,
    economy: data.Economy | None = None,
    asked: Sequence[Measure] = (),
    notes: Sequence[Note] = (),
) -> Document:
    """A definition's value per measure and year, with its coverage and sources, and its share of the whole
    economy in the latest year that has both (where the economy's figure is stored); `notes` are said first (a
    break in the series)."""
    economy = economy or {}
    records = data.count_records(definition, results, words, economy)
    h, cell = words.header, Cells(words)
    record_units = {r.unit for r in records}
    one_unit = len(record_units) == 1  # then the unit stands in the value's header, not in a column of its own
    columns: list[Column[data.CountRow]] = [
        Column("measure", h("measure"), lambda r: words.measure(r.measure)),
        Column("year", h("year"), lambda r: str(r.year)),
        Column(
            "value",
            f"{h('value')} ({words.unit(next(iter(record_units)))})" if one_unit else h("value"),
            lambda r: cell.row(r),
            numeric=True,
        ),
        *([] if one_unit else [Column("unit", h("unit"), lambda r: words.unit(r.unit))]),
        Column("coverage", h("coverage"), lambda r: words.coverage(r.coverage)),
        Column("why_not", h("why not"), lambda r: r.why_not or ""),
        Column("status", h("status"), lambda r: words.status(r.status or "")),
        Column("sources", h("sources"), lambda r: r.sources_shown),
    ]
    title = f"{definition.id}: {definition.title_in(words.lang)}"
    section: Section[Any] = _wide_by_measure(title, records, words) if wide else Section(title, columns, records)
    coverages = [cov for _, _, cov in results]
    conventions = dict.fromkeys(f"{words.measure(m.name)}: {words.period(m, quarter)}." for m, _, _ in results)
    by_measure: dict[str, list[tuple[int, Value | None]]] = {}
    tables: dict[str, dict[int, str | None]] = {}
    units: dict[str, str] = {}
    for m, year, cov in results:
        by_measure.setdefault(m.name, []).append((year, cov.value))
        tables.setdefault(m.name, {})[year] = table_of(cov)
        units[m.name] = m.unit
    shares = [
        share
        for name, values in by_measure.items()
        if (
            share := share_of_economy(
                f"{definition.id} ({words.measure(name)})",
                [(y, v, economy.get((name, y))) for y, v in values],
                units[name],
            )
        )
        is not None
    ]
    changes = [
        found
        for name, values in by_measure.items()
        if len(values) > 1
        and (found := change(f"{definition.id}, {words.measure(name)},", values, units[name], tables[name])) is not None
    ]
    return Document(
        sections=[section],
        data=Later(lambda: data.count_data(definition, results, words, economy)),
        sentences=words.notes(
            [*notes, *changes, *shares] if results else [NothingStored(definition.id, tuple(m.name for m in asked))]
        ),
        footnotes=[
            *conventions,
            *legend([r.mark for r in records], words),
            *estimate_lines([(cov, m.unit) for m, _, cov in results], words),
        ],
        sources=footnotes([*figures_behind(coverages), *(s.economy for s in shares)], words),
        csv_records=section.records,
        row_type=data.WideMeasureRow if wide else data.CountRow,
    )


def _wide_by_measure(title: str, records: Sequence[data.CountRow], words: Words) -> Section[data.WideMeasureRow]:
    """Years as columns, one row per measure, each cell as the long table shows it."""
    cell = Cells(words)
    years = [str(y) for y in sorted({r.year for r in records})]
    by_measure: dict[str, list[data.CountRow]] = {}
    for r in records:
        by_measure.setdefault(r.measure, []).append(r)
    rows = [
        data.WideMeasureRow(
            name,
            found[0].unit,
            tuple((y, next((ENGLISH.row(r) for r in found if str(r.year) == y), "")) for y in years),
            tuple((y, next((cell.row(r) for r in found if str(r.year) == y), "")) for y in years),
            tuple(r.value_low for r in found),
        )
        for name, found in by_measure.items()
    ]
    h = words.header
    first: list[Column[data.WideMeasureRow]] = [
        Column("measure", h("measure"), lambda r: words.measure(r.measure)),
        Column("unit", h("unit"), lambda r: words.unit(r.unit)),
    ]
    return Section(title, _year_columns(first, years, words), rows)


def crossing_document(c: Crossing, words: Words) -> Document:
    """A against B across the classification break: both totals, the gap, and the gap link group by link group."""
    unit = c.measure.unit
    records = data.crossing_records(c, words)
    la, lb = c.book_a.sbi.label, c.book_b.sbi.label
    h, cell = words.header, Cells(words)

    def side_a(r: data.CrossingRow) -> str:
        # a total of the other side, or a link group with no code on this side: nothing to value
        shown = (r.record == "link" and r.codes_a) or r.value_a_low is not None
        return cell.range(r.value_a_low, r.value_a_high) if shown else ""

    def side_b(r: data.CrossingRow) -> str:
        shown = (r.record == "link" and r.codes_b) or r.value_b_low is not None
        return cell.range(r.value_b_low, r.value_b_high) if shown else ""

    total_columns: list[Column[data.CrossingRow]] = [
        Column("definition", h("definition"), no_wrap=True),
        Column("classification", "SBI", lambda r: r.classification.replace("sbi", "SBI "), no_wrap=True),
        Column("value", words.unit(unit), lambda r: _total_value(r, cell), numeric=True),
        Column("sources", h("sources"), lambda r: r.sources_shown),
    ]
    group_columns: list[Column[data.CrossingRow]] = [
        Column("part", h("link"), lambda r: words.link(r.part), no_wrap=True),
        Column("codes_a", h("codes of A"), no_wrap=True),
        Column("codes_b", h("codes of B"), no_wrap=True),
        Column("value_a", la, side_a, numeric=True),
        Column("value_b", lb, side_b, numeric=True),
        Column("value", h("difference"), lambda r: cell.signed(r.value_low, r.value_high), numeric=True),
        Column("share_of_gap", h("% of gap"), lambda r: cell.percent(r.share_of_gap), numeric=True, no_wrap=True),
        Column("outside", h("also holds"), lambda r: " ".join(filter(None, (r.outside_a, r.outside_b)))),
    ]
    sentences = words.notes(crossing_notes(c))
    contract = data.crossing_data(c, words, sentences)
    heading = f"{words.label(c.measure)}, {c.year}: {c.a.id} ({la}) {h('against')} {c.b.id} ({lb})"
    concordance = h(
        "Each side is read only from figures of its own classification; the links are lsh's {la} -> {lb} concordance "
        "(Eurostat's NACE correspondence and the Dutch subclasses)."
    )
    return Document(
        sections=[
            Section(heading, total_columns, records[:3]),
            Section(
                h("Where the difference comes from, link by link (A = {a}, B = {b})").format(a=c.a.id, b=c.b.id),
                group_columns,
                records[3:],
            ),
        ],
        data=contract,
        sentences=sentences,
        footnotes=[
            f"{h('Period')}: {words.period(c.measure, c.book_a.reading.quarter)}.",
            concordance.format(la=la, lb=lb),
        ],
        sources=footnotes(figures_behind(c.coverages, partial=True), words),
        csv_records=records,
        row_type=data.CrossingRow,
    )


def _total_value(row: data.CrossingRow, cell: Cells) -> str:
    """The value a totals row shows: its own side's, or the difference."""
    if row.record == "difference":
        return cell.range(row.value_low, row.value_high)
    if row.value_a_low is not None:
        return cell.range(row.value_a_low, row.value_a_high)
    return cell.range(row.value_b_low, row.value_b_high)


def across_document(x: Across, words: Words) -> Document:
    """A definition's series across the classification break beside its translation, with the break marked."""
    records = data.across_records(x)
    la, lb = x.book_a.sbi.label, x.book_b.sbi.label
    h, cell = words.header, Cells(words)

    columns: list[Column[data.AcrossRow]] = [
        Column("year", h("year"), lambda r: f"{r.year}{' |' if r.break_ else ''}", no_wrap=True),
        Column("value_a", f"{x.a.id} ({la})", lambda r: cell.range(r.value_a_low, r.value_a_high), numeric=True),
        Column("value_b", f"{x.b.id} ({lb})", lambda r: cell.range(r.value_b_low, r.value_b_high), numeric=True),
    ]
    if x.ratio is not None:
        columns.append(
            Column(
                "linked",
                h("linked, in {classification} *").format(classification=lb),
                lambda r: cell.estimates(r.linked_low, r.linked_high) or cell.estimate(r.linked_by_ratio),
                numeric=True,
            )
        )
    if any(r.estimate_a_low is not None for r in records):
        columns.append(
            Column(
                "estimate_a",
                h("{definition} estimated *").format(definition=x.a.id),
                lambda r: cell.estimates(r.estimate_a_low, r.estimate_a_high),
                numeric=True,
            )
        )
    sentences = words.notes(across_notes(x))
    contract = data.across_data(x, words, sentences)
    marks = [
        h("| the classification break: the first year with a value in {classification}.").format(classification=lb)
    ]
    if x.ratio is not None or any(r.estimate_a_low is not None for r in records):
        marks.append(h("* estimated, not published (see the sentences above)."))
    title = h("{measure} across the break: {a} and {b}").format(measure=words.labelled(x.measure), a=x.a.id, b=x.b.id)
    return Document(
        sections=[Section(title, columns, records)],
        data=contract,
        sentences=sentences,
        footnotes=[f"{h('Period')}: {words.period(x.measure, x.book_a.reading.quarter)}.", *marks],
        sources=footnotes(x.sources, words),
        csv_records=records,
        row_type=data.AcrossRow,
    )
