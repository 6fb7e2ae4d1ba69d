"""Transfers with a payload end to end with REAL processes: five `tenge bridge validator run` processes (3 of 5)
sign them as PayloadTransfer, the relayer process delivers them with deliverWithPayload (minted to the BNB-side
bridge's payload handler, which runs in the same transaction) and refunds at home the one its handler refuses;
the relayer is SIGKILLed mid-way and restarted, and nothing is delivered twice. Conservation holds throughout
(the fixture checks it at the end)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from bridge_checks import forward_order
from bridge_world import ADMIN, ALICE, BNB, BNB_CHAIN, BOB, HOME, STRANGER, VALIDATORS
from relayer_world import RelayerWorld
from test_relayer_faults import all_done, exactly_once
from test_relayer_flow import send
from validator_fleet import ValidatorFleet
from validator_world import align_clocks

from tenge.bridge.payloads import send_with_payload, set_payload_handler
from tenge.contracts import load_artifact


@pytest.fixture
def fleet(rworld: RelayerWorld) -> Iterator[ValidatorFleet]:
    fleet = ValidatorFleet(rworld.tmp / "validators", rworld.bridge.config, rworld.bridge.records, VALIDATORS)
    try:
        yield fleet
    finally:
        fleet.stop_all()


def test_the_relayer_delivers_payloads_once_and_refunds_a_refused_one_through_a_crash(
    rworld: RelayerWorld, fleet: ValidatorFleet
) -> None:
    world = rworld.bridge
    bnb_admin = world.bridge(BNB, ADMIN)
    handler, _ = world.session(BNB, ADMIN).signer.deploy(
        load_artifact("PayloadForwarder"), [bnb_admin.address, world.token(BNB).address]
    )
    world.token(BNB).set_tier(handler, 3)
    set_payload_handler(bnb_admin, handler)
    fleet.start_all()
    bnb_start = int(world.bnb.w3.eth.block_number) + 1
    alice, bob = world.balance(HOME, ALICE), world.balance(BNB, BOB)
    home = world.bridge(HOME, ALICE)
    paid = [send_with_payload(home, BNB_CHAIN, handler, "12.34", forward_order(world.address(BOB)))[0]
            for _ in range(3)]  # fmt: skip
    refused = send_with_payload(home, BNB_CHAIN, handler, "5.00", forward_order(world.address(STRANGER)))[0]
    world.transfers += [m.transfer for m in (*paid, refused)]
    send(rworld, HOME, ALICE, BOB, "1.00")  # a plain one among them
    align_clocks(world)  # the BNB token refuses escrow figures timed after its own clock

    rworld.servers = []  # the REAL validators' URLs, not fixture servers
    extra = [a for url in fleet.urls for a in ("--validator", url)]
    db = f"sqlite:///{rworld.tmp / 'relayer.sqlite'}"
    first = rworld.relayer("r1", 4, db, *extra)
    rworld.wait_for(lambda state: any(v != "none" for v in state.values()), 120,
                    "the first relayer at work")  # fmt: skip
    first.kill()  # SIGKILL mid-way
    assert first.proc is not None and first.proc.returncode == -9
    rworld.relayer("r1-restarted", 4, db, *extra)
    state = rworld.wait_for(all_done, 120, "payload transfers delivered or refunded")

    assert [state[m.id_hex] for m in paid] == ["delivered"] * 3
    assert state[refused.id_hex] == "refunded"
    assert world.balance(BNB, BOB) == bob + Decimal("37.02") + Decimal("1.00")
    assert world.balance(HOME, ALICE) == alice - Decimal("37.02") - Decimal("1.00")
    assert world.token(BNB).balance_of(handler) == Decimal("0.00")
    exactly_once(rworld, bnb_start)
    world.assert_conserved()
