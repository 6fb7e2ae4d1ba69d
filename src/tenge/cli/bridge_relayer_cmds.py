"""`tenge bridge relayer ...`: run the bridge relayer; show what it knows of a transfer (a thin layer)."""

from __future__ import annotations

import json
import time
from typing import Any

import click

from tenge.cli.bridge_params import TRANSFER_ID
from tenge.cli.common import TengeGroup, emit, json_option


@click.group("relayer", cls=TengeGroup)
def relayer_group() -> None:
    """The bridge relayer: gathers validators' signatures over HTTP and delivers, completes and refunds transfers."""


@relayer_group.command("run")
@click.option("--network", "-n", "networks", multiple=True, help="A network to serve (the home and each remote; repeat).")
@click.option("--validator", "validators", multiple=True, help="A validator's HTTP API base URL (repeat).")
@click.option("--account", "-a", default=None, help="This instance's own key (alias; dev:N on devnets).")
@click.option("--db", "database", default=None, help="Store URL: sqlite:///PATH (default) or postgresql://...")
@click.option("--metrics", default=None, help="Serve Prometheus metrics on HOST:PORT.")
@click.option("--instance", default=None, help="Name of this instance in leases and logs (default HOST-ACCOUNT: the same after a restart, so it takes back its own leases at once).")
@click.option("--poll-interval", type=float, default=None, help="Seconds between idle turns (default 0.5).")
@click.option("--stuck-after", type=float, default=None, help="Replace a transaction not mined after this many seconds.")
@click.option("--lease-seconds", type=int, default=None, help="How long a claimed transfer stays with this instance.")
@click.option("--once", is_flag=True, help="One turn, then exit.")
def run_cmd(once: bool, **options: Any) -> None:
    """Run the relayer until SIGTERM/SIGINT. Settings: [relayer] in tenge.toml, overridden by these options."""
    from tenge.bridge.relayer.metrics import setup_logging
    from tenge.bridge.relayer.run import Relayer
    from tenge.bridge.relayer.settings import load_settings

    setup_logging()
    settings = load_settings(**options)
    Relayer(settings).run(once=once)


@relayer_group.command("show")
@click.argument("transfer_id", metavar="ID", type=TRANSFER_ID)
@click.option("--db", "database", default=None, help="The relayer's store URL (default: [relayer] database, else SQLite).")
@json_option
def show_cmd(transfer_id: str, database: str | None, as_json: bool) -> None:
    """Where the relayer has a transfer and why (state, reason, retries, next attempt)."""
    from tenge.bridge.relayer.store import Store
    from tenge.config import load_config
    from tenge import paths
    from tenge.errors import InvalidInput

    url = database or load_config().get("relayer", {}).get("database") or f"sqlite:///{paths.user_config_dir() / 'relayer.sqlite'}"
    row = Store(url, "show").get(transfer_id)
    if row is None:
        raise InvalidInput(f"the relayer's store has no transfer {transfer_id}")
    data = {k: row[k] for k in ("id", "state", "reason", "retries", "next_attempt", "pending_tx", "lease_owner")}
    data["transfer"] = json.loads(row["body"])
    wait = max(0.0, float(row["next_attempt"]) - time.time())
    text = f"{row['id']}: {row['state']} - {row['reason'] or ''} (retries {row['retries']}, next attempt in {wait:.0f}s)"
    emit(as_json, data, text)
