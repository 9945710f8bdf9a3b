"""The sentences, headers and numbers of `lsh compare` in Dutch: the sibling of `words` for `--lang nl`.

Each sentence is made from the same typed notes as the English one. Numbers are written the Dutch way
(1.234,5); SBI titles are CBS's Dutch ones. Every command speaks Dutch; only `lsh definitions translate`,
whose notes go into a definition file (English, as every definition's are), refuses `--lang nl`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lshcli.compare import Part
from lshcli.concordance import Basis
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
from lshcli.measures import MEASURES, OPEN_CLASS_WEIGHT, size_label
from lshcli.model import Value, format_number
from lshcli.output.document import sparkline
from lshcli.output.words import Hints, Words, significant

if TYPE_CHECKING:
    from lshcli.cbs.fetch import FetchWarning
    from lshcli.definitions import Overlap
    from lshcli.measures import Measure
    from lshcli.query import YearChoice
    from lshcli.reconcile import Gap, Published, Reason
    from lshcli.sbi import Classification
    from lshcli.sizes import Group
    from lshcli.store import Unusable

UNITS = {"firms": "bedrijven", "x 1 000 jobs": "x 1 000 banen", "x 1 000 persons": "x 1 000 personen"}
# lsh stores CBS's Dutch statuses in English (lshcli.cbs.odata.STATUS); Dutch output gives them back.
STATUS = {"definitive": "definitief", "revised provisional": "nader voorlopig", "provisional": "voorlopig"}
CONVENTIONS = {
    "as published per year": "zoals per jaar gepubliceerd",
    "average number of employee jobs in December of the year (CBS 83583NED)": (
        "gemiddeld aantal werknemersbanen in december van het jaar (CBS 83583NED)"
    ),
    "average number of persons employed over the year (CBS 81156ned)": (
        "gemiddeld aantal werkzame personen over het jaar (CBS 81156ned)"
    ),
    "firms on the first day of the quarter, as published for the group; a year means its first quarter": (
        "bedrijven op de eerste dag van het kwartaal, zoals voor de groep gepubliceerd; een jaar betekent het "
        "eerste kwartaal"
    ),
    "firms on the first day of the quarter, by persons employed; a year means its first quarter": (
        "bedrijven op de eerste dag van het kwartaal, naar werkzame personen; een jaar betekent het eerste kwartaal"
    ),
    "firms on the first day of the quarter; a year means its first quarter (or an annual figure)": (
        "bedrijven op de eerste dag van het kwartaal; een jaar betekent het eerste kwartaal (of een jaarcijfer)"
    ),
    "gross value added over the year at current prices (CBS national accounts, 84088NED/85867NED)": (
        "bruto toegevoegde waarde over het jaar in lopende prijzen (CBS nationale rekeningen, 84088NED/85867NED)"
    ),
    "output over the year at current prices (CBS national accounts, 84088NED/85867NED)": (
        "productiewaarde over het jaar in lopende prijzen (CBS nationale rekeningen, 84088NED/85867NED)"
    ),
    "turnover over the year (CBS 81156ned)": "omzet over het jaar (CBS 81156ned)",
    "jobs of employees and self-employed over the year (CBS national accounts, labour input)": (
        "banen van werknemers en zelfstandigen over het jaar (CBS nationale rekeningen, arbeidsvolume)"
    ),
    "average number of persons employed over the year (CBS national accounts, labour input)": (
        "gemiddeld aantal werkzame personen over het jaar (CBS nationale rekeningen, arbeidsvolume)"
    ),
}
"""Each measure's period convention (lshcli.measures), in Dutch; a test checks that none is missing."""
LINKS = {
    "same": "gelijk",
    "wider": "ruimer",
    "narrower": "smaller",
    "both": "beide",
    "only_a": "alleen in A",
    "only_b": "alleen in B",
}
"""Each kind of link group across the break (lshcli.crossing.GroupKind), in Dutch."""
LEVELS = {"section": "sectie", "division": "afdeling", "group": "groep", "class": "klasse", "subclass": "subklasse"}
LINK_KINDS = {
    "same": "gelijk",
    "retitled": "nieuwe omschrijving",
    "renumbered": "nieuwe code",
    "within": "valt in",
    "split": "gesplitst",
    "split-shared": "gesplitst, gedeeld",
    "disputed": "betwist",
}
"""How one code links to another across the break (lshcli.concordance.LinkKind), in Dutch."""
DIFFERS = {
    "direct_jobs": "directe banen zoals de studie ze telt, tegenover CBS-werknemersbanen in december",
    "persons_working": "werkzame personen (zelfstandigen inbegrepen), tegenover CBS-werknemersbanen in december",
    "fte_change": "voltijdbanen, tegenover CBS-werknemersbanen",
    "gdp_direct": "een directe bbp-bijdrage zoals de studie die berekent, tegenover bruto toegevoegde waarde",
    "jobs_total_as_employee_jobs": (
        "banen van werknemers en zelfstandigen over het jaar (nationale rekeningen), tegenover CBS-werknemersbanen "
        "in december"
    ),
    "persons_employed_as_employee_jobs": (
        "werkzame personen over het jaar (nationale rekeningen), tegenover CBS-werknemersbanen in december"
    ),
}
"""How each published statistic that is not quite lsh's measure differs (lshcli.reconcile.STATISTICS), in Dutch."""
COVERAGE = {
    "complete": "volledig",
    "estimated": "geschat",
    "derived": "afgeleid",
    "bounded": "begrensd",
    "not available": "niet beschikbaar",
}
LABELS = {
    "firms": "bedrijven",
    "employee jobs in December": "werknemersbanen in december",
    "persons employed": "werkzame personen",
    "jobs of employees and self-employed": "banen van werknemers en zelfstandigen",
    "persons employed (national accounts)": "werkzame personen (nationale rekeningen)",
    "turnover": "omzet",
    "output (production value at basic prices)": "productie (productiewaarde tegen basisprijzen)",
    "gross value added at basic prices": "bruto toegevoegde waarde tegen basisprijzen",
}
_SIZED = re.compile(r"firms with (?P<size>.+) (?:persons?) employed")
_SIZES = ((r"^fewer than ", "minder dan "), (r" or more\b", " of meer"), (r" to ", " tot "))


def measure_label(label: str) -> str:
    """A measure's label in Dutch: 'firms with 3 to 4 persons employed' is 'bedrijven met 3 tot 4 werkzame
    personen'."""
    if label in LABELS:
        return LABELS[label]
    sized = _SIZED.fullmatch(label)
    if sized is None:
        raise KeyError(f"no Dutch label for the measure {label!r}")
    size = _cbs_range(sized.group("size"))
    for english, dutch in _SIZES:
        size = re.sub(english, dutch, size)
    return f"bedrijven met {size} {'werkzame persoon' if size == '1' else 'werkzame personen'}"


_PERSONS = ((r"\bpersons\b", "personen"), (r"\bperson\b", "persoon"), (r"^under ", "minder dan "))
SIZES = {"all firms": "totaal", "one-person firms": "eenpersoonsbedrijven"}


def size(text: str) -> str:
    """A size class or group in Dutch, as CBS labels it: '3 to 4 persons' is '3 tot 5 werkzame personen' (CBS counts
    to the next class's lower bound), '100 or more persons' is '100 werkzame personen of meer'."""
    if text in SIZES:
        return SIZES[text]
    text = _cbs_range(text)
    text = re.sub(r"^(\d+) or more persons$", r"\1 werkzame personen of meer", text)
    text = re.sub(r"^1 person$", "1 werkzaam persoon", text)
    text = re.sub(r"\bpersons\b", "werkzame personen", text)
    for english, dutch in (*_SIZES, *_PERSONS):
        text = re.sub(english, dutch, text)
    return text


