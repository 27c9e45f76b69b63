"""Documents' events -> incidents, one report at a time, in place.

``Linker.add(document)`` takes one document's extraction and links each of its
events: it finds candidate incidents by blocking (``blocking.py``), scores the
event against each candidate's reports (``rules.compare``), joins the best
incident whose score reaches ``link_threshold``, or starts a new incident. The
incident's figures, sources and history are then recomputed from its reports.

A document's main event is linked first. Its other events are background unless
the text reports them as news (dated within ``NEWS_DAYS`` of the main event, or
of publication): background events may join an incident when their date is
stated, but never start one. Date is evidence, not a gate: an undated event still
links, scored by what else the reports share (``evidence.undated_match``), and is
found through the place keys of ``blocking`` that carry no week. When one report
matches two incidents, they are one: the later merges into the earlier, and both
histories name the report that joined them.

Reports are linked greedily in the order documents arrive, so feeding the same
documents in the same order gives the same incidents whether they come in one
batch or many: ``rasd relink`` replays the store in ingest order and rebuilds
exactly what the incremental updates built.

Where incidents live is the index's business: ``MemoryIndex`` keeps them in a
dict (tests, the benchmark); ``repository.StoreIndex`` keeps them in the store.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Protocol

from .. import settings
from ..model import Event, Extraction, HistoryEntry, Incident, Period
from . import blocking
from .estimates import Value, report_values
from .evidence import DocumentFrequencies, Frequencies, names, term_counts, top_terms, undated_match
from .incident import build_incident, figure_changes
from .rules import compare, linkable_place, widened
from .sources import signature

LOGGER = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 31  # an event dated more loosely than this is not one incident
MAX_COMPARED = 32  # distinct report shapes of one incident a new report is scored against
NEWS_DAYS = 7  # a background event dated this close to the main event (or publication) is news


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
    terms: dict[int, int] = field(default_factory=dict)  # the document's weightiest words (hash -> count)
    names: frozenset[int] = frozenset()  # hashes of the document's capitalised words
    days: frozenset[str] = frozenset()  # the days the document names ("2021-08-18", "--08-18")

    @property
    def dated(self) -> bool:
        return self.event.date is not None

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

    frequencies: Frequencies

    def candidates(self, keys: set[str]) -> list[IncidentState]: ...

    def recent(self, keys: set[str], limit: int) -> list[IncidentState]: ...

    def new_number(self) -> int: ...

    def save(self, state: IncidentState, keys: set[str]) -> None: ...

    def retire(self, state: IncidentState, into: IncidentState) -> None: ...

    def move(self, seqs: set[int], frm: IncidentState, to: IncidentState) -> None: ...


class MemoryIndex:
    """Incidents in memory, with a key -> incident numbers map (latest saved last) for blocking."""

    def __init__(self) -> None:
        self.incidents: dict[int, IncidentState] = {}
        self.blocks: dict[str, dict[int, None]] = {}
        self.keys_of: dict[int, set[str]] = {}
        self.frequencies: Frequencies = DocumentFrequencies()
        self.last = 0

    def candidates(self, keys: set[str]) -> list[IncidentState]:
        numbers: set[int] = set()
        for key in keys:
            numbers |= set(self.blocks.get(key, ()))
        return [self.incidents[n] for n in sorted(numbers)]

    def recent(self, keys: set[str], limit: int) -> list[IncidentState]:
        numbers: set[int] = set()
        for key in keys:
            numbers |= set(itertools.islice(reversed(self.blocks.get(key, {})), limit))
        return [self.incidents[n] for n in sorted(numbers)[-limit:]]

    def new_number(self) -> int:
        self.last += 1
        return self.last

    def save(self, state: IncidentState, keys: set[str]) -> None:
        self.incidents[state.number] = state
        self.last = max(self.last, state.number)
        mine = self.keys_of.setdefault(state.number, set())
        for key in keys | mine:
            block = self.blocks.setdefault(key, {})
            block.pop(state.number, None)
            block[state.number] = None  # latest saved last
        mine |= keys

    def move(self, seqs: set[int], frm: IncidentState, to: IncidentState) -> None:
        pass  # the states hold their reports

    def retire(self, state: IncidentState, into: IncidentState) -> None:
        del self.incidents[state.number]
        for key in self.keys_of.pop(state.number, set()):
            self.blocks[key].pop(state.number, None)


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
    """Why an event cannot become (part of) an incident, or None when it can (undated events can)."""
    if not linkable_place(event.place):
        return "no place at admin1 precision or finer"
    if event.date is not None:
        span = widened(event.date)
        if span is None:
            return "unreadable date"
        if (span[1] - span[0]).days > MAX_PERIOD_DAYS:
            return "dated too loosely for one incident"
    figures = [extraction.figures[i] for i in event.figures if 0 <= i < len(extraction.figures)]
    if figures and all(f.aggregate for f in figures):
        return "its figures are aggregates (statistics, not one incident)"
    return None


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def is_news(event: Event, reference: Period | None, published: str | None) -> bool:
    """A background event the text reports as news: dated within ``NEWS_DAYS`` of the main event or publication."""
    span = widened(event.date) if event.date is not None else None
    if span is None:
        return False
    days = [d for d in (_day(reference.start) if reference else None, _day(reference.end) if reference else None,
                        _day(published)) if d is not None]
    return any(span[0] - dt.timedelta(days=NEWS_DAYS) <= d <= span[1] + dt.timedelta(days=NEWS_DAYS) for d in days)


@dataclass
class _Text:
    """What a document's text gives every one of its reports: weightiest terms and names."""

    terms: dict[int, int]
    names: frozenset[int]


