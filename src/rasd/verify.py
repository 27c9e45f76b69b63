"""``rasd verify``: is every stored document still what was read, and its evidence still in its text?

For every stored version: the raw bytes are hashed again and compared with the
sha256 they were stored under; the text is derived again from the raw bytes
(the same readers as ``rasd ingest``) and compared with the stored text; each
figure's and event's row is compared with its JSON record and with the
document's extraction, and every evidence span is checked against the text
(``text[start:end] == span.text``). Each disagreement is one ``Mismatch``
naming the document and what differs. Re-ingesting the original bytes repairs a
document found changed (``process.ingest`` calls ``document_problems``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .ingest.jsonl import load_line
from .ingest.raw import sha256
from .ingest.text import load_file
from .model import Event, Extraction, Figure, Span
from .store.base import Store
from .store.sqlite import _event_columns, _figure_columns

_JSONL_PATH = re.compile(r"^(?P<file>.*):(?P<line>\d+)$")
_FIGURE_FIELDS = ("kind", "who", "low", "best", "high", "qualifier", "aggregate", "period_start", "period_end",
                  "period_precision", "place", "geonameid", "admin1", "country", "lat", "lon", "attributed_to", "via")
_EVENT_FIELDS = ("main", "event_type", "sub_event_type", "date_start", "date_end", "date_precision", "place",
                 "geonameid", "admin1", "country", "lat", "lon", "place_precision", "actor1", "actor2",
                 "attributed_to", "via")


@dataclass(frozen=True)
class Mismatch:
    """One thing stored that is not what was read: the document, what (``raw``, ``text``, ``F12``, ``E3``), why."""

    document: str
    path: str | None
    what: str
    reason: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.document}{where}: {self.what}: {self.reason}"


@dataclass
class VerifyReport:
    documents: int = 0
    figures: int = 0
    events: int = 0
    failed_extractions: int = 0  # documents stored with status 'error' (not a mismatch)

    def summary(self, mismatches: int) -> str:
        return (f"{self.documents} documents, {self.figures} figures, {self.events} events verified:"
                f" {mismatches} mismatches; {self.failed_extractions} documents stored with a failed extraction")


def verify(store: Store, report: VerifyReport | None = None) -> Iterator[Mismatch]:
    """Every mismatch in the store, document by document (every version)."""
    report = report if report is not None else VerifyReport()
    rowids = [r["rowid"] for r in store.query("SELECT rowid FROM documents ORDER BY rowid")]
    for rowid in rowids:
        row = _document_row(store, rowid)
        report.documents += 1
        report.failed_extractions += row["status"] == "error"
        report.figures += _count(store, "figures", rowid)
        report.events += _count(store, "events", rowid)
        yield from document_problems(store, rowid, row=row)


def document_problems(store: Store, rowid: int, raw: bytes | None = None, text: str | None = None,
                      row: dict[str, Any] | None = None) -> list[Mismatch]:
    """What is wrong with one stored version. ``raw`` / ``text``: the bytes just read and their text
    (a re-ingest), compared instead of deriving the text again."""
    row = row or _document_row(store, rowid)
    out: list[Mismatch] = []

    def bad(what: str, reason: str) -> None:
        out.append(Mismatch(row["id"], row["path"], what, reason))

    stored_raw = bytes(row["raw"] or b"")
    digest = sha256(stored_raw)
    if digest != row["sha256"]:
        bad("raw", f"the raw bytes ({len(stored_raw)} bytes) hash to {digest[:12]}…, not to the stored sha256 {row['sha256'][:12]}…")
    elif raw is not None and raw != stored_raw:
        bad("raw", "the stored raw bytes differ from the bytes read")
    if text is None and digest == row["sha256"]:
        text = _derive_text(row, stored_raw, bad)
    if text is not None and text != row["text"]:
        bad("text", f"the stored text differs from the text of the raw bytes at character {_first_difference(text, row['text'])}")
    _check_records(store, rowid, row, bad)
    return out


def _check_records(store: Store, rowid: int, row: dict[str, Any], bad: Any) -> None:
    text: str = row["text"]
    extraction = None
    if row["extraction"]:
        try:
            extraction = Extraction.from_json(row["extraction"])
        except (ValueError, TypeError, KeyError) as exc:
            bad("extraction", f"the stored extraction is not a valid record ({exc})")
    for table, cls, fields in (("figures", Figure, _FIGURE_FIELDS), ("events", Event, _EVENT_FIELDS)):
        rows = store.query(f"SELECT * FROM {table} WHERE document = ? ORDER BY idx", (rowid,))
        records = (extraction.figures if table == "figures" else extraction.events) if extraction else []
        if extraction is not None and len(rows) != len(records):
            bad(table, f"{len(rows)} rows stored but the extraction holds {len(records)}")
        for r in rows:
            _check_row(r, cls, fields, records, text, bad, ("F" if table == "figures" else "E") + str(r["id"]))


def _check_row(r: dict[str, Any], cls: Any, fields: tuple[str, ...], records: list[Any], text: str, bad: Any,
               name: str) -> None:
    try:
        record = cls.from_json(r["json"])
    except (ValueError, TypeError, KeyError) as exc:
        bad(name, f"its JSON is not a valid record ({exc})")
        return
    columns = (_figure_columns if cls is Figure else _event_columns)(record)
    for f, want in zip(fields, columns):
        if not _same(r[f], want):
            bad(name, f"column {f} is {r[f]!r} but its JSON says {want!r}")
    if 0 <= r["idx"] < len(records) and records[r["idx"]].to_dict() != record.to_dict():
        bad(name, "its JSON differs from the document's extraction")
    for label in ("evidence", "sentence", "number"):
        span = getattr(record, label, None)
        if isinstance(span, Span) and text[span.start : span.end] != span.text:
            bad(name, f"{label} {span.start}-{span.end} reads {text[span.start:span.end][:60]!r} in the document,"
                      f" not {span.text[:60]!r}")


def _same(stored: Any, want: Any) -> bool:
    if isinstance(stored, float) or isinstance(want, float):
        return stored is not None and want is not None and abs(float(stored) - float(want)) < 1e-9
    return bool(stored == want)


def _derive_text(row: dict[str, Any], raw: bytes, bad: Any) -> str | None:
    path = row["path"] or ""
    m = _JSONL_PATH.match(path)
    try:
        if m and raw.lstrip()[:1] == b"{":
            return load_line(m.group("file"), path, raw, int(m.group("line"))).document.text
        fmt = row["format"] if row["format"] in ("text", "markdown", "html") else "text"
        return load_file(path, path, raw, fmt).document.text
    except InputError as exc:
        bad("raw", f"the raw bytes no longer read as a document ({exc.reason})")
        return None


def _document_row(store: Store, rowid: int) -> dict[str, Any]:
    rows = store.query("SELECT rowid, id, sha256, path, format, text, raw, extraction, status FROM documents"
                       " WHERE rowid = ?", (rowid,))
    return rows[0]


def _count(store: Store, table: str, rowid: int) -> int:
    return int(store.query(f"SELECT count(*) AS n FROM {table} WHERE document = ?", (rowid,))[0]["n"])


def _first_difference(a: str, b: str) -> int:
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def as_json(mismatches: list[Mismatch]) -> str:
    return json.dumps([m.__dict__ for m in mismatches], ensure_ascii=False, indent=2)
