"""The CBS tables lsh can fetch: one YAML spec per table, naming its dimensions, measures and depth.

A spec picks topics and dimension categories by title or key stem, as CBS lists them in
`DataProperties` and the dimension sets, never by a column's position or numeric suffix. Specs are
data: the bundled ones live in `data/tables/`, and a user adds or corrects one in
`~/.config/lsh/tables/` or a folder named by $LSH_TABLES, without touching the code.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from lshcli import _yaml, packaged
from lshcli.errors import LshError, TableSpecError
from lshcli.measures import get_measure
from lshcli.sbi import CLASSIFICATIONS, DEFAULT
from lshcli.source import Category, Topic

ENV_TABLES = "LSH_TABLES"
PERIOD_TYPES = ("quarterly", "yearly", "monthly")
DEPTHS = ("section", "division", "group", "class", "subclass")
SPEC_KEYS = {
    "id",
    "title",
    "classification",
    "first_year",
    "last_year",
    "sbi_dimension",
    "period_dimension",
    "sbi_depth",
    "periods",
    "period_basis",
    "period_basis_nl",
    "dimensions",
    "measures",
    "values",
}
_SUFFIX = re.compile(r"_\d+$")


def _plain(text: str) -> str:
    """Title text compared the way people read it: case, spacing and trailing blanks ignored."""
    return " ".join(str(text).split()).casefold()


Named = TypeVar("Named", Topic, Category)
"""What a spec picks from: a topic of the table, or a category of one of its dimensions (lshcli.source)."""


def key_stem(key: str) -> str:
    """A CBS key without its numeric suffix ('BanenVanWerknemersInDecember_1' -> 'BanenVanWerknemersInDecember')."""
    return _SUFFIX.sub("", key.strip())


@dataclass(frozen=True)
class Choice:
    """How a spec picks one row (a topic, or a category of a dimension): by title, else by key stem."""

    titles: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    unit: str | None = None  # for a topic: the unit CBS must give it in (checked on every fetch)
    scale: float = 1.0  # for a topic: the factor from CBS's unit to lsh's unit of the measure

    def pick(self, found: Iterable[Named]) -> Named | None:
        """The first topic or category whose title, then whose key stem, matches one of the candidates in order."""
        candidates = list(found)
        for title in self.titles:
            for item in candidates:
                if _plain(item.title) == _plain(title):
                    return item
        for key in self.keys:
            for item in candidates:
                if key_stem(item.key).casefold() == key.casefold():
                    return item
        return None

    def describe(self) -> str:
        """The candidates in words, for messages."""
        parts = [f"title {t!r}" for t in self.titles] + [f"key {k!r}" for k in self.keys]
        return " or ".join(parts)


@dataclass(frozen=True)
class TableSpec:
    """What lsh knows of one CBS table before asking CBS: which measure each topic gives, and how deep it goes."""

    id: str
    title: str
    sbi_dimension: str
    period_dimension: str
    sbi_depth: str
    periods: str
    period_basis: str
    dimensions: dict[str, Choice]
    measures: dict[str, Choice]
    path: Path
    classification: str = "sbi2008"
    """The classification of the table's SBI dimension: its figures answer only for definitions of that one."""
    first_year: int | None = None
    """The first year the table publishes (None where the spec does not say)."""
    last_year: int | None = None
    """The last year a table that stopped publishes (None: it goes on)."""
    period_basis_nl: str = ""
    """`period_basis` in Dutch, for Dutch output ('' where the spec gives none: the English is shown)."""
    typed_values: bool = False
    """Read the figures from TypedDataSet (and only the symbols of empty cells from UntypedDataSet): for a table
    whose cells hold more decimals than its DataProperties say, which the untyped strings are cut to."""

    def period_basis_in(self, lang: str) -> str:
        """The period basis in a language: 'nl' for the Dutch one where the spec gives it, else the English."""
        return (self.period_basis_nl if lang == "nl" else "") or self.period_basis

    def describe_measures(self) -> str:
        """The measures as a short list: 'firms' or 'employee_jobs'."""
        return ", ".join(self.measures)


