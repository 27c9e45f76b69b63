"""Site chrome, captions, datelines and headlines are never evidence."""

from __future__ import annotations

import pytest

from rasd.extract import pipeline, zones
from rasd.extract.context import BODY, CAPTION, CHROME, DATELINE, HEADLINE, Context

BODY_PARA = "Six civilians were killed in air strikes on the town on Saturday, a monitor said."


def _ctx(text: str, title: str | None = None) -> Context:
    return pipeline.prepare(pipeline.Input(text=text, title=title))


def _zone_of(ctx: Context, needle: str) -> str:
    at = ctx.text.index(needle)
    return ctx.zone_at(at)


@pytest.mark.parametrize(
    "text, needle, kind",
    [
        # the head of a scraped page
        (f"News & Politics\n\nAssad and Putin Attempting to Annihilate Idlib\n\n{BODY_PARA}", "News & Politics", CHROME),
        (f"News & Politics\n\nAssad and Putin Attempting to Annihilate Idlib\n\n{BODY_PARA}", "Assad and Putin", HEADLINE),
        (f"Turkish bombardment | Child killed in al-Hasakah countryside\n\n{BODY_PARA}", "Turkish bombardment", HEADLINE),
        (f"16 October, 2021\n\n{BODY_PARA}", "16 October", DATELINE),
        (f"Sunday, 7 August 2022, 13:09\n\n{BODY_PARA}", "Sunday, 7 August", DATELINE),
        # a headline repeated after the first body paragraph is still a headline
        (f"Air Strikes Hit Douma Market\n\n{BODY_PARA}\n\nAir Strikes Hit Douma Market\n\n{BODY_PARA}", "Air Strikes Hit Douma Market\n\nSix", HEADLINE),
        # captions and credits
        (
            f"{BODY_PARA}\n\nRussian President Vladimir Putin, left, reacts with Syrian President Bashar al-Assad in Sochi, "
            "Russia, Thursday, May 17, 2018. (Kremlin Pool Photo via AP)\n\n" + BODY_PARA,
            "Russian President",
            CAPTION,
        ),
        (f"{BODY_PARA}\n\nTurkey reportedly shelled Kobani on Tuesday morning (Photo: ANHA)\n\n{BODY_PARA}", "Turkey reportedly", CAPTION),
        (f"{BODY_PARA}\n\nSTAFF/AFP/Getty Images\n\n{BODY_PARA}", "STAFF/AFP", CAPTION),
        (f"{BODY_PARA}\n\nSmoke rises over the city. REUTERS/Khalil Ashawi\n\n{BODY_PARA}", "Smoke rises", CAPTION),
        (f"{BODY_PARA}\n\nZozan Zedan laid to rest in her hometown Manbij(Image: Twitter)\n\n{BODY_PARA}", "Zozan", CAPTION),
        # footers, calls to action, sharing
        (f"{BODY_PARA}\n\nJoin the conversation as a VIP Member", "Join the conversation", CHROME),
        (f"{BODY_PARA}\n\nShare on Facebook\n\n{BODY_PARA}", "Share on Facebook", CHROME),
        (f"{BODY_PARA}\n\n© 2021 Example News. All rights reserved.", "All rights reserved", CHROME),
        (f"{BODY_PARA}\n\nWe use cookies to improve your experience on our site.", "We use cookies", CHROME),
        (f"{BODY_PARA}\n\nSubscribe for unlimited access\n\n{BODY_PARA}", "Subscribe", CHROME),
        # other stories' headlines after Prev Post / Next Post / Related
        (
            f"{BODY_PARA}\n\nPrev Post\n\nIsraeli strikes on al-Qunaitra | Three missiles hit position\n\nNext Post\n\n"
            "Death toll update | More than 14 killed and wounded in Turkish bombardment on Tel Tamr\n\n"
            "Landmine attack | Nine regime soldiers and loyalists killed in explosion in…",
            "More than 14 killed",
            CHROME,
        ),
        (
            f"{BODY_PARA}\n\nRelated Articles\n\nTurkey tells Syrian opposition forces to increase military readiness\n\n"
            "Iran's Revolutionary Guards dig tunnels in city of Palmyra",
            "Iran's Revolutionary",
            CHROME,
        ),
        # a trailing run of tag-like lines is chrome, the last real paragraph is not
        (f"{BODY_PARA}\n\nMiddle East\n\nSyria airstrikes", "Syria airstrikes", CHROME),
        (f"{BODY_PARA}\n\nMiddle East\n\nSyria airstrikes", "Six civilians", BODY),
        # body text stays body, even when it ends a document without punctuation
        ("Sun 05 Jul 2015 22 dead in raids. " + BODY_PARA + " More than 230000 people have been killed since 2011.-AFP", "Six civilians", BODY),
        (f"Foreign Policy:\n\n{BODY_PARA}", "Six civilians", BODY),
    ],
)
def test_zone_of_paragraph(text: str, needle: str, kind: str) -> None:
    assert _zone_of(_ctx(text), needle) == kind


@pytest.mark.parametrize(
    "text, title, dateline, rest_kind, rest",
    [
        ("Sun 05 Jul 2015 22 dead in heavy U.S. raids. " + BODY_PARA, "22 dead in heavy U.S. raids", "Sun 05 Jul 2015", HEADLINE, "22 dead"),
        ("12 February 2015 " + BODY_PARA, None, "12 February 2015", BODY, "Six civilians"),
        ("BEIRUT (AP) — " + BODY_PARA, None, "BEIRUT (AP) —", BODY, "Six civilians"),
        ("ERBIL (Kurdistan 24) – " + BODY_PARA, None, "ERBIL (Kurdistan 24) –", BODY, "Six civilians"),
        ("Deir Ezzor, SANA- " + BODY_PARA, None, "Deir Ezzor, SANA-", BODY, "Six civilians"),
        ("IDLIB, Syria, Feb 6 (Reuters) - " + BODY_PARA, None, "IDLIB, Syria, Feb 6 (Reuters) -", BODY, "Six civilians"),
        ("BEIRUT, Lebanon (AP) — " + BODY_PARA, None, "BEIRUT, Lebanon (AP) —", BODY, "Six civilians"),
        ("Istanbul, Turkey – " + BODY_PARA, None, "Istanbul, Turkey –", BODY, "Six civilians"),
    ],
)
def test_dateline_words_only(text: str, title: str | None, dateline: str, rest_kind: str, rest: str) -> None:
    ctx = _ctx(text, title)
    assert ctx.zone_at(0) == DATELINE
    assert ctx.zone_at(len(dateline) - 1) == DATELINE
    assert ctx.zone_at(text.index(rest)) == rest_kind


def test_sentence_after_dateline_is_parsed_as_body() -> None:
    ctx = _ctx("BEIRUT (AP) — " + BODY_PARA)
    assert [s.zone for s in ctx.sentences] == [BODY]


def test_no_body_found_keeps_text() -> None:
    found = zones.find_zones(Context(text="Just a fragment without end"))
    assert found == []


def test_a_name_and_a_word_before_a_dash_are_no_dateline() -> None:
    ctx = _ctx("Smith, Jones – the two men were killed in Aleppo on Monday.")
    assert ctx.zone_at(0) == BODY
