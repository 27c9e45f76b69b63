"""Bytes -> Documents: ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl``, directories, ``-`` (stdin),
and ``http(s)://`` URLs (fetched politely through trafilatura: ``web.py``).

``read(paths)`` is a generator of ``Loaded`` (a Document with the raw bytes it
came from) and ``InputError`` items, so that one bad file never stops a batch:
the caller reports the errors and goes on. Directories are walked recursively
in sorted order (hidden files skipped), so a batch is read the same way every
time. Every document carries the sha256 of its raw bytes (for JSONL, of its
line) and, as ``path``, the absolute path it was read from (``FILE:LINE`` for
JSONL).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..model import Document
from .jsonl import parse_published, read_lines
from .raw import Loaded, max_bytes, too_big
from .text import FORMATS, load_file
from .web import is_url, read_url

STDIN = "-"
SUFFIXES: tuple[str, ...] = (*FORMATS, ".jsonl")
Item = Loaded | InputError


def read(paths: Iterable[str | os.PathLike[str]], stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every document under ``paths`` (files, directories, ``-``), with an InputError per bad input."""
    for arg in paths:
        name = os.fspath(arg)
        if name == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from read_lines("<stdin>", "<stdin>", stream)
            continue
        if is_url(name):
            yield from read_url(name)
            continue
        path = Path(name)
        if path.is_dir():
            yield from _read_dir(path)
        elif path.exists():
            yield from read_file(path, explicit=True)
        else:
            yield InputError(name, "no such file or directory")


def read_documents(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Document | InputError]:
    """Like ``read`` without the raw bytes."""
    for item in read(paths):
        yield item if isinstance(item, InputError) else item.document


def read_file(path: Path, explicit: bool = False) -> Iterator[Item]:
    """One file (by its extension); ``explicit`` when the user named it rather than a folder holding it."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        what = f"unsupported file type {suffix!r}" if suffix else "no file extension"
        yield InputError(source, f"{what}; rasd reads {', '.join(SUFFIXES)}")
        return
    absolute = str(path.resolve())
    try:
        if suffix == ".jsonl":
            with path.open("rb") as stream:
                yield from read_lines(source, absolute, stream)
            return
        size = path.stat().st_size
        if size > max_bytes():
            yield too_big(source, size)
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(source, exc.strerror or str(exc))
        return
    try:
        yield load_file(source, absolute, data, FORMATS[suffix])
    except InputError as exc:
        yield exc


def _read_dir(root: Path) -> Iterator[Item]:
    for path in walk(root):
        yield from read_file(path)


def walk(root: Path) -> Iterator[Path]:
    """Files under ``root``, recursively, sorted, hidden files and folders skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def estimate(paths: Iterable[str | os.PathLike[str]]) -> int | None:
    """How many documents ``read(paths)`` will yield, cheaply (None when reading stdin)."""
    total = 0
    for arg in paths:
        name = os.fspath(arg)
        if name == STDIN:
            return None
        if is_url(name):
            total += 1
            continue
        path = Path(name)
        files = walk(path) if path.is_dir() else [path]
        for f in files:
            total += _count(f)
    return total


def _count(path: Path) -> int:
    if path.suffix.lower() != ".jsonl":
        return 1
    try:
        with path.open("rb") as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return 1


__all__ = [
    "SUFFIXES",
    "InputError",
    "Loaded",
    "estimate",
    "parse_published",
    "read",
    "read_documents",
    "read_file",
    "walk",
]
