"""`tenge pvp ...`: cross-border payment versus payment (over tenge.pvp.client).

A signed quote travels as JSON ({"domain", "quote", "signature"}): `quote` prints it (the signer account is the
LP), `pay` and `status` take it from a file or from the argument itself. Amounts are decimal strings in each
currency, shown with its own code (KZT, KGS).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from tenge.cli.common import (
    ADDRESS,
    AMOUNT,
    TengeGroup,
    emit,
    json_object_argument,
    json_option,
    open_session,
    reader_options,
    signer_options,
)
from tenge.cli.token_params import DURATION

if TYPE_CHECKING:
    from tenge.pvp.client import PvPClient, Settlement
    from tenge.pvp.quotes import SignedQuote

NONCE = click.IntRange(min=0, max=2**256 - 1)


def _open(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "PvPClient":
    return open_session(network, rpc_url, account, read_only=read_only).pvp()


def _signed_quote(text_or_file: str) -> "SignedQuote":
    from tenge.pvp.quotes import SignedQuote

    return SignedQuote.from_json(json_object_argument(text_or_file, "quote"))


def _settled_text(settled: "Settlement") -> str:
    return (f"settled ({settled.kind}): {settled.sell.fmt(settled.sell_amount)} -> {settled.buy.fmt(settled.buy_amount)} "
            f"at {settled.rate} {settled.buy.code}/{settled.sell.code}, provider {settled.provider}\n"
            f"  tx {settled.tx.tx_hash}  gas {settled.tx.gas_used:,}")  # fmt: skip


@click.group("pvp", cls=TengeGroup)
def pvp_group() -> None:
    """Cross-border payment versus payment: signed FX quotes, pay, interbank settle, cancel, status, corridor limits."""


@pvp_group.command("quote")
@click.option("--sell", required=True, type=ADDRESS, help="The currency token the payer pays in (e.g. the tenge).")
@click.option("--buy", required=True, type=ADDRESS, help="The currency token the LP delivers (e.g. the som).")
@click.option("--rate", required=True, help="Exact decimal: units of --buy per unit of --sell (at most 18 places).")
@click.option("--max-amount", required=True, type=AMOUNT, help="Largest amount of --sell the quote takes.")
@click.option("--valid-for", type=DURATION, default="60s", show_default=True, help="How long the quote is firm.")
@click.option("--nonce", type=NONCE, default=None, help="The LP's nonce for it (default: the next open one).")
@click.option("--taker", type=ADDRESS, default=None, help="Only this payer may use the quote.")
@reader_options
def quote_cmd(sell: str, buy: str, rate: str, max_amount: Decimal, valid_for: int, nonce: int | None,
              taker: str | None, network: str, rpc_url: str | None, account: str | None) -> None:  # fmt: skip
    """Sign an FX quote as the LP (--account); prints the signed quote JSON. Nothing is sent."""
    client = _open(network, rpc_url, account)
    signed = client.quote(sell=sell, buy=buy, rate=rate, max_amount=max_amount, valid_for=valid_for, nonce=nonce,
                          taker=taker)  # fmt: skip
    click.echo(json.dumps(signed.to_json(client.domain)))


@pvp_group.command("pay")
@click.argument("quote")
@click.argument("amount", type=AMOUNT)
@click.argument("recipient", type=ADDRESS)
@click.option("--min-receive", type=AMOUNT, default=None, help="Least the recipient must get (default: as quoted).")
@click.option("--approve", is_flag=True, help="First approve the settlement contract for AMOUNT of your currency.")
@signer_options
@json_option
def pay_cmd(quote: str, amount: Decimal, recipient: str, min_receive: Decimal | None, approve: bool, network: str,
            rpc_url: str | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Pay AMOUNT on QUOTE (JSON or a file): your currency to the LP, the LP's to RECIPIENT, both or neither."""
    client = _open(network, rpc_url, account)
    signed = _signed_quote(quote)
    if approve:
        client.approve(signed.quote.sell_token, amount)
    settled = client.pay(signed, amount, recipient, min_receive=min_receive)
    emit(as_json, settled.to_dict(), _settled_text(settled))


@pvp_group.command("settle")
@click.argument("trade")
@signer_options
@json_option
def settle_cmd(trade: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Settle an interbank TRADE (JSON {"trade": {...}, "signatureA", "signatureB"} or a file) both banks signed."""
    from tenge.errors import InvalidInput
    from tenge.pvp.quotes import Trade

    data = json_object_argument(trade, "trade")
    try:
        m = data["trade"]
        parsed = Trade(m["bankA"], m["tokenA"], int(m["amountA"]), m["bankB"], m["tokenB"], int(m["amountB"]),
                       int(m["validBefore"]), int(m["nonceA"]), int(m["nonceB"]))  # fmt: skip
        sig_a, sig_b = (bytes.fromhex(str(data[k]).removeprefix("0x")) for k in ("signatureA", "signatureB"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"not a signed trade ({exc})") from None
    settled = _open(network, rpc_url, account).settle(parsed, sig_a, sig_b)
    emit(as_json, settled.to_dict(), _settled_text(settled))


@pvp_group.command("cancel-quote")
@click.argument("nonce", type=NONCE)
@signer_options
@json_option
def cancel_cmd(nonce: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Cancel your unused quote (or trade) NONCE: it can no longer settle."""
    result = _open(network, rpc_url, account).cancel(nonce)
    emit(as_json, {"nonce": nonce, "txHash": result.tx_hash}, f"cancelled nonce {nonce}\n  tx {result.tx_hash}")


@pvp_group.command("status")
@click.argument("quote")
@reader_options
@json_option
def status_cmd(quote: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Whether QUOTE (JSON or a file) can settle now: open, used, cancelled, expired or not-yet-valid."""
    status = _open(network, rpc_url, account, read_only=True).status(_signed_quote(quote))
    emit(as_json, status.to_dict(), f"{status.state}: rate {status.rate}, up to {status.max_amount:,.2f}, "
                                    f"valid {status.valid_after} to {status.valid_before}")  # fmt: skip


@pvp_group.command("limits")
@click.option("--sell", required=True, type=ADDRESS, help="The corridor's sold currency token.")
@click.option("--buy", required=True, type=ADDRESS, help="The corridor's bought currency token.")
@click.option("--set", "daily_limit", type=AMOUNT, default=None, help="Set the daily limit (CORRIDOR_ROLE; 0 closes).")
@signer_options
@json_option
def limits_cmd(sell: str, buy: str, daily_limit: Decimal | None, network: str, rpc_url: str | None,
               account: str | None, as_json: bool) -> None:  # fmt: skip
    """The corridor SELL -> BUY: its daily limit (in the sold currency), used and left today; --set changes it."""
    client = _open(network, rpc_url, account, read_only=daily_limit is None)
    if daily_limit is not None:
        client.set_limit(sell, buy, daily_limit)
    limits = client.limits(sell, buy)
    emit(as_json, limits.to_dict(), f"corridor {limits.sell.code} -> {limits.buy.code}: daily limit "
                                    f"{limits.sell.fmt(limits.daily_limit)}, used today {limits.sell.fmt(limits.used_today)}, "
                                    f"left {limits.sell.fmt(limits.remaining_today)}")  # fmt: skip
