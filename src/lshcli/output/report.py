"""`lsh report`: one self-contained HTML or Markdown file with the totals, the decompositions, the charts,
the explanations, the caveats and the provenance of every figure.

The charts are embedded as PNG data, and the style sheet is inline: the file opens with no network,
and refers to nothing outside itself.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape as html_escape
from typing import TYPE_CHECKING
from urllib.parse import quote

from msgspec import structs

from lshcli._version import __version__
from lshcli.compare import compare
from lshcli.cover import Coverage, figures_behind
from lshcli.definitions import Definition
from lshcli.explain import (
    BoundedGap,
    BoundedTotal,
    MixedSources,
    Note,
    OnlyIn,
    Total,
    Totals,
    WideInterval,
    comparison_notes,
    is_caveat,
)
from lshcli.measures import Measure
from lshcli.model import Observation
from lshcli.output.catalog import definitions_document
from lshcli.output.cells import Cells
from lshcli.output.charts import benchmark_chart, bridge_chart, bridge_title, series_chart, series_from, series_title
from lshcli.output.comparisons import comparison_document
from lshcli.output.document import Column, Document, Section, clean, md_text, sparkline
from lshcli.output.formats import to_html, to_markdown
from lshcli.output.rows import Row, Spread
from lshcli.output.studies import benchmark_document, overlap_document
from lshcli.output.words import Words
from lshcli.overlap import overlap
from lshcli.query import Figurebook

if TYPE_CHECKING:
    from lshcli.benchmark import Benchmark

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1100px;
       color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.88rem; }
th, td { border: 1px solid #d8d8d8; padding: 0.25rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #f3f5f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
img { max-width: 100%; border: 1px solid #eee; margin: 0.5rem 0; }
.note { color: #555; font-size: 0.8rem; } .meta { color: #555; }
"""


@dataclass
class Block:
    """One piece of the report: a heading, a paragraph, a list, a table document or a chart."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    document: Document | None = None
    image: bytes = b""
    name: str = ""
    """A chart's file name where the charts are written beside the report ('bridge-topsector-pwc2017.png')."""


@dataclass
class Report:
    """The report as blocks, ready to be written as HTML or Markdown."""

    title: str
    blocks: list[Block]
    lang: str = "en"


def _series_document(
    measure: Measure,
    years: Sequence[int],
    results: Sequence[tuple[Definition, list[tuple[int, Coverage]]]],
    words: Words,
) -> Document:
    h = words.header
    records = [
        SeriesLine(
            definition.id,
            tuple((str(year), Cells(words).coverage(cov)) for year, cov in rows),
            sparkline([None if cov.value is None else cov.value.low for _, cov in rows]),
        )
        for definition, rows in results
    ]

    def year_cell(year: str) -> Callable[[SeriesLine], str]:
        return lambda r: dict(r.years).get(year, "")

    columns: list[Column[SeriesLine]] = [Column("definition", h("definition"))]
    columns += [Column(str(y), str(y), year_cell(str(y)), numeric=True) for y in years]
    columns.append(Column("trend", h("trend")))
    title = h("{measure} by year").format(measure=words.labelled(measure))
    return Document(
        [Section(title, columns, records)],
        data=records,
        footnotes=[
            f"{h('Period')}: {words.period(measure, None)}.",
            h("n/a: no value can be computed; p: provisional; *: estimated."),
        ],
    )


def _caveats(notes: Sequence[Sequence[Note]], coverages: Sequence[Coverage], unit: str, words: Words) -> list[str]:
    out: list[str] = []
    for each in notes:
        caveats = [n for n in each if is_caveat(n)]
        out += words.notes([n for n in caveats if not isinstance(n, (Total, MixedSources))])  # what limits the gap
        out += words.notes([n for n in caveats if isinstance(n, (Total, MixedSources))])  # then the totals' limits
    for cov in coverages:
        for m in cov.missing:
            out.append(words.missing(m, unit) + ".")
    ranges = sorted(
        {o.sbi_label for cov in coverages if cov.available for o in cov.used if o.value_low != o.value_high}
    )
    if ranges:
        out.append(words.header("Published as ranges, summed bound by bound: {codes}.").format(codes=", ".join(ranges)))
    provisional = sorted(
        {o.period for cov in coverages if cov.available for o in cov.used if "provisional" in (o.status or "")}
    )
    if provisional:
        out.append(
            words.header("Provisional CBS figures (may still be revised): {periods}.").format(
                periods=", ".join(provisional)
            )
        )
    if any(cov.estimated for cov in coverages):
        out.append(
            words.header(
                "Some values are estimates (marked *), not published figures; see the explanations for the key."
            )
        )
    return list(dict.fromkeys(out)) or [
        words.header("None: every value shown is a published figure, complete for its codes.")
    ]


class SeriesLine(Row, frozen=True):
    """A definition's line of the report's series: each year's value as the tables show it, and its trend."""

    definition: str
    years: Spread[str] = ()
    trend: str = ""


