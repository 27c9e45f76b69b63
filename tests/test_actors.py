"""Actor aliases -> the normalised vocabulary (data files), with context and demonyms."""

from __future__ import annotations

import pytest

from rasd.extract import actors, pipeline


def _mentions(text: str) -> list[tuple[str, str, str | None]]:
    ctx = pipeline.prepare(pipeline.Input(text=text))
    return [(m.span.text, m.actor.name, m.actor.kind) for m in actors.find_actors(ctx)]


@pytest.mark.parametrize(
    "text, alias, name, kind",
    [
        ("Assad forces advanced in Idlib.", "Assad forces", "Military Forces of Syria (2000-)", "state forces"),
        ("The SAA shelled the town near Aleppo.", "SAA", "Military Forces of Syria (2000-)", "state forces"),
        ("The regime bombed Idlib.", "regime", "Military Forces of Syria (2000-)", "state forces"),
        ("Russian warplanes struck Syria.", "Russian warplanes", "Military Forces of Russia (2000-)", "external forces"),
        ("Turkish forces shelled villages in Syria.", "Turkish forces", "Military Forces of Turkey (2002-)", "external forces"),
        ("The US-led coalition struck Raqqa.", "US-led coalition", "US-led Coalition", "external forces"),
        ("Iranian militias entered Deir ez-Zor in Syria.", "Iranian militias", "Military Forces of Iran (1989-)", "external forces"),
        ("Hezbollah fighters moved in.", "Hezbollah", "Hezbollah", "political militia"),
        ("HTS took the village.", "HTS", "Hayat Tahrir al-Sham", "rebel group"),
        ("Hayat Tahrir al-Sham took the village.", "Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham", "rebel group"),
        ("Nusra fighters attacked.", "Nusra", "Jabhat al-Nusra", "rebel group"),
        ("The SNA shelled Manbij.", "SNA", "Syrian National Army", "rebel group"),
        ("Turkish-backed factions looted homes.", "Turkish-backed factions", "Syrian National Army", "rebel group"),
        ("The SDF arrested two men.", "SDF", "Syrian Democratic Forces", "rebel group"),
        ("The YPG shelled Afrin.", "YPG", "YPG: People's Protection Units", "identity militia"),
        ("Asayish forces detained him.", "Asayish", "Asayish", "political militia"),
        ("ISIS cells attacked a post in Raqqa, Syria.", "ISIS cells", "Islamic State (Syria)", "rebel group"),
        ("Daesh claimed the attack in Sirte, Libya.", "Daesh", "Islamic State (Libya)", "rebel group"),
        ("The White Helmets pulled bodies from the rubble.", "White Helmets", "Syria Civil Defence (White Helmets)", "aid workers"),
        ("The Rapid Support Forces attacked a village in Darfur.", "Rapid Support Forces", "RSF: Rapid Support Forces", "state forces"),
        ("SPLM-N fighters clashed with the army in South Kordofan.", "SPLM-N", "SPLM-N: Sudan People's Liberation Movement (North)", "rebel group"),
        ("JEM claimed the attack.", "JEM", "JEM: Justice and Equality Movement", "rebel group"),
        ("Tebu fighters clashed in Kufra.", "Tebu fighters", "Tabu Ethnic Militia (Libya)", "identity militia"),
        ("Gunmen killed a farmer in Darfur, Sudan.", "Gunmen", "Unidentified Armed Group (Sudan)", "political militia"),
        ("Two civilians were killed in Benghazi, Libya.", "civilians", "Civilians (Libya)", "civilians"),
        ("Police in Cairo arrested him, Egypt said.", "Police", "Police Forces of Egypt (2014-)", "state forces"),
        ("The Egyptian army killed militants.", "Egyptian army", "Military Forces of Egypt (2014-)", "state forces"),
    ],
)
def test_alias_to_normalised_name(text: str, alias: str, name: str, kind: str) -> None:
    assert (alias, name, kind) in _mentions(text)


@pytest.mark.parametrize(
    "text, absent",
    [
        ("This is what it is.", "is"),  # "IS" only in capitals
        ("The regime of the committee changed.", "regime"),  # weak alias without Syrian context
        ("The Syrian filmmaker spoke.", "Syrian"),  # a demonym names forces only before a military noun
    ],
)
def test_no_false_actor(text: str, absent: str) -> None:
    assert absent not in [m[0] for m in _mentions(text)]


