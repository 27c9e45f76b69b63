"""``rasd ingest --workers``: partitions, a real dask.distributed LocalCluster, a worker killed mid-run."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasd.distributed import PER_WORKER, QUIET, Partition, _run, balanced, partitions
from rasd.distributed import ingest as dask_ingest
from rasd.process import IngestReport
from rasd.store import open_store

TEXTS = [
    "At least {n} civilians were killed in an air strike on Ariha on Tuesday, the White Helmets said.",
    "Shelling killed {n} people in Saraqib, activists said on Monday.",
    "Government forces captured the town of Kafr Nabl after {n} days of fighting.",
]
N_DOCS = 24
BAD_LINE = 8


def write_corpus(folder: Path) -> Path:
    """N_DOCS JSONL documents with one broken line at BAD_LINE."""
    lines = [json.dumps({"id": f"d{i}", "text": TEXTS[i % 3].format(n=i + 3), "published": f"2020-02-0{1 + i % 9}"})
             for i in range(N_DOCS)]
    lines.insert(BAD_LINE - 1, "{oops")
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_shards_keep_the_file_line_numbers(tmp_path: Path) -> None:
    path = write_corpus(tmp_path)
    parts = partitions([path], size=5)
    assert [(p.first, p.last) for p in parts] == [(1, 5), (6, 10), (11, 15), (16, 20), (21, 25)]
    items = list(parts[1].read())
    errors = [i for i in items if not hasattr(i, "document")]
    assert [str(e) for e in errors] == [f"{path}:{BAD_LINE}: not JSON (Expecting property name enclosed in double quotes at column 2)"]
    docs = [i.document for i in items if hasattr(i, "document")]
    assert [d.path for d in docs] == [f"{path.resolve()}:{n}" for n in (6, 7, 9, 10)]
    assert sum(1 for p in parts for i in p.read() if hasattr(i, "document")) == N_DOCS


def test_folders_are_grouped_in_ingest_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c.md", ".hidden.txt"):
        (tmp_path / name).write_text("Two were killed in Idlib.")
    parts = partitions([tmp_path], size=2)
    assert [[Path(f).name for f in p.files] for p in parts] == [["a.txt", "b.txt"], ["c.md"]]


def test_a_small_input_is_cut_into_enough_partitions_for_every_worker(tmp_path: Path) -> None:
    path = write_corpus(tmp_path)  # 25 lines
    parts = partitions([path], size=12)
    assert len(parts) == 3
    two = balanced(parts, [path], 2)
    size = 25 // (PER_WORKER * 2)  # 25 lines, PER_WORKER partitions a worker at least
    assert len(two) >= PER_WORKER * 2 and max(p.size for p in two) == size < 12
    assert [(p.first, p.last) for p in two][:2] == [(1, size), (size + 1, 2 * size)] and two[-1].last == 25
    assert sum(1 for p in two for i in p.read() if hasattr(i, "document")) == N_DOCS  # nothing lost or doubled
    many = partitions([path], size=1)
    assert balanced(many, [path], 2) is many  # 25 partitions are enough for two workers
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("Two were killed in Idlib.")
    texts: list[Any] = [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"]
    files = balanced(partitions(texts, size=64), texts, 1)
    assert [[Path(f).name for f in p.files] for p in files] == [["a.txt"], ["b.txt"], ["c.txt"]]
    assert balanced(files, texts, 2) is files  # one document a partition: nothing smaller to cut
    assert balanced([], [], 2) == []  # an empty input stays empty


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    pytest.importorskip("distributed")
    from rasd.distributed import connect

    trim = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    c, cluster = connect("local:2")
    c.trim_before = trim  # type: ignore[attr-defined]
    with c:
        yield c
    cluster.close()


def test_local_workers_keep_glibc_malloc_defaults_one_blas_thread_and_quiet_callbacks(client: Any) -> None:
    """Dask's nanny would set MALLOC_TRIM_THRESHOLD_ (every large allocation mapped and unmapped);
    `--workers local:N` does not, unless this process's environment says so."""
    if client.trim_before is not None:
        pytest.skip(f"MALLOC_TRIM_THRESHOLD_ is set in this environment ({client.trim_before})")
    assert set(client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()) == {None}
    assert set(client.run(lambda: os.environ.get("OMP_NUM_THREADS")).values()) == {"1"}
    # the event-loop tick and the monitors wake the workers (and the scheduler here) less often
    times = client.run(lambda dask_worker: {k: dask_worker.periodic_callbacks[k].callback_time for k in QUIET})
    assert list(times.values()) == [QUIET, QUIET]
    assert client.cluster.scheduler.periodic_callbacks["tick"].callback_time == QUIET["tick"]


