"""Shared fixtures. Tests that read ../shared skip with a clear message when it is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} not found: this test needs ../shared beside the repository ({path})")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (skips when absent)."""
    return _need(SHARED)


@pytest.fixture(scope="session")
def corpus_text(shared: Path) -> str:
    return _need(shared / "corpus" / "idlib-2020-02.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_expected(shared: Path) -> dict[str, Any]:
    return json.loads(_need(shared / "corpus" / "idlib-2020-02.expected.json").read_text(encoding="utf-8"))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in _need(path).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def corpus_extraction(corpus_text: str, corpus_expected: dict[str, Any]) -> Any:
    """The corpus article extracted once for the whole session."""
    import rasd

    return rasd.extract(corpus_text, published=corpus_expected["published"])
