"""Tie each figure to its period, place and source; merge a claim the document repeats.

STUB: to be written (issue 3). Contract: ``bind_figures(ctx, figures) -> list[Figure]``.
"""

from __future__ import annotations

from ..model import Figure
from .context import Context


def bind_figures(ctx: Context, figures: list[Figure]) -> list[Figure]:
    return figures
