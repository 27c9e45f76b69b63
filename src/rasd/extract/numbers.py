"""Numbers as reporters write them -> bounds and a qualifier.

Every rule lives once, as data, in ``rasd/data/figures/numbers.json``:

- ``qualifiers``: phrase -> qualifier and bounds rule ("more than" -> low=n;
  "about" -> best=n, low/high = n -/+ round(n * approx_margin); "nearly" ->
  best=high=n, low = n - round(n * approx_margin); "up to" -> high=n).
- ``vague``: plural quantity words ("dozens" 24..99, "hundreds" 200..999,
  "thousands" 2,000..9,999, "tens of thousands" 20,000..99,999): best is null,
  qualifier ``vague``.
- ``fixed``: phrases with a value ("a dozen" 12, "half a million" 500,000),
  both approximate: a round phrase is an estimate.
- ``not_after`` / ``not_before``: words that make a number something else
  (percentages, money, measures, ages, identifiers, dates).

Ranges ("between 10 and 15", "10-15", "10 to 15", "two or three") give
qualifier ``range`` with low and high and a null best. Cardinal words
("twenty-two", "two hundred and fifty") are read by ``text2num``.

``find_numbers(text)`` returns every number phrase in a string; it knows
nothing about grammar: ``figures`` decides which numbers are figures.
"""

from __future__ import annotations

import calendar
import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from text_to_num import text2num

from .. import settings


@dataclass(frozen=True)
class NumberPhrase:
    """A number with its qualifier: offsets are into the string given to ``find_numbers``."""

    start: int  # the whole phrase, qualifier included ("more than 6,600")
    end: int
    num_start: int  # the number alone ("6,600")
    num_end: int
    low: int | None
    best: int | None
    high: int | None
    qualifier: str


@functools.lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """The number tables (``rasd/data/figures/numbers.json``), loaded once."""
    path = resources.files("rasd") / "data" / "figures" / "numbers.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _alternation(phrases: list[str]) -> str:
    """Longest first, spaces match any run of white space."""
    ordered = sorted((p for p in phrases if not p.startswith("_")), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)


_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?![\d])"  # 6,600
    r"|\d{1,3}(?:\.\d{3})+(?![\d]|\.\d)"  # 6.600 (thousands with dots)
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])"  # 110 000
    r"|\d+(?:\.\d+)?"
)


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    r = rules()
    cw = "|".join(sorted(r["cardinal_words"], key=len, reverse=True))
    first = "|".join(sorted((w for w in r["cardinal_words"] if w not in r["scales"] and w != "hundred"), key=len, reverse=True))
    words = rf"(?:{first})(?:(?:\s*-\s*|\s+|(?<=hundred)\s+and\s+)(?:{cw})(?!\w))*"
    scales = "|".join(list(r["scales"]) + ["dozen"])
    core = (
        rf"(?P<fixed>{_alternation(list(r['fixed']))})"
        rf"|(?P<vague>{_alternation(list(r['vague']))})"
        rf"|(?P<digits>{_DIGITS})(?:\s+(?P<dscale>{scales}))?"
        rf"|(?P<words>{words})(?:\s+(?P<wscale>dozen))?"
    )
    qual = _alternation(list(r["qualifiers"]))
    return re.compile(
        rf"(?<![\w$€£.,:])(?<![A-Za-z]-)(?:(?P<q>{qual})\s+)?(?P<n>{core})(?![\w]|:\d)", re.IGNORECASE
    )


@functools.lru_cache(maxsize=1)
def _prefilter() -> re.Pattern[str]:
    """Cheap test for 'a number may be here': digits or any number word."""
    r = rules()
    words = list(r["cardinal_words"]) + ["dozen", "dozens", "scores", "hundreds", "thousands", "millions"]
    return re.compile(rf"\d|\b(?:{'|'.join(words)})\b", re.IGNORECASE)


def might_contain_number(text: str) -> bool:
    return _prefilter().search(text) is not None


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# "17 May", "4 Feb." (case-sensitive: "12 may have died" is a count)
_MONTH_AFTER = re.compile(
    r"\s*(?:%s)\b" % "|".join(calendar.month_name[1:] + calendar.month_abbr[1:] + ["Sept"])
)
_YEAR_BEFORE = frozenset(
    "in since of during until till by from early late mid year before after between and to the this last "
    "summer spring winter autumn fall".split()
)
_JOIN = re.compile(r"\s*(?:-|–|to|or)\s*|\s+and\s+", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"(?:between|from)\s+$", re.IGNORECASE)
_PREV_WORD = re.compile(r"(\S+)\s*$")


_MAX_DIGITS = 40  # longer digit strings are not read at all (out of range whatever the scale)


def max_count() -> int:
    """The largest count a figure may hold (setting ``max_count``); larger numbers are out of range."""
    return int(settings.get("max_count"))


