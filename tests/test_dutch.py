"""Dutch output: the same results, told in Dutch at the edge; data formats keep their English keys."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import invoke

ENGLISH = re.compile(
    r"\b(firms|jobs|between|only in|holds|The gap|Period|Sources|definition|in both|snapshot|published|adds|"
    r"leaves out|share|title|part|of A|provisional|definitive|year|difference|against|Marks|change|Trend)\b"
)


def _before_sources(text: str) -> str:
    """The lines lsh writes itself: the source list quotes the publications' own titles, in their language."""
    return text.split("Bronnen:")[0]


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "topsector", "pwc2017", "--year", "2016"],
        ["compare", "pwc2019", "topsector", "--measure", "jobs", "--year", "2019"],
        ["compare", "topsector", "pwc2017", "--year", "2016", "-f", "markdown"],
        ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019"],
        ["compare", "pwc2019", "topsector", "--measure", "jobs", "--from", "2015", "--to", "2019", "--wide"],
    ],
)
def test_dutch_compare_has_no_english_words(args: list[str]) -> None:
    result = invoke([*args, "--lang", "nl"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    told = _before_sources(result.stdout)
    assert not ENGLISH.findall(told), ENGLISH.findall(told)
    assert "Bronnen:" in result.stdout


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
        (["count", "topsector", "--lang", "nl"], "lsh count"),
        (["compare", "topsector", "pwc2017", "--lang", "xx"], "'xx'"),
        (["compare", "topsector", "topsector_sbi2025", "--lang", "nl"], "2025 break"),
    ],
)
def test_unsupported_language_is_a_usage_error(args: list[str], needle: str) -> None:
    result = invoke(args)
    assert result.exit_code == 2
    assert needle in result.output
    assert result.stdout.strip() == "" or "Error" in result.output
