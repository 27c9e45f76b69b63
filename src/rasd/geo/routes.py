"""Places between two places ("between Bako and Ambo", "on the Bako-Ambo road", "the road from A to B") and
places at a distance and bearing from one ("13km NW of Marka", "30 kilometres south of Kismayo").

Two resolved towns so joined become one mention spanning both names, at their
midpoint, with precision ``near`` and both towns kept as its candidates. Only
towns of one country within ``MAX_KM`` of each other are joined: "between Syria and
Iraq" or "between Aleppo and Damascus" name no stretch of road a reader could place.
A town after a distance and a compass bearing is moved that far along that bearing
(on the sphere), precision ``near``: the village the report locates so lies where
the offset says, not in the town it is measured from.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from .gazetteer import Entry
from .rank import haversine_km

MAX_KM = 150.0
_BEFORE_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+(?:towns?|villages?|cities)\s+of\s+)?$", re.I)
_BEFORE_FROM = re.compile(r"\b(?:road|highway|route|way|convoy|journey)\s+(?:linking\s+|from\s+)$", re.I)
_AND = re.compile(r"^\s+(?:and|to)\s+$", re.I)
_DASH = re.compile(r"^\s*[-–—/]\s*$")
_ROAD_AFTER = re.compile(r"^\s+(?:road|highway|route|axis|motorway)\b", re.I)


# compass bearings in degrees, by the words and abbreviations reports use ("NW", "north-west", "northwest")
_POINTS = {"n": 0.0, "nne": 22.5, "ne": 45.0, "ene": 67.5, "e": 90.0, "ese": 112.5, "se": 135.0, "sse": 157.5,
           "s": 180.0, "ssw": 202.5, "sw": 225.0, "wsw": 247.5, "w": 270.0, "wnw": 292.5, "nw": 315.0, "nnw": 337.5}
_WORDS = {"north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
          "southeast": "se", "southwest": "sw"}
_OFFSET = re.compile(
    r"\b(\d{1,3}(?:[.,]\d+)?)\s*(km|kms|kilomet(?:er|re)s?|mi|miles?)\.?\s+(?:to\s+the\s+)?"
    r"((?:north|south)[\s-]?(?:east|west)|north|south|east|west|[ns]{1,2}[ew]{1,2}|[nsew]{1,3})"
    r"\s+(?:of|from)\s+(?:the\s+)?(?:(?:town|city|village|district)\s+of\s+)?$",
    re.I,
)
MAX_OFFSET_KM = 300.0
KM_PER_MILE = 1.609344


def bearing_of(word: str) -> float | None:
    """Degrees clockwise from north of a compass word or abbreviation, None for anything else."""
    w = word.lower().replace("-", "").replace(" ", "")
    return _POINTS.get(_WORDS.get(w, w))


def project(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along the initial ``bearing`` (degrees), on a sphere of the Earth's radius."""
    d, b = km / 6371.0, math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return round(math.degrees(p2), 5), round((math.degrees(l2) + 540) % 360 - 180, 5)


def offset(text: str, start: int, e: Entry) -> Entry | None:
    """The entry for a place a distance and bearing from ``e``, when the words before ``start`` say so
    ("13km NW of"), or None."""
    if e.lat is None or e.lon is None or e.kind not in "PRB":
        return None
    m = _OFFSET.search(text, max(0, start - 60), start)
    bearing = bearing_of(m.group(3)) if m else None
    if m is None or bearing is None:
        return None
    km = float(m.group(1).replace(",", "."))
    if m.group(2).lower().startswith("mi"):
        km *= KM_PER_MILE
    if not 0 < km <= MAX_OFFSET_KM:
        return None
    lat, lon = project(e.lat, e.lon, km, bearing)
    label = f"{m.group(1)} {m.group(2)} {m.group(3)} of {e.name}"
    return replace(e, kind="B", ref=f"{e.ref}@{km:g}/{bearing:g}", name=label, lat=lat, lon=lon, admin2=None,
                   population=0, precision="near")


def midpoint(a: Entry, b: Entry) -> tuple[float, float]:
    """The point halfway along the great circle from ``a`` to ``b``."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat or 0.0, a.lon or 0.0, b.lat or 0.0, b.lon or 0.0))
    bx, by = math.cos(lat2) * math.cos(lon2 - lon1), math.cos(lat2) * math.sin(lon2 - lon1)
    lat = math.atan2(math.sin(lat1) + math.sin(lat2), math.sqrt((math.cos(lat1) + bx) ** 2 + by**2))
    lon = lon1 + math.atan2(by, math.cos(lat1) + bx)
    return round(math.degrees(lat), 5), round((math.degrees(lon) + 540) % 360 - 180, 5)


def joined(text: str, a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether the words around two names make them the ends of one stretch."""
    gap = text[a_end:b_start]
    before = text[max(0, a_start - 50) : a_start]
    if _AND.match(gap) and (_BEFORE_BETWEEN.search(before) or (gap.strip().lower() == "to" and _BEFORE_FROM.search(before))):
        return True
    return bool(_DASH.match(gap)) and bool(_ROAD_AFTER.match(text[b_end : b_end + 20]))


def between(a: Entry, b: Entry) -> Entry | None:
    """The entry for the stretch from ``a`` to ``b``, or None when they are no stretch one can place."""
    if a.kind != "P" or b.kind != "P" or a.country != b.country or a.lat is None or b.lat is None:
        return None
    if a.ref == b.ref or haversine_km(a.lat, a.lon or 0.0, b.lat, b.lon or 0.0) > MAX_KM:
        return None
    lat, lon = midpoint(a, b)
    admin1 = a.admin1 if a.admin1 == b.admin1 else a.admin1
    return replace(a, kind="B", ref=f"{a.ref}-{b.ref}", name=f"{a.name}–{b.name}", lat=lat, lon=lon,
                   admin1=admin1, admin2=None, population=0, precision="near")
