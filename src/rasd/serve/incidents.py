"""Incidents for the API and the map: listed with filters, opened with each report's evidence.

Incidents come from the ``incidents`` table that linking fills (one Incident
record as JSON per row, with flat columns for querying where the migration
gives them; anything missing is read from the JSON). Before linking has run,
each document's main event stands in for an incident of one report, so the map
shows what the store holds either way.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from typing import Any

from ..errors import NotFoundError
from ..review.state import document_corrections, event_values, standing
from ..store.base import not_rejected
from .queries import _CURRENT, Query, columns, has_table, like, page, where_bbox, where_common, where_types

# flat column -> where the Incident record keeps it
_JSON_PATHS = {
    "event_type": "$.event_type",
    "sub_event_type": "$.sub_event_type",
    "date_start": "$.date.start",
    "date_end": "$.date.end",
    "place": "$.place.name",
    "admin1": "$.place.admin1",
    "country": "$.place.country",
    "lat": "$.place.lat",
    "lon": "$.place.lon",
}


def linked(conn: sqlite3.Connection) -> bool:
    """Whether the store has a linked ``incidents`` table with records in it."""
    return has_table(conn, "incidents") and "json" in columns(conn, "incidents") and \
        conn.execute("SELECT 1 FROM incidents LIMIT 1").fetchone() is not None


def _source_clause(q: Query, json_col: str) -> tuple[list[str], list[Any]]:
    if not q.source:
        return [], []
    fields = ("publisher", "attributed_to", "via")
    terms = " OR ".join(f"json_extract(r.value, '$.{f}') LIKE ? ESCAPE '\\'" for f in fields)
    return ([f"EXISTS (SELECT 1 FROM json_each({json_col}, '$.reports') r WHERE {terms})"], [like(q.source)] * 3)


def list_incidents(conn: sqlite3.Connection, q: Query) -> tuple[list[Any], str | None]:
    """A page of incidents: INCIDENT records, as JSON text when the table holds them so."""
    if linked(conn):
        return _from_table(conn, q)
    return _from_events(conn, q)


def _from_table(conn: sqlite3.Connection, q: Query) -> tuple[list[Any], str | None]:
    have = columns(conn, "incidents")
    exprs = {k: (f"i.{k}" if k in have else f"json_extract(i.json, '{path}')") for k, path in _JSON_PATHS.items()}
    inner = ", ".join(f"{expr} AS {k}" for k, expr in exprs.items())
    # a derived table with the flat names lets the shared WHERE builders work unchanged
    geog = ", i.geog" if "geog" in have else ""  # PostgreSQL: the PostGIS point the viewport index covers
    standing = " WHERE i.merged_into IS NULL" if "merged_into" in have else ""  # merged ones stay for their history
    base = f"(SELECT i.rowid AS id, i.json, {inner}{geog} FROM incidents i{standing})"
    # the source filter looks into every report, not at flat columns
    where, params = where_common(replace(q, source=None), "x", ("date_start", "date_end"), published=None)
    w1, p1 = where_types(q, "x")
    w2, p2 = where_bbox(conn, q, "x", "incidents_geo")
    w3, p3 = _source_clause(q, "x.json")
    rows, nxt = page(conn, f"SELECT x.id AS rowkey, x.json FROM {base} x", where + w1 + w2 + w3 or ["1 = 1"],
                     params + p1 + p2 + p3, q, "x.id")
    return [str(r["json"]) for r in rows], nxt  # stored JSON text, spliced into the response unparsed


def _from_events(conn: sqlite3.Connection, q: Query) -> tuple[list[dict[str, Any]], str | None]:
    where, params = where_common(q, "e", ("date_start", "date_end"))
    where = [_CURRENT, "e.main = 1", *where]
    w1, p1 = where_types(q, "e")
    w2, p2 = where_bbox(conn, q, "e", "events_geo")
    sql = ("SELECT e.id AS rowkey, e.idx, e.json, e.document, d.id AS doc_id, d.publisher, d.published"
           " FROM events e JOIN documents d ON d.rowid = e.document")
    rows, nxt = page(conn, sql, where + w1 + w2, params + p1 + p2, q, "e.id")
    return [_event_incident(conn, r) for r in rows], nxt


def _event_incident(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    """One document's main event, as it stands after corrections, in the shape of an Incident of one report."""
    sha256, found = _corrections_of(conn, row["document"])
    event = standing("event", json.loads(row["json"]), row["idx"], sha256, found).value
    figures: dict[str, dict[str, Any]] = {}
    for fig in _figures_of(conn, row["document"], event.get("figures") or []):
        if fig.get("aggregate") or fig["_rejected"] or fig["kind"] in figures:
            continue
        figures[fig["kind"]] = {"low": fig.get("low"), "best": fig.get("best"), "high": fig.get("high"), "sources": 1}
    report = {"document": row["doc_id"], "publisher": row["publisher"], "published": row["published"],
              "attributed_to": event.get("attributed_to"), "via": event.get("via"),
              "evidence": event.get("evidence"), "event": row["idx"]}
    return {"schema": "rasd/1", "id": f"E{row['rowkey']}", "event_type": event.get("event_type"),
            "sub_event_type": event.get("sub_event_type"), "date": event.get("date"), "place": event.get("place"),
            "actors": event.get("actors") or [], "targets": event.get("targets") or [],
            "independent_sources": 1, "reports": [report], "figures": figures, "history": []}


