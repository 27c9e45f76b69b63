"""Store benchmark: 100,000 synthetic reports into PostgreSQL, with the cost of linking per report.

No extraction runs here (that is bench/dask_scaling.py): each report is a
document with a hand-made extraction (one event, one killed figure), as a
worker would hand it over. Reports come in clusters, 1 to 4 outlets reporting
one strike, battle or shelling at one of 2,000 places in Syria on one day of
2012-2020, so that linking finds candidates, scores them and links, as on real
data. Batches of ``--batch`` reports are written as ``rasd ingest`` writes
them: the documents, their figures and events, then linking, in one
transaction. ``--prefill`` reaches each size fast instead: the reports before
it are linked in memory by the same Linker and COPYed into the tables, and
only the next ``--after`` go through the store. Prints, around 10k, 50k and 100k stored reports, the
milliseconds per report of the document writes and of linking, and the
totals; asserts nothing.

    python bench/pg_ingest.py [--reports 100000] [--batch 500] [--backend postgresql|sqlite]
    python bench/pg_ingest.py --prefill [--after 2000]   # the cost at 10k/50k/100k, without the hours
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rasd.link.linker import LinkDocument, Linker, MemoryIndex
from rasd.link.repository import _COLUMNS, _report_json, update_incidents
from rasd.model import Actor, Document, DocumentInfo, Event, Extraction, Figure, Period, Place
from rasd.store import open_store
from rasd.store.base import Store
from rasd.store.sqlite import _event_columns, _figure_columns

SUBS = [("Explosions/Remote violence", "Air/drone strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("Battles", "Armed clash")]
PUBLISHERS = ["Wire A", "Wire B", "Monitor C", "Daily D", "Agency E", "Network F"]
ACTORS = ["Military Forces of Syria", "Military Forces of Russia", "Hayat Tahrir al-Sham", "Syrian Democratic Forces"]


def places(rng: random.Random, n: int = 2000) -> list[Place]:
    return [Place(f"Town {i}", 1_000_000 + i, round(rng.uniform(32.3, 37.3), 4), round(rng.uniform(35.7, 42.4), 4),
                  f"Gov {i % 14}", "SY", "point") for i in range(n)]


def reports(n: int, seed: int = 11) -> Iterator[tuple[Document, bytes, Extraction]]:
    """``n`` reports in clusters of 1-4 of one event each."""
    rng = random.Random(seed)
    towns = places(rng)
    day0 = dt.date(2012, 1, 1)
    made = 0
    while made < n:
        town = rng.choice(towns)
        day = (day0 + dt.timedelta(days=rng.randrange(3287))).isoformat()
        etype, sub = rng.choice(SUBS)
        killed = int(rng.expovariate(0.15)) + 1
        actor = rng.choice(ACTORS)
        for k in range(min(rng.randint(1, 4), n - made)):
            made += 1
            publisher = rng.choice(PUBLISHERS)
            count = max(1, killed + rng.randint(-2, 2))
            text = (f"{publisher} report {made}: {count} people were killed in {town.name} on {day} in an attack"
                    f" blamed on {actor}. Witnesses described damage to homes and a market; rescue teams searched"
                    f" the rubble. Reference {rng.getrandbits(64):x}.")
            raw = text.encode()
            sha = hashlib.sha256(raw).hexdigest()
            doc = Document(f"syn-{made}", sha, text, f"Attack on {town.name}", day, publisher, None,
                           f"synthetic.jsonl:{made}", "jsonl", 1)
            figure = Figure("killed", who="people", low=count, best=count, high=count, qualifier="exact",
                            attributed_to=publisher)
            event = Event(etype, sub, main=True, date=Period(day, day, "day"), place=town,
                          actors=[Actor(actor, "actor1")], targets=["civilians"], figures=[0], attributed_to=publisher)
            yield doc, raw, Extraction(doc.id, DocumentInfo(doc.title, day, publisher, sha), [event], [figure])


def run(store: Store, n: int, batch: int, marks: list[int]) -> None:
    t_docs = t_link = 0.0
    window: list[tuple[int, float, float]] = []  # (reports, docs s, link s) per batch
    stream = reports(n)
    done = 0
    start = time.perf_counter()
    while done < n:
        items = [next(stream) for _ in range(min(batch, n - done))]
        with store.transaction():
            t0 = time.perf_counter()
            rowids = [store.add_document(d, raw, ex) for d, raw, ex in items]
            t1 = time.perf_counter()
            update_incidents(store, rowids)
        t2 = time.perf_counter()  # linking's time includes the commit
        done += len(items)
        t_docs += t1 - t0
        t_link += t2 - t1
        window.append((len(items), t1 - t0, t2 - t1))
        if marks and done >= marks[0]:
            last = window[-5:]  # about the last 2,500 reports
            k = sum(w[0] for w in last)
            incidents = store.query("SELECT count(*) AS n FROM incidents")[0]["n"]
            print(f"  at {done:>7,} reports ({incidents:,} incidents): documents {1000 * sum(w[1] for w in last) / k:5.2f}"
                  f" ms/report, linking {1000 * sum(w[2] for w in last) / k:5.2f} ms/report (last {k:,} reports)")
            marks.pop(0)
    wall = time.perf_counter() - start
    print(f"  total: {n:,} reports in {wall:.0f} s = {n / wall:.0f} reports/s; documents {1000 * t_docs / n:.2f} ms/report,"
          f" linking {1000 * t_link / n:.2f} ms/report")


def prefill(store: Any, n: int) -> None:
    """The first ``n`` reports, stored as ingest and linking would store them, but fast: linked in
    memory (``MemoryIndex``, the same Linker) and COPYed into the tables. PostgreSQL only."""
    items = list(reports(n))
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    linker = Linker(MemoryIndex())
    docs = [LinkDocument(id=d.id, extraction=ex, publisher=d.publisher, published=d.published, text=d.text, at=now,
                         rowid=i + 1) for i, (d, _, ex) in enumerate(items)]
    linker.add_all(docs)
    index = linker.index
    assert isinstance(index, MemoryIndex)
    pg = store.pg
    with pg.transaction(), pg.cursor() as cur:
        with cur.copy("COPY documents (rowid, id, key, sha256, path, version, format, title, published, publisher, url,"
                      " text, raw, ingested_at, extraction) FROM STDIN") as copy:
            for i, (d, raw, ex) in enumerate(items):
                copy.write_row((i + 1, d.id, d.id, d.sha256, d.path, 1, d.format, d.title, d.published, d.publisher,
                                None, d.text, raw, now, ex.to_json()))
        with cur.copy("COPY figures (document, idx, kind, who, low, best, high, qualifier, aggregate, period_start,"
                      " period_end, period_precision, place, geonameid, admin1, country, lat, lon, attributed_to, via,"
                      " json) FROM STDIN") as copy:
            for i, (_, _, ex) in enumerate(items):
                for k, f in enumerate(ex.figures):
                    copy.write_row((i + 1, k, *_figure_columns(f)))
        with cur.copy("COPY events (document, idx, main, event_type, sub_event_type, date_start, date_end,"
                      " date_precision, place, geonameid, admin1, country, lat, lon, place_precision, actor1, actor2,"
                      " attributed_to, via, json) FROM STDIN") as copy:
            for i, (_, _, ex) in enumerate(items):
                for k, e in enumerate(ex.events):
                    copy.write_row((i + 1, k, *_event_columns(e)))
        _copy_incidents(cur, index, now)
        pg.execute("SELECT setval('documents_rowid_seq', %s)", (n,))
    pg.execute("VACUUM ANALYZE")


def _copy_incidents(cur: Any, index: MemoryIndex, now: str) -> None:
    with cur.copy(f"COPY incidents (id, {', '.join(_COLUMNS)}) FROM STDIN") as copy:
        for number, state in index.incidents.items():
            inc = state.record
            assert inc is not None
            date, place, killed = inc.date, inc.place, inc.figures.get("killed")
            body = inc.to_dict()
            body["history"] = []
            copy.write_row((number, inc.event_type, inc.sub_event_type, date and date.start, date and date.end,
                            date and date.precision, place and place.name, place and place.geonameid,
                            place and place.admin1, place and place.country, place and place.lat, place and place.lon,
                            place and place.precision, inc.independent_sources, len(inc.reports),
                            killed and killed.low, killed and killed.best, killed and killed.high, now,
                            json.dumps(body, ensure_ascii=False)))
    with cur.copy("COPY incident_reports (incident, document, idx, seq, score, reason, signature, json) FROM STDIN") as copy:
        for number, state in index.incidents.items():
            for r in state.reports:
                copy.write_row((number, r.rowid, r.index, r.seq, r.score, r.reason or "", r.signature, _report_json(r)))
    with cur.copy("COPY incident_history (incident, at, change) FROM STDIN") as copy:
        for number, state in index.incidents.items():
            for h in state.history:
                copy.write_row((number, h.at, h.change))
    with cur.copy("COPY incident_blocks (key, incident) FROM STDIN") as copy:
        for key, numbers in index.blocks.items():
            for number in numbers:
                copy.write_row((key, number))


def cpu_s(store: Any) -> float:
    """CPU seconds so far of this process and of the store's PostgreSQL backend (a local server:
    /proc), which, unlike wall time, the other tenants of a shared machine do not inflate."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{store.pg.info.backend_pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return time.process_time() + (int(fields[11]) + int(fields[12])) / ticks


