"""What bounds cost: `lsh compare topsector pwc2017 --year 2016` where the exact cover fails (72.11.2 and
72.19.3 are only published together, so lsh bounds the values; the snapshot's total for the topsector
contradicts its parts, so lsh also settles which figure gives way) against the same command on a store where it
succeeds, timed in turns in one run, wall and CPU time; the median of the paired differences, with their spread,
is what to quote. Both are nested figures: neither takes the LP solver.

    python benchmarks/bounds.py [--runs 10]

The exact store holds the bundled snapshot plus two invented figures that split 72.11.2+72.19.3 (500 and 465
firms in 2016), so the same command covers every code exactly and never imports the solver. Target: the
bounded path at most 60 ms of CPU more than the exact path (the machine's other load counts in wall time, not
in CPU time). It reports; it never fails a build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.measured import measured  # noqa: E402
from lshcli.model import Observation, Source  # noqa: E402
from lshcli.store import Store  # noqa: E402

TARGET_MS = 60.0
COMMAND = ["compare", "topsector", "pwc2017", "--year", "2016", "-f", "csv"]


def run(store: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    done = measured([sys.executable, "-m", "lshcli", *COMMAND], {**os.environ, "LSH_STORE": str(store)})
    if done.code != 0:
        raise SystemExit(f"lsh failed: {done.errors[-300:]}")
    return done.wall, done.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bounded, exact = Path(scratch) / "bounded.sqlite3", Path(scratch) / "exact.sqlite3"
        Store(bounded).close()
        store = Store(exact)
        invented = Source(kind="snapshot", citation="invented for benchmarks/bounds.py")
        store.add(
            [
                Observation("firms", (code,), "2016Q1", value, value, "firms", None, invented, ref=f"X{code}")
                for code, value in (("72.11.2", 500.0), ("72.19.3", 465.0))
            ]
        )
        store.close()
        run(bounded), run(exact)  # warm the bytecode caches
        walls, cpus = [], []
        for _ in range(options.runs):
            b, e = run(bounded), run(exact)
            walls.append((b[0] - e[0]) * 1000)
            cpus.append((b[1] - e[1]) * 1000)
    cpu = statistics.median(cpus)
    verdict = "met" if cpu <= TARGET_MS else "MISSED"
    print(
        f"lsh compare topsector pwc2017 --year 2016, bounded against exact (medians of {options.runs} pairs, in "
        f"turns): {statistics.median(walls):+.0f} ms wall ({min(walls):+.0f} to {max(walls):+.0f}), "
        f"{cpu:+.0f} ms CPU ({min(cpus):+.0f} to {max(cpus):+.0f}); target <= +{TARGET_MS:.0f} ms CPU: {verdict}"
    )


if __name__ == "__main__":
    main()
