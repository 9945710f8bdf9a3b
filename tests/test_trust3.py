"""Trust, third round: no command a user pastes runs code, no traceback, no mixed classification, no number past
what a figure can be, no folder made where the user did not ask for one."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lshcli.output import rows
from tests.conftest import invoke


@contextlib.contextmanager
def answering(respond: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 whose every GET `respond` answers, for the length of a `with`; its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            respond(self)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.mark.parametrize(
    "text", ["id: '$(touch pwned)'\ntitle: x\ncodes: ['21']\n", "id: 'a b'\ntitle: x\ncodes: ['21']\n"]
)
def test_an_id_that_is_not_a_plain_name_is_refused_at_load(write_definition, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("shared", text)
    result = invoke(["count", str(path)])
    assert result.exit_code == 1 and "is not a plain name" in result.stderr
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_a_file_name_that_is_not_a_plain_name_is_refused_at_load(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("evil$(touch pwned)", "title: x\ncodes: ['21']\n")
    result = invoke(["definitions", "validate", str(path)])
    assert result.exit_code == 1 and "is not a plain name" in result.stderr


def test_every_value_in_a_suggested_command_is_quoted_for_the_shell() -> None:
    import shlex

    from lshcli.errors import Remedy
    from lshcli.session import CliHints

    told = CliHints().fetch(Remedy(codes=("21.10", "a b; rm -rf ~"), definitions=("topsector",)))
    command = told[1:-1]  # the hint stands between single quotes
    assert shlex.split(command) == [
        "lsh",
        "fetch",
        "--definition",
        "topsector",
        "--sbi",
        "21.10",
        "--sbi",
        "a b; rm -rf ~",
    ]


TRACEBACKS = [
    (
        ["fetch", "--sbi", "21"],
        {"http_proxy": "http://127.0.0.1:99999", "LSH_CBS_URL": "http://example.org"},
        "the proxy",
        2,
    ),
    (["fetch", "--sbi", "21"], {"http_proxy": "http://proxy:abc", "LSH_CBS_URL": "http://example.org"}, "the proxy", 2),
    (["fetch", "--sbi", "21"], {"http_proxy": ":::", "LSH_CBS_URL": "http://example.org"}, "the proxy", 2),
    (["fetch", "--sbi", "21", "--cbs-url", "http://[::1"], {}, "is not an OData host", 2),
    (["fetch", "--sbi", "21", "--cbs-url", "http://" + "a" * 300], {}, "is not an OData host", 2),
    (["fetch", "--sbi", "21"], {"LSH_CBS_MAX_MB": "1e308"}, "of at most 100,000", 2),
    (["fetch", "--sbi", "21"], {"LSH_CBS_TIMEOUT": "1e308", "LSH_CBS_DEADLINE": "1e308"}, "of at most 86,400", 2),
    (["fetch", "--sbi", "21", "--retries", "1"], {"LSH_CBS_BACKOFF": "1e10"}, "of at most 600", 2),
    (["count", "topsector", "--year", "\u00b2\u2070\u00b9\u2079"], {}, "takes a year from 1000 to 9999", 2),
    (["count", "topsector", "--from", "1", "--to", "1000000000"], {}, "takes a year from 1000 to 9999", 2),
]


@pytest.mark.parametrize(("args", "env", "message", "code"), TRACEBACKS)
def test_what_was_a_traceback_is_one_sentence(args: list[str], env: dict[str, str], message: str, code: int) -> None:
    result = invoke(args, env=env)
    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.strip()]) <= 4


def test_a_lone_surrogate_in_a_definition_is_one_sentence(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("sur", 'title: "\\ud800"\ncodes: ["21"]\n')
    result = invoke(["count", str(path)])
    assert result.exit_code == 1 and "holds a character that is no Unicode text" in result.stderr


def test_a_symlink_loop_is_one_sentence(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = invoke(["count", str(loop)])
    assert result.exit_code == 1 and "Traceback" not in result.output and "loop.yaml" in result.stderr


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_json_nested_past_any_odata_answer_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    def deep(handler: BaseHTTPRequestHandler) -> None:
        body = b"[" * 100_000 + b"]" * 100_000
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    with answering(deep) as url:
        monkeypatch.setenv("LSH_CBS_URL", url)
        result = invoke(["fetch", "--sbi", "21.10"])
    assert result.exit_code == 3 and "nested deeper than any OData answer" in result.stderr


def test_an_unforeseen_error_is_one_sentence_that_says_how_to_report_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import lshcli.session

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("invented for this test")

    monkeypatch.setattr(lshcli.session, "definitions", broken)
    result = invoke(["definitions"])
    assert result.exit_code == 1
    assert "lsh failed unexpectedly (ZeroDivisionError: invented for this test)" in result.stderr
    assert "please report it" in result.stderr and "Traceback" not in result.output


def test_a_year_range_is_bounded() -> None:
    result = invoke(["count", "topsector", "--from", "1000", "--to", "9999"])
    assert result.exit_code == 2 and "covers more than 200 years" in result.stderr


SPEC = """id: 86280NED
title: my copy of 86280NED
sbi_dimension: {dimension}
period_dimension: Perioden
sbi_depth: subclass
periods: quarterly
{classification}measures:
  firms:
    title: ["Totaal bedrijven"]
