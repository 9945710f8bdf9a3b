"""The JSON-stat reader on Eurostat's recorded answers (../shared/reference/eurostat): sparse values decoded
through each dimension's index, confidential cells kept as cells without a value, sizes of 0 named, and each
kind of refusal one sentence. Bodies built here (not recorded) say so."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest

from lshcli import jsonstat
from lshcli.errors import FetchError

EUROSTAT = Path(__file__).resolve().parents[2] / "shared" / "reference" / "eurostat"
pytestmark = pytest.mark.skipif(not EUROSTAT.exists(), reason="../shared is not beside the repository")


def recorded(name: str) -> bytes:
    matches = sorted(EUROSTAT.glob(f"*/*{name}*"))
    assert len(matches) == 1, matches
    return matches[0].read_bytes()


def test_an_all_confidential_slice_is_cells_without_values_never_zeros() -> None:
    body = recorded("all-confidential")
    raw = json.loads(body)
    data = jsonstat.read(body)
    cells = list(data.cells())
    assert not data.empty
    assert len(cells) == len(raw["status"]) == math.prod(raw["size"])
    assert all(cell.value is None and cell.confidential == "C" for cell in cells)
    months = list(raw["dimension"]["time"]["category"]["index"])
    assert [cell.code("time") for cell in cells] == sorted(
        months, key=raw["dimension"]["time"]["category"]["index"].get
    )
    assert {cell.code("geo") for cell in cells} == {"IE"}


@pytest.mark.parametrize(
    ("name", "dimension"),
    [("unknown-geo", "geo"), ("unknown-unit", "unit"), ("time-size-0", "time")],
)
def test_a_dimension_of_size_zero_is_named_and_the_answer_is_empty(name: str, dimension: str) -> None:
    data = jsonstat.read(recorded(name))
    assert data.sized_zero() == [dimension]
    assert data.empty
    assert list(data.cells()) == []


def test_a_period_without_data_is_empty_but_sized() -> None:
    data = jsonstat.read(recorded("no-data"))
    assert data.empty and data.sized_zero() == []


def test_values_are_decoded_through_the_index_with_the_last_dimension_fastest() -> None:
    body = recorded("lowercase")
    raw = json.loads(body)
    data = jsonstat.read(body)
    months = sorted(raw["dimension"]["time"]["category"]["index"].items(), key=lambda item: item[1])
    expected = {months[int(key)][0]: float(value) for key, value in raw["value"].items()}
    got = {cell.code("time"): cell.value for cell in data.cells()}
    assert got == expected
    assert {cell.code("geo") for cell in data.cells()} == {"DE"}  # asked as 'de', answered as 'DE'
    assert data.updated == raw["updated"] and data.label == raw["label"]


def test_positions_follow_the_index_not_the_order_codes_are_listed_in() -> None:
    """Invented figures: two countries listed out of position order, three years."""
    body: dict[str, Any] = {
        "id": ["geo", "time"],
        "size": [2, 3],
        "dimension": {
            "geo": {"category": {"index": {"NL": 1, "BE": 0}}},
            "time": {"category": {"index": ["2021", "2022", "2023"]}},
        },
        "value": {"0": 1.0, "4": 5.0},
        "status": {"4": "p", "5": "bep|C"},
    }
    cells = {(c.code("geo"), c.code("time")): c for c in jsonstat.read(body).cells()}
    assert cells["BE", "2021"].value == 1.0
    assert cells["NL", "2022"].value == 5.0 and cells["NL", "2022"].provisional
    assert cells["NL", "2023"].value is None and cells["NL", "2023"].confidential == "C"
    assert cells["NL", "2023"].flags == ("b", "e", "p")
    assert len(cells) == 3


@pytest.mark.parametrize(
    ("status", "flags", "confidential"),
    [
        ("", (), None),
        ("|C", (), "C"),
        ("p|C", ("p",), "C"),
        ("de", ("d", "e"), None),
        ("c", (), "C"),
        ("u|N", ("u",), "N"),
    ],
)
def test_a_status_splits_into_flags_and_confidentiality(
    status: str, flags: tuple[str, ...], confidential: str | None
) -> None:
    assert jsonstat.split_status(status) == (flags, confidential)


def test_every_flag_in_eurostat_codelist_is_known() -> None:
    with (EUROSTAT / "flags" / "OBS_FLAG_CONF_STATUS_codelists.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    flags = [row["code"] for row in rows if row["codelist"] == "OBS_FLAG"]
    statuses = {row["code"] for row in rows if row["codelist"] == "CONF_STATUS"}
    assert flags and statuses
    for flag in flags:
        assert jsonstat.split_status(flag) == (tuple(flag), None)
    assert statuses == set(jsonstat.CONFIDENTIAL)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("DS-999999.json", ("HTTP 404", "not available", "ERR_NOT_FOUND_4")),
        ("EXTRACTION_TOO_BIG__DS-045409.json", ("HTTP 413", "fewer codes", "EXTRACTION_TOO_BIG")),
        ("INVALID_QUERY_DIMENSION", ("HTTP 400", "structure", "FROMTIMEPERIOD")),
        ("ASYNCHRONOUS_RESPONSE", ("only later", "fewer codes")),
    ],
)
def test_each_refusal_is_one_sentence_with_eurostat_own_words(name: str, words: tuple[str, ...]) -> None:
    with pytest.raises(FetchError) as caught:
        jsonstat.read(recorded(name), "the SBS figures")
    message = str(caught.value)
    assert "\n" not in message and "the SBS figures" in message
    for word in words:
        assert word in message


ONE = b'{"id": ["geo"], "size": [1], "dimension": {"geo": {"category": {"index": {"NL": 0}}}}, '
"""An invented one-cell dataset's opening, for bodies broken in their values or statuses."""


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html><body>Service unavailable</body></html>", "web page"),
        (b'{"id": ["geo"', "not valid JSON"),
        (b"[1, 2]", "no dataset"),
        (
            ONE + b'"value": {"3": 1}}',
            "outside",
        ),
        (b'{"id": ["geo"], "size": [2], "dimension": {"geo": {"category": {"index": {"NL": 0}}}}}', "positions"),
        (
            ONE + b'"value": {"0": NaN}}',
            "JSON",
        ),
        (
            ONE + b'"value": {"0": "7"}}',
            "finite",
        ),
        (
            ONE + b'"status": {"0": "z"}}',
            "flag",
        ),
        (b'{"id": ["geo", "time"], "size": [1], "dimension": {}}', "differ"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_a_broken_body_is_one_sentence(body: bytes, words: str) -> None:
    """Invented bodies: each broken in one way."""
    with pytest.raises(FetchError) as caught:
        jsonstat.read(body)
    assert words in str(caught.value) and "\n" not in str(caught.value)
