"""Languages are catalogues: every message translated, every field kept, the compiled files up to date, and no
untranslated word left in any command's output (found with the pseudo-language `qps`)."""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import catalogues  # noqa: E402  (scripts/ is not a package)

SHIPPED = ["nl"]


def _catalog(code: str):  # type: ignore[no-untyped-def]
    with (catalogues.LOCALE / code / "LC_MESSAGES" / "lsh.po").open("rb") as fp:
        return read_po(fp)


def _fields(text: str) -> set[str]:
    return {f"{name}!{conv}" if conv else name for _, name, _, conv in string.Formatter().parse(text) if name}


def test_the_catalogues_and_their_compiled_files_are_up_to_date() -> None:
    """A message added to the code, or a catalogue edited without compiling, fails here: run scripts/catalogues.py."""
    stale = [p.relative_to(ROOT).as_posix() for p, data in catalogues.files().items() if p.read_bytes() != data]
    assert stale == []


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated(code: str) -> None:
    assert catalogues.untranslated(code) == []


@pytest.mark.parametrize("code", [*SHIPPED, catalogues.PSEUDO])
def test_every_translation_keeps_the_fields_of_its_message(code: str) -> None:
    """A translation may reorder the fields of its message, never lose, add or rename one."""
    checked = 0
    for m in _catalog(code):
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set().union(*(_fields(i) for i in ids)) - {"n"}
        for s in strings:
            assert _fields(s) - {"n"} == wanted, (m.id, s)
            checked += 1
    assert checked > 400


def test_a_language_writes_its_own_numbers() -> None:
    from lshcli.language import language

    nl, en = language("nl"), language("en")
    assert (en.number(3105), nl.number(3105)) == ("3,105", "3.105")
    assert (en.number(12.9), nl.number(12.9)) == ("12.9", "12,9")
    assert (en.percent(67.25, "+.1f"), nl.percent(67.25, "+.1f")) == ("+67.2%", "+67,2%")
    assert nl.listed(["a", "b", "c"]) == "a, b en c" and en.listed(["a"]) == "a"
    assert nl._("") == "" and en._("") == ""  # not the catalogue's header
    with pytest.raises(ValueError):
        language("xx")


