"""Talking to CBS open data (OData v3) through the `cbsodata` client: offline-aware, bounded and counted.

cbsodata fetches one entity set per call and follows `odata.nextLink` on its own, opening a fresh
`requests.Session` for every page. lsh lends it a session class for the length of each call, which
counts requests and bytes and stops a server that keeps sending pages: the same link twice, or more
pages than the rows asked for can fill. Every failure ends as one `FetchError` sentence, after
bounded retries with backoff where a retry can help.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lshcli.errors import FetchError, OfflineError

ENV_OFFLINE = "LSH_OFFLINE"
ENV_URL = "LSH_CBS_URL"
ENV_TIMEOUT = "LSH_CBS_TIMEOUT"
ENV_RETRIES = "LSH_CBS_RETRIES"
ENV_BACKOFF = "LSH_CBS_BACKOFF"
DEFAULT_URL = "https://opendata.cbs.nl"
PAGE_ROWS = 10_000
METADATA_PAGES = 20
RETRY_STATUS = {429, 500, 502, 503, 504}


def offline_from_env() -> bool:
    """Whether $LSH_OFFLINE switches the network off (any value but empty, 0, false, no)."""
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no")


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise FetchError(f"${name} must be a number, not {text!r}") from None


@dataclass
class Traffic:
    """What a fetch cost on the wire."""

    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    urls: list[str] = field(default_factory=list)


class _Stop(Exception):
    """Raised inside a cbsodata call to stop it; carries the sentence for the user."""


@dataclass(frozen=True)
class Endpoint:
    """An OData host as cbsodata wants it: a host (with port and path) and whether to use https."""

    host: str
    https: bool

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        text = url.strip().rstrip("/")
        if "://" not in text:
            text = "https://" + text
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(
                f"{url!r} is not an OData host; give one like https://opendata.cbs.nl or http://127.0.0.1:8080"
            )
        return cls(host=parts.netloc + parts.path, https=parts.scheme == "https")

    def __str__(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.host}"


class CbsClient:
    """Fetch entity sets of CBS tables, one call per set, with retries, limits and a traffic count."""

    def __init__(
        self,
        url: str | None = None,
        *,
        offline: bool | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
    ) -> None:
        self.endpoint = Endpoint.parse(url or os.environ.get(ENV_URL) or DEFAULT_URL)
        self.offline = offline_from_env() if offline is None else offline
        self.timeout = timeout if timeout is not None else _env_number(ENV_TIMEOUT, 30.0)
        self.retries = int(retries if retries is not None else _env_number(ENV_RETRIES, 3))
        self.backoff = backoff if backoff is not None else _env_number(ENV_BACKOFF, 1.0)
        self.traffic = Traffic()

    def get(
        self,
        table: str,
        entity_set: str,
        *,
        filters: str | None = None,
        select: list[str] | None = None,
        expected_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of one entity set (following every page), or a FetchError that says why not."""
        if self.offline:
            raise OfflineError(
                f"lsh is offline (--offline or ${ENV_OFFLINE}), so it cannot fetch {table} {entity_set} from "
                f"{self.endpoint}; the store is unchanged"
            )
        import cbsodata
        import requests

        max_pages = METADATA_PAGES if expected_rows is None else math.ceil(max(expected_rows, 1) / PAGE_ROWS) + 1
        what = f"{table} {entity_set} from {self.endpoint}"
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            last_status: list[int] = []
            try:
                with self._lend_session(max_pages, last_status):
                    rows = cbsodata.get_meta(
                        table,
                        entity_set,
                        catalog_url=self.endpoint.host,
                        filters=filters,
                        select=select,
                        timeout=self.timeout,
                    )
                if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                    raise FetchError(f"CBS sent something other than rows for {what}; the store is unchanged")
                return rows
            except _Stop as stop:
                raise FetchError(f"{stop} while fetching {what}; the store is unchanged") from None
            except requests.HTTPError:
                status = last_status[-1] if last_status else 0
                if status == 404:
                    raise FetchError(
                        f"CBS has no {entity_set} for table {table} at {self.endpoint} (HTTP 404): "
                        "check the table id; the store is unchanged"
                    ) from None
                reason = f"HTTP {status}"
                retry = status in RETRY_STATUS
            except requests.exceptions.ChunkedEncodingError:
                reason, retry = "the answer was cut off", True
            except requests.Timeout:
                reason, retry = f"no answer within {self.timeout:g} s", True
            except requests.ConnectionError as exc:
                reason = "the connection broke off" if "broken" in str(exc).lower() else "cannot connect"
                retry = True
            except requests.RequestException as exc:
                reason, retry = f"the request failed ({type(exc).__name__})", True
            except json.JSONDecodeError:
                reason, retry = "the answer is not valid JSON (cut off or broken)", True
            except (KeyError, TypeError):
                reason, retry = "the answer is JSON but not an OData feed (no 'value' list)", False
            if not retry or attempt == attempts:
                tries = f" (tried {attempt} times)" if attempt > 1 else ""
                raise FetchError(f"fetching {what} failed: {reason}{tries}; the store is unchanged")
            time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    @contextmanager
    def _lend_session(self, max_pages: int, last_status: list[int]) -> Iterator[None]:
        """Let cbsodata use a counting, page-limited session class (and this endpoint's scheme) for one call."""
        import requests
        from cbsodata import cbsodata3

        client = self
        seen: set[str] = set()

        class CountingSession(requests.Session):
            def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
                url = request.url or ""
                if url in seen:
                    raise _Stop("CBS sent the same page link twice (an odata.nextLink loop)")
                if len(seen) >= max_pages:
                    raise _Stop(f"CBS kept sending further pages after {max_pages}, more than the rows asked for need")
                seen.add(url)
                started = time.perf_counter()
                response = super().send(request, **kwargs)
                client.traffic.seconds += time.perf_counter() - started
                client.traffic.requests += 1
                client.traffic.bytes += len(response.content)
                client.traffic.urls.append(url)
                last_status.append(response.status_code)
                return response

        saved_session, saved_https = cbsodata3.Session, cbsodata3.options.use_https
        cbsodata3.Session = CountingSession
        cbsodata3.options.use_https = self.endpoint.https
        try:
            yield
        finally:
            cbsodata3.Session = saved_session
            cbsodata3.options.use_https = saved_https
