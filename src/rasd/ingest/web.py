"""Pages and feeds from the web, through trafilatura's own fetching and feeds modules, politely.

- Every request sends the ``user_agent`` setting as its User-Agent.
- ``robots.txt`` is read once per host (through the same fetcher) and obeyed: a
  disallowed URL is an ``InputError`` naming it, never fetched. Its ``Crawl-delay``
  is honoured when longer than the ``fetch_delay`` setting.
- Requests to one host are spaced by ``fetch_delay`` seconds.
- Private and loopback addresses are refused (trafilatura's SSRF protection) unless
  the ``fetch_allow_private`` setting is on.

A page becomes a document exactly as an ``.html`` file does (trafilatura's main
text), keeping the raw bytes and their sha256, with the URL as its path: bytes
already stored are skipped by ``process.ingest``, changed bytes at the same URL
become a new version.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from collections.abc import Iterator
from configparser import ConfigParser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .. import settings
from ..errors import InputError
from .raw import Loaded, max_bytes, too_big
from .text import load_file

LOGGER = logging.getLogger(__name__)
SCHEMES = ("http://", "https://")


def is_url(text: str) -> bool:
    return text.lower().startswith(SCHEMES)


def _config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "USER_AGENTS", str(settings.get("user_agent")))
    config.set("DEFAULT", "DOWNLOAD_TIMEOUT", str(int(settings.get("fetch_timeout"))))
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max_bytes()))
    config.set("DEFAULT", "SSRF_PROTECTION", "off" if settings.get("fetch_allow_private") else "on")
    return config


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    data: bytes
    content_type: str


@dataclass
class Fetcher:
    """Polite fetching: one robots.txt per host, requests to a host spaced, one User-Agent."""

    delay: float | None = None
    robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _wait(self, host: str, parser: urllib.robotparser.RobotFileParser | None) -> None:
        delay = float(settings.get("fetch_delay") if self.delay is None else self.delay)
        agent = str(settings.get("user_agent"))
        crawl = parser.crawl_delay(agent) if parser is not None else None
        delay = max(delay, float(crawl or 0))
        with self._lock:
            wait = self.last.get(host, 0.0) + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self.last[host] = time.monotonic()

    def _get(self, url: str, parser: urllib.robotparser.RobotFileParser | None) -> Fetched | None:
        from trafilatura.downloads import fetch_response

        self._wait(urlsplit(url).netloc, parser)
        response = fetch_response(url, decode=False, config=_config())
        if response is None:
            return None
        headers = getattr(response, "headers", None) or {}
        return Fetched(url=response.url or url, status=int(response.status), data=bytes(response.data or b""),
                       content_type=str(headers.get("content-type", "")))

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self.robots:
            parser: urllib.robotparser.RobotFileParser | None = None
            got = self._get(host + "/robots.txt", None)
            if got is not None and got.status == 200:
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(got.data.decode("utf-8", "replace").splitlines())
            self.robots[host] = parser  # None: no robots.txt, everything allowed
        return self.robots[host]

    def fetch(self, url: str) -> Fetched:
        """The bytes at ``url``; InputError when robots.txt forbids it, it fails or answers an error status."""
        parser = self._robots(url)
        if parser is not None and not parser.can_fetch(str(settings.get("user_agent")), url):
            raise InputError(url, "robots.txt of the site does not allow rasd to fetch it")
        got = self._get(url, parser)
        if got is None:
            raise InputError(url, "could not be fetched (unreachable, refused, a private address, or too large)")
        if got.status != 200:
            raise InputError(url, f"the server answered HTTP {got.status}")
        return got


FETCHER = Fetcher()


def read_url(url: str, fetcher: Fetcher | None = None) -> Iterator[Loaded | InputError]:
    """One web page as a document (its URL as path), or an InputError."""
    try:
        got = (fetcher or FETCHER).fetch(url)
        if len(got.data) > max_bytes():
            yield too_big(url, len(got.data))
            return
        fmt = "text" if got.content_type.startswith("text/plain") else "html"
        loaded = load_file(url, url, got.data, fmt)
    except InputError as exc:
        yield exc
        return
    if not loaded.document.url:
        loaded.document.url = got.url
    yield loaded


def feed_links(feed: str, fetcher: Fetcher | None = None) -> list[str]:
    """The article links of an RSS, Atom or JSON feed, in feed order; InputError on failure.

    Parsed by trafilatura's feeds module (``find_links``); kept: http(s) links on the
    feed's own host other than the feed and the site's front page. (trafilatura's
    ``handle_link_list`` also vets domain names, which refuses hosts without a public
    suffix such as a local server.)"""
    from trafilatura.feeds import FeedParameters, find_links

    got = (fetcher or FETCHER).fetch(feed)
    parts = urlsplit(got.url)
    params = FeedParameters(f"{parts.scheme}://{parts.netloc}", parts.netloc, got.url)
    links = []
    for link in find_links(got.data.decode("utf-8", "replace").strip(), params):
        absolute = urljoin(got.url, link)
        target = urlsplit(absolute)
        if target.scheme in ("http", "https") and target.netloc == parts.netloc \
                and absolute not in (got.url, feed) and target.path.strip("/"):
            links.append(absolute)
    if not links:
        raise InputError(feed, "not a feed, or a feed with no article links on its own site")
    return list(dict.fromkeys(links))
