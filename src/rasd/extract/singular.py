"""A singular person with no number counts one: "a child was killed", "killing the driver", "killing him".

``markers(sent)`` gives, for every such person in a parsed sentence, a ``NumberPhrase`` of value 1 over the word
that makes it one (its article, its possessive, the pronoun, or the noun itself); ``figures`` then asks the
grammar whether that person was killed or injured, as for any number.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from . import numbers
from .context import Sentence

if TYPE_CHECKING:
    from spacy.tokens import Token


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


@functools.lru_cache(maxsize=1)
def _persons() -> frozenset[str]:
    from .figures import triggers

    return frozenset(triggers()["persons"])


_KIN = frozenset({"son", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "child", "baby", "nephew", "niece", "cousin"})


def markers(sent: Sentence) -> list[numbers.NumberPhrase]:
    """"a child was killed", "killing the driver", "shot dead his guard", "killing him", "Soldier assassinated":
    a singular person with no number counts one.

    The word that makes a person noun of the tables (``persons``) singular: its article (``det``: a, an, the,
    another), a
    possessive (his, her), or nothing at all (a bare singular noun, headline style; a title before a name, "Army
    major Didier Muhimpundu"); and a singular personal pronoun (him, her). ``figures`` then asks the
    grammar for a kind and keeps killed/injured/affected alone (``article_kinds``): the person is a victim.
    """
    assert sent.doc is not None
    out = []
    for tok in sent.doc:
        marker = _singular_marker(tok)
        if marker is not None:
            end = marker.idx + len(marker.text)
            out.append(numbers.NumberPhrase(marker.idx, end, marker.idx, end, 1, 1, 1, "exact"))
    return out


_DETERMINERS = frozenset({"a", "an", "the", "another"})  # "another man died": one more person
_POSSESSIVES = frozenset({"his", "her", "its", "their"})
_REMAINS = frozenset({"body", "corpse"})  # "a body was found" is a new dead; "the body", "his body" one already told
_PRONOUNS = frozenset({"him", "her", "himself", "herself"})


def person(tok: Token) -> bool:
    """A singular person noun of the tables with no number of its own."""
    persons = _persons()
    if tok.tag_ != "NN" or (_lemma(tok) not in persons and tok.lower_ not in persons):
        return False
    return not any(c.like_num or c.dep_ == "nummod" for c in tok.children)


def _singular_marker(tok: Token) -> Token | None:
    """The token that marks ``tok`` as one person (see ``markers``), or None."""
    low, head = tok.lower_, tok.head
    if _lemma(head) in _REMAINS and low in ("the", *_POSSESSIVES):
        return None
    if low == "another" and head.dep_ == "conj" and _lemma(head.head) == _lemma(head) and any(
        c.dep_ == "nummod" for c in head.head.children
    ):
        return None  # a member of the count it is joined to: "two civilians, Jamal ... and another civilian"
    if low in _DETERMINERS and tok.dep_ == "det" and head.i != tok.i:
        if low != "the" and not any(c.like_num or c.dep_ == "nummod" for c in head.children):
            persons = _persons()
            return tok if _lemma(head) in persons or head.lower_ in persons else None  # "a women", as written
        return tok if person(head) else None
    if low in _POSSESSIVES and tok.dep_ == "poss":
        return tok if person(head) and (low != "their" or (head.dep_ == "conj" and _lemma(head) in _KIN)) else None
    if low in _PRONOUNS and tok.tag_ == "PRP" and tok.dep_ in ("dobj", "obj", "conj", "nsubjpass"):
        return tok
    if low == "another" and tok.dep_ in ("dobj", "obj", "nsubjpass") and not list(tok.children):
        return tok  # standing for a person the sentence has counted: "killing one person and wounding another"
    if person(tok) and not any(c.dep_ in ("det", "poss") for c in tok.children):
        if tok.dep_ == "compound" and head.tag_ == "NNP" and head.i > tok.i:
            return tok  # a title before a name: "Army major Didier Muhimpundu was shot dead"
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "ROOT"):
            return tok  # headline style: "Soldier assassinated in his house"
    return None
