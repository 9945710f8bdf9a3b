"""The `lsh` command line: each command parses its options, calls one method of the facade's Book, and emits one
document; the run itself (settings, language, errors, hints, files) is `lshcli.session`."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lshcli import session as run
from lshcli.errors import EXIT_ERROR
from lshcli.options import (
    AssetsOption,
    ChartOutput,
    ClassificationOption,
    CounterpartOption,
    CountryOption,
    EstimateLostOption,
    EstimateOption,
    EurostatMeasureOption,
    FetchClassificationOption,
    FetchDefinitionsOption,
    FetchMeasureOption,
    FormatOption,
    FromOption,
    LinkOption,
    MeasureOption,
    OutputOption,
    QuarterOption,
    RefreshOption,
    ReportOutput,
    RetriesOption,
    SbiCodesOption,
    SourceOption,
    TableOption,
    TimeoutOption,
    ToOption,
    WideOption,
    YearOption,
    complete_definitions,
    complete_measures,
    complete_tables,
)
from lshcli.session import Handled, _, warn

if TYPE_CHECKING:
    pass


app = typer.Typer(
    cls=Handled,
    name="lsh",
    help="Size the Dutch Life Sciences & Health sector by SBI definition, and explain why the sources disagree.\n\n"
    "Exit codes: 0 ok, 1 error (bad definition, unknown code, data not available), 2 usage, "
    "3 CBS could not be reached or answered badly (the store is unchanged).\n\n"
    "Example: lsh compare topsector pwc2017",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
definitions_app = typer.Typer(
    help="List, show, validate and translate sector definitions.\n\nExample: lsh definitions show topsector",
    rich_markup_mode=None,
)
app.add_typer(definitions_app, name="definitions")
plot_app = typer.Typer(
    help="Charts (PNG or SVG): definitions over time, and the bridge from A to B.\n\n"
    "Example: lsh plot bridge topsector pwc2017 -o bridge.svg",
    rich_markup_mode=None,
)
app.add_typer(plot_app, name="plot")
tables_app = typer.Typer(
    help="The CBS tables lsh can fetch, and what CBS says of them now.\n\nExample: lsh tables check",
    rich_markup_mode=None,
)
app.add_typer(tables_app, name="tables")
store_app = typer.Typer(
    help="Show what the local store holds, or clear what was fetched.\n\nExample: lsh store -f json",
    rich_markup_mode=None,
)
app.add_typer(store_app, name="store")


def _version(value: bool) -> None:
    if value:
        from lshcli._version import __version__

        print(f"lsh {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", envvar="LSH_STORE", help="The store file (default: lsh's folder in your data directory)."
        ),
    ] = None,
    definitions_dir: Annotated[
        list[Path] | None,
        typer.Option(
            "--definitions-dir", "-D", help="A folder of your own definition files (repeatable; also $LSH_DEFINITIONS)."
        ),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option("--offline", envvar="LSH_OFFLINE", help="Forbid any network access (also $LSH_OFFLINE=1)."),
    ] = False,
    cbs_url: Annotated[
        str | None,
        typer.Option(
            "--cbs-url",
            envvar="LSH_CBS_URL",
            help="The OData v3 host to fetch from (default https://opendata.cbs.nl; a mirror or a test server); "
            "$LSH_CBS_V4_URL names the v4 host (default https://datasets.cbs.nl).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Say nothing on standard error but errors (for scripts).")
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            envvar="LSH_LANG",
            help="The language of tables and sentences: en (the default) or nl (every command but "
            "definitions translate); CSV and JSON keep machine formats and English keys.",
        ),
    ] = "en",
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Size the Dutch Life Sciences & Health sector by SBI definition."""
    from lshcli.language import languages

    lang = lang.strip().lower()
    if lang not in languages():
        raise typer.BadParameter(
            _("--lang takes {languages}, not {lang!r}", languages=" or ".join(languages()), lang=lang)
        )
    settings = run.Settings(
        store=store,
        definitions_dirs=list(definitions_dir or []),
        debug=debug,
        offline=offline,
        cbs_url=cbs_url,
        quiet=quiet,
        lang=lang,
    )
    run._session.set(settings)
    ctx.obj = settings


