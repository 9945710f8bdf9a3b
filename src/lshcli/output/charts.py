"""Charts of definitions over time and of the bridge from one definition to another (matplotlib, headless).

Missing values are never drawn as zero: a year without a value is a gap in its line with an 'n/a'
mark on the axis, and a step of the bridge whose value is not known is an empty hatched box labelled
'n/a'. When a step is unknown the bridge cannot be closed, so it shows each step's own contribution
instead of a running total, and says so. Estimated values are drawn hollow or hatched and labelled.
Every chart names its measure and unit on the axis and its sources in the footer.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lshcli.compare import Comparison, Part
from lshcli.cover import Coverage, figures_behind
from lshcli.measures import Measure
from lshcli.model import Value, total
from lshcli.output.provenance import source_labels
from lshcli.output.words import Words

if TYPE_CHECKING:
    from lshcli.benchmark import Benchmark

FORMATS = ("png", "svg")
COLORS = ("#1f5f8b", "#c2571a", "#2e7d32", "#7b3f99", "#8c6d1f", "#00838f")
UP, DOWN, TOTAL, UNKNOWN = "#2e7d32", "#c62828", "#1f5f8b", "#9e9e9e"
ENGLISH = Words()


@dataclass(frozen=True)
class Point:
    """One year of a series: the value (or None), and how it may be read."""

    year: int
    value: Value | None
    estimated: bool = False
    provisional: bool = False
    bounded: bool = False
    """The value is the interval the figures allow: drawn as a range bar."""


@dataclass(frozen=True)
class Series:
    """One definition's values over the years, with the coverage of each year (for its sources)."""

    name: str
    points: tuple[Point, ...]
    coverages: tuple[Coverage, ...] = ()


def series_from(name: str, results: Sequence[tuple[int, Coverage]]) -> Series:
    """A series from a definition's coverage per year."""
    points = []
    for year, cov in results:
        value, bounded = _shown(cov)
        points.append(Point(year, value, cov.estimated, cov.provisional, bounded))
    return Series(name, tuple(points), tuple(cov for _, cov in results))


def series_title(measure: Measure, series: Sequence[Series], words: Words = ENGLISH) -> str:
    """'firms, 2010-2019: topsector, pwc2017'."""
    years = sorted({p.year for s in series for p in s.points})
    return f"{words.label(measure)}, {years[0]}-{years[-1]}: {', '.join(s.name for s in series)}"


def bridge_title(c: Comparison, words: Words = ENGLISH) -> str:
    """'firms, 2016: from topsector to pwc2017'."""
    return words.header("{measure}, {year}: from {a} to {b}").format(
        measure=words.label(c.measure), year=c.year, a=c.a.id, b=c.b.id
    )


@dataclass(frozen=True)
class Step:
    """One bar of the bridge: a total, or what a group of codes adds or takes away."""

    label: str
    value: Value | None
    kind: str  # "total", "add", "remove"
    estimated: bool = False
    bounded: bool = False
    """The value is the interval the figures allow, not a figure: drawn at its middle with its range."""


def _shown(cov: Coverage) -> tuple[Value | None, bool]:
    """A coverage's value, or the interval the figures allow when both its sides are bounded."""
    if cov.value is not None:
        return cov.value, False
    bound = cov.interval
    if bound is not None and bound.low is not None and bound.high is not None:
        return Value(bound.low, bound.high), True
    return None, False


