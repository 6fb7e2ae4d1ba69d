"""Reserve-gated minting: no mint above the attested reserve, none on a stale attestation."""

from __future__ import annotations

from decimal import Decimal

from token_world import ADMIN, ALICE, BANK, CAROL, STRANGER, World, events, rejected, tiyn


MAX_AGE = 3600


def gate(world: World, reserve: str) -> None:
    admin = world.token(ADMIN)
    result = admin.set_reserve_gating(True, MAX_AGE)
    assert events(admin, result, "ReserveGatingSet") == [{"enabled": True, "maxAttestationAge": MAX_AGE}]
    admin.attest_reserve(reserve)


def test_ungated_by_default_on_a_local_devnet(world: World) -> None:
    reserve = world.token(ADMIN).reserve()
    assert (reserve.gating_enabled, reserve.amount, reserve.attested_at) == (False, 0, 0)
    world.token(BANK).mint(world.address(CAROL), "1000")


def test_mints_stay_within_the_attested_reserve(world: World) -> None:
    gate(world, "2000")
    bank = world.token(BANK)
    bank.mint(world.address(CAROL), "400")  # supply 1900
    rejected(
        world, BANK, "ReserveExceeded", lambda: bank.mint(world.address(CAROL), "100.01"),
        supplyAfter=tiyn("2000.01"), reserve=tiyn("2000"),
    )  # fmt: skip
    rejected(world, BANK, "ReserveExceeded", lambda: bank.batch_mint([(world.address(CAROL), "60"), (world.address(ALICE), "41")]))
    bank.batch_mint([(world.address(CAROL), "60"), (world.address(ALICE), "40")])
    assert bank.total_supply() == Decimal("2000.00")


def test_a_stale_attestation_stops_minting_but_not_burning(world: World) -> None:
    gate(world, "1000000")
    attested_at = world.token(ADMIN).reserve().attested_at
    world.advance_time(MAX_AGE + 1)
    rejected(
        world, BANK, "ReserveAttestationStale", lambda: world.token(BANK).mint(world.address(CAROL), "1"),
        attestedAt=attested_at, maxAge=MAX_AGE,
    )  # fmt: skip
    world.token(ALICE).redeem(world.address(BANK), "10", "ref")  # burns are never gated
    world.token(ADMIN).attest_reserve("1000000")
    world.token(BANK).mint(world.address(CAROL), "1")


def test_attestations_cannot_be_future_dated_or_go_back_in_time(world: World) -> None:
    admin = world.token(ADMIN)
    now = world.block_time()
    result = admin.attest_reserve("5000", now)
    assert events(admin, result, "ReserveAttested") == [{"attestor": admin.me, "amount": 500000, "attestedAt": now}]
    rejected(world, ADMIN, "InvalidAttestationTime", lambda: admin.attest_reserve("5000", now - 1), attestedAt=now - 1, previousAttestedAt=now)
    rejected(world, ADMIN, "InvalidAttestationTime", lambda: admin.attest_reserve("5000", now + 10_000))


def test_only_the_attestor_attests_and_only_the_admin_gates(world: World) -> None:
    rejected(
        world, BANK, "AccessControlUnauthorizedAccount", lambda: world.token(BANK).attest_reserve("1"),
        neededRole="RESERVE_ATTESTOR_ROLE",
    )  # fmt: skip
    rejected(
        world, STRANGER, "AccessControlUnauthorizedAccount", lambda: world.token(STRANGER).set_reserve_gating(True, 1),
        neededRole="DEFAULT_ADMIN_ROLE",
    )  # fmt: skip


def test_gating_off_again_releases_minting(world: World) -> None:
    gate(world, "1500")
    rejected(world, BANK, "ReserveExceeded", lambda: world.token(BANK).mint(world.address(CAROL), "1"))
    world.token(ADMIN).set_reserve_gating(False, MAX_AGE)
    world.token(BANK).mint(world.address(CAROL), "1")


def test_a_gated_reserve_has_one_kind_of_minter_banks_or_one_bridge(world: World) -> None:
    """Issue 18 item 2: the room under a bridge's attested reserve is the bridge's alone. Banks minting against a
    separately attested reserve (no bridge) stay possible; a bridge beside them, or a second bridge, is refused."""
    gate(world, "1000000")
    admin = world.token(ADMIN)
    # The world's bank mints on this gated token (a separately attested reserve): a bridge cannot join it.
    rejected(
        world, ADMIN, "ReserveMintersConflict", lambda: admin.grant_role("TOKEN_BRIDGE_ROLE", world.address(STRANGER)),
        minters=1, bridges=1,
    )  # fmt: skip
    admin.revoke_role("MINTER_ROLE", world.address(BANK))
    admin.grant_role("TOKEN_BRIDGE_ROLE", world.address(STRANGER))
    # One bridge now: no bank, and no second bridge.
    rejected(
        world, ADMIN, "ReserveMintersConflict", lambda: admin.grant_role("MINTER_ROLE", world.address(BANK)),
        minters=1, bridges=1,
    )  # fmt: skip
    rejected(
        world, ADMIN, "ReserveMintersConflict", lambda: admin.grant_role("TOKEN_BRIDGE_ROLE", world.address(CAROL)),
        minters=0, bridges=2,
    )  # fmt: skip
    # Gating off and on again is no way round: gating refuses to come back while both kinds hold roles.
    admin.set_reserve_gating(False, MAX_AGE)
    admin.grant_role("MINTER_ROLE", world.address(BANK))
    rejected(world, ADMIN, "ReserveMintersConflict", lambda: admin.set_reserve_gating(True, MAX_AGE), minters=1, bridges=1)
    # With the bridge gone, the banks' gated reserve comes back.
    admin.revoke_role("TOKEN_BRIDGE_ROLE", world.address(STRANGER))
    admin.set_reserve_gating(True, MAX_AGE)
