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
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import SUB_EVENT_TO_TYPE, Actor, Event, Period, Place
from . import event_model
from .context import BODY, DATELINE, ActorMention, Context, Sentence

LOGGER = logging.getLogger(__name__)
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "events"

CASUALTY_KINDS = ("killed", "injured", "detained", "missing")
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
_PROTEST_FORCE = re.compile(r"\b(?:killed|shot dead|live (?:fire|ammunition|bullets)|opened fire)\b", re.I)
_PROTEST_INTERVENTION = re.compile(r"\b(?:tear ?gas|dispers(?:ed|e)|arrested|detained|water cannon|rubber bullets|beat|clashed)\b", re.I)
_REGAIN = re.compile(r"\b(?:re(?:captur|tak|took|gain)\w*|liberat\w*)\b", re.I)
STATE_KINDS = ("state forces", "external forces")
# kinds that suffer, rescue or report violence but never commit it: never actor1 ("the White Helmets documented attacks")
NOT_PERPETRATORS = frozenset({"civilians", "aid workers"})
_CAPTURE = re.compile(r"(?i:captur(?:ed|ing|e|es))")
_PEOPLE_TAKEN = re.compile(
    r"\s*(?:of\s+)?(?:the\s+|a\s+|an\s+|at least\s+|several\s+|dozens of\s+|\d+\s+|one\s+|two\s+|three\s+|four\s+|five\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:people|persons?|m[ae]n|fighters?|soldiers?|troops|militants?|members?|leaders?|commanders?|suspects?|officers?|him|her|them"
    r"|civilians?|prisoners?|associates?|terrorists?|operatives?|jihadists?|rebels?|insurgents?|hostages?|emirs?)\b",
    re.I,
)
# shooting words: one-sided violence (Attack) unless the people shot at are armed ("sniper fire killed two soldiers")
_SHOOTING = re.compile(r"(?i:shot dead|gunned down|shot and killed|gunmen opened fire|opened fire|snipers?(?: \w+)?|gunfire|shot(?: at)?|shooting)")
_COMBATANT = re.compile(
    r"\b(?:soldiers?|troops|police(?:men|man)?|(?:police |security |army )?officers?|conscripts?|fighters|militants?|rebels?|insurgents?"
    r"|jihadists?|gunmen|guards?|militiamen|members of|personnel|checkpoints?|patrols?|army|forces)\b",
    re.I,
)
_CIVILIAN = re.compile(r"\b(?:civilians?|children|child|boys?|girls?|women|woman|farmers?|shepherds?|residents|villagers|protesters|demonstrators|worshippers)\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|got)\s+(?:\w+\s+)?$", re.I)


def _victims(sentence: str, trig: Trigger) -> str:
    """The words that name who was shot: after the trigger; before it too in the passive ("two soldiers were shot dead")."""
    after = sentence[trig.end : trig.end + 80]
    before = sentence[max(0, trig.start - 80) : trig.start]
    if _CIVILIAN.search(after):
        return ""
    return (before + " " + after) if _PASSIVE.search(before) else after
_PRECISION_RANK = {"point": 0, "near": 1, "admin2": 2, "admin1": 3, "country": 4}


@dataclass(frozen=True)
class Trigger:
    start: int  # offset in the sentence
    end: int
    sub: str  # a sub-event type, or TERRITORY / PROTEST / GENERIC
    level: int
    weak: bool = False  # a level-1 word that yields to any other level-1 word of its sentence ("massacre", "blast")


