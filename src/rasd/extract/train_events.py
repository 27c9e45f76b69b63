"""Train the event-type classifier: ``python -m rasd.extract.train_events [--shared DIR] [--holdout NAME]``.

Training data, all public or written here:

* ``EXAMPLES`` below: sentences we wrote, one or more per sub-event type;
* ACLED notes (``../shared/data/acled_*.jsonl``): the old 2016 types mapped to current
  sub-event types (Battle-No change -> Armed clash, the two territory battles to
  themselves, Violence against civilians -> Attack; Remote violence rows take the
  sub-type their trigger words give, and are skipped when none does);
* Airwars source texts: strike type Airstrike / Drone Strike -> Air/drone strike,
  Artillery -> Shelling/artillery/missile attack (mixed types are skipped);
* FA-KES titles and leads: cause of death shelling -> Shelling (Air/drone strike when
  the title says so), explosion -> Remote explosive/landmine/IED, chemical ->
  Chemical weapon, execution and shooting -> Attack.

It prints 5-fold cross-validated accuracy and, per dev file, the accuracy when that
file is held out of training, then fits on everything (minus ``--holdout``) and writes
``rasd/data/events/model.npz``. Those are the model's own accuracies on every labelled
text; what the whole pipeline scores with a model that never saw the rows is
``rasd eval GOLD --cross-validate 5``. A test checks that the shipped artefact is what
this command builds: rerun it after changing the triggers or the examples.
Training reads nothing outside the repository and the shared folder; it is
deterministic (fixed seeds).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np

from . import event_model
from .triggers import find_triggers

LOGGER = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[3]

EXAMPLES: list[tuple[str, str]] = [
    ("Warplanes struck the village, killing four civilians.", "Air/drone strike"),
    ("A drone targeted a car on the road to the town, killing two men.", "Air/drone strike"),
    ("Russian jets pounded the town overnight.", "Air/drone strike"),
    ("The coalition said it had carried out strikes against militant positions.", "Air/drone strike"),
    ("Helicopters dropped barrel bombs on the neighbourhood.", "Air/drone strike"),
    ("An unmanned aircraft attacked a motorcycle near the village.", "Air/drone strike"),
    ("Government forces pounded the district with artillery and mortars.", "Shelling/artillery/missile attack"),
    ("Rockets fell on the city centre, wounding seven people.", "Shelling/artillery/missile attack"),
    ("Turkish forces shelled villages in the countryside.", "Shelling/artillery/missile attack"),
    ("A missile hit a residential building.", "Shelling/artillery/missile attack"),
    ("Heavy bombardment on the besieged suburbs killed a child.", "Shelling/artillery/missile attack"),
    ("Fighters clashed with the army near the checkpoint; three soldiers died.", "Armed clash"),
    ("Rebels attacked an army position and fighting lasted for hours.", "Armed clash"),
    ("Militants attacked a police checkpoint and killed two policemen in an exchange of fire.", "Armed clash"),
    ("Gunmen ambushed a military convoy; soldiers returned fire.", "Armed clash"),
    ("The army killed five militants during an operation in the mountains.", "Armed clash"),
    ("Soldiers killed an armed militant in a raid on his hideout.", "Armed clash"),
    ("Government forces regained control of the town after days of fighting.", "Government regains territory"),
    ("The army recaptured the district from the rebels.", "Government regains territory"),
    ("Militants seized the town and raised their flag.", "Non-state actor overtakes territory"),
    ("Rebels took control of the airbase.", "Non-state actor overtakes territory"),
    ("Gunmen killed a farmer in his field.", "Attack"),
    ("Militiamen attacked the village, killing civilians and burning houses.", "Attack"),
    ("The group executed three men accused of spying.", "Attack"),
    ("An armed man shot dead a shopkeeper.", "Attack"),
    ("Unknown assailants killed a teacher on his way home.", "Attack"),
    ("The militia attacked displaced people in the camp.", "Attack"),
    ("Gunmen abducted two aid workers on the road.", "Abduction/forced disappearance"),
    ("The men were kidnapped and their fate remains unknown.", "Abduction/forced disappearance"),
    ("Security forces arrested twelve people in a dawn raid.", "Arrests"),
    ("Police detained the activist at his home.", "Arrests"),
    ("A roadside bomb exploded as a patrol passed.", "Remote explosive/landmine/IED"),
    ("A car bomb went off near the market, killing nine.", "Remote explosive/landmine/IED"),
    ("A landmine killed a shepherd.", "Remote explosive/landmine/IED"),
    ("An explosion hit the bus station.", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at the checkpoint.", "Suicide bomb"),
    ("A suicide car bomb struck the base.", "Suicide bomb"),
    ("Attackers threw a grenade at the police station.", "Grenade"),
    ("Chlorine gas was dropped on the town, suffocating dozens.", "Chemical weapon"),
    ("A sarin attack killed hundreds in the suburbs.", "Chemical weapon"),
    ("Hundreds protested peacefully in the square.", "Peaceful protest"),
    ("Police dispersed the demonstrators with tear gas.", "Protest with intervention"),
    ("Security forces opened fire on protesters, killing three.", "Excessive force against protesters"),
    ("Rioters set fire to the police station.", "Violent demonstration"),
    ("An angry mob beat a man to death.", "Mob violence"),
    ("The parties signed a ceasefire agreement.", "Agreement"),
    ("Fighters looted shops and torched houses.", "Looting/property destruction"),
    ("Engineers defused an explosive device on the road.", "Disrupted weapons use"),
    ("Air defences intercepted two missiles.", "Disrupted weapons use"),
    ("The troops established a new military base outside the city.", "Headquarters or base established"),
    ("The militia handed over control of the town peacefully.", "Non-violent transfer of territory"),
]

ACLED_OLD = {
    "Battle-No change of territory": "Armed clash",
    "Battle-Government regains territory": "Government regains territory",
    "Battle-Non-state actor overtakes territory": "Non-state actor overtakes territory",
    "Violence against civilians": "Attack",
}
FAKES_CAUSE = {
    "shelling": "Shelling/artillery/missile attack",
    "explosion": "Remote explosive/landmine/IED",
    "chemical and toxic gases": "Chemical weapon",
    "execution": "Attack",
    "shooting": "Attack",
}
AIRWARS_STRIKE = {
    "Airstrike": "Air/drone strike",
    "Drone Strike": "Air/drone strike",
    "Airstrike, Drone Strike": "Air/drone strike",
    "Drone Strike, Airstrike": "Air/drone strike",
    "Artillery": "Shelling/artillery/missile attack",
}


def _rule_sub(text: str) -> str | None:
    for trig in find_triggers(text):
        if trig.level == 1 and trig.sub not in ("TERRITORY", "PROTEST", "GENERIC"):
            return trig.sub
    return None


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def label_row(fmt: str, row: dict) -> tuple[str, str] | None:
    """One gold row of a dev file as a labelled training text, or None when its label gives no sub-event type."""
    if fmt == "acled":
        note = row.get("NOTES", "")
        old = row.get("EVENT_TYPE", "")
        sub = ACLED_OLD.get(old) or (_rule_sub(note) if old == "Remote violence" else None)
        return (note, sub) if note and sub else None
    if fmt == "airwars":
        sub = AIRWARS_STRIKE.get(row.get("strike_type") or "")
        return (f"{row.get('page_title') or ''} {row['text'][:1500]}", sub) if sub else None
    sub = FAKES_CAUSE.get(row.get("cause_of_death", ""))
    title = row.get("article_title", "")
    if sub == FAKES_CAUSE["shelling"] and _rule_sub(title) == "Air/drone strike":
        sub = "Air/drone strike"
    return (f"{title} {row.get('article_content', '')[:1000]}", sub) if sub else None


def dev_examples(shared: Path) -> dict[str, list[tuple[str, str]]]:
    """Labelled texts from each dev file, keyed by dataset name (acled, airwars, fakes)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name in ("acled", "airwars", "fakes"):
        out[name] = [ex for path in sorted((shared / "data").glob(f"{name}_*.jsonl")) for row in _read(path) if (ex := label_row(name, row))]
    return out


