"""The REST API and the map page: ``create_app(db_path)`` gives a FastAPI app over one store, read-only.

Every error, whatever raised it (a bad parameter, an unknown id or route, a
bug), reaches the client in one shape: ``{"ok": false, "error": "...", "status": N}``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__, taxonomy
from ..errors import NotFoundError, RasdError
from ..store import is_url
from . import incidents as inc
from . import queries as qs

LOGGER = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"

# The page loads only its own files: no inline script, no third-party origin.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
       " connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


class ErrorBody(BaseModel):
    ok: bool = False
    error: str
    status: int


class Page(BaseModel):
    ok: bool = True
    items: list[dict[str, Any]]
    count: int = Field(description="items on this page")
    next: str | None = Field(None, description="cursor of the next page; null on the last one")


class Item(BaseModel):
    ok: bool = True
    item: dict[str, Any]


class SearchResult(BaseModel):
    ok: bool = True
    query: str
    items: list[dict[str, Any]]
    count: int


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A parameter is invalid"},
    404: {"model": ErrorBody, "description": "Nothing has that id"},
    500: {"model": ErrorBody, "description": "The server failed"},
}


def paged(items: list[Any], nxt: str | None) -> Response:
    """A page, serialised once: records stored as JSON text (str items) are spliced in as they are."""
    parts = [x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in items]
    body = '{"ok": true, "items": [' + ",".join(parts) + '], "count": ' + str(len(items)) + ', "next": ' + json.dumps(nxt) + "}"
    return Response(body.encode("utf-8"), media_type="application/json")


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


class Connections:
    """One read-only connection per worker thread: SQLite (``mode=ro``), or PostgreSQL for a
    ``postgresql://`` URL (read-only transactions, SQL translated by ``store.pgsql``)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = qs.connect_readonly(self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()


def _query(kind: list[str] | None, place: str | None, admin1: str | None, since: dt.date | None,
           until: dt.date | None, source: str | None, event_type: str | None, bbox: str | None,
           limit: int, cursor: str | None, include_rejected: bool = False) -> qs.Query:
    kinds = [k.strip() for value in (kind or []) for k in value.split(",") if k.strip()]
    if since and until and since > until:
        raise qs.BadRequest(f"since ({since}) is after until ({until})")
    return qs.Query(kind=kinds, place=place, admin1=admin1, since=since, until=until, source=source,
                    event_type=event_type, bbox=qs.BBox.parse(bbox) if bbox else None, limit=limit, cursor=cursor,
                    include_rejected=include_rejected)


def _known(check: Any, values: list[str]) -> None:
    """A kind or type outside the taxonomy is a bad request that names it, with the closest known value."""
    try:
        check(values)
    except RasdError as exc:
        raise qs.BadRequest(str(exc)) from None


# The CLI's filters, declared once.
Kind = Annotated[list[str] | None, Query(description="kinds (figures) or event/sub-event types (events); repeat or comma-separate")]
Place = Annotated[str | None, Query(description="part of the place name or admin1, or a country code")]
Admin1 = Annotated[str | None, Query(description="first-level administrative division, exactly (e.g. Idlib)")]
Since = Annotated[dt.date | None, Query(description="period overlaps this date or later (YYYY-MM-DD)")]
Until = Annotated[dt.date | None, Query(description="period overlaps this date or earlier (YYYY-MM-DD)")]
Source = Annotated[str | None, Query(description="part of the publisher, attributed_to or via")]
EventType = Annotated[str | None, Query(description="ACLED event type or sub-event type")]
Bbox = Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat", examples=["35.5,35.0,37.5,36.8"])]
Limit = Annotated[int, Query(ge=1, le=qs.MAX_LIMIT, description="items per page")]
Cursor = Annotated[str | None, Query(description="the `next` value of the previous page")]
IncludeRejected = Annotated[bool, Query(description="include what a person rejected (left out by default)")]


