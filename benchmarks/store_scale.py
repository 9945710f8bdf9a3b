"""How lsh's commands scale with the store: a store holding a whole 81589NED-shaped table against one holding
only the bundled snapshot, timed in turns in one run (the ratio of medians is what to quote).

    python benchmarks/store_scale.py [--runs 5] [--quarters 70]

The full store holds every SBI 2008 code of the test server's table (about 1,480) by `--quarters` quarters
by 11 topics (firms, 8 size classes, 2 size groups): about 1.14 million rows of invented figures, written
straight into a store that lsh made. Targets: `lsh compare topsector pwc2017` and `lsh count topsector`
within 1.5 times their time on the snapshot-only store. It reports; it never fails a build.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cbs_server import firms_table  # noqa: E402

COMMANDS = {
    "lsh compare topsector pwc2017 --year 2016": ["compare", "topsector", "pwc2017", "--year", "2016"],
    "lsh count topsector": ["count", "topsector"],
}
TARGET = 1.5


def fill(path: Path, quarters: int) -> int:
    """Write a whole firms table into the store at `path` (which lsh has made), as one fetched source."""
    table = firms_table(first_year=2007, last_year=2007 + (quarters + 3) // 4, quarters=quarters)
    titles = {r["Key"]: r["Title"].split(" ")[0] for r in table.dimensions["BedrijfstakkenBranchesSBI2008"]}
    topics = {
        "TotaalBedrijven_1": "firms",
        "k_1WerkzamePersoon_2": "firms_size_1",
        "k_2WerkzamePersonen_3": "firms_size_2",
        "k_3Tot5WerkzamePersonen_4": "firms_size_3_4",
        "k_5Tot10WerkzamePersonen_5": "firms_size_5_9",
        "k_10Tot20WerkzamePersonen_6": "firms_size_10_19",
        "k_20Tot50WerkzamePersonen_7": "firms_size_20_49",
        "k_50Tot100WerkzamePersonen_8": "firms_size_50_99",
        "k_100WerkzamePersonenOfMeer_9": "firms_size_100_plus",
        "k_0Tot50WerkzamePersonen_10": "firms_under_50",
        "k_0Tot250WerkzamePersonen_11": "firms_under_250",
    }
    from lshcli.sbi import load as classification
    from lshcli.sbi import normalise

    sbi = classification()
    conn = sqlite3.connect(path)
    source = conn.execute(
        "INSERT INTO sources (kind, citation, cbs_table, table_modified, request, retrieved_at)"
        " VALUES ('cbs', 'invented benchmark table (benchmarks/store_scale.py)', '81589NED',"
        " '2020-11-19T02:00:00', 'http://127.0.0.1/benchmark', '2026-11-23T00:00:00')"
    ).lastrowid
    rows = []
    for row in table.rows:
        token = titles[row["BedrijfstakkenBranchesSBI2008"]]
        if "-" in token:
            continue
        code = token if token.isalpha() else normalise(token)
        if code not in sbi:
            continue
        period = f"{row['Perioden'][:4]}Q{int(row['Perioden'][-2:])}"
        for topic, measure in topics.items():
            value = row.get(topic)
            ref = f"81589NED/{row['BedrijfstakkenBranchesSBI2008'].strip()}/{row['Perioden']}/{topic}"
            rows.append((measure, code, period, int(period[:4]), value, value, "firms", ref, source))
    conn.executemany(
        "INSERT INTO observations (measure, sbi, period, year, value_low, value_high, unit, status, basis, ref,"
        " note, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 'invented', ?, NULL, ?)",
        rows,
    )
    conn.commit()
    conn.close()
    return len(rows)


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lshcli", *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"lsh {' '.join(args)} failed: {done.stderr.strip()}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quarters", type=int, default=70)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        small, full = Path(scratch) / "small.sqlite3", Path(scratch) / "full.sqlite3"
        base = {**os.environ, "LSH_OFFLINE": "1", "XDG_CONFIG_HOME": str(Path(scratch) / "config")}
        for path in (small, full):
            timed(["store"], {**base, "LSH_STORE": str(path)})  # lsh makes the store and loads the snapshot
        started = time.perf_counter()
        count = fill(full, options.quarters)
        print(f"full store: {count:,} rows written in {time.perf_counter() - started:.1f} s")
        for name, args in COMMANDS.items():
            ratios, fulls, smalls = [], [], []
            for _ in range(options.runs):  # in turns, so a drift in the machine's speed hits both alike
                a = timed(args, {**base, "LSH_STORE": str(full)})
                b = timed(args, {**base, "LSH_STORE": str(small)})
                fulls.append(a)
                smalls.append(b)
                ratios.append(a / b)
            ratio = statistics.median(ratios)
            verdict = "met" if ratio <= TARGET else "MISSED"
            print(
                f"{name}: {statistics.median(fulls) * 1000:.0f} ms on the full store, "
                f"{statistics.median(smalls) * 1000:.0f} ms on the snapshot only: {ratio:.2f}x "
                f"(target <= {TARGET}x: {verdict})"
            )


if __name__ == "__main__":
    main()