def might_hold_event(text: str) -> bool:
    """True when the sentence has a trigger word (the cheap filter that decides what gets parsed):
    exactly when ``find_triggers`` finds one, stopping at the first."""
    starts, compiled, _meta = _trigger_index()
    for w in starts.finditer(text):
        pos = w.start()
        rx = compiled.get(text[pos].lower()) or compiled.get("\x00")
        if rx is not None and rx.match(text, pos):
            return True
    return False


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """(lower-cased characters a parsed pattern can start with, or None for "any"; whether it can match empty)."""
    from re import _constants as c  # type: ignore[attr-defined]

    out: set[str] = set()
    for op, av in items:
        if op is c.AT:
            continue
        if op is c.LITERAL:
            return out | {chr(av).lower()}, False
        if op is c.IN:
            for o, a in av:
                if o is c.LITERAL:
                    out.add(chr(a).lower())
                elif o is c.RANGE:
                    out |= {chr(x).lower() for x in range(a[0], a[1] + 1)}
                else:
                    return None, False
            return out, False
        if op in (c.BRANCH, c.SUBPATTERN, c.MAX_REPEAT, c.MIN_REPEAT):
            alts = av[1] if op is c.BRANCH else [av[-1]]
            nullable = op is not c.BRANCH and op is not c.SUBPATTERN and av[0] == 0
            for alt in alts:
                chars, empty = _first_chars(alt)
                if chars is None:
                    return None, False
                out |= chars
                nullable = nullable or empty
            if not nullable:
                return out, False
            continue
        return None, False
    return out, True


@functools.lru_cache(maxsize=1)
def _trigger_index() -> tuple[re.Pattern[str], dict[str, re.Pattern[str]], list[tuple[str, int, bool]]]:
    """Triggers grouped by their first letter: a word start is tried only against the rules that can begin there.

    Same matches as one alternation over all rules (rule order decides at a position,
    matches never overlap), at a fraction of the cost."""
    from re import _parser  # type: ignore[attr-defined]

    rules = json.loads((DATA_DIR / "triggers.json").read_text(encoding="utf-8"))
    meta = [(r["sub_event_type"], int(r["level"]), bool(r.get("weak", False))) for r in rules]
    buckets: dict[str, list[int]] = {}
    anywhere: list[int] = []
    for i, r in enumerate(rules):
        chars, empty = _first_chars(_parser.parse(r["pattern"], re.I))
        if chars is None or empty:
            anywhere.append(i)
            continue
        for ch in chars:
            buckets.setdefault(ch, []).append(i)
    if anywhere:
        for ch in list(buckets) + ["\x00"]:
            buckets[ch] = sorted(set(buckets.get(ch, [])) | set(anywhere))
    compiled = {
        ch: re.compile("|".join(rf"(?P<t{i}>(?:{rules[i]['pattern']})\b)" for i in idx), re.I) for ch, idx in buckets.items()
    }
    letters = "".join(re.escape(ch) for ch in buckets if ch.isalnum())
    starts = re.compile(r"\b\w" if anywhere else rf"\b[{letters}]", re.I)
    return starts, compiled, meta


def find_triggers(text: str) -> list[Trigger]:
    """Every trigger in a sentence, leftmost first, non-overlapping (rule order decides at one position)."""
    starts, compiled, meta = _trigger_index()
    out: list[Trigger] = []
    done = 0
    for w in starts.finditer(text):
        pos = w.start()
        if pos < done:
            continue
        rx = compiled.get(text[pos].lower()) or compiled.get("\x00")
        m = rx.match(text, pos) if rx is not None else None
        if m is None:
            continue
        sub, level, weak = meta[int((m.lastgroup or "t0")[1:])]
        out.append(Trigger(m.start(), m.end(), sub, level, weak))
        done = m.end()
    return out


# -- grammar -----------------------------------------------------------------------------------


def _token_at(sent: Sentence, start: int, end: int) -> Any:
    if sent.doc is None:
        return None
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


_SKIP_IN_PHRASE = frozenset(("acl", "relcl", "advcl", "punct", "appos", "ccomp"))


def _phrase_range(tok: Any, base: int) -> tuple[int, int]:
    """Document range of a noun phrase without its clauses and non-"of" prepositions."""
    keep = [tok]
    stack = [tok]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in _SKIP_IN_PHRASE or (child.dep_ == "prep" and child.lower_ not in ("of", "by")):
                continue
            keep.append(child)
            stack.append(child)
    first = min(keep, key=lambda t: t.i)
    last = max(keep, key=lambda t: t.i)
    return base + first.idx, base + last.idx + len(last.text)