def bounds(n: int, rule: str) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) for the number ``n`` under a bounds rule of the tables."""
    margin = round(n * float(settings.get("approx_margin")))
    if rule == "approx":
        return n - margin, n, n + margin
    if rule == "below":
        return n - margin, n, n
    if rule == "low":
        return n, None, None
    if rule == "high":
        return None, None, n
    return n, n, n


def _digits_value(text: str, scale: str | None) -> int | None:
    t = re.sub(r"[ \u00a0\u202f,]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t) and not scale:
        t = t.replace(".", "")
    if len(t) > _MAX_DIGITS:
        return None  # out of range: no count has this many digits (and no float can hold 309 of them)
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    if scale:
        value *= Decimal(str(rules()["scales"].get(scale.lower(), 12)))
    return int(value) if value == value.to_integral_value() else None


def _words_value(text: str, scale: str | None) -> int | None:
    norm = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", text.lower()))
    try:
        value = int(text2num(norm, "en"))
    except (ValueError, TypeError):
        return None
    return value * 12 if scale else value


def _read(m: re.Match[str]) -> NumberPhrase | None:
    r = rules()
    q = (m.group("q") or "").lower()
    qual = r["qualifiers"].get(re.sub(r"\s+", " ", q)) if q else None
    start = m.start("q") if q else m.start("n")
    if m.group("vague"):
        v = r["vague"][re.sub(r"\s+", " ", m.group("vague").lower())]
        low, high = v["low"], v["high"]
        if qual and qual["bounds"] == "low":
            return NumberPhrase(start, m.end(), m.start("n"), m.end("n"), low, None, None, qual["qualifier"])
        return NumberPhrase(m.start("n"), m.end(), m.start("n"), m.end("n"), low, None, high, "vague")
    if m.group("fixed"):
        f = r["fixed"][re.sub(r"\s+", " ", m.group("fixed").lower())]
        n, rule, name = int(f["value"]), f["bounds"], "approximate" if f["bounds"] != "exact" else "exact"
    else:
        if m.group("digits"):
            value = _digits_value(m.group("digits"), m.group("dscale"))
        else:
            value = _words_value(m.group("words"), m.group("wscale"))
        if value is None:
            return None
        n, rule, name = value, "exact", "exact"
    if qual:
        rule, name = qual["bounds"], qual["qualifier"]
    if n > max_count():
        return None  # out of range (setting max_count): not a count anything can hold
    low, best, high = bounds(n, rule)
    return NumberPhrase(start, m.end(), m.start("n"), m.end("n"), low, best, high, name)


# a date written in digits ("6-09-2013", "29/04/2014", "2014.04.29"): none of its numbers counts anything
_NUMERIC_DATE = re.compile(r"(?<![\d.,])\d{1,4}([-/.])\d{1,2}\1\d{1,4}(?![\d]|[.,]\d)")
# a day and month with a slash and no year ("on 30/03", "in the night of 19/04"): a date, never two counts
_DAY_MONTH = re.compile(r"(?<![\d.,/])(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])(?![\d/]|[.,]\d)")


def _in_numeric_date(text: str, m: re.Match[str]) -> bool:
    lo, hi = max(0, m.start() - 10), min(len(text), m.end() + 10)
    window = [*_NUMERIC_DATE.finditer(text, lo, hi), *_DAY_MONTH.finditer(text, lo, hi)]
    return any(d.start() <= m.start() < d.end() for d in window)


def _excluded(text: str, m: re.Match[str]) -> bool:
    r = rules()
    if _in_numeric_date(text, m):
        return True
    if _MONTH_AFTER.match(text, m.end()):
        return True
    after = text[m.end() : m.end() + 12].lower()
    for w in r["not_after"]["words"]:
        if after.startswith(w) or after.startswith(" " + w):
            tail = after[len(w) + (0 if after.startswith(w) else 1) :]
            if not tail[:1].isalpha():
                return True
    prev = _PREV_WORD.search(text[max(0, m.start() - 20) : m.start()])
    prev_word = prev.group(1).lower() if prev else ""
    if prev_word in r["not_before"]["words"] or text[max(0, m.start() - 1) : m.start()] in ("$", "€", "£", "#"):
        return True
    digits = m.group("digits")
    if digits and not m.group("dscale") and not m.group("q") and _YEAR.fullmatch(digits):
        if prev_word in _YEAR_BEFORE or re.search(r"(?:1[89]|20)\d\d[-–]$", prev_word):
            return True
        return after[:1] in (",", ".", ")", "", "-", "–") or after[:2] == "s "
    return False


def _merge_range(text: str, a: NumberPhrase, b: NumberPhrase) -> NumberPhrase | None:
    gap = text[a.end : b.start]
    if not _JOIN.fullmatch(gap) or b.start != b.num_start:
        return None
    opener = _RANGE_OPEN.search(text[max(0, a.start - 10) : a.start])
    if "and" in gap.lower() and not opener:
        return None
    lo = a.low if a.best is None else a.best
    hi = b.high if b.best is None else b.best
    if lo is None or hi is None or lo >= hi:
        return None
    start = a.start - len(opener.group(0)) if opener else a.start
    return NumberPhrase(start, b.end, a.num_start, b.num_end, lo, None, hi, "range")


def find_numbers(text: str) -> list[NumberPhrase]:
    """Every number phrase in ``text`` that can count something, ranges merged."""
    found: list[NumberPhrase] = []
    for m in _pattern().finditer(text):
        if _excluded(text, m):
            continue
        phrase = _read(m)
        if phrase is None:
            continue
        if found:
            merged = _merge_range(text, found[-1], phrase)
            if merged is not None:
                found[-1] = merged
                continue
        found.append(phrase)
    return found
