"""Nothing a document contains stops the ingest, stalls it, or fakes its evidence (issue 17).

The hostile files are written by the tests themselves (no committed binaries).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rasd import process
from rasd.cli import main
from rasd.extract import pipeline
from rasd.render import terminal_safe
from rasd.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports"
GOOD = "Government shelling killed 12 civilians in Saraqib on Tuesday, the White Helmets said.\n"
ESCAPES = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b]0;pwned\x07\x1b[2J\x1b[8m\u009b31m"


def _hostile(folder: Path) -> dict[str, bytes]:
    """Every case of issue 17 as a file, beside good ones; returns name -> bytes."""
    files: dict[str, str | bytes] = {
        "good-1.txt": GOOD,
        "good-2.txt": "Airstrikes wounded 30 people in Ariha on 30 January 2020, medics said.\n",
        "years-2020.txt": "Over the last 2020 years, 12 people were killed in Idlib.\n",
        "weeks-106000.txt": "In the past 106000 weeks, 12 people were killed in Idlib.\n",
        "years-ago.txt": "610277385010 years ago, 12 people were killed in Idlib.\n",
        "digits-19.txt": "Shelling killed 1234567890123456789012 people in Idlib.\n",
        "digits-17.txt": "Shelling killed 12345678901234567 people in Idlib.\n",
        "digits-309.txt": "Shelling killed " + "9" * 309 + " people in Idlib.\n",
        "long-paragraph.txt": "It rained " * 110_000 + "and 12 people were killed in Idlib.\n",
        "long-word.txt": "Shelling killed 12 people in Idlib. " + "x" * 1_100_000 + "\n",
        "bidi.txt": "Shelling killed \u202e21\u202c 12 people in Idlib, the \u2066White Helmets\u2069 said.\n",
        "escapes.txt": f"Shelling killed 12 people in Idlib{ESCAPES}, monitors said.\n",
        "boom.txt": "BOOM: shelling killed 12 people in Idlib.\n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
        "latin1.txt": "Caf\xe9 shelled".encode("latin-1"),
        "empty.txt": "",
        "page.html": "<html><body>" + "<div>" * 50 + "<p>Shelling killed 4 people in Idlib, medics said.</p></body></html>",
        "deep.html": "<html><body>" + "<div>" * 5000 + "<p>Shelling killed 4 people in Idlib.</p></body></html>",
        "mixed.jsonl": "\n".join([
            json.dumps({"id": "j1", "text": GOOD.replace("12", "13")}),
            "{not json",
            json.dumps({"id": "j3", "text": "BOOM in a line: 5 killed in Idlib."}),
            json.dumps({"id": "j4", "text": "Shelling killed 7 people in Idlib.", "published": "2020-13-45"}),
            json.dumps({"id": "j5", "html": "<p>Shelling killed 8 people in Idlib.</p>"}),
        ]) + "\n",
    }
    out = {}
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
        out[name] = data
    return out


@pytest.fixture()
def boom(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug that any document can hit: the figures stage raises on documents holding 'BOOM'."""
    original = pipeline.STAGES[3].run

    def failing(ctx: Any) -> None:
        if "BOOM" in ctx.text:
            raise RuntimeError("a bug hit by this document")
        original(ctx)

    stages = list(pipeline.STAGES)
    stages[3] = pipeline.Stage("figures", failing, stages[3].requires, stages[3].assigns)
    monkeypatch.setattr(pipeline, "STAGES", tuple(stages))


