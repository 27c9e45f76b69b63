"""API edges (issue 17): every bad input a 4xx in the one error shape, 500s with the security headers,
HEAD wherever GET, the Host header checked; the library raises only RasdError subclasses."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import rasd
from rasd.serve import create_app
from rasd.serve import queries as qs
from rasd.serve.app import allowed_hosts_for
from rasd.serve.demo import demo_store


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edges") / "demo.db"
    demo_store(path)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db), raise_server_exceptions=False)


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": value}).encode()).decode().rstrip("=")


BAD = [
    "/api/search?q=%00", "/api/search?q=a%00b", "/api/search?q=%20", "/api/search?q=%1b%5b2J",
    f"/api/figures?cursor={_cursor(2**63)}", f"/api/events?cursor={_cursor(-1)}", f"/api/incidents?cursor={_cursor(True)}",
    f"/api/documents?cursor={_cursor(10**40)}", "/api/figures?cursor=%00",
    "/api/figures?place=%00", "/api/events?source=%00", "/api/incidents?admin1=%00", "/api/figures?place=%20",
    "/api/figures?source=", "/api/events?event_type=%00", "/api/figures?bbox=%00",
    "/api/figures?since=2020-13-01", "/api/figures?limit=0", "/api/figures?limit=99999999999999999999999",
    "/api/incidents/I99999999999999999999999", "/api/incidents/I%C2%B2", "/api/documents/%00",
    "/api/figures?kind=%00", "/nope",
]


@pytest.mark.parametrize("url", BAD)
def test_every_bad_input_is_a_4xx_in_the_one_shape(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code, r.text)
    body = r.json()
    assert body["ok"] is False and body["status"] == r.status_code and body["error"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_a_500_keeps_the_security_headers(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(db), raise_server_exceptions=False)

    def broken(*_: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(qs, "figures", broken)
    r = client.get("/api/figures")
    assert r.status_code == 500 and r.json() == {"ok": False, "status": 500,
                                                 "error": "internal error: the server log has the details"}
    assert "Content-Security-Policy" in r.headers and r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["/", "/api/figures", "/api/incidents", "/api/search?q=Saraqib", "/openapi.json"])
def test_head_works_where_get_does(client: TestClient, url: str) -> None:
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]


def test_host_header_is_checked_against_the_bind(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = allowed_hosts_for("127.0.0.1")
    client = TestClient(create_app(db, allowed_hosts=hosts), raise_server_exceptions=False)
    assert client.get("/api/figures", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/figures", headers={"Host": "localhost"}).status_code == 200
    evil = client.get("/api/figures", headers={"Host": "evil.example:8000"})
    assert evil.status_code == 400 and "evil.example" in evil.json()["error"]
    assert "Content-Security-Policy" in evil.headers
    monkeypatch.setenv("RASD_ALLOWED_HOSTS", "rasd.example.org")
    proxied = TestClient(create_app(db, allowed_hosts=allowed_hosts_for("127.0.0.1")))
    assert proxied.get("/api/figures", headers={"Host": "rasd.example.org"}).status_code == 200
    assert allowed_hosts_for("0.0.0.0") == ["rasd.example.org"]
    monkeypatch.delenv("RASD_ALLOWED_HOSTS")
    assert allowed_hosts_for("0.0.0.0") is None and allowed_hosts_for("[::1]")[0] == "::1"  # type: ignore[index]


# -- the library raises RasdError, typed per bad argument ------------------------------------------


@pytest.mark.parametrize("call", [
    lambda s: s.get("F99999999999999999999999"),
    lambda s: s.get("E99999999999999999999999"),
    lambda s: s.get("F\u00b2"),
    lambda s: s.get("\x00\x00\x00\x00\x00\x00\x00\x00"),
    lambda s: s.search("\x00"),
    lambda s: s.search("   "),
    lambda s: s.document(""),
    lambda s: s.figure(2**70),
    lambda s: s.event(-(2**70)),
], ids=["F-huge", "E-huge", "F-superscript", "nul-id", "search-nul", "search-blank", "empty-id", "figure-huge", "event-huge"])
def test_store_functions_raise_only_rasd_errors(tmp_path: Path, call: Any) -> None:
    with rasd.open_store(str(tmp_path / "s.db")) as store:
        try:
            call(store)
        except rasd.RasdError:
            pass


def test_open_store_on_something_else_is_a_rasd_error(tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(rasd.RasdError):
        rasd.open_store(str(bad))
    with pytest.raises(rasd.RasdError):
        rasd.open_store(str(tmp_path / "missing" / "dir" / "x.db"))


@pytest.mark.parametrize("kw", [
    {"since": "2020-13-01"}, {"until": 20200101}, {"kind": [1, 2]}, {"place": "\x00"}, {"source": 5},
    {"limit": 0}, {"limit": "10"}, {"limit": True}, {"document": b"id"},
], ids=["since-bad-iso", "until-int", "kind-ints", "place-nul", "source-int", "limit-0", "limit-str", "limit-bool",
        "document-bytes"])
def test_filters_raise_a_rasd_error_per_bad_argument(kw: dict[str, Any]) -> None:
    with pytest.raises(rasd.RasdError):
        rasd.Filters(**kw)


def test_filters_take_one_kind_and_iso_dates(tmp_path: Path) -> None:
    import datetime as dt

    f = rasd.Filters(kind="killed", since="2020-02-01")
    assert f.kind == ("killed",) and f.since == dt.date(2020, 2, 1)
    with rasd.open_store(str(tmp_path / "f.db")) as store:
        assert store.figures(f) == []
