"""What the VAT payments client returns: merchants, rate schedules, quotes, payments, receipts.

Amounts are :class:`~decimal.Decimal` tenge; rates are basis points (``rate_bps``) with a percentage
alongside in ``to_dict``; ids and references are ``bytes`` (``0x`` hex in ``to_dict``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tenge.amounts import from_tiyn
from tenge.payments.invoices import describe_invoice_ref
from tenge.payments.rates import format_rate
from tenge.token.results import TxResult


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


@dataclass(frozen=True)
class Merchant:
    """A merchant of the registry (``registered == False``: no such merchant)."""

    merchant_id: int
    payout: str
    vat_registered: bool
    default_category: int
    active: bool
    registered: bool
    #: Every VAT category the merchant may be paid under (set by the tax side): its default first, then the others.
    categories: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "merchantId": self.merchant_id,
            "payout": self.payout,
            "vatRegistered": self.vat_registered,
            "defaultCategory": self.default_category,
            "categories": list(self.categories),
            "active": self.active,
            "registered": self.registered,
        }


@dataclass(frozen=True)
class RateSchedule:
    """A category's schedule as it applies now: the rate in force and the pending change, if any."""

    category_id: int
    current_bps: int | None
    pending_bps: int | None
    pending_from: int | None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "categoryId": self.category_id,
            "label": self.label,
            "rateInForceBps": self.current_bps,
            "rateInForce": None if self.current_bps is None else format_rate(self.current_bps),
            "pendingRateBps": self.pending_bps,
            "pendingRate": None if self.pending_bps is None else format_rate(self.pending_bps),
            "pendingFrom": self.pending_from,
        }


@dataclass(frozen=True)
class Quote:
    """How a VAT-inclusive gross amount splits at the rate in force: ``net + vat == gross``."""

    merchant_id: int
    gross: Decimal
    net: Decimal
    vat: Decimal
    rate_bps: int
    category_id: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "merchantId": self.merchant_id,
            "gross": self.gross,
            "net": self.net,
            "vat": self.vat,
            "rateBps": self.rate_bps,
            "rate": format_rate(self.rate_bps),
            "categoryId": self.category_id,
        }


@dataclass(frozen=True)
class PaymentRecord:
    """A payment as the contract keeps it (``exists == False``: none for this merchant, payer, invoice)."""

    payment_id: bytes
    gross: Decimal
    vat: Decimal
    rate_bps: int
    refunded: Decimal

    @property
    def exists(self) -> bool:
        return self.gross > 0

    @property
    def refundable(self) -> Decimal:
        return self.gross - self.refunded

    def to_dict(self) -> dict[str, Any]:
        return {
            "paymentId": _hex(self.payment_id),
            "exists": self.exists,
            "gross": self.gross,
            "vat": self.vat,
            "rateBps": self.rate_bps,
            "rate": format_rate(self.rate_bps),
            "refunded": self.refunded,
            "refundable": self.refundable,
        }


@dataclass(frozen=True)
class PaymentReceipt:
    """A ``Paid`` event: the receipt of one payment (what ``pay_with_permit`` and ``submit_offline_payment``
    return). ``payment_id`` and ``invoice_ref`` are the contract's ``bytes32`` values; :attr:`payment_id_hex` and
    :attr:`invoice` are them as events and ``to_dict()`` show them (``0x…`` hex; the invoice as its text, e.g.
    ``"INV-3001-1"``, or ``0x…`` for a hashed e-invoice number). Amounts are Decimal tenge; ``tx`` the write."""

    payment_id: bytes
    merchant_id: int
    payer: str
    gross: Decimal
    net: Decimal
    vat: Decimal
    rate_bps: int
    category_id: int
    invoice_ref: bytes
    tx: TxResult

    @property
    def invoice(self) -> str:
        """The invoice reference as text (``"INV-3001-1"``), or ``0x…`` hex for a hashed one."""
        return describe_invoice_ref(self.invoice_ref)

    @property
    def payment_id_hex(self) -> str:
        """The payment id as ``0x`` and 64 hex digits (what refunds and reports name)."""
        return _hex(self.payment_id)

    @classmethod
    def from_event(cls, args: Any, tx: TxResult) -> "PaymentReceipt":
        return cls(
            payment_id=bytes(args["paymentId"]),
            merchant_id=int(args["merchantId"]),
            payer=str(args["payer"]),
            gross=from_tiyn(int(args["gross"])),
            net=from_tiyn(int(args["net"])),
            vat=from_tiyn(int(args["vat"])),
            rate_bps=int(args["rateBps"]),
            category_id=int(args["categoryId"]),
            invoice_ref=bytes(args["invoiceRef"]),
            tx=tx,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "paymentId": _hex(self.payment_id),
            "merchantId": self.merchant_id,
            "payer": self.payer,
            "gross": self.gross,
            "net": self.net,
            "vat": self.vat,
            "rateBps": self.rate_bps,
            "rate": format_rate(self.rate_bps),
            "categoryId": self.category_id,
            "invoiceRef": describe_invoice_ref(self.invoice_ref),
            **self.tx.to_dict(),
        }


