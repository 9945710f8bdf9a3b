"""Every sentence lsh writes about its results, in English, made from typed notes, reasons and values.

A second language is a sibling of this module. Hints that name a command ('lsh fetch ...') come from
a `Hints` object that only the command line passes in: a notebook user gets the facts without flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from lshcli.compare import Part
from lshcli.concordance import Basis, Link, LinkKind
from lshcli.cover import Estimate, Missing, MissingReason, NoEstimate, NoEstimateReason
from lshcli.crossing import GapReason, GroupKind
from lshcli.errors import Remedy
from lshcli.explain import (
    AcrossBreak,
    BoundedGap,
    BoundedTotal,
    BreakDisputed,
    BreakEffect,
    BreakTotals,
    Change,
    ClassesAddUp,
    Derived,
    Estimated,
    EstimatedAcross,
    FigureSetAside,
    GapUnknown,
    GroupUnavailable,
    InAll,
    Linked,
    MissingGroup,
    MixedSources,
    NeverTotalled,
    NoEstimateAcross,
    NotAlone,
    Note,
    NothingStored,
    NotTotalledIn,
    OnlyIn,
    OnlyInDefinition,
    Provisional,
    PublishedTotal,
    ShareOfEconomy,
    SideNotStored,
    Total,
    Totals,
    Trend,
    WideInterval,
    WithinRounding,
)
from lshcli.measures import MEASURES, Measure, size_label
from lshcli.model import Value, format_number, format_value
from lshcli.output.document import sparkline
from lshcli.sbi import sort_codes

if TYPE_CHECKING:
    from lshcli.cbs.fetch import FetchResult, FetchWarning
    from lshcli.definitions import Overlap
    from lshcli.query import YearChoice
    from lshcli.reconcile import Gap, Published, Reason
    from lshcli.sbi import Classification
    from lshcli.sizes import Group
    from lshcli.store import Unusable
    from lshcli.translate import Translation


def significant(x: float, digits: int = 2) -> str:
    """`x` with `digits` significant digits, however small, in English notation (0.010682 -> '0.011',
    12.34 -> '12', 1234.5 -> '1,234')."""
    import math

    if x == 0:
        return "0"
    return f"{x:,.{max(0, digits - 1 - math.floor(math.log10(abs(x))))}f}"


def words_for(lang: str, hints: Hints | None = None, sbi: Classification | None = None) -> Words:
    """The words of a language ('nl' for Dutch, anything else English), with the interface's hints; Dutch takes
    SBI titles from `sbi` (CBS's Dutch titles)."""
    if lang == "nl":
        from lshcli.output.words_nl import DutchWords

        return DutchWords(hints, sbi)
    return Words(hints)


class Hints(Protocol):
    """Commands that would help, worded for the interface in use (the command line has one)."""

    def fetch(self, remedy: Remedy) -> str:
        """The command that fetches what a remedy names ('' when no table gives it)."""
        ...

    def estimate(self) -> str:
        """How to ask for estimates."""
        ...


class Words:
    """English sentences; `hints` adds the commands that would help (the command line passes its own)."""

    lang = "en"

    def __init__(self, hints: Hints | None = None) -> None:
        self.hints = hints

    # --- what a document shows beside its sentences: headers, units, numbers, titles (a language sibling
    # gives its own) ---------------------------------------------------------------------------------------

    @staticmethod
    def header(text: str) -> str:
        """A table header or heading in this language."""
        return text

    @staticmethod
    def value(value: Value | None) -> str:
        """A value as this language writes it: '2,090', '180 to 200', or 'not available'."""
        return format_value(value)

    def number(self, x: float, signed: bool = False) -> str:
        """One number as this language writes it, with '+' before a positive one when `signed`: '+150'."""
        text = self.value(Value(x, x))
        return f"+{text}" if signed and x > 0 else text

    @staticmethod
    def unit(unit: str) -> str:
        """A unit in this language."""
        return unit

    def share(self, share: Value) -> str:
        """A share in percent with two significant digits, however small: '0.011%', '0.09% to 0.13%'."""
        low, high = significant(share.low), significant(share.high)
        return f"{low}%" if low == high else f"{low}% to {high}%"

    @staticmethod
    def label(measure: Measure) -> str:
        """A measure's label in this language."""
        return measure.label

    @staticmethod
    def cell(text: str) -> str:
        """A table cell of values as this language writes numbers."""
        return text

    @staticmethod
    def source(text: str) -> str:
        """A source label or footnote line in this language (citations stay as they were recorded)."""
        return text

    @staticmethod
    def unusable_store(w: Unusable) -> str:
        """A store that cannot be opened, and what lsh does instead."""
        return f"store {w.path} cannot be used ({w.reason}); working on the bundled snapshot only"

    @staticmethod
    def overlap(w: Overlap) -> str:
        """A definition's warning: '46.46.1 lies inside 46.46; its firms are counted once'."""
        return f"{w.definition}: {w.inner} lies inside {w.outer}; its firms are counted once"

    @staticmethod
    def level(level: str) -> str:
        """A level of the classification ('class', 'subclass'; the data's own word) in this language."""
        return level

    @staticmethod
    def depth(level: str) -> str:
        """How deep a table goes, by its finest level: 'divisions', 'subclasses'."""
        return level + ("es" if level.endswith("s") else "s")

    @staticmethod
    def link_kind(kind: str) -> str:
        """How one code links to another across the break ('same', 'within'; the data's own word)."""
        return kind

    @staticmethod
    def link(kind: str) -> str:
        """A link group's kind across the break in this language: the data's own word ('same', 'wider'), but
        'only in A' for the raw key 'only_a', which a reader should never see."""
        return {"only_a": "only in A", "only_b": "only in B"}.get(kind, kind)

    def labelled(self, measure: Measure) -> str:
        """A measure with its unit, as headings name it: 'employee jobs in December (x 1 000 jobs)', but 'firms'
        where the unit says nothing more than the label ('firms (firms)')."""
        label, unit = self.label(measure), self.unit(measure.unit)
        return label if label == unit else f"{label} ({unit})"

    NOTHING_STORED = "no figure stored"
    MARKS_LABEL = "Marks"
    MARKS = {
        "*": "* estimated from a wider published figure (see Estimates)",
        "*!": "*! an estimate outside the interval the published figures allow",
        "p": "p provisional CBS figure",
    }

    @staticmethod
    def measure(name: str) -> str:
        """A measure where a table or note names it: its id ('employee_jobs'), which the user types."""
        return name

    @staticmethod
    def coverage(word: str) -> str:
        """How a value was found ('complete', 'bounded', ...; the data's own word) in this language."""
        return word

    @staticmethod
    def status(text: str) -> str:
        """A CBS status ('provisional', 'definitive+provisional') in this language."""
        return text

    def title(self, code: str, fallback: str) -> str:
        """An SBI code's title in this language."""
        return fallback

    @staticmethod
    def size(text: str) -> str:
        """A size class or group as lsh names it ('3 to 4 persons', 'under 50 persons', 'all firms')."""
        return text

    @staticmethod
    def period(measure: Measure, quarter: int | None) -> str:
        """The period convention of a measure."""
        return measure.describe_period(quarter)

    # --- values and reasons ----------------------------------------------------------------------------

    def missing(self, m: Missing, unit: str) -> str:
        """'26.60: not available at this depth, only published within 26 (24.5 x 1 000 jobs), which holds ...'."""
        codes = self.listed(list(m.codes))
        match m.reason:
            case MissingReason.WITHIN_WIDER:
                parts = ", ".join(f"{o.sbi_label} ({format_value(o.value)} {unit})" for o in m.wider)
                depth = "not available at this depth, " if m.deeper else ""
                text = f"{codes}: {depth}only published within {parts}, which holds other codes too"
            case MissingReason.CELL_MISSING:
                text = f"{codes}: the figure is missing or secret in the source"
            case MissingReason.NO_FIGURE:
                text = f"{codes}: no figure stored"
        return f"{text} (no estimate: {self.no_estimate(m.no_estimate)})" if m.no_estimate else text

    @staticmethod
    def short_reason(missing: Sequence[Missing]) -> str:
        """Why not, in a few words for a table cell: '26.60 within 26; 72.19.3 no figure'."""
        parts = []
        for m in missing:
            codes = "+".join(m.codes)
            match m.reason:
                case MissingReason.WITHIN_WIDER if m.deeper:
                    parts.append(f"{codes} not at this depth (needs {m.wider[0].sbi_label})")
                case MissingReason.WITHIN_WIDER:
                    parts.append(f"{codes} only within {m.wider[0].sbi_label}")
                case MissingReason.CELL_MISSING:
                    parts.append(f"{codes} empty in source")
                case MissingReason.NO_FIGURE:
                    parts.append(f"{codes} no figure")
        return "; ".join(parts)

    def why_not(self, missing: Sequence[Missing]) -> str | None:
        """A table cell for a value that is not available: 'no figure stored' or the short reasons."""
        if all(m.reason is MissingReason.NO_FIGURE for m in missing):
            return self.NOTHING_STORED
        return self.short_reason(missing) or None

    def no_estimate(self, n: NoEstimate) -> str:
        """Why there is no estimate, in plain words; with hints, the command that fetches missing size classes."""
        codes = ", ".join(n.codes)
        match n.reason:
            case NoEstimateReason.NOT_HELD:
                return f"{n.parent} does not hold all of {codes}"
            case NoEstimateReason.PARENT_EMPTY:
                return f"the figure for {n.parent} is missing"
            case NoEstimateReason.NO_SIZE_CLASSES:
                label = MEASURES[n.size_class].label
                hint = self.hints.fetch(Remedy(codes=n.codes, year=n.year)) if self.hints else ""
                return f"firms by size class ({label}) are not stored for {codes} in {n.year}" + (
                    f"; {hint} fetches them" if hint else ""
                )
            case NoEstimateReason.NO_FIRMS:
                return f"no firms are stored for {n.parent} in {n.year}, so there is no key"
            case NoEstimateReason.PARTS_OUTWEIGH:
                return (
                    f"the firms stored for {codes} outweigh those of {n.parent} in {n.year}"
                    " (the counts disagree), so there is no share to apply"
                )

    @staticmethod
    def estimate(e: Estimate, unit: str) -> str:
        """'26.60: estimated at 3.1 x 1 000 jobs, 11.2% of 26 (27.75), by firms weighted by size class'."""
        from lshcli.estimate import METHODS

        parent = f"{e.parent.sbi_label} ({format_value(e.parent.value)})"
        return (
            f"{' and '.join(e.codes)}: estimated at {format_value(e.value)} {unit}, "
            f"{100 * e.share:.1f}% of {parent}, {METHODS[e.method]}"
        )

    @staticmethod
    def method(name: str) -> str:
        """An estimation method in words."""
        from lshcli.estimate import METHODS

        return METHODS[name]

    @staticmethod
    def part(part: Part, a: str, b: str) -> str:
        """'in both', 'only in topsector'."""
        match part:
            case Part.SHARED:
                return "in both"
            case Part.ONLY_A:
                return f"only in {a}"
            case Part.ONLY_B:
                return f"only in {b}"

    # --- notes -----------------------------------------------------------------------------------------

    def note(self, note: Note) -> str:
        """One note as a sentence."""
        match note:
            case Totals():
                d = note.difference
                direction = "larger" if d.low > 0 else "smaller" if d.high < 0 else "about as large"
                pct = f" ({abs(note.difference_pct):.1f}%)" if note.difference_pct is not None else ""
                return (
                    f"In {note.year}, {note.a} counts {format_value(note.value_a)} {note.unit} and {note.b} "
                    f"{format_value(note.value_b)}: {note.b} is {format_value(abs(d))}{pct} {direction}."
                )
            case Change():
                d = note.absolute

                def signed(x: float) -> str:
                    return self.number(x, signed=True)

                def amount(v: Value) -> str:
                    return format_value(v) if v.is_point else f"({format_value(v)})"

                moved = signed(d.low) if d.is_point else f"{signed(d.low)} to {signed(d.high)}"
                tail = []
                if note.percent is not None:
                    tail.append(f"{note.percent:+.1f}%")
                if note.annual is not None:
                    tail.append(f"{note.annual:+.1f}% a year on average")
                steps = [f"{b.before} to {b.after} ({b.table_before} to {b.table_after})" for b in note.breaks]
                told = (
                    f" This is not growth alone: CBS changed table from {self.listed(steps)}, a break in the series."
                    if steps
                    else ""
                )
                return (
                    f"{note.definition} from {note.first} to {note.last}: {amount(note.value_first)} to "
                    f"{amount(note.value_last)} {note.unit}, a change of {moved}"
                    + (f" ({', '.join(tail)})" if tail else "")
                    + "."
                    + told
                )
            case NothingStored():
                labels = " or ".join(self.label(MEASURES[m]) for m in note.measures)
                hints = (
                    [self.hints.fetch(Remedy(definitions=(note.definition,), measure=m)) for m in note.measures]
                    if self.hints
                    else []
                )
                hint = self.listed([h for h in hints if h])
                return f"No {labels} figures are stored for {note.definition} in any year" + (
                    f"; {hint} fetches them from CBS." if hint else "."
                )
            case ShareOfEconomy():
                return (
                    f"In {note.year}, {note.definition} is {self.share(note.share)} of the whole economy (CBS's total "
                    f"A-U: {self.number(note.economy.value_low or 0)} "
                    f"{self.unit(note.unit)}, {self.source(note.economy.cited)})."
                )
            case AcrossBreak():
                return self._across(note)
            case Linked():
                r = note.ratio
                return (
                    f"Linked series (an estimate, not published): {note.b} in {note.a}'s years, as the interval from "
                    f"the overlap below; beside it, in JSON and CSV, a single point: {note.a}'s values times "
                    f"{r.ratio:.4g}, the ratio of {note.b} ({format_value(r.value_b)}) to {note.a} "
                    f"({format_value(r.value_a)}) in {r.year}, the first year both are valued, which assumes "
                    f"{note.a} would have moved as it did before the break."
                )
            case EstimatedAcross():
                slack = (
                    f" At least {self.number(note.slack)} {note.unit} changed code outside the concordance's links "
                    "that period; the interval allows that many and no more."
                    if note.slack > 0
                    else ""
                )
                free = "".join(
                    f" {self.listed(list(codes))} ({label}) had no figure in {note.period}, so their {note.unit} are "
                    "left free, which widens the interval"
                    + (
                        f" ({self.hints.fetch(Remedy(codes=codes, classification=name))} narrows it)."
                        if self.hints
                        else "."
                    )
                    for name, label, codes in note.free
                )
                return (
                    f"Estimates across the break (not published) are intervals from {note.period}, when both "
                    f"classifications were published. How many {note.unit} went along each link of the concordance "
                    "is unknown, but the cells of both classifications bound them (within CBS's rounding); each code "
                    "is then carried with its own change. The interval holds every allocation the cells allow, and "
                    "is a point where every link is one to one." + slack + free
                )
            case NoEstimateAcross():
                g = note.gap
                codes = "+".join(g.codes)
                match g.reason:
                    case GapReason.NO_YEAR:
                        why = f"no period holds its value in {note.label_a} and figures of {note.label_b} both"
                    case GapReason.NOT_COUNTED:
                        hint = self.hints.fetch(Remedy(codes=g.codes, year=g.year)) if self.hints else ""
                        why = f"{codes} cannot all be counted in {g.year}" + (f" ({hint} fetches them)" if hint else "")
                return f"{note.a} cannot be estimated in {note.label_b} years: {why}."
            case BreakTotals():
                return self._break_totals(note)
            case BreakEffect():
                return self._break_effect(note)
            case SideNotStored():
                label = self.label(MEASURES[note.measure])
                hint = (
                    self.hints.fetch(Remedy(definitions=(note.definition,), measure=note.measure)) if self.hints else ""
                )
                return (
                    f"{note.definition} ({note.label}) has no {label} stored for {note.year}: its codes and links are "
                    "shown, its values are n/a" + (f"; {hint} fetches them from CBS." if hint else ".")
                )
            case BreakDisputed():
                links = ", ".join(f"{old} to {new}" for old, new in note.links)
                return (
                    f"The Romanian national table also links {links} in {note.label_b}; Eurostat's does not, and lsh "
                    "does not use it."
                )
            case BoundedTotal():
                return f"In {note.year}, {note.definition} {self.between(note.low, note.high, note.unit)}" + (
                    f": {self.why_bounded(note.missing, note.unit)}." if note.missing else "."
                )
            case WideInterval():
                return self._wide(note)
            case BoundedGap():
                reasons = "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                return (
                    f"The gap ({note.b} minus {note.a}) {self.between(note.low, note.high, note.unit, signed=True)}, "
                    f"from the figures taken together" + (f": {reasons}." if reasons else ".")
                )
            case Derived():
                terms = " ".join(
                    f"{'-' if sign < 0 else '+'} {o.sbi_label} ({format_value(o.value)})" for o, sign in note.terms
                ).removeprefix("+ ")
                refs = ", ".join(o.cited for o, _ in note.terms)
                return (
                    f"{note.name} is {format_value(note.value)} {note.unit}, derived by subtraction: {terms} ({refs})."
                )
            case WithinRounding():
                return (
                    "The published figures agree only within their rounding (a count rounded to 5 lies within 2 of "
                    "the truth); the intervals allow for it."
                )
            case FigureSetAside():
                label = note.figure.cited
                allowed = self.between(note.allowed_low, note.allowed_high, note.unit).removeprefix("holds ")
                stated = format_value(note.figure.value)
                return (
                    f"A figure of {stated} {note.unit} for {note.figure.sbi_label} ({label}) disagrees with the "
                    f"other figures, which allow {allowed}: it is set aside."
                )
            case Total(value=None):
                return f"In {note.year}, {note.definition} cannot be totalled from the stored figures."
            case Total():
                return f"In {note.year}, {note.definition} counts {format_value(note.value)} {note.unit}."
            case MixedSources():
                hint = self.hints.fetch(note.remedy) if self.hints else ""
                return (
                    f"{note.definition}'s total mixes figures fetched from CBS with bundled snapshot figures for "
                    f"{', '.join(note.codes)} ({', '.join(note.refs)})"
                    + (f"; {hint} reads those from CBS too." if hint else ".")
                )
            case Estimated():
                estimates = "; ".join(self.estimate(e, unit) for e, unit in note.estimates)
                return (
                    f"Estimated, not published: {estimates}. Estimates assume firms of one size class employ "
                    "as many people in the code as in the rest of the wider code."
                )
            case OnlyIn():
                value = format_value(note.value)
                named = note.code if "+" in note.code else f"{note.code} ({note.title})"
                of_a = note.pct_of_a
                if note.part is Part.ONLY_B:
                    share = f", {of_a:.1f}% of {note.a}'s {format_value(note.total_a)}" if of_a is not None else ""
                    return f"{named} is only in {note.b} and adds {value} {note.unit}{share}."
                share = f", {abs(of_a):.1f}% of {note.a}'s {format_value(note.total_a)}" if of_a is not None else ""
                return f"{named} is only in {note.a}: {note.b} leaves out its {value} {note.unit}{share}."
            case GapUnknown():
                return (
                    "The gap cannot be computed: "
                    + "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                    + "."
                )
            case NotAlone():
                reasons = "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                return f"Not every code can be counted alone: {reasons}."
            case PublishedTotal():
                label = note.figure.cited
                published = note.figure.value
                if note.agrees:
                    return (
                        f"The figure published for {note.definition}'s codes as a whole ({label}) agrees: "
                        f"{format_value(published)}."
                    )
                assert published is not None
                return (
                    f"A figure of {format_value(published)} {note.unit} is published for {note.definition}'s codes "
                    f"as a whole ({label}); lsh sums the finest published figures, {format_value(note.computed)}: "
                    f"they differ by {format_value(abs(note.computed - published))}"
                    + (", so the bounds set it aside." if note.set_aside else ".")
                )
            case Trend():
                return f"Trend {note.years[0]}-{note.years[-1]}: {note.definition} {sparkline(note.values)}"
            case NeverTotalled():
                why = "; ".join(self.missing(m, note.unit) for m in note.missing) or "no figures stored"
                return (
                    f"{note.definition} cannot be totalled in any year of {note.first}-{note.last}: {why} "
                    f"(as in {note.year})."
                )
            case NotTotalledIn():
                return f"{note.definition} cannot be totalled in {', '.join(map(str, note.years))}."
            case Provisional():
                years = ", ".join(map(str, note.years))
                return f"Figures for {years} are provisional and may still be revised by CBS."
            case ClassesAddUp():
                if note.class_sum == note.total:
                    return f"The {note.classes} size classes add up to the total: {format_value(note.total)} firms."
                return (
                    f"The size classes add up to {format_value(note.class_sum)} firms, the total is "
                    f"{format_value(note.total)}: they differ by {format_value(abs(note.class_sum - note.total))}"
                    " (CBS rounds each count to 5)."
                )
            case GroupUnavailable():
                return f"{note.group.label.capitalize()}: {self.group_basis(note.group, note.definition, note.year)}."
            case InAll():
                if not note.codes:
                    return "No code is in every definition."
                return f"In all {note.definitions} definitions: {', '.join(note.codes)}."
            case OnlyInDefinition():
                return f"Only in {note.definition}: {', '.join(note.codes)}."

    @staticmethod
    def _across(n: AcrossBreak) -> str:
        if n.first_b is None:
            return f"{n.b} has no value in {n.label_b} in these years; {n.a} is {n.label_a} throughout."
        if n.last_a is None:
            return f"{n.a} has no value in {n.label_a} in these years; {n.b} is {n.label_b} throughout."
        a = f"{n.a} is {n.label_a} up to {n.last_a}" + (f" ({', '.join(n.tables_a)})" if n.tables_a else "")
        b = f"{n.b} is {n.label_b} from {n.first_b}" + (f" ({', '.join(n.tables_b)})" if n.tables_b else "")
        both = (
            f"both are valued in {', '.join(map(str, n.overlap))}, side by side"
            if n.overlap
            else "no year has both, so the two cannot be linked"
        )
        return f"The series crosses the classification break: {a}; {b}; {both}."

    def _break_totals(self, n: BreakTotals) -> str:
        a = (
            f"{n.a} counts {format_value(n.value_a)} {n.unit} in {n.label_a}"
            if n.value_a
            else (f"{n.a} cannot be totalled in {n.label_a}")
        )
        b = (
            f"{n.b} {format_value(n.value_b)} in {n.label_b}"
            if n.value_b
            else f"{n.b} cannot be totalled in {n.label_b}"
        )
        if n.difference is None:
            return f"In {n.year}, {a}, and {b}: the gap across the break cannot be computed."
        d = n.difference
        direction = "more" if d.low > 0 else "fewer" if d.high < 0 else "about as many"
        pct = f", {abs(n.difference_pct):.1f}%" if n.difference_pct is not None else ""
        return f"In {n.year}, {a}, and {b}: {format_value(abs(d))} {direction}{pct}."

    def _break_effect(self, n: BreakEffect) -> str:
        g = n.group
        a, b = "+".join(g.codes_a), "+".join(g.codes_b)
        size = ""
        if g.contribution is not None:
            share = f", {abs(g.share_of_gap):.1f}% of the gap" if g.share_of_gap is not None else ""
            size = f" ({'+' if g.contribution.low >= 0 else '-'}{format_value(abs(g.contribution))} {n.unit}{share})"
        lead = "The largest effect: " if n.rank == 1 else ""
        outside_a = ", ".join(g.outside_a)
        outside_b = ", ".join(g.outside_b)
        match g.kind:
            case GroupKind.WIDER:
                text = f"{b} ({n.label_b}) also holds {outside_a}, which {n.a} leaves out, where {n.a} has only {a}"
            case GroupKind.NARROWER:
                text = f"part of {a} ({n.label_a}) went to {outside_b}, which {n.b} leaves out"
            case GroupKind.BOTH:
                text = (
                    f"{b} ({n.label_b}) also holds {outside_a}, which {n.a} leaves out, and part of {a} went to "
                    f"{outside_b}, which {n.b} leaves out"
                )
            case GroupKind.SAME:
                text = f"{a} and {b} hold the same activities; the difference is firms that changed code at the break"
            case GroupKind.ONLY_A:
                text = f"{a} has no counterpart in {n.b}"
            case GroupKind.ONLY_B:
                text = f"{b} in {n.b} holds none of {n.a}'s codes"
        text = lead + text if lead else text[:1].upper() + text[1:]
        return f"{text}{size}."

    def between(self, low: float | None, high: float | None, unit: str, signed: bool = False) -> str:
        """'holds between 2,290 and 3,255 firms', 'holds at least 12.9 x 1 000 jobs'; with `signed`, 'lies between
        -815 and +150 firms'."""

        def shown(x: float) -> str:
            return self.number(x, signed)

        verb = "lies" if signed else "holds"
        if low is not None and high is not None and low == high:
            return f"{verb} {shown(low)} {unit}"
        if low is not None and high is not None:
            return f"{verb} between {shown(low)} and {shown(high)} {unit}"
        if low is not None:
            return f"{verb} at least {shown(low)} {unit}"
        if high is not None:
            return f"{verb} at most {shown(high)} {unit}"
        return f"{verb} an unknown number of {unit}"

    def _wide_facts(self, note: WideInterval) -> tuple[list[str], list[str], str | None]:
        """What a wide interval's sentence names, in every language: the wider codes it rests on, the codes only
        published within them, and the fetch an estimate needs (None when no estimate is offered; '' when no table
        gives it)."""
        parents = [p for p, _, _ in note.parents]
        inside = [c for _, _, codes in note.parents for c in codes]
        if not (note.estimable and self.hints is not None):
            return parents, inside, None
        return (
            parents,
            inside,
            self.hints.fetch(Remedy(definitions=(note.definition,), codes=tuple(parents), measure="firms")),
        )

    def _wide(self, note: WideInterval) -> str:
        """What a bound that says little rests on, what is known, and what would narrow it."""
        parents, inside, fetch = self._wide_facts(note)
        high = f"{self.number(note.high)} {note.unit}"
        if parents:
            what = (
                f"its interval runs to {high} only because {self.listed(inside)} "
                f"{'is' if len(inside) == 1 else 'are'} published only within all of {self.listed(parents)}"
            )
        else:
            what = f"its interval runs to {high}" + (
                f", {note.high / note.low:.0f} times its lower side" if note.low > 0 else ""
            )
        if note.known is not None and note.known_codes:
            lead = (
                f"In {note.year}, what is known of {note.definition} is {format_value(note.known)} {note.unit} "
                f"({'+'.join(note.known_codes)})"
            )
        else:
            lead = f"In {note.year}, no part of {note.definition} is known for sure"
        narrow = ""
        if fetch is not None:
            assert self.hints is not None
            narrow = (
                f" {self.hints.estimate()} estimates the codes from firms by size class"
                + (f" ({fetch} stores what it needs)" if fetch else "")
                + ", or a source published at their depth would narrow it."
            )
        return f"{lead}; {what}." + narrow

    def why_bounded(self, missing: Sequence[Missing], unit: str) -> str:
        """Why a value is an interval: '72.11.2 is only published together with 72.19.3 (965 firms)'."""
        parts = []
        for m in missing:
            codes = self.listed(list(m.codes))
            match m.reason:
                case MissingReason.WITHIN_WIDER:
                    wider = m.wider[0]
                    others = [c for c in wider.sbi if c not in m.codes]
                    with_what = f"together with {', '.join(others)}" if others else f"within {wider.sbi_label}"
                    if len(wider.sbi) == 1:
                        with_what = f"within {wider.sbi_label}"
                    parts.append(
                        f"{codes} {'is' if len(m.codes) == 1 else 'are'} only published {with_what} "
                        f"({format_value(wider.value)} {unit})"
                    )
                case MissingReason.CELL_MISSING:
                    parts.append(f"{codes}: the figure is missing or secret in the source")
                case MissingReason.NO_FIGURE:
                    parts.append(f"{codes}: no figure stored")
        return "; ".join(parts)

    def notes(self, notes: Sequence[Note]) -> list[str]:
        """Each note as a sentence, in order."""
        return [self.note(n) for n in notes]

    def _group(self, g: MissingGroup, a: str, b: str) -> str:
        named = self.listed([f"{code} ({self.part(part, a, b)})" for code, part in g.codes])
        match g.reason:
            case MissingReason.WITHIN_WIDER:
                assert g.wider is not None
                if g.outside:
                    tail = ", which also holds codes outside both definitions: the data is coarser than the definitions"
                    depth = "not available at this depth, "
                else:
                    tail, depth = ", so they cannot be counted apart", ""
                if g.no_estimate is not None:
                    tail += f" (no estimate: {self.no_estimate(g.no_estimate)})"
                elif g.estimable and self.hints is not None:
                    tail += f"; {self.hints.estimate()} fills them by firms weighted by size class"
                verb = "is" if len(g.codes) == 1 else "are"
                wider = f"{g.wider.sbi_label} ({format_value(g.wider.value)} {g.unit})"
                return f"{named} {verb} {depth}only published within {wider}{tail}"
            case MissingReason.CELL_MISSING:
                return f"{named}: the source leaves the figure empty (missing or secret)"
            case MissingReason.NO_FIGURE:
                hint = self.hints.fetch(g.remedy) if self.hints else ""
                return f"{named}: no figure stored for {g.year}" + (f"; {hint} fetches it" if hint else "")

    # --- sizes -----------------------------------------------------------------------------------------

    @staticmethod
    def group_basis(g: Group, definition: str, year: int) -> str:
        """How a size group's value is found: 'sum of 8 size classes', or why there is none."""
        from lshcli.sizes import GroupBasis

        refs = [", ".join(o.cited for o in cov.used) for cov in g.coverages]
        match g.basis:
            case GroupBasis.SUM:
                return f"sum of {g.classes} size classes"
            case GroupBasis.PUBLISHED:
                return f"published figure ({refs[0]})"
            case GroupBasis.COMPLEMENT:
                return f"all firms minus {MEASURES[g.complement].label}, both published ({refs[0]}; {refs[1]})"
            case GroupBasis.STRADDLES:
                assert g.straddling is not None
                bound = g.high or g.low
                return (
                    f"not available: the published class of {size_label(*g.straddling)} straddles the bound of {bound}"
                )
            case GroupBasis.NOT_STORED:
                return f"not available: {MEASURES[g.lacking].label} not stored for {definition} in {year}"

    # --- reconcile -------------------------------------------------------------------------------------

    @staticmethod
    def published(figure: Published) -> str:
        """A published value: '3,075', '180 to 200', 'at least 12', or 'n/a'."""
        if figure.low is None:
            return "n/a"
        if figure.high is None:
            return f"at least {format_number(figure.low)}"
        return format_value(Value(figure.low, figure.high))

    def reason(self, r: Reason, figure: Published) -> str:
        """One reason a published figure and lsh's value agree or differ, or why there is no value."""
        from lshcli.reconcile import Verdict

        match r.verdict:
            case Verdict.AGREES:
                return "agrees"
            case Verdict.AGREES_AS_LOWER_BOUND:
                return f"agrees: the figure is published as a lower bound ({self.published(figure)})"
            case Verdict.WITHIN_RANGE:
                return f"within the published range: {self.published(figure)}"
            case Verdict.PARTS_DISAGREE:
                return (
                    f"the publication contradicts itself: its own figures for the parts ({', '.join(r.parts)}) add "
                    f"up to {self._parts_sum(r)}, not {self.published(figure)}"
                )
            case Verdict.FROM_DISAGREEING_TOTAL:
                return (
                    f"derived from {r.text}, a published total that contradicts its own parts ({', '.join(r.parts)} "
                    f"add up to {self._parts_sum(r)}): the difference is that contradiction"
                )
            case Verdict.OTHER_STATISTIC:
                from lshcli.reconcile import STATISTICS

                return f"other statistic: {STATISTICS[r.text].differs}"
            case Verdict.OTHER_PERIOD:
                return f"other period: published for {figure.period}, computed from {', '.join(r.periods)}"
            case Verdict.ROUNDING:
                return f"rounding: the published figure is rounded to {format_number(r.step)}"
            case Verdict.ESTIMATE:
                return "estimate: part of the computed value is estimated from a wider figure"
            case Verdict.OTHER_CODES:
                return "other codes or sources: the publication counts other firms, codes or jobs"
            case Verdict.NOT_COMPARED:
                return "not compared: the figure has no value"
            case Verdict.NO_STATISTIC:
                return f"not computed: lsh has no statistic {r.text!r}"
            case Verdict.NOT_SBI:
                return f"not SBI-based: {r.text!r} is no set of SBI codes, so no definition gives it"
            case Verdict.BAD_PERIOD:
                return self._needed(f"the period {r.text!r} is not a year or a quarter", r)
            case Verdict.BAD_SPAN:
                return f"the period {r.text!r} is not a span such as 2010-2016"
            case Verdict.ZERO_BASE:
                return f"the value in {r.text} is zero, so there is no rate"
            case Verdict.NO_VALUE:
                return self._needed(self._no_value(r), r)

    def verdict(self, r: Reason) -> str:
        """The most likely reason in a word or two: 'agrees', 'rounding', 'not available at this depth'."""
        from lshcli.reconcile import GapKind, Verdict

        match r.verdict:
            case Verdict.AGREES | Verdict.AGREES_AS_LOWER_BOUND:
                return "agrees"
            case Verdict.WITHIN_RANGE:
                return "within the published range"
            case Verdict.PARTS_DISAGREE:
                return "the total contradicts its parts"
            case Verdict.FROM_DISAGREEING_TOTAL:
                return "derived from a contradicted total"
            case Verdict.OTHER_STATISTIC:
                return "other statistic"
            case Verdict.OTHER_PERIOD:
                return "other period"
            case Verdict.ROUNDING:
                return "rounding"
            case Verdict.ESTIMATE:
                return "estimate"
            case Verdict.OTHER_CODES:
                return "other codes or sources"
            case Verdict.NOT_COMPARED:
                return "not compared"
            case Verdict.NO_STATISTIC:
                return "not computed"
            case Verdict.NOT_SBI:
                return "not SBI-based"
            case Verdict.BAD_PERIOD:
                return f"the period {r.text!r} is not a year or a quarter"
            case Verdict.BAD_SPAN:
                return f"the period {r.text!r} is not a span such as 2010-2016"
            case Verdict.ZERO_BASE:
                return f"the value in {r.text} is zero, so there is no rate"
            case Verdict.NO_VALUE:
                if r.only_own:
                    return "no figure other than this one"
                if r.gaps and r.gaps[0].kind is GapKind.NOT_AT_DEPTH:
                    return "not available at this depth"
                return self._no_value(r)

    @staticmethod
    def _parts_sum(r: Reason) -> str:
        """What a publication's parts add up to: '3,105', or '3,085 to 3,105'."""
        low, high = r.parts_sum or (0.0, 0.0)
        return format_value(Value(low, high))

    def _no_value(self, r: Reason) -> str:
        gaps = "; ".join(self._gap(g, r) for g in r.gaps) or "no figure stored"
        return f"no figure other than this one: {gaps}" if r.only_own else gaps

    @staticmethod
    def _needed(text: str, r: Reason) -> str:
        if not r.needed:
            return text
        what = f"{r.needed[0]}'s total" if r.needed_total else r.needed[0]
        return f"{text} (needed: {what}, {r.needed[1]})"

    @staticmethod
    def reconciled(figures: int, counts: Sequence[tuple[str, int]]) -> str:
        """The sentence under a reconciliation: how many figures, by most likely reason."""
        summary = ", ".join(f"{n} {key}" for key, n in counts)
        return (
            f"{figures} published {'figure' if figures == 1 else 'figures'}: {summary}. Each is computed from the "
            "store without the figure itself, so it is checked against its parts, its whole or a CBS table, never "
            "against itself."
        )

    NO_VALUE = "no value"

    @staticmethod
    def _gap(g: Gap, r: Reason) -> str:
        from lshcli.reconcile import GapKind

        codes = "+".join(g.codes)
        label = MEASURES[r.measure].label
        match g.kind:
            case GapKind.ONLY_WHOLE:
                return f"no other figure for {codes} alone, only for {g.wider} as a whole"
            case GapKind.NOT_AT_DEPTH:
                return f"not available at this depth: {label} for {codes} only within {g.wider}"
            case GapKind.EMPTY_CELL:
                return f"the source leaves {codes} empty in {r.year}"
            case GapKind.NOT_STORED:
                return f"no {label} stored for {codes} in {r.year}"

    # --- choices the commands make -------------------------------------------------------------------------

    @staticmethod
    def year_choice(choice: YearChoice) -> str:
        """Why a year was picked: 'comparing 2016, the latest year with complete firms for both'."""
        from lshcli.query import YearBasis

        count = len(choice.definitions)
        whom = "for both" if count == 2 else "for all" if count > 2 else f"for {choice.definitions[0]}"
        label = choice.measure.label
        if choice.basis is YearBasis.COMPLETE:
            return f"comparing {choice.year}, the latest year with complete {label} {whom}"
        if choice.basis is YearBasis.ONE_SIDE:
            return f"comparing {choice.year}, the latest year with {label} for either; no year has {label} for both"
        return f"comparing {choice.year}, the latest year with {label} {whom}; no year has complete totals {whom}"

    # --- the store ----------------------------------------------------------------------------------------

    @staticmethod
    def _fetched(table: str | None) -> str:
        return f"the rows fetched from CBS {table}" if table else "every row fetched from CBS"

    def clear_question(self, table: str | None, path: str) -> str:
        """What `lsh store clear` asks before it deletes."""
        return f"Delete {self._fetched(table)} from {path}?"

    def cleared(self, deleted: int, table: str | None, path: str) -> str:
        """What `lsh store clear` did."""
        return f"deleted {deleted:,} rows ({self._fetched(table)}) from {path}; the bundled snapshot stays"

    # --- the classification break ------------------------------------------------------------------------

    AND = "and"
    """The word that joins the last two of a list ('21.10, 21.20 and 46.46')."""

    def listed(self, items: Sequence[str]) -> str:
        """'a, b and c' in this language."""
        return ", ".join(items[:-1]) + f" {self.AND} {items[-1]}" if len(items) > 1 else "".join(items)

    def links(self, code: str, links: Sequence[Link], source: Classification, target: Classification) -> list[str]:
        """Where one code goes across the break, in plain words: a sentence per link, or one for a split. The
        sentences are templates (`header`), so a language sibling gives only their words."""
        h, listed = self.header, self.listed

        def named(other: str) -> str:
            return f"{other} ({target.entries[other].digits})"

        used = [x for x in links if x.kind is not LinkKind.DISPUTED]
        told = {"code": code, "target": target.label, "source": source.label}
        sentences: list[str] = []
        if not used:
            sentences.append(h("{code} has no link to {target}.").format(**told))
        elif all(x.kind is LinkKind.SPLIT for x in used) or all(x.kind is LinkKind.SPLIT_SHARED for x in used):
            shared = [
                h("there {other} also takes in {source} {siblings}").format(
                    other=x.other, siblings=listed(list(x.siblings)), **told
                )
                for x in used
                if x.kind is LinkKind.SPLIT_SHARED and x.siblings
            ]
            sentences.append(
                h("{code} is split in {target} over {parts}").format(
                    parts=listed([named(x.other) for x in used]), **told
                )
                + (f"; {'; '.join(shared)}." if shared else ".")
            )
        else:
            templates = {
                LinkKind.SAME: "{code} is {other} in {target}: the same content.",
                LinkKind.RETITLED: "{code} is {other} in {target}: the same code, with a changed title.",
                LinkKind.RENUMBERED: "{code} is {other} in {target}: the same content under another code.",
                LinkKind.WITHIN: (
                    "{code} lies within {other} in {target}, which also holds {siblings}: its firms cannot be "
                    "counted apart there."
                ),
            }
            for x in used:
                template = templates.get(x.kind, "Part of {code} is {other} in {target}.")
                sentences.append(h(template).format(other=named(x.other), siblings=listed(list(x.siblings)), **told))
        sentences += [
            h(
                "Only the Romanian national table links {code} to {other}; Eurostat's does not, so lsh does not use "
                "this link."
            ).format(other=named(x.other), **told)
            for x in links
            if x.kind is LinkKind.DISPUTED
        ]
        if any(x.basis is Basis.TITLE for x in used):
            sentences.append(
                h(
                    "lsh reads this link from the titles of the codes: Eurostat's NACE link is too coarse for "
                    "{code}, and no published table makes it."
                ).format(**told)
            )
        return sentences

    def translation(self, t: Translation, source: Classification) -> tuple[dict[str, str], list[str]]:
        """A translated definition's note on each code it writes, and its notes as a whole.

        The definition's own codes are named as it writes them (32.50, not its subclasses 32.50.1 and 32.50.2).
        """
        listed = self.listed
        d, target = t.source, t.target

        def written(leaves: Sequence[str]) -> list[str]:
            """The definition's codes that hold these finest codes, as it writes them."""
            return sort_codes(
                {next((c.code for c in d.codes if source.contains(c.code, leaf)), leaf) for leaf in leaves}
            )

        def whole(leaves: Sequence[str]) -> list[str]:
            """Outside codes named as coarsely as they are wholly held."""
            return source.compress(frozenset(leaves), [a for leaf in leaves for a in source.ancestors(leaf)])

        code_notes: dict[str, str] = {}
        for entry in t.definition.codes:
            held = [n for n in t.new_codes if n.kept and n.code in target.leaves(entry.code)]
            sources = written([s for n in held for s in n.sources])
            outside = whole(sort_codes({o for n in held for o in n.outside}))
            split = set(written(list(t.split)))
            if outside:
                code_notes[entry.code] = (
                    f"holds {listed(sources)} of {d.id} ({source.label}) and also {listed(outside)}, which {d.id} "
                    f"leaves out: wider than {d.id}"
                )
            elif all(n.exact for n in held):
                code_notes[entry.code] = f"{listed(sources)} in {source.label}: the same content"
            else:
                full = [s for s in sources if s not in split]
                parts = [s for s in sources if s in split]
                pieces = ([listed(full)] if full else []) + ([f"part of {listed(parts)}"] if parts else [])
                code_notes[entry.code] = f"from {' and '.join(pieces)} ({source.label})"
        notes = [
            f"Translated by lsh from {d.id} ({source.label}) to {target.label} with its SBI 2008 -> SBI 2025 "
            "concordance (Eurostat's NACE correspondence and the Dutch subclasses; no CBS table exists)."
        ]
        merged = sort_codes({n.code for n in t.new_codes if n.merged})
        if merged and t.merged_choice is not None:
            how = "taken whole, so the translation is wider" if t.merged_choice.value == "wider" else "left out"
            notes.append(
                f"{listed(merged)} in {target.label} also hold{'s' if len(merged) == 1 else ''} codes {d.id} "
                f"leaves out: {how} (merged codes: {t.merged_choice.value})."
            )
        if t.lost:
            notes.append(f"{listed(written(t.lost))} of {d.id} cannot be kept in {target.label}: left out.")
        for old in written(list(t.split)):
            leaves = source.leaves(old)
            into = sort_codes({n.code for n in t.new_codes if set(n.sources) & leaves})
            kept = [n.code for n in t.new_codes if n.kept and n.code in into]
            notes.append(
                f"{old} is split over {listed(into)} in {target.label}; "
                + ("the translation holds every part." if kept == into else f"the translation keeps {listed(kept)}.")
            )
        disputed: dict[str, set[str]] = {}
        for old, new in t.disputed:
            disputed.setdefault(written([old])[0], set()).add(new)
        notes += [
            f"The Romanian national table also links {old} to {listed(sort_codes(news))}; Eurostat's does not, and "
            "lsh does not use it."
            for old, news in disputed.items()
        ]
        notes.append(
            "This translation holds the same firms as the original."
            if t.exact
            else "This translation does not hold exactly the same firms as the original: compare the two in a "
            "quarter both classifications publish."
        )
        notes += [f"In {d.id}: {n}" for n in d.notes]
        return code_notes, notes

    @staticmethod
    def basis(basis: Basis) -> str:
        """Why lsh links two codes, in a few words."""
        match basis:
            case Basis.EUROSTAT:
                return "Eurostat NACE link"
            case Basis.EUROSTAT_VIA_NACE:
                return "Eurostat, via the NACE classes of the group"
            case Basis.SUBCLASS_STRUCTURE:
                return "class one to one; Dutch subclasses"
            case Basis.SUBCLASS_CODE:
                return "class one to one; subclass code"
            case Basis.CLASS_LINK:
                return "through the class link"
            case Basis.TITLE:
                return "by the titles"
            case Basis.ROMANIA_ONLY:
                return "Romanian table only"

    # --- fetch -----------------------------------------------------------------------------------------

    @staticmethod
    def fetch_warning(w: FetchWarning) -> str:
        """What a fetch warns of: a topic the table lacks, or a table that changed while it was read."""
        from lshcli.cbs.fetch import TopicMissing

        if isinstance(w, TopicMissing):
            return f"table {w.table} has no topic with {w.choice.describe()}: {w.measure} not stored"
        return (
            f"table {w.table} changed while lsh was fetching it (version {w.before[:19]}, then {w.after[:19]}); "
            "fetching it again"
        )

    def fetch_note(self, code: str, result: FetchResult) -> str:
        """Why a requested code was stored otherwise than as itself ('' when it was stored as itself)."""
        plan, h = result.plan, self.header
        stored = plan.wanted.get(code, [])
        if code in plan.not_carried:
            return h("not in the table, nor any code above it")
        if code in plan.stand_ins:
            return h("table stops at {depth}; stored {code}").format(
                depth=self.depth(result.spec.sbi_depth), code=plan.stand_ins[code]
            )
        if stored != [code]:
            return h("stored as its parts {codes}").format(codes=", ".join(stored))
        return ""

    def fetch_messages(self, result: FetchResult, store_path: str) -> list[str]:
        """What a fetch says: codes not carried or stood in for, another table version, and the summary. The
        sentences are templates (`header`), so a language sibling gives only their words."""
        spec, plan, h = result.spec, result.plan, self.header
        told = {"table": spec.id, "depth": self.depth(spec.sbi_depth), "version": result.modified[:10]}
        messages = [
            h("{code} is not in {table} (it goes down to {depth}), nor any code above it: nothing stored").format(
                code=code, **told
            )
            for code in plan.not_carried
        ]
        messages += [
            h("{code} is not in {table} (it goes down to {depth}); stored {parent}, which holds it").format(
                code=code, parent=parent, **told
            )
            for code, parent in plan.stand_ins.items()
        ]
        messages += [
            h(
                "{table} has a newer version ({version}) than rows fetched before ({earlier})"
                if result.modified > version
                else "{table} has an older version ({version}) than rows fetched before ({earlier})"
            ).format(earlier=version[:10], **told)
            for version in result.replaced.earlier_versions
        ]
        periods = sorted(set(plan.periods.values()))
        summary = h(
            "stored {rows} rows of {table} (version {version}; {measures}) for {codes} codes, {first} to {last}, "
            "replacing {replaced}"
        ).format(
            rows=result.replaced.inserted,
            measures=", ".join(result.measures),
            codes=len(plan.wanted),
            first=periods[0],
            last=periods[-1],
            replaced=result.replaced.deleted,
            **told,
        )
        if result.held:
            summary += h("; kept {held} rows already held from this version").format(held=result.held)
        summary += h("; {requests} requests, {kb} kB, {seconds} s; store {store}").format(
            requests=result.requests,
            kb=self.cell(f"{result.bytes / 1000:,.1f}"),
            seconds=self.cell(f"{result.seconds:.1f}"),
            store=store_path,
        )
        return [*messages, summary]
