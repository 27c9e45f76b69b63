"""Safe commands: a missing store is never created, closed vocabularies are checked,
a busy port is one clear line, bad public arguments are RasdErrors, settings come from files too."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import rasd
from rasd import settings
from rasd.cli import main
from rasd.errors import RasdError, SettingError, UsageError
from rasd.serve.commands import bind
from rasd.store import SQLiteStore, open_store
from rasd.taxonomy import event_types, figure_kinds

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize("command", [
    ["figures"], ["events"], ["show", "F1"], ["search", "Idlib"], ["incidents"], ["export"], ["relink"], ["serve"],
])
def test_reading_commands_refuse_a_missing_database(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "missing.db"
    result = run(*command, "--db", str(missing))
    assert result.exit_code == 1
    assert str(missing) in result.output and "does not exist" in result.output
    assert not missing.exists()


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    result = run("figures", "--db", str(tmp_path))
    assert result.exit_code == 1 and "is a folder" in result.output


def test_ingest_still_creates_the_store(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Air strikes killed 12 civilians in Idlib on Tuesday.", encoding="utf-8")
    db = tmp_path / "new.db"
    assert run("ingest", str(tmp_path / "a.txt"), "--db", str(db)).exit_code == 0
    assert db.is_file()
    assert run("figures", "--db", str(db)).exit_code == 0


def test_open_store_without_create(tmp_path: Path) -> None:
    with pytest.raises(rasd.StoreError, match="does not exist"):
        open_store(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


def test_figure_kind_is_checked_with_a_suggestion(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    SQLiteStore(str(db)).close()
    result = run("figures", "--kind", "slain", "--db", str(db))
    assert result.exit_code == 2
    assert "unknown figure kind 'slain'" in result.output and "did you mean 'killed'" in result.output
    result = run("figures", "--kind", "injurd", "--db", str(db))
    assert "did you mean 'injured'" in result.output
    assert run("figures", "--kind", "KILLED", "--db", str(db)).exit_code == 0


def test_event_type_is_checked_for_events_and_incidents(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    SQLiteStore(str(db)).close()
    for command in ("events", "incidents"):
        result = run(command, "--kind", "Air strike", "--db", str(db))
        assert result.exit_code == 2, command
        assert "did you mean 'Air/drone strike'" in result.output
        assert run(command, "--kind", "air/drone strike", "--db", str(db)).exit_code == 0


def test_taxonomy_canonicalises() -> None:
    assert figure_kinds(["Killed", " displaced "]) == ["killed", "displaced"]
    assert event_types(["battles", "AIR/DRONE STRIKE"]) == ["Battles", "Air/drone strike"]
    with pytest.raises(UsageError):
        event_types(["IED"])


def test_busy_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    SQLiteStore(str(db)).close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(RasdError, match="in use"):
            bind("127.0.0.1", port)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run([sys.executable, "-m", "rasd.cli", "serve", "--db", str(db), "--port", str(port)],
                              capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr and "serving" not in done.stderr


def test_extract_raises_rasd_errors() -> None:
    with pytest.raises(UsageError, match="2020-02-30"):
        rasd.extract("Two people were killed.", published="2020-02-30")
    with pytest.raises(RasdError):
        rasd.extract(b"bytes", published=None)  # type: ignore[arg-type]
    assert isinstance(UsageError("x"), ValueError)  # callers that caught ValueError still do


def test_py_typed_is_shipped() -> None:
    assert (Path(rasd.__file__).parent / "py.typed").is_file()
    assert "py.typed" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_settings_from_rasd_toml_and_env_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASD_N_PROCESS", raising=False)
    monkeypatch.delenv("RASD_FETCH_DELAY", raising=False)
    (tmp_path / "rasd.toml").write_text('n_process = 1\nfetch_delay = 5\ndb = "here.db"\n', encoding="utf-8")
    assert settings.lookup("n_process") == (1, "rasd.toml")
    assert settings.get("fetch_delay") == 5.0
    monkeypatch.setenv("RASD_N_PROCESS", "3")
    assert settings.lookup("n_process") == (3, "env")
    rows = {r["name"]: r for r in settings.all_settings()}
    assert rows["db"]["value"] == "here.db" and rows["db"]["source"] == "rasd.toml"


def test_settings_from_pyproject_tool_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASD_LINK_THRESHOLD", raising=False)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.rasd]\nlink_threshold = 0.75\n',
                                             encoding="utf-8")
    assert settings.lookup("link_threshold") == (0.75, "pyproject.toml")


def test_bad_config_is_a_setting_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RASD_N_PROCESS", raising=False)
    (tmp_path / "rasd.toml").write_text('n_procs = 1\n', encoding="utf-8")
    with pytest.raises(SettingError, match="unknown setting"):
        settings.get("n_process")
    (tmp_path / "rasd.toml").write_text('n_process = "many"\n', encoding="utf-8")
    with pytest.raises(SettingError, match="not a valid int"):
        settings.get("n_process")


def test_write_token_is_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_WRITE_TOKEN", "s3cret-token")
    result = run("settings")
    assert "s3cret-token" not in result.output and "(set)" in result.output
