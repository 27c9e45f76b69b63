"""What two reports share besides a date: figures, names and the words of their texts.

When either report has no date, the date cannot keep two reports apart or bring
them together, so the score of the pair is a logistic model over what else they
share (``undated_match``):

- place, type and actors as ``rules`` scores them (a different admin1 or country
  still keeps reports apart; a type or an actor1 that differ only count against);
- figures: the same count of killed or injured in both (1), counts whose bounds
  overlap (0.5), counts that conflict (a separate feature, against);
- days: the days the two texts name (``DocumentInfo.days``: "2021-08-18", or
  "--08-18" when the text gives no year): one the same, within ``DAY_TOLERANCE``
  (for), or none the same though both name days (a separate feature, against);
  and the same for the weekdays they name ("-W-3", "on Wednesday", or the
  weekday of a dated day): a report written days after a strike still names
  its weekday, and two reports naming only different weekdays tell two events;
- names: the capitalised words the two texts share (victims, units, villages),
  Jaccard over sets of word hashes, each weighted by its idf;
- text: TF-IDF cosine of the two documents' words, with document frequencies
  counted over every document linked so far (``DocumentFrequencies``), over the
  ``TERMS`` terms of each document that weigh most when it is linked.

The weights are data (``weights.json``), fitted on the dev file with
scikit-learn's logistic regression (``python -m rasd.link.fit``); the intercept
is shifted so that the fitted cut-off lands on the ``link_threshold`` setting.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Callable, Protocol

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import Actor
from .estimates import Value
from .rules import Match, actor_score, place_score, type_score

if TYPE_CHECKING:
    from .linker import Report

TERMS = 48  # terms kept per document for the text similarity
FEATURES = ("type", "place", "actors", "actor_conflict", "figures", "figure_conflict", "names", "text",
            "day_shared", "day_differ", "weekday_shared", "weekday_differ")
DAY_TOLERANCE = 0  # days apart two named days may be and count as one (0: on the dev file a day either side adds more false pairs than true)
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_NAME = re.compile(r"(?<![.!?:\n]\s)(?<![.!?:\n])\b[A-Z][\w’'\-]{2,}")
_STOP = frozenset(ENGLISH_STOP_WORDS)


def _hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) & 0x7FFFFFFF


class Frequencies(Protocol):
    """Document frequencies of word hashes over the documents linked so far."""

    def add(self, terms: set[int]) -> None: ...

    def idf(self, terms: set[int]) -> dict[int, float]: ...


@dataclass
class DocumentFrequencies:
    """In memory (``MemoryIndex``); ``repository.StoreFrequencies`` keeps them in the store."""

    documents: int = 0
    df: dict[int, int] = field(default_factory=dict)

    def add(self, terms: set[int]) -> None:
        self.documents += 1
        for t in terms:
            self.df[t] = self.df.get(t, 0) + 1

    def idf(self, terms: set[int]) -> dict[int, float]:
        return {t: idf(self.documents, self.df.get(t, 0)) for t in terms}


def idf(documents: int, df: int) -> float:
    """scikit-learn's smoothed idf: ln((1 + n) / (1 + df)) + 1."""
    return math.log((1 + documents) / (1 + df)) + 1.0


def term_counts(text: str) -> Counter[int]:
    return Counter(_hash(w) for w in _WORD.findall(text.casefold()) if w not in _STOP)


def top_terms(counts: Counter[int], weights: dict[int, float], k: int = TERMS) -> dict[int, int]:
    """The ``k`` terms that weigh most (sublinear tf x idf), with their counts."""
    ranked = sorted(counts, key=lambda t: (-(1 + math.log(counts[t])) * weights.get(t, 1.0), t))
    return {t: counts[t] for t in ranked[:k]}


def names(text: str) -> frozenset[int]:
    """Hashes of the capitalised words that do not open a sentence (names of people, units, places)."""
    return frozenset(_hash(m.group(0).casefold()) for m in _NAME.finditer(text) if m.group(0).casefold() not in _STOP)


def cosine(a: dict[int, int], b: dict[int, int], weights: dict[int, float]) -> float:
    def vec(c: dict[int, int]) -> dict[int, float]:
        return {t: (1 + math.log(n)) * weights.get(t, 1.0) for t, n in c.items()}

    va, vb = vec(a), vec(b)
    dot = sum(x * vb.get(t, 0.0) for t, x in va.items())
    na, nb = math.sqrt(sum(x * x for x in va.values())), math.sqrt(sum(x * x for x in vb.values()))
    return dot / (na * nb) if na and nb else 0.0


def figure_agreement(a: dict[str, Value], b: dict[str, Value]) -> tuple[float, float]:
    """(agreement, conflict) of the killed/injured counts both reports give."""
    agree = conflict = 0.0
    for kind in ("killed", "injured"):
        va, vb = a.get(kind), b.get(kind)
        if va is None or vb is None:
            continue
        if va.best is not None and va.best == vb.best or (va.low, va.high) == (vb.low, vb.high):
            agree = max(agree, 1.0)
        elif _overlap(va, vb):
            agree = max(agree, 0.5)
        else:
            conflict = 1.0
    return agree, conflict


