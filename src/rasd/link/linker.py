"""Documents' events -> incidents, one report at a time, in place.

``Linker.add(document)`` takes one document's extraction and links each of its
events: it finds candidate incidents by blocking (``blocking.py``), scores the
event against each candidate's reports (``rules.compare``), joins the best
incident whose score reaches ``link_threshold``, or starts a new incident. The
incident's figures, sources and history are then recomputed from its reports.

Reports are linked greedily in the order documents arrive, so feeding the same
documents in the same order gives the same incidents whether they come in one
batch or many: ``rasd relink`` replays the store in ingest order and rebuilds
exactly what the incremental updates built.

Where incidents live is the index's business: ``MemoryIndex`` keeps them in a
dict (tests, the benchmark); ``repository.StoreIndex`` keeps them in the store.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from .. import settings
from ..model import Event, Extraction, HistoryEntry, Incident, Period
from . import blocking
from .estimates import Value, report_values
from .incident import build_incident, figure_changes
from .rules import compare, linkable_place, widened
from .sources import signature

LOGGER = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 31  # an event dated more loosely than this is not one incident
MAX_COMPARED = 32  # distinct report shapes of one incident a new report is scored against


@dataclass
class LinkDocument:
    """What linking needs from one document: its extraction and metadata.

    ``at`` is when the document entered the store (history time stamps; the
    publication date when not given); ``signature`` its MinHash (computed from
    ``text`` when not given); ``rowid`` its row in the store, if stored.
    """

    id: str
    extraction: Extraction
    publisher: str | None = None
    published: str | None = None
    text: str = ""
    at: str | None = None
    signature: bytes | None = None
    rowid: int | None = None


@dataclass
class Report:
    """One document event inside an incident."""

    document: str
    index: int
    event: Event
    values: dict[str, Value]
    publisher: str | None
    published: str | None
    at: str
    seq: int
    signature: bytes | None = None
    score: float | None = None
    reason: str | None = None
    rowid: int | None = None

    @property
    def order(self) -> tuple[str, int]:
        return (self.published or "", self.seq)


@dataclass
class IncidentState:
    number: int
    reports: list[Report] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    record: Incident | None = None

    def documents(self) -> set[tuple[str, int | None]]:
        return {(r.document, r.rowid) for r in self.reports}


class IncidentIndex(Protocol):
    """Where incidents are kept and found by blocking key."""

    def candidates(self, keys: set[str]) -> list[IncidentState]: ...

    def new_number(self) -> int: ...

    def save(self, state: IncidentState, keys: set[str]) -> None: ...


class MemoryIndex:
    """Incidents in memory, with a key -> incident numbers map for blocking."""

    def __init__(self) -> None:
        self.incidents: dict[int, IncidentState] = {}
        self.blocks: dict[str, set[int]] = {}

    def candidates(self, keys: set[str]) -> list[IncidentState]:
        numbers: set[int] = set()
        for key in keys:
            numbers |= self.blocks.get(key, set())
        return [self.incidents[n] for n in sorted(numbers)]

    def new_number(self) -> int:
        return len(self.incidents) + 1

    def save(self, state: IncidentState, keys: set[str]) -> None:
        self.incidents[state.number] = state
        for key in keys:
            self.blocks.setdefault(key, set()).add(state.number)


def _date_of(event: Event, published: str | None) -> Period | None:
    """The event's date; undated events fall back to the week before publication."""
    if event.date is not None and (event.date.start or event.date.end):
        return event.date
    if not published:
        return None
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    start = (day - dt.timedelta(days=6)).isoformat()
    return Period(start=start, end=day.isoformat(), precision="week", text="(week before publication)")


def _why_not(event: Event, extraction: Extraction) -> str | None:
    """Why an event cannot become (part of) an incident, or None when it can."""
    if not linkable_place(event.place):
        return "no place at admin1 precision or finer"
    if event.date is None:
        return "no date and no publication date"
    span = widened(event.date)
    if span is None:
        return "unreadable date"
    if (span[1] - span[0]).days > MAX_PERIOD_DAYS:
        return "dated too loosely for one incident"
    figures = [extraction.figures[i] for i in event.figures if 0 <= i < len(extraction.figures)]
    if figures and all(f.aggregate for f in figures):
        return "its figures are aggregates (statistics, not one incident)"
    return None


