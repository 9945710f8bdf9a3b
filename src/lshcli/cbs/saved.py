"""CBS's OData v4 answers kept in a folder, for work without the internet: `lsh fetch --save DIR` writes them,
`lsh store import DIR` reads them back through the same fetch, checked against the table's spec.

The folder has the layout of CBS's captured answers (../shared/cbs-snapshots/v4/): one JSON file per table and
entity set, `{table}_Properties.json`, `{table}_Dimensions.json`, `{table}_MeasureCodes.json`,
`{table}_{Dim}Codes.json` and `{table}_Observations.json` (every page's cells in one `value` list), and lsh's own
index, `lsh_capture.json`: per table, the codes, years and measure fetched, the requests made and when, so that
an import asks its folder exactly what the fetch asked CBS and stores the same figures. A folder without the index
is read whole: every code and year its observations hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lshcli.cbs.client import CbsClient, Traffic
from lshcli.cbs.odata4 import ODataV4
from lshcli.errors import ConfigError, FetchError

INDEX = "lsh_capture.json"
ENTITY_FILE = "{table}_{entity}.json"


def _read_json(path: Path) -> Any:
    return _read(path)[1]


def _read(path: Path) -> tuple[bytes, Any]:
    """A saved answer's bytes and its JSON, or a FetchError naming the file that is missing or unreadable."""
    try:
        body = path.read_bytes()
        return body, json.loads(body.decode("utf-8"))
    except FileNotFoundError:
        raise FetchError(
            "the folder {folder} has no {name}; nothing was imported", folder=path.parent, name=path.name
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise FetchError(
            "{path} is no JSON answer lsh can read ({reason}); nothing was imported", path=path, reason=exc
        ) from None


class RecordingV4(ODataV4):
    """A v4 table read over the network whose answers are kept, to be written to a folder when the fetch is
    whole."""

    def __init__(self, client: CbsClient, table: str) -> None:
        super().__init__(client, table)
        self.kept: dict[str, Any] = {}
        self.cells: list[dict[str, Any]] = []
        self.requests: list[str] = []

    def properties(self) -> dict[str, Any]:
        found = super().properties()
        self.kept["Properties"] = found
        return found

    def _rows(
        self, name: str, select: Sequence[str] | None = None, expected: int | None = None
    ) -> list[dict[str, Any]]:
        found = super()._rows(name, select, expected)
        self.kept[name] = {"value": found}
        return found

    def _cells(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
        expected: int,
    ) -> tuple[list[dict[str, Any]], str]:
        cells, url = super()._cells(any_of, fixed, dimensions, topics, expected)
        self.cells += cells
        self.requests.append(url)
        return cells, url

    def files(self, codes: Sequence[str], years: Sequence[int] | None, measure: str) -> dict[str, bytes]:
        """The folder's files for this table, and its entry in the index."""
        found = {
            ENTITY_FILE.format(table=self.table, entity=name): json.dumps(answer, ensure_ascii=False, indent=1).encode()
            for name, answer in self.kept.items()
        }
        observations = json.dumps({"value": self.cells}, ensure_ascii=False, indent=1).encode()
        found[ENTITY_FILE.format(table=self.table, entity="Observations")] = observations
        entry = {
            "table": self.table,
            "codes": list(codes),
            "years": list(years) if years is not None else None,
            "measure": measure,
            "captured_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "requests": self.requests,
            "observations_sha256": hashlib.sha256(observations).hexdigest(),
        }
        found[INDEX] = json.dumps(entry, ensure_ascii=False).encode()
        return found


class SavedV4(ODataV4):
    """A table's v4 answers in a folder, read as CBS's: the same checks, nothing over the network."""

    def __init__(self, folder: Path, table: str, entry: Mapping[str, Any] | None) -> None:
        self.folder = folder
        self.table = table
        self.traffic = Traffic()
        self.entry = dict(entry or {})
        path = folder / ENTITY_FILE.format(table=table, entity="Observations")
        body, answer = _read(path)  # read once: its sha256 is the digest of what is imported
        self.digest = hashlib.sha256(body).hexdigest()
        self.observations_file = path
        cells = answer.get("value") if isinstance(answer, dict) else None
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise FetchError("{path} holds no list of observations; nothing was imported", path=path)
        self.cells: list[dict[str, Any]] = cells
        self.captured_at = (
            str(self.entry.get("captured_at") or "")
            or datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0).isoformat()
        )
        self.via = f", OData v4 saved in {folder} (sha256 {self.digest[:12]}, captured {self.captured_at[:10]})"

    def properties(self) -> dict[str, Any]:
        found = _read_json(self.folder / ENTITY_FILE.format(table=self.table, entity="Properties"))
        if not isinstance(found, dict):
            raise FetchError(
                "{table}'s Properties in {folder} are no object; nothing was imported",
                table=self.table,
                folder=self.folder,
            )
        return found

    def _rows(
        self, name: str, select: Sequence[str] | None = None, expected: int | None = None
    ) -> list[dict[str, Any]]:
        path = self.folder / ENTITY_FILE.format(table=self.table, entity=name)
        answer = _read_json(path)
        rows = answer.get("value") if isinstance(answer, dict) else None
        if not isinstance(rows, list) or not all(
            isinstance(r, dict) and isinstance(r.get("Identifier"), str) for r in rows
        ):
            raise FetchError("{path} holds no list of rows with an Identifier; nothing was imported", path=path)
        return rows

    @property
    def max_url(self) -> int:
        return 1 << 30  # a folder takes a request of any length

    def rows_url(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
    ) -> str:
        return f"{self.observations_file.resolve().as_uri()}#sha256={self.digest}"

    def _cells(
        self,
        any_of: Mapping[str, Sequence[str]],
        fixed: Mapping[str, str],
        dimensions: Sequence[str],
        topics: Sequence[str],
        expected: int,
    ) -> tuple[list[dict[str, Any]], str]:
        """The saved cells a request asks for (filtered here as CBS filters them), and the file they are read from."""
        wanted = {d: set(keys) for d, keys in any_of.items()}
        measures = set(topics)
        cells = [
            c
            for c in self.cells
            if str(c.get("Measure")) in measures
            and all(str(c.get(d)) in keys for d, keys in wanted.items())
            and all(str(c.get(d)) == key for d, key in fixed.items())
        ]
        return cells, self.rows_url(any_of, fixed, dimensions, topics)

    def asked(self, dimension: str, period_dimension: str) -> tuple[list[str], list[int] | None]:
        """What to ask of the folder: the index's codes and years where it has them, else the SBI keys and years its
        observations hold (the keys, for the fetch to read as codes through the dimension's titles)."""
        if self.entry.get("codes"):
            years = self.entry.get("years")
            return [str(c) for c in self.entry["codes"]], [int(y) for y in years] if years else None
        keys = sorted({str(c.get(dimension)) for c in self.cells if c.get(dimension) is not None})
        years = sorted(
            {int(str(c.get(period_dimension))[:4]) for c in self.cells if str(c.get(period_dimension))[:4].isdigit()}
        )
        return keys, years or None


