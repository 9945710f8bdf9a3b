"""What lsh guarantees, tried as a hostile server and a careless user would (every figure here is invented).

A failed fetch changes nothing in the store, byte for byte; only the configured host is contacted; every
answer is bounded in time and size; figures are never filed under another code; the store is lsh's
alone; bad settings are usage errors; definition files are read exactly as written, or refused in one
sentence; and output never carries a live spreadsheet formula, HTML or a terminal escape sequence.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from lshcli.store import APPLICATION_ID, SCHEMA_VERSION, Store
from tests.cbs_server import CbsServer, FakeTable, Fault, serve
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parents[1]
TOPSECTOR = ["21.10", "21.20", "26.60", "32.50", "72.11.2", "72.19.3"]


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return invoke(list(args), env=env)


def store_path() -> Path:
    return Path(os.environ["LSH_STORE"])


def refused(result, message: str, code: int = 3) -> None:  # type: ignore[no-untyped-def]
    """One sentence on stderr naming the problem, the documented exit code, and nothing on stdout."""
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == code, result.stderr
    assert len(lines) == 1 and lines[0].startswith("lsh: error: "), result.stderr
    assert message in lines[0], lines[0]
    assert result.stdout == ""


@pytest.fixture
def held(cbs: CbsServer) -> bytes:
    """A store holding fetched figures, as bytes: a failed fetch must leave exactly these."""
    assert run("fetch", "--sbi", "21.10", "-m", "jobs").exit_code == 0
    cbs.hits.clear()
    return store_path().read_bytes()


def fetch_topsector(*extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run("fetch", "--definition", "topsector", "--from", "2016", "--to", "2019", *extra, env=env)


def cbs_rows() -> list[tuple[object, ...]]:
    conn = sqlite3.connect(store_path())
    try:
        return conn.execute(
            "SELECT o.measure, o.sbi, o.period, o.value_low, s.table_modified FROM figures o"
            " JOIN sources s ON s.id = o.source_id WHERE s.kind = 'cbs' ORDER BY 1, 2, 3"
        ).fetchall()
    finally:
        conn.close()


# --- 1, 7, 8: an answer with missing, unknown, conflicting or non-finite rows changes nothing -------------

BAD_ANSWERS = [
    (Fault("UntypedDataSet", "empty"), "sent no row of 81589NED for 96 of the 96 cells asked for"),
    (Fault("UntypedDataSet", "unpadded"), "match no key and period asked for"),
    (Fault("UntypedDataSet", "repadded"), "match no key and period asked for"),
    (Fault("UntypedDataSet", "junk"), "match no key and period asked for (such as '' '')"),
    (Fault("UntypedDataSet", "duplicate"), "two different rows of 81589NED for key"),
    (Fault("UntypedDataSet", "nonfinite", value="Infinity"), "holds the number Infinity, which is no finite"),
    (Fault("UntypedDataSet", "nonfinite", value="-Infinity"), "holds the number -Infinity"),
    (Fault("UntypedDataSet", "nonfinite", value="NaN"), "holds the number NaN"),
    (Fault("UntypedDataSet", "nonfinite", value="1e400"), "holds the number 1e400"),
    (Fault("UntypedDataSet", "nonfinite", value='"Infinity"'), "the cell 'Infinity' is no finite number"),
    (Fault("UntypedDataSet", "nonfinite", value='"  1e999"'), "the cell '1e999' is no finite number"),
    (Fault("UntypedDataSet", "nonfinite", value="1" + "0" * 400), "is too large a number"),
    (Fault("UntypedDataSet", "nonfinite", value="true"), "the cell True is no number"),  # not the figure 1
    (Fault("UntypedDataSet", "nonfinite", value="[1]"), "the cell [1] is no number"),
]


@pytest.mark.parametrize(("fault", "message"), BAD_ANSWERS, ids=lambda f: getattr(f, "kind", ""))
def test_a_bad_answer_is_refused_and_the_store_unchanged(
    cbs: CbsServer, held: bytes, fault: Fault, message: str
) -> None:
    cbs.faults.append(fault)
    refused(fetch_topsector(), message)
    assert store_path().read_bytes() == held


def test_identical_duplicate_rows_are_one_row(cbs: CbsServer, fake_tables: list[FakeTable]) -> None:
    jobs = fake_tables[1]
    doubled = replace(jobs, rows=jobs.rows + jobs.rows, _untyped=None)
    with serve([doubled]) as server:
        result = run("fetch", "-m", "jobs", "--sbi", "21", "--year", "2019", env={"LSH_CBS_URL": server.url})
    assert result.exit_code == 0, result.stderr
    assert len(cbs_rows()) == 1


# --- 2: only the configured host is ever contacted --------------------------------------------------------


def test_a_next_page_on_another_host_is_refused(cbs: CbsServer, held: bytes) -> None:
    cbs.faults.append(Fault("UntypedDataSet", "foreign_next"))
    refused(fetch_topsector(), "CBS pointed to a page on another host (http://203.0.113.7/ODataFeed/odata/81589NED")
    assert store_path().read_bytes() == held


def test_a_redirect_to_another_host_is_refused(cbs: CbsServer, held: bytes) -> None:
    cbs.faults.append(Fault("UntypedDataSet", "redirect", value="https://203.0.113.7/ODataFeed/odata/x"))
    refused(fetch_topsector(), "CBS redirected to another host (https://203.0.113.7/ODataFeed/odata/x)")
    assert store_path().read_bytes() == held


def test_a_redirect_on_the_same_host_is_followed(cbs: CbsServer) -> None:
    cbs.faults.append(Fault("TableInfos", "redirect", times=1, value="/ODataFeed/odata/81589NED/TableInfos"))
    result = run("fetch", "--sbi", "21.10", "--year", "2019")
    assert result.exit_code == 0, result.stderr
    assert [h.status for h in cbs.hits if h.path.endswith("TableInfos")][:2] == [302, 200]


def test_a_proxy_from_the_environment_is_used(cbs: CbsServer) -> None:
    """The local server also answers as a proxy would, for a host that does not exist."""
    env = {"LSH_CBS_URL": "http://cbs.invalid", "http_proxy": cbs.url, "no_proxy": ""}
    result = run("fetch", "--sbi", "21.10", "--year", "2019", env=env)
    assert result.exit_code == 0, result.stderr
    assert cbs.hits and all(h.status == 200 for h in cbs.hits)


@pytest.mark.slow  # half a second or more; CI runs it
def test_https_with_a_trusted_certificate(fake_tables: list[FakeTable]) -> None:
    cert = str(ROOT / "tests" / "tls" / "cert.pem")
    with serve(fake_tables[1:], tls=True) as server:
        assert server.url.startswith("https://")
        trusted = run("fetch", "-m", "jobs", "--sbi", "21", env={"LSH_CBS_URL": server.url, "SSL_CERT_FILE": cert})
        assert trusted.exit_code == 0, trusted.stderr
        server.hits.clear()
        untrusted = run("fetch", "-m", "jobs", "--sbi", "21", env={"LSH_CBS_URL": server.url, "SSL_CERT_FILE": ""})
    refused(untrusted, "the TLS connection failed (self-signed certificate)")
    assert "tried" not in untrusted.stderr  # not retried


# --- 3, 9: bounded in time and size, and a stall said as what it is -------------------------------------

# Each case can end one way only, so no test races two timers: the trickle sends a byte every 20 ms, so only the
# 0.5 s deadline can stop it (never the 5 s wait for a piece); the stall sends its headers and half its body at
# once and then nothing, so a 3 s wait can only end inside the body (the server says when the known bytes are out);
# the hang sends nothing at all. Each run has a hard limit of its own: without a deadline it fails, not hangs.
SLOW_OR_LARGE = [
    pytest.param(
        Fault("UntypedDataSet", "trickle"),
        {"LSH_CBS_DEADLINE": "0.5", "LSH_CBS_TIMEOUT": "5"},
        "took longer than the 0.5 s allowed",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        Fault("UntypedDataSet", "stall"),
        {"LSH_CBS_TIMEOUT": "3"},
        "the answer stopped arriving (nothing for 3 s)",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        Fault("UntypedDataSet", "hang"), {"LSH_CBS_TIMEOUT": "0.3"}, "no answer within 0.3 s", marks=pytest.mark.slow
    ),
    (Fault("UntypedDataSet", "big", value=200_000), {"LSH_CBS_MAX_MB": "0.1"}, "larger than the 0.1 MB lsh accepts"),
    (Fault("UntypedDataSet", "gzipbomb", value=50_000_000), {"LSH_CBS_MAX_MB": "1"}, "larger than the 1 MB"),
    (Fault("DataProperties", "gzipbomb", value=50_000_000), {"LSH_CBS_MAX_MB": "1"}, "larger than the 1 MB"),
]


@pytest.mark.parametrize(("fault", "env", "message"), SLOW_OR_LARGE, ids=lambda f: getattr(f, "kind", ""))
def test_every_answer_is_bounded_in_time_and_size(
    cbs: CbsServer, fault: Fault, env: dict[str, str], message: str
) -> None:
    import threading

    Store(store_path()).close()
    before = store_path().read_bytes()
    cbs.faults.append(fault)
    outcome: list = []  # type: ignore[type-arg]
    run_ = threading.Thread(target=lambda: outcome.append(fetch_topsector(env={"LSH_CBS_RETRIES": "0", **env})))
    run_.daemon = True
    run_.start()
    run_.join(60.0)  # the hard limit: far past any bound above, so reached only when a bound is missing
    assert not run_.is_alive(), f"the fetch outlived its bound ({fault.kind})"
    refused(outcome[0], message)
    if fault.kind == "stall":
        assert cbs.held.is_set()  # the headers and half the body were out before lsh gave up
    assert store_path().read_bytes() == before


@pytest.mark.slow  # half a second or more; CI runs it
def test_a_bomb_is_not_retried_and_a_stall_is(cbs: CbsServer) -> None:
    cbs.faults.append(Fault("UntypedDataSet", "gzipbomb", value=20_000_000))
    fetch_topsector(env={"LSH_CBS_MAX_MB": "1"})
    assert len(cbs.data_requests()) == 1
    cbs.hits.clear()
    cbs.faults[:] = [Fault("UntypedDataSet", "stall")]
    result = fetch_topsector(env={"LSH_CBS_TIMEOUT": "0.2"})
    assert "(tried 3 times)" in result.stderr and len(cbs.data_requests()) == 3


# --- 4: pages of any size --------------------------------------------------------------------------------


@pytest.mark.slow  # a second or more; CI runs it
def test_small_pages_are_followed_to_the_end(cbs: CbsServer) -> None:
    assert run("fetch", "--definition", "topsector", "--year", "2019").exit_code == 0
    whole = cbs_rows()
    store_path().unlink()
    cbs.hits.clear()
    cbs.page_rows = 7  # 24 rows asked for: 4 pages
    result = run("fetch", "--definition", "topsector", "--year", "2019")
    assert result.exit_code == 0, result.stderr
    assert len(cbs.data_requests()) == 4
    assert cbs_rows() == whole


def test_more_rows_than_asked_for_are_refused(cbs: CbsServer, held: bytes) -> None:
    cbs.page_rows = 7
    cbs.faults.append(Fault("UntypedDataSet", "endless"))
    refused(run("fetch", "--definition", "topsector", "--year", "2019"), "an empty page that links to a further one")
    assert store_path().read_bytes() == held


# --- 5: a dimension title never puts figures under another code -------------------------------------------


def _retitled(table: FakeTable, code: str, title: str) -> FakeTable:
    """The table with one SBI key's title changed (every figure as it was)."""
    dimension = "BedrijfstakkenBranchesSBI2008"
    digits = code.replace(".", "")
    rows = [{**r, "Title": title} if r["Title"].split(" ")[0] == digits else r for r in table.dimensions[dimension]]
    return replace(table, dimensions={**table.dimensions, dimension: rows})


