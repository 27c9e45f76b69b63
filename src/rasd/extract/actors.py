"""Actor names -> the normalised vocabulary (data files under rasd/data/actors/).

STUB: to be written (issue 5). Contract: ``find_actors(ctx) -> list[ActorMention]``.
"""

from __future__ import annotations

from .context import ActorMention, Context


def find_actors(ctx: Context) -> list[ActorMention]:
    return []