def test_a_third_language_is_one_catalogue_file() -> None:
    """The pseudo-language has no code of its own: its catalogue alone makes `--lang qps` work."""
    result = invoke(["compare", "topsector", "pwc2017", "--lang", "qps"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "⟦" in result.stdout and "3,105" in result.stdout


RUNS = [
    ["compare", "topsector", "pwc2017", "--year", "2016"],
    ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019"],
    ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019", "--wide"],
    ["compare", "topsector", "pwc2017_sbi2025"],
    ["compare", "topsector", "pwc2017", "--year", "2016", "-f", "markdown"],
    ["count", "topsector"],
    ["count", "pwc2019", "--measure", "jobs", "--from", "2017", "--to", "2019", "--wide"],
    ["sizes", "topsector", "--year", "2016"],
    ["overlap", "topsector", "pwc2017", "pwc2019"],
    ["reconcile"],
    ["sbi", "32.50", "--to", "sbi2025"],
    ["definitions"],
    ["definitions", "validate", "definitions/pwc2019.yaml"],
    ["across", "topsector", "--from", "2022", "--to", "2025"],
    ["measures"],
    ["store"],
    ["sbi", "72.19"],
    ["definitions", "show", "topsector"],
    ["tables"],
]
"""A run of every command that writes sentences or tables."""

COMMAND = re.compile(r"'lsh [^']*'|(?<!\w)--[\w-]+|\S*/\S*")
"""A command, an option or a path, the same in every language."""
ENGLISH = re.compile(r"(?<![\w-])[A-Za-z]{3,}\b(?!…)")
"""A word of plain letters only: the pseudo-language accents every word it translates."""
NAMES = {"lsh", "CBS", "SBI", "NACE", "Eurostat", "EZK", "PwC", "HTML", "JSON", "CSV", "html", "png", "svg"}


def _data_text() -> str:
    """The text of the data itself, which lsh quotes as published: definition ids, titles and notes, SBI titles,
    table titles and the citations of the sources (a table may wrap a word of it anywhere)."""
    import lshcli
    from lshcli.sbi import load

    book = lshcli.open()
    texts: list[str] = []
    for d in book.library.all():
        texts += [d.id, d.title, d.title_in("en"), d.source or "", *d.notes, str(d.origin)]
        texts += [c.group_en or c.group or "" for c in d.codes] + [c.note or "" for c in d.codes]
    for c in (load("sbi2008"), load("sbi2025")):
        texts += [e.title_in("en") for e in c.entries.values()]
    data = ROOT / "src" / "lshcli" / "data"
    texts += [(data / name).read_text(encoding="utf-8") for name in ("snapshot.csv", "reference.csv")]
    texts += [spec.read_text(encoding="utf-8") for spec in (data / "tables").glob("*.yaml")]
    return "\n".join(texts)


@pytest.mark.parametrize("args", RUNS, ids=lambda a: " ".join(a))
def test_no_untranslated_word_in_any_command(args: list[str]) -> None:
    result = invoke(["--lang", "qps", *args], env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    data = _data_text()
    found = set(ENGLISH.findall(COMMAND.sub(" ", result.stdout + result.stderr))) - NAMES
    left = {word for word in found if word not in data}
    assert left == set(), sorted(left)


def _explanations(node: object) -> list[str]:
    if isinstance(node, dict):
        found = []
        for k, v in node.items():
            if k == "explanation":
                found += v if isinstance(v, list) else [v]
            else:
                found += _explanations(v)
        return found
    if isinstance(node, list):
        return [t for v in node for t in _explanations(v)]
    return []


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "topsector", "pwc2017", "--year", "2016"],
        ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019"],
        ["compare", "topsector", "pwc2017_sbi2025"],
        ["count", "topsector", "--from", "2010", "--to", "2020"],
        ["reconcile"],
    ],
    ids=lambda a: " ".join(a),
)
def test_every_sentence_carries_the_same_numbers_codes_and_sources_in_both_languages(args: list[str]) -> None:
    """A sentence may change its words with the language, never its numbers, codes, years or references (digits
    compared without the separators, which each language writes its own way)."""
    import json

    def told(lang: str) -> list[list[str]]:
        result = invoke(["--lang", lang, *args, "-f", "json"])
        assert result.exit_code == 0, result.output
        texts = _explanations(json.loads(result.stdout))
        return [sorted(re.sub(r"[.,]", "", t) for t in re.findall(r"[A-Z]?\d[\d.,]*", text)) for text in texts]

    english, dutch = told("en"), told("nl")
    assert len(english) == len(dutch) > 0
    assert english == dutch


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["compare", "topsector", "nosuch"], 1),
        (["sbi", "72.199"], 1),
        (["count", "topsector", "-m", "jobz"], 1),
        (["compare", "topsector", "pwc2017", "--from", "2020", "--to", "2010"], 2),
        (["count", "topsector", "--year", "1066"], 1),
        (["report", "topsector", "pwc2017", "-o", "report.gif"], 2),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else str(a),
)
def test_errors_speak_the_language_too(args: list[str], code: int) -> None:
    """lsh's own errors and usage messages are messages like any other (the frame of a usage error, 'Usage:' and
    'Error: Invalid value:', is the command-line library's)."""
    result = invoke(["--lang", "qps", *args], env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    told = [
        line.split("Invalid value: ", 1)[-1]
        for line in result.stderr.splitlines()
        if "lsh:" in line or "Invalid value" in line
    ]
    assert told, result.stderr
    from lshcli.measures import ALIASES, MEASURES

    ids = {*ALIASES, *MEASURES, "topsector", "pwc2017", "pwc2019"}
    quoted = re.sub(r"'[^']*'", " ", COMMAND.sub(" ", " ".join(told)))  # what the user typed, as typed
    left = {w for w in ENGLISH.findall(quoted) if w not in ids} - NAMES
    assert left == set(), (sorted(left), told)


FRAME = {
    "Usage",
    "Arguments",
    "Options",
    "Commands",
    "OPTIONS",
    "COMMAND",
    "ARGS",
    "required",
    "default",
    "Show",
    "this",
    "message",
    "and",
    "exit",
    "TEXT",
    "INTEGER",
    "PATH",
    "RANGE",
    "FLOAT",
    "table",
    "csv",
    "json",
    "markdown",
    "xlsx",
    "html",
    "yaml",
    "png",
    "svg",
    "md",
    "txt",
}
"""The frame of every help page, which the command-line library writes itself ('Usage:', 'Options', '[required]',
the types of the options), and the names of formats and file types."""


def _commands() -> list[list[str]]:
    import typer.main

    from lshcli.cli import app

    def walk(command: object, path: list[str]) -> list[list[str]]:
        found = [path]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, [*path, name])
        return found

    return walk(typer.main.get_command(app), [])


