"""Dask benchmark: `rasd ingest` documents/s in one process, and on 1 and 2 local Dask workers.

The development texts of ../shared/data (the same as bench/throughput.py) are
written to one JSONL file and ingested into a fresh SQLite store three ways:

- one process (``process.ingest``, ``n_process`` 1: one core);
- ``--workers local:1`` and ``--workers local:2`` (``distributed.ingest``: the
  workers extract, this process writes each partition in one transaction).

Model load is excluded everywhere: the single process loads spaCy, the
gazetteer and the models before its clock starts; the Dask clock starts once
every worker has loaded them (the worker plugin's setup). Prints documents/s,
the scaling ratio against the single process, documents per CPU-second (the
overhead of Dask, which the other tenants' load does not hide), and peak
memory (RSS) per worker, and the load average after each run; asserts nothing. On a machine shared with other tenants the figures
move from run to run: the output says how many cores there are and the load.

    python bench/dask_scaling.py [--dataset all] [--limit N] [--partition 32]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import DEFAULT_SHARED, load_docs  # noqa: E402


def write_jsonl(docs: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i, d in enumerate(docs):
            fh.write(json.dumps({"id": f"dev-{i}", "text": d["text"], "title": d["title"],
                                 "published": d["published"], "publisher": d["publisher"]}) + "\n")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def single(path: Path, db: Path) -> tuple[float, int, float, float]:
    from rasd import process
    from rasd.extract import pipeline
    from rasd.store import open_store

    pipeline._warm()  # model load, before the clock
    with open_store(str(db)) as store:
        t0, c0 = time.perf_counter(), _cpu()
        report = process.ingest([path], store)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return wall, report.stored, peak, cpu


def on_dask(path: Path, db: Path, n: int) -> tuple[float, int, list[float], float, float]:
    from distributed import Client, LocalCluster

    from rasd import distributed as dd
    from rasd.store import open_store

    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, open_store(str(db)) as store:
        client.register_plugin(dd.RasdPlugin(None, dd._worker_env()), name=dd.PLUGIN)  # model load, before the clock
        parts = dd.partitions([path])
        before = client.run(_cpu)
        t0, c0 = time.perf_counter(), _cpu()
        report = dd._run(client, parts, store, None)
        wall = time.perf_counter() - t0
        after = client.run(_cpu)
        here = _cpu() - c0  # this process: the writer, the scheduler, the client
        cpu = here + sum(after[w] - before[w] for w in after if w in before)  # and the workers
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return wall, report.stored, sorted(peaks.values()), cpu, here


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default="all", choices=["fakes", "acled", "airwars", "all"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--partition", type=int, default=32, help="documents per partition (partition_docs)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"bench: skipped: the dev data is not here ({args.shared / 'data'})")
        return 0
    os.environ["RASD_N_PROCESS"] = "1"
    os.environ["RASD_PARTITION_DOCS"] = str(args.partition)
    docs = load_docs(args.shared, args.dataset, args.limit)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
          " (shared with other tenants: figures move between runs)")
    print(f"documents: {len(docs)} ({args.dataset}), partitions of {args.partition}; model load excluded from every clock")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dev.jsonl"
        write_jsonl(docs, path)
        wall, stored, peak, cpu = single(path, Path(tmp) / "single.db")
        base = stored / wall
        print(f"single process     : {stored} docs in {wall:6.1f} s = {base:5.1f} docs/s"
              f" ({1000 * cpu / stored:5.1f} CPU ms per doc)   peak {peak:.0f} MiB   {_load()}")
        for n in (1, 2):
            wall, stored, peaks, cpu, here = on_dask(path, Path(tmp) / f"dask{n}.db", n)
            rate = stored / wall
            print(f"dask local:{n} worker{'s' if n > 1 else ' '}: {stored} docs in {wall:6.1f} s = {rate:5.1f} docs/s"
                  f" ({1000 * cpu / stored:5.1f} CPU ms per doc, {1000 * here / stored:.1f} of them in this process)"
                  f"   x{rate / base:.2f} of one process's docs/s"
                  f"   peak per worker {', '.join(f'{p:.0f}' for p in peaks)} MiB   {_load()}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
