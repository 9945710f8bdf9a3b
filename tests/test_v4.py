"""CBS's OData v4 beside v3, against the local CBS (tests/cbs_server.py and tests/cbs_v4.py): the same invented
figures answered both ways, and the captured real v4 answers of ../shared/cbs-snapshots/v4/ served verbatim."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lshcli.cbs.client import CbsClient
from lshcli.cbs.odata4 import EMPTY, VALUE_ATTRIBUTES, ODataV4
from lshcli.errors import FetchError
from lshcli.store import Store
from tests.cbs_server import CbsServer, Fault, firms_table, jobs_table, serve
from tests.cbs_v4 import V4
from tests.conftest import invoke


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch) -> Iterator[CbsServer]:
    """A local CBS speaking v3 and v4, with the routing left to its default (auto)."""
    with serve([firms_table(2016, 2017, secret=("21.10",)), jobs_table()]) as server:
        monkeypatch.setenv("LSH_CBS_URL", server.url)
        monkeypatch.setenv("LSH_CBS_V4_URL", server.url)
        monkeypatch.delenv("LSH_CBS_PROTOCOL", raising=False)
        yield server


def _cells(store: Store, table: str) -> dict[tuple[str, tuple[str, ...], str], tuple[float | None, str | None]]:
    """The fetched cells of a table by (measure, codes, period): each value and status."""
    found = {}
    for obs in store.observations():
        if obs.source.kind == "cbs" and obs.source.cbs_table == table:
            found[(obs.measure, obs.sbi, obs.period)] = (obs.value_low, obs.status)
    return found


def _store() -> Store:
    return Store(Path(os.environ["LSH_STORE"]), snapshot=False)


def test_a_v4_fetch_stores_the_same_cells_as_a_v3_fetch(both: CbsServer, tmp_path: Path) -> None:
    args = ["fetch", "-d", "topsector", "--year", "2016"]
    by_v3 = invoke([*args, "--protocol", "v3"])
    assert by_v3.exit_code == 0, by_v3.output
    v3 = _cells(_store(), "81589NED")
    os.environ["LSH_STORE"] = str(tmp_path / "v4.sqlite3")
    both.hits.clear()
    by_v4 = invoke([*args, "--protocol", "v4"])
    assert by_v4.exit_code == 0, by_v4.output
    v4 = _cells(_store(), "81589NED")
    assert v4 == v3 and len(v4) > 200  # cell by cell: each value and each period's status
    assert all(h.path.startswith("/odata/v1/CBS/") for h in both.hits)
    secret = [v for (m, codes, p), v in v4.items() if codes == ("21.10",) and p.endswith("Q1") and m == "firms"]
    assert secret and all(value is None for value, _ in secret)  # a Confidential cell has no value, never a zero
    [obs] = [
        o
        for o in _store().observations("firms")
        if o.sbi == ("21.10",) and o.period == "2016Q1" and o.source.kind == "cbs"
    ]
    assert VALUE_ATTRIBUTES["Confidential"] in (obs.note or "")
    assert "/odata/v1/CBS/81589NED/Observations?" in (obs.source.request or "") and "OData v4" in obs.source.citation


def test_a_confidential_v4_cell_becomes_a_bound(monkeypatch: pytest.MonkeyPatch, write_definition) -> None:  # type: ignore[no-untyped-def]
    """21.10's firms Confidential in v4, its size classes too: no sum recovers it, so a definition of 21.10 alone is
    the interval its division and sibling allow, computed here from the served figures."""
    table = firms_table(2016, 2017, secret=("21.10",), secret_classes=True)
    with serve([table]) as server:
        monkeypatch.setenv("LSH_CBS_V4_URL", server.url)
        fetched = invoke(
            ["fetch", "--sbi", "21", "--sbi", "21.10", "--sbi", "21.20", "--year", "2017", "--protocol", "v4"]
        )
        assert fetched.exit_code == 0, fetched.output
    served = {}
    keys = {r["Title"].split(" ")[0]: r["Key"] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]}
    topic = next(p["Key"] for p in table.properties if p["Type"] == "Topic")
    for row in table.rows:
        if row["Perioden"] == "2017KW01":
            served[row["BedrijfstakkenBranchesSBI2008"]] = row[topic]
    division, sibling = served[keys["21"]], served[keys["2120"]]
    assert served[keys["2110"]] is None and division is not None and sibling is not None
    pharma = write_definition("pharma", "id: pharma\ntitle: basic pharma\nsource: a test\ncodes:\n  - code: '21.10'\n")
    [row] = json.loads(invoke(["count", str(pharma), "-m", "firms", "--year", "2017", "-f", "json"]).stdout)
    assert (row["value_low"], row["value_high"]) == (division - sibling, division - sibling)  # 21 minus 21.20
    assert row["used"] == [] or all("Confidential" not in (u.get("note") or "") for u in row["used"])


def test_auto_fetches_a_table_v4_does_not_know_through_v3_and_says_so(both: CbsServer) -> None:
    both.v4.unknown.add("81589NED")
    result = invoke(["fetch", "--sbi", "21.10", "--year", "2016"])
    assert result.exit_code == 0, result.output
    assert "CBS's OData v4 could not give 81589NED" in result.stderr and "fetched it through OData v3" in result.stderr
    assert any(h.path.endswith("/Properties") and h.status == 404 for h in both.hits)
    assert any(h.path.endswith("UntypedDataSet") for h in both.hits)
    forced = invoke(["fetch", "--sbi", "21.10", "--year", "2016", "--protocol", "v4", "--refresh"])
    assert forced.exit_code == 3 and "HTTP 404" in forced.stderr  # forced, there is no other way


def test_auto_falls_back_where_v4_answers_404_on_observations_or_is_down(both: CbsServer) -> None:
    both.v4.no_observations.add("81589NED")
    missing = invoke(["fetch", "--sbi", "21.10", "--year", "2016"])
    assert missing.exit_code == 0 and "Observations" in missing.stderr and "OData v3" in missing.stderr
    both.v4.no_observations.clear()
    both.faults.append(Fault("v4:Properties", "status", status=503))
    down = invoke(["fetch", "--sbi", "21.20", "--year", "2016"])
    assert down.exit_code == 0 and "HTTP 503" in down.stderr and "OData v3" in down.stderr, down.output
    store = _store()  # nothing of a failed protocol is kept beside the rest: every source is a v3 answer
    requests = [r[0] for r in store.conn.execute("SELECT request FROM sources WHERE kind = 'cbs'")]
    store.close()
    assert len(requests) >= 2 and all("/ODataFeed/odata/81589NED/UntypedDataSet?" in r for r in requests), requests


def test_a_table_only_v4_serves_needs_no_v3(both: CbsServer) -> None:
    both.v3_unknown.add("81589NED")
    result = invoke(["fetch", "--sbi", "21.10", "--year", "2016"])
    assert result.exit_code == 0, result.output
    assert "could not give" not in result.stderr
    assert not any("/ODataFeed/" in h.path for h in both.hits)
    forced = invoke(["fetch", "--sbi", "21.10", "--year", "2016", "--protocol", "v3", "--refresh"])
    assert forced.exit_code == 3


@pytest.mark.slow
def test_small_pages_relative_links_and_a_lower_case_id(both: CbsServer) -> None:
    both.v4.page_rows = 7
    both.v4.relative_links = True
    both.v4.ids["81589NED"] = "81589ned"
    result = invoke(["fetch", "--sbi", "21.10", "--sbi", "21.20", "--year", "2016", "--protocol", "v4"])
    assert result.exit_code == 0, result.output
    pages = [h for h in both.hits if h.path.endswith("/Observations")]
    assert len(pages) > 3 and all(h.status == 200 for h in pages)
    v4 = _cells(_store(), "81589NED")
    assert len(v4) == 2 * 4 * 11  # two codes, four quarters, eleven measures: every page read


@pytest.mark.slow
def test_v4_paging_and_answers_are_bounded_as_v3s(both: CbsServer) -> None:
    both.v4.page_rows = 5
    both.faults.append(Fault("v4:Observations", "foreign_next"))
    elsewhere = invoke(["fetch", "--sbi", "21.10", "--year", "2016", "--protocol", "v4"])
    assert elsewhere.exit_code == 3 and "another host" in elsewhere.stderr
    both.faults[:] = [Fault("v4:Observations", "endless")]
    endless = invoke(["fetch", "--sbi", "21.10", "--year", "2016", "--protocol", "v4"])
    assert endless.exit_code == 3 and "page" in endless.stderr
    both.faults[:] = [Fault("v4:Observations", "badjson")]
    broken = invoke(["fetch", "--sbi", "21.10", "--year", "2016", "--protocol", "v4"])
    assert broken.exit_code == 3 and "JSON" in broken.stderr
    assert _cells(_store(), "81589NED") == {}  # none of them stored anything


def test_an_unknown_protocol_is_a_usage_error() -> None:
    result = invoke(["fetch", "--sbi", "21.10", "--protocol", "v5"])
    assert result.exit_code == 2 and "auto, v4 or v3" in result.stderr


pytestmark_recorded = pytest.mark.skipif(not V4.exists(), reason="../shared is not beside the repository")


@pytestmark_recorded
def test_the_captured_v4_metadata_is_read_as_lshs_types(both: CbsServer) -> None:
    """84826NED as CBS answered it in July 2026, served verbatim."""
    source = ODataV4(CbsClient(both.url, protocol="v4"), "84826NED")
    properties = json.loads((V4 / "84826NED_Properties.json").read_text(encoding="utf-8"))
    assert source.version() == (properties["Modified"], " ".join(properties["Title"].split()))
    structure = source.structure()
    dimensions = json.loads((V4 / "84826NED_Dimensions.json").read_text(encoding="utf-8"))["value"]
    assert structure.dimensions == tuple(d["Identifier"] for d in dimensions)
    [measure] = json.loads((V4 / "84826NED_MeasureCodes.json").read_text(encoding="utf-8"))["value"]
    assert [(t.key, t.title, t.unit, t.decimals) for t in structure.topics] == [
        (measure["Identifier"], " ".join(measure["Title"].split()), measure["Unit"], measure["Decimals"])
    ]
    codes = json.loads((V4 / "84826NED_BedrijfstakkenBranchesSBI2008Codes.json").read_text(encoding="utf-8"))
    found = source.categories("BedrijfstakkenBranchesSBI2008")
    assert [c.key for c in found] == [c["Identifier"] for c in codes["value"]]
    assert all(c.key == c.key.strip() for c in found)  # v3's keys without their padding
    periods = source.categories("Perioden", time=True)
    assert periods[0].key == "2015JJ00"


@pytestmark_recorded
def test_the_captured_observations_with_impossible_are_read_as_cells_without_value(both: CbsServer) -> None:
    """03759ned's captured Observations: a cell `Impossible` with Value null has no value and its reason."""
    raw = json.loads((V4 / "03759ned_Observations_excerpt_with_Impossible.json").read_text(encoding="utf-8"))["value"]
    source = ODataV4(CbsClient(both.url, protocol="v4"), "03759ned")
    dims = ["BurgerlijkeStaat", "Geslacht", "Leeftijd", "RegioS", "Perioden"]
    measures = sorted({c["Measure"] for c in raw})
    rows, url = source.rows({}, {}, dims, measures, len(raw))
    assert "/odata/v1/CBS/03759ned/Observations" in url
    by_keys = {tuple(r[d] for d in dims): r for r in rows}
    for cell in raw:
        figure = by_keys[tuple(cell[d] for d in dims)][cell["Measure"]]
        if cell["ValueAttribute"] == "None":
            assert figure.value == cell["Value"] and figure.why_empty is None
        else:
            assert figure.value is None and figure.why_empty == VALUE_ATTRIBUTES[cell["ValueAttribute"]]
    held = {(tuple(c[d] for d in dims), c["Measure"]) for c in raw}
    for keys, row in by_keys.items():
        for m in measures:
            if (keys, m) not in held:
                assert row[m].value is None and row[m].why_empty == EMPTY  # left out by v4: an empty cell