@app.command("compare")
def compare_command(
    a: Annotated[
        str,
        typer.Argument(help="First definition: an id (topsector) or a YAML file.", autocompletion=complete_definitions),
    ],
    b: Annotated[str, typer.Argument(help="Second definition.", autocompletion=complete_definitions)],
    measure: MeasureOption = "firms",
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    wide: WideOption = False,
    source: SourceOption = "cbs",
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Both totals, the difference, and the codes that make it, with a plain explanation.

    Example: lsh compare topsector pwc2017 --year 2016 -o gap.xlsx
    """
    from lshcli.compare import Comparison
    from lshcli.errors import NotAvailableError, Remedy
    from lshcli.measures import get_measure
    from lshcli.output.comparisons import comparisons_document, crossing_document

    if source.strip().lower() == "eurostat":
        from lshcli.eurostat import EurostatClient

        if start is not None or end is not None:
            raise typer.BadParameter(_("a comparison from Eurostat's figures is of one year: give --year"))
        found = run.application().compare(
            a,
            b,
            measure,
            run.year_option(year),
            source="eurostat",
            client=EurostatClient(offline=run.settings().offline or None),
        )
        assert isinstance(found, Comparison)
        return run.emit(comparisons_document([found], run.words()), fmt, output)
    years = run.years_option(year, start, end)
    book = run.application(run.reading_for(get_measure(measure), quarter, estimate))
    pair = [book.definition(a), book.definition(b)]
    run.say_overlaps(pair)
    crossing = pair[0].classification != pair[1].classification
    if crossing and years and len(years) > 1:
        raise typer.BadParameter(_("a comparison across the break is of one year: give --year, or none"))
    if not years:
        try:
            choice = book.year_choice(pair, measure)
        except NotAvailableError as exc:  # nothing on either side: one fetch per classification, from its own table
            if not crossing:
                raise
            hints = [run.CliHints().fetch(Remedy(definitions=(d.id,), measure=measure)) for d in pair]
            raise NotAvailableError(
                "{reason}; {commands} fetch them", reason=exc.told(_), commands=" and ".join(h for h in hints if h)
            ) from None
        warn(run.words().year_choice(choice))
        years = [choice.year]
    results = [book.compare(pair[0], pair[1], measure, y) for y in years]
    if crossing:
        from lshcli.crossing import Crossing

        (across,) = results
        assert isinstance(across, Crossing)
        return run.emit(crossing_document(across, run.words()), fmt, output)
    comparisons = [c for c in results if isinstance(c, Comparison)]
    economy = {(measure, y): whole for y in years if (whole := book.economy(measure, y)) is not None}
    run.emit(comparisons_document(comparisons, run.words(), wide=wide, economy=economy), fmt, output)


@app.command("count")
def count_command(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=complete_definitions)
    ],
    measure: Annotated[
        str | None,
        typer.Option("--measure", "-m", help="One measure (default: all).", autocompletion=complete_measures),
    ] = None,
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    wide: WideOption = False,
    source: SourceOption = "cbs",
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A definition's value per measure and year, with its coverage and sources.

    Example: lsh count topsector -m jobs --from 2010 --to 2019 --wide
    """
    from lshcli.measures import get_measure
    from lshcli.model import Reading

    years = run.years_option(year, start, end)
    if source.strip().lower() == "eurostat":
        from lshcli.eurostat import EurostatClient

        client = EurostatClient(offline=run.settings().offline or None)
        book = run.application()
        found = book.definition(definition)
        result = book.count(
            found, measure, years, latest=year is not None and not years, source="eurostat", client=client
        )
        return run.emit(result.document(run.words(), wide=wide), fmt, output)
    if measure is not None:
        run.reading_for(get_measure(measure), quarter, estimate)  # --quarter only for a quarterly measure
    book = run.application(Reading(estimate=estimate))
    found = book.definition(definition)
    run.say_overlaps([found])
    result = book.count(found, measure, years, latest=year is not None and not years, quarter=quarter)
    run.emit(result.document(run.words(), wide=wide), fmt, output)


@app.command("sizes")
def sizes_command(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=complete_definitions)
    ],
    year: YearOption = None,
    quarter: QuarterOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A definition's firms by size class (persons employed), with one-person, under 50, under 250 and 250+.

    Example: lsh sizes topsector --year 2016
    """
    from lshcli.measures import MEASURES
    from lshcli.output.studies import sizes_document

    classes = MEASURES["firms_size_1"]
    book = run.application(run.reading_for(classes, quarter, False))
    found = book.definition(definition)
    run.say_overlaps([found])
    chosen = run.chosen_year(book, [found], classes.name, year)
    run.emit(sizes_document(book.sizes(found, chosen), run.words()), fmt, output)


@app.command("reconcile")
def reconcile_command(
    files: Annotated[
        list[Path] | None,
        typer.Option("--file", help="A CSV of your own published figures, with the reference list's columns."),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled/--no-bundled", help="Include the reference figures that ship with lsh.")
    ] = True,
    refs: Annotated[list[str] | None, typer.Option("--ref", help="Only this figure (repeatable).")] = None,
    eurostat: Annotated[
        str | None,
        typer.Option(
            "--eurostat",
            help="A definition to value from CBS's figures and from Eurostat's for the Netherlands, each CBS measure "
            "beside Eurostat's nearest statistic, with why they differ (instead of the published figures).",
            autocompletion=complete_definitions,
        ),
    ] = None,
    year: YearOption = None,
    measures: Annotated[
        list[str] | None,
        typer.Option(
            "--measure",
            "-m",
            help="With --eurostat: only this CBS measure (repeatable).",
            autocompletion=complete_measures,
        ),
    ] = None,
    estimate: EstimateOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Published figures beside lsh's values for the same codes and period, with the most likely reason they differ.

    With --eurostat DEF, CBS's figures beside Eurostat's for the same codes and year instead.
    Example: lsh reconcile --ref F017
    """
    from lshcli.model import Reading

    if eurostat is not None:
        from lshcli.eurostat import EurostatClient

        client = EurostatClient(offline=run.settings().offline or None)
        found = run.application().cross_check(eurostat, run.year_option(year), measures or [], client=client)
        return run.emit(found.document(run.words()), fmt, output)
    if year is not None or measures:
        raise typer.BadParameter(_("--year and --measure go with --eurostat"))

    result = run.application(Reading(estimate=estimate)).reconcile(files or [], bundled, refs)
    run.emit(result.document(run.words()), fmt, output)


