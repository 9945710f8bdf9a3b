"""The data contract: each result as JSON data, and as the flat records that CSV writes and tables show.

Both shapes of one result are made here, side by side and from the same field helpers, so a change to
what a result says is made once. Keys are stable English names; sentences in the data come from
`Words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypedDict

from msgspec import structs

from lshcli.compare import Comparison, PartRow
from lshcli.cover import Coverage, Estimate
from lshcli.definitions import Definition
from lshcli.measures import Measure, size_label
from lshcli.model import Observation, Value, percent
from lshcli.output.provenance import cell_sources
from lshcli.output.rows import CsvOnly, Named, Percent, Row, Share, ShownOnly, Sometimes, Spread, as_data
from lshcli.output.words import Words
from lshcli.sbi import Classification, SbiEntry, level_of

if TYPE_CHECKING:
    from lshcli.benchmark import Benchmark
    from lshcli.bounds import Bound
    from lshcli.cbs.fetch import FetchResult
    from lshcli.cbs.tables import TableSpec
    from lshcli.cbs.watch import TableCheck
    from lshcli.concordance import Link
    from lshcli.crosscheck import SourcePair
    from lshcli.crossing import Across, Crossing
    from lshcli.linking import Cell
    from lshcli.overlap import Overlap
    from lshcli.reconcile import Reconciled
    from lshcli.sizes import Sizes
    from lshcli.store import ForeignCell

Record = dict[str, Any]


def value_fields(value: Value | None) -> Record:
    """A value as three fields: the point (or null for a range or a missing value), low and high."""
    if value is None:
        return {"value": None, "value_low": None, "value_high": None}
    return {"value": value.low if value.is_point else None, "value_low": value.low, "value_high": value.high}


def bound_fields(bound: Bound | None) -> Record:
    """A value the figures only bound: no point, each side (null where open), and the figures that bind each."""
    if bound is None:
        return {"bound": False}
    return {
        "value": None,
        "value_low": bound.low,
        "value_high": bound.high,
        "bound": True,
        "binds_low": [o.ref for o in bound.binds_low],
        "binds_high": [o.ref for o in bound.binds_high],
    }


def shown_fields(cov: Coverage) -> Record:
    """A coverage's value as records carry it: the value, or the bound the figures allow, or nothing."""
    if cov.interval is not None:
        return bound_fields(cov.interval)
    fields = {**value_fields(cov.value), "bound": False}
    if cov.derived and cov.bound is not None:
        fields["derived_from"] = [{"ref": o.ref, "sign": round(sign)} for o, sign in cov.bound.terms]
    return fields


def mark(cov: Coverage) -> str:
    """The marks a value carries in tables: '*' when part of it is estimated ('*!' when the estimate lies outside the
    bounds the published figures allow), 'p' when any figure is provisional."""
    if not cov.available:
        return ""
    star = "*!" if cov.outside_bounds else "*"
    return " ".join(m for m, on in ((star, cov.estimated), ("p", cov.provisional)) if on)


class Valued(TypedDict):
    """A value as a row carries it: the point (None for a range, a bound or nothing), each side, whether the figures
    only bound it (and the figures that bind each side), what it was derived from, whether part of it is estimated,
    and the marks a table shows beside it."""

    value: float | None
    value_low: float | None
    value_high: float | None
    bound: bool | None
    """None where the question does not arise (a size group, found from its classes rather than from codes)."""
    binds_low: tuple[str | None, ...] | None
    binds_high: tuple[str | None, ...] | None
    derived_from: tuple[dict[str, Any], ...] | None
    estimated: bool | None
    """None for a difference, which is not itself made of figures."""
    mark: str


def valued(cov: Coverage) -> Valued:
    """A coverage's value as a row carries it (the fields of `shown_fields`, with its estimate flag and marks)."""
    if cov.interval is not None:
        return _bounded(cov.interval, cov.estimated, mark(cov))
    found = valued_plain(cov.value)
    found["bound"], found["estimated"], found["mark"] = False, cov.estimated, mark(cov)
    if cov.derived and cov.bound is not None:
        found["derived_from"] = tuple({"ref": o.ref, "sign": round(sign)} for o, sign in cov.bound.terms)
    return found


def _bounded(found: Bound, estimated: bool | None, marks: str) -> Valued:
    """A value the figures only bound: no point, each side (None where open), and the figures that bind each."""
    return Valued(
        value=None,
        value_low=found.low,
        value_high=found.high,
        bound=True,
        binds_low=tuple(o.ref for o in found.binds_low),
        binds_high=tuple(o.ref for o in found.binds_high),
        derived_from=None,
        estimated=estimated,
        mark=marks,
    )


def valued_plain(value: Value | None) -> Valued:
    """A value found otherwise than by covering codes (a size group's sum), as a row carries it."""
    return Valued(
        value=value.low if value is not None and value.is_point else None,
        value_low=value.low if value is not None else None,
        value_high=value.high if value is not None else None,
        bound=None,
        binds_low=None,
        binds_high=None,
        derived_from=None,
        estimated=False,
        mark="",
    )


def observation_data(obs: Observation) -> Record:
    """An observation with its full provenance."""
    return {
        "ref": obs.ref,
        "sbi": list(obs.sbi),
        "period": obs.period,
        "value_low": obs.value_low,
        "value_high": obs.value_high,
        "unit": obs.unit,
        "status": obs.status,
        "basis": obs.basis,
        "note": obs.note,
        "source": {
            "kind": obs.source.kind,
            "citation": obs.source.citation,
            "cbs_table": obs.source.cbs_table,
            "table_modified": obs.source.table_modified,
            "request": obs.source.request,
            "retrieved_at": obs.source.retrieved_at,
        },
    }


def estimate_data(e: Estimate, words: Words) -> Record:
    """An estimate with its method and every input."""
    return {
        "codes": list(e.codes),
        **value_fields(e.value),
        "share": e.share,
        "key_codes": e.key_codes,
        "key_parent": e.key_parent,
        "method": words.method(e.method),
        "parent": observation_data(e.parent),
        "inputs": [o.ref for o in e.inputs],
    }


