"""The PostgreSQL store (with PostGIS): the same ``Store`` interface as the SQLite file, for a team.

``PostgresStore("postgresql://user@host/db")`` connects, applies the numbered
migrations of ``store/pg_migrations/`` (each once, in one transaction, under an
advisory lock so that several workers starting at once apply it once) and
reads and writes the same records as ``SQLiteStore``. Its queries are the
SQLite store's, run through ``pgsql.translate``; what differs is here:

- **documents**: ``sha256`` is UNIQUE and inserted ``ON CONFLICT DO NOTHING``:
  when two writers store the same bytes at once, one row is written and the
  other writer is told so (``DuplicateDocumentError``, which ``process`` counts as
  unchanged) without aborting its transaction. The versions of one document
  (its key) are numbered under a transaction-scoped advisory lock on the key,
  and ``UNIQUE (key, version)`` backs it.
- **linking**: ``lock_linking()`` takes one transaction-scoped advisory lock
  (``pg_advisory_xact_lock``) before linking reads candidate incidents; the
  next writer's linking waits for the commit and then, in READ COMMITTED,
  reads what the first wrote. Extraction and document writes stay parallel;
  linking (about 1 ms a report, ``bench/pg_ingest.py``) is serial per store.
- **search**: a generated ``tsvector`` (title weighted A, English
  configuration) with a GIN index, queried with ``plainto_tsquery`` (every
  word must match), ranked by ``ts_rank``, snippets by ``ts_headline``.
- **places**: a PostGIS ``geography(Point, 4326)`` per event, figure and
  incident with GiST indexes (migration 003); map viewports use them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any

from ..errors import DependencyError, RasdError, StoreError
from ..model import Document, Extraction
from .base import DuplicateDocumentError, SearchHit, StoredDocument, version_key
from .pgsql import CompatConnection, prepare, row_factory
from .sqlite import SQLiteStore, _event_columns, _figure_columns

LINK_LOCK = 7_261_117  # the advisory lock key linking holds ("rasd" link)
MIGRATION_LOCK = 7_261_118
_HEADLINE = ("\x02", "\x03")  # ts_headline's marks, replaced by the caller's


def connect(url: str, read_only: bool = False) -> Any:
    """A psycopg connection in autocommit mode whose rows read like ``sqlite3.Row``."""
    try:
        import psycopg
    except ImportError:
        raise DependencyError("the PostgreSQL store needs psycopg: pip install 'psycopg[binary]'") from None
    try:
        conn = psycopg.connect(url, autocommit=True, row_factory=row_factory)
        if read_only:
            conn.execute("SET default_transaction_read_only = on")
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to {redact(url)}: {str(exc).strip().splitlines()[0]}") from None
    return conn


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, user = head.partition("//")
    return f"{scheme}//{user.split(':', 1)[0]}:***@{tail}"


class PostgresStore(SQLiteStore):
    """A store in a PostgreSQL database with PostGIS (see the module doc)."""

    dialect = "postgresql"

    def __init__(self, url: str, migrate: bool = True) -> None:  # noqa: D107 - no super(): no SQLite file
        self.path = url
        self.pg = connect(url)
        self.compat = CompatConnection(self.pg)
        self.conn = self.compat  # type: ignore[assignment]  # the inherited queries run through the translation
        self._lock = threading.RLock()
        self._depth = 0
        if migrate:
            self.migrate()

    # -- lifecycle -----------------------------------------------------------------
    def migrate(self) -> list[str]:
        import psycopg

        done: list[str] = []
        with self._lock:
            try:
                with self.pg.transaction():
                    self.pg.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                    self.pg.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                    have = {r[0] for r in self.pg.execute("SELECT name FROM migrations")}
                    for name, sql in migration_scripts():
                        if name in have:
                            continue
                        self.pg.execute(sql)
                        self.pg.execute("INSERT INTO migrations (name, applied_at) VALUES (%s, %s)", (name, _now()))
                        done.append(name)
            except psycopg.Error as exc:
                hint = ""
                if "postgis" in str(exc).lower():
                    hint = " (install PostGIS: apt-get install postgresql-15-postgis-3)"
                raise StoreError(f"migration of {redact(self.path)} failed: {str(exc).strip()}{hint}") from None
        return done

    def close(self) -> None:
        self.pg.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        import psycopg

        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self.pg.transaction():
                    yield
            except psycopg.Error as exc:
                raise StoreError(f"write to {redact(self.path)} failed: {str(exc).strip()}") from None
            finally:
                self._depth = 0

    def lock_linking(self) -> None:
        """Hold the linking lock until this transaction ends (see the module doc)."""
        self.pg.execute("SELECT pg_advisory_xact_lock(%s)", (LINK_LOCK,))

    # -- documents -----------------------------------------------------------------
    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction (psycopg's SAVEPOINT): what fails inside is undone alone."""
        with self.transaction(), self.pg.transaction():
            yield

    def add_document(self, document: Document, raw: bytes, extraction: Extraction | None = None,
                     error: str | None = None) -> int:
        d = document
        key = version_key(d)
        with self.transaction():
            self.pg.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ("rasd.doc:" + key,))
            top = self.pg.execute("SELECT max(version) FROM documents WHERE key = %s", (key,)).fetchone()[0]
            if top is not None and d.version <= top:
                d.version = top + 1  # another writer stored a version of it since the caller looked
            row = self.pg.execute(
                "INSERT INTO documents (id, key, sha256, path, version, format, title, published, publisher,"
                " url, text, raw, ingested_at, extraction, status, error)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (sha256) DO NOTHING RETURNING rowid",
                (d.id, key, d.sha256, d.path, d.version, d.format, d.title, d.published, d.publisher, d.url,
                 d.text, raw, _now(), extraction.to_json() if extraction else None, "error" if error else "ok", error),
            ).fetchone()
            if row is None:
                raise DuplicateDocumentError(f"document {d.path or d.id} is already stored (sha256 {d.sha256[:12]})")
            rowid = int(row[0])
            if extraction is not None:
                self._add_rows(rowid, extraction)
        return rowid

    def _add_rows(self, rowid: int, extraction: Extraction, ids: dict[str, dict[int, int]] | None = None) -> None:
        """The figure and event rows of one document. ``ids``: the row ids to keep, per table and index (a
        repair rewrites rows under their old ids); the others take their sequence's next value."""
        fig, ev = (ids or {}).get("figures", {}), (ids or {}).get("events", {})
        with self.pg.cursor() as cur:
            if extraction.figures:
                cur.executemany(
                    "INSERT INTO figures (id, document, idx, kind, who, low, best, high, qualifier, aggregate,"
                    " period_start, period_end, period_precision, place, geonameid, admin1, country, lat, lon,"
                    " attributed_to, via, json) VALUES (coalesce(%s, nextval(pg_get_serial_sequence('figures', 'id'))), "
                    + ",".join(["%s"] * 21) + ")",
                    [(fig.get(i), rowid, i, *_figure_columns(f)) for i, f in enumerate(extraction.figures)],
                )
            if extraction.events:
                cur.executemany(
                    "INSERT INTO events (id, document, idx, main, event_type, sub_event_type, date_start, date_end,"
                    " date_precision, place, geonameid, admin1, country, lat, lon, place_precision, actor1,"
                    " actor2, attributed_to, via, json) VALUES (coalesce(%s, nextval(pg_get_serial_sequence('events', 'id'))), "
                    + ",".join(["%s"] * 20) + ")",
                    [(ev.get(i), rowid, i, *_event_columns(e)) for i, e in enumerate(extraction.events)],
                )

    # -- search --------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        rows = search_rows(self.compat, query, limit)
        docs: dict[int, StoredDocument] = {}
        return [SearchHit(self._cached(docs, r["rowid"]), _marked(r["snip"], marks), r["rank"]) for r in rows]

    # -- escape hatch ----------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        import psycopg

        text, values = prepare(sql, params)
        with self.transaction():
            try:
                return int(self.pg.execute(text, values).rowcount)
            except psycopg.Error as exc:
                raise StoreError(f"SQL failed: {str(exc).strip()}") from None

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        import psycopg

        text, values = prepare(sql, params)
        try:
            return [dict(zip(r.keys(), r)) for r in self.pg.execute(text, values)]
        except psycopg.Error as exc:
            raise StoreError(f"SQL failed: {str(exc).strip()}") from None


