"""The parts of a total: "At least 13 people, including 6 children and 4 women, were killed".

A count that "including", "among them" or "of whom" introduces, or that "of them"
follows ("three of them women"), is a part of the count right before it, and counts the same harm: the six children were killed
because the thirteen were. The small parser often hangs such a phrase on the
wrong word ("left six people dead, including three women, and 19 others
injured" puts "including" under "left", and the women among the injured), so
the part takes the kind of the figure before it in the sentence, whatever the
parse says, when nothing but the phrase stands between them. The parts that
follow with "and" ("including 6 children and 4 women") are parts as well, but
not "others" ("including three women, and 19 others injured").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import Figure
from . import numbers

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_PART_CUE = re.compile(r"\b(?:including|among them|among whom|of whom|of them)\s*$", re.I)
_NEXT_PART = re.compile(r"^\s*[\w'’-]*\s*(?:,\s*and|,|and)\s+$")  # "6 children and 4 women", "6 children, 4 women"
_BREAK = re.compile(r"[;:|()\[\]]|\b(?:while|but|and|after|when)\b", re.I)
_PART_AFTER = re.compile(r"\s*(?:of\s+(?:them|whom|those))\b", re.I)  # "three of them women"
_OTHERS = re.compile(r"^\s*(?:others?|more)\b", re.I)  # "and 19 others injured": a new group, not a part
_NAMED = re.compile(r"^[\w\s'’-]{0,40}?\b(?:named|called)\b", re.I)  # "a 2-year-old child named X": one person, not a count
_PERSON_KINDS = frozenset({"killed", "injured", "displaced", "detained", "missing", "affected"})


def whole_kind(text: str, ph: numbers.NumberPhrase, before: Sequence[tuple[Figure, bool]], offset: int) -> str | None:
    """The kind a part takes from its total: ``before`` holds the sentence's figures so far (figure, is a part);
    ``offset`` turns their document offsets into offsets of ``text``. None when ``ph`` is no part of a count."""
    if _NAMED.match(text[ph.end :]):
        return None
    prior = [(f, part) for f, part in before if f.number is not None and f.number.end - offset <= ph.start]
    if not prior:
        return None
    fig, is_part = prior[-1]
    assert fig.number is not None
    between = text[fig.number.end - offset : ph.start]
    if fig.kind not in _PERSON_KINDS:
        return None
    if _PART_AFTER.match(text[ph.end :]) and not _BREAK.search(between):
        return fig.kind  # "seven people were wounded in the raid, three of them women"
    if _PART_CUE.search(between):
        return fig.kind if not _BREAK.search(_PART_CUE.sub("", between)) else None
    if is_part and _NEXT_PART.match(between) and not _OTHERS.match(text[ph.end :]):
        return fig.kind
    return None


def of_them(doc: Doc, first: Token, last: Token) -> Token | None:
    """For a number followed by "of them" / "of whom" ("three of them women"), the word after (``last`` when
    none follows): the part counts the people of the total, whatever the parser hung the number on. None when no
    "of them" follows, or when the number ends a ratio ("four in five of them"), which counts nobody."""
    before = doc[max(first.i - 2, 0) : first.i]
    if len(before) == 2 and before[0].like_num and before[1].lower_ in ("in", "of", "out"):
        return None
    nxt = doc[last.i + 1 : last.i + 4]
    if len(nxt) < 2 or nxt[0].lower_ != "of" or nxt[1].lower_ not in ("them", "whom", "those"):
        return None
    return nxt[2] if len(nxt) > 2 else last
