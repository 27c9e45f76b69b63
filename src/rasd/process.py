"""The one orchestrator: read -> extract -> (link) -> store, batch by batch.

``ingest(paths, store)`` reads documents, skips bytes already stored, extracts
the rest in batches and stores each batch (documents, their extraction, one
row per figure and per event) in ONE transaction. A Ctrl-C or a kill therefore
leaves every committed document whole, with its figures and events, and
nothing of the batch in flight. The CLI, the server and any distributed
runner all call this module.

``extract_paths(paths)`` is the same reading and extraction without a store
(``rasd extract``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import settings
from .errors import InputError
from .ingest import Loaded, read
from .extract import pipeline
from .model import Document, Extraction
from .store.base import DuplicateDocumentError, Store, version_key

LOGGER = logging.getLogger(__name__)

PathArg = str | os.PathLike[str]

# ---------------------------------------------------------------------------------------
# HOOKS: functions called after each batch is written, INSIDE the batch's transaction
# (so what they write commits or rolls back with the documents). Each receives the
# store and the rowids of the documents stored in the batch. The link helper adds
# the incident update here: ``process.AFTER_BATCH.append(link.update_incidents)``.
# ---------------------------------------------------------------------------------------
AfterBatch = Callable[[Store, list[int]], object]
AFTER_BATCH: list[AfterBatch] = []

# link (issue 6): update incidents in place from each stored batch's events.
from .link.repository import update_incidents as _update_incidents  # noqa: E402

AFTER_BATCH.append(_update_incidents)


def _record_language(store: Store, rowids: list[int]) -> None:
    """documents.language from each stored extraction (set only for a language rasd cannot read)."""
    for rowid in rowids:
        store.execute("UPDATE documents SET language = json_extract(extraction, '$.document.language')"
                      " WHERE rowid = ? AND json_extract(extraction, '$.document.language') IS NOT NULL", (rowid,))


AFTER_BATCH.append(_record_language)


@dataclass
class IngestReport:
    """What one ``ingest`` call did."""

    read: int = 0  # documents read (good ones)
    new: int = 0  # stored for the first time
    unchanged: int = 0  # identical bytes already stored: nothing done
    new_version: int = 0  # changed bytes at a known path (or caller id): stored as version n+1
    failed: int = 0  # inputs that could not be read
    figures: int = 0  # figures stored
    events: int = 0  # events stored
    errors: list[InputError] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # ids of the documents stored
    unread: list[str] = field(default_factory=list)  # one line per document stored in a language rasd cannot read

    @property
    def stored(self) -> int:
        return self.new + self.new_version

    def summary(self) -> str:
        return (
            f"{self.read} read: {self.new} new, {self.new_version} new versions, {self.unchanged} unchanged;"
            f" {self.failed} failed; {self.figures} figures, {self.events} events stored"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "new": self.new, "unchanged": self.unchanged, "new_version": self.new_version,
            "failed": self.failed, "figures": self.figures, "events": self.events,
            "errors": [str(e) for e in self.errors], "documents": list(self.documents),
            "unread": list(self.unread),
        }


Progress = Callable[[IngestReport], None]


def to_input(doc: Document, published: dt.date | None = None) -> pipeline.Input:
    """A Document -> the pipeline's Input (``published`` is the fallback date)."""
    own = dt.date.fromisoformat(doc.published) if doc.published else None
    return pipeline.Input(
        text=doc.text, published=own or published, title=doc.title, publisher=doc.publisher,
        url=doc.url, id=doc.id, sha256=doc.sha256,
    )


def ingest(paths: Iterable[PathArg], store: Store, progress: Progress | None = None,
           batch_size: int | None = None) -> IngestReport:
    """Read, extract and store every document under ``paths``; see the module doc."""
    report = IngestReport()
    size = batch_size or int(settings.get("ingest_batch"))
    pending: list[Loaded] = []
    seen: set[str] = set()  # sha256 in the pending batch
    own = _store_files(store)
    for item in read(paths):
        if isinstance(item, InputError) and os.path.abspath(item.source) in own:
            LOGGER.debug("skipped the store's own file %s", item.source)
            continue
        if isinstance(item, InputError):
            report.failed += 1
            report.errors.append(item)
            LOGGER.info("skipped %s", item)
        else:
            report.read += 1
            if item.document.sha256 in seen or store.has_sha(item.document.sha256):
                report.unchanged += 1
                LOGGER.debug("unchanged, not stored again: %s", item.document.path)
            else:
                seen.add(item.document.sha256)
                pending.append(item)
        if len(pending) >= size:
            _store_batch(pending, store, report)
            pending, seen = [], set()
        if progress is not None:
            progress(report)
    if pending:
        _store_batch(pending, store, report)
        if progress is not None:
            progress(report)
    return report


def _store_files(store: Store) -> set[str]:
    """The database's own files: ``rasd ingest .`` beside rasd.db does not try to read them."""
    base = os.path.abspath(getattr(store, "path", "") or "")
    return {base + suffix for suffix in ("", "-wal", "-shm", "-journal")}