def test_two_keys_with_one_code_are_a_bad_answer(fake_tables: list[FakeTable]) -> None:
    Store(store_path()).close()
    before = store_path().read_bytes()
    with serve([_retitled(fake_tables[1], "21", "26 Farmaceutische industrie")]) as server:
        result = run("fetch", "-m", "jobs", "--sbi", "26", "--sbi", "21", env={"LSH_CBS_URL": server.url})
    refused(result, "names 26 twice in its BedrijfstakkenBranchesSBI2008 dimension")
    assert store_path().read_bytes() == before


def test_a_key_that_changed_its_code_since_the_last_fetch_is_refused(
    cbs: CbsServer, fake_tables: list[FakeTable]
) -> None:
    assert run("fetch", "-m", "jobs", "--sbi", "21").exit_code == 0
    before = store_path().read_bytes()
    jobs = fake_tables[1]
    newer = replace(jobs, info={**jobs.info, "Modified": "2021-06-01T02:00:00"})  # so the dimension is read again
    swapped = _retitled(_retitled(newer, "21", "XX"), "26", "21 Farmaceutische industrie")
    with serve([_retitled(swapped, "XX", "26 Elektronica")]) as server:
        result = run("fetch", "-m", "jobs", "--sbi", "21", env={"LSH_CBS_URL": server.url})
    refused(result, "now titles dimension key")
    assert "as 26, where it stood for 21 in the figures fetched before" in result.stderr
    assert store_path().read_bytes() == before


