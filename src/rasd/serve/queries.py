"""Read-only queries behind the REST API: parameterised SQL over the store's tables.

Every list is paged by keyset (``id > last``) with an opaque cursor, so a page
costs the same at the end of a large store as at the start. Filters mirror the
CLI's: ``kind``, ``place``, ``admin1``, ``since``, ``until``, ``source``,
``event_type`` and a bounding box (answered through the R*Tree indexes of
migration 003 when they exist).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..errors import NotFoundError, RasdError
from ..store.base import _correction_of, edited, not_rejected

MAX_LIMIT = 1000
DOC_PREFIX = 8
_CURRENT = "NOT EXISTS (SELECT 1 FROM documents n WHERE n.key = d.key AND n.version > d.version)"


class BadRequest(RasdError):
    """A request parameter the API cannot use; the message says which and why."""


def connect_readonly(path: str) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``): the API can never write the store.

    For a ``postgresql://`` URL, a PostgreSQL connection in read-only transactions that
    speaks the same SQL (``store.pgsql.CompatConnection``; ``dialect`` is "postgresql")."""
    if path.startswith(("postgresql://", "postgres://")):
        from ..store.pgsql import CompatConnection
        from ..store.postgres import connect

        return CompatConnection(connect(path, read_only=True))  # type: ignore[return-value]
    uri = "file:" + quote(str(path)) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise RasdError(f"cannot open {path} read-only: {exc}; build it with `rasd ingest ... --db {path}`") from None
    conn.row_factory = sqlite3.Row
    # memory-mapped reads share the operating system's page cache between the worker threads' connections
    conn.execute("PRAGMA mmap_size = 1073741824")
    return conn


@dataclass
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        parts = text.split(",")
        try:
            if len(parts) != 4:
                raise ValueError
            a, b, c, d = (float(p) for p in parts)
        except ValueError:
            raise BadRequest(f"bbox must be minlon,minlat,maxlon,maxlat (four numbers), got {text!r}") from None
        if not (-180 <= a <= c <= 180 and -90 <= b <= d <= 90):
            raise BadRequest(f"bbox {text!r} is not a box: need -180<=minlon<=maxlon<=180 and -90<=minlat<=maxlat<=90")
        return cls(a, b, c, d)


@dataclass
class Query:
    """The filters and paging of one list request (every field optional)."""

    kind: list[str] = field(default_factory=list)
    place: str | None = None
    admin1: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    event_type: str | None = None
    bbox: BBox | None = None
    limit: int = 100
    cursor: str | None = None
    include_rejected: bool = False  # figures and events a person rejected are left out unless asked for

    def after(self) -> int:
        return decode_cursor(self.cursor) if self.cursor else 0


MAX_ID = 2**63 - 1  # SQLite's largest integer: a larger id or cursor names nothing


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"]
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
            raise ValueError
        return after
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadRequest("cursor is not one this API gave out; use the `next` value of the previous page") from None


def like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_escape(query: str) -> str:
    """User words -> an FTS5 query where every word must match and FTS syntax is taken literally."""
    words = query.split()
    if not words:
        raise BadRequest("q is empty: give one or more words to search for")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')", (name,)).fetchone()
    return row is not None


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?)", (table,))}


# -- shared WHERE pieces ----------------------------------------------------------------------
def where_common(q: Query, alias: str, dates: tuple[str, str], published: str | None = "d.published",
                 sources: tuple[str, ...] = ("d.publisher",)) -> tuple[list[str], list[Any]]:
    """WHERE terms for place, admin1, period, source, bbox over a table with the store's place columns."""
    where: list[str] = []
    params: list[Any] = []
    start, end = f"{alias}.{dates[0]}", f"{alias}.{dates[1]}"
    fallback = f", {published}" if published else ""
    if q.place:
        where.append(f"({alias}.place LIKE ? ESCAPE '\\' OR {alias}.admin1 LIKE ? ESCAPE '\\' OR {alias}.country = ?)")
        params += [like(q.place), like(q.place), q.place.strip().upper()]
    if q.admin1:
        where.append(f"lower({alias}.admin1) = lower(?)")
        params.append(q.admin1.strip())
    if q.since:
        where.append(f"COALESCE({end}, {start}{fallback}) >= ?")
        params.append(q.since.isoformat())
    if q.until:
        where.append(f"COALESCE({start}, {end}{fallback}) <= ?")
        params.append(q.until.isoformat())
    if q.source:
        terms = [f"{col} LIKE ? ESCAPE '\\'" for col in (*sources, f"{alias}.attributed_to", f"{alias}.via")]
        where.append("(" + " OR ".join(terms) + ")")
        params += [like(q.source)] * len(terms)
    return where, params


