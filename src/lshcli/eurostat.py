"""Eurostat's structural business statistics (SBS) as a source: the datasets lsh reads, the NACE code of an SBI
code, and the dissemination API's answers (JSON-stat 2.0, read by `lshcli.jsonstat`) over lsh's bounded HTTP.

The API is `{host}/eurostat/api/dissemination/statistics/1.0/data/{dataset}?format=JSON&lang=EN&geo=NL&...`, one
repeated parameter per code, filtered on the server to the countries, activities, indicators and years asked for.
`$LSH_EUROSTAT_URL` points lsh at another host (the tests' local server). Eurostat drops codes it does not know
without a word, and answers an empty slice with HTTP 200: lsh names both. It answers refusals (an unknown dataset,
a query that does not fit, one too big) with an error body, which lsh tells in one sentence.

SBI 2008's classes are NACE Rev. 2's classes, so each has a NACE code: its section letter and its digits
(`21.10` is `C2110`). A Dutch subclass (`72.11.2`) has none; it is read as its class, which holds it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from lshcli import jsonstat
from lshcli.errors import ConfigError, FetchError

if TYPE_CHECKING:
    from lshcli.cbs.client import CbsClient
    from lshcli.sbi import Classification

ENV_URL = "LSH_EUROSTAT_URL"
DEFAULT_URL = "https://ec.europa.eu"
API = "/eurostat/api/dissemination/statistics/1.0/data"
PEERS = ("NL", "BE", "DE", "DK", "IE")
"""The countries of the desk study's benchmark."""
BUSINESS_ECONOMY = "B-N_S95_X_K"
"""Eurostat's total of the business economy (industry, construction and market services, without financial
services): what a country's share is a share of."""
ANSWERED = frozenset({200, 400, 404, 413})
"""The statuses whose body Eurostat fills with its answer or its reason."""


@dataclass(frozen=True)
class Indicator:
    """One statistic of a dataset: its code there, the name lsh gives it, and its unit."""

    code: str
    name: str
    unit: str
    """What it counts ('persons', 'enterprises') or its money ('mln euro'): Eurostat's unit is 'number' or
    'million euro'."""

    @property
    def label(self) -> str:
        """What Eurostat's statistic is, in words lsh shows (not CBS's statistic of the same name)."""
        return LABELS[self.name]

    @property
    def convention(self) -> str:
        """Its period convention."""
        return "over the year, enterprises of the market economy (Eurostat structural business statistics)"


LABELS = {
    "enterprises": "enterprises (Eurostat)",
    "persons_employed": "persons employed in enterprises (Eurostat)",
    "employees": "employees in enterprises (Eurostat)",
    "turnover": "net turnover (Eurostat)",
    "value_added": "value added at factor cost (Eurostat)",
}
"""Each statistic lsh reads from Eurostat, named as it is: Eurostat's, not CBS's."""


@dataclass(frozen=True)
class EurostatSpec:
    """A dataset lsh can read: its dimensions, the indicators it gives, its classification and years, and the
    method it follows (the 2021 change of regulation is a break in every series)."""

    id: str
    title: str
    indicator_dimension: str
    indicators: tuple[Indicator, ...]
    first_year: int
    last_year: int | None
    method: str
    sections: frozenset[str] | None = None
    """The NACE sections whose activities it publishes (None: every one)."""
    activity_dimension: str = "nace_r2"
    """The dimension of its activities: nace_r2 for NACE Rev. 2 (a NACE Rev. 2.1 dataset, `_r21`, names it
    nace_r21)."""
    classification: str = "sbi2008"
    """The SBI whose classes are its NACE classes: SBI 2008 is NACE Rev. 2 with a Dutch fifth digit, SBI 2025 is NACE
    Rev. 2.1 with one. A definition is valued only from a dataset of its own classification, never a mix."""

    def publishes(self, activity: str) -> bool:
        """Whether an activity (a NACE code as Eurostat writes it) is of this dataset's part of the economy; the
        business economy's total is in the dataset of every activity only."""
        if self.sections is None:
            return True
        return activity != BUSINESS_ECONOMY and activity[:1].upper() in self.sections

    def indicator(self, name: str) -> Indicator:
        """An indicator by lsh's name for it, or a FetchError naming the ones the dataset gives."""
        for found in self.indicators:
            if found.name == name:
                return found
        known = ", ".join(i.name for i in self.indicators)
        raise FetchError(
            "Eurostat's {dataset} gives no {name}; it gives {known}", dataset=self.id, name=name, known=known
        )


