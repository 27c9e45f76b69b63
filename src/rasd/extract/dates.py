"""Absolute and relative dates -> Period.

STUB: to be written (issue 3). Contract:
``find_publication_date(text) -> datetime.date | None`` (a dateline at the head of the text),
``find_dates(ctx) -> list[DateMention]`` (every date expression in body text, resolved
against ``ctx.published``).
"""

from __future__ import annotations

import datetime as dt

from .context import Context, DateMention


def find_publication_date(text: str) -> dt.date | None:
    return None


def find_dates(ctx: Context) -> list[DateMention]:
    return []
