"""Place resolution speed: gazetteer load (cold, warm), then places per second.

Run: python bench/places.py [TEXTS.jsonl] [--repeat N]   (default: the FA-KES dev texts beside the repo)
Cold = open the SQLite file and build the phrase automaton in a fresh process
state; warm = the same call again (cached). The places stage then runs N times
(default 3) over fresh contexts; the best run's wall time and the CPU time of
the process over that run are printed (on a shared machine the CPU figure is
the steadier one). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rasd.extract import pipeline, places
from rasd.geo import gazetteer, resolve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("texts", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "data" / "fakes_syria_2011_2015.jsonl")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = args.texts
    texts = [json.loads(line).get("article_content") or "" for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gazetteer.load()  # make sure the file exists (a build is not a load)
    gazetteer.forget()
    t0 = time.perf_counter()
    resolve.resolver()
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolve.resolver()
    warm = time.perf_counter() - t0
    runs = []
    for _ in range(max(1, args.repeat)):
        contexts = [pipeline.prepare(pipeline.Input(text=t)) for t in texts]
        t0, c0 = time.perf_counter(), time.process_time()
        n = sum(len(places.find_places(ctx)) for ctx in contexts)
        runs.append((time.perf_counter() - t0, time.process_time() - c0))
    elapsed, cpu = min(runs)
    words = sum(len(t.split()) for t in texts)
    print(f"gazetteer load: cold {cold:.2f} s, warm {warm * 1000:.3f} ms")
    print(f"places: {n} mentions in {len(texts)} documents ({words} words) in {elapsed:.2f} s: "
          f"{n / elapsed:.0f} places/s, {words / elapsed:.0f} words/s, {len(texts) / elapsed:.1f} docs/s")
    print(f"best of {len(runs)} runs; CPU {cpu:.2f} s: {n / cpu:.0f} places per CPU second")


if __name__ == "__main__":
    main()
