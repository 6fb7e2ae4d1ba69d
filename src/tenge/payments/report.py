"""The VAT report: per merchant, category and rate over a period, built from the contract's events,
and reconciled to the tiyn with what the treasury received and what the escrow holds.

Rows come from ``Paid`` and ``Refunded`` events whose block lies in the period. A refund counts in the
period it happens, at the rate and category of the payment it reverses (a January refund of a
December payment made at 12 % lowers January's VAT due at 12 %).

Reconciliation covers every merchant from deployment to the period's last block, because the escrow
is one pool::

    VAT due (collected - refunded, all merchants)
      == treasury received (withdrawn - refunds the treasury funded)  +  escrow balance at that block

A difference means tokens reached the escrow outside a payment (a direct transfer shows as a
surplus) - or a bug; either way the report says so rather than hiding it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from web3.exceptions import Web3RPCError

from tenge.amounts import from_tiyn
from tenge.errors import TengeError
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS, EventLog, first_block_at_or_after, scan_events
from tenge.payments.periods import Period
from tenge.payments.rates import format_rate

if TYPE_CHECKING:
    from tenge.payments.client import VatPaymentsClient

REPORT_EVENTS = ("Paid", "Refunded", "VatWithdrawn", "CategoryLabelled")


@dataclass
class VatTotals:
    """Sums in tiyn (integers: the report is exact)."""

    payments: int = 0
    gross: int = 0
    net: int = 0
    vat: int = 0
    refunds: int = 0
    refunded_gross: int = 0
    refunded_net: int = 0
    refunded_vat: int = 0

    @property
    def vat_due(self) -> int:
        """VAT collected minus VAT refunded."""
        return self.vat - self.refunded_vat

    def add_payment(self, gross: int, net: int, vat: int) -> None:
        self.payments += 1
        self.gross += gross
        self.net += net
        self.vat += vat

    def add_refund(self, amount: int, net: int, vat: int) -> None:
        self.refunds += 1
        self.refunded_gross += amount
        self.refunded_net += net
        self.refunded_vat += vat

    def add(self, other: "VatTotals") -> None:
        for name in ("payments", "gross", "net", "vat", "refunds", "refunded_gross", "refunded_net", "refunded_vat"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict[str, Any]:
        return {
            "payments": self.payments,
            "gross": from_tiyn(self.gross),
            "net": from_tiyn(self.net),
            "vat": from_tiyn(self.vat),
            "refunds": self.refunds,
            "refundedGross": from_tiyn(self.refunded_gross),
            "refundedNet": from_tiyn(self.refunded_net),
            "refundedVat": from_tiyn(self.refunded_vat),
            "vatDue": from_tiyn(self.vat_due),
        }


@dataclass(frozen=True)
class VatReportRow:
    merchant_id: int
    category_id: int
    category_label: str | None
    rate_bps: int
    totals: VatTotals

    def to_dict(self) -> dict[str, Any]:
        return {
            "merchantId": self.merchant_id,
            "categoryId": self.category_id,
            "categoryLabel": self.category_label,
            "rateBps": self.rate_bps,
            "rate": format_rate(self.rate_bps),
            **self.totals.to_dict(),
        }


@dataclass(frozen=True)
class Withdrawal:
    block_number: int
    tx_hash: str
    treasury: str
    amount: int
    settlement_ref: bytes


@dataclass(frozen=True)
class Reconciliation:
    """The escrow identity at ``as_of_block``, over all merchants since deployment, in tiyn."""

    as_of_block: int
    vat_collected: int
    vat_refunded: int
    vat_withdrawn: int
    vat_refunded_by_treasury: int
    escrow_balance: int

    @property
    def vat_due(self) -> int:
        return self.vat_collected - self.vat_refunded

    @property
    def treasury_received(self) -> int:
        """What the treasury kept: withdrawals minus the refunds it funded through its allowance."""
        return self.vat_withdrawn - self.vat_refunded_by_treasury

    @property
    def difference(self) -> int:
        """VAT due minus (treasury received + escrow): 0 when reconciled; negative is an escrow surplus."""
        return self.vat_due - (self.treasury_received + self.escrow_balance)

    @property
    def reconciled(self) -> bool:
        return self.difference == 0

    def explain(self) -> str:
        if self.reconciled:
            return "reconciled: VAT due == treasury received + escrow, to the tiyn"
        if self.difference < 0:
            return (
                f"NOT reconciled: the escrow holds {from_tiyn(-self.difference)} more than the events account for "
                "(tokens sent to the contract directly?)"
            )
        return f"NOT reconciled: {from_tiyn(self.difference)} of VAT due is neither with the treasury nor in escrow"

    def to_dict(self) -> dict[str, Any]:
        return {
            "asOfBlock": self.as_of_block,
            "vatCollected": from_tiyn(self.vat_collected),
            "vatRefunded": from_tiyn(self.vat_refunded),
            "vatDue": from_tiyn(self.vat_due),
            "vatWithdrawn": from_tiyn(self.vat_withdrawn),
            "vatRefundedByTreasury": from_tiyn(self.vat_refunded_by_treasury),
            "treasuryReceived": from_tiyn(self.treasury_received),
            "escrowBalance": from_tiyn(self.escrow_balance),
            "difference": from_tiyn(self.difference),
            "reconciled": self.reconciled,
        }


@dataclass(frozen=True)
class VatReport:
    contract: str
    chain_id: int
    currency: str
    period: Period
    #: Blocks of the period (``from_block > to_block``: the period holds no block).
    from_block: int
    to_block: int
    #: The merchants asked for (None: all).
    merchant_filter: tuple[int, ...] | None
    rows: tuple[VatReportRow, ...]
    withdrawals: tuple[Withdrawal, ...]
    reconciliation: Reconciliation
    merchant_totals: dict[int, VatTotals] = field(default_factory=dict)

    @property
    def totals(self) -> VatTotals:
        total = VatTotals()
        for row in self.rows:
            total.add(row.totals)
        return total

    @property
    def withdrawn_in_period(self) -> int:
        return sum(w.amount for w in self.withdrawals)


def _period_blocks(client: "VatPaymentsClient", period: Period, latest: int) -> tuple[int, int]:
    low = client.deployment_block
    first = low if period.start is None else first_block_at_or_after(client.w3, period.start, low, latest)
    last = latest if period.end is None else first_block_at_or_after(client.w3, period.end, low, latest) - 1
    return first, last


def build_report(
    client: "VatPaymentsClient",
    *,
    merchants: Iterable[int] | None = None,
    period: Period | None = None,
    chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
    source: str = "auto",
    index_url: str | None = None,
) -> VatReport:
    """``source``: "index" reads the event index (syncing it first), "scan" reads every event from the chain,
    "auto" (default) uses the index when one exists (see :func:`tenge.index.service.has_index`)."""
    if source != "scan":
        from tenge.index.report_source import report_from_index

        report = report_from_index(client, source == "index", index_url, merchants, period, chunk_blocks)
        if report is not None:
            return report
    period = period or Period()
    wanted = None if merchants is None else tuple(sorted({int(m) for m in merchants}))
    latest = int(client.w3.eth.block_number)
    first, last = _period_blocks(client, period, latest)
    events = scan_events(client.contract, REPORT_EVENTS, client.deployment_block, last, chunk_blocks=chunk_blocks)
    return _assemble(client, period, wanted, first, last, events)


def _assemble(
    client: "VatPaymentsClient",
    period: Period,
    wanted: tuple[int, ...] | None,
    first: int,
    last: int,
    events: list[EventLog],
) -> VatReport:
    labels: dict[int, str] = {}
    #: payment id -> (merchant, category, rate) of its Paid event
    paid: dict[bytes, tuple[int, int, int]] = {}
    rows: dict[tuple[int, int, int], VatTotals] = {}
    withdrawals: list[Withdrawal] = []
    collected = refunded = withdrawn = refunded_by_treasury = 0

    def row(key: tuple[int, int, int]) -> VatTotals:
        return rows.setdefault(key, VatTotals())

    for event in events:
        args = event.args
        in_period = event.block_number >= first
        if event.name == "CategoryLabelled":
            labels[int(args["categoryId"])] = str(args["label"])
        elif event.name == "Paid":
            key = (int(args["merchantId"]), int(args["categoryId"]), int(args["rateBps"]))
            paid[bytes(args["paymentId"])] = key
            collected += int(args["vat"])
            if in_period and (wanted is None or key[0] in wanted):
                row(key).add_payment(int(args["gross"]), int(args["net"]), int(args["vat"]))
        elif event.name == "Refunded":
            refunded += int(args["vat"])
            if args["vatFromTreasury"]:
                refunded_by_treasury += int(args["vat"])
            pid = bytes(args["paymentId"])
            key = paid.get(pid) or _unscanned_payment(client, pid, int(args["merchantId"]))
            if in_period and (wanted is None or key[0] in wanted):
                row(key).add_refund(int(args["amount"]), int(args["net"]), int(args["vat"]))
        elif event.name == "VatWithdrawn":
            withdrawn += int(args["amount"])
            if in_period:
                withdrawals.append(
                    Withdrawal(event.block_number, event.tx_hash, str(args["treasury"]), int(args["amount"]),
                               bytes(args["settlementRef"]))
                )  # fmt: skip

    report_rows = tuple(
        VatReportRow(m, c, labels.get(c), r, totals) for (m, c, r), totals in sorted(rows.items())
    )
    merchant_totals: dict[int, VatTotals] = {}
    for report_row in report_rows:
        merchant_totals.setdefault(report_row.merchant_id, VatTotals()).add(report_row.totals)
    reconciliation = Reconciliation(
        as_of_block=last,
        vat_collected=collected,
        vat_refunded=refunded,
        vat_withdrawn=withdrawn,
        vat_refunded_by_treasury=refunded_by_treasury,
        escrow_balance=_escrow_at(client, last),
    )
    return VatReport(
        contract=client.address,
        chain_id=int(client.w3.eth.chain_id),
        currency=client.currency,
        period=period,
        from_block=first,
        to_block=last,
        merchant_filter=wanted,
        rows=report_rows,
        withdrawals=tuple(withdrawals),
        reconciliation=reconciliation,
        merchant_totals=merchant_totals,
    )


def _unscanned_payment(client: "VatPaymentsClient", pid: bytes, merchant: int) -> tuple[int, int, int]:
    """A refunded payment whose ``Paid`` event lies before the scan (a record that starts late): its rate
    from the contract; its category is unknown there and reported as 0."""
    return (merchant, 0, client.payment_by_id(pid).rate_bps)


def _escrow_at(client: "VatPaymentsClient", block: int) -> int:
    if block < client.deployment_block:
        return 0
    try:
        return int(client.contract.functions.escrowBalance().call(block_identifier=block))
    except Web3RPCError as exc:
        raise TengeError(
            f"the node cannot read the escrow at block {block} ({exc}); it keeps no state that old - "
            "report up to now (no --to) or use an archive RPC endpoint"
        ) from None