def coverage_data(coverage: Coverage, unit: str, words: Words) -> Record:
    """A coverage: value or null, the figures used, any estimates, and why anything is missing."""
    estimate_bounds = None
    if coverage.estimated and coverage.bound is not None:
        estimate_bounds = {k: v for k, v in bound_fields(coverage.bound).items() if k not in ("value", "bound")}
        estimate_bounds["outside"] = coverage.outside_bounds
    return {
        **shown_fields(coverage),
        "available": coverage.available,
        "estimate_bounds": estimate_bounds,
        "estimated": coverage.estimated,
        "estimates": [estimate_data(e, words) for e in coverage.estimates] if coverage.available else [],
        "status": coverage.status or None,
        "periods": coverage.periods,
        "used": [observation_data(o) for o in coverage.used] if coverage.available else [],
        "missing": [
            {
                "codes": list(m.codes),
                "reason": m.reason.value,
                "within": [o.sbi_label for o in m.wider],
                "explanation": words.missing(m, unit),
            }
            for m in coverage.missing
        ],
    }


def definition_summary(d: Definition) -> Record:
    """A definition."""
    return {
        "id": d.id,
        "title": d.title,
        "title_en": d.title_en,
        "title_nl": d.title_nl,
        "source": d.source,
        "classification": d.classification,
        "translated_from": d.translated_from,
        "extends": d.extends,
        "origin": d.origin,
        "codes": [
            {"code": c.code, "group": c.group, "group_en": c.group_en, "group_nl": c.group_nl, "note": c.note}
            for c in d.codes
        ],
        "notes": list(d.notes),
        "warnings": [Words().overlap(w) for w in d.warnings],  # in English, as a definition's own notes are
    }


def measure_data(measure: Measure, quarter: int | None = None) -> Record:
    """A measure with its unit and the period convention it is read with."""
    return {
        "name": measure.name,
        "label": measure.label,
        "unit": measure.unit,
        "convention": measure.describe_period(quarter),
    }


# --- compare ----------------------------------------------------------------------------------------------


class ComparisonRow(Row, frozen=True):
    """A total, the difference, or a part of the codes of a comparison (`lsh compare`)."""

    record: str
    year: int
    part: str
    definition: str
    code: str
    title: str
    value: float | None
    value_low: float | None
    value_high: float | None
    bound: bool | None
    estimated: bool | None
    """None for the difference, which is not itself made of figures."""
    unit: str
    status: str | None = None
    sources: str = ""
    pct_of_a: Percent = None
    share_of_gap: Percent = None
    note: str | None = None
    binds_low: Sometimes[tuple[str | None, ...] | None] = None
    binds_high: Sometimes[tuple[str | None, ...] | None] = None
    share_of_gap_low: float | None = None
    share_of_gap_high: float | None = None
    derived_from: Sometimes[tuple[dict[str, Any], ...] | None] = None
    part_shown: ShownOnly[str] = ""
    """The part as the table says it ('only in topsector'), in the table's language."""
    mark: ShownOnly[str] = ""
    sources_shown: ShownOnly[str] = ""
    """The sources as the table's language tells them."""


def comparison_records(c: Comparison, words: Words) -> list[ComparisonRow]:
    """Both totals, the difference and every row of the decomposition."""
    unit = c.measure.unit
    rows = [
        ComparisonRow(
            "total",
            c.year,
            "total",
            d.id,
            "+".join(d.code_list),
            d.title,
            unit=unit,
            status=cov.status or None,
            sources=cell_sources(cov),
            sources_shown=cell_sources(cov, words),
            **valued(cov),
        )
        for d, cov in ((c.a, c.total_a), (c.b, c.total_b))
    ]
    difference = valued_difference(c)
    difference["estimated"] = None
    rows.append(
        ComparisonRow(
            "difference",
            c.year,
            "difference",
            f"{c.b.id} - {c.a.id}",
            "",
            "",
            unit=unit,
            pct_of_a=c.difference_pct,
            **difference,
        )
    )
    for r in c.rows:
        low, high = r.share_of_gap_bound if r.share_of_gap_bound is not None else (None, None)
        rows.append(
            ComparisonRow(
                "code",
                c.year,
                r.part.value,
                "",
                r.code,
                r.title,
                unit=unit,
                status=r.coverage.status or None,
                sources=cell_sources(r.coverage),
                sources_shown=cell_sources(r.coverage, words),
                pct_of_a=r.pct_of_a,
                share_of_gap=r.share_of_gap,
                note=r.note,
                share_of_gap_low=round(low, 6) if low is not None else None,
                share_of_gap_high=round(high, 6) if high is not None else None,
                part_shown=words.part(r.part, c.a.id, c.b.id),
                **valued(r.coverage),
            )
        )
    return rows


def valued_difference(c: Comparison) -> Valued:
    """B minus A as a row carries it: the value, or the interval the figures allow jointly (never two intervals
    subtracted)."""
    found = c.difference_bound
    if c.difference is None and found is not None and (found.low is not None or found.high is not None):
        return _bounded(found, False, "")
    plain = valued_plain(c.difference)
    plain["bound"] = False
    return plain


def _share_fields(row: PartRow) -> Record:
    """A row's share of the gap as an interval, where the figures bound it (low and high in percent)."""
    if row.share_of_gap_bound is None:
        return {"share_of_gap_low": None, "share_of_gap_high": None}
    low, high = row.share_of_gap_bound
    return {"share_of_gap_low": round(low, 6), "share_of_gap_high": round(high, 6)}


def difference_fields(c: Comparison) -> Record:
    """B minus A: the value, or the interval the figures allow jointly (never two intervals subtracted)."""
    if (
        c.difference is None
        and c.difference_bound is not None
        and (c.difference_bound.low is not None or c.difference_bound.high is not None)
    ):
        return bound_fields(c.difference_bound)
    return {**value_fields(c.difference), "bound": False}


