"""The local CBS's OData v4 side (`/odata/v1/CBS/...`), for tests: every figure it serves is invented.

A v3 table of `tests/cbs_server.py` is answered in v4's shape from the same figures, so one test can fetch a cell
both ways and compare: `Properties` (a singleton, as captured in ../shared/cbs-snapshots/v4/84826NED_Properties.json),
`Dimensions` (`Identifier`, `Kind`, `CodesUrl`), `MeasureCodes` (`Identifier` M000000 + v3's ID, `Index` = v3's ID,
v3's `Title`, `Unit`, `Decimals`), `{Dim}Codes` (v3's key without its padding as `Identifier`, a period's `Status`)
and `Observations`, one cell per row (`Id, Measure, ValueAttribute, Value, StringValue, <dims>`), an empty cell
left out and a secret one sent as `Confidential` with `Value` null, as the real captures show. `Observations/$count`
answers plain text; pages follow `@odata.nextLink`. The recorded v4 answers of ../shared/cbs-snapshots/v4/ are
served verbatim under their own table ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

V4 = Path(__file__).resolve().parents[2] / "shared" / "cbs-snapshots" / "v4"
Row = dict[str, Any]


def recorded_v4() -> dict[tuple[str, str], bytes]:
    """The captured v4 answers by (table id in upper case, entity set), verbatim; the catalog under ('', 'Datasets')."""
    found: dict[tuple[str, str], bytes] = {}
    if not V4.exists():
        return found
    for path in V4.glob("*.json"):
        stem = path.stem
        if stem.startswith("Datasets"):
            found[("", "Datasets")] = path.read_bytes()
            continue
        table, _, rest = stem.partition("_")
        entity = rest.split("_")[0]
        if entity in ("capture", "conformance") or not entity:
            continue
        found[(table.upper(), entity)] = path.read_bytes()
    return found


@dataclass
class V4Options:
    """How the local CBS answers in v4 (each a case the real service shows)."""

    unknown: set[str] = field(default_factory=set)
    """Tables v4 does not know (404 for every set), in upper case."""
    no_observations: set[str] = field(default_factory=set)
    """Tables whose metadata v4 answers but whose `Observations` give 404 (as a discontinued table may)."""
    ids: dict[str, str] = field(default_factory=dict)
    """A table's published id where its case differs from lsh's spec ('81589NED' -> '81589ned')."""
    page_rows: int = 22_230
    """Rows per page of a v4 answer (a real page of 22,230 rows came back whole)."""
    relative_links: bool = False
    """Whether `@odata.nextLink` is a path (the real service sends an absolute URL)."""
    status: dict[str, str] = field(default_factory=dict)
    """A table's `Status` ('Regulier' unless named here)."""
    descriptions: dict[str, str] = field(default_factory=dict)
    """A table's `Description` in its `Properties` and the catalog."""
    catalog: list[Row] = field(default_factory=list)
    """Catalog rows beside those of the served tables (a discontinued table, its successor)."""
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)
    """A measure's title as v4 now gives it, by (table, v3 topic key): a spec's title no longer found."""
    version: dict[str, str] = field(default_factory=dict)
    """A table's `Modified` in v4 where it differs from v3's."""
    finals: set[str] = field(default_factory=set)
    """Tables whose periods v4 now calls all definitive (provisional figures that became final)."""
    extra_periods: dict[str, list[str]] = field(default_factory=dict)
    """Periods v4 lists beyond v3's, by table."""
    catalog_verbatim: bool = False
    """Whether `/CBS/Datasets` is the captured catalog excerpt, verbatim."""


def _measure_id(prop: Row) -> str:
    return f"M{int(prop['ID']):06d}"


def _kind(prop: Row) -> str:
    return str(prop.get("Type") or "Dimension")


def published_id(table: Any, options: V4Options) -> str:
    return str(options.ids.get(table.id.upper(), table.id))


def properties(table: Any, options: V4Options, base: str) -> Row:
    """A table's `Properties`, in the captured singleton's shape."""
    identifier = published_id(table, options)
    info = table.info
    modified = options.version.get(table.id.upper(), info.get("Modified"))
    return {
        "@odata.context": f"{base}/$metadata#Properties",
        "Identifier": identifier,
        "Title": str(info.get("Title") or "").strip(),
        "Description": options.descriptions.get(table.id.upper(), str(info.get("ShortDescription") or "")),
        "Language": "nl",
        "Catalog": "CBS",
        "Modified": modified,
        "ReleaseDate": modified,
        "ModificationDate": modified,
        "Version": str(modified or "").replace("-", "").replace(":", "").replace("T", "")[:12],
        "VersionNotes": "",
        "VersionReason": "Actualisering",
        "Frequency": "Perkwartaal",
        "Status": options.status.get(table.id.upper(), "Regulier"),
        "ObservationCount": len(table.rows) * len(table.topics()),
        "DatasetType": "Numeric",
        "License": "https://creativecommons.org/licenses/by/4.0/",
        "Source": "CBS (invented figures: a local test server).",
        "Distributions": [
            {
                "Format": "odata",
                "MediaType": "odata",
                "DownloadUrl": base,
                "AccessUrl": base,
                "Language": "nl",
            }
        ],
    }


