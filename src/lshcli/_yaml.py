"""lsh's own YAML files (definitions, table specs), read safely: every scalar as the text written, bounded.

SBI codes look like numbers, and YAML 1.1 gives unquoted numbers other meanings (`0126` is octal 86,
`0x15` is 21, `21.10` is 21.1), so every scalar is read as the text it is written as; only an empty
value or `null`/`~` means nothing. Anchors and aliases (the way a 500-byte file expands to gigabytes),
explicit tags, duplicate keys and keys that are not text are refused, and so are files that are too
large, nested too deep, not regular files, or not UTF-8. Every problem is one sentence naming the file
and, where YAML knows it, the line.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from lshcli.errors import LshError

MAX_BYTES = 1_000_000
"""The largest file lsh reads (a definition that lists every SBI code is about 60 kB)."""
MAX_DEPTH = 12
"""The deepest nesting of lists and mappings (a definition needs 4)."""


class _Refused(yaml.YAMLError):
    """A YAML construct lsh files have no use for; carries the sentence and the line."""

    def __init__(self, text: str, node_or_event: Any) -> None:
        super().__init__(text)
        self.text = text
        self.line = node_or_event.start_mark.line + 1 if getattr(node_or_event, "start_mark", None) else None


class _TextLoader(yaml.SafeLoader):
    """SafeLoader with every scalar as text, no anchors, aliases or tags, and a bounded depth."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def _event(self) -> Any:
        return self.peek_event()  # type: ignore[no-untyped-call]

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            raise _Refused("YAML aliases (*name) are not allowed in lsh files; write the value out", self._event())
        event = self._event()
        if getattr(event, "anchor", None) is not None:
            raise _Refused("YAML anchors (&name) are not allowed in lsh files; write the value out", event)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(f"YAML tags ({shown}) are not allowed in lsh files; quote the value instead", event)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise _Refused("a key must be a word, not a list, a mapping or null", key_node)
            if key_node.value in seen:
                raise _Refused(f"the key {key_node.value!r} appears twice in one mapping", key_node)
            seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


_TextLoader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


def read_text(path: Path, what: str, error: type[LshError], max_bytes: int = MAX_BYTES) -> str:
    """The text of a regular UTF-8 file (a BOM is allowed) of at most `max_bytes`, or one sentence why not."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise error(f"cannot read {what} file {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{path} is not a regular file, so lsh does not read it as a {what}")
    if info.st_size > max_bytes:
        raise error(f"{path} is {info.st_size:,} bytes; a {what} file may hold at most {max_bytes:,}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot read {what} file {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise error(f"{path} holds more than {max_bytes:,} bytes; a {what} file may hold at most that")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise error(f"{path} is saved as UTF-16; save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path} is not UTF-8: line {line} has the byte 0x{data[exc.start]:02X} (perhaps latin-1 or Windows-1252);"
            " save it as UTF-8"
        ) from None


def _sentence(path: Path, exc: yaml.YAMLError) -> str:
    """A YAML error as one sentence naming the file and, where YAML knows it, the line."""
    if isinstance(exc, _Refused):
        return f"{path}{f', line {exc.line}' if exc.line else ''}: {exc.text}"
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or "not valid YAML"
    return f"{path}: broken YAML{where}: {' '.join(str(problem).split())}"


def load(path: Path, what: str, error: type[LshError]) -> Any:
    """The content of one of lsh's YAML files, every scalar as text; any problem is one sentence."""
    text = read_text(path, what, error)
    try:
        data = yaml.load(text, Loader=_TextLoader)  # noqa: S506 - _TextLoader is a SafeLoader
    except yaml.YAMLError as exc:
        raise error(_sentence(path, exc)) from None
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops nesting long before this
        raise error(f"{path}: nested too deep") from None
    _no_surrogates(data, path, error)
    return data


def _no_surrogates(data: Any, path: Path, error: type[LshError]) -> None:
    """Refuse text no output can carry: a lone surrogate ("\\ud800", which YAML escapes allow)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise error(f"{path}: the text {item[:40]!r} holds a character that is no Unicode text") from None
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item


def load_mapping(path: Path, what: str, error: type[LshError]) -> dict[str, Any]:
    """A YAML file that must hold a mapping (a definition, a table spec)."""
    data = load(path, what, error)
    if not isinstance(data, dict):
        raise error(f"{path}: a {what} must be a YAML mapping")
    return data
