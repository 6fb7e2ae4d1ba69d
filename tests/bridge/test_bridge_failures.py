"""Nothing gets stuck: when the destination token refuses the recipient (not KYC'd, frozen, over its tier cap,
paused), the transfer is marked Failed there, and the source refunds the sender exactly once on a threshold-signed
Refund attestation."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from bridge_checks import rejected
from bridge_world import ADMIN, ALICE, BNB, BOB, CAROL, HOME, STRANGER, BridgeWorld

from tenge.bridge.status import transfer_status


def _frozen(world: BridgeWorld) -> int:
    world.token(BNB).freeze(world.address(BOB))
    return BOB


def _over_cap(world: BridgeWorld) -> int:
    world.token(BNB).set_tier_cap(1, "10.00")  # CAROL is on tier 1
    return CAROL


def _paused(world: BridgeWorld) -> int:
    world.token(BNB).pause()
    return BOB


REFUSALS: dict[str, tuple[Callable[[BridgeWorld], int], str]] = {
    "not KYC'd": (lambda w: STRANGER, "NotApproved"),
    "frozen": (_frozen, "AccountFrozen"),
    "over its tier cap": (_over_cap, "TierCapExceeded"),
    "token paused": (_paused, "EnforcedPause"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_recipient_is_marked_failed_and_the_sender_refunded_once(world: BridgeWorld, case: str) -> None:
    make, error = REFUSALS[case]
    recipient = make(world)
    before = world.balance(HOME, ALICE)
    transfer = world.send(HOME, ALICE, recipient, "40.00").transfer
    world.attest_escrow()
    bnb = world.bridge(BNB)
    result = bnb.deliver(transfer, world.attest("Transfer", transfer, bnb))
    world.assert_conserved()
    assert result.status == "Failed" and result.reason is not None and error in result.reason, result.reason
    assert world.balance(BNB, recipient) == Decimal("0.00")
    home = world.bridge(HOME)
    assert transfer_status(transfer.id, source=home, destination=bnb).status == "failed"

    world.refund(transfer)
    assert world.balance(HOME, ALICE) == before
    assert transfer_status(transfer.id, source=home, destination=bnb).status == "refunded"
    rejected(world, "RefundNotAllowed", lambda: home.refund(transfer, world.attest("Refund", transfer, home)), status=4)
    rejected(world, "AlreadyProcessed", lambda: bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)), status=3)


def test_a_transfer_home_to_a_refused_recipient_is_refunded_on_the_bnb_side(world: BridgeWorld) -> None:
    world.deliver(world.send(HOME, ALICE, BOB, "100.00").transfer)
    back = world.send(BNB, BOB, STRANGER, "30.00").transfer  # STRANGER is not KYC'd at home either
    home = world.bridge(HOME)
    result = home.deliver(back, world.attest("Transfer", back, home))
    assert result.status == "Failed" and "NotApproved" in (result.reason or "")
    world.assert_conserved()
    world.attest_escrow()  # the re-mint must be covered by the attested escrow (it is: it never left)
    world.refund(back)
    assert world.balance(BNB, BOB) == Decimal("100.00")


def test_a_refund_needs_a_threshold_of_refund_signatures(world: BridgeWorld) -> None:
    transfer = world.send(HOME, ALICE, STRANGER, "40.00").transfer
    world.deliver(transfer)
    home = world.bridge(HOME)
    rejected(world, "InsufficientSignatures", lambda: home.refund(transfer, world.attest("Refund", transfer, home)[:2]))
    # Transfer signatures (for the destination) are no refund: the SDK refuses them before sending.
    from tenge.bridge.attestations import AttestationError
    from bridge_checks import refused

    refused(world, AttestationError, lambda: home.refund(transfer, world.attest("Transfer", transfer, home)), match="Refund ones")


def test_the_bridge_pause_stops_delivery_until_lifted(world: BridgeWorld) -> None:
    transfer = world.send(HOME, ALICE, BOB, "40.00").transfer
    world.attest_escrow()
    world.bridge(BNB, ADMIN).pause()
    bnb = world.bridge(BNB)
    rejected(world, "EnforcedPause", lambda: bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)))
    world.bridge(BNB, ADMIN).unpause()
    assert bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)).status == "Delivered"


def test_a_refund_follows_a_wallet_recovery_at_the_source(world: BridgeWorld) -> None:
    """Issue 18, finding 4: refunds paid `sender` literally, so a sender whose wallet the token recovered (left
    unapproved, `recoveredTo` pointing at the new wallet) could never be refunded (AccountNotApproved). The refund
    now goes where the token recovered the wallet to, as VatPayments' refunds do - on both sides."""
    lost, new = 8, 9  # fresh dev accounts: the world is shared, ALICE and BOB stay as they are
    for chain in (HOME, BNB):
        for who in (lost, new):
            world.token(chain).set_tier(world.address(who), 2)
    world.token(HOME, ALICE).transfer(world.address(lost), "100.00")
    # Home -> BNB to a recipient the BNB side refuses; the sender loses its wallet before the refund.
    out = world.send(HOME, lost, STRANGER, "40.00").transfer
    assert world.deliver(out) == "Failed"
    world.token(HOME).recover(world.address(lost), world.address(new), "LOST-WALLET-HOME")
    world.refund(out)
    assert world.balance(HOME, new) == Decimal("100.00") and world.balance(HOME, lost) == 0
    rejected(world, "RefundNotAllowed", lambda: world.refund(out), status=4)
    # BNB -> home the same way, the recovery on the BNB-side token.
    assert world.deliver(world.send(HOME, new, lost, "30.00").transfer) == "Delivered"
    back = world.send(BNB, lost, STRANGER, "30.00").transfer
    assert world.bridge(HOME).deliver(back, world.attest("Transfer", back, world.bridge(HOME))).status == "Failed"
    world.token(BNB).recover(world.address(lost), world.address(new), "LOST-WALLET-BNB")
    world.attest_escrow()
    world.refund(back)
    assert world.balance(BNB, new) == Decimal("30.00") and world.balance(BNB, lost) == 0
    world.assert_conserved()
