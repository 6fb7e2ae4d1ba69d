"""`tenge deploy`: deploy the suite to a named network from its declarative plan."""

from __future__ import annotations

import click
from web3 import Web3

from tenge.cli.common import emit, json_option, open_session, signer_options
from tenge.deploy.deployer import Deployer, StepOutcome
from tenge.deploy.dry_run import dry_run
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config


def _line(outcome: StepOutcome) -> str:
    gas = f"  gas {outcome.gas_used:,}" if outcome.gas_used else ""
    return f"  {outcome.action:<9} {outcome.key}  {outcome.detail}{gas}".rstrip()


@click.command("deploy")
@signer_options
@click.option("--dry-run", "dry_run_requested", is_flag=True, help="Run every step on a local fork; print gas and cost; send nothing.")
@click.option("--upgrade", is_flag=True, help="Apply code changes: deploy new implementations and upgrade proxies.")
@json_option
def deploy_cmd(
    network: str, rpc_url: str | None, account: str | None, dry_run_requested: bool, upgrade: bool, as_json: bool
) -> None:
    """Deploy the suite and write deployments/<network>.json after every confirmed transaction."""
    session = open_session(network, rpc_url, account)
    sender = session.signer
    plan = suite_plan(load_suite_config(session.network.name), sender.address, chain_id=session.w3.eth.chain_id)
    if dry_run_requested:
        result = dry_run(session.network, sender.account, plan, rpc_url=rpc_url)
        symbol = session.network.native_symbol
        cost = Web3.from_wei(result.cost_wei, "ether")
        data = {
            "network": session.network.name,
            "steps": [o.__dict__ for o in result.report.outcomes],
            "gas": result.report.gas_used,
            "gasPriceWei": result.gas_price_wei,
            "cost": str(cost),
            "affordable": result.affordable,
            "notes": plan.notes,
        }
        lines = [f"dry run on a fork of {session.network.name} (nothing sent):"]
        lines += [_line(o) for o in result.report.outcomes]
        lines += [f"note: {n}" for n in plan.notes]
        lines.append(f"total gas {result.report.gas_used:,} at {Web3.from_wei(result.gas_price_wei, 'gwei')} gwei = {cost} {symbol}")
        if not result.affordable:
            lines.append(f"WARNING: {sender.address} holds {Web3.from_wei(result.deployer_balance_wei, 'ether')} {symbol}: not enough")
        emit(as_json, data, "\n".join(lines))
        return
    progress = None if as_json else (lambda o: click.echo(_line(o)))
    deployer = Deployer.for_network(sender, apply_changes=upgrade, progress=progress)
    if not as_json:
        click.echo(f"deploying to {session.network.name} (chain id {deployer.record.chain_id}) from {sender.address}")
    report = deployer.run(plan)
    data = {
        "network": report.network,
        "chainId": report.chain_id,
        "transactions": report.transactions_sent,
        "gas": report.gas_used,
        "record": str(deployer.record.path),
        "contracts": {k: v["address"] for k, v in deployer.record.contracts.items()},
        "steps": [o.__dict__ for o in report.outcomes],
        "notes": plan.notes,
    }
    changed = [o.key for o in report.outcomes if o.action == "changed"]
    text = f"{report.transactions_sent} transactions, {report.gas_used:,} gas; record {deployer.record.path}"
    if changed:
        text += f"\nchanged but not applied: {', '.join(changed)} (use --upgrade)"
    text += "".join(f"\nnote: {n}" for n in plan.notes)
    emit(as_json, data, text)
