"""Merchant terminal verification with no connection: every refusal with the adversary in it, and what an
accepted payment leaves in the store."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tenge.offline import codec
from tenge.offline.device import Device, PurseExhausted
from tenge.offline.terminal import (
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
from tenge.offline.types import PurseDomain, SignedPayment, sign_digest

from .purse_world import BANK, DEVICE, DOMAIN, EXPIRY, MERCHANT, NOW, OTHER_BANK, OTHER_MERCHANT, PURSE_TIYN, device, purse, terminal

INVOICE = b"\x00" * 32


def forge(signed: SignedPayment, key: bytes = DEVICE.key, **changes: int | str) -> SignedPayment:
    """The same purse, a payment with ``changes``, signed by ``key`` (the device's own key: a tampered device)."""
    payment = dataclasses.replace(signed.payment, **changes)  # type: ignore[arg-type]
    return SignedPayment(payment, sign_digest(payment.digest(DOMAIN), key), signed.certificate)


def test_an_honest_payment_is_accepted_and_stored_with_its_string(tmp_path: Path) -> None:
    term = terminal(tmp_path)
    signed = device().pay(MERCHANT, 1_500_00, INVOICE, NOW)
    accepted = term.accept_text(codec.encode(signed, DOMAIN))
    assert accepted.payment == signed
    [(row_id, stored)] = term.unsettled()
    assert (row_id, stored) == (accepted.id, signed)


def test_a_bank_the_terminal_does_not_trust_is_refused(tmp_path: Path) -> None:
    rogue = Device(purse(bank_key=OTHER_BANK.key, bank=OTHER_BANK.address), DEVICE.key)
    with pytest.raises(UntrustedBank, match="not on this terminal's list of trusted banks"):
        terminal(tmp_path).accept(rogue.pay(MERCHANT, 100, INVOICE, NOW))


def test_a_certificate_not_signed_by_the_named_bank_is_refused(tmp_path: Path) -> None:
    # A forger names the trusted bank but signs the certificate with its own key (e.g. to raise the amount).
    forged = Device(purse(bank_key=OTHER_BANK.key, bank=BANK.address), DEVICE.key)
    with pytest.raises(BadCertificate, match="not to the bank"):
        terminal(tmp_path).accept(forged.pay(MERCHANT, 100, INVOICE, NOW))


def test_a_payment_not_signed_by_the_purse_device_is_refused(tmp_path: Path) -> None:
    honest = device().pay(MERCHANT, 100, INVOICE, NOW)
    stolen_certificate = forge(honest, key=OTHER_BANK.key)  # someone else's key, the victim's certificate
    with pytest.raises(BadDeviceSignature, match="not to the purse's device"):
        terminal(tmp_path).accept(stolen_certificate)


def test_a_payment_over_the_purse_is_refused(tmp_path: Path) -> None:
    honest = device().pay(MERCHANT, 100, INVOICE, NOW)
    with pytest.raises(OverPurse, match="more than the purse's 50,000"):
        terminal(tmp_path).accept(forge(honest, cumulative=PURSE_TIYN + 1, amount=PURSE_TIYN + 1))
    with pytest.raises(PurseExhausted, match="left in the purse"):
        device().pay(MERCHANT, PURSE_TIYN + 1, INVOICE, NOW)


def test_a_replayed_or_lower_sequence_is_refused(tmp_path: Path) -> None:
    term, dev = terminal(tmp_path), device()
    first = dev.pay(MERCHANT, 100, INVOICE, NOW)
    second = dev.pay(MERCHANT, 200, INVOICE, NOW)
    term.accept(second)
    with pytest.raises(SequenceNotAbove, match="replayed or stale"):
        term.accept(second)
    with pytest.raises(SequenceNotAbove, match="sequence 1 is not above 2"):
        term.accept(first)
    # A fresh terminal object on the same store (after a restart) still knows.
    term.close()
    with pytest.raises(SequenceNotAbove):
        terminal(tmp_path).accept(second)


def test_a_cloned_device_spending_the_same_money_twice_here_is_refused(tmp_path: Path) -> None:
    term = terminal(tmp_path)
    original, clone = device(), device()
    term.accept(original.pay(MERCHANT, 300, INVOICE, NOW))
    clone.pay(OTHER_MERCHANT, 100, INVOICE, NOW)
    with pytest.raises(OverlappingPayment, match="signed the same money twice"):
        term.accept(clone.pay(MERCHANT, 300, INVOICE, NOW))  # sequence 2, but range (100, 400] overlaps (0, 300]


def test_an_expired_purse_is_refused(tmp_path: Path) -> None:
    late = device().pay(MERCHANT, 100, INVOICE, EXPIRY)
    with pytest.raises(PurseExpired, match="expired"):
        terminal(tmp_path, now=EXPIRY + 1).accept(late)
    with pytest.raises(PurseExpired, match="expired"):  # a back-dated clock on a tampered device does not help
        terminal(tmp_path / "b").accept(forge(late, time=EXPIRY + 10))


def test_a_payment_to_another_merchant_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WrongMerchant, match="this terminal is merchant"):
        terminal(tmp_path).accept(device().pay(OTHER_MERCHANT, 100, INVOICE, NOW))


def test_a_revoked_purse_is_refused(tmp_path: Path) -> None:
    term = terminal(tmp_path)
    term.learn_revocations([b"\x01" * 32])
    with pytest.raises(PurseRevoked, match="revoked by its bank"):
        term.accept(device().pay(MERCHANT, 100, INVOICE, NOW))
    term.close()
    with pytest.raises(PurseRevoked):  # remembered across restarts
        terminal(tmp_path).accept(device().pay(MERCHANT, 100, INVOICE, NOW))
    terminal(tmp_path).accept(device(b"\x02" * 32).pay(MERCHANT, 100, INVOICE, NOW))  # other purses still fine


def test_a_payment_for_another_deployment_is_refused(tmp_path: Path) -> None:
    signed = device().pay(MERCHANT, 100, INVOICE, NOW)
    text = codec.encode(signed, PurseDomain(1, DOMAIN.verifying_contract))
    with pytest.raises(WrongDomain, match="chain id 1"):
        terminal(tmp_path).accept_text(text)


def test_an_altered_string_is_refused_by_its_checksum(tmp_path: Path) -> None:
    text = codec.encode(device().pay(MERCHANT, 100, INVOICE, NOW), DOMAIN)
    altered = text[:-10] + ("A" if text[-10] != "A" else "B") + text[-9:]
    with pytest.raises(Exception, match="checksum|encoding"):
        terminal(tmp_path).accept_text(altered)
    assert terminal(tmp_path).unsettled() == []


def test_an_honest_sequence_of_payments_is_all_accepted(tmp_path: Path) -> None:
    term, dev = terminal(tmp_path), device()
    for n in range(1, 6):
        term.accept(dev.pay(MERCHANT, 100 * n, INVOICE, NOW + n))
    assert [s.payment.cumulative for _, s in term.unsettled()] == [100, 300, 600, 1000, 1500]