@definitions_app.callback(invoke_without_command=True)
def definitions_list(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List every definition lsh can see (bundled and your own).

    Example: lsh definitions -f csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from lshcli.definitions import Definition
    from lshcli.output.catalog import definitions_document

    library = run.definitions()
    found = library.each()
    good = [d for d in found if isinstance(d, Definition)]
    run.emit(definitions_document(good, run.words(), [library.is_bundled(d) for d in good]), fmt, output)
    broken = [e for e in found if not isinstance(e, Definition)]
    for exc in broken:
        warn(_("error: {message}", message=exc.told(_)))
    if broken:
        raise typer.Exit(EXIT_ERROR)


@definitions_app.command("show")
def definitions_show(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=complete_definitions)
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One definition code by code, with titles, groups and notes.

    Example: lsh definitions show pwc2017
    """
    from lshcli.output.catalog import definition_document

    found = run.definitions().get(definition)
    run.emit(definition_document(found, run.classification_named(found.classification), run.words()), fmt, output)


@definitions_app.command("validate")
def definitions_validate(
    path: Annotated[Path, typer.Argument(help="A definition YAML file.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Check a definition file: YAML, schema, codes, overlaps and 'extends'.

    Example: lsh definitions validate my_sector.yaml
    """
    from lshcli.definitions import validate_file
    from lshcli.output.catalog import definition_document

    found = validate_file(path, run.definitions())
    run.say_overlaps([found])
    warn(
        run.words()
        .header("{path}: valid definition {id!r} with {codes} codes")
        .format(path=path, id=found.id, codes=len(found.codes))
    )
    run.emit(definition_document(found, run.classification_named(found.classification), run.words()), fmt, output)


@definitions_app.command("translate")
def definitions_translate(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=complete_definitions)
    ],
    to: Annotated[str, typer.Option("--to", help="The classification to translate to: sbi2025 (or sbi2008).")],
    merged: Annotated[
        str | None,
        typer.Option(
            "--merged",
            help="What a merged code means, where a new code also holds codes the definition leaves out: "
            "'wider' takes it whole, 'leave-out' drops it. Required when there is one.",
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the translated definition to this YAML file.")
    ] = None,
) -> None:
    """Translate a definition across the SBI 2025 break, with a note on every code that could not be carried exactly.

    The YAML goes to standard output (or -o FILE); what was carried and how goes to standard error.
    Example: lsh definitions translate topsector --to sbi2025 --merged wider -o topsector_sbi2025.yaml
    """
    from lshcli.translate import ChoiceNeeded, Merged

    if run.settings().lang != "en":  # the notes it writes into the file are English, as every definition's are
        raise typer.BadParameter(
            _(
                "'lsh definitions translate' writes its notes in English, as every definition's are; leave out --lang "
                "{lang}",
                lang=run.settings().lang,
            )
        )
    if merged is not None and merged not in {m.value for m in Merged}:
        raise typer.BadParameter(_("--merged takes 'wider' or 'leave-out', not {merged!r}", merged=merged))
    run.classification_named(to)  # a usage error that names the classifications
    try:
        result = run.application().translate(definition, to, merged)
    except ChoiceNeeded as exc:
        raise typer.BadParameter(_("{exc}: give --merged wider or --merged leave-out", exc=exc)) from None
    for note in result.notes[1:]:
        warn(note)
    if output is None:
        sys.stdout.write(result.yaml)
    else:
        what = f"{result.definition.id}, {len(result.definition.codes)} codes in {result.target}"
        run.write_bytes(result.yaml.encode("utf-8"), output, what)


