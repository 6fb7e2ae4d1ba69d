"""The cached EIP-712 message (domain separator hashed once per bridge, each message once) is exactly what
eth_account's ``encode_typed_data`` builds from the full typed data, for every kind; and caching changes nothing
a signature recovers to."""

from __future__ import annotations

from decimal import Decimal

from eth_account import Account
from eth_account.messages import encode_typed_data

from tenge.bridge.attestations import TYPES, BridgeDomain, EscrowFigure, Kind, Subject, sign, typed_message
from tenge.bridge.messages import BridgeTransfer

DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
DOMAIN = BridgeDomain(97, "0x" + "22" * 20)
TRANSFER = BridgeTransfer(31337, "0x" + "11" * 20, 97, DOMAIN.verifying_contract, 7, "0x" + "33" * 20, "0x" + "44" * 20, Decimal("12.50"))
ESCROW = EscrowFigure(31337, "0x" + "11" * 20, Decimal("1000.00"), 42, 1_700_000_000)


def _full(kind: Kind, domain: BridgeDomain, subject: Subject) -> object:
    return encode_typed_data(full_message={
        "types": {"EIP712Domain": DOMAIN_TYPE, kind: TYPES[kind]}, "primaryType": kind,
        "domain": domain.as_eip712(), "message": subject.as_eip712(),
    })  # fmt: skip


def test_the_cached_message_is_encode_typed_data() -> None:
    other = BridgeDomain(56, "0x" + "55" * 20)
    for kind, subject in (("Transfer", TRANSFER), ("Refund", TRANSFER), ("EscrowAttestation", ESCROW)):
        for domain in (DOMAIN, other):
            assert typed_message(kind, domain, subject) == _full(kind, domain, subject)  # type: ignore[arg-type]
    # a different amount is a different message, never a cache hit
    assert typed_message("Transfer", DOMAIN, TRANSFER) != typed_message("Transfer", DOMAIN, TRANSFER.__class__(
        *[getattr(TRANSFER, f) for f in ("source_chain_id", "source_bridge", "dest_chain_id", "dest_bridge", "nonce",
                                          "sender", "recipient")], Decimal("12.51")))  # fmt: skip


def test_a_signature_over_the_cached_message_recovers_through_encode_typed_data() -> None:
    key = Account.from_key("0x" + "01" * 32)
    attestation = sign("Transfer", key, DOMAIN, TRANSFER)
    assert Account.recover_message(_full("Transfer", DOMAIN, TRANSFER), signature=attestation.signature) == key.address  # type: ignore[arg-type]
    assert attestation.is_genuine()
