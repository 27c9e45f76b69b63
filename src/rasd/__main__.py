"""``python -m rasd``: the command line."""

from .cli import main

main()
