"""Dask benchmark: `rasd ingest` documents/s in one process, and on 1 and 2 local Dask workers.

The development texts of ../shared/data (the same as bench/throughput.py) are
written to one JSONL file and ingested into a fresh SQLite store three ways:

- one process (``process.ingest``, ``n_process`` 1: one core), in batches of
  the partition size;
- ``--workers local:1`` and ``--workers local:2`` (``distributed.ingest``: the
  workers extract, this process writes each partition in one transaction
  while the workers extract the next ones).

Fair on both sides: the single process and every worker run one parsing
process and one BLAS/OpenMP thread (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS are 1 here before numpy loads, and the worker plugin limits
the loaded thread pools; the output shows what each side actually has), and
batch and partition have the same size. Model load is excluded everywhere:
the single process loads spaCy, the gazetteer and the models before its clock
starts; the Dask clock starts once every worker has loaded them.

Printed per run: documents/s and its ratio to the single process with the load
average (on a shared machine the wall clock measures the other tenants too);
CPU milliseconds per document, split into extraction (the task's own thread
on the workers), the rest of the worker processes (Dask), the writes and
linking, and the rest of this process (scheduler, client); how busy the
workers were (the task stream: their compute time over the run's span) and
the tail (from the moment the first worker ran out of partitions to the end);
and the CPU-bound ratio, N x one process's CPU per document / the run's CPU
per document: the ratio N free cores would give if nobody waited, which the
other tenants' load does not hide. Asserts nothing.

    python bench/dask_scaling.py [--dataset all] [--limit N] [--partition 24] [--workers 1,2]
"""

from __future__ import annotations

import os

THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _name in THREADS:  # before numpy loads: one BLAS/OpenMP thread in this process, as in each worker
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

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


def _pools() -> str:
    """The BLAS/OpenMP thread pools this process has loaded, and their threads."""
    from threadpoolctl import threadpool_info

    pools = sorted({f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info()})
    return ", ".join(pools) or "none loaded"


@contextmanager
def timed(module: Any, name: str, into: list[float]) -> Iterator[None]:
    """Add the CPU time of this thread spent in ``module.name`` to ``into[0]`` while inside."""
    original: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        c0 = time.thread_time()
        try:
            return original(*args, **kwargs)
        finally:
            into[0] += time.thread_time() - c0

    setattr(module, name, wrapper)
    try:
        yield
    finally:
        setattr(module, name, original)


def single(path: Path, db: Path) -> dict[str, Any]:
    from rasd import process
    from rasd.extract import pipeline
    from rasd.store import open_store

    pipeline._warm()  # model load, before the clock
    extract, write = [0.0], [0.0]
    with open_store(str(db)) as store, timed(process, "extract_batch", extract), timed(process, "write_batch", write):
        t0, c0 = time.perf_counter(), _cpu()
        report = process.ingest([path], store)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"wall": wall, "stored": report.stored, "peak": peak, "cpu": cpu, "extract": extract[0],
            "write": write[0], "pools": _pools()}


