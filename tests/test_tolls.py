"""The toll of the main incident: which figure answers "civilians killed here" (rasd.extract.tolls)."""

from __future__ import annotations

from typing import Any

import pytest

from rasd.extract import tolls
from rasd.model import DocumentInfo, Event, Extraction, Figure, Span


def _doc(sentences: list[tuple[str, list[tuple[str, str, str | None, dict[str, Any]]]]]) -> Extraction:
    """Sentences, each with figures (number text, kind, who, extra fields); offsets computed from the text."""
    text, figs, pos = "", [], 0
    for sentence, items in sentences:
        start = len(text)
        text += sentence + " "
        cursor = 0
        for number, kind, who, extra in items:
            i = sentence.index(number, cursor)
            cursor = i + len(number)
            n = int(extra.pop("value")) if "value" in extra else int(number) if number.isdigit() else 1
            figs.append(Figure(
                kind=kind, who=who, low=n, best=n, high=n,
                evidence=Span(start + i, start + i + len(number), number),
                number=Span(start + i, start + i + len(number), number),
                sentence=Span(start, start + len(sentence), sentence),
                **extra,
            ))
        pos = start
    del pos
    return Extraction(id="t", document=DocumentInfo(), figures=figs)


VICTIMS = [
    (None, tolls.UNKNOWN),
    ("civilians", tolls.CIVILIAN),
    ("people", tolls.CIVILIAN),
    ("persons", tolls.CIVILIAN),
    ("residents", tolls.CIVILIAN),
    ("family members", tolls.CIVILIAN),
    ("children", tolls.CIVILIAN),
    ("women", tolls.CIVILIAN),
    ("fighters", tolls.COMBATANT),
    ("soldiers", tolls.COMBATANT),
    ("isis members", tolls.COMBATANT),
    ("military personnel", tolls.COMBATANT),
    ("mercenaries", tolls.COMBATANT),
    ("police", tolls.COMBATANT),
    ("medical facilities", tolls.UNKNOWN),
]


@pytest.mark.parametrize("who,expected", VICTIMS, ids=[str(w) for w, _ in VICTIMS])
def test_victim_class(who: str | None, expected: str) -> None:
    assert tolls.victim_class(who) == expected


