"""rasd: conflict reporting -> a sourced incident database.

The library is the product; the CLI is one face of it::

    import rasd

    record = rasd.extract(text, published="2020-02-07")    # what `rasd extract` prints
    with rasd.open_store("rasd.db") as store:              # --db, else $RASD_DB, else ./rasd.db
        report = rasd.ingest(["reports/"], store)          # what `rasd ingest` does
        killed = store.figures(rasd.Filters(kind=["killed"], place="Idlib"))

Note: ``rasd.ingest`` is the function; the readers live in the subpackage,
reached with ``from rasd.ingest import read``.
"""

from __future__ import annotations

from .errors import DependencyError, InputError, NotFoundError, RasdError, StoreError, UsageError
from .ingest import read_documents
from .process import IngestReport, extract_paths, ingest
from .store import Filters, Store, open_store
from .model import (
    Actor,
    Document,
    DocumentInfo,
    Event,
    Extraction,
    Figure,
    Incident,
    Period,
    Place,
    Span,
)

from .public import extract  # last: binding the name after the subpackage rasd.extract is imported

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "DependencyError",
    "Document",
    "DocumentInfo",
    "Event",
    "Extraction",
    "Figure",
    "Filters",
    "Incident",
    "IngestReport",
    "InputError",
    "NotFoundError",
    "Period",
    "Place",
    "RasdError",
    "Span",
    "Store",
    "StoreError",
    "UsageError",
    "__version__",
    "extract",
    "extract_paths",
    "ingest",
    "open_store",
    "read_documents",
]
