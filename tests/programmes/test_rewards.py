"""Reward pools (move-to-earn): attested claims paid once, caps, pool life cycle, token rules."""

from __future__ import annotations

from decimal import Decimal

from programme_world import ATTESTER, CITY, COURIER, DAY, PUPIL, PUPIL_B, STRANGER, World, refused, rejected
from web3 import Web3

from tenge.errors import InvalidInput
from tenge.programmes.signing import RewardClaim, SignedClaim

PERIOD = 20260301


def _pool(world: World, fund: str = "10000.00") -> int:
    rewards = world.rewards(CITY)
    pid = rewards.create_pool(world.address(ATTESTER), max_per_claim="500.00", period_cap="1000.00", budget="STEPS-2026")
    rewards.fund(pid, fund)
    return pid


def _claim(world: World, pid: int, who: int, amount: str, period: int = PERIOD, signer: int = ATTESTER) -> SignedClaim:
    return world.rewards(CITY).sign_claim(world.key(signer), pid, world.address(who), amount, period)


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


def test_claimed_periods_are_bits_of_one_word_each_refused_a_second_time(world: World) -> None:
    """Issue 23 (gas): a beneficiary's claimed periods of a pool are bits, 256 periods to a word. Neighbouring
    periods in one word, the first period of the next word and another beneficiary's same period each pay once;
    a replay or a second attestation of any of them is refused, whatever the amount."""
    pid = _pool(world)
    courier, sponsor = world.rewards(COURIER), world.rewards(CITY)
    last_of_word = 256 * 79141 + 255  # 20260351: the next period opens a new word
    periods = (last_of_word - 1, last_of_word, last_of_word + 1)
    for period in periods:
        assert not sponsor.claimed(pid, world.address(PUPIL), period)
        courier.claim(_claim(world, pid, PUPIL, "1.00", period=period))
        assert sponsor.claimed(pid, world.address(PUPIL), period)
        assert not sponsor.claimed(pid, world.address(PUPIL_B), period)
    assert not sponsor.claimed(pid, world.address(PUPIL), last_of_word - 2)
    assert not sponsor.claimed(pid, world.address(PUPIL), last_of_word + 2)
    for period in periods:
        again = _claim(world, pid, PUPIL, "2.00", period=period)
        rejected(world, COURIER, "AlreadyClaimed", lambda again=again: courier.claim(again))
    courier.claim(_claim(world, pid, PUPIL_B, "1.00", period=last_of_word))
    replay = _claim(world, pid, PUPIL_B, "1.00", period=last_of_word)
    rejected(world, COURIER, "AlreadyClaimed", lambda: courier.claim(replay))
    assert sponsor.pool(pid).balance == Decimal("9996.00")


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


def test_a_claim_dies_with_its_deadline_even_when_its_attester_returns(world: World) -> None:
    """Issue 18 (governance): claims had no deadline, so switching back to an old attester revived every claim it
    had signed and nobody had submitted. A claim now carries `validBefore` (signed) and is refused from then on."""
    pid = _pool(world)
    sponsor, courier = world.rewards(CITY), world.rewards(COURIER)
    old = sponsor.sign_claim(world.key(ATTESTER), pid, world.address(PUPIL), "10.00", PERIOD, valid_for_seconds=DAY)
    assert old.claim.valid_before == world.block_time() + DAY
    sponsor.set_attester(pid, world.address(PUPIL_B))  # the app rotates its key; the old claim stops working
    rejected(world, COURIER, "InvalidAttestation", lambda: courier.claim(old))
    world.warp(old.claim.valid_before - 60)
    late_but_valid = sponsor.sign_claim(world.key(PUPIL_B), pid, world.address(PUPIL_B), "1.00", PERIOD, now=0,
                                        valid_for_seconds=old.claim.valid_before)  # fmt: skip
    courier.claim(late_but_valid)  # one minute before its deadline: paid
    world.warp(old.claim.valid_before)  # exactly the deadline second: over
    sponsor.set_attester(pid, world.address(ATTESTER))  # ... and back to the old key
    rejected(world, COURIER, "ClaimExpired", lambda: courier.claim(old), validBefore=old.claim.valid_before)
    assert not sponsor.claimed(pid, world.address(PUPIL), PERIOD)
    # The deadline is signed: moved later, the signature no longer matches the attester.
    moved = SignedClaim(RewardClaim(**{**old.claim.__dict__, "valid_before": old.claim.valid_before + DAY}), old.signature)
    rejected(world, COURIER, "InvalidAttestation", lambda: courier.claim(moved))
    courier.claim(_claim(world, pid, PUPIL, "10.00"))  # a fresh claim of the returned attester pays
    refused(world, CITY, InvalidInput,
            lambda: sponsor.sign_claim(world.key(ATTESTER), pid, world.address(PUPIL), "1.00", PERIOD, valid_for_seconds=0))  # fmt: skip


def test_a_revoked_sponsor_can_no_longer_empty_its_pool(world: World) -> None:
    """Issue 18 (governance): a sponsor whose SPONSOR_ROLE was revoked kept its pools: it could close them and take
    the balance, or name its own attester. Every sponsor-only action re-checks the role."""
    pid = _pool(world)
    sponsor = world.rewards(CITY)
    sponsor.send(sponsor.contract.functions.revokeRole(Web3.keccak(text="SPONSOR_ROLE"), world.address(CITY)), "revoke")
    unauthorized = {"account": world.address(CITY), "neededRole": "SPONSOR_ROLE"}
    for attempt in (lambda: sponsor.close(pid), lambda: sponsor.set_attester(pid, world.address(CITY)),
                    lambda: sponsor.set_paused(pid, True), lambda: sponsor.fund(pid, "1.00")):  # fmt: skip
        rejected(world, CITY, "AccessControlUnauthorizedAccount", attempt, **unauthorized)
    assert sponsor.pool(pid).balance == Decimal("10000.00")
    world.rewards(COURIER).claim(_claim(world, pid, PUPIL, "10.00"))  # claims of the pool's attester still pay
    sponsor.grant_role("SPONSOR_ROLE", world.address(CITY))
    remainder, _ = sponsor.close(pid)
    assert remainder == Decimal("9990.00")


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