def measure_at(server: Any, size: int, batch: int, after: int) -> None:
    """Prefill ``size`` reports, then time the next ``after`` through the store (documents + linking)."""
    from rasd.store.postgres import PostgresStore

    store = PostgresStore(server.create_database(f"at{size}"))
    try:
        t0 = time.perf_counter()
        prefill(store, size)
        incidents = store.query("SELECT count(*) AS n FROM incidents")[0]["n"]
        print(f"  prefilled {size:,} reports ({incidents:,} incidents) in {time.perf_counter() - t0:.0f} s")
        stream = reports(size + after)
        for _ in range(size):
            next(stream)
        t_docs = t_link = c_docs = c_link = 0.0
        done = 0
        while done < after:
            items = [next(stream) for _ in range(min(batch, after - done))]
            with store.transaction():
                t1, c1 = time.perf_counter(), cpu_s(store)
                rowids = [store.add_document(d, raw, ex) for d, raw, ex in items]
                t2, c2 = time.perf_counter(), cpu_s(store)
                update_incidents(store, rowids)
            t3, c3 = time.perf_counter(), cpu_s(store)
            t_docs, t_link, done = t_docs + t2 - t1, t_link + t3 - t2, done + len(items)
            c_docs, c_link = c_docs + c2 - c1, c_link + c3 - c2
        print(f"  at {size:>7,} reports: the next {after:,} cost documents {1000 * t_docs / after:5.2f} ms/report"
              f" ({1000 * c_docs / after:4.2f} CPU ms), linking {1000 * t_link / after:5.2f} ms/report"
              f" ({1000 * c_link / after:4.2f} CPU ms: this process and its PostgreSQL backend)")
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    ap.add_argument("--prefill", action="store_true",
                    help="PostgreSQL: at each of 10k, 50k, 100k, COPY that many reports linked in memory, then time"
                         " the next --after reports through the store (a full run takes hours on a shared 2-core machine)")
    ap.add_argument("--after", type=int, default=2000)
    args = ap.parse_args()
    marks = [m for m in (10_000, 50_000, 100_000) if m < args.reports] + [args.reports]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
          " (shared with other tenants: figures move between runs)")
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "bench.db")) as store:
            print(f"== SQLite, {args.reports:,} synthetic reports in batches of {args.batch}")
            run(store, args.reports, args.batch, marks)
        return
    from rasd.store import pgserver

    why = pgserver.unavailable()
    if why:
        print(f"bench: skipped: {why}")
        return
    if args.prefill:
        with pgserver.TempServer() as server:
            print(f"== PostgreSQL + PostGIS (temporary server, unix socket, fsync off): prefilled stores, then"
                  f" {args.after:,} reports in batches of {args.batch}")
            for size in marks:
                measure_at(server, size, args.batch, args.after)
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
        return
    with pgserver.TempServer() as server, open_store(server.create_database("bench")) as store:
        print(f"== PostgreSQL + PostGIS (temporary server, unix socket, fsync off), {args.reports:,} synthetic"
              f" reports in batches of {args.batch}")
        run(store, args.reports, args.batch, marks)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
