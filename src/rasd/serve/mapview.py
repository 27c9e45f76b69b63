"""What the map page draws: the incidents inside the visible bounds that pass the page's filters.

``GET /api/map`` takes the viewport (``bbox``) and the page's filters (``type``, ``sub``,
``country``, ``killed``, ``sources``, ``since``, ``until``, ``q``, ``actor``; the same tests
the page applies to what it holds) and answers the matching incidents in the box in a slim
form (no reports, history or spans), with the counts the page states: ``matched`` in the box,
``total`` anywhere, ``unplaced`` (no coordinates, never on a map); so off-screen is
``total - unplaced - matched``. A viewport holding more than ``limit`` incidents gets the
largest (by killed, then independent sources) and ``matched`` says how many more there are.
``facets=true`` adds the values the filter lists offer (over every standing incident) and the
extent of the matching ones, which the page fits its first view to. ``GET /api/map/export`` takes
the same parameters and answers every incident of that view as a file (``view_rows``).

All user values go in as parameters; the SQL names only constants.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from . import queries as qs

MAP_LIMIT = 100_000
# What the map does not draw, removed by SQLite (no parsing in Python): reports, history, spans, candidates.
DROPPED = ("$.reports", "$.history", "$.targets", "$.schema", "$.place.candidates", "$.place.span",
           "$.place.text", "$.date.span", "$.date.text")
SLIM = "json_remove(x.json, " + ", ".join(f"'{p}'" for p in DROPPED) + ")"
DEATHS = "COALESCE(x.killed_best, x.killed_low, x.killed_high, 0)"
_FLAT = ("event_type", "sub_event_type", "date_start", "place", "admin1", "country", "lat", "lon",
         "independent_sources", "killed_low", "killed_best", "killed_high")
ACTOR_NAMES = "SELECT 1 FROM json_each(x.json, '$.actors') a WHERE lower(json_extract(a.value, '$.name')) LIKE ? ESCAPE '\\'"
HAYSTACK = ("lower(COALESCE(x.place, '') || ' ' || COALESCE(x.admin1, '') || ' ' || COALESCE(x.country, '') || ' '"
            " || x.event_type || ' ' || x.sub_event_type || ' i' || x.id)")


@dataclass
class MapFilter:
    """The page's filters (every one optional) and the viewport."""

    bbox: qs.BBox | None = None
    type: str | None = None
    sub: str | None = None
    country: str | None = None
    killed: int | None = None
    sources: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    actor: str | None = None
    limit: int = MAP_LIMIT
    words: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise qs.BadRequest(f"since ({self.since}) is after until ({self.until})")
        self.words = (self.q or "").lower().split()

    def where(self) -> tuple[list[str], list[Any]]:
        """WHERE terms and parameters for every filter but the viewport."""
        terms: list[tuple[str, list[Any]]] = []
        if self.type:
            terms.append(("x.event_type = ?", [self.type]))
        if self.sub:
            terms.append(("x.sub_event_type = ?", [self.sub]))
        if self.country:
            terms.append(("x.country = ?", [self.country.strip().upper()]))
        if self.killed is not None:
            terms.append((f"{DEATHS} >= ?", [self.killed]))
        if self.sources is not None:
            terms.append(("x.independent_sources >= ?", [self.sources]))
        if self.since:
            terms.append(("x.date_start >= ?", [self.since.isoformat()]))
        if self.until:
            terms.append(("x.date_start IS NOT NULL AND substr(x.date_start, 1, 10) <= ?", [self.until.isoformat()]))
        for word in self.words:  # every word somewhere in the place, type, id or an actor's name
            pattern = qs.like(word)
            terms.append((f"({HAYSTACK} LIKE ? ESCAPE '\\' OR EXISTS ({ACTOR_NAMES}))", [pattern, pattern]))
        if self.actor:
            terms.append((f"EXISTS ({ACTOR_NAMES})", [qs.like(self.actor.lower())]))
        return [t for t, _ in terms], [p for _, ps in terms for p in ps]


def _base(conn: sqlite3.Connection) -> str:
    """The standing incidents (merged ones keep their rows for their history) with flat columns as ``x``."""
    have = qs.columns(conn, "incidents")
    geog = ", i.geog" if "geog" in have else ""
    standing = " WHERE i.merged_into IS NULL" if "merged_into" in have else ""
    cols = ", ".join(f"i.{c}" for c in _FLAT)
    return f"(SELECT i.id, i.json, {cols}{geog} FROM incidents i{standing}) x"


