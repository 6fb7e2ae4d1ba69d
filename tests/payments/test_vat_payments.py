"""Paying a merchant: net to the merchant and VAT to the escrow in one transaction - with a permit, an
EIP-3009 authorization or an allowance - and every token rule still applying."""

from __future__ import annotations

from decimal import Decimal

from vat_world import (
    ADMIN, ALICE, BOB, EXEMPT, KIOSK, KIOSK_ID, PHARMACY, PHARMACY_ID, REDUCED_BPS, SHOP, SHOP_ID, STANDARD,
    STANDARD_BPS, STRANGER, ZERO_RATED, World, hex32, refused, rejected,
)  # fmt: skip

from tenge.errors import InvalidInput
from tenge.payments.ids import payment_id
from tenge.payments.invoices import hashed_invoice_ref, invoice_ref


def test_a_permit_payment_splits_net_to_the_merchant_and_vat_to_escrow(world: World) -> None:
    alice = world.vat(ALICE)
    before = {ALICE: world.balance(ALICE), SHOP: world.balance(SHOP), "escrow": alice.escrow_balance()}
    receipt = alice.pay_with_permit(SHOP_ID, "1160.00", "R-000001")
    assert (receipt.gross, receipt.net, receipt.vat) == (Decimal("1160.00"), Decimal("1000.00"), Decimal("160.00"))
    assert (receipt.rate_bps, receipt.category_id, receipt.merchant_id) == (STANDARD_BPS, STANDARD, SHOP_ID)
    assert receipt.payer == world.address(ALICE)
    assert receipt.invoice_ref == invoice_ref("R-000001")
    assert receipt.payment_id == payment_id(SHOP_ID, world.address(ALICE), invoice_ref("R-000001"))
    assert world.balance(ALICE) == before[ALICE] - Decimal("1160.00")
    assert world.balance(SHOP) == before[SHOP] + Decimal("1000.00")
    assert alice.escrow_balance() == before["escrow"] + Decimal("160.00")
    # The permit was used for exactly the gross: nothing is left approved.
    assert world.token(ADMIN).allowance(world.address(ALICE), alice.address) == 0
    record = alice.payment(SHOP_ID, world.address(ALICE), "R-000001")
    assert (record.gross, record.vat, record.rate_bps, record.refunded) == (Decimal("1160.00"), Decimal("160.00"), 1600, 0)


def test_an_authorization_payment_needs_no_approval_either(world: World) -> None:
    bob = world.vat(BOB)
    receipt = bob.pay_with_authorization(PHARMACY_ID, "105.00", "CHECK-77")
    assert (receipt.net, receipt.vat, receipt.rate_bps) == (Decimal("100.00"), Decimal("5.00"), REDUCED_BPS)
    assert world.balance(PHARMACY) == Decimal("100.00")
    nonce = bob.authorization_nonce(PHARMACY_ID, 0, "CHECK-77")
    assert world.token(ADMIN).authorization_state(world.address(BOB), nonce)


def test_a_payment_through_an_allowance_and_a_category_other_than_the_default(world: World) -> None:
    world.token(ALICE).approve(world.vat(ALICE).address, "500")
    receipt = world.vat(ALICE).pay(SHOP_ID, "500.00", "EXPORT-1", category=ZERO_RATED)
    assert (receipt.net, receipt.vat, receipt.rate_bps, receipt.category_id) == (Decimal("500.00"), 0, 0, ZERO_RATED)


def test_without_an_allowance_the_token_refuses(world: World) -> None:
    vat = world.vat(ALICE)
    rejected(
        world, ALICE, "ERC20InsufficientAllowance", lambda: vat.pay(SHOP_ID, "10.00", "R-1"),
        spender=vat.address, allowance=0, needed=1000,
    )  # fmt: skip


def test_an_unregistered_merchant_charges_no_vat(world: World) -> None:
    receipt = world.vat(ALICE).pay_with_permit(KIOSK_ID, "99.99", "K-1")
    assert (receipt.net, receipt.vat, receipt.rate_bps) == (Decimal("99.99"), 0, 0)
    assert world.balance(KIOSK) == Decimal("99.99")
    assert world.vat(ALICE).quote(KIOSK_ID, "99.99").vat == 0


def test_exempt_and_zero_rated_categories_carry_no_vat(world: World) -> None:
    for category in (ZERO_RATED, EXEMPT):
        receipt = world.vat(ALICE).pay_with_permit(SHOP_ID, "50.00", f"Z-{category}", category=category)
        assert (receipt.vat, receipt.category_id) == (0, category)


