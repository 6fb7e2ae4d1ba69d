"""The compact device -> terminal string of an offline purse payment: ``dtoff1:`` + base64url (QR-sized).

It carries the device-signed payment and the bank-signed certificate of its purse (the terminal may never have
seen the purse), plus the chain id and purse contract the signatures are for, so a terminal configured for
another deployment says so instead of "bad signature". Framing, checksum and structural refusals are
:mod:`tenge.offline_codec`'s (as for ``dtenge1:`` and ``dtvat1:``). Amounts travel as uint128 tiyn.
"""

from __future__ import annotations

import struct

from tenge.errors import InvalidInput
from tenge.offline.types import OfflinePayment, PurseCertificate, PurseDomain, SignedCertificate, SignedPayment
from tenge.offline_codec import OfflineFormat, OfflinePaymentRejected

PREFIX = "dtoff1:"
MAX_UINT128 = 2**128 - 1
FORMAT = OfflineFormat(
    prefix=PREFIX,
    # version, chainId, purse contract | certificate: purseId, device, amount, expiry, bank, signature |
    # payment: sequence, amount, cumulative, merchant, invoice, time, signature
    body=struct.Struct(">BQ20s" "32s20s16sQ20s65s" "Q16s16s20s32sQ65s"),
    what="an offline purse payment",
)


def _u128(value: int, what: str) -> bytes:
    if value > MAX_UINT128:
        raise InvalidInput(f"{what} does not fit the compact format (over 2^128 tiyn)")
    return value.to_bytes(16, "big")


def encode(signed: SignedPayment, domain: PurseDomain) -> str:
    """``signed`` (for ``domain``) as one ``dtoff1:`` string."""
    cert, payment = signed.certificate.certificate, signed.payment
    return FORMAT.encode(
        FORMAT.version, domain.chain_id, bytes.fromhex(domain.verifying_contract[2:]),
        cert.purse_id, bytes.fromhex(cert.device[2:]), _u128(cert.amount, "the purse amount"), cert.expiry,
        bytes.fromhex(cert.bank[2:]), signed.certificate.signature,
        payment.sequence, _u128(payment.amount, "the amount"), _u128(payment.cumulative, "the cumulative amount"),
        bytes.fromhex(payment.merchant[2:]), payment.invoice, payment.time, signed.signature,
    )  # fmt: skip


def decode(text: str) -> tuple[SignedPayment, PurseDomain]:
    """The payment in ``text`` and the domain it says it was signed for; :class:`OfflinePaymentRejected` on a
    bad prefix, encoding, length, version or checksum (nothing is verified cryptographically here)."""
    (
        _version, chain_id, contract,
        purse_id, device, purse_amount, expiry, bank, cert_signature,
        sequence, amount, cumulative, merchant, invoice, time, signature,
    ) = FORMAT.decode(text)  # fmt: skip
    try:
        domain = PurseDomain(chain_id, "0x" + contract.hex())
        certificate = PurseCertificate(
            purse_id, "0x" + device.hex(), int.from_bytes(purse_amount, "big"), expiry, "0x" + bank.hex()
        )
        payment = OfflinePayment(
            purse_id, sequence, int.from_bytes(amount, "big"), int.from_bytes(cumulative, "big"),
            "0x" + merchant.hex(), invoice, time,
        )  # fmt: skip
    except InvalidInput as exc:
        raise OfflinePaymentRejected("encoding", str(exc)) from None
    return SignedPayment(payment, signature, SignedCertificate(certificate, cert_signature)), domain


__all__ = ["FORMAT", "PREFIX", "decode", "encode"]
