"""Tie each figure to its period, place and source; merge a claim the document repeats.

``bind_figures(ctx, figures)`` reads what the earlier stages left on the
context (``ctx.dates``, ``ctx.places``, ``ctx.attributions``) and, for every
figure whose evidence lies in body text (others are dropped):

- **period**: the date the parse ties to the figure (a date whose head path
  reaches the figure's clause verb, or the reverse), else the nearest date in
  the same sentence, else the nearest date earlier in the same paragraph
  ("Since last April, ... Hundreds of people have been killed."). Nothing
  ties it: ``None``. The publication date is never a default: a figure with no
  date of its own has no period rather than a guessed one.
- **place**: the place the parse ties to the figure, else the nearest place in
  the sentence ("there"/"the town" with no place of its own takes the
  previous sentence's), else the paragraph's main place, else the document's
  main place (headlines count for that, captions and datelines never). A
  country that is the subject of a verb ("as Turkey is reinforcing its
  outposts") is an actor there, not a location.
- **attributed_to / via**: ``ctx.source_at`` at the figure's number.
- **aggregate**: the figure totals many incidents: its period spans a week or
  more, the sentence says so ("since", "so far", "in total", "separate"...,
  data/quotes/binding.json), it counts attacks, or it counts people displaced
  across a province or in the tens of thousands.
- **background**: the figure counts an earlier incident that a clause recalls
  as the cause or setting of the one reported: its number stands under
  "after", "following", "in retaliation for"... (``background_heads``) in the
  parse ("After 3 traders were killed, residents lynched a soldier").

A claim the document repeats (same kind, bounds and source; ``who`` equal or
missing on one side) is kept once, at its first evidence; the later mention
only fills what the first lacked, and its words stay evidence (``mentions``).
A corrected toll ("the death toll rose to 12", cues in
data/figures/tolls.json) is the same claim updated: both are kept and the
later one ``supersedes`` (by index) the earlier, smaller one.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from collections import Counter
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..model import Figure, Period, Place
from .context import BODY, HEADLINE, Context, DateMention, PlaceMention, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Token

LOGGER = logging.getLogger(__name__)

_CLAUSE_DEPS = {"ROOT", "ccomp", "advcl", "conj", "relcl", "xcomp", "parataxis", "acl", "pcomp"}


@functools.lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """Aggregate cues and anaphora words (data/quotes/binding.json), loaded once."""
    data: dict[str, Any] = json.loads(
        resources.files("rasd").joinpath("data/quotes/binding.json").read_text(encoding="utf-8")
    )
    data["_aggregate_re"] = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in data["aggregate_cues"]) + r")\b", re.I)
    data["_anaphora_re"] = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in data["anaphora"]) + r")\b", re.I)
    data["_background"] = frozenset(data["background_heads"])
    return data


# -- the parse -----------------------------------------------------------------


def _token_at(sent: Sentence | None, offset: int) -> Token | None:
    return sent.token_at(offset) if sent is not None else None


def _clause_verb(tok: Token) -> Token:
    """The verb heading the clause a token belongs to (the token itself when nothing governs it)."""
    cur = tok
    while cur.head.i != cur.i:
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ in _CLAUSE_DEPS:
            return cur
        cur = cur.head
    return cur


def _linked(a: Token | None, b: Token | None) -> bool:
    """True when one token's head path reaches the other's clause verb."""
    if a is None or b is None:
        return False
    va, vb = _clause_verb(a), _clause_verb(b)
    return va == vb or vb in a.ancestors or va in b.ancestors


# -- period ----------------------------------------------------------------------


def _period(ctx: Context, fig: Figure, anchor: int, sent: Sentence | None, tok: Token | None) -> Period | None:
    number = (fig.number or fig.evidence)
    lo, hi = (number.start, number.end) if number else (anchor, anchor)
    usable = [d for d in ctx.dates if ctx.is_evidence(d.span.start) and not (d.span.start < hi and lo < d.span.end)]
    if sent is not None:
        same = [d for d in usable if sent.start <= d.span.start < sent.end and not _dates_the_report(tok, sent, d)]
        linked = [d for d in same if _linked(tok, _token_at(sent, d.span.start))]
        pick = _nearest(linked or same, anchor)
        if pick is not None:
            return pick.period
        para = ctx.paragraph_at(sent.start)
        before = [d for d in usable if d.span.end <= sent.start and ctx.paragraph_at(d.span.start) == para]
        if before:
            return max(before, key=lambda d: d.span.start).period
    return None


# verbs of reporting: a date in their own clause ("..., the coalition said on Thursday")
# dates the statement, not the figure it reports
_REPORTING = frozenset("say tell report announce confirm state add publish release claim issue write".split())


def _dates_the_report(tok: Token | None, sent: Sentence, d: DateMention) -> bool:
    other = _token_at(sent, d.span.start)
    if tok is None or other is None:
        return False
    verb = _clause_verb(other)
    return verb.lemma_ in _REPORTING and verb != _clause_verb(tok)


def _clause_text(ctx: Context, fig: Figure, sent: Sentence | None) -> str:
    """The words of the figure's own clause (the subtree of its clause verb) when the
    sentence is parsed, else the whole sentence: a cue in another clause ("..., one of
    the deadliest strikes since 2014") says nothing about this figure."""
    if sent is None:
        return fig.evidence.text if fig.evidence else ""
    anchor = (fig.number or fig.evidence or sent).start
    tok = _token_at(sent, anchor)
    if tok is None or sent.doc is None:
        return ctx.text[sent.start : sent.end]
    verb = _clause_verb(tok)
    sub = list(verb.subtree)
    return sent.doc.text[sub[0].idx : sub[-1].idx + len(sub[-1].text)]


def _nearest(mentions: list[DateMention], anchor: int) -> DateMention | None:
    return min(mentions, key=lambda d: abs(d.span.start - anchor)) if mentions else None


# -- place -----------------------------------------------------------------------


def _is_actor(sent: Sentence | None, mention: PlaceMention) -> bool:
    """A country (or region) that does something: 'Turkey is reinforcing its outposts'."""
    if mention.role != "location":
        return True  # a state acting, or where the wounded were taken: not where it happened
    if mention.place.precision != "country":
        return False
    tok = _token_at(sent, mention.span.start)
    if tok is None:
        return False
    while tok.dep_ == "compound":
        tok = tok.head
    return tok.dep_ in ("nsubj", "poss") and tok.head.lemma_ != "be"


def _by_paragraph(ctx: Context) -> tuple[dict[int, list[PlaceMention]], Place | None]:
    """The body's places by paragraph, and the headline-or-body main place: computed once per document
    (every figure used to filter every place: quadratic in a long report)."""
    cached = ctx.__dict__.get("_binding_places")
    if cached is not None and cached[0] is ctx.places and cached[1] == len(ctx.places):
        return cached[2], cached[3]
    by_para: dict[int, list[PlaceMention]] = {}
    for p in ctx.places:
        if p.zone == BODY and ctx.is_evidence(p.span.start):
            by_para.setdefault(ctx.paragraph_at(p.span.start), []).append(p)
    heads = [p for p in ctx.places if p.zone in (BODY, HEADLINE) and ctx.zone_at(p.span.start) in (BODY, HEADLINE) and p.role == "location"]
    main = _main(heads)
    ctx.__dict__["_binding_places"] = (ctx.places, len(ctx.places), by_para, main)
    return by_para, main


def _place(ctx: Context, anchor: int, sent: Sentence | None, tok: Token | None) -> Place | None:
    by_para, head_main = _by_paragraph(ctx)
    if sent is not None:
        body = by_para.get(ctx.paragraph_at(sent.start), [])  # every use below is within the sentence's paragraph
        same = [p for p in body if sent.start <= p.span.start < sent.end and not _is_actor(sent, p)]
        linked = [p for p in same if _linked(tok, _token_at(sent, p.span.start))]
        pool = linked or same
        if not linked and cues()["_anaphora_re"].search(ctx.text[anchor : sent.end]):
            pool = _previous_sentence_places(ctx, sent, body) or pool
        if pool:
            return min(pool, key=lambda p: abs(p.span.start - anchor)).place
        para = ctx.paragraph_at(sent.start)
        main = _main([p for p in body if ctx.paragraph_at(p.span.start) == para and not _is_actor(ctx.sentence_at(p.span.start), p)])
        if main is not None:
            return main
    return head_main


def _previous_sentence_places(ctx: Context, sent: Sentence, body: list[PlaceMention]) -> list[PlaceMention]:
    earlier = [p for p in body if p.span.end <= sent.start and ctx.paragraph_at(p.span.start) == sent.paragraph]
    if not earlier:
        return []
    last = ctx.sentence_at(max(p.span.start for p in earlier))
    return [p for p in earlier if last is not None and last.start <= p.span.start < last.end]


def _main(mentions: list[PlaceMention]) -> Place | None:
    """The place named most often (the first named among equals)."""
    if not mentions:
        return None
    key = [(m.place.geonameid or m.place.name) for m in mentions]
    counts = Counter(key)
    best = max(range(len(mentions)), key=lambda i: (counts[key[i]], -i))
    return mentions[best].place


# -- aggregate ---------------------------------------------------------------------


_NUMERIC_DAY = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def _days(period: Period) -> int | None:
    try:
        start = dt.date.fromisoformat(period.start or "")
        end = dt.date.fromisoformat(period.end or "")
    except ValueError:
        return None
    return (end - start).days + 1


def _aggregate_period(ctx: Context, period: Period | None, sent: Sentence | None) -> bool:
    """The figure's own sentence dates it over a month, a year or a range longer than a week.

    A range longer than a week ("since last April") makes a total wherever it was
    said in the paragraph; a month or a year only in the figure's own sentence (one
    borrowed from an earlier sentence dates the report, not the count); a week
    ("last week") or a two-day range ("on Saturday and Sunday") is when one
    incident happened; a numeric day misread as a year ("21.02.2015") is a day.
    """
    if period is None or period.precision not in cues()["aggregate_periods"] or sent is None:
        return False
    if _NUMERIC_DAY.search(period.text or ""):
        return False
    if period.precision == "range":
        days = _days(period)
        return days is None or days > int(cues()["incident_days"])
    return any(d.period is period and sent.start <= d.span.start < sent.end for d in ctx.dates)


def _aggregate(ctx: Context, fig: Figure, sent: Sentence | None) -> bool:
    c = cues()
    if _aggregate_period(ctx, fig.period, sent):
        return True
    if c["_aggregate_re"].search(_clause_text(ctx, fig, sent)):
        return True
    value = next((v for v in (fig.best, fig.low, fig.high) if v is not None), 0)
    if fig.kind == "attacks" and value > 1:
        return True
    if fig.kind == "displaced" and (value >= 10000 or (fig.place is not None and fig.place.precision in ("admin1", "country"))):
        return fig.period is None or fig.period.precision != "day"
    return False


# -- background ----------------------------------------------------------------------


def _background(tok: Token | None) -> bool:
    """The figure counts an earlier incident that a clause recalls as the cause or setting of the one reported:
    its number stands under a word of ``background_heads``, as that word's complement or in a clause it marks
    ("after a traditional leader was killed", "following the deaths of two players", "in retaliation for the killing
    of two soldiers", "a prisoner accused of murdering two moneychangers"). Words beside the figure's path ("killed 5 people after clashes") say nothing about it."""
    if tok is None:
        return False
    heads = cues()["_background"]
    for up in tok.ancestors:
        if up.lower_ in heads or any(c.dep_ == "mark" and c.lower_ in heads for c in up.children):
            return True
    return False


# -- merge -------------------------------------------------------------------------


def _same_claim(a: Figure, b: Figure) -> bool:
    return (
        a.kind == b.kind
        and (a.low, a.best, a.high) == (b.low, b.best, b.high)
        and (a.attributed_to, a.via) == (b.attributed_to, b.via)
        and (a.who == b.who or a.who is None or b.who is None)
    )


def _restated(head: Figure, body: Figure) -> bool:
    """A headline's figure states the body's count: same kind, its number among the body's bounds ("kills 20" and
    "at least 20 were killed"), same source; ``who`` equal or missing on one side."""
    value = next((v for v in (head.best, head.low, head.high) if v is not None), None)
    return (
        head.kind == body.kind
        and value is not None
        and value in (body.low, body.best, body.high)
        and (head.attributed_to, head.via) == (body.attributed_to, body.via)
        and (head.who == body.who or head.who is None or body.who is None)
    )


def _mention(first: Figure, fig: Figure) -> None:
    LOGGER.debug("repeated claim merged: %r into %r", fig.evidence and fig.evidence.text, first.evidence and first.evidence.text)
    first.who = first.who or fig.who
    first.period = first.period or fig.period
    first.place = first.place or fig.place
    first.aggregate = first.aggregate or fig.aggregate
    if fig.evidence is not None:
        first.mentions.append(fig.evidence)


def _merge(figures: list[Figure]) -> list[Figure]:
    """Body figures first, each repeat kept once; then the headlines' figures: one that restates a body figure is a
    mention of it, the others stay (flagged ``headline``) after the body's, which keep their indexes."""
    kept: list[Figure] = []
    for fig in (f for f in figures if not f.headline):
        first = next((k for k in kept if _same_claim(k, fig)), None)
        if first is None:
            kept.append(fig)
        else:
            _mention(first, fig)
    body = list(kept)
    for fig in (f for f in figures if f.headline):
        first = next((k for k in body if _restated(fig, k)), None) or next((k for k in kept[len(body):] if _same_claim(k, fig)), None)
        if first is None:
            kept.append(fig)
        else:
            _mention(first, fig)
    return kept


# -- updates -----------------------------------------------------------------------


def _mark_updates(figures: list[Figure]) -> list[Figure]:
    """A corrected toll ("the toll rose to 12") is the same claim updated: it ``supersedes`` the earlier one.

    The earlier figure is the nearest one before it of the same kind, for one
    incident (not aggregate), with a smaller value and a compatible ``who``
    (equal, or missing on one side); both are kept. A part of a total ("42 people
    including seven children") is neither: a toll updates the total, and the
    part's sentence counts it inside the total already.
    """
    from . import tolls

    cue = tolls.rules()["_update_cues"]
    parts = tolls.parts(figures)
    for i, fig in enumerate(figures):
        where = fig.sentence.text if fig.sentence is not None else ""
        value = tolls.value(fig)
        if fig.aggregate or fig.headline or value is None or id(fig) in parts or not cue.search(where):
            continue
        for j in range(i - 1, -1, -1):
            old = figures[j]
            old_value = tolls.value(old)
            if old.kind != fig.kind or old.aggregate or old.headline or old_value is None or id(old) in parts:
                continue
            if old.who and fig.who and old.who != fig.who:
                continue
            if old.sentence is not None and fig.sentence is not None and old.sentence.start == fig.sentence.start:
                continue
            if old_value < value:
                fig.supersedes = j
            break
    return figures


# -- entry point -------------------------------------------------------------------


def bind_figures(ctx: Context, figures: list[Figure]) -> list[Figure]:
    bound: list[Figure] = []
    for fig in figures:
        if fig.evidence is None or not (ctx.is_evidence(fig.evidence.start) or (fig.headline and ctx.zone_at(fig.evidence.start) == HEADLINE)):
            LOGGER.debug("figure outside body text dropped: %r", fig.evidence and fig.evidence.text)
            continue
        anchor = (fig.number or fig.evidence).start
        sent = ctx.sentence_at(anchor)
        tok = _token_at(sent, anchor)
        if fig.period is None:
            fig.period = _period(ctx, fig, anchor, sent, tok)
        if fig.place is None:
            fig.place = _place(ctx, anchor, sent, tok)
        who, via = ctx.source_at(anchor)
        fig.attributed_to = fig.attributed_to or who
        fig.via = fig.via or via
        fig.aggregate = fig.aggregate or _aggregate(ctx, fig, sent)
        fig.background = fig.background or _background(tok)
        bound.append(fig)
    return _mark_updates(_merge(bound))
