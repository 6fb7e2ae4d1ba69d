"""A :class:`~tenge.payments.report.VatReport` as a text table, CSV or JSON-ready dict."""

from __future__ import annotations

import csv
import io
from datetime import timezone, tzinfo
from decimal import Decimal
from typing import Any

from tenge.amounts import from_tiyn
from tenge.payments.invoices import describe_invoice_ref
from tenge.payments.rates import format_rate
from tenge.payments.report import VatReport, VatTotals

FORMATS = ("table", "csv", "json")

#: Column heading -> VatTotals field (amount columns are tiyn shown as tenge).
_TOTAL_COLUMNS = (
    ("payments", "payments"),
    ("gross", "gross"),
    ("net", "net"),
    ("vat", "vat"),
    ("refunds", "refunds"),
    ("refunded_gross", "refunded_gross"),
    ("refunded_net", "refunded_net"),
    ("refunded_vat", "refunded_vat"),
    ("vat_due", "vat_due"),
)
_COUNTS = {"payments", "refunds"}
CSV_COLUMNS = ("merchant_id", "category_id", "category_label", "rate_bps", "rate") + tuple(h for h, _ in _TOTAL_COLUMNS)


def _values(totals: VatTotals) -> list[Any]:
    return [getattr(totals, f) if f in _COUNTS else from_tiyn(getattr(totals, f)) for _, f in _TOTAL_COLUMNS]


def report_to_dict(report: VatReport, tz: tzinfo = timezone.utc) -> dict[str, Any]:
    return {
        "contract": report.contract,
        "chainId": report.chain_id,
        "currency": report.currency,
        "period": {
            "start": report.period.start,
            "end": report.period.end,
            "endExcluded": True,
            "description": report.period.describe(tz),
            "fromBlock": report.from_block,
            "toBlock": report.to_block,
        },
        "merchants": None if report.merchant_filter is None else list(report.merchant_filter),
        "rows": [row.to_dict() for row in report.rows],
        "merchantTotals": {str(m): t.to_dict() for m, t in sorted(report.merchant_totals.items())},
        "totals": report.totals.to_dict(),
        "withdrawals": [
            {
                "blockNumber": w.block_number,
                "txHash": w.tx_hash,
                "treasury": w.treasury,
                "amount": from_tiyn(w.amount),
                "settlementRef": describe_invoice_ref(w.settlement_ref),
            }
            for w in report.withdrawals
        ],
        "reconciliation": {**report.reconciliation.to_dict(), "explanation": report.reconciliation.explain()},
    }


def render_csv(report: VatReport) -> str:
    """One row per merchant, category and rate, then a TOTAL row; amounts in tenge with 2 decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.rows:
        writer.writerow(
            [row.merchant_id, row.category_id, row.category_label or "", row.rate_bps, format_rate(row.rate_bps)]
            + _values(row.totals)
        )
    writer.writerow(["TOTAL", "", "", "", ""] + _values(report.totals))
    return out.getvalue()


def render_table(report: VatReport, tz: tzinfo = timezone.utc) -> str:
    headings = ["merchant", "category", "rate", "payments", "gross", "net", "VAT", "refunds",
                "refunded gross", "refunded net", "refunded VAT", "VAT due"]  # fmt: skip
    lines: list[list[str]] = []
    for row in report.rows:
        label = f"{row.category_id} {row.category_label}" if row.category_label else str(row.category_id)
        lines.append([str(row.merchant_id), label, format_rate(row.rate_bps)] + [_cell(v) for v in _values(row.totals)])
    total_line = ["TOTAL", "", ""] + [_cell(v) for v in _values(report.totals)]
    widths = [max(len(h), *(len(line[i]) for line in lines + [total_line])) for i, h in enumerate(headings)]
    left = {0, 1, 2}

    def fmt(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    rule = "  ".join("-" * w for w in widths)
    merchants = "all merchants" if report.merchant_filter is None else "merchants " + ", ".join(
        str(m) for m in report.merchant_filter
    )
    out = [
        f"VAT report, {merchants}, {report.currency}, contract {report.contract} (chain {report.chain_id})",
        f"period {report.period.describe(tz)}, blocks {report.from_block}..{report.to_block}",
        "",
        fmt(headings),
        rule,
        *(fmt(line) for line in lines),
        rule,
        fmt(total_line),
        "",
    ]
    if report.withdrawals:
        out.append(f"withdrawn by the treasury in the period: {_cell(from_tiyn(report.withdrawn_in_period))}")
        for w in report.withdrawals:
            out.append(f"  block {w.block_number}  {_cell(from_tiyn(w.amount))}  {describe_invoice_ref(w.settlement_ref)}")
        out.append("")
    rec = report.reconciliation
    out += [
        f"reconciliation at block {rec.as_of_block} (all merchants since deployment):",
        f"  VAT collected               {_cell(from_tiyn(rec.vat_collected))}",
        f"  VAT refunded                {_cell(from_tiyn(rec.vat_refunded))}",
        f"  VAT due                     {_cell(from_tiyn(rec.vat_due))}",
        f"  withdrawn by the treasury   {_cell(from_tiyn(rec.vat_withdrawn))}",
        f"  refunds funded by treasury  {_cell(from_tiyn(rec.vat_refunded_by_treasury))}",
        f"  treasury received           {_cell(from_tiyn(rec.treasury_received))}",
        f"  escrow balance              {_cell(from_tiyn(rec.escrow_balance))}",
        f"  {rec.explain()}",
    ]
    return "\n".join(out)


def _cell(value: Any) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
