"""Signed and offline spending, compliance on vouchers, refunds as surplus, and the sponsor's report."""

from __future__ import annotations

from decimal import Decimal

from programme_world import (
    CANTEEN,
    CANTEEN_ID,
    CITY,
    COURIER,
    PUPIL,
    PUPIL_B,
    STRANGER,
    World,
    refused,
    rejected,
)

from tenge.errors import InvalidInput
from tenge.offline_codec import OfflinePaymentRejected
from tenge.payments.invoices import invoice_ref
from tenge.programmes.signing import SignedSpend, SpendAuthorization, sign_spend


def _allocated(world: World, daily_limit: str | None = "1200.00") -> int:
    pid = world.lunch_programme(daily_limit=daily_limit)
    world.programmes(CITY).allocate(pid, [(world.address(PUPIL), "24000.00"), (world.address(PUPIL_B), "24000.00")])
    return pid


def test_offline_spend_signed_by_pupil_submitted_later_by_canteen(world: World) -> None:
    pid = _allocated(world, daily_limit=None)
    text = world.programmes(PUPIL).sign_spend(pid, CANTEEN_ID, "1200.00", "OFF-1").encode()
    assert text.startswith("dtpbm1:")
    receipt = world.programmes(COURIER).submit_spend(text)
    assert receipt.beneficiary == world.address(PUPIL) and receipt.vat == Decimal("165.52")
    assert world.programmes(CITY).balance_of(pid, world.address(PUPIL)) == Decimal("22800.00")
    # Replayed: VatPayments holds one payment per (merchant, payer, invoice); the SDK says so before sending.
    refused(world, COURIER, InvalidInput, lambda: world.programmes(COURIER).submit_spend(text),
            rf"already paid: invoice 'OFF-1' at merchant {CANTEEN_ID} was paid by this programme \(payment 0x")
    raw = world.programmes(COURIER).contract.functions.spendWithAuthorization(
        *(lambda s: (s.authorization.as_tuple(), s.signature.to_bytes()))(world.programmes(COURIER).decode_offline_spend(text)))
    rejected(world, COURIER, "PaymentAlreadyExists", lambda: world.programmes(COURIER).send(raw, "raw"))


def test_a_spend_submitted_again_after_the_day_s_limit_is_spent_says_already_paid(world: World) -> None:
    """Issue 19: re-submitting a used dtpbm1: string said `may spend only 0.00 KZT more ... today`."""
    pid = _allocated(world, daily_limit="1200.00")
    text = world.programmes(PUPIL).sign_spend(pid, CANTEEN_ID, "1200.00", "OFF-LIMIT").encode()
    world.programmes(CANTEEN).submit_spend(text)
    error = refused(world, CANTEEN, InvalidInput, lambda: world.programmes(CANTEEN).submit_spend(text), "already paid")
    assert "may spend only" not in str(error) and "nothing was sent" in str(error)


