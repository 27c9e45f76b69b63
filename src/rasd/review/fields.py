"""What a correction may change, checked when it is made, and how it is applied to an extraction.

Figures: ``kind``, ``who``, ``low``, ``best``, ``high``, ``aggregate``, ``attributed_to``
(the source), ``via``. Events: ``sub_event_type`` (its ``event_type`` follows),
``place`` (a name looked up in the gazetteer, kept resolved in the correction),
``date`` (``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD``), ``actor1``, ``actor2``
(names; kind and country from the actor vocabulary when it knows them).

A rejected figure stays in the extraction but no event counts it; a rejected
event keeps its index (so the other events' ids hold) and loses its place, so
linking passes over it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..errors import ReviewError, UsageError
from ..model import SUB_EVENT_TO_TYPE, Actor, DocumentInfo, Extraction, Period, Place
from ..taxonomy import event_types, figure_kinds

FIGURE_FIELDS = ("kind", "who", "low", "best", "high", "aggregate", "attributed_to", "via")
EVENT_FIELDS = ("sub_event_type", "place", "date", "actor1", "actor2")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off"}


def check_changes(target: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes in the form stored with the correction; ReviewError naming a bad field or value."""
    allowed = FIGURE_FIELDS if target == "figure" else EVENT_FIELDS
    out: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in allowed:
            raise ReviewError(f"a {target} has no field {name!r} to correct; fields: {', '.join(allowed)}")
        try:
            out[name] = (_figure_value if target == "figure" else _event_value)(name, value)
        except UsageError as exc:
            raise ReviewError(f"{name}: {exc}") from None
    if target == "figure":
        check_bounds(out)
    return out


def _figure_value(name: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if name == "kind":
        return figure_kinds([text])[0]
    if name in ("low", "best", "high"):
        if text == "":
            return None
        if not text.replace(",", "").isdigit():
            raise UsageError(f"{value!r} is not a whole number")
        return int(text.replace(",", ""))
    if name == "aggregate":
        if isinstance(value, bool):
            return value
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise UsageError(f"{value!r} is not yes or no")
    return text or None


def check_bounds(out: dict[str, Any]) -> None:
    low, best, high = out.get("low"), out.get("best"), out.get("high")
    if low is not None and high is not None and low > high:
        raise ReviewError(f"low ({low}) is above high ({high})")
    if best is not None and ((low is not None and best < low) or (high is not None and best > high)):
        raise ReviewError(f"best ({best}) is outside low..high")


def _event_value(name: str, value: Any) -> Any:
    text = "" if value is None else str(value).strip()
    if name == "sub_event_type":
        sub = event_types([text])[0]
        if sub not in SUB_EVENT_TO_TYPE:
            raise UsageError(f"{sub!r} is an event type; give a sub-event type ({', '.join(SUB_EVENT_TO_TYPE)})")
        return sub
    if name == "date":
        return _period(text).to_dict()
    if name == "place":
        return _place(text).to_dict()
    if not text:
        return None
    return _actor(text, name).to_dict()


def _period(text: str) -> Period:
    start, _, end = text.partition("..")
    try:
        first = dt.date.fromisoformat(start.strip())
        last = dt.date.fromisoformat(end.strip()) if end else first
    except ValueError:
        raise UsageError(f"{text!r} is not a date (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)") from None
    if last < first:
        raise UsageError(f"{text!r} ends before it starts")
    return Period(start=first.isoformat(), end=last.isoformat(), precision="day" if first == last else "range",
                  text="(reviewed)", basis="review")


def _place(text: str) -> Place:
    """The gazetteer's best entry for a name (most populous place, else an admin1 unit, region or country)."""
    from ..geo import gazetteer
    from ..geo.keys import key

    entries = gazetteer.load().lookup(key(text))
    if not entries:
        raise UsageError(f"no place called {text!r} in the gazetteer (see `rasd gazetteer lookup`)")
    rank = {"P": 0, "R": 1, "A": 2, "C": 3}
    e = min(entries, key=lambda e: (rank.get(e.kind, 4), -e.population, not e.is_primary))
    precision = {"P": "point", "A": "admin1", "C": "country"}.get(e.kind, e.precision or "admin1")
    return Place(name=e.name, geonameid=e.geonameid, lat=e.lat, lon=e.lon, admin1=e.admin1, admin2=e.admin2,
                 country=e.country, precision=precision, text=text)


def _actor(name: str, role: str) -> Actor:
    from ..extract.actors import vocabulary

    entry = vocabulary().lookup(name)
    if entry is None:
        return Actor(name=name, role=role)
    return Actor(name=entry.name, role=role, kind=entry.kind, country=entry.country)


def apply_figure(ex: Extraction, i: int, action: str, changes: dict[str, Any]) -> None:
    if action == "reject":
        for event in ex.events:
            event.figures = [j for j in event.figures if j != i]
    elif action == "edit":
        ex.figures[i] = dataclasses.replace(ex.figures[i], **changes)


def apply_event(ex: Extraction, i: int, action: str, changes: dict[str, Any]) -> None:
    event = ex.events[i]
    if action == "reject":
        ex.events[i] = dataclasses.replace(event, place=None, main=False)
        return
    if action != "edit":
        return
    update: dict[str, Any] = {}
    if "sub_event_type" in changes:
        update["sub_event_type"] = changes["sub_event_type"]
        update["event_type"] = SUB_EVENT_TO_TYPE[changes["sub_event_type"]]
    if "date" in changes:
        update["date"] = Period.from_dict(changes["date"])
    if "place" in changes:
        update["place"] = Place.from_dict(changes["place"])
    actors = list(event.actors)
    for role in ("actor1", "actor2"):
        if role in changes:
            actors = [a for a in actors if a.role != role]
            if changes[role] is not None:
                actors.append(Actor.from_dict(changes[role]))
    if actors != event.actors:
        update["actors"] = actors
    ex.events[i] = dataclasses.replace(event, **update)


def edited_item(item: Any, target: str, edits: list[dict[str, Any]]) -> Any:
    """A figure or event (``target``) with the changes of its edit corrections applied in order (a new object)."""
    doc = DocumentInfo()
    ex = Extraction(id="", document=doc, figures=[item]) if target == "figure" else Extraction(id="", document=doc, events=[item])
    for changes in edits:
        (apply_figure if target == "figure" else apply_event)(ex, 0, "edit", changes)
    return ex.figures[0] if target == "figure" else ex.events[0]
