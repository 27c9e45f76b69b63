"""The PostgreSQL store's own guarantees: concurrent writers, PostGIS viewports, the SQL dialect bridge.

The concurrency tests open two connections (two writers, as two ingest workers
would be) and hold both transactions open at once with a barrier, so that each
writer reads before the other commits: the situation in which a store without
its guards duplicates a document or splits one incident in two.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from conftest import new_pg_database
from test_link import rows, extraction_of
from test_store import make_doc, make_extraction

from rasd.errors import StoreError
from rasd.link.repository import StoreIndex, incidents, update_incidents
from rasd.model import Document
from rasd.store import DuplicateDocumentError, open_store
from rasd.store.pgsql import translate
from rasd.store.postgres import PostgresStore


# -- the dialect bridge (no server needed) ----------------------------------------------------


@pytest.mark.parametrize(("sqlite", "postgres"), [
    ("SELECT * FROM t WHERE a = ? AND b LIKE ? ESCAPE '\\'", "SELECT * FROM t WHERE a = %s AND b ILIKE %s ESCAPE '\\'"),
    ("SELECT '?', \"x?\" FROM t WHERE c = ?", "SELECT '?', \"x?\" FROM t WHERE c = %s"),
    ("SELECT 'it''s 100%' -- what? \nFROM t", "SELECT 'it''s 100%%' -- what? \nFROM t"),
    ("INSERT OR IGNORE INTO b (k) VALUES (?)", "INSERT INTO b (k) VALUES (%s) ON CONFLICT DO NOTHING"),
    ("SELECT a % 2 FROM t", "SELECT a %% 2 FROM t"),
])
def test_translate(sqlite: str, postgres: str) -> None:
    assert translate(sqlite) == postgres


@pytest.mark.parametrize("sql", ["INSERT OR REPLACE INTO t VALUES (1)", "PRAGMA journal_mode",
                                 "SELECT * FROM documents_fts WHERE documents_fts MATCH ?"])
def test_sqlite_only_sql_is_refused_by_name(sql: str) -> None:
    with pytest.raises(StoreError, match="INSERT OR REPLACE|PRAGMA|MATCH"):
        translate(sql)


# -- two writers at once ----------------------------------------------------------------------


def _two_writers(url: str, work: Callable[[PostgresStore, int, threading.Barrier], Any]) -> list[Any]:
    """Run ``work(store, n, barrier)`` in two threads, each with its own connection; results or errors."""
    barrier = threading.Barrier(2, timeout=30)
    out: list[Any] = [None, None]

    def run(n: int) -> None:
        with PostgresStore(url, migrate=False) as store:
            try:
                out[n] = work(store, n, barrier)
            except Exception as exc:  # noqa: BLE001 - reported to the test
                out[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    return new_pg_database(pg_server)


def test_the_same_bytes_from_two_writers_are_stored_once(pg_url: str) -> None:
    doc = make_doc()

    def work(store: PostgresStore, n: int, barrier: threading.Barrier) -> str:
        with store.transaction():
            barrier.wait()  # both transactions are open, neither has written
            copy = Document(**{**doc.__dict__})
            try:
                store.add_document(copy, doc.text.encode(), make_extraction(copy))
            except DuplicateDocumentError:
                return "duplicate"
            return "stored"

    assert sorted(_two_writers(pg_url, work)) == ["duplicate", "stored"]
    with open_store(pg_url) as store:
        assert store.counts() == {"documents": 1, "figures": 2, "events": 1}


def test_new_versions_from_two_writers_get_distinct_numbers(pg_url: str) -> None:
    def work(store: PostgresStore, n: int, barrier: threading.Barrier) -> int:
        text = f"Version from writer {n}: 1{n} killed."
        doc = make_doc(text, path="/r/a.txt", version=1)
        with store.transaction():
            barrier.wait()
            store.add_document(doc, text.encode())
        return doc.version

    assert sorted(_two_writers(pg_url, work)) == [1, 2]


def _link_two_reports_at_once(url: str, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Both writers store a report of the Balyun strike, then link it; each linker waits (up to
    3 s) after reading its candidates for the other to read too, the worst interleaving."""
    reports = [r for r in rows() if r["id"] in ("balyun-wire", "balyun-herald")]
    read_both = threading.Barrier(2, timeout=3)
    original = StoreIndex.candidates

    def candidates(self: StoreIndex, keys: set[str]) -> Any:
        found = original(self, keys)
        try:
            read_both.wait()
        except threading.BrokenBarrierError:
            pass  # the other writer is waiting for the link lock: it cannot read yet
        return found

    monkeypatch.setattr(StoreIndex, "candidates", candidates)

    def work(store: PostgresStore, n: int, barrier: threading.Barrier) -> set[int]:
        row = reports[n]
        extraction = extraction_of(row)
        text = row["text"]
        doc = make_doc(text, id=row["id"], path=f"/r/{row['id']}", publisher=row["publisher"],
                       published=row["published"])
        with store.transaction():
            rowid = store.add_document(doc, text.encode(), extraction)
            barrier.wait()  # both documents written, neither linked nor committed
            return update_incidents(store, [rowid])

    return _two_writers(url, work)


