"""The `tenge` command line: a thin layer over the SDK.

Subcommands are imported only when invoked, so `tenge compile` with nothing to do answers in a
fraction of a second instead of paying for web3's imports.
"""

from __future__ import annotations

import importlib

import click

from tenge import __version__
from tenge.cli.common import TengeGroup

#: command name -> "module:attribute" of its click command
COMMANDS = {
    "compile": "tenge.cli.toolchain_cmds:compile_cmd",
    "devnet": "tenge.cli.toolchain_cmds:devnet",
    "accounts": "tenge.cli.accounts_cmds:accounts_group",
    "deploy": "tenge.cli.deploy_cmds:deploy_cmd",
    "demo": "tenge.cli.demo_cmds:demo_cmd",
    "token": "tenge.cli.token_cmds:token_group",
    "bench": "tenge.cli.bench_cmds:bench_group",
    "vat": "tenge.cli.vat_cmds:vat_group",
    "bridge": "tenge.cli.bridge_cmds:bridge_group",
}


class LazyTengeGroup(TengeGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=LazyTengeGroup)
@click.version_option(__version__, prog_name="tenge")
def cli() -> None:
    """Digital Tenge suite: compile, run a devnet, deploy and operate the CBDC contracts."""
