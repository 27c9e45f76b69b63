"""One exception tree. Every message says what went wrong and, where it can, what to do."""

from __future__ import annotations


class RasdError(Exception):
    """Base of every error rasd raises on purpose. The CLI turns it into one line and exit code 1."""


class InputError(RasdError):
    """A document could not be read: names the file (and line) and the reason."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str, int | None]]:
        return (InputError, (self.source, self.reason, self.line))  # pickled whole (Dask workers hand them back)


class ExtractionError(RasdError):
    """A document's extraction failed (its content hit a limit or a bug): the reason, in one line."""


class StoreError(RasdError):
    """The database could not be opened, migrated or written."""


class NotFoundError(RasdError):
    """An id that names nothing in the store."""


class DependencyError(RasdError):
    """A model, package or data file is missing. The message names the fix."""


class GazetteerError(RasdError):
    """The gazetteer could not be built, imported or read."""


class EvalError(RasdError):
    """A gold file is unreadable or of an unknown format."""


class SettingError(RasdError):
    """A setting has an unknown name or a value of the wrong type."""


class UsageError(RasdError, ValueError):
    """An argument a public function cannot use (a date that does not exist, a kind outside the taxonomy).

    Also a ``ValueError``, so callers that caught the bare ``ValueError`` still do."""


class ReviewError(RasdError):
    """A correction that cannot be applied: an unknown target, field or value."""


class FetchError(RasdError):
    """A URL or feed could not be fetched (refused by robots.txt, unreachable, not a page)."""
