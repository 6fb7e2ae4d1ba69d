"""Transfers with a payload (the pattern of CCTP v2 hooks and CCIP programmable token transfers).

At home, :func:`send_with_payload` sends tenge to the BNB-side bridge's payload handler with a payment order for
it (typed on chain, :mod:`tenge.bridge.orders`; ``sendWithPayload``: never queued; over the outbound rate limit it is refused with nothing sent). Validators sign
the ``PayloadTransfer`` (the transfer's fields and the payload); :func:`deliver_with_payload` delivers it on the BNB
side, where the bridge mints the amount to its one admin-set handler and calls ``onBridgeDelivery`` in the same
transaction. If the handler (or the token) refuses, the transfer is Failed and refunded at home once, through the
ordinary failed-delivery path (``Refund`` signatures, :meth:`BridgeClient.refund`).
"""

from __future__ import annotations

from web3 import Web3
from web3.logs import DISCARD

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, parse_tenge, to_tiyn
from tenge.bridge.attestations import Attestation
from tenge.bridge.client import BridgeClient, InboundResult, SendResult
from tenge.bridge.messages import BridgeTransfer, PayloadTransfer, parse_chain_id
from tenge.bridge.orders import order_struct, payload_of_order
from tenge.errors import InvalidInput
from tenge.token.results import TxResult

ZERO = "0x0000000000000000000000000000000000000000"


def payload_handler(bridge: BridgeClient) -> str | None:
    """The BNB-side bridge's payload handler (None: none set). Remote only."""
    bridge._only("remote", "payloadHandler")
    handler = str(bridge.contract.functions.payloadHandler().call())
    return None if int(handler, 16) == 0 else checksum_address(handler)


def set_payload_handler(bridge: BridgeClient, handler: str | None) -> TxResult:
    """Set (or clear, with None) the one contract transfers with a payload are handed to. DEFAULT_ADMIN_ROLE;
    remote only."""
    bridge._only("remote", "setPayloadHandler")
    address = ZERO if handler is None else checksum_address(handler)
    if handler is not None and not bridge.w3.eth.get_code(Web3.to_checksum_address(address)):
        raise InvalidInput(f"{address} holds no contract: a payload handler is a contract; nothing was sent")
    return bridge._send(bridge.contract.functions.setPayloadHandler(address), f"set the payload handler to {address}")


def send_with_payload(
    bridge: BridgeClient, dest_chain_id: int, recipient: str, amount: AmountLike, payload: bytes
) -> tuple[PayloadTransfer, SendResult]:
    """Send ``amount`` tenge from the signer to ``recipient`` (the destination bridge's payload handler) on
    ``dest_chain_id`` with ``payload`` (a payment order's canonical encoding, sent as the typed order). Home only; the
    signer's allowance is raised first when short."""
    bridge._only("home", "sendWithPayload")
    recipient, value = checksum_address(recipient), parse_tenge(amount, allow_zero=False)
    chain = parse_chain_id(dest_chain_id)
    PayloadTransfer(BridgeTransfer(1, ZERO, 1, ZERO, 0, ZERO, recipient, value), bytes(payload))  # checks the payload
    order = order_struct(bytes(payload))
    call = bridge.contract.functions.sendWithPayload(chain, recipient, to_tiyn(value), order)
    description = f"bridge {bridge._fmt(value)} with a {len(payload)}-byte payload to {recipient} on chain {chain}"
    bridge._check_sendable(chain, value)
    token = bridge.session.token()
    if token.allowance(bridge.me, bridge.address) < value:
        bridge._check_send_but_allowance(call, description)
        token.approve(bridge.address, value)
    sent = bridge.session.signer.send(call, description=description)
    logs = bridge.contract.events.PayloadTransferSent().process_receipt(sent.receipt, errors=DISCARD)
    if not logs:  # pragma: no cover - the contract emits it or reverts
        raise InvalidInput(f"transaction {sent.tx_hash} emitted no PayloadTransferSent event")
    transfer = BridgeTransfer.from_struct(logs[0]["args"]["transfer"])
    message = PayloadTransfer(transfer, payload_of_order(logs[0]["args"]["order"]))
    return message, SendResult(transfer, False, TxResult.from_sent(sent))


def deliver_with_payload(bridge: BridgeClient, message: PayloadTransfer, attestations: list[Attestation]) -> InboundResult:
    """Deliver ``message`` on the BNB side with a threshold of ``PayloadTransfer`` signatures (anyone may):
    Delivered (minted to the handler, which ran), Failed (refunded at home), Deferred or Queued."""
    bridge._only("remote", "deliverWithPayload")
    signers, signatures = bridge._signatures(attestations, "PayloadTransfer", message)
    call = bridge.contract.functions.deliverWithPayload(message.transfer.as_struct(), message.payload, signers, signatures)
    return bridge._inbound(call, message.transfer, f"deliver transfer {message.id_hex} with its payload")


def sent_payloads(bridge: BridgeClient, from_block: int, to_block: int | str = "latest") -> list[PayloadTransfer]:
    """The transfers with a payload this (home) bridge sent in blocks ``from_block..to_block``, in order."""
    event = bridge.contract.events.PayloadTransferSent()
    logs = event.get_logs(from_block=from_block, to_block=to_block)
    return [PayloadTransfer(BridgeTransfer.from_struct(log["args"]["transfer"]), payload_of_order(log["args"]["order"]))
            for log in logs]