def bridge_steps(c: Comparison, words: Words = ENGLISH) -> list[Step]:
    """A's total, minus what only A holds, plus what only B holds, group by group, then B's total."""
    value_a, bounded_a = _shown(c.total_a)
    steps = [Step(f"{c.a.id}\n(A)", value_a, "total", c.total_a.estimated, bounded_a)]
    for part, definition, kind in ((Part.ONLY_A, c.a, "remove"), (Part.ONLY_B, c.b, "add")):
        groups: dict[str, list[Any]] = {}
        for row in c.rows:
            if row.part != part:
                continue
            found = definition.code(row.code.split("+")[0])
            groups.setdefault((found.group_in(words.lang) if found else "") or row.code, []).append(row)
        for name, rows in groups.items():
            codes = ", ".join(r.code for r in rows)
            shown = [_shown(r.coverage) for r in rows]
            values = [v for v, _ in shown]
            value = None if any(v is None for v in values) else total(v for v in values if v is not None)
            label = name if name == codes else f"{name}\n({codes})"
            estimated = any(r.coverage.estimated for r in rows)
            steps.append(Step(label, value, kind, estimated, any(b for _, b in shown)))
    value_b, bounded_b = _shown(c.total_b)
    steps.append(Step(f"{c.b.id}\n(B)", value_b, "total", c.total_b.estimated, bounded_b))
    return steps


def _figure(width: float = 8.0, height: float = 4.8) -> Any:
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text in SVG: searchable, and titles testable
    matplotlib.rcParams["svg.hashsalt"] = "lsh"
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100)


def _footer(fig: Any, sources: Sequence[str], words: Words, note: str = "") -> None:
    shown = list(dict.fromkeys(sources))
    text = words.header("Source:") + " " + ("; ".join(shown) if shown else words.NOTHING_STORED)
    lines = textwrap.wrap(text, 150)[:3] + (textwrap.wrap(note, 150) if note else [])
    fig.text(0.01, 0.01, "\n".join(lines[:5]), fontsize=7, color="#555555", va="bottom", ha="left")


