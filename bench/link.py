"""Link 100,000 synthetic reports; print the time, peak memory, and cost per report as the index grows.

    .venv/bin/python bench/link.py [--reports 100000] [--seed 1] [--undated 0.3]

Synthetic reports: ~33,000 events at 3,000 places over three years, each
reported by 1-5 outlets with differing tolls, some as republished wire copy.
The cost per report at 10k, 50k and 100k reports linked shows whether linking
stays near-linear (blocking: place cell x week, never all pairs). A share of
the reports (``--undated``) carries no date and no publication date, as scraped
pages do: those are found by place alone (the latest ``link_recent`` incidents
there) and scored on what else they share, and the cost must stay flat too. Half
the undated ones name their day in the text (``DocumentInfo.days``), so the day
keys of ``blocking`` are looked up as well.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from collections.abc import Iterator

from rasd.link.linker import LinkDocument, Linker, MemoryIndex
from rasd.model import Actor, DocumentInfo, Event, Extraction, Figure, Period, Place

WORDS = ("strike shelling town village killed injured civilians market hospital school rescue workers said "
         "province forces aircraft rubble toll rose monitor government rebels convoy camp displaced").split()
SUBS = ("Air/drone strike", "Shelling/artillery/missile attack", "Armed clash")
ACTORS = ("Military Forces of Syria", "Military Forces of Russia", "Hayat Tahrir al-Sham", "Military Forces of Turkey")


def _places(rng: random.Random, n: int) -> list[Place]:
    out = []
    for i in range(n):
        admin1 = f"Province {i % 14}"
        out.append(Place(f"Town {i}", 900000 + i, rng.uniform(32.5, 37.0), rng.uniform(35.7, 42.0), admin1, "SY",
                         "point"))
    return out


def reports(n: int, seed: int, undated: float = 0.0) -> Iterator[LinkDocument]:
    rng = random.Random(seed)
    places = _places(rng, 3000)
    start = dt.date(2019, 1, 1)
    made = 0
    event_no = 0
    while made < n:
        event_no += 1
        place, sub = rng.choice(places), rng.choice(SUBS)
        day = start + dt.timedelta(days=rng.randrange(3 * 365))
        toll = rng.randint(1, 40)
        actor = Actor(rng.choice(ACTORS), "actor1")
        story = " ".join(rng.choice(WORDS) for _ in range(60))
        for k in range(rng.randint(1, 5)):
            if made >= n:
                return
            made += 1
            wire = k > 0 and rng.random() < 0.3
            text = story if wire else " ".join(rng.choice(WORDS) for _ in range(60))
            killed = max(1, toll + rng.randint(-3, 3))
            published = (day + dt.timedelta(days=rng.randint(0, 2))).isoformat()
            no_date = rng.random() < undated
            published = None if no_date else published
            named = [day.isoformat()] if no_date and rng.random() < 0.5 else []  # "on 18 August" in the text
            event = Event("Explosions/Remote violence" if sub != "Armed clash" else "Battles", sub, main=True,
                          date=None if no_date else Period(day.isoformat(), day.isoformat(), "day"), place=place,
                          actors=[actor], figures=[0])
            figure = Figure("killed", low=killed, best=killed, high=killed)
            publisher = f"Outlet {rng.randrange(60)}"
            ex = Extraction(id=f"r{made}", document=DocumentInfo(published=published, publisher=publisher, days=named),
                            events=[event], figures=[figure])
            yield LinkDocument(id=f"r{made}", extraction=ex, publisher=publisher, published=published, text=text)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--undated", type=float, default=0.3, help="share of reports with no date at all")
    args = parser.parse_args()
    marks = sorted({m for m in (10_000, 50_000, args.reports) if m <= args.reports})
    window = 2_000
    index = MemoryIndex()
    linker = Linker(index)
    t0 = time.perf_counter()
    window_start = t0
    per_report: dict[int, float] = {}
    for i, doc in enumerate(reports(args.reports, args.seed, args.undated), start=1):
        if any(i == m - window + 1 for m in marks):
            window_start = time.perf_counter()
        linker.add(doc)
        if i in marks:
            per_report[i] = (time.perf_counter() - window_start) / window * 1e6
    total = time.perf_counter() - t0
    print(f"{args.undated:.0%} of the reports undated")
    print(f"linked {args.reports:,} reports into {len(index.incidents):,} incidents in {total:.1f} s "
          f"({args.reports / total:,.0f} reports/s); peak memory {peak_mib():,.0f} MiB")
    for mark, micros in per_report.items():
        print(f"  per report over the last {window:,} of the first {mark:>7,}: {micros:,.0f} us")


if __name__ == "__main__":
    main()
