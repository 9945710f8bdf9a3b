"""Charts, the self-contained report, overlap, sparklines and completion, on the bundled data and on the
local CBS server's invented figures."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lshcli.output.document import sparkline
from tests.cbs_server import CbsServer
from tests.conftest import invoke

PNG = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str):  # type: ignore[no-untyped-def]
    return invoke(list(args))


def svg_texts(path: Path) -> str:
    """All the text a chart shows (matplotlib keeps SVG text as text)."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_series_chart_on_the_bundled_data(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"series.{suffix}"
    result = run(
        "plot", "series", "pwc2019", "topsector", "-m", "jobs", "--from", "2010", "--to", "2019", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    if suffix == "png":
        assert out.read_bytes().startswith(PNG)
        return
    text = svg_texts(out)
    assert "employee jobs in December, 2010-2019: pwc2019, topsector" in text
    assert "employee jobs in December (x 1 000 jobs)" in text  # the axis names measure and unit
    assert "n/a" not in text.split("Gaps and")[0]  # topsector is bounded in every year: range bars, never zero
    assert "the interval the figures allow (with caps; an arrow where it runs past the axis)" in text
    from tests.test_numbers import rows

    jobs = [r for r in rows("snapshot.csv").values() if r["measure"] == "employee_jobs" and r["period"] == "2010"]
    top = sum(float(r["value_high"]) for r in jobs if r["sbi"] in ("21", "26", "32", "72"))  # topsector's upper side
    assert f"\u2191 {top:g}" in text  # past the axis, which the values set: an arrow says where it ends
    assert "Source: snapshot F020" in text


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_bridge_chart_on_the_bundled_data_closes_as_a_range(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"bridge.{suffix}"
    result = run("plot", "bridge", "topsector", "pwc2017", "--year", "2016", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    if suffix == "png":
        assert out.read_bytes().startswith(PNG)
        return
    text = svg_texts(out)
    assert "firms, 2016: from topsector to pwc2017" in text
    assert "the bridge cannot be closed" not in text  # bounded steps close it as a range
    assert "-1,940" in text and "+2,090" in text and "3,105" in text
    assert "-965 to 0" in text and "2,290 to 3,255" in text
    assert "the interval the published figures allow" in text and "Not known" not in text


def test_bridge_chart_on_fetched_data_closes(cbs: CbsServer, tmp_path: Path) -> None:
    assert run("fetch", "-d", "topsector", "-d", "pwc2017", "--year", "2019").exit_code == 0
    out = tmp_path / "bridge.svg"
    assert run("plot", "bridge", "topsector", "pwc2017", "--year", "2019", "-o", str(out)).exit_code == 0
    text = svg_texts(out)
    assert "firms, 2019: from topsector to pwc2017" in text and "cannot be closed" not in text
    assert "Source: CBS 81589NED (2020-11-19)" in text
    series = tmp_path / "series.png"
    assert (
        run("plot", "series", "topsector", "pwc2017", "--from", "2019", "--to", "2019", "-o", str(series)).exit_code
        == 0
    )
    assert series.read_bytes().startswith(PNG)


def test_a_chart_needs_a_png_or_svg_file(tmp_path: Path) -> None:
    result = run("plot", "bridge", "topsector", "pwc2017", "-o", str(tmp_path / "chart.jpg"))
    assert result.exit_code == 2 and ".png or .svg" in result.stderr
    assert not (tmp_path / "chart.jpg").exists()


def _check_self_contained(html: str) -> None:
    assert "<script" not in html and "<link" not in html and "@import" not in html
    for attribute in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert attribute.startswith("data:image/png;base64,"), attribute[:60]
    assert not re.search(r"url\((?!data:)", html)


def test_html_report_on_the_bundled_data(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run("report", "topsector", "pwc2017", "pwc2019", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    _check_self_contained(html)
    for heading in (
        "Summary",
        "The definitions",
        "Firms over time",
        "topsector against pwc2017, 2016",
        "topsector against pwc2019, 2016",
        "Which codes each definition holds",
        "Caveats",
        "Provenance",
    ):
        assert f"<h2>{heading}</h2>" in html
    for table in ("Where the difference comes from", "Codes by definition", "firms by year"):
        assert table in html
    assert html.count("<table>") == 8  # definitions, series, 2 x (totals, parts), overlap, provenance
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(images) == 3  # the series and two bridges
    assert all(base64.b64decode(i).startswith(PNG) for i in images)
    for ref in ("F001", "F002", "F007", "F014", "F016", "F017"):  # every published figure used is listed
        assert ref in html.split("<h2>Provenance</h2>")[1]
    assert "Technopolis Group (2019), Desk studie sector Life Sciences and Health" in html
    assert "72.11.2 and 72.19.3" in html or "72.11.2 (in both) and 72.19.3" in html  # a caveat on codes not apart
    assert "Published as ranges, summed bound by bound" in html  # the 180 to 200 range in 2010


@pytest.mark.slow  # half a second or more; CI runs it
def test_html_report_on_fetched_data_names_the_table_version_and_retrieval(cbs: CbsServer, tmp_path: Path) -> None:
    assert run("fetch", "-d", "topsector", "-d", "pwc2017", "--from", "2018", "--to", "2019").exit_code == 0
    out = tmp_path / "report.html"
    assert run("report", "topsector", "pwc2017", "--year", "2019", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    _check_self_contained(html)
    provenance = html.split("<h2>Provenance</h2>")[1]
    assert "CBS 81589NED (2020-11-19)" in provenance and "CBS table" in provenance
    assert re.search(r"<td>2020-11-19</td><td>\d{4}-\d{2}-\d{2}T", provenance)
    assert "from live CBS figures and the bundled snapshot" in html


def test_markdown_report(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert run("report", "topsector", "pwc2017", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Life Sciences & Health by definition: topsector, pwc2017")
    assert "## Provenance" in text and "## Caveats" in text
    assert text.count("](data:image/png;base64,") == 2
    refused = run("report", "topsector", "pwc2017", "-o", str(tmp_path / "report.pdf"))
    assert refused.exit_code == 2


@pytest.mark.slow
def test_a_markdown_report_can_write_its_charts_beside_it(tmp_path: Path) -> None:
    """--assets: the charts as PNG files, linked from the page relative to where the page is, none embedded."""
    (tmp_path / "out").mkdir()
    page = tmp_path / "out" / "report.md"
    result = run("report", "topsector", "pwc2017", "pwc2019", "-o", str(page), "--assets", str(tmp_path / "charts"))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "data:image" not in text
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(links) == 3  # the series and one bridge per pair
    for link in links:
        assert link.startswith("../charts/")
        chart = (page.parent / link).resolve()
        assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), link
    refused = run("report", "topsector", "pwc2017", "-o", str(tmp_path / "r.html"), "--assets", str(tmp_path / "x"))
    assert refused.exit_code == 2 and not (tmp_path / "x").exists()
    nowhere = run(
        "report", "topsector", "pwc2017", "-o", str(tmp_path / "no" / "r.md"), "--assets", str(tmp_path / "y")
    )
    assert nowhere.exit_code == 1 and not (tmp_path / "y").exists()  # no charts without the page they belong to


def test_overlap_matrix() -> None:
    result = run("overlap", "topsector", "pwc2017", "pwc2019", "--year", "2016", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {r["code"]: r for r in data["rows"]}
    assert rows["21"]["held_by"] == ["topsector", "pwc2017", "pwc2019"] and rows["21"]["value"] == 200
    assert rows["46.46"]["held_by"] == ["pwc2017"] and rows["46.46"]["value"] == 2090
    assert rows["72.11.2"]["held_by"] == ["topsector", "pwc2017"] and rows["72.11.2"]["value"] is None
    assert set(rows) == {"21", "72.11.2", "26.60", "32.50", "72.19.3", "46.46"}
    table = run("overlap", "topsector", "pwc2017", "pwc2019", "--year", "2016").stdout
    assert "In all 3 definitions: 21." in table and "Only in pwc2017: 46.46." in table


def test_sparklines() -> None:
    assert sparkline([1.0, 2.0, 3.0]) == "▁▅█"
    assert sparkline([16.6, None, 12.2]) == "█·▁"  # a missing year is a dot, not a low bar
    assert sparkline([None, None]) == "··"
    assert sparkline([5.0, 5.0]) == "▄▄"


@pytest.mark.slow
def test_sparklines_stand_beside_series_in_tables_only() -> None:
    args = ["count", "pwc2019", "-m", "jobs", "--from", "2010", "--to", "2019", "--wide"]
    assert "█▂▂▁▁▂▂▂▃▄" in run(*args).stdout
    assert "█" not in run(*args, "-f", "csv").stdout
    long = run("compare", "pwc2019", "topsector", "-m", "jobs", "--from", "2010", "--to", "2019").stdout
    assert "Trend 2010-2019: pwc2019 █▂▂▁▁▂▂▂▃▄" in long


def test_shell_completion_can_be_installed() -> None:
    result = run("--show-completion", "bash")
    assert result.exit_code == 0
    assert "_lsh_completion" in result.stdout and "complete" in result.stdout


@pytest.mark.slow  # half a second or more; CI runs it
def test_the_report_keeps_the_estimate_lines_and_drops_only_the_sources_block(cbs: CbsServer, tmp_path: Path) -> None:
    assert run("fetch", "-d", "topsector", "--sbi", "26", "--sbi", "32", "--sbi", "72", "--year", "2019").exit_code == 0
    assert run("fetch", "-m", "jobs", "-d", "topsector", "-d", "pwc2019", "--year", "2019").exit_code == 0
    out = tmp_path / "report.html"
    args = ["report", "pwc2019", "topsector", "-m", "jobs", "--year", "2019", "--from", "2019", "--to", "2019"]
    assert run(*args, "--estimate", "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    notes = html.split("<h2>pwc2019 against topsector, 2019</h2>")[1].split("<h2>")[0]
    assert "Estimates (not published figures):<br>  26.60: estimated at" in notes
    assert "Sources:" not in notes  # the Provenance section lists them


@pytest.mark.slow  # a second or more; CI runs it
def test_the_report_reads_each_figure_once(tmp_path: Path) -> None:
    """Four analyses share one Figurebook: no stored figure is read from the store twice."""
    from collections import Counter

    from lshcli.definitions import DefinitionLibrary, search_dirs
    from lshcli.measures import MEASURES
    from lshcli.output.report import build_report
    from lshcli.output.words import Words
    from lshcli.query import Figurebook
    from lshcli.sbi import load
    from lshcli.store import Store

    store = Store(tmp_path / "store.sqlite3")
    read: Counter[tuple[str, str, str, str | None]] = Counter()
    plain = store.observations

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        rows = plain(*args, **kwargs)
        read.update((o.measure, o.sbi_label, o.period, o.ref) for o in rows)
        return rows

    store.observations = counted  # type: ignore[method-assign]
    library = DefinitionLibrary(load(), search_dirs())
    definitions = [library.get(d) for d in ("topsector", "pwc2017", "pwc2019")]
    book = Figurebook(store, load())
    build_report(book, definitions, MEASURES["firms"], 2016, list(range(2010, 2020)), Words())
    assert read and max(read.values()) == 1


@pytest.mark.slow
@pytest.mark.parametrize("measure", ["firms", "jobs"])
def test_the_summary_leads_with_the_finding_and_says_each_thing_once(tmp_path: Path, measure: str) -> None:
    out = tmp_path / "report.md"
    result = run("report", "topsector", "pwc2017", "pwc2019", "-m", measure, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    summary = text.split("## Summary", 1)[1].split("## ", 1)[0]
    items = [line for line in summary.splitlines() if line.startswith("- ")]
    assert len(items) == len(set(items)) and items
    if measure == "firms":
        assert any("46.46" in i and "adds 2,090 firms, 67.3%" in i for i in items)
        assert any("lies between -815 and +150 firms" in i for i in items)


def test_a_measure_whose_unit_is_its_label_is_named_once(tmp_path: Path) -> None:
    """'firms (firms)' said nothing twice; a unit that adds something stays ('... (x 1 000 jobs)')."""
    report = tmp_path / "r.md"
    assert run("report", "topsector", "pwc2017", "--year", "2016", "-o", str(report)).exit_code == 0
    assert "firms (firms)" not in report.read_text(encoding="utf-8")
    jobs = tmp_path / "j.md"
    assert (
        run("report", "topsector", "pwc2019", "-m", "jobs", "--from", "2018", "--to", "2019", "-o", str(jobs)).exit_code
        == 0
    )
    assert "employee jobs in December (x 1 000 jobs) by year" in jobs.read_text(encoding="utf-8")
