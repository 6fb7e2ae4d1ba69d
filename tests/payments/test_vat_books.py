"""Invoice books: an invoice number pays once, and a refund against the packed page record (the payment passed back
in calldata, checked against the page's 224-bit chain head) never exceeds what was paid - forged records refused."""

from __future__ import annotations

from decimal import Decimal

from vat_world import ALICE, BOB, PHARMACY_ID, SHOP, SHOP_ID, STRANGER, World, refused, rejected

from tenge.errors import InvalidInput
from tenge.payments.books import BookEntry, BookRecord
from tenge.payments.ids import book_invoice_of, book_link, book_payment_id

REF = "R-2026-0100"


def pay(world: World, invoice_no: int, gross: str = "1160.00", payer: int = ALICE) -> bytes:
    return world.vat(payer).pay_invoice(SHOP_ID, invoice_no, gross, f"{REF}-{invoice_no}").payment_id


def send_refund(world: World, head_before: int, entries: list[BookEntry], amount: int) -> object:
    """The merchant sends ``refundInvoice`` with exactly these arguments (no SDK rebuilding of the record)."""
    shop = world.vat(SHOP)
    call = shop.contract.functions.refundInvoice(SHOP_ID, head_before.to_bytes(32, "big"), entries, amount)
    return shop._send(call, "refund with a hand-made record")


def test_a_forged_refund_against_a_packed_record_is_refused(world: World) -> None:
    # Three payments in one page of the shop's book; BOB (the merchant's accomplice here) paid nothing.
    for number, gross in ((1, "116.00"), (2, "1160.00"), (3, "11.60")):
        pay(world, number, gross)
    book = world.vat(SHOP).book_record(SHOP_ID, 2)
    invoice_no, payer, gross, rate = book.entry
    assert (invoice_no, payer, gross, rate) == (2, world.address(ALICE), 116000, 1600)
    later = list(book.later)
    assert [entry[0] for entry in later] == [3]
    world.token(SHOP).approve(world.vat(SHOP).address, "100000.00")  # the net part is never what stops a forgery
    escrow_before, balances_before = world.vat(SHOP).escrow_balance(), (world.balance(ALICE), world.balance(BOB))
    forgeries: dict[str, tuple[int, list[BookEntry], int]] = {
        "a larger gross": (book.head_before, [(2, payer, gross * 10, rate), *later], gross * 10),
        "a higher rate": (book.head_before, [(2, payer, gross, 10_000), *later], gross),
        "another payer (the accomplice)": (book.head_before, [(2, world.address(BOB), gross, rate), *later], gross),
        "another invoice's number": (book.head_before, [(4, payer, gross, rate), *later], gross),
        "another head before it": (book.head_before ^ 1, [book.entry, *later], gross),
        "the later payments left out": (book.head_before, [book.entry], gross),
        "a later payment altered": (book.head_before, [book.entry, (3, payer, 116000, 1600)], gross),
        "the head after the payment as 'before', a made-up entry": (
            book_link(book.head_before, *book.entry), [(3, world.address(BOB), gross, rate)], gross),
    }  # fmt: skip
    for what, (head_before, entries, amount) in forgeries.items():
        number = entries[0][0]
        revert = rejected(
            world, SHOP, "BookRecordMismatch", lambda: send_refund(world, head_before, entries, amount),
            merchantId=SHOP_ID, invoiceNo=number,
        )  # fmt: skip
        assert revert is not None, what
    rejected(world, SHOP, "EmptyBookRecord", lambda: send_refund(world, 0, [], gross))
    # The real record refunds, up to what was paid and not a tiyn more.
    rejected(
        world, SHOP, "RefundExceedsPayment", lambda: send_refund(world, book.head_before, [book.entry, *later], gross + 1),
        paymentId="0x" + book.payment_id.hex(), refundable=gross, requested=gross + 1,
    )  # fmt: skip
    send_refund(world, book.head_before, [book.entry, *later], gross)
    assert world.vat(SHOP).escrow_balance() == escrow_before - Decimal("160.00")
    assert (world.balance(ALICE), world.balance(BOB)) == (balances_before[0] + Decimal("1160.00"), balances_before[1])
    rejected(
        world, SHOP, "RefundExceedsPayment", lambda: send_refund(world, book.head_before, [book.entry, *later], 1),
        paymentId="0x" + book.payment_id.hex(), refundable=0, requested=1,
    )  # fmt: skip


