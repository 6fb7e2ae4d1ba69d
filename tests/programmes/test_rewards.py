"""Reward pools (move-to-earn): attested claims paid once, caps, pool life cycle, token rules."""

from __future__ import annotations

from decimal import Decimal

from programme_world import ATTESTER, CITY, COURIER, PUPIL, PUPIL_B, STRANGER, World, refused, rejected

from tenge.errors import InvalidInput
from tenge.programmes.signing import RewardClaim, SignedClaim, sign_claim

PERIOD = 20260301


def _pool(world: World, fund: str = "10000.00") -> int:
    rewards = world.rewards(CITY)
    pid = rewards.create_pool(world.address(ATTESTER), max_per_claim="500.00", period_cap="1000.00", budget="STEPS-2026")
    rewards.fund(pid, fund)
    return pid


def _claim(world: World, pid: int, who: int, amount: str, period: int = PERIOD, signer: int = ATTESTER) -> SignedClaim:
    return sign_claim(world.key(signer), world.rewards(CITY).domain,
                      RewardClaim(pid, world.address(who), Decimal(amount), period))  # fmt: skip


def test_anyone_submits_an_attested_claim_paid_once(world: World) -> None:
    pid = _pool(world)
    before = world.balance(PUPIL)
    receipt = world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "120.00"))
    assert receipt.amount == Decimal("120.00") and world.balance(PUPIL) - before == Decimal("120.00")
    assert world.rewards(CITY).claimed(pid, world.address(PUPIL), PERIOD)
    assert world.rewards(CITY).pool(pid).balance == Decimal("9880.00")
    rejected(world, COURIER, "AlreadyClaimed", lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "120.00")))
    rejected(world, COURIER, "AlreadyClaimed", lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "1.00")))
    world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "120.00", period=PERIOD + 1))  # next period pays


def test_claim_signed_by_wrong_attester_or_after_rotation_is_refused(world: World) -> None:
    pid = _pool(world)
    rejected(world, COURIER, "InvalidAttestation",
             lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "10.00", signer=PUPIL_B)),
             attester=world.address(ATTESTER))  # fmt: skip
    old = _claim(world, pid, PUPIL, "10.00")
    rejected(world, PUPIL, "NotPoolSponsor", lambda: world.rewards(PUPIL).set_attester(pid, world.address(PUPIL)))
    world.rewards(CITY).set_attester(pid, world.address(PUPIL_B))
    rejected(world, COURIER, "InvalidAttestation", lambda: world.rewards(COURIER).claim(old))
    world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "10.00", signer=PUPIL_B))


def test_caps_and_exhaustion(world: World) -> None:
    pid = _pool(world, fund="700.00")
    rewards = world.rewards(COURIER)
    rejected(world, COURIER, "ClaimAboveCap", lambda: rewards.claim(_claim(world, pid, PUPIL, "500.01")),
             amount=50001, maxPerClaim=50000)  # fmt: skip
    rewards.claim(_claim(world, pid, PUPIL, "500.00"))
    rejected(world, COURIER, "PoolExhausted", lambda: rewards.claim(_claim(world, pid, PUPIL_B, "200.01")),
             balance=20000, requested=20001)  # fmt: skip
    world.rewards(CITY).fund(pid, "1000.00")  # top up
    rewards.claim(_claim(world, pid, PUPIL_B, "500.00"))
    rejected(world, COURIER, "PeriodCapExceeded", lambda: rewards.claim(_claim(world, pid, STRANGER, "0.01")),
             remaining=0, requested=1)  # fmt: skip
    assert world.rewards(CITY).paid_in_period(pid, PERIOD) == Decimal("1000.00")


def test_beneficiary_must_be_kycd_and_within_tier_cap(world: World) -> None:
    pid = _pool(world)
    rejected(world, COURIER, "AccountNotApproved", lambda: world.rewards(COURIER).claim(_claim(world, pid, STRANGER, "1.00")))
    world.token(CITY).set_tier_cap(1, world.balance(PUPIL) + Decimal("50.00"))
    rejected(world, COURIER, "TierCapExceeded", lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "50.01")))
    world.token(CITY).freeze(world.address(PUPIL_B))
    rejected(world, COURIER, "AccountFrozen", lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL_B, "1.00")))


def test_pause_close_and_remainder_to_sponsor(world: World) -> None:
    pid = _pool(world)
    sponsor = world.rewards(CITY)
    sponsor.set_paused(pid, True)
    rejected(world, COURIER, "PoolPaused", lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "1.00")))
    sponsor.set_paused(pid, False)
    world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "100.00"))
    rejected(world, PUPIL, "NotPoolSponsor", lambda: world.rewards(PUPIL).close(pid))
    before = world.balance(CITY)
    remainder, _ = sponsor.close(pid)
    assert remainder == Decimal("9900.00") and world.balance(CITY) - before == remainder
    assert world.balance(sponsor.address) == 0
    rejected(world, COURIER, "PoolClosedAlready", lambda: world.rewards(COURIER).claim(_claim(world, pid, PUPIL_B, "1.00")))
    rejected(world, CITY, "PoolClosedAlready", lambda: sponsor.fund(pid, "1.00"))


def test_pool_terms_and_roles(world: World) -> None:
    rejected(world, PUPIL, "AccessControlUnauthorizedAccount",
             lambda: world.rewards(PUPIL).create_pool(world.address(ATTESTER), max_per_claim="1", period_cap="1", budget="X"))  # fmt: skip
    refused(world, CITY, InvalidInput,
            lambda: world.rewards(CITY).create_pool(world.address(ATTESTER), max_per_claim="2", period_cap="1", budget="X"))  # fmt: skip
    raw = world.rewards(CITY).contract.functions.createPool("0x" + "00" * 20, 1, 1, bytes(32))
    rejected(world, CITY, "InvalidPoolTerms", lambda: world.rewards(CITY).send(raw, "raw"))
    rejected(world, CITY, "UnknownPool", lambda: world.rewards(CITY).pool(99))
    world.rewards(CITY).pause()
    pid = world.rewards(CITY).create_pool(world.address(ATTESTER), max_per_claim="1", period_cap="1", budget="X")
    rejected(world, CITY, "EnforcedPause", lambda: world.rewards(CITY).fund(pid, "1.00", approve=False))
