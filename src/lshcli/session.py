"""The command line's run: its settings, its language, what it says on standard error, the hints that name
commands, each error as one sentence and the help in the chosen language; and what every command reads through
it (the definitions, the store, the facade's Book) and writes through it (a document, a file)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import typer.core
from msgspec import Struct, field

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


_HELP_TOLD = [False]
"""Whether this process has told a help tree in a language other than English (only then has one to be restored)."""


def tell_help(command: Any, lang: str) -> None:
    """The help of a command tree in a language: each help text is a message, looked up from the English kept
    beside it (a tree may serve several runs, in several languages). A run in English where no tree was ever told
    in another language has nothing to do."""
    if lang == "en" and not _HELP_TOLD[0]:
        return
    _HELP_TOLD[0] = True
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
            if settings().debug:
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
            if settings().debug or any(c.__name__ in ("ClickException", "Exit", "Abort") for c in type(exc).__mro__):
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


class Settings(Struct):
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

    return language(settings().lang)._(message, **fields)


def warn(message: str, always: bool = False) -> None:
    """A warning or note for people: standard error, never standard output (control characters removed); with
    --quiet only errors (`always`) are said."""
    from lshcli.output.document import clean

    if settings().quiet and not always:
        return
    print(f"lsh: {clean(message)}", file=sys.stderr)


class CliHints:
    """The commands that would help, as the command line words them."""

    def fetch(self, remedy: Remedy) -> str:
        """'lsh fetch --measure jobs --sbi 26.60 --year 2021', or '' when no CBS table gives the measure."""
        if not fetchable(remedy.measure or "firms", remedy.year):
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
def fetchable(measure: str, year: int | None = None) -> bool:
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


def words() -> Words:
    """The sentences of this run, in its language (--lang / $LSH_LANG)."""
    from lshcli.output.words import words_for

    lang = settings().lang
    return words_for(lang, CliHints(), None if lang == "en" else sbi2008())


_session: ContextVar[Settings | None] = ContextVar("lsh_session", default=None)
"""This run's settings: set once by the global options (and kept in the typer context), read by every command."""


def settings() -> Settings:
    found = _session.get()
    if found is None:  # a command called without the global options (a test of its own): the defaults, once
        found = Settings()
        _session.set(found)
    return found


def sbi2008() -> Classification:
    """The classification this run reads codes in."""
    run = settings()
    if run.sbi is None:
        from lshcli.sbi import load

        run.sbi = load()
    return run.sbi


def classification_named(name: str) -> Classification:
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


def definitions() -> DefinitionLibrary:
    """The definitions this run sees; a user's file that replaces a bundled definition is said once."""
    run = settings()
    if run.library is None:
        from lshcli.definitions import DefinitionLibrary, search_dirs

        run.library = DefinitionLibrary(sbi2008(), search_dirs(run.definitions_dirs))
        for override in run.library.overrides():
            warn(_("your {path} replaces the bundled definition {id!r}", path=override.path, id=override.id))
    return run.library


def opened_store() -> Store:
    from lshcli.store import open_store

    store = open_store(settings().store)
    for unusable in store.warnings:
        warn(words().unusable_store(unusable))
    return store


def say_overlaps(definitions: Sequence[Definition]) -> None:
    """Each overlap the definitions' files hold, said once on standard error."""
    for message in dict.fromkeys(m for d in definitions for m in d.warnings):
        warn(words().overlap(message))


def figures(reading: Reading | None = None, classification: str | None = None) -> Figurebook:
    """The figures of this run in one classification (SBI 2008 unless named): the store read in its codes."""
    from lshcli.query import Figurebook

    sbi = sbi2008() if classification is None else classification_named(classification)
    return Figurebook(opened_store(), sbi, reading)


def emit(doc: Document, given: OutputFormat | None, output: Path | None) -> None:
    """Render a document to stdout, or to a file written whole or not at all, in the format given or named by the
    file's suffix."""
    from lshcli.output.formats import format_for, render, render_bytes

    if output is not None:
        not_over_the_store(output)
    doc.lang = settings().lang
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
            write_bytes(data, output)
        return
    if output is None:
        from lshcli.output.files import terminal_width

        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        render(doc, fmt, sys.stdout, width=terminal_width(sys.stdout), color=color)
        return
    write_bytes(render_bytes(doc, fmt), output)


def not_over_the_store(output: Path) -> None:
    """No output is ever written over lsh's own store."""
    from lshcli.output.files import not_the_store

    not_the_store(output, store_path())


def store_path() -> Path:
    from lshcli.store import default_path

    return settings().store or default_path()


LATEST = "latest"


def year_option(year: str | None) -> int | None:
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


def years_option(year: str | None, start: int | None, end: int | None) -> list[int] | None:
    if year is not None and (start is not None or end is not None):
        raise typer.BadParameter(_("give either --year or --from/--to, not both"))
    if year is not None and year_option(year) is not None:
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


def chosen_year(book: api.Book, definitions: Sequence[Definition], measure: str, year: str | None) -> int:
    """The year asked for (the Book checks it), or the one default-year rule's choice, said on standard error."""
    chosen = year_option(year)
    if chosen is not None:
        return chosen
    choice = book.year_choice(definitions, measure)
    warn(words().year_choice(choice))
    return choice.year


def application(reading: Reading | None = None) -> api.Book:
    """The facade's Book on this run's store and definitions, read as asked: the one application layer the
    commands call."""
    from lshcli.api import Book

    return Book(figures(reading), definitions())


def checked_years(years: Sequence[int], measure: Measure, *others: Measure) -> None:
    """A year no figure can cover is an error naming the years that exist (see lshcli.years)."""
    from lshcli.years import check_years

    check_years(opened_store(), years, measure, *others)


def reading_for(measure: Measure, quarter: int | None, estimate: bool) -> Reading:
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


@contextlib.contextmanager
def progress(label: str = "") -> Iterator[Callable[[str, int], None]]:
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


def chart_format(output: Path) -> str:
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise typer.BadParameter(_("the chart file must end in .png or .svg, not {name!r}", name=output.name))
    return fmt


def write_bytes(data: bytes, output: Path, what: str = "") -> None:
    """Write a file whole or not at all (never over the store); standard error says so, with `what` the file
    holds when given."""
    from lshcli.output.files import write_whole

    write_whole(data, output, store_path())
    warn(words().header("wrote {path}").format(path=output) + (f": {what}" if what else ""))