@app.command("sbi")
def sbi_command(
    codes: Annotated[list[str] | None, typer.Argument(help="SBI codes in any notation: 21.10, 2110, 72112, C.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-s", help="Words to find in the titles.")] = None,
    classification: ClassificationOption = "sbi2008",
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="Show where each code goes in the other classification (sbi2025 or sbi2008), link by link."
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Look up SBI codes (SBI 2008, or SBI 2025 with --classification sbi2025): level, titles, what they lie in and
    what they hold; with --to, where each goes across the 2025 break.

    Examples: lsh sbi 21.10 72112; lsh sbi --search farmaceutische; lsh sbi 72.11.2 --to sbi2025;
    lsh sbi 72.10.0 --classification sbi2025 --to sbi2008
    """
    from lshcli.output.catalog import links_document, sbi_document

    sbi = run.classification_named(classification)
    if not codes and not search:
        raise typer.BadParameter(_("give one or more codes, or --search WORDS"))
    entries = [sbi.entries[sbi.parse(c)] for c in codes or []]
    if search:
        entries += sbi.search(search)
    if to is None:
        run.emit(sbi_document(entries, sbi, run.words()), fmt, output)
        return
    from lshcli.concordance import load as concordance

    other = run.classification_named(to)
    if other.name == sbi.name:
        raise typer.BadParameter(_("--to names the classification the codes are read in ({name})", name=sbi.name))
    links = concordance(*sorted((sbi, other), key=lambda c: c.name))
    run.emit(
        links_document([(e.code, links.links(e.code, sbi.name)) for e in entries], sbi, other, run.words()), fmt, output
    )


@app.command("fetch")
def fetch_command(
    sbi_codes: SbiCodesOption = None,
    definitions: FetchDefinitionsOption = None,
    measure: FetchMeasureOption = None,
    table: TableOption = None,
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    timeout: TimeoutOption = None,
    retries: RetriesOption = None,
    refresh: RefreshOption = False,
    classification: FetchClassificationOption = None,
    countries: CountryOption = None,
    save: Annotated[
        Path | None,
        typer.Option(
            "--save",
            help="A folder to keep CBS's OData v4 answers in as well, for 'lsh store import' where there is no "
            "internet (implies --protocol v4 and reads every row anew).",
        ),
    ] = None,
    protocol: Annotated[
        str | None,
        typer.Option(
            "--protocol",
            help="CBS's protocol: auto (the default, or $LSH_CBS_PROTOCOL: OData v4, and v3 where v4 does not know the "
            "table, has no data for it or is down), v4 or v3.",
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Fetch CBS figures for SBI codes into the local store (only the rows needed), and say what was stored.

    Example: lsh fetch --definition topsector --from 2015 --to 2019
    """
    from lshcli.cbs.client import CbsClient
    from lshcli.eurostat import DATASETS, SERIES, EurostatClient

    named = [c.strip() for given in countries or [] for c in given.split(",") if c.strip()]
    if table is not None and (table.lower() in DATASETS or table.lower() == SERIES):
        settings = run.settings()
        eurostat = EurostatClient(offline=settings.offline or None, timeout=timeout, retries=retries)
        years = run.years_option(year, start, end)
        found = run.application().fetch_eurostat(
            table, definitions or [], sbi_codes or [], named or None, years, client=eurostat
        )
        for said in found.messages(run.words()):
            warn(said)
        return run.emit(found.document(run.words()), fmt, output)
    if any(c.upper() != "NL" for c in named):
        raise typer.BadParameter(
            _(
                "CBS's tables are of the Netherlands: --country is for Eurostat's datasets ({datasets})",
                datasets=", ".join([SERIES, *DATASETS]),
            )
        )

    years = run.years_option(year, start, end)
    if classification is not None:
        run.classification_named(classification)  # a usage error that names the classifications
    book = run.application()
    run.say_overlaps([book.definition(d) for d in definitions or []])
    settings = run.settings()
    client = CbsClient(settings.cbs_url, offline=settings.offline or None, timeout=timeout, retries=retries)
    v4 = CbsClient(protocol="v4", offline=settings.offline or None, timeout=timeout, retries=retries)
    with run.progress() as step:
        result = book.fetch(
            sbi_codes or [],
            definitions or [],
            measure,
            table,
            classification,
            years,
            client=client,
            v4_client=v4,
            protocol=protocol,
            refresh=refresh,
            progress=step,
            save=save,
        )
    words = run.words()
    for said in result.messages(words):
        warn(said)
    run.emit(result.document(words), fmt, output)


@plot_app.command("series")
def plot_series(
    definitions: Annotated[
        list[str],
        typer.Argument(help="One or more definition ids or YAML files.", autocompletion=complete_definitions),
    ],
    output: ChartOutput,
    measure: MeasureOption = "firms",
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
) -> None:
    """One line per definition over the years; a year without a value is a gap marked n/a, never zero.

    Example: lsh plot series topsector pwc2017 -m jobs -o series.png
    """
    from lshcli.measures import get_measure
    from lshcli.output.charts import series_chart, series_from

    fmt = run.chart_format(output)
    book = run.application(run.reading_for(get_measure(measure), quarter, estimate))
    found = [book.definition(name) for name in definitions]
    run.say_overlaps(found)
    result = book.series(found, measure, run.years_option(None, start, end))
    series = [series_from(d.id, values) for d, values in result.lines]
    label = run.words().header("{classification} from here").format(classification=result.newer) if result.newer else ""
    run.write_bytes(series_chart(series, result.measure, fmt, result.break_year, label, run.words()), output)


@plot_app.command("bridge")
def plot_bridge(
    a: Annotated[
        str, typer.Argument(help="The definition the bridge starts from.", autocompletion=complete_definitions)
    ],
    b: Annotated[str, typer.Argument(help="The definition it ends at.", autocompletion=complete_definitions)],
    output: ChartOutput,
    measure: MeasureOption = "firms",
    year: YearOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
) -> None:
    """A waterfall from A's total to B's: minus what only A holds, plus what only B holds, group by group.

    Example: lsh plot bridge topsector pwc2017 --year 2016 -o bridge.svg
    """
    from lshcli.api import one_classification
    from lshcli.compare import Comparison
    from lshcli.measures import get_measure
    from lshcli.output.charts import bridge_chart

    fmt = run.chart_format(output)
    book = run.application(run.reading_for(get_measure(measure), quarter, estimate))
    pair = [book.definition(a), book.definition(b)]
    run.say_overlaps(pair)
    one_classification(pair)
    chosen = run.chosen_year(book, pair, measure, year)
    comparison = book.compare(pair[0], pair[1], measure, chosen)
    assert isinstance(comparison, Comparison)  # one classification: no crossing
    run.write_bytes(bridge_chart(comparison, fmt, run.words()), output)


@plot_app.command("benchmark")
def plot_benchmark(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=complete_definitions)
    ],
    output: ChartOutput,
    countries: CountryOption = None,
    measure: EurostatMeasureOption = "persons_employed",
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="One year (default: the latest Eurostat holds).")
    ] = None,
) -> None:
    """A definition across countries, side by side, from Eurostat's class figures (as lsh benchmark gives them).

    Example: lsh plot benchmark topsector --country NL,BE,DE,DK,IE --year 2022 -o countries.svg
    """
    from lshcli.eurostat import PEERS, EurostatClient
    from lshcli.output.charts import benchmark_chart

    fmt = run.chart_format(output)
    named = [c for given in countries or [] for c in given.split(",")] or list(PEERS)
    client = EurostatClient(offline=run.settings().offline or None)
    [found] = run.application().benchmark([definition], named, measure, year, client=client).benchmarks
    run.write_bytes(benchmark_chart(found, fmt, run.words()), output)


