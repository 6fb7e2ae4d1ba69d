"""`tenge bridge sign transfer|refund|escrow|release`: a validator's signature file, for the manual path (the validator
service of the next issue does the same automatically). The signing account is the validator (``--account``);
its key never leaves the keystore and nothing is sent to any chain."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tenge.cli.bridge_params import TRANSFER_ID, bridge_client
from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, open_session, signer_options
from tenge.errors import InvalidInput

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.bridge.messages import BridgeTransfer

OUT = click.option("--out", "out_dir", type=click.Path(file_okay=False), default=".", show_default=True, help="Folder for the signature file.")
PEER = click.option("--peer-network", required=True, help="The other end of the bridge.")
PEER_RPC = click.option("--peer-rpc-url", default=None, help="Override the peer network's RPC URL.")
FORCE = click.option("--force", is_flag=True, help="Sign although --account is not a validator of the bridge that "
                     "checks this signature (the signature would count for nothing there).")


def _require_validator(bridge: "BridgeClient", signer: str, force: bool, where: str) -> None:
    """A signature by an account the checking bridge does not list is useless: refused unless --force."""
    if not force and not bridge.is_validator(signer):
        raise InvalidInput(f"{signer} is not a validator of the bridge on {where} ({bridge.address}): its signature "
                           "would count for nothing there; nothing was written (sign anyway with --force)")  # fmt: skip


@click.group("sign", cls=TengeGroup)
def sign_group() -> None:
    """Sign an attestation as a validator (--account) and write it as a JSON file; nothing is sent."""


def _write(as_json: bool, attestation: object, out_dir: str) -> None:
    from tenge.bridge.attestations import Attestation

    assert isinstance(attestation, Attestation)
    path = attestation.save(Path(out_dir))
    emit(as_json, {"file": str(path), "signer": attestation.signer, "kind": attestation.kind}, f"wrote {path}")


def _source_transfer(network: str, rpc_url: str | None, transfer_id: str) -> object:
    from tenge.bridge.status import find_transfer

    source = bridge_client(network, rpc_url, None, read_only=True)
    transfer = find_transfer(source, transfer_id)
    if transfer is None:
        raise InvalidInput(f"no transfer {transfer_id} left the bridge on {network}")
    return transfer


def _transfer_command(name: str) -> Callable[[Callable[..., None]], click.Command]:
    """A ``sign`` subcommand about one transfer: ``ID``, the peer network, the output folder and the signer."""

    def decorate(body: Callable[..., None]) -> click.Command:
        for option in (json_option, signer_options, FORCE, OUT, PEER_RPC, PEER):
            body = option(body)
        body = click.argument("transfer_id", metavar="ID", type=TRANSFER_ID)(body)
        return sign_group.command(name)(body)

    return decorate


def _transfer_and_destination(
    transfer_id: str, peer_network: str, peer_rpc_url: str | None, network: str, rpc_url: str | None
) -> tuple[BridgeTransfer, BridgeClient]:
    """Transfer ID as it left the bridge on ``network``, and the (read-only) bridge of its destination."""
    from tenge.bridge.messages import BridgeTransfer

    transfer = _source_transfer(network, rpc_url, transfer_id)
    assert isinstance(transfer, BridgeTransfer)
    return transfer, bridge_client(peer_network, peer_rpc_url, None, read_only=True)


@_transfer_command("transfer")
def sign_transfer_cmd(
    transfer_id: str, peer_network: str, peer_rpc_url: str | None, out_dir: str, force: bool,
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Attest transfer ID, sent on --network, for delivery on --peer-network (its destination, whose validator
    --account must be)."""
    transfer, destination = _transfer_and_destination(transfer_id, peer_network, peer_rpc_url, network, rpc_url)
    validator = open_session(network, rpc_url, account).signer.account
    _require_validator(destination, validator.address, force, peer_network)
    _write(as_json, destination.sign("Transfer", validator, transfer), out_dir)


@_transfer_command("refund")
def sign_refund_cmd(
    transfer_id: str, peer_network: str, peer_rpc_url: str | None, out_dir: str, force: bool,
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Attest the refund of transfer ID (sent on --network), only once it is Failed on --peer-network."""
    transfer, destination = _transfer_and_destination(transfer_id, peer_network, peer_rpc_url, network, rpc_url)
    status = destination.inbound_status(transfer.id)
    if status != "Failed":
        raise InvalidInput(f"transfer {transfer_id} is {status} on {peer_network}, not Failed: a refund would pay twice")
    session = open_session(network, rpc_url, account)
    _require_validator(session.bridge(), session.signer.address, force, network)
    _write(as_json, session.bridge().sign("Refund", session.signer.account, transfer), out_dir)


@sign_group.command("escrow")
@PEER
@PEER_RPC
@OUT
@signer_options
@json_option
def sign_escrow_cmd(
    peer_network: str, peer_rpc_url: str | None, out_dir: str, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """Attest what the home bridge (--network) has locked for the BNB-side --peer-network (its reserve)."""
    from tenge.bridge.attestations import EscrowFigure

    session = open_session(network, rpc_url, account)
    home, remote = session.bridge(), bridge_client(peer_network, peer_rpc_url, None, read_only=True)
    if home.role != "home" or remote.role != "remote":
        raise InvalidInput("sign escrow runs on the home network (--network) for a BNB-side --peer-network")
    sequence = remote.last_escrow_attestation()[1] + 1
    now = int(remote.w3.eth.get_block("latest")["timestamp"])
    figure = EscrowFigure(home.chain_id, home.address, home.locked(remote.chain_id), sequence, now)
    _write(as_json, remote.sign("EscrowAttestation", session.signer.account, figure), out_dir)


@sign_group.command("release")
@PEER
@PEER_RPC
@click.option("--to", "to", required=True, type=ADDRESS, help="Who receives the released escrow at home (a bank or treasury).")
@click.option("--amount", "amount", required=True, type=AMOUNT, help="Tenge to release (at most what is stranded now).")
@OUT
@signer_options
@json_option
def sign_release_cmd(
    peer_network: str, peer_rpc_url: str | None, to: str, amount: Decimal, out_dir: str,
    network: str, rpc_url: str | None, account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Attest the release of AMOUNT of home escrow (--network, the home bridge) to --to, stranded by burns outside
    the bridge on the BNB-side --peer-network; refused when AMOUNT is more than what is stranded now."""
    from tenge.bridge.stranded import release_message

    session = open_session(network, rpc_url, account)
    home, remote = session.bridge(), bridge_client(peer_network, peer_rpc_url, None, read_only=True)
    if home.role != "home" or remote.role != "remote":
        raise InvalidInput("sign release runs on the home network (--network) for a BNB-side --peer-network")
    _require_validator(home, session.signer.address, False, network)
    release = release_message(home, remote, to, amount)
    _write(as_json, home.sign("StrandedRelease", session.signer.account, release), out_dir)
