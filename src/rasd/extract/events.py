"""Event type (ACLED's taxonomy), actors' roles, targets; one ``main`` event per document.

How an event is found, sentence by sentence (body text only):

1. ``might_hold_event`` is one compiled regular expression over every trigger of
   ``rasd/data/events/triggers.json``: it decides which sentences get parsed.
2. Level-1 triggers settle the sub-event type ("warplanes", "shelled", "IED",
   "kidnapped"). Two need the grammar: a capture ("captured the town") is
   *Government regains territory* when the actor that took it is a state force and
   *Non-state actor overtakes territory* otherwise; a protest is peaceful unless
   the sentence tells of intervention or force.
3. A sentence with only level-2 triggers ("attacked", "killed") becomes an event
   when it also names an actor or holds a casualty figure; the trained model
   (``rasd.extract.event_model``) then picks the sub-event type from its words.
4. Roles come from the parse: the subject, the "by" agent, or a modifier of a
   nominal trigger ("Turkish artillery fire") is actor1; the object or the
   target of "on"/"against" is actor2.
5. Date rule: a date in the event's sentence (the nearest to the trigger; not one
   tied to a speech verb, "a monitor said on Tuesday", nor a "since"/duration); else
   the last date earlier in its paragraph, else a later day in it; else the first
   day-precise date of the lead (first two body paragraphs); else the publication
   day, as event coders date a report that states no date (a date that cannot be
   resolved, "on Tuesday" with no publication date, dates nothing). ``Period.basis``
   says which: "text" when the words state it, "published" when the report's date
   stands in.
6. Place: a body place in the sentence (the first after the trigger, else the
   last before it); else the paragraph's first place; else the document's main
   place (``places.main_place`` when available, else the first body place).
7. Mentions of the same sub-event type at the same place merge into one event;
   exactly one event is ``main`` (see ``choose_main``): the title's type, the lead,
   casualties, a precise place; violence before arrests or a truce told beside it
   (as ACLED codes the most violent incident), never background ("previously") nor
   another incident ("meanwhile", "elsewhere").

This module assembles the events (targets, date and place included) and holds the stage's entry point
``find_events``; the trigger lexicon is in ``triggers`` (1), the roles and the sub-event types they decide
in ``roles`` (2, 4), the per-document lookups in ``event_index``, merging and the ``main`` event in
``main_event`` (7).
"""

from __future__ import annotations

import dataclasses
import re

from .. import settings
from ..model import SUB_EVENT_TO_TYPE, Actor, Event, Period, Place
from . import event_model
from .context import BODY, DATELINE, ActorMention, Context, PlaceMention, Sentence
from .event_index import _index, _para, main_place
from .main_event import (
    CASUALTY_KINDS,
    VIOLENT_TYPES,
    _fold_casualty_sentences,
    _place_main_event,
    _territory_in_context,
    choose_main,
    merge_events,
)
from .roles import _CIVILIAN, _COMBATANT, STATE_KINDS, assign_roles, resolve_sub
from .triggers import DATA_DIR as DATA_DIR  # the stage's data folder
from .triggers import Trigger, find_triggers
from .triggers import might_hold_event as might_hold_event  # the stage's sentence filter (``pipeline``)

