"""The concordance between SBI 2008 and SBI 2025: typed links at every level, each with its basis.

The bundled table (`data/sbi2008_sbi2025.tsv`, made by scripts/build_classifications.py from Eurostat's
NACE Rev. 2 <-> Rev. 2.1 correspondence and the Dutch subclasses) is read in either direction. A link
seen from the other side turns `within` into `split` and back; the other kinds read the same both ways.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Sequence
from enum import Enum
from functools import cache

from msgspec import Struct

from lshcli import packaged
from lshcli.errors import LshError
from lshcli.sbi import Classification, sort_codes


class LinkKind(str, Enum):
    """What a link says about the content of the two codes, read from the side asked about."""

    SAME = "same"
    """One to one: the same code (SBI 2025 may add a fifth digit 0) and the same titles."""
    RETITLED = "retitled"
    """One to one, the same code, a title changed (in Dutch or English)."""
    RENUMBERED = "renumbered"
    """One to one under another code."""
    WITHIN = "within"
    """The code lies within a wider one on the other side, which also holds other codes."""
    SPLIT = "split"
    """The code is split over several codes on the other side; this one holds only part of it."""
    SPLIT_SHARED = "split-shared"
    """The code is split, and the part on the other side also takes in other codes."""
    DISPUTED = "disputed"
    """A link only another national table makes; never used to translate."""

    @property
    def exact(self) -> bool:
        """Whether the code passes whole and alone: its figures are the same figures on the other side."""
        return self in (LinkKind.SAME, LinkKind.RETITLED, LinkKind.RENUMBERED)


_MIRROR = {LinkKind.WITHIN: LinkKind.SPLIT, LinkKind.SPLIT: LinkKind.WITHIN}


class Basis(str, Enum):
    """Why lsh links two codes."""

    EUROSTAT = "eurostat"
    """Eurostat's NACE Rev. 2 <-> Rev. 2.1 correspondence links the codes themselves."""
    EUROSTAT_VIA_NACE = "eurostat-via-nace"
    """An SBI class NACE does not have, linked through the NACE classes of its group."""
    SUBCLASS_STRUCTURE = "subclass-structure"
    """A class passed one to one; Dutch subclasses on one side only."""
    SUBCLASS_CODE = "subclass-code"
    """Subclasses of a class passed one to one, matched by their code."""
    CLASS_LINK = "class-link"
    """Finest codes linked through their classes' link, not matched further."""
    TITLE = "title"
    """Placed by the titles where the NACE pairs are too coarse: a NACE class SBI 2008 does not use, in the SBI 2008
    class that took it in (rice in 01.11), or a Dutch subclass of an SBI class NACE lacks, to the new subclass its
    title names (86.92.4 medical laboratories to 86.91.0). A reading of the titles, not a published link."""
    ROMANIA_ONLY = "romania-only"
    """Only the Romanian national table (INS CAEN Rev.2 -> Rev.3) links them; Eurostat does not."""


class Link(Struct, frozen=True):
    """One link, read from the side asked about: `code` in `source`, `other` in `target`."""

    level: str
    code: str
    other: str
    kind: LinkKind
    basis: Basis
    siblings: tuple[str, ...]
    """The other codes of `source` that `other` also holds (for a code within a wider one)."""
    parts: tuple[str, ...]
    """The other codes of `target` that `code` also goes to (for a code that is split)."""


class Concordance:
    """Links between an older and a newer classification, read in either direction."""

    def __init__(self, old: Classification, new: Classification, rows: Sequence[dict[str, str]]) -> None:
        self.old, self.new = old, new
        self._forward: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        self._backward: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            if row["from"] not in old or row["to"] not in new:
                raise LshError("the bundled concordance links codes its classifications lack: {row}", row=row)
            self._forward[(row["level"], row["from"])].append(row)
            self._backward[(row["level"], row["to"])].append(row)

    def side(self, name: str) -> tuple[Classification, Classification]:
        """The classification a code is read in and the other one, by the first's name."""
        if name == self.old.name:
            return self.old, self.new
        if name == self.new.name:
            return self.new, self.old
        raise LshError(
            "the concordance links {label} and {label2}, not {name}",
            label=self.old.label,
            label2=self.new.label,
            name=name,
        )

    def links(self, code: str, source: str) -> list[Link]:
        """Where `code` of classification `source` goes in the other one.

        A finest code is linked to finest codes (72.11.2 to 72.10.0); a wider code to codes of its own
        level (32.50 to the classes 26.60 and 32.50).
        """
        sbi, other = self.side(source)
        if code not in sbi:
            raise LshError("{code} is no {label} code", code=code, label=sbi.label)
        forward = sbi is self.old
        level = "leaf" if not sbi.children.get(code) else sbi.entries[code].level
        table, mirror = (self._forward, self._backward) if forward else (self._backward, self._forward)
        here, there = ("from", "to") if forward else ("to", "from")
        found: list[Link] = []
        for row in table.get((level, code), []):
            kind = LinkKind(row["kind"])
            if not forward:
                kind = _MIRROR.get(kind, kind)
            target = row[there]
            siblings: tuple[str, ...] = ()
            parts: tuple[str, ...] = ()
            if kind is not LinkKind.DISPUTED:
                siblings = tuple(
                    r[here] for r in mirror[(level, target)] if r[here] != code and r["kind"] != "disputed"
                )
                parts = tuple(r[there] for r in table[(level, code)] if r[there] != target and r["kind"] != "disputed")
            found.append(Link(level, code, target, kind, Basis(row["basis"]), siblings, parts))
        order = {c: i for i, c in enumerate(other.entries)}
        return sorted(found, key=lambda x: (x.kind is LinkKind.DISPUTED, order[x.other]))

    def spread(self, codes: Iterable[str], source: str) -> tuple[dict[str, list[Link]], list[tuple[str, str]]]:
        """Where each of some codes goes (the links used to translate), and the disputed links left aside."""
        used: dict[str, list[Link]] = {}
        disputed: list[tuple[str, str]] = []
        for code in sort_codes(codes):
            for link in self.links(code, source):
                if link.kind is LinkKind.DISPUTED:
                    disputed.append((code, link.other))
                else:
                    used.setdefault(code, []).append(link)
        return used, disputed

    def counts(self) -> dict[tuple[str, LinkKind], int]:
        """How many links of each kind the concordance holds at each level, read from the older side."""
        found: dict[tuple[str, LinkKind], int] = defaultdict(int)
        for (level, _), rows in self._forward.items():
            for row in rows:
                found[(level, LinkKind(row["kind"]))] += 1
        return dict(found)


@cache
def _rows() -> tuple[dict[str, str], ...]:
    text = packaged.path("data/sbi2008_sbi2025.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t"))


def load(old: Classification, new: Classification) -> Concordance:
    """The bundled concordance between SBI 2008 (`old`) and SBI 2025 (`new`)."""
    if (old.name, new.name) != ("sbi2008", "sbi2025"):
        raise LshError(
            "lsh has a concordance between SBI 2008 and SBI 2025 only, not {label} -> {label2}",
            label=old.label,
            label2=new.label,
        )
    return Concordance(old, new, _rows())
