"""The VAT report from the index: SQL sums over the indexed ``Paid``/``Refunded``/``VatWithdrawn`` rows up to
the index's last final block, plus a direct scan of the few blocks after it. Same rules and the same
:class:`~tenge.payments.report.VatReport` as the scan in :mod:`tenge.payments.report`, row for row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, func, select

from tenge.index.reader import synced_to
from tenge.index.schema import table
from tenge.payments.logs import DEFAULT_CHUNK_BLOCKS, scan_events
from tenge.payments.periods import Period
from tenge.payments.report import (
    REPORT_EVENTS,
    Reconciliation,
    VatReport,
    VatReportRow,
    VatTotals,
    Withdrawal,
    _escrow_at,
    _period_blocks,
    _unscanned_payment,
)

if TYPE_CHECKING:
    from tenge.payments.client import VatPaymentsClient

Key = tuple[int, int, int]


class _Sums:
    def __init__(self) -> None:
        self.rows: dict[Key, VatTotals] = {}
        self.labels: dict[int, str] = {}
        self.withdrawals: list[Withdrawal] = []
        self.collected = self.refunded = self.withdrawn = self.refunded_by_treasury = 0

    def row(self, key: Key) -> VatTotals:
        return self.rows.setdefault(key, VatTotals())


def _indexed(engine: Engine, sums: _Sums, first: int, bound: int, wanted: tuple[int, ...] | None, client: "VatPaymentsClient") -> None:
    paid, refunded = table("vat_paid"), table("vat_refunded")
    withdrawn, labelled = table("vat_vat_withdrawn"), table("vat_category_labelled")
    key_columns = (paid.c.merchant_id, paid.c.category_id, paid.c.rate_bps)
    with engine.connect() as db:
        in_period = and_(paid.c.block_number >= first, paid.c.block_number <= bound)
        if wanted is not None:
            in_period = and_(in_period, paid.c.merchant_id.in_(wanted))
        query = select(*key_columns, func.count(), func.sum(paid.c.gross), func.sum(paid.c.net), func.sum(paid.c.vat))
        for m, c, r, count, gross, net, vat in db.execute(query.where(in_period).group_by(*key_columns)):
            totals = sums.row((int(m), int(c), int(r)))
            totals.payments += int(count)
            totals.gross, totals.net, totals.vat = totals.gross + int(gross), totals.net + int(net), totals.vat + int(vat)
        refund_period = and_(refunded.c.block_number >= first, refunded.c.block_number <= bound)
        query = (
            select(*key_columns, func.count(), func.sum(refunded.c.amount), func.sum(refunded.c.net), func.sum(refunded.c.vat))
            .join_from(refunded, paid, refunded.c.payment_id == paid.c.payment_id)
            .where(refund_period if wanted is None else and_(refund_period, paid.c.merchant_id.in_(wanted)))
            .group_by(*key_columns)
        )
        for m, c, r, count, amount, net, vat in db.execute(query):
            totals = sums.row((int(m), int(c), int(r)))
            totals.refunds += int(count)
            totals.refunded_gross += int(amount)
            totals.refunded_net += int(net)
            totals.refunded_vat += int(vat)
        orphans = (
            select(refunded.c.payment_id, refunded.c.merchant_id, refunded.c.amount, refunded.c.net, refunded.c.vat)
            .outerjoin_from(refunded, paid, refunded.c.payment_id == paid.c.payment_id)
            .where(and_(refund_period, paid.c.payment_id.is_(None)))
        )
        for pid, merchant, amount, net, vat in db.execute(orphans):  # refunds of payments before the index began
            key = _unscanned_payment(client, bytes.fromhex(str(pid)[2:]), int(merchant))
            if wanted is None or key[0] in wanted:
                sums.row(key).add_refund(int(amount), int(net), int(vat))
        sums.collected = int(db.execute(select(func.coalesce(func.sum(paid.c.vat), 0)).where(paid.c.block_number <= bound)).scalar_one())
        upto = refunded.c.block_number <= bound
        sums.refunded = int(db.execute(select(func.coalesce(func.sum(refunded.c.vat), 0)).where(upto)).scalar_one())
        sums.refunded_by_treasury = int(db.execute(
            select(func.coalesce(func.sum(refunded.c.vat), 0)).where(and_(upto, refunded.c.vat_from_treasury.is_(True)))
        ).scalar_one())  # fmt: skip
        sums.withdrawn = int(db.execute(
            select(func.coalesce(func.sum(withdrawn.c.amount), 0)).where(withdrawn.c.block_number <= bound)
        ).scalar_one())  # fmt: skip
        rows = db.execute(select(withdrawn).where(and_(withdrawn.c.block_number >= first, withdrawn.c.block_number <= bound))
                          .order_by(withdrawn.c.block_number, withdrawn.c.log_index)).mappings()  # fmt: skip
        for w in rows:
            sums.withdrawals.append(Withdrawal(int(w["block_number"]), str(w["tx_hash"]), str(w["treasury"]),
                                               int(w["amount"]), bytes.fromhex(str(w["settlement_ref"])[2:])))  # fmt: skip
        for cid, label in db.execute(select(labelled.c.category_id, labelled.c.label).where(labelled.c.block_number <= bound)
                                     .order_by(labelled.c.block_number, labelled.c.log_index)):  # fmt: skip
            sums.labels[int(cid)] = str(label)


def _payment_key(engine: Engine, pid: bytes) -> Key | None:
    paid = table("vat_paid")
    with engine.connect() as db:
        found = db.execute(select(paid.c.merchant_id, paid.c.category_id, paid.c.rate_bps)
                           .where(paid.c.payment_id == "0x" + pid.hex())).first()  # fmt: skip
    return None if found is None else (int(found[0]), int(found[1]), int(found[2]))


def _tail(engine: Engine, client: "VatPaymentsClient", sums: _Sums, events: list[Any], first: int, wanted: tuple[int, ...] | None) -> None:
    """The blocks after the index's last final block, scanned: the same rules as the scan's report."""
    paid: dict[bytes, Key] = {}
    for event in events:
        args, in_period = event.args, event.block_number >= first
        if event.name == "CategoryLabelled":
            sums.labels[int(args["categoryId"])] = str(args["label"])
        elif event.name == "Paid":
            key = (int(args["merchantId"]), int(args["categoryId"]), int(args["rateBps"]))
            paid[bytes(args["paymentId"])] = key
            sums.collected += int(args["vat"])
            if in_period and (wanted is None or key[0] in wanted):
                sums.row(key).add_payment(int(args["gross"]), int(args["net"]), int(args["vat"]))
        elif event.name == "Refunded":
            sums.refunded += int(args["vat"])
            if args["vatFromTreasury"]:
                sums.refunded_by_treasury += int(args["vat"])
            pid = bytes(args["paymentId"])
            key = paid.get(pid) or _payment_key(engine, pid) or _unscanned_payment(client, pid, int(args["merchantId"]))
            if in_period and (wanted is None or key[0] in wanted):
                sums.row(key).add_refund(int(args["amount"]), int(args["net"]), int(args["vat"]))
        elif event.name == "VatWithdrawn":
            sums.withdrawn += int(args["amount"])
            if in_period:
                sums.withdrawals.append(Withdrawal(event.block_number, event.tx_hash, str(args["treasury"]),
                                                   int(args["amount"]), bytes(args["settlementRef"])))  # fmt: skip


def indexed_to(engine: Engine, client: "VatPaymentsClient") -> int | None:
    """How far the index holds this VatPayments contract's events (None: it does not follow it)."""
    from tenge.index.reader import followed_addresses

    cursors = synced_to(engine)
    key = followed_addresses(engine).get(client.address)
    return None if key is None else cursors.get(key)


