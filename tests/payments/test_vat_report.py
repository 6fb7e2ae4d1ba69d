"""The VAT report: built from events, per merchant, category and rate, and reconciled exactly - in tiyn -
with what the treasury received plus what the escrow holds, after a random mix of payments, refunds
(partial, full, some funded by the treasury) and withdrawals."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from vat_world import ADMIN, ALICE, BOB, KIOSK, PHARMACY, SHOP, SHOP_ID, TREASURY, MERCHANTS, World, rpc

from tenge.amounts import from_tiyn, to_tiyn
from tenge.cli.common import _json_default
from tenge.payments.periods import Period
from tenge.payments.records import PaymentReceipt, RefundReceipt
from tenge.payments.report import VatReport
from tenge.payments.report_format import render_csv, render_table, report_to_dict

PAYOUTS = {merchant: payout for merchant, (payout, _, _) in MERCHANTS.items()}
#: The treasury's own money (a real treasury holds all taxes): it funds refunds of VAT already withdrawn.
TREASURY_FLOAT = Decimal("100000.00")
RowKey = tuple[int, int, int]  # merchant, category, rate


@dataclass
class Ledger:
    """What the test itself saw happen, from the SDK's receipts: the report must say the same."""

    #: (merchant, payer, invoice) -> (gross, refunded) in tiyn
    open_payments: dict[tuple[int, str, str], tuple[int, int]] = field(default_factory=dict)
    rows: dict[RowKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 8))
    keys: dict[bytes, RowKey] = field(default_factory=dict)
    withdrawn: int = 0
    treasury_refunds: int = 0

    def paid(self, r: PaymentReceipt, payer: str, invoice: str) -> None:
        key = (r.merchant_id, r.category_id, r.rate_bps)
        self.keys[r.payment_id] = key
        row = self.rows[key]
        row[0] += 1
        for i, value in enumerate((r.gross, r.net, r.vat), start=1):
            row[i] += to_tiyn(value)
        self.open_payments[(r.merchant_id, payer, invoice)] = (to_tiyn(r.gross), 0)

    def refunded(self, r: RefundReceipt, merchant: int, payer: str, invoice: str) -> None:
        row = self.rows[self.keys[r.payment_id]]
        row[4] += 1
        for i, value in enumerate((r.amount, r.net, r.vat), start=5):
            row[i] += to_tiyn(value)
        gross, _ = self.open_payments[(merchant, payer, invoice)]
        self.open_payments[(merchant, payer, invoice)] = (gross, to_tiyn(r.total_refunded))
        if r.vat_from_treasury:
            self.treasury_refunds += to_tiyn(r.vat)


def play(world: World, seed: int, operations: int) -> tuple[Ledger, int]:
    """A seeded random mix; returns the ledger and a timestamp splitting the history in two halves."""
    rng = random.Random(seed)
    ledger = Ledger()
    world.token(BOB).transfer(world.address(TREASURY), TREASURY_FLOAT)
    world.token(TREASURY).approve(world.vat(ADMIN).address, "1000000.00")  # backstop for refunds of withdrawn VAT
    split_at = 0
    for step in range(operations):
        if step == operations // 2:
            world.vat(ADMIN).schedule_rate(1, rng.choice([1200, 2000]))  # a rate change mid-period
            split_at = world.block_time() + 60
            world.mine(split_at)
        roll = rng.random()
        refundable = [k for k, (gross, refunded) in ledger.open_payments.items() if refunded < gross]
        if roll < 0.55 or not refundable:
            who = rng.choice([ALICE, BOB])
            merchant = rng.choice(sorted(MERCHANTS))
            invoice = f"S{seed}-{step}"
            gross = from_tiyn(rng.choice([rng.randint(1, 999), rng.randint(1_000, 300_000)]))
            category = rng.choice([0, 0, 1, 2, 3, 4])
            client = world.vat(who)
            pay = client.pay_with_permit if rng.random() < 0.5 else client.pay_with_authorization
            ledger.paid(pay(merchant, gross, invoice, category=category), world.address(who), invoice)
        elif roll < 0.85:
            merchant, payer, invoice = rng.choice(refundable)
            paid_tiyn, refunded = ledger.open_payments[(merchant, payer, invoice)]
            amount = None if rng.random() < 0.4 else from_tiyn(rng.randint(1, paid_tiyn - refunded))
            receipt = world.vat(PAYOUTS[merchant]).refund(merchant, payer, invoice, amount)
            ledger.refunded(receipt, merchant, payer, invoice)
        else:
            available = to_tiyn(world.vat(TREASURY).withdrawable_vat())
            if available:
                amount = from_tiyn(rng.randint(1, available))
                ledger.withdrawn += to_tiyn(world.vat(TREASURY).withdraw_vat(f"S{seed}-{step}", amount).amount)
    return ledger, split_at


