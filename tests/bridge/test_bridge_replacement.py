"""Replacing the BNB-side bridge (issue 18, "replacing a bridge double-counts the reserve"): a new bridge's first
escrow attestation must not add the whole home lock again, and no transfer in flight at the switch is lost.

The supported way is `tenge bridge replace` (tenge.bridge.replacement): the successor is deployed and wired by the
deploy plan, the old bridge is retired in its favour (no more sends or attestations there), the successor adopts
its escrow figure, and the home bridge is re-pointed (still accepting the old bridge's transfers in flight)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from bridge_checks import chain_state, rejected
from bridge_world import ADMIN, ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, RELAYER, STRANGER, BridgeWorld, deploy
from chain_helpers import assert_revert
from click.testing import CliRunner

from tenge.bridge.client import BridgeClient
from tenge.bridge.messages import BridgeTransfer
from tenge.bridge.refunds import refund_status
from tenge.bridge.replacement import retired_key, step_down
from tenge.cli.main import cli
from tenge.errors import ContractRevert


@pytest.fixture
def kept_records(world: BridgeWorld) -> Iterator[None]:
    """The test deploys a successor (the chains are rolled back afterwards): its records are put back too."""
    saved = world.records.with_name("records-replacement")
    shutil.copytree(world.records, saved)
    yield
    shutil.rmtree(world.records)
    shutil.move(saved, world.records)
    world._clients.clear()
    world.transfers.clear()  # the test checked them itself; the put-back record names the old bridge again


def _escrow(world: BridgeWorld) -> Decimal:
    return world.token(HOME).balance_of(world.bridge(HOME).address)


def _fresh(world: BridgeWorld) -> None:
    world._clients.clear()  # the record now names another BNB-side bridge


def test_a_new_bridge_cannot_count_the_home_lock_twice(world: BridgeWorld, kept_records: None) -> None:
    """What an operator does today to ship a bridge fix: deploy a new BNB-side bridge (the deploy plan, with the
    old one taken out of the record) and point the home bridge at it. Its first escrow attestation would add the
    whole home lock to a reserve that already holds it — supply could then exceed the escrow by that much."""
    world.deliver(world.send(HOME, ALICE, BOB, "500.00").transfer)
    world.transfers.clear()  # settled (the world's bookkeeping follows the recorded bridge only)
    old = world.bridge(BNB).address
    record_path = world.records / f"{BNB}.json"
    record = json.loads(record_path.read_text())
    del record["contracts"]["TengeBridgeRemote"]
    record["calls"] = {k: v for k, v in record["calls"].items() if not (k.startswith("bridge:") or "TengeBridgeRemote" in k)}
    record_path.write_text(json.dumps(record))
    step_down(world.session(BNB, ADMIN), old)  # the gated token takes one bridge: the old one steps down first
    deploy(BNB)
    _fresh(world)
    successor = world.bridge(BNB)
    world.bridge(HOME, ADMIN).set_remote_bridge(BNB_CHAIN, successor.address)
    rejected(world, "EscrowFigureNotAdopted", lambda: world.attest_escrow())
    assert world.token(BNB).reserve().amount <= _escrow(world) == Decimal("500.00")


def _replace() -> Any:
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["bridge", "replace", "--network", BNB, "--home-network", HOME, "--account", f"dev:{ADMIN}", "--json"]
    )
    assert result.exit_code == 0, result.stderr or result.output
    return json.loads(result.stdout)


def test_replace_with_transfers_in_flight_both_ways(world: BridgeWorld, kept_records: None) -> None:
    world.deliver(world.send(HOME, ALICE, BOB, "500.00").transfer)
    old = world.bridge(BNB)
    to_bnb = world.send(HOME, ALICE, BOB, "40.00").transfer  # in flight to the old bridge
    to_home = world.send(BNB, BOB, ALICE, "30.00").transfer  # burned at the old bridge, not yet released at home
    escrow, reserve_before = _escrow(world), world.token(BNB).reserve().amount

    replaced = _replace()
    assert replaced["old"] == old.address
    assert set(replaced["transactions"]) == {"revoke TOKEN_BRIDGE_ROLE", "revoke RESERVE_ATTESTOR_ROLE", "retire", "adopt", "home peer"}
    _fresh(world)
    new = world.bridge(BNB)
    retired = BridgeClient(world.session(BNB, RELAYER), retired_key(old.address))
    assert new.address == replaced["new"] != old.address and world.bridge(HOME).remote_bridge(BNB_CHAIN) == new.address
    assert new.last_escrow_attestation()[:2] == retired.last_escrow_attestation()[:2]
    assert world.token(BNB).reserve().amount == reserve_before and _escrow(world) == escrow

    # The successor's first attestation moves the reserve by the change of the lock only (+40.00, not +540.00).
    figure = world.attest_escrow()
    assert figure.escrowed == Decimal("540.00")
    assert world.token(BNB).reserve().amount == reserve_before + Decimal("40.00")
    # The old bridge gave up the token's bridge roles: the gated token has one minter, the successor.
    token = world.token(BNB).contract.functions
    assert not token.hasRole(token.TOKEN_BRIDGE_ROLE().call(), old.address).call()
    assert token.hasRole(token.TOKEN_BRIDGE_ROLE().call(), new.address).call()
    # In flight at the switch, nothing lost: sent to the old bridge, which can no longer mint, it fails there and is
    # refunded at home; sent from the old bridge, it is released at home.
    alice_before = world.token(HOME).balance_of(world.address(ALICE))
    assert retired.deliver(to_bnb, world.attest("Transfer", to_bnb, retired)).status == "Failed"
    home = world.bridge(HOME)
    home.refund(to_bnb, world.attest("Refund", to_bnb, home))
    assert world.token(HOME).balance_of(world.address(ALICE)) == alice_before + Decimal("40.00")
    assert home.deliver(to_home, world.attest("Transfer", to_home, home)).status == "Delivered"
    world.transfers.clear()  # settled (the world's own bookkeeping follows the recorded bridge only)
    supply = world.token(BNB).total_supply()
    assert supply == Decimal("470.00") == _escrow(world) and supply <= world.token(BNB).reserve().amount
    # The old bridge takes no new sends nor attestations.
    bob_old = BridgeClient(world.session(BNB, BOB), retired_key(old.address))
    rejected(world, "BridgeIsRetired", lambda: bob_old.send(HOME_CHAIN, world.address(ALICE), "1.00"),
             successor=new.address)  # fmt: skip
    # And the successor carries new transfers both ways.
    assert world.deliver(world.send(HOME, ALICE, BOB, "20.00").transfer) == "Delivered"
    assert world.deliver(world.send(BNB, BOB, ALICE, "10.00").transfer) == "Delivered"
    assert world.token(BNB).total_supply() == Decimal("480.00") == _escrow(world)


def _refused(world: BridgeWorld, error: str, action: Callable[[], object], /, **expected_args: Any) -> None:
    """``action`` raises ``error`` and sends nothing (the world's own bookkeeping does not follow a retired bridge,
    so the conservation check is the test's)."""
    before = chain_state(world)
    with pytest.raises(ContractRevert) as caught:
        action()
    assert_revert(caught.value, error, expected_args)
    assert chain_state(world) == before, "a refused call must send nothing"


def _raw_refund(bridge: BridgeClient, function: str, transfer: BridgeTransfer, signed: list[Any]) -> Any:
    """``function`` (refund / refundPredecessor) called on ``bridge`` as given, past the SDK's own routing and
    checks (the contract is the one that must refuse)."""
    call = bridge.contract.functions[function](
        transfer.as_struct(), [a.signer for a in signed], [a.signature for a in signed]
    )
    return bridge._send(call, f"{function} {transfer.id_hex}")


def test_a_transfer_from_the_retired_bridge_that_fails_at_home_is_refunded_once_by_its_successor(
    world: BridgeWorld, kept_records: None
) -> None:
    """Replacement, the known limit closed: a transfer burned at the old bridge before the switch that fails at home
    could not be paid back on the BNB side (the retired bridge no longer holds the token's bridge roles), so its
    amount stayed in the home escrow. The successor now refunds it — on the same Refund signatures the validators
    make for the old bridge, counted against its own set, exactly once, only for a transfer the old bridge really
    sent, to the wallet the token recovered the sender to — and the BNB-side supply stays within the home escrow."""
    lost, fresh = 8, 9  # fresh dev accounts (the world is shared)
    for chain in (HOME, BNB):
        for who in (lost, fresh):
            world.token(chain).set_tier(world.address(who), 2)
    world.token(HOME, ALICE).transfer(world.address(lost), "100.00")
    assert world.deliver(world.send(HOME, lost, lost, "100.00").transfer) == "Delivered"
    old = world.bridge(BNB)
    back = world.send(BNB, lost, STRANGER, "30.00").transfer  # burned at the old bridge; home refuses STRANGER
    world.transfers.clear()  # checked by hand below (the world's bookkeeping follows the recorded bridge only)
    escrow, supply = _escrow(world), world.token(BNB).total_supply()
    assert escrow == supply + back.amount  # in flight at the switch

    _replace()
    _fresh(world)
    new = world.bridge(BNB)
    retired = BridgeClient(world.session(BNB, RELAYER), retired_key(old.address))
    assert str(new.contract.functions.predecessor().call()) == old.address
    home = world.bridge(HOME)
    assert home.deliver(back, world.attest("Transfer", back, home)).status == "Failed"
    assert _escrow(world) == escrow  # nothing released at home: the 30.00 backs nothing on the BNB side now
    world.token(BNB).recover(world.address(lost), world.address(fresh), "LOST-WALLET-BNB")
    signed = world.attest("Refund", back, retired)  # what the validators sign: the old bridge's domain

    # The old bridge verifies the refund but can no longer mint it (it gave the token's roles to the successor).
    _refused(world, "AccessControlUnauthorizedAccount", lambda: _raw_refund(retired, "refund", back, signed))
    # The successor refuses what is not a refund of a transfer its predecessor sent:
    never = dataclasses.replace(back, nonce=retired.next_nonce())  # never sent there, though threshold-signed
    _refused(world, "RefundNotAllowed", lambda: _raw_refund(new, "refundPredecessor", never, world.attest("Refund", never, retired)),
             status=0)  # fmt: skip
    # ... one of its own (or any other bridge's) transfers through this path,
    own = dataclasses.replace(back, source_bridge=new.address)
    _refused(world, "WrongSource", lambda: _raw_refund(new, "refundPredecessor", own, world.attest("Refund", own, new)))
    # ... signatures made for another bridge's domain (its own), or fewer than its threshold.
    _refused(world, "InvalidSignature", lambda: _raw_refund(new, "refundPredecessor", back, world.attest("Refund", back, new)))
    _refused(world, "InsufficientSignatures", lambda: new.refund(back, signed[:2]), valid=2, threshold=3)
    assert refund_status(new, back) == refund_status(retired, back) == "Sent"

    new.refund(back, signed)  # the SDK sends it to the successor (refundPredecessor); anyone may
    assert world.balance(BNB, fresh) == Decimal("100.00") and world.balance(BNB, lost) == 0  # followed recoveredTo
    assert world.token(BNB).total_supply() == supply + back.amount == _escrow(world)
    assert world.token(BNB).total_supply() <= world.token(BNB).reserve().amount
    assert refund_status(new, back) == refund_status(retired, back) == "Refunded"
    # Exactly once: again through the successor, or through the retired bridge (the SDK routes it the same way).
    _refused(world, "RefundNotAllowed", lambda: new.refund(back, signed), status=4)
    _refused(world, "RefundNotAllowed", lambda: retired.refund(back, signed), status=4)
    _refused(world, "RefundNotAllowed", lambda: _raw_refund(new, "refundPredecessor", back, signed), status=4)
    # The successor still carries new transfers, and the next escrow attestation keeps supply within escrow.
    assert world.deliver(world.send(HOME, ALICE, BOB, "20.00").transfer) == "Delivered"
    world.transfers.clear()
    assert world.token(BNB).total_supply() == _escrow(world) <= world.token(BNB).reserve().amount
