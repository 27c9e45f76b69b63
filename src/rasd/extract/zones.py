"""Site chrome, captions, datelines and headlines: text that is never evidence.

STUB: to be written (issue 3). Contract: ``find_zones(ctx) -> list[Zone]``.
"""

from __future__ import annotations

from .context import Context, Zone


def find_zones(ctx: Context) -> list[Zone]:
    return []
