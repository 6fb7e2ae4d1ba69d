"""Rate limits: an inbound transfer over the limit is queued and anyone completes it once the bucket refills (or after
its delay); an outbound one is queued at the source, completed by anyone later or cancelled by its sender for a
refund. A transfer larger than a lane's capacity or largest single transfer waits the whole queue delay (24 h),
during which the pause role holds it and the admin rejects it: the buckets bound the value at risk per window."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bridge_checks import rejected
from bridge_world import ADMIN, ALICE, BANK, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, RELAYER, ROGUE, STRANGER, VALIDATORS, BridgeWorld
from chain_helpers import rpc

from tenge.bridge.messages import BridgeTransfer
from tenge.errors import ContractRevert

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


DAY = 24 * 3600


def _pin_time(world: BridgeWorld, chain: str, timestamp: int) -> None:
    """The next block on ``chain`` gets exactly ``timestamp``."""
    rpc(world.chain(chain).w3, "evm_setNextBlockTimestamp", [timestamp])


def _now(world: BridgeWorld, chain: str) -> int:
    return int(world.chain(chain).w3.eth.get_block("latest")["timestamp"])


def _small_buckets(world: BridgeWorld, capacity: str = "1000.00", refill: str = "1.00") -> None:
    for chain in (HOME, BNB):
        _limit(world, chain, inbound=(capacity, refill), outbound=(capacity, refill))


def test_the_queue_delay_is_24_hours_unless_configured(world: BridgeWorld) -> None:
    for chain in (HOME, BNB):
        assert world.bridge(chain).queue_delay() == DAY
        assert world.bridge(chain).max_transfer(BNB_CHAIN if chain == HOME else HOME_CHAIN, inbound=True) is None


def test_150000_through_1000_buckets_waits_the_whole_delay_at_both_ends(world: BridgeWorld) -> None:
    """Finding 1: a full 1,000.00 bucket let 150,000.00 through in one block. Now it waits 24 h at the source, and
    24 h again at the destination, and no capacity change shortens either wait."""
    _small_buckets(world)
    sent = world.send(HOME, ALICE, BOB, "150000.00")
    assert sent.queued
    home, relayer = world.bridge(HOME), world.bridge(HOME, RELAYER)
    queued_at = _now(world, HOME)
    rejected(world, "TransferDelayed", lambda: relayer.complete_outbound(sent.transfer), releaseAt=queued_at + DAY)
    entry = home.queue_entry(sent.transfer)
    assert entry is not None and entry.oversized and not entry.held and entry.release_at == queued_at + DAY
    assert entry.describe(_now(world, HOME)).startswith("delayed until ")
    # Raising the capacity above the amount does not shorten the wait either.
    _limit(world, HOME, outbound=("200000.00", "1.00"))
    rejected(world, "TransferDelayed", lambda: relayer.complete_outbound(sent.transfer))
    world.advance(HOME, DAY)
    relayer.complete_outbound(sent.transfer)
    assert home.outbound_status(sent.transfer.nonce) == "Sent"

    assert world.deliver(sent.transfer) == "Queued"  # the BNB side's 1,000.00 bucket: queued, oversized
    bnb = world.bridge(BNB, RELAYER)
    inbound = bnb.queue_entry(sent.transfer)
    assert inbound is not None and inbound.oversized and inbound.release_at == _now(world, BNB) + DAY
    rejected(world, "TransferDelayed", lambda: bnb.complete_inbound(sent.transfer))
    world.advance(BNB, DAY - 10)
    rejected(world, "TransferDelayed", lambda: bnb.complete_inbound(sent.transfer))
    world.advance(BNB, 10)
    world.attest_escrow()
    assert bnb.complete_inbound(sent.transfer).status == "Delivered"
    assert world.balance(BNB, BOB) == Decimal("150000.00")


def test_a_forged_message_of_a_compromised_threshold_drains_no_more_than_the_bucket(world: BridgeWorld) -> None:
    """A threshold of validator keys stolen: forged messages 'from' the BNB side release the home escrow only
    through the 1,000.00 inbound bucket; the oversized one waits 24 h, the pause role holds it and the admin
    rejects it (Failed: nothing released)."""
    world.deliver(world.send(HOME, ALICE, BOB, "150000.00").transfer)  # 150,000.00 in the home escrow
    _limit(world, HOME, inbound=("1000.00", "0.00"))
    home = world.bridge(HOME)
    escrow_before = world.token(HOME).balance_of(home.address)
    bnb_bridge = world.bridge(BNB).address

    def forged(nonce: int, amount: str) -> BridgeTransfer:
        return BridgeTransfer(BNB_CHAIN, bnb_bridge, HOME_CHAIN, home.address, nonce, world.address(ROGUE),
                              world.address(BOB), Decimal(amount))  # fmt: skip

    big = forged(10_000, "149000.00")
    relayer = world.bridge(HOME, RELAYER)
    assert home.deliver(big, world.attest("Transfer", big, home, VALIDATORS[2:5])).status == "Queued"
    with pytest.raises(ContractRevert, match="TransferDelayed"):  # it used to go at once: the bucket was full
        relayer.complete_inbound(big)
    results = [home.deliver(t, world.attest("Transfer", t, home, VALIDATORS[2:5]))
               for t in (forged(10_001, "600.00"), forged(10_002, "600.00"), forged(10_003, "400.00"))]  # fmt: skip
    assert [r.status for r in results] == ["Delivered", "Queued", "Delivered"]
    assert escrow_before - world.token(HOME).balance_of(home.address) == Decimal("1000.00")  # the capacity, no more
    # The bank makes the forged 1,000.00 good, so that the conservation check holds again for what follows.
    world.token(HOME).set_minter_allowance(world.address(BANK), Decimal("1000.00"))
    world.token(HOME, BANK).mint(home.address, Decimal("1000.00"))
    escrow_before = world.token(HOME).balance_of(home.address)
    rejected(world, "TransferDelayed", lambda: relayer.complete_inbound(big))
    rejected(world, "RateLimitExceeded", lambda: relayer.complete_inbound(forged(10_002, "600.00")))

    world.bridge(HOME, ADMIN).hold(big)
    assert home.queue_entry(big) is not None and home.queue_entry(big).describe() == "held"  # type: ignore[union-attr]
    world.advance(HOME, DAY)
    rejected(world, "QueuedTransferHeld", lambda: relayer.complete_inbound(big))
    world.bridge(HOME, ADMIN).reject(big)
    assert home.inbound_status(big.id) == "Failed" and home.queue_entry(big) is None
    rejected(world, "NotQueued", lambda: relayer.complete_inbound(big))
    # The forged 600.00 waited its delay too: rejected as well, nothing more left the escrow.
    world.bridge(HOME, ADMIN).reject(forged(10_002, "600.00"))
    assert world.token(HOME).balance_of(home.address) == escrow_before


def test_lowering_the_capacity_releases_no_queued_transfer(world: BridgeWorld) -> None:
    """During an incident the limiter lowers the capacity: the bucket is 'full' at once, and that used to let a
    queued transfer larger than the new capacity through."""
    _limit(world, BNB, inbound=("1000.00", "0.00"))
    world.deliver(world.send(HOME, ALICE, BOB, "200.00").transfer)  # 800.00 left
    queued = world.send(HOME, ALICE, BOB, "900.00").transfer
    oversized = world.send(HOME, ALICE, BOB, "1500.00").transfer
    assert world.deliver(queued) == "Queued" and world.deliver(oversized) == "Queued"
    _limit(world, BNB, inbound=("500.00", "0.00"))  # now full at 500.00
    assert world.bridge(BNB).rate_limit(HOME_CHAIN, inbound=True).available == Decimal("500.00")
    relayer = world.bridge(BNB, RELAYER)
    world.attest_escrow()
    rejected(world, "RateLimitExceeded", lambda: relayer.complete_inbound(queued), available=50000)
    rejected(world, "TransferDelayed", lambda: relayer.complete_inbound(oversized))
    world.advance(BNB, DAY)
    world.attest_escrow()
    assert relayer.complete_inbound(queued).status == "Delivered"
    assert relayer.complete_inbound(oversized).status == "Delivered"
    assert world.bridge(BNB).rate_limit(HOME_CHAIN, inbound=True).available == Decimal("500.00")  # not metered


def test_a_transfer_over_the_lanes_single_maximum_waits_the_delay(world: BridgeWorld) -> None:
    world.bridge(HOME, ADMIN).set_max_transfer(BNB_CHAIN, inbound=None, outbound="500.00")
    assert world.bridge(HOME).max_transfer(BNB_CHAIN, inbound=False) == Decimal("500.00")
    assert not world.send(HOME, ALICE, BOB, "500.00").queued
    big = world.send(HOME, ALICE, BOB, "500.01")
    assert big.queued and world.bridge(HOME).queue_entry(big.transfer).oversized  # type: ignore[union-attr]
    rejected(world, "TransferDelayed", lambda: world.bridge(HOME, RELAYER).complete_outbound(big.transfer))


def test_the_admin_rejects_a_queued_outbound_transfer_and_the_sender_is_paid_back(world: BridgeWorld) -> None:
    _limit(world, HOME, outbound=("100.00", "0.00"))
    before = world.balance(HOME, ALICE)
    sent = world.send(HOME, ALICE, BOB, "250.00")
    home = world.bridge(HOME, ADMIN)
    rejected(world, "AccessControlUnauthorizedAccount", lambda: world.bridge(HOME, STRANGER).reject(sent.transfer))
    rejected(world, "AccessControlUnauthorizedAccount", lambda: world.bridge(HOME, STRANGER).hold(sent.transfer))
    home.hold(sent.transfer)
    home.hold(sent.transfer, held=False)
    home.reject(sent.transfer)
    assert home.outbound_status(sent.transfer.nonce) == "Rejected"
    assert world.balance(HOME, ALICE) == before
    assert transfer_status(sent.transfer.id, source=world.bridge(HOME)).status == "rejected"
    rejected(world, "NotQueued", lambda: home.reject(sent.transfer))
    rejected(world, "NotQueued", lambda: world.bridge(HOME, ALICE).cancel(sent.transfer))


def test_a_rejected_inbound_transfer_is_refunded_at_its_source(world: BridgeWorld) -> None:
    _limit(world, BNB, inbound=("100.00", "0.00"))
    transfer = world.send(HOME, ALICE, BOB, "250.00").transfer
    before = world.balance(HOME, ALICE)
    assert world.deliver(transfer) == "Queued"
    world.bridge(BNB, ADMIN).reject(transfer)
    assert world.bridge(BNB).inbound_status(transfer.id) == "Failed"
    world.refund(transfer)
    assert world.balance(HOME, ALICE) == before + Decimal("250.00")


def test_a_transfer_queued_for_a_retired_peer_is_never_sent_there_and_stays_cancellable(world: BridgeWorld) -> None:
    """Finding 5: after the admin re-points the lane, completeOutbound used to push the old message to the retired
    peer, where no validator looks, and its sender could no longer cancel it."""
    _limit(world, HOME, outbound=("100.00", "1.00"))
    before = world.balance(HOME, ALICE)
    sent = world.send(HOME, ALICE, BOB, "150.00")
    old_peer = world.bridge(BNB).address
    world.bridge(HOME, ADMIN).set_remote_bridge(BNB_CHAIN, world.address(STRANGER))  # a replacement bridge
    world.advance(HOME, DAY)
    rejected(world, "PeerChanged", lambda: world.bridge(HOME, RELAYER).complete_outbound(sent.transfer),
             chainId=BNB_CHAIN, queuedFor=old_peer, current=world.address(STRANGER))  # fmt: skip
    world.bridge(HOME, ALICE).cancel(sent.transfer)
    assert world.balance(HOME, ALICE) == before
    world.bridge(HOME, ADMIN).set_remote_bridge(BNB_CHAIN, old_peer)


def test_a_refund_gives_the_outbound_capacity_back(world: BridgeWorld) -> None:
    """Cycling sends to a recipient the destination refuses no longer keeps a lane's bucket empty."""
    _limit(world, HOME, outbound=("1000.00", "0.00"))
    for _ in range(2):
        sent = world.send(HOME, ALICE, ROGUE, "1000.00")  # ROGUE is not KYC-approved on the BNB side
        assert not sent.queued
        assert world.bridge(HOME).rate_limit(BNB_CHAIN, inbound=False).available == Decimal("0.00")
        assert world.deliver(sent.transfer) == "Failed"
        world.refund(sent.transfer)
        assert world.bridge(HOME).rate_limit(BNB_CHAIN, inbound=False).available == Decimal("1000.00")
    assert not world.send(HOME, ALICE, BOB, "1000.00").queued


