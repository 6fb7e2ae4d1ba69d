"""`tenge vat merchant register|update|activate|deactivate|show|list`: the merchant registry."""

from __future__ import annotations

import click

from tenge.cli.common import ADDRESS, TengeGroup, emit, json_option, reader_options, signer_options
from tenge.cli.vat_output import done, open_vat
from tenge.cli.vat_params import CATEGORY, MERCHANT_ID
from tenge.errors import InvalidInput

CATEGORIES_HELP = (
    "VAT category the merchant may be paid under; repeat for several, the first is its default "
    "(a payment under any other category is refused)."
)


@click.group("merchant", cls=TengeGroup)
def merchant_group() -> None:
    """The merchant registry (REGISTRAR_ROLE or TAX_AUTHORITY_ROLE to change it)."""


@merchant_group.command("register")
@click.argument("merchant", type=MERCHANT_ID)
@click.argument("payout", type=ADDRESS)
@click.option("--vat-registered/--not-vat-registered", default=True, show_default=True,
              help="An unregistered merchant charges no VAT.")  # fmt: skip
@click.option("--category", "categories", type=CATEGORY, multiple=True, help=CATEGORIES_HELP + " [default: 1]")
@signer_options
@json_option
def register_cmd(
    merchant: int,
    payout: str,
    vat_registered: bool,
    categories: tuple[int, ...],
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Register MERCHANT (active) paying out to PAYOUT, payable under the --category list only."""
    default, others = _split_categories(categories or (1,))
    vat = open_vat(network, rpc_url, account)
    vat.check_categories(others)  # before the first transaction: nothing half-done
    result = vat.register_merchant(merchant, payout, vat_registered=vat_registered, default_category=default)
    if others:
        result = vat.set_merchant_categories(merchant, others)
    done(as_json, "register merchant", result, merchant=merchant, payout=payout, vatRegistered=vat_registered,
         defaultCategory=default, categories=[default, *others])  # fmt: skip


@merchant_group.command("update")
@click.argument("merchant", type=MERCHANT_ID)
@click.option("--payout", type=ADDRESS, default=None, help="New payout address.")
@click.option("--vat-registered/--not-vat-registered", default=None, help="Change the VAT registration.")
@click.option("--category", "categories", type=CATEGORY, multiple=True,
              help=CATEGORIES_HELP + " Replaces the merchant's categories.")  # fmt: skip
@signer_options
@json_option
def update_cmd(
    merchant: int,
    payout: str | None,
    vat_registered: bool | None,
    categories: tuple[int, ...],
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Change MERCHANT's payout address, VAT registration or categories (what is not given stays)."""
    if payout is None and vat_registered is None and not categories:
        raise click.UsageError("nothing to update: give --payout, --vat-registered/--not-vat-registered or --category")
    default, others = _split_categories(categories) if categories else (None, ())
    vat = open_vat(network, rpc_url, account)
    vat.check_categories(others)  # before the first transaction: nothing half-done
    result = vat.update_merchant(merchant, payout=payout, vat_registered=vat_registered, default_category=default)
    now = vat.merchant(merchant)
    if categories and set(now.categories) - {now.default_category} != set(others):
        result = vat.set_merchant_categories(merchant, others)
    done(as_json, "update merchant", result, **vat.merchant(merchant).to_dict())


def _split_categories(categories: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
    """The --category list as (default, the others): the first is the default; repeats are refused."""
    if len(set(categories)) != len(categories):
        raise InvalidInput(f"--category given twice: {', '.join(map(str, categories))}; nothing was sent")
    if 0 in categories[1:]:
        raise InvalidInput("category 0 (\"the merchant's default\") can only be the first --category; nothing was sent")
    return categories[0], categories[1:]


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
@reader_options
@json_option
def show_cmd(merchant: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """MERCHANT's record."""
    emit(as_json, open_vat(network, rpc_url, account, read_only=True).merchant(merchant).to_dict())


@merchant_group.command("list")
@reader_options
@json_option
def list_cmd(network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Every registered merchant (from the registry's events), as it stands now."""
    merchants = open_vat(network, rpc_url, account, read_only=True).merchants()
    lines = [f"{'merchant':>10}  {'payout':42}  {'VAT':3}  {'cat':>3}  active  categories"]
    lines += [
        f"{m.merchant_id:>10}  {m.payout:42}  {'yes' if m.vat_registered else 'no':3}  {m.default_category:>3}  "
        f"{'yes' if m.active else 'no':6}  {','.join(map(str, m.categories)) or '-'}"
        for m in merchants
    ]
    emit(as_json, [m.to_dict() for m in merchants], "\n".join(lines) if merchants else "no merchants registered")
