"""Dutch output: the same results, told in Dutch at the edge; data formats keep their English keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cbs_server import CbsServer  # noqa: F401  (the fixture's type)
from tests.conftest import invoke

ENGLISH = re.compile(
    r"\b(firms|jobs|between|only in|holds|The gap|Period|Sources|definition|in both|snapshot|published|adds|"
    r"leaves out|share|title|part|of A|provisional|definitive|year|difference|against|Marks|change|Trend)\b"
)


COMMAND = re.compile(r"'lsh [^']*'")
"""A command to type, which is the same in every language."""


def _before_sources(text: str) -> str:
    """The lines lsh writes itself: the source list quotes the publications' own titles, in their language; a
    command to type is the same in both."""
    return COMMAND.sub("", text.split("Bronnen:")[0])


RUNS = [
    ["compare", "topsector", "pwc2017", "--year", "2016"],
    ["compare", "pwc2019", "topsector", "--measure", "jobs", "--year", "2019"],
    ["compare", "topsector", "pwc2017", "--year", "2016", "-f", "markdown"],
    ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019"],
    ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019", "--wide"],
    ["count", "topsector"],
    ["count", "topsector", "-m", "turnover"],
    ["count", "pwc2019", "--measure", "jobs", "--from", "2017", "--to", "2019", "--wide"],
    ["sizes", "topsector", "--year", "2016"],
    ["overlap", "topsector", "pwc2017", "pwc2019"],
    ["overlap", "topsector", "pwc2019", "--measure", "jobs", "--year", "2019"],
    ["reconcile"],
    ["reconcile", "--ref", "F014", "--ref", "F070", "-f", "markdown"],
]
"""One run of every command that speaks Dutch, each checked in both languages."""


@pytest.mark.parametrize("args", RUNS)
def test_dutch_output_has_no_english_words(args: list[str]) -> None:
    result = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    told = _before_sources(result.stdout)
    assert not ENGLISH.findall(told), ENGLISH.findall(told)
    assert not ENGLISH.findall(result.stderr), result.stderr
    assert "Sources:" not in result.stdout and ("Bronnen:" in result.stdout or "opgeslagen" in result.stdout)


def test_dutch_numbers_use_dutch_separators() -> None:
    result = invoke(["compare", "topsector", "pwc2017", "--year", "2016", "--lang", "nl"], env={"COLUMNS": "200"})
    assert "3.105" in result.stdout and "3,105" not in result.stdout
    assert "+67,3%" in result.stdout
    english = invoke(["compare", "topsector", "pwc2017", "--year", "2016"], env={"COLUMNS": "200"})
    assert "3,105" in english.stdout


def test_dutch_from_the_environment() -> None:
    result = invoke(["compare", "topsector", "pwc2017", "--year", "2016"], env={"LSH_LANG": "nl", "COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Waar het verschil vandaan komt" in result.stdout


def _told(node: object, found: list[object]) -> object:
    """The same JSON without its 'explanation' texts, which are collected in `found`."""
    if isinstance(node, dict):
        if "explanation" in node:
            found.append(node["explanation"])
        return {k: _told(v, found) for k, v in node.items() if k != "explanation"}
    if isinstance(node, list):
        return [_told(v, found) for v in node]
    return node


def test_json_keeps_english_keys_and_the_same_numbers() -> None:
    """Only the explanations change language; keys, numbers and provenance stay as they are."""
    args = ["compare", "topsector", "pwc2017", "--year", "2016", "-f", "json"]
    dutch_told: list[object] = []
    english_told: list[object] = []
    dutch = _told(json.loads(invoke([*args, "--lang", "nl"]).stdout), dutch_told)
    english = _told(json.loads(invoke(args).stdout), english_told)
    assert dutch == english
    assert len(dutch_told) == len(english_told) > 1
    assert "bedrijven" in json.dumps(dutch_told) and "firms" not in json.dumps(dutch_told)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["compare", "topsector", "pwc2017", "--lang", "xx"], "'xx'"),
        (["definitions", "translate", "topsector", "--to", "sbi2025", "--lang", "nl"], "lsh definitions translate"),
    ],
)
def test_unsupported_language_is_a_usage_error(args: list[str], needle: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert needle in result.output
    assert result.stdout.strip() == "" or "Error" in result.output


def test_dutch_estimate_and_missing_sentences() -> None:
    """The sentences no offline comparison makes, from invented typed notes: an estimate and its reasons."""
    from lshcli.cover import Estimate, Missing, MissingReason, NoEstimate, NoEstimateReason
    from lshcli.estimate import SIZE_KEY
    from lshcli.explain import Estimated, NeverTotalled
    from lshcli.model import Value
    from lshcli.output.words import words_for
    from tests.conftest import obs

    parent = obs("jobs", "26", "2019JJ00", 27.75)
    estimate = Estimate(
        codes=("26.60",),
        leaves=frozenset({"26.60"}),
        parent=parent,
        share=0.112,
        key_codes=1.0,
        key_parent=9.0,
        inputs=(),
        value=Value(3.1, 3.1),
        method=SIZE_KEY,
    )
    words = words_for("nl")
    told = words.note(Estimated(((estimate, "x 1 000 jobs"),)))
    assert "geschat op 3,1 x 1 000 banen, 11,2% van 26 (27,75)" in told
    missing = Missing(
        codes=("26.60",),
        reason=MissingReason.WITHIN_WIDER,
        wider=(parent,),
        no_estimate=NoEstimate(codes=("26.60",), parent="26", reason=NoEstimateReason.NO_FIRMS, year=2019),
    )
    never = words.note(NeverTotalled("topsector", 2015, 2019, 2019, (missing,), "x 1 000 jobs"))
    assert "geen bedrijven opgeslagen voor 26 in 2019" in never
    for sentence in (told, never):
        assert not ENGLISH.findall(sentence), ENGLISH.findall(sentence)


def test_every_measure_has_a_dutch_label_and_period() -> None:
    """A new measure without Dutch words fails here, not in front of a user."""
    from lshcli.measures import MEASURES
    from lshcli.output.words import words_for

    words = words_for("nl")
    for m in MEASURES.values():
        assert not ENGLISH.findall(words.label(m)), m.name
        assert words.period(m, None) and words.period(m, None) != m.convention
        assert words.period(m, 3).endswith("kwartaal 3 van elk jaar") or not m.quarterly
    # as CBS labels the class 3-4
    assert words.label(MEASURES["firms_size_3_4"]) == "bedrijven met 3 tot 5 werkzame personen"
    assert words.label(MEASURES["firms_size_1"]) == "bedrijven met 1 werkzame persoon"
    assert words.label(MEASURES["firms_under_250"]) == "bedrijven met minder dan 250 werkzame personen"


DUTCH = re.compile(
    r"\b(bedrijven|banen|tussen|bron|Bronnen|verschil|alleen in|in beide|telt|Periode|voorlopig|opgeslagen)\b"
)


@pytest.mark.parametrize("args", RUNS)
def test_english_output_has_no_dutch_words(args: list[str]) -> None:
    """The reverse: English output stays English outside the publications' own titles in the sources."""
    result = invoke(args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    told = COMMAND.sub("", result.stdout.split("Sources:")[0])
    assert not DUTCH.findall(told), DUTCH.findall(told)
    assert not DUTCH.findall(result.stderr), result.stderr
    dutch = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert DUTCH.findall(dutch.stdout)  # the check can fail


def _own_words(markdown: str) -> str:
    """A Markdown report without its images and without the sections that quote the definitions' and the
    publications' own words (titles and citations stay in the language they were written in)."""
    kept = []
    for section in re.split(r"\n(?=## )", re.sub(r"\(data:image/png;base64,[^)]*\)", "", markdown)):
        heading = section.splitlines()[0]
        if heading in ("## De definities", "## The definitions", "## Herkomst", "## Provenance"):
            kept.append("\n".join(line for line in section.splitlines() if not line.startswith("| ")))
        else:
            kept.append(section)
    return "\n".join(kept)


@pytest.mark.slow
@pytest.mark.parametrize("measure", ["firms", "jobs"])
def test_the_report_in_both_languages(tmp_path: object, measure: str) -> None:
    from pathlib import Path

    out = Path(str(tmp_path))
    args = ["report", "topsector", "pwc2017", "pwc2019", "-m", measure, "--from", "2015", "--to", "2019"]
    dutch = invoke([*args, "-o", str(out / "nl.md"), "--lang", "nl"])
    english = invoke([*args, "-o", str(out / "en.md")])
    assert dutch.exit_code == 0 and english.exit_code == 0, dutch.output + english.output
    commands = re.compile(r"'lsh [^']*'")  # a command to type is the same in both languages
    nl = commands.sub("", _own_words((out / "nl.md").read_text()))
    en = commands.sub("", _own_words((out / "en.md").read_text()))
    assert "## Samenvatting" in nl and "## Summary" in en
    assert not ENGLISH.findall(nl), ENGLISH.findall(nl)
    assert not DUTCH.findall(en), DUTCH.findall(en)
    assert not ENGLISH.findall(dutch.stderr) and "geschreven" in dutch.stderr
    html = invoke([*args, "-o", str(out / "nl.html"), "--lang", "nl"])
    assert html.exit_code == 0
    assert '<html lang="nl">' in (out / "nl.html").read_text()


def _svg_text(path: object) -> str:
    from pathlib import Path

    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", Path(str(path)).read_text()))


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["plot", "bridge", "topsector", "pwc2017", "--year", "2016"],
        ["plot", "series", "topsector", "pwc2017", "-m", "jobs", "--from", "2015", "--to", "2019"],
    ],
)
def test_charts_in_both_languages(tmp_path: object, args: list[str]) -> None:
    """Titles, axes, value labels and footers of a chart follow the language; SVG keeps its text as text."""
    dutch = invoke([*args, "-o", f"{tmp_path}/nl.svg", "--lang", "nl"])
    english = invoke([*args, "-o", f"{tmp_path}/en.svg"])
    assert dutch.exit_code == 0 and english.exit_code == 0, dutch.output + english.output
    nl, en = _svg_text(f"{tmp_path}/nl.svg"), _svg_text(f"{tmp_path}/en.svg")
    assert "Bron:" in nl and "Source:" in en
    assert not ENGLISH.findall(nl), ENGLISH.findall(nl)
    assert not DUTCH.findall(en), DUTCH.findall(en)


