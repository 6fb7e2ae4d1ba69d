"""`tenge vat offline sign|show|submit`: offline VAT payments as one copy-and-paste / QR string (``dtvat1:``).

``sign`` needs no connection: chain id, token (address and name) and VatPayments address come from the
deployment record, or from --chain-id/--token/--token-name/--contract. ``submit`` decodes and verifies
the string (prefix, checksum, chain, token, contract, signature) before anything is sent.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, account_password, emit, json_option, signer_options
from tenge.cli.token_params import DURATION
from tenge.cli.vat_output import open_vat, receipt_text
from tenge.cli.vat_params import CATEGORY, INVOICE, MERCHANT_ID

if TYPE_CHECKING:
    from tenge.deploy.record import DeploymentRecord
    from tenge.token.authorizations import TokenDomain


@click.group("offline", cls=TengeGroup)
def offline_group() -> None:
    """Offline VAT payments: the payer signs with no connection, the merchant submits later."""


def _read(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


def _recorded(network: str) -> "DeploymentRecord | None":
    from tenge.deploy.record import DeploymentRecord

    return DeploymentRecord.load(network)


def _domain_and_contract(
    network: str, chain_id: int | None, token: str | None, token_name: str | None, contract: str | None
) -> tuple["TokenDomain", str]:
    from tenge.errors import DeploymentError
    from tenge.payments.client import VAT_KEY
    from tenge.token.authorizations import TokenDomain
    from tenge.token.offline import domain_from_record

    if chain_id is None or token is None or token_name is None or contract is None:
        record = _recorded(network)
        if record is None:
            raise DeploymentError(
                f"no deployment record for {network!r} to take the token and VatPayments from; "
                "give --chain-id, --token, --token-name and --contract"
            )
        recorded = domain_from_record(record)
        chain_id = chain_id or recorded.chain_id
        token = token or recorded.verifying_contract
        token_name = token_name or recorded.name
        contract = contract or record.address(VAT_KEY)
    return TokenDomain(token_name, chain_id, token), contract


@offline_group.command("sign")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("gross", type=AMOUNT)
@click.argument("invoice", type=INVOICE)
@click.option("--category", type=CATEGORY, default=0, show_default=True, help="VAT category (0: the merchant's default).")
@click.option("--valid-for", type=DURATION, default="7d", show_default=True, help="How long the merchant has to submit it.")
@click.option("--chain-id", type=click.IntRange(1), default=None, help="Chain id (default: from the deployment record).")
@click.option("--token", "token_address", type=ADDRESS, default=None, help="Token address (default: from the record).")
@click.option("--token-name", default=None, help="Token name, the EIP-712 domain name (default: from the record).")
@click.option("--contract", type=ADDRESS, default=None, help="VatPayments address (default: from the record).")
@signer_options
@json_option
def sign_cmd(
    merchant: int,
    gross: Decimal,
    invoice: bytes,
    category: int,
    valid_for: int,
    chain_id: int | None,
    token_address: str | None,
    token_name: str | None,
    contract: str | None,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Sign, with no connection, paying MERCHANT the VAT-inclusive GROSS for INVOICE; print the string."""
    from tenge.chain.accounts import resolve_signer
    from tenge.chain.networks import get_network
    from tenge.payments.offline import sign_offline_vat_payment

    if gross == 0:
        raise click.BadParameter("a payment must be greater than zero", param_hint="GROSS")
    net = get_network(network)
    domain, vat_payments = _domain_and_contract(net.name, chain_id, token_address, token_name, contract)
    payer = resolve_signer(net, account, account_password(account))
    payment = sign_offline_vat_payment(
        payer, domain, vat_payments=vat_payments, merchant=merchant, gross=gross, invoice_ref=invoice,
        category=category, valid_for_seconds=valid_for,
    )  # fmt: skip
    text = payment.encode()
    emit(as_json, {"payment": text, **payment.to_dict()}, text)


@offline_group.command("show")
@click.argument("payment_text", metavar="PAYMENT")
@click.option("--network", "-n", default="local", show_default=True, help="Verify against this network's deployment record.")
@json_option
def show_cmd(payment_text: str, network: str, as_json: bool) -> None:
    """Decode PAYMENT (or - for stdin) and, when a deployment record is at hand, verify it offline."""
    from tenge.payments.client import VAT_KEY
    from tenge.payments.offline import parse_offline_vat_payment
    from tenge.token.offline import domain_from_record

    payment = parse_offline_vat_payment(_read(payment_text))
    record = _recorded(network)
    verified = "not checked (no deployment record)"
    if record is not None and VAT_KEY in record.contracts:
        payment.verify(domain_from_record(record), record.address(VAT_KEY))
        verified = f"signature, chain, token and contract match the {network} deployment"
    emit(as_json, {**payment.to_dict(), "verified": verified})


@offline_group.command("submit")
@click.argument("payment_text", metavar="PAYMENT")
@signer_options
@json_option
def submit_cmd(payment_text: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Verify PAYMENT (or - for stdin) and submit it (the merchant or anyone; gas is paid by --account)."""
    from tenge.payments.offline import parse_offline_vat_payment

    payment = parse_offline_vat_payment(_read(payment_text))  # structure first: no connection for a typo
    receipt = open_vat(network, rpc_url, account).submit_offline_payment(payment)
    data = {"action": "offline VAT payment", **receipt.to_dict()}
    fields = {k: data[k] for k in ("paymentId", "merchantId", "payer", "gross", "net", "vat", "rate", "categoryId", "invoiceRef")}
    emit(as_json, data, receipt_text("offline payment submitted", fields, receipt.tx))
