"""``rasd serve``: the REST API and the map page over a store, on uvicorn."""

from __future__ import annotations

import click

from .. import settings


@click.command()
@click.option("--db", "db", default=None,
              help="SQLite file or postgresql:// URL to serve (default: the `db` setting, rasd.db).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]), help="uvicorn's log level.")
def serve(db: str | None, host: str, port: int, log_level: str) -> None:
    """Serve the map at / and the read-only REST API at /api (OpenAPI at /openapi.json)."""
    import uvicorn

    from .app import create_app

    path = db or str(settings.get("db"))
    app = create_app(path)
    from ..store.postgres import redact

    shown = f"[{host}]" if ":" in host else host
    click.echo(f"rasd: serving {redact(path)} read-only at http://{shown}:{port}/ (Ctrl+C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level)
