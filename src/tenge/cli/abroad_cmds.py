"""`tenge pay-abroad`: the one-action cross-border payment (over tenge.pvp.abroad)."""

from __future__ import annotations

from decimal import Decimal

import click

from tenge.cli.common import ADDRESS, AMOUNT, emit, json_option, open_session, signer_options


@click.command("pay-abroad")
@click.argument("quote")
@click.argument("merchant", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.option("--via", "via", required=True, metavar="NETWORK",
              help="The BNB-side network where the PvP settlement contract is (the common platform).")
@click.option("--to", "to", required=True, metavar="NETWORK", help="The merchant's home ledger (e.g. the som's).")
@click.option("--min-receive", type=AMOUNT, default=None, help="Least the merchant must get (default: as quoted).")
@click.option("--wait-for", type=click.FloatRange(min=0), default=300.0, show_default=True, metavar="SECONDS",
              help="How long to follow the hops (0: send and return).")
@signer_options
@json_option
def pay_abroad_cmd(quote: str, merchant: str, amount: Decimal, via: str, to: str, min_receive: Decimal | None,
                   wait_for: float, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Pay a merchant on another currency's home ledger in one action: bridge, PvP on the BNB side, bridge on; each hop shown.

    Pays MERCHANT AMOUNT of your currency on QUOTE (an LP's signed quote: JSON or a file) with one transaction on
    your home ledger (-n): the tenge crosses the bridge with a typed payment order, PvP settles on the BNB side
    (--via), the som crosses its bridge to the merchant's ledger (--to). Shows each hop (sent, attested, settled,
    delivered) and the amount received; a refusal on the way refunds you, once."""
    from tenge.cli.pvp_cmds import _signed_quote
    from tenge.pvp.abroad import CrossBorder

    signed = _signed_quote(quote)
    xb = CrossBorder(open_session(network, rpc_url, account), open_session(via, None, account),
                     open_session(to, None, None, read_only=True))  # fmt: skip
    payment = xb.pay(signed, merchant, amount, min_receive=min_receive)
    printed: list[str] = []

    def show(now: object) -> None:
        if not as_json:
            from tenge.pvp.abroad import AbroadPayment

            assert isinstance(now, AbroadPayment)
            for hop in now.hops:
                line = f"  {hop.name:<10} {hop.state:<8} {hop.detail}".rstrip()
                if line not in printed:
                    printed.append(line)
                    click.echo(line)

    if not as_json:
        click.echo(f"payment {payment.inbound_id}: {payment.sell.fmt(payment.paid)} to {merchant}")
    final = xb.wait(payment, timeout=wait_for, on_hop=show) if wait_for > 0 else payment
    text = f"outcome: {final.outcome}" + (f"; the merchant received {final.buy.fmt(final.received)}"
                                           if final.received is not None else "")  # fmt: skip
    emit(as_json, final.to_dict(), text)
