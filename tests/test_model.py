"""Every record round-trips through JSON unchanged, nested records included."""

from __future__ import annotations

import dataclasses
import json

import pytest

from rasd import model
from rasd.model import (
    Actor,
    Candidate,
    Document,
    DocumentInfo,
    Event,
    EventToll,
    Extraction,
    Figure,
    FigureSummary,
    HistoryEntry,
    Incident,
    IncidentReport,
    Period,
    Place,
    Span,
)

TEXT = "At least 12 civilians were killed in Saraqeb on Tuesday, the White Helmets said."
SPAN = Span.of(TEXT, 0, 33)
PERIOD = Period("2020-02-04", "2020-02-04", "day", "on Tuesday", Span.of(TEXT, 45, 55))
PLACE = Place(
    "Saraqib", 169577, 35.86, 36.8, "Idlib", "SY", "point", "Saraqeb", admin2="Idlib District",
    span=Span.of(TEXT, 37, 44), score=0.9, candidates=[Candidate(169577, "Saraqib", "SY", "Idlib", 30000, 0.9)],
)
ACTOR = Actor("Military Forces of Syria", "actor1", "state forces", "SY", "government forces", Span(0, 3, "At "))
FIGURE = Figure(
    "killed", "civilians", 12, None, None, "at least", PERIOD, PLACE, False, "White Helmets", "Reuters",
    SPAN, Span.of(TEXT, 0, len(TEXT)), Span.of(TEXT, 9, 11),
)
EVENT = Event(
    "Explosions/Remote violence", "Air/drone strike", True, PERIOD, PLACE, [ACTOR], ["civilians"], [0],
    "White Helmets", None, SPAN, True, 0.8, "rule",
    {"killed": EventToll(12, None, None, [0], [0], 12, False)},
)
INFO = DocumentInfo("Strikes hit Saraqeb", "2020-02-07", "Example News", "ab" * 32, "https://example.org/a", "given")
REPORT = IncidentReport("doc-1", "Example News", "2020-02-07", "White Helmets", None, SPAN, 0, 0.9, "same place and day")

RECORDS = [
    SPAN,
    PERIOD,
    Period(),
    PLACE,
    Place("Syria", precision="country"),
    Candidate(1, "x"),
    ACTOR,
    FIGURE,
    Figure("displaced", mentions=[SPAN], background=True),
    EventToll(),
    EVENT,
    Event("Battles", "Armed clash"),
    INFO,
    Extraction("doc-1", INFO, [EVENT], [FIGURE]),
    Extraction("doc-2", DocumentInfo()),
    Document("doc-1", "ab" * 32, TEXT, "t", "2020-02-07", "p", "u", "/x.txt", "text", 2),
    REPORT,
    FigureSummary(15, 18, 19, 3),
    HistoryEntry("2020-02-08T00:00:00+00:00", "linked doc-2"),
    Incident("I1", "Explosions/Remote violence", "Air/drone strike", PERIOD, PLACE, [ACTOR], ["civilians"], 2,
             [REPORT], {"killed": FigureSummary(15, 18, 19, 3)}, [HistoryEntry("now", "created")]),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_round_trip(record: model.Record) -> None:
    as_json = record.to_json()
    again = type(record).from_json(as_json)
    assert again == record
    assert json.loads(again.to_json()) == json.loads(as_json)


def test_every_record_class_is_covered() -> None:
    classes = {
        obj for obj in vars(model).values()
        if isinstance(obj, type) and issubclass(obj, model.Record) and dataclasses.is_dataclass(obj)
    }
    assert classes <= {type(r) for r in RECORDS}, classes - {type(r) for r in RECORDS}


@pytest.mark.parametrize("record", [Extraction("d", DocumentInfo()), RECORDS[-1]], ids=["Extraction", "Incident"])
def test_schema_comes_first(record: model.Record) -> None:
    d = record.to_dict()
    assert list(d)[0] == "schema" and d["schema"] == "rasd/1"


def test_span_of_holds_the_text() -> None:
    assert SPAN.text == TEXT[SPAN.start : SPAN.end] == "At least 12 civilians were killed"
