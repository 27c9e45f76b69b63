"""``rasd incidents``, ``rasd relink``, ``rasd export``: thin commands over ``link.repository``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from ..model import Incident
from . import export as ex
from . import repository


def _store(db: str | None) -> Any:
    from ..store import open_store

    return open_store(db)


def _date(value: str | None, end: bool) -> dt.date | None:
    if value is None:
        return None
    from ..render import parse_bound

    try:
        return parse_bound(value, end)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)") from None


db_option = click.option("--db", metavar="FILE", envvar="RASD_DB", default=None,
                         help="SQLite file or postgresql:// URL (default: $RASD_DB, else ./rasd.db).")


@click.group(invoke_without_command=True)
@click.option("--kind", multiple=True, help="Event type or sub-event type (repeatable), e.g. 'Air/drone strike'.")
@click.option("--place", help="Part of the place name, its admin1, or a country code.")
@click.option("--since", help="Incidents dated on or after (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--until", help="Incidents dated on or before.")
@click.option("--source", help="Part of a publisher's name or of a claim's source (attributed_to).")
@click.option("--min-sources", type=click.IntRange(min=0), default=0, show_default=True,
              help="Only incidents with at least this many independent sources.")
@click.option("--limit", type=click.IntRange(min=1), default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv", "geojson"]), default="table",
              show_default=True, help="json/jsonl: the INCIDENT record of CONTRACT.md.")
@db_option
@click.pass_context
def incidents(ctx: click.Context, kind: tuple[str, ...], place: str | None, since: str | None, until: str | None,
              source: str | None, min_sources: int, limit: int | None, fmt: str, db: str | None) -> None:
    """List incidents: reports of one event from many documents, with figures and sources.

    `rasd incidents merge I3 I7` and `rasd incidents split I3 DOC...` correct linking by hand."""
    if ctx.invoked_subcommand is not None:
        return
    with _store(db) as store:
        found = repository.incidents(store, kind=kind, place=place, since=_date(since, False),
                                     until=_date(until, True), source=source, min_sources=min_sources, limit=limit)
    click.echo(render(found, fmt), nl=False)


@incidents.command("merge")
@click.argument("first")
@click.argument("second")
@click.option("--why", default="merged by hand", show_default=True, metavar="TEXT", help="Why: kept with the correction.")
@click.option("--who", default=None, metavar="NAME", help="Who (default: the `reviewer` setting, else the login name).")
@db_option
def merge_command(first: str, second: str, why: str, who: str | None, db: str | None) -> None:
    """Merge two incidents (into the earlier): a correction of its own (who, when, why; `rasd review list`),
    kept in the history and replayed by `rasd relink`."""
    from ..review import links

    keep, other = sorted((first, second), key=lambda ref: repository.parse_ref(ref))
    with _store(db) as store:
        links.merge(store, keep, [other], why=why, who=who)
        inc = repository.incident(store, keep)
    click.echo(f"{other.upper()} merged into {inc.id} ({len(inc.reports)} reports)", err=True)


@incidents.command("split")
@click.argument("incident")
@click.argument("documents", nargs=-1, required=True)
@click.option("--why", default="split by hand", show_default=True, metavar="TEXT", help="Why: kept with the correction.")
@click.option("--who", default=None, metavar="NAME", help="Who (default: the `reviewer` setting, else the login name).")
@db_option
def split_command(incident: str, documents: tuple[str, ...], why: str, who: str | None, db: str | None) -> None:
    """Move the reports of DOCUMENTS (ids) out of INCIDENT into a new incident: a correction of its own, replayed
    by `rasd relink` (`rasd review split` with a default reason)."""
    from ..review import links

    with _store(db) as store:
        c = links.detach(store, incident, list(documents), why=why, who=who)
        new = store.query("SELECT MAX(id) AS n FROM incidents")[0]["n"]
        inc = repository.incident(store, f"I{new}")
    click.echo(f"{inc.id} split from {incident.upper()} ({len(inc.reports)} reports; correction {c.id})", err=True)


def render(found: list[Incident], fmt: str) -> str:
    """Incidents in one of the output formats of ``rasd incidents``."""
    if fmt == "json":
        return json.dumps([i.to_dict() for i in found], ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return ex.jsonl(found)
    if fmt == "csv":
        return ex.flat_csv(found)
    if fmt == "geojson":
        return json.dumps(ex.geojson(found), ensure_ascii=False, indent=2) + "\n"
    if not found:
        return "(none)\n"
    from ..render import table

    rows = [list(ex.flat(i).values()) for i in found]
    return table(list(ex.FLAT_COLUMNS), rows) + "\n"


@click.command()
@db_option
def relink(db: str | None) -> None:
    """Rebuild every incident from the stored documents (same result as the incremental updates)."""
    with _store(db) as store:
        n = repository.relink(store)
    click.echo(f"{n} incidents rebuilt", err=True)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["acled", "geojson", "jsonl"]), default="acled", show_default=True,
              help="acled: CSV with the columns of ACLED's codebook; geojson: points; jsonl: INCIDENT records.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default: stdout).")
@db_option
def export(fmt: str, output: Any, db: str | None) -> None:
    """Export every incident, in a format analysts' tools read unchanged."""
    with _store(db) as store:
        found = repository.incidents(store)
    if fmt == "acled":
        output.write(ex.acled_csv(found))
    elif fmt == "geojson":
        output.write(json.dumps(ex.geojson(found), ensure_ascii=False, indent=2) + "\n")
    else:
        output.write(ex.jsonl(found))


def show_text(inc: Incident) -> str:
    """``rasd show I3``: the incident, every report with its score and reason, figures, history."""
    place = inc.place.name if inc.place else "?"
    date = inc.date.start if inc.date else "?"
    lines = [f"{inc.id}  {inc.event_type} / {inc.sub_event_type}  {place} ({inc.place and inc.place.admin1})  {date}",
             f"independent sources: {inc.independent_sources} of {len(inc.reports)} reports"]
    for kind, s in inc.figures.items():
        lines.append(f"  {kind}: low {s.low}  best {s.best}  high {s.high}  ({s.sources} sources)")
    lines.append("reports:")
    for r in inc.reports:
        claim = f", according to {r.attributed_to}" if r.attributed_to else ""
        lines.append(f"  {r.document}  {r.publisher or '?'}  {r.published or '?'}{claim}")
        lines.append(f"      {r.reason}" + (f" [score {r.score:.2f}]" if r.score is not None else ""))
        if r.evidence is not None:
            lines.append(f"      \u201c{r.evidence.text}\u201d")
    lines.append("history:")
    lines.extend(f"  {h.at}  {h.change}" for h in inc.history)
    return "\n".join(lines)
