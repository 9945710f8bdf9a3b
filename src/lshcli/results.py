"""The library facade's results across the classification break and of the studies (sizes, overlap): the
kinds of their core results with what a notebook is shown. Their modules load with them, when a book is asked
for one, and not with every command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lshcli.crossing import Across, Crossing
from lshcli.explain import Note, crossing_notes
from lshcli.output import data
from lshcli.output.words import Words
from lshcli.overlap import Overlap
from lshcli.shown import Shown, shown_value
from lshcli.sizes import Sizes
from lshcli.store import ForeignFetch

if TYPE_CHECKING:
    from lshcli.output.document import Document


class CrossingResult(Shown, Crossing, frozen=True):
    """Two definitions across the classification break, with its notes, sentences and data."""

    def __repr__(self) -> str:
        return (
            f"<Crossing {self.a.id} ({self.book_a.sbi.label}) vs {self.b.id} ({self.book_b.sbi.label}), "
            f"{self.measure.name} {self.year}: {shown_value(self.total_a.value)} vs {shown_value(self.total_b.value)}, "
            f"gap {shown_value(self.difference)}; {len(self.groups)} link groups>"
        )

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.comparisons import crossing_document

        return crossing_document(self, words or Words())

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


class AcrossResult(Shown, Across, frozen=True):
    """A definition's series across the break beside its counterpart, with its data."""

    def __repr__(self) -> str:
        span = f"{self.years[0].year}-{self.years[-1].year}" if self.years else "no years"
        return f"<Across {self.a.id} and {self.b.id}, {self.measure.name} {span}; overlap {list(self.overlap)}>"

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.comparisons import across_document

        return across_document(self, words or Words())

    def to_dict(self) -> dict[str, Any]:
        """The data of `lsh across ... -f json`."""
        return data.across_data(self, Words())


class SizesResult(Shown, Sizes, frozen=True):
    """Firms by size class, with the total and the groups, and their data."""

    def __repr__(self) -> str:
        total = shown_value(self.total.value)
        return f"<Sizes {self.definition.id} {self.year}: all firms {total}; {len(self.groups)} groups>"

    def to_dict(self) -> Any:
        """The data of `lsh sizes ... -f json`."""
        return self.document().payload()

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import sizes_document

        return sizes_document(self, words or Words())


class OverlapResult(Shown, Overlap, frozen=True):
    """Which codes each definition holds, with each code's value, and their data."""

    def __repr__(self) -> str:
        ids = ", ".join(d.id for d in self.definitions)
        return f"<Overlap {ids}, {self.measure.name} {self.year}: {len(self.rows)} codes>"

    def to_dict(self) -> Any:
        """The data of `lsh overlap ... -f json`."""
        return self.document().payload()

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import overlap_document

        return overlap_document(self, words or Words())


class ForeignFetched(Shown, ForeignFetch, frozen=True):
    """What a fetch from Eurostat stored, as the library facade gives it."""

    def __repr__(self) -> str:
        return f"<ForeignFetched {self.dataset}: {len(self.cells)} cells into {self.store_path}>"

    def document(self, words: Words | None = None) -> Document:
        from lshcli.output.studies import foreign_fetch_document

        return foreign_fetch_document(self, words or Words())

    def messages(self, words: Words | None = None) -> list[str]:
        """What the fetch says: the codes Eurostat did not know, and what was stored."""
        words = words or Words()
        said = [
            words._(
                "Eurostat's {dataset} does not know the {dimension} codes {codes}: nothing is stored for them",
                dataset=dataset,
                dimension=dimension,
                codes=", ".join(codes),
            )
            for dataset, dimensions in self.unknown.items()
            for dimension, codes in dimensions.items()
        ]
        years = sorted({c.year for c in self.cells})
        said.append(
            words._(
                "stored {cells} cells of Eurostat {dataset} for {countries} ({activities} activities, "
                "{first} to {last}; {secret} confidential) in {store}",
                cells=words.number(len(self.cells)),
                dataset=self.dataset,
                countries=words.listed(list(dict.fromkeys(c.country for c in self.cells))) or "-",
                activities=len({c.activity for c in self.cells}),
                first=years[0] if years else "-",
                last=years[-1] if years else "-",
                secret=words.number(sum(1 for c in self.cells if c.confidential)),
                store=self.store_path,
            )
        )
        return said
