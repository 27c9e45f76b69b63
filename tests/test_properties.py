"""Property tests over the figure, date and place grammars (issue 17): whatever the text, they never
raise, every span is exact (``text[start:end]`` is what it says) and bounds are ordered."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rasd.extract import dates, numbers, pipeline, places
from rasd.render import terminal_safe

PIECES = [
    "killed", "wounded", "more than", "at least", "about", "nearly", "up to", "between", "and", "to", "or", "-",
    "hundreds", "dozens", "tens of thousands", "half a million", "a dozen", "twenty-two", "two hundred and fifty",
    "million", "billion", "weeks", "years", "days", "ago", "in the past", "over the last", "since", "last",
    "January", "Feb.", "Tuesday", "yesterday", "2020", "1,000,000", "6.600", "110 000", "2013-04-29", "29/04/2014",
    "Idlib", "Saraqib", "Aleppo", "Syria", "Mosul", "Zliten", "near", "in", ",", ".", "\n", "\u202e", "\x1b[2J",
    "9" * 19, "9" * 40, "9" * 309, "610277385010", "106000", "12345678901234567", "0", "00", "1.5",
]
TEXTS = st.one_of(
    st.lists(st.one_of(st.sampled_from(PIECES), st.integers(0, 10**25).map(str)), max_size=30).map(" ".join),
    st.text(max_size=200),
)
PUBLISHED = st.one_of(st.none(), st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXTS)
def test_numbers_never_raise_spans_exact_bounds_ordered(text: str) -> None:
    for p in numbers.find_numbers(text):
        assert 0 <= p.start <= p.num_start < p.num_end <= p.end <= len(text)
        values = [v for v in (p.low, p.best, p.high) if v is not None]
        assert values and all(0 <= v for v in values) and values == sorted(values)
        assert max(values) < 2**63  # storable in SQLite
        assert (p.best or p.low or p.high or 0) <= numbers.max_count() * 2


@FAST
@given(TEXTS, PUBLISHED)
def test_dates_never_raise_spans_exact_bounds_ordered(text: str, published: dt.date | None) -> None:
    for f in dates.find_in(text, published):
        assert 0 <= f.start < f.end <= len(text)
        assert f.period.text == text[f.start : f.end]
        if f.period.start and f.period.end:
            assert f.period.start <= f.period.end
            dt.date.fromisoformat(f.period.start)


@FAST
@given(TEXTS)
def test_places_never_raise_spans_exact(text: str) -> None:
    ctx = pipeline.prepare(pipeline.Input(text=text or "x"))
    for m in places.find_places(ctx):
        assert ctx.text[m.span.start : m.span.end] == m.span.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.integers(5, 80))
def test_pieces_cover_the_text_exactly(text: str, limit: int) -> None:
    got = list(pipeline.pieces(text, 0, len(text), limit))
    assert all(0 <= a < b <= len(text) and b - a <= max(limit, len(text) if len(text) <= limit else limit) for a, b in got)
    assert all(got[i][1] <= got[i + 1][0] for i in range(len(got) - 1))
    covered = "".join(text[a:b] for a, b in got)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)  # only white space between pieces is left out


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_terminal_safe_leaves_no_control(text: str) -> None:
    out = terminal_safe(text)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F or c in "\u202e\u2066\u200f" for c in out)


def test_the_page_shows_bidi_controls_instead_of_obeying_them() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    js = (Path(__file__).resolve().parents[1] / "src/rasd/serve/static/app.js").read_text(encoding="utf-8")
    regex = re.search(r"  var INVISIBLE = .*?;\n", js)
    function = re.search(r"  function visible\(text\) \{.*?\n  \}\n", js, re.S)
    assert regex and function
    script = regex.group(0) + function.group(0) + "console.log(JSON.stringify(visible(process.argv[1])));"
    out = subprocess.run([node, "-e", script, "killed \u202e21\u202c, the \u2066White Helmets\u2069 said"],
                         capture_output=True, text=True, check=True).stdout
    shown = json.loads(out)
    assert shown == "killed \u27e6U+202E\u27e721\u27e6U+202C\u27e7, the \u27e6U+2066\u27e7White Helmets\u27e6U+2069\u27e7 said"
