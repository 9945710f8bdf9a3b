"""Shared fixtures. Every figure made up here is invented test data, not a published number."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import typer.testing
from typer.testing import CliRunner

from lshcli.model import Observation, Source
from lshcli.store import Store
from tests.cbs_server import CbsServer, FakeTable, firms_table, jobs_table, serve

INVENTED = Source(kind="snapshot", citation="invented test figure (tests/conftest.py)")


# typer's test runner turns the app into a click command on every call, which is half the time of a small
# command; the app does not change while the tests run, so the tests build it once.
typer.testing._get_command = functools.cache(typer.testing._get_command)  # type: ignore[attr-defined]


def invoke(args: Sequence[str], env: dict[str, str] | None = None) -> Any:
    """Run `lsh ARGS` in-process, as a user would type them; the result has exit_code, stdout and stderr."""
    from lshcli.cli import app

    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test away from the user's store, config and terminal settings."""
    (tmp_path / "store").mkdir()  # lsh makes no folder the user names: the store's folder exists, as a user's would
    monkeypatch.setenv("LSH_STORE", str(tmp_path / "store" / "store.sqlite3"))
    monkeypatch.delenv("LSH_DEFINITIONS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    # No test may reach CBS: the default host is a closed local port, and tests that fetch start their own server.
    monkeypatch.setenv("LSH_CBS_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LSH_CBS_V4_URL", "http://127.0.0.1:9")  # nor CBS's v4
    monkeypatch.setenv("LSH_CBS_PROTOCOL", "v3")  # the tests of OData v4 and of the protocol routing set their own
    monkeypatch.setenv("LSH_EUROSTAT_URL", "http://127.0.0.1:9")  # nor Eurostat
    monkeypatch.setenv("LSH_CBS_TIMEOUT", "5")
    monkeypatch.setenv("LSH_CBS_RETRIES", "2")
    monkeypatch.setenv("LSH_CBS_BACKOFF", "0.01")
    monkeypatch.delenv("LSH_OFFLINE", raising=False)
    monkeypatch.delenv("LSH_TABLES", raising=False)
    monkeypatch.delenv("LSH_LANG", raising=False)
    return tmp_path


def obs(
    measure: str,
    sbi: str,
    period: str,
    low: float | None,
    high: float | None = None,
    status: str | None = None,
    ref: str = "T",
) -> Observation:
    """An invented observation; `high` defaults to `low` (a point)."""
    return Observation(
        measure=measure,
        sbi=tuple(sbi.split("+")),
        period=period,
        value_low=low,
        value_high=low if high is None and low is not None else high,
        unit="firms",
        status=status,
        source=INVENTED,
        ref=ref,
    )


@pytest.fixture
def empty_store() -> Iterator[Store]:
    """An in-memory store that holds only the bundled snapshot."""
    store = Store(None)
    yield store
    store.close()


@pytest.fixture
def blank_store() -> Iterator[Store]:
    """An in-memory store with nothing in it, not even the bundled snapshot: core tests add invented figures."""
    store = Store(None, snapshot=False)
    yield store
    store.close()


@pytest.fixture
def write_definition(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a definition file into a folder of user definitions and return its path."""
    folder = tmp_path / "defs"
    folder.mkdir(exist_ok=True)

    def write(name: str, text: str) -> Path:
        path = folder / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def fake_tables() -> list[FakeTable]:
    """The invented CBS tables: firms by subclass and quarter 2015-2019, employee jobs by division 2010-2019."""
    return [firms_table(), jobs_table()]


@pytest.fixture
def cbs(fake_tables: list[FakeTable], monkeypatch: pytest.MonkeyPatch) -> Iterator[CbsServer]:
    """A local CBS OData server on 127.0.0.1, with lsh pointed at it."""
    with serve(fake_tables) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        monkeypatch.setenv("LSH_CBS_V4_URL", server.url)  # the same local CBS speaks v4 too (tests/cbs_v4.py)
        yield server


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="write the expected output files anew from lsh's output"
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare text with an expected file in tests/expected/ (or write it, with --update-golden).

    Where a bundled definition file lies depends on the install, so its folder is written as <bundled>.
    """
    from lshcli.definitions import _bundled_dir

    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        text = text.replace(str(_bundled_dir()), "<bundled>")
        path = Path(__file__).parent / "expected" / name
        if update:
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no expected file {name}: run pytest --update-golden and read the diff"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs (pytest --update-golden rewrites it)"

    return check