# --- 6: versions ------------------------------------------------------------------------------------------


def test_an_older_version_is_called_older(cbs: CbsServer, fake_tables: list[FakeTable]) -> None:
    assert run("fetch", "--sbi", "21.10").exit_code == 0
    firms = fake_tables[0]
    older = replace(firms, info={**firms.info, "Modified": "2019-02-01T02:00:00"})
    with serve([older]) as server:
        result = run("fetch", "--sbi", "21.10", env={"LSH_CBS_URL": server.url})
    assert result.exit_code == 0, result.stderr
    assert "has an older version (2019-02-01) than rows fetched before (2020-11-19)" in result.stderr
    assert "newer" not in result.stderr


def test_a_table_that_changes_during_the_fetch_is_fetched_again(cbs: CbsServer) -> None:
    versions = ["2020-11-19T02:00:00", "2021-01-05T02:00:00", "2021-01-05T02:00:00", "2021-01-05T02:00:00"]
    cbs.faults += [Fault("TableInfos", "modified", times=1, value=v) for v in versions]
    result = run("fetch", "--sbi", "21.10", "--year", "2019")
    assert result.exit_code == 0, result.stderr
    assert "changed while lsh was fetching it" in result.stderr
    assert {r[4] for r in cbs_rows()} == {"2021-01-05T02:00:00"}
    assert len(cbs.data_requests()) == 2


