"""API benchmark: map-viewport queries against `rasd serve` over 100,000 synthetic incidents.

Runs on SQLite and, where PostgreSQL with PostGIS is installed, on PostgreSQL
beside it (a temporary server on a unix socket; `--backend sqlite|postgresql|both`).

The server runs in its own process (`rasd serve` on a free loopback port); this
process is the client: a few threads on keep-alive connections ask for random
viewports (`/api/incidents?bbox=...&limit=200`), bounded by a request count and
a time limit. Prints requests/s and p50/p99 latency; asserts nothing.

    python bench/api.py [--incidents 100000] [--requests 4000] [--seconds 30] [--threads 4] [--backend both]
                        [--with-ingest N]

``--with-ingest N``: an ingest of N generated reports writes to the same store while the
clients query it (WAL: readers never wait for the writer); errors are counted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rasd.serve.demo import synthetic_store


ERRORS: list[int] = []  # status of every failed request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("server did not start")


def viewport(rng: random.Random) -> str:
    """A box like a map view of a governorate or two (0.5 to 2 degrees wide) somewhere over Syria."""
    w = rng.uniform(0.5, 2.0)
    h = w * 0.7
    lon, lat = rng.uniform(35.7, 42.4 - w), rng.uniform(32.3, 37.3 - h)
    return f"{lon:.3f},{lat:.3f},{lon + w:.3f},{lat + h:.3f}"


def worker(port: int, seed: int, stop: threading.Event, budget: list[int], lock: threading.Lock,
           out: list[float], items: list[int]) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while not stop.is_set():
        with lock:
            if budget[0] <= 0:
                return
            budget[0] -= 1
        t0 = time.perf_counter()
        conn.request("GET", f"/api/incidents?bbox={viewport(rng)}&limit=200")
        resp = conn.getresponse()
        body = resp.read()
        elapsed = time.perf_counter() - t0
        if resp.status != 200:
            sys.stderr.write(f"HTTP {resp.status}: {body[:200]!r}\n")
            with lock:
                ERRORS.append(resp.status)
            continue
        with lock:
            out.append(elapsed)
            items.append(json.loads(body)["count"])
    conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    ap.add_argument("--with-ingest", type=int, default=0, metavar="N", help="ingest N reports meanwhile")
    ap.add_argument("--cluster", action="store_true",
                    help="PostgreSQL: CLUSTER the rows by the viewport index (default: leave them in arrival order,"
                         " as linking writes them)")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
          " (shared with other tenants: figures move between runs)")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print("== SQLite")
            bench(str(Path(tmp) / "bench.db"), args)
    if args.backend in ("postgresql", "both"):
        from rasd.store import pgserver

        why = pgserver.unavailable()
        if why:
            print(f"== PostgreSQL: skipped, {why}")
            return
        with pgserver.TempServer() as server:
            print("== PostgreSQL + PostGIS (temporary server, unix socket, fsync off)")
            bench(server.create_database("bench"), args)


def bench(db: str, args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    synthetic_store(db, args.incidents, cluster=args.cluster)
    layout = ""
    if db.startswith("postgresql://"):
        layout = "; rows CLUSTERed by the viewport index" if args.cluster else "; rows in arrival order"
    print(f"store: {args.incidents:,} synthetic incidents written in {time.perf_counter() - t0:.1f} s{layout}")
    port = free_port()
    rasd = Path(sys.executable).with_name("rasd")
    cmd = [str(rasd), "serve", "--db", str(db), "--port", str(port), "--log-level", "error"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        wait_up(port, proc)
        # warm-up: the first requests open the connections and the page cache
        warm: list[float] = []
        worker(port, 99, threading.Event(), [50], threading.Lock(), warm, [])
        writer = start_ingest(db, args.with_ingest) if args.with_ingest else None
        for n_threads in sorted({1, args.threads}):
            run(port, n_threads, args.requests, args.seconds)
        if writer is not None:
            out = writer.communicate(timeout=3600)[0].decode(errors="replace").strip().splitlines()
            print(f"ingest meanwhile (exit {writer.returncode}): {out[-1] if out else '(no summary)'}")
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def start_ingest(db: str, n: int) -> subprocess.Popen[bytes]:
    """``rasd ingest`` of ``n`` generated reports into the served store, in its own process
    (the reports are written to a temporary folder that lives as long as this process)."""
    folder = Path(tempfile.mkdtemp(prefix="rasd-bench-reports-"))
    for i in range(n):
        (folder / f"r{i:05}.txt").write_text(
            f"Shelling killed {i % 90 + 2} civilians in Saraqib on {i % 28 + 1} February 2020, monitors said.\n")
    cmd = [sys.executable, "-m", "rasd", "ingest", str(folder), "--db", str(db)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def run(port: int, n_threads: int, requests: int, seconds: float) -> None:
    latencies: list[float] = []
    counts: list[int] = []
    stop, lock, budget = threading.Event(), threading.Lock(), [requests]
    threads = [threading.Thread(target=worker, args=(port, i, stop, budget, lock, latencies, counts))
               for i in range(n_threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.0, seconds - (time.perf_counter() - start)))
    stop.set()
    for t in threads:
        t.join(timeout=15)
    wall = time.perf_counter() - start
    report(latencies, counts, wall, n_threads)


def report(latencies: list[float], counts: list[int], wall: float, n_threads: int) -> None:
    if not latencies:
        sys.exit("no successful requests")
    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"viewport query GET /api/incidents?bbox=...&limit=200 ({n_threads} client thread(s), keep-alive)")
    print(f"  requests: {len(ms):,} in {wall:.1f} s -> {len(ms) / wall:,.0f} requests/s")
    print(f"  latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms")
    print(f"  incidents per response: mean {statistics.mean(counts):.0f} (limit 200); errors so far: {len(ERRORS)}")


if __name__ == "__main__":
    main()
