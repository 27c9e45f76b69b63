"""Large documents: seconds and peak memory of one document's extraction at 0.1, 1, 5 and 20 MB.

Run: python bench/large.py [MB ...] [--cap N] [--ratio]
Each size is extracted in a fresh process (so peak memory is that size's own) from a text
made of the bundled example reports' paragraphs, repeated with changed numbers: many
places, figures and dates, as a long report has. ``--cap N`` sets ``max_extract_chars``
(0: no cap; the default is the setting's); ``--ratio`` also times 60 kB and 240 kB and prints
their ratio (linear cost: 4x the text, about 4x the time). Prints figures; asserts nothing.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_text(size: int) -> str:
    """About ``size`` characters of report paragraphs, numbers varied so no two are the same."""
    paragraphs = []
    for path in sorted((ROOT / "examples" / "reports").glob("*.txt")):
        paragraphs += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    out, n, i = [], 0, 0
    while n < size:
        p = paragraphs[i % len(paragraphs)].replace("12", str(12 + i % 50)).replace("10", str(10 + i % 40))
        out.append(p)
        n += len(p) + 2
        i += 1
    return "\n\n".join(out)[:size]


def one(size: int) -> None:
    """In the child: extract one document of ``size`` characters, print a JSON line."""
    from rasd.extract import pipeline

    pipeline.extract_text("Shelling killed 3 people in Idlib on Monday.", published="2020-02-01")  # load models
    text = corpus_text(size)
    t0 = time.perf_counter()
    result = next(pipeline.extract_isolated([pipeline.Input(text=text, published=None, id=f"{size}-chars")]))
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = len(result.figures) if not isinstance(result, pipeline.Failure) else -1
    print(json.dumps({"chars": len(text), "seconds": round(secs, 2), "peak_mib": round(peak), "figures": figures,
                      "failed": isinstance(result, pipeline.Failure)}))


def run(size: int, cap: str | None) -> dict[str, object]:
    env = {**os.environ, "RASD_N_PROCESS": "1", "PYTHONPATH": str(ROOT / "src")}
    if cap is not None:
        env["RASD_MAX_EXTRACT_CHARS"] = cap
    done = subprocess.run([sys.executable, __file__, "--one", str(size)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"chars": size, "error": done.stderr.strip().splitlines()[-1:] or ["?"]}
    notes = [line for line in done.stderr.splitlines() if "max_extract_chars" in line]
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "capped": bool(notes)}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        one(int(argv[1]))
        return
    cap = None
    if "--cap" in argv:
        k = argv.index("--cap")
        cap = argv[k + 1]
        argv = argv[:k] + argv[k + 2:]
    ratio = "--ratio" in argv
    sizes = [float(a) for a in argv if a != "--ratio"] or [0.1, 1, 5, 20]
    if ratio:
        a, b = run(60_000, cap), run(240_000, cap)
        print(f"60 kB: {a.get('seconds')} s, 240 kB: {b.get('seconds')} s: ratio "
              f"{float(b['seconds']) / max(float(a['seconds']), 1e-9):.2f} (linear: about 4)")  # type: ignore[arg-type]
    for mb in sizes:
        r = run(int(mb * 1_000_000), cap)
        print(f"{mb:>5} MB: " + ", ".join(f"{k} {v}" for k, v in r.items()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
