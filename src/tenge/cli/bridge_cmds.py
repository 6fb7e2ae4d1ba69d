"""`tenge bridge ...`: move tenge between the home ledger and BNB-side chains (a thin layer over tenge.bridge).

Signatures are the validators' JSON files (one per signature, as written by the SDK's ``Attestation.save``),
given as files or directories. Every argument is checked before a connection is opened; a call the bridge would
refuse is estimated first and refused with its decoded custom error, nothing sent, non-zero exit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import click

from tenge.cli.bridge_admin_cmds import limits_group, pause_cmd, replace_cmd, unpause_cmd, validators_group
from tenge.cli.bridge_queue_cmds import hold_cmd, reject_cmd, release_cmd
from tenge.cli.bridge_reserve_cmds import deferral_timeout_cmd, release_stranded_cmd, reserve_cmd
from tenge.cli.bridge_relayer_cmds import relayer_group
from tenge.cli.bridge_sign_cmds import sign_group
from tenge.cli.bridge_validator_cmds import validator_group
from tenge.cli.bridge_params import (
    CHAIN_ID,
    PAYLOAD,
    SIGNATURES,
    TRANSFER_ID,
    bridge_client,
    peer_client,
    peer_options,
    read_signatures,
)
from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, reader_options, signer_options
from tenge.cli.display import amount_text
from tenge.errors import ContractRevert, InvalidInput

#: The BNB-side token's "not yet" refusals: a fresh escrow attestation lifts them.
RESERVE_ERRORS = ("ReserveExceeded", "ReserveAttestationStale")

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.bridge.messages import BridgeTransfer
    from tenge.token.results import TxResult


@click.group("bridge", cls=TengeGroup)
def bridge_group() -> None:
    """Move tenge between the home ledger and BNB-side chains: send, deliver, track, refund, limits, validators."""


bridge_group.add_command(limits_group)
bridge_group.add_command(validators_group)
bridge_group.add_command(pause_cmd)
bridge_group.add_command(unpause_cmd)
bridge_group.add_command(hold_cmd)
bridge_group.add_command(release_cmd)
bridge_group.add_command(reject_cmd)
bridge_group.add_command(reserve_cmd)
bridge_group.add_command(release_stranded_cmd)
bridge_group.add_command(deferral_timeout_cmd)

bridge_group.add_command(replace_cmd)
bridge_group.add_command(sign_group)
bridge_group.add_command(relayer_group)
bridge_group.add_command(validator_group)


def _done(as_json: bool, action: str, result: "TxResult", **details: Any) -> None:
    data = {"action": action, **details, **result.to_dict()}
    shown = ", ".join(f"{k}={v}" for k, v in details.items() if not isinstance(v, dict))
    emit(as_json, data, f"{action}: {shown}\n  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}")


def _escrow_first(bridge: "BridgeClient", escrow: list[Any], check: Any) -> None:
    """Post the EscrowAttestation signatures given (when newer than the last accepted) before a delivery or a
    completion, but only once the call is known to fail for nothing else: a refusal for bad signatures, a replay
    or a rate limit is reported before anything is sent."""
    from tenge.bridge.attestations import EscrowFigure, one_message

    if not escrow:
        return
    try:
        check()
    except ContractRevert as exc:
        if exc.error_name not in RESERVE_ERRORS:
            raise
    figure, _, _ = one_message(escrow, "EscrowAttestation")
    assert isinstance(figure, EscrowFigure)
    if figure.sequence > bridge.last_escrow_attestation()[1]:
        bridge.attest_escrow(figure, escrow)


def _own_transfer(bridge: "BridgeClient", transfer_id: str) -> "BridgeTransfer":
    from tenge.bridge.status import find_transfer

    transfer = find_transfer(bridge, transfer_id)
    if transfer is None:
        raise InvalidInput(f"no transfer {transfer_id} left the bridge on {bridge.session.network.name}")
    return transfer


@bridge_group.command("send")
@click.argument("dest_chain", metavar="DEST_CHAIN_ID", type=CHAIN_ID)
@click.argument("recipient", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--payload", type=PAYLOAD, default=None, metavar="HEX",
              help="A payment order (0x hex of its ABI encoding: quote, 65-byte signature, merchant, minimum received; sent as typed fields, never free-form bytes) for the destination bridge's payload handler, which RECIPIENT must be (home only; "
              "never queued; refunded if the handler refuses).")
@signer_options
@json_option
def send_cmd(
    dest_chain: int, recipient: str, amount: Decimal, payload: bytes | None, network: str, rpc_url: str | None,
    account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Send AMOUNT tenge from the signer to RECIPIENT on DEST_CHAIN_ID (at home: approves the bridge first)."""
    bridge = bridge_client(network, rpc_url, account)
    if payload is not None:
        from tenge.bridge.payloads import send_with_payload

        message, sent = send_with_payload(bridge, dest_chain, recipient, amount, payload)
        text = (f"sent with a {len(message.payload)}-byte payload: transfer {message.id_hex}\n  {amount_text(amount)} to "
                f"payload handler {recipient} on chain {dest_chain}\n  tx {sent.tx.tx_hash}  gas {sent.tx.gas_used:,}")  # fmt: skip
        emit(as_json, {**sent.to_dict(), "payload": "0x" + message.payload.hex()}, text)
        return
    result = bridge.send(dest_chain, recipient, amount)
    state = "queued by the outbound rate limit (complete later, or cancel)" if result.queued else "sent"
    if result.queued:
        entry = bridge.queue_entry(result.transfer)
        if entry is not None and entry.oversized:
            state = f"queued, oversized: delayed until {entry.release_iso} (or cancel)"
    text = f"{state}: transfer {result.transfer.id_hex}\n  {amount_text(amount)} to {recipient} on chain {dest_chain}\n  tx {result.tx.tx_hash}  gas {result.tx.gas_used:,}"
    emit(as_json, result.to_dict(), text)


