"""The independent review's VAT findings, one test each:

- the payer no longer chooses the VAT category: a merchant is paid only under the categories the tax side allowed
  it (its default and those set with ``setMerchantCategories``);
- a refund of a payer whose wallet was recovered reaches the recovered wallet;
- with part (or all) of the escrow frozen, refunds draw on the treasury and ``withdrawableVat`` counts only what
  can move;
- the VAT contract, as the spender of payers' allowances, cannot collect while compliance has frozen it.
"""

from __future__ import annotations

from decimal import Decimal

from vat_world import (
    ADMIN, ALICE, BOB, COURIER, KIOSK_ID, SHOP, SHOP_ID, STANDARD, STRANGER, TREASURY, ZERO_RATED, World, refused,
    rejected,
)  # fmt: skip
from web3.logs import DISCARD

from tenge.errors import InvalidInput

CORNER_SHOP_ID = 2001  # registered by the tests below: standard category (16 %) only
COURT_ORDER = "ALMATY-COURT-2-9012/2026"


def register_corner_shop(world: World) -> None:
    world.vat(ADMIN).register_merchant(CORNER_SHOP_ID, world.address(BOB), vat_registered=True, default_category=STANDARD)


# --- categories ----------------------------------------------------------------------------------------


def test_a_16_percent_merchant_cannot_be_paid_under_a_0_percent_category(world: World) -> None:
    register_corner_shop(world)
    alice = world.vat(ALICE)
    assert alice.merchant(CORNER_SHOP_ID).categories == (STANDARD,)
    expected = {"merchantId": CORNER_SHOP_ID, "categoryId": ZERO_RATED}
    rejected(world, ALICE, "CategoryNotAllowed", lambda: alice.quote(CORNER_SHOP_ID, "116", category=ZERO_RATED), **expected)
    rejected(
        world, ALICE, "CategoryNotAllowed",
        lambda: alice.pay_with_permit(CORNER_SHOP_ID, "116.00", "R-1", category=ZERO_RATED), **expected,
    )  # fmt: skip
    world.token(ALICE).approve(alice.address, "116")
    rejected(world, ALICE, "CategoryNotAllowed",
             lambda: alice.pay(CORNER_SHOP_ID, "116.00", "R-1", category=ZERO_RATED), **expected)  # fmt: skip
    # Offline: the payer's signature binds the category, and the submission is refused all the same.
    offline = alice.sign_offline_payment(CORNER_SHOP_ID, "116.00", "R-1", category=ZERO_RATED, now=world.block_time())
    rejected(world, COURIER, "CategoryNotAllowed", lambda: world.vat(COURIER).submit_offline_payment(offline), **expected)
    # Under its own category (named or by default) it is paid with VAT.
    receipt = alice.pay_with_permit(CORNER_SHOP_ID, "116.00", "R-1", category=STANDARD)
    assert (receipt.vat, receipt.category_id) == (Decimal("16.00"), STANDARD)


def test_the_tax_side_allows_a_merchant_more_categories(world: World) -> None:
    register_corner_shop(world)
    registrar = world.vat(ADMIN)
    result = registrar.set_merchant_categories(CORNER_SHOP_ID, [ZERO_RATED])
    logs = registrar.contract.events.MerchantCategoriesSet().process_receipt(
        world.w3.eth.get_transaction_receipt(result.tx_hash), errors=DISCARD
    )
    assert [dict(log["args"]) for log in logs] == [{"merchantId": CORNER_SHOP_ID, "categories": [ZERO_RATED]}]
    assert registrar.merchant(CORNER_SHOP_ID).categories == (STANDARD, ZERO_RATED)
    receipt = world.vat(ALICE).pay_with_permit(CORNER_SHOP_ID, "500.00", "EXPORT-9", category=ZERO_RATED)
    assert (receipt.vat, receipt.category_id) == (0, ZERO_RATED)
    registrar.set_merchant_categories(CORNER_SHOP_ID, [])  # withdrawn again: the default only
    rejected(
        world, ALICE, "CategoryNotAllowed",
        lambda: world.vat(ALICE).pay_with_permit(CORNER_SHOP_ID, "1.00", "EXPORT-10", category=ZERO_RATED),
    )  # fmt: skip


