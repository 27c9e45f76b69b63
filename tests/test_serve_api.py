"""The REST API over a small demo store: filters, paging, search, one error shape, OpenAPI."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rasd.serve import create_app
from rasd.serve.demo import HOSTILE, demo_store


@pytest.fixture(scope="module")
def db(module_backend_db: str) -> str:
    """The demo store, once in a SQLite file and once in PostgreSQL."""
    demo_store(module_backend_db)
    return module_backend_db


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db), raise_server_exceptions=False)


def ok(client: TestClient, url: str) -> dict[str, Any]:
    r = client.get(url)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    return body


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


def test_incidents_list_and_detail_carry_sources(client: TestClient) -> None:
    body = ok(client, "/api/incidents")
    assert body["count"] == 6 and body["next"] is None
    saraqib = next(i for i in body["items"] if i["place"]["name"] == "Saraqib")
    assert saraqib["independent_sources"] == 2
    item = ok(client, f"/api/incidents/{saraqib['id']}")["item"]
    publishers = {r["publisher"] for r in item["reports"]}
    assert publishers == {"Syrian Observer", "Daily Wire Service"}
    quote = item["reports"][0]["quotes"][0]
    start, end = quote["highlight"]
    assert quote["text"][start:end] == "12"
    assert item["reports"][0]["url"] == "https://example.org/saraqib-1"


def test_filters_narrow_incidents(client: TestClient) -> None:
    assert {i["place"]["name"] for i in ok(client, "/api/incidents?admin1=aleppo")["items"]} == {"Al Atarib"}
    idlib_box = "36.5,35.7,36.9,36.0"  # Saraqib, Ariha, Idlib city; not Atarib (36.14N) nor Daraa
    names = {i["place"]["name"] for i in ok(client, f"/api/incidents?bbox={idlib_box}")["items"]}
    assert names == {"Saraqib", "Ariha", "Idlib"}
    assert ids(ok(client, "/api/incidents?bbox=36.7,35.8,36.9,35.9")) == ["I1"]
    battles = ok(client, "/api/incidents?event_type=Battles")["items"]
    assert {i["event_type"] for i in battles} == {"Battles"} and len(battles) == 2
    period = ok(client, "/api/incidents?since=2020-02-15&until=2020-02-18")["items"]
    assert [i["place"]["name"] for i in period] == ["Al Atarib"]
    assert {i["place"]["name"] for i in ok(client, "/api/incidents?source=levant")["items"]} == {"Ariha", "Maarat al-Numan"}
    assert ok(client, "/api/incidents?place=daraa")["items"][0]["place"]["admin1"] == "Dar'a"


def test_events_figures_documents_filters(client: TestClient) -> None:
    figs = ok(client, "/api/figures?kind=killed&place=saraqib")["items"]
    assert sorted(f["best"] for f in figs) == [12, 14]
    assert {e["document"] for e in ok(client, "/api/events?kind=Armed clash")["items"]} == {"daraa-1"}
    assert ok(client, "/api/events?bbox=35,32,37,33")["items"][0]["place"]["name"] == "Daraa"
    docs = ok(client, "/api/documents?source=north")["items"]
    assert [d["id"] for d in docs] == ["atarib-1"] and "text" not in docs[0]
    doc = ok(client, "/api/documents/atarib-1")["item"]
    assert "jets struck Al Atarib" in doc["text"] and doc["events"] and doc["figures"]
    assert ok(client, f"/api/documents/{doc['sha256'][:10]}")["item"]["id"] == "atarib-1"


def test_paging_with_cursor_visits_everything_once(client: TestClient) -> None:
    seen: list[str] = []
    url = "/api/incidents?limit=4"
    for _ in range(10):
        body = ok(client, url)
        seen += ids(body)
        if not body["next"]:
            break
        url = f"/api/incidents?limit=4&cursor={body['next']}"
    assert seen == ["I1", "I2", "I3", "I4", "I5", "I6"]


def test_search_escapes_fts_syntax(client: TestClient) -> None:
    body = ok(client, "/api/search?q=Saraqib market")
    assert [h["document"]["id"] for h in body["items"]] == ["saraqib-1"]
    assert "[" in body["items"][0]["snippet"]
    for hostile in ('"', "AND OR NOT", "title:*", "NEAR(a b", "'); DROP TABLE documents; --"):
        assert ok(client, f"/api/search?q={hostile}")["items"] == []


def test_hostile_text_is_returned_as_data(client: TestClient) -> None:
    items = ok(client, "/api/documents?source=onerror")["items"]
    assert items and items[0]["publisher"] == HOSTILE  # stored and returned verbatim; the page shows it as text


@pytest.mark.parametrize("url, status, words", [
    ("/api/nowhere", 404, "no such route"),
    ("/api/incidents?since=yesterday", 400, "since"),
    ("/api/incidents?limit=0", 400, "limit"),
    ("/api/incidents?limit=5000", 400, "limit"),
    ("/api/incidents?bbox=1,2,3", 400, "bbox"),
    ("/api/incidents?bbox=40,30,30,35", 400, "bbox"),
    ("/api/incidents?cursor=not-a-cursor", 400, "cursor"),
    ("/api/incidents?since=2020-03-01&until=2020-01-01", 400, "after"),
    ("/api/incidents/I999", 404, "no incident"),
    ("/api/documents/nothing-like-this", 404, "no document"),
    ("/api/search", 400, "q"),
    ("/api/search?q=%20%20", 400, "empty"),
])
def test_every_error_has_one_shape(client: TestClient, url: str, status: int, words: str) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.json() == {"ok": False, "error": r.json()["error"], "status": status}
    assert words in r.json()["error"]


def test_method_not_allowed_and_server_errors_share_the_shape(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(db)
    c = TestClient(app, raise_server_exceptions=False)
    r = c.post("/api/incidents")
    assert r.status_code == 405 and r.json()["ok"] is False and r.json()["status"] == 405

    def boom(*_: Any) -> Any:
        raise RuntimeError("secret detail")

    monkeypatch.setattr("rasd.serve.queries.events", boom)
    r = c.get("/api/events")
    assert r.status_code == 500
    assert r.json() == {"ok": False, "error": r.json()["error"], "status": 500}
    assert "secret detail" not in r.text


def test_openapi_lists_the_endpoints_and_the_error_shape(client: TestClient) -> None:
    spec = ok_spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/incidents", "/api/incidents/{incident_id}", "/api/events", "/api/figures", "/api/documents",
            "/api/documents/{document_id}", "/api/search"} <= paths
    params = {p["name"] for p in ok_spec["paths"]["/api/incidents"]["get"]["parameters"]}
    assert {"kind", "place", "admin1", "since", "until", "source", "event_type", "bbox", "limit", "cursor"} <= params
    responses = spec["paths"]["/api/events"]["get"]["responses"]
    assert "422" not in responses and responses["400"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorBody")


def test_the_api_cannot_write(db: Path) -> None:
    from rasd.serve.queries import connect_readonly

    conn = connect_readonly(str(db))
    with pytest.raises(Exception, match="readonly|read-only") as caught:
        conn.execute("DELETE FROM documents")
    assert isinstance(caught.value, sqlite3.OperationalError) or type(caught.value).__name__ == "ReadOnlySqlTransaction"


def test_page_and_security_headers(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert 'src="static/app.js"' in r.text and "cdn" not in r.text.lower()
    # the page's scripts, one file per concern, each served from the package, app.js (which starts the page) last
    scripts = re.findall(r'<script src="(static/[^"]+)"></script>', r.text)
    own = [s for s in scripts if "/vendor/" not in s]
    assert own[-1] == "static/app.js" and {"static/map.js", "static/panel.js", "static/review.js"} <= set(own)
    for script in own:
        got = client.get("/" + script)
        assert got.status_code == 200 and "javascript" in got.headers["content-type"], script
        assert "window.rasd" in got.text or script.endswith("app.js")


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    from rasd.errors import RasdError

    with pytest.raises(RasdError, match="rasd ingest"):
        create_app(tmp_path / "none.db")


def test_map_viewport_on_either_backend(client: TestClient) -> None:
    """/api/map's viewport, filters and counts answer alike from SQLite and PostgreSQL (slim records)."""
    everything = ok(client, "/api/incidents?limit=1000")
    world = ok(client, "/api/map?bbox=-180,-90,180,90&facets=true")
    placed = [i for i in everything["items"] if i["place"] and i["place"].get("lat") is not None]
    assert world["count"] == world["matched"] == len(placed) and world["total"] == everything["count"]
    assert all("reports" not in i and "history" not in i for i in world["items"])
    box = ok(client, "/api/map?bbox=36.7,35.8,36.9,35.9")
    assert [i["id"] for i in box["items"]] == ["I1"] and box["total"] == world["total"]
    assert world["facets"]["event_type"] and world["extent"] is not None
    assert ok(client, "/api/map?bbox=-180,-90,180,90&q=I1")["count"] >= 1
