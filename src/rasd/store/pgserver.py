"""A throwaway PostgreSQL server for tests and benchmarks: initdb + pg_ctl in a temporary folder.

``TempServer()`` finds the server binaries (``$PG_BIN``, ``PATH``, else the
newest ``/usr/lib/postgresql/N/bin``), runs ``initdb`` into a temporary folder
and starts ``postgres`` listening on a unix socket there only (no TCP port).
PostgreSQL refuses to run as root, so under root the folder is handed to the
``postgres`` system user (Debian's package creates it) and the server runs as
that user through ``runuser``; the database superuser is ``rasd`` either way,
with trust authentication on the socket. ``url(name)`` gives a
``postgresql://`` URL for a database created with ``create_database``.

``unavailable()`` says in one sentence why no server can be started here (no
binaries, no PostGIS), or None.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "rasd"


def find_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, or None."""
    given = os.environ.get("PG_BIN")
    candidates = [given] if given else []
    found = shutil.which("initdb")
    if found:
        candidates.append(str(Path(os.path.realpath(found)).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0, reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def unavailable() -> str | None:
    """Why a PostgreSQL server with PostGIS cannot be started here, or None when it can."""
    folder = find_bin()
    if folder is None:
        return "PostgreSQL is not installed (no initdb): apt-get install postgresql postgresql-15-postgis-3"
    share = _sharedir(folder)
    if share is not None and not list((share / "extension").glob("postgis.control")):
        return f"PostGIS is not installed for {share}: apt-get install postgresql-15-postgis-3"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _sharedir(folder: Path) -> Path | None:
    try:
        out = subprocess.run([str(folder / "pg_config"), "--sharedir"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return Path(out.stdout.strip())


class TempServer:
    """A running PostgreSQL server in a temporary folder; ``stop()`` (or ``with``) removes it."""

    def __init__(self) -> None:
        why = unavailable()
        if why:
            raise RuntimeError(why)
        self.bin = find_bin()
        assert self.bin is not None
        self.dir = Path(tempfile.mkdtemp(prefix="rasd-pg-"))
        self.data = self.dir / "data"
        self.socket = str(self.dir)
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")
        options = (f"-k {self.socket} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
                   " -c full_page_writes=off -c max_connections=60 -c shared_buffers=64MB")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        assert self.bin is not None
        cmd = [*self.as_user, str(self.bin / program), *args]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            log = (self.dir / "log").read_text() if (self.dir / "log").exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()} {log[-500:]}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={quote(self.socket, safe='')}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template`` when given); return its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.data.exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> TempServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