def _choice(raw: Any, where: str) -> Choice:
    if isinstance(raw, str):
        return Choice(titles=(raw,))
    if not isinstance(raw, dict) or not (raw.get("title") or raw.get("key")):
        raise TableSpecError("{where}: give a 'title' or a 'key' (a text or a list of texts)", where=where)
    unknown = set(raw) - {"title", "key", "unit", "scale"}
    if unknown:
        raise TableSpecError(
            "{where}: unknown keys {unknown}; use title, key, unit and scale",
            where=where,
            unknown=", ".join(sorted(unknown)),
        )
    try:
        scale = float(raw.get("scale", 1.0))
    except (TypeError, ValueError):
        raise TableSpecError("{where}: scale must be a number", where=where) from None
    if not math.isfinite(scale) or scale <= 0:
        raise TableSpecError("{where}: scale must be a positive number", where=where)

    def texts(value: Any) -> tuple[str, ...]:
        values = value if isinstance(value, list) else [value] if value is not None else []
        return tuple(str(v) for v in values)

    unit = " ".join(str(raw["unit"]).split()) if raw.get("unit") is not None else None
    return Choice(titles=texts(raw.get("title")), keys=texts(raw.get("key")), unit=unit, scale=scale)


def load_spec(path: Path) -> TableSpec:
    """Read and check one table spec file."""
    data = _yaml.load_mapping(path, "table spec", TableSpecError)
    unknown = set(data) - SPEC_KEYS
    if unknown:
        allowed = ", ".join(sorted(SPEC_KEYS))
        raise TableSpecError(
            "{path}: unknown keys {unknown}; allowed: {allowed}",
            path=path,
            unknown=", ".join(sorted(unknown)),
            allowed=allowed,
        )
    required = ("id", "sbi_dimension", "period_dimension", "sbi_depth", "periods", "measures")
    missing = [k for k in required if k not in data]
    if missing:
        raise TableSpecError("{path}: missing {missing}", path=path, missing=", ".join(missing))
    if data["periods"] not in PERIOD_TYPES:
        raise TableSpecError(
            "{path}: periods must be one of {PERIOD_TYPES}, not {periods!r}",
            path=path,
            PERIOD_TYPES=", ".join(PERIOD_TYPES),
            periods=data["periods"],
        )
    if data["sbi_depth"] not in DEPTHS:
        raise TableSpecError(
            "{path}: sbi_depth must be one of {DEPTHS}, not {sbi_depth!r}",
            path=path,
            DEPTHS=", ".join(DEPTHS),
            sbi_depth=data["sbi_depth"],
        )
    raw_measures = data["measures"]
    if not isinstance(raw_measures, dict) or not raw_measures:
        raise TableSpecError("{path}: measures must map measure names to the topic that gives each", path=path)
    measures: dict[str, Choice] = {}
    for name, raw in raw_measures.items():
        try:
            measure = get_measure(str(name))
        except LshError as exc:
            raise TableSpecError("{path}: {exc}", path=path, exc=exc) from None
        measures[measure.name] = _choice(raw, f"{path}: measure {name}")
    raw_dims = data.get("dimensions") or {}
    if not isinstance(raw_dims, dict):
        raise TableSpecError("{path}: dimensions must map each other dimension to the category lsh reads", path=path)
    dimensions = {str(k): _choice(v, f"{path}: dimension {k}") for k, v in raw_dims.items()}
    named = str(data.get("classification") or "").strip()
    if named and named not in CLASSIFICATIONS:
        raise TableSpecError(
            "{path}: unknown classification {named!r}; lsh knows {CLASSIFICATIONS}",
            path=path,
            named=named,
            CLASSIFICATIONS=", ".join(CLASSIFICATIONS),
        )
    dimension = str(data["sbi_dimension"])
    inferred = next((name for name in CLASSIFICATIONS if dimension.lower().endswith(name)), None)
    if named and inferred and named != inferred:  # a total must never mix the two classifications
        raise TableSpecError(
            (
                "{path}: classification {named} contradicts the table's SBI dimension {dimension}, which "
                "is {CLASSIFICATIONS}"
            ),
            path=path,
            named=named,
            dimension=dimension,
            CLASSIFICATIONS=CLASSIFICATIONS[inferred][0],
        )
    if not named and not inferred:
        raise TableSpecError(
            (
                "{path}: say which classification the table's SBI dimension {dimension} is in "
                "(classification: {CLASSIFICATIONS}); lsh does not guess"
            ),
            path=path,
            dimension=dimension,
            CLASSIFICATIONS=" or ".join(CLASSIFICATIONS),
        )
    classification = named or inferred or DEFAULT
    years: dict[str, int | None] = {}
    for key in ("first_year", "last_year"):
        raw = data.get(key)
        if raw is not None and not str(raw).strip().isdigit():
            raise TableSpecError("{path}: {key} must be a year, not {raw!r}", path=path, key=key, raw=raw)
        years[key] = int(str(raw).strip()) if raw is not None else None
    return TableSpec(
        id=str(data["id"]).strip(),
        title=str(data.get("title") or data["id"]).strip(),
        sbi_dimension=str(data["sbi_dimension"]),
        period_dimension=str(data["period_dimension"]),
        sbi_depth=str(data["sbi_depth"]),
        periods=str(data["periods"]),
        period_basis=str(data.get("period_basis") or ""),
        dimensions=dimensions,
        measures=measures,
        path=path,
        classification=classification,
        first_year=years["first_year"],
        last_year=years["last_year"],
        period_basis_nl=str(data.get("period_basis_nl") or ""),
        typed_values=_values(data.get("values"), path),
    )


