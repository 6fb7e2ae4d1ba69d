"""Issue 18 item 2: a delivery the BNB-side reserve cannot cover is Deferred, not reverted — alone in a batch
(the rest of the batch is delivered), delivered once a fresh escrow attestation covers it, and Failed after the
deferral timeout so the home bridge refunds it: nothing waits forever."""

from __future__ import annotations

from decimal import Decimal

from bridge_checks import rejected
from bridge_world import ALICE, BNB, BOB, CAROL, HOME, BridgeWorld

from tenge.bridge.status import transfer_status

DAY = 86_400


def test_an_uncovered_delivery_is_deferred_then_delivered_after_a_fresh_attestation(world: BridgeWorld) -> None:
    transfer = world.send(HOME, ALICE, BOB, "25.00").transfer  # no escrow attestation covers it yet
    bnb, home = world.bridge(BNB), world.bridge(HOME)
    result = bnb.deliver(transfer, world.attest("Transfer", transfer, bnb))
    assert result.status == "Deferred"
    assert transfer_status(transfer.id, source=home, destination=bnb).status == "deferred"
    assert world.balance(BNB, BOB) == Decimal("0.00")
    world.assert_conserved()
    world.attest_escrow()
    again = bnb.deliver(transfer, world.attest("Transfer", transfer, bnb))
    assert again.status == "Delivered" and world.balance(BNB, BOB) == Decimal("25.00")
    rejected(world, "AlreadyProcessed", lambda: bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)), status=1)


def test_a_batch_defers_the_uncovered_item_alone(world: BridgeWorld) -> None:
    covered = world.send(HOME, ALICE, BOB, "5.00").transfer
    world.attest_escrow()
    uncovered = world.send(HOME, ALICE, CAROL, "7.00").transfer
    bnb = world.bridge(BNB)
    outcomes = bnb.deliver_batch([(t, world.attest("Transfer", t, bnb)) for t in (covered, uncovered)])
    assert outcomes == {covered.id_hex: ("Delivered", False), uncovered.id_hex: ("Deferred", False)}
    assert world.balance(BNB, BOB) == Decimal("5.00") and world.balance(BNB, CAROL) == Decimal("0.00")
    # A deferred item is tried again in the next batch (not skipped), and delivered once covered.
    world.attest_escrow()
    outcomes = bnb.deliver_batch([(t, world.attest("Transfer", t, bnb)) for t in (covered, uncovered)])
    assert outcomes == {covered.id_hex: ("Delivered", True), uncovered.id_hex: ("Delivered", False)}
    assert world.balance(BNB, CAROL) == Decimal("7.00")


def test_a_delivery_still_uncovered_after_the_timeout_fails_and_is_refunded_at_home(world: BridgeWorld) -> None:
    before = world.balance(HOME, ALICE)
    transfer = world.send(HOME, ALICE, BOB, "40.00").transfer
    bnb, home = world.bridge(BNB), world.bridge(HOME)
    assert bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)).status == "Deferred"
    world.advance(BNB, DAY - 60)  # within the default 24 h: still deferred
    assert bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)).status == "Deferred"
    world.advance(BNB, 120)  # past it: the next delivery the token still refuses marks it Failed
    result = bnb.deliver(transfer, world.attest("Transfer", transfer, bnb))
    assert result.status == "Failed" and result.reason is not None and "Reserve" in result.reason, result.reason
    assert transfer_status(transfer.id, source=home, destination=bnb).status == "failed"
    world.refund(transfer)
    assert world.balance(HOME, ALICE) == before and world.balance(BNB, BOB) == Decimal("0.00")


def test_the_deferral_timeout_is_the_admins_and_at_least_an_hour(world: BridgeWorld) -> None:
    admin = world.bridge(BNB, 0)
    rejected(world, "InvalidDeferralTimeout", lambda: admin.set_deferral_timeout(3_599), timeout=3_599, min=3_600)
    admin.set_deferral_timeout(2 * DAY)
    assert admin.deferral_timeout() == 2 * DAY
    rejected(world, "AccessControlUnauthorizedAccount", lambda: world.bridge(BNB, BOB).set_deferral_timeout(DAY))
