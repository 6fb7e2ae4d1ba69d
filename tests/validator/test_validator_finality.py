"""Five real validator processes sign at finality only, serve their signatures over HTTP, and those signatures
(and their escrow attestation) deliver on chain — both directions, the BNB side read at its `finalized` block."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bridge_world import ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, VALIDATORS, BridgeWorld
from validator_fleet import ValidatorFleet
from validator_world import CONFIRMATIONS, align_clocks, make_fleet, mine

from tenge.bridge.attestations import Attestation, BridgeDomain, EscrowFigure


def processed_everywhere(fleet: ValidatorFleet, chain_id: int, block: int) -> None:
    for index in range(len(fleet.validators)):
        fleet.wait_processed(index, chain_id, block)


def check_genuine(attestations: list[Attestation], domain: BridgeDomain) -> None:
    assert sorted(a.signer for a in attestations) == sorted(v.address for v in VALIDATORS[: len(attestations)])
    for attestation in attestations:
        assert attestation.is_genuine(), attestation.signer
        assert attestation.domain == domain


def test_five_validators_sign_at_finality_and_their_signatures_deliver(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    fleet = make_fleet(fleets, world, tmp_path / "fleet", 5)
    fleet.start_all()
    home_w3, bnb_w3 = world.home.w3, world.bnb.w3
    bnb = world.bridge(BNB)

    # home -> BNB: in block b; final when b has CONFIRMATIONS confirmations (b + CONFIRMATIONS - 1 mined)
    sent = world.send(HOME, ALICE, BOB, "25.00").transfer
    block = int(home_w3.eth.block_number)
    for extra in range(CONFIRMATIONS - 1):
        processed_everywhere(fleet, HOME_CHAIN, block - CONFIRMATIONS + 1 + extra)
        assert fleet.signed(sent.id_hex) == [], f"signed with {extra + 1} confirmation(s)"
        mine(home_w3, 1)
    signed = fleet.wait_signed(sent.id_hex, 5)
    assert all(a.subject == sent for a in signed)
    check_genuine(signed, bnb.domain)

    # the escrow attestation every validator signed at the same home block is one message: post it, then deliver
    processed_everywhere(fleet, HOME_CHAIN, block)
    escrows = [Attestation.from_dict(v.get(f"/v1/escrow/{BNB_CHAIN}/latest")[1]) for v in fleet.validators[:3]]
    figure = escrows[0].subject
    assert isinstance(figure, EscrowFigure) and all(e.subject == figure for e in escrows)
    assert figure.sequence == block and figure.escrowed == world.bridge(HOME).locked(BNB_CHAIN)
    align_clocks(world)
    bnb.attest_escrow(figure, escrows)
    assert bnb.deliver(sent, signed[:3]).status == "Delivered"
    assert world.balance(BNB, BOB) == sent.amount

    # BNB -> home: depth is not enough on the BNB side, its node's `finalized` block (anvil: latest - 64) must pass it
    back = world.send(BNB, BOB, ALICE, "5.00").transfer
    back_block = int(bnb_w3.eth.block_number)
    latest = mine(bnb_w3, CONFIRMATIONS + 5)
    processed_everywhere(fleet, BNB_CHAIN, latest - 64)
    assert fleet.signed(back.id_hex) == [], "signed before the BNB-side node's finalized block reached it"
    mine(bnb_w3, 64)
    returned = fleet.wait_signed(back.id_hex, 5)
    check_genuine(returned, world.bridge(HOME).domain)
    assert world.bridge(HOME).deliver(back, returned[2:]).status == "Delivered"
    status = fleet.status(0)
    assert status["validator"] == VALIDATORS[0].address
    assert status["chains"][str(HOME_CHAIN)]["latest_signed_nonce"] == sent.nonce
    assert status["chains"][str(BNB_CHAIN)]["latest_signed_nonce"] == back.nonce
    assert status["chains"][str(BNB_CHAIN)]["finalized_block"] >= back_block
    assert not status["chains"][str(HOME_CHAIN)]["halted"]
    world.assert_conserved()


def test_a_list_request_may_wait_for_the_signatures_it_asks_for(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    """Long polling (``wait_ms``): a relayer's request for a range not signed yet is held until a signing pass signs
    it, and answered then - not answered empty at once."""
    fleet = make_fleet(fleets, world, tmp_path / "fleet", 1)
    fleet.start_all()
    validator = fleet.validators[0]
    sent = world.send(HOME, ALICE, BOB, "7.00").transfer
    path = f"/v1/transfers?source={HOME_CHAIN}&from_nonce={sent.nonce}&limit=1"
    assert validator.get(path) == (200, [])  # not final yet: nothing signed, and no wait asked
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(validator.get, path + "&wait_ms=1000")
        time.sleep(0.2)  # the request is at the validator, waiting, before the transfer is even final
        mine(world.home.w3, CONFIRMATIONS)
        code, listing = held.result(timeout=10)
    assert code == 200 and [item["message"]["id"] for item in listing] == [sent.id_hex]
    # a range nobody will sign in time: the list as it stands when the wait is over
    assert validator.get(f"/v1/transfers?source={HOME_CHAIN}&from_nonce={sent.nonce + 1000}&limit=1&wait_ms=200") == (200, [])
    code, body = validator.get(path + "&wait_ms=soon")
    assert code == 400 and "wait_ms must be a whole number" in body["error"]