def comparison_data(c: Comparison, words: Words, explanation: Sequence[str] | None = None) -> Record:
    """One comparison: the measure, both definitions and totals, the difference, the rows and the explanation."""
    from lshcli.explain import comparison_notes

    unit = c.measure.unit
    return {
        "year": c.year,
        "measure": measure_data(c.measure, c.reading.quarter),
        "estimates_allowed": c.reading.estimate,
        "a": definition_summary(c.a),
        "b": definition_summary(c.b),
        "total_a": coverage_data(c.total_a, unit, words),
        "total_b": coverage_data(c.total_b, unit, words),
        "difference": {**difference_fields(c), "pct_of_a": c.difference_pct},
        "set_aside": [
            {
                "ref": x.figure.ref,
                **value_fields(x.figure.value),
                "allowed_low": x.allowed_low,
                "allowed_high": x.allowed_high,
            }
            for x in c.set_aside
        ],
        "rows": [
            {
                "part": r.part.value,
                "code": r.code,
                "codes": r.code.split("+"),
                "title": r.title,
                "note": r.note,
                "pct_of_a": r.pct_of_a,
                "share_of_gap": r.share_of_gap,
                **_share_fields(r),
                **coverage_data(r.coverage, unit, words),
            }
            for r in c.rows
        ],
        "published_totals": [{"definition": d, **observation_data(o)} for d, o in c.published_totals],
        "explanation": list(explanation) if explanation is not None else words.notes(comparison_notes(c)),
    }


def _side(cov: Coverage | None) -> Record:
    return value_fields(cov.value if cov is not None else None)


class CrossingRow(Row, frozen=True):
    """A total, the difference, or a group of linked codes of a comparison across the 2025 break (`lsh compare A B`
    with A and B in different classifications): each side valued in its own classification."""

    record: str
    year: int
    part: str
    definition: str
    classification: str
    codes_a: str
    codes_b: str
    value_a: float | None
    value_a_low: float | None
    value_a_high: float | None
    value_b: float | None
    value_b_low: float | None
    value_b_high: float | None
    value: float | None
    value_low: float | None
    value_high: float | None
    unit: str
    share_of_gap: Percent = None
    outside_a: str = ""
    outside_b: str = ""
    sources: str = ""
    sources_shown: ShownOnly[str] = ""
    """The sources as the table's language tells them."""


def _three(value: Value | None) -> tuple[float | None, float | None, float | None]:
    """A value as a row's point (None for a range), low and high."""
    if value is None:
        return None, None, None
    return (value.low if value.is_point else None), value.low, value.high


def _link_sources(a: Coverage | None, b: Coverage | None, words: Words | None = None) -> str:
    """The sources of a link group: each side's, once."""
    return "; ".join(x for x in (cell_sources(cov, words) for cov in (a, b) if cov is not None) if x)


def crossing_records(c: Crossing, words: Words) -> list[CrossingRow]:
    """Both totals across the break, the difference and every group of linked codes."""
    unit = c.measure.unit
    la, lb = c.book_a.sbi.name, c.book_b.sbi.name

    def side(cov: Coverage | None) -> tuple[float | None, float | None, float | None]:
        return _three(cov.value if cov is not None else None)

    rows = [
        CrossingRow(
            "total",
            c.year,
            "total",
            d.id,
            cls,
            " ".join(c.a.code_list) if d is c.a else "",
            " ".join(c.b.code_list) if d is c.b else "",
            *side(cov if d is c.a else None),
            *side(cov if d is c.b else None),
            *_three(None),
            unit,
            sources=cell_sources(cov),
            sources_shown=cell_sources(cov, words),
        )
        for d, cls, cov in ((c.a, la, c.total_a), (c.b, lb, c.total_b))
    ]
    rows.append(
        CrossingRow(
            "difference",
            c.year,
            "difference",
            f"{c.b.id} - {c.a.id}",
            "",
            "",
            "",
            *side(c.total_a),
            *side(c.total_b),
            *_three(c.difference),
            unit,
        )
    )
    rows += [
        CrossingRow(
            "link",
            c.year,
            g.kind.value,
            "",
            "",
            " ".join(g.codes_a),
            " ".join(g.codes_b),
            *side(g.value_a),
            *side(g.value_b),
            *_three(g.contribution),
            unit,
            share_of_gap=g.share_of_gap,
            outside_a=" ".join(g.outside_a),
            outside_b=" ".join(g.outside_b),
            sources=_link_sources(g.value_a, g.value_b),
            sources_shown=_link_sources(g.value_a, g.value_b, words),
        )
        for g in c.groups
    ]
    return rows


def crossing_data(c: Crossing, words: Words, explanation: Sequence[str] | None = None) -> Record:
    """A comparison across the break: both definitions and totals in their classifications, and each link group."""
    from lshcli.explain import crossing_notes

    unit = c.measure.unit
    return {
        "year": c.year,
        "measure": measure_data(c.measure, c.book_a.reading.quarter),
        "across_the_break": True,
        "a": definition_summary(c.a),
        "b": definition_summary(c.b),
        "total_a": coverage_data(c.total_a, unit, words),
        "total_b": coverage_data(c.total_b, unit, words),
        "difference": {**value_fields(c.difference), "pct_of_a": c.difference_pct},
        "groups": [
            {
                "kind": g.kind.value,
                "codes_a": list(g.codes_a),
                "codes_b": list(g.codes_b),
                "outside_a": list(g.outside_a),
                "outside_b": list(g.outside_b),
                "value_a": coverage_data(g.value_a, unit, words) if g.value_a is not None else None,
                "value_b": coverage_data(g.value_b, unit, words) if g.value_b is not None else None,
                "contribution": value_fields(g.contribution),
                "share_of_gap": g.share_of_gap,
            }
            for g in c.groups
        ],
        "disputed_links": [{"code": old, "to": new} for old, new in c.disputed],
        "explanation": list(explanation) if explanation is not None else words.notes(crossing_notes(c)),
    }


class AcrossRow(Row, frozen=True):
    """A year of a definition's series across the 2025 break (`lsh across`): A in its classification, B in its own,
    the break, and the opt-in estimates."""

    year: int
    definition_a: str
    classification_a: str
    value_a: float | None
    value_a_low: float | None
    value_a_high: float | None
    value_a_sources: str
    definition_b: str
    classification_b: str
    value_b: float | None
    value_b_low: float | None
    value_b_high: float | None
    value_b_sources: str
    break_: Annotated[bool, Named("break")]
    both_published: bool = False
    linked_low: float | None = None
    linked_high: float | None = None
    linked_by_ratio: float | None = None
    linked_estimated: bool = False
    estimate_a_low: float | None = None
    estimate_a_high: float | None = None
    estimate_a_estimated: bool = False
    unit: str = ""


