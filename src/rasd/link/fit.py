"""Fit the undated path's weights on a gold file with an incident key, and check them on halves.

    python -m rasd.link.fit ../shared/data/airwars_syria_2021_2022_excl_idlib.jsonl [--write]

The documents are extracted as ``rasd eval --links`` extracts them. Every pair of
main-event reports whose places do not conflict is a training pair (label: the
same incident key), with the features of ``evidence.features``; scikit-learn's
logistic regression fits the weights (a feature whose weight comes out with the
wrong sign, e.g. the same type counting against a link, is dropped and the rest
refitted: the dev file is too small to overrule what the feature means). The cut-off is then chosen by linking the
fitting documents themselves at a grid of cut-offs (best pairwise F0.5: a
false merge costs a database more than a missed link), and the intercept is shifted so that the
cut-off lands on the ``link_threshold`` setting.

The check is the other way round: the incidents are split in two halves (by a
hash of the key), weights fitted on half A score half B and those fitted on B
score A; both are printed beside the fit on all documents, which ``--write``
stores in ``weights.json``.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from .. import settings
from .evidence import FEATURES, features
from .linker import LinkDocument, Linker, Report
from .rules import linkable_place
from .score import LinkScore, documents_of, extract_rows, gold_of, link_and_score, read_keyed

CUTS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
AGAINST = ("actor_conflict", "figure_conflict", "day_differ", "weekday_differ")  # features that may only count against a link; the rest only for
BETA = 0.5  # the cut-off maximises F-beta over pairs: precision counts more than recall
WEIGHTS_PATH = Path(__file__).with_name("weights.json")


def main_reports(documents: Sequence[LinkDocument]) -> list[Report]:
    """Each document's main-event report as the linker builds it (no linking: every report starts its own)."""
    linker = Linker(threshold=2.0, merge=False)
    linker.add_all(documents)
    reports = [s.reports[0] for s in linker.index.incidents.values()]  # type: ignore[attr-defined]
    by_doc: dict[str, Report] = {}
    for r in reports:
        if r.event.main and linkable_place(r.event.place):
            by_doc.setdefault(r.document, r)
    freq = linker.index.frequencies
    _IDF.clear()
    _IDF.update(freq.idf({t for r in by_doc.values() for t in set(r.terms) | r.names}))
    return list(by_doc.values())


_IDF: dict[int, float] = {}


def pairs(reports: Sequence[Report], gold: Mapping[str, str]) -> tuple[list[list[float]], list[int]]:
    x, y = [], []
    for i, a in enumerate(reports):
        for b in reports[i + 1:]:
            values = features(a, b, _IDF)
            if values is None:
                continue
            x.append([values[k] for k in FEATURES])
            y.append(int(gold[a.document] == gold[b.document]))
    return x, y


def fit_weights(documents: Sequence[LinkDocument], gold: Mapping[str, str]) -> tuple[dict[str, float], float]:
    """Weights fitted on these documents, and the cut-off chosen by linking them."""
    from sklearn.linear_model import LogisticRegression

    x, y = pairs(main_reports(documents), gold)
    keep = list(FEATURES)
    while True:  # a feature whose weight comes out with the wrong sign is dropped and the rest refitted
        cols = [FEATURES.index(k) for k in keep]
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit([[r[i] for i in cols] for r in x], y)
        wrong = [k for k, c in zip(keep, model.coef_[0]) if (c < 0) != (k in AGAINST)]
        if not wrong:
            break
        keep = [k for k in keep if k not in wrong]
    w = {k: 0.0 for k in FEATURES}
    w.update({k: round(float(c), 4) for k, c in zip(keep, model.coef_[0])})
    w["bias"] = round(float(model.intercept_[0]), 4)
    best: tuple[float, float] = (-1.0, CUTS[-1])
    for cut in CUTS:
        s = link_and_score(documents, gold, threshold=cut, weights=w)
        b2 = BETA * BETA
        f = (1 + b2) * s.precision * s.recall / (b2 * s.precision + s.recall) if s.precision + s.recall else 0.0
        if f > best[0]:
            best = (f, cut)
    return w, best[1]


def shifted(w: Mapping[str, float], cut: float, threshold: float) -> dict[str, float]:
    """The weights with the intercept moved so that probability ``cut`` becomes ``threshold``."""
    out = dict(w)
    out["bias"] = round(w["bias"] - _logit(cut) + _logit(threshold), 4)
    return out


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def half(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % 2


def check_halves(documents: Sequence[LinkDocument], gold: Mapping[str, str]) -> list[tuple[str, LinkScore, LinkScore]]:
    """Fit on one half of the incidents, score on the other: (name, score on the fit half, score on the other)."""
    threshold = float(settings.get("link_threshold"))
    out = []
    for fit_half in (0, 1):
        fit_docs = [d for d in documents if half(gold[d.id]) == fit_half]
        other = [d for d in documents if half(gold[d.id]) != fit_half]
        w, cut = fit_weights(fit_docs, gold)
        w = shifted(w, cut, threshold)
        own = link_and_score(fit_docs, {d.id: gold[d.id] for d in fit_docs}, weights=w)
        held = link_and_score(other, {d.id: gold[d.id] for d in other}, weights=w)
        out.append(("AB"[fit_half], own, held))
    return out


def _line(s: LinkScore) -> str:
    return (f"P {s.precision:.3f} R {s.recall:.3f} B3 {s.bcubed_f1:.3f} "
            f"({s.correct_pairs}/{s.predicted_pairs} of {s.gold_pairs} pairs)")


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="Store the weights fitted on all of GOLD in weights.json.")
def main(gold: Path, write: bool) -> None:
    """Fit the undated linking weights on GOLD; print the check on halves split by incident."""
    rows = read_keyed(gold)
    extractions = extract_rows(rows)
    documents = documents_of(rows, extractions)
    keys = gold_of(rows, extractions)
    for name, own, held in check_halves(documents, keys):
        click.echo(f"fit on half {name}: on its own half {_line(own)} | on the other half {_line(held)}")
    threshold = float(settings.get("link_threshold"))
    w, cut = fit_weights(documents, keys)
    w = shifted(w, cut, threshold)
    click.echo(f"fit on all (cut {cut}): {_line(link_and_score(documents, keys, weights=w))}")
    click.echo(json.dumps(w))
    if write:
        doc: dict[str, Any] = {"fitted_on": f"{gold.name} ({len(documents)} documents), python -m rasd.link.fit",
                               "weights": w}
        WEIGHTS_PATH.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
