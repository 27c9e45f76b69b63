"""Per-document lookups shared by the events modules: the index the events stage builds once per document (body
dates and places, figures by sentence, the lead, the title's sub-event types), paragraph of an offset, and the
document's main place."""

from __future__ import annotations

import bisect
import logging
import re
from typing import Any

from ..model import SUB_EVENT_TO_TYPE, Place
from .context import BODY, Context, Sentence
from .triggers import find_triggers

LOGGER = logging.getLogger(__name__)


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
        if ctx.zone_at(d.span.start) != BODY or d.kind in _NOT_EVENT_KINDS or (d.period.start is None and d.period.month_day is None):
            continue  # an unresolved "on Tuesday" (no publication date) dates nothing; "on August 18" names its day
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


def in_lead(ctx: Context, sent: Sentence) -> bool:
    """True for a sentence of the first two body paragraphs or the first three body sentences."""
    idx = _index(ctx)
    return sent.paragraph in idx["lead_paras"] or sent.start in idx["lead_sents"]


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


def _title_subs(ctx: Context) -> list[str]:
    """Specific sub-event types the title states ("Suicide bomber kills 4 in ..."), TERRITORY and PROTEST left out."""
    if not ctx.title:
        return []
    strong = [t for t in find_triggers(ctx.title) if t.level == 1 and not t.weak and t.sub in SUB_EVENT_TO_TYPE]
    return list(dict.fromkeys(t.sub for t in strong))
