"""ERC-7802 on the token: crosschainMint / crosschainBurn behind TOKEN_BRIDGE_ROLE, no minter allowance spent,
every account rule and the reserve gate still apply, and a gated crosschain burn lowers the reserve.

The bridge contracts' own tests (two chains, signatures, queues, refunds) are the bridge suite's; here the
token's side alone, with a dev account holding TOKEN_BRIDGE_ROLE standing in for the bridge."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from token_world import ADMIN, ALICE, BANK, BOB, STRANGER, World, events, rejected, tiyn

from tenge.token.client import DigitalTengeClient

#: ERC-165 id of IERC7802 (crosschainMint ^ crosschainBurn selectors), as the ERC states it.
IERC7802_ID = bytes.fromhex("33331994")
BRIDGE = ADMIN  # holds every role but MINTER; granted TOKEN_BRIDGE_ROLE below


def bridge_role(world: World) -> DigitalTengeClient:
    admin = world.token(ADMIN)
    admin.grant_role("TOKEN_BRIDGE_ROLE", world.address(BRIDGE))
    return world.token(BRIDGE)


def crosschain(token: DigitalTengeClient, function: str, account: str, amount: str) -> Any:
    call = getattr(token.contract.functions, function)(account, tiyn(amount))
    return token.session.signer.send(call, description=function)


def test_it_reports_ierc7802_besides_access_control(world: World) -> None:
    supports = world.token(ADMIN).contract.functions.supportsInterface
    assert supports(IERC7802_ID).call() is True
    assert supports(bytes.fromhex("7965db0b")).call() is True  # IAccessControl
    assert supports(bytes.fromhex("ffffffff")).call() is False


def test_mint_and_burn_spend_no_minter_allowance(world: World) -> None:
    bridge = bridge_role(world)
    allowance = bridge.minter_allowance(world.address(BANK))
    supply = bridge.total_supply()
    result = crosschain(bridge, "crosschainMint", world.address(BOB), "25")
    assert events(bridge, result, "CrosschainMint") == [
        {"to": world.address(BOB), "amount": tiyn("25"), "sender": world.address(BRIDGE)}
    ]
    result = crosschain(bridge, "crosschainBurn", world.address(BOB), "10")
    assert events(bridge, result, "CrosschainBurn") == [
        {"from": world.address(BOB), "amount": tiyn("10"), "sender": world.address(BRIDGE)}
    ]
    assert bridge.total_supply() == supply + Decimal("15")
    assert bridge.minter_allowance(world.address(BANK)) == allowance
    assert bridge.minter_allowance(world.address(BRIDGE)) == 0


def test_only_the_bridge_role_and_every_account_rule(world: World) -> None:
    rejected(
        world, BANK, "AccessControlUnauthorizedAccount",
        lambda: crosschain(world.token(BANK), "crosschainMint", world.address(BOB), "1"),
    )  # fmt: skip
    bridge = bridge_role(world)
    rejected(world, BRIDGE, "AccountNotApproved", lambda: crosschain(bridge, "crosschainMint", world.address(STRANGER), "1"))
    world.token(ADMIN).freeze(world.address(ALICE))
    rejected(world, BRIDGE, "AccountFrozen", lambda: crosschain(bridge, "crosschainMint", world.address(ALICE), "1"))
    rejected(world, BRIDGE, "AccountFrozen", lambda: crosschain(bridge, "crosschainBurn", world.address(ALICE), "1"))
    rejected(
        world, BRIDGE, "ERC20InsufficientBalance",
        lambda: crosschain(bridge, "crosschainBurn", world.address(BOB), "100000"),
    )  # fmt: skip
    world.token(ADMIN).pause()
    rejected(world, BRIDGE, "EnforcedPause", lambda: crosschain(bridge, "crosschainMint", world.address(BOB), "1"))


def test_the_bridge_role_cannot_mint_beyond_the_reserve_and_a_burn_lowers_it(world: World) -> None:
    bridge = bridge_role(world)
    supply = bridge.total_supply()
    admin = world.token(ADMIN)
    # A gated token's reserve has one minter, the bridge: the bank's MINTER_ROLE goes first (ReserveMintersConflict
    # otherwise, see tests/bridge/test_bridge_reserve_minters.py).
    admin.revoke_role("MINTER_ROLE", world.address(BANK))
    admin.set_reserve_gating(True, 3600)
    admin.attest_reserve(str(supply + Decimal("100")))
    crosschain(bridge, "crosschainMint", world.address(BOB), "100")
    rejected(
        world, BRIDGE, "ReserveExceeded", lambda: crosschain(bridge, "crosschainMint", world.address(BOB), "0.01"),
        supplyAfter=tiyn(str(supply + Decimal("100.01"))), reserve=tiyn(str(supply + Decimal("100"))),
    )  # fmt: skip
    # Burned bridge money is on its way home: the reserve falls with it, so it cannot be minted again here.
    crosschain(bridge, "crosschainBurn", world.address(BOB), "40")
    assert admin.reserve().amount == supply + Decimal("60")
    rejected(world, BRIDGE, "ReserveExceeded", lambda: crosschain(bridge, "crosschainMint", world.address(BOB), "0.01"))
    # A court-ordered wipe is not a crosschain burn: the reserve stays.
    admin.freeze(world.address(ALICE), "10")
    admin.wipe(world.address(ALICE), "10", "COURT-ORDER-7")
    assert admin.reserve().amount == supply + Decimal("60")


def test_an_ungated_burn_leaves_the_reserve_alone(world: World) -> None:
    bridge = bridge_role(world)
    world.token(ADMIN).attest_reserve("5000")
    crosschain(bridge, "crosschainBurn", world.address(BOB), "5")
    assert world.token(ADMIN).reserve().amount == Decimal("5000")
