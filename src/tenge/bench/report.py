"""The benchmark's result: exact gas per operation and column, as a side-by-side table and as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tenge.bench import operations as ops
from tenge.bench.rows import all_operations
from tenge.bench.scenarios import Measurement, Measurements

JSON_FORMAT = "tenge-gas-benchmark-1"
MISSING = "—"
MET, MISSED = "✓", "✗"


@dataclass(frozen=True)
class RowPeer:
    """An extra row's own peer (:class:`tenge.bench.rows.GasRow`) as measured in the run."""

    label: str
    measurement: Measurement | None
    #: Ours must not use more gas than this peer.
    is_target: bool = False

    def to_json(self) -> dict[str, Any]:
        gas = self.measurement.gas if self.measurement else None
        return {"label": self.label, "gas": gas, "isTarget": self.is_target}


@dataclass(frozen=True)
class GasReport:
    environment: dict[str, Any]
    #: column key -> operation key -> measurement (None: the column has no such operation)
    figures: dict[str, Measurements]
    #: Extra rows (:mod:`tenge.bench.rows`): operation key -> its own peer, measured in the same run.
    row_peers: dict[str, "RowPeer"] = field(default_factory=dict)
    #: Every row, in table order.
    operations: tuple[ops.Operation, ...] = field(default_factory=all_operations)

    def measurement(self, column: str, operation: str) -> Measurement | None:
        return self.figures.get(column, {}).get(operation)

    def gas(self, column: str, operation: str) -> int | None:
        measured = self.measurement(column, operation)
        return measured.gas if measured else None

    def peer_target(self, operation: ops.Operation) -> int | None:
        """The gas ours must not exceed because a peer measured in the same run uses that much (None: no such
        target, or the peer was not measured)."""
        if operation.at_most_peer is not None:
            return self.gas(operation.at_most_peer, operation.key)
        own = self.row_peers.get(operation.key)
        return own.measurement.gas if own and own.is_target and own.measurement else None

    def has_target(self, operation: ops.Operation) -> bool:
        own = self.row_peers.get(operation.key)
        return operation.has_target or bool(own and own.is_target)

    def target_met(self, operation: ops.Operation) -> bool | None:
        ours = self.gas(ops.OURS.key, operation.key)
        if not self.has_target(operation) or ours is None:
            return None
        bounds = [b for b in (operation.target, self.peer_target(operation)) if b is not None]
        return bool(bounds) and all(ours <= bound for bound in bounds)

    def target_text(self, operation: ops.Operation) -> str:
        parts = [f"≤ {operation.target:,}"] if operation.target is not None else []
        if operation.at_most_peer is not None:
            peer = next((c.label for c in ops.COLUMNS if c.key == operation.at_most_peer), operation.at_most_peer)
            parts.append(f"≤ {peer}")
        own = self.row_peers.get(operation.key)
        if own and own.is_target:
            parts.append(f"≤ {own.label}")
        return " and ".join(parts)

    def to_json(self) -> dict[str, Any]:
        rows = []
        for operation in self.operations:
            details = {
                column.key: measured.detail
                for column in ops.COLUMNS
                if (measured := self.measurement(column.key, operation.key)) and measured.detail
            }
            rows.append(
                {
                    "key": operation.key,
                    "label": operation.label,
                    "target": operation.target,
                    "atMostPeer": operation.at_most_peer,
                    "targetText": self.target_text(operation),
                    "targetMet": self.target_met(operation),
                    "gas": {column.key: self.gas(column.key, operation.key) for column in ops.COLUMNS},
                    **({"peer": own.to_json()} if (own := self.row_peers.get(operation.key)) else {}),
                    **({"details": details} if details else {}),
                }
            )
        return {
            "format": JSON_FORMAT,
            "unit": "gas: the transaction receipt's gasUsed (exact, deterministic)",
            "environment": self.environment,
            "columns": {column.key: {"label": column.label, "description": column.description} for column in ops.COLUMNS},
            "operations": rows,
            "issueReferenceFigures": ops.ISSUE_REFERENCE_FIGURES,
            "bridgeReferenceCctpV1": ops.CCTP_V1_REFERENCE,
            "notes": NOTES,
        }

    def table(self) -> str:
        return format_table(self)


