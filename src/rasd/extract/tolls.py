"""The toll of the main incident: which figure answers "how many civilians were killed here?".

A document states many figures: the incident's toll, its parts ("including six
children"), corrections ("the toll rose to 12"), background totals ("more than
200,000 people have been killed since 2011") and fighters' losses. ``main_toll``
picks the one that answers for the incident the document reports, by general
rules written once (the word lists are data: ``rasd/data/figures/tolls.json``):

1. **Candidates**: figures of the kind asked for that are not aggregates (totals
   over many incidents never answer for one), with a value (``best``, else
   ``low``), that count people ("killed a person and over 800 cattle": the
   cattle are none, ``not_victims``). A figure of an earlier killing recalled as
   the cause of the one reported (``background``: "After 3 traders were killed,
   residents lynched a soldier") yields to the figure its own sentence reports. With ``civilians=True`` fighters are left out: a ``who`` naming
   fighters, soldiers, militants, members of a group... is no civilian. People,
   persons, residents, families, children, women or an unnamed victim count as
   civilians unless fighters are named (``victim_class``).
2. **One sentence, one toll** (``sentence_toll``): the figures of a sentence are
   parts of one count when a subset cue stands between them ("22 people
   including six children", "six civilians were among 22 people killed"): the
   largest answers. Figures with no such cue are separate groups and add up
   ("10 children and 5 women", "an army colonel and four soldiers"), unless one
   group is the sum of the others ("21 people: 12 soldiers and nine civilians").
   With ``civilians=True`` a figure that says "civilians" outright outranks
   "people" in the same sentence ("six civilians were among 22 people killed"
   answers six).
3. **Which sentence**: the first sentence of the document that holds a
   candidate (the lead, or a headline fused into it, states the toll); when none
   does, the main event's own figures even if dated broadly ("in January").
   Within a sentence a group that repeats another (same value, ``who`` equal or
   missing: "kills 42 ... killed 42 people") counts once.
4. **Breakdown**: with ``civilians=True``, a toll of unspecified persons ("nine
   people", "9 dead") that the next few sentences split into civilians and
   fighters whose counts add up to it exactly answers with the civilians' part
   ("four civilians ... another five rebel fighters"). Households ("six
   families") never add to a count of persons in the same sentence.
5. **Sides**: with ``civilians=False`` (everyone killed, ACLED's fatalities), a
   toll that counts one side only (soldiers, police; or militants, rebels) adds
   the next sentence's count when that sentence counts only the other side
   ("30 soldiers killed. 4 rebels killed.").
6. **Updates**: a later sentence that corrects the toll ("the death toll rose to
   12", "bringing the toll to 12") replaces it when larger: the largest
   credible value of the same claim. A figure marked ``supersedes`` by binding
   counts the same way. The same number is never counted twice: figures are
   keyed by their number's offsets.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..model import Event, EventToll, Extraction, Figure

CIVILIAN = "civilian"
COMBATANT = "combatant"
UNKNOWN = "unknown"


@functools.lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """The word lists (``rasd/data/figures/tolls.json``), loaded once, with compiled cue patterns."""
    path = resources.files("rasd") / "data" / "figures" / "tolls.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for key in ("subset_cues", "update_cues"):
        words = sorted(data[key], key=len, reverse=True)
        data[f"_{key}"] = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")\b", re.I)
    # "eight of them", and the appositive "two soldiers, one an officer"
    data["_part_after"] = re.compile(r"\s+(?:of\s+(?:them|whom|those|the\s+(?:dead|victims|killed|injured|wounded))|an?\s+(?=\w))\b", re.I)
    data["_civilian"] = frozenset(data["civilian"])
    data["_combatant"] = frozenset(data["combatant"])
    data["_named"] = frozenset(data["named_civilian"])
    data["_not_victims"] = frozenset(data["not_victims"])
    return data


def victim_class(who: str | None) -> str:
    """``civilian``, ``combatant`` or ``unknown`` (no ``who``) for a figure's ``who`` as stated."""
    if not who:
        return UNKNOWN
    r = rules()
    phrase = " ".join(who.lower().split())
    if phrase in r["_civilian"]:
        return CIVILIAN
    words = re.findall(r"[a-z]+", phrase)
    if any(w in r["_combatant"] for w in words):
        return COMBATANT
    if any(w in r["_civilian"] for w in words):
        return CIVILIAN
    return UNKNOWN


