"""SBI classifications as values: SBI 2008 and SBI 2025, each with its codes, hierarchy, titles and notations.

A classification is loaded by name (`load("sbi2025")`) and passed to whatever needs codes; nothing
looks one up behind the caller's back. Both are written the same way: a section letter (N), a
division (21), a group (21.1), a class (21.10) and a five-digit Dutch subclass (72.11.2, or in SBI
2025, where NACE has no Dutch split, 21.10.0), with or without dots (21100).
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import re
from collections.abc import Iterable
from functools import cache

from msgspec import Struct

from lshcli import packaged
from lshcli.errors import LshError, UnknownCodeError

LEVELS = ("section", "division", "group", "class", "subclass")
_DOTTED = re.compile(r"^\d{2}(\.\d(\d(\.\d)?)?)?$")
_DIGITS = re.compile(r"^\d{2,5}$")
_PREFIX = re.compile(r"^(sbi|nace)\s*(2008|2025|rev\.?\s*2(\.1)?)?\s*", re.IGNORECASE)


class SbiEntry(Struct, frozen=True):
    """One code of a classification with its level, parent and titles."""

    code: str
    level: str
    parent: str | None
    section: str
    title_nl: str
    title_en: str

    @property
    def title(self) -> str:
        """The title in lsh's output language, English (every bundled code has both; `title_nl` is CBS's own)."""
        return self.title_en or self.title_nl or "(no title bundled)"

    def title_in(self, lang: str) -> str:
        """The title in a language: 'nl' for CBS's Dutch title, anything else for the English."""
        return (self.title_nl if lang == "nl" else self.title_en) or self.title

    @property
    def digits(self) -> str:
        """The code without dots, as registers and CBS dimension titles write it (21.10.0 -> 21100)."""
        return digits_of(self.code)


def normalise(text: str) -> str:
    """Write any common notation of an SBI code in its dotted form (2110 -> 21.10, c -> C).

    Raises UnknownCodeError for text that is no SBI notation at all; the result is not yet checked
    against the code list (see `Classification.parse`).
    """
    raw = str(text).strip()
    cleaned = _PREFIX.sub("", raw).replace(" ", "")
    if len(cleaned) == 1 and cleaned.isalpha():
        return cleaned.upper()
    if _DOTTED.match(cleaned):
        return cleaned
    if _DIGITS.match(cleaned):
        if len(cleaned) == 2:
            return cleaned
        if len(cleaned) == 3:
            return f"{cleaned[:2]}.{cleaned[2]}"
        if len(cleaned) == 4:
            return f"{cleaned[:2]}.{cleaned[2:]}"
        return f"{cleaned[:2]}.{cleaned[2:4]}.{cleaned[4]}"
    raise UnknownCodeError(raw, [])


ECONOMY = "A-U"
"""The label CBS gives its total of every section ('A-U Alle economische activiteiten'). lsh stores the whole
economy's figures under it, outside the code hierarchy: no definition's value is ever read from it, and a
definition's share of the economy is."""


def level_of(code: str) -> str:
    """The level of a dotted code: section, division, group, class or subclass."""
    if code.isalpha():
        return "section"
    return {2: "division", 4: "group", 5: "class", 7: "subclass"}[len(code)]


def digits_of(code: str) -> str:
    """The code without dots, as it stands at the start of CBS dimension titles (21.10 -> 2110)."""
    return code.replace(".", "")


