"""Every way a delivery is refused, each by its own custom error, nothing sent: replay, wrong destination chain or
bridge, tampered message, duplicate signer, unknown signer, too few signatures (and an unknown source bridge)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from bridge_checks import rejected, refused
from bridge_world import ALICE, BNB, BNB_CHAIN, BOB, HOME, VALIDATORS, BridgeWorld, validator_key

from tenge.bridge.attestations import Attestation, AttestationError
from tenge.bridge.messages import BridgeTransfer

STRANGER_KEY = validator_key(99)  # never a validator


@pytest.fixture
def sent(world: BridgeWorld) -> BridgeTransfer:
    transfer = world.send(HOME, ALICE, BOB, "40.00").transfer
    world.attest_escrow()  # the reserve covers it: only the signatures decide
    return transfer


def test_a_replayed_delivery_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    assert world.deliver(sent) == "Delivered"
    bnb = world.bridge(BNB)
    rejected(world, "AlreadyProcessed", lambda: bnb.deliver(sent, world.attest("Transfer", sent, bnb)), id="0x" + sent.id.hex(), status=1)
    assert world.balance(BNB, BOB) == Decimal("40.00")


def test_wrong_destination_chain_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    elsewhere = replace(sent, dest_chain_id=56)
    rejected(world, "WrongDestination", lambda: bnb.deliver(elsewhere, world.attest("Transfer", elsewhere, bnb)),
             chainId=56, bridge=sent.dest_bridge)  # fmt: skip


def test_wrong_destination_bridge_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    other = replace(sent, dest_bridge=world.bridge(HOME).address)
    rejected(world, "WrongDestination", lambda: bnb.deliver(other, world.attest("Transfer", other, bnb)),
             chainId=BNB_CHAIN, bridge=other.dest_bridge)  # fmt: skip


def test_a_message_from_an_unknown_source_bridge_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    forged = replace(sent, source_bridge=world.address(ALICE))
    rejected(world, "UnknownSourceBridge", lambda: bnb.deliver(forged, world.attest("Transfer", forged, bnb)),
             bridge=world.address(ALICE))  # fmt: skip


def test_a_tampered_message_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    """Signatures over 40.00, message edited to 4000.00 (as someone editing the signature files would)."""
    bnb = world.bridge(BNB)
    tampered = replace(sent, amount=Decimal("4000.00"))
    forged = [Attestation(a.kind, a.domain, tampered, a.signer, a.signature) for a in world.attest("Transfer", sent, bnb)]
    rejected(world, "InvalidSignature", lambda: bnb.deliver(tampered, forged), signer=forged[0].signer)


def test_a_duplicate_signer_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    twice = world.attest("Transfer", sent, bnb, [VALIDATORS[0], VALIDATORS[1], VALIDATORS[1]])
    rejected(world, "DuplicateSigner", lambda: bnb.deliver(sent, twice), signer=VALIDATORS[1].address)


def test_an_unknown_signer_is_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    signed = world.attest("Transfer", sent, bnb, [VALIDATORS[0], VALIDATORS[1], STRANGER_KEY])
    rejected(world, "UnknownSigner", lambda: bnb.deliver(sent, signed), signer=STRANGER_KEY.address)


def test_too_few_signatures_are_refused(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    rejected(world, "InsufficientSignatures", lambda: bnb.deliver(sent, world.attest("Transfer", sent, bnb, VALIDATORS[:2])),
             valid=2, threshold=3)  # fmt: skip


def test_signatures_for_the_other_chain_are_refused_before_sending(world: BridgeWorld, sent: BridgeTransfer) -> None:
    """Signatures made for the home bridge's domain: the SDK refuses them before sending anything."""
    bnb, home = world.bridge(BNB), world.bridge(HOME)
    refused(world, AttestationError, lambda: bnb.deliver(sent, world.attest("Transfer", sent, home)), match=r"is for the bridge 0x[0-9a-fA-F]{40} on chain \d+, not 0x[0-9a-fA-F]{40} on chain \d+")


def test_signatures_of_another_message_are_refused_before_sending(world: BridgeWorld, sent: BridgeTransfer) -> None:
    bnb = world.bridge(BNB)
    other = replace(sent, amount=Decimal("1.00"))
    refused(world, AttestationError, lambda: bnb.deliver(sent, world.attest("Transfer", other, bnb)), match="another message")


def test_eth_account_digest_matches_the_contract(world: BridgeWorld, sent: BridgeTransfer) -> None:
    from tenge.bridge.attestations import typed_message
    from eth_account.messages import _hash_eip191_message

    bnb, home = world.bridge(BNB), world.bridge(HOME)
    assert _hash_eip191_message(typed_message("Transfer", bnb.domain, sent)) == bnb.transfer_digest(sent)
    assert _hash_eip191_message(typed_message("Refund", home.domain, sent)) == home.transfer_digest(sent, "Refund")


def test_sending_to_the_destination_bridge_itself_is_refused_before_any_approval(world: BridgeWorld) -> None:
    """Money credited to the destination bridge would be stuck there: refused, and not even an approval is sent."""
    home, bnb = world.bridge(HOME, ALICE), world.bridge(BNB)
    rejected(world, "InvalidRecipient", lambda: home.send(BNB_CHAIN, bnb.address, "1.00"), recipient=bnb.address)
    assert world.token(HOME).allowance(world.address(ALICE), home.address) == Decimal("0.00")
