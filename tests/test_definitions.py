"""Definitions: the bundled three, extend/add/remove, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lshcli.definitions import DefinitionLibrary, search_dirs
from lshcli.errors import DefinitionError, UnknownDefinitionError
from lshcli.sbi import load


def library(*dirs: Path) -> DefinitionLibrary:
    return DefinitionLibrary(load(), search_dirs(list(dirs)))


def test_bundled_definitions_load_with_their_codes() -> None:
    lib = library()
    assert {"topsector", "pwc2017", "pwc2019"} <= set(lib.ids())
    top = lib.get("topsector")
    assert top.code_list == ["21.10", "21.20", "26.60", "32.50", "72.11.2", "72.19.3"]
    assert top.source and "Monitor Topsectoren" in top.source
    assert top.code("72.19.3").note  # type: ignore[union-attr]
    assert lib.get("pwc2017").code_list == ["21.10", "21.20", "46.46", "72.11.2"]
    assert lib.get("pwc2019").leaves(load()) == frozenset({"21.10", "21.20"})
    assert all(not d.warnings for d in lib.all())


def test_a_user_definition_extends_in_four_lines(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition(
        "wide", "id: wide\ntitle: Topsector plus medical wholesale\nextends: topsector\nadd: ['46.46']\n"
    )
    found = library(path.parent).get("wide")
    assert found.code_list == ["21.10", "21.20", "26.60", "32.50", "46.46", "72.11.2", "72.19.3"]
    assert found.extends == "topsector"
    assert "topsector" in (found.source or "")


def test_remove_splits_a_parent_into_what_is_left(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("nopharma", "title: x\nextends: pwc2017\nremove: ['46.46.1', '72.11.2']\n")
    found = library(path.parent).get(str(path))
    assert found.code_list == ["21.10", "21.20", "46.46.2"]


def test_parent_beside_child_warns_and_counts_once(write_definition) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("overlap", "title: x\ncodes: ['46.46', '46.46.1', '46462', '21']\n")
    found = library().get(str(path))
    assert found.leaves(load()) == frozenset({"46.46.1", "46.46.2", "21.10", "21.20"})
    assert any((w.inner, w.outer) == ("46.46.1", "46.46") for w in found.warnings)
    assert len(found.warnings) == 2


def test_user_folder_from_environment(write_definition, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("mine", "title: Mine\ncodes: ['21']\n")
    monkeypatch.setenv("LSH_DEFINITIONS", str(path.parent))
    assert DefinitionLibrary(load()).get("mine").code_list == ["21"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: x\ncodes: [21.10\n", "broken YAML at line"),
        ("title: x\ncodes: ['21.99']\n", "'21.99' is not an SBI 2008 code"),
        ("title: x\ncodes: ['21.10', '2110']\n", "listed twice"),
        ("title: x\ncodes: [21.10, 2110]\n", "listed twice"),  # unquoted codes are read as written
        ("codes: ['21.10']\n", "needs a 'title'"),
        ("title: x\ncodes: []\n", "at least one code"),
        ("title: x\ncode: ['21']\n", "unknown key 'code'"),
        ("- just a list\n", "must be a YAML mapping"),
        ("title: x\nextends: topsector\nremove: ['46.46']\n", "cannot remove 46.46"),
        ("title: x\nextends: topsector\nadd: ['21.10']\n", "cannot add 21.10"),
        ("title: x\nextends: nowhere\nadd: ['21']\n", "unknown definition 'nowhere'"),
        ("title: x\ncodes: ['21']\nadd: ['26']\n", "go with 'extends'"),
        ("title: x\ncodes: [{code: '21', colour: red}]\n", "unknown key 'colour'"),
        ("title: x\ncodes: [{code: '21', group_en: Pharma}]\n", "but has no 'group'"),
        ("title: x\ncodes: [{code: '21', group: Farma, group_nl: [a]}]\n", "group_nl"),
    ],
)
def test_bad_files_fail_with_one_line(write_definition, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    path = write_definition("bad", text)
    with pytest.raises(DefinitionError) as info:
        library(path.parent).get("bad")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_loop_in_extends_is_an_error(write_definition) -> None:  # type: ignore[no-untyped-def]
    write_definition("one", "title: x\nextends: two\nadd: ['21']\n")
    path = write_definition("two", "title: y\nextends: one\nadd: ['26']\n")
    with pytest.raises(DefinitionError, match="'extends' loops: one -> two -> one"):
        library(path.parent).get("one")


def test_unknown_definition_names_the_known_ones() -> None:
    with pytest.raises(UnknownDefinitionError, match="known definitions: .*topsector"):
        library().get("topsectr")
    with pytest.raises(UnknownDefinitionError, match="no definition file"):
        library().get("missing.yaml")


def test_a_group_is_named_in_the_language_of_the_output() -> None:
    """The bundled definitions write their groups as their sources do (in Dutch), with an English name beside."""
    from tests.conftest import invoke

    english = invoke(["definitions", "show", "topsector"], env={"COLUMNS": "200"}).stdout
    dutch = invoke(["definitions", "show", "topsector", "--lang", "nl"], env={"COLUMNS": "200"}).stdout
    assert "Pharmaceuticals" in english and "Farmacie" not in english
    assert "Farmacie" in dutch and "Pharmaceuticals" not in dutch
    assert "topsector: Life Sciences & Health as drawn by the CBS Monitor Topsectoren" in english
    assert "topsector: Life Sciences & Health zoals afgebakend door de CBS Monitor Topsectoren" in dutch
    counted = invoke(["count", "topsector", "-m", "firms", "--lang", "nl"], env={"COLUMNS": "200"}).stdout
    assert counted.startswith("topsector: Life Sciences & Health zoals afgebakend door de CBS Monitor Topsectoren")
    found = library().get("topsector").code("21.10")
    assert found is not None and (found.group, found.group_in("en"), found.group_in("nl")) == (
        "Farmacie",
        "Pharmaceuticals",
        "Farmacie",
    )


def test_the_compiled_bundled_definitions_say_what_their_yaml_says() -> None:
    """src/lshcli/data/definitions.json is what scripts/build_definitions.py makes of definitions/ now, and each
    bundled definition read from it is the mapping its YAML gives."""
    import importlib.util

    from lshcli import _yaml, definitions

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_definitions", root / "scripts" / "build_definitions.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert (root / "src" / "lshcli" / "data" / "definitions.json").read_text(encoding="utf-8") == script.compiled(), (
        "run python scripts/build_definitions.py"
    )
    bundled = definitions._bundled_dir()
    names = sorted(p.name for p in bundled.glob("*.yaml"))
    assert names and names == sorted(definitions._compiled())
    for name in names:
        assert definitions._read(bundled / name) == _yaml.load_mapping(bundled / name, "definition", DefinitionError)


def test_a_bundled_definition_that_changed_is_read_from_its_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lshcli import definitions

    shipped = definitions._bundled_dir() / "topsector.yaml"
    (tmp_path / "topsector.yaml").write_text(
        shipped.read_text(encoding="utf-8").replace("title: ", "title: Changed ", 1), encoding="utf-8"
    )
    (tmp_path / "pwc2017.yaml").write_bytes((definitions._bundled_dir() / "pwc2017.yaml").read_bytes())
    monkeypatch.setattr(definitions, "_bundled_dir", lambda: tmp_path)
    assert definitions._read(tmp_path / "topsector.yaml")["title"].startswith("Changed ")
    assert definitions._read(tmp_path / "pwc2017.yaml") == definitions._read(shipped.parent / "pwc2017.yaml")


@pytest.mark.slow
def test_the_headline_reads_the_bundled_definitions_without_the_yaml_parser() -> None:
    import subprocess
    import sys

    code = (
        "import sys, contextlib, io; from lshcli.cli import main\n"
        "sys.argv = ['lsh', 'compare', 'topsector', 'pwc2017', '-f', 'csv']\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()): main()\n"
        "print('yaml' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.split()[-1:] == ["False"], done.stderr


def test_a_damaged_compiled_form_falls_back_to_the_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Invented damage to the compiled definitions: an entry of the wrong shape, or JSON that does not parse, is
    passed over, and the bundled file is read from its YAML."""
    from lshcli import _yaml, definitions

    path = definitions._bundled_dir() / "topsector.yaml"
    data = path.read_bytes()
    import zlib

    expected = _yaml.load_mapping(path, "definition", DefinitionError)
    for damaged in ("not a list", [len(data), zlib.crc32(data)], [len(data), zlib.crc32(data), "{broken"]):
        monkeypatch.setattr(definitions, "_compiled", lambda d=damaged: {"topsector.yaml": d})
        assert definitions._read(path) == expected
