"""The options many commands share, with their help and their shell completion."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lshcli.output.formats import OutputFormat
from lshcli.session import definitions


def complete_definitions(incomplete: str) -> list[str]:
    """Shell completion: the ids of the definitions lsh can see."""
    try:
        return [i for i in definitions().ids() if i.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never fail the shell
        return []


def complete_measures(incomplete: str) -> list[str]:
    """Shell completion: measure names and aliases."""
    from lshcli.measures import ALIASES, MEASURES

    return [m for m in [*MEASURES, *ALIASES] if m.startswith(incomplete)]


def complete_tables(incomplete: str) -> list[str]:
    """Shell completion: the CBS tables lsh has specs for, and Eurostat's datasets."""
    try:
        from lshcli.cbs.tables import TableRegistry
        from lshcli.eurostat import DATASETS, SERIES

        known = [*(s.id for s in TableRegistry().all()), SERIES, *DATASETS]
        return [t for t in known if t.lower().startswith(incomplete.lower())]
    except Exception:  # noqa: BLE001 - completion must never fail the shell
        return []


FormatOption = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="table (for people; the default), csv, json, markdown, xlsx or html; -o FILE's suffix picks it too.",
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of standard output (.csv, .json, .md, .xlsx, .html, .txt)."
    ),
]
MeasureOption = Annotated[
    str,
    typer.Option(
        "--measure",
        "-m",
        help="firms, jobs (employee jobs), jobs_total (jobs of employees and self-employed), persons_employed, "
        "persons_employed_na, turnover, output, value_added, firms_250_plus, or a size class such as firms_size_1 "
        "(see 'lsh measures').",
        autocompletion=complete_measures,
    ),
]
EstimateOption = Annotated[
    bool,
    typer.Option(
        "--estimate",
        help="Fill codes the data is too coarse for from the wider published figure, by firms weighted by size "
        "class; estimates are marked in every format.",
    ),
]
QuarterOption = Annotated[
    int | None,
    typer.Option(
        "--quarter",
        "-q",
        min=1,
        max=4,
        help="For quarterly firm counts: the quarter that stands for a year (default 1).",
    ),
]
WideOption = Annotated[bool, typer.Option("--wide", help="Years as columns instead of rows.")]
YearOption = Annotated[
    str | None, typer.Option("--year", "-y", help="One year, or 'latest' (the latest with values for all).")
]
ClassificationOption = Annotated[
    str,
    typer.Option(
        "--classification",
        "-c",
        help="The classification codes are read in: sbi2008 (the default) or sbi2025.",
    ),
]
FromOption = Annotated[int | None, typer.Option("--from", help="First year of a range.")]
ToOption = Annotated[int | None, typer.Option("--to", help="Last year of a range.")]


ChartOutput = Annotated[
    Path, typer.Option("--output", "-o", help="The chart file: .png or .svg (the suffix picks the format).")
]


# lsh fetch
SbiCodesOption = Annotated[
    list[str] | None, typer.Option("--sbi", help="An SBI code to fetch, in any notation (repeatable).")
]

FetchDefinitionsOption = Annotated[
    list[str] | None, typer.Option("--definition", "-d", help="Fetch every code of a definition (repeatable).")
]

FetchMeasureOption = Annotated[
    str | None,
    typer.Option(
        "--measure",
        "-m",
        help="Which table to fetch from, by a measure it gives: firms, jobs, persons_employed, turnover, output "
        "or value_added (default: firms, or what --table gives). Every measure of that table is stored.",
    ),
]

TableOption = Annotated[
    str | None,
    typer.Option(
        "--table",
        "-t",
        help="A CBS table id (default: the table that gives the measure), or a Eurostat dataset: sbs (its structural "
        "business statistics as one series), sbs_ovw_act (from 2021), sbs_na_ind_r2, sbs_na_dt_r2, sbs_na_1a_se_r2 "
        "(2008-2020).",
        autocompletion=complete_tables,
    ),
]

TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help="Seconds to wait for each piece of an answer (default 30; $LSH_CBS_TIMEOUT). A whole request may "
        "take at most $LSH_CBS_DEADLINE seconds (default 60), so one page costs at most (retries + 1) x 60 s "
        "plus backoff: about four minutes with the defaults.",
    ),
]

RetriesOption = Annotated[
    int | None, typer.Option("--retries", help="Retries after a failed request (default 3; $LSH_CBS_RETRIES).")
]

RefreshOption = Annotated[
    bool,
    typer.Option(
        "--refresh", help="Download every row again, also those the store holds from this version of the table."
    ),
]

FetchClassificationOption = Annotated[
    str | None,
    typer.Option(
        "--classification",
        "-c",
        help="The classification of the codes and the table: sbi2008 or sbi2025 (default: the definitions', "
        "the table's, else sbi2008).",
    ),
]

# lsh across
CounterpartOption = Annotated[
    str | None,
    typer.Option(
        "--with",
        help="Its counterpart in the other classification (default: its translation, or what it was translated from).",
    ),
]

LinkOption = Annotated[
    bool,
    typer.Option(
        "--link",
        help="Add a linked series: the SBI 2008 values carried into SBI 2025 by the two's ratio in the "
        "first year both are valued (an estimate).",
    ),
]

EstimateLostOption = Annotated[
    bool,
    typer.Option(
        "--estimate-lost",
        help="Estimate the SBI 2008 definition in years only SBI 2025 publishes: each wider "
        "code at the definition's share of it in the last SBI 2008 year (an estimate).",
    ),
]

# lsh report
ReportOutput = Annotated[Path, typer.Option("--output", "-o", help="The report file: .html or .md.")]

AssetsOption = Annotated[
    Path | None,
    typer.Option(
        "--assets",
        help="For a Markdown report: write the charts as PNG files into this folder and link them, for "
        "viewers that do not show embedded images.",
    ),
]


# lsh benchmark
CountryOption = Annotated[
    list[str] | None,
    typer.Option(
        "--country",
        help="A country as Eurostat codes it (NL, BE, DE, DK, IE, EU27_2020); repeatable, or a comma list (default: "
        "NL,BE,DE,DK,IE).",
    ),
]
EurostatMeasureOption = Annotated[
    str,
    typer.Option(
        "--measure",
        "-m",
        help="Eurostat's statistic: persons_employed, employees, enterprises, turnover or value_added (Eurostat's "
        "own, not CBS's: persons employed in market enterprises are not CBS's employee jobs).",
    ),
]

SourceOption = Annotated[
    str,
    typer.Option(
        "--source",
        help="Where the figures come from: cbs (the default: the store and CBS) or eurostat (Eurostat's class "
        "figures for the Netherlands, Eurostat's statistic of the measure's name: persons_employed, employees, "
        "enterprises, turnover or value_added; compare needs --year).",
    ),
]
