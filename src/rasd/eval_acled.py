"""ACLED scoring for ``rasd eval``: the 2016 event types, the current six, actor1, and per-country tables.

ACLED's 2016 files code nine event types; rasd answers in ACLED's current taxonomy
(six event types and their sub-event types). ``../shared/data/README.md`` (section 4)
maps the old types onto the new ones, and the scorer reads it both ways:

* ``event_type``: the main event mapped back to the nine 2016 types, every row;
* ``event_type_violent``: the same on the rows of the five violent 2016 types only
  (battles of three kinds, remote violence, violence against civilians);
* ``event_type6``: every row, the gold type mapped onto the six current event types
  (Riots/Protests accepts either Protests or Riots);

Two current sub-event types cross the old lines (``MOVED``): force against protesters,
coded Violence against civilians (protesters as ACTOR2) in 2016, is *Protests / Excessive
force against protesters* now; a grenade attack, a battle or violence against civilians
in 2016 (the 2016 codebook's remote violence is violence whose perpetrator is not
there; of the check file's notes with a grenade, 121 are coded battle or violence
against civilians, 4 remote violence), is *Explosions/Remote violence / Grenade* now.
Both are read as the 2016 type in ``event_type`` and accepted for it in ``event_type6``.
* ``actor1``: the main event's actor1 against ``ACTOR1`` by normalised name (case,
  punctuation and ACLED's period in brackets, "(2012-)", folded away); a row whose
  main event names no actor1 counts as wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .model import Event

# current sub-event type -> 2016 type, where the sub-event type decides it
ACLED_2016 = {
    "Armed clash": "Battle-No change of territory",
    "Government regains territory": "Battle-Government regains territory",
    "Non-state actor overtakes territory": "Battle-Non-state actor overtakes territory",
    "Non-violent transfer of territory": "Non-violent transfer of territory",
    "Headquarters or base established": "Headquarters or base established",
    # force against protesters was violence against civilians until ACLED's current taxonomy made it a protest
    "Excessive force against protesters": "Violence against civilians",
}
# current event type -> 2016 type, for the other sub-event types
ACLED_2016_BY_TYPE = {
    "Explosions/Remote violence": "Remote violence",
    "Violence against civilians": "Violence against civilians",
    "Protests": "Riots/Protests",
    "Riots": "Riots/Protests",
    "Strategic developments": "Strategic development",
}
VIOLENT_2016 = frozenset(
    {
        "Battle-No change of territory",
        "Battle-Government regains territory",
        "Battle-Non-state actor overtakes territory",
        "Remote violence",
        "Violence against civilians",
    }
)
# 2016 type -> the current event types it became
ACLED_2016_TO_CURRENT = {
    "Battle-No change of territory": {"Battles"},
    "Battle-Government regains territory": {"Battles"},
    "Battle-Non-state actor overtakes territory": {"Battles"},
    "Remote violence": {"Explosions/Remote violence"},
    "Violence against civilians": {"Violence against civilians"},
    "Riots/Protests": {"Protests", "Riots"},
    "Strategic development": {"Strategic developments"},
    "Non-violent transfer of territory": {"Strategic developments"},
    "Headquarters or base established": {"Strategic developments"},
}


ARMED_KINDS = frozenset({"state forces", "rebel group", "political militia", "identity militia", "external forces"})


def acled_type(ev: Event | None) -> str | None:
    """The 2016 type of an event (None for no event). A grenade was no remote violence in 2016 (its thrower is
    there): a battle when it is thrown at an armed actor, violence against civilians otherwise."""
    if ev is None:
        return None
    if ev.sub_event_type == "Grenade":
        armed = any(a.role == "actor2" and a.kind in ARMED_KINDS for a in ev.actors)
        return "Battle-No change of territory" if armed else "Violence against civilians"
    return ACLED_2016.get(ev.sub_event_type) or ACLED_2016_BY_TYPE.get(ev.event_type)


_PERIOD = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")


def actor_key(name: str | None) -> str:
    """An actor name folded for comparison: no period in brackets, no case, no punctuation."""
    words = "".join(c if c.isalnum() else " " for c in _PERIOD.sub(" ", name or "").lower()).split()
    return " ".join(words)


# (current sub-event type, 2016 type) pairs that ACLED's current taxonomy moved to another event type
MOVED = frozenset(
    {
        ("Excessive force against protesters", "Violence against civilians"),
        ("Grenade", "Violence against civilians"),
        ("Grenade", "Battle-No change of territory"),
    }
)


def score_types(tally: Callable[[str], Any], ev: Event | None, gold_type: str) -> None:
    """The three event-type scores of one ACLED row."""
    got = acled_type(ev)
    tally("event_type").add(got == gold_type)
    if gold_type in VIOLENT_2016:
        tally("event_type_violent").add(got == gold_type)
    current = ACLED_2016_TO_CURRENT.get(gold_type)
    if current is not None:
        moved = ev is not None and (ev.sub_event_type, gold_type) in MOVED
        tally("event_type6").add(ev is not None and (ev.event_type in current or moved))


def score_actor1(tally: Callable[[str], Any], names: list[str], gold: str | None) -> None:
    if gold:
        tally("actor1").add(actor_key(gold) in {actor_key(n) for n in names})


def group_key(fmt: str, row: dict[str, Any], by: str) -> str:
    """The group a gold row belongs to for ``--by``: ACLED's ``COUNTRY`` (other formats: one group)."""
    if by == "country":
        return str(row.get("COUNTRY") or "?") if fmt == "acled" else "all"
    raise ValueError(f"unknown grouping {by!r}")


def score_admin2(tally: Callable[[str], Any], place: Any, gold: str) -> None:
    """admin2 as the ACLED export writes it (``geo.admin.admin_below``): of every row ACLED gives one
    (``admin2``), and of the rows rasd gives one (``admin2_given``: how often a value it writes is right)."""
    from .geo.admin import admin_below, plain_name, variants
    from .geo.keys import key

    given = admin_below(place)[0]
    right = given is not None and bool({key(v) for v in variants(plain_name(given))} & {key(v) for v in variants(gold)})
    tally("admin2").add(right)
    if given:
        tally("admin2_given").add(right)
