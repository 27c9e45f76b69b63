"""A figure or an event as it stands after people's corrections, and who reviewed it, for a reader that
holds only a query function (the server reads through a read-only connection, never through a Store).

The corrections of one document are read once (``document_corrections``); each figure or event then takes
the ones that concern it: made on this version at its index, or on another version of the same document
with the same evidence words (how ``review.corrected`` carries a correction to a new version). Edits are
applied in the order they were made, through the same code that ``review.corrected`` uses, so the page's
forms start from the values that linking and the exports see.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import DocumentInfo, Event, Extraction, Figure
from .fields import apply_event, apply_figure

Query = Callable[[str, Sequence[Any]], Sequence[Any]]


@dataclass
class Standing:
    """An item's record (as JSON) with the edits applied, the corrections that concern it, oldest first,
    and whether a rejection stands (no later acceptance overrode it)."""

    value: dict[str, Any]
    reviews: list[dict[str, Any]] = field(default_factory=list)
    rejected: bool = False


def document_corrections(query: Query, sha256: str, key: str | None) -> list[dict[str, Any]]:
    """The figure and event corrections of every version of one document, oldest first (the caller checks
    that the store has a ``corrections`` table: migration 006)."""
    rows = query("SELECT id, target, document, idx, evidence, action, changes, who, at, why FROM corrections"
                 " WHERE target IN ('figure', 'event') AND (document = ? OR doc_key = ?) ORDER BY id",
                 (sha256, key if key is not None else sha256))
    return [{**dict(r), "changes": json.loads(r["changes"] or "{}")} for r in rows]


def _concerns(c: dict[str, Any], target: str, sha256: str, idx: int, evidence: str | None) -> bool:
    if c["target"] != target:
        return False
    if c["document"] == sha256:
        return bool(c["idx"] == idx)
    return evidence is not None and c["evidence"] == evidence


def summary(changes: dict[str, Any]) -> str:
    """The changes in a line: a place or actor by its name, a date by its bounds."""
    parts = []
    for name, value in changes.items():
        if isinstance(value, dict):
            value = value.get("name") or "..".join(dict.fromkeys(v for v in (value.get("start"), value.get("end")) if v))
        parts.append(f"{name}={value}")
    return ", ".join(parts)


def _review(c: dict[str, Any]) -> dict[str, Any]:
    return {"id": c["id"], "action": c["action"], "who": c["who"], "at": c["at"], "why": c["why"],
            "changes": c["changes"], "summary": summary(c["changes"])}


def standing(target: str, record: dict[str, Any], idx: int, sha256: str,
             found: list[dict[str, Any]]) -> Standing:
    """``record`` (a stored figure's or event's JSON, at index ``idx`` of the document with ``sha256``) with
    the corrections in ``found`` that concern it applied."""
    evidence = (record.get("evidence") or {}).get("text")
    mine = [c for c in found if _concerns(c, target, sha256, idx, evidence)]
    if not any(c["action"] == "edit" for c in mine):
        value = dict(record)
    elif target == "figure":
        ex = Extraction(id="", document=DocumentInfo(), figures=[Figure.from_dict(record)])
        for c in mine:
            if c["action"] == "edit":
                apply_figure(ex, 0, "edit", c["changes"])
        value = ex.figures[0].to_dict()
    else:
        ex = Extraction(id="", document=DocumentInfo(), events=[Event.from_dict(record)])
        for c in mine:
            if c["action"] == "edit":
                apply_event(ex, 0, "edit", c["changes"])
        value = ex.events[0].to_dict()
    rejected = False
    for c in mine:
        if c["action"] in ("accept", "reject"):
            rejected = c["action"] == "reject"
    return Standing(value=value, reviews=[_review(c) for c in mine], rejected=rejected)


def event_values(event: dict[str, Any]) -> dict[str, Any]:
    """An event's correctable fields in the form a correction takes them (what the page's form shows)."""
    date = event.get("date") or {}
    start, end = date.get("start"), date.get("end")
    actors = {a.get("role"): a.get("name") for a in event.get("actors") or [] if isinstance(a, dict)}
    return {"event_type": event.get("event_type"), "sub_event_type": event.get("sub_event_type"),
            "place": (event.get("place") or {}).get("name"),
            "date": (start if not end or end == start else f"{start}..{end}") if start else None,
            "actor1": actors.get("actor1"), "actor2": actors.get("actor2")}


__all__ = ["Standing", "document_corrections", "event_values", "standing", "summary"]
