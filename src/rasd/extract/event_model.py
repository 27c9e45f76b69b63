"""The trained event-type classifier: TF-IDF over words and bigrams, then logistic regression.

The artefact ``rasd/data/events/model.npz`` holds the vocabulary, the idf weights and
the coefficients as plain arrays (no pickle), written by
``python -m rasd.extract.train_events``. It is rebuilt here into scikit-learn's own
``TfidfVectorizer`` and ``LogisticRegression``; the events stage asks it only for
sentences whose triggers leave the sub-event type open ("attacked", "killed").
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

LOGGER = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "events" / "model.npz"
FALLBACK = "Attack"  # when no model is installed: ACLED's default for one-sided violence


def enabled() -> bool:
    """Whether the events stage asks the model (``RASD_EVENTS_MODEL=0`` turns it off).

    Scored through the whole pipeline, the model decides the sentences whose triggers leave the type open.
    With each dev file's rows held out five-fold (``rasd eval GOLD --cross-validate 5``) it scores ACLED event
    type .779, Airwars strike type .776, FA-KES cause .773, above the rules' own default (model off: .740,
    .734, .765). With a whole dev file held out of training it still helps Airwars (.741) and FA-KES (.781)
    but not ACLED (.676): it transfers within a source's style, less across sources."""
    return os.environ.get("RASD_EVENTS_MODEL", "1") != "0" and MODEL_PATH.exists()


@contextlib.contextmanager
def use(path: Path) -> Iterator[None]:
    """Run the events stage with the model at ``path`` (cross-validation folds); the shipped one after."""
    global MODEL_PATH
    previous, MODEL_PATH = MODEL_PATH, Path(path)
    _clear()
    try:
        yield
    finally:
        MODEL_PATH = previous
        _clear()


def _clear() -> None:
    load.cache_clear()
    _arrays.cache_clear()
    probabilities.cache_clear()


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


@functools.lru_cache(maxsize=1)
def _arrays() -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray, list[str]] | None:
    """(vocabulary, idf, coef, intercept, classes) as plain arrays: inference without importing scikit-learn."""
    if not MODEL_PATH.exists():
        LOGGER.warning("event-type model %s missing; build it with: python -m rasd.extract.train_events", MODEL_PATH.name)
        return None
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        vocab = {str(v): i for i, v in enumerate(data["vocabulary"])}
        return vocab, data["idf"].astype(np.float64), data["coef"].astype(np.float64), data["intercept"].astype(np.float64), [str(c) for c in data["classes"]]


_TOKEN = re.compile(vectorizer_params()["token_pattern"])


def features(text: str, vocab: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The TF-IDF row of ``text`` as (column indexes, values): words and bigrams, sublinear tf, l2-normalised
    (what scikit-learn's ``TfidfVectorizer`` with ``vectorizer_params`` computes)."""
    words = _TOKEN.findall(text.lower())
    counts: dict[int, int] = {}
    for gram in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
        col = vocab.get(gram)
        if col is not None:
            counts[col] = counts.get(col, 0) + 1
    cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
    vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[cols]
    norm = float(np.sqrt((vals * vals).sum()))
    return cols, (vals / norm if norm else vals)


NO_EVENT = "No event"  # the class of sentences that report no event (``train_events.no_event_sentences``)


@functools.lru_cache(maxsize=256)
def probabilities(text: str) -> tuple[tuple[str, float], ...]:
    """Every class with its probability for a text, most likely first (multinomial logistic regression)."""
    arrays = _arrays()
    if arrays is None:
        return ()
    vocab, idf, coef, intercept, classes = arrays
    cols, vals = features(text, vocab, idf)
    scores = coef[:, cols] @ vals + intercept
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    return tuple((classes[i], float(probs[i])) for i in np.argsort(-probs, kind="stable"))


def predict(text: str) -> tuple[str, float]:
    """The most likely sub-event type of a text and its probability (the "No event" class left aside)."""
    return next(((c, p) for c, p in probabilities(text) if c != NO_EVENT), (FALLBACK, 0.0))


def type_probabilities(text: str) -> dict[str, float]:
    """The probability of each event type for a text: its sub-event types' probabilities summed, the "No event"
    class left aside and the rest renormalised (empty when no model is installed)."""
    from ..model import SUB_EVENT_TO_TYPE

    probs = [(c, p) for c, p in probabilities(text) if c in SUB_EVENT_TO_TYPE]
    total = sum(p for _, p in probs) or 1.0
    out: dict[str, float] = {}
    for c, p in probs:
        out[SUB_EVENT_TO_TYPE[c]] = out.get(SUB_EVENT_TO_TYPE[c], 0.0) + p / total
    return out


def event_probability(text: str) -> float:
    """The probability that a text reports an event: one minus that of the "No event" class (1.0 for a model
    trained without that class, 0.0 when no model is installed)."""
    probs = probabilities(text)
    return 1.0 - dict(probs).get(NO_EVENT, 0.0) if probs else 0.0