def across_records(x: Across) -> list[AcrossRow]:
    """One row per year: A in its classification, B in its own, the break, and the opt-in estimates."""

    def side(cov: Coverage | None) -> tuple[float | None, float | None, float | None, str]:
        return (*_three(cov.value if cov is not None else None), cell_sources(cov) if cov is not None else "")

    return [
        AcrossRow(
            y.year,
            x.a.id,
            x.book_a.sbi.name,
            *side(y.value_a),
            x.b.id,
            x.book_b.sbi.name,
            *side(y.value_b),
            y.first_of_b,
            y.year in x.overlap,
            y.linked.low if y.linked is not None else None,
            y.linked.high if y.linked is not None else None,
            _point_or_none(y.ratio_point),
            y.linked is not None or y.ratio_point is not None,
            y.estimate_a.low if y.estimate_a is not None else None,
            y.estimate_a.high if y.estimate_a is not None else None,
            y.estimate_a is not None,
            x.measure.unit,
        )
        for y in x.years
    ]


def _cell(cell: Cell, sbi: Classification) -> Record:
    """One side's cell of an overlap period: its codes, what the figures say of it, and those figures."""
    return {
        "codes": sbi.compress(cell.leaves, [a for leaf in cell.leaves for a in sbi.ancestors(leaf)]),
        "value_low": cell.low,
        "value_high": cell.high,
        "figures": [o.ref for o in cell.figures],
    }


def _point_or_none(value: Value | None) -> float | None:
    return value.low if value is not None else None


def across_data(x: Across, words: Words, explanation: Sequence[str] | None = None) -> Record:
    """A series across the break: both definitions, the overlap, the ratio and shares used, and every year."""
    from lshcli.explain import across_notes

    unit = x.measure.unit
    return {
        "measure": measure_data(x.measure, x.book_a.reading.quarter),
        "a": definition_summary(x.a),
        "b": definition_summary(x.b),
        "overlap": list(x.overlap),
        "break_year": next((y.year for y in x.years if y.first_of_b), None),
        "ratio": None
        if x.ratio is None
        else {
            "year": x.ratio.year,
            "value_a": x.ratio.value_a.low,
            "value_b": x.ratio.value_b.low,
            "ratio": x.ratio.ratio,
        },
        "overlap_period": None
        if x.system is None
        else {
            "year": x.system.year,
            "period": x.system.period,
            "rows": [_cell(c, x.book_a.sbi if x.book_a.sbi.name == "sbi2008" else x.book_b.sbi) for c in x.system.rows],
            "columns": [
                _cell(c, x.book_b.sbi if x.book_a.sbi.name == "sbi2008" else x.book_a.sbi) for c in x.system.columns
            ],
            "links": len(x.system.links),
            "free_old": list(x.system.free_old),
            "free_new": list(x.system.free_new),
            "slack": x.system.slack,
        },
        "no_estimate": None
        if x.no_estimate is None
        else {"reason": x.no_estimate.reason.value, "codes": list(x.no_estimate.codes), "year": x.no_estimate.year},
        "years": [
            {
                "year": y.year,
                "break": y.first_of_b,
                "value_a": coverage_data(y.value_a, unit, words) if y.value_a is not None else None,
                "value_b": coverage_data(y.value_b, unit, words) if y.value_b is not None else None,
                "linked": None if y.linked is None else {**value_fields(y.linked), "estimated": True},
                "linked_by_ratio": None
                if y.ratio_point is None
                else {**value_fields(y.ratio_point), "estimated": True},
                "estimate_a": None if y.estimate_a is None else {**value_fields(y.estimate_a), "estimated": True},
            }
            for y in x.years
        ],
        "explanation": list(explanation) if explanation is not None else words.notes(across_notes(x)),
    }


class Side(Row, frozen=True):
    """One value of a series row: its sides, whether the figures only bound it, and its marks."""

    low: float | None
    high: float | None
    bound: bool
    mark: str = ""


class SeriesRow(Row, frozen=True):
    """A year of a comparison over several years (`lsh compare --from --to`): both totals and the difference."""

    year: int
    a: str
    b: str
    total_a: Side
    total_b: Side
    difference: Side
    pct_of_a: Percent = None
    status: str | None = None
    a_estimated: bool = False
    b_estimated: bool = False


def series_records(comparisons: Sequence[Comparison]) -> list[SeriesRow]:
    """One row per year of a comparison over several years: both totals and the difference as bounds."""

    def side(cov: Coverage) -> Side:
        v = valued(cov)
        return Side(v["value_low"], v["value_high"], bool(v["bound"]), v["mark"])

    def difference(c: Comparison) -> Side:
        found = c.difference_bound
        if c.difference is None and found is not None and (found.low is not None or found.high is not None):
            return Side(found.low, found.high, True)
        d = c.difference
        return Side(d.low if d is not None else None, d.high if d is not None else None, False)

    return [
        SeriesRow(
            c.year,
            c.a.id,
            c.b.id,
            side(c.total_a),
            side(c.total_b),
            difference(c),
            c.difference_pct,
            "+".join(sorted({s for s in (c.total_a.status, c.total_b.status) if s})) or None,
            c.total_a.estimated,
            c.total_b.estimated,
        )
        for c in comparisons
    ]


# --- count ------------------------------------------------------------------------------------------------


Economy = dict[tuple[str, int], Observation]
"""The whole economy's figure (CBS's total A-U) per measure and year, where one is stored."""


def economy_fields(cov: Coverage, whole: Observation | None) -> Record:
    """The whole economy's value beside a definition's, and the definition's share of it in percent (full precision;
    None where either is not known)."""
    known = whole is not None and bool(whole.value_low)
    low, high = _share_of(cov.value, whole)
    return {
        "economy": whole.value_low if known and whole is not None else None,
        "share_of_economy_low": low,
        "share_of_economy_high": high,
        "economy_source": whole.cited if known and whole is not None else None,
    }