def test_a_table_that_keeps_changing_is_not_stored(cbs: CbsServer, held: bytes) -> None:
    versions = ["2021-01-01T00:00:00", "2021-01-02T00:00:00", "2021-01-03T00:00:00", "2021-01-04T00:00:00"]
    cbs.faults += [Fault("TableInfos", "modified", times=1, value=v) for v in versions]
    refused(fetch_topsector(), "changed twice while lsh was fetching it")
    assert store_path().read_bytes() == held


# --- 10: bad settings are usage errors --------------------------------------------------------------------

BAD_SETTINGS = [
    ([], {"LSH_CBS_TIMEOUT": "abc"}, "$LSH_CBS_TIMEOUT must be a number of seconds above 0, not 'abc'"),
    ([], {"LSH_CBS_TIMEOUT": "-1"}, "$LSH_CBS_TIMEOUT must be"),
    ([], {"LSH_CBS_TIMEOUT": "0"}, "$LSH_CBS_TIMEOUT must be"),
    ([], {"LSH_CBS_TIMEOUT": "nan"}, "$LSH_CBS_TIMEOUT must be"),
    ([], {"LSH_CBS_RETRIES": "abc"}, "$LSH_CBS_RETRIES must be a whole number"),
    ([], {"LSH_CBS_RETRIES": "2.5"}, "retries must be a whole number"),
    ([], {"LSH_CBS_BACKOFF": "-1"}, "$LSH_CBS_BACKOFF must be"),
    ([], {"LSH_CBS_DEADLINE": "0"}, "$LSH_CBS_DEADLINE must be"),
    ([], {"LSH_CBS_MAX_MB": "inf"}, "$LSH_CBS_MAX_MB must be"),
    ([], {"LSH_CBS_MAX_URL": "100"}, "$LSH_CBS_MAX_URL must be a whole number of characters from 256 up"),
    ([], {"LSH_CBS_MAX_URL": "2e3.5"}, "$LSH_CBS_MAX_URL must be"),
    (["--timeout", "-1"], {}, "--timeout must be a number of seconds above 0, not -1.0"),
    (["--timeout", "0"], {}, "--timeout must be"),
    (["--timeout", "nan"], {}, "--timeout must be"),
    (["--retries", "-1"], {}, "--retries must be a whole number of 0 or more, not -1"),
    ([], {"LSH_CBS_URL": "ftp://x"}, "'ftp://x' is not an OData host"),
    ([], {"LSH_CBS_URL": "http://"}, "is not an OData host"),
    ([], {"LSH_CBS_URL": "http://host:port"}, "is not an OData host"),
    ([], {"LSH_STORE_WAIT": "soon"}, "$LSH_STORE_WAIT must be a number of seconds"),
]


