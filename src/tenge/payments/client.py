"""VatPaymentsClient: VAT collected by smart contract, from Python, in Decimal tenge.

    from tenge.session import Session
    vat = Session.open("local", account="dev:2").payments()
    vat.quote(1001, "1160.00")                       # Quote(net=1000.00, vat=160.00, rate_bps=1600, ...)
    vat.pay_with_permit(1001, "1160.00", "R-000123")  # PaymentReceipt: the Paid event

Integers in tiyn appear only where this module calls the contract. Every write is estimated first,
so a call the contract (or the token) would reject raises the decoded custom error
(``tenge.errors.MerchantInactive``, ``tenge.errors.AccountFrozen`` ...) and sends nothing.

Paying needs no prior ``approve``: :meth:`pay_with_permit` signs an EIP-2612 permit for the gross and
pays in one transaction; :meth:`pay_with_authorization` signs an EIP-3009 ``ReceiveWithAuthorization``
bound to merchant, category and invoice; :meth:`sign_offline_payment` does the same with no
connection needed by the payer, for the merchant to :meth:`submit_offline_payment` later.

The client is composed of parts, each owning one thing (like :mod:`tenge.token`):
:mod:`~tenge.payments.base` (contract, account, how writes are sent), :mod:`~tenge.payments.access`
(roles, pause), :mod:`~tenge.payments.merchants`, :mod:`~tenge.payments.schedules` (rates),
:mod:`~tenge.payments.quotes` (quotes, payment records), :mod:`~tenge.payments.paying`,
:mod:`~tenge.payments.refunds`, :mod:`~tenge.payments.books` (invoice books: ``pay_invoice``,
``refund_invoice``, the cheaper way to pay a numbered invoice) and :mod:`~tenge.payments.escrow` (treasury, reserve,
withdrawals).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tenge.errors import InvalidInput
from tenge.payments.base import VAT_KEY, VatClientBase
from tenge.payments.books import VatBooks
from tenge.payments.invoices import InvoiceLike, as_invoice_ref
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS
from tenge.payments.paying import DEFAULT_AUTHORIZATION_SECONDS

if TYPE_CHECKING:
    from tenge.payments.periods import Period
    from tenge.payments.report import VatReport

__all__ = ["DEFAULT_AUTHORIZATION_SECONDS", "VAT_KEY", "InvoiceLike", "VatClientBase", "VatPaymentsClient", "as_invoice_ref"]


class VatPaymentsClient(VatBooks):
    """The VatPayments contract of a session's deployment (or at ``address``); ``events(...)`` / ``follow(...)``
    yield its events decoded (from its deployment block by default)."""

    def report(
        self,
        *,
        merchants: Iterable[int] | None = None,
        period: "Period | None" = None,
        chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
        source: str = "auto",
        index_url: str | None = None,
    ) -> "VatReport":
        """The VAT report per merchant, category and rate for ``period``, reconciled with the escrow; from the
        event index when one exists (``source="auto"``), or ``"index"``/``"scan"`` explicitly.

        A merchant in ``merchants`` the registry never registered is refused (:class:`~tenge.errors.InvalidInput`),
        not reported as empty: a typo in a merchant id must not read as "owes no VAT"."""
        from tenge.payments.report import build_report

        if merchants is not None:
            merchants = tuple(merchants)
            for mid in sorted(set(merchants)):
                if not self.merchant(mid).registered:
                    raise InvalidInput(
                        f"merchant {mid} is not registered on VatPayments {self.address}: there is no report for it"
                    )

        return build_report(self, merchants=merchants, period=period, chunk_blocks=chunk_blocks, source=source,
                            index_url=index_url)  # fmt: skip
