"""Train the event-type classifier: ``python -m rasd.extract.train_events [--shared DIR] [--holdout NAME]``.

Training data, all public or written here:

* ``EXAMPLES`` below: sentences we wrote, one or more per sub-event type;
* ACLED notes, the tuning file (``../shared/data/acled_*.jsonl``) and the check file
  (``../shared/data/check/acled_*.jsonl``, 43 other African countries, all nine 2016
  types: training on it is a decision, so its scores are read with whole countries held
  out, ``rasd eval CHECK --cross-validate 5 --group country``). The 2016 types become
  current sub-event types: the three battles to themselves; Violence against civilians
  to Attack unless a trigger word of that type says more (abduction, sexual violence);
  Remote violence to the sub-type its trigger words give (skipped when none does);
  Riots/Protests by ACLED's actors (Rioters: Violent demonstration, or Mob violence for a
  mob; Protesters: Peaceful protest, Protest with intervention when state forces face
  them, Excessive force against protesters when the row counts dead); Strategic
  development to its trigger's sub-type, else Other; Non-violent transfer of territory
  and Headquarters or base established to themselves;
* Airwars source texts: strike type Airstrike / Drone Strike -> Air/drone strike,
  Artillery -> Shelling/artillery/missile attack (mixed types are skipped);
* FA-KES titles and leads: cause of death shelling -> Shelling (Air/drone strike when
  the title says so), explosion -> Remote explosive/landmine/IED, chemical ->
  Chemical weapon, execution and shooting -> Attack;
* "No event": the FA-KES and Airwars articles' sentences with neither a trigger word
  nor a count (``no_event_sentences``).

It prints 5-fold cross-validated accuracy, per dev file the accuracy when that file is
held out of training, and on ACLED's notes the accuracy with whole countries held out
next to the trigger words' own (``country_report``); then fits on everything (minus
``--holdout``) and writes ``rasd/data/events/model.npz``. What the whole pipeline scores
with a model that never saw the rows is ``rasd eval GOLD --cross-validate 5`` (``--group
country`` for ACLED). A test checks that the shipped artefact is what this command
builds: rerun it after changing the triggers or the examples. Training reads nothing
outside the repository and the shared folder; it is deterministic (fixed seeds).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from pathlib import Path

import numpy as np

from ..model import SUB_EVENT_TO_TYPE
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
    "Strategic development": "Other",
    "Non-violent transfer of territory": "Non-violent transfer of territory",
    "Headquarters or base established": "Headquarters or base established",
}
# 2016 type -> the current event type whose sub-event types a trigger may refine it to
ACLED_OLD_REFINED = {
    "Violence against civilians": "Violence against civilians",
    "Remote violence": "Explosions/Remote violence",
    "Strategic development": "Strategic developments",
}
_STATE = ("Military Forces of", "Police Forces of")
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


def _rule_sub(text: str, event_type: str | None = None) -> str | None:
    """The first level-1 trigger's sub-event type (of ``event_type`` only, when given)."""
    for trig in find_triggers(text):
        if trig.level == 1 and trig.sub not in ("TERRITORY", "PROTEST", "GENERIC"):
            if event_type is None or SUB_EVENT_TO_TYPE.get(trig.sub) == event_type:
                return trig.sub
    return None


def _demonstration_sub(row: dict) -> str:
    """A 2016 Riots/Protests row's current sub-event type from its actors, as ACLED names them: rioters riot
    (Mob violence when they turn on people with no demonstration: "a mob"), protesters protest; state forces on
    either side intervene. (Force against protesters was Violence against civilians in 2016: see ``label_row``.)"""
    a1, a2 = row.get("ACTOR1") or "", row.get("ACTOR2") or ""
    state = a1.startswith(_STATE) or a2.startswith(_STATE)
    if a1.startswith("Rioters") or a2.startswith("Rioters") and not a1.startswith("Protesters"):
        return "Mob violence" if re.search(r"\bmob\b|\blynch", row.get("NOTES", ""), re.I) else "Violent demonstration"
    return "Protest with intervention" if state else "Peaceful protest"


