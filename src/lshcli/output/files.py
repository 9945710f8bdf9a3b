"""Where a document goes: a file written whole or not at all (never over lsh's own store), or a terminal of some
width. The command line and the facade write through here."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TextIO

from lshcli.errors import LshError

DEFAULT_WIDTH = 120
"""The width a table is laid out for when nothing says otherwise (a pipe, a file)."""


def terminal_width(stream: TextIO) -> int:
    """The width to lay a table out for: COLUMNS when set, else the terminal's own width, else 120."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    if stream.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def not_the_store(output: Path, store: Path) -> None:
    """No output is ever written over lsh's own store."""
    if output.resolve() == store.resolve():
        raise LshError("cannot write {output}: it is lsh's store; give another file", output=output)


def write_whole(data: bytes, output: Path, store: Path) -> None:
    """Write a file whole or not at all, never over the store at `store`; through a symbolic link, the file it
    points to, its mode kept (a new file gets the mode the umask allows)."""
    target = output.resolve()
    if target.is_dir():
        raise LshError("cannot write {output}: it is a folder", output=output)
    if not target.parent.is_dir():
        raise LshError("cannot write {output}: the folder {parent} does not exist", output=output, parent=target.parent)
    not_the_store(output, store)
    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed into place when complete
            "wb", dir=target.parent, prefix=f".{target.name}.", delete=False
        )
    except OSError as exc:
        raise LshError(
            "cannot write {output}: {value} in {parent}", output=output, value=exc.strerror or exc, parent=target.parent
        ) from None
    try:
        with handle:
            handle.write(data)
        _permissions(handle.name, target)
        os.replace(handle.name, target)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        raise LshError("cannot write {output}: {value}", output=output, value=exc.strerror or exc) from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _permissions(path: str, target: Path) -> None:
    """Give a finished temporary file the mode of the file it replaces, or of any new file (temporary files
    start private)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(path, mode)
