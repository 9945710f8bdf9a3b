"""A definition across countries, from Eurostat's structural business statistics: its value in each country as the
published class figures allow, and its share of that country's business economy.

SBI 2008's classes are NACE classes, so a definition's classes are asked for as they are; a Dutch subclass is only
published within its class. Eurostat leaves a confidential cell out, so each class is asked for with its division
and the division's other classes: the figures then bound a confidential class (its division minus the classes
that are published), through the same equations that bound CBS's secret cells (`lshcli.cover`). A country's value
is a point where every class is published, and otherwise the tightest interval the cells allow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lshcli.cover import Coverage, FigureSet
from lshcli.definitions import Definition
from lshcli.errors import ConfigError
from lshcli.eurostat import (
    BREAK_YEAR,
    BUSINESS_ECONOMY,
    DATASETS,
    SERIES,
    Answer,
    EurostatClient,
    Indicator,
    datasets_for,
    nace_code,
)
from lshcli.measures import YEARLY, Measure
from lshcli.model import Observation, Source, Value
from lshcli.sbi import Classification, load
from lshcli.store import ForeignCell, Store

if TYPE_CHECKING:
    from lshcli.explain import SeriesBreak
    from lshcli.query import Figurebook


@dataclass(frozen=True)
class CountryValue:
    """A definition in one country: its value (or the interval the cells allow), and its country's business
    economy."""

    country: str
    coverage: Coverage
    economy: float | None
    """The business economy's figure (B-N_S95_X_K), where published."""

    @property
    def share(self) -> Value | None:
        """The definition's share of the business economy, in percent, where both sides are known."""
        low, high = self.share_bounds()
        return Value(low, high) if low is not None and high is not None else None

    def share_bounds(self) -> tuple[float | None, float | None]:
        """The share's sides (None where unknown): an interval open above has no upper side."""
        interval = self.coverage.interval
        if not self.economy:
            return None, None
        if self.coverage.value is not None:
            return 100 * self.coverage.value.low / self.economy, 100 * self.coverage.value.high / self.economy
        if interval is None:
            return None, None
        low = 100 * interval.low / self.economy if interval.low is not None else None
        high = 100 * interval.high / self.economy if interval.high is not None else None
        return low, high


def ranks(values: Sequence[CountryValue]) -> dict[str, tuple[int, int] | None]:
    """Each country's rank by its share of its business economy (1 the largest), as the best and the worst the
    figures allow: an interval may rank several ways; a country whose share is not known at all has no rank."""
    shares = {v.country: v.share_bounds() for v in values}
    found: dict[str, tuple[int, int] | None] = {}
    for country, (low, high) in shares.items():
        if low is None:
            found[country] = None
            continue
        others = [s for c, s in shares.items() if c != country]
        above = sum(1 for o_low, _ in others if o_low is not None and high is not None and o_low > high)
        maybe = sum(1 for o_low, o_high in others if o_low is None or o_high is None or o_high >= low)
        found[country] = (1 + above, 1 + max(above, maybe))
    return found


def largest_difference(values: Sequence[CountryValue], first: str = "NL") -> tuple[CountryValue, CountryValue] | None:
    """The first country (NL, else the first one asked for) and the country whose share differs most from its own
    for certain: the widest gap between the two shares' intervals; None where no share differs for certain."""
    known = {v.country: v for v in values if v.share is not None}
    start = known.get(first) or next(iter(known.values()), None)
    if start is None or start.share is None:
        return None
    own = start.share
    gaps = [
        (max(o.share.low - own.high, own.low - o.share.high), o)
        for o in known.values()
        if o is not start and o.share is not None
    ]
    gap, other = max(gaps, key=lambda g: g[0], default=(0.0, start))
    return (start, other) if gap > 0 else None


