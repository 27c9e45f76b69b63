"""Languages: a document rasd cannot read is stored, flagged with its language, and said so in one line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from rasd import language
from rasd.cli import main

ARABIC = ("قتل 12 مدنيا في غارة جوية على مدينة إدلب يوم الاثنين، وفق الدفاع المدني السوري. "
          "وقال المرصد إن الطائرات قصفت السوق وسط المدينة.\n")
FRENCH = ("Des frappes aériennes ont tué douze civils à Idlib lundi, selon les Casques blancs, "
          "et des milliers de familles ont fui vers la frontière turque.\n")
ENGLISH = "Air strikes killed 12 civilians in Saraqib on 6 February 2020, medics said.\n"


def test_detect() -> None:
    assert language.unreadable(ARABIC) == "ar"
    assert language.unreadable(FRENCH) == "fr"
    assert language.unreadable(ENGLISH) is None
    assert language.detect("12 killed") is None  # too short to tell: read as usual


def test_ingest_stores_and_flags(tmp_path: Path) -> None:
    (tmp_path / "ar.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    db = str(tmp_path / "l.db")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", db])
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if "Arabic" in line]
    assert len(lines) == 1 and "ar.txt: written in Arabic (ar)" in lines[0]
    assert "no figures or events were extracted" in lines[0]
    rows = dict(sqlite3.connect(db).execute("SELECT path, language FROM documents").fetchall())
    assert rows[str(tmp_path / "ar.txt")] == "ar" and rows[str(tmp_path / "en.txt")] is None
    figures = CliRunner().invoke(main, ["figures", "--db", db, "--format", "json"])
    assert "en.txt" in figures.output and "ar.txt" not in figures.output
    ref = sqlite3.connect(db).execute("SELECT sha256 FROM documents WHERE language = 'ar'").fetchone()[0][:12]
    shown = CliRunner().invoke(main, ["show", ref, "--db", db])
    assert "language:  ar: rasd reads en" in shown.output, shown.output
    as_json = json.loads(CliRunner().invoke(main, ["show", ref, "--db", db, "--format", "json"]).output)
    assert as_json["language"] == "ar"


def test_extract_says_so(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_text(FRENCH, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "fr.txt")])
    record = json.loads(result.output.splitlines()[-1]) if result.output.strip().endswith("}") else None
    assert "written in French (fr)" in result.output
    assert "stored" not in result.output.split("written in French")[1].splitlines()[0]
    if record is not None:
        assert record["document"]["language"] == "fr" and record["figures"] == [] and record["events"] == []


def test_short_english_that_looks_like_pidgin_is_read() -> None:
    # an ACLED note (dev set): py3langid's top guess is Nigerian Pidgin (0.53), English second (0.32)
    assert language.unreadable("Four gunmen rape two women from Babnusa camp at Safia.") is None
