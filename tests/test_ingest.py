"""Reading inputs: every format, every bad input named with its reason, batches that go on."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from rasd.errors import InputError
from rasd.ingest import Loaded, estimate, read

PAGE = """<!doctype html><html><head>
<title>Strikes hit Saraqeb market | Example Monitor</title>
<meta property="og:site_name" content="Example Monitor">
<meta property="og:title" content="Strikes hit Saraqeb market">
<meta property="article:published_time" content="2020-02-07T09:30:00Z">
<link rel="canonical" href="https://monitor.example.org/2020/02/saraqeb">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience. Accept all cookies.</p></div>
<main><article><h1>Strikes hit Saraqeb market</h1>
<p>At least twelve civilians were killed when air strikes hit the market in Saraqeb on Tuesday morning,
local rescuers said, as the government offensive in the south of the province went on.</p>
<p>The civil defence said its teams pulled survivors from the rubble for several hours after the strike,
and that two of its volunteers were among the injured taken to a field hospital near the town.</p>
<p>Tens of thousands of people have fled the area towards the Turkish border since the start of the month,
aid groups working in the province said in a statement on Wednesday.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Ten recipes for summer salads</a></li></ul></aside>
<footer><p>Copyright 2020 Example Monitor. All rights reserved. Contact us | Privacy policy</p></footer>
</body></html>"""


def _only(items: list[Loaded | InputError]) -> Loaded | InputError:
    assert len(items) == 1, items
    return items[0]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# -- bad inputs: one parametrised case each ----------------------------------------------

BAD = [
    ("empty.txt", b"", None, "empty file"),
    ("blank.md", b"   \n\n  \t\n", None, "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "binary file (looks like PNG)"),
    ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", None, "binary file (looks like zip)"),
    ("report.html", b"%PDF-1.7\n%\xe2\xe3", None, "binary file (looks like PDF)"),
    ("nul.txt", b"twelve killed\x00\x00 in Idlib", None, "binary file (contains NUL bytes)"),
    ("latin1.txt", b"Twelve killed in Ma\xe2arrat al-Numan", None, "invalid UTF-8 at byte offset 19"),
    ("nothing.html", b"<html><head><title>x</title></head><body><script>var a=1;</script></body></html>", None,
     "no main text could be extracted"),
    ("bad.jsonl", b'{"text": "Twelve killed."}\n{"text": oops}\n', 2, "not JSON"),
    ("list.jsonl", b'[1, 2]\n', 1, "not a JSON object"),
    ("notext.jsonl", b'{"id": "a1", "title": "only a title"}\n', 1, 'needs a non-empty "text" or "html"'),
    ("date.jsonl", b'{"text": "Twelve killed.", "published": "last Tuesday"}\n', 1, '"published" is not an ISO date'),
    ("date2.jsonl", b'{"text": "Twelve killed.", "published": "2020-13-45"}\n', 1, '"published" is not an ISO date'),
    ("surrogate.jsonl", b'{"text": "Twelve \\ud800 killed."}\n', 1, "lone surrogate"),
    ("photo.png", b"\x89PNG\r\n\x1a\n", None, "unsupported file type '.png'"),
]


@pytest.mark.parametrize(("name", "data", "line", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_named_with_its_reason(tmp_path: Path, name: str, data: bytes, line: int | None,
                                            reason: str) -> None:
    path = _write(tmp_path, name, data)
    errors = [x for x in read([path]) if isinstance(x, InputError)]
    assert len(errors) == 1, errors
    err = errors[0]
    assert err.source == str(path) and err.line == line
    assert reason in err.reason
    assert str(err).startswith(f"{path}:{line}: " if line else f"{path}: ")


def test_missing_path(tmp_path: Path) -> None:
    err = _only(list(read([tmp_path / "nope.txt"])))
    assert isinstance(err, InputError) and err.reason == "no such file or directory"


def test_file_above_size_limit_names_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_MAX_FILE_BYTES", "1000")
    path = _write(tmp_path, "big.txt", b"Twelve killed in Idlib. " * 100)
    err = _only(list(read([path])))
    assert isinstance(err, InputError)
    assert "2400 bytes" in err.reason and "max_file_bytes" in err.reason


def test_jsonl_line_above_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASD_MAX_FILE_BYTES", "200")
    line = json.dumps({"text": "x " * 200}).encode()
    path = _write(tmp_path, "big.jsonl", b'{"text": "Twelve killed."}\n' + line + b"\n")
    items = list(read([path]))
    assert isinstance(items[0], Loaded)
    assert isinstance(items[1], InputError) and items[1].line == 2 and "too large" in items[1].reason


def test_mixed_directory_reports_and_goes_on(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"Twelve civilians were killed in Idlib on Tuesday.")
    _write(tmp_path, "b.png", b"\x89PNG\r\n\x1a\n")
    _write(tmp_path, "c.txt", b"")
    (tmp_path / "sub").mkdir()
    _write(tmp_path / "sub", "d.md", b"# Title\n\nFive people were injured in Ariha.")
    _write(tmp_path, ".DS_Store", b"\x00\x00")
    items = list(read([tmp_path]))
    good = [x.document.path for x in items if isinstance(x, Loaded)]
    bad = [x.source for x in items if isinstance(x, InputError)]
    assert good == [str(tmp_path / "a.txt"), str(tmp_path / "sub" / "d.md")]
    assert bad == [str(tmp_path / "b.png"), str(tmp_path / "c.txt")]


def test_directories_read_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a.txt", "c/z.txt", "c/a.txt", "B.txt"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"Report {name}: three people were killed.")
    first = [x.document.path for x in read([tmp_path]) if isinstance(x, Loaded)]
    assert first == [str(tmp_path / n) for n in ["B.txt", "a.txt", "b.txt", "c/a.txt", "c/z.txt"]]
    assert first == [x.document.path for x in read([tmp_path]) if isinstance(x, Loaded)]


# -- good inputs ---------------------------------------------------------------------------


def test_text_file_keeps_bytes_and_sha(tmp_path: Path) -> None:
    data = "\ufeffALEPPO (Reuters) - Twelve were killed.\r\nSecond line.\r\n".encode("utf-8")
    loaded = _only(list(read([_write(tmp_path, "a.txt", data)])))
    assert isinstance(loaded, Loaded)
    doc = loaded.document
    assert loaded.raw == data
    assert doc.sha256 == doc.id == hashlib.sha256(data).hexdigest()
    assert doc.text == "ALEPPO (Reuters) - Twelve were killed.\nSecond line.\n"
    assert doc.format == "text" and doc.path == str((tmp_path / "a.txt").resolve())


def test_markdown_title(tmp_path: Path) -> None:
    loaded = _only(list(read([_write(tmp_path, "a.md", b"# Shelling in Ariha\n\n*Five* people were injured.")])))
    assert isinstance(loaded, Loaded)
    assert loaded.document.title == "Shelling in Ariha" and loaded.document.format == "markdown"
    assert "*Five* people" in loaded.document.text


def test_html_main_text_and_metadata_without_chrome(tmp_path: Path) -> None:
    loaded = _only(list(read([_write(tmp_path, "page.html", PAGE.encode())])))
    assert isinstance(loaded, Loaded)
    doc = loaded.document
    assert "At least twelve civilians were killed" in doc.text
    assert "Tens of thousands of people have fled" in doc.text
    for chrome in ("cookies", "World news", "Copyright", "salads", "Privacy policy"):
        assert chrome not in doc.text, chrome
    assert doc.title == "Strikes hit Saraqeb market"
    assert doc.published == "2020-02-07"
    assert doc.publisher == "Example Monitor"
    assert doc.url == "https://monitor.example.org/2020/02/saraqeb"
    assert doc.format == "html" and loaded.raw == PAGE.encode()


def test_html_with_declared_legacy_charset(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1252">').replace("Saraqeb on", "Sar\u00e2qeb on")
    loaded = _only(list(read([_write(tmp_path, "old.htm", page.encode("cp1252"))])))
    assert isinstance(loaded, Loaded) and "Sar\u00e2qeb on Tuesday" in loaded.document.text


def test_jsonl_fields(tmp_path: Path) -> None:
    lines = [
        {"id": "acled-1", "text": "Twelve killed.", "title": "T", "published": "2020-02-07",
         "publisher": "P", "url": "https://u.example"},
        {"text": "Five injured.", "published": "2020-02-08T10:00:00+03:00"},
        {"id": 7, "html": PAGE},
    ]
    raw = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
    path = _write(tmp_path, "docs.jsonl", raw.replace(b"\n", b"\n\n", 1))  # a blank line is skipped
    docs = [x.document for x in read([path]) if isinstance(x, Loaded)]
    assert [d.id for d in docs[:1]] == ["acled-1"]
    a, b, c = docs
    assert (a.title, a.published, a.publisher, a.url, a.format) == ("T", "2020-02-07", "P", "https://u.example", "jsonl")
    first_line = json.dumps(lines[1]).encode()
    assert b.sha256 == hashlib.sha256(first_line).hexdigest() and b.published == "2020-02-08"
    assert b.id == hashlib.sha256(b"Five injured.").hexdigest()  # CONTRACT: default id = sha256 of the text
    assert a.path == f"{path.resolve()}:1" and b.path == f"{path.resolve()}:3"
    assert c.id == "7" and c.format == "html" and c.title == "Strikes hit Saraqeb market"
    assert "cookies" not in c.text and c.published == "2020-02-07"


def test_stdin_is_jsonl() -> None:
    stream = io.BytesIO(b'{"id": "s1", "text": "Twelve killed."}\nnot json\n{"id": "s2", "text": "Five injured."}\n')
    items = list(read(["-"], stdin=stream))
    assert [x.document.id for x in items if isinstance(x, Loaded)] == ["s1", "s2"]
    errors = [x for x in items if isinstance(x, InputError)]
    assert len(errors) == 1 and errors[0].source == "<stdin>" and errors[0].line == 2


def test_estimate_counts_documents(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", b"x")
    _write(tmp_path, "b.jsonl", b'{"text":"a"}\n\n{"text":"b"}\n{"text":"c"}\n')
    assert estimate([tmp_path]) == 4
    assert estimate(["-"]) is None
