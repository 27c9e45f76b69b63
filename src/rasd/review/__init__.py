"""Review: a person accepts, rejects or edits what extraction and linking produced.

Every correction is a row of its own in ``corrections`` (migration 006):
append-only, with who, when and why. The extraction stored with each document is
never changed; ``corrected(store, stored)`` gives a copy with the document's
corrections applied, and linking reads that copy, so ``rasd relink`` and a
re-ingest (a new version whose figure or event has the same evidence words)
keep every correction. Incident links (merge, split, detach) are made by
``link.repository`` and replayed by ``rasd relink`` with the other hand edits;
``links.replay`` restores their history lines.

Targets: a figure ``F12``, an event ``E3`` (actions ``accept``, ``reject``,
``edit`` with ``changes``), an incident ``I4`` (``merge``, ``split``, ``detach``;
see ``links``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from .. import settings
from ..errors import ReviewError
from ..model import Extraction
from ..store.base import Store, StoredDocument, version_key
from .fields import apply_event, apply_figure, check_bounds, check_changes, edited_item
from .state import summary

ACTIONS = ("accept", "reject", "edit")


@dataclass
class Correction:
    """One row of ``corrections``."""

    id: int
    target: str
    action: str
    who: str
    at: str
    why: str
    changes: dict[str, Any]
    document: str | None = None
    doc_key: str | None = None
    idx: int | None = None
    evidence: str | None = None
    incident: int | None = None
    reports: list[list[Any]] | None = None

    def label(self) -> str:
        if self.target == "incident":
            return f"I{self.incident}"
        return f"{'F' if self.target == 'figure' else 'E'}:{(self.document or '')[:12]}#{self.idx}"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def summary(self) -> str:
        """The changes in a line: a place or actor by its name, a date by its bounds."""
        return summary(self.changes)


def ref_of(store: Store, c: Correction) -> str:
    """The id a correction's target has now: F12 / E3 of the newest version holding it, or I4 (the incident
    it was merged into, when it was)."""
    if c.target == "incident":
        number, seen = c.incident, set()
        while number is not None and number not in seen:
            seen.add(number)
            rows = store.query("SELECT merged_into FROM incidents WHERE id = ?", (number,))
            if not rows or rows[0]["merged_into"] is None:
                break
            number = int(rows[0]["merged_into"])
        return f"I{number}"
    table, prefix = ("figures", "F") if c.target == "figure" else ("events", "E")
    rows = store.query(f"SELECT t.id FROM {table} t JOIN documents d ON d.rowid = t.document"  # constant names
                       " WHERE d.sha256 = ? AND t.idx = ?", (c.document, c.idx))
    return f"{prefix}{rows[0]['id']}" if rows else c.label()


def reviewer(who: str | None = None) -> str:
    """The name recorded with a correction: given, else the ``reviewer`` setting, else the login name."""
    name = (who or str(settings.get("reviewer") or "")).strip()
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return name


def _plain(text: str) -> str:
    """One line of text without control or format characters (no terminal escapes in an audit row)."""
    return "".join(" " if ch in "\t\r\n" else ch for ch in text
                   if ch in "\t\r\n" or unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _row(row: dict[str, Any]) -> Correction:
    return Correction(id=row["id"], target=row["target"], action=row["action"], who=row["who"], at=row["at"],
                      why=row["why"], changes=json.loads(row["changes"] or "{}"), document=row["document"],
                      doc_key=row["doc_key"],
                      idx=row["idx"], evidence=row["evidence"], incident=row["incident"],
                      reports=json.loads(row["reports"]) if row["reports"] else None)


def record(store: Store, *, target: str, action: str, who: str, why: str, changes: dict[str, Any] | None = None,
           document: StoredDocument | None = None, idx: int | None = None, evidence: str | None = None,
           incident: int | None = None, reports: list[list[Any]] | None = None) -> Correction:
    """Append one correction row; return it."""
    why, who = _plain(why), _plain(who)
    if not why.strip():
        raise ReviewError("say why (--why): every correction keeps its reason")
    if not who.strip():
        raise ReviewError("say who corrects (--who, or the reviewer setting)")
    at = _now()
    with store.transaction():
        store.execute(
            "INSERT INTO corrections (target, document, doc_key, idx, evidence, incident, reports, action, changes,"
            " who, at, why) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (target, document.document.sha256 if document else None,
             version_key(document.document) if document else None, idx, evidence, incident,
             json.dumps(reports) if reports is not None else None, action,
             json.dumps(changes or {}, ensure_ascii=False), who, at, why.strip()),
        )
        rowid = int(store.query("SELECT max(id) AS n FROM corrections")[0]["n"])
    return corrections(store, ids=[rowid])[0]


def corrections(store: Store, document: StoredDocument | None = None, ids: list[int] | None = None,
                target: str | None = None) -> list[Correction]:
    """Corrections in the order they were made: all, one document's (every version), some ids or one target kind."""
    where, params = [], []  # type: tuple[list[str], list[Any]]
    if document is not None:
        where.append("(document = ? OR doc_key = ?)")
        params += [document.document.sha256, version_key(document.document)]
    if ids:
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params += ids
    if target:
        where.append("target = ?")
        params.append(target)
    rows = store.query(f"SELECT * FROM corrections WHERE {' AND '.join(where) or '1 = 1'} ORDER BY id", params)
    return [_row(r) for r in rows]


