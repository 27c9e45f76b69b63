"""Incidents in the store: incremental updates, relink, history, the commands and exports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_link import extraction_of, rows

from rasd.cli import main
from rasd.errors import StoreError
from rasd.link import repository
from rasd.link.export import ACLED_COLUMNS
from rasd.model import Document
from rasd.store import SQLiteStore, open_store

DATA = Path(__file__).parent / "data" / "incidents"


def _add(store: SQLiteStore, row: dict[str, Any], like: str | None = None) -> int:
    raw = json.dumps(row).encode("utf-8")
    doc = Document(id=row["id"], sha256=hashlib.sha256(raw).hexdigest(), text=row["text"], title=row["title"],
                   published=row["published"], publisher=row["publisher"], format="jsonl")
    return store.add_document(doc, raw, extraction_of(row, like))


@pytest.fixture()
def db(backend_db: str) -> str:
    """A store with the fixture reports, linked in two batches as ingest would (SQLite, then PostgreSQL)."""
    path = backend_db
    with open_store(path) as store:
        items = rows()
        for batch in (items[:4], items[4:]):
            with store.transaction():
                rowids = [_add(store, r) for r in batch]
                repository.update_incidents(store, rowids)
    return path


def _json(db: str, *args: str) -> Any:
    result = CliRunner().invoke(main, ["incidents", "--db", db, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_incidents_json_is_the_contract_record(db: str) -> None:
    found = _json(db)
    assert len(found) == 3
    balyun = next(i for i in found if i["place"]["name"] == "Balyun")
    assert list(balyun)[:2] == ["schema", "id"] and balyun["schema"] == "rasd/1"
    for key in ("event_type", "sub_event_type", "date", "place", "actors", "targets", "independent_sources",
                "reports", "figures", "history"):
        assert key in balyun
    assert balyun["independent_sources"] == 3 and len(balyun["reports"]) == 5
    assert balyun["figures"]["killed"] == {"low": 22, "best": 33, "high": 34, "sources": 3}
    assert balyun["reports"][0]["document"] == "balyun-wire"


def test_relink_gives_the_same_incidents(db: str) -> None:
    before = _json(db)
    result = CliRunner().invoke(main, ["relink", "--db", db])
    assert result.exit_code == 0, result.output
    assert _json(db) == before


def test_incremental_update_is_in_place(db: str) -> None:
    with open_store(db) as store:
        ids_before = [i.id for i in repository.incidents(store)]
        late = {"id": "ariha-late", "publisher": "Late Post", "published": "2020-02-01", "title": "t",
                "text": "A late report on Ariha."}
        with store.transaction():
            repository.update_incidents(store, [_add(store, late, like="ariha-tribune")])
        after = repository.incidents(store)
    assert [i.id for i in after] == ids_before
    ariha = next(i for i in after if i.place and i.place.name == "Ariha")
    assert ariha.reports[-1].document == "ariha-late"
    # Late Post repeats the Observatory's claim: one more report, not one more source
    assert ariha.independent_sources == 2 and len(ariha.reports) == 4


def test_history_is_append_only(db: str) -> None:
    with open_store(db) as store:
        with pytest.raises(StoreError, match="append-only"):
            store.execute("UPDATE incident_history SET change = 'x'")
        with pytest.raises(StoreError, match="append-only"):
            store.execute("DELETE FROM incident_history")
    with open_store(db) as store:
        assert store.query("SELECT count(*) AS n FROM incident_history")[0]["n"] > 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--place", "Saraqib"], {"Saraqib"}),
        (["--kind", "Shelling/artillery/missile attack"], {"Saraqib"}),
        (["--since", "2020-02"], {"Balyun"}),
        (["--until", "2020-01"], {"Ariha", "Saraqib"}),
        (["--min-sources", "2"], {"Ariha", "Balyun"}),
        (["--source", "Observatory"], {"Ariha", "Balyun"}),
        (["--source", "Gulf Observer"], {"Balyun"}),
    ],
)
def test_filters(db: str, args: list[str], expected: set[str]) -> None:
    assert {i["place"]["name"] for i in _json(db, *args)} == expected


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl", "geojson"])
def test_other_formats(db: str, fmt: str) -> None:
    result = CliRunner().invoke(main, ["incidents", "--db", db, "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        assert len(result.output.splitlines()) == 3
    elif fmt == "geojson":
        assert [f["geometry"]["type"] for f in json.loads(result.output)["features"]] == ["Point"] * 3
    elif fmt == "csv":  # bounds in columns of their own: killed_low, killed_best, killed_high
        assert "Balyun" in result.output and ",22,33,34," in result.output
    else:
        assert "Balyun" in result.output and "33 (22-34)" in result.output


def test_export_acled(db: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", db, "--format", "acled"])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.output))
    assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
    by_place = {r["location"]: r for r in reader}
    balyun = by_place["Balyun"]
    assert balyun["fatalities"] == "22"  # the conservative figure
    assert (balyun["event_date"], balyun["time_precision"], balyun["geo_precision"]) == ("2020-02-27", "1", "1")
    assert (balyun["country"], balyun["disorder_type"]) == ("Syria", "Political violence")
    assert balyun["event_id_cnty"].startswith("SYRI")
    assert by_place["Ariha"]["civilian_targeting"] == "Civilian targeting"
    assert "Gulf Observer" in balyun["source"] and "Ankara Herald" in balyun["source"]


def test_unknown_incident_is_a_clear_error(db: str) -> None:
    with open_store(db) as store:
        with pytest.raises(Exception, match="no incident I99"):
            repository.incident(store, "I99")
        assert repository.incident(store, "I1").id == "I1"


@pytest.mark.slow
def test_end_to_end_through_the_pipeline(tmp_path: Path) -> None:
    """The real pipeline over tests/data/incidents: extraction quality decides this one."""
    from rasd.process import ingest

    with SQLiteStore(str(tmp_path / "e2e.db")) as store:
        ingest([DATA / "reports.jsonl"], store)
        found = repository.incidents(store)
    def holding(document: str) -> Any:
        return next(i for i in found if document in {r.document for r in i.reports})

    ariha, saraqib = holding("ariha-dispatch-1"), holding("saraqib-bulletin")
    assert ariha is not saraqib, "the nearby Saraqib shelling stays apart"
    assert {r.document for r in ariha.reports} == {"ariha-dispatch-1", "ariha-dispatch-2", "ariha-tribune"}
    assert ariha.independent_sources == 2 and ariha.figures["killed"].low == 12
    assert len([i for i in found if "saraqib-bulletin" in {r.document for r in i.reports}]) == 1
    balyun = holding("balyun-wire")
    wire = {"balyun-wire", "balyun-wire-courier", "balyun-wire-observer"}
    assert wire <= {r.document for r in balyun.reports}
    assert balyun.figures["killed"].low == 22 and (balyun.figures["killed"].high or 0) >= 33
