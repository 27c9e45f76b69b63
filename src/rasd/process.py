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
import re
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
    failed: int = 0  # inputs that could not be read, or whose extraction failed
    restored: int = 0  # stored copies found changed (``rasd verify``) and rewritten from the bytes read
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
            + (f"; {self.restored} changed copies restored" if self.restored else "")
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read, "new": self.new, "unchanged": self.unchanged, "new_version": self.new_version,
            "failed": self.failed, "restored": self.restored, "figures": self.figures, "events": self.events,
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
            _fail(report, item)
        else:
            report.read += 1
            if item.document.sha256 in seen:
                report.unchanged += 1
            elif store.has_sha(item.document.sha256):
                known_item(item, store, report, pending, seen)
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


def _fail(report: IngestReport, error: InputError) -> None:
    report.failed += 1
    report.errors.append(error)
    LOGGER.info("skipped %s", error)


def known_item(item: Loaded, store: Store, report: IngestReport, pending: list[Loaded], seen: set[str]) -> None:
    """Bytes already stored: unchanged; a failed extraction named again (not retried); a stored copy
    found changed since (``rasd verify``'s checks) rewritten from these bytes."""
    doc = item.document
    failure = store.failure(doc.sha256)
    if failure is not None:
        report.unchanged += 1
        _fail(report, _input_error(doc, f"{failure}; stored with status 'error' when first ingested, not retried"))
        return
    from .verify import document_problems

    stored = store.document_by_sha(doc.sha256)
    problems = document_problems(store, stored.rowid, item.raw, doc.text) if stored is not None else []
    if not problems:
        report.unchanged += 1
        LOGGER.debug("unchanged, not stored again: %s", doc.path)
        return
    LOGGER.warning("%s: the stored copy was changed (%s); restored from the bytes read", doc.path, problems[0])
    seen.add(doc.sha256)
    pending.append(item)


def _input_error(doc: Document, reason: str) -> InputError:
    """An error naming the document's file (and line, for JSONL)."""
    path = doc.path or doc.id
    m = re.match(r"^(.*\.jsonl|<stdin>):(\d+)$", path)
    return InputError(m.group(1), reason, int(m.group(2))) if m else InputError(path, reason)


def _store_files(store: Store) -> set[str]:
    """The database's own files: ``rasd ingest .`` beside rasd.db does not try to read them."""
    base = os.path.abspath(getattr(store, "path", "") or "")
    return {base + suffix for suffix in ("", "-wal", "-shm", "-journal")}


def extract_readable(inputs: list[pipeline.Input]) -> list[Extraction | pipeline.Failure]:
    """Extract each input, in order; one in a language rasd cannot read (``language.unreadable``)
    gets an empty extraction whose ``document.language`` says which language it is."""
    from . import language

    codes = [language.unreadable(i.text) for i in inputs]
    readable = [i for i, code in zip(inputs, codes) if code is None]
    done = iter(list(pipeline.extract_isolated(readable)) if readable else [])
    return [next(done) if code is None else _unread(i, code) for i, code in zip(inputs, codes)]


def _unread(item: pipeline.Input, code: str) -> Extraction:
    from .model import DocumentInfo

    info = DocumentInfo(title=item.title, published=item.published.isoformat() if item.published else None,
                        publisher=item.publisher, sha256=item.sha256, url=item.url,
                        published_source="given" if item.published else None, language=code)
    return Extraction(id=item.id or item.sha256 or "", document=info)


def _store_batch(batch: list[Loaded], store: Store, report: IngestReport) -> None:
    write_batch(batch, extract_batch(batch), store, report)


def extract_batch(batch: list[Loaded]) -> list[Extraction | pipeline.Failure]:
    """The extraction of each document of a batch, in order (no store: a Dask worker runs this)."""
    return extract_readable([to_input(item.document) for item in batch])