class Linker:
    """Links documents' events into incidents held by an ``IncidentIndex``."""

    def __init__(self, index: IncidentIndex | None = None, threshold: float | None = None,
                 best_rule: str | None = None, jaccard: float | None = None, seq: int = 0) -> None:
        self.index: IncidentIndex = index if index is not None else MemoryIndex()
        self.threshold = float(settings.get("link_threshold") if threshold is None else threshold)
        self.best_rule = str(settings.get("incident_best") if best_rule is None else best_rule)
        self.jaccard = float(settings.get("near_duplicate_jaccard") if jaccard is None else jaccard)
        self.seq = seq  # the last report's sequence number: link order

    def add_all(self, documents: Iterable[LinkDocument]) -> set[int]:
        touched: set[int] = set()
        for document in documents:
            touched |= self.add(document)
        return touched

    def add(self, document: LinkDocument) -> set[int]:
        """Link every event of one document; return the numbers of the incidents touched."""
        touched: set[int] = set()
        extraction = document.extraction
        published = document.published or extraction.document.published
        sig: bytes | None = document.signature
        kept: list[Event] = []
        for index, original in enumerate(extraction.events):
            event = replace(original, date=_date_of(original, published))
            why = _why_not(event, extraction) or self._same_as_kept(event, kept)
            if why is not None:
                LOGGER.debug("event %d of %s not linked: %s", index, document.id, why)
                continue
            if sig is None and document.text:
                sig = signature(document.text)
            self.seq += 1
            report = Report(
                document=document.id, index=index, event=event, values=report_values(event, extraction.figures),
                publisher=document.publisher or extraction.document.publisher, published=published,
                at=document.at or published or "", seq=self.seq, signature=sig, rowid=document.rowid,
            )
            touched.add(self._link(report))
            kept.append(event)
        return touched

    def _same_as_kept(self, event: Event, kept: list[Event]) -> str | None:
        """Two readings of one event in one document (sharing a figure, or matching) are linked once."""
        for other in kept:
            if set(event.figures) & set(other.figures):
                return "shares a figure with an earlier event of the document"
            match = compare(event, other)
            if match is not None and match.score >= self.threshold:
                return "the same event as an earlier one of the document"
        return None

    def _link(self, report: Report) -> int:
        best: tuple[float, IncidentState, str] | None = None
        for state in self.index.candidates(blocking.query_keys(report.event)):
            if (report.document, report.rowid) in state.documents():
                continue
            match = self._score(report, state)
            if match is not None and match[0] >= self.threshold and (best is None or match[0] > best[0]):
                best = (match[0], state, match[1])
        if best is None:
            state = IncidentState(number=self.index.new_number())
            report.reason = "first report"
            change = f"created from {_who(report)}: {report.event.sub_event_type}"
        else:
            state = best[1]
            report.score, report.reason = best[0], best[2]
            change = f"linked {_who(report)} (score {best[0]:.2f}: {best[2]})"
        before = state.record
        state.reports.append(report)
        state.history.append(HistoryEntry(at=report.at, change=change))
        state.record = build_incident(state.number, state.reports, state.history, self.best_rule, self.jaccard)
        for text in figure_changes(before, state.record, report, state.reports, self.jaccard):
            state.history.append(HistoryEntry(at=report.at, change=text))
        state.record.history = list(state.history)
        self.index.save(state, blocking.index_keys(report.event))
        return state.number

    def _score(self, report: Report, state: IncidentState) -> tuple[float, str] | None:
        seen: set[str] = set()
        best: tuple[float, str] | None = None
        for other in reversed(state.reports):
            shape = _shape(other.event)
            if shape in seen:
                continue
            seen.add(shape)
            if len(seen) > MAX_COMPARED:
                break
            match = compare(report.event, other.event)
            if match is not None and (best is None or match.score > best[0]):
                best = (match.score, f"{match.reason} (vs {other.document})")
        return best

    def incidents(self) -> list[Incident]:
        """Every incident, in number order (MemoryIndex only)."""
        if not isinstance(self.index, MemoryIndex):
            raise TypeError("incidents() lists a MemoryIndex; read a store's incidents from its repository")
        return [s.record for s in sorted(self.index.incidents.values(), key=lambda s: s.number) if s.record]


def _shape(event: Event) -> str:
    place = event.place
    date = event.date
    actors = ",".join(sorted(a.name for a in event.actors))
    return "|".join(str(x) for x in (
        event.sub_event_type, place and (place.geonameid, place.name, place.precision),
        date and (date.start, date.end, date.precision), actors,
    ))


def _who(report: Report) -> str:
    return f"{report.document} ({report.publisher})" if report.publisher else report.document


def link_documents(documents: Iterable[LinkDocument], **options: object) -> list[Incident]:
    """Link documents, in order, into incidents held in memory."""
    linker = Linker(**options)  # type: ignore[arg-type]
    linker.add_all(documents)
    return linker.incidents()