def test_a_consumption_moves_the_refill_clock(world: BridgeWorld) -> None:
    """Mutation gap: `_tryConsume` not updating `updatedAt` made a lane refill from an older time (faster than
    configured). Consume, wait part of a refill, consume again: exactly what refilled is available, not a tiyn more.
    On the BNB side a send is one transaction, so each block's time is pinned exactly."""
    world.deliver(world.send(HOME, ALICE, BOB, "500.00").transfer)
    t0 = _now(world, BNB) + 10
    _pin_time(world, BNB, t0)
    _limit(world, BNB, outbound=("100.00", "1.00"))  # full at t0
    _pin_time(world, BNB, t0 + 50)
    assert not world.send(BNB, BOB, ALICE, "100.00").queued  # empty at t0 + 50
    _pin_time(world, BNB, t0 + 80)
    assert not world.send(BNB, BOB, ALICE, "20.00").queued  # 30.00 refilled since t0 + 50 (not 80.00 since t0)
    assert world.bridge(BNB).rate_limit(HOME_CHAIN, inbound=False).available == Decimal("10.00")
    _pin_time(world, BNB, t0 + 81)
    assert not world.send(BNB, BOB, ALICE, "11.00").queued  # exactly what is available
    _pin_time(world, BNB, t0 + 82)
    assert world.send(BNB, BOB, ALICE, "1.01").queued  # one tiyn more than the 1.00 refilled: queued


def test_a_batch_delivery_into_a_short_inbound_bucket_queues_the_item_that_does_not_fit(world: BridgeWorld) -> None:
    _limit(world, BNB, inbound=("150.00", "0.00"))
    transfers = [world.send(HOME, ALICE, BOB, "100.00").transfer for _ in range(2)]
    world.attest_escrow()
    bnb = world.bridge(BNB)
    outcomes = bnb.deliver_batch([(t, world.attest("Transfer", t, bnb)) for t in transfers])
    assert outcomes == {transfers[0].id_hex: ("Delivered", False), transfers[1].id_hex: ("Queued", False)}
    assert bnb.inbound_status(transfers[1].id) == "Queued" and world.balance(BNB, BOB) == Decimal("100.00")
    assert bnb.rate_limit(HOME_CHAIN, inbound=True).available == Decimal("50.00")