HEALTH_TARGETS = ("health facility", "health worker", "ambulance", "patients")
_TARGETS: tuple[tuple[str, str], ...] = (
    ("health facility", r"hospitals?|clinics?|medical (?:points?|facilit(?:y|ies)|cent(?:re|er)s?|units?)|health (?:cent(?:re|er)s?|facilit(?:y|ies)|posts?|units?)|field hospitals?|dispensar(?:y|ies)|pharmac(?:y|ies)"),
    ("health worker", r"health(?:care)? workers?|medics?|paramedics?|doctors?|nurses?|medical (?:staff|workers?|personnel|teams?)|rescuers?|first responders?"),
    ("ambulance", r"ambulances?"),
    ("patients", r"patients"),
    ("school", r"schools?|kindergartens?|universit(?:y|ies)"),
    ("market", r"markets?|marketplaces?|bazaars?|souqs?"),
    ("camp", r"(?:displacement |refugee |IDP )?camps?"),
    ("place of worship", r"mosques?|churches|church|shrines?|places? of worship"),
    ("aid workers", r"aid workers?|humanitarian workers?|aid convoys?|relief workers?|White Helmets|civil defen[cs]e"),
    ("civilians", r"civilians?|residents|villagers|children|women|families|homes|houses|residential"),
)
_TARGET_RE = [(name, re.compile(rf"\b(?:{pat})\b", re.I)) for name, pat in _TARGETS]
# "taken to hospital": a hospital that treats the wounded is not a target.
_NOT_TARGET = re.compile(
    r"\b(?:taken|transferred|rushed|admitted|brought|evacuated|treated|transported|moved|sent)\s+(?:to|in|at)\s+(?:a|the|\w+)?\s*(?:\w+\s)?(?:hospitals?|clinics?|medical (?:points?|cent(?:re|er)s?))",
    re.I,
)


def find_targets(sentence: str) -> list[str]:
    """Targets named in a sentence, health care first; "taken to hospital" does not make a hospital a target."""
    cleaned = _NOT_TARGET.sub(lambda m: " " * len(m.group()), sentence)
    return [name for name, rx in _TARGET_RE if rx.search(cleaned)]


# -- date and place ----------------------------------------------------------------------------


def _from_text(period: Period) -> Period:
    return dataclasses.replace(period, basis="text")


def event_date(ctx: Context, sent: Sentence, offset: int) -> Period | None:
    """The event's date by the rule in the module docstring."""
    idx = _index(ctx)
    own = [(d, rep) for d, para, rep in idx["dates"] if sent.start <= d.span.start < sent.end]
    stated = [d for d, rep in own if not rep]
    if stated:
        return _from_text(min(stated, key=lambda d: abs(d.span.start - offset)).period)
    in_para = [d for d, para, rep in idx["dates"] if para == sent.paragraph and not rep and not sent.start <= d.span.start < sent.end]
    # a month or a year ("In 1988 ...", "in June") dates its own sentence, not the ones after it
    earlier = [d for d in in_para if d.span.start < sent.start and d.period.precision not in ("month", "year")]
    if earlier:
        return _from_text(earlier[-1].period)
    later_days = [d for d in in_para if d.period.precision == "day"]
    if later_days:
        return _from_text(later_days[0].period)
    lead = [d for d, para, rep in idx["dates"] if para in idx["lead_paras"] and not rep and d.period.precision == "day"]
    if lead:
        return _from_text(lead[0].period)
    if ctx.published is None:
        return None
    day = ctx.published.isoformat()
    return Period(day, day, "day", None, basis="published")


_PRECISION_RANK = {"point": 0, "near": 1, "admin2": 2, "admin1": 3, "country": 4}


def event_place(ctx: Context, sent: Sentence, offset: int) -> Place | None:
    body = _index(ctx)["places"]
    in_sent = [p for p in body if sent.start <= p.span.start < sent.end]
    if in_sent:
        # the most specific place, then the nearest to the trigger (after it before before it)
        best = min(in_sent, key=lambda p: (_PRECISION_RANK.get(p.place.precision or "", 5), p.span.start < offset, abs(p.span.start - offset)))
        return best.place
    in_para = [p for p in body if _para(ctx, p.span.start) == sent.paragraph]
    if in_para:
        return in_para[0].place
    # "SHADDADI, Syria (North Press) - ...": the dateline's town, when it lies in the document's country
    # (a wire's "BEIRUT (Reuters)" over a story from Syria does not)
    doc_place = main_place(ctx)
    dateline = [p for p in ctx.places if p.zone == DATELINE and p.role == "location" and _para(ctx, p.span.start) == sent.paragraph
                and p.place.precision in ("point", "near") and doc_place is not None and p.place.country == doc_place.country]
    if dateline:
        return dateline[0].place
    return _unit_if_several(body, doc_place)


