"""Turn core results into documents: the same data as tables for people, records for CSV, data for JSON."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from lshcli.compare import Comparison
from lshcli.definitions import Definition
from lshcli.measures import (
    MEASURES,
    Coverage,
    Estimate,
    Measure,
    Value,
    format_number,
    format_value,
    short_reason,
    size_label,
)
from lshcli.render import Column, Document, Section, sparkline
from lshcli.sbi import Classification, SbiEntry, level_of
from lshcli.store import Observation

if TYPE_CHECKING:
    from lshcli.fetch import FetchResult
    from lshcli.overlap import Overlap
    from lshcli.reconcile import Reconciled
    from lshcli.sizes import Sizes
    from lshcli.tables import TableSpec

PART_NAMES = {"shared": "in both", "only_a": "only in {a}", "only_b": "only in {b}"}


def _value_fields(value: Value | None) -> dict[str, Any]:
    if value is None:
        return {"value": None, "value_low": None, "value_high": None}
    return {"value": value.low if value.is_point else None, "value_low": value.low, "value_high": value.high}


def _shown(record: dict[str, Any]) -> str:
    low, high = record.get("value_low"), record.get("value_high")
    if low is None or high is None:
        return "n/a"
    mark = record.get("_mark") or ""
    return format_value(Value(low, high)) + (f" {mark}" if mark else "")


def value_text(cov: Coverage) -> str:
    """A value as tables show it: '3,105', '13.88 p', '6.08 *', or 'n/a'."""
    return _shown(_cov_fields(cov))


def mark(cov: Coverage) -> str:
    """The marks a value carries in tables: '*' when part of it is estimated, 'p' when any figure is provisional."""
    if not cov.available:
        return ""
    return " ".join(m for m, on in (("*", cov.estimated), ("p", cov.provisional)) if on)


def _cov_fields(cov: Coverage) -> dict[str, Any]:
    """Value, estimate flag and table mark of a coverage, for records."""
    return {**_value_fields(cov.value), "estimated": cov.estimated, "_mark": mark(cov)}


LEGEND = {"*": "* estimated from a wider published figure (see Estimates)", "p": "p provisional CBS figure"}


def _legend(marks: Sequence[str]) -> list[str]:
    shown = {part for m in marks for part in m.split()}
    return [f"Marks: {'; '.join(text for key, text in LEGEND.items() if key in shown)}."] if shown else []


def estimate_data(e: Estimate) -> dict[str, Any]:
    """An estimate with its method and every input, for JSON."""
    return {
        "codes": list(e.codes),
        **_value_fields(e.value),
        "share": e.share,
        "key_codes": e.key_codes,
        "key_parent": e.key_parent,
        "method": e.method,
        "parent": observation_data(e.parent),
        "inputs": [o.ref for o in e.inputs],
    }


def _estimate_notes(coverages: Sequence[tuple[Coverage, str]]) -> tuple[list[str], list[Observation]]:
    """Footnote lines for every estimate (each in its own measure's unit), and the figures they rest on."""
    seen: dict[str, Estimate] = {}
    for cov, unit in coverages:
        for e in cov.estimates if cov.available else ():
            seen.setdefault(e.sentence(unit), e)
    if not seen:
        return [], []
    lines = ["Estimates (not published figures):"] + [f"  {text}" for text in seen]
    inputs = [o for e in seen.values() for o in (e.parent, *e.inputs)]
    return lines, inputs


def _pct(key: str) -> Any:
    return lambda r: "" if r.get(key) is None else f"{r[key]:+.1f}%"


def observation_data(obs: Observation) -> dict[str, Any]:
    """An observation with its full provenance, for JSON."""
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


def coverage_data(coverage: Coverage, unit: str) -> dict[str, Any]:
    """A coverage as data: value or null, the figures used, any estimates, and why anything is missing."""
    return {
        **_value_fields(coverage.value),
        "available": coverage.available,
        "estimated": coverage.estimated,
        "estimates": [estimate_data(e) for e in coverage.estimates] if coverage.available else [],
        "status": coverage.status or None,
        "periods": coverage.periods,
        "used": [observation_data(o) for o in coverage.used] if coverage.available else [],
        "missing": [
            {
                "codes": list(m.codes),
                "reason": m.reason,
                "within": [o.sbi_label for o in m.wider],
                "explanation": m.sentence(unit),
            }
            for m in coverage.missing
        ],
    }


def _footnotes(observations: Sequence[Observation]) -> list[str]:
    """Each citation once: a snapshot figure by its reference, a CBS table version with the cells read from it."""
    seen: dict[str, str] = {}
    cells: dict[str, list[str]] = {}
    for obs in observations:
        label = obs.source.label if obs.source.kind == "cbs" else f"{obs.source.label} {obs.ref}".strip()
        if label not in seen:
            seen[label] = f"{label}: {obs.source.citation}" + (f" [{obs.basis}]" if obs.basis else "")
        if obs.source.kind == "cbs" and obs.ref and obs.ref not in cells.setdefault(label, []):
            cells[label].append(obs.ref)
    lines = [seen[label] + _cells(cells.get(label, [])) for label in seen]
    return ["Sources:"] + [f"  {text}" for text in lines] if lines else []


def _cells(refs: Sequence[str], shown: int = 8) -> str:
    """'; cells A, B, C' for a footnote, the first few only when there are many (JSON lists them all)."""
    if not refs:
        return ""
    more = f" and {len(refs) - shown} more (all listed in JSON)" if len(refs) > shown else ""
    return f"; cells {', '.join(refs[:shown])}{more}"


def _sources(coverage: Coverage) -> str:
    """'snapshot F001, F002; CBS 81589NED (2020-11-19) (3 cells)': each source once, with its references."""
    return "; ".join(source_labels(coverage.used, count_cells=True)) if coverage.available else ""


def comparison_document(c: Comparison) -> Document:
    """Totals, the decomposition and the explanation of one comparison."""
    unit = c.measure.unit
    totals = [
        {
            "record": "total",
            "year": c.year,
            "part": "total",
            "definition": d.id,
            "code": "+".join(d.code_list),
            "title": d.title,
            **_cov_fields(cov),
            "unit": unit,
            "status": cov.status or None,
            "sources": _sources(cov),
            "pct_of_a": None,
            "share_of_gap": None,
            "note": None,
        }
        for d, cov in ((c.a, c.total_a), (c.b, c.total_b))
    ]
    totals.append(
        {
            "record": "difference",
            "year": c.year,
            "part": "difference",
            "definition": f"{c.b.id} - {c.a.id}",
            "code": "",
            "title": "",
            **_value_fields(c.difference),
            "unit": unit,
            "status": None,
            "sources": "",
            "pct_of_a": c.difference_pct,
            "share_of_gap": None,
            "note": None,
        }
    )
    parts = [
        {
            "record": "code",
            "year": c.year,
            "part": PART_NAMES[r.part].format(a=c.a.id, b=c.b.id),
            "definition": "",
            "code": r.code,
            "title": r.title,
            **_cov_fields(r.coverage),
            "unit": unit,
            "status": r.coverage.status or None,
            "sources": _sources(r.coverage),
            "pct_of_a": r.pct_of_a,
            "share_of_gap": r.share_of_gap,
            "note": r.note,
        }
        for r in c.rows
    ]
    total_columns = [
        Column("definition", "definition"),
        Column("value", unit, _shown, numeric=True),
        Column("pct_of_a", "% of A", _pct("pct_of_a"), numeric=True),
        Column("status", "status", lambda r: r["status"] or ""),
        Column("sources", "sources"),
    ]
    part_columns = [
        Column("part", "part", no_wrap=True),
        Column("code", "SBI", no_wrap=True),
        Column("title", "title", max_width=24),
        Column("value", unit, _shown, numeric=True),
        Column("pct_of_a", "% of A", _pct("pct_of_a"), numeric=True, no_wrap=True),
        Column("share_of_gap", "% of gap", _pct("share_of_gap"), numeric=True, no_wrap=True),
        Column("sources", "sources"),
    ]
    coverages = [c.total_a, c.total_b, *(r.coverage for r in c.rows)]
    estimates, inputs = _estimate_notes([(cov, unit) for cov in coverages])
    used = [o for cov in coverages for o in cov.used] + [o for _, o in c.published_totals] + inputs
    data = {
        "year": c.year,
        "measure": {
            "name": c.measure.name,
            "label": c.measure.label,
            "unit": unit,
            "convention": c.measure.describe_period(c.reading.quarter),
        },
        "estimates_allowed": c.reading.estimate,
        "a": definition_summary(c.a),
        "b": definition_summary(c.b),
        "total_a": coverage_data(c.total_a, unit),
        "total_b": coverage_data(c.total_b, unit),
        "difference": {**_value_fields(c.difference), "pct_of_a": c.difference_pct},
        "rows": [
            {
                "part": r.part,
                "code": r.code,
                "codes": r.code.split("+"),
                "title": r.title,
                "note": r.note,
                "pct_of_a": r.pct_of_a,
                "share_of_gap": r.share_of_gap,
                **coverage_data(r.coverage, unit),
            }
            for r in c.rows
        ],
        "published_totals": [{"definition": d, **observation_data(o)} for d, o in c.published_totals],
        "explanation": list(c.explanation),
    }
    return Document(
        sections=[
            Section(f"{c.measure.label}, {c.year}: {c.a.id} (A) against {c.b.id} (B)", total_columns, totals),
            Section("Where the difference comes from", part_columns, parts),
        ],
        data=data,
        sentences=list(c.explanation),
        footnotes=[
            f"Period: {c.measure.describe_period(c.reading.quarter)}.",
            *_legend([r.get("_mark") or "" for r in totals + parts]),
            *estimates,
            *_footnotes(used),
        ],
        csv_records=totals + parts,
    )


def comparisons_document(comparisons: Sequence[Comparison], wide: bool = False) -> Document:
    """Several years of one comparison: a row of totals per year, the full decomposition for the last year."""
    if len(comparisons) == 1:
        doc = comparison_document(comparisons[0])
        doc.data = [doc.data]
        return doc
    docs = [comparison_document(c) for c in comparisons]
    last = comparisons[-1]
    unit = last.measure.unit
    rows: list[dict[str, Any]] = [
        {
            "year": c.year,
            "a": c.a.id,
            "b": c.b.id,
            "a_low": _low(c.total_a.value),
            "a_high": _high(c.total_a.value),
            "b_low": _low(c.total_b.value),
            "b_high": _high(c.total_b.value),
            "difference_low": _low(c.difference),
            "difference_high": _high(c.difference),
            "pct_of_a": c.difference_pct,
            "status": "+".join(sorted({s for s in (c.total_a.status, c.total_b.status) if s})) or None,
            "a_estimated": c.total_a.estimated,
            "b_estimated": c.total_b.estimated,
            "_a_mark": mark(c.total_a),
            "_b_mark": mark(c.total_b),
        }
        for c in comparisons
    ]
    columns = [
        Column("year", "year", lambda r: str(r["year"])),
        Column("a", f"{last.a.id} ({unit})", lambda r: _range(r["a_low"], r["a_high"], r["_a_mark"]), numeric=True),
        Column("b", f"{last.b.id} ({unit})", lambda r: _range(r["b_low"], r["b_high"], r["_b_mark"]), numeric=True),
        Column("difference", "difference", lambda r: _range(r["difference_low"], r["difference_high"]), numeric=True),
        Column("pct_of_a", f"% of {last.a.id}", _pct("pct_of_a"), numeric=True),
        Column("status", "status"),
    ]
    final = docs[-1]
    section = Section(f"{last.measure.label}: {last.a.id} against {last.b.id}", columns, rows)
    if wide:
        section = _wide(section, [("a", last.a.id), ("b", last.b.id), ("difference", "difference")], rows)
    legend = _legend([str(r["_a_mark"]) + " " + str(r["_b_mark"]) for r in rows])
    years = [c.year for c in comparisons]
    trends = (
        []
        if wide
        else [
            trend_sentence(last.a.id, years, [r["a_low"] for r in rows]),
            trend_sentence(last.b.id, years, [r["b_low"] for r in rows]),
        ]
    )
    footnotes = [f for f in final.footnotes if not f.startswith("Marks:")]
    return Document(
        sections=[section, *final.sections],
        data=[d.data for d in docs],
        csv_records=section.records if wide else [r for d in docs for r in (d.csv_records or [])],
        sentences=[*trends, *series_sentences(comparisons), *final.sentences],
        footnotes=[*footnotes[:1], *legend, *footnotes[1:]],
    )


def _wide(section: Section, lines: Sequence[tuple[str, str]], rows: Sequence[dict[str, Any]]) -> Section:
    """The same series with years as columns: one row per line, each cell as the long table shows it."""
    by_key = {c.key: c for c in section.columns}
    records = []
    for key, label in lines:
        record: dict[str, Any] = {"series": label}
        for row in rows:
            record[str(row["year"])] = by_key[key].cell(row)
        record["_values"] = [row.get(f"{key}_low") for row in rows]
        records.append(record)
    columns = [Column("series", "")] + [Column(str(r["year"]), str(r["year"]), numeric=True) for r in rows]
    columns.append(Column("_values", "trend", lambda r: sparkline(r["_values"]), no_wrap=True))
    return Section(section.title, columns, records)


def trend_sentence(label: str, years: Sequence[int], values: Sequence[float | None]) -> str:
    """'Trend 2010-2019: pwc2019 ▇▂▂▁▁▂▂▂▃▄' (a '·' for a year without a value)."""
    return f"Trend {years[0]}-{years[-1]}: {label} {sparkline(values)}"


def series_sentences(comparisons: Sequence[Comparison]) -> list[str]:
    """What a range of years shows: in which years each total can be computed, and why not in the others."""
    out = []
    years = [c.year for c in comparisons]
    span = f"{years[0]}-{years[-1]}"
    for side in ("a", "b"):
        name = getattr(comparisons[0], side).id
        missing = [c for c in comparisons if not getattr(c, f"total_{side}").available]
        if not missing:
            continue
        if len(missing) == len(comparisons):
            first = getattr(missing[-1], f"total_{side}")
            why = "; ".join(m.sentence(missing[-1].measure.unit) for m in first.missing) or "no figures stored"
            out.append(f"{name} cannot be totalled in any year of {span}: {why} (as in {missing[-1].year}).")
        else:
            listed = ", ".join(str(c.year) for c in missing)
            out.append(f"{name} cannot be totalled in {listed}.")
    provisional = [c.year for c in comparisons if c.total_a.provisional or c.total_b.provisional]
    if provisional:
        out.append(f"Figures for {', '.join(map(str, provisional))} are provisional and may still be revised by CBS.")
    return out


def _low(value: Value | None) -> float | None:
    return None if value is None else value.low


def _high(value: Value | None) -> float | None:
    return None if value is None else value.high


def _range(low: float | None, high: float | None, marks: str = "") -> str:
    if low is None or high is None:
        return "n/a"
    return format_value(Value(low, high)) + (f" {marks}" if marks else "")


def count_document(
    definition: Definition,
    results: Sequence[tuple[Measure, int, Coverage]],
    wide: bool = False,
    quarter: int | None = None,
) -> Document:
    """A definition's value per measure and year, with its coverage and sources."""
    records = [
        {
            "definition": definition.id,
            "measure": measure.name,
            "year": year,
            **_cov_fields(cov),
            "unit": measure.unit,
            "coverage": ("estimated" if cov.estimated else "complete") if cov.available else "not available",
            "missing": "; ".join(m.sentence(measure.unit) for m in cov.missing) or None,
            "why_not": short_reason(cov.missing) or None,
            "status": cov.status or None,
            "periods": ", ".join(cov.periods),
            "sources": _sources(cov),
        }
        for measure, year, cov in results
    ]
    columns = [
        Column("measure", "measure"),
        Column("year", "year", lambda r: str(r["year"])),
        Column("value", "value", _shown, numeric=True),
        Column("unit", "unit"),
        Column("coverage", "coverage"),
        Column("why_not", "why not", lambda r: r["why_not"] or ""),
        Column("status", "status", lambda r: r["status"] or ""),
        Column("sources", "sources"),
    ]
    section = Section(f"{definition.id}: {definition.title}", columns, records)
    if wide:
        section = _wide_by_measure(section, records)
    coverages = [cov for _, _, cov in results]
    estimates, inputs = _estimate_notes([(cov, measure.unit) for measure, _, cov in results])
    used = [o for cov in coverages if cov.available for o in cov.used] + inputs
    conventions = dict.fromkeys(f"{m.name}: {m.describe_period(quarter)}." for m, _, _ in results)
    return Document(
        sections=[section],
        data=[
            {
                "definition": definition.id,
                "measure": measure.name,
                "unit": measure.unit,
                "year": year,
                **coverage_data(cov, measure.unit),
            }
            for measure, year, cov in results
        ],
        footnotes=[*conventions, *_legend([r["_mark"] for r in records]), *estimates, *_footnotes(used)],
        csv_records=section.records if wide else records,
    )


def _wide_by_measure(section: Section, records: Sequence[dict[str, Any]]) -> Section:
    """Years as columns, one row per measure, each cell as the long table shows it."""
    years = sorted({r["year"] for r in records})
    rows: dict[str, dict[str, Any]] = {}
    for r in records:
        row = rows.setdefault(r["measure"], {"measure": r["measure"], "unit": r["unit"], "_values": []})
        row[str(r["year"])] = _shown(r)
        row["_values"].append(r["value_low"])
    for row in rows.values():
        for y in years:
            row.setdefault(str(y), "")
    columns = [Column("measure", "measure"), Column("unit", "unit")]
    columns += [Column(str(y), str(y), numeric=True) for y in years]
    columns.append(Column("_values", "trend", lambda r: sparkline(r["_values"]), no_wrap=True))
    return Section(section.title, columns, list(rows.values()))


def definition_summary(d: Definition) -> dict[str, Any]:
    """A definition as data."""
    return {
        "id": d.id,
        "title": d.title,
        "source": d.source,
        "extends": d.extends,
        "origin": d.origin,
        "codes": [{"code": c.code, "group": c.group, "note": c.note} for c in d.codes],
        "notes": list(d.notes),
        "warnings": list(d.warnings),
    }


def definitions_document(definitions: Sequence[Definition], bundled: Sequence[bool] | None = None) -> Document:
    """The list of visible definitions, each with where it comes from (bundled with lsh, or its file)."""
    shipped = list(bundled) if bundled is not None else [False] * len(definitions)
    records = [
        {
            "id": d.id,
            "title": d.title,
            "codes": " ".join(d.code_list),
            "source": d.source,
            "origin": d.origin,
            "bundled": ships,
        }
        for d, ships in zip(definitions, shipped, strict=True)
    ]
    columns = [
        Column("id", "id", no_wrap=True),
        Column("title", "title"),
        Column("codes", "SBI codes"),
        Column("source", "source", max_width=50 if bundled is None else 28),
    ]
    if bundled is not None:
        columns.append(Column("origin", "from", lambda r: "bundled" if r["bundled"] else r["origin"], no_wrap=True))
    return Document(
        [Section("Definitions", columns, records)],
        data=[definition_summary(d) for d in definitions],
        csv_records=records,
    )


def definition_document(d: Definition, sbi: Classification) -> Document:
    """One definition, code by code, with titles, groups and notes."""
    records = [
        {
            "definition": d.id,
            "code": c.code,
            "level": level_of(c.code),
            "title": sbi.entries[c.code].title,
            "group": c.group,
            "note": c.note,
        }
        for c in d.codes
    ]
    columns = [
        Column("code", "SBI"),
        Column("level", "level"),
        Column("title", "title"),
        Column("group", "group", lambda r: r["group"] or ""),
        Column("note", "note", lambda r: r["note"] or ""),
    ]
    sentences = [f"{d.id}: {d.title}", f"Source: {d.source or 'not stated'}"]
    if d.extends:
        sentences.append(f"Extends: {d.extends}")
    sentences += [f"Note: {n}" for n in d.notes] + [f"Warning: {w}" for w in d.warnings]
    return Document(
        [Section(None, columns, records)],
        data=definition_summary(d),
        sentences=sentences,
        footnotes=[f"File: {d.origin}"],
        csv_records=records,
    )


def sbi_record(entry: SbiEntry, sbi: Classification) -> dict[str, Any]:
    """One SBI code as a record: level, titles, parent chain and children."""
    return {
        "code": entry.code,
        "level": entry.level,
        "title": entry.title,
        "title_nl": entry.title_nl or None,
        "title_en": entry.title_en or None,
        "title_nl_source": entry.title_source or None,
        "parents": sbi.ancestors(entry.code),
        "children": sbi.children.get(entry.code, []),
    }


def sbi_document(entries: Sequence[SbiEntry], sbi: Classification) -> Document:
    """SBI codes with their titles and place in the hierarchy."""
    records = [sbi_record(e, sbi) for e in entries]
    columns = [
        Column("code", "SBI"),
        Column("level", "level"),
        Column("title", "title", max_width=60),
        Column("parents", "inside", lambda r: " < ".join(r["parents"])),
        Column(
            "children", "holds", lambda r: " ".join(r["children"][:12]) + (" ..." if len(r["children"]) > 12 else "")
        ),
    ]
    return Document([Section(None, columns, records)], data=records, csv_records=records)


def fetch_document(result: FetchResult, sbi: Classification) -> Document:
    """What `lsh fetch` stored: one row per requested code, with the key, periods and empty cells."""
    plan = result.plan
    by_code: dict[str, list[Observation]] = {}
    for obs in result.observations:
        by_code.setdefault(obs.sbi[0], []).append(obs)
    records: list[dict[str, Any]] = []
    for code in result.requested_codes:
        stored = plan.wanted.get(code, [])
        rows = [o for c in stored for o in by_code.get(c, [])]
        periods = sorted({o.period for o in rows})
        if code in plan.not_carried:
            note = "not in the table, nor any code above it"
        elif code in plan.stand_ins:
            note = f"table stops at {result.spec.sbi_depth}s; stored {plan.stand_ins[code]}"
        elif stored != [code]:
            note = f"stored as its parts {', '.join(stored)}"
        else:
            note = ""
        keys = [k for k, codes in plan.keys.items() if codes[0] in stored]
        records.append(
            {
                "code": code,
                "title": sbi.entries[code].title,
                "stored_as": "+".join(stored) if stored else None,
                "cbs_key": ", ".join(repr(k) for k in keys) or None,
                "first_period": periods[0] if periods else None,
                "last_period": periods[-1] if periods else None,
                "rows": len(rows),
                "empty_cells": sum(1 for o in rows if not o.has_value),
                "note": note,
            }
        )
    columns = [
        Column("code", "SBI", no_wrap=True),
        Column("title", "title", max_width=30),
        Column("stored_as", "stored as", lambda r: r["stored_as"] or "-", no_wrap=True),
        Column("first_period", "from", lambda r: r["first_period"] or "-", no_wrap=True),
        Column("last_period", "to", lambda r: r["last_period"] or "-", no_wrap=True),
        Column("rows", "rows", numeric=True),
        Column("empty_cells", "empty", numeric=True),
        Column("note", "note", max_width=40),
    ]
    title = f"Fetched from CBS {result.spec.id} ({result.table_title}), version {result.modified[:10]}"
    summary = {
        "table": result.spec.id,
        "table_title": result.table_title,
        "table_modified": result.modified,
        "measure": result.measure,
        "rows_stored": result.replaced.inserted,
        "rows_replaced": result.replaced.deleted,
        "earlier_versions": result.replaced.earlier_versions,
        "requests": result.requests,
        "bytes": result.bytes,
        "seconds": round(result.seconds, 3),
        "codes": records,
    }
    return Document(
        [Section(title, columns, records)],
        data=summary,
        csv_records=[{"table": result.spec.id, "table_modified": result.modified, **r} for r in records],
    )


def fetch_messages(result: FetchResult, store_path: str) -> list[str]:
    """What a fetch says on stderr: codes not carried or stood in for, a newer table version, and the summary."""
    spec, plan = result.spec, result.plan
    depth = f"it goes down to {spec.sbi_depth}s"
    messages = [
        f"{code} is not in {spec.id} ({depth}), nor any code above it: nothing stored" for code in plan.not_carried
    ]
    messages += [
        f"{code} is not in {spec.id} ({depth}); stored {parent}, which holds it"
        for code, parent in plan.stand_ins.items()
    ]
    messages += [
        f"{spec.id} has {'a newer' if result.modified > version else 'an older'} version ({result.modified[:10]})"
        f" than rows fetched before ({version[:10]})"
        for version in result.replaced.earlier_versions
    ]
    periods = sorted(set(plan.periods.values()))
    messages.append(
        f"stored {result.replaced.inserted} rows of {spec.id} (version {result.modified[:10]}; "
        f"{', '.join(result.measures)}) for {len(plan.wanted)} codes, {periods[0]} to {periods[-1]}, "
        f"replacing {result.replaced.deleted}; {result.requests} requests, {result.bytes / 1000:,.1f} kB, "
        f"{result.seconds:.1f} s; store {store_path}"
    )
    return messages


def tables_document(specs: Sequence[TableSpec]) -> Document:
    """The CBS tables lsh can fetch, with what each gives."""
    records = [
        {
            "table": s.id,
            "title": s.title,
            "measures": ", ".join(s.measures),
            "sbi_depth": s.sbi_depth,
            "periods": s.periods,
            "period_basis": s.period_basis,
            "spec": str(s.path),
        }
        for s in specs
    ]
    columns = [
        Column("table", "table"),
        Column("title", "title", max_width=40),
        Column("measures", "measures"),
        Column("sbi_depth", "SBI depth"),
        Column("periods", "periods"),
        Column("period_basis", "basis", max_width=40),
    ]
    return Document([Section("CBS tables lsh can fetch", columns, records)], data=records, csv_records=records)


def store_document(path: str, holdings: Sequence[dict[str, Any]]) -> Document:
    """What the store holds, per source, table and measure."""
    columns = [
        Column("source", "source"),
        Column("cbs_table", "table", lambda r: r["cbs_table"] or "-"),
        Column("measure", "measure"),
        Column("rows", "rows", numeric=True),
        Column("codes", "codes", numeric=True),
        Column("first_period", "from"),
        Column("last_period", "to"),
        Column("empty_cells", "empty", numeric=True),
        Column("table_versions", "version", lambda r: ", ".join(v[:10] for v in r["table_versions"]) or "-"),
        Column("retrieved_at", "retrieved", lambda r: (r["retrieved_at"] or "-")[:19]),
    ]
    return Document(
        [Section(f"Store {path}", columns, list(holdings))],
        data={"path": path, "holdings": list(holdings)},
        csv_records=list(holdings),
    )


def sizes_document(result: Sizes) -> Document:
    """Firms of a definition by size class and by the groups the studies use, with the check against the total."""
    firms_total = result.total.value
    class_records = [
        {
            "record": "class",
            "definition": result.definition.id,
            "year": result.year,
            "size": size_label(*m.persons) if m.persons else m.label,
            "measure": m.name,
            **_cov_fields(cov),
            "pct_of_total": _percent_of(cov.value, firms_total),
            "status": cov.status or None,
            "sources": _sources(cov),
            "why_not": _why_not(cov),
        }
        for m, cov in result.classes
    ]
    group_records = [
        {
            "record": "group",
            "definition": result.definition.id,
            "year": result.year,
            "size": g.label,
            "measure": None,
            **_value_fields(g.value),
            "estimated": False,
            "_mark": "",
            "pct_of_total": _percent_of(g.value, firms_total),
            "status": None,
            "sources": "; ".join(dict.fromkeys(s for c in g.coverages if (s := _sources(c)))),
            "why_not": None if g.value is not None else g.how,
            "how": g.how,
        }
        for g in result.groups
    ]
    total_record = {
        "record": "total",
        "definition": result.definition.id,
        "year": result.year,
        "size": "all firms",
        "measure": "firms",
        **_cov_fields(result.total),
        "pct_of_total": 100.0 if firms_total is not None else None,
        "status": result.total.status or None,
        "sources": _sources(result.total),
        "why_not": short_reason(result.total.missing) or None,
    }
    columns = [
        Column("size", "persons employed"),
        Column("value", "firms", _shown, numeric=True),
        Column(
            "pct_of_total",
            "% of all",
            lambda r: "" if r["pct_of_total"] is None else f"{r['pct_of_total']:.1f}%",
            numeric=True,
        ),
        Column("status", "status", lambda r: r["status"] or ""),
        Column("sources", "sources", lambda r: r["sources"] or r["why_not"] or ""),
    ]
    sentences = []
    class_sum = result.class_sum
    if class_sum is not None and firms_total is not None:
        if class_sum == firms_total:
            sentences.append(
                f"The {len(result.classes)} size classes add up to the total: {format_value(firms_total)} firms."
            )
        else:
            sentences.append(
                f"The size classes add up to {format_value(class_sum)} firms, the total is {format_value(firms_total)}:"
                f" they differ by {format_value(abs(class_sum - firms_total))} (CBS rounds each count to 5)."
            )
    for g in result.groups:
        if g.value is None:
            sentences.append(f"{g.label.capitalize()}: {g.how}.")
    used = [o for _, cov in result.classes if cov.available for o in cov.used]
    used += [o for g in result.groups for c in g.coverages if c.available for o in c.used]
    used += list(result.total.used) if result.total.available else []
    title = f"{result.definition.id}: firms by persons employed, {result.year}"
    return Document(
        sections=[
            Section(title, columns, [*class_records, total_record]),
            Section("Groups", columns, group_records),
        ],
        data={
            "definition": result.definition.id,
            "year": result.year,
            "classes": [
                {"measure": m.name, "persons": list(m.persons or ()), **coverage_data(cov, "firms")}
                for m, cov in result.classes
            ],
            "total": coverage_data(result.total, "firms"),
            "class_sum": _value_fields(class_sum),
            "groups": [
                {"label": g.label, "persons_from": g.low, "persons_to": g.high, **_value_fields(g.value), "how": g.how}
                for g in result.groups
            ],
        },
        sentences=sentences,
        footnotes=[
            f"Period: {MEASURES['firms'].convention}.",
            *_legend([r["_mark"] for r in [*class_records, total_record]]),
            *_footnotes(used),
        ],
        csv_records=[*class_records, total_record, *group_records],
    )


def _why_not(cov: Coverage) -> str | None:
    if cov.available:
        return None
    if all(m.reason == "no-figure" for m in cov.missing):
        return "no figure stored"
    return short_reason(cov.missing) or None


def _percent_of(part: Value | None, whole: Value | None) -> float | None:
    if part is None or whole is None or not part.is_point or not whole.is_point or whole.low == 0:
        return None
    return round(100.0 * part.low / whole.low, 2)


def reconcile_document(results: Sequence[Reconciled]) -> Document:
    """Each published figure beside lsh's value, the difference and the most likely reason."""
    records = [
        {
            "ref": r.figure.ref,
            "statistic": r.figure.measure,
            "sbi": r.figure.sbi,
            "period": r.figure.period,
            "published": r.figure.value_text,
            "published_low": r.figure.low,
            "published_high": r.figure.high,
            "unit": r.figure.unit,
            "computed": r.computed,
            "estimated": r.estimated,
            "difference": r.difference,
            "reason": r.verdict,
            "most_likely": r.reasons[0] if r.reasons else "",
            "explanation": "; ".join(r.reasons),
            "computed_from": "; ".join(f"{o.source.label} {o.ref or ''}".strip() for o in r.used),
            "citation": r.figure.citation,
            "origin": r.figure.origin,
        }
        for r in results
    ]
    columns = [
        Column("ref", "ref", no_wrap=True),
        Column("statistic", "statistic", max_width=14),
        Column("sbi", "SBI", max_width=14),
        Column("period", "period"),
        Column("published", "published", numeric=True),
        Column("computed", "lsh", lambda r: _computed(r), numeric=True),
        Column(
            "difference",
            "difference",
            lambda r: "" if r["difference"] is None else _signed_number(r["difference"]),
            numeric=True,
        ),
        Column("most_likely", "most likely reason"),
    ]
    counts: dict[str, int] = {}
    for r in results:
        key = r.verdict if r.computed is not None else "no value"
        counts[key] = counts.get(key, 0) + 1
    summary = ", ".join(f"{n} {key}" for key, n in sorted(counts.items(), key=lambda item: -item[1]))
    used = [o for r in results for o in r.used]
    return Document(
        sections=[Section("Published figures beside lsh's values", columns, records)],
        data=[
            {
                **{k: v for k, v in rec.items() if k not in ("computed_from",)},
                "reasons": r.reasons,
                "used": [observation_data(o) for o in r.used],
            }
            for rec, r in zip(records, results, strict=True)
        ],
        sentences=[
            f"{len(results)} published figures: {summary}. Each is computed from the store without the figure "
            "itself, so it is checked against its parts, its whole or a CBS table, never against itself."
        ],
        footnotes=_footnotes(used),
        csv_records=records,
    )


def _computed(record: dict[str, Any]) -> str:
    if record["computed"] is None:
        return "n/a"
    text = format_number(round(record["computed"], 2))
    return text + (" *" if record["estimated"] else "")


def _signed_number(number: float) -> str:
    text = format_number(round(abs(number), 2))
    return "0" if text == "0" else ("+" if number > 0 else "-") + text


def measures_document(measures: Sequence[Measure], specs: Sequence[TableSpec]) -> Document:
    """Every measure with its unit, period convention and the tables that give it."""
    records: list[dict[str, Any]] = [
        {
            "measure": m.name,
            "label": m.label,
            "unit": m.unit,
            "period": m.convention,
            "tables": ", ".join(s.id for s in specs if m.name in s.measures) or None,
        }
        for m in measures
    ]
    columns = [
        Column("measure", "measure", no_wrap=True),
        Column("label", "label", max_width=30),
        Column("unit", "unit", no_wrap=True),
        Column("tables", "CBS tables", lambda r: r["tables"] or "published figures only"),
    ]
    notes = [f"{m.name}: {m.convention}." for m in measures if m.persons is None]
    notes.append("firms_size_*: firms on the first day of the quarter by persons employed (CBS 81589NED size classes).")
    return Document([Section("Measures", columns, records)], data=records, footnotes=notes, csv_records=records)


def source_labels(observations: Sequence[Observation], count_cells: bool = False) -> list[str]:
    """Each source once with its references: 'snapshot F001, F002', 'CBS 81589NED (2020-11-19)'.

    A CBS table's cells are not listed (footnotes and JSON list them); `count_cells` says how many.
    """
    grouped: dict[str, list[str]] = {}
    for o in observations:
        refs = grouped.setdefault(o.source.label, [])
        if o.ref and o.ref not in refs:
            refs.append(o.ref)
    labels = []
    for label, refs in grouped.items():
        if label.startswith("CBS"):
            labels.append(f"{label} ({len(refs)} cells)" if count_cells and len(refs) > 1 else label)
        else:
            labels.append(f"{label} {', '.join(refs)}".strip())
    return labels


def coverage_sources(coverages: Sequence[Coverage]) -> list[Observation]:
    """Every figure some values rest on: the published figures used, and each estimate's wider figure and key."""
    available = [cov for cov in coverages if cov.available]
    used = [o for cov in available for o in cov.used]
    return used + [o for cov in available for e in cov.estimates for o in (e.parent, *e.inputs)]


def comparison_sources(c: Comparison) -> list[Observation]:
    """Every figure a comparison rests on: totals, rows, estimates' inputs and published whole-set figures."""
    coverages = [c.total_a, c.total_b, *(r.coverage for r in c.rows)]
    return coverage_sources(coverages) + [o for _, o in c.published_totals]


def _member(definition_id: str) -> Callable[[dict[str, Any]], str]:
    return lambda record: "x" if record[definition_id] else ""


def overlap_document(result: Overlap) -> Document:
    """The code-by-definition matrix with the value of each code where it is available."""
    ids = [d.id for d in result.definitions]
    unit = result.measure.unit
    records = []
    for row in result.rows:
        record: dict[str, Any] = {"code": row.code, "title": row.title}
        for definition_id, member in zip(ids, row.members, strict=True):
            record[definition_id] = member
        record["held_by"] = sum(row.members)
        record.update(_cov_fields(row.coverage))
        record["unit"] = unit
        record["status"] = row.coverage.status or None
        record["sources"] = _sources(row.coverage)
        record["why_not"] = _why_not(row.coverage)
        records.append(record)
    columns = [
        Column("code", "SBI", no_wrap=True),
        Column("title", "title", max_width=30),
        *(Column(i, i, _member(i), no_wrap=True) for i in ids),
        Column("value", f"{unit} {result.year}", _shown, numeric=True),
        Column("sources", "sources", lambda r: r["sources"] or r["why_not"] or ""),
    ]
    sentences = []
    everywhere = [r.code for r in result.rows if all(r.members)]
    if len(ids) > 1:
        sentences.append(
            f"In all {len(ids)} definitions: {', '.join(everywhere)}."
            if everywhere
            else "No code is in every definition."
        )
    for i, definition_id in enumerate(ids):
        alone = [r.code for r in result.rows if r.members[i] and sum(r.members) == 1]
        if alone:
            sentences.append(f"Only in {definition_id}: {', '.join(alone)}.")
    used = [o for r in result.rows if r.coverage.available for o in r.coverage.used]
    return Document(
        sections=[Section(f"Codes by definition, {result.measure.label} in {result.year}", columns, records)],
        data={
            "definitions": ids,
            "measure": result.measure.name,
            "unit": unit,
            "year": result.year,
            "rows": [
                {
                    "code": r.code,
                    "title": r.title,
                    "held_by": [i for i, m in zip(ids, r.members, strict=True) if m],
                    **coverage_data(r.coverage, unit),
                }
                for r in result.rows
            ],
        },
        sentences=sentences,
        footnotes=[f"Period: {result.measure.convention}.", *_legend([r["_mark"] for r in records]), *_footnotes(used)],
        csv_records=records,
    )
