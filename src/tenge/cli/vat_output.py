"""How ``tenge vat`` commands print what a write did (text, or JSON with --json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tenge.cli.common import emit
from tenge.cli.display import set_currency, snake_key, text_value
from tenge.cli.tx_output import done as tx_done
from tenge.cli.tx_output import tx_line

if TYPE_CHECKING:
    from tenge.payments.client import VatPaymentsClient
    from tenge.payments.records import PaymentReceipt
    from tenge.token.results import TxResult


def open_vat(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "VatPaymentsClient":
    from tenge.cli.common import open_session

    vat = open_session(network, rpc_url, account, read_only=read_only).payments()
    set_currency(lambda: vat.currency)
    return vat


#: What a write prints: the shared shape of every command group (:func:`tenge.cli.tx_output.done`).
done = tx_done


def receipt_text(title: str, fields: dict[str, Any], tx: "TxResult") -> str:
    names = {k: snake_key(k) for k in fields}
    width = max(len(n) for n in names.values())
    lines = [title] + [f"  {names[k].ljust(width)}  {text_value(k, v)}" for k, v in fields.items()]
    lines.append(tx_line(tx))
    return "\n".join(lines)


#: What a payment's receipt shows, in this order (paying directly and submitting an offline payment alike).
PAYMENT_FIELDS = ("paymentId", "merchantId", "payer", "gross", "net", "vat", "rate", "categoryId", "invoiceRef")


def payment_receipt(as_json: bool, action: str, title: str, receipt: "PaymentReceipt") -> None:
    data = {"action": action, **receipt.to_dict()}
    fields = {k: data[k] for k in PAYMENT_FIELDS}
    emit(as_json, data, receipt_text(title, fields, receipt.tx))