def _cbs_range(text: str) -> str:
    """'3 to 4' as CBS writes a size class: '3 tot 5' (up to the next class's lower bound)."""
    return re.sub(r"(\d+) to (\d+)", lambda m: f"{m.group(1)} tot {int(m.group(2)) + 1}", text)


HEADERS = {
    "persons employed": "werkzame personen",
    "% of all": "% van totaal",
    "Groups": "Groepen",
    "{definition}: firms by persons employed, {year}": "{definition}: bedrijven naar werkzame personen, {year}",
    "Codes by definition, {measure} in {year}": "Codes per definitie, {measure} in {year}",
    "definition": "definitie",
    "% of A": "% van A",
    "status": "status",
    "sources": "bronnen",
    "part": "deel",
    "title": "omschrijving",
    "% of gap": "% van het verschil",
    "Where the difference comes from": "Waar het verschil vandaan komt",
    "Period": "Periode",
    "against": "tegenover",
    "year": "jaar",
    "difference": "verschil",
    "% of": "% van",
    "measure": "maatstaf",
    "value": "waarde",
    "unit": "eenheid",
    "coverage": "dekking",
    "why not": "waarom niet",
    "Sources:": "Bronnen:",
    "Estimates (not published figures):": "Schattingen (geen gepubliceerde cijfers):",
    # lsh report and its charts
    "{measure}, {year}: from {a} to {b}": "{measure}, {year}: van {a} naar {b}",
    "Source:": "Bron:",
    "est.": "geschat",
    "classification break": "trendbreuk door SBI 2025",
    "Gaps and 'n/a': no value can be computed for that year (never zero). Whiskers: a published range, or the "
    "interval the figures allow (with caps; an arrow where it runs past the axis). p: provisional; est.: "
    "estimated.": (
        "Onderbrekingen en 'n.b.': voor dat jaar is geen waarde te berekenen (nooit nul). Lijnen: een gepubliceerd "
        "interval, of het interval dat de cijfers toelaten (met streepjes; een pijl waar het buiten de as loopt). "
        "p: voorlopig; geschat: een schatting."
    ),
    "(each step's own contribution: the bridge cannot be closed)": (
        "(de eigen bijdrage van elke stap: de brug is niet te sluiten)"
    ),
    "Not known (marked x on the axis, never a bar): {steps}.": "Onbekend (een x op de as, nooit een staaf): {steps}.",
    "Dotted bars with a range: no single figure, the interval the published figures allow (drawn at its middle).": (
        "Gestippelde staven met een interval: geen enkel cijfer, maar het interval dat de gepubliceerde cijfers "
        "toelaten (in het midden getekend)."
    ),
    "trend": "verloop",
    "{measure} by year": "{measure} per jaar",
    "n/a: no value can be computed; p: provisional; *: estimated.": (
        "n.b.: geen waarde te berekenen; p: voorlopig; *: geschat."
    ),
    "Published as ranges, summed bound by bound: {codes}.": (
        "Als interval gepubliceerd, grens voor grens opgeteld: {codes}."
    ),
    "Provisional CBS figures (may still be revised): {periods}.": (
        "Voorlopige CBS-cijfers (kunnen nog worden herzien): {periods}."
    ),
    "Some values are estimates (marked *), not published figures; see the explanations for the key.": (
        "Sommige waarden zijn schattingen (met *), geen gepubliceerde cijfers; de toelichting geeft de sleutel."
    ),
    "None: every value shown is a published figure, complete for its codes.": (
        "Geen: elke getoonde waarde is een gepubliceerd cijfer, volledig voor zijn codes."
    ),
    "CBS table": "CBS-tabel",
    "published figure (bundled snapshot)": "gepubliceerd cijfer (meegeleverde momentopname)",
    "(no source stated)": "(geen bron vermeld)",
    "source": "bron",
    "kind": "soort",
    "table version": "tabelversie",
    "retrieved": "opgehaald",
    "figures or codes": "cijfers of codes",
    "citation": "verwijzing",
    "Life Sciences & Health by definition: {ids}": "Life Sciences & Health per definitie: {ids}",
    "Made by lsh {version} on {generated} from live CBS figures and the bundled snapshot of published figures.": (
        "Gemaakt door lsh {version} op {generated} uit actuele CBS-cijfers en de meegeleverde momentopname van "
        "gepubliceerde cijfers."
    ),
    "Made by lsh {version} on {generated} from the bundled snapshot of published figures.": (
        "Gemaakt door lsh {version} op {generated} uit de meegeleverde momentopname van gepubliceerde cijfers."
    ),
    "Estimates: allowed, and marked *.": "Schattingen: toegestaan, en gemarkeerd met *.",
    "Estimates: none.": "Schattingen: geen.",
    "{measure} in {year}; series {first}-{last}.": "{measure} in {year}; reeks {first}-{last}.",
    "Summary": "Samenvatting",
    "No comparison: give two or more definitions.": "Geen vergelijking: geef twee of meer definities.",
    "The definitions": "De definities",
    "{measure} over time": "{measure} door de tijd",
    "{a} against {b}, {year}": "{a} tegenover {b}, {year}",
    "Which codes each definition holds": "Welke codes elke definitie bevat",
    "Caveats": "Kanttekeningen",
    "Provenance": "Herkomst",
    "Every figure in this report comes from one of these sources; each CBS table is named with its version and "
    "the time lsh retrieved it.": (
        "Elk cijfer in dit rapport komt uit een van deze bronnen; elke CBS-tabel staat er met zijn versie en het "
        "moment waarop lsh hem ophaalde."
    ),
    "SBI codes": "SBI-codes",
    "from": "herkomst",
    "bundled": "meegeleverd",
    "Definitions": "Definities",
    "wrote {path}": "{path} geschreven",
    "{classification} from here": "{classification} vanaf hier",
    # across the 2025 break
    "link": "koppeling",
    "codes of A": "codes van A",
    "codes of B": "codes van B",
    "also holds": "bevat ook",
    "Where the difference comes from, link by link (A = {a}, B = {b})": (
        "Waar het verschil vandaan komt, koppeling voor koppeling (A = {a}, B = {b})"
    ),
    "Each side is read only from figures of its own classification; the links are lsh's {la} -> {lb} concordance "
    "(Eurostat's NACE correspondence and the Dutch subclasses).": (
        "Elke kant is alleen uit cijfers van zijn eigen indeling gelezen; de koppelingen zijn de {la} -> {lb}-"
        "concordantie van lsh (de NACE-omzettingstabel van Eurostat en de Nederlandse subklassen)."
    ),
    "{measure} across the break: {a} and {b}": "{measure} rond de overgang naar SBI 2025: {a} en {b}",
    "linked, in {classification} *": "gekoppeld, in {classification} *",
    "{definition} estimated *": "{definition} geschat *",
    "| the classification break: the first year with a value in {classification}.": (
        "| de breuk in de indeling: het eerste jaar met een waarde in {classification}."
    ),
    "* estimated, not published (see the sentences above).": "* geschat, niet gepubliceerd (zie de zinnen hierboven).",
    # lsh reconcile
    "statistic": "statistiek",
    "period": "periode",
    "published": "gepubliceerd",
    "most likely reason": "meest waarschijnlijke reden",
    "Published figures beside lsh's values": "Gepubliceerde cijfers naast de waarden van lsh",
    # the catalogues: definitions, SBI codes, links, measures, tables, the store
    "level": "niveau",
    "group": "groep",
    "note": "toelichting",
    "Source": "Bron",
    "not stated": "niet vermeld",
    "Classification": "Indeling",
    "Translated from": "Vertaald uit",
    "Extends": "Breidt uit",
    "Note": "Toelichting",
    "Warning": "Waarschuwing",
    "File": "Bestand",
    "inside": "valt in",
    "holds": "bevat",
    "title there": "omschrijving daar",
    "basis": "grondslag",
    "Links: the Eurostat NACE Rev. 2 <-> Rev. 2.1 correspondence, with the Dutch subclasses matched by lsh (no CBS "
    "table exists); see lsh's README, 'SBI 2025'.": (
        "Koppelingen: de omzettingstabel NACE Rev. 2 <-> Rev. 2.1 van Eurostat, met de Nederlandse subklassen door "
        "lsh gekoppeld (er bestaat geen CBS-tabel); zie de README van lsh, 'SBI 2025'."
    ),
    "label": "omschrijving",
    "CBS tables": "CBS-tabellen",
    "published figures only": "alleen gepubliceerde cijfers",
    "firms_size_*: firms on the first day of the quarter by persons employed (CBS 81589NED size classes).": (
        "firms_size_*: bedrijven op de eerste dag van het kwartaal naar werkzame personen (grootteklassen van CBS "
        "81589NED)."
    ),
    "Measures": "Maatstaven",
    "by size class": "naar grootteklasse",
    "table": "tabel",
    "measures": "maatstaven",
    "SBI, to": "SBI, tot",
    "periods": "perioden",
    "yearly": "per jaar",
    "quarterly": "per kwartaal",
    "monthly": "per maand",
    "CBS tables lsh can fetch": "CBS-tabellen die lsh kan ophalen",
    "rows": "rijen",
    "codes": "codes",
    "to": "tot",
    "empty": "leeg",
    "version": "versie",
    "Store {path}": "Opslag {path}",
    "{path}: valid definition {id!r} with {codes} codes": "{path}: geldige definitie {id!r} met {codes} codes",
    # a workbook's own words
    "{header} (low)": "{header} (laag)",
    "{header} (high)": "{header} (hoog)",
    "sentences": "zinnen",
    # lsh fetch
    "stored as": "opgeslagen als",
    "Fetched from CBS {table} ({title}), version {version}": "Opgehaald bij CBS {table} ({title}), versie {version}",
    "not in the table, nor any code above it": "niet in de tabel, en ook geen code erboven",
    "table stops at {depth}; stored {code}": "de tabel gaat tot {depth}; {code} opgeslagen",
    "{code} is not in {table} (it goes down to {depth}), nor any code above it: nothing stored": (
        "{code} zit niet in {table} (de tabel gaat tot {depth}), en ook geen code erboven: niets opgeslagen"
    ),
    "{code} is not in {table} (it goes down to {depth}); stored {parent}, which holds it": (
        "{code} zit niet in {table} (de tabel gaat tot {depth}); {parent} opgeslagen, dat het bevat"
    ),
    "{table} has a newer version ({version}) than rows fetched before ({earlier})": (
        "{table} heeft een nieuwere versie ({version}) dan eerder opgehaalde rijen ({earlier})"
    ),
    "{table} has an older version ({version}) than rows fetched before ({earlier})": (
        "{table} heeft een oudere versie ({version}) dan eerder opgehaalde rijen ({earlier})"
    ),
    "stored {rows} rows of {table} (version {version}; {measures}) for {codes} codes, {first} to {last}, "
    "replacing {replaced}": (
        "{rows} rijen van {table} opgeslagen (versie {version}; {measures}) voor {codes} codes, {first} tot en met "
        "{last}, {replaced} vervangen"
    ),
    "; kept {held} rows already held from this version": "; {held} rijen van deze versie waren er al",
    "; {requests} requests, {kb} kB, {seconds} s; store {store}": (
        "; {requests} verzoeken, {kb} kB, {seconds} s; opslag {store}"
    ),
    "stored as its parts {codes}": "opgeslagen als zijn delen {codes}",
    # where a code goes across the break (lsh sbi --to)
    "{code} has no link to {target}.": "{code} heeft geen koppeling met {target}.",
    "there {other} also takes in {source} {siblings}": "daar neemt {other} ook {siblings} uit {source} op",
    "{code} is split in {target} over {parts}": "{code} is in {target} gesplitst over {parts}",
    "{code} is {other} in {target}: the same content.": "{code} is {other} in {target}: dezelfde inhoud.",
    "{code} is {other} in {target}: the same code, with a changed title.": (
        "{code} is {other} in {target}: dezelfde code, met een nieuwe omschrijving."
    ),
    "{code} is {other} in {target}: the same content under another code.": (
        "{code} is {other} in {target}: dezelfde inhoud onder een andere code."
    ),
    "{code} lies within {other} in {target}, which also holds {siblings}: its firms cannot be counted apart there.": (
        "{code} valt in {target} binnen {other}, dat ook {siblings} bevat: de bedrijven ervan zijn daar niet apart "
        "te tellen."
    ),
    "Part of {code} is {other} in {target}.": "Een deel van {code} is {other} in {target}.",
    "Only the Romanian national table links {code} to {other}; Eurostat's does not, so lsh does not use this link.": (
        "Alleen de Roemeense nationale tabel koppelt {code} aan {other}; die van Eurostat niet, dus lsh gebruikt deze "
        "koppeling niet."
    ),
    "lsh reads this link from the titles of the codes: Eurostat's NACE link is too coarse for {code}, and no "
    "published table makes it.": (
        "lsh leidt deze koppeling af uit de omschrijvingen van de codes: de NACE-koppeling van Eurostat is te grof "
        "voor {code}, en geen gepubliceerde tabel legt haar."
    ),
}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def dutch_digits(text: str) -> str:
    """An English-formatted number the Dutch way: '3,105' -> '3.105', '12.9' -> '12,9'."""
    return text.translate(str.maketrans(",.", ".,"))