def on_dask(path: Path, db: Path, n: int, dask_defaults: bool = False) -> dict[str, Any]:
    """``dask_defaults``: a plain LocalCluster, as before rasd set its own (``distributed.LOCAL_CONFIG``:
    glibc's malloc defaults, quieter periodic callbacks), and partitions of the size given however few."""
    from distributed import Client, LocalCluster, get_task_stream

    from rasd import distributed as dd
    from rasd.store import open_store

    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # the nanny of an earlier run set it here: not ours
    write, extract = [0.0], [0.0]
    if dask_defaults:
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client, cluster = dd.connect(f"local:{n}")
    with cluster, client, open_store(str(db)) as store, timed(dd, "write_batch", write):
        client.register_plugin(dd.RasdPlugin(None, dd._worker_env()), name=dd.PLUGIN)  # model load, before the clock
        parts = dd.partitions([path])
        if not dask_defaults:
            parts = dd.balanced(parts, [path], n)
        trim = set(client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_", "unset")).values())
        before = client.run(_cpu)
        with get_task_stream(client) as stream:
            t0, c0, start = time.perf_counter(), _cpu(), time.time()
            report = dd._run(client, parts, store, None, lambda result: extract.__setitem__(0, extract[0] + result.cpu))
            wall, end = time.perf_counter() - t0, time.time()
        after = client.run(_cpu)
        here = _cpu() - c0  # this process: the writer, the scheduler, the client
        workers = sum(after[w] - before[w] for w in after if w in before)
        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        pools = set(client.run(_pools).values())
    busy: dict[str, float] = {}
    last: dict[str, float] = {}
    for task in stream.data:
        for ss in task["startstops"]:
            if ss["action"] == "compute":
                busy[task["worker"]] = busy.get(task["worker"], 0.0) + ss["stop"] - ss["start"]
                last[task["worker"]] = max(last.get(task["worker"], 0.0), ss["stop"])
    return {"wall": wall, "stored": report.stored, "peaks": sorted(peaks.values()), "cpu": here + workers,
            "here": here, "workers": workers, "extract": extract[0], "write": write[0],
            "busy": sum(busy.values()) / (n * (end - start)), "tail": end - min(last.values(), default=end),
            "pools": " / ".join(sorted(pools)), "tasks": len(parts), "trim": ", ".join(sorted(trim))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dataset", default="all", choices=["fakes", "acled", "airwars", "all"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--partition", type=int, default=24, help="documents per partition, and per batch of the single process")
    ap.add_argument("--workers", default="1,2", help="the local worker counts to run, comma-separated")
    ap.add_argument("--compare", action="store_true",
                    help="run each worker count twice: a plain LocalCluster with Dask's defaults and partitions as"
                         " given, and `--workers local:N`'s (distributed.LOCAL_CONFIG, at least PER_WORKER partitions a worker)")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    if not (args.shared / "data").is_dir():
        print(f"bench: skipped: the dev data is not here ({args.shared / 'data'})")
        return 0
    os.environ["RASD_N_PROCESS"] = "1"
    os.environ["RASD_PARTITION_DOCS"] = os.environ["RASD_INGEST_BATCH"] = str(args.partition)
    docs = load_docs(args.shared, args.dataset, args.limit)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
          " (shared with other tenants: figures move between runs)")
    print(f"documents: {len(docs)} ({args.dataset}); batches and partitions of {args.partition}; n_process 1;"
          f" {'='.join(THREADS)}=1 here and on the workers; model load excluded from every clock")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dev.jsonl"
        write_jsonl(docs, path)
        one = single(path, Path(tmp) / "single.db")
        stored, base, per = one["stored"], one["stored"] / one["wall"], one["cpu"] / one["stored"]
        print(f"single process            : {stored} docs in {one['wall']:6.1f} s = {base:5.1f} docs/s   {_load()}\n"
              f"    CPU ms per doc {1000 * per:5.1f}: extraction {1000 * one['extract'] / stored:.1f},"
              f" writes and linking {1000 * one['write'] / stored:.1f}, rest {1000 * (one['cpu'] - one['extract'] - one['write']) / stored:.1f}"
              f"   peak {one['peak']:.0f} MiB   thread pools: {one['pools']}")
        runs = [(int(x), d) for x in args.workers.split(",") for d in ((True, False) if args.compare else (False,))]
        for i, (n, dask_defaults) in enumerate(runs):
            r = on_dask(path, Path(tmp) / f"dask{i}.db", n, dask_defaults)
            s = r["stored"]
            rate = s / r["wall"]
            name = f"local:{n}{' Dask defaults' if dask_defaults else ''}"
            print(f"dask {name:21}: {s} docs in {r['wall']:6.1f} s = {rate:5.1f} docs/s"
                  f"   x{rate / base:.2f} of one process's docs/s   {_load()}\n"
                  f"    CPU ms per doc {1000 * r['cpu'] / s:5.1f}: workers {1000 * r['workers'] / s:.1f}"
                  f" (extraction {1000 * r['extract'] / s:.1f}, the rest of the worker processes {1000 * (r['workers'] - r['extract']) / s:.1f}),"
                  f" this process {1000 * r['here'] / s:.1f} (writes and linking {1000 * r['write'] / s:.1f},"
                  f" scheduler and client {1000 * (r['here'] - r['write']) / s:.1f})\n"
                  f"    CPU-bound ratio x{n * per / (r['cpu'] / s):.2f} (N x one process's CPU per doc / this run's);"
                  f" workers busy {100 * r['busy']:.0f} % of the run, tail {r['tail']:.1f} s; {r['tasks']} partitions\n"
                  f"    peak per worker {', '.join(f'{p:.0f}' for p in r['peaks'])} MiB   thread pools per worker: {r['pools']}"
                  f"   MALLOC_TRIM_THRESHOLD_ on the workers: {r['trim']}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