def test_only_the_tax_side_sets_categories_and_only_scheduled_ones(world: World) -> None:
    register_corner_shop(world)
    needed = "REGISTRAR_ROLE"  # by name, not its hash
    for who in (ALICE, BOB, STRANGER):  # a payer, the merchant itself, an outsider
        rejected(
            world, who, "AccessControlUnauthorizedAccount",
            lambda: world.vat(who).set_merchant_categories(CORNER_SHOP_ID, [ZERO_RATED]),
            account=world.address(who), neededRole=needed,
        )  # fmt: skip
    registrar = world.vat(ADMIN)
    # The SDK refuses a category with no rate before sending (so the CLI's register-then-allow never half-runs) ...
    refused(world, ADMIN, InvalidInput, lambda: registrar.set_merchant_categories(CORNER_SHOP_ID, [77]),
            match="VAT category 77 has no rate scheduled")  # fmt: skip
    # ... and the contract itself refuses it, and category 0 ("the merchant's default"), sent around the SDK.
    send = registrar.session.signer.send
    rejected(
        world, ADMIN, "UnknownCategory",
        lambda: send(registrar.contract.functions.setMerchantCategories(CORNER_SHOP_ID, [ZERO_RATED, 77]), description="x"),
        categoryId=77,
    )  # fmt: skip
    rejected(
        world, ADMIN, "InvalidCategory",
        lambda: send(registrar.contract.functions.setMerchantCategories(CORNER_SHOP_ID, [0]), description="x"),
        categoryId=0,
    )  # fmt: skip
    rejected(world, ADMIN, "UnknownMerchant", lambda: registrar.set_merchant_categories(9999, [ZERO_RATED]),
             merchantId=9999)  # fmt: skip


# --- refunds after a wallet recovery ---------------------------------------------------------------------


def test_a_refund_after_a_wallet_recovery_reaches_the_recovered_wallet(world: World) -> None:
    receipt = world.vat(ALICE).pay_with_permit(SHOP_ID, "1160.00", "R-LOST")
    compliance = world.token(ADMIN)
    lost, recovered = world.address(ALICE), world.address(COURIER)
    compliance.set_tier(recovered, 2)
    compliance.recover(lost, recovered, COURT_ORDER)
    before = world.balance(COURIER)
    refund = world.vat(SHOP).refund(SHOP_ID, lost, "R-LOST", "580.00")
    assert (refund.payer, refund.recipient, refund.payment_id) == (lost, recovered, receipt.payment_id)
    assert world.balance(COURIER) == before + Decimal("580.00")
    assert world.balance(ALICE) == 0
    logs = world.vat(ADMIN).contract.events.RefundToRecoveredWallet().process_receipt(
        world.w3.eth.get_transaction_receipt(refund.tx.tx_hash), errors=DISCARD
    )
    assert [dict(log["args"]) for log in logs] == [
        {"paymentId": receipt.payment_id, "payer": lost, "recipient": recovered}
    ]
    rest = world.vat(SHOP).refund(SHOP_ID, lost, "R-LOST")
    assert rest.recipient == recovered and rest.total_refunded == Decimal("1160.00")


# --- a frozen escrow ---------------------------------------------------------------------------------------


def test_with_part_of_the_escrow_frozen_refunds_draw_on_the_treasury(world: World) -> None:
    world.vat(ALICE).pay_with_permit(SHOP_ID, "1160.00", "R-1")  # 160.00 VAT into escrow
    vat = world.vat(ADMIN)
    world.token(ADMIN).freeze(vat.address, amount="100")
    state = vat.escrow_state()
    assert (state.escrow, state.spendable, state.withdrawable) == (Decimal("160.00"), Decimal("60.00"), Decimal("60.00"))
    world.vat(ADMIN).set_vat_reserve("50")
    assert vat.withdrawable_vat() == Decimal("10.00")  # spendable 60 above the reserve of 50
    rejected(
        world, TREASURY, "WithdrawalExceedsAvailable", lambda: world.vat(TREASURY).withdraw_vat("2026-Q1", "10.01"),
        available=1000, requested=1001,
    )  # fmt: skip
    # A refund whose VAT part (80.00) exceeds the spendable escrow (60.00) needs the treasury's backstop.
    rejected(
        world, SHOP, "VatRefundUnfunded", lambda: world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), "R-1", "580"),
        escrow=6000, treasuryAllowance=0, needed=8000,
    )  # fmt: skip
    world.token(BOB).transfer(world.address(TREASURY), "200")
    world.token(TREASURY).approve(vat.address, "200")
    refund = world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), "R-1", "580")
    assert refund.vat == Decimal("80.00") and refund.vat_from_treasury
    assert vat.escrow_balance() == Decimal("160.00")


def test_a_wholly_frozen_escrow_withdraws_nothing(world: World) -> None:
    world.vat(ALICE).pay_with_permit(SHOP_ID, "1160.00", "R-1")
    vat = world.vat(ADMIN)
    world.token(ADMIN).freeze(vat.address)
    assert (vat.escrow_balance(), vat.spendable_escrow(), vat.withdrawable_vat()) == (Decimal("160.00"), 0, 0)


def test_a_frozen_vat_contract_cannot_spend_payers_allowances(world: World) -> None:
    vat = world.vat(ALICE)
    world.token(ALICE).approve(vat.address, "100")
    world.token(ADMIN).freeze(vat.address)
    # No VAT (an unregistered merchant): a plain transferFrom with the VAT contract as the spender.
    rejected(world, ALICE, "AccountFrozen", lambda: vat.pay(KIOSK_ID, "100.00", "K-1"), account=vat.address)
    world.token(ADMIN).unfreeze(vat.address)
    assert vat.pay(KIOSK_ID, "100.00", "K-1").gross == Decimal("100.00")
