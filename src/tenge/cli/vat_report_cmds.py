"""`tenge vat report`: VAT per merchant, category and rate over a period, from events, reconciled."""

from __future__ import annotations

from datetime import timezone
from pathlib import Path

import click

from tenge.cli.common import reader_options, signer_options
from tenge.cli.vat_output import open_vat
from tenge.cli.vat_params import MERCHANT_ID, WHEN, resolve_utc_offset, utc_offset_option


@click.command("report")
@click.option("--merchant", "merchants", type=MERCHANT_ID, multiple=True, help="Only this merchant (repeatable).")
@click.option("--from", "start", type=WHEN, default=None, help="First day/second (default: since deployment).")
@click.option("--to", "end", type=WHEN, default=None, help="Last day/second, inclusive (default: up to now).")
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file.")
@click.option("--check", is_flag=True, help="Exit with status 3 when the report does not reconcile.")
@click.option("--chunk-blocks", type=click.IntRange(1), default=2000, show_default=True, help="Blocks per eth_getLogs.")
@click.option("--source", type=click.Choice(["auto", "index", "scan"]), default="auto", show_default=True,
              help="auto: the event index when one exists (synced first), else a scan of every event.")
@click.option("--db", "db_url", default=None, help="Index database URL (default: $TENGE_INDEX_URL, else <network>.index.sqlite beside the record).")
@utc_offset_option
@reader_options
def report_cmd(
    merchants: tuple[int, ...],
    start: str | None,
    end: str | None,
    output_format: str,
    as_json: bool,
    output: Path | None,
    check: bool,
    chunk_blocks: int,
    source: str,
    db_url: str | None,
    utc_offset: timezone | None,
    network: str,
    rpc_url: str | None,
    account: str | None,
) -> None:
    """VAT report: gross, net, VAT, refunds and VAT due per merchant, category and rate; reconciliation."""
    from tenge.cli.common import json_text
    from tenge.cli.display import iso_time
    from tenge.payments.periods import Period
    from tenge.payments.report_format import render_csv, render_table, report_to_dict

    tz = resolve_utc_offset(utc_offset, network)
    period = Period.parse(start, end, tz)
    vat = open_vat(network, rpc_url, account, read_only=True)
    report = vat.report(merchants=merchants or None, period=period, chunk_blocks=chunk_blocks, source=source, index_url=db_url)
    fmt = "json" if as_json else output_format
    if fmt == "json":
        data = report_to_dict(report, tz)
        # the period's bounds as ISO 8601 in the report's time zone (the SDK's dict keeps unix seconds)
        for bound in ("start", "end"):
            value = data["period"][bound]
            data["period"][bound] = None if value is None else iso_time(int(value), tz)
        text = json_text(data)
    elif fmt == "csv":
        text = render_csv(report).rstrip("\n")
    else:
        text = render_table(report, tz)
    if output is None:
        click.echo(text)
    else:
        from tenge.cli.output_file import write_output

        write_output(output, text + "\n")
        click.echo(f"wrote {output} ({fmt})", err=True)
    if not report.reconciliation.reconciled:
        click.echo(f"Warning: {report.reconciliation.explain()}", err=True)
        if check:
            raise click.exceptions.Exit(3)
