"""Event type (ACLED's taxonomy), actors' roles, targets; one ``main`` event per document.

STUB: to be written (issue 5). Contract:
``might_hold_event(sentence_text) -> bool`` (cheap pre-filter: which sentences get parsed),
``find_events(ctx) -> list[Event]``.
"""

from __future__ import annotations

from ..model import Event
from .context import Context


def might_hold_event(text: str) -> bool:
    return False


def find_events(ctx: Context) -> list[Event]:
    return []
