"""Linking reports into incidents, over hand-built extractions of tests/data/incidents.

The extractions here are written by hand (what a perfect extractor would give
for each report) so that these tests check linking, not extraction quality.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rasd.link import blocking, rules
from rasd.link.estimates import Value, summarise
from rasd.link.linker import LinkDocument, Linker, MemoryIndex, link_documents
from rasd.link.sources import jaccard, signature
from rasd.model import Actor, DocumentInfo, Event, Extraction, Figure, Incident, Period, Place

DATA = Path(__file__).parent / "data" / "incidents" / "reports.jsonl"

# Coordinates are approximate; Saraqib's id is its GeoNames entry.
BALYUN = Place("Balyun", None, 35.676, 36.527, "Idlib", "SY", "point")
ARIHA = Place("Ariha", None, 35.8126, 36.6107, "Idlib", "SY", "point")
SARAQIB = Place("Saraqib", 164816, 35.86447, 36.80591, "Idlib", "SY", "point")
IDLIB_PROVINCE = Place("Idlib", None, 35.9, 36.6, "Idlib", "SY", "admin1")
ALEPPO = Place("Aleppo", 170063, 36.20124, 37.16117, "Aleppo", "SY", "point")

SYRIA = Actor("Military Forces of Syria", "actor1")
RUSSIA = Actor("Military Forces of Russia", "actor1")
TURKEY = Actor("Military Forces of Turkey", "actor2")
STRIKE = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"

# id -> (sub-event type, place, date, killed (low, best, high), attributed_to, actors)
EVENTS: dict[str, tuple[str, Place, str, tuple[int | None, int | None, int | None], str | None, list[Actor]]] = {
    "balyun-wire": (STRIKE, BALYUN, "2020-02-27", (22, None, None), "Hatay governor", [SYRIA, TURKEY]),
    "balyun-wire-courier": (STRIKE, BALYUN, "2020-02-27", (22, None, None), "Hatay governor", [SYRIA, TURKEY]),
    "balyun-wire-observer": (STRIKE, BALYUN, "2020-02-27", (22, None, None), "Hatay governor", [SYRIA, TURKEY]),
    "balyun-herald": (STRIKE, BALYUN, "2020-02-27", (33, 33, 33), "Rahmi Dogan", [SYRIA, TURKEY]),
    "balyun-monitor": (STRIKE, BALYUN, "2020-02-27", (34, None, None), "Syrian Observatory for Human Rights",
                       [SYRIA, TURKEY]),
    "ariha-dispatch-1": (STRIKE, ARIHA, "2020-01-30", (10, None, None), "White Helmets", []),
    "ariha-dispatch-2": (STRIKE, ARIHA, "2020-01-30", (12, 12, 12), "White Helmets", []),
    "ariha-tribune": (STRIKE, ARIHA, "2020-01-30", (13, 13, 13), "Syrian Observatory for Human Rights", [RUSSIA]),
    "saraqib-bulletin": (SHELLING, SARAQIB, "2020-01-30", (3, 3, 3), None, [SYRIA]),
}


def rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def extraction_of(row: dict[str, Any], like: str | None = None) -> Extraction:
    """The hand-made extraction of a report (of report ``like``'s event, when given)."""
    sub, place, day, (low, best, high), claim, actors = EVENTS[like or row["id"]]
    figure = Figure("killed", who="people", low=low, best=best, high=high, attributed_to=claim,
                    qualifier="exact" if best is not None else "at least")
    event = Event(rules.event_type_of(sub) or "", sub, main=True, date=Period(day, day, "day"), place=place,
                  actors=list(actors), targets=["civilians"] if "ariha" in row["id"] else [], figures=[0],
                  attributed_to=claim)
    info = DocumentInfo(title=row["title"], published=row["published"], publisher=row["publisher"])
    return Extraction(id=row["id"], document=info, events=[event], figures=[figure])


def fixture_documents() -> list[LinkDocument]:
    return [LinkDocument(id=r["id"], extraction=extraction_of(r), publisher=r["publisher"],
                         published=r["published"], text=r["text"]) for r in rows()]


def by_document(incidents: list[Incident], document: str) -> Incident:
    return next(i for i in incidents if document in {r.document for r in i.reports})


@pytest.fixture(scope="module")
def linked() -> list[Incident]:
    return link_documents(fixture_documents())


def test_three_incidents_and_the_nearby_strike_stays_apart(linked: list[Incident]) -> None:
    groups = sorted(sorted(r.document for r in i.reports) for i in linked)
    assert groups == [
        ["ariha-dispatch-1", "ariha-dispatch-2", "ariha-tribune"],
        ["balyun-herald", "balyun-monitor", "balyun-wire", "balyun-wire-courier", "balyun-wire-observer"],
        ["saraqib-bulletin"],
    ]


@pytest.mark.parametrize(
    ("document", "sources", "low", "best", "high", "n"),
    [
        # wire copy x3 = one source (22+), Herald 33, Observatory 34+: median of bests {33} -> 33
        ("balyun-wire", 3, 22, 33, 34, 3),
        # Dispatch's 10+ corrected to 12, Tribune 13
        ("ariha-dispatch-1", 2, 12, 12, 13, 2),
        ("saraqib-bulletin", 1, 3, 3, 3, 1),
    ],
)
def test_bounds_and_independent_sources(linked: list[Incident], document: str, sources: int, low: int,
                                        best: int, high: int, n: int) -> None:
    inc = by_document(linked, document)
    assert inc.independent_sources == sources
    killed = inc.figures["killed"]
    assert (killed.low, killed.best, killed.high, killed.sources) == (low, best, high, n)


def test_correction_supersedes_and_both_stay_in_history(linked: list[Incident]) -> None:
    inc = by_document(linked, "ariha-dispatch-2")
    changes = [h.change for h in inc.history]
    assert any("superseding" in c and "12" in c and "ariha-dispatch-1" in c for c in changes)
    assert "killed: none -> low 10, best None, high 10 (1 source)" in changes
    # the earlier report and its figure stay in the incident
    assert [r.document for r in inc.reports][:2] == ["ariha-dispatch-1", "ariha-dispatch-2"]


def test_every_link_keeps_score_and_reason(linked: list[Incident]) -> None:
    inc = by_document(linked, "balyun-herald")
    first, *others = inc.reports
    assert first.score is None and first.reason == "first report"
    for report in others:
        assert report.score is not None and report.score >= 0.6
        assert report.reason and "same day 2020-02-27" in report.reason


def test_best_rule_minimum_as_acled() -> None:
    inc = by_document(link_documents(fixture_documents(), best_rule="minimum"), "balyun-wire")
    assert inc.figures["killed"].best == 33  # the only sources with a best value: Herald (33)
    assert inc.figures["killed"].low == 22


def test_batches_give_the_same_incidents_as_one_run(linked: list[Incident]) -> None:
    docs = fixture_documents()
    linker = Linker()
    for doc in docs[:4]:
        linker.add(doc)
    linker.add_all(docs[4:])
    assert [i.to_dict() for i in linker.incidents()] == [i.to_dict() for i in linked]


def test_wire_copies_are_near_duplicates_and_other_stories_are_not() -> None:
    texts = {r["id"]: r["text"] for r in rows()}
    wire, courier, observer = (signature(texts[k]) for k in ("balyun-wire", "balyun-wire-courier",
                                                              "balyun-wire-observer"))
    assert jaccard(wire, courier) == 1.0
    assert jaccard(wire, observer) >= 0.8
    assert jaccard(wire, signature(texts["balyun-herald"])) < 0.3


def _event(sub: str = STRIKE, place: Place = ARIHA, start: str = "2020-01-30", end: str | None = None,
           precision: str = "day", actors: list[Actor] | None = None) -> Event:
    return Event(rules.event_type_of(sub) or "", sub, date=Period(start, end or start, precision), place=place,
                 actors=actors or [])


@pytest.mark.parametrize(
    ("a", "b", "linked_", "why"),
    [
        (_event(), _event(), True, "same place, same day"),
        (_event(), _event(start="2020-01-31"), True, "a day apart"),
        (_event(), _event(start="2020-02-01"), False, "two days apart: each may be a day off, not both"),
        (_event(), _event(start="2020-02-02"), False, "three days apart"),
        (_event(), _event(place=SARAQIB), False, "Ariha and Saraqib are 18 km apart"),
        (_event(), _event(place=ALEPPO), False, "different admin1"),
        (_event(place=BALYUN), _event(place=IDLIB_PROVINCE), True, "province contains the village"),
        (_event(), _event(sub=SHELLING), True, "strike reported as shelling"),
        (_event(), _event(sub="Peaceful protest"), False, "incompatible types"),
        (_event(actors=[SYRIA]), _event(actors=[RUSSIA]), False, "conflicting actor1"),
        (_event(actors=[SYRIA]), _event(actors=[SYRIA, TURKEY]), True, "shared actor"),
        (_event(), _event(start="2020-01-27", end="2020-02-02", precision="week"), True, "the week holds the day"),
        (_event(), _event(start="2020-01-01", end="2020-01-31", precision="month", place=IDLIB_PROVINCE),
         False, "province and month: too vague"),
    ],
)
def test_compare(a: Event, b: Event, linked_: bool, why: str) -> None:
    match = rules.compare(a, b)
    assert (match is not None and match.score >= 0.6) is linked_, why
    back = rules.compare(b, a)
    assert (back and back.score) == (match and match.score), "comparison is symmetric"


def test_shared_actor_scores_higher_than_unknown_actors() -> None:
    both = rules.compare(_event(actors=[SYRIA]), _event(actors=[SYRIA]))
    unknown = rules.compare(_event(), _event())
    assert both is not None and unknown is not None and both.score > unknown.score


def test_blocking_finds_neighbours_only() -> None:
    index = MemoryIndex()
    linker = Linker(index)
    linker.add_all(fixture_documents())
    near = index.candidates(blocking.query_keys(_event(place=ARIHA)))
    assert {s.record.place.name for s in near if s.record and s.record.place} >= {"Ariha", "Saraqib"}
    far_week = index.candidates(blocking.query_keys(_event(start="2020-06-01")))
    far_place = index.candidates(blocking.query_keys(_event(place=Place("Daraa", 170592, 32.6189, 36.10213,
                                                                        "Daraa", "SY", "point"))))
    assert far_week == [] and far_place == []


def _doc(id_: str, events: list[Event], figures: list[Figure], publisher: str = "P") -> LinkDocument:
    ex = Extraction(id=id_, document=DocumentInfo(published="2020-01-31", publisher=publisher), events=events,
                    figures=figures)
    return LinkDocument(id=id_, extraction=ex, publisher=publisher, published="2020-01-31", text=id_)


def test_aggregates_never_become_incidents() -> None:
    agg = Figure("attacks", low=6600, aggregate=True)
    month = Event("Explosions/Remote violence", STRIKE, date=Period("2020-01-01", "2020-01-31", "month"),
                  place=IDLIB_PROVINCE, figures=[0])
    assert link_documents([_doc("stats", [month], [agg])]) == []
    # an aggregate figure bound to a real event is kept out of the incident's figures
    event = _event(place=ARIHA)
    event.figures = [0, 1]
    incs = link_documents([_doc("mixed", [event], [agg, Figure("killed", low=4, best=4, high=4)])])
    assert list(incs[0].figures) == ["killed"]


def test_one_document_two_readings_of_one_event_count_once() -> None:
    shelling, attack = _event(sub=SHELLING, place=SARAQIB), _event(sub="Attack", place=SARAQIB)
    shelling.figures = attack.figures = [0]
    incs = link_documents([_doc("one", [shelling, attack], [Figure("killed", low=3, best=3, high=3)])])
    assert len(incs) == 1 and len(incs[0].reports) == 1


def test_one_document_two_places_are_two_incidents() -> None:
    incs = link_documents([_doc("one", [_event(place=ARIHA), _event(place=SARAQIB)], [])])
    assert len(incs) == 2


def test_undated_event_falls_back_to_the_week_before_publication() -> None:
    event = _event()
    event.date = None
    incs = link_documents([_doc("undated", [event], []), _doc("dated", [_event()], [], publisher="Q")])
    assert len(incs) == 1 and incs[0].date is not None and incs[0].date.precision == "day"


@pytest.mark.parametrize(
    ("values", "rule", "expected"),
    [
        ([Value(10, 10, 10), Value(12, 12, 12), Value(20, 20, 20)], "median", (10, 12, 20, 3)),
        ([Value(10, 10, 10), Value(12, 12, 12)], "median", (10, 10, 12, 2)),  # lower middle: a value given
        ([Value(10, 10, 10), Value(12, 12, 12), Value(20, 20, 20)], "minimum", (10, 10, 20, 3)),
        ([Value(200, None, 999), Value(300, 300, 300)], "median", (200, 300, 999, 2)),  # "hundreds"
        ([Value(6600, None, None)], "median", (6600, None, 6600, 1)),  # "more than 6,600"
    ],
)
def test_summarise(values: list[Value], rule: str, expected: tuple[Any, ...]) -> None:
    s = summarise(values, rule)
    assert (s.low, s.best, s.high, s.sources) == expected


@pytest.mark.parametrize(
    ("low", "best", "high", "text"),
    [
        (12, 12, 12, "12"),
        (10, 12, 14, "12 (10-14)"),
        (10, None, None, ">=10"),
        (None, None, 30, "<=30"),
        (24, None, 99, "24-99"),
        (None, 7, None, "7"),
        (None, None, None, ""),
    ],
)
def test_incident_bounds_read_as_an_analyst_reads_them(low: int | None, best: int | None, high: int | None, text: str) -> None:
    from rasd.link.export import bounds_text

    assert bounds_text(low, best, high) == text


# -- date is evidence, not a gate; the main event first; merges (issue 14) -------------------------

QAMISHLI = Place("Qamishli", 173576, 37.05215, 41.23142, "Al-Hasakah", "SY", "point")
STORY = ("A Turkish drone struck a car near the village of Tal Shamiran west of Qamishli, killing "
         "Ahmad Khalil and his brother Hassan Khalil, members of the Asayish, local sources said.")
OTHER_STORY = ("Turkish artillery shelled farmland around Derbasiyah in the countryside of Hasakah; "
               "no casualties were reported by the Kurdish-led administration.")


def _undated_doc(id_: str, text: str, killed: int | None, place: Place = QAMISHLI, main: bool = True,
                 date: Period | None = None) -> LinkDocument:
    figures = [Figure("killed", low=killed, best=killed, high=killed)] if killed is not None else []
    event = Event(rules.event_type_of(STRIKE) or "", STRIKE, main=main, date=date, place=place,
                  actors=[Actor("Military Forces of Turkey", "actor1")], figures=[0] if figures else [])
    ex = Extraction(id=id_, document=DocumentInfo(), events=[event], figures=figures)
    return LinkDocument(id=id_, extraction=ex, text=text)


def test_undated_reports_of_one_strike_link_and_another_strike_there_stays_apart() -> None:
    docs = [_undated_doc("a", STORY, 2), _undated_doc("b", "Local sources said " + STORY.lower(), 2),
            _undated_doc("c", OTHER_STORY, None)]
    incs = link_documents(docs)
    groups = sorted(sorted(r.document for r in i.reports) for i in incs)
    assert groups == [["a", "b"], ["c"]]
    linked_ = by_document(incs, "b")
    assert linked_.reports[1].reason and linked_.reports[1].reason.startswith("undated:")
    assert linked_.date is None  # nobody states a date


def test_dated_and_undated_reports_meet_and_the_date_comes_from_the_dated_one() -> None:
    day = Period("2022-08-10", "2022-08-10", "day", basis="text")
    incs = link_documents([_undated_doc("a", STORY, 2), _undated_doc("b", STORY + " On 10 August.", 2, date=day)])
    assert len(incs) == 1 and incs[0].date is not None
    assert (incs[0].date.start, incs[0].date.precision) == ("2022-08-10", "day")


def test_background_events_join_but_never_start_an_incident() -> None:
    capture = Event("Battles", "Government regains territory", main=False,
                    date=Period("2018-01-01", "2018-01-31", "month", basis="text"), place=SARAQIB)
    strike = _event(place=ARIHA)
    strike.main = True
    doc = _doc("bg", [capture, strike], [])
    incs = link_documents([doc])
    assert [(i.sub_event_type, i.reports[0].event) for i in incs] == [(STRIKE, 1)]
    news = _event(place=SARAQIB, start="2020-01-29")  # the day before the main event: news
    incs = link_documents([_doc("news", [strike, news], [])])
    assert len(incs) == 2


def test_an_undated_main_event_dated_only_by_a_year_still_links() -> None:
    doc = _undated_doc("y", STORY, 2, date=Period("2019-01-01", "2019-12-31", "year", basis="text"))
    assert len(link_documents([doc])) == 1


def test_a_report_that_matches_two_incidents_merges_them_and_history_names_it() -> None:
    linker = Linker(threshold=0.6)
    linker.add(_undated_doc("a", STORY, 2))
    linker.add(_undated_doc("b", OTHER_STORY + " " + OTHER_STORY, None, place=QAMISHLI))
    assert len(linker.incidents()) == 2
    both = _undated_doc("c", STORY + " " + OTHER_STORY + " " + OTHER_STORY, 2)
    state_a = linker.index.incidents[1]  # type: ignore[attr-defined]
    state_b = linker.index.incidents[2]  # type: ignore[attr-defined]
    kept = linker.merge_incidents(state_a, state_b, f"{both.id} matches both", "2022-08-11")
    assert kept.number == 1 and [i.id for i in linker.incidents()] == ["I1"]
    changes = [h.change for h in linker.incidents()[0].history]
    assert any(c.startswith("I2 merged in (1 reports): c matches both") for c in changes)


def test_undated_blocking_stays_flat() -> None:
    """An undated report is compared with at most link_recent incidents at its place, however many there are."""
    index = MemoryIndex()
    linker = Linker(index, threshold=2.0)  # never links: every report starts an incident
    for n in range(200):
        linker.add(_undated_doc(f"d{n}", f"report number {n} " * 3, None))
    found = index.recent(blocking.recent_keys(_undated_doc("x", "x", None).extraction.events[0]), linker.recent)
    assert len(index.incidents) == 200 and len(found) == linker.recent


def test_an_undated_report_naming_the_day_meets_the_dated_incident_of_that_day_past_the_recent_ones() -> None:
    """Day keys: the report is found by the day its text names even when its place has had link_recent newer
    incidents; a report naming another day, or none, is not found that way."""
    index = MemoryIndex()
    linker = Linker(index, threshold=2.0)  # never links: every report starts an incident
    day = Period("2022-08-18", "2022-08-18", "day", basis="text")
    linker.add(_undated_doc("dated", STORY, 2, date=day))
    for n in range(linker.recent + 5):
        linker.add(_undated_doc(f"d{n}", f"report number {n} " * 3, None))
    event = _undated_doc("x", "x", None).extraction.events[0]
    recent = {s.number for s in index.recent(blocking.recent_keys(event), linker.recent)}
    assert 1 not in recent  # the dated incident is older than the latest link_recent ones
    found = {s.number for s in index.recent(blocking.day_keys(event, ["--08-18", "-W-4"]), linker.recent)}
    assert found == {1}
    assert not index.recent(blocking.day_keys(event, ["2022-08-21"]), linker.recent)  # beyond its day either side
    assert blocking.day_keys(event, ["-W-4"]) == set()
    assert "--08-17" in blocking.days(Event("", STRIKE, date=day))  # a day's tolerance either side
    month = Period("2022-08-01", "2022-08-31", "month", basis="text")
    assert blocking.days(Event("", STRIKE, date=month), ["--08-18"]) == {"--08-18"}  # too loose: named days


def test_link_scores_pairwise_and_bcubed() -> None:
    from rasd.link.score import score_groups

    gold = {"a": "X", "b": "X", "c": "X", "d": "Y"}
    pred = {"a": "I1", "b": "I1", "c": "I2", "d": "I2"}
    n_gold, n_pred, n_ok, bp, br = score_groups(pred, gold)
    assert (n_gold, n_pred, n_ok) == (3, 2, 1)
    assert bp == pytest.approx((1 + 1 + 0.5 + 0.5) / 4) and br == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


@pytest.mark.slow
@pytest.mark.shared
def test_airwars_linking_holds_its_floors(shared: Path) -> None:
    """The linking scores on the dev Airwars file (ingested without publication dates) hold their pinned floors."""
    from rasd.link.score import evaluate_links

    pinned = json.loads((Path(__file__).parent / "eval_baseline.json").read_text(encoding="utf-8"))
    floors = pinned.get("links", {}).get("airwars_links")
    path = shared / "data" / "airwars_syria_2021_2022_excl_idlib.jsonl"
    if floors is None or not path.exists():
        pytest.skip("no linking floors pinned, or the dev file is absent")
    result = evaluate_links(path)
    scores = result.scores()
    drops = [f"{k}: {v} -> {scores[k]}" for k, v in floors["scores"].items() if scores[k] < v - pinned["tolerance"]]
    assert not drops, "linking scores dropped: " + "; ".join(drops)
    assert result.placed_in_incident == result.placed, "every document with a placed main event is in an incident"


def test_the_incident_date_comes_from_a_report_that_states_it_over_one_dated_by_publication() -> None:
    by_publication = _event()
    by_publication.date = None  # falls back to the week before publication (2020-01-25..31)
    stated = _event(start="2020-01-30", precision="week", end="2020-01-30")
    stated.date = Period("2020-01-27", "2020-02-02", "week", basis="text")
    incs = link_documents([_doc("pub", [by_publication], []), _doc("text", [stated], [], publisher="Q")])
    assert len(incs) == 1 and incs[0].date is not None
    assert (incs[0].date.start, incs[0].date.basis) == ("2020-01-27", "text")


def test_named_days_agree_or_differ() -> None:
    from rasd.link.evidence import day_agreement

    assert day_agreement(frozenset({"--08-18"}), frozenset({"2022-08-18", "--09-01"})) == (1.0, 0.0, 0.0, 0.0)
    assert day_agreement(frozenset({"--08-18"}), frozenset({"--08-25"})) == (0.0, 1.0, 0.0, 0.0)
    # 18 August 2022 was a Thursday: a report that says "on Thursday" agrees, one that says "on Sunday" does not
    assert day_agreement(frozenset({"2022-08-18"}), frozenset({"-W-4"})) == (0.0, 0.0, 1.0, 0.0)
    assert day_agreement(frozenset({"2022-08-18"}), frozenset({"-W-7"})) == (0.0, 0.0, 0.0, 1.0)
    assert day_agreement(frozenset(), frozenset({"-W-7"})) == (0.0, 0.0, 0.0, 0.0)


def _named(doc: LinkDocument, *days: str) -> LinkDocument:
    doc.extraction.document.days = list(days)
    return doc


def test_the_days_two_reports_name_weigh_for_or_against_one_incident() -> None:
    """With the fitted weights: the same day named counts for a link, different days against."""
    from rasd.link.evidence import undated_match

    def score(days_a: tuple[str, ...], days_b: tuple[str, ...]) -> float:
        linker = Linker(threshold=2.0)  # never links: the two reports are only scored
        a = _named(_undated_doc("a", STORY, 2), *days_a)
        b = _named(_undated_doc("b", OTHER_STORY, 2), *days_b)
        linker.add(a)
        linker.add(b)
        ra, rb = (s.reports[0] for s in linker.index.incidents.values())  # type: ignore[attr-defined]
        match = undated_match(ra, rb, linker._idf(set(ra.terms) | set(rb.terms) | ra.names | rb.names))
        assert match is not None
        return match.score

    same, none, other = score(("--08-18",), ("--08-18",)), score((), ()), score(("--08-18",), ("--08-25",))
    assert same > none > other
    assert score(("-W-2",), ("-W-2",)) > none > score(("-W-2",), ("-W-5",))


def test_one_name_read_as_an_area_is_not_one_spot() -> None:
    """"The countryside of Saraqib" in two reports says both lie in its rural land, not at one spot: the same
    GeoNames entry scores 1.0 only when both name the town itself."""
    countryside = Place("Saraqib", 164816, 35.86447, 36.80591, "Idlib", "SY", "admin2")
    town = rules.place_score(SARAQIB, SARAQIB)
    area = rules.place_score(countryside, countryside)
    town_and_area = rules.place_score(SARAQIB, countryside)
    assert town is not None and town[0] == 1.0
    assert area is not None and area[0] == rules.CONTAINS["admin2"] < 1.0
    assert town_and_area is not None and town_and_area[0] == rules.CONTAINS["admin2"]
    province = Place("Idlib", 169389, 35.9, 36.6, "Idlib", "SY", "admin1")
    both = rules.place_score(province, province)
    assert both is not None and both[0] == rules.CONTAINS["admin1"]
