"""Blocking: the few incidents a report is compared with, found by place cell x week.

An incident is indexed under keys; a new report looks up the keys it could
match and is scored only against the incidents found there, never against the
whole store, so the cost of linking one report does not grow with the store.

- Every day of a report's period (widened by its tolerance) falls in an ISO
  week; keys carry the week, so reports whose widened periods overlap share one.
- A report with coordinates (point, near, admin2) is indexed under its grid cell
  (``CELL_DEG`` degrees) and looks up the 3 x 3 cells around it: any two places
  close enough to link (``rules.RADIUS_KM``, at most 50 km) share a cell there.
- A coarse report (admin1, or no coordinates) is indexed under ``c:`` + its
  admin1 and looks up every incident of its admin1 (``a:`` keys); fine reports
  look up the coarse incidents of their admin1 too.
- Date is evidence, not a gate: every report is also indexed under its place
  keys with no week (``@any``), and an undated one under ``@undated`` too. An
  undated report looks up ``@any`` (an incident of any date at its place), a
  dated one ``@undated`` besides its weeks (undated incidents at its place). Those
  place-only look-ups return only the latest ``linker.RECENT`` incidents, so the
  cost of one report stays flat however many incidents a place has had.
- Day keys: reports of one event name its day, so a report is also indexed
  under its place keys with each calendar day it stands for (``@--MM-DD``, the
  month and day without the year, as texts often give it): the days of a dated
  event's widened period when that is at most ``DAY_SPAN`` days, else the days
  its text names (``DocumentInfo.days``). A report looks up the same keys with
  its own days, so an undated report whose text names the day meets a dated one
  of that day (and two undated ones naming one day meet) even when the place
  has had more than ``link_recent`` incidents since. Day look-ups are capped
  like the place-only ones.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from ..model import Event, Place
from .rules import RADIUS_KM, precision_of, widened

CELL_DEG = 0.6
DAY_SPAN = 7  # a dated event whose widened period spans more days than this gets no day keys from its date


def weeks(event: Event) -> list[str]:
    """The ISO weeks that the event's widened period touches, as ``YYYY-Www``."""
    span = widened(event.date) if event.date else None
    if span is None:
        return []
    start, end = span
    day = start - dt.timedelta(days=start.weekday())
    out = []
    while day <= end:
        year, week, _ = day.isocalendar()
        out.append(f"{year}-W{week:02d}")
        day += dt.timedelta(days=7)
    return out


def _fine(place: Place) -> bool:
    return precision_of(place) in RADIUS_KM and place.lat is not None and place.lon is not None


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


def _region(place: Place) -> str | None:
    if not place.admin1:
        return None
    return f"{(place.country or '').casefold()}/{place.admin1.casefold()}"


def _index_places(event: Event) -> list[str]:
    place = event.place
    if place is None:
        return []
    places: list[str] = []
    region = _region(place)
    if _fine(place):
        i, j = _cell(place.lat, place.lon)  # type: ignore[arg-type]
        places.append(f"g:{i}:{j}")
    elif region:
        places.append("c:" + region)
    if region:
        places.append("a:" + region)
    return places


def days(event: Event, named: Iterable[str] = ()) -> set[str]:
    """The days (``--MM-DD``) a report stands for: its widened period's when dated to within ``DAY_SPAN``
    days, else the calendar days its text names ("2021-08-18" or "--08-18"; weekdays are left out)."""
    span = widened(event.date) if event.date else None
    if span is not None and (span[1] - span[0]).days < DAY_SPAN:
        return {(span[0] + dt.timedelta(days=i)).strftime("--%m-%d") for i in range((span[1] - span[0]).days + 1)}
    out = set()
    for day in named:
        if day.startswith("--") and len(day) == 7:
            out.add(day)
        elif len(day) == 10 and day[4] == "-" and day[:4].isdigit():
            out.add("--" + day[5:])
    return out


def index_keys(event: Event, named: Iterable[str] = ()) -> set[str]:
    """The keys an incident holding this report is found under (``named``: the days its text names)."""
    places = _index_places(event)
    dated = weeks(event)
    keys = {f"{p}@{w}" for p in places for w in dated} | {f"{p}@any" for p in places}
    if not dated:
        keys |= {f"{p}@undated" for p in places}
    keys |= {f"{p}@{d}" for p in places for d in days(event, named)}
    return keys


def _query_places(event: Event) -> list[str]:
    place = event.place
    if place is None:
        return []
    places: list[str] = []
    region = _region(place)
    if _fine(place):
        i, j = _cell(place.lat, place.lon)  # type: ignore[arg-type]
        places.extend(f"g:{i + di}:{j + dj}" for di in (-1, 0, 1) for dj in (-1, 0, 1))
        if region:
            places.append("c:" + region)
    elif region:
        places.append("a:" + region)
    return places


def query_keys(event: Event) -> set[str]:
    """The keys to look up for incidents this report could belong to (in their weeks)."""
    return {f"{p}@{w}" for p in _query_places(event) for w in weeks(event)}


def recent_keys(event: Event) -> set[str]:
    """The place-only keys whose latest incidents this report is also compared with."""
    suffix = "any" if not weeks(event) else "undated"
    return {f"{p}@{suffix}" for p in _query_places(event)}


def day_keys(event: Event, named: Iterable[str] = ()) -> set[str]:
    """The place x day keys whose latest incidents this report is also compared with (``days``)."""
    return {f"{p}@{d}" for p in _query_places(event) for d in days(event, named)}
