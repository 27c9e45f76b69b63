"""The words that give a figure its kind, as data, and the cheap test a sentence passes before it is parsed.

The trigger tables (``rasd/data/figures/triggers.json``) list the verbs, nouns,
predicates and toll words that say killed, injured, displaced, attacks,
detained, missing or affected; ``figure_cue`` matches any of them inflected, and
``might_hold_figure`` asks for one of them and a number in the same text.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from . import numbers


@functools.lru_cache(maxsize=1)
def triggers() -> dict[str, Any]:
    """The trigger tables (``rasd/data/figures/triggers.json``), loaded once."""
    path = resources.files("rasd") / "data" / "figures" / "triggers.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


# forms of trigger lemmas that their stem does not cover (``figure_cue``)
_IRREGULAR = {"die": "die|died|dies|dying", "flee": "flee|fled|flees|fleeing", "drive": "driv\\w*|drove",
              "lose": "los\\w*|lost", "round": "round(?:ed|ing|s)?\\s+up", "hurt": "hurt\\w*"}


@functools.lru_cache(maxsize=1)
def figure_cue() -> re.Pattern[str]:
    """Any word of the trigger tables, inflected: a figure needs one in its sentence."""
    t = triggers()
    lemmas = {*t["verbs"], *t["nouns"], *t["predicates"], *(k for k in t["tolls"] if k), *t["toll_nouns"]}
    parts = set()
    for lemma in lemmas:
        if lemma in _IRREGULAR:
            parts.add(_IRREGULAR[lemma])
            continue
        stem = lemma[:-1] if lemma.endswith(("e", "y")) and len(lemma) > 4 else lemma
        parts.add(re.escape(stem).replace("\\ ", r"\s+") + r"\w*")
    return re.compile(rf"\b(?:{'|'.join(sorted(parts, key=len, reverse=True))})", re.IGNORECASE)


def might_hold_figure(text: str) -> bool:
    """Cheap pre-filter: a number (digits or number words: "twelve", "dozens") and a trigger word.

    A figure's kind always comes from a word of the trigger tables ("killed", "deaths",
    "dead", "toll"); "a child was killed" has no number and is left to the events
    filter, which every such trigger passes."""
    return numbers.might_contain_number(text) and figure_cue().search(text) is not None
