"""Binding figures to period, place and source, with hand-built contexts (no dates/places stage needed)."""

from __future__ import annotations

from typing import Any

import pytest

from rasd.extract import binding, pipeline
from rasd.extract.context import CAPTION, Attribution, Context, DateMention, PlaceMention
from rasd.model import Figure, Period, Place, Span

PERIODS = {
    "in January": Period("2020-01-01", "2020-01-31", "month", "in January"),
    "Since last April": Period("2019-04-01", "2020-02-07", "range", "Since last April"),
    "on Tuesday": Period("2020-02-04", "2020-02-04", "day", "on Tuesday"),
    "in 2018": Period("2018-01-01", "2018-12-31", "year", "in 2018"),
    "on Monday": Period("2020-02-03", "2020-02-03", "day", "on Monday"),
    "on Saturday and Sunday": Period("2020-02-01", "2020-02-02", "range", "on Saturday and Sunday"),
    "last week": Period("2020-01-27", "2020-02-02", "week", "last week"),
    "21.02.2015": Period("2015-01-01", "2015-12-31", "year", "21.02.2015"),
}
PLACES = {
    "Idlib province": Place("Idlib", precision="admin1"),
    "Saraqeb": Place("Saraqib", precision="point"),
    "Ma'arat al-Nu'man": Place("Ma'arrat al-Nu'man", precision="point"),
    "Turkey": Place("Turkey", precision="country"),
    "Sochi": Place("Sochi", precision="point"),
    "Douma": Place("Douma", precision="point"),
    "Aleppo": Place("Aleppo", precision="point"),
}


def _ctx(text: str, attributions: list[tuple[str, str | None, str | None]] = ()) -> Context:  # type: ignore[assignment]
    ctx = pipeline.prepare(pipeline.Input(text=text))
    pipeline.parse([ctx])
    for phrase, period in PERIODS.items():
        for i in _all(text, phrase):
            ctx.dates.append(DateMention(ctx.span(i, i + len(phrase)), period))
    for phrase, place in PLACES.items():
        for i in _all(text, phrase):
            ctx.places.append(PlaceMention(ctx.span(i, i + len(phrase)), place, ctx.zone_at(i)))
    for needle, who, via in attributions:
        i = text.index(needle)
        ctx.attributions.append(Attribution(i, i + len(needle), who, via))
    return ctx


def _all(text: str, phrase: str) -> list[int]:
    out, i = [], text.find(phrase)
    while i >= 0:
        out.append(i)
        i = text.find(phrase, i + 1)
    return out


def _figure(ctx: Context, evidence: str, number: str, kind: str = "killed", occurrence: int = 0, **kw: Any) -> Figure:
    start = _all(ctx.text, evidence)[occurrence]
    n = start + evidence.index(number)
    return Figure(
        kind=kind,
        evidence=ctx.span(start, start + len(evidence)),
        number=ctx.span(n, n + len(number)),
        **kw,
    )


def _bind_one(text: str, evidence: str, number: str, kind: str = "killed", attributions: Any = (), **kw: Any) -> Figure:
    ctx = _ctx(text, attributions)
    out = binding.bind_figures(ctx, [_figure(ctx, evidence, number, kind, **kw)])
    assert len(out) == 1
    return out[0]


@pytest.mark.parametrize(
    "text, evidence, number, kind, period",
    [
        ("The White Helmets documented more than 6,600 attacks that killed 208 civilians in January.", "killed 208 civilians", "208", "killed", "in January"),
        ("The White Helmets documented more than 6,600 attacks that killed 208 civilians in January.", "more than 6,600 attacks", "6,600", "attacks", "in January"),
        ("Since last April, there have been more than 70 separate attacks on medical facilities.", "more than 70 separate attacks", "70", "attacks", "Since last April"),
        # the paragraph's earlier date frames a later sentence with none of its own
        ("Since last April, the bombing has not stopped. Hundreds of people have been killed.", "Hundreds of people have been killed", "Hundreds", "killed", "Since last April"),
        # the date in the figure's own clause beats a nearer one in another clause
        ("A strike killed 12 people on Tuesday in Douma, after a raid on Monday had wounded others.", "killed 12 people", "12", "killed", "on Tuesday"),
        # nothing ties a date: no period, never the publication date
        ("Entire towns have been abandoned and 40 families have fled.", "40 families", "40", "displaced", None),
        # a date in another paragraph is not this figure's
        ("Shelling resumed on Tuesday.\n\nAbout 30 people were injured.", "About 30 people", "30", "injured", None),
    ],
)
def test_period(text: str, evidence: str, number: str, kind: str, period: str | None) -> None:
    fig = _bind_one(text, evidence, number, kind)
    assert (fig.period.text if fig.period else None) == period


