"""Build ``rasd/data/actors/states.json``: every state's military and police forces, and ACLED's generic actors.

``python -m rasd.extract.build_actors`` reads the countries of ISO 3166 from the
``pycountry`` package and the demonyms we wrote in ``rasd/data/actors/countries.tsv``
(with the country names ACLED writes where they differ from pycountry's), and writes,
for every country:

* ``Military Forces of <country>`` and ``Police Forces of <country>`` (kind ``state
  forces``): "the Kenyan army", "Somali police", "the army of Chad"; the bare "army",
  "soldiers", "police" only in a document about that country (its names and first-level
  subdivisions, from pycountry, are the entry's context words, and its places count; a
  demonym is not, as "Turkish drones" over Syria place nobody in Turkey);
* for the countries ``countries.tsv`` marks (the African countries of the data), the
  actors ACLED codes by convention when a report names no group:
  ``Unidentified Armed Group (<country>)`` for "gunmen" or
  "unknown attackers", ``Protesters (<country>)``, ``Rioters (<country>)`` and
  ``Civilians (<country>)``, again only in a document about the country.

A country that a hand-written file of the folder already covers (``north_africa.json``,
``syria.json``: "Military Forces of Syria (2000-)") keeps its hand-written entry. ACLED's
period in brackets ("(2012-)") is not generated: the scorer folds it away. A test checks
that the shipped file is what this command writes.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from .actors import DATA_DIR

LOGGER = logging.getLogger(__name__)
OUT = DATA_DIR / "states.json"
COUNTRIES_TSV = DATA_DIR / "countries.tsv"

MILITARY_WEAK = ["army", "the army", "soldiers", "troops", "military", "armed forces", "government forces", "government troops",
                 "a soldier", "army officer", "an army officer", "national army", "defence forces", "defense forces"]
MILITARY_NOUNS = ["army", "military", "forces", "troops", "soldiers", "armed forces", "air force", "defence forces", "defense forces",
                  "National Army", "national army", "military forces", "government forces"]
POLICE_WEAK = ["police", "policemen", "a policeman", "police officers", "a police officer", "police forces", "security forces",
               "security personnel", "riot police", "anti-riot police"]
POLICE_NOUNS = ["police", "police force", "police forces", "policemen", "police officers", "Police Service", "riot police"]
GENERIC: list[tuple[str, str, list[str]]] = [
    ("Unidentified Armed Group ({})", "political militia", [
        "gunmen", "unidentified gunmen", "unknown gunmen", "armed men", "unidentified armed men", "unknown armed men", "a gunman",
        "assailants", "unidentified assailants", "unknown assailants", "attackers", "unknown attackers", "unidentified attackers",
        "an armed group", "armed group", "bandits", "armed bandits", "suspected militants", "militants",
    ]),
    ("Protesters ({})", "protesters", ["protesters", "protestors", "demonstrators", "marchers", "a protester", "striking workers"]),
    ("Rioters ({})", "rioters", ["rioters", "a mob", "an angry mob", "angry mob", "the mob", "mob"]),
    ("Civilians ({})", "civilians", [
        "civilians", "civilian", "residents", "villagers", "a child", "children", "a woman", "women", "a man", "farmers", "a farmer",
        "herders", "a herder", "displaced people", "IDPs", "a student", "students", "a teacher", "a trader", "traders", "a shepherd",
        "travellers", "passengers", "a civilian", "detainees", "prisoners", "inmates",
    ]),
]


def read_countries(path: Path = COUNTRIES_TSV) -> dict[str, tuple[str, list[str], bool]]:
    """ISO2 -> (the name ACLED writes, or "" for pycountry's; demonyms; whether to write its generic actors), from
    ``countries.tsv``."""
    out: dict[str, tuple[str, list[str], bool]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + ["", "", ""])[:4]
        out[cells[0].strip()] = (cells[1].strip(), [d.strip() for d in cells[2].split(",") if d.strip()], cells[3].strip() == "1")
    return out


def _hand_written() -> set[tuple[str, str]]:
    """(name, ISO2) of every entry the folder's other files write ("Military Forces of Syria (2000-)", "SY")."""
    return {
        (raw["name"], raw.get("country") or "")
        for f in sorted(DATA_DIR.glob("*.json"))
        if f.resolve() != OUT.resolve()
        for raw in json.loads(f.read_text(encoding="utf-8"))
    }


def _covered(hand: set[tuple[str, str]], name: str, code: str) -> bool:
    """Whether a hand-written entry of the country already has this name (with ACLED's period or without)."""
    prefix, _, country = name.partition(" of ")
    forms = {name, f"{prefix} of the {country}"} if country else {name}
    return any(c == code and any(n == f or n.startswith(f + " (") for f in forms) for n, c in hand)


def _subdivisions(codes: set[str]) -> dict[str, list[str]]:
    """First-level subdivision names per country, leaving out names two countries share ("Central", "Eastern")."""
    import pycountry

    names: dict[str, list[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.country_code in codes and getattr(sub, "parent_code", None) is None and len(sub.name) >= 4:
            names.setdefault(sub.country_code, []).append(sub.name.split(" [")[0].split(" (")[0])
    shared = Counter(n for ns in names.values() for n in set(ns))
    return {code: sorted({n for n in ns if shared[n] == 1}) for code, ns in names.items()}


def _entry(name: str, kind: str, code: str, aliases: list[str], weak: list[str], context: list[str], demonyms: list[str],
           nouns: str = "military") -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "kind": kind, "country": code, "aliases": aliases, "weak_aliases": weak, "context": context}
    if demonyms:
        entry["demonyms"] = demonyms
    if nouns != "military":
        entry["demonym_nouns"] = nouns
    return entry


def country_entries(code: str, name: str, names: list[str], demonyms: list[str], context: list[str], generic: bool,
                    hand: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The entries of one country (those a hand-written file covers left out)."""
    out: list[dict[str, Any]] = []
    forms = [("Military Forces of {}", MILITARY_NOUNS, MILITARY_WEAK, "military"), ("Police Forces of {}", POLICE_NOUNS, POLICE_WEAK, "police")]
    for pat, nouns, weak, cls in forms:
        if _covered(hand, pat.format(name), code):
            continue
        aliases = [f"{d} {n}" for d in demonyms for n in nouns] + [f"{n} {w}" for n in names for w in nouns[:3]]
        aliases += [f"{nouns[0]} of {n}" for n in names] + [f"{n}'s {nouns[0]}" for n in names]
        out.append(_entry(pat.format(name), "state forces", code, sorted(set(aliases)), weak, context, demonyms, cls))
    for pat, kind, weak in GENERIC if generic else []:
        if not _covered(hand, pat.format(name), code):
            out.append(_entry(pat.format(name), kind, code, [], weak, context, []))
    return out


def build() -> list[dict[str, Any]]:
    import pycountry

    written = read_countries()
    hand = _hand_written()
    subdivisions = _subdivisions(set(written))
    entries: list[dict[str, Any]] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        acled, demonyms, generic = written.get(code, ("", [], False))
        common = getattr(country, "common_name", None) or country.name
        name = acled or common
        names = sorted({n for n in (name, common, country.name) if "," not in n})
        # a demonym is no context: "Turkish drones" over Syria put neither the civilians nor the army in Turkey
        context = sorted(set(names + subdivisions.get(code, [])))
        entries += country_entries(code, name, names, demonyms, context, generic, hand)
    return entries


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    entries = build()
    args.out.write_text(json.dumps(entries, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    LOGGER.info("wrote %s (%d entries, %d bytes)", args.out.name, len(entries), args.out.stat().st_size)


if __name__ == "__main__":
    main()
