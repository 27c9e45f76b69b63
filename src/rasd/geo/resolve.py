"""Find toponyms in text (one automaton pass over folded tokens) and choose their gazetteer entries.

``Resolver.find(text)`` returns ``Toponym`` records in text order. Names are
matched whole and longest-first; a match must start and end on a capitalised
word. Every place of the world's cities500 (and every admin1 and admin2 unit)
is a candidate; no country is preferred. Candidates are ranked by a fitted model
(``rank``) in the document's context: the countries and admin1 units it points to
(unambiguous places, admin names, country names and demonyms, the toponym's own
vote left out), the other places (near an unambiguous one), population, whether
the name is the entry's own, the words around the mention. A toponym whose best
reading the model finds unlikely stays unresolved. Words around a name set its
precision ("near X" -> near; "X countryside", the rural land around a town, tens of
kilometres across -> admin2; "X province" -> admin1). Named
entities of parsed sentences, where given, drop names inside a PERSON/ORG and keep
(even uncapitalised) names a parse calls GPE/LOC/FAC. Regions and features
(``R`` entries: "Darfur", "Golan Heights") come from ``data/geo/regions.tsv``.
"""

from __future__ import annotations

import bisect
import logging
import math
import os
import pickle
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources

import ahocorasick

from . import rank, region as regions, routes
from .gazetteer import Entry, Gazetteer, load
from .rank import haversine_km  # noqa: F401 - re-exported for the measures
from .keys import fold_word, key, tokens

