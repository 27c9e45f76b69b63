"""Mentions of one incident merged into one event, and the choice of the document's ``main`` event (its type,
its place)."""

from __future__ import annotations

import re
from typing import Any

from ..model import Event, Period, Place
from .context import Context
from .event_index import _index, _para, in_lead, main_place

CASUALTY_KINDS = ("killed", "injured", "detained", "missing")
# ACLED codes the most violent of the incidents a report gives; a killed figure belongs to violence, not to the arrests or truce beside it
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def _place_key(place: Place | None) -> Any:
    if place is None:
        return None
    return place.geonameid or (place.name or "").lower()


def merge_events(events: list[Event], published: str | None = None) -> list[Event]:
    """One event per (sub-event type, place, day): later mentions add actors, targets and figures to the first
    that can be the same incident. Two mentions whose words date them to days more than one apart ("shelling
    on Monday" ... "shelling on Thursday" at one town) stay two; coarser dates, the report's own day
    (``published``: a dateline fused into the text) and stand-in dates do not split."""
    merged: dict[tuple[str, Any], list[Event]] = {}
    out: list[Event] = []
    for ev in events:
        where = _place_key(ev.place)
        if where is None and ev.evidence is not None:
            where = ("sentence", ev.evidence.start)
        same = merged.setdefault((ev.sub_event_type, where), [])
        first = next((e for e in same if not _different_days(e.date, ev.date, published)), None)
        if first is None:
            same.append(ev)
            out.append(ev)
            continue
        names = {(a.name, a.role) for a in first.actors}
        first.actors += [a for a in ev.actors if (a.name, a.role) not in names]
        first.targets += [t for t in ev.targets if t not in first.targets]
        first.figures = sorted(set(first.figures) | set(ev.figures))
        first.health_care = first.health_care or ev.health_care
        if first.date is None:
            first.date = ev.date
    return out


def _different_days(a: Period | None, b: Period | None, published: str | None = None) -> bool:
    """Whether the words date two mentions to days more than one apart (neither the report's own day)."""
    if a is None or b is None or "day" not in (a.precision, b.precision) or a.precision != b.precision:
        return False
    if a.basis != "text" or b.basis != "text" or not (a.start and b.start) or published in (a.start, b.start):
        return False
    import datetime as _dt

    return abs((_dt.date.fromisoformat(a.start) - _dt.date.fromisoformat(b.start)).days) > 1


# background, not the reported incident: "has previously come under fire", "daily shelling", "since 2011"
_BACKGROUND = re.compile(
    r"\b(?:previously|in the past|daily|every day|routinely|regularly|repeatedly|frequently|since (?:the start|the beginning|(?:19|20)\d\d)"
    r"|in recent (?:days|weeks|months|years)|(?:over|during) the past|the year before|a year ago|last (?:year|month)|came as|follows|followed)\b",
    re.I,
)


# another incident than the one reported: "In Damascus meanwhile ...", "Elsewhere ...", "Earlier, ..."
_SECONDARY = re.compile(r"\b(?:meanwhile|elsewhere|separately|in (?:a |an )?(?:separate|another|other) (?:incidents?|developments?|parts? of))\b|^\s*(?:Earlier|Also)\b", re.I)


def _main_score(ctx: Context, ev: Event, index: int) -> float:
    score = 0.0
    idx = _index(ctx)
    if ev.sub_event_type in idx["title_subs"]:
        score += 2.0
    if ev.evidence is not None:
        sent = ctx.sentence_at(ev.evidence.start)
        if sent is not None and in_lead(ctx, sent):
            score += 1.0
        if _BACKGROUND.search(ev.evidence.text):
            score -= 1.5
        elif _SECONDARY.search(ev.evidence.text):
            score -= 1.0
    if ev.date is not None and ev.date.basis == "text" and ev.date.precision in ("month", "year"):
        score -= 1.0  # "in August 2013 a chemical attack ...": an earlier event recalled
    violent = ev.event_type in VIOLENT_TYPES
    if violent:
        score += 0.5
    if violent and any(ctx.figures[i].kind in ("killed", "injured") and not ctx.figures[i].aggregate for i in ev.figures):
        score += 2.0
    elif any(ctx.figures[i].kind in (CASUALTY_KINDS if violent else ("detained", "missing")) and not ctx.figures[i].aggregate for i in ev.figures):
        score += 1.0
    if ev.place is not None:
        # a place its own sentence names counts; one inherited from the paragraph or document says little
        own = ev.evidence is not None and ev.place.span is not None and ev.evidence.start <= ev.place.span.start < ev.evidence.end
        # (a town, or the land around it: "the countryside of X", "north of X"; not a province or a country)
        score += (2.0 if ev.place.precision in ("point", "near", "admin2") else 1.0) if own else 0.5
    if ev.method == "rule" and (ev.score or 0.0) >= 1.0:
        score += 1.0
    if any(a.role == "actor1" for a in ev.actors):
        score += 0.5
    if ev.evidence is not None:
        score -= 0.2 * min(_para(ctx, ev.evidence.start), 10)
    return score - 0.001 * index


