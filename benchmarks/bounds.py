"""What bounds cost: `lsh compare topsector pwc2017 --year 2016` where the exact cover fails (72.11.2 and
72.19.3 are only published together, so lsh bounds the values with the LP solver) against the same command on
a store where it succeeds, timed in turns in one run; the difference of medians is what to quote.

    python benchmarks/bounds.py [--runs 10]

The exact store holds the bundled snapshot plus two invented figures that split 72.11.2+72.19.3 (500 and 465
firms in 2016), so the same command covers every code exactly and never imports the solver. Target: the
bounded path under 100 ms more than the exact path. It reports; it never fails a build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lshcli.model import Observation, Source  # noqa: E402
from lshcli.store import Store  # noqa: E402

TARGET_MS = 100.0
COMMAND = ["compare", "topsector", "pwc2017", "--year", "2016", "-f", "csv"]


def run(store: Path) -> float:
    env = {**os.environ, "LSH_STORE": str(store)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "lshcli", *COMMAND], env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"lsh failed: {done.stderr.decode()[-300:]}")
    return time.perf_counter() - start


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
        times: dict[str, list[float]] = {"bounded": [], "exact": []}
        for _ in range(options.runs):
            times["bounded"].append(run(bounded))
            times["exact"].append(run(exact))
    b, e = statistics.median(times["bounded"]) * 1000, statistics.median(times["exact"]) * 1000
    verdict = "met" if b - e < TARGET_MS else "MISSED"
    print(
        f"lsh compare topsector pwc2017 --year 2016: bounded {b:.0f} ms, exact {e:.0f} ms (medians of "
        f"{options.runs}, in turns): {b - e:+.0f} ms for the bounds (target < {TARGET_MS:.0f} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
