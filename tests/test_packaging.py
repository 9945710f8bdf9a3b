"""A plain (non-editable) install must carry the code list, the snapshot and the definitions."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_data_files(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("lsh-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "lshcli/data/sbi2008.tsv",
        "lshcli/data/snapshot.csv",
        "lshcli/definitions_bundled/topsector.yaml",  # from the repository's definitions/ folder
        "lshcli/definitions_bundled/pwc2017.yaml",
        "lshcli/definitions_bundled/pwc2019.yaml",
        "lshcli/data/reference.csv",
        "lshcli/data/tables/81589NED.yaml",
        "lshcli/data/tables/81156ned.yaml",
        "lshcli/data/tables/85867NED.yaml",
        "lshcli/data/tables/83583NED.yaml",
        "lshcli/py.typed",
        "lshcli/locale/nl/LC_MESSAGES/lsh.mo",  # the Dutch catalogue, compiled
    ):
        assert needed in names
    assert not [n for n in names if "/qps/" in n]  # the tests' pseudo-language is not for users
    source = ROOT / "src"
    modules = {p.relative_to(source).as_posix() for p in (source / "lshcli").rglob("*.py")}
    assert modules - names == set()  # every module of every subpackage (cbs, output) is in the wheel
