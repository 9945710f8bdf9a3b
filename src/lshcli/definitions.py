"""Sector definitions: YAML files that draw the LSH sector with a set of SBI codes."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct, field, structs

from lshcli import packaged
from lshcli.errors import ClassificationError, DefinitionError, UnknownCodeError, UnknownDefinitionError
from lshcli.sbi import CLASSIFICATIONS, DEFAULT, Classification, sort_codes
from lshcli.sbi import load as load_classification

ENV_DIRS = "LSH_DEFINITIONS"
TOP_KEYS = {
    "id",
    "title",
    "title_en",
    "title_nl",
    "source",
    "classification",
    "translated_from",
    "extends",
    "codes",
    "add",
    "remove",
    "notes",
}
CODE_KEYS = {"code", "note", "group", "group_en", "group_nl"}
MAX_EXTENDS = 16
"""The longest chain of definitions that extend one another."""


class DefinitionCode(Struct, frozen=True):
    """One SBI code in a definition, with the definition's own note and subgroup name."""

    code: str
    note: str | None = None
    group: str | None = None
    """The subgroup's name as the definition writes it."""
    group_en: str | None = None
    """The subgroup's name in English, where the file gives it ('group_en'); `group` otherwise."""
    group_nl: str | None = None
    """The subgroup's name in Dutch, where the file gives it ('group_nl'); `group` otherwise."""

    def group_in(self, lang: str) -> str | None:
        """The subgroup's name in a language ('nl', else English), or as written where the file has no such name."""
        return (self.group_nl if lang == "nl" else self.group_en) or self.group


class Definition(Struct, frozen=True):
    """A named set of SBI codes with its source, as one study or user draws the sector."""

    id: str
    title: str
    source: str | None
    codes: tuple[DefinitionCode, ...]
    notes: tuple[str, ...] = ()
    extends: str | None = None
    origin: str = ""
    warnings: tuple[Overlap, ...] = ()
    """Codes listed beside a code they lie inside; made from the codes (and a parent's), so equal definitions have
    equal warnings."""
    classification: str = DEFAULT
    """The classification its codes are read in ('sbi2008' unless the file says 'classification: sbi2025')."""
    translated_from: str | None = None
    """The definition this one was translated from across the classification break, if any."""
    title_en: str | None = None
    """The title in English, where the file gives it ('title_en'); `title` otherwise."""
    title_nl: str | None = None
    """The title in Dutch, where the file gives it ('title_nl'); `title` otherwise."""

    def title_in(self, lang: str) -> str:
        """The title in a language ('nl', else English), or as written where the file has no such title."""
        return (self.title_nl if lang == "nl" else self.title_en) or self.title

    @property
    def code_list(self) -> list[str]:
        """The codes as written, in code-list order."""
        return sort_codes(c.code for c in self.codes)

    def leaves(self, sbi: Classification) -> frozenset[str]:
        """The finest SBI codes the definition covers; a parent and its child count once.

        Only in the definition's own classification: a definition of SBI 2008 codes is never read in SBI 2025.
        """
        if sbi.name != self.classification:
            raise ClassificationError(
                "{id} is a definition of {label} codes; it cannot be read in {label2}",
                id=self.id,
                label=label(self.classification),
                label2=sbi.label,
            )
        return sbi.leaves_of(c.code for c in self.codes)

    def code(self, code: str) -> DefinitionCode | None:
        """The entry for `code` as written in the definition, if any."""
        return next((c for c in self.codes if c.code == code), None)


def label(classification: str) -> str:
    """'SBI 2025' for 'sbi2025'."""
    return CLASSIFICATIONS[classification][0] if classification in CLASSIFICATIONS else classification


@functools.cache
def _compiled() -> dict[str, list[Any]]:
    """The bundled definitions as lsh was built with them: name -> [size, CRC-32, mapping as JSON]."""
    try:
        found = json.loads(packaged.path("data/definitions.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _read(path: Path) -> dict[str, Any]:
    """A definition file's mapping. A bundled file unchanged since lsh was built (by size and checksum) is read
    from its compiled form (scripts/build_definitions.py), the same mapping without the YAML parser; any other
    file, or a bundled one that changed, through `lshcli._yaml`."""
    entry = _compiled().get(path.name) if path.parent == _bundled_dir() else None
    if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], str):
        try:
            data = path.read_bytes()
        except OSError:
            data = b""
        if len(data) == entry[0] and zlib.crc32(data) == entry[1]:
            with contextlib.suppress(ValueError):  # a damaged compiled form: the YAML says it
                found = json.loads(entry[2])
                if isinstance(found, dict):
                    return found
    from lshcli import _yaml

    return _yaml.load_mapping(path, "definition", DefinitionError)


