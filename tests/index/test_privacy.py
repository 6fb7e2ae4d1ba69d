"""The privacy check: derived from the artifacts, every visible field is of an allowed kind; a holder-writable
text field would fail it."""

from __future__ import annotations

import pytest

from tenge.audit.privacy import _abi_fields, classify, privacy_report
from tenge.errors import InvalidInput
from tenge.payments.invoices import invoice_ref
from tenge.programmes.client import budget_code
from tenge.reference_format import RULE, check_reference, personal_data_in
from tenge.token.references import reference_to_bytes32


def test_every_visible_field_is_address_tier_flag_amount_or_hash() -> None:
    report = privacy_report()
    assert report.clean, [f for f in report.fields if not f.allowed]
    names = {(f.contract, f.where, f.name) for f in report.fields}
    assert ("VatPayments", "event Paid", "invoiceRef") in names  # events come from the ABI
    assert ("DigitalTenge", "view tierOf", "tierOf") in names  # views too
    assert any(f.where == "storage" and f.name == "_payments" for f in report.fields)  # and solc's storage layout
    kinds = {f.kind for f in report.fields}
    assert {"address", "tier", "flag", "amount", "hash", "free text"} <= kinds


def test_free_text_references_are_called_free_text_not_hashes() -> None:
    """invoiceRef, redemptionReference, legalReference and budgetCode hold readable text: the listing says so and
    states the rule that keeps personal data out of them (issue #19)."""
    report = privacy_report()
    kinds = {(f.contract, f.where, f.name): f.kind for f in report.fields}
    assert kinds[("VatPayments", "event Paid", "invoiceRef")] == "free text"
    assert kinds[("DigitalTenge", "event Redeemed", "redemptionReference")] == "free text"
    assert {f.name for f in report.free_text} >= {"invoiceRef", "redemptionReference", "legalReference", "budgetCode"}
    assert all(f.kind == "hash" for f in report.fields if f.name.lower() in ("role", "paymentid", "digest"))
    text = report.render()
    assert "free text anyone can read: " in text and RULE in text
    assert "no personal data: every field is an address" not in text


@pytest.mark.parametrize(("value", "looks_like"), [
    ("Aigerim Nurlanova", "a person's name"), ("Иван Иванов", "a person's name"),
    ("900101300123", "an IIN"), ("ESF-900101300123-7", "an IIN"),
    ("+77011234567", "a phone number"), ("8-701-123-45-67", "a phone number"), ("87011234567", "a phone number"),
    ("aigerim@mail.kz", "an e-mail address"),
])
def test_values_that_look_like_personal_data_are_refused_by_every_encoder(value: str, looks_like: str) -> None:
    assert (personal_data_in(value) or "").startswith(looks_like)
    for encode in (reference_to_bytes32, invoice_ref, budget_code):
        with pytest.raises(InvalidInput, match="looks like " + looks_like):
            encode(value)


@pytest.mark.parametrize("value", ["INV 1", "INV#1", "PAY_1", "x" * 33])
def test_references_outside_the_format_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput, match="not a reference of the documented format|at most 32 fit on chain"):
        reference_to_bytes32(value)


@pytest.mark.parametrize("value", ["INV-2026-0001", "COURT/2026/117", "ALMATY-LUNCH-2026", "PAY-77", "2026-11", "R.1"])
def test_document_numbers_pass(value: str) -> None:
    assert check_reference(value) == value
    assert reference_to_bytes32(value).rstrip(b"\x00").decode() == value


def test_a_personal_text_field_fails() -> None:
    abi = [{"type": "event", "name": "Registered", "inputs": [{"name": "fullName", "type": "string", "indexed": False}]}]
    field = _abi_fields("Imaginary", abi)[0]
    assert classify("fullName", "string") == "text" and not field.allowed


def test_the_pvp_settlement_record_names_no_payer_or_recipient() -> None:
    """Issue 21: what each central bank gets for its balance-of-payments statistics — corridor, both amounts, rate,
    provider, time — and nothing that names the payer or the recipient (they appear only in the tokens' Transfers)."""
    settled = {f.name: f.kind for f in privacy_report().fields if (f.contract, f.where) == ("PvPSettlement", "event Settled")}
    assert set(settled) == {"corridor", "provider", "ref", "kind", "counterparty", "sellToken", "buyToken", "sellAmount",
                            "buyAmount", "rate", "timestamp"}
    assert settled["provider"] == settled["counterparty"] == "address" and settled["sellAmount"] == "amount"