def test_a_v4_cell_that_is_no_figure_stops_the_fetch(both: CbsServer) -> None:
    source = ODataV4(CbsClient(both.url, protocol="v4"), "81589NED")
    with pytest.raises(FetchError, match="no figure"):
        source._figure({"ValueAttribute": "None", "Value": "12"}, ("x",))
    with pytest.raises(FetchError, match="finite"):
        source._figure({"ValueAttribute": "None", "Value": float("inf")}, ("x",))


DISCONTINUED = {
    "Identifier": "84088NED",
    "Title": "Productie- en inkomenscomponenten; bedrijfstak; nationale rekeningen",
    "Description": "INVENTED for a test (the wording is not CBS's): deze tabel is stopgezet en wordt voortgezet in "
    "tabel 85867NED.",
    "Language": "nl",
    "Modified": "2024-06-28T02:00:00+02:00",
    "Status": "Gediscontinueerd",
    "DatasetType": "Numeric",
}
"""A catalog row in the shape of ../shared/cbs-snapshots/v4/Datasets_catalog_excerpt.json; its text is invented."""


def test_tables_check_names_a_discontinued_table_and_its_successor(both: CbsServer) -> None:
    both.v4.catalog.append(DISCONTINUED)
    result = invoke(["tables", "check", "84088NED", "83583NED", "-f", "json"])
    assert result.exit_code == 1, result.output  # a table a definition depends on has ended: cron hears of it
    rows = {r["table"]: r for r in json.loads(result.stdout)}
    assert rows["84088NED"]["status"] == "discontinued" and rows["84088NED"]["successors"] == ["85867NED"]
    assert rows["84088NED"]["breaks"] is True
    assert rows["83583NED"]["status"] == "regular" and rows["83583NED"]["breaks"] is False
    told = invoke(["tables", "check", "84088NED"], env={"COLUMNS": "200"})
    assert "84088NED is discontinued; CBS names 85867NED as its successor" in told.stdout
    catalog = [h for h in both.hits if h.path.endswith("/Datasets")][0]
    assert catalog.query.get("$select") == "Identifier,Title,Description,Status,Modified"  # one request
    fine = invoke(["tables", "check", "83583NED"])
    assert fine.exit_code == 0 and "83583NED is as its spec expects" in fine.stdout


