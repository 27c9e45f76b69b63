"""Throughput of rasd's full extraction, next to spaCy's small English NER alone.

Runs over the development texts in ../shared/data (FA-KES ``article_content``,
ACLED ``NOTES``, Airwars ``text``) and prints documents/s, words/s, model load
time and peak memory for each engine, then the ratio rasd / NER. It prints
figures and asserts nothing about time.

Fairness: each engine runs in its own child process (so peak memory is its
own), loads its models first (timed and reported apart), is warmed up on a few
documents, then timed over all of them. The NER run uses the same spaCy
package, batch size and number of processes as rasd (``settings``).

    python bench/throughput.py [--dataset fakes|acled|airwars|all] [--limit N] [--profile] [--repeat N]

With ``--repeat N`` both engines run N times, alternating, and each engine's
median run is shown, with the ratio of every round: on a shared machine one
run can be 15 % off either way. The CPU-seconds ratio (user + system time of
every process) is steadier than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = ROOT.parent / "shared"
WARMUP_DOCS = 16
# spaCy components that the NER-alone run leaves out (names absent from the package are ignored)
OTHER_PIPES = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer", "trainable_lemmatizer"]

# dataset name -> (file, text field, title field, published field, publisher field)
DATASETS: dict[str, tuple[str, str, str | None, str | None, str | None]] = {
    "fakes": ("fakes_syria_2011_2015.jsonl", "article_content", "article_title", None, None),
    "acled": ("acled_north_africa_sudan_2016_jan_feb.jsonl", "NOTES", None, None, None),
    "airwars": ("airwars_syria_2021_2022_excl_idlib.jsonl", "text", "page_title", "publication_date", "publisher"),
}


def load_docs(shared: Path, dataset: str, limit: int | None) -> list[dict[str, Any]]:
    """The texts to extract, as dicts (text, title, published, publisher, dataset)."""
    names = list(DATASETS) if dataset == "all" else [dataset]
    docs: list[dict[str, Any]] = []
    for name in names:
        filename, text_key, title_key, published_key, publisher_key = DATASETS[name]
        with open(shared / "data" / filename, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get(text_key) or ""
                if not text.strip():
                    continue
                published = row.get(published_key) if published_key else None
                docs.append(
                    {
                        "dataset": name,
                        "text": text,
                        "title": row.get(title_key) if title_key else None,
                        "published": str(published)[:10] if published else None,
                        "publisher": row.get(publisher_key) if publisher_key else None,
                    }
                )
    return docs[:limit] if limit else docs


def _peak_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (worker), in MiB."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 2**20
    return own, kids


# -- the rasd engine -------------------------------------------------------------


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process and of its children that have ended."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _install_profile() -> None:
    """Ask the pipeline to add up its time per step (prepare, parse, each stage), worker processes included."""
    from rasd.extract import pipeline

    pipeline.start_profile()


def run_rasd(docs: list[dict[str, Any]], profile: bool) -> dict[str, Any]:
    import datetime as dt

    from rasd import nlp, settings
    from rasd.extract import pipeline

    def inputs(rows: list[dict[str, Any]]) -> list[pipeline.Input]:
        out = []
        for i, row in enumerate(rows):
            published = None
            if row["published"]:
                try:
                    published = dt.date.fromisoformat(row["published"])
                except ValueError:
                    published = None
            out.append(
                pipeline.Input(
                    text=row["text"], published=published, title=row["title"], publisher=row["publisher"], id=str(i)
                )
            )
        return out

    t0 = time.perf_counter()
    nlp.parser()
    nlp.splitter()
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for _ in pipeline.extract_inputs(inputs(docs[:WARMUP_DOCS])):
        pass
    warmup_s = time.perf_counter() - t0

    if profile:
        _install_profile()
    items = inputs(docs)
    n_figures = n_events = 0
    cpu0, t0 = _cpu_s(), time.perf_counter()
    for _ctx, extraction in pipeline.extract_inputs(items):
        n_figures += len(extraction.figures)
        n_events += len(extraction.events)
    seconds = time.perf_counter() - t0
    cpu_s = _cpu_s() - cpu0
    own, kids = _peak_mib()
    return {
        "seconds": seconds,
        "cpu_s": cpu_s,
        "load_s": load_s,
        "warmup_s": warmup_s,
        "peak_mib": own,
        "peak_worker_mib": kids,
        "figures": n_figures,
        "events": n_events,
        "profile": pipeline.profile_totals() if profile else {},
        "n_process": settings.get("n_process"),
        "batch_size": settings.get("batch_size"),
        "parallel_min_docs": settings.get("parallel_min_docs"),
    }


# -- spaCy NER alone --------------------------------------------------------------


def run_ner(docs: list[dict[str, Any]]) -> dict[str, Any]:
    import spacy

    from rasd import settings

    name = settings.get("spacy_model")
    t0 = time.perf_counter()
    # only the components NER needs are loaded (the rest are not even read from disk)
    model = spacy.load(name, exclude=OTHER_PIPES)
    model.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in model.pipe_names])
    load_s = time.perf_counter() - t0

    batch_size = settings.get("batch_size")
    texts = [d["text"] for d in docs]
    t0 = time.perf_counter()
    for _ in model.pipe(texts[:WARMUP_DOCS], batch_size=batch_size):
        pass
    warmup_s = time.perf_counter() - t0

    # the same rule rasd applies: several processes only for large batches
    n_process = settings.get("n_process") if len(texts) >= settings.get("parallel_min_docs") else 1
    n_ents = 0
    cpu0, t0 = _cpu_s(), time.perf_counter()
    for doc in model.pipe(texts, batch_size=batch_size, n_process=n_process):
        n_ents += len(doc.ents)
    seconds = time.perf_counter() - t0
    cpu_s = _cpu_s() - cpu0
    own, kids = _peak_mib()
    return {
        "seconds": seconds,
        "cpu_s": cpu_s,
        "load_s": load_s,
        "warmup_s": warmup_s,
        "peak_mib": own,
        "peak_worker_mib": kids,
        "entities": n_ents,
        "pipes": model.pipe_names,
        "n_process": n_process,
    }


# -- driver ------------------------------------------------------------------------


def _child(args: argparse.Namespace) -> int:
    docs = load_docs(args.shared, args.dataset, args.limit)
    result = run_rasd(docs, args.profile) if args.engine == "rasd" else run_ner(docs)
    print("RESULT " + json.dumps(result))
    return 0


def _spawn(engine: str, args: argparse.Namespace) -> dict[str, Any] | None:
    """Run one engine in a child process; None (after printing its error) when it fails."""
    cmd = [sys.executable, __file__, "--engine", engine, "--shared", str(args.shared), "--dataset", args.dataset]
    if args.limit:
        cmd += ["--limit", str(args.limit)]
    if args.profile:
        cmd.append("--profile")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            return result
    sys.stderr.write(proc.stderr[-4000:])
    print(f"bench: the {engine} run failed (exit code {proc.returncode}); its error output is on standard error")
    return None


def _median_run(runs: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The run with the median wall time (the lower middle one of an even count); None if any run failed."""
    if not runs or any(r is None for r in runs):
        return None
    ordered = sorted(runs, key=lambda r: r["seconds"])  # type: ignore[index]
    return ordered[(len(ordered) - 1) // 2]


def _row(label: str, r: dict[str, Any], n_docs: int, n_words: int) -> str:
    docs_s = n_docs / r["seconds"] if r["seconds"] else float("inf")
    words_s = n_words / r["seconds"] if r["seconds"] else float("inf")
    return (
        f"{label:<16} {docs_s:>9.1f} {words_s:>11,.0f} {r['seconds']:>9.2f} {r['load_s']:>8.2f} "
        f"{r['warmup_s']:>8.2f} {r['peak_mib']:>9.0f} {r['peak_worker_mib']:>10.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=[*DATASETS, "all"], default="all", help="which dev texts (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="at most N documents")
    parser.add_argument("--profile", action="store_true", help="print the time rasd spends per stage")
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="run both engines N times, alternating, and report each one's median run (a shared machine is noisy)",
    )
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default: ../shared)")
    parser.add_argument("--engine", choices=["rasd", "ner"], help=argparse.SUPPRESS)  # child processes
    args = parser.parse_args(argv)

    if not (args.shared / "data").is_dir():
        print(f"bench: skipped: the dev data is not here ({args.shared / 'data'}); it needs ../shared beside the repository")
        return 0
    if args.engine:
        return _child(args)

    docs = load_docs(args.shared, args.dataset, args.limit)
    if not docs:
        print("bench: no documents to run on")
        return 0
    n_docs = len(docs)
    n_words = sum(len(d["text"].split()) for d in docs)
    per_set: dict[str, int] = defaultdict(int)
    for d in docs:
        per_set[d["dataset"]] += 1

    from rasd import settings

    rounds = [(_spawn("rasd", args), _spawn("ner", args)) for _ in range(max(1, args.repeat))]
    rasd_r = _median_run([r for r, _ in rounds])
    ner_r = _median_run([n for _, n in rounds])

    print(
        f"{n_docs} documents ({', '.join(f'{k} {v}' for k, v in per_set.items())}), {n_words:,} words; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"n_process={settings.get('n_process')} (for batches of {settings.get('parallel_min_docs')}+ documents), "
        f"batch_size={settings.get('batch_size')}"
    )
    print(
        f"{'':<16} {'docs/s':>9} {'words/s':>11} {'seconds':>9} {'load s':>8} {'warmup s':>8} "
        f"{'peak MiB':>9} {'worker MiB':>10}"
    )
    print(_row("rasd extract", rasd_r, n_docs, n_words) if rasd_r else f"{'rasd extract':<16} failed")
    print(_row("spaCy NER only", ner_r, n_docs, n_words) if ner_r else f"{'spaCy NER only':<16} failed")
    if rasd_r and ner_r:
        ratio = ner_r["seconds"] / rasd_r["seconds"] if rasd_r["seconds"] else float("inf")
        print(f"ratio rasd/NER (throughput): {ratio:.2f}  (rasd takes {1 / ratio if ratio else float('inf'):.2f}x NER's time)")
        if rasd_r["cpu_s"] and ner_r["cpu_s"]:
            print(f"ratio rasd/NER (CPU seconds, all processes): {ner_r['cpu_s'] / rasd_r['cpu_s']:.2f}  "
                  f"(rasd {rasd_r['cpu_s']:.1f} s, NER {ner_r['cpu_s']:.1f} s)")
        per_round = [n["seconds"] / r["seconds"] for r, n in rounds if r and n and r["seconds"]]
        if len(per_round) > 1:
            print(f"{len(rounds)} rounds, medians shown; throughput ratio per round: "
                  + ", ".join(f"{x:.2f}" for x in per_round))
    if rasd_r:
        print(f"rasd found {rasd_r['figures']} figures and {rasd_r['events']} events")
    if ner_r:
        print(f"NER ({'+'.join(ner_r['pipes'])}) found {ner_r['entities']} entities")
    print("peak MiB: the engine's own process (ru_maxrss); worker MiB: its largest nlp.pipe worker process")

    if args.profile and rasd_r:
        total = sum(rasd_r["profile"].values()) or 1.0
        print(f"\nrasd time per stage ({total:.2f} s of CPU in all processes; {rasd_r['seconds']:.2f} s wall):")
        for name, secs in sorted(rasd_r["profile"].items(), key=lambda kv: -kv[1]):
            print(f"  {name:<24} {secs:>8.2f} s {100 * secs / total:>6.1f} %")
    return 0 if rasd_r and ner_r else 1


if __name__ == "__main__":
    sys.exit(main())