CATALOGUES = [
    ["sbi", "21.10", "32.5", "46.46"],
    ["sbi", "72.19.3", "26.60", "32.50", "--to", "sbi2025"],
    ["sbi", "72.10.0", "-c", "sbi2025", "--to", "sbi2008"],
    ["measures"],
    ["tables"],
    ["store"],
    ["definitions"],
    ["definitions", "show", "topsector"],
    ["definitions", "show", "pwc2019_sbi2025"],
    ["definitions", "validate", str(Path(__file__).parent.parent / "definitions" / "pwc2017.yaml")],
]
"""The catalogues: what lsh knows of codes, measures, tables, definitions and the store."""
CATALOGUE_DUTCH = re.compile(r"\b(omschrijving|niveau|maatstaf|tabel|koppeling|Definities|Opslag|bron|Indeling)\b")


def _without_ids(text: str) -> str:
    """A text without measure ids, which users type and every language shows as they are."""
    from lshcli.measures import MEASURES

    ids = "|".join(sorted((re.escape(m) for m in MEASURES), key=len, reverse=True))
    return re.sub(rf"\b({ids})\b|firms_size_\*", "", text)


def _without_data(text: str) -> str:
    """A catalogue without what it quotes: measure ids (what users type), and a definition's own title, source
    and notes (in the language they were written in)."""
    text = _without_ids(text)
    quoted = ("Toelichting:", "Note:", "Bron:", "Source:", "Waarschuwing:", "Warning:")
    lines = [line for line in text.splitlines() if not line.startswith(quoted) and not re.match(r"^[a-z0-9_]+: ", line)]
    if lines and lines[0].split() in (["Definities"], ["Definitions"]):  # the list: each one's title and source
        lines = [line for line in lines if not line.startswith("│")]
    return "\n".join(lines)