def test_another_holder_cannot_squat_a_pupils_invoice(world: World) -> None:
    """Issue 18, finding 6 (invoice squatting): every programme payment has the same payer, so before the fix
    another voucher holder valid at the canteen spent 0.01 under the pupil's offline-signed invoice first and the
    pupil's authorisation then reverted PaymentAlreadyExists. The payment id binds the beneficiary now."""
    pid = _allocated(world, daily_limit=None)
    signed = world.programmes(PUPIL).sign_spend(pid, CANTEEN_ID, "1200.00", "OFF-SQUAT")
    # The squatter has seen the invoice number (the canteen's till, the pupil's phone) and spends 0.01 under it,
    # directly and through an authorisation of its own.
    squat = world.programmes(PUPIL_B).spend(pid, CANTEEN_ID, "0.01", "OFF-SQUAT")
    receipt = world.programmes(COURIER).submit_spend(signed.encode())
    assert receipt.beneficiary == world.address(PUPIL) and receipt.amount == Decimal("1200.00")
    assert receipt.payment_id != squat.payment_id and receipt.invoice_ref == squat.invoice_ref
    assert world.programmes(CITY).balance_of(pid, world.address(PUPIL)) == Decimal("22800.00")
    # A direct spend is bound the same way: the pupil's own spend under an invoice the squatter used first.
    world.programmes(PUPIL_B).spend(pid, CANTEEN_ID, "0.01", "LUNCH-SQUAT")
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "10.00", "LUNCH-SQUAT")
    # Still one payment per beneficiary and invoice: the pupil's authorisation replayed is refused before anything is
    # sent (the SDK finds the beneficiary-bound payment: "already paid"; the contract's PaymentAlreadyExists backs it).
    refused(world, COURIER, InvalidInput, lambda: world.programmes(COURIER).submit_spend(signed), "already paid")
    # The merchant refunds each payment by the reference its Paid receipt carries (beneficiary-bound).
    assert receipt.vat_invoice_ref == world.programmes(CITY).vat_invoice_ref(world.address(PUPIL), "OFF-SQUAT")
    world.vat(CANTEEN).refund(CANTEEN_ID, world.programmes(CITY).address, "0x" + squat.vat_invoice_ref.hex())
    assert world.programmes(CITY).surplus() == Decimal("0.01")


def test_tampered_or_foreign_offline_spend_is_refused(world: World) -> None:
    pid = _allocated(world)
    signed = world.programmes(PUPIL).sign_spend(pid, CANTEEN_ID, "1200.00", "OFF-2")
    text = signed.encode()
    tampered = text[:-6] + ("A" if text[-6] != "A" else "B") + text[-5:]
    refused(world, COURIER, OfflinePaymentRejected, lambda: world.programmes(COURIER).submit_spend(tampered))
    # The amount changed but the signature kept: recovers to someone else.
    forged = SignedSpend(signed.chain_id, signed.programmes,
                         SpendAuthorization(**{**signed.authorization.__dict__, "amount": Decimal("24000.00")}),
                         signed.signature)  # fmt: skip
    refused(world, COURIER, OfflinePaymentRejected, lambda: world.programmes(COURIER).submit_spend(forged.encode()),
            "signature")  # fmt: skip
    # Past the SDK: the contract checks the signature itself.
    raw = world.programmes(COURIER).contract.functions.spendWithAuthorization(
        forged.authorization.as_tuple(), forged.signature.to_bytes()
    )
    rejected(world, COURIER, "InvalidSpendSignature", lambda: world.programmes(COURIER).send(raw, "raw"),
             beneficiary=world.address(PUPIL))  # fmt: skip


def test_spend_signed_by_someone_else_or_out_of_window(world: World) -> None:
    pid = _allocated(world)
    client = world.programmes(COURIER)
    now = world.block_time()
    auth = SpendAuthorization(pid, world.address(PUPIL), CANTEEN_ID, Decimal("10.00"), 0, invoice_ref("W-1"),
                              now - 10, now + 3600)  # fmt: skip
    from eth_account.messages import encode_typed_data

    from tenge.programmes.signing import SPEND_TYPES
    from tenge.token.authorizations import Signature

    other = world.key(PUPIL_B).sign_message(encode_typed_data(client.domain.as_eip712(), SPEND_TYPES, auth.message()))
    raw = client.contract.functions.spendWithAuthorization(
        auth.as_tuple(), Signature.of(other.v, other.r, other.s).to_bytes()
    )
    rejected(world, COURIER, "InvalidSpendSignature", lambda: client.send(raw, "raw"))
    late = SpendAuthorization(pid, world.address(PUPIL), CANTEEN_ID, Decimal("10.00"), 0, invoice_ref("W-2"),
                              now - 7200, now - 3600)  # fmt: skip
    signed = sign_spend(world.key(PUPIL), client.domain, late)
    rejected(world, COURIER, "AuthorizationExpired", lambda: client.submit_spend(signed), validBefore=now - 3600)
    early = SpendAuthorization(pid, world.address(PUPIL), CANTEEN_ID, Decimal("10.00"), 0, invoice_ref("W-3"),
                               now + 3600, now + 7200)  # fmt: skip
    rejected(world, COURIER, "AuthorizationNotYetValid",
             lambda: client.submit_spend(sign_spend(world.key(PUPIL), client.domain, early)))  # fmt: skip