class SourceLine(Row, frozen=True):
    """A source of the report's figures (a CBS table, the bundled snapshot, a definition), and what it gives."""

    source: str
    kind: str
    version: str | None
    retrieved: str | None
    citation: str
    refs: str


def _provenance(observations: Sequence[Observation], definitions: Sequence[Definition], words: Words) -> Document:
    h = words.header
    refs: dict[tuple[str, str], list[str]] = {}
    first: dict[tuple[str, str], Observation] = {}
    for o in observations:
        key = (o.source.label, o.source.citation)
        found = refs.setdefault(key, [])
        first.setdefault(key, o)
        if o.ref and o.ref not in found:
            found.append(o.ref)
    records = [
        SourceLine(
            words.source_label(o.source),
            {"cbs": h("CBS table"), "eurostat": h("Eurostat dataset")}.get(
                o.source.kind, h("published figure (bundled snapshot)")
            ),
            (o.source.table_modified or "")[:10] or None,
            (o.source.retrieved_at or "")[:19] or None,
            o.source.citation,
            ", ".join(refs[key][:12]) + (" ..." if len(refs[key]) > 12 else ""),
        )
        for key, o in first.items()
    ]
    records += [
        SourceLine(
            f"{h('definition')} {d.id}",
            h("definition"),
            None,
            None,
            d.source or h("(no source stated)"),
            ", ".join(d.code_list),
        )
        for d in definitions
    ]
    columns: list[Column[SourceLine]] = [
        Column("source", h("source")),
        Column("kind", h("kind")),
        Column("version", h("table version"), lambda r: r.version or ""),
        Column("retrieved", h("retrieved"), lambda r: r.retrieved or ""),
        Column("refs", h("figures or codes")),
        Column("citation", h("citation")),
    ]
    return Document([Section(None, columns, records)], data=records)


def _finding(notes: Sequence[Note]) -> list[Note]:
    """What a comparison found, for the summary, what is known first: the totals that are values, the codes that
    make the gap (the two largest, with their share), then the bounds; a bound that says little is told by what is
    known of it and what bounds it, not by the interval alone."""
    wide = {n.definition: n for n in notes if isinstance(n, WideInterval)}
    known = [n for n in notes if isinstance(n, (Totals, Total))]
    bounded = [wide.get(n.definition, n) for n in notes if isinstance(n, BoundedTotal)]
    effects = [n for n in notes if isinstance(n, OnlyIn)][:2]
    gap = [n for n in notes if isinstance(n, BoundedGap)]
    return [*known, *effects, *bounded, *gap]


def _rank(note: Note) -> int:
    """Where a finding stands in the summary: values, then the codes that make a gap, then bounds, then gaps."""
    if isinstance(note, (Totals, Total)):
        return 0 if not isinstance(note, Total) or note.value is not None else 2
    if isinstance(note, OnlyIn):
        return 1
    return 3 if isinstance(note, BoundedGap) else 2


