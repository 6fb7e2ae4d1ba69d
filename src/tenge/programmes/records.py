"""What the programme and reward clients return: plain dataclasses in Decimal tenge."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tenge.payments.invoices import describe_invoice_ref
from tenge.token.results import TxResult

MAX_CATEGORY = 255


def purpose_mask(categories: list[int] | tuple[int, ...] | set[int]) -> int:
    """The contract's purpose bitmask: bit c set for each VAT category c (1-255)."""
    from tenge.errors import InvalidInput
    from tenge.payments.ids import category_id

    if not categories:
        raise InvalidInput("a programme's purpose needs at least one VAT category")
    mask = 0
    for c in categories:
        if category_id(c) == 0:
            raise InvalidInput("category 0 means 'the merchant's default' and cannot be part of a purpose")
        mask |= 1 << c
    return mask


def purpose_categories(mask: int) -> list[int]:
    return [c for c in range(1, MAX_CATEGORY + 1) if mask >> c & 1]


@dataclass(frozen=True)
class Programme:
    """Programme ``programme_id`` as the contract holds it: sponsor, purpose categories, validity window (unix
    seconds), daily limit, budget code and the unallocated and outstanding amounts in tenge."""

    programme_id: int
    sponsor: str
    purpose: list[int]
    valid_from: int
    expiry: int
    daily_limit: Decimal | None
    transferable: bool
    budget_code: bytes
    unallocated: Decimal
    outstanding: Decimal
    closed: bool

    @property
    def locked(self) -> Decimal:
        """What the programme holds in all: unallocated plus outstanding vouchers, in tenge."""
        return self.unallocated + self.outstanding

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {
            "programmeId": self.programme_id,
            "sponsor": self.sponsor,
            "purpose": self.purpose,
            "validFrom": self.valid_from,
            "expiry": self.expiry,
            "dailyLimit": self.daily_limit,
            "transferable": self.transferable,
            "budgetCode": "0x" + self.budget_code.hex(),
            "unallocated": self.unallocated,
            "outstanding": self.outstanding,
            "locked": self.locked,
            "closed": self.closed,
        }


@dataclass(frozen=True)
class Allocation:
    """One batch transaction of an allocation."""

    programme_id: int
    beneficiaries: int
    total: Decimal
    tx: TxResult

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"programmeId": self.programme_id, "beneficiaries": self.beneficiaries, "total": self.total,
                **self.tx.to_dict()}  # fmt: skip


@dataclass(frozen=True)
class SpendReceipt:
    """A programme spend: the programme's ``VoucherSpent`` joined with VatPayments' ``Paid`` of the same tx."""

    programme_id: int
    beneficiary: str
    merchant_id: int
    payment_id: bytes
    amount: Decimal
    net: Decimal
    vat: Decimal
    rate_bps: int
    category_id: int
    invoice_ref: bytes
    tx: TxResult
    #: The reference VatPayments recorded the payment under (its ``Paid`` receipt): the invoice bound to the
    #: beneficiary, so no other holder can pre-empt it. The merchant refunds by this reference.
    vat_invoice_ref: bytes

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {
            "programmeId": self.programme_id,
            "beneficiary": self.beneficiary,
            "merchantId": self.merchant_id,
            "paymentId": "0x" + self.payment_id.hex(),
            "amount": self.amount,
            "net": self.net,
            "vat": self.vat,
            "rateBps": self.rate_bps,
            "categoryId": self.category_id,
            "invoiceRef": describe_invoice_ref(self.invoice_ref),
            "vatInvoiceRef": "0x" + self.vat_invoice_ref.hex(),
            **self.tx.to_dict(),
        }


@dataclass(frozen=True)
class RewardPool:
    """Reward pool ``pool_id``: sponsor, attester, caps per claim and per period and balance in tenge, flags."""

    pool_id: int
    sponsor: str
    attester: str
    max_per_claim: Decimal
    period_cap: Decimal
    balance: Decimal
    paused: bool
    closed: bool
    budget_code: bytes

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {
            "poolId": self.pool_id,
            "sponsor": self.sponsor,
            "attester": self.attester,
            "maxPerClaim": self.max_per_claim,
            "periodCap": self.period_cap,
            "balance": self.balance,
            "paused": self.paused,
            "closed": self.closed,
            "budgetCode": "0x" + self.budget_code.hex(),
        }


@dataclass(frozen=True)
class ClaimReceipt:
    """A paid claim: pool, beneficiary, period, the amount in tenge and the transaction."""

    pool_id: int
    beneficiary: str
    period: int
    amount: Decimal
    tx: TxResult

    def to_dict(self) -> dict[str, Any]:
        """These fields as a dict of plain values (Decimal amounts); ``--json`` prints it in snake_case."""
        return {"poolId": self.pool_id, "beneficiary": self.beneficiary, "period": self.period,
                "amount": self.amount, **self.tx.to_dict()}  # fmt: skip