def create_app(db_path: str | Path, write_token: str | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The API and page over the store at ``db_path``, opened read-only.

    With a ``write_token``, the review routes (``serve/review.py``) accept corrections
    from clients that send it; without one they refuse every write.
    ``allowed_hosts``: the ``Host`` header values answered (``rasd serve`` gives the address it binds;
    a request naming another host gets 400, so a DNS-rebinding page cannot read the API); None: any.
    """
    path = str(db_path)
    if not is_url(path) and not Path(path).is_file():
        raise RasdError(f"no database at {path}: build one with `rasd ingest FILES --db {path}`")
    qs.connect_readonly(path).close()  # fail now, not on the first request, when it is not a database
    pool = Connections(path)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(title="rasd", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Incidents, events and figures with their sources, read-only.")
    _install_errors(app)

    @app.middleware("http")
    async def headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        try:
            response = _refused(request, allowed_hosts) or await call_next(request)
        except Exception:  # noqa: BLE001 - answered here, so the 500 keeps the headers and the connection
            LOGGER.exception("unhandled error")
            response = error(500, "internal error: the server log has the details")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/api/incidents", response_model=Page, responses=ERRORS, tags=["incidents"])
    def list_incidents(kind: Kind = None, place: Place = None, admin1: Admin1 = None, since: Since = None,
                       until: Until = None, source: Source = None, event_type: EventType = None, bbox: Bbox = None,
                       limit: Limit = 100, cursor: Cursor = None) -> Response:
        """Incidents (each with its reports and per-kind figures), oldest id first."""
        q = _query(kind, place, admin1, since, until, source, event_type, bbox, limit, cursor)
        items, nxt = inc.list_incidents(pool.get(), q)
        return paged(items, nxt)

    @app.get("/api/incidents/{incident_id}", response_model=Item, responses=ERRORS, tags=["incidents"])
    def get_incident(incident_id: str) -> dict[str, Any]:
        """One incident; each report carries its document's title, link and the sentences of its figures."""
        return {"ok": True, "item": inc.get_incident(pool.get(), incident_id)}

    @app.get("/api/events", response_model=Page, responses=ERRORS, tags=["events"])
    def list_events(kind: Kind = None, place: Place = None, admin1: Admin1 = None, since: Since = None,
                    until: Until = None, source: Source = None, event_type: EventType = None, bbox: Bbox = None,
                    limit: Limit = 100, cursor: Cursor = None, include_rejected: IncludeRejected = False) -> Response:
        """Events as documents report them (one row per document event); rejected ones only when asked."""
        q = _query(kind, place, admin1, since, until, source, event_type, bbox, limit, cursor, include_rejected)
        _known(taxonomy.event_types, [*q.kind, *([q.event_type] if q.event_type else [])])
        items, nxt = qs.events(pool.get(), q)
        return paged(items, nxt)

    @app.get("/api/figures", response_model=Page, responses=ERRORS, tags=["figures"])
    def list_figures(kind: Kind = None, place: Place = None, admin1: Admin1 = None, since: Since = None,
                     until: Until = None, source: Source = None, bbox: Bbox = None, limit: Limit = 100,
                     cursor: Cursor = None, include_rejected: IncludeRejected = False) -> Response:
        """Figures with their source and evidence; rejected ones only when asked."""
        q = _query(kind, place, admin1, since, until, source, None, bbox, limit, cursor, include_rejected)
        _known(taxonomy.figure_kinds, q.kind)
        items, nxt = qs.figures(pool.get(), q)
        return paged(items, nxt)

    @app.get("/api/documents", response_model=Page, responses=ERRORS, tags=["documents"])
    def list_documents(since: Since = None, until: Until = None, source: Source = None, limit: Limit = 100,
                       cursor: Cursor = None) -> Response:
        """Documents (newest version of each), without their text."""
        q = _query(None, None, None, since, until, source, None, None, limit, cursor)
        items, nxt = qs.documents(pool.get(), q)
        return paged(items, nxt)

    @app.get("/api/documents/{document_id}", response_model=Item, responses=ERRORS, tags=["documents"])
    def get_document(document_id: str) -> dict[str, Any]:
        """One document by id, sha256 or a unique prefix of 8+ characters, with its text."""
        return {"ok": True, "item": qs.document(pool.get(), document_id)}

    @app.get("/api/search", response_model=SearchResult, responses=ERRORS, tags=["documents"])
    def search(q: Annotated[str, Query(min_length=1, max_length=500, description="words; all must match")],
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        """Full-text search over document titles and text; the snippet marks matches with [ ]."""
        items = qs.search(pool.get(), q, limit)
        return {"ok": True, "query": q, "items": items, "count": len(items)}

    from . import downloads, review

    review.register(app, path, write_token)
    downloads.register(app, path)
    _tidy_openapi(app)
    app.add_middleware(HeadAsGet)
    return app


class HeadAsGet:
    """HEAD answered wherever GET is: the GET response's status and headers, without its body."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def _refused(request: Request, allowed_hosts: list[str] | None) -> Response | None:
    """A 400 for a foreign Host header or a query parameter holding control characters, else None."""
    if allowed_hosts is not None and "*" not in allowed_hosts:
        host = _host_name(request.headers.get("host", ""))
        if host not in allowed_hosts:
            return error(400, f"Host {host!r} is not served here (setting allowed_hosts lists the names a proxy uses)")
    for name, value in request.query_params.multi_items():
        bad = next((c for c in value if ord(c) < 32 or 0x7F <= ord(c) <= 0x9F), None)
        if bad is not None:
            return error(400, f"{name}: contains the control character U+{ord(bad):04X}")
        if name in ("place", "source", "admin1", "event_type", "q", "cursor", "kind", "bbox") and not value.strip():
            return error(400, f"{name}: is empty; leave it out for no filter")
    return None


def _host_name(header: str) -> str:
    """``example.org:8000`` -> ``example.org``; ``[::1]:8000`` -> ``::1``; lower case."""
    h = header.strip().lower()
    if h.startswith("["):
        return h[1:].split("]", 1)[0]
    return h.rsplit(":", 1)[0] if h.count(":") == 1 else h


def allowed_hosts_for(bind: str) -> list[str] | None:
    """What ``rasd serve --host BIND`` answers to: the address it binds and, for a loopback bind, the
    loopback names, plus the ``allowed_hosts`` setting; None (any) when it binds every interface and
    the setting names none."""
    from .. import settings

    extra = [h.strip().lower() for h in str(settings.get("allowed_hosts")).split(",") if h.strip()]
    bind = bind.strip().strip("[]").lower()
    if bind in ("0.0.0.0", "::", ""):
        return extra or None
    loopback = ["127.0.0.1", "localhost", "::1"] if bind in ("127.0.0.1", "localhost", "::1") else []
    return [bind, *loopback, *extra]


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error(400, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = "no such route: see /openapi.json" if exc.status_code == 404 else str(exc.detail)
        return error(exc.status_code, message)

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error(404, str(exc))

    @app.exception_handler(qs.BadRequest)
    async def bad(_: Request, exc: qs.BadRequest) -> JSONResponse:
        return error(400, str(exc))

    @app.exception_handler(RasdError)
    async def rasd_error(_: Request, exc: RasdError) -> JSONResponse:
        LOGGER.error("request failed: %s", exc)
        return error(500, str(exc))

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception) -> JSONResponse:
        LOGGER.exception("unhandled error")
        return error(500, "internal error: the server log has the details")


def _tidy_openapi(app: FastAPI) -> None:
    """Drop FastAPI's default 422 responses: this API answers validation errors with 400 ErrorBody."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for item in schema.get("paths", {}).values():
            for op in item.values():
                op.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
