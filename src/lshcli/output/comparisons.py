"""Documents of values: one comparison, a comparison over years, and a definition's values by measure and year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from lshcli.compare import Comparison
from lshcli.cover import Coverage, figures_behind
from lshcli.crossing import Across, Crossing
from lshcli.definitions import Definition
from lshcli.explain import (
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
from lshcli.model import Observation, Value, format_value
from lshcli.output import data
from lshcli.output.document import Column, Document, Section, sparkline
from lshcli.output.provenance import footnotes
from lshcli.output.words import Words


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


def shown_row(row: Shows, signed: bool = False) -> str:
    """A row's value as tables show it: '3,105', '13.88 p', '6.08 *', '180 to 200' (a published range),
    '2,290 - 3,255' (an interval the figures allow; '-815 - +150' `signed`), 'at least 12.9', or 'n/a'."""
    if row.bound:
        return bound_text(row.value_low, row.value_high, signed=signed)
    return _range(row.value_low, row.value_high, row.mark)


def bound_text(low: float | None, high: float | None, signed: bool = False) -> str:
    """An interval the figures allow, as tables show it: '2,290 - 3,255', '-815 - +150', 'at least 12.9'."""

    def one(x: float) -> str:
        text = format_value(Value(x, x))
        return f"+{text}" if signed and x > 0 else text

    if low is not None and high is not None:
        return f"{one(low)} - {one(high)}"
    if low is not None:
        return f"at least {one(low)}"
    if high is not None:
        return f"at most {one(high)}"
    return "n/a"


def _range(low: float | None, high: float | None, marks: str = "") -> str:
    if low is None or high is None:
        return "n/a"
    return format_value(Value(low, high)) + (f" {marks}" if marks else "")


def value_text(cov: Coverage) -> str:
    """A coverage's value as tables show it."""
    v = data.valued(cov)
    return (
        bound_text(v["value_low"], v["value_high"])
        if v["bound"]
        else _range(v["value_low"], v["value_high"], v["mark"])
    )


def told_sources(lines: Sequence[str], words: Words) -> list[str]:
    """The 'Sources:' footnote lines in the language of `words` (the citations themselves stay as written)."""
    return [words.header("Sources:") if line == "Sources:" else words.source(line) for line in lines]


def legend(marks: Sequence[str], words: Words) -> list[str]:
    """'Marks: ...' for the marks shown, or nothing; in the language of `words`."""
    used = {part for m in marks for part in m.split()}
    return [f"{words.MARKS_LABEL}: {'; '.join(t for key, t in words.MARKS.items() if key in used)}."] if used else []


