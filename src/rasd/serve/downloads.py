"""Downloads: ``GET /api/export`` gives the incidents matching the page's filters as a file
(ACLED CSV, the numeric CSV of ``rasd incidents --format csv``, or GeoJSON), read-only."""

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


def register(app: FastAPI, path: str) -> None:
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
