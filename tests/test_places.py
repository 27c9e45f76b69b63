"""The places stage: mentions, precisions, zones, the document's main place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rasd.extract import pipeline, places
from rasd.extract.context import BODY, Context


def _ctx(text: str) -> Context:
    ctx = pipeline.prepare(pipeline.Input(text=text, published=dt.date(2020, 2, 7)))
    ctx.places = places.find_places(ctx)
    return ctx


SYRIA = "Syrian government forces and Russian jets pressed their offensive in Syria this week. "


@pytest.mark.parametrize(
    "sentence, text, precision, admin1, country",
    [
        ("Shells fell on Saraqeb on Monday.", "Saraqeb", "point", "Idlib", "SY"),
        ("Shells fell near Saraqeb on Monday.", "Saraqeb", "near", "Idlib", "SY"),
        ("Clashes broke out on the outskirts of Saraqeb.", "Saraqeb", "near", "Idlib", "SY"),
        ("Jets struck villages east of Saraqeb.", "Saraqeb", "admin2", "Idlib", "SY"),  # land in one direction: far
        # the countryside of a town is the rural land around it, tens of kilometres across: no spot near it
        ("Shelling hit the Saraqeb countryside.", "Saraqeb", "admin2", "Idlib", "SY"),
        ("A child was hurt in the northern countryside of Saraqeb.", "Saraqeb", "admin2", "Idlib", "SY"),
        ("Thousands fled across Idleb province.", "Idleb", "admin1", "Idlib", "SY"),
        ("Shelling hit Hassakeh province again.", "Hassakeh", "admin1", "Al-Hasakah", "SY"),
        ("Rockets landed in Damascus countryside.", "Damascus countryside", "admin1", "Rif Dimashq", "SY"),
        ("Strikes continued in Jisr al-Shughur.", "Jisr al-Shughur", "point", "Idlib", "SY"),
    ],
)
def test_place_and_precision(sentence: str, text: str, precision: str, admin1: str, country: str) -> None:
    ctx = _ctx(SYRIA + sentence)
    hits = [m.place for m in ctx.places if m.span.text == text]
    assert hits, [m.place.text for m in ctx.places]
    assert (hits[0].precision, hits[0].admin1, hits[0].country) == (precision, admin1, country)


def test_a_country_alone_is_country_precision() -> None:
    ctx = _ctx("Refugees crossed into Turkey on Tuesday.")
    assert [(m.place.name, m.place.precision) for m in ctx.places] == [("Turkey", "country")]


def test_numan_never_resolves_to_nigeria_in_a_syrian_document() -> None:
    ctx = _ctx(SYRIA + "Families fled Numan and Ma'arat al-Nu'man as the bombing went on.")
    assert all(m.place.country != "NG" for m in ctx.places)
    assert 167611 in [m.place.geonameid for m in ctx.places]


@pytest.mark.parametrize("word", ["Assad", "Bashar al-Assad", "Mary", "Of"])
def test_person_and_common_words_are_not_places(word: str) -> None:
    ctx = _ctx(f"{SYRIA}Reporters asked about {word} Of Course on Friday.")
    assert all(m.place.country == "SY" for m in ctx.places)


def test_spans_index_the_text() -> None:
    ctx = _ctx(SYRIA + "Shells fell on Ma’arat al-Nu’man and Khan Sheikhoun.")
    for m in ctx.places:
        assert ctx.text[m.span.start : m.span.end] == m.span.text == m.place.text
        assert m.place.candidates and m.place.score is not None
    starts = [m.span.start for m in ctx.places]
    assert starts == sorted(starts)


def test_corpus_places(corpus_text: str) -> None:
    ctx = _ctx(corpus_text)
    body = {(m.span.text, m.place.geonameid) for m in ctx.places if m.zone == BODY}
    assert ("Saraqeb", 164816) in body
    assert ("Ma’arat al-Nu’man", 167611) in body
    assert not any(m.place.name in ("Sochi", "Russia") for m in ctx.places if m.zone == BODY)
    sochi = [m for m in ctx.places if "Sochi" in m.span.text or m.place.name == "Russia"]
    assert all(m.zone != BODY for m in sochi)
    main = places.main_place(ctx)
    assert main is not None and main.admin1 == "Idlib" and main.country == "SY"


def test_main_place_prefers_the_specific_place_of_the_main_governorate() -> None:
    ctx = _ctx("Syrian Observatory: In Aleppo province, airstrikes hit Manbij. Later, Manbij was shelled again. Damascus denied it.")
    main = places.main_place(ctx)
    assert main is not None and main.name == "Manbij" and main.admin1 == "Aleppo"


def test_no_place_no_main_place() -> None:
    assert places.main_place(_ctx("Nothing happened here today.")) is None


def _unused(_: Any) -> None:  # keeps typing imports honest
    return None


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("A Turkish official said that Ankara would no longer stop refugees from leaving.", "Ankara", "actor"),
        ("Moscow denied that its jets had struck the market.", "Moscow", "actor"),
        ("Turkey responded with artillery strikes on government positions.", "Turkey", "actor"),
        ("A car bomb exploded in Ankara on Tuesday, killing three people.", "Ankara", "location"),
        ("Shelling killed four civilians in Damascus on Monday.", "Damascus", "location"),
        ("Gunmen attacked a government official in Juba's Gudele area, kidnapping him.", "Juba", "location"),
        ("A grenade exploded at a mosque in Mogadishu's Waberi district on the night of 2 May.", "Mogadishu", "location"),
    ],
)
def test_a_state_named_by_its_capital_or_country_is_an_actor_not_a_place(text: str, name: str, role: str) -> None:
    from rasd import nlp
    from rasd.extract import pipeline

    ctx = pipeline.prepare(pipeline.Input(text=text))
    for sent in ctx.sentences:  # parse every sentence: the rule reads the grammar
        sent.doc = nlp.parser()(ctx.text[sent.start : sent.end])
    mentions = [m for m in pipeline.places.find_places(ctx) if m.span.text == name]
    assert mentions, f"{name} not found in {text!r}"
    assert mentions[0].role == role


@pytest.mark.parametrize(
    "text, place",
    [
        ("Gunmen attacked Banha Teaching Hospital on 6 February.", "Banhā"),
        ("Inmates rioted in Aleppo Central Prison on Monday.", "Aleppo"),
    ],
)
def test_a_facility_named_after_its_town_lies_in_that_town(text: str, place: str) -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text=text)]))
    assert place in [p.place.name for p in ctx.places]


def test_a_group_named_after_a_town_is_not_a_place() -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text="The Derna Council of Mujahideen said it had repelled the attack.")]))
    assert "Darnah" not in [p.place.name for p in ctx.places]


@pytest.mark.parametrize(
    "text, place, role",
    [
        ("More than 30 soldiers were wounded and taken to hospitals across the border in Hatay, the governor said.", "Hatay", "destination"),
        ("Thousands fled from Saraqib towards Idlib city.", "Idlib", "destination"),
        ("Thousands fled from Saraqib towards Idlib city.", "Saraqib", "location"),
        ("Government militia attacked displaced villagers near Tur in western Jebel Marrah.", "Jebel Marrah", "location"),
    ],
)
def test_where_the_wounded_were_taken_or_people_fled_is_a_destination(text: str, place: str, role: str) -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text=text)]))
    assert {p.span.text: p.role for p in ctx.places}.get(place) == role


def test_a_destination_does_not_place_a_figure() -> None:
    ex = pipeline.extract_text("More than 30 soldiers were wounded and taken to hospitals across the border in Hatay, the governor said.")
    assert [(f.kind, f.place) for f in ex.figures] == [("injured", None)]


def test_a_sentence_opening_common_word_is_no_place_and_an_unknown_population_is_not_small() -> None:
    # "Shelling" is also a village in China; Ma'arrat al-Nu'man has no population in GeoNames
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text="Shelling hit Maarat al-Numan on Monday, killing four.")]))
    assert [(p.span.text, p.place.geonameid) for p in ctx.places] == [("Maarat al-Numan", 167611)]


def test_a_wire_dateline_abroad_does_not_drop_the_town_where_it_happened() -> None:
    # "BEIRUT (AP)": where the report was filed; Saraqib, a small Syrian town, is where the killing was
    ex = pipeline.extract_text("BEIRUT (AP) — Two civilians were killed in Saraqib on Monday, activists said.")
    assert [e.place.name if e.place else None for e in ex.events] == ["Saraqib"]


def test_a_demonym_naming_forces_is_no_evidence_of_the_country() -> None:
    # "Turkish" names who fired; the towns hit are Syrian (counted for Turkey, the demonyms dropped both)
    ex = pipeline.extract_text(
        "A Turkish drone bombed a civilian car in Kobani, injuring 3 civilians. Turkish forces also shelled villages near Ain Issa."
    )
    assert [(e.place.name, e.place.country) if e.place else None for e in ex.events] == [("‘Ayn al ‘Arab", "SY"), ("‘Ayn ‘Īsá", "SY")]


@pytest.mark.parametrize(
    "text, place",
    [
        # where a person comes from is not where it happened
        ("A communications engineer from Kufra was kidnapped in Tripoli.", "Tripoli"),
        # unless nothing else is named
        ("A civilian from Kikla was injured by a land mine in the city centre.", "Kiklah"),
    ],
)
def test_a_persons_home_town_is_an_origin(text: str, place: str) -> None:
    ex = pipeline.extract_text(text, published="2016-02-01")
    assert [e.place.name if e.place else None for e in ex.events] == [place]


# -- places anywhere (issue 13): no focus list, every country's units, the fitted ranker, routes ------------------


def _resolved(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    from rasd.geo.resolve import resolve, resolver

    found = resolve(resolver().find(text), text, [1.0] * 50)
    return [(t.text, t.entry.country if t.entry else None, t.entry.admin1 if t.entry else None, t.precision) for t in found]


@pytest.mark.parametrize(
    "text, word, country",
    [
        ("Boko Haram attacked Marte town in Borno state, killing 21.", "Marte", "NG"),
        ("Police shot protesters in Mendi, Mana Sibu district in Oromia.", "Oromia", "ET"),
        ("Fighting was reported in Beledweyne, Hiraan region, Somalia.", "Beledweyne", "SO"),
        ("Gunmen attacked a village near Beni in Nord-Kivu.", "Beni", "CD"),
    ],
)
def test_small_towns_of_any_country_resolve_from_the_documents_evidence(text: str, word: str, country: str) -> None:
    got = [c for t, c, _a, _p in _resolved(text) if t == word]
    assert got == [country], _resolved(text)


def test_an_admin1_of_any_country_and_rif_dimashq_apart_from_damascus() -> None:
    got = _resolved("Shelling hit Rif Dimashq and Damascus.")
    assert ("Rif Dimashq", "SY", "Rif Dimashq", "admin1") in got
    assert ("Damascus", "SY", "Damascus", "point") in got
    assert ("Oromia", "ET", "Oromia", "admin1") in _resolved("Protesters were arrested in Oromia.")


def test_an_admin2_unit_is_a_place_of_precision_admin2() -> None:
    from rasd.geo import gazetteer
    from rasd.geo.keys import key

    units = [e for e in gazetteer.load().lookup(key("Bama")) if e.kind == "R" and e.precision == "admin2"]
    assert [(e.country, e.admin1) for e in units] == [("NG", "Borno")]
    assert units[0].lat is not None and 10.0 < units[0].lat < 13.0  # a point inside Borno


def test_an_unresolvable_mention_keeps_its_candidates() -> None:
    from rasd.geo import rank
    from rasd.geo.resolve import resolve, resolver

    shipped = rank.model()
    assert shipped is not None
    doubtful = rank.Model(shipped.weights, shipped.intercept, 1.01, 1.01)  # no reading is that sure
    text = "Shelling hit Saraqeb in Idlib, Syria."
    found = resolver().find(text)
    assert found
    assert resolve(found, text, [1.0] * len(found), model=doubtful) == []
    assert all(t.entry is None and t.scores for t in found)
    assert resolve(found, text, [1.0] * len(found)) != []  # the shipped thresholds resolve them


def test_between_two_towns_is_their_midpoint_near_both() -> None:
    ctx = pipeline.prepare(pipeline.Input(text="Gunmen ambushed a bus on the Gao-Ansongo road in Mali."))
    (stretch,) = [m.place for m in places.find_places(ctx) if m.place.country == "ML" and m.place.precision != "country"]
    assert stretch.precision == "near" and stretch.text == "Gao-Ansongo"
    names = {c.name for c in stretch.candidates}
    assert {"Gao", "Ansongo"} <= names
    assert stretch.lat is not None and 15.5 < stretch.lat < 16.4 and 0.0 < (stretch.lon or 0) < 0.6


def test_between_two_countries_is_no_stretch() -> None:
    got = _resolved("Clashes between Sudan and South Sudan continued.")
    assert [p for _t, _c, _a, p in got] == ["country", "country"]


def test_kilometres_north_of_a_town_is_near_it() -> None:
    got = _resolved("Troops advanced 5 km north of Saraqeb in Syria.")
    assert ("Saraqeb", "SY", "Idlib", "near") in got


def test_resolution_cost_is_linear_in_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Distances are only computed within a bounded grid: ten times the text, at most ten times the calls."""
    from rasd.geo import rank
    from rasd.geo.resolve import resolve, resolver

    calls = [0]
    real = rank.haversine_km

    def counted(*args: float) -> float:
        calls[0] += 1
        return real(*args)

    monkeypatch.setattr(rank, "haversine_km", counted)
    sentence = "Shelling hit Saraqeb, Aleppo, Homs, Hama, Idlib, Raqqa and Kafr Nabl near Ariha. "
    counts = []
    for n in (5, 50):
        calls[0] = 0
        text = sentence * n
        found = resolver().find(text)
        resolve(found, text, [1.0] * len(found))
        counts.append(calls[0])
    assert counts[1] <= 12 * max(counts[0], 1)