class Classification:
    """One classification's code list with its hierarchy: `name` ('sbi2008') and `label` ('SBI 2008')."""

    def __init__(self, entries: Iterable[SbiEntry], name: str = "sbi2008", label: str = "SBI 2008") -> None:
        self.name = name
        self.label = label
        self.entries: dict[str, SbiEntry] = {e.code: e for e in entries}
        self._leaves: dict[str, frozenset[str]] = {}
        self._sets: dict[tuple[str, ...], frozenset[str]] = {}
        self.children: dict[str, list[str]] = {code: [] for code in self.entries}
        for code, entry in self.entries.items():
            if entry.parent is not None and entry.parent in self.children:
                self.children[entry.parent].append(code)

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __repr__(self) -> str:
        return f"Classification({self.name!r}, {len(self.entries)} codes)"

    def parent(self, code: str) -> str | None:
        """The code one level up (72.11.2 -> 72.11 -> 72.1 -> 72 -> M), None for a section."""
        entry = self.entries.get(code)
        if entry is not None:
            return entry.parent
        level = level_of(code)
        if level in ("section", "division"):
            return None
        return {"group": code[:2], "class": code[:4], "subclass": code[:5]}[level]

    def ancestors(self, code: str) -> list[str]:
        """All codes above `code`, nearest first."""
        found = []
        parent = self.parent(code)
        while parent is not None:
            found.append(parent)
            parent = self.parent(parent)
        return found

    def contains(self, outer: str, inner: str) -> bool:
        """Whether `inner` lies inside `outer` (46.46.1 inside 46.46), or is `outer` itself."""
        return inner == outer or outer in self.ancestors(inner)

    def descendants(self, code: str) -> list[str]:
        """Every code under `code`, in order of the code list."""
        found: list[str] = []
        for child in self.children.get(code, []):
            found.append(child)
            found.extend(self.descendants(child))
        return found

    def notations(self, code: str) -> dict[str, str]:
        """Every common way to write a code: dotted, digits, and the class, group, division and section holding it."""
        entry = self.entries[code]
        found = {"code": code, "digits": entry.digits}
        for above in [code, *self.ancestors(code)]:
            found.setdefault(level_of(above), above)
        return found

    def leaves(self, code: str) -> frozenset[str]:
        """The finest codes under `code` (itself if it has none): the units lsh counts firms in."""
        found = self._leaves.get(code)
        if found is None:
            below = self.children.get(code, [])
            found = self.leaves_of(below) if below else frozenset({code})
            self._leaves[code] = found
        return found

    def touching(self, labels: Iterable[str], leaves: frozenset[str]) -> list[str]:
        """The stored code sets ('26', '26.60+32.50') that share a finest code with `leaves`: a question's
        own figures, and the wider ones that say why a code has none of its own."""
        return [label for label in labels if not self.leaves_of(label.split("+")).isdisjoint(leaves)]

    def leaves_of(self, codes: Iterable[str]) -> frozenset[str]:
        """The finest codes under any of `codes`: a parent and its child count once. Each set of codes is worked out
        once (a count of a large definition asks it of a quarter of a million figures), and is the same set each
        time it is asked."""
        key = codes if isinstance(codes, tuple) else tuple(codes)
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = frozenset().union(*(self.leaves(code) for code in key))
        return found

    def parse(self, text: str) -> str:
        """Normalise `text` and check it is a real code of this classification.

        An unknown code says whether the other bundled classification has it ('72.10.0 is an SBI 2025 code').
        """
        try:
            code = normalise(text)
        except UnknownCodeError:
            raise UnknownCodeError(str(text).strip(), self.suggest(str(text)), self.label) from None
        if code not in self.entries:
            elsewhere = next((load(n).label for n in CLASSIFICATIONS if n != self.name and code in load(n)), None)
            raise UnknownCodeError(str(text).strip(), self.suggest(code), self.label, elsewhere, code)
        return code

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """The real codes nearest to an unknown one: a letter for a digit (21.1O), two digits swapped (26.06), its
        nearest existing parent's children, then look-alikes."""
        typed = str(text).strip().translate(str.maketrans("OoIl", "0011"))
        try:
            code = normalise(typed)
        except UnknownCodeError:
            code = re.sub(r"[^0-9.]", "", typed)
        found: list[str] = [code] if code in self.entries and code != str(text).strip() else []
        digits = digits_of(code)
        for i in range(len(digits) - 1):  # two neighbouring digits swapped
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            with contextlib.suppress(UnknownCodeError):
                if swapped != digits and (candidate := normalise(swapped)) in self.entries:
                    found.append(candidate)
        if code and code[0].isdigit():
            level = level_of(code) if len(code) in (2, 4, 5, 7) else "class"
            for length in (5, 4, 2):
                if len(code) > length and code[:length] in self.entries:
                    below = [code[:length], *self.descendants(code[:length])]
                    found.extend(c for c in below if level_of(c) == level)
                    break
        digits = digits_of(code)
        by_digits = {digits_of(c): c for c in self.entries if not c.isalpha()}
        found.extend(by_digits[d] for d in difflib.get_close_matches(digits, list(by_digits), n=limit, cutoff=0.6))
        unique = list(dict.fromkeys(found))
        return unique[:limit]

    def search(self, words: str) -> list[SbiEntry]:
        """Codes whose Dutch or English title (or code) holds every word, coarsest levels first."""
        needles = [w.casefold() for w in words.split() if w.strip()]
        hits = [
            entry
            for entry in self.entries.values()
            if needles and all(n in f"{entry.code} {entry.title_nl} {entry.title_en}".casefold() for n in needles)
        ]
        return sorted(hits, key=lambda e: (LEVELS.index(e.level), e.code))

    def compress(self, leaves: frozenset[str], preferred: Iterable[str] = ()) -> list[str]:
        """Name a set of leaves by as few codes as possible, using only codes from `preferred` above leaf level.

        Leaves not under a preferred code stay as they are. Order follows the code list.
        """
        remaining = set(leaves)
        chosen: list[str] = []
        for code in sorted(set(preferred), key=lambda c: (LEVELS.index(level_of(c)), c)):
            own = self.leaves(code)
            if own <= remaining:
                chosen.append(code)
                remaining -= own
        chosen.extend(remaining)
        return sort_codes(chosen)


def sort_codes(codes: Iterable[str]) -> list[str]:
    """Sort SBI codes in code-list order (sections last among equals)."""
    return sorted(codes, key=lambda c: (c.isalpha(), c))


CLASSIFICATIONS = {"sbi2008": ("SBI 2008", "data/sbi2008.tsv"), "sbi2025": ("SBI 2025", "data/sbi2025.tsv")}
"""The classifications lsh ships, by name, with labels and code lists (made by scripts/build_classifications.py)."""
DEFAULT = "sbi2008"
"""The classification of a definition or table spec that names none: every source before the 2025 break."""


@cache
def load(name: str = DEFAULT) -> Classification:
    """A bundled classification by name (each read once per process); pass it to whatever needs codes."""
    if name not in CLASSIFICATIONS:
        raise LshError(
            "lsh knows no classification {name!r}; it knows {CLASSIFICATIONS}",
            name=name,
            CLASSIFICATIONS=", ".join(CLASSIFICATIONS),
        )
    label, path = CLASSIFICATIONS[name]
    text = packaged.path(path).read_text(encoding="utf-8")
    reader = csv.reader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    at = {column: i for i, column in enumerate(next(reader))}
    code, level, parent, section = at["code"], at["level"], at["parent"], at["section"]
    title_nl, title_en = at["title_nl"], at["title_en"]
    return Classification(
        (SbiEntry(r[code], r[level], r[parent] or None, r[section], r[title_nl], r[title_en]) for r in reader),
        name,
        label,
    )
