"""`tenge vat ...`: VAT collected by smart contract (a thin layer over tenge.payments.client).

Every argument is checked by its click type (merchant id, amount, invoice, rate, address) before a
connection is opened; a call the contract or the token would reject is estimated first and refused
with its decoded custom error. Either way nothing is sent and the exit code is non-zero.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import click

from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, reader_options, signer_options
from tenge.cli.display import amount_text
from tenge.cli.role_cmds import hidden_alias, role_group
from tenge.cli.token_params import REFERENCE
from tenge.cli.vat_merchant_cmds import merchant_group
from tenge.cli.vat_offline_cmds import offline_group
from tenge.cli.vat_output import done, open_vat, payment_receipt, receipt_text
from tenge.cli.vat_params import (
    CATEGORY,
    INVOICE,
    INVOICE_NO,
    MERCHANT_ID,
    VAT_ROLE,
    payment_arguments,
    require_positive_gross,
)
from tenge.cli.vat_rate_cmds import rate_group
from tenge.cli.vat_report_cmds import report_cmd

if TYPE_CHECKING:  # a type only: importing it for real would load web3 for `tenge vat --help`
    from tenge.payments.records import RefundReceipt


@click.group("vat", cls=TengeGroup)
def vat_group() -> None:
    """VAT payments: merchants, rates, paying (permit, authorization, offline), refunds, withdrawals, reports."""


vat_group.add_command(merchant_group)
vat_group.add_command(rate_group)
vat_group.add_command(offline_group)
vat_group.add_command(report_cmd)


@vat_group.command("quote")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("gross", type=AMOUNT)
@click.option("--category", type=CATEGORY, default=0, show_default=True, help="VAT category (0: the merchant's default).")
@reader_options
@json_option
def quote_cmd(
    merchant: int, gross: Decimal, category: int, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """How GROSS (VAT included) paid to MERCHANT now splits into net and VAT."""
    quote = open_vat(network, rpc_url, account, read_only=True).quote(merchant, gross, category)
    data = quote.to_dict()
    emit(as_json, data, f"merchant {merchant}: gross {amount_text(quote.gross)} = net {amount_text(quote.net)} "
                        f"+ VAT {amount_text(quote.vat)} "
                        f"at {data['rate']} (category {quote.category_id})")  # fmt: skip


@vat_group.command("pay")
@payment_arguments
@click.option("--permit", "method", flag_value="permit", default=True, help="Sign an EIP-2612 permit (default).")
@click.option("--authorization", "method", flag_value="authorization", help="Sign an EIP-3009 authorization.")
@click.option("--allowance", "method", flag_value="allowance", help="Use an existing approval.")
@click.option("--invoice-no", type=INVOICE_NO, default=None,
              help="Pay the merchant's invoice with this number from its invoice book (cheaper; the number pays "
                   "once, by anyone): approves the gross first when the allowance is short.")  # fmt: skip
@signer_options
@json_option
def pay_cmd(
    merchant: int,
    gross: Decimal,
    invoice: bytes,
    category: int,
    method: str,
    invoice_no: int | None,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Pay MERCHANT the VAT-inclusive GROSS for INVOICE from --account: net to the merchant, VAT to escrow."""
    require_positive_gross(gross)
    if invoice_no is not None and method == "authorization":
        raise click.BadParameter("an invoice-book payment (--invoice-no) is paid from an allowance, not with an "
                                 "EIP-3009 authorization", param_hint="--authorization")  # fmt: skip
    vat = open_vat(network, rpc_url, account)
    if invoice_no is not None:
        receipt = vat.pay_invoice(merchant, invoice_no, gross, invoice, category=category)
        payment_receipt(as_json, "pay (invoice book)", f"paid invoice {invoice_no} (invoice book)", receipt)
        return
    pay = {"permit": vat.pay_with_permit, "authorization": vat.pay_with_authorization, "allowance": vat.pay}[method]
    receipt = pay(merchant, gross, invoice, category=category)
    payment_receipt(as_json, f"pay ({method})", f"paid ({method})", receipt)