class CountRow(Row, frozen=True):
    """A definition's value of one measure in one year (`lsh count`), and the whole economy's beside it."""

    definition: str
    measure: str
    year: int
    value: float | None
    value_low: float | None
    value_high: float | None
    bound: bool | None
    estimated: bool | None
    unit: str
    coverage: str
    missing: str | None
    why_not: str | None
    status: str | None
    periods: str
    sources: str
    economy: float | None
    share_of_economy_low: Share = None
    share_of_economy_high: Share = None
    economy_source: str | None = None
    binds_low: Sometimes[tuple[str | None, ...] | None] = None
    binds_high: Sometimes[tuple[str | None, ...] | None] = None
    derived_from: Sometimes[tuple[dict[str, Any], ...] | None] = None
    mark: ShownOnly[str] = ""
    sources_shown: ShownOnly[str] = ""
    """The sources as the table's language tells them."""


def count_records(
    definition: Definition,
    results: Sequence[tuple[Measure, int, Coverage]],
    words: Words,
    economy: Economy | None = None,
) -> list[CountRow]:
    """A definition's value per measure and year."""
    economy = economy or {}
    rows = []
    for measure, year, cov in results:
        whole = economy.get((measure.name, year))
        share = _share_of(cov.value, whole)
        rows.append(
            CountRow(
                definition.id,
                measure.name,
                year,
                unit=measure.unit,
                coverage=_coverage_word(cov),
                missing="; ".join(words.missing(m, measure.unit) for m in cov.missing) or None,
                why_not=words.short_reason(cov.missing) or None,
                status=cov.status or None,
                periods=", ".join(cov.periods),
                sources=cell_sources(cov),
                sources_shown=cell_sources(cov, words),
                economy=whole.value_low if whole is not None and whole.value_low else None,
                share_of_economy_low=share[0],
                share_of_economy_high=share[1],
                economy_source=whole.cited if whole is not None and whole.value_low else None,
                **valued(cov),
            )
        )
    return rows


def _share_of(value: Value | None, whole: Observation | None) -> tuple[float | None, float | None]:
    """A value's share of the whole economy's, in percent, each side (None where either is not known)."""
    if whole is None or not whole.value_low or value is None:
        return None, None
    return 100 * value.low / whole.value_low, 100 * value.high / whole.value_low


class WideMeasureRow(Row, frozen=True):
    """A measure's line of `lsh count --wide`: each year's cell as the long table shows it, and the values the trend
    is drawn from."""

    measure: str
    unit: str
    years: Spread[str] = ()
    """Each year's cell in English (CSV is a machine format)."""
    shown: ShownOnly[tuple[tuple[str, str], ...]] = ()
    """Each year's cell as the table's language writes it."""
    values: ShownOnly[tuple[float | None, ...]] = ()


class WideSeriesRow(Row, frozen=True):
    """A line of `lsh compare --wide` (a definition, or the difference): each year's cell as the long table shows
    it, and the values the trend is drawn from."""

    series: str
    years: Spread[str] = ()
    """Each year's cell in English (CSV is a machine format)."""
    shown: ShownOnly[tuple[tuple[str, str], ...]] = ()
    """Each year's cell as the table's language writes it."""
    values: ShownOnly[tuple[float | None, ...]] = ()


def _coverage_word(cov: Coverage) -> str:
    """How a value was found: complete, estimated, derived (by subtraction), bounded, or not available."""
    if cov.estimated:
        return "estimated"
    if cov.derived:
        return "derived"
    if cov.available:
        return "complete"
    return "bounded" if cov.interval is not None else "not available"


def count_data(
    definition: Definition,
    results: Sequence[tuple[Measure, int, Coverage]],
    words: Words,
    economy: Economy | None = None,
) -> list[Record]:
    """A definition's value per measure and year, with each coverage (and the whole economy's, where stored)."""
    economy = economy or {}
    return [
        {
            "definition": definition.id,
            "measure": measure.name,
            "unit": measure.unit,
            "year": year,
            **coverage_data(cov, measure.unit, words),
            **economy_fields(cov, economy.get((measure.name, year))),
        }
        for measure, year, cov in results
    ]


# --- sizes ------------------------------------------------------------------------------------------------


def _percent_of(part: Value | None, whole: Value | None) -> float | None:
    found = percent(part, whole)
    return None if found is None else round(found, 2)


class SizeRow(Row, frozen=True):
    """A size class, the total, or a size group of a definition's firms (`lsh sizes`)."""

    record: str
    definition: str
    year: int
    size: str
    measure: str | None
    value: float | None
    value_low: float | None
    value_high: float | None
    bound: bool | None
    estimated: bool | None
    pct_of_total: Percent = None
    status: str | None = None
    sources: str = ""
    why_not: str | None = None
    how: Sometimes[str | None] = None
    binds_low: Sometimes[tuple[str | None, ...] | None] = None
    binds_high: Sometimes[tuple[str | None, ...] | None] = None
    derived_from: Sometimes[tuple[dict[str, Any], ...] | None] = None
    mark: ShownOnly[str] = ""
    sources_shown: ShownOnly[str] = ""
    """The sources as the table's language tells them."""


def sizes_records(result: Sizes, words: Words) -> tuple[list[SizeRow], SizeRow, list[SizeRow]]:
    """The size classes, the total and the groups."""
    firms_total = result.total.value
    definition, year = result.definition.id, result.year
    classes = [
        SizeRow(
            "class",
            definition,
            year,
            size=size_label(*m.persons) if m.persons else m.label,
            measure=m.name,
            pct_of_total=_percent_of(cov.value, firms_total),
            status=cov.status or None,
            sources=cell_sources(cov),
            sources_shown=cell_sources(cov, words),
            why_not=words.why_not(cov.missing) if not cov.available else None,
            **valued(cov),
        )
        for m, cov in result.classes
    ]
    groups = []
    for g in result.groups:
        how = words.group_basis(g, result.definition.id, result.year)
        groups.append(
            SizeRow(
                "group",
                definition,
                year,
                size=g.label,
                measure=None,
                pct_of_total=_percent_of(g.value, firms_total),
                sources="; ".join(dict.fromkeys(s for c in g.coverages if (s := cell_sources(c)))),
                sources_shown="; ".join(dict.fromkeys(s for c in g.coverages if (s := cell_sources(c, words)))),
                why_not=None if g.value is not None else how,
                how=how,
                **valued_plain(g.value),
            )
        )
    total = SizeRow(
        "total",
        definition,
        year,
        size="all firms",
        measure="firms",
        pct_of_total=100.0 if firms_total is not None else None,
        status=result.total.status or None,
        sources=cell_sources(result.total),
        sources_shown=cell_sources(result.total, words),
        why_not=words.short_reason(result.total.missing) or None,
        **valued(result.total),
    )
    return classes, total, groups


