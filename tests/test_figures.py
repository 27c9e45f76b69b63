"""Figures: numbers, qualifiers, bounds, and kind/who from the grammar (one sentence each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rasd.extract import figures, numbers, pipeline
from rasd.extract.context import Context, Sentence
from rasd.model import Figure


@pytest.fixture(scope="session")
def nlp() -> Any:
    from rasd import nlp as rasd_nlp

    return rasd_nlp.parser()


def _figures(nlp: Any, text: str) -> list[Figure]:
    ctx = Context(text=text, published=dt.date(2020, 2, 7))
    ctx.sentences = [Sentence(0, len(text), 0, doc=nlp(text))]
    found = figures.find_figures(ctx)
    assert len(ctx.notes["figures"]) == len(found)
    return found


# phrase -> (low, best, high, qualifier); approx_margin 0.1
NUMBERS = [
    ("more than 6,600 attacks", (6600, None, None, "more than")),
    ("over 6.600 attacks", (6600, None, None, "more than")),
    ("about 110,000 people", (99000, 110000, 121000, "approximate")),
    ("around 110 000 people", (99000, 110000, 121000, "approximate")),
    ("roughly 1.5 million people", (1350000, 1500000, 1650000, "approximate")),
    ("an estimated 2 million", (1800000, 2000000, 2200000, "approximate")),
    ("some 300 families", (270, 300, 330, "approximate")),
    ("hundreds of people", (200, None, 999, "vague")),
    ("dozens of people", (24, None, 99, "vague")),
    ("scores of people", (40, None, 99, "vague")),
    ("tens of thousands of people", (20000, None, 99999, "vague")),
    ("hundreds of thousands of people", (200000, None, 999999, "vague")),
    ("half a million people", (450000, 500000, 550000, "approximate")),
    ("a dozen people", (11, 12, 13, "approximate")),
    ("at least 22 people", (22, None, None, "at least")),
    ("at least a dozen people", (12, None, None, "at least")),
    ("nearly 50 people", (45, 50, 50, "approximate")),
    ("almost 50 people", (45, 50, 50, "approximate")),
    ("up to 12 people", (None, None, 12, "at most")),
    ("fewer than 10 people", (None, None, 10, "fewer than")),
    ("less than 10 people", (None, None, 10, "fewer than")),
    ("between 10 and 15 people", (10, None, 15, "range")),
    ("10-15 people", (10, None, 15, "range")),
    ("10 to 15 people", (10, None, 15, "range")),
    ("two or three people", (2, None, 3, "range")),
    ("twelve people", (12, 12, 12, "exact")),
    ("twenty-two people", (22, 22, 22, "exact")),
    ("two hundred people", (200, 200, 200, "exact")),
    ("two hundred and fifty people", (250, 250, 250, "exact")),
    ("two dozen people", (24, 24, 24, "exact")),
    ("230000 people", (230000, 230000, 230000, "exact")),
]


@pytest.mark.parametrize("phrase,expected", NUMBERS, ids=[p for p, _ in NUMBERS])
def test_number_bounds(phrase: str, expected: tuple[Any, ...]) -> None:
    found = numbers.find_numbers(phrase)
    assert len(found) == 1
    n = found[0]
    assert (n.low, n.best, n.high, n.qualifier) == expected


NOT_NUMBERS = [
    "a 12-year-old boy",
    "aged 40",
    "on May 17, 2018",
    "17 May",
    "World War II",
    "Resolution 2254",
    "10 km from the border",
    "50% of the houses",
    "5 percent",
    "$5 million",
    "at 10:30",
    "the 17th Division",
    "since 2011",
    "the 2011-2015 war",
    "COVID-19",
    "6-09-2013",
    "on 29/04/2014",
    "2014.04.29",
    "on 30/03 killing",  # a day and month: "Gunmen attack a town on 30/03 killing between 6-12"
    "in the night of 19/04",
]


@pytest.mark.parametrize("phrase", NOT_NUMBERS)
def test_not_a_number(phrase: str) -> None:
    assert numbers.find_numbers(phrase) == []


# sentence -> expected figures as (kind, who, low, best, high, qualifier, evidence)
FIGURES = [
    ("The White Helmets documented more than 6,600 attacks that killed 208 civilians in January.",
     [("attacks", None, 6600, None, None, "more than", "more than 6,600 attacks"),
      ("killed", "civilians", 208, 208, 208, "exact", "killed 208 civilians")]),
    ("208 civilians were killed in January.",
     [("killed", "civilians", 208, 208, 208, "exact", "208 civilians were killed")]),
    ("The strikes killed 208 civilians.",
     [("killed", "civilians", 208, 208, 208, "exact", "killed 208 civilians")]),
    ("The jets struck the market, killing 208 civilians.",
     [("killed", "civilians", 208, 208, 208, "exact", "killing 208 civilians")]),
    ("The death toll rose to 12.",
     [("killed", None, 12, 12, 12, "exact", "death toll rose to 12")]),
    ("The attack left 12 dead.", [("killed", None, 12, 12, 12, "exact", "12 dead")]),
    ("12 people died in the blast.", [("killed", "people", 12, 12, 12, "exact", "12 people died")]),
    ("The blast killed 5 people and wounded 30 others.",
     [("killed", "people", 5, 5, 5, "exact", "killed 5 people"),
      ("injured", "people", 30, 30, 30, "exact", "wounded 30 others")]),
    ("The regime carried out 20 air strikes, killing 30 people including 10 children and wounding 50.",
     [("attacks", None, 20, 20, 20, "exact", "20 air strikes"),
      ("killed", "people", 30, 30, 30, "exact", "killing 30 people"),
      ("killed", "children", 10, 10, 10, "exact", None),
      ("injured", None, 50, 50, 50, "exact", "wounding 50")]),
    ("The fighting forced 110,000 people from their homes.",
     [("displaced", "people", 110000, 110000, 110000, "exact", "forced 110,000 people")]),
    ("Ma'arat al-Nu'man is the latest ghost town, pushing about 110,000 people from there.",
     [("displaced", "people", 99000, 110000, 121000, "approximate", "pushing about 110,000 people")]),
    ("Relief agencies estimate that 600,000 Syrians are fleeing the fighting.",
     [("displaced", "people", 600000, 600000, 600000, "exact", "600,000 Syrians are fleeing")]),
    ("Half a million people have already fled their homes toward the Turkish border.",
     [("displaced", "people", 450000, 500000, 550000, "approximate", "Half a million people have already fled")]),
    ("Since last April, there have been more than 70 separate attacks on medical facilities.",
     [("attacks", "medical facilities", 70, None, None, "more than",
       "more than 70 separate attacks on medical facilities")]),
    ("Hundreds of bombing raids by the Russian and Syrian air forces — more than 70 on medical facilities alone — "
     "have targeted civilian populations.",
     [("attacks", None, 200, None, 999, "vague", "Hundreds of bombing raids"),
      ("attacks", "medical facilities", 70, None, None, "more than", "more than 70 on medical facilities")]),
    ("Hundreds of people have been killed.",
     [("killed", "people", 200, None, 999, "vague", "Hundreds of people have been killed")]),
    ("Dozens of people were also wounded.",
     [("injured", "people", 24, None, 99, "vague", "Dozens of people were also wounded")]),
    ("Six civilians including a child were among at least 22 people killed in U.S. air strikes, a monitor said.",
     [("killed", "civilians", 6, 6, 6, "exact", None),
      ("killed", "children", 1, 1, 1, "exact", None),
      ("killed", "people", 22, None, None, "at least", "at least 22 people killed")]),
    ("More than 14 killed and wounded.", [("affected", None, 14, None, None, "more than", None)]),
    ("The strikes killed and wounded 30 people.", [("affected", "people", 30, 30, 30, "exact", None)]),
    ("Air strikes killed at least 44 people on Monday and wounded more than 100, a monitor said.",
     [("killed", "people", 44, None, None, "at least", "killed at least 44 people"),
      ("injured", None, 100, None, None, "more than", None)]),
    ("Security forces arrested 15 protesters.",
     [("detained", "protesters", 15, 15, 15, "exact", "arrested 15 protesters")]),
    ("Gunmen abducted 3 aid workers.", [("detained", "aid workers", 3, 3, 3, "exact", "abducted 3 aid workers")]),
    ("Two journalists went missing.", [("missing", "journalists", 2, 2, 2, "exact", None)]),
    ("Militants have killed 12 soldiers.", [("killed", "soldiers", 12, 12, 12, "exact", "killed 12 soldiers")]),
    ("Four people were killed in the attack.", [("killed", "people", 4, 4, 4, "exact", "Four people were killed")]),
    ("A suicide bomber killed four people on Sunday.",
     [("killed", "people", 4, 4, 4, "exact", "killed four people")]),
    ("More than 230000 people have been killed in Syria since March 2011.",
     [("killed", "people", 230000, None, None, "more than", None)]),
    ("Some 2 million Syrians are refugees in Turkey.",
     [("displaced", "people", 1800000, 2000000, 2200000, "approximate", None)]),
    ("The civil defence said 7 bodies were recovered.", [("killed", None, 7, 7, 7, "exact", "7 bodies")]),
    ("12 militants killed 4 people.", [("killed", "people", 4, 4, 4, "exact", "killed 4 people")]),
    ("The shelling caused 12 civilian deaths.", [("killed", "civilians", 12, 12, 12, "exact", None)]),
    # two kinds, two figures; a shared pair stays 'affected' (above)
    ("Five people were killed and 12 were wounded in the shelling.",
     [("killed", "people", 5, 5, 5, "exact", "Five people were killed"),
      ("injured", None, 12, 12, 12, "exact", "12 were wounded")]),
    ("The shelling killed two people, wounding 30.",
     [("killed", "people", 2, 2, 2, "exact", "killed two people"), ("injured", None, 30, 30, 30, "exact", "wounding 30")]),
    ("Thirty others were injured.", [("injured", "people", 30, 30, 30, "exact", "Thirty others were injured")]),
    ("Four people were hurt in the blast.", [("injured", "people", 4, 4, 4, "exact", "Four people were hurt")]),
    ("The raid caused 12 casualties.", [("affected", None, 12, 12, 12, "exact", "12 casualties")]),
    # an article counts one person killed or injured
    ("A little girl was killed by Turkish shelling.", [("killed", "children", 1, 1, 1, "exact", "A little girl was killed")]),
    ("A civilian was wounded by sniper fire.", [("injured", "civilians", 1, 1, 1, "exact", "A civilian was wounded")]),
    ("Gunmen killed a shepherd.", [("killed", "shepherd", 1, 1, 1, "exact", "killed a shepherd")]),
    ("The army killed a militant in an ambush.", [("killed", "fighters", 1, 1, 1, "exact", "killed a militant")]),
    ("The bomb killed an army colonel and four soldiers.",
     [("killed", "army colonel", 1, 1, 1, "exact", "killed an army colonel"), ("killed", "soldiers", 4, 4, 4, "exact", None)]),
    # title-case headlines are read again in lower case
    ("35 Civilians Killed in Regime Air Raids on Rural Aleppo",
     [("killed", "civilians", 35, 35, 35, "exact", "35 Civilians Killed")]),
    ("18 Civilians Killed in Barrel Bomb Attack on Rural Aleppo",
     [("killed", "civilians", 18, 18, 18, "exact", "18 Civilians Killed")]),
    # verbs of the monitors' and state media's wording
    ("Three civilians martyred in the attack.", [("killed", "civilians", 3, 3, 3, "exact", "Three civilians martyred")]),
    ("Two civilians lost their lives in the attack.", [("killed", "civilians", 2, 2, 2, "exact", None)]),
]


@pytest.mark.parametrize("sentence,expected", FIGURES, ids=[s[:50] for s, _ in FIGURES])
def test_figures_from_grammar(nlp: Any, sentence: str, expected: list[tuple[Any, ...]]) -> None:
    found = _figures(nlp, sentence)
    got = [(f.kind, f.who, f.low, f.best, f.high, f.qualifier) for f in found]
    assert got == [e[:6] for e in expected]
    for f, e in zip(found, expected):
        assert f.evidence is not None and f.number is not None and f.sentence is not None
        assert sentence[f.evidence.start : f.evidence.end] == f.evidence.text
        assert sentence[f.number.start : f.number.end] == f.number.text
        if e[6] is not None:
            assert f.evidence.text == e[6]


NOT_FIGURES = [
    "Russian President Vladimir Putin met Assad in Sochi, Russia, Thursday, May 17, 2018.",
    "This sort of thing hasn't been seen since World War II.",
    "Half a million people fled in the last two months.",  # 'two months' is no figure (the half million is)
    "A 12-year-old boy was killed.",
    "The Security Council adopted Resolution 2254 in 2015 with 15 votes.",
    "Two rockets hit the city 10 km away, and 5 percent of the houses burned.",
    "The army captured 12 villages.",
    "It was one of the largest engagements.",
    "The two sides met for five years.",
    "The regime spent $5 million on the operation.",
    "A man aged 40 was seen at 10:30 on Route 4.",
    "The group controls 30 towns.",
]

ARTICLE_NOT_FIGURES = [
    "A man was seen near the car.",  # an article without a kind is no figure
    "A drone targeted a car.",
    "A suicide bomber killed four people.",  # the killer is no victim ('four' is the figure)
    "A bomb exploded near a school.",
]


@pytest.mark.parametrize("sentence", ARTICLE_NOT_FIGURES)
def test_article_not_figures(nlp: Any, sentence: str) -> None:
    found = _figures(nlp, sentence)
    assert not [f for f in found if f.number is not None and f.number.text.lower() in ("a", "an")]


@pytest.mark.parametrize("sentence", NOT_FIGURES, ids=[s[:40] for s in NOT_FIGURES])
def test_not_figures(nlp: Any, sentence: str) -> None:
    found = _figures(nlp, sentence)
    bad = {"17", "2018", "II", "two", "12", "2254", "2015", "15", "10", "5", "one", "five", "40", "4", "30"}
    assert not [f for f in found if f.number is not None and f.number.text in bad]


PREFILTER = [
    ("Twelve people died.", True),
    ("Dozens were hurt.", True),
    ("Hundreds fled.", True),
    ("Half a million people fled.", True),
    ("A dozen were hurt.", True),
    ("12 dead", True),
    ("The regime advanced on the town.", False),
]


@pytest.mark.parametrize("text,expected", PREFILTER)
def test_might_hold_figure(text: str, expected: bool) -> None:
    assert figures.might_hold_figure(text) is expected


@pytest.mark.parametrize(
    "sentence, who",
    [
        ("The death toll among the soldiers later rose to 34, officials said.", "soldiers"),
        ("The civilian death toll rose to 20.", "civilians"),
        ("The toll of civilians killed rose to 12.", "civilians"),
    ],
)
def test_who_a_toll_counts(sentence: str, who: str) -> None:
    ex = pipeline.extract_text(sentence, published="2020-02-28")
    assert [(f.kind, f.who) for f in ex.figures][:1] == [("killed", who)]


@pytest.mark.parametrize(
    "sentence, who, best",
    [
        ("A total of 14 people were killed in Benghazi.", "people", 14),
        ("A total of fourteen people, almost all of them soldiers, were killed in Benghazi.", "people", 14),
    ],
)
def test_a_total_of_n_counts_the_noun_after_it(sentence: str, who: str, best: int) -> None:
    ex = pipeline.extract_text(sentence, published="2016-02-20")
    assert [(f.kind, f.who, f.best) for f in ex.figures][:1] == [("killed", who, best)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Armed assailants shot dead a police colonel and a conscript in Giza.", [("killed", 1), ("killed", 1)]),
        ("Gunmen shot three civilians dead at a checkpoint near Daraa.", [("killed", 3)]),
        ("Gunmen gunned down four farmers near Hama.", [("killed", 4)]),
        ("Police shot and wounded two protesters in Cairo.", [("injured", 2)]),
        ("Soldiers shot two men in the legs.", []),
    ],
)
def test_shot_kills_only_when_shot_dead(sentence: str, expected: list[tuple[str, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2016-01-10")
    assert [(f.kind, f.best) for f in ex.figures] == expected


@pytest.mark.parametrize("headline", ["Seven dead 20 wounded in central Damascus blast", "Seven dead, 20 wounded in Damascus blast"])
def test_a_headline_pair_of_tolls_keeps_each_number_with_its_word(headline: str) -> None:
    ex = pipeline.extract_text(headline, published="2014-04-10")
    assert [(f.kind, f.best) for f in ex.figures] == [("killed", 7), ("injured", 20)]


def test_a_headline_list_without_and_counts_each_group() -> None:
    ex = pipeline.extract_text("Syria air strikes kill 10 children 5 women in Aleppo monitor", published="2014-10-24")
    assert [(f.kind, f.who, f.best) for f in ex.figures] == [("killed", "children", 10), ("killed", "women", 5)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The strike killed a man and his son in Ariha.", 2),
        ("A woman and her child were killed in the strike on Douma.", 2),
        ("His son said the house was hit.", None),
    ],
)
def test_a_kin_noun_joined_to_another_person_counts_one(sentence: str, expected: int | None) -> None:
    from rasd.extract import tolls

    ex = pipeline.extract_text(sentence, published="2016-02-29")
    assert tolls.toll_value(ex, "killed") == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # "IS" is the Islamic State, not the verb: the parse keeps the count on its noun
        ("Two IS militants were killed on Monday by fighters of the Derna Shura Council.", [("killed", "fighters", 2)]),
        ("The army said it had killed three IS fighters near Sirte.", [("killed", "fighters", 3)]),
        # a range that opens a sentence, which the entity recogniser calls a date
        ("Between 10 and 15 civilians were killed in the raid.", [("killed", "civilians", 10)]),
        # the number hangs on the first word of a compound whose head is a person
        ("One police conscript was shot dead at a checkpoint in Arish.", [("killed", "police conscript", 1)]),
        # a second verb with no argument of its own shares the first one's
        ("One young man was shot and killed by a sniper in Sabha.", [("killed", "men", 1)]),
        ("A young man was shot and killed by a sniper in Sabha.", [("killed", "men", 1)]),
        ("Unidentified assailants shot dead a police officer in Beni Suef.", [("killed", "officers", 1)]),
        ("An armed islamist was killed by the army near Jijel.", [("killed", "islamist", 1)]),
        # not figures: a headline's outlet after a number, a date in digits
        ("Mortar fire in Damascus kills 12 wounds 50 State media AFP Tuesday 29 Apr 2014 Mortar shells slammed into central Damascus on Tuesday.",
         [("killed", None, 12)]),  # the tangled headline's own count, and never "50 ... AFP" killed
        ("6-09-2013 Extremists in Syria admit killing civilians", []),
        ("Two men were abducted and later released.", []),
    ],
)
def test_counts_the_small_model_misreads(sentence: str, expected: list[tuple[str, str, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2016-01-10")
    assert [(f.kind, f.who, f.low) for f in ex.figures if f.kind == "killed"] == expected


def test_the_acronym_norm_keeps_the_text_and_spares_shouted_headlines() -> None:
    from rasd import nlp as rasd_nlp

    model = rasd_nlp.parser()
    doc = rasd_nlp.reading_doc(model, "Two IS militants were killed.")
    assert doc.text == "Two IS militants were killed." and doc[1].text == "IS" and doc[1].norm_ == "isis"
    shouted = rasd_nlp.reading_doc(model, "WHAT IS LEFT OF THE TOWN")
    assert shouted[1].norm_ == "is"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a nominalised event counts the persons after "of"
        ("Activists documented the injury of six civilians in the shelling.", [("injured", "civilians", 6)]),
        ("The army announced the killing of 29 militants in North Sinai.", [("killed", "fighters", 29)]),
        ("The shelling led to the death of four children and the injury of seven others.",
         [("killed", "children", 4), ("injured", "people", 7)]),
        ("The bombing caused the displacement of 3,000 families.", [("displaced", "families", 3000)]),
        # the parser hangs the second "of" on the first conjunct: the noun right before it names the harm
        ("SOHR documented the death of a civilian and injury of three others in rocket attacks.",
         [("killed", "civilians", 1), ("injured", "people", 3)]),
        # the harm is the verb's object, the persons follow "to"; damage to houses counts no one
        ("The attack caused injuries to two civilians and damage to two houses.", [("injured", "civilians", 2)]),
        # a second object the parser joined to the verb; an earlier verb sharing the later one's object
        ("A Turkish drone strike on a school in the rebel-held west killed 11 militants and a child a monitoring group said in a new toll on Sunday.",
         [("killed", "fighters", 11), ("killed", "children", 1)]),
        ("The group has publicly executed and crucified nine men.", [("killed", "men", 9)]),
        # companions after the verb share the victims' fate; a subject's companions do not
        ("Three soldiers were killed on 2 February along with three civilians in clashes.",
         [("killed", "soldiers", 3), ("killed", "civilians", 3)]),
        ("Government troops along with 300 militiamen killed 5 civilians.", [("killed", "civilians", 5)]),
        # a present-tense note (ACLED's style) is parsed: "kill" is an event trigger
        ("Militiamen kill a displaced man in Nertiti.", [("killed", "men", 1)]),
        # an elliptical coordinate: the participle after the counted noun is its predicate
        ("Two civilians have lost their lives and two others injured this morning.",
         [("killed", "civilians", 2), ("injured", "people", 2)]),
        # what the clause says happened to them wins over what the people are
        ("Twelve prisoners were killed when the jail was shelled.", [("killed", "prisoners", 12)]),
        ("Five victims were killed in the blast.", [("killed", "people", 5)]),
        ("Some 300 detainees were released on Monday.", [("detained", None, 300)]),
        ("More than 600,000 refugees have fled to Turkey.", [("displaced", None, 600000)]),
        # an "of" that is no event's: a share, a place
        ("Two of the five villages were shelled.", []),
        # "the number of deaths rose to N" is a toll; "the number of attacks" counts attacks, never persons
        ("The number of dead rose to 12 on Monday.", [("killed", None, 12)]),
        ("The number of attacks rose to 40.", [("attacks", None, 40)]),
        ("The number of drone attacks on the region this year has reached 41.", [("attacks", None, 41)]),
        # the counted noun's participle gives the kind
        ("The number of injured civilians in Tel Tamr has risen to ten.", [("injured", "civilians", 10)]),
        # harm the clause states wins over the status an adjective gives
        ("Two displaced children were killed in the shelling.", [("killed", "children", 2)]),
        ("30 wounded civilians were evacuated to Turkey.", [("injured", "civilians", 30)]),
    ],
)
def test_nominal_events_and_status_nouns(sentence: str, expected: list[tuple[str, str | None, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2016-01-10")
    assert [(f.kind, f.who, f.best if f.best is not None else f.low) for f in ex.figures] == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a harm verb right before a number governs it where the headline's parse is tangled
        ("Terrorist Attack on Damascus kill 5 injure 50", [("killed", None, 5), ("injured", None, 50)]),
        ("Rebels Fire Rocket Shells at Damascus Kills 3 Wounds 20", [("killed", None, 3), ("injured", None, 20)]),
        ("Mortar fire kills 12 wounds 50 State media", [("killed", None, 12), ("injured", None, 50)]),
        ("The attack killed 5 injured soldiers in the hospital.", [("killed", "soldiers", 5)]),
        ("Shelling killed 12 people and wounded 30 others.", [("killed", "people", 12), ("injured", "people", 30)]),
    ],
)
def test_a_harm_verb_governs_the_number_after_it(sentence: str, expected: list[tuple[str, str | None, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2015-07-08")
    assert [(f.kind, f.who, f.best) for f in ex.figures] == expected


def test_an_agency_fused_to_the_first_word_is_no_part_of_the_count() -> None:
    # SANA's "Aleppo, SANA-Ten civilians ...": the dateline is blanked for the parser, offsets unchanged
    text = "2 February 2022\n\nAleppo , SANA-Ten civilians were martyred and 32 others were injured in al-Bab city."
    ex = pipeline.extract_text(text, published="2022-02-02")
    got = [(f.kind, f.who, f.low, f.number.text) for f in ex.figures]
    assert got == [("killed", "civilians", 10, "Ten"), ("injured", "people", 32, "32")]
    assert all(text[f.evidence.start : f.evidence.end] == f.evidence.text for f in ex.figures)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # lists with the verb elided: each part takes the harm word that follows it in its clause
        ("Nine attacks left a civilian and 13 combatants, including seven women, dead and ten others injured.",
         [("attacks", None, 9), ("killed", "civilians", 1), ("killed", "fighters", 13), ("killed", "women", 7), ("injured", "people", 10)]),
        ("These raids left 12 civilians, including a teacher and three children, and 40 fighters dead.",
         [("killed", "civilians", 12), ("killed", "teacher", 1), ("killed", "children", 3), ("killed", "fighters", 40)]),
        # never the subject of an active verb, never across a preposition
        ("A suicide bomber killed four people on Sunday.", [("killed", "people", 4)]),
        ("Ten children among 18 dead in the raid were buried.", [("killed", None, 18)]),
    ],
)
def test_elided_verbs_in_lists(sentence: str, expected: list[tuple[str, str | None, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2022-07-10")
    got = [(f.kind, f.who, f.best if f.best is not None else f.low) for f in ex.figures]
    assert got == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The attack claimed the lives of 18 civilians on Friday.", [("killed", "civilians", 18)]),
        ("Another 36 people are still unaccounted for.", [("missing", "people", 36)]),
        ("Thirty other civilians sustained various injuries.", [("injured", "civilians", 30)]),
        ("The army fired more than 120 rockets at the town.", [("attacks", None, 120)]),
        ("Several people were killed and tens of others were wounded.", [("killed", "people", 3), ("injured", "people", 20)]),
    ],
)
def test_lives_wounds_missing_shells_and_vague_words(sentence: str, expected: list[tuple[str, str | None, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2022-07-10")
    assert [(f.kind, f.who, f.best if f.best is not None else f.low) for f in ex.figures] == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("A double bombing at a school killed 52 people among them 48 students.", [("killed", "people", 52), ("killed", "students", 48)]),
        ("It said three children were among the dead.", [("killed", "children", 3)]),
    ],
)
def test_parts_among_the_dead(sentence: str, expected: list[tuple[str, str | None, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2014-10-01")
    assert [(f.kind, f.who, f.best if f.best is not None else f.low) for f in ex.figures] == expected


def test_a_headline_figure_is_a_mention_of_the_body_count_or_a_claim_no_toll_counts() -> None:
    from rasd.extract import tolls

    text = (
        "Shelling kills 7 in river town, 5 wounded\n\n"
        "At least 7 people were killed when shells hit the river town of Qasr on Monday. "
        "Rescuers were still searching the ruins of two houses on Tuesday.\n"
    )
    ex = pipeline.extract_text(text, published="2021-03-02")
    killed = [f for f in ex.figures if f.kind == "killed"]
    assert len(killed) == 1 and not killed[0].headline  # "kills 7" restates the body's "at least 7" (both the writer's)
    assert any("7" in m.text and m.start < text.index("\n") for m in killed[0].mentions)
    injured = [f for f in ex.figures if f.kind == "injured"]
    assert [(f.best, f.headline, f.attributed_to) for f in injured] == [(5, True, None)]  # only the headline tells it
    assert tolls.main_toll(ex, "injured") is None


def test_a_headline_fused_to_a_wire_dateline_keeps_its_own_source() -> None:
    text = (
        "Shelling kills 9 fighters in hill village monitor AFP Tuesday 3 Mar 2015 At least nine fighters were killed "
        "when shells hit the hill village of Tell Sawan on Tuesday the Syrian Observatory for Human Rights said."
    )
    ex = pipeline.extract_text(text, published="2015-03-03")
    head = [f for f in ex.figures if f.number is not None and f.number.start < text.index("monitor")]
    assert [(f.kind, f.best, f.attributed_to) for f in head] == [("killed", 9, "monitor")]


@pytest.mark.parametrize(
    ("headline", "source"),
    [
        ("3 killed, 5 wounded in shelling of hill village – Asayish", "Asayish"),
        ("Drone strike kills 3 near Tell Sawan - SOHR", "SOHR"),
        ("Drone strike kills 3 near Tell Sawan - UPDATE", None),  # an editor's label, not a source
    ],
)
def test_a_headline_names_its_source_after_a_dash(headline: str, source: str | None) -> None:
    text = headline + "\n\nShells hit the hill village of Tell Sawan on Tuesday, and rescuers searched the ruins.\n"
    ex = pipeline.extract_text(text, published="2021-03-02")
    head = [f for f in ex.figures if f.number is not None and f.number.start < len(headline)]
    assert head and {f.attributed_to for f in head} == {source}


def test_a_title_stripped_of_its_dash_keeps_the_source_it_ends_with() -> None:
    title = "Air raids kill 9 in hill village state TV"
    text = title + " At least nine people were killed when jets hit the hill village of Tell Sawan on Tuesday state media said."
    ex = pipeline.extract_text(text, published="2015-03-03", title=title)
    sources = {(f.number.start < len(title), f.attributed_to) for f in ex.figures if f.number is not None}
    assert sources == {(True, "state tv"), (False, "state media")}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the participle after "N others" is their predicate, though the tagger reads a past tense
        ("Mortars hit Damascus on Thursday leaving 3 citizens killed and 20 others wounded Al-Manar TV correspondent reported.",
         [("killed", 3), ("injured", 20)]),
        # an object makes it an active verb: no figure of harm to the "others"
        ("Gunmen stormed the village and 20 others attacked the market.", []),
    ],
)
def test_a_participle_after_others_is_their_predicate(sentence: str, expected: list[tuple[str, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2014-05-01")
    assert [(f.kind, f.best) for f in ex.figures if f.kind != "attacks"] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the part takes the total's kind though the parser hangs "including" on "left"; "others" are a new group
        ("Four attacks left six people dead, including three women, and 19 others injured.",
         [("killed", 6), ("killed", 3), ("injured", 19)]),
        ("The group also listed 55 wounded including nine women.", [("injured", 55), ("injured", 9)]),
        ("At least 13 people, including 6 children and 4 women, were killed.", [("killed", 13), ("killed", 6), ("killed", 4)]),
        ("Shelling killed 5 people and wounded 10 including 3 children.", [("killed", 5), ("injured", 10), ("injured", 3)]),
        # one person named is no count
        ("Three people were injured in the shelling, including a 2-year-old child named Khalil.", [("injured", 3)]),
        # "of them" after the part: the parser hangs "three" on the village; a ratio counts nobody
        ("Seven people were also wounded in the air raid on the camp near the village of Shajara three of them women.",
         [("injured", 7), ("injured", 3)]),
        ("Nearly a million people have been displaced, more than four in five of them women and children.",
         [("displaced", 1000000)]),
    ],
)
def test_a_part_of_a_total_counts_the_same_harm(sentence: str, expected: list[tuple[str, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2022-05-01")
    got = [(f.kind, f.best if f.best is not None else f.low) for f in ex.figures if f.kind != "attacks"]
    assert got == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # comma-less wire copy: the parser makes the count the subject of "reported"; the verb before it governs it
        ("The strikes came as a car bomb wounded at least 37 people including children in a government-controlled "
         "neighbourhood in the central city of Homs state television reported.", [("injured", 37)]),
        # the predicate adjective after the counted noun
        ("The death toll is likely to rise because there are dozens of people missing in the area of the blast.", [("missing", 24)]),
        # "another" is one more person
        ("Eleven civilians were killed in Saraqeb and another man died in Sheikh Mustafa.", [("killed", 11), ("killed", 1)]),
        ("A strike targeted a car, killing one person, and seriously wounding another.", [("killed", 1), ("injured", 1)]),
        # ... but not when joined to a count of the same people, naming its members
        ("On November 15, 2022, two civilians, 37-year-old Jamal al-Attaya from al-Alloush village, administratively "
         "affiliated with Manbej city and another civilian we have yet to identify, were killed by an IED.", [("killed", 2)]),
        # a nominalised killing counts its victims; a side's losses are its dead
        ("The video showed the beheadings of at least 18 men described as soldiers.", [("killed", 18)]),
        ("The execution of 12 prisoners was filmed.", [("killed", 12)]),
        ("The Kurds also lost three fighters in the clashes.", [("killed", 3)]),
        ("The army lost contact with 3 soldiers.", []),
        # a raised subject takes the infinitive's harm
        ("Around 130 people are reported to have died because of shortages in the camp.", [("killed", 130)]),
        ("Ten people are said to have fled.", [("displaced", 10)]),
    ],
)
def test_counts_the_grammar_hides(sentence: str, expected: list[tuple[str, int]]) -> None:
    ex = pipeline.extract_text(sentence, published="2014-05-01")
    got = [(f.kind, f.best if f.best is not None else f.low) for f in ex.figures if f.kind != "attacks"]
    assert got == expected
