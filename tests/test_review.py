"""Review with an audit trail: corrections are append-only rows; the extraction is never
overwritten; incidents follow at once, after relink and after re-ingest; exports say who confirmed."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from rasd.cli import main
from rasd.errors import ReviewError
from rasd.link.repository import incident, relink
from rasd.review import correct, corrections
from rasd.review.links import detach, merge
from rasd.serve.app import create_app
from rasd.store import SQLiteStore

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("review") / "examples.db"
    assert run("ingest", str(ROOT / "examples" / "reports"), "--db", str(db)).exit_code == 0
    return db


@pytest.fixture
def db(pristine: Path, tmp_path: Path) -> str:
    copy = tmp_path / "r.db"
    shutil.copy(pristine, copy)
    return str(copy)


def _balyun(store: SQLiteStore) -> tuple[str, str]:
    """(figure id, incident id) of the 33 soldiers killed near Balyun."""
    for hit in store.figures():
        if hit.figure.kind == "killed" and hit.figure.best == 33 and "Turkish" in (hit.figure.evidence.text if hit.figure.evidence else ""):
            rows = store.query("SELECT incident FROM incident_reports WHERE document = ?", (hit.document.rowid,))
            return hit.id, f"I{rows[0]['incident']}"
    raise AssertionError("no Balyun figure")


def test_edit_figure_rebuilds_incident_and_survives_relink(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, inc = _balyun(store)
        before = store.figure(int(fig[1:])).document.extraction
        c = correct(store, fig, "edit", {"best": "34", "high": "34"}, why="the governor's later count", who="alice")
        assert c.changes == {"best": 34, "high": 34}
        assert incident(store, inc).figures["killed"].best == 34
        after = store.figure(int(fig[1:]))
        assert after.figure.best == 33 and after.document.extraction == before  # the extraction underneath
        relink(store)
        rebuilt = incident(store, inc)
        assert rebuilt.figures["killed"].best == 34
        assert any(h.change == "review: corrected killed by alice: the governor's later count" for h in rebuilt.history)


def test_reject_event_leaves_incident(db: str) -> None:
    with SQLiteStore(db) as store:
        hit = next(h for h in store.events() if h.event.place and h.event.place.name == "Moscow")
        n_before = len(store.query("SELECT id FROM incidents"))
        correct(store, hit.id, "reject", why="a meeting, not an event in Moscow", who="bob")
        assert not store.query("SELECT 1 AS x FROM incidents WHERE place = 'Moscow'")
        relink(store)
        assert not store.query("SELECT 1 AS x FROM incidents WHERE place = 'Moscow'")
        assert len(store.query("SELECT id FROM incidents")) == n_before - 1


def test_edit_event_place_and_type(db: str) -> None:
    with SQLiteStore(db) as store:
        hit = next(h for h in store.events() if h.event.place and h.event.place.name == "Moscow")
        correct(store, hit.id, "edit", {"place": "Saraqib", "sub_event_type": "agreement", "date": "2020-03-05"},
                why="the talks concerned Saraqib", who="carol")
        rows = store.query("SELECT incident FROM incident_reports WHERE document = ? AND idx = ?",
                           (hit.document.rowid, hit.index))
        inc = incident(store, f"I{rows[0]['incident']}")
        assert inc.place is not None and inc.place.name == "Saraqib" and inc.sub_event_type == "Agreement"


def test_the_incident_page_shows_figures_and_events_as_corrected(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, inc = _balyun(store)
        correct(store, fig, "edit", {"best": "34", "high": "34"}, why="the governor's later count", who="alice")
        correct(store, fig, "edit", {"low": "30"}, why="a lower bound", who="bob")
        correct(store, fig, "accept", why="checked against the list", who="carol")
        hit = store.figure(int(fig[1:]))
        event_ref = next(f"E{r['id']}" for r in store.query("SELECT e.id, e.json FROM events e WHERE e.document = ?",
                                                              (hit.document.rowid,))
                         if hit.index in (json.loads(r["json"]).get("figures") or []))
        correct(store, event_ref, "edit", {"date": "2020-02-26"}, why="the dateline", who="dina")
    got = TestClient(create_app(db)).get(f"/api/incidents/{inc}").json()["item"]
    quote = next(q for r in got["reports"] for q in r["quotes"] if q.get("figure_id") == fig)
    # the figure as it stands after both edits, what extraction said, and who did what, in order
    assert (quote["figure"]["low"], quote["figure"]["best"], quote["figure"]["high"]) == (30, 34, 34)
    assert quote["extracted"]["best"] == 33 and quote["extracted"]["low"] != 30
    assert [(r["who"], r["action"]) for r in quote["reviews"]] == [("alice", "edit"), ("bob", "edit"), ("carol", "accept")]
    assert quote["reviews"][0]["summary"] == "best=34, high=34" and quote["reviews"][0]["at"]
    report = next(r for r in got["reports"] if r.get("event_id") == event_ref)
    assert report["event_values"]["date"] == "2020-02-26" and report["event_extracted"]["date"] != "2020-02-26"
    assert report["event_values"]["sub_event_type"] == report["event_extracted"]["sub_event_type"]
    assert [(r["who"], r["action"], r["summary"]) for r in report["event_reviews"]] == [("dina", "edit", "date=2020-02-26")]


def test_bad_corrections_are_refused(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, _ = _balyun(store)
        with pytest.raises(ReviewError, match="did you mean 'killed'"):
            correct(store, fig, "edit", {"kind": "slain"}, why="x")
        with pytest.raises(ReviewError, match="no field"):
            correct(store, fig, "edit", {"colour": "red"}, why="x")
        with pytest.raises(ReviewError, match="low .* above high"):
            correct(store, fig, "edit", {"low": "40", "high": "30"}, why="x")
        with pytest.raises(ReviewError, match="why"):
            correct(store, fig, "accept", why="  ")
        assert corrections(store) == []


def test_an_edit_of_one_bound_is_checked_against_the_figure_as_corrected(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, inc = _balyun(store)
        correct(store, fig, "edit", {"best": "34", "high": "34"}, why="the governor's later count", who="alice")
        with pytest.raises(ReviewError, match="low .* above high"):
            correct(store, fig, "edit", {"low": "40"}, why="a bound alone")  # high is 34 after alice's edit
        with pytest.raises(ReviewError, match="best .* outside"):
            correct(store, fig, "edit", {"best": "35"}, why="a best above the corrected high")
        assert len(corrections(store)) == 1
        correct(store, fig, "edit", {"low": "30"}, why="a bound that fits", who="bob")
        assert incident(store, inc).figures["killed"].low == 30


def test_corrections_are_append_only(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, _ = _balyun(store)
        correct(store, fig, "accept", why="checked", who="alice")
    conn = sqlite3.connect(db)
    for sql in ("UPDATE corrections SET who = 'mallory'", "DELETE FROM corrections"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_merge_and_detach_replayed_by_relink(db: str) -> None:
    with SQLiteStore(db) as store:
        aleppo = [r["id"] for r in store.query(
            "SELECT id FROM incidents WHERE place = 'Aleppo' AND sub_event_type = 'Government regains territory'"
            " ORDER BY id")]
        assert len(aleppo) == 2
        merge(store, f"I{aleppo[0]}", [f"I{aleppo[1]}"], why="one advance", who="dan")
        saraqib = store.query("SELECT incident, count(*) AS n FROM incident_reports r JOIN incidents i"
                              " ON i.id = r.incident WHERE i.place = 'Saraqib' GROUP BY incident"
                              " HAVING n >= 3")[0]["incident"]
        doc = store.query("SELECT d.id FROM incident_reports r JOIN documents d ON d.rowid = r.document"
                          " WHERE r.incident = ? ORDER BY r.seq DESC LIMIT 1", (saraqib,))[0]["id"]
        detach(store, f"I{saraqib}", [doc], why="a later day", who="dan")
        shape = sorted((r["place"], r["sub_event_type"], r["reports"]) for r in store.query(
            "SELECT place, sub_event_type, reports FROM incidents"))
        assert len(incident(store, f"I{aleppo[0]}").reports) == 2
        blocks = _block_keys(store)
        relink(store)
        assert sorted((r["place"], r["sub_event_type"], r["reports"]) for r in store.query(
            "SELECT place, sub_event_type, reports FROM incidents")) == shape
        assert _block_keys(store) == blocks  # incidents rebuilt by hand are found under the keys relink gives


def _block_keys(store: SQLiteStore) -> list[tuple[str, ...]]:
    """Each incident's blocking keys (days its reports name included), as sorted tuples, in sorted order."""
    keys: dict[int, list[str]] = {}
    for r in store.query("SELECT key, incident FROM incident_blocks"):
        keys.setdefault(r["incident"], []).append(r["key"])
    return sorted(tuple(sorted(k)) for k in keys.values())


