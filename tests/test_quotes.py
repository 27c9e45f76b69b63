"""Who says what: reported speech, quoted blocks and their nesting."""

from __future__ import annotations

import pytest

from rasd.extract import pipeline, quotes
from rasd.extract.context import Context


def _ctx(text: str) -> Context:
    ctx = pipeline.prepare(pipeline.Input(text=text))
    pipeline.parse([ctx])
    ctx.attributions = quotes.find_attributions(ctx)
    return ctx


def _source(text: str, needle: str) -> tuple[str | None, str | None]:
    ctx = _ctx(text)
    return ctx.source_at(text.index(needle))


@pytest.mark.parametrize(
    "text, needle, source",
    [
        ("Relief agencies estimate that 600,000 Syrians are fleeing the fighting.", "600,000", "relief agencies"),
        ("The White Helmets, the civil defense group, documented more than 6,600 attacks in January.", "6,600", "White Helmets"),
        ("Six civilians were among at least 22 people killed in U.S. air strikes on Raqa on Sunday, a monitor said.", "22 people", "a monitor"),
        ("The Syrian Observatory for Human Rights said 12 fighters were killed in the clashes.", "12 fighters", "Syrian Observatory for Human Rights"),
        ("At least 11 civilians were killed in barrel bomb attacks on al-Bab, according to the Syrian Observatory for Human Rights.", "11 civilians", "Syrian Observatory for Human Rights"),
        ("SOHR activists have reported that 5 civilians were injured by Turkish shelling on Abu Raseen.", "5 civilians", "Syrian Observatory for Human Rights"),
        ("SANA reported that 3 civilians were killed in the attack on the village.", "3 civilians", "SANA"),
        ("The health ministry announced that 40 people were wounded in the blast.", "40 people", "the health ministry"),
        ("Rebels claimed they had killed 30 soldiers in the ambush near Hama.", "30 soldiers", "rebels"),
        ("The attack came as the Syrian Observatory for Human Rights reported that troops had executed 48 people.", "48 people", "Syrian Observatory for Human Rights"),
        ("Syrian filmmaker Waad al Kateab said 15 people died in the strike on the market.", "15 people", "Waad al Kateab"),
        ("The UK-based Syrian Observatory for Human Rights confirmed that 9 people died.", "9 people", "Syrian Observatory for Human Rights"),
        ("The Syrian Observatory for Human Rights (SOHR) monitors the war. The Observatory said 7 children were killed in Douma.", "7 children", "Syrian Observatory for Human Rights"),
        ("The Syrian Network for Human Rights published its report. It said 20 civilians were killed in Idlib in March.", "20 civilians", "Syrian Network for Human Rights"),
        ("Al-Hasakah province: SOHR activists have reported that 3 civilians were injured by Turkish shelling.", "3 civilians", "Syrian Observatory for Human Rights"),
        ("According to a report of the Syria-based Rojava Information Centre (RIC), drone attacks have killed 62 people.", "62 people", "Rojava Information Centre"),
        ("Clashes erupted on Friday, the UK-based Syrian Observatory for Human Rights announced, killing 5 fighters.", "5 fighters", "Syrian Observatory for Human Rights"),
        ("Turkish drone attacks have claimed the lives of 12 people in the region.", "12 people", None),
    ],
)
def test_reported_speech_source(text: str, needle: str, source: str | None) -> None:
    assert _source(text, needle)[0] == source


@pytest.mark.parametrize(
    "text, needle, source, via",
    [
        # told an outlet: the outlet carried the claim
        ("Abdel Rahman told AFP that 25 soldiers were killed in the attack on the outpost.", "25 soldiers", "Abdel Rahman", "AFP"),
        # no source: the publisher stands behind it
        ("An explosion inside a bus killed 6 people in Damascus on Sunday.", "6 people", None, None),
        # a claim before the source in another sentence is not attributed to it
        ("An explosion killed 6 people in Damascus. Later, the ministry said 19 people were injured.", "6 people", None, None),
    ],
)
def test_source_and_via(text: str, needle: str, source: str | None, via: str | None) -> None:
    assert _source(text, needle) == (source, via)


