"""lsh's languages: one gettext catalogue per language, and how each language writes its numbers.

English is the source: every message is written in English where it is made, with named fields
(`lang._("In {year}, {definition} counts {value} {unit}.", year=..., ...)`). Another language is one
catalogue, `locale/<code>/LC_MESSAGES/lsh.po`, compiled to `lsh.mo` beside it; lsh finds it there, so a
third language needs no code. How a language writes numbers is in its catalogue too: the messages "." and
"," in the context "number" are its decimal mark and its thousands separator.

`scripts/catalogues.py` extracts the messages into `locale/lsh.pot`, merges them into each catalogue,
compiles them, and writes the pseudo-language `qps` that the tests use to find untranslated text.
"""

from __future__ import annotations

import gettext
import math
from functools import cache
from pathlib import Path

from lshcli.model import format_number

DOMAIN = "lsh"
LOCALE = Path(__file__).parent / "locale"
SOURCE = "en"


def languages() -> list[str]:
    """The languages lsh speaks: English and every compiled catalogue."""
    found = sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return [SOURCE, *[code for code in found if code != SOURCE]]


class Language:
    """One language: its messages (`_`, `n_`, `p_`) and how it writes numbers (`number`, `percent`)."""

    def __init__(self, code: str, translations: gettext.NullTranslations) -> None:
        self.code = code
        self.translations = translations
        self.decimal = translations.pgettext("number", ".")
        self.group = translations.pgettext("number", ",")

    def _(self, message: str, /, **fields: object) -> str:
        """A message in this language, its named fields filled in (fields are formatted by the caller). The empty
        message is itself (gettext would give the catalogue's header)."""
        text = self.translations.gettext(message) if message else message
        return text.format(**fields) if fields else text

    def n_(self, singular: str, plural: str, n: int, /, **fields: object) -> str:
        """A message whose words depend on a count `n` (`{n}` is filled in too)."""
        return self.translations.ngettext(singular, plural, n).format(n=n, **fields)

    def p_(self, context: str, message: str, /, **fields: object) -> str:
        """A message that reads differently in `context` (a short English word from the same message elsewhere)."""
        text = self.translations.pgettext(context, message)
        return text.format(**fields) if fields else text

    def digits(self, english: str) -> str:
        """A number written the English way ('1,234.5'), as this language writes it ('1.234,5')."""
        if (self.decimal, self.group) == (".", ","):
            return english
        return "".join(self.decimal if c == "." else self.group if c == "," else c for c in english)

    def number(self, x: float, signed: bool = False) -> str:
        """'2,090', '12.9', '13.26'; '+150' when `signed` and positive."""
        text = format_number(x)
        return self.digits(f"+{text}" if signed and x > 0 else text)

    def formatted(self, x: float, spec: str) -> str:
        """`x` in a format spec ('.1f', '+.1f', '.4g', ',.1f'), as this language writes it."""
        return self.digits(format(x, spec))

    def percent(self, x: float, spec: str = ".1f") -> str:
        """'9.3%', '+67.3%': a percentage in a format spec."""
        return self._("{number}%", number=self.formatted(x, spec))

    def significant(self, x: float, digits: int = 2) -> str:
        """`x` with `digits` significant digits, however small (0.010682 -> '0.011', 1234.5 -> '1,234')."""
        if x == 0:
            return "0"
        return self.formatted(x, f",.{max(0, digits - 1 - math.floor(math.log10(abs(x))))}f")

    def listed(self, items: list[str] | tuple[str, ...]) -> str:
        """'a, b and c'."""
        if len(items) < 2:
            return "".join(items)
        return self._("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])

    def either(self, items: list[str] | tuple[str, ...]) -> str:
        """'a or b'."""
        if len(items) < 2:
            return "".join(items)
        return self._("{items} or {last}", items=", ".join(items[:-1]), last=items[-1])


@cache
def language(code: str) -> Language:
    """A language by its code ('en', 'nl'); a ValueError names the ones lsh has."""
    code = code.strip().lower()
    if code == SOURCE:
        return Language(code, gettext.NullTranslations())
    if code not in languages():
        raise ValueError(code)
    with (LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fp:
        return Language(code, gettext.GNUTranslations(fp))
