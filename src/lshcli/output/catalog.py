"""Documents of what lsh knows: definitions, SBI codes, measures, CBS tables and the store's holdings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lshcli.concordance import Basis
from lshcli.definitions import Definition
from lshcli.measures import MEASURES, Measure
from lshcli.output import data
from lshcli.output.document import Column, Document, Section
from lshcli.output.words import Words
from lshcli.sbi import Classification, SbiEntry

if TYPE_CHECKING:
    from lshcli.cbs.tables import TableSpec
    from lshcli.cbs.watch import TableCheck
    from lshcli.concordance import Link


def definitions_document(
    definitions: Sequence[Definition], words: Words, bundled: Sequence[bool] | None = None
) -> Document:
    """The list of visible definitions, each with where it comes from (bundled with lsh, or its file)."""
    h = words.header
    records = data.definitions_records(definitions, bundled if bundled is not None else [False] * len(definitions))
    by_id = {d.id: d for d in definitions}
    columns: list[Column[data.DefinitionRow]] = [
        Column("id", "id", no_wrap=True),
        Column("title", h("title"), lambda r: by_id[r.id].title_in(words.lang)),
        Column("codes", h("SBI codes")),
        Column("source", h("source"), max_width=50 if bundled is None else 28),
    ]
    if bundled is not None:
        columns.append(Column("origin", h("from"), lambda r: h("bundled") if r.bundled else r.origin, no_wrap=True))
    return Document(
        [Section(h("Definitions"), columns, records)],
        data=[data.definition_summary(d) for d in definitions],
        csv_records=records,
        row_type=data.DefinitionRow,
    )


def definition_document(d: Definition, sbi: Classification, words: Words) -> Document:
    """One definition, code by code, with titles, groups and notes (a definition's own words stay as written)."""
    h = words.header
    by_code = {c.code: c for c in d.codes}
    columns: list[Column[data.CodeRow]] = [
        Column("code", "SBI"),
        Column("level", h("level"), lambda r: words.level(r.level)),
        Column("title", h("title"), lambda r: sbi.entries[r.code].title_in(words.lang)),
        Column("group", h("group"), lambda r: by_code[r.code].group_in(words.lang) or ""),
        Column("note", h("note"), lambda r: r.note or ""),
    ]
    sentences = [
        f"{d.id}: {d.title_in(words.lang)}",
        f"{h('Source')}: {d.source or h('not stated')}",
        f"{h('Classification')}: {sbi.label}",
    ]
    if d.translated_from:
        sentences.append(f"{h('Translated from')}: {d.translated_from}")
    if d.extends:
        sentences.append(f"{h('Extends')}: {d.extends}")
    sentences += [f"{h('Note')}: {n}" for n in d.notes] + [f"{h('Warning')}: {words.overlap(w)}" for w in d.warnings]
    records = data.definition_records(d, sbi)
    return Document(
        [Section(None, columns, records)],
        data=data.definition_summary(d),
        sentences=sentences,
        footnotes=[f"{h('File')}: {d.origin}"],
        csv_records=records,
        row_type=data.CodeRow,
    )


def sbi_document(entries: Sequence[SbiEntry], sbi: Classification, words: Words) -> Document:
    """SBI codes with their titles and place in the hierarchy."""
    h = words.header
    records = [data.sbi_record(e, sbi) for e in entries]
    columns: list[Column[data.SbiRow]] = [
        Column("code", "SBI"),
        Column("level", h("level"), lambda r: words.level(r.level)),
        Column("title", h("title"), lambda r: sbi.entries[r.code].title_in(words.lang), max_width=60),
        Column("parents", h("inside"), lambda r: " < ".join(r.parents)),
        Column("children", h("holds"), lambda r: " ".join(r.children[:12]) + (" ..." if len(r.children) > 12 else "")),
    ]
    return Document([Section(None, columns, records)], data=records, csv_records=records, row_type=data.SbiRow)


def links_document(
    found: Sequence[tuple[str, Sequence[Link]]], sbi: Classification, other: Classification, words: Words
) -> Document:
    """Where codes go across the classification break: one row per link, with its kind, basis and a sentence."""
    h = words.header
    records = [r for code, links in found for r in data.link_records(code, links, sbi, other)]
    columns: list[Column[data.LinkRow]] = [
        Column("code", sbi.label, no_wrap=True),
        Column("to", other.label, no_wrap=True),
        Column("to_title", h("title there"), lambda r: other.entries[r.to].title_in(words.lang), max_width=40),
        Column("kind", h("link"), lambda r: words.link_kind(r.kind), no_wrap=True),
        Column("basis", h("basis"), lambda r: words.basis(Basis(r.basis)), max_width=24),
        Column("also_holds", h("also holds"), lambda r: " ".join(r.also_holds)),
    ]
    sentences = [line for code, links in found for line in words.links(code, links, sbi, other)]
    return Document(
        [Section(f"{sbi.label} -> {other.label}", columns, records)],
        data=records,
        sentences=sentences,
        footnotes=[
            h(
                "Links: the Eurostat NACE Rev. 2 <-> Rev. 2.1 correspondence, with the Dutch subclasses matched by lsh "
                "(no CBS table exists); see lsh's README, 'SBI 2025'."
            )
        ],
        csv_records=records,
        row_type=data.LinkRow,
    )


def measures_document(measures: Sequence[Measure], specs: Sequence[TableSpec], words: Words) -> Document:
    """Every measure with its unit, period convention and the tables that give it."""
    h = words.header
    records = data.measure_records(measures, specs)
    by_name = {m.name: m for m in measures}
    columns: list[Column[data.MeasureRow]] = [
        Column("measure", h("measure"), no_wrap=True),
        Column("label", h("label"), lambda r: words.label(by_name[r.measure]), max_width=30),
        Column("unit", h("unit"), lambda r: words.unit(r.unit), no_wrap=True),
        Column("tables", h("CBS tables"), lambda r: r.tables or h("published figures only")),
    ]
    notes = [f"{m.name}: {words.period(m, None)}." for m in measures if m.persons is None]
    notes.append(
        h("firms_size_*: firms on the first day of the quarter by persons employed (CBS 81589NED size classes).")
    )
    return Document(
        [Section(h("Measures"), columns, records)],
        data=records,
        footnotes=notes,
        csv_records=records,
        row_type=data.MeasureRow,
    )


def tables_document(specs: Sequence[TableSpec], words: Words) -> Document:
    """The CBS tables lsh can fetch, with what each gives (their titles are CBS's own, in Dutch)."""
    h = words.header

    def measures_shown(row: data.TableRow) -> str:
        """A table's measures for a table cell: the size classes as one item ('firms, by size class')."""
        names = row.measures.split(", ")
        plain = [n for n in names if not n.startswith(("firms_size_", "firms_under_"))]
        return ", ".join(plain + ([h("by size class")] if len(plain) < len(names) else []))

    records = data.table_records(specs)
    by_id = {spec.id: spec for spec in specs}
    periods = {"yearly": h("yearly"), "quarterly": h("quarterly"), "monthly": h("monthly")}
    columns: list[Column[data.TableRow]] = [
        Column("table", h("table"), no_wrap=True),
        Column("title", h("title"), max_width=30),
        Column("measures", h("measures"), measures_shown),
        Column(
            "sbi_depth", h("SBI, to"), lambda r: f"{r.classification[3:]}, {words.level(r.sbi_depth)}", no_wrap=True
        ),
        Column("periods", h("periods"), lambda r: periods.get(r.periods, r.periods), no_wrap=True),
        Column("period_basis", h("basis"), lambda r: by_id[r.table].period_basis_in(words.lang), max_width=30),
    ]
    return Document(
        [Section(h("CBS tables lsh can fetch"), columns, records)],
        data=records,
        csv_records=records,
        row_type=data.TableRow,
    )


def table_check_document(checks: Sequence[TableCheck], words: Words) -> Document:
    """What CBS says of each table now, against its spec and the store, with a sentence for each finding."""
    h = words.header
    records = data.table_check_records(checks, words)
    statuses = {"regular": h("regular"), "discontinued": h("discontinued"), "withdrawn": h("withdrawn")}

    def status(row: data.TableCheckRow) -> str:
        if not row.in_catalog:
            return h("not in the catalog")
        return statuses.get(row.status or "", h("unknown"))

    def verdict(row: data.TableCheckRow) -> str:
        return h("needs attention") if row.breaks else h("fits")

    columns: list[Column[data.TableCheckRow]] = [
        Column("table", h("table"), no_wrap=True),
        Column("status", h("status"), status),
        Column("successors", h("successor"), lambda r: ", ".join(r.successors)),
        Column("version", h("version"), lambda r: (r.version or "")[:10], no_wrap=True),
        Column("new_periods", h("new periods"), lambda r: ", ".join(r.new_periods)),
        Column("breaks", h("spec"), verdict),
    ]
    return Document(
        [Section(h("CBS tables as CBS describes them now"), columns, records)],
        data=records,
        sentences=[said for c in checks for said in words.table_check(c)],
        csv_records=records,
        row_type=data.TableCheckRow,
    )


def store_document(path: str, holdings: Sequence[dict[str, Any]], words: Words) -> Document:
    """What the store holds, per source, table and measure."""
    h = words.header
    records = data.store_records(holdings)
    columns: list[Column[data.StoreRow]] = [
        Column("source", h("source"), lambda r: words.p_("source", "snapshot") if r.source == "snapshot" else r.source),
        Column("cbs_table", h("table"), lambda r: r.cbs_table or "-"),
        Column(
            "classification", "SBI", lambda r: r.classification[3:] if r.source != "eurostat" else "NACE", no_wrap=True
        ),
        Column("measure", h("measure"), lambda r: words.measure(r.measure) if r.measure in MEASURES else r.measure),
        Column("rows", h("rows"), lambda r: words.number(r.rows), numeric=True),
        Column("codes", h("codes"), lambda r: words.number(r.codes), numeric=True),
        Column("first_period", h("from")),
        Column("last_period", h("to")),
        Column("empty_cells", h("empty"), lambda r: words.number(r.empty_cells), numeric=True),
        Column("table_versions", h("version"), lambda r: ", ".join(v[:10] for v in r.table_versions) or "-"),
        Column("retrieved_at", h("retrieved"), lambda r: (r.retrieved_at or "-")[:19]),
    ]
    return Document(
        [Section(h("Store {path}").format(path=path), columns, records)],
        data={"path": path, "holdings": records},
        csv_records=records,
        row_type=data.StoreRow,
    )
