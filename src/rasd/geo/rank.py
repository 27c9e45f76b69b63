"""Ranking a toponym's candidates with a fitted model (logistic regression over candidate features).

Every candidate reading of a toponym gets a feature vector (``FEATURES``): its kind
(town, admin1, admin2, region), population, whether the name is the entry's own
name or an alternate, how the rest of the document points to its country and its
admin1 (unambiguous places, admin names, demonyms, the toponym's own vote left
out), whether it lies near another place the document names unambiguously, how
ambiguous the name is, and the words around the mention ("in", "near", "district",
sentence start). ``ranker.json`` (built by ``python -m rasd.geo.fit``, from the dev
files) holds the weights; the probability of the best candidate decides whether
the mention is a place at all (``threshold``).

Proximity uses a grid of 0.5 degree cells, so each candidate is compared with the
anchors of nine cells at most: the cost stays linear in the number of toponyms.
"""

from __future__ import annotations

import functools
import json
import math
import operator
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .gazetteer import Entry
    from .resolve import Toponym

CLUSTER_KM = 60.0
CELL_DEG = 0.5
MAX_ANCHORS = 200  # the first unambiguous places of a document; more add nothing but cost
FEATURES = (
    "bias_town", "kind_admin1", "kind_admin2", "kind_region", "log_population", "no_population", "primary_name",
    "exact_name", "home_country", "country_evidence", "no_evidence", "named_country", "country_vote", "admin1_vote",
    "near_anchor", "n_countries", "n_candidates", "largest_reading", "largest_in_country", "cue_near", "cue_admin",
    "cue_admin_match", "locative", "sentence_start", "multiword", "word_frequency", "population_margin",
    "abroad_size", "abroad_alternate", "near_other_names",
)
NEIGHBOUR_KM = 100.0  # "Ambo and Bako": readings of two names this close support each other
COMMON_WORD = 4.5 / 7.0  # a toponym whose words are this common in English ("Fall", "West") is no evidence
_LOCATIVE = re.compile(r"(?:\b(?:in|at|near|of|from|to|into|outside|around|towards?|between|and|village|town|city|area"
                       r"|district|region|province|camp)\s*(?:the\s+)?(?:[a-z]+\s+)?)$", re.I)


KM_PER_DEGREE = 6371.0 * math.pi / 180.0  # of latitude, on the sphere ``haversine_km`` uses


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


