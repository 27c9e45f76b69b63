"""Corrections at the incident level, and keeping incidents in step with corrections.

- ``merge(store, "I3", ["I7"])``: one event reported several times; the incidents are
  merged by ``repository.merge`` (into the earliest; the others keep their rows and
  history, marked merged).
- ``detach(store, "I3", [doc, ...])``: those documents' reports leave I3 for one new
  incident of their own (a split when several, a detach when one), by ``repository.split``.
- Both keep a ``corrections`` row (who, when, why) and the edit in ``incident_edits`` with
  the same time; ``rasd relink`` replays the edit where it was made, once, and ``replay``
  gives the incidents their review history lines back.
- ``refresh_document``: after a figure or event correction, every incident holding a
  report of that document is rebuilt from the corrected extraction (a rejected event's
  report leaves its incident); a document not yet in any incident is linked.

Reports are named by (document sha256, event index), which survive a relink;
incident numbers do not, so they are only shown, never replayed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import settings
from ..errors import NotFoundError, ReviewError
from ..link import blocking
from ..link.estimates import report_values
from ..link.incident import build_incident
from ..link.linker import Report
from ..link import repository
from ..link.repository import StoreIndex, _history, _report_json, _report_of, parse_ref, update_incidents
from ..model import Extraction, HistoryEntry
from ..store.base import Store

if TYPE_CHECKING:
    from . import Correction


def _reports(store: Store, number: int) -> list[Report]:
    rows = store.query("SELECT document, idx, seq, score, reason, signature, json FROM incident_reports"
                       " WHERE incident = ? ORDER BY seq", (number,))
    return [_report_of(r) for r in rows]


def _exists(store: Store, number: int) -> None:
    if not store.query("SELECT 1 AS x FROM incidents WHERE id = ?", (number,)):
        raise NotFoundError(f"no incident I{number} in the store (see `rasd incidents`)")


def _rebuild(store: Store, number: int, lines: Iterable[str], at: str) -> None:
    """Recompute incident ``number``'s record from its reports, appending history ``lines``; drop it when empty."""
    reports = _reports(store, number)
    if not reports:
        _drop(store, number)
        return
    history = _history(store, number) + [HistoryEntry(at=at, change=line) for line in lines]
    record = build_incident(number, reports, history, str(settings.get("incident_best")),
                            float(settings.get("near_duplicate_jaccard")))
    StoreIndex(store)._upsert(number, record)
    for line in lines:
        store.execute("INSERT INTO incident_history (incident, at, change) VALUES (?,?,?)", (number, at, line))
    for r in reports:
        for k in sorted(blocking.index_keys(r.event, r.days)):
            store.execute("INSERT OR IGNORE INTO incident_blocks (key, incident) VALUES (?,?)", (k, number))


def _drop(store: Store, number: int) -> None:
    """Delete an emptied incident (its history goes with it: the schema allows that only as relink does)."""
    store.execute("UPDATE link_state SET relinking = 1 WHERE one = 1")
    try:
        store.execute("DELETE FROM incidents WHERE id = ?", (number,))
    finally:
        store.execute("UPDATE link_state SET relinking = 0 WHERE one = 1")


def _names(store: Store, number: int) -> list[list[Any]]:
    rows = store.query("SELECT d.sha256, r.idx FROM incident_reports r JOIN documents d ON d.rowid = r.document"
                       " WHERE r.incident = ? ORDER BY r.seq", (number,))
    return [[r["sha256"], r["idx"]] for r in rows]


def _line(c: Correction, what: str) -> str:
    verb = "confirmed" if c.action == "accept" else "corrected"
    return f"review: {verb} {what} by {c.who}: {c.why}"


# -- merge, split, detach ---------------------------------------------------------------------
# The link work is ``repository.merge`` / ``repository.split`` (kept in ``incident_edits``, which relink
# replays where they were made); a correction row keeps who, when and why, and adds a history line.

_MERGED_IN = re.compile(r"^I(\d+) merged in \(\d+ reports\): merged by hand$")
_SPLIT_FROM = re.compile(r"^split from I(\d+) \(.*\): split by hand$")


