"""The bundled examples: readable input, dated, chrome kept out of evidence, spans that hold.

The reports live in ``examples/reports/`` (``make demo`` ingests that folder);
``examples/README.md`` lists them and stays outside it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPORTS = Path(__file__).resolve().parent.parent / "examples" / "reports"
SUFFIXES = {".txt", ".md", ".html", ".jsonl"}
HTML_EXAMPLE = REPORTS / "idlib-2020-02-25-school-strikes.html"

# Words that sit only in the HTML example's site chrome (cookie banner,
# navigation, related stories, footer): never document text, never evidence.
CHROME = (
    "cookie",
    "4,500 daily visits",
    "Subscribe",
    "3 dollars a month",
    "Related stories",
    "Saraqib falls to government forces after weeks of bombardment",
    "UN says 900,000 displaced",
    "Air strikes kill 10 in Ariha",
    "24-hour coverage",
    "Privacy policy",
    "example site made for rasd",
)

JSONL_FIELDS = {"id", "text", "html", "title", "published", "publisher", "url"}
_HEAD_DATE = re.compile(r"^Published: (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def report_files() -> list[Path]:
    return sorted(p for p in REPORTS.iterdir() if p.is_file() and not p.name.startswith("."))


def jsonl_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _stub(module: Any) -> bool:
    """True while a stage is still the skeleton's stub (its docstring says STUB)."""
    return "STUB" in (module.__doc__ or "")


# -- the files themselves --------------------------------------------------------


def test_there_are_ten_to_fourteen_reports_of_every_kind() -> None:
    files = report_files()
    assert 10 <= len(files) <= 14, [p.name for p in files]
    assert {p.suffix for p in files} == SUFFIXES
    assert (REPORTS.parent / "README.md").is_file()


@pytest.mark.parametrize("path", report_files(), ids=lambda p: p.name)
def test_report_is_nonempty_utf8_text(path: Path) -> None:
    assert path.suffix in SUFFIXES
    data = path.read_bytes()
    assert b"\x00" not in data
    text = data.decode("utf-8")  # raises on invalid UTF-8
    assert len(text.split()) >= 80, "an example report should be a real report, not a stub"


@pytest.mark.parametrize("path", report_files(), ids=lambda p: p.name)
def test_every_example_is_listed_in_the_examples_readme(path: Path) -> None:
    assert f"`{path.name}`" in (REPORTS.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [p for p in report_files() if p.suffix in (".txt", ".md")], ids=lambda p: p.name)
def test_text_report_states_its_publication_date_at_the_head(path: Path) -> None:
    head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:4])
    m = _HEAD_DATE.search(head)
    assert m, f"{path.name}: no 'Published: YYYY-MM-DD' line in the first lines"
    dt.date.fromisoformat(m.group(1))


def test_jsonl_lines_satisfy_the_input_contract() -> None:
    (path,) = [p for p in report_files() if p.suffix == ".jsonl"]
    rows = jsonl_rows(path)
    assert 2 <= len(rows) <= 3
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert set(row) <= JSONL_FIELDS, set(row) - JSONL_FIELDS
        body = row.get("text") or row.get("html")
        assert isinstance(body, str) and body.strip()
        for key in ("id", "title", "publisher", "url"):
            assert isinstance(row[key], str) and row[key]
        dt.date.fromisoformat(row["published"])


def test_html_example_carries_metadata_and_its_main_text_has_no_chrome() -> None:
    trafilatura = pytest.importorskip("trafilatura")
    html = HTML_EXAMPLE.read_text(encoding="utf-8")
    for chrome in CHROME:
        assert chrome in html, f"the page should carry {chrome!r} in its chrome, or CHROME is stale"
    text = trafilatura.extract(html, include_comments=False)
    assert "Local monitors said at least nine civilians were killed" in text
    for chrome in CHROME:
        assert chrome not in text
    meta = trafilatura.extract_metadata(html)
    assert meta.date == "2020-02-25"
    assert meta.sitename == "North-West Monitor"
    assert meta.title == "Schools hit as shelling reaches Idlib city"