def percent(x: float, spec: str) -> str:
    """A percentage the Dutch way: percent(9.34, '+.1f') is '+9,3%'."""
    return dutch_digits(format(x, spec)) + "%"


def cell(text: str) -> str:
    """A table cell of values in Dutch: its numbers, and the words a value cell may hold."""
    out = _NUMBER.sub(lambda m: dutch_digits(m.group(0)), text)
    for english, dutch in (("at least", "ten minste"), ("at most", "ten hoogste"), ("n/a", "n.b."), (" to ", " tot ")):
        out = out.replace(english, dutch)
    return out


class DutchWords(Words):
    """Dutch sentences for the notes of a comparison; `sbi` gives the Dutch SBI titles."""

    lang = "nl"

    def __init__(self, hints: Hints | None = None, sbi: Classification | None = None) -> None:
        super().__init__(hints)
        self.sbi = sbi

    # --- values ----------------------------------------------------------------------------------------

    @staticmethod
    def value(value: Value | None) -> str:
        """'3.105', '180 tot 200', or 'n.b.'."""
        if value is None:
            return "n.b."
        if value.is_point:
            return dutch_digits(format_number(value.low))
        return f"{dutch_digits(format_number(value.low))} tot {dutch_digits(format_number(value.high))}"

    @staticmethod
    def unit(unit: str) -> str:
        return UNITS.get(unit, unit)

    def share(self, share: Value) -> str:
        low, high = dutch_digits(significant(share.low)), dutch_digits(significant(share.high))
        return f"{low}%" if low == high else f"{low}% tot {high}%"

    @staticmethod
    def label(measure: Measure) -> str:
        return measure_label(measure.label)

    @staticmethod
    def header(text: str) -> str:
        return HEADERS.get(text, text)

    @staticmethod
    def cell(text: str) -> str:
        return cell(text)

    NOTHING_STORED = "geen cijfer opgeslagen"
    MARKS_LABEL = "Verklaring van tekens"
    MARKS = {
        "*": "* = geschat uit een ruimer gepubliceerd cijfer (zie Schattingen)",
        "*!": "*! = een schatting buiten het interval dat de gepubliceerde cijfers toelaten",
        "p": "p = voorlopig cijfer (CBS)",
    }

    @staticmethod
    def measure(name: str) -> str:
        """A measure by its Dutch label: its id is English, and Dutch CBS names work as ids too (-m banen)."""
        return measure_label(MEASURES[name].label)

    @staticmethod
    def coverage(word: str) -> str:
        return COVERAGE.get(word, word)

    @staticmethod
    def status(text: str) -> str:
        """CBS's own Dutch status words, the ones lsh translated on the way in."""
        return "+".join(STATUS.get(part, part) for part in text.split("+"))

    @staticmethod
    def source(text: str) -> str:
        """A source label or footnote line: a bundled figure is a 'bron' ('momentopname' read as a moment in time)."""
        if text == "snapshot":
            return "bron"
        text = re.sub(r"\bsnapshot(?= [A-Z]\d)", "bron", text)
        text = re.sub(r" \((\d+) cells\)", r" (\1 cellen)", text)
        text = re.sub(r" and (\d+) more \(all listed in JSON\)$", r" en nog \1 (alle in de JSON)", text)
        return re.sub(r"; cells (?=\S+/)", "; cellen ", text)

    @staticmethod
    def link(kind: str) -> str:
        return LINKS[kind]

    @staticmethod
    def unusable_store(w: Unusable) -> str:
        return f"opslag {w.path} is niet te gebruiken ({w.reason}); lsh werkt alleen met de meegeleverde momentopname"

    @staticmethod
    def overlap(w: Overlap) -> str:
        return f"{w.definition}: {w.inner} valt binnen {w.outer}; de bedrijven ervan worden één keer geteld"

    @staticmethod
    def level(level: str) -> str:
        return LEVELS.get(level, level)

    @staticmethod
    def depth(level: str) -> str:
        return LEVELS.get(level, level)

    @staticmethod
    def link_kind(kind: str) -> str:
        return LINK_KINDS[kind]

    @staticmethod
    def basis(basis: Basis) -> str:
        match basis:
            case Basis.EUROSTAT:
                return "NACE-koppeling van Eurostat"
            case Basis.EUROSTAT_VIA_NACE:
                return "Eurostat, via de NACE-klassen van de groep"
            case Basis.SUBCLASS_STRUCTURE:
                return "klasse een op een; Nederlandse subklassen"
            case Basis.SUBCLASS_CODE:
                return "klasse een op een; subklassecode"
            case Basis.CLASS_LINK:
                return "via de koppeling van de klasse"
            case Basis.TITLE:
                return "op grond van de omschrijvingen"
            case Basis.ROMANIA_ONLY:
                return "alleen de Roemeense tabel"

    AND = "en"

    def title(self, code: str, fallback: str) -> str:
        """CBS's Dutch title of a code, where the classification is known."""
        if self.sbi is not None and code in self.sbi:
            return self.sbi.entries[code].title_in("nl")
        return fallback

    def between(self, low: float | None, high: float | None, unit: str, signed: bool = False) -> str:
        def shown(x: float) -> str:
            return self.number(x, signed)

        verb = "ligt" if signed else "telt"
        unit = self.unit(unit)
        if low is not None and high is not None and low == high:
            return f"{verb} {shown(low)} {unit}"
        if low is not None and high is not None:
            return f"{verb} tussen {shown(low)} en {shown(high)} {unit}"
        if low is not None:
            return f"{verb} ten minste {shown(low)} {unit}"
        if high is not None:
            return f"{verb} ten hoogste {shown(high)} {unit}"
        return f"{verb} een onbekend aantal {unit}"

    def why_bounded(self, missing: Sequence[Missing], unit: str) -> str:
        parts = []
        for m in missing:
            codes = self.listed(list(m.codes))
            match m.reason:
                case MissingReason.WITHIN_WIDER:
                    wider = m.wider[0]
                    others = [c for c in wider.sbi if c not in m.codes]
                    with_what = (
                        f"samen met {', '.join(others)}"
                        if others and len(wider.sbi) > 1
                        else (f"binnen {wider.sbi_label}")
                    )
                    parts.append(
                        f"{codes} {'wordt' if len(m.codes) == 1 else 'worden'} alleen {with_what} gepubliceerd "
                        f"({self.value(wider.value)} {self.unit(unit)})"
                    )
                case MissingReason.CELL_MISSING:
                    parts.append(f"{codes}: het cijfer ontbreekt of is geheim in de bron")
                case MissingReason.NO_FIGURE:
                    parts.append(f"{codes}: geen cijfer opgeslagen")
        return "; ".join(parts)

    @staticmethod
    def part(part: Part, a: str, b: str) -> str:
        match part:
            case Part.SHARED:
                return "in beide"
            case Part.ONLY_A:
                return f"alleen in {a}"
            case Part.ONLY_B:
                return f"alleen in {b}"

    # --- notes -----------------------------------------------------------------------------------------

    def note(self, note: Note) -> str:
        match note:
            case Totals():
                d = note.difference
                direction = "groter" if d.low > 0 else "kleiner" if d.high < 0 else "ongeveer even groot"
                pct = f" ({percent(abs(note.difference_pct), '.1f')})" if note.difference_pct is not None else ""
                return (
                    f"In {note.year} telt {note.a} {self.value(note.value_a)} {self.unit(note.unit)} en {note.b} "
                    f"{self.value(note.value_b)}: {note.b} is {self.value(abs(d))}{pct} {direction}."
                )
            case Total(value=None):
                return f"In {note.year} is {note.definition} niet op te tellen uit de opgeslagen cijfers."
            case Total():
                return f"In {note.year} telt {note.definition} {self.value(note.value)} {self.unit(note.unit)}."
            case BoundedTotal():
                amount = self.between(note.low, note.high, note.unit).removeprefix("telt ")
                return f"In {note.year} telt {note.definition} {amount}" + (
                    f": {self.why_bounded(note.missing, note.unit)}." if note.missing else "."
                )
            case WideInterval():
                return self._wide(note)
            case BoundedGap():
                reasons = "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                return (
                    f"Het verschil ({note.b} min {note.a}) {self.between(note.low, note.high, note.unit, signed=True)}"
                    ", op grond van alle cijfers samen" + (f": {reasons}." if reasons else ".")
                )
            case OnlyIn():
                value = f"{self.value(note.value)} {self.unit(note.unit)}"
                named = note.code if "+" in note.code else f"{note.code} ({self.title(note.code, note.title)})"
                of_a = note.pct_of_a
                total_a = self.value(note.total_a)
                if note.part is Part.ONLY_B:
                    share = f", {percent(of_a, '.1f')} van de {total_a} van {note.a}" if of_a is not None else ""
                    return f"{named} zit alleen in {note.b} en voegt {value} toe{share}."
                share = f", {percent(abs(of_a), '.1f')} van de {total_a} van {note.a}" if of_a is not None else ""
                return f"{named} zit alleen in {note.a}: {note.b} laat deze {value} weg{share}."
            case GapUnknown():
                return (
                    "Het verschil is niet te berekenen: "
                    + "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                    + "."
                )
            case NotAlone():
                reasons = "; ".join(self._group(g, note.a, note.b) for g in note.groups)
                return f"Niet elke code is apart te tellen: {reasons}."
            case PublishedTotal():
                label = self.source(note.figure.cited)
                published = note.figure.value
                if note.agrees:
                    return (
                        f"Het cijfer dat voor de codes van {note.definition} samen is gepubliceerd ({label}) klopt: "
                        f"{self.value(published)}."
                    )
                assert published is not None
                return (
                    f"Voor de codes van {note.definition} samen is een cijfer van {self.value(published)} "
                    f"{self.unit(note.unit)} gepubliceerd ({label}); lsh telt de meest gedetailleerde cijfers op "
                    f"({self.value(note.computed)}); "
                    f"het verschil is {self.value(abs(note.computed - published))}"
                    + (", daarom telt dat cijfer niet mee voor de onder- en bovengrens." if note.set_aside else ".")
                )
            case MixedSources():
                hint = self.hints.fetch(note.remedy) if self.hints else ""
                return (
                    f"Het totaal van {note.definition} mengt cijfers van CBS met cijfers uit de meegeleverde "
                    f"momentopname voor {', '.join(note.codes)} ({', '.join(note.refs)})"
                    + (f"; {hint} haalt die ook bij CBS op." if hint else ".")
                )
            case Derived():
                terms = " ".join(
                    f"{'-' if sign < 0 else '+'} {o.sbi_label} ({self.value(o.value)})" for o, sign in note.terms
                ).removeprefix("+ ")
                refs = ", ".join(o.cited for o, _ in note.terms)
                return (
                    f"{note.name} telt {self.value(note.value)} {self.unit(note.unit)}, afgeleid door aftrekken: "
                    f"{terms} ({self.source(refs)})."
                )
            case WithinRounding():
                return (
                    "De gepubliceerde cijfers kloppen alleen binnen hun afronding (een op 5 afgerond aantal ligt "
                    "hooguit 2 van de werkelijkheid); de intervallen houden daar rekening mee."
                )
            case FigureSetAside():
                label = self.source(note.figure.cited)
                allowed = self.between(note.allowed_low, note.allowed_high, note.unit).removeprefix("telt ")
                return (
                    f"Een cijfer van {self.value(note.figure.value)} {self.unit(note.unit)} voor "
                    f"{note.figure.sbi_label} ({label}) strijdt met de andere cijfers, die {allowed} toelaten: het "
                    "blijft buiten beschouwing."
                )
            case Change():
                d = note.absolute

                def signed(x: float) -> str:
                    return self.number(x, signed=True)

                def held(v: Value) -> str:
                    return self.value(v) if v.is_point else f"({self.value(v)})"

                moved = signed(d.low) if d.is_point else f"{signed(d.low)} tot {signed(d.high)}"
                tail = []
                if note.percent is not None:
                    tail.append(percent(note.percent, "+.1f"))
                if note.annual is not None:
                    tail.append(f"{percent(note.annual, '+.1f')} per jaar gemiddeld")
                steps = [f"{b.before} op {b.after} ({b.table_before} naar {b.table_after})" for b in note.breaks]
                told = (
                    f" Dat is niet alleen groei: CBS wisselde van tabel van {self.listed(steps)}, een trendbreuk."
                    if steps
                    else ""
                )
                return (
                    f"{note.definition} van {note.first} tot {note.last}: van {held(note.value_first)} naar "
                    f"{held(note.value_last)} {self.unit(note.unit)}, een verandering van {moved}"
                    + (f" ({', '.join(tail)})" if tail else "")
                    + "."
                    + told
                )
            case Estimated():
                estimates = "; ".join(self.estimate(e, unit) for e, unit in note.estimates)
                return (
                    f"Geschat, niet gepubliceerd: {estimates}. Schattingen nemen aan dat bedrijven van een "
                    "grootteklasse in de code evenveel mensen werk geven als in de rest van de ruimere code."
                )
            case NothingStored():
                labels = " of ".join(self.label(MEASURES[m]) for m in note.measures)
                hints = (
                    [self.hints.fetch(Remedy(definitions=(note.definition,), measure=m)) for m in note.measures]
                    if self.hints
                    else []
                )
                hint = self.listed([h for h in hints if h])
                return f"Voor {note.definition} is in geen enkel jaar een cijfer voor {labels} opgeslagen" + (
                    f"; {hint} haalt ze op bij het CBS." if hint else "."
                )
            case ShareOfEconomy():
                whole = self.number(note.economy.value_low or 0)
                return (
                    f"In {note.year} is {note.definition} {self.share(note.share)} van de hele economie (CBS-totaal "
                    f"A-U: {whole} {self.unit(note.unit)}, {self.source(note.economy.cited)})."
                )
            case Trend():
                return f"Verloop {note.years[0]}-{note.years[-1]}: {note.definition} {sparkline(note.values)}"
            case NeverTotalled():
                why = "; ".join(self.missing(m, note.unit) for m in note.missing) or "geen cijfers opgeslagen"
                return (
                    f"Voor {note.definition} is in geen enkel jaar van {note.first}-{note.last} een totaal te "
                    f"berekenen: {why} (zoals in {note.year})."
                )
            case NotTotalledIn():
                years = self.listed([str(y) for y in note.years])
                return f"Voor {note.definition} is geen totaal te berekenen in {years}."
            case Provisional():
                years = self.listed([str(y) for y in note.years])
                return f"De cijfers voor {years} zijn voorlopig en kunnen door het CBS nog worden herzien."
            case ClassesAddUp():
                if note.class_sum == note.total:
                    total = self.value(note.total)
                    return f"De {note.classes} grootteklassen tellen op tot het totaal: {total} bedrijven."
                return (
                    f"De grootteklassen tellen op tot {self.value(note.class_sum)} bedrijven, het totaal is "
                    f"{self.value(note.total)}: een verschil van {self.value(abs(note.class_sum - note.total))}"
                    " (het CBS rondt elk aantal af op 5)."
                )
            case GroupUnavailable():
                told = size(note.group.label)
                return f"{told[0].upper()}{told[1:]}: {self.group_basis(note.group, note.definition, note.year)}."
            case InAll():
                if not note.codes:
                    return "Geen code zit in elke definitie."
                return f"In alle {note.definitions} definities: {', '.join(note.codes)}."
            case OnlyInDefinition():
                return f"Alleen in {note.definition}: {', '.join(note.codes)}."
            case AcrossBreak():
                return self._across(note)
            case Linked():
                r = note.ratio
                return (
                    f"Gekoppelde reeks (een schatting, niet gepubliceerd): {note.b} in de jaren van {note.a}, als het "
                    "interval uit de overlap hieronder; daarnaast, in JSON en CSV, één punt: de waarden van "
                    f"{note.a} maal {dutch_digits(format(r.ratio, '.4g'))}, de verhouding van {note.b} "
                    f"({self.value(r.value_b)}) tot {note.a} ({self.value(r.value_a)}) in {r.year}, het eerste jaar "
                    f"waarin beide een waarde hebben; hierbij is aangenomen dat {note.a} zich na de breuk ontwikkelt "
                    "zoals ervoor."
                )
            case EstimatedAcross():
                unit = self.unit(note.unit)
                slack = (
                    f" Ten minste {self.number(note.slack)} {unit} kregen die periode een code buiten de koppelingen "
                    "van de concordantie; het interval laat er zoveel toe en niet meer."
                    if note.slack > 0
                    else ""
                )
                free = "".join(
                    f" {self.listed(list(codes))} ({label}) hadden geen cijfer in {note.period}, dus hun {unit} zijn "
                    "vrij, wat het interval ruimer maakt"
                    + (
                        f" ({self.hints.fetch(Remedy(codes=codes, classification=name))} maakt het smaller)."
                        if self.hints
                        else "."
                    )
                    for name, label, codes in note.free
                )
                return (
                    f"Schattingen over de breuk heen (niet gepubliceerd) zijn intervallen uit {note.period}, toen "
                    f"beide indelingen werden gepubliceerd. Hoeveel {unit} langs elke koppeling van de concordantie "
                    "gingen, is onbekend, maar de cellen van beide indelingen begrenzen ze (binnen de afronding van "
                    "het CBS); elke code volgt daarna zijn eigen ontwikkeling. Het interval bevat elke verdeling die "
                    "de cellen toelaten, en is een punt waar elke koppeling een op een is." + slack + free
                )
            case NoEstimateAcross():
                g = note.gap
                codes = "+".join(g.codes)
                match g.reason:
                    case GapReason.NO_YEAR:
                        why = f"geen periode heeft er een waarde van in {note.label_a} en cijfers van {note.label_b}"
                    case GapReason.NOT_COUNTED:
                        hint = self.hints.fetch(Remedy(codes=g.codes, year=g.year)) if self.hints else ""
                        why = f"{codes} zijn in {g.year} niet alle te tellen" + (
                            f" ({hint} haalt ze op)" if hint else ""
                        )
                return f"{note.a} is in jaren van {note.label_b} niet te schatten: {why}."
            case BreakTotals():
                return self._break_totals(note)
            case BreakEffect():
                return self._break_effect(note)
            case BreakDisputed():
                links = ", ".join(f"{old} aan {new}" for old, new in note.links)
                return (
                    f"De Roemeense nationale tabel koppelt in {note.label_b} ook {links}; die van Eurostat niet, en "
                    "lsh gebruikt die koppeling niet."
                )
            case SideNotStored():
                label = self.label(MEASURES[note.measure])
                hint = (
                    self.hints.fetch(Remedy(definitions=(note.definition,), measure=note.measure)) if self.hints else ""
                )
                return (
                    f"Voor {note.definition} ({note.label}) zijn geen {label} opgeslagen voor {note.year}: de codes en "
                    "koppelingen staan er, de waarden zijn n.b."
                    + (f"; {hint} haalt ze op bij het CBS." if hint else ".")
                )
            case _:
                return super().note(note)

    @staticmethod
    def _across(n: AcrossBreak) -> str:
        if n.first_b is None:
            return f"{n.b} heeft in deze jaren geen waarde in {n.label_b}; {n.a} is overal {n.label_a}."
        if n.last_a is None:
            return f"{n.a} heeft in deze jaren geen waarde in {n.label_a}; {n.b} is overal {n.label_b}."
        a = f"{n.a} is {n.label_a} tot en met {n.last_a}" + (f" ({', '.join(n.tables_a)})" if n.tables_a else "")
        b = f"{n.b} is {n.label_b} vanaf {n.first_b}" + (f" ({', '.join(n.tables_b)})" if n.tables_b else "")
        both = (
            f"beide hebben een waarde in {', '.join(map(str, n.overlap))}, naast elkaar"
            if n.overlap
            else "geen jaar heeft beide, dus de twee zijn niet aan elkaar te koppelen"
        )
        return f"De reeks gaat over de breuk in de indeling heen: {a}; {b}; {both}."

    def _break_totals(self, n: BreakTotals) -> str:
        unit = self.unit(n.unit)
        if n.value_a:
            a = f"telt {n.a} {self.value(n.value_a)} {unit} in {n.label_a}"
            b = (
                f"{n.b} {self.value(n.value_b)} in {n.label_b}"
                if n.value_b
                else f"is {n.b} in {n.label_b} niet op te tellen"
            )
        else:
            a = f"is {n.a} in {n.label_a} niet op te tellen"
            b = (
                f"telt {n.b} {self.value(n.value_b)} {unit} in {n.label_b}"
                if n.value_b
                else f"is {n.b} in {n.label_b} niet op te tellen"
            )
        if n.difference is None:
            return f"In {n.year} {a}, en {b}: het verschil over de breuk heen is niet te berekenen."
        d = n.difference
        direction = "meer" if d.low > 0 else "minder" if d.high < 0 else "ongeveer evenveel"
        pct = f", {percent(abs(n.difference_pct), '.1f')}" if n.difference_pct is not None else ""
        return f"In {n.year} {a}, en {b}: {self.value(abs(d))} {direction}{pct}."

    def _break_effect(self, n: BreakEffect) -> str:
        g = n.group
        a, b = "+".join(g.codes_a), "+".join(g.codes_b)
        size = ""
        if g.contribution is not None:
            share = f", {percent(abs(g.share_of_gap), '.1f')} van het verschil" if g.share_of_gap is not None else ""
            size = (
                f" ({'+' if g.contribution.low >= 0 else '-'}{self.value(abs(g.contribution))} {self.unit(n.unit)}"
                f"{share})"
            )
        outside_a = ", ".join(g.outside_a)
        outside_b = ", ".join(g.outside_b)
        match g.kind:
            case GroupKind.WIDER:
                text = f"{b} ({n.label_b}) bevat ook {outside_a}, die {n.a} weglaat, terwijl {n.a} alleen {a} bevat"
            case GroupKind.NARROWER:
                text = f"een deel van {a} ({n.label_a}) ging naar {outside_b}, die {n.b} weglaat"
            case GroupKind.BOTH:
                text = (
                    f"{b} ({n.label_b}) bevat ook {outside_a}, die {n.a} weglaat, en een deel van {a} ging naar "
                    f"{outside_b}, die {n.b} weglaat"
                )
            case GroupKind.SAME:
                text = (
                    f"{a} en {b} bevatten dezelfde activiteiten; het verschil zijn bedrijven die bij de breuk van code "
                    "wisselden"
                )
            case GroupKind.ONLY_A:
                text = f"{a} heeft geen tegenhanger in {n.b}"
            case GroupKind.ONLY_B:
                text = f"{b} in {n.b} bevat geen van de codes van {n.a}"
        text = f"Het grootste effect: {text}" if n.rank == 1 else text[:1].upper() + text[1:]
        return f"{text}{size}."

    # --- missing figures and estimates ---------------------------------------------------------------

    def missing(self, m: Missing, unit: str) -> str:
        codes = self.listed(list(m.codes))
        match m.reason:
            case MissingReason.WITHIN_WIDER:
                parts = ", ".join(f"{o.sbi_label} ({self.value(o.value)} {self.unit(unit)})" for o in m.wider)
                depth = "niet op dit niveau beschikbaar, " if m.deeper else ""
                text = f"{codes}: {depth}alleen gepubliceerd binnen {parts}, dat ook andere codes bevat"
            case MissingReason.CELL_MISSING:
                text = f"{codes}: het cijfer ontbreekt of is geheim in de bron"
            case MissingReason.NO_FIGURE:
                text = f"{codes}: geen cijfer opgeslagen"
        return f"{text} (geen schatting: {self.no_estimate(m.no_estimate)})" if m.no_estimate else text

    @staticmethod
    def short_reason(missing: Sequence[Missing]) -> str:
        parts = []
        for m in missing:
            codes = "+".join(m.codes)
            match m.reason:
                case MissingReason.WITHIN_WIDER if m.deeper:
                    parts.append(f"{codes} niet op dit niveau (vraagt {m.wider[0].sbi_label})")
                case MissingReason.WITHIN_WIDER:
                    parts.append(f"{codes} alleen binnen {m.wider[0].sbi_label}")
                case MissingReason.CELL_MISSING:
                    parts.append(f"{codes} leeg in de bron")
                case MissingReason.NO_FIGURE:
                    parts.append(f"{codes} geen cijfer")
        return "; ".join(parts)

    def no_estimate(self, n: NoEstimate) -> str:
        codes = ", ".join(n.codes)
        match n.reason:
            case NoEstimateReason.NOT_HELD:
                return f"{n.parent} bevat niet alle codes {codes}"
            case NoEstimateReason.PARENT_EMPTY:
                return f"het cijfer voor {n.parent} ontbreekt"
            case NoEstimateReason.NO_SIZE_CLASSES:
                label = measure_label(MEASURES[n.size_class].label)
                hint = self.hints.fetch(Remedy(codes=n.codes, year=n.year)) if self.hints else ""
                return f"bedrijven per grootteklasse ({label}) zijn niet opgeslagen voor {codes} in {n.year}" + (
                    f"; {hint} haalt ze op" if hint else ""
                )
            case NoEstimateReason.NO_FIRMS:
                return f"er zijn geen bedrijven opgeslagen voor {n.parent} in {n.year}, dus er is geen sleutel"
            case NoEstimateReason.PARTS_OUTWEIGH:
                return (
                    f"de bedrijven opgeslagen voor {codes} zijn meer dan die van {n.parent} in {n.year}"
                    " (de tellingen spreken elkaar tegen), dus er is geen aandeel om toe te passen"
                )

    def estimate(self, e: Estimate, unit: str) -> str:  # type: ignore[override]
        parent = f"{e.parent.sbi_label} ({self.value(e.parent.value)})"
        return (
            f"{' en '.join(e.codes)}: geschat op {self.value(e.value)} {self.unit(unit)}, "
            f"{percent(100 * e.share, '.1f')} van {parent}, {self.method(e.method)}"
        )

    @staticmethod
    def method(name: str) -> str:
        from lshcli.estimate import SIZE_KEY

        dutch = {
            SIZE_KEY: "naar rato van het aantal bedrijven per grootteklasse, gewogen met het klassemidden (CBS "
            f"81589NED, eerste kwartaal; {OPEN_CLASS_WEIGHT:g} voor de klasse 100 of meer)"
        }
        return dutch[name]

    def _wide(self, note: WideInterval) -> str:
        parents, inside, fetch = self._wide_facts(note)
        high = f"{self.number(note.high)} {self.unit(note.unit)}"
        if parents:
            what = (
                f"het interval loopt tot {high} alleen omdat {self.listed(inside)} alleen "
                f"{'wordt' if len(inside) == 1 else 'worden'} gepubliceerd binnen heel {self.listed(parents)}"
            )
        else:
            what = f"het interval loopt tot {high}" + (
                f", {note.high / note.low:.0f} keer de ondergrens" if note.low > 0 else ""
            )
        if note.known is not None and note.known_codes:
            lead = (
                f"In {note.year} is van {note.definition} zeker {self.value(note.known)} "
                f"{self.unit(note.unit)} ({'+'.join(note.known_codes)})"
            )
        else:
            lead = f"In {note.year} is van {note.definition} geen deel zeker bekend"
        narrow = ""
        if fetch is not None:
            assert self.hints is not None
            narrow = (
                f" {self.hints.estimate()} schat de codes uit het aantal bedrijven per grootteklasse"
                + (f" ({fetch} haalt op wat daarvoor nodig is)" if fetch else "")
                + ", of een bron op hun niveau maakt het interval smaller."
            )
        return f"{lead}; {what}." + narrow

    def _group(self, g: MissingGroup, a: str, b: str) -> str:
        named = self.listed([f"{code} ({self.part(part, a, b)})" for code, part in g.codes])
        match g.reason:
            case MissingReason.WITHIN_WIDER:
                assert g.wider is not None
                verb = "wordt" if len(g.codes) == 1 else "worden"
                wider = f"{g.wider.sbi_label} ({self.value(g.wider.value)} {self.unit(g.unit)})"
                if g.outside:
                    tail = ", dat ook codes buiten beide definities bevat: de cijfers zijn grover dan de definities"
                    depth = "niet op dit detailniveau beschikbaar en "
                else:
                    tail, depth = ", dus zijn ze niet afzonderlijk te tellen", ""
                if g.no_estimate is not None:
                    tail += f" (geen schatting: {self.no_estimate(g.no_estimate)})"
                elif g.estimable and self.hints is not None:
                    tail += f"; {self.hints.estimate()} schat ze op basis van het aantal bedrijven per grootteklasse"
                return f"{named} {verb} {depth}alleen gepubliceerd binnen {wider}{tail}"
            case MissingReason.CELL_MISSING:
                return f"{named}: de bron laat het cijfer leeg (ontbrekend of geheim)"
            case MissingReason.NO_FIGURE:
                hint = self.hints.fetch(g.remedy) if self.hints else ""
                return f"{named}: geen cijfer opgeslagen voor {g.year}" + (f"; {hint} haalt het op" if hint else "")

    def year_choice(self, choice: YearChoice) -> str:  # type: ignore[override]
        from lshcli.query import YearBasis

        count = len(choice.definitions)
        whom = "beide definities" if count == 2 else "alle definities" if count > 2 else choice.definitions[0]
        every = "beide" if count == 2 else "alle" if count > 2 else choice.definitions[0]
        label = self.label(choice.measure)
        label = "bedrijfsaantallen" if label == "bedrijven" else label  # the counts, not the firms, are complete
        if choice.basis is YearBasis.COMPLETE:
            return f"vergelijking over {choice.year}, het laatste jaar met volledige {label} voor {whom}"
        if choice.basis is YearBasis.ONE_SIDE:
            return (
                f"vergelijking over {choice.year}, het laatste jaar met {label} voor een van beide; geen enkel jaar "
                f"heeft {label} voor beide"
            )
        return (
            f"vergelijking over {choice.year}, het laatste jaar met {label} voor {whom}; geen enkel jaar heeft voor "
            f"{every} een volledig totaal"
        )

    @staticmethod
    def size(text: str) -> str:
        return size(text)

    @staticmethod
    def _fetched(table: str | None) -> str:
        return (
            f"de rijen die van CBS-tabel {table} zijn opgehaald"
            if table
            else "alle rijen die van het CBS zijn opgehaald"
        )

    def clear_question(self, table: str | None, path: str) -> str:
        return f"{self._fetched(table)[0].upper()}{self._fetched(table)[1:]} uit {path} verwijderen?"

    def cleared(self, deleted: int, table: str | None, path: str) -> str:
        return (
            f"{self.number(deleted)} rijen verwijderd ({self._fetched(table)}) uit {path}; de meegeleverde cijfers "
            "blijven"
        )

    # --- fetch ---------------------------------------------------------------------------------------

    @staticmethod
    def fetch_warning(w: FetchWarning) -> str:
        from lshcli.cbs.fetch import TopicMissing

        if isinstance(w, TopicMissing):
            wanted = " of ".join(
                [*(f"titel {t!r}" for t in w.choice.titles), *(f"sleutel {k!r}" for k in w.choice.keys)]
            )
            return f"tabel {w.table} heeft geen onderwerp met {wanted}: {w.measure} niet opgeslagen"
        return (
            f"tabel {w.table} veranderde terwijl lsh hem ophaalde (versie {w.before[:19]}, daarna {w.after[:19]}); "
            "lsh haalt hem opnieuw op"
        )

    # --- reconcile -------------------------------------------------------------------------------------

    @staticmethod
    def published(figure: Published) -> str:
        if figure.low is None:
            return "n.b."
        if figure.high is None:
            return f"ten minste {DutchWords.value(Value(figure.low, figure.low))}"
        return DutchWords.value(Value(figure.low, figure.high))

    def reason(self, r: Reason, figure: Published) -> str:
        from lshcli.reconcile import Verdict

        match r.verdict:
            case Verdict.AGREES:
                return "klopt"
            case Verdict.AGREES_AS_LOWER_BOUND:
                return f"klopt: het cijfer is als ondergrens gepubliceerd ({self.published(figure)})"
            case Verdict.WITHIN_RANGE:
                return f"binnen het gepubliceerde interval: {self.published(figure)}"
            case Verdict.PARTS_DISAGREE:
                return (
                    f"de publicatie spreekt zichzelf tegen: haar eigen cijfers voor de delen ({', '.join(r.parts)}) "
                    f"tellen op tot {self._parts_sum(r)}, niet {self.published(figure)}"
                )
            case Verdict.FROM_DISAGREEING_TOTAL:
                return (
                    f"afgeleid uit {r.text}, een gepubliceerd totaal dat strijdig is met de eigen delen "
                    f"({', '.join(r.parts)} tellen op tot {self._parts_sum(r)}): het verschil is die tegenspraak"
                )
            case Verdict.OTHER_STATISTIC:
                return f"andere statistiek: {DIFFERS[r.text]}"
            case Verdict.OTHER_PERIOD:
                return f"andere periode: gepubliceerd voor {figure.period}, berekend uit {', '.join(r.periods)}"
            case Verdict.ROUNDING:
                return f"afronding: het gepubliceerde cijfer is afgerond op {self.number(r.step)}"
            case Verdict.ESTIMATE:
                return "schatting: een deel van de berekende waarde is geschat uit een ruimer cijfer"
            case Verdict.OTHER_CODES:
                return "andere codes of bronnen: de publicatie telt andere bedrijven, codes of banen"
            case Verdict.NOT_COMPARED:
                return "niet vergeleken: het cijfer heeft geen waarde"
            case Verdict.NO_STATISTIC:
                return f"niet berekend: lsh kent geen statistiek {r.text!r}"
            case Verdict.NOT_SBI:
                return f"niet op SBI gebaseerd: {r.text!r} is geen verzameling SBI-codes, dus geen definitie geeft het"
            case Verdict.BAD_PERIOD:
                return self._needed(self._period(r), r)
            case Verdict.BAD_SPAN | Verdict.ZERO_BASE:
                return self._period(r)
            case Verdict.NO_VALUE:
                return self._needed(self._no_value(r), r)

    @staticmethod
    def _parts_sum(r: Reason) -> str:
        low, high = r.parts_sum or (0.0, 0.0)
        return DutchWords.value(Value(low, high))

    @staticmethod
    def _period(r: Reason) -> str:
        """Why a figure's period cannot be computed: it is no year, no span, or its base is zero."""
        from lshcli.reconcile import Verdict

        if r.verdict is Verdict.BAD_SPAN:
            return f"de periode {r.text!r} is geen reeks jaren zoals 2010-2016"
        if r.verdict is Verdict.ZERO_BASE:
            return f"de waarde in {r.text} is nul, dus er is geen groeivoet"
        return f"de periode {r.text!r} is geen jaar of kwartaal"

    def verdict(self, r: Reason) -> str:
        from lshcli.reconcile import GapKind, Verdict

        short = {
            Verdict.AGREES: "klopt",
            Verdict.AGREES_AS_LOWER_BOUND: "klopt",
            Verdict.WITHIN_RANGE: "binnen het gepubliceerde interval",
            Verdict.PARTS_DISAGREE: "totaal strijdig met de delen",
            Verdict.FROM_DISAGREEING_TOTAL: "afgeleid uit een strijdig totaal",
            Verdict.OTHER_STATISTIC: "andere statistiek",
            Verdict.OTHER_PERIOD: "andere periode",
            Verdict.ROUNDING: "afronding",
            Verdict.ESTIMATE: "schatting",
            Verdict.OTHER_CODES: "andere codes of bronnen",
            Verdict.NOT_COMPARED: "niet vergeleken",
            Verdict.NO_STATISTIC: "niet berekend",
            Verdict.NOT_SBI: "niet op SBI gebaseerd",
        }
        if r.verdict in short:
            return short[r.verdict]
        if r.verdict is Verdict.NO_VALUE:
            if r.only_own:
                return "geen ander cijfer dan dit"
            if r.gaps and r.gaps[0].kind is GapKind.NOT_AT_DEPTH:
                return "niet op dit niveau beschikbaar"
            return self._no_value(r)
        return self._period(r)

    def _no_value(self, r: Reason) -> str:
        gaps = "; ".join(self._gap(g, r) for g in r.gaps) or "geen cijfer opgeslagen"
        return f"geen ander cijfer dan dit: {gaps}" if r.only_own else gaps

    @staticmethod
    def _needed(text: str, r: Reason) -> str:
        if not r.needed:
            return text
        what = f"het totaal van {r.needed[0]}" if r.needed_total else r.needed[0]
        return f"{text} (nodig: {what}, {r.needed[1]})"

    @staticmethod
    def _gap(g: Gap, r: Reason) -> str:
        from lshcli.reconcile import GapKind

        codes = "+".join(g.codes)
        label = measure_label(MEASURES[r.measure].label)
        match g.kind:
            case GapKind.ONLY_WHOLE:
                return f"geen ander cijfer voor {codes} alleen, alleen voor {g.wider} als geheel"
            case GapKind.NOT_AT_DEPTH:
                return f"niet op dit niveau beschikbaar: {label} voor {codes} alleen binnen {g.wider}"
            case GapKind.EMPTY_CELL:
                return f"de bron laat {codes} leeg in {r.year}"
            case GapKind.NOT_STORED:
                return f"geen {label} opgeslagen voor {codes} in {r.year}"

    @staticmethod
    def reconciled(figures: int, counts: Sequence[tuple[str, int]]) -> str:
        summary = ", ".join(f"{key} ({n})" for key, n in counts)
        return (
            f"{figures} {'gepubliceerd cijfer' if figures == 1 else 'gepubliceerde cijfers'}: {summary}. Elk wordt "
            "uit de opslag berekend zonder het cijfer zelf, dus het wordt getoetst aan zijn delen, zijn geheel of een "
            "CBS-tabel, nooit aan zichzelf."
        )

    NO_VALUE = "geen waarde"

    @staticmethod
    def group_basis(g: Group, definition: str, year: int) -> str:
        from lshcli.sizes import GroupBasis

        refs = [", ".join(o.cited for o in cov.used) for cov in g.coverages]
        match g.basis:
            case GroupBasis.SUM:
                return f"som van {g.classes} grootteklassen"
            case GroupBasis.PUBLISHED:
                return f"gepubliceerd cijfer ({DutchWords.source(refs[0])})"
            case GroupBasis.COMPLEMENT:
                label = measure_label(MEASURES[g.complement].label)
                return f"totaal min {label}, beide gepubliceerd ({DutchWords.source('; '.join(refs))})"
            case GroupBasis.STRADDLES:
                assert g.straddling is not None
                bound = g.high + 1 if g.high is not None else g.low
                return (
                    f"niet beschikbaar: de gepubliceerde klasse '{size(size_label(*g.straddling))}' loopt over de "
                    f"grens van {bound} heen"
                )
            case GroupBasis.NOT_STORED:
                label = measure_label(MEASURES[g.lacking].label)
                return f"niet beschikbaar: {label} niet opgeslagen voor {definition} in {year}"

    @staticmethod
    def period(measure: Measure, quarter: int | None) -> str:
        """The period convention, in Dutch: each measure's convention has its translation."""
        if measure.quarterly and quarter not in (None, 1):
            return f"{measure_label(measure.label)} op de eerste dag van kwartaal {quarter} van elk jaar"
        return CONVENTIONS[measure.convention]