OPED = (
    "It is not working.\n\n"
    "Foreign Policy:\n\n"
    "Half a million people have already fled their homes in the last two months, with 70 attacks on clinics.\n\n"
    "Hundreds of bombing raids by the Russian and Syrian air forces have targeted 12 towns in the province.\n\n\n"
    "Syrian filmmaker Waad al Kateab writes painfully in the New York Times about the situation.\n\n"
    "The White Helmets, the civil defense group, documented more than 6,600 attacks that killed 208 civilians in January.\n\n"
    "An image appears repeatedly: a road packed with families fleeing, pushing about 110,000 people from there.\n\n\n"
    "No one is willing to help, and 3 nations could act now but will not do so.\n"
)


@pytest.mark.parametrize(
    "needle, source, via",
    [
        ("70 attacks", "Foreign Policy", "Foreign Policy"),
        ("12 towns", "Foreign Policy", "Foreign Policy"),  # the block runs to the wider paragraph gap
        ("6,600", "White Helmets", "The New York Times"),  # nested: speaker inside the op-ed
        ("208 civilians", "White Helmets", "The New York Times"),
        ("110,000", "Waad al Kateab", "The New York Times"),  # the writer speaks in her own op-ed
        ("3 nations", None, None),  # the author's voice resumes after the block
        ("It is not working", None, None),
    ],
)
def test_quoted_blocks_and_nesting(needle: str, source: str | None, via: str | None) -> None:
    assert _source(OPED, needle) == (source, via)


UNSTRUCTURED = (
    "The Guardian:\n\n"
    "Shelling on the town killed 14 people and wounded dozens more on Tuesday morning, residents said.\n\n"
    "The town had been quiet for 2 years before the offensive began in the south of the province.\n\n"
    "That is the reality.\n\n"
    "We count 5 failures of diplomacy since then, and nobody seems to care about any of them.\n"
)


@pytest.mark.parametrize(
    "needle, source, via",
    [
        ("14 people", "residents", "The Guardian"),
        ("2 years", "The Guardian", "The Guardian"),
        ("5 failures", None, None),  # a short aside ends a block when the text has no wider gaps
    ],
)
def test_block_without_gap_structure(needle: str, source: str | None, via: str | None) -> None:
    assert _source(UNSTRUCTURED, needle) == (source, via)


QUOTED = (
    "The statement released by the PYD on Sunday reads as follows:\n\n"
    "“On August 6, a drone targeted a car in the Sinaa neighborhood, resulting in 4 people being killed.\n\n"
    "We call on the international community to stop 2 more attacks.”\n\n"
    "Turkey has not commented on the 9 strikes reported this week."
)


@pytest.mark.parametrize(
    "needle, source",
    [("4 people", "PYD"), ("2 more attacks", "PYD"), ("9 strikes", None)],
)
def test_quotation_marks_bound_the_block(needle: str, source: str | None) -> None:
    assert _source(QUOTED, needle)[0] == source


@pytest.mark.parametrize(
    "words, proper, name",
    [
        (["The", "White", "Helmets"], [False, True, True], "White Helmets"),
        (["Relief", "agencies"], [False, False], "relief agencies"),
        (["a", "monitor"], [False, False], "a monitor"),
        (["the", "Syrian", "Observatory", "for", "Human", "Rights"], [False, True, True, False, True, True], "Syrian Observatory for Human Rights"),
        (["Syrian", "filmmaker", "Waad", "al", "Kateab"], [True, False, True, False, True], "Waad al Kateab"),
        (["state", "news", "agency", "SANA"], [False, False, False, True], "SANA"),
        (["ANHA", "correspondents"], [True, False], "ANHA"),
        (["Friday", "the", "UK-based", "Syrian", "Observatory"], [True, False, True, True, True], "Syrian Observatory"),
        (["it"], [False], "it"),
    ],
)
def test_clean_name(words: list[str], proper: list[bool], name: str) -> None:
    assert quotes.clean_name(words, proper) == name



@pytest.mark.parametrize(
    "line",
    [
        "- Rescue workers reported at least 10 civilians killed and dozens injured.",
        "• Rescue workers reported at least 10 civilians killed and dozens injured.",
        "* Rescue workers reported at least 10 civilians killed and dozens injured.",
    ],
)
def test_a_list_bullet_is_no_part_of_the_source(line: str) -> None:
    import rasd

    ex = rasd.extract("Airstrikes hit Ariha on Thursday.\n\n" + line, published="2020-01-31")
    sources = {f.attributed_to for f in ex.figures}
    assert sources == {"Rescue workers"}


