"""Dates: absolute and relative expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest

from rasd.extract import dates
from rasd.extract.context import CAPTION, Context, Sentence

PUB = dt.date(2020, 2, 7)  # a Friday

# expression -> (start, end, precision)
PERIODS = [
    ("in the last two months", ("2019-12-07", "2020-02-07", "range")),
    ("Since last April", ("2019-04-01", "2020-02-07", "range")),
    ("in January", ("2020-01-01", "2020-01-31", "month")),
    ("in February", ("2020-02-01", "2020-02-29", "month")),
    ("in March", ("2019-03-01", "2019-03-31", "month")),
    ("last February", ("2019-02-01", "2019-02-28", "month")),
    ("Thursday, May 17, 2018", ("2018-05-17", "2018-05-17", "day")),
    ("4 February 2020", ("2020-02-04", "2020-02-04", "day")),
    ("4th of February 2020", ("2020-02-04", "2020-02-04", "day")),
    ("Sun 05 Jul 2015", ("2015-07-05", "2015-07-05", "day")),
    ("Feb. 4", ("2020-02-04", "2020-02-04", "day")),
    ("February 4", ("2020-02-04", "2020-02-04", "day")),
    ("Dec 28", ("2019-12-28", "2019-12-28", "day")),
    ("04/02/2020", ("2020-02-04", "2020-02-04", "day")),
    ("2020-02-04", ("2020-02-04", "2020-02-04", "day")),
    ("2019", ("2019-01-01", "2019-12-31", "year")),
    ("in 2019", ("2019-01-01", "2019-12-31", "year")),
    ("January 2020", ("2020-01-01", "2020-01-31", "month")),
    ("March 2011", ("2011-03-01", "2011-03-31", "month")),
    ("on Tuesday", ("2020-02-04", "2020-02-04", "day")),
    ("on Friday", ("2020-02-07", "2020-02-07", "day")),
    ("last Friday", ("2020-01-31", "2020-01-31", "day")),
    ("Saturday", ("2020-02-01", "2020-02-01", "day")),
    ("yesterday", ("2020-02-06", "2020-02-06", "day")),
    ("today", ("2020-02-07", "2020-02-07", "day")),
    ("last night", ("2020-02-06", "2020-02-06", "day")),
    ("the day before yesterday", ("2020-02-05", "2020-02-05", "day")),
    ("last week", ("2020-01-27", "2020-02-02", "week")),
    ("this week", ("2020-02-03", "2020-02-07", "week")),
    ("last month", ("2020-01-01", "2020-01-31", "month")),
    ("earlier this month", ("2020-02-01", "2020-02-07", "month")),
    ("last year", ("2019-01-01", "2019-12-31", "year")),
    ("earlier this year", ("2020-01-01", "2020-02-07", "year")),
    ("on Saturday and Sunday", ("2020-02-01", "2020-02-02", "range")),
    ("between 1 January 2020 and 3 February 2020", ("2020-01-01", "2020-02-03", "range")),
    ("from Monday to Wednesday", ("2020-02-03", "2020-02-05", "range")),
    ("in the past few weeks", ("2020-01-17", "2020-02-07", "range")),
    ("over the past week", ("2020-01-31", "2020-02-07", "range")),
    ("during the last 10 days", ("2020-01-28", "2020-02-07", "range")),
    ("three days ago", ("2020-02-04", "2020-02-04", "day")),
    ("two weeks ago", ("2020-01-24", "2020-01-24", "week")),
    ("since 2011", ("2011-01-01", "2020-02-07", "range")),
    ("since March 2011", ("2011-03-01", "2020-02-07", "range")),
    ("since January", ("2020-01-01", "2020-02-07", "range")),
]


@pytest.mark.parametrize("expression,expected", PERIODS, ids=[e for e, _ in PERIODS])
def test_period(expression: str, expected: tuple[str, str, str]) -> None:
    period = dates.parse_period(expression, PUB)
    assert period is not None
    assert (period.start, period.end, period.precision) == expected
    assert period.text == expression


def test_numeric_date_order_mdy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_DATE_ORDER", "MDY")
    period = dates.parse_period("04/02/2020", PUB)
    assert period is not None and period.start == "2020-04-02"


# without a publication date: relative expressions keep their text with null bounds
UNANCHORED = ["on Tuesday", "yesterday", "in January", "since last April", "in the last two months", "Feb. 4",
              "last week", "earlier this month"]


@pytest.mark.parametrize("expression", UNANCHORED)
def test_no_reference_no_guess(expression: str) -> None:
    period = dates.parse_period(expression, None)
    assert period is not None
    assert period.start is None and period.text == expression
    assert period.end is None


@pytest.mark.parametrize("expression,expected", [
    ("4 February 2020", "2020-02-04"), ("January 2020", "2020-01-01"), ("in 2019", "2019-01-01"),
])
def test_absolute_without_reference(expression: str, expected: str) -> None:
    period = dates.parse_period(expression, None)
    assert period is not None and period.start == expected


NOT_DATES = ["2000 people fled", "They may come back", "12 people were killed", "World War II", "march on the city"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_dates(text: str) -> None:
    assert dates.find_in(text, PUB) == []


HEADS = [
    ("Sun 05 Jul 2015 22 dead in heavy U.S. raids", dt.date(2015, 7, 5)),
    ("BEIRUT, Feb 4 (Reuters) - Syrian forces", None),
    ("BEIRUT, Feb 4, 2015 (Reuters) - Syrian forces", dt.date(2015, 2, 4)),
    ("Published: 12 March 2020\nThe army advanced.", dt.date(2020, 3, 12)),
    ("2020-02-04\nThe army advanced.", dt.date(2020, 2, 4)),
    ("News\n\nTitle\nPutin met Assad in Sochi, Russia, Thursday, May 17, 2018. (AP)", None),
    ("The army advanced.", None),
    ("x" * 400 + "\n4 February 2020", None),
    # a dated credit inside the first line ("... Monitor AFP Thursday 30 Jul 2015 At least ...")
    ("18 dead in IS attack on Syria town Monitor AFP Thursday 30 Jul 2015 At least 18 people", dt.date(2015, 7, 30)),
    ("Syria fighting kills 132 Monitor Reuters Wednesday 25 Feb 2015 At least 132", dt.date(2015, 2, 25)),
    ("Syrian army advances Published February 18 2015 The Syrian army", dt.date(2015, 2, 18)),
    ("The AP reported in 2015 that the town fell.", None),
    # a numeric day-first dateline; a stamp with a clock time inside the head line
    ("05-02-2015 Jaysh al-Islam Fires Rocket Shells at Damascus", dt.date(2015, 2, 5)),
    ("09.07.2014 Syria: 14 civilians killed", dt.date(2014, 7, 9)),
    ("ISIL Kills 5 Syrians in Deir Ezzor Middle East Syria Security 31-08-2014 0742 PM Militants", dt.date(2014, 8, 31)),
    ("The talks on 12-14 March 2015 failed.", None),
]


@pytest.mark.parametrize("text,expected", HEADS, ids=[t[:30] for t, _ in HEADS])
def test_publication_date(text: str, expected: dt.date | None) -> None:
    assert dates.find_publication_date(text) == expected


def test_find_dates_spans_and_zones() -> None:
    text = "Caption Thursday, May 17, 2018.\nIn January, 208 civilians were killed. Since last April, 70 attacks."
    ctx = Context(text=text, published=PUB)
    cut = text.index("\n")
    ctx.sentences = [Sentence(0, cut, 0, zone=CAPTION), Sentence(cut + 1, text.index(" Since"), 1),
                     Sentence(text.index("Since"), len(text), 1)]
    found = dates.find_dates(ctx)
    assert [m.span.text for m in found] == ["In January", "Since last April"]
    assert [m.kind for m in found] == ["relative", "since"]
    for m in found:
        assert text[m.span.start : m.span.end] == m.span.text
        assert m.period.span == m.span
    assert (found[0].period.start, found[0].period.end) == ("2020-01-01", "2020-01-31")


@pytest.mark.parametrize(
    "text",
    [
        "In the October 6 suburb of Cairo, police killed two suspected militants.",
        "His body was found along a highway in the 6th of October suburb.",
        "Fighters of the 17 February Brigade said they had repelled the attack.",
        "Thousands marked the February 17 Revolution in Benghazi.",
    ],
)
def test_a_day_and_month_that_names_a_place_or_unit_is_no_date(text: str) -> None:
    assert dates.find_in(text, dt.date(2016, 1, 31)) == []


def test_the_same_words_as_a_date_still_count() -> None:
    found = dates.find_in("Police killed two men on October 6 in Cairo.", dt.date(2016, 1, 31))
    assert [f.period.start for f in found] == ["2015-10-06"]


@pytest.mark.parametrize(
    "text, published, start",
    [
        ("on 31 January", dt.date(2016, 1, 24), "2016-01-31"),  # a week ahead: the same January
        ("on 3 December", dt.date(2016, 1, 5), "2015-12-03"),  # last December
        ("on 20 February", dt.date(2016, 1, 24), "2016-02-20"),  # within a month ahead: announced
        ("on 30 March", dt.date(2016, 1, 24), "2015-03-30"),  # far ahead: last year's
    ],
)
def test_a_day_without_a_year(text: str, published: dt.date, start: str) -> None:
    assert [f.period.start for f in dates.find_in(text, published)] == [start]


# -- year-less days: kept as month and day, placed in a year when the document states one (issue 14) -----


def _body(text: str, published: dt.date | None) -> Context:
    ctx = Context(text=text, published=published)
    ctx.sentences = [Sentence(0, len(text), 0)]
    return ctx


def test_a_day_without_a_year_or_publication_keeps_its_month_and_day() -> None:
    (found,) = dates.find_in("The drone struck on August 18.", None)
    assert (found.period.start, found.period.end, found.period.month_day) == (None, None, "--08-18")
    (found,) = dates.find_in("The drone struck on August 18.", dt.date(2022, 8, 20))
    assert (found.period.start, found.period.month_day) == ("2022-08-18", "--08-18")  # the words still gave no year
    (found,) = dates.find_in("The drone struck on 18 August 2021.", None)
    assert found.period.month_day is None and found.period.start == "2021-08-18"


def test_a_year_stated_elsewhere_in_the_document_places_a_day_without_one() -> None:
    found = dates.find_dates(_body("Shelling on 16 August 2021 hit Tal Tamr. A drone struck on August 18.", None))
    assert [(m.period.start, m.period.month_day) for m in found] == [("2021-08-16", None), ("2021-08-18", "--08-18")]
    # two years stated: no telling which one the day belongs to, so it stays without a year
    found = dates.find_dates(_body("In March 2020 and in May 2021 it was shelled. A drone struck on August 18.", None))
    assert found[-1].period.start is None and found[-1].period.month_day == "--08-18"
    # a year alone ("in 2019") is often background, and places nothing
    found = dates.find_dates(_body("Since its capture in 2019 the town was shelled; a drone struck on August 18.", None))
    assert found[-1].period.start is None


def test_the_days_a_document_names() -> None:
    text = "On Tuesday night a drone struck. Shells fell on August 18, and on 3 May 2021, and over the past week."
    assert dates.days_named(dates.find_dates(_body(text.replace(" 2021", ""), None))) == ["-W-2", "--08-18", "--05-03"]
    found = dates.find_dates(_body(text, None))
    assert dates.days_named(found) == ["-W-2", "2021-08-18", "2021-05-03"]  # the one year stated places the day
    found = dates.find_dates(_body(text, PUB))  # with a publication date the weekday is a day
    assert dates.days_named(found) == ["2020-02-04", "2019-08-18", "2021-05-03"]
