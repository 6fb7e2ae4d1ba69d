"""Quotes and payment records: how a gross splits into net and VAT, and what a payment holds on chain."""

from __future__ import annotations

from decimal import Decimal

from tenge.amounts import AmountLike, from_tiyn, parse_tenge, to_tiyn
from tenge.errors import InvalidInput
from tenge.payments import vat_math
from tenge.payments.base import view
from tenge.payments.ids import category_id, payment_id
from tenge.payments.invoices import InvoiceLike, as_invoice_ref
from tenge.payments.merchants import VatMerchants
from tenge.payments.records import PaymentRecord, Quote
from tenge.payments.schedules import VatRates


class VatQuotes(VatMerchants, VatRates):
    """Quotes and payment records (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    @staticmethod
    def split(gross: AmountLike, rate_bps: int) -> tuple[Decimal, Decimal]:
        """(net, VAT) of a VAT-inclusive ``gross`` at ``rate_bps``, by the contract's rounding rule."""
        gross_tiyn = to_tiyn(gross)
        if gross_tiyn > vat_math.MAX_PAYMENT_TIYN:
            raise InvalidInput(f"{gross} is above what a payment can hold (2^96 - 1 tiyn)")
        net, vat = vat_math.split_gross(gross_tiyn, rate_bps)
        return from_tiyn(net), from_tiyn(vat)

    def quote(self, merchant: int, gross: AmountLike, category: int = 0) -> Quote:
        """How ``gross`` would split if paid now: the merchant's registration and the rate in force at the
        latest block, split in Python by the contract's rule (a payment mined later can meet a rate change)."""
        record = self.merchant(merchant)
        value = parse_tenge(gross, allow_zero=False)
        cid = category_id(category)
        if not record.registered or not record.active or cid not in (0, *record.categories):
            # Let the contract name it (UnknownMerchant / MerchantInactive / CategoryNotAllowed).
            view(self.contract.functions.quote(record.merchant_id, to_tiyn(value), cid), "quote")
        applied = record.default_category if cid == 0 else cid
        rate = self.rate_in_force(applied) if record.vat_registered else 0
        net, vat = self.split(value, rate)
        return Quote(record.merchant_id, from_tiyn(to_tiyn(value)), net, vat, rate, applied)

    def payment_id(self, merchant: int, payer: str, invoice: InvoiceLike) -> bytes:
        """The id of the payment of ``payer`` to ``merchant`` for ``invoice`` (one payment per invoice)."""
        return payment_id(merchant, payer, as_invoice_ref(invoice))

    def payment(self, merchant: int, payer: str, invoice: InvoiceLike) -> PaymentRecord:
        """The payment of ``payer`` to ``merchant`` for ``invoice``: gross, VAT, rate and refunded so far."""
        pid = self.payment_id(merchant, payer, invoice)
        return self.payment_by_id(pid)

    def payment_by_id(self, pid: bytes) -> PaymentRecord:
        """The payment with id ``pid`` (as events and receipts show it)."""
        gross, vat, rate, refunded = self.contract.functions.payment(bytes(pid)).call()
        return PaymentRecord(bytes(pid), from_tiyn(gross), from_tiyn(vat), int(rate), from_tiyn(refunded))