def search_rows(conn: CompatConnection, query: str, limit: int) -> list[Any]:
    """Current documents matching every word, best first: rowid, snip (marked \\x02 \\x03), rank."""
    if not query.split():
        raise RasdError("empty search query: give one or more words")
    sql = (
        "SELECT d.rowid AS rowid, ts_headline('english', d.text, q,"
        " 'StartSel=\x02, StopSel=\x03, MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…') AS snip,"
        " -ts_rank(d.search, q) AS rank FROM documents d, plainto_tsquery('english', ?) q"
        " WHERE d.search @@ q AND NOT EXISTS (SELECT 1 FROM documents n WHERE n.key = d.key AND n.version > d.version)"
        " ORDER BY rank, d.rowid LIMIT ?"
    )
    return conn.execute(sql, (query, limit)).fetchall()


def _marked(snippet: str, marks: tuple[str, str]) -> str:
    return snippet.replace(_HEADLINE[0], marks[0]).replace(_HEADLINE[1], marks[1])


def migration_scripts() -> list[tuple[str, str]]:
    """(name, SQL) of every PostgreSQL migration, in number order."""
    folder = resources.files("rasd.store") / "pg_migrations"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql") and p.name[:3].isdigit())
    numbers = [n[:3] for n in names]
    if len(set(numbers)) != len(numbers):
        raise StoreError(f"two PostgreSQL migrations share a number: {names}")
    return [(n[:-4], (folder / n).read_text(encoding="utf-8")) for n in names]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
