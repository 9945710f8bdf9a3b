"""A definition carried across the classification break: which new codes hold its content, and what cannot be kept.

The translation works on the finest codes. Each finest code of the definition goes to the finest codes the
concordance links it to. A new code whose every old code lies in the definition holds nothing else: it is
taken. A new code that also holds old codes the definition leaves out is *merged* (72.10.0 holds all of
72.11 and 72.19, of which the topsector has two subclasses): taking it widens the definition, leaving it
out loses content. lsh never chooses for the user; the result says which codes are merged and what each
choice does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from lshcli.concordance import Concordance
from lshcli.definitions import Definition, DefinitionCode
from lshcli.errors import EXIT_USAGE, LshError
from lshcli.sbi import Classification, sort_codes


class Merged(str, Enum):
    """What a merged code means in a translation: the wider new code, or nothing."""

    WIDER = "wider"
    LEAVE_OUT = "leave-out"


class ChoiceNeeded(LshError):
    """A translation meets merged codes and no choice was given: lsh will not widen a definition silently."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, merged: tuple[str, ...]) -> None:
        super().__init__(message)
        self.merged = merged


@dataclass(frozen=True)
class NewCode:
    """One finest code of the new classification that holds some of the definition's content."""

    code: str
    sources: tuple[str, ...]
    """The definition's finest codes whose firms (some or all) it holds."""
    outside: tuple[str, ...]
    """Old finest codes outside the definition that it also holds: non-empty means merged."""
    exact: bool
    """It holds exactly one old code, whole (same content, perhaps retitled or renumbered)."""
    kept: bool

    @property
    def merged(self) -> bool:
        return bool(self.outside)


@dataclass(frozen=True)
class Translation:
    """A definition in the other classification, with the account of every code."""

    source: Definition
    target: Classification
    new_codes: tuple[NewCode, ...]
    lost: tuple[str, ...]
    """The definition's finest codes none of whose content the translation keeps."""
    split: tuple[str, ...]
    """The definition's finest codes spread over several new codes."""
    merged_choice: Merged | None
    disputed: tuple[tuple[str, str], ...]
    """Links only another national table makes (old, new), left unused."""
    definition: Definition

    @property
    def exact(self) -> bool:
        """Whether the translation holds the same firms: nothing merged in, nothing lost."""
        return not self.lost and not any(n.merged and n.kept for n in self.new_codes)


def translate(
    definition: Definition, source: Classification, concordance: Concordance, merged: Merged | None = None
) -> Translation:
    """The definition's codes in the other classification of `concordance`; merged codes as `merged` says."""
    _, target = concordance.side(source.name)
    leaves = definition.leaves(source)
    used, disputed = concordance.spread(leaves, source.name)
    reach = {leaf: [x.other for x in links] for leaf, links in used.items()}
    preimage: dict[str, set[str]] = {}
    for leaf, links in used.items():
        for link in links:
            preimage.setdefault(link.other, set()).update({leaf, *link.siblings})
    outside = {new: tuple(sort_codes(olds - leaves)) for new, olds in preimage.items()}
    needing = tuple(sort_codes(new for new, out in outside.items() if out))
    if needing and merged is None:
        raise ChoiceNeeded(
            f"{definition.id}: {', '.join(needing)} in {target.label} also hold codes {definition.id} leaves out; "
            "choose whether a merged code counts whole (wider) or not at all (leave-out)",
            needing,
        )
    new_codes = []
    for new in sort_codes(preimage):
        sources = tuple(sort_codes(preimage[new] & leaves))
        one_to_one = len(preimage[new]) == 1 and all(len(reach[s]) == 1 for s in sources)
        taken = not outside[new] or merged is Merged.WIDER
        new_codes.append(NewCode(new, sources, outside[new], one_to_one, taken))
    kept = {n.code for n in new_codes if n.kept}
    lost = tuple(leaf for leaf in sort_codes(leaves) if not set(reach.get(leaf, [])) & kept)
    split = tuple(leaf for leaf in sort_codes(leaves) if len(reach.get(leaf, [])) > 1)
    written = _written(definition, source, target, frozenset(kept))
    codes = tuple(_entry(code, definition, source, target, new_codes) for code in written)
    if not codes:
        raise LshError(
            "{id}: nothing of it is left in {label} once merged codes are left out",
            id=definition.id,
            label=target.label,
        )
    result = Definition(
        id=f"{definition.id}_{target.name}",
        title=f"{definition.title} ({target.label})",
        title_en=f"{definition.title_en} ({target.label})" if definition.title_en else None,
        title_nl=f"{definition.title_nl} ({target.label})" if definition.title_nl else None,
        source=f"{definition.id} ({definition.source or 'source not stated'}), translated by lsh to {target.label}",
        codes=codes,
        classification=target.name,
        translated_from=definition.id,
    )
    return Translation(definition, target, tuple(new_codes), lost, split, merged, tuple(disputed), result)


def _written(definition: Definition, source: Classification, target: Classification, kept: frozenset[str]) -> list[str]:
    """The kept codes, written as the definition wrote them where the same code holds more than one kept code."""
    preferred = [
        code
        for c in definition.codes
        if (code := c.code) in target and len(target.leaves(code)) > 1 and target.leaves(code) <= kept
    ]
    return target.compress(kept, preferred)


def _entry(
    code: str, definition: Definition, source: Classification, target: Classification, new_codes: list[NewCode]
) -> DefinitionCode:
    """A code of the translation, with the group of the codes it comes from."""
    held = target.leaves(code)
    sources = {s for n in new_codes if n.code in held for s in n.sources}
    held_by = [c for c in definition.codes if c.group and any(source.contains(c.code, s) for s in sources)]

    def joined(names: list[str | None]) -> str | None:
        return " / ".join(dict.fromkeys(n for n in names if n)) or None

    return DefinitionCode(
        code,
        None,
        joined([c.group for c in held_by]),
        joined([c.group_en for c in held_by]),
        joined([c.group_nl for c in held_by]),
    )