# -- through rasd ------------------------------------------------------------------


@pytest.fixture(scope="module")
def documents() -> list[Any]:
    """The examples as rasd's ingest reads them (every one readable)."""
    ingest = pytest.importorskip("rasd.ingest", reason="rasd.ingest is not built yet")
    from rasd.errors import InputError

    items = list(ingest.read_documents([REPORTS]))
    errors = [str(item) for item in items if isinstance(item, InputError)]
    assert not errors, errors
    return items


@pytest.fixture(scope="module")
def extractions(documents: list[Any]) -> list[tuple[Any, dict[str, Any]]]:
    import rasd

    return [(doc, rasd.extract(doc.text, published=doc.published).to_dict()) for doc in documents]


def test_ingest_reads_every_example(documents: list[Any]) -> None:
    files = report_files()
    expected = sum(len(jsonl_rows(p)) if p.suffix == ".jsonl" else 1 for p in files)
    assert len(documents) == expected
    html = [d for d in documents if d.format == "html"]
    assert len(html) == 1
    assert html[0].published == "2020-02-25"
    assert html[0].title == "Schools hit as shelling reaches Idlib city"
    for chrome in CHROME:
        assert chrome not in html[0].text


def _spans(obj: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every SPAN ({start, end, text}) anywhere in an extraction record."""
    if isinstance(obj, dict):
        if {"start", "end", "text"} <= set(obj) and isinstance(obj["start"], int):
            yield path, obj
        for key, value in obj.items():
            yield from _spans(value, f"{path}.{key}")
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _spans(value, f"{path}[{i}]")


def test_every_span_indexes_the_document_text(extractions: list[tuple[Any, dict[str, Any]]]) -> None:
    for doc, record in extractions:
        assert record["schema"] == "rasd/1"
        for where, span in _spans(record):
            assert doc.text[span["start"] : span["end"]] == span["text"], f"{doc.path} {where}"


def test_html_chrome_is_never_evidence(extractions: list[tuple[Any, dict[str, Any]]]) -> None:
    (record,) = [rec for doc, rec in extractions if doc.format == "html"]
    for where, span in _spans(record):
        for chrome in CHROME:
            assert chrome.lower() not in span["text"].lower(), f"{where}: chrome {chrome!r} became evidence"


def test_rasd_reads_each_reports_publication_date(extractions: list[tuple[Any, dict[str, Any]]]) -> None:
    from rasd.extract import dates

    if _stub(dates):
        pytest.skip("rasd.extract.dates is still a stub")
    for doc, record in extractions:
        m = _HEAD_DATE.search(doc.text[:200])
        expected = doc.published or (m.group(1) if m else None)
        assert expected, doc.path
        assert record["document"]["published"] == expected, doc.path


# A few figures the reports state plainly: (file or JSONL id, kind, a number in the span).
ANCHORS = (
    ("idlib-2020-02-28-balyun.txt", "killed", "Thirty-three"),
    ("idlib-2020-02-18-displacement-update.md", "displaced", "900,000"),
    ("idlib-2020-01-31-ariha-strikes.txt", "killed", "10"),
    ("mosul-2017-05-25-al-jadida.txt", "killed", "105"),
    ("libya-2016-01-07-zliten.txt", "killed", "50"),
)


def test_examples_yield_their_plain_figures(extractions: list[tuple[Any, dict[str, Any]]]) -> None:
    from rasd.extract import figures

    if _stub(figures):
        pytest.skip("rasd.extract.figures is still a stub")
    by_name = {Path(str(doc.path).split(":")[0]).name: rec for doc, rec in extractions if doc.format != "jsonl"}
    for name, kind, number in ANCHORS:
        found = [
            f for f in by_name[name]["figures"] if f["kind"] == kind and number in (f.get("evidence") or {}).get("text", "")
        ]
        assert found, f"{name}: no {kind} figure with {number!r} in its evidence"
