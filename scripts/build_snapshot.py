"""Build src/lshcli/data/snapshot.csv, the bundled figures that `lsh` works on offline.

Run by hand when ../shared/reference/figures.csv changes:

    python scripts/build_snapshot.py

It keeps the rows that are observations of a measure on SBI codes (firm counts and 83583NED employee
jobs), renames the measures to lsh's names, resolves "same ..." citations to the full text of the row
they refer to, and keeps the reference id of every row so each number can be traced back.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT.parent / "shared" / "reference" / "figures.csv"
OUT = ROOT / "src" / "lshcli" / "data" / "snapshot.csv"
MEASURES = {"firms": "firms", "firms_250_plus": "firms_250_plus", "employee_jobs_december": "employee_jobs"}
STATUS = {"definitief": "definitive", "nader voorlopig": "revised provisional", "voorlopig": "provisional"}
SBI_SET = re.compile(r"^[0-9][0-9.]*(\+[0-9][0-9.]*)*$")
PERIOD = re.compile(r"^\d{4}(Q[1-4])?$")
COLUMNS = [
    "ref",
    "measure",
    "sbi",
    "period",
    "value_low",
    "value_high",
    "unit",
    "status",
    "cbs_table",
    "basis",
    "citation",
    "reading",
    "note",
]


def main() -> int:
    rows = list(csv.DictReader(FIGURES.open(encoding="utf-8")))
    out = []
    previous_citation = ""
    for row in rows:
        citation = row["source"]
        if citation.startswith("same ") and previous_citation:
            citation = previous_citation
        previous_citation = citation
        if row["measure"] not in MEASURES or not SBI_SET.match(row["sbi"]) or not PERIOD.match(row["period"]):
            continue
        out.append(
            {
                "ref": row["id"],
                "measure": MEASURES[row["measure"]],
                "sbi": row["sbi"],
                "period": row["period"],
                "value_low": row["value_low"],
                "value_high": row["value_high"],
                "unit": row["unit"],
                "status": STATUS.get(row["status"].strip(), ""),
                "cbs_table": row["cbs_table"],
                "basis": row["basis"],
                "citation": citation,
                "reading": row["seen"],
                "note": row["note"],
            }
        )
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(out)} of {len(rows)} reference figures", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