def _kill_one_worker_once(client: Any) -> Any:
    killed: list[int] = []

    def progress(report: IngestReport) -> None:
        if not killed:  # after the first partition: the other worker is in the middle of one
            pids = client.run(os.getpid)
            pid = sorted(pids.values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    progress.killed = killed  # type: ignore[attr-defined]
    return progress


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_and_doubles_nothing(backend_db: str, tmp_path: Path, client: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite: this process writes each partition; PostgreSQL: the workers write."""
    monkeypatch.setenv("RASD_PARTITION_DOCS", "3")
    path = write_corpus(tmp_path)
    progress = _kill_one_worker_once(client)
    with open_store(backend_db) as store:
        report = dask_ingest([path], store, "", progress=progress, client=client)
        assert progress.killed, "a worker was killed"
        rows = store.query("SELECT count(*) AS n, count(DISTINCT sha256) AS shas, count(DISTINCT id) AS ids FROM documents")[0]
        linked = store.query("SELECT count(*) AS n, count(DISTINCT document) AS docs FROM incident_reports")[0]
    assert (rows["n"], rows["shas"], rows["ids"]) == (N_DOCS, N_DOCS, N_DOCS)
    assert report.read == N_DOCS and report.new + report.unchanged == N_DOCS
    assert report.failed == 1 and str(report.errors[0]).startswith(f"{path}:{BAD_LINE}: not JSON")
    assert linked["n"] == linked["docs"] > 0  # every document linked once


@pytest.mark.slow
def test_a_partition_that_keeps_failing_is_named_and_nothing_of_it_stored(tmp_path: Path, client: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_PARTITION_RETRIES", "1")
    path = write_corpus(tmp_path)
    gone = tmp_path / "gone.jsonl"
    with open_store(str(tmp_path / "t.db")) as store:
        from rasd.distributed import RasdPlugin, _worker_env

        client.register_plugin(RasdPlugin(None, _worker_env()), name="rasd")
        report = _run(client, [*partitions([path], size=12), Partition((str(gone),), 1, 4)], store, None)
        assert store.counts()["documents"] == N_DOCS
    failed = [str(e) for e in report.errors if "failed after" in str(e)]
    assert len(failed) == 1 and failed[0].startswith(f"{gone}:1: partition {gone}:1-4 failed after 2 tries")


@pytest.mark.slow
def test_cli_ingest_on_a_running_scheduler(tmp_path: Path, client: Any) -> None:
    """`rasd ingest --workers tcp://HOST:PORT` uses the workers of a scheduler that is already running."""
    from click.testing import CliRunner

    from rasd.cli import main

    path = write_corpus(tmp_path)
    db = str(tmp_path / "cli.db")
    address = client.scheduler.address
    assert address.startswith("tcp://")
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", db, "--workers", address])
    assert result.exit_code == 1, result.output  # the broken line
    assert f"{N_DOCS} read: {N_DOCS} new" in result.stdout
    assert f"corpus.jsonl:{BAD_LINE}: not JSON" in result.stderr
    again = CliRunner().invoke(main, ["ingest", str(path), "--db", db, "--workers", address])
    assert f"0 new, 0 new versions, {N_DOCS} unchanged" in again.stdout


def test_bad_workers_value_is_a_usage_message(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from rasd.cli import main

    path = write_corpus(tmp_path)
    result = CliRunner().invoke(main, ["ingest", str(path), "--db", str(tmp_path / "x.db"), "--workers", "lots"])
    assert result.exit_code == 1 and "give local:N or tcp://HOST:PORT" in result.stderr


def test_digests_are_the_sha256_reading_gives(tmp_path: Path) -> None:
    path = write_corpus(tmp_path)
    (tmp_path / "one.txt").write_text("Two were killed in Idlib.")
    for part in [*partitions([path], size=5), *partitions([tmp_path / "one.txt"])]:
        items = list(part.read())
        shas = [i.document.sha256 for i in items if hasattr(i, "document")]
        digests = list(part.digests())  # the broken line has bytes too, which no document has
        assert set(shas) <= set(digests) and len(digests) == len(items)


class _Recording:
    """A client that keeps what each partition handed back."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.futures: list[Any] = []

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        future = self.client.submit(*args, **kwargs)
        self.futures.append(future)
        return future


@pytest.mark.slow
def test_a_rerun_on_sqlite_does_not_extract_stored_documents_again(tmp_path: Path, client: Any) -> None:
    """The client asks its SQLite store for each partition's sha256 before sending it; the workers
    extract only the documents it does not hold."""
    from rasd.distributed import RasdPlugin, _worker_env

    path = write_corpus(tmp_path)
    (tmp_path / "extra.txt").write_text("Shelling killed four people in Maarat al-Numan on Friday.")
    client.register_plugin(RasdPlugin(None, _worker_env()), name="rasd")
    with open_store(str(tmp_path / "t.db")) as store:
        first = _run(client, partitions([path], size=6), store, None)
        assert first.new == N_DOCS
        again = _Recording(client)
        report = _run(again, partitions([path, tmp_path / "extra.txt"], size=6), store, None)
        results = [f.result() for f in again.futures]
        assert store.counts()["documents"] == N_DOCS + 1
    extracted = [item.document.path for r in results for item in r.batch]
    assert extracted == [str((tmp_path / "extra.txt").resolve())]  # only the new document
    assert sum(len(r.known) for r in results) == N_DOCS
    assert (report.read, report.new, report.unchanged, report.failed) == (N_DOCS + 1, 1, N_DOCS, 1)
