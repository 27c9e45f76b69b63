"""Toponyms -> Place, through the offline gazetteer in ``rasd.geo``.

STUB: to be written (issue 4). Contract: ``find_places(ctx) -> list[PlaceMention]``.
"""

from __future__ import annotations

from .context import Context, PlaceMention


def find_places(ctx: Context) -> list[PlaceMention]:
    return []