@app.command("across")
def across_command(
    definition: Annotated[
        str,
        typer.Argument(
            help="A definition id or YAML file, of either classification.", autocompletion=complete_definitions
        ),
    ],
    other: CounterpartOption = None,
    measure: MeasureOption = "firms",
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    link: LinkOption = False,
    estimate_lost: EstimateLostOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A definition's series across the SBI 2025 break, beside its counterpart in the other classification.

    Each year shows the SBI 2008 definition valued from SBI 2008 figures and the SBI 2025 one from SBI 2025 figures,
    side by side where both are published; the first SBI 2025 year is marked as the break.
    Example: lsh across topsector --link --estimate-lost
    """
    from lshcli.measures import get_measure

    book = run.application(run.reading_for(get_measure(measure), quarter, False))
    result = book.across(definition, other, measure, run.years_option(None, start, end), link, estimate_lost)
    run.emit(result.document(run.words()), fmt, output)


@app.command("overlap")
def overlap_command(
    definitions: Annotated[
        list[str],
        typer.Argument(help="Two or more definition ids or YAML files.", autocompletion=complete_definitions),
    ],
    measure: MeasureOption = "firms",
    year: YearOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Which codes each definition holds: a code-by-definition matrix, with each code's value where available.

    Example: lsh overlap topsector pwc2017 pwc2019 --year 2016
    """
    from lshcli.api import one_classification
    from lshcli.measures import get_measure
    from lshcli.output.studies import overlap_document

    book = run.application(run.reading_for(get_measure(measure), quarter, estimate))
    found = [book.definition(name) for name in definitions]
    run.say_overlaps(found)
    one_classification(found)
    chosen = run.chosen_year(book, found, measure, year)
    run.emit(overlap_document(book.overlap(found, measure, chosen), run.words()), fmt, output)


@app.command("report")
def report_command(
    definitions: Annotated[
        list[str],
        typer.Argument(
            help="Two or more definitions; the first is compared with each.", autocompletion=complete_definitions
        ),
    ],
    output: ReportOutput,
    measure: MeasureOption = "firms",
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    assets: AssetsOption = None,
    source: SourceOption = "cbs",
    countries: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            help="Add each definition across these countries, from Eurostat (as lsh benchmark gives it); repeatable, "
            "or a comma list such as NL,BE,DE,DK,IE.",
        ),
    ] = None,
    benchmark_year: Annotated[
        int | None,
        typer.Option("--benchmark-year", help="With --country: the year (default: the latest Eurostat holds)."),
    ] = None,
) -> None:
    """One self-contained HTML or Markdown report: totals, decompositions, charts, caveats and provenance.

    Example: lsh report topsector pwc2017 pwc2019 -o report.html
    Example: lsh report topsector pwc2017 -o report.md --assets report-charts
    Example: lsh report topsector pwc2017 -o report.html --country NL,BE,DE,DK,IE
    """
    import os

    from lshcli.output.report import charts, to_html_page, to_markdown_page

    suffix = output.suffix.lower()
    if suffix not in (".html", ".htm", ".md", ".markdown"):
        raise typer.BadParameter(_("the report file must end in .html or .md, not {name!r}", name=output.name))
    if assets is not None and suffix in (".html", ".htm"):
        raise typer.BadParameter(_("--assets is for a Markdown report (.md); an HTML report holds its charts"))
    if len(definitions) < 2:
        raise typer.BadParameter(_("give two or more definitions"))
    from lshcli.api import one_classification
    from lshcli.measures import get_measure

    named = [c.strip() for given in countries or [] for c in given.split(",") if c.strip()]
    eurostat = source.strip().lower() == "eurostat"
    client = None
    if named or eurostat:
        from lshcli.eurostat import EurostatClient

        client = EurostatClient(offline=run.settings().offline or None)
    if benchmark_year is not None and not named:
        raise typer.BadParameter(_("--benchmark-year goes with --country"))
    if eurostat:
        book = run.application()
        found = [book.definition(name) for name in definitions]
        one_classification(found)
        report = book.report(
            found,
            measure,
            run.year_option(year),
            run.years_option(None, start, end),
            run.words(),
            source="eurostat",
            countries=named,
            benchmark_year=benchmark_year,
            client=client,
        )
    else:
        book = run.application(run.reading_for(get_measure(measure), quarter, estimate))
        found = [book.definition(name) for name in definitions]
        run.say_overlaps(found)
        one_classification(found)
        chosen = run.chosen_year(book, found, measure, year)
        years = run.years_option(None, start, end)
        report = book.report(
            found, measure, chosen, years, run.words(), countries=named, benchmark_year=benchmark_year, client=client
        )
    if assets is None:
        page = to_html_page(report) if suffix in (".html", ".htm") else to_markdown_page(report)
    else:  # the charts first, so the page never links a file that is not there
        from lshcli.errors import LshError

        if not output.resolve().parent.is_dir():
            raise LshError(
                "cannot write {output}: the folder {parent} does not exist",
                output=output,
                parent=output.resolve().parent,
            )
        try:
            assets.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LshError(
                "cannot make the folder {assets}: {value}", assets=assets, value=exc.strerror or exc
            ) from None
        for name, image in charts(report):
            run.write_bytes(image, assets / name)
        linked = Path(os.path.relpath(assets.resolve(), output.resolve().parent)).as_posix()
        page = to_markdown_page(report, linked)
    run.write_bytes(page.encode("utf-8"), output)


