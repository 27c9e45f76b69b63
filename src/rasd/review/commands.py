"""``rasd review``: accept, reject or edit a figure or event; merge, split or detach incidents; list corrections."""

from __future__ import annotations

import json
from typing import Any

import click

from . import Correction, correct, corrections, links, ref_of
from .fields import EVENT_FIELDS, FIGURE_FIELDS

db_option = click.option("--db", metavar="FILE", envvar="RASD_DB", default=None,
                         help="SQLite database (default: $RASD_DB, else ./rasd.db).")
why_option = click.option("--why", required=True, metavar="TEXT", help="Why: kept with the correction (required).")
who_option = click.option("--who", default=None, metavar="NAME",
                          help="Who corrects (default: the `reviewer` setting, else the login name).")


def _store(db: str | None) -> Any:
    from ..store import open_store

    return open_store(db, create=False)


def _changes(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{pair!r} is not FIELD=VALUE", param_hint="--set")
        out[name.strip()] = value
    return out


def _done(store: Any, c: Correction) -> None:
    click.echo(f"correction {c.id}: {c.action} {ref_of(store, c)} by {c.who} at {c.at}"
               + (f": {c.summary()}" if c.changes else ""))


@click.group("review")
def review() -> None:
    """Correct what extraction and linking produced; every correction is kept with who, when and why.

    \b
    rasd review figure F12 --accept --why "matches the OCHA report"
    rasd review figure F12 --set kind=injured --set best=20 --why "wounded, not killed"
    rasd review event E3 --set place=Saraqib --set date=2020-02-06 --why "dateline"
    rasd review event E9 --reject --why "a statement, not an attack"
    rasd review merge I3 I7 --why "same strike"       rasd review detach I3 DOC --why "another day"
    rasd review list

    The extraction is never overwritten: corrections are rows of their own,
    and `rasd relink` and re-ingest apply them.
    """


def _target_command(target: str, fields: tuple[str, ...]) -> click.Command:
    @click.command(target, help=f"Accept, reject or edit one {target} ({'F12' if target == 'figure' else 'E3'}). "
                                f"Fields: {', '.join(fields)}.")
    @click.argument("ref", metavar="ID")
    @click.option("--accept", "action", flag_value="accept", help="The values are right as they are.")
    @click.option("--reject", "action", flag_value="reject", help=f"This {target} is wrong: leave it out.")
    @click.option("--set", "pairs", multiple=True, metavar="FIELD=VALUE", help="Change a field (repeatable).")
    @why_option
    @who_option
    @db_option
    def command(ref: str, action: str | None, pairs: tuple[str, ...], why: str, who: str | None,
                db: str | None) -> None:
        if pairs and action:
            raise click.UsageError("give --set, or --accept, or --reject")
        chosen = "edit" if pairs else action
        if chosen is None:
            raise click.UsageError("say what to do: --accept, --reject or --set FIELD=VALUE")
        prefix = "F" if target == "figure" else "E"
        if not ref.strip().upper().startswith(prefix):
            raise click.BadParameter(f"{ref!r} is not a {target} id ({prefix}12)", param_hint="ID")
        with _store(db) as store:
            _done(store, correct(store, ref, chosen, _changes(pairs), why=why, who=who))
    return command


review.add_command(_target_command("figure", FIGURE_FIELDS))
review.add_command(_target_command("event", EVENT_FIELDS))


@review.command("merge")
@click.argument("into", metavar="INCIDENT")
@click.argument("others", nargs=-1, required=True, metavar="OTHER...")
@why_option
@who_option
@db_option
def merge_command(into: str, others: tuple[str, ...], why: str, who: str | None, db: str | None) -> None:
    """Merge OTHER incidents into INCIDENT: reports of one event that linking kept apart."""
    with _store(db) as store:
        _done(store, links.merge(store, into, list(others), why=why, who=who))


@review.command("detach")
@click.argument("incident", metavar="INCIDENT")
@click.argument("documents", nargs=-1, required=True, metavar="DOCUMENT...")
@why_option
@who_option
@db_option
def detach_command(incident: str, documents: tuple[str, ...], why: str, who: str | None, db: str | None) -> None:
    """Move the reports of DOCUMENT(s) out of INCIDENT into a new incident of their own (several: a split)."""
    with _store(db) as store:
        _done(store, links.detach(store, incident, list(documents), why=why, who=who))


review.add_command(detach_command, "split")


@review.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
def list_command(fmt: str, db: str | None) -> None:
    """Every correction, oldest first: what, who, when, why."""
    with _store(db) as store:
        found = [(c, ref_of(store, c)) for c in corrections(store)]
    if fmt == "json":
        click.echo(json.dumps([{**c.to_dict(), "ref": ref} for c, ref in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("(none)")
        return
    from ..render import table

    click.echo(table(["id", "at", "who", "action", "target", "changes", "why"],
                     [[str(c.id), c.at, c.who, c.action, ref, c.summary(), c.why] for c, ref in found],
                     widths={"why": 50, "changes": 50}))
