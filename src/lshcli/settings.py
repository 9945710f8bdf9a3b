"""Numbers from an option or an environment variable, checked once for every setting (a bad one is a usage error)."""

from __future__ import annotations

import math
import os

from lshcli.errors import ConfigError


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
            value = float(text)
        except ValueError:
            raise ConfigError(f"{where} must be {what}, not {shown!r}") from None
    else:
        where, shown, value = option, str(given), float(given)
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero_ok):
        raise ConfigError(f"{where} must be {what}, not {shown}")
    if value > most:
        raise ConfigError(f"{where} must be {what} of at most {most:,g}, not {shown}")
    return value
