"""How lsh's commands scale with the store: a store holding a whole 81589NED-shaped table against one holding
only the same table's rows that each question reads, timed in turns in one run, with wall time, CPU time and
peak memory of each.

    python benchmarks/store_scale.py [--runs 5] [--quarters 70]

The full store holds every SBI 2008 code of the test server's table (about 1,480) by `--quarters` quarters
by 11 topics (firms, 8 size classes, 2 size groups): about 1.12 million invented figures, written into a store
that lsh made the way a fetch writes them. Each small store holds the same table's rows of one question's codes
(and the codes above them) only: those of topsector, pwc2017 and pwc2019 for compare, count and report; all of
section C; the 800 codes. Each command prints the same output from either store (checked, and said, before the
timing). Each command runs on the full store and on its small one in turns (so a drift in the machine's speed
hits both alike); the ratio quoted is the median of the paired ratios, with the spread (lowest to highest).
Targets: a command on the full store within 1.2 times (compare 1.5 times) its time on the small store; `count`'s
peak memory within 1.5 times; and the absolute targets of `count` at full size (section C: under 2 s and 150 MiB;
800 codes: under 5 s and 300 MiB). A re-fetch into a store that holds the whole table is timed by
benchmarks/fetch.py, which serves the table. It reports; it never fails a build.
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
sys.path.insert(0, str(ROOT))

from tests.cbs_server import firms_table  # noqa: E402

from benchmarks.measured import timed  # noqa: E402

DEFINITIONS = ("topsector", "pwc2017", "pwc2019")
COMMANDS = {
    "lsh compare topsector pwc2017 --year 2016": (["compare", "topsector", "pwc2017", "--year", "2016"], 1.5),
    "lsh count topsector": (["count", "topsector"], 1.2),
    "lsh report topsector pwc2017 pwc2019": (["report", "topsector", "pwc2017", "pwc2019", "-o", "{out}/r.html"], 1.2),
    "lsh count SECTION_C (all measures)": (["count", "{defs}/section_c.yaml", "-f", "csv"], None),
    "lsh count CODES_800 (all measures)": (["count", "{defs}/codes800.yaml", "-f", "csv"], None),
}
"""Each command with its target ratio, full store against small (None: an absolute target, below)."""
ASKED = {
    "lsh count SECTION_C (all measures)": ("{defs}/section_c.yaml",),
    "lsh count CODES_800 (all measures)": ("{defs}/codes800.yaml",),
}
"""The definitions whose rows a command's small store holds, where they are not `DEFINITIONS`."""
ABSOLUTE = {"lsh count SECTION_C (all measures)": (2.0, 150), "lsh count CODES_800 (all measures)": (5.0, 300)}
"""Seconds and MiB on the full store."""
FLAT = 1.5
"""`count`'s peak memory on the full store, at most this many times its peak on the small one."""


def definitions(folder: Path) -> None:
    """The two definitions of the full-size cases: all of manufacturing, and the first 800 finest codes."""
    from lshcli.sbi import load

    sbi = load()
    (folder / "section_c.yaml").write_text(
        "id: section_c\ntitle: all of manufacturing (a benchmark definition)\nsource: benchmarks\n"
        "codes:\n  - code: 'C'\n",
        encoding="utf-8",
    )
    leaves = [c for c in sbi.entries if not sbi.children.get(c)][:800]
    codes = "".join(f"  - code: '{c}'\n" for c in leaves)
    (folder / "codes800.yaml").write_text(
        f"id: codes800\ntitle: 800 finest codes (a benchmark definition)\nsource: benchmarks\ncodes:\n{codes}",
        encoding="utf-8",
    )


def held_codes(names: list[str]) -> set[str]:
    """The codes whose rows the small store holds: the definitions' finest codes and every code above them, all a
    command about them reads (so that it prints the same table from either store)."""
    from lshcli.definitions import DefinitionLibrary
    from lshcli.sbi import load as classification

    sbi = classification()
    library = DefinitionLibrary(sbi)
    leaves = set().union(*(library.get(name).leaves(sbi) for name in names))
    return {code for leaf in leaves for code in (leaf, *sbi.ancestors(leaf))}


