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


@pytest.mark.parametrize(
    "city, country, admin1",
    [
        ("Mosul", "IQ", "Nineveh"), ("Ramadi", "IQ", "Anbar"), ("Erbil", "IQ", "Erbil"), ("Baghdad", "IQ", "Baghdad"),
        ("Gaziantep", "TR", "Gaziantep"), ("Antakya", "TR", "Hatay"), ("Cizre", "TR", "Sirnak"), ("Suruc", "TR", "Sanliurfa"),
        ("Sidon", "LB", "South Lebanon"), ("Baalbek", "LB", "Baalbek-Hermel"), ("Jounieh", "LB", "Mount Lebanon"),
        ("Benghazi", "LY", "Benghazi"), ("Sirte", "LY", "Sirte"), ("Zliten", "LY", "Misrata"), ("Ubari", "LY", "Wadi al Hayat"),
        ("Sfax", "TN", "Sfax"), ("Ben Gardane", "TN", "Medenine"), ("Tizi Ouzou", "DZ", "Tizi Ouzou"), ("Oran", "DZ", "Oran"),
        ("Tangier", "MA", "Tanger-Tetouan-Al Hoceima"), ("Agadir", "MA", "Souss-Massa"),
        ("Mukalla", "YE", "Hadramawt"), ("Zinjibar", "YE", "Abyan"), ("Sanaa", "YE", "Amanat al Asimah"),
    ],
)
def test_cities_fall_in_their_admin1(gaz: gazetteer.Gazetteer, city: str, country: str, admin1: str) -> None:
    found = [e for e in gaz.lookup(key(city)) if e.kind == "P" and e.country == country]
    assert found, city
    assert max(found, key=lambda e: e.population).admin1 == admin1


@pytest.mark.parametrize(
    "variant, canonical",
    [("Banghazi", "Benghazi"), ("Misratah", "Misrata"), ("Surt", "Sirte"), ("Darnah", "Derna"), ("Ninawa", "Nineveh"),
     ("Salah ad Din", "Salahuddin"), ("Bekaa", "Beqaa"), ("Le Kef", "Kef"), ("Grand Casablanca", "Casablanca-Settat"),
     ("Sabratah Surman", "Az Zawiyah"), ("Hadramout", "Hadramawt")],
)
def test_new_admin1_variants(variant: str, canonical: str) -> None:
    assert canonical_admin1(variant) == canonical


def test_every_admin1_code_used_by_cities_has_a_name(gaz: gazetteer.Gazetteer) -> None:
    written = {(c, code) for c, code, _n, _v in gazetteer.admin1_table()}
    for country in "SY IQ TR LB LY EG SD TN DZ MA YE".split():
        used = {code for (code,) in gaz.db.execute(
            "SELECT DISTINCT admin1 FROM places WHERE country=? AND admin1 IS NOT NULL AND admin1 NOT IN ('', '00')", (country,))}
        assert {(country, code) for code in used} <= written, country



def test_an_admin1_name_is_primary_even_when_a_variant_folds_to_the_same_key(gaz: gazetteer.Gazetteer) -> None:
    # "Daraa" and "Dar'a" fold to one key; which one the build inserted first used to
    # follow set hashing, so the name's primary flag (and place scores) changed per build
    checked = 0
    for country, code, name, variants in gazetteer.admin1_table():
        if not any(key(v) == key(name) and v != name for v in variants):
            continue
        entries = [e for e in gaz.lookup(key(name)) if e.kind == "A" and e.ref == f"{country}.{code}"]
        assert entries and entries[0].is_primary, (country, code, name)
        checked += 1
    assert checked >= 5

def test_the_cache_key_covers_every_data_file() -> None:
    assert set(gazetteer.DATA_FILES) >= {"admin1.tsv", "regions.tsv"}


