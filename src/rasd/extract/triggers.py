"""Trigger words: the lexicon of ``rasd/data/events/triggers.json`` and the matching of it in a sentence.

``might_hold_event`` is the cheap filter that decides which sentences get parsed;
``find_triggers`` finds every trigger of a sentence with its sub-event type and level.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "events"


@dataclass(frozen=True)
class Trigger:
    start: int  # offset in the sentence
    end: int
    sub: str  # a sub-event type, or TERRITORY / PROTEST / GENERIC
    level: int
    weak: bool = False  # a level-1 word that yields to any other level-1 word of its sentence ("massacre", "blast")


def might_hold_event(text: str) -> bool:
    """True when the sentence has a trigger word (the cheap filter that decides what gets parsed):
    exactly when ``find_triggers`` finds one, stopping at the first."""
    starts, compiled, _meta = _trigger_index()
    for w in starts.finditer(text):
        pos = w.start()
        rx = compiled.get(text[pos].lower()) or compiled.get("\x00")
        if rx is not None and rx.match(text, pos):
            return True
    return False


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """(lower-cased characters a parsed pattern can start with, or None for "any"; whether it can match empty)."""
    from re import _constants as c  # type: ignore[attr-defined]

    out: set[str] = set()
    for op, av in items:
        if op is c.AT:
            continue
        if op is c.LITERAL:
            return out | {chr(av).lower()}, False
        if op is c.IN:
            for o, a in av:
                if o is c.LITERAL:
                    out.add(chr(a).lower())
                elif o is c.RANGE:
                    out |= {chr(x).lower() for x in range(a[0], a[1] + 1)}
                else:
                    return None, False
            return out, False
        if op in (c.BRANCH, c.SUBPATTERN, c.MAX_REPEAT, c.MIN_REPEAT):
            alts = av[1] if op is c.BRANCH else [av[-1]]
            nullable = op is not c.BRANCH and op is not c.SUBPATTERN and av[0] == 0
            for alt in alts:
                chars, empty = _first_chars(alt)
                if chars is None:
                    return None, False
                out |= chars
                nullable = nullable or empty
            if not nullable:
                return out, False
            continue
        return None, False
    return out, True


@functools.lru_cache(maxsize=1)
def _trigger_index() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]], list[tuple[str, int, bool]]]:
    """Triggers grouped by their first letter: a word start is tried only against the rules that can begin there.

    Same matches as one alternation over all rules (rule order decides at a position,
    matches never overlap), at a fraction of the cost."""
    from re import _parser  # type: ignore[attr-defined]

    rules = json.loads((DATA_DIR / "triggers.json").read_text(encoding="utf-8"))
    meta = [(r["sub_event_type"], int(r["level"]), bool(r.get("weak", False))) for r in rules]
    buckets: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for i, r in enumerate(rules):
        chars, empty = _first_chars(_parser.parse(r["pattern"], re.I))
        if chars is None or empty:
            anywhere.append(i)
            continue
        for ch in chars:
            buckets.setdefault(ch, []).append(i)
    if anywhere:
        for ch in list(buckets) + ["\x00"]:
            buckets[ch] = sorted(set(buckets.get(ch, [])) | set(anywhere))
    compiled = {
        ch: re.compile("|".join(rf"(?P<t{i}>(?:{rules[i]['pattern']})\b)" for i in idx), re.I) for ch, idx in buckets.items()
    }
    letters = "".join(re.escape(ch) for ch in buckets if ch.isalnum())
    starts = re.compile(r"\b\w" if anywhere else rf"\b[{letters}]", re.I)
    return starts, compiled, meta


def find_triggers(text: str) -> list[Trigger]:
    """Every trigger in a sentence, leftmost first, non-overlapping (rule order decides at one position)."""
    starts, compiled, meta = _trigger_index()
    out: list[Trigger] = []
    done = 0
    for w in starts.finditer(text):
        pos = w.start()
        if pos < done:
            continue
        rx = compiled.get(text[pos].lower()) or compiled.get("\x00")
        m = rx.match(text, pos) if rx is not None else None
        if m is None:
            continue
        sub, level, weak = meta[int((m.lastgroup or "t0")[1:])]
        out.append(Trigger(m.start(), m.end(), sub, level, weak))
        done = m.end()
    return out
