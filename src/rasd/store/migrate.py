"""Numbered schema migrations for the SQLite store.

Every ``store/migrations/NNN_name.sql`` is applied once, in number order, each
in its own ``BEGIN IMMEDIATE`` transaction together with its row in the
``migrations`` table, so a migration is either wholly applied and recorded or
not at all. Parts of rasd that need tables add the next number
(``002_incidents.sql``, ...); the runner picks them up.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from pathlib import Path

from ..errors import StoreError

LOGGER = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_NAME = re.compile(r"^(\d+)_[\w.-]+\.sql$")


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[Path]:
    """The migration files in number order; two files with one number are an error."""
    found: dict[int, Path] = {}
    for path in directory.iterdir():
        m = _NAME.match(path.name)
        if not m:
            continue
        number = int(m.group(1))
        if number in found:
            raise StoreError(f"two migrations numbered {number}: {found[number].name} and {path.name}")
        found[number] = path
    return [found[n] for n in sorted(found)]


def split_statements(sql: str) -> list[str]:
    """Split a script into complete statements (trigger bodies stay whole)."""
    statements: list[str] = []
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if _has_code(buf):
                statements.append(buf.strip())
            buf = ""
    if _has_code(buf):
        raise StoreError(f"incomplete SQL statement at the end of a migration: {buf.strip()[:60]!r}")
    return statements


def _has_code(chunk: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in chunk.splitlines())


def applied(conn: sqlite3.Connection) -> set[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return {row[0] for row in conn.execute("SELECT name FROM migrations")}


def apply_migrations(conn: sqlite3.Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the migrations not yet recorded; return the names applied now.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    """
    done: list[str] = []
    for path in migration_files(directory):
        name = path.stem
        conn.execute("BEGIN IMMEDIATE")
        try:
            if name in applied(conn):  # checked under the write lock: another process may have won
                conn.execute("COMMIT")
                continue
            for statement in split_statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
            now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (name, now))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"migration {path.name} failed: {exc}") from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        LOGGER.info("applied migration %s", name)
        done.append(name)
    return done
