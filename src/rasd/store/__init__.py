"""The store: every document version, its extraction, figures and events, full-text search.

``open_store(path)`` opens (and migrates) the store at ``path``, else
``$RASD_DB``, else ``./rasd.db``: a SQLite file, or a PostgreSQL database when
it is a ``postgresql://`` URL (``postgres.PostgresStore``, same interface).
"""

from __future__ import annotations

import os

from .base import DuplicateDocumentError, EventHit, FigureHit, Filters, SearchHit, Store, StoredDocument, version_key
from .sqlite import SQLiteStore


def resolve_path(path: str | os.PathLike[str] | None = None) -> str:
    """``path`` when given, else ``$RASD_DB``, else ``rasd.db`` in the working directory."""
    if path:
        return os.fspath(path)
    from .. import settings

    return str(settings.get("db") or "rasd.db")


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """Open the store (creating and migrating it when needed): SQLite, or PostgreSQL for a URL."""
    where = resolve_path(path)
    if is_url(where):
        from .postgres import PostgresStore

        return PostgresStore(where)
    return SQLiteStore(where)


def is_url(path: str | None) -> bool:
    """Whether ``--db`` names a PostgreSQL server (``postgresql://...``) rather than a SQLite file."""
    return bool(path) and str(path).startswith(("postgresql://", "postgres://"))


__all__ = [
    "DuplicateDocumentError",
    "EventHit",
    "FigureHit",
    "Filters",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoredDocument",
    "is_url",
    "open_store",
    "resolve_path",
    "version_key",
]
