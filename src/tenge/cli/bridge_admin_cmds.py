"""`tenge bridge limits | validators | pause | unpause`: look at and manage one end of the bridge."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import click

from tenge.cli.bridge_params import CHAIN_ID, bridge_client
from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, reader_options, signer_options
from tenge.cli.display import amount_text


def _tx(as_json: bool, action: str, result: Any, **details: Any) -> None:
    shown = ", ".join(f"{k}={v}" for k, v in details.items())
    emit(as_json, {"action": action, **details, **result.to_dict()},
         f"{action}: {shown}\n  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}")  # fmt: skip


@click.group("limits", cls=TengeGroup, invoke_without_command=True)
@reader_options
@json_option
@click.pass_context
def limits_group(ctx: click.Context, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Rate-limit buckets per peer chain, inbound and outbound (capacity, available now, refill per second, largest
    single transfer), and the queue delay an oversized transfer waits."""
    if ctx.invoked_subcommand is not None:
        return
    bridge = bridge_client(network, rpc_url, account, read_only=True)
    delay = bridge.queue_delay()
    data: dict[str, Any] = {"bridge": bridge.address, "role": bridge.role, "queueDelaySeconds": delay, "chains": {}}
    lines = [f"{bridge.role} bridge {bridge.address} on {network}; queue delay {delay:,} s"]
    for chain in bridge.peer_chains():
        buckets = {d: bridge.rate_limit(chain, inbound=d == "inbound") for d in ("inbound", "outbound")}
        largest = {d: bridge.max_transfer(chain, inbound=d == "inbound") for d in buckets}
        data["chains"][str(chain)] = {d: {**b.to_dict(), "maxTransfer": largest[d]} for d, b in buckets.items()}
        for direction, b in buckets.items():
            most = largest[direction]
            lines.append(
                f"  chain {chain} {direction:<8} available {amount_text(b.available)} of {amount_text(b.capacity)}, "
                f"refill {amount_text(b.refill_per_second)}/s, "
                f"single transfer up to {amount_text(most) if most is not None else 'the capacity'}"
            )
    emit(as_json, data, "\n".join(lines))


