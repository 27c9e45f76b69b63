"""``rasd ingest --workers``: process.py's batch over partitions of the input, on dask.distributed.

The input is cut into **partitions**: shards of ``partition_docs`` lines of a
JSONL file, groups of ``partition_docs`` files of a folder (walked in the same
sorted order as ``rasd ingest``). One partition is one Dask task: a worker
reads it, extracts it (spaCy, the gazetteer and the models are loaded once per
worker by ``RasdPlugin``) and then

- with a **SQLite** store, hands the extracted batch back, and this process,
  the only writer, stores it in one transaction (``process.write_batch``);
- with a **PostgreSQL** store, writes it itself, in one transaction on its own
  connection, and hands back only the counts. Unique sha256 and the linking
  lock (``store/postgres.py``) keep concurrent workers from doubling a
  document or splitting an incident.

A partition is either wholly committed or not at all. A task that fails (an
exception, or its worker killed) is run again, ``partition_retries`` times,
by Dask; a retry of a partition whose transaction had committed finds its
bytes stored and counts them unchanged, so nothing is doubled. A partition
that still fails is reported by file and line range, and the rest goes on.

``--workers local:N`` starts a ``LocalCluster`` of N single-threaded worker
processes; ``--workers tcp://HOST:8786`` uses a running scheduler, whose
workers must reach the same input paths (a shared file system) and store.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from . import settings
from .errors import InputError, RasdError
from .ingest import Item, read_file, walk
from .ingest.jsonl import read_lines
from .ingest.raw import Loaded, max_bytes, sha256
from .process import IngestReport, PathArg, extract_batch, known_item, write_batch
from .store import is_url
from .store.base import Store

LOGGER = logging.getLogger(__name__)
PLUGIN = "rasd"
THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")  # one BLAS/OpenMP thread per worker
PER_WORKER = 8  # partitions a worker gets at least, when the input is small: one worker idle at the end waits less
# Dask's periodic callbacks that wake a process's event loop (which then takes the GIL from the task's
# thread) more often than an ingest needs: the event-loop tick (50 a second), the memory monitor (10 a
# second, for the memory limits) and the system monitor (for the dashboard). Milliseconds.
QUIET = {"tick": 1000, "memory_monitor": 1000, "monitor": 5000}
LOCAL_CONFIG: dict[str, Any] = {
    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in the workers (to hand freed memory back at once); glibc
    # then maps and unmaps every large allocation: extraction made 10 times the page faults and spent
    # ~20 % more CPU per document (docs/scaling.md). A value set in the environment still wins.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # the scheduler and the nannies of a local cluster live in this process, beside the writer
    "distributed.admin.tick.interval": f"{QUIET['tick']}ms",
    "distributed.worker.memory.monitor-interval": f"{QUIET['memory_monitor']}ms",
    "distributed.admin.system-monitor.interval": f"{QUIET['monitor']}ms",
}


@dataclass(frozen=True)
class Partition:
    """Part of the input: lines ``first``..``last`` of one JSONL file, or a group of files."""

    files: tuple[str, ...]
    first: int = 0  # JSONL shards: 1-based line numbers; 0 for whole files
    last: int = 0

    @property
    def size(self) -> int:
        """Documents in it (lines of a shard, blank ones included; files of a group)."""
        return self.last - self.first + 1 if self.first else len(self.files)

    @property
    def label(self) -> str:
        if self.first:
            return f"{self.files[0]}:{self.first}-{self.last}"
        if len(self.files) == 1:
            return self.files[0]
        return f"{self.files[0]} .. {self.files[-1]} ({len(self.files)} files)"

    def read(self) -> Iterator[Item]:
        if not self.first:
            for name in self.files:
                yield from read_file(Path(name), explicit=True)
            return
        path = Path(self.files[0])
        with path.open("rb") as stream:
            lines = itertools.islice(stream, self.last)
            # lines before the shard read as blank (skipped), so numbering stays the file's
            yield from read_lines(str(path), str(path.resolve()),
                                  (line if n >= self.first else b"" for n, line in enumerate(lines, 1)))


    def digests(self) -> Iterator[str]:
        """The sha256 of each document's raw bytes, as reading it would give, without parsing it:
        the lines of a JSONL shard, the bytes of each file. What a file cannot give is left out
        (the worker reads it and names the problem)."""
        limit = max_bytes()
        if not self.first:
            for name in self.files:
                path = Path(name)
                if path.suffix.lower() != ".jsonl" and path.is_file() and path.stat().st_size <= limit:
                    yield sha256(path.read_bytes())
            return
        with Path(self.files[0]).open("rb") as stream:
            for line in itertools.islice(stream, self.first - 1, self.last):
                if line.strip() and len(line) <= limit:
                    yield sha256(line.rstrip(b"\r\n"))


def partitions(paths: Iterable[PathArg], size: int | None = None) -> list[Partition]:
    """The input cut into partitions of about ``size`` documents, in ``rasd ingest`` order."""
    size = size or int(settings.get("partition_docs"))
    out: list[Partition] = []
    group: list[str] = []
    for arg in paths:
        name = os.fspath(arg)
        if name == "-":
            raise RasdError("--workers cannot read standard input: write it to a .jsonl file first")
        path = Path(name)
        if not path.exists():
            raise RasdError(f"{name}: no such file or directory")
        for f in (walk(path) if path.is_dir() else [path]):
            if f.suffix.lower() != ".jsonl":
                group.append(str(f))
                if len(group) >= size:
                    out.append(Partition(tuple(group)))
                    group = []
                continue
            out.extend(_shards(f, size))
    if group:
        out.append(Partition(tuple(group)))
    return out


def balanced(parts: list[Partition], paths: list[PathArg], slots: int) -> list[Partition]:
    """``parts`` cut again smaller when they are fewer than ``PER_WORKER`` for each of ``slots`` (worker
    threads): with a few large partitions, the worker that finishes its last one first stays idle
    while the others finish theirs."""
    want = PER_WORKER * max(1, slots)
    if not parts or len(parts) >= want:
        return parts
    size = max(1, sum(p.size for p in parts) // want)
    return partitions(paths, size) if size < max(p.size for p in parts) else parts


def _shards(path: Path, size: int) -> Iterator[Partition]:
    with path.open("rb") as stream:
        total = sum(1 for _ in stream)
    for first in range(1, total + 1, size):
        yield Partition((str(path),), first, min(first + size - 1, total))


# -- on the workers ---------------------------------------------------------------------------


class RasdPlugin(WorkerPlugin):  # type: ignore[misc]
    """A Dask worker plugin: loads spaCy, the gazetteer and the models once per worker (and
    opens the PostgreSQL store when the workers write)."""

    name = PLUGIN

    def __init__(self, db: str | None, env: dict[str, str]) -> None:
        self.db = db
        self.env = env
        self.store: Store | None = None
        self.limits: Any = None

    def setup(self, worker: Any) -> None:
        os.environ.update(self.env)
        if not settings.get("dask_profiler"):
            for name in ("profile", "profile-cycle"):  # the stack sampler takes the GIL every 10 ms
                callback = worker.periodic_callbacks.pop(name, None)
                if callback is not None:
                    callback.stop()
        for name, ms in QUIET.items():  # a worker started elsewhere, with Dask's intervals
            callback = worker.periodic_callbacks.get(name)
            if callback is not None:
                callback.callback_time = max(callback.callback_time, ms)
        from .extract import pipeline

        pipeline._warm()
        from threadpoolctl import threadpool_limits

        # THREADS in the environment reach the pools loaded after it is set; this limit, every pool
        # loaded now (a worker started without the local nanny's environment included)
        self.limits = threadpool_limits(1)
        if self.db:
            from .store.postgres import PostgresStore

            self.store = PostgresStore(self.db, migrate=False)

    def teardown(self, worker: Any) -> None:
        if self.store is not None:
            self.store.close()


@dataclass
class PartitionResult:
    """What a task hands back: the batch and its extraction (SQLite), or only the counts (PostgreSQL);
    and, not extracted, the documents whose bytes the client said were stored (``known``)."""

    label: str
    report: IngestReport
    cpu: float = 0.0  # CPU seconds the task's thread spent extracting
    batch: list[Any] = field(default_factory=list)
    extracted: list[Any] = field(default_factory=list)
    known: list[Loaded] = field(default_factory=list)


def run_partition(part: Partition, known: frozenset[str] = frozenset()) -> PartitionResult:
    """One task: read and extract a partition; write it too when the worker holds a store.
    Documents whose sha256 is in ``known`` (stored already, the client asked its store) are
    handed back unextracted for the client to check."""
    from distributed import get_worker

    plugin: RasdPlugin = get_worker().plugins[PLUGIN]  # type: ignore[assignment]
    result = PartitionResult(part.label, IngestReport())
    report = result.report
    seen: set[str] = set()
    for item in part.read():
        if isinstance(item, InputError):
            report.failed += 1
            report.errors.append(item)
            continue
        report.read += 1
        if item.document.sha256 in seen:
            report.unchanged += 1
        elif item.document.sha256 in known:
            result.known.append(item)
        else:
            seen.add(item.document.sha256)
            result.batch.append(item)
    store = plugin.store
    if store is not None:
        fresh = [item for item in result.batch if not store.has_sha(item.document.sha256)]
        report.unchanged += len(result.batch) - len(fresh)
        if fresh:
            write_batch(fresh, _extract(fresh, result), store, report)
        result.batch = []
        return result
    result.extracted = _extract(result.batch, result)
    return result


def _extract(batch: list[Loaded], result: PartitionResult) -> list[Any]:
    start = time.thread_time()
    try:
        return extract_batch(batch)
    finally:
        result.cpu += time.thread_time() - start


# -- on the client ----------------------------------------------------------------------------


def connect(workers: str) -> tuple[Any, Any]:
    """``local:N`` or ``tcp://HOST:PORT`` -> (client, the LocalCluster to close or None)."""
    from distributed import Client, LocalCluster

    if workers.startswith("local:"):
        n = workers.split(":", 1)[1]
        if not n.isdigit() or int(n) < 1:
            raise RasdError(f"--workers {workers!r}: give local:N with N >= 1, or tcp://HOST:PORT")
        import dask

        with dask.config.set(LOCAL_CONFIG):
            cluster = LocalCluster(n_workers=int(n), threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster), cluster
    if workers.startswith("tcp://"):
        return Client(workers, timeout="30s"), None
    raise RasdError(f"--workers {workers!r}: give local:N or tcp://HOST:PORT")