@vat_group.command("payment")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("payer", type=ADDRESS)
@click.argument("invoice", type=INVOICE)
@reader_options
@json_option
def payment_cmd(
    merchant: int, payer: str, invoice: bytes, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """Show the payment by PAYER of INVOICE to MERCHANT: gross, VAT, rate, refunded so far."""
    record = open_vat(network, rpc_url, account, read_only=True).payment(merchant, payer, invoice)
    emit(as_json, record.to_dict())


@vat_group.command("refund")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("payer", type=ADDRESS)
@click.argument("invoice", type=INVOICE)
@click.argument("amount", type=AMOUNT, required=False)
@click.option("--approve/--no-approve", default=True, show_default=True,
              help="Approve the net part first when the allowance is short.")  # fmt: skip
@signer_options
@json_option
def refund_cmd(
    merchant: int,
    payer: str,
    invoice: bytes,
    amount: Decimal | None,
    approve: bool,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Refund AMOUNT (default: all that is left) of PAYER's payment of INVOICE, as MERCHANT's payout address."""
    if amount is not None and amount == 0:
        raise click.BadParameter("a refund must be greater than zero", param_hint="AMOUNT")
    receipt = open_vat(network, rpc_url, account).refund(merchant, payer, invoice, amount, approve=approve)
    _refunded(as_json, "refund", receipt)


@vat_group.command("refund-invoice")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("invoice_no", metavar="INVOICE_NO", type=INVOICE_NO)
@click.argument("amount", type=AMOUNT, required=False)
@click.option("--approve/--no-approve", default=True, show_default=True,
              help="Approve the net part first when the allowance is short.")  # fmt: skip
@signer_options
@json_option
def refund_invoice_cmd(
    merchant: int,
    invoice_no: int,
    amount: Decimal | None,
    approve: bool,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Refund AMOUNT (default: all that is left) of the payment of invoice INVOICE_NO of MERCHANT's invoice book,
    as MERCHANT's payout address (the payment is passed back as rebuilt from its page's events)."""
    if amount is not None and amount == 0:
        raise click.BadParameter("a refund must be greater than zero", param_hint="AMOUNT")
    receipt = open_vat(network, rpc_url, account).refund_invoice(merchant, invoice_no, amount, approve=approve)
    _refunded(as_json, "refund-invoice", receipt)


def _refunded(as_json: bool, action: str, receipt: RefundReceipt) -> None:
    data = {"action": action, **receipt.to_dict()}
    fields = {k: data[k] for k in ("paymentId", "merchantId", "payer", "amount", "net", "vat", "totalRefunded", "vatFromTreasury")}
    text = receipt_text("refunded", fields, receipt.tx)
    if receipt.preparations:
        text = "\n".join(f"approved the net part first: tx {p.tx_hash}" for p in receipt.preparations) + "\n" + text
    emit(as_json, data, text)


@vat_group.command("withdraw")
@click.argument("amount", type=AMOUNT, required=False)
@click.option("--reference", "-r", type=REFERENCE, required=True, help="Settlement reference, e.g. the tax period (2026-Q1).")
@signer_options
@json_option
def withdraw_cmd(
    amount: Decimal | None, reference: str, network: str, rpc_url: str | None, account: str | None, as_json: bool
) -> None:
    """As the treasury, withdraw AMOUNT (default: all withdrawable) of escrowed VAT."""
    if amount is not None and amount == 0:
        raise click.BadParameter("a withdrawal must be greater than zero", param_hint="AMOUNT")
    receipt = open_vat(network, rpc_url, account).withdraw_vat(reference, amount)
    data = {"action": "withdraw VAT", **receipt.to_dict()}
    fields = {k: data[k] for k in ("treasury", "amount", "settlementRef")}
    emit(as_json, data, receipt_text("VAT withdrawn", fields, receipt.tx))


@vat_group.command("escrow")
@reader_options
@json_option
def escrow_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Treasury, escrowed VAT, the reserve kept for refunds and what the treasury can withdraw."""
    vat = open_vat(network, rpc_url, account, read_only=True)
    emit(as_json, {"contract": vat.address, **vat.escrow_state().to_dict()})


@vat_group.command("set-treasury")
@click.argument("treasury", type=ADDRESS)
@signer_options
@json_option
def set_treasury_cmd(treasury: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Set where VAT goes (TAX_AUTHORITY_ROLE). The treasury must be approved on the token."""
    done(as_json, "set treasury", open_vat(network, rpc_url, account).set_treasury(treasury), treasury=treasury)


@vat_group.command("set-reserve")
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def set_reserve_cmd(amount: Decimal, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Keep AMOUNT of the escrow back from withdrawals for refunds (TAX_AUTHORITY_ROLE)."""
    done(as_json, "set VAT reserve", open_vat(network, rpc_url, account).set_vat_reserve(amount), reserve=amount)


@vat_group.command("pause")
@signer_options
@json_option
def pause_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Pause payments, refunds and withdrawals (PAUSER_ROLE)."""
    done(as_json, "pause VAT payments", open_vat(network, rpc_url, account).pause())


@vat_group.command("unpause")
@signer_options
@json_option
def unpause_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Lift the pause (PAUSER_ROLE)."""
    done(as_json, "unpause VAT payments", open_vat(network, rpc_url, account).unpause())


vat_role_group = role_group(open_vat, VAT_ROLE, "tax-authority, registrar, pauser, admin")
vat_group.add_command(vat_role_group)
# Older spellings, kept working and out of --help: `vat grant ROLE ADDRESS`, `vat revoke ROLE ADDRESS`.
vat_group.add_command(hidden_alias(vat_role_group.commands["grant"]), "grant")
vat_group.add_command(hidden_alias(vat_role_group.commands["revoke"]), "revoke")
