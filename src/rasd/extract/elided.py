"""Figures whose verb is elided (telegraphic headlines and lists), and counts with no number word.

The small parser tangles "Woman and two children killed, ten injured", "3 dead,
12 wounded in shelling" and the lists of monitor pages ("Nine attacks left a
civilian and 13 combatants, including seven women, dead and ten others
injured"). When the grammar gives a number no kind, ``predicate_after`` reads
the next harm word of its clause ("dead", "killed", "injured") as its
predicate: the nearest one after the counted words, with no other verb, clause
break or sentence punctuation between them. ``count_reached`` reads "the
number of attacks ... has reached 96". ``bare_nouns`` finds the singular person
nouns of a headline that count one with no word for it ("Child killed in
shelling", "Civilian killed and three others injured"); ``articles`` the
articles that count one person ("a child was killed").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import numbers
from .context import BODY, HEADLINE, Context, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_MAX_GAP = 12  # tokens between the counted words and their predicate
_STOP_TEXT = frozenset({".", ";", ":", "|", "(", ")", "—", "–", "while", "after", "when", "as", "but", "because", "which", "who"})
_PASS_VERBS = frozenset({"including", "include", "includes", "of"})
_REACH = frozenset({"reach", "rise", "climb", "hit", "stand", "exceed", "surpass", "increase", "jump"})


def predicate_after(doc: Doc, last: Token, predicates: dict[str, str]) -> tuple[str | None, Token | None]:
    """(kind, predicate token) of the first harm word after ``last`` in its clause."""
    for tok in doc[last.i + 1 : last.i + 1 + _MAX_GAP]:
        low = tok.lower_
        if low in predicates and tok.tag_ in ("VBN", "JJ", "NN") and not any(c.dep_ in ("dobj", "obj") for c in tok.children):
            return predicates[low], tok  # a participle or adjective: never "A bomber killed four people"
        if low in _STOP_TEXT or (tok.pos_ in ("VERB", "ADP") and low not in _PASS_VERBS):
            return None, None  # another verb or a preposition: "10 children among 18 dead" is not this clause
    return None, None


def count_reached(number: Token, noun_kind: dict[str, str]) -> tuple[str | None, Token | None]:
    """"the number of attacks ... has reached 96": the counted noun of the subject gives the kind."""
    verb = number.head
    if number.dep_ == "pobj" and verb.lower_ == "to":
        verb = verb.head
    if number.dep_ not in ("dobj", "pobj", "attr") or verb.lemma_.lower() not in _REACH:
        return None, None
    for subj in (c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in ("number", "total", "tally", "count")):
        for prep in (c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                kind = noun_kind.get(obj.lemma_.lower()) or noun_kind.get(obj.lower_)
                if kind:
                    return kind, obj
    return None, None


def bare_nouns(doc: Doc, persons: frozenset[str] | set[str] | list[str], predicates: dict[str, str]) -> list[numbers.NumberPhrase]:
    """Singular person nouns with no number or article that open a headline or a segment of it and have a harm
    word right after them ("Child killed", "Woman and two children killed", "| Civilian killed and ...")."""
    out = []
    for tok in doc:
        if tok.tag_ not in ("NN", "NNP") or tok.lower_ not in persons or any(c.dep_ in ("det", "nummod", "poss") for c in tok.children):
            continue
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.text not in ("|", ",", ":", "-", "–", "—"):
            continue
        kind, _ = predicate_after(doc, tok, predicates)
        if kind is None:
            continue
        end = tok.idx + len(tok.text)
        out.append(numbers.NumberPhrase(tok.idx, end, tok.idx, end, 1, 1, 1, "exact"))
    return out


_KIN = frozenset({"son", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "child", "baby", "nephew", "niece", "cousin"})


_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_MINOR = frozenset("a an and as at by for from in into of on or over the to with after amid near".split())


def title_case(text: str) -> bool:
    """A headline in title case ("35 Civilians Killed in Regime Air Raids"): the small model misreads it."""
    words = [w for w in _TITLE_WORD.findall(text[:120]) if w.lower() not in _MINOR][:8]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def folded(sent: Sentence, text: str) -> Sentence | None:
    """The sentence parsed again in lower case (same offsets), for title-case headlines."""
    low = text.lower()
    if len(low) != len(text):
        return None
    from .. import nlp

    return Sentence(sent.start, sent.end, sent.paragraph, sent.zone, nlp.parser()(low))


def headlines(ctx: Context, cue: re.Pattern[str]) -> list[Sentence]:
    """The headline sentences that may hold a figure, parsed apart from ``ctx.sentences`` (a headline is never
    evidence for places or events; only its figures are read), and a headline fused to the first body sentence
    before a wire dateline (a scrape with no line breaks), which the parse of the whole sentence tangles."""
    from .. import nlp
    from . import carry

    out = []
    for sent in ctx.sentences:
        text = ctx.text[sent.start : sent.end]
        if sent.zone == BODY and sent is _first_body(ctx):
            fused = carry.fused_headline(text)  # "Syria raids kill 20 militants monitor AFP Wednesday 9 Jul 2014 ..."
            text = text[: fused or 0]
        elif sent.zone != HEADLINE:
            continue
        if text and cue.search(text) is not None:  # with a number or not: "Child killed in shelling"
            out.append(Sentence(sent.start, sent.start + len(text), sent.paragraph, HEADLINE, nlp.parser()(text)))
    return out


def _first_body(ctx: Context) -> Sentence | None:
    return next((s for s in ctx.sentences if s.zone == BODY), None)