@dataclass(frozen=True)
class Benchmark:
    """A definition's value per country for one Eurostat indicator and year."""

    definition: Definition
    datasets: tuple[str, ...]
    """The datasets read: `sbs_ovw_act` from 2021, before it those of the definition's parts of the economy."""
    indicator: Indicator
    year: int
    countries: tuple[CountryValue, ...]
    unknown: dict[str, tuple[str, ...]]
    """The codes Eurostat does not know, per dimension (dropped from its answer)."""

    @property
    def dataset(self) -> str:
        """The datasets read, as a name."""
        return ", ".join(self.datasets)

    @property
    def has_economy(self) -> bool:
        """Whether the datasets give the business economy's total (`sbs_ovw_act` does; those before 2021 do
        not)."""
        return any(DATASETS[d].sections is None for d in self.datasets)

    def indicator_measure(self) -> Measure:
        """The indicator as a measure lsh's words can name."""
        return eurostat_measure(self.indicator)


def nace_codes(definition: Definition, sbi: Classification) -> dict[str, str]:
    """The NACE codes to ask for, each with its SBI code: the definition's classes (a subclass as its class), their
    divisions, and the divisions' other classes, which bound a confidential class."""
    wanted: dict[str, str] = {}
    for code in definition.code_list:
        entry = sbi.entries[code]
        as_class = sbi.ancestors(code)[0] if entry.level == "subclass" else code
        division = next((a for a in [as_class, *sbi.ancestors(as_class)] if sbi.entries[a].level == "division"), None)
        wanted[nace_code(sbi, as_class)] = as_class
        if division is not None:
            wanted[nace_code(sbi, division)] = division
            for group in sbi.children.get(division, []):
                for cls in sbi.children.get(group, []) if sbi.entries[group].level == "group" else [group]:
                    wanted.setdefault(nace_code(sbi, cls), cls)
    return wanted


def cells_of(answer: Answer, dataset: str, request: str, retrieved_at: str) -> list[ForeignCell]:
    """An answer's cells as the store keeps them: each with its country, NACE code, indicator (lsh's name) and
    year, its value or its confidentiality (never a zero), and where it came from."""
    spec = DATASETS[dataset]
    names = {i.code: i for i in spec.indicators}
    found = []
    for cell in answer.cells():
        indicator = names.get(cell.code(spec.indicator_dimension))
        if indicator is None:
            continue
        found.append(
            ForeignCell(
                dataset,
                cell.code("geo").upper(),
                cell.code(spec.activity_dimension).upper(),
                indicator.name,
                int(cell.code("time")[:4]),
                cell.value,
                cell.flags,
                cell.confidential,
                indicator.unit,
                answer.dataset.updated or None,
                answer.dataset.label,
                request,
                retrieved_at,
            )
        )
    return found


def ask(
    client: EurostatClient,
    dataset: str,
    countries: Sequence[str],
    activities: Sequence[str],
    indicators: Sequence[str],
    since: int | None,
    until: int | None,
    last: int | None = None,
) -> tuple[list[ForeignCell], dict[str, tuple[str, ...]]]:
    """Eurostat's cells for some countries, activities (NACE codes), indicators (lsh's names) and years, as the
    store keeps them, with the codes Eurostat did not know."""
    from datetime import datetime, timezone

    spec = DATASETS[dataset]
    filters = [
        ("geo", list(countries)),
        (spec.activity_dimension, list(activities)),
        (spec.indicator_dimension, [spec.indicator(name).code for name in indicators]),
    ]
    answer = client.fetch(dataset, filters, since, until, last)
    retrieved = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return cells_of(answer, dataset, answer.url, retrieved), answer.unknown


