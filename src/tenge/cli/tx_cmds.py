"""`tenge tx`: where is a transaction (status), keep waiting for it (wait), what was sent (journal).

After an interrupted or timed-out write, these answer "did it land?" so that nothing is sent twice.
"""

from __future__ import annotations

from typing import Any

import click

from tenge.cli.common import TengeGroup, emit, json_option, network_options
from tenge.cli.display import text_value
from tenge.cli.exit_codes import NOT_YET_CONFIRMED, NOT_YET_MINED

_STATE_EXIT = {"confirmed": 0, "sent": NOT_YET_MINED, "mined": NOT_YET_CONFIRMED, "reverted": 1, "unknown": 1}


@click.group("tx", cls=TengeGroup)
def tx_group() -> None:
    """Transactions sent by tenge: status of a hash, resume waiting, the local journal."""


def _watcher(network: str, rpc_url: str | None, confirmations: int | None, timeout: float | None) -> Any:
    from tenge.chain.connection import connect
    from tenge.chain.journal import TxJournal
    from tenge.chain.lifecycle import TxWatcher
    from tenge.chain.networks import get_network
    from tenge.cli.progress import IN_FLIGHT

    net = get_network(network)
    IN_FLIGHT.network = net.name
    return TxWatcher(connect(net, rpc_url=rpc_url), net, confirmations=confirmations, timeout=timeout,
                     journal=TxJournal.default(), listener=IN_FLIGHT.listener)  # fmt: skip


def _hash(value: str) -> str:
    from tenge.chain.lifecycle import normalize_hash

    return normalize_hash(value)


_confirmations = click.option(
    "--confirmations", type=click.IntRange(min=1), default=None, help="Confirmations required (default: the network's)."
)


@tx_group.command("status")
@click.argument("tx_hash", metavar="HASH")
@network_options
@_confirmations
@json_option
def tx_status(tx_hash: str, network: str, rpc_url: str | None, confirmations: int | None, as_json: bool) -> None:
    """Where HASH is now: unknown, sent (mempool), mined (N of K confirmations), confirmed or reverted.

    Exit code: 0 confirmed, 4 sent, 5 mined but not yet confirmed, 1 reverted or unknown.
    """
    tx_hash = _hash(tx_hash)
    watcher = _watcher(network, rpc_url, confirmations, 1.0)
    status = watcher.status(tx_hash)
    if watcher.journal.find(tx_hash) is not None:
        watcher.journal.append(hash=tx_hash, network=watcher.network.name, state=status.state.value,
                               block=status.block_number, confirmations=status.confirmations,
                               required=status.required)  # fmt: skip
    emit(as_json, status.to_dict(), status.describe())
    code = _STATE_EXIT[status.state.value]
    if code:
        raise click.exceptions.Exit(code)


@tx_group.command("wait")
@click.argument("tx_hash", metavar="HASH")
@network_options
@_confirmations
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="How long to wait (default 180, or $TENGE_TX_TIMEOUT).")  # fmt: skip
@json_option
def tx_wait(
    tx_hash: str, network: str, rpc_url: str | None, confirmations: int | None, timeout: float | None, as_json: bool
) -> None:
    """Resume waiting for HASH (e.g. after Ctrl-C or exit code 4/5) until it is confirmed.

    Exit code: 0 confirmed, 4 still not mined, 5 still not confirmed, 1 reverted.
    """
    from tenge.chain.lifecycle import TxState

    tx_hash = _hash(tx_hash)
    watcher = _watcher(network, rpc_url, confirmations, timeout)
    status = watcher.status(tx_hash)
    if status.state is not TxState.UNKNOWN:
        watcher.wait(tx_hash, description=f"transaction {tx_hash}")
        status = watcher.status(tx_hash)
    emit(as_json, status.to_dict(), status.describe())
    code = _STATE_EXIT[status.state.value]
    if code:
        raise click.exceptions.Exit(code)


@tx_group.command("journal")
@click.option("--network", "-n", default=None, help="Only this network's transactions.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="The last N transactions.")
@json_option
def tx_journal(network: str | None, limit: int, as_json: bool) -> None:
    """The transactions tenge sent, newest last, with their last known state ($TENGE_HOME/journal.jsonl).

    The state is what was last seen; `tenge tx status HASH` asks the chain now.
    """
    from tenge.chain.journal import TxJournal
    from tenge.chain.networks import get_network

    if network is not None:
        network = get_network(network).name  # an unknown network is refused (exit 2), not an empty list
    journal = TxJournal.default()
    entries = journal.latest(network)[-limit:]
    lines = [f"journal {journal.path}: {len(entries)} transaction(s)"]
    for e in entries:
        d = e.data
        block = f" block {d['block']}" if d.get("block") is not None else ""
        confirmations = f" {d.get('confirmations')}/{d.get('required')}" if d.get("required") else ""
        lines.append(f"  {text_value('time', d.get('time', ''))}  {e.network:<13} nonce {d.get('nonce', '?')!s:<5} {e.tx_hash}  "
                     f"{e.state}{block}{confirmations}  {d.get('description', '')}")  # fmt: skip
    emit(as_json, [e.data for e in entries], "\n".join(lines))
