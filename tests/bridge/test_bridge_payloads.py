"""Transfers with a payload (CCTP v2 hooks / CCIP programmable token transfers): the home bridge sends tenge with
a typed payment order for the BNB-side bridge's one admin-set payload handler (never free-form bytes on chain); the validators sign the payload with the transfer;
the BNB-side bridge mints to the handler and calls it in the same transaction. A handler (or token) refusal makes
the delivery Failed and the sender is refunded at home exactly once; the payload can make the bridge call nothing
but its handler; a plain transfer never credits the handler; a tampered payload is refused by the signatures.

The handler here is contracts/mocks/PayloadForwarder.sol (it passes the money on to the order's merchant under the
token's rules, so a refused merchant makes it revert; the quote is not its business)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bridge_checks import ZERO_ADDRESS, forward_order, refused, rejected
from bridge_world import ADMIN, ALICE, BNB, BNB_CHAIN, BOB, CAROL, HOME, STRANGER, BridgeWorld
from web3 import Web3

from tenge.bridge.messages import PayloadTransfer
from tenge.bridge.orders import order_struct
from tenge.bridge.payloads import deliver_with_payload, payload_handler, send_with_payload, set_payload_handler
from tenge.bridge.status import transfer_status
from tenge.contracts import load_artifact
from tenge.errors import InvalidInput


def _to(world: BridgeWorld, index: int) -> bytes:
    return forward_order(world.address(index))


@pytest.fixture
def handler(world: BridgeWorld) -> str:
    """A PayloadForwarder on the BNB side, KYC'd there and set as the BNB-side bridge's payload handler."""
    bnb = world.bridge(BNB, ADMIN)
    address, _ = world.session(BNB, ADMIN).signer.deploy(
        load_artifact("PayloadForwarder"), [bnb.address, world.token(BNB).address]
    )
    world.token(BNB).set_tier(address, 3)
    set_payload_handler(bnb, address)
    assert payload_handler(bnb) == Web3.to_checksum_address(address)
    return str(address)


def _send(world: BridgeWorld, handler: str, payload: bytes, amount: str = "40.00") -> PayloadTransfer:
    message, result = send_with_payload(world.bridge(HOME, ALICE), BNB_CHAIN, handler, amount, payload)
    assert not result.queued and message.transfer == result.transfer and message.payload == payload
    world.transfers.append(message.transfer)
    world.assert_conserved()
    return message


def _redeliver(world: BridgeWorld, message: PayloadTransfer) -> None:
    bnb = world.bridge(BNB)
    deliver_with_payload(bnb, message, world.attest("PayloadTransfer", message, bnb))


def _deliver(world: BridgeWorld, message: PayloadTransfer) -> tuple[str, str | None]:
    world.attest_escrow()
    bnb = world.bridge(BNB)
    result = deliver_with_payload(bnb, message, world.attest("PayloadTransfer", message, bnb))
    world.assert_conserved()
    return result.status, result.reason


def test_a_payload_transfer_mints_to_the_handler_and_calls_it_in_the_same_transaction(
    world: BridgeWorld, handler: str
) -> None:
    alice, bob = world.balance(HOME, ALICE), world.balance(BNB, BOB)
    message = _send(world, handler, _to(world, BOB))
    assert world.balance(HOME, ALICE) == alice - Decimal("40.00")
    status, _ = _deliver(world, message)
    assert status == "Delivered"
    # The handler ran in the delivery: the money went on to the payload's recipient, nothing is left in it.
    assert world.balance(BNB, BOB) == bob + Decimal("40.00")
    assert world.token(BNB).balance_of(handler) == Decimal("0.00")
    home, bnb = world.bridge(HOME), world.bridge(BNB)
    assert transfer_status(message.id, source=home, destination=bnb).status == "delivered"
    rejected(world, "AlreadyProcessed", lambda: _redeliver(world, message), status=1)


@pytest.mark.parametrize(
    ("case", "error"), [("recipient not KYC'd", "NotApproved"), ("recipient frozen", "AccountFrozen")]
)
def test_a_refusing_handler_fails_the_delivery_and_the_sender_is_refunded_exactly_once(
    world: BridgeWorld, handler: str, case: str, error: str
) -> None:
    target = STRANGER if case == "recipient not KYC'd" else BOB
    if case == "recipient frozen":
        world.token(BNB).freeze(world.address(BOB))
    alice, supply = world.balance(HOME, ALICE), world.token(BNB).total_supply()
    message = _send(world, handler, _to(world, target))
    status, reason = _deliver(world, message)
    assert status == "Failed" and reason is not None and error in reason, reason
    # Nothing was minted: the mint to the handler was undone with the handler's refusal.
    assert world.token(BNB).total_supply() == supply
    assert world.token(BNB).balance_of(handler) == Decimal("0.00")
    world.refund(message.transfer)
    assert world.balance(HOME, ALICE) == alice
    home, bnb = world.bridge(HOME), world.bridge(BNB)
    assert transfer_status(message.id, source=home, destination=bnb).status == "refunded"
    rejected(world, "RefundNotAllowed", lambda: home.refund(message.transfer, world.attest("Refund", message.transfer, home)), status=4)
    rejected(world, "AlreadyProcessed", lambda: _redeliver(world, message), status=3)


def test_a_payload_to_anything_but_the_handler_fails_and_is_refunded(world: BridgeWorld, handler: str) -> None:
    """The payload never chooses what the bridge calls: a transfer with a payload whose recipient is not the
    handler (here: Bob himself) mints nothing and calls nothing."""
    alice, bob = world.balance(HOME, ALICE), world.balance(BNB, BOB)
    message = _send(world, world.address(BOB), _to(world, BOB))
    status, reason = _deliver(world, message)
    assert status == "Failed" and reason is not None and "NotPayloadHandler" in reason, reason
    assert world.balance(BNB, BOB) == bob
    world.refund(message.transfer)
    assert world.balance(HOME, ALICE) == alice


def test_a_plain_transfer_never_credits_the_handler(world: BridgeWorld, handler: str) -> None:
    """A plain send to the handler's address would leave money in it without its call: Failed, refunded."""
    alice = world.balance(HOME, ALICE)
    transfer = world.bridge(HOME, ALICE).send(BNB_CHAIN, handler, "25.00").transfer
    world.transfers.append(transfer)
    world.attest_escrow()
    bnb = world.bridge(BNB)
    result = bnb.deliver(transfer, world.attest("Transfer", transfer, bnb))
    assert result.status == "Failed" and result.reason is not None and "PayloadRequired" in result.reason, result.reason
    assert world.token(BNB).balance_of(handler) == Decimal("0.00")
    world.refund(transfer)
    assert world.balance(HOME, ALICE) == alice


