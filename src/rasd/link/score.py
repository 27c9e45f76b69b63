"""How well linking groups documents: pairwise precision/recall and B-cubed F1 against an incident key.

A gold file with an incident key (Airwars' ``incident_code``: rows with the same
code report the same incident) is read as JSONL input the way a monitor's inbox
arrives: ``id`` = ``source_id``, ``text``, ``title`` = ``page_title``, and no
publication date. rasd extracts the texts, links them in file order, and each
document is put in the incident that holds its main event (else the first
incident holding any of its events, else a group of its own). Then:

- pairwise: of the document pairs rasd puts in one incident, the share that the
  gold puts in one (precision), and of the gold's pairs, the share rasd found
  (recall);
- B-cubed (Bagga and Baldwin 1998): per document, the precision and recall of
  its predicted group against its gold group, averaged; F1 of the averages.

``rasd eval GOLD --links`` prints these; ``fit_weights`` fits the undated
path's weights on one set of documents (``python -m rasd.link.fit``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Extraction
from .linker import LinkDocument, Linker

KEYS = ("incident_code",)


@dataclass
class LinkScore:
    documents: int
    gold_pairs: int
    predicted_pairs: int
    correct_pairs: int
    bcubed_precision: float
    bcubed_recall: float
    placed: int  # documents whose main event is linkable
    placed_in_incident: int  # ... of which are in an incident

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 0.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.gold_pairs if self.gold_pairs else 0.0

    @property
    def bcubed_f1(self) -> float:
        p, r = self.bcubed_precision, self.bcubed_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def scores(self) -> dict[str, float]:
        return {"pair_precision": round(self.precision, 3), "pair_recall": round(self.recall, 3),
                "bcubed_f1": round(self.bcubed_f1, 3)}

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "gold_pairs": self.gold_pairs, "predicted_pairs": self.predicted_pairs,
                "correct_pairs": self.correct_pairs, "bcubed_precision": round(self.bcubed_precision, 3),
                "bcubed_recall": round(self.bcubed_recall, 3), "main_event_placed": self.placed,
                "main_event_placed_in_incident": self.placed_in_incident, **self.scores()}

    def table(self) -> str:
        d = self.to_dict()
        return "\n".join(f"{k:<32}{v}" for k, v in d.items())


def incident_key(row: Mapping[str, Any]) -> str | None:
    for key in KEYS:
        if row.get(key):
            return str(row[key])
    return None


def _pairs(groups: Mapping[str, str]) -> set[tuple[str, str]]:
    by: dict[str, list[str]] = defaultdict(list)
    for doc, group in groups.items():
        by[group].append(doc)
    return {(a, b) if a < b else (b, a) for members in by.values() for i, a in enumerate(members) for b in members[i + 1:]}


def score_groups(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[int, int, int, float, float]:
    """Pairwise (gold, predicted, correct) pair counts and B-cubed precision and recall over ``gold``'s documents."""
    docs = list(gold)
    pred = {d: predicted.get(d, "self:" + d) for d in docs}
    gp, pp = _pairs(gold), _pairs(pred)
    members_g: dict[str, set[str]] = defaultdict(set)
    members_p: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        members_g[gold[d]].add(d)
        members_p[pred[d]].add(d)
    bp = br = 0.0
    for d in docs:
        both = len(members_g[gold[d]] & members_p[pred[d]])
        bp += both / len(members_p[pred[d]])
        br += both / len(members_g[gold[d]])
    n = len(docs) or 1
    return len(gp), len(pp), len(gp & pp), bp / n, br / n


def document_groups(linker: Linker, documents: Sequence[LinkDocument]) -> dict[str, str]:
    """Each document's incident: the one holding its main event, else the first holding any of its events."""
    holding: dict[tuple[str, int], int] = {}
    for state in linker.index.incidents.values():  # type: ignore[attr-defined]
        for r in state.reports:
            holding[(r.document, r.index)] = state.number
    out: dict[str, str] = {}
    for doc in documents:
        events = doc.extraction.events
        order = sorted(range(len(events)), key=lambda i: (not events[i].main, i))
        for i in order:
            if (doc.id, i) in holding:
                out[doc.id] = f"I{holding[(doc.id, i)]}"
                break
    return out


def link_and_score(documents: Sequence[LinkDocument], gold: Mapping[str, str], **options: Any) -> LinkScore:
    from .rules import linkable_place

    linker = Linker(**options)
    linker.add_all(documents)
    groups = document_groups(linker, documents)
    n_gold, n_pred, n_ok, bp, br = score_groups(groups, gold)
    # a main event with a place at admin1 or finer, unless every figure it holds is an aggregate (the
    # linker keeps statistics out of incidents by design)
    placed = [d for d in documents if (m := _main(d.extraction)) is not None and linkable_place(m.place)
              and not _statistics(m, d.extraction)]
    return LinkScore(len(gold), n_gold, n_pred, n_ok, bp, br, len(placed), sum(1 for d in placed if d.id in groups))


def _main(ex: Extraction) -> Any:
    return next((e for e in ex.events if e.main), None)


def _statistics(event: Any, extraction: Extraction) -> bool:
    figures = [extraction.figures[i] for i in event.figures if 0 <= i < len(extraction.figures)]
    return bool(figures) and all(f.aggregate for f in figures)


def read_keyed(path: Path) -> list[dict[str, Any]]:
    from ..evaluate import read_gold

    rows = read_gold(path)
    if not any(incident_key(r) for r in rows):
        from ..errors import EvalError

        raise EvalError(f"{path}: no incident key ({', '.join(KEYS)}) in its rows: a linking score needs one")
    return rows


def documents_of(rows: Iterable[Mapping[str, Any]], extractions: Iterable[Extraction]) -> list[LinkDocument]:
    return [LinkDocument(id=ex.id, extraction=ex, text=str(row.get("text") or "")) for row, ex in zip(rows, extractions)]


def extract_rows(rows: Sequence[Mapping[str, Any]]) -> list[Extraction]:
    """Extract the rows as a monitor's inbox gives them: id, text, title; no publication date."""
    from ..extract.pipeline import Input, extract_inputs

    inputs = [Input(text=str(r.get("text") or ""), title=r.get("page_title") or r.get("title"),
                    id=str(r.get("source_id") or r.get("id") or i)) for i, r in enumerate(rows)]
    return [ex for _, ex in extract_inputs(inputs)]


def gold_of(rows: Sequence[Mapping[str, Any]], extractions: Sequence[Extraction]) -> dict[str, str]:
    return {ex.id: incident_key(row) or ("self:" + ex.id) for row, ex in zip(rows, extractions)}


def evaluate_links(path: Path, limit: int | None = None) -> LinkScore:
    """``rasd eval GOLD --links``: extract, link in file order, score against the incident key."""
    rows = read_keyed(path)[:limit] if limit else read_keyed(path)
    extractions = extract_rows(rows)
    return link_and_score(documents_of(rows, extractions), gold_of(rows, extractions))


def to_json(score: LinkScore) -> str:
    return json.dumps(score.to_dict(), indent=2)
