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


def _ids(db: str) -> dict[str, set[str]]:
    return {i["id"]: {r["document"] for r in i["reports"]} for i in _json(db)}


def test_merge_and_split_by_hand_are_kept_and_relink_replays_them(db: str) -> None:
    before = _ids(db)
    ariha = next(k for k, v in before.items() if "ariha-tribune" in v)
    saraqib = next(k for k, v in before.items() if "saraqib-bulletin" in v)
    result = CliRunner().invoke(main, ["incidents", "merge", ariha, saraqib, "--db", db])
    assert result.exit_code == 0, result.output
    merged = _ids(db)
    keep = min((ariha, saraqib), key=lambda i: int(i[1:]))
    assert len(merged) == 2 and merged[keep] == before[ariha] | before[saraqib]
    with open_store(db) as store:
        gone = repository.incident(store, ariha if keep == saraqib else saraqib)
        assert any(h.change.startswith(f"merged into {keep}: merged by hand") for h in gone.history)
    result = CliRunner().invoke(main, ["incidents", "split", keep, "saraqib-bulletin", "--db", db])
    assert result.exit_code == 0, result.output
    after = _ids(db)
    assert sorted(map(sorted, after.values())) == sorted(map(sorted, before.values()))
    history = [h["change"] for i in _json(db) for h in i["history"]]
    assert any("split off (saraqib-bulletin): split by hand" in c for c in history)
    # both are corrections of their own, with who and why, as `rasd review merge|split` makes them
    listed = json.loads(CliRunner().invoke(main, ["review", "list", "--format", "json", "--db", db]).output)
    assert [(c["action"], c["why"]) for c in listed] == [("merge", "merged by hand"), ("detach", "split by hand")]
    assert all(c["who"] for c in listed)
    result = CliRunner().invoke(main, ["relink", "--db", db])
    assert result.exit_code == 0, result.output
    assert _json(db) != [] and sorted(map(sorted, _ids(db).values())) == sorted(map(sorted, after.values()))
    relinked = [h["change"] for i in _json(db) for h in i["history"]]
    assert any("split off (saraqib-bulletin): split by hand" in c for c in relinked)
    with open_store(db) as store, pytest.raises(StoreError, match="append-only"):
        store.execute("DELETE FROM incident_edits")


def test_split_refuses_all_or_none_of_the_reports(db: str) -> None:
    one = next(k for k, v in _ids(db).items() if v == {"saraqib-bulletin"})
    result = CliRunner().invoke(main, ["incidents", "split", one, "saraqib-bulletin", "--db", db])
    assert result.exit_code == 1 and "nothing to split from" in result.output


def test_undated_reports_link_in_the_store(tmp_path: Path) -> None:
    path = str(tmp_path / "undated.db")
    story = "A drone struck a car near Tal Shamiran west of Ariha, killing Ahmad Khalil and Hassan Khalil."
    with SQLiteStore(path) as store:
        for n, text in enumerate((story, "Sources said: " + story)):
            row = {"id": f"u{n}", "publisher": f"P{n}", "published": None, "title": "t", "text": text}
            with store.transaction():
                ex = extraction_of(row, like="ariha-tribune")
                ex.events[0].date = None
                raw = json.dumps(row).encode("utf-8")
                doc = Document(id=row["id"], sha256=hashlib.sha256(raw).hexdigest(), text=text, title="t",
                               published=None, publisher=row["publisher"], format="jsonl")
                repository.update_incidents(store, [store.add_document(doc, raw, ex)])
        found = repository.incidents(store)
    assert len(found) == 1 and [r.document for r in found[0].reports] == ["u0", "u1"]


def test_the_days_a_stored_report_names_are_kept_for_later_reports(tmp_path: Path) -> None:
    """A report read back from the store still names its days: they weigh for or against the reports linked
    after it, as they do when linking in memory."""
    from rasd.link.linker import Linker

    path = str(tmp_path / "days.db")
    row = {"id": "u0", "publisher": "P0", "published": None, "title": "t", "text": "A drone struck Ariha."}
    with SQLiteStore(path) as store:
        with store.transaction():
            ex = extraction_of(row, like="ariha-tribune")
            ex.events[0].date = None
            ex.document.days = ["--08-18", "-W-4"]
            doc = Document(id="u0", sha256="0" * 64, text=row["text"], title="t", published=None,
                           publisher="P0", format="jsonl")
            repository.update_incidents(store, [store.add_document(doc, b"u0", ex)])
        index = repository.StoreIndex(store)
        memory = Linker()
        memory.add(repository.LinkDocument(id="u0", extraction=ex, text=row["text"]))
        stored = index.load(1).reports[0]
        assert stored.days == memory.index.incidents[1].reports[0].days == frozenset({"--08-18", "-W-4"})  # type: ignore[attr-defined]


def test_a_report_that_joins_two_incidents_merges_them_in_the_store(tmp_path: Path) -> None:
    from test_link import ARIHA, STRIKE, _event

    from rasd.model import DocumentInfo, Extraction

    path = str(tmp_path / "merge.db")
    days = {"d1": ("2020-01-27", None, "day"), "d3": ("2020-01-31", None, "day"),
            "week": ("2020-01-27", "2020-02-02", "week")}
    with SQLiteStore(path) as store:
        for id_, (start, end, precision) in days.items():
            event = _event(STRIKE, ARIHA, start, end, precision)
            event.main = True
            ex = Extraction(id=id_, document=DocumentInfo(publisher=f"P-{id_}"), events=[event])
            doc = Document(id=id_, sha256=hashlib.sha256(id_.encode()).hexdigest(), text=f"report {id_}",
                           publisher=f"P-{id_}", format="jsonl")
            with store.transaction():
                repository.update_incidents(store, [store.add_document(doc, id_.encode(), ex)])
        found = repository.incidents(store)
        gone = repository.incident(store, "I2")
        repository.relink(store)
        assert [i.to_dict() for i in repository.incidents(store)] == [i.to_dict() for i in found]
    assert [sorted(r.document for r in i.reports) for i in found] == [["d1", "d3", "week"]]
    assert any(h.change.startswith("merged into I1: week (P-week) matches both") for h in gone.history)
    assert any(h.change.startswith("I2 merged in (1 reports): week (P-week) matches both") for h in found[0].history)