@dataclass(frozen=True)
class RefundReceipt:
    """A ``Refunded`` event: ``amount == net + vat``; ``vat_from_treasury`` when the escrow was short;
    ``recipient`` is who received it: the payer, or the wallet the payer's was recovered to."""

    payment_id: bytes
    merchant_id: int
    payer: str
    amount: Decimal
    net: Decimal
    vat: Decimal
    total_refunded: Decimal
    vat_from_treasury: bool
    tx: TxResult
    #: Transactions sent before the refund (an approval of the net part), if any.
    preparations: tuple[TxResult, ...] = ()
    #: Who received the refund (None: the payer; else the wallet the payer's was recovered to).
    recovered_wallet: str | None = None

    @property
    def recipient(self) -> str:
        return self.recovered_wallet or self.payer

    @classmethod
    def from_event(
        cls, args: Any, tx: TxResult, preparations: tuple[TxResult, ...] = (), recovered_wallet: str | None = None
    ) -> "RefundReceipt":
        return cls(
            payment_id=bytes(args["paymentId"]),
            merchant_id=int(args["merchantId"]),
            payer=str(args["payer"]),
            amount=from_tiyn(int(args["amount"])),
            net=from_tiyn(int(args["net"])),
            vat=from_tiyn(int(args["vat"])),
            total_refunded=from_tiyn(int(args["totalRefunded"])),
            vat_from_treasury=bool(args["vatFromTreasury"]),
            tx=tx,
            preparations=preparations,
            recovered_wallet=recovered_wallet,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "paymentId": _hex(self.payment_id),
            "merchantId": self.merchant_id,
            "payer": self.payer,
            "amount": self.amount,
            "net": self.net,
            "vat": self.vat,
            "totalRefunded": self.total_refunded,
            "vatFromTreasury": self.vat_from_treasury,
            "recipient": self.recipient,
            "preparations": [p.to_dict() for p in self.preparations],
            **self.tx.to_dict(),
        }


@dataclass(frozen=True)
class EscrowState:
    """Where the VAT sits: the escrow, the part of it that can move (compliance may freeze part of it), the
    part kept back for refunds, what the treasury can withdraw (spendable escrow above the reserve)."""

    treasury: str
    escrow: Decimal
    reserve: Decimal
    withdrawable: Decimal
    paused: bool
    spendable: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "treasury": self.treasury,
            "escrow": self.escrow,
            "spendable": self.spendable,
            "reserve": self.reserve,
            "withdrawable": self.withdrawable,
            "paused": self.paused,
        }


@dataclass(frozen=True)
class WithdrawalReceipt:
    """A ``VatWithdrawn`` event: ``amount`` of escrowed VAT went to the treasury, settling ``settlement_ref``."""

    treasury: str
    amount: Decimal
    settlement_ref: bytes
    tx: TxResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "treasury": self.treasury,
            "amount": self.amount,
            "settlementRef": describe_invoice_ref(self.settlement_ref),
            **self.tx.to_dict(),
        }