def _index_of(c: Correction, stored: StoredDocument, items: list[Any]) -> int | None:
    """Where a correction's figure/event is in this version: its index when it is the same version,
    else the first item with the same evidence words (None when the new version lost it)."""
    if c.document == stored.document.sha256:
        return c.idx if c.idx is not None and 0 <= c.idx < len(items) else None
    for i, item in enumerate(items):
        if item.evidence is not None and item.evidence.text == c.evidence:
            return i
    return None


def corrected(store: Store, stored: StoredDocument) -> StoredDocument:
    """The stored document with its extraction's corrections applied (a copy; ``stored`` is unchanged)."""
    if stored.extraction is None:
        return stored
    found = [c for c in corrections(store, document=stored) if c.target in ("figure", "event")]
    if not found:
        return stored
    ex = Extraction.from_dict(stored.extraction.to_dict())
    placed = [(c, _index_of(c, stored, ex.figures if c.target == "figure" else ex.events)) for c in found]
    # a rejection a later acceptance overrode no longer stands (store.base.not_rejected reads it so too)
    accepted = {(c.target, i): c.id for c, i in placed if c.action == "accept"}
    for c, i in placed:
        if i is None or (c.action == "reject" and accepted.get((c.target, i), -1) > c.id):
            continue
        if c.target == "figure":
            apply_figure(ex, i, c.action, c.changes)
        else:
            apply_event(ex, i, c.action, c.changes)
    return dataclasses.replace(stored, extraction=ex)


def edited_hits(store: Store, hits: list[Any], target: str) -> list[Any]:
    """Figure or event hits (``store.figures``/``events``) with the edits that stand on them applied, so that
    lists show what a person corrected; the stored rows and extraction stay as extracted. ``target``:
    ``figure`` or ``event``."""
    if not hits or not store.query("SELECT 1 FROM corrections WHERE target = ? AND action = 'edit' LIMIT 1", (target,)):
        return hits
    found: dict[int, list[Correction]] = {}
    for hit in hits:
        key = id(hit.document)
        if key not in found:
            found[key] = [c for c in corrections(store, document=hit.document, target=target) if c.action == "edit"]
    out = []
    for hit in hits:
        item = hit.figure if target == "figure" else hit.event
        mine = [c for c in found[id(hit.document)] if (c.idx == hit.index if c.document == hit.document.document.sha256
                else item.evidence is not None and c.evidence == item.evidence.text)]
        if mine:
            hit = dataclasses.replace(hit, **{target: edited_item(item, target, [c.changes for c in mine])})
        out.append(hit)
    return out


def correct(store: Store, ref: str, action: str, changes: dict[str, Any] | None = None, *, why: str,
            who: str | None = None) -> Correction:
    """Accept, reject or edit figure ``F12`` or event ``E3``; incidents holding it are rebuilt."""
    from . import links

    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    if action == "edit" and not changes:
        raise ReviewError("an edit needs at least one FIELD=VALUE")
    hit = store.get(ref)
    if isinstance(hit, StoredDocument):
        raise ReviewError(f"{ref!r} is a document: review a figure (F12) or an event (E3)")
    target = "figure" if ref.strip()[:1] in "Ff" else "event"
    checked = check_changes(target, changes or {}) if action == "edit" else {}
    item = hit.figure if target == "figure" else hit.event  # type: ignore[union-attr]
    if target == "figure" and checked:
        _bounds_hold(store, hit, checked)  # type: ignore[arg-type]
    evidence = item.evidence.text if item.evidence else None
    with store.transaction():
        c = record(store, target=target, action=action, who=reviewer(who), why=why, changes=checked,
                   document=hit.document, idx=hit.index, evidence=evidence)
        links.refresh_document(store, hit.document.rowid, c)
    return c


def _bounds_hold(store: Store, hit: Any, checked: dict[str, Any]) -> None:
    """An edit of one bound is checked against the others as the figure stands after earlier corrections."""
    ex = corrected(store, hit.document).extraction
    current = ex.figures[hit.index] if ex is not None and hit.index < len(ex.figures) else hit.figure
    check_bounds({k: checked[k] if k in checked else getattr(current, k) for k in ("low", "best", "high")})


__all__ = ["Correction", "corrected", "correct", "corrections", "record", "ref_of", "reviewer"]