"""


@pytest.mark.parametrize(
    ("dimension", "classification", "outcome"),
    [
        ("BedrijfstakkenBranchesSBI2025", "", "sbi2025"),  # said by the dimension: never filed as SBI 2008
        ("BedrijfstakkenBranchesSBI2025", "classification: sbi2008\n", "contradicts the table's SBI dimension"),
        ("Bedrijfstakken", "", "say which classification the table's SBI dimension Bedrijfstakken is in"),
        ("Bedrijfstakken", "classification: sbi2025\n", "sbi2025"),
    ],
)
def test_a_table_spec_says_its_classification_or_its_dimension_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dimension: str, classification: str, outcome: str
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "86280NED.yaml").write_text(SPEC.format(dimension=dimension, classification=classification))
    monkeypatch.setenv("LSH_TABLES", str(folder))
    result = invoke(["tables", "-f", "json"])
    if outcome.startswith("sbi"):
        assert result.exit_code == 0, result.stderr
        spec = next(t for t in json.loads(result.stdout) if t["table"] == "86280NED")
        assert spec["classification"] == outcome
    else:
        assert result.exit_code == 1 and outcome in result.stderr


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_a_cell_beyond_any_cbs_figure_is_refused_and_json_is_always_standard(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.cbs_server import Fault, firms_table, serve

    with serve([firms_table()]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        server.faults.append(Fault("UntypedDataSet", "nonfinite", value="1e308"))
        result = invoke(["fetch", "--definition", "topsector", "--year", "2019"])
    assert result.exit_code == 3 and "is beyond any figure CBS publishes" in result.stderr


def test_a_users_figure_beyond_any_figure_is_one_sentence(tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("id,measure,sbi,period,value_low,value_high\nX1,firms,21,2016,1e308,1e308\n", encoding="utf-8")
    result = invoke(["reconcile", "--file", str(mine), "--no-bundled", "-f", "json"])
    assert result.exit_code == 1 and "must be figures, at most 1e15" in result.stderr


def test_json_output_never_holds_infinity() -> None:
    from lshcli.output.document import Document
    from lshcli.output.formats import to_json

    with pytest.raises(ValueError):
        to_json(Document(sections=[], data={"value": float("inf")}))


def test_a_store_in_a_missing_folder_is_named_and_no_folder_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "nonexist" / "dir"
    store = missing / "x.sqlite3"
    counted = invoke(["--store", str(store), "count", "pwc2019", "-m", "firms"])
    assert counted.exit_code == 0 and f"the folder {missing} does not exist" in counted.stderr  # the snapshot serves
    fetched = invoke(["--store", str(store), "fetch", "--sbi", "21"])
    assert fetched.exit_code != 0 and "the store cannot be opened" in fetched.stderr
    assert not (tmp_path / "nonexist").exists()


def test_the_default_store_folder_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LSH_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "fresh-home"))
    result = invoke(["count", "pwc2019", "-m", "firms"])
    assert result.exit_code == 0 and "cannot be used" not in result.stderr
    assert (tmp_path / "fresh-home" / "lsh" / "store.sqlite3").exists()


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_an_endless_walk_over_a_metadata_set_stops_early_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    from lshcli.sbi import load
    from tests.cbs_server import Fault, firms_table, serve

    with serve([firms_table()]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        server.page_rows = 3
        server.faults.append(Fault("BedrijfstakkenBranchesSBI2008", "endless_full"))
        result = invoke(["fetch", "--sbi", "21.10", "--year", "2019"])
        walked = [h for h in server.hits if h.path.endswith("BedrijfstakkenBranchesSBI2008")]
    assert result.exit_code == 3 and "CBS kept linking to further pages" in result.stderr
    assert "MB" not in result.stderr  # the true reason, not the size of all pages together
    rows = 2 * len(load("sbi2008").entries) + 10  # the walk stops near the dimension's size: twice it
    assert len(walked) <= rows // server.page_rows + 2


@pytest.mark.slow  # a local server: a second or so; CI runs it
@pytest.mark.parametrize(
    ("kind", "message"),
    [("gzip2", "more than one gzip member"), ("gzipcut", "the answer was cut off")],
)
def test_a_gzip_body_read_differently_by_other_clients_is_refused(
    monkeypatch: pytest.MonkeyPatch, kind: str, message: str
) -> None:
    from tests.cbs_server import Fault, firms_table, serve

    with serve([firms_table()]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        monkeypatch.setenv("LSH_CBS_RETRIES", "0")
        server.faults.append(Fault("UntypedDataSet", kind))
        result = invoke(["fetch", "--definition", "topsector", "--year", "2019"])
    assert result.exit_code == 3 and message in result.stderr


def test_next_links_on_an_ipv6_host_and_with_raw_spaces_are_followed_quoted() -> None:
    from lshcli.cbs.client import CbsClient

    client = CbsClient("http://[::1]:8080", retries=0)
    assert str(client.endpoint) == "http://[::1]:8080"
    current = client.url_for("81589NED", "UntypedDataSet")
    assert (
        client._next(current, "UntypedDataSet?$skip=10")
        == "http://[::1]:8080/ODataFeed/odata/81589NED/UntypedDataSet?$skip=10"
    )
    quoted = client._next(current, "UntypedDataSet?$filter=Key eq 'x \"y\"'&$skip=10")
    assert quoted is not None and " " not in quoted and '"' not in quoted and "%20eq%20" in quoted


@pytest.mark.slow  # a local server or a report: a second or so; CI runs it
def test_a_proxy_that_is_down_is_named_and_its_credentials_are_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    monkeypatch.setenv("LSH_CBS_URL", "http://cbs.invalid")
    monkeypatch.setenv("LSH_CBS_RETRIES", "0")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    down = invoke(["fetch", "--sbi", "21.10"])
    assert down.exit_code == 3 and "cannot connect to the proxy 127.0.0.1:9 (from $http_proxy)" in down.stderr
    seen: list[str] = []

    def proxy(handler: BaseHTTPRequestHandler) -> None:
        seen.append(handler.headers.get("Proxy-Authorization", ""))
        handler.send_response(404)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with answering(proxy) as url:
        monkeypatch.setenv("http_proxy", url.replace("http://", "http://user:p%40ss@"))
        invoke(["fetch", "--sbi", "21.10"])
    assert seen and seen[0] == "Basic " + base64.b64encode(b"user:p@ss").decode()


@pytest.mark.parametrize("text", ["1_000", "inf", "nan", "\u0663\u0660"])
def test_a_number_is_read_only_as_people_write_it(text: str, tmp_path: Path) -> None:
    result = invoke(["fetch", "--sbi", "21"], env={"LSH_CBS_TIMEOUT": text})
    assert result.exit_code == 2 and "$LSH_CBS_TIMEOUT must be" in result.stderr
    mine = tmp_path / "mine.csv"
    mine.write_text(f"id,measure,sbi,period,value_low,value_high\nX1,firms,21,2016,{text},{text}\n", encoding="utf-8")
    refused = invoke(["reconcile", "--file", str(mine), "--no-bundled"])
    assert refused.exit_code == 1 and "must be numbers" in refused.stderr


def test_markdown_escapes_links_images_and_headings_and_csv_headers_are_neutral(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("links", "title: '# Click [here](http://x) ![img](http://y)'\ncodes: ['21']\n")
    shown = invoke(["definitions", "show", str(path), "-f", "markdown"]).stdout
    assert "[here](http://x)" not in shown and "\\[here\\]" in shown and "!\\[img\\]" in shown
    from lshcli.output.document import Document, Section
    from lshcli.output.formats import to_csv

    class Held(rows.Row, frozen=True):
        """An invented row whose column names are user text (a definition's id, as in overlap)."""

        members: rows.Spread[int] = ()

    found = [Held((("=cmd|'/C calc'!A0", 1),))]
    text = to_csv(Document(sections=[Section(None, [], found)], data=[], csv_records=found))
    assert text.splitlines()[0].startswith("'=cmd")


def test_bidirectional_overrides_never_reach_the_terminal(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("bidi", "title: 'abc\u202edcba'\ncodes: ['21']\n")
    result = invoke(["definitions", "show", str(path)])
    assert result.exit_code == 0 and "\u202e" not in result.stdout and "abcdcba" in result.stdout


@pytest.mark.slow  # a process of its own; CI runs it
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["tables"]])
def test_writing_to_a_full_disk_is_one_sentence(args: list[str]) -> None:
    import subprocess
    import sys

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "lshcli", *args], stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr


