"""The trained event-type classifier: TF-IDF over words and bigrams, then logistic regression.

The artefact ``rasd/data/events/model.npz`` holds the vocabulary, the idf weights and
the coefficients as plain arrays (no pickle), written by
``python -m rasd.extract.train_events``. It is rebuilt here into scikit-learn's own
``TfidfVectorizer`` and ``LogisticRegression``; the events stage asks it only for
sentences whose triggers leave the sub-event type open ("attacked", "killed").
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

import numpy as np

LOGGER = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "events" / "model.npz"
FALLBACK = "Attack"  # when no model is installed: ACLED's default for one-sided violence


def vectorizer_params() -> dict[str, Any]:
    return {"ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True, "token_pattern": r"(?u)\b[a-zA-Z][a-zA-Z-]+\b"}


@functools.lru_cache(maxsize=1)
def load() -> tuple[Any, Any] | None:
    """(vectorizer, classifier) rebuilt from the artefact, or None when it is missing."""
    if not MODEL_PATH.exists():
        LOGGER.warning("event-type model %s missing; build it with: python -m rasd.extract.train_events", MODEL_PATH.name)
        return None
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    with np.load(MODEL_PATH, allow_pickle=False) as data:
        vocab = [str(v) for v in data["vocabulary"]]
        vec = TfidfVectorizer(vocabulary={w: i for i, w in enumerate(vocab)}, **vectorizer_params())
        vec.idf_ = data["idf"].astype(np.float64)
        clf = LogisticRegression()
        clf.coef_ = data["coef"].astype(np.float64)
        clf.intercept_ = data["intercept"].astype(np.float64)
        clf.classes_ = np.array([str(c) for c in data["classes"]])
    return vec, clf


def save(path: Path, vec: Any, clf: Any) -> None:
    """Write a fitted vectorizer and classifier as plain arrays (float32: the artefact stays small)."""
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    np.savez_compressed(
        path,
        vocabulary=np.array(vocab),
        idf=vec.idf_.astype(np.float32),
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        classes=np.array(clf.classes_),
    )


def predict(text: str) -> tuple[str, float]:
    """The most likely sub-event type of a sentence and its probability."""
    loaded = load()
    if loaded is None:
        return FALLBACK, 0.0
    vec, clf = loaded
    probs = clf.predict_proba(vec.transform([text]))[0]
    best = int(np.argmax(probs))
    return str(clf.classes_[best]), float(probs[best])
