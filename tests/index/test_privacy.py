"""The privacy check: derived from the artifacts, every visible field is of an allowed kind; a holder-writable
text field would fail it."""

from __future__ import annotations

from tenge.audit.privacy import _abi_fields, classify, privacy_report


def test_every_visible_field_is_address_tier_flag_amount_or_hash() -> None:
    report = privacy_report()
    assert report.clean, [f for f in report.fields if not f.allowed]
    names = {(f.contract, f.where, f.name) for f in report.fields}
    assert ("VatPayments", "event Paid", "invoiceRef") in names  # events come from the ABI
    assert ("DigitalTenge", "view tierOf", "tierOf") in names  # views too
    assert any(f.where == "storage" and f.name == "_payments" for f in report.fields)  # and solc's storage layout
    kinds = {f.kind for f in report.fields}
    assert {"address", "tier", "flag", "amount", "hash"} <= kinds


def test_a_personal_text_field_fails() -> None:
    abi = [{"type": "event", "name": "Registered", "inputs": [{"name": "fullName", "type": "string", "indexed": False}]}]
    field = _abi_fields("Imaginary", abi)[0]
    assert classify("fullName", "string") == "text" and not field.allowed