def test_tls_is_verified_in_every_run() -> None:
    """The fast twin of the slow https test: the context lsh connects with checks the certificate and the host name,
    and trusts certifi's bundle (or the one named), never everything."""
    import ssl

    from lshcli.cbs.client import _tls_context

    context = _tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


def test_csv_of_overlap_carries_no_live_formula(write_definition) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io
    import re

    path = write_definition("x1", "title: '=HYPERLINK(\"http://x\")'\ncodes:\n  - code: '21.10'\n    note: '@SUM(1)'\n")
    result = invoke(["overlap", "topsector", str(path), "--year", "2016", "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert rows[0] and not [c for c in cells if re.match(r"^[=+\-@\t\r]", c) and not re.fullmatch(r"-?\d+(\.\d+)?", c)]


def test_every_decimal_cbs_holds_is_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    """Invented figures in 83583NED's shape: 2018 and 2019 carry two decimals, DataProperties says one, and the
    untyped strings are cut to it (as CBS's are). lsh stores the typed figure."""
    from tests.cbs_server import jobs_table, serve

    table = jobs_table()
    titles = {r["Key"]: r["Title"] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]}
    served = {
        r["Perioden"][:4]: r["BanenVanWerknemersInDecember_1"]
        for r in table.rows
        if titles[r["BedrijfstakkenBranchesSBI2008"]].startswith("21 ") and r["Bedrijfsgrootte"] == "T001098"
    }
    assert round(served["2018"], 1) != served["2018"]  # the fixture has the second decimal
    with serve([table]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        assert invoke(["fetch", "-m", "jobs", "--sbi", "21"]).exit_code == 0
    counted = json.loads(
        invoke(["count", "pwc2019", "-m", "jobs", "--from", "2016", "--to", "2019", "-f", "json"]).stdout
    )
    values = {str(r["year"]): r["value"] for r in counted}
    assert all(r["used"][0]["source"]["kind"] == "cbs" for r in counted)
    assert values == {year: served[year] for year in ("2016", "2017", "2018", "2019")}
