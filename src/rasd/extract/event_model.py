"""The trained event-type classifier: TF-IDF over words and bigrams and over character 3-5-grams, then logistic
regression.

Two TF-IDF blocks, each l2-normalised, side by side: words and bigrams ("opened fire", "clashed with"), and
character n-grams within words, which carry what a word list misses across reporting styles: inflections
("shelled", "shelling"), misspellings and transliterated names ("al-Shabaab", "Shabab"). The artefact
``rasd/data/events/model.npz`` holds both vocabularies, their idf weights and the coefficients as plain arrays (no
pickle), written by ``python -m rasd.extract.train_events``. ``load`` rebuilds scikit-learn's own objects from it;
inference (``probabilities``) is plain numpy computing what they compute. The events stage asks it only for
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
from typing import Any, NamedTuple

import numpy as np

LOGGER = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "events" / "model.npz"
FALLBACK = "Attack"  # when no model is installed: ACLED's default for one-sided violence


def enabled() -> bool:
    """Whether the events stage asks the model (``RASD_EVENTS_MODEL=0`` turns it off).

    Scored through the whole pipeline, the model decides the sentences whose triggers leave the type open.
    With each dev file's rows held out five-fold (``rasd eval GOLD --cross-validate 5``) the model with
    character n-grams scores ACLED event type .852, Airwars strike type .783, FA-KES cause .777, above the
    rules' own default (model off: .740, .734, .765); on the check file with whole countries held out, event
    type .779 (words and bigrams alone: .765). Measured with the earlier words-only model, a whole dev file
    held out of training still helped Airwars (.741) and FA-KES (.781) but not ACLED (.676): it transfers
    within a source's style, less across sources."""
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
    """The word block: words of two letters or more, and bigrams."""
    return {"ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True, "token_pattern": r"(?u)\b[a-zA-Z][a-zA-Z-]+\b"}


def char_params() -> dict[str, Any]:
    """The character block: 3- to 5-grams inside each whitespace-separated word, padded with a space at its edges."""
    return {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True, "lowercase": True}


def vectorizer(word_vocab: dict[str, int] | None = None, char_vocab: dict[str, int] | None = None, **caps: Any) -> Any:
    """scikit-learn's union of the two blocks (word columns first); fixed vocabularies when given, else ``caps``
    (``min_df``, ``word_max_features``, ``char_max_features``) for fitting."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    min_df = caps.get("min_df", 1)
    words = TfidfVectorizer(vocabulary=word_vocab, min_df=min_df, max_features=caps.get("word_max_features"), **vectorizer_params())
    chars = TfidfVectorizer(vocabulary=char_vocab, min_df=min_df, max_features=caps.get("char_max_features"), **char_params())
    return FeatureUnion([("words", words), ("chars", chars)])


def _blocks(vec: Any) -> list[Any]:
    """The fitted TF-IDF vectorizers of a union (or the one vectorizer of a single-block model)."""
    return [t for _, t in vec.transformer_list] if hasattr(vec, "transformer_list") else [vec]


@functools.lru_cache(maxsize=1)
def load() -> tuple[Any, Any] | None:
    """(vectorizer, classifier) rebuilt from the artefact, or None when it is missing."""
    if not MODEL_PATH.exists():
        LOGGER.warning("event-type model %s missing; build it with: python -m rasd.extract.train_events", MODEL_PATH.name)
        return None
    from sklearn.linear_model import LogisticRegression

    with np.load(MODEL_PATH, allow_pickle=False) as data:
        vocabs = [{str(w): i for i, w in enumerate(data[key])} for key in ("vocabulary", "char_vocabulary")]
        vec = vectorizer(*vocabs)
        for block, key in zip(_blocks(vec), ("idf", "char_idf")):
            block.idf_ = data[key].astype(np.float64)
        clf = LogisticRegression()
        clf.coef_ = data["coef"].astype(np.float64)
        clf.intercept_ = data["intercept"].astype(np.float64)
        clf.classes_ = np.array([str(c) for c in data["classes"]])
    return vec, clf


def save(path: Path, vec: Any, clf: Any) -> None:
    """Write a fitted union of the two blocks (``vectorizer``) and classifier as plain arrays (float32: the artefact
    stays small)."""
    words, chars = _blocks(vec)
    np.savez_compressed(
        path,
        vocabulary=np.array(sorted(words.vocabulary_, key=words.vocabulary_.get)),
        idf=words.idf_.astype(np.float32),
        char_vocabulary=np.array(sorted(chars.vocabulary_, key=chars.vocabulary_.get)),
        char_idf=chars.idf_.astype(np.float32),
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        classes=np.array(clf.classes_),
    )


class Arrays(NamedTuple):
    """The artefact as plain arrays: inference without importing scikit-learn."""

    vocab: dict[str, int]
    idf: np.ndarray
    char_vocab: dict[str, int]
    char_idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: list[str]


@functools.lru_cache(maxsize=1)
def _arrays() -> Arrays | None:
    if not MODEL_PATH.exists():
        LOGGER.warning("event-type model %s missing; build it with: python -m rasd.extract.train_events", MODEL_PATH.name)
        return None
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        return Arrays(
            {str(v): i for i, v in enumerate(data["vocabulary"])}, data["idf"].astype(np.float64),
            {str(v): i for i, v in enumerate(data["char_vocabulary"])}, data["char_idf"].astype(np.float64),
            data["coef"].astype(np.float64), data["intercept"].astype(np.float64), [str(c) for c in data["classes"]],
        )


_TOKEN = re.compile(vectorizer_params()["token_pattern"])


def word_grams(text: str) -> list[str]:
    """The word block's terms of a text: its words (``vectorizer_params``' token pattern, lowercased) and bigrams."""
    words = _TOKEN.findall(text.lower())
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def char_grams(text: str) -> list[str]:
    """The character block's terms of a text, as scikit-learn's ``char_wb`` analyzer gives them: each lowercased
    whitespace-separated word padded with a space on both sides, then its 3-, 4- and 5-grams (a padded word no longer
    than n gives itself once, and no longer grams)."""
    low, high = char_params()["ngram_range"]
    out: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in range(low, high + 1):
            out.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:
                break
    return out


def _tfidf(grams: list[str], vocab: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One block's row as (column indexes, values): sublinear tf (1 + log count) times idf, l2-normalised."""
    counts: dict[int, int] = {}
    for gram in grams:
        col = vocab.get(gram)
        if col is not None:
            counts[col] = counts.get(col, 0) + 1
    cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
    vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[cols]
    norm = float(np.sqrt((vals * vals).sum()))
    return cols, (vals / norm if norm else vals)


def features(text: str, arrays: Arrays) -> tuple[np.ndarray, np.ndarray]:
    """The TF-IDF row of ``text`` as (column indexes, values): the word block, then the character block with its
    columns after the word block's (what scikit-learn's union of the two ``vectorizer`` blocks computes)."""
    wcols, wvals = _tfidf(word_grams(text), arrays.vocab, arrays.idf)
    ccols, cvals = _tfidf(char_grams(text), arrays.char_vocab, arrays.char_idf)
    return np.concatenate([wcols, ccols + len(arrays.vocab)]), np.concatenate([wvals, cvals])


NO_EVENT = "No event"  # the class of sentences that report no event (``train_events.no_event_sentences``)


@functools.lru_cache(maxsize=256)
def probabilities(text: str) -> tuple[tuple[str, float], ...]:
    """Every class with its probability for a text, most likely first (multinomial logistic regression)."""
    arrays = _arrays()
    if arrays is None:
        return ()
    cols, vals = features(text, arrays)
    scores = arrays.coef[:, cols] @ vals + arrays.intercept
    probs = np.exp(scores - scores.max())
    probs /= probs.sum()
    return tuple((arrays.classes[i], float(probs[i])) for i in np.argsort(-probs, kind="stable"))


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