@pytest.mark.parametrize(("options", "env", "message"), BAD_SETTINGS)
def test_bad_settings_are_usage_errors(options: list[str], env: dict[str, str], message: str) -> None:
    refused(run("fetch", "--sbi", "21.10", *options, env=env), message, code=2)


def test_the_client_has_its_documented_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from lshcli.cbs.client import CbsClient

    for name in ("LSH_CBS_URL", "LSH_CBS_TIMEOUT", "LSH_CBS_RETRIES", "LSH_CBS_BACKOFF"):
        monkeypatch.delenv(name, raising=False)
    client = CbsClient()
    assert str(client.endpoint) == "https://opendata.cbs.nl"
    assert (client.timeout, client.retries, client.backoff, client.deadline) == (30.0, 3, 1.0, 60.0)
    assert client.max_bytes == 64_000_000
    assert CbsClient("http://127.0.0.1:8080/mirror/", retries=0).endpoint.prefix == "/mirror"


def test_a_bad_url_option_is_a_usage_error() -> None:
    refused(run("--cbs-url", "ftp://x", "fetch", "--sbi", "21.10"), "'ftp://x' is not an OData host", code=2)


# --- 11-13: the store: busy, full, foreign, newer, older, damaged -----------------------------------------


def test_a_store_locked_by_another_writer_is_busy(cbs: CbsServer) -> None:
    Store(store_path()).close()
    other = sqlite3.connect(store_path(), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another lsh in the middle of a write, for as long as the test runs
        fetch = run("fetch", "--sbi", "21.10", env={"LSH_STORE_WAIT": "0.1"})
        refused(fetch, "is busy: another lsh has been writing to it for more than 0.1 s", code=1)
        other.execute("COMMIT")
        other.execute("BEGIN EXCLUSIVE")  # now even reading must wait
        refused(run("count", "topsector", env={"LSH_STORE_WAIT": "0.1"}), "is busy", code=1)
    finally:
        other.close()
    assert run("count", "topsector", "-m", "firms", "--year", "2016").exit_code == 0


@pytest.mark.slow
def test_a_file_size_limit_during_a_write_is_one_sentence(cbs: CbsServer) -> None:
    """`ulimit -f` (the way a full disk looks to a process): the store is intact, and one line says so."""
    import resource

    assert run("fetch", "--sbi", "21.20", "--year", "2019").exit_code == 0
    before = store_path().read_bytes()
    limit = len(before)

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "lshcli", "fetch", "--definition", "pwc2017", "--from", "2015", "--to", "2019"]
    done = subprocess.run(command, env=dict(os.environ), capture_output=True, text=True, preexec_fn=small_files)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "could not be written" in lines[0], done.stderr
    assert "rollback" not in done.stderr
    journal = Path(f"{store_path()}-journal")
    # compared before anything opens the store, which would roll a cut-off write back and hide it
    if store_path().read_bytes() == before:
        assert "it is unchanged" in lines[0] or "keep" in lines[0]
    else:  # the write reached the file: only the journal beside it makes it whole, and the sentence says so
        assert journal.exists() and f"keep {journal.name} beside it" in lines[0], done.stderr
    conn = sqlite3.connect(store_path())
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert store_path().read_bytes() == before


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    other = tmp_path / "notes.db"
    conn = sqlite3.connect(other)
    conn.executescript("CREATE TABLE notes (text TEXT); CREATE TABLE meta (key TEXT, value TEXT);")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    refused(run("--store", str(other), "count", "topsector"), "is not an lsh store", code=1)
    refused(run("--store", str(other), "fetch", "--sbi", "21.10"), "is not an lsh store", code=1)
    assert other.read_bytes() == before


