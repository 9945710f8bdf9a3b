"""The `lsh` command line: parse options, call one core function, hand the result to one renderer."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
import typer.core

from lshcli.errors import EXIT_ERROR, LshError, Remedy
from lshcli.output.formats import OutputFormat
from lshcli.years import FIRST_YEAR, LAST_YEAR, MAX_SPAN

if TYPE_CHECKING:
    from lshcli import api
    from lshcli.definitions import Definition, DefinitionLibrary
    from lshcli.measures import Measure
    from lshcli.model import Reading
    from lshcli.output.document import Document
    from lshcli.output.words import Words
    from lshcli.query import Figurebook
    from lshcli.sbi import Classification
    from lshcli.store import Store


GLOBAL_FLAGS = ("--offline", "--debug", "--quiet")
GLOBAL_VALUES = ("--store", "--definitions-dir", "-D", "--cbs-url", "--lang")


def globals_first(args: list[str]) -> list[str]:
    """The command line with lsh's global options moved before the command, so they work anywhere on it
    (`lsh fetch --offline ...`); nothing after a `--` is moved."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            rest += args[i:]
            break
        if token in GLOBAL_FLAGS or any(
            token.startswith(f"{name}=") for name in GLOBAL_VALUES if name.startswith("--")
        ):
            front.append(token)
        elif token in GLOBAL_VALUES and i + 1 < len(args):
            front += [token, args[i + 1]]
            i += 1
        else:
            rest.append(token)
        i += 1
    return front + rest


def asked_language(args: Sequence[str]) -> str:
    """The language a command line asks for (--lang, else $LSH_LANG, else English), read before the help is built;
    a language lsh does not have is English here, and a usage error once the options are parsed."""
    from lshcli.language import languages

    asked = os.environ.get("LSH_LANG", "en")
    for i, token in enumerate(args):
        if token == "--":
            break
        if token == "--lang" and i + 1 < len(args):
            asked = args[i + 1]
        elif token.startswith("--lang="):
            asked = token.partition("=")[2]
    asked = asked.strip().lower()
    return asked if asked in languages() else "en"


def help_texts(command: Any) -> Iterator[tuple[Any, str]]:
    """Every help text of a command and its subcommands: the object that holds it, and the attribute."""
    for attr in ("help", "short_help", "epilog"):
        if getattr(command, attr, None):
            yield command, attr
    for param in command.params:
        if getattr(param, "help", None):
            yield param, "help"
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


def tell_help(command: Any, lang: str) -> None:
    """The help of a command tree in a language: each help text is a message, looked up from the English kept
    beside it (a tree may serve several runs, in several languages)."""
    from lshcli.language import language

    told = language(lang)
    for holder, attr in help_texts(command):
        english = holder.__dict__.setdefault("_lsh_english", {})
        setattr(holder, attr, told._(english.setdefault(attr, getattr(holder, attr))))


