"""The validator set (its delayed changes and a rotation with a transfer in flight: test_bridge_governance.py),
and the reserve bound on the BNB side (no mint beyond the attested escrow, not even by an account holding the
token's bridge role)."""

from __future__ import annotations

from decimal import Decimal

from bridge_checks import rejected
from bridge_world import ADMIN, ALICE, BNB, BNB_CHAIN, BOB, HOME, HOME_CHAIN, ROGUE, VALIDATORS, BridgeWorld, validator_key

from tenge.bridge.attestations import EscrowFigure

JOINERS = [validator_key(5), validator_key(6)]


def test_the_threshold_must_fit_the_set(world: BridgeWorld) -> None:
    manager = world.bridge(HOME, ADMIN)
    rejected(world, "InvalidThreshold", lambda: manager.update_validators(threshold=6), threshold=6, validatorCount=5)
    rejected(world, "InvalidValidator", lambda: manager.update_validators(add=[VALIDATORS[0].address]))
    rejected(world, "NotAValidator", lambda: manager.update_validators(remove=[JOINERS[0].address]))


def test_the_reserve_bound_holds_against_a_bridge_role_holder(world: BridgeWorld) -> None:
    """Nobody but the bridge holds TOKEN_BRIDGE_ROLE on the BNB side (a second holder is refused, issue 18), and
    whoever holds it cannot mint beyond what is escrowed at home."""
    world.deliver(world.send(HOME, ALICE, BOB, "500.00").transfer)
    token = world.token(BNB)
    rejected(world, "ReserveMintersConflict", lambda: token.grant_role("TOKEN_BRIDGE_ROLE", world.address(ROGUE)),
             minters=0, bridges=2)  # fmt: skip
    # Even should the admin hand the bridge's role to a rogue, the gate bounds that one minter.
    token.revoke_role("TOKEN_BRIDGE_ROLE", world.bridge(BNB).address)
    token.grant_role("TOKEN_BRIDGE_ROLE", world.address(ROGUE))
    rogue = world.session(BNB, ROGUE)
    mint = token.contract.functions.crosschainMint(world.address(BOB), 1)  # one tiyn beyond the escrow
    rejected(world, "ReserveExceeded", lambda: rogue.signer.send(mint, description="rogue mint"), supplyAfter=50001, reserve=50000)
    world.attest_escrow()  # a fresh attestation does not reopen it
    rejected(world, "ReserveExceeded", lambda: rogue.signer.send(mint, description="rogue mint"))
    assert token.total_supply() == Decimal("500.00")


def test_a_delivery_beyond_the_attested_escrow_waits_for_an_attestation(world: BridgeWorld) -> None:
    """A compromised relayer delivering before the escrow is attested cannot mint: the delivery is Deferred (no money
    moves), and delivered once an attestation covers it."""
    world.deliver(world.send(HOME, ALICE, BOB, "30.00").transfer)  # escrow 30.00 attested and minted
    transfer = world.send(HOME, ALICE, BOB, "20.00").transfer
    bnb = world.bridge(BNB)
    assert bnb.deliver(transfer, world.attest("Transfer", transfer, bnb)).status == "Deferred"
    assert bnb.inbound_status(transfer.id) == "Deferred"
    assert world.balance(BNB, BOB) == Decimal("30.00")
    assert world.deliver(transfer) == "Delivered"


def test_escrow_attestations_are_checked(world: BridgeWorld) -> None:
    world.attest_escrow()
    bnb, home = world.bridge(BNB), world.bridge(HOME)
    last = bnb.last_escrow_attestation()[1]
    now = int(world.bnb.w3.eth.get_block("latest")["timestamp"])
    stale = EscrowFigure(HOME_CHAIN, home.address, Decimal("0.00"), last, now)
    rejected(world, "StaleEscrowAttestation", lambda: bnb.attest_escrow(stale, world.attest("EscrowAttestation", stale, bnb)))
    wrong_home = EscrowFigure(BNB_CHAIN, home.address, Decimal("0.00"), last + 1, now)
    rejected(world, "WrongHome", lambda: bnb.attest_escrow(wrong_home, world.attest("EscrowAttestation", wrong_home, bnb)))
    inflated = EscrowFigure(HOME_CHAIN, home.address, Decimal("1000000.00"), last + 1, now)
    rejected(world, "InsufficientSignatures",
             lambda: bnb.attest_escrow(inflated, world.attest("EscrowAttestation", inflated, bnb, VALIDATORS[:2])))  # fmt: skip
