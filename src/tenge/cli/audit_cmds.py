"""`tenge audit`: the supervisor's view - state rebuilt from events against chain state, export, privacy."""

from __future__ import annotations

from pathlib import Path

import click

from tenge.cli.common import TengeGroup, emit, json_option, network_options
from tenge.cli.index_cmds import DB_HELP


@click.group("audit", cls=TengeGroup, invoke_without_command=True)
@network_options
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--verify-rows", is_flag=True, help="Also compare every index row with the chain's log (slow on long histories).")
@click.option("--bridge-peer", default=None, help="The other end of the bridge: also report the home escrow against "
              "the BNB-side supply and reserve (stranded escrow, reserve above the home lock).")
@json_option
@click.pass_context
def audit_group(
    ctx: click.Context, network: str, rpc_url: str | None, db_url: str | None, verify_rows: bool, bridge_peer: str | None,
    as_json: bool,
) -> None:  # fmt: skip
    """Rebuild balances, tiers, freezes, allowances, supply, reserve, VAT escrow and VAT due, bridge transfers
    and escrow, programmes and reward pools from events alone (syncing the index first); read the same from chain
    state; print every difference (exit 3 if any). With --bridge-peer, also the bridge's reserve across both
    chains: home escrow stranded by burns outside the bridge on the BNB side (not released yet) and the BNB-side
    reserve above the home lock until the next escrow attestation (exit 3 if the BNB-side supply is above the home
    escrow)."""
    ctx.ensure_object(dict)
    ctx.obj.update(network=network, rpc_url=rpc_url, db_url=db_url)
    if ctx.invoked_subcommand is not None:
        return
    from tenge.audit.audit import audit
    from tenge.audit.privacy import privacy_report
    from tenge.audit.report import render_audit, render_privacy_summary
    from tenge.cli.common import open_session
    from tenge.index.service import open_session_index, sync_session

    session = open_session(network, rpc_url, read_only=True)
    engine = open_session_index(session, db_url)
    sync_session(session, engine)
    result = audit(session, engine, verify_all_rows=verify_rows)
    privacy = privacy_report()
    data, text = {**result.to_dict(), "privacy": privacy.to_dict()}, render_audit(result) + "\n" + render_privacy_summary(privacy)
    reserve_ok = True
    if bridge_peer is not None:
        from tenge.cli.bridge_reserve_cmds import reserve_report_for

        reserve = reserve_report_for(network, rpc_url, bridge_peer, None)
        data["bridge_reserve"] = reserve.to_dict()
        text += "\n" + "\n".join(reserve.lines(session.token().currency))
        reserve_ok = reserve.supply_within_escrow
    emit(as_json, data, text)
    if not result.clean or not privacy.clean or not reserve_ok:
        raise click.exceptions.Exit(3)


def _override(ctx: click.Context, network: str | None, rpc_url: str | None, db_url: str | None) -> tuple[str, str | None, str | None]:
    """A subcommand's own --network/--rpc-url/--db win over the group's."""
    obj = ctx.obj
    return network or obj["network"], rpc_url or obj["rpc_url"], db_url or obj["db_url"]


@audit_group.command("export")
@click.option("--network", "-n", default=None, help="As for `tenge audit` (default: the group's, local).")
@click.option("--rpc-url", default=None, help="Override the network's RPC URL.")
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to a file (default: stdout).")
@click.pass_context
def export_cmd(
    ctx: click.Context, network: str | None, rpc_url: str | None, db_url: str | None, fmt: str, output: Path | None
) -> None:
    """The event history for a supervisor, one row per event: fields as people read them (amounts in tenge with
    the currency, times ISO 8601 UTC, references decoded, roles by name) and as stored (raw_fields), with the legal
    references of forced transfers, wipes and recoveries."""
    from tenge.audit.export import export_events
    from tenge.cli.common import open_session
    from tenge.index.service import open_session_index, sync_session

    network, rpc_url, db_url = _override(ctx, network, rpc_url, db_url)
    session = open_session(network, rpc_url, read_only=True)
    engine = open_session_index(session, db_url)
    sync_session(session, engine)
    text = export_events(engine, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        from tenge.cli.output_file import write_output

        write_output(output, text)
        click.echo(f"wrote {output} ({fmt})", err=True)


@audit_group.command("privacy")
@json_option
def privacy_cmd(as_json: bool) -> None:
    """Every storage field and event field an auditor can see, and its kind: addresses, tiers, flags, amounts,
    hashes (and the few ids, rates, times and authority-set labels); exit 3 if any field is of another kind."""
    from tenge.audit.privacy import privacy_report

    report = privacy_report()
    emit(as_json, report.to_dict(), report.render())
    if not report.clean:
        raise click.exceptions.Exit(3)
