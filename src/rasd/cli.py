"""The command line: parse arguments, call one library function, print, exit code.

Errors: a ``RasdError`` becomes one line on standard error and exit code 1;
usage errors exit 2 (click's convention).

Commands that belong to one part of rasd live beside it (``rasd/<part>/commands.py``)
and are registered here from ``COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import sys

import click

from . import __version__
from .errors import RasdError

# (module, attribute) of click commands defined by the parts of rasd.
COMMAND_MODULES: tuple[tuple[str, str], ...] = (
    ("rasd.geo.commands", "gazetteer"),
    ("rasd.evaluate", "eval_command"),
    ("rasd.link.commands", "incidents"),
    ("rasd.link.commands", "relink"),
    ("rasd.link.commands", "export"),
    ("rasd.serve.commands", "serve"),
)


class RasdGroup(click.Group):
    """A group that turns RasdError into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except RasdError as exc:
            click.echo(f"rasd: error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=RasdGroup)
@click.version_option(__version__, prog_name="rasd")
def main() -> None:
    """rasd: conflict reporting -> a sourced incident database."""


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
            main.add_command(command)


_register()
