"""The store: every document version, its extraction, figures and events, full-text search.

``open_store(path)`` opens (and migrates) the SQLite store at ``path``, else
``$RASD_DB``, else ``./rasd.db``. A PostgreSQL backend will implement the same
``Store`` interface.
"""

from __future__ import annotations

import os

from ..errors import StoreError

from .base import EventHit, FigureHit, Filters, SearchHit, Store, StoredDocument, version_key
from .sqlite import SQLiteStore


def resolve_path(path: str | os.PathLike[str] | None = None) -> str:
    """``path`` when given, else ``$RASD_DB``, else ``rasd.db`` in the working directory."""
    if path:
        return os.fspath(path)
    from .. import settings

    return str(settings.get("db") or "rasd.db")


def open_store(path: str | os.PathLike[str] | None = None, create: bool = True) -> Store:
    """Open the store (migrating it when needed). With ``create=False`` a missing file is a
    ``StoreError`` naming the path, and nothing is created (what reading commands use)."""
    resolved = resolve_path(path)
    if not create:
        require_existing(resolved)
    return SQLiteStore(resolved)


def require_existing(path: str) -> None:
    """Raise ``StoreError`` naming ``path`` when no database file is there (``:memory:`` is fine)."""
    if path == ":memory:" or path.startswith("file:"):
        return
    if not os.path.isfile(path):
        what = "is a folder, not a database" if os.path.isdir(path) else "does not exist"
        raise StoreError(f"database {path} {what}: build one with `rasd ingest FILES --db {path}`")


__all__ = [
    "EventHit",
    "FigureHit",
    "Filters",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoredDocument",
    "open_store",
    "require_existing",
    "resolve_path",
    "version_key",
]