def test_a_distance_and_bearing_from_a_town_moves_the_point_that_far() -> None:
    from rasd.geo import gazetteer
    from rasd.geo.keys import key
    from rasd.geo.rank import haversine_km

    ctx = _ctx("Mortars landed in Abiikarow (13km W of Marka) in Lower Shabelle, Somalia, on 18/03.")
    (moved,) = [m.place for m in ctx.places if m.place.text == "Marka"]
    (marka,) = [e for e in gazetteer.load().lookup(key("Marka")) if e.kind == "P" and e.country == "SO"]
    assert moved.precision == "near" and moved.country == "SO"
    assert moved.lat is not None and moved.lon is not None and marka.lat is not None and marka.lon is not None
    assert abs(haversine_km(moved.lat, moved.lon, marka.lat, marka.lon) - 13.0) < 0.1
    assert moved.lon < marka.lon and abs(moved.lat - marka.lat) < 0.01  # due west


@pytest.mark.parametrize(
    "word, bearing", [("N", 0.0), ("north-east", 45.0), ("SSW", 202.5), ("southwest", 225.0), ("W", 270.0), ("up", None)]
)
def test_compass_words_and_abbreviations_are_bearings(word: str, bearing: float | None) -> None:
    from rasd.geo import routes

    assert routes.bearing_of(word) == bearing


