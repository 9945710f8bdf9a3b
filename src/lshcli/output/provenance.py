"""Where figures come from, for people: source labels for cells and charts, and the footnotes under tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lshcli.cover import Coverage
from lshcli.model import Observation

if TYPE_CHECKING:
    from lshcli.output.words import Words


def _words(words: Words | None) -> Words:
    """The language sources are told in: English (machine formats keep it) unless a table's is given."""
    if words is not None:
        return words
    from lshcli.output.words import Words

    return Words()


def source_labels(
    observations: Sequence[Observation], count_cells: bool = False, words: Words | None = None
) -> list[str]:
    """Each source once with its references: 'snapshot F001, F002', 'CBS 81589NED (2020-11-19)', in the language of
    `words` (default English).

    A CBS table's cells are not listed (footnotes and JSON list them); `count_cells` says how many.
    """
    told = _words(words)
    grouped: dict[str, dict[str, None]] = {}  # each reference once, in order
    first: dict[str, Observation] = {}
    for o in observations:
        seen = grouped.setdefault(o.source.label, {})
        first.setdefault(o.source.label, o)
        if o.ref:
            seen.setdefault(o.ref, None)
    labels = []
    for label, held in grouped.items():
        refs = list(held.keys())
        shown = told.source_label(first[label].source)
        if first[label].source.kind in ("cbs", "eurostat"):
            many = count_cells and len(refs) > 1
            labels.append(f"{shown} {told._('({n} cells)', n=len(refs))}" if many else shown)
        else:
            labels.append(f"{shown} {', '.join(refs)}".strip())
    return labels


def cell_sources(coverage: Coverage, words: Words | None = None) -> str:
    """A table cell: 'snapshot F001, F002; CBS 81589NED (2020-11-19) (3 cells)', each source once, in the language
    of `words` (default English)."""
    return "; ".join(source_labels(coverage.resting_on, count_cells=True, words=words))


def footnotes(observations: Sequence[Observation], words: Words | None = None) -> list[str]:
    """'Sources:' and each citation once: the snapshot figures that share a citation by their references
    ('snapshot F020-F029, F060'), a CBS table version with its cells; in the language of `words` (the citations
    stay as they were recorded)."""
    told = _words(words)
    labels: dict[str, str] = {}
    seen: dict[tuple[str, str], str] = {}
    refs: dict[tuple[str, str], dict[str, None]] = {}  # each reference once, in order (a set would lose it)
    for obs in observations:
        text = obs.source.citation + (f" [{obs.basis}]" if obs.basis else "")
        key = (obs.source.label, "" if obs.source.kind in ("cbs", "eurostat") else text)
        if obs.source.label not in labels:
            labels[obs.source.label] = told.source_label(obs.source)
        seen.setdefault(key, text)
        held_refs = refs.setdefault(key, {})
        if obs.ref:
            held_refs.setdefault(obs.ref, None)
    lines = []
    for key, text in seen.items():
        label, held = labels[key[0]], list(refs.get(key, {}))
        if key[1]:  # a snapshot or another source whose references are figures, not cells
            lines.append(f"{label} {_runs(held)}: {text}" if held else f"{label}: {text}")
        else:
            lines.append(f"{label}: {text}{_cells(held, told)}")
    return [told._("Sources:")] + [f"  {line}" for line in lines] if lines else []


_NUMBERED = re.compile(r"([A-Za-z]*)(\d+)")


def _runs(refs: Sequence[str]) -> str:
    """'F020-F029, F060': references in order, a run of consecutive numbers with one prefix as a range."""

    def split(ref: str) -> tuple[str, int, int] | None:
        found = _NUMBERED.fullmatch(ref)
        return (found.group(1), int(found.group(2)), len(found.group(2))) if found else None

    parsed = [split(r) for r in refs]
    if any(p is None for p in parsed):
        return ", ".join(refs)
    ordered = sorted((p for p in parsed if p is not None), key=lambda p: (p[0], p[1]))
    runs: list[list[tuple[str, int, int]]] = []
    for p in ordered:
        if runs and runs[-1][-1][0] == p[0] and runs[-1][-1][1] + 1 == p[1]:
            runs[-1].append(p)
        else:
            runs.append([p])

    def shown(p: tuple[str, int, int]) -> str:
        return f"{p[0]}{p[1]:0{p[2]}d}"

    return ", ".join(", ".join(map(shown, r)) if len(r) < 3 else f"{shown(r[0])}-{shown(r[-1])}" for r in runs)


def _cells(refs: Sequence[str], words: Words, shown: int = 8) -> str:
    """'; cells A, B, C' for a footnote, the first few only when there are many (JSON lists them all)."""
    if not refs:
        return ""
    more = " " + words._("and {n} more (all listed in JSON)", n=len(refs) - shown) if len(refs) > shown else ""
    return f"; {words._('cells')} {', '.join(refs[:shown])}{more}"