def value(fig: Figure) -> int | None:
    """The figure's number: ``best``, else its lower bound."""
    return fig.best if fig.best is not None else fig.low


def _key(fig: Figure) -> tuple[int, int] | int:
    span = fig.number or fig.evidence
    return (span.start, span.end) if span is not None else id(fig)


def _position(fig: Figure) -> int:
    span = fig.number or fig.evidence
    return span.start if span is not None else 0


def _sentence_key(fig: Figure) -> int:
    span = fig.sentence or fig.evidence or fig.number
    return span.start if span is not None else -1


@dataclass
class Toll:
    """A chosen toll: its value and the figures it was read from (``updated`` when a correction replaced it)."""

    value: int
    figures: list[Figure] = field(default_factory=list)
    updated: bool = False
    counts: list[Figure] = field(default_factory=list)  # the distinct counts that add up to ``value`` (no parts, no repeats)


def candidates(figures: list[Figure], kind: str, civilians: bool = True, aggregate: bool = False) -> list[Figure]:
    """Non-aggregate (or, with ``aggregate``, any) figures of ``kind`` with a value; fighters left out when ``civilians``;
    never a figure of an earlier incident recalled as the cause of the one its sentence reports (``background``), nor
    one stated in a headline only (``headline``)."""
    out = []
    # an earlier killing recalled as the cause yields to the one its own sentence reports ("After 3 traders were
    # killed, residents lynched a soldier"); told alone, it is the killing the sentence is about
    reported = {_sentence_key(f) for f in figures if f.kind == kind and not f.background and value(f) is not None}
    for f in figures:
        if f.kind != kind or (f.aggregate and not aggregate) or f.headline or value(f) is None:
            continue  # a headline's figure no body figure restates is a claim, not a toll
        if f.background and _sentence_key(f) in reported:
            continue
        if civilians and victim_class(f.who) == COMBATANT:
            continue
        if set(re.findall(r"[a-z]+", (f.who or "").lower())) & rules()["_not_victims"]:
            continue  # a toll counts people: "killed and over 800 cattle"
        out.append(f)
    return out


def _between(text: str | None, a: Figure, b: Figure) -> str:
    """The words between two figures' numbers in their sentence (empty when unknown)."""
    if text is None or a.sentence is None or a.number is None or b.number is None:
        return ""
    lo, hi = a.number.end - a.sentence.start, b.number.start - a.sentence.start
    return text[lo:hi] if 0 <= lo <= hi else ""


def _part_after(text: str | None, fig: Figure) -> bool:
    """'eight of them (children)': the figure names a part of the one before."""
    if text is None or fig.sentence is None or fig.number is None:
        return False
    end = fig.number.end - fig.sentence.start
    return bool(rules()["_part_after"].match(text, end))


def _distinct(groups: list[list[Figure]]) -> list[list[Figure]]:
    """Drop a group that repeats an earlier one: same value, ``who`` equal or missing ("kills 42 ... killed 42 people")."""
    out: list[list[Figure]] = []
    for g in groups:
        top = max(g, key=lambda f: value(f) or 0)
        same = [
            o for o in out
            if max(value(f) or 0 for f in o) == value(top)
            and any(not f.who or not top.who or f.who == top.who for f in o)
        ]
        if not same:
            out.append(g)
    return out


# what joins the items of one list: "six children[, and] four women", "a woman and her child and two fighters"
_LIST_GLUE = re.compile(r"[^.;:()]{0,40}?(?:,|\band\b|\bas well as\b)\s*(?:\w+\s+)?", re.I)


def sentence_toll(figs: list[Figure], civilians: bool = True) -> tuple[int, list[Figure]] | None:
    """One sentence's toll: subset chains take their largest, separate groups add up (see the module doc)."""
    got = _sentence_count(figs, civilians)
    return (got.value, got.figures) if got is not None else None


