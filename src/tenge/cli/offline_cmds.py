"""`tenge offline pay|accept`: offline purse payments, device side and merchant-terminal side, no connection.

``pay`` signs the purse's next payment with the device key (``--account``), saves the purse file's counters
durably, then prints the ``dtoff1:`` string (QR payload). ``accept`` verifies strings on the terminal (bank
certificate, device signature, amounts, sequence, merchant, expiry, revocations) and stores each one; it says
"accepted" only after the store's commit. With PAYMENT ``-`` it reads one string per line from stdin and answers
each as it comes (a terminal's loop). Any refusal: the message and a non-zero exit.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

import click

from tenge.cli.common import ADDRESS, AMOUNT, TengeGroup, emit, json_option, prompt_password


@click.group("offline", cls=TengeGroup)
def offline_group() -> None:
    """Offline purses: pay from a bank-certified purse with no connection; merchants accept offline and settle later; open, revoke, close purses on chain."""


@offline_group.command("pay")
@click.argument("merchant", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--purse", "purse_file", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The purse file (certificate + counters) the purse was opened into.")
@click.option("--invoice", default=None, help="Invoice reference: up to 32 bytes of text, or 0x + 64 hex digits.")
@click.option("--at", "at_time", type=click.IntRange(min=0), default=None, help="Payment time (unix seconds; default now).")
@click.option("--network", "-n", default="local", show_default=True, help="Network whose keystores --account names.")
@click.option("--account", "-a", default=None, help="The device key: keystore alias, or dev:N on local networks.")
@json_option
def pay_cmd(
    merchant: str, amount: Decimal, purse_file: Path, invoice: str | None, at_time: int | None, network: str,
    account: str | None, as_json: bool,
) -> None:  # fmt: skip
    """Pay AMOUNT tenge to MERCHANT from the purse with no connection; print the string the merchant scans."""
    from tenge.amounts import from_tiyn, to_tiyn
    from tenge.chain.networks import get_network
    from tenge.chain.signers import resolve_signer
    from tenge.offline import codec
    from tenge.offline.device import Device, invoice_bytes, load_state, save_state

    state = load_state(purse_file)
    key = bytes(resolve_signer(get_network(network), account, prompt=prompt_password).key)
    device = Device(state, key)
    now = int(time.time()) if at_time is None else at_time
    signed, after = device.next_payment(merchant, to_tiyn(amount, allow_zero=False), invoice_bytes(invoice), now)
    save_state(purse_file, after)  # durable before the string exists: never the same sequence twice
    text = codec.encode(signed, after.domain)
    emit(as_json, {
        "payment": text, "purse_id": "0x" + signed.payment.purse_id.hex(), "sequence": signed.payment.sequence,
        "amount": str(from_tiyn(signed.payment.amount)), "cumulative": str(from_tiyn(signed.payment.cumulative)),
        "remaining": str(from_tiyn(after.remaining)), "merchant": merchant,
    }, text)  # fmt: skip


@offline_group.command("accept")
@click.argument("payments", metavar="PAYMENT...", nargs=-1, required=True)
@click.option("--terminal", "db", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The terminal's store (SQLite file; created on first use).")
@click.option("--merchant", type=ADDRESS, default=None, help="This terminal's merchant address (first use; saved).")
@click.option("--bank", "banks", type=ADDRESS, multiple=True, help="A trusted issuing bank (repeat; saved, replaces the list).")
@click.option("--chain-id", type=click.IntRange(min=1), default=None, help="Chain id the purses settle on (first use; saved).")
@click.option("--purse-contract", type=ADDRESS, default=None, help="The purse contract (first use; saved).")
@click.option("--revoked", "revoked", multiple=True, help="A purse id the banks revoked (learned online; saved).")
@json_option
def accept_cmd(
    payments: tuple[str, ...], db: Path, merchant: str | None, banks: tuple[str, ...], chain_id: int | None,
    purse_contract: str | None, revoked: tuple[str, ...], as_json: bool,
) -> None:  # fmt: skip
    """Verify each PAYMENT string with no connection and store it; PAYMENT - reads one per line from stdin."""
    from tenge.errors import InvalidInput
    from tenge.offline.terminal import PaymentRefused, Terminal
    from tenge.cli.offline_accept import open_terminal, parse_purse_id, report

    terminal: Terminal = open_terminal(db, merchant, banks, chain_id, purse_contract)
    try:
        if revoked:
            terminal.learn_revocations([parse_purse_id(p) for p in revoked])
        lines = sys.stdin if payments == ("-",) else iter(payments)
        refused = 0
        for line in lines:
            if not line.strip():
                continue
            try:
                accepted = terminal.accept_text(line, on_verified=lambda: report(as_json, "verified", None))
            except (PaymentRefused, InvalidInput) as exc:
                refused += 1
                if len(payments) == 1 and payments != ("-",):
                    raise
                report(as_json, "refused", str(exc))
                continue
            report(as_json, "accepted", accepted)
    finally:
        terminal.close()
    if refused:
        raise click.exceptions.Exit(2)


# The on-chain side (h5): a purse's life on chain and settling a terminal's payments (tenge.offline.purses).
from tenge.cli.offline_purse_cmds import purse_group, settle_cmd  # noqa: E402 (click and tenge.cli.common only)

offline_group.add_command(purse_group)
offline_group.add_command(settle_cmd)
