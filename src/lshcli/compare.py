"""Compare two definitions on a measure: both totals, the gap, and the codes that make it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lshcli.definitions import Definition
from lshcli.errors import LshError, NotAvailableError
from lshcli.measures import Coverage, Figures, Measure, Reading, Value, format_value
from lshcli.sbi import Classification, classification
from lshcli.store import Observation, Store

PARTS = ("shared", "only_a", "only_b")
DEFAULT_READING = Reading()


@dataclass(frozen=True)
class PartRow:
    """One code of the decomposition: in both definitions, only in A, or only in B."""

    part: str
    code: str
    title: str
    coverage: Coverage
    note: str | None
    contribution: Value | None
    share_of_gap: float | None
    pct_of_a: float | None


@dataclass(frozen=True)
class Comparison:
    """Definition A against definition B on one measure in one year."""

    a: Definition
    b: Definition
    measure: Measure
    year: int
    total_a: Coverage
    total_b: Coverage
    parts: dict[str, Coverage]
    rows: tuple[PartRow, ...]
    difference: Value | None
    difference_pct: float | None
    published_totals: tuple[tuple[str, Observation], ...]
    explanation: tuple[str, ...]
    reading: Reading = DEFAULT_READING


def _percent(part: Value | None, whole: Value | None) -> float | None:
    if part is None or whole is None or not part.is_point or not whole.is_point or whole.low == 0:
        return None
    return 100.0 * part.low / whole.low


def _signed(part: str, value: Value | None) -> Value | None:
    if value is None:
        return None
    if part == "shared":
        return Value(0.0, 0.0)
    return value if part == "only_b" else Value(-value.high, -value.low)


def figures_for(
    measure: Measure,
    year: int,
    observations: Sequence[Observation],
    store: Store,
    sbi: Classification,
    reading: Reading = DEFAULT_READING,
) -> Figures:
    """The stored figures of one measure and year, read as asked (quarter; estimates for non-firm measures)."""
    estimator = None
    if reading.estimate and measure.unit != "firms":
        from lshcli.estimate import SizeKeyEstimator

        estimator = SizeKeyEstimator(store, year, sbi)
    own = [o for o in observations if o.year == year and o.measure == measure.name]
    return Figures(measure, year, own, sbi, reading.quarter, estimator)


def read(
    store: Store, measure: str | None, years: Sequence[int], leaves: frozenset[str], sbi: Classification
) -> list[Observation]:
    """The stored figures a question about `leaves` needs: those of its codes and of wider codes holding them.

    A single code touches `leaves` only as one of them or an ancestor of one, so those are named from the
    classification; code sets of several codes are few, and looked up.
    """
    singles = {code for leaf in leaves for code in (leaf, *sbi.ancestors(leaf))}
    return store.observations(measure, years, singles | set(sbi.touching(store.aggregates(measure), leaves)))


def compare(
    a: Definition,
    b: Definition,
    measure: Measure,
    year: int,
    store: Store,
    sbi: Classification | None = None,
    reading: Reading = DEFAULT_READING,
) -> Comparison:
    """Totals of A and B, their difference (B minus A), and the decomposition into shared and own codes."""
    sbi = sbi or classification()
    leaves_a, leaves_b = a.leaves(sbi), b.leaves(sbi)
    figures = figures_for(
        measure, year, read(store, measure.name, [year], leaves_a | leaves_b, sbi), store, sbi, reading
    )
    written = [*a.code_list, *b.code_list]
    total_a = figures.cover(leaves_a, a.code_list)
    total_b = figures.cover(leaves_b, b.code_list)
    part_leaves = {"shared": leaves_a & leaves_b, "only_a": leaves_a - leaves_b, "only_b": leaves_b - leaves_a}
    parts = {name: figures.cover(leaves, written) for name, leaves in part_leaves.items() if leaves}
    value_a, value_b = total_a.value, total_b.value
    difference = value_b - value_a if value_a is not None and value_b is not None else _part_gap(parts)
    rows: list[PartRow] = []
    for part in PARTS:
        if not part_leaves[part]:
            continue
        for codes in _row_units(part_leaves[part], written, figures, sbi):
            coverage = figures.cover(sbi.leaves_of(codes), written)
            contribution = _signed(part, coverage.value)
            entries = [e for code in codes if (e := a.code(code) or b.code(code)) is not None and e.note]
            rows.append(
                PartRow(
                    part=part,
                    code="+".join(codes),
                    title="; ".join(sbi.entries[code].title for code in codes),
                    coverage=coverage,
                    note=" / ".join(e.note for e in entries if e.note) or None,
                    contribution=contribution,
                    share_of_gap=None if part == "shared" else _percent(contribution, difference),
                    pct_of_a=None if part == "shared" else _percent(contribution, total_a.value),
                )
            )
    published = tuple(
        (d.id, obs)
        for d, leaves, cov in ((a, leaves_a, total_a), (b, leaves_b, total_b))
        if (obs := figures.whole(leaves)) is not None and obs not in cov.used and obs.has_value
    )
    comparison = Comparison(
        a=a,
        b=b,
        measure=measure,
        year=year,
        total_a=total_a,
        total_b=total_b,
        parts=parts,
        rows=tuple(rows),
        difference=difference,
        difference_pct=_percent(difference, total_a.value),
        published_totals=published,
        explanation=(),
        reading=reading,
    )
    return Comparison(**{**comparison.__dict__, "explanation": tuple(explain(comparison))})


def _row_units(
    leaves: frozenset[str], written: list[str], figures: Figures, sbi: Classification
) -> list[tuple[str, ...]]:
    """The rows of one part: its codes, where codes only published together inside the part share a row."""
    units: list[tuple[str, ...]] = [(code,) for code in sbi.compress(leaves, written)]
    for key in sorted(figures.by_leaves, key=len):
        if not key <= leaves or figures.by_leaves[key].value_low is None:
            continue
        inside = [u for u in units if sbi.leaves_of(u) <= key]
        merged = sbi.leaves_of(c for u in inside for c in u)
        unknown = [u for u in inside if not figures.cover(sbi.leaves_of(u)).available]
        if len(inside) > 1 and merged == key and unknown:
            first = units.index(inside[0])
            units = [u for u in units if u not in inside]
            units.insert(first, tuple(c for u in inside for c in u))
    return units


def _part_gap(parts: dict[str, Coverage]) -> Value | None:
    """B minus A from the codes each holds alone, when those are known even if the totals are not."""
    only_a, only_b = parts.get("only_a"), parts.get("only_b")
    value_a = Value(0.0, 0.0) if only_a is None else only_a.value
    value_b = Value(0.0, 0.0) if only_b is None else only_b.value
    if value_a is None or value_b is None:
        return None
    return value_b - value_a


def explain(c: Comparison) -> list[str]:
    """Plain sentences that say how big each definition is, which codes drive the gap, and what is missing."""
    unit = c.measure.unit
    a, b = c.a.id, c.b.id
    sentences: list[str] = []
    va, vb = c.total_a.value, c.total_b.value
    if va is not None and vb is not None and c.difference is not None:
        direction = "larger" if c.difference.low > 0 else "smaller" if c.difference.high < 0 else "about as large"
        pct = f" ({abs(c.difference_pct):.0f}%)" if c.difference_pct is not None else ""
        sentences.append(
            f"In {c.year}, {a} counts {format_value(va)} {unit} and {b} {format_value(vb)}: "
            f"{b} is {format_value(abs(c.difference))}{pct} {direction}."
        )
    else:
        for name, cov in ((a, c.total_a), (b, c.total_b)):
            if cov.value is not None:
                sentences.append(f"In {c.year}, {name} counts {format_value(cov.value)} {unit}.")
            else:
                sentences.append(f"In {c.year}, {name} cannot be totalled from the stored figures.")
    for name, cov in ((a, c.total_a), (b, c.total_b)):
        bundled = [o for o in cov.used if o.source.kind == "snapshot"]
        if cov.available and bundled and len(bundled) < len(cov.used):
            codes = ", ".join(o.sbi_label for o in bundled)
            refs = ", ".join(o.ref for o in bundled if o.ref)
            sentences.append(
                f"{name}'s total mixes figures fetched from CBS with bundled snapshot figures for {codes} ({refs});"
                f" 'lsh fetch --definition {name} --year {c.year}' reads those from CBS too."
            )
    estimated = {e.sentence(unit): e for cov in (c.total_a, c.total_b) if cov.estimated for e in cov.estimates}
    if estimated:
        sentences.append(
            "Estimated, not published: " + "; ".join(estimated) + ". Estimates assume firms of one size class employ "
            "as many people in the code as in the rest of the wider code."
        )
    own = sorted(
        (r for r in c.rows if r.part != "shared" and r.coverage.value is not None),
        key=lambda r: -abs(r.contribution.low if r.contribution else 0),
    )
    for row in own[:3]:
        value = format_value(row.coverage.value)
        named = row.code if "+" in row.code else f"{row.code} ({row.title})"
        if row.part == "only_b":
            share = f", {row.pct_of_a:.0f}% of {a}'s {format_value(va)}" if row.pct_of_a is not None else ""
            sentences.append(f"{named} is only in {b} and adds {value} {unit}{share}.")
        else:
            share = f", {abs(row.pct_of_a):.0f}% of {a}'s {format_value(va)}" if row.pct_of_a is not None else ""
            sentences.append(f"{named} is only in {a}: {b} leaves out its {value} {unit}{share}.")
    if c.difference is None:
        reasons = _missing_sentences(c)
        sentences.append("The gap cannot be computed: " + "; ".join(reasons) + ".")
    else:
        reasons = _missing_sentences(c)
        if reasons:
            sentences.append("Not every code can be counted alone: " + "; ".join(reasons) + ".")
    for name, obs in c.published_totals:
        used = c.total_a if name == a else c.total_b
        if used.value is None:
            continue
        published = _obs_value(obs)
        label = f"{obs.source.label} {obs.ref or ''}".rstrip()
        if published == used.value:
            sentences.append(
                f"The figure published for {name}'s codes as a whole ({label}) agrees: {format_value(published)}."
            )
        else:
            sentences.append(
                f"A figure of {format_value(published)} {unit} is published for {name}'s codes as a whole ({label});"
                f" lsh sums the finest published figures, {format_value(used.value)}: they differ by"
                f" {format_value(abs(used.value - published))}."
            )
    return sentences


def _missing_sentences(c: Comparison) -> list[str]:
    """One sentence per source of trouble: codes only published within a wider figure, or with no figure."""
    sbi = classification()
    la, lb = c.a.leaves(sbi), c.b.leaves(sbi)
    grouped: dict[tuple[str, tuple[Observation, ...]], list[str]] = {}
    no_estimate: dict[tuple[str, tuple[Observation, ...]], str] = {}
    for coverage in (c.total_a, c.total_b, *c.parts.values()):
        for missing in coverage.missing:
            codes = grouped.setdefault((missing.reason, missing.wider), [])
            for code in missing.codes:  # one name per set of codes: 26.6 holds just 26.60
                if sbi.leaves(code) not in [sbi.leaves(c) for c in codes]:
                    codes.append(code)
            if missing.no_estimate:
                no_estimate[(missing.reason, missing.wider)] = missing.no_estimate

    def where(code: str) -> str:
        leaves = sbi.leaves(code)
        if leaves <= la and leaves <= lb:
            return "in both"
        return f"only in {c.a.id}" if leaves <= la else f"only in {c.b.id}"

    reasons = []
    unit = c.measure.unit
    for (reason, wider), codes in grouped.items():
        named = " and ".join(f"{code} ({where(code)})" for code in codes)
        if reason == "within-wider":
            obs = wider[0]
            outside = sbi.leaves_of(obs.sbi) - (la | lb)
            if outside:
                tail = ", which also holds codes outside both definitions: the data is coarser than the definitions"
                depth = "not available at this depth, "
            else:
                tail, depth = ", so they cannot be counted apart", ""
            if (reason, wider) in no_estimate:
                tail += f" ({no_estimate[(reason, wider)]})"
            elif not c.reading.estimate and c.measure.unit != "firms":
                tail += "; --estimate fills them by firms weighted by size class"
            reasons.append(
                f"{named} {'is' if len(codes) == 1 else 'are'} {depth}only published within {obs.sbi_label}"
                f" ({format_value(_obs_value(obs))} {unit}){tail}"
            )
        elif reason == "cell-missing":
            reasons.append(f"{named}: the source leaves the figure empty (missing or secret)")
        else:
            sbi_options = " ".join(f"--sbi {code}" for code in codes)
            hint = f"; 'lsh fetch --measure {c.measure.name} {sbi_options} --year {c.year}' fetches it"
            reasons.append(f"{named}: no figure stored for {c.year}{hint if _fetchable(c.measure) else ''}")
    return reasons


def _fetchable(measure: Measure) -> bool:
    """Whether a CBS table spec gives the measure, so a missing figure may be one 'lsh fetch' away."""
    from lshcli.tables import TableRegistry

    try:
        return any(measure.name in spec.measures for spec in TableRegistry().all())
    except LshError:
        return False


def _obs_value(obs: Observation) -> Value:
    return Value(obs.value_low or 0.0, obs.value_high or 0.0)


def comparable_years(
    a: Definition, b: Definition, measure: Measure, store: Store, reading: Reading = DEFAULT_READING
) -> tuple[list[int], list[int]]:
    """Years in which both totals exist, and years in which both definitions have at least some figures."""
    sbi = classification()
    complete, partial = [], []
    years = store.years(measure.name)
    la, lb = a.leaves(sbi), b.leaves(sbi)
    observations = read(store, measure.name, years, la | lb, sbi)
    for year in years:
        figures = figures_for(measure, year, observations, store, sbi, reading)
        if figures.cover(la).available and figures.cover(lb).available:
            complete.append(year)
        if figures.touches(la) and figures.touches(lb):
            partial.append(year)
    return complete, partial


def default_year(
    a: Definition, b: Definition, measure: Measure, store: Store, reading: Reading = DEFAULT_READING
) -> tuple[int, str]:
    """The latest year both definitions can be compared in, with a sentence saying why it was chosen."""
    complete, partial = comparable_years(a, b, measure, store, reading)
    if complete:
        return complete[-1], f"comparing {complete[-1]}, the latest year with complete {measure.label} for both"
    if partial:
        return partial[-1], (
            f"comparing {partial[-1]}, the latest year with {measure.label} for both;"
            " no year has complete totals for both"
        )
    raise NotAvailableError(f"no year holds {measure.label} for both {a.id} and {b.id}; try another --measure")


def count(
    definition: Definition, measure: Measure, years: Sequence[int], store: Store, reading: Reading = DEFAULT_READING
) -> list[tuple[int, Coverage]]:
    """The value of a definition for a measure in each of `years`, with its coverage."""
    sbi = classification()
    leaves = definition.leaves(sbi)
    observations = read(store, measure.name, years, leaves, sbi)
    return [
        (year, figures_for(measure, year, observations, store, sbi, reading).cover(leaves, definition.code_list))
        for year in years
    ]
