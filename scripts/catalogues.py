"""lsh's message catalogues: extract the messages, merge them into each language, compile, and make the pseudo-language.

    python scripts/catalogues.py          # extract, merge into every locale/*/LC_MESSAGES/lsh.po, compile each .mo
    python scripts/catalogues.py --check  # exit 1 if a catalogue or a compiled file is not up to date

A message is the English text of a call `_("...")`, `n_("...", "...", n)`, `p_("context", "...")`, `header("...")`,
`h("...")` (the output modules' short name for `header`) or `SomeError("...")` (an error's template) with a literal
first argument, anywhere in `src/lshcli`; and
the words lsh keeps as data (measure labels, units, period conventions, size groups: `data_messages`). Babel reads and
writes the catalogues here, at development time only: lsh itself reads the compiled `.mo` files with the standard
library's gettext. The pseudo-language `qps` (every letter accented, every message in brackets) is written to
`locale/qps` for the tests that look for untranslated text; it is not shipped.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "lshcli"
LOCALE = SRC / "locale"
TEMPLATE = LOCALE / "lsh.pot"
PSEUDO = "qps"
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
SINGLE = {"_", "header", "h"}
DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
"""The date every catalogue states, so that writing one twice gives the same bytes."""
HEADER = """\
# lsh's messages. Each msgstr is a whole sentence or label in the catalogue's language; keep every {field} of the
# msgid. Run `python scripts/catalogues.py` after editing: it merges new messages in and compiles lsh.mo.
#"""
Message = tuple[str | tuple[str, str], str | None]
"""A message id (a plural's is its two forms) and its context."""


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def code_messages(root: Path = SRC) -> Iterator[tuple[Message, str]]:
    """Every message written in lsh's code, with where it is ('lshcli/output/words.py:120')."""
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = path.relative_to(root.parent).as_posix()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            args = [_literal(a) for a in node.args]
            place = f"{where}:{node.lineno}"
            error = name.endswith("Error") or (name == "__init__" and path.name == "errors.py")
            if (name in SINGLE or error) and args[0] is not None:
                yield (args[0], None), place
            elif name == "n_" and len(args) >= 2 and args[0] is not None and args[1] is not None:
                yield ((args[0], args[1]), None), place
            elif name == "p_" and len(args) >= 2 and args[0] is not None and args[1] is not None:
                yield (args[1], args[0]), place


def data_messages() -> Iterator[tuple[Message, str]]:
    """The words lsh keeps as data and shows to its users."""
    sys.path.insert(0, str(ROOT / "src"))
    from lshcli.cbs.odata import STATUS
    from lshcli.estimate import METHODS
    from lshcli.measures import MEASURES, SIZE_CLASSES, size_label
    from lshcli.reconcile import STATISTICS
    from lshcli.sizes import GROUPS

    yield (".", "number"), "lshcli/language.py (the decimal mark)"
    yield (",", "number"), "lshcli/language.py (the thousands separator)"
    for m in MEASURES.values():
        yield (m.label, None), f"lshcli/measures.py ({m.name})"
        yield (m.unit, None), f"lshcli/measures.py ({m.name})"
        yield (m.convention, None), f"lshcli/measures.py ({m.name})"
        yield (m.name, "measure"), f"lshcli/measures.py ({m.name}: as a table names it)"
        yield (m.label, "counted"), f"lshcli/measures.py ({m.name}: what a year has complete counts of)"
    for low, high in SIZE_CLASSES:
        yield (size_label(low, high), None), "lshcli/measures.py (SIZE_CLASSES)"
    yield ("all firms", None), "lshcli/output/data.py (the total of the size classes)"
    for status in STATUS.values():
        yield (status, None), "lshcli/cbs/odata.py (STATUS)"
    for name, statistic in STATISTICS.items():
        yield (statistic.differs, None), f"lshcli/reconcile.py ({name})"
    for method in METHODS.values():
        yield (method, None), "lshcli/estimate.py (METHODS)"
    for label, *_ in GROUPS:
        yield (label, None), "lshcli/sizes.py (GROUPS)"
    from lshcli.eurostat import DATASETS

    for spec in DATASETS.values():
        for indicator in spec.indicators:
            yield (indicator.unit, None), f"lshcli/eurostat.py ({spec.id} {indicator.code})"
            yield (indicator.label, None), f"lshcli/eurostat.py ({spec.id} {indicator.code})"
            yield (indicator.convention, None), f"lshcli/eurostat.py ({spec.id} {indicator.code})"
            yield (f"eurostat_{indicator.name}", "measure"), f"lshcli/eurostat.py ({spec.id} {indicator.code})"
    yield from help_messages()


