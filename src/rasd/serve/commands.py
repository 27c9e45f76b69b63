"""``rasd serve``: the REST API and the map page over a store, on uvicorn."""

from __future__ import annotations

import errno
import secrets
import socket

import click

from .. import settings
from ..errors import RasdError


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); a busy port or an unknown host is a RasdError saying so.

    Bound here, before uvicorn starts, so that the failure is one line and exit code 1
    (uvicorn would log it and exit 3 after printing that it serves)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise RasdError(f"cannot serve on {host}:{port}: unknown host ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            reason = "the port is in use by another program (stop it, or choose another with --port)"
        elif exc.errno == errno.EACCES:
            reason = "permission denied (ports below 1024 need privileges; choose another with --port)"
        else:
            reason = exc.strerror or str(exc)
        raise RasdError(f"cannot serve on {host}:{port}: {reason}") from None
    sock.set_inheritable(True)
    return sock


def write_token(given: str | None) -> str | None:
    """The token that unlocks writes: --write-token VALUE, a fresh one for a bare --write-token,
    else the ``write_token`` setting; None keeps the server read-only."""
    if given == "generate":
        return secrets.token_urlsafe(24)
    if given:
        return given
    configured = str(settings.get("write_token") or "")
    return configured or None


@click.command()
@click.option("--db", "db", default=None,
              help="SQLite file or postgresql:// URL to serve (default: the `db` setting, rasd.db).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]), help="uvicorn's log level.")
@click.option("--write-token", "token", is_flag=False, flag_value="generate", default=None, metavar="[TOKEN]",
              help="Accept corrections (review) from clients that send this token; bare --write-token makes "
                   "one up and prints it. Default: the `write_token` setting; unset, the server is read-only.")
def serve(db: str | None, host: str, port: int, log_level: str, token: str | None) -> None:
    """Serve the map at / and the REST API at /api (OpenAPI at /openapi.json).

    Reads are open; writes (corrections under /api/review) need the write token
    in an ``Authorization: Bearer TOKEN`` header, and are refused when none is set.
    """
    import uvicorn

    from .app import allowed_hosts_for, create_app

    path = db or str(settings.get("db"))
    secret = write_token(token)
    app = create_app(path, write_token=secret, allowed_hosts=allowed_hosts_for(host))
    sock = bind(host, port)
    from ..store.postgres import redact

    shown = f"[{host}]" if ":" in host else host
    mode = "corrections accepted with the write token" if secret else "read-only"
    click.echo(f"rasd: serving {redact(path)} ({mode}) at http://{shown}:{sock.getsockname()[1]}/ (Ctrl+C stops)", err=True)
    if secret and token == "generate":
        click.echo(f"rasd: write token: {secret}", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level=log_level))
    server.run(sockets=[sock])
