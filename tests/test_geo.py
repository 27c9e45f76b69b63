"""The gazetteer: transliteration keys, variant spellings, governorates, GeoNames import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.geo import gazetteer
from rasd.geo.keys import key
from rasd.geo.measure import canonical_admin1, same_admin1
from rasd.geo.resolve import Resolver, resolve

SAMPLE = Path(__file__).parent / "data" / "geonames_sample.txt"


@pytest.fixture(scope="session")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.load()


@pytest.fixture(scope="session")
def resolver(gaz: gazetteer.Gazetteer) -> Resolver:
    from rasd.geo.resolve import resolver as get

    return get()


@pytest.mark.parametrize(
    "a, b",
    [
        ("Saraqeb", "Saraqib"),
        ("Ma'arat al-Nu'man", "Maarrat al-Numan"),
        ("Maarrat al-Numan", "Ma‘arrat an Nu‘mān"),
        ("Khan Sheikhoun", "Khan Shaykhun"),
        ("Jisr al-Shughur", "Jisr ash Shughur"),
        ("Deir ez-Zor", "Dayr az Zawr"),
        ("Deir ez-Zor", "Deir Ezzor"),
        ("Idlib", "Idleb"),
        ("Al-Hasakah", "Hassakeh"),
        ("Raqqa", "Ar-Raqqah"),
        ("Latakia", "Lattakia"),
        ("Tartus", "Tartous"),
    ],
)
def test_variant_spellings_share_a_key(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(
    "written, geonameid",
    [
        ("Saraqeb", 164816),
        ("Saraqib", 164816),
        ("Ma'arat al-Nu'man", 167611),
        ("Maarrat al-Numan", 167611),
        ("Ma‘arrat an Nu‘mān", 167611),
        ("Khan Sheikhoun", 168325),
        ("Khan Shaykhun", 168325),
        ("Jisr al-Shughur", 169023),
        ("Jisr ash Shughur", 169023),
        ("Deir ez-Zor", 170794),
        ("Dayr az Zawr", 170794),
        ("Kafranbel", 168661),
        ("Kafr Nabl", 168661),
    ],
)
def test_variants_resolve_to_the_geonames_entry(resolver: Resolver, written: str, geonameid: int) -> None:
    text = f"Government forces shelled the town of {written} in northwestern Syria on Monday."
    found = resolve(resolver.find(text), text, [1.0] * 10)
    towns = [t for t in found if t.entry and t.entry.kind == "P"]
    assert [t.entry.geonameid for t in towns if t.entry] == [geonameid]
    assert towns[0].text == text[towns[0].start : towns[0].end]


@pytest.mark.parametrize(
    "variant, canonical",
    [
        ("Idleb", "Idlib"),
        ("Idlib", "Idlib"),
        ("Al-Hasakah", "Al-Hasakah"),
        ("hasakeh", "Al-Hasakah"),
        ("Hassakeh", "Al-Hasakah"),
        ("Al Hassakah", "Al-Hasakah"),
        ("deir ezzor", "Deir ez-Zor"),
        ("Ar-Raqqah", "Raqqa"),
        ("lattakia", "Latakia"),
        ("Tartous", "Tartus"),
        ("Damascus countryside", "Rif Dimashq"),
        ("Rif Dimashq", "Rif Dimashq"),
    ],
)
def test_governorate_variants_map_to_one_spelling(gaz: gazetteer.Gazetteer, variant: str, canonical: str) -> None:
    assert canonical_admin1(variant) == canonical
    admin1 = [e for e in gaz.lookup(key(variant)) if e.kind == "A"]
    assert [e.admin1 for e in admin1] == [canonical]


@pytest.mark.parametrize(
    "predicted, gold, same",
    [("South Darfur", "Darfur", True), ("Al-Hasakah", "hasakeh", True), ("Aleppo", "Idlib", False), (None, "Homs", False)],
)
def test_same_admin1(predicted: str | None, gold: str, same: bool) -> None:
    assert same_admin1(predicted, gold) is same


def test_import_streams_and_is_idempotent(gaz: gazetteer.Gazetteer, tmp_path: Path) -> None:
    from rasd.geo.importer import import_dump

    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gaz.path, copy)
    seen: list[int] = []
    assert import_dump(SAMPLE, copy, progress=seen.append) == 3
    assert sum(seen) == SAMPLE.stat().st_size  # every byte reported, line by line
    assert import_dump(SAMPLE, copy) == 3
    fresh = gazetteer.load(copy)
    entries = fresh.lookup(key("Kfar Testa"))
    assert [(e.geonameid, e.admin1, e.population) for e in entries] == [(900000002, "Idlib", 250)]
    n = fresh.db.execute("SELECT COUNT(*) FROM names WHERE ref='900000002'").fetchone()[0]
    assert n == 2  # "Kafr Testa" and "Kfar Testa": one row each, however often the file is imported
    gazetteer.forget(copy)


def test_import_command(gaz: gazetteer.Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd.cli import main

    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gaz.path, copy)
    monkeypatch.setenv("RASD_GAZETTEER_PATH", str(copy))
    result = CliRunner().invoke(main, ["gazetteer", "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "imported 3 places" in result.output
    assert "%" not in result.output  # no progress bar when not on a terminal
    looked = CliRunner().invoke(main, ["gazetteer", "lookup", "Tell Sampla"])
    assert '"geonameid": 900000001' in looked.output
    gazetteer.forget(copy)
