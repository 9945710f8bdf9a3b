"""Every sentence lsh writes about its results, made once from typed notes, reasons and values, in any language.

Each sentence is one message with named fields, looked up in the language's catalogue (`lshcli.language`);
its numbers are written by the language as the fields are filled in. A language is a catalogue, not code.
Hints that name a command ('lsh fetch ...') come from a `Hints` object that only the command line passes
in: a notebook user gets the facts without flags.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from lshcli.compare import Part
from lshcli.cover import Estimate, Missing, MissingReason, NoEstimate, NoEstimateReason
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
    CountryShare,
    Derived,
    Estimated,
    EstimatedAcross,
    FigureSetAside,
    GapUnknown,
    GroupUnavailable,
    InAll,
    LargestDifference,
    Linked,
    MissingGroup,
    MixedSources,
    NeverTotalled,
    NoEconomyTotal,
    NoEstimateAcross,
    NotAlone,
    Note,
    NothingStored,
    NotTotalledIn,
    OnlyIn,
    OnlyInDefinition,
    Provisional,
    PublishedTotal,
    SeriesBreak,
    ShareOfEconomy,
    SideNotStored,
    Total,
    Totals,
    Trend,
    WideInterval,
    WithinRounding,
)
from lshcli.language import Language, language
from lshcli.measures import MEASURES, Measure, size_label
from lshcli.model import Observation, Source, Value
from lshcli.output.document import sparkline
from lshcli.sbi import sort_codes

if TYPE_CHECKING:
    from lshcli.cbs.fetch import FetchResult, FetchWarning
    from lshcli.cbs.watch import SpecChange, TableCheck
    from lshcli.concordance import Basis, Link
    from lshcli.crosscheck import SourcePair, Why
    from lshcli.definitions import Overlap
    from lshcli.query import YearChoice
    from lshcli.reconcile import Gap, Published, Reason
    from lshcli.sbi import Classification
    from lshcli.sizes import Group
    from lshcli.store import Unusable
    from lshcli.translate import Translation


def words_for(lang: str, hints: Hints | None = None, sbi: Classification | None = None) -> Words:
    """The words of a language ('en', 'nl', or any language with a catalogue), with the interface's hints; SBI
    titles come from `sbi` in the languages it has them in."""
    return Words(hints, sbi, lang)


class Hints(Protocol):
    """Commands that would help, worded for the interface in use (the command line has one)."""

    def fetch(self, remedy: Remedy) -> str:
        """The command that fetches what a remedy names ('' when no table gives it)."""
        ...

    def estimate(self) -> str:
        """How to ask for estimates."""
        ...


class Words:
    """The sentences of one language; `hints` adds the commands that would help (the command line passes its own),
    `sbi` gives SBI titles in the languages the classification has them in."""

    def __init__(
        self, hints: Hints | None = None, sbi: Classification | None = None, lang: Language | str = "en"
    ) -> None:
        self.hints = hints
        self.sbi = sbi
        self.language = language(lang) if isinstance(lang, str) else lang
        self.lang = self.language.code
        self._ = self.language._
        self.n_ = self.language.n_
        self.p_ = self.language.p_
        self.listed = self.language.listed

    # --- what a document shows beside its sentences: headers, units, numbers, titles -------------------

    def header(self, text: str) -> str:
        """A table header, heading or template in this language (the English text is the message)."""
        return self._(text)

    def value(self, value: Value | None) -> str:
        """A value as this language writes it: '2,090', '180 to 200', or 'not available'."""
        if value is None:
            return self._("not available")
        if value.is_point:
            return self.number(value.low)
        return self._("{low} to {high}", low=self.number(value.low), high=self.number(value.high))

    def number(self, x: float, signed: bool = False) -> str:
        """One number as this language writes it, with '+' before a positive one when `signed`: '+150'."""
        return self.language.number(x, signed)

    def percent(self, x: float, spec: str = ".1f") -> str:
        """'67.3%', '+9.3%'."""
        return self.language.percent(x, spec)

    def unit(self, unit: str) -> str:
        """A unit in this language."""
        return self._(unit)

    def share(self, share: Value) -> str:
        """A share in percent with two significant digits, however small: '0.011%', '0.09% to 0.13%'."""
        low, high = self.language.significant(share.low), self.language.significant(share.high)
        return self._("{low}%", low=low) if low == high else self._("{low}% to {high}%", low=low, high=high)

    def label(self, measure: Measure) -> str:
        """A measure's label in this language."""
        return self._(measure.label)

    def source_label(self, source: Source) -> str:
        """A source's short name: 'snapshot' (the bundled published figures) or 'CBS 81589NED (2020-11-19)'."""
        return self.p_("source", "snapshot") if source.kind == "snapshot" else source.label

    def cited(self, figure: Observation) -> str:
        """A figure's short citation: 'snapshot F001', 'CBS 81589NED (2020-11-19) 81589NED/...'."""
        return f"{self.source_label(figure.source)} {figure.ref or ''}".strip()

    def unusable_store(self, w: Unusable) -> str:
        """A store that cannot be opened, and what lsh does instead."""
        return self._(
            "store {path} cannot be used ({reason}); working on the bundled snapshot only", path=w.path, reason=w.reason
        )

    def overlap(self, w: Overlap) -> str:
        """A definition's warning: '46.46.1 lies inside 46.46; its firms are counted once'."""
        return self._(
            "{definition}: {inner} lies inside {outer}; its firms are counted once",
            definition=w.definition,
            inner=w.inner,
            outer=w.outer,
        )

    def level(self, level: str) -> str:
        """A level of the classification ('class', 'subclass'; the data's own word) in this language."""
        return {
            "section": self._("section"),
            "division": self._("division"),
            "group": self._("group"),
            "class": self._("class"),
            "subclass": self._("subclass"),
        }.get(level, level)

    def depth(self, level: str) -> str:
        """How deep a table goes, by its finest level: 'divisions', 'subclasses'."""
        return {
            "section": self._("sections"),
            "division": self._("divisions"),
            "group": self._("groups"),
            "class": self._("classes"),
            "subclass": self._("subclasses"),
        }.get(level, level)

    def link_kind(self, kind: str) -> str:
        """How one code links to another across the break ('same', 'within'; the data's own word)."""
        return {
            "same": self._("same"),
            "retitled": self._("retitled"),
            "renumbered": self._("renumbered"),
            "within": self._("within"),
            "split": self._("split"),
            "split-shared": self._("split-shared"),
            "disputed": self._("disputed"),
        }.get(kind, kind)

    def link(self, kind: str) -> str:
        """A link group's kind across the break: the data's own word ('same', 'wider'), but 'only in A' for the raw
        key 'only_a', which a reader should never see."""
        return {
            "same": self._("same"),
            "wider": self._("wider"),
            "narrower": self._("narrower"),
            "both": self._("both"),
            "only_a": self._("only in A"),
            "only_b": self._("only in B"),
        }.get(kind, kind)

    def labelled(self, measure: Measure) -> str:
        """A measure with its unit, as headings name it: 'employee jobs in December (x 1 000 jobs)', but 'firms'
        where the unit says nothing more than the label ('firms (firms)')."""
        label, unit = self.label(measure), self.unit(measure.unit)
        return label if label == unit else self._("{label} ({unit})", label=label, unit=unit)

    @property
    def NOTHING_STORED(self) -> str:  # noqa: N802  (read as a constant by the tables)
        return self._("no figure stored")

    @property
    def MARKS_LABEL(self) -> str:  # noqa: N802
        return self._("Marks")

    @property
    def MARKS(self) -> dict[str, str]:  # noqa: N802
        return {
            "*": self._("* estimated from a wider published figure (see Estimates)"),
            "*!": self._("*! an estimate outside the interval the published figures allow"),
            "p": self._("p provisional figure (its source may still revise it)"),
            "b": self._("b break in series: Eurostat's method changed in 2021"),
        }

    @property
    def NO_VALUE(self) -> str:  # noqa: N802
        return self._("no value")

    def measure(self, name: str) -> str:
        """A measure where a table or note names it: in English its id ('employee_jobs'), which the user types."""
        return self.p_("measure", name)

    def coverage(self, word: str) -> str:
        """How a value was found ('complete', 'bounded', ...; the data's own word) in this language."""
        return {
            "complete": self.p_("coverage", "complete"),
            "estimated": self.p_("coverage", "estimated"),
            "derived": self.p_("coverage", "derived"),
            "bounded": self.p_("coverage", "bounded"),
            "not available": self.p_("coverage", "not available"),
        }.get(word, word)

    def status(self, text: str) -> str:
        """A CBS status ('provisional', 'definitive+provisional') in this language."""
        return "+".join(self._(part) for part in text.split("+"))

    def title(self, code: str, fallback: str) -> str:
        """An SBI code's title in this language, where the classification has it."""
        if self.sbi is not None and code in self.sbi:
            return self.sbi.entries[code].title_in(self.lang)
        return fallback

    def size(self, text: str) -> str:
        """A size class or group as lsh names it ('3 to 4 persons', 'under 50 persons', 'all firms')."""
        return self._(text)

    def period(self, measure: Measure, quarter: int | None) -> str:
        """The period convention of a measure."""
        if measure.quarterly and quarter not in (None, 1):
            return self._(
                "{label} on the first day of quarter {quarter} of each year", label=self.label(measure), quarter=quarter
            )
        return self._(measure.convention)

    # --- values and reasons ----------------------------------------------------------------------------

    def amount(self, low: float | None, high: float | None, unit: str, signed: bool = False) -> str:
        """'between 2,290 and 3,255 firms', 'at least 12.9 x 1 000 jobs', '2,090 firms'; with `signed`, '+150'."""

        def shown(x: float) -> str:
            return self.number(x, signed)

        unit = self.unit(unit)
        if low is not None and high is not None and low == high:
            return self._("{value} {unit}", value=shown(low), unit=unit)
        if low is not None and high is not None:
            return self._("between {low} and {high} {unit}", low=shown(low), high=shown(high), unit=unit)
        if low is not None:
            return self._("at least {value} {unit}", value=shown(low), unit=unit)
        if high is not None:
            return self._("at most {value} {unit}", value=shown(high), unit=unit)
        return self._("an unknown number of {unit}", unit=unit)

    def between(self, low: float | None, high: float | None, unit: str, signed: bool = False) -> str:
        """'holds between 2,290 and 3,255 firms', 'holds at least 12.9 x 1 000 jobs'; with `signed`, 'lies between
        -815 and +150 firms'."""
        amount = self.amount(low, high, unit, signed)
        return self._("lies {amount}", amount=amount) if signed else self._("holds {amount}", amount=amount)

    def missing(self, m: Missing, unit: str) -> str:
        """'26.60: not available at this depth, only published within 26 (24.5 x 1 000 jobs), which holds ...'."""
        codes = self.listed(list(m.codes))
        match m.reason:
            case MissingReason.WITHIN_WIDER:
                parts = ", ".join(
                    self._("{code} ({value} {unit})", code=o.sbi_label, value=self.value(o.value), unit=self.unit(unit))
                    for o in m.wider
                )
                text = (
                    self._(
                        "{codes}: not available at this depth, only published within {parts}, which holds other "
                        "codes too",
                        codes=codes,
                        parts=parts,
                    )
                    if m.deeper
                    else self._(
                        "{codes}: only published within {parts}, which holds other codes too", codes=codes, parts=parts
                    )
                )
            case MissingReason.CELL_MISSING:
                text = self._("{codes}: the figure is missing or secret in the source", codes=codes)
            case MissingReason.NO_FIGURE:
                text = self._("{codes}: no figure stored", codes=codes)
        if m.no_estimate:
            return self._("{text} (no estimate: {why})", text=text, why=self.no_estimate(m.no_estimate))
        return text

    def short_reason(self, missing: Sequence[Missing]) -> str:
        """Why not, in a few words for a table cell: '26.60 within 26; 72.19.3 no figure'."""
        parts = []
        for m in missing:
            codes = "+".join(m.codes)
            match m.reason:
                case MissingReason.WITHIN_WIDER if m.deeper:
                    parts.append(
                        self._("{codes} not at this depth (needs {wider})", codes=codes, wider=m.wider[0].sbi_label)
                    )
                case MissingReason.WITHIN_WIDER:
                    parts.append(self._("{codes} only within {wider}", codes=codes, wider=m.wider[0].sbi_label))
                case MissingReason.CELL_MISSING:
                    parts.append(self._("{codes} empty in source", codes=codes))
                case MissingReason.NO_FIGURE:
                    parts.append(self._("{codes} no figure", codes=codes))
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
                return self._("{parent} does not hold all of {codes}", parent=n.parent, codes=codes)
            case NoEstimateReason.PARENT_EMPTY:
                return self._("the figure for {parent} is missing", parent=n.parent)
            case NoEstimateReason.NO_SIZE_CLASSES:
                told = {"label": self.label(MEASURES[n.size_class]), "codes": codes, "year": n.year}
                hint = self.hints.fetch(Remedy(codes=n.codes, year=n.year)) if self.hints else ""
                if hint:
                    return self._(
                        "firms by size class ({label}) are not stored for {codes} in {year}; {hint} fetches them",
                        hint=hint,
                        **told,
                    )
                return self._("firms by size class ({label}) are not stored for {codes} in {year}", **told)
            case NoEstimateReason.NO_FIRMS:
                return self._(
                    "no firms are stored for {parent} in {year}, so there is no key", parent=n.parent, year=n.year
                )
            case NoEstimateReason.PARTS_OUTWEIGH:
                return self._(
                    "the firms stored for {codes} outweigh those of {parent} in {year} (the counts disagree), so "
                    "there is no share to apply",
                    codes=codes,
                    parent=n.parent,
                    year=n.year,
                )

    def estimate(self, e: Estimate, unit: str) -> str:
        """'26.60: estimated at 3.1 x 1 000 jobs, 11.2% of 26 (27.75), by firms weighted by size class'."""
        return self._(
            "{codes}: estimated at {value} {unit}, {share} of {parent} ({parent_value}), {method}",
            codes=self.listed(list(e.codes)),
            value=self.value(e.value),
            unit=self.unit(unit),
            share=self.percent(100 * e.share),
            parent=e.parent.sbi_label,
            parent_value=self.value(e.parent.value),
            method=self.method(e.method),
        )

    def method(self, name: str) -> str:
        """An estimation method in words."""
        from lshcli.estimate import METHODS

        return self._(METHODS[name])

    def part(self, part: Part, a: str, b: str) -> str:
        """'in both', 'only in topsector'."""
        match part:
            case Part.SHARED:
                return self._("in both")
            case Part.ONLY_A:
                return self._("only in {definition}", definition=a)
            case Part.ONLY_B:
                return self._("only in {definition}", definition=b)

    # --- notes -----------------------------------------------------------------------------------------

    def note(self, note: Note) -> str:
        """One note as a sentence."""
        _ = self._
        match note:
            case Totals():
                d = note.difference
                told = {
                    "year": note.year,
                    "a": note.a,
                    "b": note.b,
                    "value_a": self.value(note.value_a),
                    "value_b": self.value(note.value_b),
                    "unit": self.unit(note.unit),
                    "difference": self.value(abs(d)),
                    "direction": _("larger") if d.low > 0 else _("smaller") if d.high < 0 else _("about as large"),
                }
                if note.difference_pct is not None:
                    return _(
                        "In {year}, {a} counts {value_a} {unit} and {b} {value_b}: {b} is {difference} ({percent}) "
                        "{direction}.",
                        percent=self.percent(abs(note.difference_pct)),
                        **told,
                    )
                return _(
                    "In {year}, {a} counts {value_a} {unit} and {b} {value_b}: {b} is {difference} {direction}.", **told
                )
            case Change():
                return self._change(note)
            case NothingStored():
                labels = self.language.either([self.label(MEASURES[m]) for m in note.measures])
                hints = (
                    [self.hints.fetch(Remedy(definitions=(note.definition,), measure=m)) for m in note.measures]
                    if self.hints
                    else []
                )
                hint = self.listed([h for h in hints if h])
                if hint:
                    return _(
                        "No {labels} figures are stored for {definition} in any year; {hint} fetches them from CBS.",
                        labels=labels,
                        definition=note.definition,
                        hint=hint,
                    )
                return _(
                    "No {labels} figures are stored for {definition} in any year.",
                    labels=labels,
                    definition=note.definition,
                )
            case ShareOfEconomy():
                return _(
                    "In {year}, {definition} is {share} of the whole economy (CBS's total A-U: {total} {unit}, "
                    "{source}).",
                    year=note.year,
                    definition=note.definition,
                    share=self.share(note.share),
                    total=self.number(note.economy.value_low or 0),
                    unit=self.unit(note.unit),
                    source=self.cited(note.economy),
                )
            case AcrossBreak():
                return self._across(note)
            case Linked():
                r = note.ratio
                return _(
                    "Linked series (an estimate, not published): {b} in {a}'s years, as the interval from the overlap "
                    "below; beside it, in JSON and CSV, a single point: {a}'s values times {ratio}, the ratio of {b} "
                    "({value_b}) to {a} ({value_a}) in {year}, the first year both are valued, which assumes {a} "
                    "would have moved as it did before the break.",
                    a=note.a,
                    b=note.b,
                    ratio=self.language.formatted(r.ratio, ".4g"),
                    value_a=self.value(r.value_a),
                    value_b=self.value(r.value_b),
                    year=r.year,
                )
            case EstimatedAcross():
                return self._estimated_across(note)
            case NoEstimateAcross():
                from lshcli.crossing import GapReason

                g = note.gap
                codes = "+".join(g.codes)
                match g.reason:
                    case GapReason.NO_YEAR:
                        why = _(
                            "no period holds its value in {label_a} and figures of {label_b} both",
                            label_a=note.label_a,
                            label_b=note.label_b,
                        )
                    case GapReason.NOT_COUNTED:
                        hint = self.hints.fetch(Remedy(codes=g.codes, year=g.year)) if self.hints else ""
                        why = (
                            _(
                                "{codes} cannot all be counted in {year} ({hint} fetches them)",
                                codes=codes,
                                year=g.year,
                                hint=hint,
                            )
                            if hint
                            else _("{codes} cannot all be counted in {year}", codes=codes, year=g.year)
                        )
                return _("{a} cannot be estimated in {label_b} years: {why}.", a=note.a, label_b=note.label_b, why=why)
            case BreakTotals():
                return self._break_totals(note)
            case BreakEffect():
                return self._break_effect(note)
            case SideNotStored():
                told = {
                    "definition": note.definition,
                    "label": note.label,
                    "measure": self.label(MEASURES[note.measure]),
                    "year": note.year,
                }
                hint = (
                    self.hints.fetch(Remedy(definitions=(note.definition,), measure=note.measure)) if self.hints else ""
                )
                if hint:
                    return _(
                        "{definition} ({label}) has no {measure} stored for {year}: its codes and links are shown, its "
                        "values are n/a; {hint} fetches them from CBS.",
                        hint=hint,
                        **told,
                    )
                return _(
                    "{definition} ({label}) has no {measure} stored for {year}: its codes and links are shown, its "
                    "values are n/a.",
                    **told,
                )
            case BreakDisputed():
                links = ", ".join(_("{old} to {new}", old=old, new=new) for old, new in note.links)
                return _(
                    "The Romanian national table also links {links} in {label_b}; Eurostat's does not, and lsh does "
                    "not use it.",
                    links=links,
                    label_b=note.label_b,
                )
            case BoundedTotal():
                told = {
                    "year": note.year,
                    "definition": note.definition,
                    "amount": self.amount(note.low, note.high, note.unit),
                }
                if note.missing:
                    return _(
                        "In {year}, {definition} holds {amount}: {why}.",
                        why=self.why_bounded(note.missing, note.unit),
                        **told,
                    )
                return _("In {year}, {definition} holds {amount}.", **told)
            case WideInterval():
                return self._wide(note)
            case BoundedGap():
                reasons = "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                told = {"a": note.a, "b": note.b, "amount": self.amount(note.low, note.high, note.unit, signed=True)}
                if reasons:
                    return _(
                        "The gap ({b} minus {a}) lies {amount}, from the figures taken together: {reasons}.",
                        reasons=reasons,
                        **told,
                    )
                return _("The gap ({b} minus {a}) lies {amount}, from the figures taken together.", **told)
            case Derived():
                terms = " ".join(
                    f"{'-' if sign < 0 else '+'} {o.sbi_label} ({self.value(o.value)})" for o, sign in note.terms
                ).removeprefix("+ ")
                return _(
                    "{name} is {value} {unit}, derived by subtraction: {terms} ({sources}).",
                    name=note.name,
                    value=self.value(note.value),
                    unit=self.unit(note.unit),
                    terms=terms,
                    sources=", ".join(self.cited(o) for o, _ in note.terms),
                )
            case WithinRounding():
                return _(
                    "The published figures agree only within their rounding (a count rounded to 5 lies within 2 of "
                    "the truth); the intervals allow for it."
                )
            case FigureSetAside():
                return _(
                    "A figure of {value} {unit} for {code} ({source}) disagrees with the other figures, which allow "
                    "{allowed}: it is set aside.",
                    value=self.value(note.figure.value),
                    unit=self.unit(note.unit),
                    code=note.figure.sbi_label,
                    source=self.cited(note.figure),
                    allowed=self.amount(note.allowed_low, note.allowed_high, note.unit),
                )
            case Total(value=None):
                return _(
                    "In {year}, {definition} cannot be totalled from the stored figures.",
                    year=note.year,
                    definition=note.definition,
                )
            case Total():
                return _(
                    "In {year}, {definition} counts {value} {unit}.",
                    year=note.year,
                    definition=note.definition,
                    value=self.value(note.value),
                    unit=self.unit(note.unit),
                )
            case MixedSources():
                hint = self.hints.fetch(note.remedy) if self.hints else ""
                told = {"definition": note.definition, "codes": ", ".join(note.codes), "refs": ", ".join(note.refs)}
                if hint:
                    return _(
                        "{definition}'s total mixes figures fetched from CBS with bundled snapshot figures for {codes} "
                        "({refs}); {hint} reads those from CBS too.",
                        hint=hint,
                        **told,
                    )
                return _(
                    "{definition}'s total mixes figures fetched from CBS with bundled snapshot figures for {codes} "
                    "({refs}).",
                    **told,
                )
            case Estimated():
                return _(
                    "Estimated, not published: {estimates}. Estimates assume firms of one size class employ as many "
                    "people in the code as in the rest of the wider code.",
                    estimates="; ".join(self.estimate(e, unit) for e, unit in note.estimates),
                )
            case OnlyIn():
                return self._only_in(note)
            case GapUnknown():
                return _(
                    "The gap cannot be computed: {reasons}.",
                    reasons="; ".join(self._group(g, note.a, note.b) for g in note.groups),
                )
            case NotAlone():
                return _(
                    "Not every code can be counted alone: {reasons}.",
                    reasons="; ".join(self._group(g, note.a, note.b) for g in note.groups),
                )
            case PublishedTotal():
                published = note.figure.value
                told = {"definition": note.definition, "source": self.cited(note.figure)}
                if note.agrees:
                    return _(
                        "The figure published for {definition}'s codes as a whole ({source}) agrees: {value}.",
                        value=self.value(published),
                        **told,
                    )
                assert published is not None
                told |= {
                    "value": self.value(published),
                    "unit": self.unit(note.unit),
                    "computed": self.value(note.computed),
                    "difference": self.value(abs(note.computed - published)),
                }
                if note.set_aside:
                    return _(
                        "A figure of {value} {unit} is published for {definition}'s codes as a whole ({source}); lsh "
                        "sums the finest published figures, {computed}: they differ by {difference}, so the bounds "
                        "set it aside.",
                        **told,
                    )
                return _(
                    "A figure of {value} {unit} is published for {definition}'s codes as a whole ({source}); lsh sums "
                    "the finest published figures, {computed}: they differ by {difference}.",
                    **told,
                )
            case Trend():
                return _(
                    "Trend {first}-{last}: {definition} {sparkline}",
                    first=note.years[0],
                    last=note.years[-1],
                    definition=note.definition,
                    sparkline=sparkline(note.values),
                )
            case NeverTotalled():
                return _(
                    "{definition} cannot be totalled in any year of {first}-{last}: {why} (as in {year}).",
                    definition=note.definition,
                    first=note.first,
                    last=note.last,
                    why="; ".join(self.missing(m, note.unit) for m in note.missing) or _("no figures stored"),
                    year=note.year,
                )
            case NotTotalledIn():
                return _(
                    "{definition} cannot be totalled in {years}.",
                    definition=note.definition,
                    years=self.listed([str(y) for y in note.years]),
                )
            case Provisional():
                return _(
                    "Figures for {years} are provisional and may still be revised by CBS.",
                    years=self.listed([str(y) for y in note.years]),
                )
            case ClassesAddUp():
                if note.class_sum == note.total:
                    return _(
                        "The {classes} size classes add up to the total: {total} firms.",
                        classes=note.classes,
                        total=self.value(note.total),
                    )
                return _(
                    "The size classes add up to {sum} firms, the total is {total}: they differ by {difference} (CBS "
                    "rounds each count to 5).",
                    sum=self.value(note.class_sum),
                    total=self.value(note.total),
                    difference=self.value(abs(note.class_sum - note.total)),
                )
            case GroupUnavailable():
                group = self.size(note.group.label)
                return _(
                    "{group}: {basis}.",
                    group=group[:1].upper() + group[1:],
                    basis=self.group_basis(note.group, note.definition, note.year),
                )
            case InAll():
                if not note.codes:
                    return _("No code is in every definition.")
                return _("In all {n} definitions: {codes}.", n=note.definitions, codes=", ".join(note.codes))
            case OnlyInDefinition():
                return _("Only in {definition}: {codes}.", definition=note.definition, codes=", ".join(note.codes))
            case CountryShare():
                return self._country_share(note)
            case LargestDifference():
                return _(
                    "In {year}, {definition} in {country} holds {share} of its business economy against {other_share} "
                    "in {other}: the largest difference among the {n} countries.",
                    year=note.year,
                    definition=note.definition,
                    country=note.country,
                    share=self.share(note.share),
                    other_share=self.share(note.other_share),
                    other=note.other,
                    n=note.countries,
                )
            case NoEconomyTotal():
                return _(
                    "Eurostat's {datasets} give no total of the business economy for {year}, so no share and no rank.",
                    datasets=self.listed(list(note.datasets)),
                    year=note.year,
                )
            case SeriesBreak():
                return _(
                    "{definition}'s series breaks in {year}: from then Eurostat's figures follow the European business "
                    "statistics regulation ({after}), before it the structural business statistics regulation "
                    "({before}), so a change across {year} is partly a change of method.",
                    definition=note.definition,
                    year=note.year,
                    after=self.listed(list(note.after)),
                    before=self.listed(list(note.before)),
                )

    def why(self, reason: Why) -> str:
        """Why CBS's figure and Eurostat's differ, as a clause."""
        from lshcli.crosscheck import Why

        _ = self._
        match reason:
            case Why.SAME_STATISTIC:
                return _("Eurostat's Dutch figure is CBS's own statistic, so a difference is a revision")
            case Why.OTHER_STATISTIC:
                return _("they count different things")
            case Why.OTHER_PERIOD:
                return _("they count at different times of the year")
            case Why.OTHER_POPULATION:
                return _(
                    "the national accounts count every producer of the activities, the business statistics their "
                    "enterprises"
                )
            case Why.ROUNDING:
                return _("they agree within CBS's rounding to thousands")
            case Why.DEPTH:
                return _("CBS publishes the measure only for wider codes, so its value is an interval")

    def source_pair(self, pair: SourcePair) -> str:
        """A definition's CBS measure beside Eurostat's statistic, in one sentence."""
        from lshcli.crosscheck import sides

        c_low, c_high = pair.cbs_sides
        e_low, e_high = sides(pair.eurostat_value)
        unit = pair.eurostat.unit
        return self._(
            "In {year}, CBS gives {definition} {cbs} ({cbs_label}), Eurostat {eurostat} ({eurostat_label}): {reasons}.",
            year=pair.year,
            definition=pair.definition.id,
            cbs=self.amount(c_low, c_high, unit) if c_low is not None or c_high is not None else self.NO_VALUE,
            cbs_label=self.label(pair.cbs),
            eurostat=self.amount(e_low, e_high, unit) if e_low is not None or e_high is not None else self.NO_VALUE,
            eurostat_label=self.label(pair.eurostat),
            reasons=self.listed([self.why(r) for r in pair.reasons]),
        )

    def _country_share(self, note: CountryShare) -> str:
        _ = self._
        told = {"year": note.year, "definition": note.definition, "country": note.country}
        if note.low is None and note.high is None:
            return _("Eurostat publishes no figure for {definition} in {country} in {year}.", **told)
        told["amount"] = self.amount(note.low, note.high, note.unit)
        if note.share_low is None:
            return _(
                "In {year}, {definition} in {country} holds {amount}; its share of the business economy is not known.",
                **told,
            )
        share = (
            self.share(Value(note.share_low, note.share_high))
            if note.share_high is not None
            else _("at least {value}", value=self.share(Value(note.share_low, note.share_low)))
        )
        if note.rank is None:
            return _(
                "In {year}, {definition} in {country} holds {amount}, {share} of its business economy.",
                share=share,
                **told,
            )
        best, worst = note.rank
        rank = str(best) if best == worst else _("{low} to {high}", low=best, high=worst)
        return _(
            "In {year}, {definition} in {country} holds {amount}, {share} of its business economy: by that share it "
            "ranks {rank} of {n}.",
            share=share,
            rank=rank,
            n=note.countries,
            **told,
        )

    def _change(self, note: Change) -> str:
        _, d = self._, note.absolute

        def signed(x: float) -> str:
            return self.number(x, signed=True)

        def amount(v: Value) -> str:
            return self.value(v) if v.is_point else f"({self.value(v)})"

        growth = []
        if note.percent is not None:
            growth.append(self.percent(note.percent, "+.1f"))
        if note.annual is not None:
            growth.append(_("{percent} a year on average", percent=self.percent(note.annual, "+.1f")))
        told = {
            "definition": note.definition,
            "first": note.first,
            "last": note.last,
            "value_first": amount(note.value_first),
            "value_last": amount(note.value_last),
            "unit": self.unit(note.unit),
            "change": signed(d.low) if d.is_point else _("{low} to {high}", low=signed(d.low), high=signed(d.high)),
        }
        text = (
            _(
                "{definition} from {first} to {last}: {value_first} to {value_last} {unit}, a change of {change} "
                "({growth}).",
                growth=", ".join(growth),
                **told,
            )
            if growth
            else _(
                "{definition} from {first} to {last}: {value_first} to {value_last} {unit}, a change of {change}.",
                **told,
            )
        )
        steps = [
            _(
                "{before} to {after} ({table_before} to {table_after})",
                before=b.before,
                after=b.after,
                table_before=b.table_before,
                table_after=b.table_after,
            )
            for b in note.breaks
        ]
        if steps:
            text += " " + _(
                "This is not growth alone: CBS changed table from {steps}, a break in the series.",
                steps=self.listed(steps),
            )
        return text

    def _estimated_across(self, note: EstimatedAcross) -> str:
        _, unit = self._, self.unit(note.unit)
        told = [
            _(
                "Estimates across the break (not published) are intervals from {period}, when both classifications "
                "were published. How many {unit} went along each link of the concordance is unknown, but the cells of "
                "both classifications bound them (within CBS's rounding); each code is then carried with its own "
                "change. The interval holds every allocation the cells allow, and is a point where every link is one "
                "to one.",
                period=note.period,
                unit=unit,
            )
        ]
        if note.slack > 0:
            told.append(
                _(
                    "At least {slack} {unit} changed code outside the concordance's links that period; the interval "
                    "allows that many and no more.",
                    slack=self.number(note.slack),
                    unit=unit,
                )
            )
        for name, label, codes in note.free:
            free = {"codes": self.listed(list(codes)), "label": label, "period": note.period, "unit": unit}
            if self.hints:
                told.append(
                    _(
                        "{codes} ({label}) had no figure in {period}, so their {unit} are left free, which widens the "
                        "interval ({fetch} narrows it).",
                        fetch=self.hints.fetch(Remedy(codes=codes, classification=name)),
                        **free,
                    )
                )
            else:
                told.append(
                    _(
                        "{codes} ({label}) had no figure in {period}, so their {unit} are left free, which widens the "
                        "interval.",
                        **free,
                    )
                )
        return " ".join(told)

    def _only_in(self, note: OnlyIn) -> str:
        _ = self._
        told = {
            "named": note.code if "+" in note.code else f"{note.code} ({self.title(note.code, note.title)})",
            "a": note.a,
            "b": note.b,
            "value": self.value(note.value),
            "unit": self.unit(note.unit),
            "total": self.value(note.total_a),
        }
        of_a = note.pct_of_a
        if note.part is Part.ONLY_B:
            if of_a is not None:
                return _(
                    "{named} is only in {b} and adds {value} {unit}, {percent} of {a}'s {total}.",
                    percent=self.percent(of_a),
                    **told,
                )
            return _("{named} is only in {b} and adds {value} {unit}.", **told)
        if of_a is not None:
            return _(
                "{named} is only in {a}: {b} leaves out its {value} {unit}, {percent} of {a}'s {total}.",
                percent=self.percent(abs(of_a)),
                **told,
            )
        return _("{named} is only in {a}: {b} leaves out its {value} {unit}.", **told)

    def _across(self, n: AcrossBreak) -> str:
        _ = self._
        if n.first_b is None:
            return _(
                "{b} has no value in {label_b} in these years; {a} is {label_a} throughout.",
                a=n.a,
                b=n.b,
                label_a=n.label_a,
                label_b=n.label_b,
            )
        if n.last_a is None:
            return _(
                "{a} has no value in {label_a} in these years; {b} is {label_b} throughout.",
                a=n.a,
                b=n.b,
                label_a=n.label_a,
                label_b=n.label_b,
            )
        a = {"definition": n.a, "label": n.label_a, "year": n.last_a, "tables": ", ".join(n.tables_a)}
        b = {"definition": n.b, "label": n.label_b, "year": n.first_b, "tables": ", ".join(n.tables_b)}
        return _(
            "The series crosses the classification break: {a}; {b}; {both}.",
            a=_("{definition} is {label} up to {year} ({tables})", **a)
            if n.tables_a
            else _("{definition} is {label} up to {year}", **a),
            b=_("{definition} is {label} from {year} ({tables})", **b)
            if n.tables_b
            else _("{definition} is {label} from {year}", **b),
            both=_("both are valued in {years}, side by side", years=", ".join(map(str, n.overlap)))
            if n.overlap
            else _("no year has both, so the two cannot be linked"),
        )

    def _break_totals(self, n: BreakTotals) -> str:
        _, unit = self._, self.unit(n.unit)
        if n.value_a:
            a = _(
                "{definition} counts {value} {unit} in {label}",
                definition=n.a,
                value=self.value(n.value_a),
                unit=unit,
                label=n.label_a,
            )
            b = (
                _("{definition} {value} in {label}", definition=n.b, value=self.value(n.value_b), label=n.label_b)
                if n.value_b
                else _("{definition} cannot be totalled in {label}", definition=n.b, label=n.label_b)
            )
        else:
            a = _("{definition} cannot be totalled in {label}", definition=n.a, label=n.label_a)
            b = (
                _(
                    "{definition} counts {value} {unit} in {label}",
                    definition=n.b,
                    value=self.value(n.value_b),
                    unit=unit,
                    label=n.label_b,
                )
                if n.value_b
                else _("{definition} cannot be totalled in {label}", definition=n.b, label=n.label_b)
            )
        if n.difference is None:
            return _("In {year}, {a}, and {b}: the gap across the break cannot be computed.", year=n.year, a=a, b=b)
        d = n.difference
        told = {
            "year": n.year,
            "a": a,
            "b": b,
            "difference": self.value(abs(d)),
            "direction": _("more") if d.low > 0 else _("fewer") if d.high < 0 else _("about as many"),
        }
        if n.difference_pct is not None:
            return _(
                "In {year}, {a}, and {b}: {difference} {direction}, {percent}.",
                percent=self.percent(abs(n.difference_pct)),
                **told,
            )
        return _("In {year}, {a}, and {b}: {difference} {direction}.", **told)

    def _break_effect(self, n: BreakEffect) -> str:
        from lshcli.crossing import GroupKind

        _, g = self._, n.group
        told = {
            "codes_a": "+".join(g.codes_a),
            "codes_b": "+".join(g.codes_b),
            "a": n.a,
            "b": n.b,
            "label_a": n.label_a,
            "label_b": n.label_b,
            "outside_a": ", ".join(g.outside_a),
            "outside_b": ", ".join(g.outside_b),
        }
        match g.kind:
            case GroupKind.WIDER:
                text = _(
                    "{codes_b} ({label_b}) also holds {outside_a}, which {a} leaves out, where {a} has only {codes_a}",
                    **told,
                )
            case GroupKind.NARROWER:
                text = _("part of {codes_a} ({label_a}) went to {outside_b}, which {b} leaves out", **told)
            case GroupKind.BOTH:
                text = _(
                    "{codes_b} ({label_b}) also holds {outside_a}, which {a} leaves out, and part of {codes_a} went to "
                    "{outside_b}, which {b} leaves out",
                    **told,
                )
            case GroupKind.SAME:
                text = _(
                    "{codes_a} and {codes_b} hold the same activities; the difference is firms that changed code at "
                    "the break",
                    **told,
                )
            case GroupKind.ONLY_A:
                text = _("{codes_a} has no counterpart in {b}", **told)
            case GroupKind.ONLY_B:
                text = _("{codes_b} in {b} holds none of {a}'s codes", **told)
        text = _("The largest effect: {effect}", effect=text) if n.rank == 1 else text[:1].upper() + text[1:]
        if g.contribution is None:
            return f"{text}."
        amount = self._(
            "{sign}{value} {unit}",
            sign="+" if g.contribution.low >= 0 else "-",
            value=self.value(abs(g.contribution)),
            unit=self.unit(n.unit),
        )
        if g.share_of_gap is not None:
            amount = _("{amount}, {percent} of the gap", amount=amount, percent=self.percent(abs(g.share_of_gap)))
        return f"{text} ({amount})."

    def _wide(self, note: WideInterval) -> str:
        """What a bound that says little rests on, what is known, and what would narrow it."""
        _ = self._
        parents, inside, fetch = self._wide_facts(note)
        high = _("{value} {unit}", value=self.number(note.high), unit=self.unit(note.unit))
        if parents:
            what = self.n_(
                "its interval runs to {high} only because {inside} is published only within all of {parents}",
                "its interval runs to {high} only because {inside} are published only within all of {parents}",
                len(inside),
                high=high,
                inside=self.listed(inside),
                parents=self.listed(parents),
            )
        elif note.low > 0:
            what = _(
                "its interval runs to {high}, {times} times its lower side",
                high=high,
                times=self.language.formatted(note.high / note.low, ".0f"),
            )
        else:
            what = _("its interval runs to {high}", high=high)
        if note.known is not None and note.known_codes:
            known = _(
                "In {year}, what is known of {definition} is {value} {unit} ({codes})",
                year=note.year,
                definition=note.definition,
                value=self.value(note.known),
                unit=self.unit(note.unit),
                codes="+".join(note.known_codes),
            )
        else:
            known = _(
                "In {year}, no part of {definition} is known for sure", year=note.year, definition=note.definition
            )
        text = _("{known}; {interval}.", known=known, interval=what)
        if fetch is None:
            return text
        assert self.hints is not None
        if fetch:
            return (
                text
                + " "
                + _(
                    "{estimate} estimates the codes from firms by size class ({fetch} stores what it needs), or a "
                    "source published at their depth would narrow it.",
                    estimate=self.hints.estimate(),
                    fetch=fetch,
                )
            )
        return (
            text
            + " "
            + _(
                "{estimate} estimates the codes from firms by size class, or a source published at their depth would "
                "narrow it.",
                estimate=self.hints.estimate(),
            )
        )

    def _wide_facts(self, note: WideInterval) -> tuple[list[str], list[str], str | None]:
        """What a wide interval's sentence names: the wider codes it rests on, the codes only published within them,
        and the fetch an estimate needs (None when no estimate is offered; '' when no table gives it)."""
        parents = [p for p, _, _ in note.parents]
        inside = [c for _, _, codes in note.parents for c in codes]
        if not (note.estimable and self.hints is not None):
            return parents, inside, None
        return (
            parents,
            inside,
            self.hints.fetch(Remedy(definitions=(note.definition,), codes=tuple(parents), measure="firms")),
        )

    def why_bounded(self, missing: Sequence[Missing], unit: str) -> str:
        """Why a value is an interval: '72.11.2 is only published together with 72.19.3 (965 firms)'."""
        parts = []
        for m in missing:
            codes = self.listed(list(m.codes))
            match m.reason:
                case MissingReason.WITHIN_WIDER:
                    wider = m.wider[0]
                    others = [c for c in wider.sbi if c not in m.codes]
                    told = {"codes": codes, "value": self.value(wider.value), "unit": self.unit(unit)}
                    if others and len(wider.sbi) > 1:
                        parts.append(
                            self.n_(
                                "{codes} is only published together with {others} ({value} {unit})",
                                "{codes} are only published together with {others} ({value} {unit})",
                                len(m.codes),
                                others=", ".join(others),
                                **told,
                            )
                        )
                    else:
                        parts.append(
                            self.n_(
                                "{codes} is only published within {wider} ({value} {unit})",
                                "{codes} are only published within {wider} ({value} {unit})",
                                len(m.codes),
                                wider=wider.sbi_label,
                                **told,
                            )
                        )
                case MissingReason.CELL_MISSING:
                    parts.append(self._("{codes}: the figure is missing or secret in the source", codes=codes))
                case MissingReason.NO_FIGURE:
                    parts.append(self._("{codes}: no figure stored", codes=codes))
        return "; ".join(parts)

    def notes(self, notes: Sequence[Note]) -> list[str]:
        """Each note as a sentence, in order."""
        return [self.note(n) for n in notes]

    def _group(self, g: MissingGroup, a: str, b: str) -> str:
        _ = self._
        codes = self.listed([f"{code} ({self.part(part, a, b)})" for code, part in g.codes])
        match g.reason:
            case MissingReason.WITHIN_WIDER:
                assert g.wider is not None
                wider = _(
                    "{code} ({value} {unit})",
                    code=g.wider.sbi_label,
                    value=self.value(g.wider.value),
                    unit=self.unit(g.unit),
                )
                if g.outside:
                    text = self.n_(
                        "{codes} is not available at this depth, only published within {wider}, which also holds "
                        "codes outside both definitions: the data is coarser than the definitions",
                        "{codes} are not available at this depth, only published within {wider}, which also holds "
                        "codes outside both definitions: the data is coarser than the definitions",
                        len(g.codes),
                        codes=codes,
                        wider=wider,
                    )
                else:
                    text = self.n_(
                        "{codes} is only published within {wider}, so they cannot be counted apart",
                        "{codes} are only published within {wider}, so they cannot be counted apart",
                        len(g.codes),
                        codes=codes,
                        wider=wider,
                    )
                if g.no_estimate is not None:
                    return _("{text} (no estimate: {why})", text=text, why=self.no_estimate(g.no_estimate))
                if g.estimable and self.hints is not None:
                    return _(
                        "{text}; {estimate} fills them by firms weighted by size class",
                        text=text,
                        estimate=self.hints.estimate(),
                    )
                return text
            case MissingReason.CELL_MISSING:
                return _("{codes}: the source leaves the figure empty (missing or secret)", codes=codes)
            case MissingReason.NO_FIGURE:
                hint = self.hints.fetch(g.remedy) if self.hints else ""
                if hint:
                    return _(
                        "{codes}: no figure stored for {year}; {hint} fetches it", codes=codes, year=g.year, hint=hint
                    )
                return _("{codes}: no figure stored for {year}", codes=codes, year=g.year)

    # --- sizes -----------------------------------------------------------------------------------------

    def group_basis(self, g: Group, definition: str, year: int) -> str:
        """How a size group's value is found: 'sum of 8 size classes', or why there is none."""
        from lshcli.sizes import GroupBasis

        refs = [", ".join(self.cited(o) for o in cov.used) for cov in g.coverages]
        match g.basis:
            case GroupBasis.SUM:
                return self._("sum of {n} size classes", n=g.classes)
            case GroupBasis.PUBLISHED:
                return self._("published figure ({source})", source=refs[0])
            case GroupBasis.COMPLEMENT:
                return self._(
                    "all firms minus {label}, both published ({sources})",
                    label=self.label(MEASURES[g.complement]),
                    sources="; ".join(refs),
                )
            case GroupBasis.STRADDLES:
                assert g.straddling is not None
                return self._(
                    "not available: the published class of {size} straddles the bound of {bound}",
                    size=self.size(size_label(*g.straddling)),
                    bound=g.high + 1 if g.high is not None else g.low,
                )
            case GroupBasis.NOT_STORED:
                return self._(
                    "not available: {label} not stored for {definition} in {year}",
                    label=self.label(MEASURES[g.lacking]),
                    definition=definition,
                    year=year,
                )

    # --- reconcile -------------------------------------------------------------------------------------

    def published(self, figure: Published) -> str:
        """A published value: '3,075', '180 to 200', 'at least 12', or 'n/a'."""
        if figure.low is None:
            return self._("n/a")
        if figure.high is None:
            return self._("at least {value}", value=self.number(figure.low))
        return self.value(Value(figure.low, figure.high))

    def reason(self, r: Reason, figure: Published) -> str:
        """One reason a published figure and lsh's value agree or differ, or why there is no value."""
        from lshcli.reconcile import STATISTICS, Verdict

        _ = self._
        match r.verdict:
            case Verdict.AGREES:
                return _("agrees")
            case Verdict.AGREES_AS_LOWER_BOUND:
                return _("agrees: the figure is published as a lower bound ({value})", value=self.published(figure))
            case Verdict.WITHIN_RANGE:
                return _("within the published range: {value}", value=self.published(figure))
            case Verdict.PARTS_DISAGREE:
                return _(
                    "the publication contradicts itself: its own figures for the parts ({parts}) add up to {sum}, not "
                    "{value}",
                    parts=", ".join(r.parts),
                    sum=self._parts_sum(r),
                    value=self.published(figure),
                )
            case Verdict.FROM_DISAGREEING_TOTAL:
                return _(
                    "derived from {total}, a published total that contradicts its own parts ({parts} add up to "
                    "{sum}): the difference is that contradiction",
                    total=r.text,
                    parts=", ".join(r.parts),
                    sum=self._parts_sum(r),
                )
            case Verdict.OTHER_STATISTIC:
                return _("other statistic: {how}", how=_(STATISTICS[r.text].differs))
            case Verdict.OTHER_PERIOD:
                return _(
                    "other period: published for {period}, computed from {periods}",
                    period=figure.period,
                    periods=", ".join(r.periods),
                )
            case Verdict.ROUNDING:
                return _("rounding: the published figure is rounded to {step}", step=self.number(r.step))
            case Verdict.ESTIMATE:
                return _("estimate: part of the computed value is estimated from a wider figure")
            case Verdict.OTHER_CODES:
                return _("other codes or sources: the publication counts other firms, codes or jobs")
            case Verdict.NOT_COMPARED:
                return _("not compared: the figure has no value")
            case Verdict.NO_STATISTIC:
                return _("not computed: lsh has no statistic {name!r}", name=r.text)
            case Verdict.NOT_SBI:
                return _("not SBI-based: {codes!r} is no set of SBI codes, so no definition gives it", codes=r.text)
            case Verdict.BAD_PERIOD:
                return self._needed(self._period(r), r)
            case Verdict.BAD_SPAN | Verdict.ZERO_BASE:
                return self._period(r)
            case Verdict.NO_VALUE:
                return self._needed(self._no_value(r), r)

    def _period(self, r: Reason) -> str:
        """Why a figure's period cannot be computed: it is no year, no span, or its base is zero."""
        from lshcli.reconcile import Verdict

        if r.verdict is Verdict.BAD_SPAN:
            return self._("the period {period!r} is not a span such as 2010-2016", period=r.text)
        if r.verdict is Verdict.ZERO_BASE:
            return self._("the value in {period} is zero, so there is no rate", period=r.text)
        return self._("the period {period!r} is not a year or a quarter", period=r.text)

    def verdict(self, r: Reason) -> str:
        """The most likely reason in a word or two: 'agrees', 'rounding', 'not available at this depth'."""
        from lshcli.reconcile import GapKind, Verdict

        _ = self._
        match r.verdict:
            case Verdict.AGREES | Verdict.AGREES_AS_LOWER_BOUND:
                return _("agrees")
            case Verdict.WITHIN_RANGE:
                return _("within the published range")
            case Verdict.PARTS_DISAGREE:
                return _("the total contradicts its parts")
            case Verdict.FROM_DISAGREEING_TOTAL:
                return _("derived from a contradicted total")
            case Verdict.OTHER_STATISTIC:
                return _("other statistic")
            case Verdict.OTHER_PERIOD:
                return _("other period")
            case Verdict.ROUNDING:
                return _("rounding")
            case Verdict.ESTIMATE:
                return _("estimate")
            case Verdict.OTHER_CODES:
                return _("other codes or sources")
            case Verdict.NOT_COMPARED:
                return _("not compared")
            case Verdict.NO_STATISTIC:
                return _("not computed")
            case Verdict.NOT_SBI:
                return _("not SBI-based")
            case Verdict.BAD_PERIOD | Verdict.BAD_SPAN | Verdict.ZERO_BASE:
                return self._period(r)
            case Verdict.NO_VALUE:
                if r.only_own:
                    return _("no figure other than this one")
                if r.gaps and r.gaps[0].kind is GapKind.NOT_AT_DEPTH:
                    return _("not available at this depth")
                return self._no_value(r)

    def _parts_sum(self, r: Reason) -> str:
        """What a publication's parts add up to: '3,105', or '3,085 to 3,105'."""
        low, high = r.parts_sum or (0.0, 0.0)
        return self.value(Value(low, high))

    def _no_value(self, r: Reason) -> str:
        gaps = "; ".join(self._gap(g, r) for g in r.gaps) or self._("no figure stored")
        return self._("no figure other than this one: {gaps}", gaps=gaps) if r.only_own else gaps

    def _needed(self, text: str, r: Reason) -> str:
        if not r.needed:
            return text
        what = self._("{definition}'s total", definition=r.needed[0]) if r.needed_total else r.needed[0]
        return self._("{text} (needed: {what}, {period})", text=text, what=what, period=r.needed[1])

    def reconciled(self, figures: int, counts: Sequence[tuple[str, int]]) -> str:
        """The sentence under a reconciliation: how many figures, by most likely reason."""
        return self.n_(
            "{n} published figure: {summary}. Each is computed from the store without the figure itself, so it is "
            "checked against its parts, its whole or a CBS table, never against itself.",
            "{n} published figures: {summary}. Each is computed from the store without the figure itself, so it is "
            "checked against its parts, its whole or a CBS table, never against itself.",
            figures,
            summary=", ".join(self._("{count} {verdict}", count=n, verdict=key) for key, n in counts),
        )

    def _gap(self, g: Gap, r: Reason) -> str:
        from lshcli.reconcile import GapKind

        told = {"codes": "+".join(g.codes), "label": self.label(MEASURES[r.measure]), "wider": g.wider, "year": r.year}
        match g.kind:
            case GapKind.ONLY_WHOLE:
                return self._("no other figure for {codes} alone, only for {wider} as a whole", **told)
            case GapKind.NOT_AT_DEPTH:
                return self._("not available at this depth: {label} for {codes} only within {wider}", **told)
            case GapKind.EMPTY_CELL:
                return self._("the source leaves {codes} empty in {year}", **told)
            case GapKind.NOT_STORED:
                return self._("no {label} stored for {codes} in {year}", **told)

    # --- choices the commands make -------------------------------------------------------------------------

    def year_choice(self, choice: YearChoice) -> str:
        """Why a year was picked: 'comparing 2016, the latest year with complete firms for both'."""
        from lshcli.query import YearBasis

        _, count = self._, len(choice.definitions)
        told = {"year": choice.year, "label": self.p_("counted", choice.measure.label)}
        if choice.basis is YearBasis.ONE_SIDE:
            return _("comparing {year}, the latest year with {label} for either; no year has {label} for both", **told)
        if choice.basis is YearBasis.COMPLETE:
            if count == 2:
                return _("comparing {year}, the latest year with complete {label} for both", **told)
            if count > 2:
                return _("comparing {year}, the latest year with complete {label} for all", **told)
            return _(
                "comparing {year}, the latest year with complete {label} for {definition}",
                definition=choice.definitions[0],
                **told,
            )
        if count == 2:
            return _(
                "comparing {year}, the latest year with {label} for both; no year has complete totals for both", **told
            )
        if count > 2:
            return _(
                "comparing {year}, the latest year with {label} for all; no year has complete totals for all", **told
            )
        return _(
            "comparing {year}, the latest year with {label} for {definition}; no year has complete totals for "
            "{definition}",
            definition=choice.definitions[0],
            **told,
        )

    # --- the store ----------------------------------------------------------------------------------------

    def clear_question(self, table: str | None, path: str) -> str:
        """What `lsh store clear` asks before it deletes."""
        if table:
            return self._("Delete the rows fetched from CBS {table} from {path}?", table=table, path=path)
        return self._("Delete every row fetched from CBS from {path}?", path=path)

    def cleared(self, deleted: int, table: str | None, path: str) -> str:
        """What `lsh store clear` did."""
        told = {"rows": self.number(deleted), "path": path}
        if table:
            return self._(
                "deleted {rows} rows (the rows fetched from CBS {table}) from {path}; the bundled snapshot stays",
                table=table,
                **told,
            )
        return self._(
            "deleted {rows} rows (every row fetched from CBS) from {path}; the bundled snapshot stays", **told
        )

    # --- the classification break ------------------------------------------------------------------------

    def links(self, code: str, links: Sequence[Link], source: Classification, target: Classification) -> list[str]:
        """Where one code goes across the break, in plain words: a sentence per link, or one for a split. The
        sentences are templates (`header`), so a language sibling gives only their words."""
        from lshcli.concordance import Basis, LinkKind

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
                LinkKind.SAME: h("{code} is {other} in {target}: the same content."),
                LinkKind.RETITLED: h("{code} is {other} in {target}: the same code, with a changed title."),
                LinkKind.RENUMBERED: h("{code} is {other} in {target}: the same content under another code."),
                LinkKind.WITHIN: h(
                    "{code} lies within {other} in {target}, which also holds {siblings}: its firms cannot be "
                    "counted apart there."
                ),
            }
            for x in used:
                template = templates.get(x.kind) or h("Part of {code} is {other} in {target}.")
                sentences.append(template.format(other=named(x.other), siblings=listed(list(x.siblings)), **told))
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
        """A translated definition's note on each code it writes, and its notes as a whole, in English: they go into
        the definition file, and every definition's notes are English (`lsh definitions translate` takes no --lang).

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

    def basis(self, basis: Basis) -> str:
        """Why lsh links two codes, in a few words."""
        from lshcli.concordance import Basis

        match basis:
            case Basis.EUROSTAT:
                return self._("Eurostat NACE link")
            case Basis.EUROSTAT_VIA_NACE:
                return self._("Eurostat, via the NACE classes of the group")
            case Basis.SUBCLASS_STRUCTURE:
                return self._("class one to one; Dutch subclasses")
            case Basis.SUBCLASS_CODE:
                return self._("class one to one; subclass code")
            case Basis.CLASS_LINK:
                return self._("through the class link")
            case Basis.TITLE:
                return self._("by the titles")
            case Basis.ROMANIA_ONLY:
                return self._("Romanian table only")

    # --- fetch -----------------------------------------------------------------------------------------

    def fetch_warning(self, w: FetchWarning) -> str:
        """What a fetch warns of: a topic the table lacks, a table that changed while it was read, or a protocol
        that could not give the table."""
        from lshcli.cbs.fetch import ProtocolFallback, TopicMissing

        if isinstance(w, ProtocolFallback):
            return self._(
                "CBS's OData {tried} could not give {table} ({reason}); fetched it through OData {used}",
                tried=w.tried,
                table=w.table,
                reason=w.reason.told(self._),
                used=w.used,
            )
        if isinstance(w, TopicMissing):
            wanted = [self._("title {title!r}", title=t) for t in w.choice.titles]
            wanted += [self._("key {key!r}", key=k) for k in w.choice.keys]
            return self._(
                "table {table} has no topic with {wanted}: {measure} not stored",
                table=w.table,
                wanted=self.language.either(wanted),
                measure=w.measure,
            )
        return self._(
            "table {table} changed while lsh was fetching it (version {before}, then {after}); fetching it again",
            table=w.table,
            before=w.before[:19],
            after=w.after[:19],
        )

    def table_check(self, check: TableCheck) -> list[str]:
        """What `lsh tables check` found of one table, a sentence each."""
        _ = self._
        told = {"table": check.table}
        if not check.in_catalog:
            return [_("{table} is not in CBS's OData v4 catalog; lsh fetches it through v3 where v3 has it.", **told)]
        said = []
        if check.status in ("discontinued", "withdrawn"):
            ended = _("discontinued") if check.status == "discontinued" else _("withdrawn")
            if check.successors:
                said.append(
                    _(
                        "{table} is {ended}; CBS names {successors} as its successor: a table spec for it lets lsh "
                        "fetch on.",
                        ended=ended,
                        successors=self.listed(list(check.successors)),
                        **told,
                    )
                )
            else:
                said.append(_("{table} is {ended}, and CBS names no successor.", ended=ended, **told))
        if check.error is not None:
            said.append(_("{table} could not be read: {reason}.", reason=check.error.told(_), **told))
        if check.new_version:
            said.append(
                _(
                    "{table} has a new version ({version}) since the store was filled ({stored}): 'lsh fetch' reads "
                    "it again.",
                    version=(check.modified or "")[:10],
                    stored=(check.stored_versions[-1] if check.stored_versions else "")[:10],
                    **told,
                )
            )
        if check.new_periods:
            said.append(_("{table} has new periods: {periods}.", periods=self.listed(list(check.new_periods)), **told))
        if check.now_final:
            said.append(
                _(
                    "{table}'s figures for {periods} were provisional in the store and are final now.",
                    periods=self.listed(list(check.now_final)),
                    **told,
                )
            )
        for change in check.changes:
            said.append(self._spec_change(check.table, change))
        if not said:
            said.append(_("{table} is as its spec expects.", **told))
        return said

    def _spec_change(self, table: str, change: SpecChange) -> str:
        _ = self._
        told = {"table": table, "name": change.name, "path": change.path}
        match change.kind:
            case "dimension":
                return _(
                    "{table} has no dimension {name} any more (it has {found}): correct the dimensions in {path}.",
                    found=change.found or "-",
                    **told,
                )
            case "unit":
                return _(
                    "{table} gives {name} in {found!r} now, not {expected!r}: correct the unit and scale of {name} "
                    "in {path}.",
                    found=change.found or "",
                    expected=change.expected,
                    **told,
                )
            case "category":
                return _(
                    "{table}'s dimension {name} has no category with {expected} any more: correct it in {path}.",
                    expected=change.expected,
                    **told,
                )
        if change.found:
            return _(
                "{table} has no topic with {expected} for {name} any more; the nearest is {found!r} ({key}): if it is "
                "the same statistic, set the title of {name} to it in {path}.",
                expected=change.expected,
                found=change.found,
                key=change.key or "-",
                **told,
            )
        return _(
            "{table} has no topic with {expected} for {name} any more: correct {name} in {path}.",
            expected=change.expected,
            **told,
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
            (
                h("{table} has a newer version ({version}) than rows fetched before ({earlier})")
                if result.modified > version
                else h("{table} has an older version ({version}) than rows fetched before ({earlier})")
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
            kb=self.language.formatted(result.bytes / 1000, ",.1f"),
            seconds=self.language.formatted(result.seconds, ".1f"),
            store=store_path,
        )
        return [*messages, summary]