def entity(table: Any, name: str, options: V4Options, base: str) -> list[Row] | None:
    """The rows of a v4 entity set of a v3 table (None where there is no such set)."""
    dims = [p for p in table.properties if _kind(p) in ("Dimension", "TimeDimension", "GeoDimension")]
    topics = [p for p in table.properties if _kind(p) == "Topic"]
    if name == "Dimensions":
        return [
            {
                **({"@odata.type": "#Cbs.Ccb.Models.TimeDimension"} if _kind(p) == "TimeDimension" else {}),
                "Identifier": p["Key"],
                "Title": str(p.get("Title") or "").strip(),
                "Description": "",
                "MapYear": None,
                "ReleasePolicy": None,
                "Kind": _kind(p),
                "ContainsGroups": False,
                "ContainsCodes": True,
                "CodesUrl": f"{base}/{p['Key']}Codes",
                "GroupsUrl": None,
            }
            for p in dims
        ]
    if name == "MeasureCodes":
        renamed = {k[1]: title for k, title in options.renamed.items() if k[0] == table.id.upper()}
        return [
            {
                "Identifier": _measure_id(p),
                "Index": int(p["ID"]),
                "Title": renamed.get(p["Key"], str(p.get("Title") or "")),
                "Description": "",
                "MeasureGroupId": None,
                "DataType": "Double",
                "Unit": p.get("Unit"),
                "Decimals": p.get("Decimals"),
                "PresentationType": None,
            }
            for p in topics
        ]
    for p in dims:
        if name == f"{p['Key']}Codes":
            time = _kind(p) == "TimeDimension"
            rows = [
                {
                    "Identifier": str(c["Key"]).strip(),
                    "Index": i + 1,
                    "Title": c.get("Title"),
                    "Description": c.get("Description") or "",
                    "DimensionGroupId": str(c.get("CategoryGroupID") or "0"),
                    **(
                        {"Status": "Definitief" if table.id.upper() in options.finals else c.get("Status")}
                        if time
                        else {}
                    ),
                }
                for i, c in enumerate(table.dimensions[p["Key"]])
            ]
            if time:
                for extra in options.extra_periods.get(table.id.upper(), []):
                    rows.append(
                        {
                            "Identifier": extra,
                            "Index": len(rows) + 1,
                            "Title": extra[:4],
                            "Description": "",
                            "DimensionGroupId": "0",
                            "Status": "Voorlopig",
                        }
                    )
            return rows
    if name == "Observations":
        return observations(table)
    return None


def observations(table: Any) -> list[Row]:
    """Every cell of a table as v4 sends it: one row per cell with a value, a secret cell as `Confidential`, an
    empty one left out; dimension keys without v3's padding."""
    cached: list[Row] | None = table.answers.get(("v4:Observations", "", ""))
    if cached is not None:
        return cached
    dims = [p["Key"] for p in table.properties if _kind(p) in ("Dimension", "TimeDimension", "GeoDimension")]
    topics = [p for p in table.properties if _kind(p) == "Topic"]
    found: list[Row] = []
    for row in table.rows:
        for topic in topics:
            value = row.get(topic["Key"])
            secret = (row["ID"], topic["Key"]) in table.secret
            if value is None and not secret:
                continue
            found.append(
                {
                    "Id": len(found),
                    "Measure": _measure_id(topic),
                    "ValueAttribute": "Confidential" if value is None else "None",
                    "Value": value,
                    "StringValue": None,
                    **{d: str(row[d]).strip() for d in dims},
                }
            )
    table.answers[("v4:Observations", "", "")] = found
    return found


def catalog(tables: list[Any], options: V4Options, base: str) -> list[Row]:
    """`/CBS/Datasets`: a row per table served (its status and description) and the rows the options add."""
    rows = [
        {
            "Identifier": published_id(t, options),
            "Title": str(t.info.get("Title") or "").strip(),
            "Description": options.descriptions.get(t.id.upper(), str(t.info.get("ShortDescription") or "")),
            "Language": "nl",
            "Modified": options.version.get(t.id.upper(), t.info.get("Modified")),
            "Status": options.status.get(t.id.upper(), "Regulier"),
            "DatasetType": "Numeric",
        }
        for t in tables
        if t.id.upper() not in options.unknown
    ]
    return rows + list(options.catalog)


def page(rows: list[Row], skip: int, options: V4Options, link: str, context: str) -> bytes:
    """One page of a v4 answer, with `@odata.nextLink` where rows remain."""
    body: Row = {"@odata.context": context, "value": rows[skip : skip + options.page_rows]}
    if skip + options.page_rows < len(rows):
        body["@odata.nextLink"] = link
    return json.dumps(body, ensure_ascii=False).encode("utf-8")
