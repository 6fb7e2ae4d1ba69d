"""`tenge token offline sign|show|submit`: offline payments as one copy-and-paste / QR string.

``sign`` needs no connection: the chain id, token address and name come from the deployment
record (or --chain-id/--token/--token-name), the key from --account. ``submit`` decodes and
verifies the string (prefix, checksum, chain, token, signature) before anything is sent.
"""

from __future__ import annotations

from decimal import Decimal

import click

from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, open_session, prompt_password, signer_options
from tenge.cli.display import amount_text
from tenge.cli.offline_params import domain_options, read_payment, signing_domain
from tenge.cli.token_params import DURATION


@click.group("offline", cls=TengeGroup)
def offline_group() -> None:
    """Offline payments: the payer signs with no connection, the payee submits later."""


@offline_group.command("sign")
@click.argument("to", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--valid-for", type=DURATION, default="7d", show_default=True, help="How long the payee has to submit it.")
@domain_options
@signer_options
@json_option
def offline_sign_cmd(
    to: str,
    amount: Decimal,
    valid_for: int,
    chain_id: int | None,
    token_address: str | None,
    token_name: str | None,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Sign a payment of AMOUNT to TO with no connection and print it as one string."""
    from tenge.chain.signers import resolve_signer
    from tenge.chain.networks import get_network
    from tenge.token.offline import sign_offline_payment

    net = get_network(network)
    domain, _ = signing_domain(
        net.name, chain_id, token_address, token_name,
        missing=f"no deployment record for {net.name!r} to take the token from; give --chain-id, --token and --token-name",
    )  # fmt: skip
    payer = resolve_signer(net, account, prompt=prompt_password)
    payment = sign_offline_payment(payer, domain, to=to, amount=amount, valid_for_seconds=valid_for)
    text = payment.encode()
    emit(as_json, {"payment": text, **payment.to_dict()}, text)


@offline_group.command("show")
@click.argument("payment_text", metavar="PAYMENT")
@click.option("--network", "-n", default="local", show_default=True, help="Verify against this network's deployment record.")
@json_option
def offline_show_cmd(payment_text: str, network: str, as_json: bool) -> None:
    """Decode PAYMENT (or - for stdin) and, when a deployment record is at hand, verify it offline."""
    from tenge.deploy.record import DeploymentRecord
    from tenge.token.offline import domain_from_record, parse_offline_payment

    payment = parse_offline_payment(read_payment(payment_text))
    record = DeploymentRecord.load(network)
    verified = "not checked (no deployment record)"
    if record is not None:
        payment.verify(domain_from_record(record))
        verified = f"signature, chain and token match the {network} deployment"
    data = {**payment.to_dict(), "verified": verified}
    emit(as_json, data)


@offline_group.command("submit")
@click.argument("payment_text", metavar="PAYMENT")
@signer_options
@json_option
def offline_submit_cmd(payment_text: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Verify PAYMENT (or - for stdin) and submit it (anyone may; gas is paid by --account)."""
    from tenge.token.offline import parse_offline_payment

    payment = parse_offline_payment(read_payment(payment_text))  # structure first: no connection for a typo
    token = open_session(network, rpc_url, account).token()
    result = token.submit_offline_payment(payment)
    data = {"action": "offline payment", **payment.to_dict(), **result.to_dict()}
    text = (
        f"offline payment of {amount_text(payment.amount)} from {payment.payer} to {payment.payee} submitted\n"
        f"  tx {result.tx_hash}  block {result.block_number}  gas {result.gas_used:,}"
    )
    emit(as_json, data, text)