def write_batch(batch: list[Loaded], extracted: list[Extraction | pipeline.Failure], store: Store, report: IngestReport) -> None:
    """Store a batch and its extractions in ONE transaction, link it, and count it in ``report``
    once committed. Bytes already stored (by anyone, at any moment) count as unchanged; a document
    whose extraction failed is stored with status 'error' and named."""
    from . import language

    counts = {"new": 0, "new_version": 0, "unchanged": 0, "restored": 0, "figures": 0, "events": 0}
    ids: list[str] = []
    unread: list[str] = []
    failures: list[InputError] = []
    with store.transaction():
        rowids = []
        versions: dict[str, int] = {}
        for item, extraction in zip(batch, extracted):
            doc = item.document
            stored = store.document_by_sha(doc.sha256)
            if stored is not None:  # a repair, or another process stored these bytes since we looked
                counts["unchanged" if _restore(store, stored.rowid, item, extraction, failures) else "restored"] += 1
                continue
            key = version_key(doc)
            if key not in versions:
                latest = store.latest_version(key)
                versions[key] = latest.document.version if latest else 0
            versions[key] += 1
            doc.version = versions[key]
            try:
                rowid, stored_as = _add(store, item, extraction, failures)
            except DuplicateDocumentError:  # another writer stored these bytes a moment ago (PostgreSQL)
                versions[key] -= 1
                counts["unchanged"] += 1
                continue
            versions[key] = doc.version  # the store may have numbered it after a concurrent writer's
            if stored_as is not None:
                rowids.append(rowid)
                counts["figures"] += len(stored_as.figures)
                counts["events"] += len(stored_as.events)
            counts["new" if doc.version == 1 else "new_version"] += 1
            ids.append(doc.id)
            if isinstance(extraction, Extraction) and extraction.document.language:
                unread.append(language.message(doc.path or doc.id, extraction.document.language))
        for hook in AFTER_BATCH:
            hook(store, rowids)
    for error in failures:
        _fail(report, error)
    # counted only once the batch is committed
    report.new += counts["new"]
    report.new_version += counts["new_version"]
    report.unchanged += counts["unchanged"]
    report.restored += counts["restored"]
    report.figures += counts["figures"]
    report.events += counts["events"]
    report.documents.extend(ids)
    report.unread.extend(unread)


def _add(store: Store, item: Loaded, result: Extraction | pipeline.Failure,
         failures: list[InputError]) -> tuple[int, Extraction | None]:
    """Store one document; a failed extraction, or one the store refuses, keeps the document (raw bytes,
    text) with status 'error' and its reason, named in ``failures``."""
    doc = item.document
    if isinstance(result, Extraction):
        doc.published = doc.published or result.document.published
        try:
            with store.savepoint():
                return store.add_document(doc, item.raw, result), result
        except DuplicateDocumentError:
            raise
        except Exception as exc:  # noqa: BLE001 - the document is kept, with the reason
            result = pipeline.Failure(f"could not be stored ({type(exc).__name__}: {exc})")
    failures.append(_input_error(doc, result.reason))
    return store.add_document(doc, item.raw, None, error=result.reason), None


def _restore(store: Store, rowid: int, item: Loaded, result: Extraction | pipeline.Failure,
             failures: list[InputError]) -> bool:
    """Rewrite a stored version found changed; False when it was fine after all (stored by another process)."""
    from .verify import document_problems

    if not document_problems(store, rowid, item.raw, item.document.text):
        return True
    if isinstance(result, Extraction):
        item.document.published = item.document.published or result.document.published
    if isinstance(result, pipeline.Failure):
        failures.append(_input_error(item.document, result.reason))
        store.replace_document(rowid, item.document, item.raw, None, error=result.reason)
    else:
        store.replace_document(rowid, item.document, item.raw, result)
    return False


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
    results = iter(extract_readable(inputs)) if inputs else iter([])
    for source, x in pending:
        if isinstance(x, InputError):
            yield source, x
            continue
        result = next(results)
        yield source, (result if isinstance(result, Extraction) else _input_error(_as_document(source), result.reason))


def _as_document(source: str) -> Document:
    return Document(id=source, sha256="", text="", path=source)