def extract_readable(inputs: list[pipeline.Input]) -> list[Extraction]:
    """Extract each input, in order; one in a language rasd cannot read (``language.unreadable``)
    gets an empty extraction whose ``document.language`` says which language it is."""
    from . import language

    codes = [language.unreadable(i.text) for i in inputs]
    readable = [i for i, code in zip(inputs, codes) if code is None]
    done = iter([ex for _, ex in pipeline.extract_inputs(readable)] if readable else [])
    return [next(done) if code is None else _unread(i, code) for i, code in zip(inputs, codes)]


def _unread(item: pipeline.Input, code: str) -> Extraction:
    from .model import DocumentInfo

    info = DocumentInfo(title=item.title, published=item.published.isoformat() if item.published else None,
                        publisher=item.publisher, sha256=item.sha256, url=item.url,
                        published_source="given" if item.published else None, language=code)
    return Extraction(id=item.id or item.sha256 or "", document=info)


def _store_batch(batch: list[Loaded], store: Store, report: IngestReport) -> None:
    write_batch(batch, extract_batch(batch), store, report)


def extract_batch(batch: list[Loaded]) -> list[Extraction]:
    """The extraction of each document of a batch, in order (no store: a Dask worker runs this)."""
    return extract_readable([to_input(item.document) for item in batch])


def write_batch(batch: list[Loaded], extracted: list[Extraction], store: Store, report: IngestReport) -> None:
    """Store a batch and its extractions in ONE transaction, link it, and count it in ``report``
    once committed. Bytes already stored (by anyone, at any moment) count as unchanged."""
    from . import language

    counts = {"new": 0, "new_version": 0, "unchanged": 0, "figures": 0, "events": 0}
    ids: list[str] = []
    unread: list[str] = []
    with store.transaction():
        rowids = []
        versions: dict[str, int] = {}
        for item, extraction in zip(batch, extracted):
            doc = item.document
            if store.has_sha(doc.sha256):  # another process stored these bytes since we looked
                counts["unchanged"] += 1
                continue
            key = version_key(doc)
            if key not in versions:
                latest = store.latest_version(key)
                versions[key] = latest.document.version if latest else 0
            versions[key] += 1
            doc.version = versions[key]
            doc.published = doc.published or extraction.document.published
            try:
                rowids.append(store.add_document(doc, item.raw, extraction))
            except DuplicateDocumentError:  # another writer stored these bytes a moment ago (PostgreSQL)
                versions[key] -= 1
                counts["unchanged"] += 1
                continue
            versions[key] = doc.version  # the store may have numbered it after a concurrent writer's
            counts["new" if doc.version == 1 else "new_version"] += 1
            counts["figures"] += len(extraction.figures)
            counts["events"] += len(extraction.events)
            ids.append(doc.id)
            if extraction.document.language:
                unread.append(language.message(doc.path or doc.id, extraction.document.language))
        for hook in AFTER_BATCH:
            hook(store, rowids)
    # counted only once the batch is committed
    report.new += counts["new"]
    report.new_version += counts["new_version"]
    report.unchanged += counts["unchanged"]
    report.figures += counts["figures"]
    report.events += counts["events"]
    report.documents.extend(ids)
    report.unread.extend(unread)


def extract_paths(paths: Iterable[PathArg], published: dt.date | None = None) -> Iterator[tuple[str, Extraction | InputError]]:
    """Read and extract without a store, in input order: ``(source, Extraction or InputError)``.

    ``published`` is used for documents that have no date of their own (no
    metadata or JSONL date and no dateline in the text).
    """
    def inputs() -> Iterator[tuple[str, pipeline.Input | InputError]]:
        for item in read(paths):
            if isinstance(item, InputError):
                yield item.source, item
            else:
                yield item.document.path or item.document.id, to_input(item.document, _fallback(item.document, published))

    # keep errors in their place in the order, extracting the documents in batches between them
    size = int(settings.get("ingest_batch"))
    pending: list[tuple[str, pipeline.Input | InputError]] = []
    for entry in inputs():
        pending.append(entry)
        if sum(1 for _, x in pending if not isinstance(x, InputError)) >= size:
            yield from _extract_pending(pending)
            pending = []
    yield from _extract_pending(pending)


def _fallback(doc: Document, published: dt.date | None) -> dt.date | None:
    """The fallback date, unless the text carries a dateline of its own."""
    if published is None or doc.published:
        return None
    from .extract import dates

    return None if dates.find_publication_date(doc.text) else published


def _extract_pending(pending: list[tuple[str, pipeline.Input | InputError]]) -> Iterator[tuple[str, Extraction | InputError]]:
    inputs = [x for _, x in pending if not isinstance(x, InputError)]
    results = iter(extract_readable(inputs))
    for source, x in pending:
        yield source, (x if isinstance(x, InputError) else next(results))
