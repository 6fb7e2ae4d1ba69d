"""Paying a merchant: through an allowance, with an EIP-2612 permit, or with an EIP-3009 authorization
(signed here, or offline by the payer and submitted later by anyone)."""

from __future__ import annotations

from decimal import Decimal

from tenge.amounts import AmountLike, parse_tenge, to_tiyn
from tenge.chain.transactions import SentTransaction
from tenge.errors import InvalidInput
from tenge.payments import vat_math
from tenge.payments.base import VatClientBase
from tenge.payments.ids import authorization_nonce, category_id, merchant_id
from tenge.payments.invoices import InvoiceLike, as_invoice_ref, describe_invoice_ref
from tenge.payments.offline import OfflineVatPayment, decode_offline_vat_payment, sign_offline_vat_payment
from tenge.payments.records import PaymentReceipt
from tenge.token.authorizations import sign_permit
from tenge.token.client import DEFAULT_PERMIT_SECONDS
from tenge.token.offline import DEFAULT_VALID_FOR_SECONDS

#: Default lifetime of an online EIP-3009 payment authorization (signed and submitted at once).
DEFAULT_AUTHORIZATION_SECONDS = 3600


class VatPaying(VatClientBase):
    """The ways to pay (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def pay(self, merchant: int, gross: AmountLike, invoice: InvoiceLike, *, category: int = 0) -> PaymentReceipt:
        """Pay from the signer through its existing allowance to this contract (see the approve-less methods)."""
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        sent = self._send(
            self.contract.functions.pay(mid, to_tiyn(value), cid, ref), self._describe_payment(mid, value, ref)
        )
        return self._paid(sent)

    def pay_with_permit(
        self, merchant: int, gross: AmountLike, invoice: InvoiceLike, *, category: int = 0, deadline: int | None = None
    ) -> PaymentReceipt:
        """Pay from the signer with an EIP-2612 permit for the gross, signed here: no prior approve."""
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        payer = self.session.signer.account
        when = self.block_time() + DEFAULT_PERMIT_SECONDS if deadline is None else int(deadline)
        signed = sign_permit(
            payer, self.token.domain, spender=self.address, value=value,
            nonce=self.token.permit_nonce(payer.address), deadline=when,
        )  # fmt: skip
        sig = signed.signature
        sent = self._send(
            self.contract.functions.payWithPermit(mid, to_tiyn(value), cid, ref, when, sig.v, sig.r, sig.s),
            self._describe_payment(mid, value, ref) + " with a permit",
        )
        return self._paid(sent)

    def pay_with_authorization(
        self,
        merchant: int,
        gross: AmountLike,
        invoice: InvoiceLike,
        *,
        category: int = 0,
        valid_for_seconds: int = DEFAULT_AUTHORIZATION_SECONDS,
    ) -> PaymentReceipt:
        """Pay from the signer with an EIP-3009 authorization signed here and submitted at once."""
        payment = self.sign_offline_payment(
            merchant, gross, invoice, category=category, valid_for_seconds=valid_for_seconds, now=self.block_time()
        )
        return self.submit_offline_payment(payment)

    def sign_offline_payment(
        self,
        merchant: int,
        gross: AmountLike,
        invoice: InvoiceLike,
        *,
        category: int = 0,
        valid_for_seconds: int = DEFAULT_VALID_FOR_SECONDS,
        now: int | None = None,
    ) -> OfflineVatPayment:
        """Sign as this session's signer a payment the merchant submits later (``.encode()`` gives the string).

        For signing on a device with no connection use
        :func:`tenge.payments.offline.sign_offline_vat_payment` with the domain from the deployment record.
        """
        mid, value, ref, cid = self._payment_args(merchant, gross, invoice, category)
        return sign_offline_vat_payment(
            self.session.signer.account, self.token.domain, vat_payments=self.address, merchant=mid, gross=value,
            invoice_ref=ref, category=cid, valid_for_seconds=valid_for_seconds, now=now,
        )  # fmt: skip

    def decode_offline_payment(self, text: str) -> OfflineVatPayment:
        """Decode and verify an offline VAT payment string for this deployment (nothing is sent)."""
        return decode_offline_vat_payment(text, self.token.domain, self.address)

    def submit_offline_payment(self, payment: str | OfflineVatPayment) -> PaymentReceipt:
        """Verify (chain, token, contract, signature) and submit; the signer pays the gas (anyone may submit)."""
        if isinstance(payment, str):
            payment = self.decode_offline_payment(payment)
        else:
            payment.verify(self.token.domain, self.address)
        auth, sig = payment.authorization, payment.signed.signature
        sent = self._send(
            self.contract.functions.payWithAuthorization(
                auth.from_address, payment.merchant_id, auth.value_tiyn, payment.category_id, payment.invoice_ref,
                auth.valid_after, auth.valid_before, sig.v, sig.r, sig.s,
            ),  # fmt: skip
            self._describe_payment(payment.merchant_id, auth.value, payment.invoice_ref)
            + f" authorized by {auth.from_address}",
        )
        return self._paid(sent)

    def authorization_nonce(self, merchant: int, category: int, invoice: InvoiceLike) -> bytes:
        """The EIP-3009 nonce binding a payment authorization to merchant, category and invoice."""
        return authorization_nonce(self.address, merchant, category, as_invoice_ref(invoice))

    def _payment_args(
        self, merchant: int, gross: AmountLike, invoice: InvoiceLike, category: int
    ) -> tuple[int, Decimal, bytes, int]:
        value = parse_tenge(gross, allow_zero=False)
        if to_tiyn(value) > vat_math.MAX_PAYMENT_TIYN:
            raise InvalidInput(f"{value} is above what a payment can hold (2^96 - 1 tiyn)")
        return merchant_id(merchant), value, as_invoice_ref(invoice), category_id(category)

    def _describe_payment(self, merchant: int, gross: Decimal, ref: bytes) -> str:
        return f"pay merchant {merchant} {self._fmt(gross)} for invoice {describe_invoice_ref(ref)}"

    def _paid(self, sent: SentTransaction) -> PaymentReceipt:
        (event,) = self._events(sent, "Paid")
        return PaymentReceipt.from_event(event, self._result(sent))