def test_cli_review_and_export_tags(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, inc = _balyun(store)
    result = run("review", "figure", fig, "--accept", "--why", "matches the ministry", "--who", "erin", "--db", db)
    assert result.exit_code == 0 and f"accept {fig} by erin" in result.output
    assert run("review", "figure", fig, "--db", db, "--why", "x").exit_code == 2  # no action
    listed = run("review", "list", "--db", db, "--format", "json")
    assert json.loads(listed.output)[0]["who"] == "erin"
    frame = pd.read_csv(io.StringIO(run("export", "--db", db).output))
    tags = frame.set_index("tags", drop=False)["tags"]
    assert any(t.startswith("killed confirmed by erin;") for t in tags)
    csv = pd.read_csv(io.StringIO(run("incidents", "--db", db, "--format", "csv").output))
    assert (csv["reviewed"].dropna() == "killed confirmed by erin").sum() == 1


def test_api_writes_need_the_token(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, inc = _balyun(store)
    body = {"action": "edit", "changes": {"best": 35, "high": 35}, "why": "later count", "who": "frank"}
    read_only = TestClient(create_app(db))
    assert read_only.post(f"/api/review/figures/{fig}", json=body).status_code == 403
    client = TestClient(create_app(db, write_token="t0ken"))
    assert client.post(f"/api/review/figures/{fig}", json=body).status_code == 401
    bad = client.post(f"/api/review/figures/{fig}", json=body, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    cross = client.post(f"/api/review/figures/{fig}", json=body,
                        headers={"Authorization": "Bearer t0ken", "Origin": "http://evil.example"})
    assert cross.status_code == 403
    form = client.post(f"/api/review/figures/{fig}", content="action=edit",
                       headers={"Authorization": "Bearer t0ken", "Content-Type": "text/plain"})
    assert form.status_code in (400, 415)
    ok = client.post(f"/api/review/figures/{fig}", json=body, headers={"Authorization": "Bearer t0ken"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["item"]["who"] == "frank" and ok.json()["item"]["ref"] == fig
    wrong = client.post(f"/api/review/figures/{fig}", json={**body, "changes": {"kind": "slain"}},
                        headers={"Authorization": "Bearer t0ken"})
    assert wrong.status_code == 400 and "did you mean" in wrong.json()["error"]
    listed = client.get("/api/review").json()
    assert listed["count"] == 1 and listed["items"][0]["changes"] == {"best": 35, "high": 35}
    # the values the page's edit form offers are the ones a correction accepts
    assert "injured" in listed["figure_kinds"] and "slain" not in listed["figure_kinds"]
    assert "Air/drone strike" in listed["sub_event_types"] and "Battles" not in listed["sub_event_types"]
    got = client.get(f"/api/incidents/{inc}").json()["item"]
    assert got["figures"]["killed"]["best"] == 35


def test_correction_follows_a_new_version(tmp_path: Path) -> None:
    report = tmp_path / "strike.txt"
    text = "IDLIB, Syria, Feb 6 (Wire) - An air strike killed 12 civilians in Saraqib on 6 February 2020, medics said.\n"
    report.write_text(text, encoding="utf-8")
    db = str(tmp_path / "v.db")
    assert run("ingest", str(report), "--db", db).exit_code == 0
    with SQLiteStore(db) as store:
        hit = next(h for h in store.figures() if h.figure.best == 12)
        correct(store, hit.id, "edit", {"best": "14", "low": "14", "high": "14"}, why="hospital list", who="gus")
    report.write_text(text + "\nThe strike hit a market.\n", encoding="utf-8")
    assert run("ingest", str(report), "--db", db).exit_code == 0
    with SQLiteStore(db) as store:
        newest = store.query("SELECT max(rowid) AS r FROM documents")[0]["r"]
        rows = store.query("SELECT incident FROM incident_reports WHERE document = ?", (newest,))
        assert rows, "the new version is linked"
        assert incident(store, f"I{rows[0]['incident']}").figures["killed"].best == 14


def test_api_export_downloads(db: str) -> None:
    client = TestClient(create_app(db))
    got = client.get("/api/export", params={"format": "acled", "kind": "Air/drone strike"})
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    frame = pd.read_csv(io.StringIO(got.text))
    assert len(frame) >= 1 and set(frame["sub_event_type"]) == {"Air/drone strike"}
    geo = client.get("/api/export", params={"format": "geojson", "place": "Idlib"}).json()
    assert geo["features"] and all(f["properties"]["admin1"] == "Idlib" for f in geo["features"])
    assert client.get("/api/export", params={"kind": "air strike"}).status_code == 400


def test_api_map_is_slim(db: str) -> None:
    client = TestClient(create_app(db))
    slim = client.get("/api/map").json()
    full = client.get("/api/incidents", params={"limit": 1000}).json()
    assert slim["count"] == full["count"] > 10
    item = slim["items"][0]
    assert "reports" not in item and "history" not in item and set(item["place"]) >= {"lat", "lon", "country"}
    assert len(client.get("/api/map").content) * 2 < len(client.get("/api/incidents", params={"limit": 1000}).content)
    idlib = client.get("/api/map", params={"bbox": "36.0,35.5,37.0,36.2"}).json()
    assert 0 < idlib["count"] < slim["count"]
    assert all(35.5 <= i["place"]["lat"] <= 36.2 for i in idlib["items"])


def test_audit_text_is_one_plain_line(db: str) -> None:
    with SQLiteStore(db) as store:
        fig, _ = _balyun(store)
        c = correct(store, fig, "accept", why="ok\x1b[31m red\nsecond line\u202e", who="iv\x07an")
        assert c.why == "ok[31m red second line" and c.who == "ivan"


def test_rejected_figures_are_left_out_unless_asked(db: str) -> None:
    """A figure a person rejected no longer lists in `rasd figures`, /api/figures or the exports;
    --include-rejected / include_rejected=true bring it back; a later acceptance restores it."""
    with SQLiteStore(db) as store:
        fig, inc = _balyun(store)
    listed = json.loads(run("figures", "--db", db, "--format", "json").output)
    assert fig in {f["id"] for f in listed}
    client = TestClient(create_app(db))
    api_before = {f["id"] for f in client.get("/api/figures", params={"limit": 1000}).json()["items"]}
    assert fig in api_before
    killed_before = pd.read_csv(io.StringIO(run("export", "--db", db).output))["fatalities"].sum()
    assert run("review", "figure", fig, "--reject", "--why", "a cumulative toll", "--who", "gil", "--db", db).exit_code == 0
    after = json.loads(run("figures", "--db", db, "--format", "json").output)
    assert {f["id"] for f in after} == {f["id"] for f in listed} - {fig}
    again = json.loads(run("figures", "--db", db, "--format", "json", "--include-rejected").output)
    assert fig in {f["id"] for f in again}
    assert "correction" in run("show", fig, "--db", db).output  # shown, with its correction, by id
    client = TestClient(create_app(db))
    api_after = {f["id"] for f in client.get("/api/figures", params={"limit": 1000}).json()["items"]}
    assert api_after == api_before - {fig}
    asked = client.get("/api/figures", params={"limit": 1000, "include_rejected": "true"}).json()["items"]
    assert fig in {f["id"] for f in asked}
    frame = pd.read_csv(io.StringIO(run("export", "--db", db).output))
    assert frame["fatalities"].sum() == killed_before - 33
    with SQLiteStore(db) as store:
        assert "killed" not in incident(store, inc).figures or incident(store, inc).figures["killed"].best != 33
    # a later acceptance overrides the rejection, in the lists and in the incident
    assert run("review", "figure", fig, "--accept", "--why", "it is this attack's toll", "--who", "gil", "--db", db).exit_code == 0
    assert fig in {f["id"] for f in json.loads(run("figures", "--db", db, "--format", "json").output)}
    assert pd.read_csv(io.StringIO(run("export", "--db", db).output))["fatalities"].sum() == killed_before


def test_rejected_events_are_left_out_unless_asked(db: str) -> None:
    with SQLiteStore(db) as store:
        hit = next(h for h in store.events() if h.event.place and h.event.place.name == "Moscow")
    assert run("review", "event", hit.id, "--reject", "--why", "a meeting", "--who", "bob", "--db", db).exit_code == 0
    ids = {e["id"] for e in json.loads(run("events", "--db", db, "--format", "json").output)}
    assert hit.id not in ids
    assert hit.id in {e["id"] for e in json.loads(run("events", "--db", db, "--format", "json", "--include-rejected").output)}
    client = TestClient(create_app(db))
    assert hit.id not in {e["id"] for e in client.get("/api/events", params={"limit": 1000}).json()["items"]}
    assert hit.id in {e["id"] for e in client.get("/api/events", params={"limit": 1000, "include_rejected": "true"}).json()["items"]}


def test_api_map_viewport_filters_and_counts(db: str) -> None:
    """/api/map answers the viewport and the page's filters, with what lies off-screen, beyond the page
    size and without coordinates counted."""
    client = TestClient(create_app(db))
    world = client.get("/api/map", params={"bbox": "-180,-90,180,90", "facets": "true"}).json()
    assert world["matched"] == world["count"] == world["total"] - world["unplaced"] > 10
    assert "LY" in world["facets"]["country"] and "Air/drone strike" in world["facets"]["sub_event_type"]
    west, south, east, north = world["extent"]
    assert all(south <= i["place"]["lat"] <= north and west <= i["place"]["lon"] <= east for i in world["items"])
    idlib = client.get("/api/map", params={"bbox": "36.0,35.5,37.0,36.2"}).json()
    assert 0 < idlib["matched"] == idlib["count"] < world["count"]
    assert idlib["total"] == world["total"]  # the off-screen ones are counted, not sent
    # a viewport holding more than `limit`: the largest tolls first, the rest counted
    two = client.get("/api/map", params={"bbox": "-180,-90,180,90", "limit": 2}).json()
    assert two["count"] == 2 and two["matched"] == world["count"]
    def deaths(i: dict) -> int:
        k = (i.get("figures") or {}).get("killed") or {}
        return next((v for v in (k.get("best"), k.get("low"), k.get("high")) if v is not None), 0)
    assert sorted(map(deaths, two["items"])) == sorted(map(deaths, world["items"]))[-2:]
    # each filter as the page applies it
    libya = client.get("/api/map", params={"bbox": "-180,-90,180,90", "country": "LY"}).json()
    assert libya["items"] and all(i["place"]["country"] == "LY" for i in libya["items"]) and libya["total"] < world["total"]
    big = client.get("/api/map", params={"bbox": "-180,-90,180,90", "killed": 30}).json()
    assert big["items"] and all(deaths(i) >= 30 for i in big["items"]) and big["count"] < world["count"]
    words = client.get("/api/map", params={"bbox": "-180,-90,180,90", "q": "saraqib"}).json()
    assert words["items"] and all("saraqib" in json.dumps(i, ensure_ascii=False).lower() for i in words["items"])
    strikes = client.get("/api/map", params={"bbox": "-180,-90,180,90", "sub": "Air/drone strike"}).json()
    assert {i["sub_event_type"] for i in strikes["items"]} == {"Air/drone strike"}
    several = client.get("/api/map", params={"bbox": "-180,-90,180,90", "sources": 2}).json()
    assert several["items"] and all(i["independent_sources"] >= 2 for i in several["items"])
    dated = client.get("/api/map", params={"bbox": "-180,-90,180,90", "since": "2020-02-01", "until": "2020-02-29"}).json()
    assert dated["items"] and all("2020-02-01" <= i["date"]["start"][:10] <= "2020-02-29" for i in dated["items"])
    assert client.get("/api/map", params={"bbox": "0,0,200,10"}).status_code == 400
    assert client.get("/api/map", params={"killed": -1}).status_code == 400


def test_api_map_export_is_the_map_view(db: str) -> None:
    """/api/map/export gives, as a file, every incident /api/map answers for the same box and filters."""
    client = TestClient(create_app(db))
    views = [{"bbox": "36.0,35.5,37.0,36.2"}, {"bbox": "-180,-90,180,90", "killed": 10, "sub": "Air/drone strike"},
             {"bbox": "-180,-90,180,90", "q": "saraqib", "since": "2020-02-01", "until": "2020-02-29"}]
    for view in views:
        shown = client.get("/api/map", params=view).json()["items"]
        got = client.get("/api/map/export", params={**view, "format": "csv"})
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        frame = pd.read_csv(io.StringIO(got.text))
        assert len(shown) >= 1 and sorted(frame["id"]) == sorted(i["id"] for i in shown), view
        assert list(frame["date_start"].fillna("")) == sorted(frame["date_start"].fillna(""))  # by date
        geo = client.get("/api/map/export", params={**view, "format": "geojson"}).json()
        assert sorted(f["id"] for f in geo["features"]) == sorted(i["id"] for i in shown)
        acled = pd.read_csv(io.StringIO(client.get("/api/map/export", params={**view, "format": "acled"}).text))
        assert len(acled) == len(shown)
    # the map draws at most `limit` incidents of a view; its download holds every one it matched
    two = client.get("/api/map", params={"bbox": "-180,-90,180,90", "limit": 2}).json()
    whole = pd.read_csv(io.StringIO(client.get("/api/map/export", params={"bbox": "-180,-90,180,90"}).text))
    assert two["count"] == 2 and len(whole) == two["matched"] > 2
    assert client.get("/api/map/export", params={"bbox": "0,0,200,10"}).status_code == 400
    bad = client.get("/api/map/export", params={"since": "2020-03-01", "until": "2020-02-01"})
    assert bad.status_code == 400 and "after until" in bad.json()["error"]
    assert client.get("/api/map/export", params={"format": "xlsx"}).status_code == 400


def test_lists_show_figures_and_events_as_corrected(db: str) -> None:
    """`rasd figures`/`events` and /api/figures|events read what a person corrected: values and kinds."""
    import rasd

    with SQLiteStore(db) as store:
        fig, _ = _balyun(store)
        correct(store, fig, "edit", {"kind": "injured", "best": "35", "high": "35"}, why="a misread verb", who="erin")
        ev = next(h for h in store.events() if h.event.place and h.event.place.name == "Moscow")
        new_type = "Arrests" if ev.event.sub_event_type != "Arrests" else "Agreement"
        correct(store, ev.id, "edit", {"sub_event_type": new_type}, why="talks", who="erin")
        injured = {h.id: h.figure for h in store.figures(rasd.Filters(kind=["injured"]))}
        assert fig in injured and (injured[fig].kind, injured[fig].best) == ("injured", 35)
        assert fig not in {h.id for h in store.figures(rasd.Filters(kind=["killed"]))}
        assert store.figure(int(fig[1:])).figure.kind == "killed"  # one row by its id: as extracted (show lists the corrections)
        assert ev.id in {h.id for h in store.events(rasd.Filters(kind=[new_type]))}
        assert ev.id not in {h.id for h in store.events(rasd.Filters(kind=[ev.event.sub_event_type]))}
    client = TestClient(create_app(db))
    got = {i["id"]: i for i in client.get("/api/figures?kind=injured&limit=1000").json()["items"]}
    assert got[fig]["kind"] == "injured" and got[fig]["best"] == 35 and got[fig]["corrected"] is True
    assert fig not in {i["id"] for i in client.get("/api/figures?kind=killed&limit=1000").json()["items"]}
    events = {i["id"]: i for i in client.get(f"/api/events?kind={new_type}&limit=1000").json()["items"]}
    assert events[ev.id]["sub_event_type"] == new_type and events[ev.id]["event_type"] == "Strategic developments"
    out = run("figures", "--kind", "injured", "--db", db, "--format", "json")
    assert any(r["id"] == fig and r["kind"] == "injured" for r in json.loads(out.output))


def test_unknown_kinds_and_types_are_refused_everywhere(db: str) -> None:
    import rasd

    client = TestClient(create_app(db))
    for url in ("/api/figures?kind=slain", "/api/events?kind=Airstrike", "/api/events?event_type=Airstrike",
                "/api/map?sub=Airstrike"):
        r = client.get(url)
        assert r.status_code == 400 and "did you mean" in r.json()["error"], url
    with pytest.raises(rasd.RasdError, match="did you mean 'killed'"):
        rasd.Filters(kind=["slain"])
