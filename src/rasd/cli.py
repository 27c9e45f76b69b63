"""The command line: parse arguments, call one library function, print, exit code.

Errors: a ``RasdError`` becomes one line on standard error and exit code 1;
usage errors exit 2 (click's convention).

Commands that belong to one part of rasd live beside it (``rasd/<part>/commands.py``)
and are registered here from ``COMMAND_MODULES``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from . import render
from .errors import InputError, RasdError, UsageError

# (module, attribute) of click commands defined by the parts of rasd.
COMMAND_MODULES: tuple[tuple[str, str], ...] = (
    ("rasd.geo.commands", "gazetteer"),
    ("rasd.evaluate", "eval_command"),
    ("rasd.link.commands", "incidents"),
    ("rasd.link.commands", "relink"),
    ("rasd.link.commands", "export"),
    ("rasd.serve.commands", "serve"),
    ("rasd.review.commands", "review"),
    ("rasd.ingest.watch", "watch_command"),
)


class RasdGroup(click.Group):
    """A group that turns RasdError into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except RasdError as exc:
            click.echo(render.terminal_safe(f"rasd: error: {exc}"), err=True)
            sys.exit(1)


@click.group(cls=RasdGroup)
@click.version_option(__version__, prog_name="rasd")
def main() -> None:
    """rasd: conflict reporting -> a sourced incident database.

    \b
    rasd ingest reports/ --db rasd.db    read, extract and store documents
    rasd figures --kind killed           every figure, with who stated it
    rasd events --since 2020-02-01       events in ACLED's taxonomy
    rasd show F12                        one figure with its evidence
    rasd extract article.txt             the extraction record, no store

    The database is --db FILE, else $RASD_DB, else ./rasd.db.
    """


# -- shared options ----------------------------------------------------------------------

db_option = click.option(
    "--db", metavar="FILE", envvar="RASD_DB", default=None,
    help="SQLite file or postgresql:// URL (default: $RASD_DB, else ./rasd.db).",
)


def _store(db: str | None, create: bool = False) -> Any:
    """The store at ``db``; only ``ingest`` (create=True) may make a new file."""
    from .store import open_store

    return open_store(db, create=create)


# Commands registered from other modules that only read an existing store: a missing
# file is an error naming it (they would otherwise create an empty database).
READS_STORE = frozenset({"incidents", "export", "relink", "serve"})
# Their --kind options take ACLED event or sub-event types.
EVENT_KIND_OPTIONS = frozenset({"incidents"})


def _checked(check: Callable[[Any], list[str]]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click option callback running a taxonomy check; a bad value is a usage error (exit 2)."""
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if not value:
            return value
        try:
            return tuple(check(value))
        except UsageError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None
    return callback


def _figure_kinds(values: Any) -> list[str]:
    from .taxonomy import figure_kinds
    return figure_kinds(values)


def _event_types(values: Any) -> list[str]:
    from .taxonomy import event_types
    return event_types(values)


def _requires_db(callback: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command so that a --db naming no file fails before the command opens (and creates) it."""
    import functools

    @functools.wraps(callback)
    def wrapper(*args: Any, **kw: Any) -> Any:
        from .store import require_existing, resolve_path

        if click.get_current_context().invoked_subcommand is None:  # a subcommand checks its own --db
            require_existing(resolve_path(kw.get("db")))
        return callback(*args, **kw)
    return wrapper


def _progress_enabled(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


progress_option = click.option(
    "--progress/--no-progress", default=None,
    help="Show a progress bar on standard error (default: only when it is a terminal).",
)


class DateBound(click.ParamType):
    """YYYY-MM-DD, YYYY-MM or YYYY; a partial date is the first day (--since) or the last (--until)."""

    name = "date"

    def __init__(self, end: bool = False) -> None:
        self.end = end

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return render.parse_bound(str(value), self.end)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)", param, ctx)


# -- ingest and extract ------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@progress_option
@click.option("--workers", metavar="local:N|tcp://HOST:PORT", default=None,
              help="Extract on dask.distributed: N local worker processes, or a running scheduler's workers"
                   " (partitions of partition_docs documents; PostgreSQL stores are written by the workers).")
def ingest(paths: tuple[str, ...], db: str | None, progress: bool | None, workers: str | None) -> None:
    """Read, extract and store documents: files, folders (recursively), - for JSONL on stdin.

    Reads .txt, .md, .html/.htm (main text and metadata; site chrome is left
    out) and .jsonl (one document a line: id, text or html, title, published,
    publisher, url). Identical bytes already stored are skipped; changed bytes
    at a known path (or JSONL id) are stored as a new version, the old one
    kept. Each unreadable input gets one line on standard error and exit code
    1; the rest is still stored. Documents are committed in batches, so an
    interrupted ingest leaves every stored document complete.
    """
    from . import process

    with _store(db, create=True) as store:
        bar = render.ProgressBar(_estimate(paths) if _progress_enabled(progress) else None,
                                 enabled=_progress_enabled(progress))
        shown = 0

        def on_progress(report: process.IngestReport) -> None:
            nonlocal shown  # each failure on stderr as soon as it happens
            for error in report.errors[shown:]:
                bar.write(f"rasd: {error}")
            shown = len(report.errors)
            bar.update(report)

        try:
            if workers:
                from . import distributed

                report = distributed.ingest(paths, store, workers, progress=on_progress)
            else:
                report = process.ingest(paths, store, progress=on_progress)
        except KeyboardInterrupt:
            bar.close()
            click.echo("rasd: interrupted; the documents committed so far are stored whole", err=True)
            sys.exit(130)
        bar.close()
    for line in report.unread:
        click.echo(f"rasd: {line}", err=True)
    click.echo(report.summary())
    sys.exit(1 if report.failed else 0)


def _estimate(paths: tuple[str, ...]) -> int | None:
    from .ingest import estimate

    return estimate(paths)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Publication date for documents that carry none of their own.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="jsonl: one object a line per document, in input order; json: one pretty object (a list for several).")
