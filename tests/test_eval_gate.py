"""The quality gate: rasd's scores on the dev files and the check file must not drop below the pinned floors.

Floors live in ``tests/eval_baseline.json`` with the sha256 of each file. The check file's entry
says how it is scored (``cross_validate``: countries held out of the event model's training, as
the shipped model trains on that file). Re-pin
with ``python -m rasd.evaluate --pin``; lowering a floor needs ``--lower`` or
``RASD_LOWER_FLOORS=1`` (then this test also accepts the drop and says so).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rasd import evaluate

BASELINE = Path(__file__).resolve().parent / "eval_baseline.json"


def _baseline() -> dict:
    if not BASELINE.exists():
        pytest.skip("tests/eval_baseline.json not pinned yet: run python -m rasd.evaluate --pin")
    return json.loads(BASELINE.read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("dataset", sorted(evaluate.DEV_FILES) + sorted(evaluate.CHECK_FILES))
def test_scores_hold_their_floors(shared: Path, dataset: str) -> None:
    doc = _baseline()
    pinned = doc["datasets"].get(dataset)
    if pinned is None:
        pytest.skip(f"no floors pinned for {dataset}")
    path = shared / "data" / {**evaluate.DEV_FILES, **evaluate.CHECK_FILES}[dataset]
    if not path.exists():
        pytest.skip(f"{path.name} not in ../shared/data")
    digest = evaluate.sha256_file(path)
    assert digest == pinned["sha256"], (
        f"the dev file {path.name} changed (sha256 {digest[:12]}… != pinned {pinned['sha256'][:12]}…): "
        "scores are not comparable; re-pin with python -m rasd.evaluate --pin"
    )
    cv = pinned.get("cross_validate") or {}
    scores = evaluate.evaluate_file(path, folds=cv.get("folds"), group=cv.get("group")).scores()
    tolerance = float(doc.get("tolerance", 0.005))
    drops = [
        f"{field}: {floor:.3f} -> {scores.get(field)}"
        for field, floor in pinned["scores"].items()
        if floor is not None and (scores.get(field) is None or scores[field] < floor - tolerance)
    ]
    if drops and os.environ.get("RASD_LOWER_FLOORS") == "1":
        pytest.skip(f"{dataset}: floors lowered on purpose (RASD_LOWER_FLOORS=1): " + "; ".join(drops))
    assert not drops, f"{dataset} scores dropped below their floors: " + "; ".join(drops)