def _int(value: object) -> int | None:
    try:
        return int(float(str(value)))
    except ValueError:
        return None


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def label_row(fmt: str, row: dict) -> tuple[str, str] | None:
    """One gold row of a dev file as a labelled training text, or None when its label gives no sub-event type."""
    if fmt == "acled":
        note = row.get("NOTES", "")
        old = row.get("EVENT_TYPE", "")
        refined = _rule_sub(note, ACLED_OLD_REFINED[old]) if old in ACLED_OLD_REFINED else None
        sub = _demonstration_sub(row) if old == "Riots/Protests" else refined or ACLED_OLD.get(old)
        if old == "Violence against civilians" and str(row.get("ACTOR2") or "").startswith("Protesters"):
            sub = "Excessive force against protesters"  # ACLED's current taxonomy moved it to Protests
        return (note, sub) if note and sub else None
    if fmt == "airwars":
        sub = AIRWARS_STRIKE.get(row.get("strike_type") or "")
        return (f"{row.get('page_title') or ''} {row['text'][:1500]}", sub) if sub else None
    sub = FAKES_CAUSE.get(row.get("cause_of_death", ""))
    title = row.get("article_title", "")
    if sub == FAKES_CAUSE["shelling"] and _rule_sub(title) == "Air/drone strike":
        sub = "Air/drone strike"
    return (f"{title} {row.get('article_content', '')[:1000]}", sub) if sub else None


NO_EVENT = "No event"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def no_event_sentences(fmt: str, row: dict) -> list[tuple[str, str]]:
    """Sentences of a news article (FA-KES, Airwars) that hold neither a trigger word nor a count ("Syria's economy has
    contracted since 2011", "the envoy has been working on a plan"): the model's examples of text that reports no
    event. ACLED notes give none: each reports an event."""
    from .figures import might_hold_figure
    from .triggers import might_hold_event

    text = row.get("article_content") if fmt == "fakes" else row.get("text") if fmt == "airwars" else None
    return [(s, NO_EVENT) for s in _SENTENCE_END.split(text or "") if len(s) >= 40 and not might_hold_event(s) and not might_hold_figure(s)]


def row_examples(fmt: str, row: dict) -> list[tuple[str, str]]:
    """Every training text a gold row gives: its label (``label_row``) and its sentences that report no event."""
    ex = label_row(fmt, row)
    return ([ex] if ex else []) + no_event_sentences(fmt, row)