@limits_group.command("set")
@click.argument("chain", metavar="CHAIN_ID", type=CHAIN_ID)
@click.option("--inbound", nargs=2, type=AMOUNT, required=True, metavar="CAPACITY REFILL", help="Inbound bucket, tenge and tenge/s.")
@click.option("--outbound", nargs=2, type=AMOUNT, required=True, metavar="CAPACITY REFILL", help="Outbound bucket, tenge and tenge/s.")
@signer_options
@json_option
def limits_set_cmd(
    chain: int, inbound: tuple[Decimal, Decimal], outbound: tuple[Decimal, Decimal],
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Set the buckets of CHAIN_ID (RATE_LIMITER_ROLE)."""
    result = bridge_client(network, rpc_url, account).set_rate_limits(chain, inbound=inbound, outbound=outbound)
    _tx(as_json, "set rate limits", result, chain=chain, inbound=[str(v) for v in inbound], outbound=[str(v) for v in outbound])


@limits_group.command("max-transfer")
@click.argument("chain", metavar="CHAIN_ID", type=CHAIN_ID)
@click.option("--inbound", type=AMOUNT, default=None, help="Largest single inbound transfer, tenge (default: the capacity).")
@click.option("--outbound", type=AMOUNT, default=None, help="Largest single outbound transfer, tenge (default: the capacity).")
@signer_options
@json_option
def limits_max_transfer_cmd(
    chain: int, inbound: Decimal | None, outbound: Decimal | None,
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Set the largest single transfer from / to CHAIN_ID that crosses without the queue delay; a larger one waits
    the whole delay (RATE_LIMITER_ROLE)."""
    result = bridge_client(network, rpc_url, account).set_max_transfer(chain, inbound=inbound, outbound=outbound)
    shown = {k: (str(v) if v is not None else None) for k, v in (("inbound", inbound), ("outbound", outbound))}
    _tx(as_json, "set the largest single transfer", result, chain=chain, **shown)


@limits_group.command("delay")
@click.argument("seconds", type=int)
@signer_options
@json_option
def limits_delay_cmd(seconds: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Set the queue delay of transfers queued from now on, in seconds (DEFAULT_ADMIN_ROLE)."""
    result = bridge_client(network, rpc_url, account).set_queue_delay(seconds)
    _tx(as_json, "set the queue delay", result, seconds=seconds)


@click.group("validators", cls=TengeGroup, invoke_without_command=True)
@reader_options
@json_option
@click.pass_context
def validators_group(ctx: click.Context, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """The validator set and the threshold of signatures required."""
    if ctx.invoked_subcommand is not None:
        return
    bridge = bridge_client(network, rpc_url, account, read_only=True)
    validators, threshold = bridge.validators(), bridge.threshold()
    delay, pending = bridge.validator_update_delay(), bridge.pending_validator_update()
    data = {"bridge": bridge.address, "threshold": threshold, "validators": validators, "update_delay_seconds": delay,
            "pending_update": pending.to_dict() if pending else None}  # fmt: skip
    lines = [f"{threshold} of {len(validators)} signatures required", *(f"  {v}" for v in validators),
             f"changes take effect {delay} s after they are scheduled"]  # fmt: skip
    if pending:
        lines += [f"pending change (applicable from {_when(pending.executable_at)}): threshold {pending.threshold}",
                  *(f"  - {v}" for v in pending.removed), *(f"  + {v}" for v in pending.added)]  # fmt: skip
    emit(as_json, data, "\n".join(lines))


def _when(unix: int) -> str:
    return datetime.fromtimestamp(unix, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


@validators_group.command("update")
@click.option("--add", "added", multiple=True, type=ADDRESS, help="A validator to add (repeatable).")
@click.option("--remove", "removed", multiple=True, type=ADDRESS, help="A validator to remove (repeatable).")
@click.option("--threshold", type=click.IntRange(1, 255), default=None, help="Signatures required (default: unchanged).")
@signer_options
@json_option
def validators_update_cmd(
    added: tuple[str, ...], removed: tuple[str, ...], threshold: int | None,
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Remove, add and set the threshold (VALIDATOR_MANAGER_ROLE). Scheduled: the same command after the delay
    applies it (the first set, or a delay of 0: at once)."""
    bridge = bridge_client(network, rpc_url, account)
    result = bridge.update_validators(remove=removed, add=added, threshold=threshold)
    pending = bridge.pending_validator_update()
    action = f"scheduled a validator change, applicable from {_when(pending.executable_at)}" if pending else "updated validators"
    _tx(as_json, action, result, added=list(added), removed=list(removed), threshold=threshold,
        executable_at=pending.executable_at if pending else None)  # fmt: skip


@validators_group.command("cancel")
@signer_options
@json_option
def validators_cancel_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Drop the scheduled validator change (VALIDATOR_MANAGER_ROLE or PAUSER_ROLE)."""
    _tx(as_json, "cancelled the scheduled validator change", bridge_client(network, rpc_url, account).cancel_validator_update())


@validators_group.command("remove")
@click.argument("validator", type=ADDRESS)
@signer_options
@json_option
def validators_remove_cmd(validator: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Remove VALIDATOR at once, if the threshold still fits the smaller set (VALIDATOR_MANAGER_ROLE)."""
    _tx(as_json, "removed a validator", bridge_client(network, rpc_url, account).remove_validator(validator), validator=validator)


@validators_group.command("delay")
@click.argument("seconds", type=int)
@signer_options
@json_option
def validators_delay_cmd(seconds: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Set the delay of validator changes in SECONDS (DEFAULT_ADMIN_ROLE); a shorter one applies only after the
    delay in force."""
    _tx(as_json, "set the validator update delay", bridge_client(network, rpc_url, account).set_validator_update_delay(seconds),
        seconds=seconds)  # fmt: skip


@click.command("replace")
@click.option("--home-network", required=True, help="The home ledger's network (its bridge is re-pointed).")
@click.option("--home-account", default=None, help="The home bridge's admin (default: --account).")
@click.option("--home-rpc-url", default=None, help="RPC of the home network (default: from the configuration).")
@signer_options
@json_option
def replace_cmd(
    home_network: str, home_account: str | None, home_rpc_url: str | None,
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Replace this network's BNB-side bridge: deploy and wire a successor (the deploy plan), retire the old one in
    its favour (no more sends there; its transfers in flight go on), hand over its escrow figure and re-point the
    home bridge. DEFAULT_ADMIN_ROLE on both bridges, the token's admin roles. Re-run to resume."""
    from tenge.bridge.replacement import replace_remote_bridge, require_remote
    from tenge.cli.common import open_session

    session = open_session(network, rpc_url, account)
    require_remote(session)  # before connecting to the home network
    result = replace_remote_bridge(session, open_session(home_network, home_rpc_url, home_account or account))
    emit(as_json, result.to_dict(), f"replaced bridge {result.old} by {result.new} ({', '.join(result.transactions) or 'nothing left to do'})")


@click.command("pause")
@signer_options
@json_option
def pause_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Pause this bridge: no send, deliver, complete, cancel or refund (PAUSER_ROLE)."""
    _tx(as_json, "paused the bridge", bridge_client(network, rpc_url, account).pause())


@click.command("unpause")
@signer_options
@json_option
def unpause_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Lift the pause (PAUSER_ROLE)."""
    _tx(as_json, "unpaused the bridge", bridge_client(network, rpc_url, account).unpause())
