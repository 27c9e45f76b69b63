"""The SQLite store: one file, WAL mode, foreign keys on, writes in ``BEGIN IMMEDIATE``."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import NotFoundError, RasdError, StoreError
from ..model import Document, Event, Extraction, Figure
from .base import (
    MIN_PREFIX,
    DuplicateDocumentError,
    EventHit,
    FigureHit,
    Filters,
    SearchHit,
    Store,
    StoredDocument,
    edited,
    not_found,
    not_rejected,
    version_key,
)
from .migrate import apply_migrations


def edited_hits(store: Any, hits: list[Any], target: str) -> list[Any]:
    """``review.edited_hits``: the hits as corrected (imported here when used: review builds on the store)."""
    from ..review import edited_hits as apply

    return apply(store, hits, target)


_DOC_COLUMNS = "rowid, id, sha256, path, version, format, title, published, publisher, url, ingested_at, error"
_CURRENT = "NOT EXISTS (SELECT 1 FROM documents n WHERE n.key = d.key AND n.version > d.version)"


class SQLiteStore(Store):
    """A store in one SQLite file (``":memory:"`` for a throwaway one)."""

    def __init__(self, path: str, migrate: bool = True) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from None
        self._lock = threading.RLock()
        self._depth = 0
        if migrate:
            self.migrate()

    # -- lifecycle -----------------------------------------------------------------
    def migrate(self) -> list[str]:
        with self._lock:
            try:
                return apply_migrations(self.conn)
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{self.path} is not a usable rasd database: {exc}") from None

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"cannot write to {self.path}: {exc}") from None
            self._depth = 1
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    # -- documents -----------------------------------------------------------------
    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.transaction(), self._lock:
            self.conn.execute("SAVEPOINT rasd_one")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO rasd_one")
                self.conn.execute("RELEASE rasd_one")
                raise
            self.conn.execute("RELEASE rasd_one")

    def add_document(self, document: Document, raw: bytes, extraction: Extraction | None = None,
                     error: str | None = None) -> int:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        d = document
        with self.transaction():
            try:
                cur = self.conn.execute(
                    "INSERT INTO documents (id, key, sha256, path, version, format, title, published, publisher,"
                    " url, text, raw, ingested_at, extraction, status, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (d.id, version_key(d), d.sha256, d.path, d.version, d.format, d.title, d.published,
                     d.publisher, d.url, d.text, raw, now, extraction.to_json() if extraction else None,
                     "error" if error else "ok", error),
                )
            except sqlite3.IntegrityError as exc:
                kind = DuplicateDocumentError if "sha256" in str(exc) else StoreError
                raise kind(f"document {d.path or d.id} is already stored ({exc})") from None
            rowid = int(cur.lastrowid or 0)
            if extraction is not None:
                self._add_rows(rowid, extraction)
        return rowid

    def _add_rows(self, rowid: int, extraction: Extraction, ids: dict[str, dict[int, int]] | None = None) -> None:
        """The figure and event rows of one document (``ids``: the row ids to keep, per table and index)."""
        fig, ev = (ids or {}).get("figures", {}), (ids or {}).get("events", {})
        self.conn.executemany(
            "INSERT INTO figures (id, document, idx, kind, who, low, best, high, qualifier, aggregate, period_start,"
            " period_end, period_precision, place, geonameid, admin1, country, lat, lon, attributed_to, via, json)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(fig.get(i), rowid, i, *_figure_columns(f)) for i, f in enumerate(extraction.figures)],
        )
        self.conn.executemany(
            "INSERT INTO events (id, document, idx, main, event_type, sub_event_type, date_start, date_end,"
            " date_precision, place, geonameid, admin1, country, lat, lon, place_precision, actor1, actor2,"
            " attributed_to, via, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(ev.get(i), rowid, i, *_event_columns(e)) for i, e in enumerate(extraction.events)],
        )

    def replace_document(self, rowid: int, document: Document, raw: bytes, extraction: Extraction | None,
                         error: str | None = None) -> None:
        """Rewrite a stored version from its original bytes (a repair: ``rasd verify`` found it changed);
        its figures and events keep their ids."""
        d = document
        with self.transaction():
            ids = {table: {r["idx"]: r["id"] for r in self.conn.execute(
                f"SELECT id, idx FROM {table} WHERE document = ?", (rowid,))} for table in ("figures", "events")}
            self.conn.execute("DELETE FROM figures WHERE document = ?", (rowid,))
            self.conn.execute("DELETE FROM events WHERE document = ?", (rowid,))
            self.conn.execute(
                "UPDATE documents SET sha256 = ?, title = ?, published = ?, publisher = ?, url = ?, text = ?, raw = ?,"
                " extraction = ?, status = ?, error = ? WHERE rowid = ?",
                (d.sha256, d.title, d.published, d.publisher, d.url, d.text, raw,
                 extraction.to_json() if extraction else None, "error" if error else "ok", error, rowid),
            )
            if extraction is not None:
                self._add_rows(rowid, extraction, ids)

    def document_by_sha(self, sha256: str) -> StoredDocument | None:
        row = self.conn.execute(f"SELECT {_DOC_COLUMNS}, text FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return _stored(row) if row else None

    def failure(self, sha256: str) -> str | None:
        row = self.conn.execute("SELECT error FROM documents WHERE sha256 = ? AND status = 'error'", (sha256,)).fetchone()
        return str(row[0] or "extraction failed") if row else None

    def has_sha(self, sha256: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE sha256 = ?", (sha256,)).fetchone() is not None

    def latest_version(self, key: str) -> StoredDocument | None:
        row = self.conn.execute(
            f"SELECT {_DOC_COLUMNS}, text FROM documents WHERE key = ? ORDER BY version DESC LIMIT 1", (key,)
        ).fetchone()
        return _stored(row) if row else None

    def document_by_path(self, path: str) -> StoredDocument | None:
        row = self.conn.execute(
            f"SELECT {_DOC_COLUMNS}, text, extraction FROM documents WHERE path = ? ORDER BY version DESC LIMIT 1",
            (path,),
        ).fetchone()
        return _stored(row, with_extraction=True) if row else None

    def document(self, ref: str) -> StoredDocument:
        ref = ref.strip()
        sql = f"SELECT {_DOC_COLUMNS}, text, extraction, key FROM documents d"
        rows = self.conn.execute(f"{sql} WHERE id = ? OR sha256 = ? ORDER BY version DESC", (ref, ref)).fetchall()
        if not rows and len(ref) >= MIN_PREFIX:
            n = len(ref)
            rows = self.conn.execute(
                f"{sql} WHERE substr(id, 1, ?) = ? OR substr(sha256, 1, ?) = ? ORDER BY version DESC",
                (n, ref, n, ref),
            ).fetchall()
        if not rows:
            hint = f" (give at least {MIN_PREFIX} characters of an id)" if len(ref) < MIN_PREFIX else ""
            raise NotFoundError(f"no document {ref!r} in the store{hint}")
        keys = {row["key"] for row in rows}
        if len(keys) > 1:
            raise NotFoundError(f"{ref!r} names {len(keys)} documents; give more characters of the id")
        return _stored(rows[0], with_extraction=True)

    def document_by_rowid(self, rowid: int) -> StoredDocument:
        row = self.conn.execute(
            f"SELECT {_DOC_COLUMNS}, text, extraction FROM documents WHERE rowid = ?", (rowid,)
        ).fetchone()
        if row is None:
            raise not_found("document", str(rowid))
        return _stored(row, with_extraction=True)

    def documents(self, all_versions: bool = False, limit: int | None = None) -> Iterator[StoredDocument]:
        where = "" if all_versions else f"WHERE {_CURRENT}"
        sql = f"SELECT {_DOC_COLUMNS}, text FROM documents d {where} ORDER BY rowid"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        for row in self.conn.execute(sql, params):
            yield _stored(row)

    def raw(self, rowid: int) -> bytes:
        row = self.conn.execute("SELECT raw FROM documents WHERE rowid = ?", (rowid,)).fetchone()
        if row is None:
            raise not_found("document", str(rowid))
        return bytes(row[0])

    # -- figures and events --------------------------------------------------------
    def figures(self, filters: Filters | None = None) -> list[FigureHit]:
        f = filters or Filters()
        where, params = self._common_where(f, "f", ("period_start", "period_end"))
        if f.kind:  # an edited figure may have been given the kind asked for: read below, as corrected
            where.append(f"(f.kind IN ({','.join('?' * len(f.kind))}) OR {edited('figure', 'f')})")
            params.extend(k.lower() for k in f.kind)
        if f.aggregate is not None:
            where.append("f.aggregate = ?")
            params.append(int(f.aggregate))
        if not f.include_rejected:
            where.append(not_rejected("figure", "f"))
        sql = (
            "SELECT f.id, f.idx, f.json, f.document FROM figures f JOIN documents d ON d.rowid = f.document"
            f" WHERE {' AND '.join(where) or '1 = 1'} ORDER BY COALESCE(f.period_start, d.published), f.id"
        )
        docs: dict[int, StoredDocument] = {}
        hits = edited_hits(self, [
            FigureHit(row["id"], Figure.from_json(row["json"]), self._cached(docs, row["document"]), row["idx"])
            for row in self._limited(sql, params, f.limit)
        ], "figure")
        kinds = {k.lower() for k in f.kind or ()}
        return [h for h in hits if not kinds or h.figure.kind in kinds]

    def events(self, filters: Filters | None = None) -> list[EventHit]:
        f = filters or Filters()
        where, params = self._common_where(f, "e", ("date_start", "date_end"))
        if f.kind:  # as for figures: an edited event is read as corrected, then kept when its type is asked for
            marks = ",".join("?" * len(f.kind))
            where.append(f"(lower(e.event_type) IN ({marks}) OR lower(e.sub_event_type) IN ({marks}) OR {edited('event', 'e')})")
            params.extend([k.lower() for k in f.kind] * 2)
        if not f.include_rejected:
            where.append(not_rejected("event", "e"))
        sql = (
            "SELECT e.id, e.idx, e.json, e.document FROM events e JOIN documents d ON d.rowid = e.document"
            f" WHERE {' AND '.join(where) or '1 = 1'} ORDER BY COALESCE(e.date_start, d.published), e.id"
        )
        docs: dict[int, StoredDocument] = {}
        hits = []
        for row in self._limited(sql, params, f.limit):
            event = Event.from_json(row["json"])
            hits.append(
                EventHit(row["id"], event, self._cached(docs, row["document"]), row["idx"],
                         self._figure_ids(row["document"], event.figures))
            )
        hits = edited_hits(self, hits, "event")
        kinds = {k.lower() for k in f.kind or ()}
        return [h for h in hits if not kinds or h.event.event_type.lower() in kinds or h.event.sub_event_type.lower() in kinds]

    def figure(self, rowid: int) -> FigureHit:
        if not _is_id(rowid):
            raise not_found("figure", f"F{rowid}")
        row = self.conn.execute("SELECT id, idx, json, document FROM figures WHERE id = ?", (rowid,)).fetchone()
        if row is None:
            raise not_found("figure", f"F{rowid}")
        return FigureHit(row["id"], Figure.from_json(row["json"]), self.document_by_rowid(row["document"]), row["idx"])

    def event(self, rowid: int) -> EventHit:
        if not _is_id(rowid):
            raise not_found("event", f"E{rowid}")
        row = self.conn.execute("SELECT id, idx, json, document FROM events WHERE id = ?", (rowid,)).fetchone()
        if row is None:
            raise not_found("event", f"E{rowid}")
        event = Event.from_json(row["json"])
        return EventHit(row["id"], event, self.document_by_rowid(row["document"]), row["idx"],
                        self._figure_ids(row["document"], event.figures))

    def _common_where(self, f: Filters, alias: str, dates: tuple[str, str]) -> tuple[list[str], list[Any]]:
        where: list[str] = [] if f.all_versions else [_CURRENT]
        params: list[Any] = []
        start, end = f"{alias}.{dates[0]}", f"{alias}.{dates[1]}"
        if f.place:
            like = _like(f.place)
            where.append(
                f"({alias}.place LIKE ? ESCAPE '\\' OR {alias}.admin1 LIKE ? ESCAPE '\\' OR {alias}.country = ?)"
            )
            params += [like, like, f.place.strip().upper()]
        if f.since:
            where.append(f"COALESCE({end}, {start}, d.published) >= ?")
            params.append(f.since.isoformat())
        if f.until:
            where.append(f"COALESCE({start}, {end}, d.published) <= ?")
            params.append(f.until.isoformat())
        if f.source:
            like = _like(f.source)
            where.append(
                f"(d.publisher LIKE ? ESCAPE '\\' OR {alias}.attributed_to LIKE ? ESCAPE '\\'"
                f" OR {alias}.via LIKE ? ESCAPE '\\')"
            )
            params += [like, like, like]
        if f.document:
            where.append("d.rowid = ?")
            params.append(self.document(f.document).rowid)
        return where, params

    def _limited(self, sql: str, params: list[Any], limit: int | None) -> list[sqlite3.Row]:
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, limit]
        return self.conn.execute(sql, params).fetchall()

    def _cached(self, docs: dict[int, StoredDocument], rowid: int) -> StoredDocument:
        if rowid not in docs:
            row = self.conn.execute(f"SELECT {_DOC_COLUMNS}, text FROM documents WHERE rowid = ?", (rowid,)).fetchone()
            docs[rowid] = _stored(row)
        return docs[rowid]

    def _figure_ids(self, document: int, indexes: list[int]) -> list[str]:
        if not indexes:
            return []
        marks = ",".join("?" * len(indexes))
        rows = self.conn.execute(
            f"SELECT id, idx FROM figures WHERE document = ? AND idx IN ({marks})", (document, *indexes)
        ).fetchall()
        by_idx = {row["idx"]: row["id"] for row in rows}
        return [f"F{by_idx[i]}" for i in indexes if i in by_idx]

    # -- search and counts ---------------------------------------------------------
    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        match = fts_query(query)
        sql = (
            "SELECT d.rowid AS rowid, snippet(documents_fts, 1, ?, ?, '…', 16) AS snip,"
            " bm25(documents_fts) AS rank FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
            f" WHERE documents_fts MATCH ? AND {_CURRENT} ORDER BY rank LIMIT ?"
        )
        try:
            rows = self.conn.execute(sql, (marks[0], marks[1], match, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed for {query!r}: {exc}") from None
        docs: dict[int, StoredDocument] = {}
        return [SearchHit(self._cached(docs, r["rowid"]), r["snip"], r["rank"]) for r in rows]

    def counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "figures", "events")}

    # -- escape hatch ----------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        with self.transaction():
            try:
                return self.conn.execute(sql, params).rowcount
            except sqlite3.Error as exc:
                raise StoreError(f"SQL failed: {exc}") from None

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        try:
            return [dict(row) for row in self.conn.execute(sql, params)]
        except sqlite3.Error as exc:
            raise StoreError(f"SQL failed: {exc}") from None


def _is_id(value: object) -> bool:
    """An integer SQLite can hold (a larger one names nothing)."""
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


def fts_query(query: str) -> str:
    """User words -> an FTS5 query where every word must match, FTS syntax neutralised."""
    words = query.split()
    if not words:
        raise RasdError("empty search query: give one or more words")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _stored(row: sqlite3.Row, with_extraction: bool = False) -> StoredDocument:
    keys = row.keys()
    doc = Document(
        id=row["id"], sha256=row["sha256"], text=row["text"] if "text" in keys else "",
        title=row["title"], published=row["published"], publisher=row["publisher"], url=row["url"],
        path=row["path"], format=row["format"], version=row["version"],
    )
    extraction = None
    if with_extraction and "extraction" in keys and row["extraction"]:
        extraction = Extraction.from_json(row["extraction"])
    return StoredDocument(row["rowid"], doc, row["ingested_at"], extraction, row["error"] if "error" in keys else None)


def _place_columns(place: Any) -> tuple[Any, ...]:
    if place is None:
        return (None, None, None, None, None, None)
    return (place.name, place.geonameid, place.admin1, place.country, place.lat, place.lon)


def _figure_columns(f: Figure) -> tuple[Any, ...]:
    p = f.period
    return (
        f.kind, f.who, f.low, f.best, f.high, f.qualifier, int(bool(f.aggregate)),
        p.start if p else None, p.end if p else None, p.precision if p else None,
        *_place_columns(f.place), f.attributed_to, f.via, f.to_json(),
    )


def _event_columns(e: Event) -> tuple[Any, ...]:
    d = e.date
    by_role = {a.role: a.name for a in e.actors if a.role}
    unroled = [a.name for a in e.actors if not a.role]
    actor1 = by_role.get("actor1") or (unroled.pop(0) if unroled else None)
    actor2 = by_role.get("actor2") or (unroled.pop(0) if unroled else None)
    return (
        int(bool(e.main)), e.event_type, e.sub_event_type,
        d.start if d else None, d.end if d else None, d.precision if d else None,
        *_place_columns(e.place), e.place.precision if e.place else None,
        actor1, actor2, e.attributed_to, e.via, e.to_json(),
    )
