"""Place scores on the dev data: governorate/admin1 accuracy and distance within 10 km.

``score_places(rows, places, dataset)`` compares predicted main places with the
gold rows of one dataset (``fakes``, ``acled`` or ``airwars``); ``run(path,
dataset)`` extracts the main place of every row's text with the places stage
alone and scores it. ``python -m rasd.geo.measure DATA_DIR`` prints the scores
and the most common misses.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..model import Place
from .gazetteer import admin1_table
from .keys import key
from .resolve import haversine_km

WITHIN_KM = 10.0
FILES = {
    "fakes": "fakes_syria_2011_2015.jsonl",
    "acled": "acled_north_africa_sudan_2016_jan_feb.jsonl",
    "airwars": "airwars_syria_2021_2022_excl_idlib.jsonl",
    "check": "check/acled_africa_other_2016_jan_may.jsonl",
}
# the gold format of each file (the check file is ACLED's)
FORMAT = {"fakes": "fakes", "acled": "acled", "airwars": "airwars", "check": "acled"}
_CANONICAL = {key(v): name for _c, _code, name, variants in admin1_table() for v in (name, *variants)}


def canonical_admin1(name: str | None) -> str | None:
    """The canonical spelling of an admin1 name ("hasakeh" -> "Al-Hasakah"); unknown names pass through."""
    if not name:
        return None
    return _CANONICAL.get(key(name), name)


def same_admin1(predicted: str | None, gold: str | None) -> bool:
    """Equal after canonicalisation, or one name's words contain the other's
    ("South Darfur" vs ACLED 2016's "Darfur")."""
    if not predicted or not gold:
        return False
    a, b = key(canonical_admin1(predicted) or ""), key(canonical_admin1(gold) or "")
    if a == b:
        return True
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


# FA-KES' label set has no Rif Dimashq: its "damascus" covers both governorates.
_FAKES_COVERS = {"Damascus": {"Damascus", "Rif Dimashq"}}


def _admin1_ok(predicted: str | None, gold: str, dataset: str) -> bool:
    if dataset == "fakes":
        covered = _FAKES_COVERS.get(canonical_admin1(gold) or "")
        if covered and canonical_admin1(predicted) in covered:
            return True
    return same_admin1(predicted, gold)


def _gold(row: dict[str, Any], dataset: str) -> tuple[str | None, tuple[float, float] | None]:
    if dataset == "fakes":
        return row.get("location"), None
    if dataset == "acled":
        point = None
        if row.get("GEO_PRECISION") == "1" and row.get("LATITUDE"):
            point = (float(row["LATITUDE"]), float(row["LONGITUDE"]))
        return row.get("ADMIN1"), point
    point = None
    if row.get("latitude") is not None and row.get("longitude") is not None:
        point = (float(row["latitude"]), float(row["longitude"]))
    return row.get("region") or row.get("governorate"), point


def score_places(rows: Sequence[dict[str, Any]], places: Sequence[Place | None], dataset: str) -> dict[str, Any]:
    """Accuracy of admin1 (all rows with a gold admin1) and share within 10 km (rows with a gold point)."""
    a1_ok = a1_n = km_ok = km_n = 0
    for row, place in zip(rows, places):
        gold_a1, gold_pt = _gold(row, dataset)
        if gold_a1:
            a1_n += 1
            a1_ok += _admin1_ok(place.admin1 if place else None, gold_a1, dataset)
        if gold_pt:
            km_n += 1
            if place and place.lat is not None and place.lon is not None:
                km_ok += haversine_km(place.lat, place.lon, *gold_pt) <= WITHIN_KM
    return {
        "admin1": round(a1_ok / a1_n, 3) if a1_n else None,
        "admin1_n": a1_n,
        "within_10km": round(km_ok / km_n, 3) if km_n else None,
        "within_10km_n": km_n,
    }


def row_text(row: dict[str, Any], dataset: str) -> tuple[str, str | None]:
    if dataset == "fakes":
        return row.get("article_content") or "", row.get("article_title")
    if dataset == "acled":
        return row.get("NOTES") or "", None
    return row.get("text") or "", row.get("page_title")


def main_places(rows: Sequence[dict[str, Any]], dataset: str) -> list[Place | None]:
    """The places stage alone (zones, sentences, places; no parse) on every row's text."""
    from ..extract import pipeline, places

    out: list[Place | None] = []
    for row in rows:
        text, title = row_text(row, dataset)
        ctx = pipeline.prepare(pipeline.Input(text=text, title=title))
        ctx.places = places.find_places(ctx)
        out.append(places.main_place(ctx))
    return out


def misses(rows: Sequence[dict[str, Any]], predicted: Sequence[Place | None], dataset: str, n: int = 10) -> list[tuple[str, int]]:
    """The most common (gold -> predicted) admin1 disagreements."""
    counter: Counter[str] = Counter()
    for row, place in zip(rows, predicted):
        gold_a1, _ = _gold(row, dataset)
        if gold_a1 and not _admin1_ok(place.admin1 if place else None, gold_a1, dataset):
            got = f"{place.admin1} ({place.text})" if place else "nothing"
            counter[f"{gold_a1} -> {got}"] += 1
    return counter.most_common(n)


def load_rows(data_dir: Path, dataset: str, limit: int | None = None) -> list[dict[str, Any]]:
    path = Path(data_dir) / FILES[dataset]
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def run(data_dir: Path, dataset: str, limit: int | None = None) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    rows = load_rows(data_dir, dataset, limit)
    fmt = FORMAT[dataset]
    predicted = main_places(rows, fmt)
    return score_places(rows, predicted, fmt), misses(rows, predicted, fmt)


def main(argv: list[str]) -> None:  # pragma: no cover - a measuring script
    import argparse

    parser = argparse.ArgumentParser(prog="python -m rasd.geo.measure", description=__doc__)
    parser.add_argument("data_dir", nargs="?", default="../shared/data")
    parser.add_argument("--only", action="append", choices=sorted(FILES), help="these files only (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="the first N rows of each file")
    args = parser.parse_args(argv)
    for name in args.only or FILES:
        if not (Path(args.data_dir) / FILES[name]).exists():
            continue
        scores, top = run(Path(args.data_dir), name, args.limit)
        sys.stdout.write(f"{name}: {json.dumps(scores)}\n")
        for what, count in top:
            sys.stdout.write(f"    {count:3d}  {what}\n")


if __name__ == "__main__":  # pragma: no cover - a measuring script
    main(sys.argv[1:])
