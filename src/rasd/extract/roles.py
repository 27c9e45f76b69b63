"""The grammar of an event sentence: actors' roles (actor1, actor2) from the parse, and the sub-event type of a
level-1 trigger that depends on them (a capture, a protest, a shooting)."""

from __future__ import annotations

import re
from typing import Any

from ..model import Actor
from .context import ActorMention, Sentence
from .triggers import Trigger

# ACLED: force against protesters is excessive when it kills or seriously injures ("beaten", "wounding three", "police
# open fire"); tear gas, arrests or dispersal without injuries are an intervention
_PROTEST_FORCE = re.compile(
    r"\b(?:kill(?:s|ed|ing)?|shot dead|shot|shoot(?:s|ing)?|live (?:fire|ammunition|bullets)|open(?:s|ed)? fire|beat(?:s|en|ing)?|"
    r"injur(?:ed|ing|ies)|wound(?:s|ed|ing)?|hospitali[sz]ed)\b",
    re.I,
)
_PROTEST_INTERVENTION = re.compile(r"\b(?:tear ?gas|dispers(?:ed|e)|arrested|detained|water cannon|rubber bullets|clashed)\b", re.I)
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
            if child.dep_ in _SKIP_IN_PHRASE or (child.dep_ == "prep" and child.lower_ not in ("of", "by", "from")):
                continue
            keep.append(child)
            stack.append(child)
    first = min(keep, key=lambda t: t.i)
    last = max(keep, key=lambda t: t.i)
    return base + first.idx, base + last.idx + len(last.text)


def _harms(tok: Any) -> bool:
    """Whether the token is a verb that kills or wounds its object ("killed", "wounded", "executed")."""
    from .figures import triggers

    rule = triggers()["verbs"].get(tok.lemma_.lower())
    return rule is not None and rule["kind"] in ("killed", "injured") and rule["victim"] == "object"


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
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i != tok.i and _harms(tok):
        # "Nusra and rebel fighters killed in battles against ISIL": the noun a passive participle of harm modifies
        # is the patient; only the participle's own "by" agent acts
        patients.append(_phrase_range(tok.head, base))
        agents += [_phrase_range(c, base) for c in tok.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")]
        return agents, patients
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


_BY_AGENT = re.compile(
    r"\bby\s+(?:the\s+|a\s+|an\s+)?$|\bby\s+(?:the\s+)?\w+\s+$|\bbelong(?:s|ing|ed)? to\s+(?:the\s+)?$"
    # "carried out by members of the Nusra Front", "by fighters from IS"
    r"|\bby\s+(?:\w+\s+)?(?:members?|fighters?|elements?|units?|militants?|militiamen|gunmen|troops)\s+(?:of|from)\s+(?:the\s+)?$",
    re.I,
)


_BETWEEN = re.compile(r"\bbetween\b", re.I)
# "killed in Syrian government air strikes", "wounded during Turkish shelling": the forces named before the weapon
_IN_BEFORE = re.compile(r"\b(?:in|during|amid|under|from)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?$", re.I)
_WEAPON_AFTER = re.compile(
    r"(?:\s+(?:government|regime|army|military|occupation|air|ground|aerial|drone|artillery))*\s+(?:air\s*strikes?|airstrikes?|strikes?"
    r"|raids?|air\s+raids?|shelling|bombardment|bombing|barrel\s+bombs?|attacks?|missiles?|rockets?|warplanes|jets|artillery|drones?)\b",
    re.I,
)


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
    if not a1 and text:
        a1 = [
            m for m in mentions
            if m.actor.kind not in NOT_PERPETRATORS and m not in a2
            and _IN_BEFORE.search(text[max(0, m.span.start - sent.start - 30) : m.span.start - sent.start])
            and _WEAPON_AFTER.match(text, m.span.end - sent.start)
        ][:1]
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