class Grid:
    """Points in cells of ``cell`` degrees (at most ``limit`` points, ``per_cell`` in a cell): the
    points other than X within ``km`` (no more than a cell's width) in constant time."""

    def __init__(self, cell: float = CELL_DEG, limit: int = MAX_ANCHORS, per_cell: int = 64) -> None:
        self.cell, self.limit, self.per_cell = cell, limit, per_cell
        self.cells: dict[tuple[int, int], list[tuple[float, float, str]]] = defaultdict(list)
        self.seen: set[tuple[float, float, str]] = set()
        self.size = 0

    def add(self, lat: float, lon: float, ident: str) -> None:
        """Add a point (once: a name repeated in the text adds nothing)."""
        if (lat, lon, ident) in self.seen:
            return
        bucket = self.cells[(int(lat // self.cell), int(lon // self.cell))]
        if self.size < self.limit and len(bucket) < self.per_cell:
            bucket.append((lat, lon, ident))
            self.seen.add((lat, lon, ident))
            self.size += 1

    def around(self, lat: float, lon: float, ident: str, km: float) -> set[str]:
        ci, cj = int(lat // self.cell), int(lon // self.cell)
        found: set[str] = set()
        dlat = km / KM_PER_DEGREE  # a point further north or south than this is further than ``km``: no haversine
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for alat, alon, aid in self.cells.get((ci + di, cj + dj), ()):
                    if abs(alat - lat) <= dlat and aid != ident and aid not in found and haversine_km(lat, lon, alat, alon) < km:
                        found.add(aid)
        return found

    def near(self, lat: float, lon: float, ident: str, km: float = CLUSTER_KM) -> bool:
        return bool(self.around(lat, lon, ident, km))


def entry_id(c: Entry) -> str:
    return f"{c.kind}:{c.ref}"


@dataclass
class DocContext:
    """What the whole document says about countries, admin1 units and places."""

    evidence: dict[str, float]
    share: dict[str, float]
    named: set[str]
    admin1: dict[tuple[str, str], float]
    anchors: Grid = field(default_factory=Grid)
    # every reading of every toponym that is no common word, by the toponym's key
    readings: Grid = field(default_factory=lambda: Grid(cell=1.0, limit=4000, per_cell=48))

    @property
    def admin1_total(self) -> float:
        return sum(self.admin1.values()) or 1.0


@dataclass
class MentionContext:
    """One toponym's view of the document: the evidence without its own vote, and its words around."""

    others: dict[str, float]
    home: str | None
    locative: bool
    sentence_start: bool
    region: frozenset[str] = frozenset()  # the countries a user follows (``region``), when the document names none
    others_total: float = field(init=False)

    def __post_init__(self) -> None:
        self.others_total = sum(v for v in self.others.values() if v > 1e-9)


def mention_context(text: str, t: Toponym, doc: DocContext, mine: dict[str, float],
                    home: str | None) -> MentionContext:
    others = {cc: v - mine.get(cc, 0.0) for cc, v in doc.evidence.items()}
    before = text[max(0, t.start - 40) : t.start]
    stripped = before.rstrip(" \t-\"'(")
    start = not stripped or stripped[-1] in ".!?\n:;"
    return MentionContext(others, home, bool(_LOCATIVE.search(before)), start)


@functools.lru_cache(maxsize=1 << 15)
def word_frequency(text: str) -> float:
    """How common the mention's words are in English (wordfreq's Zipf scale over 7): "West", "Town" and
    "Federal" are words first; "Kumshe" and "Ambo" are not."""
    from wordfreq import zipf_frequency

    return zipf_frequency(text.lower(), "en") / 7.0


@functools.lru_cache(maxsize=1 << 16)
def _plain(name: str) -> str:
    from .keys import strip_accents

    return " ".join(strip_accents(name).lower().replace("-", " ").split())


# the size an admin unit or region counts as, in log10 of a town's population: a province outranks a town
# of the same name abroad as a city of a million would
UNIT_SIZE = {"A": 6.0, "admin1": 6.0, "admin2": 5.0}


def _size(c: Entry) -> float:
    if c.kind == "P":
        return math.log10(c.population + 1)
    return UNIT_SIZE.get(c.kind if c.kind == "A" else c.precision or "admin1", 6.0)


@dataclass
class Readings:
    """What a toponym's readings have in common, computed once per toponym (features are per reading)."""

    plain: str
    frequency: float
    largest: int
    largest_in: dict[str, int]
    top: list[tuple[float, int]]  # the two largest log-populations of its towns, with their count
    n_countries: int

    @classmethod
    def of(cls, t: Toponym) -> Readings:
        towns = [e for e in t.candidates if e.kind == "P"]
        largest_in: dict[str, int] = {}
        for e in towns:
            largest_in[e.country or ""] = max(largest_in.get(e.country or "", 0), e.population)
        logs = sorted((math.log10(e.population + 1) for e in towns), reverse=True)
        top = [(v, logs.count(v)) for v in sorted(set(logs[:2]), reverse=True)]
        return cls(_plain(t.text), word_frequency(t.text), max((e.population for e in towns), default=0), largest_in,
                   top, len({e.country for e in t.candidates if e.country}))

    def rival(self, c: Entry) -> float | None:
        """The largest log-population among the other towns of the name."""
        if not self.top:
            return None
        own = math.log10(c.population + 1)
        best, count = self.top[0]
        if own == best and count == 1:
            return self.top[1][0] if len(self.top) > 1 else None
        return best


def features(t: Toponym, c: Entry, doc: DocContext, m: MentionContext) -> list[float]:
    """The feature vector of candidate ``c`` of toponym ``t`` (order: ``FEATURES``)."""
    if t.readings is None:
        t.readings = Readings.of(t)
    r: Readings = t.readings
    cc = c.country or ""
    rival = r.rival(c) if c.kind == "P" else None
    total = m.others_total
    near = c.lat is not None and c.lon is not None and doc.anchors.near(c.lat, c.lon, entry_id(c))
    abroad = m.home is not None and cc != m.home and cc not in doc.named
    home = cc == m.home or (m.home is None and cc in m.region)
    is_admin = c.kind == "A" or (c.kind == "R" and c.precision in ("admin1", "admin2"))
    return [
        float(c.kind == "P"),
        float(c.kind == "A"),
        float(c.kind == "R" and c.precision == "admin2"),
        float(c.kind == "R" and c.precision != "admin2"),
        _size(c) / 6.0,
        float(c.kind == "P" and c.population == 0),
        float(c.is_primary),
        float(r.plain == _plain(c.name)),
        float(home),
        max(0.0, m.others.get(cc, 0.0)) / total if total else 0.0,
        float(total == 0),
        float(cc in doc.named),
        doc.share.get(cc, 0.0),
        doc.admin1.get((cc, c.admin1 or ""), 0.0) / doc.admin1_total,
        float(near),
        math.log2(r.n_countries or 1) / 4.0,
        math.log2(len(t.candidates)) / 6.0,
        float(c.kind == "P" and c.population >= r.largest),
        float(c.kind == "P" and c.population >= r.largest_in.get(cc, 0)),
        float(t.cue in ("near", "area")),  # "area" (the countryside of X) ranks as "near" does
        float(t.cue == "admin1"),
        float(t.cue == "admin1" and is_admin),
        float(m.locative),
        float(m.sentence_start),
        float(t.n_words > 1),
        r.frequency,
        max(-1.0, min(1.0, (math.log10(c.population + 1) - rival) / 3.0)) if rival is not None else 0.0,
        _size(c) / 6.0 if abroad else 0.0,
        float(abroad and not c.is_primary),
        min(3, len(doc.readings.around(c.lat, c.lon, t.key, NEIGHBOUR_KM))) / 3.0 if c.lat is not None and c.lon is not None else 0.0,
    ]


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    intercept: float
    threshold: float
    threshold_locative: float  # after "in", "near", "village of": a place is likelier, a weaker best reading will do

    def threshold_for(self, m: MentionContext) -> float:
        """The threshold a mention's best reading must reach: the locative one after "in", "near", else ``threshold``."""
        return self.threshold_locative if m.locative else self.threshold

    def probability(self, x: list[float]) -> float:
        z = self.intercept + sum(map(operator.mul, self.weights, x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def model_from(data: dict[str, Any]) -> Model:
    names = data["features"]
    if tuple(names) != FEATURES:
        raise ValueError(f"ranker.json was fitted on other features ({len(names)}); rebuild it: python -m rasd.geo.fit")
    return Model(tuple(float(w) for w in data["weights"]), float(data["intercept"]), float(data["threshold"]),
                 float(data.get("threshold_locative", data["threshold"])))


@functools.lru_cache(maxsize=1)
def model() -> Model | None:
    """The shipped ranker (``data/geo/ranker.json``), or None when there is none yet."""
    path = resources.files("rasd").joinpath("data", "geo", "ranker.json")
    if not path.is_file():
        return None
    return model_from(json.loads(path.read_text(encoding="utf-8")))
