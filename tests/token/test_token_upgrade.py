"""UUPS upgrade to a second implementation: every piece of state survives, only the upgrader upgrades."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from token_world import ADMIN, ALICE, BANK, BOB, CAROL, MERCHANT, STRANGER, World, events, rejected
from web3 import Web3

from tenge.contracts import load_artifact
from tenge.token.authorizations import random_nonce, sign_cancel_authorization, sign_transfer_authorization
from tenge.token.client import DigitalTengeClient
from tenge.token.roles import ROLE_NAMES

#: ERC-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1)
IMPLEMENTATION_SLOT = int("360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc", 16)
PEOPLE = [ADMIN, BANK, ALICE, BOB, CAROL, MERCHANT, STRANGER]


def state_of(token: DigitalTengeClient, world: World, nonces: list[tuple[int, bytes]]) -> dict[str, Any]:
    """Everything the upgrade must keep, read through the SDK."""
    reserve = token.reserve()
    return {
        "meta": (token.contract.functions.name().call(), token.contract.functions.symbol().call(),
                 token.contract.functions.currency().call(), token.total_supply(), token.paused()),
        "accounts": {i: token.account(world.address(i)) for i in PEOPLE},
        "allowances": {(i, j): token.allowance(world.address(i), world.address(j)) for i in PEOPLE for j in PEOPLE},
        "roles": {i: token.roles_of(world.address(i)) for i in PEOPLE},
        "admin": (token.default_admin(), token.pending_default_admin()),
        "minterAllowance": token.minter_allowance(world.address(BANK)),
        "caps": [token.tier_cap(t) for t in (1, 2, 3, 9)],
        "permitNonces": {i: token.permit_nonce(world.address(i)) for i in PEOPLE},
        "authorizations": [token.authorization_state(world.address(i), n) for i, n in nonces],
        "reserve": (reserve.amount, reserve.attested_at, reserve.gating_enabled, reserve.max_attestation_age),
        "domain": token.domain.separator(),
    }  # fmt: skip


def build_rich_state(world: World) -> list[tuple[int, bytes]]:
    admin, alice, bob = world.token(ADMIN), world.token(ALICE), world.token(BOB)
    alice.approve(world.address(BOB), "123.45")
    bob.permit(world.suite.keys[ALICE], world.address(CAROL), "7")  # Alice's permit nonce -> 1
    admin.grant_role("pauser", world.address(MERCHANT))
    admin.set_tier_cap(9, "99.99")
    admin.freeze(world.address(ALICE), "100")
    admin.freeze(world.address(BOB))
    admin.set_reserve_gating(True, 7200)
    admin.attest_reserve("1000000")
    admin.begin_admin_transfer(world.address(MERCHANT))
    now = world.block_time()
    used = sign_transfer_authorization(world.suite.keys[ALICE], admin.domain, to=world.address(CAROL), value="5",
                                       valid_after=0, valid_before=now + 3600)  # fmt: skip
    world.token(STRANGER).submit_authorization(used)
    canceled = sign_cancel_authorization(world.suite.keys[CAROL], admin.domain, random_nonce())
    world.token(STRANGER).cancel_authorization(canceled)
    return [(ALICE, used.authorization.nonce), (CAROL, canceled.nonce), (ALICE, random_nonce())]


def implementation_of(w3: Web3, proxy: str) -> str:
    word = w3.eth.get_storage_at(proxy, IMPLEMENTATION_SLOT)  # type: ignore[arg-type]
    return Web3.to_checksum_address(bytes(word)[-20:])


def test_an_upgrade_keeps_every_balance_allowance_role_tier_freeze_and_nonce(world: World) -> None:
    nonces = build_rich_state(world)
    admin = world.token(ADMIN)
    before = state_of(admin, world, nonces)
    assert before["authorizations"] == [True, True, False] and before["permitNonces"][ALICE] == 1

    v2_address, _ = admin.session.signer.deploy(load_artifact("DigitalTengeV2"))
    result = admin.session.signer.send(admin.contract.functions.upgradeToAndCall(v2_address, b""), description="upgrade")
    assert events(admin, result, "Upgraded") == [{"implementation": v2_address}]
    assert implementation_of(admin.w3, admin.address) == v2_address

    v2 = admin.w3.eth.contract(address=admin.address, abi=load_artifact("DigitalTengeV2").abi)
    assert v2.functions.version().call() == 2
    upgraded = DigitalTengeClient(world.suite.session(ADMIN), address=admin.address)
    assert state_of(upgraded, world, nonces) == before

    # And it keeps working under the same rules.
    world.token(ALICE).transfer(world.address(CAROL), "895")  # 1000 - 5 authorized - 100 frozen
    rejected(world, ALICE, "InsufficientSpendableBalance", lambda: world.token(ALICE).transfer(world.address(CAROL), "0.01"))
    rejected(world, BOB, "AccountFrozen", lambda: world.token(BOB).transfer(world.address(CAROL), "1"))
    world.token(BOB).permit(world.suite.keys[ALICE], world.address(BOB), "1")  # nonce 1 is the next one
    assert upgraded.permit_nonce(world.address(ALICE)) == 2
    assert upgraded.balance_of(world.address(CAROL)) == Decimal("900.00")


def test_only_the_upgrader_upgrades_and_only_to_an_upgradeable_implementation(world: World) -> None:
    admin = world.token(ADMIN)
    v2_address, _ = admin.session.signer.deploy(load_artifact("DigitalTengeV2"))
    stranger = world.token(MERCHANT)
    rejected(
        world, MERCHANT, "AccessControlUnauthorizedAccount",
        lambda: stranger.session.signer.send(stranger.contract.functions.upgradeToAndCall(v2_address, b""), description="upgrade"),
    )  # fmt: skip
    foreign, _ = admin.session.signer.deploy(load_artifact("ForeignToken"), ["Other", "OTH"])
    rejected(
        world, ADMIN, "ERC1967InvalidImplementation",
        lambda: admin.session.signer.send(admin.contract.functions.upgradeToAndCall(foreign, b""), description="upgrade"),
    )  # fmt: skip
    original = implementation_of(admin.w3, admin.address)
    assert original == admin.session.record.address("DigitalTengeImplementation")


def test_the_proxy_cannot_be_initialised_twice(world: World) -> None:
    admin = world.token(ADMIN)
    call = admin.contract.functions.initialize("Evil", "EVL", "EVL", world.address(STRANGER), 0, False, 0)
    rejected(world, ADMIN, "InvalidInitialization", lambda: admin.session.signer.send(call, description="initialize"))
    implementation = admin.w3.eth.contract(address=admin.session.record.address("DigitalTengeImplementation"), abi=admin.contract.abi)
    call = implementation.functions.initialize("Evil", "EVL", "EVL", world.address(STRANGER), 0, False, 0)
    rejected(world, ADMIN, "InvalidInitialization", lambda: admin.session.signer.send(call, description="initialize"))
