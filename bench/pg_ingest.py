"""Store benchmark: 100,000 synthetic reports into PostgreSQL, with the cost of linking per report.

No extraction runs here (that is bench/dask_scaling.py): each report is a
document with a hand-made extraction (one event, one killed figure), as a
worker would hand it over. Reports come in clusters, 1 to 4 outlets reporting
one strike, battle or shelling at one of 2,000 places in Syria on one day of
2012-2020, so that linking finds candidates, scores them and links, as on real
data. Batches of ``--batch`` reports are written as ``rasd ingest`` writes
them: the documents, their figures and events, then linking, in one
transaction. Prints, around 10k, 50k and 100k stored reports, the
milliseconds per report of the document writes and of linking, and the
totals; asserts nothing.

    python bench/pg_ingest.py [--reports 100000] [--batch 500] [--backend postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from rasd.link.repository import update_incidents
from rasd.model import Actor, Document, DocumentInfo, Event, Extraction, Figure, Period, Place
from rasd.store import open_store
from rasd.store.base import Store

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
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
    with pgserver.TempServer() as server, open_store(server.create_database("bench")) as store:
        print(f"== PostgreSQL + PostGIS (temporary server, unix socket, fsync off), {args.reports:,} synthetic"
              f" reports in batches of {args.batch}")
        run(store, args.reports, args.batch, marks)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
