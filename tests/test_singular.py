"""A singular person with no number counts one (rasd.extract.singular), and the verbs of harm that say so."""

from __future__ import annotations

import pytest

from rasd.extract import pipeline, tolls


def _killed(sentence: str) -> list[tuple[str | None, int | None]]:
    ex = pipeline.extract_text(sentence, published="2016-04-10")
    return [(f.who, f.best) for f in ex.figures if f.kind == "killed"]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Al Shabaab attacks a khat transport vehicle near Belet Xaawo, killing the driver.", [("driver", 1)]),
        ("Gunmen ambushed an army officer, killing his guard.", [("guard", 1)]),
        ("FDLR rebels attacked a vehicle, killing its driver.", [("driver", 1)]),
        ("Unidentified gunmen attacked the home of the head of the agency in Kisima, killing him.", [(None, 1)]),
        ("A suspected thief was beaten to death by members of his own family in Bangui.", [("thief", 1)]),
        ("Rioters burnt to death 2 Zambian civilians in Kanyama.", [("civilians", 2)]),
        ("A body is found near Mpimba prison on 14 Dec after clashes.", [(None, 1)]),
        ("Suspected attacker shot dead by police before throwing a grenade.", [("attacker", 1)]),
        ("Two suicide bombers killed themselves in an attempted attack.", [("suicide bombers", 2)]),
    ],
)
def test_one_person_or_the_subject_of_a_reflexive_is_a_count(sentence: str, expected: list[tuple[str | None, int]]) -> None:
    assert _killed(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The driver said the road was closed.", 0),  # a person, but no harm
        ("Gunmen killed a man and dumped the body in a river.", 1),  # the body is the man already counted
        ("His body was found in a ravine on Monday.", 0),  # one already told
        ("Police beat the protesters and burned their tents.", 0),  # beaten, not beaten to death
    ],
)
def test_no_new_person_killed(sentence: str, expected: int) -> None:
    assert sum(v or 0 for _, v in _killed(sentence)) == expected


def test_a_person_before_the_killing_of_another_counts_once_each() -> None:
    ex = pipeline.extract_text("Gunmen killed a lieutenant-colonel and his driver in Bujumbura.", published="2016-04-10")
    assert tolls.toll_value(ex, "killed", civilians=False) == 2


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the number is the subject of its predicate, whatever the entity recogniser calls it
        ("Military forces and Boko Haram clash in Marte, 21 reported dead.", [(None, 21)]),
        ("Eighteen are dead following a large explosion targeting a bank.", [(None, 18)]),
        # the adjective right after the number is its predicate
        ("Three dead and two injured in clashes between farmers and herders.", [(None, 3)]),
        ("Military forces encounter Boko Haram on 21/04. Eight Boko Haram dead.", [("people", 8)]),
    ],
)
def test_headline_predicates_of_a_number(sentence: str, expected: list[tuple[str | None, int]]) -> None:
    assert _killed(sentence) == expected


def test_a_date_that_is_no_subject_stays_a_date() -> None:
    assert _killed("On 21 March gunmen killed a farmer in Marte.") == [("farmer", 1)]
