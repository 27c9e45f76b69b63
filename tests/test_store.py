"""The SQLite store: migrations, transactions, documents, figures/events queries, search."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
import sqlite3
from pathlib import Path

import pytest

from rasd.errors import NotFoundError, RasdError, StoreError
from rasd.model import Actor, Document, DocumentInfo, Event, Extraction, Figure, Period, Place, Span
from rasd.store import DuplicateDocumentError, Filters, SQLiteStore, open_store, resolve_path
from rasd.store.migrate import MIGRATIONS_DIR, apply_migrations, split_statements

ARTICLE = (
    "Strikes on Saraqeb\n"
    "At least 12 civilians were killed in Saraqeb on Tuesday, the White Helmets said.\n"
    "More than 6,600 attacks were recorded across Idlib province in January, according to relief agencies "
    "quoted by The New York Times.\n"
)


def span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words), words)


def make_doc(text: str = ARTICLE, *, id: str | None = None, path: str = "/r/a.txt", publisher: str = "Example News",
             published: str | None = "2020-02-07", version: int = 1, title: str = "Strikes on Saraqeb") -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return Document(id or sha, sha, text, title, published, publisher, None, path, "text", version)


def make_extraction(doc: Document) -> Extraction:
    text = doc.text
    killed = text[text.index("At least") : text.index(" were killed") + len(" were killed")]
    low = int(killed.split()[2])
    said = "White Helmets" if "White Helmets" in text else "Syrian Observatory"
    saraqib = Place("Saraqib", 169577, 35.86, 36.8, "Idlib", "SY", "point", "Saraqeb", span=span(text, "Saraqeb on"))
    idlib = Place("Idlib", 169387, 35.9, 36.6, "Idlib", "SY", "admin1", "Idlib")
    tuesday = Period("2020-02-04", "2020-02-04", "day", "on Tuesday")
    january = Period("2020-01-01", "2020-01-31", "month", "in January")
    figures = [
        Figure("killed", "civilians", low, None, None, "at least", tuesday, saraqib, False, said, None,
               span(text, killed), span(text, killed + " in Saraqeb")),
        Figure("attacks", None, 6601, None, None, "more than", january, idlib, True, "relief agencies",
               "The New York Times", span(text, "More than 6,600 attacks")),
    ]
    events = [
        Event("Explosions/Remote violence", "Air/drone strike", True, tuesday, saraqib,
              [Actor("Military Forces of Syria", "actor1"), Actor("Civilians (Syria)", "actor2")], ["civilians"],
              [0], "White Helmets", None, span(text, "killed in Saraqeb")),
    ]
    info = DocumentInfo(doc.title, doc.published, doc.publisher, doc.sha256)
    return Extraction(doc.id, info, events, figures)


@pytest.fixture
def store(backend_db: str) -> Iterator[SQLiteStore]:
    """An empty store, once on SQLite and once on PostgreSQL."""
    s = open_store(backend_db)
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SQLiteStore]:
    s = SQLiteStore(str(tmp_path / "t.db"))
    yield s
    s.close()


@pytest.fixture(scope="module")
def filled(module_backend_db: str) -> Iterator[SQLiteStore]:
    """Two documents, read-only for the tests that use it (on each backend)."""
    store = open_store(module_backend_db)
    doc = make_doc()
    store.add_document(doc, doc.text.encode(), make_extraction(doc))
    other_text = ARTICLE.replace("12", "15").replace("White Helmets", "the Syrian Observatory")
    other = make_doc(other_text, id="acled-9", path="/r/b.jsonl:1", publisher="Other Wire", published="2020-02-09")
    store.add_document(other, other_text.encode(), make_extraction(other))
    yield store
    store.close()


# -- migrations ----------------------------------------------------------------------------


def test_migrations_applied_once_and_recorded(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    with SQLiteStore(path) as s:
        names = [r["name"] for r in s.query("SELECT name FROM migrations ORDER BY name")]
        assert names[0] == "001_core"
    with SQLiteStore(path) as s:
        assert s.migrate() == []
        assert [r["name"] for r in s.query("SELECT name FROM migrations ORDER BY name")] == names


def test_new_migration_files_are_picked_up_in_number_order(tmp_path: Path) -> None:
    mdir = tmp_path / "migrations"
    mdir.mkdir()
    shutil.copy(MIGRATIONS_DIR / "001_core.sql", mdir)
    (mdir / "010_later.sql").write_text("CREATE TABLE later (x INTEGER REFERENCES early(id));\n")
    (mdir / "002_early.sql").write_text("-- a comment; with a semicolon\nCREATE TABLE early (id INTEGER PRIMARY KEY);\n")
    (mdir / "README.txt").write_text("not a migration")
    conn = sqlite3.connect(str(tmp_path / "n.db"), isolation_level=None)
    assert apply_migrations(conn, mdir) == ["001_core", "002_early", "010_later"]
    assert apply_migrations(conn, mdir) == []


def test_failed_migration_leaves_nothing(tmp_path: Path) -> None:
    mdir = tmp_path / "migrations"
    mdir.mkdir()
    (mdir / "001_bad.sql").write_text("CREATE TABLE a (x);\nCREATE TABLE a (x);\n")
    conn = sqlite3.connect(str(tmp_path / "n.db"), isolation_level=None)
    with pytest.raises(StoreError, match="001_bad.sql"):
        apply_migrations(conn, mdir)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'a'").fetchone()[0] == 0


def test_trigger_bodies_stay_whole() -> None:
    sql = (MIGRATIONS_DIR / "001_core.sql").read_text()
    statements = split_statements(sql)
    assert all(sqlite3.complete_statement(s) for s in statements)
    assert any(s.startswith("CREATE TRIGGER documents_ai") and s.endswith("END;") for s in statements)


def test_wal_and_foreign_keys(sqlite_store: SQLiteStore) -> None:
    assert sqlite_store.query("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
    assert sqlite_store.query("PRAGMA foreign_keys")[0]["foreign_keys"] == 1


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        SQLiteStore(str(bad))


@pytest.mark.parametrize(("arg", "env", "expected"), [("x.db", "env.db", "x.db"), (None, "env.db", "env.db"),
                                                      (None, None, "rasd.db")])
def test_db_path_resolution(monkeypatch: pytest.MonkeyPatch, arg: str | None, env: str | None, expected: str) -> None:
    if env:
        monkeypatch.setenv("RASD_DB", env)
    else:
        monkeypatch.delenv("RASD_DB", raising=False)
    assert resolve_path(arg) == expected


def test_open_store_uses_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_DB", str(tmp_path / "env.db"))
    with open_store() as s:
        assert s.path == str(tmp_path / "env.db")
    assert (tmp_path / "env.db").exists()


# -- documents and transactions ------------------------------------------------------------


def test_rows_are_flat_and_json_holds_the_record(filled: SQLiteStore) -> None:
    row = filled.query("SELECT * FROM figures WHERE idx = 1 ORDER BY id LIMIT 1")[0]
    assert (row["kind"], row["low"], row["best"], row["qualifier"], row["aggregate"]) == ("attacks", 6601, None, "more than", 1)
    assert (row["period_start"], row["period_end"], row["place"], row["geonameid"], row["country"]) == (
        "2020-01-01", "2020-01-31", "Idlib", 169387, "SY")
    assert (row["attributed_to"], row["via"]) == ("relief agencies", "The New York Times")
    assert Figure.from_json(row["json"]).evidence == span(ARTICLE, "More than 6,600 attacks")
    ev = filled.query("SELECT * FROM events ORDER BY id LIMIT 1")[0]
    assert (ev["main"], ev["actor1"], ev["actor2"], ev["date_precision"], ev["place_precision"]) == (
        1, "Military Forces of Syria", "Civilians (Syria)", "day", "point")


def test_identical_bytes_refused(store: SQLiteStore) -> None:
    doc = make_doc()
    store.add_document(doc, doc.text.encode(), None)
    with pytest.raises(DuplicateDocumentError, match="already stored"):
        store.add_document(doc, doc.text.encode(), None)
    assert store.counts()["documents"] == 1  # and the store goes on (PostgreSQL: the transaction is not aborted)


def test_transaction_rolls_back_everything(store: SQLiteStore) -> None:
    doc = make_doc()
    with pytest.raises(RuntimeError), store.transaction():
        store.add_document(doc, doc.text.encode(), make_extraction(doc))
        raise RuntimeError("killed mid-batch")
    assert store.counts() == {"documents": 0, "figures": 0, "events": 0}


def test_document_lookup_by_id_sha_and_prefix(filled: SQLiteStore) -> None:
    doc = make_doc()
    assert filled.document(doc.sha256).document.sha256 == doc.sha256
    assert filled.document(doc.sha256[:8]).id == doc.id
    assert filled.document("acled-9").document.publisher == "Other Wire"
    assert filled.document("acled-9").extraction is not None
    with pytest.raises(NotFoundError, match="at least 8"):
        filled.document(doc.sha256[:5])
    with pytest.raises(NotFoundError):
        filled.document("f" * 64)


def test_ambiguous_prefix(store: SQLiteStore) -> None:
    for n in range(2):
        doc = make_doc(f"text {n}", id=f"reuters-2020-{n}", path=f"/p{n}")
        store.add_document(doc, doc.text.encode())
    with pytest.raises(NotFoundError, match="names 2 documents"):
        store.document("reuters-2020")


def test_versions_and_current_documents(store: SQLiteStore) -> None:
    first = make_doc("Twelve killed.", path="/r/a.txt")
    second = make_doc("Fifteen killed.", path="/r/a.txt", version=2)
    store.add_document(first, b"1")
    store.add_document(second, b"2")
    assert store.latest_version("/r/a.txt").document.version == 2  # type: ignore[union-attr]
    assert [d.document.version for d in store.documents()] == [2]
    assert [d.document.version for d in store.documents(all_versions=True)] == [1, 2]
    assert store.document_by_path("/r/a.txt").document.text == "Fifteen killed."  # type: ignore[union-attr]
    assert store.document_by_path("/r/nowhere.txt") is None


def test_get_understands_user_ids(filled: SQLiteStore) -> None:
    f = filled.figures()[0]
    e = filled.events()[0]
    assert filled.get(f.id).figure == f.figure
    assert filled.get(e.id.lower()).event == e.event
    assert filled.get("acled-9").id == "acled-9"
    with pytest.raises(NotFoundError):
        filled.get("F99999")


def test_event_links_its_figures(filled: SQLiteStore) -> None:
    e = filled.events(Filters(document="acled-9"))[0]
    f = filled.get(e.figure_ids[0])
    assert f.figure.kind == "killed" and f.document.id == "acled-9"  # type: ignore[union-attr]


# -- queries ---------------------------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), 4),
        (Filters(kind=["killed"]), 2),
        (Filters(kind=["killed", "attacks"]), 4),
        (Filters(place="saraq"), 2),
        (Filters(place="idlib"), 4),  # admin1
        (Filters(place="SY"), 4),
        (Filters(place="Aleppo"), 0),
        (Filters(since=D(2020, 2, 1)), 2),
        (Filters(until=D(2020, 1, 31)), 2),
        (Filters(since=D(2020, 1, 15), until=D(2020, 1, 20)), 2),  # January overlaps
        (Filters(source="white helmets"), 1),
        (Filters(source="new york"), 2),  # via
        (Filters(source="other wire"), 2),  # publisher
        (Filters(aggregate=True), 2),
        (Filters(aggregate=False), 2),
        (Filters(document="acled-9"), 2),
        (Filters(limit=3), 3),
        (Filters(source="100%_"), 0),  # LIKE wildcards are escaped
    ],
)
def test_figure_filters(filled: SQLiteStore, filters: Filters, expected: int) -> None:
    assert len(filled.figures(filters)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), 2),
        (Filters(kind=["Air/drone strike"]), 2),
        (Filters(kind=["explosions/remote violence"]), 2),
        (Filters(kind=["Battles"]), 0),
        (Filters(since=D(2020, 2, 5)), 0),
        (Filters(until=D(2020, 2, 4)), 2),
        (Filters(place="Saraqib"), 2),
    ],
)
def test_event_filters(filled: SQLiteStore, filters: Filters, expected: int) -> None:
    assert len(filled.events(filters)) == expected


def test_superseded_versions_leave_queries(store: SQLiteStore) -> None:
    old = make_doc()
    store.add_document(old, b"old", make_extraction(old))
    new_text = ARTICLE.replace("12", "14")
    new = make_doc(new_text, version=2)
    store.add_document(new, b"new", make_extraction(new))
    assert {h.figure.low for h in store.figures(Filters(kind=["killed"]))} == {14}
    assert {h.figure.low for h in store.figures(Filters(kind=["killed"], all_versions=True))} == {12, 14}


# -- search and the escape hatch -------------------------------------------------------------


def test_search_finds_words(filled: SQLiteStore) -> None:
    hits = filled.search("civilians Saraqeb")
    assert len(hits) == 2 and all("[" in h.snippet for h in hits)
    assert filled.search("Observatory")[0].document.id == "acled-9"
    assert filled.search("nonexistentword") == []


@pytest.mark.parametrize("query", ['"', "AND", "killed OR", "NEAR(a b)", "col:umn", "-x", "a*", "'; DROP TABLE documents; --"])
def test_search_escapes_fts_syntax(filled: SQLiteStore, query: str) -> None:
    filled.search(query)  # no syntax error
    assert filled.counts()["documents"] == 2


def test_empty_search(filled: SQLiteStore) -> None:
    with pytest.raises(RasdError):
        filled.search("   ")
    assert filled.counts()["documents"] == 2  # the failed search left the connection usable


def test_escape_hatch(store: SQLiteStore) -> None:
    store.execute("CREATE TABLE extra (k TEXT PRIMARY KEY, v INTEGER)")
    with store.transaction():
        store.execute("INSERT INTO extra VALUES (?, ?)", ("a", 1))
        store.execute("INSERT INTO extra VALUES (:k, :v)", {"k": "b", "v": 2})
    assert store.query("SELECT k, v FROM extra ORDER BY k") == [{"k": "a", "v": 1}, {"k": "b", "v": 2}]
    with pytest.raises(StoreError):
        store.query("SELECT nope FROM extra")


def test_has_sha(store: SQLiteStore) -> None:
    doc = make_doc()
    assert not store.has_sha(doc.sha256)
    store.add_document(doc, doc.text.encode())
    assert store.has_sha(doc.sha256) and store.document_by_sha(doc.sha256) is not None
