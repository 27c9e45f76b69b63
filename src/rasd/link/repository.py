"""Incidents in the store (tables of ``002_incidents.sql``), through its query/execute hatch.

- ``update_incidents(store, rowids)``: link the events of newly stored documents
  into the store's incidents, in place (``process.AFTER_BATCH`` calls it inside
  each batch's transaction).
- ``relink(store)``: clear the incident tables and replay every stored document
  in ingest order; the result equals what the incremental updates built.
- ``incidents(store, ...)`` / ``incident(store, "I3")``: read them back (an
  incident merged into another keeps its row and history, and is not listed).
- ``merge(store, "I3", "I7")`` / ``split(store, "I3", documents)``: by hand; each
  edit is kept in ``incident_edits`` (append-only) and replayed by ``relink`` at
  the point of the link order where it was made.

History rows are only ever appended; the schema refuses updates, and deletes
except while ``relink`` rebuilds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from typing import Any

from ..errors import NotFoundError
from ..model import Event, HistoryEntry, Incident
from ..store.base import Store, StoredDocument
from .estimates import Value
from .evidence import Frequencies, idf
from .linker import IncidentState, LinkDocument, Linker, Report

LOGGER = logging.getLogger(__name__)


def _report_json(r: Report) -> str:
    return json.dumps({
        "document": r.document, "event": r.event.to_dict(), "publisher": r.publisher,
        "published": r.published, "at": r.at,
        "values": {k: [v.low, v.best, v.high] for k, v in r.values.items()},
        "terms": [[t, n] for t, n in r.terms.items()], "names": sorted(r.names), "days": sorted(r.days),
    }, ensure_ascii=False)


def _report_of(row: dict[str, Any]) -> Report:
    d = json.loads(row["json"])
    return Report(
        document=d["document"], index=row["idx"], event=Event.from_dict(d["event"]),
        values={k: Value(*v) for k, v in d["values"].items()}, publisher=d["publisher"],
        published=d["published"], at=d["at"], seq=row["seq"], signature=row["signature"],
        score=row["score"], reason=row["reason"], rowid=row["document"],
        terms={int(t): int(n) for t, n in d.get("terms", [])}, names=frozenset(d.get("names", [])),
        days=frozenset(d.get("days", [])),
    )


_COLUMNS = ("event_type", "sub_event_type", "date_start", "date_end", "date_precision", "place", "geonameid",
            "admin1", "country", "lat", "lon", "place_precision", "independent_sources", "reports", "killed_low",
            "killed_best", "killed_high", "updated_at", "json")  # constants: safe to format into SQL


class StoreFrequencies:
    """Document frequencies of word hashes in ``link_terms`` (004), cached for one update."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.documents = int(store.query("SELECT documents FROM link_state WHERE one = 1")[0]["documents"])
        self.df: dict[int, int] = {}

    def add(self, terms: set[int]) -> None:
        self.idf(terms)  # load them
        self.documents += 1
        self.store.execute("UPDATE link_state SET documents = documents + 1 WHERE one = 1")
        for t in sorted(terms):
            self.df[t] = self.df.get(t, 0) + 1
            self.store.execute("INSERT INTO link_terms (term, df) VALUES (?, 1)"
                               " ON CONFLICT(term) DO UPDATE SET df = link_terms.df + 1", (t,))

    def idf(self, terms: set[int]) -> dict[int, float]:
        missing = sorted(t for t in terms if t not in self.df)
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            for t in part:
                self.df[t] = 0
            rows = self.store.query(f"SELECT term, df FROM link_terms WHERE term IN ({','.join('?' * len(part))})", part)
            self.df.update({int(r["term"]): int(r["df"]) for r in rows})
        return {t: idf(self.documents, self.df[t]) for t in terms}