def saved_tables(folder: Path) -> dict[str, dict[str, Any] | None]:
    """The tables a folder holds answers of, each with its entry in lsh's index (None where the folder has none)."""
    if not folder.is_dir():
        raise ConfigError("{folder} is no folder of saved CBS answers", folder=folder)
    index_path = folder / INDEX
    entries: dict[str, dict[str, Any]] = {}
    if index_path.exists():
        index = _read_json(index_path)
        tables = index.get("tables") if isinstance(index, dict) else None
        if not isinstance(tables, dict):
            raise FetchError("{path} is no index lsh wrote; nothing was imported", path=index_path)
        entries = {str(k): v for k, v in tables.items() if isinstance(v, dict)}
    found: dict[str, dict[str, Any] | None] = {}
    for path in sorted(folder.glob("*_Properties.json")):
        table = path.name.removesuffix("_Properties.json")
        found[table] = entries.get(table)
    if not found:
        raise ConfigError("{folder} holds no saved CBS table (no TABLE_Properties.json)", folder=folder)
    return found


def write_folder(
    folder: Path, recording: RecordingV4, codes: Sequence[str], years: Sequence[int] | None, measure: str
) -> list[Path]:
    """Write a recording's files into a folder (each whole or not at all) and add its table to the folder's index."""
    from lshcli.output.files import write_whole

    if not folder.is_dir():
        raise ConfigError("--save needs a folder that exists: {folder}", folder=folder)
    files = recording.files(codes, years, measure)
    entry = json.loads(files.pop(INDEX))
    index_path = folder / INDEX
    index: dict[str, Any] = {"tables": {}}
    if index_path.exists():
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            index = {"tables": {}}
    index.setdefault("tables", {})[recording.table] = entry
    written = []
    nowhere = folder / ".lsh-no-store"  # the folder holds no store: write_whole only guards that path
    for name, data in files.items():
        write_whole(data, folder / name, nowhere)
        written.append(folder / name)
    write_whole(json.dumps(index, ensure_ascii=False, indent=1).encode(), index_path, nowhere)
    return [*written, index_path]
