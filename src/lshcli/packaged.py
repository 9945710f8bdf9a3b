"""The files lsh ships inside its package: code lists, the snapshot, table specs, bundled definitions.

They are read beside this module: a pip-installed package lies on disk, and reading its files directly
spares every command the import of `importlib.resources` (with zipfile, tempfile and shutil behind it).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """A packaged file or folder by its path inside the package ('data/sbi2008.tsv')."""
    return ROOT / name