def choose_main(ctx: Context, events: list[Event]) -> None:
    """Mark exactly one event ``main``: casualties in it (killed or injured count for violent types only), violence,
    a specific place, a rule trigger, an actor, early in the text."""
    for ev in events:
        ev.main = False
    if events:
        best = max(range(len(events)), key=lambda i: _main_score(ctx, events[i], i))
        events[best].main = True


_TERRITORY_SUBS = ("Government regains territory", "Non-state actor overtakes territory")


_ANAPHORIC_CAPTURE = re.compile(
    r"\b(?:its|their|the (?:town|city|village|area)(?:'s|’s)?)\s+(?:capture|fall|seizure|recapture|loss)\b"
    r"|\b(?:capture|fall|seizure|recapture|loss) of the (?:town|city|village|area)\b",
    re.I,
)


def _territory_in_context(events: list[Event]) -> None:
    """A capture whose taker the sentence does not name ("its capture gives ...", "the fall of the town")
    takes the side of the document's first capture whose taker the vocabulary knows; told with a pronoun
    or "the town", it is that same capture, at its place."""
    known = next((e for e in events if e.sub_event_type in _TERRITORY_SUBS
                  and any(a.role == "actor1" and a.kind is not None for a in e.actors)), None)
    if known is None:
        return
    for ev in events:
        if ev.sub_event_type in _TERRITORY_SUBS and not any(a.role == "actor1" and a.kind is not None for a in ev.actors):
            ev.sub_event_type = known.sub_event_type
            if ev.evidence is not None and _ANAPHORIC_CAPTURE.search(ev.evidence.text):
                ev.place = known.place


def _fold_casualty_sentences(ctx: Context, found: list[Event]) -> list[Event]:
    """"SAF bomb Aradeib. 2 wounded.": a sentence that only counts casualties (its words leave the type open,
    it names no perpetrator and no place of its own) right after a sentence with a violent event the rules typed tells
    that event's toll; its figures join that event instead of making a new one."""
    out: list[Event] = []
    for ev in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and (ev.score or 0.0) < 1.0
            and not any(a.role == "actor1" for a in ev.actors)
            and ev.evidence is not None
            and prev.evidence is not None
            and prev.method == "rule"
            and prev.event_type in VIOLENT_TYPES
            and not (ev.place is not None and ev.place.span is not None and ev.evidence.start <= ev.place.span.start < ev.evidence.end)
            and _next_sentence(ctx, prev.evidence.start) == ev.evidence.start
        ):
            prev.figures = sorted(set(prev.figures) | set(ev.figures))
            prev.targets += [t for t in ev.targets if t not in prev.targets]
            names = {(a.name, a.role) for a in prev.actors}
            prev.actors += [a for a in ev.actors if (a.name, a.role) not in names]
            prev.health_care = prev.health_care or ev.health_care
            continue
        out.append(ev)
    return out


def _next_sentence(ctx: Context, start: int) -> int | None:
    """The start of the sentence after the one starting at ``start``, within the same paragraph."""
    sents = ctx.sentences
    for a, b in zip(sents, sents[1:]):
        if a.start == start:
            return b.start if b.paragraph == a.paragraph else None
    return None


def _place_main_event(ctx: Context, events: list[Event]) -> None:
    """The main event is what the document is chiefly about, so its place must agree with the
    document's main place: when its own sentence gives none, or one in another governorate
    or country (a place named in passing), it takes the document's main place. Within the
    same governorate the event's own, possibly more specific, place stands."""
    main = next((e for e in events if e.main), None)
    if main is None:
        return
    doc_place = main_place(ctx)
    if doc_place is None:
        return
    own = main.place
    if own is None or (own.country, own.admin1) != (doc_place.country, doc_place.admin1):
        main.place = doc_place
