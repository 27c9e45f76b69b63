"""What the map page loads, and what it downloads, read-only.

- ``GET /api/map``: the incidents in the visible bounds (``bbox``) that pass the page's
  filters, in the slim form the map draws (``serve/mapview.py``): type, date, place, actors,
  figures and source count, without reports and history (about a tenth of the full
  records' size). The page opens one incident's full record (``/api/incidents/{id}``)
  only when it is clicked.
- ``GET /api/map/export``: every incident of the map's view (the same box and filters as
  ``/api/map``) as a file: what the page's download links ask for, so a download holds what
  the map shows.
- ``GET /api/export``: the incidents matching the filters of ``rasd incidents`` as a file (ACLED
  CSV, the numeric CSV of ``rasd incidents --format csv``, or GeoJSON)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Annotated, Any, Literal, cast

from fastapi import Depends, FastAPI, Query
from fastapi.responses import Response

from ..errors import RasdError, StoreError
from ..link import export as ex
from ..link import repository
from ..model import HistoryEntry, Incident
from ..store.base import Store
from ..taxonomy import event_types
from . import mapview
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


def map_filter(bbox: Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat: the visible bounds")] = None,
               type: Annotated[str | None, Query(description="event type, exactly")] = None,
               sub: Annotated[str | None, Query(description="sub-event type, exactly")] = None,
               country: Annotated[str | None, Query(description="ISO 3166 alpha-2 code")] = None,
               killed: Annotated[int | None, Query(ge=0, description="killed at least")] = None,
               sources: Annotated[int | None, Query(ge=0, description="independent sources at least")] = None,
               since: Annotated[dt.date | None, Query(description="starts on or after")] = None,
               until: Annotated[dt.date | None, Query(description="starts on or before")] = None,
               q: Annotated[str | None, Query(max_length=500, description="words: each in the place, type, id or an actor")] = None,
               actor: Annotated[str | None, Query(max_length=200, description="part of an actor's name")] = None,
               ) -> mapview.MapFilter:
    """The map's view from the query string: what ``/api/map`` and ``/api/map/export`` share. A type or sub-event
    type outside ACLED's taxonomy is a bad request naming it (nothing would match)."""
    try:
        event_types([t for t in (type, sub) if t])
    except RasdError as exc:
        raise qs.BadRequest(str(exc)) from None
    return mapview.MapFilter(bbox=qs.BBox.parse(bbox) if bbox else None, type=type, sub=sub, country=country,
                             killed=killed, sources=sources, since=since, until=until, q=q, actor=actor)


View = Annotated[mapview.MapFilter, Depends(map_filter)]
Format = Annotated[Literal["acled", "csv", "geojson"], Query(description="file format")]


def _file(found: list[Incident], format: str) -> Response:
    if format == "acled":
        body = ex.acled_csv(found)
    elif format == "csv":
        body = ex.incidents_csv(found)
    else:
        body = json.dumps(ex.geojson(found), ensure_ascii=False)
    name = f"rasd-incidents.{'geojson' if format == 'geojson' else 'csv'}"
    return Response(body.encode("utf-8"), media_type=MEDIA[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _with_history(conn: sqlite3.Connection, rows: list[tuple[int, str]]) -> list[Incident]:
    """Incident records with their history lines (the exports' ``reviewed`` column reads them)."""
    history = qs.has_table(conn, "incident_history")
    out = []
    for number, text in rows:
        record = Incident.from_json(text)
        if history:
            record.history = [HistoryEntry(at=str(r[0]), change=str(r[1])) for r in conn.execute(
                "SELECT at, change FROM incident_history WHERE incident = ? ORDER BY id", (number,))]
        out.append(record)
    return out


def register(app: FastAPI, path: str) -> None:
    @app.get("/api/map", tags=["incidents"])
    def map_view(f: View,
                 limit: Annotated[int, Query(ge=0, le=mapview.MAP_LIMIT, description="at most this many items")] = mapview.MAP_LIMIT,
                 facets: Annotated[bool, Query(description="add the filter lists' values and the matches' extent")] = False,
                 ) -> Response:
        """The incidents in the viewport that pass the map's filters, slim (no reports, no history), with
        how many match in the box (``matched``), anywhere (``total``) and without coordinates (``unplaced``)."""
        f.limit = limit
        conn = qs.connect_readonly(path)
        try:
            body = mapview.map_body(conn, f, facets=facets)
        finally:
            conn.close()
        return Response(body.encode("utf-8"), media_type="application/json")

    @app.get("/api/map/export", tags=["incidents"], response_class=Response)
    def map_export(f: View, format: Format = "csv") -> Response:
        """Every incident of the map's view (the same parameters as ``/api/map``: the box and the filters) as a
        file to download, by date: what the map shows, including any beyond the map's ``limit``."""
        conn = qs.connect_readonly(path)
        try:
            found = _with_history(conn, mapview.view_rows(conn, f))
        finally:
            conn.close()
        return _file(found, format)

    @app.get("/api/export", tags=["incidents"], response_class=Response)
    def export(format: Format = "csv",
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
        return _file(found, format)