@pytest.mark.parametrize(
    "text, name, admin1, precision",
    [
        ("Fighting spread across Darfur this week.", "Darfur", "Darfur", "admin1"),
        ("SAF bombed villages in Jebel Marra.", "Jebel Marra", "Central Darfur", "admin1"),
        ("Clashes were reported in Jabal Marrah.", "Jebel Marra", "Central Darfur", "admin1"),
        ("Militias attacked a market in North Darfur.", "North Darfur", "North Darfur", "admin1"),
        ("Shelling continued in the Nuba Mountains.", "Nuba Mountains", "South Kordofan", "admin1"),
        ("Israeli jets struck targets in the Golan Heights, Syria.", "Golan Heights", "Quneitra", "admin2"),
        ("Regime forces shelled Eastern Ghouta, Syria.", "Eastern Ghouta", "Rif Dimashq", "admin2"),
        ("Airstrikes hit Jabal al-Zawiya in Syria.", "Jabal al-Zawiya", "Idlib", "admin2"),
        ("Shells fell near Jebel Marra.", "Jebel Marra", "Central Darfur", "near"),
    ],
)
def test_regions_and_features_resolve(resolver: Resolver, text: str, name: str, admin1: str, precision: str) -> None:
    found = resolve(resolver.find(text), text, [1.0] * 10)
    hits = [(t.entry.name, t.entry.admin1, t.precision) for t in found if t.entry and t.entry.kind in "AR"]
    assert (name, admin1, precision) in hits, [(t.text, t.entry) for t in found]


@pytest.mark.parametrize(
    "text, word",
    [
        ("The Sudanese army continued aerial bombardments in Golo and Rokerro, targeting SLM/A-Nur areas.", "Golo"),
        ("The Sudanese army continued aerial bombardments in Golo and Rokerro, targeting SLM/A-Nur areas.", "Nur"),
        ("SAF continued aerial bombardments in Golo and Rokerro on Jan 3, targeting SLM/A-Nur areas.", "Golo"),
        ("SAF continued aerial bombardments in Golo and Rokerro on Jan 3, targeting SLM/A-Nur areas.", "Nur"),
        ("Turkish shelling hit Abu Rasin (Zarkan) in Al-Hasakah countryside in Syria. The Fall of the town.", "Zarkan"),
        ("Turkish shelling hit Abu Rasin (Zarkan) in Al-Hasakah countryside in Syria. The Fall of the town.", "Fall"),
        ("Live news: SDF digs tunnels near Raqqa in northeast Syria.", "Live"),
        ("Syrian air defences fired at Israeli jets over Golan, Syrian state media said.", "Golan"),
        ("RSF kill 6 people in Al Abbasiya, South Kordofan.", "Abbasiya"),
    ],
)
def test_no_foreign_false_matches(resolver: Resolver, text: str, word: str) -> None:
    found = resolve(resolver.find(text), text, [1.0] * 10)
    wrong = [(t.text, t.entry.name, t.entry.country) for t in found
             if t.entry and word in t.text and t.entry.country not in ("SD", "SY")]
    assert not wrong


def test_near_the_town_of_is_near(resolver: Resolver) -> None:
    text = "Government forces shelled positions near the town of Saraqeb in Syria."
    found = resolve(resolver.find(text), text, [1.0] * 10)
    assert [(t.text, t.precision) for t in found if t.entry and t.entry.kind == "P"] == [("Saraqeb", "near")]


def test_parsed_entities_decide_doubtful_words(resolver: Resolver) -> None:
    text = "Fighters of the Derna Council of Mujahideen attacked positions in Derna, Libya."
    council = text.index("Derna Council")
    ents = [(council, council + len("Derna Council of Mujahideen"), "ORG")]
    found = resolve(resolver.find(text, ents=ents), text, [1.0] * 10)
    assert [t.start for t in found if t.text == "Derna"] == [text.rindex("Derna")]
    lower = "clashes in sirte, libya"
    ents = [(lower.index("sirte"), lower.index("sirte") + 5, "GPE")]
    found = resolve(resolver.find(lower, ents=ents), lower, [1.0] * 10)
    assert [(t.text, t.entry.country) for t in found if t.entry and t.entry.kind == "P"] == [("sirte", "LY")]


@pytest.mark.parametrize("prefix", ["", "Fighting was reported on Monday in ", "x " * 40])
@pytest.mark.parametrize("mark", ["'", "’"])
def test_a_possessive_is_dropped_wherever_the_word_stands(prefix: str, mark: str) -> None:
    from rasd.geo.keys import tokens

    text = f"{prefix}Benghazi{mark}s Suq Al-Hout district"
    words = [text[s:e] for s, e in tokens(text)]
    assert "Benghazi" in words and f"Benghazi{mark}s" not in words


