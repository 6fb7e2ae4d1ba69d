"""`tenge index`: the event index (SQLite beside the deployment record by default, PostgreSQL by URL)."""

from __future__ import annotations

from typing import Any

import click

from tenge.cli.common import emit, json_option, network_options

DB_HELP = "Index database URL (sqlite:///path or postgresql://...); default: $TENGE_INDEX_URL, else <network>.index.sqlite beside the deployment record."


@click.group("index")
def index_group() -> None:
    """Follow the suite's contracts and keep every event, decoded, in a database."""


@index_group.command("sync")
@network_options
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--chunk-blocks", type=click.IntRange(1), default=2000, show_default=True, help="Most blocks per eth_getLogs: spans follow the event density (about 10,000 events a chunk, the next chunk read while one is stored), halved when the node refuses.")
@click.option("--confirmations", type=click.IntRange(0), default=None, help="Finality depth (default: the network's).")
@click.option("--to-block", type=click.IntRange(0), default=None, help="Stop at this block (default: the latest final block).")
@click.option("--reset", is_flag=True, help="Empty the index first and rebuild it from the deployment blocks.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
@json_option
def sync_cmd(
    network: str, rpc_url: str | None, db_url: str | None, chunk_blocks: int, confirmations: int | None,
    to_block: int | None, reset: bool, quiet: bool, as_json: bool,
) -> None:  # fmt: skip
    """Store every event of the suite's contracts up to finality; incremental, resumable, reorg-safe."""
    from tenge.cli.common import open_session
    from tenge.index.service import open_session_index, reset as reset_index, session_index_url, sync_session

    session = open_session(network, rpc_url, read_only=True)
    engine = open_session_index(session, db_url)
    if reset:
        reset_index(engine)
    progress = None if quiet or as_json else (lambda p: click.echo(f"... {p.line()}", err=True))
    result = sync_session(session, engine, confirmations=confirmations, chunk_blocks=chunk_blocks,
                          to_block=to_block, progress=progress)  # fmt: skip
    text = f"index {session_index_url(session, db_url)}: "
    if result.rolled_back_to is not None and result.rolled_back_to >= 0:
        text += f"reorg: rolled back to block {result.rolled_back_to} ({result.removed} events removed); "
    elif result.rolled_back_to is not None:
        text += f"reorg: no indexed block is on this chain any more ({result.removed} events removed); "
    if result.target < 0:
        text += "no final block yet"
    elif result.target < result.start:
        text += f"up to date at block {result.target}"
    else:
        text += f"blocks {result.start}..{result.target}: {result.events} events in {result.seconds:.2f} s"
    emit(as_json, result.to_dict(), text)


@index_group.command("status")
@network_options
@click.option("--db", "db_url", default=None, help=DB_HELP)
@json_option
def status_cmd(network: str, rpc_url: str | None, db_url: str | None, as_json: bool) -> None:
    """Where the index is, how far each contract is synced and how many events it holds."""
    from tenge.cli.common import open_session
    from tenge.index.reader import index_status
    from tenge.index.service import open_session_index, require_deployed, session_index_url

    session = open_session(network, rpc_url, read_only=True)
    require_deployed(session)
    status = index_status(open_session_index(session, db_url))
    status["url"] = session_index_url(session, db_url)
    emit(as_json, status, render_status(status))


def render_status(status: dict[str, Any]) -> str:
    """The index's contracts in aligned columns; a contract not synced yet says so (never a negative block)."""
    contracts = status["contracts"]
    width = max([len("contract")] + [len(c["recordKey"]) for c in contracts])
    lines = [f"index {status['url']}", f"  {'contract':<{width}}  {'address':<42}  synced to"]
    for c in contracts:
        synced = c["syncedTo"]
        where = f"block {synced}" if synced >= c["deploymentBlock"] and synced >= 0 else "not synced yet"
        lines.append(f"  {c['recordKey']:<{width}}  {c['address']:<42}  {where}")
    lines.append(f"  {status['events']:,} events")
    return "\n".join(lines)