def _share_cell(row: data.ComparisonRow) -> str:
    """A row's share of the gap: '+67.4%', or the interval the figures allow ('+12.0% - +40.0%')."""
    if row.share_of_gap is not None:
        return f"{row.share_of_gap:+.1f}%"
    low, high = row.share_of_gap_low, row.share_of_gap_high
    if low is None or high is None:
        return ""
    return f"{low:+.1f}% - {high:+.1f}%"


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
    h, value = words.header, words.cell
    total_columns: list[Column[data.ComparisonRow]] = [
        Column("definition", h("definition")),
        Column("value", words.unit(unit), lambda r: value(shown_row(r, signed=r.record == "difference")), numeric=True),
        Column("pct_of_a", h("% of A"), lambda r: value(_signed_percent(r.pct_of_a)), numeric=True),
        Column("status", h("status"), lambda r: words.status(r.status or "")),
        Column("sources", h("sources"), lambda r: words.source(r.sources or "")),
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
        Column("value", words.unit(unit), lambda r: value(shown_row(r)), numeric=True),
        Column("pct_of_a", h("% of A"), lambda r: value(_signed_percent(r.pct_of_a)), numeric=True, no_wrap=True),
        Column("share_of_gap", h("% of gap"), lambda r: value(_share_cell(r)), numeric=True, no_wrap=True),
        Column("sources", h("sources"), lambda r: words.source(r.sources or "")),
    ]
    sentences = words.notes(comparison_notes(c))  # made once: the table's sentences are the JSON's
    contract = data.comparison_data(c, words, sentences)
    label = words.label(c.measure)
    heading = f"{label}, {c.year}: {c.a.id} (A) {h('against')} {c.b.id} (B)"
    sources = footnotes([*figures_behind(c.coverages, [o for _, o in c.published_totals], partial=True), *also_from])
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
        sources=told_sources(sources, words),
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
        doc.data = [doc.data]
        doc.sentences += words.notes(shares)
        return doc
    final = comparison_document(last, words, economies)
    unit = last.measure.unit
    rows = data.series_records(comparisons)
    h, value, label = words.header, words.cell, words.label(last.measure)
    unit_shown = words.unit(unit)
    columns: list[Column[data.SeriesRow]] = [
        Column("year", h("year"), lambda r: str(r.year)),
        Column("a", f"{last.a.id} ({unit_shown})", lambda r: value(_series_cell(r.total_a)), numeric=True),
        Column("b", f"{last.b.id} ({unit_shown})", lambda r: value(_series_cell(r.total_b)), numeric=True),
        Column("difference", h("difference"), lambda r: value(_series_cell(r.difference, True)), numeric=True),
        Column("pct_of_a", f"{h('% of')} {last.a.id}", lambda r: value(_signed_percent(r.pct_of_a)), numeric=True),
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


def _series_cell(side: data.Side, signed: bool = False) -> str:
    """One value of a series row: a value, a published range, or an interval the figures allow."""
    if side.bound:
        return bound_text(side.low, side.high, signed=signed)
    return _range(side.low, side.high, side.mark)


def _signed_percent(value: float | None) -> str:
    """A percentage with its sign: '+67.4%' ('' where there is none)."""
    return "" if value is None else f"{value:+.1f}%"


def _wide(title: str, a: str, b: str, rows: Sequence[data.SeriesRow], words: Words) -> Section[data.WideSeriesRow]:
    """The same series with years as columns: a row for A, for B and for the difference, each cell as the long
    table shows it (the rows keep the data's own words; the table tells them in the language of `words`)."""
    years = [str(r.year) for r in rows]
    lines = [
        (a, [r.total_a for r in rows], False),
        (b, [r.total_b for r in rows], False),
        ("difference", [r.difference for r in rows], True),
    ]
    found = [
        data.WideSeriesRow(
            label,
            tuple(zip(years, (_series_cell(s, signed) for s in sides), strict=True)),
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
        return lambda r: words.cell(dict(r.years).get(year, ""))

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
) -> Document:
    """A definition's value per measure and year, with its coverage and sources, and its share of the whole
    economy in the latest year that has both (where the economy's figure is stored)."""
    economy = economy or {}
    records = data.count_records(definition, results, words, economy)
    h, value = words.header, words.cell
    record_units = {r.unit for r in records}
    one_unit = len(record_units) == 1  # then the unit stands in the value's header, not in a column of its own
    columns: list[Column[data.CountRow]] = [
        Column("measure", h("measure"), lambda r: words.measure(r.measure)),
        Column("year", h("year"), lambda r: str(r.year)),
        Column(
            "value",
            f"{h('value')} ({words.unit(next(iter(record_units)))})" if one_unit else h("value"),
            lambda r: value(shown_row(r)),
            numeric=True,
        ),
        *([] if one_unit else [Column("unit", h("unit"), lambda r: words.unit(r.unit))]),
        Column("coverage", h("coverage"), lambda r: words.coverage(r.coverage)),
        Column("why_not", h("why not"), lambda r: r.why_not or ""),
        Column("status", h("status"), lambda r: words.status(r.status or "")),
        Column("sources", h("sources"), lambda r: words.source(r.sources or "")),
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
        data=data.count_data(definition, results, words, economy),
        sentences=words.notes(
            [*changes, *shares] if results else [NothingStored(definition.id, tuple(m.name for m in asked))]
        ),
        footnotes=[
            *conventions,
            *legend([r.mark for r in records], words),
            *estimate_lines([(cov, m.unit) for m, _, cov in results], words),
        ],
        sources=told_sources(footnotes([*figures_behind(coverages), *(s.economy for s in shares)]), words),
        csv_records=section.records,
        row_type=data.WideMeasureRow if wide else data.CountRow,
    )


def _wide_by_measure(title: str, records: Sequence[data.CountRow], words: Words) -> Section[data.WideMeasureRow]:
    """Years as columns, one row per measure, each cell as the long table shows it."""
    years = [str(y) for y in sorted({r.year for r in records})]
    by_measure: dict[str, list[data.CountRow]] = {}
    for r in records:
        by_measure.setdefault(r.measure, []).append(r)
    rows = [
        data.WideMeasureRow(
            name,
            found[0].unit,
            tuple((y, next((shown_row(r) for r in found if str(r.year) == y), "")) for y in years),
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
    h, value = words.header, words.cell

    def side_a(r: data.CrossingRow) -> str:
        # a total of the other side, or a link group with no code on this side: nothing to value
        shown = (r.record == "link" and r.codes_a) or r.value_a_low is not None
        return value(_range(r.value_a_low, r.value_a_high)) if shown else ""

    def side_b(r: data.CrossingRow) -> str:
        shown = (r.record == "link" and r.codes_b) or r.value_b_low is not None
        return value(_range(r.value_b_low, r.value_b_high)) if shown else ""

    total_columns: list[Column[data.CrossingRow]] = [
        Column("definition", h("definition"), no_wrap=True),
        Column("classification", "SBI", lambda r: r.classification.replace("sbi", "SBI "), no_wrap=True),
        Column("value", words.unit(unit), lambda r: value(_total_value(r)), numeric=True),
        Column("sources", h("sources"), lambda r: words.source(r.sources or "")),
    ]
    group_columns: list[Column[data.CrossingRow]] = [
        Column("part", h("link"), lambda r: words.link(r.part), no_wrap=True),
        Column("codes_a", h("codes of A"), no_wrap=True),
        Column("codes_b", h("codes of B"), no_wrap=True),
        Column("value_a", la, side_a, numeric=True),
        Column("value_b", lb, side_b, numeric=True),
        Column("value", h("difference"), lambda r: value(_signed(r.value_low, r.value_high)), numeric=True),
        Column(
            "share_of_gap", h("% of gap"), lambda r: value(_signed_percent(r.share_of_gap)), numeric=True, no_wrap=True
        ),
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
        sources=told_sources(footnotes(figures_behind(c.coverages, partial=True)), words),
        csv_records=records,
        row_type=data.CrossingRow,
    )


def _total_value(row: data.CrossingRow) -> str:
    """The value a totals row shows: its own side's, or the difference."""
    if row.record == "difference":
        return _range(row.value_low, row.value_high)
    if row.value_a_low is not None:
        return _range(row.value_a_low, row.value_a_high)
    return _range(row.value_b_low, row.value_b_high)


def _signed(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "n/a"
    text = _range(low, high)
    return text if text.startswith("-") or (low == 0 and high == 0) else f"+{text}"


def across_document(x: Across, words: Words) -> Document:
    """A definition's series across the classification break beside its translation, with the break marked."""
    records = data.across_records(x)
    la, lb = x.book_a.sbi.label, x.book_b.sbi.label
    h, value = words.header, words.cell

    columns: list[Column[data.AcrossRow]] = [
        Column("year", h("year"), lambda r: f"{r.year}{' |' if r.break_ else ''}", no_wrap=True),
        Column("value_a", f"{x.a.id} ({la})", lambda r: value(_range(r.value_a_low, r.value_a_high)), numeric=True),
        Column("value_b", f"{x.b.id} ({lb})", lambda r: value(_range(r.value_b_low, r.value_b_high)), numeric=True),
    ]
    if x.ratio is not None:
        columns.append(
            Column(
                "linked",
                h("linked, in {classification} *").format(classification=lb),
                lambda r: value(_estimate_range(r.linked_low, r.linked_high) or _estimate_cell(r.linked_by_ratio)),
                numeric=True,
            )
        )
    if any(r.estimate_a_low is not None for r in records):
        columns.append(
            Column(
                "estimate_a",
                h("{definition} estimated *").format(definition=x.a.id),
                lambda r: value(_estimate_range(r.estimate_a_low, r.estimate_a_high)),
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
        sources=told_sources(footnotes(x.sources), words),
        csv_records=records,
        row_type=data.AcrossRow,
    )


def _estimate_range(low: float | None, high: float | None) -> str:
    """An estimated interval as tables show it, each side as `_estimate_cell` shows a point."""
    if low is None or high is None:
        return ""
    if abs(high - low) <= 1e-9 * max(1.0, abs(high)):
        return _estimate_cell(low)
    return f"{_estimate_cell(low)} - {_estimate_cell(high)}"


def _estimate_cell(value: float | None) -> str:
    """An estimate as tables show it: whole where it is 100 or more (its precision is not that of a count)."""
    if value is None:
        return ""
    return format_value(Value(round(value), round(value)) if abs(value) >= 100 else Value(value, value))
