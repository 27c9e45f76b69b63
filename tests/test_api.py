"""The public API: ``rasd.__all__`` names exactly what exists, each documented."""

from __future__ import annotations

import inspect
import re

import pytest

import rasd


def _auto_doc(obj: object) -> bool:
    """dataclasses write ``Name(field: type, ...)`` when a class has no docstring of its own."""
    doc = inspect.getdoc(obj) or ""
    return bool(re.match(rf"{re.escape(getattr(obj, '__name__', ''))}\(", doc))


@pytest.mark.parametrize("name", rasd.__all__)
def test_name_exists_and_is_documented(name: str) -> None:
    assert hasattr(rasd, name), f"rasd.__all__ names {name!r}, which rasd does not define"
    obj = getattr(rasd, name)
    if name == "__version__":
        assert re.fullmatch(r"\d+\.\d+\.\d+", obj)
        return
    assert callable(obj), name
    doc = obj.__doc__ or ""
    assert doc.strip() and not _auto_doc(obj), f"rasd.{name} has no docstring of its own"


def test_all_has_no_duplicates() -> None:
    assert len(set(rasd.__all__)) == len(rasd.__all__)


def test_public_names_are_in_all() -> None:
    public = {n for n, v in vars(rasd).items() if not n.startswith("_") and not inspect.ismodule(v)}
    assert public <= set(rasd.__all__) | {"annotations"}, public - set(rasd.__all__)


@pytest.mark.parametrize("name", ["ingest", "open_store", "extract_paths", "extract", "read_documents"])
def test_entry_points_are_functions(name: str) -> None:
    assert inspect.isfunction(getattr(rasd, name))


def test_reader_subpackage_still_importable() -> None:
    from rasd.ingest import read

    assert inspect.isgeneratorfunction(read)
