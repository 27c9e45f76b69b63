"""The actor vocabulary as data: every state's forces (generated from pycountry and our demonyms), the groups of
the conflicts in the data, ACLED's generic actors; unnamed attackers stay unidentified."""

from __future__ import annotations

import json

import pytest

import rasd


def _actors(text: str, role: str | None = None) -> set[str]:
    ex = rasd.extract(text, published="2016-03-01")
    return {a.name for e in ex.events for a in e.actors if role is None or a.role == role}


def test_shipped_states_file_is_what_the_command_builds(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pycountry")
    from rasd.extract import build_actors

    out = tmp_path / "states.json"
    build_actors.main(["--out", str(out)])
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(build_actors.OUT.read_text(encoding="utf-8")), (
        "rasd/data/actors/states.json is stale: rebuild it with python -m rasd.extract.build_actors"
    )


def test_every_state_has_military_and_police_forces() -> None:
    from rasd.extract import actors

    vocab = actors.vocabulary()
    countries = {e.country for e in vocab.entries if e.name.startswith("Military Forces of")}
    police = {e.country for e in vocab.entries if e.name.startswith("Police Forces of")}
    assert len(countries) > 240 and len(police) > 240
    assert {"SO", "KE", "NG", "ZA", "ET", "CD", "SS", "UG", "BI", "CF", "ML"} <= countries & police


@pytest.mark.parametrize(
    "text, actor1",
    [
        ("Al Shabaab fighters attacked an AMISOM base near Baidoa, killing two soldiers.", "Al Shabaab"),
        ("Boko Haram insurgents killed 12 villagers in Borno.", "Boko Haram - Wilayat Gharb Ifriqiyyah"),
        ("Kenyan police shot dead two suspects in Mombasa.", "Police Forces of Kenya"),
        ("Somali army troops clashed with militants near Afgooye, Somalia.", "Military Forces of Somalia"),
        ("Protesters blocked roads in Johannesburg, South Africa, demanding water.", "Protesters (South Africa)"),
        ("Rioters torched a police station in Kano, Nigeria.", "Rioters (Nigeria)"),
        ("AMISOM troops killed five militants in Lower Shabelle.", "AMISOM: African Union Mission in Somalia (2007-)"),
        ("Russian warplanes struck the town of Saraqib in Idlib, Syria, killing four civilians.", "Military Forces of Russia (2000-)"),
    ],
)
def test_actors_of_the_conflicts_in_the_data(text: str, actor1: str) -> None:
    assert actor1 in _actors(text, "actor1")


def test_russian_and_iranian_forces_are_not_the_syrian_government() -> None:
    names = _actors("Iranian forces and Russian jets attacked the rebel-held town of Khan Shaykhun in Idlib, Syria.")
    assert {"Military Forces of Iran (1989-)", "Military Forces of Russia (2000-)"} <= names
    assert "Military Forces of Syria (2000-)" not in names


def test_unnamed_attackers_stay_unidentified() -> None:
    # no country named: nobody is invented
    assert _actors("Gunmen killed two men on a road.", "actor1") == set()
    # a country named: ACLED's convention for an unnamed group there
    assert _actors("Gunmen killed two men on a road near Mogadishu, Somalia.", "actor1") == {"Unidentified Armed Group (Somalia)"}
