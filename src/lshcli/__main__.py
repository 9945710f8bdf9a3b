"""Run `python -m lshcli` as the `lsh` command."""

from lshcli.cli import main

main()
