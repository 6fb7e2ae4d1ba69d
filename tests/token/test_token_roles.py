"""Roles: each privileged action from its own role succeeds, from any other account it is refused with
OpenZeppelin's AccessControlUnauthorizedAccount naming the missing role; the admin hands over in two steps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from token_world import ADMIN, ALICE, BANK, BOB, MERCHANT, STRANGER, World, events, refused, rejected

from tenge.contracts import load_artifact
from tenge.errors import InvalidInput
from tenge.token.client import DigitalTengeClient
from tenge.token.roles import ROLE_NAMES, role_id, role_name

Action = Callable[[DigitalTengeClient, World], object]

#: (role, action) for every privileged function of the token. The right signer is dev 0 (holds every role
#: but MINTER) or the bank (MINTER); the wrong one is an approved holder with no role at all.
PRIVILEGED: list[tuple[str, str, Action]] = [
    ("ISSUER_ROLE", "setMinterAllowance", lambda t, w: t.set_minter_allowance(w.address(BANK), "5")),
    ("MINTER_ROLE", "mint", lambda t, w: t.mint(w.address(BOB), "5")),
    ("MINTER_ROLE", "batchMint", lambda t, w: t.batch_mint([(w.address(BOB), "5")])),
    ("MINTER_ROLE", "burn", lambda t, w: t.burn("5")),
    ("COMPLIANCE_ROLE", "setTier", lambda t, w: t.set_tier(w.address(STRANGER), 1)),
    ("COMPLIANCE_ROLE", "setTierCap", lambda t, w: t.set_tier_cap(1, "10")),
    ("COMPLIANCE_ROLE", "freeze", lambda t, w: t.freeze(w.address(BOB))),
    ("COMPLIANCE_ROLE", "unfreeze", lambda t, w: t.unfreeze(w.address(BOB))),
    ("COMPLIANCE_ROLE", "freezeAmount", lambda t, w: t.freeze(w.address(BOB), "5")),
    ("COMPLIANCE_ROLE", "unfreezeAmount", lambda t, w: t.unfreeze(w.address(BOB), "0.01")),
    ("COMPLIANCE_ROLE", "forceTransfer", lambda t, w: t.force_transfer(w.address(BOB), w.address(MERCHANT), "5", "ORDER-1")),
    ("COMPLIANCE_ROLE", "wipe", lambda t, w: t.wipe(w.address(BOB), "5", "ORDER-2")),
    ("COMPLIANCE_ROLE", "recover", lambda t, w: t.recover(w.address(BOB), w.address(STRANGER), "ORDER-3")),
    ("PAUSER_ROLE", "pause", lambda t, w: t.pause()),
    ("PAUSER_ROLE", "unpause", lambda t, w: t.unpause()),
    ("RESERVE_ATTESTOR_ROLE", "attestReserve", lambda t, w: t.attest_reserve("5")),
    ("DEFAULT_ADMIN_ROLE", "setReserveGating", lambda t, w: t.set_reserve_gating(False, 60)),
    ("DEFAULT_ADMIN_ROLE", "grantRole", lambda t, w: t.grant_role("pauser", w.address(MERCHANT))),
    ("DEFAULT_ADMIN_ROLE", "revokeRole", lambda t, w: t.revoke_role("minter", w.address(BANK))),
    ("DEFAULT_ADMIN_ROLE", "rescueERC20", lambda t, w: t.rescue_erc20(w.address(MERCHANT), w.address(BOB), 1)),
    ("UPGRADER_ROLE", "upgradeToAndCall", lambda t, w: t.session.signer.send(
        t.contract.functions.upgradeToAndCall(t.session.record.address("DigitalTengeImplementation"), b""),
        description="upgrade")),
    ("TOKEN_BRIDGE_ROLE", "crosschainMint", lambda t, w: t.session.signer.send(
        t.contract.functions.crosschainMint(w.address(BOB), 500), description="crosschainMint")),
    ("TOKEN_BRIDGE_ROLE", "crosschainBurn", lambda t, w: t.session.signer.send(
        t.contract.functions.crosschainBurn(w.address(BOB), 500), description="crosschainBurn")),
]  # fmt: skip


def _prepare(world: World, function: str) -> None:
    """State a successful call of ``function`` needs (so the right role really succeeds)."""
    admin = world.token(ADMIN)
    if function == "burn":
        world.token(BANK).mint(world.address(BANK), "5")
    elif function in ("unfreezeAmount", "wipe"):
        admin.freeze(world.address(BOB), "5")
    elif function == "recover":
        admin.set_tier(world.address(STRANGER), 1)
    elif function == "unpause":
        admin.pause()
    elif function.startswith("crosschain"):
        admin.grant_role("TOKEN_BRIDGE_ROLE", world.address(ADMIN))


def test_every_privileged_function_of_the_abi_is_in_the_table() -> None:
    """A new privileged function must join the table (and so this matrix) to pass."""
    abi = load_artifact("DigitalTenge").abi
    writes = {item["name"] for item in abi if item["type"] == "function" and item["stateMutability"] in ("nonpayable", "payable")}
    public = {
        "transfer", "transferFrom", "approve", "permit", "batchTransfer", "transferWithFee", "transferFromWithFee",
        "redeem", "transferWithAuthorization", "receiveWithAuthorization", "cancelAuthorization", "initialize",
        "upgradeToAndCall", "renounceRole", "beginDefaultAdminTransfer", "cancelDefaultAdminTransfer",
        "acceptDefaultAdminTransfer", "changeDefaultAdminDelay", "rollbackDefaultAdminDelay",
    }  # fmt: skip
    assert writes - public - {function for _, function, _ in PRIVILEGED} == set()


@pytest.mark.parametrize(("role", "function", "action"), PRIVILEGED, ids=[f for _, f, _ in PRIVILEGED])
def test_only_the_role_may(world: World, role: str, function: str, action: Action) -> None:
    _prepare(world, function)
    wrong = world.token(ALICE)  # approved, funded, holds no role
    if function == "rescueERC20":
        rejected(world, ALICE, "AccessControlUnauthorizedAccount", lambda: action(wrong, world),
                 account=world.address(ALICE), neededRole=role_name(role))  # fmt: skip
        return  # the successful rescue needs a foreign token: see test_token_rescue.py
    rejected(
        world, ALICE, "AccessControlUnauthorizedAccount", lambda: action(wrong, world),
        account=world.address(ALICE), neededRole=role_name(role),
    )  # fmt: skip
    right = world.token(BANK if role == "MINTER_ROLE" else ADMIN)
    action(right, world)


def test_role_names_are_parsed_strictly() -> None:
    assert role_name("minter") == "MINTER_ROLE"
    assert role_name("reserve-attestor") == "RESERVE_ATTESTOR_ROLE"
    assert role_name("admin") == "DEFAULT_ADMIN_ROLE"
    assert role_id("admin") == bytes(32)
    assert set(map(role_name, ROLE_NAMES)) == set(ROLE_NAMES)
    with pytest.raises(InvalidInput, match="unknown role 'minters'"):
        role_name("minters")


def test_roles_match_the_contract_constants(world: World) -> None:
    token = world.token(ADMIN)
    for name in ROLE_NAMES[1:]:
        assert bytes(getattr(token.contract.functions, name)().call()) == role_id(name)


def test_grant_and_revoke(world: World) -> None:
    admin = world.token(ADMIN)
    result = admin.grant_role("compliance", world.address(MERCHANT))
    assert events(admin, result, "RoleGranted")[0]["account"] == world.address(MERCHANT)
    assert admin.roles_of(world.address(MERCHANT)) == ["COMPLIANCE_ROLE"]
    world.token(MERCHANT).freeze(world.address(BOB))
    admin.revoke_role("compliance", world.address(MERCHANT))
    rejected(world, MERCHANT, "AccessControlUnauthorizedAccount", lambda: world.token(MERCHANT).unfreeze(world.address(BOB)))
    refused(world, ADMIN, InvalidInput, lambda: admin.grant_role("superuser", world.address(MERCHANT)), match="unknown role")


def test_the_admin_role_is_never_granted_directly(world: World) -> None:
    rejected(
        world, ADMIN, "AccessControlEnforcedDefaultAdminRules",
        lambda: world.token(ADMIN).grant_role("admin", world.address(MERCHANT)),
    )  # fmt: skip


def test_the_admin_hands_over_in_two_steps_after_a_delay(world: World) -> None:
    admin, successor = world.token(ADMIN), world.token(MERCHANT)
    admin.begin_admin_transfer(successor.me)
    pending, schedule = admin.pending_default_admin()
    assert pending == successor.me and schedule > world.block_time()
    rejected(world, MERCHANT, "AccessControlEnforcedDefaultAdminDelay", successor.accept_admin_transfer)
    rejected(world, STRANGER, "AccessControlInvalidDefaultAdmin", world.token(STRANGER).accept_admin_transfer)
    world.advance_time(schedule - world.block_time() + 1)
    successor.accept_admin_transfer()
    assert admin.default_admin() == successor.me
    assert not admin.has_role("admin", admin.me)
    assert admin.has_role("issuer", admin.me)  # the other roles stay where they were


def test_a_mistyped_handover_is_cancelled(world: World) -> None:
    admin = world.token(ADMIN)
    admin.begin_admin_transfer(world.address(STRANGER))
    admin.cancel_admin_transfer()
    assert admin.pending_default_admin()[0] == "0x" + "00" * 20
    assert admin.default_admin() == admin.me
