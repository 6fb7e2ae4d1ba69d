"""Freezes (whole account or an amount), court-ordered transfers and wipes, wallet recovery."""

from __future__ import annotations

from decimal import Decimal

from token_world import ADMIN, ALICE, BANK, BOB, CAROL, MERCHANT, NEWKEY, STRANGER, World, events, refused, rejected

from tenge.errors import InvalidAmount, InvalidInput
from tenge.token.authorizations import sign_permit
from tenge.token.client import AccountState
from tenge.token.references import reference_to_bytes32

COURT_ORDER = "ALMATY-COURT-2-1234/2026"


def test_a_wholly_frozen_account_can_neither_send_nor_receive(world: World) -> None:
    compliance = world.token(ADMIN)
    result = compliance.freeze(world.address(ALICE))
    assert events(compliance, result, "Frozen") == [{"account": world.address(ALICE)}]
    state = compliance.account(world.address(ALICE))
    assert state.wholly_frozen and state.spendable == 0 and state.balance == Decimal("1000.00")
    alice_sends = lambda: world.token(ALICE).transfer(world.address(BOB), "1")  # noqa: E731
    rejected(world, ALICE, "AccountFrozen", alice_sends, account=world.address(ALICE))
    rejected(
        world, BOB, "AccountFrozen", lambda: world.token(BOB).transfer(world.address(ALICE), "1"),
        account=world.address(ALICE),
    )  # fmt: skip
    rejected(world, BANK, "AccountFrozen", lambda: world.token(BANK).mint(world.address(ALICE), "1"))
    result = compliance.unfreeze(world.address(ALICE))
    assert events(compliance, result, "Unfrozen") == [{"account": world.address(ALICE)}]
    alice_sends()
    assert compliance.balance_of(world.address(ALICE)) == Decimal("999.00")


def test_a_frozen_amount_cannot_be_spent(world: World) -> None:
    compliance = world.token(ADMIN)
    result = compliance.freeze(world.address(ALICE), amount="700")
    assert events(compliance, result, "AmountFrozen") == [
        {"account": world.address(ALICE), "amount": 70000, "totalFrozen": 70000}
    ]
    assert compliance.spendable_balance_of(world.address(ALICE)) == Decimal("300.00")
    rejected(
        world, ALICE, "InsufficientSpendableBalance", lambda: world.token(ALICE).transfer(world.address(BOB), "300.01"),
        account=world.address(ALICE), spendable=30000, needed=30001,
    )  # fmt: skip
    world.token(ALICE).transfer(world.address(BOB), "300")
    assert compliance.account(world.address(ALICE)).frozen_amount == Decimal("700.00")
    # Credits still arrive: only spending is limited.
    world.token(BOB).transfer(world.address(ALICE), "50")
    assert compliance.spendable_balance_of(world.address(ALICE)) == Decimal("50.00")