def _bundled_dir() -> Path:
    """The definitions that ship with lsh (the repository's definitions/ folder, installed in the package)."""
    import importlib

    return Path(str(importlib.import_module("lshcli.definitions_bundled").__file__)).parent


def _user_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("lsh")) / "definitions"


def search_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """Where definitions are looked up, lowest priority first: bundled, user config, $LSH_DEFINITIONS, options."""
    dirs = [_bundled_dir(), _user_dir()]
    dirs += [Path(p) for p in os.environ.get(ENV_DIRS, "").split(os.pathsep) if p.strip()]
    dirs += list(extra)
    return dirs


def _code_entry(raw: Any, where: str, sbi: Classification) -> DefinitionCode:
    if isinstance(raw, dict):
        unknown = set(raw) - CODE_KEYS
        if unknown:
            raise DefinitionError(
                "{where}: unknown key {unknown!r} in a code (allowed: {CODE_KEYS})",
                where=where,
                unknown=sorted(unknown)[0],
                CODE_KEYS=", ".join(sorted(CODE_KEYS)),
            )
        if "code" not in raw:
            raise DefinitionError("{where}: a code entry needs 'code'", where=where)
        code = _code_text(raw["code"], where, sbi)
        note, group = _optional_text(raw.get("note"), where, "note"), _optional_text(raw.get("group"), where, "group")
        named = {key: _optional_text(raw.get(key), where, key) for key in ("group_en", "group_nl")}
        if any(named.values()) and group is None:
            raise DefinitionError(
                "{where}: {code} names its group in a language ('group_en', 'group_nl') but has no 'group'",
                where=where,
                code=code,
            )
        return DefinitionCode(code, note, group, named["group_en"], named["group_nl"])
    return DefinitionCode(_code_text(raw, where, sbi))


def _code_text(raw: Any, where: str, sbi: Classification) -> str:
    if not isinstance(raw, str):
        raise DefinitionError(
            "{where}: a code must be written as text, such as 21.10, not a list or mapping", where=where
        )
    try:
        return sbi.parse(raw)
    except UnknownCodeError as exc:
        if exc.elsewhere and sbi.name == DEFAULT:
            raise DefinitionError(
                "{where}: {reason}; this definition is {label} (a file of SBI 2025 codes says 'classification: "
                "sbi2025')",
                where=where,
                reason=exc,
                label=sbi.label,
            ) from None
        if exc.elsewhere:
            raise DefinitionError(
                "{where}: {reason}; this definition is {label}", where=where, reason=exc, label=sbi.label
            ) from None
        raise DefinitionError("{where}: {reason}", where=where, reason=exc) from None


PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
"""What a definition's id may be: a plain name, safe in any shell command lsh suggests."""


def _optional_text(raw: Any, where: str = "", key: str = "") -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise DefinitionError("{where}: '{key}' must be text, not a list or mapping", where=where, key=key)
    return raw.strip() or None


def _code_list(raw: Any, key: str, where: str, sbi: Classification) -> list[DefinitionCode]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DefinitionError("{where}: '{key}' must be a list of SBI codes", where=where, key=key)
    entries = [_code_entry(item, f"{where} {key}", sbi) for item in raw]
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            raise DefinitionError(
                "{where}: code {code} is listed twice in '{key}'", where=where, code=entry.code, key=key
            )
        seen.add(entry.code)
    return entries


class Overlap(Struct, frozen=True):
    """A definition's warning: a code listed beside a code it lies inside (its firms are counted once)."""

    definition: str
    inner: str
    outer: str


def overlap_warnings(definition_id: str, codes: Iterable[DefinitionCode], sbi: Classification) -> list[Overlap]:
    """One warning per code listed beside a code it lies inside (counted once all the same)."""
    listed = [c.code for c in codes]
    position = {code: i for i, code in reversed(list(enumerate(listed)))}
    warnings = []
    for inner in listed:  # a code's ancestors, looked up: linear in the codes, not quadratic
        outers = [a for a in sbi.ancestors(inner) if a in position]
        if outers:
            outer = min(outers, key=position.__getitem__)  # the first listed, as the definition writes them
            warnings.append(Overlap(definition_id, inner, outer))
    return warnings


def _remove(
    codes: list[DefinitionCode], removed: DefinitionCode, where: str, sbi: Classification
) -> list[DefinitionCode]:
    """Take `removed` out of `codes`: drop it, or split the listed code it lies inside."""
    kept: list[DefinitionCode] = []
    found = False
    for entry in codes:
        if sbi.contains(removed.code, entry.code):
            found = True
            continue
        if sbi.contains(entry.code, removed.code):
            found = True
            rest = sbi.leaves(entry.code) - sbi.leaves(removed.code)
            for code in sbi.compress(rest, sbi.descendants(entry.code)):
                kept.append(structs.replace(entry, code=code))
            continue
        kept.append(entry)
    if not found:
        raise DefinitionError(
            "{where}: cannot remove {code}: the definition it extends does not hold it", where=where, code=removed.code
        )
    return kept