def _values(raw: Any, path: Path) -> bool:
    """`values: typed` (figures from TypedDataSet) or `values: untyped` (the default)."""
    text = str(raw or "untyped").strip().lower()
    if text not in ("typed", "untyped"):
        raise TableSpecError("{path}: values must be typed or untyped, not {raw!r}", path=path, raw=raw)
    return text == "typed"


def _bundled_dir() -> Path:
    return packaged.path("data/tables")


def spec_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """Where table specs are looked up, lowest priority first: bundled, user config, $LSH_TABLES, options."""
    from platformdirs import user_config_dir

    dirs = [_bundled_dir(), Path(user_config_dir("lsh")) / "tables"]
    dirs += [Path(p) for p in os.environ.get(ENV_TABLES, "").split(os.pathsep) if p.strip()]
    dirs += list(extra)
    return dirs


class TableRegistry:
    """The table specs found in the search folders; a later folder's spec replaces an earlier one."""

    def __init__(self, dirs: Sequence[Path] | None = None) -> None:
        self.specs: dict[str, TableSpec] = {}
        for folder in dirs if dirs is not None else spec_dirs():
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yaml")):
                if not path.is_file():
                    continue
                spec = load_spec(path)
                self.specs[spec.id.upper()] = spec

    def all(self) -> list[TableSpec]:
        """Every spec, by table id."""
        return [self.specs[k] for k in sorted(self.specs)]

    def get(self, table_id: str) -> TableSpec:
        """The spec of `table_id` (any case), or a sentence that says what lsh supports."""
        spec = self.specs.get(table_id.strip().upper())
        if spec is None:
            known = ", ".join(s.id for s in self.all())
            raise TableSpecError(
                (
                    "lsh has no spec for table {table_id!r}; it can fetch {known} (see 'lsh tables'). To fetch "
                    "another table, add a spec file to a folder in ${ENV_TABLES} or ~/.config/lsh/tables"
                ),
                table_id=table_id.strip(),
                known=known,
                ENV_TABLES=ENV_TABLES,
            )
        return spec

    def for_measure(self, measure: str, classification: str = DEFAULT) -> TableSpec:
        """The table that serves a measure in a classification (the newest, highest id, where several do; a table
        to the finest depth before a coarser one)."""
        name = get_measure(measure).name
        serving = [s for s in self.all() if name in s.measures and s.classification == classification]
        if serving:
            return max(serving, key=lambda s: (DEPTHS.index(s.sbi_depth), s.id))
        served = sorted({m for s in self.all() for m in s.measures if s.classification == classification})
        raise TableSpecError(
            "no CBS table spec gives {name!r} in {classification}; lsh can fetch {value} in it",
            name=name,
            classification=classification,
            value=", ".join(served) or "nothing",
        )
