"""The library facade: a `Book` of figures that compares, counts and sizes definitions, with results that carry
their data (`to_dict()` gives the same data as the command line's JSON) and sentences without command-line hints."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct, structs

from lshcli.compare import Comparison, compare
from lshcli.cover import Coverage
from lshcli.definitions import Definition, DefinitionLibrary, search_dirs
from lshcli.errors import ConfigError, Msg
from lshcli.explain import Note, comparison_notes
from lshcli.measures import MEASURES, Measure, get_measure
from lshcli.model import Observation, Reading
from lshcli.output import data
from lshcli.output.words import Words
from lshcli.query import Figurebook, YearChoice
from lshcli.sbi import Classification, load
from lshcli.shown import Shown, as_value, fields_of, shown_value
from lshcli.store import Store, open_store
from lshcli.years import check_years, year_argument

if TYPE_CHECKING:
    from collections.abc import Callable

    from lshcli.benchmark import Benchmark
    from lshcli.cbs.client import CbsClient
    from lshcli.cbs.fetch import FetchResult, FetchWarning
    from lshcli.crosscheck import SourcePair
    from lshcli.eurostat import EurostatClient
    from lshcli.output.document import Document
    from lshcli.output.report import Report
    from lshcli.reconcile import Reconciled
    from lshcli.results import AcrossResult, CrossingResult, ForeignFetched, OverlapResult, SizesResult
    from lshcli.store import ForeignCell

_LATER = ("AcrossResult", "CrossingResult", "OverlapResult", "SizesResult")
"""The results across the break and of the studies, made in `lshcli.results` when a book is asked for one."""


def __getattr__(name: str) -> Any:
    """`lshcli.api.CrossingResult` and the like, from the module that loads them only when asked for."""
    if name in _LATER:
        from lshcli import results

        return getattr(results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ComparisonResult(Shown, Comparison, frozen=True):
    """A comparison (totals, difference, rows), with its notes, sentences and data."""

    def __repr__(self) -> str:
        a, b = self.total_a.value or self.total_a.interval, self.total_b.value or self.total_b.interval
        gap = self.difference if self.difference is not None else self.difference_bound
        return (
            f"<Comparison {self.a.id} vs {self.b.id}, {self.measure.name} {self.year}: {shown_value(as_value(a))} vs "
            f"{shown_value(as_value(b))}, gap {shown_value(as_value(gap))}; {len(self.rows)} rows>"
        )

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.comparisons import comparison_document

        return comparison_document(self, words or Words())

    @property
    def notes(self) -> list[Note]:
        """What the comparison says, as typed notes."""
        return comparison_notes(self)

    @property
    def sentences(self) -> list[str]:
        """The notes in English."""
        return Words().notes(self.notes)

    def to_dict(self) -> dict[str, Any]:
        """The data of `lsh compare ... -f json` for one year."""
        return data.comparison_data(self, Words())


class Values(Shown, Struct, frozen=True):
    """A definition's value of a measure in each year, with each coverage."""

    definition: Definition
    measure: Measure
    years: tuple[tuple[int, Coverage], ...]

    def __repr__(self) -> str:
        shown = ", ".join(f"{y}: {shown_value(as_value(c.value or c.interval))}" for y, c in self.years[:6])
        more = f", ... ({len(self.years)} years)" if len(self.years) > 6 else ""
        return f"<Values {self.definition.id}, {self.measure.name} ({self.measure.unit}): {shown}{more}>"

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.comparisons import count_document

        return count_document(self.definition, [(self.measure, y, cov) for y, cov in self.years], words or Words())

    def to_dict(self) -> list[dict[str, Any]]:
        """The data of `lsh count ... -f json`."""
        return data.count_data(self.definition, [(self.measure, y, cov) for y, cov in self.years], Words())


class Counted(Shown, Struct, frozen=True):
    """A definition's value per measure and year (`lsh count`), with each coverage and the whole economy's figure
    of each measure and year where it is stored."""

    definition: Definition
    rows: tuple[tuple[Measure, int, Coverage], ...]
    economy: dict[tuple[str, int], Observation]
    asked: tuple[Measure, ...]
    quarter: int | None = None
    notes: tuple[Note, ...] = ()
    """What the values' sources say first (Eurostat's 2021 break in a series)."""

    def __repr__(self) -> str:
        names = [m.name for m in self.asked]
        measures = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        years = sorted({y for _, y, _ in self.rows})
        span = f"{years[0]}-{years[-1]}" if years else "no years"
        return f"<Counted {self.definition.id}: {measures}, {span}; {len(self.rows)} values>"

    def document(self, words: Words | None = None, wide: bool = False) -> Document:
        from lshcli.output.comparisons import count_document

        return count_document(
            self.definition,
            self.rows,
            words or Words(),
            wide=wide,
            quarter=self.quarter,
            economy=self.economy,
            asked=self.asked,
            notes=self.notes,
        )

    def to_dict(self) -> list[dict[str, Any]]:
        """The data of `lsh count ... -f json`."""
        return data.count_data(self.definition, self.rows, Words(), self.economy)