def _unit_if_several(body: list[PlaceMention], doc_place: Place | None) -> Place | None:
    """An event whose sentence and paragraph name no place happened somewhere in the document's area, not
    in its main town: when the document names several towns of its main admin1 and names that admin1
    itself ("Idlib province"), the event takes the admin1."""
    if doc_place is None or doc_place.precision not in ("point", "near"):
        return doc_place
    area = [p.place for p in body if p.place.country == doc_place.country and p.place.admin1 == doc_place.admin1]
    towns = {p.geonameid for p in area if p.precision in ("point", "near")}
    unit = next((p for p in area if p.precision == "admin1"), None)
    return unit if unit is not None and len(towns) > 1 else doc_place


# -- assembling ----------------------------------------------------------------------------------


def _figure_indexes(ctx: Context, sent: Sentence) -> list[int]:
    return [i for i, start in _index(ctx)["figures"] if sent.start <= start < sent.end]


def _build(ctx: Context, sent: Sentence, trig: Trigger, sub: str, actors: list[Actor], method: str, score: float) -> Event:
    chunk = ctx.text[sent.start : sent.end]
    offset = sent.start + trig.start
    targets = find_targets(chunk)
    attributed_to, via = ctx.source_at(offset)
    return Event(
        event_type=SUB_EVENT_TO_TYPE[sub],
        sub_event_type=sub,
        date=event_date(ctx, sent, offset),
        place=event_place(ctx, sent, offset),
        actors=actors,
        targets=targets,
        figures=_figure_indexes(ctx, sent),
        attributed_to=attributed_to,
        via=via,
        evidence=ctx.span(sent.start, sent.end),
        health_care=any(t in HEALTH_TARGETS for t in targets) and SUB_EVENT_TO_TYPE[sub] != "Strategic developments",
        score=score,
        method=method,
    )


_MISSILE = re.compile(r"(?i:missiles?|rockets?)")
_SIGHTED = re.compile(r"\s+(?:(?:were|was|could be|had been|are|is)\s+)?(?:heard|seen|spotted|sighted|circling|hovering|flying over|flew over|flying overhead)\b", re.I)
# words that tell of a killing but not of its means
_NO_MEANS = re.compile(r"(?i:massacre[sd]?|murder(?:ed)?)")


def _precedence(sentence: str, specific: list[Trigger]) -> list[Trigger]:
    """Weak level-1 words yield to strong ones; a missile or rocket fired from the air ("a drone struck a car
    with a missile", "Israeli warplanes fired missiles") is an air strike, not shelling."""
    # "warplanes were heard over Raqqa", "drones circling": aircraft seen or heard strike nothing
    specific = [t for t in specific if not (t.sub == "Air/drone strike" and _SIGHTED.match(sentence, t.end))]
    air = any(t.sub == "Air/drone strike" for t in specific)
    if air:
        specific = [t for t in specific if not (t.sub == "Shelling/artillery/missile attack" and _MISSILE.fullmatch(sentence[t.start : t.end]))]
    if any(not t.weak for t in specific):
        specific = [t for t in specific if not t.weak]
    elif any(not _NO_MEANS.fullmatch(sentence[t.start : t.end]) for t in specific):
        # "a massacre in which dozens were killed by the air force": the word that names the means wins
        specific = [t for t in specific if not _NO_MEANS.fullmatch(sentence[t.start : t.end])]
    return specific


# "weeks of air strikes", "three months of bombardment", "years of shelling": violence over a span, told as
# background or a summary, not an incident
_SPAN_OF = re.compile(r"\b(?:days|weeks|months|years|nights)\s+of\s+(?:(?:heavy|intense|relentless|daily|constant|the|russian|syrian|turkish|government|regime)\s+){0,3}$", re.I)