class Linker:
    """Links documents' events into incidents held by an ``IncidentIndex``."""

    def __init__(self, index: IncidentIndex | None = None, threshold: float | None = None,
                 best_rule: str | None = None, jaccard: float | None = None, seq: int = 0,
                 weights: dict[str, float] | None = None, merge: bool | None = None) -> None:
        self.index: IncidentIndex = index if index is not None else MemoryIndex()
        self.threshold = float(settings.get("link_threshold") if threshold is None else threshold)
        self.best_rule = str(settings.get("incident_best") if best_rule is None else best_rule)
        self.jaccard = float(settings.get("near_duplicate_jaccard") if jaccard is None else jaccard)
        self.recent = int(settings.get("link_recent"))
        self.merge = bool(settings.get("link_merge") if merge is None else merge)
        self.weights = weights  # the undated path's weights; None: evidence.weights()
        self.seq = seq  # the last report's sequence number: link order
        self._idf_cache: dict[int, float] = {}

    def add_all(self, documents: Iterable[LinkDocument]) -> set[int]:
        touched: set[int] = set()
        for document in documents:
            touched |= self.add(document)
        return touched

    def _text(self, document: LinkDocument) -> _Text:
        counts: Counter[int] = term_counts(document.text) if document.text else Counter()
        freq = self.index.frequencies
        if counts:
            freq.add(set(counts))
        return _Text(top_terms(counts, freq.idf(set(counts))), names(document.text))

    def add(self, document: LinkDocument) -> set[int]:
        """Link one document's events, its main event first; return the numbers of the incidents touched."""
        touched: set[int] = set()
        extraction = document.extraction
        published = document.published or extraction.document.published
        events = extraction.events
        text = self._text(document)
        main = next((e for e in events if e.main), None)
        reference = _date_of(main, published) if main is not None else None
        sig: bytes | None = document.signature
        kept: list[Event] = []
        for index in sorted(range(len(events)), key=lambda i: (not events[i].main, i)):
            original = events[index]
            event = replace(original, date=_date_of(original, published))
            if original.main and event.date is not None and _why_not(event, extraction) == "dated too loosely for one incident":
                event.date = None  # "in 2019" says nothing about one incident: the main event links undated
            background = not original.main and not is_news(event, reference, published)
            why = _why_not(event, extraction) or self._same_as_kept(event, kept)
            if why is None and background and original.date is None:
                why = "an undated background event"
            if why is not None:
                LOGGER.debug("event %d of %s not linked: %s", index, document.id, why)
                continue
            if sig is None and document.text:
                sig = signature(document.text)
            report = Report(
                document=document.id, index=index, event=event, values=report_values(event, extraction.figures),
                publisher=document.publisher or extraction.document.publisher, published=published,
                at=document.at or published or "", seq=self.seq + 1, signature=sig, rowid=document.rowid,
                terms=text.terms, names=text.names, days=frozenset(extraction.document.days),
            )
            number = self._link(report, create=not background)
            if number is not None:
                self.seq += 1
                touched.add(number)
                kept.append(event)
        return touched

    def _same_as_kept(self, event: Event, kept: list[Event]) -> str | None:
        """Two readings of one event in one document (sharing a figure, or matching) are linked once."""
        for other in kept:
            if set(event.figures) & set(other.figures):
                return "shares a figure with an earlier event of the document"
            if event.date is None or other.date is None:
                if event.place and other.place and event.place.geonameid == other.place.geonameid \
                        and event.sub_event_type == other.sub_event_type:
                    return "the same undated event as an earlier one of the document"
                continue
            match = compare(event, other)
            if match is not None and match.score >= self.threshold:
                return "the same event as an earlier one of the document"
        return None

    def _candidates(self, report: Report) -> list[IncidentState]:
        found = {s.number: s for s in self.index.candidates(blocking.query_keys(report.event))}
        for state in self.index.recent(blocking.recent_keys(report.event), self.recent):
            found.setdefault(state.number, state)
        for state in self.index.recent(blocking.day_keys(report.event, report.days), self.recent):
            found.setdefault(state.number, state)
        return [found[n] for n in sorted(found)]

    def _idf(self, terms: set[int]) -> dict[int, float]:
        """Idf of terms, cached for one report's linking (the frequencies do not change meanwhile)."""
        missing = terms - self._idf_cache.keys()
        if missing:
            self._idf_cache.update(self.index.frequencies.idf(missing))
        return self._idf_cache

    def _link(self, report: Report, create: bool = True) -> int | None:
        self._idf_cache = {}
        matches: list[tuple[float, IncidentState, str]] = []
        for state in self._candidates(report):
            if (report.document, report.rowid) in state.documents():
                continue
            match = self._score(report, state)
            if match is not None and match[0] >= self.threshold:
                matches.append((match[0], state, match[1]))
        if not matches and not create:
            return None
        if not matches:
            state = IncidentState(number=self.index.new_number())
            report.reason = "first report"
            change = f"created from {_who(report)}: {report.event.sub_event_type}"
        else:
            matches.sort(key=lambda m: (-m[0], m[1].number))
            score, state, reason = matches[0]
            report.score, report.reason = score, reason
            change = f"linked {_who(report)} (score {score:.2f}: {reason})"
        self._append(state, report, change)
        if self.merge:
            for _, other, _ in matches[1:]:
                state = self.merge_incidents(state, other, f"{_who(report)} matches both", report.at)
        return state.number

    def _append(self, state: IncidentState, report: Report, change: str) -> None:
        before = state.record
        state.reports.append(report)
        state.history.append(HistoryEntry(at=report.at, change=change))
        self._rebuild(state)
        for text in figure_changes(before, state.record, report, state.reports, self.jaccard):  # type: ignore[arg-type]
            state.history.append(HistoryEntry(at=report.at, change=text))
        self._rebuild(state)
        self.index.save(state, blocking.index_keys(report.event, report.days))

    def _rebuild(self, state: IncidentState) -> None:
        state.record = build_incident(state.number, state.reports, state.history, self.best_rule, self.jaccard)
        state.record.history = list(state.history)

    def merge_incidents(self, a: IncidentState, b: IncidentState, why: str, at: str | None = None) -> IncidentState:
        """Merge two incidents into the earlier (lower number); both histories say why. Returns the survivor."""
        keep, gone = (a, b) if a.number < b.number else (b, a)
        when = at or (keep.reports[-1].at if keep.reports else "")
        gone.history.append(HistoryEntry(at=when, change=f"merged into I{keep.number}: {why}"))
        keys: set[str] = set()
        for r in gone.reports:
            keys |= blocking.index_keys(r.event, r.days)
        keep.reports = sorted(keep.reports + gone.reports, key=lambda r: r.seq)
        keep.history.append(HistoryEntry(at=when, change=f"I{gone.number} merged in ({len(gone.reports)} reports): {why}"))
        self._rebuild(keep)
        self.index.retire(gone, keep)
        for r in keep.reports:
            keys |= blocking.index_keys(r.event, r.days)
        self.index.save(keep, keys)
        return keep

    def split_incident(self, state: IncidentState, refs: set[tuple[int, int]], why: str, at: str) -> IncidentState:
        """Move the reports ``refs`` ((document rowid, event index)) of an incident into a new one; return it."""
        out = [r for r in state.reports if (int(r.rowid or 0), r.index) in refs]
        new = IncidentState(number=self.index.new_number(), reports=out)
        state.reports = [r for r in state.reports if r not in out]
        docs = ", ".join(sorted({r.document for r in out}))
        new.history.append(HistoryEntry(at=at, change=f"split from I{state.number} ({docs}): {why}"))
        state.history.append(HistoryEntry(at=at, change=f"I{new.number} split off ({docs}): {why}"))
        self._rebuild(state)
        self._rebuild(new)
        keys: set[str] = set()
        for r in out:
            keys |= blocking.index_keys(r.event, r.days)
        self.index.move({r.seq for r in out}, state, new)
        self.index.save(new, keys)
        self.index.save(state, set())
        return new

    def _score(self, report: Report, state: IncidentState) -> tuple[float, str] | None:
        """The best dated match with any report of the incident; undated matches average over its reports
        (average linkage: one close report cannot chain a string of different strikes at one place)."""
        seen: set[str] = set()
        best: tuple[float, str] | None = None
        undated: list[float] = []
        closest: tuple[float, str] | None = None
        for other in reversed(state.reports):
            loose = not (report.dated and other.dated)
            shape = _shape(other.event) + (f"|{other.document}" if loose else "")
            if shape in seen:
                continue
            seen.add(shape)
            if len(seen) > MAX_COMPARED:
                break
            if loose:
                idf = self._idf(set(report.terms) | set(other.terms) | report.names | other.names)
                match = undated_match(report, other, idf, self.weights)
                undated.append(match.score if match is not None else 0.0)
                if match is not None and (closest is None or match.score > closest[0]):
                    closest = (match.score, f"{match.reason} (vs {other.document})")
                continue
            match = compare(report.event, other.event)
            if match is not None and (best is None or match.score > best[0]):
                best = (match.score, f"{match.reason} (vs {other.document})")
        if undated and closest is not None:
            mean = round(sum(undated) / len(undated), 3)
            if best is None or mean > best[0]:
                best = (mean, closest[1] + (f"; mean over {len(undated)} reports" if len(undated) > 1 else ""))
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
