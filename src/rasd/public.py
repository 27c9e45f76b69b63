"""Public functions whose arguments are checked, so that a bad argument is a ``RasdError``.

``rasd.extract`` is the pipeline's ``extract_text`` with its arguments validated
first: a date that does not exist ("2020-02-30") or a text that is not a string
raises ``rasd.UsageError`` (a ``RasdError``, and a ``ValueError``) naming it.
"""

from __future__ import annotations

import datetime as dt

from .errors import UsageError
from .extract.pipeline import extract_text
from .model import Extraction


def parse_published(published: dt.date | str | None) -> dt.date | None:
    """A publication date from a ``date``, an ISO string (``YYYY-MM-DD``, time ignored) or None."""
    if published is None or isinstance(published, dt.date):
        return published.date() if isinstance(published, dt.datetime) else published
    if not isinstance(published, str):
        raise UsageError(f"published must be a date or 'YYYY-MM-DD', not {type(published).__name__}")
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        raise UsageError(f"published={published!r} is not a date that exists (YYYY-MM-DD)") from None


def extract(
    text: str,
    published: dt.date | str | None = None,
    *,
    title: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    id: str | None = None,
) -> Extraction:
    """Extract one document's figures and events (the record ``rasd extract`` prints).

    Raises ``UsageError`` for an argument it cannot use."""
    if not isinstance(text, str):
        raise UsageError(f"text must be a str, not {type(text).__name__}")
    for name, value in (("title", title), ("publisher", publisher), ("url", url), ("id", id)):
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{name} must be a str or None, not {type(value).__name__}")
    return extract_text(text, parse_published(published), title=title, publisher=publisher, url=url, id=id)
