"""The view: a read-only REST API and the map page (``rasd serve``)."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