def _not_over_a_span(chunk: str, triggers: list[Trigger]) -> list[Trigger]:
    """The triggers left when those told over a span ("weeks of air strikes and shelling") are dropped."""
    kept: list[Trigger] = []
    last_dropped: Trigger | None = None
    for t in triggers:
        joined = last_dropped is not None and _COORDINATED.fullmatch(chunk, last_dropped.end, t.start) is not None
        if joined or _SPAN_OF.search(chunk, 0, t.start):
            last_dropped = t
            continue
        kept.append(t)
    return kept


_COORDINATED = re.compile(r"\s*(?:,|and|or|,\s*and)\s*(?:(?:heavy|artillery|rocket|mortar)\s+)?", re.I)


def _sentence_events(ctx: Context, sent: Sentence) -> list[Event]:
    chunk = ctx.text[sent.start : sent.end]
    triggers = _not_over_a_span(chunk, find_triggers(chunk))
    if not triggers:
        return []
    mentions = [m for m in ctx.actors if sent.start <= m.span.start < sent.end]
    specific = [t for t in triggers if t.level == 1]
    specific = _precedence(chunk, specific)
    events: list[Event] = []
    seen: set[str] = set()
    for trig in specific:
        actors = assign_roles(sent, trig, mentions)
        sub, method, score = _retyped(ctx, sent, resolve_sub(trig, actors, chunk), actors)
        if sub in seen or sub not in SUB_EVENT_TO_TYPE:
            continue
        seen.add(sub)
        events.append(_build(ctx, sent, trig, sub, actors, method, score))
    if events and not _killing_beside(ctx, sent, events, triggers):
        return events
    trig = next(t for t in triggers if t.level == 2) if events else triggers[0]
    actors = assign_roles(sent, trig, mentions)
    casualties = any(ctx.figures[i].kind in CASUALTY_KINDS for i in _figure_indexes(ctx, sent))
    if not casualties and not any(a.role == "actor1" for a in actors):
        return []
    sub, prob = generic_sub(ctx, chunk, actors, beside=bool(events))
    if (
        _BOMB_VERB.fullmatch(chunk[trig.start : trig.end])
        and sub not in ("Shelling/artillery/missile attack", "Air/drone strike")
        and any(a.role == "actor1" and a.kind in STATE_KINDS for a in actors)
    ):
        # a state force that bombs ("SAF bomb Aradeib") plants no IED and fights no ground clash: from the air
        # (shelling, which reporters also call bombing, is left as the words or the model read it)
        sub, prob = "Air/drone strike", None
    return events + [_build(ctx, sent, trig, sub, actors, "rule" if prob is None else "model", 0.5 if prob is None else prob)]


_BOMB_VERB = re.compile(r"bomb(?:s|ed|ing)?", re.I)


def _killing_beside(ctx: Context, sent: Sentence, events: list[Event], triggers: list[Trigger]) -> bool:
    """True when a sentence's specific events are all non-violent (arrests, a truce) yet it reports people killed or
    injured: "forces killed 11 militants and arrested two" is a violent event besides the arrests."""
    if any(ev.event_type in VIOLENT_TYPES for ev in events) or not any(t.level == 2 for t in triggers):
        return False
    return any(ctx.figures[i].kind in ("killed", "injured") and not ctx.figures[i].aggregate for i in _figure_indexes(ctx, sent))


# Below this probability the model's pick for a sentence whose triggers leave the type open is no more often right
# than the rules' default (fighting or combatants: a clash, else an attack): on ACLED's notes with whole countries
# held out, those it picked below 0.25 were of the right event type as often as the rules' (21 of 54 each), those above
# more often (.84 against .67; ``train_events.country_report``). A news sentence the model barely reads as an event
# ("the toll rose to 34", "troops counter-attacked") then keeps the type its words and actors imply.
GENERIC_MODEL_MIN_PROB = 0.25

