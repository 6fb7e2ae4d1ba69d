"""Issue 18 (governance and accounting): "a wipe, redeem or burn on the BNB side that bypasses the bridge strands
the matching home escrow: `tenge audit` reports it, and there is a governed, threshold-attested path to release it
at home". The adversary tests come first: a release larger than what is stranded, a replayed release, one below
the threshold and one by a non-admin are refused; after a release the BNB-side supply stays within the home escrow
and the next escrow attestation lowers the BNB-side reserve by it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from bridge_checks import refused, rejected
from bridge_world import ADMIN, ALICE, BANK, BNB, BNB_CHAIN, BOB, HOME, STRANGER, THRESHOLD, VALIDATORS, BridgeWorld

from tenge.bridge.attestations import StrandedRelease
from tenge.bridge.stranded import release_message, reserve_report
from tenge.errors import InvalidInput

WIPED = Decimal("30.00")


def _strand(world: BridgeWorld) -> None:
    """100.00 goes to Bob on the BNB side; a court order there wipes 30.00 of it (no bridge involved)."""
    transfer = world.send(HOME, ALICE, BOB, "100.00").transfer
    assert world.deliver(transfer) == "Delivered"
    bnb_token = world.token(BNB)
    bnb_token.freeze(world.address(BOB), WIPED)
    bnb_token.wipe(world.address(BOB), WIPED, "COURT-ORDER-7")
    world.stranded = WIPED


def _release(world: BridgeWorld, amount: str, *, total: Decimal = WIPED, sequence: int = 1) -> tuple[StrandedRelease, list]:
    home = world.bridge(HOME, ADMIN)
    release = StrandedRelease(BNB_CHAIN, total, world.address(BANK), Decimal(amount), sequence)
    return release, world.attest("StrandedRelease", release, home)


def test_the_report_shows_the_escrow_a_wipe_strands(world: BridgeWorld) -> None:
    _strand(world)
    report = reserve_report(world.bridge(HOME), world.bridge(BNB))
    assert report.burned_outside_bridge == WIPED and report.stranded == WIPED and report.released == 0
    assert report.home_escrow == report.remote_supply + WIPED == Decimal("100.00")
    assert report.supply_within_escrow and report.attestation_gap == 0


def test_a_release_larger_than_what_is_stranded_is_refused(world: BridgeWorld) -> None:
    _strand(world)
    home = world.bridge(HOME, ADMIN)
    # the validators' tool refuses to sign it ...
    refused(world, InvalidInput, lambda: release_message(home, world.bridge(BNB), world.address(BANK), "30.01"), match="more than")
    # ... and the contract refuses it even when a threshold signs it (one tiyn over the attested total)
    release, signatures = _release(world, "30.01")
    rejected(world, "ReleaseExceedsStranded", lambda: home.release_stranded(release, signatures), amount=3001, releasable=3000)


def test_a_release_below_the_threshold_or_by_a_non_admin_is_refused(world: BridgeWorld) -> None:
    _strand(world)
    release, _ = _release(world, "30.00")
    home = world.bridge(HOME, ADMIN)
    too_few = world.attest("StrandedRelease", release, home, VALIDATORS[: THRESHOLD - 1])
    rejected(world, "InsufficientSignatures", lambda: home.release_stranded(release, too_few), valid=2, threshold=3)
    stranger = world.bridge(HOME, STRANGER)
    signatures = world.attest("StrandedRelease", release, stranger)
    rejected(world, "AccessControlUnauthorizedAccount", lambda: stranger.release_stranded(release, signatures))


def test_a_release_pays_once_and_keeps_the_bnb_supply_within_the_home_escrow(world: BridgeWorld) -> None:
    _strand(world)
    home, bnb = world.bridge(HOME, ADMIN), world.bridge(BNB)
    bank_before, locked_before = world.balance(HOME, BANK), home.locked(BNB_CHAIN)
    release = release_message(home, bnb, world.address(BANK), "30.00")
    assert release == StrandedRelease(BNB_CHAIN, WIPED, world.address(BANK), WIPED, 1)
    signatures = world.attest("StrandedRelease", release, home)
    home.release_stranded(release, signatures)
    world.stranded = Decimal("0.00")
    assert world.balance(HOME, BANK) == bank_before + WIPED
    assert home.locked(BNB_CHAIN) == locked_before - WIPED
    # replayed: refused by its number; a new number against the same total: nothing left to release
    rejected(world, "StaleStrandedRelease", lambda: home.release_stranded(release, signatures), sequence=1, expected=2)
    again, more = _release(world, "0.01", sequence=2)
    rejected(world, "ReleaseExceedsStranded", lambda: home.release_stranded(again, more), amount=1, releasable=0)
    skipped, ahead = _release(world, "0.01", total=WIPED + 1, sequence=3)
    rejected(world, "StaleStrandedRelease", lambda: home.release_stranded(skipped, ahead), sequence=3, expected=2)
    # the BNB-side reserve follows at the next escrow attestation; supply <= escrow throughout
    world.attest_escrow()
    report = reserve_report(home, bnb)
    assert report.stranded == 0 and report.released == WIPED and report.release_sequence == 1
    assert report.remote_supply <= report.home_escrow == Decimal("70.00")
    assert report.remote_reserve == Decimal("70.00") == report.remote_supply


def test_the_report_shows_the_reserve_above_the_lock_after_a_refund_until_the_next_attestation(world: BridgeWorld) -> None:
    world.token(BNB).freeze(world.address(BOB))
    transfer = world.send(HOME, ALICE, BOB, "14.27").transfer
    assert world.deliver(transfer) == "Failed"  # Bob is frozen on the BNB side; the escrow attestation counts it
    world.refund(transfer)
    home, bnb = world.bridge(HOME), world.bridge(BNB)
    assert reserve_report(home, bnb).attestation_gap == Decimal("14.27")
    world.attest_escrow()
    assert reserve_report(home, bnb).attestation_gap == 0


@pytest.mark.parametrize("amount", ["0", "-1", "1.001"])
def test_a_release_message_needs_a_positive_amount(world: BridgeWorld, amount: str) -> None:
    _strand(world)
    refused(world, InvalidInput, lambda: release_message(world.bridge(HOME), world.bridge(BNB), world.address(BANK), amount))