def fit(texts: list[str], labels: list[str], max_features: int = 6000) -> tuple[object, object]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(min_df=2, max_features=max_features, **event_model.vectorizer_params())
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=5.0, max_iter=3000, class_weight="balanced", random_state=0)
    clf.fit(X, labels)
    return vec, clf


def _accuracy(vec: object, clf: object, pairs: list[tuple[str, str]]) -> float:
    if not pairs:
        return float("nan")
    pred = clf.predict(vec.transform([t for t, _ in pairs]))  # type: ignore[attr-defined]
    return float(np.mean([p == y for p, (_, y) in zip(pred, pairs)]))


def report(examples: list[tuple[str, str]], dev: dict[str, list[tuple[str, str]]]) -> dict[str, float]:
    """5-fold CV accuracy over everything, and leave-one-dataset-out accuracy per dev file."""
    from sklearn.model_selection import StratifiedKFold

    pairs = examples + [p for rows in dev.values() for p in rows]
    labels = np.array([y for _, y in pairs])
    counts = {y: int((labels == y).sum()) for y in set(labels)}
    keep = [i for i, y in enumerate(labels) if counts[y] >= 5]
    scores = []
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(keep, labels[keep]):
        vec, clf = fit([pairs[keep[i]][0] for i in train], [labels[keep[i]] for i in train])
        scores.append(_accuracy(vec, clf, [pairs[keep[i]] for i in test]))
    out = {"cv5": float(np.mean(scores))}
    for name, rows in dev.items():
        rest = examples + [p for other, r in dev.items() if other != name for p in r]
        vec, clf = fit([t for t, _ in rest], [y for _, y in rest])
        out[f"held_out_{name}"] = _accuracy(vec, clf, rows)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder with data/")
    parser.add_argument("--holdout", action="append", default=[], help="dev set to leave out of the fit: acled, airwars, fakes")
    parser.add_argument("--out", type=Path, default=event_model.MODEL_PATH)
    parser.add_argument("--no-report", action="store_true", help="skip cross-validation")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    dev = dev_examples(args.shared) if (args.shared / "data").exists() else {}
    LOGGER.info("examples: %d written, %s", len(EXAMPLES), {k: len(v) for k, v in dev.items()})
    if not args.no_report and dev:
        for key, value in report(EXAMPLES, dev).items():
            LOGGER.info("%s accuracy: %.3f", key, value)
    pairs = EXAMPLES + [p for name, rows in dev.items() if name not in args.holdout for p in rows]
    vec, clf = fit([t for t, _ in pairs], [y for _, y in pairs])
    event_model.save(args.out, vec, clf)
    LOGGER.info("wrote %s (%d bytes, %d classes)", args.out.name, args.out.stat().st_size, len(clf.classes_))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
