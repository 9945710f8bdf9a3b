"""The deadline bounds the whole exchange, not only the body: a server that sends its status line and headers a
byte at a time, `100 Continue` answers for ever, trailer lines for ever after a chunked body, or a chunk-size line a
byte at a time is stopped at LSH_CBS_DEADLINE.

Each server here sends a byte every 20 ms for as long as the client listens, so the per-piece timeout (5 s) can
never fire: only the deadline can, and the test does not race two timers. Each run has a hard limit of its own,
so a missing deadline fails the test instead of hanging it.
"""

from __future__ import annotations

import itertools
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import invoke

HARD_LIMIT = 60.0
"""Seconds a run may take before the test fails: far past the 0.5 s deadline, so never reached when it holds."""

BODY = b'{"value": []}'
SCENARIOS: dict[str, list[Any]] = {
    "headers": [b"HTTP/1.1 200 OK\r\n", itertools.repeat(b"X-Slow: a\r\n")],
    "continue": [itertools.repeat(b"HTTP/1.1 100 Continue\r\n\r\n")],
    "trailers": [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n",
        f"{len(BODY):x}\r\n".encode() + BODY + b"\r\n0\r\n",
        itertools.repeat(b"X-Trailer: a\r\n"),
    ],
    "chunk-size": [
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n",
        itertools.repeat(b"0"),  # a chunk-size line that never ends
    ],
}


class Trickler:
    """A raw HTTP server on 127.0.0.1 that answers every connection with one scenario, a byte every 20 ms."""

    def __init__(self, parts: list) -> None:  # type: ignore[type-arg]
        self.parts = parts
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self.answer, args=(conn,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(1.0)
            try:
                conn.recv(65536)  # the request
                for part in self.parts:
                    pieces = part if not isinstance(part, bytes) else [part]
                    for piece in pieces:
                        for i in range(len(piece)):
                            if self.stop.wait(0.02):
                                return
                            conn.sendall(piece[i : i + 1])
            except OSError:
                return  # the client gave up, as it should


@pytest.fixture
def trickler(request: pytest.FixtureRequest) -> Iterator[Trickler]:
    server = Trickler(SCENARIOS[str(request.param)])
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    yield server
    server.stop.set()
    server.listener.close()
    thread.join(5)


@pytest.mark.slow  # half a second each; CI runs them
@pytest.mark.parametrize("trickler", list(SCENARIOS), indirect=True)
def test_the_deadline_bounds_the_whole_exchange(trickler: Trickler) -> None:
    env = {"LSH_CBS_URL": trickler.url, "LSH_CBS_DEADLINE": "0.5", "LSH_CBS_TIMEOUT": "5", "LSH_CBS_RETRIES": "0"}
    outcome: list = []  # type: ignore[type-arg]
    run = threading.Thread(target=lambda: outcome.append(invoke(["fetch", "--sbi", "21.10"], env=env)), daemon=True)
    run.start()
    run.join(HARD_LIMIT)
    assert not run.is_alive(), "the fetch outlived its deadline"
    result = outcome[0]
    assert result.exit_code == 3, result.output
    assert "took longer than the 0.5 s allowed for one request" in result.stderr