class Reconciliation(Shown, Struct, frozen=True):
    """Published figures beside lsh's values (`lsh reconcile`), each with its most likely reason."""

    results: tuple[Reconciled, ...]

    def __repr__(self) -> str:
        return f"<Reconciliation of {len(self.results)} published figures>"

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import reconcile_document

        return reconcile_document(self.results, words or Words())

    def to_dict(self) -> list[dict[str, Any]]:
        """The data of `lsh reconcile ... -f json`."""
        return data.reconcile_data(self.results, Words())


class SourcesCompared(Shown, Struct, frozen=True):
    """A definition from CBS and from Eurostat in one year (`lsh reconcile --eurostat`): each CBS measure beside the
    nearest Eurostat statistic, in one unit, with the difference and why they differ."""

    pairs: tuple[SourcePair, ...]

    def __repr__(self) -> str:
        return f"<SourcesCompared: {len(self.pairs)} measures>"

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import sources_document

        return sources_document(self.pairs, words or Words())


class Fetched(Shown, Struct, frozen=True):
    """What a fetch stored (`lsh fetch`): the table, the codes as stored, the rows, and what it warns of."""

    result: FetchResult
    warnings: tuple[FetchWarning, ...]
    sbi: Classification
    store_path: str

    def __repr__(self) -> str:
        return (
            f"<Fetched {self.result.spec.id}: {self.result.replaced.inserted} rows for {len(self.result.plan.wanted)} "
            f"codes into {self.store_path}>"
        )

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import fetch_document

        return fetch_document(self.result, self.sbi, words or Words())

    def messages(self, words: Words | None = None) -> list[str]:
        """What the fetch says: its warnings, codes stood in for, other versions, and the summary."""
        words = words or Words()
        return [*(words.fetch_warning(w) for w in self.warnings), *words.fetch_messages(self.result, self.store_path)]


class Translated(Struct, frozen=True):
    """A definition carried across the 2025 break (`lsh definitions translate`): the new definition, with a note on
    every code and the notes of the whole in English (as every definition's are), and its YAML."""

    definition: Definition
    notes: tuple[str, ...]
    target: str
    """The classification's label: 'SBI 2025'."""

    @property
    def yaml(self) -> str:
        from lshcli.definitions import to_yaml

        return to_yaml(self.definition)


class BenchmarkResult(Shown, Struct, frozen=True):
    """Definitions across countries (`lsh benchmark`), from Eurostat's class figures."""

    benchmarks: tuple[Benchmark, ...]

    def __repr__(self) -> str:
        shown = "; ".join(
            f"{b.definition.id} {b.year}: "
            + ", ".join(
                f"{v.country} {shown_value(as_value(v.coverage.value or v.coverage.interval))}" for v in b.countries
            )
            for b in self.benchmarks
        )
        return f"<Benchmark {shown}>"

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import benchmark_document

        return benchmark_document(self.benchmarks, words or Words())

    def to_dict(self) -> Any:
        """The data of `lsh benchmark ... -f json`."""
        from lshcli.output.rows import as_data

        return as_data(self.document().payload())


class Series(Struct, frozen=True):
    """Definitions' values over the years (`lsh plot series`), each in its own classification; where they span the
    2025 break, the first year the newer classification is valued and its label."""

    measure: Measure
    lines: tuple[tuple[Definition, tuple[tuple[int, Coverage], ...]], ...]
    break_year: int | None = None
    newer: str = ""


def _quiet(description: str, total: int) -> None:
    """No progress shown."""


def _valued(cov: Coverage) -> bool:
    """A value, or an interval bounded on both sides: what a chart can draw."""
    bound = cov.interval
    return cov.value is not None or (bound is not None and bound.low is not None and bound.high is not None)


