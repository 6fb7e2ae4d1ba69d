"""`python -m tenge.cli` runs the `tenge` command line."""

from tenge.cli.main import cli

cli()
