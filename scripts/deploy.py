"""`ape run deploy`: deploy the Digital Tenge suite with ape's provider, through the project's own deploy code.

    scripts/ape-env .venv/bin/ape run deploy --network ethereum:local:node
    scripts/ape-env .venv/bin/ape run deploy --network ethereum:local:http://127.0.0.1:8545
    TENGE_KEYSTORE_PASSWORD=... scripts/ape-env .venv/bin/ape run deploy \
        --network bsc:testnet:node --account treasury-ops

ape only provides the connection. The plan (tenge.deploy.suite.suite_plan), the idempotent
Deployer, the signer (tenge.chain.accounts.resolve_signer: anvil dev keys on `local` only,
encrypted keystores elsewhere) and the record (deployments/<network>.json) are the same as
`tenge deploy`, so the two commands can be mixed: a second run of either sends no transaction.

ape networks map to ours (tenge.ape_support.APE_NETWORKS):
    ethereum:local -> local          bsc:testnet -> bsc-testnet     bsc:mainnet -> bsc
    bsc:opbnb-testnet -> opbnb-testnet                              bsc:opbnb -> opbnb
"""

from __future__ import annotations

import os

import click
from ape.cli import ConnectedProviderCommand, network_option

from tenge.ape_support import deploy_suite, tenge_network
from tenge.chain.accounts import PASSWORD_ENV
from tenge.errors import TengeError


def _line(outcome) -> str:  # type: ignore[no-untyped-def]
    gas = f"  gas {outcome.gas_used:,}" if outcome.gas_used else ""
    return f"  {outcome.action:<9} {outcome.key}  {outcome.detail}{gas}".rstrip()


@click.command(cls=ConnectedProviderCommand, short_help="Deploy the Digital Tenge suite (tenge's deployer, ape's provider)")
@network_option()
@click.option(
    "--account", "-a", default=None,
    help="Keystore alias (tenge accounts list), or dev:N for anvil's dev keys on local networks (default dev:0).",
)  # fmt: skip
@click.option("--upgrade", is_flag=True, help="Apply code changes: deploy new implementations and upgrade proxies.")
def cli(ecosystem, network, provider, account: str | None, upgrade: bool) -> None:  # type: ignore[no-untyped-def]
    """Deploy the suite and write deployments/<network>.json after every confirmed transaction."""
    try:
        ours = tenge_network(ecosystem.name, network.name)
        password = None
        if account and not account.startswith("dev:"):
            password = os.environ.get(PASSWORD_ENV) or click.prompt(f"Password for {account}", hide_input=True)
        where = str(getattr(provider, "uri", None) or provider.name)
        click.echo(f"ape network {ecosystem.name}:{network.name}:{provider.name} ({where}) -> network {ours.name}")
        result = deploy_suite(
            provider.web3, ours, where=where, account=account, password=password, upgrade=upgrade,
            progress=lambda outcome: click.echo(_line(outcome)),
        )  # fmt: skip
    except TengeError as exc:
        raise click.ClickException(str(exc)) from None
    report, record = result.report, result.deployer.record
    click.echo(
        f"{report.transactions_sent} transactions, {report.gas_used:,} gas; deployer {result.sender}; "
        f"record {record.path}"
    )
    changed = [o.key for o in report.outcomes if o.action == "changed"]
    if changed:
        click.echo(f"changed but not applied: {', '.join(changed)} (use --upgrade)")
