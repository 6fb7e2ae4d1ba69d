"""The typed data both sides of an offline purse sign and check (EIP-712, shared with the purse contract).

- ``PurseCertificate(bytes32 purseId,address device,uint256 amount,uint64 expiry,address bank)``, signed by
  the issuing bank's key: "this device may spend up to ``amount`` tiyn from purse ``purseId`` until ``expiry``".
- ``OfflinePayment(bytes32 purseId,uint64 sequence,uint256 amount,uint256 cumulative,address merchant,
  bytes32 invoice,uint64 time)``, signed by the device key. An honest device numbers its payments 1, 2, 3, ...
  and ``cumulative`` is its running total, so payment i covers the tiyn range (cumulative - amount, cumulative].

Domain: name ``TengeOfflinePurses``, version ``1``, the chain id and the purse contract's address.
Amounts here are integers in tiyn (the contract boundary); the layers above speak Decimal tenge.

Struct hashes come from eth-account's typed-data encoding (no hand-rolled EIP-712); recovery uses coincurve
directly (about 0.1 ms), refusing high-s signatures exactly as OpenZeppelin's ECDSA does. No web3 import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import coincurve
from eth_account import Account
from eth_account._utils.encode_typed_data.encoding_and_hashing import hash_domain, hash_eip712_message
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from tenge.errors import InvalidInput

DOMAIN_NAME = "TengeOfflinePurses"
DOMAIN_VERSION = "1"
MAX_UINT64 = 2**64 - 1
MAX_UINT256 = 2**256 - 1
SIGNATURE_BYTES = 65
#: secp256k1 group order; OpenZeppelin's ECDSA refuses s > n/2 (malleable twin of a valid signature).
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_HALF_N = SECP256K1_N // 2

EIP712_DOMAIN_FIELDS: list[dict[str, str]] = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
PURSE_CERTIFICATE_TYPES: dict[str, list[dict[str, str]]] = {
    "PurseCertificate": [
        {"name": "purseId", "type": "bytes32"},
        {"name": "device", "type": "address"},
        {"name": "amount", "type": "uint256"},
        {"name": "expiry", "type": "uint64"},
        {"name": "bank", "type": "address"},
    ]
}
OFFLINE_PAYMENT_TYPES: dict[str, list[dict[str, str]]] = {
    "OfflinePayment": [
        {"name": "purseId", "type": "bytes32"},
        {"name": "sequence", "type": "uint64"},
        {"name": "amount", "type": "uint256"},
        {"name": "cumulative", "type": "uint256"},
        {"name": "merchant", "type": "address"},
        {"name": "invoice", "type": "bytes32"},
        {"name": "time", "type": "uint64"},
    ]
}
#: The type strings, as Solidity's ``keccak256("PurseCertificate(...)")`` typehashes spell them.
PURSE_CERTIFICATE_TYPE = "PurseCertificate(bytes32 purseId,address device,uint256 amount,uint64 expiry,address bank)"
OFFLINE_PAYMENT_TYPE = (
    "OfflinePayment(bytes32 purseId,uint64 sequence,uint256 amount,uint256 cumulative,address merchant,"
    "bytes32 invoice,uint64 time)"
)


def _address(value: str, what: str) -> str:
    try:
        return to_checksum_address(value)
    except (ValueError, TypeError):
        raise InvalidInput(f"{what} {value!r} is not an address") from None


def _bytes32(value: bytes, what: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != 32:
        raise InvalidInput(f"{what} must be 32 bytes")
    return value


def _uint(value: int, bound: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= bound:
        raise InvalidInput(f"{what} {value!r} is out of range")
    return value


@dataclass(frozen=True)
class PurseDomain:
    """The EIP-712 domain: which chain and which purse contract a certificate or payment is for."""

    chain_id: int
    verifying_contract: str

    def __post_init__(self) -> None:
        _uint(self.chain_id, MAX_UINT256, "chain id")
        object.__setattr__(self, "verifying_contract", _address(self.verifying_contract, "purse contract"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": self.chain_id,
            "verifyingContract": self.verifying_contract,
        }

    @cached_property
    def separator(self) -> bytes:
        return bytes(hash_domain(self.as_dict()))

    def digest(self, struct_hash: bytes) -> bytes:
        """``keccak256("\\x19\\x01" || domainSeparator || structHash)``: what is signed."""
        return bytes(keccak(b"\x19\x01" + self.separator + struct_hash))


@dataclass(frozen=True)
class PurseCertificate:
    """The bank's statement that ``device`` may spend up to ``amount`` tiyn of purse ``purse_id`` until ``expiry``."""

    purse_id: bytes
    device: str
    amount: int
    expiry: int
    bank: str

    def __post_init__(self) -> None:
        _bytes32(self.purse_id, "purse id")
        object.__setattr__(self, "device", _address(self.device, "device"))
        object.__setattr__(self, "bank", _address(self.bank, "bank"))
        _uint(self.amount, MAX_UINT256, "purse amount")
        _uint(self.expiry, MAX_UINT64, "expiry")

    def message(self) -> dict[str, Any]:
        return {
            "purseId": self.purse_id,
            "device": self.device,
            "amount": self.amount,
            "expiry": self.expiry,
            "bank": self.bank,
        }

    def struct_hash(self) -> bytes:
        return bytes(hash_eip712_message(PURSE_CERTIFICATE_TYPES, self.message()))

    def digest(self, domain: PurseDomain) -> bytes:
        return domain.digest(self.struct_hash())


