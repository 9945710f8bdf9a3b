"""Build the bundled figures that `lsh` works on offline, from the project's reference list.

Run by hand when ../shared/reference/figures.csv changes:

    python scripts/build_snapshot.py

It writes two files, resolving "same ..." citations to the full text of the row they refer to and
keeping the reference id of every row so each number can be traced back:

- src/lshcli/data/snapshot.csv: the rows that are observations of a measure on SBI codes (firm
  counts and 83583NED employee jobs), with the measures renamed to lsh's names;
- src/lshcli/data/reference.csv: every published figure as published (growth rates, shares, study
  totals and figures that are not SBI-based included), for `lsh reconcile`.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT.parent / "shared" / "reference" / "figures.csv"
OUT = ROOT / "src" / "lshcli" / "data" / "snapshot.csv"
REFERENCE = ROOT / "src" / "lshcli" / "data" / "reference.csv"
LOCAL_PATH = "(see shared/cbs-snapshots/83583NED/SOURCE.txt)"
PUBLIC_COPY = "(github.com/dataverbinders/statline-bq, tests/data/83583NED, commit 8fcc2aa1)"
REFERENCE_COLUMNS = [
    "ref",
    "measure",
    "sbi",
    "period",
    "value_low",
    "value_high",
    "unit",
    "basis",
    "cbs_table",
    "status",
    "citation",
    "reading",
    "note",
]
MEASURES = {
    "firms": "firms",
    "firms_250_plus": "firms_250_plus",
    "firms_under_250": "firms_under_250",
    "employee_jobs_december": "employee_jobs",
    # national accounts labour input: another statistic than 83583NED's employee jobs in December, so a measure of
    # its own (jobs of employees and the self-employed; persons employed)
    "jobs_total": "jobs_total",
    "persons_employed": "persons_employed_na",
}
STATUS = {"definitief": "definitive", "nader voorlopig": "revised provisional", "voorlopig": "provisional"}
ECONOMY = "A-U"
SBI_SET = re.compile(r"^([0-9][0-9.]*|[A-U])(\+([0-9][0-9.]*|[A-U]))*$")  # codes or sections (C)
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
    reference = []
    previous_citation = ""
    for row in rows:
        citation = row["source"]
        if citation.startswith("same ") and previous_citation:
            citation = previous_citation
        previous_citation = citation
        citation = citation.replace(LOCAL_PATH, PUBLIC_COPY)
        reference.append(
            {
                "ref": row["id"],
                "measure": row["measure"],
                "sbi": row["sbi"],
                "period": row["period"],
                "value_low": row["value_low"],
                "value_high": row["value_high"],
                "unit": row["unit"],
                "basis": row["basis"],
                "cbs_table": row["cbs_table"],
                "status": row["status"],
                "citation": citation,
                "reading": row["seen"],
                "note": row["note"],
            }
        )
        code_set = SBI_SET.match(row["sbi"]) or row["sbi"] == ECONOMY  # CBS's total of all sections A-U
        if row["measure"] not in MEASURES or not code_set or not PERIOD.match(row["period"]):
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
    with REFERENCE.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REFERENCE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(reference)
    print(f"wrote {REFERENCE.relative_to(ROOT)}: {len(reference)} reference figures", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