def test_tables_check_names_a_renamed_measure_as_a_spec_change(both: CbsServer) -> None:
    topic = next(p for p in both.tables["81589NED"].properties if p["Type"] == "Topic")
    both.v4.renamed[("81589NED", topic["Key"])] = "Totaal aantal bedrijven en instellingen"
    result = invoke(["tables", "check", "81589NED", "-f", "json"])
    assert result.exit_code == 1, result.output
    [row] = json.loads(result.stdout)
    assert row["spec_changes"] == ["measure firms"] and row["breaks"] is True
    told = " ".join(invoke(["tables", "check", "81589NED"]).stdout.split())
    assert "the nearest is 'Totaal aantal bedrijven en instellingen' (M" in told
    assert "set the title of firms to it in" in told and "81589NED.yaml" in told
    dutch = invoke(["--lang", "nl", "tables", "check", "81589NED"])
    assert dutch.exit_code == 1 and "het dichtstbijzijnde is" in " ".join(dutch.stdout.split())


def test_tables_check_reports_new_periods_and_figures_now_final_since_the_fetch(both: CbsServer) -> None:
    assert invoke(["fetch", "--sbi", "21.10", "--year", "2017", "--protocol", "v3"]).exit_code == 0
    statuses = {o.period: o.status for o in _store().observations("firms") if o.source.kind == "cbs"}
    provisional = sorted(p for p, s in statuses.items() if s in ("provisional", "revised provisional"))
    assert provisional  # the invented table's latest quarters are provisional
    both.v4.extra_periods["81589NED"] = ["2018KW01"]
    both.v4.finals.add("81589NED")
    both.v4.version["81589NED"] = "2021-02-15T02:00:00"
    result = invoke(["tables", "check", "81589NED", "-f", "json"])
    assert result.exit_code == 0, result.output  # news, nothing broken
    [row] = json.loads(result.stdout)
    assert row["new_periods"] == ["2018Q1"] and row["now_final"] == provisional and row["new_version"] is True


