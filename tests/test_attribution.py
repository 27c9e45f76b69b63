"""The provenance gold set (tests/data/attribution/gold.jsonl) and its scorer, rasd.eval_attribution.

The gold set holds offsets and labels only; the texts are read from ../shared (and
examples/) at test time, so the tests that need them skip without the shared folder.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from rasd import eval_attribution as ea

GOLD = Path(__file__).resolve().parent / "data" / "attribution" / "gold.jsonl"
BASELINE = Path(__file__).resolve().parent / "eval_baseline.json"
_COUNT = re.compile(r"\d|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|scores|hundreds?|thousands|millions?|several|tens|another)\b|^[A-Z]?[a-z]+$", re.I)


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return ea.read_gold(GOLD)


def test_gold_size_split_and_shape(gold: list[dict[str, Any]]) -> None:
    figures = [f for d in gold for f in d["figures"]]
    assert len(gold) >= 60 and len(figures) >= 400
    assert {d["half"] for d in gold} == {"tuning", "check"}
    for half in ("tuning", "check"):
        assert sum(len(d["figures"]) for d in gold if d["half"] == half) >= 150
    assert sum(bool(d["second_pass"]) for d in gold) == 15
    keys = [(d["doc"]["file"], d["doc"]["id"]) for d in gold]
    assert len(keys) == len(set(keys)), "a document is in the gold set twice"
    for f in figures:
        assert f["kind"] in {"killed", "injured", "displaced", "attacks", "detained", "missing", "affected"}
        assert f["qualifier"] in {"exact", "approximate", "at least", "more than", "at most", "fewer than", "range", "vague"}
        assert 0 <= f["start"] < f["end"]
        assert not {"text", "sentence", "evidence"} & set(f), "the gold set holds offsets and labels only, never text"


@pytest.mark.shared
def test_gold_offsets_index_the_shared_texts(shared: Path, gold: list[dict[str, Any]]) -> None:
    for d in gold:
        text = ea.document_input(d["doc"], shared).text  # raises when the text drifted (sha256)
        for f in d["figures"]:
            words = text[f["start"] : f["end"]]
            assert f["end"] <= len(text) and words.strip() == words and _COUNT.search(words), (d["doc"]["id"], words)


def test_names_match_by_words_acronym_and_alias() -> None:
    sohr = ["Syrian Observatory for Human Rights"]
    assert ea.names_match("SOHR", sohr)
    assert ea.names_match("the Observatory", sohr)
    assert ea.names_match("The Syrian Observatory for Human Rights", sohr)
    assert not ea.names_match("the group", sohr)
    assert not ea.names_match("Syria", sohr)
    assert not ea.names_match(None, sohr)
    assert ea.names_match("a monitor", ["a monitor", *sohr])
    assert not ea.names_match("state media", ["local reports"])


class _Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


class _Pred:
    def __init__(self, start: int, end: int, best: int, kind: str = "killed", source: str | None = None) -> None:
        self.number = _Span(start, end)
        self.evidence = self.number
        self.low = self.best = self.high = best
        self.kind, self.attributed_to, self.via = kind, source, None


def _gold_figure(start: int, end: int, best: int, source: str | None = None) -> dict[str, Any]:
    return {"start": start, "end": end, "kind": "killed", "who": "people", "low": best, "best": best, "high": best,
            "qualifier": "exact", "aggregate": False, "attributed_to": source, "alt": [], "via": None}


def test_matching_is_one_to_one_and_prefers_the_same_value() -> None:
    # "Six civilians including a child were among 22 killed": one wide prediction must not answer two gold figures
    gold = [_gold_figure(0, 3, 6), _gold_figure(26, 27, 1)]
    wide = _Pred(0, 40, 1)
    assert list(ea.match(gold, [wide])) == [1]
    assert ea.match(gold, [wide, _Pred(0, 3, 6)])[0].best == 6


def test_scores_count_missed_sources_and_invented_ones() -> None:
    counts = ea.Counts()
    gold = [_gold_figure(0, 2, 12, "a monitor"), _gold_figure(10, 12, 40), _gold_figure(20, 22, 3, "medics")]
    ea.score_document(counts, gold, [_Pred(0, 2, 12, source="monitor"), _Pred(10, 12, 40, source="Reuters")])
    s = counts.scores()
    assert s["found"] == round(2 / 3, 3)
    assert s["named_source"] == 0.5  # the missed figure's source counts wrong
    assert s["own_voice"] == 0.0  # an invented source
    assert s["precision"] == 1.0


def test_agreement_of_an_annotation_with_itself_and_with_a_changed_copy(gold: list[dict[str, Any]]) -> None:
    same = ea.agreement(gold, gold)
    assert same["figure_f1"] == 1.0 and set(same["labels"].values()) == {1.0}
    other = copy.deepcopy(gold)
    other[0]["figures"] = other[0]["figures"][1:]
    for f in other[1]["figures"]:
        f["attributed_to"], f["alt"] = "somebody else", []
    changed = ea.agreement(gold, other)
    assert changed["figure_f1"] is not None and changed["figure_f1"] < 1.0
    assert changed["labels"]["source"] is not None and changed["labels"]["source"] < 1.0


@pytest.mark.slow
@pytest.mark.shared
def test_attribution_scores_hold_their_floors(shared: Path) -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8")).get("attribution")
    if not pinned:
        pytest.skip("no attribution floors pinned in tests/eval_baseline.json")
    assert ea.sha256_file(GOLD) == pinned["sha256"], "the gold set changed: re-pin with python -m rasd.eval_attribution pin"
    result = ea.evaluate(GOLD, shared)
    tolerance = float(pinned.get("tolerance", 0.005))
    drops = [
        f"{half}.{name}: {floor} -> {result[half]['scores'].get(name)}"
        for half, floors in pinned["scores"].items()
        for name, floor in floors.items()
        if floor is not None and (result[half]["scores"].get(name) or 0.0) < floor - tolerance
    ]
    assert not drops, "attribution scores dropped below their floors: " + "; ".join(drops)