def checked(definition: Definition, sbi: Classification, year: int | None) -> None:
    """A definition Eurostat's SBS can value, in a year lsh reads them for; else a usage error. Every dataset lsh
    reads is of NACE Rev. 2, which is SBI 2008's: a definition of SBI 2025 codes (NACE Rev. 2.1) is refused, never
    mixed in, until Eurostat publishes SBS in NACE Rev. 2.1 (`_r21` datasets)."""
    first = min(spec.first_year for spec in DATASETS.values())
    readable = {spec.classification for spec in DATASETS.values()}
    if definition.classification not in readable or sbi.name != definition.classification:
        raise ConfigError(
            "{id} is a definition of {label} codes; the Eurostat datasets lsh reads are NACE Rev. 2, which is SBI "
            "2008's, and Eurostat publishes no structural business statistics in NACE Rev. 2.1 yet",
            id=definition.id,
            label=load(definition.classification).label,
        )
    if year is not None and year < first:
        raise ConfigError(
            "lsh reads Eurostat's {dataset} from {first}; {year} is before it",
            dataset=SERIES,
            first=first,
            year=year,
        )


def held_or_asked(
    store: Store | None,
    client: EurostatClient | None,
    countries: Sequence[str],
    activities: Sequence[str],
    indicators: Sequence[str],
    year: int,
) -> tuple[list[ForeignCell], dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The cells of some countries, activities and indicators in a year, from the datasets that publish them: those
    the store holds where a fetch stored the dataset's year for every country, else asked of Eurostat (one request
    per dataset); with the codes Eurostat did not know and the datasets read."""
    plan = datasets_for(year, activities)
    cells: list[ForeignCell] = []
    unknown: dict[str, tuple[str, ...]] = {}
    for dataset, held in plan.items():
        names = [DATASETS[dataset].indicator(i).name for i in indicators]
        found: list[ForeignCell] = []
        if store is not None and store.foreign_countries(dataset, year, held) >= set(countries):
            found = [c for name in names for c in store.foreign(dataset, name, countries, held, year)]
        else:
            if client is None:
                raise ConfigError(
                    "the store holds no {dataset} {indicator} for every country asked for in {year}",
                    dataset=dataset,
                    indicator=", ".join(names),
                    year=year,
                )
            found, missing = ask(client, dataset, countries, held, names, year, year)
            for dimension, codes in missing.items():
                unknown[dimension] = tuple(dict.fromkeys([*unknown.get(dimension, ()), *codes]))
        cells += found
    return cells, unknown, tuple(plan)


def latest(
    client: EurostatClient | None, countries: Sequence[str], activities: Sequence[str], indicator: str
) -> tuple[int, list[ForeignCell], dict[str, tuple[str, ...]]]:
    """The latest year `sbs_ovw_act` holds an indicator for some countries and activities, with its cells (asked
    of Eurostat in one request)."""
    spec = DATASETS["sbs_ovw_act"]
    if client is None:
        raise ConfigError("give --year: offline, lsh cannot ask Eurostat for its latest year")
    cells, unknown = ask(client, spec.id, countries, activities, [indicator], None, None, 1)
    year = max((c.year for c in cells), default=spec.first_year)
    return year, [c for c in cells if c.year == year], unknown


def benchmark(
    client: EurostatClient | None,
    definition: Definition,
    sbi: Classification,
    countries: Sequence[str],
    indicator: str,
    year: int | None = None,
    store: Store | None = None,
) -> Benchmark:
    """A definition's value in each country from Eurostat's class figures of one year (default: the latest
    `sbs_ovw_act` holds): from the cells the store holds where they cover every country, else asked of Eurostat.
    Before 2021 the figures are those of each activity's part of the economy, which give no business-economy
    total, so no share."""
    checked(definition, sbi, year)
    chosen = DATASETS["sbs_ovw_act"].indicator(indicator)
    wanted = nace_codes(definition, sbi)
    named = [c.upper() for c in countries]
    activities = [*wanted, BUSINESS_ECONOMY]
    if year is None:
        year, cells, unknown = latest(client, named, activities, chosen.name)
        datasets: tuple[str, ...] = ("sbs_ovw_act",)
    else:
        cells, unknown, datasets = held_or_asked(store, client, named, activities, [chosen.name], year)
    measure = eurostat_measure(chosen)
    leaves = definition.leaves(sbi)
    values = []
    for country in named:
        own = [c for c in cells if c.country == country]
        figures = [_observation(c, wanted[c.activity], measure.name) for c in own if c.activity in wanted]
        found = FigureSet(measure, year, figures, sbi)
        economy = next((c.value for c in own if c.activity == BUSINESS_ECONOMY), None)
        values.append(CountryValue(country, found.cover(leaves, definition.code_list), economy))
    return Benchmark(definition, datasets, chosen, year, tuple(values), unknown)


def _observation(cell: ForeignCell, code: str, measure: str) -> Observation:
    """A country's class or division figure as lsh's observation (a confidential cell is one without a value)."""
    source = Source(
        "eurostat",
        f"Eurostat, {cell.dataset}: {cell.label}",
        cell.dataset,
        cell.updated,
        cell.request,
        cell.retrieved_at,
    )
    return Observation(
        measure,
        (code,),
        str(cell.year),
        cell.value,
        cell.value,
        cell.unit,
        "provisional" if "p" in cell.flags else None,
        source,
        ref=f"{cell.dataset}/{cell.country}/{cell.activity}/{cell.year}",
    )


def eurostat_book(
    store: Store,
    client: EurostatClient | None,
    definitions: Sequence[Definition],
    sbi: Classification,
    indicators: Sequence[str],
    years: Sequence[int],
    country: str = "NL",
) -> tuple[Figurebook, list[Measure]]:
    """Figures of one country from Eurostat's class figures (those the store holds, else asked of Eurostat), as a
    book the analyses read like CBS's, with a measure per indicator: `lsh compare --source eurostat` and `lsh count
    --source eurostat` value definitions at class depth with it."""
    from lshcli.query import Figurebook

    chosen = [DATASETS["sbs_ovw_act"].indicator(i) for i in indicators]
    wanted: dict[str, str] = {}
    for d in definitions:
        for year in years:
            checked(d, sbi, year)
        wanted |= nace_codes(d, sbi)
    cells = [c for year in years for c in held_or_asked(store, client, [country], list(wanted), indicators, year)[0]]
    measures = {i.name: eurostat_measure(i) for i in chosen}
    figures = Store(None, snapshot=False)
    figures.add(
        _observation(c, wanted[c.activity], measures[c.indicator].name)
        for c in cells
        if c.activity in wanted and c.indicator in measures
    )
    return Figurebook(figures, sbi), list(measures.values())


def eurostat_measure(indicator: Indicator) -> Measure:
    """An indicator of Eurostat's as a measure lsh's analyses and words read (`eurostat_persons_employed`)."""
    return Measure(
        f"eurostat_{indicator.name}", indicator.label, indicator.unit, indicator.convention, YEARLY, source="eurostat"
    )


def series_breaks(definition: Definition, sbi: Classification, years: Sequence[int]) -> list[SeriesBreak]:
    """The 2021 break where a definition's years cross it: the datasets before it and after it."""
    activities = list(nace_codes(definition, sbi))
    return series_break(definition.id, [(year, tuple(datasets_for(year, activities))) for year in years])


def series_break(definition: str, read: Sequence[tuple[int, Sequence[str]]]) -> list[SeriesBreak]:
    """The 2021 break where a series of years (each with the datasets it is read from) crosses it."""
    from lshcli.explain import SeriesBreak

    before = [datasets for year, datasets in read if year < BREAK_YEAR]
    after = sorted((year, datasets) for year, datasets in read if year >= BREAK_YEAR)
    if not before or not after:
        return []
    return [
        SeriesBreak(
            definition,
            after[0][0],
            tuple(dict.fromkeys(d for datasets in before for d in datasets)),
            tuple(dict.fromkeys(d for _, datasets in after for d in datasets)),
        )
    ]
