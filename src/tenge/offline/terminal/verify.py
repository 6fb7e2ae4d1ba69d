"""Offline verification of one purse payment (no connection, no store): the pure checks, in a fixed order.

``check_signatures`` does the two ECDSA recoveries (the expensive part, ~0.2 ms each with coincurve);
``check_terms`` compares the payment with what the terminal knows (its merchant address, the clock, the
highest sequence and cumulative amount it has accepted from the purse, the revocations it last learned).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from tenge.amounts import format_tenge, from_tiyn
from tenge.errors import InvalidInput
from tenge.offline.terminal.errors import (
    BadAmount,
    BadCertificate,
    BadDeviceSignature,
    OverlappingPayment,
    OverPurse,
    PurseExpired,
    PurseRevoked,
    SequenceNotAbove,
    UntrustedBank,
    WrongDomain,
    WrongMerchant,
)
from tenge.offline.types import PurseDomain, SignedPayment


def _tenge(tiyn: int) -> str:
    return format_tenge(from_tiyn(tiyn))


@dataclass(frozen=True)
class Seen:
    """What a terminal has accepted from one purse so far: the highest sequence and cumulative amount."""

    sequence: int = 0
    cumulative: int = 0


def check_domain(claimed: PurseDomain, ours: PurseDomain) -> None:
    if claimed.chain_id != ours.chain_id:
        raise WrongDomain(f"signed for chain id {claimed.chain_id}, this terminal settles on chain id {ours.chain_id}")
    if claimed.verifying_contract != ours.verifying_contract:
        raise WrongDomain(
            f"signed for purse contract {claimed.verifying_contract}, this terminal settles at {ours.verifying_contract}"
        )


def check_certificate(signed: SignedPayment, domain: PurseDomain, trusted_banks: Collection[str]) -> None:
    """The certificate names a trusted bank and that bank signed it, for the payment's purse."""
    cert = signed.certificate.certificate
    if cert.bank not in trusted_banks:
        raise UntrustedBank(f"the purse was certified by {cert.bank}, which is not on this terminal's list of trusted banks")
    if cert.purse_id != signed.payment.purse_id:
        raise BadCertificate("the certificate is for another purse than the payment")
    try:
        signer = signed.certificate.signer(domain)
    except InvalidInput as exc:
        raise BadCertificate(f"the bank's signature is malformed: {exc}") from None
    if signer != cert.bank:
        raise BadCertificate(f"the certificate's signature recovers to {signer}, not to the bank {cert.bank}: forged or altered")


def check_device_signature(signed: SignedPayment, domain: PurseDomain) -> None:
    device = signed.certificate.certificate.device
    try:
        signer = signed.signer(domain)
    except InvalidInput as exc:
        raise BadDeviceSignature(f"the device's signature is malformed: {exc}") from None
    if signer != device:
        raise BadDeviceSignature(f"the payment's signature recovers to {signer}, not to the purse's device {device}: forged or altered")


def check_terms(
    signed: SignedPayment, *, merchant: str, now: int, seen: Seen, revoked: Collection[bytes]
) -> None:
    """Everything but the signatures: revocation, merchant, amounts, expiry, sequence and overlap."""
    payment, cert = signed.payment, signed.certificate.certificate
    purse = "0x" + payment.purse_id.hex()
    if payment.purse_id in revoked:
        raise PurseRevoked(f"purse {purse} was revoked by its bank (lost or compromised device): ask for another payment")
    if payment.merchant != merchant:
        raise WrongMerchant(f"the payment is to merchant {payment.merchant}, this terminal is merchant {merchant}")
    if payment.amount <= 0:
        raise BadAmount("the amount must be positive, not 0 KZT")
    if payment.amount > payment.cumulative:
        raise BadAmount(
            f"the amount {_tenge(payment.amount)} exceeds the cumulative amount {_tenge(payment.cumulative)}: malformed"
        )
    if payment.cumulative > cert.amount:
        raise OverPurse(
            f"the device has spent {_tenge(payment.cumulative)} in total with this payment, more than the purse's "
            f"{_tenge(cert.amount)}"
        )
    if payment.time > cert.expiry or now > cert.expiry:
        raise PurseExpired(f"the purse expired at unix time {cert.expiry} (payment time {payment.time}, now {now})")
    if payment.sequence <= seen.sequence:
        raise SequenceNotAbove(
            f"sequence {payment.sequence} is not above {seen.sequence}, the highest this terminal accepted from purse "
            f"{purse}: a replayed or stale payment"
        )
    low = payment.cumulative - payment.amount
    if low < seen.cumulative:
        raise OverlappingPayment(
            f"this payment spends the purse's range from {_tenge(low)}, but this terminal was already paid up to "
            f"{_tenge(seen.cumulative)} of it: the device signed the same money twice (cloned or tampered)"
        )


__all__ = ["Seen", "check_certificate", "check_device_signature", "check_domain", "check_terms"]