_SERVICES_NOTE = "2008-2020: Structural business statistics regulation; market services"
DATASETS: dict[str, EurostatSpec] = {
    spec.id: spec
    for spec in (
        EurostatSpec(
            "sbs_ovw_act",
            "Enterprise statistics by detailed NACE Rev. 2 activity (from 2021 onwards)",
            "indic_sbs",
            (
                Indicator("ENT_NR", "enterprises", "enterprises"),
                Indicator("EMP_NR", "persons_employed", "persons"),
                Indicator("SAL_NR", "employees", "persons"),
                Indicator("NETTUR_MEUR", "turnover", "mln euro"),
                Indicator("AV_MEUR", "value_added", "mln euro"),
            ),
            2021,
            None,
            "from 2021: European business statistics regulation",
        ),
        *(
            EurostatSpec(
                dataset,
                title,
                "indic_sb",
                (
                    Indicator("V11110", "enterprises", "enterprises"),
                    Indicator("V16110", "persons_employed", "persons"),
                    Indicator("V16130", "employees", "persons"),
                    Indicator("V12110", "turnover", "mln euro"),
                    Indicator("V12150", "value_added", "mln euro"),
                ),
                2008,
                2020,
                note,
                frozenset(sections),
            )
            for dataset, title, note, sections in (
                (
                    "sbs_na_ind_r2",
                    "Annual detailed enterprise statistics for industry (NACE Rev. 2, B-E)",
                    "2008-2020: Structural business statistics regulation; industry",
                    "BCDE",
                ),
                (
                    "sbs_na_dt_r2",
                    "Annual detailed enterprise statistics for trade (NACE Rev. 2 G)",
                    "2008-2020: Structural business statistics regulation; trade",
                    "G",
                ),
                (
                    "sbs_na_1a_se_r2",
                    "Annual detailed enterprise statistics for services (NACE Rev. 2 H-N and S95)",
                    _SERVICES_NOTE,
                    "HIJLMNS",
                ),
            )
        ),
    )
}
"""Eurostat's SBS datasets: `sbs_ovw_act` for every activity from 2021; before, one dataset per part of the
economy, whose indicator dimension is `indic_sb`. The codes of `sbs_ovw_act` not seen in a recorded answer
(`EMP_NR`) are checked in each answer: an indicator the dataset does not know comes back as a dimension of size 0,
which lsh names."""


SERIES = "sbs"
"""lsh's name for Eurostat's SBS as one series: `sbs_ovw_act` from 2021, and before it the dataset of each
activity's part of the economy."""
BREAK_YEAR = 2021
"""The first year of the European business statistics regulation: a break in every SBS series."""


def datasets_for(year: int, activities: Sequence[str]) -> dict[str, list[str]]:
    """The datasets that publish some activities in a year, each with the activities it holds: `sbs_ovw_act` from
    2021, and before it the dataset of each activity's part of the economy (which has no business-economy total,
    and none for an activity outside industry, trade and services)."""
    found: dict[str, list[str]] = {}
    for spec in DATASETS.values():
        if spec.first_year <= year and (spec.last_year is None or year <= spec.last_year):
            held = [a for a in activities if spec.publishes(a)]
            if held:
                found[spec.id] = held
    return found


def series_plan(
    name: str, activities: Sequence[str], since: int | None, until: int | None
) -> list[tuple[EurostatSpec, list[str], int | None, int | None]]:
    """The requests a fetch of a dataset (or of the series `sbs`) makes for some activities and years: each
    dataset with the activities it publishes and the years asked of it (None: all it holds). A dataset that
    publishes none of the activities, or none of the years, is a usage error."""
    specs = list(DATASETS.values()) if name == SERIES else [DATASETS[name]]
    plan: list[tuple[EurostatSpec, list[str], int | None, int | None]] = []
    for spec in specs:
        held = [a for a in activities if spec.publishes(a)]
        if since is None and until is None:
            if held:
                plan.append((spec, held, None, None))
            continue
        first = spec.first_year if since is None else max(since, spec.first_year)
        last = min(y for y in (until, spec.last_year) if y is not None) if until or spec.last_year else None
        if held and (last is None or first <= last):
            plan.append((spec, held, first, last))
    if not plan:
        spec = specs[0]
        raise ConfigError(
            "Eurostat's {dataset} publishes {sections} in {first} to {last}: none of the codes and years asked for",
            dataset=spec.id,
            sections=", ".join(sorted(spec.sections or ())),
            first=spec.first_year,
            last=spec.last_year or "-",
        )
    return plan


