"""Numbers, words for numbers and qualifiers -> Figure kind, who and bounds.

STUB: to be written (issue 3). Contract:
``might_hold_figure(sentence_text) -> bool`` (cheap pre-filter: which sentences get parsed),
``find_figures(ctx) -> list[Figure]`` (kind, who, low/best/high, qualifier, evidence,
sentence, number; period/place/source are bound by ``binding``).
"""

from __future__ import annotations

import re

from ..model import Figure
from .context import Context

_DIGIT = re.compile(r"\d")


def might_hold_figure(text: str) -> bool:
    return bool(_DIGIT.search(text))


def find_figures(ctx: Context) -> list[Figure]:
    return []