def _sentence_count(figs: list[Figure], civilians: bool = True) -> Toll | None:
    """``sentence_toll`` as a ``Toll`` whose ``counts`` are the groups' largest figures (the parts left out)."""
    uniq: dict[Any, Figure] = {}
    for f in sorted(figs, key=_position):
        uniq.setdefault(_key(f), f)
    figs = list(uniq.values())
    if not figs:
        return None
    if civilians:
        named = [f for f in figs if (f.who or "").lower() in rules()["_named"]]
        if named and len(named) < len(figs):
            return _sentence_count(named, civilians=False)
    groups = _groups(figs)
    persons = [g for g in groups if not all((f.who or "").lower() in _HOUSEHOLDS for f in g)]
    if persons and len(persons) < len(groups):
        groups = persons  # "48 people killed when forces executed six families": households do not add to persons
    tops = [max(g, key=lambda f: value(f) or 0) for g in groups]
    totals = [value(f) or 0 for f in tops]
    every = [f for g in groups for f in g]
    if len(totals) > 1:
        top = max(totals)
        if len(totals) > 2 and top * 2 == sum(totals):  # one is the sum of the others: "21 people: 12 soldiers and nine civilians"
            return Toll(top, every, counts=[tops[totals.index(top)]])
        return Toll(sum(totals), every, counts=tops)
    return Toll(totals[0], groups[0], counts=tops)


def _groups(figs: list[Figure]) -> list[list[Figure]]:
    """The figures of one sentence (in order, one per number) in groups: a subset cue or a part after the number
    joins the figure to the group before ("22 people including six children"); distinct groups, repeats dropped."""
    text = figs[0].sentence.text if figs[0].sentence is not None else None
    groups: list[list[Figure]] = [[figs[0]]]
    in_parts = False  # inside a list of parts ("22 people including six children and four women")
    for prev, cur in zip(figs, figs[1:]):
        between = _between(text, prev, cur)
        if rules()["_subset_cues"].search(between) or _part_after(text, cur):
            groups[-1].append(cur)
            in_parts = True
        elif in_parts and _LIST_GLUE.fullmatch(between):
            groups[-1].append(cur)  # the next part of the same list, not a new group
        else:
            groups.append([cur])
            in_parts = False
    return _distinct(groups)


def parts(figures: list[Figure]) -> set[int]:
    """The ``id`` of every figure that a sentence counts inside a larger one of its kind ("22 people including six
    children": the six), by the same grouping as ``sentence_toll``."""
    out: set[int] = set()
    by_kind: dict[tuple[int, str], list[Figure]] = {}
    for f in figures:
        if value(f) is not None and f.sentence is not None:
            by_kind.setdefault((f.sentence.start, f.kind), []).append(f)
    for figs in by_kind.values():
        if len(figs) < 2:
            continue
        uniq: dict[Any, Figure] = {}
        for f in sorted(figs, key=_position):
            uniq.setdefault(_key(f), f)
        for g in _groups(list(uniq.values())):
            top = max(g, key=lambda f: value(f) or 0)
            out |= {id(f) for f in g if f is not top}
    return out


def _is_update(fig: Figure) -> bool:
    if getattr(fig, "supersedes", None) is not None:
        return True
    where = fig.sentence.text if fig.sentence is not None else (fig.evidence.text if fig.evidence else "")
    return bool(rules()["_update_cues"].search(where))


def _by_sentence(figs: list[Figure]) -> list[list[Figure]]:
    groups: dict[int, list[Figure]] = {}
    for f in figs:
        groups.setdefault(_sentence_key(f), []).append(f)
    return [groups[k] for k in sorted(groups)]


def main_event(ex: Extraction) -> Event | None:
    return next((e for e in ex.events if e.main), ex.events[0] if ex.events else None)