def where_bbox(conn: sqlite3.Connection, q: Query, alias: str, rtree: str) -> tuple[list[str], list[Any]]:
    if q.bbox is None:
        return [], []
    b = q.bbox
    exact = f"{alias}.lon BETWEEN ? AND ? AND {alias}.lat BETWEEN ? AND ?"
    params: list[Any] = [b.min_lon, b.max_lon, b.min_lat, b.max_lat]
    if is_postgres(conn):
        # the GiST index over the PostGIS points (pg_migrations/003) narrows; the exact test follows
        box = f"({alias}.geog::geometry) && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
        return [box, exact], [b.min_lon, b.min_lat, b.max_lon, b.max_lat, *params]
    if has_table(conn, rtree):
        # the R*Tree narrows to candidates; the exact test after it undoes its float32 rounding
        sub = f"{alias}.id IN (SELECT id FROM {rtree} WHERE min_lon <= ? AND max_lon >= ? AND min_lat <= ? AND max_lat >= ?)"
        return [sub, exact], [b.max_lon, b.min_lon, b.max_lat, b.min_lat, *params]
    return [exact], params


def where_standing(conn: sqlite3.Connection, q: Query, target: str, alias: str) -> list[str]:
    """The term leaving out rows a person rejected, unless ``include_rejected`` (none in a store made
    before corrections existed)."""
    if q.include_rejected or not has_table(conn, "corrections"):
        return []
    return [not_rejected(target, alias)]


def where_types(q: Query, alias: str) -> tuple[list[str], list[Any]]:
    wanted = [k.lower() for k in q.kind] + ([q.event_type.lower()] if q.event_type else [])
    if not wanted:
        return [], []
    marks = ",".join("?" * len(wanted))
    return ([f"(lower({alias}.event_type) IN ({marks}) OR lower({alias}.sub_event_type) IN ({marks}))"],
            wanted * 2)


def page(conn: sqlite3.Connection, sql: str, where: list[str], params: list[Any], q: Query,
         id_column: str) -> tuple[list[sqlite3.Row], str | None]:
    """Run a keyset-paged query: rows with ``id_column`` > cursor, ordered by it, one page."""
    where = [*where, f"{id_column} > ?"]
    params = [*params, q.after(), q.limit + 1]
    full = f"{sql} WHERE {' AND '.join(where)} ORDER BY {id_column} LIMIT ?"
    if is_postgres(conn):
        # PostgreSQL: the page's ids first (no wide row is read or sorted for a row the page leaves
        # out), then the rows of those ids: a viewport over 100,000 incidents matches thousands
        head, tail = sql.split(" FROM ", 1)
        full = (f"{head} FROM {tail} WHERE {id_column} IN (SELECT {id_column} FROM {tail}"
                f" WHERE {' AND '.join(where)} ORDER BY {id_column} LIMIT ?) ORDER BY {id_column}")
    rows = conn.execute(full, params).fetchall()
    more = len(rows) > q.limit
    rows = rows[: q.limit]
    return rows, (encode_cursor(int(rows[-1]["rowkey"])) if more and rows else None)


# -- documents --------------------------------------------------------------------------------
_DOC_FIELDS = "d.rowid AS rowkey, d.id, d.sha256, d.title, d.publisher, d.published, d.url, d.path, d.version, d.format, d.ingested_at"


def doc_summary(row: sqlite3.Row) -> dict[str, Any]:
    keys = ("id", "title", "publisher", "published", "url", "path", "version", "format", "sha256", "ingested_at")
    return {k: row[k] for k in keys}


