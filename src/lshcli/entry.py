"""The `lsh` command's entry point: `lsh --help` at once, everything else through the command line (`lshcli.cli`).

The top-level help is the one answer that needs none of lsh's code: its text, in English and in Dutch, is kept in
`data/help/`, made from the command line itself by `scripts/catalogues.py` and tested equal to what it prints.
It is printed here where the command line would print exactly that: as `lsh --help`, in a language it has, on a
terminal at least 80 columns wide (the help wraps at 78 there). Anything else starts the command line, which
imports its library (about 60 ms): `lsh --help` then answers in the time Python takes to start.
"""

from __future__ import annotations

import os
import sys

WIDEST = 80
"""The width past which the help no longer changes (the command line's help wraps at 78 columns)."""


def main() -> None:
    """Run `lsh`."""
    if not _help_at_once(sys.argv):
        from lshcli.cli import main as command_line

        command_line()


def _columns() -> int:
    """The terminal's width as the command line reads it: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else WIDEST
    except (AttributeError, ValueError, OSError):
        return WIDEST


def _help_at_once(argv: list[str]) -> bool:
    """Print the kept top-level help where the command line would print the same text; else False."""
    if argv[1:] != ["--help"] or os.path.basename(argv[0]) != "lsh":
        return False
    lang = os.environ.get("LSH_LANG", "").strip().lower() or "en"
    if lang not in ("en", "nl") or _columns() < WIDEST:
        return False
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", "help", f"{lang}.txt"), encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return False
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as exc:  # a closed pipe or a full disk, told as the command line tells it
        sys.stderr.write(f"lsh: error: writing the output failed: {exc.strerror or exc}\n")
        os._exit(1)
    return True