@app.command("benchmark")
def benchmark_command(
    definitions: Annotated[
        list[str], typer.Argument(help="One or more definition ids or YAML files.", autocompletion=complete_definitions)
    ],
    countries: CountryOption = None,
    measure: EurostatMeasureOption = "persons_employed",
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="One year (default: the latest Eurostat holds).")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Definitions across countries, from Eurostat's structural business statistics (it asks Eurostat).

    Each country's value from the published NACE class figures (an interval where a cell is confidential or the
    definition is finer than a class), its share of its own business economy, and its rank by that share. With
    --from and --to, one series per country, the 2021 change of Eurostat's method marked as a break.
    Example: lsh benchmark topsector --country NL,BE,DE,DK,IE -m persons_employed --year 2022
    """
    from lshcli.eurostat import PEERS, EurostatClient

    named = [c for given in countries or [] for c in given.split(",")] or list(PEERS)
    settings = run.settings()
    client = EurostatClient(offline=settings.offline or None)
    years = run.years_option(str(year) if year is not None else None, start, end)
    result = run.application().benchmark(definitions, named, measure, years=years, client=client)
    run.emit(result.document(run.words()), fmt, output)


@app.command("measures")
def measures_command(fmt: FormatOption = None, output: OutputOption = None) -> None:
    """The measures lsh can total, with their unit, period convention and the CBS tables that give them.

    Example: lsh measures
    """
    from lshcli.cbs.tables import TableRegistry
    from lshcli.measures import MEASURES
    from lshcli.output.catalog import measures_document

    run.emit(measures_document(list(MEASURES.values()), TableRegistry().all(), run.words()), fmt, output)


@tables_app.callback(invoke_without_command=True)
def tables_command(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """The CBS tables lsh can fetch, with their measures, SBI depth and periods.

    Example: lsh tables -f csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from lshcli.cbs.tables import TableRegistry
    from lshcli.output.catalog import tables_document

    run.emit(tables_document(TableRegistry().all(), run.words()), fmt, output)


