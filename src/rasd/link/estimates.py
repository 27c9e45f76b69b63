"""An incident's figures from its reports' figures, per kind.

Rules (the documented ones the issue asks for):

- A report's figure of a kind is the non-aggregate figure of that kind bound to
  the report's event; when the event has several ("12 killed, among them 5
  children"), the one with the largest upper value (the total) is taken.
- Within one source (see ``sources.source_groups``) the latest report, by
  publication date then ingest order, supersedes the earlier ones: a
  correction ("the toll rose to 12") replaces the source's 9; the change is
  written to the incident's history, and the earlier report keeps its figure.
- Over the independent sources: ``low`` is the lowest lower bound (a figure's
  ``low``, else its ``best``); ``high`` is the highest upper bound (``high``,
  else ``best``, else ``low``: never below a figure some source gave);
  ``best`` is the median of the sources' best values (for an even count the
  lower middle value, so that ``best`` is always a value some source gave), or their minimum when the ``incident_best`` setting says
  ``minimum`` (ACLED's conservative rule). ``sources`` counts the independent
  sources that gave that kind.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Event, Figure, FigureSummary


@dataclass(frozen=True)
class Value:
    """One report's figure of one kind, reduced to its bounds."""

    low: int | None
    best: int | None
    high: int | None

    @property
    def lower(self) -> int | None:
        return self.low if self.low is not None else self.best

    @property
    def upper(self) -> int | None:
        """The highest value this source allows for: ``high``, else ``best``, else ``low``."""
        for value in (self.high, self.best, self.low):
            if value is not None:
                return value
        return None

    def text(self) -> str:
        if self.best is not None and self.low in (None, self.best) and self.high in (None, self.best):
            return str(self.best)
        parts = [f"low {self.low}" if self.low is not None else "", f"best {self.best}" if self.best is not None else "",
                 f"high {self.high}" if self.high is not None else ""]
        return ", ".join(p for p in parts if p) or "unknown"


def _size(figure: Figure) -> int:
    for value in (figure.high, figure.best, figure.low):
        if value is not None:
            return value
    return -1


def report_values(event: Event, figures: Sequence[Figure]) -> dict[str, Value]:
    """The figures of one report (an event and its document's figures), one per kind."""
    chosen: dict[str, Figure] = {}
    for index in event.figures:
        if not 0 <= index < len(figures):
            continue
        figure = figures[index]
        if figure.aggregate or _size(figure) < 0:
            continue
        if figure.kind not in chosen or _size(figure) > _size(chosen[figure.kind]):
            chosen[figure.kind] = figure
    return {kind: Value(f.low, f.best, f.high) for kind, f in sorted(chosen.items())}


def summarise(values: Sequence[Value], rule: str = "median") -> FigureSummary:
    """Bounds over independent sources' values of one kind (see the module doc)."""
    lows = [v.lower for v in values if v.lower is not None]
    highs = [v.upper for v in values if v.upper is not None]
    bests = sorted(v.best for v in values if v.best is not None)
    if not bests:
        best = None
    elif rule == "minimum":
        best = bests[0]
    else:
        best = int(statistics.median_low(bests))
    return FigureSummary(low=min(lows) if lows else None, best=best, high=max(highs) if highs else None,
                         sources=len(values))
