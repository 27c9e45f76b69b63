"""Corrections through the REST API (filled in with the review module)."""

from __future__ import annotations

from fastapi import FastAPI


def register(app: FastAPI, path: str, write_token: str | None) -> None:
    """Add the review routes to ``app``."""