def merge(store: Store, into: str, others: list[str], *, why: str, who: str | None = None) -> Correction:
    """Merge incidents ``others`` with ``into``: one event reported several times (the earliest stands)."""
    from . import record, reviewer

    target = parse_ref(into)
    numbers = [parse_ref(o) for o in others]
    if not numbers or target in numbers:
        raise ReviewError("merge needs an incident and one or more other incidents to merge into it")
    with store.transaction():
        for n in [target, *numbers]:
            _exists(store, n)
        names = _names(store, target)[:1] + [x for n in numbers for x in _names(store, n)]
        c = record(store, target="incident", action="merge", who=reviewer(who), why=why, incident=target,
                   reports=names)
        _apply(store, c, [target, *numbers], [])
        _add_lines(store, c)
    return c


def detach(store: Store, ref: str, documents: list[str], *, why: str, who: str | None = None) -> Correction:
    """Move the reports of ``documents`` (ids or 8+ leading characters) out of incident ``ref`` into a new one."""
    from . import record, reviewer

    number = parse_ref(ref)
    with store.transaction():
        _exists(store, number)
        rowids = {store.document(d).rowid for d in documents}
        rows = store.query("SELECT r.document, r.idx, d.sha256 FROM incident_reports r JOIN documents d"
                           " ON d.rowid = r.document WHERE r.incident = ?", (number,))
        moving = [r for r in rows if r["document"] in rowids]
        if not moving:
            raise ReviewError(f"none of {', '.join(documents)} is a report of I{number} (see `rasd show I{number}`)")
        if len(moving) == len(rows):
            raise ReviewError(f"that would move every report of I{number}: nothing to split from")
        action = "detach" if len(rowids) == 1 else "split"
        c = record(store, target="incident", action=action, who=reviewer(who), why=why, incident=number,
                   reports=[[r["sha256"], r["idx"]] for r in moving])
        _apply(store, c, [number], sorted({r["document"] for r in moving}))
        _add_lines(store, c)
    return c


def _apply(store: Store, c: Correction, numbers: list[int], rowids: list[int]) -> None:
    """Merge incidents ``numbers``, or split the reports of documents ``rowids`` out of ``numbers[0]``,
    through ``repository`` at the correction's time (which names the edit in ``incident_edits``)."""
    if c.action == "merge":
        keep = numbers[0]
        for n in numbers[1:]:
            keep = parse_ref(repository.merge(store, f"I{keep}", f"I{n}", at=c.at).id)
        return
    ids = [store.document_by_rowid(r).document.id for r in rowids]
    repository.split(store, f"I{numbers[0]}", ids, at=c.at)


def _add_lines(store: Store, c: Correction) -> None:
    """The review history lines of link correction ``c``, on the incidents its merge or split left (read from
    the lines ``repository`` wrote at the correction's time, so they are the same after a relink)."""
    found = _where(store, c.reports or [])
    out: list[tuple[int, str]] = []
    for number in sorted({n for n, _, _ in found}):
        mine = [h.change for h in _history(store, number) if h.at == c.at]
        if c.action == "merge":
            merged = [f"I{m.group(1)}" for m in map(_MERGED_IN.match, mine) if m]
            if merged:
                out.append((number, _line(c, "links") + f" (merged {', '.join(merged)})"))
            continue
        moved = sum(1 for n, _, _ in found if n == number)
        for m in map(_SPLIT_FROM.match, mine):
            if m:
                out.append((number, _line(c, "links") + f" ({c.action}ed from I{m.group(1)})"))
                out.append((int(m.group(1)), _line(c, "links") + f" ({moved} report(s) {c.action}ed into I{number})"))
    for number, line in out:
        store.execute("INSERT INTO incident_history (incident, at, change) VALUES (?,?,?)", (number, c.at, line))


# -- keeping incidents in step -------------------------------------------------------------------

def _fields(c: Correction, kind: str | None) -> str:
    if c.target == "event":
        names = {"sub_event_type": "event_type", "place": "location", "date": "event_date"}
        return ", ".join(names.get(k, k) for k in c.changes) if c.changes else "event"
    return (kind or "figure") if c.action != "edit" else ", ".join(
        [kind or "figure"] + [k for k in c.changes if k not in ("low", "best", "high", "kind")])


