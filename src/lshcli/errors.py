"""The exceptions of lsh's core; the command line turns each into one sentence and its exit code."""

from __future__ import annotations

from collections.abc import Callable

from msgspec import Struct

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_NETWORK = 0, 1, 2, 3


class Remedy(Struct, frozen=True):
    """What would fetch the figures an error or a note lacks, as data: the command line words it as a command.

    `definitions` and `codes` name what to fetch; `measure` names the table; `year` limits the fetch.
    """

    definitions: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    measure: str | None = None
    year: int | None = None
    classification: str | None = None
    """The classification of `codes`, where it is not the default (SBI 2008)."""


class Msg(str):
    """A field of an error that is itself a message lsh says (a measure's label), told in the user's language."""


class LshError(Exception):
    """Base of every error lsh reports to its user; `exit_code` is what the command line exits with.

    The message is an English template with named fields (`"{path} is not a file", path=path`): `str()` fills
    them in, and the command line looks the template up in the user's language first (`told`). `remedy`, when
    given, is what would fetch the missing figures; the command line adds it as a hint.
    """

    exit_code = EXIT_ERROR

    def __init__(self, message: str = "", remedy: Remedy | None = None, **fields: object) -> None:
        super().__init__(message.format(**fields) if fields else message)
        self.template = message
        self.fields = fields
        self.remedy = remedy

    def told(self, translate: Callable[..., str]) -> str:
        """The message in a language: `translate` is the language's message lookup (`Language._`). A field that is
        an lsh error or a `Msg` is told in the language too."""
        fields = {
            k: v.told(translate) if isinstance(v, LshError) else translate(v) if isinstance(v, Msg) else v
            for k, v in self.fields.items()
        }
        return translate(self.template, **fields)


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
            super().__init__(
                "{code} is an {elsewhere} code, not an {classification} code",
                code=code or text,
                elsewhere=elsewhere,
                classification=classification,
            )
        elif len(suggestions) > 1:
            super().__init__(
                "{text!r} is not an {classification} code; did you mean {first}? (nearest real codes: {rest})",
                text=text,
                classification=classification,
                first=suggestions[0],
                rest=", ".join(suggestions[1:]),
            )
        elif suggestions:
            super().__init__(
                "{text!r} is not an {classification} code; did you mean {first}?",
                text=text,
                classification=classification,
                first=suggestions[0],
            )
        else:
            super().__init__("{text!r} is not an {classification} code", text=text, classification=classification)
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
