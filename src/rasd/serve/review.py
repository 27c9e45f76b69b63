"""Corrections through the REST API: ``/api/review``.

Reads are open (``GET /api/review`` lists every correction). Writes need the
server's write token (``rasd serve --write-token`` or the ``write_token``
setting) in an ``Authorization: Bearer TOKEN`` header; without a configured token
the server refuses every write (403), with a wrong one 401. CSRF-safe: a browser
cannot add that header to a cross-site request without a CORS preflight, which
this server never grants; a JSON body is required, and a request whose
``Origin`` is not this server is refused.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..errors import NotFoundError, ReviewError
from . import queries as qs


class Why(BaseModel):
    why: str = Field(min_length=1, max_length=2000, description="why: kept with the correction")
    who: str = Field("api", min_length=1, max_length=200, description="who corrects")


class ItemCorrection(Why):
    action: Literal["accept", "reject", "edit"]
    changes: dict[str, Any] = Field(default_factory=dict, description="edit: field -> new value")


class Merge(Why):
    others: list[str] = Field(min_length=1, description="incidents to merge into this one")


class Detach(Why):
    documents: list[str] = Field(min_length=1, description="documents whose reports leave this incident")


class Denied(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def check_write(request: Request, token: str | None) -> None:
    """Raise Denied unless the request carries the write token, as JSON, from this origin (or none)."""
    if not token:
        raise Denied(403, "this server is read-only: start it with `rasd serve --write-token` to accept corrections")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(value.strip().encode(), token.encode()):
        raise Denied(401, "a correction needs the write token: send 'Authorization: Bearer TOKEN'")
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise Denied(415, "send the correction as application/json")
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host", ""):
        raise Denied(403, f"cross-origin write refused (Origin {origin})")


def register(app: FastAPI, path: str, write_token: str | None) -> None:
    """Add the review routes to ``app`` (the API over the store at ``path``)."""
    lock = threading.Lock()

    @app.exception_handler(ReviewError)
    async def bad_review(_: Request, exc: ReviewError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(Denied)
    async def denied(_: Request, exc: Denied) -> JSONResponse:
        return _error(exc.status, str(exc))

    def write(request: Request, action: Any) -> dict[str, Any]:
        from ..review import ref_of
        from ..store import open_store

        check_write(request, write_token)
        with lock, open_store(path) as store:
            c = action(store)
            return {"ok": True, "item": {**c.to_dict(), "ref": ref_of(store, c)}}

    @app.get("/api/review", tags=["review"])
    def list_corrections() -> dict[str, Any]:
        """Every correction a person made, oldest first: target, action, changes, who, when, why.

        Also the values an edit may take (``figure_kinds``, ``sub_event_types``), for the page's edit form.
        """
        from ..model import FIGURE_KINDS, SUB_EVENT_TO_TYPE

        items = _list(path)
        return {"ok": True, "items": items, "count": len(items), "writable": bool(write_token),
                "figure_kinds": list(FIGURE_KINDS), "sub_event_types": list(SUB_EVENT_TO_TYPE)}

    _register_writes(app, write)


def _register_writes(app: FastAPI, write: Any) -> None:
    """The POST routes; ``write(request, action)`` checks the token and runs ``action(store)``."""

    @app.post("/api/review/figures/{ref}", tags=["review"])
    def review_figure(ref: str, body: ItemCorrection, request: Request) -> dict[str, Any]:
        """Accept, reject or edit a figure (fields: kind, who, low, best, high, aggregate, attributed_to, via)."""
        from ..review import correct

        return write(request, lambda s: correct(s, _ref("F", ref), body.action, body.changes, why=body.why,
                                                who=body.who))

    @app.post("/api/review/events/{ref}", tags=["review"])
    def review_event(ref: str, body: ItemCorrection, request: Request) -> dict[str, Any]:
        """Accept, reject or edit an event (fields: sub_event_type, place, date, actor1, actor2)."""
        from ..review import correct

        return write(request, lambda s: correct(s, _ref("E", ref), body.action, body.changes, why=body.why,
                                                who=body.who))

    @app.post("/api/review/incidents/{ref}/merge", tags=["review"])
    def review_merge(ref: str, body: Merge, request: Request) -> dict[str, Any]:
        """Merge other incidents into this one."""
        from ..review.links import merge

        return write(request, lambda s: merge(s, ref, body.others, why=body.why, who=body.who))

    @app.post("/api/review/incidents/{ref}/detach", tags=["review"])
    def review_detach(ref: str, body: Detach, request: Request) -> dict[str, Any]:
        """Move some documents' reports out of this incident into a new one (a split when several)."""
        from ..review.links import detach

        return write(request, lambda s: detach(s, ref, body.documents, why=body.why, who=body.who))


def _ref(prefix: str, ref: str) -> str:
    text = ref.strip()
    if text[:1].upper() == prefix:
        text = text[1:]
    if not text.isdigit():
        raise NotFoundError(f"{ref!r} is not a {'figure' if prefix == 'F' else 'event'} id ({prefix}12)")
    return prefix + text


def _list(path: str) -> list[dict[str, Any]]:
    conn = qs.connect_readonly(path)
    try:
        rows = conn.execute("SELECT id, target, document, idx, evidence, incident, reports, action, changes, who, at,"
                            " why FROM corrections ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        return []  # a store made before migration 006 has none
    finally:
        conn.close()
    import json

    return [{**dict(r), "changes": json.loads(r["changes"] or "{}"),
             "reports": json.loads(r["reports"]) if r["reports"] else None} for r in rows]
