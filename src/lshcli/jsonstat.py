"""Eurostat's JSON-stat 2.0 answers, read into cells that keep every flag: the reader a Eurostat source builds on.

A dataset names its dimensions (`id`, in the structure's order, `time` last) with their sizes, and each
dimension's codes with their positions (`category.index`: never the order the request named them in). The
values are sparse: a flat, row-major position (the last dimension fastest) as a string, and a cell without data
is absent, not null. `status` holds the flags of a cell, with or without a value: observation flags (`p`
provisional, `e` estimated, `b` break in series, `u` low reliability, `d` definition differs, ...) and, after a
`|`, the confidentiality status (`C` confidential, `N` and `P` not published). A confidential cell has no value and
is never a zero. Before 27 January 2025 confidentiality was a lower-case `c` among the flags.

Eurostat's errors come as `{"error": [{"status", "id", "label"}]}`, a request too big to answer at once as a
`warning`, and an outage as an HTML page; each is one sentence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lshcli.errors import FetchError

FLAGS = {
    "b": "break in time series",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "imputed",
    "m": "cannot exist",
    "n": "not significant",
    "p": "provisional",
    "u": "low reliability",
}
"""Eurostat's observation flags (OBS_FLAG), letter by letter: a cell's flag is some of them together ('bep')."""
CONFIDENTIAL = {"C": "confidential", "N": "not published", "P": "not published"}
"""Eurostat's confidentiality status (CONF_STATUS): a cell with one has no value lsh may read."""


@dataclass(frozen=True)
class Cell:
    """One cell of a dataset: its code on every dimension (time included), its value (None where there is none),
    its observation flags, and its confidentiality status (None for a published cell)."""

    coordinates: tuple[tuple[str, str], ...]
    value: float | None
    flags: tuple[str, ...] = ()
    confidential: str | None = None

    def code(self, dimension: str) -> str:
        """The cell's code on one dimension."""
        return dict(self.coordinates)[dimension]

    @property
    def provisional(self) -> bool:
        return "p" in self.flags


@dataclass(frozen=True)
class Dataset:
    """A JSON-stat dataset: its title, update time, dimensions with their codes in position order, and cells."""

    label: str
    updated: str
    ids: tuple[str, ...]
    codes: dict[str, tuple[str, ...]]
    """Each dimension's codes, in the order of their positions."""
    titles: dict[str, dict[str, str]]
    values: dict[int, float]
    statuses: dict[int, str]

    @property
    def empty(self) -> bool:
        """True when no cell has a value or a status: nothing answered (a code unknown, or a period outside
        coverage, makes a dimension of size 0)."""
        return not self.values and not self.statuses

    def sized_zero(self) -> list[str]:
        """The dimensions of size 0: every code asked for was unknown there (or, for time, outside coverage)."""
        return [d for d in self.ids if not self.codes[d]]

    def cells(self) -> Iterator[Cell]:
        """Every cell with a value or a status, in position order (an all-confidential slice is not empty)."""
        for position in sorted(set(self.values) | set(self.statuses)):
            yield self._cell(position)

    def _cell(self, position: int) -> Cell:
        coordinates: list[tuple[str, str]] = []
        rest = position
        for dimension in reversed(self.ids):  # the last dimension varies fastest
            codes = self.codes[dimension]
            rest, at = divmod(rest, len(codes))
            coordinates.append((dimension, codes[at]))
        flags, confidential = split_status(self.statuses.get(position, ""))
        value = None if confidential else self.values.get(position)
        return Cell(tuple(reversed(coordinates)), value, flags, confidential)


def split_status(status: str) -> tuple[tuple[str, ...], str | None]:
    """A cell's status as its observation flags and its confidentiality: '|C' -> ((), 'C'), 'p|C' -> (('p',),
    'C'), 'bep' -> (('b', 'e', 'p'), None); the legacy lower-case 'c' is confidential too."""
    flags_text, _, conf = status.partition("|")
    confidential = conf.strip().upper() or None
    flags = []
    for letter in flags_text.strip():
        if letter == "c":  # before 27 January 2025, confidentiality was a flag
            confidential = confidential or "C"
        elif letter in FLAGS:
            flags.append(letter)
        else:
            raise ValueError(f"an unknown flag {letter!r}")
    if confidential is not None and confidential not in CONFIDENTIAL:
        raise ValueError(f"an unknown confidentiality status {confidential!r}")
    return tuple(flags), confidential