_BOTH_SIDES = re.compile(r"\b(?:fighting|battles?|offensive|exchange of fire|fire exchange|repelled|counter-?attack)\b", re.I)


def generic_sub(ctx: Context, sentence: str, actors: list[Actor], beside: bool = False) -> tuple[str, float | None]:
    """The sub-event type of a sentence whose triggers leave it open ("attacked", "killed").

    The title's specific trigger when it has one ("Car bomb kills 9 in ..."); else the trained model's pick when it
    gives it ``GENERIC_MODEL_MIN_PROB`` or more (``RASD_EVENTS_MODEL=0`` turns the model off); else Armed clash when
    the sentence tells of fighting or its casualties are combatants; else Attack (ACLED's default for one-sided
    violence). For a killing ``beside`` the sentence's own non-violent events ("killed three militants and detained
    two") neither the title nor the model is asked: the rules decide between the two."""
    title = [] if beside else _index(ctx)["title_subs"]
    if title:
        return title[0], None
    if event_model.enabled() and not beside:
        sub, prob = model_reading(ctx, sentence)
        if sub in SUB_EVENT_TO_TYPE and prob >= GENERIC_MODEL_MIN_PROB:
            return sub, prob
    if _BOTH_SIDES.search(sentence) or (_COMBATANT.search(sentence) and not _CIVILIAN.search(sentence)):
        return "Armed clash", None
    return "Attack", None


def _model_text(ctx: Context, sentence: str) -> str:
    """What the model reads: the title, and a short report (its body within ``_MODEL_CHARS``) whole, as the ACLED
    notes it learned from tell one event in a few sentences ("... opened fire. Two were wounded."); in a longer
    report, which may tell several, the sentence alone."""
    body = [s for s in ctx.sentences if s.zone == BODY]
    if body and body[-1].end - body[0].start <= _MODEL_CHARS:
        sentence = ctx.text[body[0].start : body[-1].end]
    return f"{ctx.title or ''} {sentence}".strip()


_MODEL_CHARS = 600
# the types a trained model may retype a trigger's event between: how a battle differs from an attack on civilians
# or a protest from a riot lies in who did what to whom, which one word does not tell; explosive and air weapons do
_RETYPABLE = frozenset({"Battles", "Violence against civilians", "Protests", "Riots", "Strategic developments"})
_DEMONSTRATIONS = frozenset({"Protests", "Riots"})


_TERRITORY_SUBS = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def model_reading(ctx: Context, sentence: str) -> tuple[str, float]:
    """The model's sub-event type for a sentence (read as ``_model_text`` says) and its probability; territory changes
    hands only where words say so (a capture, a retaking: the ``TERRITORY`` triggers), else fighting is a clash."""
    text = _model_text(ctx, sentence)
    sub, prob = event_model.predict(text)
    return _territory_named(text, sub), prob


def _territory_named(text: str, sub: str) -> str:
    """A change of territory read by the model stands only where words say so, else the fighting is a clash."""
    if sub in _TERRITORY_SUBS and not any(t.sub == "TERRITORY" for t in find_triggers(text)):
        return "Armed clash"
    return sub


