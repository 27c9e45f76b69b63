"""``rasd watch FEED...``: read RSS/Atom feeds and ingest the articles not stored yet.

``watch(feeds, store)`` fetches each feed (politely: ``web.Fetcher``), keeps the
article links whose URL no stored document was read from, and ingests those
through ``process.ingest`` (which fetches each page, keeps its raw bytes and
sha256, and skips bytes already stored). ``rasd watch --every N`` repeats every
N seconds until interrupted; without it, one round.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import click

from ..errors import InputError
from ..store.base import Store


@dataclass
class WatchReport:
    feeds: int = 0
    links: int = 0
    known: int = 0  # links whose URL is stored already: not fetched again
    errors: list[InputError] = field(default_factory=list)
    ingest: object | None = None  # the process.IngestReport of the new links

    def summary(self) -> str:
        head = f"{self.feeds} feed(s): {self.links} links, {self.known} already stored"
        return f"{head}; {self.ingest.summary()}" if self.ingest is not None else head  # type: ignore[attr-defined]


def watch(feeds: list[str], store: Store) -> WatchReport:
    """One round over ``feeds``: ingest every linked article not stored yet."""
    from .. import process
    from .web import feed_links

    report = WatchReport()
    new: list[str] = []
    for feed in feeds:
        try:
            links = feed_links(feed)
        except InputError as exc:
            report.errors.append(exc)
            continue
        report.feeds += 1
        report.links += len(links)
        for link in links:
            if link in new:
                continue
            if store.document_by_path(link) is not None:
                report.known += 1
            else:
                new.append(link)
    if new:
        report.ingest = process.ingest(new, store)
        report.errors += report.ingest.errors  # type: ignore[attr-defined]
    return report


@click.command("watch")
@click.argument("feeds", nargs=-1, required=True, metavar="FEED_URL...")
@click.option("--every", type=click.IntRange(min=10), default=None, metavar="SECONDS",
              help="Read the feeds again every SECONDS until interrupted (default: once).")
@click.option("--db", metavar="FILE", envvar="RASD_DB", default=None,
              help="SQLite database (default: $RASD_DB, else ./rasd.db).")
def watch_command(feeds: tuple[str, ...], every: int | None, db: str | None) -> None:
    """Ingest the articles of RSS/Atom feeds that are not stored yet (robots.txt obeyed, requests spaced)."""
    from ..store import open_store

    failed = False
    with open_store(db) as store:
        while True:
            report = watch(list(feeds), store)
            for error in report.errors:
                click.echo(f"rasd: {error}", err=True)
            click.echo(report.summary())
            failed = bool(report.errors)
            if every is None:
                break
            try:
                time.sleep(every)
            except KeyboardInterrupt:
                break
    sys.exit(1 if failed else 0)
