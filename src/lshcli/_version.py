"""The version of lsh, in one place: the package, the User-Agent and the reports read it here."""

__version__ = "0.1.0"
