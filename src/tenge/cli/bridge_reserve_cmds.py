"""`tenge bridge reserve | release-stranded | deferral-timeout`: the home escrow against a BNB-side chain's supply
and reserve, the governed release of escrow stranded there by burns outside the bridge, and how long a delivery
the BNB-side reserve does not cover may wait."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from tenge.cli.bridge_params import SIGNATURES, bridge_client, read_signatures
from tenge.cli.common import emit, json_option, reader_options, signer_options
from tenge.errors import InvalidInput

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.bridge.stranded import ReserveReport


def _tx(as_json: bool, action: str, result: Any, **details: Any) -> None:
    shown = ", ".join(f"{k}={v}" for k, v in details.items())
    emit(as_json, {"action": action, **details, **result.to_dict()},
         f"{action}: {shown}\n  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}")  # fmt: skip


def home_and_remote(here: "BridgeClient", peer: "BridgeClient") -> tuple["BridgeClient", "BridgeClient"]:
    """The (home, BNB-side) pair of two bridge ends given in either order."""
    if {here.role, peer.role} != {"home", "remote"}:
        raise InvalidInput("the reserve compares the home bridge with a BNB-side bridge: give one of each "
                           "(--network and --peer-network)")  # fmt: skip
    return (here, peer) if here.role == "home" else (peer, here)


def reserve_report_for(network: str, rpc_url: str | None, peer_network: str, peer_rpc_url: str | None) -> "ReserveReport":
    from tenge.bridge.stranded import reserve_report

    here = bridge_client(network, rpc_url, None, read_only=True)
    return reserve_report(*home_and_remote(here, bridge_client(peer_network, peer_rpc_url, None, read_only=True)))


@click.command("reserve")
@click.option("--peer-network", required=True, help="The other end of the bridge (home or BNB-side).")
@click.option("--peer-rpc-url", default=None, help="Override the peer network's RPC URL.")
@reader_options
@json_option
def reserve_cmd(
    peer_network: str, peer_rpc_url: str | None, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """The home escrow against the BNB-side supply and reserve: what burns outside the bridge there (wipes,
    redemptions, burns) stranded at home and is not released yet, and how far the BNB-side reserve counts above
    the home lock until the next escrow attestation (after a refund or cancel at home). Exit 3 if the BNB-side
    supply is above the home escrow."""
    del account  # read-only
    report = reserve_report_for(network, rpc_url, peer_network, peer_rpc_url)
    from tenge.cli.display import currency_code

    emit(as_json, report.to_dict(), "\n".join(report.lines(currency_code())))
    if not report.supply_within_escrow:
        raise click.exceptions.Exit(3)


@click.command("release-stranded")
@SIGNATURES
@signer_options
@json_option
def release_stranded_cmd(signatures: tuple[str, ...], network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Release home escrow stranded by burns outside the bridge on a BNB-side chain, with a threshold of
    validators' StrandedRelease SIGNATURES (`tenge bridge sign release`). Home bridge; DEFAULT_ADMIN_ROLE."""
    from tenge.bridge.attestations import StrandedRelease, one_message

    attestations = read_signatures(signatures)
    release, _, _ = one_message(attestations, "StrandedRelease")
    assert isinstance(release, StrandedRelease)
    result = bridge_client(network, rpc_url, account).release_stranded(release, attestations)
    _tx(as_json, "released stranded escrow", result, chain=release.remote_chain_id, to=release.to,
        amount=str(release.amount), sequence=release.sequence)  # fmt: skip


@click.command("deferral-timeout")
@click.argument("seconds", type=int)
@signer_options
@json_option
def deferral_timeout_cmd(seconds: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Set how long a delivery the BNB-side reserve does not cover may stay Deferred before it fails and is
    refunded, in SECONDS (at least 3600); deliveries deferred already keep their time. DEFAULT_ADMIN_ROLE."""
    _tx(as_json, "set the deferral timeout", bridge_client(network, rpc_url, account).set_deferral_timeout(seconds),
        seconds=seconds)  # fmt: skip