def build_report_from_index(
    client: "VatPaymentsClient",
    engine: Engine,
    *,
    merchants: Any = None,
    period: Period | None = None,
    chunk_blocks: int = DEFAULT_CHUNK_BLOCKS,
) -> VatReport:
    period = period or Period()
    wanted = None if merchants is None else tuple(sorted({int(m) for m in merchants}))
    latest = int(client.w3.eth.block_number)
    first, last = _period_blocks(client, period, latest)
    held = indexed_to(engine, client)
    if held is None:
        from tenge.errors import TengeError

        raise TengeError(f"the index does not follow VatPayments at {client.address}")
    bound = min(last, held)
    sums = _Sums()
    _indexed(engine, sums, first, bound, wanted, client)
    if last > bound:
        _tail(engine, client, sums, scan_events(client.contract, REPORT_EVENTS, bound + 1, last, chunk_blocks=chunk_blocks), first, wanted)
    rows = tuple(VatReportRow(m, c, sums.labels.get(c), r, totals) for (m, c, r), totals in sorted(sums.rows.items()))
    merchant_totals: dict[int, VatTotals] = {}
    for row in rows:
        merchant_totals.setdefault(row.merchant_id, VatTotals()).add(row.totals)
    reconciliation = Reconciliation(
        as_of_block=last, vat_collected=sums.collected, vat_refunded=sums.refunded, vat_withdrawn=sums.withdrawn,
        vat_refunded_by_treasury=sums.refunded_by_treasury, escrow_balance=_escrow_at(client, last),
    )  # fmt: skip
    return VatReport(
        contract=client.address, chain_id=int(client.w3.eth.chain_id), currency=client.currency, period=period,
        from_block=first, to_block=last, merchant_filter=wanted, rows=rows, withdrawals=tuple(sums.withdrawals),
        reconciliation=reconciliation, merchant_totals=merchant_totals,
    )  # fmt: skip