def _overlap(a: Value, b: Value) -> bool:
    lo_a, hi_a = a.low if a.low is not None else 0, a.high if a.high is not None else 10**9
    lo_b, hi_b = b.low if b.low is not None else 0, b.high if b.high is not None else 10**9
    return lo_a <= hi_b and lo_b <= hi_a


@lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    """The fitted weights (``weights.json``): one per feature and ``bias``."""
    text = resources.files("rasd.link").joinpath("weights.json").read_text(encoding="utf-8")
    return {k: float(v) for k, v in json.loads(text)["weights"].items()}


def features(a: Report, b: Report, idf_of: dict[int, float]) -> dict[str, float] | None:
    """The undated path's features of two reports; None when their places conflict."""
    ea, eb = a.event, b.event
    if ea.place is None or eb.place is None:
        return None
    place = place_score(ea.place, eb.place)
    if place is None:
        return None
    kind = type_score(ea, eb)
    shared, differ, wd_shared, wd_differ = day_agreement(a.days, b.days)
    actors = actor_score(_armed(ea.actors), _armed(eb.actors))
    agree, conflict = figure_agreement(a.values, b.values)
    na, nb = a.names, b.names
    return {
        "type": kind[0] if kind else 0.0,
        "place": place[0],
        "actors": actors[0] if actors else 0.0,
        "actor_conflict": 0.0 if actors else 1.0,
        "figures": agree,
        "figure_conflict": conflict,
        "names": _weighted_jaccard(na, nb, idf_of),
        "text": cosine(a.terms, b.terms, idf_of),
        "day_shared": shared,
        "day_differ": differ,
        "weekday_shared": wd_shared,
        "weekday_differ": wd_differ,
    }


def _day(value: str) -> tuple[int | None, dt.date] | None:
    """(year or None, the day in leap year 2000 when the year is unknown) of "2021-08-18" or "--08-18"."""
    try:
        if value.startswith("--"):
            return None, dt.date(2000, int(value[2:4]), int(value[5:7]))
        day = dt.date.fromisoformat(value)
        return day.year, day
    except ValueError:
        return None


def same_day(x: str, y: str, tolerance: int = DAY_TOLERANCE) -> bool:
    """Two named days within ``tolerance`` days; a day without a year is compared by month and day."""
    a, b = _day(x), _day(y)
    if a is None or b is None:
        return False
    if a[0] is not None and b[0] is not None:
        return abs((a[1] - b[1]).days) <= tolerance
    gap = abs((a[1].replace(year=2000) - b[1].replace(year=2000)).days)  # 2000: a leap year holds every day
    return min(gap, 366 - gap) <= tolerance  # 31 December and 1 January are neighbours


def weekdays(days: frozenset[str]) -> frozenset[str]:
    """The weekdays among the named days ("-W-3"), with those of the days whose year is known."""
    out = {d for d in days if d.startswith("-W-")}
    for d in days:
        got = _day(d) if not d.startswith("-") else None
        if got is not None:
            out.add(f"-W-{got[1].isoweekday()}")
    return frozenset(out)


def _agreement(a: frozenset[str], b: frozenset[str], same: Callable[[str, str], bool]) -> tuple[float, float]:
    """(shared, differ): (1, 0) when the two name a day in common, (0, 1) when both name days and none in
    common, (0, 0) when either names none."""
    if not a or not b:
        return 0.0, 0.0
    return (1.0, 0.0) if any(same(x, y) for x in a for y in b) else (0.0, 1.0)


def day_agreement(a: frozenset[str], b: frozenset[str]) -> tuple[float, float, float, float]:
    """(day shared, day differ, weekday shared, weekday differ) of two reports' named days (see the docstring)."""
    calendar_a = frozenset(d for d in a if not d.startswith("-W-"))
    calendar_b = frozenset(d for d in b if not d.startswith("-W-"))
    return (*_agreement(calendar_a, calendar_b, same_day),
            *_agreement(weekdays(a), weekdays(b), lambda x, y: x == y))


def _weighted_jaccard(a: frozenset[int], b: frozenset[int], weights: dict[int, float]) -> float:
    """Jaccard with each name weighted by its idf: a shared village or victim counts, a shared 'Turkish' barely."""
    if not a or not b:
        return 0.0
    union = sum(weights.get(t, 1.0) for t in a | b)
    return sum(weights.get(t, 1.0) for t in a & b) / union if union else 0.0


def _armed(actors: list[Actor]) -> list[Actor]:
    """The actors but civilians: 'civilians' is shared by nearly every report of harm, and tells nothing."""
    return [a for a in actors if a.kind != "civilians" and not (a.name or "").casefold().startswith("civilians")]


def probability(values: dict[str, float], w: dict[str, float] | None = None) -> float:
    w = weights() if w is None else w
    z = w.get("bias", 0.0) + sum(w.get(k, 0.0) * v for k, v in values.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def undated_match(a: Report, b: Report, idf_of: dict[int, float], w: dict[str, float] | None = None) -> Match | None:
    """Score two reports of which at least one is undated (see the module's docstring)."""
    values = features(a, b, idf_of)
    if values is None:
        return None
    score = probability(values, w)
    shown = ", ".join(f"{k} {values[k]:.2f}" for k in FEATURES if values[k])
    return Match(round(score, 3), f"undated: {shown}")