class Handled(typer.core.TyperGroup):
    """The command group: every command's lsh error (or operating-system error) becomes one sentence on stderr
    and its exit code; with --debug, the traceback. Global options may stand anywhere on the line."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if ctx.parent is None:
            args = globals_first(list(args))
            tell_help(self, asked_language(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (LshError, OSError) as exc:
            if _settings().debug:
                raise
            if isinstance(exc, LshError):
                hint = CliHints().fetch(exc.remedy) if exc.remedy else ""
                told = exc.told(_)
                warn(
                    _("error: {message}; {hint} fetches them", message=told, hint=hint)
                    if hint
                    else _("error: {message}", message=told),
                    always=True,
                )
                raise typer.Exit(exc.exit_code) from None
            # the operating system's own words, and the file they are about
            told = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
            warn(_("error: {message}", message=told), always=True)
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as exc:  # the last resort: what lsh did not foresee is still one sentence
            # usage errors, exits and aborts are the command line's own (their classes come from typer's click)
            if _settings().debug or any(c.__name__ in ("ClickException", "Exit", "Abort") for c in type(exc).__mro__):
                raise
            text = " ".join(str(exc).split())[:200]
            warn(
                _(
                    "error: lsh failed unexpectedly ({error}); this is a bug in lsh: please report it with the command "
                    "you ran (add --debug for the traceback)",
                    error=f"{type(exc).__name__}: {text}" if text else type(exc).__name__,
                ),
                always=True,
            )
            raise typer.Exit(EXIT_ERROR) from None


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
store_app = typer.Typer(
    help="Show what the local store holds, or clear what was fetched.\n\nExample: lsh store -f json",
    rich_markup_mode=None,
)
app.add_typer(store_app, name="store")


def _complete_definitions(incomplete: str) -> list[str]:
    """Shell completion: the ids of the definitions lsh can see."""
    try:
        return [i for i in _library().ids() if i.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never fail the shell
        return []


def _complete_measures(incomplete: str) -> list[str]:
    """Shell completion: measure names and aliases."""
    from lshcli.measures import ALIASES, MEASURES

    return [m for m in [*MEASURES, *ALIASES] if m.startswith(incomplete)]


def _complete_tables(incomplete: str) -> list[str]:
    """Shell completion: the CBS tables lsh has specs for."""
    try:
        from lshcli.cbs.tables import TableRegistry

        return [s.id for s in TableRegistry().all() if s.id.lower().startswith(incomplete.lower())]
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
        autocompletion=_complete_measures,
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


@dataclass
class Settings:
    """Options that hold for every command."""

    store: Path | None = None
    definitions_dirs: list[Path] = field(default_factory=list)
    debug: bool = False
    offline: bool = False
    cbs_url: str | None = None
    quiet: bool = False
    lang: str = "en"
    library: DefinitionLibrary | None = None
    sbi: Classification | None = None


def _(message: str, /, **fields: object) -> str:
    """A message of the command line in this run's language (--lang / $LSH_LANG), its fields filled in."""
    from lshcli.language import language

    return language(_settings().lang)._(message, **fields)


def warn(message: str, always: bool = False) -> None:
    """A warning or note for people: standard error, never standard output (control characters removed); with
    --quiet only errors (`always`) are said."""
    from lshcli.output.document import clean

    if _settings().quiet and not always:
        return
    print(f"lsh: {clean(message)}", file=sys.stderr)


class CliHints:
    """The commands that would help, as the command line words them."""

    def fetch(self, remedy: Remedy) -> str:
        """'lsh fetch --measure jobs --sbi 26.60 --year 2021', or '' when no CBS table gives the measure."""
        if not _fetchable(remedy.measure or "firms", remedy.year):
            return ""
        from shlex import quote

        words = ["lsh fetch"]  # every value quoted for the shell: a command lsh suggests is safe to paste
        words += [f"--measure {quote(remedy.measure)}"] if remedy.measure else []
        words += [f"--definition {quote(name)}" for name in remedy.definitions]
        words += [f"--sbi {quote(code)}" for code in remedy.codes]
        other = remedy.classification and remedy.classification != "sbi2008"  # the default needs no option
        words += [f"--classification {quote(remedy.classification or '')}"] if other else []
        words += [f"--year {remedy.year}"] if remedy.year is not None else []
        return f"'{' '.join(words)}'"

    def estimate(self) -> str:
        """The option that asks for estimates."""
        return "--estimate"


@functools.cache
def _fetchable(measure: str, year: int | None = None) -> bool:
    """Whether a CBS table spec gives the measure (in that year, where given), so a missing figure may be one
    'lsh fetch' away: no hint names a year CBS could not have."""
    from datetime import date

    from lshcli.cbs.tables import TableRegistry

    try:
        specs = [spec for spec in TableRegistry().all() if measure in spec.measures]
    except LshError:
        return False
    if year is None:
        return bool(specs)
    return any(
        (spec.first_year is None or spec.first_year <= year) and year <= (spec.last_year or date.today().year)
        for spec in specs
    )


def _words() -> Words:
    """The sentences of this run, in its language (--lang / $LSH_LANG)."""
    from lshcli.output.words import words_for

    lang = _settings().lang
    return words_for(lang, CliHints(), None if lang == "en" else _sbi())