def _corrections_of(conn: sqlite3.Connection, doc_rowid: int) -> tuple[str, list[dict[str, Any]]]:
    """The document's sha256 and the corrections of every version of it (none before migration 006)."""
    doc = conn.execute("SELECT sha256, key FROM documents WHERE rowid = ?", (doc_rowid,)).fetchone()
    if doc is None or not has_table(conn, "corrections"):
        return (doc[0] if doc else ""), []
    return doc[0], document_corrections(lambda sql, params: conn.execute(sql, params).fetchall(), doc[0], doc[1])


def _figures_of(conn: sqlite3.Connection, doc_rowid: int, indexes: list[int]) -> list[dict[str, Any]]:
    """The figures as they stand after corrections, each with its row id (what a correction names), the
    values extraction gave, who reviewed it and whether a person rejected it."""
    if not indexes:
        return []
    marks = ",".join("?" * len(indexes))
    standing_sql = not_rejected("figure", "f") if has_table(conn, "corrections") else "1 = 1"
    rows = conn.execute(f"SELECT f.id, f.idx, f.json, CASE WHEN {standing_sql} THEN 0 ELSE 1 END AS rejected"
                        " FROM figures f JOIN documents d ON d.rowid = f.document"
                        f" WHERE f.document = ? AND f.idx IN ({marks}) ORDER BY f.idx", (doc_rowid, *indexes)).fetchall()
    sha256, found = _corrections_of(conn, doc_rowid)
    out = []
    for r in rows:
        extracted = json.loads(r["json"])
        now = standing("figure", extracted, r["idx"], sha256, found)
        out.append({**extracted, **now.value, "_id": f"F{r['id']}", "_rejected": bool(r["rejected"]),
                    "_extracted": _summary(extracted), "_reviews": now.reviews})
    return out


def _row_number(text: str) -> int:
    """A row id written in ASCII digits that a 64-bit column can hold, else -1 (which names no row)."""
    if text.isascii() and text.isdigit() and int(text) < 2**63:
        return int(text)
    return -1