def _retyped(ctx: Context, sent: Sentence, sub: str, actors: list[Actor]) -> tuple[str, str, float]:
    """A trigger's sub-event type, or the model's when the model reads another retypable event type.

    The model's event types are its sub-event types' probabilities summed (``event_model.type_probabilities``): it
    retypes when its likeliest retypable type leads the trigger's own type by the margin of the setting
    ``events_model_margin``, to that type's likeliest sub-event type. Within a demonstration the sub-type is who faced
    whom ("police opened fire on protesters"): the model's sub-event type then needs the probability of the setting
    ``events_model_override``. State forces that act are no demonstration of their own: the model does not make their
    event a protest or a riot (force against protesters aside)."""
    if not event_model.enabled() or SUB_EVENT_TO_TYPE.get(sub) not in _RETYPABLE:
        return sub, "rule", 1.0
    own = SUB_EVENT_TO_TYPE[sub]
    state_acts = any(a.role == "actor1" and a.kind in STATE_KINDS for a in actors)
    text = _model_text(ctx, ctx.text[sent.start : sent.end])
    by_type = event_model.type_probabilities(text)
    kinds = [k for k in by_type if k in _RETYPABLE and not (state_acts and k in _DEMONSTRATIONS)]
    best = max(kinds, key=by_type.__getitem__, default=own)
    if best != own and by_type[best] - by_type.get(own, 0.0) >= settings.get("events_model_margin"):
        best_sub = next(c for c, _ in event_model.probabilities(text) if SUB_EVENT_TO_TYPE.get(c) == best)
        return _territory_named(text, best_sub), "model", by_type[best]
    if own not in _DEMONSTRATIONS:
        return sub, "rule", 1.0
    model_sub, prob = model_reading(ctx, ctx.text[sent.start : sent.end])
    if state_acts and model_sub != "Excessive force against protesters":
        return sub, "rule", 1.0
    if SUB_EVENT_TO_TYPE.get(model_sub) in _DEMONSTRATIONS and model_sub != sub and prob >= settings.get("events_model_override"):
        return model_sub, "model", prob
    return sub, "rule", 1.0


def _untriggered_event(ctx: Context) -> list[Event]:
    """A report none of whose sentences holds a trigger word ("Gunmen fired on civilians travelling between two
    villages. Several seriously wounded."): its first lead sentence that the model reads as an event (one minus the
    probability of its "No event" class) with at least the probability of the setting ``events_model_min_prob`` is its
    event, of the model's most likely type."""
    body = [ctx.text[s.start : s.end] for s in ctx.sentences if s.zone == BODY]
    if not event_model.enabled() or any((found := find_triggers(chunk)) and not _not_over_a_span(chunk, found) for chunk in body):
        return []  # violence the rules set aside as told over a span ("weeks of air strikes") is no licence to guess
    lead = _index(ctx)["lead_paras"]
    for sent in ctx.sentences:
        if sent.zone != BODY or sent.paragraph not in lead:
            continue
        chunk = ctx.text[sent.start : sent.end]
        sub, prob = model_reading(ctx, chunk)
        if sub not in SUB_EVENT_TO_TYPE or event_model.event_probability(_model_text(ctx, chunk)) < settings.get("events_model_min_prob"):
            continue
        mentions = [m for m in ctx.actors if sent.start <= m.span.start < sent.end]
        trig = _pseudo_trigger(sent, mentions)
        return [_build(ctx, sent, trig, sub, assign_roles(sent, trig, mentions), "model", prob)]
    return []


def _pseudo_trigger(sent: Sentence, mentions: list[ActorMention]) -> Trigger:
    """Where roles are read from in a sentence with no trigger word: its parse's root verb, else the word after the
    first actor named."""
    doc = sent.doc
    root = next((t for t in doc if t.dep_ == "ROOT"), None) if doc is not None else None
    if root is not None:
        return Trigger(root.idx, root.idx + len(root.text), "GENERIC", 2)
    at = mentions[0].span.end - sent.start if mentions else 0
    return Trigger(at, at, "GENERIC", 2)


def find_events(ctx: Context) -> list[Event]:
    """The document's events in ACLED's taxonomy, merged, exactly one of them ``main``; a report with no trigger word
    anywhere gets the trained model's reading of its lead (``_untriggered_event``)."""
    found: list[Event] = []
    ctx.notes.pop("events.index", None)
    for sent in ctx.sentences:
        if sent.zone == BODY:
            found += _sentence_events(ctx, sent)
    if not found:
        found = _untriggered_event(ctx)
    _territory_in_context(found)
    found = _fold_casualty_sentences(ctx, found)
    events = merge_events(found, ctx.published.isoformat() if ctx.published else None)
    choose_main(ctx, events)
    _place_main_event(ctx, events)
    return events
