"""The store: every document version, its extraction, figures and events, full-text search.

``open_store(path)`` opens (and migrates) the SQLite store at ``path``, else
``$RASD_DB``, else ``./rasd.db``. A PostgreSQL backend will implement the same
``Store`` interface.
"""

from __future__ import annotations

import os

from .base import EventHit, FigureHit, Filters, SearchHit, Store, StoredDocument, version_key
from .sqlite import SQLiteStore


def resolve_path(path: str | os.PathLike[str] | None = None) -> str:
    """``path`` when given, else ``$RASD_DB``, else ``rasd.db`` in the working directory."""
    if path:
        return os.fspath(path)
    from .. import settings

    return str(settings.get("db") or "rasd.db")


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """Open the store (creating and migrating it when needed)."""
    return SQLiteStore(resolve_path(path))


__all__ = [
    "EventHit",
    "FigureHit",
    "Filters",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoredDocument",
    "open_store",
    "resolve_path",
    "version_key",
]
