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
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user runs it: Python keeps compiled bytecode (some shells say not)
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


PEAK = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def peak():
    try:
        with open('/proc/self/status') as status:
            found = [line.split()[1] for line in status if line.startswith('VmHWM:')]
    except OSError:
        found = []
    with open(out, 'w') as f:
        f.write(found[0] if found else '')
atexit.register(peak)
if sys.argv[1] == '-c':
    code = sys.argv.pop(2)
    sys.argv[0:2] = ['-c']
    exec(compile(code, '<benchmark>', 'exec'), {'__name__': '__main__'})
else:
    sys.argv[0:1] = ['lsh']
    runpy.run_module('lshcli', run_name='__main__', alter_sys=True)
"""
"""Runs lsh (or, after `-c`, a snippet) and writes its own peak memory (VmHWM, kB) at exit: the rusage of a child
also counts the memory of the process it was forked from, before it became Python."""


def timed(args: Sequence[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MiB) of one `lsh ARGS` run (or of `-c CODE`)."""
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile(suffix=".peak", delete=False) as note:
        path = note.name
    done = measured([sys.executable, "-c", PEAK, path, *args], env)
    kb = Path(path).read_text().strip()
    Path(path).unlink(missing_ok=True)
    if done.code != 0:
        raise SystemExit(f"{' '.join(args)[:200]} failed: {done.errors.strip()[-500:]}")
    peak = int(kb) / 1024 if kb.isdigit() else done.maxrss_kb / 1024
    return done.wall, done.cpu, peak