def fill(path: Path, quarters: int, only: set[str] | None = None) -> int:
    """Write a whole firms table into the store at `path` (which lsh has made), as one fetched source; with `only`,
    the rows of those codes alone."""
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
    from lshcli.model import Source
    from lshcli.sbi import load as classification
    from lshcli.sbi import normalise
    from lshcli.store import Store, Topic

    sbi = classification()
    store = Store(path)
    staged = store.staging([Topic(m, "firms", 1.0, t) for t, m in topics.items()], "invented", "sbi2008")
    source = Source(
        "cbs",
        "invented benchmark table (benchmarks/store_scale.py)",
        "81589NED",
        "2020-11-19T02:00:00",
        "http://127.0.0.1/benchmark",
        "2026-11-23T00:00:00",
    )
    rows = []
    for row in table.rows:
        token = titles[row["BedrijfstakkenBranchesSBI2008"]]
        if "-" in token:
            continue
        code = token if token.isalpha() else normalise(token)
        if code not in sbi or (only is not None and code not in only):
            continue
        period = f"{row['Perioden'][:4]}Q{int(row['Perioden'][-2:])}"
        prefix = f"81589NED/{row['BedrijfstakkenBranchesSBI2008'].strip()}/{row['Perioden']}/"
        cells = [part for topic in topics for part in (row.get(topic), None)]
        rows.append((code, period, int(period[:4]), None, prefix, None, *cells))
    staged.add(rows, source)  # written as a fetch writes: a row for each key and period, with its topics' cells
    store.replace_fetched("81589NED", list(topics.values()), [], staged, {}, "2020-11-19T02:00:00")
    store.close()
    return len(rows) * len(topics)


def printed(args: list[str], env: dict[str, str]) -> str:
    """What one `lsh` run prints on standard output."""
    done = subprocess.run([sys.executable, "-m", "lshcli", *args], env=env, capture_output=True, text=True, check=False)
    return done.stdout


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quarters", type=int, default=70)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        full = folder / "full.sqlite3"
        definitions(folder)
        base = {**os.environ, "LSH_OFFLINE": "1", "XDG_CONFIG_HOME": str(folder / "config")}
        timed(["store"], {**base, "LSH_STORE": str(full)})  # lsh makes the store and loads the snapshot
        started = time.perf_counter()
        count = fill(full, options.quarters)
        print(f"full store: {count:,} rows written in {time.perf_counter() - started:.1f} s")
        small_of: dict[str, Path] = {}  # each command's small store, one for each set of definitions asked
        stores: dict[tuple[str, ...], Path] = {}
        for name in COMMANDS:
            asked = tuple(a.format(defs=scratch) for a in ASKED.get(name, DEFINITIONS))
            if asked not in stores:
                stores[asked] = folder / f"small{len(stores)}.sqlite3"
                timed(["store"], {**base, "LSH_STORE": str(stores[asked])})
                held = fill(stores[asked], options.quarters, held_codes(list(asked)))
                names = ", ".join(Path(a).stem for a in asked)
                print(f"small store: the same table's {held:,} rows of the codes of {names}")
            small_of[name] = stores[asked]
        for name, (template, _target) in COMMANDS.items():  # a ratio compares runs printing the same answer
            args = [a.format(out=scratch, defs=scratch) for a in template]
            if "-o" not in args:
                answers = {printed(args, {**base, "LSH_STORE": str(path)}) for path in (full, small_of[name])}
                same = "the same" if len(answers) == 1 else "DIFFERENT"
                print(f"{name}: {same} output from both stores")
        print(
            "| command | full store: wall, cpu, peak | small store: wall, cpu, peak | wall ratio | cpu ratio | target |"
        )
        print("|---|---:|---:|---:|---:|---|")
        for name, (template, target) in COMMANDS.items():
            args = [a.format(out=scratch, defs=scratch) for a in template]
            fulls, smalls, walls, cpus = [], [], [], []
            for _ in range(options.runs):
                a = timed(args, {**base, "LSH_STORE": str(full)})
                b = timed(args, {**base, "LSH_STORE": str(small_of[name])})
                fulls.append(a)
                smalls.append(b)
                walls.append(a[0] / b[0])
                cpus.append(a[1] / b[1])

            def shown(runs: list[tuple[float, float, float]]) -> str:
                return (
                    f"{statistics.median(r[0] for r in runs):.2f} s, {statistics.median(r[1] for r in runs):.2f} s, "
                    f"{max(r[2] for r in runs):.0f} MiB"
                )

            if target is not None:
                verdict = f"<= {target}x: {'met' if statistics.median(walls) <= target else 'MISSED'}"
            else:
                seconds, mib = ABSOLUTE[name]
                took, peak = statistics.median(r[0] for r in fulls), max(r[2] for r in fulls)
                verdict = f"< {seconds:g} s, < {mib} MiB: {'met' if took < seconds and peak < mib else 'MISSED'}"
            if args[0] == "count":
                memory = max(r[2] for r in fulls) / max(r[2] for r in smalls)
                verdict += f"; memory {memory:.2f}x <= {FLAT}x: {'met' if memory <= FLAT else 'MISSED'}"
            print(f"| {name} | {shown(fulls)} | {shown(smalls)} | {spread(walls)} | {spread(cpus)} | {verdict} |")


if __name__ == "__main__":
    main()
