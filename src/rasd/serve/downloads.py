"""What the map page loads, and what it downloads, read-only.

- ``GET /api/map``: every incident (or those in a ``bbox``) in the slim form the map
  draws: type, date, place, actors, figures and source count, without reports and
  history, in one response (about a tenth of the full records' size). The page opens
  one incident's full record (``/api/incidents/{id}``) only when it is clicked.
- ``GET /api/export``: the incidents matching the page's filters as a file (ACLED CSV,
  the numeric CSV of ``rasd incidents --format csv``, or GeoJSON)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Annotated, Any, Literal, cast

from fastapi import FastAPI, Query
from fastapi.responses import Response

from ..errors import StoreError
from ..link import export as ex
from ..link import repository
from ..store.base import Store
from ..taxonomy import event_types
from . import queries as qs


class ReadOnly:
    """The one method ``link.repository`` reads through (``query``), over a read-only connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        try:
            return [dict(row) for row in self.conn.execute(sql, params)]
        except sqlite3.Error as exc:
            raise StoreError(f"SQL failed: {exc}") from None


MEDIA = {"acled": "text/csv; charset=utf-8", "csv": "text/csv; charset=utf-8",
         "geojson": "application/geo+json"}


MAP_LIMIT = 100_000
# What the map does not draw, removed by SQLite (no parsing in Python): reports, history, spans, candidates.
SLIM = ("json_remove(i.json, '$.reports', '$.history', '$.targets', '$.schema', '$.place.candidates',"
        " '$.place.span', '$.place.text', '$.date.span', '$.date.text')")


def map_items(conn: sqlite3.Connection, bbox: qs.BBox | None) -> list[str]:
    """The slim incidents as JSON texts, by date then id; in ``bbox`` through the R*Tree of migration 003."""
    if bbox is None:
        sql = f"SELECT {SLIM} FROM incidents i ORDER BY i.date_start, i.id LIMIT ?"
        params: tuple[Any, ...] = (MAP_LIMIT,)
    else:
        sql = (f"SELECT {SLIM} FROM incidents i JOIN incidents_geo g ON g.id = i.id WHERE g.min_lon >= ?"
               " AND g.max_lon <= ? AND g.min_lat >= ? AND g.max_lat <= ? ORDER BY i.date_start, i.id LIMIT ?")
        params = (bbox.min_lon, bbox.max_lon, bbox.min_lat, bbox.max_lat, MAP_LIMIT)
    return [row[0] for row in conn.execute(sql, params)]


def register(app: FastAPI, path: str) -> None:
    @app.get("/api/map", tags=["incidents"])
    def map_view(bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat")] = None) -> Response:
        """Every incident in the slim form the map draws (no reports, no history), in one response."""
        box = qs.BBox.parse(bbox) if bbox else None
        conn = qs.connect_readonly(path)
        try:
            items = map_items(conn, box) if _has_incidents(conn) else []
        finally:
            conn.close()
        body = '{"ok":true,"count":' + str(len(items)) + ',"items":[' + ",".join(items) + "]}"
        return Response(body.encode("utf-8"), media_type="application/json")

    @app.get("/api/export", tags=["incidents"], response_class=Response)
    def export(format: Annotated[Literal["acled", "csv", "geojson"], Query(description="file format")] = "csv",
               kind: Annotated[list[str] | None, Query(description="event or sub-event types")] = None,
               place: Annotated[str | None, Query(description="part of the place name, admin1, or a country code")] = None,
               since: Annotated[dt.date | None, Query()] = None, until: Annotated[dt.date | None, Query()] = None,
               source: Annotated[str | None, Query(description="part of a publisher or source")] = None,
               min_sources: Annotated[int, Query(ge=0)] = 0) -> Response:
        """The incidents matching the filters as a file to download (ACLED CSV, numeric CSV or GeoJSON)."""
        kinds = [k.strip() for value in (kind or []) for k in value.split(",") if k.strip()]
        try:
            kinds = event_types(kinds)
        except ValueError as exc:
            raise qs.BadRequest(str(exc)) from None
        conn = qs.connect_readonly(path)
        try:
            found = repository.incidents(cast(Store, ReadOnly(conn)), kind=kinds, place=place, since=since,
                                         until=until, source=source, min_sources=min_sources)
        finally:
            conn.close()
        if format == "acled":
            body = ex.acled_csv(found)
        elif format == "csv":
            body = ex.incidents_csv(found)
        else:
            body = json.dumps(ex.geojson(found), ensure_ascii=False)
        name = f"rasd-incidents.{'geojson' if format == 'geojson' else 'csv'}"
        return Response(body.encode("utf-8"), media_type=MEDIA[format],
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _has_incidents(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'incidents'").fetchone() is not None