def _role_ranges(sent: Sentence, tok: Any) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Character ranges (document offsets) whose actors are actor1 and actor2 for a trigger token.

    Walks from the trigger up its heads to the first node with a subject. A modifier
    of a nominal trigger ("Turkish artillery fire") and a "by" agent count as actor1;
    a conjoined verb without its own subject takes the words between the
    conjunction and itself ("..., but the regime's advance broke through and succeeded").
    """
    base = sent.start
    agents: list[tuple[int, int]] = []
    patients: list[tuple[int, int]] = []
    if tok.dep_ in ("compound", "amod") and tok.head.i != tok.i:
        tok = tok.head
    node, first = tok, True
    for _ in range(6):
        for child in node.children:
            dep, low = child.dep_, child.lower_
            if dep in ("nsubj", "agent") or (dep == "prep" and low == "by"):
                agents.append(_phrase_range(child, base))
            elif first and dep in ("amod", "compound", "poss", "nmod"):
                agents.append(_phrase_range(child, base))
            elif dep in ("dobj", "nsubjpass") or (dep == "prep" and low in ("on", "against", "targeting", "at")):
                patients.append(_phrase_range(child, base))
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children) or node.head.i == node.i:
            break
        if node.dep_ == "conj":
            ccs = [c for c in node.head.children if c.dep_ == "cc" and c.i < node.i]
            if ccs:
                agents.append((base + ccs[-1].idx, base + node.idx))
                break
        node, first = node.head, False
    return agents, patients


def _within(m: ActorMention, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= m.span.start and m.span.end <= e for s, e in ranges)


_BY_AGENT = re.compile(r"\bby\s+(?:the\s+|a\s+|an\s+)?$|\bby\s+(?:the\s+)?\w+\s+$|\bbelong(?:s|ing|ed)? to\s+(?:the\s+)?$", re.I)


_BETWEEN = re.compile(r"\bbetween\b", re.I)


def assign_roles(sent: Sentence, trig: Trigger, mentions: list[ActorMention]) -> list[Actor]:
    """actor1/actor2 from the parse, with a positional fallback when the parse says nothing."""
    tok = _token_at(sent, trig.start, trig.end)
    a1: list[ActorMention] = []
    a2: list[ActorMention] = []
    if tok is not None:
        r1, r2 = _role_ranges(sent, tok)
        a1 = [m for m in mentions if _within(m, r1) and m.actor.kind not in NOT_PERPETRATORS]
        a2 = [m for m in mentions if _within(m, r2) and m not in a1]
    t0 = sent.start + trig.start
    text = sent.doc.text if sent.doc is not None else ""
    if not a1 and text:
        # "fighting between the army and IS", "clashes broke out between A and B": both are parties, the first actor1
        between = _BETWEEN.search(text, trig.end)
        if between is not None:
            parties = [m for m in mentions if m.span.start >= sent.start + between.end() and m.actor.kind not in NOT_PERPETRATORS]
            if len(parties) >= 2:
                a1, a2 = parties[:1], parties[1:]
    if not a1 and text:
        # the agent of a passive or a nominal trigger: "killed by Turkish shelling", "fire conducted by the Turkish forces"
        a1 = [m for m in mentions if m.actor.kind not in NOT_PERPETRATORS and _BY_AGENT.search(text[max(0, m.span.start - sent.start - 40) : m.span.start - sent.start])][:1]
        a2 = [m for m in a2 if m not in a1]
    if not a1:
        before = [m for m in mentions if m.span.end <= t0 and m.actor.kind not in NOT_PERPETRATORS and m not in a2]
        a1 = before[-1:] if before else []
    if not a2:
        after = [m for m in mentions if m.span.start >= t0 and m not in a1]
        a2 = after[:1]
    out: list[Actor] = []
    seen: set[tuple[str, str]] = set()
    for role, group in (("actor1", a1), ("actor2", a2)):
        for m in group:
            if (m.actor.name, role) not in seen and not any(a.name == m.actor.name for a in out):
                seen.add((m.actor.name, role))
                out.append(Actor(m.actor.name, role, m.actor.kind, m.actor.country, m.actor.text, m.actor.span))
    return out


def resolve_sub(trig: Trigger, actors: list[Actor], sentence: str) -> str:
    """The sub-event type of a level-1 trigger, resolving TERRITORY and PROTEST from actors and words."""
    if trig.sub == "TERRITORY":
        # the first taker the vocabulary knows decides ("IDLIB" read as a group by the parser does not)
        takers = [a for a in actors if a.role == "actor1"]
        taker = next((a for a in takers if a.kind is not None), takers[0] if takers else None)
        if taker is not None and taker.kind is not None:
            state = taker.kind in STATE_KINDS
        else:
            state = bool(_REGAIN.search(sentence))
        if _CAPTURE.fullmatch(sentence[trig.start : trig.end]) and _PEOPLE_TAKEN.match(sentence[trig.end : trig.end + 80]):
            # "the killing or capture of several people": people taken, not ground
            return "Arrests" if state or taker is None else "Abduction/forced disappearance"
        return "Government regains territory" if state else "Non-state actor overtakes territory"
    if trig.sub == "Attack" and _SHOOTING.fullmatch(sentence[trig.start : trig.end]):
        return "Armed clash" if _COMBATANT.search(_victims(sentence, trig)) else "Attack"
    if trig.sub == "PROTEST":
        if _PROTEST_FORCE.search(sentence):
            return "Excessive force against protesters"
        if _PROTEST_INTERVENTION.search(sentence):
            return "Protest with intervention"
        return "Peaceful protest"
    return trig.sub


def find_targets(sentence: str) -> list[str]:
    """Targets named in a sentence, health care first; "taken to hospital" does not make a hospital a target."""
    cleaned = _NOT_TARGET.sub(lambda m: " " * len(m.group()), sentence)
    return [name for name, rx in _TARGET_RE if rx.search(cleaned)]


# -- date and place ----------------------------------------------------------------------------


def _para(ctx: Context, offset: int) -> int:
    starts = ctx.notes.get("events.paragraph_starts")
    if starts is None or len(starts) != len(ctx.paragraphs):
        starts = ctx.notes["events.paragraph_starts"] = [p[0] for p in ctx.paragraphs]
    return max(0, bisect.bisect_right(starts, offset) - 1)


# "a monitoring group said on Tuesday": the date of the report, not of the event
_REPORT_DATE = re.compile(
    r"\b(?:said|says|told(?: \w+)?|reported|announced|stated|added|declared|claimed|confirmed|statement|according to \w+)\s*,?\s*$", re.I
)
_NOT_EVENT_KINDS = ("since", "duration")


def _index(ctx: Context) -> dict[str, Any]:
    """Per-document lookups the events stage builds once (body dates and places, figures by sentence, the lead)."""
    idx: dict[str, Any] | None = ctx.notes.get("events.index")
    if idx is not None:
        return idx
    body_dates = []
    for d in ctx.dates:
        if ctx.zone_at(d.span.start) != BODY or d.kind in _NOT_EVENT_KINDS or d.period.start is None:
            continue  # an unresolved "on Tuesday" (no publication date) dates nothing
        before = ctx.text[max(0, d.span.start - 40) : d.span.start]
        body_dates.append((d, _para(ctx, d.span.start), bool(_REPORT_DATE.search(before))))
    body_sents = [s for s in ctx.sentences if s.zone == BODY]
    lead_paras = sorted({s.paragraph for s in body_sents})[:2]
    idx = {
        "dates": body_dates,
        "places": [p for p in ctx.places if p.zone == BODY and p.role == "location" and ctx.zone_at(p.span.start) == BODY],
        "lead_paras": lead_paras,
        "lead_sents": {s.start for s in body_sents[:3]},
        "figures": [(i, at.start) for i, f in enumerate(ctx.figures) if (at := f.evidence or f.sentence) is not None],
        "title_subs": _title_subs(ctx),
    }
    ctx.notes["events.index"] = idx
    return idx


def _from_text(period: Period) -> Period:
    return dataclasses.replace(period, basis="text")


def in_lead(ctx: Context, sent: Sentence) -> bool:
    """True for a sentence of the first two body paragraphs or the first three body sentences."""
    idx = _index(ctx)
    return sent.paragraph in idx["lead_paras"] or sent.start in idx["lead_sents"]


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


def main_place(ctx: Context) -> Place | None:
    """The document's main place: ``places.main_place`` when that stage provides it, else the first body place."""
    from . import places

    helper = getattr(places, "main_place", None)
    if callable(helper):
        try:
            found = helper(ctx)
        except Exception:  # a concurrent stage's helper must not break events
            LOGGER.debug("places.main_place failed", exc_info=True)
            found = None
        if found is not None:
            return found if isinstance(found, Place) else getattr(found, "place", None)
    body = [p for p in ctx.places if p.zone == BODY and p.role == "location"]
    return body[0].place if body else None


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
    return doc_place


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
        sub = resolve_sub(trig, actors, chunk)
        if sub in seen or sub not in SUB_EVENT_TO_TYPE:
            continue
        seen.add(sub)
        events.append(_build(ctx, sent, trig, sub, actors, "rule", 1.0))
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


