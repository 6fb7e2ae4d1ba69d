"""`tenge programme ...`: purpose-bound programmes (a thin layer over tenge.programmes.client).

Arguments are checked by their click types before a connection is opened; a call the contract would refuse
is estimated first and refused with its decoded error. Either way nothing is sent and the exit code is non-zero.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tenge.cli.common import (
    ADDRESS, AMOUNT, TengeGroup, emit, json_option, open_session, prompt_password, reader_options, signer_options,
)  # fmt: skip
from tenge.cli.display import amount_text, set_currency, text_value
from tenge.cli.offline_params import offline_record
from tenge.cli.token_params import REFERENCE
from tenge.cli.vat_output import done
from tenge.cli.vat_params import CATEGORY, INVOICE, MERCHANT_ID, WhenType

if TYPE_CHECKING:
    from tenge.programmes.client import ProgrammesClient
    from tenge.programmes.records import SpendReceipt

WHEN = WhenType()


def _open(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "ProgrammesClient":
    client = open_session(network, rpc_url, account, read_only=read_only).programmes()
    set_currency(lambda: client.token.currency)
    return client


def _receipt(as_json: bool, r: "SpendReceipt") -> None:
    emit(as_json, r.to_dict(), f"spent {amount_text(r.amount)} of programme {r.programme_id} at merchant {r.merchant_id}: "
                               f"net {amount_text(r.net)} + VAT {amount_text(r.vat)} (category {r.category_id})\n"
                               f"  payment 0x{r.payment_id.hex()}  tx {r.tx.tx_hash}  gas {r.tx.gas_used:,}")  # fmt: skip


@click.group("programme", cls=TengeGroup)
def programme_group() -> None:
    """Purpose-bound programmes: create, fund, allocate, spend (online or offline-signed), reclaim, status."""


@programme_group.command("create")
@click.option("--purpose", "purpose", type=CATEGORY, multiple=True, required=True, help="Allowed VAT category (repeat).")
@click.option("--expires", required=True, type=WHEN,
              help="Expiry: a date or a date-time (read in the display zone, default +05:00), or unix seconds.")
@click.option("--starts", type=WHEN, default=None, help="Start of validity, read as --expires (default: now).")
@click.option("--daily-limit", type=AMOUNT, default=None, help="Spending limit per beneficiary per UTC day.")
@click.option("--transferable/--bound", default=False, show_default=True, help="May vouchers be passed on?")
@click.option("--budget-code", required=True, type=REFERENCE, help="Budget code (<= 32 bytes, no personal data).")
@signer_options
@json_option
def create_cmd(purpose: tuple[int, ...], expires: str, starts: str | None, daily_limit: Decimal | None,
               transferable: bool, budget_code: str, network: str, rpc_url: str | None, account: str | None,
               as_json: bool) -> None:  # fmt: skip
    """Create a programme (SPONSOR_ROLE); prints its id."""
    from tenge.cli.display import display_timezone
    from tenge.payments.periods import parse_instant

    zone = display_timezone()
    client = _open(network, rpc_url, account)
    pid = client.create(
        list(purpose), parse_instant(expires, zone), budget=budget_code,
        valid_from=parse_instant(starts, zone) if starts else 0, daily_limit=daily_limit, transferable=transferable,
    )  # fmt: skip
    emit(as_json, client.programme(pid).to_dict(), f"created programme {pid}")


@programme_group.command("fund")
@click.argument("programme_id", type=click.IntRange(min=1))
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def fund_cmd(programme_id: int, amount: Decimal, network: str, rpc_url: str | None, account: str | None,
             as_json: bool) -> None:  # fmt: skip
    """Lock AMOUNT of your tenge in PROGRAMME_ID (its sponsor)."""
    result = _open(network, rpc_url, account).fund(programme_id, amount)
    done(as_json, "funded", result, programme=programme_id, amount=amount)


@programme_group.command("allocate")
@click.argument("programme_id", type=click.IntRange(min=1))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--batch-size", type=click.IntRange(min=1, max=1000), default=200, show_default=True)
@signer_options
@json_option
def allocate_cmd(programme_id: int, file: Path, batch_size: int, network: str, rpc_url: str | None,
                 account: str | None, as_json: bool) -> None:  # fmt: skip
    """Allocate vouchers from FILE (CSV: address,amount) in batches; checked wholly before the first is sent."""
    from tenge.programmes.allocation import read_allocation_csv

    from tenge.plural import counted

    rows = read_allocation_csv(file)
    results = _open(network, rpc_url, account).allocate(programme_id, list(rows), batch_size=batch_size)
    total = sum((r.total for r in results), Decimal("0.00"))
    gas = sum(r.tx.gas_used for r in results)
    emit(as_json, {"programmeId": programme_id, "beneficiaries": len(rows), "total": total, "gasUsed": gas,
                   "batches": [r.to_dict() for r in results]},
         f"allocated {amount_text(total)} to {counted(len(rows), 'beneficiary', 'beneficiaries')} in "
         f"{counted(len(results), 'transaction')}, gas {gas:,}")  # fmt: skip


@programme_group.command("spend")
@click.argument("programme_id", type=click.IntRange(min=1))
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("amount", type=AMOUNT)
@click.argument("invoice", type=INVOICE)
@click.option("--category", type=CATEGORY, default=0, show_default=True, help="VAT category (0: the merchant's default).")
@click.option("--offline", is_flag=True, help="Only sign, with no connection (domain from the deployment record): "
              "print a dtpbm1: string the merchant submits later.")
@click.option("--valid-for", type=click.IntRange(min=1), default=7 * 24 * 3600, show_default=True, help="Seconds (--offline).")
@signer_options
@json_option
def spend_cmd(programme_id: int, merchant: int, amount: Decimal, invoice: bytes, category: int, offline: bool,
              valid_for: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Spend AMOUNT of your vouchers at MERCHANT for INVOICE, through VAT payments."""
    from tenge.errors import InvalidInput

    if amount == 0:
        raise InvalidInput("amount must be greater than zero; nothing was sent")
    if offline:
        _sign_offline(programme_id, merchant, amount, invoice, category, valid_for, network, account, as_json)
        return
    _receipt(as_json, _open(network, rpc_url, account).spend(programme_id, merchant, amount, invoice, category=category))