# (sentences with figures, kind, civilians, expected toll)
CASES = [
    ("people count as civilians",
     [("22 people were killed.", [("22", "killed", "people", {})])], "killed", True, 22),
    ("fighters are no civilians",
     [("Strikes killed 4 fighters.", [("4", "killed", "fighters", {})])], "killed", True, None),
    ("fighters count for everyone killed",
     [("Strikes killed 4 fighters.", [("4", "killed", "fighters", {})])], "killed", False, 4),
    ("a part after 'including' is not added",
     [("Strikes killed 42 people including 7 children.", [("42", "killed", "people", {}), ("7", "killed", "children", {})])],
     "killed", True, 42),
    ("a part before 'among' is not added",
     [("10 children were among 48 people killed.", [("10", "killed", "children", {}), ("48", "killed", "people", {})])],
     "killed", True, 48),
    ("'of them' after the number marks a part",
     [("Fire killed 12 people 8 of them children.", [("12", "killed", "people", {}), ("8", "killed", None, {})])],
     "killed", True, 12),
    ("named civilians outrank people in one sentence",
     [("6 civilians were among 22 people killed.", [("6", "killed", "civilians", {}), ("22", "killed", "people", {})])],
     "killed", True, 6),
    ("separate groups add up",
     [("Strikes kill 10 children 5 women.", [("10", "killed", "children", {}), ("5", "killed", "women", {})])],
     "killed", True, 15),
    ("an article and a number add up",
     [("The bomb killed a colonel and 4 soldiers.", [("a", "killed", "colonel", {}), ("4", "killed", "soldiers", {})])],
     "killed", False, 5),
    ("two articles add up",
     [("An officer and a conscript were killed.", [("An", "killed", "officers", {}), ("a", "killed", "conscript", {})])],
     "killed", False, 2),
    ("a total with its parts counts once",
     [("21 people: 12 soldiers and 9 civilians, were killed.",
       [("21", "killed", "people", {}), ("12", "killed", "soldiers", {}), ("9", "killed", "civilians", {})])],
     "killed", False, 21),
    ("a repeated number counts once (fused headline)",
     [("Raids kill 42 AFP Raids killed 42 people.", [("42", "killed", None, {}), ("42", "killed", "people", {})])],
     "killed", True, 42),
    ("the fighters of a mixed sentence are left out",
     [("12 soldiers and 9 civilians were killed.", [("12", "killed", "soldiers", {}), ("9", "killed", "civilians", {})])],
     "killed", True, 9),
    ("the lead answers, not a later incident",
     [("Strikes killed 6 people.", [("6", "killed", "people", {})]),
      ("Elsewhere 11 people were killed.", [("11", "killed", "people", {})])], "killed", True, 6),
    ("an aggregate never answers when an incident figure exists",
     [("230000 people have been killed since 2011.", [("230000", "killed", "people", {"aggregate": True})]),
      ("Strikes killed 6 people.", [("6", "killed", "people", {})])], "killed", True, 6),
    ("a corrected toll takes over when larger",
     [("Strikes killed 8 people.", [("8", "killed", "people", {})]),
      ("The death toll rose to 12.", [("12", "killed", None, {})])], "killed", True, 12),
    ("a figure that supersedes takes over",
     [("Strikes killed 8 people.", [("8", "killed", "people", {})]),
      ("Medics now count 12 dead.", [("12", "killed", None, {"supersedes": 0})])], "killed", True, 12),
    ("a smaller 'update' does not lower the toll",
     [("Strikes killed 8 people.", [("8", "killed", "people", {})]),
      ("The toll rose to 5 in the second village.", [("5", "killed", None, {})])], "killed", True, 8),
    ("injured is its own kind",
     [("Shelling killed 3 people and wounded 30 others.", [("3", "killed", "people", {}), ("30", "injured", "people", {})])],
     "injured", True, 30),
    ("a breakdown that adds up gives the civilians' part",
     [("At least 9 people were killed in the assault.", [("9", "killed", "people", {})]),
      ("The monitor said 4 civilians had been killed.", [("4", "killed", "civilians", {})]),
      ("Another 5 rebel fighters were killed.", [("5", "killed", "fighters", {})])], "killed", True, 4),
    ("the same breakdown in one sentence",
     [("A bomber killed 4 people.", [("4", "killed", "people", {})]),
      ("2 women and 2 soldiers were killed.", [("2", "killed", "women", {}), ("2", "killed", "soldiers", {})])],
     "killed", True, 2),
    ("parts that do not add up leave the toll",
     [("At least 9 people were killed.", [("9", "killed", "people", {})]),
      ("4 civilians were killed.", [("4", "killed", "civilians", {})]),
      ("3 fighters were killed.", [("3", "killed", "fighters", {})])], "killed", True, 9),
    ("a breakdown is not sought for everyone killed",
     [("At least 9 people were killed.", [("9", "killed", "people", {})]),
      ("4 civilians were killed.", [("4", "killed", "civilians", {})]),
      ("5 fighters were killed.", [("5", "killed", "fighters", {})])], "killed", False, 9),
    ("both sides counted in consecutive sentences add up for everyone killed",
     [("30 soldiers killed.", [("30", "killed", "soldiers", {})]),
      ("4 rebels killed, 11 injured.", [("4", "killed", "rebels", {}), ("11", "injured", "rebels", {})])], "killed", False, 34),
    ("the same side in the next sentence does not add",
     [("30 soldiers killed.", [("30", "killed", "soldiers", {})]),
      ("4 policemen killed.", [("4", "killed", "policemen", {})])], "killed", False, 30),
    ("the other side two sentences on does not add",
     [("30 soldiers killed.", [("30", "killed", "soldiers", {})]),
      ("Elsewhere 5 people died.", [("5", "killed", "people", {})]),
      ("4 rebels killed.", [("4", "killed", "rebels", {})])], "killed", False, 30),
    ("households do not add to persons",
     [("48 people were killed when troops executed 6 families.", [("48", "killed", "people", {}), ("6", "killed", "families", {})])],
     "killed", True, 48),
    ("an earlier killing recalled as the cause is no toll",
     [("After 3 traders were killed residents lynched a soldier.", [("3", "killed", "traders", {"background": True}), ("a", "killed", "soldier", {})])],
     "killed", False, 1),
    ("animals are no toll",
     [("A person was killed and 800 cattle.", [("A", "killed", "people", {}), ("800", "killed", "cattle", {})])],
     "killed", False, 1),
    ("nothing of that kind: None",
     [("Shelling wounded 30 people.", [("30", "injured", "people", {})])], "killed", True, None),
]


