"""The records every stage shares.

Each record is a plain dataclass that round-trips to JSON:
``Record.from_dict(record.to_dict()) == record``. Field names follow
``CONTRACT.md``; fields may be added (with a default), never renamed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, Union

SCHEMA = "rasd/1"

FIGURE_KINDS = ("killed", "injured", "displaced", "attacks", "detained", "missing", "affected")
QUALIFIERS = ("exact", "approximate", "at least", "more than", "at most", "fewer than", "range", "vague")
PLACE_PRECISIONS = ("point", "near", "admin2", "admin1", "country")
DATE_PRECISIONS = ("day", "week", "month", "year", "range")

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_EVENT_TO_TYPE: dict[str, str] = {sub: et for et, subs in EVENT_TYPES.items() for sub in subs}

T = TypeVar("T", bound="Record")


class Record:
    """Mixin: JSON round-trip for dataclasses (nested records, lists, optionals)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _dump(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        kwargs = {}
        for name, hint in _fields(cls):  # type: ignore[arg-type]
            if name in data:
                kwargs[name] = _load(hint, data[name])
        return cls(**kwargs)

    @classmethod
    def from_json(cls: type[T], text: str) -> T:
        return cls.from_dict(json.loads(text))


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    """A record class's (field name, type hint) pairs, resolved once: get_type_hints is slow, and linking
    reads every stored extraction back through from_dict."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load(args[0], value) if len(args) == 1 else value
    if origin is list:
        (arg,) = typing.get_args(hint) or (Any,)
        return [_load(arg, v) for v in value]
    if origin is dict:
        kv = typing.get_args(hint)
        return {k: _load(kv[1], v) for k, v in value.items()} if kv else dict(value)
    if isinstance(hint, type) and issubclass(hint, Record):
        return hint.from_dict(value)
    return value


@dataclass
class Span(Record):
    """Character offsets into the extracted document text: ``text[start:end] == span.text``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass
class Period(Record):
    """A stretch of time with its precision. Unknown bounds are ``None``, never guessed."""

    start: str | None = None
    end: str | None = None
    precision: str | None = None  # day|week|month|year|range
    text: str | None = None
    span: Span | None = None
    basis: str | None = None  # "text" (the words state it) | "published" (the report's date stands in)
    month_day: str | None = None  # "--08-18" (ISO 8601): the day the text names without a year ("On August 18")


@dataclass
class Candidate(Record):
    """One gazetteer entry considered for a toponym, with its score (for inspection)."""

    geonameid: int
    name: str
    country: str | None = None
    admin1: str | None = None
    population: int | None = None
    score: float = 0.0


@dataclass
class Place(Record):
    """A geocoded place: the gazetteer's name, coordinates, admin1, country, precision, the words in the text."""

    name: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    precision: str | None = None  # point|near|admin2|admin1|country
    text: str | None = None
    admin2: str | None = None
    span: Span | None = None
    score: float | None = None
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Actor(Record):
    """An actor in the normalised vocabulary, with its role in an event (actor1, actor2, associate)."""

    name: str
    role: str | None = None  # actor1|actor2|associate
    kind: str | None = None  # state forces|rebel group|political militia|identity militia|external forces|civilians|...
    country: str | None = None
    text: str | None = None
    span: Span | None = None


@dataclass
class Figure(Record):
    """One number a source states: kind, whom it counts, low/best/high bounds, period, place, provenance, span."""

    kind: str
    who: str | None = None
    low: int | None = None
    best: int | None = None
    high: int | None = None
    qualifier: str = "exact"
    period: Period | None = None
    place: Place | None = None
    aggregate: bool = False
    attributed_to: str | None = None
    via: str | None = None
    evidence: Span | None = None  # the figure's own words ("more than 6,600 attacks")
    sentence: Span | None = None  # the sentence that holds it
    number: Span | None = None  # the number alone ("6,600")
    supersedes: int | None = None  # index (in the same extraction) of the earlier toll this one updates ("the toll rose to 12")
    mentions: list[Span] = field(default_factory=list)  # where the document repeats this same claim (merged into it)
    background: bool = False  # counts an earlier incident a clause recalls as the cause of another ("after 3 traders were killed")
    headline: bool = False  # stated in a headline with no body figure it restates: a claim kept, never a toll or an event


@dataclass
class EventToll(Record):
    """An event's toll of one kind: the bounds of the distinct counts that make it up. A headline "kills 11", a
    lead "at least 11 civilians were killed" and a quote "11 people were killed" are one count; parts ("including
    six children") and background totals ("since 2011") are none."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    figures: list[int] = field(default_factory=list)  # indexes of the distinct counts that add up to it, no repeats
    mentions: list[int] = field(default_factory=list)  # indexes of every figure that states one of those counts
    civilians: int | None = None  # the civilians' share, when the text tells it apart (None: not told)
    updated: bool = False  # a later correction ("the toll rose to 12") replaced the first count


@dataclass
class Event(Record):
    """One thing that happened at one place and time, in ACLED's taxonomy, with its evidence span."""

    event_type: str
    sub_event_type: str
    main: bool = False
    date: Period | None = None
    place: Place | None = None
    actors: list[Actor] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    figures: list[int] = field(default_factory=list)
    attributed_to: str | None = None
    via: str | None = None
    evidence: Span | None = None
    health_care: bool = False  # an attack on health care as WHO's SSA would count it
    score: float | None = None
    method: str | None = None  # "rule" or "model"
    tolls: dict[str, EventToll] = field(default_factory=dict)  # the main event's toll per kind (``killed``, ``injured``, ...)


@dataclass
class DocumentInfo(Record):
    """The document's metadata as it appears in an extraction record."""

    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    sha256: str | None = None
    url: str | None = None
    published_source: str | None = None  # "given", "metadata", "dateline" or None
    language: str | None = None  # ISO 639-1 code detected at ingest ("ar"); set when rasd cannot read it
    days: list[str] = field(default_factory=list)  # the days the body names: "2021-08-18", or "--08-18" without a year


@dataclass
class Extraction(Record):
    """What ``rasd extract`` prints for one document."""

    id: str
    document: DocumentInfo
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        # schema first, as in the contract's example
        return {"schema": d.pop("schema"), **d}


@dataclass
class Document(Record):
    """One ingested document: the extracted text plus where it came from.

    ``id`` is the caller's id (JSONL) or the sha256 of the raw bytes;
    ``text`` is what extraction reads (after HTML clean-up); spans index it.
    """

    id: str
    sha256: str
    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None
    path: str | None = None
    format: str = "text"  # text|markdown|html|jsonl
    version: int = 1


@dataclass
class IncidentReport(Record):
    document: str
    publisher: str | None = None
    published: str | None = None
    attributed_to: str | None = None
    via: str | None = None
    evidence: Span | None = None
    event: int | None = None  # the event's index in that document's extraction
    score: float | None = None  # link score
    reason: str | None = None  # why it was linked


@dataclass
class FigureSummary(Record):
    low: int | None = None
    best: int | None = None
    high: int | None = None
    sources: int = 0


@dataclass
class HistoryEntry(Record):
    at: str
    change: str


@dataclass
class Incident(Record):
    """Reports of one event from many documents linked together, figures kept per independent source."""

    id: str
    event_type: str
    sub_event_type: str
    date: Period | None = None
    place: Place | None = None
    actors: list[Actor] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    independent_sources: int = 0
    reports: list[IncidentReport] = field(default_factory=list)
    figures: dict[str, FigureSummary] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        return {"schema": d.pop("schema"), **d}
