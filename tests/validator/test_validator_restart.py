"""Crash safety and refunds: a validator SIGKILLed at seeded moments restarts on its store, re-signs nothing
differently and skips no nonce; a transfer that fails at its destination gets Refund signatures that refund it."""

from __future__ import annotations

import random
import time
from decimal import Decimal
from pathlib import Path

from bridge_world import ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, STRANGER, VALIDATORS, BridgeWorld
from validator_fleet import ValidatorFleet
from validator_world import CONFIRMATIONS, align_clocks, make_fleet, mine

from tenge.bridge.attestations import Attestation, EscrowFigure, sign


def test_sigkill_and_restart_resign_nothing_differently_and_skip_nothing(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    rng = random.Random(10)
    fleet = make_fleet(fleets, world, tmp_path / "fleet", 3)
    fleet.start_all()
    w3 = world.home.w3
    world.token(HOME, ALICE).approve(world.bridge(HOME).address, "100000.00")
    bnb_domain = world.bridge(BNB).domain
    sent = []
    before: dict[str, bytes] = {}
    for round_ in range(3):
        for _ in range(3):
            sent.append(world.send(HOME, ALICE, BOB, f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}").transfer)
            mine(w3, rng.randint(0, 1))
        mine(w3, CONFIRMATIONS)
        if round_ == 0:
            for transfer in sent:
                [att] = [a for a in fleet.wait_signed(transfer.id_hex, 3) if a.signer == VALIDATORS[1].address]
                before[transfer.id_hex] = att.signature
        # SIGKILL validator 1 at a seeded moment while it may be mid-range, then restart it on the same store
        time.sleep(rng.uniform(0.0, 0.3))
        fleet.kill(1)
        if round_ < 2:
            sent.append(world.send(HOME, ALICE, BOB, "1.00").transfer)  # sent while it is down
            mine(w3, CONFIRMATIONS)
        fleet.start(1)
    for transfer in sent:
        signed = fleet.wait_signed(transfer.id_hex, 3)
        for attestation in signed:
            assert attestation.subject == transfer and attestation.is_genuine()
        [mine_] = [a for a in signed if a.signer == VALIDATORS[1].address]
        # deterministic (RFC 6979): exactly what this key signs for this message, before and after the crashes
        assert mine_.signature == sign("Transfer", VALIDATORS[1], bnb_domain, transfer).signature
        if transfer.id_hex in before:
            assert mine_.signature == before[transfer.id_hex]
    code, listing = fleet.validators[1].get(f"/v1/transfers?source={HOME_CHAIN}&from_nonce=0&limit=100")
    assert code == 200
    assert [item["message"]["nonce"] for item in listing] == [t.nonce for t in sent]
    chain = fleet.status(1)["chains"][str(HOME_CHAIN)]
    assert chain["latest_signed_nonce"] == sent[-1].nonce and chain["contiguous_nonce"] == sent[-1].nonce + 1
    code, metrics = _text(fleet.validators[1].url + "/metrics")
    assert code == 200 and f'tenge_validator_latest_signed_nonce{{chain="{HOME}"}} {float(sent[-1].nonce)}' in metrics


def test_a_transfer_failed_at_its_destination_gets_refund_signatures(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    fleet = make_fleet(fleets, world, tmp_path / "fleet", 3)
    fleet.start_all()
    home, bnb = world.bridge(HOME), world.bridge(BNB)
    opening = world.balance(HOME, ALICE)
    doomed = world.send(HOME, ALICE, STRANGER, "60.00").transfer  # STRANGER has no KYC tier on the BNB side
    mine(world.home.w3, CONFIRMATIONS)
    signed = fleet.wait_signed(doomed.id_hex, 3)
    escrows = [Attestation.from_dict(v.get(f"/v1/escrow/{BNB_CHAIN}/latest")[1]) for v in fleet.validators]
    assert isinstance(escrows[0].subject, EscrowFigure) and len({e.subject for e in escrows}) == 1
    align_clocks(world)
    bnb.attest_escrow(escrows[0].subject, escrows)
    assert bnb.deliver(doomed, signed).status == "Failed"
    assert fleet.signed(doomed.id_hex, "refunds") == []
    mine(world.bnb.w3, 64 + CONFIRMATIONS)  # the failure final on the BNB side (its `finalized` block)
    refunds = fleet.wait_signed(doomed.id_hex, 3, "refunds")
    for refund in refunds:
        assert refund.kind == "Refund" and refund.subject == doomed and refund.is_genuine()
        assert refund.domain == home.domain  # verified by the SOURCE bridge
    home.refund(doomed, refunds)
    assert home.outbound_status(doomed.nonce) == "Refunded"
    assert world.balance(HOME, ALICE) == opening
    assert world.balance(BNB, STRANGER) == Decimal("0.00")


def _text(url: str) -> tuple[int, str]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status), response.read().decode()


def test_a_nonce_missing_from_the_log_stream_is_found_by_a_rescan_not_skipped(world: BridgeWorld, fleets: list[ValidatorFleet], tmp_path: Path) -> None:
    import sqlite3

    fleet = make_fleet(fleets, world, tmp_path / "fleet", 1)
    fleet.start_all()
    world.token(HOME, ALICE).approve(world.bridge(HOME).address, "1000.00")
    sent = [world.send(HOME, ALICE, BOB, f"{n}.00").transfer for n in (3, 4, 5)]
    mine(world.home.w3, CONFIRMATIONS)
    signed = {t.nonce: fleet.wait_signed(t.id_hex, 1)[0] for t in sent}
    fleet.stop(0)
    # what a lossy node's eth_getLogs would have left: nonce 1 never seen, the cursor already past it
    with sqlite3.connect(fleet.validators[0].database) as db:
        db.execute("delete from validator_attestations where kind = 'Transfer' and chain_id = ? and number = ?", (HOME_CHAIN, sent[1].nonce))
        db.execute("delete from validator_nonces where chain_id = ? and nonce = ?", (HOME_CHAIN, sent[1].nonce))
        db.execute("update validator_chains set contiguous_nonce = ? where chain_id = ?", (sent[1].nonce, HOME_CHAIN))
    fleet.start(0)
    assert fleet.signed(sent[1].id_hex) == []
    mine(world.home.w3, 1)  # the next range's check against nextNonce() finds the hole and re-scans
    [again] = fleet.wait_signed(sent[1].id_hex, 1)
    assert again.signature == signed[sent[1].nonce].signature and again.subject == sent[1]
    assert '"event": "gap"' in fleet.tail(0, 200)
    _, metrics = _text(fleet.validators[0].url + "/metrics")
    assert f'tenge_validator_nonce_gaps_total{{chain="{HOME}"}} 1.0' in metrics
    assert fleet.status(0)["chains"][str(HOME_CHAIN)]["contiguous_nonce"] == sent[-1].nonce + 1
