"""`tenge vat merchant register|update|activate|deactivate|show|list`: the merchant registry."""

from __future__ import annotations

import click

from tenge.cli.common import ADDRESS, TengeGroup, emit, json_option, signer_options
from tenge.cli.vat_output import done, open_vat
from tenge.cli.vat_params import CATEGORY, MERCHANT_ID


@click.group("merchant", cls=TengeGroup)
def merchant_group() -> None:
    """The merchant registry (REGISTRAR_ROLE or TAX_AUTHORITY_ROLE to change it)."""


@merchant_group.command("register")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("payout", type=ADDRESS)
@click.option("--vat-registered/--not-vat-registered", default=True, show_default=True,
              help="An unregistered merchant charges no VAT.")  # fmt: skip
@click.option("--category", type=CATEGORY, default=1, show_default=True, help="Default VAT category.")
@signer_options
@json_option
def register_cmd(
    merchant: int,
    payout: str,
    vat_registered: bool,
    category: int,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Register MERCHANT (active) paying out to PAYOUT."""
    result = open_vat(network, rpc_url, account).register_merchant(
        merchant, payout, vat_registered=vat_registered, default_category=category
    )
    done(as_json, "register merchant", result, merchant=merchant, payout=payout, vatRegistered=vat_registered,
         defaultCategory=category)  # fmt: skip


@merchant_group.command("update")
@click.argument("merchant", type=MERCHANT_ID)
@click.option("--payout", type=ADDRESS, default=None, help="New payout address.")
@click.option("--vat-registered/--not-vat-registered", default=None, help="Change the VAT registration.")
@click.option("--category", type=CATEGORY, default=None, help="New default VAT category.")
@signer_options
@json_option
def update_cmd(
    merchant: int,
    payout: str | None,
    vat_registered: bool | None,
    category: int | None,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Change MERCHANT's payout address, VAT registration or default category (what is not given stays)."""
    if payout is None and vat_registered is None and category is None:
        raise click.UsageError("nothing to update: give --payout, --vat-registered/--not-vat-registered or --category")
    vat = open_vat(network, rpc_url, account)
    result = vat.update_merchant(merchant, payout=payout, vat_registered=vat_registered, default_category=category)
    done(as_json, "update merchant", result, **vat.merchant(merchant).to_dict())


@merchant_group.command("activate")
@click.argument("merchant", type=MERCHANT_ID)
@signer_options
@json_option
def activate_cmd(merchant: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Let MERCHANT be paid again."""
    done(as_json, "activate merchant", open_vat(network, rpc_url, account).activate_merchant(merchant), merchant=merchant)


@merchant_group.command("deactivate")
@click.argument("merchant", type=MERCHANT_ID)
@signer_options
@json_option
def deactivate_cmd(merchant: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Stop payments to MERCHANT (it can still refund)."""
    done(
        as_json, "deactivate merchant", open_vat(network, rpc_url, account).deactivate_merchant(merchant),
        merchant=merchant,
    )  # fmt: skip


@merchant_group.command("show")
@click.argument("merchant", type=MERCHANT_ID)
@signer_options
@json_option
def show_cmd(merchant: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """MERCHANT's record."""
    emit(as_json, open_vat(network, rpc_url, account, read_only=True).merchant(merchant).to_dict())


@merchant_group.command("list")
@signer_options
@json_option
def list_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Every registered merchant (from the registry's events), as it stands now."""
    merchants = open_vat(network, rpc_url, account, read_only=True).merchants()
    lines = [f"{'merchant':>10}  {'payout':42}  {'VAT':3}  {'cat':>3}  active"]
    lines += [
        f"{m.merchant_id:>10}  {m.payout:42}  {'yes' if m.vat_registered else 'no':3}  {m.default_category:>3}  "
        f"{'yes' if m.active else 'no'}"
        for m in merchants
    ]
    emit(as_json, [m.to_dict() for m in merchants], "\n".join(lines) if merchants else "no merchants registered")
