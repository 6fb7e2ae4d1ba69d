"""Pause stops transfers, mints and burns; approvals and compliance still work."""

from __future__ import annotations

from decimal import Decimal

from token_world import ADMIN, ALICE, BANK, BOB, STRANGER, World, events, rejected

from tenge.token.authorizations import sign_transfer_authorization


def test_pause_stops_every_movement_of_money(world: World) -> None:
    pauser = world.token(ADMIN)
    result = pauser.pause()
    assert events(pauser, result, "Paused") == [{"account": world.address(ADMIN)}]
    assert pauser.paused()
    alice, bank = world.token(ALICE), world.token(BANK)
    world.token(BOB).approve(alice.me, "10")  # approving moves no money: allowed
    window = world.block_time()
    signed = sign_transfer_authorization(
        world.suite.keys[ALICE], alice.domain, to=world.address(BOB), value="1", valid_after=0, valid_before=window + 3600
    )
    for sender, action in (
        (ALICE, lambda: alice.transfer(world.address(BOB), "1")),
        (ALICE, lambda: alice.transfer_from(world.address(BOB), world.address(ALICE), "1")),
        (ALICE, lambda: alice.batch_transfer([(world.address(BOB), "1")])),
        (ALICE, lambda: alice.redeem(world.address(BANK), "1", "ref")),
        (ALICE, lambda: alice.submit_authorization(signed)),
        (BANK, lambda: bank.mint(world.address(ALICE), "1")),
        (BANK, lambda: bank.batch_mint([(world.address(ALICE), "1")])),
        (BANK, lambda: bank.burn("1")),
    ):
        rejected(world, sender, "EnforcedPause", action)
    rejected(world, ADMIN, "EnforcedPause", pauser.pause)
    result = pauser.unpause()
    assert events(pauser, result, "Unpaused") == [{"account": world.address(ADMIN)}]
    alice.transfer(world.address(BOB), "1")
    assert alice.balance_of(world.address(BOB)) == Decimal("501.00")
    rejected(world, ADMIN, "ExpectedPause", pauser.unpause)


def test_only_the_pauser_pauses(world: World) -> None:
    needed = "PAUSER_ROLE"
    rejected(world, STRANGER, "AccessControlUnauthorizedAccount", world.token(STRANGER).pause, neededRole=needed)
    world.token(ADMIN).pause()
    rejected(world, BANK, "AccessControlUnauthorizedAccount", world.token(BANK).unpause, neededRole=needed)
