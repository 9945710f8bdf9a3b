"""A local Eurostat dissemination API on 127.0.0.1 for the tests: it serves the recorded real answers of
../shared/reference/eurostat verbatim, and answers the SBS datasets (`sbs_ovw_act`, and those of 2008-2020 for
industry, trade and services, each with its own sections) in the recorded answers' shape (FORMAT.md §3.1) from a
table of INVENTED figures, filtered as Eurostat filters: codes in any case, unknown codes dropped without a word, a
dimension of size 0 when none is known, `time` of size 0 outside coverage, a sparse `value` keyed by the flat
position (time fastest), `status` only where a cell has a flag, and a confidential cell absent from `value` with
the status `|C`."""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

EUROSTAT = Path(__file__).resolve().parents[2] / "shared" / "reference" / "eurostat"
PREFIX = "/eurostat/api/dissemination/statistics/1.0/data/"
Invented = float | str | tuple[float, str]
"""An invented cell: a value, 'C' (confidential), or a value with its flags ('p')."""


def recorded(name: str) -> bytes:
    """A recorded answer of ../shared/reference/eurostat by a part of its file name."""
    matches = sorted(EUROSTAT.glob(f"*/*{name}*"))
    assert len(matches) == 1, matches
    return matches[0].read_bytes()


PERSONS: dict[tuple[str, str], Invented] = {
    ("C2110", "NL"): 1200.0,
    ("C2120", "NL"): 14500.0,
    ("C21", "NL"): 15700.0,
    ("C2660", "NL"): 3100.0,
    ("C3250", "NL"): 9800.0,
    ("M7211", "NL"): 2600.0,
    ("M7219", "NL"): 7400.0,
    ("C2110", "BE"): "C",
    ("C2120", "BE"): 29000.0,
    ("C21", "BE"): 31500.0,
    ("C2660", "BE"): 1500.0,
    ("C3250", "BE"): 6100.0,
    ("M7211", "BE"): 3300.0,
    ("M7219", "BE"): 8800.0,
    ("C2110", "IE"): "C",
    ("C2120", "IE"): "C",
    ("C21", "IE"): 38000.0,
    ("G4646", "NL"): 5200.0,
    ("G4646", "BE"): 4100.0,
}
"""Persons employed in 2021 and 2022 by NACE class and country: INVENTED figures, no real Eurostat number."""
INVENTED: dict[tuple[str, str, str, int], Invented] = {
    # nace_r2, indic_sbs, geo, year -> an INVENTED figure
    **{(n, "EMP_NR", g, y): v for (n, g), v in PERSONS.items() for y in (2021, 2022)},
    ("C2120", "EMP_NR", "NL", 2023): (14900.0, "p"),
    ("B-N_S95_X_K", "EMP_NR", "NL", 2021): 6_300_000.0,
    ("B-N_S95_X_K", "EMP_NR", "NL", 2022): 6_400_000.0,
    ("B-N_S95_X_K", "EMP_NR", "BE", 2022): 2_900_000.0,
    ("C2120", "ENT_NR", "NL", 2022): 120.0,
}
LEGACY: dict[tuple[str, str, str, int], Invented] = {
    # nace_r2, indic_sb, geo, year -> an INVENTED figure of the 2008-2020 datasets (persons employed: V16110)
    **{
        (n, "V16110", g, y): v if isinstance(v, str) else float(round(v * (0.9 if y == 2019 else 0.95)))
        for (n, g), v in PERSONS.items()
        if not isinstance(v, tuple)
        for y in (2019, 2020)
    },
    ("C2120", "V16110", "NL", 2020): (13800.0, "b"),
    ("C2120", "V11110", "NL", 2020): 110.0,
    ("M7211", "V11110", "NL", 2020): 410.0,
    # employees (V16130) in 2019: a little under the persons employed
    **{
        (n, "V16130", "NL", 2019): float(round(v * 0.85))
        for (n, g), v in PERSONS.items()
        if g == "NL" and isinstance(v, float)
    },
}
TITLES = {
    "sbs_ovw_act": "Enterprise statistics by detailed NACE Rev. 2 activity",
    "sbs_na_ind_r2": "Annual detailed enterprise statistics for industry (NACE Rev. 2, B-E)",
    "sbs_na_dt_r2": "Annual detailed enterprise statistics for trade (NACE Rev. 2 G)",
    "sbs_na_1a_se_r2": "Annual detailed enterprise statistics for services (NACE Rev. 2 H-N and S95)",
}
SECTIONS = {"sbs_na_ind_r2": "BCDE", "sbs_na_dt_r2": "G", "sbs_na_1a_se_r2": "HIJLMNS"}
"""The NACE sections each 2008-2020 dataset publishes."""