def test_every_help_page_speaks_the_language() -> None:
    """`--help` of lsh and of every command, in the pseudo-language: lsh's own help texts are all messages."""
    from lshcli.measures import ALIASES, MEASURES

    commands = _commands()
    ids = {*ALIASES, *MEASURES, *(name for path in commands for name in path)}
    ids |= {"topsector", "pwc2017", "pwc2019", "sbi2008", "sbi2025", "wider", "latest"}
    assert len(commands) > 15
    for path in commands:
        result = invoke(["--lang", "qps", *path, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        # what a user types stays as typed: quoted words, variables, example command lines, option defaults
        typed = r"'[^']*'|\$\w+|lsh [a-z].*|\[default: [^\]]*\]"
        text = re.sub(typed, " ", COMMAND.sub(" ", result.stdout))
        left = {w for w in ENGLISH.findall(text) if w not in ids and not w.isupper()} - NAMES - FRAME  # metavars
        assert left == set(), (path, sorted(left))


def test_the_language_is_read_before_the_help_is_built() -> None:
    from lshcli.session import asked_language

    assert asked_language(["compare", "--lang", "nl", "--help"]) == "nl"
    assert asked_language(["--lang=nl", "compare"]) == "nl"
    assert asked_language(["compare", "--", "--lang", "nl"]) == "en"
    assert asked_language(["--lang", "xx"]) == "en"  # a usage error once the options are parsed
    dutch = invoke(["compare", "--help"], env={"LSH_LANG": "nl", "COLUMNS": "200"})
    assert "Beide totalen, het verschil" in dutch.stdout
    english = invoke(["compare", "--help"], env={"COLUMNS": "200"})
    assert "Both totals, the difference" in english.stdout


@pytest.mark.parametrize(
    ("lang", "columns"),
    [
        ("en", "100"),
        ("nl", "80"),
        pytest.param("en", "60", marks=pytest.mark.slow),
        pytest.param("de", "100", marks=pytest.mark.slow),
    ],
)
def test_lsh_help_at_once_is_what_the_command_line_prints(lang: str, columns: str) -> None:
    """`lsh --help` is printed from its kept text (lshcli/entry.py) where the command line would print the same;
    on a narrow terminal or in a language lsh lacks, the command line answers itself."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("lsh")
    env = {**os.environ, "COLUMNS": columns, "LSH_LANG": lang}
    fast = subprocess.run([str(script), "--help"], env=env, capture_output=True, check=False)
    command_line = "import sys; sys.argv = ['lsh', '--help']; from lshcli.cli import main; main()"
    slow = subprocess.run([sys.executable, "-c", command_line], env=env, capture_output=True, check=False)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