@pytest.mark.parametrize("name,sentences,kind,civilians,expected", CASES, ids=[c[0] for c in CASES])
def test_main_toll(name: str, sentences: Any, kind: str, civilians: bool, expected: int | None) -> None:
    assert tolls.toll_value(_doc(sentences), kind, civilians) == expected


def test_aggregate_main_event_figure_is_a_last_resort() -> None:
    ex = _doc([("In January 4 militants were killed.", [("4", "killed", "fighters", {"aggregate": True})])])
    assert tolls.toll_value(ex, "killed", civilians=False) is None
    ex.events = [Event("Battles", "Armed clash", main=True, figures=[0])]
    assert tolls.toll_value(ex, "killed", civilians=False) == 4


def test_updated_flag_and_figures() -> None:
    ex = _doc([("Strikes killed 8 people.", [("8", "killed", "people", {})]),
               ("The toll rose to 12.", [("12", "killed", None, {})])])
    got = tolls.main_toll(ex, "killed")
    assert got is not None and got.updated and got.value == 12 and got.figures[0].best == 12


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Air strikes hit Douma on Monday, killing 22 people including six children and four women.", 22),
        ("An air strike hit a hospital in Derna on Sunday, killing four people including a woman and her child and two fighters.", 4),
        ("Air strikes killed 10 children and 5 women in Douma on Monday.", 15),
    ],
)
def test_the_parts_listed_after_including_are_not_added(sentence: str, expected: int) -> None:
    from rasd.extract import pipeline

    ex = pipeline.extract_text(sentence, published="2020-01-10")
    assert tolls.toll_value(ex, "killed", civilians=False) == expected


def test_an_appositive_part_is_not_added() -> None:
    from rasd.extract import pipeline

    ex = pipeline.extract_text("Two Egyptian soldiers, one an officer, were killed by an explosion in Sheikh Zuweid.", published="2016-01-10")
    assert tolls.toll_value(ex, "killed", civilians=False) == 2


# -- the main event's toll per kind (Event.tolls) ------------------------------------------------------------------


def _with_main(ex: Extraction) -> Extraction:
    ex.events = [Event("Violence against civilians", "Attack", main=True, figures=list(range(len(ex.figures))))]
    return tolls.attach_tolls(ex)


def test_a_headline_a_lead_and_a_quote_are_one_count() -> None:
    ex = _with_main(_doc([
        ("Gunmen kill 11 in Kismayo.", [("11", "killed", None, {})]),
        ("At least 11 civilians were killed on Monday.", [("11", "killed", "civilians", {})]),
        ("'11 people were killed,' a police officer said.", [("11", "killed", "people", {})]),
    ]))
    got = ex.events[0].tolls["killed"]
    assert (got.low, got.best, got.high) == (11, 11, 11)
    assert got.figures == [0]
    assert got.mentions == [0, 1, 2]