@pytest.mark.parametrize(
    "text, evidence, number, kind, place",
    [
        # the country doing something is an actor, the paragraph's place is the location
        (
            "The last bastion of resistance in Idlib province has been under assault for months. Relief agencies estimate "
            "that 600,000 Syrians are fleeing the fighting, as Turkey is now reinforcing its outposts in the region.",
            "600,000 Syrians",
            "600,000",
            "displaced",
            "Idlib",
        ),
        (
            "Ma'arat al-Nu'man is the latest place to be turned into a ghost town by bombs, pushing about 110,000 people from there.",
            "about 110,000 people",
            "110,000",
            "displaced",
            "Ma'arrat al-Nu'man",
        ),
        # "there" with no place of its own takes the previous sentence's
        (
            "Families are fleeing from the city of Ma'arat al-Nu'man in the south. Bombs pushed about 110,000 people from there.",
            "about 110,000 people",
            "110,000",
            "displaced",
            "Ma'arrat al-Nu'man",
        ),
        ("Turkish artillery fire in the town of Saraqeb killed 3 fighters.", "killed 3 fighters", "3", "killed", "Saraqib"),
        # the document's main place when neither sentence nor paragraph names one
        ("Air strikes hit Douma again. Douma is besieged.\n\nAt least 9 people were killed.", "At least 9 people", "9", "killed", "Douma"),
        # never a place from a caption
        (
            "Putin, left, reacts with Assad in Sochi, Russia. (Kremlin Pool Photo via AP)\n\nAt least 9 people were killed overnight.",
            "At least 9 people",
            "9",
            "killed",
            None,
        ),
        # nearest place in the sentence
        ("Shelling killed 4 people in Douma while clashes went on near Aleppo.", "killed 4 people", "4", "killed", "Douma"),
    ],
)
def test_place(text: str, evidence: str, number: str, kind: str, place: str | None) -> None:
    fig = _bind_one(text, evidence, number, kind)
    assert (fig.place.name if fig.place else None) == place


def test_caption_place_zone_is_caption() -> None:
    ctx = _ctx("Putin, left, reacts with Assad in Sochi, Russia. (Kremlin Pool Photo via AP)\n\nAt least 9 people were killed.")
    assert [p.zone for p in ctx.places] == [CAPTION]


@pytest.mark.parametrize(
    "text, evidence, number, kind, extra, aggregate",
    [
        ("The White Helmets documented more than 6,600 attacks in January.", "more than 6,600 attacks", "6,600", "attacks", {}, True),
        ("Since last April, there have been more than 70 separate attacks on medical facilities.", "more than 70 separate attacks", "70", "attacks", {}, True),
        ("A strike killed 12 people in Douma on Tuesday.", "killed 12 people", "12", "killed", {}, False),
        ("Relief agencies estimate that 600,000 Syrians are fleeing the fighting.", "600,000 Syrians", "600,000", "displaced", {"best": 600000}, True),
        ("So far this year, 300 civilians have been killed in the province.", "300 civilians", "300", "killed", {"best": 300}, True),
        ("A total of 45 people were wounded in the shelling of the camps.", "45 people", "45", "injured", {"best": 45}, True),
        ("The shelling displaced 12 families from the village on Tuesday.", "12 families", "12", "displaced", {"best": 12}, False),
        ("A car bomb killed 8 soldiers at a checkpoint near Aleppo.", "killed 8 soldiers", "8", "killed", {"best": 8}, False),
        ("More than 230000 people have been killed in Syria since the conflict began in March 2011.", "More than 230000 people", "230000", "killed", {"low": 230000}, True),
        # one incident over two days, in a vague week, or on a numeric day is no total
        ("Strikes killed 22 people in Douma on Saturday and Sunday.", "killed 22 people", "22", "killed", {"best": 22}, False),
        ("At least 355 people died last week in the gas attack.", "355 people", "355", "killed", {"low": 355}, False),
        ("21.02.2015 At least four people were killed in an explosion.", "four people", "four", "killed", {"low": 4}, False),
        # a year borrowed from an earlier sentence dates the report, not the count
        ("In 2018 the army shelled the town. A strike killed 12 people in Douma.", "killed 12 people", "12", "killed", {"best": 12}, False),
        # a month in the figure's own sentence makes a total; a long range does from anywhere in the paragraph
        ("Strikes killed 208 civilians in January.", "killed 208 civilians", "208", "killed", {"best": 208}, True),
        ("Since last April, the bombing has not stopped. Hundreds of people have been killed.", "Hundreds of people", "Hundreds", "killed", {"low": 200}, True),
    ],
)
def test_aggregate(text: str, evidence: str, number: str, kind: str, extra: dict[str, Any], aggregate: bool) -> None:
    assert _bind_one(text, evidence, number, kind, **extra).aggregate is aggregate