def test_a_store_of_a_newer_lsh_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    refused(run("--store", str(path), "count", "topsector"), "was written by a newer lsh", code=1)
    assert path.read_bytes() == before


def test_a_store_of_an_older_lsh_is_brought_up_to_date_keeping_fetched_rows(cbs: CbsServer) -> None:
    assert run("fetch", "--sbi", "21.10", "--year", "2019").exit_code == 0
    fetched = cbs_rows()
    conn = sqlite3.connect(store_path())  # as lsh 0.1 left its stores: unmarked, layout 1, no key table
    conn.executescript("PRAGMA application_id = 0; PRAGMA user_version = 0; DROP TABLE cbs_keys;")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    store = Store(store_path())
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert set(store.fetched_keys("81589NED").values()) == {"21.10"}
    store.close()
    assert cbs_rows() == fetched


def test_a_damaged_store_says_how_to_recover(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    Store(path).close()
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the first overwritten
    path.write_bytes(bytes(data))
    refused(run("--store", str(path), "count", "topsector", "-m", "firms"), "move it aside", code=1)
    assert path.read_bytes() == bytes(data)


# --- 14: -o ----------------------------------------------------------------------------------------------


def test_output_onto_the_store_is_refused() -> None:
    Store(store_path()).close()
    before = store_path().read_bytes()
    refused(run("count", "topsector", "-f", "json", "-o", str(store_path())), "it is lsh's store", code=1)
    assert store_path().read_bytes() == before


def test_output_through_a_symlink_writes_the_file_it_points_to(tmp_path: Path) -> None:
    elsewhere = Path("/dev/shm") if Path("/dev/shm").is_dir() else tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    target = elsewhere / f"lsh-test-{os.getpid()}-{tmp_path.name}.json"
    link = tmp_path / "out.json"
    link.symlink_to(target)
    try:
        result = run("count", "topsector", "-m", "firms", "-f", "json", "-o", str(link))
        assert result.exit_code == 0, result.stderr
        assert link.is_symlink() and json.loads(target.read_text())[0]["definition"] == "topsector"
    finally:
        target.unlink(missing_ok=True)


def test_output_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    private = tmp_path / "private.csv"
    private.write_text("old")
    private.chmod(0o600)
    assert run("count", "topsector", "-f", "csv", "-o", str(private)).exit_code == 0
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_text().startswith("definition,")


def test_output_into_a_missing_folder_names_the_folder(tmp_path: Path) -> None:
    result = run("count", "topsector", "-f", "csv", "-o", str(tmp_path / "nowhere" / "out.csv"))
    refused(result, f"the folder {tmp_path / 'nowhere'} does not exist", code=1)
    assert ".out.csv." not in result.stderr


# --- 15-20: definition files -----------------------------------------------------------------------------

ALIAS_BOMB = "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
    for i in range(8)
)


def test_an_alias_bomb_is_refused_at_once(write_definition) -> None:  # type: ignore[no-untyped-def]
    assert len(ALIAS_BOMB) < 600
    path = write_definition("bomb", "title: x\ncodes: ['21']\n" + ALIAS_BOMB)
    refused(run("definitions", "validate", str(path)), "YAML anchors (&name) are not allowed", code=1)


