"""`tenge bridge hold | release | reject`: review a transfer waiting in one of this bridge's queues.

A transfer over a lane's limit waits in a queue (an oversized one: the whole queue delay, 24 h by default). While
it waits the pause role holds it (`hold`) or lets it go again (`release`), and the admin rejects it (`reject`: an
outbound one is paid back to its sender, an inbound one becomes Failed and is refunded at its source). To reject an
inbound transfer its message is read from its source bridge (--peer-network); holding needs only the id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from tenge.cli.bridge_params import TRANSFER_ID, bridge_client, peer_client, peer_options
from tenge.cli.common import emit, json_option, signer_options
from tenge.errors import InvalidInput

if TYPE_CHECKING:
    from tenge.bridge.client import BridgeClient
    from tenge.bridge.messages import BridgeTransfer


def _queued(bridge: "BridgeClient", transfer_id: str, peer_network: str | None, peer_rpc_url: str | None) -> "BridgeTransfer":
    """The message of ``transfer_id``: from this bridge's own events (outbound), else from the source bridge's."""
    from tenge.bridge.status import find_transfer

    transfer = find_transfer(bridge, transfer_id)
    if transfer is not None:
        return transfer
    source = peer_client(peer_network, peer_rpc_url)
    if source is None:
        raise InvalidInput(f"transfer {transfer_id} did not leave from {bridge.session.network.name}: name its source with --peer-network")
    transfer = find_transfer(source, transfer_id)
    if transfer is None:
        raise InvalidInput(f"no transfer {transfer_id} left the bridge on {source.session.network.name}")
    return transfer


def _review(action: str, help_text: str) -> click.Command:
    @click.command(action, help=help_text)
    @click.argument("transfer_id", metavar="ID", type=TRANSFER_ID)
    @peer_options
    @signer_options
    @json_option
    def command(
        transfer_id: str, peer_network: str | None, peer_rpc_url: str | None,
        network: str, rpc_url: str | None, account: str | None, as_json: bool,
    ) -> None:  # fmt: skip
        bridge = bridge_client(network, rpc_url, account)
        if action == "reject":  # the message is needed (to pay back, or to mark Failed)
            result = bridge.reject(_queued(bridge, transfer_id, peer_network, peer_rpc_url))
        else:
            result = bridge.hold(transfer_id, held=action == "hold")
        done = {"hold": "held", "release": "released", "reject": "rejected"}[action]
        data = {"action": done, "id": transfer_id, **result.to_dict()}
        emit(as_json, data, f"{done}: transfer {transfer_id}\n  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}")

    return command


hold_cmd = _review("hold", "Hold queued transfer ID: nobody completes it until released (PAUSER_ROLE).")
release_cmd = _review("release", "Let held transfer ID go again: it completes as queued (PAUSER_ROLE).")
reject_cmd = _review(
    "reject",
    "Reject queued transfer ID (DEFAULT_ADMIN_ROLE): an outbound one is paid back to its sender; an inbound one "
    "becomes Failed and the validators sign its refund at the source.",
)
