"""Fuzzed texts through the whole extraction: how many fail, how many spans are not exact.

Run: python bench/fuzz.py [N] [--seed S]   (default 10,000 texts, seed 17)
Texts are random runs of the figure, date and place grammars' pieces (numbers of every
length, ranges, qualifiers, relative dates, place names), controls, bidi characters and
random Unicode. Each is extracted by ``extract_isolated`` (a failure is counted, not
raised) and every evidence span is checked against its text. Prints figures; asserts nothing.
"""

from __future__ import annotations

import random
import sys
import time

PIECES = [
    "killed", "wounded", "displaced", "more than", "at least", "about", "nearly", "up to", "between", "and", "to",
    "or", "-", "hundreds", "dozens", "tens of thousands", "half a million", "a dozen", "twenty-two", "million",
    "billion", "weeks", "years", "days", "ago", "in the past", "over the last", "since", "last", "January", "Feb.",
    "Tuesday", "yesterday", "2020", "1,000,000", "6.600", "110 000", "2013-04-29", "29/04/2014", "Idlib", "Saraqib",
    "Aleppo", "Syria", "Mosul", "Zliten", "near", "in", ",", ".", "\n", "\n\n", "\u202e", "\x1b[2J", "civilians",
    "people", "children", "air strikes", "shelling", "the White Helmets said", "according to", "\"", "(", ")",
]


def fuzzed(rng: random.Random) -> str:
    words: list[str] = []
    for _ in range(rng.randint(1, 40)):
        r = rng.random()
        if r < 0.7:
            words.append(rng.choice(PIECES))
        elif r < 0.9:
            words.append(str(rng.randint(0, 10 ** rng.randint(1, 30))))
        else:
            words.append("".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 8))))
    return " ".join(words)


def main(argv: list[str]) -> None:
    from rasd.extract import pipeline

    n = int(argv[0]) if argv and argv[0].isdigit() else 10_000
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 17
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        t = fuzzed(rng)
        texts.append(t.encode("utf-8", "replace").decode("utf-8", "replace"))  # lone surrogates are refused at read
    t0 = time.perf_counter()
    failed = bad_spans = figures = events = 0
    items = (pipeline.Input(text=t, id=str(i)) for i, t in enumerate(texts))
    for text, result in zip(texts, pipeline.extract_isolated(items)):
        if isinstance(result, pipeline.Failure):
            failed += 1
            print(f"failed: {result.reason}: {text[:80]!r}", file=sys.stderr)
            continue
        figures += len(result.figures)
        events += len(result.events)
        for record in [*result.figures, *result.events]:
            span = record.evidence
            if span is not None and text[span.start : span.end] != span.text:
                bad_spans += 1
    secs = time.perf_counter() - t0
    print(f"{n} fuzzed texts in {secs:.1f} s: {failed} failed, {bad_spans} evidence spans not exact;"
          f" {figures} figures, {events} events")


if __name__ == "__main__":
    main(sys.argv[1:])
