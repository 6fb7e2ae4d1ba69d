"""Transfers both ways end to end, with 3-of-5 validator signatures; conservation after every step."""

from __future__ import annotations

from decimal import Decimal

from bridge_world import ALICE, BNB, BNB_CHAIN, BOB, CAROL, HOME, HOME_CHAIN, VALIDATORS, BridgeWorld

from tenge.bridge.status import transfer_status


def test_home_to_bnb_and_back(world: BridgeWorld) -> None:
    alice_before = world.balance(HOME, ALICE)
    sent = world.send(HOME, ALICE, BOB, "250.00")
    transfer = sent.transfer
    assert not sent.queued
    assert (transfer.source_chain_id, transfer.dest_chain_id, transfer.amount) == (HOME_CHAIN, BNB_CHAIN, Decimal("250.00"))
    assert world.balance(HOME, ALICE) == alice_before - Decimal("250.00")
    assert transfer_status(transfer.id, source=world.bridge(HOME), destination=world.bridge(BNB)).status == "sent"

    assert world.deliver(transfer) == "Delivered"
    assert world.balance(BNB, BOB) == Decimal("250.00")
    assert transfer_status(transfer.id, source=world.bridge(HOME), destination=world.bridge(BNB)).status == "delivered"

    back = world.send(BNB, BOB, CAROL, "100.00").transfer
    assert world.balance(BNB, BOB) == Decimal("150.00")
    assert world.deliver(back, VALIDATORS[2:5]) == "Delivered"
    assert world.balance(HOME, CAROL) == Decimal("100.00")
    assert world.bridge(BNB).status(back.id, peer=world.bridge(HOME)).status == "delivered"
    assert world.bridge(HOME).status(back.id).destination == "Delivered"
    assert world.token(BNB).total_supply() == Decimal("150.00")
