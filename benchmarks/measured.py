"""One child process timed as the benchmarks time it: wall seconds, and CPU seconds of that child alone."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """A finished run: its wall and CPU seconds, its peak resident memory as the kernel counts it (kB; it
    includes the memory of the process it was forked from), its exit code and what it wrote to standard error."""

    wall: float
    cpu: float
    maxrss_kb: int
    code: int
    errors: str


def measured(argv: Sequence[str], env: dict[str, str]) -> Run:
    """Run `argv` to its end, its output thrown away, and say what it cost."""
    start = time.perf_counter()
    child = subprocess.Popen(list(argv), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    wall = time.perf_counter() - start
    return Run(
        wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, child.returncode, errors.decode(errors="replace")
    )
