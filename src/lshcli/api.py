"""The library facade: a `Book` of figures that compares, counts and sizes definitions, with results that carry
their data (`to_dict()` gives the same data as the command line's JSON) and sentences without command-line hints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from lshcli.compare import Comparison, compare
from lshcli.concordance import load as load_concordance
from lshcli.cover import Coverage
from lshcli.crossing import Across, Crossing, across, cross
from lshcli.crossing import pick_year as pick_across
from lshcli.definitions import Definition, DefinitionLibrary, search_dirs
from lshcli.explain import Note, comparison_notes, crossing_notes
from lshcli.measures import Measure, get_measure
from lshcli.model import Reading
from lshcli.output import data
from lshcli.output.words import Words
from lshcli.overlap import Overlap, overlap
from lshcli.query import Figurebook
from lshcli.sbi import load
from lshcli.sizes import Sizes, sizes
from lshcli.store import Store, open_store


@dataclass(frozen=True)
class ComparisonResult(Comparison):
    """A comparison (totals, difference, rows), with its notes, sentences and data."""

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


@dataclass(frozen=True)
class CrossingResult(Crossing):
    """Two definitions across the classification break, with its notes, sentences and data."""

    @property
    def notes(self) -> list[Note]:
        """What the comparison across the break says, as typed notes."""
        return crossing_notes(self)

    @property
    def sentences(self) -> list[str]:
        """The notes in English."""
        return Words().notes(self.notes)

    def to_dict(self) -> dict[str, Any]:
        """The data of `lsh compare A B -f json` for definitions of both classifications."""
        return data.crossing_data(self, Words())


@dataclass(frozen=True)
class AcrossResult(Across):
    """A definition's series across the break beside its counterpart, with its data."""

    def to_dict(self) -> dict[str, Any]:
        """The data of `lsh across ... -f json`."""
        return data.across_data(self, Words())


@dataclass(frozen=True)
class Values:
    """A definition's value of a measure in each year, with each coverage."""

    definition: Definition
    measure: Measure
    years: tuple[tuple[int, Coverage], ...]

    def to_dict(self) -> list[dict[str, Any]]:
        """The data of `lsh count ... -f json`."""
        return data.count_data(self.definition, [(self.measure, y, cov) for y, cov in self.years], Words())


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
        found = [self.definition(d) for d in definitions]
        if len({d.classification for d in found}) > 1 and len(found) == 2:
            a, b = found
            return pick_across(self.book(a), a, self.book(b), b, get_measure(measure)).year
        return self.book(found[0]).pick_year(found, get_measure(measure)).year

    def compare(
        self, a: str | Definition, b: str | Definition, measure: str = "firms", year: int | None = None
    ) -> ComparisonResult | CrossingResult:
        """Both totals, the difference (B minus A) and the codes that make it; for definitions on either side of the
        SBI 2025 break, each valued in its own classification and the gap split by groups of linked codes."""
        first, second = self.definition(a), self.definition(b)
        chosen = get_measure(measure)
        year = self.year([first, second], measure) if year is None else year
        if first.classification != second.classification:
            book_a, book_b = self.book(first), self.book(second)
            links = load_concordance(*sorted((book_a.sbi, book_b.sbi), key=lambda c: c.name))
            x = cross(book_a, first, book_b, second, links, chosen, year)
            return CrossingResult(**{f.name: getattr(x, f.name) for f in fields(x)})
        c = compare(self.book(first), first, second, chosen, year)
        return ComparisonResult(**{f.name: getattr(c, f.name) for f in fields(c)})

    def across(
        self,
        definition: str | Definition,
        other: str | Definition,
        measure: str = "firms",
        years: Sequence[int] | None = None,
        link: bool = False,
        estimate_lost: bool = False,
    ) -> AcrossResult:
        """A definition's series beside its counterpart in the other classification (see `lsh across`)."""
        old, new = sorted((self.definition(definition), self.definition(other)), key=lambda d: d.classification)
        book_old, book_new = self.book(old), self.book(new)
        links = load_concordance(book_old.sbi, book_new.sbi)
        x = across(book_old, old, book_new, new, links, get_measure(measure), years, link, estimate_lost)
        return AcrossResult(**{f.name: getattr(x, f.name) for f in fields(x)})

    def values(
        self, definition: str | Definition, measure: str = "firms", years: Sequence[int] | None = None
    ) -> Values:
        """A definition's value in each year (default: every year the measure is stored)."""
        found, chosen = self.definition(definition), get_measure(measure)
        return Values(found, chosen, tuple(self.book(found).values_by_year(found, chosen, years)))

    def sizes(self, definition: str | Definition, year: int | None = None) -> Sizes:
        """Firms by size class, with the total and the groups."""
        found = self.definition(definition)
        year = self.year([found], "firms_size_1") if year is None else year
        return sizes(self.book(found), found, year)

    def overlap(
        self, definitions: Sequence[str | Definition], measure: str = "firms", year: int | None = None
    ) -> Overlap:
        """Which codes each definition holds, with each code's value."""
        found = [self.definition(d) for d in definitions]
        year = self.year(found, measure) if year is None else year
        return overlap(self.book(found[0]), found, get_measure(measure), year)


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