def main_toll(ex: Extraction, kind: str = "killed", civilians: bool = True) -> Toll | None:
    """The toll of ``kind`` for the document's main incident (civilians only when ``civilians``), or None."""
    every = candidates(ex.figures, kind, civilians)
    ev = main_event(ex)
    own = [ex.figures[i] for i in (ev.figures if ev else []) if i < len(ex.figures)]
    broad = candidates(own, kind, civilians, aggregate=True)
    pools = [every, broad]
    chosen: Toll | None = None
    for pool in pools:
        for sent in _by_sentence(pool):
            chosen = _sentence_count(sent, civilians)
            if chosen is not None:
                break
        if chosen is not None:
            break
    if chosen is None:
        return None
    if civilians:
        chosen = _civilian_share(ex, kind, chosen)
    else:
        chosen = _other_side(ex, kind, chosen)
    start = _sentence_key(chosen.figures[0])
    for sent in _by_sentence(every):
        if _sentence_key(sent[0]) <= start:
            continue
        # a sentence that corrects a toll may state the old value beside the new ("has risen to 42 ... which had
        # given a toll of 17"): a count no larger than the toll it corrects is the old one, not a part of the new
        updates = [f for f in sent if _is_update(f) and (value(f) or 0) > chosen.value]
        got = _sentence_count(updates, civilians) if updates else None
        if got is not None and got.value > chosen.value:
            chosen = Toll(got.value, got.figures, updated=True, counts=got.counts)
    return chosen


_BREAKDOWN_SENTENCES = 3
_HOUSEHOLDS = frozenset({"families", "family", "households", "household"})
_GENERIC = frozenset({"people", "person", "persons", "individuals", "others"})


def _generic(fig: Figure) -> bool:
    """Whether the figure counts persons without saying who they were ("nine people", "9 dead")."""
    return not fig.who or fig.who.lower() in _GENERIC


def _following(ex: Extraction, kind: str, chosen: Toll, n: int) -> list[Figure]:
    """Every figure of ``kind`` (fighters included) in the ``n`` sentences after the toll's that count this kind."""
    start = _sentence_key(chosen.figures[0])
    pool = candidates(ex.figures, kind, civilians=False)
    near = set(sorted({_sentence_key(f) for f in pool if _sentence_key(f) > start})[:n])
    return [f for f in pool if _sentence_key(f) in near]


def _civilian_share(ex: Extraction, kind: str, chosen: Toll) -> Toll:
    """A toll of unspecified persons that a later breakdown splits into civilians and fighters ("nine people were
    killed ... four civilians ... five rebel fighters"; "killed four people ... two women and two soldiers"):
    the civilians' part answers, when the parts add up to the toll exactly."""
    if not all(_generic(f) for f in chosen.figures):
        return chosen
    # the breakdown follows closely: within the next few sentences that count this kind at all
    later = [f for f in _following(ex, kind, chosen, _BREAKDOWN_SENTENCES) if not _generic(f)]
    civil = _by_sentence([f for f in later if victim_class(f.who) == CIVILIAN])
    armed = _by_sentence([f for f in later if victim_class(f.who) == COMBATANT])
    armed_totals = {t[0] for g in armed if (t := sentence_toll(g, civilians=False)) is not None}
    for g in civil:
        got = _sentence_count(g, civilians=False)
        if got is not None and 0 < got.value < chosen.value and chosen.value - got.value in armed_totals:
            return got
    return chosen


_STATE_SIDE = frozenset({"soldiers", "soldier", "troops", "police", "policemen", "policeman", "officers", "officer",
                         "personnel", "conscripts", "conscript", "guards", "guard", "army", "servicemen", "forces"})
_ARMED_SIDE = frozenset({"militants", "militant", "rebels", "rebel", "fighters", "fighter", "jihadists", "jihadist",
                         "insurgents", "insurgent", "gunmen", "gunman", "militiamen", "terrorists", "attackers", "assailants"})


def _side(fig: Figure) -> str | None:
    """"state" (soldiers, police) or "armed" (militants, rebels) for a figure's ``who``; None otherwise."""
    words = set(re.findall(r"[a-z]+", (fig.who or "").lower()))
    state, armed = bool(words & _STATE_SIDE), bool(words & _ARMED_SIDE)
    return "state" if state and not armed else "armed" if armed and not state else None