def read(body: bytes | str | Mapping[str, Any], what: str = "the answer") -> Dataset:
    """A JSON-stat 2.0 dataset from Eurostat's answer, or a FetchError that says what came instead (an error, an
    asynchronous answer, a web page, or a body that is no consistent dataset)."""
    data = _json(body, what)
    if "error" in data:
        raise FetchError(_error(data["error"], what))
    if "warning" in data:
        warning = data["warning"] if isinstance(data["warning"], Mapping) else {}
        label = str(warning.get("label") or "")
        if "ASYNCHRONOUS" in label.upper():
            raise FetchError(
                (
                    "Eurostat would answer {what} only later (it is too big to answer at once): ask for fewer "
                    "codes, countries or years"
                ),
                what=what,
            )
        raise FetchError("Eurostat sent a warning instead of {what}: {value}", what=what, value=label or warning)
    try:
        return _dataset(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise FetchError("Eurostat sent {what} that is no JSON-stat dataset ({exc})", what=what, exc=exc) from None


def _json(body: bytes | str | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if text.lstrip().startswith("<"):
        raise FetchError(
            "Eurostat sent a web page instead of {what} (an outage or overload): try again later", what=what
        )
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise FetchError("Eurostat sent {what} that is not valid JSON", what=what) from None
    if not isinstance(data, Mapping):
        raise FetchError("Eurostat sent {what} that is JSON but no dataset", what=what)
    return data


def _no_constant(name: str) -> float:
    raise ValueError(f"the number {name} is no finite number")


def _error(raw: Any, what: str) -> str:
    """Eurostat's error as one sentence: what it means, and its own label."""
    first = raw[0] if isinstance(raw, list) and raw else raw if isinstance(raw, Mapping) else {}
    status = first.get("status") if isinstance(first, Mapping) else None
    label = str(first.get("label") if isinstance(first, Mapping) else "") or "no reason given"
    meaning = {
        404: "the dataset is not available (check its code)",
        413: "the request is too big: ask for fewer codes, countries or years",
        400: "the request does not fit the dataset's structure",
    }.get(status if isinstance(status, int) else 0, "it refused the request")
    return f"Eurostat refused {what} (HTTP {status}): {meaning}; it says {label!r}"


def _dataset(data: Mapping[str, Any]) -> Dataset:
    ids = tuple(str(i) for i in data["id"])
    sizes = tuple(int(s) for s in data["size"])
    if len(ids) != len(sizes):
        raise ValueError("its id and size lists differ in length")
    codes: dict[str, tuple[str, ...]] = {}
    titles: dict[str, dict[str, str]] = {}
    for dimension, size in zip(ids, sizes, strict=True):
        category = data["dimension"][dimension]["category"]
        index = category.get("index") or {}
        if isinstance(index, list):  # JSON-stat allows a list where the positions are the list's order
            index = {code: position for position, code in enumerate(index)}
        positions = sorted(index.items(), key=lambda item: int(item[1]))
        if [int(p) for _, p in positions] != list(range(size)):
            raise ValueError(f"the positions of {dimension} are not 0 to {size - 1}")
        codes[dimension] = tuple(str(code) for code, _ in positions)
        titles[dimension] = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
    cells = math.prod(sizes)
    values: dict[int, float] = {}
    for key, value in (data.get("value") or {}).items():
        position = _position(key, cells)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"the value at {key} is no finite number")
        values[position] = float(value)
    statuses: dict[int, str] = {}
    for key, status in (data.get("status") or {}).items():
        split_status(str(status))  # an unknown flag is refused here, not read as something else later
        statuses[_position(key, cells)] = str(status)
    return Dataset(str(data.get("label") or ""), str(data.get("updated") or ""), ids, codes, titles, values, statuses)


def _position(key: Any, cells: int) -> int:
    position = int(key)
    if not 0 <= position < cells:
        raise ValueError(f"the position {key} lies outside the {cells} cells its sizes allow")
    return position
