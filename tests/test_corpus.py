"""Golden test: the corpus article against every item of its expected file.

Matching rules. A figure item (F*) holds when one extracted figure has its
``kind`` and every other field the item gives: ``best``/``low``/``qualifier``/
``who``/``attributed_to``/``via``/``aggregate`` equal; ``low_one_of``: ``low``
is one of the values; ``period``: the period's start and end fall in the given
months; ``place``: the gazetteer id when the item gives "GeoNames N", else the
name before the parenthesis, and "(the province)" asks for an admin1/admin2
place. An event item (E*) holds when one event has its type, sub-event type,
place (same rule) and an actor naming the same country as the item's actor
("Turkish military" -> Turkey), and ``via`` when given. Must-not items (N*)
check the whole extraction.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from rasd.model import Event, Extraction, Figure, Place

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "idlib-2020-02.expected.json"


def _ids(prefix: str) -> list[str]:
    """The item ids of the expected file (read at collection; a fixed list when ../shared is absent)."""
    import json

    if CORPUS.exists():
        data = json.loads(CORPUS.read_text(encoding="utf-8"))
        items = data["figures"] + data["events"] + data["must_not"]
        return [i["id"] for i in items if i["id"].startswith(prefix)]
    return {"F": [f"F{i}" for i in range(1, 8)], "E": ["E1", "E2", "E3"], "N": ["N1", "N2", "N3"]}[prefix]


def _item(expected: dict[str, Any], item_id: str) -> dict[str, Any]:
    for item in expected["figures"] + expected["events"] + expected["must_not"]:
        if item["id"] == item_id:
            return item
    raise AssertionError(f"{item_id} not in the expected file")


def place_matches(place: Place | None, wanted: str) -> bool:
    if place is None:
        return False
    gid = re.search(r"GeoNames (\d+)", wanted)
    if gid:
        return place.geonameid == int(gid.group(1))
    name = wanted.split(" (")[0].strip().lower()
    if name not in (place.name or "").lower():
        return False
    return "(the province)" not in wanted or place.precision in ("admin1", "admin2")


def _in_months(value: str | None, month: str) -> bool:
    return value is not None and value[:7] == month


def figure_matches(fig: Figure, item: dict[str, Any]) -> bool:
    if fig.kind != item["kind"]:
        return False
    for key in ("best", "low", "qualifier", "who", "attributed_to", "via", "aggregate"):
        if key in item and getattr(fig, key) != item[key]:
            return False
    if "low_one_of" in item and fig.low not in item["low_one_of"]:
        return False
    if "period" in item:
        start, end = item["period"]
        if fig.period is None or not (_in_months(fig.period.start, start) and _in_months(fig.period.end, end)):
            return False
    return "place" not in item or place_matches(fig.place, item["place"])


_COUNTRY_WORDS = {"syria": ("syria", "syrian"), "turkey": ("turkey", "turkish", "türkiye"), "russia": ("russia", "russian")}


def _countries(text: str) -> set[str]:
    low = text.lower()
    return {c for c, words in _COUNTRY_WORDS.items() if any(w in low for w in words)}


def event_matches(event: Event, item: dict[str, Any]) -> bool:
    if (event.event_type, event.sub_event_type) != (item["event_type"], item["sub_event_type"]):
        return False
    if "via" in item and event.via != item["via"]:
        return False
    if not place_matches(event.place, item["place"]):
        return False
    wanted = _countries(item["actor"])
    named = set().union(*(_countries(f"{a.name} {a.text or ''}") for a in event.actors)) if event.actors else set()
    return bool(wanted & named)


def _describe(objs: list[Any]) -> str:
    return "\n".join(o.to_json() for o in objs) or "(none)"


@pytest.mark.shared
@pytest.mark.parametrize("item_id", _ids("F"))
def test_figure_item(item_id: str, corpus_extraction: Extraction, corpus_expected: dict[str, Any]) -> None:
    item = _item(corpus_expected, item_id)
    same_kind = [f for f in corpus_extraction.figures if f.kind == item["kind"]]
    assert any(figure_matches(f, item) for f in same_kind), f"{item_id} {item['why']}\nfigures of that kind:\n{_describe(same_kind)}"


@pytest.mark.shared
@pytest.mark.parametrize("item_id", _ids("E"))
def test_event_item(item_id: str, corpus_extraction: Extraction, corpus_expected: dict[str, Any]) -> None:
    item = _item(corpus_expected, item_id)
    assert any(event_matches(e, item) for e in corpus_extraction.events), (
        f"{item_id} {item['why']}\nevents:\n{_describe(corpus_extraction.events)}"
    )


def _evidence(extraction: Extraction) -> list[tuple[str, Any]]:
    return [("figure", f.evidence) for f in extraction.figures] + [("event", e.evidence) for e in extraction.events]


def _must_not_n1(extraction: Extraction, text: str) -> list[str]:
    places = [f.place for f in extraction.figures] + [e.place for e in extraction.events]
    return [
        f"placed in {p.name} ({p.country})"
        for p in places
        if p is not None and (p.name in ("Sochi", "Russia") or p.country == "RU")
    ]


def _must_not_n2(extraction: Extraction, text: str) -> list[str]:
    chrome = [(m.start(), m.end()) for m in re.finditer(r"Join the conversation as a VIP Member|News & Politics", text)]
    return [
        f"{what} evidence {span.text!r} in site chrome"
        for what, span in _evidence(extraction)
        if span is not None and any(s <= span.start < e or span.start <= s < span.end for s, e in chrome)
    ]


def _must_not_n3(extraction: Extraction, text: str) -> list[str]:
    banned = [(m.start(), m.end()) for m in re.finditer(r"May 17, 2018|World War II|two months", text)]
    bad = []
    for f in extraction.figures:
        values = {f.low, f.best, f.high} - {None}
        in_banned = f.number is not None and any(s <= f.number.start < e for s, e in banned)
        if in_banned or values & {17, 2018, 2}:
            bad.append(f"figure {f.number.text if f.number else values!r} from {f.evidence.text if f.evidence else '?'!r}")
    return bad


_MUST_NOT = {"N1": _must_not_n1, "N2": _must_not_n2, "N3": _must_not_n3}


@pytest.mark.shared
@pytest.mark.parametrize("item_id", _ids("N"))
def test_must_not_item(item_id: str, corpus_extraction: Extraction, corpus_expected: dict[str, Any], corpus_text: str) -> None:
    item = _item(corpus_expected, item_id)
    problems = _MUST_NOT[item_id](corpus_extraction, corpus_text)
    assert not problems, f"{item_id} {item['what']}: " + "; ".join(problems)


def test_figure_matcher_rules() -> None:
    """The matching rules themselves (no ../shared needed)."""
    from rasd.model import Period

    fig = Figure(kind="attacks", low=6600, qualifier="more than", period=Period("2020-01-01", "2020-01-31", "month"),
                 attributed_to="White Helmets", via="The New York Times", aggregate=True)
    item = {"kind": "attacks", "low": 6600, "qualifier": "more than", "period": ["2020-01", "2020-01"],
            "attributed_to": "White Helmets", "via": "The New York Times", "aggregate": True}
    assert figure_matches(fig, item)
    assert not figure_matches(fig, {**item, "via": "Foreign Policy"})
    assert not figure_matches(fig, {**item, "period": ["2019-12", "2020-01"]})
    assert place_matches(Place("Idlib", precision="admin1"), "Idlib (the province)")
    assert not place_matches(Place("Idlib", precision="point"), "Idlib (the province)")
    assert place_matches(Place("Saraqib", geonameid=164816), "Saraqib (GeoNames 164816, 35.864 N 36.806 E)")