@pytest.mark.parametrize(
    "sentence, source",
    [
        ("The UN Office for the Coordination of Humanitarian Affairs (OCHA) says about 900,000 people have been displaced.",
         "UN Office for the Coordination of Humanitarian Affairs"),
        ("Twelve people were killed, according to the Ministry of the Interior.", "Ministry of the Interior"),
        ("Twelve people were killed, the White Helmets said.", "White Helmets"),
    ],
)
def test_an_organisation_keeps_its_whole_name(sentence: str, source: str) -> None:
    ex = pipeline.extract_text(sentence, published="2020-02-28")
    assert ex.figures and ex.figures[0].attributed_to == source


def test_a_source_without_commas_at_the_end_of_the_sentence() -> None:
    from rasd.extract import pipeline

    ex = pipeline.extract_text(
        "Government air strikes killed at least 14 people in the town on Sunday the Syrian Observatory for Human Rights said. "
        "Mortar fire also wounded three people in the east of the city Damascus SANA said.",
        published="2014-05-04",
    )
    assert [(f.best or f.low, f.attributed_to) for f in ex.figures] == [(14, "Syrian Observatory for Human Rights"), (3, "SANA")]


def test_a_source_carries_to_the_sentences_that_continue_its_report() -> None:
    from rasd.extract import pipeline

    text = (
        "Local activists reported that a drone hit a car near the market on Monday.\n\n"
        "Moreover, three people were injured in the strike.\n\n"
        "The town had been quiet for months. Last year, shelling killed 12 people there.\n\n"
        "Since 2011 more than 500 people have been killed in the district."
    )
    ex = pipeline.extract_text(text, published="2022-08-01")
    got = {(f.best or f.low): f.attributed_to for f in ex.figures}
    assert got[3] == "local activists"
    assert got[12] is None and got[500] is None  # the writer's own voice takes over


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The state agency, citing a police source, said 14 people were killed.", (14, "a police source", "the state agency")),
        ("The agency quoted a police source as saying that 14 people were killed.", (14, "a police source", "the agency")),
        ("According to Reuters, Turkish officials said 33 soldiers were killed in the strike.", (33, "Turkish officials", "Reuters")),
    ],
)
def test_a_quote_carried_by_another_outlet_names_it_as_via(text: str, expected: tuple[int, str, str]) -> None:
    from rasd.extract import pipeline

    ex = pipeline.extract_text(text, published="2020-03-01")
    assert [(f.best or f.low, f.attributed_to, f.via) for f in ex.figures] == [expected]


def test_list_introductions_and_speakers_that_are_no_speakers() -> None:
    from rasd.extract import pipeline

    text = (
        "According to the monitor's statistics, drone strikes left dozens of people dead and wounded this year:\n\n"
        "Twelve people were killed in the villages of the east.\n\n"
        "Here are further details of these attacks:\n\n"
        "Three people were injured in the town on Monday.\n\n"
        "Ten children were among at least 48 people killed in the village a monitoring group said on Saturday the raids went on."
    )
    ex = pipeline.extract_text(text, published="2022-12-01")
    got = {(f.best or f.low): f.attributed_to for f in ex.figures}
    assert got[12] == "the monitor's statistics" or got[12] == "monitor's statistics"
    assert got[3] is None  # "further details of these attacks" names nobody
    assert got[48] != "48 people"


@pytest.mark.parametrize(
    "text, needle, source",
    [
        # the words that describe a speaker are the writer's, not the speaker's claim
        ("The video ends there, said a masked man wearing the uniform of the unit that shot three nurses in May.",
         "three nurses", None),
        # a participle of saying speaks for the subject of the verb it hangs on
        ("State radio also reported the explosion saying five people had died in the market.", "five people", "state radio"),
        # a quotation read as a second subject is no speaker: the one outside the quotation marks is
        ("“The artillery fired four shells at the school, wounding six pupils”, the district head said.", "six pupils", "the district head"),
    ],
)
def test_speaker_words_participles_and_quoted_subjects(text: str, needle: str, source: str | None) -> None:
    assert _source(text, needle)[0] == source
