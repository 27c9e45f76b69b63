"""The SQLite dialect the store's shared SQL is written in, spoken to PostgreSQL.

link/ and serve/ write their SQL once, for SQLite, through ``Store.query`` /
``Store.execute`` or a read-only connection. The PostgreSQL backend runs that
SQL after ``translate``:

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``, which psycopg reads as ``%``);
- ``LIKE`` becomes ``ILIKE`` (SQLite's LIKE ignores ASCII case, PostgreSQL's does not);
- ``INSERT OR IGNORE INTO ...`` becomes ``INSERT INTO ... ON CONFLICT DO NOTHING``.

Quoted strings, quoted names and comments are left alone. The rest is common
ground (``COALESCE``, ``substr``, ``lower``, ``ON CONFLICT ... DO UPDATE``,
``LIMIT``), and the PostgreSQL migrations add what SQLite has built in and the
shared SQL uses: ``json_extract``, ``json_each``, ``sqlite_master`` and
``pragma_table_info``. Anything else (``INSERT OR REPLACE``, ``PRAGMA``, FTS5
``MATCH``) is refused with a message naming it, never silently changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..errors import StoreError

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|\?|%|\bLIKE\b|\bPRAGMA\b|\bMATCH\b|\bINSERT\s+OR\s+(?:IGNORE|REPLACE)\b""",
                    re.IGNORECASE | re.DOTALL)


def translate(sql: str) -> str:
    """SQLite-dialect SQL (``?`` placeholders) -> PostgreSQL for psycopg (``%s``); see the module doc."""
    out: list[str] = []
    last = 0
    ignore = False
    for m in _TOKEN.finditer(sql):
        token = m.group(0)
        out.append(sql[last:m.start()])
        last = m.end()
        upper = token.upper()
        if token == "?":
            out.append("%s")
        elif token == "%":
            out.append("%%")
        elif token[0] in "'\"-/":
            out.append(token.replace("%", "%%"))
        elif upper == "LIKE":
            out.append("ILIKE")
        elif upper.startswith("INSERT"):
            if "REPLACE" in upper:
                raise StoreError("INSERT OR REPLACE has no PostgreSQL counterpart here: use INSERT ... ON CONFLICT DO UPDATE")
            out.append("INSERT")
            ignore = True
        else:
            raise StoreError(f"{upper} is SQLite-only SQL; the PostgreSQL store cannot run it")
    out.append(sql[last:])
    text = "".join(out)
    if ignore:
        text = text.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return text


def named_to_positional(sql: str, params: dict[str, Any]) -> tuple[str, list[Any]]:
    """``:name`` parameters (sqlite3's other style) -> ``?`` and a list, outside quotes and comments."""
    values: list[Any] = []

    def swap(m: re.Match[str]) -> str:
        token = m.group(0)
        if token.startswith(":"):
            values.append(params[token[1:]])
            return "?"
        return token

    return re.sub(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|::|:\w+""", swap, sql), values


def prepare(sql: str, params: Sequence[Any] | dict[str, Any]) -> tuple[str, list[Any]]:
    """Translated SQL and a parameter list, from either parameter style."""
    if isinstance(params, dict):
        sql, values = named_to_positional(sql, params)
        return translate(sql), values
    return translate(sql), list(params)


class Row(tuple):  # type: ignore[type-arg]
    """A result row read by position or by column name, as ``sqlite3.Row`` is."""

    names: tuple[str, ...]

    def __new__(cls, names: tuple[str, ...], values: Sequence[Any]) -> Row:
        row = super().__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self.names.index(key))
            except ValueError:
                raise IndexError(f"no column {key!r}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


def row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names = tuple(c.name for c in cursor.description or ())
    return lambda values: Row(names, values)


class Cursor:
    """The part of ``sqlite3.Cursor`` the read side uses."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def fetchone(self) -> Row | None:
        row: Row | None = self._cursor.fetchone()
        return row

    def fetchall(self) -> list[Row]:
        return list(self._cursor.fetchall())

    def __iter__(self) -> Iterator[Row]:
        return iter(self._cursor)


class ListCursor:
    """A cursor over rows already read."""

    def __init__(self, rows: list[Row]) -> None:
        self._rows = rows

    def fetchone(self) -> Row | None:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Row]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(list(self._rows))


class CompatConnection:
    """A psycopg connection that reads like a ``sqlite3.Connection``: ``execute(sql, params)`` in
    the SQLite dialect, rows by name or position. ``dialect`` tells the few queries that differ."""

    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._schema: dict[tuple[str, tuple[Any, ...]], list[Row]] = {}

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor | ListCursor:
        text, values = prepare(sql, params)
        if "sqlite_master" in sql or "pragma_table_info" in sql:
            # which tables and columns exist: asked on every request, answered once per connection
            # (a round trip saved is a wait saved; the schema changes only by a migration and a restart)
            key = (text, tuple(values))
            if key not in self._schema:
                self._schema[key] = list(self.conn.execute(text, values).fetchall())
            return ListCursor(self._schema[key])
        return Cursor(self.conn.execute(text, values))

    def close(self) -> None:
        self.conn.close()
