"""Where figures come from, for people: source labels for cells and charts, and the footnotes under tables."""

from __future__ import annotations

from collections.abc import Sequence

from lshcli.cover import Coverage
from lshcli.model import Observation


def source_labels(observations: Sequence[Observation], count_cells: bool = False) -> list[str]:
    """Each source once with its references: 'snapshot F001, F002', 'CBS 81589NED (2020-11-19)'.

    A CBS table's cells are not listed (footnotes and JSON list them); `count_cells` says how many.
    """
    grouped: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for o in observations:
        refs = grouped.setdefault(o.source.label, [])
        kinds[o.source.label] = o.source.kind
        if o.ref and o.ref not in refs:
            refs.append(o.ref)
    labels = []
    for label, refs in grouped.items():
        if kinds[label] == "cbs":
            labels.append(f"{label} ({len(refs)} cells)" if count_cells and len(refs) > 1 else label)
        else:
            labels.append(f"{label} {', '.join(refs)}".strip())
    return labels


def cell_sources(coverage: Coverage) -> str:
    """A table cell: 'snapshot F001, F002; CBS 81589NED (2020-11-19) (3 cells)', each source once."""
    return "; ".join(source_labels(coverage.resting_on, count_cells=True))


def footnotes(observations: Sequence[Observation]) -> list[str]:
    """'Sources:' and each citation once: a snapshot figure by its reference, a CBS table version with its cells."""
    seen: dict[str, str] = {}
    cells: dict[str, list[str]] = {}
    for obs in observations:
        label = obs.source.label if obs.source.kind == "cbs" else obs.cited
        if label not in seen:
            seen[label] = f"{label}: {obs.source.citation}" + (f" [{obs.basis}]" if obs.basis else "")
        if obs.source.kind == "cbs" and obs.ref and obs.ref not in cells.setdefault(label, []):
            cells[label].append(obs.ref)
    lines = [seen[label] + _cells(cells.get(label, [])) for label in seen]
    return ["Sources:"] + [f"  {text}" for text in lines] if lines else []


def _cells(refs: Sequence[str], shown: int = 8) -> str:
    """'; cells A, B, C' for a footnote, the first few only when there are many (JSON lists them all)."""
    if not refs:
        return ""
    more = f" and {len(refs) - shown} more (all listed in JSON)" if len(refs) > shown else ""
    return f"; cells {', '.join(refs[:shown])}{more}"