def ingest(paths: Iterable[PathArg], store: Store, workers: str,
           progress: Callable[[IngestReport], None] | None = None, client: Any = None) -> IngestReport:
    """``process.ingest`` over Dask (see the module doc); ``client`` instead of ``workers`` to reuse one."""
    paths = list(paths)
    parts = partitions(paths)
    own: tuple[Any, Any] = (None, None) if client is not None else connect(workers)
    client = client or own[0]
    try:
        parts = balanced(parts, paths, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
        client.register_plugin(RasdPlugin(store.path if is_url(store.path) else None, _worker_env()),
                               name=PLUGIN)
        return _run(client, parts, store, progress)
    finally:
        for thing in own:
            if thing is not None:
                thing.close()


def _worker_env() -> dict[str, str]:
    """Every RASD_ setting of this process, one parsing process and one BLAS/OpenMP thread per worker."""
    env = {k: v for k, v in os.environ.items() if k.startswith("RASD_")}
    env["RASD_N_PROCESS"] = "1"
    env.update(dict.fromkeys(THREADS, "1"))
    return env


def _run(client: Any, parts: list[Partition], store: Store, progress: Callable[[IngestReport], None] | None,
         done: Callable[[PartitionResult], None] | None = None) -> IngestReport:
    """Submit every partition; store each as it comes back while the workers extract the rest.
    ``done``: called with each partition's result once stored (``bench/dask_scaling.py`` reads its CPU)."""
    from distributed import as_completed

    retries = int(settings.get("partition_retries"))
    report = IngestReport()
    futures = {client.submit(run_partition, p, _known(p, store), retries=retries, pure=False): p for p in parts}
    for future in as_completed(futures):
        part = futures[future]
        try:
            result: PartitionResult = future.result()
        except Exception as exc:  # noqa: BLE001 - any failure of the task: name the partition, go on
            LOGGER.warning("partition %s failed: %s", part.label, exc)
            report.failed += 1
            report.errors.append(InputError(part.files[0], f"partition {part.label} failed after {retries + 1}"
                                            f" tries, nothing of it stored: {type(exc).__name__}: {exc}", part.first or None))
            continue
        if result.batch:
            write_batch(result.batch, result.extracted, store, result.report)
        if result.known:
            _check_known(client, result, store)
        _add(report, result.report)
        if done is not None:
            done(result)
        if progress is not None:
            progress(report)
    return report


def _known(part: Partition, store: Store) -> frozenset[str]:
    """The sha256 of the partition's documents that this process's store holds already, so that a
    re-run does not extract them again. A PostgreSQL store is asked by the workers themselves."""
    if is_url(store.path):
        return frozenset()
    try:
        return frozenset(d for d in part.digests() if store.has_sha(d))
    except OSError:  # unreadable here: the worker reads it and the failure names the partition
        return frozenset()


def _check_known(client: Any, result: PartitionResult, store: Store) -> None:
    """Stored bytes met again, as ``rasd ingest`` treats them: unchanged; a failed extraction named
    again; a stored copy found changed since extracted on the cluster and restored."""
    pending: list[Loaded] = []
    for item in result.known:
        known_item(item, store, result.report, pending, set())
    if pending:
        extracted = client.submit(extract_batch, pending, pure=False).result()
        write_batch(pending, extracted, store, result.report)


def _add(total: IngestReport, part: IngestReport) -> None:
    for name in ("read", "new", "unchanged", "new_version", "failed", "figures", "events"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.errors.extend(part.errors)
    total.documents.extend(part.documents)
