"""rasd: conflict reporting -> a sourced incident database.

The library is the product; the CLI is one face of it.
"""

from __future__ import annotations

from .errors import DependencyError, InputError, NotFoundError, RasdError, StoreError
from .extract.pipeline import extract_text as extract
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

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "DependencyError",
    "Document",
    "DocumentInfo",
    "Event",
    "Extraction",
    "Figure",
    "Incident",
    "InputError",
    "NotFoundError",
    "Period",
    "Place",
    "RasdError",
    "Span",
    "StoreError",
    "__version__",
    "extract",
]