@pytest.mark.parametrize(
    "attributions, source",
    [
        ([("A strike killed 12 people", "a monitor", None)], ("a monitor", None)),
        ([("A strike killed 12 people in Douma.", "Foreign Policy", "Foreign Policy"), ("12 people", "White Helmets", "Foreign Policy")], ("White Helmets", "Foreign Policy")),
        ([], (None, None)),
    ],
)
def test_source_from_innermost_region(attributions: list[tuple[str, str | None, str | None]], source: tuple[str | None, str | None]) -> None:
    fig = _bind_one("A strike killed 12 people in Douma.", "killed 12 people", "12", attributions=attributions)
    assert (fig.attributed_to, fig.via) == source


def test_repeated_claim_is_one_figure() -> None:
    text = (
        "Since last April, there have been more than 70 separate attacks on medical facilities.\n\n"
        "Hundreds of bombing raids, more than 70 on medical facilities alone, have targeted civilians."
    )
    ctx = _ctx(text, [(text, "Foreign Policy", "Foreign Policy")])
    first = _figure(ctx, "more than 70 separate attacks on medical facilities", "70", "attacks", who="medical facilities", low=70, qualifier="more than")
    again = _figure(ctx, "more than 70 on medical facilities", "70", "attacks", low=70, qualifier="more than")
    out = binding.bind_figures(ctx, [first, again])
    assert len(out) == 1
    assert out[0].evidence == first.evidence
    assert out[0].who == "medical facilities"
    assert out[0].mentions == [again.evidence]  # the repeat stays evidence


@pytest.mark.parametrize(
    "second_source, kept",
    [(("Foreign Policy", "Foreign Policy"), 1), (("White Helmets", None), 2)],
)
def test_same_number_from_other_source_is_kept(second_source: tuple[str, str | None], kept: int) -> None:
    text = "Shelling killed 12 people in Douma.\n\nLater reports said shelling killed 12 people in Douma."
    ctx = _ctx(text)
    second = text.rindex("Later")
    ctx.attributions = [Attribution(0, second, "Foreign Policy", "Foreign Policy"), Attribution(second, len(text), *second_source)]
    figs = [_figure(ctx, "killed 12 people", "12", occurrence=i, best=12) for i in (0, 1)]
    assert len(binding.bind_figures(ctx, figs)) == kept


def test_figure_outside_body_is_dropped() -> None:
    text = "News & Politics\n\nAssad and Putin Attempting to Annihilate 12 Towns\n\nShelling killed 4 people in Douma on Tuesday."
    ctx = _ctx(text)
    figs = [_figure(ctx, "12 Towns", "12", "attacks"), _figure(ctx, "killed 4 people", "4")]
    out = binding.bind_figures(ctx, figs)
    assert [f.number.text for f in out if f.number] == ["4"]


def test_evidence_span_matches_text() -> None:
    text = "A strike killed 12 people in Douma on Tuesday."
    fig = _bind_one(text, "killed 12 people", "12")
    assert fig.evidence == Span(9, 25, "killed 12 people")
    assert text[fig.evidence.start : fig.evidence.end] == fig.evidence.text