def sizes_data(result: Sizes, words: Words) -> Record:
    """Firms by size class, the total, the sum of the classes and the groups."""
    return {
        "definition": result.definition.id,
        "year": result.year,
        "classes": [
            {"measure": m.name, "persons": list(m.persons or ()), **coverage_data(cov, "firms", words)}
            for m, cov in result.classes
        ],
        "total": coverage_data(result.total, "firms", words),
        "class_sum": value_fields(result.class_sum),
        "groups": [
            {
                "label": g.label,
                "persons_from": g.low,
                "persons_to": g.high,
                **value_fields(g.value),
                "how": words.group_basis(g, result.definition.id, result.year),
            }
            for g in result.groups
        ],
    }


# --- overlap ----------------------------------------------------------------------------------------------


class OverlapRow(Row, frozen=True):
    """A part of the codes (`lsh overlap`): which definitions hold it, and its value."""

    code: str
    title: str
    members: Spread[bool] = ()
    held_by: int = 0
    value: float | None = None
    value_low: float | None = None
    value_high: float | None = None
    bound: bool | None = False
    estimated: bool | None = False
    unit: str = ""
    status: str | None = None
    sources: str = ""
    why_not: str | None = None
    binds_low: Sometimes[tuple[str | None, ...] | None] = None
    binds_high: Sometimes[tuple[str | None, ...] | None] = None
    derived_from: Sometimes[tuple[dict[str, Any], ...] | None] = None
    mark: ShownOnly[str] = ""
    sources_shown: ShownOnly[str] = ""
    """The sources as the table's language tells them."""


def overlap_records(result: Overlap, words: Words) -> list[OverlapRow]:
    """One row per part of the codes, with a true/false column per definition."""
    ids = [d.id for d in result.definitions]
    return [
        OverlapRow(
            row.code,
            row.title,
            members=tuple(zip(ids, row.members, strict=True)),
            held_by=sum(row.members),
            unit=result.measure.unit,
            status=row.coverage.status or None,
            sources=cell_sources(row.coverage),
            sources_shown=cell_sources(row.coverage, words),
            why_not=words.why_not(row.coverage.missing) if not row.coverage.available else None,
            **valued(row.coverage),
        )
        for row in result.rows
    ]


def overlap_data(result: Overlap, words: Words) -> Record:
    """The matrix of codes by definitions, with each part's coverage."""
    ids = [d.id for d in result.definitions]
    return {
        "definitions": ids,
        "measure": result.measure.name,
        "unit": result.measure.unit,
        "year": result.year,
        "rows": [
            {
                "code": r.code,
                "title": r.title,
                "held_by": [i for i, m in zip(ids, r.members, strict=True) if m],
                **coverage_data(r.coverage, result.measure.unit, words),
            }
            for r in result.rows
        ],
    }


# --- reconcile --------------------------------------------------------------------------------------------


class ReconcileRow(Row, frozen=True):
    """A published figure beside lsh's value (`lsh reconcile`), flat."""

    ref: str
    statistic: str
    sbi: str
    period: str
    published: str
    """A machine field: the same in every language ('3,075', '180 to 200', 'at least 12', 'n/a')."""
    published_low: float | None
    published_high: float | None
    unit: str
    computed: float | None
    estimated: bool | None
    difference: float | None
    reason: str
    most_likely: str
    explanation: str
    computed_from: str
    citation: str
    origin: str
    published_shown: ShownOnly[str] = ""
    """The published value as the language of the table writes it."""


def reconcile_records(results: Sequence[Reconciled], words: Words) -> list[ReconcileRow]:
    """Each published figure beside lsh's value, flat."""
    return [
        ReconcileRow(
            r.figure.ref,
            r.figure.measure,
            r.figure.sbi,
            r.figure.period,
            Words().published(r.figure),
            r.figure.low,
            r.figure.high,
            r.figure.unit,
            r.computed,
            r.estimated,
            r.difference,
            r.reasons[0].verdict.value if r.reasons else "",
            words.reason(r.reasons[0], r.figure) if r.reasons else "",
            "; ".join(words.reason(x, r.figure) for x in r.reasons),
            "; ".join(o.cited for o in r.used),
            r.figure.citation,
            r.figure.origin,
            published_shown=words.published(r.figure),
        )
        for r in results
    ]


def reconcile_data(results: Sequence[Reconciled], words: Words) -> list[Record]:
    """Each published figure beside lsh's value, with every reason and every figure used."""
    out = []
    for row, r in zip(reconcile_records(results, words), results, strict=True):
        record = as_data(structs.replace(row, computed_from=""))
        del record["computed_from"]  # JSON lists the figures themselves, under 'used'
        out.append(
            {
                **record,
                "reasons": [words.reason(x, r.figure) for x in r.reasons],
                "used": [observation_data(o) for o in r.used],
            }
        )
    return out


class StoreRow(Row, frozen=True):
    """What the store holds of one source, table, classification and measure (`lsh store`)."""

    source: str
    cbs_table: str | None
    classification: str
    measure: str
    rows: int
    codes: int
    first_period: str | None
    last_period: str | None
    empty_cells: int
    table_versions: tuple[str, ...]
    retrieved_at: str | None


def store_records(holdings: Sequence[Record]) -> list[StoreRow]:
    """The store's holdings as rows."""
    return [StoreRow(**{**h, "table_versions": tuple(h["table_versions"])}) for h in holdings]


