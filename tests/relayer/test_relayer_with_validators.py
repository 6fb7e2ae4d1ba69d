"""End to end with REAL processes only: five `tenge bridge validator run` processes (3 of 5, the validator
engineer's service and fleet fixture) and the relayer process, on two anvils. Seeded: transfers both ways and
one refused recipient; the relayer is SIGKILLed mid-stream and restarted, one validator is SIGKILLed and
restarted, two stay down for a while. Every transfer ends delivered or refunded, each delivered by exactly one
deliver transaction (counted on chain); conservation holds (checked by the fixture at the end too)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from bridge_world import ALICE, BNB, BNB_CHAIN, BOB, CAROL, HOME, HOME_CHAIN, STRANGER, VALIDATORS
from relayer_world import RelayerWorld
from test_relayer_faults import all_done
from test_relayer_flow import send
from validator_fleet import ValidatorFleet
from validator_world import align_clocks


@pytest.fixture
def fleet(rworld: RelayerWorld) -> Iterator[ValidatorFleet]:
    fleet = ValidatorFleet(rworld.tmp / "validators", rworld.bridge.config, rworld.bridge.records, VALIDATORS)
    try:
        yield fleet
    finally:
        fleet.stop_all()


def test_real_validators_and_relayer_deliver_everything_once_through_crashes(rworld: RelayerWorld, fleet: ValidatorFleet) -> None:
    rng = random.Random(31337)
    fleet.start_all()
    home_start, bnb_start = (int(c.w3.eth.block_number) + 1 for c in (rworld.bridge.home, rworld.bridge.bnb))
    for _ in range(10):
        send(rworld, HOME, ALICE, rng.choice([BOB, CAROL]), f"{rng.randint(1, 80)}.{rng.randint(0, 99):02d}")
    send(rworld, HOME, ALICE, STRANGER, "3.00")  # refused on the BNB side (no KYC): refunded at home
    align_clocks(rworld.bridge)  # the BNB token refuses escrow figures timed after its own clock
    db = f"sqlite:///{rworld.tmp / 'relayer.sqlite'}"

    # the relayer gets the REAL validators' URLs (rworld.servers is empty: no fixture servers here)
    rworld.servers = []
    extra = [a for url in fleet.urls for a in ("--validator", url)]
    first = rworld.relayer("r1", 4, db, *extra)
    time.sleep(rng.uniform(0.5, 2.0))
    first.kill()  # mid-stream
    fleet.kill(rng.randrange(5))  # and a validator, at the same moment
    down = rng.sample([v.index for v in fleet.validators if v.alive()], 1)
    for index in down:
        fleet.kill(index)
    rworld.relayer("r1-restarted", 4, db, *extra)
    for v in fleet.validators:
        if not v.alive() and v.index not in down:
            fleet.start(v.index)
    state = rworld.wait_for(all_done, 120, "home -> BNB with two validators down then one back")
    for index in down:
        fleet.start(index)
    stranger = rworld.bridge.transfers[10]
    assert state[stranger.id_hex] == "refunded"
    # back to the home chain
    for holder in (BOB, CAROL):
        balance = rworld.bridge.balance(BNB, holder)
        if balance > 0:
            send(rworld, BNB, holder, ALICE, str((balance / 3).quantize(Decimal("0.01"))))
    rworld.wait_for(all_done, 120, "BNB -> home")
    calls = rworld.deliver_calls(BNB_CHAIN, bnb_start) + rworld.deliver_calls(HOME_CHAIN, home_start)
    assert set(calls) == {t.id_hex for t in rworld.bridge.transfers}
    assert max(calls.values()) == 1, f"submitted twice: {calls.most_common(3)}"
    rworld.bridge.assert_conserved()
