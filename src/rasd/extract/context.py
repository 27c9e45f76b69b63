"""The one parsed document that every extraction stage reads and adds to.

Stages run in the order ``pipeline.STAGES`` gives; each reads what earlier
stages left on the ``Context`` and adds its own attribute:

    zones        -> ctx.zones          (site chrome, captions, datelines, headlines)
    sentences    -> ctx.sentences      (with ``doc`` parsed for candidate sentences)
    dates        -> ctx.dates          (DateMention list) and ctx.published
    places       -> ctx.places         (PlaceMention list)
    quotes       -> ctx.attributions   (Attribution regions: who speaks where)
    figures      -> ctx.figures        (model.Figure list, bound by ``binding``)
    actors       -> ctx.actors         (ActorMention list)
    events       -> ctx.events         (model.Event list, one ``main``)

Offsets are always offsets into ``ctx.text``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Actor, Event, Figure, Period, Place, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Zone kinds. Only "body" text is evidence for figures and events.
BODY = "body"
CHROME = "chrome"  # navigation, section labels, cookie banners, footers, "related posts"
CAPTION = "caption"  # photo captions and credits
DATELINE = "dateline"  # "BEIRUT, Feb 4 (Reuters) -", "Sun 05 Jul 2015"
HEADLINE = "headline"  # a title line (evidence for nothing, but may name the main place)


@dataclass
class Zone:
    start: int
    end: int
    kind: str


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int
    zone: str = BODY
    doc: Doc | None = None  # spaCy parse of ctx.text[start:end]; token.idx + start = offset in ctx.text
    _starts: list[int] | None = field(default=None, repr=False, compare=False)  # token.idx of each token of doc

    def set_doc(self, doc: Doc | None) -> None:
        self.doc = doc
        self._starts = None

    def offset(self, token: Token) -> int:
        """Document offset of a token of ``self.doc``."""
        return self.start + token.idx

    def token_at(self, offset: int) -> Token | None:
        """The parsed token covering a document offset (None when the sentence is not parsed)."""
        doc = self.doc
        if doc is None:
            return None
        if self._starts is None or len(self._starts) != len(doc):
            self._starts = doc.to_array("IDX").tolist()  # no Token objects made
        rel = offset - self.start
        i = bisect.bisect_right(self._starts, rel) - 1
        if i < 0:
            return None
        tok = doc[i]
        return tok if rel < tok.idx + max(1, len(tok.text)) else None


@dataclass
class DateMention:
    span: Span
    period: Period
    kind: str = "date"  # date|relative|weekday|since|duration


@dataclass
class PlaceMention:
    span: Span
    place: Place
    zone: str = BODY
    # "actor" when the name stands for a state ("Ankara said", "Turkey responded"); "destination" where the wounded
    # were taken or people fled to ("taken to hospitals in Hatay"): neither locates an incident; "origin" where a person
    # comes from ("an engineer from Kufra was kidnapped in Tripoli"), the document's place only when nothing else is named
    role: str = "location"


@dataclass
class Attribution:
    """A stretch of text whose claims belong to a source.

    ``attributed_to`` is who states the claims ("White Helmets"); ``via`` the
    outlet that carried them when it is not the document's publisher ("The New
    York Times"). ``cue`` is the words that say so ("according to ...").
    """

    start: int
    end: int
    attributed_to: str | None = None
    via: str | None = None
    cue: Span | None = None


@dataclass
class ActorMention:
    span: Span
    actor: Actor


@dataclass
class Context:
    text: str
    published: dt.date | None = None
    published_source: str | None = None  # given|metadata|dateline
    title: str | None = None
    publisher: str | None = None
    doc_id: str | None = None
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)  # stage-private scratch space
    _sent_starts: list[int] = field(default_factory=list, repr=False)
    _para_starts: list[int] = field(default_factory=list, repr=False)

    # -- lookups -------------------------------------------------------------

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def zone_at(self, offset: int) -> str:
        for z in self.zones:
            if z.start <= offset < z.end:
                return z.kind
        return BODY

    def is_evidence(self, start: int, end: int | None = None) -> bool:
        """True when the text at ``start`` is article body (not chrome, caption, dateline or headline)."""
        return self.zone_at(start) == BODY

    def sentence_at(self, offset: int) -> Sentence | None:
        if len(self._sent_starts) != len(self.sentences):
            self._sent_starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if 0 <= i < len(self.sentences) and offset < self.sentences[i].end:
            return self.sentences[i]
        return None

    def paragraph_at(self, offset: int) -> int:
        if len(self._para_starts) != len(self.paragraphs):  # built once, not at every call
            self._para_starts = [p[0] for p in self.paragraphs]
        return max(0, bisect.bisect_right(self._para_starts, offset) - 1)

    def source_at(self, start: int, end: int | None = None) -> tuple[str | None, str | None]:
        """(attributed_to, via) for a claim at ``start``: the innermost attribution that covers it."""
        best: Attribution | None = None
        for a in self.attributions:
            if a.start <= start < a.end and (best is None or a.end - a.start <= best.end - best.start):
                best = a
        if best is None:
            return None, None
        return best.attributed_to, best.via
