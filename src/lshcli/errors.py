"""The exceptions of lsh's core; the command line turns each into one sentence and its exit code."""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NETWORK = 0, 1, 2, 3


@dataclass(frozen=True)
class Remedy:
    """What would fetch the figures an error or a note lacks, as data: the command line words it as a command.

    `definitions` and `codes` name what to fetch; `measure` names the table; `year` limits the fetch.
    """

    definitions: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    measure: str | None = None
    year: int | None = None
    classification: str | None = None
    """The classification of `codes`, where it is not the default (SBI 2008)."""


class LshError(Exception):
    """Base of every error lsh reports to its user; `exit_code` is what the command line exits with.

    `remedy`, when given, is what would fetch the missing figures; the command line adds it as a hint.
    """

    exit_code = EXIT_ERROR

    def __init__(self, message: str = "", remedy: Remedy | None = None) -> None:
        super().__init__(message)
        self.remedy = remedy


class ConfigError(LshError):
    """A setting that cannot be used: a bad number or URL in an option or environment variable."""

    exit_code = EXIT_USAGE


class UnknownCodeError(LshError):
    """A code that does not exist in the classification it is read in; `elsewhere` names one that has it."""

    def __init__(
        self,
        text: str,
        suggestions: list[str],
        classification: str = "SBI 2008",
        elsewhere: str | None = None,
        code: str | None = None,
    ) -> None:
        if elsewhere:
            message = f"{code or text} is an {elsewhere} code, not an {classification} code"
        else:
            hint = ""
            if suggestions:
                first, rest = suggestions[0], suggestions[1:]
                hint = f"; did you mean {first}?" + (f" (nearest real codes: {', '.join(rest)})" if rest else "")
            message = f"{text!r} is not an {classification} code{hint}"
        super().__init__(message)
        self.text = text
        self.suggestions = suggestions
        self.classification = classification
        self.elsewhere = elsewhere


class ClassificationError(LshError):
    """Codes or figures of one classification asked to answer for another (SBI 2008 against SBI 2025)."""


class UnknownMeasureError(LshError):
    """A measure name lsh does not know."""


class DefinitionError(LshError):
    """A sector definition that cannot be loaded: broken YAML, bad schema, unknown codes, loops."""


class UnknownDefinitionError(DefinitionError):
    """A definition id that no definition file provides."""


class StoreError(LshError):
    """The local store cannot be read or written."""


class NotAvailableError(LshError):
    """A question the stored figures cannot answer (no year in common, no data at all)."""


class TableSpecError(LshError):
    """A CBS table spec that cannot be read, or a live table that does not match its spec."""


class FetchError(LshError):
    """CBS could not be reached or answered badly; the store is left as it was."""

    exit_code = EXIT_NETWORK


class OfflineError(FetchError):
    """Network access is switched off (--offline or LSH_OFFLINE) and a command needs it."""