class Override(Struct, frozen=True):
    """A user's definition file that takes the id of a bundled definition."""

    id: str
    bundled: Path
    path: Path


class DefinitionLibrary(Struct):
    """All definitions lsh can see: bundled ones, then the user's, later directories winning."""

    sbi: Classification
    """The classification of definitions that name none (SBI 2008)."""
    dirs: list[Path] = field(default_factory=search_dirs)
    classifications: Callable[[str], Classification] = load_classification
    """How a definition's `classification:` is turned into the code list it is read in."""

    def classification(self, name: str) -> Classification:
        """The classification of that name: the library's own, or one the loader gives."""
        return self.sbi if name == self.sbi.name else self.classifications(name)

    def files(self) -> dict[str, Path]:
        """Definition id (file stem) to the file that provides it; only regular files are read."""
        found: dict[str, Path] = {}
        for directory in self.dirs:
            if directory.is_dir():
                for path in sorted(directory.glob("*.y*ml")):
                    if path.suffix in (".yaml", ".yml") and path.is_file():
                        found[path.stem] = path
        return found

    def overrides(self) -> list[Override]:
        """The user's files that replace a bundled definition of the same id."""
        bundled = _bundled_dir()
        shipped = {p.stem: p for p in sorted(bundled.glob("*.yaml")) if p.is_file()}
        return [
            Override(i, shipped[i], path)
            for i, path in sorted(self.files().items())
            if i in shipped and path.parent != bundled
        ]

    def ids(self) -> list[str]:
        """The ids of every visible definition, sorted."""
        return sorted(self.files())

    def get(self, name: str) -> Definition:
        """A definition by id, or by path to a YAML file (relative to the current folder)."""
        return self._resolve(name, (), Path.cwd())

    def all(self) -> list[Definition]:
        """Every visible definition, loaded and validated (the first broken one raises)."""
        return [self.get(i) for i in self.ids()]

    def each(self) -> list[Definition | DefinitionError]:
        """Every visible definition, or the error that stops it loading: one broken file hides no other."""
        found: list[Definition | DefinitionError] = []
        for i in self.ids():
            try:
                found.append(self.get(i))
            except DefinitionError as exc:
                found.append(exc)
        return found

    def is_bundled(self, definition: Definition) -> bool:
        """Whether a definition is one that ships with lsh (not a user's file of the same id)."""
        return Path(definition.origin).parent == _bundled_dir()

    def _path_for(self, name: str, folder: Path) -> Path:
        candidate = Path(name)
        if candidate.suffix in (".yaml", ".yml") or os.sep in name or "/" in name:
            path = candidate if candidate.is_absolute() else folder / candidate
            if not path.exists():
                raise UnknownDefinitionError("no definition file at {path}", path=path)
            return path
        files = self.files()
        if name not in files:
            import difflib

            known = ", ".join(sorted(files)) or "none"
            close = difflib.get_close_matches(name, list(files), n=1, cutoff=0.6)
            if close:
                raise UnknownDefinitionError(
                    "unknown definition {name!r}; did you mean {close}? known definitions: {known}",
                    name=name,
                    close=close[0],
                    known=known,
                )
            raise UnknownDefinitionError(
                "unknown definition {name!r}; known definitions: {known}", name=name, known=known
            )
        return files[name]

    def _resolve(self, name: str, chain: tuple[str, ...], folder: Path) -> Definition:
        path = self._path_for(name, folder)
        data = _read(path)
        where = str(path)
        unknown = set(data) - TOP_KEYS
        if unknown:
            allowed = ", ".join(sorted(TOP_KEYS))
            raise DefinitionError(
                "{where}: unknown key {unknown!r} (allowed: {allowed})",
                where=where,
                unknown=sorted(unknown)[0],
                allowed=allowed,
            )
        def_id = _optional_text(data.get("id"), where, "id") or path.stem
        if not PLAIN_ID.fullmatch(def_id):  # an id goes into commands lsh suggests: it must be safe to paste
            raise DefinitionError(
                (
                    "{where}: the id {def_id!r} is not a plain name; use letters, digits, '_', '-' and '.' (at "
                    "most 64, starting with a letter or digit)"
                ),
                where=where,
                def_id=def_id,
            )
        if def_id in chain:
            raise DefinitionError("{where}: 'extends' loops: {value}", where=where, value=" -> ".join([*chain, def_id]))
        if len(chain) >= MAX_EXTENDS:
            raise DefinitionError(
                "{where}: 'extends' goes more than {MAX_EXTENDS} definitions deep", where=where, MAX_EXTENDS=MAX_EXTENDS
            )
        title = _optional_text(data.get("title"), where, "title")
        if not title:
            raise DefinitionError("{where}: a definition needs a 'title'", where=where)
        titles = {key: _optional_text(data.get(key), where, key) for key in ("title_en", "title_nl")}
        named = _optional_text(data.get("classification"), where, "classification")
        if named is not None and named.casefold().replace(" ", "") not in CLASSIFICATIONS:
            raise DefinitionError(
                "{where}: unknown classification {named!r}; lsh knows {CLASSIFICATIONS}",
                where=where,
                named=named,
                CLASSIFICATIONS=", ".join(CLASSIFICATIONS),
            )
        sbi = self.classification(named.casefold().replace(" ", "") if named else self.sbi.name)
        translated_from = _optional_text(data.get("translated_from"), where, "translated_from")
        notes_raw = data.get("notes") or []
        notes = tuple(
            text
            for n in (notes_raw if isinstance(notes_raw, list) else [notes_raw])
            if (text := _optional_text(n, where, "notes"))
        )
        parent_id = _optional_text(data.get("extends"), where, "extends")
        if parent_id is None:
            if "add" in data or "remove" in data:
                raise DefinitionError(
                    "{where}: 'add' and 'remove' go with 'extends'; list own codes under 'codes'", where=where
                )
            codes = _code_list(data.get("codes"), "codes", where, sbi)
            if not codes:
                raise DefinitionError("{where}: a definition needs at least one code under 'codes'", where=where)
            warnings: list[Overlap] = []
            source = _optional_text(data.get("source"), where, "source")
        else:
            if "codes" in data:
                raise DefinitionError(
                    "{where}: a definition that extends another lists 'add' and 'remove', not 'codes'", where=where
                )
            parent = self._resolve(parent_id, (*chain, def_id), path.parent)
            if named is None:
                sbi = self.classification(parent.classification)
            elif parent.classification != sbi.name:
                raise DefinitionError(
                    (
                        "{where}: a definition of {label} codes cannot extend {id}, a definition of {label2} codes "
                        "('lsh definitions translate' carries one across)"
                    ),
                    where=where,
                    label=sbi.label,
                    id=parent.id,
                    label2=label(parent.classification),
                )
            codes = list(parent.codes)
            for removed in _code_list(data.get("remove"), "remove", where, sbi):
                codes = _remove(codes, removed, where, sbi)
            for added in _code_list(data.get("add"), "add", where, sbi):
                if any(c.code == added.code for c in codes):
                    raise DefinitionError(
                        "{where}: cannot add {code}: {id} already holds it", where=where, code=added.code, id=parent.id
                    )
                codes.append(added)
            if not codes:
                raise DefinitionError("{where}: removing these codes leaves the definition empty", where=where)
            warnings = list(parent.warnings)
            source = _optional_text(data.get("source"), where, "source") or (
                f"{parent.id} ({parent.source or 'source not stated'}), changed"
            )
        warnings += [w for w in overlap_warnings(def_id, codes, sbi) if w not in warnings]
        return Definition(
            id=def_id,
            title=title,
            title_en=titles["title_en"],
            title_nl=titles["title_nl"],
            source=source,
            codes=tuple(sorted(codes, key=lambda c: (c.code.isalpha(), c.code))),
            notes=notes,
            extends=parent_id,
            origin=str(path),
            warnings=tuple(warnings),
            classification=sbi.name,
            translated_from=translated_from,
        )


def validate_file(path: Path, library: DefinitionLibrary) -> Definition:
    """Load one definition file with every check; its 'extends' resolves against the library."""
    return library.get(str(path.resolve()))


def to_yaml(definition: Definition) -> str:
    """A definition as the YAML file lsh reads back: the same id, title, source, classification, codes and notes."""
    import yaml

    data: dict[str, Any] = {"id": definition.id, "title": definition.title}
    for key in ("title_en", "title_nl"):
        if getattr(definition, key):
            data[key] = getattr(definition, key)
    if definition.source:
        data["source"] = definition.source
    if definition.classification != DEFAULT:
        data["classification"] = definition.classification
    if definition.translated_from:
        data["translated_from"] = definition.translated_from
    codes = []
    for c in definition.codes:
        entry: dict[str, str] = {"code": c.code}
        if c.group:
            entry["group"] = c.group
        if c.group_en:
            entry["group_en"] = c.group_en
        if c.group_nl:
            entry["group_nl"] = c.group_nl
        if c.note:
            entry["note"] = c.note
        codes.append(entry)
    data["codes"] = codes
    if definition.notes:
        data["notes"] = list(definition.notes)
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