def dev_examples(shared: Path) -> dict[str, list[tuple[str, str]]]:
    """Labelled texts from each dev file, keyed by dataset name (acled, airwars, fakes, and check: the check file's
    ACLED notes, which train the shipped model too; its scores are then read with whole countries held out,
    ``rasd eval CHECK --cross-validate 5 --group country``)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for name in ("acled", "airwars", "fakes"):
        out[name] = [ex for path in sorted((shared / "data").glob(f"{name}_*.jsonl")) for row in _read(path) for ex in row_examples(name, row)]
    out["check"] = [ex for path in sorted((shared / "data" / "check").glob("acled_*.jsonl")) for row in _read(path) for ex in row_examples("acled", row)]
    return out


# chosen by ``country_report`` (whole countries held out), never by the dev scores
WORD_MAX_FEATURES = 6000
CHAR_MAX_FEATURES = 20000
C = 5.0


def fit(texts: list[str], labels: list[str], word_max_features: int | None = None, char_max_features: int | None = None,
        c: float | None = None) -> tuple[object, object]:
    """The two TF-IDF blocks (``event_model.vectorizer``; terms in two texts or more, each block capped to its most
    frequent terms) and a class-balanced multinomial logistic regression over them."""
    from sklearn.linear_model import LogisticRegression

    vec = event_model.vectorizer(min_df=2, word_max_features=word_max_features or WORD_MAX_FEATURES,
                                 char_max_features=char_max_features or CHAR_MAX_FEATURES)
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=c or C, max_iter=3000, class_weight="balanced", random_state=0)
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


def country_report(examples: list[tuple[str, str]], dev: dict[str, list[tuple[str, str]]], shared: Path, folds: int = 5) -> dict[str, float]:
    """The model's accuracy on ACLED's notes (both files) with whole countries held out (each note typed by a model
    trained on the other countries' notes, the other dev files and the written examples), next to the trigger words'
    own reading of the same notes (the first level-1 trigger; no trigger is wrong): sub-event type and event type; and
    where the model's pick for an open type stops beating the rules (``_open_type_report``)."""
    from sklearn.model_selection import GroupKFold

    rows = [(ex, str(r.get("COUNTRY"))) for path in sorted((shared / "data").glob("acled_*.jsonl")) + sorted((shared / "data" / "check").glob("acled_*.jsonl"))
            for r in _read(path) if (ex := label_row("acled", r))]
    others = examples + [p for name, r in dev.items() if name in ("airwars", "fakes") for p in r]
    gold = [y for (_, y), _c in rows]
    pred: list[str] = [""] * len(rows)
    event_pick: list[tuple[str, float]] = [("", 0.0)] * len(rows)  # the likeliest class but "No event", its probability
    for train, test in GroupKFold(folds).split(rows, groups=[c for _, c in rows]):
        pairs = others + [rows[i][0] for i in train]
        vec, clf = fit([t for t, _ in pairs], [y for _, y in pairs])
        classes = [str(c) for c in clf.classes_]  # type: ignore[attr-defined]
        for i, probs in zip(test, clf.predict_proba(vec.transform([rows[i][0][0] for i in test]))):  # type: ignore[attr-defined]
            order = np.argsort(-probs, kind="stable")
            pred[i] = classes[order[0]]
            best = next(j for j in order if classes[j] != NO_EVENT)
            event_pick[i] = (classes[best], float(probs[best]))
    rules = [_rule_sub(t) or "" for (t, _), _c in rows]
    kind = SUB_EVENT_TO_TYPE.get
    out = {
        "countries_held_out_model_sub": float(np.mean([p == y for p, y in zip(pred, gold)])),
        "countries_held_out_model_type": float(np.mean([kind(p) == kind(y) for p, y in zip(pred, gold)])),
        "rules_sub": float(np.mean([r == y for r, y in zip(rules, gold)])),
        "rules_type": float(np.mean([r != "" and kind(r) == kind(y) for r, y in zip(rules, gold)])),
    }
    return out | _open_type_report([t for (t, _), _c in rows], gold, event_pick)


def _open_type_report(texts: list[str], gold: list[str], picks: list[tuple[str, float]]) -> dict[str, float]:
    """On notes whose triggers all leave the type open (``events.generic_sub``'s sentences), the event-type accuracy of
    the model's pick and of the rules' default, below and at or above ``events.GENERIC_MODEL_MIN_PROB``."""
    from .events import _BOTH_SIDES, GENERIC_MODEL_MIN_PROB
    from .roles import _CIVILIAN, _COMBATANT

    kind = SUB_EVENT_TO_TYPE.get
    out: dict[str, float] = {}
    for side in ("below", "above"):
        model_ok, rules_ok = [], []
        for text, y, (sub, prob) in zip(texts, gold, picks):
            found = find_triggers(text)
            if not found or any(t.level == 1 for t in found) or (prob < GENERIC_MODEL_MIN_PROB) != (side == "below"):
                continue
            rule = "Armed clash" if _BOTH_SIDES.search(text) or (_COMBATANT.search(text) and not _CIVILIAN.search(text)) else "Attack"
            model_ok.append(kind(sub) == kind(y))
            rules_ok.append(kind(rule) == kind(y))
        out[f"open_{side}_floor_notes"] = float(len(model_ok))
        out[f"open_{side}_floor_model_type"] = float(np.mean(model_ok)) if model_ok else float("nan")
        out[f"open_{side}_floor_rules_type"] = float(np.mean(rules_ok)) if rules_ok else float("nan")
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
        for key, value in {**report(EXAMPLES, dev), **country_report(EXAMPLES, dev, args.shared)}.items():
            LOGGER.info("%s: %.3f", key, value)
    pairs = EXAMPLES + [p for name, rows in dev.items() if name not in args.holdout for p in rows]
    vec, clf = fit([t for t, _ in pairs], [y for _, y in pairs])
    event_model.save(args.out, vec, clf)
    LOGGER.info("wrote %s (%d bytes, %d classes)", args.out.name, args.out.stat().st_size, len(clf.classes_))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