def test_an_invoice_number_pays_once_whoever_pays_it(world: World) -> None:
    pid = pay(world, 7)
    assert pid == book_payment_id(SHOP_ID, 7) and book_invoice_of(pid) == (SHOP_ID, 7)
    assert world.vat(ALICE).invoice_paid(SHOP_ID, 7) and not world.vat(ALICE).invoice_paid(SHOP_ID, 8)
    for payer in (ALICE, BOB):  # the same payer again (a retry) or anyone else: refused, nothing sent
        refused(world, payer, InvalidInput, lambda: pay(world, 7, payer=payer), match="already paid")
        vat = world.vat(payer)
        call = vat.contract.functions.payInvoice(SHOP_ID, 7, 100, 0, b"R-again".ljust(32, b"\0"))
        rejected(world, payer, "InvoiceAlreadyPaid", lambda: vat._send(call, "pay again"), merchantId=SHOP_ID,
                 invoiceNo=7)  # fmt: skip
    # Another merchant's invoice 7 is another invoice.
    assert world.vat(BOB).pay_invoice(PHARMACY_ID, 7, "10.00", "R-PH-7").payment_id == book_payment_id(PHARMACY_ID, 7)


def test_book_payments_split_like_payments_by_reference_and_refund_in_part(world: World) -> None:
    before = (world.balance(ALICE), world.balance(SHOP))
    receipt = world.vat(ALICE).pay_invoice(SHOP_ID, 31, "999.99", "R-31")
    assert (receipt.gross, receipt.net, receipt.vat, receipt.rate_bps) == (
        Decimal("999.99"), Decimal("862.06"), Decimal("137.93"), 1600)  # fmt: skip
    assert receipt.invoice == "R-31"
    pay(world, 32, "58.00")  # the next page
    pay(world, 30, "5.80")  # back in the first page, after invoice 31
    assert world.vat(ALICE).contract.functions.bookPage(SHOP_ID, 31).call()[0] == (1 << 31) | (1 << 30)
    assert world.vat(ALICE).contract.functions.bookPage(SHOP_ID, 32).call()[0] == 1
    shop = world.vat(SHOP)
    parts = [shop.refund_invoice(SHOP_ID, 31, part) for part in ("100.00", "0.01", "333.33")]
    rest = shop.refund_invoice(SHOP_ID, 31)
    assert sum(r.vat for r in (*parts, rest)) == Decimal("137.93")
    assert rest.total_refunded == Decimal("999.99") and rest.payment_id == book_payment_id(SHOP_ID, 31)
    refused(world, SHOP, InvalidInput, lambda: shop.refund_invoice(SHOP_ID, 31), match="refunded in full")
    assert shop.contract.functions.invoiceRefunded(SHOP_ID, 31).call() == 99999
    assert (world.balance(ALICE), world.balance(SHOP)) == (before[0] - Decimal("63.80"), before[1] + Decimal("55.00"))
    # A page with a refunded payment still proves its other payments.
    assert shop.refund_invoice(SHOP_ID, 30).total_refunded == Decimal("5.80")
    refused(world, SHOP, InvalidInput, lambda: shop.refund_invoice(SHOP_ID, 33), match="no payment in the book")


def test_only_the_merchant_refunds_a_book_payment(world: World) -> None:
    pay(world, 1)
    book: BookRecord = world.vat(SHOP).book_record(SHOP_ID, 1)
    for who in (ALICE, STRANGER):
        vat = world.vat(who)
        call = vat.contract.functions.refundInvoice(SHOP_ID, bytes(32), [book.entry], 1)
        rejected(world, who, "NotMerchantPayout", lambda: vat._send(call, "refund"), merchantId=SHOP_ID,
                 caller=world.address(who))  # fmt: skip
