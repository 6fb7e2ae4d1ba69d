"""`tenge vat offline sign|show|submit`: offline VAT payments as one copy-and-paste / QR string (``dtvat1:``).

``sign`` needs no connection: chain id, token (address and name) and VatPayments address come from the
deployment record, or from --chain-id/--token/--token-name/--contract. ``submit`` decodes and verifies
the string (prefix, checksum, chain, token, contract, signature) before anything is sent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, cast

import click

from tenge.cli.common import ADDRESS, TengeGroup, emit, json_option, prompt_password, signer_options
from tenge.cli.offline_params import domain_options, read_payment, signing_domain
from tenge.cli.token_params import DURATION
from tenge.cli.vat_output import open_vat, payment_receipt
from tenge.cli.vat_params import payment_arguments, require_positive_gross

if TYPE_CHECKING:
    from tenge.deploy.record import DeploymentRecord
    from tenge.token.authorizations import TokenDomain


@click.group("offline", cls=TengeGroup)
def offline_group() -> None:
    """Offline VAT payments: the payer signs with no connection, the merchant submits later."""


def _recorded(network: str) -> "DeploymentRecord | None":
    from tenge.deploy.record import DeploymentRecord

    return DeploymentRecord.load(network)


def _domain_and_contract(
    network: str, chain_id: int | None, token: str | None, token_name: str | None, contract: str | None
) -> tuple["TokenDomain", str]:
    from tenge.payments.client import VAT_KEY

    domain, vat_payments = signing_domain(
        network, chain_id, token, token_name, contract=contract, contract_key=VAT_KEY,
        missing=f"no deployment record for {network!r} to take the token and VatPayments from; "
        "give --chain-id, --token, --token-name and --contract",
    )  # fmt: skip
    return domain, cast(str, vat_payments)  # given, or taken from the record


@offline_group.command("sign")
@payment_arguments
@click.option("--valid-for", type=DURATION, default="7d", show_default=True, help="How long the merchant has to submit it.")
@domain_options
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
    from tenge.chain.signers import resolve_signer
    from tenge.chain.networks import get_network
    from tenge.payments.offline import sign_offline_vat_payment

    require_positive_gross(gross)
    net = get_network(network)
    domain, vat_payments = _domain_and_contract(net.name, chain_id, token_address, token_name, contract)
    payer = resolve_signer(net, account, prompt=prompt_password)
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

    payment = parse_offline_vat_payment(read_payment(payment_text))
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

    payment = parse_offline_vat_payment(read_payment(payment_text))  # structure first: no connection for a typo
    receipt = open_vat(network, rpc_url, account).submit_offline_payment(payment)
    payment_receipt(as_json, "offline VAT payment", "offline payment submitted", receipt)
