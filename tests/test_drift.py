"""The same note in both languages carries the same numbers, codes and sources: the three drifts a review found
(a gap group's missing 'no estimate' reason, a value derived by subtraction without its sources, and 'for all'
said of one definition) each have a test here. Figures are invented."""

from __future__ import annotations

import json
import re

import pytest

from lshcli.compare import Part, compare
from lshcli.cover import MissingReason, NoEstimate, NoEstimateReason
from lshcli.definitions import DefinitionLibrary, search_dirs
from lshcli.errors import Remedy
from lshcli.explain import Derived, MissingGroup, comparison_notes
from lshcli.measures import MEASURES
from lshcli.output.words import words_for
from lshcli.query import Figurebook, YearBasis, YearChoice
from lshcli.sbi import load
from lshcli.store import Store
from tests.conftest import invoke, obs

NUMBER = re.compile(r"\d(?:[\d.,]*\d)?")
REF = re.compile(r"\b[A-Z][A-Za-z]*\d+\b")


def facts(text: str) -> tuple[set[str], set[str]]:
    """The numbers (separators dropped, so 2,290 and 2.290 are one) and the figure references in a sentence."""
    return {re.sub(r"[.,]", "", n) for n in NUMBER.findall(text)}, set(REF.findall(text))


def same_facts(english: str, dutch: str) -> None:
    assert facts(english) == facts(dutch), (english, dutch)


@pytest.fixture
def mine(write_definition) -> DefinitionLibrary:  # type: ignore[no-untyped-def]
    """Invented definitions: 21.10 alone and 21.20 alone."""
    path = write_definition("d2110", "title: 21.10\ncodes: ['21.10']\n")
    write_definition("d2120", "title: 21.20\ncodes: ['21.20']\n")
    return DefinitionLibrary(load(), search_dirs([path.parent]))


def test_a_value_derived_by_subtraction_names_its_sources_in_both_languages(
    mine: DefinitionLibrary, blank_store: Store
) -> None:
    blank_store.add([obs("firms", "21", "2016Q1", 200, ref="D21"), obs("firms", "21.10", "2016Q1", 30, ref="C2110")])
    c = compare(Figurebook(blank_store, load()), mine.get("d2110"), mine.get("d2120"), MEASURES["firms"], 2016)
    derived = next(n for n in comparison_notes(c) if isinstance(n, Derived))
    english, dutch = words_for("en").note(derived), words_for("nl").note(derived)
    assert "D21" in dutch and "C2110" in dutch
    same_facts(english, dutch)


@pytest.mark.parametrize("reason", list(NoEstimateReason))
@pytest.mark.parametrize("outside", [False, True])
def test_a_gap_group_keeps_its_no_estimate_reason_in_both_languages(
    reason: NoEstimateReason, outside: bool, mine: DefinitionLibrary
) -> None:
    wider = obs("firms", "21", "2016Q1", 475, ref="W21")
    why = NoEstimate(
        reason,
        ("21.10", "21.20"),
        "21",
        2016,
        size_class="firms_size_1",  # CBS writes 3-4 as "3 tot 5" in Dutch
    )
    group = MissingGroup(
        MissingReason.WITHIN_WIDER,
        (("21.10", Part.ONLY_A),),
        wider,
        outside,
        why,
        False,
        2016,
        "firms",
        Remedy(codes=("21.10",)),
    )
    english = words_for("en")._group(group, "d2110", "d2120")
    dutch = words_for("nl")._group(group, "d2110", "d2120")
    assert "no estimate" in english and "geen schatting" in dutch
    assert words_for("nl").no_estimate(why) in dutch
    same_facts(english, dutch)


@pytest.mark.parametrize("count", [1, 2, 3])
@pytest.mark.parametrize("basis", list(YearBasis))
def test_the_year_note_names_whom_it_speaks_of(count: int, basis: YearBasis) -> None:
    names = ("topsector", "pwc2017", "pwc2019")[:count]
    choice = YearChoice(2016, basis, names, MEASURES["firms"])
    english, dutch = words_for("en").year_choice(choice), words_for("nl").year_choice(choice)
    same_facts(english, dutch)
    if count == 1 and basis is not YearBasis.ONE_SIDE:
        assert not re.search(r"\b(alle|beide)\b", dutch) and names[0] in dutch
    if count == 3 and basis is not YearBasis.ONE_SIDE:  # one side of a break: always two
        assert re.search(r"\balle\b", dutch)


SAID = ("explanation", "notes", "caveats", "warnings")
"""The keys under which a JSON document holds sentences, in the language asked for."""


def sentences(document: object) -> list[str]:
    """Every sentence a JSON document holds, in document order."""
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key in SAID:
                found.extend(value if isinstance(value, list) else [value])
            else:
                found.extend(sentences(value))
    elif isinstance(document, list):
        for value in document:
            found.extend(sentences(value))
    return found


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "topsector", "pwc2017", "--year", "2016"],
        ["compare", "pwc2017", "topsector", "-m", "jobs", "--year", "2016", "--estimate"],
        ["compare", "pwc2019", "topsector", "-m", "jobs", "--from", "2015", "--to", "2019"],
        ["compare", "topsector", "topsector_sbi2025"],
        ["across", "topsector", "--estimate-lost"],
        ["count", "topsector"],
        ["sizes", "topsector", "--year", "2016"],
        ["overlap", "topsector", "pwc2017", "pwc2019"],
        ["reconcile"],
    ],
)
def test_every_sentence_of_a_run_carries_the_same_numbers_and_references_in_both_languages(args: list[str]) -> None:
    told = {}
    for lang in ("en", "nl"):
        result = invoke([*args, "-f", "json", "--lang", lang])
        assert result.exit_code == 0, result.stderr
        told[lang] = sentences(json.loads(result.stdout))
    assert told["en"] and len(told["en"]) == len(told["nl"])
    for english, dutch in zip(told["en"], told["nl"], strict=True):
        same_facts(english, dutch)