def help_messages() -> Iterator[tuple[Message, str]]:
    """The help of every command and option, exactly as the command line holds it."""
    import typer.main

    from lshcli.cli import app
    from lshcli.session import help_texts

    for holder, attr in help_texts(typer.main.get_command(app)):
        name = getattr(holder, "name", "") or ""
        yield (getattr(holder, attr), None), f"lshcli/cli.py (--help of {name})"


def template() -> Catalog:
    """The catalogue of every message, without translations."""
    catalog = Catalog(project="lsh", fuzzy=False, creation_date=DATE, revision_date=DATE)
    for (message, context), place in [*code_messages(), *data_messages()]:
        path, _, line = place.partition(":")
        catalog.add(message, locations=[(path, int(line) if line.isdigit() else 0)], context=context)
    return catalog


def _po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    catalog.header_comment = HEADER
    catalog.project, catalog.version = "lsh", ""
    catalog.msgid_bugs_address = catalog.last_translator = catalog.language_team = ""
    write_po(out, catalog, width=120, sort_output=False, ignore_obsolete=True, include_lineno=False)
    return out.getvalue()


def _mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def merged(code: str, source: Catalog) -> Catalog:
    """A language's catalogue brought up to date with `source`: translations kept, new messages untranslated, ones
    no longer used dropped."""
    path = LOCALE / code / "LC_MESSAGES" / "lsh.po"
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=None, domain="lsh")
    catalog.update(source, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = catalog.revision_date = DATE
    return catalog


def pseudo(text: str) -> str:
    """Text in the pseudo-language: letters accented outside `{fields}`, the whole in brackets."""
    accents = str.maketrans("aeiouyAEIOUYcnsCNS", "áéíóúýÁÉÍÓÚÝçñšÇÑŠ")
    out, depth = [], 0
    for char in text:
        depth += char == "{"
        out.append(char if depth else char.translate(accents))
        depth -= char == "}"
    return "⟦" + "".join(out) + "⟧"


def pseudo_catalog(source: Catalog) -> Catalog:
    """Every message of `source` in the pseudo-language (numbers keep English separators)."""
    catalog = Catalog(locale=None, project="lsh", fuzzy=False, creation_date=DATE, revision_date=DATE)
    catalog._set_mime_headers([("Plural-Forms", PLURAL_FORMS)])
    for m in source:
        if not m.id:
            continue
        if m.context == "number":
            catalog.add(m.id, m.id, context=m.context)
        elif isinstance(m.id, tuple):
            catalog.add(m.id, tuple(pseudo(x) for x in m.id), context=m.context)
        else:
            catalog.add(m.id, pseudo(str(m.id)), context=m.context)
    return catalog


def files() -> dict[Path, bytes]:
    """Every file this script writes, with the bytes it should hold."""
    source = template()
    out = {TEMPLATE: _po(source)}
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/lsh.po")):
        code = po.parent.parent.name
        if code == PSEUDO:
            continue
        catalog = merged(code, source)
        out[po] = _po(catalog)
        out[po.with_suffix(".mo")] = _mo(catalog)
    qps = pseudo_catalog(source)
    base = LOCALE / PSEUDO / "LC_MESSAGES" / "lsh"
    out[base.with_suffix(".po")] = _po(qps)
    out[base.with_suffix(".mo")] = _mo(qps)
    return out


def untranslated(code: str) -> list[str]:
    """The messages a language's catalogue leaves untranslated."""
    with (LOCALE / code / "LC_MESSAGES" / "lsh.po").open("rb") as fp:
        catalog = read_po(fp)
    return [str(m.id) for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that every file is up to date")
    args = parser.parse_args(argv)
    stale = []
    for made in (files, help_texts):  # the help after the compiled catalogues: the Dutch help is made from them
        for path, data in made().items():
            if path.exists() and path.read_bytes() == data:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'} {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


HELP = ROOT / "src" / "lshcli" / "data" / "help"
"""Where `lsh --help` is kept in each language (lshcli/entry.py prints it without starting the command line)."""


def help_texts() -> dict[Path, bytes]:
    """The top-level help as the command line prints it on a wide terminal, in each language lsh speaks."""
    import subprocess

    found = {}
    for lang in ("en", "nl"):
        env = {**os.environ, "COLUMNS": "100", "LSH_LANG": lang, "PYTHONPATH": str(ROOT / "src")}
        env.pop("NO_COLOR", None)
        script = "import sys; sys.argv = ['lsh', '--help']; from lshcli.cli import main; main()"
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"lsh --help failed in {lang}: {done.stderr.decode(errors='replace')}")
        found[HELP / f"{lang}.txt"] = done.stdout
    return found


if __name__ == "__main__":
    sys.exit(main())