@progress_option
def extract(paths: tuple[str, ...], published: dt.datetime | None, fmt: str, progress: bool | None) -> None:
    """Extract figures and events from documents and print the records (no database).

    Output follows the rasd/1 contract: one record per document with its
    events and figures, each with an evidence span into the extracted text.
    Errors go to standard error. Exit code 0 when every input was read, 1
    when some could not be (the others are still extracted), 2 on usage errors.
    """
    from . import process

    day = published.date() if published else None
    failed = 0
    records: list[dict[str, Any]] = []
    bar = render.ProgressBar(None, enabled=_progress_enabled(progress))
    for _source, result in process.extract_paths(paths, published=day):
        bar.tick()
        if isinstance(result, InputError):
            failed += 1
            click.echo(render.terminal_safe(f"rasd: {result}"), err=True)
            continue
        if result.document.language:
            from .language import message
            click.echo(render.terminal_safe(f"rasd: {message(_source, result.document.language, stored=False)}"), err=True)
        if fmt == "jsonl":
            click.echo(render.dumps(result.to_dict()))
        else:
            records.append(result.to_dict())
    bar.close()
    if fmt == "json":
        out = records[0] if len(records) == 1 else records
        click.echo(render.dumps(out, indent=2))
    sys.exit(1 if failed else 0)


# -- queries -------------------------------------------------------------------------------


def query_options(kind_help: str, kind_check: Callable[[Any], list[str]]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(f: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("--kind", multiple=True, metavar="KIND", help=kind_help, callback=_checked(kind_check)),
            click.option("--place", metavar="NAME", help="Part of the place name, its admin1, or a country code."),
            click.option("--since", type=DateBound(), metavar="DATE", help="Dated on or after (YYYY[-MM[-DD]])."),
            click.option("--until", type=DateBound(end=True), metavar="DATE", help="Dated on or before (YYYY[-MM[-DD]])."),
            click.option("--source", metavar="TEXT", help="Part of the publisher, attributed_to or via."),
            click.option("--document", metavar="ID", help="Only this document's (id or prefix)."),
            click.option("--all-versions", is_flag=True, help="Include documents superseded by a newer version."),
            click.option("--include-rejected", is_flag=True,
                         help="Include what a person rejected (rasd review ... --reject); left out by default."),
            click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows."),
            click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                         show_default=True, help="Output format."),
            db_option,
        ]
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def _filters(**kw: Any) -> Any:
    from .store import Filters

    return Filters(kind=kw["kind"], place=kw["place"], since=kw["since"], until=kw["until"],
                   source=kw["source"], aggregate=kw.get("aggregate"), document=kw["document"],
                   all_versions=kw["all_versions"], limit=kw["limit"], include_rejected=kw["include_rejected"])


@main.command()
@query_options("Figure kind: killed, injured, displaced, attacks, detained, missing, affected (repeatable).",
               _figure_kinds)
@click.option("--aggregate/--no-aggregate", default=None,
              help="Only totals over many incidents (--aggregate) or only single incidents (--no-aggregate).")
def figures(fmt: str, db: str | None, **kw: Any) -> None:
    """List stored figures: each number with its kind, bounds, period, place and source.

    Dates filter on the figure's period (overlapping --since/--until), or the
    document's publication date when the figure has no period. Only the newest
    version of each document counts unless --all-versions.
    """
    with _store(db) as store:
        hits = store.figures(_filters(**kw))
    render.emit(fmt, hits, render.figure_table, render.figure_flat, render.figure_json)


@main.command()
@query_options("Event type or sub-event type, as ACLED spells it, e.g. 'Air/drone strike' (repeatable).",
               _event_types)
def events(fmt: str, db: str | None, **kw: Any) -> None:
    """List stored events: ACLED type, date, place, actors and source.

    Dates filter on the event's date (overlapping --since/--until), or the
    document's publication date when the event has none.
    """
    with _store(db) as store:
        hits = store.events(_filters(**kw))
    render.emit(fmt, hits, render.event_table, render.event_flat, render.event_json)