def test_a_place_with_a_possessive_far_into_the_text_is_found(resolver: Resolver) -> None:
    text = "Fighting was reported in Benghazi’s Suq Al-Hout district on 24 February."
    assert [t.text for t in resolver.scan(text)][0] == "Benghazi"
    found = resolve(resolver.find(text), text, [1.0] * 10)
    assert [(t.text, t.entry.country) for t in found if t.entry] == [("Benghazi", "LY")]  # no Hout abroad


def test_the_shipped_ranker_matches_its_features() -> None:
    from rasd.geo import rank

    model = rank.model()
    assert model is not None and len(model.weights) == len(rank.FEATURES)
    assert 0.0 < model.threshold_locative <= model.threshold < 1.0


def test_the_shipped_ranker_is_what_the_build_command_builds(shared: Path) -> None:
    """python -m rasd.geo.fit on the dev files reproduces data/geo/ranker.json (fitted on dev files only)."""
    import json

    from rasd.geo import fit

    data_dir = shared / "data"
    if not (data_dir / fit.FILES["acled"]).exists():
        pytest.skip("the dev files are not in ../shared/data")
    built = fit.fit(data_dir)
    shipped = json.loads(fit.default_output().read_text(encoding="utf-8"))
    assert built["features"] == shipped["features"]
    assert all(f.startswith(("fakes", "acled", "airwars")) for f in shipped["fitted_on"])  # never the check file
    assert built["weights"] == pytest.approx(shipped["weights"], abs=1e-3)
    assert (built["threshold"], built["threshold_locative"]) == (shipped["threshold"], shipped["threshold_locative"])


ALTERNATES = Path(__file__).parent / "data" / "geonames_altnames_sample.txt"


def test_alternate_names_import_into_known_places_idempotently(gaz: gazetteer.Gazetteer, tmp_path: Path) -> None:
    import zipfile

    from rasd.geo.importer import import_dump

    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gaz.path, copy)
    import_dump(SAMPLE, copy)
    dump = tmp_path / "alternateNamesV2.zip"
    with zipfile.ZipFile(dump, "w") as zf:  # as GeoNames ships it: the names beside a language table
        zf.writestr("iso-languagecodes.txt", "ISO 639-3\tISO 639-2\tISO 639-1\tLanguage Name\nara\tara\tar\tArabic\n")
        zf.write(ALTERNATES, "alternateNamesV2.txt")
    seen: list[int] = []
    assert import_dump(dump, copy, progress=seen.append) == 7  # every row read, the comment too
    assert import_dump(dump, copy) == 7
    fresh = gazetteer.load(copy)
    assert [e.geonameid for e in fresh.lookup(key("Tell Samplix"))] == [900000001]
    assert [e.geonameid for e in fresh.lookup(key("Kafr Testiya"))] == [900000002]
    assert fresh.lookup(key("Kafr Slangy")) == []  # colloquial
    assert fresh.lookup(key("Nowhere Place")) == []  # no such place in the gazetteer
    n = fresh.db.execute("SELECT COUNT(*) FROM names WHERE ref='900000001'").fetchone()[0]
    assert n == 4  # Tall Sampla, Tell Sampla, Tal Sambla, Tell Samplix: once each, however often imported
    status = fresh.status()
    assert "alternateNamesV2.zip (7 rows" in status["imported"] and "geonames_sample.txt (3 rows" in status["imported"]
    gazetteer.forget(copy)


def test_status_command(gaz: gazetteer.Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd.cli import main

    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(gaz.path, copy)
    monkeypatch.setenv("RASD_GAZETTEER_PATH", str(copy))
    result = CliRunner().invoke(main, ["gazetteer", "status"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split(None, 1) for line in result.output.splitlines() if line.strip() and " " in line)
    assert lines["file"].strip() == str(copy)
    assert int(result.output.split("admin2 units")[1].split()[0]) > 10_000
    assert "nothing" in result.output.split("imported")[1]
    gazetteer.forget(copy)
