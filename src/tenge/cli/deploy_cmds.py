"""`tenge deploy`: deploy the suite to a named network from its declarative plan.

Exit codes beyond 0/1/2 (see `tenge --help`): 3 when code or configuration changed and was not applied
(``--upgrade`` / ``--apply-config`` apply it), 6 when the configuration differs from the chain in an
initializer argument only a redeploy can change, 7 when `--upgrade` would change the storage layout incompatibly,
4/5 when a transaction's wait ended before it was
mined/confirmed, 130 on Ctrl-C (what was pending is printed; re-run the same command to resume).
"""

from __future__ import annotations

import click
from web3 import Web3

from tenge.cli.common import emit, fee_overrides, json_option, open_session, signer_address, signer_options
from tenge.cli.exit_codes import CHANGES_NOT_APPLIED, REDEPLOY_NEEDED
from tenge.cli.progress import IN_FLIGHT
from tenge.deploy.deployer import DeployReport, Deployer, StepOutcome
from tenge.deploy.dry_run import dry_run
from tenge.deploy.record import DeploymentRecord
from tenge.deploy.suite import suite_plan
from tenge.deploy.suite_config import load_suite_config
from tenge.errors import InvalidInput, TransactionPending


def _line(outcome: StepOutcome) -> str:
    gas = f"  gas {outcome.gas_used:,}" if outcome.gas_used else ""
    return f"  {outcome.action:<9} {outcome.key}  {outcome.detail}{gas}".rstrip()


def _finish(report: DeployReport) -> None:
    """Exit non-zero when the chain still differs from the code or configuration: CI must notice."""
    redeploy = [o.key for o in report.outcomes if o.action == "redeploy"]
    changed = [o.key for o in report.outcomes if o.action == "changed"]
    if redeploy:
        click.echo(f"configuration differs from the chain and needs a redeploy: {', '.join(redeploy)}", err=True)
        raise click.exceptions.Exit(REDEPLOY_NEEDED)
    if changed:
        click.echo(f"changed but not applied: {', '.join(changed)} "
                   "(--upgrade applies code changes, --apply-config configuration changes)", err=True)  # fmt: skip
        raise click.exceptions.Exit(CHANGES_NOT_APPLIED)


@click.command("deploy")
@signer_options
@click.option("--dry-run", "dry_run_requested", is_flag=True,
              help="Run every step on a local fork; print gas and cost; send nothing; no password needed.")
@click.option("--upgrade", is_flag=True, help="Apply code changes: deploy new implementations and upgrade proxies.")
@click.option("--apply-config", is_flag=True,
              help="Apply configuration that differs from the chain (caps, roles, tiers, VAT rates, treasury, reserve).")
@click.option("--unsafe-skip-storage-check", "skip_storage_check", is_flag=True,
              help="Upgrade without comparing storage layouts (only for a record without one, checked by hand).")
@json_option
def deploy_cmd(
    network: str, rpc_url: str | None, account: str | None, dry_run_requested: bool, upgrade: bool,
    apply_config: bool, skip_storage_check: bool, as_json: bool,
) -> None:  # fmt: skip
    """Deploy the suite and write deployments/<network>.json after every confirmed transaction.

    Each transaction's hash is printed (stderr) as it is sent. Re-running sends only what is missing;
    code or configuration that differs from the chain is reported (exit 3) and applied only when asked.
    """
    if ":" in network:
        base = network.partition(":")[0]
        raise InvalidInput(f"{network!r} is a currency's part of network {base!r}: deploy the network itself "
                           f"(`tenge deploy --network {base}` deploys every currency bridged there)")
    if dry_run_requested:
        _dry_run(network, rpc_url, account, upgrade=upgrade, apply_config=apply_config, as_json=as_json,
                 skip_storage_check=skip_storage_check)
        return
    session = open_session(network, rpc_url, account)
    sender = session.signer
    plan = suite_plan(load_suite_config(session.network.name), sender.address, chain_id=session.w3.eth.chain_id)
    progress = None if as_json else (lambda o: click.echo(_line(o)))
    deployer = Deployer.for_network(sender, apply_changes=upgrade, apply_config=apply_config, progress=progress,
                                    skip_storage_check=skip_storage_check)
    deployer.starting = lambda key: setattr(IN_FLIGHT, "step", key)
    IN_FLIGHT.resume_hint = (
        f"The record {deployer.record.path or DeploymentRecord.path_for(deployer.record.network)} notes every sent "
        "transaction: re-run the same `tenge deploy` command "
        "to resume; it picks up a pending transaction once mined and sends nothing twice."
    )
    if not as_json:
        click.echo(f"deploying to {session.network.name} (chain id {deployer.record.chain_id}) from {sender.address}")
    try:
        report = deployer.run(plan)
    except TransactionPending as exc:
        exc.args = (f"{exc.args[0]}; then re-run the same `tenge deploy` command: it resumes from the record",)
        raise
    IN_FLIGHT.step = None
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
    text = f"{report.transactions_sent} transactions, {report.gas_used:,} gas; record {deployer.record.path}"
    emit(as_json, data, text + "".join(f"\nnote: {n}" for n in plan.notes))
    _finish(report)


def _dry_run(network: str, rpc_url: str | None, account: str | None, *, upgrade: bool, apply_config: bool,
             as_json: bool, skip_storage_check: bool) -> None:  # fmt: skip
    """The plan on a fork, as the deployer's address: the keystore stays locked (its address is in its file)."""
    session = open_session(network, rpc_url, None, read_only=True)
    address = signer_address(session.network, account)
    plan = suite_plan(load_suite_config(session.network.name), address, chain_id=session.w3.eth.chain_id)
    fees = fee_overrides()  # a fee set by hand prices the dry run (EIP-1559: at the maximum fee, the worst case)
    result = dry_run(session.network, session.w3, address, plan, rpc_url=rpc_url,
                     gas_price_wei=fees.gas_price if fees.gas_price is not None else fees.max_fee,
                     apply_changes=upgrade, apply_config=apply_config,
                     skip_storage_check=skip_storage_check)  # fmt: skip
    symbol = session.network.native_symbol
    cost = Web3.from_wei(result.cost_wei, "ether")
    held = Web3.from_wei(result.deployer_balance_wei, "ether")
    data = {
        "network": session.network.name,
        "deployer": address,
        "steps": [o.__dict__ for o in result.report.outcomes],
        "gas": result.report.gas_used,
        "gasPriceWei": result.gas_price_wei,
        "cost": str(cost),
        "balance": str(held),
        "affordable": result.affordable,
        "notes": plan.notes,
    }
    lines = [f"dry run on a fork of {session.network.name} as {address} (nothing sent):"]
    lines += [_line(o) for o in result.report.outcomes]
    lines += [f"note: {n}" for n in plan.notes]
    lines.append(f"total gas {result.report.gas_used:,} at {Web3.from_wei(result.gas_price_wei, 'gwei')} gwei = {cost} {symbol}")
    emit(as_json, data, "\n".join(lines))
    result.require_affordable()
    _finish(result.report)
