"""Refunding a transfer that failed at its destination, including one sent from a retired BNB-side bridge.

A refund is paid where the transfer left from: the source bridge's ``refund`` on a threshold of validators'
``Refund`` signatures (over the source bridge's EIP-712 domain). A BNB-side bridge retired by a replacement
(:mod:`tenge.bridge.replacement`) no longer holds the token's bridge roles, so it cannot mint a refund: its
successor pays it (``refundPredecessor``), on the same signatures — counted against the successor's own validator
set, once per transfer, only for a transfer Sent at the predecessor. Either bridge can be given here: the retired
one (its ``successor``) or the successor (its ``predecessor``); the relayer and ``tenge bridge refund`` use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from web3 import Web3

from tenge.addresses import checksum_address
from tenge.bridge.attestations import Attestation, BridgeDomain
from tenge.bridge.messages import BridgeTransfer
from tenge.errors import InvalidInput

if TYPE_CHECKING:
    from web3.contract import Contract
    from web3.contract.contract import ContractFunction

    from tenge.bridge.client import BridgeClient

ZERO = "0x0000000000000000000000000000000000000000"


def successor(bridge: BridgeClient) -> str | None:
    """The bridge that replaced ``bridge`` (BNB side, retired), else None."""
    if bridge.role != "remote":
        return None
    address = checksum_address(str(bridge.contract.functions.successor().call()))
    return None if address == ZERO else address


def predecessor(bridge: BridgeClient) -> str | None:
    """The retired bridge ``bridge`` adopted (BNB side), else None."""
    if bridge.role != "remote":
        return None
    address = checksum_address(str(bridge.contract.functions.predecessor().call()))
    return None if address == ZERO else address


def _at(bridge: BridgeClient, address: str) -> Contract:
    """The BNB-side bridge at ``address`` (same ABI), on ``bridge``'s chain."""
    return bridge.w3.eth.contract(address=Web3.to_checksum_address(address), abi=bridge.contract.abi)


def _payer(bridge: BridgeClient, transfer: BridgeTransfer) -> Contract | None:
    """The successor contract that pays ``transfer``'s refund (sent from a retired bridge), or None when its source
    bridge pays it itself. Refuses a transfer that did not leave from ``bridge`` nor from its predecessor."""
    source = checksum_address(transfer.source_bridge)
    if transfer.source_chain_id != bridge.chain_id:
        raise InvalidInput(f"transfer {transfer.id_hex} left from chain {transfer.source_chain_id}, not {bridge.chain_id}")
    if source == bridge.address:
        after = successor(bridge)
        return None if after is None else _at(bridge, after)
    if source == predecessor(bridge):
        return bridge.contract
    raise InvalidInput(
        f"transfer {transfer.id_hex} left from the bridge {source}: neither this one ({bridge.address}) nor the one it "
        "replaced; refund it at its source"
    )


def refund_status(bridge: BridgeClient, transfer: BridgeTransfer) -> str:
    """``transfer`` at its source, as a refund sees it: None, Sent (refundable), Queued, Cancelled, Refunded or
    Rejected — Refunded also when the successor of its (retired) source bridge paid the refund."""
    from tenge.bridge.client import OUTBOUND

    payer = _payer(bridge, transfer)
    if payer is not None and payer.functions.predecessorRefunded(transfer.id).call():
        return "Refunded"
    source = bridge.contract if transfer.source_bridge == bridge.address else _at(bridge, transfer.source_bridge)
    return OUTBOUND[int(source.functions.outboundStatus(transfer.nonce).call())]


def refund_call(bridge: BridgeClient, transfer: BridgeTransfer, attestations: list[Attestation]) -> ContractFunction:
    """The call that refunds ``transfer`` on ``attestations`` (``Refund`` signatures over its source bridge's
    domain): the source bridge's ``refund``, or its successor's ``refundPredecessor`` once it was retired."""
    domain = BridgeDomain(transfer.source_chain_id, transfer.source_bridge)
    signers, signatures = bridge._signatures(attestations, "Refund", transfer, domain)
    payer = _payer(bridge, transfer)
    if payer is None:
        return bridge.contract.functions.refund(transfer.as_struct(), signers, signatures)
    return payer.functions.refundPredecessor(transfer.as_struct(), signers, signatures)
