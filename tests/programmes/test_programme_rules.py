"""Purpose-bound programmes: every rule from the right side and the wrong side (real anvil, deployed suite)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from chain_helpers import events
from eth_abi import encode as abi_encode
from eth_utils import keccak
from programme_world import (
    CANTEEN,
    CANTEEN_ID,
    CITY,
    DAY,
    PUPIL,
    PUPIL_B,
    SCHOOL_MEALS,
    SHOP_ID,
    STANDARD,
    STRANGER,
    World,
    refused,
    rejected,
)
from web3 import Web3

from tenge.errors import InvalidInput


def _allocated(world: World, amount: str = "24000.00", **kwargs: object) -> int:
    pid = world.lunch_programme(**kwargs)  # type: ignore[arg-type]
    world.programmes(CITY).allocate(pid, [(world.address(PUPIL), amount)])
    return pid


def _conserved(world: World, pid: int) -> None:
    p = world.programmes(CITY).programme(pid)
    held = world.balance(world.programmes(CITY).address)
    assert held == world.programmes(CITY).total_locked() + world.programmes(CITY).surplus()
    assert p.locked == p.unallocated + p.outstanding


def test_spend_at_canteen_pays_net_to_merchant_vat_to_escrow_with_receipts(world: World) -> None:
    pid = _allocated(world)
    programmes, vat = world.programmes(PUPIL), world.vat()
    escrow_before = vat.escrow_balance()
    receipt = programmes.spend(pid, CANTEEN_ID, "1200.00", "LUNCH-0001")
    assert (receipt.amount, receipt.net, receipt.vat) == (Decimal("1200.00"), Decimal("1034.48"), Decimal("165.52"))
    assert receipt.category_id == SCHOOL_MEALS and receipt.beneficiary == world.address(PUPIL)
    assert world.balance(CANTEEN) == Decimal("1034.48")
    assert vat.escrow_balance() - escrow_before == Decimal("165.52")
    (paid,) = events(vat, receipt.tx, "Paid")
    # VatPayments keys the payment by the invoice bound to the beneficiary (issue 18, finding 6).
    bound = keccak(abi_encode(["address", "bytes32"], [world.address(PUPIL), receipt.invoice_ref]))
    assert paid["payer"] == programmes.address and paid["invoiceRef"] == receipt.vat_invoice_ref == bound
    assert bytes(paid["paymentId"]) == receipt.payment_id
    assert programmes.balance_of(pid, world.address(PUPIL)) == Decimal("22800.00")
    p = programmes.programme(pid)
    assert (p.outstanding, p.unallocated) == (Decimal("22800.00"), Decimal("76000.00"))
    _conserved(world, pid)


def test_merchant_outside_purpose_is_refused(world: World) -> None:
    pid = _allocated(world)
    rejected(world, PUPIL, "OutsidePurpose", lambda: world.programmes(PUPIL).spend(pid, SHOP_ID, "100.00", "X-1"),
             programmeId=pid, merchantId=SHOP_ID, categoryId=STANDARD)  # fmt: skip
    # A shop cannot pass as a canteen by naming the canteen's category; naming a category outside the purpose
    # at the canteen is refused too.
    rejected(world, PUPIL, "OutsidePurpose",
             lambda: world.programmes(PUPIL).spend(pid, SHOP_ID, "100.00", "X-3", category=SCHOOL_MEALS),
             categoryId=STANDARD)  # fmt: skip
    rejected(world, PUPIL, "OutsidePurpose",
             lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "100.00", "X-2", category=STANDARD))  # fmt: skip
    assert world.programmes(PUPIL).balance_of(pid, world.address(PUPIL)) == Decimal("24000.00")


def test_daily_limit_one_lunch_a_day(world: World) -> None:
    pid = _allocated(world)
    pupil = world.programmes(PUPIL)
    pupil.spend(pid, CANTEEN_ID, "700.00", "D1-A")
    assert pupil.spendable_today(pid, world.address(PUPIL)) == Decimal("500.00")
    error = rejected(world, PUPIL, "DailyLimitExceeded", lambda: pupil.spend(pid, CANTEEN_ID, "500.01", "D1-B"),
                     remaining=50000, requested=50001)  # fmt: skip
    assert "500.00 KZT" in str(error) and "500.01 KZT" in str(error)
    pupil.spend(pid, CANTEEN_ID, "500.00", "D1-C")
    world.warp((world.block_time() // DAY + 1) * DAY + 3600)  # the next UTC day
    assert pupil.spendable_today(pid, world.address(PUPIL)) == Decimal("1200.00")
    pupil.spend(pid, CANTEEN_ID, "1200.00", "D2-A")


def test_no_daily_limit_when_none_set(world: World) -> None:
    pid = _allocated(world, daily_limit=None)
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "5000.00", "BIG-1")


def test_spending_more_than_held_is_refused(world: World) -> None:
    pid = _allocated(world, amount="1000.00")
    rejected(world, PUPIL, "InsufficientVouchers",
             lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1000.01", "X"), balance=100000, needed=100001)  # fmt: skip


def test_never_spend_after_expiry_and_reclaim_in_one_call(world: World) -> None:
    pid = _allocated(world, days=10)
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1000.00", "E-1")
    city = world.programmes(CITY)
    expiry = city.programme(pid).expiry
    rejected(world, CITY, "ProgrammeNotExpired", lambda: city.reclaim(pid), expiry=expiry)
    world.warp(expiry)
    rejected(world, PUPIL, "ProgrammeExpired", lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1.00", "E-2"))
    rejected(world, CITY, "ProgrammeExpired", lambda: city.fund(pid, "1.00"))
    rejected(world, CITY, "NotSponsor", lambda: world.programmes(PUPIL_B).reclaim(pid))
    before = world.balance(CITY)
    amount, _ = city.reclaim(pid)
    assert amount == Decimal("99000.00") and world.balance(CITY) - before == amount
    p = city.programme(pid)
    assert p.closed and p.locked == 0
    assert city.balance_of(pid, world.address(PUPIL)) == 0  # vouchers void
    rejected(world, PUPIL, "ProgrammeClosed", lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1.00", "E-3"))
    rejected(world, CITY, "ProgrammeClosed", lambda: city.reclaim(pid))
    _conserved(world, pid)


def test_not_before_the_window_opens(world: World) -> None:
    city = world.programmes(CITY)
    start = world.block_time() + 5 * DAY
    pid = city.create([SCHOOL_MEALS], start + 30 * DAY, valid_from=start, budget="LATER")
    city.fund(pid, "1000.00")
    city.allocate(pid, [(world.address(PUPIL), "1000.00")])
    rejected(world, PUPIL, "ProgrammeNotStarted",
             lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "10.00", "N-1"), validFrom=start)  # fmt: skip
    world.warp(start)
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "10.00", "N-1")


def test_bound_vouchers_cannot_be_passed_on(world: World) -> None:
    pid = _allocated(world)
    rejected(world, PUPIL, "VoucherNotTransferable",
             lambda: world.programmes(PUPIL).transfer(pid, world.address(PUPIL_B), "10.00"), programmeId=pid)  # fmt: skip


def test_transferable_vouchers_pass_between_eligible_holders_only(world: World) -> None:
    pid = _allocated(world, transferable=True)
    world.programmes(PUPIL).transfer(pid, world.address(PUPIL_B), "1200.00")
    assert world.programmes(PUPIL_B).balance_of(pid, world.address(PUPIL_B)) == Decimal("1200.00")
    world.programmes(PUPIL_B).spend(pid, CANTEEN_ID, "1200.00", "T-1")
    rejected(world, PUPIL, "AccountNotEligible",
             lambda: world.programmes(PUPIL).transfer(pid, world.address(STRANGER), "1.00"))  # fmt: skip
    _conserved(world, pid)


def test_frozen_or_de_kycd_beneficiary_cannot_spend(world: World) -> None:
    pid = _allocated(world)
    token = world.token(CITY)
    token.freeze(world.address(PUPIL))
    rejected(world, PUPIL, "AccountNotEligible",
             lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "10.00", "F-1"), account=world.address(PUPIL))  # fmt: skip
    token.unfreeze(world.address(PUPIL))
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "10.00", "F-1")
    token.set_tier(world.address(PUPIL), 0)
    rejected(world, PUPIL, "AccountNotEligible", lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "10.00", "F-2"))


def test_allocation_checks_eligibility_funds_and_sponsor(world: World) -> None:
    pid = world.lunch_programme(fund="1000.00")
    city = world.programmes(CITY)
    rejected(world, CITY, "AccountNotEligible", lambda: city.allocate(pid, [(world.address(STRANGER), "1.00")]))
    refused(world, CITY, InvalidInput, lambda: city.allocate(pid, [(world.address(PUPIL), "1000.01")]), "unallocated")
    refused(world, CITY, InvalidInput,
            lambda: city.allocate(pid, [(world.address(PUPIL), "1"), (world.address(PUPIL), "1")]), "twice")  # fmt: skip
    rejected(world, PUPIL, "NotSponsor", lambda: world.programmes(PUPIL).allocate(pid, [(world.address(PUPIL), "1")]))
    # The contract's own check, past the SDK: a raw call for more than the unallocated funds.
    raw = city.contract.functions.allocate(pid, [world.address(PUPIL)], [100001])
    rejected(world, CITY, "InsufficientUnallocated", lambda: city.send(raw, "raw allocate"), unallocated=100000, needed=100001)


def test_only_sponsors_create_and_terms_are_checked(world: World) -> None:
    now = world.block_time()
    rejected(world, PUPIL, "AccessControlUnauthorizedAccount",
             lambda: world.programmes(PUPIL).create([SCHOOL_MEALS], now + DAY, budget="X"))  # fmt: skip
    city = world.programmes(CITY)
    refused(world, CITY, InvalidInput, lambda: city.create([], now + DAY, budget="X"), "at least one")
    refused(world, CITY, InvalidInput, lambda: city.create([SCHOOL_MEALS], now - 1, budget="X"), "expiry")
    raw = city.contract.functions.createProgramme((1 << SCHOOL_MEALS, 0, now + DAY, 0, False, bytes(32)))
    rejected(world, CITY, "InvalidTerms", lambda: city.send(raw, "raw create"))


def test_withdraw_unallocated_before_expiry(world: World) -> None:
    pid = _allocated(world)
    city = world.programmes(CITY)
    before = world.balance(CITY)
    city.withdraw_unallocated(pid, "6000.00")
    assert world.balance(CITY) - before == Decimal("6000.00")
    rejected(world, CITY, "InsufficientUnallocated", lambda: city.withdraw_unallocated(pid, "70000.01"))
    _conserved(world, pid)


def _revoke_sponsor(client: Any, world: World) -> None:
    role = Web3.keccak(text="SPONSOR_ROLE")
    client.send(client.contract.functions.revokeRole(role, world.address(CITY)), "revoke SPONSOR_ROLE")
    assert not client.has_role("SPONSOR_ROLE", world.address(CITY))


def test_a_revoked_sponsor_can_no_longer_reclaim_its_programme(world: World) -> None:
    """Issue 18 (governance): revoking SPONSOR_ROLE left existing programmes with the old sponsor, who could still
    withdraw the unallocated budget and reclaim it all after expiry. Every sponsor-only action re-checks the role."""
    pid = _allocated(world, days=10)
    city = world.programmes(CITY)
    _revoke_sponsor(city, world)  # e.g. the sponsor's key is suspected compromised
    unauthorized = {"account": world.address(CITY), "neededRole": "SPONSOR_ROLE"}
    # (the SDK's fund approves nothing either: a refused call sends nothing at all)
    for attempt in (lambda: city.withdraw_unallocated(pid, "1.00"), lambda: city.fund(pid, "1.00"),
                    lambda: city.allocate(pid, [(world.address(PUPIL), "1.00")])):  # fmt: skip
        rejected(world, CITY, "AccessControlUnauthorizedAccount", attempt, **unauthorized)
    world.warp(city.programme(pid).expiry)
    rejected(world, CITY, "AccessControlUnauthorizedAccount", lambda: city.reclaim(pid), **unauthorized)
    assert city.programme(pid).locked == Decimal("100000.00")  # still locked: vouchers spendable until expiry
    # Nobody else takes it either; the admin's grant gives the budget back to its sponsor's hands.
    rejected(world, PUPIL_B, "NotSponsor", lambda: world.programmes(PUPIL_B).reclaim(pid))
    city.grant_role("SPONSOR_ROLE", world.address(CITY))
    amount, _ = city.reclaim(pid)
    assert amount == Decimal("100000.00")


def test_pause_stops_spending_and_allocation(world: World) -> None:
    pid = _allocated(world)
    city = world.programmes(CITY)
    city.pause()
    rejected(world, PUPIL, "EnforcedPause", lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1.00", "P-1"))
    rejected(world, CITY, "EnforcedPause", lambda: city.allocate(pid, [(world.address(PUPIL_B), "1.00")]))
    rejected(world, PUPIL, "AccessControlUnauthorizedAccount", lambda: world.programmes(PUPIL).unpause())
    city.unpause()
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1.00", "P-1")


@pytest.mark.parametrize("amount", ["0", "-1", "0.001"])
def test_bad_amounts_refused_before_sending(world: World, amount: str) -> None:
    pid = _allocated(world)
    refused(world, PUPIL, InvalidInput, lambda: world.programmes(PUPIL).spend(pid, CANTEEN_ID, amount, "Z"))