_session: ContextVar[Settings | None] = ContextVar("lsh_session", default=None)
"""This run's settings: set once by the global options (and kept in the typer context), read by every command."""


def _settings() -> Settings:
    found = _session.get()
    if found is None:  # a command called without the global options (a test of its own): the defaults, once
        found = Settings()
        _session.set(found)
    return found


def _sbi() -> Classification:
    """The classification this run reads codes in."""
    settings = _settings()
    if settings.sbi is None:
        from lshcli.sbi import load

        settings.sbi = load()
    return settings.sbi


def _classification(name: str) -> Classification:
    """A bundled classification by the name an option gives, or a usage error that lists the names."""
    from lshcli.sbi import CLASSIFICATIONS, load

    if name not in CLASSIFICATIONS:
        raise typer.BadParameter(
            _(
                "unknown classification {name!r}; lsh knows {CLASSIFICATIONS}",
                name=name,
                CLASSIFICATIONS=", ".join(CLASSIFICATIONS),
            )
        )
    return load(name)


def _library() -> DefinitionLibrary:
    """The definitions this run sees; a user's file that replaces a bundled definition is said once."""
    settings = _settings()
    if settings.library is None:
        from lshcli.definitions import DefinitionLibrary, search_dirs

        settings.library = DefinitionLibrary(_sbi(), search_dirs(settings.definitions_dirs))
        for override in settings.library.overrides():
            warn(_("your {path} replaces the bundled definition {id!r}", path=override.path, id=override.id))
    return settings.library


def _store() -> Store:
    from lshcli.store import open_store

    store = open_store(_settings().store)
    for unusable in store.warnings:
        warn(_words().unusable_store(unusable))
    return store


def _say_overlaps(definitions: Sequence[Definition]) -> None:
    """Each overlap the definitions' files hold, said once on standard error."""
    for message in dict.fromkeys(m for d in definitions for m in d.warnings):
        warn(_words().overlap(message))


def _book(reading: Reading | None = None, classification: str | None = None) -> Figurebook:
    """The figures of this run in one classification (SBI 2008 unless named): the store read in its codes."""
    from lshcli.query import Figurebook

    sbi = _sbi() if classification is None else _classification(classification)
    return Figurebook(_store(), sbi, reading)