class EurostatServer(ThreadingHTTPServer):
    """The local Eurostat: recorded answers by dataset, the invented SBS table, faults to inject, and what was
    asked."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """The invented table, no recorded answers or failures, nothing asked yet."""
        self.invented: dict[tuple[str, str, str, int], Invented] = dict(INVENTED)
        self.legacy: dict[tuple[str, str, str, int], Invented] = dict(LEGACY)
        self.answers: dict[str, tuple[int, bytes, str]] = {}
        """A dataset (lower case) answered with a status, a body and a content type, as recorded."""
        self.failures: list[int] = []
        """Statuses to answer the next requests with, one each, before answering properly."""
        self.asked: list[tuple[str, dict[str, list[str]]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def sbs(self, dataset: str, query: dict[str, list[str]]) -> dict[str, Any]:
        """The invented slice of an SBS dataset (sbs_ovw_act, or one of 2008-2020) a query asks for, in the shape of
        Eurostat's answers."""
        indicator = "indic_sbs" if dataset == "sbs_ovw_act" else "indic_sb"
        table = (
            self.invented
            if dataset == "sbs_ovw_act"
            else {k: v for k, v in self.legacy.items() if k[0][:1] in SECTIONS[dataset]}
        )
        dims = ["freq", "nace_r2", indicator, "geo"]
        known = {
            "freq": ["A"],
            "nace_r2": sorted({k[0] for k in table}),
            indicator: sorted({k[1] for k in table}),
            "geo": sorted({k[2] for k in table}, key=lambda g: (not g.startswith("EU"), g)),
        }
        codes: dict[str, list[str]] = {}
        for d in dims:
            asked = {c.upper() for c in query.get(d, [])}
            codes[d] = [c for c in known[d] if not asked or c.upper() in asked]
        since = int(query.get("sinceTimePeriod", ["0"])[0])
        until = int(query.get("untilTimePeriod", ["9999"])[0])
        codes["time"] = [str(y) for y in sorted({k[3] for k in table}) if since <= y <= until]
        if "lastTimePeriod" in query:  # counted back from the dataset's latest period, as Eurostat counts
            latest = sorted({str(k[3]) for k in table})[-int(query["lastTimePeriod"][0]) :]
            codes["time"] = [y for y in codes["time"] if y in latest]
        ids = [*dims, "time"]
        sizes = [len(codes[d]) for d in ids]
        value: dict[str, float] = {}
        status: dict[str, str] = {}
        for position in range(math.prod(sizes)):
            at, rest = [], position
            for d in reversed(ids):
                rest, i = divmod(rest, len(codes[d]))
                at.append(codes[d][i])
            _, nace, indic, geo, year = reversed(at)
            cell = table.get((nace, indic, geo, int(year)))
            if cell == "C":
                status[str(position)] = "|C"
            elif isinstance(cell, tuple):
                value[str(position)], status[str(position)] = cell
            elif isinstance(cell, float):
                value[str(position)] = cell
        extension = json.loads(recorded("all-confidential"))["extension"]
        extension = {
            **extension,
            "id": dataset.upper(),
            "datastructure": {**extension["datastructure"], "id": dataset.upper()},
        }
        extension.pop("status", None)
        body: dict[str, Any] = {
            "version": "2.0",
            "class": "dataset",
            "label": f"{TITLES[dataset]} (INVENTED figures: a local test server)",
            "source": "ESTAT",
            "updated": "2026-08-01T11:00:00+0200",
            "value": value,
        }
        if status:
            body["status"] = status
            extension["status"] = {
                "label": {
                    s: {"|C": "|confidential", "p": "provisional", "b": "break in time series"}[s]
                    for s in set(status.values())
                }
            }
        body["id"] = ids
        body["size"] = sizes
        body["dimension"] = {
            d: {
                "label": d,
                "category": {"index": {c: i for i, c in enumerate(codes[d])}, "label": {c: c for c in codes[d]}},
            }
            for d in ids
        }
        body["extension"] = extension
        return body


class _Handler(BaseHTTPRequestHandler):
    server: EurostatServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class names it so
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        dataset = parts.path.removeprefix(PREFIX).lower()
        with self.server.lock:
            self.server.asked.append((dataset, query))
            failure = self.server.failures.pop(0) if self.server.failures else None
        if failure is not None:
            return self._send(failure, b"<html><body>Service Unavailable</body></html>", "text/html")
        if not parts.path.startswith(PREFIX):
            return self._send(404, b"<html><body>Not Found</body></html>", "text/html")
        if dataset in self.server.answers:
            status, body, kind = self.server.answers[dataset]
            return self._send(status, body, kind)
        if dataset in TITLES:
            return self._send(200, json.dumps(self.server.sbs(dataset, query)).encode())
        self._send(404, recorded("statistics_404_100_ERR_NOT_FOUND_4__DS"))


@contextmanager
def serve() -> Iterator[EurostatServer]:
    server = EurostatServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
