"""SBI 2008 codes: notations, hierarchy, titles and suggestions."""

from __future__ import annotations

import pytest

from lshcli.errors import UnknownCodeError
from lshcli.sbi import load as classification
from lshcli.sbi import normalise


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("21.10", "21.10"),
        ("2110", "21.10"),
        ("21.1", "21.1"),
        ("211", "21.1"),
        ("72.11.2", "72.11.2"),
        ("72112", "72.11.2"),
        ("21", "21"),
        ("c", "C"),
        ("C", "C"),
        (" 46.46 ", "46.46"),
        ("SBI 2110", "21.10"),
        ("0111", "01.11"),
    ],
)
def test_every_notation_normalises(text: str, code: str) -> None:
    assert normalise(text) == code
    assert classification().parse(text) == code


@pytest.mark.parametrize("text", ["21.1.0", "abc", "2", "721123", "21,10", ""])
def test_text_that_is_no_notation_is_refused(text: str) -> None:
    with pytest.raises(UnknownCodeError):
        classification().parse(text)


def test_group_and_class_are_different_levels_with_the_same_firms() -> None:
    sbi = classification()
    assert sbi.entries["21.1"].level == "group"
    assert sbi.entries["21.10"].level == "class"
    assert sbi.leaves("21.1") == sbi.leaves("21.10") == frozenset({"21.10"})


def test_hierarchy_answers_inside_and_under() -> None:
    sbi = classification()
    assert sbi.contains("46.46", "46.46.1")
    assert not sbi.contains("46.46.1", "46.46")
    assert sbi.ancestors("72.11.2") == ["72.11", "72.1", "72", "M"]
    under_26 = sbi.descendants("26")
    assert "26.60" in under_26 and "26.6" in under_26 and "27.10" not in under_26
    assert sbi.leaves("46.46") == frozenset({"46.46.1", "46.46.2"})
    assert sbi.leaves("21") == frozenset({"21.10", "21.20"})


def test_dutch_titles_are_bundled() -> None:
    sbi = classification()
    assert sbi.entries["21.10"].title_in("nl") == "Vervaardiging van farmaceutische grondstoffen"
    assert sbi.entries["46.46.1"].title_nl == "Groothandel in farmaceutische producten"
    assert sbi.entries["21.10"].title == sbi.entries["21.10"].title_en == "Manufacture of basic pharmaceutical products"
    assert sbi.entries["C"].title_nl == "Industrie"
    assert sbi.entries["01.11"].title_nl.startswith("Teelt van granen")


def test_every_code_has_a_title_and_a_known_parent() -> None:
    sbi = classification()
    assert len(sbi.entries) > 1400
    for code, entry in sbi.entries.items():
        assert entry.title
        parent = sbi.parent(code)
        assert parent is None or parent in sbi.entries, code


def test_unknown_code_suggests_its_real_siblings() -> None:
    with pytest.raises(UnknownCodeError) as info:
        classification().parse("72.11.7")
    assert info.value.suggestions[:3] == ["72.11.1", "72.11.2", "72.11.3"]
    assert "did you mean 72.11.1? (nearest real codes: 72.11.2" in str(info.value)


def test_search_finds_words_in_titles() -> None:
    codes = [e.code for e in classification().search("groothandel farmaceutische")]
    assert "46.46.1" in codes
    assert classification().search("") == []
