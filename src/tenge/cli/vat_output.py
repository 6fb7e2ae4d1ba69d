"""How ``tenge vat`` commands print what a write did (text, or JSON with --json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tenge.cli.common import emit

if TYPE_CHECKING:
    from tenge.payments.client import VatPaymentsClient
    from tenge.payments.records import PaymentReceipt
    from tenge.token.results import TxResult


def open_vat(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "VatPaymentsClient":
    from tenge.cli.common import open_session

    return open_session(network, rpc_url, account, read_only=read_only).payments()


def done(as_json: bool, action: str, result: "TxResult", **details: Any) -> None:
    data: dict[str, Any] = {"action": action, **details, **result.to_dict()}
    shown = ", ".join(f"{k}={v}" for k, v in details.items())
    text = f"{action}: {shown}" if shown else action
    emit(as_json, data, f"{text}\n  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}  {result.fee_text()}")


def receipt_text(title: str, fields: dict[str, Any], tx: "TxResult") -> str:
    width = max(len(k) for k in fields)
    lines = [title] + [f"  {k.ljust(width)}  {v}" for k, v in fields.items()]
    lines.append(f"  tx {tx.tx_hash}  block {tx.block_number}  gas {tx.gas_used:,}  {tx.fee_text()}")
    return "\n".join(lines)


#: What a payment's receipt shows, in this order (paying directly and submitting an offline payment alike).
PAYMENT_FIELDS = ("paymentId", "merchantId", "payer", "gross", "net", "vat", "rate", "categoryId", "invoiceRef")


def payment_receipt(as_json: bool, action: str, title: str, receipt: "PaymentReceipt") -> None:
    data = {"action": action, **receipt.to_dict()}
    fields = {k: data[k] for k in PAYMENT_FIELDS}
    emit(as_json, data, receipt_text(title, fields, receipt.tx))