def test_coordinated_demonyms_give_two_actors() -> None:
    found = _mentions("Raids by the Russian and Syrian air forces hit Idlib.")
    names = [n for _t, n, _k in found]
    assert "Military Forces of Russia (2000-)" in names and "Military Forces of Syria (2000-)" in names


def test_users_add_actors_by_adding_a_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "mine.json").write_text(
        '[{"name": "Liwa al-Quds", "kind": "political militia", "country": "SY", "aliases": ["Liwa al-Quds", "Quds Brigade"]}]',
        encoding="utf-8",
    )
    monkeypatch.setenv("RASD_ACTORS_PATH", str(tmp_path))
    actors.vocabulary.cache_clear()
    try:
        assert ("Quds Brigade", "Liwa al-Quds", "political militia") in _mentions("The Quds Brigade attacked the camp.")
    finally:
        monkeypatch.delenv("RASD_ACTORS_PATH")
        actors.vocabulary.cache_clear()


def test_unknown_actor_kept_as_written() -> None:
    import rasd

    ex = rasd.extract("The Free Idlib Army attacked the checkpoint, killing three soldiers.", published="2020-02-07")
    names = [a.name for e in ex.events for a in e.actors]
    assert any("Idlib Army" in n for n in names), names


@pytest.mark.parametrize(
    "text, alias, name",
    [
        # no country word, but the town is Egyptian / Libyan / Algerian: the weak alias follows the places
        ("Three gunmen attacked a hospital in Banha on 6 February.", "gunmen", "Unidentified Armed Group (Egypt)"),
        ("A police officer shot a man in Zliten after a dispute.", "A police officer", "Police Forces of Libya (2014-)"),
        ("Gunmen killed a shepherd near Tizi Ouzou.", "Gunmen", "Unidentified Armed Group (Algeria)"),
    ],
)
def test_weak_aliases_take_the_country_of_the_places_named(text: str, alias: str, name: str) -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text=text)]))
    found = {m.span.text: m.actor.name for m in ctx.actors}
    assert found.get(alias) == name


def test_without_place_or_country_word_a_weak_alias_names_no_one() -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text="Gunmen attacked a checkpoint on Monday.")]))
    assert not [m for m in ctx.actors if m.span.text == "Gunmen"]


@pytest.mark.parametrize("alias", ["terrorists", "militants", "gunmen"])
def test_unnamed_attackers_in_syria_are_unidentified_not_a_named_rebel_group(alias: str) -> None:
    text = f"Mortar shells fired by {alias} killed two people in Damascus, Syrian state media said."
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text=text)]))
    assert {m.span.text: m.actor.name for m in ctx.actors}.get(alias) == "Unidentified Armed Group (Syria)"


def test_rebels_in_syria_are_still_the_opposition() -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text="Rebels shelled Aleppo, Syrian state media said.")]))
    assert {m.span.text: m.actor.name for m in ctx.actors}.get("Rebels") == "Free Syrian Army"


@pytest.mark.parametrize(
    "text, alias",
    [
        ("Forces loyal to President Bashar al-Assad shelled Douma on Monday.", "Forces loyal to President Bashar al-Assad"),
        ("Assad's air force struck Saraqib on Monday.", "Assad's air force"),
    ],
)
def test_forces_loyal_to_assad_are_the_syrian_government(text: str, alias: str) -> None:
    ctx, _ = next(pipeline.extract_inputs([pipeline.Input(text=text)]))
    assert {m.span.text: m.actor.name for m in ctx.actors}.get(alias) == "Military Forces of Syria (2000-)"


@pytest.mark.parametrize(
    "text, alias, name",
    [
        ("Two citizens were killed in an Israeli act of aggression near Damascus.", "Israeli", "Military Forces of Israel"),
        ("The Israeli aggression on Hamidieh town injured two civilians.", "Israeli", "Military Forces of Israel"),
        ("A Turkish attack on the village killed a child.", "Turkish", "Military Forces of Turkey (2002-)"),
    ],
)
def test_a_demonym_before_an_attack_noun_names_the_forces(text: str, alias: str, name: str) -> None:
    assert [(t, n) for t, n, _k in _mentions(text)] == [(alias, name)]