def test_projecting_a_degree_of_latitude_north() -> None:
    from rasd.geo import routes

    lat, lon = routes.project(0.0, 30.0, 111.195, 0.0)
    assert abs(lat - 1.0) < 0.001 and abs(lon - 30.0) < 1e-6


def test_a_university_named_after_a_town_stands_in_it() -> None:
    got = _resolved("Gulu University students went on strike in Uganda.")
    assert ("Gulu", "UG") in [(t, c) for t, c, _a, _p in got]


def test_a_followed_region_names_continents_countries_and_codes() -> None:
    from rasd.errors import SettingError
    from rasd.geo import region

    africa = region.countries_of("Africa")
    assert {"NG", "SO", "ET", "ZA"} <= africa and "PE" not in africa and "AU" not in africa
    assert region.countries_of("Yemen, sd") == frozenset({"YE", "SD"})
    with pytest.raises(SettingError, match="Atlantis"):
        region.countries_of("Africa, Atlantis")


def test_a_followed_region_keeps_a_names_readings_inside_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # "Newcastle" without context is read abroad of South Africa; followed Africa, the South African town
    text = "Two members were shot in Newcastle."
    monkeypatch.setenv("RASD_PLACES_REGION", "")
    default = [c for t, c, _a, _p in _resolved(text) if t == "Newcastle"]
    monkeypatch.setenv("RASD_PLACES_REGION", "Africa")
    followed = [c for t, c, _a, _p in _resolved(text) if t == "Newcastle"]
    assert followed == ["ZA"] and default != ["ZA"]



def test_a_country_named_as_the_actor_does_not_outvote_the_towns() -> None:
    """Turkey named three times (whose drones) and three Syrian towns (where): the towns say where it happened."""
    ctx = _ctx("A drone of Turkey struck a car in Jarablus on Monday, killing two. Turkey has stepped up such "
               "strikes near Manbij and Afrin, and Turkey says it targets fighters.")
    main = places.main_place(ctx)
    assert main is not None and main.country == "SY" and main.admin1 == "Aleppo"