def test_one_broken_file_hides_no_other_definition(write_definition) -> None:  # type: ignore[no-untyped-def]
    folder = write_definition("bomb", ALIAS_BOMB).parent
    write_definition("mine", "title: Mine\ncodes: ['21']\n")
    (folder / "latin.yaml").write_bytes("title: Caf\xe9\ncodes: ['21']\n".encode("latin-1"))
    result = run("-D", str(folder), "definitions", "-f", "json")
    assert result.exit_code == 1
    assert {d["id"] for d in json.loads(result.stdout)} >= {"mine", "topsector", "pwc2017", "pwc2019"}
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert any("bomb.yaml" in e and "anchors" in e for e in errors)
    assert any("latin.yaml is not UTF-8: line 1 has the byte 0xE9" in e and "save it as UTF-8" in e for e in errors)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("codes: [0125, 032, 21.10, 72112]", ["01.25", "03.2", "21.10", "72.11.2"]),  # as written, never octal
        ("codes: ['0125', \"21.1\"]", ["01.25", "21.1"]),
        ("codes:\n  - code: 2110\n    note: 0x15", ["21.10"]),
    ],
)
def test_codes_are_read_exactly_as_written(write_definition, text: str, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("plain", f"title: x\n{text}\n")
    result = run("definitions", "show", str(path), "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [c["code"] for c in json.loads(result.stdout)["codes"]] == codes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\ncodes: [0x15]\n", "'0x15' is not an SBI 2008 code"),
        ("title: x\ncodes: [!!int 0126]\n", "YAML tags (!!int) are not allowed"),
        ("title: x\ntitle: y\ncodes: ['21']\n", "line 2: the key 'title' appears twice"),
        ("title: x\n1: y\ncodes: ['21']\n", "unknown key '1'"),
        ("title: x\n? [a, b]\n: y\ncodes: ['21']\n", "a key must be a word"),
        ("title: x\n~: y\ncodes: ['21']\n", "a key must be a word"),
        ("title: [x]\ncodes: ['21']\n", "'title' must be text"),
        ("title: x\ncodes: [[21]]\n", "a code must be written as text"),
        ("title: x\ncodes: " + "[" * 1000 + "]" * 1000 + "\n", "nested more than 12 levels deep"),
    ],
)
def test_every_bad_file_is_one_sentence(write_definition, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("bad", text)
    refused(run("definitions", "validate", str(path)), message, code=1)


def test_files_too_large_or_in_another_encoding(write_definition, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = write_definition("big", "title: x\ncodes: ['21']\nnotes:\n" + "  - a note of no consequence\n" * 40_000)
    refused(run("definitions", "validate", str(big)), "a definition file may hold at most 1,000,000", code=1)
    utf16 = tmp_path / "wide.yaml"
    utf16.write_text("title: x\ncodes: ['21']\n", encoding="utf-16")
    refused(run("definitions", "validate", str(utf16)), "is saved as UTF-16; save it as UTF-8", code=1)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbftitle: x\ncodes: ['21']\n")
    assert run("definitions", "validate", str(bom)).exit_code == 0


@pytest.mark.slow  # a second or more; CI runs it
def test_an_extends_chain_too_long_is_one_sentence(tmp_path: Path) -> None:
    folder = tmp_path / "chain"
    folder.mkdir()
    for i in range(1000):
        (folder / f"d{i}.yaml").write_text(f"title: d{i}\nextends: d{i + 1}\nadd: ['{10 + i % 80:02d}']\n")
    (folder / "d1000.yaml").write_text("title: end\ncodes: ['21']\n")
    refused(run("-D", str(folder), "count", "d0"), "'extends' goes more than 16 definitions deep", code=1)


def test_extends_with_a_path_resolves_against_the_files_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "defs" / "nested"
    folder.mkdir(parents=True)
    (folder / "base.yaml").write_text("title: Base\ncodes: ['21']\n")
    (folder / "child.yaml").write_text("title: Child\nextends: ./base.yaml\nadd: ['26.60']\n")
    monkeypatch.chdir(tmp_path)
    result = run("definitions", "show", "defs/nested/child.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [c["code"] for c in json.loads(result.stdout)["codes"]] == ["21", "26.60"]


@pytest.mark.slow
def test_a_fifo_in_a_definitions_folder_is_passed_over(write_definition) -> None:  # type: ignore[no-untyped-def]
    folder = write_definition("mine", "title: Mine\ncodes: ['21']\n").parent
    os.mkfifo(folder / "pipe.yaml")
    command = [sys.executable, "-m", "lshcli", "-D", str(folder), "definitions", "-f", "csv"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert "mine," in done.stdout and "pipe" not in done.stdout
    direct = subprocess.run([*command[:3], "definitions", "validate", str(folder / "pipe.yaml")], capture_output=True)
    assert direct.returncode == 1 and b"is not a regular file" in direct.stderr


def test_a_users_file_replacing_a_bundled_definition_is_said_once(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("topsector", "title: My own topsector\ncodes: ['21']\n")
    result = run("-D", str(path.parent), "compare", "topsector", "pwc2017", "--year", "2016", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count(f"your {path} replaces the bundled definition 'topsector'") == 1
    listed = run("-D", str(path.parent), "definitions", "-f", "csv")
    assert listed.exit_code == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(listed.stdout))}
    assert rows["pwc2017"]["bundled"] == "true" and rows["topsector"]["bundled"] == "false"
    data = {d["id"]: d for d in json.loads(run("-D", str(path.parent), "definitions", "-f", "json").stdout)}
    assert data["topsector"]["origin"] == str(path)


# --- 21-22: output safety --------------------------------------------------------------------------------

HOSTILE = (
    'id: "evil"\ntitle: "=HYPERLINK(\\"http://x\\",\\"y\\") <script>alert(1)</script> \\e[31mred\\e]8;;http://x\\a"\n'
    "source: \"+cmd|' /C calc'!A0\"\n"
    "codes:\n  - code: '21.10'\n    group: '@SUM(1+1)'\n    note: '-2+3'\n  - code: '46.46'\n"
)


def test_csv_never_carries_a_live_formula(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("hostile", HOSTILE)
    commands = [
        ["-D", str(path.parent), "definitions"],
        ["definitions", "show", str(path)],
        ["compare", "topsector", str(path), "--year", "2016"],
    ]
    for args in commands:
        result = run(*args, "-f", "csv")
        assert result.exit_code == 0, result.stderr
        cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
        live = [c for c in cells if re.match(r"^[=+\-@\t\r]", c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]
        assert live == []
    assert "'-2+3" in run("definitions", "show", str(path), "-f", "csv").stdout  # a note that reads as a formula
    listed = run("-D", str(path.parent), "definitions", "-f", "csv").stdout
    assert "'=HYPERLINK" in listed and "'+cmd" in listed
    assert "'@SUM(1+1)" in run("definitions", "show", str(path), "-f", "csv").stdout
    numbers = list(csv.DictReader(io.StringIO(run("compare", "topsector", "pwc2017", "-f", "csv").stdout)))
    assert any(r["pct_of_a"].startswith("-6") for r in numbers)  # a negative number stays a number


def test_markdown_escapes_html_and_no_output_carries_an_escape_sequence(write_definition, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("hostile", HOSTILE)
    md = run("definitions", "show", str(path), "-f", "markdown")
    assert "<script>" not in md.stdout and "&lt;script&gt;" in md.stdout
    report = tmp_path / "r.md"
    assert run("report", "topsector", str(path), "--year", "2016", "-o", str(report)).exit_code == 0
    assert "<script>" not in report.read_text(encoding="utf-8")
    for args in (["definitions", "show", str(path)], ["definitions", "validate", str(path)]):
        result = run(*args)
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x1b" not in result.stderr


# --- a process killed in the middle of a write ----------------------------------------------------------

KILLED_WRITER = """
import sys
from pathlib import Path
from lshcli.model import Observation, Source
from lshcli.store import Store

store = Store(Path(sys.argv[1]))
source = Source("cbs", "invented test figures (tests/test_trust.py)", "81589NED", "2020-11-19")
rows = [Observation("firms", ("21.10",), f"{1900 + i // 4}Q{i % 4 + 1}", i, i, "firms", None, source, ref=str(i))
        for i in range(4000)]
insert = store._insert
def slow_insert(observations, batch=5000):
    rows = list(observations)
    insert(rows[:2000], batch)
    print("writing", flush=True)
    sys.stdin.read()  # killed here, half-way through one transaction
    insert(rows[2000:], batch)
store._insert = slow_insert
store.add(rows)
"""


@pytest.mark.slow
def test_a_store_killed_mid_write_is_whole_and_usable(tmp_path: Path) -> None:
    path = store_path()
    Store(path).close()
    before = Store(path).observations()
    script = tmp_path / "writer.py"
    script.write_text(KILLED_WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    writer = subprocess.Popen(
        [sys.executable, str(script), str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    assert writer.stdout is not None and writer.stdout.readline() == b"writing\n"
    assert Path(f"{path}-journal").exists()  # a write under way
    writer.kill()
    writer.wait()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert Store(path).observations() == before  # none of the half-written rows
    result = run("count", "topsector", "-m", "firms", "--year", "2016", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["value"] == 3105
