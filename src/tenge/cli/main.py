"""The `tenge` command line: a thin layer over the SDK."""

from __future__ import annotations

import click

from tenge import __version__
from tenge.cli.accounts_cmds import accounts_group
from tenge.cli.common import TengeGroup
from tenge.cli.deploy_cmds import deploy_cmd
from tenge.cli.toolchain_cmds import compile_cmd, devnet


@click.group(cls=TengeGroup)
@click.version_option(__version__, prog_name="tenge")
def cli() -> None:
    """Digital Tenge suite: compile, run a devnet, deploy and operate the CBDC contracts."""


cli.add_command(compile_cmd)
cli.add_command(devnet)
cli.add_command(accounts_group)
cli.add_command(deploy_cmd)