def test_a_freeze_can_be_placed_ahead_of_credits(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.freeze(world.address(CAROL), amount="100")
    state = compliance.account(world.address(CAROL))
    assert (state.balance, state.frozen_amount, state.spendable) == (0, Decimal("100.00"), 0)
    world.token(BANK).mint(world.address(CAROL), "150")
    assert compliance.spendable_balance_of(world.address(CAROL)) == Decimal("50.00")


def test_releasing_a_frozen_amount(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.freeze(world.address(ALICE), amount="700")
    result = compliance.unfreeze(world.address(ALICE), amount="200")
    assert events(compliance, result, "AmountUnfrozen")[0]["totalFrozen"] == 50000
    rejected(
        world, ADMIN, "UnfreezeExceedsFrozen", lambda: compliance.unfreeze(world.address(ALICE), amount="500.01"),
        account=world.address(ALICE), frozen=50000, amount=50001,
    )  # fmt: skip
    compliance.unfreeze(world.address(ALICE), amount="500")
    assert compliance.spendable_balance_of(world.address(ALICE)) == Decimal("1000.00")


def test_lifting_a_whole_freeze_keeps_the_frozen_amount(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.freeze(world.address(ALICE), amount="600")
    compliance.freeze(world.address(ALICE))
    compliance.unfreeze(world.address(ALICE))
    assert compliance.account(world.address(ALICE)).spendable == Decimal("400.00")


def test_only_compliance_freezes(world: World) -> None:
    needed = "COMPLIANCE_ROLE"  # by name, not its hash
    bob = world.token(BOB)
    for action in (
        lambda: bob.freeze(world.address(ALICE)),
        lambda: bob.freeze(world.address(ALICE), "1"),
        lambda: bob.unfreeze(world.address(ALICE)),
        lambda: bob.unfreeze(world.address(ALICE), "1"),
    ):
        rejected(world, BOB, "AccessControlUnauthorizedAccount", action, account=world.address(BOB), neededRole=needed)


def test_zero_freeze_amounts_are_refused_before_signing(world: World) -> None:
    refused(
        world, ADMIN, InvalidAmount, lambda: world.token(ADMIN).freeze(world.address(ALICE), "0"),
        match="greater than zero",
    )


def test_a_forced_transfer_takes_spendable_first_then_frozen(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.freeze(world.address(ALICE), amount="700")
    compliance.freeze(world.address(ALICE))  # court orders ignore the sender's freeze
    result = compliance.force_transfer(world.address(ALICE), world.address(MERCHANT), "500", COURT_ORDER)
    alice = compliance.account(world.address(ALICE))
    assert (alice.balance, alice.frozen_amount) == (Decimal("500.00"), Decimal("500.00"))
    assert compliance.balance_of(world.address(MERCHANT)) == Decimal("500.00")
    assert events(compliance, result, "ForcedTransfer") == [
        {
            "operator": world.address(ADMIN),
            "from": world.address(ALICE),
            "to": world.address(MERCHANT),
            "amount": 50000,
            "legalReference": reference_to_bytes32(COURT_ORDER),
        }
    ]
    assert len(events(compliance, result, "Transfer")) == 1


def test_a_forced_transfer_obeys_the_receiver_rules(world: World) -> None:
    compliance = world.token(ADMIN)
    alice, bob = world.address(ALICE), world.address(BOB)
    force = compliance.force_transfer
    rejected(world, ADMIN, "AccountNotApproved", lambda: force(alice, world.address(STRANGER), "1", COURT_ORDER))
    compliance.freeze(bob)
    rejected(world, ADMIN, "AccountFrozen", lambda: force(alice, bob, "1", COURT_ORDER), account=bob)
    rejected(world, ADMIN, "InvalidAccount", lambda: force(alice, alice, "1", COURT_ORDER), account=alice)
    rejected(
        world, ADMIN, "ERC20InsufficientBalance", lambda: force(alice, world.address(MERCHANT), "1000.01", COURT_ORDER),
        sender=alice, balance=100000, needed=100001,
    )  # fmt: skip
    compliance.set_tier_cap(1, "1000")
    rejected(world, ADMIN, "TierCapExceeded", lambda: force(bob, alice, "0.01", COURT_ORDER))
    rejected(
        world, BANK, "AccessControlUnauthorizedAccount",
        lambda: world.token(BANK).force_transfer(alice, world.address(MERCHANT), "1", COURT_ORDER),
    )  # fmt: skip
    refused(world, ADMIN, InvalidInput, lambda: force(alice, world.address(MERCHANT), "1", "z" * 33), match="32")


def test_a_wipe_burns_from_a_frozen_account_only(world: World) -> None:
    compliance = world.token(ADMIN)
    alice = world.address(ALICE)
    rejected(
        world, ADMIN, "InsufficientFrozenAmount", lambda: compliance.wipe(alice, "1", COURT_ORDER),
        account=alice, frozen=0, needed=100,
    )  # fmt: skip
    compliance.freeze(alice, amount="300")
    rejected(world, ADMIN, "InsufficientFrozenAmount", lambda: compliance.wipe(alice, "300.01", COURT_ORDER))
    result = compliance.wipe(alice, "200", COURT_ORDER)
    state = compliance.account(alice)
    assert (state.balance, state.frozen_amount, state.spendable) == (Decimal("800.00"), Decimal("100.00"), Decimal("700.00"))
    assert compliance.total_supply() == Decimal("1300.00")
    assert events(compliance, result, "Wiped") == [
        {"operator": world.address(ADMIN), "from": alice, "amount": 20000, "legalReference": reference_to_bytes32(COURT_ORDER)}
    ]
    compliance.freeze(alice)  # wholly frozen: the whole balance may be wiped
    compliance.wipe(alice, "800", COURT_ORDER)
    assert compliance.balance_of(alice) == 0 and compliance.total_supply() == Decimal("500.00")
    rejected(world, ADMIN, "ERC20InsufficientBalance", lambda: compliance.wipe(alice, "0.01", COURT_ORDER))
    rejected(world, BOB, "AccessControlUnauthorizedAccount", lambda: world.token(BOB).wipe(alice, "1", COURT_ORDER))


def test_recovery_moves_everything_to_the_new_key(world: World) -> None:
    compliance = world.token(ADMIN)
    lost, new = world.address(ALICE), world.address(NEWKEY)
    # The lost key had signed a permit: its nonce must not travel to the new key.
    world.token(BOB).permit(world.suite.keys[ALICE], world.address(BOB), "5")
    compliance.freeze(lost, amount="250")
    compliance.set_tier(new, 2)
    result = compliance.recover(lost, new, "NPC-RECOVERY-77/2026")
    after = compliance.account(new)
    assert (after.balance, after.frozen_amount, after.tier) == (Decimal("1000.00"), Decimal("250.00"), 1)
    zero = Decimal("0.00")
    assert compliance.account(lost) == AccountState(lost, zero, zero, zero, False, 0, zero)
    assert compliance.permit_nonce(lost) == 1 and compliance.permit_nonce(new) == 0
    (recovered,) = events(compliance, result, "Recovered")
    assert (recovered["balance"], recovered["frozenAmount"]) == (100000, 25000)
    world.token(NEWKEY).transfer(world.address(BOB), "750")
    rejected(world, NEWKEY, "InsufficientSpendableBalance", lambda: world.token(NEWKEY).transfer(world.address(BOB), "0.01"))


def test_recovery_carries_a_whole_freeze(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.freeze(world.address(ALICE))
    compliance.set_tier(world.address(NEWKEY), 1)
    compliance.recover(world.address(ALICE), world.address(NEWKEY), "ref")
    assert compliance.is_frozen(world.address(NEWKEY)) and not compliance.is_frozen(world.address(ALICE))


def test_recovery_needs_an_approved_empty_distinct_target(world: World) -> None:
    compliance = world.token(ADMIN)
    alice = world.address(ALICE)
    recover = compliance.recover
    rejected(world, ADMIN, "InvalidRecoveryTarget", lambda: recover(alice, world.address(NEWKEY), "r"), account=world.address(NEWKEY))
    rejected(world, ADMIN, "InvalidRecoveryTarget", lambda: recover(alice, world.address(BOB), "r"))  # holds money
    rejected(world, ADMIN, "InvalidRecoveryTarget", lambda: recover(alice, alice, "r"))
    compliance.set_tier(world.address(NEWKEY), 1)
    compliance.freeze(world.address(NEWKEY), "1")
    rejected(world, ADMIN, "InvalidRecoveryTarget", lambda: recover(alice, world.address(NEWKEY), "r"))
    rejected(
        world, BANK, "AccessControlUnauthorizedAccount", lambda: world.token(BANK).recover(alice, world.address(CAROL), "r")
    )


def test_compliance_works_while_paused(world: World) -> None:
    compliance = world.token(ADMIN)
    compliance.pause()
    compliance.set_tier(world.address(NEWKEY), 1)
    compliance.set_tier_cap(2, "10000")
    compliance.freeze(world.address(ALICE), "100")
    compliance.unfreeze(world.address(ALICE), "100")
    compliance.freeze(world.address(ALICE))
    compliance.force_transfer(world.address(ALICE), world.address(MERCHANT), "10", COURT_ORDER)
    compliance.wipe(world.address(ALICE), "10", COURT_ORDER)
    compliance.recover(world.address(ALICE), world.address(NEWKEY), "ref")
    compliance.unfreeze(world.address(NEWKEY))
    assert compliance.balance_of(world.address(NEWKEY)) == Decimal("980.00")
    assert compliance.paused()


def test_permits_of_a_recovered_key_are_dead(world: World) -> None:
    compliance = world.token(ADMIN)
    deadline = world.block_time() + 3600
    signed = sign_permit(world.suite.keys[ALICE], compliance.domain, spender=world.address(BOB), value="5", nonce=0, deadline=deadline)
    compliance.set_tier(world.address(NEWKEY), 1)
    compliance.recover(world.address(ALICE), world.address(NEWKEY), "ref")
    world.token(BOB).submit_permit(signed)  # a permit is an approval: harmless once the key is empty
    assert compliance.balance_of(world.address(ALICE)) == 0
    rejected(
        world, BOB, "AccountNotApproved",
        lambda: world.token(BOB).transfer_from(world.address(ALICE), world.address(BOB), "5"), account=world.address(ALICE),
    )  # fmt: skip