def test_separate_groups_are_each_a_count_and_civilians_are_told_apart() -> None:
    ex = _with_main(_doc([("12 soldiers and 9 civilians were killed.", [("12", "killed", "soldiers", {}), ("9", "killed", "civilians", {})])]))
    got = ex.events[0].tolls["killed"]
    assert got.best == 21 and got.figures == [0, 1] and got.civilians == 9


def test_a_part_is_no_count_and_an_aggregate_no_mention() -> None:
    ex = _with_main(_doc([
        ("Strikes killed 42 people including 7 children.", [("42", "killed", "people", {}), ("7", "killed", "children", {})]),
        ("42 people have been killed there since January.", [("42", "killed", "people", {"aggregate": True})]),
        ("More than 3000 people have been killed since 2011.", [("3000", "killed", "people", {"aggregate": True})]),
    ]))
    got = ex.events[0].tolls["killed"]
    assert got.best == 42 and got.figures == [0] and got.mentions == [0]
    assert got.civilians is None  # "people" does not say who they were


def test_a_corrected_toll_is_the_count_and_the_first_stays_a_mention() -> None:
    ex = _with_main(_doc([
        ("Strikes killed 8 people.", [("8", "killed", "people", {})]),
        ("The death toll rose to 12.", [("12", "killed", None, {"supersedes": 0})]),
    ]))
    got = ex.events[0].tolls["killed"]
    assert got.best == 12 and got.updated and got.figures == [1] and got.mentions == [0, 1]


def test_kinds_without_a_figure_have_no_toll_and_the_field_round_trips() -> None:
    ex = _with_main(_doc([("Shelling wounded 30 people.", [("30", "injured", "people", {})])]))
    assert set(ex.events[0].tolls) == {"injured"}
    again = Event.from_dict(ex.events[0].to_dict())
    assert again == ex.events[0] and again.tolls["injured"].best == 30


def test_only_the_main_event_states_a_toll() -> None:
    ex = _doc([("Strikes killed 8 people.", [("8", "killed", "people", {})])])
    ex.events = [Event("Battles", "Armed clash", figures=[0]), Event("Violence against civilians", "Attack", main=True)]
    tolls.attach_tolls(ex)
    assert ex.events[0].tolls == {} and ex.events[1].tolls["killed"].best == 8


def test_an_update_sentence_that_restates_the_old_toll_does_not_add_it() -> None:
    # "has risen to 42 dead including 7 children ... which had given a toll of 17": 42, not 42 + 17
    ex = _with_main(_doc([
        ("Air raids killed 42 people including 7 children.", [("42", "killed", "people", {}), ("7", "killed", "children", {})]),
        ("The toll has risen to 42 dead including 7 children, said the group, which had given a toll of 17.",
         [("42", "killed", None, {}), ("7", "killed", "children", {}), ("17", "killed", None, {})]),
    ]))
    assert tolls.toll_value(ex, "killed") == 42
    # and a larger corrected count still replaces the first
    ex = _with_main(_doc([
        ("Air raids killed 17 people.", [("17", "killed", "people", {})]),
        ("The toll has risen to 42, said the group, which had given a toll of 17.", [("42", "killed", None, {}), ("17", "killed", None, {})]),
    ]))
    assert tolls.toll_value(ex, "killed") == 42


def test_parts_of_a_total_are_on_its_side() -> None:
    # "200 government forces killed, including a colonel, and two lieutenants. 1 rebel reportedly killed.": 201
    ex = _with_main(_doc([
        ("200 soldiers killed, including a colonel, and 2 officers.",
         [("200", "killed", "soldiers", {}), ("a", "killed", "colonel", {}), ("2", "killed", "officers", {})]),
        ("1 rebel reportedly killed.", [("1", "killed", "rebel", {})]),
    ]))
    assert tolls.toll_value(ex, "killed", civilians=False) == 201
    assert {id(f) for f in ex.figures[1:3]} <= tolls.parts(ex.figures)