class BenchmarkRow(Row, frozen=True):
    """A definition in one country (`lsh benchmark`): its value from Eurostat's class figures (or the interval they
    allow), its share of the country's business economy, and its rank by that share."""

    definition: str
    country: str
    year: int
    measure: str
    value: float | None
    value_low: float | None
    value_high: float | None
    bound: bool | None
    estimated: bool | None
    unit: str
    economy: float | None
    share_of_economy_low: Share = None
    share_of_economy_high: Share = None
    rank_best: int | None = None
    rank_worst: int | None = None
    dataset: str = ""
    """The Eurostat datasets read (before 2021 one per part of the economy)."""
    sources: str = ""
    series_break: Annotated[bool | None, Named("break", sometimes=True)] = None
    """In a series, whether the year is the first after Eurostat's 2021 change of method (a break)."""
    binds_low: Sometimes[tuple[str | None, ...] | None] = None
    binds_high: Sometimes[tuple[str | None, ...] | None] = None
    derived_from: Sometimes[tuple[dict[str, Any], ...] | None] = None
    mark: ShownOnly[str] = ""
    sources_shown: ShownOnly[str] = ""


def benchmark_records(found: Sequence[Benchmark], words: Words) -> list[BenchmarkRow]:
    """Each definition in each country."""
    from lshcli.benchmark import ranks
    from lshcli.eurostat import BREAK_YEAR

    rows = []
    spans = {d: sorted(b.year for b in found if b.definition.id == d) for d in {b.definition.id for b in found}}
    for b in found:
        ranked = ranks(b.countries)
        years = spans[b.definition.id]
        after = min((y for y in years if y >= BREAK_YEAR), default=None)
        broken = b.year == after and years[0] < BREAK_YEAR if len(years) > 1 else None
        for v in b.countries:
            low, high = v.share_bounds()
            rank = ranked[v.country]
            rows.append(
                BenchmarkRow(
                    b.definition.id,
                    v.country,
                    b.year,
                    b.indicator.name,
                    unit=b.indicator.unit,
                    economy=v.economy,
                    share_of_economy_low=low,
                    share_of_economy_high=high,
                    rank_best=rank[0] if rank else None,
                    rank_worst=rank[1] if rank else None,
                    dataset=b.dataset,
                    sources=cell_sources(v.coverage),
                    series_break=broken,
                    sources_shown=cell_sources(v.coverage, words),
                    **valued(v.coverage),
                )
            )
    return rows


class SourceRow(Row, frozen=True):
    """A definition's CBS measure beside Eurostat's nearest statistic in one year (`lsh reconcile --eurostat`), both
    in Eurostat's unit, with the difference (Eurostat minus CBS) and why they differ."""

    definition: str
    year: int
    cbs_measure: str
    cbs_low: float | None
    cbs_high: float | None
    eurostat_measure: str
    eurostat_low: float | None
    eurostat_high: float | None
    unit: str
    difference_low: float | None
    difference_high: float | None
    reasons: tuple[str, ...]
    cbs_sources: str
    eurostat_sources: str
    reasons_shown: ShownOnly[str] = ""


def source_records(pairs: Sequence[SourcePair], words: Words) -> list[SourceRow]:
    """Each pairing of a CBS measure and a Eurostat statistic."""
    from lshcli.crosscheck import sides

    rows = []
    for p in pairs:
        c_low, c_high = p.cbs_sides
        e_low, e_high = sides(p.eurostat_value)
        d_low, d_high = p.difference
        rows.append(
            SourceRow(
                p.definition.id,
                p.year,
                p.cbs.name,
                c_low,
                c_high,
                p.eurostat.name,
                e_low,
                e_high,
                p.eurostat.unit,
                d_low,
                d_high,
                tuple(r.name.lower() for r in p.reasons),
                cell_sources(p.cbs_value),
                cell_sources(p.eurostat_value),
                reasons_shown=words.listed([words.why(r) for r in p.reasons]),
            )
        )
    return rows


class ForeignFetchRow(Row, frozen=True):
    """What a fetch from Eurostat stored for one country."""

    country: str
    cells: int
    with_value: int
    confidential: int
    first_year: int
    last_year: int


def foreign_fetch_records(cells: Sequence[ForeignCell]) -> list[ForeignFetchRow]:
    """Per country, in the order first met: its cells, those with a value, the confidential ones, its years."""
    by_country: dict[str, list[ForeignCell]] = {}
    for c in cells:
        by_country.setdefault(c.country, []).append(c)
    return [
        ForeignFetchRow(
            country,
            len(own),
            sum(1 for c in own if c.value is not None),
            sum(1 for c in own if c.confidential),
            min(c.year for c in own),
            max(c.year for c in own),
        )
        for country, own in by_country.items()
    ]


# --- catalogues -------------------------------------------------------------------------------------------


class CodeRow(Row, frozen=True):
    """One code of a definition (`lsh definitions show`)."""

    definition: str
    code: str
    level: str
    title: str
    group: str | None
    note: str | None


def definition_records(d: Definition, sbi: Classification) -> list[CodeRow]:
    """One definition, code by code."""
    return [CodeRow(d.id, c.code, level_of(c.code), sbi.entries[c.code].title, c.group, c.note) for c in d.codes]


class DefinitionRow(Row, frozen=True):
    """A definition lsh sees (`lsh definitions`), and where it comes from."""

    id: str
    title: str
    classification: str
    codes: str
    source: str | None
    origin: str
    bundled: bool


def definitions_records(definitions: Sequence[Definition], bundled: Sequence[bool]) -> list[DefinitionRow]:
    """The definitions lsh sees, each with where it comes from."""
    return [
        DefinitionRow(d.id, d.title, d.classification, " ".join(d.code_list), d.source, d.origin, ships)
        for d, ships in zip(definitions, bundled, strict=True)
    ]


class SbiRow(Row, frozen=True):
    """One SBI code (`lsh sbi`): level, titles, parent chain and children."""

    code: str
    classification: str
    digits: str
    level: str
    title: str
    title_nl: str | None
    title_en: str | None
    parents: tuple[str, ...]
    children: tuple[str, ...]


