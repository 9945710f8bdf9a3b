"""Compile the bundled definitions (the repository's definitions/ folder) into src/lshcli/data/definitions.json.

    python scripts/build_definitions.py          # write the compiled file
    python scripts/build_definitions.py --check  # exit 1 if it is not up to date

For each bundled YAML file the compiled file holds its size, its CRC-32 and the mapping lsh reads from it (every
scalar as text, as `lshcli._yaml` reads it), as JSON. lsh reads a bundled definition from there while the file is
unchanged, byte for byte by size and checksum, which spares the headline commands importing and running the YAML
parser; a file that differs is read from its YAML as any user's definition is. The tests hold the compiled file
equal to what the YAML files say.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lshcli import _yaml  # noqa: E402
from lshcli.errors import DefinitionError  # noqa: E402

SOURCE = ROOT / "definitions"
TARGET = ROOT / "src" / "lshcli" / "data" / "definitions.json"


def compiled(folder: Path = SOURCE) -> str:
    """The compiled file's text for the YAML files of `folder`."""
    entries = {}
    for path in sorted(folder.glob("*.yaml")):
        data = path.read_bytes()
        mapping = _yaml.load_mapping(path, "definition", DefinitionError)
        entries[path.name] = [len(data), zlib.crc32(data), json.dumps(mapping, ensure_ascii=False)]
    return json.dumps(entries, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the compiled file is not up to date")
    args = parser.parse_args()
    text = compiled()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is not up to date: run python scripts/build_definitions.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