def test_tables_check_offline_or_with_cbs_down_says_so(both: CbsServer) -> None:
    offline = invoke(["--offline", "tables", "check"])
    assert offline.exit_code == 3 and "offline" in offline.stderr
    both.faults.append(Fault("v4:Datasets", "status", status=503))
    down = invoke(["tables", "check", "81589NED"], env={"LSH_CBS_RETRIES": "0"})
    assert down.exit_code == 3 and "HTTP 503" in down.stderr


def _held(store: Store) -> dict[tuple[str, tuple[str, ...], str], tuple[float | None, str | None, str | None]]:
    """Every fetched cell with its value, status and note (the key and why it is empty)."""
    return {
        (o.measure, o.sbi, o.period): (o.value_low, o.status, o.note)
        for o in store.observations()
        if o.source.kind == "cbs"
    }


def test_a_saved_folder_restores_the_figures_of_the_fetch_that_saved_it(both: CbsServer, tmp_path: Path) -> None:
    import hashlib
    import shutil

    saved = tmp_path / "saved"
    saved.mkdir()
    args = ["fetch", "-d", "topsector", "--year", "2016", "--save", str(saved)]
    fetched = invoke(args)
    assert fetched.exit_code == 0, fetched.output
    wanted = _held(_store())
    assert len(wanted) > 200
    observations = saved / "81589NED_Observations.json"
    digest = hashlib.sha256(observations.read_bytes()).hexdigest()
    index = json.loads((saved / "lsh_capture.json").read_text(encoding="utf-8"))["tables"]["81589NED"]
    assert index["years"] == [2016] and index["observations_sha256"] == digest
    for lose_index in (False, True):
        folder = tmp_path / f"copy{lose_index}"
        shutil.copytree(saved, folder)
        if lose_index:  # a folder in the layout of CBS's captures, without lsh's index: read whole
            (folder / "lsh_capture.json").unlink()
        os.environ["LSH_STORE"] = str(tmp_path / f"import{lose_index}.sqlite3")
        both.hits.clear()
        imported = invoke(["--offline", "store", "import", str(folder)])
        assert imported.exit_code == 0, imported.output
        assert both.hits == []  # nothing asked of CBS
        assert _held(_store()) == wanted  # cell by cell: value, status, key and why a cell is empty
        sources = {o.source.citation for o in _store().observations() if o.source.kind == "cbs"}
        [citation] = sources
        assert f"sha256 {digest[:12]}" in citation and str(folder) in citation
        requests = {o.source.request for o in _store().observations() if o.source.kind == "cbs"}
        assert requests == {f"{(folder / observations.name).resolve().as_uri()}#sha256={digest}"}


