"""Refunds: the merchant's payout address returns (part of) a payment; the VAT part comes from the escrow."""

from __future__ import annotations

from tenge.addresses import checksum_address
from tenge.amounts import AmountLike, from_tiyn, to_tiyn
from tenge.errors import InvalidInput, TengeError
from tenge.payments import vat_math
from tenge.payments.escrow import VatEscrow
from tenge.payments.ids import merchant_id
from tenge.payments.invoices import InvoiceLike, as_invoice_ref, describe_invoice_ref
from tenge.payments.quotes import VatQuotes
from tenge.payments.records import PaymentRecord, RefundReceipt
from tenge.token.results import TxResult


class VatRefunds(VatQuotes, VatEscrow):
    """Refunds (mixed into :class:`~tenge.payments.client.VatPaymentsClient`)."""

    def refund(
        self,
        merchant: int,
        payer: str,
        invoice: InvoiceLike,
        amount: AmountLike | None = None,
        *,
        approve: bool = True,
    ) -> RefundReceipt:
        """Refund ``amount`` (default: all that is left) of a payment, as the merchant's payout address.

        The net part comes from the signer through its allowance to this contract; with ``approve`` an
        approval of exactly the net part is sent first when the allowance is short - but only when the
        contract's own checks would pass, so a refund the contract refuses (``RefundExceedsPayment``,
        ``UnknownPayment``, ``NotMerchantPayout`` ...) is refused from the estimate with nothing sent.
        """
        mid, payer, ref = merchant_id(merchant), checksum_address(payer), as_invoice_ref(invoice)
        record = self.payment(mid, payer, ref)
        if amount is None:
            if record.exists and record.refundable == 0:
                raise InvalidInput(f"payment 0x{record.payment_id.hex()} is already refunded in full; nothing was sent")
            amount_tiyn = to_tiyn(record.refundable)
        else:
            amount_tiyn = to_tiyn(amount)
        preparations: list[TxResult] = []
        if approve:
            approval = self._refund_approval(mid, record, amount_tiyn)
            if approval is not None:
                preparations.append(self.token.approve(self.address, from_tiyn(approval)))
        sent = self._send(
            self.contract.functions.refund(mid, payer, ref, amount_tiyn),
            f"refund {self._fmt(from_tiyn(amount_tiyn))} of invoice {describe_invoice_ref(ref)} to {payer}",
        )
        (event,) = [e for e in self._events(sent, "Refunded") if bytes(e["paymentId"]) == record.payment_id]
        recovered = [str(e["recipient"]) for e in self._events(sent, "RefundToRecoveredWallet")]
        return RefundReceipt.from_event(
            event, self._result(sent), tuple(preparations), recovered[0] if recovered else None
        )

    def _refund_approval(self, merchant: int, record: PaymentRecord, amount_tiyn: int) -> int | None:
        """The allowance the refund needs when the signer's is short and the contract's checks pass, else None."""
        gross, refunded = to_tiyn(record.gross), to_tiyn(record.refunded)
        if not record.exists or not 0 < amount_tiyn <= gross - refunded or self.paused():
            return None
        if self.merchant(merchant).payout != self.me:
            return None
        net, vat_part = vat_math.refund_split(gross, to_tiyn(record.vat), refunded, amount_tiyn)
        escrow = to_tiyn(self.spendable_escrow())  # a frozen part of the escrow cannot fund a refund
        if vat_part and escrow < vat_part:
            treasury = self.treasury()
            backstop = to_tiyn(self.token.allowance(treasury, self.address)) if int(treasury, 16) else 0
            if backstop < vat_part:
                return None  # VatRefundUnfunded: the contract says so from the estimate
            held = to_tiyn(self.token.balance_of(treasury))
            if held < vat_part:
                # The contract takes the whole VAT part from one side; the token would refuse the treasury's
                # transfer only after the merchant's, so say it here, before any approval is sent.
                raise TengeError(
                    f"the refund's VAT part {self._fmt(from_tiyn(vat_part))} must come from the treasury "
                    f"(the escrow can spend {self._fmt(from_tiyn(escrow))}), but the treasury {treasury} holds "
                    f"{self._fmt(from_tiyn(held))}; nothing was sent"
                )
        if net == 0 or to_tiyn(self.token.allowance(self.me, self.address)) >= net:
            return None
        return net
