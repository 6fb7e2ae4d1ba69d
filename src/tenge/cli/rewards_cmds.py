"""`tenge rewards ...`: sponsor-funded reward pools paid on attested claims (over tenge.programmes.rewards).

A signed claim travels as JSON ({"poolId", "beneficiary", "amount", "period", "validBefore", "signature"}):
`sign-claim` prints it (the signer account is the attester; payable for `--valid-for`, 7 days by default),
`claim` submits it from a file or from the argument itself.
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
from tenge.cli.display import amount_text, set_currency
from tenge.cli.token_params import DURATION, REFERENCE
from tenge.cli.vat_output import done

if TYPE_CHECKING:
    from tenge.programmes.rewards import RewardsClient

POOL = click.IntRange(min=1)
PERIOD = click.IntRange(min=0, max=2**64 - 1)


def _open(network: str, rpc_url: str | None, account: str | None, *, read_only: bool = False) -> "RewardsClient":
    client = open_session(network, rpc_url, account, read_only=read_only).rewards()
    set_currency(lambda: client.token.currency)
    return client


@click.group("rewards", cls=TengeGroup)
def rewards_group() -> None:
    """Reward pools (move-to-earn): create, fund, sign and submit claims, pause, close, status."""


@rewards_group.command("create")
@click.option("--attester", required=True, type=ADDRESS, help="The app backend's signing address.")
@click.option("--max-per-claim", required=True, type=AMOUNT, help="Cap per beneficiary and period.")
@click.option("--period-cap", required=True, type=AMOUNT, help="Cap per period over all beneficiaries.")
@click.option("--budget-code", required=True, type=REFERENCE)
@signer_options
@json_option
def create_cmd(attester: str, max_per_claim: Decimal, period_cap: Decimal, budget_code: str, network: str,
               rpc_url: str | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Create a pool (SPONSOR_ROLE); prints its id."""
    client = _open(network, rpc_url, account)
    pid = client.create_pool(attester, max_per_claim=max_per_claim, period_cap=period_cap, budget=budget_code)
    emit(as_json, client.pool(pid).to_dict(), f"created reward pool {pid}")


@rewards_group.command("fund")
@click.argument("pool_id", type=POOL)
@click.argument("amount", type=AMOUNT)
@signer_options
@json_option
def fund_cmd(pool_id: int, amount: Decimal, network: str, rpc_url: str | None, account: str | None,
             as_json: bool) -> None:  # fmt: skip
    """Top up POOL_ID with AMOUNT of your tenge (its sponsor)."""
    done(as_json, "funded", _open(network, rpc_url, account).fund(pool_id, amount), pool=pool_id, amount=amount)


@rewards_group.command("sign-claim")
@click.argument("pool_id", type=POOL)
@click.argument("beneficiary", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
@click.argument("period", type=PERIOD)
@click.option("--valid-for", type=DURATION, default="7d", show_default=True,
              help="How long the claim stays payable (from the chain's clock); later the contract refuses it.")
@reader_options
def sign_claim_cmd(pool_id: int, beneficiary: str, amount: Decimal, period: int, valid_for: int, network: str,
                   rpc_url: str | None, account: str | None) -> None:  # fmt: skip
    """Sign, as the attester (--account), that BENEFICIARY earned AMOUNT in PERIOD; prints the claim JSON.

    PERIOD is the attester's own whole number for the earning period (e.g. 20261130 for a day, 202648 for a
    week): the contract gives it no calendar meaning; it pays each beneficiary once per pool and PERIOD, and
    the pool's period cap bounds what all claims of one PERIOD pay."""
    client = _open(network, rpc_url, account)
    signed = client.sign_claim(client.session.signer.account, pool_id, beneficiary, amount, period,
                               valid_for_seconds=valid_for)  # fmt: skip
    click.echo(json.dumps(signed.to_dict()))


@rewards_group.command("claim")
@click.argument("claim")
@signer_options
@json_option
def claim_cmd(claim: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Submit CLAIM (a JSON text or a file holding it); anyone may, you pay the gas."""
    from tenge.programmes.signing import SignedClaim

    data = json_object_argument(claim, "claim")
    receipt = _open(network, rpc_url, account).claim(SignedClaim.from_dict(data))
    emit(as_json, receipt.to_dict(), f"paid {amount_text(receipt.amount)} to {receipt.beneficiary} for period {receipt.period} "
                                     f"from pool {receipt.pool_id}\n  tx {receipt.tx.tx_hash}  gas {receipt.tx.gas_used:,}")  # fmt: skip


@rewards_group.command("pause")
@click.argument("pool_id", type=POOL)
@click.option("--resume", is_flag=True, help="Lift the pause instead.")
@signer_options
@json_option
def pause_cmd(pool_id: int, resume: bool, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Pause (or --resume) claims on POOL_ID (its sponsor)."""
    result = _open(network, rpc_url, account).set_paused(pool_id, not resume)
    done(as_json, "resumed" if resume else "paused", result, pool=pool_id)


@rewards_group.command("close")
@click.argument("pool_id", type=POOL)
@signer_options
@json_option
def close_cmd(pool_id: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Close POOL_ID; its remainder goes back to the sponsor."""
    remainder, result = _open(network, rpc_url, account).close(pool_id)
    done(as_json, "closed", result, pool=pool_id, remainder=remainder)


@rewards_group.command("status")
@click.argument("pool_id", type=POOL)
@click.option("--period", type=PERIOD, default=None, help="Also show what was paid in this period.")
@reader_options
@json_option
def status_cmd(pool_id: int, period: int | None, network: str, rpc_url: str | None, account: str | None,
               as_json: bool) -> None:  # fmt: skip
    """Terms and balance of POOL_ID."""
    client = _open(network, rpc_url, account, read_only=True)
    pool = client.pool(pool_id)
    data = pool.to_dict()
    if period is not None:
        data["period"] = period
        data["paidInPeriod"] = client.paid_in_period(pool_id, period)
    emit(as_json, data)
