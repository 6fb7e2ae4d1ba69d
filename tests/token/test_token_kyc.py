"""KYC tiers and holding caps: only approved accounts hold, send or receive; caps bind every credit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from token_world import ADMIN, ALICE, BANK, BOB, CAROL, MERCHANT, STRANGER, TIER1_CAP, World, events, refused, rejected, tiyn

from tenge.errors import InvalidInput

ZERO = "0x" + "00" * 20


def test_compliance_approves_an_account_with_a_tier(world: World) -> None:
    compliance = world.token(ADMIN)
    result = compliance.set_tier(world.address(STRANGER), 2)
    assert events(compliance, result, "TierSet") == [{"account": world.address(STRANGER), "oldTier": 0, "newTier": 2}]
    assert compliance.tier_of(world.address(STRANGER)) == 2
    world.token(BOB).transfer(world.address(STRANGER), "5")
    assert compliance.account(world.address(STRANGER)).balance == Decimal("5.00")


def test_only_compliance_sets_tiers(world: World) -> None:
    rejected(
        world, BANK, "AccessControlUnauthorizedAccount", lambda: world.token(BANK).set_tier(world.address(STRANGER), 1),
        account=world.address(BANK), neededRole="COMPLIANCE_ROLE",
    )  # fmt: skip


def test_an_unapproved_account_can_neither_receive_nor_send(world: World) -> None:
    rejected(
        world, ALICE, "AccountNotApproved", lambda: world.token(ALICE).transfer(world.address(STRANGER), "1"),
        account=world.address(STRANGER),
    )  # fmt: skip
    world.token(ADMIN).set_tier(world.address(BOB), 0)  # approval revoked: the balance stays, but cannot move
    assert world.token(ADMIN).balance_of(world.address(BOB)) == Decimal("500.00")
    assert world.token(ADMIN).spendable_balance_of(world.address(BOB)) == 0
    rejected(
        world, BOB, "AccountNotApproved", lambda: world.token(BOB).transfer(world.address(ALICE), "1"),
        account=world.address(BOB),
    )  # fmt: skip


def test_the_zero_address_gets_no_tier(world: World) -> None:
    rejected(world, ADMIN, "InvalidAccount", lambda: world.token(ADMIN).set_tier(ZERO, 1), account=ZERO)


def test_tiers_outside_a_byte_are_refused_before_signing(world: World) -> None:
    refused(world, ADMIN, InvalidInput, lambda: world.token(ADMIN).set_tier(world.address(ALICE), 256), match="0 to 255")
    refused(world, ADMIN, InvalidInput, lambda: world.token(ADMIN).set_tier(world.address(ALICE), -1), match="0 to 255")


def test_caps_as_configured(world: World) -> None:
    token = world.token(ADMIN)
    assert token.tier_cap(1) == TIER1_CAP
    assert token.tier_cap(2) == Decimal("5000000.00")
    assert token.tier_cap(3) is None  # businesses and banks: uncapped
    assert token.tier_cap(0) == 0  # not approved: holds nothing
    assert token.tier_cap(9) == 0  # unconfigured tiers fail closed


def test_a_credit_above_the_cap_is_refused_on_transfer(world: World) -> None:
    world.token(ADMIN).set_tier_cap(1, "1200")
    rejected(
        world, BOB, "TierCapExceeded", lambda: world.token(BOB).transfer(world.address(ALICE), "200.01"),
        account=world.address(ALICE), balanceAfter=tiyn("1200.01"), cap=tiyn("1200"),
    )  # fmt: skip
    world.token(BOB).transfer(world.address(ALICE), "200")
    assert world.token(ADMIN).balance_of(world.address(ALICE)) == Decimal("1200.00")


def test_lowering_a_cap_takes_nothing_but_blocks_credits(world: World) -> None:
    compliance = world.token(ADMIN)
    result = compliance.set_tier_cap(1, "100")
    assert events(compliance, result, "TierCapSet") == [{"tier": 1, "oldCap": tiyn(TIER1_CAP), "newCap": 10000}]
    assert compliance.balance_of(world.address(ALICE)) == Decimal("1000.00")  # above the new cap, kept
    world.token(ALICE).transfer(world.address(MERCHANT), "400")  # sending still works
    rejected(world, MERCHANT, "TierCapExceeded", lambda: world.token(MERCHANT).transfer(world.address(ALICE), "0.01"))


def test_an_uncapped_tier_holds_any_amount(world: World) -> None:
    world.token(BANK).mint(world.address(MERCHANT), TIER1_CAP + 1)
    assert world.token(ADMIN).balance_of(world.address(MERCHANT)) == TIER1_CAP + 1


def test_uncapping_and_extra_tiers(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.set_tier_cap(1, None)
    assert compliance.tier_cap(1) is None
    compliance.set_tier_cap(7, "42.42")
    assert compliance.tier_cap(7) == Decimal("42.42")
    compliance.set_tier(world.address(STRANGER), 7)
    rejected(
        world, ALICE, "TierCapExceeded", lambda: world.token(ALICE).transfer(world.address(STRANGER), "42.43"),
        cap=4242,
    )  # fmt: skip


def test_tier_zero_has_no_cap_and_packed_caps_have_a_ceiling(world: World) -> None:
    compliance = world.token(ADMIN)
    rejected(world, ADMIN, "InvalidTier", lambda: compliance.set_tier_cap(0, "1"), tier=0)
    too_large = (2**60 - 1) / Decimal(100)
    rejected(world, ADMIN, "TierCapTooLarge", lambda: compliance.set_tier_cap(2, too_large), tier=2, max=2**60 - 2)
    rejected(
        world, CAROL, "AccessControlUnauthorizedAccount", lambda: world.token(CAROL).set_tier_cap(1, "1"),
        neededRole="COMPLIANCE_ROLE",
    )  # fmt: skip


@pytest.mark.parametrize("amount", ["0.01", "499999.99"])
def test_a_cap_binds_exactly(world: World, amount: str) -> None:
    compliance = world.token(ADMIN)
    compliance.set_tier_cap(1, Decimal("1000.00") + Decimal(amount))
    world.token(BANK).mint(world.address(ALICE), amount)
    rejected(world, BANK, "TierCapExceeded", lambda: world.token(BANK).mint(world.address(ALICE), "0.01"))
