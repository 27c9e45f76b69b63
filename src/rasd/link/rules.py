"""When two reports are of one event: type, place, period and actors, each with a score.

``compare(a, b)`` returns a ``Match`` (score in 0..1 and a reason a person can
read) or ``None`` when something keeps the two apart: incompatible event types,
places that conflict (different admin1 or country, or points further apart than
both precisions allow), periods that do not overlap even with their tolerance,
or conflicting main actors. The weighted score is compared with the
``link_threshold`` setting by the linker.

Rules, in one place:

- type: same sub-event type 1.0; sub-event types that reports of one event often
  mix (an air strike called shelling; an attack on civilians by air) 0.6;
  anything else keeps them apart.
- place: same GeoNames entry 1.0 when both are a spot (point or near); the same
  entry named as an area ("the countryside of Hasakah", admin2 or admin1 precision)
  says only that both lie in that area, so it scores by the coarser precision
  (``CONTAINS``); points within ``RADIUS_KM[a] + RADIUS_KM[b]`` 0.8; one place
  coarser than the other but containing it (same admin1) scores by the coarser
  precision (``CONTAINS``); country-level places never link.
- period: intervals widened by ``TOLERANCE_DAYS`` per precision must overlap,
  and two single days may be at most ``TOLERANCE_DAYS["day"]`` apart (a report
  may be a day off; two reports two days apart tell two days); the score falls
  with the coarser precision (``PERIOD_SCORE``).
- actors: a shared actor supports (1.0); no actors on one side is neutral (0.5);
  two different ``actor1`` that the other report never names keep them apart.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..model import SUB_EVENT_TO_TYPE, Actor, Event, Period, Place

WEIGHTS = {"type": 0.25, "place": 0.35, "period": 0.25, "actors": 0.15}

# Sub-event types that different reports of one event plausibly use (symmetric).
_COMPATIBLE: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in (
        ("Air/drone strike", "Shelling/artillery/missile attack"),
        ("Air/drone strike", "Attack"),
        ("Shelling/artillery/missile attack", "Attack"),
        ("Remote explosive/landmine/IED", "Suicide bomb"),
        ("Remote explosive/landmine/IED", "Attack"),
        ("Suicide bomb", "Attack"),
        ("Grenade", "Attack"),
        ("Armed clash", "Government regains territory"),
        ("Armed clash", "Non-state actor overtakes territory"),
        ("Peaceful protest", "Protest with intervention"),
        ("Protest with intervention", "Excessive force against protesters"),
        ("Violent demonstration", "Mob violence"),
        ("Looting/property destruction", "Attack"),
    )
)

# How far (km) a place of this precision may lie from where the event happened.
RADIUS_KM = {"point": 3.0, "near": 8.0, "admin2": 25.0}
# Score when one place is coarser and contains the other (same admin1).
CONTAINS = {"admin2": 0.45, "admin1": 0.2}
PRECISION_RANK = {"point": 0, "near": 1, "admin2": 2, "admin1": 3, "country": 4}

TOLERANCE_DAYS = {"day": 1, "week": 2, "month": 0, "year": 0, "range": 0}
PERIOD_SCORE = {"day": 1.0, "week": 0.6, "month": 0.3, "year": 0.1, "range": 0.3}


@dataclass(frozen=True)
class Match:
    score: float
    reason: str


def type_score(a: Event, b: Event) -> tuple[float, str] | None:
    if a.sub_event_type == b.sub_event_type:
        return 1.0, f"same sub-event type ({a.sub_event_type})"
    if frozenset((a.sub_event_type, b.sub_event_type)) in _COMPATIBLE:
        return 0.6, f"compatible types ({a.sub_event_type} ~ {b.sub_event_type})"
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def precision_of(place: Place) -> str:
    """A place's precision; a place with coordinates but no precision counts as a point."""
    if place.precision in PRECISION_RANK:
        return place.precision
    return "point" if place.lat is not None else "admin1" if place.admin1 else "country"


def linkable_place(place: Place | None) -> bool:
    """Places precise enough to carry an incident: admin1 or finer, with admin1 or coordinates."""
    if place is None:
        return False
    prec = precision_of(place)
    if prec == "country":
        return False
    return place.lat is not None or bool(place.admin1)


def _norm(value: str | None) -> str:
    return (value or "").strip().casefold()