def build_report(
    book: Figurebook,
    definitions: Sequence[Definition],
    measure: Measure,
    year: int,
    years: Sequence[int],
    words: Words,
    benchmarks: Sequence[Benchmark] = (),
    source: str = "cbs",
) -> Report:
    """Every comparison of the first definition with the others, the series, the overlap, the definitions across
    countries (`benchmarks`, where given) and the sources; `source` says whose figures the book holds (CBS's, or
    Eurostat's for the Netherlands)."""
    h = words.header
    first, others = definitions[0], list(definitions[1:])
    ids = ", ".join(d.id for d in definitions)
    title = h("Life Sciences & Health by definition: {ids}").format(ids=ids)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if source == "eurostat":
        made = h(
            "Made by lsh {version} on {generated} from Eurostat's structural business statistics for the Netherlands."
        )
    elif _live(book):
        made = h(
            "Made by lsh {version} on {generated} from live CBS figures and the bundled snapshot of published figures."
        )
    else:
        made = h("Made by lsh {version} on {generated} from the bundled snapshot of published figures.")
    estimates = h("Estimates: allowed, and marked *.") if book.reading.estimate else h("Estimates: none.")
    meta = h("{measure} in {year}; series {first}-{last}.").format(
        measure=words.labelled(measure), year=year, first=years[0], last=years[-1]
    )
    blocks = [
        Block("title", title),
        Block("meta", " ".join([meta, made.format(version=__version__, generated=generated), estimates])),
    ]
    comparisons = [compare(book, first, other, measure, year) for other in others]
    series = [(d, book.values_by_year(d, measure, years)) for d in definitions]
    notes = [comparison_notes(c) for c in comparisons]
    findings = [n for each in notes for n in _finding(each)]
    findings.sort(key=_rank)  # what is known first, across the comparisons
    summary = list(  # each sentence once; a gap known only within bounds without its long reasons
        dict.fromkeys(words.note(structs.replace(n, groups=()) if isinstance(n, BoundedGap) else n) for n in findings)
    )
    blocks += [
        Block("h2", h("Summary")),
        Block("list", items=summary or [h("No comparison: give two or more definitions.")]),
    ]
    blocks += [Block("h2", h("The definitions")), Block("doc", document=definitions_document(list(definitions), words))]

    series_used = figures_behind([cov for _, rows in series for _, cov in rows])
    lines = [series_from(d.id, rows) for d, rows in series]
    blocks += [
        Block("h2", h("{measure} over time").format(measure=words.label(measure)).capitalize()),
        Block("doc", document=_series_document(measure, years, series, words)),
        Block(
            "chart",
            series_title(measure, lines, words),
            image=series_chart(lines, measure, "png", words=words),
            name=f"series-{measure.name}.png",
        ),
    ]

    for c in comparisons:
        doc = comparison_document(c, words)
        doc.sources = []  # the Provenance section lists every source once
        blocks += [
            Block("h2", h("{a} against {b}, {year}").format(a=c.a.id, b=c.b.id, year=c.year)),
            Block(
                "chart",
                bridge_title(c, words),
                image=bridge_chart(c, "png", words),
                name=f"bridge-{c.a.id}-{c.b.id}.png",
            ),
            Block("doc", document=doc),
        ]

    matrix = overlap(book, definitions, measure, year)
    overlap_doc = overlap_document(matrix, words)
    overlap_doc.sources = []
    blocks += [Block("h2", h("Which codes each definition holds")), Block("doc", document=overlap_doc)]

    across = [o for b in benchmarks for v in b.countries for o in v.coverage.resting_on]
    if benchmarks:
        blocks.append(Block("h2", h("Across countries (Eurostat)")))
        for b in benchmarks:
            found = benchmark_document([b], words)
            found.sources = []
            blocks += [
                Block(
                    "chart",
                    found.sections[0].title or "",
                    image=benchmark_chart(b, "png", words),
                    name=f"countries-{b.definition.id}.png",
                ),
                Block("doc", document=found),
            ]

    coverages = [cov for c in comparisons for cov in c.coverages]
    coverages += [cov for _, rows in series for _, cov in rows] + [r.coverage for r in matrix.rows]
    blocks += [Block("h2", h("Caveats")), Block("list", items=_caveats(notes, coverages, measure.unit, words))]
    used = series_used + [o for c in comparisons for o in c.sources] + figures_behind([r.coverage for r in matrix.rows])
    used += across
    blocks += [
        Block("h2", h("Provenance")),
        Block(
            "text",
            h(
                "Every figure in this report comes from one of these sources; each CBS table is named with its "
                "version and the time lsh retrieved it."
            ),
        ),
        Block("doc", document=_provenance(used, definitions, words)),
    ]
    return Report(title, blocks, words.lang)


def _live(book: Figurebook) -> bool:
    return book.store.has_fetched()


def _png_uri(image: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def to_html_page(report: Report) -> str:
    """One HTML file with its style and images inside."""

    def escape(text: str, quote: bool = True) -> str:
        return html_escape(clean(text), quote=quote)

    body: list[str] = []
    for block in report.blocks:
        if block.kind == "title":
            body.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "meta":
            body.append(f'<p class="meta">{escape(block.text)}</p>')
        elif block.kind == "h2":
            body.append(f"<h2>{escape(block.text)}</h2>")
        elif block.kind == "text":
            body.append(f"<p>{escape(block.text)}</p>")
        elif block.kind == "list":
            body.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in block.items) + "</ul>")
        elif block.kind == "chart":
            body.append(f'<img alt="{escape(block.text, quote=True)}" src="{_png_uri(block.image)}">')
        elif block.kind == "doc" and block.document is not None:
            body.append(to_html(block.document))
    return (
        f'<!DOCTYPE html>\n<html lang="{report.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(report.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def charts(report: Report) -> list[tuple[str, bytes]]:
    """The report's charts as files: each one's name and PNG bytes."""
    return [(b.name, b.image) for b in report.blocks if b.kind == "chart"]


def to_markdown_page(report: Report, assets: str | None = None) -> str:
    """One Markdown file; the charts are embedded as PNG data, or, with `assets` (a folder as the page refers
    to it, such as 'report-charts'), linked as the files `charts` gives, written there."""
    out: list[str] = []
    for block in report.blocks:
        if block.kind == "title":
            out.append(f"# {md_text(block.text)}\n")
        elif block.kind == "meta":
            out.append(f"_{md_text(block.text)}_\n")
        elif block.kind == "h2":
            out.append(f"## {md_text(block.text)}\n")
        elif block.kind == "text":
            out.append(md_text(block.text) + "\n")
        elif block.kind == "list":
            out.append("\n".join(f"- {md_text(i)}" for i in block.items) + "\n")
        elif block.kind == "chart":
            alt = md_text(block.text).replace("[", "(").replace("]", ")")
            link = _png_uri(block.image) if assets is None else f"{assets.rstrip('/')}/{quote(block.name)}"
            out.append(f"![{alt}]({link})\n")
        elif block.kind == "doc" and block.document is not None:
            out.append(to_markdown(block.document))
    return "\n".join(out)