def test_an_inactive_merchant_cannot_be_paid_until_reactivated(world: World) -> None:
    world.vat(ADMIN).deactivate_merchant(SHOP_ID)
    assert not world.vat(ADMIN).merchant(SHOP_ID).active
    rejected(world, ALICE, "MerchantInactive", lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "1", "R-1"),
             merchantId=SHOP_ID)  # fmt: skip
    rejected(world, BOB, "MerchantInactive", lambda: world.vat(BOB).pay_with_authorization(SHOP_ID, "1", "R-1"))
    rejected(world, ALICE, "MerchantInactive", lambda: world.vat(ALICE).quote(SHOP_ID, "1"))
    world.vat(ADMIN).activate_merchant(SHOP_ID)
    assert world.vat(ALICE).pay_with_permit(SHOP_ID, "1.00", "R-1").vat == Decimal("0.14")


def test_an_unknown_merchant_is_named(world: World) -> None:
    rejected(world, ALICE, "UnknownMerchant", lambda: world.vat(ALICE).pay_with_permit(999, "1", "R-1"), merchantId=999)


def test_a_frozen_merchant_cannot_be_paid(world: World) -> None:
    world.token(ADMIN).freeze(world.address(SHOP))
    for pay in (world.vat(ALICE).pay_with_permit, world.vat(ALICE).pay_with_authorization):
        rejected(world, ALICE, "AccountFrozen", lambda: pay(SHOP_ID, "116.00", "R-1"), account=world.address(SHOP))


def test_a_frozen_payer_cannot_pay(world: World) -> None:
    world.token(ADMIN).freeze(world.address(ALICE))
    rejected(
        world, ALICE, "AccountFrozen", lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1"),
        account=world.address(ALICE),
    )  # fmt: skip


def test_a_payer_no_longer_approved_by_compliance_cannot_pay(world: World) -> None:
    world.token(ADMIN).set_tier(world.address(ALICE), 0)
    rejected(
        world, ALICE, "AccountNotApproved", lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1"),
        account=world.address(ALICE),
    )  # fmt: skip


def test_a_payer_never_approved_cannot_pay(world: World) -> None:
    rejected(
        world, STRANGER, "AccountNotApproved",
        lambda: world.vat(STRANGER).pay_with_permit(SHOP_ID, "1.00", "R-1"), account=world.address(STRANGER),
    )  # fmt: skip


def test_a_paused_token_stops_payments(world: World) -> None:
    world.token(ADMIN).pause()
    rejected(world, ALICE, "EnforcedPause", lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1"))


def test_paused_payments_have_their_own_error(world: World) -> None:
    world.vat(ADMIN).pause()
    assert world.vat(ADMIN).escrow_state().paused
    rejected(world, ALICE, "PaymentsPaused", lambda: world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1"))
    world.vat(ADMIN).unpause()
    world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1")


def test_only_the_pauser_pauses(world: World) -> None:
    rejected(world, ALICE, "AccessControlUnauthorizedAccount", lambda: world.vat(ALICE).pause(),
             account=world.address(ALICE))  # fmt: skip


def test_an_invoice_is_paid_once_per_payer(world: World) -> None:
    alice = world.vat(ALICE)
    first = alice.pay_with_permit(SHOP_ID, "10.00", "R-1")
    rejected(world, ALICE, "PaymentAlreadyExists", lambda: alice.pay_with_permit(SHOP_ID, "10.00", "R-1"),
             paymentId=hex32(first.payment_id))  # fmt: skip
    # Another payer may pay an invoice with the same number (the id commits to the payer).
    world.vat(BOB).pay_with_permit(SHOP_ID, "10.00", "R-1")


def test_bad_payment_input_is_refused_before_signing(world: World) -> None:
    alice = world.vat(ALICE)
    refused(world, ALICE, InvalidInput, lambda: alice.pay_with_permit(SHOP_ID, "0", "R-1"), match="greater than zero")
    refused(world, ALICE, InvalidInput, lambda: alice.pay_with_permit(SHOP_ID, "1.001", "R-1"), match="decimals")
    refused(world, ALICE, InvalidInput, lambda: alice.pay_with_permit(SHOP_ID, "1", "   "), match="required")
    refused(world, ALICE, InvalidInput, lambda: alice.pay_with_permit(-1, "1", "R-1"), match="merchant id")
    refused(world, ALICE, InvalidInput, lambda: alice.pay_with_permit(SHOP_ID, "1", "R-1", category=256), match="category")
    refused(world, ALICE, InvalidInput, lambda: alice.pay_with_permit(SHOP_ID, 2**96, "R-1"), match="2\\^96")


def test_a_long_e_invoice_number_travels_as_its_hash(world: World) -> None:
    esf = hashed_invoice_ref("ESF-990000000001-20261121-0000123-000456789")  # given hashed, on purpose
    receipt = world.vat(ALICE).pay_with_permit(SHOP_ID, "1.16", esf)
    assert receipt.invoice_ref == invoice_ref(esf) != esf.encode()[:32]
    assert len(receipt.invoice_ref) == 32 and esf.encode() not in receipt.invoice_ref