def test_the_signatures_bind_the_payload(world: BridgeWorld, handler: str) -> None:
    """Signatures over one payload do not deliver another (a relayer cannot redirect the payment), and the plain
    `Transfer` signatures of the same fields do not deliver it either."""
    message = _send(world, handler, _to(world, BOB))
    world.attest_escrow()
    bnb = world.bridge(BNB)
    signed = world.attest("PayloadTransfer", message, bnb)
    signers, signatures = [a.signer for a in signed], [a.signature for a in signed]
    tampered = bnb.contract.functions.deliverWithPayload(message.transfer.as_struct(), _to(world, CAROL), signers, signatures)
    rejected(world, "InvalidSignature", lambda: bnb._estimate(tampered, "deliver a tampered payload"))
    plain = world.attest("Transfer", message.transfer, bnb)
    as_plain = bnb.contract.functions.deliverWithPayload(
        message.transfer.as_struct(), message.payload, [a.signer for a in plain], [a.signature for a in plain]
    )
    rejected(world, "InvalidSignature", lambda: bnb._estimate(as_plain, "deliver with Transfer signatures"))
    assert _deliver(world, message)[0] == "Delivered"


def test_the_payload_on_chain_is_a_typed_order_never_free_form_bytes(world: BridgeWorld, handler: str) -> None:
    """Privacy (no personal data on chain in free form): the home bridge takes and emits the order as typed fields
    only; the SDK refuses free-form bytes (a name, here) and a canonical order with bytes hidden behind it."""
    event = next(e for e in world.bridge(HOME).contract.abi if e.get("name") == "PayloadTransferSent")
    leaves = str(event["inputs"])
    assert "'bytes'" not in leaves and "'string'" not in leaves and "'bytes32', 'name': 'r'" in leaves
    home = world.bridge(HOME, ALICE)
    for payload in (b"Aigerim Nurlanova, IIN 900101300123", forward_order(world.address(BOB), tail=b"Aigerim")):
        refused(world, InvalidInput, lambda: send_with_payload(home, BNB_CHAIN, handler, "1.00", payload),
                match="payment order")
    message = _send(world, handler, _to(world, BOB))
    assert message.payload == _to(world, BOB)  # rebuilt from the typed event, byte for byte


def test_bad_payload_sends_are_refused_with_nothing_sent(world: BridgeWorld, handler: str) -> None:
    home = world.bridge(HOME, ALICE)
    refused(world, InvalidInput, lambda: send_with_payload(home, BNB_CHAIN, handler, "1.00", b""), match="payload")
    refused(world, InvalidInput, lambda: send_with_payload(home, BNB_CHAIN, handler, "1.00", forward_order(ZERO_ADDRESS)), match="merchant")
    refused(world, InvalidInput, lambda: send_with_payload(home, BNB_CHAIN, handler, "1.00", forward_order(world.address(BOB), v=1)),
            match="signature")
    good = order_struct(_to(world, BOB))
    for struct in ((*good[:4], ZERO_ADDRESS, good[5]), (good[0], 1, *good[2:])):  # zero merchant; v = 1
        raw = home.contract.functions.sendWithPayload(BNB_CHAIN, handler, 100, struct)
        rejected(world, "InvalidPaymentOrder", lambda: home._estimate(raw, "send a bad payment order"))
    # Never queued: over the outbound rate limit it is refused at once (a payment settles now or not at all).
    world.bridge(HOME, ADMIN).set_rate_limits(BNB_CHAIN, inbound=("1000.00", "1.00"), outbound=("10.00", "0.01"))
    over = home.contract.functions.sendWithPayload(BNB_CHAIN, handler, 5_000, order_struct(_to(world, BOB)))
    rejected(world, "RateLimitExceeded", lambda: home._estimate(over, "send over the limit"))
    refused(world, InvalidInput, lambda: set_payload_handler(world.bridge(BNB, ADMIN), world.address(BOB)), match="no contract")