@pytest.mark.parametrize("args", CATALOGUES)
def test_catalogues_in_both_languages(args: list[str]) -> None:
    dutch = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    english = invoke(args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert dutch.exit_code == 0 and english.exit_code == 0, dutch.output + english.output
    nl, en = _without_data(dutch.stdout), _without_data(english.stdout)
    assert not ENGLISH.findall(nl), ENGLISH.findall(nl)
    assert not ENGLISH.findall(_without_ids(dutch.stderr)), dutch.stderr
    assert not DUTCH.findall(en) and not CATALOGUE_DUTCH.findall(en), CATALOGUE_DUTCH.findall(en)
    assert CATALOGUE_DUTCH.findall(dutch.stdout)  # the check can fail


def test_a_dutch_workbook_names_its_columns_and_sheets_in_dutch(tmp_path: object) -> None:
    from openpyxl import load_workbook

    path = f"{tmp_path}/gap.xlsx"
    result = invoke(["compare", "topsector", "pwc2017", "--year", "2016", "--lang", "nl", "-o", path])
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames[-2:] == ["zinnen", "bronnen"]
    headers = [c.value for c in book.worksheets[1][1]]
    assert "bedrijven (laag)" in headers and "% van A" in headers
    assert "% van het verschil (hoog)" not in headers  # no row has a share of the gap: a column saying nothing goes
    rows = {r[1]: r for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert rows["46.46"][3] == 2090  # numbers stay numbers: Excel formats them the Dutch way itself


def test_a_dutch_wide_workbook_holds_the_same_numbers_as_an_english_one(tmp_path: object) -> None:
    """A wide table's cells are text the language writes ('13,26 p'); its workbook takes the numbers from the
    machine text, never from the Dutch ('13,26' read as 1326 once)."""
    from openpyxl import load_workbook

    args = ["count", "pwc2019", "-m", "jobs", "--from", "2017", "--to", "2019", "--wide"]
    sheets = []
    for lang in ("en", "nl"):
        path = f"{tmp_path}/{lang}.xlsx"
        assert invoke([*args, "--lang", lang, "-o", path]).exit_code == 0
        sheets.append([r[2:5] for r in load_workbook(path).worksheets[0].iter_rows(min_row=2, values_only=True)])
    english, dutch = sheets
    assert english == dutch and any(isinstance(v, float) and not v.is_integer() for v in english[0])


@pytest.mark.slow
def test_a_fetch_in_both_languages(cbs: object) -> None:
    """The local CBS (invented figures): what a fetch stored and says, in Dutch and in English; a code finer than
    the jobs table goes (46.46) is stored as its division, and the note says so in Dutch."""
    args = ["fetch", "--sbi", "21.10", "--sbi", "46.46", "--from", "2016", "--to", "2017"]
    dutch = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200"})
    assert dutch.exit_code == 0, dutch.output
    assert "Opgehaald bij CBS 81589NED" in dutch.stdout and "opgeslagen (versie" in dutch.stderr
    english = invoke([*args, "--refresh"], env={"COLUMNS": "200"})
    assert english.exit_code == 0, english.output
    assert "Fetched from CBS 81589NED" in english.stdout and "stored " in english.stderr
    commands = re.compile(r"'lsh [^']*'")
    for told in (dutch.stdout, dutch.stderr):
        assert not ENGLISH.findall(_without_ids(commands.sub("", told))), told
    for told in (english.stdout, english.stderr):
        assert not DUTCH.findall(told) and not CATALOGUE_DUTCH.findall(told), told
    jobs = invoke(
        ["fetch", "--sbi", "46.46", "-m", "jobs", "--from", "2016", "--to", "2016", "--lang", "nl", "-f", "json"]
    )
    assert jobs.exit_code == 0, jobs.output
    assert json.loads(jobs.stdout)["codes"][0]["note"] == "de tabel gaat tot afdeling; 46 opgeslagen"
    assert "46.46 zit niet in 83583NED" in jobs.stderr


def test_a_wide_table_and_store_clear_speak_dutch() -> None:
    wide = invoke(["count", "pwc2019", "-m", "jobs", "--from", "2015", "--to", "2019", "--wide", "--lang", "nl"])
    assert wide.exit_code == 0 and "verloop" in wide.stdout and "trend" not in wide.stdout
    cleared = invoke(["store", "clear", "--yes", "--lang", "nl"])
    assert cleared.exit_code == 0 and "rijen verwijderd" in cleared.stderr
    assert not ENGLISH.findall(cleared.stderr) and "deleted" not in cleared.stderr


def test_a_language_is_a_catalogue_not_a_module() -> None:
    """No module is written for one language: a language is a catalogue that `lshcli.language` finds, and no module
    asks which language it speaks (the data's own Dutch titles are read by `title_in`, `group_in` and
    `period_basis_in`, which take any language)."""
    from lshcli.language import languages

    src = Path(__file__).parent.parent / "src" / "lshcli"
    assert not list(src.rglob("words_*.py"))
    assert {"en", "nl"} <= set(languages())
    asking = {
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if re.search(r"lang\w* (==|!=) \"nl\"", path.read_text(encoding="utf-8"))
    }
    assert asking <= {"sbi.py", "definitions.py", "cbs/tables.py"}, asking