@main.command()
@click.argument("ref", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
def show(ref: str, fmt: str, db: str | None) -> None:
    """Show one figure (F12), event (E3), incident (I4) or document (its id, or 8+ leading characters).

    A figure or event is shown with its evidence sentence (the figure's own
    words highlighted on a terminal) and the document it came from; a
    document with its figures and events.
    """
    from .store import Filters, StoredDocument

    if re.fullmatch(r"[Ii]\d+", ref.strip()):
        _show_incident(ref, fmt, db)
        return
    with _store(db) as store:
        item = store.get(ref)
        rows = (store.figures(Filters(document=ref, all_versions=True, include_rejected=True)),
                store.events(Filters(document=ref, all_versions=True, include_rejected=True))) if isinstance(item, StoredDocument) else None
        reviews = _reviews_of(store, item)
    if fmt == "json":
        out = render.item_json(item, rows)
        if reviews and isinstance(out, dict):
            out["corrections"] = [c.to_dict() for c in reviews]
        click.echo(render.dumps(out, indent=2))
    else:
        click.echo(render.show_text(item, rows))
        for c in reviews:
            click.echo(f"correction {c.id}: {c.action} by {c.who} at {c.at}"
                       + (f": {c.summary()}" if c.changes else "") + f" ({c.why})")


def _reviews_of(store: Any, item: Any) -> list[Any]:
    """The corrections of a figure or event (``rasd review``), oldest first."""
    from .review import corrections
    from .store import EventHit, FigureHit

    if not isinstance(item, FigureHit | EventHit):
        return []
    target = "figure" if isinstance(item, FigureHit) else "event"
    return [c for c in corrections(store, document=item.document, target=target)
            if c.document == item.document.document.sha256 and c.idx == item.index]


def _show_incident(ref: str, fmt: str, db: str | None) -> None:
    from .link.commands import show_text
    from .link.repository import incident

    with _store(db) as store:
        inc = incident(store, ref)
    click.echo(render.json_safe(inc.to_json(indent=2)) if fmt == "json" else render.terminal_safe(show_text(inc)))


@main.command()
@click.argument("words", nargs=-1, required=True, metavar="QUERY...")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
def search(words: tuple[str, ...], limit: int, fmt: str, db: str | None) -> None:
    """Full-text search over the stored documents (every word must match), best first."""
    with _store(db) as store:
        hits = store.search(" ".join(words), limit=limit, marks=render.SEARCH_MARKS if fmt == "table" else ("", ""))
    click.echo(render.search_output(hits, fmt))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
def verify(fmt: str, db: str | None) -> None:
    """Check every stored document against its raw bytes, and every figure's and event's evidence.

    Re-hashes each stored raw, derives its text again and compares it with the
    stored text; compares each figure and event row with its JSON record and the
    document's extraction, and each evidence span with the text. Each mismatch
    is one line on standard output; exit code 1 when there is any. Re-ingesting
    the original file restores a document found changed.
    """
    from .verify import VerifyReport, as_json
    from .verify import verify as run

    report = VerifyReport()
    with _store(db) as store:
        found = []
        for mismatch in run(store, report):
            found.append(mismatch)
            if fmt == "text":
                click.echo(render.terminal_safe(str(mismatch)))
    if fmt == "json":
        click.echo(as_json(found))
    click.echo(report.summary(len(found)), err=fmt == "json")
    sys.exit(1 if found else 0)


# -- the installation ----------------------------------------------------------------------


@main.command()
@click.option("--no-model", is_flag=True, help="Skip loading the spaCy model (faster).")
def check(no_model: bool) -> None:
    """Check that every dependency, model and data file is present and loadable.

    One line per item; exit code 1 naming the fix when a required one is missing.
    """
    from .checks import run_checks

    results = run_checks(with_model=not no_model)
    for c in results:
        click.echo(f"{c.status:8} {c.name:28} {c.detail}")
    missing = [c for c in results if not c.ok and c.required]
    for c in results:
        if not c.ok and c.fix:
            click.echo(f"rasd: {c.name} {c.status}: fix: {c.fix}", err=True)
    sys.exit(1 if missing else 0)


@main.command("settings")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def settings_command(fmt: str) -> None:
    """List every setting: name, current value, where it came from, help.

    Set one with RASD_<NAME> in the environment, or in a config file in the
    working directory: rasd.toml (name = value) or [tool.rasd] in pyproject.toml.
    The environment wins over the file.
    """
    from . import settings

    rows = settings.all_settings()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        click.echo(render.table(["name", "value", "from", "help"],
                                [[r["name"], str(r["value"]), r["source"], r["help"]] for r in rows],
                                widths={"help": 90}))


def _register() -> None:
    for module_name, attr in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that part is not built yet
            raise
        command = getattr(module, attr, None)
        if isinstance(command, click.Command):
            _harden(command)
            main.add_command(command)


def _harden(command: click.Command) -> None:
    """Give a registered command the checks of the built-in ones (missing store, taxonomy)."""
    if command.name in READS_STORE and command.callback is not None:
        command.callback = _requires_db(command.callback)
    if command.name in EVENT_KIND_OPTIONS:
        for param in command.params:
            if param.name == "kind" and isinstance(param, click.Option) and param.callback is None:
                param.callback = _checked(_event_types)


_register()


if __name__ == "__main__":
    main()