def test_hostile_corpus_is_ingested_without_losing_a_good_document(tmp_path: Path, boom: None,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_INGEST_BATCH", "4")
    monkeypatch.setenv("RASD_N_PROCESS", "1")
    folder = tmp_path / "in"
    folder.mkdir()
    _hostile(folder)
    with SQLiteStore(str(tmp_path / "h.db")) as store:
        report = process.ingest([folder], store)
        errors = {str(e) for e in report.errors}
        # the failing documents are named with file (and line) and reason
        assert any("boom.txt" in e and "RuntimeError" in e for e in errors), errors
        assert any("mixed.jsonl:3" in e and "extraction failed" in e for e in errors), errors
        assert any("mixed.jsonl:2" in e and "not JSON" in e for e in errors), errors
        for name in ("binary.txt", "latin1.txt", "empty.txt", "mixed.jsonl:4"):
            assert any(name in e for e in errors), (name, errors)
        rows = store.query("SELECT path, status, error, length(raw) AS n, extraction FROM documents")
        by_name = {Path(r["path"].rsplit(":", 1)[0] if r["path"].count(":") else r["path"]).name
                   + (":" + r["path"].rsplit(":", 1)[1] if ".jsonl:" in r["path"] else ""): r for r in rows}
        # stored with raw bytes and status error, so it is not retried blindly
        assert by_name["boom.txt"]["status"] == "error" and by_name["boom.txt"]["n"] > 0
        assert by_name["boom.txt"]["extraction"] is None
        assert by_name["mixed.jsonl:3"]["status"] == "error"
        good = [n for n in by_name if not n.startswith("boom") and n != "mixed.jsonl:3"]
        assert all(by_name[n]["status"] == "ok" and by_name[n]["extraction"] for n in good)
        for name in ("good-1.txt", "good-2.txt", "years-2020.txt", "weeks-106000.txt", "years-ago.txt",
                     "digits-17.txt", "long-paragraph.txt", "long-word.txt", "bidi.txt", "escapes.txt",
                     "page.html", "mixed.jsonl:1"):
            assert name in by_name, f"{name} lost"
        for name in ("deep.html", "mixed.jsonl:5"):  # stored, or named with its reason
            assert name in by_name or any(name in e for e in errors)
        counts = {r["low"] for r in store.query("SELECT low FROM figures")}
        assert 12345678901234567 in counts  # 17 digits stored exactly
        assert not any(c is not None and c > 10**18 for c in counts)  # 19 and 309 digits: out of range
        assert {12, 30, 13} <= counts
        # spans stay exact in every stored document
        from rasd.verify import verify

        assert list(verify(store)) == []
        # a rerun stores nothing twice and names the failed documents again, without retrying them
        again = process.ingest([folder], store)
        assert again.stored == 0
        assert any("boom.txt" in str(e) and "not retried" in str(e) for e in again.errors)


def test_extract_command_names_a_failing_document_and_goes_on(tmp_path: Path, boom: None) -> None:
    (tmp_path / "a.txt").write_text("BOOM killed 3 in Idlib.\n")
    (tmp_path / "b.txt").write_text(GOOD)
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 1
    assert "a.txt" in result.stderr and "extraction failed" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1 and records[0]["figures"][0]["low"] == 12


def test_library_extract_raises_only_rasd_errors(boom: None) -> None:
    import rasd

    for bad in (lambda: rasd.extract("BOOM 3 killed"), lambda: rasd.extract("x", published="2020-13-01"),
                lambda: rasd.extract("x", published=12),  # type: ignore[arg-type]
                lambda: rasd.extract(b"bytes"),  # type: ignore[arg-type]
                lambda: rasd.extract("\ud800 lone surrogate")):
        with pytest.raises(rasd.RasdError):
            bad()


# -- verify -------------------------------------------------------------------------------------------


def _verify(db: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["verify", "--db", db])
    return result.exit_code, result.stdout


def test_verify_catches_every_tampering_and_reingest_restores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_N_PROCESS", "1")
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    db = str(tmp_path / "v.db")
    with SQLiteStore(db) as store:
        process.ingest([folder], store)
    code, out = _verify(db)
    conn = sqlite3.connect(db, isolation_level=None)
    n_fig, n_ev = (conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("figures", "events"))
    assert code == 0 and out.startswith(f"14 documents, {n_fig} figures, {n_ev} events verified: 0 mismatches")
    fid, doc, low = conn.execute("SELECT id, document, low FROM figures WHERE low = 10 LIMIT 1").fetchone()
    # one source of truth: a figure's columns cannot be made to disagree with its JSON
    with pytest.raises(sqlite3.IntegrityError, match="disagree"):
        conn.execute("UPDATE figures SET low = 500 WHERE id = ?", (fid,))
    conn.execute("DROP TRIGGER figures_json_update")  # the attacker goes around it
    conn.execute("UPDATE figures SET low = 500 WHERE id = ?", (fid,))
    code, out = _verify(db)
    assert code == 1 and f"F{fid}: column low is 500 but its JSON says 10" in out
    conn.execute("UPDATE figures SET low = 10 WHERE id = ?", (fid,))
    # the text: 10 -> 90 where the evidence is
    ev = json.loads(conn.execute("SELECT json FROM figures WHERE id = ?", (fid,)).fetchone()[0])["evidence"]
    text = conn.execute("SELECT text FROM documents WHERE rowid = ?", (doc,)).fetchone()[0]
    at = text.index("10", ev["start"])
    conn.execute("UPDATE documents SET text = ? WHERE rowid = ?", (text[:at] + "90" + text[at + 2:], doc))
    code, out = _verify(db)
    assert code == 1 and "text: the stored text differs" in out and f"F{fid}: evidence" in out
    # raw cut to one byte
    other = conn.execute("SELECT rowid FROM documents WHERE rowid != ? LIMIT 1", (doc,)).fetchone()[0]
    conn.execute("UPDATE documents SET raw = x'41' WHERE rowid = ?", (other,))
    code, out = _verify(db)
    assert code == 1 and "raw: the raw bytes (1 bytes) hash to" in out
    conn.close()
    # re-ingesting the original bytes restores both documents, figure ids kept
    with SQLiteStore(db) as store:
        report = process.ingest([folder], store)
        assert report.restored == 2 and report.stored == 0
    assert _verify(db)[0] == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT low FROM figures WHERE id = ?", (fid,)).fetchone()[0] == low
    conn.close()


# -- text shown as text --------------------------------------------------------------------------------


def test_terminal_never_gets_escapes_or_bidi_controls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_N_PROCESS", "1")
    doc = tmp_path / "e.txt"
    doc.write_text(f"Shelling killed 12 people in Idlib{ESCAPES}, the \u202eWhite Helmets\u202c said.\n")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(doc), "--db", db]).exit_code == 0
    for args in (["figures"], ["figures", "--format", "csv"], ["figures", "--format", "json"], ["show", "F1"],
                 ["show", "F1", "--format", "json"], ["events"], ["search", "Idlib"], ["search", "Idlib", "--format", "json"]):
        out = runner.invoke(main, [*args, "--db", db]).output
        bad = [c for c in out if c in "\x1b\x07\u009b\u202e\u202c" or (ord(c) < 32 and c not in "\n\t")]
        assert not bad, (args, bad)
    shown = runner.invoke(main, ["show", "F1", "--db", db]).output
    assert "\\u202e" in shown and "\\u001b" in shown  # visible, not acted on
    js = json.loads(runner.invoke(main, ["show", "F1", "--format", "json", "--db", db]).output)
    assert js["evidence"]["text"]  # JSON escapes keep the data: it parses back whole