def test_compliance_seizes_and_recovers_vouchers(world: World) -> None:
    pid = _allocated(world)
    city = world.programmes(CITY)
    rejected(world, PUPIL_B, "NotCompliance",
             lambda: world.programmes(PUPIL_B).seize(pid, world.address(PUPIL), "1.00", "COURT-1"))  # fmt: skip
    city.seize(pid, world.address(PUPIL), "4000.00", "COURT-1")
    assert city.balance_of(pid, world.address(PUPIL)) == Decimal("20000.00")
    assert city.programme(pid).unallocated == Decimal("56000.00")
    rejected(world, CITY, "InsufficientVouchers", lambda: city.seize(pid, world.address(PUPIL), "20000.01", "COURT-2"))
    # Wallet recovery: the token moves the tenge account, this contract the vouchers.
    new = world.address(STRANGER)
    rejected(world, CITY, "AccountNotEligible", lambda: city.recover([pid], world.address(PUPIL), new, "LOST-1"))
    world.token(CITY).set_tier(new, 1)
    city.recover([pid], world.address(PUPIL), new, "LOST-1")
    assert city.balance_of(pid, new) == Decimal("20000.00") and city.balance_of(pid, world.address(PUPIL)) == 0
    world.programmes(STRANGER).spend(pid, CANTEEN_ID, "1000.00", "REC-1")


def test_refund_of_a_programme_payment_becomes_surplus_then_budget(world: World) -> None:
    pid = _allocated(world)
    city = world.programmes(CITY)
    receipt = world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1200.00", "REF-1")
    # The payment is recorded under the invoice bound to the pupil (the Paid receipt's reference).
    world.vat(CANTEEN).refund(CANTEEN_ID, city.address, "0x" + receipt.vat_invoice_ref.hex())
    assert city.surplus() == Decimal("1200.00")
    rejected(world, PUPIL, "AccessControlUnauthorizedAccount", lambda: world.programmes(PUPIL).assign_surplus(pid, "1", "R"))
    rejected(world, CITY, "SurplusExceeded", lambda: city.assign_surplus(pid, "1200.01", "REF-1"))
    city.assign_surplus(pid, "1200.00", "REF-1")
    assert city.surplus() == 0 and city.programme(pid).unallocated == Decimal("53200.00")
    assert world.balance(city.address) == city.total_locked()


def test_sponsor_report_reconciles_to_the_tiyn(world: World) -> None:
    pid = _allocated(world)
    world.programmes(PUPIL).spend(pid, CANTEEN_ID, "1200.00", "R-1")
    world.programmes(PUPIL_B).spend(pid, CANTEEN_ID, "999.99", "R-2")
    world.programmes(CITY).seize(pid, world.address(PUPIL_B), "1000.00", "COURT")
    world.programmes(CITY).withdraw_unallocated(pid, "500.00")
    report = world.programmes(CITY).report(pid)
    assert report.reconciled, report.render()
    assert (report.funded, report.allocated, report.spent) == (Decimal("100000.00"), Decimal("48000.00"), Decimal("2199.99"))
    (line,) = report.lines
    assert (line.merchant_id, line.payments, line.gross) == (CANTEEN_ID, 2, Decimal("2199.99"))
    assert line.net + line.vat == line.gross and report.vat == line.vat
    assert world.balance(CANTEEN) == line.net
    assert report.outstanding == Decimal("44800.01") and report.unallocated == Decimal("52500.00")