LOGGER = logging.getLogger(__name__)
MAX_CANDIDATES = 40  # readings ranked per toponym ("San Jose" has hundreds)
DOMINANT_SHARE = 0.45
STRONG_POPULATION = 100_000  # a city this large is evidence of its country
GEO_NOUNS = frozenset(
    "province governorate countryside city town village district region area airport hospital dam road "
    "highway camp plain valley mountains mountain lake square university prison airbase base bridge gate "
    "crossing border suburb suburbs outskirts neighbourhood neighborhood river desert state wilaya".split()
)
# a following word that makes the name part of an organisation's ("New York Times"); a university named after a
# town stands in it ("Gulu University students", "Jimma University"), so that word locates and is no tail here
ORG_TAILS = frozenset(
    "times post journal magazine herald tribune daily news agency observatory network council committee "
    "club airlines airways bank company group front forces army brigade brigades regiment division "
    "movement party institute center centre coalition federation league ministry office tv radio haram".split()
)
# the last word of a facility's name that locates it in the place it starts with
FACILITY_TAILS = frozenset(
    "hospital clinic school mosque church market prison airport airbase stadium bakery refinery dam bridge station "
    "university campus".split()
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_LABELS = frozenset({"PERSON", "ORG"})
# a named entity from a parse: (start, end, label), offsets in the text
Ent = tuple[int, int, str]
TITLES = frozenset("president mr mrs ms dr minister general gen sheikh king prince emir col colonel lt captain".split())


def _data(name: str) -> list[list[str]]:
    text = resources.files("rasd").joinpath("data", "geo", name).read_text(encoding="utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return frozenset()
    return frozenset(STOP_WORDS)


NOT_PLACES = frozenset(key(ln[0]) for ln in _data("notplaces.txt"))
DEMONYMS = {ln[0]: ln[1] for ln in _data("demonyms.tsv")}
CUES_BEFORE = sorted(((ln[0], ln[2]) for ln in _data("cues.tsv") if ln[1] == "before"), key=lambda c: -len(c[0]))
_CUE_OF = dict(CUES_BEFORE)
_CUE_WORDS = max(len(c.split()) for c, _p in CUES_BEFORE)
CUES_AFTER = {ln[0]: ln[2] for ln in _data("cues.tsv") if ln[1] == "after"}
STOP_WORDS = _stop_words()


@dataclass
class Toponym:
    start: int
    end: int
    text: str
    key: str
    candidates: list[Entry]
    cue: str | None = None  # near|area|admin1|point from the words around it
    entry: Entry | None = None
    scores: list[tuple[Entry, float]] = field(default_factory=list)
    precision: str | None = None
    readings: rank.Readings | None = field(default=None, repr=False)  # per-toponym feature inputs (rank)

    @property
    def n_words(self) -> int:
        return len(self.key.split())


class Resolver:
    """A phrase automaton over the gazetteer's keys, and the scoring of candidates."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.automaton = _automaton(gazetteer)
        rank.word_frequency("town")  # loads wordfreq's English list now, with the gazetteer, not in the first document

    # -- matching -------------------------------------------------------------

    def _folded(self, text: str) -> tuple[str, list[int], list[tuple[int, int]]]:
        """' k1 k2 … ' over the text's words, the offset in it where each kept word starts, and word spans."""
        parts: list[str] = [" "]
        starts: list[int] = []
        kept: list[tuple[int, int]] = []
        at = 1
        prev_cap = False
        for s, e in tokens(text):
            word = text[s:e]
            folded = fold_word(word, not prev_cap)
            prev_cap = word[:1].isupper()
            if not folded:
                continue
            parts.append(folded)
            starts.append(at)
            at += len(folded) + 1
            kept.append((s, e))
        parts.append("")
        return " ".join(parts)[1:], starts, kept

    def scan(self, text: str, ents: list[Ent] | None = None) -> list[Toponym]:
        """Every capitalised, whole-name match, longest first, without overlaps; an
        uncapitalised one too where a parse marks it as a place (GPE/LOC/FAC)."""
        places = [(s, e) for s, e, label in ents or () if label in PLACE_LABELS]
        norm, starts, words = self._folded(text)
        raw: list[tuple[int, int, str]] = []
        for end_idx, length in self.automaton.iter(norm):
            first = bisect.bisect_right(starts, end_idx - length + 1)  # the match " k " starts on a space
            start = words[first][0]
            if not text[start].isupper() and not places:
                continue  # every place of the world is a key: most matches are lower-case words, dropped here first
            k = norm[end_idx - length + 2 : end_idx]
            last = first + k.count(" ")
            if not text[start].isupper() and not _inside(start, words[last][1], places):
                continue
            raw.append((first, last, k))
        raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
        out: list[Toponym] = []
        taken = -1
        for first, last, k in raw:
            if first <= taken:
                continue
            s, e = words[first][0], words[last][1]
            if not text[s].isupper() and not _inside(s, e, places):
                continue
            if not text[words[last][0]].isupper() and not any(c.kind in "AR" for c in self.gaz.lookup(k)):
                continue  # "Damascus countryside" is a governorate's name; "Aleppo city" is not a name
            if first == last and text[s:e].isupper() and e - s <= 5:
                continue  # an acronym (SAF, ISIL), not a place
            if first == last and (k in NOT_PLACES or text[s:e].lower() in STOP_WORDS or k in GEO_NOUNS):
                continue
            following = tokens(text[e : e + 30])
            if following and following[0][0] == 1 and text[e : e + 1] == " " and (
                text[e + 1 : e + following[0][1]].lower() in ORG_TAILS
            ):
                continue
            taken = last
            out.append(Toponym(s, e, text[s:e], k, self.gaz.lookup(k)))
        return [t for t in out if t.candidates]

    # -- context --------------------------------------------------------------

    def _cue(self, text: str, t: Toponym) -> str | None:
        before = " " + text[max(0, t.start - 60) : t.start].lower()
        found: str | None = None
        for _ in range(3):  # "near the town of X": past "town of" to "near"
            before = before.rstrip(" -")
            for article in (" al", " el", " the", " a"):
                if before.endswith(article):
                    before = before[: -len(article)].rstrip()
            hit = _cue_before(before)
            if hit is None:
                break
            found = found if found == "near" else hit[1]
            if hit[1] != "point":
                return found
            before = before[: -len(hit[0])]
        if found:
            return found
        after = text[t.end : t.end + 30].lower().lstrip(" -’'s")
        word = after.split(" ", 1)[0].strip(".,;:)(\"'")
        return CUES_AFTER.get(word)

    def _is_person(self, text: str, t: Toponym) -> bool:
        """A single word squeezed between other capitalised words ("Bashar al-Assad")."""
        if t.n_words > 1 or any(c.kind != "P" or c.population >= 100_000 for c in t.candidates):
            return False
        before = text[max(0, t.start - 30) : t.start]
        prev = [text[s:e] for s, e in tokens(before)]
        prev = [w for w in prev if not fold_word(w) == ""]
        if prev and before.rstrip(" -").endswith(prev[-1]):
            w = prev[-1]
            if w.lower() in TITLES:
                return True
            if w[:1].isupper() and w.lower() not in STOP_WORDS and w.lower() not in GEO_NOUNS:
                return True
        after = text[t.end : t.end + 30]
        nxt = [after[s:e] for s, e in tokens(after)]
        if nxt and after.startswith((" ", "-")) and after.lstrip(" -").startswith(nxt[0]):
            w = nxt[0]
            if w[:1].isupper() and w.lower() not in STOP_WORDS and w.lower() not in GEO_NOUNS:
                return True
        return False

    def find(self, text: str, weights: list[float] | None = None, ents: list[Ent] | None = None) -> list[Toponym]:
        """Toponyms of ``text``. ``ents`` (named entities of the parsed sentences,
        optional) settle doubtful words: a name inside a PERSON or ORG entity is not a
        place ("Derna Council"); one a parse calls GPE/LOC/FAC is kept. ``weights``
        are not used here; see ``resolve``."""
        found = self.scan(text, ents)
        places = [(s, e) for s, e, label in ents or () if label in PLACE_LABELS]
        names = [(s, e) for s, e, label in ents or () if label in NAME_LABELS]
        kept: list[Toponym] = []
        for t in found:
            t.cue = self._cue(text, t)
            is_place = _inside(t.start, t.end, places)
            if not is_place and any(_names_more(text, t, s, e) for s, e in names):
                LOGGER.debug("dropping %r: inside a named person or group", t.text)
                continue
            if t.cue is None and not is_place and self._is_person(text, t):
                LOGGER.debug("dropping %r: looks like part of a person's or group's name", t.text)
                continue
            kept.append(t)
        return kept


def _cue_before(before: str) -> tuple[str, str] | None:
    """The longest cue (``cues.tsv``) that ``before`` ends with, after a space, and its precision."""
    tail = before.rsplit(" ", _CUE_WORDS)
    for n in range(min(_CUE_WORDS, len(tail) - 1), 0, -1):
        cue = " ".join(tail[-n:])
        if cue in _CUE_OF:
            return cue, _CUE_OF[cue]
    return None


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _names_more(text: str, t: Toponym, start: int, end: int) -> bool:
    """Whether the entity ``start:end`` holds the toponym and other words that are not
    geographic nouns ("Derna Council of Mujahideen", not "Idlib Governorate")."""
    if not (start <= t.start and t.end <= end) or (start, end) == (t.start, t.end):
        return False
    rest = text[start : t.start] + " " + text[t.end : end]
    words = [rest[s:e].lower() for s, e in tokens(rest)]
    if words and words[-1] in FACILITY_TAILS and text[start : t.start].strip(" -").lower() in ("", "the", "al", "el"):
        return False  # "Banha Teaching Hospital", "Aleppo Central Prison": a facility in the place it is named after
    return any(w not in GEO_NOUNS and w not in ("the", "of", "al", "el") for w in words)


def _strength(c: Entry) -> float:
    if c.kind == "C":
        return 8.0
    if c.kind in "AR":
        return 6.0
    return 1.0 + math.log10(c.population + 1)


def _toponym_votes(t: Toponym, w: float) -> dict[str, float]:
    """One toponym's vote: each country's strongest candidate, shared out; a name
    that points to one country only counts double."""
    countries: dict[str, float] = {}
    for c in t.candidates:
        if c.country:
            countries[c.country] = max(countries.get(c.country, 0.0), _strength(c))
    total = sum(countries.values()) or 1.0
    return {cc: w * v / total * (2.0 if len(countries) == 1 else 1.0) for cc, v in countries.items()}


def _evidence(t: Toponym, w: float) -> dict[str, float]:
    """What a toponym says for sure about the document's country: its one country when
    all its readings lie in one, else the one country with a strong reading (a country,
    region or admin1 name, or a city of ``STRONG_POPULATION``); nothing otherwise. A unit or
    country by its own name outweighs a city by an alternate one ("Oromia" is Ethiopia's, not Urmia)."""
    countries = {c.country for c in t.candidates if c.country}
    if len(countries) == 1:
        return {countries.pop(): 2.0 * w}  # type: ignore[dict-item]
    units = {c.country for c in t.candidates if c.country and c.kind != "P" and c.is_primary}
    if len(units) == 1:
        return {units.pop(): w}  # type: ignore[dict-item]
    strong = {c.country for c in t.candidates if c.country and (c.kind != "P" or c.population >= STRONG_POPULATION)}
    return {strong.pop(): w} if len(strong) == 1 else {}  # type: ignore[dict-item]


# a demonym before a force or a weapon names who acted, not where: "a Turkish drone bombed a car in Kobani" is no
# evidence that Kobani lies in Turkey
_FORCES_AFTER = re.compile(
    r"(?:-(?:backed|led|allied|affiliated|supported)\b|\s+(?:(?:occupation|occupying|ground|aerial|air|naval|military|army"
    r"|enemy|regime|government|state|security|special)\s+)?(?:forces?|army|military|troops|soldiers|drones?|warplanes?|jets?"
    r"|aircraft|air\s*force|airstrikes?|air\s+strikes?|strikes?|raids?|shelling|bombardment|artillery|missiles?|rockets?"
    r"|occupation|mercenaries|proxies|navy|militias?|regime|enemy|aggression|attacks?)\b)",
    re.I,
)


def _demonym_counts(text: str) -> dict[str, int]:
    """Each country's demonyms in ``text`` ("Syrian"), those that name forces or weapons left out."""
    counts: dict[str, int] = defaultdict(int)
    for word, cc in DEMONYMS.items():
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not _FORCES_AFTER.match(text, end):
                counts[cc] += 1
            start = text.find(word, end)
    return counts


def _demonym_votes(counts: dict[str, int]) -> dict[str, float]:
    """The demonyms' vote for each country (``_demonym_counts``), three mentions at most."""
    return {cc: float(min(n, 3)) for cc, n in counts.items()}


def country_votes(toponyms: list[Toponym], demonyms: dict[str, int], weights: list[float]) -> dict[str, float]:
    """How strongly the document points to each country: every toponym's vote, and
    demonyms ("Syrian"; ``demonyms`` from ``_demonym_counts``)."""
    votes: dict[str, float] = defaultdict(float)
    for t, w in zip(toponyms, weights):
        for cc, v in _toponym_votes(t, w).items():
            votes[cc] += v
    for cc, v in _demonym_votes(demonyms).items():
        votes[cc] += v
    return dict(votes)


def named_countries(toponyms: list[Toponym], demonyms: dict[str, int]) -> set[str]:
    """Countries the document names outright: by name ("Sudan") or demonym ("Sudanese")."""
    named = {c.ref for t in toponyms for c in t.candidates if c.kind == "C" and len(t.candidates) == 1}
    return named | set(demonyms)


def dominant_country(votes: dict[str, float]) -> str | None:
    """The country the votes point to, when one clearly leads (None otherwise)."""
    total = sum(votes.values())
    if total <= 0:
        return None
    ranked = sorted(votes.values(), reverse=True)
    top = max(votes, key=votes.__getitem__)
    second = ranked[1] if len(ranked) > 1 else 0.0
    if votes[top] / total >= DOMINANT_SHARE or (votes[top] / total >= 0.3 and votes[top] >= 1.5 * second):
        return top
    return None


def _admin1_votes(toponyms: list[Toponym], weights: list[float]) -> dict[tuple[str, str], float]:
    votes: dict[tuple[str, str], float] = defaultdict(float)
    for t, w in zip(toponyms, weights):
        units = {(c.country or "", c.admin1) for c in t.candidates if c.admin1}
        for unit in units:
            votes[unit] += w / len(units)  # type: ignore[index]
    return dict(votes)  # type: ignore[arg-type]


def _choose_kind(t: Toponym) -> list[Entry]:
    """A name that is both a governorate and its capital: the cue decides, else the city.
    A country's name is the country ("Chad", "Niger"), whatever towns share it; an admin1 unit's own
    name is no town's alternate name."""
    kinds = {c.kind for c in t.candidates}
    if "C" in kinds:
        return [c for c in t.candidates if c.kind == "C"]
    units = {c.country for c in t.candidates if c.kind == "A" and c.is_primary}
    if units:  # "Oromia" is Ethiopia's region, not Urmia by an alias; "Derna" stays Libya's town and region
        t.candidates = [c for c in t.candidates if c.kind != "P" or c.is_primary or c.country in units]
        kinds = {c.kind for c in t.candidates}
    if "A" in kinds and "P" in kinds:
        if t.cue == "admin1":
            return [c for c in t.candidates if c.kind != "P"]
        admin1s = {(c.country, c.admin1) for c in t.candidates if c.kind == "A"}
        cities = [c for c in t.candidates if c.kind == "P" and (c.country, c.admin1) in admin1s]
        if cities:
            return [c for c in t.candidates if c.kind != "A"]
    return t.candidates


def _bounded(candidates: list[Entry]) -> list[Entry]:
    """At most ``MAX_CANDIDATES`` readings: admin units and regions, then towns by population."""
    if len(candidates) <= MAX_CANDIDATES:
        return candidates
    ranked = sorted(candidates, key=lambda c: (c.kind == "P", not c.is_primary, -c.population))
    return ranked[:MAX_CANDIDATES]


def doc_context(toponyms: list[Toponym], text: str, weights: list[float]) -> tuple[rank.DocContext, list[dict[str, float]]]:
    """The document's evidence (countries, admin1 units, unambiguous places) and each toponym's own share of it."""
    # a dateline, caption or site chrome (weight below 1) names where a report was filed or a photo taken, not
    # where its events are: "BEIRUT (AP) - ... killed in Saraqib" keeps Saraqib, so only body and headline
    # toponyms are evidence of the country whose small towns are admitted
    common = [rank.word_frequency(t.text) >= rank.COMMON_WORD for t in toponyms]
    own = [_evidence(t, w) if w >= 1.0 and not is_common else {} for t, w, is_common in zip(toponyms, weights, common)]
    demonyms = _demonym_counts(text)  # scanned once: the votes, the evidence and the named countries all read it
    evidence: dict[str, float] = defaultdict(float, _demonym_votes(demonyms))
    for mine in own:
        for cc, v in mine.items():
            evidence[cc] += v
    votes = country_votes(toponyms, demonyms, weights)
    total = sum(votes.values()) or 1.0
    doc = rank.DocContext(dict(evidence), {cc: v / total for cc, v in votes.items()},
                          named_countries(toponyms, demonyms), _admin1_votes(toponyms, weights))
    for t, is_common in zip(toponyms, common):
        if len(t.candidates) == 1 and t.candidates[0].kind in "PR" and t.candidates[0].lat is not None:
            c = t.candidates[0]
            doc.anchors.add(c.lat or 0.0, c.lon or 0.0, rank.entry_id(c))
        if not is_common:
            for c in _bounded(t.candidates):
                if c.kind in "PR" and c.lat is not None and c.lon is not None:
                    doc.readings.add(c.lat, c.lon, t.key)
    return doc, own


def _prior(c: Entry) -> float:
    """Without a fitted ranker: larger places and admin units first."""
    return round(0.1 * math.log10(c.population + 1) + (0.5 if c.kind != "P" else 0.0) + (0.2 if c.is_primary else 0.0), 3)


def _in_region(cands: list[Entry], doc: rank.DocContext, region: frozenset[str]) -> list[Entry]:
    """The readings inside the followed countries, and those abroad the document points to (names the country, a
    demonym, an unambiguous place there); all readings when none lies inside."""
    if not region or not any(c.country in region for c in cands):
        return cands
    return [c for c in cands if c.country in region or c.country in doc.named or doc.evidence.get(c.country or "", 0.0) > 0]


def rank_candidates(t: Toponym, doc: rank.DocContext, m: rank.MentionContext,
                    model: rank.Model | None) -> list[tuple[Entry, float]]:
    """Every reading of ``t`` with its probability under ``model``, best first (outside the followed countries
    only where the document points abroad, ``_in_region``)."""
    scored = []
    for c in _in_region(_bounded(_choose_kind(t)), doc, m.region):
        if c.kind == "C":
            scored.append((c, 1.0))
        elif model is None:
            scored.append((c, _prior(c)))
        else:
            scored.append((c, round(model.probability(rank.features(t, c, doc, m)), 3)))
    scored.sort(key=lambda cs: -cs[1])
    return scored


def resolve(toponyms: list[Toponym], text: str, weights: list[float], model: rank.Model | None = None) -> list[Toponym]:
    """Choose every toponym's reading in the document's context; a toponym whose best reading the ranker
    finds unlikely is left unresolved (``entry`` None, ``scores`` kept) and is not returned."""
    doc, own = doc_context(toponyms, text, weights)
    model = model or rank.model()
    region = regions.followed()
    kept = []
    # a name repeated with the same words around it is ranked once per document
    seen: dict[tuple[object, ...], list[tuple[Entry, float]]] = {}
    for t, mine in zip(toponyms, own):
        home = dominant_country({cc: v - mine.get(cc, 0.0) for cc, v in doc.evidence.items() if v - mine.get(cc, 0.0) > 1e-9})
        m = rank.mention_context(text, t, doc, mine, home)
        m.region = region
        same = (t.key, t.text, t.cue, m.locative, m.sentence_start, home, tuple(sorted(mine.items())))
        if same not in seen:
            seen[same] = rank_candidates(t, doc, m, model)
        scored = seen[same]
        t.scores = scored[:5]
        threshold = 0.0 if model is None else model.threshold_for(m)
        if not scored or scored[0][1] < threshold:
            LOGGER.debug("unresolved %r: best reading %s", t.text, scored[:1])
            continue
        t.entry = scored[0][0]
        t.precision = _precision(t)
        moved = routes.offset(text, t.start, t.entry)
        if moved is not None:  # "13km NW of Marka": the place lies there, not in Marka
            t.entry, t.precision = moved, "near"
            t.scores = [(moved, scored[0][1]), *t.scores]
        kept.append(t)
    return join_routes(kept, text)


def join_routes(kept: list[Toponym], text: str) -> list[Toponym]:
    """Two towns a stretch of road joins ("between A and B", "the A-B road") become one mention at their
    midpoint, precision near, both towns its candidates (``routes``)."""
    out: list[Toponym] = []
    i = 0
    while i < len(kept):
        a = kept[i]
        b = kept[i + 1] if i + 1 < len(kept) else None
        stretch = None
        if b is not None and a.entry is not None and b.entry is not None and routes.joined(text, a.start, a.end, b.start, b.end):
            stretch = routes.between(a.entry, b.entry)
        if b is None or stretch is None:
            out.append(a)
            i += 1
            continue
        score = min(a.scores[0][1], b.scores[0][1]) if a.scores and b.scores else 0.0
        out.append(Toponym(a.start, b.end, text[a.start : b.end], f"{a.key} {b.key}", [a.entry, b.entry],  # type: ignore[list-item]
                           "near", stretch, [(stretch, score), a.scores[0], b.scores[0]], "near"))
        i += 2
    return out


def _precision(t: Toponym) -> str:
    assert t.entry is not None
    if t.entry.kind == "C":
        return "country"
    if t.entry.kind == "A":
        return "admin1"
    if t.entry.kind == "R":
        return "near" if t.cue in ("near", "area") else t.entry.precision or "admin1"
    if t.entry.kind == "B":
        return "near"
    return "admin2" if t.cue == "area" else "near" if t.cue == "near" else "point"


def _automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """The phrase automaton over the gazetteer's keys, saved beside the gazetteer file on first build and
    loaded from there after (building it over every place of the world takes seconds)."""
    saved = gazetteer.path.with_name(f"{gazetteer.path.name}.{gazetteer.version()}.automaton")
    if saved.exists():
        try:
            return ahocorasick.load(str(saved), pickle.loads)  # (values are lengths: nothing to unpickle)
        except (OSError, ValueError):
            LOGGER.info("rebuilding the unreadable phrase automaton %s", saved)
    automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)  # the match's length gives back its key
    for k in gazetteer.automaton_keys():
        automaton.add_word(f" {k} ")
    automaton.make_automaton()
    tmp = saved.with_name(f"{saved.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        automaton.save(str(tmp))
        os.replace(tmp, saved)
        for stale in saved.parent.glob(f"{gazetteer.path.name}.*.automaton"):
            if stale != saved:  # an earlier build's or import's: 100 MB each
                stale.unlink(missing_ok=True)
    except OSError as exc:  # a read-only cache still resolves, only slower to start
        LOGGER.info("cannot save the phrase automaton at %s: %s", saved, exc)
    return automaton


_RESOLVERS: dict[str, Resolver] = {}
_LOCK = threading.Lock()


def resolver() -> Resolver:
    """The process-wide resolver over the default gazetteer (built on first use)."""
    gaz = load()
    with _LOCK:
        got = _RESOLVERS.get(str(gaz.path))
        if got is None:
            got = _RESOLVERS[str(gaz.path)] = Resolver(gaz)
        return got


def forget_matchers() -> None:
    with _LOCK:
        _RESOLVERS.clear()