def _count(conn: sqlite3.Connection, base: str, where: list[str], params: list[Any]) -> int:
    row = conn.execute(f"SELECT count(*) FROM {base} WHERE {' AND '.join(where) or '1 = 1'}", params).fetchone()
    return int(row[0])


def _slim(conn: sqlite3.Connection, base: str, where: list[str], params: list[Any], limit: int) -> list[str]:
    order = f" ORDER BY {DEATHS} DESC, x.independent_sources DESC, x.id LIMIT ?"
    cond = " AND ".join(where) or "1 = 1"
    if not qs.is_postgres(conn):
        return [str(r[0]) for r in conn.execute(f"SELECT {SLIM} FROM {base} WHERE {cond}{order}", [*params, limit])]
    out = []  # PostgreSQL has no json_remove: the same keys dropped here
    for row in conn.execute(f"SELECT x.json FROM {base} WHERE {cond}{order}", [*params, limit]):
        record = json.loads(row[0])
        for path in DROPPED:
            keys = path[2:].split(".")
            holder = record
            for key in keys[:-1]:
                holder = holder.get(key) if isinstance(holder, dict) else None
            if isinstance(holder, dict):
                holder.pop(keys[-1], None)
        out.append(json.dumps(record, ensure_ascii=False))
    return out


def _facets(conn: sqlite3.Connection, base: str) -> dict[str, list[str]]:
    out = {}
    for col in ("event_type", "sub_event_type", "country"):
        rows = conn.execute(f"SELECT DISTINCT x.{col} FROM {base} WHERE x.{col} IS NOT NULL ORDER BY x.{col}")
        out[col] = [str(r[0]) for r in rows if r[0]]
    return out


def _extent(conn: sqlite3.Connection, base: str, where: list[str], params: list[Any]) -> list[float] | None:
    cond = " AND ".join([*where, "x.lat IS NOT NULL", "x.lon IS NOT NULL"])
    row = conn.execute(f"SELECT min(x.lon), min(x.lat), max(x.lon), max(x.lat) FROM {base} WHERE {cond}", params).fetchone()
    return None if row is None or row[0] is None else [float(v) for v in row]


def view_rows(conn: sqlite3.Connection, f: MapFilter) -> list[tuple[int, str]]:
    """(row id, Incident JSON) of every incident the map's view holds: in the box, passing the filters, by
    date then id, with no limit (the map draws the largest ``limit``; a download holds them all)."""
    if not qs.has_table(conn, "incidents"):
        return []
    base = _base(conn)
    where, params = f.where()
    box_where, box_params = qs.where_bbox(conn, qs.Query(bbox=f.bbox), "x", "incidents_geo")
    cond = " AND ".join(where + box_where) or "1 = 1"
    rows = conn.execute(f"SELECT x.id, x.json FROM {base} WHERE {cond} ORDER BY x.date_start, x.id", params + box_params)
    return [(int(r[0]), str(r[1])) for r in rows]


def map_body(conn: sqlite3.Connection, f: MapFilter, facets: bool = False) -> str:
    """The JSON text of ``/api/map``: ok, count, matched, total, unplaced, items (and facets, extent)."""
    head: dict[str, Any] = {"ok": True}
    items: list[str] = []
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'incidents'").fetchone() is None:
        head.update(count=0, matched=0, total=0, unplaced=0)
    else:
        base = _base(conn)
        where, params = f.where()
        box_where, box_params = qs.where_bbox(conn, qs.Query(bbox=f.bbox), "x", "incidents_geo")
        items = _slim(conn, base, where + box_where, params + box_params, f.limit)
        matched = len(items) if len(items) < f.limit else _count(conn, base, where + box_where, params + box_params)
        head.update(count=len(items), matched=matched, total=_count(conn, base, where, params),
                    unplaced=_count(conn, base, [*where, "(x.lat IS NULL OR x.lon IS NULL)"], params))
        if facets:
            head.update(facets=_facets(conn, base), extent=_extent(conn, base, where, params))
    text = json.dumps(head, ensure_ascii=False)
    return text[:-1] + ',"items":[' + ",".join(items) + "]}"
