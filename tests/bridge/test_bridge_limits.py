"""Rate limits: an inbound transfer over the limit is queued and anyone completes it once the bucket refills;
an outbound one is queued at the source, completed by anyone later or cancelled by its sender for a refund."""

from __future__ import annotations

from decimal import Decimal

from bridge_checks import rejected
from bridge_world import ADMIN, ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, RELAYER, BridgeWorld

from tenge.bridge.status import transfer_status


def _limit(world: BridgeWorld, chain: str, *, inbound: tuple[str, str] | None = None, outbound: tuple[str, str] | None = None) -> None:
    bridge = world.bridge(chain, ADMIN)
    peer = BNB_CHAIN if chain == HOME else HOME_CHAIN
    now_in, now_out = bridge.rate_limit(peer, inbound=True), bridge.rate_limit(peer, inbound=False)
    bridge.set_rate_limits(
        peer,
        inbound=inbound or (str(now_in.capacity), str(now_in.refill_per_second)),
        outbound=outbound or (str(now_out.capacity), str(now_out.refill_per_second)),
    )


def test_limits_are_those_of_the_configuration(world: BridgeWorld) -> None:
    for chain, peer in ((HOME, BNB_CHAIN), (BNB, HOME_CHAIN)):
        for inbound in (True, False):
            bucket = world.bridge(chain).rate_limit(peer, inbound=inbound)
            assert (bucket.capacity, bucket.available, bucket.refill_per_second) == (
                Decimal("200000.00"), Decimal("200000.00"), Decimal("10.00"))  # fmt: skip


def test_inbound_over_the_limit_is_queued_then_completed_by_anyone(world: BridgeWorld) -> None:
    _limit(world, BNB, inbound=("120.00", "1.00"))
    assert world.deliver(world.send(HOME, ALICE, BOB, "100.00").transfer) == "Delivered"  # 20.00 left
    transfer = world.send(HOME, ALICE, BOB, "100.00").transfer
    assert world.deliver(transfer) == "Queued"
    assert world.balance(BNB, BOB) == Decimal("100.00")
    status = transfer_status(transfer.id, source=world.bridge(HOME), destination=world.bridge(BNB))
    assert status.status == "queued" and status.destination == "Queued"

    relayer = world.bridge(BNB, RELAYER)
    rejected(world, "RateLimitExceeded", lambda: relayer.complete_inbound(transfer), chainId=HOME_CHAIN, amount=10000)
    world.advance(BNB, 90)  # 90 more tenge of capacity
    assert relayer.complete_inbound(transfer).status == "Delivered"
    world.assert_conserved()
    assert world.balance(BNB, BOB) == Decimal("200.00")
    rejected(world, "NotQueued", lambda: relayer.complete_inbound(transfer))


def test_outbound_over_the_limit_is_queued_and_its_sender_cancels(world: BridgeWorld) -> None:
    _limit(world, HOME, outbound=("50.00", "1.00"))
    before = world.balance(HOME, ALICE)
    sent = world.send(HOME, ALICE, BOB, "100.00")
    assert sent.queued
    assert world.balance(HOME, ALICE) == before - Decimal("100.00")  # taken into escrow while queued
    assert world.bridge(HOME).outbound_status(sent.transfer.nonce) == "Queued"

    rejected(world, "NotSender", lambda: world.bridge(HOME, BOB).cancel(sent.transfer),
             caller=world.address(BOB), sender=world.address(ALICE))  # fmt: skip
    world.bridge(HOME, ALICE).cancel(sent.transfer)
    world.assert_conserved()
    assert world.balance(HOME, ALICE) == before
    assert transfer_status(sent.transfer.id, source=world.bridge(HOME)).status == "cancelled"
    rejected(world, "NotQueued", lambda: world.bridge(HOME, ALICE).cancel(sent.transfer))


def test_a_queued_outbound_transfer_is_sent_by_anyone_once_capacity_returns(world: BridgeWorld) -> None:
    _limit(world, BNB, outbound=("70.00", "1.00"))
    world.deliver(world.send(HOME, ALICE, BOB, "100.00").transfer)
    assert not world.send(BNB, BOB, ALICE, "30.00").queued  # 40.00 left
    queued = world.send(BNB, BOB, ALICE, "60.00")
    assert queued.queued and world.balance(BNB, BOB) == Decimal("10.00")  # burned while queued
    relayer = world.bridge(BNB, RELAYER)
    rejected(world, "RateLimitExceeded", lambda: relayer.complete_outbound(queued.transfer), chainId=HOME_CHAIN)
    world.advance(BNB, 30)
    relayer.complete_outbound(queued.transfer)
    assert world.bridge(BNB).outbound_status(queued.transfer.nonce) == "Sent"
    before = world.balance(HOME, ALICE)
    assert world.deliver(queued.transfer) == "Delivered"
    assert world.balance(HOME, ALICE) == before + Decimal("60.00")


def test_a_transfer_of_twice_the_capacity_waits_for_a_full_bucket_then_goes(world: BridgeWorld) -> None:
    """Nothing stuck: queued above the bucket's capacity, it completes once the bucket is full (consuming it all)."""
    _limit(world, BNB, inbound=("50.00", "1.00"))
    transfer = world.send(HOME, ALICE, BOB, "100.00").transfer
    assert world.deliver(transfer) == "Queued"
    relayer = world.bridge(BNB, RELAYER)
    assert world.deliver(world.send(HOME, ALICE, BOB, "30.00").transfer) == "Delivered"  # the bucket is not full now
    rejected(world, "RateLimitExceeded", lambda: relayer.complete_inbound(transfer), chainId=HOME_CHAIN, amount=10000)
    world.advance(BNB, 40)  # full again (20.00 + 40 s x 1.00, capped at 50.00)
    assert relayer.complete_inbound(transfer).status == "Delivered"
    world.assert_conserved()
    assert world.balance(BNB, BOB) == Decimal("130.00")
    assert world.bridge(BNB).rate_limit(HOME_CHAIN, inbound=True).available < Decimal("1.00")


def test_an_outbound_transfer_of_twice_the_capacity_is_sent_once_the_bucket_is_full(world: BridgeWorld) -> None:
    _limit(world, HOME, outbound=("50.00", "1.00"))
    queued = world.send(HOME, ALICE, BOB, "100.00")
    assert queued.queued
    relayer = world.bridge(HOME, RELAYER)
    assert not world.send(HOME, ALICE, BOB, "10.00").queued  # the bucket is not full now
    rejected(world, "RateLimitExceeded", lambda: relayer.complete_outbound(queued.transfer), chainId=BNB_CHAIN, amount=10000)
    world.advance(HOME, 15)
    relayer.complete_outbound(queued.transfer)
    assert world.deliver(queued.transfer) == "Delivered"