def _emit(doc: Document, given: OutputFormat | None, output: Path | None) -> None:
    """Render a document to stdout, or to a file written whole or not at all, in the format given or named by the
    file's suffix."""
    from lshcli.output.formats import format_for, render, render_bytes

    if output is not None:
        _not_the_store(output)
    doc.lang = _settings().lang
    try:
        fmt = format_for(given, str(output) if output is not None else None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if fmt.binary:
        if output is None and sys.stdout.isatty():
            raise typer.BadParameter(_("{value} is a file format: give -o FILE.{value}", value=fmt.value))
        data = render_bytes(doc, fmt)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            _write_bytes(data, output)
        return
    if output is None:
        from lshcli.output.files import terminal_width

        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        render(doc, fmt, sys.stdout, width=terminal_width(sys.stdout), color=color)
        return
    _write_bytes(render_bytes(doc, fmt), output)


def _not_the_store(output: Path) -> None:
    """No output is ever written over lsh's own store."""
    from lshcli.output.files import not_the_store

    not_the_store(output, _store_path())


def _store_path() -> Path:
    from lshcli.store import default_path

    return _settings().store or default_path()


LATEST = "latest"


def _year(year: str | None) -> int | None:
    """--year as a number; 'latest' (and no year) is None: the one default-year rule picks it."""
    if year is None or year.strip().lower() == LATEST:
        return None
    text = year.strip()
    if not (text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise typer.BadParameter(
            _(
                "--year takes a year from {FIRST_YEAR} to {LAST_YEAR} or 'latest', not {year!r}",
                FIRST_YEAR=FIRST_YEAR,
                LAST_YEAR=LAST_YEAR,
                year=year,
            )
        )
    return int(text)


def _years(year: str | None, start: int | None, end: int | None) -> list[int] | None:
    if year is not None and (start is not None or end is not None):
        raise typer.BadParameter(_("give either --year or --from/--to, not both"))
    if year is not None and _year(year) is not None:
        return [int(year)]
    if year is not None:
        return None
    if start is None and end is None:
        return None
    if start is None or end is None:
        raise typer.BadParameter(_("--from and --to go together"))
    for option, value in (("--from", start), ("--to", end)):
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise typer.BadParameter(
                _(
                    "{option} takes a year from {FIRST_YEAR} to {LAST_YEAR}, not {value}",
                    option=option,
                    FIRST_YEAR=FIRST_YEAR,
                    LAST_YEAR=LAST_YEAR,
                    value=value,
                )
            )
    if start > end:
        raise typer.BadParameter(_("--from {start} is after --to {end}", start=start, end=end))
    if end - start >= MAX_SPAN:
        raise typer.BadParameter(
            _(
                "--from {start} --to {end} covers more than {MAX_SPAN} years; give a shorter range",
                start=start,
                end=end,
                MAX_SPAN=MAX_SPAN,
            )
        )
    return list(range(start, end + 1))


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
            help="The OData host to fetch from (default https://opendata.cbs.nl; a mirror or a test server).",
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
    settings = Settings(
        store=store,
        definitions_dirs=list(definitions_dir or []),
        debug=debug,
        offline=offline,
        cbs_url=cbs_url,
        quiet=quiet,
        lang=lang,
    )
    _session.set(settings)
    ctx.obj = settings


@app.command("compare")
def compare_command(
    a: Annotated[
        str,
        typer.Argument(
            help="First definition: an id (topsector) or a YAML file.", autocompletion=_complete_definitions
        ),
    ],
    b: Annotated[str, typer.Argument(help="Second definition.", autocompletion=_complete_definitions)],
    measure: MeasureOption = "firms",
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    wide: WideOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Both totals, the difference, and the codes that make it, with a plain explanation.

    Example: lsh compare topsector pwc2017 --year 2016 -o gap.xlsx
    """
    from lshcli.compare import Comparison
    from lshcli.crossing import Crossing
    from lshcli.errors import NotAvailableError, Remedy
    from lshcli.measures import get_measure
    from lshcli.output.comparisons import comparisons_document, crossing_document

    years = _years(year, start, end)
    book = _application(_reading(get_measure(measure), quarter, estimate))
    pair = [book.definition(a), book.definition(b)]
    _say_overlaps(pair)
    crossing = pair[0].classification != pair[1].classification
    if crossing and years and len(years) > 1:
        raise typer.BadParameter(_("a comparison across the break is of one year: give --year, or none"))
    if not years:
        try:
            choice = book.year_choice(pair, measure)
        except NotAvailableError as exc:  # nothing on either side: one fetch per classification, from its own table
            if not crossing:
                raise
            hints = [CliHints().fetch(Remedy(definitions=(d.id,), measure=measure)) for d in pair]
            raise NotAvailableError(
                "{reason}; {commands} fetch them", reason=exc.told(_), commands=" and ".join(h for h in hints if h)
            ) from None
        warn(_words().year_choice(choice))
        years = [choice.year]
    results = [book.compare(pair[0], pair[1], measure, y) for y in years]
    if crossing:
        (across,) = results
        assert isinstance(across, Crossing)
        return _emit(crossing_document(across, _words()), fmt, output)
    comparisons = [c for c in results if isinstance(c, Comparison)]
    economy = {(measure, y): whole for y in years if (whole := book.economy(measure, y)) is not None}
    _emit(comparisons_document(comparisons, _words(), wide=wide, economy=economy), fmt, output)


def _chosen_year(book: api.Book, definitions: Sequence[Definition], measure: str, year: str | None) -> int:
    """The year asked for (the Book checks it), or the one default-year rule's choice, said on standard error."""
    chosen = _year(year)
    if chosen is not None:
        return chosen
    choice = book.year_choice(definitions, measure)
    warn(_words().year_choice(choice))
    return choice.year


def _application(reading: Reading | None = None) -> api.Book:
    """The facade's Book on this run's store and definitions, read as asked: the one application layer the
    commands call."""
    from lshcli.api import Book

    return Book(_book(reading), _library())


def _check_years(years: Sequence[int], measure: Measure, *others: Measure) -> None:
    """A year no figure can cover is an error naming the years that exist (see lshcli.years)."""
    from lshcli.years import check_years

    check_years(_store(), years, measure, *others)


def _reading(measure: Measure, quarter: int | None, estimate: bool) -> Reading:
    from lshcli.model import Reading

    if quarter is not None and not measure.quarterly:
        raise typer.BadParameter(
            _(
                "--quarter is for quarterly measures; {name} is {convention}",
                name=measure.name,
                convention=measure.convention,
            )
        )
    return Reading(quarter=quarter, estimate=estimate)


@app.command("count")
def count_command(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=_complete_definitions)
    ],
    measure: Annotated[
        str | None,
        typer.Option("--measure", "-m", help="One measure (default: all).", autocompletion=_complete_measures),
    ] = None,
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    wide: WideOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A definition's value per measure and year, with its coverage and sources.

    Example: lsh count topsector -m jobs --from 2010 --to 2019 --wide
    """
    from lshcli.measures import get_measure
    from lshcli.model import Reading

    years = _years(year, start, end)
    if measure is not None:
        _reading(get_measure(measure), quarter, estimate)  # --quarter only for a quarterly measure
    book = _application(Reading(estimate=estimate))
    found = book.definition(definition)
    _say_overlaps([found])
    result = book.count(found, measure, years, latest=year is not None and not years, quarter=quarter)
    _emit(result.document(_words(), wide=wide), fmt, output)


@app.command("sizes")
def sizes_command(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=_complete_definitions)
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
    book = _application(_reading(classes, quarter, False))
    found = book.definition(definition)
    _say_overlaps([found])
    chosen = _chosen_year(book, [found], classes.name, year)
    _emit(sizes_document(book.sizes(found, chosen), _words()), fmt, output)


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
    estimate: EstimateOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Published figures beside lsh's values for the same codes and period, with the most likely reason they differ.

    Example: lsh reconcile --ref F017
    """
    from lshcli.model import Reading

    result = _application(Reading(estimate=estimate)).reconcile(files or [], bundled, refs)
    _emit(result.document(_words()), fmt, output)


@definitions_app.callback(invoke_without_command=True)
def definitions_list(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """List every definition lsh can see (bundled and your own).

    Example: lsh definitions -f csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from lshcli.definitions import Definition
    from lshcli.output.catalog import definitions_document

    library = _library()
    found = library.each()
    good = [d for d in found if isinstance(d, Definition)]
    _emit(definitions_document(good, _words(), [library.is_bundled(d) for d in good]), fmt, output)
    broken = [e for e in found if not isinstance(e, Definition)]
    for exc in broken:
        warn(_("error: {message}", message=exc.told(_)))
    if broken:
        raise typer.Exit(EXIT_ERROR)


@definitions_app.command("show")
def definitions_show(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=_complete_definitions)
    ],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """One definition code by code, with titles, groups and notes.

    Example: lsh definitions show pwc2017
    """
    from lshcli.output.catalog import definition_document

    found = _library().get(definition)
    _emit(definition_document(found, _classification(found.classification), _words()), fmt, output)


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

    found = validate_file(path, _library())
    _say_overlaps([found])
    warn(
        _words()
        .header("{path}: valid definition {id!r} with {codes} codes")
        .format(path=path, id=found.id, codes=len(found.codes))
    )
    _emit(definition_document(found, _classification(found.classification), _words()), fmt, output)


@definitions_app.command("translate")
def definitions_translate(
    definition: Annotated[
        str, typer.Argument(help="A definition id or YAML file.", autocompletion=_complete_definitions)
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

    if _settings().lang != "en":  # the notes it writes into the file are English, as every definition's are
        raise typer.BadParameter(
            _(
                "'lsh definitions translate' writes its notes in English, as every definition's are; leave out --lang "
                "{lang}",
                lang=_settings().lang,
            )
        )
    if merged is not None and merged not in {m.value for m in Merged}:
        raise typer.BadParameter(_("--merged takes 'wider' or 'leave-out', not {merged!r}", merged=merged))
    _classification(to)  # a usage error that names the classifications
    try:
        result = _application().translate(definition, to, merged)
    except ChoiceNeeded as exc:
        raise typer.BadParameter(_("{exc}: give --merged wider or --merged leave-out", exc=exc)) from None
    for note in result.notes[1:]:
        warn(note)
    if output is None:
        sys.stdout.write(result.yaml)
    else:
        what = f"{result.definition.id}, {len(result.definition.codes)} codes in {result.target}"
        _write_bytes(result.yaml.encode("utf-8"), output, what)


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

    sbi = _classification(classification)
    if not codes and not search:
        raise typer.BadParameter(_("give one or more codes, or --search WORDS"))
    entries = [sbi.entries[sbi.parse(c)] for c in codes or []]
    if search:
        entries += sbi.search(search)
    if to is None:
        _emit(sbi_document(entries, sbi, _words()), fmt, output)
        return
    from lshcli.concordance import load as concordance

    other = _classification(to)
    if other.name == sbi.name:
        raise typer.BadParameter(_("--to names the classification the codes are read in ({name})", name=sbi.name))
    links = concordance(*sorted((sbi, other), key=lambda c: c.name))
    _emit(links_document([(e.code, links.links(e.code, sbi.name)) for e in entries], sbi, other, _words()), fmt, output)


@app.command("fetch")
def fetch_command(
    sbi_codes: Annotated[
        list[str] | None, typer.Option("--sbi", help="An SBI code to fetch, in any notation (repeatable).")
    ] = None,
    definitions: Annotated[
        list[str] | None, typer.Option("--definition", "-d", help="Fetch every code of a definition (repeatable).")
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            "-m",
            help="Which table to fetch from, by a measure it gives: firms, jobs, persons_employed, turnover, output "
            "or value_added (default: firms, or what --table gives). Every measure of that table is stored.",
        ),
    ] = None,
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            "-t",
            help="A CBS table id (default: the table that gives the measure).",
            autocompletion=_complete_tables,
        ),
    ] = None,
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            help="Seconds to wait for each piece of an answer (default 30; $LSH_CBS_TIMEOUT). A whole request may "
            "take at most $LSH_CBS_DEADLINE seconds (default 60), so one page costs at most (retries + 1) x 60 s "
            "plus backoff: about four minutes with the defaults.",
        ),
    ] = None,
    retries: Annotated[
        int | None, typer.Option("--retries", help="Retries after a failed request (default 3; $LSH_CBS_RETRIES).")
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh", help="Download every row again, also those the store holds from this version of the table."
        ),
    ] = False,
    classification: Annotated[
        str | None,
        typer.Option(
            "--classification",
            "-c",
            help="The classification of the codes and the table: sbi2008 or sbi2025 (default: the definitions', "
            "the table's, else sbi2008).",
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Fetch CBS figures for SBI codes into the local store (only the rows needed), and say what was stored.

    Example: lsh fetch --definition topsector --from 2015 --to 2019
    """
    from lshcli.cbs.client import CbsClient

    years = _years(year, start, end)
    if classification is not None:
        _classification(classification)  # a usage error that names the classifications
    book = _application()
    _say_overlaps([book.definition(d) for d in definitions or []])
    settings = _settings()
    client = CbsClient(settings.cbs_url, offline=settings.offline or None, timeout=timeout, retries=retries)
    with _progress() as step:
        result = book.fetch(
            sbi_codes or [],
            definitions or [],
            measure,
            table,
            classification,
            years,
            client=client,
            refresh=refresh,
            progress=step,
        )
    words = _words()
    for said in result.messages(words):
        warn(said)
    _emit(result.document(words), fmt, output)


@contextlib.contextmanager
def _progress(label: str = "") -> Iterator[Callable[[str, int], None]]:
    """A progress bar on stderr (only on a terminal), advanced once per request."""
    if not sys.stderr.isatty():
        yield lambda description, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        started = [False]

        def step(description: str, total: int) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=f"{label}: {description}" if label else description, total=total)

        yield step
        bar.advance(task)


ChartOutput = Annotated[
    Path, typer.Option("--output", "-o", help="The chart file: .png or .svg (the suffix picks the format).")
]


def _chart_format(output: Path) -> str:
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise typer.BadParameter(_("the chart file must end in .png or .svg, not {name!r}", name=output.name))
    return fmt


def _write_bytes(data: bytes, output: Path, what: str = "") -> None:
    """Write a file whole or not at all (never over the store); standard error says so, with `what` the file
    holds when given."""
    from lshcli.output.files import write_whole

    write_whole(data, output, _store_path())
    warn(_words().header("wrote {path}").format(path=output) + (f": {what}" if what else ""))


@plot_app.command("series")
def plot_series(
    definitions: Annotated[
        list[str],
        typer.Argument(help="One or more definition ids or YAML files.", autocompletion=_complete_definitions),
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

    fmt = _chart_format(output)
    book = _application(_reading(get_measure(measure), quarter, estimate))
    found = [book.definition(name) for name in definitions]
    _say_overlaps(found)
    result = book.series(found, measure, _years(None, start, end))
    series = [series_from(d.id, values) for d, values in result.lines]
    label = _words().header("{classification} from here").format(classification=result.newer) if result.newer else ""
    _write_bytes(series_chart(series, result.measure, fmt, result.break_year, label, _words()), output)


@plot_app.command("bridge")
def plot_bridge(
    a: Annotated[
        str, typer.Argument(help="The definition the bridge starts from.", autocompletion=_complete_definitions)
    ],
    b: Annotated[str, typer.Argument(help="The definition it ends at.", autocompletion=_complete_definitions)],
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

    fmt = _chart_format(output)
    book = _application(_reading(get_measure(measure), quarter, estimate))
    pair = [book.definition(a), book.definition(b)]
    _say_overlaps(pair)
    one_classification(pair)
    chosen = _chosen_year(book, pair, measure, year)
    comparison = book.compare(pair[0], pair[1], measure, chosen)
    assert isinstance(comparison, Comparison)  # one classification: no crossing
    _write_bytes(bridge_chart(comparison, fmt, _words()), output)


@app.command("across")
def across_command(
    definition: Annotated[
        str,
        typer.Argument(
            help="A definition id or YAML file, of either classification.", autocompletion=_complete_definitions
        ),
    ],
    other: Annotated[
        str | None,
        typer.Option(
            "--with",
            help="Its counterpart in the other classification (default: its translation, or what it was "
            "translated from).",
        ),
    ] = None,
    measure: MeasureOption = "firms",
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    link: Annotated[
        bool,
        typer.Option(
            "--link",
            help="Add a linked series: the SBI 2008 values carried into SBI 2025 by the two's ratio in the "
            "first year both are valued (an estimate).",
        ),
    ] = False,
    estimate_lost: Annotated[
        bool,
        typer.Option(
            "--estimate-lost",
            help="Estimate the SBI 2008 definition in years only SBI 2025 publishes: each wider "
            "code at the definition's share of it in the last SBI 2008 year (an estimate).",
        ),
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A definition's series across the SBI 2025 break, beside its counterpart in the other classification.

    Each year shows the SBI 2008 definition valued from SBI 2008 figures and the SBI 2025 one from SBI 2025 figures,
    side by side where both are published; the first SBI 2025 year is marked as the break.
    Example: lsh across topsector --link --estimate-lost
    """
    from lshcli.measures import get_measure

    book = _application(_reading(get_measure(measure), quarter, False))
    result = book.across(definition, other, measure, _years(None, start, end), link, estimate_lost)
    _emit(result.document(_words()), fmt, output)


@app.command("overlap")
def overlap_command(
    definitions: Annotated[
        list[str],
        typer.Argument(help="Two or more definition ids or YAML files.", autocompletion=_complete_definitions),
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

    book = _application(_reading(get_measure(measure), quarter, estimate))
    found = [book.definition(name) for name in definitions]
    _say_overlaps(found)
    one_classification(found)
    chosen = _chosen_year(book, found, measure, year)
    _emit(overlap_document(book.overlap(found, measure, chosen), _words()), fmt, output)


@app.command("report")
def report_command(
    definitions: Annotated[
        list[str],
        typer.Argument(
            help="Two or more definitions; the first is compared with each.", autocompletion=_complete_definitions
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The report file: .html or .md.")],
    measure: MeasureOption = "firms",
    year: YearOption = None,
    start: FromOption = None,
    end: ToOption = None,
    quarter: QuarterOption = None,
    estimate: EstimateOption = False,
    assets: Annotated[
        Path | None,
        typer.Option(
            "--assets",
            help="For a Markdown report: write the charts as PNG files into this folder and link them, for "
            "viewers that do not show embedded images.",
        ),
    ] = None,
) -> None:
    """One self-contained HTML or Markdown report: totals, decompositions, charts, caveats and provenance.

    Example: lsh report topsector pwc2017 pwc2019 -o report.html
    Example: lsh report topsector pwc2017 -o report.md --assets report-charts
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

    book = _application(_reading(get_measure(measure), quarter, estimate))
    found = [book.definition(name) for name in definitions]
    _say_overlaps(found)
    one_classification(found)
    chosen = _chosen_year(book, found, measure, year)
    report = book.report(found, measure, chosen, _years(None, start, end), _words())
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
            _write_bytes(image, assets / name)
        linked = Path(os.path.relpath(assets.resolve(), output.resolve().parent)).as_posix()
        page = to_markdown_page(report, linked)
    _write_bytes(page.encode("utf-8"), output)


@app.command("measures")
def measures_command(fmt: FormatOption = None, output: OutputOption = None) -> None:
    """The measures lsh can total, with their unit, period convention and the CBS tables that give them.

    Example: lsh measures
    """
    from lshcli.cbs.tables import TableRegistry
    from lshcli.measures import MEASURES
    from lshcli.output.catalog import measures_document

    _emit(measures_document(list(MEASURES.values()), TableRegistry().all(), _words()), fmt, output)


@app.command("tables")
def tables_command(fmt: FormatOption = None, output: OutputOption = None) -> None:
    """The CBS tables lsh can fetch, with their measures, SBI depth and periods.

    Example: lsh tables -f csv
    """
    from lshcli.cbs.tables import TableRegistry
    from lshcli.output.catalog import tables_document

    _emit(tables_document(TableRegistry().all(), _words()), fmt, output)


@store_app.callback(invoke_without_command=True)
def store_show(ctx: typer.Context, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """What the store holds: per source, table and measure, the rows, codes, periods and versions.

    Example: lsh store
    """
    if ctx.invoked_subcommand is not None:
        return
    from lshcli.output.catalog import store_document

    store = _store()
    _emit(store_document(str(store.path or "(in memory)"), store.holdings(), _words()), fmt, output)


@store_app.command("clear")
def store_clear(
    table: Annotated[str | None, typer.Option("--table", "-t", help="Clear only this CBS table's rows.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete the figures fetched from CBS (the bundled snapshot stays).

    Example: lsh store clear --table 81589NED --yes
    """
    store = _store()
    words = _words()
    if not yes:
        if not sys.stdin.isatty():
            raise typer.BadParameter(_("add --yes to clear the store without a question"))
        typer.confirm(words.clear_question(table, str(store.path)), abort=True, err=True)
    deleted = store.clear_fetched(table.strip().upper() if table else None)
    warn(words.cleared(deleted, table, str(store.path)))


def main() -> None:
    """Entry point of the `lsh` console script."""
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # what is still buffered is written here, where a failure can still be told
    except OSError as exc:  # the help or the version written to a full disk or a closed pipe
        with contextlib.suppress(OSError):
            sys.stderr.write(f"lsh: error: writing the output failed: {exc.strerror or exc}\n")
            sys.stderr.flush()
        os._exit(EXIT_ERROR)  # nothing more to flush: standard output is what failed
