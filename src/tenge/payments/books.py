"""Invoice books: paying a merchant's numbered invoice (``payInvoice``) and refunding it (``refundInvoice``).

A merchant numbers its invoices (1, 2, 3 ...); invoice ``n`` is paid once, by whoever pays it first, and its
payment is entered into page ``n // 32`` of the merchant's book: one storage word holding the page's paid bits and
a 224-bit hash chain over its payments (see ``IInvoiceBooks``). That is why a book payment costs less gas than a
payment by reference (no new storage slot per payment) with the same guarantees: the invoice pays once, and a
refund - which passes the payment back with the rest of its page, rebuilt here from the ``Paid`` events - never
exceeds what was paid.

The invoice reference (a receipt number or the keccak256 of an e-invoice number, see
:mod:`tenge.payments.invoices`) still travels in the receipt; the invoice *number* is the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tenge.amounts import AmountLike, from_tiyn, to_tiyn
from tenge.errors import InvalidInput, TengeError
from tenge.payments import vat_math
from tenge.payments.ids import BOOK_PAGE_SIZE, book_invoice_of, book_link, book_payment_id, invoice_number, merchant_id
from tenge.payments.invoices import InvoiceLike, describe_invoice_ref
from tenge.payments.logs import scan_events
from tenge.payments.paying import VatPaying
from tenge.payments.records import PaymentReceipt, PaymentRecord, RefundReceipt
from tenge.payments.refunds import VatRefunds
from tenge.token.results import TxResult

#: ``IInvoiceBooks.BookEntry`` as web3.py takes it: (invoiceNo, payer, gross, rateBps).
BookEntry = tuple[int, str, int, int]


@dataclass(frozen=True)
class BookRecord:
    """A book payment rebuilt from the ``Paid`` events of its page and checked against the page's stored chain head:
    ``entry`` and ``later`` (the page's payments after it) with ``head_before`` are what ``refundInvoice`` takes."""

    payment_id: bytes
    head_before: int
    entry: BookEntry
    later: tuple[BookEntry, ...]
    refunded: Decimal

    @property
    def record(self) -> PaymentRecord:
        gross, rate = self.entry[2], self.entry[3]
        return PaymentRecord(self.payment_id, from_tiyn(gross), from_tiyn(vat_math.vat_from_gross(gross, rate)), rate,
                             self.refunded)  # fmt: skip


class VatBooks(VatRefunds, VatPaying):
    """Invoice books (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def book_payment_id(self, merchant: int, invoice_no: int) -> bytes:
        """The payment id of invoice ``invoice_no`` of ``merchant`` (computed locally)."""
        return book_payment_id(merchant, invoice_no)

    def invoice_paid(self, merchant: int, invoice_no: int) -> bool:
        """Whether invoice ``invoice_no`` of ``merchant`` is paid."""
        return bool(self.contract.functions.invoicePaid(merchant_id(merchant), invoice_number(invoice_no)).call())

    def pay_invoice(
        self, merchant: int, invoice_no: int, gross: AmountLike, invoice: InvoiceLike, *, category: int = 0,
        approve: bool = True,
    ) -> PaymentReceipt:  # fmt: skip
        """Pay invoice ``invoice_no`` of ``merchant`` from the signer (reference ``invoice`` in the receipt). With
        ``approve``, an approval of the gross is sent first when the signer's allowance to this contract is short."""
        number = invoice_number(invoice_no)
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        if self.invoice_paid(mid, number):
            raise InvalidInput(f"invoice {number} of merchant {mid} is already paid; nothing was sent")
        if approve and self.token.allowance(self.me, self.address) < value:
            self.quote(mid, value, category=cid)  # the contract's own refusals (merchant, category) before approving
            self.token.approve(self.address, value)
        sent = self._send(
            self.contract.functions.payInvoice(mid, number, to_tiyn(value), cid, ref),
            f"pay invoice {number} of merchant {mid}: {self._fmt(value)} ({describe_invoice_ref(ref)})",
        )
        return self._paid(sent)

    def book_record(self, merchant: int, invoice_no: int) -> BookRecord:
        """The book payment of invoice ``invoice_no`` of ``merchant`` with what a refund passes back, rebuilt from the
        ``Paid`` events of its page; refused when it is not paid, or when the events do not give the stored head."""
        mid, number = merchant_id(merchant), invoice_number(invoice_no)
        first = number - number % BOOK_PAGE_SIZE
        ids = [book_payment_id(mid, n) for n in range(first, min(first + BOOK_PAGE_SIZE, 2**64))]
        events = scan_events(
            self.contract, ["Paid"], self._events_start_block(), int(self.w3.eth.block_number), first_args=ids
        )
        head, position, before = 0, -1, 0
        chain: list[BookEntry] = []
        for event in events:
            located = book_invoice_of(bytes(event.args["paymentId"]))
            if located is None:  # pragma: no cover - the node filtered by payment id
                continue
            entry = (located[1], str(event.args["payer"]), int(event.args["gross"]), int(event.args["rateBps"]))
            if located[1] == number:
                position, before = len(chain), head
            chain.append(entry)
            head = book_link(head, *entry)
        if position < 0:
            raise InvalidInput(f"invoice {number} of merchant {mid} has no payment in the book; nothing was sent")
        _bits, stored = self.contract.functions.bookPage(mid, number).call()
        if head != int.from_bytes(bytes(stored), "big"):
            raise TengeError(
                f"the Paid events of invoice {number}'s page of merchant {mid} do not give the page's stored chain "
                "head (the node's logs are incomplete?); nothing was sent"
            )
        refunded = from_tiyn(int(self.contract.functions.invoiceRefunded(mid, number).call()))
        return BookRecord(book_payment_id(mid, number), before, chain[position], tuple(chain[position + 1 :]), refunded)

    def refund_invoice(
        self, merchant: int, invoice_no: int, amount: AmountLike | None = None, *, approve: bool = True
    ) -> RefundReceipt:
        """Refund ``amount`` (default: all that is left) of the book payment of invoice ``invoice_no``, as the
        merchant's payout address; the payment is passed back as rebuilt by :meth:`book_record`. The net part comes
        from the signer (an approval of it is sent first with ``approve`` when needed), the VAT part from the
        escrow - as :meth:`refund`."""
        mid = merchant_id(merchant)
        book = self.book_record(mid, invoice_no)
        record = book.record
        if amount is None:
            if record.refundable == 0:
                raise InvalidInput(f"invoice {invoice_no} of merchant {mid} is already refunded in full; nothing was sent")
            amount_tiyn = to_tiyn(record.refundable)
        else:
            amount_tiyn = to_tiyn(amount)
        preparations: list[TxResult] = []
        if approve:
            approval = self._refund_approval(mid, record, amount_tiyn)
            if approval is not None:
                preparations.append(self.token.approve(self.address, from_tiyn(approval)))
        entries = [book.entry, *book.later]
        sent = self._send(
            self.contract.functions.refundInvoice(mid, book.head_before.to_bytes(32, "big"), entries, amount_tiyn),
            f"refund {self._fmt(from_tiyn(amount_tiyn))} of invoice {invoice_no} of merchant {mid} to {book.entry[1]}",
        )
        (event,) = [e for e in self._events(sent, "Refunded") if bytes(e["paymentId"]) == book.payment_id]
        recovered = [str(e["recipient"]) for e in self._events(sent, "RefundToRecoveredWallet")]
        return RefundReceipt.from_event(
            event, self._result(sent), tuple(preparations), recovered[0] if recovered else None
        )
