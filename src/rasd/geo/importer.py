"""Import an official GeoNames dump (``XX.zip``, ``allCountries.zip``, ``cities*.zip``,
``alternateNamesV2.zip`` or the ``.txt`` inside).

Rows are streamed in batches into the gazetteer file; importing the same file
twice changes nothing (places are keyed by geonameid, names are unique).
Populated places (P), areas (L) and terrain (T) enter the phrase automaton;
other classes are stored for lookups only. An alternate-names file (10 columns, or
8 in the older ``alternateNames``) adds the Latin-script names of places already
in the gazetteer; codes, links and colloquial names are left out. Each import is
recorded in the file's ``meta`` table (``rasd gazetteer status`` lists them).
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ..errors import RasdError
from . import gazetteer
from .gazetteer import name_rows, refresh_admin_and_countries
from .keys import is_latin, key

LOGGER = logging.getLogger(__name__)
BATCH = 10_000
AUTOMATON_CLASSES = frozenset("PLT")
N_COLUMNS = 19


# alternate names that are no names: links, postcodes, airport and other codes, pronunciations
SKIP_LANGUAGES = frozenset("link post iata icao faac abbr wkdt unlc phon piny fr_1793 tcid".split())
_ALT_LIMITS = (8, 10)


@contextmanager
def _open_dump(path: Path) -> Iterator[tuple[IO[str], int]]:
    """The dump's text stream and its size in bytes (for progress): in a zip, the .txt named like the zip
    (``alternateNamesV2.txt`` in ``alternateNamesV2.zip``, beside ``iso-languagecodes.txt``), else the largest."""
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if m.filename.endswith(".txt") and "readme" not in m.filename.lower()]
            if not members:
                raise RasdError(f"{path}: no GeoNames .txt file inside the zip")
            members.sort(key=lambda m: (Path(m.filename).stem != path.stem, -m.file_size))
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
    """Add a GeoNames dump to the gazetteer; returns the number of rows read (places, or alternate names).

    ``progress`` is called with the number of bytes read since the last call."""
    path = Path(path)
    if not path.exists():
        raise RasdError(f"{path}: no such file")
    target = gazetteer.load(gazetteer_path).path
    db = sqlite3.connect(target)
    try:
        with _open_dump(path) as (stream, _size):
            lines = _counted(stream, progress)
            head: list[str] = []
            first = next(lines, "")
            while first.startswith("#"):  # a comment or two, then data
                head.append(first)
                first = next(lines, "")
            n_cols = len(first.rstrip("\n").split("\t"))
            rows = itertools.chain(head, [first], lines)
            if n_cols in _ALT_LIMITS:
                count = _import_alternates(db, rows)
            else:
                count = _import_places(db, rows)
                refresh_admin_and_countries(db)
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   (f"import:{path.name}", json.dumps({"rows": count, "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})))
        db.commit()
    finally:
        db.close()
    gazetteer.forget(target)
    LOGGER.info("imported %d GeoNames rows from %s into %s", count, path, target)
    return count


def _counted(stream: IO[str], progress: Callable[[int], None] | None) -> Iterator[str]:
    for line in stream:
        if progress:
            progress(len(line.encode("utf-8")))
        yield line


def _import_places(db: sqlite3.Connection, lines: Iterable[str]) -> int:
    count = 0
    places: list[tuple[Any, ...]] = []
    names: list[tuple[str, str, str, int, int]] = []
    for line in lines:
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
    return count


def _alternate(line: str) -> tuple[str, str] | None:
    """(key, geonameid) of one alternate-names row worth a name, else None."""
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 8 or not cols[1].isdigit() or cols[2] in SKIP_LANGUAGES or cols[6] == "1":
        return None
    name = cols[3]
    if name == name.lower() or name == name.upper():
        return None  # romanisations of other scripts and codes, as for the places' own alternates
    k = key(name)
    return (k, cols[1]) if len(k) >= 4 and is_latin(k) else None


def _import_alternates(db: sqlite3.Connection, lines: Iterable[str]) -> int:
    """Names of places already in the gazetteer, joined in batches through a temporary table."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS alt(key TEXT, ref TEXT)")
    count = 0
    batch: list[tuple[str, str]] = []
    for line in lines:
        got = _alternate(line)
        count += 1
        if got is not None:
            batch.append(got)
        if len(batch) >= BATCH:
            _flush_alternates(db, batch)
    _flush_alternates(db, batch)
    return count


def _flush_alternates(db: sqlite3.Connection, batch: list[tuple[str, str]]) -> None:
    db.executemany("INSERT INTO alt VALUES (?, ?)", batch)
    db.execute("INSERT OR IGNORE INTO names SELECT a.key, 'P', a.ref, 0, p.fclass IN ('P', 'L', 'T') "
               "FROM alt a JOIN places p ON p.geonameid = CAST(a.ref AS INTEGER)")
    db.execute("DELETE FROM alt")
    batch.clear()


def _flush(db: sqlite3.Connection, places: list[tuple[Any, ...]], names: list[tuple[str, str, str, int, int]]) -> None:
    db.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?)", names)
    places.clear()
    names.clear()