@dataclass(frozen=True)
class OfflinePayment:
    """One payment a device signs: ``amount`` tiyn to ``merchant``, its ``sequence``-th, running total ``cumulative``."""

    purse_id: bytes
    sequence: int
    amount: int
    cumulative: int
    merchant: str
    invoice: bytes
    time: int

    def __post_init__(self) -> None:
        _bytes32(self.purse_id, "purse id")
        _bytes32(self.invoice, "invoice")
        object.__setattr__(self, "merchant", _address(self.merchant, "merchant"))
        _uint(self.sequence, MAX_UINT64, "sequence")
        _uint(self.amount, MAX_UINT256, "amount")
        _uint(self.cumulative, MAX_UINT256, "cumulative amount")
        _uint(self.time, MAX_UINT64, "time")

    @property
    def covers(self) -> tuple[int, int]:
        """The tiyn range (low, high] of the purse this payment spends: (cumulative - amount, cumulative]."""
        return self.cumulative - self.amount, self.cumulative

    def message(self) -> dict[str, Any]:
        return {
            "purseId": self.purse_id,
            "sequence": self.sequence,
            "amount": self.amount,
            "cumulative": self.cumulative,
            "merchant": self.merchant,
            "invoice": self.invoice,
            "time": self.time,
        }

    def struct_hash(self) -> bytes:
        return bytes(hash_eip712_message(OFFLINE_PAYMENT_TYPES, self.message()))

    def digest(self, domain: PurseDomain) -> bytes:
        return domain.digest(self.struct_hash())


def sign_digest(digest: bytes, private_key: bytes) -> bytes:
    """A 65-byte ``r || s || v`` signature (v = 27/28, low s), as OpenZeppelin's ECDSA.recover takes it."""
    signed = Account.unsafe_sign_hash(digest, private_key)
    return bytes(signed.signature)


def recover(digest: bytes, signature: bytes) -> str:
    """The checksummed address that signed ``digest``; :class:`InvalidInput` if the signature is malformed,
    has a high s (the contract would refuse it) or recovers to no key."""
    if len(signature) != SIGNATURE_BYTES:
        raise InvalidInput(f"a signature is {SIGNATURE_BYTES} bytes, not {len(signature)}")
    v = signature[64]
    if v not in (27, 28):
        raise InvalidInput(f"signature v must be 27 or 28, not {v}")
    if int.from_bytes(signature[32:64], "big") > _HALF_N:
        raise InvalidInput("signature s is in the upper half of the curve order (malleable)")
    try:
        public = coincurve.PublicKey.from_signature_and_message(signature[:64] + bytes([v - 27]), digest, hasher=None)
    except ValueError:
        raise InvalidInput("the signature recovers to no public key") from None
    return to_checksum_address(keccak(public.format(compressed=False)[1:])[-20:])


@dataclass(frozen=True)
class SignedCertificate:
    certificate: PurseCertificate
    signature: bytes

    def signer(self, domain: PurseDomain) -> str:
        return recover(self.certificate.digest(domain), self.signature)


@dataclass(frozen=True)
class SignedPayment:
    """A device-signed payment together with the certificate of the purse it spends (what a terminal receives)."""

    payment: OfflinePayment
    signature: bytes
    certificate: SignedCertificate

    def signer(self, domain: PurseDomain) -> str:
        return recover(self.payment.digest(domain), self.signature)


def sign_certificate(certificate: PurseCertificate, domain: PurseDomain, bank_key: bytes) -> SignedCertificate:
    """The issuing bank's signature over ``certificate`` (the SDK's purse opening does this)."""
    return SignedCertificate(certificate, sign_digest(certificate.digest(domain), bank_key))


__all__ = [
    "DOMAIN_NAME",
    "DOMAIN_VERSION",
    "EIP712_DOMAIN_FIELDS",
    "MAX_UINT64",
    "OFFLINE_PAYMENT_TYPE",
    "OFFLINE_PAYMENT_TYPES",
    "PURSE_CERTIFICATE_TYPE",
    "PURSE_CERTIFICATE_TYPES",
    "OfflinePayment",
    "PurseCertificate",
    "PurseDomain",
    "SignedCertificate",
    "SignedPayment",
    "recover",
    "sign_certificate",
    "sign_digest",
]
