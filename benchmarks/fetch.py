"""What `lsh fetch --definition topsector` costs on the wire, next to downloading the whole table with cbsodata.

    python benchmarks/fetch.py [--quarters 70] [--pairs 2] [--json]

Both run against the local CBS server of the tests (tests/cbs_server.py) serving a full-size table
in the shape of 81589NED: every SBI 2008 code (sections to subclasses, about 1,480 rows) by 70
quarters from 2007KW01, all figures invented. It counts the requests and bytes the server sent and
the wall time of each (lsh's includes starting a Python process), and then checks that a repeat
`lsh compare` needs no network at all.

Targets: `lsh fetch` moves at least 20 times fewer bytes than `cbsodata.get_data`; a fetch of every finest
code (the whole tree) takes at most 3 times the time of `cbsodata.get_data` of the whole table and no more
memory (the two timed in turns, each in a child process, with CPU time and peak memory); a re-fetch into a
store that holds the whole tree within 1.5 times one into a small store. This script reports; it never fails
a build.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cbs_server import CbsServer, firms_table, serve  # noqa: E402

from benchmarks.measured import timed  # noqa: E402
from lshcli.cbs.odata import codes_in_title  # noqa: E402
from lshcli.sbi import load as classification  # noqa: E402

TARGET_RATIO = 20.0


def lsh(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "lshcli", *args], env=env, capture_output=True, text=True, check=False)


def traffic(server: CbsServer, since: int) -> tuple[int, int]:
    hits = server.hits[since:]
    return len(hits), sum(h.bytes for h in hits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quarters", type=int, default=70, help="quarters in the table (default 70)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--pairs", type=int, default=2, help="turns of the whole tree and cbsodata (default 2)")
    options = parser.parse_args()

    table = firms_table(first_year=2007, last_year=2007 + (options.quarters + 3) // 4, quarters=options.quarters)
    codes = len(table.dimensions["BedrijfstakkenBranchesSBI2008"])
    results: dict[str, dict[str, float]] = {}
    with serve([table]) as server, tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "LSH_STORE": str(Path(scratch) / "store.sqlite3"),
            "LSH_CBS_URL": server.url,
            "LSH_CBS_V4_URL": server.url,  # the local CBS speaks v4 too; v3 is timed here, as before
            "LSH_CBS_PROTOCOL": "v3",
            "XDG_CONFIG_HOME": str(Path(scratch) / "config"),
        }
        env.pop("LSH_OFFLINE", None)
        lsh(["store"], env)  # load the bundled snapshot first, so the fetch is timed on its own

        start, mark = time.perf_counter(), len(server.hits)
        done = lsh(["fetch", "--definition", "topsector"], env)
        if done.returncode != 0:
            raise SystemExit(f"lsh fetch failed: {done.stderr.strip()}")
        requests, sent = traffic(server, mark)
        results["lsh fetch --definition topsector"] = {
            "requests": requests,
            "bytes": sent,
            "seconds": time.perf_counter() - start,
        }

        start, mark = time.perf_counter(), len(server.hits)
        if lsh(["fetch", "--definition", "topsector"], env).returncode != 0:
            raise SystemExit("the repeat lsh fetch failed")
        requests, sent = traffic(server, mark)
        results["repeat lsh fetch (same table version)"] = {
            "requests": requests,
            "bytes": sent,
            "seconds": time.perf_counter() - start,
        }

        # every finest code of the table: before, 25 keys a request; now the fewest pages the URL length allows,
        # each answer at most 10,000 rows. Timed in turns with cbsodata.get_data of the same table, each in a child
        # process of its own, with its CPU time and its peak memory (the local server's time is in neither's CPU)
        sbi = classification()
        titles = [r["Title"] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]]
        carried = {codes_in_title(t, sbi) for t in titles}
        leaves = [c[0] for c in carried if c and len(c) == 1 and not sbi.children.get(c[0])]
        args = [arg for code in leaves for arg in ("--sbi", code)]
        getter = (
            "import cbsodata\n"
            f"cbsodata.options.catalog_url = {server.url.removeprefix('http://')!r}\n"
            "cbsodata.options.use_https = False\n"
            "rows = cbsodata.get_data('81589NED')\n"
        )
        mark = len(server.hits)
        tree_runs: list[tuple[float, float, float]] = []
        whole_runs: list[tuple[float, float, float]] = []
        for turn in range(options.pairs):
            fresh = {**env, "LSH_STORE": str(Path(scratch) / f"tree{turn}.sqlite3")}  # a first fetch, as cbsodata's
            lsh(["store"], fresh)
            mark = len(server.hits)
            tree_runs.append(timed(["fetch", *args], fresh))
            if turn == 0:
                requests, sent = traffic(server, mark)
                data = sum(1 for h in server.hits[mark:] if h.path.endswith("DataSet"))
            mark = len(server.hits)
            whole_runs.append(timed(["-c", getter], env))
            if turn == 0:
                whole_requests, whole_sent = traffic(server, mark)
            mark = len(server.hits)
        whole_store = fresh  # a store that holds the whole tree, for the re-fetch below
        results[f"lsh fetch of all {len(leaves)} finest codes"] = {
            "requests": requests,
            "bytes": sent,
            "seconds": statistics.median(r[0] for r in tree_runs),
            "data_requests": data,
            "data_requests_at_25_keys": -(-len(leaves) // 25) * -(-25 * options.quarters // 10_000),
        }
        results["cbsodata.get_data('81589NED')"] = {
            "requests": whole_requests,
            "bytes": whole_sent,
            "seconds": statistics.median(r[0] for r in whole_runs),
        }
        turns = {
            "pairs": options.pairs,
            "lsh": {k: statistics.median(r[i] for r in tree_runs) for i, k in enumerate(("wall", "cpu", "peak_mib"))},
            "cbsodata": {
                k: statistics.median(r[i] for r in whole_runs) for i, k in enumerate(("wall", "cpu", "peak_mib"))
            },
            "wall_ratios": sorted(a[0] / b[0] for a, b in zip(tree_runs, whole_runs, strict=True)),
            "cpu_ratios": sorted(a[1] / b[1] for a, b in zip(tree_runs, whole_runs, strict=True)),
        }

        # a re-fetch into the store that now holds the whole tree, in turns with one into a store of the snapshot
        # and the topsector's rows: what a fetch costs should follow the question, not the store
        small = {**env, "LSH_STORE": str(Path(scratch) / "small.sqlite3")}
        lsh(["fetch", "--definition", "topsector"], small)
        pairs: list[tuple[tuple[float, float, float], tuple[float, float, float]]] = []
        for _ in range(5):
            pairs.append(
                (
                    timed(["fetch", "--definition", "topsector"], whole_store),
                    timed(["fetch", "--definition", "topsector"], small),
                )
            )
        ratios = sorted(a[0] / b[0] for a, b in pairs)
        refetch = {
            "full_seconds": statistics.median(a[0] for a, _ in pairs),
            "small_seconds": statistics.median(b[0] for _, b in pairs),
            "full_peak_mib": max(a[2] for a, _ in pairs),
            "small_peak_mib": max(b[2] for _, b in pairs),
            "ratio": statistics.median(ratios),
            "ratio_low": ratios[0],
            "ratio_high": ratios[-1],
        }

        mark = len(server.hits)
        start = time.perf_counter()
        again = lsh(["compare", "topsector", "pwc2017", "--year", "2019", "-f", "csv"], {**env, "LSH_OFFLINE": "1"})
        seconds = time.perf_counter() - start
        repeat = {"exit_code": again.returncode, "requests": traffic(server, mark)[0], "seconds": seconds}

    ours, whole = results["lsh fetch --definition topsector"], results["cbsodata.get_data('81589NED')"]
    ratio = whole["bytes"] / ours["bytes"]
    summary = {
        "table": f"81589NED-shaped, {codes} SBI rows x {options.quarters} quarters = {len(table.rows):,} rows",
        "results": results,
        "bytes_ratio": round(ratio, 1),
        "target_ratio": TARGET_RATIO,
        "target_met": ratio >= TARGET_RATIO,
        "repeat_compare": repeat,
        "refetch_full_store": refetch,
        "whole_tree_against_cbsodata": turns,
    }
    if options.json:
        print(json.dumps(summary, indent=2))
        return
    print(f"Against {summary['table']} (local server, invented figures):\n")
    print("| download | requests | bytes | seconds |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['requests']:.0f} | {r['bytes']:,.0f} | {r['seconds']:.2f} |")
    tree = next(r for name, r in results.items() if "finest codes" in name)
    print(
        f"\nThe whole tree took {tree['data_requests']:.0f} data requests; at 25 keys a request it took "
        f"{tree['data_requests_at_25_keys']:.0f}."
    )
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"\nlsh fetch moves {ratio:,.0f} times fewer bytes (target: {TARGET_RATIO:.0f} times; {verdict}).")
    print(
        f"A repeat `lsh compare topsector pwc2017 --year 2019` with LSH_OFFLINE=1: exit {repeat['exit_code']}, "
        f"{repeat['requests']} requests, {repeat['seconds']:.2f} s."
    )
    lsh_tree, theirs = turns["lsh"], turns["cbsodata"]
    wall_ratio, cpu_ratio = statistics.median(turns["wall_ratios"]), statistics.median(turns["cpu_ratios"])
    verdict = "met" if wall_ratio <= 3 and lsh_tree["peak_mib"] <= theirs["peak_mib"] else "MISSED"
    print(
        f"The whole tree, in {options.pairs} turns with cbsodata.get_data of the whole table (medians): lsh "
        f"{lsh_tree['wall']:.2f} s wall, {lsh_tree['cpu']:.2f} s cpu, {lsh_tree['peak_mib']:.0f} MiB; cbsodata "
        f"{theirs['wall']:.2f} s wall, {theirs['cpu']:.2f} s cpu, {theirs['peak_mib']:.0f} MiB: {wall_ratio:.1f}x "
        f"wall ({min(turns['wall_ratios']):.1f}-{max(turns['wall_ratios']):.1f}), {cpu_ratio:.1f}x cpu (target <= 3x "
        f"its time, <= its memory: {verdict})."
    )
    flat = refetch["full_peak_mib"] <= 1.5 * refetch["small_peak_mib"]
    verdict = "met" if refetch["ratio"] <= 1.5 and flat else "MISSED"
    print(
        f"`lsh fetch --definition topsector` into the store holding the whole tree: {refetch['full_seconds']:.2f} s, "
        f"{refetch['full_peak_mib']:.0f} MiB; into a small store {refetch['small_seconds']:.2f} s, "
        f"{refetch['small_peak_mib']:.0f} MiB: {refetch['ratio']:.2f}x ({refetch['ratio_low']:.2f}-"
        f"{refetch['ratio_high']:.2f}; target <= 1.5x, memory within 1.5x: {verdict})."
    )


if __name__ == "__main__":
    main()