def nace_code(sbi: Classification, code: str) -> str:
    """The NACE Rev. 2 code of an SBI 2008 code as Eurostat writes it: 'C2110' for 21.10, 'C21' for 21, 'C' for C;
    a Dutch subclass ('72.11.2') has none and is read as its class ('M7211'), which holds it."""
    entry = sbi.entries[sbi.parse(code)]
    if entry.level == "subclass":
        entry = sbi.entries[sbi.ancestors(entry.code)[0]]
    if entry.level == "section":
        return entry.code
    section = sbi.ancestors(entry.code)[-1]
    return f"{section}{entry.code.replace('.', '')}"


@dataclass(frozen=True)
class Answer:
    """A dataset's answer: its cells, and the codes Eurostat dropped because it does not know them."""

    dataset: jsonstat.Dataset
    unknown: dict[str, tuple[str, ...]]
    """Per dimension, the codes asked for that the answer does not hold."""
    url: str
    """The request that gave it."""

    def cells(self) -> Iterator[jsonstat.Cell]:
        return self.dataset.cells()


class EurostatClient:
    """Eurostat's dissemination API over lsh's bounded HTTP: one host, a deadline, a size cap, retries."""

    def __init__(
        self,
        url: str | None = None,
        *,
        offline: bool | None = None,
        timeout: float | None = None,
        retries: int | None = None,
    ) -> None:
        from lshcli.cbs.client import CbsClient

        self.http: CbsClient = CbsClient(
            url or os.environ.get(ENV_URL) or DEFAULT_URL, offline=offline, timeout=timeout, retries=retries
        )

    def url_for(
        self,
        dataset: str,
        filters: Sequence[tuple[str, Sequence[str]]],
        since: int | None = None,
        until: int | None = None,
        last: int | None = None,
    ) -> str:
        """The request for a slice: one parameter per code, and the years as a range (or the `last` few the
        dataset holds)."""
        query = [("format", "JSON"), ("lang", "EN")]
        query += [(dimension, code) for dimension, codes in filters for code in codes]
        query += [("sinceTimePeriod", str(since))] if since is not None else []
        query += [("untilTimePeriod", str(until))] if until is not None else []
        query += [("lastTimePeriod", str(last))] if last is not None else []
        text = "&".join(f"{quote(k)}={quote(v, safe='-_')}" for k, v in query)
        return f"{self.http.endpoint}{API}/{quote(dataset)}?{text}"

    def fetch(
        self,
        dataset: str,
        filters: Sequence[tuple[str, Sequence[str]]],
        since: int | None = None,
        until: int | None = None,
        last: int | None = None,
    ) -> Answer:
        """A slice of a dataset, filtered on the server; a FetchError names a refusal, an outage, a body that is no
        dataset, or a slice in which Eurostat knew none of the codes of a dimension."""
        what = f"{dataset} from {self.http.endpoint}"
        url = self.url_for(dataset, filters, since, until, last)
        _, body = self.http.answer(url, what, ANSWERED)
        data = jsonstat.read(body, what)
        unknown = {}
        for dimension, codes in filters:
            held = {c.upper() for c in data.codes.get(dimension, ())}
            missing = tuple(c for c in codes if c.upper() not in held)
            if missing:
                unknown[dimension] = missing
        for dimension in data.sized_zero():
            asked = dict(filters).get(dimension)
            if dimension == "time":
                raise FetchError(
                    "Eurostat's {dataset} has no figures for {since} to {until}: the years lie outside what it covers",
                    dataset=dataset,
                    since=since if since is not None else "-",
                    until=until if until is not None else "-",
                )
            raise FetchError(
                "Eurostat's {dataset} knows none of the {dimension} codes asked for ({codes})",
                dataset=dataset,
                dimension=dimension,
                codes=", ".join(asked or ()),
            )
        return Answer(data, unknown, url)