NOTES = {
    ops.BATCH_PAYOUT.key: "gas is the batch transaction's gasUsed / recipients, rounded to the nearest unit; "
    "details carry the exact total",
    ops.BRIDGE_RECEIVE_BATCH_REMOTE.key: "deliverBatch of 20 transfers with 3-of-5 signatures each: gasUsed / 20 "
    "(details carry the exact total); the transaction's 21,000 base and the call overhead are shared",
    ops.BRIDGE_RECEIVE_BATCH_HOME.key: "as the BNB-side batch row, releasing from the home escrow",
    ops.VAT_PAYMENT.key: "ours: VatPayments.payInvoice through our token (net to the merchant, VAT to the escrow), "
    "invoice 2 of a merchant's book page already in use (its paid bit and chain head rewrite one used word); "
    "peers: Request Network ERC20FeeProxy.transferFromWithReferenceAndFee with an 8-byte payment reference",
    ops.VAT_PAYMENT_PAGE_FIRST.key: "invoice 1 of the page: fills the page's new storage word (once per 32 invoices)",
    ops.VAT_PAYMENT_BY_REFERENCE.key: "VatPayments.pay: keyed by (merchant, payer, reference), one new record slot "
    "per payment",
    "existing": "existing holders have nonzero balances on both sides before the measured transaction",
    ops.TRANSFER_NEW.key: "the newcomer never held the token; where KYC exists it is approved (ours keeps the tier in "
    "the same packed account word as the balance, so that word is already nonzero)",
    ops.APPROVE.key: "a new allowance: zero -> nonzero",
    ops.PERMIT.key: "the owner's first permit (nonce 0 -> 1) to a spender with no allowance yet",
    ops.MINT_RESERVE_GATED.key: "a bank (MINTER_ROLE) mints on a token gated on a separately attested reserve (no "
    "bridge: a gated token takes one kind of minter); the BNB-side token is minted only by its bridge - see the "
    "bridge receive rows",
    "bridge": "home and remote bridge on the bench's one anvil (same gas as on two chains: nothing measured depends "
    "on the chain ids differing); steady state after one transfer each way; each receive row sets the threshold to "
    "its signature count (k-of-5) and, on the BNB side, posts a fresh escrow attestation first (separate "
    "transaction); the destination's per-transfer status slot is new in every receive",
    "signatures": "permit deadlines and authorization windows are fixed constants, and each side deploys from its "
    "own account, so calldata and signatures (hence the gas) are identical from run to run",
}


def _number(value: int | None) -> str:
    return MISSING if value is None else f"{value:,}"


def format_table(report: GasReport) -> str:
    own_peers = bool(report.row_peers)
    header = ["operation", ops.OURS.label, "target", "", *(c.label for c in ops.COLUMNS[1:])]
    header += ["own peer"] if own_peers else []
    rows: list[list[str]] = []
    for operation in report.operations:
        met = report.target_met(operation)
        rows.append(
            [
                operation.label,
                _number(report.gas(ops.OURS.key, operation.key)),
                report.target_text(operation),
                "" if met is None else (MET if met else MISSED),
                *(_number(report.gas(c.key, operation.key)) for c in ops.COLUMNS[1:]),
                *([_own_peer(report, operation)] if own_peers else []),
            ]
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) if i != 2 else cell.ljust(width) for i, (cell, width) in enumerate(zip(cells[1:], widths[1:]), 1))
        return "  ".join([first, *rest]).rstrip()

    env = report.environment
    compiler = env.get("compiler", {})
    optimizer = compiler.get("optimizer") or {}
    title = (
        f"gasUsed per transaction — anvil {env.get('anvil')}, hardfork {env.get('hardfork')}, "
        f"solc {compiler.get('solc')} ({compiler.get('evmVersion')}, optimizer "
        f"{optimizer.get('runs') if optimizer.get('enabled') else 'off'} runs, viaIR {'on' if compiler.get('viaIR') else 'off'})"
    )
    lines = [title, "", line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]
    lines += ["", *_footnotes(report)]
    return "\n".join(lines)


def _footnotes(report: GasReport) -> list[str]:
    notes = [f"{column.label}: {column.description}" for column in ops.COLUMNS]
    batch = report.measurement(ops.OURS.key, ops.BATCH_PAYOUT.key)
    if batch is not None:
        notes.append(
            f"batch payout: one transaction of {batch.detail.get('total_gas', 0):,} gas for "
            f"{batch.detail.get('recipients', 0)} existing recipients"
        )
    for column in ops.COLUMNS:
        paid = report.measurement(column.key, ops.VAT_PAYMENT.key)
        if paid is None:
            continue
        how = "VatPayments.payInvoice" if column is ops.OURS else "ERC20FeeProxy"
        notes.append(
            f"VAT payment, {column.label} ({how}) moved {_tenge(paid.detail.get('merchant_received'))} to the "
            f"merchant and {_tenge(paid.detail.get('tax_received'))} to the tax side"
        )
    steady = report.measurement(ops.OURS.key, ops.VAT_PAYMENT.key)
    first = report.measurement(ops.OURS.key, ops.VAT_PAYMENT_PAGE_FIRST.key)
    if steady is not None and first is not None:
        average = (31 * steady.gas + first.gas + 16) // 32
        notes.append(
            f"VAT payment from an invoice book, averaged over a full page of 32 invoices (31 x {steady.gas:,} + "
            f"{first.gas:,}) / 32 = {average:,}"
        )
    reference = ", ".join(f"{name} {gas:,}" for name, gas in ops.CCTP_V1_REFERENCE.items())
    notes.append(f"bridge rows: peer reference Circle CCTP v1 on anvil 1.7.1 (quoted, not rebuilt): {reference}")
    notes.append(f"{MISSING}: the token has no such operation")
    return notes


def _own_peer(report: GasReport, operation: ops.Operation) -> str:
    own = report.row_peers.get(operation.key)
    if own is None:
        return ""
    return f"{own.label}: {_number(own.measurement.gas if own.measurement else None)}"


def _tenge(tiyn: int | None) -> str:
    return "?" if tiyn is None else f"{tiyn // 100}.{tiyn % 100:02d}"


def write_report(report: GasReport, path: Path) -> None:
    """Write the figures as JSON (stable key order, so an unchanged run rewrites the same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
