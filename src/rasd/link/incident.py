"""An incident record from its reports: representative fields, sources, figures, changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..model import SUB_EVENT_TO_TYPE, Actor, FigureSummary, HistoryEntry, Incident, IncidentReport
from .estimates import Value, summarise
from .rules import PRECISION_RANK, precision_of, widened
from .sources import source_groups

if TYPE_CHECKING:
    from .linker import Report


def groups_of(reports: Sequence[Report], jaccard: float) -> list[int]:
    """For each report, its source group (the index of the group's first report)."""
    return source_groups(
        [r.publisher for r in reports],
        [r.event.attributed_to for r in reports],
        [r.signature for r in reports],
        jaccard,
    )


def source_values(reports: Sequence[Report], groups: Sequence[int]) -> dict[str, dict[int, tuple[Value, Report]]]:
    """Per kind, per source group: the value of its latest report giving that kind (corrections win)."""
    out: dict[str, dict[int, tuple[Value, Report]]] = {}
    for group, report in sorted(zip(groups, reports), key=lambda gr: gr[1].order):
        for kind, value in report.values.items():
            out.setdefault(kind, {})[group] = (value, report)
    return out


def _place(reports: Sequence[Report]):  # type: ignore[no-untyped-def]
    places = [r.event.place for r in reports if r.event.place is not None]
    return min(places, key=lambda p: PRECISION_RANK[precision_of(p)]) if places else None


def _date(reports: Sequence[Report]):  # type: ignore[no-untyped-def]
    def width(r: Report) -> int:
        span = widened(r.event.date) if r.event.date else None
        return (span[1] - span[0]).days if span else 10**6

    dated = [r for r in reports if r.event.date is not None]
    # the reports whose words state the date, before those dated only by their publication
    stated = [r for r in dated if r.event.date and r.event.date.basis != "published"
              and r.event.date.text != "(week before publication)"]
    return min(stated or dated, key=width).event.date if dated else None


def _actors(reports: Sequence[Report]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for r in reports:
        for actor in r.event.actors:
            if actor.name and actor.name.casefold() not in seen:
                seen[actor.name.casefold()] = Actor(name=actor.name, role=actor.role, kind=actor.kind,
                                                    country=actor.country)
    return list(seen.values())


def build_incident(number: int, reports: Sequence[Report], history: Sequence[HistoryEntry],
                   best_rule: str, jaccard: float) -> Incident:
    """The INCIDENT record (CONTRACT.md) of an incident's reports."""
    groups = groups_of(reports, jaccard)
    subs = Counter(r.event.sub_event_type for r in reports)
    top = max(subs.values())
    sub = next(r.event.sub_event_type for r in reports if subs[r.event.sub_event_type] == top)
    targets: list[str] = []
    for r in reports:
        targets.extend(t for t in r.event.targets if t not in targets)
    figures = {
        kind: summarise([value for value, _ in by_group.values()], best_rule)
        for kind, by_group in sorted(source_values(reports, groups).items())
    }
    return Incident(
        id=f"I{number}",
        event_type=SUB_EVENT_TO_TYPE.get(sub, reports[0].event.event_type),
        sub_event_type=sub,
        date=_date(reports),
        place=_place(reports),
        actors=_actors(reports),
        targets=targets,
        independent_sources=len(set(groups)),
        reports=[
            IncidentReport(document=r.document, publisher=r.publisher, published=r.published,
                           attributed_to=r.event.attributed_to, via=r.event.via, evidence=r.event.evidence,
                           event=r.index, score=r.score, reason=r.reason)
            for r in reports
        ],
        figures=figures,
        history=list(history),
    )


def _summary_text(s: FigureSummary | None) -> str:
    if s is None:
        return "none"
    return f"low {s.low}, best {s.best}, high {s.high} ({s.sources} source{'s' if s.sources != 1 else ''})"


def figure_changes(before: Incident | None, after: Incident, report: Report,
                   reports: Sequence[Report], jaccard: float) -> list[str]:
    """History lines for what the new report changed: corrections, bounds, source count."""
    lines: list[str] = []
    groups = groups_of(reports, jaccard)
    mine = groups[-1]
    for kind, value in report.values.items():
        earlier = [r for g, r in zip(groups[:-1], reports[:-1]) if g == mine and kind in r.values]
        if not earlier:
            continue
        latest = max(earlier, key=lambda r: r.order)
        old = latest.values[kind]
        if old == value:
            continue
        who = report.publisher or report.event.attributed_to or report.document
        if report.order > latest.order:
            lines.append(f"{kind}: {who} now gives {value.text()} ({report.document}), superseding "
                         f"{old.text()} ({latest.document}); both kept")
        else:
            lines.append(f"{kind}: {who}'s earlier {value.text()} ({report.document}) is superseded by "
                         f"{old.text()} ({latest.document}); both kept")
    old_figures = before.figures if before else {}
    for kind in sorted(set(old_figures) | set(after.figures)):
        if old_figures.get(kind) != after.figures.get(kind):
            lines.append(f"{kind}: {_summary_text(old_figures.get(kind))} -> {_summary_text(after.figures.get(kind))}")
    if before is not None and before.independent_sources != after.independent_sources:
        lines.append(f"independent sources: {before.independent_sources} -> {after.independent_sources}")
    return lines