def _thousands(ax: Any, words: Words) -> None:
    """Axis numbers with thousands separators (3,000; 3.000 in Dutch), and no more decimals than they need."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: words.number(round(value, 2))))


def _save(fig: Any, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be png or svg, not {fmt!r}")
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": "lsh"}
    fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def series_chart(
    series: Sequence[Series],
    measure: Measure,
    fmt: str,
    break_year: int | None = None,
    break_label: str = "",
    words: Words = ENGLISH,
) -> bytes:
    """Lines of one or more definitions over the years; gaps and 'n/a' where a year has no value.

    `break_year` draws the classification break: a vertical line before the first year of the new classification.
    """
    title = series_title(measure, series, words)
    sources = source_labels(figures_behind([cov for s in series for cov in s.coverages]), words=words)
    fig = _figure()
    ax = fig.add_axes((0.09, 0.2, 0.88, 0.68))
    years = sorted({p.year for s in series for p in s.points})
    known = [p.value.high for s in series for p in s.points if p.value is not None]
    top = max(known) if known else 1.0
    # a wide interval (all of a division for one class in it) never sets the scale: the axis follows what is known,
    # the values and the lower sides of intervals, and a whisker that goes beyond it says where it ends
    sure = [p.value.low if p.bounded else p.value.high for s in series for p in s.points if p.value is not None]
    if sure and max(sure) > 0 and top > 2 * max(sure):
        top = 2 * max(sure)
    for i, s in enumerate(series):
        color = COLORS[i % len(COLORS)]
        xs = [p.year for p in s.points]
        ys = [None if p.value is None else (p.value.low + p.value.high) / 2 for p in s.points]
        line = [float("nan") if y is None or p.bounded else y for p, y in zip(s.points, ys, strict=True)]
        ax.plot(xs, line, color=color, marker="o", label=s.name)  # an interval is no point on a line
        for p, y in zip(s.points, ys, strict=True):
            if p.value is None:
                ax.annotate(words._("n/a"), (p.year, 0), color=color, fontsize=7, ha="center", va="bottom")
                continue
            at = p.year + (i - (len(series) - 1) / 2) * 0.09 if p.bounded else p.year  # side by side, not on top
            if not p.value.is_point:
                ax.vlines(at, p.value.low, min(p.value.high, top * 1.1), color=color, linewidth=1.2, alpha=0.7)
            if p.bounded:  # the interval the figures allow: a whisker with caps, and no point inside it
                ends = [v for v in (p.value.low, p.value.high) if v <= top * 1.1]
                ax.hlines(ends, at - 0.06, at + 0.06, color=color, linewidth=1.5)
                if p.value.high > top * 1.1:  # beyond the axis: an arrow and where it ends
                    ax.annotate(
                        f"\u2191 {words.number(round(p.value.high, 1))}",
                        (at, top * 1.1),
                        xytext=(0, 2 + 7 * i),  # one row per series, so the labels of a year never overlap
                        textcoords="offset points",
                        fontsize=5.5,
                        color=color,
                        ha="center",
                        va="bottom",
                    )
                continue
            if p.estimated:
                ax.plot([p.year], [y], marker="o", markerfacecolor="white", color=color)
                ax.annotate(
                    words.header("est."),
                    (p.year, y),
                    textcoords="offset points",
                    xytext=(0, 6),
                    fontsize=7,
                    ha="center",
                )
            if p.provisional:
                ax.annotate("p", (p.year, y), textcoords="offset points", xytext=(5, -10), fontsize=7, color=color)
    if break_year is not None:
        ax.axvline(break_year - 0.5, color="#555555", linestyle="--", linewidth=1)
        ax.annotate(
            break_label or words.header("classification break"),
            (break_year - 0.5, top * 1.08 if top > 0 else 1),
            fontsize=7,
            color="#555555",
            ha="right",
            xytext=(-3, 0),
            textcoords="offset points",
        )
    ax.set_ylim(0, top * (1.2 + 0.06 * len(series)) if top > 0 else 1)
    _thousands(ax, words)
    ax.set_xticks(years)
    ax.set_xticklabels([str(y) for y in years], rotation=45 if len(years) > 10 else 0)
    ax.set_ylabel(words.labelled(measure))
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    notes = words.header(
        "Gaps and 'n/a': no value can be computed for that year (never zero). Whiskers: a published range, or the "
        "interval the figures allow (with caps; an arrow where it runs past the axis). p: provisional; est.: "
        "estimated."
    )
    _footer(fig, sources, words, notes)
    return _save(fig, fmt)


def bridge_chart(c: Comparison, fmt: str, words: Words = ENGLISH) -> bytes:
    """A waterfall from A's total to B's, group by group; contributions only when a step is unknown."""
    title = bridge_title(c, words)
    sources = source_labels(c.sources, words=words)
    steps = bridge_steps(c, words)
    closed = all(s.value is not None for s in steps)
    fig = _figure(9.0, 5.2)
    ax = fig.add_axes((0.09, 0.26, 0.88, 0.62))
    level = 0.0
    for i, s in enumerate(steps):
        mid = None if s.value is None else (s.value.low + s.value.high) / 2  # a range bar's middle
        if mid is None:  # a marker on the axis, never a bar whose height could be read as a value
            ax.plot([i], [0], marker="x", markersize=9, color=UNKNOWN, linestyle="none")
            ax.annotate(words._("n/a"), (i, 0), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
            continue
        signed = -mid if s.kind == "remove" else mid
        if s.kind == "total" or not closed:
            bottom, height = (0.0, signed)
        else:
            bottom, height = (level, signed)
        color = TOTAL if s.kind == "total" else (DOWN if signed < 0 else UP)
        ax.bar(
            i,
            height,
            bottom=bottom,
            color=color,
            hatch="//" if s.estimated else ".." if s.bounded else None,
            edgecolor="white",
            alpha=0.55 if s.bounded else 1.0,
        )
        top = bottom + height
        label = words.number(round(signed, 2), signed=True) if s.kind != "total" else words.number(round(mid, 2))
        if s.bounded and s.value is not None:
            half = (s.value.high - s.value.low) / 2
            ax.errorbar(i, top, yerr=half, color="#333333", capsize=4, linewidth=1)
            low, high = (-s.value.high, -s.value.low) if s.kind == "remove" else (s.value.low, s.value.high)
            label = words.value(Value(round(low, 2), round(high, 2)))
        ax.annotate(
            label + (f" ({words.header('est.')})" if s.estimated else ""),
            (i, max(bottom, top)),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=8,
        )
        level = top if s.kind != "total" else mid
    ax.axhline(0, color="#333333", linewidth=0.8)
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + 0.12 * (high - low))  # room for the labels above the tallest bar, below the title
    _thousands(ax, words)
    ax.set_xticks(range(len(steps)))
    ax.set_xticklabels([s.label for s in steps], fontsize=8)
    ax.set_ylabel(words.labelled(c.measure))
    open_bridge = words.header("(each step's own contribution: the bridge cannot be closed)")
    ax.set_title(title if closed else f"{title}\n{open_bridge}")
    ax.grid(axis="y", alpha=0.3)
    unknown = [s.label.split("\n")[0] for s in steps if s.value is None]
    note = words.header("Not known (marked x on the axis, never a bar): {steps}.").format(steps=", ".join(unknown))
    note = note if unknown else ""
    if any(s.bounded for s in steps):
        note = (note + " " if note else "") + words.header(
            "Dotted bars with a range: no single figure, the interval the published figures allow (drawn at its "
            "middle)."
        )
    _footer(fig, sources, words, note)
    return _save(fig, fmt)


def benchmark_chart(found: Benchmark, fmt: str, words: Words = ENGLISH) -> bytes:
    """A definition across countries, side by side: a bar to what is known for sure, a whisker to the most the
    figures allow (an arrow where they allow no most), and an 'x' on the axis where nothing is known."""
    import numpy as np

    title = words.header("{definition} by country: {measure}, {year} (Eurostat {dataset})").format(
        definition=found.definition.id,
        measure=words.measure(found.indicator.name),
        year=found.year,
        dataset=found.dataset,
    )
    fig = _figure(max(5.0, 1.2 * len(found.countries) + 2), 4.8)
    ax = fig.add_axes((0.12, 0.2, 0.85, 0.68))
    sides: list[tuple[float | None, float | None]] = []
    for v in found.countries:
        value, interval = v.coverage.value, v.coverage.interval
        if value is not None:
            sides.append((value.low, value.high))
        elif interval is not None:
            sides.append((interval.low, interval.high))
        else:
            sides.append((None, None))
    known = [x for low, high in sides for x in (low, high) if x is not None]
    top = max(known) if known else 1.0
    for i, (low, high) in enumerate(sides):
        if low is None and high is None:
            ax.plot([i], [0], marker="x", markersize=9, color=UNKNOWN, linestyle="none")
            ax.annotate(words._("n/a"), (i, 0), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
            continue
        base = low or 0.0
        ax.bar(i, base, color=COLORS[0], alpha=1.0 if high == low else 0.55, hatch=None if high == low else "..")
        if high is None:
            ax.annotate("", (i, top * 1.12), xytext=(i, base), arrowprops={"arrowstyle": "->", "color": "#333333"})
        elif high != low:
            ax.errorbar(i, (base + high) / 2, yerr=(high - base) / 2, color="#333333", capsize=4, linewidth=1)
        shown = (
            words.value(Value(base, high))
            if high is not None
            else words._("at least {value}", value=words.number(base))
        )
        ax.annotate(
            shown, (i, max(base, high or base)), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=7
        )
    ax.set_xticks(np.arange(len(found.countries)))
    ax.set_xticklabels([v.country for v in found.countries])
    ax.set_ylim(0, top * 1.25)
    _thousands(ax, words)
    ax.set_ylabel(words.labelled(found.indicator_measure()))
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    note = words.header(
        "Bars: what the published class figures give for sure; whiskers: the most they allow (an arrow: no most); "
        "x: nothing published."
    )
    _footer(fig, source_labels([o for v in found.countries for o in v.coverage.resting_on], words=words), words, note)
    return _save(fig, fmt)
