"""Shared fixtures. Tests that read ../shared skip with a clear message when it is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} not found: this test needs ../shared beside the repository ({path})")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (skips when absent)."""
    return _need(SHARED)


@pytest.fixture(scope="session")
def corpus_text(shared: Path) -> str:
    return _need(shared / "corpus" / "idlib-2020-02.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_expected(shared: Path) -> dict[str, Any]:
    return json.loads(_need(shared / "corpus" / "idlib-2020-02.expected.json").read_text(encoding="utf-8"))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in _need(path).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def corpus_extraction(corpus_text: str, corpus_expected: dict[str, Any]) -> Any:
    """The corpus article extracted once for the whole session."""
    import rasd

    return rasd.extract(corpus_text, published=corpus_expected["published"])


# -- the same tests on SQLite and on PostgreSQL ----------------------------------------------
# Tests that take ``backend_db`` (or a fixture built on it) run once per backend: a SQLite file
# in a temporary folder, and a fresh database on a PostgreSQL server this session starts itself
# (initdb + pg_ctl on a unix socket in a temporary folder; rasd.store.pgserver). Without
# PostgreSQL and PostGIS installed, the PostgreSQL runs skip and say why.

BACKENDS = ("sqlite", "postgresql")
_PG_TEMPLATE = "rasd_template"
_PG_COUNT = [0]


def pytest_report_header(config: pytest.Config) -> str:
    from rasd.store import pgserver

    why = pgserver.unavailable()
    if why:
        return f"PostgreSQL tests: SKIPPED, {why}"
    return f"PostgreSQL tests: on a temporary server from {pgserver.find_bin()}"


@pytest.fixture(scope="session")
def pg_server() -> Any:
    """A PostgreSQL server for this test session, with a migrated template database."""
    from rasd.store import pgserver
    from rasd.store.postgres import PostgresStore

    why = pgserver.unavailable()
    if why:
        pytest.skip(f"PostgreSQL tests skipped: {why}")
    server = pgserver.TempServer()
    try:
        PostgresStore(server.create_database(_PG_TEMPLATE)).close()
        yield server
    finally:
        server.stop()


def new_pg_database(server: Any) -> str:
    """A fresh, migrated database on the session's server (a copy of the template); its URL."""
    _PG_COUNT[0] += 1
    return str(server.create_database(f"t{_PG_COUNT[0]}", template=_PG_TEMPLATE))


def _db_for(backend: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if backend == "sqlite":
        return str(folder / "t.db")
    return new_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture(params=BACKENDS)
def backend_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store lives: a SQLite file path, or a postgresql:// URL of a fresh database."""
    return _db_for(request.param, request, tmp_path)


@pytest.fixture(scope="module", params=BACKENDS)
def module_backend_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """``backend_db`` shared by a module's tests."""
    return _db_for(request.param, request, tmp_path_factory.mktemp("db"))
