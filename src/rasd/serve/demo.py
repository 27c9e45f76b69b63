"""Stores to look at and to measure: a small demo store and a large synthetic one.

``demo_store`` writes a few reports through the store's own API (documents, their
extractions, and incidents linking them), one of them carrying HTML and script
payloads in every field a page shows, so that tests can prove the page shows them
as text. ``synthetic_store`` writes many incidents at once for the API benchmark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
from pathlib import Path
from typing import Any

from ..model import Actor, Document, DocumentInfo, Event, Extraction, Figure, Incident, IncidentReport, Period, Place, Span
from ..model import FigureSummary

HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'

# (id, publisher, published, place, admin1, lat, lon, sub_event_type, killed, actor, sentence with {n})
_REPORTS: list[tuple[str, str, str, str, str, float, float, str, int, str, str]] = [
    ("saraqib-1", "Syrian Observer", "2020-02-03", "Saraqib", "Idlib", 35.862, 36.806, "Air/drone strike", 12,
     "Military Forces of Russia", "Air strikes on the market in Saraqib killed {n} civilians on Monday."),
    ("saraqib-2", "Daily Wire Service", "2020-02-04", "Saraqib", "Idlib", 35.862, 36.806, "Air/drone strike", 14,
     "Military Forces of Russia", "Rescue workers said {n} people were killed in the strikes on Saraqib."),
    ("ariha-1", "Levant Monitor", "2020-02-10", "Ariha", "Idlib", 35.813, 36.611, "Shelling/artillery/missile attack", 5,
     "Military Forces of Syria", "Shelling of Ariha killed {n} people, including two children."),
    ("atarib-1", "North Press", "2020-02-17", "Al Atarib", "Aleppo", 36.139, 36.830, "Air/drone strike", 9,
     "Military Forces of Russia", "At least {n} civilians died when jets struck Al Atarib."),
    ("maarrat-1", "Levant Monitor", "2020-01-28", "Maarat al-Numan", "Idlib", 35.643, 36.671, "Government regains territory", 3,
     "Military Forces of Syria", "Government forces entered Maarat al-Numan; {n} fighters were killed."),
    ("daraa-1", "Southern Front News", "2020-03-01", "Daraa", "Dar'a", 32.618, 36.102, "Armed clash", 4,
     "Syrian Democratic Forces", "Clashes in Daraa left {n} fighters dead."),
]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _report(rid: str, publisher: str, published: str, place: str, admin1: str, lat: float, lon: float,
            sub: str, killed: int, actor: str, template: str, hostile: bool = False) -> tuple[Document, Extraction]:
    sentence = template.format(n=killed)
    if hostile:
        sentence = f"{HOSTILE} {sentence}"
    title = (HOSTILE + " " if hostile else "") + f"{sub} in {place}"
    text = f"{title}\n\n{sentence}\nMore reporting follows."
    s0 = text.index(sentence)
    n0 = s0 + sentence.index(str(killed))
    where = Place(name=place, lat=lat, lon=lon, admin1=admin1, country="SY", precision="point", text=place)
    when = Period(start=published, end=published, precision="day", text="on Monday")
    figure = Figure(kind="killed", who="civilians", low=killed, best=killed, high=killed, period=when, place=where,
                    attributed_to=HOSTILE if hostile else None, evidence=Span.of(text, n0, n0 + len(str(killed))),
                    sentence=Span.of(text, s0, s0 + len(sentence)), number=Span.of(text, n0, n0 + len(str(killed))))
    event = Event(event_type=_type_of(sub), sub_event_type=sub, main=True, date=when, place=where,
                  actors=[Actor(name=actor, role="actor1")], targets=["civilians"], figures=[0],
                  evidence=Span.of(text, s0, s0 + len(sentence)))
    doc = Document(id=rid, sha256=_sha(text), text=text, title=title,
                   published=published, publisher=(HOSTILE if hostile else publisher),
                   url=("javascript:window.__pwned=3" if hostile else f"https://example.org/{rid}"), format="jsonl")
    info = DocumentInfo(title=doc.title, published=published, publisher=doc.publisher, sha256=doc.sha256, url=doc.url)
    return doc, Extraction(id=rid, document=info, events=[event], figures=[figure])


def _type_of(sub: str) -> str:
    from ..model import SUB_EVENT_TO_TYPE

    return SUB_EVENT_TO_TYPE[sub]


def demo_store(path: str | Path, hostile: bool = True) -> dict[str, Any]:
    """Write the demo store at ``path`` (a new file); return what a test needs to know about it."""
    from ..store import open_store

    rows = [_report(*r) for r in _REPORTS]
    if hostile:
        rows.append(_report("hostile-1", "x", "2020-02-20", "Idlib", "Idlib", 35.930, 36.634, "Air/drone strike", 7,
                            "Military Forces of Russia", "A strike on Idlib city killed {n} people.", hostile=True))
    with open_store(str(path)) as store:
        rowids = store.add_documents((doc, doc.text.encode("utf-8"), ex) for doc, ex in rows)
        groups: dict[tuple[str, str], list[int]] = {}
        for i, (doc, ex) in enumerate(rows):
            groups.setdefault((ex.events[0].place.name if ex.events[0].place else "", ex.events[0].sub_event_type), []).append(i)
        with store.transaction():
            for number, members in enumerate(groups.values(), start=1):
                _write_incident(store, number, [(rows[i][0], rows[i][1], rowids[i]) for i in members])
    return {"incidents": len(groups), "documents": len(rows), "hostile": HOSTILE}


def _write_incident(store: Any, number: int, members: list[tuple[Document, Extraction, int]]) -> None:
    first = members[0][1].events[0]
    killed = sorted(ex.figures[0].best or 0 for _, ex, _ in members)
    reports = [IncidentReport(document=doc.id, publisher=doc.publisher, published=doc.published,
                              evidence=ex.events[0].evidence, event=0) for doc, ex, _ in members]
    incident = Incident(id=f"I{number}", event_type=first.event_type, sub_event_type=first.sub_event_type,
                        date=first.date, place=first.place, actors=first.actors, targets=first.targets,
                        independent_sources=len(members), reports=reports,
                        figures={"killed": FigureSummary(low=killed[0], best=killed[len(killed) // 2],
                                                         high=killed[-1], sources=len(members))})
    p, d = first.place, first.date
    assert p is not None and d is not None
    store.execute(
        "INSERT INTO incidents (id, event_type, sub_event_type, date_start, date_end, date_precision, place, admin1,"
        " country, lat, lon, place_precision, independent_sources, reports, killed_low, killed_best, killed_high,"
        " updated_at, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (number, incident.event_type, incident.sub_event_type, d.start, d.end, d.precision, p.name, p.admin1,
         p.country, p.lat, p.lon, p.precision, len(members), len(members), killed[0], killed[len(killed) // 2],
         killed[-1], dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), incident.to_json()),
    )


_SUBS = ["Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack", "Peaceful protest",
         "Remote explosive/landmine/IED", "Government regains territory", "Looting/property destruction"]


def synthetic_store(path: str | Path, n: int = 100_000, seed: int = 7, cluster: bool = False) -> int:
    """Write ``n`` synthetic incidents across Syria (2012-2020) into a new store at ``path`` (a SQLite
    file, or an empty PostgreSQL database's URL, its rows in arrival order, or CLUSTERed by the
    viewport index when ``cluster``); return n."""
    from ..store import is_url
    from ..store.sqlite import SQLiteStore

    rng = random.Random(seed)
    day0 = dt.date(2012, 1, 1)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if is_url(str(path)):
        _synthetic_postgres(str(path), (_synthetic_row(i, rng, day0, now) for i in range(1, n + 1)), cluster)
        return n
    SQLiteStore(str(path)).close()  # create and migrate
    conn = sqlite3.connect(str(path))
    try:
        with conn:
            conn.executemany(
                "INSERT INTO incidents (id, event_type, sub_event_type, date_start, date_end, date_precision, place,"
                " admin1, country, lat, lon, place_precision, independent_sources, reports, killed_low, killed_best,"
                " killed_high, updated_at, json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (_synthetic_row(i, rng, day0, now) for i in range(1, n + 1)),
            )
    finally:
        conn.close()
    return n


def _synthetic_postgres(url: str, rows: Any, cluster: bool) -> None:
    """COPY the rows into a PostgreSQL store's incidents (CLUSTERed by the viewport index when ``cluster``),
    then VACUUM ANALYZE: statistics for the planner and the visibility map for index-only scans."""
    from ..store.postgres import PostgresStore

    columns = ("id, event_type, sub_event_type, date_start, date_end, date_precision, place, admin1, country, lat,"
               " lon, place_precision, independent_sources, reports, killed_low, killed_best, killed_high,"
               " updated_at, json")
    store = PostgresStore(url)
    try:
        with store.pg.transaction(), store.pg.cursor() as cur:
            # flushed at commit even where synchronous_commit is off (the test server): VACUUM marks a
            # page all-visible, which index-only scans need, only once its rows' commit is on disk
            cur.execute("SET LOCAL synchronous_commit = on")
            with cur.copy(f"COPY incidents ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        if cluster:  # for comparison only: the covering viewport index (pg_migrations/007) needs no CLUSTER
            store.pg.execute("CLUSTER incidents USING incidents_viewport")
        store.pg.execute("VACUUM ANALYZE incidents")  # what autovacuum does after a bulk load
    finally:
        store.close()


def _synthetic_row(i: int, rng: random.Random, day0: dt.date, now: str) -> tuple[Any, ...]:
    from ..model import SUB_EVENT_TO_TYPE

    lat, lon = rng.uniform(32.3, 37.3), rng.uniform(35.7, 42.4)
    day = (day0 + dt.timedelta(days=rng.randrange(3287))).isoformat()
    sub = rng.choice(_SUBS)
    killed = int(rng.expovariate(0.2))
    name = f"Place {i % 5000}"
    record: dict[str, Any] = {"schema": "rasd/1", "id": f"I{i}", "event_type": SUB_EVENT_TO_TYPE[sub], "sub_event_type": sub,
              "date": {"start": day, "end": day, "precision": "day"},
              "place": {"name": name, "lat": lat, "lon": lon, "admin1": "Idlib", "country": "SY",
                        "precision": "point"},
              "actors": [], "targets": [], "independent_sources": 1, "reports": [],
              "figures": {"killed": {"low": killed, "best": killed, "high": killed, "sources": 1}}, "history": []}
    return (i, SUB_EVENT_TO_TYPE[sub], sub, day, day, "day", name, "Idlib", "SY", lat, lon, "point",
            1, 1, killed, killed, killed, now, json.dumps(record))