def rows_of(report: VatReport) -> dict[RowKey, list[int]]:
    return {
        (r.merchant_id, r.category_id, r.rate_bps): [
            r.totals.payments, r.totals.gross, r.totals.net, r.totals.vat,
            r.totals.refunds, r.totals.refunded_gross, r.totals.refunded_net, r.totals.refunded_vat,
        ]
        for r in report.rows
    }  # fmt: skip


def check_reconciles_with_the_chain(world: World, report: VatReport, ledger: Ledger) -> None:
    rec = report.reconciliation
    escrow_now = to_tiyn(world.balance(world.vat(ADMIN).address))
    # Integers: the treasury can end below its float (refunds it funded for VAT that sat in escrow).
    treasury_now = to_tiyn(world.balance(TREASURY)) - to_tiyn(TREASURY_FLOAT)
    assert rec.reconciled and rec.difference == 0, rec.explain()
    assert rec.escrow_balance == escrow_now
    assert rec.treasury_received == treasury_now  # beyond its float, the treasury only settles VAT
    assert rec.vat_due == treasury_now + escrow_now
    assert (rec.vat_withdrawn, rec.vat_refunded_by_treasury) == (ledger.withdrawn, ledger.treasury_refunds)
    assert rec.vat_collected == sum(row[3] for row in ledger.rows.values())
    assert rec.vat_refunded == sum(row[7] for row in ledger.rows.values())


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: a seed is the whole story
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_report_reconciles_exactly_after_a_random_mix(world: World, seed: int) -> None:
    snapshot = rpc(world.w3, "evm_snapshot")
    try:
        example = World(world.suite, world.w3)  # fresh sessions: their nonce counters live in this snapshot
        ledger, split_at = play(example, seed, operations=36)
        vat = example.vat(ADMIN)
        full = vat.report()
        check_reconciles_with_the_chain(example, full, ledger)
        assert rows_of(full) == {key: row for key, row in ledger.rows.items()}
        assert full.withdrawn_in_period == ledger.withdrawn

        # Two halves add up to the whole, and each reconciles at its own last block.
        first, second = vat.report(period=Period(end=split_at)), vat.report(period=Period(start=split_at))
        assert first.to_block < second.from_block and first.reconciliation.reconciled and second.reconciliation.reconciled
        halves: dict[RowKey, list[int]] = defaultdict(lambda: [0] * 8)
        for part in (first, second):
            for key, row in rows_of(part).items():
                halves[key] = [a + b for a, b in zip(halves[key], row)]
        assert dict(halves) == rows_of(full)
        assert first.reconciliation.vat_due + second.totals.vat_due == full.reconciliation.vat_due

        # One merchant: its rows only; the reconciliation still covers the whole escrow.
        shop = vat.report(merchants=[SHOP_ID])
        assert rows_of(shop) == {k: v for k, v in rows_of(full).items() if k[0] == SHOP_ID}
        assert shop.reconciliation == full.reconciliation
    finally:
        assert rpc(world.w3, "evm_revert", [snapshot])


def test_formats_carry_the_same_figures(world: World) -> None:
    play(world, seed=7, operations=14)
    report = world.vat(ADMIN).report()
    totals = report.totals

    table = render_table(report)
    assert "reconciled: VAT due == treasury received + escrow" in table
    (total_line,) = [line for line in table.splitlines() if line.startswith("TOTAL")]
    assert total_line.split()[-1] == f"{from_tiyn(totals.vat_due):,.2f}"

    parsed = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert len(parsed) == len(report.rows) + 1 and parsed[-1]["merchant_id"] == "TOTAL"
    assert Decimal(parsed[-1]["vat_due"]) == from_tiyn(totals.vat_due)
    assert sum(Decimal(r["vat"]) for r in parsed[:-1]) == from_tiyn(totals.vat)

    data = json.loads(json.dumps(report_to_dict(report), default=_json_default))
    assert Decimal(data["totals"]["vatDue"]) == from_tiyn(totals.vat_due)
    assert data["reconciliation"]["reconciled"] is True
    assert Decimal(data["reconciliation"]["difference"]) == 0
    assert {r["categoryLabel"] for r in data["rows"]} <= {"standard", "reduced: medicines", "zero-rated: exports", "exempt"}