@tables_app.command("check")
def tables_check(
    tables: Annotated[
        list[str] | None,
        typer.Argument(help="Table ids (default: every table lsh has a spec for).", autocompletion=complete_tables),
    ] = None,
    timeout: TimeoutOption = None,
    retries: RetriesOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """What CBS says of each table now (OData v4: its catalog, then each table's metadata), against its spec and
    the store: discontinued with a successor, a new version, new periods, provisional figures now final, and a
    structure that no longer fits the spec, with the change it needs. Exits 1 when a table is discontinued,
    withdrawn, unreadable or no longer fits its spec (for cron).

    Example: lsh tables check 81589NED 83583NED
    """
    from lshcli.cbs.client import CbsClient
    from lshcli.cbs.tables import TableRegistry
    from lshcli.cbs.watch import check
    from lshcli.output.catalog import table_check_document

    registry = TableRegistry()
    specs = [registry.get(t) for t in tables] if tables else registry.all()
    settings = run.settings()
    client = CbsClient(protocol="v4", offline=settings.offline or None, timeout=timeout, retries=retries)
    book = run.application()
    found = check(client, specs, book.figures.store)
    run.emit(table_check_document(found, run.words()), fmt, output)
    if any(c.breaks for c in found):
        raise typer.Exit(EXIT_ERROR)


@store_app.callback(invoke_without_command=True)
def store_show(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """What the store holds: per source, table and measure, the rows, codes, periods and versions.

    Example: lsh store
    """
    if ctx.invoked_subcommand is not None:
        return
    from lshcli.output.catalog import store_document

    store = run.opened_store()
    run.emit(store_document(str(store.path or "(in memory)"), store.holdings(), run.words()), fmt, output)


@store_app.command("clear")
def store_clear(
    table: Annotated[str | None, typer.Option("--table", "-t", help="Clear only this CBS table's rows.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete the figures fetched from CBS (the bundled snapshot stays).

    Example: lsh store clear --table 81589NED --yes
    """
    store = run.opened_store()
    words = run.words()
    if not yes:
        if not sys.stdin.isatty():
            raise typer.BadParameter(_("add --yes to clear the store without a question"))
        typer.confirm(words.clear_question(table, str(store.path)), abort=True, err=True)
    deleted = store.clear_fetched(table.strip().upper() if table else None)
    warn(words.cleared(deleted, table, str(store.path)))


@store_app.command("import")
def store_import(
    folder: Annotated[Path, typer.Argument(help="A folder of CBS answers saved by 'lsh fetch --save'.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Read CBS's OData v4 answers saved in a folder into the store, checked like a fetch, with the folder, the
    sha256 of its observations and their capture date as their source. All or nothing.

    Example: lsh store import ./cbs-81589NED
    """
    from lshcli.output.document import Document

    book = run.application()
    found = book.import_saved(folder)
    words = run.words()
    documents: list[Document] = []
    for result in found:
        for said in result.messages(words):
            warn(said)
        documents.append(result.document(words))
    merged = documents[0]
    for extra in documents[1:]:  # one section per table; the data of JSON and CSV one list
        merged.sections += extra.sections
        merged.data = [*_as_list(merged.payload()), *_as_list(extra.payload())]
        merged.csv_records = [*(merged.csv_records or []), *(extra.csv_records or [])]
    run.emit(merged, fmt, output)


def _as_list(data: object) -> list[object]:
    return list(data) if isinstance(data, list) else [data]


def only(argv: list[str]) -> typer.Typer:
    """The command line as it answers `argv`: where the first word names a command (`lsh compare ...`), one that
    holds only that command, so that the options of the other commands are not built at every start (a fifth of
    the start-up of `lsh compare`). It parses, helps and fails exactly as the whole one does for that command;
    anything else (an option first, a word that names no command, shell completion) gets the whole one."""
    import copy

    from typer.main import get_command_name

    if not argv or argv[0].startswith("-") or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return app
    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(getattr(c.callback, "__name__", ""))) == argv[0]
    ]
    groups = [g for g in app.registered_groups if g.name == argv[0]]
    if not commands and not groups:
        return app
    slim = copy.copy(app)
    slim.registered_commands, slim.registered_groups = commands, groups
    return slim


def main() -> None:
    """Entry point of the `lsh` console script."""
    try:
        try:
            only(sys.argv[1:])()
        finally:
            sys.stdout.flush()  # what is still buffered is written here, where a failure can still be told
    except OSError as exc:  # the help or the version written to a full disk or a closed pipe
        with contextlib.suppress(OSError):
            sys.stderr.write(f"lsh: error: writing the output failed: {exc.strerror or exc}\n")
            sys.stderr.flush()
        os._exit(EXIT_ERROR)  # nothing more to flush: standard output is what failed
