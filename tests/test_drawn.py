"""lsh draws its tables itself where rich would draw the same text: checked against rich, character for character,
on the documents of real commands and on generated ones (invented text), with and without colors."""

from __future__ import annotations

import operator
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lshcli.output import drawn as drawn_module
from lshcli.output import formats
from lshcli.output.document import Column, Document, Section
from lshcli.output.drawn import OTHER, drawn
from lshcli.output.layout import fit
from tests.conftest import invoke


def both(doc: Document, width: int, color: bool) -> tuple[str | None, str]:
    """The document drawn by lsh (None where it leaves it to rich) and by rich."""
    fitted = [(section, fit(section, width)) for section in doc.sections]
    return drawn(doc, fitted, width, color), formats.rich_table(doc, fitted, width, color)


def test_every_character_lsh_draws_is_one_column_wide_in_rich() -> None:
    from rich.cells import cell_len

    kept = [chr(c) for c in range(0x30000) if not OTHER.match(chr(c))]
    assert len(kept) > 1000 and "\t" not in kept and "\u0301" not in kept and "漢" not in kept
    assert [c for c in kept if c != "\n" and cell_len(c) != 1] == []


COMMANDS = [
    ["compare", "topsector", "pwc2017"],
    ["compare", "topsector", "pwc2019", "-m", "jobs", "--from", "2010", "--to", "2019"],
    ["compare", "topsector", "pwc2017", "--wide"],
    ["count", "topsector"],
    ["count", "pwc2019", "-m", "jobs", "--wide"],
    ["overlap", "topsector", "pwc2017", "pwc2019"],
    ["sbi", "21.10"],
    ["sbi", "--search", "pharma"],
    ["sbi", "--search", "zzzz"],
    ["definitions"],
    ["definitions", "show", "topsector"],
    ["compare", "pwc2017", "pwc2017_sbi2025", "--year", "2022"],
    ["measures"],
    ["reconcile"],
    ["across", "topsector"],
    ["store"],
]


@pytest.mark.parametrize("columns", ["60", "80", "100", "200"])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_tables_of_real_commands_are_drawn_as_rich_draws_them(
    columns: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command's document, at widths from a narrow terminal up, in both languages, with and without colors."""
    seen: list[bool] = []

    def checked(doc: Document, fitted: Any, width: int, color: bool) -> str | None:
        ours = {with_color: drawn(doc, fitted, width, with_color) for with_color in (False, True)}
        for with_color, text in ours.items():
            assert text is None or text == formats.rich_table(doc, fitted, width, with_color), (doc, width, with_color)
        seen.append(ours[color] is not None)
        return ours[color]

    monkeypatch.setattr(drawn_module, "drawn", checked)
    for args in COMMANDS:
        result = invoke(args, env={"COLUMNS": columns, "LSH_LANG": lang})
        assert result.exit_code == 0, (args, result.stderr)
    assert len(seen) == len(COMMANDS) and all(seen)


WORD = st.one_of(
    st.sampled_from(["26.60+32.50", "3,105", "-815 - +150", "n/a", "…", "topsector", "2016", "F001,", "/a/b/c"]),
    st.text(alphabet="abcxyz +/-,.", min_size=1, max_size=30),
    st.text(alphabet="aé€–“”‘’•→─█ß\n ", min_size=0, max_size=12),
)
TEXT = st.lists(WORD, max_size=12).map(lambda words: " ".join(words))
"""Invented text: lsh's codes, numbers and ranges, letters and signs lsh draws, spaces and line breaks."""


@st.composite
def documents(draw: Any) -> Document:
    sections = []
    for _ in range(draw(st.integers(0, 2))):
        count = draw(st.integers(1, 5))
        columns = [
            Column(
                f"c{i}",
                draw(TEXT.filter(str.strip)),
                display=operator.itemgetter(f"c{i}"),
                numeric=draw(st.booleans()),
                max_width=draw(st.sampled_from([None, None, 12, 40])),
                no_wrap=draw(st.booleans()),
                wrap_at=draw(st.sampled_from([None, 10, 30])),
            )
            for i in range(count)
        ]
        records = [{f"c{i}": draw(TEXT) for i in range(count)} for _ in range(draw(st.integers(0, 4)))]
        sections.append(Section(draw(st.one_of(st.none(), TEXT)), columns, records))
    return Document(
        sections,
        data=None,
        sentences=draw(st.lists(TEXT, max_size=3)),
        footnotes=draw(st.lists(TEXT, max_size=2)),
        sources=draw(st.lists(TEXT, max_size=2)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(20, 140), st.booleans())
def test_generated_documents_are_drawn_as_rich_draws_them(doc: Document, width: int, color: bool) -> None:
    ours, theirs = both(doc, width, color)
    assert ours is not None  # every character of the invented text is one lsh draws
    assert ours == theirs


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(20, 200), st.booleans())
def test_many_more_generated_documents_are_drawn_as_rich_draws_them(doc: Document, width: int, color: bool) -> None:
    ours, theirs = both(doc, width, color)
    assert ours == theirs


@pytest.mark.parametrize(
    "text",
    ["a\tb", "漢字", "e\u0301", "\x1b[31mred", "a\u200bb"],
    ids=["tab", "wide", "combining", "escape", "zero-width"],
)
def test_text_lsh_does_not_draw_is_left_to_rich(text: str) -> None:
    doc = Document([Section(text, [Column("c", "code", lambda r: r)], ["x"])], data=None, sentences=[text])
    ours, theirs = both(doc, 80, False)
    assert ours is None and theirs


def test_a_dumb_terminal_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = Document([Section("t", [Column("c", "code", lambda r: r)], ["x"])], data=None, footnotes=["a note"])
    monkeypatch.setenv("TERM", "dumb")
    assert both(doc, 80, True)[0] is None
    assert both(doc, 80, False)[0] == both(doc, 80, False)[1]
    monkeypatch.setenv("TERM", "xterm-256color")
    assert both(doc, 80, True)[0] == both(doc, 80, True)[1] and "\x1b[2ma note\x1b[0m" in both(doc, 80, True)[1]


def test_text_left_to_rich_is_returned_in_a_notebook_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a notebook's kernel rich shows what it prints in the notebook; lsh's text is still returned, not shown."""
    import rich.console

    monkeypatch.setattr(rich.console, "_is_jupyter", lambda: True)
    doc = Document([Section("漢字", [Column("c", "code", lambda r: r)], ["x"])], data=None)
    ours, theirs = both(doc, 80, False)
    assert ours is None and "漢字" in theirs


def test_the_headline_command_does_not_import_rich() -> None:
    code = (
        "import sys; from lshcli.cli import main; sys.argv = ['lsh', 'compare', 'topsector', 'pwc2017']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "firms" in done.stdout and done.stderr.split()[-1] == "False"