def get_incident(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One incident with, for each report, its document's title and link and the sentences of its figures."""
    ref = ref.strip()
    record: dict[str, Any] | None = None
    if ref[:1] in "Ee" and _row_number(ref[1:]) >= 0:
        sql = ("SELECT e.id AS rowkey, e.idx, e.json, e.document, d.id AS doc_id, d.publisher, d.published"
               " FROM events e JOIN documents d ON d.rowid = e.document WHERE e.id = ?")
        row = conn.execute(sql, (int(ref[1:]),)).fetchone()
        record = _event_incident(conn, row) if row else None
    elif has_table(conn, "incidents") and "json" in columns(conn, "incidents"):
        have = columns(conn, "incidents")
        key = "id" if "id" in have else "rowid"
        number = _row_number(ref[1:] if ref[:1] in "Ii" else ref)  # an integer: PostgreSQL compares no text to a number
        row = conn.execute(f"SELECT json FROM incidents WHERE {key} = ? OR json_extract(json, '$.id') = ?",
                           (number, ref)).fetchone()
        record = json.loads(row[0]) if row else None
    if record is None:
        raise NotFoundError(f"no incident {ref!r}: ids are listed by /api/incidents")
    record["reports"] = [_enrich(conn, r) for r in record.get("reports") or []]
    return record


def _enrich(conn: sqlite3.Connection, report: dict[str, Any]) -> dict[str, Any]:
    doc = conn.execute(
        "SELECT rowid, title, url, publisher, published FROM documents WHERE id = ? OR sha256 = ?"
        " ORDER BY version DESC LIMIT 1", (report.get("document"), report.get("document"))).fetchone()
    out = dict(report)
    out["quotes"] = []
    if doc is None:
        return out
    out["title"] = doc["title"]
    out["url"] = doc["url"]
    out.setdefault("publisher", doc["publisher"])
    out["publisher"] = out.get("publisher") or doc["publisher"]
    out["published"] = out.get("published") or doc["published"]
    indexes: list[int] = []
    if report.get("event") is not None:
        ev = conn.execute("SELECT id, json FROM events WHERE document = ? AND idx = ?",
                          (doc["rowid"], report["event"])).fetchone()
        if ev:
            indexes = json.loads(ev[1]).get("figures") or []
            out["event_id"] = f"E{ev[0]}"  # what a correction names (POST /api/review/events/E3)
            sha256, found = _corrections_of(conn, doc["rowid"])
            now = standing("event", json.loads(ev[1]), report["event"], sha256, found)
            # the event's fields as they stand (what its edit form starts from), as extracted, and its reviews
            out["event_values"] = event_values(now.value)
            out["event_extracted"] = event_values(json.loads(ev[1]))
            out["event_reviews"] = now.reviews
    for fig in _figures_of(conn, doc["rowid"], indexes):
        out["quotes"].append(_quote(fig))
    if not out["quotes"] and report.get("evidence"):
        out["quotes"].append({"text": report["evidence"].get("text") or "", "highlight": None, "figure": None})
    return out


def _quote(fig: dict[str, Any]) -> dict[str, Any]:
    """The figure's sentence with the offsets of its number (or its own words) inside it."""
    sentence = fig.get("sentence") or fig.get("evidence") or {}
    text = sentence.get("text") or ""
    mark = fig.get("number") or fig.get("evidence")
    highlight = None
    if mark and sentence.get("start") is not None and mark.get("start") is not None:
        s, e = mark["start"] - sentence["start"], mark["end"] - sentence["start"]
        if 0 <= s < e <= len(text):
            highlight = [s, e]
    # the figure as it stands after corrections (what an edit form starts from), as extracted, and its reviews
    return {"text": text, "highlight": highlight, "figure": _summary(fig), "figure_id": fig.get("_id"),
            "extracted": fig.get("_extracted"), "reviews": fig.get("_reviews") or [],
            "rejected": bool(fig.get("_rejected"))}


def _summary(fig: dict[str, Any]) -> dict[str, Any]:
    return {k: fig.get(k) for k in ("kind", "who", "low", "best", "high", "qualifier", "aggregate", "attributed_to",
                                     "via")}