@pytest.mark.slow
def test_a_damaged_folder_imports_nothing_and_says_what_is_wrong(both: CbsServer, tmp_path: Path) -> None:
    import shutil

    saved = tmp_path / "saved"
    saved.mkdir()
    assert invoke(["fetch", "--sbi", "21.10", "--year", "2016", "--save", str(saved)]).exit_code == 0
    assert (
        invoke(["fetch", "--table", "83583NED", "--sbi", "21", "--year", "2016", "--save", str(saved)]).exit_code == 0
    )
    os.environ["LSH_STORE"] = str(tmp_path / "other.sqlite3")
    cases = {
        "81589NED_Observations.json": b'{"value": [',  # cut off
        "83583NED_MeasureCodes.json": None,  # missing
        "83583NED_Properties.json": b"[]",  # no object
    }
    for name, body in cases.items():
        folder = tmp_path / f"bad-{name}"
        shutil.copytree(saved, folder)
        if body is None:
            (folder / name).unlink()
        else:
            (folder / name).write_bytes(body)
        result = invoke(["--offline", "store", "import", str(folder)])
        assert result.exit_code != 0 and result.stderr.count("\n") == 1, result.output
        assert name.split("_")[0] in result.stderr or name in result.stderr
        assert _held(_store()) == {}  # all or nothing: the sound table is not stored either
    tampered = tmp_path / "tampered"
    shutil.copytree(saved, tampered)
    answer = json.loads((tampered / "83583NED_Observations.json").read_text(encoding="utf-8"))
    answer["value"].append({**answer["value"][0], "Value": answer["value"][0]["Value"] + 1})  # a second, other cell
    (tampered / "83583NED_Observations.json").write_text(json.dumps(answer), encoding="utf-8")
    result = invoke(["--offline", "store", "import", str(tampered)])
    assert result.exit_code == 3 and "two different cells" in result.stderr
    assert _held(_store()) == {}
    assert invoke(["store", "import", str(tmp_path / "nowhere")]).exit_code == 2
    v3 = invoke(["fetch", "--sbi", "21.10", "--save", str(saved), "--protocol", "v3"])
    assert v3.exit_code == 2 and "--save" in v3.stderr