def test_terminal_safe() -> None:
    assert terminal_safe("a\x1b[2Jb\u202ec\td\ne\u200b\r") == "a\\u001b[2Jb\\u202ec\td\ne\\u200b\\u000d"
    assert terminal_safe("Saraqib سراقب") == "Saraqib سراقب"


# -- kill -9 -----------------------------------------------------------------------------------------


def _whole(db: str) -> int:
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():
        conn.close()
        return 0  # killed before the first migration committed: nothing written, nothing half-written
    n = 0
    for rowid, extraction, status in conn.execute("SELECT rowid, extraction, status FROM documents"):
        figures = conn.execute("SELECT count(*) FROM figures WHERE document = ?", (rowid,)).fetchone()[0]
        assert status == "ok" and extraction and figures == len(json.loads(extraction)["figures"])
        n += 1
    conn.close()
    return n


N_KILL_DOCS = 120


def _stored(db: str) -> int:
    """Documents stored so far, read without creating or locking anything (0 before the store exists)."""
    if not os.path.exists(db):
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return -1  # not migrated yet, or busy: no reading this time


def _kill_at_a_moment(proc: subprocess.Popen, db: str, rng: random.Random, during_load: bool) -> bool:
    """SIGKILL the ingest during its model load, or once it has stored 1-4 more documents; True if killed.

    The moment follows the ingest's own progress, not the clock, so a fast machine (that ingests the
    folder before a fixed delay ends) still sees every kill land while work is in flight.
    """
    if during_load:
        time.sleep(rng.uniform(0.1, 1.5))
    else:
        start = max(_stored(db), 0)
        target = start + rng.randint(1, 4)
        deadline = time.monotonic() + 120
        while proc.poll() is None and _stored(db) < target and time.monotonic() < deadline:
            time.sleep(0.02)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    return True


@pytest.mark.slow
def test_kill_9_loop_leaves_every_store_whole(tmp_path: Path) -> None:
    """20 kills at random moments of one ingest (each run resumes); every store stays whole."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(N_KILL_DOCS):
        (folder / f"r{i:03}.txt").write_text(f"Shelling killed {i + 2} civilians in Saraqib on {i % 28 + 1} February 2020.\n")
    db = str(tmp_path / "k.db")
    env = {**os.environ, "RASD_INGEST_BATCH": "3", "RASD_N_PROCESS": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    rng = random.Random(20)
    kills = attempt = 0
    while kills < 20 and attempt < 40:
        attempt += 1
        proc = subprocess.Popen([sys.executable, "-m", "rasd", "ingest", str(folder), "--db", db], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kills += _kill_at_a_moment(proc, db, rng, during_load=attempt % 3 == 1)
        proc.wait()
        _whole(db)
    assert 0 < _whole(db) < N_KILL_DOCS  # the kills landed mid-ingest, before the folder was done
    subprocess.run([sys.executable, "-m", "rasd", "ingest", str(folder), "--db", db], env=env, check=True,
                   capture_output=True)
    assert _whole(db) == N_KILL_DOCS
    assert kills >= 20
    verified = subprocess.run([sys.executable, "-m", "rasd", "verify", "--db", db], env=env, capture_output=True)
    assert verified.returncode == 0, verified.stdout
