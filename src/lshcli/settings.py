"""Numbers from an option or an environment variable, checked once for every setting (a bad one is a usage error)."""

from __future__ import annotations

import math
import os
import re

from lshcli.errors import ConfigError

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def plain_float(text: str) -> float:
    """A number as people write it in a setting or a CSV cell ('30', '0.5', '1e3'); Python's other spellings
    ('1_000', 'inf', 'nan', digits of other scripts) are a ValueError, not a number lsh reads otherwise than they do."""
    stripped = text.strip()
    if not _DECIMAL.fullmatch(stripped) or not stripped.isascii():
        raise ValueError(f"not a plain number: {text!r}")
    return float(stripped)


def number(
    given: float | None,
    option: str,
    env: str,
    default: float,
    what: str,
    *,
    zero_ok: bool = False,
    most: float = 86_400.0,
) -> float:
    """`given` (an option's value), else $`env`, else `default`: finite, above zero (or at least zero), and at most
    `most` (a day of seconds unless said otherwise: a setting beyond any use is a typing error, and would overflow
    the clock)."""
    if given is None:
        text = os.environ.get(env, "").strip()
        if not text:
            return float(default)
        where, shown = f"${env}", text
        try:
            value = plain_float(text)
        except ValueError:
            raise ConfigError("{where} must be {what}, not {shown!r}", where=where, what=what, shown=shown) from None
    else:
        where, shown, value = option, str(given), float(given)
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero_ok):
        raise ConfigError("{where} must be {what}, not {shown}", where=where, what=what, shown=shown)
    if value > most:
        raise ConfigError(
            "{where} must be {what} of at most {most:,g}, not {shown}", where=where, what=what, most=most, shown=shown
        )
    return value
