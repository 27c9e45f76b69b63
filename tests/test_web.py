"""Feeds and URLs in: pages and a feed served from a local HTTP server on 127.0.0.1, fetched
through trafilatura politely (User-Agent, robots.txt, spacing), raw bytes and sha256 kept,
stored URLs skipped."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main
from rasd.ingest import web
from rasd.store import SQLiteStore

PAGE = """<!doctype html><html><head><title>{title}</title>
<meta property="og:site_name" content="Local Wire"><meta name="date" content="2020-02-0{day}"></head>
<body><nav>Home | World | Sport</nav><article><h1>{title}</h1>
<p>{body}</p><p>Rescue workers searched the rubble through the night, residents said.</p></article>
<footer>Copyright Local Wire</footer></body></html>"""

PAGES = {
    "/a.html": PAGE.format(title="Strike on Saraqib market", day=6,
                           body="An air strike killed 12 civilians in Saraqib on 6 February 2020, medics said."),
    "/b.html": PAGE.format(title="Shelling in Ariha", day=7,
                           body="Shelling killed five people in Ariha on 7 February 2020, the White Helmets said."),
    "/private/c.html": PAGE.format(title="Not for robots", day=8, body="Nothing to see."),
}
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def feed(base: str) -> str:
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in PAGES)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title><link>{base}/</link>'
            f"{items}</channel></rss>")


def atom(base: str) -> str:
    entries = "".join(f'<entry><title>{p}</title><link href="{base}{p}"/><id>{base}{p}</id>'
                      f"<updated>2020-02-07T10:00:00Z</updated></entry>" for p in PAGES)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Local Wire</title>'
            f'<link href="{base}/"/><id>{base}/</id><updated>2020-02-07T10:00:00Z</updated>{entries}</feed>')


class Server:
    def __init__(self) -> None:
        self.hits: list[tuple[str, str, float]] = []  # path, user agent, time
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner.hits.append((self.path, self.headers.get("User-Agent", ""), time.monotonic()))
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                if self.path == "/robots.txt":
                    body, kind = ROBOTS, "text/plain"
                elif self.path == "/feed.xml":
                    body, kind = feed(base), "application/rss+xml"
                elif self.path == "/atom.xml":
                    body, kind = atom(base), "application/atom+xml"
                elif self.path in PAGES:
                    body, kind = PAGES[self.path], "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [p for p, _, _ in self.hits]


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("RASD_FETCH_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("RASD_FETCH_DELAY", "0.5")
    monkeypatch.setenv("RASD_USER_AGENT", "rasd-test/1 (+polite)")
    monkeypatch.setattr(web, "FETCHER", web.Fetcher())
    s = Server()
    yield s
    s.httpd.shutdown()


def test_ingest_url_keeps_raw_bytes(server: Server, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    url = server.base + "/a.html"
    result = CliRunner().invoke(main, ["ingest", url, "--db", db])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output
    with SQLiteStore(db) as store:
        stored = store.document_by_path(url)
        assert stored is not None
        raw = store.raw(stored.rowid)
        assert raw == PAGES["/a.html"].encode("utf-8")
        assert stored.document.sha256 == hashlib.sha256(raw).hexdigest()
        assert "Home | World" not in stored.document.text and "killed 12 civilians" in stored.document.text
        assert [h.figure.best for h in store.figures()] == [12]
    assert all(agent == "rasd-test/1 (+polite)" for _, agent, _ in server.hits)
    again = CliRunner().invoke(main, ["ingest", url, "--db", db])
    assert "1 unchanged" in again.output


def test_watch_feed_obeys_robots_spacing_and_skips_stored(server: Server, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    result = CliRunner().invoke(main, ["watch", server.base + "/feed.xml", "--db", db])
    assert "robots.txt" in result.output and "/private/c.html" in result.output
    assert "2 new" in result.output
    assert "/private/c.html" not in server.paths()
    assert server.paths().count("/robots.txt") == 1
    times = [t for _, _, t in server.hits]
    assert all(b - a >= 0.35 for a, b in zip(times, times[1:])), "requests to one host are spaced (0.5 s, less arrival jitter)"
    with SQLiteStore(db) as store:
        assert {d.document.path for d in store.documents()} == {server.base + "/a.html", server.base + "/b.html"}
    before = len(server.hits)
    again = CliRunner().invoke(main, ["watch", server.base + "/feed.xml", "--db", db])
    assert "2 already stored" in again.output
    assert not [p for p in server.paths()[before:] if p.endswith(".html")], "stored links are not fetched again"


def test_watch_reads_an_atom_feed_too(server: Server, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    result = CliRunner().invoke(main, ["watch", server.base + "/atom.xml", "--db", db])
    assert "2 new" in result.output, result.output
    assert "/private/c.html" not in server.paths()
    with SQLiteStore(db) as store:
        assert {d.document.path for d in store.documents()} == {server.base + "/a.html", server.base + "/b.html"}


def test_private_addresses_refused_by_default(server: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RASD_FETCH_ALLOW_PRIVATE", "0")
    result = CliRunner().invoke(main, ["ingest", server.base + "/a.html", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1 and "could not be fetched" in result.output
    assert not server.hits