@bridge_group.command("status")
@click.argument("transfer_id", metavar="ID", type=TRANSFER_ID)
@peer_options
@click.option("--signatures", "signature_paths", multiple=True, type=click.Path(), help="Signature files or directories (to tell 'attested').")
@reader_options
@json_option
def status_cmd(
    transfer_id: str, peer_network: str | None, peer_rpc_url: str | None, signature_paths: tuple[str, ...],
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Where transfer ID is: sent, attested, delivered, queued, held, delayed until <time>, failed, refunded,
    cancelled or rejected."""
    here = bridge_client(network, rpc_url, account, read_only=True)
    signatures = read_signatures(signature_paths) if signature_paths else None
    status = here.status(transfer_id, peer=peer_client(peer_network, peer_rpc_url), attestations=signatures)
    emit(as_json, status.to_dict(), f"{status.transfer_id}: {status.status}")


@bridge_group.command("deliver")
@SIGNATURES
@signer_options
@json_option
def deliver_cmd(signatures: tuple[str, ...], network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Deliver a transfer here with a threshold of validators' Transfer SIGNATURES (files or directories).

    On a BNB-side chain the token mints only what the attested home escrow covers: EscrowAttestation signatures
    among them are posted first (when newer than the last accepted, and the delivery would pass otherwise).
    """
    from tenge.bridge.attestations import one_message
    from tenge.bridge.messages import BridgeTransfer

    attestations = read_signatures(signatures)
    escrow = [a for a in attestations if a.kind == "EscrowAttestation"]
    transfers = [a for a in attestations if a.kind != "EscrowAttestation"]
    transfer, _, _ = one_message(transfers, "Transfer")
    assert isinstance(transfer, BridgeTransfer)
    bridge = bridge_client(network, rpc_url, account)
    _escrow_first(bridge, escrow, lambda: bridge.check_deliver(transfer, transfers))
    result = bridge.deliver(transfer, transfers)
    text = f"{result.status.lower()}: transfer {result.transfer_id}"
    text += f" ({result.reason})" if result.reason else ""
    emit(as_json, result.to_dict(), f"{text}\n  tx {result.tx.tx_hash}  gas {result.tx.gas_used:,}")


@bridge_group.command("complete")
@click.argument("transfer_id", metavar="ID", type=TRANSFER_ID)
@peer_options
@click.option("--escrow", "escrow_paths", multiple=True, type=click.Path(),
              help="EscrowAttestation signature files or folders, posted first on a BNB-side chain.")
@signer_options
@json_option
def complete_cmd(
    transfer_id: str, peer_network: str | None, peer_rpc_url: str | None, escrow_paths: tuple[str, ...],
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Complete a queued transfer once capacity is back (anyone may): an outbound one of this bridge, or an
    inbound one (its message is read from the source bridge, --peer-network)."""
    from tenge.bridge.status import find_transfer

    bridge = bridge_client(network, rpc_url, account)
    own = find_transfer(bridge, transfer_id)
    if own is not None:
        _done(as_json, "completed queued outbound transfer", bridge.complete_outbound(own), id=transfer_id)
        return
    source = peer_client(peer_network, peer_rpc_url)
    if source is None:
        raise InvalidInput(f"transfer {transfer_id} did not leave from {network}: name its source with --peer-network")
    transfer = _own_transfer(source, transfer_id)
    escrow = [a for a in read_signatures(escrow_paths) if a.kind == "EscrowAttestation"] if escrow_paths else []
    _escrow_first(bridge, escrow, lambda: bridge.check_complete_inbound(transfer))
    result = bridge.complete_inbound(transfer)
    emit(as_json, result.to_dict(), f"{result.status.lower()}: transfer {result.transfer_id}\n  tx {result.tx.tx_hash}  gas {result.tx.gas_used:,}")


@bridge_group.command("cancel")
@click.argument("transfer_id", metavar="ID", type=TRANSFER_ID)
@signer_options
@json_option
def cancel_cmd(transfer_id: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Cancel the signer's queued outbound transfer ID; the money comes back."""
    bridge = bridge_client(network, rpc_url, account)
    transfer = _own_transfer(bridge, transfer_id)
    _done(as_json, "cancelled", bridge.cancel(transfer), id=transfer_id, refunded=str(transfer.amount))


@bridge_group.command("refund")
@SIGNATURES
@signer_options
@json_option
def refund_cmd(signatures: tuple[str, ...], network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Refund the sender of a transfer that failed at its destination, with validators' Refund SIGNATURES (one sent
    from a retired BNB-side bridge is refunded by its successor: the network's bridge now, or the retired one)."""
    from tenge.bridge.attestations import one_message
    from tenge.bridge.messages import BridgeTransfer

    attestations = read_signatures(signatures)
    transfer, _, _ = one_message(attestations, "Refund")
    assert isinstance(transfer, BridgeTransfer)
    result = bridge_client(network, rpc_url, account).refund(transfer, attestations)
    _done(as_json, "refunded", result, id=transfer.id_hex, sender=transfer.sender, amount=str(transfer.amount))