def sbi_record(entry: SbiEntry, sbi: Classification) -> SbiRow:
    """One SBI code: level, titles, parent chain and children."""
    return SbiRow(
        entry.code,
        sbi.name,
        entry.digits,
        entry.level,
        entry.title,
        entry.title_nl or None,
        entry.title_en or None,
        tuple(sbi.ancestors(entry.code)),
        tuple(sbi.children.get(entry.code, [])),
    )


class LinkRow(Row, frozen=True):
    """Where a code goes in the other classification (`lsh sbi --to`): one link, with its kind, basis, the other
    codes the target also holds (`also_holds`) and the other codes the code also goes to (`other_parts`)."""

    code: str
    classification: str
    title: str
    to: str
    to_classification: str
    to_digits: str
    to_title: str
    kind: str
    basis: str
    also_holds: tuple[str, ...]
    other_parts: tuple[str, ...]


def link_records(code: str, links: Sequence[Link], sbi: Classification, other: Classification) -> list[LinkRow]:
    """Where one code goes in the other classification: one row per link."""
    return [
        LinkRow(
            code,
            sbi.name,
            sbi.entries[code].title,
            link.other,
            other.name,
            other.entries[link.other].digits,
            other.entries[link.other].title,
            link.kind.value,
            link.basis.value,
            tuple(link.siblings),
            tuple(link.parts),
        )
        for link in links
    ]


class MeasureRow(Row, frozen=True):
    """A measure (`lsh measures`), with its unit, period convention and the tables that give it."""

    measure: str
    label: str
    unit: str
    period: str
    tables: str | None


def measure_records(measures: Sequence[Measure], specs: Sequence[TableSpec]) -> list[MeasureRow]:
    """Every measure with its unit, period convention and the tables that give it."""
    return [
        MeasureRow(
            m.name, m.label, m.unit, m.convention, ", ".join(s.id for s in specs if m.name in s.measures) or None
        )
        for m in measures
    ]


class TableRow(Row, frozen=True):
    """A CBS table lsh can fetch (`lsh tables`)."""

    table: str
    title: str
    classification: str
    measures: str
    sbi_depth: str
    periods: str
    period_basis: str
    spec: str


class TableCheckRow(Row, frozen=True):
    """What CBS says of one table now (`lsh tables check`)."""

    table: str
    title: str
    in_catalog: bool
    status: str | None
    successors: tuple[str, ...]
    version: str | None
    stored_versions: tuple[str, ...]
    new_version: bool
    new_periods: tuple[str, ...]
    now_final: tuple[str, ...]
    spec_changes: tuple[str, ...]
    """Each change as 'kind name' ('measure firms', 'unit employee_jobs', 'dimension Perioden')."""
    error: str | None
    breaks: bool
    """Whether a fetch from it would fail or stop (what makes `lsh tables check` exit 1)."""


def table_check_records(checks: Sequence[TableCheck], words: Words) -> list[TableCheckRow]:
    """Each table checked."""
    return [
        TableCheckRow(
            c.table,
            c.title,
            c.in_catalog,
            c.status,
            c.successors,
            c.modified,
            c.stored_versions,
            c.new_version,
            c.new_periods,
            c.now_final,
            tuple(f"{x.kind} {x.name}" for x in c.changes),
            c.error.told(words._) if c.error is not None else None,
            c.breaks,
        )
        for c in checks
    ]


def table_records(specs: Sequence[TableSpec]) -> list[TableRow]:
    """The CBS tables lsh can fetch."""
    return [
        TableRow(
            s.id, s.title, s.classification, ", ".join(s.measures), s.sbi_depth, s.periods, s.period_basis, str(s.path)
        )
        for s in specs
    ]


# --- fetch ------------------------------------------------------------------------------------------------


class FetchRow(Row, frozen=True):
    """What a fetch stored for one requested code (`lsh fetch`): the key, the periods and the empty cells; CSV
    repeats the table and its version on each row, JSON gives them once."""

    table: CsvOnly[str] = ""
    table_modified: CsvOnly[str] = ""
    code: str = ""
    title: str = ""
    stored_as: str | None = None
    cbs_key: str | None = None
    first_period: str | None = None
    last_period: str | None = None
    rows: int = 0
    empty_cells: int = 0
    note: str = ""


def fetch_records(result: FetchResult, sbi: Classification, words: Words) -> list[FetchRow]:
    """What a fetch stored: one row per requested code, with the key, periods and empty cells."""
    plan = result.plan
    records: list[FetchRow] = []
    keys_of: dict[str, list[str]] = {}  # each key by the first code it stands for
    order = {key: i for i, key in enumerate(plan.keys)}
    for key, codes in plan.keys.items():
        keys_of.setdefault(codes[0], []).append(key)
    for code in result.requested_codes:
        stored = plan.wanted.get(code, [])
        tallies = [result.tallies[c] for c in stored if c in result.tallies]
        periods = sorted(p for t in tallies for p in (t.first, t.last) if p is not None)
        keys = sorted((k for first in set(stored) for k in keys_of.get(first, [])), key=order.__getitem__)
        records.append(
            FetchRow(
                result.spec.id,
                result.modified,
                code,
                sbi.entries[code].title_in(words.lang),
                "+".join(stored) if stored else None,
                ", ".join(repr(k) for k in keys) or None,
                periods[0] if periods else None,
                periods[-1] if periods else None,
                sum(t.rows for t in tallies),
                sum(t.empty for t in tallies),
                words.fetch_note(code, result),
            )
        )
    return records


def fetch_data(result: FetchResult, records: Sequence[FetchRow]) -> Record:
    """A fetch: the table version, the rows stored and replaced, the traffic, and each code's record."""
    return {
        "table": result.spec.id,
        "table_title": result.table_title,
        "table_modified": result.modified,
        "measure": result.measure,
        "rows_stored": result.replaced.inserted,
        "rows_replaced": result.replaced.deleted,
        "rows_held": result.held,
        "earlier_versions": result.replaced.earlier_versions,
        "requests": result.requests,
        "bytes": result.bytes,
        "seconds": round(result.seconds, 3),
        "codes": [as_data(r) for r in records],
    }
