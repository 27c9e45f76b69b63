"""The parts of a total: "At least 13 people, including 6 children and 4 women, were killed".

A count that "including", "among them" or "of whom" introduces is a part of the
count right before it, and counts the same harm: the six children were killed
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

from ..model import Figure
from . import numbers

_PART_CUE = re.compile(r"\b(?:including|among them|among whom|of whom|of them)\s*$", re.I)
_NEXT_PART = re.compile(r"^\s*[\w'’-]*\s*(?:,\s*and|,|and)\s+$")  # "6 children and 4 women", "6 children, 4 women"
_BREAK = re.compile(r"[;:|()\[\]]|\b(?:while|but|and|after|when)\b", re.I)
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
    if _PART_CUE.search(between):
        return fig.kind if not _BREAK.search(_PART_CUE.sub("", between)) else None
    if is_part and _NEXT_PART.match(between) and not _OTHERS.match(text[ph.end :]):
        return fig.kind
    return None
