"""Absolute and relative dates -> Period, resolved against the publication date.

One compiled pattern finds every candidate; each alternative has its resolver:

- absolute: "4 February 2020", "Sun 05 Jul 2015", "Thursday, May 17, 2018",
  "Feb. 4", "2020-02-04", "04/02/2020" (read with the ``date_order`` setting,
  DMY by default), "January 2020", "in 2019" -> day, month or year. A date
  without a year takes the publication year (the year before when that would
  put it more than a month after publication: "on 31 January" in a report of
  24 January is that January, "on 3 December" in one of 5 January the last).
  Such a date keeps the day the words name as ``month_day`` ("--08-18", ISO
  8601's year-less form); with no publication date, it takes the year the
  document's other dates state when they all state one (a report that dates one
  strike "18 August 2021" and the next "on August 20"), else its bounds stay null
  and ``month_day`` alone says which day it was.
- months: "in January" / "during January" -> the most recent January that began
  on or before publication; "last April" -> the most recent April before the
  publication month.
- weekdays: "on Tuesday" -> the most recent Tuesday on or before publication;
  "last Tuesday" -> strictly before.
- relative: yesterday, today, last night, this/last week (Monday to Sunday),
  this/last month, this/last year, "earlier this month" (first of the month to
  publication), "N days ago".
- durations: "in the last two months", "over the past week", "the past few
  weeks" ("few" and "several" count as three) -> a range ending at publication.
- "since X" -> a range from the start of X to publication; "between X and Y",
  "from X to Y", "Saturday and Sunday" -> one range over both.

Without a publication date every relative expression keeps its text with null
bounds and precision: never a made-up date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace

from dateutil.relativedelta import relativedelta
from text_to_num import text2num

from .. import settings
from ..model import Period
from .context import BODY, Context, DateMention

_MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    _MONTHS[calendar.month_name[_i].lower()] = _i
    _MONTHS[calendar.month_abbr[_i].lower()] = _i
_MONTHS["sept"] = 9
_WEEKDAYS: dict[str, int] = {}
for _i in range(7):
    _WEEKDAYS[calendar.day_name[_i].lower()] = _i
    _WEEKDAYS[calendar.day_abbr[_i].lower()] = _i
_WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_MONTH = r"(?:%s)" % "|".join(
    sorted([m.capitalize() for m in _MONTHS if len(m) > 3] + [m.capitalize() + r"\.?" for m in _MONTHS if len(m) <= 4], key=len, reverse=True)
)
_WD = r"(?:%s)" % "|".join(sorted([w.capitalize() for w in _WEEKDAYS], key=len, reverse=True))
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_UNIT = r"(?:days?|weeks?|months?|years?)"
_COUNT = r"(?:\d+|few|several|couple\s+of|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# a year-like number followed by one of these counts something ("2000 people")
_COUNTED = "people|persons|civilians|children|refugees|fighters|soldiers|troops|families|houses|homes|attacks|dead"

_PATTERN = re.compile(
    rf"(?<![\w-])(?P<since>(?i:since)\s+)?(?:"
    rf"(?P<iso>{_YEAR}-\d\d-\d\d)"
    rf"|(?P<num>\d{{1,2}}/\d{{1,2}}/(?:{_YEAR}|\d\d)|\d{{1,2}}(?P<sep>[.-])\d{{1,2}}(?P=sep){_YEAR}(?![.-]\d))"
    rf"|(?P<dmy>(?:{_WD},?\s+)?(?P<d1>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH}),?(?:\s+(?P<y1>{_YEAR}))?)"
    rf"|(?P<mdy>(?:{_WD},?\s+)?(?P<m2>{_MONTH})\s+(?P<d2>{_DAY})(?!\d)(?:,?\s+(?P<y2>{_YEAR}))?)"
    rf"|(?P<my>(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR}))"
    rf"|(?P<month>(?:(?P<mq>(?i:last|this|in|during|early|late|mid-?|by|until|earlier\s+in|of))\s+|(?<=[Ss]ince\s))(?P<m4>{_MONTH})(?!,?\s+{_YEAR}|\s+{_DAY}\b))"
    rf"|(?P<span>(?i:(?:in|over|during|for|within)\s+)?(?i:the\s+)(?i:last|past|previous)\s+(?:(?P<n>{_COUNT})\s+)?(?P<unit>{_UNIT}))"
    rf"|(?P<ago>(?P<n2>{_COUNT})\s+(?P<unit2>{_UNIT})\s+ago)"
    rf"|(?P<rel>(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night"
    rf"|this\s+(?:morning|afternoon|evening)|(?:earlier\s+)?this\s+(?:week|month|year)|last\s+(?:week|month|year)))"
    rf"|(?P<wd>(?P<wq>(?i:on|last|this)\s+)?(?P<w>{_WD})(?!,?\s+(?:{_MONTH}|{_DAY})))"
    rf"|(?P<year>(?:(?i:in|during|of|until|by|early|late|mid-|from|between|and|to)\s+)?(?P<y4>{_YEAR})"
    rf"(?![\d,.]\d|\s+(?i:{_COUNTED})\b))"
    rf")(?![\w])"
)
_JOIN = re.compile(r"\s*(?:-|–|and|to|until|till)\s*", re.IGNORECASE)
_OPEN = re.compile(r"(?i:between|from)\s+$")


@dataclass
class _Found:
    start: int
    end: int
    period: Period
    kind: str


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _make(year: int | None, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day) if year else None
    except (ValueError, OverflowError):
        return None


_AHEAD_DAYS = 31


def _day(year: int | None, month: int, day: int, pub: dt.date | None) -> tuple[dt.date | None, dt.date | None, str]:
    if year is None and pub is not None:
        d = _make(pub.year, month, day)
        # a day a few weeks after publication is one announced or a dated copy, not one a year back
        year = pub.year - 1 if d is not None and (d - pub).days > _AHEAD_DAYS else pub.year
    d = _make(year, month, day)
    return d, d, "day"


def _num(text: str) -> int:
    t = text.lower()
    if t in ("few", "several"):
        return 3
    if t.startswith("couple"):
        return 2
    return int(t) if t.isdigit() else int(text2num(t, "en"))


def _absolute(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, dt.date | None, str] | None:
    if m.group("iso"):
        y, mo, d = (int(x) for x in m.group("iso").split("-"))
        return _day(y, mo, d, pub)
    if m.group("num"):
        a, b, c = re.split(r"[/.-]", m.group("num"))
        year = int(c) + (2000 if len(c) == 2 else 0)
        day, month = (int(a), int(b)) if settings.get("date_order").upper() == "DMY" else (int(b), int(a))
        return _day(year, month, day, pub)
    for dg, mg, yg in (("d1", "m1", "y1"), ("d2", "m2", "y2")):
        if m.group(mg) and m.group(dg):
            given: int | None = int(m.group(yg)) if m.group(yg) else None
            return _day(given, _MONTHS[m.group(mg).lower().rstrip(".")], int(re.sub(r"\D", "", m.group(dg))), pub)
    if m.group("my"):
        y, mo = int(m.group("y3")), _MONTHS[m.group("m3").lower().rstrip(".")]
        return dt.date(y, mo, 1), _month_end(y, mo), "month"
    if m.group("year"):
        y = int(m.group("y4"))
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    return None


def _named_month(m: re.Match[str], pub: dt.date) -> tuple[dt.date, dt.date, str]:
    mo = _MONTHS[m.group("m4").lower().rstrip(".")]
    strict = (m.group("mq") or "").lower() == "last"
    year = pub.year if (mo < pub.month or (mo == pub.month and not strict)) else pub.year - 1
    return dt.date(year, mo, 1), _month_end(year, mo), "month"


def _relative(word: str, pub: dt.date) -> tuple[dt.date, dt.date, str]:
    w = re.sub(r"\s+", " ", word.lower())
    monday = pub - dt.timedelta(days=pub.weekday())
    table: dict[str, tuple[dt.date, dt.date, str]] = {
        "yesterday": (pub - dt.timedelta(1), pub - dt.timedelta(1), "day"),
        "last night": (pub - dt.timedelta(1), pub - dt.timedelta(1), "day"),
        "the day before yesterday": (pub - dt.timedelta(2), pub - dt.timedelta(2), "day"),
        "last week": (monday - dt.timedelta(7), monday - dt.timedelta(1), "week"),
        "this week": (monday, pub, "week"),
        "last month": ((pub.replace(day=1) - relativedelta(months=1)), pub.replace(day=1) - dt.timedelta(1), "month"),
        "this month": (pub.replace(day=1), pub, "month"),
        "last year": (dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), "year"),
        "this year": (dt.date(pub.year, 1, 1), pub, "year"),
    }
    return table.get(w.replace("earlier ", ""), (pub, pub, "day"))


def _span(n: str | None, unit: str, pub: dt.date) -> tuple[dt.date, dt.date, str]:
    count = _num(n) if n else 1
    unit = unit.lower().rstrip("s") + "s"
    return pub - relativedelta(**{unit: count}), pub, "range"  # type: ignore[arg-type]


def _ago(n: str, unit: str, pub: dt.date) -> tuple[dt.date, dt.date, str]:
    unit = unit.lower().rstrip("s") + "s"
    d = pub - relativedelta(**{unit: _num(n)})  # type: ignore[arg-type]
    return d, d, {"days": "day", "weeks": "week", "months": "month", "years": "year"}[unit]


def _weekday(m: re.Match[str], pub: dt.date) -> tuple[dt.date, dt.date, str]:
    target = _WEEKDAYS[m.group("w").lower()]
    back = (pub.weekday() - target) % 7
    if back == 0 and (m.group("wq") or "").strip().lower() == "last":
        back = 7
    d = pub - dt.timedelta(days=back)
    return d, d, "day"


def _resolve(m: re.Match[str], pub: dt.date | None) -> tuple[tuple[dt.date | None, dt.date | None, str | None], str]:
    got = _absolute(m, pub)
    if got is not None:
        return got, "date"
    kind = "weekday" if m.group("wd") else "duration" if m.group("span") else "relative"
    if pub is None:
        return (None, None, None), kind
    if m.group("month"):
        return _named_month(m, pub), kind
    if m.group("span"):
        return _span(m.group("n"), m.group("unit"), pub), kind
    if m.group("ago"):
        return _ago(m.group("n2"), m.group("unit2"), pub), kind
    if m.group("rel"):
        return _relative(m.group("rel"), pub), kind
    return _weekday(m, pub), kind


def _month_day(m: re.Match[str]) -> str | None:
    """The day a match names without a year ("On August 18") as "--MM-DD", else None."""
    for dg, mg, yg in (("d1", "m1", "y1"), ("d2", "m2", "y2")):
        if m.group(mg) and m.group(dg) and not m.group(yg):
            month, day = _MONTHS[m.group(mg).lower().rstrip(".")], int(re.sub(r"\D", "", m.group(dg)))
            return f"--{month:02d}-{day:02d}" if _make(2000, month, day) is not None else None  # 2000: a leap year
    return None


def _period_of(text: str, base: int, m: re.Match[str], pub: dt.date | None) -> _Found:
    try:
        (start, end, precision), kind = _resolve(m, pub)
    except (ValueError, OverflowError):  # "the past 106000 weeks", "610277385010 years ago": out of range, no day
        (start, end, precision), kind = (None, None, None), "duration" if m.group("span") else "relative"
    if m.group("since"):
        kind, precision = "since", "range"
        end = pub if start is not None else None
        if start is not None and end is not None and end < start:
            end = start  # "since 2020" in a report dated 2000: never a period that ends before it starts
    s, e = base + m.start(), base + m.end()
    period = Period(_iso(start), _iso(end), precision, text[s:e], month_day=_month_day(m))
    return _Found(s, e, period, kind)


def _merge(text: str, a: _Found, b: _Found) -> _Found | None:
    """'between X and Y', 'from X to Y', 'Saturday and Sunday' -> one range."""
    if not _JOIN.fullmatch(text[a.end : b.start]) or b.kind == "since":
        return None
    opener = _OPEN.search(text[max(0, a.start - 10) : a.start])
    if not opener and not (a.kind == b.kind == "weekday"):
        return None
    start = a.start - len(opener.group(0)) if opener else a.start
    bounds = [x for x in (a.period.start, a.period.end, b.period.start, b.period.end) if x]
    both = a.period.start is not None and b.period.start is not None
    period = Period(min(bounds) if both else None, max(bounds) if both else None, "range", text[start : b.end])
    return _Found(start, b.end, period, a.kind)


# nouns after which a day-and-month is the name of a place, a unit or an era
_NAME_TAIL = re.compile(
    r"\s*(?:suburb|city|district|bridge|street|square|road|avenue|neighbou?rhood|hospital|university|stadium|"
    r"movement|brigade|battalion|revolution|uprising|war|camp|village|axis|corridor|martyrs)\b",
    re.I,
)


def find_in(text: str, published: dt.date | None, base: int = 0) -> list[_Found]:
    """Every date expression in ``text`` (offsets shifted by ``base``), ranges merged."""
    found: list[_Found] = []
    for m in _PATTERN.finditer(text):
        if _NAME_TAIL.match(text, m.end()):
            continue  # "the October 6 suburb", "6th of October City", "the 17 February Brigade": a name, not a date
        f = _period_of(text, 0, m, published)
        if found:
            merged = _merge(text, found[-1], f)
            if merged is not None:
                found[-1] = merged
                continue
        found.append(f)
    for f in found:
        f.start, f.end = f.start + base, f.end + base
    return found


def parse_period(expression: str, published: dt.date | None = None) -> Period | None:
    """The period of one date expression ("since last April", "Feb. 4"), or None."""
    found = find_in(expression, published)
    return found[0].period if found else None


_HEAD = re.compile(
    rf"^[ \t]*(?:(?i:published|posted|updated|date|dated)(?:\s+on)?\s*:?\s*|[A-Z][A-Za-z .'-]{{1,30}},\s+)?(?=\S)"
)


# an agency credit or "Published" right before a dated dateline inside a line:
# "... Monitor AFP Thursday 30 Jul 2015 At least ...", "Published February 18 2015 The ..."
_CREDIT = re.compile(
    r"(?:\b(?:AFP|Reuters|AP|DPA|dpa|Xinhua|Anadolu(?:\s+Agency)?|SANA|ANHA|UPI|Agencies)"
    r"|(?i:\b(?:published|posted|updated|dated)(?:\s+on)?))[ \t]*[,:|\u2013-]?[ \t]*(?=\S)"
)


_CLOCK = re.compile(r"[ \t]*,?[ \t]*(?:\d{1,2}:\d\d|\d{4}[ \t]*(?:[AaPp]\.?[Mm]\b|GMT|UTC))")


def _dated(m: re.Match[str] | None) -> dt.date | None:
    if m and not m.group("since") and (m.group("iso") or m.group("num") or m.group("y1") or m.group("y2")):
        got = _absolute(m, None)
        if got is not None and got[0] is not None:
            return got[0]
    return None


@functools.lru_cache(maxsize=1024)
def find_publication_date(text: str) -> dt.date | None:
    """A dated dateline at the head of the text ("Sun 05 Jul 2015", "Published: 12 March 2020"),
    at a line's start or right after an agency credit ("... AFP Thursday 30 Jul 2015 ...")."""
    head = text[:300]
    for line in head.split("\n"):
        lead = _HEAD.match(line)
        found = _dated(_PATTERN.match(line, lead.end() if lead else 0))
        if found is not None:
            return found
    for credit in _CREDIT.finditer(text[:400]):
        found = _dated(_PATTERN.match(text, credit.end()))
        if found is not None:
            return found
    # a stamp inside the head line: "... Syria Security 31-08-2014 0742 PM Militants ..."
    for m in _PATTERN.finditer(head):
        if _CLOCK.match(head, m.end()):
            found = _dated(m)
            if found is not None:
                return found
    return None


