"""Click parameter types and shared plumbing of the bridge commands: each type refuses bad input before a
connection is opened."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tenge.cli.common import open_session
from tenge.cli.token_params import _Checked
from tenge.errors import InvalidInput

if TYPE_CHECKING:
    from tenge.bridge.attestations import Attestation
    from tenge.bridge.client import BridgeClient


class TransferIdType(_Checked):
    """A transfer id: 0x followed by 64 hex digits."""

    name = "transfer-id"

    def check(self, value: str) -> str:
        from tenge.bridge.messages import parse_transfer_id

        return "0x" + parse_transfer_id(value).hex()


class ChainIdType(_Checked):
    """A chain id: a whole number from 1 to 2^64-1."""

    name = "chain-id"

    def check(self, value: str) -> int:
        from tenge.bridge.messages import parse_chain_id

        return parse_chain_id(value)


class PayloadType(_Checked):
    """A payload for a bridge's payload handler: 0x followed by an even number of hex digits (1 to 4,096 bytes)."""

    name = "payload"

    def check(self, value: str) -> bytes:
        from tenge.bridge.messages import MAX_PAYLOAD_BYTES

        text = str(value).strip()
        try:
            raw = bytes.fromhex(text.removeprefix("0x")) if text.startswith("0x") else None
        except ValueError:
            raw = None
        if raw is None or not 0 < len(raw) <= MAX_PAYLOAD_BYTES:
            raise InvalidInput(f"{value!r} is not a payload (0x followed by hex digits, 1 to {MAX_PAYLOAD_BYTES} bytes)")
        return raw


TRANSFER_ID = TransferIdType()
CHAIN_ID = ChainIdType()
PAYLOAD = PayloadType()


def bridge_client(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "BridgeClient":
    from tenge.cli.display import set_currency

    client = open_session(network, rpc_url, account, read_only=read_only).bridge()
    set_currency(lambda: client.currency)
    return client


def peer_client(peer_network: str | None, peer_rpc_url: str | None) -> "BridgeClient | None":
    """The other end of the bridge, read-only, when ``--peer-network`` is given."""
    return bridge_client(peer_network, peer_rpc_url, None, read_only=True) if peer_network else None


def read_signatures(paths: tuple[str, ...]) -> list["Attestation"]:
    from tenge.bridge.attestations import load_attestations

    if not paths:
        raise InvalidInput("give the validators' signature files, or a directory of them")
    return load_attestations([Path(p) for p in paths])


def peer_options(func: Any) -> Any:
    func = click.option("--peer-rpc-url", default=None, help="Override the peer network's RPC URL.")(func)
    func = click.option(
        "--peer-network", default=None, help="The other end of the bridge (source or destination), read-only."
    )(func)
    return func


SIGNATURES = click.argument("signatures", nargs=-1, type=click.Path())