class Book:
    """Definitions and the figures to size them with; every analysis of the command line, as a call."""

    def __init__(self, figures: Figurebook, library: DefinitionLibrary) -> None:
        self.figures = figures
        self.library = library
        self.words = Words()
        self._books = {figures.sbi.name: figures}

    def book(self, definition: Definition) -> Figurebook:
        """The figures of a definition's own classification (the same store, read the same way)."""
        name = definition.classification
        if name not in self._books:
            self._books[name] = Figurebook(self.figures.store, load(name), self.figures.reading)
        return self._books[name]

    def definition(self, name: str | Definition) -> Definition:
        """A definition by id or YAML file (a Definition is passed through)."""
        return name if isinstance(name, Definition) else self.library.get(name)

    def year(self, definitions: Sequence[str | Definition], measure: str = "firms") -> int:
        """The year lsh picks when none is given: the latest with complete values for all, else with figures for all."""
        return self.year_choice(definitions, measure).year

    def year_choice(self, definitions: Sequence[str | Definition], measure: str = "firms") -> YearChoice:
        """The year lsh picks when none is given, with its basis (what the command line says on standard error)."""
        found = [self.definition(d) for d in definitions]
        if len({d.classification for d in found}) > 1 and len(found) == 2:
            a, b = found
            from lshcli.crossing import pick_year as pick_across

            return pick_across(self.book(a), a, self.book(b), b, get_measure(measure))
        return self.book(found[0]).pick_year(found, get_measure(measure))

    def economy(self, measure: str, year: int) -> Observation | None:
        """The whole economy's figure (CBS's total A-U) of a measure in a year, or None where none is stored."""
        return self.figures.economy(get_measure(measure), year)

    def compare(
        self,
        a: str | Definition,
        b: str | Definition,
        measure: str = "firms",
        year: int | None = None,
        *,
        source: str = "cbs",
        client: EurostatClient | None = None,
    ) -> ComparisonResult | CrossingResult:
        """Both totals, the difference (B minus A) and the codes that make it; for definitions on either side of the
        SBI 2025 break, each valued in its own classification and the gap split by groups of linked codes. With
        `source="eurostat"`, both are valued from Eurostat's class figures for the Netherlands (the store's, else
        asked of Eurostat) in `measure`, Eurostat's statistic of that name."""
        first, second = self.definition(a), self.definition(b)
        if source == "eurostat":
            return self._compare_eurostat(first, second, measure, year, client)
        if source != "cbs":
            raise ConfigError("--source takes cbs or eurostat, not {source!r}", source=source)
        chosen = get_measure(measure)
        year = self.year([first, second], measure) if year is None else self._checked(year, chosen)
        if first.classification != second.classification:
            from lshcli.concordance import load as load_concordance
            from lshcli.crossing import cross
            from lshcli.results import CrossingResult

            book_a, book_b = self.book(first), self.book(second)
            links = load_concordance(*sorted((book_a.sbi, book_b.sbi), key=lambda c: c.name))
            x = cross(book_a, first, book_b, second, links, chosen, year)
            return CrossingResult(**fields_of(x))
        c = compare(self.book(first), first, second, chosen, year)
        return ComparisonResult(**fields_of(c))

    def _compare_eurostat(
        self, first: Definition, second: Definition, measure: str, year: int | None, client: EurostatClient | None
    ) -> ComparisonResult:
        from lshcli.benchmark import eurostat_book
        from lshcli.eurostat import EurostatClient

        if year is None:
            raise ConfigError("a comparison from Eurostat's figures is of one year: give --year")
        one_classification([first, second])
        year = year_argument(year)
        eurostat = client or EurostatClient()
        book, [chosen] = eurostat_book(
            self.figures.store, eurostat, [first, second], load("sbi2008"), [measure], [year]
        )
        c = compare(book, first, second, chosen, year)
        return ComparisonResult(**fields_of(c))

    def across(
        self,
        definition: str | Definition,
        other: str | Definition | None = None,
        measure: str = "firms",
        years: Sequence[int] | None = None,
        link: bool = False,
        estimate_lost: bool = False,
    ) -> AcrossResult:
        """A definition's series beside its counterpart in the other classification (see `lsh across`); the
        counterpart defaults to its translation, or the definition it was translated from."""
        found = self.definition(definition)
        partner = self.definition(other) if other is not None else self.counterpart(found)
        if partner.classification == found.classification:
            raise ConfigError(
                "{id} and {id2} are both in {classification}",
                id=found.id,
                id2=partner.id,
                classification=found.classification,
            )
        from lshcli.concordance import load as load_concordance
        from lshcli.crossing import across
        from lshcli.results import AcrossResult

        old, new = sorted((found, partner), key=lambda d: d.classification)
        book_old, book_new = self.book(old), self.book(new)
        links = load_concordance(book_old.sbi, book_new.sbi)
        years = [year_argument(y, "each of years") for y in years] if years is not None else None
        chosen = get_measure(measure)
        x = across(book_old, old, book_new, new, links, chosen, years, link, estimate_lost)
        if not x.years:
            raise ConfigError(
                "no {label} stored for {id} or {id2}; give --from and --to",
                label=Msg(chosen.label),
                id=old.id,
                id2=new.id,
            )
        return AcrossResult(**fields_of(x))

    def counterpart(self, definition: str | Definition) -> Definition:
        """The definition on the other side of the 2025 break: its translation, or the one it was translated from."""
        found = self.definition(definition)
        if found.translated_from:
            return self.library.get(found.translated_from)
        for candidate in self.library.each():
            if not isinstance(candidate, Exception) and candidate.translated_from == found.id:
                return candidate
        raise ConfigError(
            "{id} has no translation: write one with 'lsh definitions translate {quote} --to sbi2025', or name its "
            "counterpart with --with",
            id=found.id,
            quote=shlex.quote(found.id),
        )

    def fetch(
        self,
        codes: Sequence[str] = (),
        definitions: Sequence[str | Definition] = (),
        measure: str | None = None,
        table: str | None = None,
        classification: str | None = None,
        years: Sequence[int] | None = None,
        *,
        client: CbsClient | None = None,
        v4_client: CbsClient | None = None,
        protocol: str | None = None,
        refresh: bool = False,
        progress: Callable[[str, int], None] | None = None,
        save: str | Path | None = None,
    ) -> Fetched:
        """Fetch CBS figures for codes (and every code of `definitions`) into the store: only the rows it lacks, from
        the table that gives `measure` (or `table`), in the definitions' classification (or `classification`, or the
        table's). `protocol` is 'auto' (the default, or $LSH_CBS_PROTOCOL: OData v4, and v3 where v4 cannot give
        the table), 'v4' or 'v3'; `client` and `v4_client` are the HTTP clients of v3 and v4 (default: CBS's, as
        the environment sets them up). With `save`, a folder: CBS's OData v4 answers are written there as well
        (`lsh store import` reads them back where there is no internet)."""
        from lshcli.cbs.client import CbsClient
        from lshcli.cbs.fetch import choose_table, codes_to_fetch, fetch_routed, protocols
        from lshcli.cbs.tables import TableRegistry
        from lshcli.errors import StoreError

        if not codes and not definitions:
            raise ConfigError("give --sbi CODE or --definition ID (each may be repeated)")
        found = [self.definition(d) for d in definitions]
        registry = TableRegistry()
        named = classification or (found[0].classification if found else None)
        if named is None and table:
            named = registry.get(table).classification
        spec, chosen = choose_table(registry, table, measure, named)
        sbi = load(spec.classification)
        wanted = codes_to_fetch(sbi, list(codes), found)
        store = self.figures.store
        if store.path is None:
            raise StoreError(
                "the store cannot be opened (see the warning above), so nothing would be kept; fetch stopped"
            )

        def step(description: str, total: int) -> None:
            (progress or _quiet)(f"CBS {spec.id}: {description}", total)

        order = protocols(protocol)
        folder = Path(save) if save is not None else None
        if folder is not None:
            if protocol is not None and order == ["v3"]:
                raise ConfigError("--save keeps CBS's OData v4 answers; leave out --protocol v3")
            if not folder.is_dir():
                raise ConfigError("--save needs a folder that exists: {folder}", folder=folder)
            order = ["v4"]
        given = {"v3": client, "v4": v4_client}
        clients = {p: given[p] or CbsClient(protocol=p) for p in order}
        years = [year_argument(y, "each of years") for y in years] if years is not None else None
        result, warnings = fetch_routed(spec, chosen, clients, store, sbi, step, wanted, years, refresh, folder)
        return Fetched(result, tuple(warnings), sbi, str(store.path))

    def import_saved(self, folder: str | Path) -> list[Fetched]:
        """CBS's OData v4 answers saved in a folder (by `lsh fetch --save`, or in the layout of CBS's captures) into
        the store, each table through the same checks as a fetch, with the folder, the observations file's sha256
        and the capture date as its provenance. All or nothing: every table is read and checked whole before any is
        stored."""
        from lshcli.cbs.fetch import Fetcher
        from lshcli.cbs.odata import codes_in_title
        from lshcli.cbs.saved import SavedV4, saved_tables
        from lshcli.cbs.tables import TableRegistry
        from lshcli.errors import StoreError

        path = Path(folder)
        store = self.figures.store
        if store.path is None:
            raise StoreError(
                "the store cannot be opened (see the warning above), so nothing would be kept; import stopped"
            )
        registry = TableRegistry()
        plans = []
        for table, entry in saved_tables(path).items():
            spec = registry.get(table)
            source = SavedV4(path, table, entry)
            sbi = load(spec.classification)
            measure = str((entry or {}).get("measure") or next(iter(spec.measures)))
            codes, years = source.asked(spec.sbi_dimension, spec.period_dimension)
            if not (entry or {}).get("codes"):  # keys of the observations, read as codes through their titles
                titles = {c.key: c.title for c in source.categories(spec.sbi_dimension)}
                codes = [c for key in codes for c in (codes_in_title(titles.get(key, ""), sbi) or ())]
            plans.append((spec, measure, source, sbi, list(dict.fromkeys(codes)), years))
        for spec, measure, source, sbi, codes, years in plans:  # checked whole first, into a store of no file
            Fetcher(spec, measure, source, Store(None, snapshot=False), sbi, _quiet, True, True).run(codes, years)
        results = []
        for spec, measure, source, sbi, codes, years in plans:
            fetcher = Fetcher(spec, measure, source, store, sbi, _quiet, refresh=True, fresh=True)
            results.append(Fetched(fetcher.run(codes, years), tuple(fetcher.warnings), sbi, str(store.path)))
        return results

    def translate(self, definition: str | Definition, to: str, merged: str | None = None) -> Translated:
        """A definition carried across the 2025 break with lsh's concordance; `merged` ('wider' or 'leave-out') says
        what a new code that also holds codes the definition leaves out means (a ChoiceNeeded error asks for it)."""
        from lshcli.concordance import load as load_concordance
        from lshcli.translate import Merged, translate

        found = self.definition(definition)
        source, target = load(found.classification), load(to)
        if target.name == source.name:
            raise ConfigError("{id} is already a definition of {label} codes", id=found.id, label=source.label)
        links = load_concordance(*sorted((source, target), key=lambda c: c.name))
        result = translate(found, source, links, Merged(merged) if merged else None)
        code_notes, notes = Words().translation(result, source)
        codes = tuple(structs.replace(c, note=code_notes.get(c.code)) for c in result.definition.codes)
        return Translated(
            structs.replace(result.definition, codes=codes, notes=tuple(notes)), tuple(notes), target.label
        )

    def fetch_eurostat(
        self,
        dataset: str,
        definitions: Sequence[str | Definition] = (),
        codes: Sequence[str] = (),
        countries: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        *,
        client: EurostatClient | None = None,
    ) -> ForeignFetched:
        """Fetch a Eurostat dataset's cells (every indicator it gives) for the NACE classes of codes and definitions,
        their divisions and the divisions' other classes, and the business economy, into the store, with their
        country (default countries: NL, BE, DE, DK, IE; default years: all the dataset holds)."""
        from lshcli.benchmark import ask, checked, nace_codes
        from lshcli.errors import StoreError
        from lshcli.eurostat import BUSINESS_ECONOMY, DATASETS, PEERS, SERIES, EurostatClient, nace_code, series_plan
        from lshcli.results import ForeignFetched

        name = dataset.lower()
        if name != SERIES and name not in DATASETS:
            raise ConfigError(
                "lsh reads no Eurostat dataset {dataset!r}; it reads {known}",
                dataset=dataset,
                known=", ".join([SERIES, *DATASETS]),
            )
        sbi = load("sbi2008")
        found = [self.definition(d) for d in definitions]
        wanted: dict[str, str] = {}
        for d in found:
            checked(d, sbi, None)
            wanted |= nace_codes(d, sbi)
        for code in codes:
            wanted[nace_code(sbi, code)] = sbi.parse(code)
        if not wanted:
            raise ConfigError("give --sbi CODE or --definition ID (each may be repeated)")
        named = [c.strip().upper() for c in (PEERS if countries is None else countries) if c.strip()]
        asked = sorted(year_argument(y, "each of years") for y in years) if years else []
        store = self.figures.store
        if store.path is None:
            raise StoreError(
                "the store cannot be opened (see the warning above), so nothing would be kept; fetch stopped"
            )
        plan = series_plan(name, [*wanted, BUSINESS_ECONOMY], asked[0] if asked else None, asked[-1] if asked else None)
        cells: list[ForeignCell] = []
        unknown: dict[str, dict[str, tuple[str, ...]]] = {}
        eurostat = client or EurostatClient()
        for spec, held, since, until in plan:  # every answer before anything is stored: all or nothing
            got, missing = ask(eurostat, spec.id, named, held, [i.name for i in spec.indicators], since, until)
            cells += got
            if missing:
                unknown[spec.id] = missing
        store.replace_foreign(cells)
        return ForeignFetched(name, tuple(cells), unknown, str(store.path))

    def benchmark(
        self,
        definitions: Sequence[str | Definition],
        countries: Sequence[str] | None = None,
        measure: str = "persons_employed",
        year: int | None = None,
        *,
        years: Sequence[int] | None = None,
        client: EurostatClient | None = None,
    ) -> BenchmarkResult:
        """Definitions across countries from Eurostat's structural business statistics: each one's value in each
        country (an interval where cells are confidential or the definition is finer than a NACE class), its share
        of the country's business economy, and its rank (default countries: NL, BE, DE, DK, IE; default year: the
        latest Eurostat holds); with `years`, a series of them, across the 2021 change of method."""
        from lshcli.benchmark import benchmark
        from lshcli.eurostat import PEERS, EurostatClient

        countries = PEERS if countries is None else countries
        found = [self.definition(d) for d in definitions]
        year = year_argument(year) if year is not None else None
        named = [c.strip().upper() for c in countries if c.strip()]
        if not named:
            raise ConfigError("give one or more countries (NL, BE, DE, DK, IE, EU27_2020)")
        sbi = load("sbi2008")
        eurostat = client or EurostatClient()
        store = self.figures.store  # what a fetch stored answers first
        asked = sorted({year_argument(y, "each of years") for y in years}) if years else [year]
        found_all = [benchmark(eurostat, d, sbi, named, measure, y, store) for d in found for y in asked]
        return BenchmarkResult(tuple(found_all))

    def count(
        self,
        definition: str | Definition,
        measure: str | None = None,
        years: Sequence[int] | None = None,
        latest: bool = False,
        quarter: int | None = None,
        *,
        source: str = "cbs",
        client: EurostatClient | None = None,
    ) -> Counted:
        """A definition's value of one measure (default: every measure; with `quarter`, every quarterly one) in each
        year asked for, else in the latest year with any value (`latest`), else in every year stored. With
        `source="eurostat"`, from Eurostat's class figures for the Netherlands (the store's, else asked of
        Eurostat): `measure` is then one of Eurostat's statistics (default: all five)."""
        found = self.definition(definition)
        if source == "eurostat":
            return self._count_eurostat(found, measure, years, latest, client)
        if source != "cbs":
            raise ConfigError("--source takes cbs or eurostat, not {source!r}", source=source)
        chosen = [get_measure(measure)] if measure else [m for m in MEASURES.values() if quarter is None or m.quarterly]
        book = self.book(found)
        if years is not None:
            years = [year_argument(y, "each of years") for y in years]
            check_years(self.figures.store, years, *chosen)
        elif latest:
            years = sorted({y for m in chosen for y in book.years(m)})[-1:] or None
        rows: list[tuple[Measure, int, Coverage]] = []
        economy = {}
        for m in chosen:
            read_as = book.reading_as(Reading(quarter=quarter if m.quarterly else None, estimate=book.reading.estimate))
            for y, coverage in read_as.values_by_year(found, m, years):
                rows.append((m, y, coverage))
                if (whole := read_as.economy(m, y)) is not None:
                    economy[(m.name, y)] = whole
        return Counted(found, tuple(rows), economy, tuple(chosen), quarter)

    def _count_eurostat(
        self,
        found: Definition,
        measure: str | None,
        years: Sequence[int] | None,
        latest: bool,
        client: EurostatClient | None,
    ) -> Counted:
        from lshcli.benchmark import eurostat_book, series_breaks
        from lshcli.eurostat import DATASETS, EurostatClient

        store = self.figures.store
        names = [measure] if measure else [i.name for i in DATASETS["sbs_ovw_act"].indicators]
        if years is not None:
            years = [year_argument(y, "each of years") for y in years]
        else:
            years = store.foreign_years("NL")[-1:] if latest else store.foreign_years("NL")
        if not years:
            raise ConfigError(
                "the store holds no Eurostat figures for NL: give --year, or fetch them first with "
                "'lsh fetch --table sbs -d {quote} --country NL'",
                quote=shlex.quote(found.id),
            )
        sbi = load("sbi2008")
        book, measures = eurostat_book(store, client or EurostatClient(), [found], sbi, names, years)
        rows = [(m, y, coverage) for m in measures for y, coverage in book.values_by_year(found, m, years)]
        return Counted(found, tuple(rows), {}, tuple(measures), notes=tuple(series_breaks(found, sbi, years)))

    def series(
        self, definitions: Sequence[str | Definition], measure: str = "firms", years: Sequence[int] | None = None
    ) -> Series:
        """Definitions' values over the years asked for (default: every year the measure is stored in any of their
        classifications), each read in its own classification."""
        found = [self.definition(d) for d in definitions]
        chosen = get_measure(measure)
        books = {d.classification: self.book(d) for d in found}
        if years is not None:
            years = [year_argument(y, "each of years") for y in years]
        else:
            years = sorted({y for book in books.values() for y in book.years(chosen)})
        if not years:
            raise ConfigError("no {label} stored; give --from and --to", label=Msg(chosen.label))
        lines = tuple((d, tuple(books[d.classification].values_by_year(d, chosen, years))) for d in found)
        if len(books) < 2:
            return Series(chosen, lines)
        newest = max(books)  # definitions on both sides of the 2025 break: where the newer classification starts
        starts = [y for d, values in lines if d.classification == newest for y, cov in values if _valued(cov)]
        return Series(chosen, lines, min(starts) if starts else None, books[newest].sbi.label)

    def report(
        self,
        definitions: Sequence[str | Definition],
        measure: str = "firms",
        year: int | None = None,
        years: Sequence[int] | None = None,
        words: Words | None = None,
        *,
        source: str = "cbs",
        countries: Sequence[str] = (),
        benchmark_year: int | None = None,
        client: EurostatClient | None = None,
    ) -> Report:
        """The report of `lsh report`: the first definition compared with each other in `year`, their series over
        `years` (default: every year stored), the overlap and the sources, told in the language of `words`. With
        `source="eurostat"`, valued from Eurostat's class figures for the Netherlands (`measure` one of Eurostat's
        statistics; `year` needed); with `countries`, each definition across them (`lsh benchmark`, in
        `benchmark_year`, default the latest Eurostat holds)."""
        from lshcli.output.report import build_report

        found = [self.definition(d) for d in definitions]
        one_classification(found)
        benchmarks = (
            self.benchmark(found, countries, "persons_employed", benchmark_year, client=client).benchmarks
            if countries
            else ()
        )
        if source == "eurostat":
            return self._report_eurostat(found, measure, year, years, words or Words(), benchmarks, client)
        if source != "cbs":
            raise ConfigError("--source takes cbs or eurostat, not {source!r}", source=source)
        book = self.book(found[0])
        chosen = get_measure(measure)
        year = self.year(found, measure) if year is None else self._checked(year, chosen)
        shown = list(years) if years else book.years(chosen)
        return build_report(book, found, chosen, year, shown, words or Words(), benchmarks)

    def _report_eurostat(
        self,
        found: Sequence[Definition],
        measure: str,
        year: int | None,
        years: Sequence[int] | None,
        words: Words,
        benchmarks: Sequence[Benchmark],
        client: EurostatClient | None,
    ) -> Report:
        from lshcli.benchmark import eurostat_book
        from lshcli.eurostat import EurostatClient
        from lshcli.output.report import build_report

        if year is None:
            raise ConfigError("a report from Eurostat's figures compares one year: give --year")
        year = year_argument(year)
        store = self.figures.store
        shown = sorted(
            {year_argument(y, "each of years") for y in years} if years else {*store.foreign_years("NL"), year}
        )
        book, [chosen] = eurostat_book(store, client or EurostatClient(), found, load("sbi2008"), [measure], shown)
        return build_report(book, found, chosen, year, shown, words, benchmarks, source="eurostat")

    def reconcile(
        self, files: Sequence[str | Path] = (), bundled: bool = True, refs: Sequence[str] | None = None
    ) -> Reconciliation:
        """Published figures (the bundled reference list, and the CSV files given) beside lsh's values; with `refs`,
        only those figures, each still checked against all the others (a total against its parts)."""
        from lshcli.reconcile import bundled_figures, file_figures, reconcile_all

        figures = bundled_figures() if bundled else []
        for path in files:
            figures += file_figures(Path(path))
        known = list(figures)
        if refs:
            wanted = {r.strip().upper() for r in refs}
            unknown = wanted - {f.ref.upper() for f in figures}
            if unknown:
                raise ConfigError("no published figure {unknown}", unknown=", ".join(sorted(unknown)))
            figures = [f for f in figures if f.ref.upper() in wanted]
        if not figures:
            raise ConfigError("no figures to reconcile: give --file or leave the bundled ones in")
        return Reconciliation(tuple(reconcile_all(self.figures, figures, self.library, known)))

    def cross_check(
        self,
        definition: str | Definition,
        year: int | None = None,
        measures: Sequence[str] = (),
        *,
        client: EurostatClient | None = None,
    ) -> SourcesCompared:
        """A definition from CBS's figures and from Eurostat's for the Netherlands in one year (default: the latest
        year from 2008 in which the store holds any of the CBS measures): each CBS measure beside the Eurostat
        statistic nearest to it, in Eurostat's unit, the difference, and why the two differ (statistic, population,
        period, rounding, depth)."""
        from lshcli.benchmark import checked, eurostat_book
        from lshcli.crosscheck import SourcePair, pairs_for, reasons
        from lshcli.eurostat import DATASETS, EurostatClient

        found = self.definition(definition)
        sbi = load("sbi2008")
        checked(found, sbi, year)
        pairings = pairs_for(measures)
        if not pairings:
            raise ConfigError(
                "Eurostat has no statistic near {measures}; lsh pairs {known}",
                measures=", ".join(measures),
                known=", ".join(dict.fromkeys(p.cbs for p in pairs_for(()))),
            )
        book = self.book(found)
        held = {p.cbs: set(book.years(get_measure(p.cbs))) for p in pairings}
        first = min(spec.first_year for spec in DATASETS.values())
        if year is None:
            year = max((y for years in held.values() for y in years if y >= first), default=None)
            if year is None:
                raise ConfigError(
                    "the store holds none of {measures} from {first}: give --year",
                    measures=", ".join(held),
                    first=first,
                )
        year = year_argument(year)
        pairings = [p for p in pairings if year in held[p.cbs]]
        if not pairings:
            raise ConfigError(
                "the store holds none of CBS's {measures} for {year}: fetch them first, or give another --year",
                measures=", ".join(held),
                year=year,
            )
        indicators = list(dict.fromkeys(p.eurostat for p in pairings))
        eurostat, measures_e = eurostat_book(
            self.figures.store, client or EurostatClient(), [found], sbi, indicators, [year]
        )
        by_name = dict(zip(indicators, measures_e, strict=True))
        pairs = []
        for p in pairings:
            cbs_measure = get_measure(p.cbs)
            cbs = book.value(found, cbs_measure, year)
            other = eurostat.value(found, by_name[p.eurostat], year)
            why = reasons(p, cbs, other, p.scale, cbs_measure.unit)
            pairs.append(SourcePair(found, year, cbs_measure, by_name[p.eurostat], p.scale, cbs, other, why))
        return SourcesCompared(tuple(pairs))

    def values(
        self, definition: str | Definition, measure: str = "firms", years: Sequence[int] | None = None
    ) -> Values:
        """A definition's value in each year (default: every year the measure is stored)."""
        found, chosen = self.definition(definition), get_measure(measure)
        if years is not None:
            years = [year_argument(y, "each of years") for y in years]
            check_years(self.figures.store, years, chosen)
        return Values(found, chosen, tuple(self.book(found).values_by_year(found, chosen, years)))

    def sizes(self, definition: str | Definition, year: int | None = None) -> SizesResult:
        """Firms by size class, with the total and the groups."""
        found = self.definition(definition)
        classes = get_measure("firms_size_1")
        year = self.year([found], classes.name) if year is None else self._checked(year, classes, get_measure("firms"))
        from lshcli.results import SizesResult
        from lshcli.sizes import sizes

        result = sizes(self.book(found), found, year)
        return SizesResult(**fields_of(result))

    def overlap(
        self, definitions: Sequence[str | Definition], measure: str = "firms", year: int | None = None
    ) -> OverlapResult:
        """Which codes each definition holds, with each code's value."""
        found = [self.definition(d) for d in definitions]
        one_classification(found)
        chosen = get_measure(measure)
        year = self.year(found, measure) if year is None else self._checked(year, chosen)
        from lshcli.overlap import overlap
        from lshcli.results import OverlapResult

        result = overlap(self.book(found[0]), found, chosen, year)
        return OverlapResult(**fields_of(result))

    def _checked(self, year: object, measure: Measure, *others: Measure) -> int:
        """A year asked for: a whole number of four digits, for which some figure can exist (as the command line
        checks it: one sentence naming the years that do)."""
        chosen = year_argument(year)
        check_years(self.figures.store, [chosen], measure, *others)
        return chosen


def one_classification(definitions: Sequence[Definition]) -> str:
    """The classification every one of these definitions is in; definitions of both are a usage error (only a
    comparison of two spans the 2025 break)."""
    named = list(dict.fromkeys(d.classification for d in definitions))
    if len(named) > 1:
        ids = ", ".join(f"{d.id} ({d.classification})" for d in definitions)
        raise ConfigError(
            ("{ids} are not all in one classification; only 'lsh compare A B' compares across the 2025 break"), ids=ids
        )
    return named[0]


def open_book(
    store: str | Path | None = None,
    *,
    snapshot: bool = True,
    definitions_dirs: Sequence[str | Path] = (),
    quarter: int | None = None,
    estimate: bool = False,
) -> Book:
    """A Book on a store (see `lshcli.open`)."""
    if store == ":memory:":
        opened = Store(None, snapshot=snapshot)
    elif store is None and snapshot:
        opened = open_store()
    else:
        opened = Store(Path(store) if store is not None else None, snapshot=snapshot)
    sbi = load()
    library = DefinitionLibrary(sbi, search_dirs([Path(d) for d in definitions_dirs]))
    return Book(Figurebook(opened, sbi, Reading(quarter=quarter, estimate=estimate)), library)
