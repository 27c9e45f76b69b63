"""Places between two places: "between Bako and Ambo", "on the Bako-Ambo road", "the road from A to B".

Two resolved towns so joined become one mention spanning both names, at their
midpoint, with precision ``near`` and both towns kept as its candidates. Only
towns of one country within ``MAX_KM`` of each other are joined: "between Syria and
Iraq" or "between Aleppo and Damascus" name no stretch of road a reader could place.
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