def _sign_offline(programme_id: int, merchant: int, amount: Decimal, invoice: bytes, category: int, valid_for: int,
                  network: str, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Sign with no connection: the domain (chain id, PurposeBoundProgrammes) from the deployment record."""
    from tenge.chain.networks import get_network
    from tenge.chain.signers import resolve_signer
    from tenge.programmes.client import domain_from_record, sign_offline_spend

    net = get_network(network)
    record = offline_record(net.name, missing=f"no deployment record for {net.name!r} to take the chain id and "
                                             "PurposeBoundProgrammes address from; an offline spend needs it")  # fmt: skip
    domain = domain_from_record(record)
    beneficiary = resolve_signer(net, account, prompt=prompt_password)
    signed = sign_offline_spend(beneficiary, domain, programme_id, merchant, amount, invoice, category=category,
                                valid_for_seconds=valid_for)  # fmt: skip
    emit(as_json, {**signed.to_dict(), "offline": signed.encode()}, signed.encode())


@programme_group.command("submit")
@click.argument("offline_spend")
@signer_options
@json_option
def submit_cmd(offline_spend: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Submit a dtpbm1: spend signed offline by a beneficiary (anyone may; you pay the gas)."""
    _receipt(as_json, _open(network, rpc_url, account).submit_spend(offline_spend))


@programme_group.command("reclaim")
@click.argument("programme_id", type=click.IntRange(min=1))
@signer_options
@json_option
def reclaim_cmd(programme_id: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """After expiry, take back everything PROGRAMME_ID locks (its sponsor); its vouchers become void."""
    amount, result = _open(network, rpc_url, account).reclaim(programme_id)
    done(as_json, "reclaimed", result, programme=programme_id, amount=amount)


@programme_group.command("status")
@click.argument("programme_id", type=click.IntRange(min=1))
@click.option("--holder", type=ADDRESS, default=None, help="Also show this address's vouchers and what it may spend today.")
@reader_options
@json_option
def status_cmd(programme_id: int, holder: str | None, network: str, rpc_url: str | None, account: str | None,
               as_json: bool) -> None:  # fmt: skip
    """Terms, state and the sponsor's report (from events, reconciled with the contract)."""
    client = _open(network, rpc_url, account, read_only=True)
    state, report = client.programme(programme_id), client.report(programme_id)
    data = {"programme": state.to_dict(), "report": report.to_dict()}
    text = [f"programme {programme_id}: purpose {state.purpose}, {text_value('valid_from', state.valid_from)}..{text_value('expiry', state.expiry)}, "
            f"{'transferable' if state.transferable else 'bound'}, daily limit {amount_text(state.daily_limit) if state.daily_limit else 'none'}"
            f"{', CLOSED' if state.closed else ''}", report.render()]  # fmt: skip
    if holder:
        balance, today = client.balance_of(programme_id, holder), client.spendable_today(programme_id, holder)
        data["holder"] = {"address": holder, "balance": balance, "spendableToday": today}
        text.append(f"  {holder}: {amount_text(balance)} held, {amount_text(today)} spendable today")
    emit(as_json, data, "\n".join(text))