def document_year(periods: list[Period]) -> int | None:
    """The one year the document's dates state with a day or a month ("18 August 2021", "March 2021"),
    or None when they state none or several (or a year alone: "in 2019" is often background)."""
    years = {int(p.start[:4]) for p in periods
             if p.start and p.month_day is None and p.precision in ("day", "month") and p.start[:4] == (p.end or "")[:4]}
    return years.pop() if len(years) == 1 else None


def with_year(period: Period, year: int) -> Period:
    """A year-less day (``month_day`` set, no bounds) placed in ``year``; unchanged when it has bounds."""
    if period.start is not None or period.month_day is None:
        return period
    day = _make(year, int(period.month_day[2:4]), int(period.month_day[5:7]))
    return replace(period, start=_iso(day), end=_iso(day)) if day is not None else period


def find_dates(ctx: Context) -> list[DateMention]:
    """Every date expression in the body sentences of ``ctx``, resolved against ``ctx.published`` (without
    one, a year-less day takes the year of the document's other dates; see the module docstring)."""
    out: list[DateMention] = []
    for sent in ctx.sentences:
        if sent.zone != BODY:
            continue
        for f in find_in(ctx.text[sent.start : sent.end], ctx.published, sent.start):
            span = ctx.span(f.start, f.end)
            f.period.span = span
            out.append(DateMention(span=span, period=f.period, kind=f.kind))
    year = document_year([d.period for d in out]) if ctx.published is None else None
    if year is not None:
        for d in out:
            d.period = with_year(d.period, year)
    return out


def days_named(mentions: list[DateMention]) -> list[str]:
    """The single days the mentions name, each once, in order: the ISO date when its year is known, else
    "--MM-DD" ("On August 18"), or for a weekday with no publication date to place it "-W-D" (ISO 8601's
    truncated week date, 1 = Monday: "-W-3" is "on Wednesday"). Reports of one event name its day, so
    the days two reports name are evidence that they tell one event or two."""
    out: dict[str, None] = {}
    for d in mentions:
        p = d.period
        if d.kind in ("since", "duration"):
            continue
        day = None
        if p.precision == "day":
            day = p.start if p.start is not None and p.start == p.end else p.month_day
        elif d.kind == "weekday" and p.start is None and p.precision is None:
            named = re.search(_WD, p.text or "")
            day = f"-W-{_WEEKDAYS[named.group(0).lower()] + 1}" if named else None
        if day:
            out.setdefault(day, None)
    return list(out)
