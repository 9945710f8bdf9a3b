"""Talking to CBS open data (OData v3 and v4) over HTTP: offline-aware, pinned to one host, bounded and counted.

lsh speaks HTTP itself (the standard library's `http.client`) so that every answer is bounded where a
general client cannot bound it: each request has a total deadline (a server that trickles a byte a
second cannot hold it past it), each answer a cap on its size after decompression, checked while it
is read and before any JSON is parsed (a small gzip bomb stops at the cap), and only the configured
scheme, host and port are ever contacted: a redirect or an `odata.nextLink` that points elsewhere
stops the fetch and is named. Paging follows `odata.nextLink` pages of any size, bounded by the rows
asked for, by the bytes received and by links already seen. Numbers that are not finite (`Infinity`,
`NaN`, `1e400`) make an answer unreadable. Every failure ends as one `FetchError` sentence, after
retries with exponential backoff where a retry can help. Proxies are taken from the usual
environment variables (`https_proxy`, `http_proxy`, `no_proxy`), and a CA bundle of one's own from
`SSL_CERT_FILE` or `REQUESTS_CA_BUNDLE`.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import json
import math
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from lshcli.errors import ConfigError, FetchError, OfflineError
from lshcli.settings import number

ENV_OFFLINE = "LSH_OFFLINE"
ENV_URL = "LSH_CBS_URL"
ENV_V4_URL = "LSH_CBS_V4_URL"
ENV_TIMEOUT = "LSH_CBS_TIMEOUT"
ENV_RETRIES = "LSH_CBS_RETRIES"
ENV_BACKOFF = "LSH_CBS_BACKOFF"
ENV_DEADLINE = "LSH_CBS_DEADLINE"
ENV_MAX_MB = "LSH_CBS_MAX_MB"
ENV_MAX_URL = "LSH_CBS_MAX_URL"
DEFAULT_URL = "https://opendata.cbs.nl"
DEFAULT_V4_URL = "https://datasets.cbs.nl"
V4_PATH = "/odata/v1/CBS"
"""Where CBS's OData v4 service keeps its tables and its catalog (`/Datasets`)."""
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
DEFAULT_DEADLINE = 60.0
"""Seconds one request may take in all: connecting, the status line, headers, 1xx answers, the body, chunk lines
and trailers. With the default retries, the worst one page can cost is (3 + 1) x 60 s plus 1 + 2 + 4 s of backoff:
about four minutes, never longer."""
DEFAULT_MAX_MB = 64.0
DEFAULT_MAX_URL = 2048
"""The longest request URL lsh sends: CBS's servers, like most, refuse much longer query strings."""
"""A whole 10,000-row page of a CBS table is a few MB; 64 MB leaves room and stops a bomb early."""
METADATA_ROWS = 20_000
"""The most rows lsh accepts for a metadata set whose size it cannot foresee (the largest it reads, an SBI dimension,
has about 2,000; the caller names that size, and the walk stops near it)."""
MAX_REDIRECTS = 5
RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
_READ = 64 * 1024


def offline_from_env() -> bool:
    """Whether $LSH_OFFLINE switches the network off (any value but empty, 0, false, no)."""
    return os.environ.get(ENV_OFFLINE, "").strip().lower() not in ("", "0", "false", "no")


@dataclass
class Traffic:
    """What a fetch cost on the wire."""

    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Endpoint:
    """The one OData host lsh may contact: scheme, host, port, and an optional path prefix."""

    scheme: str
    host: str
    port: int
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """Read `https://opendata.cbs.nl` or `http://127.0.0.1:8080`; anything else is a usage error."""
        text = url.strip()
        if "://" not in text:
            text = "https://" + text
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:  # 'http://[::1' and ports out of range
            parts, port = urlsplit("invalid:"), -1
        host = parts.hostname or ""
        too_long = len(host) > 253 or any(len(label) > 63 for label in host.split("."))
        if parts.scheme not in ("http", "https") or not host or port == -1 or too_long:
            raise ConfigError(
                ("{url!r} is not an OData host; give one like https://opendata.cbs.nl or http://127.0.0.1:8080"),
                url=url,
            )
        default = 443 if parts.scheme == "https" else 80
        return cls(parts.scheme, host, port or default, parts.path.rstrip("/"))

    def owns(self, url: str) -> bool:
        """Whether `url` is on this endpoint's scheme, host and port (and under its prefix)."""
        parts = urlsplit(url)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return False
        same = (parts.scheme, (parts.hostname or "").lower(), port) == (self.scheme, self.host.lower(), self.port)
        return same and parts.path.startswith(self.prefix + "/")

    def __str__(self) -> str:
        default = 443 if self.scheme == "https" else 80
        port = "" if self.port == default else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address stands in brackets
        return f"{self.scheme}://{host}{port}{self.prefix}"


