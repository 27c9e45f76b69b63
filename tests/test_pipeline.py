"""The pipeline's batch machinery: which sentences get parsed, and that batching and
processes never change what is extracted."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from rasd.extract import events, figures, pipeline
from rasd.extract.context import Context
from rasd.model import Extraction

# (sentence, parsed?) -- a sentence is parsed when it may hold a figure or an event
PREFILTER_CASES = [
    ("At least 12 civilians were killed in the strike.", True),
    ("Twelve people died and dozens were wounded.", True),
    ("The death toll rose to 40 on Sunday.", True),
    ("Clashes forced 3,000 families to flee their homes.", True),
    ("Security forces rounded up 20 men in the village.", True),
    ("Warplanes struck the market in Saraqeb.", True),  # event trigger, no number
    ("A child was killed by a sniper.", True),  # article figure ("a child" is one killed)
    ("Regime forces shelled Maarat al-Numan.", True),
    ("Published 3 May 2016, 10:45 GMT.", False),  # dates only
    ("The council met on 12 March 2015 to discuss the budget.", False),
    ("Subscribe to our newsletter for the latest news.", False),  # boilerplate
    ("Share this article on Facebook and Twitter.", False),
    ("He was born in 1970 in Homs.", False),
]


@pytest.mark.parametrize(("sentence", "parsed"), PREFILTER_CASES)
def test_prefilters_select_the_sentences_that_matter(sentence: str, parsed: bool) -> None:
    got = figures.might_hold_figure(sentence) or events.might_hold_event(sentence)
    assert got == parsed


@pytest.mark.parametrize(
    ("sentence", "figure"),
    [
        ("At least 12 civilians were killed.", True),
        ("The death toll rose to 40.", True),
        ("Some 600,000 Syrians have fled.", True),
        ("The talks resumed on 3 May 2016.", False),
        ("The 2015 budget was approved.", False),
        ("Civilians were killed.", False),  # no number: left to the events filter
    ],
)
def test_figure_prefilter_needs_a_number_and_a_trigger(sentence: str, figure: bool) -> None:
    assert figures.might_hold_figure(sentence) == figure


DOCS = [
    "Syrian government warplanes struck a market in Saraqeb on Tuesday, killing 12 civilians, "
    "the White Helmets said.\n\nAnother 30 people were wounded.",
    "Regime forces shelled the town of Maarat al-Numan on 3 February 2020. At least five people died, "
    "including two children, according to the Syrian Observatory for Human Rights.",
    "Subscribe to our newsletter.\n\nThe council met on 12 March 2015 to discuss the budget.",
    "Turkish drones hit a convoy near Idlib. Clashes between HTS and the SNA killed 14 fighters.",
    "Some 600,000 people have fled their homes in Idlib province since December, the UN said.",
]


def _inputs(n: int = 0) -> list[pipeline.Input]:
    texts = [DOCS[i % len(DOCS)] for i in range(max(n, len(DOCS)))]
    return [pipeline.Input(text=t, id=str(i)) for i, t in enumerate(texts)]


def _json(results: Iterable[tuple[Context, Extraction]]) -> list[str]:
    return [ex.to_json() for _, ex in results]


def test_batch_and_one_by_one_give_the_same_extractions() -> None:
    items = _inputs()
    batched = _json(list(pipeline.extract_inputs(items)))
    single = [next(pipeline.extract_inputs([item]))[1].to_json() for item in items]
    assert batched == single
    assert any('"killed"' in j for j in batched)


def test_two_processes_and_one_give_the_same_extractions(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _inputs(12)
    monkeypatch.setenv("RASD_PARALLEL_MIN_DOCS", "4")
    monkeypatch.setenv("RASD_N_PROCESS", "1")
    one = list(pipeline.extract_inputs(items))
    monkeypatch.setenv("RASD_N_PROCESS", "2")
    two = list(pipeline.extract_inputs(items))
    assert _json(two) == _json(one)
    # contexts come back from the worker too, in input order, with their places
    assert [c.text for c, _ in two] == [c.text for c, _ in one]
    assert [[p.place.name for p in c.places] for c, _ in two] == [[p.place.name for p in c.places] for c, _ in one]


def test_a_failing_worker_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    items = _inputs(8)
    expected = _json(list(pipeline.extract_inputs(items)))

    def broken(chunk: list[pipeline.Input], profile: bool) -> None:
        raise RuntimeError("worker died")

    monkeypatch.setattr(pipeline, "_worker", broken)
    monkeypatch.setenv("RASD_PARALLEL_MIN_DOCS", "4")
    monkeypatch.setenv("RASD_N_PROCESS", "2")
    assert _json(list(pipeline.extract_inputs(items))) == expected


def test_profile_adds_up_every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_PARALLEL_MIN_DOCS", "4")
    monkeypatch.setenv("RASD_N_PROCESS", "2")
    pipeline.start_profile()
    try:
        list(pipeline.extract_inputs(_inputs(8)))
        totals = pipeline.profile_totals()
    finally:
        monkeypatch.setattr(pipeline, "_PROFILE", None)
    assert {"prepare (split, zones)", "parse (spaCy)", "figures", "events"} <= set(totals)


def test_sentence_bounds_from_arrays_match_spacys_sents() -> None:
    from rasd import nlp

    split = nlp.splitter()
    texts = [*DOCS, "", "One.", "  Leading space. Two sentences!  And a third...", "No full stop at the end", "Dr. Smith said: 'yes.' Then left."]
    for text in texts:
        doc = split(text)
        assert pipeline._sentence_bounds(doc) == [(s.start_char, s.end_char) for s in doc.sents], text