def place_score(a: Place, b: Place) -> tuple[float, str] | None:
    pa, pb = precision_of(a), precision_of(b)
    coarse = max(pa, pb, key=lambda p: PRECISION_RANK[p])
    if a.geonameid is not None and a.geonameid == b.geonameid:
        if coarse in CONTAINS:
            return CONTAINS[coarse], f"both in the area of {a.name} ({coarse}, GeoNames {a.geonameid})"
        return 1.0, f"same place ({a.name}, GeoNames {a.geonameid})"
    if a.country and b.country and _norm(a.country) != _norm(b.country):
        return None
    if a.admin1 and b.admin1 and _norm(a.admin1) != _norm(b.admin1):
        return None
    if pa in RADIUS_KM and pb in RADIUS_KM and None not in (a.lat, a.lon, b.lat, b.lon):
        km = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if km <= RADIUS_KM[pa] + RADIUS_KM[pb]:
            return 0.8, f"{a.name} and {b.name} {km:.1f} km apart"
        return None
    if coarse in CONTAINS and a.admin1 and b.admin1:
        fine, big = (a, b) if coarse == pb else (b, a)
        return CONTAINS[coarse], f"{fine.name} lies in {big.name} ({coarse})"
    return None


def _dates(period: Period) -> tuple[dt.date, dt.date] | None:
    try:
        start = dt.date.fromisoformat(period.start or period.end or "")
        end = dt.date.fromisoformat(period.end or period.start or "")
    except ValueError:
        return None
    return (start, end) if start <= end else (end, start)


def widened(period: Period) -> tuple[dt.date, dt.date] | None:
    """The period's dates widened by its precision's tolerance (None when undated)."""
    dates = _dates(period)
    if dates is None:
        return None
    tol = dt.timedelta(days=TOLERANCE_DAYS.get(period.precision or "range", 0))
    return dates[0] - tol, dates[1] + tol


def period_score(a: Period, b: Period) -> tuple[float, str] | None:
    wa, wb = widened(a), widened(b)
    if wa is None or wb is None or wa[1] < wb[0] or wb[1] < wa[0]:
        return None
    coarse = min(a.precision or "range", b.precision or "range", key=lambda p: PERIOD_SCORE.get(p, 0.1))
    score = PERIOD_SCORE.get(coarse, 0.1)
    da, db = _dates(a), _dates(b)
    if coarse == "day" and da and db and abs((da[0] - db[0]).days) > TOLERANCE_DAYS["day"]:
        return None  # each may be a day off (a night strike told as the next day), not both the opposite way
    if coarse == "day" and a.start != b.start:
        first, second = sorted((a.start or "", b.start or ""))
        return 0.8, f"dates {first} and {second} within a day"
    if coarse == "day":
        return score, f"same day {a.start}"
    return score, f"periods overlap ({coarse})"


def _names(actors: list[Actor]) -> set[str]:
    return {_norm(x.name) for x in actors if x.name}


def _actor1(actors: list[Actor]) -> str | None:
    for actor in actors:
        if actor.role == "actor1" and actor.name:
            return _norm(actor.name)
    return None


def actor_score(a: list[Actor], b: list[Actor]) -> tuple[float, str] | None:
    na, nb = _names(a), _names(b)
    shared = na & nb
    if shared:
        return 1.0, "shared actors (" + ", ".join(sorted(shared)) + ")"
    a1, b1 = _actor1(a), _actor1(b)
    if a1 and b1 and a1 != b1 and a1 not in nb and b1 not in na:
        return None
    return 0.5, "actors not contradicted"


def compare(a: Event, b: Event) -> Match | None:
    """Score two events as reports of one incident; None when something keeps them apart."""
    if a.place is None or b.place is None or a.date is None or b.date is None:
        return None
    parts = {
        "type": type_score(a, b),
        "place": place_score(a.place, b.place),
        "period": period_score(a.date, b.date),
        "actors": actor_score(a.actors, b.actors),
    }
    if any(v is None for v in parts.values()):
        return None
    score = sum(WEIGHTS[k] * v[0] for k, v in parts.items() if v is not None)
    reason = "; ".join(v[1] for v in parts.values() if v is not None)
    return Match(round(score, 3), reason)


def event_type_of(sub_event_type: str) -> str | None:
    return SUB_EVENT_TO_TYPE.get(sub_event_type)
