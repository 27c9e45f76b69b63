"""The store: every document version, its extraction, figures and events, full-text search.

``open_store(path)`` opens (and migrates) the store at ``path``, else
``$RASD_DB``, else ``./rasd.db``: a SQLite file, or a PostgreSQL database when
it is a ``postgresql://`` URL (``postgres.PostgresStore``, same interface).
"""

from __future__ import annotations

import os

from ..errors import StoreError
from .base import DuplicateDocumentError, EventHit, FigureHit, Filters, SearchHit, Store, StoredDocument, version_key
from .sqlite import SQLiteStore


def resolve_path(path: str | os.PathLike[str] | None = None) -> str:
    """``path`` when given, else ``$RASD_DB``, else ``rasd.db`` in the working directory."""
    if path:
        return os.fspath(path)
    from .. import settings

    return str(settings.get("db") or "rasd.db")


def open_store(path: str | os.PathLike[str] | None = None, create: bool = True) -> Store:
    """Open the store (migrating it when needed): SQLite, or PostgreSQL for a ``postgresql://`` URL.
    With ``create=False`` a missing SQLite file is a ``StoreError`` naming the path, and nothing is
    created (what reading commands use)."""
    resolved = resolve_path(path)
    if is_url(resolved):
        from .postgres import PostgresStore

        return PostgresStore(resolved)
    if not create:
        require_existing(resolved)
    return SQLiteStore(resolved)


def is_url(path: str | None) -> bool:
    """Whether ``--db`` names a PostgreSQL server (``postgresql://...``) rather than a SQLite file."""
    return bool(path) and str(path).startswith(("postgresql://", "postgres://"))


def require_existing(path: str) -> None:
    """Raise ``StoreError`` naming ``path`` when no database file is there (``:memory:`` is fine)."""
    if path == ":memory:" or path.startswith("file:") or is_url(path):
        return
    if not os.path.isfile(path):
        what = "is a folder, not a database" if os.path.isdir(path) else "does not exist"
        raise StoreError(f"database {path} {what}: build one with `rasd ingest FILES --db {path}`")


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
    "require_existing",
    "resolve_path",
    "version_key",
]
