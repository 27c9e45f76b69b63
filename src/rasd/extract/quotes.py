"""Who says what: quoted blocks, "according to", "X said", "X estimates".

STUB: to be written (issue 3). Contract: ``find_attributions(ctx) -> list[Attribution]``.
"""

from __future__ import annotations

from .context import Attribution, Context


def find_attributions(ctx: Context) -> list[Attribution]:
    return []