class _Failed(Exception):
    """One attempt failed: the phrase for the user, and whether another attempt may help."""

    def __init__(self, reason: str, retry: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class _Missing(Exception):
    """An answer of 404: nothing of that name is served."""


class _Final(Exception):
    """A failure no retry can mend, with its whole sentence."""


class NotFinite(ValueError):
    """A number in an answer that is not finite (Infinity, NaN, 1e400): no figure can be read from it."""


def _reject_constant(name: str) -> float:
    raise NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotFinite(text)
    return value


def parse_json(body: bytes) -> Any:
    """JSON as CBS sends it, refusing numbers that are not finite (Infinity, NaN, 1e400)."""
    return json.loads(body.decode("utf-8"), parse_constant=_reject_constant, parse_float=_finite_float)


class NotServed(FetchError):
    """CBS answered 404 for an entity set: the table (or its data) is not served there."""


class CbsClient:
    """Fetch entity sets of CBS tables, one call per set, with retries, limits and a traffic count; `protocol`
    says whether the host speaks OData v3 (CBS's bulk feed) or v4 (`/odata/v1/CBS`)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        protocol: str = "v3",
        offline: bool | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        deadline: float | None = None,
        max_mb: float | None = None,
    ) -> None:
        if protocol not in ("v3", "v4"):
            raise ConfigError("lsh speaks CBS's OData v3 and v4, not {protocol!r}", protocol=protocol)
        self.protocol = protocol
        default = (ENV_URL, DEFAULT_URL) if protocol == "v3" else (ENV_V4_URL, DEFAULT_V4_URL)
        self.endpoint = Endpoint.parse(url or os.environ.get(default[0]) or default[1])
        self.offline = offline_from_env() if offline is None else offline
        self.timeout = number(timeout, "--timeout", ENV_TIMEOUT, DEFAULT_TIMEOUT, "a number of seconds above 0")
        whole = "a whole number of 0 or more"
        count = number(retries, "--retries", ENV_RETRIES, DEFAULT_RETRIES, whole, zero_ok=True)
        if not count.is_integer() or count > 20:
            raise ConfigError("the number of retries must be a whole number from 0 to 20, not {count:g}", count=count)
        self.retries = int(count)
        self.backoff = number(
            backoff, "--backoff", ENV_BACKOFF, DEFAULT_BACKOFF, "a number of seconds", zero_ok=True, most=600.0
        )
        self.deadline = number(deadline, "--deadline", ENV_DEADLINE, DEFAULT_DEADLINE, "a number of seconds above 0")
        self.max_bytes = int(
            number(max_mb, "--max-mb", ENV_MAX_MB, DEFAULT_MAX_MB, "a number of MB above 0", most=100_000.0) * 1e6
        )
        longest = number(
            None, "", ENV_MAX_URL, DEFAULT_MAX_URL, "a whole number of characters from 256 up", most=1_000_000.0
        )
        if not longest.is_integer() or longest < 256:
            raise ConfigError(
                "${ENV_MAX_URL} must be a whole number of characters from 256 up, not {longest:g}",
                ENV_MAX_URL=ENV_MAX_URL,
                longest=longest,
            )
        self.max_url = int(longest)
        self.traffic = Traffic()

    def url_for(self, table: str, entity_set: str, filters: str | None = None, select: list[str] | None = None) -> str:
        """The URL of one entity set (v3's bulk feed, or v4's service; the catalog where `table` is empty), with the
        query as CBS reads it."""
        query = [("$format", "json")] if self.protocol == "v3" else []
        if filters:
            query.append(("$filter", filters))
        if select:
            query.append(("$select", ",".join(select)))
        text = "&".join(f"{k}={quote(v, safe=',()')}" for k, v in query)
        path = (
            f"/ODataFeed/odata/{quote(table)}"
            if self.protocol == "v3"
            else V4_PATH + (f"/{quote(table)}" if table else "")
        )
        return f"{self.endpoint}{path}/{quote(entity_set, safe='/$')}" + (f"?{text}" if text else "")

    def get_one(self, table: str, entity_set: str) -> dict[str, Any]:
        """A singleton (v4's `Properties`): one JSON object, no `value` list; a FetchError says why not."""
        with self._told(self._what(table, entity_set)):
            page, _ = self._page(self.url_for(table, entity_set), table, entity_set, self.max_bytes)
            if not isinstance(page, dict) or "value" in page:
                raise _Final(f"the answer is not the single {entity_set} object CBS sends")
        return page

    def _what(self, table: str, entity_set: str) -> str:
        """What a request of an entity set is called in a sentence: '81589NED Observations from https://...'."""
        return f"{table} {entity_set}".strip() + f" from {self.endpoint}"

    @contextlib.contextmanager
    def _told(self, what: str) -> Iterator[None]:
        """A request of `what`, online only, whose failure ends as one sentence: a NotServed for an answer of 404,
        a FetchError for any other."""
        if self.offline:
            raise OfflineError(
                ("lsh is offline (--offline or ${ENV_OFFLINE}), so it cannot fetch {what}; the store is unchanged"),
                ENV_OFFLINE=ENV_OFFLINE,
                what=what,
            )
        try:
            yield
        except _Missing as missing:
            raise NotServed(
                "fetching {what} failed: {stop}; the store is unchanged", what=what, stop=str(missing)
            ) from None
        except _Final as stop:
            raise FetchError("fetching {what} failed: {stop}; the store is unchanged", what=what, stop=stop) from None

    def get(
        self,
        table: str,
        entity_set: str,
        *,
        filters: str | None = None,
        select: list[str] | None = None,
        expected_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """The rows of one entity set, following every page, or a FetchError that says why not (a NotServed for
        an answer of 404)."""
        next_key = "odata.nextLink" if self.protocol == "v3" else "@odata.nextLink"
        # the rows asked for bound the walk; twice as many leaves room for a repeated row, which is checked later
        limit = METADATA_ROWS if expected_rows is None else 2 * max(expected_rows, 1) + 10
        url: str | None = self.url_for(table, entity_set, filters, select)
        rows: list[dict[str, Any]] = []
        seen: set[str] = set()
        budget = self.max_bytes
        with self._told(self._what(table, entity_set)):
            while url is not None:
                if url in seen:
                    raise _Final("CBS sent the same page link twice (an odata.nextLink loop)")
                seen.add(url)
                page, size = self._page(url, table, entity_set, budget)
                budget -= size
                value = page.get("value") if isinstance(page, dict) else None
                if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                    raise _Final("the answer is JSON but not an OData feed (no 'value' list of rows)")
                link = page.get(next_key)
                if link is not None and not value:
                    raise _Final("CBS sent an empty page that links to a further one")
                rows += value
                if len(rows) > limit:
                    asked = f"{expected_rows:,} were asked for" if expected_rows is not None else "lsh reads at most"
                    if len(seen) > 1:  # the true reason: a walk that does not end, not the size of any answer
                        raise _Final(
                            f"CBS kept linking to further pages: {len(seen):,} pages with more than {limit:,} rows, "
                            f"where {asked}"
                        )
                    raise _Final(f"CBS sent more than {limit:,} rows where {asked}")
                url = self._next(url, link)
        return rows

    def answer(self, url: str, what: str, accept: frozenset[int] = frozenset({200})) -> tuple[int, bytes]:
        """One GET on the configured host whose status is in `accept` (an API that explains a refusal in its body
        accepts that status too), within the deadline and the size cap, retried with backoff where a retry can
        help; any other answer is a FetchError naming `what`. The transport of lsh's other sources (Eurostat)."""
        attempts = self.retries + 1
        with self._told(what):
            for attempt in range(1, attempts + 1):
                try:
                    status, body = self._request(url, self.max_bytes)
                    if status in accept:
                        return status, body
                    raise _Failed(f"HTTP {status}", retry=status in RETRY_STATUS)
                except _Failed as failed:
                    if not failed.retry or attempt == attempts:
                        tries = f" (tried {attempt} times)" if attempt > 1 else ""
                        raise _Final(f"{failed.reason}{tries}") from None
                    time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _next(self, current: str, link: Any) -> str | None:
        """The next page's URL, which must be on the configured host."""
        if link is None:
            return None
        if not isinstance(link, str) or not link.strip():
            raise _Final("the answer's odata.nextLink is not a link")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in link):
            raise _Final("the answer's odata.nextLink is malformed (it holds control characters)")
        # raw spaces and quotes are quoted as other clients do; what is quoted already stays as it is
        target = urljoin(current, quote(link.strip(), safe="!#$%&'()*+,/:;=?@[]~"))
        if not self.endpoint.owns(target):
            raise _Final(f"CBS pointed to a page on another host ({target}); lsh only contacts {self.endpoint}")
        return target

    def _page(self, url: str, table: str, entity_set: str, budget: int) -> tuple[Any, int]:
        """One page as JSON and its size, retried with backoff where a retry can help."""
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                status, body = self._request(url, budget)
                if status == 404:
                    raise _Missing(f"CBS has no {entity_set} for table {table} (HTTP 404): check the table id")
                if status == 414:
                    raise _Final(
                        f"HTTP 414: the server accepts no request URL of {len(url):,} characters; "
                        f"set ${ENV_MAX_URL} lower (now {self.max_url:,})"
                    )
                if status in RETRY_STATUS:
                    raise _Failed(f"HTTP {status}", retry=True)
                if status != 200:
                    raise _Failed(f"HTTP {status}", retry=False)
                try:
                    return parse_json(body), len(body)
                except UnicodeDecodeError:
                    raise _Failed("the answer is not UTF-8 text", retry=True) from None
                except NotFinite as exc:
                    raise _Final(f"the answer holds the number {exc}, which is no finite number") from None
                except RecursionError:
                    raise _Final("the answer is JSON nested deeper than any OData answer") from None
                except ValueError:
                    raise _Failed("the answer is not valid JSON (cut off or broken)", retry=True) from None
            except _Failed as failed:
                if not failed.retry or attempt == attempts:
                    tries = f" (tried {attempt} times)" if attempt > 1 else ""
                    raise _Final(f"{failed.reason}{tries}") from None
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _request(self, url: str, budget: int) -> tuple[int, bytes]:
        """GET one URL within the deadline and the size budget, following redirects on the same host only."""
        until = time.monotonic() + self.deadline
        for _ in range(MAX_REDIRECTS + 1):
            status, headers, body = self._exchange(url, until, budget)
            if status not in REDIRECT_STATUS:
                return status, body
            location = headers.get("location")
            if not location:
                raise _Failed(f"HTTP {status} without a Location", retry=False)
            target = urljoin(url, location)
            if not self.endpoint.owns(target):
                raise _Final(f"CBS redirected to another host ({target}); lsh only contacts {self.endpoint}")
            url = target
        raise _Final(f"CBS redirected more than {MAX_REDIRECTS} times")

    def _connection(self, until: float) -> tuple[http.client.HTTPConnection, bool, str, dict[str, str]]:
        """A connection to the endpoint (through a proxy where the environment names one): the connection, whether
        requests name the whole URL (plain http through a proxy), the proxy as named, and the proxy's credentials
        as a header (from the proxy URL's user and password)."""
        import urllib.request

        timeout = max(0.001, min(self.timeout, until - time.monotonic()))
        proxy = urllib.request.getproxies().get(self.endpoint.scheme)
        if proxy and urllib.request.proxy_bypass(self.endpoint.host):
            proxy = None
        auth: dict[str, str] = {}
        if proxy:
            try:
                via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
                host, port = via.hostname or "", via.port or 8080
            except ValueError:
                host = ""
            if not host:
                raise ConfigError(
                    "the proxy {proxy!r} (from ${scheme}_proxy) is not a host and port; fix or unset it",
                    proxy=proxy,
                    scheme=self.endpoint.scheme,
                ) from None
            if via.username is not None:
                import base64
                from urllib.parse import unquote

                pair = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
                auth = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        else:
            host, port = self.endpoint.host, self.endpoint.port
        named = f"the proxy {host}:{port} (from ${self.endpoint.scheme}_proxy)" if proxy else ""
        if self.endpoint.scheme == "https":
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                host, port, timeout=timeout, context=_tls_context()
            )
            if proxy:
                connection.set_tunnel(self.endpoint.host, self.endpoint.port, headers=auth)
            return connection, False, named, {}
        return http.client.HTTPConnection(host, port, timeout=timeout), bool(proxy), named, auth

    def _exchange(self, url: str, until: float, budget: int) -> tuple[int, dict[str, str], bytes]:
        """One request and its whole answer, decompressed, or `_Failed` saying what went wrong."""
        from lshcli._version import __version__

        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate", "User-Agent": f"lsh/{__version__}"}
        started = time.perf_counter()
        connection, absolute, proxy, auth = self._connection(until)
        headers |= auth
        phase = "connect"
        try:
            connection.connect()
            # every wait on the socket from here on is cut to what is left of the deadline: a server that sends its
            # status line, its headers, endless 1xx answers, chunk lines or trailers a byte at a time cannot hold
            # lsh past it
            connection.sock = _Bounded(connection.sock, self.timeout, until)
            connection.request("GET", url if absolute else target, headers=headers)
            self.traffic.requests += 1
            phase = "answer"
            _limit(connection, self.timeout, until)
            response = connection.getresponse()
            phase = "body"
            body = self._body(response, connection, until, budget)
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        except TimeoutError:
            if time.monotonic() >= until:
                allowed = f"the answer took longer than the {self.deadline:g} s allowed for one request"
                raise _Failed(allowed, retry=True) from None
            waited = f"{self.timeout:g} s"
            if phase == "connect":
                raise _Failed(f"no connection{' to ' + proxy if proxy else ''} within {waited}", retry=True) from None
            if phase == "answer":
                raise _Failed(f"no answer within {waited}", retry=True) from None
            raise _Failed(f"the answer stopped arriving (nothing for {waited})", retry=True) from None
        except (http.client.IncompleteRead, ConnectionResetError, BrokenPipeError):
            raise _Failed("the answer was cut off", retry=True) from None
        except http.client.RemoteDisconnected:
            raise _Failed("the server closed the connection without an answer", retry=True) from None
        except http.client.HTTPException as exc:
            raise _Failed(f"the answer is not valid HTTP ({type(exc).__name__})", retry=True) from None
        except OSError as exc:
            if type(exc).__module__ == "ssl":  # a certificate no CA vouches for: no retry mends it
                reason = getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or exc
                raise _Failed(f"the TLS connection failed ({reason})", retry=False) from None
            if phase == "connect":
                to = f" to {proxy}" if proxy else ""  # a proxy that is down is no CBS host refusing
                raise _Failed(f"cannot connect{to} ({exc.strerror or exc})", retry=True) from None
            raise _Failed(f"the connection broke off ({exc.strerror or exc})", retry=True) from None
        finally:
            connection.close()
            self.traffic.seconds += time.perf_counter() - started

    def _body(
        self, response: http.client.HTTPResponse, connection: http.client.HTTPConnection, until: float, budget: int
    ) -> bytes:
        """The answer's body, decompressed, read a piece at a time within the deadline and the size budget."""
        encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding == "identity":
            decoder = None
        else:
            raise _Failed(f"the answer is in an encoding lsh does not read ({encoding})", retry=False)
        pieces: list[bytes] = []
        size = 0
        cap = f"the answer is larger than the {self.max_bytes / 1e6:g} MB lsh accepts (${ENV_MAX_MB})"
        while True:
            _limit(connection, self.timeout, until)
            raw = response.read1(_READ)
            if not raw:
                break
            self.traffic.bytes += len(raw)
            try:
                piece = raw if decoder is None else decoder.decompress(raw, budget - size + 1)
            except zlib.error:
                raise _Failed("the compressed answer is broken", retry=True) from None
            size += len(piece)
            if size > budget or (decoder is not None and decoder.unconsumed_tail):
                raise _Final(cap)
            pieces.append(piece)
        if response.length:  # fewer bytes came than the Content-Length announced
            raise _Failed("the answer was cut off", retry=True)
        if decoder is not None:
            try:
                rest = decoder.flush()
            except zlib.error:
                raise _Failed("the compressed answer is broken", retry=True) from None
            if size + len(rest) > budget:
                raise _Final(cap)
            if encoding != "deflate" and not decoder.eof:
                raise _Failed("the answer was cut off", retry=True)
            if decoder.unused_data.strip(b"\x00"):  # a second gzip member: clients disagree on it, so none is read
                raise _Final("the compressed answer holds more than one gzip member, which lsh does not read")
            pieces.append(rest)
        return b"".join(pieces)


class _Bounded:
    """A connected socket whose every receive waits at most the timeout, and never past the request's deadline."""

    def __init__(self, sock: Any, timeout: float, until: float) -> None:
        self._sock = sock
        self._timeout = timeout
        self._until = until
        self._readers = 0
        self._closing = False

    def _arm(self) -> None:
        """Set the next receive's wait: the timeout, or what is left of the deadline when that is less."""
        left = self._until - time.monotonic()
        if left <= 0:
            raise TimeoutError
        self._sock.settimeout(min(self._timeout, left))

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._arm()
        return int(self._sock.recv_into(buffer, nbytes, flags))

    def recv(self, size: int, flags: int = 0) -> bytes:
        self._arm()
        return bytes(self._sock.recv(size, flags))

    def makefile(self, mode: str = "r", buffering: int | None = None, **_: Any) -> Any:
        """What http.client reads the answer from: a buffered reader over this socket's bounded receives."""
        import io
        import socket

        raw = socket.SocketIO(self, "rb")  # type: ignore[arg-type]
        self._readers += 1
        return io.BufferedReader(raw, buffering if buffering and buffering > 0 else io.DEFAULT_BUFFER_SIZE)

    def _decref_socketios(self) -> None:
        """A reader is closed: the socket closes once the connection has asked to and no reader is left (as a
        socket does: http.client closes the connection while the answer is still being read)."""
        self._readers -= 1
        if self._closing and self._readers <= 0:
            self._sock.close()

    def close(self) -> None:
        self._closing = True
        if self._readers <= 0:
            self._sock.close()

    def settimeout(self, value: float | None) -> None:
        """Waits are set per receive, from the timeout and what is left of the deadline."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def _limit(connection: http.client.HTTPConnection, timeout: float, until: float) -> None:
    """Let the next wait on the socket last the timeout, but never past the request's deadline."""
    left = until - time.monotonic()
    if left <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(min(timeout, left))


def _tls_context() -> Any:
    """The TLS settings for https: the CA bundle named by $SSL_CERT_FILE or $REQUESTS_CA_BUNDLE (a company's
    own, behind a TLS-inspecting proxy), else certifi's."""
    named = os.environ.get("SSL_CERT_FILE") or os.environ.get("REQUESTS_CA_BUNDLE")
    return _context(named or None)


@functools.cache
def _context(cafile: str | None) -> Any:
    import ssl

    if cafile is None:
        try:
            import certifi
        except ImportError:  # pragma: no cover - certifi is a dependency
            return ssl.create_default_context()
        cafile = certifi.where()
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError("the CA bundle {cafile} cannot be read ({exc})", cafile=cafile, exc=exc) from None