def _concerns(c: Correction, original: Extraction | None, event_index: int) -> bool:
    """Whether a document's report (its event ``event_index``) is what correction ``c`` is about."""
    if c.target == "event":
        return c.idx == event_index
    if original is None or not 0 <= event_index < len(original.events):
        return False
    return c.idx in original.events[event_index].figures


def refresh_document(store: Store, rowid: int, c: Correction) -> None:
    """Rebuild the incidents holding reports of document ``rowid`` from its corrected extraction."""
    from . import corrected

    original = store.document_by_rowid(rowid)
    ex = corrected(store, original).extraction
    if ex is None:
        return
    kind = ex.figures[c.idx].kind if c.target == "figure" and c.idx is not None and c.idx < len(ex.figures) else None
    rows = store.query("SELECT incident, idx FROM incident_reports WHERE document = ?", (rowid,))
    if not rows:
        update_incidents(store, [rowid])
        return
    for number in sorted({r["incident"] for r in rows}):
        concerned = False
        for report in [r for r in _reports(store, number) if r.rowid == rowid]:
            concerned = concerned or _concerns(c, original.extraction, report.index)
            event = ex.events[report.index] if report.index < len(ex.events) else None
            if event is None or event.place is None:
                store.execute("DELETE FROM incident_reports WHERE document = ? AND idx = ?", (rowid, report.index))
                continue
            report.event = event if event.date is not None else dataclasses.replace(event, date=report.event.date)
            report.values = report_values(report.event, ex.figures)
            store.execute("UPDATE incident_reports SET json = ? WHERE document = ? AND idx = ?",
                          (_report_json(report), rowid, report.index))
        _rebuild(store, number, [_line(c, _fields(c, kind))] if concerned else [], c.at)


def replay(store: Store) -> None:
    """After a relink (which replayed ``incident_edits``): restore the review history lines, in order.
    A link correction without its edit (made before review went through ``repository``) is applied now,
    which records the edit, so the next relink replays it with the others."""
    from . import corrections

    edits = {(r["at"], r["action"]) for r in store.query("SELECT at, action FROM incident_edits")}
    for c in corrections(store):
        if c.target != "incident":
            _replay_history(store, c)
            continue
        if (c.at, "merge" if c.action == "merge" else "split") not in edits:
            _replay_legacy(store, c)
        _add_lines(store, c)


def _where(store: Store, names: list[list[Any]]) -> list[tuple[int, int, int]]:
    """(incident, document rowid, idx) of the named reports that are in an incident now."""
    out = []
    for sha, idx in names:
        rows = store.query("SELECT r.incident, r.document, r.idx FROM incident_reports r JOIN documents d"
                           " ON d.rowid = r.document WHERE d.sha256 = ? AND r.idx = ?", (sha, idx))
        out += [(r["incident"], r["document"], r["idx"]) for r in rows]
    return out


def _replay_legacy(store: Store, c: Correction) -> None:
    found = _where(store, c.reports or [])
    numbers = sorted({n for n, _, _ in found})
    if c.action == "merge":
        if len(numbers) > 1:
            _apply(store, c, numbers, [])
        return
    for number in numbers:
        rowids = sorted({d for n, d, _ in found if n == number})
        held = {int(r["document"]) for r in store.query("SELECT document FROM incident_reports WHERE incident = ?",
                                                          (number,))}
        if held - set(rowids):
            _apply(store, c, [number], rowids)


def _replay_history(store: Store, c: Correction) -> None:
    rows = store.query("SELECT r.incident, r.document, r.idx FROM incident_reports r JOIN documents d"
                       " ON d.rowid = r.document WHERE d.sha256 = ? ORDER BY r.incident", (c.document,))
    done: set[int] = set()
    for row in rows:
        original = store.document_by_rowid(row["document"]).extraction
        if row["incident"] in done or not _concerns(c, original, row["idx"]):
            continue
        done.add(row["incident"])
        kind = None
        if c.target == "figure" and original is not None and c.idx is not None and c.idx < len(original.figures):
            kind = c.changes.get("kind") or original.figures[c.idx].kind
        store.execute("INSERT INTO incident_history (incident, at, change) VALUES (?,?,?)",
                      (row["incident"], c.at, _line(c, _fields(c, kind))))