def test_two_writers_linking_reports_of_one_incident_make_one_incident(pg_url: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    results = _link_two_reports_at_once(pg_url, monkeypatch)
    assert not [r for r in results if isinstance(r, Exception)], results
    with open_store(pg_url) as store:
        found = incidents(store)
        assert len(found) == 1, [i.to_dict() for i in found]
        assert {r.document for r in found[0].reports} == {"balyun-wire", "balyun-herald"}
        seqs = [r["seq"] for r in store.query("SELECT seq FROM incident_reports ORDER BY seq")]
        assert seqs == [1, 2]


def test_without_the_link_lock_the_same_race_goes_wrong(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard is what makes the test above pass: without it two writers split (or collide)."""
    monkeypatch.setattr(PostgresStore, "lock_linking", lambda self: None)
    results = _link_two_reports_at_once(pg_url, monkeypatch)
    with open_store(pg_url) as store:
        found = incidents(store)
        seqs = [r["seq"] for r in store.query("SELECT seq FROM incident_reports ORDER BY seq")]
    whole = len(found) == 1 and len(found[0].reports) == 2 and seqs == [1, 2]
    # both read "no incident yet": both number theirs I1 and the second upsert overwrites the first
    assert any(isinstance(r, Exception) for r in results) or not whole


# -- PostGIS and full-text search ---------------------------------------------------------------


def test_geography_follows_lat_lon_and_viewports_use_the_gist_index(pg_url: str) -> None:
    with open_store(pg_url) as store:
        doc = make_doc()
        store.add_document(doc, doc.text.encode(), make_extraction(doc))
        row = store.query("SELECT ST_X(geog::geometry) AS x, ST_Y(geog::geometry) AS y FROM events")[0]
        assert (round(row["x"], 2), round(row["y"], 2)) == (36.8, 35.86)
        box = "ST_MakeEnvelope(36, 35, 37, 36, 4326)"
        assert len(store.query(f"SELECT id FROM events WHERE (geog::geometry) && {box}")) == 1
        assert store.query("SELECT id FROM events WHERE (geog::geometry) && ST_MakeEnvelope(0, 0, 1, 1, 4326)") == []
        store.execute("SET enable_seqscan = off")
        plan = "\n".join(r["QUERY PLAN"] for r in store.query(f"EXPLAIN SELECT id FROM events WHERE (geog::geometry) && {box}"))
        assert "events_viewport" in plan


def test_search_is_postgresql_full_text(pg_url: str) -> None:
    with open_store(pg_url) as store:
        doc = make_doc()
        store.add_document(doc, doc.text.encode(), make_extraction(doc))
        assert len(store.search("civilian killing")) == 1  # stems: civilians, killed
        assert store.search("civilians Aleppo") == []  # every word must match
        hit = store.search("Saraqeb", marks=("<<", ">>"))[0]
        assert "<<Saraqeb>>" in hit.snippet


def test_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        PostgresStore("postgresql://nobody@/nodb?host=/nonexistent-socket-dir")


def test_without_postgresql_the_reason_is_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd.store import pgserver

    monkeypatch.setattr(pgserver, "find_bin", lambda: None)
    why = pgserver.unavailable()
    assert why is not None and "PostgreSQL is not installed" in why and "postgis" in why


def test_a_viewport_page_reads_its_ids_from_the_index_alone(pg_url: str) -> None:
    """The map's viewport query (serve/incidents.py) finds its page's ids by an index-only scan of
    the covering viewport index (pg_migrations/007): no table page per matching row, whatever order
    the rows arrived in. A column the query needs missing from the index turns it into a plain
    Index Scan and this fails."""
    from rasd.serve.demo import synthetic_store
    from rasd.serve.incidents import list_incidents
    from rasd.serve.queries import BBox, Query
    from rasd.store.pgsql import CompatConnection
    from rasd.store.postgres import connect

    synthetic_store(pg_url, 5000)  # enough rows that the planner walks the box, not the ids
    conn = CompatConnection(connect(pg_url))
    seen: list[tuple[str, Any]] = []
    run = conn.execute

    def execute(sql: str, params: Any = ()) -> Any:
        seen.append((sql, params))
        return run(sql, params)

    conn.execute = execute  # type: ignore[method-assign]
    try:
        items, _ = list_incidents(conn, Query(bbox=BBox.parse("37,34.5,37.6,35"), limit=20))
        assert items
        sql, params = next((s, p) for s, p in seen if "ST_MakeEnvelope" in s)
        conn.conn.execute("SET enable_seqscan = off")
        conn.conn.execute("SET enable_bitmapscan = off")
        plan = "\n".join(r[0] for r in run(f"EXPLAIN {sql}", params).fetchall())
    finally:
        conn.close()
    assert "Index Only Scan using incidents_viewport" in plan, plan


def test_two_ingests_of_one_incident_at_once_make_one_incident_every_time(pg_server: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The write path of a PostgreSQL ingest worker (``process.write_batch``: documents, then linking,
    in one transaction), run by two writers at once on their own connections, repeated: the five
    reports of the Balyun strike, split between the writers differently each round, and both batches
    stored (uncommitted) before either links. Every round ends with one incident holding all five,
    numbered 1..5 in link order, whichever writer linked first."""
    from rasd import process
    from rasd.ingest.raw import Loaded

    balyun = [r for r in rows() if r["id"].startswith("balyun")]
    assert len(balyun) == 5
    stored_both = threading.Barrier(2, timeout=30)

    def wait_for_the_other(store: Any, rowids: list[int]) -> None:
        stored_both.wait()  # both batches written, neither linked nor committed

    monkeypatch.setattr(process, "AFTER_BATCH", [wait_for_the_other, *process.AFTER_BATCH])
    splits = [([0, 1, 2], [3, 4]), ([4, 3], [2, 1, 0]), ([0, 2, 4], [1, 3]), ([1], [0, 2, 3, 4]), ([3, 0], [4, 1, 2])]
    for round_, split in enumerate(splits):
        url = new_pg_database(pg_server)
        stored_both.reset()

        def work(store: PostgresStore, n: int, barrier: threading.Barrier) -> process.IngestReport:
            batch, extracted = [], []
            for i in split[n]:
                row = balyun[i]
                raw = json.dumps(row).encode()  # as a JSONL line: the wire copies differ by their id
                doc = make_doc(row["text"], id=row["id"], path=f"/r/{row['id']}", publisher=row["publisher"],
                               published=row["published"])
                doc.sha256 = hashlib.sha256(raw).hexdigest()
                batch.append(Loaded(doc, raw))
                extracted.append(extraction_of(row))
            report = process.IngestReport()
            process.write_batch(batch, extracted, store, report)
            return report

        results = _two_writers(url, work)
        assert not [r for r in results if isinstance(r, Exception)], (round_, results)
        assert sum(r.new for r in results) == 5
        with open_store(url) as store:
            found = incidents(store)
            assert len(found) == 1, (round_, [sorted(r.document for r in i.reports) for i in found])
            assert {r.document for r in found[0].reports} == {r["id"] for r in balyun}
            seqs = [r["seq"] for r in store.query("SELECT seq FROM incident_reports ORDER BY seq")]
            assert seqs == [1, 2, 3, 4, 5], (round_, seqs)