def _other_side(ex: Extraction, kind: str, chosen: Toll) -> Toll:
    """Everyone killed in a fight whose sides are counted in consecutive sentences ("30 soldiers killed. 4 rebels
    killed."; "killed 30 militants ... the death of four military personnel"): the next sentence that counts this
    kind, when all its figures count the other side, adds to a toll that counted one side only."""
    sides = {_side(f) for f in chosen.counts or chosen.figures}  # its totals' sides: "including a colonel" is a part
    if len(sides) != 1 or None in sides or chosen.updated:
        return chosen
    nxt = _following(ex, kind, chosen, 1)
    if not nxt or {_side(f) for f in nxt} != {"armed" if "state" in sides else "state"} or any(_is_update(f) for f in nxt):
        return chosen
    got = _sentence_count(nxt, civilians=False)
    if got is None:
        return chosen
    return Toll(chosen.value + got.value, chosen.figures + got.figures, counts=chosen.counts + got.counts)


def toll_value(ex: Extraction, kind: str = "killed", civilians: bool = True) -> int | None:
    """``main_toll``'s value alone."""
    got = main_toll(ex, kind, civilians)
    return got.value if got is not None else None


# -- the main event's tolls (``Event.tolls``) ----------------------------------------------------------------------


def _bound(counts: list[Figure], attr: str) -> int | None:
    """The sum of the counts' ``attr`` (a missing ``low`` reads as ``best``); None when one count lacks it."""
    got: list[int | None] = [getattr(f, attr) if getattr(f, attr) is not None or attr != "low" else f.best for f in counts]
    known = [v for v in got if v is not None]
    return sum(known) if known and len(known) == len(got) else None


def _restates(fig: Figure, count: Figure) -> bool:
    """Whether ``fig`` states the same count as ``count``: same kind and value, ``who`` equal, missing or of the
    same class ("kills 11", "11 civilians were killed", "11 people were killed"), not a total over many incidents."""
    if fig is count:
        return True
    if fig.kind != count.kind or fig.aggregate or value(fig) != value(count):
        return False
    return not fig.who or not count.who or fig.who == count.who or victim_class(fig.who) == victim_class(count.who) != UNKNOWN


def _civilians(ex: Extraction, kind: str, toll: Toll) -> int | None:
    """The civilians' share of an everyone toll, when the text tells it: the counts that name civilians (fighters'
    counts beside them), or the civilians' part of a later breakdown of a count of unspecified persons."""
    if all(_generic(f) for f in toll.counts):
        share = _civilian_share(ex, kind, toll)
        return share.value if share is not toll else None
    classes = [victim_class(f.who) for f in toll.counts]
    if UNKNOWN in classes or any(c == CIVILIAN and _generic(f) for c, f in zip(classes, toll.counts)):
        return None
    return sum(value(f) or 0 for c, f in zip(classes, toll.counts) if c == CIVILIAN)


def event_toll(ex: Extraction, kind: str) -> EventToll | None:
    """The main incident's toll of ``kind``, everyone counted (``main_toll`` with fighters), as an ``EventToll``:
    the indexes of its distinct counts, of every figure restating one of them, and the civilians' share."""
    toll = main_toll(ex, kind, civilians=False)
    if toll is None or not toll.counts:
        return None
    index = {id(f): i for i, f in enumerate(ex.figures)}
    counts = [f for f in toll.counts if id(f) in index]
    mentions = {i for i, f in enumerate(ex.figures) if any(_restates(f, c) for c in counts)}
    mentions |= {c.supersedes for c in counts if c.supersedes is not None}
    return EventToll(
        low=_bound(counts, "low"), best=_bound(counts, "best"), high=_bound(counts, "high"),
        figures=sorted(index[id(f)] for f in counts), mentions=sorted(mentions),
        civilians=_civilians(ex, kind, toll), updated=toll.updated,
    )


def attach_tolls(ex: Extraction) -> Extraction:
    """Give the document's main event its toll per kind (``Event.tolls``; kinds: ``event_kinds`` in tolls.json)."""
    ev = next((e for e in ex.events if e.main), None)
    if ev is None:
        return ex
    ev.tolls = {k: t for k in rules()["event_kinds"] if (t := event_toll(ex, k)) is not None}
    return ex
