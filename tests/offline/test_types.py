"""The shared offline-purse typed data: digests equal eth-account's full EIP-712 signing, recovery agrees with
eth-account, malleable and malformed signatures are refused, and the terminal side imports no web3."""

from __future__ import annotations

import subprocess
import sys

import pytest
from eth_account import Account
from eth_account._utils.encode_typed_data.encoding_and_hashing import encode_type
from eth_account.messages import encode_typed_data

from tenge.errors import InvalidInput
from tenge.offline.types import (
    OFFLINE_PAYMENT_TYPE,
    OFFLINE_PAYMENT_TYPES,
    PURSE_CERTIFICATE_TYPE,
    PURSE_CERTIFICATE_TYPES,
    SECP256K1_N,
    OfflinePayment,
    PurseCertificate,
    PurseDomain,
    recover,
    sign_certificate,
    sign_digest,
)

DOMAIN = PurseDomain(31337, "0x" + "11" * 20)
BANK = Account.from_key(b"\x01" * 32)
DEVICE = Account.from_key(b"\x02" * 32)


def test_type_strings_are_the_shared_specification() -> None:
    assert encode_type("PurseCertificate", PURSE_CERTIFICATE_TYPES) == PURSE_CERTIFICATE_TYPE
    assert encode_type("OfflinePayment", OFFLINE_PAYMENT_TYPES) == OFFLINE_PAYMENT_TYPE


def test_digests_and_signatures_equal_eth_account_typed_data_signing() -> None:
    certificate = PurseCertificate(b"\x07" * 32, DEVICE.address, 500_000, 1_900_000_000, BANK.address)
    full = encode_typed_data(DOMAIN.as_dict(), PURSE_CERTIFICATE_TYPES, certificate.message())
    reference = Account.sign_message(full, BANK.key)
    signed = sign_certificate(certificate, DOMAIN, BANK.key)
    assert signed.signature == bytes(reference.signature)
    assert signed.signer(DOMAIN) == BANK.address
    payment = OfflinePayment(b"\x07" * 32, 3, 1_000, 4_000, "0x" + "22" * 20, b"\x09" * 32, 1_800_000_000)
    full = encode_typed_data(DOMAIN.as_dict(), OFFLINE_PAYMENT_TYPES, payment.message())
    reference = Account.sign_message(full, DEVICE.key)
    assert sign_digest(payment.digest(DOMAIN), DEVICE.key) == bytes(reference.signature)
    assert payment.covers == (3_000, 4_000)
    # Another chain or contract is another digest: the signature no longer recovers to the device.
    other = PurseDomain(31338, DOMAIN.verifying_contract)
    assert recover(payment.digest(other), bytes(reference.signature)) != DEVICE.address


def test_malleable_and_malformed_signatures_are_refused() -> None:
    digest = b"\x05" * 32
    signature = sign_digest(digest, DEVICE.key)
    s = int.from_bytes(signature[32:64], "big")
    twin = signature[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - signature[64]])
    with pytest.raises(InvalidInput, match="upper half"):
        recover(digest, twin)
    with pytest.raises(InvalidInput, match="65 bytes"):
        recover(digest, signature[:64])
    with pytest.raises(InvalidInput, match="v must be 27 or 28"):
        recover(digest, signature[:64] + b"\x01")


def test_out_of_range_fields_are_refused() -> None:
    with pytest.raises(InvalidInput, match="sequence"):
        OfflinePayment(b"\x07" * 32, 2**64, 1, 1, DEVICE.address, b"\x00" * 32, 0)
    with pytest.raises(InvalidInput, match="device"):
        PurseCertificate(b"\x07" * 32, "not-an-address", 1, 1, BANK.address)


def test_the_offline_package_imports_no_web3() -> None:
    code = (
        "import sys, tenge.offline.types, tenge.offline.terminal, tenge.offline.device, tenge.offline.codec;"
        "bad = sorted(m for m in sys.modules if m == 'web3' or m.startswith('web3.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
