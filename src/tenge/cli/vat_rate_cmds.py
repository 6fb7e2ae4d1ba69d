"""`tenge vat rate schedule|cancel|label|show`: the tax authority's VAT rate schedule."""

from __future__ import annotations

from datetime import timezone

import click

from tenge.cli.common import TengeGroup, emit, json_option, reader_options, signer_options
from tenge.cli.display import text_value
from tenge.cli.vat_output import done, open_vat
from tenge.cli.vat_params import CATEGORY, RATE, WHEN, resolve_utc_offset, utc_offset_option


@click.group("rate", cls=TengeGroup)
def rate_group() -> None:
    """VAT rates per category, with scheduled changes (TAX_AUTHORITY_ROLE to change them)."""


@rate_group.command("schedule")
@click.argument("category", type=CATEGORY)
@click.argument("rate", type=RATE)
@click.option("--from", "effective_from", type=WHEN, default=None,
              help="When it takes effect: unix seconds, a date or a date-time (default: at once).")  # fmt: skip
@utc_offset_option
@signer_options
@json_option
def schedule_cmd(
    category: int,
    rate: int,
    effective_from: str | None,
    utc_offset: timezone | None,
    network: str,
    rpc_url: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Schedule RATE (16%, 1600bp) for CATEGORY from --from on."""
    from tenge.payments.periods import parse_instant
    from tenge.payments.rates import format_rate

    when = None if effective_from is None else parse_instant(effective_from, resolve_utc_offset(utc_offset, network))
    result = open_vat(network, rpc_url, account).schedule_rate(category, rate, when)
    done(as_json, "schedule rate", result, category=category, rate=format_rate(rate), rateBps=rate,
         effectiveFrom=when or "now")  # fmt: skip


@rate_group.command("cancel")
@click.argument("category", type=CATEGORY)
@signer_options
@json_option
def cancel_cmd(category: int, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Cancel CATEGORY's pending (not yet effective) rate change."""
    done(as_json, "cancel rate change", open_vat(network, rpc_url, account).cancel_rate_change(category), category=category)


@rate_group.command("label")
@click.argument("category", type=CATEGORY)
@click.argument("label")
@signer_options
@json_option
def label_cmd(category: int, label: str, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """Name CATEGORY for reports (e.g. "reduced: medicines")."""
    done(as_json, "label category", open_vat(network, rpc_url, account).label_category(category, label),
         category=category, label=label)  # fmt: skip


@rate_group.command("show")
@click.argument("category", type=CATEGORY, required=False)
@reader_options
@json_option
def show_cmd(category: int | None, network: str, rpc_url: str | None, account: str | None, as_json: bool) -> None:
    """The rate in force and any pending change of CATEGORY (default: every category)."""
    vat = open_vat(network, rpc_url, account, read_only=True)
    if category is None:
        schedules = vat.rate_schedules()
    else:
        schedules = [vat.rate_schedule(category, label=vat.category_labels().get(category))]
    data = [s.to_dict() for s in schedules]
    lines = []
    for item in data:
        pending = f", {item['pendingRate']} from {text_value('pending_from', item['pendingFrom'])}" if item["pendingRate"] is not None else ""
        label = f" ({item['label']})" if item["label"] else ""
        lines.append(f"category {item['categoryId']}{label}: {item['rateInForce'] or 'no rate in force'}{pending}")
    emit(as_json, data, "\n".join(lines) if lines else "no categories scheduled")
