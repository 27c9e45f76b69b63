"""The store interface: what every backend (SQLite today, PostgreSQL later) provides.

A store keeps every version of every document with its raw bytes, the
document's extraction, and one row per figure and per event (flat columns for
querying, the record as JSON). Parts of rasd that need tables of their own
(incidents, the gazetteer cache, ...) add numbered migrations and use the
narrow ``execute`` / ``query`` escape hatch.

IDs shown to users: figures ``F<id>``, events ``E<id>``, incidents ``I<id>``;
documents by their ``id`` (the caller's id, else the sha256 of the raw bytes),
of which a unique prefix of at least 8 characters is accepted.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, RasdError, StoreError
from ..model import Document, Event, Extraction, Figure

MIN_PREFIX = 8


class DuplicateDocumentError(StoreError):
    """These exact bytes are stored already (another writer may have stored them a moment ago)."""


class FilterError(RasdError):
    """A filter argument of the wrong type or form."""


@dataclass
class StoredDocument:
    """One stored version of a document: the record plus what the store adds."""

    rowid: int
    document: Document
    ingested_at: str
    extraction: Extraction | None = None
    error: str | None = None  # why its extraction failed (status 'error'), else None

    @property
    def id(self) -> str:
        return self.document.id

    def summary(self) -> dict[str, Any]:
        d = self.document
        return {
            "id": d.id,
            "title": d.title,
            "publisher": d.publisher,
            "published": d.published,
            "path": d.path,
            "url": d.url,
            "version": d.version,
            "sha256": d.sha256,
        }


@dataclass
class FigureHit:
    """A stored figure with the document it came from."""

    rowid: int
    figure: Figure
    document: StoredDocument
    index: int  # in the document's extraction

    @property
    def id(self) -> str:
        return f"F{self.rowid}"


@dataclass
class EventHit:
    """A stored event with the document it came from (and its figures' ids)."""

    rowid: int
    event: Event
    document: StoredDocument
    index: int
    figure_ids: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"E{self.rowid}"


@dataclass
class SearchHit:
    document: StoredDocument
    snippet: str
    rank: float


@dataclass
class Filters:
    """What ``figures()`` and ``events()`` select. Every field is optional.

    ``kind``: figure kinds (``killed``, ...) or, for events, event or sub-event types.
    ``place``: part of the place name, or its admin1, or a country code.
    ``since`` / ``until``: the figure's period (or event's date) overlaps this range;
    records without a date fall back to the document's publication date.
    ``source``: part of the publisher, ``attributed_to`` or ``via``.
    ``aggregate``: figures only; True for totals over many incidents.
    ``document``: only this document's rows (a document id or prefix).
    ``all_versions``: include documents superseded by a newer version.
    ``include_rejected``: include the figures and events a person rejected (``rasd review ... --reject``);
    left out by default, as a person said they are wrong.
    """

    kind: Sequence[str] = ()
    place: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    source: str | None = None
    aggregate: bool | None = None
    document: str | None = None
    all_versions: bool = False
    limit: int | None = None
    include_rejected: bool = False

    def __post_init__(self) -> None:
        """Bad arguments are a RasdError naming the field (a str ``kind`` is one kind, an ISO str a date)."""
        if isinstance(self.kind, str):
            self.kind = (self.kind,)
        if not all(isinstance(k, str) for k in self.kind):
            raise FilterError(f"kind must be strings, got {self.kind!r}")
        from ..model import FIGURE_KINDS
        from ..taxonomy import EVENT_NAMES, check_known

        # a kind outside the taxonomy would match nothing: named, with the closest known value
        check_known(self.kind, (*FIGURE_KINDS, *EVENT_NAMES), "figure kind or event type")
        for name in ("since", "until"):
            value = getattr(self, name)
            if isinstance(value, str):
                try:
                    setattr(self, name, dt.date.fromisoformat(value))
                except ValueError:
                    raise FilterError(f"{name} is not an ISO date (YYYY-MM-DD): {value!r}") from None
            elif value is not None and not isinstance(value, dt.date):
                raise FilterError(f"{name} must be a date, not {type(value).__name__}")
        for name in ("place", "source", "document"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or "\x00" in value):
                raise FilterError(f"{name} must be text without NUL characters, got {value!r}")
        if self.limit is not None and (isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1):
            raise FilterError(f"limit must be a positive integer, got {self.limit!r}")


class Store(abc.ABC):
    """The interface a backend implements. Use it as a context manager to close it."""

    path: str

    # -- lifecycle -----------------------------------------------------------------
    @abc.abstractmethod
    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet, in number order; return their names."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction (re-entrant: an inner block joins the outer one)."""

    def lock_linking(self) -> None:
        """Inside a transaction: keep other writers from linking until it ends.

        SQLite needs nothing (``BEGIN IMMEDIATE`` already admits one writer);
        PostgreSQL takes an advisory lock."""

    # -- documents -----------------------------------------------------------------
    @abc.abstractmethod
    def add_document(self, document: Document, raw: bytes, extraction: Extraction | None = None,
                     error: str | None = None) -> int:
        """Store one document version with its extraction's figures and events; return its rowid.

        The caller sets ``document.version``; identical bytes (same sha256) are
        refused with a ``DuplicateDocumentError`` (check ``document_by_sha`` first). ``error``:
        the extraction failed for this reason; the document is kept (raw bytes, text)
        with status ``error`` and no figures or events.
        """

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested transaction: what is written inside is undone alone when it raises."""
        return self.transaction()

    def replace_document(self, rowid: int, document: Document, raw: bytes, extraction: Extraction | None,
                         error: str | None = None) -> None:
        """Rewrite a stored version from its original bytes (a repair), its figures and events keeping their ids."""
        raise StoreError(f"{type(self).__name__} cannot repair a stored document")

    def failure(self, sha256: str) -> str | None:
        """Why the extraction of the document stored with these bytes failed, or None."""
        return None

    def add_documents(self, items: Iterable[tuple[Document, bytes, Extraction | None]]) -> list[int]:
        """Store several documents in one transaction."""
        with self.transaction():
            return [self.add_document(doc, raw, extraction) for doc, raw, extraction in items]

    @abc.abstractmethod
    def document_by_sha(self, sha256: str) -> StoredDocument | None: ...

    def has_sha(self, sha256: str) -> bool:
        """Whether these exact bytes are stored already (re-ingesting them is a no-op)."""
        return self.document_by_sha(sha256) is not None

    @abc.abstractmethod
    def latest_version(self, key: str) -> StoredDocument | None:
        """The newest version stored under a version key (caller id, else path)."""

    @abc.abstractmethod
    def document_by_path(self, path: str) -> StoredDocument | None:
        """The newest version read from ``path`` (a file's absolute path, or ``FILE:LINE`` for JSONL)."""

    @abc.abstractmethod
    def document(self, ref: str) -> StoredDocument:
        """A document by id, sha256 or unique prefix (>= 8 chars); newest version. NotFoundError if none."""

    @abc.abstractmethod
    def document_by_rowid(self, rowid: int) -> StoredDocument: ...

    @abc.abstractmethod
    def documents(self, all_versions: bool = False, limit: int | None = None) -> Iterator[StoredDocument]: ...

    @abc.abstractmethod
    def raw(self, rowid: int) -> bytes:
        """The raw bytes a document version was read from."""

    # -- figures and events --------------------------------------------------------
    @abc.abstractmethod
    def figures(self, filters: Filters | None = None) -> list[FigureHit]: ...

    @abc.abstractmethod
    def events(self, filters: Filters | None = None) -> list[EventHit]: ...

    @abc.abstractmethod
    def figure(self, rowid: int) -> FigureHit: ...

    @abc.abstractmethod
    def event(self, rowid: int) -> EventHit: ...

    def get(self, ref: str) -> FigureHit | EventHit | StoredDocument:
        """Whatever a user-facing id names: ``F12``, ``E3`` or a document id / prefix."""
        ref = ref.strip()
        if len(ref) > 1 and ref[0] in "FfEe" and ref[1:].isascii() and ref[1:].isdigit():
            n = int(ref[1:])
            return self.figure(n) if ref[0] in "Ff" else self.event(n)
        return self.document(ref)

    # -- search and counts ---------------------------------------------------------
    @abc.abstractmethod
    def search(self, query: str, limit: int = 20, marks: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        """Full-text search over document titles and text (every word must match).

        The snippet marks matched words with ``marks``."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Rows per table: documents, figures, events."""

    # -- escape hatch for the other parts' own tables --------------------------------
    @abc.abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement (inside ``transaction()`` for several); return rows changed."""

    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Run one read statement; rows as dicts."""


def version_key(document: Document) -> str:
    """What the versions of one document share: its id when that is not the sha256 of its bytes
    (a caller's id, or for JSONL lines the sha256 of the text), else the path it was read from."""
    if document.id and document.id != document.sha256:
        return document.id
    return document.path or document.sha256


def _correction_of(c: str, target: str, item: str, doc: str) -> str:
    """SQL: correction row ``c`` concerns figure/event row ``item`` of document row ``doc``: made on this
    version at its index, or on another version of the same document with the same evidence words
    (how ``review.corrected`` carries a correction to a new version)."""
    return (f"{c}.target = '{target}' AND ({c}.document = {doc}.sha256 AND {c}.idx = {item}.idx"
            f" OR {c}.document <> {doc}.sha256 AND {c}.doc_key = {doc}.key"
            f" AND {c}.evidence = json_extract({item}.json, '$.evidence.text'))")


def not_rejected(target: str, item: str, doc: str = "d") -> str:
    """SQL true when the ``target`` ('figure' or 'event') row ``item`` of document row ``doc`` has no
    standing rejection: no ``reject`` correction, or one a later ``accept`` overrode. Names only constants
    and aliases (no user text)."""
    if target not in ("figure", "event"):
        raise ValueError(f"target must be 'figure' or 'event', not {target!r}")
    return (f"NOT EXISTS (SELECT 1 FROM corrections rj WHERE rj.action = 'reject' AND {_correction_of('rj', target, item, doc)}"
            f" AND NOT EXISTS (SELECT 1 FROM corrections ac WHERE ac.action = 'accept' AND ac.id > rj.id"
            f" AND {_correction_of('ac', target, item, doc)}))")


def edited(target: str, item: str, doc: str = "d") -> str:
    """SQL true when the ``target`` ('figure' or 'event') row ``item`` of document row ``doc`` has an edit
    correction (a kind or type asked for may be its corrected one). Names only constants and aliases."""
    if target not in ("figure", "event"):
        raise ValueError(f"target must be 'figure' or 'event', not {target!r}")
    return f"EXISTS (SELECT 1 FROM corrections ed WHERE ed.action = 'edit' AND {_correction_of('ed', target, item, doc)})"


def not_found(what: str, ref: str) -> NotFoundError:
    return NotFoundError(f"no {what} {ref!r} in the store (see `rasd figures`, `rasd events`, `rasd search`)")