class StoreIndex:
    """An ``IncidentIndex`` over the store's tables; loaded incidents are cached for one update."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.loaded: dict[int, IncidentState] = {}
        self.saved: dict[int, tuple[set[int], int]] = {}  # number -> (report seqs, history rows) in the store
        self.frequencies: Frequencies = StoreFrequencies(store)

    def last_seq(self) -> int:
        return int(self.store.query("SELECT COALESCE(MAX(seq), 0) AS n FROM incident_reports")[0]["n"])

    def new_number(self) -> int:
        return int(self.store.query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM incidents")[0]["n"])

    def candidates(self, keys: set[str]) -> list[IncidentState]:
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.store.query(
            f"SELECT DISTINCT incident FROM incident_blocks WHERE key IN ({marks}) ORDER BY incident", sorted(keys)
        )
        return [self.load(int(r["incident"])) for r in rows]

    def recent(self, keys: set[str], limit: int) -> list[IncidentState]:
        numbers: set[int] = set()
        for key in sorted(keys):
            rows = self.store.query("SELECT incident FROM incident_blocks WHERE key = ? ORDER BY incident DESC LIMIT ?",
                                    (key, limit))
            numbers |= {int(r["incident"]) for r in rows}
        return [self.load(n) for n in sorted(numbers)[-limit:]]

    def move(self, seqs: set[int], frm: IncidentState, to: IncidentState) -> None:
        """Reports ``seqs`` of ``frm`` now belong to ``to`` (the states are already updated)."""
        if to.record is not None:
            self._upsert(to.number, to.record)
        marks = ",".join("?" * len(seqs))
        self.store.execute(f"UPDATE incident_reports SET incident = ? WHERE incident = ? AND seq IN ({marks})",
                           (to.number, frm.number, *sorted(seqs)))
        old, n_old = self.saved.get(frm.number, (set(), 0))
        self.saved[frm.number] = (old - seqs, n_old)
        new, n_new = self.saved.get(to.number, (set(), 0))
        self.saved[to.number] = (new | (seqs & old), n_new)

    def retire(self, state: IncidentState, into: IncidentState) -> None:
        self.move({r.seq for r in state.reports}, state, into)
        _, n_history = self.saved.get(state.number, (set(), 0))
        for h in state.history[n_history:]:
            self.store.execute("INSERT INTO incident_history (incident, at, change) VALUES (?,?,?)",
                               (state.number, h.at, h.change))
        self.saved[state.number] = (set(), len(state.history))
        self.store.execute("UPDATE incidents SET merged_into = ?, reports = 0 WHERE id = ?", (into.number, state.number))
        self.store.execute("DELETE FROM incident_blocks WHERE incident = ?", (state.number,))
        self.loaded.pop(state.number, None)

    def load(self, number: int) -> IncidentState:
        if number in self.loaded:
            return self.loaded[number]
        head = self.store.query("SELECT json FROM incidents WHERE id = ?", (number,))
        if not head:
            raise NotFoundError(f"no incident I{number} in the store (see `rasd incidents`)")
        reports = [_report_of(r) for r in self.store.query(
            "SELECT document, idx, seq, score, reason, signature, json FROM incident_reports"
            " WHERE incident = ? ORDER BY seq", (number,))]
        history = _history(self.store, number)
        record = Incident.from_json(head[0]["json"])
        record.history = list(history)
        state = IncidentState(number=number, reports=reports, history=history, record=record)
        self.loaded[number] = state
        self.saved[number] = ({r.seq for r in reports}, len(history))
        return state

    def save(self, state: IncidentState, keys: set[str]) -> None:
        assert state.record is not None
        seqs, n_history = self.saved.get(state.number, (set(), 0))
        self._upsert(state.number, state.record)
        for r in state.reports:
            if r.seq not in seqs:
                self.store.execute(
                    "INSERT INTO incident_reports (incident, document, idx, seq, score, reason, signature, json)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (state.number, r.rowid, r.index, r.seq, r.score, r.reason or "", r.signature, _report_json(r)),
                )
        for h in state.history[n_history:]:
            self.store.execute("INSERT INTO incident_history (incident, at, change) VALUES (?,?,?)",
                               (state.number, h.at, h.change))
        for key in sorted(keys):
            self.store.execute("INSERT OR IGNORE INTO incident_blocks (key, incident) VALUES (?,?)", (key, state.number))
        self.loaded[state.number] = state
        self.saved[state.number] = ({r.seq for r in state.reports}, len(state.history))

    def _upsert(self, number: int, inc: Incident) -> None:
        date, place = inc.date, inc.place
        killed = inc.figures.get("killed")
        body = inc.to_dict()
        body["history"] = []
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        # an upsert, not INSERT OR REPLACE: a replace would delete the row and cascade to its history
        self.store.execute(
            f"INSERT INTO incidents (id, {', '.join(_COLUMNS)}) VALUES (?{',?' * len(_COLUMNS)})"
            f" ON CONFLICT(id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in _COLUMNS)}",
            (number, inc.event_type, inc.sub_event_type, date and date.start, date and date.end,
             date and date.precision, place and place.name, place and place.geonameid, place and place.admin1,
             place and place.country, place and place.lat, place and place.lon, place and place.precision,
             inc.independent_sources, len(inc.reports), killed and killed.low, killed and killed.best,
             killed and killed.high, now, json.dumps(body, ensure_ascii=False)),
        )


def _history(store: Store, number: int) -> list[HistoryEntry]:
    rows = store.query("SELECT at, change FROM incident_history WHERE incident = ? ORDER BY id", (number,))
    return [HistoryEntry(at=r["at"], change=r["change"]) for r in rows]


def link_document(stored: StoredDocument) -> LinkDocument | None:
    """A stored document as linking input (None when it has no extraction)."""
    if stored.extraction is None:
        return None
    d = stored.document
    return LinkDocument(id=d.id, extraction=stored.extraction, publisher=d.publisher, published=d.published,
                        text=d.text, at=stored.ingested_at, rowid=stored.rowid)


def update_incidents(store: Store, rowids: Iterable[int]) -> set[int]:
    """Link the events of the stored documents ``rowids`` (in order); return the incidents touched."""
    touched: set[int] = set()
    with store.transaction():
        store.lock_linking()  # PostgreSQL: one linker at a time, reading what the last one committed
        index = StoreIndex(store)
        linker = Linker(index, seq=index.last_seq())
        for rowid in rowids:
            if store.query("SELECT 1 AS x FROM incident_reports WHERE document = ? LIMIT 1", (rowid,)):
                LOGGER.debug("document row %d is linked already", rowid)
                continue
            doc = link_document(_reviewed(store, store.document_by_rowid(rowid)))
            if doc is not None:
                touched |= linker.add(doc)
    return touched


def relink(store: Store, chunk: int = 500) -> int:
    """Rebuild every incident from scratch, replaying the documents in ingest order and the edits made by hand
    where they were made; return how many incidents stand."""
    with store.transaction():
        store.lock_linking()
        store.execute("UPDATE link_state SET relinking = 1, documents = 0 WHERE one = 1")
        for table in ("incident_blocks", "incident_history", "incident_reports", "incidents", "link_terms"):
            store.execute(f"DELETE FROM {table}")  # table names are constants above
        store.execute("UPDATE link_state SET relinking = 0 WHERE one = 1")
        edits = store.query("SELECT at, action, after_seq, json FROM incident_edits ORDER BY id")
        linker = Linker(StoreIndex(store))
        last = 0
        while True:
            rows = store.query("SELECT rowid FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, chunk))
            if not rows:
                break
            linker.index = StoreIndex(store)  # a fresh cache per chunk
            for row in rows:
                while edits and int(edits[0]["after_seq"]) <= linker.seq:
                    _replay(store, linker, edits.pop(0))
                doc = link_document(_reviewed(store, store.document_by_rowid(int(row["rowid"]))))
                if doc is not None:
                    linker.add(doc)
            last = int(rows[-1]["rowid"])
        for edit in edits:
            _replay(store, linker, edit)
        _replay_reviews(store)
        return int(store.query("SELECT count(*) AS n FROM incidents WHERE merged_into IS NULL")[0]["n"])


def _holding(store: Store, rowid: int, idx: int) -> int | None:
    rows = store.query("SELECT incident FROM incident_reports WHERE document = ? AND idx = ?", (rowid, idx))
    return int(rows[0]["incident"]) if rows else None


def _replay(store: Store, linker: Linker, edit: dict[str, Any]) -> None:
    refs = [(int(a), int(b)) for a, b in json.loads(edit["json"])]
    numbers = [n for n in (_holding(store, *ref) for ref in refs) if n is not None]
    index = linker.index
    assert isinstance(index, StoreIndex)
    if edit["action"] == "merge" and len(set(numbers)) == 2:
        linker.merge_incidents(index.load(numbers[0]), index.load(numbers[1]), "merged by hand", edit["at"])
    elif edit["action"] == "split" and numbers and len(set(numbers)) == 1:
        linker.split_incident(index.load(numbers[0]), set(refs), "split by hand", edit["at"])
    else:
        LOGGER.warning("edit %s %s no longer applies (its reports are not where they were)", edit["action"], refs)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def merge(store: Store, first: str, second: str, *, at: str | None = None) -> Incident:
    """Merge two incidents by hand (into the earlier); kept in ``incident_edits``, replayed by relink.
    ``at``: when it was made (``rasd review`` passes its correction's time)."""
    a, b = parse_ref(first), parse_ref(second)
    if a == b:
        raise NotFoundError(f"I{a} and I{b} are one incident already")
    with store.transaction():
        index = StoreIndex(store)
        linker = Linker(index, seq=index.last_seq())
        sa, sb = index.load(a), index.load(b)
        for s in (sa, sb):
            _standing(store, s.number)
        refs = [[sa.reports[0].rowid, sa.reports[0].index], [sb.reports[0].rowid, sb.reports[0].index]]
        when = at or _now()
        store.execute("INSERT INTO incident_edits (at, action, after_seq, json) VALUES (?, 'merge', ?, ?)",
                      (when, linker.seq, json.dumps(refs)))
        keep = linker.merge_incidents(sa, sb, "merged by hand", when)
    return incident(store, f"I{keep.number}")


def split(store: Store, ref: str, documents: Iterable[str], *, at: str | None = None) -> Incident:
    """Move the reports of ``documents`` (ids) out of an incident into a new one, by hand; returns the new one."""
    number = parse_ref(ref)
    wanted = set(documents)
    with store.transaction():
        index = StoreIndex(store)
        linker = Linker(index, seq=index.last_seq())
        state = index.load(number)
        _standing(store, number)
        refs = {(int(r.rowid or 0), r.index) for r in state.reports if r.document in wanted}
        if not refs or len(refs) == len(state.reports):
            raise NotFoundError(f"split I{number}: name some of its documents, not none or all "
                                f"(its documents: {', '.join(sorted({r.document for r in state.reports}))})")
        when = at or _now()
        store.execute("INSERT INTO incident_edits (at, action, after_seq, json) VALUES (?, 'split', ?, ?)",
                      (when, linker.seq, json.dumps(sorted(refs))))
        new = linker.split_incident(state, refs, "split by hand", when)
    return incident(store, f"I{new.number}")


def _standing(store: Store, number: int) -> None:
    rows = store.query("SELECT merged_into FROM incidents WHERE id = ?", (number,))
    if rows and rows[0]["merged_into"] is not None:
        raise NotFoundError(f"I{number} was merged into I{rows[0]['merged_into']}")


def _reviewed(store: Store, stored: StoredDocument) -> StoredDocument:
    """The document with a person's corrections applied (``rasd review``; the stored extraction is unchanged)."""
    from ..review import corrected

    return corrected(store, stored)


def _replay_reviews(store: Store) -> None:
    """After a relink: the history lines of ``rasd review`` corrections (its merges, splits and detaches
    are edits of ``incident_edits``, replayed above with the others)."""
    from ..review.links import replay

    replay(store)


def parse_ref(ref: str) -> int:
    """``I12`` (or ``12``) -> 12."""
    text = ref.strip()
    text = text[1:] if text[:1] in ("I", "i") else text
    if not (text.isascii() and text.isdigit()) or int(text) >= 2**63:  # '²' is a digit to Python, not to int()
        raise NotFoundError(f"{ref!r} is not an incident id (incidents are shown as I<number>, e.g. I3)")
    return int(text)


def incident(store: Store, ref: str) -> Incident:
    """One incident with its history, by ``I<id>``."""
    number = parse_ref(ref)
    rows = store.query("SELECT json FROM incidents WHERE id = ?", (number,))
    if not rows:
        raise NotFoundError(f"no incident I{number} in the store (see `rasd incidents`)")
    record = Incident.from_json(rows[0]["json"])
    record.history = _history(store, number)
    return record


def incidents(store: Store, kind: Iterable[str] = (), place: str | None = None, since: dt.date | None = None,
              until: dt.date | None = None, source: str | None = None, min_sources: int = 0,
              limit: int | None = None) -> list[Incident]:
    """Incidents matching every filter given, by date then id; see ``rasd incidents --help``."""
    where, params = ["merged_into IS NULL", "independent_sources >= ?"], [min_sources]  # type: tuple[list[str], list[Any]]
    kinds = [k for k in kind if k]
    if kinds:
        marks = ",".join("?" * len(kinds))
        where.append(f"(event_type IN ({marks}) OR sub_event_type IN ({marks}))")
        params += kinds + kinds
    if place:
        where.append("(place LIKE ? ESCAPE '\\' OR admin1 LIKE ? ESCAPE '\\' OR country = ?)")
        params += [_like(place), _like(place), place.upper()]
    if since:
        where.append("COALESCE(date_end, date_start) >= ?")
        params.append(since.isoformat())
    if until:
        where.append("COALESCE(date_start, date_end) <= ?")
        params.append(until.isoformat())
    if source:
        where.append("EXISTS (SELECT 1 FROM incident_reports r JOIN documents d ON d.rowid = r.document"
                      " WHERE r.incident = incidents.id AND (d.publisher LIKE ? ESCAPE '\\'"
                      " OR json_extract(r.json, '$.event.attributed_to') LIKE ? ESCAPE '\\'))")
        params += [_like(source), _like(source)]
    sql = f"SELECT id, json FROM incidents WHERE {' AND '.join(where)} ORDER BY date_start, id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    out = []
    for row in store.query(sql, params):
        record = Incident.from_json(row["json"])
        record.history = _history(store, int(row["id"]))
        out.append(record)
    return out


def _like(text: str) -> str:
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
