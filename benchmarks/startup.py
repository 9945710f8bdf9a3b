"""Time lsh's start-up against a bare Python start, in the same run, and print the ratios.

    python benchmarks/startup.py [--runs 15]

Run it with the Python of a plain `pip install .` (CI does): the `lsh` beside that Python is timed. An
editable install with the test extras starts Python more slowly and flatters every ratio.

Targets on a 2-core machine: `lsh --help` within 6 times `python -c pass`, `lsh compare` within 12 times, both
of a pair the exact cover answers and of the README's first command, whose bounds and contradicting published
total nested figures settle without the LP solver (benchmarks/bounds.py prices the bounded path).
Each command is paired with a bare start: the two run in turns, and the ratio quoted is the median of
the ratios of each pair, so a machine that slows down during the run slows both sides alike. It
reports; it never fails a build. Uses a throw-away store so the first run's snapshot import is
timed separately from the warm runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the benchmarks' own helper; lsh is the installed one

from benchmarks.measured import measured  # noqa: E402

TARGETS = {
    "lsh --help": 6.0,
    "lsh sbi 21.10": None,
    "lsh compare topsector pwc2019": 12.0,  # answered by the exact cover: the solver is never imported
    "lsh compare topsector pwc2017": 12.0,  # the README's first command; bounded, by interval arithmetic
}


def lsh_command() -> list[str]:
    script = Path(sys.executable).with_name("lsh")
    return [str(script)] if script.exists() else [shutil.which("lsh") or "lsh"]


def seconds(argv: list[str], env: dict[str, str]) -> float:
    return timed(argv, env)[0]


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    done = measured(argv, env)
    if done.code != 0:
        raise subprocess.CalledProcessError(done.code, argv)
    return done.wall, done.cpu


def median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    return statistics.median(seconds(argv, env) for _ in range(runs))


def paired(argv: list[str], base: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, float, str]:
    """The median time of `argv`, the median of its wall and CPU ratios to `base` run just before it, in turns,
    and the spread of the wall ratios."""
    times, ratios, cpus = [], [], []
    for _ in range(runs):
        bare = timed(base, env)
        took = timed(argv, env)
        times.append(took[0])
        ratios.append(took[0] / bare[0])
        cpus.append(took[1] / bare[1])
    spread = f"{min(ratios):.1f}-{max(ratios):.1f}"
    return statistics.median(times), statistics.median(ratios), statistics.median(cpus), spread


def import_costs(env: dict[str, str]) -> list[tuple[str, float]]:
    """Seconds each heavy dependency costs to import on its own (median of 5)."""
    costs = []
    for module in ("typer", "rich.table", "yaml", "sqlite3", "platformdirs", "ssl", "matplotlib.figure"):
        seconds = median_seconds([sys.executable, "-c", f"import {module}"], 5, env)
        costs.append((module, seconds))
    return costs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LSH_STORE": str(Path(tmp) / "store.sqlite3"), "NO_COLOR": "1"}
        # As a user runs it: Python keeps compiled bytecode. Some shells switch that off; the first
        # run below then writes it, so the timed runs do not compile lsh's source every time.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        lsh = lsh_command()
        first = time.perf_counter()
        subprocess.run([*lsh, "compare", "topsector", "pwc2017"], env=env, capture_output=True, check=True)
        cold = time.perf_counter() - first
        base = median_seconds([sys.executable, "-c", "pass"], args.runs, env)
        print(f"python -c pass: {base * 1000:.1f} ms (median of {args.runs})")
        print(f"first lsh compare with an empty store (imports the snapshot): {cold * 1000:.0f} ms")
        for label, target in TARGETS.items():
            took, ratio, cpu, spread = paired(
                [*lsh, *label.split()[1:]], [sys.executable, "-c", "pass"], args.runs, env
            )
            verdict = "" if target is None else f"  target <= {target:g}x: {'met' if ratio <= target else 'MISSED'}"
            print(
                f"{label}: {took * 1000:.1f} ms = {ratio:.1f}x python -c pass (paired; {spread}), "
                f"{cpu:.1f}x in CPU{verdict}"
            )
        print("import cost of each dependency alone (ms, including the interpreter start):")
        for module, seconds in import_costs(env):
            print(f"  {module}: {seconds * 1000:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
