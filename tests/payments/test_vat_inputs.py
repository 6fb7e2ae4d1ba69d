"""Input rules of the VAT SDK: invoice references, rates, periods and ids (the ids also against the contract)."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from eth_utils import keccak
from vat_world import ADMIN, ALICE, SHOP_ID, World

from tenge.errors import InvalidInput
from tenge.payments.ids import authorization_nonce, payment_id
from tenge.payments.invoices import describe_invoice_ref, hashed_invoice_ref, invoice_ref
from tenge.payments.periods import Period, parse_utc_offset
from tenge.payments.rates import format_rate, parse_rate

ALMATY = timezone(timedelta(hours=5))


def test_a_short_ascii_receipt_number_travels_as_is() -> None:
    ref = invoice_ref("  R-000123 ")
    assert ref == b"R-000123".ljust(32, b"\x00") and describe_invoice_ref(ref) == "R-000123"
    assert invoice_ref("x" * 32) == b"x" * 32


def test_longer_or_non_ascii_references_are_refused_not_silently_hashed() -> None:
    """Issue 19: an invoice of 40 characters or with a non-ASCII letter used to travel as a keccak without a word."""
    esf = "ESF-990000000001-20261121-0000123-000456789"
    for text, problem in [(esf, "is longer than 32 bytes"), ("x" * 33, "is longer than 32 bytes"),
                          ("INV-ü", "is not printable ASCII"), ("Чек-1", "is not printable ASCII")]:  # fmt: skip
        with pytest.raises(InvalidInput, match=f"{problem}: give a receipt number of at most 32 ASCII"):
            invoice_ref(text)
    hashed = hashed_invoice_ref(esf)  # on purpose: the hash of the e-invoice number
    assert invoice_ref(hashed) == keccak(esf.encode())
    assert describe_invoice_ref(invoice_ref(hashed)) == hashed == "0x" + keccak(esf.encode()).hex()


def test_a_made_reference_is_taken_as_is_and_bad_ones_are_refused() -> None:
    made = "0x" + keccak(b"ESF").hex()
    assert invoice_ref(made) == keccak(b"ESF")
    for bad, problem in [("", "required"), ("   ", "required"), ("0x" + "00" * 32, "all-zero"), ("a\x00b", "NUL")]:
        with pytest.raises(InvalidInput, match=problem):
            invoice_ref(bad)


@pytest.mark.parametrize(("text", "bps"), [("16%", 1600), ("12.5 %", 1250), ("0%", 0), ("100%", 10_000),
                                           ("1600bp", 1600), ("5 bps", 5), ("0.01%", 1)])  # fmt: skip
def test_rates_are_read_with_their_unit(text: str, bps: int) -> None:
    assert parse_rate(text) == bps
    assert parse_rate(format_rate(bps)) == bps


@pytest.mark.parametrize(("text", "problem"), [("16", "unit"), ("0.001%", "finer"), ("101%", "above 100"),
                                               ("-1%", "unit"), ("sixteen%", "unit")])  # fmt: skip
def test_bad_rates_are_refused(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_rate(text)


def test_dates_are_whole_days_in_the_tax_authority_s_time_zone() -> None:
    assert parse_utc_offset("+05:00") == ALMATY == parse_utc_offset("+0500")
    q1 = Period.parse("2026-01-01", "2026-03-31", ALMATY)
    assert q1.start == 1767207600  # 2026-01-01T00:00+05:00, when 16 % took effect
    assert q1.end == 1774983600  # 2026-04-01T00:00+05:00, excluded
    assert q1.contains(q1.start) and not q1.contains(q1.start - 1) and not q1.contains(q1.end)
    seconds = Period.parse("100", "200")
    assert (seconds.start, seconds.end) == (100, 201)  # both ends inclusive
    assert Period.parse("2026-01-01T10:00:00Z", None).start == 1767261600
    with pytest.raises(InvalidInput, match="empty"):
        Period.parse("2026-02-01", "2026-01-01")


def test_ids_match_the_contract_s(world: World) -> None:
    contract = world.vat(ADMIN).contract
    ref = invoice_ref("R-42")
    payer = world.address(ALICE)
    assert payment_id(SHOP_ID, payer, ref) == contract.functions.paymentId(SHOP_ID, payer, ref).call()
    for category in (0, 1, 255):
        on_chain = contract.functions.authorizationNonce(SHOP_ID, category, ref).call()
        assert authorization_nonce(contract.address, SHOP_ID, category, ref) == on_chain
