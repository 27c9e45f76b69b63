"""A source carried across a reported-speech paragraph (docs/annotation.md, section 3).

A paragraph opens with reported speech ("SOHR activists reported that shelling
hit the market."), and the next sentences give figures with no verb of saying
("Four children died. Nine more were taken to hospital."): those figures are
the same source's. ``carried(ctx, regions)`` returns one region per such
sentence. The carry stops where another source speaks (a sentence with a
region of its own), where the writer's voice takes over (background over a
longer period: "since 2011", "the war has killed", "In early October ..."; or a figure in a sentence
that does not continue the report), and at the end of the paragraph unless
the next one plainly continues ("Moreover, ...", "The bombardment also left
..."). When in doubt the figure stays the writer's: inventing a source is
worse than missing one.

A source never reaches back across a fused dateline into the headline before it
("Syria raids kill 15 near Damascus Monitor AFP Monday 9 Feb 2015 At least 15
people were killed ..., the Observatory said"): ``headlines`` cuts such regions
at the dateline and gives the headline the source its own last words name
("Monitor", "NGO", "state TV", "...: monitor"), else none.

How far it reaches: a sentence that continues the report in its words
("also", "another", "the other", "moreover") up to two sentences
after the source's; any sentence up to two after an opener that reports a
claim ("X reported that ...", "X said that ...").
"""

from __future__ import annotations

import calendar
import re

from . import numbers
from .context import BODY, HEADLINE, Attribution, Context, Sentence

_CONTINUES = re.compile(
    r"^\W*(?:moreover|in addition|additionally|furthermore|besides|also)\b"
    r"|\b(?:also|another|the other|the rest|of the dead)\b",
    re.I,
)
_MONTHS = "|".join(calendar.month_name[1:])
_BACKGROUND = re.compile(
    r"\bsince\b|\b(?:the|its|this) (?:war|conflict|uprising|crisis|revolt)\b|\bin (?:19|20)\d\d\b"
    r"|\b(?:has|have) (?:(?:also|already) )?(?:killed|claimed|left|displaced|forced)\b"
    r"|\b(?:has|have) (?:(?:also|already) )?been (?:killed|displaced|forced)\b"
    r"|^\W*(?:in (?:early |late |mid-?)?|on |last |earlier |later )(?:%s|week|month|year|this)\b" % _MONTHS,
    re.I,
)
_OPENER = re.compile(r"^\s*(?:\w+\s+){0,3}?that\b", re.I)
_REACH_CONTINUED = 2
_REACH_OPENER = 2


def _opens(ctx: Context, region: Attribution) -> bool:
    """Does the region's cue report a claim that follows ("reported that ...", "said on Monday that ...")?"""
    if region.cue is None:
        return False
    return bool(_OPENER.match(ctx.text[region.cue.end : region.cue.end + 40]))


def _own(regions: list[Attribution], sent: Sentence) -> Attribution | None:
    """The sentence's own source: the last region whose cue lies in it."""
    inside = [r for r in regions if r.cue is not None and sent.start <= r.cue.start < sent.end]
    return max(inside, key=lambda r: r.cue.start if r.cue is not None else 0) if inside else None


def carried(ctx: Context, regions: list[Attribution]) -> list[Attribution]:
    """Regions for the sentences that carry the source of a reported-speech sentence before them."""
    out: list[Attribution] = []
    source: Attribution | None = None
    distance = 0
    opener = False
    paragraph = -1
    for sent in ctx.sentences:
        if sent.zone != BODY:
            continue
        text = ctx.text[sent.start : sent.end]
        new_paragraph, paragraph = sent.paragraph != paragraph, sent.paragraph
        own = _own(regions, sent)
        if own is not None:
            source, distance, opener = own, 0, _opens(ctx, own)
            continue
        if source is None:
            continue
        continues = _CONTINUES.search(text) is not None
        distance += 1
        if (new_paragraph and not continues) or _BACKGROUND.search(text):
            source = None
            continue
        if (continues and distance <= _REACH_CONTINUED) or (opener and not new_paragraph and distance <= _REACH_OPENER):
            out.append(Attribution(sent.start, sent.end, source.attributed_to, source.via, source.cue))
        elif numbers.might_contain_number(text):
            source = None  # a figure of the writer's own: the report is over
    return out


_DAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_FUSED = re.compile(
    rf"(?:\b(?P<src>[Mm]onitor|NGO|[Ss]tate (?:media|TV|television)|[Aa]ctivists)\s+)?(?:AFP|Reuters|AP)\s+{_DAY}\s+\d{{1,2}}\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{4}}\b"
)
_COLON_SOURCE = re.compile(r":\s*(?P<src>[Mm]onitors?|NGO|[Aa]ctivists|[Ss]tate (?:media|TV|television)|[A-Z][\w-]+)\s*\.?\s*$")
# a headline's source after a dash: "4 killed in shelling of Qamishli – Asayish", "... in Idlib - SOHR"; not an
# editor's label ("... - UPDATE", "- VIDEO")
_DASH_SOURCE = re.compile(
    r"\s[-–—]\s*(?!(?i:update[sd]?|live|video|photos?|watch|breaking|exclusive|opinion|analysis|report)\b)(?P<src>[Mm]onitors?|NGO|[Aa]ctivists|[Ss]tate (?:media|TV|television)|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})\s*\.?\s*$"
)
# a headline stripped of its punctuation ends in the source noun the dash or colon introduced ("... province NGO")
_BARE_SOURCE = re.compile(r"\s(?P<src>[Mm]onitors?|NGO|[Aa]ctivists|[Ss]tate (?:media|TV|television))\s*$")
_HEADLINE_WORDS = 20


def fused_headline(text: str) -> int | None:
    """Where a headline fused to a wire dateline ends ("Syria raids kill 15 near Damascus Monitor AFP Monday 9 Feb
    2015 At least ..." -> the offset of "Monitor", the words that credit the headline's source, included), or None."""
    m = _FUSED.search(text[:300])
    return m.start("src") if m and m.group("src") else (m.start() if m else None)


def _key(name: str) -> str:
    return re.sub(r"^the\s+", "", name.strip().lower())


def _named(words: str) -> str:
    return words if words.isupper() else words.lower()


def _title_source(ctx: Context) -> Attribution | None:
    """The source a headline names at its end, after a dash or with the dash stripped ("Bomb kills 18 in Damascus
    suburb state TV"), for a title the text opens with."""
    title = (ctx.title or "").strip()
    if not title or len(title.split()) > _HEADLINE_WORDS or not ctx.text.lstrip().startswith(title):
        return None
    start = len(ctx.text) - len(ctx.text.lstrip())
    m = _DASH_SOURCE.search(title) or _BARE_SOURCE.search(title)
    if m is None:
        return None
    return Attribution(start, start + len(title), _named(m.group("src")), None, ctx.span(start + m.start("src"), start + m.end("src")))


def headlines(ctx: Context, regions: list[Attribution]) -> list[Attribution]:
    """Cut the regions that reach back across a fused dateline; regions for the headlines that name a source."""
    out: list[Attribution] = []
    titled = _title_source(ctx)
    if titled is not None:
        out.append(titled)
    for sent in ctx.sentences:
        if sent.zone not in (BODY, HEADLINE):
            continue
        text = ctx.text[sent.start : sent.end]
        short = len(text.split()) <= _HEADLINE_WORDS
        colon = _COLON_SOURCE.search(text)
        if colon and short:  # "Bombs kill 13 fighters: monitor."
            out.append(Attribution(sent.start, sent.end, _named(colon.group("src")), None, ctx.span(sent.start + colon.start("src"), sent.start + colon.end("src"))))
            continue
        dash = _DASH_SOURCE.search(text) if short and (sent.zone == HEADLINE or not text.rstrip().endswith(".")) else None
        if dash and _key(dash.group("src")) == _key(ctx.publisher or ""):
            dash = None  # the site's own name after its page title is the publisher, not a source
        if dash and (titled is None or sent.start >= titled.end):  # "4 killed, 2 wounded in ... Qamishli – Asayish"
            out.append(Attribution(sent.start, sent.end, dash.group("src"), None, ctx.span(sent.start + dash.start("src"), sent.start + dash.end("src"))))
            continue
        if sent.zone != BODY:
            continue
        fused = _FUSED.search(text)
        if fused is None:
            continue
        body = sent.start + fused.end()
        for r in regions:
            if r.start < body <= r.end and (r.cue is None or r.cue.start >= body):
                r.start = body
        if fused.group("src"):
            src = ctx.span(sent.start + fused.start("src"), sent.start + fused.end("src"))
            out.append(Attribution(sent.start, sent.start + fused.start(), _named(fused.group("src")), None, src))
    return out
