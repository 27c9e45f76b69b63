"""Import an official GeoNames dump (``XX.zip``, ``allCountries.zip``, ``cities*.zip`` or the ``.txt``).

Rows are streamed in batches into the gazetteer file; importing the same file
twice changes nothing (places are keyed by geonameid, names are unique).
Populated places (P), areas (L) and terrain (T) enter the phrase automaton;
other classes are stored for lookups only.
"""

from __future__ import annotations

import io
import logging
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import RasdError
from . import gazetteer
from .gazetteer import name_rows, refresh_admin_and_countries

LOGGER = logging.getLogger(__name__)
BATCH = 10_000
AUTOMATON_CLASSES = frozenset("PLT")
N_COLUMNS = 19


@contextmanager
def _open_dump(path: Path) -> Iterator[tuple[IO[str], int]]:
    """The dump's text stream and its size in bytes (for progress)."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if m.filename.endswith(".txt") and "readme" not in m.filename.lower()]
            if not members:
                raise RasdError(f"{path}: no GeoNames .txt file inside the zip")
            with zf.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8"), members[0].file_size
    else:
        with open(path, encoding="utf-8") as fh:
            yield fh, path.stat().st_size


def _parse(line: str) -> tuple[tuple[Any, ...], list[str]] | None:
    cols = line.rstrip("\n").split("\t")
    if len(cols) < N_COLUMNS or not cols[0].isdigit():
        return None
    try:
        row = (int(cols[0]), cols[1], float(cols[4]), float(cols[5]), cols[8] or None, cols[10] or None,
               cols[11] or None, int(cols[14] or 0), cols[6] or None, cols[7] or None)
    except ValueError:
        return None
    alternates = [a for a in cols[3].split(",") if a]
    if cols[2] and cols[2] != cols[1]:
        alternates.insert(0, cols[2])
    return row, alternates


def import_dump(path: Path, gazetteer_path: Path | None = None,
                progress: Callable[[int], None] | None = None) -> int:
    """Add a GeoNames dump to the gazetteer; returns the number of places read.

    ``progress`` is called with the number of bytes read since the last call."""
    path = Path(path)
    if not path.exists():
        raise RasdError(f"{path}: no such file")
    target = gazetteer.load(gazetteer_path).path
    db = sqlite3.connect(target)
    count = 0
    try:
        with _open_dump(path) as (stream, _size):
            places: list[tuple[Any, ...]] = []
            names: list[tuple[str, str, str, int, int]] = []
            for line in stream:
                if progress:
                    progress(len(line.encode("utf-8")))
                parsed = _parse(line)
                if parsed is None:
                    continue
                row, alternates = parsed
                places.append(row)
                names.extend(name_rows(int(row[0]), str(row[1]), alternates, row[8] in AUTOMATON_CLASSES))
                count += 1
                if len(places) >= BATCH:
                    _flush(db, places, names)
            _flush(db, places, names)
        refresh_admin_and_countries(db)
        db.commit()
    finally:
        db.close()
    gazetteer.forget(target)
    LOGGER.info("imported %d GeoNames rows from %s into %s", count, path, target)
    return count


def _flush(db: sqlite3.Connection, places: list[tuple[Any, ...]], names: list[tuple[str, str, str, int, int]]) -> None:
    db.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?)", names)
    places.clear()
    names.clear()