# (first figure, second figure, whether the second supersedes the first)
UPDATES = [
    ("Shelling killed 8 people in Douma on Tuesday. The death toll rose to 12.",
     ("killed 8 people", "8", {"best": 8, "low": 8, "who": "people"}), ("rose to 12", "12", {"best": 12, "low": 12}), True),
    ("Shelling killed 8 people in Douma on Tuesday. Medics said the toll has risen to 12 people.",
     ("killed 8 people", "8", {"best": 8, "low": 8, "who": "people"}), ("12 people", "12", {"best": 12, "low": 12, "who": "people"}), True),
    ("Shelling killed 8 people in Douma on Tuesday. Another strike killed 12 people.",
     ("killed 8 people", "8", {"best": 8, "low": 8, "who": "people"}), ("killed 12 people", "12", {"best": 12, "low": 12, "who": "people"}), False),
    ("Shelling killed 8 soldiers in Douma on Tuesday. The toll rose to 12 civilians.",
     ("killed 8 soldiers", "8", {"best": 8, "low": 8, "who": "soldiers"}), ("12 civilians", "12", {"best": 12, "low": 12, "who": "civilians"}), False),
    ("Shelling killed 8 people in Douma on Tuesday. The toll rose to 5 in Aleppo.",
     ("killed 8 people", "8", {"best": 8, "low": 8, "who": "people"}), ("rose to 5", "5", {"best": 5, "low": 5}), False),
]


@pytest.mark.parametrize("text, first, second, supersedes", UPDATES, ids=[u[0][-40:] for u in UPDATES])
def test_corrected_toll_supersedes(text: str, first: tuple[str, str, dict[str, Any]], second: tuple[str, str, dict[str, Any]], supersedes: bool) -> None:
    ctx = _ctx(text)
    figs = [_figure(ctx, ev, num, **kw) for ev, num, kw in (first, second)]
    for f in figs:
        sent = ctx.sentence_at(f.evidence.start)  # type: ignore[union-attr]
        f.sentence = ctx.span(sent.start, sent.end) if sent else None
    out = binding.bind_figures(ctx, figs)
    assert len(out) == 2
    assert out[0].supersedes is None
    assert out[1].supersedes == (0 if supersedes else None)


@pytest.mark.parametrize(
    ("text", "start", "aggregate"),
    [
        # the reporting verb's date dates the statement, not the strike
        ("A U.S. air strike on 17 March in west Mosul killed 105 civilians, the coalition said on Thursday, "
         "in one of the deadliest incidents since the campaign began in 2014.", "2017-03-17", False),
        ("Shelling on Monday killed 12 civilians in Ariha, the civil defence said on Wednesday.", "2017-05-22", False),
        # a cue in the figure's own clause still makes a total
        ("Since January, air strikes have killed more than 300 civilians in the province, monitors said.", "2017-01-01", True),
    ],
)
def test_a_reporting_date_or_another_clause_does_not_bind_the_figure(text: str, start: str, aggregate: bool) -> None:
    import rasd

    ex = rasd.extract(text, published="2017-05-25")
    killed = [f for f in ex.figures if f.kind == "killed"]
    assert killed, text
    assert killed[0].period is not None and killed[0].period.start == start
    assert killed[0].aggregate is aggregate


@pytest.mark.parametrize(
    "text, evidence, number, background",
    [
        # an earlier killing recalled as the cause of the one reported
        ("After 3 traders were killed by bandits, residents lynched a soldier.", "3 traders were killed", "3", True),
        ("Following the discovery of the bodies of two soldiers, 60 are killed in clashes.", "two soldiers", "two", True),
        ("Following the discovery of the bodies of two soldiers, 60 are killed in clashes.", "60 are killed", "60", False),
        ("Residents killed a person after a traditional leader was killed.", "a traditional leader was killed", "a", True),
        # what the victim was accused of is another killing
        ("A mob lynched a prisoner accused of murdering two moneychangers.", "two moneychangers", "two", True),
        ("A mob lynched a prisoner accused of murdering two moneychangers.", "a prisoner", "a", False),
        # a clause beside the figure's own says nothing about it
        ("Gunmen killed 5 people after storming the village.", "killed 5 people", "5", False),
        ("Two people died after being shot by police.", "Two people died", "Two", False),
    ],
)
def test_background_figure(text: str, evidence: str, number: str, background: bool) -> None:
    assert _bind_one(text, evidence, number).background is background
