"""What `lsh fetch --definition topsector` costs on the wire, next to downloading the whole table with cbsodata.

    python benchmarks/fetch.py [--quarters 70] [--json]

Both run against the local CBS server of the tests (tests/cbs_server.py) serving a full-size table
in the shape of 81589NED: every SBI 2008 code (sections to subclasses, about 1,480 rows) by 70
quarters from 2007KW01, all figures invented. It counts the requests and bytes the server sent and
the wall time of each (lsh's includes starting a Python process), and then checks that a repeat
`lsh compare` needs no network at all.

Target: `lsh fetch` moves at least 20 times fewer bytes than `cbsodata.get_data`. This script reports;
it never fails a build.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cbs_server import CbsServer, firms_table, serve  # noqa: E402

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

        # every finest code of the table: before, 25 keys a request; now the fewest pages the URL length allows
        sbi = classification()
        titles = [r["Title"] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]]
        carried = {codes_in_title(t, sbi) for t in titles}
        leaves = [c[0] for c in carried if c and len(c) == 1 and not sbi.children.get(c[0])]
        args = [arg for code in leaves for arg in ("--sbi", code)]
        start, mark = time.perf_counter(), len(server.hits)
        if lsh(["fetch", *args, "--refresh"], env).returncode != 0:
            raise SystemExit("the fetch of the whole tree failed")
        requests, sent = traffic(server, mark)
        data = sum(1 for h in server.hits[mark:] if h.path.endswith("DataSet"))
        results[f"lsh fetch of all {len(leaves)} finest codes"] = {
            "requests": requests,
            "bytes": sent,
            "seconds": time.perf_counter() - start,
            "data_requests": data,
            "data_requests_at_25_keys": -(-len(leaves) // 25) * -(-25 * options.quarters // 10_000),
        }

        # a re-fetch into the store that now holds the whole tree, in turns with one into a store of the snapshot
        # and the topsector's rows: what a fetch costs should follow the question, not the store
        small = {**env, "LSH_STORE": str(Path(scratch) / "small.sqlite3")}
        lsh(["fetch", "--definition", "topsector"], small)
        walls: list[tuple[float, float]] = []
        for _ in range(5):
            took = []
            for where in (env, small):
                start = time.perf_counter()
                if lsh(["fetch", "--definition", "topsector"], where).returncode != 0:
                    raise SystemExit("the re-fetch failed")
                took.append(time.perf_counter() - start)
            walls.append((took[0], took[1]))
        ratios = sorted(a / b for a, b in walls)
        refetch = {
            "full_seconds": sorted(a for a, _ in walls)[2],
            "small_seconds": sorted(b for _, b in walls)[2],
            "ratio": ratios[2],
            "ratio_low": ratios[0],
            "ratio_high": ratios[-1],
        }

        import cbsodata

        cbsodata.options.catalog_url = server.url.removeprefix("http://")
        cbsodata.options.use_https = False
        start, mark = time.perf_counter(), len(server.hits)
        rows = cbsodata.get_data("81589NED")
        requests, sent = traffic(server, mark)
        results["cbsodata.get_data('81589NED')"] = {
            "requests": requests,
            "bytes": sent,
            "seconds": time.perf_counter() - start,
            "rows": len(rows),
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
    verdict = "met" if refetch["ratio"] <= 1.5 else "MISSED"
    print(
        f"`lsh fetch --definition topsector` into the store holding the whole tree: {refetch['full_seconds']:.2f} s, "
        f"into a small store {refetch['small_seconds']:.2f} s: {refetch['ratio']:.2f}x "
        f"({refetch['ratio_low']:.2f}-{refetch['ratio_high']:.2f}; target <= 1.5x: {verdict})."
    )


if __name__ == "__main__":
    main()
