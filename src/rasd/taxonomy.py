"""The closed vocabularies users type (figure kinds, ACLED event and sub-event types), checked.

A value outside them is a ``UsageError`` that names the value, suggests the
nearest known one (``difflib``) and lists the rest, instead of matching nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from .errors import UsageError
from .model import EVENT_TYPES, FIGURE_KINDS, SUB_EVENT_TO_TYPE

EVENT_NAMES: tuple[str, ...] = (*EVENT_TYPES, *SUB_EVENT_TO_TYPE)
# Words people type for a figure kind: only ever a suggestion, never silently accepted.
KIND_WORDS = {
    "dead": "killed", "deaths": "killed", "slain": "killed", "fatalities": "killed", "died": "killed",
    "wounded": "injured", "hurt": "injured", "injuries": "injured", "casualties": "killed",
    "refugees": "displaced", "fled": "displaced", "idps": "displaced", "arrested": "detained",
    "abducted": "missing", "kidnapped": "missing", "strikes": "attacks", "raids": "attacks",
}


def suggestion(value: str, known: Sequence[str]) -> str:
    """'; did you mean 'X'?' for the closest known value (case-insensitive), else ''."""
    word = KIND_WORDS.get(value.casefold())
    if word in known:
        return f"; did you mean {word!r}?"
    folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean {folded[close[0]]!r}?" if close else ""


def _check(values: Iterable[str], known: Sequence[str], what: str) -> list[str]:
    canonical = {k.casefold(): k for k in known}
    out = []
    for value in values:
        name = canonical.get(value.strip().casefold())
        if name is None:
            raise UsageError(f"unknown {what} {value!r}{suggestion(value.strip(), known)}"
                             f" (known: {', '.join(known)})")
        out.append(name)
    return out


def check_known(values: Iterable[str], known: Sequence[str], what: str) -> list[str]:
    """``values`` in their canonical spelling; ``UsageError`` naming the first outside ``known``."""
    return _check(values, known, what)


def figure_kinds(values: Iterable[str]) -> list[str]:
    """The figure kinds in their canonical spelling; UsageError for one outside FIGURE_KINDS."""
    return _check(values, FIGURE_KINDS, "figure kind")


def event_types(values: Iterable[str]) -> list[str]:
    """ACLED event or sub-event types as ACLED spells them; UsageError for any other."""
    return _check(values, EVENT_NAMES, "event type")
