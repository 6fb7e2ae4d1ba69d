"""The `tenge` command line: a thin layer over the SDK.

Subcommands are imported only when invoked, so `tenge compile` with nothing to do answers in a
fraction of a second instead of paying for web3's imports. ``tenge --help`` lists the commands from
:data:`SUMMARIES` without importing any of them (a test keeps each summary equal to its command's help).
"""

from __future__ import annotations

import importlib

import click

from tenge import __version__
from tenge.cli.common import TengeGroup
from tenge.cli.exit_codes import exit_codes_help

#: command name -> "module:attribute" of its click command
COMMANDS = {
    "compile": "tenge.cli.toolchain_cmds:compile_cmd",
    "devnet": "tenge.cli.toolchain_cmds:devnet",
    "accounts": "tenge.cli.accounts_cmds:accounts_group",
    "deploy": "tenge.cli.deploy_cmds:deploy_cmd",
    "deployments": "tenge.cli.deployments_cmds:deployments_group",
    "verify": "tenge.cli.verify_cmds:verify_cmd",
    "demo": "tenge.cli.demo_cmds:demo_cmd",
    "token": "tenge.cli.token_cmds:token_group",
    "bench": "tenge.cli.bench_cmds:bench_group",
    "vat": "tenge.cli.vat_cmds:vat_group",
    "bridge": "tenge.cli.bridge_cmds:bridge_group",
    "tx": "tenge.cli.tx_cmds:tx_group",
    "programme": "tenge.cli.programme_cmds:programme_group",
    "rewards": "tenge.cli.rewards_cmds:rewards_group",
    "pvp": "tenge.cli.pvp_cmds:pvp_group",
    "pay-abroad": "tenge.cli.abroad_cmds:pay_abroad_cmd",
    "index": "tenge.cli.index_cmds:index_group",
    "audit": "tenge.cli.audit_cmds:audit_group",
    "offline": "tenge.cli.offline_cmds:offline_group",
}

#: command name -> the first sentence of its help, shown by `tenge --help` without importing the command.
#: A command missing here is imported to read its help (correct, only slower).
SUMMARIES = {
    "accounts": "Manage signing accounts (scrypt keystores, mode 600, in the user config folder).",
    "bench": "Benchmarks, each on its own throw-away anvil.",
    "bridge": "Move tenge between the home ledger and BNB-side chains: send, deliver, track, refund, limits, validators.",
    "compile": "Compile contracts/ into the package's artifacts (skips solc when nothing changed).",
    "demo": "Play the digital-tenge pilot on two local chains with five validators and a relayer; write the report.",
    "deploy": "Deploy the suite and write deployments/<network>.json after every confirmed transaction.",
    "deployments": "Show and export deployment records (addresses, ABIs) for frontends and other tools.",
    "verify": "Verify the deployed contracts' source code on the network's block explorer (BscScan, opBNBScan).",
    "devnet": "Run a local anvil devnet from the project's node_modules.",
    "token": "Operate the DigitalTenge token: payments, issuance, compliance, reserve, roles, offline payments.",
    "tx": "Transactions sent by tenge: status of a hash, resume waiting, the local journal.",
    "programme": "Purpose-bound programmes: create, fund, allocate, spend (online or offline-signed), reclaim, status.",
    "pay-abroad": "Pay a merchant on another currency's home ledger in one action: bridge, PvP on the BNB side, bridge on; each hop shown.",
    "pvp": "Cross-border payment versus payment: signed FX quotes, pay, interbank settle, cancel, status, corridor limits.",
    "rewards": "Reward pools (move-to-earn): create, fund, sign and submit claims, pause, close, status.",
    "index": "Follow the suite's contracts and keep every event, decoded, in a database.",
    "audit": "Rebuild balances, tiers, freezes, allowances, supply, reserve, VAT escrow and VAT due, bridge transfers and escrow, programmes and reward pools from events alone (syncing the index first); read the same from chain state; print every difference (exit 3 if any).",
    "offline": "Offline purses: pay from a bank-certified purse with no connection; merchants accept offline and settle later; open, revoke, close purses on chain.",
    "vat": "VAT payments: merchants, rates, paying (permit, authorization, offline), refunds, withdrawals, reports.",
}


class LazyTengeGroup(TengeGroup):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, from :data:`SUMMARIES` (no command module is imported)."""
        rows = []
        for name in self.list_commands(ctx):
            summary = SUMMARIES.get(name)
            if summary is None:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(1000) if command is not None else ""
            rows.append((name, summary))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, click.Command(name, help=text).get_short_help_str(limit)) for name, text in rows])

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attribute = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


EPILOG = """\b
Environment:
  TENGE_KEYSTORE_PASSWORD   keystore password instead of the prompt
  TENGE_NEW_KEYSTORE_PASSWORD, TENGE_IMPORT_KEY   for accounts change-password / import
  TENGE_PRIVATE_KEY         raw signing key when no --account is given (local, tester only)
  TENGE_HOME                keystores/, devnets/ and config.toml (default ~/.config/tenge)
  TENGE_CONFIG              the configuration file (default ./tenge.toml, else TENGE_HOME/config.toml)
  TENGE_DEPLOYMENTS_DIR     deployment records (default deployments/ of the checkout or of the
                            working directory for a pip install)
  TENGE_PROJECT_ROOT        the project checkout, for compile/bench/devnet from a pip install
  TENGE_RPC_<NAME>          RPC URL of network NAME (TENGE_RPC_BSC_TESTNET=...)
  TENGE_BSCSCAN_API_KEY, TENGE_OPBNBSCAN_API_KEY   explorer API keys for `tenge verify`

\b
Configuration file, [networks.<name>] keys (schema-checked; errors name file and key):
  rpc_url (string), chain_id (integer), fee_model ("legacy" | "eip1559"),
  confirmations (integer >= 1), native_symbol (string), poa (boolean),
  explorer_api_url (string), explorer_api_key_env (env var name, for `tenge verify`),
  local (boolean: raw/dev keys; refused for public networks).
[suite] overrides src/tenge/defaults/suite.toml (see the README).
"""


@click.group(cls=LazyTengeGroup, epilog=EPILOG + "\n" + exit_codes_help())
@click.version_option(__version__, prog_name="tenge")
def cli() -> None:
    """Digital Tenge suite: compile, run a devnet, deploy and operate the CBDC contracts."""
