"""Property: whatever a definition file holds (structured YAML, any text, any bytes), loading it ends as a
valid definition or as lsh's own one-sentence error, and never as another exception."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lshcli.definitions import Definition, DefinitionLibrary, search_dirs
from lshcli.errors import LshError
from lshcli.sbi import load as classification

CASES = settings(
    max_examples=150,
    derandomize=True,  # the same examples on every run
    deadline=timedelta(seconds=10),  # generous: each example takes milliseconds, and the caps keep it so
    suppress_health_check=[HealthCheck.too_slow],
)
CODES = st.sampled_from(["21", "21.10", "2110", "72.11.2", "46.46", "C", "0125", "0x15", "21.30", "", "99"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), CODES)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(st.text(max_size=8), CODES), inner, max_size=4)
    ),
    max_leaves=20,
)
KEYS = st.sampled_from(
    ["id", "title", "source", "classification", "extends", "codes", "add", "remove", "notes", "other"]
)
CODE_ENTRIES = st.one_of(CODES, st.fixed_dictionaries({"code": CODES}, optional={"note": VALUES, "group": VALUES}))
SHAPED = st.dictionaries(
    KEYS,
    st.one_of(VALUES, st.lists(CODE_ENTRIES, max_size=5), st.sampled_from(["topsector", "pwc2017", "nowhere"])),
    max_size=6,
)
FOLDER = Path(tempfile.mkdtemp(prefix="lsh-fuzz-"))
atexit.register(shutil.rmtree, FOLDER, True)  # each test process makes one folder, and leaves none behind


def load(data: bytes) -> Definition | LshError:
    path = FOLDER / "fuzzed.yaml"
    path.write_bytes(data)
    try:
        return DefinitionLibrary(classification(), search_dirs([FOLDER])).get(str(path))
    except LshError as exc:
        assert "\n" not in str(exc).strip()
        return exc


@pytest.mark.slow
@CASES
@given(SHAPED)
def test_definition_shaped_yaml(data: dict[str, object]) -> None:
    assert isinstance(load(yaml.safe_dump(data, allow_unicode=True).encode("utf-8")), (Definition, LshError))


@pytest.mark.slow
@CASES
@given(VALUES)
def test_any_yaml_structure(data: object) -> None:
    assert isinstance(load(yaml.safe_dump(data).encode("utf-8")), (Definition, LshError))


@pytest.mark.slow
@CASES
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    assert isinstance(load(text.encode("utf-8")), (Definition, LshError))


@pytest.mark.slow
@CASES
@given(st.binary(max_size=300))
def test_any_bytes(data: bytes) -> None:
    assert isinstance(load(data), (Definition, LshError))


def test_some_examples_are_valid_definitions() -> None:
    assert isinstance(load(b"title: x\ncodes: [21, 0111]\n"), Definition)