def test_tokens_sent_to_the_escrow_directly_show_as_a_surplus(world: World) -> None:
    world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1")
    world.token(BOB).transfer(world.vat(ADMIN).address, "0.05")
    rec = world.vat(ADMIN).report().reconciliation
    assert (rec.vat_due, rec.escrow_balance, rec.difference) == (1_600, 1_605, -5)
    assert not rec.reconciled and "0.05 more than the events account for" in rec.explain()


def test_a_period_before_any_payment_is_empty_but_reconciled(world: World) -> None:
    start = world.block_time()
    world.mine(start + 10)
    world.vat(ALICE).pay_with_permit(SHOP_ID, "116.00", "R-1")
    empty = world.vat(ADMIN).report(period=Period(end=start + 10))
    assert empty.rows == () and empty.totals.vat_due == 0 and empty.reconciliation.reconciled
    later = world.vat(ADMIN).report(period=Period(start=start + 10))
    assert later.totals.vat == 1_600 and later.reconciliation.escrow_balance == 1_600


def test_refunds_count_in_their_own_period_at_the_payment_s_rate(world: World) -> None:
    world.vat(ALICE).pay_with_permit(SHOP_ID, "1160.00", "R-1")  # at 16 %
    world.vat(ADMIN).schedule_rate(1, 2000)  # the law changes
    boundary = world.block_time() + 60
    world.mine(boundary)
    world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), "R-1", "580.00")
    world.vat(BOB).pay_with_permit(SHOP_ID, "1200.00", "R-2")  # at 20 %
    after = world.vat(ADMIN).report(period=Period(start=boundary))
    assert rows_of(after) == {
        (SHOP_ID, 1, 1600): [0, 0, 0, 0, 1, 58_000, 50_000, 8_000],
        (SHOP_ID, 1, 2000): [1, 120_000, 100_000, 20_000, 0, 0, 0, 0],
    }
    assert after.totals.vat_due == 20_000 - 8_000
    assert after.reconciliation.reconciled


def test_kiosk_and_pharmacy_rows_carry_their_rates(world: World) -> None:
    from vat_world import KIOSK_ID, PHARMACY_ID

    world.vat(ALICE).pay_with_permit(KIOSK_ID, "10.00", "K-1")
    world.vat(ALICE).pay_with_permit(PHARMACY_ID, "10.50", "P-1")
    rows = rows_of(world.vat(ADMIN).report())
    assert rows[(KIOSK_ID, 1, 0)][1:4] == [1_000, 1_000, 0]
    assert rows[(PHARMACY_ID, 2, 500)][1:4] == [1_050, 1_000, 50]
    assert world.balance(KIOSK) == Decimal("10.00") and world.balance(PHARMACY) == Decimal("10.00")
    assert world.balance(SHOP) == 0


def test_a_treasury_that_funded_more_refunds_than_it_withdrew_still_reconciles(world: World) -> None:
    """The contract takes a refund's whole VAT part from the treasury when the escrow is short, even when
    the escrow holds part of it: what the treasury received can go negative, and the identity holds."""
    world.token(BOB).transfer(world.address(TREASURY), TREASURY_FLOAT)
    world.token(TREASURY).approve(world.vat(ADMIN).address, "1000.00")
    world.vat(ALICE).pay_with_permit(SHOP_ID, "1160.00", "A")  # VAT 160
    world.vat(BOB).pay_with_permit(SHOP_ID, "580.00", "B")  # VAT 80
    world.vat(TREASURY).withdraw_vat("2026-11", "100.00")  # escrow 140
    assert world.vat(SHOP).refund(SHOP_ID, world.address(ALICE), "A").vat_from_treasury  # 160 > 140
    rec = world.vat(ADMIN).report().reconciliation
    assert (rec.vat_due, rec.vat_withdrawn, rec.vat_refunded_by_treasury) == (8_000, 10_000, 16_000)
    assert (rec.treasury_received, rec.escrow_balance, rec.difference) == (-6_000, 14_000, 0)
    assert to_tiyn(world.balance(TREASURY)) - to_tiyn(TREASURY_FLOAT) == -6_000
