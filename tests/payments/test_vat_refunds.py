"""Refunds (full, partial, never beyond the gross), the VAT escrow, its reserve and withdrawals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from vat_world import ADMIN, ALICE, BOB, SHOP, SHOP_ID, TREASURY, World, hex32, refused, rejected

from tenge.amounts import from_tiyn, to_tiyn
from tenge.errors import InvalidInput, TengeError
from tenge.payments import vat_math

INVOICE = "R-2026-0001"


def paid(world: World, gross: str = "1160.00", payer: int = ALICE, invoice: str = INVOICE) -> bytes:
    return world.vat(payer).pay_with_permit(SHOP_ID, gross, invoice).payment_id


def test_a_full_refund_reverses_both_shares(world: World) -> None:
    before = {who: world.balance(who) for who in (ALICE, SHOP)}
    escrow_before = world.vat(ADMIN).escrow_balance()
    pid = paid(world)
    receipt = world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE)
    assert receipt.payment_id == pid
    assert (receipt.amount, receipt.net, receipt.vat, receipt.total_refunded) == (
        Decimal("1160.00"), Decimal("1000.00"), Decimal("160.00"), Decimal("1160.00"),
    )  # fmt: skip
    assert not receipt.vat_from_treasury
    assert len(receipt.preparations) == 1, "the merchant's approval of the net part"
    assert {who: world.balance(who) for who in (ALICE, SHOP)} == before
    assert world.vat(ADMIN).escrow_balance() == escrow_before
    record = world.vat(ADMIN).payment(SHOP_ID, world.address(ALICE), INVOICE)
    assert (record.refunded, record.refundable) == (Decimal("1160.00"), 0)
    refused(world, SHOP, InvalidInput, lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE),
            match="already refunded in full")  # fmt: skip
    rejected(
        world, SHOP, "RefundExceedsPayment",
        lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, "0.01"),
        paymentId=hex32(pid), refundable=0, requested=1,
    )  # fmt: skip


def test_partial_refunds_return_the_vat_in_proportion_and_never_drift(world: World) -> None:
    pid = paid(world, "999.99")  # VAT 137.93 at 16 %
    record = world.vat(ADMIN).payment_by_id(pid)
    parts = ["100.00", "0.01", "333.33", "0.07"]
    vat_refunded = Decimal(0)
    refunded = 0
    for part in parts:
        receipt = world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, part)
        net, vat = vat_math.refund_split(to_tiyn(record.gross), to_tiyn(record.vat), refunded, to_tiyn(part))
        assert (receipt.net, receipt.vat) == (from_tiyn(net), from_tiyn(vat))
        assert receipt.net + receipt.vat == Decimal(part)
        refunded += to_tiyn(part)
        vat_refunded += receipt.vat
    last = world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE)  # the rest
    assert last.total_refunded == record.gross
    assert vat_refunded + last.vat == record.vat == Decimal("137.93")


def test_a_refund_beyond_the_gross_is_refused_with_nothing_sent(world: World) -> None:
    pid = paid(world)
    world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, "160.00")
    rejected(
        world, SHOP, "RefundExceedsPayment",
        lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, "1000.01"),
        paymentId=hex32(pid), refundable=100_000, requested=100_001,
    )  # fmt: skip
    assert world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, "1000.00").total_refunded == Decimal("1160.00")


def test_only_the_merchant_s_payout_address_refunds(world: World) -> None:
    paid(world)
    rejected(
        world, BOB, "NotMerchantPayout", lambda: world.vat(BOB).refund(SHOP_ID, world.address(ALICE), INVOICE),
        merchantId=SHOP_ID, caller=world.address(BOB),
    )  # fmt: skip


def test_an_unknown_payment_is_named(world: World) -> None:
    pid = world.vat(SHOP).payment_id(SHOP_ID, world.address(BOB), INVOICE)
    rejected(
        world, SHOP, "UnknownPayment", lambda: world.vat(SHOP).refund(SHOP_ID, world.address(BOB), INVOICE, "1"),
        paymentId=hex32(pid),
    )  # fmt: skip


def test_an_inactive_merchant_can_still_refund(world: World) -> None:
    paid(world)
    world.vat(ADMIN).deactivate_merchant(SHOP_ID)
    assert world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, "116.00").vat == Decimal("16.00")


def test_vat_already_withdrawn_is_refunded_from_the_treasury_s_allowance(world: World) -> None:
    paid(world)
    treasury = world.vat(TREASURY)
    withdrawal = treasury.withdraw_vat("2026-11")
    assert (withdrawal.amount, withdrawal.treasury) == (Decimal("160.00"), world.address(TREASURY))
    assert treasury.escrow_balance() == 0 and world.balance(TREASURY) == Decimal("160.00")
    world.token(SHOP).approve(treasury.address, "1000.00")  # so that only the VAT side is missing
    rejected(
        world, SHOP, "VatRefundUnfunded", lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE),
        escrow=0, treasuryAllowance=0, needed=16_000,
    )  # fmt: skip
    world.token(TREASURY).approve(treasury.address, "1000.00")  # the treasury's credit-note backstop
    receipt = world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE)
    assert receipt.vat_from_treasury and receipt.vat == Decimal("160.00") and not receipt.preparations
    assert world.balance(TREASURY) == 0


def test_a_frozen_payer_cannot_be_refunded(world: World) -> None:
    paid(world)
    world.token(SHOP).approve(world.vat(SHOP).address, "1000.00")
    world.token(ADMIN).freeze(world.address(ALICE))
    rejected(
        world, SHOP, "AccountFrozen",
        lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, approve=False),
        account=world.address(ALICE),
    )  # fmt: skip


def test_refunds_stop_while_payments_are_paused(world: World) -> None:
    paid(world)
    world.vat(ADMIN).pause()
    rejected(world, SHOP, "PaymentsPaused", lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE))


def test_the_reserve_stays_in_escrow_and_only_the_treasury_withdraws(world: World) -> None:
    paid(world)
    paid(world, "580.00", payer=BOB)  # VAT 80.00
    world.vat(ADMIN).set_vat_reserve("100.00")
    state = world.vat(ADMIN).escrow_state()
    assert (state.escrow, state.reserve, state.withdrawable) == (Decimal("240.00"), Decimal("100.00"), Decimal("140.00"))
    rejected(world, ALICE, "NotTreasury", lambda: world.vat(ALICE).withdraw_vat("2026-11", "1.00"),
             caller=world.address(ALICE))  # fmt: skip
    rejected(
        world, TREASURY, "WithdrawalExceedsAvailable", lambda: world.vat(TREASURY).withdraw_vat("2026-11", "140.01"),
        available=14_000, requested=14_001,
    )  # fmt: skip
    assert world.vat(TREASURY).withdraw_vat("2026-11").amount == Decimal("140.00")
    refused(world, TREASURY, InvalidInput, lambda: world.vat(TREASURY).withdraw_vat("2026-11"), match="no VAT to withdraw")
    # The reserve covers a refund's VAT from the escrow (here 80.00 of the 100.00 kept back).
    receipt = world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE, "580.00")
    assert (receipt.vat, receipt.vat_from_treasury) == (Decimal("80.00"), False)


@pytest.mark.parametrize(("reference", "problem"), [("", "required"), ("x" * 33, "at most 32 fit")])
def test_a_withdrawal_needs_a_settlement_reference_that_fits(world: World, reference: str, problem: str) -> None:
    paid(world)
    refused(world, TREASURY, InvalidInput, lambda: world.vat(TREASURY).withdraw_vat(reference), match=problem)


def test_a_treasury_without_the_money_is_named_before_any_approval(world: World) -> None:
    paid(world)
    world.vat(TREASURY).withdraw_vat("2026-11")
    world.token(TREASURY).transfer(world.address(BOB), "160.00")  # the treasury spent it
    world.token(TREASURY).approve(world.vat(TREASURY).address, "1000.00")
    refused(
        world, SHOP, TengeError, lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), INVOICE),
        match="must come from the treasury",
    )  # fmt: skip