_BOTH_SIDES = re.compile(r"\b(?:fighting|battles?|offensive|exchange of fire|fire exchange|repelled|counter-?attack)\b", re.I)


def generic_sub(ctx: Context, sentence: str, actors: list[Actor], beside: bool = False) -> tuple[str, float | None]:
    """The sub-event type of a sentence whose triggers leave it open ("attacked", "killed").

    The title's specific trigger when it has one ("Car bomb kills 9 in ..."); else
    Armed clash when the sentence tells of fighting or its casualties are combatants;
    else Attack (ACLED's default for one-sided violence). The trained model is asked
    only when the setting ``events_model`` is on: on held-out dev files it did not beat
    these rules (see ``train_events``). For a killing ``beside`` the sentence's own non-violent events ("killed
    three militants and detained two") neither the title nor the model is asked: the rules decide between the two."""
    title = [] if beside else _index(ctx)["title_subs"]
    if title:
        return title[0], None
    if event_model.enabled() and not beside:
        sub, prob = event_model.predict(_model_text(ctx, sentence))
        return sub, prob
    if _BOTH_SIDES.search(sentence) or (_COMBATANT.search(sentence) and not _CIVILIAN.search(sentence)):
        return "Armed clash", None
    return "Attack", None


def _model_text(ctx: Context, sentence: str) -> str:
    return f"{ctx.title or ''} {sentence}".strip()


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
# ACLED codes the most violent of the incidents a report gives; a killed figure belongs to violence, not to the arrests or truce beside it
VIOLENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def _title_subs(ctx: Context) -> list[str]:
    """Specific sub-event types the title states ("Suicide bomber kills 4 in ..."), TERRITORY and PROTEST left out."""
    if not ctx.title:
        return []
    strong = [t for t in find_triggers(ctx.title) if t.level == 1 and not t.weak and t.sub in SUB_EVENT_TO_TYPE]
    return list(dict.fromkeys(t.sub for t in strong))


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
        score += (2.0 if ev.place.precision in ("point", "near") else 1.0) if own else 0.5
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


def find_events(ctx: Context) -> list[Event]:
    """The document's events in ACLED's taxonomy, merged, exactly one of them ``main``."""
    found: list[Event] = []
    ctx.notes.pop("events.index", None)
    for sent in ctx.sentences:
        if sent.zone == BODY:
            found += _sentence_events(ctx, sent)
    _territory_in_context(found)
    found = _fold_casualty_sentences(ctx, found)
    events = merge_events(found, ctx.published.isoformat() if ctx.published else None)
    choose_main(ctx, events)
    _place_main_event(ctx, events)
    return events


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