def documents(conn: sqlite3.Connection, q: Query) -> tuple[list[dict[str, Any]], str | None]:
    where = [_CURRENT]
    params: list[Any] = []
    if q.source:
        where.append("d.publisher LIKE ? ESCAPE '\\'")
        params.append(like(q.source))
    if q.since:
        where.append("d.published >= ?")
        params.append(q.since.isoformat())
    if q.until:
        where.append("d.published <= ?")
        params.append(q.until.isoformat())
    rows, nxt = page(conn, f"SELECT {_DOC_FIELDS} FROM documents d", where, params, q, "d.rowid")
    return [doc_summary(r) for r in rows], nxt


def find_document(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    """The newest version of a document by id, sha256 or a unique prefix of 8+ characters."""
    ref = ref.strip()
    sql = f"SELECT {_DOC_FIELDS}, d.key, d.text FROM documents d"
    rows = conn.execute(f"{sql} WHERE d.id = ? OR d.sha256 = ? ORDER BY d.version DESC", (ref, ref)).fetchall()
    if not rows and len(ref) >= DOC_PREFIX:
        n = len(ref)
        rows = conn.execute(f"{sql} WHERE substr(d.id, 1, ?) = ? OR substr(d.sha256, 1, ?) = ? ORDER BY d.version DESC",
                            (n, ref, n, ref)).fetchall()
    if not rows or len({r["key"] for r in rows}) > 1:
        more = " (several documents match: give more characters)" if rows else ""
        raise NotFoundError(f"no document {ref!r}{more}")
    return rows[0]


def document(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    row = find_document(conn, ref)
    out = doc_summary(row)
    out["text"] = row["text"]
    out["figures"] = [f"F{r[0]}" for r in conn.execute("SELECT id FROM figures WHERE document = ? ORDER BY idx", (row["rowkey"],))]
    out["events"] = [f"E{r[0]}" for r in conn.execute("SELECT id FROM events WHERE document = ? ORDER BY idx", (row["rowkey"],))]
    return out


def is_postgres(conn: Any) -> bool:
    return getattr(conn, "dialect", "sqlite") == "postgresql"


def search(conn: sqlite3.Connection, text: str, limit: int) -> list[dict[str, Any]]:
    if is_postgres(conn):
        return _search_postgres(conn, text, limit)
    sql = (
        f"SELECT {_DOC_FIELDS}, snippet(documents_fts, 1, '[', ']', '…', 16) AS snip, bm25(documents_fts) AS rank"
        f" FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
        f" WHERE documents_fts MATCH ? AND {_CURRENT} ORDER BY rank LIMIT ?"
    )
    rows = conn.execute(sql, (fts_escape(text), limit)).fetchall()
    return [{"document": doc_summary(r), "snippet": r["snip"], "rank": r["rank"]} for r in rows]


def _search_postgres(conn: Any, text: str, limit: int) -> list[dict[str, Any]]:
    from ..store.postgres import search_rows

    if not text.split():
        raise BadRequest("q is empty: give one or more words to search for")
    hits = search_rows(conn, text, limit)
    marked = {h["rowid"]: (h["snip"].replace("\x02", "[").replace("\x03", "]"), h["rank"]) for h in hits}
    if not marked:
        return []
    rows = conn.execute(f"SELECT {_DOC_FIELDS} FROM documents d WHERE d.rowid IN ({','.join('?' * len(marked))})",
                        list(marked)).fetchall()
    by_id = {r["rowkey"]: r for r in rows}
    return [{"document": doc_summary(by_id[k]), "snippet": s, "rank": rank} for k, (s, rank) in marked.items()]


# -- figures and events -----------------------------------------------------------------------
def _with_doc(row: sqlite3.Row, prefix: str) -> dict[str, Any]:
    record = json.loads(row["json"])
    return {"id": f"{prefix}{row['rowkey']}", "document": row["doc_id"], "publisher": row["publisher"],
            "published": row["published"], **record}


def _edits(conn: sqlite3.Connection, target: str, table: str, alias: str, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The edit corrections standing on rows ``ids`` of ``table`` (figures, events), oldest first, by row id."""
    if not ids or not has_table(conn, "corrections"):
        return {}
    sql = (f"SELECT {alias}.id AS rowkey, ed.changes FROM {table} {alias} JOIN documents d ON d.rowid = {alias}.document"
           f" JOIN corrections ed ON ed.action = 'edit' AND {_correction_of('ed', target, alias, 'd')}"
           f" WHERE {alias}.id IN ({','.join('?' * len(ids))}) ORDER BY ed.id")
    out: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(sql, ids):
        out.setdefault(row["rowkey"], []).append(json.loads(row["changes"] or "{}"))
    return out


def _as_corrected(conn: sqlite3.Connection, rows: list[sqlite3.Row], prefix: str) -> list[dict[str, Any]]:
    """Rows as records, with the edits a person made applied (what ``rasd figures``/``events`` list too); an
    edited record says so (``corrected``: true)."""
    from ..model import Event, Figure
    from ..review.fields import edited_item

    target, table, alias = ("figure", "figures", "f") if prefix == "F" else ("event", "events", "e")
    edits = _edits(conn, target, table, alias, [r["rowkey"] for r in rows])
    out = []
    for r in rows:
        item = _with_doc(r, prefix)
        if r["rowkey"] in edits:
            record = json.loads(r["json"])
            original = Figure.from_dict(record) if prefix == "F" else Event.from_dict(record)
            item.update(edited_item(original, target, edits[r["rowkey"]]).to_dict(), corrected=True)
        out.append(item)
    return out


def _edited(conn: sqlite3.Connection, target: str, alias: str) -> str:
    """SQL: the row has an edit correction (``store.base.edited``); never, in a store made before corrections."""
    return edited(target, alias) if has_table(conn, "corrections") else "0 = 1"


def figures(conn: sqlite3.Connection, q: Query) -> tuple[list[dict[str, Any]], str | None]:
    where, params = where_common(q, "f", ("period_start", "period_end"))
    where.insert(0, _CURRENT)
    if q.kind:
        where.append(f"(f.kind IN ({','.join('?' * len(q.kind))}) OR {_edited(conn, 'figure', 'f')})")
        params += [k.lower() for k in q.kind]
    w, p = where_bbox(conn, q, "f", "figures_geo")
    w += where_standing(conn, q, "figure", "f")
    sql = ("SELECT f.id AS rowkey, f.json, d.id AS doc_id, d.publisher, d.published"
           " FROM figures f JOIN documents d ON d.rowid = f.document")
    rows, nxt = page(conn, sql, where + w, params + p, q, "f.id")
    kinds = {k.lower() for k in q.kind}
    return [r for r in _as_corrected(conn, rows, "F") if not kinds or r.get("kind") in kinds], nxt


def events(conn: sqlite3.Connection, q: Query) -> tuple[list[dict[str, Any]], str | None]:
    where, params = where_common(q, "e", ("date_start", "date_end"))
    where.insert(0, _CURRENT)
    w1, p1 = where_types(q, "e")
    if w1:  # an edited event may have been given the type asked for: kept below, read as corrected
        w1 = [f"({w1[0]} OR {_edited(conn, 'event', 'e')})"]
    w2, p2 = where_bbox(conn, q, "e", "events_geo")
    w2 += where_standing(conn, q, "event", "e")
    sql = ("SELECT e.id AS rowkey, e.json, d.id AS doc_id, d.publisher, d.published"
           " FROM events e JOIN documents d ON d.rowid = e.document")
    rows, nxt = page(conn, sql, where + w1 + w2, params + p1 + p2, q, "e.id")
    wanted = {k.lower() for k in q.kind} | ({q.event_type.lower()} if q.event_type else set())
    return [r for r in _as_corrected(conn, rows, "E")
            if not wanted or str(r.get("event_type", "")).lower() in wanted or str(r.get("sub_event_type", "")).lower() in wanted], nxt


def parse_ref(ref: str, prefix: str) -> int:
    ref = ref.strip()
    if ref[:1].upper() == prefix:
        ref = ref[1:]
    if not (ref.isascii() and ref.isdigit()) or int(ref) > MAX_ID:
        raise NotFoundError(f"no {prefix}-id {ref!r}: ids look like {prefix}12")
    return int(ref)
